"""Census readers on fixtures in the official schemas: PL 94-171 tracts joined to TIGER/Line,
cartographic boundary states (zipped shapefile) and counties, and the state FIPS table."""

from __future__ import annotations

import zipfile

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from siting.errors import CRSError, DataError, DataFileNotFound
from siting.sources.census import (
    read_counties,
    read_pl94171_tracts,
    read_states,
    read_urban_areas,
)

#: Three published Indiana tracts (census2020_pl94171 joined file, columns in its order, some
#: left out): Adams County 301, St. Joseph County 1, and the Lake Michigan water tract of Lake
#: County (no land, no people).
PL_TRACTS = pd.DataFrame(
    {
        "GEOID20": ["18001030100", "18141000100", "18089990000"],
        "NAME": ["Census Tract 301", "Census Tract 1", "Census Tract 9900"],
        "POP100": [4589, 2191, 0],
        "HU100": [1916, 926, 0],
        "AREALAND": [201082228, 2267709, 0],
        "AREAWATR": [343886, 0, 287882078],
        "INTPTLAT": [40.8835444, 41.6897925, 41.7046673],
        "INTPTLON": [-84.9286621, -86.3000944, -87.3498704],
        "COUNTYFP": ["001", "141", "089"],
    }
)
#: A TIGER/Line 2020 tract file (tl_2020_01_tract) joined to Census API counts; hand-made
#: values for an Alabama tract, its GEOID written as a number (leading zero lost).
TIGER_TRACT = pd.DataFrame(
    {
        "STATEFP": ["01"],
        "COUNTYFP": ["001"],
        "TRACTCE": ["020100"],
        "GEOID": [1001020100],
        "NAME": ["201"],
        "NAMELSAD": ["Census Tract 201"],
        "ALAND": [9825304],
        "AWATER": [28435],
        "P1_001N": [1775],
        "H1_001N": [766],
    }
)
#: Published rows of cb_2022_us_state_500k (geometry replaced by boxes).
CB_STATES = pd.DataFrame(
    {
        "STATEFP": ["18", "17", "72", "66"],
        "STATENS": ["00448508", "01779784", "01779808", "01802705"],
        "AFFGEOID": ["0400000US18", "0400000US17", "0400000US72", "0400000US66"],
        "GEOID": ["18", "17", "72", "66"],
        "STUSPS": ["IN", "IL", "PR", "GU"],
        "NAME": ["Indiana", "Illinois", "Puerto Rico", "Guam"],
        "LSAD": ["00", "00", "00", "00"],
        "ALAND": [92788609924, 143778515726, 8869029522, 543555849],
        "AWATER": [1542001983, 6216539665, 4922249087, 934337453],
    }
)
#: Cartographic boundary county rows (cb_2022_us_county_500k column order, some left out).
CB_COUNTIES = pd.DataFrame(
    {
        "STATEFP": ["18", "18", "01"],
        "COUNTYFP": ["141", "097", "001"],
        "AFFGEOID": ["0500000US18141", "0500000US18097", "0500000US01001"],
        "GEOID": ["18141", "18097", "01001"],
        "NAME": ["St. Joseph", "Marion", "Autauga"],
        "NAMELSAD": ["St. Joseph County", "Marion County", "Autauga County"],
        "STUSPS": ["IN", "IN", "AL"],
        "STATE_NAME": ["Indiana", "Indiana", "Alabama"],
        "LSAD": ["06", "06", "06"],
    }
)


def boxes(n: int) -> list[shapely.Polygon]:
    """``n`` unit squares side by side (the readers never look at the shapes)."""
    return [shapely.box(i, 0, i + 1, 1) for i in range(n)]


def write(tmp_path, table: pd.DataFrame, name: str, *, crs="EPSG:4326"):
    """Write ``table`` with box geometry as a vector file named ``name``."""
    path = tmp_path / name
    gdf = gpd.GeoDataFrame(table, geometry=boxes(len(table)), crs=crs)
    gdf.to_file(path, engine="pyogrio")
    return path


