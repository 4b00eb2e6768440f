"""Moist-air relations: published check values, inverses, and the pressure-aware wet bulb."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from siting.psychrometrics import (
    STULL_MIN_PRESSURE_KPA,
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
    vapour_kpa = 101.325 * 0.006402 / (0.621945 + 0.006402)
    td = dew_point_from_vapor_pressure_degc(vapour_kpa)
    assert float(wet_bulb_psychrometric(40.0, td, 101.325)) == pytest.approx(20.0, abs=0.05)


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


def test_wet_bulb_uses_the_pressure_route_only_for_high_sites():
    low = STULL_MIN_PRESSURE_KPA + 1.0
    high = STULL_MIN_PRESSURE_KPA - 10.0
    assert float(wet_bulb_degc(30.0, 40.0, low)) == float(wet_bulb_stull(30.0, 40.0))
    td = dew_point_from_rh_degc(30.0, 40.0)
    np.testing.assert_allclose(
        wet_bulb_degc(30.0, 40.0, high), wet_bulb_psychrometric(30.0, td, high)
    )


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
