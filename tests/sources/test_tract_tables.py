"""The bundle's tract community tables, on fixtures in their published schema."""

from __future__ import annotations

import numpy as np
import pytest

from siting.errors import DataError
from siting.sources.tract_tables import read_tract2010, read_tract2020

#: Header and rows as published (a subset of the columns; Alabama GEOIDs lose their zero).
HEADER_2020 = (
    "census_tract_id_2020,eji2024_high_ozone_days,eji2024_diesel_pm_conc,"
    "dep_index_fraction_poverty,dep_index_median_income,dep_index,ice_acs2023"
)
ROWS_2020 = (
    "1001020100,0.091,0.1692,0.191,62400.0,0.3561258260406241,0.147",
    "18001030100,0.274,0.1529,0.045,71700.0,0.21893534045451507,0.296",
    "18001030200,0.274,0.1881,,-999,-999,0.11",
)
HEADER_2010 = (
    "census_tract_id_2010,svi2018_socioeconomic,svi2018,ejscreen2020_lead_paint,"
    "ejscreen2020_diesel_pm,ejscreen2020_cancer_risk,ejscreen2020_traffic_proximity,"
    "ejscreen2020_major_discharger_water,ejscreen2020_nat_priority_proximity,"
    "ejscreen2020_risk_management_proximity,ejscreen2020_disposal_proximity,"
    "ejscreen2020_ozone_conc,ejscreen2020_pm_conc"
)
ROWS_2010 = (
    "1001020100,0.3913,0.2533,0.19,0.279,49.4,46.8,,0.068,0.079,0.519,36.76,9.69",
    "18001030100,0.2746,-999,0.38,0.246,21.5,35.7,1e-05,0.04,0.275,0.692,44.62,8.61",
)


def write(tmp_path, name, header, rows):
    path = tmp_path / name
    path.write_text("\n".join((header, *rows)) + "\n", encoding="utf-8")
    return path


def test_2020_table_restores_leading_zero_and_reads_missing_as_nan(tmp_path):
    out = read_tract2020(write(tmp_path, "t20.csv", HEADER_2020, ROWS_2020))
    assert out["geoid"].tolist() == ["01001020100", "18001030100", "18001030200"]
    assert out["median_income_usd"].tolist()[:2] == [62400.0, 71700.0]
    assert np.isnan(out.loc[2, "median_income_usd"]) and np.isnan(out.loc[2, "poverty_frac"])
    assert np.isnan(out.loc[2, "dep_index"])
    assert out.loc[1, "poverty_frac"] == 0.045


def test_2010_table_maps_ejscreen_units_and_svi(tmp_path):
    out = read_tract2010(write(tmp_path, "t10.csv", HEADER_2010, ROWS_2010))
    assert out["geoid"].tolist() == ["01001020100", "18001030100"]
    assert out.loc[0, "pm25_ugm3"] == 9.69 and out.loc[0, "ozone_ppb"] == 36.76
    assert out.loc[0, "diesel_pm_ugm3"] == 0.279 and out.loc[0, "cancer_risk_per_million"] == 49.4
    assert out.loc[0, "traffic_proximity"] == 46.8 and out.loc[0, "svi2018_pct_us"] == 0.2533
    assert np.isnan(out.loc[1, "svi2018_pct_us"])  # -999
    assert np.isnan(out.loc[0, "wastewater_discharge"])  # blank


def test_missing_column_names_file_and_fix(tmp_path):
    path = write(tmp_path, "t.csv", HEADER_2020.replace("dep_index,", "x,"), ROWS_2020)
    with pytest.raises(DataError, match=r"t\.csv: column\(s\) \['dep_index'\] missing.*Is this"):
        read_tract2020(path)


def test_share_outside_unit_interval_is_an_error(tmp_path):
    rows = (ROWS_2020[0].replace(",0.191,", ",19.1,"),)
    with pytest.raises(DataError, match=r"dep_index_fraction_poverty.*in \[0, 1\]"):
        read_tract2020(write(tmp_path, "t.csv", HEADER_2020, rows))


def test_repeated_geoid_and_svi_out_of_range_are_errors(tmp_path):
    with pytest.raises(DataError, match="repeats"):
        read_tract2010(write(tmp_path, "a.csv", HEADER_2010, (ROWS_2010[1], ROWS_2010[1])))
    bad = (ROWS_2010[0].replace(",0.2533,", ",25.33,"),)
    with pytest.raises(DataError, match="percentile ranks"):
        read_tract2010(write(tmp_path, "b.csv", HEADER_2010, bad))


def test_text_in_a_number_column_is_an_error(tmp_path):
    bad = (ROWS_2010[0].replace(",9.69", ",high"),)
    with pytest.raises(DataError, match=r"ejscreen2020_pm_conc.*non-numeric"):
        read_tract2010(write(tmp_path, "c.csv", HEADER_2010, bad))
