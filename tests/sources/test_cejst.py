"""CEJST 1.0 communities list on fixtures in its published CSV schema."""

from __future__ import annotations

import numpy as np
import pytest

from siting.errors import DataError
from siting.sources.cejst import read_cejst

LOW = "Adjusted percent of individuals below 200% Federal Poverty Line (percentile)"
HEADER = (
    f"Census tract 2010 ID,County Name,State/Territory,Percent Black or African American alone,"
    f'Identified as disadvantaged,Total population,"{LOW}",Is low income?'
)
ROWS = (
    "1001020100,Autauga County,Alabama,0.07,False,1809,42,False",
    "18097351700,Marion County,Indiana,0.61,True,2514,93,True",
    "18097351800,Marion County,Indiana,0.5,,0,,",
)


def write(tmp_path, rows=ROWS, header=HEADER):
    path = tmp_path / "1.0-communities.csv"
    path.write_text("\ufeff" + "\n".join((header, *rows)) + "\n", encoding="utf-8")
    return path


def test_reads_flag_population_and_percent_percentile_as_fraction(tmp_path):
    out = read_cejst(write(tmp_path))
    assert out["geoid"].tolist() == ["01001020100", "18097351700", "18097351800"]
    assert out["disadvantaged"].tolist()[:2] == [0.0, 1.0] and np.isnan(out.loc[2, "disadvantaged"])
    assert out["low_income_pct"].tolist()[:2] == [0.42, 0.93]
    assert out.loc[1, "population"] == 2514.0 and out.loc[1, "state_name"] == "Indiana"


def test_fraction_percentiles_kept(tmp_path):
    rows = [r.replace(",42,", ",0.42,").replace(",93,", ",0.93,") for r in ROWS]
    assert read_cejst(write(tmp_path, rows))["low_income_pct"].tolist()[:2] == [0.42, 0.93]


def test_bad_flag_and_missing_column_are_errors(tmp_path):
    with pytest.raises(DataError, match=r"Identified as disadvantaged.*True or False"):
        read_cejst(write(tmp_path, [ROWS[0].replace("False,1809", "maybe,1809")]))
    with pytest.raises(DataError, match=r"missing.*CEJST 1\.0 communities list"):
        read_cejst(write(tmp_path, ROWS, HEADER.replace("Total population", "Pop")))


def test_percentile_above_100_is_an_error(tmp_path):
    with pytest.raises(DataError, match=r"outside \[0, 100\]"):
        read_cejst(write(tmp_path, [ROWS[0].replace(",42,", ",420,")]))
