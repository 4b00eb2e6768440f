"""USGS county water use 2015 on a fixture in the official usco2015v2.0.csv schema."""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pytest

from siting.errors import DataError, DataFileNotFound
from siting.sources.usgs_water_use import WATER_USE_COLUMNS, read_county_water_use


def cells(line: str) -> list[str]:
    """The cells of one line of the published CSV (no quoted cells in these lines)."""
    return line.split(",")


#: The published header, in order (note 'DO-WDelv ' with its trailing space).
HEADER = cells(
    "STATE,STATEFIPS,COUNTY,COUNTYFIPS,FIPS,YEAR,TP-TotPop,PS-GWPop,PS-SWPop,PS-TOPop,PS-WGWFr,"
    "PS-WGWSa,PS-WGWTo,PS-WSWFr,PS-WSWSa,PS-WSWTo,PS-WFrTo,PS-WSaTo,PS-Wtotl,DO-SSPop,DO-WGWFr,"
    "DO-WSWFr,DO-WFrTo,DO-SSPCp,DO-PSDel,DO-PSPCp,DO-WDelv ,IN-WGWFr,IN-WGWSa,IN-WGWTo,IN-WSWFr,"
    "IN-WSWSa,IN-WSWTo,IN-WFrTo,IN-WSaTo,IN-Wtotl,IR-WGWFr,IR-WSWFr,IR-WFrTo,IR-RecWW,IR-CUsFr,"
    "IR-IrSpr,IR-IrMic,IR-IrSur,IR-IrTot,IC-WGWFr,IC-WSWFr,IC-WFrTo,IC-RecWW,IC-CUsFr,IC-IrSpr,"
    "IC-IrMic,IC-IrSur,IC-IrTot,IG-WGWFr,IG-WSWFr,IG-WFrTo,IG-RecWW,IG-CUsFr,IG-IrSpr,IG-IrMic,"
    "IG-IrSur,IG-IrTot,LI-WGWFr,LI-WSWFr,LI-WFrTo,AQ-WGWFr,AQ-WGWSa,AQ-WGWTo,AQ-WSWFr,AQ-WSWSa,"
    "AQ-WSWTo,AQ-WFrTo,AQ-WSaTo,AQ-Wtotl,MI-WGWFr,MI-WGWSa,MI-WGWTo,MI-WSWFr,MI-WSWSa,MI-WSWTo,"
    "MI-WFrTo,MI-WSaTo,MI-Wtotl,PT-WGWFr,PT-WGWSa,PT-WGWTo,PT-WSWFr,PT-WSWSa,PT-WSWTo,PT-WFrTo,"
    "PT-WSaTo,PT-Wtotl,PT-RecWW,PT-PSDel,PT-CUsFr,PT-CUsSa,PT-CUTot,PT-Power,PO-WGWFr,PO-WGWSa,"
    "PO-WGWTo,PO-WSWFr,PO-WSWSa,PO-WSWTo,PO-WFrTo,PO-WSaTo,PO-Wtotl,PO-RecWW,PO-PSDel,PO-CUsFr,"
    "PO-CUsSa,PO-CUTot,PO-Power,PC-WGWFr,PC-WGWSa,PC-WGWTo,PC-WSWFr,PC-WSWSa,PC-WSWTo,PC-WFrTo,"
    "PC-WSaTo,PC-Wtotl,PC-RecWW,PC-PSDel,PC-CUsFr,PC-CUsSa,PC-CUTot,PC-Power,TO-WGWFr,TO-WGWSa,"
    "TO-WGWTo,TO-WSWFr,TO-WSWSa,TO-WSWTo,TO-WFrTo,TO-WSaTo,TO-Wtotl,TO-CUsFrPartial,"
    "TO-CUsSaPartial,TO-CUTotPartial"
)
#: Two published rows: Autauga County AL (4-digit FIPS as written) and Marion County IN.
AUTAUGA = cells(
    "AL,1,Autauga County,1,1001,2015,55.347,--,--,48.998,3.64,0,3.64,0,0,0,3.64,0,3.64,6.349,"
    "0.38,0,0.38,60,2.71,55,3.09,1.83,0,1.83,32.97,0,32.97,34.8,0,34.8,3.36,0.16,3.52,--,3.52,"
    "2.26,0,0,2.26,3.36,0,3.36,--,3.36,2.16,0,0,2.16,0,0.16,0.16,--,0.16,0.1,0,0,0.1,0.08,0.11,"
    "0.19,0,0,0,0,0,0,0,0,0,1.4,0,1.4,0.62,0,0.62,2.02,0,2.02,0,0,0,11.86,0,11.86,11.86,0,11.86,"
    "--,--,9.66,0,9.66,15711.64,0,0,0,0,0,0,0,0,0,--,--,0,0,0,0,0,0,0,11.86,0,11.86,11.86,0,"
    "11.86,--,--,9.66,0,9.66,15711.64,10.69,0,10.69,45.72,0,45.72,56.41,0,56.41,13.18,0,13.18"
)
MARION = cells(
    "IN,18,Marion County,97,18097,2015,939.02,--,--,858.264,23.93,0,23.93,87.37,0,87.37,111.3,0,"
    "111.3,80.756,6.14,0,6.14,76,65.23,76,71.37,5.99,0,5.99,0.07,0,0.07,6.06,0,6.06,0.38,0.4,"
    "0.78,0,0.7,1.09,0,0,1.09,0.09,0.01,0.1,0,0.09,0.17,0,0,0.17,0.29,0.39,0.68,--,0.61,0.92,0,0,"
    "0.92,0.01,0.01,0.02,0,--,0,0,--,0,0,--,0,0,0,0,33.34,0,33.34,33.34,0,33.34,1.74,0,1.74,"
    "104.45,0,104.45,106.19,0,106.19,--,--,19.15,0,19.15,3000.74,1.43,0,1.43,79.39,0,79.39,80.82,"
    "0,80.82,--,--,1.62,0,1.62,647.68,0.31,0,0.31,25.06,0,25.06,25.37,0,25.37,--,--,17.53,0,"
    "17.53,2353.06,38.19,0,38.19,225.64,0,225.64,263.83,0,263.83,19.85,0,19.85"
)
TITLE = "Dataset: Estimated Use of Water in the United States, County-Level Data for 2015"


