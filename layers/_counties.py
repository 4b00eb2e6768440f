"""County polygons of the bundle, burned onto the grid with a value per county."""

from __future__ import annotations

import functools
import re

import numpy as np
import pandas as pd

from siting.bundle import Bundle, file_stamp, read_layer
from siting.errors import DataError
from siting.grid import Grid, rasterize_values

COUNTIES_LAYER = "counties"


def read_counties(bundle: Bundle):
    """The region's counties: ``fips`` (5-char), ``name``, ``area_km2``, geometry (EPSG:5070)."""
    return read_layer(bundle, COUNTIES_LAYER, columns=("fips", "name", "area_km2"))


def county_index(bundle: Bundle, grid: Grid) -> np.ndarray:
    """Position of each cell's county in :func:`read_counties` (-1 outside every county).

    Burned once per bundle and grid and shared by every county-level layer of a run (cached
    while the GeoPackage is unchanged); the array is read-only.
    """
    return _county_index(bundle, grid, file_stamp(bundle.gpkg))


@functools.lru_cache(maxsize=4)
def _county_index(bundle: Bundle, grid: Grid, _stamp: tuple[int, ...]) -> np.ndarray:
    counties = read_counties(bundle)
    code = rasterize_values(
        counties.assign(code=np.arange(len(counties), dtype="float64")),
        "code",
        grid,
        what=f"{bundle.gpkg}:{COUNTIES_LAYER}",
    )
    index = np.where(np.isfinite(code), code, -1).astype(np.int64)
    index.setflags(write=False)
    return index


def county_values(
    bundle: Bundle, grid: Grid, values_by_fips: pd.Series, *, what: str
) -> np.ndarray:
    """Float32 raster holding each county's value; NaN outside counties or where unknown.

    ``what`` names the table the values come from, for error messages.
    """
    fips = read_counties(bundle)["fips"]
    try:
        values = fips.map(values_by_fips).to_numpy(dtype="float64")
    except (TypeError, ValueError) as err:
        raise DataError(f"{what}: county values are not numbers ({err})") from None
    index = county_index(bundle, grid)
    out = np.where(index >= 0, values[np.maximum(index, 0)], np.nan)
    return out.astype(np.float32)


def normalize_county_name(name: object) -> str:
    """Canonical county name for joins: lower case, no 'county', 'saint' as 'st', no punctuation.

    >>> normalize_county_name("St. Joseph County")
    'stjoseph'
    >>> normalize_county_name("LaPorte") == normalize_county_name("La Porte")
    True
    """
    if not isinstance(name, str):
        return ""
    text = name.lower().strip()
    text = re.sub(r"\b(county|parish|borough)\b", "", text)
    text = re.sub(r"\bsaint\b", "st", text)
    text = re.sub(r"\bste\b", "ste", text)
    return re.sub(r"[^a-z]", "", text)


STATE_ABBR_BY_FIPS = {
    "01": "AL",
    "02": "AK",
    "04": "AZ",
    "05": "AR",
    "06": "CA",
    "08": "CO",
    "09": "CT",
    "10": "DE",
    "11": "DC",
    "12": "FL",
    "13": "GA",
    "15": "HI",
    "16": "ID",
    "17": "IL",
    "18": "IN",
    "19": "IA",
    "20": "KS",
    "21": "KY",
    "22": "LA",
    "23": "ME",
    "24": "MD",
    "25": "MA",
    "26": "MI",
    "27": "MN",
    "28": "MS",
    "29": "MO",
    "30": "MT",
    "31": "NE",
    "32": "NV",
    "33": "NH",
    "34": "NJ",
    "35": "NM",
    "36": "NY",
    "37": "NC",
    "38": "ND",
    "39": "OH",
    "40": "OK",
    "41": "OR",
    "42": "PA",
    "44": "RI",
    "45": "SC",
    "46": "SD",
    "47": "TN",
    "48": "TX",
    "49": "UT",
    "50": "VT",
    "51": "VA",
    "53": "WA",
    "54": "WV",
    "55": "WI",
    "56": "WY",
}


def state_abbr(fips: pd.Series, *, what: str) -> str:
    """The one USPS state code of a set of county FIPS codes.

    >>> state_abbr(pd.Series(["18051", "18059"]), what="counties")
    'IN'
    """
    prefixes = sorted(set(fips.astype(str).str[:2]))
    if len(prefixes) != 1 or prefixes[0] not in STATE_ABBR_BY_FIPS:
        raise DataError(f"{what}: counties must lie in one US state, got state FIPS {prefixes}")
    return STATE_ABBR_BY_FIPS[prefixes[0]]
