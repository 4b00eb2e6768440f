"""The interconnection-queue layer: each cell's county and need by hand, the queue at nearby
connection points by hand, the Indiana bundle, and the two-state fixture (each state's counties
take their own state's requests)."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point

from layers import grid_capacity
from layers.interconnection_queue import INDICATORS, cell_p50_months, derive, nearby_mw
from siting.errors import DataError
from siting.grid import Grid
from siting.models.poi import connection_congestion
from siting.spec import load_spec

SCHEMAS = {s.name: s for s in INDICATORS}


def county_table(p50: dict[tuple[str, int], float]) -> pd.DataFrame:
    index = pd.MultiIndex.from_tuples(list(p50), names=["fips", "need"])
    return pd.DataFrame({"p50_months": list(p50.values())}, index=index)


def test_cell_p50_picks_the_county_and_the_need_of_each_cell():
    table = county_table(
        {
            ("A", 0): 50.0,
            ("A", 1): 80.0,
            ("A", 2): 100.0,
            ("B", 0): 60.0,
            ("B", 1): 90.0,
            ("B", 2): 110.0,
        }
    )
    county = np.array([[0, 0, 1], [1, -1, 0]])
    need = np.array([[0.0, 1.0, 2.0], [1.0, 1.0, np.nan]], dtype=np.float32)
    out = cell_p50_months(table, county, pd.Series(["A", "B"]), need)
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, [[50.0, 80.0, 110.0], [90.0, np.nan, np.nan]])


def test_cell_p50_rejects_a_need_that_is_not_a_class():
    table = county_table({("A", 0): 50.0, ("A", 1): 80.0, ("A", 2): 100.0})
    with pytest.raises(DataError, match=r"need classes must be \[0, 1, 2\] or NaN, got \[0.5\]"):
        cell_p50_months(table, np.array([[0]]), pd.Series(["A"]), np.array([[0.5]]))


def test_nearby_mw_sums_the_points_within_the_radius_by_hand(grid10):
    """Two points on a 10 × 10 km grid of 1 km cells, radius 3 km: each cell holds the MW of
    the points whose cell centre lies within 3 km of its own centre."""
    points = gpd.GeoDataFrame(
        {"mw": [100.0, 50.0]},
        geometry=[Point(2_400, 7_600), Point(6_500, 4_500)],  # cells (row 2, col 2), (5, 6)
        crs="EPSG:5070",
    )
    out = nearby_mw(points, "mw", grid10, radius_km=3.0)
    assert out.dtype == np.float32
    rows, cols = np.mgrid[0:10, 0:10]
    near_a = np.hypot(rows - 2, cols - 2) <= 3.0
    near_b = np.hypot(rows - 5, cols - 6) <= 3.0
    np.testing.assert_array_equal(out, 100.0 * near_a + 50.0 * near_b)
    assert out[2, 5] == 100.0 and out[5, 3] == 50.0  # 3 cells away: on the circle
    assert out[4, 4] == 150.0 and out[9, 9] == 0.0


def test_nearby_mw_counts_points_beyond_the_grids_edge(grid10):
    """A point 2 km outside the grid still reaches the cells within 3 km of it."""
    points = gpd.GeoDataFrame({"mw": [70.0]}, geometry=[Point(-1_500, 500)], crs="EPSG:5070")
    out = nearby_mw(points, "mw", grid10, radius_km=3.0)
    # the point's cell centre is at (-1.5, 0.5) km; cell centres at x = 0.5 and 1.5 km of the
    # bottom rows lie within 3 km of it
    assert out[9, 0] == 70.0 and out[9, 1] == 70.0 and out[9, 2] == 0.0
    assert out[:6].sum() == 0.0


def test_queue_in_the_county_is_context_and_the_queue_at_nearby_points_is_scored():
    county, poi = SCHEMAS["queue_active_mw_county"], SCHEMAS["queue_active_mw_poi_nearby"]
    assert county.direction == "context" and "not a burden" in county.description
    assert poi.direction == "lower_better" and poi.tag == "proxy"
    assert "lower bound" in poi.description
    weights = load_spec().weights
    assert "queue_active_mw_county" not in weights
    assert weights["queue_active_mw_poi_nearby"] > 0
    assert SCHEMAS["time_to_power_p50_months"].site_stat == "min"
    assert "Higher is worse" in SCHEMAS["time_to_power_p50_months"].description


# ------------------------------------------------------------------------------------------
# the Indiana bundle and the two-state fixture, with synthetic need classes upstream
# ------------------------------------------------------------------------------------------


def need_bands(grid) -> np.ndarray:
    """Need class 0, 1 and 2 in three horizontal bands of the grid (a synthetic upstream)."""
    rows = np.arange(grid.shape[0])[:, None] * np.ones(grid.shape[1])
    return np.floor(3 * rows / grid.shape[0]).astype(np.float32)


def layer_outputs(inputs, need: np.ndarray):
    upstream = {"connection_need_class": inputs.grid.template(need, name="need", units="class")}
    return derive(inputs, upstream)


@pytest.fixture(scope="module")
def indiana(indiana_inputs):
    need = need_bands(indiana_inputs.grid)
    return layer_outputs(indiana_inputs, need), need


def test_time_to_power_indicator_grows_with_the_need_class(indiana, indiana_inputs):
    out, need = indiana
    p50 = out["time_to_power_p50_months"].to_numpy()
    assert p50.shape == indiana_inputs.grid.shape
    ok = np.isfinite(p50)
    assert ok.mean() > 0.5
    # in Indiana every county's P50 for a bigger need exceeds every county's for a smaller one
    assert p50[ok & (need == 2)].min() > p50[ok & (need == 1)].max()
    assert p50[ok & (need == 1)].min() > p50[ok & (need == 0)].max()
    assert np.nanmin(p50) > 24.0 and np.nanmax(p50) < 130.0
    assert out["time_to_power_p50_months"].attrs["need_from"] == "connection_need_class"


def test_poi_indicators_carry_the_match_rate_and_ia_executed_is_a_part(indiana):
    out, _ = indiana
    active = out["queue_active_mw_poi_nearby"]
    ia = out["queue_active_mw_ia_executed_poi_nearby"]
    assert 0.0 < float(active.attrs["poi_share_connected"]) < 1.0
    assert active.attrs["radius_km"] == "20"
    assert (active.to_numpy() >= 0).all() and active.to_numpy().max() > 0
    # executed agreements are a part of the active queue, cell by cell
    assert (ia.to_numpy() <= active.to_numpy() + 1e-3).all() and ia.to_numpy().max() > 0


@pytest.fixture(scope="module")
def two_state(two_state_inputs):
    """A need of 2 (new line plus network upgrades) everywhere, and the cells' line distance."""
    need = np.full(two_state_inputs.grid.shape, 2.0, dtype=np.float32)
    line_km = grid_capacity.derive(two_state_inputs, {})["line_distance_km"].to_numpy()
    return layer_outputs(two_state_inputs, need), line_km


