"""Water: how hard the local water supply is already worked.

Two measures of the same thing, from different data (docs/methods.md §2.4, §10):

- ``water_stress_bws_score``: WRI Aqueduct 4.0 baseline water stress of the sub-basin, the
  ratio of withdrawals to renewable supply on WRI's 0–5 score, where the bundle has an
  Aqueduct file (role ``water_stress_basins``). Real data, and what the run scores when present.
- ``water_draw_mm_per_yr``: the county's draw on its supply (non-power fresh withdrawals plus
  power-plant consumption, :func:`siting.models.water.county_water`) spread over its area. A
  proxy: it measures demand per unit of land that renews water, not demand against supply.

Higher is worse for both: the more of a place's water is already taken, the less is left for a
new user, the nearer users are to shortages in a dry year, and the more a campus's own draw
competes with homes, farms and industry. A once-through power plant's withdrawal is not part of
the draw: it is returned to the river it came from.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import xarray as xr

from layers.base import Layer, unavailable
from siting.grid import rasterize_values
from siting.indicator import Indicator
from siting.inputs import RunInputs
from siting.models.water import county_water, draw_depth_mm_per_yr

AQUEDUCT_SOURCE = "WRI Aqueduct 4.0 baseline annual water stress (1979–2019), CC BY 4.0"

INDICATORS = (
    Indicator(
        name="water_draw_mm_per_yr",
        family="water",
        title="Fresh water drawn from the county's supply, as a depth (proxy for water stress)",
        units="mm/yr",
        direction="lower_better",
        tag="proxy",
        source="USGS Estimated Use of Water in the United States, county data 2015, public domain",
        description=(
            "County fresh-water withdrawals of every sector but thermoelectric power "
            "(TO-WFrTo − PT-WFrTo), plus what power plants consume (PT-CUsFr), spread over the "
            "county's area. Once-through plants return over 95 % of their withdrawal to the "
            "river, so only their consumption counts. Demand per unit of land, standing in for "
            "basin water stress (withdrawals / renewable supply), which needs the Aqueduct "
            "input. Industrial withdrawals count in full (USGS publishes no industrial "
            "consumption), which overstates the draw of counties whose mills take from Lake "
            "Michigan or the Ohio. 12 mm/yr is Aqueduct's 'low water use' threshold; the "
            "other break points are assumptions. UNKNOWN where USGS reports no value."
        ),
        points=((0.0, 1.0), (12.0, 0.9), (50.0, 0.6), (200.0, 0.2), (1000.0, 0.0)),
    ),
    Indicator(
        name="water_stress_bws_score",
        family="water",
        title="Baseline water stress of the sub-basin (WRI Aqueduct 4.0 score)",
        units="score (0–5)",
        direction="lower_better",
        tag="real",
        source=AQUEDUCT_SOURCE,
        description=(
            "Aqueduct 4.0 bws_score of the HydroBASINS level-6 sub-basin: "
            "log2(withdrawals / available blue water / 0.1) + 1 clipped to 0–5, so 1, 2, 3 and "
            "4 are WRI's 10, 20, 40 and 80 % category edges; 'arid and low water use' basins "
            "carry WRI's score of 5. Scored where the bundle has the Aqueduct input; UNKNOWN "
            "elsewhere."
        ),
        points=((0.0, 1.0), (1.0, 0.9), (2.0, 0.6), (3.0, 0.3), (4.0, 0.1), (5.0, 0.0)),
    ),
    Indicator(
        name="water_stress_bws_cat",
        family="water",
        title="Baseline water stress category of the sub-basin (WRI Aqueduct 4.0)",
        units="category (-1 arid and low water use, 0 low … 4 extremely high)",
        direction="context",
        tag="real",
        source=AQUEDUCT_SOURCE,
        description="Aqueduct 4.0 bws_cat of the sub-basin; UNKNOWN without the Aqueduct input.",
    ),
)
DRAW, SCORE, CATEGORY = INDICATORS
#: The proxy, the real indicator that replaces it in the score, and the input role it needs
#: (siting.pipeline.with_real_data_weights).
STAND_IN = (DRAW.name, SCORE.name, "water_stress_basins")


def draw_on_grid(inputs: RunInputs) -> np.ndarray:
    """The county draw depth of every cell. [mm/yr]"""
    counties = inputs.counties
    area = counties.table.set_index("fips")["area_km2"]
    depth = draw_depth_mm_per_yr(county_water(inputs.county_water_use), area)
    return counties.values(depth, what="county water use")


def derive(inputs: RunInputs, upstream: Mapping[str, xr.DataArray]) -> dict[str, xr.DataArray]:
    """County draw depth, and the Aqueduct sub-basin score and category where present."""
    grid = inputs.grid
    out = {DRAW.name: grid.template(draw_on_grid(inputs), name=DRAW.name, units=DRAW.units)}
    basins = inputs.water_stress_basins
    if basins is None:
        for schema in (SCORE, CATEGORY):
            out |= unavailable(inputs, schema, role="water_stress_basins")
        return out
    for schema, column in ((SCORE, "bws_score"), (CATEGORY, "bws_cat")):
        values = rasterize_values(basins, column, grid, what="Aqueduct sub-basins")
        out[schema.name] = grid.template(values, name=schema.name, units=schema.units)
    return out


LAYER = Layer(
    name="water",
    indicators=INDICATORS,
    reads=("county_water_use", "counties", "water_stress_basins"),
    derive=derive,
)
