"""Jobs, tax and price context: what a campus would bring and cost locally, as ranges.

Jobs are IT capacity × per-GW ratios from announced campuses (siting.models.economics,
docs/methods.md §6.4). Property and equipment tax is UNKNOWN: rates, assessment ratios and
abatements are set county by county and campus by campus, and the bundle holds none of them.
The serving utility's average retail price is ``utility_avg_price_cents_per_kwh`` of the
utility model; it is not repeated here.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from siting.assessments.base import Assessment, SiteContext, SiteModel
from siting.models.economics import jobs_range

UNITS = {
    "permanent_jobs_low": "FTE (on-site permanent jobs, 450 per GW IT; proxy: announcements)",
    "permanent_jobs_high": "FTE (on-site permanent jobs, 900 per GW IT; proxy: announcements)",
    "construction_peak_jobs_low": "persons (construction workers at the peak, 3,000 per GW IT; "
    "proxy: announcements)",
    "construction_peak_jobs_high": "persons (construction workers at the peak, 6,400 per GW IT; "
    "proxy: announcements)",
    "property_tax_usd_per_yr": "USD/yr (UNKNOWN: local rates and abatements not in the bundle)",
}
NOTES = (
    "Jobs (proxy): IT capacity [GW] × 450–900 permanent FTE/GW (AWS Indiana 458/GW, AWS New "
    "Carlisle ~900/GW, JLARC 2024 ~400–650/GW) and × 3,000–6,400 construction workers at the "
    "peak per GW (Tucson Project Blue, Stargate Abilene); developer announcements, not an "
    "input-output model: indirect and induced jobs are not counted (docs/methods.md §6.4).",
    "Property and equipment tax: UNKNOWN. Rates are local (Loudoun County, VA taxes computer "
    "equipment at $4.15 per $100 assessed; Indiana counties set their own rates and often "
    "abate them for a campus), so no range is given (docs/methods.md §6.4).",
    "Electricity price: the serving utility's average retail price is "
    "utility_avg_price_cents_per_kwh (EIA-861, measured) from the utility model; bill impacts "
    "on other customers are not modelled (docs/methods.md §6.4).",
)


def assess(sites: gpd.GeoDataFrame, context: SiteContext) -> Assessment:
    """Permanent and construction-peak job ranges; the tax figure UNKNOWN."""
    capacity = pd.Series(context.inputs.spec.it_capacity_mw, index=sites.index, dtype=float)
    columns = jobs_range(capacity).assign(property_tax_usd_per_yr=np.nan)
    return Assessment(
        name="jobs, tax and price context",
        columns=columns,
        units=UNITS,
        notes=NOTES,
        proxy_columns=tuple(c for c in UNITS if c.endswith(("_low", "_high"))),
    )


MODEL = SiteModel(name="economics", units=UNITS, reads=(), assess=assess)