def test_the_p50_follows_the_need_class_not_the_line_distance(two_state, two_state_inputs):
    """Cells next to a line with a need of 2 take their county's network-upgrade P50."""
    out, line_km = two_state
    p50 = out["time_to_power_p50_months"].to_numpy()
    cells, table = two_state_inputs.counties.cells, two_state_inputs.counties.table
    ttp = two_state_inputs.region_queue.county_time_to_power
    near_line = line_km < 1.0
    assert near_line.any()
    for position, fips in enumerate(table["fips"]):
        mine = (cells == position) & near_line
        if mine.any():
            assert (p50[mine] == np.float32(ttp.loc[(fips, 2), "p50_months"])).all(), fips
    assert (p50[near_line & (cells >= 0)] > ttp.xs(1, level="need")["p50_months"].max()).all()


def test_each_state_takes_its_own_states_queue_mw(two_state, two_state_inputs):
    out, _ = two_state
    active = out["queue_active_mw_county"]
    assert active.attrs["units"] == "MW"
    cells, table = two_state_inputs.counties.cells, two_state_inputs.counties.table
    # fixture queue, active requests: Indiana's Adams 400 MW and Allen 300 MW, Ohio's Adams
    # 1,200 MW; Ohio's Allen has only withdrawn and operational ones. Both Adams are "adams".
    expected = {"18001": 400.0, "18003": 300.0, "39001": 1200.0, "39003": 0.0}
    for position, fips in enumerate(table["fips"]):
        values = active.to_numpy()[cells == position]
        assert values.size > 0 and (values == expected[fips]).all(), fips


