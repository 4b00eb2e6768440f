"""Grid capacity: where the bulk transmission network runs, at which voltage, and where to connect.

Readers for the official formats (HIFLD Electric Power Transmission Lines, HIFLD Electric
Substations, EIA U.S. Energy Atlas power plants) rename each provider's columns to ours in one
place (the ``*_COLUMNS`` maps below), with voltages in kV and capacities in MW. HIFLD's unknown
voltage (-999999) and any non-positive voltage become NaN: UNKNOWN, never zero, and a line or
substation of unknown voltage never qualifies for a connection.

Where a bundle has no substation layer, connection points are derived from the real line
geometry: line ends closer than ``CLUSTER_M`` are clustered (single linkage), and each cluster
records how many lines end there and their voltages. They stand in for substations and taps and
are labelled "derived" in every output.

Per-cell indicators are distances on the analysis grid: lines and points are rasterised (every
cell a line touches) and a Euclidean distance transform gives the distance from each cell centre
to the nearest marked cell centre, within half a cell diagonal of the exact distance. The
transform runs on the grid grown by ``DISTANCE_MARGIN_M`` so that lines just across the study
area's edge count; a distance longer than the margin is an upper bound.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pyogrio.errors
import shapely
import xarray as xr
from pyproj import CRS
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from siting.bundle import Bundle, check_frame, file_stamp, read_layer
from siting.errors import CRSError, DataError, DataFileNotFound
from siting.grid import Grid, distance_km, padded, rasterize_values
from siting.layer import LayerSchema
from siting.spec import CampusSpec

log = logging.getLogger(__name__)

LINES_LAYER = "transmission_lines"
#: Optional bundle layer of official substations (HIFLD schema or ours); without it connection
#: points are derived from the lines.
SUBSTATIONS_LAYER = "substations"
#: EIA U.S. Energy Atlas power plants (EIA-860M, Nov 2023) around the region, in EIA's schema.
PLANTS_TABLE = "tables/eia_power_plants_202311_indiana_region.csv"

#: HIFLD's code for an unknown voltage.
HIFLD_UNKNOWN = -999999.0
#: Line ends closer than this are one connection point [m]; the distance used for the derived
#: node set in the raw data (``grid/indiana_hifld_line_nodes_derived.geojson``), which this
#: method reproduces.
CLUSTER_M = 300.0
#: Distances are computed on the grid grown by this margin, so lines and points beyond the study
#: area's edge count; distances up to it are exact to half a cell, longer ones upper bounds [m].
#: 50 km is past where the default distance curves reach zero suitability (30 and 40 km).
DISTANCE_MARGIN_M = 50_000.0
#: Lower bounds of the HIFLD VOLT_CLASS classes "100-161", "220-287", "345", "500" and
#: "735 AND ABOVE" [kV]; distances are reported to lines and points at or above each.
VOLTAGE_CLASSES_KV = (100, 220, 345, 500, 735)
#: Status words of lines and substations that are not (or no longer, or not yet) operating.
NOT_OPERATING = ("INACTIVE", "RETIRED", "PROPOSED", "DECOMMISSIONED", "ABANDONED", "CANCELLED")

HIFLD_LINE_COLUMNS = MappingProxyType(
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
HIFLD_LINE_REQUIRED = ("VOLTAGE", "VOLT_CLASS", "SUB_1", "SUB_2", "STATUS", "TYPE")

HIFLD_SUBSTATION_COLUMNS = MappingProxyType(
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
HIFLD_SUBSTATION_REQUIRED = ("MAX_VOLT", "MIN_VOLT", "LINES", "STATUS")

EIA_PLANT_COLUMNS = MappingProxyType(
    {
        "Plant_Code": "plant_id",
        "Plant_Name": "name",
        "State": "state",
        "PrimSource": "primary_fuel",
        "Total_MW": "capacity_mw",
        "Longitude": "lon",
        "Latitude": "lat",
    }
)
#: Net summer capacity by energy source [MW]; a blank means the plant has none of that source.
EIA_FUEL_COLUMNS = MappingProxyType(
    {
        "Bat_MW": "batteries",
        "Bio_MW": "biomass",
        "Coal_MW": "coal",
        "Geo_MW": "geothermal",
        "Hydro_MW": "hydroelectric",
        "HydroPS_MW": "pumped_storage",
        "NG_MW": "natural_gas",
        "Nuclear_MW": "nuclear",
        "Crude_MW": "petroleum",
        "Solar_MW": "solar",
        "Wind_MW": "wind",
        "Other_MW": "other",
    }
)

LINES_SOURCE = "HIFLD transmission lines (2024 vintage) via GridWatch Indiana, CC BY 4.0"
POINTS_SOURCE = (
    "Connection points: HIFLD substations where the bundle has them, else derived from the "
    "HIFLD line geometry (line ends within 300 m clustered)"
)


def _class_schemas() -> tuple[LayerSchema, ...]:
    out = []
    for kv in VOLTAGE_CLASSES_KV:
        for what, noun in (("line", "a transmission line"), ("substation", "a connection point")):
            out.append(
                LayerSchema(
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
    LayerSchema(
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
    LayerSchema(
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


@dataclass(frozen=True, kw_only=True)
class Network:
    """The transmission network of a region in one projected CRS.

    ``lines``: operating AC lines with ``line_id``, ``kv`` (NaN if unknown) and ``length_km``.
    ``points``: connection points with ``point_id``, ``kind``, ``max_kv`` (NaN if unknown) and
    ``n_lines``. ``ends``: one row (``point_id``, ``line_id``) per line ending at a point.
    ``derived`` is True when the points were derived from the line geometry.
    """

    lines: gpd.GeoDataFrame
    points: gpd.GeoDataFrame
    ends: pd.DataFrame
    derived: bool


# ---------------------------------------------------------------------------------------------
# readers for the official formats
# ---------------------------------------------------------------------------------------------


def read_hifld_lines(path: str | Path, *, layer: str | None = None) -> gpd.GeoDataFrame:
    """Read a HIFLD Electric Power Transmission Lines file (GeoJSON, shapefile or GeoPackage).

    Returns the lines in the file's CRS with our columns (``HIFLD_LINE_COLUMNS``): ``kv`` in kV,
    NaN where HIFLD gives -999999 or no positive voltage.

    Raises
    ------
    DataFileNotFound, DataError, CRSError
        The file is missing, unreadable, lacks a HIFLD column, or has no CRS.

    References
    ----------
    Homeland Infrastructure Foundation-Level Data (HIFLD), Electric Power Transmission Lines,
    U.S. Department of Homeland Security (public domain).
    """
    return lines_from_hifld(_read_vector_file(path, layer), what=str(path))


def lines_from_hifld(gdf: gpd.GeoDataFrame, *, what: str) -> gpd.GeoDataFrame:
    """Rename a HIFLD lines frame's columns to ours and convert voltages (see read_hifld_lines)."""
    _require(gdf, HIFLD_LINE_REQUIRED, what=what, hint="Is this a HIFLD transmission lines file?")
    keep = [c for c in HIFLD_LINE_COLUMNS if c in gdf.columns]
    out = gdf[[*keep, "geometry"]].copy()
    out["VOLTAGE"] = kv_or_unknown(out["VOLTAGE"], what=what, column="VOLTAGE")
    return standard_lines(out.rename(columns=dict(HIFLD_LINE_COLUMNS)), what=what)


