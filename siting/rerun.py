"""Reproduce a run from its ``manifest.json``: the same spec on the same inputs, checked first.

The manifest records the spec as the user wrote it, the default spec it extends, and the path
and SHA-256 of every file the run read. A rerun rebuilds the spec from the recorded texts,
refuses if any file it would read is missing or has changed, runs, and compares the SHA-256 of
each new output with the recorded one.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from siting import maps
from siting.bundle import sha256
from siting.errors import DataError, DataFileNotFound, SpecError
from siting.pipeline import Progress, RunResult, run
from siting.sources.files import split_ref
from siting.spec import CampusSpec, default_spec_path, spec_from_text


@dataclass(frozen=True, kw_only=True)
class RecordedFile:
    """A file a run read, as its manifest records it."""

    what: str
    path: Path
    sha256: str


@dataclass(frozen=True, kw_only=True)
class Rerun:
    """A rerun's result, and how its outputs compare with the recorded ones."""

    result: RunResult
    identical: tuple[str, ...]
    different: tuple[str, ...]
    only_recorded: tuple[str, ...]
    only_new: tuple[str, ...]
    notes: tuple[str, ...]


def read_manifest(path: Path) -> dict[str, Any]:
    """The manifest at ``path`` (a ``manifest.json`` or the run folder that holds one).

    Raises
    ------
    DataFileNotFound
        No manifest there.
    DataError
        The file is not JSON, or lacks what a rerun needs.
    """
    path = Path(path)
    file = path / "manifest.json" if path.is_dir() else path
    if not file.is_file():
        raise DataFileNotFound(f"{file}: no run manifest; pass a run folder's manifest.json")
    try:
        manifest = json.loads(file.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise DataError(f"{file}: not a JSON run manifest ({err})") from None
    missing = [
        k for k in ("spec_as_given", "bundle", "inputs", "output_sha256") if k not in manifest
    ]
    if missing:
        raise DataError(
            f"{file}: manifest lacks {missing}; only a manifest written by siting run can be rerun"
        )
    return manifest


def recorded_files(manifest: Mapping[str, Any]) -> list[RecordedFile]:
    """Every file the run read, with its recorded SHA-256: the spec, the bundle catalogue and
    its inputs, the spec's own files and the team's candidate sites."""
    catalogue = Path(manifest["bundle"]["catalogue"])
    files = [
        RecordedFile(
            what="bundle catalogue", path=catalogue, sha256=manifest["bundle"]["catalogue_sha256"]
        )
    ]
    given = manifest["spec_as_given"]
    if given.get("path"):
        files.append(RecordedFile(what="spec", path=Path(given["path"]), sha256=given["sha256"]))
    for record in manifest["inputs"]:
        path = catalogue.parent / split_ref(record["path"])[0]
        files.append(RecordedFile(what="input", path=path, sha256=record["sha256"]))
    for record in manifest.get("user_files", []):
        files.append(
            RecordedFile(what="spec file", path=Path(record["path"]), sha256=record["sha256"])
        )
    chosen = manifest.get("candidates_file")
    if chosen:
        files.append(
            RecordedFile(what="candidates", path=Path(chosen["path"]), sha256=chosen["sha256"])
        )
    return files


def check_files(files: list[RecordedFile]) -> None:
    """Raise if any recorded file is missing or its bytes changed.

    Raises
    ------
    DataFileNotFound
        A file is missing; the message names it and its recorded SHA-256.
    DataError
        A file's SHA-256 differs from the recorded one; the message gives both.
    """
    fix = "restore the recorded file, or start a new run with siting run to use the new one"
    for f in files:
        if not f.path.is_file():
            raise DataFileNotFound(
                f"{f.what} {f.path} is missing (recorded sha256 {f.sha256}); {fix}"
            )
        now = sha256(f.path)
        if now != f.sha256:
            raise DataError(
                f"{f.what} {f.path} changed since the run: recorded sha256 {f.sha256}, "
                f"now {now}; {fix}"
            )


def recorded_spec(manifest: Mapping[str, Any]) -> tuple[CampusSpec, list[str]]:
    """The spec rebuilt from the recorded texts of the user's spec and its default, and notes.

    A manifest from before the default's text was recorded is rebuilt on the shipped default,
    and a note says so. A re-scored run's spec is its parent's with the recorded new weights.

    Raises
    ------
    SpecError
        The rebuilt spec differs from the one the manifest records, or lacks a table this
        version of siting needs.
    """
    given = manifest["spec_as_given"]
    notes = []
    default = manifest.get("spec_default")
    if default is None:
        default_text = default_spec_path().read_text(encoding="utf-8")
        notes.append("the manifest records no default spec; the shipped default was used")
    else:
        default_text = default["text"]
    source = given.get("path") or "default"
    try:
        spec = spec_from_text(given.get("text"), default_text=default_text, source=source)
    except KeyError as err:
        raise SpecError(
            f"the recorded spec has no [{err.args[0]}] table, which this siting needs; the spec "
            f"format changed since the run (siting {manifest.get('tool_version')}, commit "
            f"{manifest.get('git_commit')}): rerun with that version"
        ) from None
    rescored = manifest.get("rescored_from")
    if rescored:
        spec = dataclasses.replace(spec, weights={n: float(w) for n, w in rescored["weights"]})
        notes.append(f"re-scored from run {rescored['run_id']}: its spec with the new weights")
    differing = _spec_differences(spec, manifest)
    if differing:
        raise SpecError(
            f"the spec rebuilt from the manifest differs from the recorded one in {differing}; "
            "the default spec or the spec format changed since the run"
        )
    return spec, notes


def _spec_differences(spec: CampusSpec, manifest: Mapping[str, Any]) -> list[str]:
    """Top-level spec keys whose values differ (weights only where no proxy weight moved)."""
    if "spec" not in manifest:
        return []
    rebuilt = json.loads(json.dumps(spec.to_dict(), default=str))
    recorded = manifest["spec"]
    skip = {"weights"} if manifest.get("weight_substitutions") else set()
    keys = (rebuilt.keys() | recorded.keys()) - skip
    return sorted(k for k in keys if rebuilt.get(k) != recorded.get(k))


def compare_outputs(
    recorded: Mapping[str, str], new: Mapping[str, str]
) -> dict[str, tuple[str, ...]]:
    """Output names by outcome: identical, different, only_recorded, only_new."""
    both = sorted(recorded.keys() & new.keys())
    return {
        "identical": tuple(n for n in both if recorded[n] == new[n]),
        "different": tuple(n for n in both if recorded[n] != new[n]),
        "only_recorded": tuple(sorted(recorded.keys() - new.keys())),
        "only_new": tuple(sorted(new.keys() - recorded.keys())),
    }


def rerun(
    manifest_path: Path,
    *,
    out_dir: Path | None = None,
    maps_dir: Path = Path("maps"),
    progress: Progress | None = None,
) -> Rerun:
    """Check the recorded inputs, run the recorded spec on them, and compare the outputs.

    Parameters
    ----------
    manifest_path : pathlib.Path
        A run's ``manifest.json``, or its run folder.
    out_dir : pathlib.Path, optional
        Run folder to create; default ``out/<new run id>``.
    maps_dir : pathlib.Path
        Folder for the new map.
    progress : siting.pipeline.Progress, optional
        Told of each step as it starts and of its parts as they finish.

    Raises
    ------
    DataFileNotFound, DataError
        An input is missing or changed (nothing is run), or the manifest is unreadable.
    """
    manifest = read_manifest(manifest_path)
    check_files(recorded_files(manifest))
    spec, notes = recorded_spec(manifest)
    chosen = manifest.get("candidates_file")
    result = run(
        spec,
        out_dir=out_dir,
        maps_dir=maps_dir,
        data_dir=Path(manifest["bundle"]["catalogue"]).parent,
        candidates=Path(chosen["path"]) if chosen else None,
        progress=progress,
    )
    outcome = compare_outputs(manifest["output_sha256"], result.manifest["output_sha256"])
    if "map" in outcome["different"]:
        notes += _map_link_note(manifest, Path(manifest_path), result)
    if outcome["different"]:
        notes += _code_note(manifest, result.manifest)
    return Rerun(result=result, notes=tuple(notes), **outcome)


def _map_link_note(
    manifest: Mapping[str, Any], manifest_path: Path, result: RunResult
) -> list[str]:
    """A note when the map differs because it links to its run folder by another relative path."""
    folder = manifest_path if manifest_path.is_dir() else manifest_path.parent
    before = maps.relative_href(Path(manifest["outputs"]["map"]), folder / "report.html")
    after = maps.relative_href(result.map_path, result.out_dir / "report.html")
    if before == after:
        return []
    return [
        f"the map links to its run's report as {after!r}, the recorded one as {before!r}; place "
        "--out and --maps as the recorded run did to compare the map"
    ]


def _code_note(recorded: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """A note naming both code versions when they differ or either had uncommitted changes."""
    before = f"siting {recorded.get('tool_version')} at {recorded.get('git_commit')}"
    after = f"siting {new.get('tool_version')} at {new.get('git_commit')}"
    if before == after and not str(new.get("git_commit")).endswith("+dirty"):
        return []
    return [
        f"the recorded run used {before}, this rerun {after}: the code may explain a difference"
    ]
