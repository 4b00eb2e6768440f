"""HIFLD Electric Power Transmission Lines and Electric Substations.

Renames HIFLD's columns to ours in one place (:data:`LINE_COLUMNS`, :data:`SUBSTATION_COLUMNS`)
with voltages in kV. HIFLD's unknown voltage (-999999) and any non-positive voltage become NaN:
UNKNOWN, never zero, so a line or substation of unknown voltage never qualifies for a
connection.

References
----------
Homeland Infrastructure Foundation-Level Data (HIFLD), Electric Power Transmission Lines and
Electric Substations, U.S. Department of Homeland Security (public domain).
https://hifld-geoplatform.hub.arcgis.com/
"""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

import geopandas as gpd
import pandas as pd

from siting.sources.files import numbers, read_vector, require_columns

#: HIFLD's code for an unknown voltage.
UNKNOWN_KV = -999999.0

LINE_COLUMNS = MappingProxyType(
    {
        "ID": "line_id",
        "VOLTAGE": "kv",
        "VOLT_CLASS": "volt_class",
        "SUB_1": "sub_1",
        "SUB_2": "sub_2",
        "STATUS": "status",
        "TYPE": "line_type",
        "OWNER": "owner",
    }
)
LINE_REQUIRED = ("VOLTAGE", "VOLT_CLASS", "SUB_1", "SUB_2", "STATUS", "TYPE")

SUBSTATION_COLUMNS = MappingProxyType(
    {
        "ID": "point_id",
        "NAME": "name",
        "TYPE": "sub_type",
        "STATUS": "status",
        "MAX_VOLT": "max_kv",
        "MIN_VOLT": "min_kv",
        "LINES": "n_lines",
    }
)
SUBSTATION_REQUIRED = ("MAX_VOLT", "MIN_VOLT", "LINES", "STATUS")


def kv_or_unknown(values: pd.Series, *, what: str, column: str) -> pd.Series:
    """Voltages in kV with HIFLD's -999999, zero and negatives as NaN (UNKNOWN).

    >>> kv_or_unknown(pd.Series([345, -999999, 0, None]), what="x", column="VOLTAGE").tolist()
    [345.0, nan, nan, nan]
    """
    kv = numbers(values, what=what, column=column)
    return kv.where(kv > 0)


def read_lines(path: str | Path) -> gpd.GeoDataFrame:
    """Read a HIFLD Electric Power Transmission Lines file (GeoJSON, shapefile, GeoPackage).

    Returns the lines in the file's CRS with our columns (:data:`LINE_COLUMNS`): ``kv`` in
    [kV], NaN where HIFLD gives -999999 or no positive voltage.

    Raises
    ------
    DataFileNotFound, DataError, CRSError
        The file is missing, unreadable, lacks a HIFLD column, or has no CRS.
    """
    return lines_from_frame(read_vector(path), what=str(path))


def lines_from_frame(gdf: gpd.GeoDataFrame, *, what: str) -> gpd.GeoDataFrame:
    """Rename a HIFLD lines frame's columns to ours, voltages in kV (see :func:`read_lines`)."""
    require_columns(gdf, LINE_REQUIRED, what=what, hint="Is this a HIFLD transmission lines file?")
    keep = [c for c in LINE_COLUMNS if c in gdf.columns]
    out = gdf[[*keep, "geometry"]].copy()
    out["VOLTAGE"] = kv_or_unknown(out["VOLTAGE"], what=what, column="VOLTAGE")
    return out.rename(columns=dict(LINE_COLUMNS))


def read_substations(path: str | Path) -> gpd.GeoDataFrame:
    """Read a HIFLD Electric Substations file (GeoJSON, shapefile, GeoPackage).

    Returns points in the file's CRS with our columns (:data:`SUBSTATION_COLUMNS`):
    ``max_kv``/``min_kv`` in [kV] (NaN for -999999 or non-positive), ``n_lines`` (NaN if
    unknown).
    """
    return substations_from_frame(read_vector(path), what=str(path))


def substations_from_frame(gdf: gpd.GeoDataFrame, *, what: str) -> gpd.GeoDataFrame:
    """Rename a HIFLD substations frame's columns to ours (see :func:`read_substations`)."""
    require_columns(gdf, SUBSTATION_REQUIRED, what=what, hint="Is this a HIFLD substations file?")
    keep = [c for c in SUBSTATION_COLUMNS if c in gdf.columns]
    out = gdf[[*keep, "geometry"]].copy()
    for column in ("MAX_VOLT", "MIN_VOLT"):
        out[column] = kv_or_unknown(out[column], what=what, column=column)
    lines = numbers(out["LINES"], what=what, column="LINES")
    out["LINES"] = lines.where(lines >= 0)
    out = out.rename(columns=dict(SUBSTATION_COLUMNS))
    out["kind"] = "HIFLD substation"
    return out
