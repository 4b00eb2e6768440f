"""The transmission network: operating AC lines, derived connection points, line ends at points."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import LineString, Point

from siting.errors import CRSError
from siting.models.network import (
    CLUSTER_M,
    Network,
    ac_lines,
    build_network,
    connection_points_from_lines,
    line_ends_at_points,
    lines_at_kv,
    operating,
)
from siting.sources.hifld import lines_from_frame, substations_from_frame
from siting.sources.transmission_schema import standard_lines, standard_points
from tests.sources.test_hifld import hifld_lines


def metric_lines():
    """Hand-made lines in EPSG:5070: three meet at (0, 0), a fourth stands alone."""
    return standard_lines(
        gpd.GeoDataFrame(
            {"line_id": ["a", "b", "c", "d"], "kv": [345.0, 765.0, 138.0, 345.0]},
            geometry=[
                LineString([(-10_000, 0), (0, 0)]),
                LineString([(100, 0), (10_000, 0)]),  # 100 m from a's end: same point
                LineString([(0, 250), (0, 8_000)]),  # 250 m: same point
                LineString([(50_000, 0), (60_000, 0)]),
            ],
            crs="EPSG:5070",
        ),
        what="test",
    )


# --- operating AC lines ---------------------------------------------------------------------------


def test_operating_filter_is_logged_not_silent(caplog):
    frame = pd.DataFrame({"status": ["IN SERVICE", "INACTIVE", None, "PROPOSED"]})
    with caplog.at_level("INFO"):
        kept = operating(frame, what="lines.gpkg")
    assert kept["status"].iloc[0] == "IN SERVICE" and pd.isna(kept["status"].iloc[1])
    assert len(kept) == 2
    assert "2 rows not in operation dropped" in caplog.text


def test_retired_and_dc_lines_never_qualify():
    lines = hifld_lines()
    lines["STATUS"] = ["IN SERVICE", "RETIRED", "IN SERVICE"]
    mapped = ac_lines(operating(lines_from_frame(lines, what="x"), what="x"))
    assert mapped["line_id"].tolist() == ["140801"]


def test_dc_by_voltage_class_alone_is_dropped():
    lines = metric_lines().assign(volt_class=["345", "DC", "100-161", None])
    assert ac_lines(lines)["line_id"].tolist() == ["a", "c", "d"]


# --- connection points ----------------------------------------------------------------------------


def test_connection_points_cluster_line_ends():
    points, ends = connection_points_from_lines(metric_lines(), cluster_m=CLUSTER_M)
    assert len(points) == 6  # the shared junction, 3 far ends of a/b/c, 2 ends of d
    junction = points.iloc[0]  # highest kV first, then most lines
    assert (junction["n_lines"], junction["max_kv"], junction["min_kv"]) == (3, 765.0, 138.0)
    assert junction["kv_levels"] == "138;345;765"
    assert junction["node_type"] == "junction" and junction["kind"] == "derived line node"
    assert junction.geometry.distance(Point(0, 0)) < 300
    assert set(ends.loc[ends["point_id"] == junction["point_id"], "line_id"]) == {"a", "b", "c"}
    assert (points["node_type"] == "line end").sum() == 5


def test_lines_at_kv_counts_lines_meeting_at_a_point():
    lines = metric_lines()
    points, ends = connection_points_from_lines(lines, cluster_m=CLUSTER_M)
    network = Network(lines=lines, points=points, ends=ends, derived=True)
    counts = lines_at_kv(network, 345.0)
    assert counts.iloc[0] == 2  # a (345) and b (765) meet the 345 kV requirement; c does not
    assert counts.sum() == 2 + 1 + 1 + 2  # b's and a's far ends, both ends of d


#: The derived node set the bundle shipped (layer ``line_nodes``, removed in the restructuring;
#: built from the raw HIFLD lines by the bundle builder): 773 points, 613 junctions, 160 line
#: ends, points by highest kV, total lines and line ends, and each 765 kV point's position
#: (EPSG:5070, rounded to 1 m) with the lines ending there.
SHIPPED_POINTS_BY_MAX_KV = {138.0: 523, 161.0: 38, 230.0: 32, 345.0: 168, 765.0: 12}
SHIPPED_N_LINES, SHIPPED_N_LINE_ENDS = 2366, 2474
SHIPPED_765KV_POINTS = {
    (797045, 2098054): 9,
    (763299, 2010127): 7,
    (846174, 1984964): 6,
    (907559, 1796454): 4,
    (722193, 1833488): 3,
    (779850, 1691779): 2,
    (666924, 2071848): 2,
    (1055650, 1994167): 1,
    (1137840, 1805906): 1,
    (775940, 2146602): 1,
    (807309, 1990828): 1,
    (634721, 2064060): 1,
}


def test_derived_points_reproduce_the_shipped_node_set(indiana_inputs):
    """Rebuilt from the bundle's lines, the points match the node set the bundle used to ship."""
    network = indiana_inputs.network
    points = network.points
    assert network.derived and len(points) == 773
    assert points["node_type"].value_counts().to_dict() == {"junction": 613, "line end": 160}
    assert points.groupby("max_kv").size().to_dict() == SHIPPED_POINTS_BY_MAX_KV
    assert (points["n_lines"].sum(), points["n_line_ends"].sum()) == (
        SHIPPED_N_LINES,
        SHIPPED_N_LINE_ENDS,
    )
    ehv = points[points["max_kv"] == 765.0]
    found = {
        (round(g.x), round(g.y)): int(n) for g, n in zip(ehv.geometry, ehv["n_lines"], strict=True)
    }
    assert found == SHIPPED_765KV_POINTS
    assert set(network.ends["point_id"]) == set(points["point_id"])


