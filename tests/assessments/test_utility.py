"""The retail utility serving each site, its EIA-861 size and price, and the campus against it."""

from __future__ import annotations

import dataclasses

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from siting.assessments.base import SiteContext
from siting.assessments.utility import (
    MODEL,
    UNITS,
    campus_against_utility,
    match_utilities,
    serving_territories,
    utility_name_key,
)
from siting.spec import load_spec

KM = 1000.0


@pytest.mark.parametrize(
    ("gridwatch", "eia"),
    [
        ("Town Of Avilla - (In)", "Town of Avilla"),
        ("Town Of New Carlisle- (In)", "Town of New Carlisle"),
        ("Duke Energy Indiana, Llc", "Duke Energy Indiana"),
        ("Northern Indiana Pub Serv Co", "Northern Indiana Public Service Company"),
        ("Southern Indiana Gas & Elec Co", "Southern Indiana Gas & Electric"),
        ("Crawfordsville Elec, Lgt & Pwr", "Crawfordsville Electric, Lgt & Power"),
        ("Kosciusko County Rural E M C", "Kosciusko County Rural EMC"),
        ("Noble County R E M C", "Noble County R EMC"),
        ("Boone County Rural Emc", "Boone County Rural EMC"),
        ("Tipmont Rural Elec Member Corp", "Tipmont Rural Electric Member"),
        ("Dubois Rural Electric Coop Inc", "Dubois Rural Electric Cooperative"),
        ("Southern Indiana R E C, Inc", "Southern Indiana R E C"),
        ("Utilities Dist-Western In Remc", "Utilities District-Western in REMC"),
        ("Lawrenceburg Municipal Utils", "Lawrenceburg Municipal Utilities"),
        ("Rushshelby Energy", "Rush Shelby Energy"),
    ],
)
def test_names_of_the_two_providers_meet_after_normalising(gridwatch, eia):
    assert utility_name_key(gridwatch) == utility_name_key(eia)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("City Of Jasper - (In)", "Jasper County Rural EMC"),
        ("Indiana Michigan Power Co", "Indianapolis Power & Light"),
        ("Town of Warren", "Warren County Rural EMC"),
    ],
)
def test_different_utilities_stay_apart(one, other):
    assert utility_name_key(one) != utility_name_key(other)


def utilities_table(rows):
    columns = ["eia_id", "utility", "status", "state_jurisdiction", "peak_demand_mw"]
    table = pd.DataFrame(rows, columns=columns)
    return table.assign(sales_mwh=1.0, avg_price_cents_per_kwh=10.0)


def test_a_name_matches_the_utility_of_its_own_state():
    table = utilities_table(
        [
            ("102", "Adams County Rural EMC", "ACTIVE", "IN", 100.0),
            ("103", "Adams County Rural EMC", "ACTIVE", "OH", 50.0),
        ]
    )
    names = pd.Series(["Adams County Rural E M C - (In)", "Adams County Rural E M C - (Oh)"])
    out = match_utilities(names, pd.Series(["IN", "OH"]), table)
    assert out["utility_eia_id"].tolist() == ["102", "103"]
    assert out["eia_row"].tolist() == [0, 1]


def test_a_utility_serving_several_states_matches_in_each():
    table = utilities_table([("7", "Two State Power", "ACTIVE", "IN, OH", 900.0)])
    names = pd.Series(["Two State Power Co", "Two State Power Co"])
    out = match_utilities(names, pd.Series(["IN", "OH"]), table)
    assert out["utility_eia_id"].tolist() == ["7", "7"]


def test_an_unmatched_territory_is_unknown_with_the_reason():
    table = utilities_table([("9", "Town of Argos", "ACTIVE", "OH", np.nan)])
    out = match_utilities(pd.Series(["Town Of Argos"]), pd.Series(["IN"]), table)
    assert out["utility_eia_id"][0] == (
        "UNKNOWN: no EIA-861 utility of IN named like 'Town Of Argos'"
    )
    assert np.isnan(out["eia_row"][0])


def test_the_active_row_with_an_id_wins_and_a_row_without_id_is_unknown():
    table = utilities_table(
        [
            (None, "Rush Shelby Energy", "ACTIVE", "IN", np.nan),
            ("5", "Heartland REMC", "MERGED", "IN", 1.0),
            ("6", "Heartland REMC", "ACTIVE", "IN", 129.2),
        ]
    )
    names = pd.Series(["Rushshelby Energy", "Heartland Remc"])
    out = match_utilities(names, pd.Series(["IN", "IN"]), table)
    assert out["utility_eia_id"][0] == (
        "UNKNOWN: the matching EIA-861 row 'Rush Shelby Energy' has no EIA id"
    )
    assert out["utility_eia_id"][1] == "6"


def test_two_active_utilities_of_one_name_are_ambiguous():
    table = utilities_table(
        [("1", "City of Troy", "ACTIVE", "IN", 5.0), ("2", "City of Troy", "ACTIVE", "IN", 6.0)]
    )
    out = match_utilities(pd.Series(["City Of Troy - (In)"]), pd.Series(["IN"]), table)
    assert out["utility_eia_id"][0].startswith("UNKNOWN: EIA-861 utilities ['1', '2'] of IN")


