"""Exclusion rules on the grid: excluded land, penalties, flags, and a ledger of each rule.

Each rule of :mod:`siting.rules` marks cells; its mode says what follows: excluded, forced back
in, score cut by a share, or flagged. Where a rule's data is unknown its ``missing`` policy
applies (exclude, keep, flag). Buffers are true circles from a Euclidean distance transform and
may differ by county. A ``min_area`` rule, applied after every other hard rule, removes eligible
patches too small for the campus. The ledger gives, per rule, the area it marks, the area only it
removes, the area it adds in list order and the area where its data is unknown.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import geopandas as gpd
import numpy as np
import pandas as pd
import xarray as xr
from scipy import ndimage

from siting.errors import SpecError
from siting.grid import (
    DILATE_MAX_CELLS,
    Grid,
    buffer_mask,
    dilate_by_disc,
    distance_km,
    offset_distance_km,
    rasterize_mask,
)
from siting.rules import ExclusionRule

LEDGER_COLUMNS = (
    "rule",
    "kind",
    "mode",
    "missing",
    "detail",
    "area_km2",
    "share_of_study_area",
    "only_this_rule_km2",
    "in_sequence_km2",
    "unknown_km2",
    "note",
)


@dataclass(frozen=True, kw_only=True)
class RuleData:
    """What the rules read besides the grid.

    ``features`` by rule source (a rule's ``layer``, or its ``file`` as written in the spec);
    ``lines`` the run's transmission lines (``kv`` [kV]) for corridor rules; ``county_cells``
    the county of each cell (position in ``county_fips``, -1 outside) and ``buffers_by_county``
    each rule's county buffer overrides (FIPS → buffer [m]); ``campus_area_km2`` the campus's
    land, the default of ``min_area`` rules.
    """

    features: Mapping[str, gpd.GeoDataFrame] = field(default_factory=dict)
    indicators: Mapping[str, xr.DataArray] = field(default_factory=dict)
    lines: gpd.GeoDataFrame | None = None
    county_cells: np.ndarray | None = None
    county_fips: tuple[str, ...] = ()
    buffers_by_county: Mapping[str, pd.Series] = field(default_factory=dict)
    campus_area_km2: float = 0.0


@dataclass(frozen=True, kw_only=True)
class Exclusions:
    """The rules' effect on the grid.

    ``excluded``: True where no campus may go (outside the study area too). ``score_factor``:
    the share of the score kept (1 where no penalty rule applies). ``flags``: per flag rule,
    and per rule flagging unknown data (``"<rule>: UNKNOWN"``), the cells it flags. ``masks``:
    per rule, the cells it marks in the study area (missing-data exclusions included).
    """

    excluded: np.ndarray
    score_factor: np.ndarray
    flags: Mapping[str, np.ndarray]
    masks: Mapping[str, np.ndarray]
    ledger: pd.DataFrame


def apply_exclusions(
    rules: tuple[ExclusionRule, ...],
    grid: Grid,
    *,
    study_area: np.ndarray,
    data: RuleData,
    unchecked: Mapping[str, str] | None = None,
) -> Exclusions:
    """Apply the rules in order; see the module docstring.

    ``unchecked`` names optional rules whose data is absent, with the reason: they are skipped
    and the ledger says so.
    """
    skipped = dict(unchecked or {})
    every = rules
    rules = tuple(r for r in rules if r.name not in skipped)
    marked, unknown = {}, {}
    cell_rules = [r for r in rules if r.kind != "min_area"]
    for rule in cell_rules:
        marked[rule.name], unknown[rule.name] = rule_cells(rule, grid, data=data)
    hard_out = _union([marked[r.name] for r in cell_rules if r.mode == "exclude"], grid)
    missing_out = _union([unknown[r.name] for r in cell_rules if r.missing == "exclude"], grid)
    included = _union([marked[r.name] for r in cell_rules if r.mode == "include"], grid)
    excluded = (hard_out & ~included) | missing_out | ~study_area
    for rule in (r for r in rules if r.kind == "min_area"):
        area = data.campus_area_km2 if rule.area_km2 is None else rule.area_km2
        marked[rule.name] = small_patches(~excluded, grid, min_area_km2=area)
        unknown[rule.name] = np.zeros(grid.shape, dtype=bool)
        excluded |= marked[rule.name]
    masks = {
        r.name: (marked[r.name] | (unknown[r.name] if r.missing == "exclude" else False))
        & study_area
        for r in rules
    }
    return Exclusions(
        excluded=excluded,
        score_factor=_score_factor(rules, marked, grid),
        flags=MappingProxyType(_flags(rules, marked, unknown, eligible=~excluded)),
        masks=MappingProxyType(masks),
        ledger=ledger(
            every, masks, unknown, grid, study_area=study_area, excluded=excluded, skipped=skipped
        ),
    )


def rule_cells(rule: ExclusionRule, grid: Grid, *, data: RuleData) -> tuple[np.ndarray, np.ndarray]:
    """The cells one rule marks, and the cells where its data is unknown."""
    nothing = np.zeros(grid.shape, dtype=bool)
    if rule.kind == "features":
        return _buffered(rule, _feature_cells(rule, grid, data), grid, data), nothing
    if rule.kind == "corridor":
        return _corridor_cells(rule, grid, data), nothing
    if rule.indicator not in data.indicators:
        raise SpecError(
            f"exclusion '{rule.name}': no indicator {rule.indicator!r}; "
            f"available: {sorted(data.indicators)}"
        )
    values = data.indicators[rule.indicator].to_numpy()
    unknown = ~np.isfinite(values)
    return _buffered(rule, indicator_test(rule, values) & ~unknown, grid, data), unknown


def indicator_test(rule: ExclusionRule, values: np.ndarray) -> np.ndarray:
    """Cells whose value meets any of the rule's tests (unknown values never do).

    >>> r = ExclusionRule(name="x", kind="indicator", indicator="v", above=5.0, values=(1.0,))
    >>> indicator_test(r, np.array([0.0, 1.0, 6.0, np.nan])).tolist()
    [False, True, True, False]
    """
    out = np.zeros(values.shape, dtype=bool)
    with np.errstate(invalid="ignore"):
        if rule.above is not None:
            out |= values > rule.above
        if rule.below is not None:
            out |= values < rule.below
        if rule.between is not None:
            out |= (values >= rule.between[0]) & (values <= rule.between[1])
    if rule.values:
        out |= np.isin(values, np.asarray(rule.values, dtype=values.dtype))
    return out


def small_patches(eligible: np.ndarray, grid: Grid, *, min_area_km2: float) -> np.ndarray:
    """Eligible cells in 4-connected patches smaller than ``min_area_km2``.

    >>> from siting.grid import Grid
    >>> g = Grid(crs="EPSG:5070", bounds=(0, 0, 4000, 1000), resolution_m=1000)
    >>> small_patches(np.array([[True, False, True, True]]), g, min_area_km2=2.0).tolist()
    [[True, False, False, False]]
    """
    labels, n = ndimage.label(eligible)
    if n == 0:
        return np.zeros(eligible.shape, dtype=bool)
    cells = np.bincount(labels.ravel(), minlength=n + 1)
    too_small = cells * grid.cell_area_km2 < min_area_km2 - 1e-9
    too_small[0] = False
    return too_small[labels]


def _feature_cells(rule: ExclusionRule, grid: Grid, data: RuleData) -> np.ndarray:
    source = rule.layer or rule.file
    if source not in data.features:
        raise SpecError(
            f"exclusion '{rule.name}': no layer {source!r}; available: {sorted(data.features)}"
        )
    features = data.features[source]
    if rule.column is not None:
        if rule.column not in features.columns:
            raise SpecError(
                f"exclusion '{rule.name}': {source} has no column {rule.column!r}; "
                f"found {[c for c in features.columns if c != 'geometry']}"
            )
        column = features[rule.column]
        if pd.api.types.is_numeric_dtype(column):
            numbers = [float(v) for v in rule.values if not isinstance(v, str)]
            keep = column.astype(float).isin(numbers)
        else:
            keep = column.astype(str).isin([str(v) for v in rule.values])
        features = features[keep.to_numpy()]
    lines_or_points = bool(len(features)) and not features.geom_type.str.contains("Polygon").all()
    return rasterize_mask(features, grid, what=f"layer {source!r}", all_touched=lines_or_points)


def _corridor_cells(rule: ExclusionRule, grid: Grid, data: RuleData) -> np.ndarray:
    """Cells within the right of way of the lines: half the width of each line's voltage
    class either side (lines of unknown voltage take the widest)."""
    if data.lines is None:
        raise SpecError(f"exclusion '{rule.name}': a corridor rule needs the run's lines")
    classes = np.array([kv for kv, _ in rule.widths_m], dtype=float)
    widths = np.array([w for _, w in rule.widths_m], dtype=float)
    kv = data.lines["kv"].to_numpy(dtype=float)
    index = np.searchsorted(classes, kv, side="right") - 1
    half = np.where(np.isfinite(kv), widths[np.clip(index, 0, None)] / 2.0, widths.max() / 2.0)
    half = np.where(np.isfinite(kv) & (index < 0), 0.0, half)  # below the lowest class: none
    out = np.zeros(grid.shape, dtype=bool)
    for width in sorted(set(half[half > 0])):
        lines = data.lines[half == width]
        touched = rasterize_mask(lines, grid, what="transmission lines", all_touched=True)
        out |= buffer_mask(touched, grid, distance_m=width)
    return out


def _buffered(rule: ExclusionRule, mask: np.ndarray, grid: Grid, data: RuleData) -> np.ndarray:
    """``mask`` grown by the rule's buffer, or by its county's buffer where one is set."""
    overrides = data.buffers_by_county.get(rule.name)
    if (rule.buffer_m <= 0 and overrides is None) or not mask.any():
        return mask
    if overrides is None and rule.buffer_m <= DILATE_MAX_CELLS * grid.resolution_m:
        return dilate_by_disc(mask, _disc_m(rule.buffer_m, grid))
    dist_m = distance_km(mask, grid) * np.float32(1000.0)
    reach = np.full(grid.shape, rule.buffer_m, dtype=np.float32)
    if overrides is not None and data.county_cells is not None:
        by_county = pd.Series(data.county_fips).map(overrides).to_numpy(dtype=np.float32)
        cells = data.county_cells
        local = np.where(cells >= 0, by_county[np.maximum(cells, 0)], np.nan)
        reach = np.where(np.isfinite(local), local, reach).astype(np.float32)
    return mask | (dist_m <= reach)


def _disc_m(buffer_m: float, grid: Grid) -> np.ndarray:
    """The cell offsets :func:`_buffered` keeps: float32 distance in metres at most
    ``buffer_m``, so that dilating by this disc marks the cells thresholding the whole mask's
    distance transform marks. The window reaches one cell past the buffer, so that an offset
    whose rounded distance just reaches ``buffer_m`` is not cut off."""
    window = offset_distance_km(math.floor(buffer_m / grid.resolution_m) + 1, grid)
    return window * np.float32(1000.0) <= np.float32(buffer_m)


def _union(masks: list[np.ndarray], grid: Grid) -> np.ndarray:
    """Cells marked by any of ``masks``, one in-place OR each (no stacked copy of them all)."""
    out = np.zeros(grid.shape, dtype=bool)
    for mask in masks:
        out |= mask
    return out


def _score_factor(rules, marked, grid: Grid) -> np.ndarray:
    factor = np.ones(grid.shape, dtype=np.float32)
    for rule in (r for r in rules if r.mode == "penalise"):
        factor[marked[rule.name]] *= np.float32(1.0 - rule.penalty)
    return factor


def _flags(rules, marked, unknown, *, eligible: np.ndarray) -> dict[str, np.ndarray]:
    out = {}
    for rule in rules:
        if rule.mode == "flag":
            out[rule.name] = marked[rule.name] & eligible
        if rule.missing == "flag" and unknown[rule.name].any():
            out[f"{rule.name}: UNKNOWN"] = unknown[rule.name] & eligible
    return out


def ledger(
    rules, masks, unknown, grid: Grid, *, study_area, excluded, skipped=None
) -> pd.DataFrame:
    """One row per rule (see :data:`LEDGER_COLUMNS`; skipped rules say why), then the total."""
    skipped = skipped or {}
    km2 = grid.cell_area_km2
    study_km2 = float(study_area.sum()) * km2
    removing = [r for r in rules if r.mode == "exclude" and r.name not in skipped]
    hits = _count_marked([masks[r.name] for r in removing], grid)
    so_far = np.zeros(grid.shape, dtype=bool)
    rows = []
    for rule in rules:
        if rule.name in skipped:
            rows.append(_skipped_row(rule, skipped[rule.name]))
            continue
        mask = masks[rule.name]
        area = float(mask.sum()) * km2
        if rule.mode == "exclude":
            only = float((mask & (hits == 1)).sum()) * km2
            added = float((mask & ~so_far).sum()) * km2
            so_far |= mask
        else:
            only = added = np.nan
        rows.append(
            {
                "rule": rule.name,
                "kind": rule.kind,
                "mode": rule.mode if rule.mode != "penalise" else f"penalise {rule.penalty:g}",
                "missing": rule.missing,
                "detail": describe(rule),
                "area_km2": area,
                "share_of_study_area": area / study_km2 if study_km2 else np.nan,
                "only_this_rule_km2": only,
                "in_sequence_km2": added,
                "unknown_km2": float((unknown[rule.name] & study_area).sum()) * km2,
                "note": rule.note,
            }
        )
    total = float((excluded & study_area).sum()) * km2
    rows.append(
        {
            "rule": "all rules",
            "kind": "total",
            "mode": "exclude",
            "missing": "",
            "detail": f"study area {study_km2:.1f} km², remaining {study_km2 - total:.1f} km²",
            "area_km2": total,
            "share_of_study_area": total / study_km2 if study_km2 else np.nan,
            "only_this_rule_km2": np.nan,
            "in_sequence_km2": total,
            "unknown_km2": np.nan,
            "note": "",
        }
    )
    return pd.DataFrame(rows, columns=list(LEDGER_COLUMNS))


def _count_marked(masks: list[np.ndarray], grid: Grid) -> np.ndarray:
    """How many of ``masks`` mark each cell, added in place (no stacked copy of them all)."""
    count = np.zeros(grid.shape, dtype=np.int32)
    for mask in masks:
        count += mask
    return count


def _skipped_row(rule: ExclusionRule, reason: str) -> dict:
    return {
        "rule": rule.name,
        "kind": rule.kind,
        "mode": "not checked",
        "missing": rule.missing,
        "detail": describe(rule),
        "area_km2": np.nan,
        "share_of_study_area": np.nan,
        "only_this_rule_km2": np.nan,
        "in_sequence_km2": np.nan,
        "unknown_km2": np.nan,
        "note": reason,
    }


def describe(rule: ExclusionRule) -> str:
    """A rule in one line, as the ledger and the report show it.

    >>> describe(ExclusionRule(name="x", kind="indicator", indicator="v", above=5.0, buffer_m=300))
    'v > 5, buffer 300 m'
    """
    buffer = f", buffer {rule.buffer_m:g} m" if rule.buffer_m else ""
    if rule.buffer_by_county:
        buffer += f" (by county: {rule.buffer_by_county})"
    if rule.kind == "features":
        where = f" where {rule.column} in {list(rule.values)}" if rule.column else ""
        return f"layer {rule.layer or rule.file}{where}{buffer}"
    if rule.kind == "corridor":
        widths = ", ".join(f"≥{kv:g} kV {w:g} m" for kv, w in rule.widths_m)
        return f"transmission line right of way ({widths})"
    if rule.kind == "min_area":
        area = "the campus's land" if rule.area_km2 is None else f"{rule.area_km2:g} km²"
        return f"eligible patches smaller than {area}"
    parts = []
    if rule.above is not None:
        parts.append(f"{rule.indicator} > {rule.above:g}")
    if rule.below is not None:
        parts.append(f"{rule.indicator} < {rule.below:g}")
    if rule.between is not None:
        parts.append(f"{rule.between[0]:g} ≤ {rule.indicator} ≤ {rule.between[1]:g}")
    if rule.values:
        parts.append(f"{rule.indicator} in {[f'{v:g}' for v in rule.values]}")
    return " or ".join(parts) + buffer
