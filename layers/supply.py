"""Supply: generating capacity near each cell, and the part of it at risk of retirement.

Each plant's net summer capacity (EIA U.S. Energy Atlas, :attr:`RunInputs.power_plants`) is
burned at the cell holding it on the grid padded by ``generation_radius_km``, so that plants
beyond the study area's edge count, and summed over a disc of that radius around every cell
centre with a library convolution (:func:`siting.models.supply.capacity_within_radius_mw`). The
plant positions are snapped to cell centres, so the radius is exact to half a cell diagonal
(docs/methods.md §4.9).
"""

from __future__ import annotations

from collections.abc import Mapping

import xarray as xr

from layers.base import Layer
from siting.indicator import Indicator
from siting.inputs import RunInputs
from siting.models.supply import (
    RETIREMENT_AGE_YR,
    fuel_columns,
    mw_within_radius,
    retiring_capacity_mw,
)

SOURCE = (
    "EIA U.S. Energy Atlas power plants (EIA-860, EIA-860M and EIA-923; November 2023), "
    "public domain"
)

INDICATORS = (
    Indicator(
        name="generation_nearby_mw",
        family="supply",
        title="Generating capacity near the load",
        units="MW",
        direction="higher_better",
        tag="real-derived",
        source=SOURCE,
        description=(
            "Net summer capacity of every plant (all sources, storage included) within "
            "generation_radius_km of the cell centre. Higher is better: plants nearby mean a "
            "strong network built to carry their output and supply that need not be moved far "
            "to the load. It is installed capacity, not spare capacity, and not a promise of "
            "supply: their output already serves other load, and a wind or solar MW is not a firm "
            "MW. 0 MW where no plant lies within the radius. Default curve: linear from 0 at "
            "0 MW to 1 at 5,000 MW, about four times a 1 GW campus's peak (assumption; docs/"
            "methods.md §4.9)."
        ),
        best=5000.0,
        worst=0.0,
    ),
    Indicator(
        name="generation_retiring_nearby_mw",
        family="supply",
        title="Generating capacity near the load at risk of retirement",
        units="MW",
        direction="context",
        tag="proxy",
        source=SOURCE,
        description=(
            "The part of generation_nearby_mw at risk of retirement by the rule of "
            "docs/methods.md §4.9 (assumption): coal of any age, plus natural gas and oil at "
            f"plants at least {RETIREMENT_AGE_YR} years old at the target energisation year "
            "where the plant table gives a commissioning year (the EIA Energy Atlas gives none, "
            "so with it this is the coal), plus any capacity with a planned retirement date "
            "(none in the table). Reported, not scored: it reads both ways. A risk, since "
            "capacity near the load may leave; and an opportunity, since a retiring plant's "
            "interconnection rights, switchyard and lines can serve a new load or replacement "
            "generation."
        ),
    ),
)


def derive(inputs: RunInputs, upstream: Mapping[str, xr.DataArray]) -> dict[str, xr.DataArray]:
    """Capacity within the generation radius of every cell, total and at risk. [MW]"""
    grid, spec = inputs.grid, inputs.spec
    radius_m = spec.interconnection.generation_radius_km * 1000.0
    plants = inputs.power_plants
    fuels = fuel_columns(plants)
    at_risk = retiring_capacity_mw(plants, target_year=spec.target_energization_year)
    per_plant = {
        "generation_nearby_mw": plants[fuels].astype(float).sum(axis=1),
        "generation_retiring_nearby_mw": at_risk.sum(axis=1),
    }
    attrs = {
        "radius_km": f"{radius_m / 1000.0:g}",
        "target_year": str(spec.target_energization_year),
        "plant_years": "given" if "year" in plants.columns else "not in the plant table",
    }
    out = {}
    for schema in INDICATORS:
        summed = mw_within_radius(
            plants.assign(mw=per_plant[schema.name]),
            "mw",
            grid,
            radius_m=radius_m,
            what="power plants",
        )
        out[schema.name] = grid.template(summed, name=schema.name, units=schema.units, **attrs)
    return out


LAYER = Layer(
    name="supply",
    indicators=INDICATORS,
    reads=("power_plants",),
    derive=derive,
)
