"""The weighted sum of suitabilities, in float32 and in place: one function for the run's score,
a re-scoring with other weights and every robustness draw, so that they cannot drift apart."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np


def weighted_sum_into(
    out: np.ndarray,
    suitabilities: Iterable[np.ndarray],
    weights: np.ndarray,
    *,
    scratch: np.ndarray | None = None,
) -> np.ndarray:
    """Write Σ_k w_k s_k into ``out`` in float32, in place: the one weighted sum of the run's
    score (docs/methods.md §11.3), of a re-scoring and of every robustness draw.

    Each term w_k × s_k is rounded to float32 and added in the order of ``suitabilities``, so
    the same weights give the same bits whichever caller sums them. Sums above 1 are set to 1:
    with weights that sum to 1 they come only from rounding (twenty weights of 0.05 on
    suitabilities of 1 sum to 1.0000001 in float32), and a score never exceeds 1.

    Parameters
    ----------
    out : numpy.ndarray
        float32 buffer of the result's shape, overwritten. [0-1]
    suitabilities : iterable of numpy.ndarray
        float32 suitabilities with unknown values already 0, all of one shape, one per
        weight; each is used before the next is drawn, so an iterator may hand them out in
        one reused buffer. [0-1]
    weights : numpy.ndarray
        Shape (k,) for one score of the suitabilities' shape, or (draws, k) for one score per
        draw, ``out`` then of shape (draws, *suitability shape). [-]
    scratch : numpy.ndarray, optional
        float32 buffer of ``out``'s shape for the terms; allocated when not given.

    Returns
    -------
    numpy.ndarray
        ``out``. [0-1]

    Examples
    --------
    >>> s = [np.array([1.0, 0.0], dtype=np.float32), np.array([0.5, 1.0], dtype=np.float32)]
    >>> weighted_sum_into(np.empty(2, np.float32), s, np.array([0.6, 0.4])).tolist()
    [0.800000011920929, 0.4000000059604645]
    >>> weighted_sum_into(np.empty((2, 2), np.float32), s, np.array([[1, 0], [0, 1]])).tolist()
    [[1.0, 0.0], [0.5, 1.0]]
    >>> ones = [np.ones(1, dtype=np.float32)] * 20
    >>> weighted_sum_into(np.empty(1, np.float32), ones, np.full(20, 0.05)).tolist()
    [1.0]
    """
    w = np.asarray(weights, dtype=np.float32)
    per_term = w.shape[:-1] + (1,) * (out.ndim - w.ndim + 1)
    scratch = np.empty_like(out) if scratch is None else scratch
    out.fill(0.0)
    count = 0
    for values in suitabilities:
        if count == w.shape[-1]:
            raise ValueError(f"{w.shape[-1]} weights for more suitabilities")
        np.multiply(w[..., count].reshape(per_term), values, out=scratch)
        out += scratch
        count += 1
    if count != w.shape[-1]:
        raise ValueError(f"{w.shape[-1]} weights for {count} suitabilities")
    np.minimum(out, np.float32(1.0), out=out)
    return out
