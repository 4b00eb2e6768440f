"""Exclusion rules on the grid: invariants you can check by hand, and every missing-data policy."""

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import LineString, Point, box

from siting.errors import SpecError
from siting.exclude import RuleData, apply_exclusions, small_patches
from siting.grid import Grid, distance_km, rasterize_mask
from siting.rules import ExclusionRule


@pytest.fixture
def quarter(grid10):
    """The south-west quarter of the grid as a polygon layer."""
    return gpd.GeoDataFrame(geometry=[box(0, 0, 5000, 5000)], crs="EPSG:5070")


def run(rules, grid, study=None, **data):
    study = np.ones(grid.shape, bool) if study is None else study
    return apply_exclusions(tuple(rules), grid, study_area=study, data=RuleData(**data))


def feature(name, layer=None, **kw):
    return ExclusionRule(name=name, kind="features", layer=layer or name, **kw)


def indicator(grid, values, name="v", units="-"):
    return {name: grid.template(np.asarray(values, np.float32), name=name, units=units)}


def test_exclude_a_quarter_three_quarters_remain(grid10, quarter):
    out = run([feature("q", "quarter")], grid10, features={"quarter": quarter})
    assert out.excluded.sum() == 25
    assert out.excluded[5:, :5].all()
    row = out.ledger.set_index("rule").loc["q"]
    assert row["area_km2"] == 25.0 and row["share_of_study_area"] == 0.25
    assert out.ledger.set_index("rule").loc["all rules", "area_km2"] == 25.0


def test_buffer_grows_the_exclusion_by_a_circle(grid10):
    point = gpd.GeoDataFrame(geometry=[Point(4500, 5500)], crs="EPSG:5070")
    out = run([feature("p", buffer_m=1000.0)], grid10, features={"p": point})
    assert out.excluded.sum() == 5  # the cell and its four edge neighbours at 1 km


def test_a_buffer_around_a_point_covers_pi_r_squared_within_a_cell():
    grid = Grid(crs="EPSG:5070", bounds=(0.0, 0.0, 20_000.0, 20_000.0), resolution_m=100.0)
    point = gpd.GeoDataFrame(geometry=[Point(10_050, 10_050)], crs="EPSG:5070")
    r = 3000.0
    out = run([feature("p", buffer_m=r)], grid, features={"p": point})
    area_m2 = out.excluded.sum() * 100.0 * 100.0
    # cell centres within r of the marked cell's centre: π r² within one cell's worth of rim
    assert abs(area_m2 - math.pi * r**2) <= 2 * math.pi * r * 100.0


@pytest.mark.parametrize("resolution_m", [100.0, 30.0])
@pytest.mark.parametrize(
    "cells", [0.7, 1.0, math.sqrt(2.0), 2.0, math.sqrt(5.0), 2.9999999, 3.05, 4.0, 4.5]
)
def test_a_buffer_marks_the_cells_a_distance_threshold_marks(resolution_m, cells):
    # lattice distances (1, √2, 2, √5, 4 cells) sit exactly on the buffer's edge, and 3 cells
    # rounds onto a buffer just short of it; up to four cells the buffer is a dilation, beyond
    # a distance transform
    grid = Grid(
        crs="EPSG:5070",
        bounds=(0.0, 0.0, 60 * resolution_m, 40 * resolution_m),
        resolution_m=resolution_m,
    )
    rng = np.random.default_rng(4)
    xy = rng.random((25, 2)) * [grid.bounds[2], grid.bounds[3]]
    points = gpd.GeoDataFrame(geometry=[Point(x, y) for x, y in xy], crs="EPSG:5070")
    points = pd.concat([points, gpd.GeoDataFrame(geometry=[Point(1.0, 1.0)], crs="EPSG:5070")])
    buffer_m = cells * resolution_m
    out = run([feature("p", buffer_m=buffer_m)], grid, features={"p": points})
    mask = rasterize_mask(points, grid, what="points", all_touched=True)
    reference = mask | (distance_km(mask, grid) * np.float32(1000.0) <= np.float32(buffer_m))
    np.testing.assert_array_equal(out.masks["p"], reference)


def test_indicator_tests_above_below_between_values(grid10):
    values = np.tile(np.arange(10, dtype=np.float32), (10, 1))  # column c has value c
    cases = {
        "above": (dict(above=7.0), {8, 9}),
        "below": (dict(below=2.0), {0, 1}),
        "between": (dict(between=(3.0, 4.0)), {3, 4}),
        "values": (dict(values=(5.0, 9.0)), {5, 9}),
    }
    for name, (test, columns) in cases.items():
        rule = ExclusionRule(name=name, kind="indicator", indicator="v", **test)
        out = run([rule], grid10, indicators=indicator(grid10, values))
        assert set(np.flatnonzero(out.excluded[0])) == columns, name


