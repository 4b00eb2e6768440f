"""The Washington Post "2°C: Beyond the limit" county warming, from NOAA nClimDiv, 1895–2019.

One row per contiguous-U.S. county (the Post's ``data/processed/model_county.csv``) with the
change in mean temperature 1895–2019 estimated from a linear trend, by season (winter = Dec–Feb)
and for the year [°C] (:data:`WARMING_COLUMNS`), and the season warming fastest. The Post's
file is Latin-1 (e.g. "Doña Ana County"); a UTF-8 copy reads the same.

>>> WARMING_COLUMNS["Winter"]
'warming_winter_degc'

References
----------
The Washington Post (2019). 2°C: Beyond the limit. Analysis of NOAA nClimDiv county
temperature data, 1895–2019 (CC BY 4.0, credit The Washington Post).
https://github.com/washingtonpost/data-2C-beyond-the-limit-usa ; NOAA NCEI, nClimDiv,
doi:10.7289/V5M32STR
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

#: Post column → ours; temperature changes 1895–2019 in [°C].
WARMING_COLUMNS = MappingProxyType(
    {
        "fips": "fips",
        "CTYNAME": "county",
        "STNAME": "state_name",
        "Winter": "warming_winter_degc",
        "Spring": "warming_spring_degc",
        "Summer": "warming_summer_degc",
        "Fall": "warming_fall_degc",
        "Annual": "warming_annual_degc",
        "max_warming_season": "max_warming_season",
    }
)
#: The Post's season names, the values of ``max_warming_season``.
SEASONS = ("Winter", "Spring", "Summer", "Fall")
HINT = "Is this the Washington Post nClimDiv county warming file?"


def read_county_warming(path: str | Path) -> pd.DataFrame:
    """Read the Washington Post county warming table (UTF-8, or Latin-1 as published).

    The text is decoded as UTF-8 and, if that fails, as Latin-1.

    Parameters
    ----------
    path : str or pathlib.Path
        CSV with the Post's columns ``fips, Fall, Spring, Summer, Winter, max_warming_season,
        Annual, CTYNAME, STNAME``.

    Returns
    -------
    pandas.DataFrame
        One row per county in file order: ``fips`` (5-digit text), ``county``, ``state_name``,
        ``warming_{winter,spring,summer,fall,annual}_degc`` [°C of change 1895–2019],
        ``max_warming_season`` (one of :data:`SEASONS`).

    Raises
    ------
    DataFileNotFound, DataError
        The file is missing or empty, lacks a column, holds non-numeric text, a malformed or
        repeated FIPS code, or an unknown season.

    References
    ----------
    The Washington Post (2019). 2°C: Beyond the limit, county data from NOAA nClimDiv.
    https://github.com/washingtonpost/data-2C-beyond-the-limit-usa
    """
    try:
        table = read_csv_text(path, encoding="utf-8-sig")
    except DataError:
        table = read_csv_text(path, encoding="latin-1")
    return _warming_from_frame(table, what=str(path))


def _warming_from_frame(table: pd.DataFrame, *, what: str) -> pd.DataFrame:
    """Our columns from the Post's table of text (see :func:`read_county_warming`)."""
    require_columns(table, WARMING_COLUMNS, what=what, hint=HINT)
    if table.empty:
        raise DataError(f"{what}: no counties below the header. {HINT}")
    out = table[list(WARMING_COLUMNS)].rename(columns=dict(WARMING_COLUMNS))
    out["fips"] = fips_codes(table["fips"], width=5, what=what, column="fips")
    unique_codes(out["fips"], what=what, column="fips")
    for season in (*SEASONS, "Annual"):
        out[WARMING_COLUMNS[season]] = numbers(table[season], what=what, column=season)
    season = table["max_warming_season"].str.strip()
    unknown = season.notna() & ~season.isin(SEASONS)
    if unknown.any():
        raise DataError(
            f"{what}: column 'max_warming_season' holds {sorted(season[unknown].unique())[:5]}; "
            f"expected one of {list(SEASONS)}"
        )
    out["max_warming_season"] = season
    return out.reset_index(drop=True)
