"""The bookkeeping of benchmarks/bench_state.py: every reference step and every stage of the
run is counted once, either matched or as other work."""

import importlib.util
from pathlib import Path

import pytest

SPEC = importlib.util.spec_from_file_location(
    "bench_state", Path(__file__).resolve().parent.parent / "benchmarks" / "bench_state.py"
)
bench_state = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(bench_state)

REFERENCE_STEPS = {
    "imports": 0.8,
    "read_vectors": 0.25,
    "read_tables": 0.3,
    "grid_state": 0.05,
    "exclusions": 0.4,
    "distances": 0.8,
    "county_rasters": 0.2,
    "heat_raster": 0.2,
    "score": 0.2,
    "regions": 0.3,
    "write": 1.0,
}


def stages() -> dict[str, float]:
    matched = {name: 1.0 for names in bench_state.MATCHED.values() for name in names}
    return matched | {
        "layers.cooling": 3.0,
        "layers": 99.0,  # the total of the layers.* parts: counted through its parts
        "assess.people": 2.0,
        "assess": 99.0,
        "robustness": 5.0,
        "write.indicators.tif": 4.0,
        "write": 99.0,
        "run": 99.0,
        "cells": 1e6,
        "peak_rss_gb": 3.0,
    }


def test_matched_sums_each_step_once_and_names_the_other_work():
    rows, other = bench_state.matched(REFERENCE_STEPS, stages())
    by_step = {row[0]: row for row in rows}
    read = by_step["read_vectors + read_tables + grid_state"]
    assert read[1] == pytest.approx(0.6)
    assert by_step["exclusions"][3] == pytest.approx(2.0)  # exclusions + layers.land_use
    total = by_step["matched steps"]
    assert total[1] == pytest.approx(sum(REFERENCE_STEPS.values()))
    n_matched = sum(len(v) for v in bench_state.MATCHED.values())
    assert total[3] == pytest.approx(n_matched)
    assert other == ["layers.cooling", "assess.people", "robustness", "write.indicators.tif"]
    assert rows[-1][3] == pytest.approx(14.0)


def test_a_reference_step_not_matched_is_an_error():
    with pytest.raises(ValueError, match="differ from MATCHED"):
        bench_state.matched(REFERENCE_STEPS | {"new_step": 1.0}, stages())


def test_a_step_total_without_parts_counts_as_other_work():
    # "robustness" has no parts; a total such as "write" is dropped only when its parts are there
    _, other = bench_state.matched(REFERENCE_STEPS, {**stages(), "write.tables": 1.0})
    assert "write" not in other
    lone = {k: v for k, v in stages().items() if not k.startswith("assess.")}
    _, other = bench_state.matched(REFERENCE_STEPS, lone)
    assert "assess" in other
