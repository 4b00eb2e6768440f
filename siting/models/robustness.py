"""How far a ranking survives other weights: Dirichlet weight draws, ranks and non-dominance.

A weighted-sum ranking rests on weights that are judgements. Drawing many weight vectors around
the chosen ones and ranking the sites again under each shows which places stay near the top
whatever the exact weights, and which owe their place to one weighting (docs/methods.md §11.6).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from siting.models.weighted_sum import weighted_sum_into

#: Largest number of cell scores held at once while the consensus is counted [cells × draws]:
#: every draw's scores of one block of cells, small enough to stay in the processor's cache
#: while they are compared with each draw's floor.
CHUNK_ELEMENTS = 1 << 20

#: Draws counted in one pass over the cells: a pass reads every cell's suitabilities once and
#: holds the cells each of its draws keeps (about 1.4 % of the eligible cells per draw for the
#: default best 1 %), so more draws per pass read less and hold more. [draws]
DRAWS_PER_PASS = 50

#: Cells sampled from a draw's scores to place a first bound under its best set. [cells]
SAMPLE_CELLS = 1 << 16


@dataclass(frozen=True, kw_only=True)
class RankSummary:
    """Each site's ranks over the weight draws (1 = best), in the order of the sites given.

    ``rank_median``, ``rank_p05`` and ``rank_p95`` are the median and the 5th and 95th
    percentiles of the rank [-]; ``p_rank1`` and ``p_top`` the share of draws with the site at
    rank 1 and within the best ``top_n`` [0-1].
    """

    top_n: int
    rank_median: np.ndarray
    rank_p05: np.ndarray
    rank_p95: np.ndarray
    p_rank1: np.ndarray
    p_top: np.ndarray


def dirichlet_weights(
    weights: np.ndarray, *, concentration: float, draws: int, seed: int
) -> np.ndarray:
    """Weight vectors drawn from a Dirichlet distribution centred on ``weights``.

    Each draw is w ~ Dirichlet(α) with α_k = concentration × w_k, so E[w_k] = w_k and
    Var[w_k] = w_k (1 − w_k) / (concentration + 1). An indicator of weight 0 keeps weight 0.

    Parameters
    ----------
    weights : numpy.ndarray
        The spec's weights, non-negative, summing to 1. [-]
    concentration : float
        Dirichlet concentration, > 0: the larger, the closer every draw lies to ``weights``. [-]
    draws : int
        Number of weight vectors, ≥ 1.
    seed : int
        Seed of the random generator (numpy PCG64): the same seed gives the same draws.

    Returns
    -------
    numpy.ndarray
        Shape (draws, len(weights)); each row sums to 1. [-]

    References
    ----------
    Lahdelma, R., Hokkanen, J. & Salminen, P. (1998). SMAA – Stochastic multiobjective
    acceptability analysis. Eur. J. Oper. Res. 106(1), 137–143.

    Tervonen, T. & Figueira, J. R. (2008). A survey on stochastic multicriteria acceptability
    analysis methods. J. Multi-Criteria Decis. Anal. 15(1–2), 1–14. doi:10.1002/mcda.407

    Examples
    --------
    >>> w = dirichlet_weights(np.array([0.5, 0.5, 0.0]), concentration=50, draws=4, seed=1)
    >>> w.shape, bool(np.allclose(w.sum(axis=1), 1.0)), bool((w[:, 2] == 0).all())
    ((4, 3), True, True)
    """
    weights = np.asarray(weights, dtype=np.float64)
    if concentration <= 0 or draws < 1:
        raise ValueError(f"concentration must be > 0 and draws ≥ 1, got {concentration}, {draws}")
    positive = weights > 0
    out = np.zeros((draws, weights.size))
    rng = np.random.default_rng(seed)
    out[:, positive] = rng.dirichlet(concentration * weights[positive], size=draws)
    return out


def rescore_sites(
    suitability: np.ndarray, weight_draws: np.ndarray, *, offset: np.ndarray
) -> np.ndarray:
    """Every site's score under every weight draw: Σ_k w_k × suitability_k + offset.

    Parameters
    ----------
    suitability : numpy.ndarray
        Shape (sites, indicators); a site's suitability of each indicator, unknown counted 0.
        [0-1]
    weight_draws : numpy.ndarray
        Shape (draws, indicators). [-]
    offset : numpy.ndarray
        Shape (sites,); what the score holds beyond the weighted sum (penalties). [0-1]

    Returns
    -------
    numpy.ndarray
        Shape (draws, sites). [0-1]
    """
    suit = np.nan_to_num(np.asarray(suitability, dtype=np.float64), nan=0.0)
    return weight_draws @ suit.T + np.asarray(offset, dtype=np.float64)[None, :]


def ranks(scores: np.ndarray) -> np.ndarray:
    """Rank of each site in each draw, 1 = highest score; ties go to the earlier site.

    >>> ranks(np.array([[0.2, 0.9, 0.2], [0.5, 0.1, 0.7]])).tolist()
    [[2, 1, 3], [2, 3, 1]]
    """
    order = np.argsort(-scores, axis=1, kind="stable")
    out = np.empty(scores.shape, dtype=np.int64)
    positions = np.broadcast_to(np.arange(1, scores.shape[1] + 1), scores.shape)
    np.put_along_axis(out, order, positions, axis=1)
    return out


def summarize_ranks(site_ranks: np.ndarray, *, top_n: int) -> RankSummary:
    """Median, 5th and 95th percentile rank, P(rank 1) and P(rank ≤ top_n) of each site.

    Percentiles are numpy's linear interpolation between order statistics, so a percentile
    rank may fall between two whole ranks.

    >>> s = summarize_ranks(np.array([[1, 2], [2, 1], [1, 2], [1, 2]]), top_n=1)
    >>> s.p_rank1.tolist(), s.rank_median.tolist()
    ([0.75, 0.25], [1.0, 2.0])
    """
    if top_n < 1:
        raise ValueError(f"top_n must be ≥ 1, got {top_n}")
    p05, median, p95 = np.percentile(site_ranks, [5.0, 50.0, 95.0], axis=0)
    return RankSummary(
        top_n=top_n,
        rank_median=median,
        rank_p05=p05,
        rank_p95=p95,
        p_rank1=(site_ranks == 1).mean(axis=0),
        p_top=(site_ranks <= top_n).mean(axis=0),
    )


def consensus_share(
    suitabilities: Mapping[str, np.ndarray],
    weight_draws: np.ndarray,
    *,
    eligible: np.ndarray,
    score_factor: np.ndarray,
    top_share: float,
    chunk_elements: int = CHUNK_ELEMENTS,
) -> np.ndarray:
    """Share of weight draws in which each eligible cell is among the best ``top_share`` of
    eligible cells.

    A cell's score in a draw is score_factor × Σ_k w_k s_k, an unknown suitability counting 0,
    summed by :func:`siting.models.weighted_sum.weighted_sum_into` as the run's score and a
    re-scoring are. The best set of a draw is every eligible cell scoring at least the k-th
    highest eligible score, k = ceil(top_share × eligible cells), so cells tied at the
    threshold all count.

    Every draw's scores are first computed by matrix products (BLAS, float32), which may differ
    from those sums in the last bits. A first floor under each draw's best set comes from the
    scores of a sample of the cells (:func:`_sampled_floors`); the cells are then scored block
    by block, every draw at once, and only each draw's cells at or above its floor are kept
    (:func:`_scores_at_or_above`), so no draw's scores of every cell are ever held or read
    again. :func:`_best_cells` then sums exactly only the few cells whose place the difference
    could change, so the result is the one the exact sums of every cell give, at a fraction of
    the cost. The draws are counted :data:`DRAWS_PER_PASS` at a time; at most
    ``chunk_elements`` cell scores are held at once.

    Parameters
    ----------
    suitabilities : Mapping
        Indicator name → suitability raster, in the order of the columns of ``weight_draws``.
        [0-1]
    weight_draws : numpy.ndarray
        Shape (draws, indicators). [-]
    eligible : numpy.ndarray
        Boolean raster: cells that may hold a campus.
    score_factor : numpy.ndarray
        Share of the score kept by penalty rules, per cell. [0-1]
    top_share : float
        Size of the best set as a share of the eligible cells, in (0, 1]. [-]
    chunk_elements : int
        Largest number of cell scores held at once.

    Returns
    -------
    numpy.ndarray
        Raster of shares of the draws [0-1]; NaN where not eligible.

    Examples
    --------
    >>> s = {"a": np.array([[1.0, 0.0, 0.5]]), "b": np.array([[0.0, 1.0, 0.5]])}
    >>> w = np.array([[0.9, 0.1], [0.1, 0.9]])
    >>> ok, one = np.ones((1, 3), dtype=bool), np.ones((1, 3))
    >>> consensus_share(s, w, eligible=ok, score_factor=one, top_share=0.3).tolist()
    [[0.5, 0.5, 0.0]]
    """
    if not 0.0 < top_share <= 1.0:
        raise ValueError(f"top_share must lie in (0, 1], got {top_share}")
    out = np.full(eligible.shape, np.nan, dtype=np.float32)
    n_cells = int(eligible.sum())
    if n_cells == 0:
        return out
    cells = _EligibleCells(suitabilities, eligible=eligible, score_factor=score_factor)
    k = min(n_cells, int(np.ceil(round(top_share * n_cells, 6))))
    counts = np.zeros(n_cells, dtype=np.int64)
    for start in range(0, len(weight_draws), DRAWS_PER_PASS):
        group = weight_draws[start : start + DRAWS_PER_PASS]
        draws = group.astype(np.float32)
        floors = _sampled_floors(draws, cells.scaled, k)
        block_cells = max(1, chunk_elements // len(group))
        near = _scores_at_or_above(draws, cells.scaled, floors, block_cells=block_cells)
        for (kept, scores), floor, weights in zip(near, floors, group, strict=True):
            counts[_best_cells(kept, scores, k, floor=floor, cells=cells, weights=weights)] += 1
    out[eligible] = counts / len(weight_draws)
    return out


class _EligibleCells:
    """The eligible cells' suitabilities, as the exact and the approximate draw scores read them.

    ``scaled`` (indicators × cells, float32) holds each suitability times the cell's score
    factor, the operand of the approximate scores' matrix product; :meth:`exact_scores` sums
    chosen cells as the run's score does; :meth:`tolerance` bounds the difference of the two.
    """

    def __init__(
        self,
        suitabilities: Mapping[str, np.ndarray],
        *,
        eligible: np.ndarray,
        score_factor: np.ndarray,
    ) -> None:
        self._flat = np.flatnonzero(eligible)
        self._rasters = [np.ravel(s) for s in suitabilities.values()]
        self.factor = np.ravel(score_factor)[self._flat].astype(np.float32)
        self.scaled = np.empty((len(self._rasters), self._flat.size), dtype=np.float32)
        for row, values in zip(self.scaled, self._rasters, strict=True):
            if values.dtype == row.dtype:
                np.take(values, self._flat, out=row)
            else:
                row[:] = values[self._flat]
            np.nan_to_num(row, copy=False, nan=0.0)
            row *= self.factor
        self._largest = np.abs(self.scaled).max(axis=1, initial=0.0).astype(np.float64)

    def exact_scores(self, cells: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """The draw scores of the eligible cells numbered ``cells``, as the run sums them:
        :func:`weighted_sum_into`, then the score factor. [0-1]"""
        flat = self._flat[cells]
        terms = [np.nan_to_num(r[flat], nan=0.0).astype(np.float32) for r in self._rasters]
        out = weighted_sum_into(np.empty(cells.size, dtype=np.float32), terms, weights)
        out *= self.factor[cells]
        return out

    def tolerance(self, weights: np.ndarray) -> float:
        """Bound on |approximate − exact| score of any cell under ``weights``. [0-1]

        Both scores sum K float32 terms of magnitude at most |w_k| × max |s_k f|, each sum
        within (K + 2) float32 roundings of the real value (the factor applied before or after
        the sum, the cap at 1 only lowering sums that rounding raised above it); the bound
        allows eight times that.
        """
        magnitude = float(np.abs(weights) @ self._largest)
        eps = float(np.finfo(np.float32).eps)
        return 8.0 * (self.scaled.shape[0] + 2) * eps * max(magnitude, 1.0)


def _sampled_floors(draws: np.ndarray, scaled: np.ndarray, k: int) -> np.ndarray:
    """Per draw, a score below which, going by an evenly spaced sample of the cells, few more
    than the k highest approximate scores lie: the sample's value at a rank a few standard
    deviations past k's share. A floor too high is caught by :func:`_best_cells`, which then
    looks at every cell."""
    n_cells = scaled.shape[1]
    sample = draws @ scaled[:, :: max(1, n_cells // SAMPLE_CELLS)]
    size = sample.shape[1]
    expected = k * size / n_cells
    rank = min(size, int(np.ceil(1.2 * expected + 4.0 * np.sqrt(expected) + 8.0)))
    return np.partition(sample, size - rank, axis=1)[:, size - rank]


def _scores_at_or_above(
    draws: np.ndarray, scaled: np.ndarray, floors: np.ndarray, *, block_cells: int
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per draw, the cells (numbers of the eligible cells, ascending) whose approximate score is
    at least the draw's floor, and those scores.

    The cells are scored ``block_cells`` at a time under every draw: one matrix product whose
    result is compared with the floors while it is still in the cache, instead of every cell's
    score under a draw being written out and read back.
    """
    rows, cols, scores = [], [], []
    column = floors[:, None]
    for start in range(0, scaled.shape[1], block_cells):
        block = draws @ scaled[:, start : start + block_cells]
        flat = np.flatnonzero(block >= column)
        scores.append(block.ravel()[flat])
        row, col = np.divmod(flat, block.shape[1])
        rows.append(row.astype(np.min_scalar_type(len(draws))))
        cols.append((col + start).astype(np.min_scalar_type(scaled.shape[1])))
    row = np.concatenate(rows)
    by_draw = np.argsort(row, kind="stable")  # each draw's cells stay in ascending order
    cells, values = np.concatenate(cols)[by_draw], np.concatenate(scores)[by_draw]
    bounds = np.cumsum(np.bincount(row, minlength=len(draws)))
    return list(zip(np.split(cells, bounds[:-1]), np.split(values, bounds[:-1]), strict=True))


