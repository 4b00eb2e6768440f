"""Land cover: what the land is now (open water, wetland, developed, forest, crops), where the
bundle holds a land-cover raster (USGS NLCD)."""

from __future__ import annotations

from collections.abc import Mapping

import xarray as xr

from layers.base import Layer, unavailable
from siting.grid import warp_to_grid
from siting.indicator import Indicator
from siting.inputs import RunInputs

SOURCE = "USGS/MRLC National Land Cover Database (NLCD), public domain, where the bundle has it"

INDICATORS = (
    Indicator(
        name="land_cover_nlcd_class",
        family="land_cover",
        title="NLCD land-cover class of the cell (most common class)",
        units="NLCD class code",
        direction="context",
        tag="real",
        source=SOURCE,
        description=(
            "The NLCD class covering most of the cell (mode resampling): 11 open water, 21–24 "
            "developed, 41–43 forest, 81–82 agriculture, 90/95 wetlands, … (siting.sources.nlcd). "
            "UNKNOWN, and rules on it not checked, where the bundle has no land_cover input."
        ),
    ),
)


def derive(inputs: RunInputs, upstream: Mapping[str, xr.DataArray]) -> dict[str, xr.DataArray]:
    """The NLCD class of each cell, or UNKNOWN everywhere without a land-cover input."""
    grid, raster = inputs.grid, inputs.land_cover
    schema = INDICATORS[0]
    if raster is None:
        return unavailable(inputs, schema, role="land_cover (NLCD)")
    values = warp_to_grid(
        raster.values,
        transform=raster.transform,
        crs=raster.crs,
        grid=grid,
        resampling="mode",
        nodata=raster.nodata,
    )
    return {schema.name: grid.template(values, name=schema.name, units=schema.units)}


LAYER = Layer(name="land_cover", indicators=INDICATORS, reads=("land_cover",), derive=derive)
