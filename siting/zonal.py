"""Per-site summaries: each region's indicator values, suitabilities and score contributions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import ndimage

from siting.grid import Grid

UNKNOWN = "UNKNOWN"


@dataclass(frozen=True, kw_only=True)
class Zones:
    """The labelled cells of a label grid, found once and shared by every summary of it.

    A summary gathers a grid's values at ``cells`` (:meth:`gather`) and reduces those few,
    instead of masking the whole grid again for each indicator; ``cells`` are in row-major
    order, the order of ``values[labels > 0]``, so sums add the same terms in the same order.

    Parameters
    ----------
    shape : tuple of int
        Shape of the label grid.
    cells : numpy.ndarray
        Flat indices of the cells with a label above 0, ascending.
    labels : numpy.ndarray
        The label of each of ``cells``.
    ids : numpy.ndarray
        The zones summarised, in the order of every summary's values.
    """

    shape: tuple[int, int]
    cells: np.ndarray
    labels: np.ndarray
    ids: np.ndarray

    def gather(self, values: np.ndarray) -> np.ndarray:
        """The values of a grid of :attr:`shape` at :attr:`cells`, in their order."""
        return np.ravel(values)[self.cells]


def zones_of(labels: np.ndarray, ids: np.ndarray | None = None) -> Zones:
    """The :class:`Zones` of ``labels`` (label > 0), for ``ids`` or else every label present.

    >>> z = zones_of(np.array([[0, 2], [1, 2]]))
    >>> z.cells.tolist(), z.labels.tolist(), z.ids.tolist()
    ([1, 2, 3], [2, 1, 2], [1, 2])
    """
    cells = np.flatnonzero(labels > 0)
    at_cells = np.ravel(labels)[cells]
    ids = np.unique(at_cells) if ids is None else np.asarray(ids)
    return Zones(shape=labels.shape, cells=cells, labels=at_cells, ids=ids)


def zone_mean(values: np.ndarray, zones: Zones) -> tuple[np.ndarray, np.ndarray]:
    """:func:`zonal_mean` of values already gathered at ``zones.cells``."""
    known = np.isfinite(values)
    sums = ndimage.sum_labels(
        np.where(known, values, 0.0).astype(np.float64), zones.labels, zones.ids
    )
    n_known = ndimage.sum_labels(known, zones.labels, zones.ids)
    n_all = ndimage.sum_labels(np.ones_like(known), zones.labels, zones.ids)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(n_known > 0, sums / n_known, np.nan)
    return means, 1.0 - n_known / n_all


def zone_min(values: np.ndarray, zones: Zones) -> np.ndarray:
    """:func:`zonal_min` of values already gathered at ``zones.cells``."""
    known = np.where(np.isfinite(values), values, np.inf).astype(np.float64)
    mins = np.asarray(ndimage.minimum(known, zones.labels, zones.ids), dtype=np.float64)
    return np.where(np.isfinite(mins), mins, np.nan)


def zone_max(values: np.ndarray, zones: Zones) -> np.ndarray:
    """:func:`zonal_max` of values already gathered at ``zones.cells``."""
    return -zone_min(-np.asarray(values, dtype=np.float64), zones)


def zone_suitability_at_min(values: np.ndarray, suit: np.ndarray, zones: Zones) -> np.ndarray:
    """:func:`suitability_at_min` of values and suitabilities gathered at ``zones.cells``."""
    lowest = np.full(int(zones.labels.max(initial=0)) + 1, np.nan)
    lowest[zones.ids] = zone_min(values, zones)
    at_min = values == lowest[zones.labels]
    return zone_max(np.where(at_min, suit, np.nan), zones)


def zone_majority(codes: np.ndarray, zones: Zones) -> np.ndarray:
    """:func:`majority` of integer codes gathered at ``zones.cells``."""
    out = np.full(len(zones.ids), -1, dtype=np.int64)
    for i, zone in enumerate(zones.ids):
        values = codes[(zones.labels == zone) & (codes >= 0)]
        if values.size:
            out[i] = np.bincount(values).argmax()
    return out


def zonal_mean(
    values: np.ndarray, labels: np.ndarray, ids: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Mean of the known (finite) values in each zone (label > 0), and the share of unknown cells.

    A zone with no known value has mean NaN (UNKNOWN), never zero.

    >>> v = np.array([[1.0, 3.0, np.nan], [5.0, np.nan, np.nan]])
    >>> lab = np.array([[1, 1, 2], [1, 2, 2]])
    >>> means, unknown = zonal_mean(v, lab, np.array([1, 2]))
    >>> means.tolist(), unknown.tolist()
    ([3.0, nan], [0.0, 1.0])
    """
    zones = zones_of(labels, ids)
    return zone_mean(zones.gather(values), zones)


