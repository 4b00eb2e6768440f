"""Hourly years for places without a station, and under a warmer climate (pure functions).

:func:`shift_to_climatology` derives an hourly year from the nearest real station, shifted by
the difference of a gridded climatology between the place and the station (the "delta"
method); :func:`warm` applies a seasonal warming trend the same way. Hourly years for many
places are ``xarray.Dataset`` objects with dims ``(site, hour)``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import xarray as xr
from numpy.typing import ArrayLike

from siting.psychrometrics import (
    dew_point_from_rh_degc,
    dew_point_from_specific_humidity_degc,
    rh_from_dew_point,
    specific_humidity_from_dew_point_g_per_kg,
    wet_bulb_degc,
)
from siting.sources.hourly_weather import (
    HOURLY_COLUMNS,
    MONTH_OF_HOUR,
    SEASON_OF_MONTH,
    HourlyWeather,
)

#: Climatology columns the hourly years are shifted with.
SHIFT_COLUMNS = ["lon_deg", "lat_deg", "temp_mean_degc", "specific_humidity_mean_g_per_kg"]


def shift_climatology(climatology: pd.DataFrame) -> pd.DataFrame:
    """The lattice points of a climatology with every value :func:`site_years` needs.

    >>> c = pd.DataFrame({"lon_deg": [-86.375, -86.125], "lat_deg": [39.625, 39.625],
    ...                   "temp_mean_degc": [12.0, np.nan], "temp_max_degc": [35.0, 35.0],
    ...                   "specific_humidity_mean_g_per_kg": [7.0, 7.1]})
    >>> shift_climatology(c)["lon_deg"].tolist()
    [-86.375]
    """
    return climatology[SHIFT_COLUMNS].dropna().reset_index(drop=True)


def climatology_at(
    climatology: pd.DataFrame, lon_deg: ArrayLike, lat_deg: ArrayLike
) -> dict[str, np.ndarray]:
    """Climatology interpolated linearly at points (nearest lattice value outside its hull).

    Returns ``temp_mean_degc`` and ``specific_humidity_mean_g_per_kg`` arrays, one per point.
    """
    from scipy.interpolate import LinearNDInterpolator, NearestNDInterpolator

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


def site_years(
    stations: Sequence[HourlyWeather],
    climatology: pd.DataFrame,
    lon_deg: np.ndarray,
    lat_deg: np.ndarray,
) -> tuple[xr.Dataset, np.ndarray, np.ndarray]:
    """Hourly years at points: each nearest station's year shifted to the point's climatology.

    Returns
    -------
    tuple
        Dataset with dims ``(site, hour)``, the index of each point's station in ``stations``
        and its distance [km].
    """
    index, distance_km = nearest_station(stations, lon_deg, lat_deg)
    n = index.size
    at = climatology_at(
        climatology,
        np.r_[lon_deg, [s.station.longitude_deg for s in stations]],
        np.r_[lat_deg, [s.station.latitude_deg for s in stations]],
    )
    data = {name: np.empty((n, MONTH_OF_HOUR.size)) for name in HOURLY_COLUMNS}
    for i, station in enumerate(stations):
        mine = np.flatnonzero(index == i)
        if mine.size == 0:
            continue
        shifted = shift_to_climatology(
            station,
            delta_temp_degc=at["temp_mean_degc"][mine] - at["temp_mean_degc"][n + i],
            delta_specific_humidity_g_per_kg=(
                at["specific_humidity_mean_g_per_kg"][mine]
                - at["specific_humidity_mean_g_per_kg"][n + i]
            ),
        )
        for name in HOURLY_COLUMNS:
            data[name][mine] = shifted[name].to_numpy()
    years = xr.Dataset(
        {name: (("site", "hour"), values) for name, values in data.items()},
        coords={"month": ("hour", MONTH_OF_HOUR)},
    )
    return years, index, distance_km
