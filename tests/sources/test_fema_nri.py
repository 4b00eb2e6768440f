"""FEMA National Risk Index county table on fixtures in the official NRI_Table_Counties.csv
schema (composite columns of the published table, in its order)."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from siting.errors import DataError, DataFileNotFound
from siting.sources.fema_nri import NRI_COLUMNS, read_nri_counties


def cells(text: str) -> list[str]:
    """The cells of one line of comma-separated text (no quoted commas)."""
    return text.split(",")


HEADER = cells(
    "OID_,NRI_ID,STATE,STATEABBRV,STATEFIPS,COUNTY,COUNTYTYPE,COUNTYFIPS,STCOFIPS,POPULATION,"
    "BUILDVALUE,AGRIVALUE,AREA,RISK_SCORE,RISK_RATNG,RISK_NPCTL,RISK_SPCTL,EAL_SCORE,EAL_RATNG,"
    "EAL_NPCTL,EAL_SPCTL,EAL_VALT,EAL_VALB,EAL_VALP,EAL_VALPE,EAL_VALA,SOVI_SCORE,SOVI_RATNG,"
    "SOVI_NPCTL,SOVI_SPCTL,SOVI_VALUE,RESL_SCORE,RESL_RATNG,RESL_NPCTL,RESL_SPCTL,RESL_VALUE"
)
#: Published rows: Autauga AL (STCOFIPS written as the 4-digit number 1001), St. Joseph IN,
#: Marion IN (building value in exponent notation, as published).
AUTAUGA = cells(
    "1068,C01001,Alabama,AL,1,Autauga,County,1,1001,54571,5075584000,21460000,594.4483122,"
    "5.748777401,Very Low,16.359007,5.970149254,10.68772733,Relatively Low,42.26607257,"
    "34.32835821,2656700.42,1090172.453,0.19251012,1463076.913,103451.0541,25.85731179,"
    "Relatively Low,10.8529599,10.44776119,-3.17,55.5298,Relatively High,61.83959262,"
    "91.04477612,2.77649"
)
ST_JOSEPH = cells(
    "1835,C18141,Indiana,IN,18,St. Joseph,County,141,18141,266931,32433167000,103949000,"
    "457.8831224,10.42990498,Relatively Low,61.2667091,78.26086957,12.67682759,Relatively Low,"
    "58.62507957,57.60869565,4136601.065,1392250.868,0.336654619,2558575.106,185775.0905,"
    "39.21955065,Relatively Moderate,54.16931891,79.34782609,0.22,55.079798,Relatively Moderate,"
    "55.56970083,31.52173913,2.7539899"
)
MARION = cells(
    "1813,C18097,Indiana,IN,18,Marion,County,97,18097,903393,1.14187E+11,12066000,396.3202041,"
    "22.21710936,Relatively Moderate,94.93952896,100,25.13851619,Relatively Moderate,"
    "93.47549332,98.91304348,26604989.87,12542231.79,1.842622459,14003930.68,58827.39242,"
    "42.25463145,Relatively Moderate,66.45448759,91.30434783,0.99,55.254598,Relatively Moderate,"
    "57.79758116,35.86956522,2.7627299"
)
#: Hazard columns in the published per-hazard order (value, score, rating); hand-made values.
HAZARD_HEADER = ["HWAV_RISKV", "HWAV_RISKS", "HWAV_RISKR", "RFLD_RISKV", "RFLD_RISKS", "RFLD_RISKR"]
HAZARD_CELLS = {
    "1001": ["12000.5", "61.2", "Relatively Moderate", "", "", "Not Applicable"],
    "18141": ["98000.1", "87.5", "Relatively High", "41000.7", "70.25", "Relatively Moderate"],
}


def write(tmp_path, rows, *, header=HEADER, name="NRI_Table_Counties.csv"):
    """Write a fixture CSV (rows are lists of cells) with a byte-order mark, as FEMA does."""
    path = tmp_path / name
    with path.open("w", newline="", encoding="utf-8-sig") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def edited(row, **cells):
    """A copy of a published row with cells replaced by column name."""
    row = list(row)
    for column, value in cells.items():
        row[HEADER.index(column)] = value
    return row


def without(rows, column):
    """Header and rows without ``column``."""
    i = HEADER.index(column)
    return [c for c in HEADER if c != column], [
        [v for j, v in enumerate(r) if j != i] for r in rows
    ]


def test_published_rows_are_renamed_with_padded_fips(tmp_path):
    out = read_nri_counties(write(tmp_path, [AUTAUGA, ST_JOSEPH, MARION]))
    assert list(out.columns) == list(NRI_COLUMNS.values())
    assert out["fips"].tolist() == ["01001", "18141", "18097"]
    assert out["state_abbr"].tolist() == ["AL", "IN", "IN"]
    assert out["county"].tolist() == ["Autauga", "St. Joseph", "Marion"]
    marion = out.iloc[2]
    assert marion["population"] == 903393
    assert marion["nri_risk_score"] == 22.21710936
    assert marion["nri_risk_rating"] == "Relatively Moderate"
    assert marion["nri_expected_annual_loss_usd"] == 26604989.87
    assert marion["nri_social_vulnerability_score"] == 42.25463145
    assert marion["nri_community_resilience_score"] == 55.254598


def test_percentiles_become_fractions_and_scores_stay_0_100(tmp_path):
    out = read_nri_counties(write(tmp_path, [AUTAUGA, MARION]))
    assert out.loc[0, "nri_risk_national_pct"] == pytest.approx(0.16359007)
    assert out.loc[0, "nri_risk_state_pct"] == pytest.approx(0.05970149254)
    assert out.loc[1, "nri_risk_state_pct"] == 1.0
    assert out.loc[0, "nri_risk_score"] == 5.748777401


def test_table_without_hazard_columns_gives_unknown_hazard_scores(tmp_path):
    out = read_nri_counties(write(tmp_path, [ST_JOSEPH]))
    hazards = [c for c in out.columns if c.endswith("_risk_score") and c != "nri_risk_score"]
    assert len(hazards) == 19
    assert out.loc[0, hazards].isna().all()


def test_hazard_scores_are_read_where_present(tmp_path):
    rows = [[*row, *HAZARD_CELLS[row[8]]] for row in (AUTAUGA, ST_JOSEPH)]
    out = read_nri_counties(write(tmp_path, rows, header=HEADER + HAZARD_HEADER))
    assert out["nri_heat_wave_risk_score"].tolist() == [61.2, 87.5]
    assert np.isnan(out.loc[0, "nri_riverine_flood_risk_score"])
    assert out.loc[1, "nri_riverine_flood_risk_score"] == 70.25
    assert out["nri_tornado_risk_score"].isna().all()


def test_version_without_national_percentile_gives_unknown_national(tmp_path):
    header, rows = without([ST_JOSEPH], "RISK_NPCTL")
    out = read_nri_counties(write(tmp_path, rows, header=header))
    assert np.isnan(out.loc[0, "nri_risk_national_pct"])
    assert out.loc[0, "nri_risk_state_pct"] == pytest.approx(0.7826086957)


@pytest.mark.parametrize("word", ["Insufficient Data", "No Rating", "Not Applicable", ""])
def test_unrated_is_unknown(tmp_path, word):
    out = read_nri_counties(write(tmp_path, [edited(ST_JOSEPH, RISK_RATNG=word)]))
    assert out["nri_risk_rating"].isna().all()
    assert out.loc[0, "nri_risk_score"] == 10.42990498


def test_blank_score_is_unknown_not_zero(tmp_path):
    out = read_nri_counties(write(tmp_path, [edited(ST_JOSEPH, RISK_SCORE="", SOVI_SCORE="")]))
    assert np.isnan(out.loc[0, "nri_risk_score"])
    assert np.isnan(out.loc[0, "nri_social_vulnerability_score"])


def test_unknown_rating_is_an_error(tmp_path):
    path = write(tmp_path, [edited(ST_JOSEPH, RISK_RATNG="Medium")])
    with pytest.raises(DataError, match=r"'RISK_RATNG' holds ratings \['Medium'\]"):
        read_nri_counties(path)


def test_score_above_100_is_an_error(tmp_path):
    path = write(tmp_path, [edited(MARION, RISK_SPCTL="100.5")])
    with pytest.raises(DataError, match=r"'RISK_SPCTL' holds \[100.5\]; expected NRI values"):
        read_nri_counties(path)


def test_negative_loss_is_an_error(tmp_path):
    path = write(tmp_path, [edited(MARION, EAL_VALT="-1")])
    with pytest.raises(DataError, match=r"'EAL_VALT' holds negative values \[-1.0\]"):
        read_nri_counties(path)


def test_non_numeric_text_is_an_error(tmp_path):
    path = write(tmp_path, [edited(MARION, RESL_SCORE="n.a.")])
    with pytest.raises(DataError, match=r"'RESL_SCORE' holds non-numeric values \['n.a.'\]"):
        read_nri_counties(path)


def test_duplicate_fips_is_an_error(tmp_path):
    path = write(tmp_path, [AUTAUGA, MARION, edited(MARION, COUNTY="Indianapolis")])
    with pytest.raises(DataError, match=r"'STCOFIPS' repeats \['18097'\]"):
        read_nri_counties(path)


def test_tract_table_is_refused(tmp_path):
    header = [*HEADER, "TRACTFIPS"]
    path = write(tmp_path, [[*MARION, "18097310101"]], header=header)
    with pytest.raises(DataError, match="NRI census-tract table"):
        read_nri_counties(path)


def test_missing_column_is_an_error(tmp_path):
    header, rows = without([MARION], "RISK_SCORE")
    with pytest.raises(DataError, match=r"\['RISK_SCORE'\] missing.*NRI_Table_Counties"):
        read_nri_counties(write(tmp_path, rows, header=header))


def test_header_without_rows_is_an_error(tmp_path):
    with pytest.raises(DataError, match="no counties below the header"):
        read_nri_counties(write(tmp_path, []))


def test_empty_file_is_an_error(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("")
    with pytest.raises(DataError, match="cannot parse as CSV"):
        read_nri_counties(path)


def test_missing_file_is_an_error(tmp_path):
    with pytest.raises(DataFileNotFound, match="file not found"):
        read_nri_counties(tmp_path / "nope.csv")


def test_expected_annual_loss_score_and_percentiles_are_read(tmp_path):
    """St. Joseph IN as published: EAL_SCORE 12.68, EAL_NPCTL 58.63, EAL_SPCTL 57.61 (0–100)."""
    out = read_nri_counties(write(tmp_path, [ST_JOSEPH]))
    row = out.iloc[0]
    assert row["nri_eal_score"] == pytest.approx(12.67682759)
    assert row["nri_eal_national_pct"] == pytest.approx(0.5862507957)
    assert row["nri_eal_state_pct"] == pytest.approx(0.5760869565)


def test_table_without_eal_percentiles_gives_unknown_not_zero(tmp_path):
    header, rows = without([ST_JOSEPH], "EAL_NPCTL")
    out = read_nri_counties(write(tmp_path, rows, header=header))
    assert np.isnan(out.iloc[0]["nri_eal_national_pct"])
    assert out.iloc[0]["nri_eal_state_pct"] == pytest.approx(0.5760869565)
