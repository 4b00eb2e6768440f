"""The analysis grid, and the only code that puts data onto it.

One :class:`Grid` per run (CRS, bounds, resolution in metres). Vectors are burned with
``rasterio.features.rasterize``, rasters are resampled with ``rasterio.warp.reproject`` and
distances come from a Euclidean distance transform (the ``edt`` package), so buffers are true
circles and every step is linear in the number of cells.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass

import edt
import geopandas as gpd
import numpy as np
import rasterio.enums
import rasterio.features
import rasterio.transform
import rasterio.warp
import xarray as xr
from affine import Affine
from pyproj import CRS
from scipy import ndimage

from siting.errors import CRSError, DataError

#: Threads of each Euclidean distance transform (the transform's result does not depend on it).
EDT_THREADS = max(1, min(os.cpu_count() or 1, 8))

#: Widest buffer, in cells, done by binary dilation rather than a distance transform.
DILATE_MAX_CELLS = 4

SQ_M_PER_KM2 = 1.0e6


@dataclass(frozen=True, kw_only=True)
class Grid:
    """A north-up pixel grid in a projected CRS with square cells.

    Parameters
    ----------
    crs : str
        Projected CRS with metre units, e.g. ``"EPSG:5070"`` (CONUS Albers equal area).
    bounds : tuple of float
        ``(xmin, ymin, xmax, ymax)`` of the outer cell edges. [m]
    resolution_m : float
        Cell edge length. [m]
    """

    crs: str
    bounds: tuple[float, float, float, float]
    resolution_m: float

    def __post_init__(self) -> None:
        xmin, ymin, xmax, ymax = self.bounds
        if not self.resolution_m > 0:
            raise ValueError(f"resolution_m must be positive, got {self.resolution_m!r}")
        if not (xmax > xmin and ymax > ymin):
            raise ValueError(
                f"bounds must be (xmin, ymin, xmax, ymax) with max > min, got {self.bounds}"
            )
        crs = CRS.from_user_input(self.crs)
        if not crs.is_projected or crs.axis_info[0].unit_name not in ("metre", "meter"):
            raise CRSError(f"the analysis grid needs a projected CRS in metres, got {self.crs!r}")

    @classmethod
    def covering(
        cls, bounds: tuple[float, float, float, float], *, crs: str, resolution_m: float
    ) -> Grid:
        """The grid of ``resolution_m`` cells, snapped to multiples of it, covering ``bounds``."""
        res = float(resolution_m)
        xmin = math.floor(bounds[0] / res) * res
        ymin = math.floor(bounds[1] / res) * res
        xmax = math.ceil(bounds[2] / res) * res
        ymax = math.ceil(bounds[3] / res) * res
        return cls(crs=crs, bounds=(xmin, ymin, xmax, ymax), resolution_m=res)

    @property
    def shape(self) -> tuple[int, int]:
        """``(rows, cols)``."""
        xmin, ymin, xmax, ymax = self.bounds
        return (round((ymax - ymin) / self.resolution_m), round((xmax - xmin) / self.resolution_m))

    @property
    def transform(self) -> Affine:
        """Affine transform from (col, row) to (x, y) of the upper-left cell corner."""
        return rasterio.transform.from_origin(
            self.bounds[0], self.bounds[3], self.resolution_m, self.resolution_m
        )

    @property
    def cell_area_km2(self) -> float:
        """Area of one cell. [km²]"""
        return self.resolution_m**2 / SQ_M_PER_KM2

    @property
    def x(self) -> np.ndarray:
        """Cell-centre x coordinates, west to east. [m]"""
        return self.bounds[0] + (np.arange(self.shape[1]) + 0.5) * self.resolution_m

    @property
    def y(self) -> np.ndarray:
        """Cell-centre y coordinates, north to south. [m]"""
        return self.bounds[3] - (np.arange(self.shape[0]) + 0.5) * self.resolution_m

    def template(self, values: np.ndarray, *, name: str, units: str, **attrs: str) -> xr.DataArray:
        """Wrap an array of this grid's shape as a named DataArray with coordinates and units."""
        if values.shape != self.shape:
            raise ValueError(f"array shape {values.shape} does not match grid shape {self.shape}")
        return xr.DataArray(
            values,
            dims=("y", "x"),
            coords={"y": self.y, "x": self.x},
            name=name,
            attrs={"units": units, "crs": self.crs, **attrs},
        )


