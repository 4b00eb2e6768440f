"""Invariants of scoring and exclusion that hold for any data: scores stay in [0, 1], unknown
data never helps, a better suitability never lowers a score, and another exclusion rule never
adds eligible land."""

from __future__ import annotations

import numpy as np
import xarray as xr
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from siting.exclude import RuleData, apply_exclusions
from siting.grid import Grid
from siting.models.weighted_sum import weighted_sum_into
from siting.rules import ExclusionRule
from siting.score import suitability, weighted_score
from siting.spec import Transform

PROPERTIES = settings(max_examples=100, derandomize=True, deadline=None, database=None)

SHAPE = (4, 5)
#: Indicator names the generated rules test.
LAYERS = ("a", "b")

suitability_values = st.one_of(st.sampled_from([0.0, 1.0, np.nan]), st.floats(0.0, 1.0, width=32))
suitability_grids = hnp.arrays(np.float32, SHAPE, elements=suitability_values)
masks = hnp.arrays(np.bool_, SHAPE, elements=st.booleans(), fill=st.nothing())


@st.composite
def weights(draw, *, size: int | None = None) -> dict[str, float]:
    """Weights in [0, 1] summing to 1 as the spec requires (within 1e-6), some of them 0, ``size``
    of them or up to five; or, without ``size``, up to twenty equal weights, whose float32
    terms may sum to more than 1."""
    if size is None and draw(st.booleans()):
        raw = [1.0] * draw(st.integers(1, 20))
    else:
        raw = draw(
            st.lists(
                st.one_of(st.just(0.0), st.floats(1e-3, 1.0)),
                min_size=size or 1,
                max_size=size or 5,
            ).filter(any)
        )
    total = sum(raw)
    return {f"i{k}": w / total for k, w in enumerate(raw)}


@st.composite
def scoring(draw) -> tuple[dict[str, float], dict[str, np.ndarray]]:
    """Weights and a suitability grid per weight, with some cells best (1) in every grid."""
    w = draw(weights())
    best = draw(masks)
    return w, {name: np.where(best, np.float32(1.0), draw(suitability_grids)) for name in w}


@PROPERTIES
@example(
    ({f"i{k}": 0.05 for k in range(20)}, {f"i{k}": np.ones(SHAPE, np.float32) for k in range(20)}),
    np.zeros(SHAPE, dtype=bool),
)
@given(scoring(), masks)
def test_score_lies_in_unit_interval_and_is_nan_only_where_excluded(case, excluded):
    w, suits = case
    score = weighted_score(suits, w, excluded=excluded)
    assert np.isnan(score[excluded]).all()
    kept = score[~excluded]
    assert np.isfinite(kept).all()
    assert ((kept >= 0.0) & (kept <= 1.0)).all(), kept.max()


@PROPERTIES
@given(scoring(), masks, st.data())
def test_unknown_suitability_scores_as_zero_and_never_helps(case, excluded, data):
    w, suits = case
    name = data.draw(st.sampled_from(sorted(w)))
    unknown = data.draw(masks)
    before = weighted_score(suits, w, excluded=excluded)
    blanked = {**suits, name: np.where(unknown, np.float32(np.nan), suits[name])}
    zeroed = {**suits, name: np.where(unknown, np.float32(0.0), suits[name])}
    after = weighted_score(blanked, w, excluded=excluded)
    np.testing.assert_array_equal(after, weighted_score(zeroed, w, excluded=excluded))
    assert (after[~excluded] <= before[~excluded]).all()


@PROPERTIES
@given(scoring(), masks, st.data())
def test_raising_one_suitability_never_lowers_a_score(case, excluded, data):
    w, suits = case
    name = data.draw(st.sampled_from(sorted(w)))
    row, col = data.draw(st.tuples(st.integers(0, SHAPE[0] - 1), st.integers(0, SHAPE[1] - 1)))
    old = suits[name][row, col]
    low = 0.0 if np.isnan(old) else float(old)
    raised = suits[name].copy()
    raised[row, col] = data.draw(st.floats(low, 1.0, width=32))
    before = weighted_score(suits, w, excluded=excluded)
    after = weighted_score({**suits, name: raised}, w, excluded=excluded)
    assert (after[~excluded] >= before[~excluded]).all()


@PROPERTIES
@given(scoring(), st.integers(1, 4), st.data())
def test_weight_draws_sum_as_one_weighting(case, draws, data):
    w, suits = case
    known = [np.nan_to_num(suits[n], nan=0.0) for n in w]
    rows = [list(data.draw(weights(size=len(w))).values()) for _ in range(draws)]
    together = weighted_sum_into(np.empty((draws, *SHAPE), np.float32), known, np.array(rows))
    for d, row in enumerate(rows):
        alone = weighted_sum_into(np.empty(SHAPE, np.float32), known, np.array(row))
        np.testing.assert_array_equal(together[d], alone)


@st.composite
def transforms(draw) -> Transform:
    if draw(st.booleans()):
        best, worst = draw(
            st.tuples(st.integers(-50, 50), st.integers(-50, 50)).filter(lambda t: t[0] != t[1])
        )
        return Transform(kind="linear", best=float(best), worst=float(worst))
    xs = draw(st.lists(st.integers(-50, 50), min_size=2, max_size=5, unique=True))
    ss = draw(st.lists(st.floats(0.0, 1.0), min_size=len(xs), max_size=len(xs)))
    return Transform(kind="piecewise", points=tuple(zip(sorted(map(float, xs)), ss, strict=True)))


