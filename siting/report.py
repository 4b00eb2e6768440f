"""Run folder writers: GeoPackage, CSV, GeoJSON, GeoTIFF, ledger, report and manifest.

Everything is written to a hidden staging folder beside the run folder and moved into place in
one rename at the end, so a failed run leaves no half-written output and never touches an
earlier run.
"""

from __future__ import annotations

import contextlib
import html
import itertools
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import rasterio
import rasterio.features
import rasterio.transform
import rasterio.windows
import shapely

from siting.assessments.base import Assessment
from siting.determinism import fixed_gpkg_date
from siting.errors import OutputError, SitingError
from siting.grid import Grid
from siting.indicator import Indicator
from siting.summary import site_statements

CSV_FLOAT_FORMAT = "%.6g"
#: How a site's raw value is summarised from its cells, by ``Indicator.site_stat``.
SITE_VALUE = {"mean": "mean over the site's cells", "min": "nearest cell (minimum)"}


def check_output_dir(out_dir: Path) -> None:
    """Fail early, before any work, if ``out_dir`` cannot become a new run folder.

    Refused: the current folder or one above it, a symbolic link (dangling or not), a file,
    a folder holding files, and a parent that cannot be created or written.
    """
    if Path.cwd().resolve().is_relative_to(out_dir.resolve()):
        raise OutputError(
            f"{out_dir}: is the current folder or holds it; give --out a new folder's name"
        )
    if out_dir.is_symlink():
        raise OutputError(
            f"{out_dir}: is a symbolic link; give --out a new folder's name, not a link"
        )
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"{out_dir}: is a file, not a folder; give --out a new folder's name")
    if out_dir.exists() and any(out_dir.iterdir()):
        raise OutputError(
            f"{out_dir}: output folder exists and is not empty; choose a new --out folder"
        )
    parent = out_dir.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(
            f"{parent}: cannot create output folder ({err.strerror}); choose another --out"
        ) from None
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"{parent}: folder is not writable; choose another --out")


def check_map_paths(*paths: Path) -> None:
    """Fail early if a map of this run's id exists already: an earlier run's is never replaced."""
    for path in paths:
        if path.exists() or path.is_symlink():
            raise OutputError(
                f"{path.parent}: maps folder already holds {path.name}; pass another --maps"
            )


def check_maps_dir(maps_dir: Path) -> None:
    """Fail early if the maps folder cannot be created or written."""
    try:
        maps_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(
            f"{maps_dir}: cannot create maps folder ({err.strerror}); pass another --maps"
        ) from None
    if not os.access(maps_dir, os.W_OK | os.X_OK):
        raise OutputError(f"{maps_dir}: maps folder is not writable; pass another --maps")


#: Age after which the staging folder of a process that is no longer alive is removed. [s]
STALE_STAGING_S = 60.0


@contextlib.contextmanager
def staged_dir(out_dir: Path, *, beside: Sequence[Path] = ()) -> Iterator[Path]:
    """Yield a staging folder that becomes ``out_dir`` only if the block finishes.

    The staging folder ``.<name>.partial-<pid>-<unix time>-<random>`` lies beside ``out_dir``.
    Staging folders of earlier runs that were killed are removed first: those in the same
    parent whose process id is no longer alive and that are older than
    :data:`STALE_STAGING_S`; a folder named otherwise, or of a live process, is kept.
    ``beside`` are files outside the folder (the maps): the block writes each to
    :func:`staged_path`, and they are renamed into place just after the folder, so a run killed
    at any instant never leaves one without its run folder; they are removed if the block
    fails. An ``OSError`` while writing (disk full, permission denied) becomes an
    :class:`OutputError`.
    """
    for folder in dict.fromkeys([out_dir.parent, *(path.parent for path in beside)]):
        remove_stale_staging(folder)
    prefix = f".{out_dir.name}.partial-{os.getpid()}-{int(time.time())}-"
    staging = Path(tempfile.mkdtemp(prefix=prefix, dir=out_dir.parent))
    os.chmod(staging, 0o777 & ~_umask())  # mkdtemp makes 0700; a run folder is an ordinary folder
    done = False
    try:
        yield staging
        if out_dir.exists():
            out_dir.rmdir()  # empty, checked by check_output_dir
        os.replace(staging, out_dir)
        for path in beside:
            os.replace(staged_path(staging, path), path)
        done = True
    except OSError as err:
        if isinstance(err, SitingError):
            raise
        raise OutputError(
            f"{out_dir}: cannot write the run ({err.strerror}: {err.filename or out_dir}); "
            "free disk space or fix the folder's permissions, or choose another --out"
        ) from None
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
        for path in beside:
            with contextlib.suppress(OSError):
                staged_path(staging, path).unlink(missing_ok=True)
                if not done:
                    path.unlink(missing_ok=True)


