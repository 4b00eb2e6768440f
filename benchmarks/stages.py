"""Wall time of every stage of one default run at a chosen resolution.

    python benchmarks/stages.py --resolution-m 100 [--json FILE]

Prints one row per stage from the run's ``manifest.json`` ``timings_s`` (a step such as
``layers`` first, then its parts as ``layers.<name>``), the start-up imports, the whole run
and the process's peak resident memory. A benchmark, not a test: nothing here asserts a time.
"""

from __future__ import annotations

import time

T0 = time.perf_counter()

import argparse  # noqa: E402
import dataclasses  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

from siting.pipeline import run  # noqa: E402
from siting.spec import load_spec  # noqa: E402

IMPORT_S = time.perf_counter() - T0


def run_stages(resolution_m: float) -> dict[str, float]:
    """Stage wall times of one default run on a grid of ``resolution_m``. [s]"""
    spec = load_spec()
    region = dataclasses.replace(spec.region, resolution_m=resolution_m)
    spec = dataclasses.replace(spec, region=region)
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        result = run(spec, out_dir=Path(tmp) / "run", maps_dir=Path(tmp) / "maps")
        total_s = time.perf_counter() - t0
    cells = result.manifest["grid"]["shape"][0] * result.manifest["grid"]["shape"][1]
    return {"imports": round(IMPORT_S, 3), **result.manifest["timings_s"]} | {
        "run": round(total_s, 3),
        "cells": cells,
        "peak_rss_gb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20, 3),
    }


def stage_table(stages: dict[str, float]) -> str:
    """The stages as a Markdown table, parts indented under their step."""
    rows = ["| stage | wall [s] |", "|---|---:|"]
    for name, value in stages.items():
        label = f"  {name}" if "." in name else name
        rows.append(f"| {label} | {value:g} |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resolution-m", type=float, default=250.0)
    parser.add_argument("--json", type=Path, help="also write the stage times to this file")
    args = parser.parse_args()
    stages = run_stages(args.resolution_m)
    print(stage_table(stages))
    if args.json:
        args.json.write_text(json.dumps(stages, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
