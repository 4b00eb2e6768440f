"""The GeoTIFF value type and reader on tiny rasters written with rasterio."""

from __future__ import annotations

import numpy as np
import pytest
import rasterio
from rasterio.transform import from_origin

from siting.errors import CRSError, DataError, DataFileNotFound
from siting.sources.geotiff import RasterData, read_geotiff

#: 30 m cells in CONUS Albers with the upper-left corner at (600 km, 1900 km).
ALBERS_30M = from_origin(600_000.0, 1_900_000.0, 30.0, 30.0)


def write_geotiff(
    path, values, *, crs="EPSG:5070", transform=ALBERS_30M, nodata=None, units=None, bands=1
):
    """Write ``values`` as a GeoTIFF of ``bands`` equal bands (no CRS if ``crs`` is None)."""
    values = np.asarray(values)
    profile = {
        "driver": "GTiff",
        "height": values.shape[0],
        "width": values.shape[1],
        "count": bands,
        "dtype": values.dtype,
        "transform": transform,
        "nodata": nodata,
    }
    if crs is not None:
        profile["crs"] = crs
    with rasterio.open(path, "w", **profile) as dst:
        for band in range(1, bands + 1):
            dst.write(values, band)
        if units is not None:
            dst.units = (units,) * bands
    return path


def test_float_raster_has_nan_at_nodata_and_its_georeference(tmp_path):
    values = np.array([[1.5, -9999.0], [3.0, 4.0]], dtype=np.float32)
    raster = read_geotiff(write_geotiff(tmp_path / "a.tif", values, nodata=-9999.0), units="m")
    assert isinstance(raster, RasterData)
    assert raster.values.dtype == np.float32
    np.testing.assert_array_equal(raster.values, [[1.5, np.nan], [3.0, 4.0]])
    assert raster.nodata == -9999.0
    assert raster.crs == "EPSG:5070"
    assert raster.transform == ALBERS_30M
    assert raster.units == "m" and raster.path == str(tmp_path / "a.tif")
    assert raster.bounds == (600_000.0, 1_899_940.0, 600_060.0, 1_900_000.0)


def test_integer_class_raster_keeps_codes_and_records_nodata(tmp_path):
    codes = np.array([[11, 250], [82, 41]], dtype=np.uint8)
    raster = read_geotiff(write_geotiff(tmp_path / "c.tif", codes, nodata=250))
    assert raster.values.dtype == np.uint8
    np.testing.assert_array_equal(raster.values, codes)
    assert raster.nodata == 250.0


def test_units_default_to_the_band_tag(tmp_path):
    path = write_geotiff(tmp_path / "u.tif", np.ones((2, 2), np.float32), units="metre")
    assert read_geotiff(path).units == "metre"
    assert read_geotiff(path, units="m").units == "m"


def test_second_band_is_read(tmp_path):
    path = write_geotiff(tmp_path / "b.tif", np.full((2, 2), 7, np.int16), bands=2)
    assert read_geotiff(path, band=2).values[0, 0] == 7
    with pytest.raises(DataError, match=r"no band 3; the raster has 2 band"):
        read_geotiff(path, band=3)


def test_missing_file_is_named(tmp_path):
    with pytest.raises(DataFileNotFound, match=r"nope\.tif: file not found"):
        read_geotiff(tmp_path / "nope.tif")


def test_a_file_that_is_not_a_raster_is_an_error(tmp_path):
    path = tmp_path / "lines.geojson"
    path.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    with pytest.raises(DataError, match=r"lines\.geojson: cannot read as a raster"):
        read_geotiff(path)


def test_raster_without_crs_is_an_error(tmp_path):
    path = write_geotiff(tmp_path / "nocrs.tif", np.ones((2, 2), np.float32), crs=None)
    with pytest.raises(CRSError, match=r"nocrs\.tif: no CRS"):
        read_geotiff(path)
