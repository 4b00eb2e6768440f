"""ZIP-code areas (Census ZCTAs) and their centroids, from the table shipped with eeweather.

The table ``eeweather_zcta_climate_zones.csv.gz`` gives, for each ZIP Code Tabulation Area,
its centroid (``latitude``, ``longitude`` in degrees, WGS84), its state and its IECC and
Building America climate zones. A ZCTA approximates the area a ZIP code's mail is delivered to;
its centroid is a point for "near this ZIP code", not an address.

References
----------
OpenEEmeter (2024). eeweather 0.3.30: weather and climate-zone data for U.S. ZIP codes.
https://github.com/openeemeter/eeweather (Apache-2.0); ZCTAs from the U.S. Census Bureau.
"""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

import pandas as pd

from siting.errors import DataError
from siting.sources.files import numbers, read_csv_text, require_columns, unique_codes

#: eeweather's columns → ours.
COLUMNS = MappingProxyType(
    {
        "zcta_id": "zip_code",
        "latitude": "lat_deg",
        "longitude": "lon_deg",
        "state": "state",
    }
)
HINT = "Is this eeweather's zcta_climate_zones table?"


def read_zip_centroids(path: str | Path) -> pd.DataFrame:
    """The ZIP-code areas of an eeweather ZCTA table and their centroids, in our names.

    Parameters
    ----------
    path : str or pathlib.Path
        eeweather CSV (optionally gzipped) with ``zcta_id``, ``latitude``, ``longitude``
        [degrees] and ``state``; other columns are ignored.

    Returns
    -------
    pandas.DataFrame
        ``zip_code`` (5-character text, leading zeros kept), ``lat_deg``, ``lon_deg``
        [degrees, WGS84] and ``state``, one row per ZIP area, sorted by ``zip_code``.

    Raises
    ------
    DataError
        A column is missing, a code is not 5 digits or repeats, or a centroid is missing or
        not a latitude/longitude.
    """
    what = str(path)
    raw = read_csv_text(path, usecols=lambda c: c in COLUMNS)
    require_columns(raw, COLUMNS, what=what, hint=HINT)
    out = pd.DataFrame(
        {
            "zip_code": _zip_codes(raw["zcta_id"], what=what),
            "lat_deg": numbers(raw["latitude"], what=what, column="latitude"),
            "lon_deg": numbers(raw["longitude"], what=what, column="longitude"),
            "state": raw["state"].fillna("").str.strip(),
        }
    )
    unique_codes(out["zip_code"], what=what, column="zcta_id")
    bad = ~(out["lat_deg"].between(-90.0, 90.0) & out["lon_deg"].between(-180.0, 180.0))
    if bad.any():
        raise DataError(
            f"{what}: ZIP area(s) {sorted(out.loc[bad, 'zip_code'])[:5]} have no centroid or one "
            "outside latitude −90…90 / longitude −180…180; fix or drop those rows. " + HINT
        )
    return out.sort_values("zip_code", kind="mergesort").reset_index(drop=True)


def _zip_codes(values: pd.Series, *, what: str) -> pd.Series:
    """ZIP codes as 5-digit text; a code spreadsheets wrote as a number (``601``) is padded."""
    text = values.astype("string").str.strip().str.replace(r"\.0+$", "", regex=True).str.zfill(5)
    bad = text.isna() | ~text.str.fullmatch(r"\d{5}").fillna(False)
    if bad.any():
        raise DataError(
            f"{what}: column 'zcta_id' holds values that are not 5-digit ZIP codes: "
            f"{sorted(map(str, values[bad.to_numpy()].unique()))[:5]}; fix or drop those rows"
        )
    return text.astype(str)


def zip_centroid(table: pd.DataFrame, zip_code: str) -> tuple[float, float]:
    """The centroid of one ZIP area of :func:`read_zip_centroids`'s table.

    Parameters
    ----------
    table : pandas.DataFrame
        The region's ZIP areas (``zip_code``, ``lat_deg``, ``lon_deg``).
    zip_code : str
        A 5-digit ZIP code (surrounding blanks are ignored).

    Returns
    -------
    tuple of float
        Latitude and longitude of the centroid. [degrees]

    Raises
    ------
    DataError
        The code is not 5 digits, or it is not one of the table's ZIP areas.

    Examples
    --------
    >>> t = pd.DataFrame({"zip_code": ["46204"], "lat_deg": [39.77], "lon_deg": [-86.16]})
    >>> zip_centroid(t, " 46204 ")
    (39.77, -86.16)
    """
    code = str(zip_code).strip()
    if len(code) != 5 or not code.isdigit():
        raise DataError(f"ZIP code must be 5 digits, e.g. 46204; got {zip_code!r}")
    hit = table.loc[table["zip_code"] == code]
    if hit.empty:
        codes = table["zip_code"]
        span = f"{len(codes)} areas, {codes.min()}–{codes.max()}" if len(codes) else "none"
        raise DataError(
            f"ZIP {code} is not in the region's ZIP areas ({span}); give --lat/--lon instead"
        )
    row = hit.iloc[0]
    return float(row["lat_deg"]), float(row["lon_deg"])
