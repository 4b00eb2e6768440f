"""Build the compact embedded data bundle of *siting* from the raw public inputs.

Run from the repository root::

    python data/build_bundle.py --source ../shared/data

The script is deterministic: every CSV is sorted and written from the source text (numbers are
not re-formatted), binary files are copied byte for byte, and the GeoPackage is written with a
fixed timestamp, so a re-run gives byte-identical files.  Every output gets one provenance row
in ``SOURCES.csv`` (read by the engine for run manifests) and ``SOURCES.md``.

Outputs (relative to ``--dest``, by default the folder holding this script):

- ``indiana.gpkg``: vector layers, all in EPSG:5070 (NAD83 / CONUS Albers).
- ``tables/*.csv``, ``tables/queue_lbnl_2024.csv.gz``: county-level and gridded tables.
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
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

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
        "1 polygon; generalised outline (~1e-4 degree vertices), reprojected "
        "EPSG:4326 -> EPSG:5070",
    )


def build_counties(source, dest):
    """Write layer ``counties``: the 92 Indiana counties.

    Parameters
    ----------
    source, dest : pathlib.Path
        Raw data folder and bundle folder.

    Returns
    -------
    row : dict
        Provenance row.
    counties : geopandas.GeoDataFrame
        The written layer (used to join names to FIPS).
    """
    rel = "grid/indiana_gridwatch/counties.geojson"
    gdf = _read_vector(source, rel)
    out = gpd.GeoDataFrame(
        {
            "fips": _fips5(gdf["fips"]),
            "name": gdf["county"].astype(str).str.strip(),
            "area_km2": gdf.geometry.area / 1e6,
        },
        geometry=gdf.geometry,
        crs=CRS,
    ).sort_values("fips")
    if (
        len(out) != 92
        or out["fips"].duplicated().any()
        or not out["fips"].str.startswith("18").all()
    ):
        raise ValueError("counties: expected 92 unique Indiana FIPS codes")
    _write_layer(out, dest, "counties")
    row = _row(
        f"{GPKG_NAME}:counties",
        "Indiana counties",
        "GridWatch Indiana (Census county boundaries)",
        "n.d. (GridWatch compilation)",
        CC_BY_GRIDWATCH,
        "real",
        rel,
        "92 counties; fips 5-char string; area_km2 = planar area in EPSG:5070 "
        f"(total {out['area_km2'].sum():,.0f} km2, generalised boundaries)",
    )
    return row, out


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
    kv = kv.where(kv > 0)
    n_nan = int(kv.isna().sum())
    out = gpd.GeoDataFrame(
        {
            "kv": kv,
            "volt_class": gdf["class"].astype(str),
            "owner": gdf["owner"].astype(str),
            "length_km": gdf.geometry.length / 1e3,
        },
        geometry=gdf.geometry,
        crs=CRS,
    )
    n_owner_na = int((out["owner"] == "NOT AVAILABLE").sum())
    LOG.info(
        "transmission: %d lines, %.0f km, kv NaN %d, owner 'NOT AVAILABLE' %d",
        len(out),
        out["length_km"].sum(),
        n_nan,
        n_owner_na,
    )
    _write_layer(out, dest, "transmission_lines")
    counts = out["kv"].value_counts().sort_index()
    kv_txt = ", ".join(f"{int(n)}x{k:g}" for k, n in counts.items())
    return _row(
        f"{GPKG_NAME}:transmission_lines",
        "Transmission lines >= 138 kV",
        "HIFLD Electric Power Transmission Lines via GridWatch Indiana",
        "2024",
        CC_BY_GRIDWATCH + "; HIFLD public domain",
        "real",
        rel,
        f"{len(out)} lines in and around Indiana ({kv_txt} kV); "
        f"{out['length_km'].sum():,.0f} km; kv in kV, non-positive/missing "
        f"(HIFLD -999999) -> NaN: {n_nan} lines; volt_class = HIFLD class; "
        f"owner 'NOT AVAILABLE' kept as in source ({n_owner_na} lines); "
        "length_km = planar length in EPSG:5070; geometry not simplified",
    )


def build_line_nodes(source, dest):
    """Write layer ``line_nodes``: clustered line endpoints (substation/tap stand-ins).

    Parameters
    ----------
    source, dest : pathlib.Path
        Raw data folder and bundle folder.

    Returns
    -------
    dict
        Provenance row.
    """
    rel = "grid/indiana_hifld_line_nodes_derived.geojson"
    gdf = _read_vector(source, rel)
    out = gpd.GeoDataFrame(
        {
            "node_id": gdf["node_id"].astype(str),
            "n_lines": gdf["n_lines"].astype("int64"),
            "n_line_ends": gdf["n_line_ends"].astype("int64"),
            "max_kv": gdf["max_kv"].astype("float64"),
            "min_kv": gdf["min_kv"].astype("float64"),
            "kv_levels": gdf["kv_levels"].astype(str),
            "node_type": gdf["node_type"].astype(str),
            "in_indiana": gdf["in_indiana"].astype(bool),
        },
        geometry=gdf.geometry,
        crs=CRS,
    ).sort_values("node_id")
    if out["node_id"].duplicated().any():
        raise ValueError("line_nodes: duplicate node_id")
    _write_layer(out, dest, "line_nodes")
    types = out["node_type"].value_counts().sort_index()
    return _row(
        f"{GPKG_NAME}:line_nodes",
        "Transmission line nodes (derived)",
        "derived from HIFLD lines (GridWatch Indiana)",
        "2024",
        CC_BY_GRIDWATCH + "; HIFLD public domain",
        "real-derived",
        rel,
        f"{len(out)} nodes: endpoints of the transmission lines clustered within 300 m "
        "(EPSG:5070); n_lines, n_line_ends, max_kv/min_kv (kV), kv_levels "
        "(';'-separated kV); node_type "
        + ", ".join(f"{k} {v}" for k, v in types.items())
        + f"; in_indiana {int(out['in_indiana'].sum())}; unnamed stand-ins for "
        "substations/taps, not an official substation list",
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
    """Write layer ``tracts``: 2020 Census tracts with population and density.

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
    land_km2 = gdf["AREALAND"].astype("float64") / 1e6
    pop = gdf["POP100"].astype("int64")
    out = gpd.GeoDataFrame(
        {
            "geoid": gdf["GEOID20"].astype(str).str.zfill(11),
            "county_fips": "18" + gdf["COUNTYFP"].astype(str).str.zfill(3),
            "population": pop,
            "housing_units": gdf["HU100"].astype("int64"),
            "land_area_km2": land_km2,
            "pop_density_per_km2": (pop / land_km2).where(land_km2 > 0),
        },
        geometry=gdf.geometry,
        crs=CRS,
    ).sort_values("geoid")
    total = int(out["population"].sum())
    if total != INDIANA_POPULATION_2020:
        raise ValueError(
            f"tracts: population sums to {total:,}, expected {INDIANA_POPULATION_2020:,}"
        )
    if out["geoid"].duplicated().any() or (out["geoid"].str[:5] != out["county_fips"]).any():
        raise ValueError("tracts: duplicate geoid or geoid/county mismatch")
    n_zero = int((land_km2 == 0).sum())
    LOG.info("tracts: %d, population %s, zero land area %d", len(out), f"{total:,}", n_zero)
    _write_layer(out, dest, "tracts")
    return _row(
        f"{GPKG_NAME}:tracts",
        "Census 2020 tracts with population",
        "US Census Bureau 2020 PL 94-171 redistricting data + TIGER/Line",
        "2020",
        "public domain",
        "real",
        rel,
        f"{len(out)} tracts, population sums to {total:,}; population = POP100, "
        "housing_units = HU100; land_area_km2 = AREALAND/1e6; pop_density_per_km2 "
        f"= population/land_area_km2 (persons/km2), NaN for {n_zero} tracts with zero "
        "land area (water-only tracts)",
    )


