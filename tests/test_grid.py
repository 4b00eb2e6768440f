import geopandas as gpd
import numpy as np
import pytest
import rasterio.transform
from scipy import ndimage
from shapely.geometry import LineString, Point, box

from siting.errors import CRSError
from siting.grid import (
    Grid,
    _offsets_within,
    buffer_mask,
    cropped_distance_km,
    dilate_by_disc,
    distance_km,
    padded,
    rasterize_mask,
    rasterize_values,
    regrid_points,
    warp_to_grid,
)


def test_grid_geometry(grid10):
    assert grid10.shape == (10, 10)
    assert grid10.cell_area_km2 == 1.0
    assert grid10.x[0] == 500.0 and grid10.y[0] == 9500.0
    assert (grid10.transform.c, grid10.transform.f) == (0.0, 10_000.0)


def test_covering_snaps_to_resolution():
    grid = Grid.covering((120.0, 980.0, 2010.0, 3001.0), crs="EPSG:5070", resolution_m=250.0)
    assert grid.bounds == (0.0, 750.0, 2250.0, 3250.0)
    assert grid.shape == (10, 9)


def test_grid_rejects_geographic_crs():
    with pytest.raises(CRSError, match="projected CRS in metres"):
        Grid(crs="EPSG:4326", bounds=(0, 0, 1, 1), resolution_m=0.1)


def test_template_carries_name_units_and_coords(grid10):
    da = grid10.template(np.zeros(grid10.shape, np.float32), name="x_km", units="km")
    assert da.name == "x_km" and da.attrs["units"] == "km"
    assert da.sizes == {"y": 10, "x": 10}


def test_polygon_covering_3x3_cells_burns_nine(grid10):
    gdf = gpd.GeoDataFrame(geometry=[box(2000, 2000, 5000, 5000)], crs="EPSG:5070")
    mask = rasterize_mask(gdf, grid10, what="test")
    assert mask.sum() == 9
    assert mask[5:8, 2:5].all()  # rows count from the north edge


def test_reprojected_vector_lands_on_the_same_cells(grid10):
    gdf = gpd.GeoDataFrame(geometry=[box(2000, 2000, 5000, 5000)], crs="EPSG:5070")
    in_4326 = gdf.to_crs("EPSG:4326")
    np.testing.assert_array_equal(
        rasterize_mask(gdf, grid10, what="a"), rasterize_mask(in_4326, grid10, what="b")
    )


def test_vector_without_crs_is_an_error(grid10):
    gdf = gpd.GeoDataFrame(geometry=[box(0, 0, 1000, 1000)])
    with pytest.raises(CRSError, match=r"lines\.gpkg: no CRS"):
        rasterize_mask(gdf, grid10, what="lines.gpkg")


def test_rasterize_values_leaves_uncovered_cells_unknown(grid10):
    gdf = gpd.GeoDataFrame({"v": [7.0]}, geometry=[box(0, 0, 5000, 10_000)], crs="EPSG:5070")
    values = rasterize_values(gdf, "v", grid10, what="t")
    assert np.all(values[:, :5] == 7.0)
    assert np.isnan(values[:, 5:]).all()


def test_line_marks_every_cell_it_crosses(grid10):
    gdf = gpd.GeoDataFrame(geometry=[LineString([(500, 5500), (9500, 5500)])], crs="EPSG:5070")
    assert rasterize_mask(gdf, grid10, what="t", all_touched=True)[4].all()


def test_distance_is_euclidean_in_km(grid10):
    mask = np.zeros(grid10.shape, bool)
    mask[0, 0] = True
    dist = distance_km(mask, grid10)
    assert dist[0, 3] == pytest.approx(3.0)
    assert dist[3, 4] == pytest.approx(5.0)
    assert dist[9, 9] == pytest.approx(np.hypot(9, 9), rel=1e-6)


def test_distance_with_nothing_marked_is_unknown(grid10):
    assert np.isnan(distance_km(np.zeros(grid10.shape, bool), grid10)).all()


