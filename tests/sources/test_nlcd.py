"""NLCD land-cover reader on tiny GeoTIFFs of NLCD codes in EPSG:5070."""

from __future__ import annotations

import numpy as np
import pytest

from siting.errors import CRSError, DataError, DataFileNotFound
from siting.grid import Grid, warp_to_grid
from siting.sources.nlcd import (
    NLCD_CLASSES,
    NLCD_FILL,
    NLCD_GROUPS,
    group_codes,
    read_nlcd,
)
from tests.sources.test_geotiff import ALBERS_30M, write_geotiff

#: A 3 × 4 patch as the NLCD 2021 L48 file writes it: uint8 codes, 0 for no data at the edge.
NLCD_2021 = np.array(
    [
        [0, 11, 21, 22],
        [41, 42, 82, 81],
        [90, 95, 31, 24],
    ],
    dtype=np.uint8,
)


def test_codes_are_kept_and_nodata_becomes_the_one_fill_code(tmp_path):
    raster = read_nlcd(write_geotiff(tmp_path / "nlcd_2021.tif", NLCD_2021, nodata=0))
    assert raster.values.dtype == np.uint8
    expected = NLCD_2021.copy()
    expected[0, 0] = NLCD_FILL
    np.testing.assert_array_equal(raster.values, expected)
    assert raster.nodata == 250.0
    assert raster.units == "class"
    assert raster.crs == "EPSG:5070" and raster.transform == ALBERS_30M


def test_read_codes_warp_onto_the_grid_by_mode(tmp_path):
    """The intended use: read the codes, then ``warp_to_grid`` with the fill as no data."""
    codes = np.array([[82, 82, 41, 41], [82, 21, 41, 0], [0, 0, 90, 90], [0, 0, 90, 95]], np.uint8)
    raster = read_nlcd(write_geotiff(tmp_path / "nlcd.tif", codes, nodata=0))
    grid = Grid(
        crs="EPSG:5070", bounds=(600_000.0, 1_899_880.0, 600_120.0, 1_900_000.0), resolution_m=60.0
    )
    out = warp_to_grid(
        raster.values,
        transform=raster.transform,
        crs=raster.crs,
        grid=grid,
        resampling="mode",
        nodata=raster.nodata,
    )
    np.testing.assert_array_equal(out, [[82, 41], [np.nan, 90]])


def test_annual_nlcd_fill_and_clip_fill_are_no_data(tmp_path):
    codes = np.array([[250, 255], [71, 52]], dtype=np.uint8)  # no nodata tag in the file
    raster = read_nlcd(write_geotiff(tmp_path / "Annual_NLCD_LndCov_2023_CU_C1V0.tif", codes))
    np.testing.assert_array_equal(raster.values, [[250, 250], [71, 52]])


def test_code_outside_the_legend_is_named(tmp_path):
    codes = np.array([[11, 13], [99, 82]], dtype=np.uint8)
    with pytest.raises(DataError, match=r"codes \[13, 99\] are not NLCD classes"):
        read_nlcd(write_geotiff(tmp_path / "bad.tif", codes))


def test_float_band_is_not_a_class_raster(tmp_path):
    values = np.array([[11.0, 21.5]], dtype=np.float32)
    with pytest.raises(DataError, match=r"float32 values; expected integer codes"):
        read_nlcd(write_geotiff(tmp_path / "float.tif", values))


def test_missing_file_and_missing_crs(tmp_path):
    with pytest.raises(DataFileNotFound, match="file not found"):
        read_nlcd(tmp_path / "nlcd.tif")
    with pytest.raises(CRSError, match="no CRS"):
        read_nlcd(write_geotiff(tmp_path / "nocrs.tif", NLCD_2021, crs=None))


def test_legend_and_groups():
    assert len(NLCD_CLASSES) == 20
    assert NLCD_CLASSES[11] == "Open Water" and NLCD_CLASSES[95] == "Emergent Herbaceous Wetlands"
    assert group_codes("water") == (11, 12)
    assert group_codes("developed") == (21, 22, 23, 24)
    assert group_codes("barren") == (31,)
    assert group_codes("forest") == (41, 42, 43)
    assert group_codes("shrub") == (51, 52)
    assert group_codes("herbaceous") == (71, 72, 73, 74)
    assert group_codes("cropland") == (81, 82)
    assert group_codes("wetland") == (90, 95)
    assert set(NLCD_GROUPS) == set(NLCD_CLASSES)


def test_unknown_group_names_the_groups():
    with pytest.raises(ValueError, match=r"must be one of \['barren', 'cropland'.*got 'urban'"):
        group_codes("urban")
