"""FEMA National Flood Hazard Layer (NFHL): flood hazard zones (feature class ``S_FLD_HAZ_AR``).

Reads the flood hazard areas of the NFHL state or county downloads (file geodatabase
``NFHL_18_20240101.gdb``, whose ``S_FLD_HAZ_AR`` layer is chosen when no layer is named; the
county shapefile ``S_FLD_HAZ_AR.shp``; or a GeoJSON export of the NFHL map service) in the FIRM
Database schema. :data:`FLOOD_COLUMNS` maps its columns to ours.

``FLD_ZONE`` must be a zone of the FIRM Database ``D_Zone`` domain (:data:`SFHA_ZONES`,
:data:`OTHER_ZONES`), else the file is rejected. ``SFHA_TF`` (``"T"``/``"F"``; ``"U"`` or blank:
unknown) says whether the area is in the Special Flood Hazard Area. Text fields holding the
NFHL's null encodings (blank, ``-9999``, ``<Null>``) are NaN. Each area gets an
``annual_chance`` of flooding, as the FIRM legend groups the zones:

* ``"1%"``: the SFHA zones A, AE, AH, AO, AR, A99, V, VE (1-percent-annual-chance flood);
* ``"0.2%"``: zone X in FEMA's other areas of flood hazard (shaded X): the 0.2-percent-annual-
  chance floodplain, 1 % areas of less than 1 ft depth or 1 mi² drainage, future-conditions 1 %
  areas and areas of reduced flood risk due to a levee (subtypes starting ``0.2 PCT`` or
  ``1 PCT``, or naming a levee);
* ``"minimal"``: zone X, area of minimal flood hazard (unshaded X; blank subtype);
* ``"UNKNOWN"``: zone D (possible but undetermined hazard), ``AREA NOT INCLUDED``, ``OPEN
  WATER``, and an X area whose subtype is none of the above: never a favourable value.

>>> annual_chance(pd.Series(["AE", "X", "X", "D"]),
...               pd.Series([None, "0.2 PCT ANNUAL CHANCE FLOOD HAZARD", None, None])).tolist()
['1%', '0.2%', 'minimal', 'UNKNOWN']

References
----------
Federal Emergency Management Agency (2024). National Flood Hazard Layer (NFHL), state and
county data (public domain). https://www.fema.gov/flood-maps/national-flood-hazard-layer

Federal Emergency Management Agency (2019). Flood Insurance Rate Map (FIRM) Database Technical
Reference, Guidelines and Standards for Flood Risk Analysis and Mapping (table S_Fld_Haz_Ar,
domains D_Zone and D_Zone_Subtype). https://www.fema.gov/flood-maps/guidance-reports/guidelines-standards
"""

from __future__ import annotations

import re
from pathlib import Path
from types import MappingProxyType

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pyogrio.errors

from siting.errors import DataError
from siting.sources.files import read_vector, require_columns, split_ref

#: NFHL ``S_FLD_HAZ_AR`` column → ours.
FLOOD_COLUMNS = MappingProxyType(
    {
        "DFIRM_ID": "dfirm_id",
        "FLD_ZONE": "flood_zone",
        "ZONE_SUBTY": "zone_subtype",
        "SFHA_TF": "in_sfha",
    }
)
#: The NFHL feature class of flood hazard areas.
LAYER = "S_FLD_HAZ_AR"
#: ``D_Zone`` zones of the Special Flood Hazard Area (1-percent-annual-chance flood).
SFHA_ZONES = ("A", "A99", "AE", "AH", "AO", "AR", "AR/A", "AR/AE", "AR/AH", "AR/AO", "V", "VE")
#: Numbered A and V zones of older FIRMs (A1–A30, V1–V30), also SFHA.
NUMBERED_SFHA_ZONE = re.compile(r"(?:A|V)(?:[1-9]|[12]\d|30)")
#: ``D_Zone`` zones outside the SFHA.
OTHER_ZONES = ("X", "D", "OPEN WATER", "AREA NOT INCLUDED")
#: Zone X subtype of the area of minimal flood hazard (unshaded X).
MINIMAL_SUBTYPE = "AREA OF MINIMAL FLOOD HAZARD"
#: Zone X subtypes of FEMA's other areas of flood hazard (shaded X).
SHADED_X_SUBTYPE = re.compile(r"(?:0\.2|1)[ -]PCT\b.*|.*\bLEVEE\b.*")
#: ``SFHA_TF`` → in the SFHA; ``U`` (and a blank) is unknown.
SFHA_FLAGS = MappingProxyType({"T": True, "F": False, "U": pd.NA})
#: Text the NFHL writes for "not populated" besides a blank (FIRM Database Technical Reference
#: section 7.3 nulls, and the ``<Null>`` some layers hold); read as NaN.
NULL_TEXT = ("-9999", "<NULL>")
HINT = "Is this the NFHL flood hazard areas feature class (S_FLD_HAZ_AR)?"


