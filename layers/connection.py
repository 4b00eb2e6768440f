"""Connection: what it costs to connect the campus's peak to a part of the grid that can carry it.

Every cell gets the cost of its cheapest *adequate* connection within the search radius
(:mod:`siting.models.adequacy`): an existing connection point or a loop-in of a passing line at
the spec's voltage, with at least ``n_hv_lines`` lines and firm (N−1) loadability covering the
cell's peak (IT MW × the archetype's design-hour PUE there), priced with the same functions and
unit costs as the per-site interconnection model. A nearby line end that cannot carry the campus
does not make a cell good; a cell with no adequate connection within reach gets the worst value
and says so through its need class (docs/methods.md §4.1).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import xarray as xr

from layers.base import Layer
from siting.grid import padded, rasterize_values
from siting.indicator import Indicator
from siting.inputs import RunInputs
from siting.models.adequacy import adequacy_surface
from siting.models.connection import (
    REVX_COST_YEAR,
    REVX_REGION_BY_ISO,
    USD_PER_MUSD,
    connection_features,
)
from siting.models.costs import escalation_factor

SOURCE = (
    "HIFLD transmission lines (2024) via GridWatch Indiana, CC BY 4.0; connection points as in "
    "grid_capacity; NREL reVX unit costs (2019 US$) escalated by BLS CPI-U; cooling model "
    "design PUE"
)

INDICATORS = (
    Indicator(
        name="connection_cost_musd",
        family="connection",
        title="Cost of the cheapest connection that can carry the campus's peak",
        units="M$ (US$ of the spec's cost_year, default 2024; low end)",
        direction="lower_better",
        tag="real-derived",
        source=SOURCE,
        description=(
            "Low end of the cost of the cheapest adequate connection within the search radius: "
            "tie circuits at the required voltage over the route from the cell (straight line "
            "× route factor, N−1 secure), a new campus substation, the far-end upgrade or "
            "switching station and any transformer (NREL reVX, docs/methods.md §4.3), in "
            "2019 US$ restated in the spec's cost_year dollars by the CPI-U ratio (§4.8). "
            "Adequate: at least n_hv_lines lines and firm (N−1) loadability at the spec's "
            "line_rating covering IT MW × the cell's design-hour PUE. Higher is worse: it is "
            "money and, with distance, years before power; a cell whose nearest line end "
            "cannot carry the campus is priced at the connection that can. Infinite (worst) "
            "where none lies within the search radius. A site's value is its cheapest cell's."
        ),
        best=25.0,
        worst=500.0,
        site_stat="min",
    ),
    Indicator(
        name="connection_need_class",
        family="connection",
        title="What the connection needs: substation only, new line, or network upgrades",
        units="class (0 substation only, 1 new line, 2 new line plus network upgrades)",
        direction="context",
        tag="real-derived",
        source=SOURCE,
        description=(
            "0 where an adequate connection lies within substation_only_max_km, 1 where the "
            "nearest lies farther within the search radius, 2 where none lies within it. It "
            "sets the upgrade time of the time-to-power model. A site's value is its best "
            "cell's."
        ),
        site_stat="min",
    ),
    Indicator(
        name="adequate_connection_km",
        family="connection",
        title="Distance to the nearest connection that can carry the campus's peak",
        units="km",
        direction="context",
        tag="real-derived",
        source=SOURCE,
        description=(
            "Straight-line distance from the cell centre to the nearest adequate connection "
            "(any distance). UNKNOWN where no connection in the network is adequate."
        ),
        site_stat="min",
    ),
)


def region_codes(inputs: RunInputs) -> tuple[np.ndarray, tuple[str, ...]]:
    """Each cell's reVX cost region (position in the returned names; -1 where unknown)."""
    override = inputs.spec.interconnection.cost_region
    names = tuple(sorted({r for r, _ in REVX_REGION_BY_ISO.values()}))
    if override != "auto":
        return np.where(inputs.study_mask, 0, -1), (override,)
    isos = inputs.iso_regions
    code = isos["iso"].map(
        lambda iso: names.index(REVX_REGION_BY_ISO[iso][0]) if iso in REVX_REGION_BY_ISO else -1
    )
    values = rasterize_values(isos.assign(code=code), "code", inputs.grid, what="ISO regions")
    return np.where(np.isfinite(values), values, -1).astype(int), names


def derive(inputs: RunInputs, upstream: Mapping[str, xr.DataArray]) -> dict[str, xr.DataArray]:
    """Cost of the cheapest adequate connection, its distance and the need class, every cell."""
    spec, grid = inputs.spec, inputs.grid
    params = spec.interconnection
    kv = spec.interconnection_voltage_kv
    ratings = {
        c: pair[0 if params.line_rating == "low" else 1]
        for c, pair in params.line_ratings_mva.items()
    }
    features = connection_features(inputs.network, min_kv=kv, ratings=ratings)
    big, crop = padded(grid, params.search_radius_km * 1000.0)
    codes, regions = region_codes(inputs)
    surface = adequacy_surface(
        features,
        big,
        crop,
        peak_mw=spec.it_capacity_mw * upstream["pue_design_cell"].to_numpy().astype(np.float64),
        region_of_cell=codes,
        regions=regions,
        kv=kv,
        n_required=spec.n_hv_lines,
        route_factor=params.route_factor,
        search_radius_km=params.search_radius_km,
        substation_only_max_km=params.substation_only_max_km,
    )
    escalation = escalation_factor(REVX_COST_YEAR, params.cost_year, inputs.cost_index)
    cost, need, distance = INDICATORS
    attrs = {"line_rating": params.line_rating, "min_kv": f"{kv:g}"}
    return {
        cost.name: grid.template(
            (surface.cost_usd * (escalation / USD_PER_MUSD)).astype(np.float32, copy=False),
            name=cost.name,
            units=cost.units,
            cost_year=str(params.cost_year),
            escalation_from_2019=f"{escalation:.4f}",
            **attrs,
        ),
        need.name: grid.template(surface.need, name=need.name, units=need.units, **attrs),
        distance.name: grid.template(
            surface.distance_km, name=distance.name, units=distance.units, **attrs
        ),
    }


LAYER = Layer(
    name="connection",
    indicators=INDICATORS,
    reads=("transmission_lines", "substations", "iso_regions", "cost_index"),
    derive=derive,
    needs=("pue_design_cell",),
)
