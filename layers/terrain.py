"""Terrain: how steep the land is, which sets grading cost and rules out sites, where the bundle
holds a digital elevation model."""

from __future__ import annotations

from collections.abc import Mapping

import xarray as xr

from layers.base import Layer, unavailable
from siting.grid import warp_to_grid
from siting.indicator import Indicator
from siting.inputs import RunInputs
from siting.sources.dem import slope_degrees

INDICATORS = (
    Indicator(
        name="terrain_slope_deg",
        family="terrain",
        title="Mean slope of the cell",
        units="degrees",
        direction="context",
        tag="real-derived",
        source="Slope by Horn's method from the bundle's DEM (e.g. USGS 3DEP), where it has one",
        description=(
            "Slope of the DEM's own cells by Horn (1981), as gdaldem does (siting.sources.dem), "
            "averaged onto the grid. UNKNOWN, and rules on it not checked, where the bundle has "
            "no elevation input."
        ),
    ),
)


def derive(inputs: RunInputs, upstream: Mapping[str, xr.DataArray]) -> dict[str, xr.DataArray]:
    """Mean slope of each cell [degrees], or UNKNOWN everywhere without a DEM."""
    grid, dem = inputs.grid, inputs.elevation
    schema = INDICATORS[0]
    if dem is None:
        return unavailable(inputs, schema, role="elevation (DEM)")
    slope = slope_degrees(dem)
    values = warp_to_grid(
        slope.values, transform=slope.transform, crs=slope.crs, grid=grid, resampling="average"
    )
    return {schema.name: grid.template(values, name=schema.name, units=schema.units)}


LAYER = Layer(name="terrain", indicators=INDICATORS, reads=("elevation",), derive=derive)
