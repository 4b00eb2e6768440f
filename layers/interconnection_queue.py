"""Interconnection queue: how long power takes, and how much waits at the points a campus would use.

Every indicator rests on generator and storage requests (LBNL *Queued Up*), not large-load
requests: each is a proxy for a data-center campus's own queue, and is tagged ``proxy``. The
county statistics and the time-to-power table come from
:attr:`siting.inputs.RunInputs.region_queue` (:mod:`siting.models.queue_stats`), computed once
per run and shared with the per-site time-to-power model. The queue at the points of
interconnection comes from matching each request's POI name to the run's connection points
(:func:`siting.models.poi.connection_congestion`); each point's active MW is burned at the cell
holding it on the grid padded by ``poi_radius_km`` and summed over a disc of that radius around
every cell centre with a library convolution
(:func:`siting.models.supply.capacity_within_radius_mw`), so points beyond the study area's edge
count and the radius is exact to half a cell diagonal.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import xarray as xr

from layers.base import Layer
from siting.errors import DataError
from siting.grid import Grid
from siting.indicator import Indicator
from siting.inputs import RunInputs
from siting.models.poi import PoiMatch, connection_congestion
from siting.models.queue_stats import NEEDS, has_study_stages
from siting.models.supply import mw_within_radius
from siting.sources.lbnl import SOURCE as LBNL_SOURCE

NEED_INDICATOR = "connection_need_class"
POI_SOURCE = (
    LBNL_SOURCE + "; POI names matched to OpenStreetMap substations and EIA plants, snapped to "
    "the run's connection points"
)

INDICATORS = (
    Indicator(
        name="queue_active_mw_county",
        family="queue",
        title="Active generation and storage capacity queued in the county",
        units="MW",
        direction="context",
        tag="proxy",
        source=LBNL_SOURCE,
        description=(
            "Sum of the capacity of active requests naming the county (split equally among the "
            "counties a request names). Reported, not scored: queued generation near a load is "
            "supply the load may draw on, not a burden for it; what competes with a campus is "
            "the queue at the points it would connect to (queue_active_mw_poi_nearby). A "
            "proxy: generator requests, not large-load requests. Counties with no active "
            "request have 0 MW."
        ),
    ),
    Indicator(
        name="time_to_power_p50_months",
        family="queue",
        title="Median months from interconnection request to energization (generator proxy)",
        units="months",
        direction="lower_better",
        tag="proxy",
        source=LBNL_SOURCE + "; upgrade durations docs/methods.md §4.4",
        description=(
            "P50 of max(queue time, upgrade time) for the cell's county and the cell's "
            "connection_need_class (grid adequacy): queue time from the request-to-operation "
            "months of completed generator requests in the county's ISO regions (size class "
            "and county congestion where the sample allows); upgrade time uniform over the "
            "spec's substation-only, new-line or network-upgrade range for that need; both "
            "floored by the transformer lead time. Higher is worse: every month without power "
            "is a month the campus cannot earn, and a later date risks missing the target "
            "year. A proxy: generator requests, not large-load requests. UNKNOWN where the "
            "need is unknown. A site's value is its best cell's, the cell nearest an adequate "
            "connection, where the connection is measured from."
        ),
        best=36.0,
        worst=96.0,
        site_stat="min",
    ),
    Indicator(
        name="queue_active_mw_poi_nearby",
        family="queue",
        title="Active capacity queued at connection points near the cell",
        units="MW",
        direction="lower_better",
        tag="proxy",
        source=POI_SOURCE,
        description=(
            "Active queued capacity at the run's connection points within poi_radius_km of the "
            "cell centre, from each request's POI name (a request naming two points split "
            "equally). Lower is better: requests already waiting at the substations a campus "
            "would connect to compete with it for the same network upgrades and study "
            "capacity. Includes requests with signed agreements "
            "(queue_active_mw_ia_executed_poi_nearby). A proxy (generator requests, not "
            "large-load requests) and a lower bound: requests whose POI names no known place "
            "are not counted (match rate in the attributes). 0 MW where no matched point lies "
            "within the radius. Default curve: linear from 1 at 0 MW to 0 at 3,000 MW "
            "(assumption, as for the county queue)."
        ),
        best=0.0,
        worst=3000.0,
    ),
    Indicator(
        name="queue_active_mw_ia_executed_poi_nearby",
        family="queue",
        title="Queued capacity with a signed interconnection agreement near the cell",
        units="MW",
        direction="context",
        tag="proxy",
        source=POI_SOURCE,
        description=(
            "The part of queue_active_mw_poi_nearby whose interconnection agreement is "
            "executed (study stage ia_executed). Reported, not scored, and a plus: generation "
            "with a signed agreement is likely to be built near the load. A lower bound "
            "(unmatched POIs, requests of unknown stage); UNKNOWN when the queue file gives no "
            "study stage."
        ),
    ),
)


def cell_p50_months(
    county_time_to_power: pd.DataFrame,
    county_of_cell: np.ndarray,
    fips: pd.Series,
    need_class: np.ndarray,
) -> np.ndarray:
    """Each cell's P50 months: its county's, for its need class. [months]

    Parameters
    ----------
    county_time_to_power : pandas.DataFrame
        ``p50_months`` [months] indexed by (``fips``, ``need``) as in
        :attr:`siting.models.queue_stats.RegionQueue.county_time_to_power`.
    county_of_cell : numpy.ndarray
        Position of each cell's county in ``fips`` (-1 outside every county).
    fips : pandas.Series
        County FIPS codes.
    need_class : numpy.ndarray
        Each cell's need class (:data:`siting.models.queue_stats.NEEDS`: 0 substation only,
        1 new line, 2 new line plus network upgrades), NaN where unknown.

    Returns
    -------
    numpy.ndarray
        Float32; NaN outside counties and where the need is unknown. [months]
    """
    known = np.isfinite(need_class)
    codes = np.unique(need_class[known])
    if not np.isin(codes, NEEDS).all():
        raise DataError(
            f"{NEED_INDICATOR}: need classes must be {list(NEEDS)} or NaN, got "
            f"{sorted(codes.tolist())}"
        )
    p50 = county_time_to_power["p50_months"].unstack("need").reindex(columns=list(NEEDS))
    table = p50.reindex(fips).to_numpy(dtype="float64")  # county × need
    need = np.where(known, need_class, 0).astype(int)
    cells = table[np.maximum(county_of_cell, 0), need]
    return np.where((county_of_cell >= 0) & known, cells, np.nan).astype(np.float32)


def nearby_mw(points: pd.DataFrame, column: str, grid: Grid, *, radius_km: float) -> np.ndarray:
    """Sum of ``points[column]`` over the connection points within ``radius_km`` of each cell
    centre (:func:`siting.models.supply.mw_within_radius`). [MW]"""
    return mw_within_radius(
        points, column, grid, radius_m=radius_km * 1000.0, what="connection points"
    )


def derive(inputs: RunInputs, upstream: Mapping[str, xr.DataArray]) -> dict[str, xr.DataArray]:
    """County queue [MW], time-to-power P50 [months] and queue near each cell's points [MW]."""
    queue, counties, grid = inputs.region_queue, inputs.counties, inputs.grid
    params = inputs.spec.time_to_power
    county_schema, ttp_schema, poi_schema, ia_schema = INDICATORS
    p50 = cell_p50_months(
        queue.county_time_to_power,
        counties.cells,
        counties.table["fips"],
        upstream[NEED_INDICATOR].to_numpy(),
    )
    points, match = connection_congestion(
        queue.requests,
        inputs.named_places,
        inputs.network,
        as_of=queue.as_of,
        snap_km=params.poi_snap_km,
    )
    poi_attrs = {"radius_km": f"{params.poi_radius_km:g}", **_match_attrs(match)}
    active = nearby_mw(points, "queue_active_mw", grid, radius_km=params.poi_radius_km)
    failed = sum(j.failed for j in queue.county_join.values())
    mentions = sum(j.mentions for j in queue.county_join.values())
    return {
        county_schema.name: grid.template(
            counties.values(queue.congestion["queue_active_mw"], what="queue congestion"),
            name=county_schema.name,
            units=county_schema.units,
            share_mw_unjoined=_unjoined_share(queue),
            county_mentions_failed=f"{failed} of {mentions}",
        ),
        ttp_schema.name: grid.template(
            p50,
            name=ttp_schema.name,
            units=ttp_schema.units,
            need_from=NEED_INDICATOR,
            proxy="generator interconnection requests, not large-load requests",
        ),
        poi_schema.name: grid.template(
            active, name=poi_schema.name, units=poi_schema.units, **poi_attrs
        ),
        ia_schema.name: _ia_executed(points, queue.requests, grid, params.poi_radius_km, poi_attrs),
    }


