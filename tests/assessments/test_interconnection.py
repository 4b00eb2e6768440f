"""Interconnection per-site model: hand-made networks, the two-state fixture, Indiana sites."""

from __future__ import annotations

import dataclasses

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString, Point, box

from siting.assessments.base import SiteContext
from siting.assessments.interconnection import MODEL, UNITS, assess, site_peak_mw
from siting.grid import Grid
from siting.models.network import build_network
from siting.sources.eia_atlas import FUEL_COLUMNS, PLANT_COLUMNS, plants_from_frame
from siting.sources.transmission_schema import standard_lines
from siting.spec import load_spec

MI = 1.609344  # km per mile
MARKUP = 1.0 + 0.20 + 0.075 + 0.10  # MISO contingency, AFUDC, overhead (docs/methods.md §4.3)
# docs/methods.md §4.3, MISO: 345 kV ↔ 750 MW, between the 400 MW and 1,500 MW classes, $/mile
MISO_345_PER_MILE = 1_694_747 + (750 - 400) / (1500 - 400) * (2_787_303 - 1_694_747)
# MISO new / upgrade substation at 230 and 500 kV, interpolated in kV for 345 kV
MISO_NEW_345 = 9.7e6 + (345 - 230) / (500 - 230) * (20.3e6 - 9.7e6)
MISO_UPGRADE_345 = 2.2e6 + (345 - 230) / (500 - 230) * (5.3e6 - 2.2e6)
#: reVX's 2019 US$ in the default cost year's: the fixtures' CPI-U 2024 / 2019 annual averages
#: (BLS CUUR0000SA0, docs/methods.md §4.8).
TO_2024 = 313.689 / 255.657
#: MISO LRTP Tranche 2.1 all-in cost per line-mile, 2024 US$ (docs/methods.md §4.3).
ALLIN_2024_PER_MILE = 5.4e6
#: A 400-acre (1.6 km²) square campus [m].
SIDE_M = 1265.0


def context(inputs):
    return SiteContext(inputs=inputs, indicators={}, labels=np.zeros(inputs.grid.shape, int))


def squares(centres, crs, **columns):
    """Square 1.6 km² sites centred on ``centres`` (x, y) [m]."""
    geoms = [Point(x, y).buffer(SIDE_M / 2, cap_style="square") for x, y in centres]
    return gpd.GeoDataFrame(columns, geometry=geoms, crs=crs)


def test_peak_from_the_cooling_model_when_present():
    peak, basis = site_peak_mw(pd.DataFrame({"peak_demand_mw": [1250.0, np.nan]}), 1300.0)
    assert peak.tolist() == [1250.0, 1300.0]
    assert basis[0].startswith("site climate model") and basis[1].startswith("spec")
    peak, basis = site_peak_mw(pd.DataFrame({"x": [1]}), 1300.0)
    assert peak.tolist() == [1300.0] and basis[0].startswith("spec")


def test_model_reads_the_lines_iso_regions_and_plants(two_state_inputs):
    assert MODEL.assess is assess and MODEL.provides == tuple(UNITS)
    assert set(two_state_inputs.role_refs(*MODEL.reads)) == {
        "fixture.gpkg:lines",
        "fixture.gpkg:iso",
        "plants.csv",
        "cpi.csv",
    }


# --- a hand-made network --------------------------------------------------------------------------


def one_coal_plant(x, y):
    """One 600 MW coal plant at (x, y) in EPSG:5070, as a row of the EIA Energy Atlas."""
    lon, lat = gpd.GeoSeries([Point(x, y)], crs="EPSG:5070").to_crs(4326).iloc[0].coords[0]
    row = dict.fromkeys([*PLANT_COLUMNS, *FUEL_COLUMNS], "")
    row |= {"Plant_Code": "1", "Plant_Name": "Plant", "State": "Indiana", "PrimSource": "coal"}
    row |= {"Total_MW": "600", "Coal_MW": "600", "Longitude": str(lon), "Latitude": str(lat)}
    return plants_from_frame(pd.DataFrame([row]), what="plants.csv").to_crs("EPSG:5070")


