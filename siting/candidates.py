"""A team's own candidate sites, scored and ranked like the regions the search finds.

Each candidate (a polygon, or a point with a radius) is burned onto the grid as one label; the
site table, the per-site models and the outputs then treat it as a found region. Exclusions do
not remove a candidate: its score is computed over all its cells, and it reports the share of
its cells the rules exclude and which rules do (``excluded_share``, ``excluded_by``).
"""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import numpy as np
import rasterio.features

from siting.errors import DataError
from siting.grid import Grid
from siting.zonal import zonal_mean


def candidate_labels(candidates: gpd.GeoDataFrame, grid: Grid, *, what: str) -> np.ndarray:
    """Label ``k`` on the cells of the ``k``-th candidate (1-based), 0 elsewhere.

    A cell belongs to a candidate when its centre lies inside it; a candidate smaller than a
    cell takes every cell it touches. Overlapping candidates are refused.
    """
    geoms = candidates.geometry.to_numpy()
    overlaps = [
        (i, j)
        for i in range(len(geoms))
        for j in range(i + 1, len(geoms))
        if geoms[i].intersection(geoms[j]).area > 0
    ]
    if overlaps:
        i, j = overlaps[0]
        ids = candidates["candidate_id"].to_numpy()
        raise DataError(
            f"{what}: candidates {ids[i]!r} and {ids[j]!r} overlap; give separate sites"
        )
    labels = np.zeros(grid.shape, dtype=np.int32)
    for k, geom in enumerate(geoms, start=1):
        cells = _burn(geom, grid, all_touched=False)
        if not cells.any():
            cells = _burn(geom, grid, all_touched=True)
        if not cells.any():
            ids = candidates["candidate_id"].to_numpy()
            raise DataError(f"{what}: candidate {ids[k - 1]!r} lies outside the study grid")
        labels[cells] = k
    return labels


def _burn(geom, grid: Grid, *, all_touched: bool) -> np.ndarray:
    return rasterio.features.rasterize(
        [(geom, 1)],
        out_shape=grid.shape,
        transform=grid.transform,
        fill=0,
        all_touched=all_touched,
        dtype="uint8",
    ).astype(bool)


def exclusion_columns(
    labels: np.ndarray,
    excluded: np.ndarray,
    masks: Mapping[str, np.ndarray],
    modes: Mapping[str, str],
) -> dict[str, list]:
    """Per candidate label (1..n): the share of its cells excluded, and the excluding rules.

    >>> labels = np.array([[1, 1, 2, 2]])
    >>> out = exclusion_columns(labels, labels == 1, {"lake": labels == 1}, {"lake": "exclude"})
    >>> out["excluded_share"], out["excluded_by"]
    ([1.0, 0.0], ['lake 100%', ''])
    """
    ids = np.arange(1, int(labels.max()) + 1)
    share, _ = zonal_mean(excluded.astype(np.float32), labels, ids)
    parts: list[list[str]] = [[] for _ in ids]
    for name, mask in masks.items():
        if modes.get(name) != "exclude":
            continue
        rule_share, _ = zonal_mean(mask.astype(np.float32), labels, ids)
        for i, value in enumerate(rule_share):
            if value > 0:
                parts[i].append(f"{name} {value:.0%}")
    return {
        "excluded_share": [float(v) for v in share],
        "excluded_by": ["; ".join(p) for p in parts],
    }
