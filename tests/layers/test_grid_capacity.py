"""Grid capacity layer: per-cell distances to lines and connection points by voltage class."""

from __future__ import annotations

import dataclasses
import math

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import LineString, Point

from layers.grid_capacity import INDICATORS, derive, max_kv_raster
from siting.grid import distance_km
from siting.models.network import VOLTAGE_CLASSES_KV, build_network
from siting.sources.hifld import substations_from_frame
from siting.sources.transmission_schema import standard_lines, standard_points


def inputs_with(base, grid, lines, substations=None):
    """``base`` run inputs on ``grid`` with the network of ``lines`` (our schema, EPSG:5070)."""
    lines = standard_lines(lines, what="test lines")
    if substations is not None:
        substations = standard_points(substations, what="test substations")
    network = build_network(lines, substations, crs=grid.crs)
    return dataclasses.replace(base, grid=grid, network=network)


def test_distance_to_a_line_by_hand(two_state_inputs, grid10):
    # a 345 kV line down the middle of column 5 (x = 5,500 m): distance = |column - 5| km
    lines = gpd.GeoDataFrame(
        {"kv": [345.0, 138.0]},
        geometry=[LineString([(5500, 0), (5500, 10_000)]), LineString([(0, 500), (10_000, 500)])],
        crs="EPSG:5070",
    )
    inputs = inputs_with(two_state_inputs, grid10, lines)
    assert inputs.spec.interconnection_voltage_kv == 345.0
    out = derive(inputs, {})
    expected = np.abs(np.arange(10) - 5.0)[None, :].repeat(10, axis=0)
    np.testing.assert_allclose(out["line_distance_km"].to_numpy(), expected, atol=1e-6)
    # lines at or above 100 kV include the 138 kV line along the bottom row
    assert out["line_distance_ge100kv_km"].to_numpy()[9, 0] == 0.0
    # the 345 kV line's ends are connection points at (5500, 0) and (5500, 10000)
    assert out["substation_distance_km"].to_numpy()[0, 5] == 0.0


def test_distances_by_voltage_class(two_state_inputs, grid10):
    # 765 kV along column 1, 230 kV along column 8: the 345/500/735 classes see only the first
    lines = gpd.GeoDataFrame(
        {"kv": [765.0, 230.0]},
        geometry=[LineString([(1500, 0), (1500, 10_000)]), LineString([(8500, 0), (8500, 10_000)])],
        crs="EPSG:5070",
    )
    out = derive(inputs_with(two_state_inputs, grid10, lines), {})
    columns = np.arange(10.0)
    to_765 = np.abs(columns - 1.0)
    nearest = np.minimum(to_765, np.abs(columns - 8.0))
    for kv in VOLTAGE_CLASSES_KV:
        expected = nearest if kv <= 220 else to_765
        np.testing.assert_allclose(out[f"line_distance_ge{kv}kv_km"].to_numpy()[4], expected)
        assert out[f"line_distance_ge{kv}kv_km"].attrs["min_kv"] == f"{kv:g}"
    assert {f"substation_distance_ge{kv}kv_km" for kv in VOLTAGE_CLASSES_KV} <= set(out)
    assert set(out) == {s.name for s in INDICATORS}
    assert all(out[name].attrs["units"] == "km" and out[name].name == name for name in out)


def test_no_line_at_the_required_voltage_is_unknown(two_state_inputs, grid10):
    lines = gpd.GeoDataFrame(
        {"kv": [138.0, -999999.0]},
        geometry=[LineString([(500, 0), (500, 10_000)]), LineString([(0, 500), (9_000, 500)])],
        crs="EPSG:5070",
    )
    out = derive(inputs_with(two_state_inputs, grid10, lines), {})
    assert np.isnan(out["line_distance_km"].to_numpy()).all()
    assert np.isnan(out["substation_distance_km"].to_numpy()).all()
    assert np.isfinite(out["line_distance_ge100kv_km"].to_numpy()).all()


def test_official_substations_in_hifld_schema_replace_derived_points(two_state_inputs, grid10):
    lines = gpd.GeoDataFrame(
        {"kv": [345.0]}, geometry=[LineString([(500, 500), (500, 9_500)])], crs="EPSG:5070"
    )
    subs = gpd.GeoDataFrame(
        {"ID": ["1"], "MAX_VOLT": [345.0], "MIN_VOLT": [138.0], "LINES": [1], "STATUS": ["X"]},
        geometry=[Point(9_500, 9_500)],
        crs="EPSG:5070",
    )
    subs = substations_from_frame(subs, what="test substations")
    inputs = inputs_with(two_state_inputs, grid10, lines, subs)
    assert not inputs.network.derived and inputs.network.points["point_id"].tolist() == ["1"]
    out = derive(inputs, {})
    assert out["substation_distance_km"].to_numpy()[0, 9] == 0.0
    assert out["substation_distance_km"].to_numpy()[0, 0] == pytest.approx(9.0)
    assert out["substation_distance_km"].attrs["connection_points"] == "bundle substations layer"


def test_cell_distances_agree_with_geopandas(indiana_inputs):
    """Per cell: within half a cell diagonal of geopandas' exact distance from the cell centre."""
    grid, network = indiana_inputs.grid, indiana_inputs.network
    assert grid.resolution_m == 250.0
    out = derive(indiana_inputs, {})
    rng = np.random.default_rng(42)
    rows = rng.integers(0, grid.shape[0], 3000)
    cols = rng.integers(0, grid.shape[1], 3000)
    centres = gpd.GeoSeries(gpd.points_from_xy(grid.x[cols], grid.y[rows]), crs=grid.crs)
    tolerance_km = grid.resolution_m / math.sqrt(2) / 1000 + 1e-3
    kv = indiana_inputs.spec.interconnection_voltage_kv
    for name, features in (
        ("line_distance_km", network.lines[network.lines["kv"] >= kv]),
        ("substation_distance_km", network.points[network.points["max_kv"] >= kv]),
        ("line_distance_ge735kv_km", network.lines[network.lines["kv"] >= 735]),
    ):
        exact_km = centres.distance(features.geometry.union_all()).to_numpy() / 1000
        ours = out[name].to_numpy()[rows, cols]
        assert np.abs(ours - exact_km).max() <= tolerance_km, name
    assert out["substation_distance_km"].attrs["connection_points"] == "derived from line geometry"


def test_max_kv_raster_keeps_the_highest_voltage(grid10):
    lines = gpd.GeoDataFrame(
        {"kv": [765.0, 138.0, np.nan]},
        geometry=[LineString([(500, 0), (500, 10_000)])] * 3,
        crs="EPSG:5070",
    )
    raster = max_kv_raster(lines, "kv", grid10, what="test")
    assert np.nanmax(raster) == 765.0 and np.isfinite(raster[:, 0]).all()
    assert distance_km(raster >= 765.0, grid10)[0, 3] == pytest.approx(3.0)


def test_indicator_units_and_site_statistics():
    names = {s.name for s in INDICATORS}
    assert {"line_distance_km", "substation_distance_km", "line_distance_ge735kv_km"} <= names
    assert all(s.site_stat == "min" and s.units == "km" for s in INDICATORS)
    scored = [s.name for s in INDICATORS if s.direction != "context"]
    assert scored == ["line_distance_km", "substation_distance_km"]