def hand_made_inputs(base, kv=345.0):
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
    grid = Grid(crs="EPSG:5070", bounds=(-2000, -2000, 2000, 2000), resolution_m=1000.0)
    isos = gpd.GeoDataFrame(
        {"iso": ["MISO"], "name": ["Midcontinent ISO"]},
        geometry=[box(-100_000, -100_000, 100_000, 100_000)],
        crs="EPSG:5070",
    )
    return dataclasses.replace(
        base,
        spec=load_spec(),
        grid=grid,
        network=build_network(standard_lines(lines, what="lines"), None, crs=grid.crs),
        iso_regions=isos,
        power_plants=one_coal_plant(0, 20_000),
    )


def run_assessment(base, *, line_kv=345.0):
    sites = gpd.GeoDataFrame(
        {"rank": [1], "site_id": ["s1"]}, geometry=[box(-1000, -1000, 0, 0)], crs="EPSG:5070"
    )
    return assess(sites, context(hand_made_inputs(base, kv=line_kv)))


def test_assessment_on_a_hand_made_network(two_state_inputs):
    result = run_assessment(two_state_inputs)
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
        (line + MISO_NEW_345 + MISO_UPGRADE_345) * TO_2024 / 1e6
    )
    # high: the all-in benchmark (4.40 M$/mi in 2019 US$) is dearer than reVX's dearest land
    # (× 1.32, 3.71 M$/mi), and the far end is a new substation rather than an upgrade
    allin = 10.0 * 1.3 / MI * 3 * ALLIN_2024_PER_MILE
    assert site["interconnect_cost_musd_high"] == pytest.approx(
        (allin + 2 * MISO_NEW_345 * TO_2024) / 1e6
    )
    assert "2024 US$" in result.units["interconnect_cost_musd_low"]
    assert site["cost_region"] == "MISO" and site["iso_region"] == "MISO"
    assert site["nearby_generation_mw"] == pytest.approx(600.0)
    assert site["nearby_generation_by_fuel"] == "coal 600 MW"
    assert site["interconnect_peak_mw"] == pytest.approx(load_spec().facility_peak_mw)
    assert set(result.units) == set(result.columns.columns)
    assert any("DERIVED" in note for note in result.notes)
    assert result.proxy_columns == ()


def test_no_line_at_the_required_voltage_gives_unknown_not_zero(two_state_inputs):
    site = run_assessment(two_state_inputs, line_kv=138.0).columns.iloc[0]
    assert site["connection_id"] == "UNKNOWN"
    assert pd.isna(site["needs_new_line"]) and pd.isna(site["connection_adequate"])
    assert np.isnan(site["interconnect_cost_musd_low"])
    assert np.isnan(site["connection_distance_km"])
    assert pd.isna(site["lines_at_required_kv"])
    assert site["nearest_connection_points"].startswith("UNKNOWN")


# --- the two-state fixture ------------------------------------------------------------------------


