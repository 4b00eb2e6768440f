"""Build the national county tables of *siting* (``national/``) from the raw public inputs.

Run from the repository root::

    python siting/data/build_national.py --source ../shared/data

What ``siting screen`` reads besides the national tables already in ``tables/`` (CDC SVI 2022,
USGS water use 2015, LBNL Queued Up 2024, GridWatch restrictions). One row per county of the
contiguous United States (CONUS: every state but Alaska and Hawaii, and no territory), in the
county list of the Census 2022 cartographic boundaries as published by plotly:

- ``national/counties_conus.csv``: per county its name, land area, centroid, FEMA National Risk
  Index composite, eGRID2023 subregion and its output emission rates, and the PVCZ-2019
  climatology of the nearest 0.25° lattice point to the centroid.
- ``national/counties_conus_simplified.geojson.gz``: the county polygons simplified to about
  1 km (Douglas–Peucker in EPSG:5070, topology kept), in EPSG:4326 with 4 decimals, for the map.
- ``national/eia_power_plants_202311_conus.csv.gz``: the EIA Energy Atlas plants of CONUS in
  EIA's own columns (those ``siting.sources.eia_atlas`` reads).
- ``national/SOURCES.csv``, ``national/SOURCES.md``: provenance, in the schema of the bundle's.

The script is deterministic: rows are sorted by FIPS (plants by Plant_Code), numbers are
rounded to fixed decimals and gzip files carry no timestamp, so a re-run gives identical files.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import logging
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from build_bundle import (
    SOURCES_COLUMNS,
    _fips5,
    _md_cell,
    _read_text_table,
    _row,
    _write_csv,
)
from scipy.spatial import cKDTree

from siting.sources import eia_atlas, epa_egrid, fema_nri, pvcz

LOG = logging.getLogger("build_national")

CRS = "EPSG:5070"
#: State FIPS codes outside the contiguous United States: Alaska, Hawaii and the territories.
NON_CONUS_STATE_FIPS = ("02", "15", "60", "66", "69", "72", "78")
#: Douglas–Peucker tolerance of the map's county polygons. [m]
SIMPLIFY_M = 1000.0
KM2_PER_SQ_MI = 2.589988110336
NATIONAL = "national"
COUNTY_TABLE = f"{NATIONAL}/counties_conus.csv"
COUNTY_SHAPES = f"{NATIONAL}/counties_conus_simplified.geojson.gz"
PLANTS = f"{NATIONAL}/eia_power_plants_202311_conus.csv.gz"
#: EIA columns kept: those :func:`siting.sources.eia_atlas.read_plants` reads.
PLANT_COLUMNS = (*eia_atlas.PLANT_COLUMNS, *eia_atlas.FUEL_COLUMNS)


def conus_counties(source: Path) -> gpd.GeoDataFrame:
    """CONUS county polygons (EPSG:5070) with ``fips``, ``state_fips``, ``county_name`` and
    ``land_area_km2`` (Census land area, CENSUSAREA in square miles), sorted by FIPS."""
    rel = "boundaries/plotly_geojson_counties_fips.json"
    doc = json.loads((source / rel).read_text(encoding="latin-1"))
    gdf = gpd.GeoDataFrame.from_features(doc["features"], crs="EPSG:4326")
    gdf["fips"] = _fips5(pd.Series([f["id"] for f in doc["features"]]))
    gdf = gdf[~gdf["STATE"].isin(NON_CONUS_STATE_FIPS)].copy()
    if gdf["fips"].duplicated().any():
        raise ValueError(f"{rel}: duplicate county FIPS")
    gdf["state_fips"] = gdf["fips"].str[:2]
    gdf["county_name"] = (gdf["NAME"] + " " + gdf["LSAD"].fillna("")).str.strip()
    gdf["land_area_km2"] = (pd.to_numeric(gdf["CENSUSAREA"]) * KM2_PER_SQ_MI).round(3)
    gdf = gdf[["fips", "state_fips", "county_name", "land_area_km2", "geometry"]]
    gdf = gdf.sort_values("fips").reset_index(drop=True).to_crs(CRS)
    gdf["geometry"] = shapely.make_valid(gdf.geometry.to_numpy())
    return gdf


def centroids_deg(counties: gpd.GeoDataFrame) -> pd.DataFrame:
    """Each county's area centroid (in EPSG:5070), in EPSG:4326 degrees."""
    points = gpd.GeoSeries(counties.geometry.centroid, crs=CRS).to_crs("EPSG:4326")
    return pd.DataFrame(
        {"centroid_lat_deg": points.y.round(5), "centroid_lon_deg": points.x.round(5)},
        index=counties.index,
    )


