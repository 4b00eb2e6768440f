"""Ranking of candidate sites."""

from __future__ import annotations

import pandas as pd


def rank_sites(sites: pd.DataFrame) -> pd.DataFrame:
    """Sort by score (best first, ties by ``site_id``) and number the ranks from 1.

    >>> t = pd.DataFrame({"site_id": ["b", "a", "c"], "score": [0.5, 0.5, 0.9]})
    >>> rank_sites(t)[["rank", "site_id"]].to_numpy().tolist()
    [[1, 'c'], [2, 'a'], [3, 'b']]
    """
    ranked = sites.sort_values(["score", "site_id"], ascending=[False, True], kind="mergesort")
    ranked = ranked.reset_index(drop=True)
    ranked.insert(0, "rank", range(1, len(ranked) + 1))
    return ranked
