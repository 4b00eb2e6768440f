"""The bundled run's tract community table (RunInputs.tract_indicators)."""

from __future__ import annotations

import pandas as pd
import pytest

from siting.bundle import open_bundle
from siting.inputs import read_inputs
from siting.models.tracts import INDICATOR_COLUMNS
from siting.spec import load_spec


@pytest.fixture(scope="module")
def inputs():
    return read_inputs(open_bundle("indiana"), load_spec())


def test_one_row_per_run_tract_with_the_contract_columns(inputs):
    table = inputs.tract_indicators
    geoids = inputs.tracts["geoid"].astype(str)
    assert list(table.columns) == list(INDICATOR_COLUMNS)
    assert table.index.notna().all() and table.index.is_unique
    assert table.index.str.fullmatch(r"\d{11}").all()
    assert sorted(table.index) == sorted(geoids)
    counts = table.attrs["join_counts"]
    assert counts["tracts"] == len(geoids)
    assert counts["identity"] + counts["lineage"] + counts["area"] + counts["none"] == len(table)
    assert counts["joined"] > 0.99 * len(table)


def test_values_in_range_and_flag_three_valued(inputs):
    table = inputs.tract_indicators
    pct = [c for c in table.columns if "_pct_" in c]
    assert ((table[pct] > 0) & (table[pct] <= 1) | table[pct].isna()).all().all()
    assert set(table["cejst_style_disadvantaged"].dropna()) <= {0.0, 1.0}
    assert set(table["cejst_source"]) == {"proxy"}
    # Indiana's PM2.5 in 2020 (EJScreen): a few to about 12 µg/m³, never the 0-100 percentile
    assert table["pm25_ugm3"].between(3.0, 15.0).mean() > 0.98


def test_identity_tract_carries_its_2010_values(inputs):
    raw = pd.read_csv(
        inputs.bundle.root / "tables" / "tract2010_svi2018_ejscreen2020_cre2019_indiana.csv",
        dtype=str,
    ).set_index("census_tract_id_2010")
    table = inputs.tract_indicators
    same = table.index[table["tract_join"] == "identity"][0]
    assert table.loc[same, "ozone_ppb"] == float(raw.loc[same, "ejscreen2020_ozone_conc"])
