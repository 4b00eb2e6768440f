"""Campus demand at a site: energy and peak power from the grid, water on site and off site.

Each site's hourly year is the nearest real weather station's, shifted to the site's gridded
climatology (:func:`siting.weather.shift_to_climatology`); the cooling model of the spec's
archetype (:mod:`siting.cooling`) turns it into annual PUE, design PUE and on-site water.
Indirect water is the water consumed by the power plants of the site's eGRID subregion
(fuel mix × Macknick et al. 2012 consumption factors). The county's 1895–2019 warming trend,
applied once more as a seasonal shift, shows how each figure moves in a warmer climate.

The site values here are what sites report. The spec's ``pue_annual``/``pue_design`` remain
screening values for the derived quantities shown with the spec (``facility_peak_mw``).
"""

from __future__ import annotations

import functools
from dataclasses import asdict

import geopandas as gpd
import numpy as np
import pandas as pd
import xarray as xr

from siting.assess import Assessment, RunContext
from siting.bundle import Bundle, read_layer, read_table
from siting.cooling import (
    ARCHETYPE_MODELS,
    DESIGN_EXCEEDANCE,
    Archetype,
    CoolingHours,
    annual_summary,
    simulate,
)
from siting.errors import DataError, SpecError
from siting.psychrometrics import cooling_degree_days, daily_mean_noaa_degc, hours_above
from siting.spec import HOURS_PER_YEAR
from siting.weather import (
    HOURLY_COLUMNS,
    MONTH_OF_HOUR,
    SEASONS,
    HourlyWeather,
    climatology_at,
    hourly_dataset,
    nearest_station,
    read_pvcz_climatology,
    read_weather,
    shift_to_climatology,
    warm,
)

CLIMATE_TABLE = "tables/pvcz_climate_indiana.csv"
WARMING_TABLE = "tables/county_warming_1895_2019.csv"
EGRID_LAYER = "egrid_subregions"
WEATHER_DIR = "weather"
WEATHER_SUFFIXES = (".epw", ".tmy3")
GAL_PER_M3 = 264.172052
DAYS_PER_YEAR = 365.0
L_PER_KWH_PER_GAL_PER_MWH = 3.785411784e-3

#: Operational water consumption of generation by eGRID fuel [gal/MWh], Macknick et al. (2012)
#: medians for recirculating (tower) cooling (REFERENCE.md §2.3, §8). Oil, biomass and other
#: fossil steam plants take the generic coal steam-tower factor (assumption); unknown fuel is
#: left out and the mix renormalised.
WATER_CONSUMPTION_GAL_PER_MWH = {
    "coal_pct": 687.0,
    "oil_pct": 687.0,
    "gas_pct": 205.0,
    "nuclear_pct": 672.0,
    "hydro_pct": 4491.0,
    "biomass_pct": 687.0,
    "wind_pct": 0.0,
    "solar_pct": 1.0,
    "geothermal_pct": 15.0,
    "other_fossil_pct": 687.0,
}

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
    "warming_annual_degc": "°C",
    "pue_annual_warm": "ratio (facility / IT energy)",
    "peak_demand_warm_mw": "MW",
    "energy_warm_mwh_per_yr": "MWh/yr",
    "water_site_warm_m3_per_yr": "m³/yr",
    "water_indirect_warm_m3_per_yr": "m³/yr",
}

NOTES = (
    "Hourly year: the nearest real TMY station of the bundle, its dry bulb and specific "
    "humidity shifted by the difference of the PVCZ-2019 (NASA GLDAS 2010–2018) means between "
    "the site and the station (delta method, Belcher et al. 2005); the station's weather "
    "sequence is kept. Wet bulb: Stull (2011) below ~1,000 m, a psychrometric solve above.",
    "Cooling model: Lei & Masanet (2020, 2022) components (REFERENCE.md §2.2, §3.4) at "
    "hyperscale defaults (UPS 98 %, distribution 0.56 %, lighting 0.18 %); fans and pumps from "
    "Lei's mid-range inputs; see siting.cooling for each archetype's parameters.",
    "IT load constant at contracted IT × load factor; energy_mwh_per_yr = IT MW × load factor × "
    "8,760 h × pue_annual. peak_demand_mw = IT MW × pue_design, the PUE exceeded in 0.4 % of "
    "hours (ASHRAE 0.4 % design convention) at full IT load; on-site generation not deducted.",
    "On-site water = cooling-tower evaporation, drift and blowdown, adiabatic evaporation and "
    "coil humidification (Green Grid WUE_site over IT energy); domestic use not included.",
    "Indirect water = facility energy × Σ fuel share × Macknick et al. (2012) consumption "
    "factor for tower-cooled plants (coal 687, gas 205, nuclear 672, hydro 4,491, solar 1, "
    "wind 0 gal/MWh), fuel mix of the site's eGRID2023 subregion (average, not marginal); "
    "transmission losses not added.",
    "Warmer climate (the *_warm columns): the county's 1895–2019 seasonal temperature change "
    "(Washington Post analysis of NOAA nClimDiv) added once more to every hour of its season, "
    "relative humidity held constant: a sensitivity, not a projection.",
    "The spec's pue_annual/pue_design are screening values for the derived quantities shown "
    "with the spec; these site columns come from the model.",
)