def test_a_territory_outside_the_study_area_is_not_matched():
    table = utilities_table([("1", "City of Troy", "ACTIVE", "IN", 5.0)])
    out = match_utilities(pd.Series(["City Of Troy"]), pd.Series([np.nan]), table)
    assert out["utility_eia_id"][0] == "UNKNOWN: territory outside the study area's states"


def territories(rows):
    return gpd.GeoDataFrame(
        {"utility": [r[0] for r in rows]},
        geometry=[box(*(v * KM for v in r[1])) for r in rows],
        crs="EPSG:5070",
    )


def test_the_largest_share_serves_and_every_overlap_is_listed():
    terr = territories([("Big Co", (0, 0, 10, 10)), ("East Co", (10, 0, 20, 10))])
    sites = gpd.GeoSeries([box(8 * KM, 0, 11 * KM, 1 * KM)], crs="EPSG:5070")  # 2/3 in Big Co
    out = serving_territories(sites, terr)
    assert out["serving_utility"][0] == "Big Co"
    assert out["serving_utility_area_share"][0] == pytest.approx(2 / 3)
    assert out["serving_utilities"][0] == "Big Co 67%; East Co 33%"


def test_equal_cover_goes_to_the_smaller_territory():
    terr = territories([("Big Co", (0, 0, 10, 10)), ("Town Of Small", (1, 1, 3, 3))])
    sites = gpd.GeoSeries([box(1 * KM, 1 * KM, 2 * KM, 2 * KM)], crs="EPSG:5070")
    out = serving_territories(sites, terr)
    assert out["serving_utility"][0] == "Town Of Small"
    assert out["serving_utilities"][0] == "Town Of Small 100%; Big Co 100%"


def test_a_site_in_no_territory_is_unknown_with_the_reason():
    terr = territories([("Big Co", (0, 0, 10, 10))])
    sites = gpd.GeoSeries([box(50 * KM, 50 * KM, 51 * KM, 51 * KM)], crs="EPSG:5070")
    out = serving_territories(sites, terr)
    assert out["serving_utility"][0] == "UNKNOWN: in no retail territory of the bundle"
    assert np.isnan(out["serving_utility_area_share"][0])
    assert out["serving_utilities"][0] == ""


def test_campus_against_its_utility_by_hand():
    utility = pd.DataFrame(
        {
            "peak_demand_mw": [4000.0, 100.0, np.nan, 0.0],
            "sales_mwh": [2.0e7, 5.0e5, 1.0e6, np.nan],
            "avg_price_cents_per_kwh": [10.0, 12.0, 9.0, np.nan],
        }
    )
    out = campus_against_utility(
        np.full(4, 500.0), np.full(4, 4.0e6), utility, peak_share_limit=0.1
    )
    # 500 / 4,000 = 0.125; 4e6 / 2e7 = 0.2; 4e6 MWh × $100/MWh = 400 M$
    assert out["campus_peak_share_of_utility_peak"][:2].tolist() == [0.125, 5.0]
    assert out["campus_energy_share_of_utility_sales"][:3].tolist() == [0.2, 8.0, 4.0]
    assert out["energy_cost_musd_per_yr"][:3].tolist() == pytest.approx([400.0, 480.0, 360.0])
    assert out["utility_peak_flag"][:2].tolist() == [True, True]
    # an unknown or zero peak is UNKNOWN, never "no risk"
    assert out["utility_peak_flag"][2:].isna().all()
    assert np.isnan(out["campus_peak_share_of_utility_peak"][3])


def test_the_flag_follows_the_spec_share():
    utility = pd.DataFrame(
        {"peak_demand_mw": [4000.0], "sales_mwh": [2.0e7], "avg_price_cents_per_kwh": [10.0]}
    )
    low = campus_against_utility(np.array([500.0]), np.array([1.0]), utility, peak_share_limit=0.2)
    assert low["utility_peak_flag"].tolist() == [False]


#: Sites of the two-state fixture [km boxes] and what serves each (tests/fixture_bundle.py).
FIXTURE_SITES = [
    ((710, 1810, 712, 1812), "Adams County Rural E M C - (In)", "102"),  # co-op over IN's IOU
    ((740, 1810, 742, 1812), "Fixture Power Co", "101"),
    ((770, 1840, 772, 1842), "Buckeye Elec Co", "104"),  # north of Ohio's co-op
    ((770, 1810, 772, 1812), "Adams County Rural E M C - (Oh)", "103"),  # Ohio's, not Indiana's
    ((801, 1841, 803, 1843), "Town Of Nowhere - (Oh)", None),  # no EIA-861 row
    ((0, 0, 1, 1), None, None),  # in no territory
]


def fixture_sites(inputs):
    return gpd.GeoDataFrame(
        {"peak_demand_mw": 500.0, "energy_mwh_per_yr": 4.0e6},
        geometry=[box(*(v * KM for v in b)) for b, *_ in FIXTURE_SITES],
        crs=inputs.grid.crs,
        index=pd.RangeIndex(10, 10 + len(FIXTURE_SITES)),
    )


