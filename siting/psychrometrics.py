"""Moist-air relations used by the climate layer and the cooling model.

Plain vectorised functions of numpy arrays; temperatures in °C, pressures in kPa.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

STANDARD_PRESSURE_KPA = 101.325
EPSILON = 0.621945  # ratio of molar masses of water vapour and dry air [-]


def wet_bulb_stull(temp_degc: ArrayLike, rh_pct: ArrayLike) -> np.ndarray:
    """Wet-bulb temperature from air temperature and relative humidity at sea level.

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