def staged_path(staging: Path, path: Path) -> Path:
    """Where the block of :func:`staged_dir` writes ``path``, a file outside the run folder.

    A hidden file beside ``path`` whose name starts with the staging folder's, so that
    :func:`remove_stale_staging` removes it when a killed run leaves it behind.
    """
    return path.with_name(f"{staging.name}.{path.name}")


def remove_stale_staging(folder: Path, *, now_s: float | None = None) -> list[Path]:
    """Remove the staging folders and files in ``folder`` left by killed runs (see
    :func:`staged_dir`).

    Returns the folders and files removed.
    """
    now_s = time.time() if now_s is None else now_s
    removed = []
    for path in folder.glob(".*.partial-*"):
        match = _STAGING_NAME.fullmatch(path.name)
        if not match or path.is_symlink():
            continue
        pid, created_s = int(match["pid"]), int(match["created"])
        if now_s - created_s > STALE_STAGING_S and not _alive(pid):
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                with contextlib.suppress(OSError):
                    path.unlink()
            removed.append(path)
    return removed


#: A staging folder, or a file staged beside one (:func:`staged_path`, or the temporary file
#: :func:`write_atomic_text` writes it through).
_STAGING_NAME = re.compile(
    r"\.+[^.].*\.partial-(?P<pid>\d+)-(?P<created>\d+)-[A-Za-z0-9_]+(?:\..+)?"
)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by another user
    return True


def write_atomic_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; the result is an ordinary file
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


#: Creation options of the run's Cloud-Optimized GeoTIFFs: the one-band surfaces a viewer
#: streams and zooms (score, consensus), with overviews.
COG_OPTIONS = {"driver": "COG", "compress": "deflate", "level": 1, "predictor": 3}

#: Creation options of the run's multi-band rasters (one suitability band per criterion), read
#: whole by analysis code: band-interleaved 512-cell tiles with zstd and no overviews, about a
#: tenth of the COG's write time and a quarter of its size. Every tile is stored, also one of
#: NaN only: a sparse GeoTIFF would save a tenth of the write time, but readers other than
#: GDAL may not take its missing tiles.
TILED_OPTIONS = {
    "driver": "GTiff",
    "tiled": True,
    "blockxsize": 512,
    "blockysize": 512,
    "interleave": "band",
    "compress": "zstd",
    "zstd_level": 1,
    "predictor": 3,
}


def write_raster(
    path: Path, bands: Mapping[str, np.ndarray], grid: Grid, *, units: Mapping[str, str]
) -> None:
    """Write float32 bands as a Cloud-Optimized GeoTIFF with NaN nodata and band descriptions."""
    _write_bands(path, bands, grid, units=units, options=COG_OPTIONS)


def write_tiled_raster(
    path: Path, bands: Mapping[str, np.ndarray], grid: Grid, *, units: Mapping[str, str]
) -> None:
    """Write float32 bands as a tiled, band-interleaved, zstd-compressed GeoTIFF with no
    overviews (:data:`TILED_OPTIONS`), NaN nodata and band descriptions."""
    _write_bands(path, bands, grid, units=units, options=TILED_OPTIONS)


