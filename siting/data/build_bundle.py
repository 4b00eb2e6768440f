"""Build the compact embedded data bundle of *siting* from the raw public inputs.

Run from the repository root::

    python siting/data/build_bundle.py --source ../shared/data [--cpi-db PATH]

The script is deterministic: every CSV is sorted and written from the source text (numbers are
not re-formatted), binary files are copied byte for byte, and the GeoPackage is written with a
fixed timestamp, so a re-run gives byte-identical files.  Every output gets one provenance row
in ``SOURCES.csv`` (read by the engine for run manifests) and ``SOURCES.md``.

Outputs (relative to ``--dest``, by default the folder holding this script):

- ``indiana.gpkg``: vector layers, all in EPSG:5070 (NAD83 / CONUS Albers).
- ``tables/*.csv``, ``tables/queue_lbnl_2024.csv.gz``: county-level and gridded tables.
- ``tables/bls_cpi_u_annual.csv``: annual CPI-U (BLS series CUUR0000SA0) from 2015. The raw
  folder does not hold it: with ``--cpi-db PATH`` it is extracted again from the SQLite
  database ``cpi/cpi.db`` shipped in the wheel of the PyPI package ``cpi`` (e.g. after
  ``pip download cpi==2.1.0 --no-deps -d /tmp/cpi`` and unzipping the wheel); without it the
  committed table is kept (copied when ``--dest`` is another folder) and only its provenance
  row is written again.
- ``weather/``: TMY3 weather files (copied).
- ``LICENSES/``: licence texts of the shipped data.
- ``SOURCES.csv``, ``SOURCES.md``: provenance.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import logging
import shutil
import sqlite3
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from siting.sources import cdc_svi, tract_tables, usgs_water_use

LOG = logging.getLogger("build_bundle")

CRS = "EPSG:5070"
GPKG_NAME = "indiana.gpkg"
# Fixed GeoPackage timestamp (gpkg_contents.last_change) so the file is reproducible.
GPKG_DATE = "2000-01-01T00:00:00.000Z"
INDIANA_POPULATION_2020 = 6_785_528
NEIGHBOUR_STATE_FIPS = {
    "18": "Indiana",
    "17": "Illinois",
    "39": "Ohio",
    "26": "Michigan",
    "21": "Kentucky",
}
# Text that means "no value" in the raw tables; never read as zero.
MISSING_TOKENS = ("", "--", "-", "NA", "N/A", "na", "n/a", "NaN", "nan")
TAGS = ("real", "real-derived", "proxy", "synthetic")
SOURCES_COLUMNS = ["path", "title", "source", "vintage", "license", "tag", "derived_from", "notes"]

CC_BY_GRIDWATCH = "CC BY 4.0 (credit GridWatch Indiana)"
ODBL = "ODbL 1.0 (© OpenStreetMap contributors)"


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------


def _row(path, title, source, vintage, license_, tag, derived_from, notes):
    """Return one provenance row as a dict (see ``SOURCES_COLUMNS``).

    Parameters
    ----------
    path : str
        Output path relative to the bundle folder (``indiana.gpkg:layer`` for layers).
    title, source, vintage, license_, tag, derived_from, notes : str
        Provenance fields; ``tag`` must be one of ``TAGS``.

    Returns
    -------
    dict
    """
    if tag not in TAGS:
        raise ValueError(f"bad tag {tag!r} for {path}")
    return dict(
        zip(
            SOURCES_COLUMNS,
            [path, title, source, vintage, license_, tag, derived_from, notes],
            strict=True,
        )
    )


def _read_vector(source, rel):
    """Read a raw vector file and reproject it to EPSG:5070.

    Parameters
    ----------
    source : pathlib.Path
        Raw data folder.
    rel : str
        File path relative to ``source``.

    Returns
    -------
    geopandas.GeoDataFrame
    """
    gdf = gpd.read_file(source / rel, engine="pyogrio")
    if gdf.crs is None:
        raise ValueError(f"{rel}: no CRS")
    LOG.info("read %s: %d features", rel, len(gdf))
    return gdf.to_crs(CRS)


def _write_layer(gdf, dest, layer):
    """Write one GeoPackage layer in EPSG:5070 with geometry column ``geometry``.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Data to write; must already be in EPSG:5070.
    dest : pathlib.Path
        Bundle folder.
    layer : str
        Layer name.
    """
    if gdf.crs is None or gdf.crs.to_epsg() != 5070:
        raise ValueError(f"layer {layer}: CRS must be EPSG:5070")
    gdf = gdf.reset_index(drop=True)
    gdf.to_file(
        dest / GPKG_NAME,
        layer=layer,
        driver="GPKG",
        engine="pyogrio",
        layer_options={"GEOMETRY_NAME": "geometry"},
    )
    LOG.info("wrote %s:%s (%d rows)", GPKG_NAME, layer, len(gdf))


def _repair_polygons(gdf, label):
    """Repair invalid geometries with ``make_valid`` and keep only their polygonal parts.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Polygon layer (projected).
    label : str
        Name used in log messages.

    Returns
    -------
    gdf : geopandas.GeoDataFrame
        Layer with valid (Multi)Polygons only; empty results dropped.
    n_repaired : int
        Number of geometries that were invalid.
    n_dropped : int
        Number of features dropped because nothing polygonal was left.
    """
    geoms = gdf.geometry.values
    invalid = ~shapely.is_valid(geoms)
    n_repaired = int(invalid.sum())
    if n_repaired:
        fixed = []
        for geom in shapely.make_valid(geoms[invalid]):
            parts = [
                p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")
            ]
            fixed.append(shapely.union_all(parts) if parts else shapely.Polygon())
        geoms = geoms.copy()
        geoms[invalid] = fixed
        gdf = gdf.set_geometry(gpd.GeoSeries(geoms, index=gdf.index, crs=gdf.crs))
    keep = ~gdf.geometry.is_empty & gdf.geometry.notna()
    n_dropped = int((~keep).sum())
    LOG.info("%s: %d invalid geometries repaired, %d empty dropped", label, n_repaired, n_dropped)
    return gdf[keep].copy(), n_repaired, n_dropped


def _read_text_table(path, encoding, **kwargs):
    """Read a raw CSV as text, stripping column names; missing tokens become NA.

    Parameters
    ----------
    path : pathlib.Path
        CSV file (plain or gzip).
    encoding : str
        Text encoding of the file.
    **kwargs
        Passed to :func:`pandas.read_csv`.

    Returns
    -------
    pandas.DataFrame
        All columns as strings; values in ``MISSING_TOKENS`` are NA.
    """
    df = pd.read_csv(path, dtype=str, encoding=encoding, keep_default_na=False, **kwargs)
    df.columns = [c.strip() for c in df.columns]
    df = df.apply(lambda s: s.str.strip())
    return df.mask(df.isin(MISSING_TOKENS))


def _check_numeric(df, columns, label):
    """Fail if a column holds text that is neither a number nor missing.

    Parameters
    ----------
    df : pandas.DataFrame
        Table with text columns.
    columns : list of str
        Columns that must be numeric.
    label : str
        Name used in messages.

    Returns
    -------
    dict
        Number of missing values per column.
    """
    nan_counts = {}
    for col in columns:
        pd.to_numeric(df[col], errors="raise")
        nan_counts[col] = int(df[col].isna().sum())
    LOG.info("%s: missing values %s", label, nan_counts)
    return nan_counts


def _fips5(series):
    """Zero-pad county FIPS codes to 5-character strings.

    Parameters
    ----------
    series : pandas.Series
        FIPS as text (leading zeros possibly dropped).

    Returns
    -------
    pandas.Series
    """
    out = series.astype(str).str.strip().str.split(".").str[0].str.zfill(5)
    bad = ~out.str.fullmatch(r"\d{5}")
    if bad.any():
        raise ValueError(f"malformed FIPS: {sorted(out[bad].unique())[:5]}")
    return out


def _write_csv(df, path):
    """Write a table as UTF-8 CSV with Unix line ends; NA is written as empty.

    Parameters
    ----------
    df : pandas.DataFrame
        Table, already sorted.
    path : pathlib.Path
        Output file.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(path, index=False, encoding="utf-8", lineterminator="\n", na_rep="")
    LOG.info("wrote %s (%d rows)", path.name, len(df))


def _nan_note(counts):
    """Format missing-value counts for a provenance note.

    Parameters
    ----------
    counts : dict
        Column name to number of missing values.

    Returns
    -------
    str
    """
    nonzero = {k: v for k, v in counts.items() if v}
    if not nonzero:
        return "no missing values in the selected columns"
    return "missing (empty) values: " + ", ".join(f"{k} {v}" for k, v in nonzero.items())


def _copy(src, dst):
    """Copy a file byte for byte, creating the target folder.

    Parameters
    ----------
    src, dst : pathlib.Path
        Source and destination files.
    """
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)
    LOG.info("copied %s -> %s", src.name, dst.name)


# --------------------------------------------------------------------------------------------
# GeoPackage layers
# --------------------------------------------------------------------------------------------


def build_state(source, dest):
    """Write layer ``state``: the Indiana outline.

    Parameters
    ----------
    source, dest : pathlib.Path
        Raw data folder and bundle folder.

    Returns
    -------
    dict
        Provenance row.
    """
    rel = "grid/indiana_gridwatch/indiana.geojson"
    gdf = _read_vector(source, rel)
    if len(gdf) != 1:
        raise ValueError(f"{rel}: expected 1 feature, got {len(gdf)}")
    out = gpd.GeoDataFrame({"name": ["Indiana"]}, geometry=gdf.geometry.values, crs=CRS)
    _write_layer(out, dest, "state")
    return _row(
        f"{GPKG_NAME}:state",
        "Indiana state outline",
        "GridWatch Indiana (state boundary)",
        "n.d. (GridWatch compilation)",
        CC_BY_GRIDWATCH,
        "real",
        rel,
        "1 polygon; GridWatch's column as published (name), read by siting.sources.gridwatch; "
        "generalised outline (~1e-4 degree vertices), reprojected EPSG:4326 -> EPSG:5070",
    )