# --------------------------------------------------------------------------------------------
# tables
# --------------------------------------------------------------------------------------------


def build_county_water_use(source, dest):
    """Write ``tables/county_water_use_2015.csv`` (USGS 2015 withdrawals, all US counties).

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
    columns = {
        "TP-TotPop": "population_thousands",
        "TO-WFrTo": "fresh_withdrawal_mgd",
        "PS-WFrTo": "public_supply_fresh_mgd",
        "IN-WFrTo": "industrial_fresh_mgd",
        "PT-WFrTo": "thermoelectric_fresh_mgd",
        "IR-WFrTo": "irrigation_fresh_mgd",
        "TO-WGWFr": "groundwater_fresh_mgd",
        "TO-WSWFr": "surface_fresh_mgd",
    }
    out = pd.DataFrame(
        {"fips": _fips5(raw["FIPS"]), "state": raw["STATE"], "county": raw["COUNTY"]}
    )
    for src_col, dst_col in columns.items():
        out[dst_col] = raw[src_col]
    counts = _check_numeric(out, list(columns.values()), "water use")
    if out["fips"].duplicated().any():
        raise ValueError("water use: duplicate FIPS")
    out = out.sort_values("fips")
    _write_csv(out, dest / "tables" / "county_water_use_2015.csv")
    return _row(
        "tables/county_water_use_2015.csv",
        "County water withdrawals 2015",
        "USGS Estimated Use of Water in the United States, county data 2015 (v2)",
        "2015",
        "public domain",
        "real",
        rel,
        f"{len(out)} counties and equivalents (incl. PR, VI); withdrawals in Mgal/d, "
        "population in thousands; fresh water only; demand, not stress: used as a "
        "proxy for water stress; values copied as published ('--' -> empty, never "
        f"0); {_nan_note(counts)}",
    )


def build_county_svi(source, dest):
    """Write ``tables/county_svi_2022.csv`` (CDC/ATSDR SVI 2022, all US counties).

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
    columns = {
        "RPL_THEMES": "svi_overall_pct",
        "RPL_THEME1": "svi_socioeconomic_pct",
        "RPL_THEME2": "svi_household_pct",
        "RPL_THEME3": "svi_minority_pct",
        "RPL_THEME4": "svi_housing_transport_pct",
        "E_TOTPOP": "population",
    }
    out = pd.DataFrame(
        {"fips": _fips5(raw["FIPS"]), "state_abbr": raw["ST_ABBR"], "county": raw["COUNTY"]}
    )
    for src_col, dst_col in columns.items():
        values = raw[src_col]
        out[dst_col] = values.mask(pd.to_numeric(values) == -999)
    counts = _check_numeric(out, list(columns.values()), "SVI")
    if out["fips"].duplicated().any():
        raise ValueError("SVI: duplicate FIPS")
    out = out.sort_values("fips")
    _write_csv(out, dest / "tables" / "county_svi_2022.csv")
    return _row(
        "tables/county_svi_2022.csv",
        "Social Vulnerability Index 2022, counties",
        "CDC/ATSDR Social Vulnerability Index 2022 (county, US)",
        "2022 (ACS 2018–2022)",
        "public domain",
        "real",
        rel,
        f"{len(out)} counties; *_pct = percentile rank 0–1 within the US (RPL_THEMES, "
        "RPL_THEME1..4); population = E_TOTPOP (ACS estimate); -999 -> empty; " + _nan_note(counts),
    )


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