def _best_cells(
    near: np.ndarray,
    approx: np.ndarray,
    k: int,
    *,
    floor: float,
    cells: _EligibleCells,
    weights: np.ndarray,
) -> np.ndarray:
    """Eligible cells whose exact score under ``weights`` is at least the k-th highest.

    ``near`` holds every cell whose approximate score (within δ = ``cells.tolerance`` of the
    exact one) is at least ``floor``, ``approx`` those scores. When at least k cells are near
    and the k-th highest of their scores, t̃, is at least 2δ above the floor, t̃ is the k-th
    highest approximate score of all cells and every cell within 2δ of it is near; otherwise
    the floor was too high, and every cell is scored again (:func:`_best_of_all`).
    """
    delta = cells.tolerance(weights)
    if near.size >= k:
        kth = np.partition(approx, approx.size - k)[approx.size - k]
        if kth - 2.0 * delta >= floor:
            return _decided(near, approx, kth, delta, k, cells=cells, weights=weights)
    return _best_of_all(k, cells=cells, weights=weights)


def _best_of_all(k: int, *, cells: _EligibleCells, weights: np.ndarray) -> np.ndarray:
    """:func:`_best_cells` from the approximate scores of every eligible cell."""
    approx = weights.astype(np.float32) @ cells.scaled
    kth = np.partition(approx, approx.size - k)[approx.size - k]
    delta = cells.tolerance(weights)
    near = np.flatnonzero(approx >= kth - 2.0 * delta)
    return _decided(near, approx[near], kth, delta, k, cells=cells, weights=weights)