def write(tmp_path, rows, *, header=HEADER, title=None, name="usco2015v2.0.csv"):
    """Write a fixture CSV; ``rows`` are lists of cells in ``header`` order."""
    path = tmp_path / name
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        if title:
            writer.writerow([title])
        writer.writerow(header)
        writer.writerows(rows)
    return path


def edited(row, **cells):
    """A copy of a published row with cells replaced by column name (``TO_WFrTo=...``)."""
    row = list(row)
    for name, value in cells.items():
        row[HEADER.index(name.replace("_", "-"))] = value
    return row


def test_published_rows_are_renamed_with_padded_fips(tmp_path):
    out = read_county_water_use(write(tmp_path, [AUTAUGA, MARION]))
    assert list(out.columns) == list(WATER_USE_COLUMNS.values())
    assert out["fips"].tolist() == ["01001", "18097"]
    assert out["county"].tolist() == ["Autauga County", "Marion County"]
    marion = out.iloc[1]
    assert marion["state"] == "IN"
    assert marion["population_thousands"] == 939.02
    assert marion["fresh_withdrawal_mgd"] == 263.83
    assert marion["public_supply_fresh_mgd"] == 111.3
    assert marion["industrial_fresh_mgd"] == 6.06
    assert marion["thermoelectric_fresh_mgd"] == 106.19
    assert marion["irrigation_fresh_mgd"] == 0.78
    assert marion["groundwater_fresh_mgd"] == 38.19
    assert marion["surface_fresh_mgd"] == 225.64
    assert marion["public_supply_groundwater_mgd"] == 23.93
    assert marion["public_supply_surface_mgd"] == 87.37
    assert marion["thermoelectric_once_through_fresh_mgd"] == 80.82
    assert marion["thermoelectric_once_through_groundwater_mgd"] == 1.43
    assert marion["thermoelectric_once_through_surface_mgd"] == 79.39
    assert marion["thermoelectric_recirculating_fresh_mgd"] == 25.37
    assert marion["thermoelectric_recirculating_groundwater_mgd"] == 0.31
    assert marion["thermoelectric_recirculating_surface_mgd"] == 25.06


