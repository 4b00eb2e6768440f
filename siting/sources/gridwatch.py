"""GridWatch Indiana: state outline, counties, transmission lines, power plants, retail utility
territories and the county data-center restrictions of its public data folder.

GridWatch Indiana publishes its layers as GeoJSON in EPSG:4326: the state outline
(``indiana.geojson``), Census county boundaries (``counties.geojson``), HIFLD transmission lines
of 138 kV and more with three of HIFLD's columns (``transmission.geojson``; HIFLD's own schema
is read by :mod:`siting.sources.hifld`), WRI Global Power Plant Database plants
(``power_plants.geojson``), HIFLD retail service territories with three columns
(``utility_territories.geojson``), and a curated, partial list of county data-center bans and
moratoria (``gridwatch_indiana_county_restrictions.json``). Each vector reader also takes a
GeoPackage layer (``file.gpkg:layer``) holding the same columns, in any CRS.

Each reader renames GridWatch's columns through one map (``*_COLUMNS``). A line of unknown
voltage (HIFLD's -999999, zero, blank) has ``kv`` NaN: UNKNOWN, never zero.

>>> RESTRICTION_TYPES
('ban', 'moratorium')

References
----------
GridWatch Indiana (2026). Civic data on Indiana's electric grid and large loads: state and
county boundaries (U.S. Census cartographic boundaries), transmission lines (HIFLD Electric
Power Transmission Lines), power plants (WRI Global Power Plant Database v1.3.0), retail
utility territories (HIFLD Electric Retail Service Territories), county data-center
restrictions. CC BY 4.0 (credit GridWatch Indiana),
https://creativecommons.org/licenses/by/4.0/
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

import geopandas as gpd
import pandas as pd

from siting.counties import state_code_of_name
from siting.errors import DataError, DataFileNotFound
from siting.sources.files import fips_codes, numbers, read_vector, require_columns, unique_codes
from siting.sources.hifld import kv_or_unknown

log = logging.getLogger(__name__)

#: GridWatch column → ours, per file.
STATE_COLUMNS = MappingProxyType({"name": "name"})
COUNTY_COLUMNS = MappingProxyType({"fips": "fips", "county": "name"})
#: ``kv`` in [kV]; ``class`` is HIFLD's VOLT_CLASS text (e.g. "100-161", "345").
LINE_COLUMNS = MappingProxyType({"kv": "kv", "class": "volt_class", "owner": "owner"})
#: ``capacity_mw`` in [MW]; ``year`` is the commissioning year.
PLANT_COLUMNS = MappingProxyType(
    {"name": "name", "fuel": "fuel", "capacity_mw": "capacity_mw", "year": "year", "owner": "owner"}
)
#: ``type`` is the ownership class ("Investor Owned", "Cooperative", "Municipal"; "Not Available"
#: is read as unknown); ``customers`` the number of retail customers [-].
TERRITORY_COLUMNS = MappingProxyType(
    {"utility": "utility", "type": "utility_type", "customers": "customers"}
)
#: GridWatch's text for an unknown ownership class.
NOT_AVAILABLE = "Not Available"
#: Key of a county entry of the restrictions file → ours (``as_of`` is the file's
#: ``last_updated``, ``source`` its ``sources`` joined).
RESTRICTION_COLUMNS = MappingProxyType(
    {"name": "county", "type": "restriction", "detail": "detail"}
)
RESTRICTION_TYPES = ("ban", "moratorium")
RESTRICTION_KEYS = ("last_updated", "sources", "counties")


def read_state_outline(path: str | Path) -> gpd.GeoDataFrame:
    """Read GridWatch's state outline (``indiana.geojson``).

    Parameters
    ----------
    path : str or pathlib.Path
        The GeoJSON file, or ``file.gpkg:layer``, with a ``name`` per feature.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per feature in the file's CRS: ``state`` (USPS code), ``name`` (as given,
        stripped), geometry.

    Raises
    ------
    DataFileNotFound, DataError, CRSError
        The file is missing, unreadable, empty or has no CRS; lacks ``name``; names a state
        not in :data:`siting.counties.STATE_CODE_BY_NAME`.

    References
    ----------
    GridWatch Indiana (2026), ``indiana.geojson``. CC BY 4.0.
    """
    gdf, what = _read_layer(path, STATE_COLUMNS, hint="Is this GridWatch's indiana.geojson?")
    names = _text(gdf["name"])
    codes = names.map(state_code_of_name)
    if codes.isna().any():
        raise DataError(
            f"{what}: state name(s) {sorted(map(str, set(names[codes.isna()])))} unknown; "
            "expected a name of the 50 states, DC or Puerto Rico (e.g. 'Indiana')"
        )
    out = pd.DataFrame({"state": codes, "name": names}, index=gdf.index)
    return _frame(out, gdf)


def read_counties(path: str | Path) -> gpd.GeoDataFrame:
    """Read GridWatch's county boundaries (``counties.geojson``: ``id``, ``fips``, ``county``,
    ``lsad``).

    Parameters
    ----------
    path : str or pathlib.Path
        The GeoJSON file, or ``file.gpkg:layer``.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per county sorted by ``fips``, in the file's CRS: ``fips`` (5-digit text),
        ``name`` (the ``county`` text, stripped, e.g. "St. Joseph"), geometry.

    Raises
    ------
    DataFileNotFound, DataError, CRSError
        The file is missing, unreadable, empty or has no CRS; lacks a column; has a malformed
        or repeated FIPS code or a blank county name.

    References
    ----------
    GridWatch Indiana (2026), ``counties.geojson``, from U.S. Census cartographic boundary
    files. CC BY 4.0.
    """
    gdf, what = _read_layer(path, COUNTY_COLUMNS, hint="Is this GridWatch's counties.geojson?")
    fips = fips_codes(gdf["fips"], width=5, what=what, column="fips")
    unique_codes(fips, what=what, column="fips")
    names = _text(gdf["county"])
    if names.isna().any():
        raise DataError(f"{what}: blank county name for FIPS {sorted(fips[names.isna()])}")
    out = pd.DataFrame({"fips": fips, "name": names}, index=gdf.index)
    return _frame(out, gdf).sort_values("fips", kind="stable").reset_index(drop=True)


def read_transmission_lines(path: str | Path) -> gpd.GeoDataFrame:
    """Read GridWatch's transmission lines (``transmission.geojson``: ``kv``, ``class``,
    ``owner``).

    Parameters
    ----------
    path : str or pathlib.Path
        The GeoJSON file, or ``file.gpkg:layer``.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per line with a geometry, in file order and the file's CRS: ``kv`` [kV] (NaN,
        UNKNOWN, where missing or not positive, e.g. HIFLD's -999999), ``volt_class``,
        ``owner`` (as given, e.g. "NOT AVAILABLE"), geometry. Lines without geometry are
        dropped and counted in ``attrs["dropped_empty"]``.

    Raises
    ------
    DataFileNotFound, DataError, CRSError
        The file is missing, unreadable, empty or has no CRS; lacks a column; has non-numeric
        ``kv`` text.

    References
    ----------
    GridWatch Indiana (2026), ``transmission.geojson``, from HIFLD Electric Power Transmission
    Lines (2024). CC BY 4.0; HIFLD public domain. https://hifld-geoplatform.hub.arcgis.com/
    """
    gdf, what = _read_layer(path, LINE_COLUMNS, hint="Is this GridWatch's transmission.geojson?")
    empty = (gdf.geometry.isna() | gdf.geometry.is_empty).to_numpy()
    if empty.any():
        log.warning("%s: %d lines without geometry dropped", what, int(empty.sum()))
    gdf = gdf[~empty]
    out = pd.DataFrame(
        {
            "kv": kv_or_unknown(gdf["kv"], what=what, column="kv"),
            "volt_class": _text(gdf["class"]),
            "owner": _text(gdf["owner"]),
        },
        index=gdf.index,
    )
    lines = _frame(out, gdf).reset_index(drop=True)
    lines.attrs["dropped_empty"] = int(empty.sum())
    return lines


def read_power_plants(path: str | Path) -> gpd.GeoDataFrame:
    """Read GridWatch's power plants (``power_plants.geojson``: ``name``, ``fuel``,
    ``capacity_mw``, ``year``, ``owner``).

    Parameters
    ----------
    path : str or pathlib.Path
        The GeoJSON file, or ``file.gpkg:layer``.

    Returns
    -------
    geopandas.GeoDataFrame
        One point per plant in file order and the file's CRS: ``name``, ``fuel`` (primary
        fuel, lower case as published), ``capacity_mw`` [MW], ``year`` (commissioning year,
        nullable integer, missing where not given), ``owner``, geometry.

    Raises
    ------
    DataFileNotFound, DataError, CRSError
        The file is missing, unreadable, empty or has no CRS; lacks a column; has non-numeric
        capacity or year text, or a fractional year.

    References
    ----------
    GridWatch Indiana (2026), ``power_plants.geojson``, from the WRI Global Power Plant
    Database v1.3.0. CC BY 4.0. https://datasets.wri.org/dataset/globalpowerplantdatabase
    """
    gdf, what = _read_layer(path, PLANT_COLUMNS, hint="Is this GridWatch's power_plants.geojson?")
    out = pd.DataFrame(
        {
            "name": _text(gdf["name"]),
            "fuel": _text(gdf["fuel"]),
            "capacity_mw": numbers(gdf["capacity_mw"], what=what, column="capacity_mw"),
            "year": _years(gdf["year"], what=what),
            "owner": _text(gdf["owner"]),
        },
        index=gdf.index,
    )
    return _frame(out, gdf).reset_index(drop=True)


def read_utility_territories(path: str | Path) -> gpd.GeoDataFrame:
    """Read GridWatch's retail utility territories (``utility_territories.geojson``:
    ``utility``, ``type``, ``customers``).

    The territories are HIFLD Electric Retail Service Territories, generalised. They overlap:
    in Indiana the investor-owned utilities' footprints cover almost all of the state and the
    cooperatives' and towns' territories lie over them, so a place is often inside several.

    Parameters
    ----------
    path : str or pathlib.Path
        The GeoJSON file, or ``file.gpkg:layer``.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per territory with a geometry, in file order and the file's CRS: ``utility``
        (the name as given, stripped, e.g. "Town Of Avilla - (In)"), ``utility_type``
        (ownership class; NaN, UNKNOWN, where "Not Available"), ``customers`` (retail customers
        [-]; NaN where blank), geometry. Territories without geometry are dropped and counted
        in ``attrs["dropped_empty"]``.

    Raises
    ------
    DataFileNotFound, DataError, CRSError
        The file is missing, unreadable, empty or has no CRS; lacks a column; has a blank
        utility name, non-numeric or negative customers, or a geometry that is not a polygon.

    References
    ----------
    GridWatch Indiana (2026), ``utility_territories.geojson``, from HIFLD Electric Retail
    Service Territories. CC BY 4.0; HIFLD public domain.
    """
    hint = "Is this GridWatch's utility_territories.geojson?"
    gdf, what = _read_layer(path, TERRITORY_COLUMNS, hint=hint)
    empty = (gdf.geometry.isna() | gdf.geometry.is_empty).to_numpy()
    if empty.any():
        log.warning("%s: %d territories without geometry dropped", what, int(empty.sum()))
    gdf = gdf[~empty]
    kinds = sorted(set(gdf.geom_type) - {"Polygon", "MultiPolygon"})
    if kinds:
        raise DataError(f"{what}: territories must be polygons, got {kinds}. {hint}")
    names = _text(gdf["utility"])
    if names.isna().any():
        raise DataError(f"{what}: {int(names.isna().sum())} territory(ies) without a utility name")
    customers = numbers(gdf["customers"], what=what, column="customers")
    if (customers < 0).any():
        raise DataError(f"{what}: column 'customers' holds negative counts; expected >= 0")
    kind = _text(gdf["type"])
    out = pd.DataFrame(
        {
            "utility": names,
            "utility_type": kind.mask(kind == NOT_AVAILABLE),
            "customers": customers,
        },
        index=gdf.index,
    )
    territories = _frame(out, gdf).reset_index(drop=True)
    territories.attrs["dropped_empty"] = int(empty.sum())
    return territories


def read_county_restrictions(path: str | Path) -> pd.DataFrame:
    """Read GridWatch's county data-center bans and moratoria
    (``gridwatch_indiana_county_restrictions.json``).

    The file holds ``last_updated``, ``note``, ``sources`` (``label``, ``url``) and
    ``counties`` (``name``, ``type``, ``detail``). The list is partial: a county absent from it
    may still restrict data centers. Names are joined to FIPS codes by
    :func:`join_county_names`.

    Parameters
    ----------
    path : str or pathlib.Path
        The JSON file.

    Returns
    -------
    pandas.DataFrame
        One row per listed county in file order: ``county`` (name as given, stripped),
        ``restriction`` ("ban" or "moratorium"), ``detail`` ("" where not given), ``as_of``
        (``last_updated`` text), ``source`` (every source as "label: url", joined by " | ").

    Raises
    ------
    DataFileNotFound, DataError
        The file is missing or not JSON; lacks a key; lists no county, a county twice, or a
        restriction type other than :data:`RESTRICTION_TYPES`.

    References
    ----------
    GridWatch Indiana (2026), ``gridwatch_indiana_county_restrictions.json`` (as of
    2026-07-17), compiled from datacenterbans.com and WFYI reporting. CC BY 4.0.
    """
    what = str(path)
    doc = _read_json(path)
    if not isinstance(doc, dict) or any(key not in doc for key in RESTRICTION_KEYS):
        found = sorted(doc) if isinstance(doc, dict) else type(doc).__name__
        raise DataError(
            f"{what}: expected an object with keys {list(RESTRICTION_KEYS)}; found {found}. "
            "Is this GridWatch's county restrictions file?"
        )
    entries = doc["counties"]
    if not isinstance(entries, list) or not entries:
        raise DataError(f"{what}: 'counties' lists no county; expected a list of objects")
    rows = [_restriction(entry, what=what) for entry in entries]
    table = pd.DataFrame(rows, columns=list(RESTRICTION_COLUMNS.values()))
    twice = table["county"][table["county"].str.lower().duplicated()]
    if len(twice):
        raise DataError(f"{what}: county(ies) {sorted(set(twice))} listed twice; expected once")
    return table.assign(as_of=str(doc["last_updated"]).strip(), source=_sources(doc, what=what))


def join_county_names(restrictions: pd.DataFrame, counties: pd.DataFrame) -> pd.DataFrame:
    """Add the FIPS code of each restricted county, matching names exactly but ignoring case.

    Parameters
    ----------
    restrictions : pandas.DataFrame
        :func:`read_county_restrictions` output (``county`` names).
    counties : pandas.DataFrame
        The counties of the restrictions' state, with ``fips`` and ``name``.

    Returns
    -------
    pandas.DataFrame
        ``fips`` followed by the columns of ``restrictions``, sorted by ``fips``.

    Raises
    ------
    DataError
        A name matches no county, or several (every such name is listed).

    Examples
    --------
    >>> counties = pd.DataFrame({"fips": ["18017", "18099"], "name": ["Cass", "Marshall"]})
    >>> table = pd.DataFrame({"county": ["marshall", "Cass"], "restriction": ["ban", "ban"]})
    >>> join_county_names(table, counties)["fips"].tolist()
    ['18017', '18099']
    """
    require_columns(restrictions, ["county"], what="county restrictions", hint="")
    require_columns(counties, ["fips", "name"], what="counties", hint="")
    keys = counties["name"].astype(str).str.strip().str.lower()
    fips_by_name = counties["fips"].groupby(keys.to_numpy()).agg(list)
    matches = restrictions["county"].astype(str).str.strip().str.lower().map(fips_by_name)
    unmatched = restrictions["county"][matches.isna()].tolist()
    if unmatched:
        raise DataError(
            f"county restrictions: county name(s) {unmatched} not among the {len(counties)} "
            f"counties given (e.g. {sorted(counties['name'])[:3]}); check the spelling or the "
            "state named for the restrictions file"
        )
    several = {n: m for n, m in zip(restrictions["county"], matches, strict=True) if len(m) > 1}
    if several:
        raise DataError(
            f"county restrictions: county name(s) match several counties {several}; give the "
            "counties of one state only"
        )
    out = restrictions.assign(fips=[m[0] for m in matches])
    columns = ["fips", *[c for c in restrictions.columns if c != "fips"]]
    return out[columns].sort_values("fips", kind="stable").reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------


def _read_layer(
    path: str | Path, columns: Mapping[str, str], *, hint: str
) -> tuple[gpd.GeoDataFrame, str]:
    """A GridWatch vector file with its columns checked, and its name for messages."""
    what = str(path)
    gdf = read_vector(path)
    if gdf.empty:
        raise DataError(f"{what}: no features in the file. {hint}")
    require_columns(gdf, columns, what=what, hint=hint)
    return gdf, what


def _frame(table: pd.DataFrame, gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``table`` with the geometry and CRS of ``gdf`` (same index)."""
    return gpd.GeoDataFrame(table, geometry=gdf.geometry.loc[table.index], crs=gdf.crs)