def zipped_shapefile(tmp_path, table: pd.DataFrame, stem: str):
    """Write ``table`` as a shapefile and zip it the way the Census distributes it."""
    folder = tmp_path / stem
    folder.mkdir()
    write(folder, table, f"{stem}.shp", crs="EPSG:4269")
    archive = tmp_path / f"{stem}.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for part in folder.iterdir():
            z.write(part, part.name)
    return archive


# ---------------------------------------------------------------------------------------------
# tracts
# ---------------------------------------------------------------------------------------------


def test_pl_tracts_are_renamed_with_units_and_density(tmp_path):
    out = read_pl94171_tracts(write(tmp_path, PL_TRACTS, "tracts.geojson"))
    assert list(out.columns) == [
        "geoid",
        "county_fips",
        "population",
        "housing_units",
        "land_area_km2",
        "water_area_km2",
        "pop_density_per_km2",
        "geometry",
    ]
    assert out["geoid"].tolist() == ["18001030100", "18141000100", "18089990000"]
    assert out["county_fips"].tolist() == ["18001", "18141", "18089"]
    assert out["population"].tolist() == [4589, 2191, 0]
    assert out["population"].dtype == np.int64
    assert out["housing_units"].tolist() == [1916, 926, 0]
    assert out["land_area_km2"].tolist() == [201.082228, 2.267709, 0.0]
    assert out["water_area_km2"].tolist() == [0.343886, 0.0, 287.882078]
    assert out.loc[0, "pop_density_per_km2"] == pytest.approx(4589 / 201.082228)
    assert out.loc[1, "pop_density_per_km2"] == pytest.approx(2191 / 2.267709)
    assert out.crs == "EPSG:4326"


def test_tract_without_land_has_unknown_density_not_zero(tmp_path):
    out = read_pl94171_tracts(write(tmp_path, PL_TRACTS, "tracts.geojson"))
    water_tract = out.set_index("geoid").loc["18089990000"]
    assert np.isnan(water_tract["pop_density_per_km2"])


def test_tiger_names_and_census_api_counts_are_read(tmp_path):
    out = read_pl94171_tracts(write(tmp_path, TIGER_TRACT, "tl_2020_01_tract.gpkg"))
    row = out.iloc[0]
    assert row["geoid"] == "01001020100"
    assert row["county_fips"] == "01001"
    assert (row["population"], row["housing_units"]) == (1775, 766)
    assert row["land_area_km2"] == 9.825304
    assert row["water_area_km2"] == 0.028435


def test_gpkg_layer_reference_is_read(tmp_path):
    path = write(tmp_path, PL_TRACTS, "bundle.gpkg")
    out = read_pl94171_tracts(f"{path}:bundle")
    assert len(out) == 3


def test_file_without_water_area_gives_unknown_water(tmp_path):
    out = read_pl94171_tracts(write(tmp_path, PL_TRACTS.drop(columns="AREAWATR"), "tracts.geojson"))
    assert out["water_area_km2"].isna().all()
    assert out.loc[0, "land_area_km2"] == 201.082228


def test_tract_without_counts_is_an_error(tmp_path):
    path = write(tmp_path, PL_TRACTS.drop(columns="POP100"), "tracts.geojson")
    with pytest.raises(DataError, match=r"population: one of \['POP100', 'P1_001N', 'P0010001'\]"):
        read_pl94171_tracts(path)


def test_non_numeric_count_is_an_error(tmp_path):
    table = PL_TRACTS.astype({"POP100": str})
    table.loc[1, "POP100"] = "many"
    path = write(tmp_path, table, "tracts.geojson")
    with pytest.raises(DataError, match=r"'POP100' holds non-numeric values \['many'\]"):
        read_pl94171_tracts(path)


def test_fractional_count_is_an_error(tmp_path):
    table = PL_TRACTS.astype({"HU100": float})
    table.loc[0, "HU100"] = 1916.5
    path = write(tmp_path, table, "tracts.geojson")
    with pytest.raises(DataError, match=r"'HU100' holds \['1916.5'\]; expected whole counts"):
        read_pl94171_tracts(path)