def test_line_ends_join_official_substations():
    lines = metric_lines()
    subs = gpd.GeoDataFrame(
        {"point_id": ["S1", "S2"], "max_kv": [765.0, 345.0]},
        geometry=[Point(50, 100), Point(30_000, 0)],
        crs="EPSG:5070",
    )
    ends = line_ends_at_points(subs, lines, within_m=CLUSTER_M)
    assert set(ends.loc[ends["point_id"] == "S1", "line_id"]) == {"a", "b", "c"}
    assert "S2" not in set(ends["point_id"])  # no line ends within 300 m


# --- the network of a run -------------------------------------------------------------------------


def test_build_network_derives_points_from_operating_ac_lines():
    lines = metric_lines().assign(status=["IN SERVICE", "IN SERVICE", "RETIRED", "IN SERVICE"])
    network = build_network(lines, None, crs="EPSG:5070")
    assert network.derived
    assert network.lines["line_id"].tolist() == ["a", "b", "d"]  # c retired
    assert network.lines["length_km"].tolist() == pytest.approx([10.0, 9.9, 10.0])
    assert len(network.points) == 5  # a-b junction, a's and b's far ends, both ends of d
    junction = network.points.iloc[0]
    assert junction["n_lines"] == 2 and junction["max_kv"] == 765.0


def test_build_network_reprojects_to_the_grid_crs():
    lines = standard_lines(lines_from_frame(hifld_lines(), what="hifld"), what="hifld")  # 4326
    network = build_network(lines, None, crs="EPSG:5070")
    assert network.lines.crs == network.points.crs == "EPSG:5070"
    assert network.lines["line_id"].tolist() == ["140801", "140802"]  # the DC line dropped
    # 0.1° of longitude at 41.5° N is about 8.3 km
    assert network.lines["length_km"].iloc[0] == pytest.approx(8.33, abs=0.05)


def test_build_network_with_official_substations_in_hifld_schema():
    lines = standard_lines(
        gpd.GeoDataFrame(
            {"kv": [345.0]}, geometry=[LineString([(500, 500), (500, 9_500)])], crs="EPSG:5070"
        ),
        what="lines",
    )
    subs = gpd.GeoDataFrame(
        {
            "ID": ["1", "2", "3"],
            "MAX_VOLT": [345.0, 138.0, 345.0],
            "MIN_VOLT": [138.0, 138.0, 345.0],
            "LINES": [1, 2, 1],
            "STATUS": ["X", "IN SERVICE", "RETIRED"],
        },
        geometry=[Point(9_500, 9_500), Point(500, 600), Point(500, 500)],
        crs="EPSG:5070",
    )
    points = standard_points(substations_from_frame(subs, what="subs"), what="subs")
    network = build_network(lines, points, crs="EPSG:5070")
    assert not network.derived
    assert network.points["point_id"].tolist() == ["1", "2"]  # the retired substation dropped
    # the line's south end (500, 500) joins substation 2, 100 m away; its north end none
    assert network.ends.to_dict("records") == [{"point_id": "2", "line_id": "L00000"}]


def test_build_network_needs_a_projected_crs():
    with pytest.raises(CRSError, match=r"projected CRS in metres, got 'EPSG:4326'"):
        build_network(metric_lines(), None, crs="EPSG:4326")
