"""A run killed with SIGKILL at any instant leaves either no run folder or a complete one, never
a map without its run folder, and nothing that stops the next run into the same folders."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from siting import report
from siting.bundle import sha256

#: Longest a fixture run may take before the test gives up on it. [s]
RUN_TIMEOUT_S = 120.0

#: Files of a run folder that lie outside it (the maps), by their key in the manifest.
OUTSIDE = ("map", "community_page")

#: Pause between two looks at a running run's folders. [s]
POLL_S = 0.001

#: A run that sends itself SIGKILL just after it renames into place the folder of ``--out``
#: (``sys.argv[1]`` is ``out``) or its first map (``map``).
DIE_AFTER_REPLACE = """
import os, signal, sys
from pathlib import Path

target, sys.argv = sys.argv[1], [sys.argv[0], *sys.argv[2:]]
out = Path(sys.argv[sys.argv.index("--out") + 1])
real = os.replace


def replace(src, dst):
    real(src, dst)
    dst = Path(dst)
    a_map = dst.suffix == ".html" and not dst.name.startswith(".")
    if (target == "out" and dst == out) or (target == "map" and a_map):
        os.kill(os.getpid(), signal.SIGKILL)


os.replace = replace
from siting.cli import main

main()
"""


@dataclass
class Running:
    """A run started in a subprocess, and the log lines it has written so far."""

    proc: subprocess.Popen
    started_s: float
    lines: list[str] = field(default_factory=list)

    def elapsed_s(self) -> float:
        return time.monotonic() - self.started_s


def start_run(two_states, parent: Path, name: str, maps: Path, *, die_after: str = "") -> Running:
    """``python -m siting run -v`` of the two-state fixture into ``parent/name``; with
    ``die_after`` (``"out"`` or ``"map"``), a run that dies just after renaming that into place.
    """
    entry = ["-c", DIE_AFTER_REPLACE, die_after] if die_after else ["-m", "siting"]
    command = [
        sys.executable,
        *entry,
        "run",
        "-v",
        "--spec",
        str(two_states.spec_path),
        "--data",
        str(two_states.root),
        "--out",
        str(parent / name),
        "--maps",
        str(maps),
    ]
    proc = subprocess.Popen(
        command,
        cwd=parent.parent,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    running = Running(proc=proc, started_s=time.monotonic())
    threading.Thread(target=_read_lines, args=(proc.stderr, running.lines), daemon=True).start()
    return running


def _read_lines(stream, lines: list[str]) -> None:
    for line in stream:
        lines.append(line)


@dataclass(frozen=True)
class Kill:
    """An instant to SIGKILL a run at: a name and a test on the run and its folders."""

    name: str
    due: Callable[[Running, Path, str, Path], bool]


def logged(fragment: str) -> Callable[[Running, Path, str, Path], bool]:
    return lambda running, *_: any(fragment in line for line in running.lines)


def in_staging(file: str) -> Callable[[Running, Path, str, Path], bool]:
    def due(_running, parent, name, _maps):
        return any((s / file).exists() for s in staging_folders(parent, name))

    return due


#: Just after the start, amid the layers (the cooling layer, the slowest, follows climate) and
#: amid the writing (the score raster is in the staging folder). The last instants, just
#: after the run folder or the first map is renamed into place, are met by the run itself.
KILLS = [
    Kill("start", lambda running, *_: running.elapsed_s() > 0.05),
    Kill("layers", logged("layer climate derived")),
    Kill("writing", in_staging("score.tif")),
]


def staging_folders(parent: Path, name: str) -> list[Path]:
    return [p for p in parent.glob(f".{name}.partial-*") if p.is_dir()]


def visible_maps(maps: Path) -> list[Path]:
    return sorted(p for p in maps.glob("*.html") if not p.name.startswith("."))


def run_state(parent: Path, maps: Path) -> list[str]:
    """What is wrong with the run folders in ``parent`` and the maps; empty if nothing.

    A folder is complete when its manifest lists every file in it with its SHA-256 and every
    listed file is there with that hash. A map must belong to a complete folder and match the
    hash its manifest gives; the maps of a complete folder may be missing (a run killed between
    renaming its folder and its maps into place).
    """
    problems, complete = [], {}
    for folder in sorted(p for p in parent.iterdir() if p.is_dir() and not p.name.startswith(".")):
        found = folder_problems(folder)
        problems += found
        if not found and (folder / "manifest.json").is_file():
            manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
            complete[manifest["run_id"]] = manifest
    for path in visible_maps(maps):
        run_id = path.stem.removesuffix("-community")
        key = "community_page" if path.stem.endswith("-community") else "map"
        if run_id not in complete:
            problems.append(f"{path.name}: map without a complete run folder")
        elif sha256(path) != complete[run_id]["output_sha256"][key]:
            problems.append(f"{path.name}: map does not match its manifest")
    return problems


def folder_problems(folder: Path) -> list[str]:
    """What makes ``folder`` neither empty nor a complete run folder."""
    if not (folder / "manifest.json").is_file():
        return [f"{folder.name}: files but no manifest"] if any(folder.iterdir()) else []
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    listed = {k: v for k, v in manifest["outputs"].items() if k not in OUTSIDE}
    problems = []
    for key, rel in listed.items():
        path = folder / rel
        if not path.is_file():
            problems.append(f"{folder.name}: {rel} listed but missing")
        elif sha256(path) != manifest["output_sha256"][key]:
            problems.append(f"{folder.name}: {rel} does not match its hash")
    extra = {p.name for p in folder.iterdir()} - {*listed.values(), "manifest.json"}
    if extra:
        problems.append(f"{folder.name}: files not in the manifest {sorted(extra)}")
    return problems


def kill_at(two_states, parent: Path, name: str, maps: Path, kill: Kill) -> tuple[float, bool]:
    """Start a run and SIGKILL it when ``kill.due`` first holds.

    Returns the time of the kill after the start [s] and whether the run had ended before.
    """
    running = start_run(two_states, parent, name, maps)
    while running.proc.poll() is None and running.elapsed_s() < RUN_TIMEOUT_S:
        if kill.due(running, parent, name, maps):
            break
        time.sleep(POLL_S)
    killed_s = running.elapsed_s()
    finished = running.proc.poll() is not None
    if not finished:
        os.killpg(running.proc.pid, signal.SIGKILL)
    running.proc.wait()
    return killed_s, finished


def die_after(two_states, parent: Path, name: str, maps: Path, target: str) -> tuple[float, bool]:
    """Run until just after ``target`` (``"out"`` or ``"map"``) is renamed into place, then
    SIGKILL it.

    Returns the time of the kill after the start [s] and whether the run ended otherwise.
    """
    running = start_run(two_states, parent, name, maps, die_after=target)
    code = running.proc.wait(timeout=RUN_TIMEOUT_S)
    return running.elapsed_s(), code != -signal.SIGKILL


def age_staging(parent: Path, *, by_s: float) -> list[Path]:
    """Rename the staging folders and files in ``parent`` as if made ``by_s`` seconds earlier."""
    aged = []
    for path in parent.glob(".*.partial-*"):
        head, rest = path.name.split(".partial-", 1)
        pid, created, tail = rest.split("-", 2)
        older = path.with_name(f"{head}.partial-{pid}-{int(created) - int(by_s)}-{tail}")
        path.rename(older)
        aged.append(older)
    return aged


def test_killed_runs_leave_no_half_run_and_the_next_run_cleans_up(two_states, tmp_path):
    parent, maps = tmp_path / "runs", tmp_path / "maps"
    parent.mkdir()
    deaths = [(k.name, lambda n, k=k: kill_at(two_states, parent, n, maps, k)) for k in KILLS]
    deaths += [
        (f"after {target} renamed", lambda n, t=target: die_after(two_states, parent, n, maps, t))
        for target in ("map", "out")
    ]
    outcomes = []
    for n, (what, die) in enumerate(deaths):
        before = set(run_state(parent, maps))
        died_s, finished = die(f"run-{n}")
        problems = sorted(set(run_state(parent, maps)) - before)
        outcomes.append((what, round(died_s, 3), finished, problems))
    bad = [o for o in outcomes if o[3]]
    assert not bad, f"{len(bad)} of {len(outcomes)} kills left a bad state: {outcomes}"
    assert not any(finished for _, _, finished, _ in outcomes[3:]), outcomes
    assert sum(not finished for _, _, finished, _ in outcomes) >= 4, outcomes

    left = [*parent.glob(".*.partial-*"), *maps.glob(".*.partial-*")]
    assert left, "no killed run left a staging folder to clean up"
    aged = age_staging(parent, by_s=2 * report.STALE_STAGING_S)
    aged += age_staging(maps, by_s=2 * report.STALE_STAGING_S)
    assert len(aged) == len(left)
    running = start_run(two_states, parent, "next", maps)
    assert running.proc.wait(timeout=RUN_TIMEOUT_S) == 0, "".join(running.lines)
    assert (parent / "next" / "manifest.json").is_file()
    assert not run_state(parent, maps)
    assert not [*parent.glob(".*.partial-*"), *maps.glob(".*.partial-*")]