def _text(values: pd.Series) -> pd.Series:
    """Stripped text; blank or missing is NaN."""
    text = values.astype(str).str.strip()
    return text.mask(text == "")


def _years(values: pd.Series, *, what: str) -> pd.Series:
    """Whole years as a nullable integer; blank is missing, a fraction an error."""
    years = numbers(values, what=what, column="year")
    fraction = years.notna() & (years % 1 != 0)
    if fraction.any():
        raise DataError(
            f"{what}: column 'year' holds {sorted(years[fraction])[:5]}; expected whole years"
        )
    return years.astype("Int64")


def _read_json(path: str | Path) -> object:
    """The parsed JSON document of ``path``."""
    path = Path(path)
    if not path.is_file():
        raise DataFileNotFound(f"{path}: file not found")
    try:
        with path.open(encoding="utf-8") as f:
            return json.load(f)
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise DataError(f"{path}: cannot parse as JSON ({err})") from None


def _restriction(entry: object, *, what: str) -> dict[str, str]:
    """One county entry (``name``, ``type``, ``detail``) in our columns."""
    if not isinstance(entry, dict) or not all(
        isinstance(entry.get(key), str) and entry[key].strip() for key in ("name", "type")
    ):
        raise DataError(f"{what}: county entry {entry!r} lacks a 'name' or 'type' text")
    name = entry["name"].strip()
    kind = entry["type"].strip().lower()
    if kind not in RESTRICTION_TYPES:
        raise DataError(
            f"{what}: county {name!r} has restriction type {entry['type']!r}; expected one of "
            f"{list(RESTRICTION_TYPES)}"
        )
    detail = entry.get("detail")
    detail = detail.strip() if isinstance(detail, str) else ""
    return dict(zip(RESTRICTION_COLUMNS.values(), (name, kind, detail), strict=True))


def _sources(doc: dict, *, what: str) -> str:
    """The file's sources as "label: url" joined by " | "."""
    sources = doc["sources"]
    if not isinstance(sources, list) or not all(
        isinstance(s, dict) and "label" in s and "url" in s for s in sources
    ):
        raise DataError(f"{what}: 'sources' must be a list of objects with 'label' and 'url'")
    return " | ".join(f"{s['label']}: {s['url']}" for s in sources)
