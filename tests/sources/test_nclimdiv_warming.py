"""Washington Post county warming (NOAA nClimDiv) on rows of the published model_county.csv."""

from __future__ import annotations

import numpy as np
import pytest

from siting.errors import DataError, DataFileNotFound
from siting.sources.nclimdiv_warming import WARMING_COLUMNS, read_county_warming

HEADER = "fips,Fall,Spring,Summer,Winter,max_warming_season,Annual,CTYNAME,STNAME"
GENEVA = (
    "01061,-0.010285714285710044,-0.1325714285714289,-1.4109347443144374e-4,0.29602821869489,"
    "Winter,0.046328042328046985,Geneva County,Alabama"
)
MARION = (
    "18097,0.2423985890652458,0.8014109347442814,-0.2395767195767198,0.9119012345679012,"
    "Winter,0.4331358024691375,Marion County,Indiana"
)
DONA_ANA = (
    "35013,1.1563315696649095,1.3779894179894179,1.2367407407407272,1.2802821869488523,"
    "Spring,1.2769700176366878,Doña Ana County,New Mexico"
)


def write(tmp_path, rows=(GENEVA, MARION, DONA_ANA), *, header=HEADER, encoding="latin-1"):
    path = tmp_path / "model_county.csv"
    path.write_bytes(("\n".join([header, *rows]) + "\n").encode(encoding))
    return path


def test_columns_renamed_and_values_in_degc(tmp_path):
    out = read_county_warming(write(tmp_path))
    assert list(out.columns) == list(WARMING_COLUMNS.values())
    marion = out.iloc[1]
    assert (marion["fips"], marion["county"], marion["state_name"]) == (
        "18097",
        "Marion County",
        "Indiana",
    )
    assert marion["warming_winter_degc"] == 0.9119012345679012
    assert marion["warming_spring_degc"] == 0.8014109347442814
    assert marion["warming_summer_degc"] == -0.2395767195767198
    assert marion["warming_fall_degc"] == 0.2423985890652458
    assert marion["warming_annual_degc"] == 0.4331358024691375
    assert marion["max_warming_season"] == "Winter"


def test_exponent_notation_is_read(tmp_path):
    geneva = read_county_warming(write(tmp_path)).iloc[0]
    assert geneva["warming_summer_degc"] == pytest.approx(-1.4109347443144374e-4)


@pytest.mark.parametrize("encoding", ["latin-1", "utf-8"])
def test_latin1_as_published_and_utf8_copy_read_alike(tmp_path, encoding):
    out = read_county_warming(write(tmp_path, encoding=encoding))
    assert out.loc[2, "county"] == "Doña Ana County"
    assert out.loc[2, "max_warming_season"] == "Spring"


def test_fips_written_as_number_is_padded(tmp_path):
    out = read_county_warming(write(tmp_path, [GENEVA.replace("01061", "1061", 1)]))
    assert out["fips"].tolist() == ["01061"]


def test_missing_value_is_unknown(tmp_path):
    row = MARION.replace(",0.4331358024691375,", ",NA,")
    assert np.isnan(read_county_warming(write(tmp_path, [row])).loc[0, "warming_annual_degc"])


def test_missing_column_is_an_error(tmp_path):
    header = HEADER.replace("Annual", "Year")
    with pytest.raises(DataError, match=r"\['Annual'\] missing.*Washington Post"):
        read_county_warming(write(tmp_path, header=header))


def test_non_numeric_text_is_an_error(tmp_path):
    row = MARION.replace(",0.9119012345679012,", ",warm,")
    with pytest.raises(DataError, match=r"'Winter' holds non-numeric values \['warm'\]"):
        read_county_warming(write(tmp_path, [row]))


def test_duplicate_fips_is_an_error(tmp_path):
    with pytest.raises(DataError, match=r"'fips' repeats \['18097'\]"):
        read_county_warming(write(tmp_path, [MARION, MARION]))


def test_unknown_season_is_an_error(tmp_path):
    row = MARION.replace(",Winter,", ",Autumn,")
    with pytest.raises(DataError, match=r"'max_warming_season' holds \['Autumn'\]"):
        read_county_warming(write(tmp_path, [row]))


def test_header_without_rows_is_an_error(tmp_path):
    with pytest.raises(DataError, match="no counties"):
        read_county_warming(write(tmp_path, []))


def test_empty_file_is_an_error(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("")
    with pytest.raises(DataError, match="cannot parse as CSV"):
        read_county_warming(path)


def test_wrong_file_is_an_error(tmp_path):
    path = tmp_path / "water.csv"
    path.write_text("STATE,COUNTY,FIPS,TO-WFrTo\nIN,Marion County,18097,263.83\n")
    with pytest.raises(DataError, match=r"\['fips', 'CTYNAME'.*Washington Post"):
        read_county_warming(path)


def test_missing_file_is_an_error(tmp_path):
    with pytest.raises(DataFileNotFound, match="file not found"):
        read_county_warming(tmp_path / "nope.csv")
