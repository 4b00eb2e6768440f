"""Hourly typical years: one value type for every weather-file format, in our names and units.

:class:`HourlyWeather` holds 8,760 hourly rows of :data:`HOURLY_COLUMNS` (``dry_bulb_degc``,
``dew_point_degc``, ``rh_pct``, ``pressure_kpa``, ``wet_bulb_degc``) and the :class:`Station`
the year comes from. The format readers (:mod:`siting.sources.epw`, :mod:`siting.sources.tmy3`)
rename their provider's columns and finish with :func:`finish_year`, which blanks missing-value
codes, fills short gaps and derives the humidity measures the models use.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from siting.errors import DataError, DataFileNotFound
from siting.psychrometrics import (
    dew_point_from_rh_degc,
    pressure_from_elevation_kpa,
    rh_from_dew_point,
    wet_bulb_degc,
)

HOURS_PER_YEAR = 8760
DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
#: Month (1–12) of each hour of a 365-day typical year.
MONTH_OF_HOUR = np.repeat(np.arange(1, 13), np.array(DAYS_IN_MONTH) * 24)
#: Meteorological season of each month: 0 winter (DJF), 1 spring, 2 summer, 3 fall.
SEASON_OF_MONTH = np.array([0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 0])
SEASONS = ("Winter", "Spring", "Summer", "Fall")

#: Hourly variables of every weather year, in our names and units.
HOURLY_COLUMNS = ("dry_bulb_degc", "dew_point_degc", "rh_pct", "pressure_kpa", "wet_bulb_degc")

#: Plausible ranges; values outside are the formats' missing-value codes (EPW 99.9, 999, 999999).
VALID_RANGES = {
    "dry_bulb_degc": (-70.0, 70.0),
    "dew_point_degc": (-90.0, 70.0),
    "rh_pct": (0.0, 100.0),
    "pressure_kpa": (30.0, 110.0),
}
#: What pvlib's weather-file parsers raise on a malformed file: bad numbers or dates
#: (ValueError, TypeError where text meets arithmetic), short lines (IndexError, KeyError),
#: broken CSV and text that is not UTF-8.
PARSE_ERRORS = (
    ValueError,
    TypeError,
    OverflowError,  # a header number too large for its field, e.g. a time zone of 1e30 hours
    IndexError,
    KeyError,
    pd.errors.ParserError,
    pd.errors.EmptyDataError,
    UnicodeDecodeError,
)
#: Longest run of missing hours filled by linear interpolation. [h]
MAX_GAP_HOURS = 6


@dataclass(frozen=True, kw_only=True)
class DesignConditions:
    """ASHRAE cooling design conditions from an EPW header (annual 0.4 % values). [°C]

    ``dry_bulb_04_degc`` is exceeded 0.4 % of the year (35 h), with its mean coincident wet
    bulb; ``wet_bulb_04_degc`` likewise, with its mean coincident dry bulb.
    """

    source: str
    dry_bulb_04_degc: float
    coincident_wet_bulb_04_degc: float
    wet_bulb_04_degc: float
    coincident_dry_bulb_04_degc: float


@dataclass(frozen=True, kw_only=True)
class Station:
    """Where an hourly year comes from: the station and its file (``kind`` EPW or TMY3)."""

    name: str
    station_id: str
    latitude_deg: float
    longitude_deg: float
    elevation_m: float
    kind: str
    path: str
    design: DesignConditions | None = None


@dataclass(frozen=True, kw_only=True)
class HourlyWeather:
    """One typical year: 8,760 hourly rows of :data:`HOURLY_COLUMNS` and ``month``."""

    station: Station
    hourly: pd.DataFrame


def first_line(path: Path) -> str:
    try:
        with path.open(encoding="utf-8", errors="replace") as f:
            return f.readline().strip()
    except FileNotFoundError:
        raise DataFileNotFound(f"{path}: weather file not found") from None
    except IsADirectoryError:
        raise DataError(f"{path}: is a folder, not a weather file") from None


def finish_year(frame: pd.DataFrame, station: Station, path: Path) -> pd.DataFrame:
    """Check length, blank out missing codes, fill short gaps, derive humidity and wet bulb."""
    if len(frame) != HOURS_PER_YEAR:
        raise DataError(
            f"{path}: {len(frame)} hourly records, expected {HOURS_PER_YEAR} (one typical year)"
        )
    out = pd.DataFrame({"month": MONTH_OF_HOUR})
    for name, (low, high) in VALID_RANGES.items():
        values = pd.to_numeric(frame[name], errors="coerce")
        out[name] = values.where(values.between(low, high))
    out["pressure_kpa"] = out["pressure_kpa"].fillna(
        float(pressure_from_elevation_kpa(station.elevation_m))
    )
    out["dew_point_degc"] = out["dew_point_degc"].fillna(
        pd.Series(dew_point_from_rh_degc(out["dry_bulb_degc"], out["rh_pct"].clip(lower=1.0)))
    )
    filled = out.interpolate(limit=MAX_GAP_HOURS, limit_direction="both")
    left = filled[list(VALID_RANGES)].isna().sum()
    if left.any():
        raise DataError(
            f"{path}: missing values remain after filling gaps of up to {MAX_GAP_HOURS} h: "
            f"{left[left > 0].to_dict()}"
        )
    filled["dew_point_degc"] = np.minimum(filled["dew_point_degc"], filled["dry_bulb_degc"])
    # RH from the dew point: the two disagree in some EPW hours, and the dew point is the
    # quantity TMY3 carries through its gap filling.
    filled["rh_pct"] = rh_from_dew_point(filled["dry_bulb_degc"], filled["dew_point_degc"])
    filled["wet_bulb_degc"] = wet_bulb_degc(
        filled["dry_bulb_degc"], filled["rh_pct"], filled["pressure_kpa"]
    )
    return filled[["month", *HOURLY_COLUMNS]]