def build_county_restrictions(source, dest, counties):
    """Write ``tables/county_restrictions_2026.csv`` (data-center bans and moratoria).

    Parameters
    ----------
    source, dest : pathlib.Path
        Raw data folder and bundle folder.
    counties : geopandas.GeoDataFrame
        The ``counties`` layer (columns ``fips``, ``name``), used to join names to FIPS.

    Returns
    -------
    dict
        Provenance row.
    """
    rel = "grid/large_load/gridwatch_indiana_county_restrictions.json"
    with open(source / rel, encoding="utf-8") as fh:
        doc = json.load(fh)
    name_to_fips = dict(zip(counties["name"].str.lower(), counties["fips"], strict=True))
    sources = " | ".join(f"{s['label']}: {s['url']}" for s in doc["sources"])
    rows, unmatched = [], []
    for item in doc["counties"]:
        name = item["name"].strip()
        fips = name_to_fips.get(name.lower())
        if fips is None:
            unmatched.append(name)
            continue
        kind = item["type"].strip().lower()
        if kind not in ("ban", "moratorium"):
            raise ValueError(f"restrictions: unknown type {kind!r} for {name}")
        rows.append(
            {
                "fips": fips,
                "county": name,
                "restriction": kind,
                "detail": item.get("detail", ""),
                "as_of": doc["last_updated"],
                "source": sources,
            }
        )
    if unmatched:
        raise ValueError(f"restrictions: county names not in the counties layer: {unmatched}")
    out = pd.DataFrame(rows).sort_values("fips")
    if out["fips"].duplicated().any():
        raise ValueError("restrictions: a county is listed twice")
    _write_csv(out, dest / "tables" / "county_restrictions_2026.csv")
    kinds = out["restriction"].value_counts().sort_index()
    return _row(
        "tables/county_restrictions_2026.csv",
        "County data-center bans and moratoria, Indiana",
        "GridWatch Indiana; " + sources,
        f"2026 (as of {doc['last_updated']})",
        CC_BY_GRIDWATCH,
        "real",
        rel,
        "curated and PARTIAL: "
        + ", ".join(f"{v} {k}" for k, v in kinds.items())
        + "; absence from the list does not mean no restriction (source note: IU "
        "Environmental Resilience Institute counts ~11 counties with ordinances and "
        "17+ with moratoria, mid-2026); names joined to FIPS via the counties layer; "
        "verify locally",
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

The layer `osm_substations` (named high-voltage grid points, ~2016 extract of the OSM power
network, reprojected to EPSG:5070 and clipped to Indiana's bounding box + 100 km) is likewise
© OpenStreetMap contributors under ODbL 1.0, kept as its own layer. The engine only reads its
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
        "python data/build_bundle.py --source ../shared/data",
        "```",
        "",
        "The build is deterministic: re-running it gives byte-identical CSV files (rows",
        "sorted, source number text kept as published) and copies binary files byte for byte.",
        "",
        "## Attribution",
        "",
        "- Grid layers (state, counties, transmission lines, line nodes, power plants) and the",
        "  county restrictions table: **GridWatch Indiana**, CC BY 4.0",
        "  (https://creativecommons.org/licenses/by/4.0/); transmission lines from HIFLD",
        "  (public domain); line nodes derived from those lines. See",
        "  `LICENSES/GridWatch_DATA-LICENSE.md`.",
        "- Lakes, river areas and named grid points (osm_substations): **© OpenStreetMap",
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
        "  NREL, HIFLD.",
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
        iso = str(short) if isinstance(short, str) and short else path.stem.removeprefix("iso-")
        parts.append({"iso": iso, "name": str(gdf["name"].iloc[0]), "geometry": geom})
    out = (
        gpd.GeoDataFrame(parts, geometry="geometry", crs=CRS)
        .sort_values("iso")
        .reset_index(drop=True)
    )
    _write_layer(out, dest, "iso_regions")
    names = ", ".join(out["iso"])
    return _row(
        f"{GPKG_NAME}:iso_regions",
        "ISO/RTO and non-ISO regions around Indiana",
        "CommonGrid ISO territories (from EIA/HIFLD control areas)",
        "2025–2026",
        ODBL_COMMONGRID,
        "real",
        f"{folder}/iso-*.json",
        f"{len(out)} regions ({names}) clipped to Indiana's bounding box + 100 km; iso = short "
        "name (file stem where CommonGrid gives none); territories are service-area "
        "approximations and overlap where utilities belong to two regions. ODbL: kept as its "
        "own layer, see "
        "LICENSES/CommonGrid_LICENSE",
    )


OSM_SUBSTATION_MARGIN_M = 100_000.0


def build_osm_substations(source, dest):
    """Write layer ``osm_substations``: named high-voltage grid points from OpenStreetMap (~2016).

    Every named vertex (substation, station, plant, line junction) of the OSM high-voltage
    network extract within Indiana's bounding box grown by 100 km. Used to place the free-text
    points of interconnection of queue requests; kept as its own ODbL layer.

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
    points = gpd.GeoDataFrame(
        {
            "osm_vertex_id": raw["v_id"].astype(str),
            "name": raw["name"].str.strip(),
            "kind": raw["typ"].fillna(""),
            "voltage": raw["voltage"].fillna(""),
            "operator": raw["operator"].fillna(""),
        },
        geometry=gpd.points_from_xy(raw["lon"].astype(float), raw["lat"].astype(float)),
        crs="EPSG:4326",
    ).to_crs(CRS)
    state = _read_vector(source, "grid/indiana_gridwatch/indiana.geojson")
    xmin, ymin, xmax, ymax = state.total_bounds
    m = OSM_SUBSTATION_MARGIN_M
    inside = points.geometry.intersects(shapely.box(xmin - m, ymin - m, xmax + m, ymax + m))
    out = points[inside].sort_values("osm_vertex_id", key=lambda v: v.astype(int))
    _write_layer(out, dest, "osm_substations")
    kinds = out["kind"].value_counts().sort_index()
    return _row(
        f"{GPKG_NAME}:osm_substations",
        "Named high-voltage grid points (OpenStreetMap)",
        "OpenStreetMap high-voltage network extract (SciGRID/GridKit style), Midwest and South",
        "~2016",
        ODBL,
        "real",
        rel,
        f"{len(out)} named vertices within Indiana's bounding box + 100 km, by OSM kind: "
        + ", ".join(f"{k or 'none'} {v}" for k, v in kinds.items())
        + "; voltage as tagged (V, ';'-separated), operator as tagged; old and sparse: "
        "names place queue points of interconnection, not a substation inventory. ODbL: "
        "kept as its own layer, see LICENSES/ODbL_OpenStreetMap_NOTE.md",
    )


EGRID_FUELS = {
    "coal": "coal_pct",
    "oil": "oil_pct",
    "gas": "gas_pct",
    "nuclear": "nuclear_pct",
    "hydro": "hydro_pct",
    "biomass": "biomass_pct",
    "wind": "wind_pct",
    "solar": "solar_pct",
    "geothermal": "geothermal_pct",
    "otherFossilFuel": "other_fossil_pct",
    "otherUnknownFuel": "other_unknown_pct",
}
EGRID_RATES = {
    "co2EmissionRate": "co2_lb_per_mwh",
    "co2eEmissionRate": "co2e_lb_per_mwh",
    "noxEmissionRate": "nox_lb_per_mwh",
    "so2EmissionRate": "so2_lb_per_mwh",
}


def build_egrid_subregions(source, dest):
    """Write eGRID2023 subregions: layer ``egrid_subregions`` and a national table.

    The layer holds the subregion polygons that reach within 100 km of Indiana (for joining a
    site to its subregion); ``tables/egrid2023_subregions.csv`` holds every subregion and the
    national row, without geometry. Both carry the generation fuel mix [%], output emission
    rates [lb/MWh] and grid loss [fraction].

    Parameters
    ----------
    source, dest : pathlib.Path
        Raw data folder and bundle folder.

    Returns
    -------
    list of dict
        Provenance rows.
    """
    rel = "carbon/epa_power_profiler_egrid2023_subregions.geojson"
    features = json.loads((source / rel).read_text(encoding="utf-8"))["features"]
    records, geoms = [], []
    for feature in features:
        props = feature["properties"]
        if props["type"] not in ("subregion", "national"):
            continue
        record = {
            "subregion": props["name"] if props["type"] == "subregion" else "US",
            "name": props["fullName"],
            "data_year": int(props["dataYear"]),
        }
        record |= {col: float(props["fuelMix"][k]) for k, col in EGRID_FUELS.items()}
        record |= {
            col: float(props["emissionFactor"][k]["value"]) for k, col in EGRID_RATES.items()
        }
        record["grid_loss_frac"] = float(props["gridLoss"]["value"])
        records.append(record)
        geoms.append(shapely.geometry.shape(feature["geometry"]) if feature["geometry"] else None)
    table = pd.DataFrame(records).sort_values("subregion").reset_index(drop=True)
    _write_csv(table, dest / "tables" / "egrid2023_subregions.csv")

    state = _read_vector(source, "grid/indiana_gridwatch/indiana.geojson").to_crs(CRS)
    xmin, ymin, xmax, ymax = state.total_bounds
    m = ISO_CLIP_MARGIN_M
    near = shapely.box(xmin - m, ymin - m, xmax + m, ymax + m)
    polys = gpd.GeoDataFrame(pd.DataFrame(records), geometry=geoms, crs="EPSG:4326").dropna(
        subset=["geometry"]
    )
    polys = polys.to_crs(CRS)
    polys["geometry"] = shapely.make_valid(polys.geometry.to_numpy())
    polys = polys[polys.intersects(near)].sort_values("subregion").reset_index(drop=True)
    _write_layer(polys, dest, "egrid_subregions")
    names = ", ".join(polys["subregion"])
    common = (
        "fuel mix of net generation in % (coal_pct … other_unknown_pct; sums to 100 ± 0.4 as "
        "published), output emission rates co2/co2e/nox/so2 in lb/MWh, grid_loss_frac = grid "
        "gross loss as a fraction; values as published by the EPA Power Profiler"
    )
    return [
        _row(
            f"{GPKG_NAME}:egrid_subregions",
            "eGRID2023 subregions around Indiana",
            "US EPA eGRID2023 via the Power Profiler",
            "2023",
            "public domain",
            "real",
            rel,
            f"{len(polys)} subregions reaching within 100 km of Indiana ({names}); "
            f"reprojected EPSG:4326 -> EPSG:5070, make_valid; {common}",
        ),
        _row(
            "tables/egrid2023_subregions.csv",
            "eGRID2023 subregion fuel mix and emission rates (national)",
            "US EPA eGRID2023 via the Power Profiler",
            "2023",
            "public domain",
            "real",
            rel,
            f"{len(table) - 1} subregions and the national row (subregion 'US'); {common}",
        ),
    ]


def build(source, dest):
    """Build the whole bundle.

    Parameters
    ----------
    source : pathlib.Path
        Raw data folder.
    dest : pathlib.Path
        Bundle folder (created if needed).

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

    rows = [build_state(source, dest)]
    counties_row, counties = build_counties(source, dest)
    rows.append(counties_row)
    for func in (
        build_transmission_lines,
        build_line_nodes,
        build_power_plants,
        build_iso_regions,
        build_osm_substations,
        build_lakes,
        build_rivers,
        build_national_forest,
        build_protected_fee_h3,
        build_tracts,
        build_county_water_use,
        build_county_svi,
        build_queue,
        build_eia_power_plants,
        build_pvcz_climate,
        build_county_warming,
        build_county_climate_normals,
    ):
        rows.append(func(source, dest))
    rows.append(build_county_restrictions(source, dest, counties))
    rows.extend(build_weather(source, dest))
    rows.extend(build_egrid_subregions(source, dest))
    licenses = build_licenses(source, dest)
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
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO, format="%(levelname)s %(message)s"
    )
    rows = build(args.source, args.dest)
    files = sorted(p for p in args.dest.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    total = sum(p.stat().st_size for p in files)
    print(
        f"bundle: {len(rows)} provenance rows, {len(files)} files, "
        f"{total / 1e6:.2f} MB in {args.dest.name}/"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
