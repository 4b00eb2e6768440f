"""Transmission lines as a path for a large load: loadability, circuits and voltage classes.

Per line, the thermal rating of its voltage class, or above 300 kV surge impedance loading ×
the St Clair multiplier for its length if lower; firm loadability leaves the largest line out
(N−1). Loadability is what the lines can carry, not their spare capacity: public data do not
reveal headroom (docs/methods.md §4.1–4.2).

References
----------
Dunlop, R. D., Gutman, R., Marchenko, P. P. (1979). Analytical development of loadability
characteristics for EHV and UHV transmission lines. IEEE Trans. PAS-98(2), 606–617 (St Clair
curve); thermal ratings and SIL by class after EPRI and Glover, Sarma & Overbye, Table 5.1.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import numpy as np
from numpy.typing import ArrayLike

from siting.models.network import VOLTAGE_CLASSES_KV

KM_PER_MILE = 1.609344

# --- line loadability, docs/methods.md §4.2 ----------------------------------------------------
#: Thermal rating of one circuit by voltage class [MVA], taken as MW (unity power factor).
THERMAL_RATING_MVA = MappingProxyType(
    {
        69: 130.0,
        115: 200.0,
        138: 250.0,
        161: 300.0,
        230: 450.0,
        345: 900.0,
        500: 1800.0,
        765: 3200.0,
    }
)
#: Surge impedance loading by voltage class [MW] (138/230 kV derived from V²/Z_c).
SIL_MW = MappingProxyType({138: 50.0, 230: 140.0, 345: 420.0, 500: 1000.0, 765: 2280.0})
#: St Clair curve: loadability as a multiple of SIL against line length [mi].
ST_CLAIR_MILES = (50.0, 100.0, 150.0, 200.0, 250.0, 300.0, 350.0, 400.0, 500.0, 600.0)
ST_CLAIR_MULTIPLIER = (3.0, 2.0, 1.6, 1.35, 1.2, 1.05, 0.95, 0.85, 0.72, 0.62)
#: Above this voltage stability (SIL × St Clair) may limit a line; at or below, only heat [kV].
EHV_KV = 300.0


def st_clair_multiplier(length_mi: ArrayLike) -> np.ndarray:
    """Loadability of a line as a multiple of its SIL, from its length (St Clair curve).

    Linear between the tabulated lengths, flat beyond the ends (3.0 below 50 mi).

    Parameters
    ----------
    length_mi : array_like
        Line length. [mi]

    Returns
    -------
    numpy.ndarray
        Multiplier of the surge impedance loading. [-]

    References
    ----------
    Dunlop, Gutman & Marchenko (1979), IEEE Trans. PAS-98(2), 606–617, as tabulated in
    docs/methods.md §4.2.

    Examples
    --------
    >>> st_clair_multiplier([30.0, 75.0, 300.0]).tolist()
    [3.0, 2.5, 1.05]
    """
    return np.interp(np.asarray(length_mi, dtype=float), ST_CLAIR_MILES, ST_CLAIR_MULTIPLIER)


def class_value(kv: np.ndarray, table: Mapping[int, float]) -> np.ndarray:
    """The table's value for the highest tabulated voltage class at or below each ``kv``."""
    levels = np.array(sorted(table), dtype=float)
    values = np.array([table[k] for k in sorted(table)], dtype=float)
    idx = np.searchsorted(levels, kv, side="right") - 1
    known = np.isfinite(kv) & (idx >= 0)
    return np.where(known, values[np.clip(idx, 0, None)], np.nan)


