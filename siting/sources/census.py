"""U.S. Census Bureau formats: 2020 tracts with PL 94-171 counts, state and county boundaries.

* :func:`read_pl94171_tracts`: 2020 census tracts with the redistricting counts (total
  population, housing units) joined to TIGER/Line geometry. A joined file names its columns as
  the PL 94-171 geographic header (``GEOID20``, ``POP100``, ``HU100``, ``AREALAND``,
  ``AREAWATR``), as TIGER/Line (``GEOID``, ``ALAND``, ``AWATER``; ``GEOID20``, ``ALAND20``,
  ``AWATER20`` in the 2020 ``tract20`` files), or with the Census API variables for the counts
  (``P1_001N``, ``H1_001N``) or the legacy-format table cells (``P0010001``, ``H0010001``):
  :data:`TRACT_COLUMNS` lists, for each of our columns, the names accepted, first found wins.
* :func:`read_states`, :func:`read_counties`: cartographic boundary (``cb_*``) or TIGER/Line
  (``tl_*``) states and counties. A zipped shapefile is read from its ``.zip`` path.
* :func:`read_urban_areas`: 2020 urban areas (TIGER/Line ``tl_20xx_us_uac20``, cartographic
  boundary ``cb_20xx_us_ua20_500k``; the ``*10`` columns of the 2010 areas and unsuffixed
  names are accepted, :data:`URBAN_AREA_COLUMNS`).

Areas are published in square metres and converted to [km²]. Vector readers return the file's
own CRS (TIGER/Line and cartographic boundary files are NAD83, EPSG:4269).

>>> TRACT_COLUMNS["POP100"], TRACT_COLUMNS["P1_001N"], TRACT_COLUMNS["AREALAND"]
('population', 'population', 'land_area_km2')

References
----------
U.S. Census Bureau (2021). 2020 Census Redistricting Data (Public Law 94-171) Summary File,
technical documentation. https://www.census.gov/programs-surveys/decennial-census/about/rdo/summary-files.html

U.S. Census Bureau (2020–2022). TIGER/Line Shapefiles and Cartographic Boundary Files
(public domain). https://www.census.gov/geographies/mapping-files.html

U.S. Census Bureau (2022). 2020 Census Urban Areas: Urban Area Criteria for the 2020 Census,
Federal Register 87(57) 16706; TIGER/Line and cartographic boundary urban area files.
https://www.census.gov/programs-surveys/geography/guidance/geo-areas/urban-rural.html

U.S. Census Bureau. American National Standards Institute (ANSI) and Federal Information
Processing Series (FIPS) codes, states. https://www.census.gov/library/reference/code-lists/ansi.html
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

import geopandas as gpd
import numpy as np
import pandas as pd

from siting.errors import DataError
from siting.sources.files import fips_codes, numbers, read_vector, require_columns, unique_codes

#: USPS code of each state FIPS code (50 states, DC and Puerto Rico).

#: Census column → ours. Several Census names map to one of ours (PL 94-171 header, TIGER/Line,
#: Census API); the first present in this order is read. Counts are persons and housing units;
#: areas are published in [m²] and converted to [km²].
TRACT_COLUMNS = MappingProxyType(
    {
        "GEOID20": "geoid",
        "GEOID": "geoid",
        "POP100": "population",
        "P1_001N": "population",
        "P0010001": "population",
        "HU100": "housing_units",
        "H1_001N": "housing_units",
        "H0010001": "housing_units",
        "AREALAND": "land_area_km2",
        "ALAND20": "land_area_km2",
        "ALAND": "land_area_km2",
        "AREAWATR": "water_area_km2",
        "AWATER20": "water_area_km2",
        "AWATER": "water_area_km2",
    }
)
#: Our tract columns, in output order (``pop_density_per_km2`` is computed).
TRACT_OUTPUT = (
    "geoid",
    "county_fips",
    "population",
    "housing_units",
    "land_area_km2",
    "water_area_km2",
    "pop_density_per_km2",
)
#: Ours that a tract file may lack (NaN, UNKNOWN, then).
TRACT_OPTIONAL = ("water_area_km2",)
#: Code columns a tract file may carry beside its GEOID, and the GEOID digits each must equal.
GEOID_PARTS = MappingProxyType(
    {"STATEFP": (0, 2), "STATEFP20": (0, 2), "COUNTYFP": (2, 5), "COUNTYFP20": (2, 5)}
)
SQUARE_METRES_PER_KM2 = 1.0e6
TRACT_HINT = "Is this a 2020 census tract file with PL 94-171 counts?"

#: Census state column → ours.
STATE_COLUMNS = MappingProxyType({"STATEFP": "state_fips", "STUSPS": "state", "NAME": "name"})
STATE_HINT = "Is this a Census cartographic boundary or TIGER/Line states file?"

#: Census county column → ours; without ``GEOID`` the code is ``STATEFP`` + ``COUNTYFP``.
COUNTY_COLUMNS = MappingProxyType({"GEOID": "fips", "NAME": "name"})
COUNTY_HINT = "Is this a Census cartographic boundary or TIGER/Line counties file?"

#: Census urban area column → ours; the first present in this order is read (2020 names,
#: 2010 names, unsuffixed). The code is the 5-digit UACE (``GEOID`` equals it); areas are
#: published in [m²] and converted to [km²].
URBAN_AREA_COLUMNS = MappingProxyType(
    {
        "GEOID20": "geoid",
        "UACE20": "geoid",
        "GEOID10": "geoid",
        "UACE10": "geoid",
        "GEOID": "geoid",
        "UACE": "geoid",
        "NAME20": "name",
        "NAME10": "name",
        "NAME": "name",
        "ALAND20": "land_area_km2",
        "ALAND10": "land_area_km2",
        "ALAND": "land_area_km2",
        "AWATER20": "water_area_km2",
        "AWATER10": "water_area_km2",
        "AWATER": "water_area_km2",
    }
)
URBAN_AREA_OUTPUT = ("geoid", "name", "land_area_km2", "water_area_km2")
URBAN_AREA_OPTIONAL = ("water_area_km2",)
URBAN_AREA_HINT = "Is this a Census urban areas file (tl_2020_us_uac20 or cb_2020_us_ua20_500k)?"


def read_pl94171_tracts(path: str | Path) -> gpd.GeoDataFrame:
    """Read 2020 census tracts with their PL 94-171 counts and TIGER/Line geometry.

    Parameters
    ----------
    path : str or pathlib.Path
        A vector file (GeoJSON, GeoPackage ``file.gpkg:layer``, shapefile) with one feature per
        tract and the columns of :data:`TRACT_COLUMNS`.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per tract in file order, in the file's CRS: ``geoid`` (11-digit text),
        ``county_fips`` (its first 5 digits), ``population`` [persons] and ``housing_units``
        (int), ``land_area_km2`` and ``water_area_km2`` [km²] (water NaN if the file has no
        water area), ``pop_density_per_km2`` [persons/km²] (NaN where the land area is 0).

    Raises
    ------
    DataFileNotFound, DataError, CRSError
        The file is missing, unreadable or has no CRS; lacks a GEOID, count or land-area
        column; holds a malformed or repeated GEOID, a GEOID that disagrees with its
        ``STATEFP``/``COUNTYFP``, a count that is not a whole number ≥ 0, or a negative area.

    References
    ----------
    U.S. Census Bureau (2021). 2020 Census Redistricting Data (Public Law 94-171) Summary File;
    TIGER/Line Shapefiles 2020. https://www.census.gov/programs-surveys/decennial-census/about/rdo/summary-files.html
    """
    return tracts_from_frame(read_vector(path), what=str(path))


def tracts_from_frame(gdf: gpd.GeoDataFrame, *, what: str) -> gpd.GeoDataFrame:
    """Our tract columns from a Census tract frame (see :func:`read_pl94171_tracts`)."""
    if gdf.empty:
        raise DataError(f"{what}: no tracts in the file. {TRACT_HINT}")
    source = _tract_sources(gdf, what=what)
    geoid = fips_codes(gdf[source["geoid"]], width=11, what=what, column=source["geoid"])
    unique_codes(geoid, what=what, column=source["geoid"])
    _check_geoid_parts(gdf, geoid, what=what)
    out = {"geoid": geoid, "county_fips": geoid.str[:5]}
    for ours in ("population", "housing_units"):
        out[ours] = _counts(gdf[source[ours]], what=what, column=source[ours])
    for ours in ("land_area_km2", "water_area_km2"):
        theirs = source.get(ours)
        area = _areas_m2(gdf[theirs], what=what, column=theirs) if theirs else np.nan
        out[ours] = area / SQUARE_METRES_PER_KM2
    land = out["land_area_km2"]
    out["pop_density_per_km2"] = (out["population"] / land).where(land > 0)
    frame = pd.DataFrame(out, index=gdf.index)[list(TRACT_OUTPUT)]
    return gpd.GeoDataFrame(frame, geometry=gdf.geometry, crs=gdf.crs).reset_index(drop=True)


def read_states(path: str | Path) -> gpd.GeoDataFrame:
    """Read Census state boundaries (cartographic boundary ``cb_*_us_state_*`` or TIGER/Line).

    Parameters
    ----------
    path : str or pathlib.Path
        A vector file with ``STATEFP``, ``STUSPS`` and ``NAME`` (a zipped shapefile by its
        ``.zip`` path).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per state or territory in file order, in the file's CRS: ``state_fips``
        (2-digit text), ``state`` (USPS code), ``name``, geometry.

    Raises
    ------
    DataFileNotFound, DataError, CRSError
        The file is missing, unreadable, empty or has no CRS; lacks a column; has a
        malformed, repeated or blank code.

    References
    ----------
    U.S. Census Bureau (2022). Cartographic Boundary Files: States (cb_2022_us_state_500k).
    https://www.census.gov/geographies/mapping-files/time-series/geo/cartographic-boundary.html
    """
    gdf = read_vector(path)
    what = str(path)
    if gdf.empty:
        raise DataError(f"{what}: no states in the file. {STATE_HINT}")
    require_columns(gdf, STATE_COLUMNS, what=what, hint=STATE_HINT)
    fips = fips_codes(gdf["STATEFP"], width=2, what=what, column="STATEFP")
    unique_codes(fips, what=what, column="STATEFP")
    out = pd.DataFrame({"state_fips": fips}, index=gdf.index)
    for theirs in ("STUSPS", "NAME"):
        out[STATE_COLUMNS[theirs]] = _text(gdf[theirs], what=what, column=theirs)
    return gpd.GeoDataFrame(out, geometry=gdf.geometry, crs=gdf.crs).reset_index(drop=True)


def read_counties(path: str | Path) -> gpd.GeoDataFrame:
    """Read Census county boundaries (cartographic boundary ``cb_*_us_county_*`` or TIGER/Line).

    Parameters
    ----------
    path : str or pathlib.Path
        A vector file with ``NAME`` and ``GEOID`` (or ``STATEFP`` and ``COUNTYFP``). Other
        columns (``NAMELSAD``, ``STUSPS``, ``STATE_NAME``) are not carried: ``NAME`` is the
        name without its legal description ("St. Joseph", not "St. Joseph County").

    Returns
    -------
    geopandas.GeoDataFrame
        One row per county or equivalent in file order, in the file's CRS: ``fips`` (5-digit
        text), ``name``, ``state_fips`` (2-digit text), geometry.

    Raises
    ------
    DataFileNotFound, DataError, CRSError
        The file is missing, unreadable, empty or has no CRS; lacks a column; has a
        malformed, repeated or blank code or name.

    References
    ----------
    U.S. Census Bureau (2022). Cartographic Boundary Files: Counties (cb_2022_us_county_500k);
    TIGER/Line Shapefiles: Counties. https://www.census.gov/geographies/mapping-files.html
    """
    gdf = read_vector(path)
    what = str(path)
    if gdf.empty:
        raise DataError(f"{what}: no counties in the file. {COUNTY_HINT}")
    code = ["GEOID"] if "GEOID" in gdf.columns else ["STATEFP", "COUNTYFP"]
    require_columns(gdf, [*code, "NAME"], what=what, hint=COUNTY_HINT)
    fips = _county_fips(gdf, what=what)
    unique_codes(fips, what=what, column="+".join(code))
    out = pd.DataFrame({COUNTY_COLUMNS["GEOID"]: fips}, index=gdf.index)
    out[COUNTY_COLUMNS["NAME"]] = _text(gdf["NAME"], what=what, column="NAME")
    out["state_fips"] = fips.str[:2]
    return gpd.GeoDataFrame(out, geometry=gdf.geometry, crs=gdf.crs).reset_index(drop=True)


def read_urban_areas(path: str | Path) -> gpd.GeoDataFrame:
    """Read Census urban areas (2020; the 2010 vintage and unsuffixed names are accepted).

    Parameters
    ----------
    path : str or pathlib.Path
        A vector file with the columns of :data:`URBAN_AREA_COLUMNS` (TIGER/Line
        ``tl_2020_us_uac20``, cartographic boundary ``cb_2020_us_ua20_500k``; a zipped
        shapefile by its ``.zip`` path).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per urban area in file order, in the file's CRS: ``geoid`` (5-digit UACE
        text), ``name`` (e.g. "Indianapolis, IN"), ``land_area_km2`` and ``water_area_km2``
        [km²] (water NaN if the file has no water area), geometry.

    Raises
    ------
    DataFileNotFound, DataError, CRSError
        The file is missing, unreadable, empty or has no CRS; lacks a code, name or land-area
        column; holds a malformed, repeated or blank code, a blank name or a negative area.

    References
    ----------
    U.S. Census Bureau (2023). TIGER/Line Shapefiles: 2020 Urban Areas (tl_2020_us_uac20).
    https://www.census.gov/geographies/mapping-files/time-series/geo/tiger-line-file.html
    """
    gdf = read_vector(path)
    what = str(path)
    if gdf.empty:
        raise DataError(f"{what}: no urban areas in the file. {URBAN_AREA_HINT}")
    source = _column_sources(
        gdf, URBAN_AREA_COLUMNS, optional=URBAN_AREA_OPTIONAL, what=what, hint=URBAN_AREA_HINT
    )
    geoid = fips_codes(gdf[source["geoid"]], width=5, what=what, column=source["geoid"])
    unique_codes(geoid, what=what, column=source["geoid"])
    out = {"geoid": geoid, "name": _text(gdf[source["name"]], what=what, column=source["name"])}
    for ours in ("land_area_km2", "water_area_km2"):
        theirs = source.get(ours)
        area = _areas_m2(gdf[theirs], what=what, column=theirs) if theirs else np.nan
        out[ours] = area / SQUARE_METRES_PER_KM2
    frame = pd.DataFrame(out, index=gdf.index)[list(URBAN_AREA_OUTPUT)]
    return gpd.GeoDataFrame(frame, geometry=gdf.geometry, crs=gdf.crs).reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------


def _tract_sources(table: pd.DataFrame, *, what: str) -> dict[str, str]:
    """For each of our tract columns, the first of its Census names in ``table``."""
    return _column_sources(
        table, TRACT_COLUMNS, optional=TRACT_OPTIONAL, what=what, hint=TRACT_HINT
    )


def _column_sources(
    table: pd.DataFrame,
    columns: Mapping[str, str],
    *,
    optional: tuple[str, ...],
    what: str,
    hint: str,
) -> dict[str, str]:
    """For each of our columns, the first of its Census names (``columns``) in ``table``; a
    column not in ``optional`` without any of its names is an error listing the names."""
    chosen: dict[str, str] = {}
    for theirs, ours in columns.items():
        if theirs in table.columns:
            chosen.setdefault(ours, theirs)
    missing = {
        ours: [t for t, o in columns.items() if o == ours]
        for ours in dict.fromkeys(columns.values())
        if ours not in chosen and ours not in optional
    }
    if missing:
        wanted = "; ".join(f"{ours}: one of {names}" for ours, names in missing.items())
        raise DataError(
            f"{what}: column(s) missing ({wanted}); found {list(table.columns)}. {hint}"
        )
    return chosen


def _check_geoid_parts(table: pd.DataFrame, geoid: pd.Series, *, what: str) -> None:
    """Raise if a ``STATEFP``/``COUNTYFP`` column disagrees with the digits of the GEOID."""
    for column, (start, stop) in GEOID_PARTS.items():
        if column not in table.columns:
            continue
        part = fips_codes(table[column], width=stop - start, what=what, column=column)
        wrong = part.to_numpy() != geoid.str[start:stop].to_numpy()
        if wrong.any():
            raise DataError(
                f"{what}: column {column!r} disagrees with the tract GEOID for "
                f"{sorted(geoid[wrong])[:5]}; the GEOID must start with the state and county code"
            )


def _counts(values: pd.Series, *, what: str, column: str) -> pd.Series:
    """Whole counts ≥ 0 as int64; a blank, fraction or negative count is an error."""
    count = numbers(values, what=what, column=column)
    bad = count.isna() | (count < 0) | (count % 1 != 0)
    if bad.any():
        raise DataError(
            f"{what}: column {column!r} holds {sorted(map(str, values[bad.to_numpy()]))[:5]}; "
            "expected whole counts ≥ 0 for every tract"
        )
    return count.astype("int64")


def _areas_m2(values: pd.Series, *, what: str, column: str) -> pd.Series:
    """Areas in [m²] as float; blank is NaN, negative is an error."""
    area = numbers(values, what=what, column=column)
    negative = sorted(area[area < 0].tolist())[:5]
    if negative:
        raise DataError(
            f"{what}: column {column!r} holds negative areas {negative}; expected square metres ≥ 0"
        )
    return area


def _county_fips(table: pd.DataFrame, *, what: str) -> pd.Series:
    """5-digit county FIPS from ``GEOID``, else from ``STATEFP`` + ``COUNTYFP``."""
    if "GEOID" in table.columns:
        return fips_codes(table["GEOID"], width=5, what=what, column="GEOID")
    state = fips_codes(table["STATEFP"], width=2, what=what, column="STATEFP")
    return state + fips_codes(table["COUNTYFP"], width=3, what=what, column="COUNTYFP")


def _text(values: pd.Series, *, what: str, column: str) -> pd.Series:
    """Stripped text; a blank value is an error (codes and names identify the rows)."""
    text = values.astype("string").str.strip()
    blank = text.isna() | (text == "")
    if blank.any():
        raise DataError(f"{what}: column {column!r} is blank in {int(blank.sum())} row(s)")
    return text.astype(str)
