"""Candidate regions: the N best contiguous, compact regions of at least the required area.

Like ArcGIS Pro's *Locate Regions*: seeds are ranked by the mean score of a disc of the required
area around them (a focal mean, with excluded cells counting as zero), and from each seed in
turn a region grows cell by cell, always taking the free neighbour with the best score less a
penalty for its distance from the seed, until it has the required area. Regions never touch
excluded cells, never overlap, keep at least the minimum spacing from each other, lie within
the maximum spacing of an earlier region when one is set, and stay within twice the disc radius
of their seed.

The search is bounded and returns in seconds when there is no room. Eligible cells are first
split into 4-connected patches and only seeds in a patch at least as large as the campus are
tried (a region cannot span two patches); when no patch is that large the search ends at once.
A seed is tried only while exact counts say it may still succeed: its patch holds enough free
cells after earlier regions and their spacing took theirs and, once a growth has failed, enough
cells of its patch lie within its reach (patches and reach are counted afresh after a failure
that follows a new region, which may have split a patch). A growth attempt first counts, by
labelling a window in C, the free cells the region could reach from its seed, so a doomed
growth costs little; at most ``max_grow_attempts`` seeds are tried. The regions found are
those of the plain greedy search over every seed; what was found, and why fewer regions than
asked for when so, comes back in a :class:`RegionSearch`.

References
----------
Esri. How Locate Regions works. ArcGIS Pro, Spatial Analyst.
https://pro.arcgis.com/en/pro-app/latest/tool-reference/spatial-analyst/how-locate-regions-works.htm
"""

from __future__ import annotations

import heapq
import math
import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

import geopandas as gpd
import numpy as np
import rasterio.features
import shapely.geometry
from affine import Affine
from scipy import ndimage

from siting.grid import Grid, buffer_mask

#: Weight of a cell's distance from the seed (in reach radii) against its score while growing.
COMPACTNESS = 0.05
#: A region may reach this many disc radii from its seed.
REACH_RADII = 2.0
#: Focal discs up to this many cells across are summed exactly, row run by row run (the sums of
#: a direct correlation); wider ones, where exact sums cost seconds, by FFT convolution, whose
#: sums are rounded to :data:`FFT_SUM_DECIMALS` so that equal means stay equal and ties still
#: go to the lower cell index.
EXACT_FOCAL_MAX_CELLS = 201
FFT_SUM_DECIMALS = 6
#: Disc sums are made this many rows at a time, so that a block's arrays stay in cache, on
#: this many threads (each block's sums are the same whichever thread makes them).
SUM_BLOCK_ROWS = 128
SUM_THREADS = max(1, min(os.cpu_count() or 1, 8))
#: Cells are counted over discs wider than this by FFT convolution (exact once rounded).
ROW_COUNT_MAX_CELLS = 64
#: Seeds are sorted lazily: first the best this many, then four times as many at each step.
FIRST_SEED_BATCH = 4096
#: Seeds are checked against the search's state this many at a time, vectorised.
SEED_CHECK_CHUNK = 256


@dataclass(frozen=True, kw_only=True)
class RegionSearch:
    """The outcome of :func:`locate_regions`.

    Parameters
    ----------
    labels : numpy.ndarray
        int32 labels: 0 outside every region, k for the k-th region found (best seed first).
    found : int
        Number of regions found.
    requested : int
        Number of regions asked for.
    grow_attempts : int
        Seeds from which a region was grown or tried, the work the search did.
    reason : str
        Empty when every requested region was found, else a sentence saying why fewer.
    """

    labels: np.ndarray
    found: int
    requested: int
    grow_attempts: int
    reason: str


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


