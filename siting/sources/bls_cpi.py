"""BLS Consumer Price Index for All Urban Consumers (CPI-U), annual averages of one series.

The bundle holds a small table ``bls_cpi_u_annual.csv`` with columns ``series_id``, ``year``
and ``cpi_u_annual_avg``: the BLS annual average (period M13) of one CPI-U series, by default
CUUR0000SA0 (U.S. city average, all items, not seasonally adjusted, 1982–84 = 100). BLS series
ids of CPI-U start with "CU" (CPI-W: "CW").

CPI-U is a general consumer index. Escalating engineering costs with it (``siting.models.costs``)
keeps dollars of different years comparable; it does not follow the prices of transmission
equipment and construction, which have risen faster than consumer prices in recent years.

>>> CPI_COLUMNS["cpi_u_annual_avg"], DEFAULT_SERIES
('cpi_u_annual_avg', 'CUUR0000SA0')

References
----------
U.S. Bureau of Labor Statistics. Consumer Price Index for All Urban Consumers (CPI-U): U.S.
city average, all items, series CUUR0000SA0, annual average (public domain).
https://www.bls.gov/cpi/ ; data https://download.bls.gov/pub/time.series/cu/
"""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

import pandas as pd

from siting.errors import DataError
from siting.sources.files import numbers, read_csv_text, require_columns

#: Column of the table → ours. ``cpi_u_annual_avg`` is an index (1982–84 = 100) [-].
CPI_COLUMNS = MappingProxyType(
    {"series_id": "series_id", "year": "year", "cpi_u_annual_avg": "cpi_u_annual_avg"}
)
#: CPI-U, U.S. city average, all items, not seasonally adjusted.
DEFAULT_SERIES = "CUUR0000SA0"
#: BLS series ids of CPI-U begin with this.
CPI_U_PREFIX = "CU"
HINT = "Is this a CPI-U annual table (series_id, year, cpi_u_annual_avg)?"


def read_cpi_u_annual(path: str | Path) -> pd.DataFrame:
    """Read a table of annual CPI-U averages of one BLS series.

    Parameters
    ----------
    path : str or pathlib.Path
        The CSV (``series_id``, ``year``, ``cpi_u_annual_avg``).

    Returns
    -------
    pandas.DataFrame
        One row per year, sorted by year: ``year`` (int), ``cpi_u_annual_avg`` (index,
        1982–84 = 100 for CUUR0000SA0) [-], ``series_id``. ``attrs["series_id"]`` names the
        series.

    Raises
    ------
    DataFileNotFound, DataError
        The file is missing or empty; lacks a column; holds several series, a series that is
        not CPI-U, a blank, fractional or repeated year, or a blank or non-positive index.

    References
    ----------
    U.S. Bureau of Labor Statistics, CPI-U series CUUR0000SA0, annual average (period M13).
    """
    what = str(path)
    table = read_csv_text(path)
    require_columns(table, CPI_COLUMNS, what=what, hint=HINT)
    if table.empty:
        raise DataError(f"{what}: no rows below the header. {HINT}")
    series = _one_series(table["series_id"], what=what)
    years = numbers(table["year"], what=what, column="year")
    if years.isna().any() or (years % 1 != 0).any():
        raise DataError(f"{what}: column 'year' must hold whole years, got {years.tolist()[:5]}")
    repeated = sorted(int(y) for y in years[years.duplicated()].unique())
    if repeated:
        raise DataError(f"{what}: year(s) {repeated} appear more than once; expected one row each")
    index = numbers(table["cpi_u_annual_avg"], what=what, column="cpi_u_annual_avg")
    if index.isna().any() or (index <= 0).any():
        bad = years[index.isna() | (index <= 0)].astype(int).tolist()
        raise DataError(f"{what}: blank or non-positive cpi_u_annual_avg for year(s) {bad}")
    out = pd.DataFrame(
        {"year": years.astype(int), "cpi_u_annual_avg": index, "series_id": series}
    ).sort_values("year", kind="stable")
    out = out.reset_index(drop=True)
    out.attrs["series_id"] = series
    return out


def _one_series(values: pd.Series, *, what: str) -> str:
    """The one CPI-U series id of the table."""
    ids = sorted(set(values.dropna().str.strip()))
    if values.isna().any() or len(ids) != 1:
        raise DataError(
            f"{what}: column 'series_id' must name one series on every row, got {ids}; split "
            f"the table per series (e.g. {DEFAULT_SERIES})"
        )
    if not ids[0].upper().startswith(CPI_U_PREFIX):
        raise DataError(
            f"{what}: series {ids[0]!r} is not a CPI-U series (ids start with "
            f"{CPI_U_PREFIX!r}, e.g. {DEFAULT_SERIES})"
        )
    return ids[0]
