"""Grid capacity: how close the bulk transmission network runs at the campus's voltage."""

from __future__ import annotations

import xarray as xr

from siting.bundle import Bundle, read_layer
from siting.grid import Grid, distance_km, rasterize_mask
from siting.layer import LayerSchema
from siting.spec import CampusSpec

LINES_LAYER = "transmission_lines"

INDICATORS = (
    LayerSchema(
        name="line_distance_km",
        family="grid_capacity",
        title="Distance to a transmission line at or above the required voltage",
        units="km",
        direction="lower_better",
        tag="real",
        source="HIFLD transmission lines (2024 vintage) via GridWatch Indiana, CC BY 4.0",
        description=(
            "Straight-line distance from the cell centre to the nearest cell crossed by a line "
            "whose voltage is at least the spec's interconnection_voltage_kv; lines of unknown "
            "voltage never qualify. UNKNOWN if no line qualifies."
        ),
        best=0.0,
        worst=30.0,
    ),
)


def inputs(bundle: Bundle) -> tuple[str, ...]:
    """Provenance keys of the files this layer reads."""
    return (bundle.layer_ref(LINES_LAYER),)


def read_lines(bundle: Bundle):
    """Transmission lines with voltage ``kv`` (NaN when unknown)."""
    return read_layer(bundle, LINES_LAYER, columns=("kv",))


def derive(bundle: Bundle, grid: Grid, spec: CampusSpec) -> dict[str, xr.DataArray]:
    """Distance to the nearest qualifying line on the grid. [km]"""
    lines = read_lines(bundle)
    qualifying = lines[lines["kv"].to_numpy(dtype="float64") >= spec.interconnection_voltage_kv]
    mask = rasterize_mask(qualifying, grid, what=f"{bundle.gpkg}:{LINES_LAYER}", all_touched=True)
    schema = INDICATORS[0]
    return {
        schema.name: grid.template(
            distance_km(mask, grid),
            name=schema.name,
            units=schema.units,
            qualifying_lines=str(len(qualifying)),
            required_kv=str(spec.interconnection_voltage_kv),
        )
    }
