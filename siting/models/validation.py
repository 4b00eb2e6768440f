"""How well a surface ranks known locations: presence-background AUC and top-quintile lift.

A surface (the run's score, or one indicator's suitability) is judged by where known project
locations fall on it against the cells of the study area. Both measures count ties as half, so
a constant surface, which ranks nothing, gets an AUC of exactly 0.5 and a lift of 0.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from scipy.stats import rankdata

#: Share of the scored cells that forms the top quintile.
TOP_SHARE = 0.2


def auc_mann_whitney(presence: ArrayLike, background: ArrayLike) -> float:
    """Area under the ROC curve of presence values against background values.

    The probability that a presence value drawn at random exceeds a background value drawn at
    random, ties counted half: the Mann–Whitney U of the presence sample divided by the number
    of pairs. NaN values are dropped; NaN is returned when either sample is then empty.

    Parameters
    ----------
    presence : array_like
        Surface values at the known locations. [surface units]
    background : array_like
        Surface values at background (random) cells. [surface units]

    Returns
    -------
    float
        AUC, 0–1; 0.5 for a surface that does not separate the samples. [-]

    References
    ----------
    Hanley, J. A. & McNeil, B. J. (1982). The meaning and use of the area under a receiver
    operating characteristic (ROC) curve. Radiology 143(1), 29–36.
    doi:10.1148/radiology.143.1.7063747

    Examples
    --------
    >>> auc_mann_whitney([3.0, 4.0], [1.0, 2.0])
    1.0
    >>> auc_mann_whitney([1.0, 1.0], [1.0, 1.0, 1.0])
    0.5
    >>> auc_mann_whitney([2.0], [1.0, 2.0, 3.0])
    0.5
    """
    pos = _finite(presence)
    neg = _finite(background)
    if pos.size == 0 or neg.size == 0:
        return float("nan")
    ranks = rankdata(np.concatenate([pos, neg]), method="average")
    u = ranks[: pos.size].sum() - pos.size * (pos.size + 1) / 2.0
    return float(u / (pos.size * neg.size))


def percentile_rank(values: ArrayLike, reference: ArrayLike) -> np.ndarray:
    """Share of the reference values below each value, ties counted half.

    Parameters
    ----------
    values : array_like
        Values to place. [surface units]
    reference : array_like
        The distribution they are placed in, e.g. every scored cell; NaN dropped. [surface units]

    Returns
    -------
    numpy.ndarray
        Mid-rank percentile of each value, 0–1; NaN where the value is NaN. [-]

    Examples
    --------
    >>> percentile_rank([0.0, 8.0, 9.0, 20.0], np.arange(10.0)).tolist()
    [0.05, 0.85, 0.95, 1.0]
    """
    ref = np.sort(_finite(reference))
    v = np.asarray(values, dtype=float)
    below = np.searchsorted(ref, v, side="left")
    at_or_below = np.searchsorted(ref, v, side="right")
    out = (below + at_or_below) / (2.0 * ref.size)
    out[np.isnan(v)] = np.nan
    return out


def top_quintile_lift(
    values: ArrayLike, cells: ArrayLike, *, top_share: float = TOP_SHARE
) -> float:
    """Share of known locations in the top ``top_share`` of cells, divided by ``top_share``.

    A location is in the top quintile when its mid-rank percentile among the cells
    (:func:`percentile_rank`) is at least ``1 - top_share``; ties are therefore split, and on a
    constant surface no location is in the top quintile. A lift of 1 is what locations placed
    at random would get; 1 / ``top_share`` (5) is the most possible.

    Parameters
    ----------
    values : array_like
        Surface values at the known locations; NaN dropped. [surface units]
    cells : array_like
        Surface values of every scored cell. [surface units]
    top_share : float
        Share of the cells at the top of the surface, 0–1. [-]

    Returns
    -------
    float
        Lift; NaN when no location has a value. [-]

    Examples
    --------
    >>> top_quintile_lift([9.0, 8.0, 5.0, 1.0, 0.0], np.arange(10.0))
    2.0
    """
    v = _finite(values)
    if v.size == 0:
        return float("nan")
    inside = percentile_rank(v, cells) >= 1.0 - top_share - 1e-12
    return float(inside.mean() / top_share)


def _finite(values: ArrayLike) -> np.ndarray:
    v = np.asarray(values, dtype=float).ravel()
    return v[~np.isnan(v)]