def build_counties(source, dest):
    """Write layer ``counties``: the 92 Indiana counties, in GridWatch's columns.

    Parameters
    ----------
    source, dest : pathlib.Path
        Raw data folder and bundle folder.

    Returns
    -------
    dict
        Provenance row.
    """
    rel = "grid/indiana_gridwatch/counties.geojson"
    gdf = _read_vector(source, rel)
    fips = _fips5(gdf["fips"])
    if len(gdf) != 92 or fips.duplicated().any() or not fips.str.startswith("18").all():
        raise ValueError("counties: expected 92 unique Indiana FIPS codes")
    out = gdf.assign(_fips=fips).sort_values("_fips").drop(columns="_fips")
    _write_layer(out[["id", "fips", "county", "lsad", "geometry"]], dest, "counties")
    area_km2 = out.geometry.area.sum() / 1e6
    return _row(
        f"{GPKG_NAME}:counties",
        "Indiana counties",
        "GridWatch Indiana (Census county boundaries)",
        "n.d. (GridWatch compilation)",
        CC_BY_GRIDWATCH,
        "real",
        rel,
        "92 counties; GridWatch's columns as published (id, fips, county, lsad), read by "
        "siting.sources.gridwatch; reprojected EPSG:4326 -> EPSG:5070, sorted by FIPS "
        f"(total planar area {area_km2:,.0f} km2, generalised boundaries)",
    )


def build_transmission_lines(source, dest):
    """Write layer ``transmission_lines``: HIFLD lines >= 138 kV in and around Indiana.

    Parameters
    ----------
    source, dest : pathlib.Path
        Raw data folder and bundle folder.

    Returns
    -------
    dict
        Provenance row.
    """
    rel = "grid/indiana_gridwatch/transmission.geojson"
    gdf = _read_vector(source, rel)
    kv = pd.to_numeric(gdf["kv"], errors="coerce").astype("float64")
    n_unknown = int((~(kv > 0)).sum())
    length_km = gdf.geometry.length / 1e3
    _write_layer(gdf[["kv", "class", "owner", "geometry"]], dest, "transmission_lines")
    counts = kv[kv > 0].value_counts().sort_index()
    kv_txt = ", ".join(f"{int(n)}x{k:g}" for k, n in counts.items())
    n_owner_na = int((gdf["owner"] == "NOT AVAILABLE").sum())
    return _row(
        f"{GPKG_NAME}:transmission_lines",
        "Transmission lines >= 138 kV",
        "HIFLD Electric Power Transmission Lines via GridWatch Indiana",
        "2024",
        CC_BY_GRIDWATCH + "; HIFLD public domain",
        "real",
        rel,
        f"{len(gdf)} lines in and around Indiana ({kv_txt} kV); {length_km.sum():,.0f} km; "
        "GridWatch's columns as published (kv in kV, class = HIFLD VOLT_CLASS, owner), read "
        f"by siting.sources.gridwatch; unknown or non-positive kv: {n_unknown} lines; owner "
        f"'NOT AVAILABLE' as in source ({n_owner_na} lines); reprojected to EPSG:5070, "
        "geometry not simplified",
    )


def build_power_plants(source, dest):
    """Write layer ``power_plants``: Indiana-area power plants.

    Parameters
    ----------
    source, dest : pathlib.Path
        Raw data folder and bundle folder.

    Returns
    -------
    dict
        Provenance row.
    """
    rel = "grid/indiana_gridwatch/power_plants.geojson"
    gdf = _read_vector(source, rel)
    out = gpd.GeoDataFrame(
        {
            "name": gdf["name"].astype(str),
            "fuel": gdf["fuel"].astype(str),
            "capacity_mw": gdf["capacity_mw"].astype("float64"),
            "year": gdf["year"].astype("int64"),
            "owner": gdf["owner"].astype(str),
        },
        geometry=gdf.geometry,
        crs=CRS,
    )
    _write_layer(out, dest, "power_plants")
    return _row(
        f"{GPKG_NAME}:power_plants",
        "Power plants",
        "GridWatch Indiana (WRI Global Power Plant Database / EIA)",
        "n.d. (commissioning years up to 2020)",
        CC_BY_GRIDWATCH,
        "real",
        rel,
        f"{len(out)} plants, {out['capacity_mw'].sum():,.0f} MW; capacity_mw in MW; "
        "year = commissioning year; fuel = primary fuel (lower case)",
    )


def _build_water_polygons(source, dest, rel, layer, title):
    """Write an OSM water-polygon layer (lakes or river areas) with ``area_km2``.

    Parameters
    ----------
    source, dest : pathlib.Path
        Raw data folder and bundle folder.
    rel : str
        Raw file relative to ``source``.
    layer, title : str
        Layer name and title.

    Returns
    -------
    dict
        Provenance row.
    """
    gdf = _read_vector(source, rel)
    gdf, n_rep, n_drop = _repair_polygons(gdf, layer)
    out = gpd.GeoDataFrame({"area_km2": gdf.geometry.area / 1e6}, geometry=gdf.geometry, crs=CRS)
    _write_layer(out, dest, layer)
    return _row(
        f"{GPKG_NAME}:{layer}",
        title,
        "OpenStreetMap via geo-maps (simonepri/geo-maps, 10 m)",
        "2017",
        ODBL,
        "real",
        rel,
        f"{len(out)} polygons, Indiana + 5 km; {n_rep} invalid geometries repaired "
        f"(make_valid, polygonal parts kept), {n_drop} dropped; area_km2 = planar "
        "area in EPSG:5070 (km2). ODbL: OSM-derived database kept as its own layer, "
        "see LICENSES/ODbL_OpenStreetMap_NOTE.md",
    )


def build_lakes(source, dest):
    """Write layer ``lakes`` (OSM lake polygons).

    Parameters
    ----------
    source, dest : pathlib.Path
        Raw data folder and bundle folder.

    Returns
    -------
    dict
        Provenance row.
    """
    return _build_water_polygons(
        source,
        dest,
        "land/osm_geomaps_lakes_10m_indiana.geojson",
        "lakes",
        "Lakes (OSM water polygons)",
    )


def build_rivers(source, dest):
    """Write layer ``rivers`` (OSM river-area polygons).

    Parameters
    ----------
    source, dest : pathlib.Path
        Raw data folder and bundle folder.

    Returns
    -------
    dict
        Provenance row.
    """
    return _build_water_polygons(
        source,
        dest,
        "land/osm_geomaps_river_areas_10m_indiana.geojson",
        "rivers",
        "River areas (OSM water polygons)",
    )


def build_national_forest(source, dest):
    """Write layer ``national_forest``: Hoosier National Forest ranger districts.

    Parameters
    ----------
    source, dest : pathlib.Path
        Raw data folder and bundle folder.

    Returns
    -------
    dict
        Provenance row.
    """
    rel = "protected/usfs_hoosier_nf_ranger_districts.geojson"
    gdf = _read_vector(source, rel)
    gdf, n_rep, _ = _repair_polygons(gdf, "national_forest")
    out = gpd.GeoDataFrame(
        {
            "name": gdf["FORESTNAME"].str.strip() + " — " + gdf["DISTRICTNA"].str.strip(),
            "gis_acres": gdf["GIS_ACRES"].astype("float64"),
        },
        geometry=gdf.geometry,
        crs=CRS,
    ).sort_values("name")
    _write_layer(out, dest, "national_forest")
    return _row(
        f"{GPKG_NAME}:national_forest",
        "Hoosier National Forest ranger districts",
        "USDA Forest Service ranger district boundaries (via civic-data-boundaries)",
        "n.d.",
        "public domain (USFS); packaging MIT",
        "real",
        rel,
        f"{len(out)} districts; PROCLAMATION boundaries: they include private "
        "inholdings, so not all land inside is federal; gis_acres from USFS "
        f"(acres); {n_rep} invalid geometries repaired",
    )


def build_protected_fee_h3(source, dest):
    """Write layer ``protected_fee_h3``: PAD-US 4.1 fee lands on H3 resolution-7 cells.

    Parameters
    ----------
    source, dest : pathlib.Path
        Raw data folder and bundle folder.

    Returns
    -------
    dict
        Provenance row.
    """
    rel = "protected/padus41_fee_h3res7_indiana.geojson"
    gdf = _read_vector(source, rel)
    out = gpd.GeoDataFrame(
        {
            "unit_name": gdf["Unit_Nm"].astype(str),
            "manager": gdf["Mang_Name"].astype(str),
            "h3_res7": gdf["h3_res7"].astype(str),
        },
        geometry=gdf.geometry,
        crs=CRS,
    ).sort_values(["h3_res7", "unit_name", "manager"])
    n_dup = int(out["h3_res7"].duplicated().sum())
    _write_layer(out, dest, "protected_fee_h3")
    return _row(
        f"{GPKG_NAME}:protected_fee_h3",
        "Protected fee lands on H3 res-7 cells",
        "USGS PAD-US 4.1 (Fee) rasterised to H3 res 7 by DarkHours",
        "PAD-US 4.1",
        "public domain (PAD-US); processing MIT (DarkHours)",
        "real",
        rel,
        f"{len(out)} cells (~5 km2 each; {out['h3_res7'].nunique()} distinct, "
        f"{n_dup} repeated for overlapping units); coarse; use as a check, not an "
        "exclusion (a small park fills a whole cell); no GAP status; manager = "
        "PAD-US Mang_Name code; source column is_blacklisted dropped",
    )


