"""The cheapest adequate connection of every cell, against the per-site interconnection model:
the nearest line end cannot carry the campus, an adequate point lies farther; a campus too large
for any connection gets the worst value."""

from __future__ import annotations

import dataclasses

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import LineString, Point, box

from siting.assessments.base import SiteContext
from siting.assessments.interconnection import assess
from siting.grid import Grid, padded
from siting.models import adequacy
from siting.models.adequacy import NETWORK_UPGRADE, NEW_LINE, adequacy_surface
from siting.models.connection import (
    connection_features,
    fixed_cost_low_usd,
    fixed_cost_range_usd,
    tie_line_cost_low_usd,
    tie_line_cost_range_usd,
)
from siting.models.network import Network, line_ends_at_points
from siting.models.transmission import loadability_mw, route_miles, tie_circuits
from siting.score import suitability
from siting.spec import Transform

KM = 1000.0
X0, Y0 = 700 * KM, 1830 * KM  # inside the two-state fixture's Indiana (MISO) side


def weak_and_strong() -> Network:
    """A 345 kV point 5 km east of the origin where one line ends (cannot give two lines), and
    one 20 km east where three 345 kV lines end (firm 1,800 MW with one out). The lines run
    north from the points, so no loop-in passes near the origin."""
    xw, xs = X0 + 5_500, X0 + 20_500
    y = Y0 + 500
    lines = gpd.GeoDataFrame(
        {"line_id": ["w", "s1", "s2", "s3"], "kv": 345.0, "length_km": 30.0},
        geometry=[
            LineString([(xw, y), (xw, y + 30_000)]),
            LineString([(xs, y), (xs, y + 30_000)]),
            LineString([(xs, y), (xs + 30_000, y + 30_000)]),
            LineString([(xs, y), (xs - 30_000, y + 30_000)]),
        ],
        crs="EPSG:5070",
    )
    points = gpd.GeoDataFrame(
        {"point_id": ["weak", "strong"], "kind": "HIFLD substation", "max_kv": 345.0},
        geometry=[Point(xw, y), Point(xs, y)],
        crs="EPSG:5070",
    )
    ends = line_ends_at_points(points, lines, within_m=300.0)
    return Network(lines=lines, points=points, ends=ends, derived=False)


def expected_cost_usd(distance_km: float, peak_mw: float) -> float:
    """Hand-worked low cost of the strong point at ``distance_km`` (MISO costs)."""
    route = route_miles(distance_km, 1.3)
    circuits = tie_circuits(peak_mw, loadability_mw(345.0, route), 2)
    line, _ = tie_line_cost_range_usd(route, circuits, kv=345.0, region="MISO")
    fixed, _ = fixed_cost_range_usd([False], [345.0], [False], [peak_mw], kv=345.0, region="MISO")
    return float(line + fixed[0])


def surface(peak_mw: float):
    grid = Grid(crs="EPSG:5070", bounds=(X0, Y0, X0 + 4 * KM, Y0 + 2 * KM), resolution_m=KM)
    big, crop = padded(grid, 50 * KM)
    features = connection_features(weak_and_strong(), min_kv=345.0)
    return adequacy_surface(
        features,
        big,
        crop,
        peak_mw=np.full(grid.shape, peak_mw),
        region_of_cell=np.zeros(grid.shape, dtype=int),
        regions=("MISO",),
        kv=345.0,
        n_required=2,
        route_factor=1.3,
        search_radius_km=50.0,
        substation_only_max_km=1.6,
    )


def test_the_cell_prices_the_adequate_point_not_the_nearer_line_end():
    result = surface(1200.0)
    # The south-west cell's centre (X0 + 500, Y0 + 500) is 20 km from the strong point; the
    # weak point is 5 km away but has one line.
    row, col = 1, 0  # rows run north to south: row 1 is the southern row (y centre Y0 + 500)
    assert result.distance_km[row, col] == pytest.approx(20.0)
    assert result.need[row, col] == NEW_LINE
    assert result.cost_usd[row, col] == pytest.approx(expected_cost_usd(20.0, 1200.0), rel=1e-5)
    # three circuits: 1,200 MW on 900 MW circuits with one out
    assert tie_circuits(1200.0, loadability_mw(345.0, route_miles(20.0, 1.3)), 2) == 3


def test_a_campus_no_connection_can_carry_gets_the_worst_grid_suitability():
    result = surface(5000.0)
    assert np.isinf(result.cost_usd).all()
    assert (result.need == NETWORK_UPGRADE).all()
    assert np.isnan(result.distance_km).all()  # nothing in the network is adequate
    suit = suitability(result.cost_usd, Transform(kind="linear", best=20.0, worst=400.0))
    assert (suit == 0.0).all()


def context(inputs):
    return SiteContext(inputs=inputs, indicators={}, labels=np.zeros((1, 1)))


