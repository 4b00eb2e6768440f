import numpy as np
import pytest

from siting.zonal import (
    majority,
    suitability_at_min,
    summarize_regions,
    zonal_max,
    zonal_mean,
    zonal_min,
)


def test_score_equals_sum_of_contributions(grid10):
    rng = np.random.default_rng(42)
    suits = {
        "a": rng.random(grid10.shape).astype(np.float32),
        "b": rng.random(grid10.shape).astype(np.float32),
    }
    suits["b"][:2, :] = np.nan
    weights = {"a": 0.4, "b": 0.6}
    score = (0.4 * suits["a"] + 0.6 * np.nan_to_num(suits["b"])).astype(np.float32)
    labels = np.zeros(grid10.shape, np.int32)
    labels[:4, :4] = 1
    labels[5:, 5:] = 2
    table = summarize_regions(
        labels,
        grid10,
        indicators={"a": suits["a"]},
        suitabilities=suits,
        weights=weights,
        score=score,
    )
    total = table["contrib_a"] + table["contrib_b"]
    np.testing.assert_allclose(table["score"], total, rtol=1e-5)
    assert table["area_km2"].tolist() == [16.0, 25.0]


def test_region_without_data_is_unknown(grid10):
    suits = {"a": np.full(grid10.shape, np.nan, np.float32)}
    labels = np.zeros(grid10.shape, np.int32)
    labels[:2, :2] = 1
    table = summarize_regions(
        labels,
        grid10,
        indicators={"a": suits["a"]},
        suitabilities=suits,
        weights={"a": 1.0},
        score=np.zeros(grid10.shape, np.float32),
    )
    assert np.isnan(table.loc[0, "a"])
    assert table.loc[0, "unknown_indicators"] == "a"
    assert table.loc[0, "contrib_a"] == pytest.approx(0.0)


def test_distance_indicators_take_the_nearest_cell_and_keep_the_score_sum(grid10):
    distance = np.tile(np.arange(10, dtype=np.float32), (10, 1))  # km, growing eastwards
    distance[0, 0] = np.nan
    suits = {"d": (1.0 - distance / 10.0).astype(np.float32)}
    labels = np.zeros(grid10.shape, np.int32)
    labels[:3, :3] = 1  # columns 0–2: nearest known cell at 0 km (row 1), mean 9/8 km
    labels[5:, 6:] = 2
    table = summarize_regions(
        labels,
        grid10,
        indicators={"d": distance, "m": distance},
        suitabilities=suits,
        weights={"d": 1.0},
        score=np.nan_to_num(suits["d"]),
        stats={"d": "min"},
    )
    assert table["d"].tolist() == [0.0, 6.0]
    assert table["m"].tolist() == pytest.approx([9 / 8, 7.5])  # mean of known cells by default
    np.testing.assert_allclose(table["score"], table["contrib_d"], rtol=1e-5)
    # the site is scored on the value it reports: the nearest cell's suitability, not the mean
    assert table["suit_d"].tolist() == pytest.approx([1.0, 0.4])


def test_a_site_scored_on_its_best_cell_keeps_penalties_and_unreachable_cells(grid10):
    """A cost with its site value at the cheapest cell: the site's suitability is that cell's
    (for a higher-is-worse transform, the best), a penalty carried by the cells stays in the
    score, and a site whose every cell is unreachable (infinite cost) scores 0, not UNKNOWN."""
    cost = np.tile(np.arange(10, dtype=np.float32) * 10.0, (10, 1))  # M$, dearer eastwards
    cost[:, 8:] = np.inf
    suits = {"c": np.clip(1.0 - cost / 100.0, 0.0, 1.0).astype(np.float32)}
    penalty = np.full(grid10.shape, -0.05, np.float32)
    labels = np.zeros(grid10.shape, np.int32)
    labels[:2, 2:6] = 1  # 20–50 M$: best cell 0.8, mean 0.65
    labels[5:, 8:] = 2  # unreachable everywhere
    table = summarize_regions(
        labels,
        grid10,
        indicators={"c": cost},
        suitabilities=suits,
        weights={"c": 0.5},
        score=0.5 * suits["c"] + penalty,
        stats={"c": "min"},
    )
    assert table["c"].iloc[0] == 20.0 and np.isnan(table["c"].iloc[1])
    assert table["suit_c"].tolist() == pytest.approx([0.8, 0.0])
    assert table["contrib_c"].tolist() == pytest.approx([0.4, 0.0])
    assert table["score"].tolist() == pytest.approx([0.35, -0.05])
    assert table["unknown_indicators"].tolist() == ["", ""]


def plain_zone_values(values, labels, zone):
    """A zone's values in row-major order, by a loop over the cells."""
    rows, cols = labels.shape
    return [values[r, c] for r in range(rows) for c in range(cols) if labels[r, c] == zone]


def test_zonal_summaries_equal_plain_loops_over_each_zones_cells():
    # unknown and infinite cells, ties at the minimum, a zone with no known value and labels
    # below 0 (outside every zone)
    rng = np.random.default_rng(42)
    labels = rng.integers(-1, 5, size=(23, 19)).astype(np.int32)
    values = (rng.random(labels.shape) * 1e3).astype(np.float32)
    values[rng.random(labels.shape) < 0.1] = 0.5  # ties at the minimum
    values[rng.random(labels.shape) < 0.2] = np.nan
    values[rng.random(labels.shape) < 0.05] = np.inf
    values[labels == 3] = np.nan
    suit = rng.random(labels.shape).astype(np.float32)
    codes = rng.integers(-1, 4, size=labels.shape)
    ids = np.array([1, 2, 3, 4])
    means, unknown = zonal_mean(values, labels, ids)
    mins, maxs = zonal_min(values, labels, ids), zonal_max(values, labels, ids)
    at_min = suitability_at_min(values, suit, labels, ids)
    counties = majority(codes, labels, ids)
    for i, zone in enumerate(ids.tolist()):
        cells = plain_zone_values(values, labels, zone)
        finite = [float(v) for v in cells if np.isfinite(v)]
        total = 0.0
        for v in finite:
            total += v  # float32 values summed in float64: the same sum, bit for bit
        assert_same(means[i], total / len(finite) if finite else np.nan)
        assert_same(unknown[i], 1.0 - len(finite) / len(cells) if cells else np.nan)
        assert_same(mins[i], min(finite) if finite else np.nan)
        assert_same(maxs[i], max(finite) if finite else np.nan)
        best = [
            float(s)
            for v, s in zip(cells, plain_zone_values(suit, labels, zone), strict=True)
            if finite and v == min(finite)
        ]
        assert_same(at_min[i], max(best) if best else np.nan)
        known = [int(c) for c in plain_zone_values(codes, labels, zone) if c >= 0]
        tally = {c: known.count(c) for c in sorted(set(known))}
        assert counties[i] == (max(tally, key=tally.get) if known else -1)


def assert_same(got, expected):
    assert (np.isnan(got) and np.isnan(expected)) or float(got) == expected, (got, expected)
