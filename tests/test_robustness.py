"""Robustness of the ranking: weight draws, ranks, Pareto front and the consensus raster."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pandas as pd
import pytest
import rasterio

from siting.errors import SpecError
from siting.models.robustness import (
    consensus_share,
    dirichlet_weights,
    pareto_front,
    ranks,
    rescore_sites,
    summarize_ranks,
)
from siting.robustness import PARETO_COLUMNS, assess_robustness, consensus, weight_draws
from siting.spec import Robustness, load_spec

SETTINGS = Robustness(draws=200, seed=12345, concentration=50.0, top_n=3, consensus_top_pct=1.0)


def site_table(suit: np.ndarray, weights: dict[str, float], *, penalty=None) -> pd.DataFrame:
    """A ranked site table from per-site suitabilities (rows) of the weighted indicators."""
    names = list(weights)
    penalty = np.zeros(len(suit)) if penalty is None else np.asarray(penalty)
    table = pd.DataFrame({f"contrib_{n}": suit[:, k] * weights[n] for k, n in enumerate(names)})
    table["score"] = suit @ np.array(list(weights.values())) + penalty
    table["site_id"] = [f"s{i}" for i in range(len(suit))]
    for column in PARETO_COLUMNS:
        table[column] = 1.0
    table = table.sort_values("score", ascending=False, kind="mergesort").reset_index(drop=True)
    table.insert(0, "rank", range(1, len(table) + 1))
    return table


WEIGHTS = {"a": 0.5, "b": 0.3, "c": 0.2}


def test_probabilities_lie_in_0_1_and_each_draw_has_one_winner_and_n_in_its_top():
    suit = np.random.default_rng(42).random((7, 3))
    result = assess_robustness(site_table(suit, WEIGHTS), weights=WEIGHTS, settings=SETTINGS)
    cols = result.columns
    for column in ("p_rank1", "p_top3"):
        assert cols[column].between(0.0, 1.0).all()
    assert cols["p_rank1"].sum() == pytest.approx(1.0)
    assert cols["p_top3"].sum() == pytest.approx(3.0)
    assert (cols["rank_p05"] <= cols["rank_median"]).all()
    assert (cols["rank_median"] <= cols["rank_p95"]).all()
    assert cols[["rank_p05", "rank_p95"]].stack().between(1, 7).all()


def test_same_seed_gives_the_same_draws_and_another_seed_other_draws():
    w = np.array(list(WEIGHTS.values()))
    first = dirichlet_weights(w, concentration=50.0, draws=50, seed=7)
    np.testing.assert_array_equal(first, dirichlet_weights(w, concentration=50.0, draws=50, seed=7))
    other = dirichlet_weights(w, concentration=50.0, draws=50, seed=8)
    assert not np.allclose(first, other)
    np.testing.assert_allclose(first.sum(axis=1), 1.0)
    suit = np.random.default_rng(42).random((9, 3))
    sites = site_table(suit, WEIGHTS)
    a = assess_robustness(sites, weights=WEIGHTS, settings=SETTINGS).columns
    b = assess_robustness(sites, weights=WEIGHTS, settings=SETTINGS).columns
    pd.testing.assert_frame_equal(a, b)


def test_draws_spread_as_the_dirichlet_says_and_a_zero_weight_stays_zero():
    w = np.array([0.15, 0.85, 0.0])
    draws = dirichlet_weights(w, concentration=50.0, draws=20_000, seed=3)
    assert (draws[:, 2] == 0.0).all()
    np.testing.assert_allclose(draws.mean(axis=0), w, atol=2e-3)
    # Var w_k = w_k (1 − w_k) / (concentration + 1) = 0.15 × 0.85 / 51 → sd 0.0500
    assert draws[:, 0].std() == pytest.approx(0.05, rel=0.03)


def test_a_very_large_concentration_gives_the_spec_weights_and_the_spec_ranks():
    w = np.array(list(WEIGHTS.values()))
    draws = dirichlet_weights(w, concentration=1e9, draws=20, seed=1)
    np.testing.assert_allclose(draws, np.broadcast_to(w, draws.shape), atol=1e-3)
    suit = np.random.default_rng(5).random((8, 3))
    sites = site_table(suit, WEIGHTS).sample(frac=1.0, random_state=2)  # rows out of rank order
    settings = dataclasses.replace(SETTINGS, concentration=1e9, draws=20)
    cols = assess_robustness(sites, weights=WEIGHTS, settings=settings).columns
    np.testing.assert_array_equal(cols["rank_median"], sites["rank"])
    np.testing.assert_array_equal(cols["rank_p95"], sites["rank"])
    np.testing.assert_array_equal(cols["p_rank1"], (sites["rank"] == 1).astype(float))


def test_the_penalty_is_held_fixed_and_moves_a_site_down():
    # site 0 is better on every indicator but its penalty puts it behind site 1 in every draw
    suit = np.array([[0.85, 0.85, 0.85], [0.8, 0.8, 0.8], [0.1, 0.1, 0.1]])
    sites = site_table(suit, WEIGHTS, penalty=[-0.4, 0.0, 0.0])
    cols = assess_robustness(sites, weights=WEIGHTS, settings=SETTINGS).columns
    by_id = cols.set_index(sites["site_id"])
    assert by_id.loc["s1", "p_rank1"] == 1.0
    assert by_id.loc["s0", "rank_median"] == 2.0  # 0.85 − 0.4 = 0.45 still beats 0.1


def test_a_site_best_on_every_indicator_wins_every_draw_and_one_best_on_average_does_not():
    suit = np.array([[0.9, 0.9, 0.9], [0.89, 0.2, 0.1], [0.1, 0.88, 0.3], [0.2, 0.1, 0.89]])
    wide = dataclasses.replace(SETTINGS, concentration=1.0)
    cols = assess_robustness(site_table(suit, WEIGHTS), weights=WEIGHTS, settings=wide).columns
    assert cols["p_rank1"].tolist() == [1.0, 0.0, 0.0, 0.0]
    # without a dominating site the best on average loses some draws
    suit = np.array([[0.5, 0.5, 0.5], [1.0, 0.0, 0.3]])
    sites = site_table(suit, {"a": 0.4, "b": 0.3, "c": 0.3})
    cols = assess_robustness(sites, weights={"a": 0.4, "b": 0.3, "c": 0.3}, settings=wide).columns
    assert sites["site_id"].tolist() == ["s0", "s1"]  # 0.50 against 0.49
    assert 0.0 < cols["p_rank1"].iloc[1] < 1.0


def test_ranks_and_their_summary_by_hand():
    scores = rescore_sites(
        np.array([[1.0, 0.0], [0.0, 1.0], [0.5, np.nan]]),
        np.array([[0.9, 0.1], [0.1, 0.9], [0.5, 0.5]]),
        offset=np.zeros(3),
    )
    np.testing.assert_allclose(scores, [[0.9, 0.1, 0.45], [0.1, 0.9, 0.05], [0.5, 0.5, 0.25]])
    r = ranks(scores)
    assert r.tolist() == [[1, 3, 2], [2, 1, 3], [1, 2, 3]]  # a tie goes to the earlier site
    summary = summarize_ranks(r, top_n=2)
    assert summary.p_rank1.tolist() == pytest.approx([2 / 3, 1 / 3, 0.0])
    assert summary.p_top.tolist() == pytest.approx([1.0, 2 / 3, 1 / 3])
    assert summary.rank_median.tolist() == [1.0, 2.0, 3.0]


def test_pareto_front_on_a_hand_made_table():
    rows = {  # time to power, cost, water, density, SVI
        "a": [50.0, 100.0, 1.0, 10.0, 0.2],
        "b": [50.0, 100.0, 1.0, 10.0, 0.3],  # a is as good everywhere and better on SVI
        "c": [40.0, 200.0, 1.0, 10.0, 0.3],  # fastest power
        "d": [np.nan, 50.0, 1.0, 10.0, 0.2],  # cheapest connection, time unknown
        "e": [np.nan, 60.0, 1.0, 10.0, 0.2],  # as d (unknown ties unknown) but dearer
        "f": [50.0, 100.0, 1.0, 10.0, 0.2],  # the same as a: neither dominates the other
    }
    assert pareto_front(np.array(list(rows.values()))).tolist() == [
        True,
        False,
        True,
        True,
        False,
        True,
    ]
    # unknown counts as the worst: an unknown time never beats a known one
    assert pareto_front(np.array([[np.nan, 1.0], [60.0, 1.0]])).tolist() == [False, True]


def test_the_stage_flags_the_pareto_front_from_the_site_columns():
    sites = site_table(np.random.default_rng(1).random((3, 3)), WEIGHTS)
    sites[list(PARETO_COLUMNS)] = [
        [50.0, 100.0, 1.0, 10.0, 0.2],
        [50.0, 90.0, 1.0, 10.0, 0.2],
        [40.0, 100.0, 1.0, 10.0, np.nan],
    ]
    cols = assess_robustness(sites, weights=WEIGHTS, settings=SETTINGS).columns
    assert cols["pareto_front"].tolist() == [False, True, True]
    with pytest.raises(ValueError, match="svi_overall_pct"):
        assess_robustness(sites.drop(columns="svi_overall_pct"), weights=WEIGHTS, settings=SETTINGS)


SUIT_A = np.array([[1.0, 0.0, 0.6], [0.2, np.nan, 0.9]])
SUIT_B = np.array([[0.0, 1.0, 0.6], [0.2, 0.8, 0.9]])
EXCLUDED = np.array([[False, False, False], [False, False, True]])
FACTOR = np.array([[1.0, 1.0, 0.5], [1.0, 1.0, 1.0]])


@pytest.mark.parametrize("chunk_elements", [1, 7, 1 << 24])
def test_consensus_on_a_tiny_grid_by_hand(chunk_elements):
    draws = np.array([[0.8, 0.2], [0.2, 0.8], [0.5, 0.5]])
    share = consensus_share(
        {"a": SUIT_A, "b": SUIT_B},
        draws,
        eligible=~EXCLUDED,
        score_factor=FACTOR,
        top_share=0.4,  # 2 of the 5 eligible cells
        chunk_elements=chunk_elements,
    )
    # draw 1: 0.8 0.2 0.3 | 0.2 0.16 → cells (0,0), (0,2) (penalised 0.6 → 0.3)
    # draw 2: 0.2 0.8 0.3 | 0.2 0.64 → (0,1), (1,1) (unknown a counts 0)
    # draw 3: 0.5 0.5 0.3 | 0.2 0.4  → (0,0), (0,1)
    expected = np.array([[2 / 3, 2 / 3, 1 / 3], [0.0, 1 / 3, np.nan]])
    np.testing.assert_allclose(share, expected, atol=1e-7)


def _consensus_by_exact_sums(suits, draws, *, eligible, factor, top_share):
    """The consensus as its definition reads: every cell's exact score in every draw."""
    from siting.models.weighted_sum import weighted_sum_into

    cells = [np.nan_to_num(s[eligible], nan=0.0).astype(np.float32) for s in suits.values()]
    f = factor[eligible].astype(np.float32)
    n = cells[0].size
    k = min(n, int(np.ceil(round(top_share * n, 6))))
    counts = np.zeros(n)
    for w in draws:
        score = weighted_sum_into(np.empty(n, np.float32), cells, w) * f
        counts += score >= np.partition(score, n - k)[n - k]
    out = np.full(eligible.shape, np.nan, np.float32)
    out[eligible] = counts / len(draws)
    return out


