"""Moist-air relations used by the climate layer and the cooling model.

Plain vectorised functions of numpy arrays; temperatures in °C, pressures in kPa. The wet bulb
of every hour is the thermodynamic one, solved from the ASHRAE psychrometric relation at the
station's pressure (:func:`wet_bulb_degc`); Stull's (2011) closed form only seeds the solve.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

STANDARD_PRESSURE_KPA = 101.325
EPSILON = 0.621945  # ratio of molar masses of water vapour and dry air [-]


def wet_bulb_stull(temp_degc: ArrayLike, rh_pct: ArrayLike) -> np.ndarray:
    """Wet-bulb temperature from air temperature and relative humidity at sea level (a fit).

    Stull's empirical fit to psychrometric wet bulbs at 101.325 kPa, stated error −1 to
    +0.65 °C, mean absolute error < 0.3 °C. It runs warm near saturation and in hot-humid hours
    (+0.3 °C at Indianapolis's 0.4 % design hour) and takes no pressure, so
    :func:`wet_bulb_degc` uses it only as the first guess of the exact solve.

    Parameters
    ----------
    temp_degc : array_like
        Dry-bulb air temperature, −20…50. [°C]
    rh_pct : array_like
        Relative humidity, 5–99. [%]

    Returns
    -------
    numpy.ndarray
        Wet-bulb temperature. [°C]

    References
    ----------
    Stull, R. (2011). Wet-Bulb Temperature from Relative Humidity and Air Temperature.
    J. Appl. Meteor. Climatol. 50(11), 2267–2269. doi:10.1175/JAMC-D-11-0143.1

    Examples
    --------
    >>> round(float(wet_bulb_stull(20.0, 50.0)), 1)
    13.7
    >>> round(float(wet_bulb_stull(30.0, 50.0)), 1)
    22.3
    """
    t = np.asarray(temp_degc, dtype=np.float64)
    rh = np.asarray(rh_pct, dtype=np.float64)
    return (
        t * np.arctan(0.151977 * np.sqrt(rh + 8.313659))
        + np.arctan(t + rh)
        - np.arctan(rh - 1.676331)
        + 0.00391838 * rh**1.5 * np.arctan(0.023101 * rh)
        - 4.686035
    )


def saturation_vapor_pressure_kpa(temp_degc: ArrayLike) -> np.ndarray:
    """Saturation vapour pressure over water (Bolton 1980). [kPa]

    References
    ----------
    Bolton, D. (1980). The computation of equivalent potential temperature. Mon. Wea. Rev.
    108(7), 1046–1053. doi:10.1175/1520-0493(1980)108<1046:TCOEPT>2.0.CO;2

    Examples
    --------
    >>> round(float(saturation_vapor_pressure_kpa(20.0)), 3)
    2.337
    """
    t = np.asarray(temp_degc, dtype=np.float64)
    return 0.6112 * np.exp(17.67 * t / (t + 243.5))


def rh_from_specific_humidity(
    specific_humidity_g_per_kg: ArrayLike,
    temp_degc: ArrayLike,
    pressure_kpa: ArrayLike = STANDARD_PRESSURE_KPA,
) -> np.ndarray:
    """Relative humidity from specific humidity, temperature and pressure, capped at 100 %.

    Parameters
    ----------
    specific_humidity_g_per_kg : array_like
        Specific humidity (mass of vapour per mass of moist air). [g/kg]
    temp_degc : array_like
        Air temperature. [°C]
    pressure_kpa : array_like
        Air pressure. [kPa]

    Returns
    -------
    numpy.ndarray
        Relative humidity. [%]

    Examples
    --------
    >>> round(float(rh_from_specific_humidity(7.3, 20.0)), 0)
    51.0
    """
    q = np.asarray(specific_humidity_g_per_kg, dtype=np.float64) / 1000.0
    vapour_kpa = q * np.asarray(pressure_kpa, dtype=np.float64) / (EPSILON + (1.0 - EPSILON) * q)
    return np.minimum(100.0 * vapour_kpa / saturation_vapor_pressure_kpa(temp_degc), 100.0)


#: Relative-humidity range of Stull's fit; the seed of the exact solve clips RH to it. [%]
STULL_RH_RANGE_PCT = (5.0, 99.0)
#: Saturation vapour pressure at 0 °C (Bolton 1980), where the ASHRAE relation changes from
#: water to ice on the wet bulb. [kPa]
_E_SAT_0C_KPA = 0.6112
#: Floor of relative humidity for the dew point: air at 0 % RH has none. [%]
_RH_FLOOR_PCT = 0.1
#: Bisection steps of :func:`wet_bulb_psychrometric`; a bracket [T_d, T] of up to 200 K shrinks
#: below 1e-6 K.
_BISECTION_STEPS = 28
#: Newton steps of :func:`wet_bulb_degc` from Stull's seed. Newton's error after a step of size
#: s is about K s², K = |f''/(2 f')| ≤ 0.04 /K for the psychrometric relation over −40…50 °C
#: and 55–105 kPa: Stull's error (≤ 1 K at sea level) falls to ≤ 0.04 K after one step and
#: below 1e-4 K after two. On high ground, where the sea-level fit errs by 1–1.5 K (1,500–
#: 3,000 m), some values need the bisection below.
_NEWTON_STEPS = 2
#: A value whose last Newton step exceeded this is solved again by bisection: a last step
#: ≤ 0.05 K leaves an error ≤ 0.04 × 0.05² = 1e-4 K. [K]
_NEWTON_TOLERANCE_K = 0.05
#: Values per block of the Newton solve: blocks that fit the processor cache run about twice as
#: fast as whole arrays of 8,760 hours × hundreds of sites.
_BLOCK = 1 << 15


def pressure_from_elevation_kpa(elevation_m: ArrayLike) -> np.ndarray:
    """Standard-atmosphere barometric pressure at an elevation. [kPa]

    Parameters
    ----------
    elevation_m : array_like
        Height above mean sea level. [m]

    References
    ----------
    ASHRAE (2017). Handbook—Fundamentals, chapter 1 (Psychrometrics), standard atmosphere:
    p = 101.325 (1 − 2.25577e-5 Z)^5.2559.

    Examples
    --------
    >>> round(float(pressure_from_elevation_kpa(0.0)), 3)
    101.325
    >>> round(float(pressure_from_elevation_kpa(1500.0)), 2)
    84.56
    """
    z = np.asarray(elevation_m, dtype=np.float64)
    return STANDARD_PRESSURE_KPA * (1.0 - 2.25577e-5 * z) ** 5.2559


def vapor_pressure_from_specific_humidity_kpa(
    specific_humidity_g_per_kg: ArrayLike, pressure_kpa: ArrayLike = STANDARD_PRESSURE_KPA
) -> np.ndarray:
    """Partial pressure of water vapour from specific humidity and air pressure. [kPa]

    e = q p / (ε + (1 − ε) q), with q in kg/kg and ε = 0.621945.

    Examples
    --------
    >>> round(float(vapor_pressure_from_specific_humidity_kpa(10.0, 100.0)), 3)
    1.598
    """
    q = np.asarray(specific_humidity_g_per_kg, dtype=np.float64) / 1000.0
    return q * np.asarray(pressure_kpa, dtype=np.float64) / (EPSILON + (1.0 - EPSILON) * q)


def specific_humidity_from_dew_point_g_per_kg(
    dew_point_degc: ArrayLike, pressure_kpa: ArrayLike = STANDARD_PRESSURE_KPA
) -> np.ndarray:
    """Specific humidity of air with a given dew point and pressure. [g/kg]

    Inverse of :func:`vapor_pressure_from_specific_humidity_kpa` at e = e_s(T_d) (Bolton 1980).

    Examples
    --------
    >>> q = specific_humidity_from_dew_point_g_per_kg(14.0, 100.0)
    >>> round(float(dew_point_from_specific_humidity_degc(q, 100.0)), 6)
    14.0
    """
    e = saturation_vapor_pressure_kpa(dew_point_degc)
    p = np.asarray(pressure_kpa, dtype=np.float64)
    return 1000.0 * EPSILON * e / (p - (1.0 - EPSILON) * e)


def dew_point_from_vapor_pressure_degc(vapor_pressure_kpa: ArrayLike) -> np.ndarray:
    """Dew point: the temperature whose saturation vapour pressure (Bolton 1980) is e. [°C]

    Parameters
    ----------
    vapor_pressure_kpa : array_like
        Partial pressure of water vapour, > 0. [kPa]

    References
    ----------
    Bolton, D. (1980). The computation of equivalent potential temperature. Mon. Wea. Rev.
    108(7), 1046–1053. doi:10.1175/1520-0493(1980)108<1046:TCOEPT>2.0.CO;2 (eq. 10, inverted)

    Examples
    --------
    >>> round(float(dew_point_from_vapor_pressure_degc(saturation_vapor_pressure_kpa(20.0))), 6)
    20.0
    """
    x = np.log(np.asarray(vapor_pressure_kpa, dtype=np.float64) / 0.6112)
    return 243.5 * x / (17.67 - x)


def dew_point_from_specific_humidity_degc(
    specific_humidity_g_per_kg: ArrayLike, pressure_kpa: ArrayLike = STANDARD_PRESSURE_KPA
) -> np.ndarray:
    """Dew point from specific humidity and air pressure. [°C]

    Examples
    --------
    >>> round(float(dew_point_from_specific_humidity_degc(7.3, 101.325)), 1)
    9.4
    """
    e = vapor_pressure_from_specific_humidity_kpa(specific_humidity_g_per_kg, pressure_kpa)
    return dew_point_from_vapor_pressure_degc(e)


def rh_from_dew_point(temp_degc: ArrayLike, dew_point_degc: ArrayLike) -> np.ndarray:
    """Relative humidity from air temperature and dew point, capped at 100 %. [%]

    Examples
    --------
    >>> round(float(rh_from_dew_point(20.0, 9.3)), 0)
    50.0
    """
    ratio = saturation_vapor_pressure_kpa(dew_point_degc) / saturation_vapor_pressure_kpa(temp_degc)
    return np.minimum(100.0 * ratio, 100.0)


def dew_point_from_rh_degc(temp_degc: ArrayLike, rh_pct: ArrayLike) -> np.ndarray:
    """Dew point from air temperature and relative humidity (> 0 %). [°C]

    Examples
    --------
    >>> round(float(dew_point_from_rh_degc(20.0, 50.0)), 1)
    9.3
    """
    e = np.asarray(rh_pct, dtype=np.float64) / 100.0 * saturation_vapor_pressure_kpa(temp_degc)
    return dew_point_from_vapor_pressure_degc(e)


def wet_bulb_psychrometric(
    temp_degc: ArrayLike, dew_point_degc: ArrayLike, pressure_kpa: ArrayLike
) -> np.ndarray:
    """Thermodynamic wet-bulb temperature at any pressure, by bisection on the ASHRAE relation.

    Finds t* in [T_d, T] with W(T, t*, p) equal to the air's humidity ratio, where
    W = ((2501 − 2.326 t*) W_s* − 1.006 (T − t*)) / (2501 + 1.86 T − 4.186 t*) for a wet bulb at
    or above freezing and W = ((2830 − 0.24 t*) W_s* − 1.006 (T − t*)) / (2830 + 1.86 T − 2.1 t*)
    below (ice on the wick), with W_s* the saturation humidity ratio at t* and p (Bolton's
    saturation over water at all temperatures). The two relations disagree at 0 °C, so air of
    some humidities has a solution of each a few tenths of a kelvin either side of 0 °C: the
    first relation is used wherever it has a solution at or above 0 °C, the second otherwise.
    Plain vectorised bisection: the reference that :func:`wet_bulb_degc` reproduces faster.

    Parameters
    ----------
    temp_degc : array_like
        Dry-bulb temperature. [°C]
    dew_point_degc : array_like
        Dew point, at most the dry-bulb temperature. [°C]
    pressure_kpa : array_like
        Air pressure (station pressure, not sea-level reduced). [kPa]

    Returns
    -------
    numpy.ndarray
        Wet-bulb temperature. [°C]

    References
    ----------
    ASHRAE (2017). Handbook—Fundamentals, chapter 1 (Psychrometrics): humidity ratio from
    dry-bulb and thermodynamic wet-bulb temperature. Sadeghi, S. M., Peters, T. R., Cobos,
    D. R., Loescher, H. W., Campbell, C. S. (2013). Direct calculation of thermodynamic
    wet-bulb temperature as a function of pressure and elevation. J. Atmos. Oceanic Technol.
    30(8), 1757–1765. doi:10.1175/JTECH-D-12-00191.1

    Examples
    --------
    At sea level 20 °C and 50 % give 13.8 °C (Stull's fit: 13.7 °C, within its stated error);
    at 1,500 m the same air has a lower wet-bulb temperature:

    >>> td = dew_point_from_rh_degc(20.0, 50.0)
    >>> round(float(wet_bulb_psychrometric(20.0, td, 101.325)), 1)
    13.8
    >>> round(float(wet_bulb_psychrometric(20.0, td, pressure_from_elevation_kpa(1500.0))), 1)
    13.3
    """
    t = np.asarray(temp_degc, dtype=np.float64)
    td = np.minimum(np.asarray(dew_point_degc, dtype=np.float64), t)
    p = np.asarray(pressure_kpa, dtype=np.float64)
    target = _humidity_ratio(saturation_vapor_pressure_kpa(td), p)
    liquid = _wet_bulb_above_freezing(t, target, p)
    low, high = _wet_bulb_bracket(t, td, liquid)
    a, b, c = _relation_coefficients(liquid)
    for _ in range(_BISECTION_STEPS):
        mid = 0.5 * (low + high)
        too_wet = _humidity_ratio_and_slope(t, mid, p, a, b, c)[0] > target
        high = np.where(too_wet, mid, high)
        low = np.where(too_wet, low, mid)
    return 0.5 * (low + high)


def _humidity_ratio(vapor_pressure_kpa: np.ndarray, pressure_kpa: np.ndarray) -> np.ndarray:
    """Humidity ratio of moist air. [kg water / kg dry air]"""
    return EPSILON * vapor_pressure_kpa / (pressure_kpa - vapor_pressure_kpa)


def _wet_bulb_above_freezing(
    temp_degc: np.ndarray, target: np.ndarray, pressure_kpa: np.ndarray
) -> np.ndarray:
    """Where the water relation has a wet bulb at or above 0 °C: W(T, 0 °C, p) ≤ W. [bool]"""
    ws = _humidity_ratio(_E_SAT_0C_KPA, pressure_kpa)
    w_at_0 = (2501.0 * ws - 1.006 * temp_degc) / (2501.0 + 1.86 * temp_degc)
    return (temp_degc > 0.0) & (w_at_0 <= target)


def _wet_bulb_bracket(
    temp_degc: np.ndarray, dew_point_degc: np.ndarray, liquid: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The interval holding the wet bulb: [max(T_d, 0), T] on water, [T_d, min(T, 0)] on ice."""
    low = np.where(liquid, np.maximum(dew_point_degc, 0.0), dew_point_degc)
    high = np.where(liquid, temp_degc, np.minimum(temp_degc, 0.0))
    return low, high


def _relation_coefficients(liquid: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(a, b, c)`` of W = ((a − b t*) W_s* − 1.006 (T − t*)) / (a + 1.86 T − c t*) (ASHRAE)."""
    return (
        np.where(liquid, 2501.0, 2830.0),
        np.where(liquid, 2.326, 0.24),
        np.where(liquid, 4.186, 2.1),
    )


def _humidity_ratio_and_slope(
    temp_degc: np.ndarray,
    wet_bulb_degc: np.ndarray,
    pressure_kpa: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
    c: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Humidity ratio of air at T whose wet bulb is t*, and its derivative dW/dt*. [kg/kg], [1/K]

    With e_s(t*) of Bolton (1980), de_s/dt* = e_s · 17.67 · 243.5 / (t* + 243.5)², so
    dW_s*/dt* = W_s* · p/(p − e_s) · 17.67 · 243.5 / (t* + 243.5)² and
    dW/dt* = ((a − b t*) dW_s*/dt* − b W_s* + 1.006 + c W) / (a + 1.86 T − c t*).
    """
    t, tw, p = temp_degc, wet_bulb_degc, pressure_kpa
    e = saturation_vapor_pressure_kpa(tw)
    ws = EPSILON * e / (p - e)
    x = tw + 243.5
    dws = ws * (17.67 * 243.5 / (x * x)) * (p / (p - e))
    m = a - b * tw
    d = a + 1.86 * t - c * tw
    w = (m * ws - 1.006 * (t - tw)) / d
    return w, (m * dws - b * ws + 1.006 + c * w) / d


def wet_bulb_degc(
    temp_degc: ArrayLike, rh_pct: ArrayLike, pressure_kpa: ArrayLike = STANDARD_PRESSURE_KPA
) -> np.ndarray:
    """Thermodynamic wet-bulb temperature at any pressure: the exact solve, fast.

    The same solution as :func:`wet_bulb_psychrometric` (within 1e-4 K), found by Newton's
    method on the ASHRAE relation from Stull's (2011) closed form as the first guess, each
    iterate kept inside the bracket [T_d, T] (split at 0 °C as there). Two Newton steps take
    Stull's error (−1 to +0.65 °C at sea level, more on high ground) below 1e-4 K; a value whose
    last step was still above 0.05 K is solved again by bisection. RH is floored at 0.1 % for
    the dew point; the result never exceeds the dry bulb.

    Parameters
    ----------
    temp_degc : array_like
        Dry-bulb temperature. [°C]
    rh_pct : array_like
        Relative humidity, 0–100. [%]
    pressure_kpa : array_like
        Station air pressure. [kPa]

    Returns
    -------
    numpy.ndarray
        Wet-bulb temperature. [°C]

    References
    ----------
    docs/methods.md §3.1 and §9.1. ASHRAE (2017). Handbook—Fundamentals, chapter 1
    (Psychrometrics). Stull, R. (2011). Wet-Bulb Temperature from Relative Humidity and Air
    Temperature. J. Appl. Meteor. Climatol. 50(11), 2267–2269. doi:10.1175/JAMC-D-11-0143.1

    Examples
    --------
    20 °C and 50 % at sea level (Stull's fit gives 13.7 °C) and at 1,500 m; 35 °C with a
    25 °C dew point, where Stull's fit gives 27.8 °C:

    >>> round(float(wet_bulb_degc(20.0, 50.0)), 2)
    13.79
    >>> round(float(wet_bulb_degc(20.0, 50.0, 84.56)), 1)
    13.3
    >>> round(float(wet_bulb_degc(35.0, rh_from_dew_point(35.0, 25.0))), 2)
    27.44
    """
    arrays = np.broadcast_arrays(
        *(np.asarray(v, dtype=np.float64) for v in (temp_degc, rh_pct, pressure_kpa))
    )
    shape = arrays[0].shape
    t, rh, p = (np.ravel(v) for v in arrays)
    out, last_step = np.empty_like(t), np.empty_like(t)
    for start in range(0, t.size, _BLOCK):
        block = slice(start, start + _BLOCK)
        out[block], last_step[block] = _newton_wet_bulb(t[block], rh[block], p[block])
    redo = last_step > _NEWTON_TOLERANCE_K
    if np.any(redo):
        td = dew_point_from_rh_degc(t[redo], np.clip(rh[redo], _RH_FLOOR_PCT, 100.0))
        out[redo] = wet_bulb_psychrometric(t[redo], td, p[redo])
    return out.reshape(shape)


def _newton_wet_bulb(
    temp_degc: np.ndarray, rh_pct: np.ndarray, pressure_kpa: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Wet bulb by Newton's method from Stull's seed, and the size of the last step. [°C], [K]"""
    t, p = temp_degc, pressure_kpa
    e = np.clip(rh_pct, _RH_FLOOR_PCT, 100.0) / 100.0 * saturation_vapor_pressure_kpa(t)
    target = _humidity_ratio(e, p)
    liquid = _wet_bulb_above_freezing(t, target, p)
    low, high = _wet_bulb_bracket(t, dew_point_from_vapor_pressure_degc(e), liquid)
    a, b, c = _relation_coefficients(liquid)
    tw = np.clip(wet_bulb_stull(t, np.clip(rh_pct, *STULL_RH_RANGE_PCT)), low, high)
    step = np.zeros_like(tw)
    for _ in range(_NEWTON_STEPS):
        w, slope = _humidity_ratio_and_slope(t, tw, p, a, b, c)
        step = (w - target) / slope
        tw = np.clip(tw - step, low, high)
    return tw, np.abs(step)


def cooling_degree_days(daily_mean_degc: ArrayLike, *, base_degc: float = 18.3) -> np.ndarray:
    """Cooling degree days: sum over days of max(0, daily mean − base), along the last axis.

    Parameters
    ----------
    daily_mean_degc : array_like
        Daily mean temperature, (T_max + T_min)/2 by the NOAA convention; days on the last
        axis. [°C]
    base_degc : float
        Base temperature; 18.3 °C = 65 °F (NOAA/NWS). [°C]

    Returns
    -------
    numpy.ndarray
        Cooling degree days. [K·day]

    References
    ----------
    docs/methods.md §3.2 (NOAA/NWS definition, base 65 °F).

    Examples
    --------
    >>> float(cooling_degree_days([17.3, 20.3, 28.3]))
    12.0
    """
    t = np.asarray(daily_mean_degc, dtype=np.float64)
    return np.maximum(t - base_degc, 0.0).sum(axis=-1)


def daily_mean_noaa_degc(hourly_degc: ArrayLike) -> np.ndarray:
    """Daily (T_max + T_min)/2 from an hourly series of whole days on the last axis. [°C]

    Examples
    --------
    >>> daily_mean_noaa_degc(np.r_[np.full(12, 10.0), np.full(12, 20.0)]).tolist()
    [15.0]
    """
    t = np.asarray(hourly_degc, dtype=np.float64)
    days = t.reshape(*t.shape[:-1], -1, 24)
    return 0.5 * (days.max(axis=-1) + days.min(axis=-1))


def hours_above(hourly: ArrayLike, threshold: float) -> np.ndarray:
    """Number of hours strictly above a threshold, along the last axis. [h]

    Examples
    --------
    >>> int(hours_above([24.0, 26.0, 27.5, np.nan], 25.0))
    2
    """
    return (np.asarray(hourly, dtype=np.float64) > threshold).sum(axis=-1)
