"""Adequate connections on the grid: what the cheapest connection able to carry the campus costs.

For every cell, the connections of :func:`siting.models.connection.connection_features` that
are *adequate* for the cell's peak demand (at least ``n_required`` lines meet there and their
firm, N−1 loadability covers the peak) are found, and the cheapest of them priced exactly as the
per-site model prices a candidate (the low ends of
:func:`~siting.models.connection.fixed_cost_range_usd` and
:func:`~siting.models.connection.tie_line_cost_range_usd`): tie circuits over the route from the
cell, a campus substation, the far-end work and any transformer. The score and the per-site
assessment therefore judge the same connections the same way (docs/methods.md §4.1).

Connections are grouped by what their fixed cost depends on (loop-in or existing point, far-end
voltage, transformation), and each group by the firm loadabilities that separate the cells'
peaks, so that a few distance transforms (:func:`siting.grid.cropped_distance_km`) cover every
cell.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np

from siting.grid import Grid, cropped_distance_km, rasterize_mask
from siting.models.connection import (
    LOOP_IN,
    REVX_MAX_KV,
    fixed_cost_low_usd,
    tie_line_cost_low_usd,
)
from siting.models.transmission import (
    firm_loadability_mw,
    loadability_mw,
    route_miles,
    tie_circuits,
    voltage_class_kv,
)

#: Need classes of a cell or site: an adequate connection within ``substation_only_max_km``
#: (a substation only), farther within the search radius (a new line), none within it (a new
#: line plus network upgrades).
SUBSTATION_ONLY, NEW_LINE, NETWORK_UPGRADE = 0.0, 1.0, 2.0
NEED_TEXT = {
    SUBSTATION_ONLY: "substation only",
    NEW_LINE: "new line",
    NETWORK_UPGRADE: "new line plus network upgrades",
}


#: Cells priced together (:func:`_row_blocks`).
BLOCK_CELLS = 1 << 17


@dataclass(frozen=True, kw_only=True)
class AdequacySurface:
    """Per-cell results on the analysis grid (float32 arrays of the grid's shape).

    ``cost_usd``: the low-end cost of the cheapest adequate connection within the search radius
    [2019 $]; +inf where there is none (worst, and the reason is ``need``), NaN where the cell's
    peak or cost region is unknown. ``distance_km``: straight-line distance to the nearest
    adequate connection anywhere [km]; NaN if there is none. ``need``: the need class
    (:data:`SUBSTATION_ONLY`, :data:`NEW_LINE`, :data:`NETWORK_UPGRADE`); NaN where the peak
    is unknown.
    """

    cost_usd: np.ndarray
    distance_km: np.ndarray
    need: np.ndarray


def adequate_features(
    features: gpd.GeoDataFrame, *, kv: float, n_required: int
) -> gpd.GeoDataFrame:
    """The connection features that can be adequate for some peak, with ``firm_mw`` [MW] and
    the cost-group keys ``loop_in``, ``far_kv`` (capped at reVX's 500 kV) and
    ``needs_transformation``."""
    firm = firm_loadability_mw(features["loadability_mw"], features["largest_mw"], n_required)
    lowest = features["lowest_kv"].to_numpy(dtype=float)
    out = features.assign(
        firm_mw=firm,
        loop_in=(features["kind"] == LOOP_IN).to_numpy(),
        far_kv=np.where(np.isfinite(lowest), np.fmin(lowest, REVX_MAX_KV), kv),
        needs_transformation=voltage_class_kv(lowest) > voltage_class_kv(kv),
    )
    usable = (out["lines"].to_numpy(dtype=float) >= n_required) & np.isfinite(firm) & (firm > 0)
    return out[usable]


def adequacy_surface(
    features: gpd.GeoDataFrame,
    big: Grid,
    crop: tuple[slice, slice],
    *,
    peak_mw: np.ndarray,
    region_of_cell: np.ndarray,
    regions: tuple[str, ...],
    kv: float,
    n_required: int,
    route_factor: float,
    search_radius_km: float,
    substation_only_max_km: float,
) -> AdequacySurface:
    """The cheapest adequate connection of every cell, its distance and the cell's need.

    Parameters
    ----------
    features : geopandas.GeoDataFrame
        :func:`siting.models.connection.connection_features`, in ``big``'s CRS.
    big, crop : Grid, tuple of slice
        The analysis grid padded by the search radius, and the slices back to the grid
        (:func:`siting.grid.padded`).
    peak_mw : numpy.ndarray
        Each cell's peak demand, on the (unpadded) grid. [MW]
    region_of_cell : numpy.ndarray
        Each cell's position in ``regions`` (reVX cost regions); -1 where unknown.
    kv, n_required, route_factor, search_radius_km, substation_only_max_km
        The spec's connection voltage [kV], independent lines [-], route factor [-], search
        radius [km] and substation-only distance [km].
    """
    peak = np.asarray(peak_mw, dtype=np.float64)
    best_cost = np.full(peak.shape, np.inf)
    nearest = np.full(peak.shape, np.inf)
    known_peak = np.isfinite(peak)
    candidates = adequate_features(features, kv=kv, n_required=n_required)
    if known_peak.any() and len(candidates):
        groups = candidates.groupby(["loop_in", "far_kv", "needs_transformation"], sort=True)
        for (loop_in, far_kv, transform), group in groups:
            distance = _distance_to_adequate(group, big, crop, peak)
            np.fmin(nearest, distance, out=nearest)  # fmin skips the NaN of no adequate feature
            for rows in _row_blocks(peak.shape):
                within = distance[rows] <= search_radius_km
                if not within.any():
                    continue
                cost = _group_cost(
                    distance[rows][within],
                    peak[rows][within],
                    region_of_cell[rows][within],
                    regions,
                    loop_in=bool(loop_in),
                    far_kv=float(far_kv),
                    transform=bool(transform),
                    kv=kv,
                    n_required=n_required,
                    route_factor=route_factor,
                )
                block = best_cost[rows]
                block[within] = np.fmin(block[within], cost)
    return AdequacySurface(
        cost_usd=_float32_where(best_cost, ~known_peak | (region_of_cell < 0)),
        distance_km=_float32_where(nearest, np.isinf(nearest) | ~known_peak),
        need=_need_class(
            nearest,
            known_peak,
            search_radius_km=search_radius_km,
            substation_only_max_km=substation_only_max_km,
        ),
    )


def _row_blocks(shape: tuple[int, int]) -> list[slice]:
    """Slices of whole rows of about :data:`BLOCK_CELLS` cells that cover ``shape``.

    Pricing cells block by block gives the same numbers (every step is per cell) while the
    temporaries stay small: they are reused from the allocator instead of being freshly
    mapped for each step, which costs more than the arithmetic on millions of cells.
    """
    step = max(1, BLOCK_CELLS // max(1, shape[1]))
    return [slice(start, start + step) for start in range(0, shape[0], step)]


def _float32_where(values: np.ndarray, unknown: np.ndarray) -> np.ndarray:
    """``values`` as float32, NaN where ``unknown``."""
    out = values.astype(np.float32)
    out[unknown] = np.nan
    return out


def _need_class(
    nearest_km: np.ndarray,
    known_peak: np.ndarray,
    *,
    search_radius_km: float,
    substation_only_max_km: float,
) -> np.ndarray:
    """Need class of each cell from its nearest adequate connection [km] (float32, NaN where
    the peak is unknown); distances are compared in float64, as given."""
    need = np.full(nearest_km.shape, NETWORK_UPGRADE, dtype=np.float32)
    need[nearest_km <= search_radius_km] = NEW_LINE
    need[nearest_km <= substation_only_max_km] = SUBSTATION_ONLY
    need[~known_peak] = np.nan
    return need


def _distance_to_adequate(
    group: gpd.GeoDataFrame, big: Grid, crop: tuple[slice, slice], peak: np.ndarray
) -> np.ndarray:
    """Distance from each cell to the nearest feature of ``group`` adequate for its peak. [km]

    A feature is adequate for a cell when its firm loadability is at least the cell's peak.
    Thresholds are the group's distinct firm values from the smallest peak up to the first at
    or above the largest peak; each cell takes the smallest threshold at or above its peak.
    """
    known = np.isfinite(peak)
    low = float(np.min(peak, where=known, initial=np.inf))
    high = float(np.max(peak, where=known, initial=-np.inf))
    firms = np.unique(group["firm_mw"].to_numpy(dtype=float))
    firms = firms[firms >= low]
    thresholds = np.concatenate([firms[firms < high], firms[firms >= high][:1]])
    out = np.full(peak.shape, np.nan, dtype=np.float32)
    taken = ~known
    for threshold in thresholds:
        mask = rasterize_mask(
            group[group["firm_mw"] >= threshold], big, what="connections", all_touched=True
        )
        cells = ~taken & (peak <= threshold)
        np.copyto(out, cropped_distance_km(mask, big, crop), where=cells)
        taken |= cells
    return out


def _group_cost(
    distance: np.ndarray,
    peak: np.ndarray,
    region_of_cell: np.ndarray,
    regions: tuple[str, ...],
    *,
    loop_in: bool,
    far_kv: float,
    transform: bool,
    kv: float,
    n_required: int,
    route_factor: float,
) -> np.ndarray:
    """Low-end cost of connecting cells to their nearest feature of one group [2019 $].

    The arrays hold only the cells within the search radius, one value per cell; the group's
    loop-in, far-end voltage and transformation are one value for all of them, so its
    substations are priced once per region and only the parts that vary by cell (the line,
    the transformer by peak, the yards by circuits) are per cell. Infinite where unknown.
    """
    cost = np.full(peak.shape, np.inf)
    route = route_miles(distance, route_factor)
    circuits = tie_circuits(peak, loadability_mw(kv, route), n_required)
    for code, region in enumerate(regions):
        cells = _cells_of_region(region_of_cell, code)
        if cells is None:
            continue
        fixed = fixed_cost_low_usd(
            np.array([loop_in]),
            np.array([far_kv]),
            np.array([transform]),
            peak[cells],
            kv=kv,
            region=region,
            circuits=circuits[cells],
        )
        line = tie_line_cost_low_usd(route[cells], circuits[cells], kv=kv, region=region)
        cost[cells] = line + fixed
    cost[~np.isfinite(cost)] = np.inf
    return cost


def _cells_of_region(region_of_cell: np.ndarray, code: int) -> np.ndarray | slice | None:
    """The cells of one cost region: a boolean mask, every cell (a slice, which indexes without
    a copy), or None when there is none."""
    cells = region_of_cell == code
    count = np.count_nonzero(cells)
    if count == 0:
        return None
    return slice(None) if count == cells.size else cells
