"""PVCZ-2019 photovoltaic climate zones: a 0.25° climatology of NASA GLDAS (2010–2018).

References
----------
Karin, T., Jones, C. B., Jain, A. (2019). Photovoltaic degradation climate zones.
IEEE PVSC 46. doi:10.1109/PVSC40753.2019.8980831
"""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd

from siting.sources.files import numbers, read_csv_text, require_columns

#: PVCZ-2019 columns → ours. ``specific_humidity_rms`` is the standard deviation of the
#: specific humidity about its mean.
COLUMNS = MappingProxyType(
    {
        "lon": "lon_deg",
        "lat": "lat_deg",
        "T_ambient_mean": "temp_mean_degc",
        "T_ambient_max": "temp_max_degc",
        "specific_humidity_mean": "specific_humidity_mean_g_per_kg",
        "specific_humidity_rms": "specific_humidity_sd_g_per_kg",
    }
)
#: Lattice spacing of the GLDAS grid. [degrees]
STEP_DEG = 0.25


def read_climatology(path: str | Path) -> pd.DataFrame:
    """The PVCZ-2019 climatology in our names, on exact 0.25° lattice centres.

    Parameters
    ----------
    path : str or pathlib.Path
        PVCZ CSV (optionally gzipped) with ``lat``, ``lon`` [degrees], ``T_ambient_mean``,
        ``T_ambient_max`` [°C], ``specific_humidity_mean`` and ``specific_humidity_rms``
        [g/kg] (2010–2018 statistics of NASA GLDAS); other columns are ignored.

    Returns
    -------
    pandas.DataFrame
        :data:`COLUMNS` values, one row per lattice point, in the file's order; a missing value
        stays NaN.
    """
    raw = read_csv_text(path, usecols=lambda c: c in COLUMNS)
    require_columns(raw, COLUMNS, what=str(path), hint="Is this a PVCZ-2019 climate table?")
    out = pd.DataFrame(
        {
            ours: numbers(raw[theirs], what=str(path), column=theirs)
            for theirs, ours in COLUMNS.items()
        }
    )
    out["lon_deg"] = snap_to_lattice(out["lon_deg"].to_numpy())
    out["lat_deg"] = snap_to_lattice(out["lat_deg"].to_numpy())
    return out


def snap_to_lattice(coord_deg: np.ndarray) -> np.ndarray:
    """Cell centres of the 0.25° GLDAS lattice from PVCZ's rounded coordinates. [degrees]

    PVCZ prints centres such as −86.375 as −86.4; each centre is recovered exactly.

    >>> snap_to_lattice(np.array([-86.4, -86.1, 39.62, 39.88, 40.12])).tolist()
    [-86.375, -86.125, 39.625, 39.875, 40.125]
    """
    return np.floor(coord_deg / STEP_DEG) * STEP_DEG + STEP_DEG / 2
