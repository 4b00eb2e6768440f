"""EnergyPlus weather (EPW) files: an hourly typical year and the ASHRAE design conditions.

References
----------
U.S. DOE (2022). EnergyPlus Auxiliary Programs, "Weather Converter Program" (EPW format).
Parsing by pvlib: Anderson, K. S. et al. (2023). pvlib python: 2023 project update. JOSS
8(92), 5994. doi:10.21105/joss.05994
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from siting.errors import DataError
from siting.sources.files import one_line
from siting.sources.hourly_weather import (
    HOURS_PER_YEAR,
    PARSE_ERRORS,
    DesignConditions,
    HourlyWeather,
    Station,
    finish_year,
)

#: pvlib's names for EPW columns → ours; pressure is converted from Pa.
COLUMNS = {
    "temp_air": "dry_bulb_degc",
    "temp_dew": "dew_point_degc",
    "relative_humidity": "rh_pct",
    "atmospheric_pressure": "pressure_pa",
}


def read_epw(path: str | Path) -> HourlyWeather:
    """Read an EnergyPlus weather (EPW) file, with the ASHRAE design conditions of its header.

    References
    ----------
    U.S. DOE (2022). EnergyPlus Auxiliary Programs, "Weather Converter Program" (EPW format).
    Parsing by pvlib: Anderson, K. S. et al. (2023). pvlib python: 2023 project update. JOSS
    8(92), 5994. doi:10.21105/joss.05994
    """
    from pvlib.iotools import read_epw as pvlib_read_epw  # pvlib takes 0.4 s to import

    path = Path(path)
    try:
        raw, meta = pvlib_read_epw(path)
    except PARSE_ERRORS as err:
        raise DataError(
            f"{path}: cannot parse as EPW ({one_line(err)}); check that the file is a complete "
            "EnergyPlus weather file"
        ) from None
    if len(raw) == HOURS_PER_YEAR + 24:  # leap year: drop 29 February
        raw = raw[~((raw["month"] == 2) & (raw["day"] == 29))]
    frame = raw.rename(columns=COLUMNS).reset_index(drop=True)
    # text where a number belongs is unknown (NaN), as in finish_year
    frame["pressure_kpa"] = pd.to_numeric(frame.pop("pressure_pa"), errors="coerce") / 1000.0
    station = Station(
        name=str(meta["city"]),
        station_id=str(meta["WMO_code"]),
        latitude_deg=float(meta["latitude"]),
        longitude_deg=float(meta["longitude"]),
        elevation_m=float(meta["altitude"]),
        kind="EPW",
        path=str(path),
        design=design_conditions(path),
    )
    return HourlyWeather(station=station, hourly=finish_year(frame, station, path))


def design_conditions(path: Path) -> DesignConditions | None:
    """The annual cooling 0.4 % design values of the EPW ``DESIGN CONDITIONS`` header line."""
    with path.open(encoding="utf-8", errors="replace") as f:
        lines = [f.readline() for _ in range(8)]
    fields = next((ln.strip().split(",") for ln in lines if ln.startswith("DESIGN CONDITIONS")), [])
    if "Cooling" not in fields:
        return None
    i = fields.index("Cooling")
    try:
        db, mcwb = float(fields[i + 3]), float(fields[i + 4])
        wb, mcdb = float(fields[i + 9]), float(fields[i + 10])
    except (IndexError, ValueError):
        return None
    return DesignConditions(
        source=fields[2] if len(fields) > 2 else "",
        dry_bulb_04_degc=db,
        coincident_wet_bulb_04_degc=mcwb,
        wet_bulb_04_degc=wb,
        coincident_dry_bulb_04_degc=mcdb,
    )
