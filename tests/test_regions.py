"""Candidate regions: answers computed by hand, invariants on random land, the pruned search
against a plain greedy search over every seed, and every reason for finding fewer regions."""

import math

import numpy as np
import pytest
from scipy import ndimage, signal

from siting.grid import Grid
from siting.regions import (
    COMPACTNESS,
    disc,
    disc_for_cells,
    focal_mean,
    grow_region,
    locate_regions,
    region_polygons,
    required_cells,
)


def scores(grid, fill=np.nan):
    return np.full(grid.shape, fill, dtype=np.float32)


def cells_of(labels, k):
    return {(int(r), int(c)) for r, c in zip(*np.nonzero(labels == k), strict=True)}


# ---------------------------------------------------------------------------------------------
# answers by hand
# ---------------------------------------------------------------------------------------------


def test_a_3x3_block_gives_one_9_km2_region(grid10):
    score = scores(grid10)
    score[2:5, 2:5] = 0.8
    search = locate_regions(score, grid10, min_area_km2=9.0, count=3, min_spacing_km=0.0)
    labels = search.labels
    assert labels.max() == 1
    assert (labels == 1).sum() == 9
    assert (labels[2:5, 2:5] == 1).all()
    polygons = region_polygons(labels, grid10)
    assert polygons.geometry.area.iloc[0] == pytest.approx(9.0e6)
    assert (search.found, search.requested) == (1, 3)
    assert search.reason.startswith("the land runs out after 1 region:")


def test_regions_never_touch_excluded_cells(grid10):
    rng = np.random.default_rng(42)
    score = rng.random(grid10.shape).astype(np.float32)
    score[rng.random(grid10.shape) < 0.3] = np.nan
    labels = locate_regions(score, grid10, min_area_km2=4.0, count=5, min_spacing_km=0.0).labels
    assert labels.max() >= 1
    assert not np.isnan(score[labels > 0]).any()


def test_each_region_is_contiguous_and_big_enough(grid10):
    rng = np.random.default_rng(42)
    score = rng.random(grid10.shape).astype(np.float32)
    labels = locate_regions(score, grid10, min_area_km2=6.0, count=4, min_spacing_km=0.0).labels
    for k in range(1, labels.max() + 1):
        assert (labels == k).sum() >= 6
        _, n_parts = ndimage.label(labels == k)
        assert n_parts == 1


def test_best_block_is_found_first(grid10):
    score = np.full(grid10.shape, 0.2, dtype=np.float32)
    score[6:9, 6:9] = 0.9
    labels = locate_regions(score, grid10, min_area_km2=9.0, count=2, min_spacing_km=0.0).labels
    assert (labels[6:9, 6:9] == 1).all()


def test_spacing_keeps_regions_apart(grid10):
    score = np.full(grid10.shape, 0.5, dtype=np.float32)
    labels = locate_regions(score, grid10, min_area_km2=4.0, count=10, min_spacing_km=3.0).labels
    polygons = region_polygons(labels, grid10)
    assert len(polygons) >= 2
    assert polygons.geometry.iloc[0].distance(polygons.geometry.iloc[1]) >= 3000.0


def test_fewer_regions_when_land_runs_out(grid10):
    score = scores(grid10)
    score[0:2, 0:2] = 1.0
    score[7:10, 7:10] = 1.0
    search = locate_regions(score, grid10, min_area_km2=9.0, count=5, min_spacing_km=0.0)
    assert search.labels.max() == 1  # the 2×2 patch is too small
    assert search.found == 1
    assert search.reason


def test_disc_and_cell_count():
    assert required_cells(4.0469, type("G", (), {"cell_area_km2": 0.0625})()) == 65
    assert disc_for_cells(65).sum() >= 65


def test_ties_go_to_the_lowest_flat_index(grid10):
    # one-cell campus on a flat score: every focal mean is equal, so seeds go 0, 1, 2, ...
    flat = np.full(grid10.shape, 0.5, dtype=np.float32)
    search = locate_regions(flat, grid10, min_area_km2=1.0, count=3, min_spacing_km=0.0)
    assert [int(search.labels.flat[i]) for i in range(4)] == [1, 2, 3, 0]
    # nine-cell campus: the first full 3×3 disc is centred on (1, 1), and grows into the corner
    search = locate_regions(flat, grid10, min_area_km2=9.0, count=1, min_spacing_km=0.0)
    assert cells_of(search.labels, 1) == {(r, c) for r in range(3) for c in range(3)}


