"""Layers: one module per phenomenon, each deriving indicators on the analysis grid.

Each module declares its indicators (:class:`siting.indicator.Indicator`) and one
:class:`layers.base.Layer` record, ``LAYER``, saying what it provides, which bundle inputs it
reads and which indicators of other layers it needs. :data:`REGISTRY` lists the records; the
pipeline orders them by their needs. Adding a layer is one module and one entry here.
"""

from __future__ import annotations

from layers import (
    campus_water,
    climate,
    community,
    connection,
    cooling_performance,
    grid_capacity,
    interconnection_queue,
    land_cover,
    land_use,
    people,
    supply,
    terrain,
    water,
)
from layers.base import Layer

REGISTRY: tuple[Layer, ...] = (
    grid_capacity.LAYER,
    interconnection_queue.LAYER,
    water.LAYER,
    climate.LAYER,
    cooling_performance.LAYER,
    campus_water.LAYER,
    connection.LAYER,
    supply.LAYER,
    land_use.LAYER,
    land_cover.LAYER,
    terrain.LAYER,
    community.LAYER,
    people.LAYER,
)


def indicator_schemas(registry: tuple[Layer, ...] = REGISTRY) -> dict:
    """Every registered indicator's schema, by indicator name."""
    return {i.name: i for layer in registry for i in layer.indicators}