def county_nri(source: Path, fips: pd.Series) -> pd.DataFrame:
    """FEMA NRI composite risk per county, in our names (``siting.sources.fema_nri``)."""
    nri = fema_nri.read_nri_counties(source / "hazard/fema_nri_counties_composite_v1_subset.csv")
    keep = ["nri_risk_score", "nri_risk_rating", "nri_risk_national_pct"]
    out = nri.set_index("fips")[keep].reindex(fips).reset_index(drop=True)
    return out.round({"nri_risk_score": 4, "nri_risk_national_pct": 6})


def county_egrid(source: Path, counties: gpd.GeoDataFrame) -> pd.DataFrame:
    """eGRID2023 subregion of each county's centroid and its output emission rates.

    A centroid in no subregion polygon (the polygons are generalised at the coast) takes the
    nearest subregion in EPSG:5070.
    """
    sub = epa_egrid.read_power_profiler_subregions(
        source / "carbon/epa_power_profiler_egrid2023_subregions.geojson"
    )
    sub = sub[sub["subregion"] != epa_egrid.NATIONAL_CODE].to_crs(CRS)
    points = gpd.GeoDataFrame(geometry=counties.geometry.centroid, crs=CRS)
    hit = gpd.sjoin_nearest(points, sub[["subregion", "geometry"]], how="left")
    hit = hit[~hit.index.duplicated(keep="first")]
    rates = sub.set_index("subregion")[["co2_lb_per_mwh", "co2e_lb_per_mwh"]]
    out = rates.reindex(hit["subregion"]).reset_index()
    out.columns = ["egrid_subregion", "egrid_co2_lb_per_mwh", "egrid_co2e_lb_per_mwh"]
    return out.set_index(counties.index)


def county_climate(source: Path, centroids: pd.DataFrame) -> pd.DataFrame:
    """The PVCZ-2019 climatology of the lattice point nearest each centroid (0.25° GLDAS)."""
    climate = pvcz.read_climatology(
        source / "climate/pvcz2019_gldas025_northamerica_climate.csv.gz"
    )
    climate = climate.dropna().reset_index(drop=True)
    lat0 = np.deg2rad(centroids["centroid_lat_deg"].to_numpy())
    xy_grid = _equirect(climate["lon_deg"].to_numpy(), climate["lat_deg"].to_numpy())
    xy_cty = _equirect(centroids["centroid_lon_deg"].to_numpy(), np.rad2deg(lat0))
    distance_km, nearest = cKDTree(xy_grid).query(xy_cty)
    picked = climate.iloc[nearest].reset_index(drop=True)
    out = picked[
        [
            "temp_mean_degc",
            "temp_max_degc",
            "specific_humidity_mean_g_per_kg",
            "specific_humidity_sd_g_per_kg",
        ]
    ].copy()
    out["pvcz_lat_deg"] = picked["lat_deg"]
    out["pvcz_lon_deg"] = picked["lon_deg"]
    out["pvcz_distance_km"] = np.round(distance_km, 2)
    return out.set_index(centroids.index)


