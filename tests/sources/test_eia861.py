"""CommonGrid's EIA-861 utilities table, on fixtures in its published schema."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from siting.errors import DataError, DataFileNotFound
from siting.sources.eia861 import read_utilities

#: CommonGrid's columns, in its order.
COLUMNS = [
    "eiaId",
    "name",
    "segment",
    "status",
    "customerCount",
    "peakDemandMw",
    "totalRevenueDollars",
    "totalSalesMwh",
    "baCode",
    "nercRegion",
    "jurisdiction",
    "isoId",
    "rtoId",
    "serviceTerritoryId",
    "hasGeneration",
    "hasTransmission",
    "hasDistribution",
    "avg_price_cents_per_kwh",
]

#: Rows as published: a holding company without an id or data, an investor-owned utility, a
#: town with no peak (written as CommonGrid writes floats).
ROWS = [
    {
        "name": "Duke Energy",
        "segment": "INVESTOR_OWNED_UTILITY",
        "status": "ACTIVE",
        "customerCount": "7183801.0",
        "jurisdiction": "FL, IN, KY, NC, OH, SC",
    },
    {
        "eiaId": "15470",
        "name": "Duke Energy Indiana",
        "segment": "INVESTOR_OWNED_UTILITY",
        "status": "ACTIVE",
        "customerCount": "852004.0",
        "peakDemandMw": "5840.0",
        "totalRevenueDollars": "2692092000.0",
        "totalSalesMwh": "26440606.0",
        "baCode": "MISO",
        "nercRegion": "RFC",
        "jurisdiction": "IN",
        "hasGeneration": "True",
        "avg_price_cents_per_kwh": "10.181657712383748",
    },
    {
        "eiaId": "4486",
        "name": "Town of Crane",
        "segment": "MUNICIPAL_UTILITY",
        "status": "ACTIVE",
        "customerCount": "99.0",
        "totalRevenueDollars": "123000.0",
        "totalSalesMwh": "820.0",
        "baCode": "MISO",
        "jurisdiction": "IN",
        "avg_price_cents_per_kwh": "15.0",
    },
]


def write(tmp_path, rows, columns=COLUMNS):
    path = tmp_path / "commongrid_utilities_eia861_2024.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([row.get(c, "") for c in columns])
    return path


def edited(index, **changes):
    rows = [dict(r) for r in ROWS]
    rows[index] |= changes
    return rows


def test_columns_are_renamed_with_units_and_text_ids(tmp_path):
    out = read_utilities(write(tmp_path, ROWS), year="2024")
    assert list(out.columns) == [
        "eia_id",
        "utility",
        "segment",
        "status",
        "state_jurisdiction",
        "customers",
        "peak_demand_mw",
        "revenue_usd",
        "sales_mwh",
        "avg_price_cents_per_kwh",
        "ba_code",
        "data_year",
    ]
    duke = out.iloc[1]
    assert duke["eia_id"] == "15470"
    assert duke["peak_demand_mw"] == 5840.0
    assert duke["sales_mwh"] == 26440606.0
    # 2,692,092,000 $ / 26,440,606 MWh = 101.8 $/MWh = 10.18 ¢/kWh
    assert duke["avg_price_cents_per_kwh"] == pytest.approx(10.1817, abs=1e-4)
    assert out["data_year"].tolist() == [2024, 2024, 2024]


def test_blank_cells_are_unknown_never_zero(tmp_path):
    out = read_utilities(write(tmp_path, ROWS), year=2024)
    holding = out.iloc[0]
    assert np.isnan(holding["eia_id"]) and np.isnan(holding["ba_code"])
    assert np.isnan(holding["peak_demand_mw"]) and np.isnan(holding["avg_price_cents_per_kwh"])
    assert np.isnan(out["peak_demand_mw"][2])  # the town reports no peak
    assert out["state_jurisdiction"][0] == "FL, IN, KY, NC, OH, SC"


def test_a_blank_price_is_revenue_over_sales(tmp_path):
    rows = edited(2, avg_price_cents_per_kwh="")
    out = read_utilities(write(tmp_path, rows), year=2024)
    assert out["avg_price_cents_per_kwh"][2] == pytest.approx(123000 / 820 / 10)  # 15.0


def test_zero_sales_give_no_price(tmp_path):
    rows = edited(2, totalSalesMwh="0", avg_price_cents_per_kwh="")
    out = read_utilities(write(tmp_path, rows), year=2024)
    assert np.isnan(out["avg_price_cents_per_kwh"][2])


def test_a_price_that_disagrees_with_revenue_over_sales_is_an_error(tmp_path):
    rows = edited(1, avg_price_cents_per_kwh="101.81657712383748")  # $/MWh, not ¢/kWh
    with pytest.raises(DataError, match=r"differs from totalRevenueDollars / totalSalesMwh.*1 "):
        read_utilities(write(tmp_path, rows), year=2024)


def test_a_blank_name_is_an_error(tmp_path):
    with pytest.raises(DataError, match=r"blank utility name on line\(s\) \[4\]"):
        read_utilities(write(tmp_path, edited(2, name=" ")), year=2024)


def test_text_in_a_number_column_is_an_error(tmp_path):
    rows = edited(1, peakDemandMw="5,840 MW")
    with pytest.raises(DataError, match=r"column 'peakDemandMw' holds non-numeric"):
        read_utilities(write(tmp_path, rows), year=2024)


def test_negative_sales_are_an_error(tmp_path):
    rows = edited(2, totalSalesMwh="-820", avg_price_cents_per_kwh="")
    with pytest.raises(DataError, match=r"'sales_mwh' holds negative values"):
        read_utilities(write(tmp_path, rows), year=2024)


def test_a_missing_column_is_an_error(tmp_path):
    columns = [c for c in COLUMNS if c != "peakDemandMw"]
    with pytest.raises(DataError, match=r"\['peakDemandMw'\] missing.*CommonGrid's EIA-861"):
        read_utilities(write(tmp_path, ROWS, columns), year=2024)


def test_a_header_without_rows_is_an_error(tmp_path):
    with pytest.raises(DataError, match="no rows below the header"):
        read_utilities(write(tmp_path, []), year=2024)


@pytest.mark.parametrize("year", ["24", "twenty", "2024.0"])
def test_a_year_that_is_not_a_year_is_an_error(tmp_path, year):
    with pytest.raises(DataError, match=r'year = ".*" is not a year'):
        read_utilities(write(tmp_path, ROWS), year=year)


def test_a_missing_file_is_reported(tmp_path):
    with pytest.raises(DataFileNotFound, match="not found"):
        read_utilities(tmp_path / "nope.csv", year=2024)