def build_tracts(source, dest):
    """Write layer ``tracts``: 2020 Census tracts with PL 94-171 counts, in the Census columns.

    Parameters
    ----------
    source, dest : pathlib.Path
        Raw data folder and bundle folder.

    Returns
    -------
    dict
        Provenance row.
    """
    rel = "community/census2020_pl94171_indiana_tracts.geojson"
    gdf = _read_vector(source, rel)
    pop = gdf["POP100"].astype("int64")
    total = int(pop.sum())
    if total != INDIANA_POPULATION_2020:
        raise ValueError(
            f"tracts: population sums to {total:,}, expected {INDIANA_POPULATION_2020:,}"
        )
    geoid = gdf["GEOID20"].astype(str).str.zfill(11)
    if (
        geoid.duplicated().any()
        or (geoid.str[2:5] != gdf["COUNTYFP"].astype(str).str.zfill(3)).any()
    ):
        raise ValueError("tracts: duplicate GEOID20 or GEOID20/COUNTYFP mismatch")
    columns = ["GEOID20", "NAME", "COUNTYFP", "POP100", "HU100", "AREALAND", "AREAWATR"]
    out = gdf.assign(_geoid=geoid).sort_values("_geoid")[[*columns, "geometry"]]
    n_zero = int((pd.to_numeric(out["AREALAND"]) == 0).sum())
    _write_layer(out, dest, "tracts")
    return _row(
        f"{GPKG_NAME}:tracts",
        "Census 2020 tracts with population",
        "US Census Bureau 2020 PL 94-171 redistricting data + TIGER/Line",
        "2020",
        "public domain",
        "real",
        rel,
        f"{len(out)} tracts, population sums to {total:,}; the Census columns as published "
        f"({', '.join(columns)}: POP100 persons, HU100 housing units, AREALAND/AREAWATR m2), "
        "read by siting.sources.census; reprojected to EPSG:5070, sorted by GEOID20; "
        f"{n_zero} water-only tracts with zero land area",
    )


def build_county_water_use(source, dest):
    """Write ``tables/usgs_water_use_2015_county.csv``: USGS 2015 withdrawals, all US counties,
    in the USGS columns the run reads.

    Parameters
    ----------
    source, dest : pathlib.Path
        Raw data folder and bundle folder.

    Returns
    -------
    dict
        Provenance row.
    """
    rel = "water/usgs_water_use_2015_county_v2.csv"
    raw = _read_text_table(source / rel, encoding="utf-8")
    columns = list(usgs_water_use.WATER_USE_COLUMNS)
    numeric = [c for c in columns if c not in usgs_water_use.TEXT_COLUMNS]
    counts = _check_numeric(raw, numeric, "water use")
    if _fips5(raw["FIPS"]).duplicated().any():
        raise ValueError("water use: duplicate FIPS")
    out = raw.assign(_fips=_fips5(raw["FIPS"])).sort_values("_fips")[columns]
    target = "tables/usgs_water_use_2015_county.csv"
    _write_csv(out, dest / target)
    return _row(
        target,
        "County water withdrawals 2015",
        "USGS Estimated Use of Water in the United States, county data 2015 (v2)",
        "2015",
        "public domain",
        "real",
        rel,
        f"{len(out)} counties and equivalents (incl. PR, VI); the USGS columns the run reads, "
        f"as published ({', '.join(columns)}; withdrawals in Mgal/d, population in "
        "thousands), read by siting.sources.usgs_water_use; '--' -> empty, never 0; "
        f"{_nan_note(counts)}",
    )


def build_county_svi(source, dest):
    """Write ``tables/cdc_svi_2022_county.csv``: CDC/ATSDR SVI 2022 of all US counties, in the
    CDC columns the run reads.

    Parameters
    ----------
    source, dest : pathlib.Path
        Raw data folder and bundle folder.

    Returns
    -------
    dict
        Provenance row.
    """
    rel = "community/cdc_svi_2022_us_county.csv"
    raw = _read_text_table(source / rel, encoding="utf-8-sig")
    columns = ["ST", "STATE", "ST_ABBR", "STCNTY", "COUNTY", "FIPS", "LOCATION"]
    columns += [c for c in cdc_svi.SVI_COLUMNS if c not in columns]
    numeric = [c for c in columns if c.startswith(("RPL_", "E_"))]
    counts = _check_numeric(raw, numeric, "SVI")
    if _fips5(raw["FIPS"]).duplicated().any():
        raise ValueError("SVI: duplicate FIPS")
    out = raw.assign(_fips=_fips5(raw["FIPS"])).sort_values("_fips")[columns]
    target = "tables/cdc_svi_2022_county.csv"
    _write_csv(out, dest / target)
    return _row(
        target,
        "Social Vulnerability Index 2022, counties",
        "CDC/ATSDR Social Vulnerability Index 2022 (county, US)",
        "2022 (ACS 2018–2022)",
        "public domain",
        "real",
        rel,
        f"{len(out)} counties; the CDC columns the run reads, as published ({', '.join(columns)}"
        "; RPL_* = percentile rank 0–1 within the US, -999 = missing), read by "
        f"siting.sources.cdc_svi; {_nan_note(counts)}",
    )


TRACT2020_TITLE = "tract2020_eji2024_depindex2023_ice"
TRACT2010_TITLE = "tract2010_svi2018_ejscreen2020_cre2019"
TRACT2020_NOTE = (
    "dep_index = deprivation index 0-1 (higher = more deprived), dep_index_fraction_poverty = "
    "share below the poverty line 0-1, dep_index_median_income = median household income US$ "
    "(ACS 2019-2023)"
)
TRACT2010_NOTE = (
    "svi2018 = SVI 2018 RPL_THEMES national percentile 0-1 (-999 = missing); EJScreen 2020: "
    "pm_conc ug/m3, ozone_conc ppb, diesel_pm ug/m3, cancer_risk per million, "
    "traffic_proximity daily vehicles / m, nat_priority/risk_management/disposal_proximity "
    "count / km, major_discharger_water toxicity-weighted concentration / m"
)


def _write_csv_gz(df, path):
    """Write a table as gzipped UTF-8 CSV with a zero timestamp (byte-identical re-runs).

    Parameters
    ----------
    df : pandas.DataFrame
        Table, already sorted.
    path : pathlib.Path
        Output file (``.csv.gz``).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    text = df.to_csv(index=False, lineterminator="\n", na_rep="")
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as fh:
        fh.write(text.encode("utf-8"))
    LOG.info("wrote %s (%d rows)", path.name, len(df))


def _build_tract_table(source, dest, *, stem, columns, national, title, vintage, note):
    """Copy a regional tract community table as is, or select the national table's columns."""
    rel = f"community/{stem}_{'us.csv.gz' if national else 'indiana.csv'}"
    target = f"tables/{stem}_{'us.csv.gz' if national else 'indiana.csv'}"
    if national:
        raw = _read_text_table(source / rel, "utf-8", compression="gzip")
        key = columns[0]
        out = raw.assign(_g=raw[key].str.zfill(11)).sort_values("_g", kind="stable")[columns]
        counts = _check_numeric(out, columns[1:], stem)
        _write_csv_gz(out, dest / target)
        what = (
            f"{len(out):,} US tracts; only the columns the run reads, as published "
            f"({', '.join(columns)}), sorted by tract; the populations the national and state "
            f"percentile ranks are taken within; {_nan_note(counts)}"
        )
    else:
        _copy(source / rel, dest / target)
        rows = len(pd.read_csv(dest / target, dtype=str, usecols=[0]))
        what = f"{rows:,} Indiana tracts, copied byte for byte (all columns)"
    return _row(
        target,
        title,
        "geomarker.io compilation of CDC/ATSDR, EPA, Census and ACS tract data",
        vintage,
        "public domain sources",
        "real",
        rel,
        f"{what}; GEOIDs written as numbers (leading zero restored by the reader); {note}; "
        "read by siting.sources.tract_tables",
    )


def build_tract2020_indiana(source, dest):
    """Copy the Indiana 2020-tract community table (deprivation index, EJI 2024, ICE)."""
    return _build_tract_table(
        source, dest, stem=TRACT2020_TITLE, columns=None, national=False,
        title="2020 tracts: deprivation index 2023, EJI 2024 indicators, ICE (Indiana)",
        vintage="2020 tracts; ACS 2019-2023; EJI 2024", note=TRACT2020_NOTE,
    )  # fmt: skip


def build_tract2010_indiana(source, dest):
    """Copy the Indiana 2010-tract community table (SVI 2018, EJScreen 2020, CRE 2019)."""
    return _build_tract_table(
        source, dest, stem=TRACT2010_TITLE, columns=None, national=False,
        title="2010 tracts: CDC SVI 2018, EPA EJScreen 2020, Census CRE 2019 (Indiana)",
        vintage="2010 tracts; SVI 2018; EJScreen 2020", note=TRACT2010_NOTE,
    )  # fmt: skip


def build_tract2020_us(source, dest):
    """Write the national 2020-tract columns the percentile ranks need (gzip)."""
    return _build_tract_table(
        source, dest, stem=TRACT2020_TITLE, columns=list(tract_tables.TRACT2020_COLUMNS),
        national=True, title="2020 tracts: deprivation index 2023, poverty, income (US)",
        vintage="2020 tracts; ACS 2019-2023", note=TRACT2020_NOTE,
    )  # fmt: skip


def build_tract2010_us(source, dest):
    """Write the national 2010-tract columns the percentile ranks need (gzip)."""
    return _build_tract_table(
        source, dest, stem=TRACT2010_TITLE, columns=list(tract_tables.TRACT2010_COLUMNS),
        national=True, title="2010 tracts: CDC SVI 2018 and EPA EJScreen 2020 (US)",
        vintage="2010 tracts; SVI 2018; EJScreen 2020", note=TRACT2010_NOTE,
    )  # fmt: skip