@pytest.mark.parametrize(
    ("missing", "excluded_rows", "flagged"),
    [("exclude", {0, 1}, False), ("keep", {0}, False), ("flag", {0}, True)],
)
def test_missing_data_follows_the_rules_policy(grid10, missing, excluded_rows, flagged):
    values = np.zeros(grid10.shape, np.float32)
    values[0, :] = 900.0
    values[1, :] = np.nan
    rule = ExclusionRule(
        name="dense", kind="indicator", indicator="v", above=400.0, missing=missing
    )
    out = run([rule], grid10, indicators=indicator(grid10, values))
    assert {r for r in range(10) if out.excluded[r].all()} == excluded_rows
    assert ("dense: UNKNOWN" in out.flags) == flagged
    assert out.ledger.set_index("rule").loc["dense", "unknown_km2"] == 10.0


def test_a_rule_on_an_all_unknown_layer_excludes_everything_by_default(grid10):
    rule = ExclusionRule(name="all", kind="indicator", indicator="v", above=0.0)
    out = run([rule], grid10, indicators=indicator(grid10, np.full(grid10.shape, np.nan)))
    assert out.excluded.all(), "missing data is never a pass"


def test_overlapping_rules_ledger_adds_up(grid10, quarter):
    half = gpd.GeoDataFrame(geometry=[box(0, 0, 10_000, 5000)], crs="EPSG:5070")
    rules = [feature("q", "quarter"), feature("h", "half")]
    out = run(rules, grid10, features={"quarter": quarter, "half": half})
    by = out.ledger.set_index("rule")
    assert out.excluded.sum() == 50
    assert by.loc["q", "only_this_rule_km2"] == 0.0
    assert by.loc["h", "only_this_rule_km2"] == 25.0
    assert (by.loc["q", "in_sequence_km2"], by.loc["h", "in_sequence_km2"]) == (25.0, 25.0)
    assert by.loc[["q", "h"], "in_sequence_km2"].sum() == by.loc["all rules", "area_km2"] == 50.0


def test_forced_inclusion_wins(grid10, quarter):
    corner = gpd.GeoDataFrame(geometry=[box(0, 0, 2000, 2000)], crs="EPSG:5070")
    rules = [feature("q", "quarter"), feature("keep", "corner", mode="include", missing="keep")]
    out = run(rules, grid10, features={"quarter": quarter, "corner": corner})
    assert out.excluded.sum() == 21
    assert not out.excluded[8:, :2].any()


def test_forced_inclusion_never_includes_missing_data(grid10, quarter):
    values = np.full(grid10.shape, np.nan, np.float32)
    rules = [
        ExclusionRule(name="v", kind="indicator", indicator="v", above=1.0),
        feature("keep", "quarter", mode="include", missing="keep"),
    ]
    out = run(rules, grid10, features={"quarter": quarter}, indicators=indicator(grid10, values))
    assert out.excluded.all()


def test_penalty_and_flag_rules_keep_the_land(grid10, quarter):
    rules = [
        feature("slow", "quarter", mode="penalise", penalty=0.4),
        feature("check", "quarter", mode="flag"),
    ]
    out = run(rules, grid10, features={"quarter": quarter})
    assert not out.excluded.any()
    assert (out.score_factor[5:, :5] == np.float32(0.6)).all()
    assert (out.score_factor[:5, :] == 1.0).all()
    assert out.flags["check"].sum() == 25


def test_patches_smaller_than_the_campus_are_removed(grid10):
    rules = [ExclusionRule(name="small", kind="min_area")]
    study = np.zeros(grid10.shape, bool)
    study[0:3, 0:3] = True  # 9 km²
    study[6:8, 6:8] = True  # 4 km²
    out = run(rules, grid10, study=study, campus_area_km2=5.0)
    assert (~out.excluded).sum() == 9
    assert out.ledger.set_index("rule").loc["small", "area_km2"] == 4.0


def test_small_patches_are_4_connected():
    grid = Grid(crs="EPSG:5070", bounds=(0, 0, 3000, 3000), resolution_m=1000.0)
    diagonal = np.eye(3, dtype=bool)
    assert small_patches(diagonal, grid, min_area_km2=2.0).sum() == 3


