"""The interconnection-queue layer: each cell's county and need by hand, the Indiana bundle, and
the two-state fixture (each state's counties take their own state's requests)."""

import numpy as np
import pandas as pd
import pytest

from layers import grid_capacity
from layers.interconnection_queue import cell_p50_months, derive


def test_cell_p50_picks_the_county_and_the_need_of_each_cell():
    table = pd.DataFrame(
        {
            "fips": ["A", "A", "B", "B"],
            "new_line": [True, False, True, False],
            "p50_months": [80.0, 50.0, 90.0, 60.0],
        }
    ).set_index(["fips", "new_line"])
    county = np.array([[0, 0, 1], [1, -1, 0]])
    distance = np.array([[1.0, 9.0, 9.0], [5.0, 1.0, np.nan]])
    out = cell_p50_months(table, county, pd.Series(["A", "B"]), distance, new_line_beyond_km=5.0)
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, [[50.0, 80.0, 90.0], [60.0, np.nan, np.nan]])


def layer_outputs(inputs):
    """The layer's indicators, with the grid capacity layer's ``line_distance_km`` upstream."""
    upstream = {"line_distance_km": grid_capacity.derive(inputs, {})["line_distance_km"]}
    return derive(inputs, upstream), upstream["line_distance_km"].to_numpy()


@pytest.fixture(scope="module")
def indiana(indiana_inputs):
    return layer_outputs(indiana_inputs)


@pytest.fixture(scope="module")
def two_state(two_state_inputs):
    return layer_outputs(two_state_inputs)


def test_time_to_power_indicator_is_longer_where_a_new_line_is_needed(indiana, indiana_inputs):
    out, line_distance_km = indiana
    p50 = out["time_to_power_p50_months"].to_numpy()
    assert p50.shape == indiana_inputs.grid.shape
    far = line_distance_km > indiana_inputs.spec.time_to_power.new_line_beyond_km  # 5 km
    ok = np.isfinite(p50)
    assert ok.mean() > 0.5
    # every Indiana county's new-line P50 exceeds every county's substation-only P50
    assert p50[ok & far].min() > p50[ok & ~far].max()
    assert np.nanmin(p50) > 24.0 and np.nanmax(p50) < 120.0


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


def test_cells_in_both_states_have_a_finite_p50(two_state, two_state_inputs):
    out, _ = two_state
    p50 = out["time_to_power_p50_months"].to_numpy()
    cells, table = two_state_inputs.counties.cells, two_state_inputs.counties.table
    for state in ("IN", "OH"):
        mine = np.isin(cells, np.flatnonzero(table["state"].to_numpy() == state))
        assert mine.any() and np.isfinite(p50[mine]).all(), state
