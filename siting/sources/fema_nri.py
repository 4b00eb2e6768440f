"""FEMA National Risk Index (NRI), county table (``NRI_Table_Counties.csv``).

Renames NRI's columns to ours in one place (:data:`NRI_COLUMNS`). NRI publishes its scores on
0–100 (``*_SCORE``, the hazard type risk index scores ``*_RISKS``) and its national and state
percentiles on 0–100 as well (``RISK_NPCTL``, ``RISK_SPCTL``; NRI 1.19 dropped the national
one): scores are kept on 0–100 as published, percentiles become 0–1 (``*_pct``). Expected
annual loss is in US dollars per year.

NRI leaves a score blank where it has none (a hazard that does not apply, insufficient data):
NaN here, UNKNOWN, never zero. The composite rating is kept as NRI's text on its five-level
scale; NRI's "no rating" words (:data:`UNRATED`) become NaN. A column that is not in the file
(a hazard, the national percentile) is NaN throughout.

>>> NRI_COLUMNS["RISK_SCORE"], NRI_COLUMNS["HWAV_RISKS"]
('nri_risk_score', 'nri_heat_wave_risk_score')

References
----------
Zuzak, C., Mowrer, M., Goodenough, E., Burns, J., Ranalli, N., and Rozelle, J. (2023). The
National Risk Index: establishing a nationwide baseline for natural hazard risk in the US.
Natural Hazards 114, 2331–2355. doi:10.1007/s11069-022-05474-w

Federal Emergency Management Agency (2023). National Risk Index, county data (v1.19.0) and its
data dictionary and technical documentation (public domain).
https://hazards.fema.gov/nri/data-resources
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

#: NRI hazard prefix → our hazard name (18 hazards; ``IFLD`` inland flooding replaced
#: ``RFLD`` riverine flooding in later NRI versions: both are read where present).
HAZARDS = MappingProxyType(
    {
        "AVLN": "avalanche",
        "CFLD": "coastal_flood",
        "CWAV": "cold_wave",
        "DRGT": "drought",
        "ERQK": "earthquake",
        "HAIL": "hail",
        "HWAV": "heat_wave",
        "HRCN": "hurricane",
        "ISTM": "ice_storm",
        "IFLD": "inland_flood",
        "LNDS": "landslide",
        "LTNG": "lightning",
        "RFLD": "riverine_flood",
        "SWND": "strong_wind",
        "TRND": "tornado",
        "TSUN": "tsunami",
        "VLCN": "volcanic_activity",
        "WFIR": "wildfire",
        "WNTW": "winter_weather",
    }
)
#: NRI column → ours. Scores on NRI's 0–100 scale; ``*_pct`` are percentiles [0–1];
#: population in [persons] (2020); expected annual loss in [USD/yr].
NRI_COLUMNS = MappingProxyType(
    {
        "STCOFIPS": "fips",
        "STATEABBRV": "state_abbr",
        "COUNTY": "county",
        "POPULATION": "population",
        "RISK_SCORE": "nri_risk_score",
        "RISK_RATNG": "nri_risk_rating",
        "RISK_NPCTL": "nri_risk_national_pct",
        "RISK_SPCTL": "nri_risk_state_pct",
        "EAL_SCORE": "nri_eal_score",
        "EAL_NPCTL": "nri_eal_national_pct",
        "EAL_SPCTL": "nri_eal_state_pct",
        "EAL_VALT": "nri_expected_annual_loss_usd",
        "SOVI_SCORE": "nri_social_vulnerability_score",
        "RESL_SCORE": "nri_community_resilience_score",
        **{f"{code}_RISKS": f"nri_{name}_risk_score" for code, name in HAZARDS.items()},
    }
)
TEXT_COLUMNS = ("STCOFIPS", "STATEABBRV", "COUNTY")
#: Columns on NRI's 0–100 scale that are percentiles: divided by 100.
PERCENTILE_COLUMNS = ("RISK_NPCTL", "RISK_SPCTL", "EAL_NPCTL", "EAL_SPCTL")
#: Columns read where present (NaN otherwise): the national percentile and the hazards.
OPTIONAL_COLUMNS = (
    "RISK_NPCTL",
    "EAL_SCORE",
    "EAL_NPCTL",
    "EAL_SPCTL",
    *(f"{code}_RISKS" for code in HAZARDS),
)
#: NRI's qualitative ratings, lowest to highest.
RATINGS = ("Very Low", "Relatively Low", "Relatively Moderate", "Relatively High", "Very High")
#: NRI's words for "not rated" (no risk to rate, no data): NaN (UNKNOWN) here.
UNRATED = ("No Rating", "Not Applicable", "Insufficient Data", "No Expected Annual Losses")
HINT = "Is this a FEMA National Risk Index county table (NRI_Table_Counties.csv)?"


def read_nri_counties(path: str | Path) -> pd.DataFrame:
    """Read the FEMA National Risk Index county table (CSV).

    Parameters
    ----------
    path : str or pathlib.Path
        ``NRI_Table_Counties.csv`` as published (or a subset of its columns holding at least
        the required ones).

    Returns
    -------
    pandas.DataFrame
        One row per county in file order: ``fips`` (5-digit text), ``state_abbr``, ``county``,
        ``population`` [persons], ``nri_risk_score`` [0–100], ``nri_risk_rating`` (NRI's text,
        NaN if not rated), ``nri_risk_national_pct``, ``nri_risk_state_pct`` [0–1],
        ``nri_eal_score`` [0–100], ``nri_eal_national_pct``, ``nri_eal_state_pct`` [0–1],
        ``nri_expected_annual_loss_usd`` [USD/yr], ``nri_social_vulnerability_score``,
        ``nri_community_resilience_score`` [0–100] and ``nri_<hazard>_risk_score`` [0–100]
        for the hazards of :data:`HAZARDS`; blanks and absent columns as NaN.

    Raises
    ------
    DataFileNotFound, DataError
        The file is missing or empty, is the census-tract table, lacks an NRI column, holds a
        malformed or repeated FIPS code, non-numeric text, a score or percentile outside
        0–100, a negative loss or population, or a rating NRI does not use.

    References
    ----------
    FEMA (2023). National Risk Index, county data and data dictionary.
    https://hazards.fema.gov/nri/data-resources
    """
    table = read_csv_text(path, encoding="utf-8-sig")
    return nri_from_frame(table, what=str(path))


def nri_from_frame(table: pd.DataFrame, *, what: str) -> pd.DataFrame:
    """Our columns from an NRI county table of text (see :func:`read_nri_counties`)."""
    if "TRACTFIPS" in table.columns:
        raise DataError(f"{what}: has 'TRACTFIPS': this is the NRI census-tract table. {HINT}")
    required = [c for c in NRI_COLUMNS if c not in OPTIONAL_COLUMNS]
    require_columns(table, required, what=what, hint=HINT)
    if table.empty:
        raise DataError(f"{what}: no counties below the header. {HINT}")
    fips = fips_codes(table["STCOFIPS"], width=5, what=what, column="STCOFIPS")
    unique_codes(fips, what=what, column="STCOFIPS")
    out = {}
    for theirs, ours in NRI_COLUMNS.items():
        if theirs == "STCOFIPS":
            out[ours] = fips
        elif theirs in TEXT_COLUMNS:
            out[ours] = table[theirs].str.strip()
        elif theirs == "RISK_RATNG":
            out[ours] = ratings(table[theirs], what=what, column=theirs)
        elif theirs not in table.columns:
            out[ours] = np.nan
        elif theirs in ("POPULATION", "EAL_VALT"):
            out[ours] = _at_least_zero(table[theirs], what=what, column=theirs)
        else:
            scale = 100.0 if theirs in PERCENTILE_COLUMNS else 1.0
            out[ours] = scores_0_100(table[theirs], what=what, column=theirs) / scale
    return pd.DataFrame(out, index=table.index).reset_index(drop=True)


def scores_0_100(values: pd.Series, *, what: str, column: str) -> pd.Series:
    """NRI scores or percentiles on 0–100; blanks are NaN, values outside 0–100 an error.

    >>> scores_0_100(pd.Series(["9.28", "", "100"]), what="x", column="RISK_SCORE").tolist()
    [9.28, nan, 100.0]
    """
    score = numbers(values, what=what, column=column)
    outside = (score < 0) | (score > 100)
    if outside.any():
        found = sorted(score[outside].unique().tolist())[:5]
        raise DataError(f"{what}: column {column!r} holds {found}; expected NRI values on 0–100")
    return score


def ratings(values: pd.Series, *, what: str, column: str) -> pd.Series:
    """NRI's rating text on its five-level scale; "no rating" words and blanks are NaN.

    >>> ratings(pd.Series(["Very High", "Insufficient Data", None]), what="x", column="R").tolist()
    ['Very High', nan, nan]
    """
    text = values.str.strip()
    unknown = sorted(set(text.dropna()) - set(RATINGS) - set(UNRATED))
    if unknown:
        raise DataError(
            f"{what}: column {column!r} holds ratings {unknown[:5]}; expected one of "
            f"{list(RATINGS)} or {list(UNRATED)}"
        )
    return text.where(text.isin(RATINGS))


def _at_least_zero(values: pd.Series, *, what: str, column: str) -> pd.Series:
    """Numbers ≥ 0 (counts, dollars); blanks are NaN, negatives an error."""
    number = numbers(values, what=what, column=column)
    negative = sorted(number[number < 0].tolist())[:5]
    if negative:
        raise DataError(f"{what}: column {column!r} holds negative values {negative}; expected ≥ 0")
    return number
