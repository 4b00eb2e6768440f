"""Water: what a county already draws, and a campus's draw against it.

Pure functions on the county table of :func:`siting.sources.usgs_water_use.read_county_water_use`
(docs/methods.md §2.4). Two things are kept apart:

- **Draw** is the water a county takes from its supply and does not give back: every fresh-water
  withdrawal except thermoelectric power, plus what power plants consume (evaporate). A
  once-through plant withdraws a river's worth of cooling water and returns almost all of it to
  the same river a few hundred metres downstream; counting its withdrawal as demand makes the
  counties on the Ohio, the Wabash and Lake Michigan look the most stressed in Indiana, the
  opposite of the truth. USGS publishes thermoelectric consumption (``PT-CUsFr``) for every
  county; other sectors' consumption is not published for 2015, so their withdrawals count in
  full.
- **Non-power withdrawals** (all fresh withdrawals but thermoelectric, by ground and surface
  water) and **public supply** are what a campus's own water is compared with: its wells or
  its utility would take from the same aquifers and intakes.

>>> round(float(mgd_from_m3_per_yr(1.0e6)), 4), round(float(acre_ft_from_m3(1.0e6)), 1)
(0.7233, 810.7)
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

#: Cubic metres in a million US gallons (1 gal = 3.785411784 L exactly). [m³/Mgal]
M3_PER_MGAL = 3785.411784
#: Cubic metres in an acre-foot (43,560 ft³ × 0.3048³ m³/ft³ exactly). [m³/acre-ft]
M3_PER_ACRE_FT = 1233.48183754752
#: Days in a mean year, as USGS converts Mgal/d to annual volumes. [d/yr]
DAYS_PER_YEAR = 365.25


def mgd_from_m3_per_yr(m3_per_yr: ArrayLike) -> np.ndarray:
    """An annual volume as a mean daily rate. [m³/yr → Mgal/d]

    >>> round(float(mgd_from_m3_per_yr(M3_PER_MGAL * DAYS_PER_YEAR)), 6)
    1.0
    """
    return np.asarray(m3_per_yr, dtype=np.float64) / (M3_PER_MGAL * DAYS_PER_YEAR)


def m3_per_yr_from_mgd(mgd: ArrayLike) -> np.ndarray:
    """A mean daily rate as an annual volume. [Mgal/d → m³/yr]

    >>> round(float(m3_per_yr_from_mgd(1.0)), 1)
    1382621.6
    """
    return np.asarray(mgd, dtype=np.float64) * M3_PER_MGAL * DAYS_PER_YEAR


def acre_ft_from_m3(m3: ArrayLike) -> np.ndarray:
    """A volume in acre-feet. [m³ → acre-ft]

    >>> round(float(acre_ft_from_m3(M3_PER_ACRE_FT)), 6)
    1.0
    """
    return np.asarray(m3, dtype=np.float64) / M3_PER_ACRE_FT


def county_water(water_use: pd.DataFrame) -> pd.DataFrame:
    """Each county's draw, non-power withdrawals and public supply, by FIPS. [Mgal/d]

    Parameters
    ----------
    water_use : pandas.DataFrame
        The USGS county table (``siting.sources.usgs_water_use``): ``fips``,
        ``fresh_withdrawal_mgd``, ``thermoelectric_fresh_mgd``, ``groundwater_fresh_mgd``,
        ``surface_fresh_mgd``, ``thermoelectric_groundwater_mgd``,
        ``thermoelectric_surface_mgd``, ``thermoelectric_consumption_fresh_mgd``,
        ``public_supply_fresh_mgd``.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``fips``: ``nonpower_fresh_mgd`` (fresh withdrawals less thermoelectric),
        ``nonpower_groundwater_mgd``, ``nonpower_surface_mgd``, ``nonpower_groundwater_share``
        (0–1), ``public_supply_mgd``, ``thermoelectric_consumption_mgd`` and ``draw_mgd``
        (non-power withdrawals + thermoelectric consumption). A county with no thermoelectric
        withdrawal has 0 thermoelectric consumption; any other missing input is NaN (UNKNOWN).

    Examples
    --------
    A county whose 1,000 Mgal/d are all a once-through plant's, which evaporates 10 of them,
    beside a county of wells for 12 Mgal/d: the first draws less.

    >>> use = pd.DataFrame({
    ...     "fips": ["18001", "18003"], "fresh_withdrawal_mgd": [1000.0, 12.0],
    ...     "thermoelectric_fresh_mgd": [1000.0, 0.0], "groundwater_fresh_mgd": [0.0, 12.0],
    ...     "surface_fresh_mgd": [1000.0, 0.0], "thermoelectric_groundwater_mgd": [0.0, 0.0],
    ...     "thermoelectric_surface_mgd": [1000.0, 0.0],
    ...     "thermoelectric_consumption_fresh_mgd": [10.0, np.nan],
    ...     "public_supply_fresh_mgd": [0.0, 12.0]})
    >>> county_water(use)["draw_mgd"].tolist()
    [10.0, 12.0]
    """
    use = water_use.set_index("fips")
    thermo = use["thermoelectric_fresh_mgd"]
    consumption = use["thermoelectric_consumption_fresh_mgd"].mask(thermo == 0.0, 0.0)
    nonpower = use["fresh_withdrawal_mgd"] - thermo
    ground = use["groundwater_fresh_mgd"] - use["thermoelectric_groundwater_mgd"]
    surface = use["surface_fresh_mgd"] - use["thermoelectric_surface_mgd"]
    return pd.DataFrame(
        {
            "nonpower_fresh_mgd": nonpower,
            "nonpower_groundwater_mgd": ground,
            "nonpower_surface_mgd": surface,
            "nonpower_groundwater_share": ground / nonpower.where(nonpower > 0),
            "public_supply_mgd": use["public_supply_fresh_mgd"],
            "thermoelectric_consumption_mgd": consumption,
            "draw_mgd": nonpower + consumption,
        }
    )


def draw_depth_mm_per_yr(county: pd.DataFrame, area_km2: pd.Series) -> pd.Series:
    """A county's draw spread over its area, as a depth, by FIPS. [mm/yr]

    >>> county = pd.DataFrame({"draw_mgd": [1.0]}, index=["18001"])
    >>> round(float(draw_depth_mm_per_yr(county, pd.Series({"18001": 1.0})).iloc[0]), 1)
    1382.6
    """
    m3_per_yr = m3_per_yr_from_mgd(county["draw_mgd"].reindex(area_km2.index))
    return pd.Series(m3_per_yr / (area_km2.to_numpy() * 1.0e6) * 1000.0, index=area_km2.index)


def share_pct(campus_mgd: ArrayLike, county_mgd: ArrayLike) -> np.ndarray:
    """A campus's draw as a share of a county figure; ``inf`` where the county's is 0. [%]

    >>> share_pct([1.0, 1.0, 0.0], [4.0, 0.0, 0.0]).tolist()
    [25.0, inf, 0.0]
    """
    campus = np.asarray(campus_mgd, dtype=np.float64)
    county = np.asarray(county_mgd, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = 100.0 * campus / county
    return np.where((county == 0.0) & (campus == 0.0), 0.0, share)
