"""The bundle's two tract community tables: 2020 tracts (deprivation index, poverty, income) and
2010 tracts (CDC SVI 2018, EPA EJScreen 2020 environmental values).

* :func:`read_tract2020`: ``tract2020_eji2024_depindex2023_ice_*.csv``, keyed by
  ``census_tract_id_2020``: the Brokamp deprivation index 2023 (ACS 2019–2023) with its
  poverty fraction and median household income, beside CDC EJI 2024 indicators and the ICE.
* :func:`read_tract2010`: ``tract2010_svi2018_ejscreen2020_cre2019_*.csv``, keyed by
  ``census_tract_id_2010``: CDC SVI 2018 percentile ranks and EPA EJScreen 2020 raw values.

Both are compiled by geomarker.io from the providers' files and keep the providers' units
(:data:`TRACT2020_COLUMNS`, :data:`TRACT2010_COLUMNS`). The GEOIDs are written as numbers, so
states 01–09 lose their leading zero: it is restored to 11-digit text. -999 (CDC's missing code)
and blanks are NaN (UNKNOWN), never zero.

>>> TRACT2010_COLUMNS["ejscreen2020_pm_conc"], TRACT2020_COLUMNS["dep_index_fraction_poverty"]
('pm25_ugm3', 'poverty_frac')

References
----------
Brokamp, C., Beck, A. F., Goyal, N. K., Ryan, P., Greenberg, J. M. and Hall, E. S. (2019).
Material community deprivation and hospital utilization during the first year of life: an urban
population-based cohort study. Annals of Epidemiology 30, 37–43.
doi:10.1016/j.annepidem.2018.11.008 (deprivation index; 2023 vintage at
https://geomarker.io/dep_index)

CDC/ATSDR/GRASP (2020). CDC/ATSDR Social Vulnerability Index 2018 Database US (public domain).
https://www.atsdr.cdc.gov/place-health/php/svi/svi-data-documentation-download.html

U.S. EPA (2020). EJSCREEN Technical Documentation, version 2020 (public domain).
https://www.epa.gov/ejscreen/technical-information-and-data-downloads
"""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

import pandas as pd

from siting.errors import DataError
from siting.sources.cdc_svi import percentile_ranks, unknown_as_nan
from siting.sources.files import fips_codes, read_csv_text, require_columns, unique_codes

#: 2020-tract table column → ours: deprivation index [0–1, higher = more deprived], share of
#: people below the poverty line [0–1], median household income [US$, ACS 2019–2023].
TRACT2020_COLUMNS = MappingProxyType(
    {
        "census_tract_id_2020": "geoid",
        "dep_index": "dep_index",
        "dep_index_fraction_poverty": "poverty_frac",
        "dep_index_median_income": "median_income_usd",
    }
)
#: 2010-tract table column → ours. SVI 2018 ``RPL_THEMES`` [national percentile 0–1]; EJScreen
#: 2020: PM2.5 annual mean [µg/m³], ozone summer mean of the daily maximum 8-hour
#: concentration [ppb], diesel PM [µg/m³], air-toxics lifetime cancer risk [per million],
#: traffic proximity [daily vehicles at major roads within 500 m / distance in m], proximity to
#: NPL, RMP and TSDF sites [count / km], wastewater discharge [toxicity-weighted
#: concentration / m].
TRACT2010_COLUMNS = MappingProxyType(
    {
        "census_tract_id_2010": "geoid",
        "svi2018": "svi2018_pct_us",
        "ejscreen2020_pm_conc": "pm25_ugm3",
        "ejscreen2020_ozone_conc": "ozone_ppb",
        "ejscreen2020_diesel_pm": "diesel_pm_ugm3",
        "ejscreen2020_cancer_risk": "cancer_risk_per_million",
        "ejscreen2020_traffic_proximity": "traffic_proximity",
        "ejscreen2020_nat_priority_proximity": "npl_proximity",
        "ejscreen2020_risk_management_proximity": "rmp_proximity",
        "ejscreen2020_disposal_proximity": "tsdf_proximity",
        "ejscreen2020_major_discharger_water": "wastewater_discharge",
    }
)
#: Our columns that are shares or indices bounded to [0, 1].
UNIT_INTERVAL = ("dep_index", "poverty_frac")
HINT_2020 = "Is this a tract2020_eji2024_depindex2023_ice table?"
HINT_2010 = "Is this a tract2010_svi2018_ejscreen2020_cre2019 table?"


def read_tract2020(path: str | Path) -> pd.DataFrame:
    """Read the 2020-tract deprivation-index table (regional ``.csv`` or national ``.csv.gz``).

    Parameters
    ----------
    path : str or pathlib.Path
        ``tract2020_eji2024_depindex2023_ice_<region>.csv[.gz]``.

    Returns
    -------
    pandas.DataFrame
        One row per 2020 tract in file order: ``geoid`` (11-digit text), ``dep_index`` [0–1],
        ``poverty_frac`` [0–1], ``median_income_usd`` [US$]; -999 and blanks as NaN.

    Raises
    ------
    DataFileNotFound, DataError
        The file is missing or empty, lacks a column, holds a malformed or repeated GEOID,
        non-numeric text, or a share outside [0, 1].
    """
    table = read_csv_text(path, usecols=lambda c: c in TRACT2020_COLUMNS)
    return _tract_frame(table, TRACT2020_COLUMNS, what=str(path), hint=HINT_2020)


def read_tract2010(path: str | Path) -> pd.DataFrame:
    """Read the 2010-tract SVI 2018 and EJScreen 2020 table (regional or national).

    Parameters
    ----------
    path : str or pathlib.Path
        ``tract2010_svi2018_ejscreen2020_cre2019_<region>.csv[.gz]``.

    Returns
    -------
    pandas.DataFrame
        One row per 2010 tract in file order: ``geoid`` (11-digit text) and the columns of
        :data:`TRACT2010_COLUMNS` in their units; -999 and blanks as NaN.

    Raises
    ------
    DataFileNotFound, DataError
        The file is missing or empty, lacks a column, holds a malformed or repeated GEOID,
        non-numeric text, or an SVI percentile rank outside [0, 1].
    """
    table = read_csv_text(path, usecols=lambda c: c in TRACT2010_COLUMNS)
    return _tract_frame(table, TRACT2010_COLUMNS, what=str(path), hint=HINT_2010)


def _tract_frame(
    table: pd.DataFrame, columns: MappingProxyType, *, what: str, hint: str
) -> pd.DataFrame:
    """Our columns from a tract table of text, checked."""
    require_columns(table, columns, what=what, hint=hint)
    if table.empty:
        raise DataError(f"{what}: no tracts below the header. {hint}")
    key = next(iter(columns))
    out = {"geoid": fips_codes(table[key], width=11, what=what, column=key)}
    unique_codes(out["geoid"], what=what, column=key)
    for theirs, ours in list(columns.items())[1:]:
        if ours.endswith("_pct_us"):
            out[ours] = percentile_ranks(table[theirs], what=what, column=theirs)
        else:
            out[ours] = unknown_as_nan(table[theirs], what=what, column=theirs)
        if ours in UNIT_INTERVAL:
            _check_unit_interval(out[ours], what=what, column=theirs)
    return pd.DataFrame(out, index=table.index).reset_index(drop=True)


def _check_unit_interval(values: pd.Series, *, what: str, column: str) -> None:
    outside = (values < 0) | (values > 1)
    if outside.any():
        raise DataError(
            f"{what}: column {column!r} holds {sorted(values[outside].unique().tolist())[:5]}; "
            "expected a share or index in [0, 1] (or -999 / blank for missing)"
        )
