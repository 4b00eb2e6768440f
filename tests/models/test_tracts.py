"""Tract joins, percentile ranks and the CEJST-style flag (docs/methods.md §6.1)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from siting.models.tracts import (
    cejst_style_flag,
    join_2010_to_2020,
    official_flag,
    percentile_ranks,
    ranked_2010,
    ranked_2020,
)

RAW = Path(__file__).resolve().parents[3] / "shared" / "data" / "community"
BUNDLE = Path(__file__).resolve().parents[2] / "siting" / "data" / "tables"


def test_lineage_join_counts_a_split_and_a_new_tract():
    # 2010: 030100 (kept), 030200 (split in 2020 into 030201, 030202), 030300 and 030400
    # (both kept); 2020 adds 050100, whose basic number 0501 no 2010 tract had.
    old = pd.DataFrame(
        {"v": [1.0, 2.0, 3.0, 4.0]},
        index=["18001030100", "18001030200", "18001030300", "18001030400"],
    )
    new = pd.Index(["18001030100", "18001030201", "18001030202", "18001050100"])
    out = join_2010_to_2020(old, new)
    assert out["tract_join"].tolist() == ["identity", "lineage", "lineage", "none"]
    assert out["v"].tolist()[:3] == [1.0, 2.0, 2.0] and np.isnan(out["v"].iloc[3])
    counts = out.attrs["join_counts"]
    assert counts == {"identity": 1, "lineage": 2, "area": 0, "none": 1, "joined": 3, "tracts": 4}


def test_lineage_with_several_2010_tracts_of_one_basic_number_takes_their_mean():
    old = pd.DataFrame({"v": [1.0, 5.0]}, index=["18001030101", "18001030102"])
    out = join_2010_to_2020(old, pd.Index(["18001030103"]))
    assert out["v"].tolist() == [3.0] and out["tract_join"].tolist() == ["lineage"]


def test_area_weighted_join_by_hand():
    # 2020 tract A is 3 parts of land 6, 3, 1 km²: values 10, 20 and NaN (left out):
    # (10*6 + 20*3) / 9 = 13.333; tract B is all of 2010 tract Z (value 7); C has no row.
    old = pd.DataFrame({"v": [10.0, 20.0, np.nan, 7.0]}, index=["X", "Y", "W", "Z"])
    rel = pd.DataFrame(
        {
            "geoid_2020": ["A", "A", "A", "B"],
            "geoid_2010": ["X", "Y", "W", "Z"],
            "arealand_part_m2": [6e6, 3e6, 1e6, 2e6],
        }
    )
    out = join_2010_to_2020(old, pd.Index(["A", "B", "C"]), rel)
    assert out["v"].iloc[0] == pytest.approx(120.0 / 9.0)
    assert out["v"].iloc[1] == 7.0 and np.isnan(out["v"].iloc[2])
    assert out["tract_join"].tolist() == ["area", "area", "none"]
    assert out.attrs["join_counts"]["area"] == 2


def test_percentile_rank_is_share_at_or_below_and_ignores_nan():
    values = pd.Series([10.0, 20.0, 20.0, np.nan, 40.0])
    assert percentile_ranks(values).tolist()[:3] == [0.25, 0.75, 0.75]
    assert np.isnan(percentile_ranks(values).iloc[3])
    by_state = percentile_ranks(values, pd.Series(["a", "a", "b", "b", "b"]))
    assert by_state.tolist()[:3] == [0.5, 1.0, 0.5] and by_state.iloc[4] == 1.0


def test_cejst_style_flag_where_any_high_burden_would_be_wrong():
    low_income = pd.Series([0.30, 0.70, 0.70, 0.70, np.nan, 0.30])
    burdens = pd.DataFrame(
        {
            "pm25_pct_us": [0.99, 0.50, 0.95, np.nan, 0.99, np.nan],
            "traffic_proximity_pct_us": [0.95, 0.60, 0.10, 0.20, 0.99, 0.10],
        }
    )
    naive = (burdens >= 0.9).any(axis=1).astype(float)
    flag = cejst_style_flag(low_income, burdens)
    # high burdens but not low income: naive says 1, CEJST says 0
    assert naive.iloc[0] == 1.0 and flag.iloc[0] == 0.0
    assert flag.iloc[1] == 0.0 and flag.iloc[2] == 1.0
    assert np.isnan(flag.iloc[3])  # low income, no known high burden, one burden unknown
    assert np.isnan(flag.iloc[4])  # low income unknown
    assert flag.iloc[5] == 0.0  # not low income: unknown burden cannot make it disadvantaged


def test_official_flag_by_lineage_and_area():
    cejst = pd.DataFrame({"geoid": ["18001030100", "18001030200"], "disadvantaged": [1.0, 0.0]})
    wanted = pd.Index(["18001030100", "18001030201", "18001990000"])
    assert official_flag(cejst, wanted).tolist()[:2] == [1.0, 0.0]
    rel = pd.DataFrame(
        {
            "geoid_2020": ["T", "T"],
            "geoid_2010": ["18001030100", "18001030200"],
            "arealand_part_m2": [3.0, 1.0],
        }
    )
    assert official_flag(cejst, pd.Index(["T"]), rel).tolist() == [1.0]  # 3/4 of land


@pytest.mark.skipif(not RAW.is_dir(), reason="raw data folder not present")
def test_ranks_equal_pandas_ranks_on_the_raw_national_tables():
    from siting.sources.tract_tables import read_tract2010, read_tract2020

    raw10 = pd.read_csv(RAW / "tract2010_svi2018_ejscreen2020_cre2019_us.csv.gz", dtype=str)
    raw20 = pd.read_csv(RAW / "tract2020_eji2024_depindex2023_ice_us.csv.gz", dtype=str)
    ranks10 = ranked_2010(
        read_tract2010(BUNDLE / "tract2010_svi2018_ejscreen2020_cre2019_us.csv.gz")
    )
    ranks20 = ranked_2020(read_tract2020(BUNDLE / "tract2020_eji2024_depindex2023_ice_us.csv.gz"))
    raw10.index = raw10["census_tract_id_2010"].str.zfill(11)
    raw20.index = raw20["census_tract_id_2020"].str.zfill(11)
    pm = pd.to_numeric(raw10["ejscreen2020_pm_conc"]).mask(lambda v: v == -999)
    expect = pm.rank(pct=True, method="max")
    pd.testing.assert_series_equal(
        ranks10["pm25_pct_us"], expect.reindex(ranks10.index), check_names=False
    )
    indiana = raw10.index.str.startswith("18")
    cancer = pd.to_numeric(raw10["ejscreen2020_cancer_risk"])[indiana]
    expect = cancer.rank(pct=True, method="max")
    got = ranks10.loc[expect.index, "cancer_risk_pct_state"]
    pd.testing.assert_series_equal(got, expect, check_names=False)
    dep = pd.to_numeric(raw20["dep_index"]).mask(lambda v: v == -999)
    expect = dep.rank(pct=True, method="max")
    pd.testing.assert_series_equal(
        ranks20["dep_index_pct_us"], expect.reindex(ranks20.index), check_names=False
    )
    svi = pd.to_numeric(raw10["svi2018"]).mask(lambda v: v == -999)[indiana]
    expect = svi.rank(pct=True, method="max")
    got = ranks10.loc[expect.index, "svi2018_pct_state"]
    pd.testing.assert_series_equal(got, expect, check_names=False)
    assert len(ranks10) == len(raw10) > 70_000
