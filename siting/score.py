"""Suitability: per-indicator transforms to 0–1 and their weighted linear combination."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

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
        return _linear(v, best=transform.best, worst=transform.worst)
    if transform.kind == "piecewise":
        out = _piecewise(v, transform.points)
        out[np.isnan(v)] = np.nan
        return out
    raise ValueError(f"transform kind must be 'linear' or 'piecewise', got {transform.kind!r}")


def _linear(v: np.ndarray, *, best: float, worst: float) -> np.ndarray:
    """``clip((v - worst) / (best - worst), 0, 1)`` in float32, computed in one output array.

    The same float32 operations in the same order as the plain expression, so the same bits,
    without its two temporaries; NaN stays NaN through each of them.
    """
    best32, worst32 = np.float32(best), np.float32(worst)
    out = np.subtract(v, worst32)
    np.divide(out, best32 - worst32, out=out)
    return np.clip(out, np.float32(0), np.float32(1), out=out)


#: Cells interpolated at a time by :func:`_piecewise`: its float64 temporaries stay in cache.
INTERP_BLOCK = 1 << 16


def _piecewise(v: np.ndarray, points: tuple[tuple[float, float], ...]) -> np.ndarray:
    """``np.interp`` through ``points`` (float32 knots), as float32, a block of cells at a time.

    ``np.interp`` works in float64 and each value depends on its cell alone, so interpolating
    by blocks gives the bits of one call on the whole array without its two full-size float64
    temporaries.
    """
    xs = np.array([p[0] for p in points], dtype=np.float32)
    ss = np.array([p[1] for p in points], dtype=np.float32)
    out = np.empty(v.shape, dtype=np.float32)
    flat_in, flat_out = v.reshape(-1), out.reshape(-1)
    for start in range(0, flat_in.size, INTERP_BLOCK):
        block = slice(start, start + INTERP_BLOCK)
        flat_out[block] = np.interp(flat_in[block], xs, ss)
    return out


def weighted_score(
    suitabilities: Mapping[str, np.ndarray], weights: Mapping[str, float], *, excluded: np.ndarray
) -> np.ndarray:
    """Weighted linear combination of suitabilities; NaN where excluded.

    An unknown suitability (NaN) contributes nothing, the least favourable value, so missing
    data can never raise a cell's score. Suitabilities are float32, as :func:`suitability`
    returns them (others are rounded to float32 first).

    Examples
    --------
    >>> s = {"a": np.array([[1.0, 0.0]]), "b": np.array([[0.5, np.nan]])}
    >>> weighted_score(s, {"a": 0.6, "b": 0.4}, excluded=np.array([[False, False]])).tolist()
    [[0.800000011920929, 0.0]]
    """
    score = np.empty(excluded.shape, dtype=np.float32)
    known = _unknown_as_zero((suitabilities[name] for name in weights), shape=excluded.shape)
    weighted_sum_into(score, known, np.array(list(weights.values())))
    score[excluded] = np.nan
    return score


def _unknown_as_zero(
    suitabilities: Iterable[np.ndarray], *, shape: tuple[int, ...]
) -> Iterator[np.ndarray]:
    """Each suitability with UNKNOWN (NaN) as 0, one at a time in one reused float32 buffer,
    for :func:`~siting.models.weighted_sum.weighted_sum_into`, which uses each before it
    draws the next.

    ``fmax(s, 0)`` is ``s`` for every suitability in [0, 1] and 0 for NaN, as
    ``nan_to_num(s)``, in one pass instead of its separate ones for NaN and ±inf (a
    suitability is never infinite), and without a full-size copy per indicator. It may turn
    a -0.0 into 0.0, which adds the same bits to a weighted sum.
    """
    buffer = np.empty(shape, dtype=np.float32)
    for suitability in suitabilities:
        yield np.fmax(suitability, np.float32(0), out=buffer)
