"""The CPI-U annual table (series_id, year, cpi_u_annual_avg)."""

from __future__ import annotations

import pytest

from siting.errors import DataError, DataFileNotFound
from siting.sources.bls_cpi import read_cpi_u_annual

HEADER = "series_id,year,cpi_u_annual_avg\n"
#: BLS annual averages of CUUR0000SA0, out of year order.
ROWS = "CUUR0000SA0,2024,313.689\nCUUR0000SA0,2019,255.657\nCUUR0000SA0,2020,258.811\n"


def write(tmp_path, text):
    path = tmp_path / "bls_cpi_u_annual.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_rows_are_sorted_by_year_with_the_series_named(tmp_path):
    out = read_cpi_u_annual(write(tmp_path, HEADER + ROWS))
    assert out["year"].tolist() == [2019, 2020, 2024]
    assert out["cpi_u_annual_avg"].tolist() == [255.657, 258.811, 313.689]
    assert out.attrs["series_id"] == "CUUR0000SA0"
    assert (out["series_id"] == "CUUR0000SA0").all()


def test_several_series_are_an_error(tmp_path):
    text = HEADER + ROWS + "CUUR0200SA0,2021,260.0\n"
    with pytest.raises(DataError, match=r"must name one series.*\['CUUR0000SA0', 'CUUR0200SA0'\]"):
        read_cpi_u_annual(write(tmp_path, text))


def test_a_series_that_is_not_cpi_u_is_an_error(tmp_path):
    text = HEADER + "CWUR0000SA0,2019,249.2\n"
    with pytest.raises(DataError, match=r"'CWUR0000SA0' is not a CPI-U series"):
        read_cpi_u_annual(write(tmp_path, text))


def test_a_repeated_year_is_an_error(tmp_path):
    text = HEADER + ROWS + "CUUR0000SA0,2019,255.7\n"
    with pytest.raises(DataError, match=r"year\(s\) \[2019\] appear more than once"):
        read_cpi_u_annual(write(tmp_path, text))


def test_a_fractional_year_is_an_error(tmp_path):
    with pytest.raises(DataError, match="must hold whole years"):
        read_cpi_u_annual(write(tmp_path, HEADER + "CUUR0000SA0,2019.5,255.657\n"))


def test_a_blank_index_is_an_error(tmp_path):
    with pytest.raises(DataError, match=r"blank or non-positive cpi_u_annual_avg.*\[2020\]"):
        read_cpi_u_annual(write(tmp_path, HEADER + "CUUR0000SA0,2020,\n"))


def test_a_zero_index_is_an_error(tmp_path):
    with pytest.raises(DataError, match=r"non-positive cpi_u_annual_avg for year\(s\) \[2020\]"):
        read_cpi_u_annual(write(tmp_path, HEADER + "CUUR0000SA0,2020,0\n"))


def test_a_missing_column_is_an_error(tmp_path):
    with pytest.raises(DataError, match=r"\['cpi_u_annual_avg'\] missing.*CPI-U annual table"):
        read_cpi_u_annual(write(tmp_path, "series_id,year,value\nCUUR0000SA0,2019,255.657\n"))


def test_a_header_without_rows_is_an_error(tmp_path):
    with pytest.raises(DataError, match="no rows below the header"):
        read_cpi_u_annual(write(tmp_path, HEADER))


def test_a_missing_file_is_reported(tmp_path):
    with pytest.raises(DataFileNotFound, match="not found"):
        read_cpi_u_annual(tmp_path / "nope.csv")
