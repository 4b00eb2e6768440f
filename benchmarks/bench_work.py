"""How much per-cell work the run and the lean reference each do, and what a cell of it costs.

    python benchmarks/bench_work.py --resolution-m 100 [--json FILE]

Runs ``../shared/bench/indiana_reference.py`` (writing its outputs) and then one default run,
in this process, with the library calls that touch every cell of a grid counted (:data:`KINDS`):
distance transforms, rasterisations, resamplings, polygonisations and GeoTIFF writes. For each
kind it reports, for both, the calls, the cells they covered, the seconds they took and the
nanoseconds per cell; the rest of each run's wall time is everything else (reading, the models,
the numpy arithmetic, the pages).

The ratio of the two wall times then splits into how much more of each kind of work the run
does (the ratio of cells) and how much more a cell of it costs (the ratio of nanoseconds per
cell): on the same library call, a per-cell ratio near 1 means the gap is the amount of work,
not the way it is done. Only the outermost counted call is timed (a rasterisation inside
``geometry_mask`` counts once); calls made on worker threads add their own durations, so a
kind's seconds can exceed the wall time it spans. The run's wall time includes importing
the project, not the libraries the reference imported before it. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import json
import runpy
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import edt
import numpy as np
import rasterio
import rasterio.features
import rasterio.warp
from scipy import ndimage

HERE = Path(__file__).resolve().parent
REFERENCE = HERE.parent.parent / "shared" / "bench" / "indiana_reference.py"


def _cells_of_first(args, kwargs) -> int:
    return int(np.asarray(args[0]).size)


def _cells_of_raster(args, kwargs) -> int:
    shape = kwargs.get("out_shape") or (args[1] if len(args) > 1 else None)
    if shape is None:
        shape = kwargs["out"].shape
    return int(np.prod(shape))


def _cells_of_destination(args, kwargs) -> int:
    destination = kwargs.get("destination", args[1] if len(args) > 1 else None)
    return int(np.asarray(destination).size)


#: Each kind of per-cell work: the (module, function) pairs that do it, how many cells a call
#: covers (the input of a transform or a polygonisation, the output of a rasterisation or a
#: resampling) and whether the function returns a generator, whose work is done as it is read
#: (it is then read within the timed call). GeoTIFF writes are counted by :func:`_counted_open`.
KINDS: dict[str, tuple[tuple[object, str, Callable, bool], ...]] = {
    "distance transform": (
        (edt, "edt", _cells_of_first, False),
        (ndimage, "distance_transform_edt", _cells_of_first, False),
    ),
    "rasterisation": ((rasterio.features, "rasterize", _cells_of_raster, False),),
    "resampling": ((rasterio.warp, "reproject", _cells_of_destination, False),),
    "polygonisation": ((rasterio.features, "shapes", _cells_of_first, True),),
}

WRITE = "GeoTIFF write (bands × cells)"


class Tally:
    """Calls, cells and seconds of each kind of work, counting only the outermost call."""

    def __init__(self) -> None:
        self.kinds = {kind: {"calls": 0, "cells": 0, "s": 0.0} for kind in [*KINDS, WRITE]}
        self._depth = threading.local()

    def add(self, kind: str, cells: int, seconds: float) -> None:
        row = self.kinds[kind]
        row["calls"] += 1
        row["cells"] += cells
        row["s"] += seconds

    def counted(self, kind: str, function: Callable, cells_of: Callable, lazy: bool) -> Callable:
        def wrapper(*args, **kwargs):
            if getattr(self._depth, "n", 0):
                return function(*args, **kwargs)
            self._depth.n = 1
            t0 = time.perf_counter()
            try:
                result = function(*args, **kwargs)
                if lazy:
                    result = list(result)
            finally:
                self._depth.n = 0
            self.add(kind, cells_of(args, kwargs), time.perf_counter() - t0)
            return result

        return wrapper


def _counted_open(tally: Tally, open_: Callable) -> Callable:
    """``rasterio.open`` whose GeoTIFFs opened for writing are timed from opening to closing."""

    def wrapper(path, mode="r", **kwargs):
        dataset = open_(path, mode, **kwargs)
        if mode != "w" or kwargs.get("driver") not in ("GTiff", "COG"):
            return dataset
        t0 = time.perf_counter()
        cells = dataset.count * dataset.width * dataset.height
        close = dataset.close

        def timed_close():
            close()
            tally.add(WRITE, cells, time.perf_counter() - t0)

        dataset.close = timed_close
        return dataset

    return wrapper


def counting(action: Callable[[], None]) -> tuple[Tally, float]:
    """The tally of ``action``'s per-cell work and its wall time [s]; the library is restored."""
    tally = Tally()
    saved = [
        (module, name, getattr(module, name))
        for spec in KINDS.values()
        for module, name, _, _ in spec
    ]
    saved.append((rasterio, "open", rasterio.open))
    try:
        for kind, spec in KINDS.items():
            for module, name, cells_of, lazy in spec:
                function = getattr(module, name)
                setattr(module, name, tally.counted(kind, function, cells_of, lazy))
        rasterio.open = _counted_open(tally, rasterio.open)
        t0 = time.perf_counter()
        action()
        return tally, time.perf_counter() - t0
    finally:
        for module, name, function in saved:
            setattr(module, name, function)