def read_hifld_substations(path: str | Path, *, layer: str | None = None) -> gpd.GeoDataFrame:
    """Read a HIFLD Electric Substations file (GeoJSON, shapefile or GeoPackage).

    Returns points in the file's CRS with our columns (``HIFLD_SUBSTATION_COLUMNS``):
    ``max_kv``/``min_kv`` in kV (NaN for -999999 or non-positive), ``n_lines`` (NaN if unknown).

    References
    ----------
    HIFLD, Electric Substations, U.S. Department of Homeland Security (public domain).
    """
    return substations_from_hifld(_read_vector_file(path, layer), what=str(path))


def substations_from_hifld(gdf: gpd.GeoDataFrame, *, what: str) -> gpd.GeoDataFrame:
    """Rename a HIFLD substations frame's columns to ours (see read_hifld_substations)."""
    _require(gdf, HIFLD_SUBSTATION_REQUIRED, what=what, hint="Is this a HIFLD substations file?")
    keep = [c for c in HIFLD_SUBSTATION_COLUMNS if c in gdf.columns]
    out = gdf[[*keep, "geometry"]].copy()
    for column in ("MAX_VOLT", "MIN_VOLT"):
        out[column] = kv_or_unknown(out[column], what=what, column=column)
    out["LINES"] = _numbers(out["LINES"], what=what, column="LINES")
    out = out.rename(columns=dict(HIFLD_SUBSTATION_COLUMNS))
    return standard_points(out, what=what, kind="HIFLD substation")


