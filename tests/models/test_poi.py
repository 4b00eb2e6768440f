"""POI names to connection points: name parts, ambiguity, snapping and the match rate."""

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from siting.models.network import Network
from siting.models.poi import connection_congestion, match_poi, place_name_key, poi_name_parts


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("Dequine - Eugene 345 kV", ("dequine", "eugene")),
        ("DEM Dequine-Westwood 345kV", ("dequine", "westwood")),
        ("Frankfort to Cayuga 230kV", ("frankfort", "cayuga")),
        ("Cayuga sub (Jordan Creek Wind J515 POI) 345 kV", ("cayuga",)),
        ("Primary: Trimble County 345 kV bus; Alternate: Ghent", ("trimble", "ghent")),
        ("Rollin Schahfer (17SCHAHFER  255110) 345 kV", ("rollin schahfer",)),
        ("St. John Substation", ("st john",)),
        ("Unknown", ("unknown",)),
        ("", ()),
        (None, ()),
    ],
)
def test_poi_name_parts(text, parts):
    assert poi_name_parts(text) == parts


def test_named_point_keys_drop_equipment_words_and_initials():
    assert place_name_key("R M Schahfer") == place_name_key("Schahfer 345 kV") == "schahfer"
    assert place_name_key("Fowler Ridge Wind Farm LLC") == "fowler ridge"
    assert place_name_key("Mill Creek Generating Station") == "mill creek"


def test_match_poi_splits_lines_skips_ambiguous_names_and_reports_rates():
    points = gpd.GeoDataFrame(
        {"name": ["Desoto Substation", "Eugene", "Jefferson Substation", "Jefferson", "Far"]},
        geometry=[
            Point(0, 0),
            Point(10_000, 0),
            Point(0, 50_000),
            Point(0, 90_000),
            Point(500_000, 0),
        ],
        crs="EPSG:5070",
    )
    nodes = gpd.GeoDataFrame(
        {"point_id": ["N1", "N2", "N3"]},
        geometry=[Point(500, 0), Point(10_200, 0), Point(0, 50_000)],
        crs="EPSG:5070",
    )
    requests = pd.DataFrame(
        {
            "poi_name": [
                "Desoto - Eugene 345 kV",
                "Jefferson 138 kV",
                "Unknown",
                "DESOTO 345kV",
                "Far 138 kV",
                None,
            ],
            "status": ["active", "active", "active", "withdrawn", "active", "active"],
            "capacity_mw": [100.0, 50.0, 30.0, 40.0, 20.0, 800.0],
        },
        index=[10, 11, 12, 13, 14, 15],
    )
    long, report = match_poi(requests, points, nodes, snap_km=3.0)
    rows = long.sort_values(["row", "point_id"])[["row", "point_id", "weight"]]
    assert rows.values.tolist() == [[10, "N1", 0.5], [10, "N2", 0.5], [13, "N1", 1.0]]
    assert report.ambiguous_names == 1  # two Jeffersons 40 km apart
    assert report.requests == 6 and report.with_poi_text == 5
    assert report.named == 3  # Desoto-Eugene, DESOTO, Far (no connection point within 3 km)
    assert report.connected == 2
    assert report.share_connected == pytest.approx(2 / 6)
    # active MW 100 + 50 + 30 + 20 + 800; only request 10's 100 MW reach a connection point
    assert report.share_connected_active_mw == pytest.approx(100 / 1000)


def test_connection_congestion_puts_the_queue_on_the_matched_points():
    named = gpd.GeoDataFrame(
        {"name": ["Desoto Substation", "Eugene"]},
        geometry=[Point(0, 0), Point(10_000, 0)],
        crs="EPSG:5070",
    )
    points = gpd.GeoDataFrame(
        {"point_id": ["N1", "N2", "N3"], "max_kv": [345.0, 345.0, 765.0]},
        geometry=[Point(500, 0), Point(10_200, 0), Point(90_000, 0)],
        crs="EPSG:5070",
    )
    network = Network(lines=gpd.GeoDataFrame(), points=points, ends=pd.DataFrame(), derived=True)
    day = pd.Timestamp
    requests = pd.DataFrame(
        {
            "poi_name": ["Desoto - Eugene 345 kV", "Desoto 345 kV", "Eugene", "Nowhere"],
            "status": ["active", "active", "withdrawn", "active"],
            "stage": ["ia_executed", "late_study", "unknown", "early_study"],
            "capacity_mw": [100.0, 30.0, 500.0, 999.0],
            "request_date": [day("2022-01-01")] * 4,
        }
    )
    table, match = connection_congestion(
        requests, named, network, as_of=day("2024-01-01"), snap_km=3.0
    )
    assert table.crs == points.crs and table.index.tolist() == ["N1", "N2"]  # N3: no request
    # the line request's 100 MW splits between its two points; Desoto alone adds 30 MW
    assert table["queue_active_mw"].to_dict() == {"N1": 80.0, "N2": 50.0}
    assert table["queue_active_mw_ia_executed"].to_dict() == {"N1": 50.0, "N2": 50.0}
    assert table.loc["N2", "queue_withdrawn_share"] == pytest.approx(1 / 1.5)
    assert table["places"].to_dict() == {"N1": "desoto", "N2": "eugene"}
    assert match.connected == 3 and match.share_connected_active_mw == pytest.approx(130 / 1129)