@pytest.mark.parametrize(
    ("levels", "top_share", "seed"),
    [(None, 0.01, 1), (None, 0.3, 2), (10, 0.01, 3), (3, 0.05, 4), (2, 1.0, 5), (None, 1e-6, 6)],
)
def test_consensus_equals_the_exact_sums_of_every_cell(levels, top_share, seed):
    """The matrix-product shortcut must give the bits of summing every cell exactly, also
    where suitabilities take a few levels only, so thousands of cells tie near the threshold."""
    rng = np.random.default_rng(seed)
    shape = (90, 230)
    suits = {name: rng.random(shape) for name in "abcde"}
    if levels:
        suits = {name: np.round(s * levels) / levels for name, s in suits.items()}
    suits["c"][rng.random(shape) < 0.1] = np.nan
    eligible = rng.random(shape) < 0.8
    factor = np.where(rng.random(shape) < 0.2, 0.5, 1.0)
    draws = dirichlet_weights(np.full(5, 0.2), concentration=20.0, draws=25, seed=seed)
    expected = _consensus_by_exact_sums(
        suits, draws, eligible=eligible, factor=factor, top_share=top_share
    )
    for chunk in (1, 3 * shape[1] * shape[0], 1 << 24):
        share = consensus_share(
            suits,
            draws,
            eligible=eligible,
            score_factor=factor,
            top_share=top_share,
            chunk_elements=chunk,
        )
        assert np.array_equal(share, expected, equal_nan=True)


