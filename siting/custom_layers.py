"""Layers a user adds in the spec, without code: ``[[layers]]`` tables, checked at the boundary.

Each table names one indicator on the grid, read from a file of the user's:

- ``distance_to_features``: distance from each cell to the nearest feature of ``file`` [km];
- ``polygon_attribute``: the value of ``column`` of the polygon holding each cell;
- ``raster_value``: the value of a GeoTIFF's ``band`` on each cell, resampled (``resampling``);
- ``setback``: 1 within ``distance_m`` of the features of ``file``, else 0 (a flag).

It says what the value means (``title``, ``units``, ``description``), how it scores
(``direction`` and ``best``/``worst`` or ``points``, unless it is ``context``), how honest it is
(``tag``: real, real-derived, proxy or synthetic) and where it comes from (``source``). The
indicator is then usable as a weight, a transform or an exclusion rule like any other.

Example::

    [[layers]]
    name = "school_distance_km"
    kind = "distance_to_features"
    file = "schools.gpkg"
    title = "Distance to a school"
    units = "km"
    direction = "higher_better"
    best = 3.0
    worst = 0.5
    tag = "real"
    source = "State school locations, 2025"
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from siting.errors import SpecError
from siting.indicator import DIRECTIONS, SITE_STATS, TAGS

KINDS = ("distance_to_features", "polygon_attribute", "raster_value", "setback")
RESAMPLING = ("nearest", "bilinear", "average", "mode", "max")
KEYS = (
    "name",
    "kind",
    "file",
    "column",
    "band",
    "resampling",
    "distance_m",
    "title",
    "units",
    "direction",
    "tag",
    "source",
    "description",
    "best",
    "worst",
    "points",
    "site_stat",
)
#: Units a kind implies (the user may not set others).
KIND_UNITS = {"distance_to_features": "km", "setback": "flag"}


@dataclass(frozen=True, kw_only=True)
class CustomLayer:
    """One ``[[layers]]`` table of the spec (see the module docstring)."""

    name: str
    kind: str
    file: str
    title: str
    units: str
    direction: str
    tag: str
    source: str
    description: str = ""
    column: str | None = None
    band: int = 1
    resampling: str = "average"
    distance_m: float = 0.0
    best: float | None = None
    worst: float | None = None
    points: tuple[tuple[float, float], ...] = ()
    site_stat: str = "mean"


def parse_layers(raw: Any, *, where: str, number, text, choice) -> tuple[CustomLayer, ...]:
    """Validate the spec's ``[[layers]]`` tables (``number``, ``text``, ``choice`` are the
    spec's checkers)."""
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(t, dict) for t in raw):
        raise SpecError(f"{where}: layers must be an array of [[layers]] tables")
    out = []
    for i, table in enumerate(raw):
        ctx = f"layers #{i + 1}"
        unknown = sorted(set(table) - set(KEYS))
        if unknown:
            raise SpecError(f"{where}: unknown key(s) {unknown} in [{ctx}]; allowed: {list(KEYS)}")
        kind = choice(table, "kind", KINDS, where=where)
        direction = choice(table, "direction", DIRECTIONS, where=where)
        units = KIND_UNITS.get(kind) or text(table, "units", where=where)
        if "units" in table and kind in KIND_UNITS and table["units"] != units:
            raise SpecError(
                f"{where}: [{ctx}] a {kind} layer is in {units}, got {table['units']!r}"
            )
        layer = CustomLayer(
            name=text(table, "name", where=where),
            kind=kind,
            file=text(table, "file", where=where),
            title=text(table, "title", where=where),
            units=units,
            direction=direction,
            tag=choice(table, "tag", TAGS, where=where),
            source=text(table, "source", where=where),
            description=str(table.get("description", "")),
            column=text(table, "column", where=where) if kind == "polygon_attribute" else None,
            band=int(
                number({"band": table.get("band", 1)}, "band", where=where, low=1, integer=True)
            ),
            resampling=choice(
                {"resampling": table.get("resampling", "average")},
                "resampling",
                RESAMPLING,
                where=where,
            ),
            distance_m=(
                number(table, "distance_m", where=where, low=0.0, high=100_000.0)
                if kind == "setback"
                else 0.0
            ),
            best=number(table, "best", where=where) if "best" in table else None,
            worst=number(table, "worst", where=where) if "worst" in table else None,
            points=_points(table.get("points"), where=where, ctx=ctx),
            site_stat=choice(
                {"site_stat": table.get("site_stat", "mean")}, "site_stat", SITE_STATS, where=where
            ),
        )
        if (
            direction != "context"
            and not layer.points
            and (layer.best is None or layer.worst is None or layer.best == layer.worst)
        ):
            raise SpecError(
                f"{where}: [{ctx}] '{layer.name}' is scored ({direction}): give distinct 'best' "
                "and 'worst', or 'points'"
            )
        out.append(layer)
    names = [layer.name for layer in out]
    if len(set(names)) != len(names):
        raise SpecError(f"{where}: [[layers]] names must be unique, got {names}")
    return tuple(out)


def _points(raw: Any, *, where: str, ctx: str) -> tuple[tuple[float, float], ...]:
    if raw is None:
        return ()
    ok = (
        isinstance(raw, list)
        and len(raw) >= 2
        and all(
            isinstance(p, list) and len(p) == 2 and all(isinstance(v, int | float) for v in p)
            for p in raw
        )
    )
    if not ok:
        raise SpecError(f"{where}: [{ctx}] points must be [[value, suitability], ...], got {raw!r}")
    points = tuple((float(x), float(s)) for x, s in raw)
    if any(b[0] <= a[0] for a, b in itertools.pairwise(points)) or any(
        not 0 <= s <= 1 for _, s in points
    ):
        raise SpecError(
            f"{where}: [{ctx}] point values must increase and suitabilities lie in [0, 1]"
        )
    return points
