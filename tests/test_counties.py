"""County table on the grid, name normalisation and state codes."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from scipy import ndimage
from shapely.geometry import box

from siting.counties import (
    STATE_BY_FIPS,
    STATE_FIPS_BY_CODE,
    counties_on_grid,
    nearest_covered_cells,
    normalize_county_name,
    state_of_fips,
)
from siting.errors import DataError


def test_state_table_holds_50_states_dc_and_the_territories():
    assert len(STATE_BY_FIPS) == 56
    assert STATE_BY_FIPS["11"] == "DC" and STATE_BY_FIPS["72"] == "PR"
    assert STATE_BY_FIPS["66"] == "GU"
    assert all(STATE_BY_FIPS[STATE_FIPS_BY_CODE[code]] == code for code in STATE_FIPS_BY_CODE)


def test_state_of_fips_reads_the_first_two_digits():
    fips = pd.Series(["18141", "17031", "01001020100"], index=[5, 6, 7])
    out = state_of_fips(fips)
    assert out.tolist() == ["IN", "IL", "AL"]
    assert out.index.tolist() == [5, 6, 7]


def test_unknown_state_prefix_is_an_error():
    with pytest.raises(DataError, match=r"counties\.geojson: state FIPS \['03', '99'\]"):
        state_of_fips(pd.Series(["18141", "03010", "99001"]), what="counties.geojson")


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("St. Joseph", "stjoseph"),
        ("Saint Joseph County", "stjoseph"),
        ("LaPorte", "laporte"),
        ("La Porte", "laporte"),
        ("DeKalb", "dekalb"),
        ("de kalb", "dekalb"),
    ],
)
def test_county_name_variants_join(raw, canonical):
    assert normalize_county_name(raw) == canonical


def test_counties_of_two_states_on_the_grid(grid10):
    """Two counties in two states: each cell knows its county, each county its state."""
    table = gpd.GeoDataFrame(
        {"fips": ["39001", "18001"], "name": ["Adams", "Adams"]},
        geometry=[box(5000, 0, 10_000, 10_000), box(0, 0, 5000, 10_000)],
        crs="EPSG:5070",
    )
    counties = counties_on_grid(table, grid10, what="fixture")
    assert counties.table["fips"].tolist() == ["18001", "39001"]  # sorted by FIPS
    assert counties.table["state"].tolist() == ["IN", "OH"]
    assert counties.states == ("IN", "OH")
    assert counties.table["area_km2"].tolist() == [50.0, 50.0]
    assert (counties.cells[:, :5] == 0).all() and (counties.cells[:, 5:] == 1).all()
    values = counties.values(pd.Series({"18001": 1.0}), what="fixture")
    assert np.isnan(values[:, 5:]).all() and (values[:, :5] == 1.0).all()
    with pytest.raises(ValueError, match="read-only"):
        counties.cells[0, 0] = 3


def _edt_nearest(covered, targets):
    rows, cols = ndimage.distance_transform_edt(
        ~covered, return_distances=False, return_indices=True
    )
    return rows[targets], cols[targets]


def test_nearest_covered_cell_breaks_ties_like_the_feature_transform():
    # a gap cell equidistant from cells above, below, left and right, and diagonal ties
    covered = np.zeros((7, 7), dtype=bool)
    covered[[0, 6, 3, 3], [3, 3, 0, 6]] = True
    covered[[1, 5], [1, 5]] = True
    targets = ~covered
    got = nearest_covered_cells(covered, targets)
    want = _edt_nearest(covered, targets)
    assert np.array_equal(got[0], want[0]) and np.array_equal(got[1], want[1])


@pytest.mark.parametrize("seed", range(20))
def test_nearest_covered_cell_matches_the_feature_transform(seed):
    rng = np.random.default_rng(seed)
    shape = tuple(rng.integers(5, 60, 2))
    covered = rng.random(shape) < rng.choice([0.01, 0.1, 0.6])
    covered[rng.integers(shape[0]), rng.integers(shape[1])] = True
    targets = ~covered & (rng.random(shape) < 0.5)
    got = nearest_covered_cells(covered, targets)
    want = _edt_nearest(covered, targets)
    assert np.array_equal(got[0], want[0]) and np.array_equal(got[1], want[1])


def test_sliver_between_two_counties_goes_to_the_lower_column_on_a_tie(grid10):
    """A one-cell gap column between two counties: each gap cell is equidistant from both."""
    table = gpd.GeoDataFrame(
        {"fips": ["18003", "18001"], "name": ["Allen", "Adams"]},
        geometry=[box(5000, 0, 10_000, 10_000), box(0, 0, 4000, 10_000)],
        crs="EPSG:5070",
    )
    fill = np.ones(grid10.shape, dtype=bool)
    counties = counties_on_grid(table, grid10, what="fixture", fill=fill)
    assert counties.filled_cells == 10
    assert (counties.cells[:, 4] == 0).all()  # Adams, to the west (lower column)
    assert (counties.cells[:, :4] == 0).all() and (counties.cells[:, 5:] == 1).all()
