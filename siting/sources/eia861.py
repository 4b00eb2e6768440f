"""EIA-861 annual electric utility data as tabulated by CommonGrid (one row per utility).

CommonGrid's utilities table (``commongrid_utilities_eia861_<year>.csv``) holds, per utility,
the EIA id (``eiaId``; blank for the holding companies CommonGrid adds, e.g. "Duke Energy"),
name, segment, status, retail customers, annual peak demand [MW], retail revenue [$] and sales
[MWh], balancing authority, NERC region and the states it serves (``jurisdiction``, e.g.
"IN" or "FL, IN, KY"), with an average retail price computed from them
(``avg_price_cents_per_kwh`` = revenue / sales). The file does not state its data year: the
catalogue does (``year = "2024"``).

The average price is over all of a utility's retail sales (residential, commercial,
industrial, transport), the revenue it billed divided by the energy it sold: it is not the
tariff a large new load would pay.

>>> UTILITY_COLUMNS["peakDemandMw"], CENTS_PER_KWH_PER_USD_PER_MWH
('peak_demand_mw', 0.1)

References
----------
U.S. Energy Information Administration (2025). Annual Electric Power Industry Report, Form
EIA-861, 2024 data (public domain). https://www.eia.gov/electricity/data/eia861/
Texture, Inc. and CommonGrid contributors (2025–2026). CommonGrid (Open Grid) energy
infrastructure dataset: utilities. ODbL 1.0. https://github.com/TextureHQ/commongrid
"""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd

from siting.errors import DataError
from siting.sources.files import numbers, read_csv_text, require_columns

#: CommonGrid column → ours. ``customers`` [-], ``peak_demand_mw`` [MW], ``revenue_usd`` [$ of
#: the data year], ``sales_mwh`` [MWh/yr], ``avg_price_cents_per_kwh`` [¢/kWh].
UTILITY_COLUMNS = MappingProxyType(
    {
        "eiaId": "eia_id",
        "name": "utility",
        "segment": "segment",
        "status": "status",
        "jurisdiction": "state_jurisdiction",
        "customerCount": "customers",
        "peakDemandMw": "peak_demand_mw",
        "totalRevenueDollars": "revenue_usd",
        "totalSalesMwh": "sales_mwh",
        "avg_price_cents_per_kwh": "avg_price_cents_per_kwh",
        "baCode": "ba_code",
    }
)
TEXT_COLUMNS = ("eiaId", "name", "segment", "status", "jurisdiction", "baCode")
#: Quantities that cannot be negative.
NON_NEGATIVE = ("customers", "peak_demand_mw", "sales_mwh")
#: 1 $/MWh = 0.1 ¢/kWh (100 ¢ per $, 1,000 kWh per MWh).
CENTS_PER_KWH_PER_USD_PER_MWH = 0.1
#: Largest relative gap allowed between the file's price and revenue / sales [-].
PRICE_TOLERANCE = 0.005
HINT = "Is this CommonGrid's EIA-861 utilities table (commongrid_utilities_eia861_<year>.csv)?"


def read_utilities(path: str | Path, *, year: str | int) -> pd.DataFrame:
    """Read CommonGrid's EIA-861 utilities table.

    Parameters
    ----------
    path : str or pathlib.Path
        The CSV as published.
    year : str or int
        The EIA-861 data year of the file (the catalogue's ``year``), e.g. 2024.

    Returns
    -------
    pandas.DataFrame
        One row per utility in file order: ``eia_id`` (text, NaN where blank), ``utility``,
        ``segment``, ``status``, ``state_jurisdiction`` (text, e.g. "FL, IN, KY"),
        ``customers`` [-], ``peak_demand_mw`` [MW], ``revenue_usd`` [$], ``sales_mwh``
        [MWh/yr], ``avg_price_cents_per_kwh`` [¢/kWh] (revenue / sales where the file leaves
        it blank but gives both), ``ba_code``, ``data_year`` (int). Blank cells are NaN
        (UNKNOWN), never zero.

    Raises
    ------
    DataFileNotFound, DataError
        The file is missing or empty; lacks a column; holds a blank utility name, non-numeric
        or negative quantities, or a price more than 0.5 % from revenue / sales; ``year`` is
        not a year.

    References
    ----------
    EIA (2025), Form EIA-861 2024 data, via CommonGrid utilities (ODbL 1.0).
    """
    what = str(path)
    data_year = _year(year, what=what)
    table = read_csv_text(path)
    require_columns(table, UTILITY_COLUMNS, what=what, hint=HINT)
    if table.empty:
        raise DataError(f"{what}: no rows below the header. {HINT}")
    out = pd.DataFrame(index=table.index)
    for theirs, ours in UTILITY_COLUMNS.items():
        if theirs in TEXT_COLUMNS:
            text = table[theirs].str.strip()
            out[ours] = text.mask(text == "")
        else:
            out[ours] = numbers(table[theirs], what=what, column=theirs)
    if out["utility"].isna().any():
        rows = [int(i) + 2 for i in out.index[out["utility"].isna()][:5]]
        raise DataError(f"{what}: blank utility name on line(s) {rows}")
    for column in NON_NEGATIVE:
        if (out[column] < 0).any():
            raise DataError(f"{what}: column {column!r} holds negative values; expected >= 0")
    out["avg_price_cents_per_kwh"] = _checked_price(out, what=what)
    return out.assign(data_year=data_year).reset_index(drop=True)


def price_cents_per_kwh(revenue_usd: pd.Series, sales_mwh: pd.Series) -> pd.Series:
    """Average retail price: revenue over sales, NaN where sales are zero or unknown. [¢/kWh]

    >>> price_cents_per_kwh(pd.Series([2.0e6, 1.0]), pd.Series([2.0e4, 0.0])).tolist()
    [10.0, nan]
    """
    sales = sales_mwh.where(sales_mwh > 0)
    return revenue_usd / sales * CENTS_PER_KWH_PER_USD_PER_MWH


def _checked_price(table: pd.DataFrame, *, what: str) -> pd.Series:
    """The file's price, checked against revenue / sales where both are given, and filled
    from them where the file leaves it blank."""
    derived = price_cents_per_kwh(table["revenue_usd"], table["sales_mwh"])
    given = table["avg_price_cents_per_kwh"]
    gap = (given - derived).abs() / derived.abs()
    bad = gap > PRICE_TOLERANCE
    if bad.any():
        rows = table.loc[bad, ["utility", "avg_price_cents_per_kwh"]].head(3)
        found = [
            f"{u}: {p:.3f} vs {d:.3f}"
            for u, p, d in zip(
                rows["utility"], rows["avg_price_cents_per_kwh"], derived[rows.index], strict=True
            )
        ]
        raise DataError(
            f"{what}: avg_price_cents_per_kwh differs from totalRevenueDollars / totalSalesMwh "
            f"by more than {PRICE_TOLERANCE:.1%} for {int(bad.sum())} utilities ({found}); "
            "expected ¢/kWh = $ / MWh × 0.1"
        )
    return given.fillna(derived).astype(np.float64)


def _year(year: str | int, *, what: str) -> int:
    """The data year as an int; an error unless it is a four-digit year."""
    text = str(year).strip()
    if not (text.isdigit() and len(text) == 4):
        raise DataError(f'{what}: the catalogue\'s year = "{year}" is not a year; e.g. "2024"')
    return int(text)
