"""A team's own candidate sites, scored and ranked with the same layers and per-site models."""

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import LineString, Point, box

from siting.errors import CRSError, DataError
from siting.pipeline import run


def write(path, ids, geoms, **columns):
    gpd.GeoDataFrame({"name": ids, **columns}, geometry=geoms, crs="EPSG:5070").to_file(path)
    return path


@pytest.fixture(scope="module")
def candidate_run(two_states, tmp_path_factory):
    folder = tmp_path_factory.mktemp("candidates")
    path = write(
        folder / "shortlist.gpkg",
        ["west", "banned", "east"],
        [
            box(705_000, 1_805_000, 708_000, 1_808_000),  # Indiana's Adams
            box(740_000, 1_805_000, 742_000, 1_807_000),  # Indiana's Allen: banned
            Point(800_500, 1_845_500),  # Ohio's Allen, a point with its radius
        ],
        radius_m=[np.nan, np.nan, 1500.0],
    )
    result = run(
        two_states.spec,
        out_dir=folder / "run",
        maps_dir=folder / "maps",
        data_dir=two_states.root,
        candidates=path,
    )
    return result


def test_every_candidate_is_scored_and_ranked(candidate_run):
    sites = candidate_run.sites.set_index("candidate_id")
    assert set(sites.index) == {"west", "banned", "east"}
    assert candidate_run.sites["score"].is_monotonic_decreasing
    assert sites.loc["west", "county_fips"] == "18001"
    assert sites.loc["east", "county_fips"] == "39003"
    assert sites.loc["west", "area_km2"] == pytest.approx(9.0)
    assert sites.loc["west"].geometry.equals(box(705_000, 1_805_000, 708_000, 1_808_000))
    assert sites.loc["east"].geometry.area == pytest.approx(np.pi * 1500.0**2, rel=0.01)
    assert "energy_mwh_per_yr" in sites.columns and "co2_t_per_yr" in sites.columns


def test_a_candidate_on_excluded_land_says_so(candidate_run):
    sites = candidate_run.sites.set_index("candidate_id")
    assert sites.loc["banned", "excluded_share"] == 1.0
    assert "county data-center ban 100%" in sites.loc["banned", "excluded_by"]
    assert sites.loc["west", "excluded_share"] == 0.0
    assert np.isfinite(sites.loc["banned", "score"]), "scored whatever the rules exclude"


@pytest.mark.parametrize(
    ("ids", "geoms", "error", "match"),
    [
        (
            ["a", "b"],
            [
                box(705_000, 1_805_000, 708_000, 1_808_000),
                box(706_000, 1_806_000, 709_000, 1_809_000),
            ],
            DataError,
            "candidates 'a' and 'b' overlap",
        ),
        (
            ["a", "a"],
            [
                box(705_000, 1_805_000, 706_000, 1_806_000),
                box(710_000, 1_810_000, 711_000, 1_811_000),
            ],
            DataError,
            r"candidate ids repeat: \['a'\]",
        ),
        (
            ["a"],
            [LineString([(705_000, 1_805_000), (708_000, 1_808_000)])],
            DataError,
            "must be polygons or points",
        ),
        (["a"], [box(0, 0, 1000, 1000)], CRSError, "does not overlap the study area"),
    ],
)
def test_bad_candidates_are_one_clear_error(two_states, tmp_path, ids, geoms, error, match):
    path = write(tmp_path / "bad.gpkg", ids, geoms)
    with pytest.raises(error, match=match):
        run(
            two_states.spec,
            out_dir=tmp_path / "run",
            maps_dir=tmp_path / "maps",
            data_dir=two_states.root,
            candidates=path,
        )
    assert not (tmp_path / "run").exists()
