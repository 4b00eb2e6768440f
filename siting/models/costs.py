"""Dollars of one year in another year's dollars, by the ratio of a price index.

A cost known in year *a* dollars is restated in year *b* dollars as
``cost_b = cost_a × I(b) / I(a)``, with ``I`` the annual average of a price index
(docs/methods.md §4.8). The bundle's index is BLS CPI-U (U.S. city average, all items), a
general consumer index: it keeps dollars of different years comparable but understates the
faster rise of transmission equipment and construction costs in recent years.

References
----------
U.S. Bureau of Labor Statistics. Consumer Price Index for All Urban Consumers (CPI-U), series
CUUR0000SA0, annual average. https://www.bls.gov/cpi/
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from siting.errors import DataError

#: Columns the index table must have: the year and the annual index value [-].
YEAR_COLUMN = "year"
INDEX_COLUMN = "cpi_u_annual_avg"


def escalation_factor(from_year: int, to_year: int, index: pd.DataFrame) -> float:
    """The ratio ``I(to_year) / I(from_year)`` of the annual index. [-]

    Parameters
    ----------
    from_year, to_year : int
        The year the dollars are in, and the year to restate them in.
    index : pandas.DataFrame
        Annual index with columns ``year`` and ``cpi_u_annual_avg`` (as read by
        :func:`siting.sources.bls_cpi.read_cpi_u_annual`).

    Raises
    ------
    DataError
        A year is not in the table (the message names the years it holds).

    Examples
    --------
    >>> cpi = pd.DataFrame({"year": [2019, 2024], "cpi_u_annual_avg": [255.657, 313.689]})
    >>> round(escalation_factor(2019, 2024, cpi), 4)
    1.227
    """
    by_year = pd.Series(
        index[INDEX_COLUMN].to_numpy(dtype=np.float64), index=index[YEAR_COLUMN].astype(int)
    )
    missing = [y for y in (from_year, to_year) if int(y) not in by_year.index]
    if missing:
        raise DataError(
            f"cost index: no annual value for {missing}; the table holds "
            f"{_years_text(by_year.index)}. Choose a year in it or extend the table"
        )
    return float(by_year[int(to_year)] / by_year[int(from_year)])


def escalate(usd, from_year: int, to_year: int, index: pd.DataFrame):
    """Restate dollars of ``from_year`` in dollars of ``to_year``. [$ of ``to_year``]

    Parameters
    ----------
    usd : float, numpy.ndarray or pandas.Series
        Amounts in dollars of ``from_year`` (any multiple: $, M$). [$]
    from_year, to_year : int
        The year the amounts are in, and the year to restate them in.
    index : pandas.DataFrame
        Annual index with columns ``year`` and ``cpi_u_annual_avg``.

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        ``usd × I(to_year) / I(from_year)``, of the type and shape of ``usd``; NaN stays NaN.

    Raises
    ------
    DataError
        A year is not in the table.

    Examples
    --------
    10 M$ of 2019 in 2024 dollars at CPI-U 255.657 (2019) and 313.689 (2024):

    >>> cpi = pd.DataFrame({"year": [2019, 2024], "cpi_u_annual_avg": [255.657, 313.689]})
    >>> round(escalate(10.0, 2019, 2024, cpi), 3)
    12.27
    """
    return usd * escalation_factor(from_year, to_year, index)


def _years_text(years) -> str:
    """Years as runs, e.g. ``2015–2019, 2021``."""
    values = sorted({int(y) for y in years})
    if not values:
        return "no year"
    runs = []
    start = prev = values[0]
    for year in values[1:]:
        if year != prev + 1:
            runs.append((start, prev))
            start = year
        prev = year
    runs.append((start, prev))
    return ", ".join(f"{a}–{b}" if b != a else f"{a}" for a, b in runs)
