"""The Indiana run against the lean reference pipeline, interleaved, as ratios.

    python benchmarks/bench_state.py --resolution-m 250 100 [--repeat 3] [--json FILE]
                                     [--baseline DIR]

For each resolution and repeat, runs ``benchmarks/stages.py`` (the whole default run) and then
``../shared/bench/indiana_reference.py`` (writing its outputs) in child processes, one after
the other, so both see the same load on a shared machine. With ``--baseline DIR`` (a copy of
another version of the project's tree), each round first runs that version too, with
``PYTHONPATH=DIR``. Reports each child's wall time and peak resident memory (from
``os.wait4``), their medians, the ratios of the medians to the reference's, and the median of
each stage of the run.

It also sets the reference's steps beside the stages of the run that do the same kind of work
(:data:`MATCHED`), and adds up the stages that do work the reference does not do at all. A
matched stage still does more than its reference step (the grid capacity layer gives twelve
distance indicators from up to eight transforms where the reference gives two), so the matched
ratio is an upper bound on the cost of the per-cell path itself. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REFERENCE = HERE.parent.parent / "shared" / "bench" / "indiana_reference.py"

#: The reference's steps and the stages of the run (``manifest.json`` ``timings_s``) that do
#: the same kind of work. The run's ``inputs`` stage also builds the grid and the study area;
#: the density exclusion reads the tract densities the ``land_use`` layer puts on the grid; the
#: reference's region statistics are the run's ``sites`` table; its two files are the run's
#: ``score.tif`` and its tables (``sites.gpkg`` holds the region polygons).
MATCHED = {
    "imports": ("imports",),
    "read_vectors + read_tables + grid_state": ("inputs",),
    "exclusions": ("exclusions", "layers.land_use"),
    "distances": ("layers.grid_capacity",),
    "county_rasters": ("layers.water", "layers.community"),
    "heat_raster": ("layers.climate",),
    "score": ("score",),
    "regions": ("regions", "sites"),
    "write": ("write.score.tif", "write.tables"),
}

#: Totals in ``timings_s`` that hold their parts (``layers`` = the ``layers.*``, ...).
STEP_TOTALS = ("layers", "assess", "write")


def timed_child(args: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall time [s] and peak resident memory [GB] of one child process."""
    t0 = time.perf_counter()
    child = subprocess.Popen(args, stdout=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(child.pid, 0)
    wall_s = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status):
        raise RuntimeError(f"{args[1]} failed with status {status}")
    return wall_s, usage.ru_maxrss / 2**20


def timed_run(resolution_m: float, stages_json: Path, env=None) -> dict:
    """Wall time, peak memory and stage times of one default run in a child process."""
    cmd = [sys.executable, str(HERE / "stages.py"), "--resolution-m", f"{resolution_m:g}"]
    wall_s, peak_gb = timed_child([*cmd, "--json", str(stages_json)], env=env)
    stages = json.loads(stages_json.read_text(encoding="utf-8"))
    return {"s": wall_s, "gb": peak_gb, "stages": stages}


def one_round(resolution_m: float, tmp: Path, i: int, baseline: Path | None) -> dict:
    """The baseline's run (when given), the project's run and the reference, in that order."""
    out = {}
    tag = f"{resolution_m:g}_{i}"
    if baseline is not None:
        env = os.environ | {"PYTHONPATH": str(baseline)}
        out["baseline"] = timed_run(resolution_m, tmp / f"baseline_{tag}.json", env=env)
    out["run"] = timed_run(resolution_m, tmp / f"run_{tag}.json")
    ref = [sys.executable, str(REFERENCE), "--res", f"{resolution_m:g}"]
    steps_json = tmp / f"ref_{tag}.json"
    ref_s, ref_gb = timed_child([*ref, "--out", str(tmp / f"ref_{tag}"), "--json", str(steps_json)])
    steps = json.loads(steps_json.read_text(encoding="utf-8"))["steps"]
    out["reference"] = {"s": ref_s, "gb": ref_gb, "steps": {x["step"]: x["wall_s"] for x in steps}}
    return out


