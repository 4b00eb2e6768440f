"""Per-site time to power and queue congestion.

Adds to each ranked site its P90 months to energize and its probability of meeting the spec's
target year (the P50 is the site mean of the gridded ``time_to_power_p50_months`` indicator,
which is scored), whether a new line is assumed, the queue statistics of its county and the
active capacity queued at connection points near it. The model is in
:mod:`siting.models.queue_stats`; POI matching in :mod:`siting.models.poi`. Every column rests
on generator-queue data: a proxy.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from siting.assessments.base import Assessment, SiteContext, SiteModel
from siting.models import poi, queue_stats
from siting.models.network import Network
from siting.spec import TimeToPower

NEEDS_NEW_LINE = "needs_new_line"
UNITS = {
    "time_to_power_p90_months": "months",
    "p_meets_target_year": "probability (0-1)",
    "time_to_power_new_line": "flag (1 = new line, 0 = substation only)",
    "time_to_power_need_basis": "",
    "time_to_power_queue_basis": "",
    "queue_withdrawn_share_county": "share of requests (0-1)",
    "queue_median_active_age_months_county": "months",
    "queue_active_mw_ia_executed_county": "MW",
    "queue_active_mw_poi_nearby": "MW",
    "queue_poi_nearby_count": "connection points",
}


def site_new_line(sites: pd.DataFrame, params: TimeToPower) -> tuple[pd.Series, pd.Series]:
    """Whether each site needs a new line (1.0), a substation only (0.0) or UNKNOWN (NaN).

    Uses the grid-interconnection column ``needs_new_line`` when the site table has it and
    its value is known; otherwise the site's mean distance to a qualifying line against
    ``params.new_line_beyond_km``. Returns the flag and the basis of each value.
    """
    distance = sites["line_distance_km"].astype("float64")
    from_distance = (distance > params.new_line_beyond_km).astype("float64").where(distance.notna())
    basis = distance.map(
        lambda d: (
            "UNKNOWN: no qualifying line"
            if np.isnan(d)
            else f"line_distance_km {d:.1f} {'>' if d > params.new_line_beyond_km else '<='} "
            f"{params.new_line_beyond_km:g} km"
        )
    )
    if NEEDS_NEW_LINE not in sites.columns:
        return from_distance, basis
    given = pd.to_numeric(sites[NEEDS_NEW_LINE], errors="coerce").astype("float64")
    known = given.notna()
    flag = from_distance.where(~known, (given >= 0.5).astype("float64"))
    basis = basis.where(~known, f"{NEEDS_NEW_LINE} column (grid interconnection model)")
    return flag, basis


def nearby_poi_mw(
    sites: gpd.GeoDataFrame, points: pd.DataFrame, *, radius_km: float
) -> pd.DataFrame:
    """Active MW queued at connection points within ``radius_km`` of each site polygon.

    ``points`` is a GeoDataFrame of connection points with ``queue_active_mw``.
    """
    zones = gpd.GeoDataFrame(geometry=sites.geometry.buffer(radius_km * 1000.0), crs=sites.crs)
    hits = gpd.sjoin(zones, points[["queue_active_mw", "geometry"]], predicate="intersects")
    grouped = hits.groupby(level=0)["queue_active_mw"]
    return pd.DataFrame(
        {
            "queue_active_mw_poi_nearby": grouped.sum(),
            "queue_poi_nearby_count": grouped.size().astype("float64"),
        }
    ).reindex(sites.index, fill_value=0.0)


def assess(sites: gpd.GeoDataFrame, context: SiteContext) -> Assessment:
    """Time to power (P90, probability of meeting the target year) and queue context per site."""
    inputs = context.inputs
    spec, queue = inputs.spec, inputs.region_queue
    params = spec.time_to_power
    flag, need_basis = site_new_line(sites, params)
    ttp = queue.county_time_to_power.reset_index()
    key = pd.MultiIndex.from_arrays([sites["county_fips"], flag.astype(bool)])
    looked_up = ttp.set_index(["fips", "new_line"]).reindex(key)
    looked_up.index = sites.index
    looked_up = looked_up[looked_up.columns].where(flag.notna(), axis=0)
    county = queue.congestion.reindex(sites["county_fips"])
    county.index = sites.index
    connection, match = connection_congestion(
        queue.requests,
        inputs.named_places,
        inputs.network,
        as_of=queue.as_of,
        snap_km=params.poi_snap_km,
    )
    columns = pd.DataFrame(
        {
            "time_to_power_p90_months": looked_up["p90_months"],
            "p_meets_target_year": looked_up["p_meets_target_year"],
            "time_to_power_new_line": flag,
            "time_to_power_need_basis": need_basis,
            "time_to_power_queue_basis": looked_up["queue_basis"].fillna("UNKNOWN"),
            "queue_withdrawn_share_county": county["queue_withdrawn_share"],
            "queue_median_active_age_months_county": county["queue_median_active_age_months"],
            "queue_active_mw_ia_executed_county": county.get(
                "queue_active_mw_ia_executed", pd.Series(0.0, index=sites.index)
            ),
        },
        index=sites.index,
    ).join(nearby_poi_mw(sites, connection, radius_km=params.poi_radius_km))
    return Assessment(
        name="time to power and queue congestion (generator-queue proxy)",
        columns=columns,
        units=UNITS,
        notes=_notes(queue, match, params, spec.target_energization_year),
        proxy_columns=tuple(c for c in UNITS if not c.endswith("_basis")),
    )


def connection_congestion(
    requests: pd.DataFrame,
    named_places: gpd.GeoDataFrame,
    network: Network,
    *,
    as_of: pd.Timestamp,
    snap_km: float,
) -> tuple[gpd.GeoDataFrame, poi.PoiMatch]:
    """Queue congestion at each of the run's connection points that a request's POI name
    reaches.

    Returns the connection points with at least one matched request, with
    :func:`siting.models.queue_stats.congestion` columns, ``max_kv`` and ``places`` (the matched
    names), and the match rate.
    """
    points = network.points
    long, match = poi.match_poi(requests, named_places, points, snap_km=snap_km)
    per_point = queue_stats.congestion(requests, long, key="point_id", as_of=as_of)
    per_point["places"] = long.groupby("point_id")["place"].agg(lambda v: "; ".join(sorted(set(v))))
    table = points.set_index("point_id")[["max_kv", "geometry"]].join(per_point, how="inner")
    return table, match


def _notes(
    queue: queue_stats.RegionQueue, match: poi.PoiMatch, params: TimeToPower, target_year: int
) -> tuple[str, ...]:
    quality = queue.quality
    states = ", ".join(queue.states)
    problems = ", ".join(f"{k} {v:,}" for k, v in quality.items() if k != "requests" and v)
    return (
        queue_stats.PROXY_NOTE,
        "time_to_power_p50_months (scored) is the site mean of the per-cell P50; P90 and "
        "p_meets_target_year are computed for the site's county and need (new line or "
        "substation only) with the same model.",
        "Model: T = max(Q, U), both clocks starting at the request. Q: request-to-operation "
        f"months of requests that reached operation in {params.completed_since_year}–"
        f"{queue.as_of:%Y} (LBNL Queued Up 2024), by ISO region weighted by the county's "
        f"requests, size ≥ {params.large_request_mw:g} MW and county congestion "
        f"(≥ {params.congested_county_mw:g} MW active) where ≥ {params.min_completed} "
        "completed requests allow; completed requests only, so still-waiting requests do not "
        "lengthen it (a downward bias).",
        f"U: new line uniform {params.new_line_months[0]:g}–{params.new_line_months[1]:g} "
        f"months (4–8 yr with new ROW), substation only {params.substation_months[0]:g}–"
        f"{params.substation_months[1]:g} months (2–3 yr), floored by a transformer lead of "
        f"{params.transformer_lead_weeks[0]:g}–{params.transformer_lead_weeks[1]:g} weeks "
        "(docs/methods.md §4.4, §1.4; assumptions: uniform, independent, concurrent with the "
        "queue).",
        f"New line when the grid-interconnection flag says so, else when the qualifying line "
        f"is farther than {params.new_line_beyond_km:g} km (assumption).",
        f"p_meets_target_year: P(T ≤ {queue_stats.months_available(params, target_year):g} months),"
        f" request filed 1 January {params.request_year} (assumption), energized by 31 "
        f"December {target_year}.",
        "MISO reports no operation dates in Queued Up 2024, so MISO counties use the pooled "
        "all-regions durations (see time_to_power_queue_basis).",
        f"Queue data to {queue.as_of:%Y-%m-%d}.",
        *(
            f"{state} county join: {join.failed} of {join.mentions} county mentions failed "
            f"({join.share_failed_active_mw:.1%} of active MW; names "
            f"{', '.join(join.failed_names) or 'none'}), {join.fuzzy} joined by a close name "
            "match."
            for state, join in queue.county_join.items()
        ),
        f"POI names matched to a named substation or plant for {match.share_named:.1%} of "
        f"{match.requests} requests of {states} and to a connection point for "
        f"{match.share_connected:.1%} ({match.share_connected_active_mw:.1%} of active MW); "
        "queue_active_mw_poi_nearby is therefore a lower bound.",
        f"Problems in the national queue file ({quality['requests']:,} requests; counted, "
        f"not dropped; each row leaves only the statistics that need the missing value): "
        f"{problems or 'none'}.",
    )


MODEL = SiteModel(
    name="time to power",
    units=UNITS,
    reads=("queue", "counties", "named_places", "transmission_lines"),
    assess=assess,
    needs=("line_distance_km", "county_fips", "needs_new_line"),
)
