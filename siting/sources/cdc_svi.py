"""CDC/ATSDR Social Vulnerability Index (SVI), 2018, 2020 and 2022 editions.

County and tract files share one schema; the file's level follows from the width of its
``FIPS`` codes (4–5 digits: counties, 10–11 digits: tracts; spreadsheets drop the leading zero)
and is recorded in ``attrs["level"]``. The percentile ranks ``RPL_*`` are national percentile
ranks in [0, 1]; CDC writes -999 where a value could not be computed: that is NaN here (UNKNOWN),
never zero. Files are read as ``utf-8-sig`` (CDC's CSVs start with a byte-order mark).

>>> SVI_COLUMNS["RPL_THEMES"], SVI_COLUMNS["E_TOTPOP"]
('svi_overall_pct', 'population')

References
----------
Centers for Disease Control and Prevention / Agency for Toxic Substances and Disease Registry /
Geospatial Research, Analysis, and Services Program (2024). CDC/ATSDR Social Vulnerability Index
2022 Database US (also 2020, 2018), with its documentation (public domain).
https://www.atsdr.cdc.gov/place-health/php/svi/svi-data-documentation-download.html
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

#: SVI column → ours. ``*_pct`` are national percentile ranks [0–1]; population in [persons]
#: (ACS 5-year estimate).
SVI_COLUMNS = MappingProxyType(
    {
        "FIPS": "fips",
        "ST_ABBR": "state_abbr",
        "COUNTY": "county",
        "RPL_THEMES": "svi_overall_pct",
        "RPL_THEME1": "svi_socioeconomic_pct",
        "RPL_THEME2": "svi_household_pct",
        "RPL_THEME3": "svi_minority_pct",
        "RPL_THEME4": "svi_housing_transport_pct",
        "E_TOTPOP": "population",
    }
)
#: SVI columns kept as text; ``RPL_*`` are percentile ranks, ``E_TOTPOP`` a count.
TEXT_COLUMNS = ("FIPS", "ST_ABBR", "COUNTY")
#: CDC/ATSDR's code for a value that could not be computed (SVI and EJI alike).
MISSING_CODE = -999.0
#: Digits of the FIPS codes of each level: as published, and zero-padded.
FIPS_DIGITS = MappingProxyType({"county": ((4, 5), 5), "tract": ((10, 11), 11)})
HINT = "Is this a CDC/ATSDR SVI file (SVI_2022_US_county.csv or SVI_2022_US.csv)?"


def read_svi(path: str | Path) -> pd.DataFrame:
    """Read a CDC/ATSDR SVI table (county or tract level; 2018, 2020 or 2022 edition).

    Parameters
    ----------
    path : str or pathlib.Path
        The SVI CSV as published (e.g. ``SVI_2022_US_county.csv``).

    Returns
    -------
    pandas.DataFrame
        One row per county or tract in file order: ``fips`` (5-digit text for counties,
        11-digit for tracts), ``state_abbr``, ``county``, the percentile ranks
        ``svi_overall_pct``, ``svi_socioeconomic_pct``, ``svi_household_pct``,
        ``svi_minority_pct``, ``svi_housing_transport_pct`` [0–1] and ``population``
        [persons] (float), -999 as NaN. ``attrs["level"]`` is ``"county"`` or ``"tract"``.

    Raises
    ------
    DataFileNotFound, DataError
        The file is missing or empty, lacks an SVI column, mixes county and tract codes, holds
        a malformed or repeated FIPS code, non-numeric text, or a percentile rank outside
        [0, 1] that is not -999.

    References
    ----------
    CDC/ATSDR/GRASP (2024). CDC/ATSDR Social Vulnerability Index 2022 Database US.
    https://www.atsdr.cdc.gov/place-health/php/svi/svi-data-documentation-download.html
    """
    table = read_csv_text(path, encoding="utf-8-sig")
    return svi_from_frame(table, what=str(path))


def svi_from_frame(table: pd.DataFrame, *, what: str) -> pd.DataFrame:
    """Our columns from an SVI table of text (see :func:`read_svi`)."""
    require_columns(table, SVI_COLUMNS, what=what, hint=HINT)
    if table.empty:
        raise DataError(f"{what}: no rows below the header. {HINT}")
    level = fips_level(table["FIPS"], what=what)
    fips = fips_codes(table["FIPS"], width=FIPS_DIGITS[level][1], what=what, column="FIPS")
    unique_codes(fips, what=what, column="FIPS")
    out = {}
    for theirs, ours in SVI_COLUMNS.items():
        if theirs == "FIPS":
            out[ours] = fips
        elif theirs in TEXT_COLUMNS:
            out[ours] = table[theirs].str.strip()
        elif theirs.startswith("RPL_"):
            out[ours] = percentile_ranks(table[theirs], what=what, column=theirs)
        else:
            out[ours] = unknown_as_nan(table[theirs], what=what, column=theirs)
    frame = pd.DataFrame(out, index=table.index).reset_index(drop=True)
    frame.attrs["level"] = level
    return frame


def fips_level(values: pd.Series, *, what: str) -> str:
    """``"county"`` or ``"tract"`` from the number of digits of the FIPS codes as written.

    >>> fips_level(pd.Series(["1001", "18097"]), what="x")
    'county'
    >>> fips_level(pd.Series(["1001020100", "18097351700.0"]), what="x")
    'tract'
    """
    digits = values.astype("string").str.strip().str.replace(r"\.0+$", "", regex=True).str.len()
    widths = set(digits.dropna().astype(int))
    for level, (published, _) in FIPS_DIGITS.items():
        if widths and widths <= set(published):
            return level
    raise DataError(
        f"{what}: column 'FIPS' holds codes of {sorted(widths)} digits; expected 4–5 (counties) "
        "or 10–11 (tracts), not a mix"
    )


def unknown_as_nan(values: pd.Series, *, what: str, column: str) -> pd.Series:
    """Numbers with CDC/ATSDR's -999 as NaN (UNKNOWN); other text is an error.

    >>> unknown_as_nan(pd.Series(["58761", "-999", ""]), what="x", column="E_TOTPOP").tolist()
    [58761.0, nan, nan]
    """
    number = numbers(values, what=what, column=column)
    return number.mask(number == MISSING_CODE)


def percentile_ranks(values: pd.Series, *, what: str, column: str) -> pd.Series:
    """Percentile ranks in [0, 1] with -999 as NaN; any other value outside [0, 1] is an error.

    >>> percentile_ranks(pd.Series(["0.2663", "-999", "1"]), what="x", column="RPL_THEMES").tolist()
    [0.2663, nan, 1.0]
    """
    rank = unknown_as_nan(values, what=what, column=column)
    outside = (rank < 0) | (rank > 1)
    if outside.any():
        found = sorted(rank[outside].unique().tolist())[:5]
        raise DataError(
            f"{what}: column {column!r} holds {found}; expected percentile ranks in [0, 1] or "
            "-999 (missing)"
        )
    return rank
