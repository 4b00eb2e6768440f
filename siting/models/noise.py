"""Outdoor sound from a campus's plant: hemispherical spreading with air absorption.

A source of A-weighted sound power ``Lw`` on hard ground radiates into a half-space, so the
level at distance ``r`` is (docs/methods.md §6.3)

``Lp(r) = Lw − 10·log10(2π r²) − α · r / 1000``  [dBA],

with ``α`` one A-weighted atmospheric absorption coefficient [dB/km] (ISO 9613-2, simplified to
a single band). Ground and barrier attenuation are left out: the levels are upper bounds, and
the contour distances conservative (too far, not too near).

References
----------
ISO 9613-2:1996. Acoustics — Attenuation of sound during propagation outdoors — Part 2: General
method of calculation. Clause 7.1 geometrical divergence, clause 7.2 and Table 2
atmospheric absorption.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from scipy.optimize import brentq

from siting.errors import SitingError

#: Longest contour distance searched. [m]
MAX_DISTANCE_M = 100_000.0


def level_at_distance_dba(
    sound_power_dba: ArrayLike, distance_m: ArrayLike, *, absorption_db_per_km: float
) -> np.ndarray:
    """A-weighted sound pressure level at a distance from a source on the ground. [dBA]

    Parameters
    ----------
    sound_power_dba : array_like
        A-weighted sound power level of the source. [dBA re 1 pW]
    distance_m : array_like
        Distance from the source, > 0. [m]
    absorption_db_per_km : float
        Atmospheric absorption coefficient. [dB/km]

    Returns
    -------
    numpy.ndarray
        Sound pressure level. [dBA re 20 µPa]

    Examples
    --------
    110 dBA at 300 m with 1.9 dB/km: 110 − 10·log10(2π·300²) − 0.57 = 51.9 dBA.

    >>> round(float(level_at_distance_dba(110.0, 300.0, absorption_db_per_km=1.9)), 1)
    51.9
    """
    r = np.asarray(distance_m, dtype=float)
    lw = np.asarray(sound_power_dba, dtype=float)
    return lw - 10.0 * np.log10(2.0 * np.pi * r**2) - absorption_db_per_km * r / 1000.0


def distance_to_level_m(
    sound_power_dba: float, limit_dba: float, *, absorption_db_per_km: float
) -> float:
    """Distance at which the level of a source falls to ``limit_dba``. [m]

    The level falls monotonically with distance, so the root is unique; 0 where the source is
    below the limit 1 m from it.

    Parameters
    ----------
    sound_power_dba : float
        A-weighted sound power level. [dBA re 1 pW]
    limit_dba : float
        Level of the contour. [dBA]
    absorption_db_per_km : float
        Atmospheric absorption coefficient. [dB/km]

    Returns
    -------
    float
        Distance of the contour from the source. [m]

    Raises
    ------
    SitingError
        The contour lies beyond :data:`MAX_DISTANCE_M`.
    """
    if not np.isfinite(sound_power_dba):
        return float("nan")

    def excess(r: float) -> float:
        lp = level_at_distance_dba(sound_power_dba, r, absorption_db_per_km=absorption_db_per_km)
        return float(lp) - limit_dba

    if excess(1.0) <= 0.0:
        return 0.0
    if excess(MAX_DISTANCE_M) > 0.0:
        raise SitingError(
            f"a {sound_power_dba:.1f} dBA source stays above {limit_dba:.1f} dBA beyond "
            f"{MAX_DISTANCE_M / 1000:.0f} km; check the source levels"
        )
    return float(brentq(excess, 1.0, MAX_DISTANCE_M, xtol=1e-6))


def plant_sound_power_dba(unit_sound_power_dba: ArrayLike, units: ArrayLike) -> np.ndarray:
    """Sound power of ``units`` equal, incoherent sources: ``Lw1 + 10·log10(n)``. [dBA]

    Parameters
    ----------
    unit_sound_power_dba : array_like
        Sound power of one unit (or of one MW of plant). [dBA re 1 pW]
    units : array_like
        Number of units (or MW), > 0. [-]

    Examples
    --------
    >>> round(float(plant_sound_power_dba(95.0, 1000.0)), 1)
    125.0
    """
    n = np.asarray(units, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        lw = np.asarray(unit_sound_power_dba, dtype=float) + 10.0 * np.log10(n)
    return np.where(n > 0, lw, np.nan)
