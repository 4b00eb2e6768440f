"""Per-site models: detailed assessments run on each ranked site after the regions are found.

Each module declares one :class:`siting.assessments.base.SiteModel` record, ``MODEL``, saying
which site columns it provides (with units), which bundle inputs it reads and which site columns
it needs. :data:`REGISTRY` lists the records; the pipeline runs them in the order their needs
require. Adding a per-site model is one module and one entry here.
"""

from __future__ import annotations

from siting.assessments import (
    campus_demand,
    economics,
    emissions,
    hazards,
    interconnection,
    jurisdiction,
    land,
    noise,
    people,
    supply,
    time_to_power,
    utility,
    water_supply,
)
from siting.assessments.base import SiteModel

REGISTRY: tuple[SiteModel, ...] = (
    campus_demand.MODEL,
    interconnection.MODEL,
    time_to_power.MODEL,
    utility.MODEL,
    emissions.MODEL,
    jurisdiction.MODEL,
    water_supply.MODEL,
    supply.MODEL,
    people.MODEL,
    noise.MODEL,
    economics.MODEL,
    hazards.MODEL,
    land.MODEL,
)
