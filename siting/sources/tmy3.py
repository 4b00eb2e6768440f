"""NREL TMY3 hourly typical-year files (CSV with a station header line).

References
----------
Wilcox, S., Marion, W. (2008). Users Manual for TMY3 Data Sets. NREL/TP-581-43156.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from siting.errors import DataError
from siting.sources.files import one_line, require_columns
from siting.sources.hourly_weather import PARSE_ERRORS, HourlyWeather, Station, finish_year

#: pvlib's names for TMY3 columns (``map_variables=True``) → ours; pressure is in mbar.
COLUMNS = {
    "temp_air": "dry_bulb_degc",
    "temp_dew": "dew_point_degc",
    "relative_humidity": "rh_pct",
    "pressure": "pressure_mbar",
}
HINT = "Is this an NREL TMY3 file (columns 'Dry-bulb (C)', 'Dew-point (C)', 'RHum (%)', ...)?"


def read_tmy3(path: str | Path) -> HourlyWeather:
    """Read an NREL TMY3 CSV file.

    References
    ----------
    Wilcox, S., Marion, W. (2008). Users Manual for TMY3 Data Sets. NREL/TP-581-43156.
    """
    from pvlib.iotools import read_tmy3 as pvlib_read_tmy3  # pvlib takes 0.4 s to import

    path = Path(path)
    try:
        raw, meta = pvlib_read_tmy3(path, map_variables=True)
    except PARSE_ERRORS as err:
        raise DataError(
            f"{path}: cannot parse as TMY3 ({one_line(err)}); check that the file is a complete "
            "NREL TMY3 CSV"
        ) from None
    frame = raw.rename(columns=COLUMNS).reset_index(drop=True)
    require_columns(frame, COLUMNS.values(), what=str(path), hint=HINT)
    # text where a number belongs is unknown (NaN), as in finish_year
    frame["pressure_kpa"] = pd.to_numeric(frame.pop("pressure_mbar"), errors="coerce") / 10.0
    station = Station(
        name=str(meta["Name"]).strip('"'),
        station_id=str(meta["USAF"]),
        latitude_deg=float(meta["latitude"]),
        longitude_deg=float(meta["longitude"]),
        elevation_m=float(meta["altitude"]),
        kind="TMY3",
        path=str(path),
    )
    return HourlyWeather(station=station, hourly=finish_year(frame, station, path))
