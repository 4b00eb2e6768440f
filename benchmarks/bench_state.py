"""The Indiana run against the lean reference pipeline, interleaved, as ratios.

    python benchmarks/bench_state.py --resolution-m 250 100 [--repeat 3] [--json FILE]
                                     [--baseline DIR]

For each resolution and repeat, runs ``benchmarks/stages.py`` (the whole default run) and then
``../shared/bench/indiana_reference.py`` (writing its outputs) in child processes, one after
the other, so both see the same load on a shared machine. With ``--baseline DIR`` (a copy of
another version of the project's tree), each round first runs that version too, with
``PYTHONPATH=DIR``. Reports each child's wall time and peak resident memory (from
``os.wait4``), their medians, the ratios of the medians to the reference's, and the median of
each stage of the run. A benchmark, not a test.
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
    ref_s, ref_gb = timed_child([*ref, "--out", str(tmp / f"ref_{tag}"), "--json", str(tmp / "r")])
    out["reference"] = {"s": ref_s, "gb": ref_gb}
    return out


def summary(rounds: list[dict]) -> dict:
    """Medians of the rounds, each run's ratios of medians to the reference's, and the median
    of each stage."""
    ref_s = statistics.median(r["reference"]["s"] for r in rounds)
    ref_gb = statistics.median(r["reference"]["gb"] for r in rounds)
    out = {"reference": {"s": ref_s, "gb": ref_gb}}
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
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
