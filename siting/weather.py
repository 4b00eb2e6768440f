"""Weather: hourly typical years and gridded climatologies, in our column names and units.

One reader per provider format, each renaming the provider's columns through a ``*_MAP``:

- EPW (EnergyPlus) and NREL TMY3 hourly files, parsed by ``pvlib.iotools``, returned as a
  :class:`HourlyWeather` (8,760 rows of ``dry_bulb_degc``, ``dew_point_degc``, ``rh_pct``,
  ``pressure_kpa``, ``wet_bulb_degc``) with its :class:`Station` metadata, including the ASHRAE
  design conditions an EPW header carries;
- ERA5-style NetCDF (``t2m``, ``d2m``, ``sp``) through xarray;
- the PVCZ-2019 0.25° climatology (annual mean temperature and specific humidity).

Where a place has no hourly file, :func:`shift_to_climatology` derives an hourly year from the
nearest real station, shifted by the difference of the gridded climatology between the place
and the station (the "delta" method). :func:`warm` applies a seasonal warming trend the same
way. Hourly years for many places are ``xarray.Dataset`` objects with dims ``(site, hour)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr
from numpy.typing import ArrayLike
from scipy.interpolate import LinearNDInterpolator, NearestNDInterpolator

from siting.errors import DataError, DataFileNotFound
from siting.psychrometrics import (
    dew_point_from_rh_degc,
    dew_point_from_specific_humidity_degc,
    pressure_from_elevation_kpa,
    rh_from_dew_point,
    specific_humidity_from_dew_point_g_per_kg,
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

#: pvlib's names for EPW columns → ours; pressure is converted from Pa.
EPW_MAP = {
    "temp_air": "dry_bulb_degc",
    "temp_dew": "dew_point_degc",
    "relative_humidity": "rh_pct",
    "atmospheric_pressure": "pressure_pa",
}
#: pvlib's names for TMY3 columns (``map_variables=True``) → ours; pressure is in mbar.
TMY3_MAP = {
    "temp_air": "dry_bulb_degc",
    "temp_dew": "dew_point_degc",
    "relative_humidity": "rh_pct",
    "pressure": "pressure_mbar",
}
#: ERA5 short names → ours, with the conversion applied to the raw units (K, Pa).
ERA5_MAP = {"t2m": "dry_bulb_degc", "d2m": "dew_point_degc", "sp": "pressure_kpa"}
#: PVCZ-2019 columns → ours.
PVCZ_MAP = {
    "lon": "lon_deg",
    "lat": "lat_deg",
    "T_ambient_mean": "temp_mean_degc",
    "specific_humidity_mean": "specific_humidity_mean_g_per_kg",
}
PVCZ_STEP_DEG = 0.25

#: Plausible ranges; values outside are the formats' missing-value codes (EPW 99.9, 999, 999999).
_VALID = {
    "dry_bulb_degc": (-70.0, 70.0),
    "dew_point_degc": (-90.0, 70.0),
    "rh_pct": (0.0, 100.0),
    "pressure_kpa": (30.0, 110.0),
}
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
    first = _first_line(path)
    if first.upper().startswith("LOCATION,"):
        return read_epw(path)
    if len(first.split(",")) == 7 and first.split(",")[0].strip().isdigit():
        return read_tmy3(path)
    raise DataError(
        f"{path}: not an EPW file (first line 'LOCATION,...') nor an NREL TMY3 file (first line "
        f"'<station id>,<name>,<state>,<tz>,<lat>,<lon>,<elevation>'); got {first[:60]!r}"
    )


def read_epw(path: str | Path) -> HourlyWeather:
    """Read an EnergyPlus weather (EPW) file, with the ASHRAE design conditions of its header.

    References
    ----------
    U.S. DOE (2022). EnergyPlus Auxiliary Programs, "Weather Converter Program" (EPW format).
    Parsing by pvlib: Anderson, K. S. et al. (2023). pvlib python: 2023 project update. JOSS
    8(92), 5994. doi:10.21105/joss.05994
    """
    from pvlib.iotools import read_epw as pvlib_read_epw

    path = Path(path)
    try:
        raw, meta = pvlib_read_epw(path)
    except (ValueError, IndexError, KeyError, pd.errors.ParserError, UnicodeDecodeError) as err:
        raise DataError(f"{path}: cannot parse as EPW ({err})") from None
    if len(raw) == HOURS_PER_YEAR + 24:  # leap year: drop 29 February
        raw = raw[~((raw["month"] == 2) & (raw["day"] == 29))]
    frame = raw.rename(columns=EPW_MAP).reset_index(drop=True)
    frame["pressure_kpa"] = frame.pop("pressure_pa") / 1000.0
    station = Station(
        name=str(meta["city"]),
        station_id=str(meta["WMO_code"]),
        latitude_deg=float(meta["latitude"]),
        longitude_deg=float(meta["longitude"]),
        elevation_m=float(meta["altitude"]),
        kind="EPW",
        path=str(path),
        design=_epw_design_conditions(path),
    )
    return HourlyWeather(station=station, hourly=_finish(frame, station, path))


def read_tmy3(path: str | Path) -> HourlyWeather:
    """Read an NREL TMY3 CSV file.

    References
    ----------
    Wilcox, S., Marion, W. (2008). Users Manual for TMY3 Data Sets. NREL/TP-581-43156.
    """
    from pvlib.iotools import read_tmy3 as pvlib_read_tmy3

    path = Path(path)
    try:
        raw, meta = pvlib_read_tmy3(path, map_variables=True)
    except (ValueError, IndexError, KeyError, pd.errors.ParserError, UnicodeDecodeError) as err:
        raise DataError(f"{path}: cannot parse as TMY3 ({err})") from None
    frame = raw.rename(columns=TMY3_MAP).reset_index(drop=True)
    frame["pressure_kpa"] = frame.pop("pressure_mbar") / 10.0
    station = Station(
        name=str(meta["Name"]).strip('"'),
        station_id=str(meta["USAF"]),
        latitude_deg=float(meta["latitude"]),
        longitude_deg=float(meta["longitude"]),
        elevation_m=float(meta["altitude"]),
        kind="TMY3",
        path=str(path),
    )
    return HourlyWeather(station=station, hourly=_finish(frame, station, path))


def _first_line(path: Path) -> str:
    try:
        with path.open(encoding="utf-8", errors="replace") as f:
            return f.readline().strip()
    except FileNotFoundError:
        raise DataFileNotFound(f"{path}: weather file not found") from None
    except IsADirectoryError:
        raise DataError(f"{path}: is a folder, not a weather file") from None


def _finish(frame: pd.DataFrame, station: Station, path: Path) -> pd.DataFrame:
    """Check length, blank out missing codes, fill short gaps, derive humidity and wet bulb."""
    if len(frame) != HOURS_PER_YEAR:
        raise DataError(
            f"{path}: {len(frame)} hourly records, expected {HOURS_PER_YEAR} (one typical year)"
        )
    out = pd.DataFrame({"month": MONTH_OF_HOUR})
    for name, (low, high) in _VALID.items():
        values = pd.to_numeric(frame[name], errors="coerce")
        out[name] = values.where(values.between(low, high))
    out["pressure_kpa"] = out["pressure_kpa"].fillna(
        float(pressure_from_elevation_kpa(station.elevation_m))
    )
    out["dew_point_degc"] = out["dew_point_degc"].fillna(
        pd.Series(dew_point_from_rh_degc(out["dry_bulb_degc"], out["rh_pct"].clip(lower=1.0)))
    )
    filled = out.interpolate(limit=MAX_GAP_HOURS, limit_direction="both")
    left = filled[list(_VALID)].isna().sum()
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


def _epw_design_conditions(path: Path) -> DesignConditions | None:
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


def read_era5_netcdf(path: str | Path) -> xr.Dataset:
    """Read hourly ERA5-style NetCDF (``t2m``, ``d2m`` [K], ``sp`` [Pa]) into our names and units.

    Returns a Dataset on the file's ``(time, latitude, longitude)`` grid (EPSG:4326) with
    ``dry_bulb_degc``, ``dew_point_degc``, ``pressure_kpa``, ``rh_pct`` and ``wet_bulb_degc``.
    CDS downloads name the time ``valid_time``; it is renamed ``time``. NetCDF-4 files need
    the ``h5netcdf`` or ``netCDF4`` package; NetCDF-3 files are read by scipy.

    References
    ----------
    Hersbach, H. et al. (2020). The ERA5 global reanalysis. Q. J. R. Meteorol. Soc. 146(730),
    1999–2049. doi:10.1002/qj.3803
    """
    path = Path(path)
    if not path.is_file():
        raise DataFileNotFound(f"{path}: NetCDF file not found")
    try:
        raw = xr.open_dataset(path)
    except (ValueError, OSError) as err:
        raise DataError(
            f"{path}: cannot open as NetCDF ({err}); NetCDF-4 files need h5netcdf or netCDF4"
        ) from None
    missing = sorted(set(ERA5_MAP) - set(raw.data_vars))
    if missing:
        raise DataError(
            f"{path}: variable(s) {missing} missing; found {sorted(raw.data_vars)}. "
            "Is this an ERA5 single-levels file with 2 m temperature, 2 m dew point and "
            "surface pressure?"
        )
    raw = raw.rename({"valid_time": "time"}) if "valid_time" in raw.dims else raw
    out = xr.Dataset(
        {
            "dry_bulb_degc": raw["t2m"] - 273.15,
            "dew_point_degc": np.minimum(raw["d2m"], raw["t2m"]) - 273.15,
            "pressure_kpa": raw["sp"] / 1000.0,
        }
    )
    out["rh_pct"] = xr.apply_ufunc(rh_from_dew_point, out["dry_bulb_degc"], out["dew_point_degc"])
    out["wet_bulb_degc"] = xr.apply_ufunc(
        wet_bulb_degc, out["dry_bulb_degc"], out["rh_pct"], out["pressure_kpa"]
    )
    for name, units in (
        ("dry_bulb_degc", "°C"),
        ("dew_point_degc", "°C"),
        ("pressure_kpa", "kPa"),
        ("rh_pct", "%"),
        ("wet_bulb_degc", "°C"),
    ):
        out[name].attrs = {"units": units}
    out.attrs = {"crs": "EPSG:4326", "source": str(path)}
    return out


def read_pvcz_climatology(table: pd.DataFrame, *, what: str) -> pd.DataFrame:
    """The PVCZ-2019 climatology in our names, on exact 0.25° lattice centres.

    Parameters
    ----------
    table : pandas.DataFrame
        PVCZ rows with ``lat``, ``lon``, ``T_ambient_mean`` [°C] and ``specific_humidity_mean``
        [g/kg] (2010–2018 means of NASA GLDAS).
    what : str
        Name of the source, for error messages.

    References
    ----------
    Karin, T., Jones, C. B., Jain, A. (2019). Photovoltaic degradation climate zones.
    IEEE PVSC 46. doi:10.1109/PVSC40753.2019.8980831
    """
    missing = sorted(set(PVCZ_MAP) - set(table.columns))
    if missing:
        raise DataError(f"{what}: column(s) {missing} missing; found {list(table.columns)}")
    out = table[list(PVCZ_MAP)].rename(columns=PVCZ_MAP).astype("float64")
    step = PVCZ_STEP_DEG
    for c in ("lon_deg", "lat_deg"):  # PVCZ prints centres such as −86.375 as −86.4
        out[c] = np.floor(out[c] / step) * step + step / 2
    return out.dropna().reset_index(drop=True)


def climatology_at(
    climatology: pd.DataFrame, lon_deg: ArrayLike, lat_deg: ArrayLike
) -> dict[str, np.ndarray]:
    """Climatology interpolated linearly at points (nearest lattice value outside its hull).

    Returns ``temp_mean_degc`` and ``specific_humidity_mean_g_per_kg`` arrays, one per point.
    """
    names = ["temp_mean_degc", "specific_humidity_mean_g_per_kg"]
    nodes = climatology[["lon_deg", "lat_deg"]].to_numpy()
    values = climatology[names].to_numpy()
    xi = np.column_stack([np.atleast_1d(lon_deg), np.atleast_1d(lat_deg)]).astype(np.float64)
    out = LinearNDInterpolator(nodes, values)(xi)
    outside = ~np.isfinite(out).all(axis=1)
    if outside.any():
        out[outside] = NearestNDInterpolator(nodes, values)(xi[outside])
    return {name: out[:, i] for i, name in enumerate(names)}


def great_circle_km(lon1: ArrayLike, lat1: ArrayLike, lon2: ArrayLike, lat2: ArrayLike):
    """Haversine distance on a sphere of radius 6,371 km. [km]

    >>> round(float(great_circle_km(-86.27, 39.72, -87.917, 41.983)), 0)
    287.0
    """
    lon1, lat1, lon2, lat2 = (
        np.radians(np.asarray(v, dtype=np.float64)) for v in (lon1, lat1, lon2, lat2)
    )
    a = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return 2.0 * 6371.0 * np.arcsin(np.sqrt(a))


def nearest_station(
    stations: list[HourlyWeather], lon_deg: ArrayLike, lat_deg: ArrayLike
) -> tuple[np.ndarray, np.ndarray]:
    """Index of the nearest station to each point, and its distance. [-], [km]"""
    lon = np.atleast_1d(np.asarray(lon_deg, dtype=np.float64))
    lat = np.atleast_1d(np.asarray(lat_deg, dtype=np.float64))
    dist = np.stack(
        [
            great_circle_km(lon, lat, s.station.longitude_deg, s.station.latitude_deg)
            for s in stations
        ]
    )
    index = dist.argmin(axis=0)
    return index, dist[index, np.arange(lon.size)]


def hourly_dataset(weather: HourlyWeather) -> xr.Dataset:
    """A station's year as a Dataset with dims ``(site, hour)`` and one site."""
    data = {
        name: (("site", "hour"), weather.hourly[name].to_numpy(dtype=np.float64)[None, :])
        for name in HOURLY_COLUMNS
    }
    return xr.Dataset(data, coords={"month": ("hour", MONTH_OF_HOUR)})


