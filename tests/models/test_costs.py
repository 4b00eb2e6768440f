"""Restating dollars of one year in another's by the ratio of annual CPI-U."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from siting.errors import DataError
from siting.models.costs import escalate, escalation_factor

#: BLS annual averages of CPI-U (CUUR0000SA0).
CPI = pd.DataFrame(
    {
        "year": [2015, 2016, 2017, 2018, 2019, 2024],
        "cpi_u_annual_avg": [237.017, 240.007, 245.12, 251.107, 255.657, 313.689],
    }
)


def test_factor_is_the_ratio_of_the_two_years():
    assert escalation_factor(2019, 2024, CPI) == pytest.approx(313.689 / 255.657)  # 1.22699
    assert escalation_factor(2019, 2019, CPI) == 1.0


def test_escalating_there_and_back_returns_the_amount():
    there = escalate(100.0, 2019, 2024, CPI)
    assert escalate(there, 2024, 2019, CPI) == pytest.approx(100.0)


def test_2019_dollars_in_2024_by_hand():
    # 1,000,000 $ × 313.689 / 255.657 = 1,226,991.6 $
    assert escalate(1.0e6, 2019, 2024, CPI) == pytest.approx(1_226_991.6, abs=0.1)


def test_arrays_and_series_keep_their_shape_and_nan():
    values = np.array([10.0, np.nan, 0.0])
    out = escalate(values, 2015, 2019, CPI)
    assert out[0] == pytest.approx(10.0 * 255.657 / 237.017)
    assert np.isnan(out[1]) and out[2] == 0.0
    series = pd.Series([1.0, 2.0], index=["a", "b"])
    assert escalate(series, 2019, 2024, CPI).index.tolist() == ["a", "b"]


def test_a_year_outside_the_table_names_the_years_it_holds():
    with pytest.raises(DataError, match=r"no annual value for \[2030\]; the table holds "):
        escalate(1.0, 2019, 2030, CPI)
    with pytest.raises(DataError, match=r"holds 2015–2019, 2024\."):
        escalation_factor(2012, 2024, CPI)
