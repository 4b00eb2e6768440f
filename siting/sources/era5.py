"""ERA5-style hourly NetCDF (``t2m``, ``d2m`` [K], ``sp`` [Pa]) in our names and units.

References
----------
Hersbach, H. et al. (2020). The ERA5 global reanalysis. Q. J. R. Meteorol. Soc. 146(730),
1999–2049. doi:10.1002/qj.3803
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import xarray as xr

from siting.errors import DataError, DataFileNotFound
from siting.psychrometrics import rh_from_dew_point, wet_bulb_degc

#: ERA5 short names → ours, with the conversion applied to the raw units (K, Pa).
COLUMNS = {"t2m": "dry_bulb_degc", "d2m": "dew_point_degc", "sp": "pressure_kpa"}


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
    missing = sorted(set(COLUMNS) - set(raw.data_vars))
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
