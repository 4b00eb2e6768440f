"""County NRI risk, hurricane-track proximity and the warming case (siting.assessments.hazards)."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from siting.assessments.hazards import (
    county_risk,
    hurricane_proximity,
    nri_percentiles,
    warming_rise,
)
from siting.sources.fema_nri import read_nri_counties

BUNDLE_NRI = Path("siting/data/tables/fema_nri_counties_indiana_region.csv")


@pytest.fixture(scope="module")
def nri():
    return read_nri_counties(BUNDLE_NRI)


def test_state_percentile_filled_by_rank_reproduces_femas(nri):
    """Blank FEMA's state percentiles: the fill equals pandas ranks on the raw table and FEMA's
    own published values."""
    raw = pd.read_csv(BUNDLE_NRI, dtype={"STCOFIPS": str})
    blank = nri.assign(nri_risk_state_pct=np.nan, nri_eal_state_pct=np.nan)
    filled = nri_percentiles(blank)
    by_pandas = raw.groupby("STATEABBRV")["RISK_SCORE"].rank(pct=True, method="max")
    np.testing.assert_allclose(filled["nri_risk_state_pct"], by_pandas, atol=1e-12)
    np.testing.assert_allclose(filled["nri_risk_state_pct"], raw["RISK_SPCTL"] / 100, atol=1e-6)
    np.testing.assert_allclose(filled["nri_eal_state_pct"], raw["EAL_SPCTL"] / 100, atol=1e-6)


def test_published_percentiles_are_kept_and_regional_table_gets_no_national_rank(nri):
    filled = nri_percentiles(nri.assign(nri_eal_national_pct=np.nan))
    np.testing.assert_array_equal(filled["nri_risk_national_pct"], nri["nri_risk_national_pct"])
    assert filled["nri_eal_national_pct"].isna().all()  # 5 states: not a national ranking


def test_national_rank_over_a_national_table():
    """50 states × 2 counties, scores 1..100: national percentile = score / 100."""
    states = [f"S{i:02d}" for i in range(50) for _ in range(2)]
    scores = np.arange(1.0, 101.0)
    table = pd.DataFrame(
        {
            "state_abbr": states,
            "nri_risk_score": scores,
            "nri_eal_score": scores[::-1],
            **{c: np.nan for c in ("nri_risk_national_pct", "nri_risk_state_pct")},
            **{c: np.nan for c in ("nri_eal_national_pct", "nri_eal_state_pct")},
        }
    )
    out = nri_percentiles(table)
    np.testing.assert_allclose(out["nri_risk_national_pct"], scores / 100)
    np.testing.assert_allclose(out["nri_risk_state_pct"], [0.5, 1.0] * 50)
    np.testing.assert_allclose(out["nri_eal_state_pct"], [1.0, 0.5] * 50)


def test_county_without_nri_row_is_unknown_not_zero(nri):
    marion = nri.loc[nri["fips"] == "18097"].iloc[0]
    out = county_risk(pd.Series(["18097", "99999", "UNKNOWN"], index=[4, 5, 6]), nri)
    assert list(out.index) == [4, 5, 6]
    assert out.loc[4, "nri_risk_score"] == pytest.approx(marion["nri_risk_score"])
    assert out.loc[4, "nri_risk_state_pctile"] == pytest.approx(1.0)
    assert out.loc[[5, 6]].isna().all().all()
    assert county_risk(pd.Series(["18097"]), None).isna().all().all()


def tracks_frame(rows):
    """Track fixes (storm, x [m], y [m], category) in EPSG:5070."""
    storms, xs, ys, cats = zip(*rows, strict=True)
    return gpd.GeoDataFrame(
        {"storm_id": storms, "category": cats},
        geometry=gpd.points_from_xy(xs, ys),
        crs="EPSG:5070",
    )


def test_hurricane_proximity_on_hand_made_tracks():
    """A 2 km square at the origin; storm A passes 50 km north between two fixes 300 km apart
    (its fixes are 150 km away: a point-only distance would miss it), storm B 150 km east,
    storm C 80 km south with its category-2 fix inside the radius and a category-4 fix far
    outside it."""
    site = gpd.GeoSeries([shapely.box(-1000, -1000, 1000, 1000)], crs="EPSG:5070")
    tracks = tracks_frame(
        [
            ("A", -150_000, 51_000, 1.0),
            ("A", 150_000, 51_000, 1.0),
            ("B", 151_000, -100_000, 5.0),
            ("B", 151_000, 100_000, 5.0),
            ("C", 0, -81_000, 2.0),
            ("C", 400_000, -81_000, 4.0),
        ]
    )
    out = hurricane_proximity(site, tracks, radius_km=100.0)
    assert out.loc[0, "hurricane_nearest_track_km"] == pytest.approx(50.0)
    assert out.loc[0, "hurricane_storms_100km"] == 2  # A and C, not B
    assert out.loc[0, "hurricane_max_category_100km"] == 2.0  # C's far category 4 not counted


def test_no_storm_in_radius_gives_zero_storms_unknown_category():
    site = gpd.GeoSeries([shapely.box(0, 0, 10, 10)], crs="EPSG:5070")
    tracks = tracks_frame([("A", 500_000, 0, 3.0), ("A", 600_000, 0, 3.0)])
    out = hurricane_proximity(site, tracks, radius_km=100.0)
    assert out.loc[0, "hurricane_storms_100km"] == 0
    assert np.isnan(out.loc[0, "hurricane_max_category_100km"])
    assert out.loc[0, "hurricane_nearest_track_km"] == pytest.approx(499.99)
    assert hurricane_proximity(site, None, radius_km=100.0).isna().all().all()


def test_warming_rise():
    sites = pd.DataFrame(
        {
            "pue_design": [1.25],
            "pue_design_warm_moderate": [1.30],
            "pue_design_warm_high": [1.35],
            "water_site_m3_per_yr": [1000.0],
            "water_site_warm_moderate_m3_per_yr": [1100.0],
            "water_site_warm_high_m3_per_yr": [1250.0],
        }
    )
    out = warming_rise(sites)
    assert out.loc[0, "pue_design_rise_warm_moderate"] == pytest.approx(0.05)
    assert out.loc[0, "pue_design_rise_warm_high"] == pytest.approx(0.10)
    assert out.loc[0, "water_site_rise_warm_moderate_pct"] == pytest.approx(10.0)
    assert out.loc[0, "water_site_rise_warm_high_pct"] == pytest.approx(25.0)
