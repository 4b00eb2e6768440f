"""Campus water: the campus's own on-site water against what its county already draws.

Each cell's campus water is the on-site water intensity of the spec's cooling archetype in the
cell's climate (``wue_site_cell_l_per_kwh``, layers/cooling_performance.py) times the campus's
annual IT energy; it is compared with the county's fresh-water withdrawals of every sector but
thermoelectric power (:func:`siting.models.water.county_water`), the wells and intakes a campus
would share. Higher is worse: a campus that needs a large share of what a county draws today
needs new wells or intakes and permits on the scale of a new industry, competes with the homes,
farms and plants that use that water, and is where opposition starts. So a cooling-tower campus
ranks away from counties with little water, and a closed-loop campus, which needs almost none,
barely notices (docs/methods.md §2.4).
"""

from __future__ import annotations

from collections.abc import Mapping

import xarray as xr

from layers.base import Layer
from siting.indicator import Indicator
from siting.inputs import RunInputs
from siting.models.water import county_water, mgd_from_m3_per_yr, share_pct

NAME = "campus_water_share_nonpower_pct"

INDICATORS = (
    Indicator(
        name=NAME,
        family="campus_water",
        title="Campus on-site water as a share of the county's non-power fresh withdrawals",
        units="%",
        direction="lower_better",
        tag="real-derived",
        source=(
            "Cooling model of the spec's archetype on TMY3 / PVCZ-2019 weather "
            "(wue_site_cell_l_per_kwh); USGS county water use 2015 (public domain)"
        ),
        description=(
            "100 × campus on-site water (WUE of the cell × IT MW × load factor × 8,760 h) / the "
            "county's fresh withdrawals less thermoelectric (USGS TO-WFrTo − PT-WFrTo), both in "
            "Mgal/d; infinite where the county withdraws nothing. 1 % is a new user among many, "
            "10 % needs new wells or intakes of its own, 100 % doubles the county's water use "
            "(break points: assumptions). UNKNOWN where either figure is."
        ),
        points=((0.0, 1.0), (1.0, 0.9), (10.0, 0.6), (50.0, 0.2), (100.0, 0.0)),
    ),
)


def derive(inputs: RunInputs, upstream: Mapping[str, xr.DataArray]) -> dict[str, xr.DataArray]:
    """Campus on-site water over the county's non-power withdrawals, every cell. [%]"""
    spec, counties = inputs.spec, inputs.counties
    wue = upstream["wue_site_cell_l_per_kwh"].to_numpy()
    campus_mgd = mgd_from_m3_per_yr(wue * spec.it_energy_mwh_per_yr)  # L/kWh × MWh = m³
    nonpower = county_water(inputs.county_water_use)["nonpower_fresh_mgd"]
    county_mgd = counties.values(nonpower, what="county water use")
    values = share_pct(campus_mgd, county_mgd).astype("float32")
    return {
        NAME: inputs.grid.template(values, name=NAME, units="%", archetype=spec.cooling_archetype)
    }


LAYER = Layer(
    name="campus_water",
    indicators=INDICATORS,
    reads=("county_water_use", "counties"),
    derive=derive,
    needs=("wue_site_cell_l_per_kwh",),
)
