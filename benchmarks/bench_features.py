"""How a run's cost grows with the number of features and of candidate sites.

    python benchmarks/bench_features.py [--resolution-m 1000] [--copies 1 2 4 8]
        [--sites 10 20 40 80] [--json FILE]

The real Indiana inputs are read once. For each copy count m, every feature layer a run
measures distances to, burns, buffers or sums (transmission lines and their connection points,
power plants, the exclusion rules' feature layers, the queue's requests) holds m copies of each
feature, each copy after the first shifted by a fixed-seed offset of up to 3 km, so the layers
stay realistic and no two copies coincide; then every step of a run that writes nothing
(``siting.pipeline.evaluate_inputs``) is timed. Separately, at one copy, the number of
candidate regions is raised. Each figure is the least of ``--repeat`` runs. Each step's growth
is reported as the exponent b of time ∝ count^b between the smallest and the largest count:
about 1 or less is linear (less where fixed per-cell work dominates), about 2 would be
quadratic.

Census tracts are not copied: copies would count the same people twice and break the tract
join by GEOID, which is an error by design. The copies are a timing workload only.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from siting.bundle import open_bundle
from siting.inputs import RunInputs, read_inputs
from siting.models.network import Network
from siting.pipeline import _Clock, evaluate_inputs, spec_steps
from siting.spec import CampusSpec, load_spec

#: Largest shift of a copy of a feature from the original, each axis. [m]
SHIFT_M = 3000.0

#: Steps whose time is reported, each with its parts (layers, per-site models) that take at
#: least :data:`PART_S` at the largest count.
STEPS = ("layers", "exclusions", "score", "regions", "sites", "assess", "robustness")
PART_S = 0.05


def copies_of(frame: pd.DataFrame, m: int, *, ids: tuple[str, ...], seed: int) -> pd.DataFrame:
    """``m`` copies of the rows of ``frame``, copy i > 0 shifted by its own offset (the same
    for every frame given the same seed) and its ``ids`` suffixed ``~i`` so they stay unique."""
    shifts = np.random.default_rng(seed).uniform(-SHIFT_M, SHIFT_M, size=(m, 2))
    parts = []
    for i in range(m):
        part = frame.copy()
        if i:
            for column in ids:
                part[column] = part[column].astype(str) + f"~{i}"
            if isinstance(part, gpd.GeoDataFrame):
                part = part.set_geometry(part.geometry.translate(*shifts[i]))
        parts.append(part)
    return pd.concat(parts, ignore_index=True)  # GeoDataFrames stay GeoDataFrames


def with_copies(inputs: RunInputs, m: int, *, seed: int = 7) -> RunInputs:
    """``inputs`` with m copies of every feature the run's layers and rules read."""
    if m == 1:
        return inputs
    net = inputs.network
    network = Network(
        lines=copies_of(net.lines, m, ids=("line_id",), seed=seed),
        points=copies_of(net.points, m, ids=("point_id",), seed=seed),
        ends=copies_of(net.ends, m, ids=("point_id", "line_id"), seed=seed),
        derived=net.derived,
    )
    return dataclasses.replace(
        inputs,
        network=network,
        power_plants=copies_of(inputs.power_plants, m, ids=("plant_id",), seed=seed),
        queue=copies_of(inputs.queue, m, ids=("queue_id",), seed=seed),
        features={
            name: copies_of(frame, m, ids=(), seed=seed) for name, frame in inputs.features.items()
        },
    )


def step_times(inputs: RunInputs, *, repeat: int = 1) -> dict[str, float]:
    """Wall time of every step of a run that writes nothing, on ``inputs``: the least of
    ``repeat`` runs, step by step. [s]"""
    runs = [_one_run(inputs) for _ in range(repeat)]
    return {name: min(run.get(name, math.inf) for run in runs) for name in runs[0]}


def _one_run(inputs: RunInputs) -> dict[str, float]:
    layers, models = spec_steps(inputs.spec)
    clock = _Clock(None)
    clock.step("start")
    evaluation = evaluate_inputs(inputs, layers=layers, models=models, candidates=None, clock=clock)
    clock.lap()
    return clock.timings | {"sites_found": float(len(evaluation.sites))}


def exponent(counts: list[int], seconds: list[float]) -> float:
    """b of seconds ∝ count^b between the first and the last count."""
    if seconds[0] <= 0 or seconds[-1] <= 0 or counts[-1] == counts[0]:
        return math.nan
    return math.log(seconds[-1] / seconds[0]) / math.log(counts[-1] / counts[0])


def table(label: str, counts: list[int], runs: list[dict[str, float]]) -> str:
    """The steps' times per count and their growth exponents, as Markdown."""
    head = f"| step | {' | '.join(f'{label} {c}' for c in counts)} | exponent b |"
    rows = [head, "|---|" + "---:|" * (len(counts) + 1)]
    for step in STEPS:
        parts = [p for p in runs[-1] if p.startswith(f"{step}.") and runs[-1][p] >= PART_S]
        for name in (step, *parts):
            seconds = [run.get(name, 0.0) for run in runs]
            cells = " | ".join(f"{s:.3f}" for s in seconds)
            label = f"&nbsp;&nbsp;{name}" if name in parts else f"**{name}**"
            rows.append(f"| {label} | {cells} | {exponent(counts, seconds):.2f} |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resolution-m", type=float, default=1000.0)
    parser.add_argument("--copies", type=int, nargs="+", default=[1, 2, 4, 8])
    parser.add_argument("--sites", type=int, nargs="+", default=[10, 20, 40, 80])
    parser.add_argument("--repeat", type=int, default=3, help="runs per count; least time kept")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    spec: CampusSpec = load_spec()
    spec = dataclasses.replace(
        spec, region=dataclasses.replace(spec.region, resolution_m=args.resolution_m)
    )
    inputs = read_inputs(open_bundle(spec.region.bundle), spec)
    step_times(inputs)  # warm the caches and the lazy imports once
    by_copies = []
    for m in args.copies:
        copied = with_copies(inputs, m)
        t0 = time.perf_counter()
        by_copies.append(step_times(copied, repeat=args.repeat))
        print(f"{m} copies: {time.perf_counter() - t0:.1f} s", flush=True)
    by_sites = []
    for n in args.sites:
        more = dataclasses.replace(spec, candidates=dataclasses.replace(spec.candidates, count=n))
        by_sites.append(step_times(dataclasses.replace(inputs, spec=more), repeat=args.repeat))
        print(f"{n} sites requested: {int(by_sites[-1]['sites_found'])} found", flush=True)
    lines = [m * len(inputs.network.lines) for m in args.copies]
    print(f"\nFeatures copied ({lines} transmission lines), {args.resolution_m:g} m grid")
    print(table("×", args.copies, by_copies))
    found = [int(r["sites_found"]) for r in by_sites]
    print(f"\nCandidate regions requested (found {found}), {args.resolution_m:g} m grid")
    print(table("n", args.sites, by_sites))
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "copies": dict(zip(map(str, args.copies), by_copies, strict=True)),
                    "sites": dict(zip(map(str, args.sites), by_sites, strict=True)),
                },
                indent=1,
            )
        )


if __name__ == "__main__":
    main()