def shift_to_climatology(
    weather: HourlyWeather,
    *,
    delta_temp_degc: ArrayLike,
    delta_specific_humidity_g_per_kg: ArrayLike,
) -> xr.Dataset:
    """Hourly years for places without a station: the station's year, shifted (delta method).

    For each place, every hour's dry bulb is shifted by ``delta_temp_degc`` and its specific
    humidity by ``delta_specific_humidity_g_per_kg`` (kept between 0.1 g/kg and saturation);
    dew point, RH and wet bulb follow at the station's pressure. The deltas are the differences
    of a gridded climatology between each place and the station's own location, so the
    station's weather sequence, diurnal and seasonal cycle are kept and only the mean climate
    moves.

    Parameters
    ----------
    weather : HourlyWeather
        The real station's year.
    delta_temp_degc, delta_specific_humidity_g_per_kg : array_like
        One value per place. [°C], [g/kg]

    Returns
    -------
    xarray.Dataset
        :data:`HOURLY_COLUMNS` with dims ``(site, hour)``.

    References
    ----------
    Belcher, S. E., Hacker, J. N., Powell, D. S. (2005). Constructing design weather data for
    future climates. Building Serv. Eng. Res. Technol. 26(1), 49–61 ("shifting" morphing).
    doi:10.1191/0143624405bt112oa
    """
    dt = np.atleast_1d(np.asarray(delta_temp_degc, dtype=np.float64))[:, None]
    dq = np.atleast_1d(np.asarray(delta_specific_humidity_g_per_kg, dtype=np.float64))[:, None]
    hourly = weather.hourly
    p = hourly["pressure_kpa"].to_numpy()[None, :]
    temp = hourly["dry_bulb_degc"].to_numpy()[None, :] + dt
    q = specific_humidity_from_dew_point_g_per_kg(hourly["dew_point_degc"].to_numpy(), p) + dq
    q = np.clip(q, 0.1, specific_humidity_from_dew_point_g_per_kg(temp, p))
    dew = dew_point_from_specific_humidity_degc(q, p)
    return _dataset(temp, dew, np.broadcast_to(p, temp.shape))


