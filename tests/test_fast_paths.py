"""The fast paths of the per-cell code against plain, slow versions of the same sums: seeds
against a brute-force disc sum, disc sums by blocks against the whole grid's, region polygons
against tracing the whole grid, distances against scipy's transform, dilated buffers against
thresholded distances, county look-ups against a loop, and rasters read back as written."""

import hashlib
import math

import numpy as np
import pandas as pd
import pytest
import rasterio
import rasterio.features
import shapely
import shapely.geometry
from scipy import ndimage

from siting import regions
from siting.counties import Counties
from siting.grid import Grid, buffer_mask, distance_km
from siting.regions import _best_first, disc, disc_for_cells, focal_mean, region_polygons
from siting.report import write_raster, write_tiled_raster


def brute_disc_means(score: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Mean over the disc around every cell by a loop over cells (NaN and off-grid as 0)."""
    r = kernel.shape[0] // 2
    values = np.pad(np.nan_to_num(score, nan=0.0).astype(np.float64), r)
    out = np.empty(score.shape, dtype=np.float64)
    for i in range(score.shape[0]):
        for j in range(score.shape[1]):
            out[i, j] = values[i : i + 2 * r + 1, j : j + 2 * r + 1][kernel].sum()
    return (out / kernel.sum()).astype(np.float32)


def test_seeds_come_best_first_as_a_brute_force_disc_sum_orders_them():
    # a quantised score makes many equal means: ties must go to the lower flat index
    rng = np.random.default_rng(7)
    score = (rng.integers(0, 4, size=(30, 33)) / 4).astype(np.float32)
    score[rng.random(score.shape) < 0.15] = np.nan
    kernel = disc_for_cells(29)
    brute = brute_disc_means(score, kernel).ravel()
    cells = np.flatnonzero(np.isfinite(score))
    expected = sorted(cells.tolist(), key=lambda c: (-brute[c], c))
    focal = focal_mean(score, kernel).ravel()
    np.testing.assert_array_equal(focal, brute)
    got = np.concatenate(list(_best_first(focal, cells))).tolist()
    assert got == expected
    assert len(set(brute[cells].tolist())) < cells.size // 10  # the case is full of ties


def test_distance_equals_scipys_transform_in_km():
    grid = Grid(crs="EPSG:5070", bounds=(0.0, 0.0, 3700.0, 2900.0), resolution_m=100.0)
    rng = np.random.default_rng(3)
    mask = rng.random(grid.shape) < 0.01
    mask[0, -1] = True  # a marked corner: distances along the edge must not wrap
    got = distance_km(mask, grid)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, ndimage.distance_transform_edt(~mask) * 0.1, rtol=1e-6)


@pytest.mark.parametrize("cells", [0.5, 1.0, math.sqrt(2.0), 2.0, math.sqrt(5.0), 2.9, 4.0])
def test_a_dilated_buffer_takes_the_cells_a_distance_threshold_takes(cells):
    # lattice distances (1, √2, 2, √5, 4 cells) sit exactly on the buffer's edge
    grid = Grid(crs="EPSG:5070", bounds=(0.0, 0.0, 2500.0, 2000.0), resolution_m=50.0)
    rng = np.random.default_rng(11)
    mask = rng.random(grid.shape) < 0.004
    mask[:, 0] = False
    mask[-1, 0] = True  # a marked cell on the edge
    distance_m = cells * grid.resolution_m
    threshold = distance_km(mask, grid) <= np.float32(distance_m / 1000.0)
    np.testing.assert_array_equal(buffer_mask(mask, grid, distance_m=distance_m), threshold)


def test_a_one_cell_buffer_is_the_four_neighbours():
    grid = Grid(crs="EPSG:5070", bounds=(0.0, 0.0, 500.0, 500.0), resolution_m=100.0)
    mask = np.zeros(grid.shape, dtype=bool)
    mask[2, 2] = True
    out = buffer_mask(mask, grid, distance_m=100.0)
    assert {tuple(rc) for rc in np.argwhere(out).tolist()} == {
        (2, 2),
        (1, 2),
        (3, 2),
        (2, 1),
        (2, 3),
    }


def test_county_values_are_each_cells_county_value_and_nan_outside():
    table = pd.DataFrame({"fips": ["18001", "18003", "18005"]})
    cells = np.array([[0, 2, -1], [1, 1, 0]], dtype=np.int16)
    counties = Counties(table=table, cells=cells)
    by_fips = pd.Series({"18001": 1.5, "18003": 2.25, "99999": 7.0})  # 18005 unknown
    got = counties.values(by_fips, what="test")
    assert got.dtype == np.float32
    np.testing.assert_array_equal(got, [[1.5, np.nan, np.nan], [2.25, 2.25, 1.5]])


@pytest.mark.parametrize("writer", [write_raster, write_tiled_raster])
def test_rasters_read_back_with_the_same_values_and_the_same_bytes(tmp_path, writer):
    grid = Grid(crs="EPSG:5070", bounds=(0.0, 0.0, 60_000.0, 40_000.0), resolution_m=100.0)
    rng = np.random.default_rng(5)
    bands = {f"b{i}": rng.random(grid.shape).astype(np.float32) for i in range(3)}
    bands["b1"][rng.random(grid.shape) < 0.3] = np.nan
    paths = [tmp_path / "a.tif", tmp_path / "b.tif"]
    for path in paths:
        writer(path, bands, grid, units={"b0": "0-1"})
    digests = {hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}
    assert len(digests) == 1
    with rasterio.open(paths[0]) as src:
        assert src.descriptions == ("b0", "b1", "b2")
        assert src.tags(1)["units"] == "0-1"
        assert src.crs.to_epsg() == 5070
        assert src.transform == grid.transform
        for i, values in enumerate(bands.values(), start=1):
            np.testing.assert_array_equal(src.read(i), values)


def test_the_multiband_raster_is_tiled_band_interleaved_zstd_without_overviews(tmp_path):
    grid = Grid(crs="EPSG:5070", bounds=(0.0, 0.0, 120_000.0, 80_000.0), resolution_m=100.0)
    bands = {f"b{i}": np.full(grid.shape, i / 4, dtype=np.float32) for i in range(2)}
    write_tiled_raster(tmp_path / "s.tif", bands, grid, units={})
    with rasterio.open(tmp_path / "s.tif") as src:
        assert src.profile["tiled"] and src.block_shapes[0] == (512, 512)
        assert src.interleaving == rasterio.enums.Interleaving.band
        assert src.compression == rasterio.enums.Compression.zstd
        assert src.overviews(1) == []


@pytest.mark.parametrize("kernel", [disc_for_cells(n) for n in (1, 29, 405)])
def test_disc_sums_by_blocks_are_the_whole_grids_bit_for_bit(monkeypatch, kernel):
    # blocks of 7 rows; zeros around the land, a -0.0 and cells on every edge of the grid
    monkeypatch.setattr(regions, "SUM_BLOCK_ROWS", 7)
    rng = np.random.default_rng(5)
    values = np.zeros((61, 47), dtype=np.float32)
    values[9:50, 12:40] = rng.random((41, 28), dtype=np.float32)
    values[rng.random(values.shape) < 0.3] = 0.0
    values[0, 0], values[-1, 20], values[33, -1], values[40, 3] = 0.25, 0.5, 0.75, -0.0
    got = regions._disc_sums_by_rows(values, kernel)
    whole = regions._block_disc_sums(values, kernel)
    assert got.dtype == whole.dtype == np.float64
    np.testing.assert_array_equal(got.view(np.uint64), whole.view(np.uint64))


def test_disc_sums_of_an_empty_grid_are_zero():
    sums = regions._disc_sums_by_rows(np.zeros((20, 30), dtype=np.float32), disc(3.0))
    np.testing.assert_array_equal(sums.view(np.uint64), np.zeros((20, 30), dtype=np.uint64))


@pytest.mark.parametrize(
    "bounds", [(0.0, 0.0, 1200.0, 1000.0), (350.5, 20.25, 1550.5, 1020.25)], ids=["whole", "part"]
)
def test_region_polygons_are_those_of_tracing_the_whole_grid(bounds):
    # touching regions, a region in two parts, regions on the grid's edges, a missing label
    grid = Grid(crs="EPSG:5070", bounds=bounds, resolution_m=100.0)
    labels = np.zeros(grid.shape, dtype=np.int32)
    labels[0:3, 0:4] = 1
    labels[3:5, 1:3] = 2  # touches 1
    labels[6:8, 9:12] = 4  # on the right edge
    labels[9, 2:6] = 4  # a second part on the bottom edge
    labels[4, 6], labels[5, 7] = 5, 5  # two cells meeting at a corner: two parts
    got = region_polygons(labels, grid)
    plain: dict[int, list] = {}
    for geom, value in rasterio.features.shapes(
        labels, mask=labels > 0, transform=grid.transform, connectivity=4
    ):
        plain.setdefault(int(value), []).append(shapely.geometry.shape(geom))
    assert got["label"].tolist() == sorted(plain) == [1, 2, 4, 5]
    expected = [shapely.to_wkb(shapely.union_all(plain[k])) for k in sorted(plain)]
    assert [shapely.to_wkb(g) for g in got.geometry] == expected
    assert got.geometry.iloc[2].geom_type == "MultiPolygon"