def build_queue(source, dest):
    """Copy the LBNL Queued Up 2024 interconnection-queue file as is.

    Parameters
    ----------
    source, dest : pathlib.Path
        Raw data folder and bundle folder.

    Returns
    -------
    dict
        Provenance row.
    """
    rel = "queue/lbnl_queued_up_2024_queues.csv.gz"
    target = dest / "tables" / "queue_lbnl_2024.csv.gz"
    _copy(source / rel, target)
    with gzip.open(target, "rt", encoding="utf-8") as fh:
        queue = pd.read_csv(fh, dtype=str, usecols=["q_id", "state", "q_status"])
    n_in = int((queue["state"] == "IN").sum())
    LOG.info("queue: %d requests, %d in Indiana", len(queue), n_in)
    return _row(
        "tables/queue_lbnl_2024.csv.gz",
        "Interconnection queues (Queued Up 2024)",
        "Lawrence Berkeley National Laboratory, Queued Up 2024 edition data",
        "2024 (requests through end-2023)",
        "LBNL public data (attribution)",
        "real",
        rel,
        f"copied byte for byte; {len(queue):,} generation/storage requests, all "
        f"regions ({n_in} with state IN); no coordinates: join by (state, county_1..3 "
        "lower-case names) or poi_name; mw_total in MW; dates m/d/Y",
    )


EIA_PLANTS_MARGIN_M = 100_000.0


def build_eia_power_plants(source, dest):
    """Write ``tables/eia_power_plants_202311_indiana_region.csv``: EIA plants around Indiana.

    The rows of the EIA U.S. Energy Atlas power plant table (EIA-860M, Nov 2023) whose
    Longitude/Latitude fall in Indiana's bounding box grown by 100 km, in EIA's own schema
    (every column, as published), sorted by Plant_Code.

    Parameters
    ----------
    source, dest : pathlib.Path
        Raw data folder and bundle folder.

    Returns
    -------
    dict
        Provenance row.
    """
    rel = "grid/eia_power_plants_202311.csv"
    plants = _read_text_table(source / rel, "utf-8-sig")
    state = _read_vector(source, "grid/indiana_gridwatch/indiana.geojson")
    xmin, ymin, xmax, ymax = state.total_bounds
    m = EIA_PLANTS_MARGIN_M
    xy = gpd.GeoSeries(
        gpd.points_from_xy(pd.to_numeric(plants["Longitude"]), pd.to_numeric(plants["Latitude"])),
        crs="EPSG:4326",
    ).to_crs(CRS)
    inside = xy.within(shapely.box(xmin - m, ymin - m, xmax + m, ymax + m)).to_numpy()
    out = plants[inside].copy()
    out = out.iloc[pd.to_numeric(out["Plant_Code"]).argsort(kind="stable")]
    target = "tables/eia_power_plants_202311_indiana_region.csv"
    _write_csv(out, dest / target)
    states = out["State"].value_counts().sort_index()
    total_mw = pd.to_numeric(out["Total_MW"]).sum()
    return _row(
        target,
        "Power plants around Indiana (EIA Energy Atlas, EIA-860M)",
        "U.S. Energy Information Administration, U.S. Energy Atlas power plants "
        "(EIA-860, EIA-860M and EIA-923)",
        "November 2023 (Period 202311)",
        "public domain",
        "real",
        rel,
        f"{len(out)} of {len(plants):,} plants, Longitude/Latitude inside Indiana's bounding "
        f"box + 100 km ("
        + ", ".join(f"{k} {v}" for k, v in states.items())
        + f"); EIA's schema and text kept (Total_MW and <fuel>_MW = net summer capacity in MW, "
        f"blank = none of that source), {total_mw:,.0f} MW; sorted by Plant_Code",
    )


def build_county_restrictions(source, dest):
    """Copy GridWatch Indiana's county data-center restrictions (JSON) as is.

    Parameters
    ----------
    source, dest : pathlib.Path
        Raw data folder and bundle folder.

    Returns
    -------
    dict
        Provenance row.
    """
    rel = "grid/large_load/gridwatch_indiana_county_restrictions.json"
    target = "tables/gridwatch_indiana_county_restrictions.json"
    _copy(source / rel, dest / target)
    with open(source / rel, encoding="utf-8") as fh:
        doc = json.load(fh)
    kinds = pd.Series([c["type"].strip().lower() for c in doc["counties"]]).value_counts()
    sources = " | ".join(f"{s['label']}: {s['url']}" for s in doc["sources"])
    return _row(
        target,
        "County data-center bans and moratoria, Indiana",
        "GridWatch Indiana; " + sources,
        f"2026 (as of {doc['last_updated']})",
        CC_BY_GRIDWATCH,
        "real",
        rel,
        "copied byte for byte; curated and PARTIAL: "
        + ", ".join(f"{v} {k}" for k, v in kinds.sort_index().items())
        + "; absence from the list does not mean no restriction (source note: IU "
        "Environmental Resilience Institute counts ~11 counties with ordinances and "
        "17+ with moratoria, mid-2026); county names, joined to FIPS at run time with the "
        "Indiana counties (siting.sources.gridwatch); verify locally",
    )


def build_pvcz_climate(source, dest):
    """Write ``tables/pvcz_climate_indiana.csv``: PVCZ-2019 cells around Indiana.

    Parameters
    ----------
    source, dest : pathlib.Path
        Raw data folder and bundle folder.

    Returns
    -------
    dict
        Provenance row.
    """
    rel = "climate/pvcz2019_gldas025_northamerica_climate.csv.gz"
    state = gpd.read_file(
        source / "grid/indiana_gridwatch/indiana.geojson", engine="pyogrio"
    ).to_crs("EPSG:4326")
    west, south, east, north = state.total_bounds
    bbox = (west - 1.0, south - 1.0, east + 1.0, north + 1.0)
    raw = _read_text_table(source / rel, encoding="utf-8")
    lat = pd.to_numeric(raw["lat"], errors="raise")
    lon = pd.to_numeric(raw["lon"], errors="raise")
    keep = lon.between(bbox[0], bbox[2]) & lat.between(bbox[1], bbox[3])
    out = raw[keep].assign(_lat=lat[keep], _lon=lon[keep])
    out = out.sort_values(["_lat", "_lon"], kind="mergesort").drop(columns=["_lat", "_lon"])
    _write_csv(out, dest / "tables" / "pvcz_climate_indiana.csv")
    box = ", ".join(f"{v:.4f}" for v in bbox)
    return _row(
        "tables/pvcz_climate_indiana.csv",
        "Gridded climate around Indiana (PVCZ-2019)",
        "PVCZ-2019 photovoltaic climate zones (Karin et al.), from NASA GLDAS 0.25°",
        "2010–2018",
        "MIT",
        "real",
        rel,
        f"{len(out)} cells of 0.25°, centre inside Indiana's bounding box + 1° "
        f"(lon/lat {box}); all columns kept as published: T_ambient_* in °C, "
        "specific_humidity_* in g/kg, GHI_mean in kWh/m2/day, wind in m/s, Köppen "
        "zone; rows sorted by lat, lon",
    )


ZIP_MARGIN_M = 100_000.0


def build_zip_centroids(source, dest):
    """Write ``tables/zcta_centroids_indiana_region.csv``: ZIP areas around Indiana.

    The ZIP-code areas (Census ZCTAs) of eeweather whose centroid lies within Indiana's
    bounds in EPSG:5070 padded by ``ZIP_MARGIN_M`` (the margin of the plants and substations).

    Parameters
    ----------
    source, dest : pathlib.Path
        Raw data folder and bundle folder.

    Returns
    -------
    dict
        Provenance row.
    """
    rel = "climate/eeweather_zcta_climate_zones.csv.gz"
    raw = _read_text_table(source / rel, "utf-8", compression="gzip")
    _check_numeric(raw, ["latitude", "longitude"], rel)
    points = gpd.GeoSeries(
        gpd.points_from_xy(raw["longitude"].astype(float), raw["latitude"].astype(float)),
        crs="EPSG:4326",
    ).to_crs(CRS)
    state = _read_vector(source, "grid/indiana_gridwatch/indiana.geojson")
    xmin, ymin, xmax, ymax = state.total_bounds
    m = ZIP_MARGIN_M
    inside = points.intersects(shapely.box(xmin - m, ymin - m, xmax + m, ymax + m)).to_numpy()
    out = raw[inside].sort_values("zcta_id", kind="mergesort")
    target = "tables/zcta_centroids_indiana_region.csv"
    _write_csv(out, dest / target)
    states = out["state"].value_counts().sort_index()
    return _row(
        target,
        "ZIP-code areas (ZCTAs) and their centroids, Indiana and 100 km around",
        "eeweather 0.3.30 ZCTA table (OpenEEmeter), from U.S. Census Bureau ZCTAs",
        "eeweather 0.3.30",
        "Apache-2.0",
        "real",
        rel,
        f"{len(out)} ZIP areas with a centroid inside Indiana's EPSG:5070 bounds + 100 km ("
        + ", ".join(f"{v} {k}" for k, v in states.items())
        + "); zcta_id is 5-character text with leading zeros; latitude/longitude in degrees "
        "(WGS84) as published; climate-zone columns kept; a centroid stands for the ZIP area, "
        "not an address; rows sorted by zcta_id",
    )


def build_county_warming(source, dest):
    """Write ``tables/county_warming_1895_2019.csv`` for Indiana and its neighbours.

    Parameters
    ----------
    source, dest : pathlib.Path
        Raw data folder and bundle folder.

    Returns
    -------
    dict
        Provenance row.
    """
    rel = "climate/wapo_nclimdiv_county_warming_1895_2019.csv"
    raw = _read_text_table(source / rel, encoding="latin-1")
    raw["fips"] = _fips5(raw["fips"])
    out = raw[raw["fips"].str[:2].isin(list(NEIGHBOUR_STATE_FIPS))]
    mismatch = out["STNAME"] != out["fips"].str[:2].map(NEIGHBOUR_STATE_FIPS)
    if mismatch.any():
        raise ValueError("warming: state name does not match FIPS prefix")
    numeric = ["Fall", "Spring", "Summer", "Winter", "Annual"]
    counts = _check_numeric(out, numeric, "warming")
    out = out.sort_values("fips")
    _write_csv(out, dest / "tables" / "county_warming_1895_2019.csv")
    per_state = out["STNAME"].value_counts().sort_index()
    return _row(
        "tables/county_warming_1895_2019.csv",
        "County warming trend 1895–2019",
        "The Washington Post '2°C: Beyond the limit' analysis of NOAA nClimDiv",
        "1895–2019",
        "CC BY 4.0 (credit The Washington Post)",
        "real-derived",
        rel,
        f"{len(out)} counties of IN, IL, OH, MI, KY ("
        + ", ".join(f"{k} {v}" for k, v in per_state.items())
        + "); Fall/Spring/Summer/Winter/Annual = temperature change 1895–2019 in °C; "
        "max_warming_season = season with the largest change; all raw columns kept "
        f"(read as latin-1, written UTF-8); {_nan_note(counts)}",
    )