def _write_bands(path, bands, grid: Grid, *, units, options) -> None:
    rows, cols = grid.shape
    with rasterio.open(
        path,
        "w",
        width=cols,
        height=rows,
        count=len(bands),
        dtype="float32",
        crs=grid.crs,
        transform=grid.transform,
        nodata=np.nan,
        num_threads="ALL_CPUS",
        **options,
    ) as dst:
        for i, (name, values) in enumerate(bands.items(), start=1):
            # a 3-D view and a list of indexes: rasterio copies a 2-D band into a stack first
            dst.write(values.astype(np.float32, copy=False)[np.newaxis], [i])
            dst.set_band_description(i, name)
            dst.update_tags(i, units=units.get(name, ""))


def mask_polygon(mask: np.ndarray, grid: Grid) -> shapely.Geometry:
    """The cells of ``mask`` as one (multi)polygon in the grid's CRS.

    The polygons of the mask's 4-connected parts are disjoint (two may touch at a corner), so
    together they are already a valid multipolygon; a union, which would cost seconds on a
    fine grid, is needed only should GEOS find them invalid.

    Polygonising costs time in every cell scanned, so only the mask's bounding window is
    polygonised, in the grid's cell coordinates (whole numbers, exact); the grid's transform is
    then applied as GDAL applies it, so the vertices are the same as polygonising the whole
    grid with its transform. The parts are built in one call from their coordinates
    (:func:`shapely.from_ragged_array`): the same geometry as one ``shapely.geometry.shape``
    per part, at a fraction of the cost.
    """
    window = _bounding_window(mask)
    if window is None:
        return shapely.MultiPolygon()
    part = mask[window.toslices()]
    shapes = rasterio.features.shapes(
        part.astype(np.uint8),
        mask=part,
        transform=rasterio.transform.Affine.translation(window.col_off, window.row_off),
        connectivity=4,
    )
    parts = _multipolygon([geometry["coordinates"] for geometry, _ in shapes], grid.transform)
    if shapely.get_num_geometries(parts) == 1:
        return shapely.get_geometry(parts, 0)
    return parts if parts.is_valid else shapely.union_all(shapely.get_parts(parts))


def _multipolygon(polygons: list, transform: rasterio.Affine) -> shapely.MultiPolygon:
    """One multipolygon of GeoJSON polygon rings in cell coordinates, taken to the grid's
    coordinates by ``transform`` in GDAL's order of operations (x = c + col·a + row·b)."""
    rings = [ring for polygon in polygons for ring in polygon]
    cells = np.array(list(itertools.chain.from_iterable(rings)), dtype=np.float64)
    col, row = cells[:, 0], cells[:, 1]
    t = transform
    coords = np.column_stack([t.c + col * t.a + row * t.b, t.f + col * t.d + row * t.e])
    offsets = (
        np.cumsum([0, *map(len, rings)]),
        np.cumsum([0, *map(len, polygons)]),
        np.array([0, len(polygons)]),
    )
    return shapely.from_ragged_array(shapely.GeometryType.MULTIPOLYGON, coords, offsets)[0]


def _bounding_window(mask: np.ndarray) -> rasterio.windows.Window | None:
    """The smallest window holding every True cell of ``mask``; None if there is none."""
    rows = np.flatnonzero(mask.any(axis=1))
    if not rows.size:
        return None
    cols = np.flatnonzero(mask.any(axis=0))
    return rasterio.windows.Window.from_slices(
        (int(rows[0]), int(rows[-1]) + 1), (int(cols[0]), int(cols[-1]) + 1)
    )


def rule_polygons(exclusions, rules, grid: Grid) -> gpd.GeoDataFrame:
    """One feature per rule (the cells it marks in the study area), with the rule's name, kind,
    mode and area [km²], so a GIS can style and filter them."""
    ledger = exclusions.ledger.set_index("rule")
    rows = [
        {
            "rule": rule.name,
            "kind": rule.kind,
            "mode": ledger.loc[rule.name, "mode"],
            "area_km2": float(ledger.loc[rule.name, "area_km2"]),
            "geometry": mask_polygon(exclusions.masks[rule.name], grid),
        }
        for rule in rules
        if rule.name in exclusions.masks
    ]
    columns = ["rule", "kind", "mode", "area_km2", "geometry"]
    return gpd.GeoDataFrame(pd.DataFrame(rows, columns=columns), geometry="geometry", crs=grid.crs)


