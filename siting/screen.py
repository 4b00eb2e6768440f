"""The national county screen: every county of the contiguous United States scored for the
campus spec from national tables, so that a team can choose where to zoom in.

The screen reads only files shipped in the data folder: the national county tables built by
``siting/data/build_national.py`` (``national/``) and the national tables of ``tables/`` (CDC
SVI 2022, USGS water use 2015, LBNL Queued Up 2024, the GridWatch county restrictions). Each
county gets one value per indicator (:data:`INDICATORS`), a 0–1 suitability by the same
transforms as the gridded run (:func:`siting.score.suitability`), a weight taken from the spec
where the spec weights the same quantity (:data:`SPEC_TO_COUNTY`) and a contribution. A
value that is UNKNOWN contributes nothing, the least favourable outcome, so missing data never
ranks a county up. docs/methods.md §11.7 gives the method and the direction of each indicator.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gzip
import html
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from layers import REGISTRY
from layers.climate import hot_wet_bulb_degc
from siting import __version__
from siting.bundle import default_data_dir, sha256
from siting.community_page import script_json
from siting.counties import state_of_fips
from siting.errors import DataError, DataFileNotFound, SpecError
from siting.exclude import describe, indicator_test
from siting.indicator import Indicator
from siting.maps import vendored_leaflet
from siting.models.adequacy import SUBSTATION_ONLY
from siting.models.queue_stats import PROXY_NOTE, region_queue
from siting.models.supply import nearby_plants
from siting.models.water import county_water, draw_depth_mm_per_yr, mgd_from_m3_per_yr, share_pct
from siting.psychrometrics import (
    STANDARD_PRESSURE_KPA,
    dew_point_from_specific_humidity_degc,
    wet_bulb_psychrometric,
)
from siting.report import check_output_dir, staged_dir, write_atomic_text
from siting.rules import ExclusionRule
from siting.score import default_transform, suitability
from siting.sources.cdc_svi import read_svi
from siting.sources.eia_atlas import read_plants
from siting.sources.gridwatch import join_county_names, read_county_restrictions
from siting.sources.lbnl import SOURCE as LBNL_SOURCE
from siting.sources.lbnl import read_queue
from siting.sources.usgs_water_use import read_county_water_use
from siting.spec import CampusSpec, Transform

#: Files the screen reads, relative to the data folder, with what each holds.
FILES = {
    "counties": "national/counties_conus.csv",
    "shapes": "national/counties_conus_simplified.geojson.gz",
    "plants": "national/eia_power_plants_202311_conus.csv.gz",
    "svi": "tables/cdc_svi_2022_county.csv",
    "water_use": "tables/usgs_water_use_2015_county.csv",
    "queue": "tables/queue_lbnl_2024.csv.gz",
    "restrictions": "tables/gridwatch_indiana_county_restrictions.json",
}
#: Columns of the national county table (``build_national.py``).
COUNTY_COLUMNS = (
    "fips",
    "county_name",
    "land_area_km2",
    "centroid_lat_deg",
    "centroid_lon_deg",
    "nri_risk_rating",
    "nri_risk_national_pct",
    "egrid_subregion",
    "egrid_co2_lb_per_mwh",
    "temp_mean_degc",
    "temp_max_degc",
    "specific_humidity_mean_g_per_kg",
    "specific_humidity_sd_g_per_kg",
)
#: Share of a source's counties that must join the county list; less means a wrong file.
MIN_JOIN_SHARE = 0.95
#: Cooling archetypes whose heat rejection follows the wet bulb (evaporative); the others
#: reject heat to the dry bulb.
WET_ARCHETYPES = ("cooling_tower", "adiabatic")
#: Indicators whose spec rules test a finer value than the county's: not applied to counties.
FINER_THAN_COUNTY = {
    "pop_density_per_km2": "the rule tests tract density; a county mean above it still holds "
    "sparse tracts, and one below it dense ones",
}
#: State of the GridWatch restriction list (the only county restrictions on record).
RESTRICTIONS_STATE = "IN"

#: Spec weight → county indicator that stands for it in the screen. Several spec weights may
#: go to one county indicator; their weights add.
SPEC_TO_COUNTY = {
    "connection_cost_musd": "generation_nearby_mw",
    "time_to_power_p50_months": "time_to_power_p50_months",
    "generation_nearby_mw": "generation_nearby_mw",
    "water_draw_mm_per_yr": "water_draw_mm_per_yr",
    "campus_water_share_nonpower_pct": "campus_water_share_nonpower_pct",
    "pue_design_cell": "climate_design_degc",
    "pue_annual_cell": "climate_annual_degc",
    "pop_density_per_km2": "pop_density_per_km2",
    "svi_overall_pct": "svi_overall_pct",
}
#: Spec weights that a county indicator stands in for only as a PROXY, and why.
PROXY_MAPPINGS = {
    "connection_cost_musd": "PROXY: the connection cost needs transmission-line geometry, "
    "bundled for Indiana only; large plants sit on the high-voltage network, so generation "
    "near the county stands for the distance to a strong grid",
}
#: Why a spec weight has no county indicator: its weight is left out and the rest rescaled.
UNMAPPED_REASONS = {
    "queue_active_mw_poi_nearby": "needs connection points (POIs), which are bundled for "
    "Indiana only; at county level queued generation is supply, not a burden, and the queue "
    "backlog enters through time_to_power_p50_months (congested counties' longer durations)",
}
#: Weights of the county indicators that no spec weight maps to, taken before the spec's
#: mapped weights are rescaled to fill the rest (assumption: hazards and grid carbon matter to
#: every campus, and neither is in the gridded run's weighted sum).
SCREEN_ONLY_WEIGHTS = {"nri_risk_national_pct": 0.05, "grid_co2_lb_per_mwh": 0.05}

_LAYER_SCHEMAS = {s.name: s for layer in REGISTRY for s in layer.indicators}
_SVI = "CDC/ATSDR SVI 2022, counties (public domain)"
_USGS = "USGS Estimated Use of Water in the United States, county data 2015 (public domain)"
_PVCZ = "PVCZ-2019 (Karin et al.) from NASA GLDAS 0.25°, 2010–2018 (MIT)"


def _from_layer(name: str, **changes: object) -> Indicator:
    """The gridded run's indicator ``name`` (its units, direction and transform) restated for
    counties."""
    return dataclasses.replace(_LAYER_SCHEMAS[name], **changes)


#: The screen's indicators. ``description`` says how the value is made, why its direction is
#: right, and where the naive proxy would point the wrong way.
INDICATORS = (
    _from_layer(
        "time_to_power_p50_months",
        source=LBNL_SOURCE,
        description=(
            "P50 months from request to energization for a substation-only connection: the "
            "request-to-operation months of completed generator requests in the county's ISO "
            "regions (its own requests' mix, else its state's), of the large size class and "
            "the county's congestion class (active queue ≥ congested_county_mw), floored by "
            "the substation and transformer lead times. Lower is better: each month without "
            "power is a month the campus cannot run. The queue backlog enters here, as the "
            "longer durations of congested counties, and not as queued MW: queued "
            "generation is supply for a load, so scoring the MW themselves as a burden would "
            "push the campus away from where new supply is coming. A PROXY: generator "
            "requests, not large-load requests. " + PROXY_NOTE
        ),
    ),
    _from_layer(
        "generation_nearby_mw",
        tag="real-derived",
        description=(
            "Net summer capacity of every EIA plant within the spec's generation_radius_km of "
            "the county centroid. Higher is better: plants near the load mean a network built "
            "to carry power and supply that need not travel far. Counted within a radius, not "
            "within the county: a county sum would rank a large western county above a small "
            "eastern one beside a nuclear plant. Installed, not spare capacity. It also "
            "carries the spec's connection_cost_musd weight, as a PROXY for the distance to a "
            "strong grid (no national transmission lines are bundled)."
        ),
        source="EIA U.S. Energy Atlas power plants, EIA-860M November 2023 (public domain)",
    ),
    _from_layer(
        "water_draw_mm_per_yr",
        source=_USGS,
        description=(
            "County fresh withdrawals of every sector but thermoelectric power, plus what "
            "power plants consume (siting.models.water.county_water), spread over the county's "
            "land area. Lower is better: the more of a place's water is taken, the less is "
            "left for a new user. Total withdrawals would point the wrong way: a county with a "
            "once-through coal or nuclear plant on a big river withdraws thousands of Mgal/d "
            "and returns over 95 % of it, yet would look the most stressed. A PROXY for "
            "basin water stress (demand, not demand against supply): an arid county that "
            "draws little because it has little shows as unstressed."
        ),
    ),
    _from_layer(
        "campus_water_share_nonpower_pct",
        source=_USGS + "; campus water from the spec's cooling archetype (screening WUE)",
        description=(
            "100 × the campus's on-site water (the archetype's screening WUE × IT MW × load "
            "factor) / the county's fresh withdrawals less thermoelectric. Lower is better: "
            "a campus taking a large share of the county's water competes with homes, farms "
            "and industry. Against total withdrawals the share would look small exactly where "
            "a once-through power plant dominates, which says nothing about the water left. "
            "Small for a closed-loop dry cooler (0.02 L/kWh, humidification only)."
        ),
    ),
    Indicator(
        name="climate_design_degc",
        family="climate",
        title="Hot-hour temperature the cooling plant rejects heat to (proxy for design PUE)",
        units="°C",
        direction="lower_better",
        tag="proxy",
        source=_PVCZ,
        best=30.0,
        worst=45.0,
        description=(
            "For a dry cooler or air-cooled chiller the 2010–2018 maximum dry bulb; for a "
            "cooling tower or adiabatic cooler the hot-humid wet bulb (maximum temperature "
            "with specific humidity 2 SD above its mean, layers.climate), at the PVCZ point "
            "nearest the centroid. Lower is better: the hot hour sets the design PUE, hence "
            "the peak the grid connection must carry. The naive choice of one temperature "
            "for every archetype points the wrong way for a cooling tower in a hot, dry "
            "place (Arizona): high dry bulb, low wet bulb, and towers work well there. A "
            "PROXY for pue_design_cell. Dry bulb: 30 °C best, 45 °C worst; wet bulb: 20 °C "
            "best, 30 °C worst (assumptions)."
        ),
    ),
    Indicator(
        name="climate_annual_degc",
        family="climate",
        title="Annual mean temperature the cooling plant rejects heat to (proxy for annual PUE)",
        units="°C",
        direction="lower_better",
        tag="proxy",
        source=_PVCZ,
        best=5.0,
        worst=22.0,
        description=(
            "The 2010–2018 mean dry bulb (dry cooler, air-cooled chiller) or the wet bulb of "
            "the mean temperature and mean specific humidity (cooling tower, adiabatic), at "
            "the PVCZ point nearest the centroid. Lower is better: cooler air gives more "
            "economizer hours and less cooling energy. A PROXY for pue_annual_cell. Dry bulb: "
            "5 °C best, 22 °C worst; wet bulb: 0 °C best, 20 °C worst (assumptions)."
        ),
    ),
    _from_layer(
        "pop_density_per_km2",
        tag="proxy",
        title="Population density of the county",
        source=_SVI + " (E_TOTPOP, ACS 2018–2022) over the Census 2022 land area",
        description=(
            "County population over its land area. Lower is better: fewer homes within the "
            "setbacks and noise contours, and more open land for the required contiguous "
            "area. A PROXY for the tract density of the gridded run: a large county with one "
            "city averages dense and empty land, so a county-level value can hide room for a "
            "campus; zoom in to see it."
        ),
    ),
    _from_layer(
        "svi_overall_pct",
        source=_SVI,
        description=(
            "RPL_THEMES, the county's national percentile rank of social vulnerability. "
            "Lower is better, as the spec means it: the screen prefers not to place a "
            "campus's burdens (noise, water, land, construction traffic) on the communities "
            "least able to absorb them. Read the other way, as 'where jobs are needed most', "
            "it would steer burdens to the most vulnerable places; the spec does not weigh "
            "jobs, and a team that wants to should say so with its own weight. UNKNOWN where "
            "CDC reports -999 and for Connecticut's old counties (SVI 2022 uses its planning "
            "regions)."
        ),
    ),
    Indicator(
        name="nri_risk_national_pct",
        family="community",
        title="FEMA National Risk Index, national percentile of the county",
        units="percentile (0-1, national)",
        direction="lower_better",
        tag="real",
        source="FEMA National Risk Index, county composite (NRI v1, 2023; public domain)",
        best=0.0,
        worst=1.0,
        description=(
            "Percentile of the county's composite risk score across US counties. Lower is "
            "better: less expected loss to the 18 natural hazards. The risk score is expected "
            "annual loss × social vulnerability / resilience, so it grows with the value "
            "exposed: a large city county ranks high even where hazards are moderate, and an "
            "empty county low even where they are not. Read the hazard itself at zoom-in."
        ),
    ),
    Indicator(
        name="grid_co2_lb_per_mwh",
        family="grid_capacity",
        title="CO2 output emission rate of the county's eGRID subregion",
        units="lb/MWh",
        direction="lower_better",
        tag="real",
        source="US EPA eGRID2023 subregion output emission rates, via the Power Profiler "
        "(public domain)",
        best=0.0,
        worst=1500.0,
        description=(
            "eGRID2023 average CO2 output emission rate of the subregion holding the county "
            "centroid. Lower is better: the campus's energy is drawn from the subregion's "
            "mix. A county's own plants would point the wrong way: a county with a coal "
            "plant exports its output across the subregion, and a county with none still "
            "draws the same mix. An average, not a marginal rate."
        ),
    ),
)
INDICATOR_BY_NAME = {s.name: s for s in INDICATORS}
#: Transforms of the climate indicators for the wet-bulb archetypes.
WET_TRANSFORMS = {
    "climate_design_degc": Transform(kind="linear", best=20.0, worst=30.0),
    "climate_annual_degc": Transform(kind="linear", best=0.0, worst=20.0),
}

#: Context columns: reported on every score card, never scored, with their units and source.
CONTEXT = {
    "queue_active_mw": ("MW", LBNL_SOURCE, "active queued generation and storage in the county"),
    "queue_large_load_mw": (
        "MW",
        "none",
        "queued large-load requests: UNKNOWN everywhere, no national large-load queue is bundled",
    ),
    "time_to_power_p90_months": ("months", LBNL_SOURCE, "P90 of the time to power (proxy)"),
    "queue_basis": ("text", LBNL_SOURCE, "which completed requests the durations come from"),
    "water_total_withdrawal_mgd": ("Mgal/d", _USGS, "all fresh withdrawals, thermoelectric too"),
    "water_nonpower_withdrawal_mgd": ("Mgal/d", _USGS, "fresh withdrawals less thermoelectric"),
    "nri_risk_rating": ("text", "FEMA National Risk Index", "FEMA's risk rating"),
    "egrid_subregion": ("text", "US EPA eGRID2023", "eGRID subregion of the centroid"),
    "restriction": (
        "text",
        "GridWatch Indiana county restrictions (CC BY 4.0), partial",
        "data-center ban or moratorium on record; UNKNOWN outside Indiana (no list)",
    ),
    "county_dc_ban": (
        "0/1",
        "GridWatch Indiana county restrictions (CC BY 4.0), partial",
        "1 = data-center ban on record (the spec's county_dc_ban rule); UNKNOWN outside Indiana",
    ),
    "county_dc_moratorium": (
        "0/1",
        "GridWatch Indiana county restrictions (CC BY 4.0), partial",
        "1 = moratorium on record (the spec's county_dc_moratorium rule); UNKNOWN outside Indiana",
    ),
}


@dataclass(frozen=True, kw_only=True)
class NationalData:
    """The national tables the screen reads, once, with the files they came from."""

    counties: pd.DataFrame
    shapes_geojson: str
    plants: pd.DataFrame
    svi: pd.DataFrame
    water_use: pd.DataFrame
    queue: pd.DataFrame
    restrictions: pd.DataFrame
    files: Mapping[str, Path]


@dataclass(frozen=True, kw_only=True)
class ScreenResult:
    """A finished screen: the ranked table, the weights used and the output folder."""

    ranked: pd.DataFrame
    weights: Mapping[str, float]
    weight_notes: tuple[str, ...]
    rule_notes: tuple[str, ...]
    out_dir: Path | None


# ------------------------------------------------------------------------------------------
# reading
# ------------------------------------------------------------------------------------------


def read_national(data_dir: Path | None = None) -> NationalData:
    """Read every file of :data:`FILES` from ``data_dir`` (default: the shipped bundle)."""
    folder = Path(data_dir) if data_dir is not None else default_data_dir()
    files = {role: folder / rel for role, rel in FILES.items()}
    for role, path in files.items():
        if not path.is_file():
            raise DataFileNotFound(
                f"{path}: national {role} table missing; rebuild it with "
                "`python siting/data/build_national.py --source ../shared/data`"
            )
    return NationalData(
        counties=read_county_table(files["counties"]),
        shapes_geojson=gzip.decompress(files["shapes"].read_bytes()).decode("utf-8"),
        plants=read_plants(files["plants"]),
        svi=read_svi(files["svi"]),
        water_use=read_county_water_use(files["water_use"]),
        queue=read_queue(files["queue"]),
        restrictions=read_county_restrictions(files["restrictions"]),
        files=files,
    )


def read_county_table(path: Path) -> pd.DataFrame:
    """The national county table (``national/counties_conus.csv``), one row per FIPS."""
    table = pd.read_csv(path, dtype={"fips": str, "state_fips": str})
    missing = [c for c in COUNTY_COLUMNS if c not in table.columns]
    if missing:
        raise DataError(
            f"{path}: columns {missing} missing; found {list(table.columns)}. Rebuild it with "
            "`python siting/data/build_national.py`"
        )
    if table["fips"].duplicated().any():
        raise DataError(f"{path}: a county FIPS appears twice; rebuild the national table")
    return table


# ------------------------------------------------------------------------------------------
# the county table
# ------------------------------------------------------------------------------------------


def county_table(data: NationalData, spec: CampusSpec) -> pd.DataFrame:
    """One row per county: every indicator of :data:`INDICATORS` and the :data:`CONTEXT`
    columns, in their units; UNKNOWN is NaN."""
    counties = data.counties.set_index("fips")
    fips = counties.index
    svi = _joined(data.svi.set_index("fips"), fips, what="CDC SVI")
    table = pd.DataFrame(index=fips)
    table["county_name"] = counties["county_name"]
    table["state_abbr"] = state_of_fips(fips.to_series(index=fips), what="national counties")
    table["centroid_lat_deg"] = counties["centroid_lat_deg"]
    table["centroid_lon_deg"] = counties["centroid_lon_deg"]
    table = table.join(_queue_columns(data.queue, table, spec))
    table["generation_nearby_mw"] = generation_within_mw(
        data.plants, counties, radius_km=spec.interconnection.generation_radius_km
    )
    table = table.join(water_columns(data.water_use, counties, spec))
    table = table.join(climate_columns(counties, archetype=spec.cooling_archetype))
    table["pop_density_per_km2"] = svi["population"] / counties["land_area_km2"]
    table["svi_overall_pct"] = svi["svi_overall_pct"]
    table["nri_risk_national_pct"] = counties["nri_risk_national_pct"]
    table["nri_risk_rating"] = counties["nri_risk_rating"]
    table["grid_co2_lb_per_mwh"] = counties["egrid_co2_lb_per_mwh"]
    table["egrid_subregion"] = counties["egrid_subregion"]
    table["restriction"] = _restrictions(data.restrictions, table)
    known = table["restriction"].notna()
    for column, kind in (("county_dc_ban", "ban"), ("county_dc_moratorium", "moratorium")):
        table[column] = (table["restriction"] == kind).astype(float).where(known)
    return table


def _joined(source: pd.DataFrame, fips: pd.Index, *, what: str) -> pd.DataFrame:
    """``source`` reindexed on the county list; fewer than :data:`MIN_JOIN_SHARE` matched is
    an error (a wrong or truncated file), the rest stay UNKNOWN."""
    share = float(fips.isin(source.index).mean())
    if share < MIN_JOIN_SHARE:
        raise DataError(
            f"{what}: only {share:.1%} of the {len(fips)} CONUS counties join by FIPS; "
            "is this the national county table?"
        )
    return source.reindex(fips)


def _queue_columns(queue: pd.DataFrame, table: pd.DataFrame, spec: CampusSpec) -> pd.DataFrame:
    """Time to power and queued MW per county from the national queue (generator proxy)."""
    counties = pd.DataFrame(
        {
            "fips": table.index,
            "name": table["county_name"].to_numpy(),
            "state": table["state_abbr"].to_numpy(),
        }
    ).dropna(subset=["state"])
    found = region_queue(
        queue, counties, params=spec.time_to_power, target_year=spec.target_energization_year
    )
    ttp = found.county_time_to_power.xs(int(SUBSTATION_ONLY), level="need")
    out = pd.DataFrame(index=table.index)
    out["time_to_power_p50_months"] = ttp["p50_months"]
    out["time_to_power_p90_months"] = ttp["p90_months"]
    out["queue_basis"] = ttp["queue_basis"]
    out["queue_active_mw"] = found.congestion["queue_active_mw"]
    out["queue_large_load_mw"] = np.nan
    return out


def generation_within_mw(
    plants: gpd.GeoDataFrame, counties: pd.DataFrame, *, radius_km: float
) -> pd.Series:
    """Net summer capacity of the plants within ``radius_km`` of each county centroid. [MW]

    Distances are taken in EPSG:5070 (metres). A county with no plant within the radius has
    0 MW, which is a measurement, not a missing value.
    """
    centroids = gpd.GeoSeries(
        gpd.points_from_xy(counties["centroid_lon_deg"], counties["centroid_lat_deg"]),
        crs="EPSG:4326",
    ).to_crs("EPSG:5070")
    pairs = nearby_plants(centroids, plants, radius_km=radius_km)
    mw = plants["capacity_mw"].fillna(0.0).to_numpy()[pairs["plant"].to_numpy()]
    total = np.bincount(pairs["site"].to_numpy(), weights=mw, minlength=len(counties))
    return pd.Series(total, index=counties.index)


def water_columns(
    water_use: pd.DataFrame, counties: pd.DataFrame, spec: CampusSpec
) -> pd.DataFrame:
    """Water draw depth, the campus's share, and the naive totals for context."""
    use = _joined(water_use.set_index("fips"), counties.index, what="USGS water use")
    water = county_water(use.reset_index()).reindex(counties.index)
    out = pd.DataFrame(index=counties.index)
    out["water_draw_mm_per_yr"] = draw_depth_mm_per_yr(water, counties["land_area_km2"])
    campus_mgd = float(mgd_from_m3_per_yr(spec.water_site_m3_per_yr))
    out["campus_water_share_nonpower_pct"] = share_pct(
        np.full(len(water), campus_mgd), water["nonpower_fresh_mgd"].to_numpy()
    )
    out["water_total_withdrawal_mgd"] = use["fresh_withdrawal_mgd"]
    out["water_nonpower_withdrawal_mgd"] = water["nonpower_fresh_mgd"]
    return out


