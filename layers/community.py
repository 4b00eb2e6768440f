"""Community: how vulnerable the people nearby are to the burdens of a large neighbour."""

from __future__ import annotations

from collections.abc import Mapping

import xarray as xr

from layers.base import Layer
from siting.indicator import Indicator
from siting.inputs import RunInputs

INDICATORS = (
    Indicator(
        name="svi_overall_pct",
        family="community",
        title="CDC Social Vulnerability Index, overall percentile of the county",
        units="percentile (0-1, national)",
        direction="lower_better",
        tag="real",
        source="CDC/ATSDR Social Vulnerability Index 2022, counties, public domain",
        description=(
            "RPL_THEMES: national percentile rank of the county across all four SVI themes. "
            "Scored so that more vulnerable communities are not preferred hosts for the burdens "
            "of a campus; county resolution hides differences between tracts. UNKNOWN where "
            "CDC reports -999."
        ),
        best=0.0,
        worst=1.0,
    ),
)


def derive(inputs: RunInputs, upstream: Mapping[str, xr.DataArray]) -> dict[str, xr.DataArray]:
    """County SVI overall percentile on the grid. [percentile 0–1]"""
    svi = inputs.county_svi
    pct = svi.set_index("fips")["svi_overall_pct"].where(lambda v: (v >= 0) & (v <= 1))
    schema = INDICATORS[0]
    values = inputs.counties.values(pct, what="county SVI")
    return {schema.name: inputs.grid.template(values, name=schema.name, units=schema.units)}


LAYER = Layer(
    name="community",
    indicators=INDICATORS,
    reads=("county_svi", "counties"),
    derive=derive,
)