def test_negative_area_is_an_error(tmp_path):
    table = PL_TRACTS.copy()
    table.loc[0, "AREALAND"] = -5
    path = write(tmp_path, table, "tracts.geojson")
    with pytest.raises(DataError, match=r"'AREALAND' holds negative areas"):
        read_pl94171_tracts(path)


def test_duplicate_geoid_is_an_error(tmp_path):
    table = pd.concat([PL_TRACTS, PL_TRACTS.iloc[[1]]], ignore_index=True)
    path = write(tmp_path, table, "tracts.geojson")
    with pytest.raises(DataError, match=r"'GEOID20' repeats \['18141000100'\]"):
        read_pl94171_tracts(path)


def test_malformed_geoid_is_an_error(tmp_path):
    table = PL_TRACTS.copy()
    table.loc[0, "GEOID20"] = "18001O30100"
    path = write(tmp_path, table, "tracts.geojson")
    with pytest.raises(DataError, match=r"'GEOID20' holds values that are not 11-digit"):
        read_pl94171_tracts(path)


def test_geoid_disagreeing_with_county_code_is_an_error(tmp_path):
    table = PL_TRACTS.copy()
    table.loc[1, "COUNTYFP"] = "139"
    path = write(tmp_path, table, "tracts.geojson")
    with pytest.raises(DataError, match=r"'COUNTYFP' disagrees .* \['18141000100'\]"):
        read_pl94171_tracts(path)


def test_empty_tract_file_is_an_error(tmp_path):
    path = tmp_path / "tracts.geojson"
    path.write_text('{"type": "FeatureCollection", "features": []}')
    with pytest.raises(DataError, match="no tracts"):
        read_pl94171_tracts(path)


@pytest.mark.filterwarnings("ignore:'crs' was not provided")
def test_tract_file_without_crs_is_an_error(tmp_path):
    path = write(tmp_path, PL_TRACTS, "tracts.gpkg", crs=None)
    with pytest.raises(CRSError, match="no CRS"):
        read_pl94171_tracts(path)


def test_missing_tract_file_is_an_error(tmp_path):
    with pytest.raises(DataFileNotFound):
        read_pl94171_tracts(tmp_path / "nope.geojson")


# ---------------------------------------------------------------------------------------------
# states
# ---------------------------------------------------------------------------------------------


def test_zipped_cartographic_boundary_states_are_read(tmp_path):
    out = read_states(zipped_shapefile(tmp_path, CB_STATES, "cb_2022_us_state_500k"))
    assert list(out.columns) == ["state_fips", "state", "name", "geometry"]
    assert out["state_fips"].tolist() == ["18", "17", "72", "66"]
    assert out["state"].tolist() == ["IN", "IL", "PR", "GU"]
    assert out["name"].tolist() == ["Indiana", "Illinois", "Puerto Rico", "Guam"]
    assert out.crs == "EPSG:4269"


def test_state_fips_written_as_number_is_padded(tmp_path):
    table = pd.DataFrame({"STATEFP": [1, 18], "STUSPS": ["AL", "IN"], "NAME": ["Alabama", "Ind"]})
    out = read_states(write(tmp_path, table, "states.geojson"))
    assert out["state_fips"].tolist() == ["01", "18"]


def test_states_file_without_usps_code_is_an_error(tmp_path):
    path = write(tmp_path, CB_STATES.drop(columns="STUSPS"), "states.geojson")
    with pytest.raises(DataError, match=r"\['STUSPS'\] missing.*states file"):
        read_states(path)


def test_duplicate_state_is_an_error(tmp_path):
    table = pd.concat([CB_STATES, CB_STATES.iloc[[0]]], ignore_index=True)
    path = write(tmp_path, table, "states.geojson")
    with pytest.raises(DataError, match=r"'STATEFP' repeats \['18'\]"):
        read_states(path)


def test_blank_state_code_is_an_error(tmp_path):
    table = CB_STATES.copy()
    table.loc[2, "STUSPS"] = " "
    path = write(tmp_path, table, "states.geojson")
    with pytest.raises(DataError, match=r"'STUSPS' is blank in 1 row"):
        read_states(path)