@functools.lru_cache(maxsize=16)
def _read_weather_cached(path: str, mtime_ns: int) -> HourlyWeather:
    return read_weather(path)


def weather_refs(bundle: Bundle) -> tuple[str, ...]:
    """Provenance keys of the bundle's hourly weather files (``weather/*.epw``, ``*.tmy3``)."""
    folder = bundle.root / WEATHER_DIR
    files = sorted(p for p in folder.glob("*") if p.suffix.lower() in WEATHER_SUFFIXES)
    return tuple(f"{WEATHER_DIR}/{p.name}" for p in files)


def read_stations(bundle: Bundle) -> list[HourlyWeather]:
    """Every hourly weather file of the bundle, parsed (cached per file and modification time)."""
    refs = weather_refs(bundle)
    if not refs:
        raise DataError(
            f"{bundle.root / WEATHER_DIR}: no EPW or TMY3 weather file; the cooling model needs "
            "at least one hourly station year (rebuild the bundle)"
        )
    paths = [bundle.root / ref for ref in refs]
    return [_read_weather_cached(str(p), p.stat().st_mtime_ns) for p in paths]


def read_climatology(bundle: Bundle) -> pd.DataFrame:
    """The bundle's PVCZ-2019 climatology in our names (see :func:`read_pvcz_climatology`)."""
    table = read_table(bundle, CLIMATE_TABLE, columns=("lat", "lon"))
    return read_pvcz_climatology(table, what=str(bundle.root / CLIMATE_TABLE))


def site_years(
    stations: list[HourlyWeather],
    climatology: pd.DataFrame,
    lon_deg: np.ndarray,
    lat_deg: np.ndarray,
) -> tuple[xr.Dataset, np.ndarray, np.ndarray]:
    """Hourly years at points: each nearest station's year shifted to the point's climatology.

    Returns
    -------
    tuple
        Dataset with dims ``(site, hour)``, the index of each point's station in ``stations``
        and its distance [km].
    """
    index, distance_km = nearest_station(stations, lon_deg, lat_deg)
    n = index.size
    at = climatology_at(
        climatology,
        np.r_[lon_deg, [s.station.longitude_deg for s in stations]],
        np.r_[lat_deg, [s.station.latitude_deg for s in stations]],
    )
    data = {name: np.empty((n, MONTH_OF_HOUR.size)) for name in HOURLY_COLUMNS}
    for i, station in enumerate(stations):
        mine = np.flatnonzero(index == i)
        if mine.size == 0:
            continue
        shifted = shift_to_climatology(
            station,
            delta_temp_degc=at["temp_mean_degc"][mine] - at["temp_mean_degc"][n + i],
            delta_specific_humidity_g_per_kg=(
                at["specific_humidity_mean_g_per_kg"][mine]
                - at["specific_humidity_mean_g_per_kg"][n + i]
            ),
        )
        for name in HOURLY_COLUMNS:
            data[name][mine] = shifted[name].to_numpy()
    years = xr.Dataset(
        {name: (("site", "hour"), values) for name, values in data.items()},
        coords={"month": ("hour", MONTH_OF_HOUR)},
    )
    return years, index, distance_km


def simulate_years(archetype: Archetype, years: xr.Dataset) -> CoolingHours:
    """Run the cooling model on hourly years with dims ``(site, hour)``."""
    return simulate(
        archetype,
        dry_bulb_degc=years["dry_bulb_degc"].to_numpy(),
        wet_bulb_degc=years["wet_bulb_degc"].to_numpy(),
        dew_point_degc=years["dew_point_degc"].to_numpy(),
        pressure_kpa=years["pressure_kpa"].to_numpy(),
    )