def test_sites_on_the_fixture_345_kv_line_loop_in(two_state_inputs):
    """The 345 kV line runs along y = 1,830 km through both sites: L1 in Indiana (MISO), L2 in
    Ohio (PJM, priced with MISO's costs as a stand-in). A loop-in at the site has no tie line:
    a campus substation and a switching station, both new 345 kV MISO substations; the high end
    adds upgrades of the two substations at the ends of the cut line (MISO upgrade costs, 230 and
    500 kV, interpolated at 345 kV: $2.2 M + 115/270 × $3.1 M)."""
    km = 1000.0
    sites = squares([(735 * km, 1830 * km), (800 * km, 1830 * km)], "EPSG:5070", rank=[1, 2])
    sites.index = [10, 11]
    result = assess(sites, context(two_state_inputs))
    table = result.columns
    assert list(table.index) == [10, 11] and list(table.columns) == list(UNITS)
    assert table["connection_kind"].tolist() == ["loop-in of a line"] * 2
    assert table["connection_id"].tolist() == ["L1", "L2"]
    assert table["connection_distance_km"].tolist() == [0.0, 0.0]
    assert table["connection_adequate"].tolist() == [True, True]  # firm 900 MW ≥ 520 MW peak
    assert table["connection_firm_mw"].tolist() == [900.0, 900.0]
    assert table["needs_new_line"].tolist() == [False, False]
    assert table["new_circuits"].tolist() == [2, 2]
    cost_musd = 2 * MISO_NEW_345 * TO_2024 / 1e6
    upgrade_345 = (2_200_000 + 115 / 270 * 3_100_000) * TO_2024
    assert table["interconnect_cost_musd_low"].tolist() == pytest.approx([cost_musd] * 2)
    assert table["interconnect_cost_musd_high"].tolist() == pytest.approx(
        [cost_musd + 2 * upgrade_345 / 1e6] * 2
    )
    assert table["iso_region"].tolist() == ["MISO", "PJM"]
    assert table["cost_region"].tolist() == ["MISO", "MISO (stand-in for PJM)"]
    assert result.proxy_columns == ("interconnect_cost_musd_low", "interconnect_cost_musd_high")
    assert any(note.startswith("PROXY") and "PJM" in note for note in result.notes)
    # nearest 345 kV points: the hub where L1, L2, L4 (345 kV) and L3 (138 kV) meet, 29 km
    # east of the Indiana site; L2's east end, 29 km east of the Ohio site (the hub: 34 km)
    assert table["lines_at_required_kv"].tolist() == [3, 1]
    assert table["nearby_generation_by_fuel"].tolist() == ["natural gas 900 MW", "wind 300 MW"]


def test_a_peak_above_the_loop_in_moves_the_connection_to_the_hub(two_state_inputs):
    """With the site's own 1,000 MW peak a loop-in of L1 (firm 900 MW) is not adequate; the hub
    (L1, L2, L4 at 345 kV, each 900 MW: firm 1,800 MW) 29.4 km east is, with 3 circuits."""
    sites = squares([(735_000, 1830_000)], "EPSG:5070", peak_demand_mw=[1000.0])
    result = assess(sites, context(two_state_inputs))
    site = result.columns.iloc[0]
    assert site["cost_region"] == "MISO" and result.proxy_columns == ()
    assert site["interconnect_peak_mw"] == 1000.0  # the site's own peak, not the spec's 520 MW
    assert site["interconnect_peak_basis"].startswith("site climate model")
    assert site["connection_kind"] == "derived line node"
    distance_km = 765.0 - (735.0 + SIDE_M / 2 / 1000.0)
    assert site["connection_distance_km"] == pytest.approx(distance_km)
    assert site["connection_firm_mw"] == pytest.approx(1800.0)
    assert bool(site["connection_adequate"]) and bool(site["needs_new_line"])
    assert site["new_circuits"] == 3  # 1 + ceil(1000 / 900)
    line_usd = distance_km * 1.3 / MI * 3 * MISO_345_PER_MILE * MARKUP
    assert site["interconnect_cost_musd_low"] == pytest.approx(
        (line_usd + MISO_NEW_345 + MISO_UPGRADE_345) * TO_2024 / 1e6
    )


# --- real sites in Indiana ------------------------------------------------------------------------

#: Allen (Fort Wayne, PJM), Lake, Marion (Indianapolis), Tippecanoe and Vanderburgh counties.
INDIANA_COUNTIES = ("18003", "18089", "18097", "18157", "18163")


@pytest.fixture(scope="module")
def indiana_sites(indiana_inputs):
    counties = indiana_inputs.counties.table.set_index("fips").loc[list(INDIANA_COUNTIES)]
    centres = counties.geometry.representative_point()
    crs = indiana_inputs.grid.crs
    sites = squares(list(zip(centres.x, centres.y, strict=True)), crs, site_id=list(counties.index))
    return sites, assess(sites, context(indiana_inputs))


