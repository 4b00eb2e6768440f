"""FEMA NFHL flood hazard zones reader on fixtures in the S_FLD_HAZ_AR schema."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from siting.errors import CRSError, DataError, DataFileNotFound
from siting.sources.fema_nfhl import annual_chance, read_flood_zones

#: S_FLD_HAZ_AR rows in the NFHL column order (hand-made for Marion County, Indiana, 18097C):
#: one area of each zone family, FEMA's -9999 for "no static BFE".
S_FLD_HAZ_AR = pd.DataFrame(
    {
        "DFIRM_ID": ["18097C"] * 11,
        "VERSION_ID": ["1.1.1.0"] * 11,
        "FLD_AR_ID": [f"18097C_{i}" for i in range(1, 12)],
        "STUDY_TYP": ["NP"] * 11,
        "FLD_ZONE": [
            "AE",
            "AE",
            "X",
            "X",
            "X",
            "A",
            "D",
            "AREA NOT INCLUDED",
            "OPEN WATER",
            "X",
            "ae",
        ],
        "ZONE_SUBTY": [
            "FLOODWAY",
            "",
            "0.2 PCT ANNUAL CHANCE FLOOD HAZARD",
            "AREA OF MINIMAL FLOOD HAZARD",
            "AREA WITH REDUCED FLOOD RISK DUE TO LEVEE",
            None,
            None,
            None,
            None,
            "<Null>",
            " ",
        ],
        "SFHA_TF": ["T", "T", "F", "F", "F", "T", "F", "F", "F", "F", "U"],
        "STATIC_BFE": [700.2, 701.0, -9999, -9999, -9999, -9999, -9999, -9999, -9999, -9999, 702.5],
        "V_DATUM": ["NAVD88", "NAVD88", "", "", "", "", "", "", "", "", "NAVD88"],
        "DEPTH": [-9999.0] * 11,
        "LEN_UNIT": ["Feet", "Feet", "", "", "", "", "", "", "", "", "Feet"],
        "VELOCITY": [-9999.0] * 11,
        "VEL_UNIT": [""] * 11,
        "AR_REVERT": [""] * 11,
        "AR_SUBTRV": [""] * 11,
        "BFE_REVERT": [-9999.0] * 11,
        "DEP_REVERT": [-9999.0] * 11,
        "DUAL_ZONE": [""] * 11,
        "SOURCE_CIT": ["18097C_FIS1"] * 11,
    }
)


def write(tmp_path, table, name="S_FLD_HAZ_AR.geojson", *, crs="EPSG:4269", layer=None):
    path = tmp_path / name
    geometry = [shapely.box(i, 0, i + 1, 1) for i in range(len(table))]
    gdf = gpd.GeoDataFrame(table, geometry=geometry, crs=crs)
    driver = "OpenFileGDB" if name.endswith(".gdb") else None
    gdf.to_file(path, engine="pyogrio", layer=layer, driver=driver)
    return path


def test_zones_are_renamed_with_sfha_flags_and_annual_chance(tmp_path):
    out = read_flood_zones(write(tmp_path, S_FLD_HAZ_AR))
    assert list(out.columns) == [
        "dfirm_id",
        "flood_zone",
        "zone_subtype",
        "in_sfha",
        "annual_chance",
        "geometry",
    ]
    assert out.crs == "EPSG:4269"
    assert out["dfirm_id"].eq("18097C").all()
    assert out["flood_zone"].tolist()[-1] == "AE"  # stripped and upper-cased
    assert out.loc[0, "zone_subtype"] == "FLOODWAY"
    assert out["zone_subtype"].iloc[[1, 5, 9, 10]].isna().all()  # blank, null, '<Null>', ' '
    assert out["in_sfha"].dtype == "boolean"
    assert out["in_sfha"].iloc[:10].tolist() == [True, True] + [False] * 3 + [True] + [False] * 4
    assert out["in_sfha"].isna().tolist() == [False] * 10 + [True]  # 'U': unknown
    assert out["annual_chance"].tolist() == [
        "1%",
        "1%",
        "0.2%",
        "minimal",
        "0.2%",
        "1%",
        "UNKNOWN",
        "UNKNOWN",
        "UNKNOWN",
        "minimal",
        "1%",
    ]


@pytest.mark.parametrize(
    ("zone", "subtype", "chance"),
    [
        ("VE", None, "1%"),
        ("AR/AE", None, "1%"),
        ("A99", None, "1%"),
        ("A7", None, "1%"),
        ("X", "0.2 PCT ANNUAL CHANCE FLOOD HAZARD CONTAINED IN CHANNEL", "0.2%"),
        ("X", "1 PCT DEPTH LESS THAN 1 FOOT", "0.2%"),
        ("X", "1 PCT FUTURE CONDITIONS", "0.2%"),
        ("X", "AREA WITH REDUCED FLOOD RISK DUE TO NON-ACCREDITED LEVEE SYSTEM", "0.2%"),
        ("X", "AREA OF SPECIAL CONSIDERATION", "UNKNOWN"),
        ("X", "11 PCT", "UNKNOWN"),
        ("D", "AREA OF UNDETERMINED FLOOD HAZARD", "UNKNOWN"),
    ],
)
def test_annual_chance_rules(zone, subtype, chance):
    assert annual_chance(pd.Series([zone]), pd.Series([subtype])).tolist() == [chance]


def test_the_gdb_layer_of_flood_hazard_areas_is_chosen(tmp_path):
    path = write(tmp_path, S_FLD_HAZ_AR, "NFHL_18_20240101.gdb", layer="S_FIRM_PAN")
    write(tmp_path, S_FLD_HAZ_AR.iloc[:3], "NFHL_18_20240101.gdb", layer="S_FLD_HAZ_AR")
    assert len(read_flood_zones(path)) == 3
    assert len(read_flood_zones(f"{path}:S_FIRM_PAN")) == 11


def test_zone_outside_the_firm_domain_is_named(tmp_path):
    table = S_FLD_HAZ_AR.assign(FLD_ZONE=["AE", "B", "X", "C", *["X"] * 7])
    with pytest.raises(DataError, match=r"'FLD_ZONE' holds \['B', 'C'\]; expected a FIRM zone"):
        read_flood_zones(write(tmp_path, table))


def test_blank_zone_is_an_error(tmp_path):
    table = S_FLD_HAZ_AR.assign(FLD_ZONE=["AE", "", *["X"] * 9])
    with pytest.raises(DataError, match=r"'FLD_ZONE' holds \['nan'\]"):
        read_flood_zones(write(tmp_path, table))


def test_sfha_flag_other_than_t_f_u_is_an_error(tmp_path):
    table = S_FLD_HAZ_AR.assign(SFHA_TF=["T", "Y", *["F"] * 9])
    with pytest.raises(DataError, match=r"'SFHA_TF' holds \['Y'\]; expected \['T', 'F', 'U'\]"):
        read_flood_zones(write(tmp_path, table))


def test_missing_column_names_the_product(tmp_path):
    table = S_FLD_HAZ_AR.drop(columns="SFHA_TF")
    with pytest.raises(DataError, match=r"\['SFHA_TF'\] missing; found .*S_FLD_HAZ_AR"):
        read_flood_zones(write(tmp_path, table))


def test_missing_file_is_named(tmp_path):
    with pytest.raises(DataFileNotFound, match=r"NFHL_18\.gdb: file not found"):
        read_flood_zones(tmp_path / "NFHL_18.gdb")


@pytest.mark.filterwarnings("ignore:'crs' was not provided")
def test_file_without_crs_is_an_error(tmp_path):
    with pytest.raises(CRSError, match=r"nocrs\.gpkg: no CRS"):
        read_flood_zones(write(tmp_path, S_FLD_HAZ_AR, "nocrs.gpkg", crs=None))
