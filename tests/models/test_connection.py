"""Connection candidates, adequacy and reVX costs: docs/methods.md §4.3 reproduced by hand."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString, Point, box

from siting.models.connection import (
    REVX_NEW_SUBSTATION_USD,
    REVX_UPGRADE_SUBSTATION_USD,
    choose_connections,
    land_multiplier_range,
    line_cost_usd,
    line_usd_per_mile,
    loop_in_candidates,
    nearby_generation,
    nearest_points_text,
    point_candidates,
    price_candidates,
    site_regions,
    substation_usd,
    transformer_usd_per_mw,
)
from siting.models.network import Network, line_ends_at_points

MI = 1.609344  # km per mile
MARKUP = 1.0 + 0.20 + 0.075 + 0.10  # MISO contingency, AFUDC, overhead (docs/methods.md §4.3)
# docs/methods.md §4.3, MISO: 400 MW (230 kV) and 1,500 MW (500 kV) line classes, $/mile
MISO_400, MISO_1500 = 1_694_747, 2_787_303
# 345 kV ↔ 750 MW (reVX power_to_voltage), interpolated between the two classes
MISO_345_PER_MILE = MISO_400 + (750 - 400) / (1500 - 400) * (MISO_1500 - MISO_400)
# MISO new / upgrade substation at 230 and 500 kV, interpolated in kV for 345 kV
MISO_NEW_345 = 9.7e6 + (345 - 230) / (500 - 230) * (20.3e6 - 9.7e6)
MISO_UPGRADE_345 = 2.2e6 + (345 - 230) / (500 - 230) * (5.3e6 - 2.2e6)


# --- costs (docs/methods.md §4.3) -----------------------------------------------------------------


def test_line_costs_per_mile_from_revx():
    assert line_usd_per_mile(230.0, "MISO") == pytest.approx(MISO_400)
    assert line_usd_per_mile(500.0, "MISO") == pytest.approx(MISO_1500)
    assert line_usd_per_mile(138.0, "MISO") == pytest.approx(1_446_469)
    assert line_usd_per_mile(69.0, "Southeast") == pytest.approx(818_852)
    assert line_usd_per_mile(345.0, "MISO") == pytest.approx(MISO_345_PER_MILE)
    southeast_345 = 1_567_655 + 350 / 1100 * (4_056_410 - 1_567_655)
    assert line_usd_per_mile(345.0, "Southeast") == pytest.approx(southeast_345)
    # 161 kV ↔ 240 MW, between the 205 MW and 400 MW classes
    assert line_usd_per_mile(161.0, "MISO") == pytest.approx(
        1_446_469 + 35 / 195 * (1_694_747 - 1_446_469)
    )
    assert np.isnan(line_usd_per_mile(765.0, "MISO"))  # reVX has no cost above 500 kV
    assert np.isnan(line_usd_per_mile(46.0, "MISO"))


def test_substation_and_transformer_costs_from_revx():
    assert substation_usd(345.0, REVX_NEW_SUBSTATION_USD["MISO"]) == pytest.approx(MISO_NEW_345)
    assert substation_usd(345.0, REVX_UPGRADE_SUBSTATION_USD["MISO"]) == pytest.approx(
        MISO_UPGRADE_345
    )
    assert substation_usd(500.0, REVX_NEW_SUBSTATION_USD["TEPPC"]) == pytest.approx(15_489_000)
    assert np.isnan(substation_usd(765.0, REVX_NEW_SUBSTATION_USD["MISO"]))
    assert transformer_usd_per_mw(345.0, [345.0, 500.0, 765.0]).tolist() == [8670, 7860, 7860]
    assert transformer_usd_per_mw(500.0, [500.0]).tolist() == [11610]


def test_line_cost_applies_route_multiplier_and_miso_markups():
    # docs/methods.md §9.6: length × unit cost × land multiplier × (1 + 0.2 + 0.075 + 0.1)
    assert float(line_cost_usd(13.0, 2, 2_000_000.0, 1.2)) == pytest.approx(
        13.0 * 2 * 2_000_000.0 * 1.2 * 1.375
    )
    assert land_multiplier_range("MISO") == (1.0, pytest.approx(1.2 * 1.1))
    assert land_multiplier_range("Southeast") == (1.0, pytest.approx(1.75 * 1.2))


# --- pricing candidates ---------------------------------------------------------------------------


def candidate(**overrides):
    row = {
        "site": 0,
        "kind": "derived line node",
        "connection_id": "DN0001",
        "kv": 345.0,
        "distance_km": 10.0,
        "lines": 4,
        "lowest_kv": 345.0,
        "loadability_mw": 3600.0,
        "largest_mw": 900.0,
    }
    return row | overrides


def price(rows, peak=1300.0, region="MISO", n_required=2):
    return price_candidates(
        pd.DataFrame(rows),
        peak_mw=np.array([peak]),
        regions=np.array([region], dtype=object),
        kv=345.0,
        n_required=n_required,
        route_factor=1.3,
    )


def test_hand_worked_connection_to_an_existing_point():
    """10 km to a 345 kV point where four 345 kV lines meet; 1.3 GW peak; MISO."""
    out = price([candidate()]).iloc[0]
    route_mi = 10.0 * 1.3 / MI  # 8.08 mi
    assert out["route_mi"] == pytest.approx(route_mi)
    assert out["firm_mw"] == pytest.approx(2700.0)  # 4 × 900 − 900
    assert bool(out["adequate"]) and not bool(out["needs_transformation"])
    assert out["circuits"] == 3  # 1 + ceil(1300 / 900)
    line = route_mi * 3 * MISO_345_PER_MILE * MARKUP
    assert out["cost_usd_low"] == pytest.approx(line * 1.0 + MISO_NEW_345 + MISO_UPGRADE_345)
    assert out["cost_usd_high"] == pytest.approx(line * 1.32 + MISO_NEW_345 + MISO_NEW_345)


def test_hand_worked_loop_in_of_a_765_kv_line_at_the_site():
    """A 765 kV line crosses the site: new campus substation, a switching station priced at
    reVX's 500 kV (a floor) and a 345/500 kV transformer at $7,860/MW × 1,300 MW; the high end
    adds an upgrade of the substations at both ends of the cut line (reVX 500 kV upgrade
    $5.3 M each), so the range has width even with no tie line."""
    loop = candidate(
        kind="loop-in of a line",
        kv=765.0,
        lowest_kv=765.0,
        distance_km=0.0,
        lines=2,
        loadability_mw=6400.0,
        largest_mw=3200.0,
    )
    out = price([loop]).iloc[0]
    assert bool(out["adequate"]) and bool(out["needs_transformation"]) and out["cost_capped"]
    expected = MISO_NEW_345 + 20_300_000 + 7_860 * 1300
    assert out["cost_usd_low"] == pytest.approx(expected)
    assert out["cost_usd_high"] == pytest.approx(expected + 2 * 5_300_000)


def test_two_345_kv_lines_cannot_carry_1_3_gw_with_one_out():
    out = price([candidate(lines=2, loadability_mw=1800.0)]).iloc[0]
    assert out["firm_mw"] == pytest.approx(900.0) and not bool(out["adequate"])


def test_unknown_cost_region_leaves_the_cost_unknown():
    out = price([candidate()], region="").iloc[0]
    assert np.isnan(out["cost_usd_low"]) and np.isnan(out["cost_usd_high"])


def test_choice_prefers_the_cheapest_adequate_connection():
    near_weak = candidate(connection_id="near", distance_km=0.0, lines=2, loadability_mw=1800.0)
    far_strong = candidate(connection_id="far", distance_km=20.0)
    farther = candidate(connection_id="farther", distance_km=30.0)
    priced = price([near_weak, far_strong, farther])
    best = choose_connections(priced, n_sites=2)
    assert best.loc[0, "connection_id"] == "far"
    assert best.loc[1].isna().all()  # a site without candidates is UNKNOWN


# --- candidates on a network ----------------------------------------------------------------------


def test_substation_without_known_lines_has_unknown_loadability():
    lines = gpd.GeoDataFrame(
        {"line_id": ["a"], "kv": [345.0], "length_km": [20.0]},
        geometry=[LineString([(0, 0), (20_000, 0)])],
        crs="EPSG:5070",
    )
    subs = gpd.GeoDataFrame(
        {"point_id": ["lonely"], "kind": ["HIFLD substation"], "max_kv": [345.0]},
        geometry=[Point(5_000, 5_000)],  # no line ends within 300 m
        crs="EPSG:5070",
    )
    ends = line_ends_at_points(subs, lines, within_m=300.0)
    network = Network(lines=lines, points=subs, ends=ends, derived=False)
    sites = gpd.GeoSeries([box(4_000, 4_000, 4_500, 4_500)], crs="EPSG:5070")
    found = point_candidates(sites, network, min_kv=345.0, search_radius_km=10.0)
    assert found["lines"].tolist() == [0]
    assert np.isnan(found["loadability_mw"]).all()  # UNKNOWN, not a zero capacity
    assert not bool(price(found.to_dict("records")).iloc[0]["adequate"])


def hub_network():
    """Two 345 kV lines and a 138 kV line ending at a point at (10 km, 0); 20 km and 5 km long."""
    lines = gpd.GeoDataFrame(
        {"line_id": ["a", "b", "c"], "kv": [345.0, 345.0, 138.0], "length_km": [20.0, 5.0, 5.0]},
        geometry=[
            LineString([(10_000, 0), (30_000, 0)]),
            LineString([(10_000, 0), (10_000, 5_000)]),
            LineString([(10_000, 0), (10_000, -5_000)]),
        ],
        crs="EPSG:5070",
    )
    points = gpd.GeoDataFrame(
        {"point_id": ["hub", "far"], "kind": "HIFLD substation", "max_kv": [345.0, 345.0]},
        geometry=[Point(10_000, 0), Point(30_000, 0)],
        crs="EPSG:5070",
    )
    ends = line_ends_at_points(points, lines, within_m=300.0)
    return Network(lines=lines, points=points, ends=ends, derived=False)


def test_point_candidates_sum_the_qualifying_lines():
    sites = gpd.GeoSeries([box(-1_000, -1_000, 0, 0), box(100_000, 0, 101_000, 1_000)])
    found = point_candidates(
        sites.set_crs("EPSG:5070"), hub_network(), min_kv=345.0, search_radius_km=35.0
    ).set_index("connection_id")
    assert found["site"].tolist() == [0, 0]  # the second site has nothing within 35 km
    hub = found.loc["hub"]
    assert (hub["lines"], hub["lowest_kv"]) == (2, 345.0)
    assert hub["distance_km"] == pytest.approx(10.0)
    assert (hub["loadability_mw"], hub["largest_mw"]) == (1800.0, 900.0)  # 138 kV c left out
    far = found.loc["far"]
    assert far["distance_km"] == pytest.approx(30.0)
    assert (far["lines"], far["loadability_mw"]) == (1, 900.0)  # only a ends there


def test_loop_in_candidates_give_two_terminals_per_passing_line():
    sites = gpd.GeoSeries([box(12_000, 1_000, 13_000, 2_000)], crs="EPSG:5070")
    found = loop_in_candidates(sites, hub_network(), min_kv=345.0, search_radius_km=5.0)
    assert sorted(found["connection_id"]) == ["a", "b"]  # c is 138 kV
    a = found.set_index("connection_id").loc["a"]
    assert a["distance_km"] == pytest.approx(1.0) and a["kind"] == "loop-in of a line"
    assert (a["lines"], a["loadability_mw"], a["largest_mw"]) == (2, 1800.0, 900.0)


def test_nearest_points_text_lists_the_nearest_first():
    rows = [
        candidate(connection_id="B", distance_km=12.34, lines=1),
        candidate(connection_id="A", distance_km=2.0),
        candidate(connection_id="C", distance_km=30.0),
        candidate(connection_id="D", distance_km=40.0),
    ]
    text = nearest_points_text(pd.DataFrame(rows), 2, kv=345.0)
    assert text[0] == (
        "A (345 kV, 4 lines ≥345 kV, 2.0 km); B (345 kV, 1 line ≥345 kV, 12.3 km); "
        "C (345 kV, 4 lines ≥345 kV, 30.0 km)"
    )
    assert text[1].startswith("UNKNOWN")


# --- regions and generation -----------------------------------------------------------------------


def test_regions_by_overlap_with_pjm_as_a_labelled_stand_in():
    isos = gpd.GeoDataFrame(
        {"iso": ["MISO", "PJM", "ERCOT"]},
        geometry=[box(0, 0, 10, 10), box(6, 0, 20, 10), box(30, 0, 40, 10)],
        crs="EPSG:5070",
    )
    sites = gpd.GeoSeries([box(1, 1, 3, 3), box(7, 1, 12, 3), box(31, 1, 33, 3), box(50, 0, 51, 1)])
    sites = sites.set_crs("EPSG:5070")
    table = site_regions(sites, isos, override="auto")
    assert table["iso_region"].tolist() == ["MISO", "PJM;MISO", "ERCOT", "UNKNOWN"]
    assert table["cost_region"].tolist() == ["MISO", "MISO", "", ""]
    assert table["cost_region_proxy"].tolist() == [False, True, False, False]
    forced = site_regions(sites, isos, override="TEPPC")
    assert set(forced["cost_region"]) == {"TEPPC"} and not forced["cost_region_proxy"].any()


def test_nearby_generation_sums_by_source_within_the_radius():
    plants = gpd.GeoDataFrame(
        {
            "capacity_mw_coal": [1000.0, 500.0, 0.0],
            "capacity_mw_natural_gas": [0.0, 200.0, 300.0],
        },
        geometry=[Point(5_000, 0), Point(40_000, 0), Point(80_000, 0)],
        crs="EPSG:5070",
    )
    sites = gpd.GeoSeries([box(-1000, -1000, 0, 0)], crs="EPSG:5070")
    total, text = nearby_generation(sites, plants, radius_km=50.0)
    assert total.tolist() == [1700.0]
    assert text == ["coal 1,500 MW; natural gas 200 MW"]
