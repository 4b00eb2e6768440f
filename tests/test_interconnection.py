"""Interconnection model: docs/methods.md §4.2–4.3 tables reproduced by hand, and the assessment."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString, Point, box
from siting.assess import RunContext
from siting.interconnection import (
    REVX_NEW_SUBSTATION_USD,
    REVX_UPGRADE_SUBSTATION_USD,
    assess_interconnection,
    choose_connections,
    firm_loadability_mw,
    land_multiplier_range,
    line_cost_usd,
    line_usd_per_mile,
    loadability_mw,
    nearby_generation,
    price_candidates,
    site_peak_mw,
    site_regions,
    st_clair_multiplier,
    substation_usd,
    tie_circuits,
    transformer_usd_per_mw,
)

from siting.bundle import Bundle
from siting.grid import Grid
from siting.spec import load_spec

MI = 1.609344  # km per mile
MARKUP = 1.0 + 0.20 + 0.075 + 0.10  # MISO contingency, AFUDC, overhead (docs/methods.md §4.3)
# docs/methods.md §4.3, MISO: 400 MW (230 kV) and 1,500 MW (500 kV) line classes, $/mile
MISO_400, MISO_1500 = 1_694_747, 2_787_303
# 345 kV ↔ 750 MW (reVX power_to_voltage), interpolated between the two classes
MISO_345_PER_MILE = MISO_400 + (750 - 400) / (1500 - 400) * (MISO_1500 - MISO_400)
# MISO new / upgrade substation at 230 and 500 kV, interpolated in kV for 345 kV
MISO_NEW_345 = 9.7e6 + (345 - 230) / (500 - 230) * (20.3e6 - 9.7e6)
MISO_UPGRADE_345 = 2.2e6 + (345 - 230) / (500 - 230) * (5.3e6 - 2.2e6)


# --- loadability (docs/methods.md §4.2) -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("kv", "miles", "expected_mw"),
    [
        (345.0, 30.0, 900.0),  # short: thermal 900 < 420 × 3.0
        (345.0, 200.0, 420.0 * 1.35),  # long: stability 567 < 900
        (500.0, 100.0, 1800.0),  # thermal 1800 < 1000 × 2.0
        (500.0, 300.0, 1000.0 * 1.05),
        (765.0, 50.0, 3200.0),
        (765.0, 300.0, 2280.0 * 1.05),
        (765.0, 400.0, 2280.0 * 0.85),
        (230.0, 400.0, 450.0),  # ≤ 300 kV: flat thermal rating, whatever the length
        (138.0, 10.0, 250.0),
        (161.0, 10.0, 300.0),
        (240.0, 10.0, 450.0),  # between classes: the class below
        (60.0, 10.0, np.nan),  # below the table
        (np.nan, 10.0, np.nan),  # unknown voltage stays unknown
    ],
)
def test_loadability_reproduces_reference_table(kv, miles, expected_mw):
    np.testing.assert_allclose(loadability_mw(kv, miles), expected_mw)


def test_st_clair_curve_interpolates_and_clamps():
    np.testing.assert_allclose(
        st_clair_multiplier([10.0, 75.0, 450.0, 900.0]), [3.0, 2.5, (0.85 + 0.72) / 2, 0.62]
    )


def test_firm_loadability_and_circuits():
    assert firm_loadability_mw([900.0], [900.0], 2).tolist() == [0.0]
    # 1,300 MW on 900 MW circuits, N−1: two carry it, a third for the outage → 3
    assert tie_circuits([1300.0], [900.0], 2).tolist() == [3.0]
    # a single line asked for: just enough to carry it
    assert tie_circuits([1300.0], [900.0], 1).tolist() == [2.0]
    assert tie_circuits([100.0], [900.0], 3).tolist() == [3.0]  # never fewer than asked
    assert np.isnan(tie_circuits([1300.0], [np.nan], 2)[0])


# --- costs (docs/methods.md §4.3) -----------------------------------------------------------------------


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
    reVX's 500 kV (a floor) and a 345/500 kV transformer at $7,860/MW × 1,300 MW."""
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
    assert out["cost_usd_high"] == pytest.approx(expected)


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


def test_peak_from_the_cooling_model_when_present():
    peak, basis = site_peak_mw(pd.DataFrame({"peak_demand_mw": [1250.0, np.nan]}), 1300.0)
    assert peak.tolist() == [1250.0, 1300.0]
    assert basis[0].startswith("site climate model") and basis[1].startswith("spec")
    peak, basis = site_peak_mw(pd.DataFrame({"x": [1]}), 1300.0)
    assert peak.tolist() == [1300.0] and basis[0].startswith("spec")


# --- spatial pieces -------------------------------------------------------------------------------


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