def climate_columns(counties: pd.DataFrame, *, archetype: str) -> pd.DataFrame:
    """Design-hour and annual temperatures the archetype rejects heat to. [°C]

    Wet bulb for the evaporative archetypes (:data:`WET_ARCHETYPES`), dry bulb otherwise.
    """
    out = pd.DataFrame(index=counties.index)
    if archetype not in WET_ARCHETYPES:
        out["climate_design_degc"] = counties["temp_max_degc"]
        out["climate_annual_degc"] = counties["temp_mean_degc"]
        return out
    out["climate_design_degc"] = hot_wet_bulb_degc(counties)
    dew = dew_point_from_specific_humidity_degc(
        counties["specific_humidity_mean_g_per_kg"].to_numpy(dtype="float64"),
        STANDARD_PRESSURE_KPA,
    )
    mean_t = counties["temp_mean_degc"].to_numpy(dtype="float64")
    out["climate_annual_degc"] = wet_bulb_psychrometric(
        mean_t, np.minimum(dew, mean_t), STANDARD_PRESSURE_KPA
    )
    return out


def _restrictions(restrictions: pd.DataFrame, table: pd.DataFrame) -> pd.Series:
    """``ban``, ``moratorium``, ``none on record`` (Indiana, the only list) or NaN (UNKNOWN)."""
    state = table[table["state_abbr"] == RESTRICTIONS_STATE]
    names = pd.DataFrame(
        {"fips": state.index, "name": state["county_name"].str.replace(" County", "")}
    )
    joined = join_county_names(restrictions, names).set_index("fips")
    out = pd.Series(np.nan, index=table.index, dtype=object)
    out[state.index] = "none on record"
    out[joined.index] = joined["restriction"].str.strip().str.lower()
    return out


