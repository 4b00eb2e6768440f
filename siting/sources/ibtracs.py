"""NOAA IBTrACS storm track points (the CSV of the ``since1980``/``ACTIVE`` subsets).

One row per track fix: storm id ``SID``, ``NAME``, ``LAT``/``LON`` [degrees, EPSG:4326] and
``USA_WIND``, the maximum sustained wind of the U.S. agencies [kt]. Renamed to ours in
:data:`IBTRACS_COLUMNS`; the fix time is taken from ``ISO_TIME`` or, in the shortened table of
the bundle, ``year``. A blank wind is NaN (unknown), never zero.

>>> saffir_simpson_category(pd.Series([30.0, 64.0, 96.0, 140.0, float("nan")])).tolist()
[0.0, 1.0, 3.0, 5.0, nan]

References
----------
Knapp, K. R., Kruk, M. C., Levinson, D. H., Diamond, H. J., and Neumann, C. J. (2010). The
International Best Track Archive for Climate Stewardship (IBTrACS). Bull. Amer. Meteor. Soc.
91, 363–376. doi:10.1175/2009BAMS2755.1

NOAA National Hurricane Center. Saffir-Simpson Hurricane Wind Scale.
https://www.nhc.noaa.gov/aboutsshws.php
"""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

import geopandas as gpd
import numpy as np
import pandas as pd

from siting.errors import DataError
from siting.sources.files import numbers, read_csv_text, require_columns

IBTRACS_COLUMNS = MappingProxyType(
    {"SID": "storm_id", "NAME": "storm_name", "USA_WIND": "wind_kt", "LAT": "lat", "LON": "lon"}
)
#: Lower bound of Saffir-Simpson categories 1–5 in 1-minute sustained wind. [kt]
CATEGORY_MIN_KT = (64.0, 83.0, 96.0, 113.0, 137.0)
HINT = "Is this an IBTrACS track-point CSV (SID, NAME, LAT, LON, USA_WIND, ISO_TIME or year)?"


def read_tracks(path: str | Path) -> gpd.GeoDataFrame:
    """Read IBTrACS track points.

    Parameters
    ----------
    path : str or pathlib.Path
        IBTrACS CSV (the second, units row of the full files is skipped).

    Returns
    -------
    geopandas.GeoDataFrame
        ``storm_id``, ``storm_name``, ``year``, ``wind_kt`` [kt] and ``category`` (Saffir-
        Simpson 1–5, 0 below hurricane strength, NaN if the wind is unknown), points in
        EPSG:4326, in file order.

    Raises
    ------
    DataFileNotFound, DataError
        The file is missing, lacks a column, has no fix, or holds coordinates off the globe.
    """
    table = read_csv_text(path, encoding="utf-8-sig")
    what = str(path)
    require_columns(table, list(IBTRACS_COLUMNS), what=what, hint=HINT)
    table = table[table["SID"].str.strip() != ""].reset_index(drop=True)
    if "ISO_TIME" in table.columns:
        table = table[~table["LAT"].str.contains("degrees", na=False)].reset_index(drop=True)
    if table.empty:
        raise DataError(f"{what}: no track points below the header. {HINT}")
    lat = numbers(table["LAT"], what=what, column="LAT")
    lon = numbers(table["LON"], what=what, column="LON")
    if ((lat.abs() > 90) | (lon.abs() > 180) | lat.isna() | lon.isna()).any():
        raise DataError(f"{what}: LAT/LON missing or off the globe. {HINT}")
    wind = numbers(table["USA_WIND"], what=what, column="USA_WIND")
    return gpd.GeoDataFrame(
        {
            "storm_id": table["SID"].str.strip(),
            "storm_name": table["NAME"].str.strip(),
            "year": _years(table, what=what),
            "wind_kt": wind,
            "category": saffir_simpson_category(wind),
        },
        geometry=gpd.points_from_xy(lon, lat),
        crs="EPSG:4326",
    )


def saffir_simpson_category(wind_kt: pd.Series) -> pd.Series:
    """Saffir-Simpson category of a 1-minute sustained wind: 1–5, 0 below 64 kt, NaN unknown."""
    category = sum((wind_kt >= low).astype(float) for low in CATEGORY_MIN_KT)
    return category.where(wind_kt.notna(), np.nan)


def _years(table: pd.DataFrame, *, what: str) -> pd.Series:
    if "ISO_TIME" in table.columns:
        text = table["ISO_TIME"].str.strip()
        time = pd.to_datetime(text, format="ISO8601", errors="coerce")
        bad = time.isna() & text.notna()
        if bad.any():
            raise DataError(
                f"{what}: column 'ISO_TIME' holds {sorted(text[bad].unique())[:5]}; expected "
                "times like 2005-08-29 12:00:00. " + HINT
            )
        return time.dt.year
    if "year" in table.columns:
        return numbers(table["year"], what=what, column="year")
    raise DataError(f"{what}: neither 'ISO_TIME' nor 'year' found. {HINT}")