def padded(grid: Grid, margin_m: float) -> tuple[Grid, tuple[slice, slice]]:
    """The grid grown by ``margin_m`` (rounded up to whole cells) on every side, and the
    (row, column) slices that crop an array on it back to ``grid``.

    Distances to features are computed on the padded grid so that features just outside the
    study area still count.

    >>> small = Grid(crs="EPSG:5070", bounds=(0.0, 0.0, 2000.0, 1000.0), resolution_m=1000.0)
    >>> big, crop = padded(small, 1500.0)
    >>> big.shape, crop
    ((5, 6), (slice(2, 3, None), slice(2, 4, None)))
    """
    n = math.ceil(margin_m / grid.resolution_m - 1e-9)
    pad = n * grid.resolution_m
    xmin, ymin, xmax, ymax = grid.bounds
    big = Grid(
        crs=grid.crs,
        bounds=(xmin - pad, ymin - pad, xmax + pad, ymax + pad),
        resolution_m=grid.resolution_m,
    )
    rows, cols = grid.shape
    return big, (slice(n, n + rows), slice(n, n + cols))


def to_grid_crs(gdf: gpd.GeoDataFrame, grid: Grid, *, what: str) -> gpd.GeoDataFrame:
    """Return ``gdf`` in the grid's CRS; a frame without a CRS is an error naming ``what``."""
    if gdf.crs is None:
        raise CRSError(f"{what}: no CRS; write the file with its CRS (e.g. EPSG:4326 or EPSG:5070)")
    if CRS.from_user_input(gdf.crs) == CRS.from_user_input(grid.crs):
        return gdf
    return gdf.to_crs(grid.crs)


def rasterize_mask(
    gdf: gpd.GeoDataFrame, grid: Grid, *, what: str, all_touched: bool = False
) -> np.ndarray:
    """Boolean mask of the cells covered by the features of ``gdf``.

    Polygons burn the cells whose centre they contain (``all_touched=False``); lines and points
    should use ``all_touched=True`` so that every cell they cross is marked.
    """
    gdf = to_grid_crs(gdf, grid, what=what)
    shapes = [g for g in gdf.geometry.values if g is not None and not g.is_empty]
    if not shapes:
        return np.zeros(grid.shape, dtype=bool)
    burned = rasterio.features.rasterize(
        ((g, 1) for g in shapes),
        out_shape=grid.shape,
        transform=grid.transform,
        fill=0,
        all_touched=all_touched,
        dtype="uint8",
    )
    return burned.astype(bool)


def _value_pairs(gdf: gpd.GeoDataFrame, column: str, grid: Grid, *, what: str) -> list:
    """(geometry, value) of the features with a geometry and a finite value, in the grid CRS."""
    if column not in gdf.columns:
        raise DataError(f"{what}: column {column!r} missing; found {list(gdf.columns)}")
    gdf = to_grid_crs(gdf, grid, what=what)
    values = gdf[column].astype("float64").to_numpy()
    return [
        (g, float(v))
        for g, v in zip(gdf.geometry.values, values, strict=True)
        if g is not None and not g.is_empty and np.isfinite(v)
    ]


def rasterize_values(
    gdf: gpd.GeoDataFrame, column: str, grid: Grid, *, what: str, all_touched: bool = False
) -> np.ndarray:
    """Float32 raster of ``gdf[column]`` burned by polygon; NaN where no polygon covers a cell.

    Where polygons overlap the later feature wins, as in ``rasterio.features.rasterize``.
    """
    pairs = _value_pairs(gdf, column, grid, what=what)
    if not pairs:
        return np.full(grid.shape, np.nan, dtype=np.float32)
    return rasterio.features.rasterize(
        pairs,
        out_shape=grid.shape,
        transform=grid.transform,
        fill=np.nan,
        all_touched=all_touched,
        dtype="float32",
    )


