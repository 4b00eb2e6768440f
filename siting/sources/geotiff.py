"""GeoTIFF rasters: one value type for a band of a raster file, and its reader.

:class:`RasterData` holds one band as a numpy array with the affine transform and CRS that place
it on the Earth, its no-data value and units, and the file it came from. It is what the raster
readers of :mod:`siting.sources` return (land cover, elevation); :func:`siting.grid.warp_to_grid`
puts it on the analysis grid. Float rasters carry NaN where the file has its no-data value
(UNKNOWN, never zero); integer rasters of class codes stay integers and record their no-data
code in ``nodata``.

References
----------
Ritter, N., Ruth, M. et al. (2000). GeoTIFF Format Specification, revision 1.0; OGC GeoTIFF
Standard 1.1 (2019). https://www.ogc.org/standard/geotiff/

Gillies, S. et al. Rasterio: geospatial raster I/O for Python programmers.
https://rasterio.readthedocs.io/
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import rasterio
import rasterio.errors
from affine import Affine
from rasterio.transform import array_bounds

from siting.errors import CRSError, DataError, DataFileNotFound


@dataclass(frozen=True, kw_only=True)
class RasterData:
    """One band of a raster file, placed on the Earth.

    Parameters
    ----------
    values : numpy.ndarray
        The band, ``(rows, cols)``, north row first for a north-up raster. Float bands hold NaN
        for no data; integer bands (class codes) hold the ``nodata`` code.
    transform : affine.Affine
        From (col, row) to (x, y) of the upper-left corner of a cell, in ``crs`` units.
    crs : str
        The raster's CRS, as ``"EPSG:nnnn"`` when it has an EPSG code, else WKT.
    nodata : float or None
        The file's no-data value (``None`` if it declares none).
    units : str
        Units of the values (``"m"``, ``"class"``, ``"degrees"``; ``""`` if unknown).
    path : str
        The file read.

    Examples
    --------
    >>> r = RasterData(values=np.zeros((2, 3)), transform=Affine(30, 0, 0, 0, -30, 60),
    ...                crs="EPSG:5070", nodata=None, units="m", path="dem.tif")
    >>> r.shape, r.bounds
    ((2, 3), (0.0, 0.0, 90.0, 60.0))
    """

    values: np.ndarray
    transform: Affine
    crs: str
    nodata: float | None
    units: str
    path: str

    @property
    def shape(self) -> tuple[int, int]:
        """``(rows, cols)``."""
        return self.values.shape

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """``(xmin, ymin, xmax, ymax)`` of the outer cell edges, in ``crs`` units."""
        rows, cols = self.values.shape
        return tuple(float(v) for v in array_bounds(rows, cols, self.transform))


def read_geotiff(path: str | Path, *, band: int = 1, units: str = "") -> RasterData:
    """Read one band of a GeoTIFF (or any raster GDAL reads) with its transform and CRS.

    Parameters
    ----------
    path : str or pathlib.Path
        The raster file.
    band : int
        Band number, from 1.
    units : str
        Units of the values, recorded in the result; by default the band's unit tag in the file
        (``""`` when it has none).

    Returns
    -------
    RasterData
        The band: float bands with NaN at the file's no-data value, integer bands unchanged
        with the no-data code in ``nodata``.

    Raises
    ------
    DataFileNotFound, DataError, CRSError
        The file is missing, is not a raster, has no such band, or has no CRS.
    """
    path = Path(path)
    if not path.is_file():
        raise DataFileNotFound(f"{path}: file not found")
    try:
        with rasterio.open(path) as src:
            if not 1 <= band <= src.count:
                raise DataError(f"{path}: no band {band}; the raster has {src.count} band(s)")
            if src.crs is None:
                raise CRSError(f"{path}: no CRS; write the raster with its CRS (e.g. EPSG:5070)")
            values = src.read(band)
            nodata = src.nodatavals[band - 1]
            file_units = src.units[band - 1] or ""
            return RasterData(
                values=_nodata_to_nan(values, nodata),
                transform=src.transform,
                crs=src.crs.to_string(),
                nodata=None if nodata is None else float(nodata),
                units=units or file_units,
                path=str(path),
            )
    except rasterio.errors.RasterioIOError as err:
        raise DataError(f"{path}: cannot read as a raster ({err})") from None


def _nodata_to_nan(values: np.ndarray, nodata: float | None) -> np.ndarray:
    """Float values with NaN at ``nodata``; integer values (class codes) unchanged."""
    if not np.issubdtype(values.dtype, np.floating) or nodata is None or np.isnan(nodata):
        return values
    return np.where(values == nodata, np.nan, values).astype(values.dtype)
