"""What a run records about itself so anyone can reproduce it: ids, versions, spec, hashes."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import subprocess
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import siting
from siting.bundle import Bundle, sha256
from siting.errors import DataError
from siting.spec import CampusSpec

#: Libraries whose versions can change a result, recorded in every manifest.
LIBRARIES = (
    "numpy",
    "pandas",
    "scipy",
    "shapely",
    "pyproj",
    "geopandas",
    "pyogrio",
    "rasterio",
    "xarray",
    "edt",
    "pvlib",
    "folium",
)


def make_run_id(spec: CampusSpec, bundle: Bundle, now: dt.datetime | None = None) -> str:
    """``YYYYmmdd-HHMMSS-<8 hex>``: the start time and a digest of the spec, the bundle, the
    process and the instant, so two runs never share an id even when started in the same second.
    """
    now = now or dt.datetime.now()
    key = {
        "spec": spec.to_dict(),
        "bundle": str(bundle.catalogue.resolve()),
        "catalogue_sha256": sha256(bundle.catalogue),
        "pid": os.getpid(),
        "ns": time.time_ns(),
    }
    digest = hashlib.sha256(json.dumps(key, sort_keys=True, default=str).encode()).hexdigest()
    return f"{now:%Y%m%d-%H%M%S}-{digest[:8]}"


def library_versions() -> dict[str, str]:
    """Installed version of each library in :data:`LIBRARIES`, and of GDAL and PROJ."""
    import pyproj
    import rasterio

    out = {}
    for name in LIBRARIES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    out["gdal"] = rasterio.__gdal_version__
    out["proj"] = pyproj.proj_version_str
    return out


def git_commit() -> str | None:
    """The commit of the source tree the package runs from, or None outside a git checkout.

    A tree with uncommitted changes is marked ``<commit>+dirty``.
    """
    root = Path(siting.__file__).resolve().parents[1]
    if not (root / ".git").exists():
        return None
    try:
        commit = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return f"{commit}+dirty" if dirty else commit


def spec_as_given(spec: CampusSpec) -> dict[str, Any]:
    """The user's spec file as written (text and SHA-256), or a note that the default was used."""
    if spec.source == "default":
        return {"path": None, "text": None, "note": "the shipped default spec"}
    path = Path(spec.source)
    return {
        "path": str(path),
        "sha256": sha256(path),
        "text": path.read_text(encoding="utf-8"),
    }


def output_hashes(folder: Path, outputs: dict[str, str]) -> dict[str, str]:
    """SHA-256 of each output file, by its name in ``outputs`` (paths relative to ``folder``
    unless absolute)."""
    hashes = {}
    for name, rel in sorted(outputs.items()):
        path = Path(rel) if Path(rel).is_absolute() else folder / rel
        if path.is_file():
            hashes[name] = sha256(path)
    return hashes


def read_manifest(path: Path) -> dict[str, Any]:
    """The run manifest at ``path``, refused in one line if it is not JSON."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise DataError(
            f"{path}: not a JSON run manifest ({err}); pass a complete run folder, or write it "
            "again with siting rerun"
        ) from None