def focal_mean(score: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Mean score of the disc ``kernel`` centred on every cell, as float32.

    Excluded (NaN) cells and cells beyond the edge count as zero. Discs up to
    :data:`EXACT_FOCAL_MAX_CELLS` across are summed exactly in float64 from row prefix sums,
    the same sums as a direct correlation; wider discs by FFT convolution (to about 1e-10).

    >>> np.round(focal_mean(np.ones((3, 3), dtype=np.float32), disc(1.0)), 3).tolist()
    [[0.6, 0.8, 0.6], [0.8, 1.0, 0.8], [0.6, 0.8, 0.6]]
    """
    values = np.nan_to_num(score, nan=0.0).astype(np.float32, copy=False)
    focal = _disc_sums(values, kernel, rows_up_to=EXACT_FOCAL_MAX_CELLS).astype(np.float32)
    focal /= np.float32(kernel.sum())
    return focal


def eligible_patches(free: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """4-connected patches of ``free`` cells: a label per cell (0 outside) and each label's size.

    >>> labels, sizes = eligible_patches(np.array([[1, 1, 0], [0, 0, 1]], dtype=bool))
    >>> labels.tolist(), sizes.tolist()
    ([[1, 1, 0], [0, 0, 2]], [0, 2, 1])
    """
    labels, _ = ndimage.label(free)
    sizes = np.bincount(labels.ravel())
    sizes[0] = 0
    return labels, sizes


def grow_region(
    seed: int,
    score: np.ndarray,
    free: np.ndarray,
    *,
    n_cells: int,
    reach_cells: float,
    compactness: float = COMPACTNESS,
) -> list[int] | None:
    """Grow a 4-connected region from ``seed`` over ``free`` cells; None if it stays too small.

    Each step adds the frontier cell with the highest ``score − compactness × distance/reach``
    (the lower flat index among equals); cells farther than ``reach_cells`` from the seed are
    never added.
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
                    priority = float(score[rr, cc]) - compactness * dist / reach_cells
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
    score: np.ndarray,
    grid: Grid,
    *,
    min_area_km2: float,
    count: int,
    min_spacing_km: float,
    max_spacing_km: float | None = None,
    compactness: float = COMPACTNESS,
    max_grow_attempts: int = 2000,
) -> RegionSearch:
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
        Number of regions wanted; fewer are returned, with the reason, when the land runs out.
    min_spacing_km : float
        Minimum distance between the polygons of two regions. [km]
    max_spacing_km : float, optional
        Each region after the first grows from a cell whose square lies within this distance
        of an earlier region's polygon, so that its polygon does too (ArcGIS's maximum distance
        between regions). [km]
    compactness : float
        Weight of a cell's distance from the seed, in reach radii, against its score while a
        region grows; 0 follows the score only. [-]
    max_grow_attempts : int
        Most seeds to grow a region from, successfully or not: a deterministic bound on work.

    Returns
    -------
    RegionSearch
        The labels, the number of regions found and asked for, the growth attempts made, and
        the reason when fewer regions were found than asked for.
    """
    rules = _rules(
        score,
        grid,
        min_area_km2=min_area_km2,
        count=count,
        min_spacing_km=min_spacing_km,
        max_spacing_km=max_spacing_km,
        compactness=compactness,
        max_grow_attempts=max_grow_attempts,
    )
    free = np.isfinite(score)
    patches, patch_cells = eligible_patches(free)
    if patch_cells.max() < rules.n_cells:
        labels = np.zeros(score.shape, dtype=np.int32)
        reason = _no_patch_reason(patch_cells, grid, rules)
        return RegionSearch(labels=labels, found=0, requested=count, grow_attempts=0, reason=reason)
    focal = focal_mean(score, disc_for_cells(rules.n_cells))
    return _search(score, grid, free, patches, patch_cells, focal, rules)


def region_polygons(labels: np.ndarray, grid: Grid) -> gpd.GeoDataFrame:
    """One (multi)polygon per region label, in the grid's CRS, with column ``label``.

    On a grid of whole metres (as :meth:`Grid.covering` makes one) each region is traced on
    its own bounding box only (:func:`_traced_boxes`): every corner's coordinates are whole
    numbers, computed exactly from the box's origin as from the grid's, so the polygons are
    those of tracing the whole grid, which is what is done on other grids.
    """
    whole_metres = all(float(v).is_integer() for v in (*grid.bounds, grid.resolution_m))
    if whole_metres:
        traced = _traced_boxes(labels, grid)
    else:
        traced = rasterio.features.shapes(
            labels, mask=labels > 0, transform=grid.transform, connectivity=4
        )
    parts: dict[int, list] = {}
    for geom, value in traced:
        parts.setdefault(int(value), []).append(shapely.geometry.shape(geom))
    ids = sorted(parts)
    geoms = [shapely.union_all(parts[i]) for i in ids]
    return gpd.GeoDataFrame({"label": ids}, geometry=geoms, crs=grid.crs)


def _traced_boxes(labels: np.ndarray, grid: Grid) -> Iterator[tuple[dict, float]]:
    """The polygons of each positive label's cells, traced label by label on its bounding box
    (the boxes found in one pass), as ``rasterio.features.shapes`` yields them."""
    for label, box in enumerate(ndimage.find_objects(labels), start=1):
        if box is None:
            continue
        window = labels[box]
        yield from rasterio.features.shapes(
            window,
            mask=window == label,
            transform=grid.transform * Affine.translation(box[1].start, box[0].start),
            connectivity=4,
        )


# ---------------------------------------------------------------------------------------------
# the search
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class _Rules:
    """What each region must satisfy, in cells where the search needs cells, and its bound."""

    min_area_km2: float
    n_cells: int
    reach_cells: float
    count: int
    min_spacing_km: float
    max_spacing_km: float | None
    compactness: float
    max_grow_attempts: int


def _search(score, grid, free, patches, patch_free, focal, rules: _Rules) -> RegionSearch:
    """Grow regions from the usable seeds, best first, until ``rules.count`` are found, the
    seeds run out or the bound is reached; ``free`` is updated in place.

    A seed is usable while it is free, its patch holds ``rules.n_cells`` free cells or more
    (``patch_free``, counted down as regions take cells), enough free cells of its patch lie
    within its reach (``room``, counted after a failed growth) and, under a maximum spacing, it
    lies within that spacing of an earlier region (``start``). After a failed growth that
    follows a new region, the patches are labelled and their room counted afresh: the region
    may have split a patch. Counts made earlier only overstate what is left, so no seed that
    could succeed is ever skipped.
    """
    labels = np.zeros(score.shape, dtype=np.int32)
    start = None if rules.max_spacing_km is None else np.ones(score.shape, dtype=bool)
    room = None
    stale = False  # regions were placed since the patches and their room were counted

    def usable(cells):
        ok = free.flat[cells] & (patch_free[patches.flat[cells]] >= rules.n_cells)
        if room is not None:
            ok &= room.flat[cells] >= rules.n_cells
        return ok if start is None else ok & start.flat[cells]

    found = attempts = 0
    seeds = np.flatnonzero((patch_free >= rules.n_cells)[patches])
    for chunk in _best_first(focal.ravel(), seeds):
        while chunk.size and found < rules.count:
            for i in np.flatnonzero(usable(chunk)).tolist():
                seed = int(chunk[i])
                if not usable(seed):
                    continue
                if attempts == rules.max_grow_attempts:
                    return _outcome(labels, found, attempts, rules, _bound_reason(attempts, rules))
                attempts += 1
                cells = _grow_checked(seed, score, free, rules)
                if cells is None:
                    if stale or room is None:
                        patches, patch_free, room = _recount(free, rules)
                        stale = False
                    continue
                found += 1
                labels.flat[cells] = found
                _take(cells, grid, free, patches, patch_free, rules)
                stale = True
                if start is not None:
                    _mark_start(cells, grid, start, first=found == 1, rules=rules)
                chunk = chunk[i + 1 :]  # checked afresh: the new region widened ``start``
                break
            else:
                break
        if found == rules.count or patch_free.max() < rules.n_cells:
            break
    reason = "" if found == rules.count else _exhausted_reason(found, rules, grid)
    return _outcome(labels, found, attempts, rules, reason)


def _outcome(labels, found: int, attempts: int, rules: _Rules, reason: str) -> RegionSearch:
    return RegionSearch(
        labels=labels, found=found, requested=rules.count, grow_attempts=attempts, reason=reason
    )


def _grow_checked(seed: int, score, free, rules: _Rules) -> list[int] | None:
    """:func:`grow_region` from ``seed``, run only when the free cells it can reach suffice."""
    if _reachable_cells(seed, free, rules.reach_cells) < rules.n_cells:
        return None
    return grow_region(
        seed,
        score,
        free,
        n_cells=rules.n_cells,
        reach_cells=rules.reach_cells,
        compactness=rules.compactness,
    )


def _best_first(focal: np.ndarray, cells: np.ndarray) -> Iterator[np.ndarray]:
    """``cells`` (ascending flat indices) best focal mean first, the lower index first among
    equals, in chunks of about :data:`SEED_CHECK_CHUNK`: the order of one full sort, without
    sorting the seeds never reached."""
    values = focal[cells]
    size = FIRST_SEED_BATCH
    while cells.size:
        if cells.size > size:
            cut = np.partition(values, cells.size - size)[cells.size - size]
            take = values >= cut
        else:
            take = np.ones(cells.size, dtype=bool)
        batch = cells[take]
        batch = batch[np.lexsort((batch, -values[take]))]
        yield from np.array_split(batch, math.ceil(batch.size / SEED_CHECK_CHUNK))
        cells, values = cells[~take], values[~take]
        size *= 4


def _reachable_cells(seed: int, free: np.ndarray, reach_cells: float) -> int:
    """Free cells 4-connected to ``seed`` through free cells within ``reach_cells`` of it: what
    a growth from ``seed`` can reach at most, counted by labelling a window in C."""
    r = math.floor(reach_cells)
    rows, cols = free.shape
    r0, c0 = divmod(seed, cols)
    top, left = max(r0 - r, 0), max(c0 - r, 0)
    window = free[top : min(r0 + r + 1, rows), left : min(c0 + r + 1, cols)]
    yy, xx = np.ogrid[
        top - r0 : top - r0 + window.shape[0], left - c0 : left - c0 + window.shape[1]
    ]
    patch, _ = ndimage.label(window & (yy * yy + xx * xx <= reach_cells * reach_cells))
    return int(np.count_nonzero(patch == patch[r0 - top, c0 - left]))


def _take(cells, grid, free, patches, patch_free, rules: _Rules) -> None:
    """Remove a new region and every cell within the minimum spacing of it from ``free``, and
    their count from their patch's ``patch_free``."""
    # centres more than spacing + √2·res apart put the cells' edges at least the spacing apart
    spacing_m = rules.min_spacing_km * 1000.0
    reach_m = spacing_m + math.sqrt(2.0) * grid.resolution_m if spacing_m > 0 else 0.0
    window, taken = _cells_within(cells, grid, distance_m=reach_m)
    taken &= free[window]
    patch_free -= np.bincount(patches[window][taken], minlength=patch_free.size)
    free[window] &= ~taken


