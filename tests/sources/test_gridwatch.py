"""GridWatch Indiana readers on fixtures in the schema of GridWatch's public data files."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from siting.counties import STATE_CODE_BY_NAME
from siting.errors import DataError, DataFileNotFound
from siting.sources.gridwatch import (
    join_county_names,
    read_counties,
    read_county_restrictions,
    read_power_plants,
    read_state_outline,
    read_transmission_lines,
)


def square(x, y):
    """A 0.1-degree square polygon as GeoJSON, south-west corner at (x, y)."""
    ring = [[x, y], [x + 0.1, y], [x + 0.1, y + 0.1], [x, y + 0.1], [x, y]]
    return {"type": "Polygon", "coordinates": [ring]}


def feature(properties, geometry, **extra):
    return {"type": "Feature", "properties": properties, "geometry": geometry, **extra}


def write_geojson(tmp_path, name, features, **members):
    path = tmp_path / name
    doc = {"type": "FeatureCollection", **members, "features": features}
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def county(fips, name):
    """A county feature as in counties.geojson: feature id, then fips, county, lsad."""
    props = {"fips": fips, "county": name, "lsad": "County"}
    return feature(props, square(-86.0 + int(fips[-3:]) / 100, 40.0), id=fips)


#: Three counties in file order (not FIPS order), as GridWatch publishes them.
COUNTIES = [county("18051", "Gibson"), county("18141", "St. Joseph"), county("18033", "DeKalb")]

#: Lines as in transmission.geojson; HIFLD's -999999 is its unknown voltage.
LINES = [
    feature(
        {"kv": 138, "class": "100-161", "owner": "NOT AVAILABLE"},
        {"type": "LineString", "coordinates": [[-84.5931, 41.0162], [-84.8556, 41.0175]]},
    ),
    feature(
        {"kv": 765, "class": "735 and Above", "owner": "INDIANA MICHIGAN POWER CO"},
        {"type": "LineString", "coordinates": [[-86.36, 41.52], [-86.0, 41.6]]},
    ),
    feature(
        {"kv": -999999, "class": "NOT AVAILABLE", "owner": "NOT AVAILABLE"},
        {"type": "LineString", "coordinates": [[-87.0, 39.0], [-87.1, 39.1]]},
    ),
    feature(
        {"kv": 0, "class": "100-161", "owner": "DUKE ENERGY INDIANA, LLC"},
        {"type": "LineString", "coordinates": [[-86.0, 39.0], [-86.1, 39.1]]},
    ),
]

#: Plants as in power_plants.geojson (WRI Global Power Plant Database fields).
PLANTS = [
    feature(
        {
            "name": "Gibson",
            "fuel": "coal",
            "capacity_mw": 3339.5,
            "year": 1977,
            "owner": "Duke Energy Indiana  LLC",
        },
        {"type": "Point", "coordinates": [-87.7658, 38.3722]},
    ),
    feature(
        {
            "name": "AES Petersburg",
            "fuel": "coal",
            "capacity_mw": 2154.8,
            "year": 1976,
            "owner": "Indianapolis Power & Light Co",
        },
        {"type": "Point", "coordinates": [-87.2525, 38.5281]},
    ),
]

SOURCES = [
    {"label": "datacenterbans.com, Indiana", "url": "https://www.datacenterbans.com/state/indiana"},
    {"label": "WFYI", "url": "https://www.wfyi.org/statewide/2026-07-06/indiana-counties"},
]
RESTRICTIONS = {
    "last_updated": "2026-07-17",
    "note": "A partial, sourced snapshot of Indiana local data-center restrictions.",
    "sources": SOURCES,
    "counties": [
        {"name": "Marshall", "type": "ban", "detail": "Enacted Indiana's first permanent ban."},
        {"name": "Cass", "type": "ban", "detail": "Banned new data centers."},
        {"name": "Fulton", "type": "moratorium", "detail": "1-year temporary moratorium."},
    ],
}
SOURCE_TEXT = (
    "datacenterbans.com, Indiana: https://www.datacenterbans.com/state/indiana | "
    "WFYI: https://www.wfyi.org/statewide/2026-07-06/indiana-counties"
)


def write_json(tmp_path, doc, name="gridwatch_indiana_county_restrictions.json"):
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def edited_restrictions(**changes):
    doc = json.loads(json.dumps(RESTRICTIONS))
    doc.update(changes)
    return doc


# ---------------------------------------------------------------------------------------------
# state outline
# ---------------------------------------------------------------------------------------------


def test_state_outline_gets_its_usps_code(tmp_path):
    path = write_geojson(
        tmp_path, "indiana.geojson", [feature({"name": "Indiana"}, square(-86, 40))]
    )
    out = read_state_outline(path)
    assert list(out.columns) == ["state", "name", "geometry"]
    assert out[["state", "name"]].values.tolist() == [["IN", "Indiana"]]
    assert out.crs.to_epsg() == 4326


def test_state_name_is_matched_ignoring_case_and_spaces(tmp_path):
    features = [feature({"name": " DISTRICT OF COLUMBIA"}, square(-77, 38.8))]
    out = read_state_outline(write_geojson(tmp_path, "dc.geojson", features))
    assert out["state"].tolist() == ["DC"]
    assert out["name"].tolist() == ["DISTRICT OF COLUMBIA"]


def test_state_table_covers_50_states_dc_and_puerto_rico():
    assert len(STATE_CODE_BY_NAME) == 52
    assert len(set(STATE_CODE_BY_NAME.values())) == 52
    assert STATE_CODE_BY_NAME["Puerto Rico"] == "PR"
    assert STATE_CODE_BY_NAME["West Virginia"] == "WV"


def test_unknown_state_name_is_an_error(tmp_path):
    path = write_geojson(
        tmp_path, "indiana.geojson", [feature({"name": "Indianna"}, square(-86, 40))]
    )
    with pytest.raises(DataError, match=r"state name\(s\) \['Indianna'\] unknown"):
        read_state_outline(path)


def test_state_file_without_name_is_an_error(tmp_path):
    path = write_geojson(
        tmp_path, "indiana.geojson", [feature({"NAME": "Indiana"}, square(-86, 40))]
    )
    with pytest.raises(DataError, match=r"column\(s\) \['name'\] missing"):
        read_state_outline(path)


def test_empty_state_file_is_an_error(tmp_path):
    path = write_geojson(tmp_path, "indiana.geojson", [])
    with pytest.raises(DataError, match="no features"):
        read_state_outline(path)


def test_missing_state_file_is_reported(tmp_path):
    with pytest.raises(DataFileNotFound, match="not found"):
        read_state_outline(tmp_path / "indiana.geojson")


# ---------------------------------------------------------------------------------------------
# counties
# ---------------------------------------------------------------------------------------------


def test_counties_are_renamed_and_sorted_by_fips(tmp_path):
    out = read_counties(write_geojson(tmp_path, "counties.geojson", COUNTIES))
    assert list(out.columns) == ["fips", "name", "geometry"]
    assert out["fips"].tolist() == ["18033", "18051", "18141"]
    assert out["name"].tolist() == ["DeKalb", "Gibson", "St. Joseph"]
    # geometry follows its county through the sort: Gibson's square starts at -86 + 0.51
    gibson = out.geometry[out["fips"] == "18051"].iloc[0]
    assert gibson.bounds[0] == pytest.approx(-85.49)


def test_county_names_are_stripped(tmp_path):
    features = [county("18141", " St. Joseph  ")]
    out = read_counties(write_geojson(tmp_path, "counties.geojson", features))
    assert out["name"].tolist() == ["St. Joseph"]


def test_county_geopackage_layer_in_albers_with_integer_fips_is_padded(tmp_path):
    gdf = gpd.GeoDataFrame(
        {"id": ["1001", "18051"], "fips": [1001, 18051], "county": ["Autauga", "Gibson"]},
        geometry=[box(0, 0, 1000, 1000), box(2000, 0, 4000, 1000)],
        crs="EPSG:5070",
    )
    gdf.to_file(tmp_path / "bundle.gpkg", layer="gridwatch_counties", driver="GPKG")
    out = read_counties(f"{tmp_path / 'bundle.gpkg'}:gridwatch_counties")
    assert out["fips"].tolist() == ["01001", "18051"]
    assert out.crs.to_epsg() == 5070
    np.testing.assert_allclose(out.geometry.area / 1e6, [1.0, 2.0])


def test_repeated_county_fips_is_an_error(tmp_path):
    features = [county("18051", "Gibson"), county("18051", "Gibson")]
    with pytest.raises(DataError, match=r"repeats \['18051'\]"):
        read_counties(write_geojson(tmp_path, "counties.geojson", features))


def test_malformed_county_fips_is_an_error(tmp_path):
    features = [county("18051", "Gibson"), feature({"fips": "18A51", "county": "X"}, square(0, 0))]
    with pytest.raises(DataError, match="not 5-digit FIPS codes"):
        read_counties(write_geojson(tmp_path, "counties.geojson", features))


def test_blank_county_name_is_an_error(tmp_path):
    features = [county("18051", " ")]
    with pytest.raises(DataError, match=r"blank county name for FIPS \['18051'\]"):
        read_counties(write_geojson(tmp_path, "counties.geojson", features))


def test_census_counties_file_is_not_taken_for_gridwatch(tmp_path):
    features = [feature({"GEOID": "18051", "NAME": "Gibson"}, square(-87, 38))]
    with pytest.raises(DataError, match=r"\['fips', 'county'\] missing.*GridWatch's counties"):
        read_counties(write_geojson(tmp_path, "counties.geojson", features))


# ---------------------------------------------------------------------------------------------
# transmission lines
# ---------------------------------------------------------------------------------------------


def test_lines_are_renamed_with_unknown_voltage_as_nan(tmp_path):
    out = read_transmission_lines(write_geojson(tmp_path, "transmission.geojson", LINES))
    assert list(out.columns) == ["kv", "volt_class", "owner", "geometry"]
    np.testing.assert_array_equal(out["kv"], [138.0, 765.0, np.nan, np.nan])
    assert out["volt_class"].tolist() == ["100-161", "735 and Above", "NOT AVAILABLE", "100-161"]
    assert out["owner"].tolist()[:2] == ["NOT AVAILABLE", "INDIANA MICHIGAN POWER CO"]
    assert out.attrs["dropped_empty"] == 0


def test_lines_without_geometry_are_dropped_and_counted(tmp_path):
    features = [*LINES[:2], feature({"kv": 345, "class": "345", "owner": "AEP"}, None)]
    out = read_transmission_lines(write_geojson(tmp_path, "transmission.geojson", features))
    assert out["kv"].tolist() == [138.0, 765.0]
    assert out.attrs["dropped_empty"] == 1


def test_line_voltage_as_text_with_units_is_an_error(tmp_path):
    features = [feature({"kv": "345 kV", "class": "345", "owner": "AEP"}, LINES[0]["geometry"])]
    with pytest.raises(DataError, match=r"column 'kv' holds non-numeric values \['345 kV'\]"):
        read_transmission_lines(write_geojson(tmp_path, "transmission.geojson", features))


def test_hifld_lines_file_is_not_taken_for_gridwatch(tmp_path):
    props = {"ID": "1", "VOLTAGE": 345, "VOLT_CLASS": "345", "OWNER": "AEP"}
    features = [feature(props, LINES[0]["geometry"])]
    with pytest.raises(DataError, match=r"missing.*GridWatch's transmission"):
        read_transmission_lines(write_geojson(tmp_path, "lines.geojson", features))


def test_line_geopackage_layer_reads_like_the_geojson(tmp_path):
    geojson = read_transmission_lines(write_geojson(tmp_path, "transmission.geojson", LINES))
    raw = gpd.read_file(tmp_path / "transmission.geojson").to_crs("EPSG:5070")
    raw.to_file(tmp_path / "bundle.gpkg", layer="gridwatch_transmission", driver="GPKG")
    out = read_transmission_lines(f"{tmp_path / 'bundle.gpkg'}:gridwatch_transmission")
    pd.testing.assert_frame_equal(out.drop(columns="geometry"), geojson.drop(columns="geometry"))
    assert out.crs.to_epsg() == 5070


# ---------------------------------------------------------------------------------------------
# power plants
# ---------------------------------------------------------------------------------------------


def test_plants_keep_their_columns_and_units(tmp_path):
    out = read_power_plants(write_geojson(tmp_path, "power_plants.geojson", PLANTS))
    assert list(out.columns) == ["name", "fuel", "capacity_mw", "year", "owner", "geometry"]
    assert out["name"].tolist() == ["Gibson", "AES Petersburg"]
    assert out["capacity_mw"].tolist() == [3339.5, 2154.8]
    assert out["year"].tolist() == [1977, 1976]
    assert out["owner"].tolist()[0] == "Duke Energy Indiana  LLC"
    assert out.geometry.iloc[0].equals(Point(-87.7658, 38.3722))


def test_plant_without_year_has_missing_year_not_zero(tmp_path):
    plant = feature({**PLANTS[0]["properties"], "year": None}, PLANTS[0]["geometry"])
    out = read_power_plants(write_geojson(tmp_path, "power_plants.geojson", [plant, PLANTS[1]]))
    assert out["year"].isna().tolist() == [True, False]
    assert out["year"].iloc[1] == 1976


def test_fractional_plant_year_is_an_error(tmp_path):
    plant = feature({**PLANTS[0]["properties"], "year": 1977.5}, PLANTS[0]["geometry"])
    with pytest.raises(DataError, match="expected whole years"):
        read_power_plants(write_geojson(tmp_path, "power_plants.geojson", [plant]))


def test_non_numeric_plant_capacity_is_an_error(tmp_path):
    plant = feature({**PLANTS[0]["properties"], "capacity_mw": "3,339.5 MW"}, PLANTS[0]["geometry"])
    with pytest.raises(DataError, match="column 'capacity_mw' holds non-numeric"):
        read_power_plants(write_geojson(tmp_path, "power_plants.geojson", [plant]))


def test_plant_file_without_owner_is_an_error(tmp_path):
    props = {k: v for k, v in PLANTS[0]["properties"].items() if k != "owner"}
    features = [feature(props, PLANTS[0]["geometry"])]
    with pytest.raises(DataError, match=r"\['owner'\] missing"):
        read_power_plants(write_geojson(tmp_path, "power_plants.geojson", features))


# ---------------------------------------------------------------------------------------------
# county restrictions
# ---------------------------------------------------------------------------------------------


def test_restrictions_one_row_per_county_in_file_order(tmp_path):
    out = read_county_restrictions(write_json(tmp_path, RESTRICTIONS))
    assert list(out.columns) == ["county", "restriction", "detail", "as_of", "source"]
    assert out["county"].tolist() == ["Marshall", "Cass", "Fulton"]
    assert out["restriction"].tolist() == ["ban", "ban", "moratorium"]
    assert out["detail"].iloc[1] == "Banned new data centers."
    assert set(out["as_of"]) == {"2026-07-17"}
    assert set(out["source"]) == {SOURCE_TEXT}


def test_restriction_type_is_read_ignoring_case_and_detail_may_be_absent(tmp_path):
    doc = edited_restrictions(counties=[{"name": " Starke ", "type": "Moratorium "}])
    out = read_county_restrictions(write_json(tmp_path, doc))
    assert out[["county", "restriction", "detail"]].values.tolist() == [
        ["Starke", "moratorium", ""]
    ]


def test_unknown_restriction_type_is_an_error(tmp_path):
    doc = edited_restrictions(counties=[{"name": "Starke", "type": "ordinance", "detail": ""}])
    with pytest.raises(DataError, match=r"'Starke' has restriction type 'ordinance'"):
        read_county_restrictions(write_json(tmp_path, doc))


def test_county_listed_twice_is_an_error(tmp_path):
    counties = [*RESTRICTIONS["counties"], {"name": "CASS", "type": "moratorium"}]
    doc = edited_restrictions(counties=counties)
    with pytest.raises(DataError, match=r"\['CASS'\] listed twice"):
        read_county_restrictions(write_json(tmp_path, doc))


def test_restrictions_without_counties_key_is_an_error(tmp_path):
    doc = {k: v for k, v in RESTRICTIONS.items() if k != "counties"}
    with pytest.raises(DataError, match="expected an object with keys"):
        read_county_restrictions(write_json(tmp_path, doc))


def test_restrictions_listing_no_county_is_an_error(tmp_path):
    with pytest.raises(DataError, match="lists no county"):
        read_county_restrictions(write_json(tmp_path, edited_restrictions(counties=[])))


def test_county_entry_without_name_is_an_error(tmp_path):
    doc = edited_restrictions(counties=[{"type": "ban", "detail": "x"}])
    with pytest.raises(DataError, match="lacks a 'name' or 'type'"):
        read_county_restrictions(write_json(tmp_path, doc))


def test_source_without_url_is_an_error(tmp_path):
    doc = edited_restrictions(sources=[{"label": "WFYI"}])
    with pytest.raises(DataError, match="'sources' must be a list"):
        read_county_restrictions(write_json(tmp_path, doc))


def test_empty_restrictions_file_is_an_error(tmp_path):
    path = tmp_path / "restrictions.json"
    path.write_text("", encoding="utf-8")
    with pytest.raises(DataError, match="cannot parse as JSON"):
        read_county_restrictions(path)


def test_geojson_is_not_taken_for_a_restrictions_file(tmp_path):
    path = write_geojson(tmp_path, "counties.geojson", COUNTIES)
    with pytest.raises(DataError, match="expected an object with keys"):
        read_county_restrictions(path)


def test_missing_restrictions_file_is_reported(tmp_path):
    with pytest.raises(DataFileNotFound, match="not found"):
        read_county_restrictions(tmp_path / "restrictions.json")


# ---------------------------------------------------------------------------------------------
# joining county names to FIPS
# ---------------------------------------------------------------------------------------------

INDIANA_COUNTIES = pd.DataFrame(
    {
        "fips": ["18017", "18049", "18099", "18141"],
        "name": ["Cass", "Fulton", "Marshall", "St. Joseph"],
    }
)


def test_join_adds_fips_first_and_sorts_by_it(tmp_path):
    out = join_county_names(
        read_county_restrictions(write_json(tmp_path, RESTRICTIONS)), INDIANA_COUNTIES
    )
    assert list(out.columns) == ["fips", "county", "restriction", "detail", "as_of", "source"]
    assert out[["fips", "county"]].values.tolist() == [
        ["18017", "Cass"],
        ["18049", "Fulton"],
        ["18099", "Marshall"],
    ]


def test_join_ignores_case_but_not_spelling(tmp_path):
    table = pd.DataFrame({"county": ["st. joseph"], "restriction": ["ban"]})
    assert join_county_names(table, INDIANA_COUNTIES)["fips"].tolist() == ["18141"]


def test_join_lists_every_unmatched_name():
    table = pd.DataFrame(
        {"county": ["Cass", "Saint Joseph", "Marshal"], "restriction": ["ban"] * 3}
    )
    with pytest.raises(DataError, match=r"\['Saint Joseph', 'Marshal'\] not among the 4 counties"):
        join_county_names(table, INDIANA_COUNTIES)


def test_join_refuses_a_name_of_several_counties():
    counties = pd.DataFrame({"fips": ["18097", "12083"], "name": ["Marion", "Marion"]})
    table = pd.DataFrame({"county": ["Marion"], "restriction": ["ban"]})
    with pytest.raises(DataError, match="match several counties"):
        join_county_names(table, counties)
