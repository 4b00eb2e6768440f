"""A SYNTHETIC transmission network over CONUS, and distances to it window by window.

No national transmission lines or substations are bundled, so the national raster run
measures its grid-distance layers against a generated, fixed-seed network: straight line
segments placed at random over the CONUS extent, with a substation at each end. The layers
built from it are a computing workload of the right shape, not data about any place, and every
output of the run labels them SYNTHETIC.

Line cells are burned with ``rasterio.features.rasterize`` (every cell a segment touches) on
windows aligned to the global cell lattice (multiples of the cell size from x = 0, y = 0), and
a substation's cell is the lattice cell holding it, so a cell is a feature cell or not whatever
window it is seen from. Distances come from the ``edt``
package on the window padded by the distance cap; capped at that distance they equal the
distances over the whole grid, and so do not depend on the chunking.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import edt
import numpy as np
import rasterio.features
import rasterio.transform
import shapely

#: Seed of the generated network: the same seed gives the same network, cell for cell.
SEED = 20240601
#: Segments of the generated network, and their length range. [-], [m]
N_SEGMENTS = 2500
SEGMENT_LENGTH_M = (20_000.0, 150_000.0)
#: Label written beside every value taken from the generated network.
LABEL = "SYNTHETIC"


@dataclass(frozen=True, kw_only=True)
class SyntheticNetwork:
    """Line segments ``(x0, y0, x1, y1)`` and substation points ``(x, y)`` in EPSG:5070. [m]"""

    segments_m: np.ndarray
    substations_m: np.ndarray
    seed: int


def synthetic_network(
    bounds_m: tuple[float, float, float, float], *, seed: int = SEED
) -> SyntheticNetwork:
    """A SYNTHETIC network of :data:`N_SEGMENTS` straight segments over ``bounds_m``.

    Each segment starts at a uniform point of the extent, runs in a uniform direction for a
    uniform length in :data:`SEGMENT_LENGTH_M`, and has a substation at each end.

    Parameters
    ----------
    bounds_m : tuple of float
        ``(xmin, ymin, xmax, ymax)`` of the extent. [m]
    seed : int
        Seed of ``numpy.random.default_rng``.
    """
    rng = np.random.default_rng(seed)
    xmin, ymin, xmax, ymax = bounds_m
    start = np.column_stack(
        [rng.uniform(xmin, xmax, N_SEGMENTS), rng.uniform(ymin, ymax, N_SEGMENTS)]
    )
    angle = rng.uniform(0.0, 2.0 * math.pi, N_SEGMENTS)
    length_m = rng.uniform(*SEGMENT_LENGTH_M, N_SEGMENTS)
    end = start + np.column_stack([np.cos(angle), np.sin(angle)]) * length_m[:, None]
    return SyntheticNetwork(
        segments_m=np.column_stack([start, end]),
        substations_m=np.concatenate([start, end]),
        seed=seed,
    )


def line_cells(
    segments_m: np.ndarray, *, origin: tuple[int, int], shape: tuple[int, int], resolution_m: float
) -> tuple[np.ndarray, np.ndarray]:
    """Global lattice ``(row, col)`` of the cells of a window that the segments touch.

    Burned with ``rasterio.features.rasterize`` (``all_touched``) on the window's transform,
    which is aligned to the global lattice, so a cell is touched or not whichever window
    holds it.
    """
    if len(segments_m) == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    transform = rasterio.transform.from_origin(
        origin[1] * resolution_m, -origin[0] * resolution_m, resolution_m, resolution_m
    )
    lines = shapely.linestrings(segments_m.reshape(-1, 2, 2))
    burned = rasterio.features.rasterize(
        ((line, 1) for line in lines),
        out_shape=shape,
        transform=transform,
        all_touched=True,
        dtype="uint8",
    )
    rows, cols = np.nonzero(burned)
    return rows.astype(np.int64) + origin[0], cols.astype(np.int64) + origin[1]


def lattice_cells(points_m: np.ndarray, *, resolution_m: float) -> tuple[np.ndarray, np.ndarray]:
    """Global lattice ``(row, col)`` of each point: ``row = ⌊−y / res⌋``, ``col = ⌊x / res⌋``."""
    rows = np.floor(-points_m[:, 1] / resolution_m).astype(np.int64)
    cols = np.floor(points_m[:, 0] / resolution_m).astype(np.int64)
    return rows, cols


def capped_distance_km(
    rows: np.ndarray,
    cols: np.ndarray,
    *,
    origin: tuple[int, int],
    shape: tuple[int, int],
    resolution_m: float,
    cap_km: float,
) -> np.ndarray:
    """Distance from each cell of a window to the nearest feature cell, capped at ``cap_km``.

    Parameters
    ----------
    rows, cols : numpy.ndarray
        Global lattice cells of the features (:func:`lattice_cells`); any number, anywhere.
    origin : tuple of int
        Global lattice ``(row, col)`` of the window's upper-left cell.
    shape : tuple of int
        ``(rows, cols)`` of the window.
    resolution_m : float
        Cell size. [m]
    cap_km : float
        Distances above it are set to it. [km]

    Returns
    -------
    numpy.ndarray
        float32 distance between cell centres, of ``shape``. [km]
    """
    pad = _pad_cells(cap_km, resolution_m)
    r = rows - (origin[0] - pad)
    c = cols - (origin[1] - pad)
    padded = (shape[0] + 2 * pad, shape[1] + 2 * pad)
    inside = (r >= 0) & (r < padded[0]) & (c >= 0) & (c < padded[1])
    free = np.ones(padded, dtype=np.uint8)
    free[r[inside], c[inside]] = 0
    cap_cells = np.float32(cap_km * 1000.0 / resolution_m)
    if inside.any():
        cells = edt.edt(free, black_border=False, parallel=1)
    else:
        cells = np.full(padded, np.inf, dtype=np.float32)
    window = cells[pad : pad + shape[0], pad : pad + shape[1]]
    capped = np.minimum(window, cap_cells).astype(np.float32)
    return capped * np.float32(resolution_m / 1000.0)


def _pad_cells(cap_km: float, resolution_m: float) -> int:
    """Cells a window is grown by so that features up to ``cap_km`` beyond it count."""
    return math.ceil(cap_km * 1000.0 / resolution_m) + 1


def window_bounds_m(
    origin: tuple[int, int], shape: tuple[int, int], *, resolution_m: float, margin_m: float
) -> tuple[float, float, float, float]:
    """``(xmin, ymin, xmax, ymax)`` of a lattice window grown by ``margin_m`` on each side. [m]"""
    xmin = origin[1] * resolution_m - margin_m
    ymax = -origin[0] * resolution_m + margin_m
    return (
        xmin,
        ymax - shape[0] * resolution_m - 2 * margin_m,
        xmin + shape[1] * resolution_m + 2 * margin_m,
        ymax,
    )


def segments_near(
    segments_m: np.ndarray, bounds_m: tuple[float, float, float, float]
) -> np.ndarray:
    """The segments whose bounding box meets ``bounds_m``."""
    xmin, ymin, xmax, ymax = bounds_m
    lo_x = np.minimum(segments_m[:, 0], segments_m[:, 2])
    hi_x = np.maximum(segments_m[:, 0], segments_m[:, 2])
    lo_y = np.minimum(segments_m[:, 1], segments_m[:, 3])
    hi_y = np.maximum(segments_m[:, 1], segments_m[:, 3])
    keep = (hi_x >= xmin) & (lo_x <= xmax) & (hi_y >= ymin) & (lo_y <= ymax)
    return segments_m[keep]


def line_distance_km(
    network: SyntheticNetwork,
    *,
    origin: tuple[int, int],
    shape: tuple[int, int],
    resolution_m: float,
    cap_km: float,
) -> np.ndarray:
    """SYNTHETIC distance to the nearest generated line of each cell of a window. [km]"""
    pad = _pad_cells(cap_km, resolution_m)
    near = window_bounds_m(origin, shape, resolution_m=resolution_m, margin_m=pad * resolution_m)
    rows, cols = line_cells(
        segments_near(network.segments_m, near),
        origin=(origin[0] - pad, origin[1] - pad),
        shape=(shape[0] + 2 * pad, shape[1] + 2 * pad),
        resolution_m=resolution_m,
    )
    return capped_distance_km(
        rows, cols, origin=origin, shape=shape, resolution_m=resolution_m, cap_km=cap_km
    )


def substation_distance_km(
    network: SyntheticNetwork,
    *,
    origin: tuple[int, int],
    shape: tuple[int, int],
    resolution_m: float,
    cap_km: float,
) -> np.ndarray:
    """SYNTHETIC distance to the nearest generated substation of each cell of a window. [km]"""
    rows, cols = lattice_cells(network.substations_m, resolution_m=resolution_m)
    return capped_distance_km(
        rows, cols, origin=origin, shape=shape, resolution_m=resolution_m, cap_km=cap_km
    )