def _equirect(lon_deg: np.ndarray, lat_deg: np.ndarray) -> np.ndarray:
    """Equirectangular x, y at the CONUS mean latitude: nearest-point search only. [km]"""
    scale = np.cos(np.deg2rad(38.0))
    return np.column_stack([lon_deg * 111.195 * scale, lat_deg * 111.195])


def build_county_table(source: Path, dest: Path, counties: gpd.GeoDataFrame) -> dict:
    """Write ``national/counties_conus.csv`` and return its provenance row."""
    centroids = centroids_deg(counties)
    table = pd.concat(
        [
            counties[["fips", "state_fips", "county_name", "land_area_km2"]],
            centroids,
            county_nri(source, counties["fips"]),
            county_egrid(source, counties),
            county_climate(source, centroids),
        ],
        axis=1,
    )
    _write_csv(table, dest / COUNTY_TABLE)
    missing = {c: int(n) for c, n in table.isna().sum().items() if n}
    return _row(
        COUNTY_TABLE,
        "CONUS counties: area, centroid, hazard risk, grid emission rate, climate",
        "Census 2022 county boundaries (plotly datasets); FEMA National Risk Index (county "
        "composite); US EPA eGRID2023 via the Power Profiler; PVCZ-2019 (Karin et al., NASA "
        "GLDAS 0.25°)",
        "Census 2022; NRI v1 (2023 release); eGRID2023; GLDAS 2010–2018",
        "public domain (Census, FEMA, EPA); PVCZ-2019 MIT",
        "real-derived",
        "boundaries/plotly_geojson_counties_fips.json; "
        "hazard/fema_nri_counties_composite_v1_subset.csv; "
        "carbon/epa_power_profiler_egrid2023_subregions.geojson; "
        "climate/pvcz2019_gldas025_northamerica_climate.csv.gz",
        f"{len(table)} CONUS counties (AK, HI and territories left out), sorted by fips; "
        "land_area_km2 = Census CENSUSAREA (land, sq mi) × 2.58999; centroid of the polygon "
        "in EPSG:5070; nri_* read by siting.sources.fema_nri (risk score 0–100, national "
        "percentile 0–1); egrid_* = subregion holding the centroid (nearest where none), "
        "output rates in lb/MWh; temp_* (°C) and specific_humidity_* (g/kg) of the PVCZ "
        "lattice point nearest the centroid (pvcz_distance_km); missing: "
        + (", ".join(f"{k} {v}" for k, v in missing.items()) or "none"),
    )


def build_county_shapes(dest: Path, counties: gpd.GeoDataFrame) -> dict:
    """Write ``national/counties_conus_simplified.geojson.gz`` and return its provenance row."""
    simple = counties[["fips", "county_name", "geometry"]].copy()
    simple["geometry"] = shapely.make_valid(
        shapely.simplify(simple.geometry.to_numpy(), SIMPLIFY_M, preserve_topology=True)
    )
    simple = simple.to_crs("EPSG:4326")
    simple["geometry"] = shapely.set_precision(simple.geometry.to_numpy(), 1e-4)
    text = simple.to_json(drop_id=True, separators=(",", ":"))
    _write_gzip(dest / COUNTY_SHAPES, text.encode("utf-8"))
    return _row(
        COUNTY_SHAPES,
        "CONUS county polygons, simplified for the screen's map",
        "Census 2022 county boundaries (plotly datasets)",
        "2022",
        "public domain (Census); plotly datasets MIT",
        "real-derived",
        "boundaries/plotly_geojson_counties_fips.json",
        f"{len(simple)} counties (fips, county_name); Douglas–Peucker {SIMPLIFY_M:.0f} m in "
        "EPSG:5070 with topology kept, then EPSG:4326 rounded to 1e-4°; for drawing only, "
        "areas come from the county table",
    )


