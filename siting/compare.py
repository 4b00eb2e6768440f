"""What changed between two runs: sites gained, lost, moved and kept, and why their scores moved.

A site of run B is the same site as one of run A when both carry the same ``site_id`` or, failing
that, when their polygons overlap with an intersection over union of at least
:data:`MIN_IOU`; each site is matched at most once, the largest overlaps first. A matched pair
whose polygons are the same (IoU ≥ :data:`SAME_IOU`) is *kept*, any other *moved*.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from siting.errors import DataError, DataFileNotFound
from siting.manifest import read_manifest
from siting.sources.files import read_vector

#: Smallest intersection over union at which two polygons are one site. [-]
MIN_IOU = 0.5
#: Intersection over union at and above which a matched site has not moved. [-]
SAME_IOU = 0.999
#: Columns a run's site table must have to be compared.
NEEDED = ("site_id", "rank", "score")
#: Prefix of the per-indicator contribution columns, weight × suitability. [-]
CONTRIB = "contrib_"


@dataclass(frozen=True, kw_only=True)
class RunSites:
    """A run folder's ranked sites and its run id."""

    folder: Path
    run_id: str
    sites: gpd.GeoDataFrame


def read_run_sites(folder: Path) -> RunSites:
    """The sites of a run folder (``sites.gpkg``, layer ``sites``) and its run id.

    Raises
    ------
    DataFileNotFound
        ``folder`` is not a folder or holds no ``sites.gpkg``.
    DataError
        The site table lacks ``site_id``, ``rank`` or ``score``.
    """
    folder = Path(folder)
    gpkg = folder / "sites.gpkg"
    if not gpkg.is_file():
        raise DataFileNotFound(
            f"{folder}: not a run folder (no sites.gpkg); pass a folder written by siting run"
        )
    sites = read_vector(gpkg, layer="sites")
    missing = [c for c in NEEDED if c not in sites.columns]
    if missing:
        raise DataError(f"{gpkg}: site table lacks {missing}; found {list(sites.columns)}")
    manifest = folder / "manifest.json"
    run_id = folder.name
    if manifest.is_file():
        run_id = read_manifest(manifest).get("run_id", run_id)
    return RunSites(folder=folder, run_id=run_id, sites=sites.sort_values("rank", kind="stable"))


def iou_matrix(a: gpd.GeoSeries, b: gpd.GeoSeries) -> np.ndarray:
    """Intersection over union of every polygon of ``a`` with every polygon of ``b``. [-]"""
    if len(a) == 0 or len(b) == 0:
        return np.zeros((len(a), len(b)))
    b = b.to_crs(a.crs) if a.crs is not None and b.crs != a.crs else b
    ga = a.to_numpy()[:, None]
    gb = b.to_numpy()[None, :]
    inter = shapely.area(shapely.intersection(ga, gb))
    union = shapely.area(shapely.union(ga, gb))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(union > 0, inter / union, 0.0)


def match_sites(a: gpd.GeoDataFrame, b: gpd.GeoDataFrame) -> list[tuple[int, int, float]]:
    """Pairs ``(row in a, row in b, IoU)``: first by equal ``site_id``, then by overlap."""
    iou = iou_matrix(a.geometry, b.geometry)
    pairs = []
    ids_b = {sid: j for j, sid in enumerate(b["site_id"])}
    for i, sid in enumerate(a["site_id"]):
        if sid in ids_b:
            pairs.append((i, ids_b[sid], float(iou[i, ids_b[sid]])))
    used_a = {i for i, _, _ in pairs}
    used_b = {j for _, j, _ in pairs}
    order = np.dstack(np.unravel_index(np.argsort(-iou, axis=None, kind="stable"), iou.shape))[0]
    for i, j in order:
        if iou[i, j] < MIN_IOU:
            break
        if i not in used_a and j not in used_b:
            pairs.append((int(i), int(j), float(iou[i, j])))
            used_a.add(i)
            used_b.add(j)
    return sorted(pairs)


def compare_runs(run_a: RunSites, run_b: RunSites, *, top: int = 3) -> dict[str, Any]:
    """Sites gained, lost, moved and kept from run A to run B, with rank and score changes.

    Parameters
    ----------
    run_a, run_b : RunSites
        The earlier and the later run.
    top : int
        Number of contributions to list per matched site, the largest changes first.

    Returns
    -------
    dict
        ``run_a``, ``run_b``, ``counts`` (gained, lost, moved, kept), ``matched`` (one record
        per pair: ids, status, IoU, ranks, scores and their changes, the contributions that
        changed most), ``gained`` and ``lost`` (the unmatched sites of B and of A).
    """
    a = run_a.sites.reset_index(drop=True)
    b = run_b.sites.reset_index(drop=True)
    pairs = match_sites(a, b)
    matched = [_pair(a.iloc[i], b.iloc[j], iou, top=top) for i, j, iou in pairs]
    matched.sort(key=lambda m: m["rank_b"])
    lost = [_site(a.iloc[i]) for i in range(len(a)) if i not in {p[0] for p in pairs}]
    gained = [_site(b.iloc[j]) for j in range(len(b)) if j not in {p[1] for p in pairs}]
    return {
        "run_a": {"run_id": run_a.run_id, "folder": str(run_a.folder), "sites": len(a)},
        "run_b": {"run_id": run_b.run_id, "folder": str(run_b.folder), "sites": len(b)},
        "counts": {
            "gained": len(gained),
            "lost": len(lost),
            "moved": sum(m["status"] == "moved" for m in matched),
            "kept": sum(m["status"] == "kept" for m in matched),
        },
        "matched": matched,
        "gained": gained,
        "lost": lost,
    }


def _site(row: pd.Series) -> dict[str, Any]:
    return {"site_id": row["site_id"], "rank": int(row["rank"]), "score": float(row["score"])}


def _pair(row_a: pd.Series, row_b: pd.Series, iou: float, *, top: int) -> dict[str, Any]:
    names = [c for c in row_a.index if c.startswith(CONTRIB)]
    names += [c for c in row_b.index if c.startswith(CONTRIB) and c not in names]
    changes = [
        {
            "indicator": c.removeprefix(CONTRIB),
            "a": _number(row_a.get(c)),
            "b": _number(row_b.get(c)),
            "change": _number(row_b.get(c)) - _number(row_a.get(c)),
        }
        for c in names
    ]
    changes.sort(key=lambda c: -abs(c["change"]))
    return {
        "site_id_a": row_a["site_id"],
        "site_id_b": row_b["site_id"],
        "status": "kept" if iou >= SAME_IOU else "moved",
        "iou": round(iou, 6),
        "rank_a": int(row_a["rank"]),
        "rank_b": int(row_b["rank"]),
        "rank_change": int(row_b["rank"]) - int(row_a["rank"]),
        "score_a": float(row_a["score"]),
        "score_b": float(row_b["score"]),
        "score_change": float(row_b["score"]) - float(row_a["score"]),
        "contributions": changes[:top],
    }


def _number(value: Any) -> float:
    """A contribution, 0 where the run did not weight the indicator. [-]"""
    return float(value) if value is not None and not pd.isna(value) else 0.0
