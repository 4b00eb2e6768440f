"""Moist-air relations: published check values, inverses, and the exact wet bulb."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from siting.psychrometrics import (
    STULL_RH_RANGE_PCT,
    cooling_degree_days,
    daily_mean_noaa_degc,
    dew_point_from_rh_degc,
    dew_point_from_specific_humidity_degc,
    dew_point_from_vapor_pressure_degc,
    hours_above,
    pressure_from_elevation_kpa,
    rh_from_dew_point,
    specific_humidity_from_dew_point_g_per_kg,
    wet_bulb_degc,
    wet_bulb_psychrometric,
    wet_bulb_stull,
)
from siting.sources.weather_file import read_weather
from tests.conftest import DATA_DIR

INDIANAPOLIS = DATA_DIR / "weather" / "USA_IN_Indianapolis.Intl.AP.724380_TMY3.epw"


@pytest.mark.parametrize(
    ("temp", "rh", "expected"),
    [(20.0, 50.0, 13.7), (30.0, 50.0, 22.3), (35.0, 20.0, 19.3)],
)
def test_stull_check_values(temp, rh, expected):
    # Stull (2011): 20 °C, 50 % → 13.7 °C; the others are docs/methods.md §3.1 check values.
    assert round(float(wet_bulb_stull(temp, rh)), 1) == expected


def test_psychrometric_wet_bulb_reproduces_the_ashrae_example():
    # ASHRAE Fundamentals ch. 1 example: 40 °C dry bulb, 20 °C wet bulb, 101.325 kPa gives
    # W = ((2501 − 2.326·20)·0.014696 − 1.006·20)/(2501 + 1.86·40 − 4.186·20) = 0.006402.
    # Bolton's e_s(20 °C) puts W_s* 0.08 % below ASHRAE's 0.014696, so the solve lands 0.01 K
    # above 20 °C.
    vapour_kpa = 101.325 * 0.006402 / (0.621945 + 0.006402)
    td = dew_point_from_vapor_pressure_degc(vapour_kpa)
    assert float(wet_bulb_psychrometric(40.0, td, 101.325)) == pytest.approx(20.0, abs=0.02)
    rh = rh_from_dew_point(40.0, td)
    assert float(wet_bulb_degc(40.0, rh, 101.325)) == pytest.approx(20.0, abs=0.02)


# Reference wet bulbs from PsychroLib 2.5 (Meyer, D., Thevenard, D. (2019). PsychroLib: a
# library of psychrometric functions to calculate thermodynamic properties of air. JOSS 4(33),
# 1137. doi:10.21105/joss.01137), which implements ASHRAE Handbook—Fundamentals 2017 ch. 1 with
# Hyland–Wexler saturation: GetTWetBulbFromHumRatio(T, GetHumRatioFromTDewPoint(T_d, p), p).
ASHRAE_WET_BULBS = [
    # (dry bulb [°C], dew point [°C], pressure [kPa], wet bulb [°C])
    (35.0, 25.0, 101.325, 27.4435),  # a hot-humid design hour
    (20.0, 19.5, 101.325, 19.6577),  # near saturation (RH 97 %)
    (30.0, 15.0, 84.556, 19.5461),  # 1,500 m standard atmosphere
    (30.0, 15.0, 70.108, 19.0068),  # 3,000 m standard atmosphere
]


@pytest.mark.parametrize(("temp", "dew_point", "pressure", "expected"), ASHRAE_WET_BULBS)
def test_exact_wet_bulb_matches_ashrae_psychrometrics(temp, dew_point, pressure, expected):
    rh = rh_from_dew_point(temp, dew_point)
    assert float(wet_bulb_degc(temp, rh, pressure)) == pytest.approx(expected, abs=0.01)
    assert float(wet_bulb_psychrometric(temp, dew_point, pressure)) == pytest.approx(
        expected, abs=0.01
    )


def test_stull_is_warm_in_the_hot_humid_hour():
    # 35 °C / 25 °C dew point: Stull's sea-level fit gives 27.80 °C against 27.44 °C exact.
    stull = float(wet_bulb_stull(35.0, rh_from_dew_point(35.0, 25.0)))
    assert stull - ASHRAE_WET_BULBS[0][3] > 0.3


def test_fast_wet_bulb_equals_the_bisection_over_a_grid():
    # −30…48 °C, 0–100 % RH, 55–105 kPa, including the near-freezing band where the water and
    # ice relations overlap and dry air outside Stull's fit.
    temp, rh, pressure = np.meshgrid(
        np.arange(-30.0, 48.1, 0.7),
        np.r_[0.0, 0.5, 2.0, np.arange(5.0, 100.1, 2.5)],
        [55.0, 70.0, 84.5, 95.0, 101.325, 105.0],
        indexing="ij",
    )
    td = dew_point_from_rh_degc(temp, np.maximum(rh, 0.1))
    exact = wet_bulb_psychrometric(temp, td, pressure)
    np.testing.assert_allclose(wet_bulb_degc(temp, rh, pressure), exact, rtol=0, atol=1e-3)


@given(
    st.floats(min_value=-40.0, max_value=50.0),
    st.floats(min_value=0.0, max_value=100.0),
    st.floats(min_value=55.0, max_value=105.0),
)
def test_fast_wet_bulb_equals_the_bisection_anywhere(temp, rh, pressure):
    td = dew_point_from_rh_degc(temp, max(rh, 0.1))
    expected = float(wet_bulb_psychrometric(temp, td, pressure))
    assert float(wet_bulb_degc(temp, rh, pressure)) == pytest.approx(expected, abs=1e-3)


def test_wet_bulb_lies_between_dew_point_and_dry_bulb_and_keeps_the_shape():
    temp = np.array([[-10.0, 0.0, 12.0], [25.0, 35.0, 45.0]])
    rh = np.array([[90.0, 40.0, 100.0], [60.0, 5.0, 30.0]])
    wet_bulb = wet_bulb_degc(temp, rh, 95.0)
    assert wet_bulb.shape == temp.shape
    assert np.all(wet_bulb <= temp)
    assert np.all(wet_bulb >= dew_point_from_rh_degc(temp, rh))
    assert wet_bulb[0, 2] == pytest.approx(12.0)  # saturated air


def test_near_freezing_the_water_relation_is_taken_where_it_has_a_solution():
    # 5.6 °C, RH 29 %: the ice relation also has a solution just below 0 °C; both solvers take
    # the water relation's, at or above 0 °C.
    td = dew_point_from_rh_degc(5.6, 29.0)
    assert 0.0 <= float(wet_bulb_psychrometric(5.6, td, 101.325)) < 0.5
    assert 0.0 <= float(wet_bulb_degc(5.6, 29.0, 101.325)) < 0.5


@pytest.fixture(scope="module")
def indianapolis():
    return read_weather(INDIANAPOLIS)


def design_04(hourly):
    """The value exceeded in 0.4 % of the hours (35 of 8,760)."""
    return float(np.quantile(hourly, 0.996, method="inverted_cdf"))


def test_design_wet_bulb_of_indianapolis_is_the_exact_one_and_near_ashrae(indianapolis):
    hourly = indianapolis.hourly
    exact = wet_bulb_psychrometric(
        hourly["dry_bulb_degc"], hourly["dew_point_degc"], hourly["pressure_kpa"]
    )
    design = design_04(hourly["wet_bulb_degc"])
    assert design == pytest.approx(design_04(exact), abs=0.2)
    assert design == pytest.approx(indianapolis.station.design.wet_bulb_04_degc, abs=0.3)


def test_stull_runs_warm_at_the_indianapolis_design_hour(indianapolis):
    # Stull's sea-level fit: 26.1 °C at the 0.4 % hour, the exact solve 25.8 °C, ASHRAE 25.7 °C.
    hourly = indianapolis.hourly
    stull = wet_bulb_stull(hourly["dry_bulb_degc"], np.clip(hourly["rh_pct"], *STULL_RH_RANGE_PCT))
    exact = design_04(hourly["wet_bulb_degc"])
    assert design_04(stull) - exact > 0.2
    ashrae = indianapolis.station.design.wet_bulb_04_degc
    assert abs(design_04(stull) - ashrae) > abs(exact - ashrae)


def test_stull_is_close_to_the_psychrometric_wet_bulb_where_cooling_matters():
    # Stull (2011) reports a mean absolute error below 0.3 °C; over 10–40 °C and 20–90 % RH.
    temp, rh = np.meshgrid(np.arange(10.0, 41.0, 1.0), np.arange(20.0, 91.0, 1.0))
    psy = wet_bulb_psychrometric(temp, dew_point_from_rh_degc(temp, rh), 101.325)
    error = wet_bulb_stull(temp, rh) - psy
    assert np.abs(error).mean() < 0.3
    assert np.abs(error).max() < 1.0


def test_psychrometric_wet_bulb_of_saturated_air_is_the_air_temperature():
    t = np.array([-5.0, 10.0, 30.0])
    np.testing.assert_allclose(wet_bulb_psychrometric(t, t, 90.0), t, atol=1e-5)


def test_thinner_air_has_a_lower_wet_bulb():
    td = dew_point_from_rh_degc(30.0, 40.0)
    pressures = pressure_from_elevation_kpa(np.array([0.0, 1000.0, 2000.0, 3000.0]))
    assert np.all(np.diff(wet_bulb_psychrometric(30.0, td, pressures)) < 0)


def test_standard_atmosphere_pressure():
    # ASHRAE Fundamentals table 1: 101.325 kPa at 0 m, 89.876 kPa at 1,000 m.
    np.testing.assert_allclose(
        pressure_from_elevation_kpa([0.0, 1000.0]), [101.325, 89.876], atol=0.005
    )


@given(
    st.floats(min_value=-30.0, max_value=30.0),
    st.floats(min_value=60.0, max_value=105.0),
)
def test_dew_point_and_specific_humidity_are_inverse(dew_point, pressure):
    q = specific_humidity_from_dew_point_g_per_kg(dew_point, pressure)
    assert float(dew_point_from_specific_humidity_degc(q, pressure)) == pytest.approx(
        dew_point, abs=1e-9
    )


def test_rh_from_dew_point_caps_at_100_and_inverts():
    assert float(rh_from_dew_point(20.0, 25.0)) == 100.0
    assert float(dew_point_from_rh_degc(25.0, rh_from_dew_point(25.0, 12.0))) == pytest.approx(12.0)


def test_cooling_degree_days_by_hand():
    # Two days: 30/20 °C → mean 25 → 6.7 K·day; 18/10 °C → mean 14 → 0.
    hourly = np.r_[np.full(12, 30.0), np.full(12, 20.0), np.full(12, 18.0), np.full(12, 10.0)]
    daily = daily_mean_noaa_degc(hourly)
    assert daily.tolist() == [25.0, 14.0]
    assert float(cooling_degree_days(daily)) == pytest.approx(6.7)


def test_hours_above_counts_per_site():
    hourly = np.array([[20.0, 28.0, 30.0], [27.0, 27.0, 27.1]])
    assert hours_above(hourly, 27.0).tolist() == [2, 1]
