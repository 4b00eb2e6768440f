"""Our schema of transmission lines and connection points, whatever the provider.

Every line reader (HIFLD, GridWatch) and substation reader returns frames that these two
functions check and complete: ``line_id`` and ``point_id`` as text (assigned in file order
where the provider has none), voltages in kV with unknown as NaN, features without geometry
dropped.
"""

from __future__ import annotations

import geopandas as gpd

from siting.errors import CRSError
from siting.sources.files import numbers, require_columns
from siting.sources.hifld import kv_or_unknown


def standard_lines(gdf: gpd.GeoDataFrame, *, what: str) -> gpd.GeoDataFrame:
    """Lines in our schema: ``line_id`` (text), ``kv`` (NaN unknown), optional HIFLD fields."""
    _check(gdf, "kv", what=what)
    out = gdf.copy()
    out["kv"] = kv_or_unknown(out["kv"], what=what, column="kv")
    if "line_id" not in out.columns:
        out["line_id"] = [f"L{i:05d}" for i in range(len(out))]
    out["line_id"] = out["line_id"].astype(str)
    return out[~(out.geometry.isna() | out.geometry.is_empty)].reset_index(drop=True)


def standard_points(gdf: gpd.GeoDataFrame, *, what: str) -> gpd.GeoDataFrame:
    """Connection points in our schema: ``point_id``, ``kind``, ``max_kv``, ``min_kv``, ``n_lines``.

    ``max_kv``/``min_kv`` are in kV (NaN if unknown); ``n_lines`` is NaN where unknown.
    """
    _check(gdf, "max_kv", what=what)
    out = gdf.copy()
    for column in ("max_kv", "min_kv"):
        if column in out.columns:
            out[column] = kv_or_unknown(out[column], what=what, column=column)
    if "n_lines" in out.columns:
        n_lines = numbers(out["n_lines"], what=what, column="n_lines")
        out["n_lines"] = n_lines.where(n_lines >= 0)
    if "point_id" not in out.columns:
        out["point_id"] = [f"S{i:05d}" for i in range(len(out))]
    out["point_id"] = out["point_id"].astype(str)
    if "kind" not in out.columns:
        out["kind"] = "substation"
    return out[~(out.geometry.isna() | out.geometry.is_empty)].reset_index(drop=True)


def _check(gdf: gpd.GeoDataFrame, column: str, *, what: str) -> None:
    if gdf.crs is None:
        raise CRSError(f"{what}: no CRS; write the file with its CRS (e.g. EPSG:4326)")
    require_columns(gdf, (column,), what=what, hint="Is this a lines or substations file?")