def indicator_table(schemas: Mapping[str, Indicator], weights: Mapping[str, float]) -> pd.DataFrame:
    """One row per indicator: units, direction, data tag, source, weight and description."""
    rows = [
        {
            "indicator": s.name,
            "family": s.family,
            "title": s.title,
            "units": s.units,
            "direction": s.direction,
            "tag": s.tag,
            "weight": weights.get(s.name, 0.0),
            "site_value": SITE_VALUE[s.site_stat],
            "source": s.source,
            "description": s.description,
        }
        for s in schemas.values()
    ]
    return pd.DataFrame(rows)


_BASE_COLUMNS = {
    "rank": ("-", "1 = best score", "siting"),
    "site_id": ("-", "stable id from the centroid in EPSG:5070 km", "siting"),
    "score": ("0-1", "weighted sum of the indicator suitabilities, mean over the site", "siting"),
    "area_km2": ("km²", "area of the site's cells", "siting"),
    "county": ("-", "county holding most of the site", "counties layer of the bundle"),
    "county_fips": ("-", "5-digit FIPS code of that county", "counties layer of the bundle"),
    "centroid_lon": ("degrees (EPSG:4326)", "longitude of the site's centroid", "siting"),
    "centroid_lat": ("degrees (EPSG:4326)", "latitude of the site's centroid", "siting"),
    "n_cells": ("-", "number of grid cells in the site", "siting"),
    "unknown_indicators": (
        "-",
        "scored indicators with no data in the site (contributed 0)",
        "siting",
    ),
    "penalty_score": (
        "0-1",
        "score removed by penalty rules (e.g. a county moratorium): score = Σ contributions + "
        "penalty_score",
        "exclusion rules of the spec",
    ),
    "candidate_id": ("-", "the team's id of a candidate site (--candidates)", "candidates file"),
    "excluded_share": (
        "0-1",
        "share of a candidate's cells that the exclusion rules exclude (still scored)",
        "exclusion rules of the spec",
    ),
    "excluded_by": (
        "-",
        "exclusion rules that exclude part of a candidate, with the share of its cells",
        "exclusion rules of the spec",
    ),
    "flags": (
        "-",
        "flag rules touching the site (checks, not exclusions), with the share of its cells",
        "exclusion rules of the spec",
    ),
    "proxy_indicators": ("-", "columns that rest on proxy data", "siting"),
}


def column_dictionary(
    sites: pd.DataFrame, indicators: pd.DataFrame, assessments: Sequence[Assessment]
) -> pd.DataFrame:
    """One row per site column: its units, what it is, and where it comes from.

    Raises ``ValueError`` if a column is not described, so no figure leaves without its unit.
    """
    rows = {
        name: dict(zip(("units", "meaning", "source"), v, strict=True))
        for name, v in _BASE_COLUMNS.items()
    }
    for ind in indicators.itertuples():
        rows[ind.indicator] = {"units": ind.units, "meaning": ind.title, "source": ind.source}
        rows[f"suit_{ind.indicator}"] = {
            "units": "0-1",
            "meaning": f"suitability of {ind.indicator}",
            "source": "siting transform",
        }
        rows[f"contrib_{ind.indicator}"] = {
            "units": "0-1",
            "meaning": f"weight × suitability of {ind.indicator}",
            "source": "siting",
        }
    for assessment in assessments:
        for column, units in assessment.units.items():
            rows[column] = {
                "units": units,
                "meaning": "",
                "source": f"assessment: {assessment.name}",
            }
    missing = [c for c in sites.columns if c != "geometry" and c not in rows]
    if missing:
        raise ValueError(f"site columns without units or source: {missing}")
    table = pd.DataFrame([{"column": c, **rows[c]} for c in sites.columns if c != "geometry"])
    proxies = set(";".join(sites.get("proxy_indicators", pd.Series(dtype=str)).dropna()).split(";"))
    table["proxy"] = table["column"].isin(proxies - {""})
    return table