def test_the_exact_sums_decide_where_the_matrix_product_orders_two_cells_the_other_way():
    """Two cells whose float32 scores differ in the last bit, in one order when each term is
    rounded as the run's score rounds it and in the other when the factor goes in first."""
    suits = {"a": np.array([[0.7, 0.1]]), "b": np.array([[0.1, 0.3]]), "c": np.array([[0.1, 0.4]])}
    w = np.array([[0.3, 0.3, 0.4]])
    ok, factor = np.ones((1, 2), dtype=bool), np.full((1, 2), 0.3)
    expected = _consensus_by_exact_sums(suits, w, eligible=ok, factor=factor, top_share=0.5)
    assert expected.tolist() == [[0.0, 1.0]]
    share = consensus_share(suits, w, eligible=ok, score_factor=factor, top_share=0.5)
    assert share.tolist() == [[0.0, 1.0]]


def test_the_approximate_draw_scores_stay_within_their_bound():
    from siting.models.robustness import _EligibleCells

    rng = np.random.default_rng(11)
    suits = {name: rng.random((300, 300)) for name in "abcdefghij"}
    eligible = np.ones((300, 300), dtype=bool)
    cells = _EligibleCells(suits, eligible=eligible, score_factor=rng.random((300, 300)))
    for w in dirichlet_weights(np.full(10, 0.1), concentration=5.0, draws=20, seed=3):
        approx = w.astype(np.float32) @ cells.scaled
        exact = cells.exact_scores(np.arange(approx.size), w)
        gap = np.abs(approx - exact).max()
        assert 0.0 < gap <= cells.tolerance(w) / 8


