"""Hard constraints: a boolean mask of excluded cells and a ledger of what each rule removed."""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import numpy as np
import pandas as pd
import xarray as xr

from siting.errors import SpecError
from siting.grid import Grid, buffer_mask, rasterize_mask
from siting.spec import ExclusionRule

LEDGER_COLUMNS = (
    "rule",
    "kind",
    "mode",
    "detail",
    "area_km2",
    "share_of_study_area",
    "only_this_rule_km2",
)


def rule_mask(
    rule: ExclusionRule,
    grid: Grid,
    *,
    features: Mapping[str, gpd.GeoDataFrame],
    indicators: Mapping[str, xr.DataArray],
) -> np.ndarray:
    """Cells a single rule marks (before the study area is applied).

    Indicator cells whose value is unknown (NaN) are never marked: a rule excludes only what it
    knows. Feature buffers are true circles from a Euclidean distance transform.
    """
    if rule.kind == "features":
        if rule.layer not in features:
            raise SpecError(
                f"exclusion '{rule.name}': no layer {rule.layer!r}; available: {sorted(features)}"
            )
        geoms = features[rule.layer]
        lines_or_points = bool(len(geoms)) and not geoms.geom_type.str.contains("Polygon").all()
        mask = rasterize_mask(
            geoms, grid, what=f"layer {rule.layer!r}", all_touched=lines_or_points
        )
        return buffer_mask(mask, grid, distance_m=rule.buffer_m)
    if rule.indicator not in indicators:
        raise SpecError(
            f"exclusion '{rule.name}': no indicator {rule.indicator!r}; "
            f"available: {sorted(indicators)}"
        )
    values = indicators[rule.indicator].to_numpy()
    mask = np.zeros(grid.shape, dtype=bool)
    with np.errstate(invalid="ignore"):
        if rule.above is not None:
            mask |= values > rule.above
        if rule.below is not None:
            mask |= values < rule.below
    return mask


def apply_exclusions(
    rules: tuple[ExclusionRule, ...],
    grid: Grid,
    *,
    study_area: np.ndarray,
    features: Mapping[str, gpd.GeoDataFrame],
    indicators: Mapping[str, xr.DataArray],
) -> tuple[np.ndarray, pd.DataFrame]:
    """Combine the rules into one excluded mask and a ledger of area per rule.

    Cells outside ``study_area`` are always excluded. Exclusion rules are OR-ed; then cells of
    ``mode="include"`` rules are forced back in (inside the study area only).

    Returns
    -------
    excluded : numpy.ndarray
        Boolean mask, True where no campus may go.
    ledger : pandas.DataFrame
        One row per rule: area it marks inside the study area [km²], that area as a share of
        the study area, and the area excluded by this rule alone [km²]; then a total row.
    """
    masks = {
        r.name: rule_mask(r, grid, features=features, indicators=indicators) & study_area
        for r in rules
    }
    excluders = [masks[r.name] for r in rules if r.mode == "exclude"]
    includers = [masks[r.name] for r in rules if r.mode == "include"]
    excluded_by_rules = np.logical_or.reduce(excluders) if excluders else np.zeros(grid.shape, bool)
    included = np.logical_or.reduce(includers) if includers else np.zeros(grid.shape, bool)
    excluded = (excluded_by_rules & ~included) | ~study_area
    hits = np.sum(excluders, axis=0) if excluders else np.zeros(grid.shape, int)
    cell_km2 = grid.cell_area_km2
    study_km2 = float(study_area.sum()) * cell_km2
    rows = []
    for rule in rules:
        mask = masks[rule.name]
        only = (mask & (hits == 1)) if rule.mode == "exclude" else (mask & excluded_by_rules)
        rows.append(
            {
                "rule": rule.name,
                "kind": rule.kind,
                "mode": rule.mode,
                "detail": _detail(rule),
                "area_km2": float(mask.sum()) * cell_km2,
                "share_of_study_area": float(mask.sum()) * cell_km2 / study_km2
                if study_km2
                else np.nan,
                "only_this_rule_km2": float(only.sum()) * cell_km2,
            }
        )
    total = float((excluded & study_area).sum()) * cell_km2
    rows.append(
        {
            "rule": "all rules",
            "kind": "total",
            "mode": "exclude",
            "detail": f"study area {study_km2:.1f} km², remaining {study_km2 - total:.1f} km²",
            "area_km2": total,
            "share_of_study_area": total / study_km2 if study_km2 else np.nan,
            "only_this_rule_km2": np.nan,
        }
    )
    return excluded, pd.DataFrame(rows, columns=list(LEDGER_COLUMNS))


def _detail(rule: ExclusionRule) -> str:
    if rule.kind == "features":
        return f"layer {rule.layer}, buffer {rule.buffer_m:g} m"
    parts = []
    if rule.above is not None:
        parts.append(f"{rule.indicator} > {rule.above:g}")
    if rule.below is not None:
        parts.append(f"{rule.indicator} < {rule.below:g}")
    return " or ".join(parts)