def read_eia_plants(path: str | Path) -> gpd.GeoDataFrame:
    """Read EIA U.S. Energy Atlas power plants (CSV export, or a vector file with its fields).

    Returns one point per plant in EPSG:4326 (from ``Longitude``/``Latitude`` in a CSV) with our
    columns (``EIA_PLANT_COLUMNS``) and the net summer capacity by energy source in
    ``capacity_mw_<fuel>`` (``EIA_FUEL_COLUMNS``; a blank source column means 0 MW of it).
    Plants without coordinates are dropped and counted in ``attrs["dropped_no_coordinates"]``.

    References
    ----------
    U.S. Energy Information Administration, U.S. Energy Atlas, Power Plants layer, from Form
    EIA-860 and EIA-860M (monthly) (public domain).
    """
    path = Path(path)
    if not path.is_file():
        raise DataFileNotFound(f"{path}: power plant file not found")
    if path.suffix.lower() in (".csv", ".gz"):
        try:
            table = pd.read_csv(path, dtype=str, encoding="utf-8-sig", keep_default_na=False)
        except (pd.errors.ParserError, UnicodeDecodeError, EOFError, OSError) as err:
            raise DataError(f"{path}: cannot parse as CSV ({err})") from None
        return plants_from_eia(table, what=str(path))
    return plants_from_eia(_read_vector_file(path, None), what=str(path))


def plants_from_eia(table: pd.DataFrame, *, what: str) -> gpd.GeoDataFrame:
    """Rename an EIA Energy Atlas plants table's columns to ours (see read_eia_plants)."""
    required = (*EIA_PLANT_COLUMNS, *EIA_FUEL_COLUMNS)
    if isinstance(table, gpd.GeoDataFrame):
        required = tuple(c for c in required if c not in ("Longitude", "Latitude"))
    _require(table, required, what=what, hint="Is this an EIA Energy Atlas power plants file?")
    out = pd.DataFrame(
        {
            ours: table[theirs]
            for theirs, ours in EIA_PLANT_COLUMNS.items()
            if theirs in table.columns
        }
    )
    out["capacity_mw"] = _numbers(table["Total_MW"], what=what, column="Total_MW")
    for theirs, fuel in EIA_FUEL_COLUMNS.items():
        mw = _numbers(table[theirs].replace("", np.nan), what=what, column=theirs)
        out[f"capacity_mw_{fuel}"] = mw.fillna(0.0)
    if isinstance(table, gpd.GeoDataFrame):
        if table.crs is None:
            raise CRSError(f"{what}: no CRS; write the file with its CRS (e.g. EPSG:4326)")
        plants = gpd.GeoDataFrame(out, geometry=table.geometry.to_numpy(), crs=table.crs)
    else:
        lon = _numbers(table["Longitude"], what=what, column="Longitude")
        lat = _numbers(table["Latitude"], what=what, column="Latitude")
        plants = gpd.GeoDataFrame(out, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
    placed = ~(plants.geometry.is_empty | plants.geometry.isna())
    placed &= np.isfinite(shapely.get_x(plants.geometry.to_numpy()))
    dropped = int((~placed).sum())
    if dropped:
        log.warning("%s: %d plants without coordinates dropped", what, dropped)
    plants = plants[placed].reset_index(drop=True)
    plants.attrs["dropped_no_coordinates"] = dropped
    return plants


def _read_vector_file(path: str | Path, layer: str | None) -> gpd.GeoDataFrame:
    path = Path(path)
    if not path.exists():
        raise DataFileNotFound(f"{path}: file not found")
    try:
        gdf = pyogrio.read_dataframe(path, layer=layer)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, OSError) as err:
        raise DataError(f"{path}: cannot read as a vector file ({err})") from None
    if gdf.crs is None:
        raise CRSError(f"{path}: no CRS; write the file with its CRS (e.g. EPSG:4326)")
    return gdf


def _require(table: pd.DataFrame, columns: tuple[str, ...], *, what: str, hint: str) -> None:
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise DataError(f"{what}: column(s) {missing} missing; found {list(table.columns)}. {hint}")


