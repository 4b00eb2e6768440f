"""Candidate regions: the N best contiguous, compact regions of at least the required area.

Like ArcGIS Pro's *Locate Regions*: seeds are ranked by the mean score of a disc of the required
area around them (a focal mean, with excluded cells counting as zero), and from each seed in
turn a region grows cell by cell, always taking the best-scoring free neighbour, until it has
the required area. Regions never touch excluded cells, never overlap, keep at least the
minimum spacing from each other and stay within twice the disc radius of their seed.
"""

from __future__ import annotations

import heapq
import math

import geopandas as gpd
import numpy as np
import rasterio.features
import shapely.geometry
from scipy import ndimage

from siting.grid import Grid, buffer_mask

#: Weight of a cell's distance from the seed (in disc radii) against its score while growing.
COMPACTNESS = 0.05
#: A region may reach this many disc radii from its seed.
REACH_RADII = 2.0


def disc(radius_cells: float) -> np.ndarray:
    """Boolean disc of cells whose centres lie within ``radius_cells`` of the centre cell.

    >>> int(disc(1.0).sum()), int(disc(1.5).sum())
    (5, 9)
    """
    r = math.floor(radius_cells)
    yy, xx = np.mgrid[-r : r + 1, -r : r + 1]
    return (yy**2 + xx**2) <= radius_cells**2 + 1e-9


def disc_for_cells(n_cells: int) -> np.ndarray:
    """The smallest disc (radius growing in quarter cells) holding at least ``n_cells`` cells."""
    radius = math.sqrt(n_cells / math.pi)
    while disc(radius).sum() < n_cells:
        radius += 0.25
    return disc(radius)


def required_cells(min_area_km2: float, grid: Grid) -> int:
    """Number of cells needed to cover ``min_area_km2``."""
    return max(1, math.ceil(min_area_km2 / grid.cell_area_km2 - 1e-9))


def seed_order(score: np.ndarray, kernel: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Feasible cells ordered by the mean score of the disc around them, best first.

    Returns the flat cell indices and their focal means; ties go to the lower index.
    """
    filled = np.nan_to_num(score, nan=0.0).astype(np.float32)
    focal = ndimage.correlate(filled, kernel.astype(np.float32), mode="constant", cval=0.0)
    focal /= np.float32(kernel.sum())
    feasible = np.flatnonzero(np.isfinite(score).ravel())
    order = np.lexsort((feasible, -focal.ravel()[feasible]))
    return feasible[order], focal.ravel()[feasible[order]]


def grow_region(
    seed: int, score: np.ndarray, free: np.ndarray, *, n_cells: int, reach_cells: float
) -> list[int] | None:
    """Grow a 4-connected region from ``seed`` over ``free`` cells; None if it stays too small.

    Each step adds the frontier cell with the highest ``score − COMPACTNESS × distance/reach``.
    """
    rows, cols = score.shape
    r0, c0 = divmod(seed, cols)
    region = [seed]
    seen = {seed}
    frontier: list[tuple[float, int]] = []

    def push_neighbours(cell: int) -> None:
        r, c = divmod(cell, cols)
        for rr, cc in ((r - 1, c), (r + 1, c), (r, c - 1), (r, c + 1)):
            if 0 <= rr < rows and 0 <= cc < cols:
                n = rr * cols + cc
                if n in seen or not free[rr, cc]:
                    continue
                seen.add(n)
                dist = math.hypot(rr - r0, cc - c0)
                if dist <= reach_cells:
                    priority = float(score[rr, cc]) - COMPACTNESS * dist / reach_cells
                    heapq.heappush(frontier, (-priority, n))

    push_neighbours(seed)
    while len(region) < n_cells:
        if not frontier:
            return None
        _, cell = heapq.heappop(frontier)
        region.append(cell)
        push_neighbours(cell)
    return region


def locate_regions(
    score: np.ndarray, grid: Grid, *, min_area_km2: float, count: int, min_spacing_km: float
) -> np.ndarray:
    """Label the ``count`` best contiguous regions of at least ``min_area_km2``.

    Parameters
    ----------
    score : numpy.ndarray
        Suitability score in [0, 1]; NaN where excluded.
    grid : Grid
        The analysis grid of ``score``.
    min_area_km2 : float
        Required contiguous area of one region. [km²]
    count : int
        Number of regions wanted; fewer are returned when the land runs out.
    min_spacing_km : float
        Minimum distance between the polygons of two regions. [km]

    Returns
    -------
    numpy.ndarray
        int32 labels: 0 outside every region, k for the k-th region found (best seed first).
    """
    n_cells = required_cells(min_area_km2, grid)
    kernel = disc_for_cells(n_cells)
    reach = REACH_RADII * (kernel.shape[0] // 2 + 0.5)
    labels = np.zeros(score.shape, dtype=np.int32)
    free = np.isfinite(score)
    seeds, _ = seed_order(score, kernel)
    found = 0
    for seed in seeds:
        if found == count:
            break
        if not free.flat[seed]:
            continue
        cells = grow_region(int(seed), score, free, n_cells=n_cells, reach_cells=reach)
        if cells is None:
            continue
        found += 1
        labels.flat[cells] = found
        free &= ~_blocked_by(labels == found, grid, min_spacing_km=min_spacing_km)
    return labels


def _blocked_by(region: np.ndarray, grid: Grid, *, min_spacing_km: float) -> np.ndarray:
    """The region and every cell within the spacing of it, computed in a window around it."""
    pad = math.ceil(min_spacing_km * 1000.0 / grid.resolution_m) + 3
    rows, cols = np.nonzero(region)
    r0, r1 = max(rows.min() - pad, 0), min(rows.max() + pad + 1, region.shape[0])
    c0, c1 = max(cols.min() - pad, 0), min(cols.max() + pad + 1, region.shape[1])
    window = region[r0:r1, c0:c1]
    sub = Grid(
        crs=grid.crs,
        bounds=(0.0, 0.0, (c1 - c0) * grid.resolution_m, (r1 - r0) * grid.resolution_m),
        resolution_m=grid.resolution_m,
    )
    blocked = np.zeros(region.shape, dtype=bool)
    # centres more than spacing + √2·res apart put the cells' edges at least the spacing apart
    reach_m = (
        min_spacing_km * 1000.0 + math.sqrt(2.0) * grid.resolution_m if min_spacing_km > 0 else 0.0
    )
    blocked[r0:r1, c0:c1] = buffer_mask(window, sub, distance_m=reach_m)
    return blocked


def region_polygons(labels: np.ndarray, grid: Grid) -> gpd.GeoDataFrame:
    """One (multi)polygon per region label, in the grid's CRS, with column ``label``."""
    shapes = rasterio.features.shapes(
        labels, mask=labels > 0, transform=grid.transform, connectivity=4
    )
    parts: dict[int, list] = {}
    for geom, value in shapes:
        parts.setdefault(int(value), []).append(shapely.geometry.shape(geom))
    ids = sorted(parts)
    geoms = [shapely.union_all(parts[i]) for i in ids]
    return gpd.GeoDataFrame({"label": ids}, geometry=geoms, crs=grid.crs)