def summary(rounds: list[dict]) -> dict:
    """Medians of the rounds, each run's ratios of medians to the reference's, and the median
    of each stage."""
    ref_s = statistics.median(r["reference"]["s"] for r in rounds)
    ref_gb = statistics.median(r["reference"]["gb"] for r in rounds)
    names = rounds[0]["reference"]["steps"]
    steps = {n: statistics.median(r["reference"]["steps"][n] for r in rounds) for n in names}
    out = {"reference": {"s": ref_s, "gb": ref_gb, "steps": steps}}
    for who in rounds[0]:
        if who == "reference":
            continue
        runs = [r[who] for r in rounds]
        s, gb = statistics.median(x["s"] for x in runs), statistics.median(x["gb"] for x in runs)
        names = [n for n in runs[0]["stages"] if all(n in x["stages"] for x in runs)]
        stages = {n: statistics.median(x["stages"][n] for x in runs) for n in names}
        ratios = {"time_ratio": s / ref_s, "memory_ratio": gb / ref_gb}
        out[who] = {"s": s, "gb": gb} | ratios | {"stages": stages}
    return out


def matched(
    reference_steps: dict[str, float], stages: dict[str, float]
) -> tuple[list[tuple], list[str]]:
    """Rows (reference step, its time, the run's stages, their time, ratio) of :data:`MATCHED`,
    then the matched totals, then the total of the stages that do work the reference does not
    do; and the names of those stages. [s]

    A reference step named ``a + b`` is the sum of its steps. Every reference step must be in
    :data:`MATCHED` and every stage of the run either matched or counted as other work, so that
    a step added to either side shows up here instead of falling out of the sums.
    """
    ref_names = {part for key in MATCHED for part in key.split(" + ")}
    if set(reference_steps) != ref_names:
        raise ValueError(f"reference steps {sorted(reference_steps)} differ from MATCHED")
    rows, ref_total, run_total = [], 0.0, 0.0
    for key, ours in MATCHED.items():
        ref = sum(reference_steps[part] for part in key.split(" + "))
        run = sum(stages[name] for name in ours)
        rows.append((key, ref, " + ".join(ours), run, run / ref))
        ref_total, run_total = ref_total + ref, run_total + run
    rows.append(("matched steps", ref_total, "", run_total, run_total / ref_total))
    taken = {name for ours in MATCHED.values() for name in ours}
    parts = {name.split(".")[0] for name in stages if "." in name}
    other = [
        name
        for name in stages
        if name not in taken
        and name not in ("run", "cells", "peak_rss_gb")
        and not (name in STEP_TOTALS and name in parts)
    ]
    rows.append(
        ("(none)", 0.0, f"other work ({len(other)} stages)", sum(stages[n] for n in other), None)
    )
    return rows, other


def matched_table(rows: list[tuple], other: list[str]) -> str:
    """:func:`matched` as a Markdown table, the other stages named below it."""
    lines = [
        "| reference step | reference [s] | the run's stages | run [s] | ratio |",
        "|---|---:|---|---:|---:|",
    ]
    for key, ref, ours, run, ratio in rows:
        shown = "" if ratio is None else f"{ratio:.1f}×"
        lines.append(f"| {key} | {ref:.2f} | {ours} | {run:.2f} | {shown} |")
    lines.append("")
    lines.append("Other work: " + ", ".join(other) + ".")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resolution-m", type=float, nargs="+", default=[250.0, 100.0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the medians to this file")
    parser.add_argument("--baseline", type=Path, help="another version's tree to time as well")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for resolution_m in args.resolution_m:
            rounds = [
                one_round(resolution_m, Path(tmp), i, args.baseline) for i in range(args.repeat)
            ]
            results[f"{resolution_m:g}"] = s = summary(rounds)
            ref = s["reference"]
            for who in ("baseline", "run"):
                if who in s:
                    print(
                        f"{resolution_m:g} m {who}: {s[who]['s']:.1f} s, {s[who]['gb']:.2f} GB; "
                        f"reference {ref['s']:.1f} s, {ref['gb']:.2f} GB; ratio "
                        f"{s[who]['time_ratio']:.1f}× time, {s[who]['memory_ratio']:.1f}× "
                        f"memory (medians of {args.repeat})",
                        flush=True,
                    )
            print(matched_table(*matched(ref["steps"], s["run"]["stages"])), flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
