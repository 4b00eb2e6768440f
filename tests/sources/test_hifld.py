"""HIFLD transmission lines and substations readers on fixtures in HIFLD's schema."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString, Point

from siting.errors import CRSError, DataError, DataFileNotFound
from siting.sources.hifld import (
    kv_or_unknown,
    lines_from_frame,
    read_lines,
    read_substations,
    substations_from_frame,
)


def hifld_lines(crs="EPSG:4326"):
    """Three lines in the HIFLD Electric Power Transmission Lines schema (all its fields)."""
    return gpd.GeoDataFrame(
        {
            "OBJECTID": [1, 2, 3],
            "ID": ["140801", "140802", "140803"],
            "TYPE": ["AC; OVERHEAD", "AC; OVERHEAD", "DC; OVERHEAD"],
            "STATUS": ["IN SERVICE", "NOT AVAILABLE", "IN SERVICE"],
            "NAICS_CODE": ["221121"] * 3,
            "NAICS_DESC": ["ELECTRIC BULK POWER TRANSMISSION AND CONTROL"] * 3,
            "SOURCE": ["IMAGERY"] * 3,
            "SOURCEDATE": ["2016/05/01"] * 3,
            "VAL_METHOD": ["IMAGERY"] * 3,
            "VAL_DATE": ["2016/05/01"] * 3,
            "OWNER": ["INDIANA MICHIGAN POWER CO", "NOT AVAILABLE", "NOT AVAILABLE"],
            "VOLTAGE": [345.0, -999999.0, 500.0],
            "VOLT_CLASS": ["345", "NOT AVAILABLE", "DC"],
            "INFERRED": ["N", "Y", "N"],
            "SUB_1": ["DUMONT", "NOT AVAILABLE", "TAP127"],
            "SUB_2": ["OLIVE", "NOT AVAILABLE", "TAP128"],
        },
        geometry=[
            LineString([(-86.40, 41.50), (-86.30, 41.50)]),
            LineString([(-86.30, 41.50), (-86.30, 41.60)]),
            LineString([(-86.20, 41.40), (-86.10, 41.40)]),
        ],
        crs="EPSG:4326",
    ).to_crs(crs)


def hifld_substations():
    """Two substations in the HIFLD Electric Substations schema (all its fields)."""
    return gpd.GeoDataFrame(
        {
            "OBJECTID": [1, 2],
            "ID": ["308001", "308002"],
            "NAME": ["DUMONT", "TAP127"],
            "CITY": ["NEW CARLISLE", "NOT AVAILABLE"],
            "STATE": ["IN", "IN"],
            "ZIP": ["46552", "NOT AVAILABLE"],
            "TYPE": ["SUBSTATION", "TAP"],
            "STATUS": ["IN SERVICE", "NOT AVAILABLE"],
            "COUNTY": ["ST. JOSEPH", "LAPORTE"],
            "COUNTYFIPS": ["18141", "18091"],
            "COUNTRY": ["USA", "USA"],
            "LATITUDE": [41.50, 41.40],
            "LONGITUDE": [-86.40, -86.20],
            "NAICS_CODE": ["221121", "221121"],
            "NAICS_DESC": ["ELECTRIC BULK POWER TRANSMISSION AND CONTROL"] * 2,
            "SOURCE": ["IMAGERY", "IMAGERY"],
            "SOURCEDATE": ["2017/01/01", "2017/01/01"],
            "VAL_METHOD": ["IMAGERY", "IMAGERY"],
            "VAL_DATE": ["2017/01/01", "2017/01/01"],
            "LINES": [9, -999999],
            "MAX_VOLT": [765.0, -999999.0],
            "MIN_VOLT": [345.0, -999999.0],
            "MAX_INFER": ["N", "Y"],
            "MIN_INFER": ["N", "Y"],
        },
        geometry=[Point(-86.40, 41.50), Point(-86.20, 41.40)],
        crs="EPSG:4326",
    ).to_crs("EPSG:3857")


# --- lines ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("driver", "name", "crs"),
    [
        ("GeoJSON", "lines.geojson", "EPSG:4326"),
        ("ESRI Shapefile", "lines.shp", "EPSG:3857"),
        ("GPKG", "lines.gpkg", "EPSG:3857"),
    ],
)
def test_hifld_lines_read_in_every_format(tmp_path, driver, name, crs):
    path = tmp_path / name
    hifld_lines(crs).to_file(path, driver=driver, engine="pyogrio")
    lines = read_lines(path)
    assert lines.crs == crs  # native CRS kept
    assert lines["line_id"].tolist() == ["140801", "140802", "140803"]
    assert lines["kv"].iloc[0] == 345.0
    assert np.isnan(lines["kv"].iloc[1])  # -999999 is UNKNOWN, not zero
    assert {"volt_class", "sub_1", "sub_2", "status", "line_type", "owner"} <= set(lines.columns)
    assert "VOLTAGE" not in lines.columns


def test_hifld_lines_wrong_schema_is_one_clear_error(tmp_path):
    path = tmp_path / "lines.geojson"
    hifld_lines().drop(columns=["VOLTAGE", "SUB_2"]).to_file(path, driver="GeoJSON")
    with pytest.raises(
        DataError, match=r"\['VOLTAGE', 'SUB_2'\] missing.*Is this a HIFLD transmission lines"
    ):
        read_lines(path)


def test_hifld_lines_without_crs_is_an_error(tmp_path):
    path = tmp_path / "lines.shp"
    with pytest.warns(UserWarning, match="'crs' was not provided"):
        hifld_lines().set_crs(None, allow_override=True).to_file(path, driver="ESRI Shapefile")
    with pytest.raises(CRSError, match=r"lines\.shp: no CRS"):
        read_lines(path)


def test_hifld_lines_text_voltage_is_an_error(tmp_path):
    path = tmp_path / "lines.geojson"
    bad = hifld_lines()
    bad["VOLTAGE"] = ["345", "high", "500"]
    bad.to_file(path, driver="GeoJSON")
    with pytest.raises(DataError, match=r"'VOLTAGE' holds non-numeric values \['high'\]"):
        read_lines(path)


def test_missing_and_unreadable_files(tmp_path):
    with pytest.raises(DataFileNotFound, match="file not found"):
        read_lines(tmp_path / "nope.geojson")
    with pytest.raises(DataFileNotFound, match="file not found"):
        read_substations(tmp_path / "nope.gpkg")
    junk = tmp_path / "junk.geojson"
    junk.write_text("not json")
    with pytest.raises(DataError, match="cannot read as a vector file"):
        read_lines(junk)
    with pytest.raises(DataError, match="cannot read as a vector file"):
        read_substations(junk)


def test_missing_geopackage_layer_names_the_layers_found(tmp_path):
    path = tmp_path / "grid.gpkg"
    hifld_lines().to_file(path, layer="lines", driver="GPKG")
    with pytest.raises(DataError, match=r"no layer 'substations'; found \['lines'\]"):
        read_substations(f"{path}:substations")


def test_lines_from_a_frame_in_memory_keep_hifld_fields():
    lines = lines_from_frame(hifld_lines(), what="memory")
    assert lines["line_type"].tolist() == ["AC; OVERHEAD", "AC; OVERHEAD", "DC; OVERHEAD"]
    assert lines["sub_1"].iloc[0] == "DUMONT" and lines["owner"].iloc[0].startswith("INDIANA")
    with pytest.raises(DataError, match=r"memory: column\(s\) \['TYPE'\] missing"):
        lines_from_frame(hifld_lines().drop(columns="TYPE"), what="memory")


def test_unknown_voltage_codes_are_nan_never_zero():
    kv = kv_or_unknown(pd.Series([345, -999999, 0, -5, None, "765"]), what="x", column="VOLTAGE")
    assert kv.iloc[0] == 345.0 and kv.iloc[5] == 765.0
    assert kv.iloc[1:5].isna().all()


# --- substations ----------------------------------------------------------------------------------


def test_hifld_substations_read_with_unknown_voltage(tmp_path):
    path = tmp_path / "subs.gpkg"
    hifld_substations().to_file(path, driver="GPKG")
    subs = read_substations(path)
    assert subs.crs == "EPSG:3857"
    assert subs["point_id"].tolist() == ["308001", "308002"]
    assert subs["max_kv"].iloc[0] == 765.0 and subs["min_kv"].iloc[0] == 345.0
    assert np.isnan(subs["max_kv"].iloc[1]) and np.isnan(subs["n_lines"].iloc[1])
    assert subs["n_lines"].iloc[0] == 9
    assert (subs["kind"] == "HIFLD substation").all()


def test_hifld_substations_wrong_schema(tmp_path):
    path = tmp_path / "subs.geojson"
    hifld_substations().drop(columns="LINES").to_file(path, driver="GeoJSON")
    with pytest.raises(DataError, match=r"\['LINES'\] missing.*HIFLD substations"):
        read_substations(path)


def test_hifld_substations_without_crs_is_an_error(tmp_path):
    path = tmp_path / "subs.shp"
    with pytest.warns(UserWarning, match="'crs' was not provided"):
        hifld_substations().set_crs(None, allow_override=True).to_file(path)
    with pytest.raises(CRSError, match=r"subs\.shp: no CRS"):
        read_substations(path)


@pytest.mark.parametrize("column", ["MAX_VOLT", "MIN_VOLT", "LINES"])
def test_hifld_substations_text_numbers_are_an_error(column):
    bad = hifld_substations()
    bad[column] = ["345", "many"]
    with pytest.raises(DataError, match=rf"'{column}' holds non-numeric values \['many'\]"):
        substations_from_frame(bad, what="subs.gpkg")