def test_buffer_is_a_true_circle_not_a_diamond(grid10):
    mask = np.zeros(grid10.shape, bool)
    mask[0, 0] = True
    buffered = buffer_mask(mask, grid10, distance_m=5000.0)
    assert buffered[3, 4] and buffered[4, 3]  # at exactly 5 km
    assert not buffered[4, 4]  # 5.66 km
    assert buffered[0, 5] and not buffered[0, 6]


@pytest.mark.parametrize("radius_cells", [0.5, 1.0, 1.5, 2.0, 2.3, 3.05, 4.0, 6.5])
def test_dilating_by_a_disc_marks_what_scipys_dilation_marks(radius_cells):
    grid = Grid(crs="EPSG:5070", bounds=(0.0, 0.0, 3100.0, 2300.0), resolution_m=100.0)
    rng = np.random.default_rng(21)
    mask = rng.random(grid.shape) < 0.01
    mask[0, 0] = mask[-1, 5] = mask[7, -1] = True  # marked cells on the edges and a corner
    disc = _offsets_within(radius_cells * grid.resolution_m, grid)
    expected = ndimage.binary_dilation(mask, structure=disc)
    np.testing.assert_array_equal(dilate_by_disc(mask, disc), expected)


@pytest.mark.parametrize(
    "where", ["inside", "one side of the margin", "every side of the margin", "nothing"]
)
def test_cropped_distances_equal_the_whole_padded_transform_bit_for_bit(where):
    grid = Grid(crs="EPSG:5070", bounds=(0.0, 0.0, 4000.0, 3000.0), resolution_m=100.0)
    big, crop = padded(grid, 2500.0)
    rng = np.random.default_rng(8)
    mask = np.zeros(big.shape, dtype=bool)
    if where == "inside":
        mask[crop][rng.random(grid.shape) < 0.002] = True
    elif where == "one side of the margin":
        mask[3:9, 40:44] = True  # north-west, partly beyond the crop's columns
        mask[30, 10] = True
    elif where == "every side of the margin":
        mask[rng.random(big.shape) < 0.003] = True
        mask[0, 0] = mask[-1, -1] = True
    got = cropped_distance_km(mask, big, crop)
    expected = distance_km(mask, big)[crop]
    assert got.shape == grid.shape and got.dtype == np.float32 and got.flags.c_contiguous
    assert got.tobytes() == expected.tobytes()


def test_regrid_points_constant_field_stays_constant():
    grid = Grid(crs="EPSG:5070", bounds=(600_000, 1_800_000, 700_000, 1_900_000), resolution_m=5000)
    lon, lat = np.meshgrid(np.arange(-90.125, -83.0, 0.25), np.arange(37.125, 43.0, 0.25))
    values = np.full(lon.size, 21.5, dtype=np.float32)
    out = regrid_points(lon.ravel(), lat.ravel(), values, grid, step_deg=0.25)
    assert np.allclose(out, 21.5)


def test_regrid_points_follows_a_gradient():
    grid = Grid(crs="EPSG:5070", bounds=(600_000, 1_800_000, 700_000, 1_900_000), resolution_m=5000)
    lon, lat = np.meshgrid(np.arange(-90.125, -83.0, 0.25), np.arange(37.125, 43.0, 0.25))
    out = regrid_points(
        lon.ravel(), lat.ravel(), lat.ravel().astype(np.float32), grid, step_deg=0.25
    )
    centre = gpd.GeoSeries([Point(grid.x[10], grid.y[10])], crs="EPSG:5070").to_crs("EPSG:4326")
    assert out[10, 10] == pytest.approx(centre.y.iloc[0], abs=0.02)


#: A 4 × 4 raster of 1 km cells with values 0–15 row by row, its corner at (2 km, 8 km).
WARP_VALUES = np.arange(16, dtype=np.float32).reshape(4, 4)
WARP_TRANSFORM = rasterio.transform.from_origin(2000.0, 8000.0, 1000.0, 1000.0)


