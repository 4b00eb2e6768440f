"""EPA EJScreen environmental indicators, official CSV (``EJSCREEN_<year>_USPR.csv`` and the
tract files ``EJSCREEN_<year>_Tracts_*.csv``).

``ID`` is the 12-digit block group (the national files) or 11-digit tract code, written as a
number (leading zero restored); the level is recorded in ``attrs["level"]``. The raw values keep
EJScreen's units (:data:`EJSCREEN_COLUMNS`); the ``P_*`` national percentiles are published as
0–100 and returned as [0–1]. EJScreen writes ``None`` or a blank where a value is missing: NaN
here (UNKNOWN), never zero.

>>> EJSCREEN_COLUMNS["PM25"], EJSCREEN_COLUMNS["P_PTRAF"]
('pm25_ugm3', 'traffic_proximity_pct_us')

References
----------
U.S. EPA (2020–2024). EJScreen: Environmental Justice Screening and Mapping Tool, technical
documentation and data downloads (public domain).
https://www.epa.gov/ejscreen/technical-information-and-data-downloads
"""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

import pandas as pd

from siting.errors import DataError
from siting.sources.files import fips_codes, numbers, read_csv_text, require_columns, unique_codes

#: EJScreen column → ours. PM2.5 annual mean [µg/m³]; ozone summer mean of the daily maximum
#: 8-hour concentration [ppb]; diesel PM [µg/m³]; air-toxics lifetime cancer risk [per
#: million]; respiratory hazard index [ratio]; traffic proximity [daily vehicles / m]; pre-1960
#: housing [share 0–1]; proximity to NPL, RMP and TSDF sites [count / km]; wastewater discharge
#: [toxicity-weighted concentration / m]; population [persons]; ``*_pct_us`` [0–1].
EJSCREEN_COLUMNS = MappingProxyType(
    {
        "ID": "geoid",
        "ACSTOTPOP": "population",
        "PM25": "pm25_ugm3",
        "OZONE": "ozone_ppb",
        "DSLPM": "diesel_pm_ugm3",
        "CANCER": "cancer_risk_per_million",
        "RESP": "resp_hazard_index",
        "PTRAF": "traffic_proximity",
        "PRE1960PCT": "lead_paint_frac",
        "PNPL": "npl_proximity",
        "PRMP": "rmp_proximity",
        "PTSDF": "tsdf_proximity",
        "PWDIS": "wastewater_discharge",
        "P_PM25": "pm25_pct_us",
        "P_OZONE": "ozone_pct_us",
        "P_DSLPM": "diesel_pm_pct_us",
        "P_CANCR": "cancer_risk_pct_us",
        "P_RESP": "resp_hazard_pct_us",
        "P_PTRAF": "traffic_proximity_pct_us",
        "P_LDPNT": "lead_paint_pct_us",
        "P_PNPL": "npl_proximity_pct_us",
        "P_PRMP": "rmp_proximity_pct_us",
        "P_PTSDF": "tsdf_proximity_pct_us",
        "P_PWDIS": "wastewater_discharge_pct_us",
    }
)
#: Digits of ``ID`` by level.
ID_DIGITS = MappingProxyType({"tract": (10, 11), "block_group": (11, 12)})
HINT = "Is this an EPA EJScreen CSV (EJSCREEN_2020_USPR.csv or EJSCREEN_<year>_Tracts_*.csv)?"


def read_ejscreen(path: str | Path) -> pd.DataFrame:
    """Read an EPA EJScreen CSV (block groups or tracts).

    Parameters
    ----------
    path : str or pathlib.Path
        The EJScreen CSV as published.

    Returns
    -------
    pandas.DataFrame
        One row per block group or tract in file order: ``geoid`` (12- or 11-digit text) and
        the columns of :data:`EJSCREEN_COLUMNS`; ``attrs["level"]`` is ``"block_group"`` or
        ``"tract"``.

    Raises
    ------
    DataFileNotFound, DataError
        The file is missing or empty, lacks a column, mixes levels, holds a malformed or
        repeated ID, non-numeric text, or a percentile outside [0, 100].
    """
    table = read_csv_text(path, encoding="utf-8-sig", usecols=lambda c: c in EJSCREEN_COLUMNS)
    return ejscreen_from_frame(table, what=str(path))


def ejscreen_from_frame(table: pd.DataFrame, *, what: str) -> pd.DataFrame:
    """Our columns from an EJScreen table of text (see :func:`read_ejscreen`)."""
    require_columns(table, EJSCREEN_COLUMNS, what=what, hint=HINT)
    if table.empty:
        raise DataError(f"{what}: no rows below the header. {HINT}")
    level = _level(table["ID"], what=what)
    geoid = fips_codes(table["ID"], width=ID_DIGITS[level][1], what=what, column="ID")
    unique_codes(geoid, what=what, column="ID")
    out = {"geoid": geoid}
    for theirs, ours in list(EJSCREEN_COLUMNS.items())[1:]:
        number = numbers(table[theirs], what=what, column=theirs)
        if theirs.startswith("P_"):
            if ((number < 0) | (number > 100)).any():
                raise DataError(
                    f"{what}: column {theirs!r} holds values outside [0, 100]; expected "
                    "EJScreen national percentiles"
                )
            number = number / 100.0
        out[ours] = number
    frame = pd.DataFrame(out, index=table.index).reset_index(drop=True)
    frame.attrs["level"] = level
    return frame


def _level(values: pd.Series, *, what: str) -> str:
    digits = values.astype("string").str.strip().str.replace(r"\.0+$", "", regex=True).str.len()
    widths = set(digits.dropna().astype(int))
    for level in ("block_group", "tract"):
        if widths and widths <= set(ID_DIGITS[level]) and max(widths) == ID_DIGITS[level][1]:
            return level
    raise DataError(
        f"{what}: column 'ID' holds codes of {sorted(widths)} digits; expected 12 (block "
        "groups) or 11 (tracts), not a mix"
    )