def zonal_min(values: np.ndarray, labels: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Smallest known (finite) value in each zone (label > 0); NaN (UNKNOWN) if none is known.

    >>> v = np.array([[1.0, 3.0, np.nan], [5.0, np.nan, np.nan]])
    >>> lab = np.array([[1, 1, 2], [1, 2, 2]])
    >>> zonal_min(v, lab, np.array([1, 2])).tolist()
    [1.0, nan]
    """
    zones = zones_of(labels, ids)
    return zone_min(zones.gather(values), zones)


def zonal_max(values: np.ndarray, labels: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Largest known (finite) value in each zone (label > 0); NaN (UNKNOWN) if none is known.

    >>> v = np.array([[1.0, 3.0, np.nan], [5.0, np.nan, np.nan]])
    >>> lab = np.array([[1, 1, 2], [1, 2, 2]])
    >>> zonal_max(v, lab, np.array([1, 2])).tolist()
    [5.0, nan]
    """
    zones = zones_of(labels, ids)
    return zone_max(zones.gather(values), zones)


def suitability_at_min(
    values: np.ndarray, suit: np.ndarray, labels: np.ndarray, ids: np.ndarray
) -> np.ndarray:
    """Each zone's suitability at its cell of smallest finite value (the best of ties); NaN if
    no cell of the zone has both a finite value and a known suitability.

    >>> v = np.array([[4.0, 1.0, np.nan], [1.0, 7.0, 2.0]])
    >>> s = np.array([[0.2, 0.9, 0.5], [0.8, 0.0, 0.3]])
    >>> lab = np.array([[1, 1, 2], [1, 2, 2]])
    >>> suitability_at_min(v, s, lab, np.array([1, 2])).tolist()
    [0.9, 0.3]
    """
    zones = zones_of(labels, ids)
    return zone_suitability_at_min(zones.gather(values), zones.gather(suit), zones)


ZONAL_STATS = {"mean": lambda v, zones: zone_mean(v, zones)[0], "min": zone_min}


def summarize_regions(
    labels: np.ndarray,
    grid: Grid,
    *,
    indicators: Mapping[str, np.ndarray],
    suitabilities: Mapping[str, np.ndarray],
    weights: Mapping[str, float],
    score: np.ndarray,
    stats: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """One row per region: area, score, each indicator's raw value, suitability and contribution.

    Columns: ``label``, ``n_cells``, ``area_km2`` [km²], ``score`` (0–1), ``<indicator>`` (raw
    value in the indicator's units: the mean over the region's cells, or the minimum where
    ``stats`` says ``"min"``), ``suit_<indicator>`` (0–1, scored indicators only: the mean
    suitability of the cells, or for a ``"min"`` indicator the best cell's, the suitability of
    the site value), ``contrib_<indicator>`` (weight × that suitability, the indicator's share
    of the score) and ``unknown_indicators`` (scored indicators with no known value anywhere in
    the region, which contributed nothing). ``score`` is the sum of the contributions plus the
    mean over the cells of whatever ``score`` holds beyond them (penalties), so a site's score,
    suitabilities and raw values agree: a campus connects once, from its best cell, and is
    scored on the connection it reports.
    """
    return summarize_zones(
        zones_of(labels),
        grid,
        indicators=indicators,
        suitabilities=suitabilities,
        weights=weights,
        score=score,
        stats=stats,
    )


def summarize_zones(
    zones: Zones,
    grid: Grid,
    *,
    indicators: Mapping[str, np.ndarray],
    suitabilities: Mapping[str, np.ndarray],
    weights: Mapping[str, float],
    score: np.ndarray,
    stats: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """:func:`summarize_regions` of the labelled cells ``zones``: each grid is read at those
    cells only, once."""
    ids = zones.ids
    n_cells = ndimage.sum_labels(np.ones(zones.cells.size), zones.labels, ids).astype(int)
    table = pd.DataFrame(
        {"label": ids, "n_cells": n_cells, "area_km2": n_cells * grid.cell_area_km2}
    )
    table["score"], _ = zone_mean(zones.gather(score), zones)
    unknown = [[] for _ in ids]
    stats = stats or {}
    values = {name: zones.gather(grid_values) for name, grid_values in indicators.items()}
    for name, at_cells in values.items():
        table[name] = ZONAL_STATS[stats.get(name, "mean")](at_cells, zones)
    for name, suit_grid in suitabilities.items():
        suit = zones.gather(suit_grid)
        means, share_unknown = zone_mean(suit, zones)
        mean_contrib = np.nan_to_num(means, nan=0.0) * (1.0 - share_unknown) * weights[name]
        if stats.get(name, "mean") == "min" and name in values:
            # the site value's suitability; where no cell has a finite value (e.g. no adequate
            # connection within reach, an infinite cost) the cells' own mean suitability
            at_min = zone_suitability_at_min(values[name], suit, zones)
            share_unknown = np.where(np.isnan(at_min), share_unknown, 0.0)
            means = np.where(np.isnan(at_min), means, at_min)
        table[f"suit_{name}"] = means
        table[f"contrib_{name}"] = (
            np.nan_to_num(means, nan=0.0) * (1.0 - share_unknown) * weights[name]
        )
        table["score"] += table[f"contrib_{name}"].to_numpy() - mean_contrib
        for i in np.flatnonzero(share_unknown >= 1.0):
            unknown[i].append(name)
    table["unknown_indicators"] = [";".join(u) if u else "" for u in unknown]
    return table


def majority(codes: np.ndarray, labels: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Most frequent non-negative integer code in each zone (−1 if the zone has none).

    >>> codes = np.array([[3, 3, 1], [-1, 1, 1]])
    >>> majority(codes, np.array([[1, 1, 1], [2, 2, 2]]), np.array([1, 2]))
    array([3, 1])
    """
    zones = zones_of(labels, ids)
    return zone_majority(zones.gather(codes), zones)