# ------------------------------------------------------------------------------------------
# weights, scores and ranks
# ------------------------------------------------------------------------------------------


def rescaled_weights(
    mapped: Mapping[str, float], spec: CampusSpec, *, kind: str, choices: Mapping[str, object]
) -> dict[str, float]:
    """The spec's weights carried to national indicators (``mapped``), scaled to leave room
    for :data:`SCREEN_ONLY_WEIGHTS`, which are added; refused if nothing was carried."""
    total = sum(mapped.values())
    if total <= 0:
        raise SpecError(
            f"{spec.source}: none of the weighted indicators {sorted(spec.weights)} has a "
            f"{kind}; weight at least one of {sorted(choices)}"
        )
    scale = (1.0 - sum(SCREEN_ONLY_WEIGHTS.values())) / total
    weights = {name: w * scale for name, w in mapped.items() if w > 0}
    weights.update(SCREEN_ONLY_WEIGHTS)
    return weights


def screen_weights(spec: CampusSpec) -> tuple[dict[str, float], tuple[str, ...]]:
    """County indicator weights from the spec, and one note per spec weight saying where it went.

    The spec's weights of :data:`SPEC_TO_COUNTY` carry over and are rescaled to fill
    1 − Σ :data:`SCREEN_ONLY_WEIGHTS`; the spec weights without a county indicator are left out
    (:data:`UNMAPPED_REASONS`).
    """
    mapped: dict[str, float] = {}
    for name, w in spec.weights.items():
        if name in SPEC_TO_COUNTY:
            mapped[SPEC_TO_COUNTY[name]] = mapped.get(SPEC_TO_COUNTY[name], 0.0) + w
    weights = rescaled_weights(mapped, spec, kind="county indicator", choices=SPEC_TO_COUNTY)
    notes = []
    for name, w in spec.weights.items():
        if name in SPEC_TO_COUNTY:
            county = SPEC_TO_COUNTY[name]
            same = "same indicator" if county == name else f"to {county}"
            if name in PROXY_MAPPINGS:
                same += "; " + PROXY_MAPPINGS[name]
            notes.append(
                f"{name} {w:.3f} → {county} (total {weights.get(county, 0.0):.3f}; {same})"
            )
        else:
            why = UNMAPPED_REASONS.get(name, "no national county data for it")
            notes.append(f"{name} {w:.3f} → not scored: {why}")
    notes += [
        f"{n} {w:.3f}: screen weight, not in the spec" for n, w in SCREEN_ONLY_WEIGHTS.items()
    ]
    return weights, tuple(notes)


