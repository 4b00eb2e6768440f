"""DEM reader and Horn slope on planes whose slope is known by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest
from pyproj import Geod
from rasterio.transform import from_origin

from siting.errors import CRSError, DataError, DataFileNotFound
from siting.sources.dem import cell_size_m, read_dem, slope_degrees
from siting.sources.geotiff import RasterData
from tests.sources.test_geotiff import write_geotiff


def plane(rows, cols, *, east_m_per_cell=0.0, south_m_per_cell=0.0, base_m=200.0):
    """Elevations of a plane rising by the given metres per cell eastwards and southwards."""
    r, c = np.mgrid[0:rows, 0:cols]
    return base_m + c * east_m_per_cell + r * south_m_per_cell


#: 1 m cells in CONUS Albers.
ALBERS_1M = from_origin(600_000, 1_900_000, 1.0, 1.0)


def dem(values, *, crs="EPSG:5070", transform=ALBERS_1M):
    return RasterData(
        values=np.asarray(values, dtype=np.float64),
        transform=transform,
        crs=crs,
        nodata=None,
        units="m",
        path="dem.tif",
    )


def interior(raster):
    return raster.values[1:-1, 1:-1]


def test_plane_rising_one_metre_per_metre_eastwards_is_45_degrees():
    slope = slope_degrees(dem(plane(5, 6, east_m_per_cell=1.0)))
    np.testing.assert_allclose(interior(slope), 45.0, atol=1e-6)
    assert slope.units == "degrees" and slope.values.dtype == np.float32
    assert slope.crs == "EPSG:5070" and slope.transform == ALBERS_1M


def test_flat_dem_is_0_degrees():
    np.testing.assert_array_equal(interior(slope_degrees(dem(np.full((4, 4), 312.0)))), 0.0)


def test_edge_cells_are_unknown():
    slope = slope_degrees(dem(plane(4, 5, east_m_per_cell=1.0))).values
    edges = np.ones(slope.shape, bool)
    edges[1:-1, 1:-1] = False
    assert np.isnan(slope[edges]).all() and not np.isnan(slope[~edges]).any()


def test_30m_plane_rising_northwards_and_a_diagonal_plane():
    transform = from_origin(600_000, 1_900_000, 30.0, 30.0)
    north = slope_degrees(dem(plane(4, 4, south_m_per_cell=-30.0), transform=transform))
    np.testing.assert_allclose(interior(north), 45.0, atol=1e-6)
    # 3 m east and 4 m north per 10 m cell: gradient 0.5, slope atan(0.5)
    diagonal = plane(4, 4, east_m_per_cell=3.0, south_m_per_cell=-4.0)
    out = slope_degrees(dem(diagonal, transform=from_origin(0, 40, 10.0, 10.0)))
    np.testing.assert_allclose(interior(out), math.degrees(math.atan(0.5)), atol=1e-6)


def test_paraboloid_slope_matches_its_analytic_gradient():
    """z = k (x² + y²): Horn's differences are exact for a quadratic, slope atan(2 k r)."""
    k = 0.01
    x, y = np.meshgrid(np.arange(-10.0, 11.0), np.arange(10.0, -11.0, -1.0))
    out = slope_degrees(dem(k * (x**2 + y**2), transform=from_origin(-10.5, 10.5, 1.0, 1.0)))
    expected = np.degrees(np.arctan(2 * k * np.hypot(x, y)))
    np.testing.assert_allclose(interior(out), expected[1:-1, 1:-1], atol=1e-5)


def test_missing_elevation_makes_its_neighbourhood_unknown():
    values = plane(5, 5, east_m_per_cell=1.0)
    values[2, 2] = np.nan
    slope = slope_degrees(dem(values)).values
    assert np.isnan(slope[1:4, 1:4]).all()


def test_projected_crs_in_us_survey_feet_is_converted():
    """EPSG:2965 (Indiana East, US survey feet): a 1 ftUS cell is 1200/3937 m."""
    foot_m = 1200.0 / 3937.0
    values = plane(4, 4, east_m_per_cell=foot_m)
    out = slope_degrees(dem(values, crs="EPSG:2965", transform=from_origin(0, 4, 1.0, 1.0)))
    np.testing.assert_allclose(interior(out), 45.0, atol=1e-6)