def test_warp_onto_the_same_cells_gives_the_values_back(grid10):
    for method in ("nearest", "bilinear", "average", "mode", "max"):
        out = warp_to_grid(
            WARP_VALUES, transform=WARP_TRANSFORM, crs="EPSG:5070", grid=grid10, resampling=method
        )
        assert out.dtype == np.float32
        np.testing.assert_array_equal(out[2:6, 2:6], WARP_VALUES, err_msg=method)


def test_warp_onto_a_coarser_grid_averages_blocks():
    coarse = Grid(crs="EPSG:5070", bounds=(2000.0, 4000.0, 6000.0, 8000.0), resolution_m=2000.0)
    out = warp_to_grid(
        WARP_VALUES, transform=WARP_TRANSFORM, crs="EPSG:5070", grid=coarse, resampling="average"
    )
    # blocks {0, 1, 4, 5}, {2, 3, 6, 7}, {8, 9, 12, 13}, {10, 11, 14, 15}
    np.testing.assert_allclose(out, [[2.5, 4.5], [10.5, 12.5]])


def test_warp_average_and_max_skip_nodata_cells():
    coarse = Grid(crs="EPSG:5070", bounds=(2000.0, 4000.0, 6000.0, 8000.0), resolution_m=2000.0)
    codes = WARP_VALUES.astype(np.int16)
    codes[0, 1] = -1  # no data in the first block: mean of {0, 4, 5}
    args = {"transform": WARP_TRANSFORM, "crs": "EPSG:5070", "grid": coarse, "nodata": -1}
    assert warp_to_grid(codes, resampling="average", **args)[0, 0] == pytest.approx(3.0)
    assert warp_to_grid(codes, resampling="max", **args)[0, 0] == 5.0


def test_warp_outside_the_source_and_at_nodata_is_unknown(grid10):
    codes = WARP_VALUES.astype(np.uint8)
    codes[0, 0] = 250
    out = warp_to_grid(
        codes,
        transform=WARP_TRANSFORM,
        crs="EPSG:5070",
        grid=grid10,
        resampling="nearest",
        nodata=250,
    )
    inside = np.zeros(grid10.shape, bool)
    inside[2:6, 2:6] = True
    assert np.isnan(out[~inside]).all()
    assert np.isnan(out[2, 2]) and out[2, 3] == 1.0


def test_warp_mode_keeps_class_codes():
    coarse = Grid(crs="EPSG:5070", bounds=(2000.0, 4000.0, 6000.0, 8000.0), resolution_m=2000.0)
    codes = np.array(
        [[41, 41, 82, 82], [41, 11, 82, 21], [90, 90, 23, 24], [90, 95, 23, 23]], dtype=np.uint8
    )
    out = warp_to_grid(
        codes, transform=WARP_TRANSFORM, crs="EPSG:5070", grid=coarse, resampling="mode"
    )
    np.testing.assert_array_equal(out, [[41, 82], [90, 23]])


def test_warp_reprojects_from_a_geographic_crs(grid10):
    lonlat = gpd.GeoSeries([Point(5000, 5000)], crs="EPSG:5070").to_crs("EPSG:4326").iloc[0]
    step = 0.05  # a 0.5° square of one value, centred on the grid
    transform = rasterio.transform.from_origin(lonlat.x - 0.25, lonlat.y + 0.25, step, step)
    out = warp_to_grid(
        np.full((10, 10), 7.0),
        transform=transform,
        crs="EPSG:4326",
        grid=grid10,
        resampling="bilinear",
    )
    assert np.all(out == 7.0)


def test_warp_names_the_allowed_methods(grid10):
    with pytest.raises(ValueError, match=r"resampling must be one of .*'mode'.*got 'cubic'"):
        warp_to_grid(
            WARP_VALUES, transform=WARP_TRANSFORM, crs="EPSG:5070", grid=grid10, resampling="cubic"
        )