def rasterize_sum(gdf: gpd.GeoDataFrame, column: str, grid: Grid, *, what: str) -> np.ndarray:
    """Float64 raster of the sum of ``gdf[column]`` over the points in each cell; 0 where none.

    Each point adds its value to the cell that contains it (``rasterio.features.rasterize``
    with ``MergeAlg.add``), so points sharing a cell are summed, not overwritten; points off the
    grid and NaN values add nothing.

    >>> import shapely
    >>> grid = Grid(crs="EPSG:5070", bounds=(0.0, 0.0, 2000.0, 1000.0), resolution_m=1000.0)
    >>> pts = gpd.GeoDataFrame({"mw": [5.0, 7.0, 1.0]}, crs="EPSG:5070",
    ...                        geometry=shapely.points([100, 900, 1500], [500, 100, 500]))
    >>> rasterize_sum(pts, "mw", grid, what="plants").tolist()
    [[12.0, 1.0]]
    """
    pairs = _value_pairs(gdf, column, grid, what=what)
    if not pairs:
        return np.zeros(grid.shape, dtype=np.float64)
    return rasterio.features.rasterize(
        pairs,
        out_shape=grid.shape,
        transform=grid.transform,
        fill=0.0,
        merge_alg=rasterio.enums.MergeAlg.add,
        dtype="float64",
    )


def distance_km(mask: np.ndarray, grid: Grid) -> np.ndarray:
    """Euclidean distance from every cell centre to the nearest marked cell centre. [km]

    Cells inside the mask are at distance 0. With nothing marked the distance is unknown and
    every cell is NaN, never a favourable zero.
    """
    if not mask.any():
        return np.full(grid.shape, np.nan, dtype=np.float32)
    return _transform_km(mask, grid.resolution_m)


def _transform_km(mask: np.ndarray, resolution_m: float) -> np.ndarray:
    """The Euclidean distance transform of a mask with at least one marked cell. [km]"""
    res = np.float32(resolution_m / 1000.0)
    far = edt.edt(~mask, anisotropy=(res, res), black_border=False, parallel=EDT_THREADS)
    return far.astype(np.float32, copy=False)


def cropped_distance_km(mask: np.ndarray, grid: Grid, crop: tuple[slice, slice]) -> np.ndarray:
    """``distance_km(mask, grid)[crop]`` as a new array, from a transform of fewer cells. [km]

    ``grid`` is a padded grid and ``crop`` the slices back to the analysis grid
    (:func:`padded`). The transform runs on the smallest window that holds the crop and every
    marked cell: a cell outside both marks nothing, so leaving it out changes no distance, and
    the transform's time is linear in its cells. Features far out in the margin on one side
    only (high voltages, few points) leave much of the margin out.
    """
    marked_rows = np.flatnonzero(mask.any(axis=1))
    if marked_rows.size == 0:
        return np.full(mask[crop].shape, np.nan, dtype=np.float32)
    marked_cols = np.flatnonzero(mask.any(axis=0))
    r0 = min(crop[0].start, int(marked_rows[0]))
    r1 = max(crop[0].stop, int(marked_rows[-1]) + 1)
    c0 = min(crop[1].start, int(marked_cols[0]))
    c1 = max(crop[1].stop, int(marked_cols[-1]) + 1)
    far = _transform_km(mask[r0:r1, c0:c1], grid.resolution_m)
    inner = (
        slice(crop[0].start - r0, crop[0].stop - r0),
        slice(crop[1].start - c0, crop[1].stop - c0),
    )
    return far[inner].copy() if far[inner].shape != far.shape else far


