"""Check a finished run against known project locations: where do real sites fall on its score?

Known locations (existing or announced campuses) are placed on the run's grid and compared with
random cells of the study area that have a score: the ROC AUC of the score and of each
indicator's suitability, the lift of the top quintile of cells, and the share of the locations
that the run's rules exclude. The statistics are in :mod:`siting.models.validation`; this module
reads the points file and the run folder.

A location falls in one of four places: off the run's grid; on the grid but outside the study
area; on land an exclusion rule removes (score NaN inside a rule's zone in ``sites.gpkg``); or on
a scored cell. AUC and lift use the scored locations only; the excluded share is the excluded
locations over those in the study area (excluded + scored).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import rasterio
import shapely
from affine import Affine

from siting.errors import CRSError, DataError, DataFileNotFound
from siting.models.validation import auc_mann_whitney, percentile_rank, top_quintile_lift
from siting.sources.files import one_line, read_vector

#: Accepted names of the coordinate columns of a CSV of points, lower case.
LAT_COLUMNS = ("lat", "latitude")
LON_COLUMNS = ("lon", "lng", "long", "longitude")
#: Columns that name a point, the first present is used.
LABEL_COLUMNS = ("name", "site_id", "id", "label")
#: Where a known location falls, in reporting order.
STATUSES = ("scored", "excluded", "outside the study area", "outside the grid")


@dataclass(frozen=True, kw_only=True)
class RunSurfaces:
    """The rasters of a run folder and the zones its exclusion rules removed."""

    score: np.ndarray
    suitability: Mapping[str, np.ndarray]
    transform: Affine
    crs: str
    exclude_zones: gpd.GeoDataFrame | None


@dataclass(frozen=True, kw_only=True)
class Validation:
    """The result of :func:`validate_run`; :meth:`to_dict` gives it as JSON-ready data."""

    points_file: str
    run_dir: str
    seed: int
    n_random: int
    counts: Mapping[str, int]
    excluded_share: float
    auc: float
    lift: float
    indicators: pd.DataFrame
    points: pd.DataFrame
    notes: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {
            "points_file": self.points_file,
            "run_dir": self.run_dir,
            "seed": self.seed,
            "n_random": self.n_random,
            "counts": dict(self.counts),
            "excluded_share": _json_float(self.excluded_share),
            "auc": _json_float(self.auc),
            "top_quintile_lift": _json_float(self.lift),
            "indicators": _records(self.indicators),
            "points": _records(self.points),
            "notes": list(self.notes),
        }


def validate_run(points_file: Path, run_dir: Path, *, seed: int, n_random: int) -> Validation:
    """Score AUC, top-quintile lift, excluded share and each indicator's AUC at known locations.

    Parameters
    ----------
    points_file : pathlib.Path
        CSV with ``lat`` and ``lon`` columns (degrees, EPSG:4326), or a GeoJSON / GeoPackage of
        points in the CRS it declares.
    run_dir : pathlib.Path
        A folder written by ``siting run``.
    seed : int
        Seed of the random background cells.
    n_random : int
        Number of background cells, drawn uniformly with replacement from the scored cells.
    """
    points = read_points(points_file)
    surfaces = read_run(run_dir)
    placed = place_points(points, surfaces)
    if (placed["status"] == "outside the grid").all():
        raise DataError(
            f"{points_file}: none of its {len(placed)} points falls on the run's grid "
            f"({run_dir / 'score.tif'}); are lat and lon swapped, or is the run of another region?"
        )
    background = random_cells(surfaces.score, seed=seed, n=n_random)
    scored = placed["status"] == "scored"
    counts = {s: int((placed["status"] == s).sum()) for s in STATUSES}
    in_area = counts["scored"] + counts["excluded"]
    return Validation(
        points_file=str(points_file),
        run_dir=str(run_dir),
        seed=seed,
        n_random=n_random,
        counts=counts,
        excluded_share=counts["excluded"] / in_area if in_area else float("nan"),
        auc=auc_mann_whitney(placed.loc[scored, "score"], surfaces.score.ravel()[background]),
        lift=top_quintile_lift(placed.loc[scored, "score"], surfaces.score),
        indicators=indicator_aucs(surfaces, placed[scored], background),
        points=placed,
        notes=_notes(surfaces),
    )


def read_points(path: Path) -> gpd.GeoDataFrame:
    """Known locations as points with a ``label`` column, in the CRS of the file.

    A CSV needs latitude and longitude columns (:data:`LAT_COLUMNS`, :data:`LON_COLUMNS`) in
    degrees (EPSG:4326); any other file is read as vector data and must hold points and a CRS.
    """
    path = Path(path)
    if not path.is_file():
        raise DataFileNotFound(
            f"{path}: points file not found; pass a CSV with lat and lon columns or a GeoJSON or "
            "GeoPackage of points"
        )
    frame = _read_csv_points(path) if path.suffix.lower() == ".csv" else _read_vector_points(path)
    if frame.empty:
        raise DataError(f"{path}: no points; add one row or feature per known location")
    label = next((c for c in frame.columns if c.lower() in LABEL_COLUMNS), None)
    labels = frame[label].astype(str) if label else pd.Series(range(1, len(frame) + 1)).astype(str)
    return gpd.GeoDataFrame({"label": labels.to_numpy()}, geometry=frame.geometry.values)


def _read_csv_points(path: Path) -> gpd.GeoDataFrame:
    table = pd.read_csv(path)
    lower = {c.lower().strip(): c for c in table.columns}
    lat = next((lower[c] for c in LAT_COLUMNS if c in lower), None)
    lon = next((lower[c] for c in LON_COLUMNS if c in lower), None)
    if lat is None or lon is None:
        raise DataError(
            f"{path}: no lat/lon columns; found {list(table.columns)}. Name the columns lat and "
            "lon (degrees, EPSG:4326)"
        )
    coords = table[[lat, lon]].apply(pd.to_numeric, errors="coerce")
    bad = coords.isna().any(axis=1) | (coords[lat].abs() > 90) | (coords[lon].abs() > 180)
    if bad.any():
        rows = [int(i) + 2 for i in np.flatnonzero(bad)[:5]]
        raise DataError(
            f"{path}: lines {rows} have no valid {lat}/{lon} in degrees (lat −90–90, lon "
            "−180–180); fix or remove them"
        )
    points = gpd.points_from_xy(coords[lon], coords[lat], crs="EPSG:4326")
    return gpd.GeoDataFrame(table, geometry=points)


def _read_vector_points(path: Path) -> gpd.GeoDataFrame:
    try:
        frame = gpd.read_file(path, engine="pyogrio")
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as err:
        raise DataError(
            f"{path}: not a readable points file ({err}); pass a CSV with lat and lon columns or "
            "a GeoJSON or GeoPackage of points"
        ) from err
    if frame.crs is None:
        raise CRSError(f"{path}: the points have no CRS; declare one (e.g. EPSG:4326) in the file")
    frame = frame[~frame.geometry.is_empty & frame.geometry.notna()].explode(index_parts=False)
    kinds = sorted(set(frame.geom_type) - {"Point"})
    if kinds:
        raise DataError(
            f"{path}: geometries must be points, found {kinds}; give one point per location"
        )
    return frame.reset_index(drop=True)


def read_run(run_dir: Path) -> RunSurfaces:
    """The score, the suitability bands and the exclusion zones of a run folder."""
    run_dir = Path(run_dir)
    score_path = run_dir / "score.tif"
    if not score_path.is_file():
        raise DataFileNotFound(
            f"{run_dir}: no score.tif; pass the folder a `siting run` wrote (its --out)"
        )
    with rasterio.open(score_path) as src:
        score = src.read(1).astype(float)
        transform, crs = src.transform, src.crs.to_string()
    return RunSurfaces(
        score=score,
        suitability=_read_suitability(run_dir / "suitability.tif", score.shape),
        transform=transform,
        crs=crs,
        exclude_zones=_read_exclude_zones(run_dir / "sites.gpkg", crs),
    )


def _read_suitability(path: Path, shape: tuple[int, int]) -> dict[str, np.ndarray]:
    if not path.is_file():
        return {}
    with rasterio.open(path) as src:
        bands = {
            (name or f"band_{i}").removeprefix("suit_"): src.read(i).astype(float)
            for i, name in enumerate(src.descriptions, start=1)
        }
    wrong = [n for n, a in bands.items() if a.shape != shape]
    if wrong:
        raise DataError(f"{path}: bands {wrong} are not on the grid of score.tif; rerun the run")
    return bands


def _read_exclude_zones(path: Path, crs: str) -> gpd.GeoDataFrame | None:
    if not path.is_file():
        return None
    try:
        layers = pyogrio.list_layers(path)[:, 0]
    except (pyogrio.errors.DataSourceError, OSError) as err:
        raise DataError(
            f"{path}: cannot read the run's site table ({one_line(err)}); pass a complete run "
            "folder, or write it again with siting rerun"
        ) from None
    if "excluded" not in layers:
        return None
    zones = read_vector(path, layer="excluded")
    return zones[zones["mode"] == "exclude"].to_crs(crs)


def place_points(points: gpd.GeoDataFrame, surfaces: RunSurfaces) -> pd.DataFrame:
    """Each point's cell, status (:data:`STATUSES`), score, percentile among the scored cells
    and the exclusion rules that removed its cell."""
    lonlat = points.geometry.to_crs("EPSG:4326")
    xy = points.geometry.to_crs(surfaces.crs)
    cols_f, rows_f = ~surfaces.transform * (xy.x.to_numpy(), xy.y.to_numpy())
    rows, cols = np.floor(rows_f).astype(int), np.floor(cols_f).astype(int)
    n_rows, n_cols = surfaces.score.shape
    on_grid = (rows >= 0) & (rows < n_rows) & (cols >= 0) & (cols < n_cols)
    flat = np.where(on_grid, rows * n_cols + cols, -1)
    score = np.where(on_grid, surfaces.score.ravel()[np.clip(flat, 0, None)], np.nan)
    centres = surfaces.transform * (cols + 0.5, rows + 0.5)
    excluded_by = [
        _rules_at(surfaces.exclude_zones, x, y) if ok and np.isnan(s) else ""
        for x, y, ok, s in zip(*centres, on_grid, score, strict=True)
    ]
    status = np.select(
        [~on_grid, ~np.isnan(score), np.array(excluded_by) != ""],
        ["outside the grid", "scored", "excluded"],
        default="outside the study area",
    )
    if surfaces.exclude_zones is None:
        status = np.where(status == "outside the study area", "excluded", status)
    return pd.DataFrame(
        {
            "label": points["label"].to_numpy(),
            "lon": lonlat.x.to_numpy(),
            "lat": lonlat.y.to_numpy(),
            "cell": flat,
            "status": status,
            "score": score,
            "percentile": percentile_rank(score, surfaces.score),
            "excluded_by": excluded_by,
        }
    )


def _rules_at(zones: gpd.GeoDataFrame | None, x: float, y: float) -> str:
    if zones is None:
        return ""
    hit = zones.geometry.intersects(shapely.Point(x, y))
    return "; ".join(zones.loc[hit.to_numpy(), "rule"].astype(str))


def random_cells(score: np.ndarray, *, seed: int, n: int) -> np.ndarray:
    """Flat indices of ``n`` cells drawn uniformly, with replacement, from the scored cells."""
    scored = np.flatnonzero(~np.isnan(score))
    if scored.size == 0:
        raise DataError("the run's score.tif has no scored cell; nothing to validate against")
    return np.random.default_rng(seed).choice(scored, size=n, replace=True)


def indicator_aucs(
    surfaces: RunSurfaces, scored: pd.DataFrame, background: np.ndarray
) -> pd.DataFrame:
    """AUC of each suitability band at the scored locations against the background cells.

    Cells where the indicator is unknown (NaN) are left out on both sides; ``n_points`` counts
    the locations that remain.
    """
    rows = []
    for name, band in surfaces.suitability.items():
        at_points = band.ravel()[scored["cell"].to_numpy()]
        rows.append(
            {
                "indicator": name,
                "auc": auc_mann_whitney(at_points, band.ravel()[background]),
                "n_points": int((~np.isnan(at_points)).sum()),
            }
        )
    return pd.DataFrame(rows, columns=["indicator", "auc", "n_points"])


def _notes(surfaces: RunSurfaces) -> tuple[str, ...]:
    notes = []
    if surfaces.exclude_zones is None:
        notes.append(
            "no excluded layer in sites.gpkg: every unscored cell on the grid counts as excluded"
        )
    if not surfaces.suitability:
        notes.append("no suitability.tif: no indicator AUCs")
    return tuple(notes)


def _json_float(value: float) -> float | None:
    return None if np.isnan(value) else round(float(value), 6)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: _json_value(v) for k, v in r.items()} for r in frame.to_dict(orient="records")]


def _json_value(value: Any) -> Any:
    if isinstance(value, float | np.floating):
        return _json_float(value)
    return int(value) if isinstance(value, np.integer) else value
