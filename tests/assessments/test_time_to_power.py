"""The per-site time-to-power assessment: need of a new line, nearby queued MW, the assessment
on the two-state fixture, and end to end."""

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from siting.assessments.base import SiteContext
from siting.assessments.time_to_power import UNITS, assess, nearby_poi_mw, site_new_line
from siting.spec import load_spec

PARAMS = load_spec().time_to_power  # new line beyond 5 km
KM = 1000.0


def test_new_line_from_distance_when_no_interconnection_flag():
    sites = pd.DataFrame({"line_distance_km": [0.4, 5.0, 7.5, np.nan]})
    flag, basis = site_new_line(sites, PARAMS)
    assert flag.tolist()[:3] == [0.0, 0.0, 1.0] and np.isnan(flag.iloc[3])
    assert basis.tolist() == [
        "line_distance_km 0.4 <= 5 km",
        "line_distance_km 5.0 <= 5 km",
        "line_distance_km 7.5 > 5 km",
        "UNKNOWN: no qualifying line",
    ]


def test_interconnection_flag_wins_when_known():
    sites = pd.DataFrame(
        {"line_distance_km": [0.4, 7.5, 7.5], "needs_new_line": [True, False, np.nan]}
    )
    flag, basis = site_new_line(sites, PARAMS)
    assert flag.tolist() == [1.0, 0.0, 1.0]
    assert basis.tolist()[:2] == ["needs_new_line column (grid interconnection model)"] * 2
    assert basis.iloc[2] == "line_distance_km 7.5 > 5 km"


def test_nearby_poi_mw_sums_points_within_the_radius():
    sites = gpd.GeoDataFrame(geometry=[box(0, 0, 2000, 2000), box(100_000, 0, 102_000, 2000)])
    sites.crs = "EPSG:5070"
    points = gpd.GeoDataFrame(
        {"queue_active_mw": [100.0, 50.0, 999.0]},
        geometry=[Point(2500, 1000), Point(21_000, 1000), Point(60_000, 0)],
        crs="EPSG:5070",
    )
    out = nearby_poi_mw(sites, points, radius_km=20.0)
    # site 1: 0.5 km and 19 km from its edge; site 2: nothing within 20 km
    assert out["queue_active_mw_poi_nearby"].tolist() == [150.0, 0.0]
    assert out["queue_poi_nearby_count"].tolist() == [2.0, 0.0]


# ------------------------------------------------------------------------------------------
# the assessment on the two-state fixture
# ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def two_state_assessment(two_state_inputs):
    """Two 2 × 2 km sites: one in Ohio's Adams 1 km north of the fixture's Hub connection point
    (765 km, 1,830 km), near its line; one in Indiana's Adams about 65 km south-west of it,
    far from a line and more than 20 km from every connection point."""
    sites = gpd.GeoDataFrame(
        {"county_fips": ["39001", "18001"], "line_distance_km": [0.5, 25.0]},
        geometry=[
            box(764 * KM, 1831 * KM, 766 * KM, 1833 * KM),
            box(702 * KM, 1802 * KM, 704 * KM, 1804 * KM),
        ],
        crs="EPSG:5070",
    )
    context = SiteContext(
        inputs=two_state_inputs,
        indicators={},
        labels=np.zeros(two_state_inputs.grid.shape, dtype=np.int64),
    )
    return sites, assess(sites, context)


def test_assessment_provides_its_units(two_state_assessment):
    sites, result = two_state_assessment
    assert list(result.columns.columns) == list(UNITS)
    assert dict(result.units) == UNITS
    assert result.columns.index.equals(sites.index)
    assert not any(c.endswith("_basis") for c in result.proxy_columns)
    assert "time_to_power_p90_months" in result.proxy_columns


def test_a_site_near_hub_counts_the_requests_queued_at_hub(two_state_assessment):
    _, result = two_state_assessment
    columns = result.columns
    # every fixture request names "Hub 345 kV"; the active ones: Indiana's Adams 400 MW and
    # Allen 300 MW, Ohio's Adams 1,200 MW, all at the one Hub connection point
    assert columns["queue_active_mw_poi_nearby"].tolist() == [1900.0, 0.0]
    assert columns["queue_poi_nearby_count"].tolist() == [1.0, 0.0]


def test_each_site_takes_its_own_countys_time_to_power_for_its_need(
    two_state_assessment, two_state_inputs
):
    _, result = two_state_assessment
    columns = result.columns
    assert columns["time_to_power_new_line"].tolist() == [0.0, 1.0]
    table = two_state_inputs.region_queue.county_time_to_power
    assert columns["time_to_power_p90_months"].tolist() == [
        table.loc[("39001", False), "p90_months"],
        table.loc[("18001", True), "p90_months"],
    ]
    assert columns["p_meets_target_year"].between(0.0, 1.0).all()
    # each Adams has one request, an active one: nothing withdrawn
    assert columns["queue_withdrawn_share_county"].tolist() == [0.0, 0.0]


def test_notes_carry_one_county_join_line_per_state(two_state_assessment):
    _, result = two_state_assessment
    joins = [n for n in result.notes if " county join: " in n]
    assert [n.split(" ", 1)[0] for n in joins] == ["IN", "OH"]
    assert all("0 of 10 county mentions failed" in n for n in joins)
    assert any("not large-load" in n for n in result.notes)


# ------------------------------------------------------------------------------------------
# end to end on the embedded bundle
# ------------------------------------------------------------------------------------------


def test_sites_carry_time_to_power_and_queue_columns(default_run):
    sites = default_run.sites
    for column in (
        "queue_active_mw_county",
        "time_to_power_p50_months",
        "time_to_power_p90_months",
        "p_meets_target_year",
        *UNITS,
    ):
        assert column in sites.columns
    known = sites["time_to_power_p90_months"].notna()
    assert known.all()
    assert (sites["p_meets_target_year"].between(0.0, 1.0)).all()
    assert (sites["time_to_power_p90_months"] >= sites["time_to_power_p50_months"]).all()
    assert (sites["queue_withdrawn_share_county"].dropna().between(0.0, 1.0)).all()
    assert "p_meets_target_year" in sites["proxy_indicators"].iloc[0]
    written = gpd.read_file(default_run.out_dir / "sites.gpkg", layer="sites")
    assert {"time_to_power_p90_months", "p_meets_target_year"} <= set(written.columns)


def test_outputs_label_the_generator_queue_proxy(default_run):
    manifest = json.loads((default_run.out_dir / "manifest.json").read_text())
    (assessment,) = [a for a in manifest["assessments"] if "time to power" in a["name"]]
    assert any("not large-load" in note for note in assessment["notes"])
    assert "time_to_power_p90_months" in assessment["proxy_columns"]
    assert "time_to_power_p50_months" in manifest["proxy_or_synthetic_indicators"]
    report = (default_run.out_dir / "report.md").read_text()
    assert "not large-load" in report and "p_meets_target_year" in report
    html = default_run.map_path.read_text()
    assert "time_to_power_p90_months" in html and "line_distance_km" in html


def test_sooner_power_scores_higher(default_run):
    sites = default_run.sites
    suit = sites["suit_time_to_power_p50_months"]
    p50 = sites["time_to_power_p50_months"]
    order = np.argsort(p50.to_numpy())
    assert np.all(np.diff(suit.to_numpy()[order]) <= 1e-9)
    assert sites["contrib_time_to_power_p50_months"].max() == pytest.approx(
        0.15 * suit.max(), rel=1e-6
    )