def _numbers(values: pd.Series, *, what: str, column: str) -> pd.Series:
    """Numbers from text or numbers; blanks are NaN; any other text is an error."""
    text = values.astype("string").str.strip()
    numbers = pd.to_numeric(text.replace("", pd.NA), errors="coerce").astype("float64")
    bad = numbers.isna() & text.notna() & (text != "")
    if bad.any():
        raise DataError(
            f"{what}: column {column!r} holds non-numeric values "
            f"{sorted(text[bad].unique())[:5]}; expected numbers"
        )
    return numbers


def kv_or_unknown(values: pd.Series, *, what: str, column: str) -> pd.Series:
    """Voltages in kV with HIFLD's -999999, zero and negatives as NaN (UNKNOWN).

    >>> kv_or_unknown(pd.Series([345, -999999, 0, None]), what="x", column="VOLTAGE").tolist()
    [345.0, nan, nan, nan]
    """
    kv = _numbers(values, what=what, column=column)
    return kv.where(kv > 0)


def standard_lines(gdf: gpd.GeoDataFrame, *, what: str) -> gpd.GeoDataFrame:
    """Lines in our schema: ``line_id`` (text), ``kv`` (NaN unknown), optional HIFLD fields."""
    check_frame(gdf, columns=("kv",), what=what)
    out = gdf.copy()
    out["kv"] = kv_or_unknown(out["kv"], what=what, column="kv")
    if "line_id" not in out.columns:
        out["line_id"] = [f"L{i:05d}" for i in range(len(out))]
    out["line_id"] = out["line_id"].astype(str)
    return out[~(out.geometry.isna() | out.geometry.is_empty)].reset_index(drop=True)


def standard_points(gdf: gpd.GeoDataFrame, *, what: str, kind: str) -> gpd.GeoDataFrame:
    """Connection points in our schema: ``point_id``, ``kind``, ``max_kv``, ``min_kv``, ``n_lines``.

    ``max_kv``/``min_kv`` are in kV (NaN if unknown); ``n_lines`` is NaN where unknown.
    """
    check_frame(gdf, columns=("max_kv",), what=what)
    out = gdf.copy()
    for column in ("max_kv", "min_kv"):
        if column in out.columns:
            out[column] = kv_or_unknown(out[column], what=what, column=column)
    if "n_lines" in out.columns:
        n_lines = _numbers(out["n_lines"], what=what, column="n_lines")
        out["n_lines"] = n_lines.where(n_lines >= 0)
    if "point_id" not in out.columns:
        out["point_id"] = [f"S{i:05d}" for i in range(len(out))]
    out["point_id"] = out["point_id"].astype(str)
    out["kind"] = kind
    return out[~(out.geometry.isna() | out.geometry.is_empty)].reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# the bundle's network
# ---------------------------------------------------------------------------------------------


def inputs(bundle: Bundle) -> tuple[str, ...]:
    """Provenance keys of the files this layer reads."""
    refs = (bundle.layer_ref(LINES_LAYER),)
    if has_layer(bundle, SUBSTATIONS_LAYER):
        refs += (bundle.layer_ref(SUBSTATIONS_LAYER),)
    return refs


def has_layer(bundle: Bundle, layer: str) -> bool:
    """Whether the bundle's GeoPackage holds ``layer``."""
    return layer in {row[0] for row in pyogrio.list_layers(bundle.gpkg)}


def read_lines(bundle: Bundle) -> gpd.GeoDataFrame:
    """The bundle's transmission lines in our schema (the layer may be in HIFLD's schema)."""
    gdf = read_layer(bundle, LINES_LAYER)
    what = f"{bundle.gpkg}:{LINES_LAYER}"
    if "VOLTAGE" in gdf.columns:
        return lines_from_hifld(gdf, what=what)
    return standard_lines(gdf, what=what)


def read_substations(bundle: Bundle) -> gpd.GeoDataFrame | None:
    """The bundle's official substations in our schema, or None if it has no such layer."""
    if not has_layer(bundle, SUBSTATIONS_LAYER):
        return None
    gdf = read_layer(bundle, SUBSTATIONS_LAYER)
    what = f"{bundle.gpkg}:{SUBSTATIONS_LAYER}"
    if "MAX_VOLT" in gdf.columns:
        return substations_from_hifld(gdf, what=what)
    return standard_points(gdf, what=what, kind="substation")