def transforms_for(spec: CampusSpec) -> dict[str, Transform]:
    """Each indicator's transform: the spec's ``[transforms]`` entry where it has one, else the
    indicator's default (the wet-bulb curves for an evaporative archetype's climate)."""
    out = {}
    for schema in INDICATORS:
        if schema.name in spec.transforms:
            out[schema.name] = spec.transforms[schema.name]
        elif schema.name in WET_TRANSFORMS and spec.cooling_archetype in WET_ARCHETYPES:
            out[schema.name] = WET_TRANSFORMS[schema.name]
        else:
            out[schema.name] = default_transform(schema)
    return out


def score_counties(
    table: pd.DataFrame,
    weights: Mapping[str, float],
    transforms: Mapping[str, Transform],
    *,
    rules: tuple[ExclusionRule, ...] = (),
) -> pd.DataFrame:
    """Suitability, contribution and score of every county, with the spec's rules applied.

    ``suit_<name>`` stays NaN where the value is UNKNOWN and ``contrib_<name>`` is then 0: an
    unknown value adds nothing to the score, so it can only rank a county down. Each rule of
    ``rules`` (indicator rules on columns of ``table``, :func:`screen_rules`) tests the known
    values (:func:`siting.exclude.indicator_test`): ``exclude`` takes a county out of the
    ranking (``excluded`` names the rules), ``penalise`` multiplies its score by
    1 − penalty, ``flag`` only names the rule in ``rule_flags``.
    """
    out = table.copy()
    score = np.zeros(len(out))
    unknown = [[] for _ in range(len(out))]
    for name, weight in weights.items():
        s = suitability(out[name].to_numpy(dtype="float64"), transforms[name]).astype("float64")
        out[f"suit_{name}"] = s
        out[f"contrib_{name}"] = weight * np.nan_to_num(s, nan=0.0)
        score += out[f"contrib_{name}"].to_numpy()
        for i in np.flatnonzero(np.isnan(s)):
            unknown[i].append(name)
    factor = np.ones(len(out))
    excluded = [[] for _ in range(len(out))]
    flags = [[] for _ in range(len(out))]
    for rule in rules:
        hit = indicator_test(rule, out[rule.indicator].to_numpy(dtype="float64"))
        for i in np.flatnonzero(hit):
            if rule.mode == "exclude":
                excluded[i].append(rule.name)
            elif rule.mode == "penalise":
                factor[i] *= 1.0 - rule.penalty
                flags[i].append(f"{rule.name} (score × {1.0 - rule.penalty:g})")
            else:
                flags[i].append(rule.name)
    out["penalty_factor"] = factor
    out["score"] = np.where([bool(e) for e in excluded], np.nan, score * factor)
    out["excluded"] = ["; ".join(e) for e in excluded]
    out["rule_flags"] = ["; ".join(f) for f in flags]
    out["unknown_indicators"] = [";".join(u) for u in unknown]
    out["known_weight"] = [1.0 - sum(weights[n] for n in u) for u in unknown]
    return out


