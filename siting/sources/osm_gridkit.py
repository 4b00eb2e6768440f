"""OpenStreetMap high-voltage network vertices in the SciGRID/GridKit export format.

GridKit turns OpenStreetMap power objects into a network; its ``*-highvoltage-vertices.csv``
export holds one row per vertex (substation, station, plant, line joint or merge) with
``v_id``, ``lon``, ``lat`` (EPSG:4326), ``typ``, ``voltage`` (volts as tagged, several levels
';'-separated, e.g. "345000;138000"), ``frequency``, ``name``, ``operator``, ``ref`` and, in
some extracts, more columns. Tag values are kept as text: OpenStreetMap tags are free text.

``v_id`` numbers the vertices of one extract; a file joining several regional extracts may
repeat it.

>>> VERTEX_COLUMNS["typ"], VERTEX_COLUMNS["v_id"]
('kind', 'osm_vertex_id')

References
----------
Wiegmans, B. (2016). GridKit: European and North-American extracts [Data set]. Zenodo.
doi:10.5281/zenodo.47317. Code: https://github.com/bdw/GridKit. Data © OpenStreetMap
contributors, ODbL 1.0 (https://www.openstreetmap.org/copyright).
"""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

import geopandas as gpd
import pandas as pd

from siting.errors import DataError
from siting.sources.files import numbers, read_csv_text, read_vector, require_columns

#: GridKit column → ours; tag columns are text, "" where untagged (``name`` is NaN then).
VERTEX_COLUMNS = MappingProxyType(
    {
        "v_id": "osm_vertex_id",
        "name": "name",
        "typ": "kind",
        "voltage": "voltage",
        "operator": "operator",
    }
)
#: Tag columns whose missing value is "" rather than NaN.
TAG_COLUMNS = ("typ", "voltage", "operator")
HINT = "Is this a GridKit high-voltage vertices file (v_id, lon, lat, typ, voltage, ...)?"


def read_vertices(path: str | Path) -> gpd.GeoDataFrame:
    """Read every vertex of a GridKit high-voltage vertices export.

    Parameters
    ----------
    path : str or pathlib.Path
        The CSV (plain or ``.gz``) with ``lon``/``lat`` [degrees, EPSG:4326], or a vector file
        (``file.gpkg:layer``) holding the same columns as point features in any CRS.

    Returns
    -------
    geopandas.GeoDataFrame
        One point per vertex in file order (EPSG:4326 from a CSV, else the file's CRS):
        ``osm_vertex_id`` (text of ``v_id``), ``name`` (stripped; NaN where untagged),
        ``kind`` (``typ``, e.g. "substation", "joint"), ``voltage`` (text as tagged [V],
        ';'-separated), ``operator``; ``kind``, ``voltage`` and ``operator`` are "" where
        untagged.

    Raises
    ------
    DataFileNotFound, DataError, CRSError
        The file is missing, unreadable or empty; lacks a column; a ``v_id`` is blank; a
        ``lon``/``lat`` is missing or not a number; a vector file has no CRS.

    References
    ----------
    Wiegmans, B. (2016). GridKit: European and North-American extracts. Zenodo.
    doi:10.5281/zenodo.47317. © OpenStreetMap contributors, ODbL 1.0.
    """
    what = str(path)
    from_csv = what.lower().endswith((".csv", ".csv.gz"))
    table = read_csv_text(path) if from_csv else read_vector(path)
    if table.empty:
        raise DataError(f"{what}: no vertices in the file. {HINT}")
    coordinates = ("lon", "lat") if from_csv else ()
    require_columns(table, [*VERTEX_COLUMNS, *coordinates], what=what, hint=HINT)
    if from_csv:
        geometry = gpd.points_from_xy(*_coordinates(table, what=what), crs="EPSG:4326")
    else:
        geometry = table.geometry.array
    frame = _vertex_columns(table, what=what)
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=geometry.crs).reset_index(drop=True)


def named_vertices(vertices: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The vertices that carry a name, their names stripped.

    Parameters
    ----------
    vertices : geopandas.GeoDataFrame
        :func:`read_vertices` output.

    Returns
    -------
    geopandas.GeoDataFrame
        The rows whose ``name`` is not blank, in the same order and CRS.

    Examples
    --------
    >>> vertices = gpd.GeoDataFrame(
    ...     {"name": [" Dumont ", None, " "]}, geometry=gpd.points_from_xy([0, 1, 2], [0, 0, 0])
    ... )
    >>> named_vertices(vertices)["name"].tolist()
    ['Dumont']
    """
    names = vertices["name"].astype("string").str.strip()
    named = (names.notna() & (names != "")).to_numpy(dtype=bool)
    out = vertices[named].copy()
    out["name"] = names[named].astype(str)
    return out.reset_index(drop=True)


def _coordinates(table: pd.DataFrame, *, what: str) -> tuple[pd.Series, pd.Series]:
    """Longitude and latitude [degrees]; a missing or non-numeric value is an error."""
    lon = numbers(table["lon"], what=what, column="lon")
    lat = numbers(table["lat"], what=what, column="lat")
    missing = lon.isna() | lat.isna()
    if missing.any():
        raise DataError(
            f"{what}: lon/lat missing for v_id {table['v_id'][missing].tolist()[:5]}; "
            "every GridKit vertex has coordinates"
        )
    return lon, lat


def _vertex_columns(table: pd.DataFrame, *, what: str) -> pd.DataFrame:
    """Our attribute columns from GridKit's, as text."""
    ids = table["v_id"].astype("string").str.strip().str.replace(r"\.0$", "", regex=True)
    blank = ids.isna() | (ids == "")
    if blank.any():
        raise DataError(f"{what}: column 'v_id' is blank in {int(blank.sum())} row(s)")
    out = pd.DataFrame({"osm_vertex_id": ids.astype(str)}, index=table.index)
    for theirs in ("name", *TAG_COLUMNS):
        text = table[theirs].astype(str).str.strip()
        text = text.mask(text == "")
        out[VERTEX_COLUMNS[theirs]] = text.fillna("") if theirs in TAG_COLUMNS else text
    return out[list(VERTEX_COLUMNS.values())]