def test_compactness_trades_score_for_shape(grid10):
    # row 5 scores a little better than the rest. A five-cell campus (a plus-shaped disc,
    # reach 3 cells) is seeded at (5, 1), the lowest index of the equal best focal means.
    score = np.full(grid10.shape, 0.5, dtype=np.float32)
    score[5, :] = 0.6
    kw = {"min_area_km2": 5.0, "count": 1, "min_spacing_km": 0.0}
    along = locate_regions(score, grid10, compactness=0.0, **kw)
    # score only: the better row first, (5, 0) then (5, 2), (5, 3), (5, 4)
    assert cells_of(along.labels, 1) == {(5, c) for c in range(5)}
    compact = locate_regions(score, grid10, compactness=1.0, **kw)
    # 0.6 − 1/3 beats 0.5 − 1/3 beats 0.6 − 2/3: the four neighbours of the seed, a plus
    assert cells_of(compact.labels, 1) == {(5, 1), (5, 0), (5, 2), (4, 1), (6, 1)}


def test_maximum_spacing_keeps_the_second_region_near_the_first():
    grid = Grid(crs="EPSG:5070", bounds=(0.0, 0.0, 20_000.0, 20_000.0), resolution_m=1000.0)
    score = np.full(grid.shape, 0.5, dtype=np.float32)
    score[0:3, 0:3] = 1.0  # two good corners far apart
    score[17:20, 17:20] = 0.95
    kw = {"min_area_km2": 9.0, "count": 2, "min_spacing_km": 1.0}
    free = region_polygons(locate_regions(score, grid, **kw).labels, grid).geometry
    assert free.iloc[0].distance(free.iloc[1]) > 15_000.0
    near = locate_regions(score, grid, max_spacing_km=3.0, **kw)
    polygons = region_polygons(near.labels, grid).geometry
    assert near.found == 2
    assert 1000.0 <= polygons.iloc[0].distance(polygons.iloc[1]) <= 3000.0


# ---------------------------------------------------------------------------------------------
# why fewer regions
# ---------------------------------------------------------------------------------------------


def test_no_eligible_cell(grid10):
    search = locate_regions(scores(grid10), grid10, min_area_km2=1.0, count=2, min_spacing_km=0.0)
    assert (search.found, search.requested, search.grow_attempts) == (0, 2, 0)
    assert search.reason.startswith("no eligible cell")
    assert not search.labels.any()


def test_a_campus_larger_than_every_patch_is_refused_at_once():
    # 2,000 × 2,000 cells of 100 m cut by excluded lines every 100 cells into patches of
    # 99 × 99 cells = 98.01 km²; the 100 km² campus fits in none, so no seed is tried
    grid = Grid(crs="EPSG:5070", bounds=(0.0, 0.0, 200_000.0, 200_000.0), resolution_m=100.0)
    score = np.random.default_rng(42).random(grid.shape, dtype=np.float32)
    score[::100, :] = np.nan
    score[:, ::100] = np.nan
    search = locate_regions(score, grid, min_area_km2=100.0, count=10, min_spacing_km=10.0)
    assert (search.found, search.grow_attempts) == (0, 0)
    assert "as large as the campus (100.000 km²)" in search.reason
    assert "the largest patch is 98.010 km²" in search.reason
    assert not search.labels.any()


def test_the_search_bound_stops_the_search(grid10):
    flat = np.full(grid10.shape, 0.5, dtype=np.float32)
    search = locate_regions(
        flat, grid10, min_area_km2=1.0, count=5, min_spacing_km=0.0, max_grow_attempts=2
    )
    assert (search.found, search.grow_attempts) == (2, 2)
    assert search.labels.max() == 2
    assert search.reason == (
        "the search bound was reached after 2 growth attempts (max_grow_attempts=2)"
    )


def test_no_bound_reason_when_the_last_attempt_finds_the_last_region(grid10):
    flat = np.full(grid10.shape, 0.5, dtype=np.float32)
    search = locate_regions(
        flat, grid10, min_area_km2=1.0, count=2, min_spacing_km=0.0, max_grow_attempts=2
    )
    assert (search.found, search.grow_attempts, search.reason) == (2, 2, "")