def test_geographic_plane_at_40n_has_the_right_slope():
    """A 0.001° grid at 40° N rising one cell width eastwards: 45°; the cell width is the
    geodesic length on WGS 84 (pyproj.Geod), independent of the code under test."""
    step = 0.001
    transform = from_origin(-86.0, 40.0 + 1.5 * step, step, step)  # centre row at 40° N
    geod = Geod(ellps="WGS84")
    east_m = geod.inv(-86.0, 40.0, -86.0 + step, 40.0)[2]
    north_m = geod.inv(-86.0, 40.0 - step / 2, -86.0, 40.0 + step / 2)[2]
    east = slope_degrees(
        dem(plane(3, 3, east_m_per_cell=east_m), crs="EPSG:4326", transform=transform)
    )
    assert east.values[1, 1] == pytest.approx(45.0, abs=1e-3)
    rising_north = plane(3, 3, south_m_per_cell=-north_m)
    north = slope_degrees(dem(rising_north, crs="EPSG:4326", transform=transform))
    assert north.values[1, 1] == pytest.approx(45.0, abs=1e-3)
    # a 0.001° step of longitude at 40° N is 85.39 m on WGS 84
    assert east_m == pytest.approx(85.39, abs=0.01)


def test_geographic_cell_size_shrinks_with_latitude():
    transform = from_origin(-90.0, 50.0, 1.0, 1.0)  # rows centred at 49.5° ... 40.5° N
    east_m, north_m = cell_size_m(dem(np.zeros((10, 1)), crs="EPSG:4269", transform=transform))
    assert np.all(np.diff(east_m) > 0)  # wider southwards
    assert east_m[-1] == pytest.approx(Geod(ellps="GRS80").inv(-90, 40.5, -89, 40.5)[2], rel=1e-4)
    assert north_m[0] == pytest.approx(Geod(ellps="GRS80").inv(-90, 49, -90, 50)[2], rel=1e-4)


def test_rotated_raster_is_an_error():
    rotated = from_origin(0, 4, 1, 1) * from_origin(0, 0, 1, 1).rotation(10)
    with pytest.raises(DataError, match="rotated"):
        slope_degrees(dem(np.zeros((3, 3)), transform=rotated))


def test_engineering_crs_is_an_error():
    wkt = (
        'ENGCRS["site grid",EDATUM["site"],CS[Cartesian,2],'
        'AXIS["x",east,LENGTHUNIT["metre",1]],AXIS["y",north,LENGTHUNIT["metre",1]]]'
    )
    with pytest.raises(CRSError, match="neither projected nor geographic"):
        slope_degrees(dem(np.zeros((3, 3)), crs=wkt))


# ---------------------------------------------------------------------------------------------
# reading
# ---------------------------------------------------------------------------------------------


def test_3dep_float_dem_has_nan_at_nodata_and_metres(tmp_path):
    values = np.array([[250.5, -999999.0], [251.0, 252.25]], dtype=np.float32)
    path = write_geotiff(
        tmp_path / "USGS_13_n40w087.tif",
        values,
        crs="EPSG:4269",
        transform=from_origin(-87.0, 40.0, 1 / 10800, 1 / 10800),
        nodata=-999999.0,
    )
    out = read_dem(path)
    np.testing.assert_array_equal(out.values, [[250.5, np.nan], [251.0, 252.25]])
    assert out.units == "m" and out.crs == "EPSG:4269"


def test_integer_dem_becomes_float_with_nan_at_nodata(tmp_path):
    values = np.array([[180, -32768], [181, 182]], dtype=np.int16)
    out = read_dem(write_geotiff(tmp_path / "srtm.tif", values, nodata=-32768, units="metre"))
    assert np.issubdtype(out.values.dtype, np.floating)
    np.testing.assert_array_equal(out.values, [[180.0, np.nan], [181.0, 182.0]])


def test_dem_in_feet_is_rejected(tmp_path):
    path = write_geotiff(tmp_path / "ft.tif", np.ones((2, 2), np.float32), units="ft")
    with pytest.raises(DataError, match=r"ft\.tif: elevations are in 'ft'; expected metres"):
        read_dem(path)


def test_missing_dem_and_dem_without_crs(tmp_path):
    with pytest.raises(DataFileNotFound, match="file not found"):
        read_dem(tmp_path / "dem.tif")
    with pytest.raises(CRSError, match="no CRS"):
        read_dem(write_geotiff(tmp_path / "nocrs.tif", np.ones((2, 2), np.float32), crs=None))
