"""USFWS National Wetlands Inventory (NWI): wetland and deepwater habitat polygons.

Reads the NWI Wetlands layer of the state downloads (``XX_Wetlands`` in ``XX_geodatabase_
wetlands.gdb`` or ``XX_shapefile_wetlands/XX_Wetlands.shp``, where the 10-character shapefile
field names shorten ``WETLAND_TYPE`` to ``WETLAND_TY``) or a GeoJSON export.
:data:`WETLAND_COLUMNS` maps its columns to ours.

``ATTRIBUTE`` is the Cowardin classification code of the polygon: system (M marine, E
estuarine, R riverine, L lacustrine, P palustrine), subsystem digit (none for P), class,
subclass, water regime and modifiers, e.g. ``PFO1A``, ``L1UBHh``, ``R2UBH``. ``WETLAND_TYPE``
groups the codes into the eight types of :data:`WETLAND_TYPES`. Cowardin's deepwater habitats
are the marine and estuarine subtidal (M1, E1) and lacustrine limnetic (L1) subsystems
(:func:`is_deepwater`); the ``Lake`` type holds both limnetic deepwater (L1) and littoral
wetlands (L2), and ``Riverine`` both river channels and their wetlands, so neither type alone
says deepwater. ``ACRES`` is the polygon's area in acres.

>>> is_deepwater("L1UBHh"), is_deepwater("L2EM2F"), is_deepwater("PFO1A")
(True, False, False)

References
----------
U.S. Fish and Wildlife Service (2024). National Wetlands Inventory, Wetlands data by state
(public domain). https://www.fws.gov/program/national-wetlands-inventory/download-state-wetlands-data

Cowardin, L.M., Carter, V., Golet, F.C. and LaRoe, E.T. (1979). Classification of Wetlands and
Deepwater Habitats of the United States. U.S. Fish and Wildlife Service FWS/OBS-79/31.
https://www.fws.gov/program/national-wetlands-inventory/classification-codes

Federal Geographic Data Committee (2013). Classification of Wetlands and Deepwater Habitats of
the United States, 2nd ed. FGDC-STD-004-2013.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import MappingProxyType

import geopandas as gpd
import numpy as np
import pandas as pd

from siting.errors import DataError
from siting.sources.files import numbers, read_vector, require_columns

#: NWI column → ours; areas in [acres]. ``WETLAND_TY`` is ``WETLAND_TYPE`` in a shapefile.
WETLAND_COLUMNS = MappingProxyType(
    {
        "ATTRIBUTE": "cowardin_code",
        "WETLAND_TYPE": "wetland_type",
        "WETLAND_TY": "wetland_type",
        "ACRES": "area_acres",
    }
)
#: The NWI wetland types (the Wetlands Mapper legend).
WETLAND_TYPES = (
    "Estuarine and Marine Deepwater",
    "Estuarine and Marine Wetland",
    "Freshwater Emergent Wetland",
    "Freshwater Forested/Shrub Wetland",
    "Freshwater Pond",
    "Lake",
    "Riverine",
    "Other",
)
#: Spellings of a wetland type found in published state files → the type.
WETLAND_TYPE_ALIASES = MappingProxyType({"LAKES": "Lake"})
#: A Cowardin code: system and subsystem (P has none), then class, subclass and modifiers.
COWARDIN_CODE = re.compile(r"(?:[ME][12]|R[1-5]|L[12]|P(?!\d))[A-Za-z0-9/]*")
#: System and subsystem of Cowardin's deepwater habitats (subtidal, limnetic).
DEEPWATER_SUBSYSTEMS = ("M1", "E1", "L1")
HINT = "Is this a USFWS National Wetlands Inventory Wetlands layer (XX_Wetlands)?"


def read_wetlands(path: str | Path) -> gpd.GeoDataFrame:
    """Read an NWI Wetlands layer with our column names.

    Parameters
    ----------
    path : str or pathlib.Path
        The state Wetlands layer (``XX_geodatabase_wetlands.gdb:XX_Wetlands``,
        ``XX_Wetlands.shp``) or a GeoJSON/GeoPackage with its columns.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per polygon in file order, in the file's CRS: ``cowardin_code`` (the
        ``ATTRIBUTE`` code), ``wetland_type`` (one of :data:`WETLAND_TYPES`), ``area_acres``
        [acres] (NaN when blank), geometry.

    Raises
    ------
    DataFileNotFound, DataError, CRSError
        The file is missing, unreadable or has no CRS; lacks an NWI column; holds a blank or
        malformed Cowardin code, a wetland type outside :data:`WETLAND_TYPES`, or a negative or
        non-numeric area.

    References
    ----------
    U.S. Fish and Wildlife Service (2024). National Wetlands Inventory.
    https://www.fws.gov/program/national-wetlands-inventory
    """
    gdf = read_vector(path)
    what = str(path)
    kind = "WETLAND_TYPE" if "WETLAND_TYPE" in gdf.columns else "WETLAND_TY"
    require_columns(gdf, ["ATTRIBUTE", kind, "ACRES"], what=what, hint=HINT)
    out = pd.DataFrame(
        {
            "cowardin_code": cowardin_codes(gdf["ATTRIBUTE"], what=what),
            "wetland_type": wetland_types(gdf[kind], what=what, column=kind),
            "area_acres": _acres(gdf["ACRES"], what=what),
        },
        index=gdf.index,
    )
    return gpd.GeoDataFrame(out, geometry=gdf.geometry, crs=gdf.crs).reset_index(drop=True)


def is_deepwater(code: str) -> bool:
    """Whether a Cowardin code is a deepwater habitat: marine or estuarine subtidal (M1, E1)
    or lacustrine limnetic (L1).

    Riverine codes (R1–R5) cover channels whose deepwater and wetland parts the code does not
    separate; they are not counted as deepwater here.

    >>> is_deepwater("E1UBL"), is_deepwater("M2USN"), is_deepwater("R2UBH")
    (True, False, False)
    """
    return code.strip()[:2] in DEEPWATER_SUBSYSTEMS


def cowardin_codes(values: pd.Series, *, what: str) -> pd.Series:
    """Stripped Cowardin codes; a blank or malformed code is an error.

    >>> cowardin_codes(pd.Series([" PEM1C", "L1UBHh", "Pf"]), what="x").tolist()
    ['PEM1C', 'L1UBHh', 'Pf']
    """
    codes = values.astype("string").str.strip()
    good = codes.map(lambda c: COWARDIN_CODE.fullmatch(c) is not None, na_action="ignore")
    bad = ~good.fillna(False).astype(bool)
    if bad.any():
        found = sorted(map(str, values[bad.to_numpy()].unique()))[:10]
        raise DataError(
            f"{what}: column 'ATTRIBUTE' holds {found}; expected Cowardin codes such as "
            f"'PEM1C' or 'L1UBH' (system M1/M2, E1/E2, R1–R5, L1/L2 or P first). {HINT}"
        )
    return codes.astype(str)


def wetland_types(values: pd.Series, *, what: str, column: str) -> pd.Series:
    """NWI wetland types in their published spelling; any other value is an error.

    >>> wetland_types(pd.Series(["Lake", "riverine", "Lakes"]), what="x", column="c").tolist()
    ['Lake', 'Riverine', 'Lake']
    """
    known = {t.upper(): t for t in WETLAND_TYPES} | dict(WETLAND_TYPE_ALIASES)
    kinds = values.astype("string").str.strip().str.upper().map(known)
    bad = kinds.isna()
    if bad.any():
        found = sorted(map(str, values[bad.to_numpy()].unique()))[:10]
        raise DataError(
            f"{what}: column {column!r} holds {found}; expected one of {list(WETLAND_TYPES)}. "
            f"{HINT}"
        )
    return kinds.astype(str)


def _acres(values: pd.Series, *, what: str) -> pd.Series:
    """Areas in [acres]; blank is NaN, negative is an error."""
    acres = numbers(values, what=what, column="ACRES")
    negative = sorted(acres[acres < 0].tolist())[:5]
    if negative:
        raise DataError(f"{what}: column 'ACRES' holds negative areas {negative}; expected ≥ 0")
    return acres.astype(np.float64)