def _recount(free: np.ndarray, rules: _Rules):
    """The patches of ``free`` cells, their sizes, and the room of each cell (:func:`_room`)."""
    patches, patch_free = eligible_patches(free)
    return patches, patch_free, _room(patches, patch_free, rules)


def _room(patches: np.ndarray, patch_free: np.ndarray, rules: _Rules) -> np.ndarray:
    """For every cell of a patch large enough, the cells of its patch within reach of it
    (int32; 0 elsewhere): the most a region grown from it could take."""
    room = np.zeros(patches.shape, dtype=np.int32)
    kernel = disc(rules.reach_cells)
    boxes = ndimage.find_objects(patches)
    for label in np.flatnonzero(patch_free >= rules.n_cells).tolist():
        box = boxes[label - 1]
        patch = patches[box] == label
        counts = _disc_sums(patch.astype(np.float32), kernel, rows_up_to=ROW_COUNT_MAX_CELLS)
        room[box][patch] = np.rint(counts[patch])
    return room


def _mark_start(cells, grid, start, *, first: bool, rules: _Rules) -> None:
    """Add to ``start`` (emptied at the first region) the cells whose square lies within the
    maximum spacing of a new region's polygon; a region grown from one lies within it too.

    Two cells' squares are as far apart as the centre of one from the nearest cell centre of
    the 3 × 3 block around the other, so the distance is a transform of the region grown by
    one cell in all eight directions.
    """
    window, near = _cells_within(
        cells, grid, distance_m=rules.max_spacing_km * 1000.0, grow=np.ones((3, 3), dtype=bool)
    )
    if first:
        start[...] = False
    start[window] |= near


