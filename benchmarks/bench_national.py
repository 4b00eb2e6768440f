"""Wall time and peak memory of the national raster run on CONUS, against a plain numpy/scipy
version of the same steps on the whole grid in memory.

    python benchmarks/bench_national.py [--resolution-m 1000 500 250] [--chunk-cells 2048]
        [--reference-m 1000]

Each size runs in its own child process (``siting.national``: read the bundle, score chunk by
chunk with the local threaded scheduler, write the outputs); the child reports its wall time
and peak resident memory (``resource.getrusage``). At ``--reference-m`` a second child does
the same steps as whole-grid numpy arrays (one ``rasterize`` of every county, one
``scipy.ndimage.distance_transform_edt`` per SYNTHETIC layer, one GeoTIFF write), and the
parent compares the two scores cell by cell. The grid-distance layers are SYNTHETIC (a
generated network), so the figures measure computing, not data.
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

PEAK_LIMIT_GB = 4.0


def peak_gb() -> float:
    """Peak resident memory of this process. [GB]"""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e9


def child_dask(resolution_m: float, chunk_cells: int, out: Path) -> dict:
    from siting.national import national
    from siting.spec import load_spec

    t0 = time.perf_counter()
    result = national(
        load_spec(None), out_dir=out, resolution_m=resolution_m, chunk_cells=chunk_cells
    )
    rows, cols = result.grid.shape
    return {
        "cells": rows * cols,
        "wall_s": time.perf_counter() - t0,
        "score_s": result.seconds,
        "peak_gb": peak_gb(),
    }


def child_reference(resolution_m: float, out: Path) -> dict:
    """The same steps on whole-grid arrays: no chunks, no dask."""
    import rasterio
    import rasterio.features
    from scipy import ndimage

    from siting.national import national_inputs
    from siting.national_synthetic import lattice_cells, line_cells
    from siting.score import suitability
    from siting.spec import load_spec

    t0 = time.perf_counter()
    inputs = national_inputs(load_spec(None), resolution_m=resolution_m)
    t1 = time.perf_counter()
    grid = inputs.grid
    rows, cols = grid.shape
    index = rasterio.features.rasterize(
        ((g, i) for i, g in enumerate(inputs.county_geoms)),
        out_shape=grid.shape,
        transform=grid.transform,
        fill=len(inputs.county_fips),
        dtype="int32",
    )
    pad = math.ceil(inputs.distance_cap_km * 1000.0 / resolution_m) + 1
    top = round(-grid.bounds[3] / resolution_m) - pad
    left = round(grid.bounds[0] / resolution_m) - pad
    padded = (rows + 2 * pad, cols + 2 * pad)
    cells_of = {
        "line_distance_km": line_cells(
            inputs.network.segments_m, origin=(top, left), shape=padded, resolution_m=resolution_m
        ),
        "substation_distance_km": lattice_cells(
            inputs.network.substations_m, resolution_m=resolution_m
        ),
    }
    values = {n: inputs.county_values[:, k][index] for k, n in enumerate(inputs.county_layers)}
    for name, (r, c) in cells_of.items():
        r, c = r - top, c - left
        ok = (r >= 0) & (r < rows + 2 * pad) & (c >= 0) & (c < cols + 2 * pad)
        free = np.ones((rows + 2 * pad, cols + 2 * pad), dtype=bool)
        free[r[ok], c[ok]] = False
        cells = ndimage.distance_transform_edt(free)[pad : pad + rows, pad : pad + cols]
        cap = inputs.distance_cap_km * 1000.0 / resolution_m
        values[name] = (np.minimum(cells, cap) * (resolution_m / 1000.0)).astype(np.float32)
    score = np.zeros(grid.shape, dtype=np.float32)
    for name, w in inputs.weights.items():
        s = np.nan_to_num(suitability(values[name], inputs.transforms[name]), nan=0.0)
        score += np.float32(w) * s
    score = np.minimum(score, np.float32(1.0)) * inputs.county_factor[index]
    profile = {
        "driver": "GTiff",
        "width": cols,
        "height": rows,
        "count": 1,
        "dtype": "float32",
        "crs": grid.crs,
        "transform": grid.transform,
        "nodata": np.nan,
        "tiled": True,
        "compress": "zstd",
    }
    out.mkdir(parents=True)
    with rasterio.open(out / "score.tif", "w", **profile) as dst:
        dst.write(score, 1)
    return {
        "cells": rows * cols,
        "wall_s": time.perf_counter() - t0,
        "score_s": time.perf_counter() - t1,
        "peak_gb": peak_gb(),
    }


def in_child(mode: str, resolution_m: float, chunk_cells: int, out: Path) -> dict:
    cmd = [sys.executable, __file__, "--child", mode, "--resolution-m", str(resolution_m)]
    cmd += ["--chunk-cells", str(chunk_cells), "--out", str(out)]
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def compare(a: Path, b: Path) -> str:
    import rasterio

    with rasterio.open(a) as src_a, rasterio.open(b) as src_b:
        x, y = src_a.read(1), src_b.read(1)
    same_nan = bool((np.isnan(x) == np.isnan(y)).all())
    both = np.isfinite(x) & np.isfinite(y)
    diff = float(np.abs(x[both] - y[both]).max()) if both.any() else 0.0
    n_diff = int((x[both] != y[both]).sum())
    return f"same no-data cells: {same_nan}; max |Δscore| {diff:.3g}; {n_diff} cells differ"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resolution-m", type=float, nargs="+", default=[1000.0, 500.0, 250.0])
    parser.add_argument("--chunk-cells", type=int, default=2048)
    parser.add_argument("--reference-m", type=float, default=1000.0)
    parser.add_argument("--child", choices=["dask", "reference"])
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if args.child:
        res = args.resolution_m[0]
        if args.child == "dask":
            found = child_dask(res, args.chunk_cells, args.out)
        else:
            found = child_reference(res, args.out)
        print(json.dumps(found))
        return
    print("national raster run, CONUS EPSG:5070; SYNTHETIC grid-distance layers")
    print(f"{'grid':>10} {'cells':>12} {'wall s':>8} {'score s':>8} {'peak GB':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for res in args.resolution_m:
            out = Path(tmp) / f"dask-{res:g}"
            r = in_child("dask", res, args.chunk_cells, out)
            flag = "" if r["peak_gb"] <= PEAK_LIMIT_GB else f"  ABOVE {PEAK_LIMIT_GB:g} GB"
            print(
                f"{res:>8g} m {r['cells']:>12,} {r['wall_s']:>8.1f} {r['score_s']:>8.1f} "
                f"{r['peak_gb']:>8.2f}{flag}"
            )
            if res == args.reference_m:
                ref_out = Path(tmp) / "reference"
                ref = in_child("reference", res, args.chunk_cells, ref_out)
                print(
                    f"{'reference':>10} {ref['cells']:>12,} {ref['wall_s']:>8.1f} "
                    f"{ref['score_s']:>8.1f} {ref['peak_gb']:>8.2f}  (numpy/scipy, whole grid)"
                )
                print(
                    f"{'':>10} ratio dask/reference: {r['score_s'] / ref['score_s']:.2f}× "
                    f"score time, {r['peak_gb'] / ref['peak_gb']:.2f}× peak memory"
                )
                print(f"{'':>10} {compare(out / 'score.tif', ref_out / 'score.tif')}")


if __name__ == "__main__":
    main()