def read_flood_zones(path: str | Path) -> gpd.GeoDataFrame:
    """Read NFHL flood hazard areas with our column names and each area's annual chance.

    Parameters
    ----------
    path : str or pathlib.Path
        The ``S_FLD_HAZ_AR`` feature class: ``NFHL_xx.gdb`` (its ``S_FLD_HAZ_AR`` layer unless
        ``file.gdb:layer`` names one), ``S_FLD_HAZ_AR.shp``, a GeoPackage layer or GeoJSON.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per flood hazard area in file order, in the file's CRS: ``dfirm_id``,
        ``flood_zone`` (upper case, stripped), ``zone_subtype`` (upper case; NaN when blank or
        ``<Null>``), ``in_sfha`` (nullable bool from ``SFHA_TF``; ``<NA>`` for ``U`` or
        blank), ``annual_chance`` (``"1%"``, ``"0.2%"``, ``"minimal"`` or ``"UNKNOWN"``, see
        the module notes), geometry.

    Raises
    ------
    DataFileNotFound, DataError, CRSError
        The file is missing, unreadable or has no CRS; lacks an NFHL column; holds a zone
        outside the FIRM ``D_Zone`` domain or an ``SFHA_TF`` other than ``T``, ``F``, ``U``.

    References
    ----------
    FEMA (2024). National Flood Hazard Layer. https://www.fema.gov/flood-maps/national-flood-hazard-layer
    """
    gdf = read_vector(path, layer=_default_layer(path))
    what = str(path)
    require_columns(gdf, FLOOD_COLUMNS, what=what, hint=HINT)
    zone = _text(gdf["FLD_ZONE"], upper=True)
    _check_zones(zone, what=what)
    subtype = _text(gdf["ZONE_SUBTY"], upper=True)
    out = pd.DataFrame(
        {
            "dfirm_id": _text(gdf["DFIRM_ID"]),
            "flood_zone": zone,
            "zone_subtype": subtype,
            "in_sfha": sfha_flags(gdf["SFHA_TF"], what=what),
            "annual_chance": annual_chance(zone, subtype),
        },
        index=gdf.index,
    )
    return gpd.GeoDataFrame(out, geometry=gdf.geometry, crs=gdf.crs).reset_index(drop=True)


def annual_chance(zone: pd.Series, subtype: pd.Series) -> pd.Series:
    """The annual chance of flooding of each area from its zone and subtype (upper case).

    See the module notes for the rules; a zone outside the ``D_Zone`` domain is ``"UNKNOWN"``.
    """
    zone = zone.astype(object).fillna("")
    subtype = subtype.astype(object).fillna("")
    is_x = zone == "X"
    shaded = subtype.map(lambda s: SHADED_X_SUBTYPE.fullmatch(s) is not None)
    chance = np.select(
        [
            zone.map(is_sfha_zone),
            is_x & shaded,
            is_x & subtype.isin(["", MINIMAL_SUBTYPE]),
        ],
        ["1%", "0.2%", "minimal"],
        default="UNKNOWN",
    )
    return pd.Series(chance, index=zone.index, dtype=object)


def is_sfha_zone(zone: str) -> bool:
    """Whether a ``FLD_ZONE`` value is a zone of the Special Flood Hazard Area.

    >>> is_sfha_zone("AE"), is_sfha_zone("A7"), is_sfha_zone("AREA NOT INCLUDED")
    (True, True, False)
    """
    return zone in SFHA_ZONES or NUMBERED_SFHA_ZONE.fullmatch(zone) is not None


def sfha_flags(values: pd.Series, *, what: str) -> pd.Series:
    """``SFHA_TF`` as nullable booleans: ``T``/``F``; ``U`` and blanks are ``<NA>`` (UNKNOWN);
    any other value is an error.

    >>> sfha_flags(pd.Series(["T", "F", " t", "U", None]), what="x").tolist()
    [True, False, True, <NA>, <NA>]
    """
    flags = _text(values, upper=True)
    bad = flags.notna() & ~flags.isin(list(SFHA_FLAGS))
    if bad.any():
        found = sorted(map(str, values[bad.to_numpy()].unique()))[:10]
        raise DataError(
            f"{what}: column 'SFHA_TF' holds {found}; expected {list(SFHA_FLAGS)}. {HINT}"
        )
    return flags.map(dict(SFHA_FLAGS)).astype("boolean")


def _check_zones(zone: pd.Series, *, what: str) -> None:
    """Raise a :class:`DataError` naming zones outside the FIRM ``D_Zone`` domain."""
    known = zone.map(lambda z: isinstance(z, str) and (is_sfha_zone(z) or z in OTHER_ZONES))
    if not known.all():
        found = sorted(map(str, zone[~known].unique()))[:10]
        raise DataError(
            f"{what}: column 'FLD_ZONE' holds {found}; expected a FIRM zone "
            f"{[*SFHA_ZONES, *OTHER_ZONES]}. {HINT}"
        )


def _default_layer(path: str | Path) -> str | None:
    """``S_FLD_HAZ_AR`` when ``path`` is a multi-layer file holding it and names no layer."""
    file, layer = split_ref(path)
    if layer is not None or not file.exists() or file.suffix.lower() not in (".gdb", ".gpkg"):
        return layer
    try:
        names = [str(row[0]) for row in pyogrio.list_layers(file)]
    except (pyogrio.errors.DataSourceError, OSError):
        return None  # read_vector reports the unreadable file
    return next((name for name in names if name.upper() == LAYER), None)


def _text(values: pd.Series, *, upper: bool = False) -> pd.Series:
    """Stripped text as objects (upper case if asked); blanks and :data:`NULL_TEXT` are NaN."""
    text = values.astype("string").str.strip()
    if upper:
        text = text.str.upper()
    return (
        text.where((text != "") & ~text.str.upper().isin(NULL_TEXT)).astype(object).fillna(np.nan)
    )