def assess(inputs):
    context = SiteContext(inputs=inputs, indicators={}, labels=np.zeros((1, 1), int))
    return MODEL.assess(fixture_sites(inputs), context)


def test_each_fixture_site_gets_its_own_utility(two_state_inputs):
    result = assess(two_state_inputs)
    cols = result.columns
    assert list(cols.columns) == list(UNITS)
    assert cols.index.tolist() == list(range(10, 16))
    assert cols["serving_utility"].tolist()[:5] == [name for _, name, _ in FIXTURE_SITES[:5]]
    assert cols["utility_eia_id"].tolist()[:4] == [i for *_, i in FIXTURE_SITES[:4]]
    # fixture peaks 100, 4,000, 8,000 and 50 MW; prices 12, 10, 11 and 15 ¢/kWh
    assert cols["utility_peak_mw"].tolist()[:4] == [100.0, 4000.0, 8000.0, 50.0]
    shares = cols["campus_peak_share_of_utility_peak"].tolist()[:4]
    assert shares == pytest.approx([5.0, 0.125, 0.0625, 10.0])
    assert cols["utility_peak_flag"].tolist()[:4] == [True, True, False, True]
    # 4e6 MWh × 10 $/MWh per ¢/kWh × price
    costs = cols["energy_cost_musd_per_yr"].tolist()[:4]
    assert costs == pytest.approx([480.0, 400.0, 440.0, 600.0])
    assert cols["utility_sales_mwh_per_yr"][11] == 2.0e7
    assert cols["campus_energy_share_of_utility_sales"][11] == pytest.approx(0.2)


def test_a_fixture_site_without_a_match_is_unknown_not_zero(two_state_inputs):
    cols = assess(two_state_inputs).columns
    town, nowhere = cols.loc[14], cols.loc[15]
    assert town["utility_eia_id"] == (
        "UNKNOWN: no EIA-861 utility of OH named like 'Town Of Nowhere - (Oh)'"
    )
    assert np.isnan(town["utility_peak_mw"]) and pd.isna(town["utility_peak_flag"])
    assert nowhere["serving_utility"] == "UNKNOWN: in no retail territory of the bundle"
    assert nowhere["utility_eia_id"] == nowhere["serving_utility"]
    assert np.isnan(nowhere["energy_cost_musd_per_yr"])


def test_the_notes_give_the_match_rate_and_the_direction(two_state_inputs):
    notes = " ".join(assess(two_state_inputs).notes)
    assert "4 of the 5 territories in the study area's states (80%)" in notes
    assert "not matched: no EIA-861 utility of OH named like 'Town Of Nowhere - (Oh)'" in notes
    assert "other customers may bear them" in notes
    assert "not the tariff a large load would pay" in notes
    assert "in 2024 US$" in notes
    # the two Adams sites (each co-op over its state's IOU) and the town site (town over the
    # IOU) are each covered whole by two territories
    assert "3 of 6 sites are covered as fully by more than one territory" in notes


def test_a_bundle_without_territories_reports_unknown_with_the_reason(two_state_inputs):
    inputs = dataclasses.replace(two_state_inputs, utility_territories=None)
    result = assess(inputs)
    reason = "UNKNOWN: the bundle has no utility_territories input"
    assert (result.columns["serving_utility"] == reason).all()
    assert (result.columns["utility_eia_id"] == reason).all()
    assert result.columns["utility_peak_mw"].isna().all()
    assert result.columns["utility_peak_flag"].isna().all()
    assert any("no utility_territories input" in n for n in result.notes)


def test_a_bundle_without_utilities_keeps_the_territories(two_state_inputs):
    inputs = dataclasses.replace(two_state_inputs, utilities=None)
    cols = assess(inputs).columns
    assert cols["serving_utility"][11] == "Fixture Power Co"
    assert cols["utility_eia_id"][11] == "UNKNOWN: the bundle has no utilities (EIA-861) input"
    assert cols["energy_cost_musd_per_yr"].isna().all()


def test_default_run_shares_follow_from_each_sites_own_columns(default_run):
    sites = default_run.sites
    assert set(UNITS) <= set(sites.columns)
    known = sites["utility_peak_mw"].notna()
    assert known.any()
    share = sites["peak_demand_mw"] / sites["utility_peak_mw"]
    assert np.allclose(sites.loc[known, "campus_peak_share_of_utility_peak"], share[known])
    cost = sites["energy_mwh_per_yr"] * sites["utility_avg_price_cents_per_kwh"] * 10.0 / 1.0e6
    priced = sites["utility_avg_price_cents_per_kwh"].notna()
    assert np.allclose(sites.loc[priced, "energy_cost_musd_per_yr"], cost[priced])
    limit = load_spec().interconnection.utility_peak_share  # the default run's spec
    flagged = sites.loc[known, "utility_peak_flag"].astype(bool)
    assert (flagged == (sites.loc[known, "campus_peak_share_of_utility_peak"] > limit)).all()
    assert sites["serving_utility"].str.len().gt(0).all()