HURRICANE_MARGIN_M = 300_000.0


def _read_raw_text(path):
    """Read a CSV with every cell as the text written (``NA`` stays ``NA``: a basin code)."""
    return pd.read_csv(path, dtype=str, encoding="utf-8-sig", keep_default_na=False)


def build_county_nri(source, dest):
    """Write ``tables/fema_nri_counties_indiana_region.csv``: the FEMA National Risk Index
    county composite of Indiana and its neighbour states, in FEMA's columns.

    Whole states are kept so that state percentiles can be checked against the table.

    Parameters
    ----------
    source, dest : pathlib.Path
        Raw data folder and bundle folder.

    Returns
    -------
    dict
        Provenance row.
    """
    rel = "hazard/fema_nri_counties_composite_v1_subset.csv"
    raw = _read_raw_text(source / rel)
    fips = _fips5(raw["STCOFIPS"])
    if fips.duplicated().any():
        raise ValueError("NRI: duplicate STCOFIPS")
    keep = fips.str[:2].isin(list(NEIGHBOUR_STATE_FIPS))
    out = raw[keep].assign(_f=fips[keep]).sort_values("_f").drop(columns="_f")
    target = "tables/fema_nri_counties_indiana_region.csv"
    _write_csv(out, dest / target)
    per_state = out["STATEABBRV"].value_counts().sort_index()
    return _row(
        target,
        "FEMA National Risk Index, county composite",
        "FEMA National Risk Index (county table, composite columns)",
        "NRI v1 (2023 release; composite subset)",
        "public domain",
        "real",
        rel,
        f"{len(out)} counties of IN, IL, OH, MI, KY ("
        + ", ".join(f"{k} {v}" for k, v in per_state.items())
        + "); FEMA's columns as published (RISK_SCORE/EAL_SCORE 0–100, *_NPCTL national and "
        "*_SPCTL state percentiles 0–100, EAL_VALT US$/yr); read by siting.sources.fema_nri",
    )


def build_hurricane_tracks(source, dest):
    """Write ``tables/ibtracs_tracks_1990plus_indiana_300km.csv``: IBTrACS storm track fixes
    since 1990 within Indiana's bounding box grown by 300 km, in the IBTrACS columns.

    Parameters
    ----------
    source, dest : pathlib.Path
        Raw data folder and bundle folder.

    Returns
    -------
    dict
        Provenance row.
    """
    rel = "hazard/hurricane_tracks_us_1990plus.csv"
    raw = _read_raw_text(source / rel)
    _check_numeric(raw, ["LAT", "LON", "USA_WIND", "year"], rel)
    points = gpd.GeoSeries(
        gpd.points_from_xy(raw["LON"].astype(float), raw["LAT"].astype(float)), crs="EPSG:4326"
    ).to_crs(CRS)
    state = _read_vector(source, "grid/indiana_gridwatch/indiana.geojson")
    xmin, ymin, xmax, ymax = state.total_bounds
    m = HURRICANE_MARGIN_M
    inside = points.intersects(shapely.box(xmin - m, ymin - m, xmax + m, ymax + m)).to_numpy()
    out = raw[inside]
    target = "tables/ibtracs_tracks_1990plus_indiana_300km.csv"
    _write_csv(out, dest / target)
    return _row(
        target,
        "Tropical storm and hurricane tracks since 1990 (IBTrACS)",
        "NOAA NCEI International Best Track Archive for Climate Stewardship (IBTrACS)",
        "1990–present",
        "public domain",
        "real",
        rel,
        f"{len(out)} track fixes of {out['SID'].nunique()} storms within Indiana's bounding box "
        "grown by 300 km (EPSG:5070), in file order; the IBTrACS columns as published (LAT/LON "
        "degrees, USA_WIND kt, USA_PRES mb; BASIN NA = North Atlantic); read by "
        "siting.sources.ibtracs",
    )


def build_county_climate_normals(source, dest):
    """Write ``tables/county_climate_normals_usda.csv`` (USDA ERS natural amenities).

    Parameters
    ----------
    source, dest : pathlib.Path
        Raw data folder and bundle folder.

    Returns
    -------
    dict
        Provenance row.
    """
    rel = "climate/usda_ers_natural_amenities_county.csv"
    raw = _read_text_table(source / rel, encoding="utf-8")
    numeric = [
        "jul_temp_f_1941_70",
        "jul_rh_pct_1941_70",
        "jan_temp_f_1941_70",
        "topography_code",
        "water_area_pct",
    ]
    out = pd.DataFrame(
        {"fips": _fips5(raw["fips"]), "state": raw["state"], "county": raw["county"]}
    )
    for col in numeric:
        out[col] = raw[col]
    counts = _check_numeric(out, numeric, "amenities")
    if out["fips"].duplicated().any():
        raise ValueError("amenities: duplicate FIPS")
    n_borrowed = int((_fips5(raw["fips"]) != _fips5(raw["fips_measures"])).sum())
    out = out.sort_values("fips")
    _write_csv(out, dest / "tables" / "county_climate_normals_usda.csv")
    return _row(
        "tables/county_climate_normals_usda.csv",
        "County climate normals 1941–70 (natural amenities scale)",
        "USDA Economic Research Service, Natural Amenities Scale",
        "1941–1970",
        "public domain",
        "real",
        rel,
        f"{len(out)} counties; July and January mean temperature in °F, July mean "
        "relative humidity in %, topography_code 1–21 (ERS typology), water_area_pct "
        f"in % of county area; old normals; for {n_borrowed} rows (mostly Virginia "
        "independent cities, also La Paz AZ, Cibola NM, Yellowstone NP MT) ERS took "
        "the measures from another (parent) county, raw column fips_measures; " + _nan_note(counts),
    )


# --------------------------------------------------------------------------------------------
# weather, licences, provenance
# --------------------------------------------------------------------------------------------


def build_weather(source, dest):
    """Copy the TMY3 weather files and their licence into ``weather/``.

    Parameters
    ----------
    source, dest : pathlib.Path
        Raw data folder and bundle folder.

    Returns
    -------
    list of dict
        Provenance rows.
    """
    tmy_license = (
        "public domain (NREL TMY3); redistributed from PNNL TESP, BSD-style "
        "(see weather/TESP_LICENSE.txt)"
    )
    files = [
        (
            "USA_IN_Indianapolis.Intl.AP.724380_TMY3.epw",
            "Typical meteorological year, Indianapolis Intl AP (EPW)",
            "EnergyPlus weather format: 8,760 hourly records, dry bulb, dew point, RH, "
            "pressure, wind, radiation; header has ASHRAE 2009 design conditions; station "
            "WMO 724380",
        ),
        (
            "IL-Chicago_Ohare_Intl_Ap_725300.tmy3",
            "Typical meteorological year, Chicago O'Hare Intl AP (TMY3)",
            "NREL TMY3 CSV format, 8,760 hourly records; reference for north-west Indiana; "
            "station WMO 725300",
        ),
    ]
    rows = []
    for name, title, notes in files:
        rel = f"climate/tmy/{name}"
        _copy(source / rel, dest / "weather" / name)
        rows.append(
            _row(
                f"weather/{name}",
                title,
                "NREL National Solar Radiation Database TMY3 (via PNNL TESP)",
                "TMY3 (typical months from 1976–2005)",
                tmy_license,
                "real",
                rel,
                "copied byte for byte; " + notes,
            )
        )
    rel = "climate/tmy/TESP_LICENSE.txt"
    _copy(source / rel, dest / "weather" / "TESP_LICENSE.txt")
    rows.append(
        _row(
            "weather/TESP_LICENSE.txt",
            "Licence of the weather files' distribution",
            "PNNL Transactive Energy Simulation Platform (TESP)",
            "2017–2024",
            "BSD-style (Battelle Memorial Institute)",
            "real",
            rel,
            "licence text, not data; copied byte for byte",
        )
    )
    return rows


ODBL_NOTE = """\
# OpenStreetMap data in this bundle (ODbL 1.0)

The layers `lakes` and `rivers` of `indiana.gpkg` are derived from OpenStreetMap data
(2017 extract packaged by the geo-maps project), © OpenStreetMap contributors.

They are available under the Open Database License 1.0:
https://opendatacommons.org/licenses/odbl/1-0/ (summary: https://www.openstreetmap.org/copyright).

- Attribution: "© OpenStreetMap contributors, ODbL 1.0" wherever these layers, or results that
  show them, are published.
- Share-alike: the two layers (reprojected to EPSG:5070, invalid geometries repaired, areas
  recomputed) form a derived database that stays under ODbL. They are kept as separate layers
  and are not merged with the other layers, which keep their own licences (see SOURCES.csv).
  If you redistribute a modified version of these two layers, offer it under ODbL 1.0.
- The geo-maps packaging code is MIT licensed (geomaps_LICENSE_MIT_code.txt); that licence
  covers the code, not the OSM data.

The file `tables/osm2016_highvoltage_vertices_named.csv` (named high-voltage grid points,
~2016 extract of the OSM power network, clipped to Indiana's bounding box + 100 km) is likewise
© OpenStreetMap contributors under ODbL 1.0, kept as its own file. The engine only reads its
names and positions to place queue points of interconnection; it is not merged into other
layers.
"""


