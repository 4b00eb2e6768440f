"""Grid capacity: where the bulk transmission network runs, at which voltage, and where to connect.

Per-cell indicators are distances on the analysis grid to the run's network
(:attr:`siting.inputs.RunInputs.network`): lines and connection points are rasterised (every
cell a line touches) and a Euclidean distance transform gives the distance from each cell centre
to the nearest marked cell centre, within half a cell diagonal of the exact distance. The
transform runs on the grid grown by ``DISTANCE_MARGIN_M`` so that lines just across the study
area's edge count; a distance longer than the margin is an upper bound.
"""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import numpy as np
import xarray as xr

from layers.base import Layer
from siting.grid import Grid, cropped_distance_km, padded, rasterize_values
from siting.indicator import Indicator
from siting.inputs import RunInputs
from siting.models.network import VOLTAGE_CLASSES_KV

#: Distances are computed on the grid grown by this margin, so lines and points beyond the study
#: area's edge count; distances up to it are exact to half a cell, longer ones upper bounds [m].
#: 50 km is past where the default distance curves reach zero suitability (30 and 40 km).
DISTANCE_MARGIN_M = 50_000.0

LINES_SOURCE = "HIFLD transmission lines (2024 vintage) via GridWatch Indiana, CC BY 4.0"
POINTS_SOURCE = (
    "Connection points: HIFLD substations where the bundle has them, else derived from the "
    "HIFLD line geometry (line ends within 300 m clustered)"
)


def _class_schemas() -> tuple[Indicator, ...]:
    out = []
    for kv in VOLTAGE_CLASSES_KV:
        for what, noun in (("line", "a transmission line"), ("substation", "a connection point")):
            out.append(
                Indicator(
                    name=f"{what}_distance_ge{kv}kv_km",
                    family="grid_capacity",
                    title=f"Distance to {noun} at or above {kv} kV",
                    units="km",
                    direction="context",
                    tag="real" if what == "line" else "real-derived",
                    source=LINES_SOURCE if what == "line" else POINTS_SOURCE,
                    description=(
                        f"Distance from the cell centre to the nearest {noun} whose voltage "
                        f"(highest voltage, for a point) is at least {kv} kV, the lower bound of "
                        "a HIFLD voltage class; unknown voltages never qualify. UNKNOWN if none. "
                        "A site's value is the distance from its nearest cell."
                    ),
                    site_stat="min",
                )
            )
    return tuple(out)


INDICATORS = (
    Indicator(
        name="line_distance_km",
        family="grid_capacity",
        title="Distance to a transmission line at or above the required voltage",
        units="km",
        direction="lower_better",
        tag="real",
        source=LINES_SOURCE,
        description=(
            "Straight-line distance from the cell centre to the nearest cell crossed by an "
            "operating AC line whose voltage is at least the spec's interconnection_voltage_kv; "
            "lines of unknown voltage never qualify. UNKNOWN if no line qualifies. A site's value "
            "is the distance from its nearest cell (within one cell diagonal of the exact "
            "distance from the site's edge)."
        ),
        best=0.0,
        worst=30.0,
        site_stat="min",
    ),
    Indicator(
        name="substation_distance_km",
        family="grid_capacity",
        title="Distance to a connection point at or above the required voltage",
        units="km",
        direction="lower_better",
        tag="real-derived",
        source=POINTS_SOURCE,
        description=(
            "Straight-line distance from the cell centre to the nearest connection point whose "
            "highest voltage is at least the spec's interconnection_voltage_kv: a HIFLD "
            "substation, or where the bundle has none (Indiana) a point derived from the line "
            "geometry where line ends meet. UNKNOWN if no point qualifies. A site's value is the "
            "distance from its nearest cell. Default curve: suitability falls linearly from 1 at "
            "0 km to 0 at 40 km, about the 90th percentile over Indiana (assumption; set "
            "[transforms.substation_distance_km] to change it)."
        ),
        best=0.0,
        worst=40.0,
        site_stat="min",
    ),
    *_class_schemas(),
)


def max_kv_raster(frame: gpd.GeoDataFrame, column: str, grid: Grid, *, what: str) -> np.ndarray:
    """Highest known voltage among the features touching each cell [kV]; NaN where none."""
    known = frame[np.isfinite(frame[column].to_numpy(dtype=float))]
    known = known.sort_values(column, kind="stable")  # the last (highest) burned wins
    return rasterize_values(known, column, grid, what=what, all_touched=True)


def derive(inputs: RunInputs, upstream: Mapping[str, xr.DataArray]) -> dict[str, xr.DataArray]:
    """Distances to lines and connection points at or above each voltage on the grid. [km]"""
    grid, network = inputs.grid, inputs.network
    big, crop = padded(grid, DISTANCE_MARGIN_M)
    line_kv = max_kv_raster(network.lines, "kv", big, what="transmission lines")
    point_kv = max_kv_raster(network.points, "max_kv", big, what="connection points")
    source = "derived from line geometry" if network.derived else "bundle substations layer"
    rasters = {"line": line_kv, "point": point_kv}
    present = {
        "line": np.unique(network.lines["kv"].dropna()),
        "point": np.unique(network.points["max_kv"].dropna()),
    }
    cache: dict[tuple[str, float], np.ndarray] = {}

    def distance_at(kind: str, kv: float) -> np.ndarray:
        # thresholds that select the same voltages share one distance transform
        above = present[kind][present[kind] >= kv]
        key = (kind, float(above.min()) if above.size else np.inf)
        if key not in cache:
            with np.errstate(invalid="ignore"):
                mask = rasters[kind] >= np.float32(key[1])
            cache[key] = cropped_distance_km(mask, big, crop)
        return cache[key]

    required = inputs.spec.interconnection_voltage_kv
    wanted = {"line_distance_km": ("line", required), "substation_distance_km": ("point", required)}
    for kv in VOLTAGE_CLASSES_KV:
        wanted[f"line_distance_ge{kv}kv_km"] = ("line", float(kv))
        wanted[f"substation_distance_ge{kv}kv_km"] = ("point", float(kv))
    units = {s.name: s.units for s in INDICATORS}
    return {
        name: grid.template(
            distance_at(kind, kv),
            name=name,
            units=units[name],
            min_kv=f"{kv:g}",
            connection_points=source,
        )
        for name, (kind, kv) in wanted.items()
    }


LAYER = Layer(
    name="grid_capacity",
    indicators=INDICATORS,
    reads=("transmission_lines", "substations"),
    derive=derive,
)