def test_spacing_leaves_no_room(grid10):
    flat = np.full(grid10.shape, 0.5, dtype=np.float32)
    search = locate_regions(flat, grid10, min_area_km2=4.0, count=10, min_spacing_km=3.0)
    assert 2 <= search.found < 10
    assert search.reason.startswith(f"the spacing rules leave no room after {search.found}")
    assert "at least 3 km from every region found" in search.reason


def test_a_patch_too_narrow_is_tried_once(grid10):
    # a strip of 10 cells holds 8 cells, but a growth reaches only 3 cells either side of its
    # seed: 7 cells. After the first failure no other seed of the strip is tried.
    score = scores(grid10)
    score[4, :] = 0.7
    search = locate_regions(score, grid10, min_area_km2=8.0, count=1, min_spacing_km=0.0)
    assert (search.found, search.grow_attempts) == (0, 1)
    assert search.reason.startswith("the patches large enough are too narrow")


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({"min_area_km2": 0.0}, "min_area_km2 must be positive"),
        ({"count": 0}, "count must be at least 1"),
        ({"min_spacing_km": -1.0}, "min_spacing_km must be 0 or more"),
        ({"min_spacing_km": 2.0, "max_spacing_km": 1.0}, "max_spacing_km must be at least"),
        ({"compactness": -0.1}, "compactness must be 0 or more"),
        ({"max_grow_attempts": 0}, "max_grow_attempts must be at least 1"),
    ],
)
def test_bad_options_are_refused(grid10, options, match):
    kw = {"min_area_km2": 4.0, "count": 2, "min_spacing_km": 0.0} | options
    with pytest.raises(ValueError, match=match):
        locate_regions(np.ones(grid10.shape, np.float32), grid10, **kw)


def test_a_score_off_the_grid_is_refused(grid10):
    with pytest.raises(ValueError, match=r"score shape \(3, 3\) does not match grid shape"):
        locate_regions(np.ones((3, 3)), grid10, min_area_km2=1.0, count=1, min_spacing_km=0.0)


# ---------------------------------------------------------------------------------------------
# invariants on random land, and the plain greedy search
# ---------------------------------------------------------------------------------------------