def build_licenses(source, dest):
    """Copy the licence texts that apply to the bundle and write the ODbL note.

    Parameters
    ----------
    source, dest : pathlib.Path
        Raw data folder and bundle folder.

    Returns
    -------
    list of str
        Names of the files written into ``LICENSES/``.
    """
    copies = {
        "grid/indiana_gridwatch/DATA-LICENSE.md": "GridWatch_DATA-LICENSE.md",
        "land/geomaps_LICENSE_MIT_code.txt": "geomaps_LICENSE_MIT_code.txt",
        "protected/DarkHours_LICENSE_MIT.txt": "DarkHours_LICENSE_MIT.txt",
        "protected/civic-data-boundaries-us-forests_LICENSE_MIT.txt": (
            "civic-data-boundaries-us-forests_LICENSE_MIT.txt"
        ),
        "climate/tmy/TESP_LICENSE.txt": "TESP_LICENSE.txt",
        "grid/commongrid/LICENSE": "CommonGrid_LICENSE",
    }
    target = dest / "LICENSES"
    for rel, name in copies.items():
        _copy(source / rel, target / name)
    (target / "ODbL_OpenStreetMap_NOTE.md").write_text(ODBL_NOTE, encoding="utf-8")
    return sorted([*copies.values(), "ODbL_OpenStreetMap_NOTE.md"])


def write_sources_csv(rows, dest):
    """Write ``SOURCES.csv``, the machine-readable provenance table, sorted by path.

    Parameters
    ----------
    rows : list of dict
        Provenance rows.
    dest : pathlib.Path
        Bundle folder.

    Returns
    -------
    list of dict
        The rows, sorted by path.
    """
    rows = sorted(rows, key=lambda r: r["path"])
    paths = [r["path"] for r in rows]
    if len(set(paths)) != len(paths):
        raise ValueError("SOURCES: duplicate path")
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=SOURCES_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (dest / "SOURCES.csv").write_text(buf.getvalue(), encoding="utf-8")
    LOG.info("wrote SOURCES.csv (%d rows)", len(rows))
    return rows


def _md_cell(text):
    """Escape a value for a Markdown table cell.

    Parameters
    ----------
    text : str
        Cell text.

    Returns
    -------
    str
    """
    return str(text).replace("|", "\\|").replace("\n", " ")


def write_sources_md(rows, licenses, dest):
    """Write ``SOURCES.md``: provenance table, rebuild instructions and attributions.

    Parameters
    ----------
    rows : list of dict
        Provenance rows, sorted by path.
    licenses : list of str
        Files in ``LICENSES/``.
    dest : pathlib.Path
        Bundle folder.
    """
    lines = [
        "# Embedded data bundle: sources and licences",
        "",
        "Compact data shipped with *siting* for the default region (Indiana) and for county",
        "screening of the US. Every file is built from public raw inputs by",
        "`data/build_bundle.py`; the same table is in machine-readable form in `SOURCES.csv`",
        "and is copied into every run manifest.",
        "",
        "Tags: **real** = official or measured; **real-derived** = computed here or upstream",
        "from real data (method in notes); **proxy** = real data standing in for a missing",
        "indicator; **synthetic** = fictional (none in this bundle). County water withdrawals",
        "are real data but are used as a proxy for water stress.",
        "",
        "All GeoPackage layers are in EPSG:5070 (NAD83 / CONUS Albers, metres); geometry",
        "column `geometry`. FIPS codes are 5-character zero-padded strings. Empty CSV cells",
        "mean missing, never zero.",
        "",
        "| path | title | tag | vintage | licence | source | derived from | notes |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        cells = [
            f"`{r['path']}`",
            r["title"],
            r["tag"],
            r["vintage"],
            r["license"],
            r["source"],
            f"`{r['derived_from']}`",
            r["notes"],
        ]
        lines.append("| " + " | ".join(_md_cell(c) for c in cells) + " |")
    lines += [
        "",
        "## How to rebuild",
        "",
        "From the repository root, with the raw inputs in `../shared/data`:",
        "",
        "```",
        "python siting/data/build_bundle.py --source ../shared/data",
        "```",
        "",
        "The CPI-U table is not among the raw inputs: add `--cpi-db PATH` (the `cpi/cpi.db`",
        "of the `cpi` 2.1.0 wheel, `pip download cpi==2.1.0 --no-deps`, unzipped) to extract",
        "it again; without it the committed table is kept.",
        "",
        "The build is deterministic: re-running it gives byte-identical CSV files (rows",
        "sorted, source number text kept as published) and copies binary files byte for byte.",
        "",
        "## Attribution",
        "",
        "- Grid layers (state, counties, transmission lines, power plants, utility",
        "  territories) and the county restrictions: **GridWatch Indiana**, CC BY 4.0",
        "  (https://creativecommons.org/licenses/by/4.0/); transmission lines and utility",
        "  territories from HIFLD (public domain). See `LICENSES/GridWatch_DATA-LICENSE.md`.",
        "- ISO/RTO regions and the EIA-861 utilities table",
        "  (`tables/commongrid_utilities_eia861_2024.csv`): **© CommonGrid contributors**",
        "  (Texture, Inc.), ODbL 1.0, each kept as its own layer or file; EIA-861 data public",
        "  domain. See `LICENSES/CommonGrid_LICENSE`.",
        "- Lakes, river areas and named grid points",
        "  (`tables/osm2016_highvoltage_vertices_named.csv`): **© OpenStreetMap",
        "  contributors**, ODbL 1.0",
        "  (https://opendatacommons.org/licenses/odbl/1-0/); see",
        "  `LICENSES/ODbL_OpenStreetMap_NOTE.md`.",
        "- County warming 1895–2019: **The Washington Post**, analysis of NOAA nClimDiv data,",
        "  CC BY 4.0.",
        "- Interconnection queues: **Lawrence Berkeley National Laboratory, Queued Up (2024",
        "  edition)**.",
        "- PVCZ-2019 climate grid (MIT); PAD-US 4.1 H3 cells processed by DarkHours (MIT);",
        "  Hoosier NF boundaries packaged by civic-data-boundaries (MIT); TMY3 files",
        "  redistributed from PNNL TESP (BSD-style).",
        "- Public domain: US Census Bureau, USGS, CDC/ATSDR, USDA ERS, USDA Forest Service,",
        "  NREL, HIFLD, EIA, BLS (CPI-U, `tables/bls_cpi_u_annual.csv`, extracted from the",
        "  database of the MIT-licensed `cpi` package; rebuild it with",
        "  `build_bundle.py --cpi-db PATH`).",
        "",
        "Licence texts in `LICENSES/`: " + ", ".join(f"`{n}`" for n in licenses) + ".",
        "",
    ]
    (dest / "SOURCES.md").write_text("\n".join(lines), encoding="utf-8")
    LOG.info("wrote SOURCES.md")


# --------------------------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------------------------


ODBL_COMMONGRID = "ODbL 1.0 (© CommonGrid contributors)"
ISO_CLIP_MARGIN_M = 100_000.0


def build_iso_regions(source, dest):
    """Write layer ``iso_regions``: ISO/RTO and non-ISO regions around Indiana.

    Every CommonGrid territory that reaches within 100 km of Indiana, clipped to Indiana's
    bounding box grown by 100 km.

    Parameters
    ----------
    source, dest : pathlib.Path
        Raw data folder and bundle folder.

    Returns
    -------
    dict
        Provenance row.
    """
    folder = "grid/commongrid/iso_territories"
    state = _read_vector(source, "grid/indiana_gridwatch/indiana.geojson").to_crs(CRS)
    xmin, ymin, xmax, ymax = state.total_bounds
    m = ISO_CLIP_MARGIN_M
    clip = shapely.box(xmin - m, ymin - m, xmax + m, ymax + m)
    parts = []
    for path in sorted((source / folder).glob("iso-*.json")):
        gdf = _read_vector(source, f"{folder}/{path.name}").to_crs(CRS)
        geoms = shapely.make_valid(gdf.geometry.to_numpy())
        geoms = geoms[shapely.intersects(geoms, clip)]
        if len(geoms) == 0:
            continue
        clipped = shapely.get_parts(shapely.intersection(geoms, clip))
        polygons = clipped[shapely.get_type_id(clipped) == 3]  # 3 = Polygon
        geom = shapely.MultiPolygon(shapely.get_parts(shapely.union_all(polygons)).tolist())
        short = gdf["shortName"].iloc[0]
        short = str(short) if isinstance(short, str) and short else path.stem.removeprefix("iso-")
        parts.append(
            {
                "id": str(gdf["id"].iloc[0]),
                "name": str(gdf["name"].iloc[0]),
                "eiaId": gdf["eiaId"].iloc[0],
                "shortName": short,
                "geometry": geom,
            }
        )
    out = (
        gpd.GeoDataFrame(parts, geometry="geometry", crs=CRS)
        .sort_values("shortName")
        .reset_index(drop=True)
    )
    _write_layer(out, dest, "iso_regions")
    names = ", ".join(out["shortName"])
    return _row(
        f"{GPKG_NAME}:iso_regions",
        "ISO/RTO and non-ISO regions around Indiana",
        "CommonGrid ISO territories (from EIA/HIFLD control areas)",
        "2025–2026",
        ODBL_COMMONGRID,
        "real",
        f"{folder}/iso-*.json",
        f"{len(out)} regions ({names}) clipped to Indiana's bounding box + 100 km, one "
        "(Multi)Polygon per territory file; CommonGrid's columns (id, name, eiaId, shortName; "
        "shortName filled from the file name where CommonGrid gives none), read by "
        "siting.sources.commongrid; territories are service-area "
        "approximations and overlap where utilities belong to two regions. ODbL: kept as its "
        "own layer, see "
        "LICENSES/CommonGrid_LICENSE",
    )