def warm(hours: xr.Dataset, seasonal_shift_degc: ArrayLike) -> xr.Dataset:
    """The same hours under a warmer climate: dry bulb shifted by season, RH held constant.

    Parameters
    ----------
    hours : xarray.Dataset
        Hourly years with dims ``(site, hour)`` and coordinate ``month``.
    seasonal_shift_degc : array_like
        Shape ``(site, 4)``: winter (DJF), spring, summer, fall temperature change. [°C]

    Returns
    -------
    xarray.Dataset
        The shifted hours; dew point and wet bulb rise with the temperature at constant RH
        (a common assumption for moderate warming, about 7 % more water vapour per kelvin).

    References
    ----------
    Belcher, Hacker & Powell (2005), doi:10.1191/0143624405bt112oa; Held, I. M., Soden, B. J.
    (2006). Robust responses of the hydrological cycle to global warming. J. Climate 19(21),
    5686–5699. doi:10.1175/JCLI3990.1
    """
    shift = np.asarray(seasonal_shift_degc, dtype=np.float64)
    season = SEASON_OF_MONTH[hours["month"].to_numpy() - 1]
    temp = hours["dry_bulb_degc"].to_numpy() + shift[:, season]
    rh = hours["rh_pct"].to_numpy()
    dew = dew_point_from_rh_degc(temp, np.maximum(rh, 0.1))
    return _dataset(temp, dew, hours["pressure_kpa"].to_numpy(), rh=rh)


def _dataset(
    temp: np.ndarray, dew: np.ndarray, pressure: np.ndarray, *, rh: np.ndarray | None = None
) -> xr.Dataset:
    rh = rh_from_dew_point(temp, dew) if rh is None else rh
    dims = ("site", "hour")
    return xr.Dataset(
        {
            "dry_bulb_degc": (dims, temp),
            "dew_point_degc": (dims, dew),
            "rh_pct": (dims, np.broadcast_to(rh, temp.shape)),
            "pressure_kpa": (dims, np.broadcast_to(pressure, temp.shape)),
            "wet_bulb_degc": (dims, wet_bulb_degc(temp, rh, pressure)),
        },
        coords={"month": ("hour", MONTH_OF_HOUR)},
    )