# ---------------------------------------------------------------------------------------------
# counties
# ---------------------------------------------------------------------------------------------


def test_cartographic_boundary_counties_are_read(tmp_path):
    out = read_counties(write(tmp_path, CB_COUNTIES, "cb_2022_us_county_500k.geojson"))
    assert list(out.columns) == ["fips", "name", "state_fips", "geometry"]
    assert out["fips"].tolist() == ["18141", "18097", "01001"]
    assert out["name"].tolist() == ["St. Joseph", "Marion", "Autauga"]
    assert out["state_fips"].tolist() == ["18", "18", "01"]


def test_counties_without_geoid_use_state_and_county_codes(tmp_path):
    table = CB_COUNTIES.drop(columns=["GEOID", "AFFGEOID"]).astype({"COUNTYFP": int})
    out = read_counties(write(tmp_path, table, "tl_counties.geojson"))
    assert out["fips"].tolist() == ["18141", "18097", "01001"]


def test_county_geoid_written_as_number_is_padded(tmp_path):
    table = CB_COUNTIES.assign(GEOID=[18141, 18097, 1001])
    out = read_counties(write(tmp_path, table, "counties.geojson"))
    assert out["fips"].tolist() == ["18141", "18097", "01001"]


def test_duplicate_county_fips_is_an_error(tmp_path):
    table = pd.concat([CB_COUNTIES, CB_COUNTIES.iloc[[1]]], ignore_index=True)
    path = write(tmp_path, table, "counties.geojson")
    with pytest.raises(DataError, match=r"'GEOID' repeats \['18097'\]"):
        read_counties(path)


def test_counties_without_name_is_an_error(tmp_path):
    path = write(tmp_path, CB_COUNTIES.drop(columns="NAME"), "counties.geojson")
    with pytest.raises(DataError, match=r"\['NAME'\] missing.*counties file"):
        read_counties(path)


def test_counties_without_any_code_is_an_error(tmp_path):
    table = CB_COUNTIES.drop(columns=["GEOID", "COUNTYFP"])
    path = write(tmp_path, table, "counties.geojson")
    with pytest.raises(DataError, match=r"\['COUNTYFP'\] missing"):
        read_counties(path)


def test_empty_county_file_is_an_error(tmp_path):
    path = tmp_path / "counties.geojson"
    path.write_text('{"type": "FeatureCollection", "features": []}')
    with pytest.raises(DataError, match="no counties"):
        read_counties(path)


# ---------------------------------------------------------------------------------------------
# urban areas
# ---------------------------------------------------------------------------------------------

#: TIGER/Line 2020 urban areas (tl_2020_us_uac20) in its column order; hand-made areas, and a
#: UACE with a leading zero (Abbeville, LA).
TL_UAC20 = pd.DataFrame(
    {
        "UACE20": ["41212", "00037", "46018"],
        "GEOID20": ["41212", "00037", "46018"],
        "NAME20": ["Indianapolis, IN", "Abbeville, LA", "Lafayette, IN"],
        "NAMELSAD20": [
            "Indianapolis, IN Urban Area",
            "Abbeville, LA Urban Area",
            "Lafayette, IN Urban Area",
        ],
        "LSAD20": ["75", "75", "75"],
        "MTFCC20": ["G3500", "G3500", "G3500"],
        "FUNCSTAT20": ["S", "S", "S"],
        "ALAND20": [1_500_000_000, 25_000_000, 150_500_000],
        "AWATER20": [20_000_000, 0, 1_250_000],
        "INTPTLAT20": ["+39.7784", "+29.9717", "+40.4170"],
        "INTPTLON20": ["-086.1458", "-092.1230", "-086.8750"],
    }
)
#: Cartographic boundary 2010 urban areas (cb_2019_us_ua10_500k): the ``*10`` names, codes
#: written as numbers by a spreadsheet, no water column.
CB_UA10 = pd.DataFrame(
    {
        "UACE10": [41212, 37],
        "AFFGEOID10": ["400C100US41212", "400C100US00037"],
        "GEOID10": [41212, 37],
        "NAME10": ["Indianapolis, IN", "Abbeville, LA"],
        "LSAD10": ["75", "76"],
        "UATYP10": ["U", "C"],
        "ALAND10": [1_820_000_000, 21_000_000],
    }
)


