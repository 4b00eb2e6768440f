"""Layers the spec adds without code (``[[layers]]``, :mod:`siting.custom_layers`).

Each becomes a :class:`layers.base.Layer` record at run time, reading its user file from
:attr:`siting.inputs.RunInputs.custom` (read once, in the grid's CRS for vectors): distances to
features, polygon attributes, raster values resampled onto the grid, or setback flags.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import xarray as xr

from layers.base import Layer
from siting.custom_layers import CustomLayer
from siting.errors import DataError
from siting.grid import distance_km, padded, rasterize_mask, rasterize_values, warp_to_grid
from siting.indicator import Indicator
from siting.inputs import RunInputs

#: Distances are computed on the grid grown by this margin, so features just outside count [m].
DISTANCE_MARGIN_M = 50_000.0


def custom_layers(layers: tuple[CustomLayer, ...]) -> tuple[Layer, ...]:
    """One layer record per ``[[layers]]`` table of the spec."""
    return tuple(_record(layer) for layer in layers)


def _record(layer: CustomLayer) -> Layer:
    schema = Indicator(
        name=layer.name,
        family=layer.name,
        title=layer.title,
        units=layer.units,
        direction=layer.direction,
        tag=layer.tag,
        source=f"{layer.source} (user file {layer.file})",
        description=layer.description or f"{layer.kind} of the user's file {layer.file}",
        best=layer.best,
        worst=layer.worst,
        points=layer.points,
        site_stat="min" if layer.kind == "distance_to_features" else layer.site_stat,
    )

    def derive(inputs: RunInputs, upstream: Mapping[str, xr.DataArray]) -> dict[str, xr.DataArray]:
        values = layer_values(layer, inputs.custom[layer.name], inputs.grid)
        grid = inputs.grid
        return {
            layer.name: grid.template(values, name=layer.name, units=layer.units, file=layer.file)
        }

    return Layer(name=layer.name, indicators=(schema,), reads=(), derive=derive)


def layer_values(layer: CustomLayer, data, grid) -> np.ndarray:
    """The layer's float32 values on the grid (NaN where unknown)."""
    what = f"[[layers]] '{layer.name}' ({layer.file})"
    if layer.kind == "raster_value":
        return warp_to_grid(
            data.values,
            transform=data.transform,
            crs=data.crs,
            grid=grid,
            resampling=layer.resampling,
            nodata=data.nodata,
        )
    if layer.kind == "polygon_attribute":
        if layer.column not in data.columns:
            raise DataError(
                f"{what}: no column {layer.column!r}; found "
                f"{[c for c in data.columns if c != 'geometry']}"
            )
        try:
            return rasterize_values(data, layer.column, grid, what=what)
        except (TypeError, ValueError) as err:
            raise DataError(f"{what}: column {layer.column!r} is not numeric ({err})") from None
    big, crop = padded(grid, DISTANCE_MARGIN_M)
    lines_or_points = bool(len(data)) and not data.geom_type.str.contains("Polygon").all()
    mask = rasterize_mask(data, big, what=what, all_touched=lines_or_points)
    dist = distance_km(mask, big)[crop]
    if layer.kind == "distance_to_features":
        return dist.copy()
    return np.where(np.isfinite(dist), dist <= layer.distance_m / 1000.0, 0.0).astype(np.float32)