def test_consensus_counts_every_cell_tied_at_the_threshold():
    share = consensus_share(
        {"a": SUIT_A, "b": SUIT_B},
        np.array([[0.5, 0.5]]),
        eligible=~EXCLUDED,
        score_factor=FACTOR,
        top_share=0.2,  # one cell, but (0,0) and (0,1) tie at 0.5
    )
    assert share[0].tolist() == [1.0, 1.0, 0.0]


def test_the_consensus_stage_with_the_spec_weights_marks_their_best_cells():
    rng = np.random.default_rng(42)
    suits = {"a": rng.random((10, 10)), "b": rng.random((10, 10)), "c": rng.random((10, 10))}
    excluded = np.zeros((10, 10), dtype=bool)
    excluded[0] = True
    settings = dataclasses.replace(SETTINGS, concentration=1e9, draws=5, consensus_top_pct=10.0)
    share = consensus(
        suits, WEIGHTS, excluded=excluded, score_factor=np.ones((10, 10)), settings=settings
    )
    score = sum(w * suits[n] for n, w in WEIGHTS.items())
    best = np.argsort(-score[~excluded])[:9]  # 10 % of 90 eligible cells
    expected = np.zeros(90)
    expected[best] = 1.0
    np.testing.assert_array_equal(share[~excluded], expected)
    assert np.isnan(share[0]).all()
    assert weight_draws(WEIGHTS, settings).shape == (5, 3)


def test_impossible_model_arguments_are_errors():
    w = np.array([0.5, 0.5])
    with pytest.raises(ValueError, match="concentration must be > 0"):
        dirichlet_weights(w, concentration=0.0, draws=5, seed=1)
    with pytest.raises(ValueError, match="draws ≥ 1"):
        dirichlet_weights(w, concentration=5.0, draws=0, seed=1)
    with pytest.raises(ValueError, match="top_n must be ≥ 1, got 0"):
        summarize_ranks(np.array([[1, 2]]), top_n=0)
    with pytest.raises(ValueError, match=r"top_share must lie in \(0, 1\], got 1.5"):
        consensus_share(
            {"a": SUIT_A}, np.ones((1, 1)), eligible=~EXCLUDED, score_factor=FACTOR, top_share=1.5
        )


def test_no_eligible_cell_gives_an_all_nan_consensus():
    share = consensus_share(
        {"a": SUIT_A},
        np.ones((3, 1)),
        eligible=np.zeros((2, 3), dtype=bool),
        score_factor=FACTOR,
        top_share=0.5,
    )
    assert np.isnan(share).all()


