import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from siting.indicator import Indicator
from siting.score import default_transform, suitability, weighted_score
from siting.spec import Transform


def test_linear_lower_is_better():
    t = Transform(kind="linear", best=0.0, worst=30.0)
    np.testing.assert_allclose(
        suitability(np.array([0.0, 15.0, 30.0, 45.0]), t), [1.0, 0.5, 0.0, 0.0]
    )


def test_linear_higher_is_better():
    t = Transform(kind="linear", best=100.0, worst=0.0)
    np.testing.assert_allclose(
        suitability(np.array([-5.0, 25.0, 100.0, 200.0]), t), [0.0, 0.25, 1.0, 1.0]
    )


def test_piecewise_is_flat_beyond_the_ends():
    t = Transform(kind="piecewise", points=((10.0, 1.0), (20.0, 0.0)))
    np.testing.assert_allclose(suitability(np.array([0.0, 15.0, 99.0]), t), [1.0, 0.5, 0.0])


def test_schema_with_points_defaults_to_piecewise():
    schema = Indicator(
        name="w_mm_per_yr",
        family="water",
        title="t",
        units="mm/yr",
        direction="lower_better",
        tag="proxy",
        source="s",
        description="d",
        points=((0.0, 1.0), (10.0, 0.0)),
    )
    assert default_transform(schema).kind == "piecewise"


def test_excluded_cells_have_no_score():
    suits = {"a": np.ones((2, 2), np.float32)}
    excluded = np.array([[True, False], [False, False]])
    score = weighted_score(suits, {"a": 1.0}, excluded=excluded)
    assert np.isnan(score[0, 0]) and np.all(score[excluded == False] == 1.0)  # noqa: E712


def test_unknown_never_scores_better_than_worst():
    suits = {"a": np.array([[np.nan, 0.0]], np.float32), "b": np.array([[1.0, 1.0]], np.float32)}
    score = weighted_score(suits, {"a": 0.5, "b": 0.5}, excluded=np.zeros((1, 2), bool))
    assert score[0, 0] == score[0, 1] == pytest.approx(0.5)


@given(
    st.lists(st.floats(0, 1), min_size=3, max_size=3),
    st.integers(0, 2),
    st.floats(0, 1),
)
def test_raising_one_suitability_never_lowers_the_score(values, which, bump):
    weights = {"a": 0.2, "b": 0.3, "c": 0.5}
    names = list(weights)
    before = {n: np.array([[v]], np.float32) for n, v in zip(names, values, strict=True)}
    after = dict(before)
    after[names[which]] = np.array([[min(1.0, values[which] + bump)]], np.float32)
    excluded = np.zeros((1, 1), bool)
    assert (
        weighted_score(after, weights, excluded=excluded)[0, 0]
        >= weighted_score(before, weights, excluded=excluded)[0, 0]
    )


def test_score_stays_in_unit_interval():
    rng = np.random.default_rng(42)
    suits = {n: rng.random((10, 10), dtype=np.float32) for n in "abc"}
    score = weighted_score(suits, {"a": 0.2, "b": 0.3, "c": 0.5}, excluded=np.zeros((10, 10), bool))
    assert score.min() >= 0.0 and score.max() <= 1.0


def _edge_values(shape: tuple[int, ...]) -> np.ndarray:
    """float32 values with NaN, ±inf, -0.0, the knots themselves and random values between."""
    rng = np.random.default_rng(7)
    values = rng.uniform(-20.0, 120.0, size=shape).astype(np.float32)
    flat = values.reshape(-1)
    specials = [np.nan, np.inf, -np.inf, -0.0, 0.0, 1.0, 10.0, 50.0, 100.0, 3.0, -2.0]
    flat[: len(specials)] = specials
    flat[-len(specials) :] = specials
    flat[::13] = np.nan
    return values


@pytest.mark.parametrize(("best", "worst"), [(-2.0, 3.0), (3.0, -2.0), (0.0, 100.0), (0.1, 0.3)])
def test_linear_matches_the_plain_expression_bit_for_bit(best, worst):
    v = _edge_values((7, 301))
    b, w = np.float32(best), np.float32(worst)
    expected = np.clip((v - w) / (b - w), np.float32(0), np.float32(1))
    expected[np.isnan(v)] = np.nan
    out = suitability(v, Transform(kind="linear", best=best, worst=worst))
    assert out.dtype == np.float32 and out.shape == v.shape
    np.testing.assert_array_equal(out.view(np.uint32), expected.view(np.uint32))


def test_piecewise_matches_one_interp_call_bit_for_bit_across_blocks():
    points = ((0.0, 1.0), (1.0, 0.9), (10.0, 0.6), (50.0, 0.2), (100.0, 0.0))
    v = _edge_values((3, 70_001))  # more than three blocks of cells, the last one partial
    xs = np.array([p[0] for p in points], dtype=np.float32)
    ss = np.array([p[1] for p in points], dtype=np.float32)
    expected = np.interp(v, xs, ss).astype(np.float32)
    expected[np.isnan(v)] = np.nan
    out = suitability(v, Transform(kind="piecewise", points=points))
    assert out.dtype == np.float32 and out.shape == v.shape
    np.testing.assert_array_equal(out.view(np.uint32), expected.view(np.uint32))


def test_suitability_leaves_its_input_unchanged():
    v = _edge_values((5, 40))
    before = v.copy()
    suitability(v, Transform(kind="linear", best=0.0, worst=50.0))
    suitability(v, Transform(kind="piecewise", points=((0.0, 1.0), (50.0, 0.0))))
    np.testing.assert_array_equal(v, before)


def test_weighted_score_matches_unknowns_as_zero_bit_for_bit():
    rng = np.random.default_rng(3)
    suits = {}
    for name in ("a", "b", "c"):
        s = rng.random((9, 11), dtype=np.float32)
        s[rng.random(s.shape) < 0.2] = np.nan
        s[0, :3] = [0.0, -0.0, 1.0]
        suits[name] = s
    weights = {"a": 0.5, "b": 0.3, "c": 0.2}
    excluded = rng.random((9, 11)) < 0.1
    w = np.array(list(weights.values()), dtype=np.float32)
    expected = np.zeros((9, 11), dtype=np.float32)
    for k, name in enumerate(weights):
        expected += w[k] * np.nan_to_num(suits[name], nan=0.0)
    expected = np.minimum(expected, np.float32(1.0))
    expected[excluded] = np.nan
    out = weighted_score(suits, weights, excluded=excluded)
    np.testing.assert_array_equal(out.view(np.uint32), expected.view(np.uint32))
