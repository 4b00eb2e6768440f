import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import LineString, Point, box

from siting.errors import CRSError
from siting.grid import (
    Grid,
    buffer_mask,
    distance_km,
    rasterize_mask,
    rasterize_values,
    regrid_points,
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
