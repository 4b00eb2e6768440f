"""Suitability: per-indicator transforms to 0–1 and their weighted linear combination."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from siting.indicator import Indicator
from siting.models.weighted_sum import weighted_sum_into
from siting.spec import Transform


def default_transform(schema: Indicator) -> Transform:
    """The transform an indicator's schema declares: piecewise if it has points, else linear."""
    if schema.points:
        return Transform(kind="piecewise", points=schema.points)
    return Transform(kind="linear", best=schema.best, worst=schema.worst)


def suitability(values: np.ndarray, transform: Transform) -> np.ndarray:
    """Map raw indicator values to suitability in [0, 1]; unknown (NaN) values stay NaN.

    Examples
    --------
    >>> t = Transform(kind="linear", best=0.0, worst=10.0)
    >>> suitability(np.array([0.0, 2.5, 10.0, 20.0, np.nan]), t).tolist()
    [1.0, 0.75, 0.0, 0.0, nan]
    >>> p = Transform(kind="piecewise", points=((0.0, 1.0), (5.0, 0.8), (10.0, 0.0)))
    >>> suitability(np.array([2.5, 7.5]), p).tolist()
    [0.9, 0.4]
    """
    v = np.asarray(values, dtype=np.float32)
    if transform.kind == "linear":
        best, worst = np.float32(transform.best), np.float32(transform.worst)
        out = np.clip((v - worst) / (best - worst), np.float32(0), np.float32(1))
    elif transform.kind == "piecewise":
        xs = np.array([p[0] for p in transform.points], dtype=np.float32)
        ss = np.array([p[1] for p in transform.points], dtype=np.float32)
        out = np.interp(v, xs, ss).astype(np.float32)
    else:
        raise ValueError(f"transform kind must be 'linear' or 'piecewise', got {transform.kind!r}")
    out[np.isnan(v)] = np.nan
    return out


def weighted_score(
    suitabilities: Mapping[str, np.ndarray], weights: Mapping[str, float], *, excluded: np.ndarray
) -> np.ndarray:
    """Weighted linear combination of suitabilities; NaN where excluded.

    An unknown suitability (NaN) contributes nothing, the least favourable value, so missing
    data can never raise a cell's score.

    Examples
    --------
    >>> s = {"a": np.array([[1.0, 0.0]]), "b": np.array([[0.5, np.nan]])}
    >>> weighted_score(s, {"a": 0.6, "b": 0.4}, excluded=np.array([[False, False]])).tolist()
    [[0.800000011920929, 0.0]]
    """
    score = np.empty(excluded.shape, dtype=np.float32)
    known = [np.nan_to_num(suitabilities[name], nan=0.0) for name in weights]
    weighted_sum_into(score, known, np.array(list(weights.values())))
    score[excluded] = np.nan
    return score