def _cells_within(cells, grid: Grid, *, distance_m: float, grow: np.ndarray | None = None):
    """Window slices around the flat ``cells`` and the mask, on that window, of the cells whose
    centre lies within ``distance_m`` of one of theirs (a true circle), after dilating them by
    the structuring element ``grow`` when given."""
    rows, cols = np.divmod(np.asarray(cells), grid.shape[1])
    pad = math.ceil(distance_m / grid.resolution_m) + 3
    r0, r1 = max(rows.min() - pad, 0), min(rows.max() + pad + 1, grid.shape[0])
    c0, c1 = max(cols.min() - pad, 0), min(cols.max() + pad + 1, grid.shape[1])
    region = np.zeros((r1 - r0, c1 - c0), dtype=bool)
    region[rows - r0, cols - c0] = True
    if grow is not None:
        region = ndimage.binary_dilation(region, structure=grow)
    sub = Grid(
        crs=grid.crs,
        bounds=(0.0, 0.0, (c1 - c0) * grid.resolution_m, (r1 - r0) * grid.resolution_m),
        resolution_m=grid.resolution_m,
    )
    return (slice(r0, r1), slice(c0, c1)), buffer_mask(region, sub, distance_m=distance_m)


def _disc_sums(values: np.ndarray, kernel: np.ndarray, *, rows_up_to: int) -> np.ndarray:
    """Sum of float32 ``values`` over the disc ``kernel`` around every cell (float64), zero
    beyond the edges: exact row runs for discs up to ``rows_up_to`` cells across, FFT
    convolution for wider ones."""
    if kernel.shape[0] <= rows_up_to:
        return _disc_sums_by_rows(values, kernel)
    from scipy import signal  # scipy.signal takes 0.6 s to import

    sums = signal.fftconvolve(values.astype(np.float64), kernel.astype(np.float64), mode="same")
    return np.round(sums, FFT_SUM_DECIMALS, out=sums)