def buffer_mask(mask: np.ndarray, grid: Grid, *, distance_m: float) -> np.ndarray:
    """Cells whose centre lies within ``distance_m`` of a marked cell centre (a true circle).

    Buffers up to :data:`DILATE_MAX_CELLS` cells are a binary dilation by the disc of cell
    offsets within ``distance_m`` (no distance transform); wider ones threshold
    :func:`distance_km`. Both give the same cells.
    """
    if distance_m <= 0 or not mask.any():
        return mask.copy()
    radius_cells = distance_m / grid.resolution_m
    if radius_cells < 1.0:
        return mask.copy()
    if radius_cells <= DILATE_MAX_CELLS:
        return dilate_by_disc(mask, _offsets_within(distance_m, grid))
    return distance_km(mask, grid) <= np.float32(distance_m / 1000.0)


def _offsets_within(distance_m: float, grid: Grid) -> np.ndarray:
    """Boolean disc of the cell offsets whose centres lie within ``distance_m`` of the centre,
    from the distance transform of one cell, so that the float32 distances on the disc's edge
    compare as they do in :func:`distance_km`."""
    window = offset_distance_km(math.floor(distance_m / grid.resolution_m), grid)
    return window <= np.float32(distance_m / 1000.0)


def offset_distance_km(radius_cells: int, grid: Grid) -> np.ndarray:
    """:func:`distance_km` from the centre cell of a ``2 r + 1`` square window of ``grid``'s
    cells, ``r = radius_cells``: the float32 distance of each cell offset, as the transform of a
    whole mask gives it, to build dilation discs that select the cells a threshold on
    :func:`distance_km` selects. [km]"""
    r = int(radius_cells)
    centre = np.zeros((2 * r + 1, 2 * r + 1), dtype=bool)
    centre[r, r] = True
    size_m = (2 * r + 1) * grid.resolution_m
    window = Grid(crs=grid.crs, bounds=(0.0, 0.0, size_m, size_m), resolution_m=grid.resolution_m)
    return distance_km(centre, window)


def dilate_by_disc(mask: np.ndarray, disc: np.ndarray) -> np.ndarray:
    """Binary dilation of ``mask`` by ``disc``, cells beyond the edge unmarked.

    ``disc`` is a square boolean array of odd side, marked at its centre, symmetric about its
    centre row and column, each row as wide as or narrower than the row next to it towards the
    centre (a lattice disc, :func:`_offsets_within`). Such a disc is the union of the rectangles
    ``[-dy, dy] × [-w(dy), w(dy)]`` with ``w(dy)`` the half-width of row ``dy``, and a maximum
    filter by a rectangle runs as two one-dimensional passes whatever its size, so this takes a
    few passes where ``scipy.ndimage.binary_dilation`` takes one per offset of the disc; the
    cells are the same.
    """
    r = disc.shape[0] // 2
    half_width_by_rows: dict[int, int] = {}
    for dy in range(r + 1):
        marked = np.flatnonzero(disc[r + dy])
        if marked.size:
            half_width_by_rows[int(marked[-1]) - r] = dy  # the tallest rectangle of each width
    rectangles = [(2 * dy + 1, 2 * w + 1) for w, dy in half_width_by_rows.items()]
    out = np.zeros(mask.shape, dtype=bool)
    for size in rectangles:
        out |= ndimage.maximum_filter(mask, size=size, mode="constant", cval=0)
    return out


