"""Campus demand at a site: energy and peak power from the grid, water on site and off site.

Each site's hourly year is the nearest real weather station's, shifted to the site's gridded
climatology (:func:`siting.models.weather.shift_to_climatology`); the cooling model of the
spec's archetype (:mod:`siting.models.cooling`) turns it into annual PUE, design PUE and
on-site water. Indirect water is the water consumed by the power plants of the site's eGRID
subregion (fuel mix × Macknick et al. 2012 consumption factors). Two forward warming cases of
the spec (``[climate]``, docs/methods.md §3.6), added to every hour with relative humidity held
constant, show how each figure moves in a warmer climate.

The site values here are what sites report. The spec's ``pue_annual``/``pue_design`` remain
screening values for the derived quantities shown with the spec (``facility_peak_mw``).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from siting.assessments.base import Assessment, SiteContext, SiteModel
from siting.models.campus import (
    WATER_CONSUMPTION_GAL_PER_MWH,
    demand_columns,
    grid_water_factor_l_per_kwh,
)
from siting.models.cooling import ARCHETYPE_MODELS, annual_summary, simulate_years
from siting.models.weather import shift_climatology, site_years, warm

#: Seasonal warming columns of the county warming table, in the order of the seasons of
#: :data:`siting.sources.hourly_weather.SEASONS` (winter, spring, summer, fall).
WARMING_COLUMNS = (
    "warming_winter_degc",
    "warming_spring_degc",
    "warming_summer_degc",
    "warming_fall_degc",
)

#: The spec's two forward warming cases (``[climate]``), as named in the site columns.
WARM_CASES = ("moderate", "high")

UNITS = {
    "weather_station": "",
    "weather_station_km": "km",
    "pue_annual": "ratio (facility / IT energy)",
    "pue_design": "ratio (facility / IT power, exceeded in 0.4 % of hours)",
    "peak_demand_mw": "MW",
    "energy_mwh_per_yr": "MWh/yr",
    "economizer_hours": "h/yr (full free-cooling equivalent)",
    "wue_site_l_per_kwh": "L/kWh of IT energy",
    "water_site_m3_per_yr": "m³/yr",
    "water_site_gal_per_day": "gal/day",
    "egrid_subregion": "",
    "ewif_l_per_kwh": "L/kWh of electricity (consumption)",
    "water_indirect_m3_per_yr": "m³/yr",
    "warming_observed_1895_2019_degc": "°C",
    **{
        column: unit
        for case in WARM_CASES
        for column, unit in (
            (f"warming_{case}_degc", "°C"),
            (f"pue_annual_warm_{case}", "ratio (facility / IT energy)"),
            (f"pue_design_warm_{case}", "ratio (facility / IT power, exceeded in 0.4 % of hours)"),
            (f"peak_demand_warm_{case}_mw", "MW"),
            (f"energy_warm_{case}_mwh_per_yr", "MWh/yr"),
            (f"water_site_warm_{case}_m3_per_yr", "m³/yr"),
            (f"water_indirect_warm_{case}_m3_per_yr", "m³/yr"),
        )
    },
}

NOTES = (
    "Hourly year: the nearest real TMY station of the bundle, its dry bulb and specific "
    "humidity shifted by the difference of the PVCZ-2019 (NASA GLDAS 2010–2018) means between "
    "the site and the station (delta method, Belcher et al. 2005); the station's weather "
    "sequence is kept. Wet bulb: the thermodynamic (ASHRAE psychrometric) solve at station "
    "pressure (docs/methods.md §3.1).",
    "Cooling model: Lei & Masanet (2020, 2022) components (docs/methods.md §2.2, §3.4) with "
    "UPS 97 %, distribution 0.56 % and lighting 0.18 % inside the halls, and the HV substation "
    "(99.5 %) and MV/LV transformers (99.53 %, DOE minimum) on the whole facility load; fans "
    "and pumps from Lei's mid-range inputs; see siting.models.cooling for each archetype.",
    "IT load constant at contracted IT × load factor; energy_mwh_per_yr = IT MW × load factor × "
    "8,760 h × pue_annual. peak_demand_mw = IT MW × pue_design, the PUE exceeded in 0.4 % of "
    "hours (ASHRAE 0.4 % design convention) at full IT load; on-site generation not deducted.",
    "On-site water = cooling-tower evaporation, drift and blowdown, adiabatic evaporation, "
    "coil humidification and, for dry coolers, the closed loops' make-up (0.02 L/kWh, a "
    "screening value; Green Grid WUE_site over IT energy); domestic use not included.",
    "Indirect water = facility energy × Σ fuel share × Macknick et al. (2012) consumption "
    "factor for tower-cooled plants (coal 687, gas 205, nuclear 672, hydro 4,491, solar 1, "
    "wind 0 gal/MWh), fuel mix of the site's eGRID2023 subregion (average, not marginal); "
    "transmission losses not added.",
    "Warmer climate (the *_warm_moderate and *_warm_high columns): the spec's [climate] "
    "warming (warming_moderate_degc, warming_high_degc) added to every hour of the site's "
    "typical year, relative humidity held constant, and the cooling model run again "
    "(docs/methods.md §3.6). warming_observed_1895_2019_degc is the county's observed annual "
    "change 1895–2019 (Washington Post analysis of NOAA nClimDiv), for context only.",
    "The spec's pue_annual/pue_design are screening values for the derived quantities shown "
    "with the spec; these site columns come from the model.",
)


def egrid_of_sites(regions: gpd.GeoDataFrame, sites: gpd.GeoDataFrame) -> pd.DataFrame:
    """The eGRID subregion holding each site's centroid, with its water factor; NaN if none."""
    regions = regions[["subregion", *WATER_CONSUMPTION_GAL_PER_MWH, "geometry"]]
    points = gpd.GeoDataFrame(geometry=sites.geometry.centroid, crs=sites.crs).to_crs(regions.crs)
    joined = gpd.sjoin(points, regions, how="left", predicate="within")
    joined = joined[~joined.index.duplicated(keep="first")]
    return pd.DataFrame(
        {
            "egrid_subregion": joined["subregion"].fillna("UNKNOWN"),
            "ewif_l_per_kwh": grid_water_factor_l_per_kwh(joined),
        },
        index=sites.index,
    )