def loadability_mw(
    kv: ArrayLike, length_mi: ArrayLike, ratings: Mapping[int, float] = THERMAL_RATING_MVA
) -> np.ndarray:
    """How much one circuit can carry: thermal rating, or SIL × St Clair if lower (above 300 kV).

    A voltage between classes takes the class at or below it; below 69 kV or unknown is NaN.

    Parameters
    ----------
    kv : array_like
        Line voltage, line to line. [kV]
    length_mi : array_like
        Line length. [mi]
    ratings : Mapping
        Thermal rating of one circuit by voltage class [MVA]; default the single-circuit class
        table :data:`THERMAL_RATING_MVA` (the spec's ``line_ratings_mva`` gives a low and a high
        rating per class, docs/methods.md §4.2).

    Returns
    -------
    numpy.ndarray
        Loadability, MVA taken as MW (unity power factor, an assumption). [MW]

    References
    ----------
    docs/methods.md §4.1–4.2: Dunlop et al. (1979); thermal ratings and SIL from a public estimator
    citing EPRI and Glover, Sarma & Overbye, Table 5.1 [S].

    Examples
    --------
    >>> loadability_mw([345.0, 345.0, 765.0, 230.0], [30.0, 200.0, 300.0, 200.0]).tolist()
    [900.0, 567.0, 2394.0, 450.0]

    A bundled 345 kV circuit rated 1,800 MVA is limited by stability on a 60-mile line
    (420 MW × 2.8):

    >>> loadability_mw([345.0], [60.0], {345: 1800.0}).round(1).tolist()
    [1176.0]
    """
    kv = np.asarray(kv, dtype=float)
    thermal = class_value(kv, ratings)
    sil = class_value(kv, SIL_MW)
    stability = sil * st_clair_multiplier(length_mi)
    ehv = np.isfinite(kv) & (kv > EHV_KV)
    return np.where(ehv, np.fmin(thermal, stability), thermal)


def firm_loadability_mw(total_mw: ArrayLike, largest_mw: ArrayLike, n_required: int) -> np.ndarray:
    """Loadability left with the largest line out (N−1) when the spec asks for two or more lines.

    >>> firm_loadability_mw([2700.0, 900.0], [900.0, 900.0], 2).tolist()
    [1800.0, 0.0]
    >>> firm_loadability_mw([900.0], [900.0], 1).tolist()
    [900.0]
    """
    total = np.asarray(total_mw, dtype=float)
    return total - np.asarray(largest_mw, dtype=float) if n_required >= 2 else total


def tie_circuits(peak_mw: ArrayLike, circuit_mw: ArrayLike, n_required: int) -> np.ndarray:
    """Circuits from the site to the grid: enough to carry the peak, N−1 secure, at least N.

    With ``n_required`` ≥ 2 the peak must be carried with any one circuit out of service.

    Parameters
    ----------
    peak_mw : array_like
        Site peak demand. [MW]
    circuit_mw : array_like
        Loadability of one circuit. [MW]
    n_required : int
        Independent lines the spec asks for. [-]

    Returns
    -------
    numpy.ndarray
        Number of circuits (float, NaN where unknown). [-]

    Examples
    --------
    >>> tie_circuits([1300.0, 1300.0, 500.0], [900.0, 3200.0, 900.0], 2).tolist()
    [3.0, 2.0, 2.0]
    """
    peak = np.asarray(peak_mw, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        needed = np.ceil(peak / np.asarray(circuit_mw, dtype=float))
    if n_required >= 2:
        needed = needed + 1.0
    return np.where(np.isfinite(needed), np.maximum(needed, n_required), np.nan)


def route_miles(distance_km: ArrayLike, route_factor: float) -> np.ndarray:
    """Route length of a new line from its straight-line length. [mi]

    >>> route_miles([10.0], 1.3).round(4).tolist()
    [8.0778]
    """
    return np.asarray(distance_km, dtype=float) * route_factor / KM_PER_MILE


def voltage_class_kv(kv: ArrayLike) -> np.ndarray:
    """Lower bound of the HIFLD voltage class of ``kv`` (100, 220, 345, 500 or 735 kV). [kV]

    Below 100 kV the class is 0; unknown is NaN.

    >>> voltage_class_kv([138.0, 230.0, 345.0, 765.0, np.nan]).tolist()
    [100.0, 220.0, 345.0, 735.0, nan]
    """
    kv = np.asarray(kv, dtype=float)
    bounds = np.array((0.0, *VOLTAGE_CLASSES_KV))
    return np.where(np.isfinite(kv), bounds[np.searchsorted(bounds, kv, side="right") - 1], np.nan)
