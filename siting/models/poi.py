"""Matching the free-text points of interconnection (POI) of queue requests to connection points.

Requests name their POI in free text ("Dequine - Eugene 345 kV", "Rockport 765 kV", "Trimble
Co to Ghent line 345 kV"). The run's connection points (substations, or points derived from the
line geometry) may have no names, so each POI is split into place names, the names are matched
to named grid points (OpenStreetMap substations, power plants) and those points are snapped to
the nearest connection point. A request on a line between two named substations is split
equally between their connection points. Text that names no known place stays unmatched, and
the match rate is reported (:class:`PoiMatch`). :func:`connection_congestion` puts the queue
statistics of :func:`siting.models.queue_stats.congestion` on the matched connection points.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from siting.models.network import Network
from siting.models.queue_stats import congestion

AMBIGUOUS_KM = 2.0
MIN_NAME_CHARS = 3
_SPLIT = re.compile(
    r"\s+-+\s+|-+|–|—|\bto\b|/|;|:|,|&|\+|\bvia\b|\bprimary\b|\balternate\b|\bor\b|\band\b",
    flags=re.IGNORECASE,
)
_VOLTAGE = re.compile(r"\d+(\.\d+)?\s*-?\s*kv\b")
#: Words that do not name a place: equipment, ownership, project words, utility abbreviations.
_NOISE = re.compile(
    r"\b(kv|substations?|subs?|stations?|sta|switchyard|switching|bus|lines?|taps?|poi|new|"
    r"existing|proposed|generating|generation|gen|plant|power|energy|center|centre|facility|"
    r"llc|inc|co|county|wind|solar|farms?|park|hybrid|storage|units?|ckt|circuit|the|at|on|"
    r"near|between|of|in|ii|iii|iv|vi|vii|nipsco|dem|dei|dep|he|hed|aep|ipl|ipalco|sigeco|"
    r"vectren|duke|comed|ameren|lge|ku|ovec|wvpa|impa|aes|im|cin)\b"
)


def place_name_key(text: object) -> str:
    """A place name reduced for matching: lower case, no voltages, equipment words or initials.

    >>> place_name_key("R. M. Schahfer Generating Station")
    'schahfer'
    >>> place_name_key("Desoto Substation") == place_name_key("DESOTO 345kV")
    True
    """
    if not isinstance(text, str):
        return ""
    name = text.lower()
    name = re.sub(r"\([^)]*\)", " ", name)
    name = re.sub(r"\bsaint\b", "st", name)
    name = _VOLTAGE.sub(" ", name)
    name = re.sub(r"[^a-z ]", " ", name)
    name = _NOISE.sub(" ", name)
    return " ".join(w for w in name.split() if len(w) > 1)


def poi_name_parts(text: object) -> tuple[str, ...]:
    """The place names in a POI text, each reduced by :func:`place_name_key`.

    >>> poi_name_parts("Twin Branch - Meridian 345 kV")
    ('twin branch', 'meridian')
    >>> poi_name_parts("Trimble Co to Ghent line 345 kV")
    ('trimble', 'ghent')
    """
    if not isinstance(text, str):
        return ()
    text = re.sub(r"\([^)]*\)", " ", text)
    keys = [place_name_key(part) for part in _SPLIT.split(text)]
    return tuple(dict.fromkeys(k for k in keys if len(k) >= MIN_NAME_CHARS))


@dataclass(frozen=True, kw_only=True)
class PoiMatch:
    """Match rate of POI names: to a named grid point, and on to a connection point.

    Shares are of the requests considered (by count, and by active capacity).
    """

    requests: int
    with_poi_text: int
    named: int
    connected: int
    share_named: float
    share_connected: float
    share_connected_active_mw: float
    ambiguous_names: int
    named_points: int


def name_index(points: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, int]:
    """Named points keyed by :func:`place_name_key`; names shared by points farther apart than
    ``AMBIGUOUS_KM`` are dropped as ambiguous (their count is returned)."""
    keyed = points.assign(key=points["name"].map(place_name_key))
    keyed = keyed[keyed["key"].str.len() >= MIN_NAME_CHARS]
    bounds = keyed.geometry.bounds.groupby(keyed["key"]).agg(
        {"minx": "min", "miny": "min", "maxx": "max", "maxy": "max"}
    )
    spread_km = np.hypot(bounds["maxx"] - bounds["minx"], bounds["maxy"] - bounds["miny"]) / 1e3
    ambiguous = set(spread_km.index[spread_km > AMBIGUOUS_KM])
    unique = keyed[~keyed["key"].isin(ambiguous)].drop_duplicates("key")
    return unique[["key", "geometry"]].reset_index(drop=True), len(ambiguous)


def match_poi(
    requests: pd.DataFrame,
    named_points: gpd.GeoDataFrame,
    connection_points: gpd.GeoDataFrame,
    *,
    snap_km: float,
) -> tuple[pd.DataFrame, PoiMatch]:
    """Connection points of requests, from their POI names.

    Parameters
    ----------
    requests : pandas.DataFrame
        Requests with ``poi_name``, ``status`` and ``capacity_mw`` [MW].
    named_points : geopandas.GeoDataFrame
        Named grid points (``name``) in a projected CRS (metres).
    connection_points : geopandas.GeoDataFrame
        The run's connection points with ``point_id``.
    snap_km : float
        Largest distance from a named point to its connection point. [km]

    Returns
    -------
    long : pandas.DataFrame
        ``row`` (index into ``requests``), ``point_id``, ``place`` (the matched name) and
        ``weight`` (1 / connection points of the request).
    report : PoiMatch
    """
    index, ambiguous = name_index(named_points)
    snapped = gpd.sjoin_nearest(
        gpd.GeoDataFrame(index, crs=named_points.crs),
        connection_points[["point_id", "geometry"]].to_crs(named_points.crs),
        how="inner",
        max_distance=snap_km * 1000.0,
    ).drop_duplicates("key")
    node_of = dict(zip(snapped["key"], snapped["point_id"], strict=True))
    parts = requests["poi_name"].map(poi_name_parts).explode().dropna()
    found = parts[parts.isin(set(index["key"]))]
    node = found.map(node_of)
    keep = node.notna().to_numpy()
    long = (
        pd.DataFrame(
            {
                "row": found.index[keep],
                "point_id": node.to_numpy()[keep],
                "place": found.to_numpy()[keep],
            }
        )
        .drop_duplicates(["row", "point_id"])
        .reset_index(drop=True)
    )
    long["weight"] = 1.0 / long.groupby("row")["point_id"].transform("size")
    active_mw = requests["capacity_mw"].where(requests["status"] == "active")
    n = len(requests)
    connected = requests.index.isin(long["row"])
    total_mw = float(np.nansum(active_mw))
    report = PoiMatch(
        requests=n,
        with_poi_text=int(requests["poi_name"].notna().sum()),
        named=int(found.index.nunique()),
        connected=int(connected.sum()),
        share_named=found.index.nunique() / n if n else 0.0,
        share_connected=float(connected.mean()) if n else 0.0,
        share_connected_active_mw=(
            float(np.nansum(active_mw[connected])) / total_mw if total_mw else 0.0
        ),
        ambiguous_names=ambiguous,
        named_points=len(index),
    )
    return long, report


def connection_congestion(
    requests: pd.DataFrame,
    named_places: gpd.GeoDataFrame,
    network: Network,
    *,
    as_of: pd.Timestamp,
    snap_km: float,
) -> tuple[gpd.GeoDataFrame, PoiMatch]:
    """Queue congestion at each of the run's connection points that a request's POI name reaches.

    Parameters
    ----------
    requests : pandas.DataFrame
        Requests in the queue-table schema (:data:`siting.sources.queue_table.QUEUE_SCHEMA`).
    named_places : geopandas.GeoDataFrame
        Named grid points (``name``) in a projected CRS (metres).
    network : Network
        The run's network; its ``points`` (``point_id``, ``max_kv`` [kV]) are the connection
        points.
    as_of : pandas.Timestamp
        End of the queue data (for request ages).
    snap_km : float
        Largest distance from a named point to its connection point. [km]

    Returns
    -------
    points : geopandas.GeoDataFrame
        Indexed by ``point_id``, the connection points with at least one matched request:
        ``max_kv`` [kV], the :func:`siting.models.queue_stats.congestion` columns
        (``queue_active_mw`` [MW], ``queue_active_mw_<stage>`` [MW], ...) and ``places`` (the
        matched names); in the network's CRS.
    report : PoiMatch
        The match rate: requests whose POI reaches no connection point are not counted, so
        every sum over these points is a lower bound.
    """
    points = network.points
    long, match = match_poi(requests, named_places, points, snap_km=snap_km)
    per_point = congestion(requests, long, key="point_id", as_of=as_of)
    per_point["places"] = long.groupby("point_id")["place"].agg(lambda v: "; ".join(sorted(set(v))))
    table = points.set_index("point_id")[["max_kv", "geometry"]].join(per_point, how="inner")
    return gpd.GeoDataFrame(table, geometry="geometry", crs=points.crs), match
