"""Water supply at a site: the campus's water against its county's, and the place's stress.

The campus's on-site water (campus demand model, from its cooling archetype and climate) is set
beside its county's public supply and fresh withdrawals of every sector but thermoelectric
power, ground and surface water apart (USGS 2015; :func:`siting.models.water.county_water`), in
m³/yr, million gallons a day and acre-feet a year, with the indirect water of the power it draws
beside it. Where several candidate sites share a county their combined draw is compared with the
same supply: the candidates are alternatives, but a county asked to host two campuses should
know what both would take. The place's stress is WRI Aqueduct 4.0's sub-basin baseline water
stress at the site's centroid where the bundle has it, else the county draw proxy, and each row
says which (docs/methods.md §2.4).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from siting.assessments.base import Assessment, SiteContext, SiteModel
from siting.models.water import acre_ft_from_m3, county_water, mgd_from_m3_per_yr, share_pct

#: On-site water intensity at and above which a design is evaporative (towers, adiabatic
#: assist); closed loops and air-cooled chillers use a few hundredths. [L/kWh] Assumption.
EVAPORATIVE_WUE_L_PER_KWH = 0.5
#: Aqueduct categories counted as high stress: 3 High (40–80 %), 4 Extremely High (> 80 %).
HIGH_BWS_CATEGORY = 3
#: County draw counted as high stress by the proxy, where its curve is down to 0.6. [mm/yr]
#: Assumption (docs/methods.md §10).
HIGH_DRAW_MM_PER_YR = 50.0
#: Share of the county's non-power withdrawals a campus may take before it is a large new
#: user of the county's water whatever the stress measure says. [%] Assumption.
LARGE_SHARE_PCT = 25.0

#: Per-site shares; blank where the county withdraws none of that kind.
SHARE_COLUMNS = [
    "water_site_share_public_supply_pct",
    "water_site_share_nonpower_pct",
    "water_site_share_nonpower_groundwater_pct",
    "water_site_share_nonpower_surface_pct",
    "water_site_county_combined_share_nonpower_pct",
]

PROXY_BASIS = (
    "PROXY: county fresh-water draw (USGS 2015 non-power withdrawals + power-plant "
    "consumption) per unit of county area; the bundle has no basin water-stress data "
    "(WRI Aqueduct 4.0)"
)
AQUEDUCT_BASIS = "WRI Aqueduct 4.0 baseline water stress of the sub-basin at the site's centroid"

UNITS = {
    "water_stress_basis": "",
    "water_stress_level": "",
    "water_stress_high": "flag",
    "basin_pfaf_id": "",
    "water_site_mgd": "Mgal/d",
    "water_site_acre_ft_per_yr": "acre-ft/yr",
    "water_indirect_mgd": "Mgal/d",
    "water_indirect_acre_ft_per_yr": "acre-ft/yr",
    "county_public_supply_mgd": "Mgal/d (USGS 2015)",
    "county_nonpower_fresh_mgd": "Mgal/d (USGS 2015)",
    "county_nonpower_groundwater_mgd": "Mgal/d (USGS 2015)",
    "county_nonpower_surface_mgd": "Mgal/d (USGS 2015)",
    "county_nonpower_groundwater_share": "fraction (0–1)",
    "water_site_share_public_supply_pct": "%",
    "water_site_share_nonpower_pct": "%",
    "water_site_share_nonpower_groundwater_pct": "%",
    "water_site_share_nonpower_surface_pct": "%",
    "county_candidate_sites": "sites",
    "water_site_county_combined_mgd": "Mgal/d",
    "water_site_county_combined_share_nonpower_pct": "%",
    "water_flag": "",
}

NOTES = (
    "On-site water (water_site_*) from the campus demand model; 1 Mgal/d = 3,785.411784 m³/d "
    "over 365.25 d/yr, 1 acre-ft = 1,233.48 m³. Shares compare it with the county's 2015 public "
    "supply (PS-WFrTo) and fresh withdrawals less thermoelectric (TO-WFrTo − PT-WFrTo), ground "
    "and surface water apart; blank where the county withdraws none of that kind (the score's "
    "campus_water_share_nonpower_pct is then infinite, suitability 0; docs/methods.md §2.4).",
    "Indirect water (water_indirect_*): water consumed by the power plants of the site's eGRID "
    "subregion for the campus's energy; drawn across the grid, not from the county.",
    "Combined draw: all candidate sites in the same county together (county_candidate_sites), "
    "against the same county withdrawals; a worst case if several were built.",
    f"water_flag: an evaporative design (site WUE ≥ {EVAPORATIVE_WUE_L_PER_KWH:g} L/kWh) where "
    f"the place's water stress is high (Aqueduct category ≥ {HIGH_BWS_CATEGORY}, High; or, "
    f"with the proxy, a county draw ≥ {HIGH_DRAW_MM_PER_YR:g} mm/yr), or where the campus "
    f"alone would take ≥ {LARGE_SHARE_PCT:g} % of the county's non-power withdrawals.",
)


def basins_at_sites(basins: gpd.GeoDataFrame | None, sites: gpd.GeoDataFrame) -> pd.DataFrame:
    """The Aqueduct sub-basin at each site's centroid (``pfaf_id``, ``bws_cat``,
    ``bws_label``); NaN where no basin holds it or the bundle has none."""
    columns = ["pfaf_id", "bws_cat", "bws_label"]
    if basins is None:
        return pd.DataFrame(np.nan, index=sites.index, columns=columns)
    points = gpd.GeoDataFrame(geometry=sites.geometry.centroid, crs=sites.crs).to_crs(basins.crs)
    joined = gpd.sjoin(points, basins[[*columns, "geometry"]], how="left", predicate="within")
    return joined[~joined.index.duplicated(keep="first")][columns].reindex(sites.index)


def stress_columns(
    sites: gpd.GeoDataFrame, basins: gpd.GeoDataFrame | None
) -> dict[str, np.ndarray]:
    """Which stress measure each site has, its level in words, and whether it is high."""
    if basins is None:
        draw = sites["water_draw_mm_per_yr"].to_numpy(dtype=np.float64)
        level = ["UNKNOWN" if np.isnan(d) else f"county draw {d:,.1f} mm/yr (proxy)" for d in draw]
        return {
            "water_stress_basis": np.full(len(sites), PROXY_BASIS, dtype=object),
            "water_stress_level": np.array(level, dtype=object),
            "water_stress_high": np.where(np.isnan(draw), np.nan, draw >= HIGH_DRAW_MM_PER_YR),
            "basin_pfaf_id": np.full(len(sites), "", dtype=object),
        }
    basin = basins_at_sites(basins, sites)
    cat = basin["bws_cat"].to_numpy(dtype=np.float64)
    return {
        "water_stress_basis": np.full(len(sites), AQUEDUCT_BASIS, dtype=object),
        "water_stress_level": basin["bws_label"].fillna("UNKNOWN: no sub-basin").to_numpy(),
        "water_stress_high": np.where(np.isnan(cat), np.nan, cat >= HIGH_BWS_CATEGORY),
        "basin_pfaf_id": np.array(
            ["" if pd.isna(p) else str(p) for p in basin["pfaf_id"]], dtype=object
        ),
    }


def water_flags(wue: np.ndarray, stress_high: np.ndarray, share_nonpower: np.ndarray) -> list:
    """The reason an evaporative design is flagged, "" where it is not.

    >>> flags = water_flags(np.array([2.0, 2.0, 0.02]), np.array([1.0, 0.0, 1.0]), [5, 30, 90])
    >>> flags[0], flags[2]
    ('evaporative cooling where water stress is high', '')
    >>> flags[1]
    "evaporative cooling taking 30 % of the county's non-power withdrawals"
    """
    flags = []
    for w, high, share in zip(wue, stress_high, share_nonpower, strict=True):
        reasons = []
        if w >= EVAPORATIVE_WUE_L_PER_KWH and high == 1.0:
            reasons.append("evaporative cooling where water stress is high")
        if w >= EVAPORATIVE_WUE_L_PER_KWH and share >= LARGE_SHARE_PCT:
            reasons.append(
                f"evaporative cooling taking {share:,.0f} % of the county's non-power withdrawals"
            )
        flags.append("; ".join(reasons))
    return flags


def assess(sites: gpd.GeoDataFrame, context: SiteContext) -> Assessment:
    """Per-site water against the county's supply, the combined draw, and the stress measure."""
    inputs = context.inputs
    county = county_water(inputs.county_water_use).reindex(sites["county_fips"].astype(str))
    site_m3 = sites["water_site_m3_per_yr"].to_numpy(dtype=np.float64)
    indirect_m3 = sites["water_indirect_m3_per_yr"].to_numpy(dtype=np.float64)
    site_mgd = mgd_from_m3_per_yr(site_m3)
    nonpower = county["nonpower_fresh_mgd"].to_numpy()
    combined = pd.Series(site_mgd).groupby(sites["county_fips"].to_numpy()).transform("sum")
    n_sites = sites.groupby("county_fips")["county_fips"].transform("size").to_numpy()
    stress = stress_columns(sites, inputs.water_stress_basins)
    share_nonpower = share_pct(site_mgd, nonpower)
    cols = pd.DataFrame(
        {
            **stress,
            "water_site_mgd": site_mgd,
            "water_site_acre_ft_per_yr": acre_ft_from_m3(site_m3),
            "water_indirect_mgd": mgd_from_m3_per_yr(indirect_m3),
            "water_indirect_acre_ft_per_yr": acre_ft_from_m3(indirect_m3),
            "county_public_supply_mgd": county["public_supply_mgd"].to_numpy(),
            "county_nonpower_fresh_mgd": nonpower,
            "county_nonpower_groundwater_mgd": county["nonpower_groundwater_mgd"].to_numpy(),
            "county_nonpower_surface_mgd": county["nonpower_surface_mgd"].to_numpy(),
            "county_nonpower_groundwater_share": county["nonpower_groundwater_share"].to_numpy(),
            "water_site_share_public_supply_pct": share_pct(site_mgd, county["public_supply_mgd"]),
            "water_site_share_nonpower_pct": share_nonpower,
            "water_site_share_nonpower_groundwater_pct": share_pct(
                site_mgd, county["nonpower_groundwater_mgd"]
            ),
            "water_site_share_nonpower_surface_pct": share_pct(
                site_mgd, county["nonpower_surface_mgd"]
            ),
            "county_candidate_sites": n_sites,
            "water_site_county_combined_mgd": combined.to_numpy(),
            "water_site_county_combined_share_nonpower_pct": share_pct(
                combined.to_numpy(), nonpower
            ),
            "water_flag": water_flags(
                sites["wue_site_l_per_kwh"].to_numpy(dtype=np.float64),
                stress["water_stress_high"],
                share_nonpower,
            ),
        },
        index=sites.index,
    )
    # a share of a supply the county does not have is blank (a vector file cannot hold inf)
    cols[SHARE_COLUMNS] = cols[SHARE_COLUMNS].replace(np.inf, np.nan)
    proxy = (
        ("water_stress_level", "water_stress_high") if inputs.water_stress_basins is None else ()
    )
    return Assessment(
        name="water supply", columns=cols, units=UNITS, notes=NOTES, proxy_columns=proxy
    )


MODEL = SiteModel(
    name="water supply",
    units=UNITS,
    reads=("county_water_use", "water_stress_basins"),
    assess=assess,
    needs=(
        "county_fips",
        "water_draw_mm_per_yr",
        "water_site_m3_per_yr",
        "water_indirect_m3_per_yr",
        "wue_site_l_per_kwh",
    ),
)
