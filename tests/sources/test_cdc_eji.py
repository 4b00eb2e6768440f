"""CDC/ATSDR EJI 2024 on hand-made rows in the EJI_2024_United_States.csv column names.

The column names are those of the 2024 release (``GEOID_2020``, ``STATEABBR``, ``E_TOTPOP``,
``RPL_*``); the values are made up, and only a few of the file's columns are kept.
"""

from __future__ import annotations

import csv

import numpy as np
import pytest

from siting.errors import DataError, DataFileNotFound
from siting.sources.cdc_eji import EJI_COLUMNS, read_eji


def cells(text: str) -> list[str]:
    """The cells of one line of comma-separated text (no quoted commas)."""
    return text.split(",")


#: A few columns of EJI_2024_United_States.csv, named as published (their order here is not
#: checked against the published file).
HEADER = cells(
    "GEOID_2020,COUNTY,StateDesc,STATEABBR,E_TOTPOP,RPL_EBM,RPL_SVM,RPL_HVM,RPL_EJI,RPL_SER,"
    "RPL_CBM,RPL_EJI_CBM"
)
#: An Alabama tract with its GEOID written as a number (10 digits), an Indiana tract, and an
#: unpopulated tract with CDC's -999 everywhere.
AUTAUGA = "1001020100,Autauga,Alabama,AL,1865,0.4412,0.3917,0.4,0.3982,0.4211,0.5123,0.4407"
ST_JOSEPH = "18141000100,St. Joseph,Indiana,IN,2191,0.8813,0.9254,0.8,0.9301,0.9346,0.6712,0.8999"
EMPTY_TRACT = "18089990000,Lake,Indiana,IN,0,-999,-999,-999,-999,-999,-999,-999"


def write(tmp_path, rows, *, header=HEADER, name="EJI_2024_United_States.csv"):
    """Write a fixture CSV (rows as CSV text lines)."""
    path = tmp_path / name
    path.write_text("\n".join([",".join(header), *rows]) + "\n", encoding="utf-8")
    return path


def edited(row: str, **cells) -> str:
    """A copy of a fixture row with cells replaced by column name."""
    values = next(csv.reader([row]))
    for column, value in cells.items():
        values[HEADER.index(column)] = value
    return ",".join(values)


def dropped(rows, column, header=HEADER):
    """The header and rows without ``column``."""
    i = header.index(column)
    rows = [",".join(v for j, v in enumerate(r.split(",")) if j != i) for r in rows]
    return [c for c in header if c != column], rows


def test_rows_are_renamed_with_padded_geoid(tmp_path):
    out = read_eji(write(tmp_path, [AUTAUGA, ST_JOSEPH]))
    assert list(out.columns) == list(EJI_COLUMNS.values())
    assert out["geoid"].tolist() == ["01001020100", "18141000100"]
    assert out["state_abbr"].tolist() == ["AL", "IN"]
    row = out.iloc[1]
    assert row["population"] == 2191
    assert row["eji_pct"] == 0.9301
    assert row["eji_environmental_burden_pct"] == 0.8813
    assert row["eji_social_vulnerability_pct"] == 0.9254
    assert row["eji_health_vulnerability_pct"] == 0.8
    assert row["eji_climate_burden_pct"] == 0.6712
    assert row["eji_with_climate_burden_pct"] == 0.8999


def test_minus_999_is_unknown_not_zero(tmp_path):
    out = read_eji(write(tmp_path, [ST_JOSEPH, EMPTY_TRACT]))
    empty = out.iloc[1]
    for column in [c for c in out.columns if c.endswith("_pct")]:
        assert np.isnan(empty[column]), column
    assert empty["population"] == 0


def test_file_without_climate_module_gives_unknown_climate(tmp_path):
    header, rows = dropped([AUTAUGA], "RPL_CBM")
    header, rows = dropped(rows, "RPL_EJI_CBM", header)
    out = read_eji(write(tmp_path, rows, header=header))
    assert np.isnan(out.loc[0, "eji_climate_burden_pct"])
    assert np.isnan(out.loc[0, "eji_with_climate_burden_pct"])
    assert out.loc[0, "eji_pct"] == 0.3982


def test_state_abbreviation_spelled_stateabbr_is_read(tmp_path):
    header = ["StateAbbr" if c == "STATEABBR" else c for c in HEADER]
    out = read_eji(write(tmp_path, [AUTAUGA], header=header))
    assert out.loc[0, "state_abbr"] == "AL"


def test_2022_edition_is_refused(tmp_path):
    header = ["GEOID" if c == "GEOID_2020" else c for c in HEADER]
    with pytest.raises(DataError, match=r"EJI 2022 edition \(2010 tracts\)"):
        read_eji(write(tmp_path, [AUTAUGA], header=header))


def test_rank_outside_0_1_is_an_error(tmp_path):
    path = write(tmp_path, [edited(ST_JOSEPH, RPL_EJI="93.01")])
    with pytest.raises(DataError, match=r"'RPL_EJI' holds \[93.01\]; expected percentile"):
        read_eji(path)


def test_non_numeric_text_is_an_error(tmp_path):
    path = write(tmp_path, [edited(ST_JOSEPH, RPL_SVM="high")])
    with pytest.raises(DataError, match=r"'RPL_SVM' holds non-numeric values \['high'\]"):
        read_eji(path)


def test_duplicate_geoid_is_an_error(tmp_path):
    path = write(tmp_path, [AUTAUGA, ST_JOSEPH, edited(ST_JOSEPH, COUNTY="St. Joe")])
    with pytest.raises(DataError, match=r"'GEOID_2020' repeats \['18141000100'\]"):
        read_eji(path)


def test_overlong_geoid_is_an_error(tmp_path):
    path = write(tmp_path, [edited(ST_JOSEPH, GEOID_2020="18141000100000")])
    with pytest.raises(DataError, match=r"'GEOID_2020' holds values that are not 11-digit"):
        read_eji(path)


def test_missing_column_is_an_error(tmp_path):
    header, rows = dropped([AUTAUGA], "RPL_HVM")
    with pytest.raises(DataError, match=r"\['RPL_HVM'\] missing.*EJI 2024 file"):
        read_eji(write(tmp_path, rows, header=header))


def test_header_without_rows_is_an_error(tmp_path):
    with pytest.raises(DataError, match="no tracts below the header"):
        read_eji(write(tmp_path, []))


def test_empty_file_is_an_error(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("")
    with pytest.raises(DataError, match="cannot parse as CSV"):
        read_eji(path)


def test_missing_file_is_an_error(tmp_path):
    with pytest.raises(DataFileNotFound, match="file not found"):
        read_eji(tmp_path / "nope.csv")


def test_wrong_file_is_an_error(tmp_path):
    path = tmp_path / "tract2020_eji2024_depindex2023_ice_indiana.csv"
    path.write_text("census_tract_id_2020,eji2024_high_ozone_days\n18001030100,0.274\n")
    with pytest.raises(DataError, match=r"\['GEOID_2020', 'STATEABBR'.*EJI 2024 file"):
        read_eji(path)