@pytest.mark.parametrize(
    ("key", "value"),
    [("draws", 0), ("draws", 2.5), ("seed", -1), ("concentration", 0.0), ("top_n", 0)],
)
def test_impossible_robustness_values_are_spec_errors(tmp_path, key, value):
    path = tmp_path / "spec.toml"
    path.write_text(f"[robustness]\n{key} = {value}\n", encoding="utf-8")
    with pytest.raises(SpecError, match=f"'{key}'"):
        load_spec(path)


def test_an_unknown_robustness_key_is_a_spec_error(tmp_path):
    path = tmp_path / "spec.toml"
    path.write_text("[robustness]\nsamples = 100\n", encoding="utf-8")
    with pytest.raises(SpecError, match=r"unknown key\(s\) \['samples'\] in \[robustness\]"):
        load_spec(path)


def test_the_default_spec_robustness():
    assert load_spec().robustness == SETTINGS


def test_the_default_run_reports_robustness(default_run):
    sites, out = default_run.sites, default_run.out_dir
    settings = load_spec().robustness
    for column in ("rank_median", "rank_p05", "rank_p95", "p_rank1", "p_top3", "pareto_front"):
        assert column in sites.columns
    assert sites["p_rank1"].sum() == pytest.approx(1.0)
    assert sites["p_top3"].sum() == pytest.approx(min(3, len(sites)))
    assert sites["pareto_front"].any()
    columns = pd.read_csv(out / "sites_columns.csv").set_index("column")
    assert columns.loc["p_rank1", "units"] == "0-1"
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["robustness"]["seed"] == settings.seed
    assert manifest["robustness"]["draws"] == settings.draws
    assert manifest["robustness"]["concentration"] == settings.concentration
    assert manifest["outputs"]["consensus"] == "consensus.tif"
    with rasterio.open(out / "consensus.tif") as src, rasterio.open(out / "score.tif") as ref:
        assert src.count == 1
        share, score = src.read(1), ref.read(1)
    known = np.isfinite(share)
    assert ((share[known] >= 0.0) & (share[known] <= 1.0)).all()
    assert share[known].max() == 1.0  # some cells are among the best whatever the weights
    np.testing.assert_array_equal(known, np.isfinite(score))  # eligible cells only


def test_the_default_run_spec_weights_give_back_its_ranks(default_run):
    settings = dataclasses.replace(load_spec().robustness, concentration=1e9, draws=10)
    weights = default_run.manifest["weights"]
    cols = assess_robustness(default_run.sites, weights=weights, settings=settings).columns
    np.testing.assert_array_equal(cols["rank_median"], default_run.sites["rank"])


@pytest.mark.parametrize("floor", ["sampled from few cells", "too high", "at the k-th score"])
def test_consensus_is_exact_whatever_the_first_floor(monkeypatch, floor):
    """A floor from a sparse sample, one above every score (no cell kept) and one at the k-th
    score (too close to it to trust) all give the exact sums' result: the last two by scoring
    every cell of the draw again."""
    from siting.models import robustness

    rng = np.random.default_rng(7)
    shape = (120, 150)
    suits = {name: np.round(rng.random(shape) * 6) / 6 for name in "abcd"}
    eligible = rng.random(shape) < 0.9
    factor = np.where(rng.random(shape) < 0.3, 0.75, 1.0)
    draws = dirichlet_weights(np.full(4, 0.25), concentration=30.0, draws=12, seed=8)
    expected = _consensus_by_exact_sums(
        suits, draws, eligible=eligible, factor=factor, top_share=0.02
    )
    if floor == "sampled from few cells":
        monkeypatch.setattr(robustness, "SAMPLE_CELLS", 64)
    elif floor == "too high":
        monkeypatch.setattr(
            robustness, "_sampled_floors", lambda d, s, k: np.full(len(d), np.inf, np.float32)
        )
    else:

        def kth_scores(d, s, k):
            scores = d @ s
            return np.partition(scores, scores.shape[1] - k, axis=1)[:, scores.shape[1] - k]

        monkeypatch.setattr(robustness, "_sampled_floors", kth_scores)
    calls = []
    every = robustness._best_of_all
    monkeypatch.setattr(
        robustness, "_best_of_all", lambda *a, **kw: calls.append(1) or every(*a, **kw)
    )
    share = consensus_share(
        suits,
        draws,
        eligible=eligible,
        score_factor=factor,
        top_share=0.02,
        chunk_elements=12 * 1000,
    )
    assert np.array_equal(share, expected, equal_nan=True)
    assert len(calls) == (0 if floor == "sampled from few cells" else len(draws))
