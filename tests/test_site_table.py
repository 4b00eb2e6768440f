"""The ranked site table: place, state and id of each site, from any number of states."""

import geopandas as gpd
import numpy as np
from shapely.geometry import Point

from siting.counties import counties_on_grid
from siting.site_table import site_states, site_table


def test_sites_take_their_state_from_their_county(two_state_inputs):
    inputs = two_state_inputs
    labels = np.zeros(inputs.grid.shape, dtype=np.int32)
    labels[30:32, 10:12] = 1  # Indiana's Adams (x 710–712 km)
    labels[30:32, 70:72] = 2  # Ohio's Adams (x 770–772 km)
    score = np.where(labels == 1, 0.9, 0.5).astype(np.float32)
    sites, by_rank = site_table(
        labels,
        inputs.grid,
        counties=inputs.counties,
        study_area=inputs.study_area,
        indicators={},
        suitabilities={},
        weights={},
        score=score,
        schemas={},
    )
    assert sites["county_fips"].tolist() == ["18001", "39001"]
    assert sites["county"].tolist() == ["Adams", "Adams"]
    assert sites["site_id"].str[:3].tolist() == ["IN-", "OH-"]
    assert sites["rank"].tolist() == [1, 2]
    np.testing.assert_array_equal(by_rank, labels)  # label 1 scores best: rank 1
    assert by_rank.dtype == np.int32


def test_a_site_in_no_county_takes_the_state_holding_it(two_state_inputs):
    """A sliver the county layer misses still gets its state, never another state's."""
    only_ohio_counties = two_state_inputs.counties.table[
        two_state_inputs.counties.table["state"] == "OH"
    ][["fips", "name", "geometry"]]
    counties = counties_on_grid(only_ohio_counties, two_state_inputs.grid, what="test")
    centroids = gpd.GeoSeries(
        [Point(710_000, 1_830_000), Point(770_000, 1_830_000), Point(0, 0)], crs="EPSG:5070"
    )
    county_idx = np.array([-1, 0, -1])
    states = site_states(
        county_idx, centroids, counties=counties, study_area=two_state_inputs.study_area
    )
    assert states == ["IN", "OH", "US"]
