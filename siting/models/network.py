"""The transmission network of a region: operating AC lines and their connection points.

Pure functions on frames. Where no substation list is given, connection points are derived from
the real line geometry: line ends closer than :data:`CLUSTER_M` are clustered (single linkage),
and each cluster records how many lines end there and their voltages. They stand in for
substations and taps and are labelled "derived" in every output. Connection points have one id
scheme per run (``DN…`` for derived points, the substation's own id otherwise), shared by the
grid indicators, the interconnection and queue models and the map.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from siting.errors import CRSError

log = logging.getLogger(__name__)

#: Line ends closer than this are one connection point [m].
CLUSTER_M = 300.0
#: Lower bounds of the HIFLD VOLT_CLASS classes "100-161", "220-287", "345", "500" and
#: "735 AND ABOVE" [kV].
VOLTAGE_CLASSES_KV = (100, 220, 345, 500, 735)
#: Status words of lines and substations that are not (or no longer, or not yet) operating.
NOT_OPERATING = ("INACTIVE", "RETIRED", "PROPOSED", "DECOMMISSIONED", "ABANDONED", "CANCELLED")


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


def build_network(
    lines: gpd.GeoDataFrame, substations: gpd.GeoDataFrame | None, *, crs: str
) -> Network:
    """The operating AC lines and connection points of a region in ``crs`` (projected, metres).

    ``lines`` and ``substations`` are in our schema
    (:mod:`siting.sources.transmission_schema`); without substations the points are derived
    from the lines.
    """
    if not CRS.from_user_input(crs).is_projected:
        raise CRSError(f"the network needs a projected CRS in metres, got {crs!r}")
    lines = ac_lines(operating(lines, what="transmission lines")).to_crs(crs)
    lines["length_km"] = lines.geometry.length / 1000.0
    if substations is None:
        points, ends = connection_points_from_lines(lines, cluster_m=CLUSTER_M)
        return Network(lines=lines, points=points, ends=ends, derived=True)
    points = operating(substations, what="substations").to_crs(crs)
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
