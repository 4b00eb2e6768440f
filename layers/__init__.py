"""Layer modules, one per phenomenon, and the registry the pipeline reads.

Each module declares ``INDICATORS`` (a tuple of :class:`siting.layer.LayerSchema`), ``inputs``
(the provenance keys of the bundle files it reads) and ``derive(bundle, grid, spec)``, which
returns one DataArray per indicator on the analysis grid. A module that reads indicators of
another layer lists them in ``NEEDS``; the pipeline then passes them as ``upstream=`` and the
registry must list that layer first.
"""

from __future__ import annotations

from types import MappingProxyType

from layers import climate, community, cooling, grid_capacity, land_use, queue, water

REGISTRY = MappingProxyType(
    {
        "grid_capacity": grid_capacity,
        "queue": queue,
        "water": water,
        "climate": climate,
        "cooling": cooling,
        "land_use": land_use,
        "community": community,
    }
)


def indicator_schemas() -> dict:
    """Every registered indicator's schema, by indicator name."""
    return {s.name: s for module in REGISTRY.values() for s in module.INDICATORS}