def write_tables(
    folder: Path,
    *,
    sites: gpd.GeoDataFrame,
    excluded: gpd.GeoDataFrame,
    indicators: pd.DataFrame,
    ledger: pd.DataFrame,
    columns: pd.DataFrame,
) -> dict[str, str]:
    """Write sites (GeoPackage, CSV, GeoJSON), their column dictionary, the indicator table and
    the exclusion ledger."""
    gpkg = folder / "sites.gpkg"
    with fixed_gpkg_date():
        sites.to_file(gpkg, layer="sites", driver="GPKG", engine="pyogrio")
        excluded.to_file(gpkg, layer="excluded", driver="GPKG", engine="pyogrio")
    pd.DataFrame(sites.drop(columns="geometry")).to_csv(
        folder / "sites.csv", index=False, float_format=CSV_FLOAT_FORMAT
    )
    sites.to_crs("EPSG:4326").to_file(folder / "sites.geojson", driver="GeoJSON", engine="pyogrio")
    indicators.to_csv(folder / "indicators.csv", index=False)
    columns.to_csv(folder / "sites_columns.csv", index=False)
    ledger.to_csv(folder / "exclusions.csv", index=False, float_format=CSV_FLOAT_FORMAT)
    return {
        "sites": "sites.gpkg",
        "sites_csv": "sites.csv",
        "sites_geojson": "sites.geojson",
        "indicators": "indicators.csv",
        "sites_columns": "sites_columns.csv",
        "exclusions": "exclusions.csv",
    }


def write_manifest(folder: Path, manifest: Mapping[str, Any]) -> str:
    """Write ``manifest.json`` (sorted keys, UTF-8)."""
    text = json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False, default=_json_default)
    (folder / "manifest.json").write_text(text + "\n", encoding="utf-8")
    return "manifest.json"


def _json_default(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"cannot write {type(value).__name__} to JSON")


