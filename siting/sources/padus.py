"""USGS Protected Areas Database of the United States (PAD-US) 4.x: protected and public lands.

Reads a PAD-US feature class in its published schema: the Fee feature class
(``PADUS4_0Fee``, one feature per fee-simple parcel), or the combined
Proclamation/Marine/Fee/Designation/Easement one (``PADUS4_0Combined_Proclamation_Marine_Fee_
Designation_Easement``, with a ``Category`` per feature), from the GeoPackage, file
geodatabase (``PADUS4_0_Geodatabase.gdb:PADUS4_0Fee``), shapefile or a GeoJSON export.
:data:`PADUS_COLUMNS` maps its columns to ours.

``GAP_Sts`` is the GAP Status Code, PAD-US's measure of management intent to protect
biodiversity (:data:`GAP_DESCRIPTIONS`), published as text ``"1"``–``"4"``; any other value is
an error. ``Pub_Access`` is one of :data:`PUBLIC_ACCESS` (OA open, RA restricted, XA closed, UK
unknown). The combined feature classes overlap (a wilderness inside a national forest): use the
Fee class for areas.

>>> GAP_DESCRIPTIONS[1]
'managed for biodiversity - disturbance events proceed or are mimicked'

References
----------
U.S. Geological Survey (USGS) Gap Analysis Project (GAP) (2024). Protected Areas Database of the
United States (PAD-US) 4: U.S. Geological Survey data release. doi:10.5066/P96WBCHS

USGS GAP. PAD-US Data Standard and data dictionary (GAP Status Code, Public Access domains).
https://www.usgs.gov/programs/gap-analysis-project/science/pad-us-data-standard
"""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

import geopandas as gpd
import numpy as np
import pandas as pd

from siting.errors import DataError
from siting.sources.files import numbers, read_vector, require_columns

#: PAD-US column → ours.
PADUS_COLUMNS = MappingProxyType(
    {
        "Unit_Nm": "unit_name",
        "Mang_Type": "manager_type",
        "Mang_Name": "manager_name",
        "Des_Tp": "designation_type",
        "Category": "category",
        "GAP_Sts": "gap_status",
        "Pub_Access": "public_access",
    }
)
#: Columns every PAD-US feature class has; ``Category`` and ``Pub_Access`` may be absent
#: (NaN then: UNKNOWN).
REQUIRED = ("Unit_Nm", "Mang_Type", "Mang_Name", "Des_Tp", "GAP_Sts")
#: GAP Status Code → its description in the PAD-US data standard.
GAP_DESCRIPTIONS = MappingProxyType(
    {
        1: "managed for biodiversity - disturbance events proceed or are mimicked",
        2: "managed for biodiversity - disturbance events suppressed",
        3: "managed for multiple uses - subject to extractive (e.g. mining or logging) or OHV use",
        4: "no known mandate for biodiversity protection",
    }
)
#: ``Pub_Access`` code → its description in the PAD-US data standard.
PUBLIC_ACCESS = MappingProxyType(
    {"OA": "Open Access", "RA": "Restricted Access", "XA": "Closed", "UK": "Unknown"}
)
HINT = "Is this a PAD-US Fee or Combined feature class (PAD-US 4.x)?"


def read_padus(path: str | Path) -> gpd.GeoDataFrame:
    """Read a PAD-US 4.x feature class (Fee or Combined) with our column names.

    Parameters
    ----------
    path : str or pathlib.Path
        GeoPackage or file geodatabase layer (``file.gpkg:layer``), shapefile or GeoJSON with
        the PAD-US columns of :data:`PADUS_COLUMNS`.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per feature in file order, in the file's CRS: ``unit_name``, ``manager_type``
        (``FED``, ``STAT``, ``LOC``, ...), ``manager_name``, ``designation_type``, ``category``
        (Fee, Easement, Designation, ...; NaN when the file has no ``Category``),
        ``gap_status`` (int 1–4, :data:`GAP_DESCRIPTIONS`), ``public_access`` (a code of
        :data:`PUBLIC_ACCESS`; NaN when absent), geometry. Blank text is NaN.

    Raises
    ------
    DataFileNotFound, DataError, CRSError
        The file is missing, unreadable or has no CRS; lacks a PAD-US column; holds a GAP
        status other than 1–4 or a public-access code outside :data:`PUBLIC_ACCESS`.

    References
    ----------
    USGS Gap Analysis Project (2024). Protected Areas Database of the United States (PAD-US) 4.
    doi:10.5066/P96WBCHS
    """
    gdf = read_vector(path)
    what = str(path)
    require_columns(gdf, REQUIRED, what=what, hint=HINT)
    out = pd.DataFrame(index=gdf.index)
    for theirs, ours in PADUS_COLUMNS.items():
        out[ours] = _text(gdf[theirs]) if theirs in gdf.columns else np.nan
    out["gap_status"] = gap_status(gdf["GAP_Sts"], what=what)
    _check_access(out["public_access"], what=what)
    return gpd.GeoDataFrame(out, geometry=gdf.geometry, crs=gdf.crs).reset_index(drop=True)


def gap_status(values: pd.Series, *, what: str) -> pd.Series:
    """GAP Status Codes as int64 1–4; a blank or any other value is an error.

    >>> gap_status(pd.Series(["1", "4", 2]), what="x").tolist()
    [1, 4, 2]
    """
    codes = numbers(values, what=what, column="GAP_Sts")
    bad = ~codes.isin(list(GAP_DESCRIPTIONS))
    if bad.any():
        found = sorted(map(str, values[bad.to_numpy()].unique()))[:10]
        raise DataError(
            f"{what}: column 'GAP_Sts' holds {found}; expected GAP Status Codes "
            f"{list(GAP_DESCRIPTIONS)}. {HINT}"
        )
    return codes.astype("int64")


def _check_access(codes: pd.Series, *, what: str) -> None:
    """Raise a :class:`DataError` naming public-access codes outside the PAD-US domain."""
    bad = codes.notna() & ~codes.isin(list(PUBLIC_ACCESS))
    if bad.any():
        raise DataError(
            f"{what}: column 'Pub_Access' holds {sorted(codes[bad].unique())[:10]}; "
            f"expected {list(PUBLIC_ACCESS)}. {HINT}"
        )


def _text(values: pd.Series) -> pd.Series:
    """Stripped text as objects; blank is NaN."""
    text = values.astype("string").str.strip()
    return text.where(text != "").astype(object).fillna(np.nan)