def test_cooling_split_sums_to_thermoelectric_total_as_published(tmp_path):
    out = read_county_water_use(write(tmp_path, [AUTAUGA, MARION]))
    split = (
        out["thermoelectric_once_through_fresh_mgd"] + out["thermoelectric_recirculating_fresh_mgd"]
    )
    np.testing.assert_allclose(split, out["thermoelectric_fresh_mgd"])


def test_title_row_above_header_is_skipped(tmp_path):
    plain = read_county_water_use(write(tmp_path, [AUTAUGA, MARION]))
    titled = read_county_water_use(
        write(tmp_path, [AUTAUGA, MARION], title=TITLE, name="titled.csv")
    )
    pd.testing.assert_frame_equal(titled, plain)


def test_double_dash_is_unknown_not_zero(tmp_path):
    row = edited(MARION, TO_WFrTo="--", IR_WFrTo="--")
    out = read_county_water_use(write(tmp_path, [row]))
    assert np.isnan(out.loc[0, "fresh_withdrawal_mgd"])
    assert np.isnan(out.loc[0, "irrigation_fresh_mgd"])
    assert out.loc[0, "industrial_fresh_mgd"] == 6.06


def test_header_names_are_stripped(tmp_path):
    header = [f"{c} " if c == "TO-WFrTo" else c for c in HEADER]
    out = read_county_water_use(write(tmp_path, [MARION], header=header))
    assert out.loc[0, "fresh_withdrawal_mgd"] == 263.83


def test_file_without_cooling_split_gives_unknown_split(tmp_path):
    keep = [i for i, c in enumerate(HEADER) if not c.startswith(("PO-", "PC-"))]
    header = [HEADER[i] for i in keep]
    out = read_county_water_use(write(tmp_path, [[MARION[i] for i in keep]], header=header))
    assert out["thermoelectric_once_through_fresh_mgd"].isna().all()
    assert out["thermoelectric_recirculating_surface_mgd"].isna().all()
    assert out.loc[0, "thermoelectric_fresh_mgd"] == 106.19


def test_missing_column_is_an_error(tmp_path):
    keep = [i for i, c in enumerate(HEADER) if c != "TO-WFrTo"]
    path = write(tmp_path, [[MARION[i] for i in keep]], header=[HEADER[i] for i in keep])
    with pytest.raises(DataError, match=r"\['TO-WFrTo'\] missing.*USGS county water-use"):
        read_county_water_use(path)


def test_non_numeric_text_is_an_error(tmp_path):
    path = write(tmp_path, [edited(MARION, IN_WFrTo="six")])
    with pytest.raises(DataError, match=r"'IN-WFrTo' holds non-numeric values \['six'\]"):
        read_county_water_use(path)


def test_duplicate_fips_is_an_error(tmp_path):
    path = write(tmp_path, [AUTAUGA, MARION, edited(MARION, COUNTY="Marion again")])
    with pytest.raises(DataError, match=r"'FIPS' repeats \['18097'\]"):
        read_county_water_use(path)


def test_malformed_fips_is_an_error(tmp_path):
    path = write(tmp_path, [edited(MARION, FIPS="18O97")])
    with pytest.raises(DataError, match=r"'FIPS' holds values that are not 5-digit"):
        read_county_water_use(path)


def test_header_without_rows_is_an_error(tmp_path):
    with pytest.raises(DataError, match="no counties"):
        read_county_water_use(write(tmp_path, []))


def test_empty_file_is_an_error(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("")
    with pytest.raises(DataError, match="cannot parse as CSV"):
        read_county_water_use(path)


def test_wrong_file_is_an_error(tmp_path):
    path = tmp_path / "warming.csv"
    path.write_text("fips,Fall,Spring\n01001,0.1,0.2\n")
    with pytest.raises(DataError, match=r"\['FIPS', 'STATE'.*Is this a USGS county water-use"):
        read_county_water_use(path)


def test_missing_file_is_an_error(tmp_path):
    with pytest.raises(DataFileNotFound, match="file not found"):
        read_county_water_use(tmp_path / "nope.csv")