def _disc_sums_by_rows(values: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Sum of float32 ``values`` over the disc ``kernel`` around every cell, zero beyond the
    edges, as :func:`_block_disc_sums` of the whole grid gives it, bit for bit, for less.

    The sums are made :data:`SUM_BLOCK_ROWS` rows at a time, on :data:`SUM_THREADS` threads
    (numpy releases the GIL), with the disc's rows above and below, so that a block's arrays
    stay in cache, and over the columns within the disc's radius of a cell that is not +0.0
    only: a cell's sum adds the same runs in the same order, a row's prefix sums over the zeros
    before its first such cell are +0.0, after its last they stay its total, and every sum
    farther away is +0.0.
    """
    r = kernel.shape[0] // 2
    rows, cols = values.shape
    sums = np.zeros(values.shape, dtype=np.float64)

    def fill(top: int) -> None:
        bottom = min(top + SUM_BLOCK_ROWS, rows)
        first, last = max(top - r, 0), min(bottom + r, rows)
        held = np.flatnonzero((values[first:last].view(np.uint32) != 0).any(axis=0))
        if held.size:
            left, right = max(int(held[0]) - r, 0), min(int(held[-1]) + r + 1, cols)
            block = _block_disc_sums(values[first:last, left:right], kernel)
            sums[top:bottom, left:right] = block[top - first : bottom - first]

    tops = range(0, rows, SUM_BLOCK_ROWS)
    if len(tops) == 1:
        fill(0)
    else:
        with ThreadPoolExecutor(min(SUM_THREADS, len(tops))) as pool:
            list(pool.map(fill, tops))
    return sums


def _block_disc_sums(values: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Sum of ``values`` over the disc ``kernel`` around every cell, zero beyond the edges: one
    horizontal run per disc row, each the difference of two row prefix sums (float64), and each
    run shared by the rows above and below the centre at the same distance."""
    r = kernel.shape[0] // 2
    rows, cols = values.shape
    # prefix[:, k] is the sum of a row's first k - r cells (none for k <= r, all for k >= cols + r)
    prefix = np.zeros((rows, cols + 2 * r + 1), dtype=np.float64)
    np.cumsum(values, axis=1, dtype=np.float64, out=prefix[:, r + 1 : r + 1 + cols])
    prefix[:, r + 1 + cols :] = prefix[:, r + cols : r + 1 + cols]
    sums = np.zeros((rows, cols), dtype=np.float64)
    run = np.empty((rows, cols), dtype=np.float64)
    for dy, width in enumerate(kernel.sum(axis=1)[r:].tolist()):
        if dy >= rows:
            break
        w = width // 2
        np.subtract(
            prefix[:, r + w + 1 : r + w + 1 + cols], prefix[:, r - w : r - w + cols], out=run
        )
        sums[: rows - dy] += run[dy:]
        if dy:
            sums[dy:] += run[: rows - dy]
    return sums


# ---------------------------------------------------------------------------------------------
# checks and reasons
# ---------------------------------------------------------------------------------------------


def _rules(score, grid, **options) -> _Rules:
    """The options checked, with the campus in cells and the reach of a growth."""
    rules = _Rules(n_cells=1, reach_cells=1.0, **options)
    if score.shape != grid.shape:
        raise ValueError(f"score shape {score.shape} does not match grid shape {grid.shape}")
    if not rules.min_area_km2 > 0:
        raise ValueError(f"min_area_km2 must be positive, got {rules.min_area_km2!r}")
    if rules.count < 1:
        raise ValueError(f"count must be at least 1, got {rules.count!r}")
    if not rules.min_spacing_km >= 0:
        raise ValueError(f"min_spacing_km must be 0 or more, got {rules.min_spacing_km!r}")
    if rules.max_spacing_km is not None and not rules.max_spacing_km >= rules.min_spacing_km:
        raise ValueError(
            f"max_spacing_km must be at least min_spacing_km ({rules.min_spacing_km:g}), "
            f"got {rules.max_spacing_km!r}"
        )
    if not rules.compactness >= 0:
        raise ValueError(f"compactness must be 0 or more, got {rules.compactness!r}")
    if rules.max_grow_attempts < 1:
        raise ValueError(f"max_grow_attempts must be at least 1, got {rules.max_grow_attempts!r}")
    n_cells = required_cells(rules.min_area_km2, grid)
    reach_cells = REACH_RADII * (disc_for_cells(n_cells).shape[0] // 2 + 0.5)
    return replace(rules, n_cells=n_cells, reach_cells=reach_cells)


def _no_patch_reason(patch_cells: np.ndarray, grid: Grid, rules: _Rules) -> str:
    if patch_cells.max() == 0:
        return "no eligible cell: every cell is excluded or has no score"
    largest_km2 = float(patch_cells.max()) * grid.cell_area_km2
    return (
        f"no 4-connected patch of eligible cells is as large as the campus "
        f"({rules.min_area_km2:,.3f} km²): the largest patch is {largest_km2:,.3f} km²"
    )


def _bound_reason(attempts: int, rules: _Rules) -> str:
    return (
        f"the search bound was reached after {attempts:,} growth attempts "
        f"(max_grow_attempts={rules.max_grow_attempts:,})"
    )


def _exhausted_reason(found: int, rules: _Rules, grid: Grid) -> str:
    area = f"{rules.min_area_km2:,.3f} km²"
    if found == 0:
        reach_km = rules.reach_cells * grid.resolution_m / 1000.0
        return (
            f"the patches large enough are too narrow: no seed grows a region of {area} "
            f"within {reach_km:,.2f} km of it"
        )
    regions = f"{found} region{'s' if found > 1 else ''}"
    if rules.min_spacing_km == 0 and rules.max_spacing_km is None:
        return f"the land runs out after {regions}: no other region of {area} fits beside them"
    where = f"at least {rules.min_spacing_km:g} km from every region found"
    if rules.max_spacing_km is not None:
        where += f" and within {rules.max_spacing_km:g} km of one"
    return (
        f"the spacing rules leave no room after {regions}: no other region of {area} fits {where}"
    )
