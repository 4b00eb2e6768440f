"""Natural hazards of a site: its county's FEMA NRI risk, hurricane tracks near it, and the
forward warming case of the campus demand model.

County risk is the FEMA National Risk Index of the site's county: the composite risk score and
the expected-annual-loss score [0–100] and their national and state percentiles [0–1]. Where
the table lacks a percentile it is the county's percentile rank among the table's counties
(``rank(pct=True)``: the share of counties scoring at or below it; national only when the table
is national). A county without an NRI row is UNKNOWN, never 0 (docs/methods.md §6.5).

Hurricane proximity counts IBTrACS storms since 1990 whose track (fixes joined in time order)
passes within :data:`HURRICANE_RADIUS_KM` of the site polygon. The warming case restates the
campus demand model's ``*_warm_moderate`` and ``*_warm_high`` columns as rises over today.

References
----------
FEMA (2023). National Risk Index technical documentation. https://hazards.fema.gov/nri
Knapp, K. R. et al. (2010). IBTrACS. Bull. Amer. Meteor. Soc. 91, 363–376.
doi:10.1175/2009BAMS2755.1
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from siting.assessments.base import Assessment, SiteContext, SiteModel

HURRICANE_RADIUS_KM = 100.0
#: US states, DC and Puerto Rico: a table with at least this many states is national.
NATIONAL_MIN_STATES = 50
#: NRI score column → its national and state percentile columns.
SCORES = {
    "nri_risk_score": ("nri_risk_national_pct", "nri_risk_state_pct"),
    "nri_eal_score": ("nri_eal_national_pct", "nri_eal_state_pct"),
}

UNITS = {
    "nri_risk_score": "0–100 (FEMA NRI composite risk score of the county; measured/modelled)",
    "nri_risk_pctile": "0–1 (national percentile of the county's NRI risk score)",
    "nri_risk_state_pctile": "0–1 (state percentile of the county's NRI risk score)",
    "nri_eal_score": "0–100 (FEMA NRI expected annual loss score of the county)",
    "nri_eal_pctile": "0–1 (national percentile of the county's NRI EAL score)",
    "nri_eal_state_pctile": "0–1 (state percentile of the county's NRI EAL score)",
    "nri_risk_rating": "FEMA NRI rating text of the county",
    "hurricane_nearest_track_km": "km (site polygon to the nearest IBTrACS track since 1990)",
    "hurricane_storms_100km": "storms (distinct IBTrACS storms since 1990 within 100 km)",
    "hurricane_max_category_100km": "Saffir-Simpson category 0–5 (strongest fix within 100 km; "
    "0 = below hurricane strength)",
    "pue_design_rise_warm_moderate": "- (design PUE rise, moderate warming case; modelled)",
    "pue_design_rise_warm_high": "- (design PUE rise, high warming case; modelled)",
    "water_site_rise_warm_moderate_pct": "% (on-site water rise, moderate warming case)",
    "water_site_rise_warm_high_pct": "% (on-site water rise, high warming case)",
}
NOTES = (
    "County hazard risk: FEMA National Risk Index county composite (scores 0–100, percentiles "
    "0–1 as published; where absent, the county's rank among the table's counties). NRI rates "
    "counties, not sites: a proxy for the site; UNKNOWN where the county has no NRI row "
    "(docs/methods.md §6.5).",
    "Hurricanes: NOAA IBTrACS tracks since 1990, fixes joined into lines in time order; "
    "distance from the site polygon in EPSG:5070; category from USA_WIND on the Saffir-Simpson "
    "scale (docs/methods.md §6.5).",
    "Warming case: the campus demand model rerun with its [climate] warming added to the "
    "typical year (pue_design_warm_*, water_site_warm_*_m3_per_yr); rises over today's values "
    "(docs/methods.md §3.6, §6.5).",
)


def nri_percentiles(table: pd.DataFrame) -> pd.DataFrame:
    """NRI table with absent percentiles filled by percentile ranks of the scores. [0–1]

    State percentiles rank within ``state_abbr``; national ones over the whole table, only
    when it holds at least :data:`NATIONAL_MIN_STATES` states (else they stay NaN).
    """
    out = table.copy()
    national = out["state_abbr"].nunique() >= NATIONAL_MIN_STATES
    for score, (nat, state) in SCORES.items():
        by_state = out.groupby("state_abbr")[score].rank(pct=True, method="max")
        out[state] = out[state].fillna(by_state)
        if national:
            out[nat] = out[nat].fillna(out[score].rank(pct=True, method="max"))
    return out


def county_risk(county_fips: pd.Series, nri: pd.DataFrame | None) -> pd.DataFrame:
    """NRI scores and percentiles of each site's county (NaN where the county has no row)."""
    names = {
        "nri_risk_score": "nri_risk_score",
        "nri_risk_national_pct": "nri_risk_pctile",
        "nri_risk_state_pct": "nri_risk_state_pctile",
        "nri_eal_score": "nri_eal_score",
        "nri_eal_national_pct": "nri_eal_pctile",
        "nri_eal_state_pct": "nri_eal_state_pctile",
        "nri_risk_rating": "nri_risk_rating",
    }
    if nri is None:
        return pd.DataFrame(np.nan, index=county_fips.index, columns=list(names.values()))
    table = nri_percentiles(nri).set_index("fips")[list(names)].rename(columns=names)
    out = table.reindex(county_fips.astype(str).to_numpy())
    return out.set_axis(county_fips.index)


