"""Interconnection queue: how much generation waits to connect nearby, and how long power takes.

Both indicators rest on generator and storage requests (LBNL *Queued Up*), not large-load
requests: each is a proxy for a data-center campus's own queue, and is tagged ``proxy``. The
statistics come from :attr:`siting.inputs.RunInputs.region_queue`
(:mod:`siting.models.queue_stats`), computed once per run and shared with the per-site time to
power model.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import xarray as xr

from layers.base import Layer
from siting.indicator import Indicator
from siting.inputs import RunInputs
from siting.sources.lbnl import SOURCE as LBNL_SOURCE

INDICATORS = (
    Indicator(
        name="queue_active_mw_county",
        family="queue",
        title="Active generation and storage capacity queued in the county",
        units="MW",
        direction="lower_better",
        tag="proxy",
        source=LBNL_SOURCE,
        description=(
            "Sum of the capacity of active requests naming the county (split equally among the "
            "counties a request names). A proxy for local grid congestion: these are generator "
            "requests, not large-load requests. Counties with no active request have 0 MW."
        ),
        best=0.0,
        worst=3000.0,
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
            "P50 of max(queue time, upgrade time): queue time from the request-to-operation "
            "months of completed generator requests in the county's ISO regions (size class "
            "and county congestion where the sample allows), upgrade time uniform over the "
            "spec's new-line or substation-only range (new line when the qualifying line is "
            "farther than new_line_beyond_km), floored by transformer lead time. A proxy: "
            "generator requests, not large-load requests. UNKNOWN without a qualifying line."
        ),
        best=36.0,
        worst=96.0,
    ),
)


def cell_p50_months(
    county_time_to_power: pd.DataFrame,
    county_of_cell: np.ndarray,
    fips: pd.Series,
    distance_km: np.ndarray,
    *,
    new_line_beyond_km: float,
) -> np.ndarray:
    """Each cell's P50 months: its county's, with a new line beyond ``new_line_beyond_km``.

    ``county_of_cell`` holds positions in ``fips`` (-1 outside every county). NaN outside
    counties and where no qualifying line exists (``distance_km`` NaN). [months]
    """
    p50 = county_time_to_power["p50_months"]
    by_need = {
        need: p50.xs(need, level="new_line").reindex(fips).to_numpy() for need in (True, False)
    }
    new_line = distance_km > new_line_beyond_km
    idx = np.maximum(county_of_cell, 0)
    cells = np.where(new_line, by_need[True][idx], by_need[False][idx])
    return np.where((county_of_cell >= 0) & np.isfinite(distance_km), cells, np.nan).astype(
        np.float32
    )


def derive(inputs: RunInputs, upstream: Mapping[str, xr.DataArray]) -> dict[str, xr.DataArray]:
    """Active queued MW of each cell's county [MW], and time-to-power P50 [months]."""
    queue, counties, grid = inputs.region_queue, inputs.counties, inputs.grid
    params = inputs.spec.time_to_power
    active = counties.values(queue.congestion["queue_active_mw"], what="queue congestion")
    p50 = cell_p50_months(
        queue.county_time_to_power,
        counties.cells,
        counties.table["fips"],
        upstream["line_distance_km"].to_numpy(),
        new_line_beyond_km=params.new_line_beyond_km,
    )
    queue_schema, ttp_schema = INDICATORS
    failed = sum(j.failed for j in queue.county_join.values())
    mentions = sum(j.mentions for j in queue.county_join.values())
    return {
        queue_schema.name: grid.template(
            active,
            name=queue_schema.name,
            units=queue_schema.units,
            share_mw_unjoined=_unjoined_share(queue),
            county_mentions_failed=f"{failed} of {mentions}",
        ),
        ttp_schema.name: grid.template(
            p50,
            name=ttp_schema.name,
            units=ttp_schema.units,
            new_line_beyond_km=str(params.new_line_beyond_km),
            proxy="generator interconnection requests, not large-load requests",
        ),
    }


def _unjoined_share(queue) -> str:
    """Share of active MW whose county name did not join, per state (e.g. ``IN 0.0330``)."""
    return "; ".join(
        f"{state} {join.share_failed_active_mw:.4f}" for state, join in queue.county_join.items()
    )


LAYER = Layer(
    name="queue",
    indicators=INDICATORS,
    reads=("queue", "counties", "transmission_lines"),
    derive=derive,
    needs=("line_distance_km",),
)