def reference(resolution_m: float, out: Path) -> None:
    """The lean reference's main, as its command line would run it."""
    argv = sys.argv
    sys.argv = [str(REFERENCE), "--res", f"{resolution_m:g}", "--out", str(out)]
    try:
        runpy.run_path(str(REFERENCE), run_name="__main__")
    finally:
        sys.argv = argv


def project_run(resolution_m: float) -> None:
    """One default run of the project on a grid of ``resolution_m`` (:mod:`stages`), imported
    here so that importing the project is part of the run's time."""
    sys.path.insert(0, str(HERE))
    try:
        from stages import run_stages
    finally:
        sys.path.remove(str(HERE))
    run_stages(resolution_m)


def rows(reference_tally: Tally, reference_s: float, run_tally: Tally, run_s: float) -> list[dict]:
    """One row per kind of work, then the rest of each wall time, then the whole. [s, cells]"""
    out = []
    for kind in reference_tally.kinds:
        ref, ours = reference_tally.kinds[kind], run_tally.kinds[kind]
        out.append({"work": kind, "reference": dict(ref), "run": dict(ours)})
    counted_ref = sum(r["reference"]["s"] for r in out)
    counted_run = sum(r["run"]["s"] for r in out)
    out.append(
        {
            "work": "everything else",
            "reference": {"s": reference_s - counted_ref},
            "run": {"s": run_s - counted_run},
        }
    )
    out.append({"work": "whole run", "reference": {"s": reference_s}, "run": {"s": run_s}})
    return out


def _ns_per_cell(side: dict) -> float | None:
    return side["s"] / side["cells"] * 1e9 if side.get("cells") else None


def table(result: list[dict]) -> str:
    """:func:`rows` as a Markdown table: calls, million cells, seconds and ns per cell of each
    side, then the run's multiples of the reference's cells and of its cost per cell."""
    lines = [
        "| work | reference: calls, M cells, s, ns/cell | run: calls, M cells, s, ns/cell "
        "| cells, run/ref | ns/cell, run/ref | s, run/ref |",
        "|---|---|---|---:|---:|---:|",
    ]
    for row in result:
        ref, ours = row["reference"], row["run"]
        sides = []
        for side in (ref, ours):
            if "cells" in side:
                ns = _ns_per_cell(side)
                shown_ns = "–" if ns is None else f"{ns:.1f}"
                cells = side["cells"] / 1e6
                sides.append(f"{side['calls']}, {cells:.0f}, {side['s']:.2f}, {shown_ns}")
            else:
                sides.append(f"{side['s']:.2f} s")
        cells_ratio = per_cell = ""
        if ref.get("cells") and ours.get("cells"):
            cells_ratio = f"{ours['cells'] / ref['cells']:.1f}×"
            per_cell = f"{_ns_per_cell(ours) / _ns_per_cell(ref):.2f}×"
        seconds = f"{ours['s'] / ref['s']:.1f}×" if ref["s"] > 0 else ""
        lines.append(
            f"| {row['work']} | {sides[0]} | {sides[1]} | {cells_ratio} | {per_cell} | {seconds} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resolution-m", type=float, default=100.0)
    parser.add_argument("--json", type=Path, help="also write the rows to this file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ref_tally, ref_s = counting(lambda: reference(args.resolution_m, Path(tmp) / "reference"))
    run_tally, run_s = counting(lambda: project_run(args.resolution_m))
    result = rows(ref_tally, ref_s, run_tally, run_s)
    print(f"\n{args.resolution_m:g} m, one run each in this process\n")
    print(table(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
