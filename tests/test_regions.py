import numpy as np
import pytest

from siting.regions import disc_for_cells, locate_regions, region_polygons, required_cells


def scores(grid, fill=np.nan):
    return np.full(grid.shape, fill, dtype=np.float32)


def test_a_3x3_block_gives_one_9_km2_region(grid10):
    score = scores(grid10)
    score[2:5, 2:5] = 0.8
    labels = locate_regions(score, grid10, min_area_km2=9.0, count=3, min_spacing_km=0.0)
    assert labels.max() == 1
    assert (labels == 1).sum() == 9
    assert (labels[2:5, 2:5] == 1).all()
    polygons = region_polygons(labels, grid10)
    assert polygons.geometry.area.iloc[0] == pytest.approx(9.0e6)


def test_regions_never_touch_excluded_cells(grid10):
    rng = np.random.default_rng(42)
    score = rng.random(grid10.shape).astype(np.float32)
    score[rng.random(grid10.shape) < 0.3] = np.nan
    labels = locate_regions(score, grid10, min_area_km2=4.0, count=5, min_spacing_km=0.0)
    assert labels.max() >= 1
    assert not np.isnan(score[labels > 0]).any()


def test_each_region_is_contiguous_and_big_enough(grid10):
    from scipy import ndimage

    rng = np.random.default_rng(42)
    score = rng.random(grid10.shape).astype(np.float32)
    labels = locate_regions(score, grid10, min_area_km2=6.0, count=4, min_spacing_km=0.0)
    for k in range(1, labels.max() + 1):
        assert (labels == k).sum() >= 6
        _, n_parts = ndimage.label(labels == k)
        assert n_parts == 1


def test_best_block_is_found_first(grid10):
    score = np.full(grid10.shape, 0.2, dtype=np.float32)
    score[6:9, 6:9] = 0.9
    labels = locate_regions(score, grid10, min_area_km2=9.0, count=2, min_spacing_km=0.0)
    assert (labels[6:9, 6:9] == 1).all()


def test_spacing_keeps_regions_apart(grid10):
    score = np.full(grid10.shape, 0.5, dtype=np.float32)
    labels = locate_regions(score, grid10, min_area_km2=4.0, count=10, min_spacing_km=3.0)
    polygons = region_polygons(labels, grid10)
    assert len(polygons) >= 2
    assert polygons.geometry.iloc[0].distance(polygons.geometry.iloc[1]) >= 3000.0


def test_fewer_regions_when_land_runs_out(grid10):
    score = scores(grid10)
    score[0:2, 0:2] = 1.0
    score[7:10, 7:10] = 1.0
    labels = locate_regions(score, grid10, min_area_km2=9.0, count=5, min_spacing_km=0.0)
    assert labels.max() == 1  # the 2×2 patch is too small


def test_disc_and_cell_count():
    assert required_cells(4.0469, type("G", (), {"cell_area_km2": 0.0625})()) == 65
    assert disc_for_cells(65).sum() >= 65