def random_land(seed: int, shape=(30, 30), excluded_share=0.25) -> np.ndarray:
    rng = np.random.default_rng(seed)
    score = rng.random(shape).astype(np.float32)
    score[rng.random(shape) < excluded_share] = np.nan
    score[:, shape[1] // 3] = np.nan  # a river: at least two patches
    return score


GRID30 = Grid(crs="EPSG:5070", bounds=(0.0, 0.0, 30_000.0, 30_000.0), resolution_m=1000.0)
CASES = [
    {"min_area_km2": 6.0, "count": 8, "min_spacing_km": 1.5},
    {"min_area_km2": 6.0, "count": 6, "min_spacing_km": 1.5, "max_spacing_km": 4.0},
    {"min_area_km2": 12.0, "count": 12, "min_spacing_km": 0.0, "compactness": 0.0},
    {"min_area_km2": 3.0, "count": 20, "min_spacing_km": 3.0, "max_spacing_km": 6.0},
    # until the land runs out
    {"min_area_km2": 8.0, "count": 40, "min_spacing_km": 1.0},
    {"min_area_km2": 5.0, "count": 40, "min_spacing_km": 2.0, "max_spacing_km": 3.0},
    {"min_area_km2": 10.0, "count": 40, "min_spacing_km": 0.0, "compactness": 1.0},
]


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("case", CASES)
def test_invariants_on_random_land(seed, case):
    score = random_land(seed)
    search = locate_regions(score, GRID30, **case)
    labels = search.labels
    assert labels.max() == search.found >= 1
    assert not np.isnan(score[labels > 0]).any()
    for k in range(1, search.found + 1):
        assert (labels == k).sum() >= required_cells(case["min_area_km2"], GRID30)
        assert ndimage.label(labels == k)[1] == 1  # 4-connected
    polygons = region_polygons(labels, GRID30).geometry.tolist()
    for k in range(1, len(polygons)):
        gaps_m = [polygons[k].distance(polygons[j]) for j in range(k)]
        assert min(gaps_m) >= case["min_spacing_km"] * 1000.0
        if "max_spacing_km" in case:
            assert min(gaps_m) <= case["max_spacing_km"] * 1000.0
    assert (search.reason == "") == (search.found == case["count"])


def plain_greedy(score, grid, *, min_area_km2, count, min_spacing_km, max_spacing_km=None,
                 compactness=COMPACTNESS):  # fmt: skip
    """Every finite cell as a seed, best focal mean (a direct correlation) first, grown in
    turn; each region and the cells within the spacing of it blocked (scipy's EDT); under a
    maximum spacing, only cells whose square lies within it of a region's may seed."""
    n_cells = required_cells(min_area_km2, grid)
    kernel = disc_for_cells(n_cells)
    filled = np.nan_to_num(score, nan=0.0).astype(np.float32)
    focal = ndimage.correlate(filled, kernel.astype(np.float32), mode="constant", cval=0.0)
    focal /= np.float32(kernel.sum())
    cells = np.flatnonzero(np.isfinite(score))
    order = cells[np.lexsort((cells, -focal.ravel()[cells]))]
    reach = 2.0 * (kernel.shape[0] // 2 + 0.5)
    free, near = np.isfinite(score), None
    labels = np.zeros(score.shape, dtype=np.int32)
    for seed in order.tolist():
        found = labels.max()
        if found == count:
            break
        if not free.flat[seed] or (near is not None and not near.flat[seed]):
            continue
        grown = grow_region(seed, score, free, n_cells=n_cells, reach_cells=reach,
                            compactness=compactness)  # fmt: skip
        if grown is None:
            continue
        labels.flat[grown] = found + 1
        gap_m = ndimage.distance_transform_edt(labels != found + 1, sampling=grid.resolution_m)
        spacing_m = min_spacing_km * 1000.0
        free &= gap_m > (spacing_m + math.sqrt(2.0) * grid.resolution_m if spacing_m else 0.0)
        if max_spacing_km is not None:  # squares within the spacing: centres near a 3×3 block
            block = ndimage.binary_dilation(labels == found + 1, structure=np.ones((3, 3)))
            edge_gap_m = ndimage.distance_transform_edt(~block, sampling=grid.resolution_m)
            near = (edge_gap_m <= max_spacing_km * 1000.0) | (False if near is None else near)
    return labels


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("case", CASES)
def test_the_pruned_search_finds_what_a_plain_greedy_search_finds(seed, case):
    score = random_land(seed, excluded_share=0.35)
    search = locate_regions(score, GRID30, **case, max_grow_attempts=10_000)
    np.testing.assert_array_equal(search.labels, plain_greedy(score, GRID30, **case))


# ---------------------------------------------------------------------------------------------
# the focal mean
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kernel", [disc_for_cells(n) for n in (1, 5, 65, 405)] + [disc(100.0)])
def test_focal_mean_equals_a_direct_correlation(kernel):
    # up to 201 cells across (the last disc) the sums are exact: the same float32 means
    rng = np.random.default_rng(42)
    score = rng.random((40, 45)).astype(np.float32)
    score[rng.random(score.shape) < 0.2] = np.nan
    direct = ndimage.correlate(
        np.nan_to_num(score, nan=0.0), kernel.astype(np.float32), mode="constant", cval=0.0
    )
    direct /= np.float32(kernel.sum())
    np.testing.assert_array_equal(focal_mean(score, kernel), direct)


def test_focal_mean_of_a_wide_disc_keeps_equal_means_equal():
    # a disc 203 cells across is summed by FFT: close to a direct sum, and exact ties stay ties
    kernel = disc(101.0)
    assert kernel.shape[0] == 203
    rng = np.random.default_rng(42)
    score = rng.random((250, 260)).astype(np.float32)
    direct = signal.oaconvolve(score.astype(np.float64), kernel.astype(np.float64), mode="same")
    np.testing.assert_allclose(focal_mean(score, kernel), direct / kernel.sum(), rtol=1e-6)
    flat = focal_mean(np.full((250, 260), 0.3, dtype=np.float32), kernel)
    inner = flat[101:149, 101:159]  # every disc inside the grid: the same mean
    assert (inner == inner[0, 0]).all()
    assert inner[0, 0] == pytest.approx(0.3, rel=1e-6)
