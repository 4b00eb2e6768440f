"""Any hourly weather file: EPW or NREL TMY3, recognised by its first line."""

from __future__ import annotations

from pathlib import Path

from siting.errors import DataError
from siting.sources.epw import read_epw
from siting.sources.hourly_weather import HourlyWeather, first_line
from siting.sources.tmy3 import read_tmy3

#: File name endings of the hourly weather files a folder of stations may hold.
SUFFIXES = (".epw", ".tmy3")


def read_weather(path: str | Path) -> HourlyWeather:
    """Read an EPW or TMY3 hourly file, recognised by its first line.

    Raises
    ------
    DataFileNotFound
        The file does not exist.
    DataError
        The file is neither format, or is corrupt, or misses too many hours.
    """
    path = Path(path)
    first = first_line(path)
    if first.upper().startswith("LOCATION,"):
        return read_epw(path)
    if len(first.split(",")) == 7 and first.split(",")[0].strip().isdigit():
        return read_tmy3(path)
    raise DataError(
        f"{path}: not an EPW file (first line 'LOCATION,...') nor an NREL TMY3 file (first line "
        f"'<station id>,<name>,<state>,<tz>,<lat>,<lon>,<elevation>'); got {first[:60]!r}"
    )
