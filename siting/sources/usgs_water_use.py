"""USGS Estimated Use of Water in the United States, county-level data for 2015 (version 2.0).

One row per county (and county equivalent, incl. Puerto Rico and the U.S. Virgin Islands) with
the fresh-water withdrawals in Mgal/d named in :data:`WATER_USE_COLUMNS`. USGS writes ``--``
where it has no estimate: that is NaN here (UNKNOWN), never zero.

The thermoelectric total (``PT-``) is the sum of its once-through (``PO-``) and recirculating
(``PC-``) cooling parts in the 2015 file; they are read as published, not summed. Consumptive
use (``CUsFr``: water evaporated or otherwise not returned) is published for thermoelectric
power and irrigation only; the thermoelectric figures are read.

>>> WATER_USE_COLUMNS["TO-WFrTo"]
'fresh_withdrawal_mgd'

References
----------
Dieter, C.A., Linsey, K.S., Caldwell, R.R., Harris, M.A., Ivahnenko, T.I., Lovelace, J.K.,
Maupin, M.A., and Barber, N.L. (2018). Estimated use of water in the United States county-level
data for 2015 (ver. 2.0, June 2018). U.S. Geological Survey data release (public domain).
doi:10.5066/F7TB15V5
"""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd

from siting.errors import DataError
from siting.sources.files import (
    fips_codes,
    numbers,
    read_csv_text,
    require_columns,
    unique_codes,
)

#: USGS column → ours. Withdrawals are fresh water in [Mgal/d]; population in [thousands].
WATER_USE_COLUMNS = MappingProxyType(
    {
        "FIPS": "fips",
        "STATE": "state",
        "COUNTY": "county",
        "TP-TotPop": "population_thousands",
        "TO-WFrTo": "fresh_withdrawal_mgd",
        "PS-WFrTo": "public_supply_fresh_mgd",
        "IN-WFrTo": "industrial_fresh_mgd",
        "PT-WFrTo": "thermoelectric_fresh_mgd",
        "PT-WGWFr": "thermoelectric_groundwater_mgd",
        "PT-WSWFr": "thermoelectric_surface_mgd",
        "PT-CUsFr": "thermoelectric_consumption_fresh_mgd",
        "IR-WFrTo": "irrigation_fresh_mgd",
        "TO-WGWFr": "groundwater_fresh_mgd",
        "TO-WSWFr": "surface_fresh_mgd",
        "PS-WGWFr": "public_supply_groundwater_mgd",
        "PS-WSWFr": "public_supply_surface_mgd",
        "PO-WFrTo": "thermoelectric_once_through_fresh_mgd",
        "PO-WGWFr": "thermoelectric_once_through_groundwater_mgd",
        "PO-WSWFr": "thermoelectric_once_through_surface_mgd",
        "PC-WFrTo": "thermoelectric_recirculating_fresh_mgd",
        "PC-WGWFr": "thermoelectric_recirculating_groundwater_mgd",
        "PC-WSWFr": "thermoelectric_recirculating_surface_mgd",
        "PO-CUsFr": "thermoelectric_once_through_consumption_fresh_mgd",
        "PC-CUsFr": "thermoelectric_recirculating_consumption_fresh_mgd",
    }
)
#: USGS columns kept as text; every other column of :data:`WATER_USE_COLUMNS` is a number.
TEXT_COLUMNS = ("FIPS", "STATE", "COUNTY")
#: Columns read where the file has them (the public-supply, thermoelectric source and
#: cooling-type splits, and thermoelectric consumption); a file without them gives NaN (UNKNOWN)
#: there.
OPTIONAL_COLUMNS = (
    "PT-WGWFr",
    "PT-WSWFr",
    "PT-CUsFr",
    "PO-CUsFr",
    "PC-CUsFr",
    "PS-WGWFr",
    "PS-WSWFr",
    "PO-WFrTo",
    "PO-WGWFr",
    "PO-WSWFr",
    "PC-WFrTo",
    "PC-WGWFr",
    "PC-WSWFr",
)
HINT = "Is this a USGS county water-use file (usco2015v2.0.csv)?"


def read_county_water_use(path: str | Path) -> pd.DataFrame:
    """Read the USGS 2015 county water-use table (CSV, with or without its title row).

    Parameters
    ----------
    path : str or pathlib.Path
        ``usco2015v2.0.csv`` as published (header names are stripped of spaces, e.g.
        ``'DO-WDelv '``).

    Returns
    -------
    pandas.DataFrame
        One row per county in file order: ``fips`` (5-digit text), ``state``, ``county``,
        ``population_thousands`` [thousands of people] and the fresh-water withdrawals of
        :data:`WATER_USE_COLUMNS` [Mgal/d]; ``--`` is NaN.

    Raises
    ------
    DataFileNotFound, DataError
        The file is missing or empty, lacks a USGS column, holds non-numeric text in a number
        column, a malformed FIPS code, or a FIPS code twice.

    References
    ----------
    Dieter, C.A. et al. (2018). Estimated use of water in the United States county-level data
    for 2015 (ver. 2.0). U.S. Geological Survey data release. doi:10.5066/F7TB15V5
    """
    table = read_csv_text(path, encoding="utf-8-sig", header_with="FIPS")
    return _water_use_from_frame(table, what=str(path))


def _water_use_from_frame(table: pd.DataFrame, *, what: str) -> pd.DataFrame:
    """Our columns from a USGS water-use table of text (see :func:`read_county_water_use`)."""
    table = table.rename(columns=str.strip)
    required = [c for c in WATER_USE_COLUMNS if c not in OPTIONAL_COLUMNS]
    require_columns(table, required, what=what, hint=HINT)
    if table.empty:
        raise DataError(f"{what}: no counties below the header. {HINT}")
    fips = fips_codes(table["FIPS"], width=5, what=what, column="FIPS")
    unique_codes(fips, what=what, column="FIPS")
    out = {}
    for theirs, ours in WATER_USE_COLUMNS.items():
        if theirs == "FIPS":
            out[ours] = fips
        elif theirs in TEXT_COLUMNS:
            out[ours] = table[theirs].str.strip()
        elif theirs in table.columns:
            out[ours] = numbers(table[theirs], what=what, column=theirs)
        else:
            out[ours] = np.nan
    return pd.DataFrame(out, index=table.index).reset_index(drop=True)