def storm_lines(tracks: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """One line per storm through its fixes in file order (a single fix stays a point)."""
    rows = []
    for storm, fixes in tracks.groupby("storm_id", sort=True):
        coords = shapely.get_coordinates(fixes.geometry.to_numpy())
        geom = shapely.linestrings(coords) if len(coords) > 1 else shapely.points(coords[0])
        rows.append((storm, geom))
    ids, geoms = zip(*rows, strict=True) if rows else ((), ())
    return gpd.GeoDataFrame({"storm_id": list(ids)}, geometry=list(geoms), crs=tracks.crs)


def hurricane_proximity(
    sites: gpd.GeoSeries, tracks: gpd.GeoDataFrame | None, *, radius_km: float
) -> pd.DataFrame:
    """Nearest track [km], storms within ``radius_km`` and their strongest category per site.

    ``sites`` and ``tracks`` in one metric CRS. Categories come from the fixes within the
    radius; no storm within it gives 0 storms and NaN category; no track table, NaN throughout.
    """
    columns = [
        "hurricane_nearest_track_km",
        "hurricane_storms_100km",
        "hurricane_max_category_100km",
    ]
    if tracks is None:
        return pd.DataFrame(np.nan, index=sites.index, columns=columns)
    lines = storm_lines(tracks)
    radius_m = radius_km * 1000.0
    rows = []
    for geom in sites.geometry:
        distance_m = lines.distance(geom)
        near = set(lines.loc[distance_m <= radius_m, "storm_id"])
        fixes = tracks[tracks["storm_id"].isin(near) & (tracks.distance(geom) <= radius_m)]
        category = fixes["category"].max() if len(fixes) else np.nan
        rows.append((distance_m.min() / 1000.0, float(len(near)), category))
    return pd.DataFrame(rows, index=sites.index, columns=columns)


def warming_rise(sites: pd.DataFrame) -> pd.DataFrame:
    """Rise of design PUE [-] and on-site water [%] in the two warming cases."""
    col = lambda name: pd.to_numeric(sites[name], errors="coerce")  # noqa: E731
    out = {}
    for case in ("moderate", "high"):
        out[f"pue_design_rise_warm_{case}"] = col(f"pue_design_warm_{case}") - col("pue_design")
        water = col(f"water_site_warm_{case}_m3_per_yr") / col("water_site_m3_per_yr") - 1.0
        out[f"water_site_rise_warm_{case}_pct"] = 100.0 * water
    return pd.DataFrame(out, index=sites.index)


def assess(sites: gpd.GeoDataFrame, context: SiteContext) -> Assessment:
    """County NRI risk, hurricane-track proximity and the warming case of each site."""
    inputs = context.inputs
    tracks = None if inputs.hurricane_tracks is None else inputs.hurricane_tracks.to_crs(sites.crs)
    near = hurricane_proximity(sites.geometry, tracks, radius_km=HURRICANE_RADIUS_KM)
    columns = pd.concat(
        [county_risk(sites["county_fips"], inputs.county_nri), near, warming_rise(sites)], axis=1
    )
    return Assessment(
        name="hazards",
        columns=columns[list(UNITS)],
        units=UNITS,
        notes=NOTES,
        proxy_columns=tuple(c for c in UNITS if c.startswith("nri_")),
    )


MODEL = SiteModel(
    name="hazards",
    units=UNITS,
    reads=("county_nri", "hurricane_tracks"),
    assess=assess,
    needs=(
        "county_fips",
        "pue_design",
        "pue_design_warm_moderate",
        "pue_design_warm_high",
        "water_site_m3_per_yr",
        "water_site_warm_moderate_m3_per_yr",
        "water_site_warm_high_m3_per_yr",
    ),
)