def grid_water_factor_l_per_kwh(fuel_mix_pct: pd.DataFrame) -> pd.Series:
    """Water consumed per kWh generated by a fuel mix (Macknick factors). [L/kWh]

    Parameters
    ----------
    fuel_mix_pct : pandas.DataFrame
        eGRID fuel shares in % with the columns of :data:`WATER_CONSUMPTION_GAL_PER_MWH`.

    References
    ----------
    Macknick, J., Newmark, R., Heath, G., Hallett, K. C. (2012). Operational water consumption
    and withdrawal factors for electricity generating technologies: a review of existing
    literature. Environ. Res. Lett. 7, 045802. doi:10.1088/1748-9326/7/4/045802

    Examples
    --------
    Half gas and half wind: 0.5 × 205 gal/MWh = 0.39 L/kWh.

    >>> mix = pd.DataFrame({c: [0.0] for c in WATER_CONSUMPTION_GAL_PER_MWH})
    >>> mix[["gas_pct", "wind_pct"]] = 50.0
    >>> round(float(grid_water_factor_l_per_kwh(mix).iloc[0]), 3)
    0.388
    """
    fuels = list(WATER_CONSUMPTION_GAL_PER_MWH)
    shares = fuel_mix_pct[fuels].astype("float64")
    factors = pd.Series(WATER_CONSUMPTION_GAL_PER_MWH)
    gal_per_mwh = (shares * factors).sum(axis=1, min_count=len(fuels)) / shares.sum(axis=1)
    return gal_per_mwh * L_PER_KWH_PER_GAL_PER_MWH


def egrid_of_sites(bundle: Bundle, sites: gpd.GeoDataFrame) -> pd.DataFrame:
    """The eGRID subregion holding each site's centroid, with its water factor; NaN if none."""
    regions = read_layer(bundle, EGRID_LAYER, columns=("subregion", *WATER_CONSUMPTION_GAL_PER_MWH))
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


def seasonal_warming_degc(bundle: Bundle, county_fips: pd.Series) -> np.ndarray:
    """Each county's 1895–2019 change by season, shape ``(site, 4)`` in :data:`SEASONS` order.

    NaN (UNKNOWN) for a county missing from the table. [°C]
    """
    table = read_table(bundle, WARMING_TABLE, columns=("fips", *SEASONS), dtype={"fips": str})
    by_fips = table.set_index(table["fips"].str.zfill(5))[list(SEASONS)]
    return by_fips.reindex(county_fips.astype(str).to_numpy()).to_numpy(dtype=np.float64)


def demand_columns(
    annual: pd.DataFrame, *, it_capacity_mw: float, load_factor: float
) -> pd.DataFrame:
    """Energy, peak and on-site water of a campus from the model's annual figures.

    >>> a = pd.DataFrame({"pue_annual": [1.1], "pue_design": [1.25], "wue_site_l_per_kwh": [2.0]})
    >>> demand_columns(a, it_capacity_mw=100.0, load_factor=0.5).round(1).iloc[0].tolist()
    [125.0, 481800.0, 876000.0, 634012.9]
    """
    it_mwh = it_capacity_mw * load_factor * HOURS_PER_YEAR
    water_m3 = it_mwh * annual["wue_site_l_per_kwh"].to_numpy()  # MWh × L/kWh = m³
    return pd.DataFrame(
        {
            "peak_demand_mw": it_capacity_mw * annual["pue_design"].to_numpy(),
            "energy_mwh_per_yr": it_mwh * annual["pue_annual"].to_numpy(),
            "water_site_m3_per_yr": water_m3,
            "water_site_gal_per_day": water_m3 * GAL_PER_M3 / DAYS_PER_YEAR,
        },
        index=annual.index,
    )