def test_indiana_sites_use_miso_costs_and_flag_pjm_as_a_proxy(indiana_inputs, indiana_sites):
    sites, result = indiana_sites
    table = result.columns
    isos = gpd.sjoin(sites[["geometry"]], indiana_inputs.iso_regions[["iso", "geometry"]])
    iso = isos["iso"].groupby(level=0).first().reindex(sites.index)
    expected = ["MISO" if i == "MISO" else "MISO (stand-in for PJM)" for i in iso]
    assert "PJM" in set(iso) and "MISO" in set(iso)  # the sample covers both
    assert table["cost_region"].tolist() == expected
    assert result.proxy_columns == ("interconnect_cost_musd_low", "interconnect_cost_musd_high")
    # every site reaches an adequate 345 kV derived point: MISO's unit costs, by hand
    assert (table["connection_kind"] == "derived line node").all()
    assert table["connection_adequate"].all() and not table["needs_transformation"].any()
    route_mi = table["connection_distance_km"] * 1.3 / MI
    np.testing.assert_allclose(table["new_line_route_mi"], route_mi)
    line_usd = route_mi * table["new_circuits"].astype(float) * MISO_345_PER_MILE * MARKUP
    np.testing.assert_allclose(
        table["interconnect_cost_musd_low"],
        (line_usd + MISO_NEW_345 + MISO_UPGRADE_345) * TO_2024 / 1e6,
    )
    assert (table["interconnect_cost_musd_high"] > table["interconnect_cost_musd_low"]).all()


def test_indiana_connections_agree_with_geopandas(indiana_inputs, indiana_sites):
    sites, result = indiana_sites
    table = result.columns
    network, kv = indiana_inputs.network, indiana_inputs.spec.interconnection_voltage_kv
    points = network.points[network.points["max_kv"] >= kv].set_index("point_id")
    lines = network.lines[network.lines["kv"] >= kv]
    radius_km = indiana_inputs.spec.interconnection.search_radius_km
    for i, site in zip(table.index, sites.geometry, strict=True):
        row = table.loc[i]
        km_to_points = points.geometry.distance(site) / 1000.0
        nearest = km_to_points.idxmin()
        assert row["nearest_connection_points"].startswith(f"{nearest} (")
        ending = network.ends.loc[network.ends["point_id"] == nearest, "line_id"]
        assert row["lines_at_required_kv"] == ending.isin(lines["line_id"]).sum()
        chosen = points.loc[row["connection_id"]]
        assert row["connection_distance_km"] == pytest.approx(km_to_points[row["connection_id"]])
        assert km_to_points.min() <= row["connection_distance_km"] <= radius_km
        assert row["connection_kv"] == chosen["max_kv"]
        assert row["interconnect_peak_mw"] == indiana_inputs.spec.facility_peak_mw
        assert row["connection_firm_mw"] >= row["interconnect_peak_mw"]
        plants = indiana_inputs.power_plants
        near = plants[plants.geometry.distance(site) <= 50_000.0]
        fuels = [c for c in plants.columns if c.startswith("capacity_mw_")]
        assert row["nearby_generation_mw"] == pytest.approx(near[fuels].to_numpy().sum())


def test_in_the_default_run_the_scored_grid_indicator_agrees_with_the_assessment(default_run):
    """No site scores a connection its own estimate contradicts: the best cell's cost of the
    cheapest adequate connection is the site's estimate to within the route across one cell,
    and the cell's need class is the site's need."""
    from siting.models.adequacy import NEED_TEXT

    sites = pd.read_csv(default_run.out_dir / "sites.csv")
    assert sites["connection_adequate"].all()
    assert [NEED_TEXT[c] for c in sites["connection_need_class"]] == sites[
        "connection_need"
    ].tolist()
    # one 250 m cell diagonal of 345 kV route, three circuits at MISO's dearest per mile, 2024 $
    slack_musd = 0.354 * 1.3 / 1.609344 * 3 * 2.042378 * 1.32 * 1.375 * TO_2024
    difference = sites["connection_cost_musd"] - sites["interconnect_cost_musd_low"]
    assert (difference.abs() <= slack_musd).all(), difference.tolist()
    # and the site is scored on that value: the default curve, linear 25 (best) to 500 M$
    expected = np.clip((500.0 - sites["connection_cost_musd"]) / (500.0 - 25.0), 0.0, 1.0)
    np.testing.assert_allclose(sites["suit_connection_cost_musd"], expected, atol=1e-6)