def read_plants(bundle: Bundle) -> gpd.GeoDataFrame:
    """Power plants around the region, from the bundle's EIA Energy Atlas table (EPSG:4326)."""
    return read_eia_plants(bundle.root / PLANTS_TABLE)


def operating(frame: gpd.GeoDataFrame, *, what: str) -> gpd.GeoDataFrame:
    """Drop rows whose ``status`` says retired, inactive, proposed and the like (logged)."""
    if "status" not in frame.columns:
        return frame
    status = frame["status"].astype("string").str.upper().fillna("")
    idle = status.str.contains("|".join(NOT_OPERATING), regex=True)
    if idle.any():
        log.info("%s: %d rows not in operation dropped", what, int(idle.sum()))
    return frame[~idle.to_numpy()].reset_index(drop=True)


def ac_lines(lines: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Lines that can serve an AC load: HIFLD DC lines (TYPE or VOLT_CLASS 'DC') removed."""
    dc = np.zeros(len(lines), dtype=bool)
    for column in ("line_type", "volt_class"):
        if column in lines.columns:
            dc |= lines[column].astype("string").str.upper().str.startswith("DC").fillna(False)
    return lines[~dc].reset_index(drop=True)


def read_network(bundle: Bundle, *, crs: str) -> Network:
    """The bundle's operating AC lines and connection points in ``crs`` (projected, metres).

    The layer, the assessment and the map of one run share one reading (cached while the
    GeoPackage is unchanged); callers must not modify the frames.
    """
    if not CRS.from_user_input(crs).is_projected:
        raise CRSError(f"the network needs a projected CRS in metres, got {crs!r}")
    return _network(bundle, crs, file_stamp(bundle.gpkg))


@functools.lru_cache(maxsize=4)
def _network(bundle: Bundle, crs: str, _stamp: tuple[int, ...]) -> Network:
    lines = ac_lines(operating(read_lines(bundle), what=f"{bundle.gpkg}:{LINES_LAYER}"))
    lines = lines.to_crs(crs)
    lines["length_km"] = lines.geometry.length / 1000.0
    substations = read_substations(bundle)
    if substations is None:
        points, ends = connection_points_from_lines(lines, cluster_m=CLUSTER_M)
        return Network(lines=lines, points=points, ends=ends, derived=True)
    what = f"{bundle.gpkg}:{SUBSTATIONS_LAYER}"
    points = operating(substations, what=what).to_crs(crs)
    ends = line_ends_at_points(points, lines, within_m=CLUSTER_M)
    return Network(lines=lines, points=points, ends=ends, derived=False)


def _line_end_points(lines: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Both end points of every line part, and the ``line_id`` each belongs to."""
    parts = lines[["line_id", "geometry"]].explode(index_parts=False)
    geoms = parts.geometry.to_numpy()
    ends = np.concatenate([shapely.get_point(geoms, 0), shapely.get_point(geoms, -1)])
    return ends, np.tile(parts["line_id"].to_numpy(), 2)


def connection_points_from_lines(
    lines: gpd.GeoDataFrame, *, cluster_m: float
) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Connection points derived from line geometry: line ends clustered within ``cluster_m``.

    Ends closer than ``cluster_m`` belong to one point (single linkage: connected components of
    the "within" graph, built with a spatial index); the point lies at the mean of its ends.

    Parameters
    ----------
    lines : geopandas.GeoDataFrame
        ``line_id``, ``kv`` [kV, NaN unknown] and line geometry in a projected CRS [m].
    cluster_m : float
        Clustering distance. [m]

    Returns
    -------
    points : geopandas.GeoDataFrame
        ``point_id`` (``DN0000``… ordered by highest kV, then lines), ``kind`` ("derived line
        node"), ``node_type`` ("junction" where two or more lines end, else "line end"),
        ``n_lines``, ``n_line_ends``, ``max_kv`` / ``min_kv`` [kV] and ``kv_levels`` (";"-joined).
    ends : pandas.DataFrame
        ``point_id``, ``line_id``: each line ending at each point.
    """
    ends, owner = _line_end_points(lines)
    left, right = shapely.STRtree(ends).query(ends, predicate="dwithin", distance=cluster_m)
    graph = coo_matrix((np.ones(left.size, dtype=bool), (left, right)), shape=(ends.size,) * 2)
    cluster = connected_components(graph, directed=False)[1]
    kv = lines.set_index("line_id")["kv"]
    table = pd.DataFrame(
        {
            "cluster": cluster,
            "line_id": owner,
            "kv": kv.reindex(owner).to_numpy(),
            "x": shapely.get_x(ends),
            "y": shapely.get_y(ends),
        }
    )
    nodes = table.groupby("cluster").agg(
        n_line_ends=("line_id", "size"),
        n_lines=("line_id", "nunique"),
        max_kv=("kv", "max"),
        min_kv=("kv", "min"),
        x=("x", "mean"),
        y=("y", "mean"),
    )
    levels = table.dropna(subset=["kv"]).drop_duplicates(["cluster", "kv"]).sort_values("kv")
    nodes["kv_levels"] = levels.groupby("cluster")["kv"].agg(
        lambda s: ";".join(f"{v:g}" for v in s)
    )
    nodes = nodes.sort_values(
        ["max_kv", "n_lines", "n_line_ends", "y", "x"],
        ascending=[False, False, False, False, True],
        na_position="last",
    )
    nodes["point_id"] = [f"DN{i:04d}" for i in range(len(nodes))]
    points = gpd.GeoDataFrame(
        {
            "point_id": nodes["point_id"].to_numpy(),
            "kind": "derived line node",
            "node_type": np.where(nodes["n_lines"] >= 2, "junction", "line end"),
            "n_lines": nodes["n_lines"].to_numpy(),
            "n_line_ends": nodes["n_line_ends"].to_numpy(),
            "max_kv": nodes["max_kv"].to_numpy(),
            "min_kv": nodes["min_kv"].to_numpy(),
            "kv_levels": nodes["kv_levels"].fillna("").to_numpy(),
        },
        geometry=gpd.points_from_xy(nodes["x"], nodes["y"]),
        crs=lines.crs,
    )
    pairs = table[["cluster", "line_id"]].drop_duplicates()
    pairs = pairs.assign(point_id=pairs["cluster"].map(nodes["point_id"]))
    return points, pairs[["point_id", "line_id"]].reset_index(drop=True)


def line_ends_at_points(
    points: gpd.GeoDataFrame, lines: gpd.GeoDataFrame, *, within_m: float
) -> pd.DataFrame:
    """Which lines end at which point: each line end joins its nearest point within ``within_m``.

    Returns a frame of (``point_id``, ``line_id``) pairs, one per line ending at a point.
    """
    ends, owner = _line_end_points(lines)
    tree = shapely.STRtree(points.geometry.to_numpy())
    end_idx, point_idx = tree.query_nearest(ends, max_distance=within_m, all_matches=False)
    pairs = pd.DataFrame(
        {"point_id": points["point_id"].to_numpy()[point_idx], "line_id": owner[end_idx]}
    )
    return pairs.drop_duplicates().reset_index(drop=True)


def lines_at_kv(network: Network, min_kv: float) -> pd.Series:
    """Number of distinct lines at or above ``min_kv`` [kV] ending at each point, by point_id."""
    kv = network.lines.set_index("line_id")["kv"]
    ends = network.ends[network.ends["line_id"].map(kv).to_numpy(dtype=float) >= min_kv]
    counts = ends.groupby("point_id")["line_id"].nunique()
    return counts.reindex(network.points["point_id"], fill_value=0).astype(int)


# ---------------------------------------------------------------------------------------------
# per-cell indicators
# ---------------------------------------------------------------------------------------------


def max_kv_raster(frame: gpd.GeoDataFrame, column: str, grid: Grid, *, what: str) -> np.ndarray:
    """Highest known voltage among the features touching each cell [kV]; NaN where none."""
    known = frame[np.isfinite(frame[column].to_numpy(dtype=float))]
    known = known.sort_values(column, kind="stable")  # the last (highest) burned wins
    return rasterize_values(known, column, grid, what=what, all_touched=True)


def derive(bundle: Bundle, grid: Grid, spec: CampusSpec) -> dict[str, xr.DataArray]:
    """Distances to lines and connection points at or above each voltage on the grid. [km]"""
    network = read_network(bundle, crs=grid.crs)
    big, crop = padded(grid, DISTANCE_MARGIN_M)
    line_kv = max_kv_raster(network.lines, "kv", big, what=f"{bundle.gpkg}:{LINES_LAYER}")
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
            cache[key] = distance_km(mask, big)[crop].copy()
        return cache[key]

    required = spec.interconnection_voltage_kv
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
