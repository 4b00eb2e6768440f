"""Speed of the default run, as ratios against a reference computed in the same process.

The reference is one float64 Euclidean distance transform (scipy) over the run's grid, a fixed
amount of well-understood work, so the ratios hold across machines. Run:

    python benchmarks/bench_run.py [--repeat 3]

and read the ratio of each stage to the reference; the target is stated beside the total.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
from scipy import ndimage

from siting.pipeline import run
from siting.spec import load_spec

#: A whole default run should cost less than this many reference transforms: about 25 for
#: the six screening layers, exclusions, regions and writing, plus about 20 for the
#: interconnection distances by voltage class, the hourly cooling model on the climate lattice
#: and the queue statistics.
TARGET_RUN_OVER_REFERENCE = 60.0


def reference_seconds(shape: tuple[int, int], repeat: int) -> float:
    rng = np.random.default_rng(42)
    mask = rng.random(shape) > 0.001
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        ndimage.distance_transform_edt(mask)
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    spec = load_spec()
    totals, stages = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.repeat):
            t0 = time.perf_counter()
            result = run(spec, out_dir=Path(tmp) / f"run{i}", maps_dir=Path(tmp) / "maps")
            totals.append(time.perf_counter() - t0)
            stages.append(result.manifest["timings_s"])
    shape = tuple(result.manifest["grid"]["shape"])
    ref = reference_seconds(shape, args.repeat)
    total = statistics.median(totals)
    print(f"grid {shape[0]}×{shape[1]} cells; reference EDT {ref:.3f} s")
    for name in stages[0]:
        t = statistics.median(s[name] for s in stages)
        print(f"  {name:<11} {t:7.3f} s  {t / ref:6.1f}× reference")
    verdict = "ok" if total / ref <= TARGET_RUN_OVER_REFERENCE else "SLOWER THAN TARGET"
    print(
        f"  {'total':<11} {total:7.3f} s  {total / ref:6.1f}× reference "
        f"(target ≤ {TARGET_RUN_OVER_REFERENCE:g}×: {verdict})"
    )


if __name__ == "__main__":
    main()