def assess_demand(sites: gpd.GeoDataFrame, context: RunContext) -> Assessment:
    """Per-site campus demand: PUE, peak MW, energy, on-site and indirect water, and warming."""
    spec, bundle = context.spec, context.bundle
    archetype = ARCHETYPE_MODELS[spec.cooling_archetype]
    stations = read_stations(bundle)
    lon, lat = sites["centroid_lon"].to_numpy(), sites["centroid_lat"].to_numpy()
    years, station_index, distance_km = site_years(stations, read_climatology(bundle), lon, lat)
    size = {"it_capacity_mw": spec.it_capacity_mw, "load_factor": spec.load_factor}
    now = annual_summary(simulate_years(archetype, years))
    now_demand = demand_columns(now, **size)
    shift = seasonal_warming_degc(bundle, sites["county_fips"])
    warm_annual = annual_summary(simulate_years(archetype, warm(years, np.nan_to_num(shift))))
    warm_annual.loc[np.isnan(shift).any(axis=1)] = np.nan  # unknown warming stays UNKNOWN
    warm_demand = demand_columns(warm_annual, **size)
    grid = egrid_of_sites(bundle, sites)
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
            "warming_annual_degc": shift.mean(axis=1),
            "pue_annual_warm": warm_annual["pue_annual"].to_numpy(),
            "peak_demand_warm_mw": warm_demand["peak_demand_mw"].to_numpy(),
            "energy_warm_mwh_per_yr": warm_demand["energy_mwh_per_yr"].to_numpy(),
            "water_site_warm_m3_per_yr": warm_demand["water_site_m3_per_yr"].to_numpy(),
            "water_indirect_warm_m3_per_yr": warm_demand["energy_mwh_per_yr"].to_numpy() * ewif,
        },
        index=sites.index,
    )
    return Assessment(
        name=f"campus demand ({spec.cooling_archetype})",
        columns=cols,
        units=UNITS,
        notes=NOTES,
        inputs=(
            *weather_refs(bundle),
            CLIMATE_TABLE,
            WARMING_TABLE,
            bundle.layer_ref(EGRID_LAYER),
        ),
    )


#: Thresholds for the hours-above counts of :func:`campus_report`: the top of ASHRAE's
#: recommended supply air (27 °C dry bulb) and a hot-humid wet bulb (24 °C). [°C]
HOT_DRY_BULB_DEGC = 27.0
HOT_WET_BULB_DEGC = 24.0


def archetype_model(name: str) -> Archetype:
    """Default parameters of a named archetype; a clear error for an unknown name."""
    if name not in ARCHETYPE_MODELS:
        raise SpecError(f"archetype must be one of {list(ARCHETYPE_MODELS)}, got {name!r}")
    return ARCHETYPE_MODELS[name]


def campus_report(
    weather: HourlyWeather, *, archetype: str, it_capacity_mw: float, load_factor: float
) -> dict[str, object]:
    """Annual model results for one weather file, with the weather statistics behind them.

    Keys include ``pue_annual``, ``pue_design``, ``wue_site_l_per_kwh``, ``economizer_hours``
    and ``energy_mwh_per_yr`` (see :func:`siting.cooling.annual_summary`,
    :func:`demand_columns`), and under ``weather`` the dry- and wet-bulb temperatures exceeded
    in 0.4 % of hours, cooling degree days (base 18.3 °C) and hours above thresholds, beside
    the file's ASHRAE design values when it has them.
    """
    years = hourly_dataset(weather)
    annual = annual_summary(simulate_years(archetype_model(archetype), years))
    demand = demand_columns(annual, it_capacity_mw=it_capacity_mw, load_factor=load_factor)
    hourly = weather.hourly
    design = weather.station.design
    top = {"q": 1 - DESIGN_EXCEEDANCE, "method": "inverted_cdf"}
    stats = {
        "dry_bulb_mean_degc": float(hourly["dry_bulb_degc"].mean()),
        "dry_bulb_04_degc": float(np.quantile(hourly["dry_bulb_degc"], **top)),
        "wet_bulb_04_degc": float(np.quantile(hourly["wet_bulb_degc"], **top)),
        "cooling_degree_days_18p3": float(
            cooling_degree_days(daily_mean_noaa_degc(hourly["dry_bulb_degc"].to_numpy()))
        ),
        f"hours_dry_bulb_above_{HOT_DRY_BULB_DEGC:g}c": int(
            hours_above(hourly["dry_bulb_degc"], HOT_DRY_BULB_DEGC)
        ),
        f"hours_wet_bulb_above_{HOT_WET_BULB_DEGC:g}c": int(
            hours_above(hourly["wet_bulb_degc"], HOT_WET_BULB_DEGC)
        ),
        "ashrae_design": None if design is None else asdict(design),
    }
    row = pd.concat([annual, demand], axis=1).iloc[0]
    return {
        "archetype": archetype,
        "station": weather.station.name,
        "station_id": weather.station.station_id,
        "weather_file": weather.station.path,
        "it_capacity_mw": it_capacity_mw,
        "load_factor": load_factor,
        **{k: float(v) for k, v in row.items()},
        "weather": stats,
    }