def markdown_report(
    *,
    title: str,
    spec_lines: list[str],
    sites: pd.DataFrame,
    indicators: pd.DataFrame,
    ledger: pd.DataFrame,
    inputs: list[Mapping[str, str]],
    assessments: Sequence[Assessment] = (),
    shortfall: str = "",
    summary_options: Mapping[str, Any] | None = None,
) -> str:
    """A plain-language report: spec, ranked sites, score cards, exclusions and data provenance.

    ``shortfall`` says why fewer sites were found than the spec asks for ("" if none);
    ``summary_options`` are passed to :func:`siting.summary.site_statements` (target year,
    setback distance) for each site's plain-language summary.
    """
    scored = indicators[indicators["weight"] > 0]
    lines = [f"# {title}", "", "## Campus spec", "", *[f"- {s}" for s in spec_lines], ""]
    lines += ["## Ranked candidate sites", ""]
    if shortfall:
        lines += [f"**{len(sites)} site(s) found, fewer than asked for: {shortfall}.**", ""]
    lines += [_md_table(_ranked_view(sites)), ""]
    lines += ["## Score cards", ""]
    nearest = scored.loc[scored["site_value"] == SITE_VALUE["min"], "indicator"].tolist()
    if nearest:
        lines += [
            f"Raw values are means over the site's cells, except {', '.join(nearest)}: the "
            "distance from the site's nearest cell. Suitability and contribution are always "
            "means over the site's cells, so the score is the sum of the contributions.",
            "",
        ]
    for _, site in sites.iterrows():
        lines += [f"### Rank {site['rank']}: {site['site_id']} ({site['county']} County)", ""]
        lines += [
            f"Score {site['score']:.3f} of 1 over {site['area_km2']:.2f} km² "
            f"(centroid {site['centroid_lat']:.4f} N, {-site['centroid_lon']:.4f} W).",
            "",
        ]
        card = pd.DataFrame(
            {
                "indicator": scored["indicator"],
                "raw value": [_fmt(site[n]) for n in scored["indicator"]],
                "units": scored["units"],
                "suitability": [_fmt(site[f"suit_{n}"]) for n in scored["indicator"]],
                "weight": scored["weight"],
                "contribution": [_fmt(site[f"contrib_{n}"]) for n in scored["indicator"]],
                "data": scored["tag"],
            }
        )
        lines += ["**What a campus here would mean**", ""]
        lines += [*impact_lines(site, summary_options or {}), ""]
        lines += [_md_table(card), ""]
        if site["unknown_indicators"]:
            lines += [f"UNKNOWN (no data, contributed 0): {site['unknown_indicators']}", ""]
        if site.get("penalty_score", 0.0):
            lines += [f"Penalty rules removed {-site['penalty_score']:.3f} of the score.", ""]
        if site.get("flags"):
            lines += [f"Flags (checks, not exclusions): {site['flags']}", ""]
        for assessment in assessments:
            lines += [f"**{assessment.name}**", ""]
            lines += [f"- {c}: {_fmt(site[c])} {u}" for c, u in assessment.units.items()]
            lines += [""]
    for assessment in assessments:
        lines += [f"## Assumptions: {assessment.name}", ""]
        lines += [f"- {note}" for note in assessment.notes] + [""]
    lines += [
        "## Exclusions",
        "",
        "Areas in km² of the study area. `only_this_rule_km2`: removed by this rule alone; "
        "`in_sequence_km2`: added by this rule after the rules above it; `unknown_km2`: where "
        "the rule's data is unknown, handled as its `missing` policy says. Rules marked "
        "'not checked' had no data in this bundle.",
        "",
        _md_table(ledger),
        "",
    ]
    lines += [
        "## Indicators",
        "",
        _md_table(indicators[["indicator", "units", "tag", "weight", "site_value", "source"]]),
        "",
    ]
    proxies = indicators.loc[indicators["tag"].isin(["proxy", "synthetic"]), "indicator"].tolist()
    lines += [
        "## Data",
        "",
        f"Proxy or synthetic indicators in this run: {', '.join(proxies) if proxies else 'none'}.",
        "",
        _md_table(pd.DataFrame(inputs)[["path", "tag", "vintage", "license", "source"]]),
        "",
    ]
    # Markdown renders raw HTML: data text (county names, notes, sources) must stay text
    return html.escape("\n".join(lines), quote=False)


def impact_lines(site: pd.Series, options: Mapping[str, Any]) -> list[str]:
    """The site's plain-language statements as Markdown list items, each with its source."""
    return [
        f"- {s.text} *Source: {s.source}; {s.confidence}.*"
        for s in site_statements(site.to_dict(), **options)
    ]


def _ranked_view(sites: pd.DataFrame) -> pd.DataFrame:
    cols = ["rank", "site_id", "score", "area_km2", "county", "centroid_lat", "centroid_lon"]
    view = sites[cols].copy()
    for c in ("score", "area_km2"):
        view[c] = view[c].map(lambda v: f"{v:.3f}")
    for c in ("centroid_lat", "centroid_lon"):
        view[c] = view[c].map(lambda v: f"{v:.4f}")
    return view


def _fmt(value: Any) -> str:
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return "UNKNOWN"
    if isinstance(value, float | np.floating):
        return f"{value:.4g}"
    return str(value)


def _md_table(table: pd.DataFrame) -> str:
    header = "| " + " | ".join(str(c) for c in table.columns) + " |"
    rule = "|" + "---|" * len(table.columns)
    body = [
        "| " + " | ".join(_fmt(v).replace("|", "/") for v in row) + " |"
        for row in table.itertuples(index=False)
    ]
    return "\n".join([header, rule, *body])