def _ia_executed(points, requests, grid: Grid, radius_km: float, attrs: dict) -> xr.DataArray:
    """Active MW with an executed agreement near each cell; UNKNOWN without study stages."""
    schema = INDICATORS[3]
    column = "queue_active_mw_ia_executed"
    if not has_study_stages(requests):
        values = np.full(grid.shape, np.nan, dtype=np.float32)
        attrs = {**attrs, "unavailable": "the queue file gives no study stage"}
    else:
        mw = points[column] if column in points.columns else 0.0
        values = nearby_mw(points.assign(mw=mw), "mw", grid, radius_km=radius_km)
    return grid.template(values, name=schema.name, units=schema.units, **attrs)


def _match_attrs(match: PoiMatch) -> dict[str, str]:
    """The POI match rate, for the attributes of the indicators that rest on it."""
    return {
        "poi_requests": str(match.requests),
        "poi_share_connected": f"{match.share_connected:.4f}",
        "poi_share_connected_active_mw": f"{match.share_connected_active_mw:.4f}",
        "lower_bound": "requests whose POI name reaches no connection point are not counted",
    }


def _unjoined_share(queue) -> str:
    """Share of active MW whose county name did not join, per state (e.g. ``IN 0.0330``)."""
    return "; ".join(
        f"{state} {join.share_failed_active_mw:.4f}" for state, join in queue.county_join.items()
    )


LAYER = Layer(
    name="queue",
    indicators=INDICATORS,
    reads=("queue", "counties", "named_places", "transmission_lines", "substations"),
    derive=derive,
    needs=(NEED_INDICATOR,),
)