@PROPERTIES
@given(
    transforms(),
    hnp.arrays(np.float64, 12, elements=st.one_of(st.floats(-1e6, 1e6), st.just(np.nan))),
)
def test_suitability_lies_in_unit_interval_and_keeps_unknown(transform, values):
    out = suitability(values, transform)
    assert (np.isnan(out) == np.isnan(values)).all()
    known = out[~np.isnan(out)]
    assert ((known >= 0.0) & (known <= 1.0)).all()


# ---------------------------------------------------------------------------------------------
# exclusions
# ---------------------------------------------------------------------------------------------

GRID = Grid(
    crs="EPSG:5070",
    bounds=(0.0, 0.0, SHAPE[1] * 1000.0, SHAPE[0] * 1000.0),
    resolution_m=1000.0,
)
layer_values = st.one_of(st.sampled_from([0.0, 1.0, 2.0, 3.0, 4.0, 5.0]), st.just(np.nan))
layer_grids = hnp.arrays(np.float64, SHAPE, elements=layer_values, fill=st.nothing())
#: The tests an indicator rule may make: one at a time, so that a value failing it is known.
TESTS = ("above", "below", "between", "values")


@st.composite
def indicator_rules(
    draw, *, name: str, modes=("exclude", "penalise", "flag"), layers=LAYERS
) -> ExclusionRule:
    mode = draw(st.sampled_from(modes))
    missing = draw(
        st.sampled_from(("keep", "flag") if mode == "include" else ("exclude", "keep", "flag"))
    )
    test = draw(st.sampled_from(TESTS))
    threshold = draw(st.sampled_from([0.5, 1.5, 2.5, 3.5, 4.5]))
    what = {
        "above": {"above": threshold},
        "below": {"below": threshold},
        "between": {"between": (threshold, threshold + 1.0)},
        "values": {"values": (threshold + 0.5,)},
    }[test]
    return ExclusionRule(
        name=name,
        kind="indicator",
        indicator=draw(st.sampled_from(layers)),
        mode=mode,
        missing=missing,
        penalty=draw(st.floats(0.0, 1.0)) if mode == "penalise" else 0.0,
        buffer_m=draw(st.sampled_from([0.0, 0.0, 1000.0, 1500.0])),
        **what,
    )


@st.composite
def rule_lists(draw) -> tuple[ExclusionRule, ...]:
    """One to three indicator rules of any mode, and maybe a ``min_area`` rule."""
    n = draw(st.integers(1, 3))
    modes = ("exclude", "include", "penalise", "flag")
    rules = [draw(indicator_rules(name=f"r{k}", modes=modes)) for k in range(n)]
    if draw(st.booleans()):
        area = draw(st.sampled_from([None, 1.0, 2.0, 4.0]))
        rules.append(ExclusionRule(name="small", kind="min_area", area_km2=area))
    return tuple(rules)


@st.composite
def exclusion_cases(draw):
    layers = {name: draw(layer_grids) for name in LAYERS}
    study_area = draw(masks)
    return draw(rule_lists()), layers, study_area


def eligible(rules, layers, study_area) -> np.ndarray:
    data = RuleData(
        indicators={n: xr.DataArray(v, dims=("y", "x")) for n, v in layers.items()},
        campus_area_km2=2.0,
    )
    return ~apply_exclusions(tuple(rules), GRID, study_area=study_area, data=data).excluded


@PROPERTIES
@given(exclusion_cases(), indicator_rules(name="extra"), st.integers(0, 3))
def test_another_rule_never_adds_eligible_land(case, extra, position):
    rules, layers, study_area = case
    before = eligible(rules, layers, study_area)
    with_extra = (*rules[:position], extra, *rules[position:])
    after = eligible(with_extra, layers, study_area)
    assert not (after & ~before).any()
    assert not (after & ~study_area).any()


def failing_value(rule: ExclusionRule) -> float:
    """A known value the rule's test does not meet."""
    if rule.above is not None:
        return rule.above - 0.5
    if rule.below is not None:
        return rule.below + 0.5
    if rule.between is not None:
        return rule.between[1] + 0.5
    return rule.values[0] + 0.5


@PROPERTIES
@given(
    exclusion_cases(),
    indicator_rules(name="extra", modes=("exclude", "include", "penalise", "flag"), layers="c"),
    layer_grids,
    masks,
)
def test_unknown_rule_data_never_makes_a_cell_eligible(case, extra, layer, unknown):
    """Where a rule's layer (read by that rule alone) is unknown, no cell is more eligible than
    if the layer held a value that fails the rule's test, and with ``missing = "exclude"``
    unknown cells are out."""
    rules, layers, study_area = case
    rules = (*rules, extra)
    blank = {**layers, "c": np.where(unknown, np.nan, layer)}
    failing = {**layers, "c": np.where(unknown, failing_value(extra), layer)}
    with_unknown = eligible(rules, blank, study_area)
    assert not (with_unknown & ~eligible(rules, failing, study_area)).any()
    if extra.missing == "exclude":
        assert not (with_unknown & np.isnan(blank["c"])).any()


@PROPERTIES
@given(exclusion_cases())
def test_penalties_keep_the_score_in_unit_interval(case):
    rules, layers, study_area = case
    data = RuleData(
        indicators={n: xr.DataArray(v, dims=("y", "x")) for n, v in layers.items()},
        campus_area_km2=2.0,
    )
    result = apply_exclusions(rules, GRID, study_area=study_area, data=data)
    factor = result.score_factor
    assert ((factor >= 0.0) & (factor <= 1.0)).all()
    penalised = [r for r in rules if r.mode == "penalise"]
    if not penalised:
        assert (factor == 1.0).all()
    score = weighted_score({"s": np.ones(SHAPE, np.float32)}, {"s": 1.0}, excluded=result.excluded)
    kept = (score * factor)[~result.excluded]
    assert ((kept >= 0.0) & (kept <= 1.0)).all()
