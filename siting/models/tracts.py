"""Tract community data: 2010 tracts joined to 2020 tracts, percentile ranks, CEJST-style flag.

Pure functions on frames (docs/methods.md §6.1). :func:`tract_indicators` assembles the table
per-site models read: one row per 2020 tract with the columns of :data:`INDICATOR_COLUMNS`.

References
----------
U.S. Census Bureau (2021). 2020 Census Tract to 2010 Census Tract Relationship File.
https://www.census.gov/geographies/reference-files/time-series/geo/relationship-files.2020.html

U.S. Census Bureau (2019). Geographic Areas Reference Manual, chapter 10 "Census Tracts"
(tract numbering: a 4-digit basic number and a 2-digit suffix; a split tract keeps its basic
number and takes new suffixes). https://www.census.gov/programs-surveys/geography/guidance/geo-areas/tracts.html

Council on Environmental Quality (2022). Climate and Economic Justice Screening Tool 1.0,
technical support document (low income ≥ 65th percentile and a burden ≥ 90th percentile).
https://screeningtool.geoplatform.gov/en/methodology
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Join methods, in the order reported.
JOIN_METHODS = ("identity", "lineage", "area", "none")
#: Characters of a tract GEOID up to the end of the basic number (state 2, county 3, basic 4).
BASIC_NUMBER_END = 9
#: CEJST 1.0 thresholds: low-income national percentile, burden national percentile [0–1].
LOW_INCOME_MIN_PCT = 0.65
BURDEN_MIN_PCT = 0.90
#: The columns of the run's tract table, in order (per-site models depend on them).
INDICATOR_COLUMNS = (
    "svi2018_pct_us",
    "svi2018_pct_state",
    "dep_index",
    "dep_index_pct_us",
    "dep_index_pct_state",
    "poverty_frac",
    "poverty_pct_us",
    "median_income_usd",
    "pm25_ugm3",
    "pm25_pct_us",
    "pm25_pct_state",
    "diesel_pm_ugm3",
    "diesel_pm_pct_us",
    "diesel_pm_pct_state",
    "cancer_risk_per_million",
    "cancer_risk_pct_us",
    "cancer_risk_pct_state",
    "ozone_ppb",
    "ozone_pct_us",
    "traffic_proximity",
    "traffic_proximity_pct_us",
    "cejst_style_disadvantaged",
    "cejst_source",
    "tract_join",
)
#: 2010-tract values ranked nationally (``*_pct_us``) and, where listed, within the state.
RANKED_2010: dict[str, tuple[str, bool]] = {
    "pm25_ugm3": ("pm25", True),
    "diesel_pm_ugm3": ("diesel_pm", True),
    "cancer_risk_per_million": ("cancer_risk", True),
    "ozone_ppb": ("ozone", False),
    "traffic_proximity": ("traffic_proximity", False),
    "npl_proximity": ("npl_proximity", False),
    "rmp_proximity": ("rmp_proximity", False),
    "tsdf_proximity": ("tsdf_proximity", False),
    "wastewater_discharge": ("wastewater_discharge", False),
}
#: The CEJST 1.0 burdens the bundle's EJScreen 2020 values stand for (national percentiles).
CEJST_BURDENS = (
    "pm25_pct_us",
    "diesel_pm_pct_us",
    "traffic_proximity_pct_us",
    "npl_proximity_pct_us",
    "rmp_proximity_pct_us",
    "tsdf_proximity_pct_us",
    "wastewater_discharge_pct_us",
)


def percentile_ranks(values: pd.Series, group: pd.Series | None = None) -> pd.Series:
    """Percentile rank of each value: the share of tracts with a value ≤ it. [0–1]

    Within ``group`` (e.g. the state of each tract) or over all tracts; NaN stays NaN and is
    not counted (pandas ``rank(pct=True, method="max")``).

    >>> percentile_ranks(pd.Series([3.0, 1.0, 3.0, np.nan])).tolist()
    [1.0, 0.3333333333333333, 1.0, nan]
    >>> percentile_ranks(pd.Series([1.0, 2.0, 5.0]), pd.Series(["a", "a", "b"])).tolist()
    [0.5, 1.0, 1.0]
    """
    if group is None:
        return values.rank(pct=True, method="max")
    return values.groupby(group.to_numpy()).rank(pct=True, method="max")


def join_2010_to_2020(
    values_2010: pd.DataFrame, geoids_2020: pd.Index, relationship: pd.DataFrame | None = None
) -> pd.DataFrame:
    """2010-tract values on 2020 tracts, by land area where a relationship file is given,
    else by tract lineage.

    Parameters
    ----------
    values_2010 : pandas.DataFrame
        Numeric columns indexed by 11-digit 2010 GEOID.
    geoids_2020 : pandas.Index
        The 2020 tracts wanted (11-digit GEOIDs).
    relationship : pandas.DataFrame, optional
        The Census relationship file (``geoid_2020``, ``geoid_2010``, ``arealand_part_m2``
        [m²]): each 2020 tract gets the mean of its 2010 parts weighted by their land area
        (parts with a NaN value left out; equal weights for a tract with no land).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``geoids_2020``: the columns of ``values_2010`` and ``tract_join``
        (``"identity"``: same GEOID; ``"lineage"``: the 2010 tract(s) sharing its basic
        number, their mean if several; ``"area"``; ``"none"``: NaN values).
        ``attrs["join_counts"]`` counts each method and ``"joined"`` / ``"tracts"``.
    """
    wanted = pd.Index(geoids_2020, name="geoid")
    if relationship is not None:
        out, method = _area_join(values_2010, wanted, relationship)
    else:
        out, method = _lineage_join(values_2010, wanted)
    out = out.assign(tract_join=method)
    counts = {m: int((method == m).sum()) for m in JOIN_METHODS}
    counts |= {"joined": len(wanted) - counts["none"], "tracts": len(wanted)}
    out.attrs["join_counts"] = counts
    return out


def join_summary(counts: dict[str, int]) -> str:
    """One sentence of join counts for the run's log and report.

    >>> join_summary({"identity": 5, "lineage": 2, "area": 0, "none": 1, "joined": 7,
    ...               "tracts": 8})
    '7 of 8 2020 tracts joined to 2010 tracts: 5 identity, 2 lineage, 0 area, 1 none'
    """
    parts = ", ".join(f"{counts[m]} {m}" for m in JOIN_METHODS)
    return f"{counts['joined']} of {counts['tracts']} 2020 tracts joined to 2010 tracts: {parts}"


def _lineage_join(values: pd.DataFrame, wanted: pd.Index) -> tuple[pd.DataFrame, pd.Series]:
    same = wanted.isin(values.index)
    basic = pd.Series(values.index.str[:BASIC_NUMBER_END], index=values.index)
    by_basic = values.groupby(basic.to_numpy()).mean()
    out = values.reindex(wanted)
    lineage = ~same & wanted.str[:BASIC_NUMBER_END].isin(by_basic.index)
    out.loc[lineage] = by_basic.reindex(wanted[lineage].str[:BASIC_NUMBER_END]).to_numpy()
    method = np.select([same, lineage], ["identity", "lineage"], default="none")
    return out, pd.Series(method, index=wanted)


def _area_join(
    values: pd.DataFrame, wanted: pd.Index, relationship: pd.DataFrame
) -> tuple[pd.DataFrame, pd.Series]:
    parts = relationship[relationship["geoid_2020"].isin(wanted)]
    land = parts["arealand_part_m2"].astype("float64").to_numpy()
    no_land = parts.groupby("geoid_2020")["arealand_part_m2"].transform("sum").to_numpy() <= 0
    weight = pd.Series(np.where(no_land, 1.0, land), index=parts.index)
    part_values = values.reindex(parts["geoid_2010"].to_numpy()).set_axis(parts.index)
    known = part_values.notna().mul(weight, axis=0)
    total = part_values.fillna(0.0).mul(known, axis=0)
    key = parts["geoid_2020"].to_numpy()
    mean = total.groupby(key).sum() / known.groupby(key).sum().replace(0.0, np.nan)
    out = mean.reindex(wanted)
    method = np.where(wanted.isin(parts["geoid_2020"]), "area", "none")
    return out, pd.Series(method, index=wanted)


def cejst_style_flag(
    low_income_pct: pd.Series,
    burden_pcts: pd.DataFrame,
    *,
    low_income_min: float = LOW_INCOME_MIN_PCT,
    burden_min: float = BURDEN_MIN_PCT,
) -> pd.Series:
    """CEJST-style disadvantaged: low income AND at least one burden at or above its threshold.

    Three-valued: 1.0 (yes), 0.0 (no), NaN (UNKNOWN). Not low income is 0 whatever the burdens;
    low income with a burden ≥ ``burden_min`` is 1; low income with no burden that high is NaN
    if some burden is unknown, else 0; unknown low income is NaN.

    Parameters
    ----------
    low_income_pct : pandas.Series
        National percentile of the low-income share. [0–1]
    burden_pcts : pandas.DataFrame
        National percentiles of the environmental burdens, same index. [0–1]
    low_income_min, burden_min : float
        Thresholds. [0–1]

    Returns
    -------
    pandas.Series
        1.0 / 0.0 / NaN, named ``cejst_style_disadvantaged``.

    >>> li = pd.Series([0.9, 0.3, 0.9, 0.9])
    >>> burdens = pd.DataFrame({"pm25": [0.95, 0.99, 0.5, np.nan]})
    >>> cejst_style_flag(li, burdens).tolist()
    [1.0, 0.0, 0.0, nan]
    """
    burdened = (burden_pcts >= burden_min).any(axis=1)
    unknown_burden = burden_pcts.isna().any(axis=1)
    low = low_income_pct >= low_income_min
    flag = np.select(
        [low_income_pct.isna(), ~low, burdened, unknown_burden],
        [np.nan, 0.0, 1.0, np.nan],
        default=0.0,
    )
    return pd.Series(flag, index=low_income_pct.index, name="cejst_style_disadvantaged")


def ranked_2010(national: pd.DataFrame) -> pd.DataFrame:
    """National and state percentile ranks of the 2010-tract values, by 2010 GEOID. [0–1]

    ``svi2018_pct_us`` is CDC's published national rank; its state rank is ranked here.
    """
    table = national.set_index("geoid")
    state = pd.Series(table.index.str[:2], index=table.index)
    out = {"svi2018_pct_state": percentile_ranks(table["svi2018_pct_us"], state)}
    for column, (stem, by_state) in RANKED_2010.items():
        out[f"{stem}_pct_us"] = percentile_ranks(table[column])
        if by_state:
            out[f"{stem}_pct_state"] = percentile_ranks(table[column], state)
    return pd.DataFrame(out, index=table.index)


def ranked_2020(national: pd.DataFrame) -> pd.DataFrame:
    """National and state percentile ranks of the 2020-tract values, by 2020 GEOID. [0–1]"""
    table = national.set_index("geoid")
    state = pd.Series(table.index.str[:2], index=table.index)
    return pd.DataFrame(
        {
            "dep_index_pct_us": percentile_ranks(table["dep_index"]),
            "dep_index_pct_state": percentile_ranks(table["dep_index"], state),
            "poverty_pct_us": percentile_ranks(table["poverty_frac"]),
        },
        index=table.index,
    )


def official_flag(
    cejst: pd.DataFrame, geoids_2020: pd.Index, relationship: pd.DataFrame | None = None
) -> pd.Series:
    """CEJST's own determination on 2020 tracts: 1.0 where the 2010 tract(s) it joins to are
    disadvantaged (by area: where the disadvantaged parts hold at least half its land), 0.0
    where not, NaN where no 2010 tract joins."""
    share = join_2010_to_2020(
        cejst.set_index("geoid")[["disadvantaged"]], geoids_2020, relationship
    )
    flag = (share["disadvantaged"] >= 0.5).astype("float64")
    return flag.where(share["disadvantaged"].notna()).rename("cejst_style_disadvantaged")


def tract_indicators(
    geoids_2020: pd.Index,
    *,
    values_2020: pd.DataFrame,
    values_2010: pd.DataFrame,
    national_2020: pd.DataFrame,
    national_2010: pd.DataFrame,
    relationship: pd.DataFrame | None = None,
    cejst: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The run's tract community table (columns :data:`INDICATOR_COLUMNS`), by 2020 GEOID.

    Parameters
    ----------
    geoids_2020 : pandas.Index
        The run's 2020 tracts.
    values_2020, values_2010 : pandas.DataFrame
        The region's tract tables (:mod:`siting.sources.tract_tables`), with ``geoid``.
    national_2020, national_2010 : pandas.DataFrame
        The same tables for every US tract: the populations the percentiles rank within.
    relationship : pandas.DataFrame, optional
        The Census 2020↔2010 relationship file (area-weighted join); else tract lineage.
    cejst : pandas.DataFrame, optional
        The official CEJST 1.0 list (``geoid`` 2010, ``disadvantaged``): used for
        ``cejst_style_disadvantaged`` instead of the proxy, ``cejst_source = "official"``.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``geoid``; ``attrs["join_counts"]`` as :func:`join_2010_to_2020`.
    """
    wanted = pd.Index(geoids_2020, name="geoid")
    old = values_2010.set_index("geoid").join(ranked_2010(national_2010))
    joined = join_2010_to_2020(old, wanted, relationship)
    new = values_2020.set_index("geoid").join(ranked_2020(national_2020)).reindex(wanted)
    table = joined.join(new)
    if cejst is None:
        flag = cejst_style_flag(table["poverty_pct_us"], table[list(CEJST_BURDENS)])
        source = "proxy"
    else:
        flag = official_flag(cejst, wanted, relationship)
        source = "official"
    table = table.assign(cejst_style_disadvantaged=flag, cejst_source=source)
    out = table[list(INDICATOR_COLUMNS)].copy()
    out.attrs["join_counts"] = joined.attrs["join_counts"]
    return out