def test_cells_near_hub_count_the_requests_queued_at_hub(two_state, two_state_inputs):
    """Every fixture request names "Hub 345 kV"; the active ones (Indiana's Adams 400 MW and
    Allen 300 MW, Ohio's Adams 1,200 MW) all sit at the one connection point Hub snaps to."""
    out, _ = two_state
    inputs = two_state_inputs
    queue = inputs.region_queue
    points, _ = connection_congestion(
        queue.requests,
        inputs.named_places,
        inputs.network,
        as_of=queue.as_of,
        snap_km=inputs.spec.time_to_power.poi_snap_km,
    )
    assert points["queue_active_mw"].tolist() == [1900.0]
    hub = points.geometry.iloc[0]
    x, y = np.meshgrid(inputs.grid.x, inputs.grid.y)
    km = np.hypot(x - hub.x, y - hub.y) / 1000.0
    half_diagonal_km = inputs.grid.resolution_m * np.sqrt(2) / 2 / 1000.0
    active = out["queue_active_mw_poi_nearby"].to_numpy()
    assert (active[km <= 20.0 - half_diagonal_km] == 1900.0).all()
    assert (active[km > 20.0 + half_diagonal_km] == 0.0).all()
    # the fixture's requests are at the system-impact stage: no executed agreement anywhere
    assert (out["queue_active_mw_ia_executed_poi_nearby"].to_numpy() == 0.0).all()


def test_ia_executed_is_unknown_when_the_queue_gives_no_stage(two_state_inputs, monkeypatch):
    import dataclasses

    queue = two_state_inputs.region_queue
    unstaged = dataclasses.replace(queue, requests=queue.requests.assign(stage="unknown"))
    inputs = dataclasses.replace(two_state_inputs, region_queue=unstaged)
    out = layer_outputs(inputs, np.zeros(inputs.grid.shape, dtype=np.float32))
    ia = out["queue_active_mw_ia_executed_poi_nearby"]
    assert np.isnan(ia.to_numpy()).all() and "no study stage" in ia.attrs["unavailable"]
    assert np.isfinite(out["queue_active_mw_poi_nearby"].to_numpy()).all()


def test_cells_in_both_states_have_a_finite_p50(two_state, two_state_inputs):
    out, _ = two_state
    p50 = out["time_to_power_p50_months"].to_numpy()
    cells, table = two_state_inputs.counties.cells, two_state_inputs.counties.table
    for state in ("IN", "OH"):
        mine = np.isin(cells, np.flatnonzero(table["state"].to_numpy() == state))
        assert mine.any() and np.isfinite(p50[mine]).all(), state


def test_an_unknown_need_gives_an_unknown_p50(two_state_inputs):
    need = np.full(two_state_inputs.grid.shape, np.nan, dtype=np.float32)
    need[0, 0] = 0.0
    p50 = layer_outputs(two_state_inputs, need)["time_to_power_p50_months"].to_numpy()
    assert np.isnan(p50.ravel()[1:]).all()


def test_grid_is_one_grid(grid10):
    assert isinstance(grid10, Grid)
