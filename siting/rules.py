"""Exclusion rules as data: what a spec's ``[[exclusions]]`` tables say, checked at the boundary.

A rule marks cells and says what happens to them (``mode``): ``exclude`` (no campus there),
``include`` (forced back in, after every exclusion), ``penalise`` (the score there is cut by a
share, ``penalty``) or ``flag`` (kept, and every site touching them says so). Kinds:

- ``features``: cells covered by, or within ``buffer_m`` (a true circle) of, the features of a
  bundle feature layer (``layer``) or of a user's file (``file``), optionally only those whose
  ``column`` holds one of ``values``;
- ``indicator``: cells where an indicator is ``above``, ``below``, ``between`` two values or
  equal to one of ``values``, optionally grown by ``buffer_m``;
- ``corridor``: the right of way of the run's transmission lines, ``widths_m`` by voltage class;
- ``min_area``: eligible patches smaller than ``area_km2`` (default: the campus's land).

A buffer may differ by county: ``buffer_by_county`` names a CSV of ``fips`` and ``buffer_m``
(a local setback ordinance) overriding ``buffer_m`` in those counties.

A rule whose data the bundle lacks (a feature layer it does not hold, an indicator whose input
is absent) stops the run with a clear error, unless it says ``required = false``: then it is
skipped, and the ledger and the report list it as not checked, with the reason.

``missing`` says what a rule does where its data is unknown (an indicator is NaN): ``exclude``
(the safe default for exclusions), ``keep`` (the rule does nothing there) or ``flag`` (kept
and reported UNKNOWN for the rule; the default for soft rules). Missing data never includes.

A user spec *extends* the default list: a rule with a default rule's name replaces it, a rule
with ``enabled = false`` removes it, a new name is added. ``exclusions_mode = "replace"`` at the
top of the spec replaces the default list whole.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from siting.errors import SpecError

KINDS = ("features", "indicator", "corridor", "min_area")
MODES = ("exclude", "include", "penalise", "flag")
MISSING = ("exclude", "keep", "flag")
LIST_MODES = ("extend", "replace")
#: Keys every rule may have, and those of each kind.
COMMON_KEYS = ("name", "kind", "mode", "missing", "enabled", "note", "penalty", "required")
KIND_KEYS = MappingProxyType(
    {
        "features": ("layer", "file", "column", "values", "buffer_m", "buffer_by_county"),
        "indicator": (
            "indicator",
            "above",
            "below",
            "between",
            "values",
            "buffer_m",
            "buffer_by_county",
        ),
        "corridor": ("widths_m",),
        "min_area": ("area_km2",),
    }
)
MAX_BUFFER_M = 50_000.0


@dataclass(frozen=True, kw_only=True)
class ExclusionRule:
    """One rule of the exclusion list (see the module docstring for each field's meaning).

    ``widths_m`` pairs a voltage class's lower bound [kV] with a right-of-way width [m],
    ascending;
    ``area_km2`` of a ``min_area`` rule is None for the campus's required land.
    """

    name: str
    kind: str
    mode: str = "exclude"
    missing: str = "exclude"
    required: bool = True
    note: str = ""
    penalty: float = 0.0
    layer: str | None = None
    file: str | None = None
    column: str | None = None
    values: tuple[Any, ...] = ()
    buffer_m: float = 0.0
    buffer_by_county: str | None = None
    indicator: str | None = None
    above: float | None = None
    below: float | None = None
    between: tuple[float, float] | None = None
    widths_m: tuple[tuple[float, float], ...] = ()
    area_km2: float | None = None

    @property
    def hard(self) -> bool:
        """Whether the rule removes or restores land (exclude, include) rather than scoring or
        flagging it."""
        return self.mode in ("exclude", "include")


def merge_rules(
    default: list[Any], user: list[Any] | None, *, mode: str, where: str
) -> list[dict[str, Any]]:
    """The raw rule tables of a user spec laid over the default list.

    ``mode="extend"``: same name replaces the default rule in place, ``enabled = false`` drops
    it, a new name is appended; ``mode="replace"``: the user's list alone.
    """
    if mode not in LIST_MODES:
        raise SpecError(
            f"{where}: 'exclusions_mode' must be one of {list(LIST_MODES)}, got {mode!r}"
        )
    if user is None:
        return list(default)
    if not isinstance(user, list) or not all(isinstance(t, dict) for t in user):
        raise SpecError(f"{where}: exclusions must be an array of [[exclusions]] tables")
    if mode == "replace":
        return [t for t in user if t.get("enabled", True) is not False]
    out = {str(t.get("name")): dict(t) for t in default}
    for table in user:
        name = str(table.get("name"))
        if table.get("enabled", True) is False:
            if name not in out:
                raise SpecError(
                    f"{where}: [[exclusions]] '{name}' has enabled = false but no default rule "
                    f"has that name; default rules: {sorted(out)}"
                )
            del out[name]
        else:
            out[name] = dict(table)
    return list(out.values())


def parse_rules(raw: Any, *, where: str, number, text, choice) -> tuple[ExclusionRule, ...]:
    """Validate the merged rule tables. ``number``, ``text`` and ``choice`` are the spec's
    checkers, so every message has the spec's form and names the file."""
    if not isinstance(raw, list):
        raise SpecError(f"{where}: exclusions must be an array of [[exclusions]] tables")
    rules = [
        _rule(
            table, where=where, ctx=f"exclusions #{i + 1}", number=number, text=text, choice=choice
        )
        for i, table in enumerate(raw)
    ]
    names = [r.name for r in rules]
    if len(set(names)) != len(names):
        raise SpecError(f"{where}: exclusion names must be unique, got {names}")
    return tuple(rules)


def _rule(table: Any, *, where: str, ctx: str, number, text, choice) -> ExclusionRule:
    if not isinstance(table, dict):
        raise SpecError(f"{where}: [{ctx}] must be a table")
    kind = choice(table, "kind", KINDS, where=where)
    allowed = (*COMMON_KEYS, *KIND_KEYS[kind])
    unknown = sorted(set(table) - set(allowed))
    if unknown:
        raise SpecError(
            f"{where}: unknown key(s) {unknown} in [{ctx}] of kind {kind!r}; "
            f"allowed: {sorted(allowed)}"
        )
    name = text(table, "name", where=where)
    mode = choice({"mode": table.get("mode", "exclude")}, "mode", MODES, where=where)
    soft = "exclude" if mode == "exclude" else ("keep" if mode == "include" else "flag")
    missing = choice({"missing": table.get("missing", soft)}, "missing", MISSING, where=where)
    if mode == "include" and missing == "exclude":
        raise SpecError(f"{where}: [{ctx}] '{name}': an include rule cannot exclude missing data")
    common = {
        "name": name,
        "kind": kind,
        "mode": mode,
        "missing": missing,
        "note": str(table.get("note", "")),
        "required": _flag(table, "required", where=where, ctx=ctx),
        "penalty": _penalty(table, mode, name=name, where=where, ctx=ctx, number=number),
    }
    buffer = {"buffer_m": table.get("buffer_m", 0.0)}
    if kind == "features":
        return _features(table, common, buffer, where=where, ctx=ctx, number=number, text=text)
    if kind == "indicator":
        return _indicator(table, common, buffer, where=where, ctx=ctx, number=number, text=text)
    if kind == "corridor":
        return ExclusionRule(**common, widths_m=_widths(table, where=where, ctx=ctx))
    area = table.get("area_km2")
    return ExclusionRule(
        **common,
        area_km2=None if area is None else number(table, "area_km2", where=where, low=0.0),
    )


def _flag(table: Mapping[str, Any], key: str, *, where: str, ctx: str) -> bool:
    value = table.get(key, True)
    if not isinstance(value, bool):
        raise SpecError(f"{where}: [{ctx}] '{key}' must be true or false, got {value!r}")
    return value


def _penalty(table, mode, *, name, where, ctx, number) -> float:
    if mode != "penalise":
        if "penalty" in table:
            raise SpecError(f"{where}: [{ctx}] '{name}': 'penalty' needs mode = \"penalise\"")
        return 0.0
    return number(table, "penalty", where=where, low=0.0, high=1.0)


def _features(table, common, buffer, *, where, ctx, number, text) -> ExclusionRule:
    layer, file = table.get("layer"), table.get("file")
    if (layer is None) == (file is None):
        raise SpecError(
            f"{where}: [{ctx}] '{common['name']}' needs exactly one of 'layer' (a feature "
            "layer of the bundle) or 'file' (a vector file of yours)"
        )
    column, values = table.get("column"), table.get("values")
    if (column is None) != (values is None):
        raise SpecError(f"{where}: [{ctx}] '{common['name']}': 'column' and 'values' go together")
    return ExclusionRule(
        **common,
        layer=None if layer is None else text(table, "layer", where=where),
        file=None if file is None else text(table, "file", where=where),
        column=None if column is None else text(table, "column", where=where),
        values=_values(values, where=where, ctx=ctx, numeric=False),
        buffer_m=number(buffer, "buffer_m", where=where, low=0.0, high=MAX_BUFFER_M),
        buffer_by_county=table.get("buffer_by_county"),
    )


def _indicator(table, common, buffer, *, where, ctx, number, text) -> ExclusionRule:
    tests = [k for k in ("above", "below", "between", "values") if k in table]
    if not tests:
        raise SpecError(
            f"{where}: [{ctx}] '{common['name']}' needs 'above', 'below', 'between' or 'values'"
        )
    between = table.get("between")
    if between is not None:
        ok = isinstance(between, list) and len(between) == 2
        ok = ok and all(isinstance(v, int | float) and not isinstance(v, bool) for v in between)
        if not ok or not math.isfinite(between[0]) or not between[0] <= between[1]:
            raise SpecError(
                f"{where}: [{ctx}] 'between' must be [low, high] with low <= high, got {between!r}"
            )
    return ExclusionRule(
        **common,
        indicator=text(table, "indicator", where=where),
        above=number(table, "above", where=where) if "above" in table else None,
        below=number(table, "below", where=where) if "below" in table else None,
        between=None if between is None else (float(between[0]), float(between[1])),
        values=_values(table.get("values"), where=where, ctx=ctx, numeric=True),
        buffer_m=number(buffer, "buffer_m", where=where, low=0.0, high=MAX_BUFFER_M),
        buffer_by_county=table.get("buffer_by_county"),
    )


def _values(raw: Any, *, where: str, ctx: str, numeric: bool) -> tuple[Any, ...]:
    if raw is None:
        return ()
    kinds = (int, float) if numeric else (int, float, str)
    ok = (
        isinstance(raw, list)
        and raw
        and all(isinstance(v, kinds) and not isinstance(v, bool) for v in raw)
    )
    if not ok:
        what = "numbers" if numeric else "numbers or strings"
        raise SpecError(
            f"{where}: [{ctx}] 'values' must be a non-empty list of {what}, got {raw!r}"
        )
    return tuple(float(v) if numeric else v for v in raw)


def _widths(table: Mapping[str, Any], *, where: str, ctx: str) -> tuple[tuple[float, float], ...]:
    raw = table.get("widths_m")
    if not isinstance(raw, dict) or not raw:
        raise SpecError(
            f"{where}: [{ctx}] 'widths_m' must be a table of voltage class [kV] = width [m], "
            'e.g. { "345" = 45.7 }'
        )
    widths = {}
    for key, value in raw.items():
        try:
            kv = float(key)
        except ValueError:
            raise SpecError(
                f"{where}: [{ctx}] widths_m key {key!r} is not a voltage in kV"
            ) from None
        if not isinstance(value, int | float) or isinstance(value, bool) or not 0 < value <= 1000:
            raise SpecError(f"{where}: [{ctx}] widths_m[{key}] must be a width in (0, 1000] m")
        widths[kv] = float(value)
    return tuple(sorted(widths.items()))
