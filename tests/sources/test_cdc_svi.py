"""CDC/ATSDR SVI on fixtures in the official SVI_2022_US_county.csv / SVI_2022_US.csv schema."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from siting.errors import DataError, DataFileNotFound
from siting.sources.cdc_svi import SVI_COLUMNS, read_svi


def cells(text: str) -> list[str]:
    """The cells of one CSV line."""
    return next(csv.reader([text]))


#: The published header, in order, keeping the columns the reader needs and a few others
#: (the 2022 county file has 158 columns; SPL_* are the theme sums beside each RPL_*).
HEADER = cells(
    "ST,STATE,ST_ABBR,STCNTY,COUNTY,FIPS,LOCATION,AREA_SQMI,E_TOTPOP,M_TOTPOP,SPL_THEME1,"
    "RPL_THEME1,SPL_THEME2,RPL_THEME2,SPL_THEME3,RPL_THEME3,SPL_THEME4,RPL_THEME4,SPL_THEMES,"
    "RPL_THEMES,F_TOTAL"
)
#: Published 2022 county rows: Autauga AL (FIPS written as the 4-digit number 1001), St. Joseph
#: IN, and Loving TX (a socioeconomic rank of exactly 0).
AUTAUGA = cells(
    '1,Alabama,AL,1001,Autauga County,1001,"Autauga County, Alabama",594.4547864,58761,0,'
    "1.6862,0.2367,2.2715,0.3675,0.6354,0.6354,1.9593,0.2358,6.5524,0.2663,0"
)
ST_JOSEPH = cells(
    '18,Indiana,IN,18141,St. Joseph County,18141,"St. Joseph County, Indiana",457.7807598,'
    "272388,0,2.5596,0.5167,2.5097,0.5358,0.6567,0.6567,2.854,0.6882,8.58,0.6134,0"
)
LOVING = cells(
    '48,Texas,TX,48301,Loving County,48301,"Loving County, Texas",668.8174879,96,76,0.0166,0,'
    "3.6577,0.9866,0.0579,0.0579,3.7668,0.9828,7.499,0.4356,6"
)
#: Hand-made tract rows (2022 tract schema: 11-digit FIPS, the Alabama one written as a number
#: with 10 digits); the second has CDC's -999 where no rank could be computed.
TRACT_AL = cells(
    '1,Alabama,AL,1001,Autauga County,1001020100,"Census Tract 201; Autauga County; Alabama",'
    "3.79,1865,368,1.9,0.4102,2.1,0.3333,0.3,0.3066,1.8,0.2542,6.1,0.3011,0"
)
TRACT_IN = cells(
    '18,Indiana,IN,18141,St. Joseph County,18141011100,"Census Tract 111; St. Joseph County; '
    'Indiana",0.2,0,-999,-999,-999,-999,-999,-999,-999,-999,-999,-999,-999,-999'
)


def write(tmp_path, rows, *, header=HEADER, name="SVI_2022_US_county.csv", bom=True):
    """Write a fixture CSV (rows are lists of cells) with the byte-order mark CDC's files have."""
    path = tmp_path / name
    with path.open("w", newline="", encoding="utf-8-sig" if bom else "utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def edited(row, **cells):
    """A copy of a fixture row with cells replaced by column name."""
    row = list(row)
    for column, value in cells.items():
        row[HEADER.index(column)] = value
    return row


def test_county_rows_are_renamed_with_padded_fips(tmp_path):
    out = read_svi(write(tmp_path, [AUTAUGA, ST_JOSEPH, LOVING]))
    assert list(out.columns) == list(SVI_COLUMNS.values())
    assert out.attrs["level"] == "county"
    assert out["fips"].tolist() == ["01001", "18141", "48301"]
    assert out["state_abbr"].tolist() == ["AL", "IN", "TX"]
    assert out["county"].tolist() == ["Autauga County", "St. Joseph County", "Loving County"]
    autauga = out.iloc[0]
    assert autauga["svi_overall_pct"] == 0.2663
    assert autauga["svi_socioeconomic_pct"] == 0.2367
    assert autauga["svi_household_pct"] == 0.3675
    assert autauga["svi_minority_pct"] == 0.6354
    assert autauga["svi_housing_transport_pct"] == 0.2358
    assert autauga["population"] == 58761


def test_rank_of_zero_is_kept_as_zero(tmp_path):
    out = read_svi(write(tmp_path, [LOVING]))
    assert out.loc[0, "svi_socioeconomic_pct"] == 0.0


def test_file_without_byte_order_mark_reads_the_same(tmp_path):
    with_bom = read_svi(write(tmp_path, [AUTAUGA, ST_JOSEPH]))
    without = read_svi(write(tmp_path, [AUTAUGA, ST_JOSEPH], name="plain.csv", bom=False))
    assert with_bom.equals(without)


def test_tract_file_gives_11_digit_fips_and_tract_level(tmp_path):
    out = read_svi(write(tmp_path, [TRACT_AL, TRACT_IN], name="SVI_2022_US.csv"))
    assert out.attrs["level"] == "tract"
    assert out["fips"].tolist() == ["01001020100", "18141011100"]
    assert out.loc[0, "svi_overall_pct"] == 0.3011


def test_minus_999_is_unknown_not_zero(tmp_path):
    out = read_svi(write(tmp_path, [TRACT_AL, TRACT_IN], name="SVI_2022_US.csv"))
    row = out.iloc[1]
    for column in [c for c in out.columns if c.endswith("_pct")]:
        assert np.isnan(row[column]), column
    assert row["population"] == 0


def test_minus_999_population_is_unknown(tmp_path):
    out = read_svi(write(tmp_path, [edited(AUTAUGA, E_TOTPOP="-999")]))
    assert np.isnan(out.loc[0, "population"])


def test_blank_rank_is_unknown(tmp_path):
    out = read_svi(write(tmp_path, [edited(AUTAUGA, RPL_THEME4="")]))
    assert np.isnan(out.loc[0, "svi_housing_transport_pct"])


def test_rank_outside_0_1_is_an_error(tmp_path):
    path = write(tmp_path, [AUTAUGA, edited(ST_JOSEPH, RPL_THEMES="61.34")])
    with pytest.raises(DataError, match=r"'RPL_THEMES' holds \[61.34\]; expected percentile"):
        read_svi(path)


def test_other_negative_code_is_an_error(tmp_path):
    path = write(tmp_path, [edited(AUTAUGA, RPL_THEME2="-99")])
    with pytest.raises(DataError, match=r"'RPL_THEME2' holds \[-99.0\]"):
        read_svi(path)


def test_non_numeric_text_is_an_error(tmp_path):
    path = write(tmp_path, [edited(AUTAUGA, RPL_THEME1="high")])
    with pytest.raises(DataError, match=r"'RPL_THEME1' holds non-numeric values \['high'\]"):
        read_svi(path)


def test_mixed_county_and_tract_codes_is_an_error(tmp_path):
    path = write(tmp_path, [AUTAUGA, TRACT_IN])
    with pytest.raises(DataError, match=r"'FIPS' holds codes of \[4, 11\] digits.*not a mix"):
        read_svi(path)


def test_malformed_fips_is_an_error(tmp_path):
    path = write(tmp_path, [edited(ST_JOSEPH, FIPS="18I41")])
    with pytest.raises(DataError, match=r"'FIPS' holds values that are not 5-digit"):
        read_svi(path)


def test_duplicate_fips_is_an_error(tmp_path):
    path = write(tmp_path, [AUTAUGA, ST_JOSEPH, edited(ST_JOSEPH, COUNTY="St. Joe")])
    with pytest.raises(DataError, match=r"'FIPS' repeats \['18141'\]"):
        read_svi(path)


def test_missing_column_is_an_error(tmp_path):
    keep = [i for i, c in enumerate(HEADER) if c != "RPL_THEMES"]
    path = write(tmp_path, [[AUTAUGA[i] for i in keep]], header=[HEADER[i] for i in keep])
    with pytest.raises(DataError, match=r"\['RPL_THEMES'\] missing.*CDC/ATSDR SVI file"):
        read_svi(path)


def test_header_without_rows_is_an_error(tmp_path):
    with pytest.raises(DataError, match="no rows below the header"):
        read_svi(write(tmp_path, []))


def test_empty_file_is_an_error(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("")
    with pytest.raises(DataError, match="cannot parse as CSV"):
        read_svi(path)


def test_wrong_file_is_an_error(tmp_path):
    path = tmp_path / "usco2015v2.0.csv"
    path.write_text("STATE,FIPS,COUNTY,TO-WFrTo\nIN,18097,Marion County,263.83\n")
    with pytest.raises(DataError, match=r"\['ST_ABBR', 'RPL_THEMES'.*SVI file"):
        read_svi(path)


def test_missing_file_is_an_error(tmp_path):
    with pytest.raises(DataFileNotFound, match="file not found"):
        read_svi(tmp_path / "nope.csv")
