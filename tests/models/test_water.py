"""County draw, non-power withdrawals and unit conversions, by hand and on Indiana's real table."""

import numpy as np
import pandas as pd
import pytest

from siting.models.water import (
    acre_ft_from_m3,
    county_water,
    draw_depth_mm_per_yr,
    m3_per_yr_from_mgd,
    mgd_from_m3_per_yr,
    share_pct,
)
from siting.sources.usgs_water_use import read_county_water_use
from tests.conftest import DATA_DIR


def use_table(**columns):
    base = {
        "fips": ["18001"],
        "fresh_withdrawal_mgd": [0.0],
        "thermoelectric_fresh_mgd": [0.0],
        "groundwater_fresh_mgd": [0.0],
        "surface_fresh_mgd": [0.0],
        "thermoelectric_groundwater_mgd": [0.0],
        "thermoelectric_surface_mgd": [0.0],
        "thermoelectric_consumption_fresh_mgd": [0.0],
        "public_supply_fresh_mgd": [0.0],
    }
    return pd.DataFrame(base | columns)


def test_unit_conversions_against_hand_values():
    # 1 Mgal = 1e6 gal × 3.785411784 L = 3,785.411784 m³; a year of 365.25 days.
    assert m3_per_yr_from_mgd(1.0) == pytest.approx(1_382_621.66, abs=0.01)
    assert mgd_from_m3_per_yr(1_382_621.66) == pytest.approx(1.0, abs=1e-8)
    # An acre-foot: 43,560 ft³ × 0.028316846592 m³/ft³ = 1,233.48 m³ (325,851 US gal).
    assert acre_ft_from_m3(1233.48183754752) == pytest.approx(1.0)
    assert acre_ft_from_m3(325_851 * 3.785411784e-3) == pytest.approx(1.0, abs=1e-5)
    # A 1 GW tower campus, ~10.3 Mgal/d: 14.24 million m³ and 11,545 acre-ft a year
    # (14,241,003 / 1,233.48).
    m3 = m3_per_yr_from_mgd(10.3)
    assert m3 == pytest.approx(14_241_003, abs=1)
    assert acre_ft_from_m3(m3) == pytest.approx(11_545.4, abs=0.1)


def test_a_county_of_once_through_power_plants_is_not_drawing_its_withdrawals():
    # 1,000 Mgal/d through a once-through plant that evaporates 20 of them, 2 Mgal/d of wells.
    use = use_table(
        fresh_withdrawal_mgd=[1002.0],
        thermoelectric_fresh_mgd=[1000.0],
        groundwater_fresh_mgd=[2.0],
        surface_fresh_mgd=[1000.0],
        thermoelectric_surface_mgd=[1000.0],
        thermoelectric_consumption_fresh_mgd=[20.0],
        public_supply_fresh_mgd=[1.5],
    )
    county = county_water(use).loc["18001"]
    assert county["nonpower_fresh_mgd"] == 2.0
    assert county["nonpower_groundwater_mgd"] == 2.0 and county["nonpower_surface_mgd"] == 0.0
    assert county["nonpower_groundwater_share"] == 1.0
    assert county["draw_mgd"] == 22.0  # not 1,002
    assert county["public_supply_mgd"] == 1.5


def test_unknown_consumption_of_a_power_plant_leaves_the_draw_unknown():
    use = use_table(
        fresh_withdrawal_mgd=[50.0, 5.0],
        thermoelectric_fresh_mgd=[40.0, 0.0],
        thermoelectric_consumption_fresh_mgd=[np.nan, np.nan],
        fips=["18001", "18003"],
        groundwater_fresh_mgd=[5.0, 5.0],
        surface_fresh_mgd=[45.0, 0.0],
        thermoelectric_groundwater_mgd=[0.0, 0.0],
        thermoelectric_surface_mgd=[40.0, 0.0],
        public_supply_fresh_mgd=[1.0, 1.0],
    )
    county = county_water(use)
    assert np.isnan(county.loc["18001", "draw_mgd"])  # a plant whose consumption is unknown
    assert county.loc["18003", "draw_mgd"] == 5.0  # no plant: nothing to consume


def test_draw_depth_by_hand():
    county = pd.DataFrame({"draw_mgd": [10.0, np.nan]}, index=["18001", "18003"])
    depth = draw_depth_mm_per_yr(county, pd.Series({"18001": 1000.0, "18003": 500.0}))
    # 10 Mgal/d × 3,785.4 m³/Mgal × 365.25 d / 1e9 m² × 1,000 mm/m = 13.83 mm/yr
    assert depth["18001"] == pytest.approx(13.826, abs=1e-3)
    assert np.isnan(depth["18003"])  # unknown stays unknown


def test_share_of_nothing_is_infinite_and_unknown_stays_unknown():
    np.testing.assert_array_equal(
        share_pct([2.0, 2.0, 0.0, 2.0], [8.0, 0.0, 0.0, np.nan]), [25.0, np.inf, 0.0, np.nan]
    )


def test_on_indianas_table_the_river_counties_are_no_longer_the_most_stressed():
    # USGS 2015: Jefferson County (Clifty Creek, once-through on the Ohio) withdrew 1,193 Mgal/d,
    # 1,187 of them for power; Hamilton County (suburban Indianapolis, wells) 69 Mgal/d.
    use = read_county_water_use(DATA_DIR / "tables" / "usgs_water_use_2015_county.csv")
    county = county_water(use[use["state"] == "IN"])
    area = pd.Series({"18077": 1.0, "18057": 1.0})  # equal areas: compare the draws
    by_withdrawal = use.set_index("fips").loc[["18077", "18057"], "fresh_withdrawal_mgd"]
    assert by_withdrawal["18077"] > 15 * by_withdrawal["18057"]
    draw = county.loc[["18077", "18057"], "draw_mgd"]
    assert draw["18077"] == pytest.approx(1192.97 - 1186.94 + 23.74)
    assert draw["18077"] < draw["18057"]
    depth = draw_depth_mm_per_yr(county, area)
    assert depth["18077"] < depth["18057"]