def seasonal_warming_degc(warming: pd.DataFrame, county_fips: pd.Series) -> np.ndarray:
    """Each county's 1895–2019 change by season, shape ``(site, 4)``: winter, spring, summer,
    fall. NaN (UNKNOWN) for a county missing from the table. [°C]"""
    by_fips = warming.set_index("fips")[list(WARMING_COLUMNS)]
    return by_fips.reindex(county_fips.astype(str).to_numpy()).to_numpy(dtype=np.float64)


def assess(sites: gpd.GeoDataFrame, context: SiteContext) -> Assessment:
    """Per-site campus demand: PUE, peak MW, energy, on-site and indirect water, and warming."""
    inputs = context.inputs
    spec, stations = inputs.spec, inputs.stations
    archetype = ARCHETYPE_MODELS[spec.cooling_archetype]
    lon, lat = sites["centroid_lon"].to_numpy(), sites["centroid_lat"].to_numpy()
    climatology = shift_climatology(inputs.climatology)
    years, station_index, distance_km = site_years(stations, climatology, lon, lat)
    size = {"it_capacity_mw": spec.it_capacity_mw, "load_factor": spec.load_factor}
    now = annual_summary(simulate_years(archetype, years))
    now_demand = demand_columns(now, **size)
    warm_cases = {
        "moderate": spec.climate.warming_moderate_degc,
        "high": spec.climate.warming_high_degc,
    }
    warm_annual = {
        case: annual_summary(simulate_years(archetype, warm(years, np.full((len(lon), 4), d))))
        for case, d in warm_cases.items()
    }
    observed = seasonal_warming_degc(inputs.county_warming, sites["county_fips"])
    grid = egrid_of_sites(inputs.egrid_subregions, sites)
    ewif = grid["ewif_l_per_kwh"].to_numpy()
    cols = pd.DataFrame(
        {
            "weather_station": [stations[i].station.name for i in station_index],
            "weather_station_km": distance_km.round(1),
            "pue_annual": now["pue_annual"].to_numpy(),
            "pue_design": now["pue_design"].to_numpy(),
            "peak_demand_mw": now_demand["peak_demand_mw"].to_numpy(),
            "energy_mwh_per_yr": now_demand["energy_mwh_per_yr"].to_numpy(),
            "economizer_hours": now["economizer_hours"].to_numpy(),
            "wue_site_l_per_kwh": now["wue_site_l_per_kwh"].to_numpy(),
            "water_site_m3_per_yr": now_demand["water_site_m3_per_yr"].to_numpy(),
            "water_site_gal_per_day": now_demand["water_site_gal_per_day"].to_numpy(),
            "egrid_subregion": grid["egrid_subregion"].to_numpy(),
            "ewif_l_per_kwh": ewif,
            "water_indirect_m3_per_yr": now_demand["energy_mwh_per_yr"].to_numpy() * ewif,
            "warming_observed_1895_2019_degc": observed.mean(axis=1),
        },
        index=sites.index,
    )
    for case, degc in warm_cases.items():
        annual = warm_annual[case]
        demand = demand_columns(annual, **size)
        energy = demand["energy_mwh_per_yr"].to_numpy()
        cols[f"warming_{case}_degc"] = degc
        cols[f"pue_annual_warm_{case}"] = annual["pue_annual"].to_numpy()
        cols[f"pue_design_warm_{case}"] = annual["pue_design"].to_numpy()
        cols[f"peak_demand_warm_{case}_mw"] = demand["peak_demand_mw"].to_numpy()
        cols[f"energy_warm_{case}_mwh_per_yr"] = energy
        cols[f"water_site_warm_{case}_m3_per_yr"] = demand["water_site_m3_per_yr"].to_numpy()
        cols[f"water_indirect_warm_{case}_m3_per_yr"] = energy * ewif
    return Assessment(
        name=f"campus demand ({spec.cooling_archetype})",
        columns=cols,
        units=UNITS,
        notes=NOTES,
    )


MODEL = SiteModel(
    name="campus demand",
    units=UNITS,
    reads=("weather", "climatology", "county_warming", "egrid_subregions"),
    assess=assess,
    needs=("centroid_lon", "centroid_lat", "county_fips"),
)