@pytest.mark.parametrize("peak_mw", [1200.0, 5000.0])
def test_the_site_assessment_agrees_with_the_cell(two_state_inputs, peak_mw):
    inputs = dataclasses.replace(two_state_inputs, network=weak_and_strong())
    sites = gpd.GeoDataFrame(
        {"peak_demand_mw": [peak_mw]}, geometry=[box(X0, Y0, X0 + KM, Y0 + KM)], crs="EPSG:5070"
    )
    row = assess(sites, context(inputs)).columns.iloc[0]
    if peak_mw == 1200.0:
        assert row["connection_id"] == "strong" and bool(row["connection_adequate"])
        assert row["connection_need"] == "new line"
        # from the site's edge, 19.5 km; the cell centre is 20 km away
        assert row["connection_distance_km"] == pytest.approx(19.5)
        # the site's figure is in 2024 US$: the fixture's CPI-U 2024 / 2019
        assert row["interconnect_cost_musd_low"] * 1e6 == pytest.approx(
            expected_cost_usd(19.5, 1200.0) * 313.689 / 255.657, rel=1e-6
        )
        assert "cheapest adequate connection: strong" in row["connection_reason"]
    else:
        assert not bool(row["connection_adequate"])
        assert row["connection_need"] == "new line plus network upgrades"
        assert "none adequate within 50 km" in row["connection_reason"]
        # no price for a connection that cannot carry the campus
        assert np.isnan(row["interconnect_cost_musd_low"])
        assert np.isnan(row["interconnect_cost_musd_high"])
        assert not row["adequate_at_low_rating"] and not row["adequate_at_high_rating"]


def test_adequacy_at_the_high_rating_is_reported_when_it_decides(two_state_inputs):
    # 1,900 MW: the strong point's firm 1,800 MW (900 MVA circuits) falls short; at the high
    # rating (1,800 MVA, limited by stability on 30 km lines to 420 × 3.0 = 1,260 MW) its firm
    # is 2 × 1,260 = 2,520 MW.
    assert loadability_mw(345.0, 30.0 / 1.609344, {345: 1800.0}) == pytest.approx(1260.0)
    inputs = dataclasses.replace(two_state_inputs, network=weak_and_strong())
    sites = gpd.GeoDataFrame(
        {"peak_demand_mw": [1900.0]}, geometry=[box(X0, Y0, X0 + KM, Y0 + KM)], crs="EPSG:5070"
    )
    row = assess(sites, context(inputs)).columns.iloc[0]
    assert not row["adequate_at_low_rating"] and row["adequate_at_high_rating"]
    assert row["adequacy_hinges_on_rating"]
    assert not bool(row["connection_adequate"])  # the spec scores at the low rating


def test_the_low_ends_are_the_low_ends_of_the_ranges_bit_for_bit():
    rng = np.random.default_rng(9)
    n = 40
    loop_in = rng.random(n) < 0.5
    lowest_kv = rng.choice([138.0, 230.0, 345.0, 765.0, np.nan], size=n)
    transform = rng.random(n) < 0.5
    peak = rng.uniform(100.0, 6000.0, size=n)
    circuits = rng.choice([2.0, 3.0, 5.0, 9.0, np.nan], size=n)
    route = rng.uniform(0.0, 40.0, size=n)
    for region in ("MISO", "SCE"):
        args = (loop_in, lowest_kv, transform, peak)
        low, _ = fixed_cost_range_usd(*args, kv=345.0, region=region, circuits=circuits)
        got = fixed_cost_low_usd(*args, kv=345.0, region=region, circuits=circuits)
        assert got.tobytes() == low.tobytes()
        low, _ = tie_line_cost_range_usd(route, circuits, kv=345.0, region=region)
        got = tie_line_cost_low_usd(route, circuits, kv=345.0, region=region)
        assert got.tobytes() == low.tobytes()


@pytest.mark.parametrize("block_cells", [1, 7, 1 << 17])
def test_every_cell_is_priced_as_the_site_model_prices_it_whatever_the_blocks(
    monkeypatch, block_cells
):
    # one adequate connection (the strong point), two cost regions and an unknown one, peaks
    # that differ by cell and some unknown; priced block by block (one row, part rows, all)
    monkeypatch.setattr(adequacy, "BLOCK_CELLS", block_cells)
    grid = Grid(crs="EPSG:5070", bounds=(X0, Y0, X0 + 6 * KM, Y0 + 5 * KM), resolution_m=KM)
    big, crop = padded(grid, 50 * KM)
    rng = np.random.default_rng(2)
    peak = rng.uniform(950.0, 1790.0, size=grid.shape)  # above a loop-in's firm 900 MW
    peak[0, 1] = peak[3, 4] = np.nan
    regions = ("MISO", "SCE")
    region_of_cell = rng.integers(-1, 2, size=grid.shape)
    result = adequacy_surface(
        connection_features(weak_and_strong(), min_kv=345.0),
        big,
        crop,
        peak_mw=peak,
        region_of_cell=region_of_cell,
        regions=regions,
        kv=345.0,
        n_required=2,
        route_factor=1.3,
        search_radius_km=50.0,
        substation_only_max_km=1.6,
    )
    for (row, col), distance in np.ndenumerate(result.distance_km):
        code, mw = region_of_cell[row, col], peak[row, col]
        if np.isnan(mw):
            assert np.isnan(result.cost_usd[row, col]) and np.isnan(result.need[row, col])
            assert np.isnan(distance)
            continue
        assert result.need[row, col] == NEW_LINE
        if code < 0:
            assert np.isnan(result.cost_usd[row, col])
            continue
        route = route_miles(float(distance), 1.3)
        circuits = tie_circuits(mw, loadability_mw(345.0, route), 2)
        line, _ = tie_line_cost_range_usd(route, circuits, kv=345.0, region=regions[code])
        fixed, _ = fixed_cost_range_usd(
            [False], [345.0], [False], [mw], kv=345.0, region=regions[code], circuits=circuits
        )
        assert result.cost_usd[row, col] == np.float32(line + fixed[0])