def screen_rules(
    spec: CampusSpec, columns: Sequence[str]
) -> tuple[tuple[ExclusionRule, ...], tuple[str, ...]]:
    """The spec's exclusion rules the screen can apply, and a note for each it cannot.

    Applied: ``indicator`` rules on a county column (``columns``) in mode exclude, penalise or
    flag, without a buffer, unless the gridded run tests a finer value under the same name
    (:data:`FINER_THAN_COUNTY`). A county whose value is UNKNOWN is not tested (the rule's
    ``missing`` policy is not applied: outside Indiana no county's restrictions are known, and
    excluding them would empty the map); its ``restriction`` says UNKNOWN.
    """
    applied, skipped = [], []
    for rule in spec.exclusions:
        if rule.kind == "min_area":
            skipped.append(f"{rule.name}: not checked (needs the gridded run)")
        elif rule.kind == "indicator" and rule.indicator in FINER_THAN_COUNTY:
            skipped.append(f"{rule.name}: not checked ({FINER_THAN_COUNTY[rule.indicator]})")
        elif rule.kind != "indicator" or rule.indicator not in columns:
            what = rule.indicator or rule.layer or rule.kind
            skipped.append(f"{rule.name}: not checked ({what} has no county value)")
        elif rule.buffer_m or rule.mode == "include":
            skipped.append(f"{rule.name}: not checked (a buffer or inclusion needs the grid)")
        else:
            applied.append(rule)
    return tuple(applied), tuple(skipped)


def rank_counties(scored: pd.DataFrame) -> pd.DataFrame:
    """Counties by score, best first (ties by FIPS); excluded counties last, without a rank."""
    ordered = scored.reset_index().sort_values(
        ["score", "fips"], ascending=[False, True], na_position="last", kind="mergesort"
    )
    ranked = ordered["score"].notna()
    ordered["rank"] = pd.array(np.where(ranked, np.cumsum(ranked), 0), dtype="Int64")
    ordered.loc[~ranked, "rank"] = pd.NA
    return ordered.reset_index(drop=True)


def reasons(row: pd.Series, weights: Mapping[str, float], *, n: int = 2) -> str:
    """The county's largest contributions and largest shortfalls (weight × (1 − suitability)),
    and what is UNKNOWN, in one line."""
    gains = sorted(weights, key=lambda k: -row[f"contrib_{k}"])[:n]
    known = [k for k in weights if not np.isnan(row[f"suit_{k}"]) and k not in gains]
    losses = sorted(known, key=lambda k: -(weights[k] * (1.0 - row[f"suit_{k}"])))[:n]
    parts = [f"+ {_short(row, k)}" for k in gains if row[f"contrib_{k}"] > 0]
    parts += [f"− {_short(row, k)}" for k in losses if row[f"suit_{k}"] < 1.0]
    if row["unknown_indicators"]:
        parts.append("UNKNOWN " + row["unknown_indicators"].replace(";", ", "))
    if row["excluded"]:
        parts.append(f"excluded: {row['excluded']}")
    if row["rule_flags"]:
        parts.append(f"flags: {row['rule_flags']}")
    return "; ".join(parts)


