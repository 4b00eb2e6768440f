"""The ranked site table: one row per candidate region, with its summaries, place and polygon."""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import numpy as np
import pandas as pd

from siting.counties import Counties
from siting.grid import Grid
from siting.indicator import Indicator
from siting.rank import rank_sites
from siting.regions import region_polygons
from siting.zonal import Zones, summarize_zones, zone_majority, zone_mean, zones_of

UNKNOWN = "UNKNOWN"
#: The columns every site table starts with, in this order.
FIRST_COLUMNS = (
    "rank",
    "site_id",
    "score",
    "area_km2",
    "county",
    "county_fips",
    "centroid_lon",
    "centroid_lat",
)


def site_table(
    labels: np.ndarray,
    grid: Grid,
    *,
    counties: Counties,
    study_area: gpd.GeoDataFrame,
    indicators: Mapping[str, np.ndarray],
    suitabilities: Mapping[str, np.ndarray],
    weights: Mapping[str, float],
    score: np.ndarray,
    schemas: Mapping[str, Indicator],
    unpenalised: np.ndarray | None = None,
    flags: Mapping[str, np.ndarray] | None = None,
    extra: Mapping[str, list] | None = None,
    geometries: gpd.GeoSeries | None = None,
) -> tuple[gpd.GeoDataFrame, np.ndarray]:
    """Ranked candidate sites with their summaries, county, centroid and polygon (grid CRS).

    ``score`` is the score the regions were found on; ``unpenalised`` the score before penalty
    rules (``penalty_score`` is the difference, so the score is the sum of the contributions
    and the penalty); ``flags`` the cells each flag rule marks (``flags`` lists the rules
    touching a site, with the share of its cells). ``extra`` holds more columns, one value per
    label 1..n; ``geometries`` the sites' own polygons (a team's candidates) instead of their
    cells'. Returns the table and the grid of each cell's site rank (0 outside every site).
    With no region the table is empty, with the first columns only.
    """
    if not (labels > 0).any():
        empty = gpd.GeoDataFrame(
            {c: [] for c in (*FIRST_COLUMNS, "proxy_indicators")}, geometry=[], crs=grid.crs
        )
        return empty, np.zeros(labels.shape, dtype=np.int32)
    zones = zones_of(labels)
    summary = summarize_zones(
        zones,
        grid,
        indicators=indicators,
        suitabilities=suitabilities,
        weights=weights,
        score=score,
        stats={n: schemas[n].site_stat for n in indicators},
    )
    ids = summary["label"].to_numpy()
    site_score = zones.gather(score)
    penalty = site_score - (site_score if unpenalised is None else zones.gather(unpenalised))
    summary["penalty_score"] = zone_mean(penalty, zones)[0]
    summary["flags"] = zone_flag_text(flags or {}, zones)
    for name, values in (extra or {}).items():
        summary[name] = pd.Series(values).to_numpy()[ids - 1]
    if geometries is None:
        shapes = region_polygons(labels, grid).set_index("label").loc[ids].geometry.to_numpy()
    else:
        shapes = geometries.to_numpy()[ids - 1]
    sites = gpd.GeoDataFrame(summary, geometry=shapes, crs=grid.crs)
    county_idx = zone_majority(zones.gather(counties.cells), zones)
    table = counties.table
    sites["county"] = [table["name"].iloc[i] if i >= 0 else UNKNOWN for i in county_idx]
    sites["county_fips"] = [table["fips"].iloc[i] if i >= 0 else UNKNOWN for i in county_idx]
    centroids = sites.geometry.centroid
    lonlat = gpd.GeoSeries(centroids, crs=grid.crs).to_crs("EPSG:4326")
    sites["centroid_lon"], sites["centroid_lat"] = lonlat.x.round(5), lonlat.y.round(5)
    states = site_states(county_idx, centroids, counties=counties, study_area=study_area)
    sites["site_id"] = [
        site_id(state, x, y) for state, x, y in zip(states, centroids.x, centroids.y, strict=True)
    ]
    proxies = [n for n in weights if schemas[n].tag in ("proxy", "synthetic")]
    sites["proxy_indicators"] = ";".join(proxies)
    ranked = rank_sites(sites)
    rest = [c for c in ranked.columns if c not in FIRST_COLUMNS and c not in ("geometry", "label")]
    by_rank = np.zeros(int(zones.labels.max()) + 1, dtype=np.int32)
    by_rank[ranked["label"].to_numpy()] = ranked["rank"].to_numpy()
    out = gpd.GeoDataFrame(ranked[[*FIRST_COLUMNS, *rest]], geometry=ranked.geometry, crs=grid.crs)
    rank_grid = np.zeros(labels.shape, dtype=np.int32)
    rank_grid.flat[zones.cells] = by_rank[zones.labels]
    return out, rank_grid


def flag_text(flags: Mapping[str, np.ndarray], labels: np.ndarray, ids: np.ndarray) -> list[str]:
    """Per region, the flag rules touching it with the share of its cells, e.g.
    ``"protected land (PAD-US) 24%"``; ``""`` where none.

    >>> labels = np.array([[1, 1, 2, 2]])
    >>> flag_text({"parks": np.array([[True, False, False, False]])}, labels, np.array([1, 2]))
    ['parks 50%', '']
    """
    return zone_flag_text(flags, zones_of(labels, ids))


def zone_flag_text(flags: Mapping[str, np.ndarray], zones: Zones) -> list[str]:
    """:func:`flag_text` of the labelled cells ``zones``, each mask read at those cells only."""
    parts: list[list[str]] = [[] for _ in zones.ids]
    for name, mask in flags.items():
        shares, _ = zone_mean(zones.gather(mask).astype(np.float32), zones)
        for i, share in enumerate(shares):
            if share > 0:
                parts[i].append(f"{name} {share:.0%}")
    return ["; ".join(p) for p in parts]


def site_states(
    county_idx: np.ndarray,
    centroids: gpd.GeoSeries,
    *,
    counties: Counties,
    study_area: gpd.GeoDataFrame,
) -> list[str]:
    """The state of each site: its county's, else the study-area state holding its centroid,
    else ``"US"``."""
    by_county = counties.table["state"].to_numpy()
    holder = gpd.sjoin(
        gpd.GeoDataFrame(geometry=centroids.to_numpy(), crs=centroids.crs),
        study_area[["state", "geometry"]].to_crs(centroids.crs),
        how="left",
        predicate="within",
    )
    holder = holder[~holder.index.duplicated(keep="first")]["state"]
    return [
        by_county[i] if i >= 0 else (s if isinstance(s, str) else "US")
        for i, s in zip(county_idx, holder, strict=True)
    ]


def site_id(state: str, x_m: float, y_m: float) -> str:
    """Stable site id from the state and the centroid in EPSG:5070 km.

    >>> site_id("IN", 712_400.0, 1_843_100.0)
    'IN-712E-1843N'
    """
    x_km, y_km = round(x_m / 1000.0), round(y_m / 1000.0)
    return f"{state}-{abs(x_km)}{'E' if x_km >= 0 else 'W'}-{abs(y_km)}{'N' if y_km >= 0 else 'S'}"


def append_columns(sites: gpd.GeoDataFrame, columns: pd.DataFrame, *, source: str):
    """``sites`` with ``columns`` joined; a column that already exists is an error."""
    clash = sorted(set(columns.columns) & set(sites.columns))
    if clash:
        raise ValueError(f"{source} would overwrite site columns {clash}")
    return sites.join(columns)
