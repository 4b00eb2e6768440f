"""Small tables in siting's own schema that a user writes: values by county FIPS code.

For example a county setback ordinance table for a rule's ``buffer_by_county``::

    fips,buffer_m,source
    18157,600,Tippecanoe County zoning ordinance 2025
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from siting.errors import DataError
from siting.sources.files import fips_codes, numbers, read_csv_text, require_columns, unique_codes


def read_county_values(path: str | Path, *, column: str) -> pd.Series:
    """A CSV of ``fips`` and ``column`` as a Series of floats indexed by 5-digit FIPS.

    Raises
    ------
    DataFileNotFound, DataError
        Missing file, missing column, a malformed or repeated FIPS, a non-numeric or negative
        value, or no rows.
    """
    table = read_csv_text(path)
    require_columns(table, ("fips", column), what=str(path), hint=f"Write columns fips,{column}.")
    if table.empty:
        raise DataError(f"{path}: no rows below the header; write one row per county")
    fips = fips_codes(table["fips"], width=5, what=str(path), column="fips")
    unique_codes(fips, what=str(path), column="fips")
    values = numbers(table[column], what=str(path), column=column)
    if values.isna().any() or (values < 0).any():
        raise DataError(f"{path}: column {column!r} needs a value ≥ 0 on every row")
    return pd.Series(values.to_numpy(), index=fips.to_numpy(), name=column)