OSM_SUBSTATION_MARGIN_M = 100_000.0


def build_osm_substations(source, dest):
    """Write ``tables/osm2016_highvoltage_vertices_named.csv``: named OSM grid points around
    Indiana, in the extract's columns.

    Every named vertex (substation, station, plant, line junction) of the OSM high-voltage
    network extract within Indiana's bounding box grown by 100 km. Used to place the free-text
    points of interconnection of queue requests; kept as its own ODbL file.

    Parameters
    ----------
    source, dest : pathlib.Path
        Raw data folder and bundle folder.

    Returns
    -------
    dict
        Provenance row.
    """
    rel = "grid/osm2016_us_highvoltage_vertices.csv.gz"
    raw = _read_text_table(source / rel, "utf-8", compression="gzip")
    raw = raw[raw["name"].notna() & (raw["name"].str.strip() != "")]
    _check_numeric(raw, ["lon", "lat"], rel)
    points = gpd.GeoSeries(
        gpd.points_from_xy(raw["lon"].astype(float), raw["lat"].astype(float)), crs="EPSG:4326"
    ).to_crs(CRS)
    state = _read_vector(source, "grid/indiana_gridwatch/indiana.geojson")
    xmin, ymin, xmax, ymax = state.total_bounds
    m = OSM_SUBSTATION_MARGIN_M
    inside = points.intersects(shapely.box(xmin - m, ymin - m, xmax + m, ymax + m)).to_numpy()
    columns = ["v_id", "lon", "lat", "typ", "voltage", "frequency", "name", "operator"]
    out = raw[inside].sort_values("v_id", key=lambda v: v.astype(int))[columns]
    target = "tables/osm2016_highvoltage_vertices_named.csv"
    _write_csv(out, dest / target)
    kinds = out["typ"].fillna("").value_counts().sort_index()
    return _row(
        target,
        "Named high-voltage grid points (OpenStreetMap)",
        "OpenStreetMap high-voltage network extract (SciGRID/GridKit style), Midwest and South",
        "~2016",
        ODBL,
        "real",
        rel,
        f"{len(out)} named vertices within Indiana's bounding box + 100 km, by OSM kind: "
        + ", ".join(f"{k or 'none'} {v}" for k, v in kinds.items())
        + "; the extract's columns as published (lon/lat in EPSG:4326, voltage in V as "
        "tagged, ';'-separated), read by siting.sources.osm_gridkit; old and sparse: names "
        "place queue points of interconnection, not a substation inventory. ODbL: kept as "
        "its own file, see LICENSES/ODbL_OpenStreetMap_NOTE.md",
    )


def build_egrid_subregions(source, dest):
    """Write the EPA Power Profiler's eGRID2023 subregions near Indiana, in its own GeoJSON.

    The features of type "subregion" whose polygons reach within 100 km of Indiana, and the
    national feature, with their properties as published (fuel mix in %, output emission rates
    in lb/MWh, grid gross loss), read by ``siting.sources.epa_egrid``.

    Parameters
    ----------
    source, dest : pathlib.Path
        Raw data folder and bundle folder.

    Returns
    -------
    dict
        Provenance row.
    """
    rel = "carbon/epa_power_profiler_egrid2023_subregions.geojson"
    doc = json.loads((source / rel).read_text(encoding="utf-8"))
    state = _read_vector(source, "grid/indiana_gridwatch/indiana.geojson")
    xmin, ymin, xmax, ymax = state.total_bounds
    m = ISO_CLIP_MARGIN_M
    near = shapely.box(xmin - m, ymin - m, xmax + m, ymax + m)
    kept = []
    for feature in doc["features"]:
        kind = feature["properties"]["type"]
        if kind == "national":
            kept.append(feature)
        elif kind == "subregion" and feature["geometry"]:
            geom = gpd.GeoSeries([shapely.geometry.shape(feature["geometry"])], crs="EPSG:4326")
            if shapely.make_valid(geom.to_crs(CRS).iloc[0]).intersects(near):
                kept.append(feature)
    kept.sort(key=lambda f: (f["properties"]["type"], f["properties"]["name"]))
    target = "egrid/epa_power_profiler_egrid2023_subregions_near.geojson"
    out = {k: v for k, v in doc.items() if k != "features"} | {"features": kept}
    (dest / "egrid").mkdir(parents=True, exist_ok=True)
    (dest / target).write_text(json.dumps(out, ensure_ascii=False) + "\n", encoding="utf-8")
    names = ", ".join(
        f["properties"]["name"] for f in kept if f["properties"]["type"] == "subregion"
    )
    return _row(
        target,
        "eGRID2023 subregions around Indiana",
        "US EPA eGRID2023 via the Power Profiler",
        "2023",
        "public domain",
        "real",
        rel,
        f"{len(kept) - 1} subregions reaching within 100 km of Indiana ({names}) and the "
        "national row, in the Power Profiler's GeoJSON as published (EPSG:4326; fuelMix in % "
        "of net generation, emissionFactor co2/co2e/nox/so2 output rates in lb/MWh, gridLoss "
        "as a fraction), read by siting.sources.epa_egrid",
    )


def build_utility_territories(source, dest):
    """Write layer ``utility_territories``: GridWatch's retail utility territories of Indiana.

    Parameters
    ----------
    source, dest : pathlib.Path
        Raw data folder and bundle folder.

    Returns
    -------
    dict
        Provenance row.
    """
    rel = "grid/indiana_gridwatch/utility_territories.geojson"
    gdf = _read_vector(source, rel)
    gdf, n_rep, n_drop = _repair_polygons(gdf, "utility_territories")
    out = gdf[["utility", "type", "customers", "geometry"]].sort_values("utility", kind="stable")
    _write_layer(out, dest, "utility_territories")
    kinds = out["type"].value_counts().sort_index()
    state = _read_vector(source, "grid/indiana_gridwatch/indiana.geojson").geometry.iloc[0]
    away = out.loc[~out.geometry.intersects(state), "utility"].tolist()
    return _row(
        f"{GPKG_NAME}:utility_territories",
        "Retail electric utility territories, Indiana",
        "HIFLD Electric Retail Service Territories via GridWatch Indiana",
        "n.d. (GridWatch compilation)",
        CC_BY_GRIDWATCH + "; HIFLD public domain",
        "real",
        rel,
        f"{len(out)} territories ("
        + ", ".join(f"{k} {v}" for k, v in kinds.items())
        + "); GridWatch's columns as published (utility = name, type = ownership class, "
        "customers = retail customers), read by siting.sources.gridwatch; generalised "
        "boundaries that overlap (the investor-owned footprints cover almost all of the state, "
        "cooperative and town territories lie over them); reprojected EPSG:4326 -> EPSG:5070, "
        f"{n_rep} invalid geometries repaired (make_valid, polygonal parts kept), {n_drop} "
        f"dropped; sorted by utility; {len(away)} territories lie wholly outside Indiana "
        f"({', '.join(away)}), drawn in the source at places of the same name in other "
        "states: a run leaves them out (they meet no site)",
    )


def build_utilities(source, dest):
    """Copy CommonGrid's EIA-861 2024 utilities table as is.

    Parameters
    ----------
    source, dest : pathlib.Path
        Raw data folder and bundle folder.

    Returns
    -------
    dict
        Provenance row.
    """
    rel = "community/commongrid_utilities_eia861_2024.csv"
    target = "tables/commongrid_utilities_eia861_2024.csv"
    _copy(source / rel, dest / target)
    raw = _read_text_table(source / rel, "utf-8")
    counts = _check_numeric(raw, ["customerCount", "peakDemandMw", "totalSalesMwh"], rel)
    states = raw["jurisdiction"].fillna("").str.split(r",\s*")
    n_in = int(states.apply(lambda codes: "IN" in codes).sum())
    return _row(
        target,
        "Electric utilities: peak, sales, revenue, customers (EIA-861 2024)",
        "U.S. EIA Annual Electric Power Industry Report (Form EIA-861), 2024 data, via CommonGrid",
        "2024",
        ODBL_COMMONGRID + "; EIA data public domain",
        "real-derived",
        rel,
        f"copied byte for byte; {len(raw):,} rows ({int(raw['eiaId'].notna().sum()):,} with an "
        f"EIA id; holding companies without one), {n_in} serving IN; CommonGrid's columns "
        "(peakDemandMw in MW, totalRevenueDollars in $, totalSalesMwh in MWh, customerCount, "
        "jurisdiction = states served, avg_price_cents_per_kwh = revenue / sales, computed by "
        "CommonGrid, all retail sectors: not a large-load tariff), read by "
        f"siting.sources.eia861; {_nan_note(counts)}. ODbL: kept as its own file, see "
        "LICENSES/CommonGrid_LICENSE",
    )


CPI_TABLE = "tables/bls_cpi_u_annual.csv"
CPI_SERIES = "CUUR0000SA0"
CPI_FIRST_YEAR = 2015
CPI_PACKAGE = "cpi 2.1.0 (PyPI; github.com/palewire/cpi)"


def extract_cpi_u_annual(db_path, first_year=CPI_FIRST_YEAR):
    """Annual averages of CPI-U (series CUUR0000SA0, period M13) from the ``cpi`` package's db.

    Parameters
    ----------
    db_path : pathlib.Path
        ``cpi/cpi.db`` of the ``cpi`` wheel (SQLite; table ``indexes``: series, year, period,
        value).
    first_year : int
        First year kept.

    Returns
    -------
    pandas.DataFrame
        ``series_id``, ``year``, ``cpi_u_annual_avg`` (text as stored), one row per year from
        ``first_year`` to the last year with an annual average (M13), sorted by year.
    """
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as db:
        title = db.execute("select title from series where id = ?", (CPI_SERIES,)).fetchone()
        rows = db.execute(
            "select year, value from indexes where series = ? and period = 'M13' and year >= ? "
            "order by year",
            (CPI_SERIES, first_year),
        ).fetchall()
    if title is None or not rows:
        raise ValueError(f"{db_path}: no series {CPI_SERIES} with annual averages")
    years = [int(y) for y, _ in rows]
    if years != list(range(first_year, years[-1] + 1)):
        raise ValueError(f"{db_path}: {CPI_SERIES} annual averages miss years: {years}")
    LOG.info("cpi: %s, %d-%d", title[0], years[0], years[-1])
    return pd.DataFrame(
        {
            "series_id": CPI_SERIES,
            "year": [str(y) for y in years],
            "cpi_u_annual_avg": [repr(float(v)) for _, v in rows],
        }
    )


