"""EPA EJScreen official CSV on fixtures in its published schema."""

from __future__ import annotations

import numpy as np
import pytest

from siting.errors import DataError
from siting.sources.epa_ejscreen import EJSCREEN_COLUMNS, read_ejscreen

HEADER = "OBJECTID,ID,STATE_NAME," + ",".join(list(EJSCREEN_COLUMNS)[1:]) + ",Shape_Area"
#: A block group of Autauga AL (ID as a number, leading zero lost) and one of Marion IN.
ROW_AL = (
    "1,10010201001,Alabama,636,9.69,36.76,0.279,49.4,0.79,46.8,0.19,0.068,0.079,0.519,None,"
    "45,21,60,72,77,40,40,29,36,38,None,99"
)
ROW_IN = (
    "2,180973517001,Indiana,1200,9.9,44.6,0.6,30,0.4,900,0.6,0.1,1.2,3.3,0.5,"
    "52,70,88,80,70,91,75,55,80,92,96,99"
)


def write(tmp_path, rows):
    path = tmp_path / "EJSCREEN_2020_USPR.csv"
    path.write_text("\n".join((HEADER, *rows)) + "\n", encoding="utf-8")
    return path


def test_block_groups_units_and_percentiles(tmp_path):
    out = read_ejscreen(write(tmp_path, [ROW_AL, ROW_IN]))
    assert out.attrs["level"] == "block_group"
    assert out["geoid"].tolist() == ["010010201001", "180973517001"]
    assert out.loc[0, "pm25_ugm3"] == 9.69 and out.loc[0, "ozone_ppb"] == 36.76
    assert out.loc[1, "traffic_proximity"] == 900.0 and out.loc[1, "population"] == 1200.0
    assert out.loc[0, "pm25_pct_us"] == 0.45 and out.loc[1, "traffic_proximity_pct_us"] == 0.91
    assert np.isnan(out.loc[0, "wastewater_discharge"])  # "None"
    assert np.isnan(out.loc[0, "wastewater_discharge_pct_us"])


def test_tract_file_level(tmp_path):
    rows = [
        ROW_AL.replace("10010201001", "1001020100"),
        ROW_IN.replace("180973517001", "18097351700"),
    ]
    out = read_ejscreen(write(tmp_path, rows))
    assert out.attrs["level"] == "tract" and out["geoid"].tolist()[0] == "01001020100"


def test_percentile_over_100_and_missing_column_are_errors(tmp_path):
    with pytest.raises(DataError, match=r"P_PM25.*outside \[0, 100\]"):
        read_ejscreen(write(tmp_path, [ROW_IN.replace(",52,", ",152,")]))
    path = tmp_path / "x.csv"
    path.write_text(HEADER.replace(",DSLPM,", ",DIESEL,") + "\n" + ROW_IN + "\n")
    with pytest.raises(DataError, match=r"\['DSLPM'\] missing.*EJScreen"):
        read_ejscreen(path)


def test_mixed_levels_is_an_error(tmp_path):
    rows = [ROW_AL.replace("10010201001", "1001020100"), ROW_IN]  # a tract and a block group
    with pytest.raises(DataError, match="not a mix"):
        read_ejscreen(write(tmp_path, rows))