def test_a_buffer_set_by_county(grid10):
    """A county setback ordinance overrides the default buffer in its county only."""
    points = gpd.GeoDataFrame(geometry=[Point(1500, 5500), Point(8500, 5500)], crs="EPSG:5070")
    cells = np.zeros(grid10.shape, np.int64)
    cells[:, 5:] = 1  # west: county 0 (18001), east: county 1 (18003)
    out = run(
        [feature("homes", buffer_m=0.0)],
        grid10,
        features={"homes": points},
        county_cells=cells,
        county_fips=("18001", "18003"),
        buffers_by_county={"homes": pd.Series({"18003": 1000.0})},
    )
    assert out.excluded[:, :5].sum() == 1  # no setback in the west
    assert out.excluded[:, 5:].sum() == 5  # a 1 km setback in the east


def test_the_right_of_way_widens_with_voltage():
    grid = Grid(crs="EPSG:5070", bounds=(0, 0, 2000, 2000), resolution_m=10.0)
    lines = gpd.GeoDataFrame(
        {"kv": [138.0, 345.0, np.nan]},
        geometry=[
            LineString([(0, 305), (2000, 305)]),
            LineString([(0, 1005), (2000, 1005)]),
            LineString([(0, 1705), (2000, 1705)]),
        ],
        crs="EPSG:5070",
    )
    rule = ExclusionRule(
        name="row", kind="corridor", widths_m=((100.0, 30.0), (345.0, 50.0), (500.0, 70.0))
    )
    out = run([rule], grid, lines=lines)
    rows = np.flatnonzero(out.excluded.all(axis=1)[::-1])  # rows from the south, 10 m each
    centres_m = rows * 10 + 5
    # every row whose centre lies within half the width of the line's class of the line
    assert centres_m[centres_m < 600].tolist() == [295, 305, 315]  # 138 kV: 30 m wide
    assert centres_m[(centres_m > 600) & (centres_m < 1400)].tolist() == list(range(985, 1026, 10))
    assert len(centres_m[centres_m > 1400]) == 7  # unknown voltage: the widest class, 70 m
    assert out.excluded.sum() == 200 * (3 + 5 + 7)
    assert out.ledger.set_index("rule").loc["row", "area_km2"] == pytest.approx(
        out.excluded.sum() * 1e-4
    )


def test_features_rule_filters_on_an_attribute(grid10):
    parks = gpd.GeoDataFrame(
        {"GAP_Sts": [1, 4]}, geometry=[box(0, 0, 3000, 3000), box(5000, 5000, 8000, 8000)], crs=5070
    )
    rule = ExclusionRule(
        name="gap", kind="features", layer="padus", column="GAP_Sts", values=(1, 2)
    )
    out = run([rule], grid10, features={"padus": parks})
    assert out.excluded.sum() == 9 and out.excluded[7:, :3].all()


def test_outside_the_study_area_is_always_excluded(grid10):
    study = np.zeros(grid10.shape, bool)
    study[:, :5] = True
    out = run([], grid10, study=study)
    assert out.excluded[:, 5:].all() and not out.excluded[:, :5].any()
    assert "study area 50.0 km²" in out.ledger.iloc[-1]["detail"]


def test_unknown_layer_and_indicator_are_spec_errors(grid10):
    with pytest.raises(SpecError, match="no layer 'wetlands'"):
        run([feature("w", "wetlands")], grid10)
    rule = ExclusionRule(name="x", kind="indicator", indicator="nope", above=1.0)
    with pytest.raises(SpecError, match="no indicator 'nope'"):
        run([rule], grid10)


@settings(max_examples=40, deadline=None)
@given(
    x0=st.integers(0, 9),
    y0=st.integers(0, 9),
    size=st.integers(1, 6),
    buffer_km=st.integers(0, 3),
)
def test_adding_a_rule_never_grows_the_eligible_area(x0, y0, size, buffer_km):
    grid = Grid(crs="EPSG:5070", bounds=(0.0, 0.0, 10_000.0, 10_000.0), resolution_m=1000.0)
    base = gpd.GeoDataFrame(geometry=[box(0, 0, 4000, 4000)], crs="EPSG:5070")
    extra = gpd.GeoDataFrame(
        geometry=[box(x0 * 1000, y0 * 1000, (x0 + size) * 1000, (y0 + size) * 1000)],
        crs="EPSG:5070",
    )
    features = {"base": base, "extra": extra}
    one = run([feature("base")], grid, features=features)
    two = run(
        [feature("base"), feature("extra", buffer_m=buffer_km * 1000.0)], grid, features=features
    )
    assert (~two.excluded).sum() <= (~one.excluded).sum()
    assert not (~two.excluded & one.excluded).any()