def test_urban_areas_2020_are_renamed_with_areas_in_km2(tmp_path):
    out = read_urban_areas(write(tmp_path, TL_UAC20, "tl_2020_us_uac20.shp", crs="EPSG:4269"))
    assert list(out.columns) == ["geoid", "name", "land_area_km2", "water_area_km2", "geometry"]
    assert out["geoid"].tolist() == ["41212", "00037", "46018"]
    assert out["name"].tolist() == ["Indianapolis, IN", "Abbeville, LA", "Lafayette, IN"]
    np.testing.assert_allclose(out["land_area_km2"], [1500.0, 25.0, 150.5])
    np.testing.assert_allclose(out["water_area_km2"], [20.0, 0.0, 1.25])
    assert out.crs == "EPSG:4269"


def test_urban_areas_2010_names_are_read_and_codes_padded(tmp_path):
    out = read_urban_areas(write(tmp_path, CB_UA10, "cb_2019_us_ua10_500k.geojson"))
    assert out["geoid"].tolist() == ["41212", "00037"]
    np.testing.assert_allclose(out["land_area_km2"], [1820.0, 21.0])
    assert out["water_area_km2"].isna().all()  # no water column: unknown, not zero


def test_unsuffixed_urban_area_names_are_read(tmp_path):
    table = TL_UAC20.rename(columns=lambda c: c.removesuffix("20"))
    out = read_urban_areas(write(tmp_path, table, "ua.geojson"))
    assert out["geoid"].tolist() == ["41212", "00037", "46018"]
    np.testing.assert_allclose(out["land_area_km2"], [1500.0, 25.0, 150.5])


def test_urban_areas_without_land_area_is_an_error(tmp_path):
    path = write(tmp_path, TL_UAC20.drop(columns="ALAND20"), "ua.geojson")
    with pytest.raises(DataError, match=r"land_area_km2: one of \['ALAND20', 'ALAND10', 'ALAND'\]"):
        read_urban_areas(path)


def test_duplicate_urban_area_code_is_an_error(tmp_path):
    table = TL_UAC20.assign(GEOID20=["41212", "41212", "46018"])
    with pytest.raises(DataError, match=r"'GEOID20' repeats \['41212'\]"):
        read_urban_areas(write(tmp_path, table, "ua.geojson"))


def test_malformed_urban_area_code_is_an_error(tmp_path):
    table = TL_UAC20.assign(GEOID20=["41212", "UA037", "46018"])
    with pytest.raises(DataError, match=r"'GEOID20' holds values that are not 5-digit"):
        read_urban_areas(write(tmp_path, table, "ua.geojson"))


def test_negative_urban_land_area_is_an_error(tmp_path):
    table = TL_UAC20.assign(ALAND20=[-1, 25_000_000, 150_500_000])
    with pytest.raises(DataError, match=r"'ALAND20' holds negative areas"):
        read_urban_areas(write(tmp_path, table, "ua.geojson"))


def test_empty_urban_area_file_is_an_error(tmp_path):
    path = tmp_path / "ua.geojson"
    path.write_text('{"type": "FeatureCollection", "features": []}')
    with pytest.raises(DataError, match="no urban areas"):
        read_urban_areas(path)


def test_missing_urban_area_file_is_an_error(tmp_path):
    with pytest.raises(DataFileNotFound, match=r"uac20\.shp: file not found"):
        read_urban_areas(tmp_path / "uac20.shp")


@pytest.mark.filterwarnings("ignore:'crs' was not provided")
def test_urban_area_file_without_crs_is_an_error(tmp_path):
    with pytest.raises(CRSError, match="no CRS"):
        read_urban_areas(write(tmp_path, TL_UAC20, "ua.gpkg", crs=None))
