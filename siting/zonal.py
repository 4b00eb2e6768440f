"""Per-site summaries: each region's indicator values, suitabilities and score contributions."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from scipy import ndimage

from siting.grid import Grid

UNKNOWN = "UNKNOWN"


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
    inside = labels > 0
    values, labels = values[inside], labels[inside]
    known = np.isfinite(values)
    sums = ndimage.sum_labels(np.where(known, values, 0.0).astype(np.float64), labels, ids)
    n_known = ndimage.sum_labels(known, labels, ids)
    n_all = ndimage.sum_labels(np.ones_like(known), labels, ids)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(n_known > 0, sums / n_known, np.nan)
    return means, 1.0 - n_known / n_all


def zonal_min(values: np.ndarray, labels: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Smallest known (finite) value in each zone (label > 0); NaN (UNKNOWN) if none is known.

    >>> v = np.array([[1.0, 3.0, np.nan], [5.0, np.nan, np.nan]])
    >>> lab = np.array([[1, 1, 2], [1, 2, 2]])
    >>> zonal_min(v, lab, np.array([1, 2])).tolist()
    [1.0, nan]
    """
    inside = labels > 0
    known = np.where(np.isfinite(values[inside]), values[inside], np.inf).astype(np.float64)
    mins = np.asarray(ndimage.minimum(known, labels[inside], ids), dtype=np.float64)
    return np.where(np.isfinite(mins), mins, np.nan)


def zonal_max(values: np.ndarray, labels: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Largest known (finite) value in each zone (label > 0); NaN (UNKNOWN) if none is known.

    >>> v = np.array([[1.0, 3.0, np.nan], [5.0, np.nan, np.nan]])
    >>> lab = np.array([[1, 1, 2], [1, 2, 2]])
    >>> zonal_max(v, lab, np.array([1, 2])).tolist()
    [5.0, nan]
    """
    return -zonal_min(-np.asarray(values, dtype=np.float64), labels, ids)


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
    lowest = np.full(int(labels.max()) + 1, np.nan)
    lowest[ids] = zonal_min(values, labels, ids)
    at_min = (labels > 0) & (values == lowest[labels])
    return zonal_max(np.where(at_min, suit, np.nan), labels, ids)


ZONAL_STATS = {"mean": lambda v, lab, ids: zonal_mean(v, lab, ids)[0], "min": zonal_min}


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
    ids = np.unique(labels[labels > 0])
    n_cells = ndimage.sum_labels(np.ones(labels.shape), labels, ids).astype(int)
    table = pd.DataFrame(
        {"label": ids, "n_cells": n_cells, "area_km2": n_cells * grid.cell_area_km2}
    )
    table["score"], _ = zonal_mean(score, labels, ids)
    unknown = [[] for _ in ids]
    stats = stats or {}
    for name, values in indicators.items():
        table[name] = ZONAL_STATS[stats.get(name, "mean")](values, labels, ids)
    for name, suit in suitabilities.items():
        means, share_unknown = zonal_mean(suit, labels, ids)
        mean_contrib = np.nan_to_num(means, nan=0.0) * (1.0 - share_unknown) * weights[name]
        if stats.get(name, "mean") == "min" and name in indicators:
            # the site value's suitability; where no cell has a finite value (e.g. no adequate
            # connection within reach, an infinite cost) the cells' own mean suitability
            at_min = suitability_at_min(indicators[name], suit, labels, ids)
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
    out = np.full(len(ids), -1, dtype=np.int64)
    for i, zone in enumerate(ids):
        values = codes[(labels == zone) & (codes >= 0)]
        if values.size:
            out[i] = np.bincount(values).argmax()
    return out
