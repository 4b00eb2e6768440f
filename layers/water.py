"""Water: how hard the local water supply is already worked."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import xarray as xr

from layers.base import Layer
from siting.indicator import Indicator
from siting.inputs import RunInputs

INDICATORS = (
    Indicator(
        name="water_withdrawal_mm_per_yr",
        family="water",
        title="Fresh-water withdrawal depth of the county (proxy for water stress)",
        units="mm/yr",
        direction="lower_better",
        tag="proxy",
        source="USGS Estimated Use of Water in the United States, county data 2015, public domain",
        description=(
            "Total fresh-water withdrawals of the county (all sectors, ground and surface, "
            "TO-WFrTo) spread over the county's area, as a depth. Demand only: it stands in for "
            "basin water stress (WRI Aqueduct bws = withdrawals / renewable supply), which is not "
            "in this bundle. 12 mm/yr is Aqueduct's 'low water use' threshold (0.012 m/yr); the "
            "other break points are assumptions. UNKNOWN where USGS reports no value."
        ),
        points=((0.0, 1.0), (12.0, 0.9), (50.0, 0.6), (200.0, 0.2), (1000.0, 0.0)),
    ),
)


M3_PER_MGAL = 3785.411784
DAYS_PER_YEAR = 365.25


def withdrawal_depth_mm_per_yr(water_use: pd.DataFrame, counties: pd.DataFrame) -> pd.Series:
    """Fresh withdrawals spread over the county's area, by FIPS. [mm/yr]

    >>> use = pd.DataFrame({"fips": ["18001"], "fresh_withdrawal_mgd": [1.0]})
    >>> area = pd.DataFrame({"fips": ["18001"], "area_km2": [1.0]})
    >>> round(float(withdrawal_depth_mm_per_yr(use, area).iloc[0]), 1)
    1382.6
    """
    mgd = water_use.set_index("fips")["fresh_withdrawal_mgd"]
    area_km2 = counties.set_index("fips")["area_km2"]
    m3_per_yr = mgd.reindex(area_km2.index) * M3_PER_MGAL * DAYS_PER_YEAR
    return (m3_per_yr / (area_km2 * 1.0e6) * 1000.0).rename("water_withdrawal_mm_per_yr")


def derive(inputs: RunInputs, upstream: Mapping[str, xr.DataArray]) -> dict[str, xr.DataArray]:
    """County fresh-water withdrawal depth on the grid. [mm/yr]"""
    counties = inputs.counties
    depth = withdrawal_depth_mm_per_yr(inputs.county_water_use, counties.table)
    schema = INDICATORS[0]
    values = counties.values(depth, what="county water use")
    return {schema.name: inputs.grid.template(values, name=schema.name, units=schema.units)}


LAYER = Layer(
    name="water",
    indicators=INDICATORS,
    reads=("county_water_use", "counties"),
    derive=derive,
)
