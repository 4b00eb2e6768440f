"""Robustness of the ranking: the sites' ranks under other weights, the cells that stay among
the best whatever the weights, and the sites no other site beats on every count.

docs/methods.md §11.6. The weight draws come from :func:`weight_draws`, so the per-site figures
and the consensus raster of one run rest on the same draws.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from siting.assessments.base import Assessment
from siting.models.robustness import (
    consensus_share,
    dirichlet_weights,
    pareto_front,
    ranks,
    rescore_sites,
    summarize_ranks,
)
from siting.spec import Robustness

#: Site columns of the non-dominance flag, every one lower-is-better.
PARETO_COLUMNS = (
    "time_to_power_p50_months",
    "connection_cost_musd",
    "campus_water_share_nonpower_pct",
    "pop_density_per_km2",
    "svi_overall_pct",
)


def weight_draws(weights: Mapping[str, float], settings: Robustness) -> np.ndarray:
    """The run's weight vectors, shape (draws, indicators) in the order of ``weights``. [-]"""
    return dirichlet_weights(
        np.array(list(weights.values()), dtype=np.float64),
        concentration=settings.concentration,
        draws=settings.draws,
        seed=settings.seed,
    )


def units(settings: Robustness) -> dict[str, str]:
    """The site columns :func:`assess_robustness` adds, and their units."""
    return {
        "rank_median": "rank (1 = best; median over the weight draws)",
        "rank_p05": "rank (5th percentile over the weight draws)",
        "rank_p95": "rank (95th percentile over the weight draws)",
        "p_rank1": "0-1",
        f"p_top{settings.top_n}": "0-1",
        "pareto_front": "(yes/no: no other site is as good on every criterion and better on one)",
    }


def site_suitabilities(sites: pd.DataFrame, weights: Mapping[str, float]) -> np.ndarray:
    """Each site's suitability of each weighted indicator as its score counts it: the
    contribution over the weight, unknown cells counting 0 (0 where the weight is 0).

    Returns shape (sites, indicators). [0-1]
    """
    out = np.zeros((len(sites), len(weights)))
    for k, (name, weight) in enumerate(weights.items()):
        if weight > 0:
            out[:, k] = np.nan_to_num(sites[f"contrib_{name}"].to_numpy(float), nan=0.0) / weight
    return out


def assess_robustness(
    sites: pd.DataFrame, *, weights: Mapping[str, float], settings: Robustness
) -> Assessment:
    """Each site's ranks over the weight draws, and whether it is on the Pareto front.

    A site's score under draw w is Σ_k w_k e_k + p, with e_k its suitability as the score counts
    it (:func:`site_suitabilities`) and p its penalty (score − Σ contributions, held fixed), so
    the draw equal to the spec's weights gives back the table's ranks. Ties go to the site
    ranked higher with the spec's weights.

    Parameters
    ----------
    sites : pandas.DataFrame
        The ranked site table (``rank`` 1 first), with ``score``, ``contrib_<indicator>`` for
        every weighted indicator and the :data:`PARETO_COLUMNS`.
    weights : Mapping
        The weights the site table was scored with. [-]
    settings : Robustness
        The spec's ``[robustness]``.
    """
    missing = [c for c in PARETO_COLUMNS if c not in sites.columns]
    if missing:
        raise ValueError(f"robustness needs site columns {missing}")
    ordered = sites.sort_values("rank", kind="mergesort")
    suit = site_suitabilities(ordered, weights)
    offset = ordered["score"].to_numpy(float) - suit @ np.array(list(weights.values()))
    scores = rescore_sites(suit, weight_draws(weights, settings), offset=offset)
    summary = summarize_ranks(ranks(scores), top_n=settings.top_n)
    columns = pd.DataFrame(
        {
            "rank_median": summary.rank_median,
            "rank_p05": summary.rank_p05,
            "rank_p95": summary.rank_p95,
            "p_rank1": summary.p_rank1,
            f"p_top{settings.top_n}": summary.p_top,
            "pareto_front": pareto_front(ordered[list(PARETO_COLUMNS)].to_numpy(float)),
        },
        index=ordered.index,
    ).loc[sites.index]
    return Assessment(
        name="robustness",
        columns=columns,
        units=units(settings),
        notes=notes(settings, n_sites=len(sites)),
    )


def notes(settings: Robustness, *, n_sites: int) -> tuple[str, ...]:
    """What the robustness columns mean, and what they do not."""
    out = [
        f"ranks under {settings.draws} weight draws from a Dirichlet distribution centred on the "
        f"spec's weights (concentration {settings.concentration:g}, seed {settings.seed}); "
        f"p_rank1 and p_top{settings.top_n} are shares of those draws, a measure of how much a "
        "site's place rests on the exact weights, not a probability that it is the best place",
        "pareto_front: no other site is at least as good on time to power, connection cost, "
        "campus water share, population density and SVI and better on one (lower is better; "
        "an unknown value counts as the worst)",
    ]
    if n_sites <= settings.top_n:
        out.append(f"{n_sites} sites, at most top_n = {settings.top_n}: every p_top is 1")
    return tuple(out)


def consensus(
    suitabilities: Mapping[str, np.ndarray],
    weights: Mapping[str, float],
    *,
    excluded: np.ndarray,
    score_factor: np.ndarray,
    settings: Robustness,
) -> np.ndarray:
    """Share of the weight draws in which each eligible cell is among the best
    ``consensus_top_pct`` % of eligible cells [0-1]; NaN where excluded.

    A cell's score in a draw is its penalty factor × Σ_k w_k s_k (unknown suitability 0), the
    weighted score of docs/methods.md §11.3 with the draw's weights.
    """
    return consensus_share(
        {name: suitabilities[name] for name in weights},
        weight_draws(weights, settings),
        eligible=~excluded,
        score_factor=score_factor,
        top_share=settings.consensus_top_pct / 100.0,
    )