def regrid_points(
    lon: np.ndarray, lat: np.ndarray, values: np.ndarray, grid: Grid, *, step_deg: float
) -> np.ndarray:
    """Bilinear resampling of values on a regular lon/lat lattice (cell centres) onto the grid.

    Parameters
    ----------
    lon, lat : numpy.ndarray
        Cell-centre coordinates of the lattice points. [degrees, EPSG:4326]
    values : numpy.ndarray
        One value per point, or one row of values per band ``(bands, points)``, warped
        together in one pass; NaN for missing.
    step_deg : float
        Lattice spacing. [degrees]

    Returns
    -------
    numpy.ndarray
        Float32 array of the grid's shape, or ``(bands, *grid.shape)``; NaN where the lattice
        has no data.
    """
    values = np.asarray(values, dtype=np.float32)
    bands = values.shape[:-1]
    cols = np.rint((lon - lon.min()) / step_deg).astype(int)
    rows = np.rint((lat.max() - lat) / step_deg).astype(int)
    src = np.full((*bands, rows.max() + 1, cols.max() + 1), np.nan, dtype=np.float32)
    src[..., rows, cols] = values
    src_transform = rasterio.transform.from_origin(
        lon.min() - step_deg / 2, lat.max() + step_deg / 2, step_deg, step_deg
    )
    dst = np.full((*bands, *grid.shape), np.nan, dtype=np.float32)
    rasterio.warp.reproject(
        src,
        dst,
        src_transform=src_transform,
        src_crs="EPSG:4326",
        src_nodata=np.nan,
        dst_transform=grid.transform,
        dst_crs=grid.crs,
        dst_nodata=np.nan,
        resampling=rasterio.warp.Resampling.bilinear,
        num_threads=EDT_THREADS,
    )
    return dst


#: Resampling methods of :func:`warp_to_grid`: ``nearest`` and ``mode`` for class codes,
#: ``bilinear``, ``average`` and ``max`` for quantities.
RESAMPLING = {
    "nearest": rasterio.warp.Resampling.nearest,
    "bilinear": rasterio.warp.Resampling.bilinear,
    "average": rasterio.warp.Resampling.average,
    "mode": rasterio.warp.Resampling.mode,
    "max": rasterio.warp.Resampling.max,
}


def warp_to_grid(
    values: np.ndarray,
    *,
    transform: Affine,
    crs: str,
    grid: Grid,
    resampling: str,
    nodata: float | None = None,
) -> np.ndarray:
    """Resample a raster band onto the grid with ``rasterio.warp.reproject``.

    Parameters
    ----------
    values : numpy.ndarray
        The source band ``(rows, cols)``; NaN and ``nodata`` cells are no data.
    transform : affine.Affine
        The source's (col, row) → (x, y) transform, in ``crs`` units.
    crs : str
        The source's CRS (EPSG string or WKT).
    grid : Grid
        The analysis grid.
    resampling : str
        One of :data:`RESAMPLING`. Class rasters (land-cover codes) need ``"nearest"`` or
        ``"mode"``, which return codes that exist in the source; ``"average"`` gives the mean
        of the source cells within each grid cell, ignoring no-data cells.
    nodata : float, optional
        The source's no-data value (integer class rasters keep theirs as a code).

    Returns
    -------
    numpy.ndarray
        Float32 array of the grid's shape (class codes as float32); NaN outside the source and
        where the source has no data.

    Examples
    --------
    >>> grid = Grid(crs="EPSG:5070", bounds=(0.0, 0.0, 2000.0, 1000.0), resolution_m=1000.0)
    >>> src = np.array([[1, 2, 3, 4], [5, 6, 7, 8]], dtype=np.uint8)
    >>> warp_to_grid(src, transform=rasterio.transform.from_origin(0, 1000, 500, 500),
    ...              crs="EPSG:5070", grid=grid, resampling="average").tolist()
    [[3.5, 5.5]]
    """
    if resampling not in RESAMPLING:
        raise ValueError(f"resampling must be one of {sorted(RESAMPLING)}, got {resampling!r}")
    src = values.astype(np.float32)
    if nodata is not None and not np.isnan(nodata):
        src[values == nodata] = np.nan
    dst = np.full(grid.shape, np.nan, dtype=np.float32)
    rasterio.warp.reproject(
        src,
        dst,
        src_transform=transform,
        src_crs=crs,
        src_nodata=np.nan,
        dst_transform=grid.transform,
        dst_crs=grid.crs,
        dst_nodata=np.nan,
        resampling=RESAMPLING[resampling],
    )
    return dst
