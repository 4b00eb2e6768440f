"""CEQ Climate and Economic Justice Screening Tool (CEJST) 1.0, communities list (CSV).

One row per 2010 census tract (``Census tract 2010 ID``, written as a number, so states 01–09
lose their leading zero: it is restored). ``Identified as disadvantaged`` is CEJST's own
determination (``True``/``False``); the low-income percentile is the national percentile of the
share of people below 200 % of the federal poverty line, adjusted for students and imputed where
missing. The communities-list CSV writes percentiles as 0–100 and the shapefile as 0–1: a
column whose values exceed 1 is read as percent and divided by 100, so both read as [0–1].

>>> CEJST_COLUMNS["Identified as disadvantaged"]
'disadvantaged'

References
----------
Council on Environmental Quality (2022). Climate and Economic Justice Screening Tool, version
1.0: communities list data (1.0-communities.csv) and technical support document (public domain).
https://screeningtool.geoplatform.gov/en/downloads
"""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

import pandas as pd

from siting.errors import DataError
from siting.sources.files import (
    fips_codes,
    numbers,
    read_csv_text,
    require_columns,
    unique_codes,
)

#: CEJST 1.0 communities-list column → ours. ``low_income_pct`` [national percentile 0–1];
#: ``population`` [persons] (ACS 2015–2019); ``disadvantaged`` 1.0 / 0.0.
CEJST_COLUMNS = MappingProxyType(
    {
        "Census tract 2010 ID": "geoid",
        "County Name": "county",
        "State/Territory": "state_name",
        "Total population": "population",
        "Identified as disadvantaged": "disadvantaged",
        "Adjusted percent of individuals below 200% Federal Poverty Line (percentile)": (
            "low_income_pct"
        ),
    }
)
#: How CEJST writes its yes/no columns (CSV: ``True``/``False``; shapefile exports: 1/0).
TRUTH = MappingProxyType({"true": 1.0, "false": 0.0, "1": 1.0, "0": 0.0, "1.0": 1.0, "0.0": 0.0})
HINT = "Is this the CEJST 1.0 communities list (1.0-communities.csv)?"


def read_cejst(path: str | Path) -> pd.DataFrame:
    """Read the CEJST 1.0 communities list.

    Parameters
    ----------
    path : str or pathlib.Path
        ``1.0-communities.csv`` as downloaded.

    Returns
    -------
    pandas.DataFrame
        One row per 2010 tract in file order: ``geoid`` (11-digit text), ``county``,
        ``state_name``, ``population`` [persons], ``disadvantaged`` (1.0 / 0.0, NaN where
        blank) and ``low_income_pct`` [0–1].

    Raises
    ------
    DataFileNotFound, DataError
        The file is missing or empty, lacks a column, holds a malformed or repeated tract ID,
        a yes/no value other than True/False, or a percentile outside [0, 100].
    """
    table = read_csv_text(path, encoding="utf-8-sig")
    return cejst_from_frame(table, what=str(path))


def cejst_from_frame(table: pd.DataFrame, *, what: str) -> pd.DataFrame:
    """Our columns from a CEJST communities table of text (see :func:`read_cejst`)."""
    require_columns(table, CEJST_COLUMNS, what=what, hint=HINT)
    if table.empty:
        raise DataError(f"{what}: no tracts below the header. {HINT}")
    key = "Census tract 2010 ID"
    geoid = fips_codes(table[key], width=11, what=what, column=key)
    unique_codes(geoid, what=what, column=key)
    low_income = "Adjusted percent of individuals below 200% Federal Poverty Line (percentile)"
    out = {
        "geoid": geoid,
        "county": table["County Name"].str.strip(),
        "state_name": table["State/Territory"].str.strip(),
        "population": numbers(table["Total population"], what=what, column="Total population"),
        "disadvantaged": _truth(table["Identified as disadvantaged"], what=what),
        "low_income_pct": _percentile(table[low_income], what=what, column=low_income),
    }
    return pd.DataFrame(out, index=table.index).reset_index(drop=True)


def _truth(values: pd.Series, *, what: str) -> pd.Series:
    text = values.astype("string").str.strip().str.lower()
    out = text.map(dict(TRUTH)).astype("float64")
    bad = out.isna() & text.notna()
    if bad.any():
        raise DataError(
            f"{what}: column 'Identified as disadvantaged' holds {sorted(text[bad].unique())[:5]};"
            " expected True or False"
        )
    return out


def _percentile(values: pd.Series, *, what: str, column: str) -> pd.Series:
    """A percentile column as [0–1]: 0–100 (CSV) divided by 100, 0–1 (shapefile) kept."""
    number = numbers(values, what=what, column=column)
    if ((number < 0) | (number > 100)).any():
        raise DataError(f"{what}: column {column!r} holds values outside [0, 100]")
    return number / 100.0 if (number > 1).any() else number
