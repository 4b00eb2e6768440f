"""Per-site water supply: the campus against its county, the combined draw of sites sharing a
county, the stress measure in words, and the flag of an evaporative design."""

import dataclasses

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point

from siting.assessments.base import SiteContext
from siting.assessments.water_supply import AQUEDUCT_BASIS, MODEL, PROXY_BASIS, UNITS, assess
from tests.fixture_bundle import CRS, KM
from tests.layers.test_water import aqueduct_basins

M3_PER_MGD_YR = 3785.411784 * 365.25


def sites(xy_km, fips, *, mgd, wue, draw=5.0):
    """Discs at points of the fixture with their county and campus demand columns."""
    n = len(fips)
    return gpd.GeoDataFrame(
        {
            "county_fips": fips,
            "water_draw_mm_per_yr": [draw] * n,
            "water_site_m3_per_yr": np.array(mgd, dtype=float) * M3_PER_MGD_YR,
            "water_indirect_m3_per_yr": [1.0e7] * n,
            "wue_site_l_per_kwh": wue,
        },
        geometry=[Point(x * KM, y * KM).buffer(1000.0) for x, y in xy_km],
        crs=CRS,
    )


def context(inputs):
    return SiteContext(inputs=inputs, indicators={}, labels=np.zeros((1, 1)))


def test_columns_are_those_declared():
    assert MODEL.provides == tuple(UNITS)
    assert MODEL.assess is assess


def test_the_campus_against_its_county_and_the_combined_draw(two_state_inputs):
    # Fixture counties: 5 Mgal/d non-power (3 ground, 2 surface), 2 Mgal/d public supply.
    # Two tower campuses of 2 Mgal/d in Indiana's Adams, one in Ohio's Allen.
    table = sites(
        [(710, 1815), (720, 1845), (805, 1845)],
        ["18001", "18001", "39003"],
        mgd=[2.0, 2.0, 2.0],
        wue=[2.0, 2.0, 2.0],
    )
    cols = assess(table, context(two_state_inputs)).columns
    np.testing.assert_allclose(cols["water_site_mgd"], 2.0)
    np.testing.assert_allclose(cols["water_site_acre_ft_per_yr"], 2.0 * M3_PER_MGD_YR / 1233.48184)
    np.testing.assert_allclose(cols["water_indirect_mgd"], 1.0e7 / M3_PER_MGD_YR)
    np.testing.assert_allclose(cols["county_nonpower_fresh_mgd"], 5.0)
    np.testing.assert_allclose(cols["county_nonpower_groundwater_share"], 0.6)
    np.testing.assert_allclose(cols["water_site_share_public_supply_pct"], 100.0)
    np.testing.assert_allclose(cols["water_site_share_nonpower_pct"], 40.0)
    np.testing.assert_allclose(cols["water_site_share_nonpower_groundwater_pct"], 2 / 3 * 100)
    np.testing.assert_allclose(cols["water_site_share_nonpower_surface_pct"], 100.0)
    assert cols["county_candidate_sites"].tolist() == [2, 2, 1]
    np.testing.assert_allclose(cols["water_site_county_combined_mgd"], [4.0, 4.0, 2.0])
    np.testing.assert_allclose(cols["water_site_county_combined_share_nonpower_pct"], [80, 80, 40])
    assert (
        cols["water_flag"] == "evaporative cooling taking 40 % of the county's non-power "
        "withdrawals"
    ).all()


def test_the_proxy_is_said_in_words_and_closed_loops_are_not_flagged(two_state_inputs):
    table = sites(
        [(710, 1815), (805, 1845)], ["18001", "39003"], mgd=[0.04, 0.04], wue=[0.02] * 2, draw=60.0
    )
    result = assess(table, context(two_state_inputs))
    cols = result.columns
    assert (cols["water_stress_basis"] == PROXY_BASIS).all()
    assert PROXY_BASIS.startswith("PROXY:")
    assert cols["water_stress_level"].tolist() == ["county draw 60.0 mm/yr (proxy)"] * 2
    assert (cols["water_stress_high"] == 1.0).all()  # 60 ≥ 50 mm/yr
    assert (cols["water_flag"] == "").all()  # 0.02 L/kWh is not evaporative
    assert set(result.proxy_columns) == {"water_stress_level", "water_stress_high"}


def test_aqueduct_basin_at_the_centroid(two_state_inputs):
    inputs = dataclasses.replace(
        two_state_inputs, water_stress_basins=aqueduct_basins().to_crs(CRS)
    )
    table = sites([(710, 1815), (805, 1845)], ["18001", "39003"], mgd=[0.5, 0.5], wue=[2.0] * 2)
    result = assess(table, context(inputs))
    cols = result.columns
    assert (cols["water_stress_basis"] == AQUEDUCT_BASIS).all()
    assert cols["water_stress_level"].tolist() == ["Extremely High (>80%)", "Low (<10%)"]
    assert cols["water_stress_high"].tolist() == [1.0, 0.0]
    assert cols["basin_pfaf_id"].tolist() == ["742301", "742302"]
    assert cols["water_flag"].tolist() == ["evaporative cooling where water stress is high", ""]
    assert result.proxy_columns == ()


def test_a_county_missing_from_the_water_table_is_unknown(two_state_inputs):
    table = sites([(710, 1815)], ["18099"], mgd=[2.0], wue=[2.0])
    cols = assess(table, context(two_state_inputs)).columns.iloc[0]
    assert np.isnan(cols["county_nonpower_fresh_mgd"])
    assert np.isnan(cols["water_site_share_nonpower_pct"])
    assert cols["water_flag"] == ""
    assert cols["water_site_mgd"] == pytest.approx(2.0)


def test_the_default_run_compares_each_site_with_its_county(default_run):
    sites_csv = pd.read_csv(default_run.out_dir / "sites.csv")
    assert (sites_csv["county_nonpower_fresh_mgd"] > 0).all()
    np.testing.assert_allclose(
        sites_csv["water_site_share_nonpower_pct"],
        100 * sites_csv["water_site_mgd"] / sites_csv["county_nonpower_fresh_mgd"],
        rtol=1e-4,
    )
    counts = sites_csv.groupby("county_fips")["rank"].transform("size")
    assert (sites_csv["county_candidate_sites"] == counts).all()