def build_plants(source: Path, dest: Path, counties: gpd.GeoDataFrame) -> dict:
    """Write ``national/eia_power_plants_202311_conus.csv.gz`` and return its provenance row."""
    rel = "grid/eia_power_plants_202311.csv"
    raw = _read_text_table(source / rel, "utf-8-sig")
    lon = pd.to_numeric(raw["Longitude"], errors="coerce")
    lat = pd.to_numeric(raw["Latitude"], errors="coerce")
    keep = raw["State"].notna() & ~raw["State"].isin(["AK", "HI", "PR"]) & lon.notna()
    keep &= lat.notna()
    out = raw.loc[keep, list(PLANT_COLUMNS)]
    out = out.iloc[pd.to_numeric(out["Plant_Code"]).argsort(kind="stable")]
    buf = io.StringIO()
    out.to_csv(buf, index=False, lineterminator="\n", na_rep="")
    _write_gzip(dest / PLANTS, buf.getvalue().encode("utf-8"))
    total_gw = pd.to_numeric(out["Total_MW"]).sum() / 1000.0
    return _row(
        PLANTS,
        "Power plants of the contiguous United States (EIA Energy Atlas, EIA-860M)",
        "U.S. Energy Information Administration, U.S. Energy Atlas power plants "
        "(EIA-860, EIA-860M and EIA-923)",
        "November 2023 (Period 202311)",
        "public domain",
        "real",
        rel,
        f"{len(out):,} of {len(raw):,} plants (AK, HI, PR and plants without coordinates left "
        f"out), {total_gw:,.0f} GW; EIA's text kept in the columns siting.sources.eia_atlas "
        "reads (Total_MW and <fuel>_MW = net summer capacity in MW, blank = none); sorted by "
        "Plant_Code; gzip without timestamp",
    )


def _write_gzip(path: Path, data: bytes) -> None:
    """Write ``data`` gzip-compressed with no name and a zero timestamp (reproducible)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with (
        open(path, "wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz,
    ):
        gz.write(data)
    LOG.info("wrote %s (%d bytes)", path.name, path.stat().st_size)


def write_sources(rows: list[dict], dest: Path) -> None:
    """Write ``national/SOURCES.csv`` and ``national/SOURCES.md``."""
    rows = sorted(rows, key=lambda r: r["path"])
    table = pd.DataFrame(rows, columns=SOURCES_COLUMNS)
    _write_csv(table, dest / NATIONAL / "SOURCES.csv")
    lines = [
        "# National county tables of siting: sources",
        "",
        "Built by `python siting/data/build_national.py --source ../shared/data` from the raw "
        "public files named in `derived_from` (paths in `../shared/data`). Read by "
        "`siting screen` together with the national tables in `tables/` "
        "(`cdc_svi_2022_county.csv`, `usgs_water_use_2015_county.csv`, "
        "`queue_lbnl_2024.csv.gz`, `gridwatch_indiana_county_restrictions.json`), whose rows "
        "are in `../SOURCES.csv`.",
        "",
        "| " + " | ".join(SOURCES_COLUMNS) + " |",
        "|" + "---|" * len(SOURCES_COLUMNS),
    ]
    lines += ["| " + " | ".join(_md_cell(r[c]) for c in SOURCES_COLUMNS) + " |" for r in rows]
    (dest / NATIONAL / "SOURCES.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def build(source: Path, dest: Path) -> list[dict]:
    """Build every national table; return the provenance rows."""
    if not (source / "SOURCES.md").exists():
        raise FileNotFoundError(f"raw data folder not found or incomplete: {source}")
    counties = conus_counties(source)
    rows = [
        build_county_table(source, dest, counties),
        build_county_shapes(dest, counties),
        build_plants(source, dest, counties),
    ]
    write_sources(rows, dest)
    return rows


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=Path("../shared/data"))
    parser.add_argument("--dest", type=Path, default=Path(__file__).resolve().parent)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    build(args.source, args.dest)
    files = sorted((args.dest / NATIONAL).iterdir())
    for path in files:
        LOG.info("%-48s %9d bytes", path.name, path.stat().st_size)
    return 0


if __name__ == "__main__":
    sys.exit(main())