# --- the assessment on a hand-made bundle ---------------------------------------------------------


def tiny_bundle(tmp_path, kv=345.0):
    """A site at the origin; four lines meet at a point 10 km east; one plant; one ISO."""
    hub = (10_000.0, 0.0)
    lines = gpd.GeoDataFrame(
        {"kv": [kv] * 4},
        geometry=[
            LineString([hub, (40_000, 0)]),
            LineString([hub, (10_000, 30_000)]),
            LineString([hub, (10_000, -30_000)]),
            LineString([(10_000, 0), (30_000, 20_000)]),
        ],
        crs="EPSG:5070",
    )
    gpkg = tmp_path / "tiny.gpkg"
    lines.to_file(gpkg, layer="transmission_lines", driver="GPKG")
    gpd.GeoDataFrame(
        {"iso": ["MISO"]}, geometry=[box(-100_000, -100_000, 100_000, 100_000)], crs="EPSG:5070"
    ).to_file(gpkg, layer="iso_regions", driver="GPKG")
    lon, lat = gpd.GeoSeries([Point(0, 20_000)], crs="EPSG:5070").to_crs(4326).iloc[0].coords[0]
    from tests.test_grid_capacity import EIA_HEADER

    row = (
        f"{lon},{lat},1,1,Plant,1,Owner,Electric Utility,Road,Town,County,Indiana,46000,coal,"
        f"Coal = 600 MW,Steam,650,600,,,600,,,,,,,,,,EIA,202311,{lon},{lat}"
    )
    (tmp_path / "tables").mkdir()
    (tmp_path / "tables" / "eia_power_plants_202311_indiana_region.csv").write_text(
        EIA_HEADER + "\n" + row + "\n"
    )
    return Bundle(root=tmp_path, name="tiny")


def run_assessment(tmp_path, *, line_kv=345.0):
    bundle = tiny_bundle(tmp_path, kv=line_kv)
    grid = Grid(crs="EPSG:5070", bounds=(-2000, -2000, 2000, 2000), resolution_m=1000.0)
    sites = gpd.GeoDataFrame(
        {"rank": [1], "site_id": ["s1"]}, geometry=[box(-1000, -1000, 0, 0)], crs="EPSG:5070"
    )
    context = RunContext(bundle=bundle, grid=grid, spec=load_spec(), indicators={}, labels=None)
    return assess_interconnection(sites, context)


def test_assessment_on_a_hand_made_network(tmp_path):
    result = run_assessment(tmp_path)
    site = result.columns.iloc[0]
    assert site["connection_id"] == "DN0000" and site["connection_kind"] == "derived line node"
    assert site["connection_distance_km"] == pytest.approx(10.0)
    assert site["lines_at_required_kv"] == 4 and site["connection_lines_at_required_kv"] == 4
    assert site["connection_firm_mw"] == pytest.approx(2700.0)
    assert bool(site["connection_adequate"]) and bool(site["needs_new_line"])
    assert site["new_line_route_mi"] == pytest.approx(10.0 * 1.3 / MI)
    assert site["new_circuits"] == 3
    line = 10.0 * 1.3 / MI * 3 * MISO_345_PER_MILE * MARKUP
    assert site["interconnect_cost_musd_low"] == pytest.approx(
        (line + MISO_NEW_345 + MISO_UPGRADE_345) / 1e6
    )
    assert site["cost_region"] == "MISO" and site["iso_region"] == "MISO"
    assert site["nearby_generation_mw"] == pytest.approx(600.0)
    assert site["nearby_generation_by_fuel"] == "coal 600 MW"
    assert site["interconnect_peak_mw"] == pytest.approx(load_spec().facility_peak_mw)
    assert set(result.units) == set(result.columns.columns)
    assert set(result.inputs) == {
        "tiny.gpkg:transmission_lines",
        "tiny.gpkg:iso_regions",
        "tables/eia_power_plants_202311_indiana_region.csv",
    }
    assert any("DERIVED" in note for note in result.notes)
    assert result.proxy_columns == ()


def test_no_line_at_the_required_voltage_gives_unknown_not_zero(tmp_path):
    site = run_assessment(tmp_path, line_kv=138.0).columns.iloc[0]
    assert site["connection_id"] == "UNKNOWN"
    assert pd.isna(site["needs_new_line"]) and pd.isna(site["connection_adequate"])
    assert np.isnan(site["interconnect_cost_musd_low"])
    assert np.isnan(site["connection_distance_km"])
    assert pd.isna(site["lines_at_required_kv"])
    assert site["nearest_connection_points"].startswith("UNKNOWN")


def test_substation_without_known_lines_has_unknown_loadability():
    from siting.interconnection import point_candidates

    from layers.grid_capacity import Network, line_ends_at_points

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