def _short(row: pd.Series, name: str) -> str:
    units = INDICATOR_BY_NAME[name].units
    return f"{name} {_fmt(row[name])} {units}"


def _fmt(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "UNKNOWN"
    if isinstance(value, str):
        return value
    value = float(value)
    if np.isinf(value):
        return "inf"
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"


def score_card(row: pd.Series, weights: Mapping[str, float]) -> pd.DataFrame:
    """One county's card: per indicator its value and units, tag, source, suitability, weight,
    contribution and why its direction is right; then the context columns."""
    records = []
    for schema in INDICATORS:
        name = schema.name
        weight = weights.get(name, 0.0)
        suit = row.get(f"suit_{name}", np.nan)
        records.append(
            {
                "indicator": name,
                "value": _fmt(row[name]),
                "units": schema.units,
                "tag": schema.tag,
                "direction": schema.direction,
                "suitability": _fmt(suit) if weight else "not scored",
                "weight": round(weight, 4),
                "contribution": round(float(row.get(f"contrib_{name}", 0.0)), 4),
                "source": schema.source,
                "why": schema.description,
            }
        )
    for name, (units, source, what) in CONTEXT.items():
        records.append(
            {
                "indicator": name,
                "value": _fmt(row[name]),
                "units": units,
                "tag": "context",
                "direction": "context",
                "suitability": "not scored",
                "weight": 0.0,
                "contribution": 0.0,
                "source": source,
                "why": what,
            }
        )
    return pd.DataFrame(records)


# ------------------------------------------------------------------------------------------
# the whole screen
# ------------------------------------------------------------------------------------------


def screen(
    spec: CampusSpec,
    *,
    out_dir: Path | None = None,
    data_dir: Path | None = None,
    top_n: int = 25,
) -> ScreenResult:
    """Score every CONUS county for ``spec``; write the outputs to ``out_dir`` if given.

    ``top_n`` counties get a full score card in ``report.md`` and an outline on the map.
    """
    if top_n < 1:
        raise SpecError(f"--top must be at least 1, got {top_n}")
    if out_dir is not None:
        check_output_dir(out_dir)
    data = read_national(data_dir)
    weights, weight_notes = screen_weights(spec)
    table = county_table(data, spec)
    rules, skipped = screen_rules(spec, list(table.columns))
    rule_notes = tuple(f"{r.name}: applied ({describe(r)}; {r.mode})" for r in rules) + skipped
    scored = score_counties(table, weights, transforms_for(spec), rules=rules)
    ranked = rank_counties(scored)
    ranked["reasons"] = [reasons(row, weights) for row in ranked.to_dict("records")]
    notes = {"weights": weight_notes, "rules": rule_notes}
    if out_dir is not None:
        write_screen(
            out_dir, ranked, spec=spec, weights=weights, notes=notes, data=data, top_n=top_n
        )
    return ScreenResult(
        ranked=ranked,
        weights=weights,
        weight_notes=weight_notes,
        rule_notes=rule_notes,
        out_dir=out_dir,
    )


# ------------------------------------------------------------------------------------------
# outputs
# ------------------------------------------------------------------------------------------

TABLE_FIRST = ["rank", "fips", "county_name", "state_abbr", "score", "known_weight", "reasons"]


def score_cards_long(ranked: pd.DataFrame, weights: Mapping[str, float]) -> pd.DataFrame:
    """``score_cards.csv``: one row per county and indicator with the value, suitability
    (blank where UNKNOWN or not scored), weight and contribution; units, tag, direction,
    source and the reasoning of each indicator are in ``indicators.csv``."""
    parts = []
    for schema in INDICATORS:
        name = schema.name
        weight = weights.get(name, 0.0)
        suit = ranked[f"suit_{name}"] if weight else np.nan
        parts.append(
            pd.DataFrame(
                {
                    "fips": ranked["fips"],
                    "rank": ranked["rank"],
                    "indicator": name,
                    "value": ranked[name],
                    "units": schema.units,
                    "status": np.where(ranked[name].isna(), "UNKNOWN", schema.tag),
                    "suitability": suit,
                    "weight": weight,
                    "contribution": ranked[f"contrib_{name}"] if weight else 0.0,
                }
            )
        )
    return pd.concat(parts).sort_values(["rank", "fips"], kind="mergesort", na_position="last")


def indicator_table(weights: Mapping[str, float]) -> pd.DataFrame:
    """``indicators.csv``: each indicator's units, direction, data tag, weight, transform,
    source, and why its direction is right (with the case where a naive proxy misleads)."""
    return pd.DataFrame(
        [
            {
                "indicator": s.name,
                "title": s.title,
                "units": s.units,
                "direction": s.direction,
                "tag": s.tag,
                "proxy": _proxy_label(s.name, s.tag),
                "weight": round(weights.get(s.name, 0.0), 6),
                "source": s.source,
                "why": s.description,
            }
            for s in INDICATORS
        ]
    )


def _proxy_label(name: str, tag: str) -> str:
    """``PROXY`` for a proxy indicator; ``PROXY for <spec weight>`` for one that also carries a
    spec weight it only stands in for (:data:`PROXY_MAPPINGS`)."""
    carried = [k for k in PROXY_MAPPINGS if SPEC_TO_COUNTY[k] == name]
    labels = (["PROXY"] if tag == "proxy" else []) + [f"PROXY for {k}" for k in carried]
    return "; ".join(labels)


def ranked_table(ranked: pd.DataFrame, weights: Mapping[str, float]) -> pd.DataFrame:
    """The columns of ``counties.csv`` in their order."""
    values = [s.name for s in INDICATORS]
    suits = [f"suit_{n}" for n in weights]
    contribs = [f"contrib_{n}" for n in weights]
    rest = ["penalty_factor", "excluded", "rule_flags", "unknown_indicators", "centroid_lat_deg"]
    rest += ["centroid_lon_deg"]
    return ranked[TABLE_FIRST + values + list(CONTEXT) + suits + contribs + rest]


def column_dictionary(columns: list[str], weights: Mapping[str, float]) -> pd.DataFrame:
    """``counties_columns.csv``: every column's units, source, data tag and meaning."""
    fixed = {
        "rank": ("-", "this screen", "1 = best; blank = excluded by a rule of the spec"),
        "fips": ("-", "Census", "5-digit county FIPS code"),
        "county_name": ("-", "Census 2022", "county name"),
        "state_abbr": ("-", "Census state FIPS code", "USPS state code"),
        "score": ("0-1", "this screen", "Σ contributions × penalty_factor"),
        "known_weight": ("0-1", "this screen", "share of the weight resting on known values"),
        "reasons": ("text", "this screen", "largest contributions (+), shortfalls (−), UNKNOWNs"),
        "penalty_factor": ("0-1", "spec exclusions", "score multiplier of a moratorium"),
        "excluded": ("text", "spec exclusions", "the spec's exclusion rules the county meets"),
        "rule_flags": ("text", "spec exclusions", "the penalise and flag rules the county meets"),
        "unknown_indicators": ("text", "this screen", "weighted indicators with no value"),
        "centroid_lat_deg": ("degrees", "Census 2022", "county centroid latitude"),
        "centroid_lon_deg": ("degrees", "Census 2022", "county centroid longitude"),
    }
    records = []
    for col in columns:
        base = col.removeprefix("suit_").removeprefix("contrib_")
        if col in fixed:
            units, source, what = fixed[col]
            tag = ""
        elif base in INDICATOR_BY_NAME:
            schema = INDICATOR_BY_NAME[base]
            units, source, tag = schema.units, schema.source, schema.tag
            what = schema.title
            if col.startswith("suit_"):
                units, what = "0-1", f"suitability of {base} (blank = UNKNOWN)"
            elif col.startswith("contrib_"):
                units, what = "0-1", f"weight {weights[base]:.4f} × suitability of {base}"
        else:
            units, source, what = CONTEXT[col]
            tag = "context"
        proxy = _proxy_label(base, tag) if base in INDICATOR_BY_NAME else ""
        records.append(
            {
                "column": col,
                "units": units,
                "tag": tag,
                "proxy": proxy,
                "source": source,
                "description": what,
            }
        )
    return pd.DataFrame(records)


def write_screen(
    out_dir: Path,
    ranked: pd.DataFrame,
    *,
    spec: CampusSpec,
    weights: Mapping[str, float],
    notes: Mapping[str, tuple[str, ...]],
    data: NationalData,
    top_n: int,
) -> None:
    """Write ``counties.csv``, ``counties_columns.csv``, ``score_cards.csv``, ``report.md``,
    ``map.html`` and ``manifest.json`` into ``out_dir`` through a staging folder."""
    table = ranked_table(ranked, weights)
    cards = score_cards_long(ranked, weights)
    with staged_dir(out_dir) as stage:
        table.to_csv(stage / "counties.csv", index=False, float_format="%.6g", lineterminator="\n")
        column_dictionary(list(table.columns), weights).to_csv(
            stage / "counties_columns.csv", index=False, lineterminator="\n"
        )
        cards.to_csv(
            stage / "score_cards.csv", index=False, float_format="%.6g", lineterminator="\n"
        )
        indicator_table(weights).to_csv(stage / "indicators.csv", index=False, lineterminator="\n")
        write_atomic_text(
            stage / "report.md",
            screen_markdown(ranked, spec=spec, weights=weights, notes=notes, top_n=top_n),
        )
        write_atomic_text(
            stage / "map.html",
            screen_map_html(ranked, data.shapes_geojson, weights=weights, spec=spec, top_n=top_n),
        )
        write_atomic_text(
            stage / "manifest.json",
            json.dumps(_manifest(spec, weights, notes, data), indent=2, ensure_ascii=False),
        )


def _manifest(spec, weights, notes, data) -> dict:
    return {
        "tool": f"siting {__version__}",
        "command": "screen",
        "created_utc": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "spec_source": spec.source,
        "spec_name": spec.name,
        "cooling_archetype": spec.cooling_archetype,
        "weights": dict(weights),
        "weight_notes": list(notes["weights"]),
        "rules": list(notes["rules"]),
        "inputs": {role: {"path": str(p), "sha256": sha256(p)} for role, p in data.files.items()},
    }


def screen_markdown(
    ranked: pd.DataFrame,
    *,
    spec: CampusSpec,
    weights: Mapping[str, float],
    notes: Mapping[str, tuple[str, ...]],
    top_n: int,
) -> str:
    """``report.md``: the weights and where they came from, the top counties with their
    reasons and full score cards, and which indicators are proxies."""
    n_ranked = int(ranked["rank"].notna().sum())
    lines = [
        f"# National county screen: {spec.name}",
        "",
        f"{n_ranked} CONUS counties ranked ({len(ranked) - n_ranked} excluded) for "
        f"{spec.it_capacity_mw:g} MW IT, {spec.cooling_archetype}, spec {spec.source}. "
        "A screen, not a siting: it says where to zoom in with `siting run`.",
        "",
        "## Weights",
        "",
        *[f"- {_md(note)}" for note in notes["weights"]],
        "",
        "## Rules of the spec",
        "",
        *[f"- {_md(note)}" for note in notes["rules"]],
        "",
        "A county whose value for a rule is UNKNOWN is not tested by it; outside Indiana no "
        "county data-center restriction is on record (UNKNOWN, not none).",
        "",
        "## Proxies",
        "",
        *[f"- **{s.name}** (PROXY): {s.title}" for s in INDICATORS if s.tag == "proxy"],
        "",
        "UNKNOWN values contribute nothing to a score (never a favourable default); "
        "`known_weight` gives the share of the weight resting on known values.",
        "",
        f"## Top {min(top_n, n_ranked)} counties",
        "",
        "| rank | county | state | score | known weight | reasons |",
        "|---|---|---|---|---|---|",
    ]
    top = ranked[ranked["rank"].notna()].head(top_n).to_dict("records")
    for row in top:
        lines.append(
            f"| {row['rank']} | {_md(row['county_name'])} | {_md(row['state_abbr'])} | "
            f"{row['score']:.3f} | {row['known_weight']:.2f} | {_md(row['reasons'])} |"
        )
    for row in top:
        lines += [
            "",
            f"### {row['rank']}. {_md(row['county_name'])}, {_md(row['state_abbr'])} "
            f"({row['fips']})",
            "",
            "| indicator | value | units | tag | suitability | weight | contribution |",
            "|---|---|---|---|---|---|---|",
        ]
        for card in score_card(row, weights).itertuples():
            lines.append(
                f"| {card.indicator} | {_md(card.value)} | {_md(card.units)} | {card.tag} | "
                f"{card.suitability} | {card.weight:.3f} | {card.contribution:.4f} |"
            )
    lines += ["", "## Indicators", ""]
    lines += [
        f"- **{s.name}** [{s.units}], {s.tag}: {s.description} Source: {s.source}."
        for s in INDICATORS
    ]
    return "\n".join(lines) + "\n"


def _md(text: object) -> str:
    """Data text for Markdown: no raw HTML (``<`` and ``&`` escaped) and no table breaks."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace("|", "\\|")


#: Colours of the score classes, worst to best (viridis, 5 classes).
CLASS_COLOURS = ("#440154", "#3b528b", "#21918c", "#5ec962", "#fde725")
UNKNOWN_COLOUR = "#bdbdbd"


def screen_map_html(
    ranked: pd.DataFrame,
    shapes_geojson: str,
    *,
    weights: Mapping[str, float],
    spec: CampusSpec,
    top_n: int,
) -> str:
    """A self-contained choropleth page of the county scores: Leaflet inlined from
    ``siting/data/vendor/leaflet``, no tiles, no network; every data text reaches the page as
    escaped JSON and is set as text, never parsed as HTML."""
    page = {
        "title": f"National county screen: {spec.name}",
        "top_n": top_n,
        "colours": list(CLASS_COLOURS),
        "unknown_colour": UNKNOWN_COLOUR,
        "breaks": _class_breaks(ranked["score"]),
        "indicators": [
            {
                "name": s.name,
                "units": s.units,
                "tag": s.tag,
                "proxy": _proxy_label(s.name, s.tag),
                "weight": round(weights.get(s.name, 0.0), 4),
            }
            for s in INDICATORS
        ],
        "counties": {row["fips"]: _map_record(row, weights) for row in ranked.to_dict("records")},
        "shapes": json.loads(shapes_geojson),
    }
    title = html.escape(page["title"])
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{title}</title>\n<style>{vendored_leaflet('leaflet.css')}</style>\n"
        f"<style>{_MAP_CSS}</style>\n<script>{vendored_leaflet('leaflet.js')}</script>\n</head>\n"
        f'<body><div id="map"></div><div id="panel"><h1>{title}</h1>'
        "<p>Counties coloured by score quintile (grey: excluded or no score). PROXY indicators "
        "are marked; UNKNOWN values add nothing to a score. Click a county for its card.</p>"
        '<div id="legend"></div><div id="card"></div></div>\n'
        f'<script type="application/json" id="screen-data">{script_json(page)}</script>\n'
        f"<script>{_MAP_JS}</script>\n</body></html>\n"
    )


def _class_breaks(scores: pd.Series) -> list[float]:
    known = scores.dropna().to_numpy()
    if known.size == 0:
        return []
    return [round(float(q), 6) for q in np.quantile(known, [0.2, 0.4, 0.6, 0.8])]


def _map_record(row: pd.Series, weights: Mapping[str, float]) -> dict:
    def number(value):
        value = float(value) if value is not None else np.nan
        return None if not np.isfinite(value) else round(value, 4)

    return {
        "name": str(row["county_name"]),
        "state": "" if pd.isna(row["state_abbr"]) else str(row["state_abbr"]),
        "rank": None if pd.isna(row["rank"]) else int(row["rank"]),
        "score": number(row["score"]),
        "excluded": str(row["excluded"]),
        "reasons": str(row["reasons"]),
        "restriction": "UNKNOWN" if pd.isna(row["restriction"]) else str(row["restriction"]),
        "values": [_fmt(row[s.name]) for s in INDICATORS],
        "suits": [number(row.get(f"suit_{s.name}", np.nan)) for s in INDICATORS],
        "contribs": [number(row.get(f"contrib_{s.name}", 0.0)) for s in INDICATORS],
    }


_MAP_CSS = """
html,body{margin:0;height:100%;font:13px/1.4 system-ui,sans-serif}
#map{position:absolute;left:0;top:0;bottom:0;right:420px;background:#f4f4f4}
#panel{position:absolute;right:0;top:0;bottom:0;width:400px;padding:10px;overflow:auto}
#panel h1{font-size:16px;margin:0 0 6px}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:2px 4px;
text-align:left;vertical-align:top}.sw{display:inline-block;width:14px;height:10px;margin-right:4px}
.proxy{color:#a50;font-weight:600}
"""

_MAP_JS = """
(function(){
var D=JSON.parse(document.getElementById('screen-data').textContent);
function el(tag,text,cls){var e=document.createElement(tag);if(text!==undefined)e.textContent=text;
if(cls)e.className=cls;return e;}
function colour(c){if(!c||c.score===null)return D.unknown_colour;var k=0;
for(var i=0;i<D.breaks.length;i++){if(c.score>D.breaks[i])k=i+1;}return D.colours[k];}
var map=L.map('map',{zoomSnap:0.25,preferCanvas:true});
function style(f){var c=D.counties[f.properties.fips];var top=c&&c.rank!==null&&c.rank<=D.top_n;
return {fillColor:colour(c),fillOpacity:0.85,color:top?'#d7191c':'#ffffff',weight:top?2:0.3};}
function card(fips){var c=D.counties[fips],box=document.getElementById('card');box.textContent='';
if(!c){box.appendChild(el('p','no data for '+fips));return;}
box.appendChild(el('h2',c.name+', '+c.state+' ('+fips+')'));
box.appendChild(el('p',c.rank===null?('not ranked: '+(c.excluded||'no score')):
('rank '+c.rank+', score '+c.score.toFixed(3))));
box.appendChild(el('p','restriction: '+c.restriction));
var t=el('table'),h=el('tr');['indicator','value','suit.','weight','contrib.'].forEach(function(x){
h.appendChild(el('th',x));});t.appendChild(h);
D.indicators.forEach(function(s,i){var r=el('tr'),n=el('td',s.name);
if(s.proxy){n.appendChild(el('span',' '+s.proxy,'proxy'));}r.appendChild(n);
r.appendChild(el('td',c.values[i]+' '+s.units));
r.appendChild(el('td',s.weight?(c.suits[i]===null?'UNKNOWN':c.suits[i].toFixed(2)):'-'));
r.appendChild(el('td',s.weight.toFixed(3)));
r.appendChild(el('td',c.contribs[i]===null?'0':c.contribs[i].toFixed(3)));t.appendChild(r);});
box.appendChild(t);box.appendChild(el('p','why: '+c.reasons));}
var layer=L.geoJSON(D.shapes,{style:style,onEachFeature:function(f,l){
var c=D.counties[f.properties.fips];l.bindTooltip((c?c.name+', '+c.state:f.properties.fips),
{sticky:true});l.on('click',function(){card(f.properties.fips);});}}).addTo(map);
map.fitBounds(layer.getBounds());
var lg=document.getElementById('legend');var lo=['lowest 20 %','','','','highest 20 %'];
D.colours.forEach(function(c,i){var p=el('div'),s=el('span','','sw');s.style.background=c;
p.appendChild(s);p.appendChild(document.createTextNode('score quintile '+(i+1)+' '+lo[i]));
lg.appendChild(p);});var u=el('div'),us=el('span','','sw');us.style.background=D.unknown_colour;
u.appendChild(us);u.appendChild(document.createTextNode('excluded or no score'));lg.appendChild(u);
})();
"""
