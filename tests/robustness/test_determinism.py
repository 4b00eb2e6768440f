"""Two runs of the same spec on the same data, from two working folders with relative ``--out``
and ``--maps``, write the same bytes: every file of the run folder, the GeoPackage and the maps
included. Only the manifest holds what belongs to one run (its id, its time, its timings)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

#: Longest a fixture run may take. [s]
RUN_TIMEOUT_S = 120.0

#: Manifest keys that belong to one run: its id, its start time and the timings of its steps.
RUN_KEYS = ("run_id", "created_utc", "timings_s")

#: Outputs that must be among those compared, so the comparison cannot pass on an empty folder.
EXPECTED = {
    "sites.gpkg",
    "sites.csv",
    "sites.geojson",
    "score.tif",
    "suitability.tif",
    "consensus.tif",
    "report.md",
    "report.html",
}


@dataclass(frozen=True)
class Run:
    """A run made from the working folder ``cwd`` into ``cwd/runs/run`` and ``cwd/maps``."""

    cwd: Path
    run_id: str

    @property
    def folder(self) -> Path:
        return self.cwd / "runs" / "run"

    @property
    def maps(self) -> dict[str, bytes]:
        """The run's maps by their name with the run id replaced by ``<run-id>``."""
        return {
            p.name.replace(self.run_id, "<run-id>"): p.read_bytes()
            for p in sorted((self.cwd / "maps").glob(f"{self.run_id}*.html"))
        }

    def manifest(self) -> dict:
        return json.loads((self.folder / "manifest.json").read_text(encoding="utf-8"))


def start_run(cwd: Path, two_states, *, hash_seed: int) -> subprocess.Popen:
    """``python -m siting run`` of the two-state fixture, started in ``cwd`` with relative
    output paths and Python's string hashing seeded with ``hash_seed`` (so that an output
    written in the order of a set would differ)."""
    cwd.mkdir(parents=True)
    command = [sys.executable, "-m", "siting", "run"]
    command += ["--spec", str(two_states.spec_path), "--data", str(two_states.root)]
    command += ["--out", "runs/run", "--maps", "maps"]
    env = os.environ | {"PYTHONHASHSEED": str(hash_seed)}
    return subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )


@pytest.fixture(scope="module")
def runs(two_states, tmp_path_factory) -> tuple[Run, Run]:
    """Two runs at once, from two working folders at different depths."""
    base = tmp_path_factory.mktemp("determinism")
    cwds = (base / "a", base / "b" / "deeper")
    procs = [start_run(cwd, two_states, hash_seed=n) for n, cwd in enumerate(cwds, start=1)]
    for proc in procs:
        _, stderr = proc.communicate(timeout=RUN_TIMEOUT_S)
        assert proc.returncode == 0, stderr
    return tuple(Run(cwd=cwd, run_id=Run(cwd=cwd, run_id="").manifest()["run_id"]) for cwd in cwds)


def file_hashes(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.name != "manifest.json"
    }


def without_run_keys(manifest: dict, run_id: str) -> dict:
    """The manifest without :data:`RUN_KEYS`, the run id replaced where it names a map."""
    kept = {k: v for k, v in manifest.items() if k not in RUN_KEYS}
    return json.loads(json.dumps(kept).replace(run_id, "<run-id>"))


def test_run_ids_differ(runs):
    a, b = runs
    assert a.run_id != b.run_id


def test_every_output_is_byte_identical(runs):
    a, b = runs
    hashes_a, hashes_b = file_hashes(a.folder), file_hashes(b.folder)
    assert set(hashes_a) >= EXPECTED
    assert set(hashes_a) == set(hashes_b)
    differ = sorted(name for name in hashes_a if hashes_a[name] != hashes_b[name])
    assert not differ, f"outputs that differ between two runs: {differ}"


def test_maps_are_byte_identical_but_for_the_run_id(runs):
    a, b = runs
    maps_a, maps_b = a.maps, b.maps
    assert set(maps_a) == {"<run-id>.html", "<run-id>-community.html"}
    assert set(maps_a) == set(maps_b)
    for name, content in maps_a.items():
        assert content.replace(a.run_id.encode(), b"<run-id>") == maps_b[name].replace(
            b.run_id.encode(), b"<run-id>"
        ), name


def test_manifests_differ_only_in_run_keys(runs):
    a, b = runs
    manifest_a, manifest_b = a.manifest(), b.manifest()
    assert manifest_a["created_utc"] and manifest_a["timings_s"]
    assert without_run_keys(manifest_a, a.run_id) == without_run_keys(manifest_b, b.run_id)


def test_outputs_name_no_working_folder(runs):
    for run in runs:
        files = [p for p in run.folder.iterdir() if p.suffix in (".json", ".csv", ".md", ".html")]
        texts = [p.read_text(encoding="utf-8") for p in files]
        texts += [content.decode("utf-8") for content in run.maps.values()]
        assert not [t for t in texts if str(run.cwd) in t]
