"""Our schema of lines and connection points: ids, unknown voltages, empty geometries, errors."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import LineString, Point

from siting.errors import CRSError, DataError
from siting.sources.transmission_schema import standard_lines, standard_points


def lines(**columns):
    geometry = [LineString([(0, 0), (1, 1)]), LineString([(1, 1), (2, 2)]), None]
    return gpd.GeoDataFrame(columns, geometry=geometry, crs="EPSG:5070")


def points(**columns):
    return gpd.GeoDataFrame(columns, geometry=[Point(0, 0), Point(1, 1)], crs="EPSG:5070")


def test_lines_get_ids_in_file_order_and_unknown_kv_as_nan():
    out = standard_lines(lines(kv=[345.0, -999999.0, 138.0]), what="test")
    assert out["line_id"].tolist() == ["L00000", "L00001"]  # the line without geometry dropped
    assert out["kv"].iloc[0] == 345.0 and np.isnan(out["kv"].iloc[1])
    assert out.crs == "EPSG:5070"


def test_lines_keep_their_own_ids_as_text():
    out = standard_lines(lines(kv=[345.0, 138.0, 138.0], line_id=[7, 8, 9]), what="test")
    assert out["line_id"].tolist() == ["7", "8"]


def test_lines_layer_in_an_unknown_schema():
    with pytest.raises(DataError, match=r"lines\.gpkg: column\(s\) \['kv'\] missing"):
        standard_lines(lines(volts=[345.0, 138.0, 138.0]), what="lines.gpkg")


def test_lines_without_crs_is_an_error():
    with pytest.raises(CRSError, match=r"lines\.gpkg: no CRS"):
        standard_lines(
            lines(kv=[1.0, 2.0, 3.0]).set_crs(None, allow_override=True), what="lines.gpkg"
        )


def test_lines_with_text_voltage_is_an_error():
    with pytest.raises(DataError, match=r"'kv' holds non-numeric values \['high'\]"):
        standard_lines(lines(kv=["345", "high", "138"]), what="lines.gpkg")


def test_points_get_ids_kind_and_unknowns():
    out = standard_points(points(max_kv=[765.0, 0.0], n_lines=[4, -999999]), what="test")
    assert out["point_id"].tolist() == ["S00000", "S00001"]
    assert (out["kind"] == "substation").all()
    assert out["max_kv"].iloc[0] == 765.0 and np.isnan(out["max_kv"].iloc[1])
    assert out["n_lines"].iloc[0] == 4 and np.isnan(out["n_lines"].iloc[1])


def test_points_keep_their_ids_and_kind():
    frame = points(point_id=[1, 2], max_kv=[345.0, 138.0], kind=["HIFLD substation"] * 2)
    out = standard_points(frame, what="test")
    assert out["point_id"].tolist() == ["1", "2"]
    assert (out["kind"] == "HIFLD substation").all()


def test_points_without_voltage_or_crs_are_errors():
    with pytest.raises(DataError, match=r"subs\.gpkg: column\(s\) \['max_kv'\] missing"):
        standard_points(points(kv=[345.0, 138.0]), what="subs.gpkg")
    with pytest.raises(CRSError, match=r"subs\.gpkg: no CRS"):
        standard_points(
            points(max_kv=[345.0, 138.0]).set_crs(None, allow_override=True), what="subs.gpkg"
        )