def build_cost_index(dest, cpi_db=None):
    """Write (with ``cpi_db``) or keep ``tables/bls_cpi_u_annual.csv``, and its provenance row.

    Parameters
    ----------
    dest : pathlib.Path
        Bundle folder.
    cpi_db : pathlib.Path, optional
        ``cpi/cpi.db`` of the ``cpi`` package's wheel; without it the committed table (beside
        this script) is kept.

    Returns
    -------
    dict
        Provenance row.
    """
    target = dest / CPI_TABLE
    if cpi_db is not None:
        _write_csv(extract_cpi_u_annual(Path(cpi_db)), target)
    else:
        committed = Path(__file__).resolve().parent / CPI_TABLE
        if not committed.is_file():
            raise FileNotFoundError(f"{committed}: no committed CPI table; pass --cpi-db PATH")
        if committed.resolve() != target.resolve():
            _copy(committed, target)
    table = pd.read_csv(target, dtype=str)
    first, last = table["year"].iloc[0], table["year"].iloc[-1]
    return _row(
        CPI_TABLE,
        "Consumer Price Index CPI-U, annual average (BLS)",
        f"U.S. Bureau of Labor Statistics, CPI-U series {CPI_SERIES} (U.S. city average, all "
        f"items, not seasonally adjusted, 1982-84 = 100), via the BLS database in {CPI_PACKAGE}",
        f"{first}–{last}",
        "public domain (BLS); the cpi package's code is MIT",
        "real",
        f"{CPI_PACKAGE}: cpi/cpi.db, table indexes, series {CPI_SERIES}, period M13",
        f"{len(table)} annual averages {first}–{last} (period M13 = BLS annual average) read "
        "with sqlite3 from the database shipped in the cpi wheel (build_bundle.py --cpi-db), "
        "values as stored; the database holds no October 2025 value and its 2025 average is "
        "that of the 11 months it holds; read by siting.sources.bls_cpi to restate the "
        "2019 US$ of the reVX costs in another year's dollars. A general consumer index, not a "
        "transmission-construction index: it understates the faster rise of transmission "
        "equipment and construction costs",
    )


CATALOGUE = """\
# The Indiana bundle: which file holds each input a run reads, and in which provider format.
# Paths are relative to this folder (file.gpkg:layer for a GeoPackage layer); each has a
# provenance row in SOURCES.csv. Point a role to an official national file of the same format
# (or another format the role accepts) to use it without rebuilding anything.
title = "Indiana and surroundings"

[inputs.states]
path = "indiana.gpkg:state"
format = "gridwatch_state"

[inputs.counties]
path = "indiana.gpkg:counties"
format = "gridwatch_counties"

[inputs.transmission_lines]
path = "indiana.gpkg:transmission_lines"
format = "gridwatch_lines"

[inputs.power_plants]
path = "tables/eia_power_plants_202311_indiana_region.csv"
format = "eia_atlas_plants"

# Named places that queue requests' points of interconnection are matched against, in order.
[[inputs.named_places]]
path = "tables/osm2016_highvoltage_vertices_named.csv"
format = "osm_gridkit_vertices"

[[inputs.named_places]]
path = "indiana.gpkg:power_plants"
format = "gridwatch_plants"

[inputs.iso_regions]
path = "indiana.gpkg:iso_regions"
format = "commongrid_iso"

[inputs.egrid_subregions]
path = "egrid/epa_power_profiler_egrid2023_subregions_near.geojson"
format = "epa_power_profiler"

[inputs.tracts]
path = "indiana.gpkg:tracts"
format = "census_pl94171_tracts"

[inputs.queue]
path = "tables/queue_lbnl_2024.csv.gz"
format = "lbnl_queued_up"

[inputs.county_water_use]
path = "tables/usgs_water_use_2015_county.csv"
format = "usgs_county_water_use"

[inputs.county_svi]
path = "tables/cdc_svi_2022_county.csv"
format = "cdc_svi"

# Tract community data: the region's tables, and the national columns percentiles rank within.
[inputs.tract_community_2020]
path = "tables/tract2020_eji2024_depindex2023_ice_indiana.csv"
format = "tract_depindex2023"

[inputs.tract_community_2010]
path = "tables/tract2010_svi2018_ejscreen2020_cre2019_indiana.csv"
format = "tract_svi2018_ejscreen2020"

[inputs.tract_community_2020_us]
path = "tables/tract2020_eji2024_depindex2023_ice_us.csv.gz"
format = "tract_depindex2023"

[inputs.tract_community_2010_us]
path = "tables/tract2010_svi2018_ejscreen2020_cre2019_us.csv.gz"
format = "tract_svi2018_ejscreen2020"

[inputs.county_restrictions]
path = "tables/gridwatch_indiana_county_restrictions.json"
format = "gridwatch_restrictions"
state = "IN"

[inputs.climatology]
path = "tables/pvcz_climate_indiana.csv"
format = "pvcz2019"

# ZIP-code areas and their centroids, for finding the sites near a ZIP code.
[inputs.zip_centroids]
path = "tables/zcta_centroids_indiana_region.csv"
format = "eeweather_zcta"

[inputs.county_warming]
path = "tables/county_warming_1895_2019.csv"
format = "wapo_nclimdiv_warming"

[inputs.county_nri]
path = "tables/fema_nri_counties_indiana_region.csv"
format = "fema_nri_counties"

[inputs.hurricane_tracks]
path = "tables/ibtracs_tracks_1990plus_indiana_300km.csv"
format = "ibtracs_tracks"

[inputs.weather]
path = "weather"
format = "weather_folder"

[inputs.utility_territories]
path = "indiana.gpkg:utility_territories"
format = "gridwatch_utility_territories"

# EIA-861 utilities (CommonGrid table): the file does not state its data year, so it is given.
[inputs.utilities]
path = "tables/commongrid_utilities_eia861_2024.csv"
format = "commongrid_eia861"
year = "2024"

[inputs.cost_index]
path = "tables/bls_cpi_u_annual.csv"
format = "bls_cpi_u_annual"

# Feature layers the spec's exclusion rules may name (layer = "lakes").
[features]
lakes = "indiana.gpkg:lakes"
rivers = "indiana.gpkg:rivers"
national_forest = "indiana.gpkg:national_forest"
protected_fee_h3 = "indiana.gpkg:protected_fee_h3"
"""


def build(source, dest, cpi_db=None):
    """Build the whole bundle.

    Parameters
    ----------
    source : pathlib.Path
        Raw data folder.
    dest : pathlib.Path
        Bundle folder (created if needed).
    cpi_db : pathlib.Path, optional
        The ``cpi`` package's ``cpi/cpi.db`` to extract the CPI-U table from; without it the
        committed table is kept.

    Returns
    -------
    list of dict
        Provenance rows, sorted by path.
    """
    if not (source / "SOURCES.md").exists():
        raise FileNotFoundError(f"raw data folder not found or incomplete: {source}")
    dest.mkdir(parents=True, exist_ok=True)
    gpkg = dest / GPKG_NAME
    if gpkg.exists():
        gpkg.unlink()
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": GPKG_DATE})

    rows = [build_state(source, dest), build_counties(source, dest)]
    for func in (
        build_transmission_lines,
        build_power_plants,
        build_utility_territories,
        build_utilities,
        build_iso_regions,
        build_osm_substations,
        build_lakes,
        build_rivers,
        build_national_forest,
        build_protected_fee_h3,
        build_tracts,
        build_county_water_use,
        build_county_svi,
        build_tract2020_indiana,
        build_tract2010_indiana,
        build_tract2020_us,
        build_tract2010_us,
        build_queue,
        build_eia_power_plants,
        build_pvcz_climate,
        build_zip_centroids,
        build_county_warming,
        build_county_climate_normals,
        build_county_nri,
        build_hurricane_tracks,
    ):
        rows.append(func(source, dest))
    rows.append(build_county_restrictions(source, dest))
    rows.append(build_egrid_subregions(source, dest))
    rows.append(build_cost_index(dest, cpi_db))
    rows.extend(build_weather(source, dest))
    licenses = build_licenses(source, dest)
    (dest / "indiana.toml").write_text(CATALOGUE, encoding="utf-8")
    rows = write_sources_csv(rows, dest)
    write_sources_md(rows, licenses, dest)
    return rows


def main(argv=None):
    """Command-line entry point.

    Parameters
    ----------
    argv : list of str, optional
        Arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        Exit code.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--source",
        type=Path,
        default=Path("../shared/data"),
        help="raw data folder (default: ../shared/data)",
    )
    parser.add_argument(
        "--dest",
        type=Path,
        default=Path(__file__).resolve().parent,
        help="bundle folder (default: the folder of this script)",
    )
    parser.add_argument(
        "--cpi-db",
        type=Path,
        default=None,
        help="cpi/cpi.db of the PyPI package cpi: extract the CPI-U table again from it "
        "(default: keep the committed tables/bls_cpi_u_annual.csv)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO, format="%(levelname)s %(message)s"
    )
    rows = build(args.source, args.dest, args.cpi_db)
    files = sorted(p for p in args.dest.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    total = sum(p.stat().st_size for p in files)
    print(
        f"bundle: {len(rows)} provenance rows, {len(files)} files, "
        f"{total / 1e6:.2f} MB in {args.dest.name}/"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
