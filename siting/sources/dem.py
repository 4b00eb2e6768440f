"""Digital elevation models (e.g. USGS 3DEP): elevation in metres and slope in degrees.

:func:`read_dem` reads one band of elevations (3DEP 1/3 arc-second tiles ``USGS_13_n40w087.tif``
in NAD83 geographic coordinates, 1 m or 10 m projected products, or any GeoTIFF DEM) as float
metres, with the file's no-data value (3DEP writes -999999; SRTM -32768) as NaN. A band that
declares a vertical unit other than metres is rejected rather than guessed.

:func:`slope_degrees` is Horn's (1981) third-order finite difference on the 3 × 3 neighbourhood,
the method of GDAL's ``gdaldem slope``. Cell sizes are in metres: from the transform and the
CRS's linear unit for a projected CRS, and for a geographic CRS (EPSG:4269, EPSG:4326) the
length of a degree of longitude and of latitude on the CRS's ellipsoid at each row's latitude.

>>> from affine import Affine
>>> dem = RasterData(values=np.add.outer(np.zeros(3), np.arange(3.0) * 30), crs="EPSG:5070",
...                  transform=Affine(30, 0, 0, 0, -30, 90), nodata=None, units="m", path="")
>>> round(float(slope_degrees(dem).values[1, 1]), 6)
45.0

References
----------
Horn, B.K.P. (1981). Hill shading and the reflectance map. Proceedings of the IEEE 69(1),
14–47. doi:10.1109/PROC.1981.11918

GDAL. gdaldem: tools to analyze and visualize DEMs (slope, Horn's formula).
https://gdal.org/programs/gdaldem.html

Snyder, J.P. (1987). Map Projections: A Working Manual. U.S. Geological Survey Professional
Paper 1395 (radii of curvature of the ellipsoid). doi:10.3133/pp1395

U.S. Geological Survey (2024). 3D Elevation Program (3DEP) DEM products.
https://www.usgs.gov/3d-elevation-program
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
from pyproj import CRS

from siting.errors import CRSError, DataError
from siting.sources.geotiff import RasterData, read_geotiff

#: Spellings of metres accepted as a DEM band's unit tag (blank: metres, as 3DEP writes).
METRE_UNITS = ("", "m", "metre", "metres", "meter", "meters")


def read_dem(path: str | Path, *, band: int = 1) -> RasterData:
    """Read a DEM band as float elevations in metres, no data as NaN.

    Parameters
    ----------
    path : str or pathlib.Path
        A GeoTIFF DEM (USGS 3DEP or other), elevations in metres.
    band : int
        Band number, from 1.

    Returns
    -------
    RasterData
        ``values``: elevation [m] as float (float32 for integer files), NaN at the file's
        no-data value; ``units``: ``"m"``; the file's transform and CRS.

    Raises
    ------
    DataFileNotFound, DataError, CRSError
        The file is missing, not a raster or has no CRS; the band declares a unit other than
        metres.

    References
    ----------
    U.S. Geological Survey (2024). 3D Elevation Program. https://www.usgs.gov/3d-elevation-program
    """
    raster = read_geotiff(path, band=band)
    if raster.units.strip().lower() not in METRE_UNITS:
        raise DataError(
            f"{path}: elevations are in {raster.units!r}; expected metres. Convert the DEM to "
            "metres (e.g. gdal_calc.py) before reading it."
        )
    values = raster.values
    if not np.issubdtype(values.dtype, np.floating):
        values = values.astype(np.float32)
        if raster.nodata is not None:
            values[raster.values == raster.nodata] = np.nan
    return dataclasses.replace(raster, values=values, units="m")


def slope_degrees(dem: RasterData) -> RasterData:
    """Slope of the terrain by Horn's 3 × 3 method, as ``gdaldem slope`` computes it.

    Parameters
    ----------
    dem : RasterData
        Elevation [m] on a north-up grid (projected CRS in any linear unit, or geographic).

    Returns
    -------
    RasterData
        Slope [degrees] 0–90 as float32, on the DEM's cells; NaN on the edge cells and wherever
        the cell or one of its 3 × 3 neighbours has no data. ``units``: ``"degrees"``.

    Raises
    ------
    CRSError, DataError
        The CRS is neither projected nor geographic, or the transform is rotated.

    References
    ----------
    Horn, B.K.P. (1981). Hill shading and the reflectance map. Proc. IEEE 69(1), 14–47.
    doi:10.1109/PROC.1981.11918
    """
    dx_m, dy_m = cell_size_m(dem)
    z = np.asarray(dem.values, dtype=np.float64)
    rows, cols = z.shape
    out = np.full((rows, cols), np.nan, dtype=np.float32)
    if rows >= 3 and cols >= 3:
        dz_dx, dz_dy = _horn_gradient(z)
        rise = np.hypot(dz_dx / dx_m[1:-1, None], dz_dy / dy_m[1:-1, None])
        rise[np.isnan(z[1:-1, 1:-1])] = np.nan  # Horn's weights skip the centre cell
        out[1:-1, 1:-1] = np.degrees(np.arctan(rise))
    return dataclasses.replace(dem, values=out, nodata=None, units="degrees")


def cell_size_m(dem: RasterData) -> tuple[np.ndarray, np.ndarray]:
    """East–west and north–south length of the cells of each row. [m]

    Returns two arrays of one value per row: constant for a projected CRS (cell size times the
    CRS's metres per unit), and for a geographic CRS the cell size in degrees times the length
    of a degree of longitude (N cos φ π/180) and of latitude (M π/180) on the CRS's ellipsoid at
    the row's centre latitude φ, with N and M the prime-vertical and meridional radii of
    curvature (Snyder 1987).

    >>> from affine import Affine
    >>> dem = RasterData(values=np.zeros((1, 1)), transform=Affine(1, 0, 0, 0, -1, 60.5),
    ...                  crs="EPSG:4326", nodata=None, units="m", path="")
    >>> [round(float(v[0])) for v in cell_size_m(dem)]  # a degree at 60° N
    [55800, 111412]
    """
    t = dem.transform
    if t.b != 0 or t.d != 0:
        raise DataError(f"{dem.path}: the raster is rotated ({t}); warp it to a north-up grid")
    crs = CRS.from_user_input(dem.crs)
    rows = dem.values.shape[0]
    if crs.is_projected:
        metres = crs.axis_info[0].unit_conversion_factor
        return np.full(rows, abs(t.a) * metres), np.full(rows, abs(t.e) * metres)
    if crs.is_geographic:
        lat = np.radians(t.f + (np.arange(rows) + 0.5) * t.e)
        a = crs.ellipsoid.semi_major_metre
        e2 = 1.0 - (crs.ellipsoid.semi_minor_metre / a) ** 2
        w = np.sqrt(1.0 - e2 * np.sin(lat) ** 2)
        per_deg_lon = np.radians(1.0) * a / w * np.cos(lat)
        per_deg_lat = np.radians(1.0) * a * (1.0 - e2) / w**3
        return abs(t.a) * per_deg_lon, abs(t.e) * per_deg_lat
    raise CRSError(f"{dem.path}: CRS {dem.crs!r} is neither projected nor geographic")


def _horn_gradient(z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Horn's weighted differences of the interior cells, per cell (not yet per metre).

    With the neighbourhood ``a b c / d e f / g h i`` (north row first): east gradient
    ``((c + 2f + i) - (a + 2d + g)) / 8``, north-to-south gradient
    ``((g + 2h + i) - (a + 2b + c)) / 8``.
    """
    a, b, c = z[:-2, :-2], z[:-2, 1:-1], z[:-2, 2:]
    d, f = z[1:-1, :-2], z[1:-1, 2:]
    g, h, i = z[2:, :-2], z[2:, 1:-1], z[2:, 2:]
    dz_dx = ((c + 2 * f + i) - (a + 2 * d + g)) / 8.0
    dz_dy = ((g + 2 * h + i) - (a + 2 * b + c)) / 8.0
    return dz_dx, dz_dy