def _decided(near, approx, kth, delta, k, *, cells: _EligibleCells, weights) -> np.ndarray:
    """The best set from the cells ``near`` t̃ = ``kth``, the k-th highest approximate score.

    The exact threshold t lies within δ of t̃, so a cell above t̃ + 2δ is surely in the best
    set and one below t̃ − 2δ surely not; only the cells in between are summed exactly, and t
    is the (k − sure)-th highest of their exact scores.
    """
    sure = near[approx > kth + 2.0 * delta]
    band = near[np.abs(approx - kth) <= 2.0 * delta]
    needed = k - sure.size
    if not 0 < needed <= band.size:
        raise ArithmeticError(
            f"approximate draw scores strayed beyond their bound {delta:g}: {sure.size} cells "
            f"surely above a best set of {k}, {band.size} near its threshold"
        )
    exact = cells.exact_scores(band, weights)
    threshold = np.partition(exact, exact.size - needed)[exact.size - needed]
    return np.concatenate([sure, band[exact >= threshold]])


def pareto_front(values: np.ndarray) -> np.ndarray:
    """True for each row that no other row dominates, every column lower-is-better.

    Row j dominates row i when it is at least as good on every column and better on one.
    An unknown value (NaN) counts as the worst, so it never makes a row better than another;
    two unknowns tie.

    >>> v = np.array([[1.0, 5.0], [2.0, 2.0], [2.0, 6.0], [np.nan, 1.0]])
    >>> pareto_front(v).tolist()
    [True, True, False, True]
    """
    v = np.where(np.isnan(values), np.inf, np.asarray(values, dtype=np.float64))
    no_worse = (v[:, None, :] <= v[None, :, :]).all(axis=2)
    better = (v[:, None, :] < v[None, :, :]).any(axis=2)
    dominated = (no_worse & better).any(axis=0)
    return ~dominated
