"""Supply near each site: the generation nearby at risk of retirement, and the largest plants.

Plants of the EIA U.S. Energy Atlas table within ``generation_radius_km`` of the site's edge
(the radius of the interconnection model's ``nearby_generation_mw``), their capacity at risk of
retirement by the rule of :func:`siting.models.supply.retiring_capacity_mw`, and the largest of
them by name (docs/methods.md §4.9).
"""

from __future__ import annotations

from types import MappingProxyType

import geopandas as gpd
import pandas as pd

from siting.assessments.base import Assessment, SiteContext, SiteModel
from siting.models.supply import (
    LISTED_PLANTS,
    RETIREMENT_AGE_YR,
    by_fuel_text,
    capacity_within_km,
    largest_plants_text,
    retiring_capacity_mw,
)

UNITS = MappingProxyType(
    {
        "nearby_generation_retiring_mw": "MW (net summer capacity at risk of retirement, "
        "EIA-860M Nov 2023)",
        "nearby_generation_retiring_by_fuel": "(text: MW at risk by energy source)",
        "nearby_largest_plants": "(text: name, MW by source, km from the site's edge, age)",
    }
)
PROXY_COLUMNS = ("nearby_generation_retiring_mw", "nearby_generation_retiring_by_fuel")


def assess(sites: gpd.GeoDataFrame, context: SiteContext) -> Assessment:
    """Capacity at risk of retirement near each site, by fuel, and its largest nearby plants."""
    inputs = context.inputs
    radius_km = inputs.spec.interconnection.generation_radius_km
    year = inputs.spec.target_energization_year
    geoms = sites.geometry.reset_index(drop=True)
    plants = inputs.power_plants
    at_risk = plants.assign(**retiring_capacity_mw(plants, target_year=year))
    retiring = capacity_within_km(geoms, at_risk, radius_km=radius_km)
    columns = pd.DataFrame(
        {
            "nearby_generation_retiring_mw": retiring.sum(axis=1).to_numpy(),
            "nearby_generation_retiring_by_fuel": by_fuel_text(retiring),
            "nearby_largest_plants": largest_plants_text(
                geoms, plants, radius_km=radius_km, target_year=year
            ),
        },
        index=sites.index,
    )
    return Assessment(
        name="supply near the load",
        columns=columns,
        units=UNITS,
        notes=_notes(radius_km, year, has_years="year" in plants.columns),
        proxy_columns=PROXY_COLUMNS,
    )


def _notes(radius_km: float, year: int, *, has_years: bool) -> tuple[str, ...]:
    ages = (
        "The plant table gives commissioning years."
        if has_years
        else "The EIA Energy Atlas table gives no commissioning year or planned retirement "
        "date, so no gas or oil capacity is counted and each plant's age is UNKNOWN: the "
        "at-risk figure is the coal nearby."
    )
    return (
        f"Plants within {radius_km:g} km of the site's edge (as nearby_generation_mw); the "
        f"{LISTED_PLANTS} largest by net summer capacity are listed in nearby_largest_plants.",
        "PROXY: capacity at risk of retirement by a rule, not announced retirements "
        f"(assumption, docs/methods.md §4.9): coal of any age, natural gas and oil at plants at "
        f"least {RETIREMENT_AGE_YR} years old in {year}, and any capacity with a planned "
        f"retirement year. {ages}",
        "It reads both ways: capacity that may leave the site's neighbourhood, and a retiring "
        "plant's interconnection rights, switchyard and lines that a new load or replacement "
        "generation could reuse.",
    )


MODEL = SiteModel(
    name="supply",
    units=UNITS,
    reads=("power_plants",),
    assess=assess,
)
