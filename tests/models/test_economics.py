"""Job ranges per GW of IT capacity (siting.models.economics)."""

from __future__ import annotations

import pandas as pd
import pytest

from siting.models.economics import jobs_range


def test_jobs_scale_with_it_capacity():
    jobs = jobs_range(pd.Series([500.0, 1000.0, 2500.0]))
    assert jobs["permanent_jobs_low"].tolist() == pytest.approx([225.0, 450.0, 1125.0])
    assert jobs["permanent_jobs_high"].tolist() == pytest.approx([450.0, 900.0, 2250.0])
    assert jobs["construction_peak_jobs_low"].tolist() == pytest.approx([1500.0, 3000.0, 7500.0])
    assert jobs["construction_peak_jobs_high"].tolist() == pytest.approx([3200.0, 6400.0, 16000.0])


def test_low_never_above_high():
    jobs = jobs_range(pd.Series([1.0, 1234.5]))
    for kind in ("permanent_jobs", "construction_peak_jobs"):
        assert (jobs[f"{kind}_low"] < jobs[f"{kind}_high"]).all()
