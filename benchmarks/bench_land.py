"""Speed of exclusions and region finding on the real Indiana inputs at 100 m, against a plain
numpy/scipy reference of the same steps written here and run in the same process.

    python benchmarks/bench_land.py [--repeat 3] [--resolution-m 100]

Both sides start from the same run inputs and indicators (read once, not timed). siting runs
``siting.exclude.apply_exclusions`` and ``siting.regions.locate_regions``; the reference
rasterises each rule's features, buffers them with a Euclidean distance transform (the ``edt``
package, as siting), tests the indicators against their thresholds, ORs the masks, drops the
patches smaller than the campus, then takes the focal disc mean by FFT (scipy) and grows
regions greedily from every seed in order. Runs alternate between the two sides; the medians of
``--repeat`` runs and their ratio are printed, with the target beside the total.
"""

from __future__ import annotations

import argparse
import dataclasses
import heapq
import math
import statistics
import time

import edt
import numpy as np
import rasterio.features
from scipy import ndimage, signal

import layers
from siting.bundle import open_bundle
from siting.exclude import apply_exclusions
from siting.inputs import read_inputs
from siting.pipeline import (
    derive_indicators,
    order_layers,
    rule_data,
    score_surface,
    unchecked_rules,
)
from siting.regions import locate_regions
from siting.spec import load_spec

#: siting's exclusions and regions together should cost at most this many reference runs.
TARGET_RATIO = 1.5
REACH_RADII = 2.0
COMPACTNESS = 0.05


# ---------------------------------------------------------------------------------------------
# the reference: plain numpy / scipy / rasterio
# ---------------------------------------------------------------------------------------------


def burn(geoms, shape, transform, *, all_touched: bool) -> np.ndarray:
    shapes = [(g, 1) for g in geoms if g is not None and not g.is_empty]
    if not shapes:
        return np.zeros(shape, dtype=bool)
    out = rasterio.features.rasterize(
        shapes, out_shape=shape, transform=transform, all_touched=all_touched, dtype="uint8"
    )
    return out.view(bool)


def within_m(mask: np.ndarray, res_m: float, distance_m: float) -> np.ndarray:
    """Cells whose centre lies within ``distance_m`` of a marked cell centre (EDT)."""
    if distance_m <= 0 or not mask.any():
        return mask
    d = edt.edt(~mask, anisotropy=(res_m, res_m), black_border=False, parallel=1)
    return d <= np.float32(distance_m)


def rule_marks(rule, inputs, indicators) -> tuple[np.ndarray, np.ndarray]:
    """One rule's marked cells and the cells where its data is unknown."""
    grid = inputs.grid
    shape, transform, res = grid.shape, grid.transform, grid.resolution_m
    unknown = np.zeros(shape, dtype=bool)
    if rule.kind == "features":
        geoms = inputs.features[rule.layer or rule.file].geometry
        lines_or_points = len(geoms) and not geoms.geom_type.str.contains("Polygon").all()
        marked = burn(geoms.values, shape, transform, all_touched=bool(lines_or_points))
        return within_m(marked, res, rule.buffer_m), unknown
    if rule.kind == "corridor":
        kv = inputs.network.lines["kv"].to_numpy(dtype=float)
        classes = np.array([c for c, _ in rule.widths_m], dtype=float)
        widths = np.array([w for _, w in rule.widths_m], dtype=float)
        index = np.searchsorted(classes, kv, side="right") - 1
        half = np.where(np.isfinite(kv), widths[np.clip(index, 0, None)] / 2, widths.max() / 2)
        half = np.where(np.isfinite(kv) & (index < 0), 0.0, half)
        marked = np.zeros(shape, dtype=bool)
        for width in sorted(set(half[half > 0])):
            lines = inputs.network.lines.geometry.values[half == width]
            marked |= within_m(burn(lines, shape, transform, all_touched=True), res, width)
        return marked, unknown
    values = indicators[rule.indicator].to_numpy()
    unknown = ~np.isfinite(values)
    marked = np.zeros(shape, dtype=bool)
    with np.errstate(invalid="ignore"):
        if rule.above is not None:
            marked |= values > rule.above
        if rule.below is not None:
            marked |= values < rule.below
        if rule.between is not None:
            marked |= (values >= rule.between[0]) & (values <= rule.between[1])
    if rule.values:
        marked |= np.isin(values, np.asarray(rule.values, dtype=values.dtype))
    return within_m(marked & ~unknown, res, rule.buffer_m), unknown


def reference_exclusions(spec, inputs, indicators, unchecked) -> tuple[np.ndarray, np.ndarray]:
    """The excluded mask and the score factor of the spec's rules (``unchecked`` skipped)."""
    if any(len(v) for v in inputs.buffers_by_county.values()):
        raise SystemExit("the reference has no county buffer overrides; run the default spec")
    grid = inputs.grid
    rules = [r for r in spec.exclusions if r.name not in unchecked]
    marks = {r.name: rule_marks(r, inputs, indicators) for r in rules if r.kind != "min_area"}
    out, back, missing = (np.zeros(grid.shape, dtype=bool) for _ in range(3))
    factor = np.ones(grid.shape, dtype=np.float32)
    for name, (marked, unknown) in marks.items():
        rule = next(r for r in rules if r.name == name)
        if rule.mode == "exclude":
            out |= marked
        elif rule.mode == "include":
            back |= marked
        elif rule.mode == "penalise":
            factor[marked] *= np.float32(1.0 - rule.penalty)
        if rule.missing == "exclude":
            missing |= unknown
    excluded = (out & ~back) | missing | ~inputs.study_mask
    for rule in (r for r in rules if r.kind == "min_area"):
        area_km2 = spec.required_area_km2 if rule.area_km2 is None else rule.area_km2
        patches, n = ndimage.label(~excluded)
        small = np.bincount(patches.ravel(), minlength=n + 1) * grid.cell_area_km2 < area_km2 - 1e-9
        small[0] = False
        excluded |= small[patches]
    return excluded, factor


def reference_regions(score, res_m, *, min_area_km2, count, min_spacing_km) -> np.ndarray:
    """Greedy regions: seeds by focal disc mean (FFT), each grown from the best free cell."""
    n_cells = max(1, math.ceil(min_area_km2 / (res_m * res_m / 1e6) - 1e-9))
    radius = math.sqrt(n_cells / math.pi)
    while True:
        r = math.floor(radius)
        yy, xx = np.mgrid[-r : r + 1, -r : r + 1]
        kernel = (yy**2 + xx**2) <= radius**2 + 1e-9
        if kernel.sum() >= n_cells:
            break
        radius += 0.25
    filled = np.nan_to_num(score, nan=0.0).astype(np.float64)
    focal = signal.fftconvolve(filled, kernel.astype(np.float64), mode="same")
    focal = (focal / kernel.sum()).astype(np.float32)
    cells = np.flatnonzero(np.isfinite(score))
    seeds = cells[np.argsort(-focal.ravel()[cells], kind="stable")]
    reach = REACH_RADII * (r + 0.5)
    free = np.isfinite(score)
    labels = np.zeros(score.shape, dtype=np.int32)
    found = 0
    for seed in seeds.tolist():
        if found == count:
            break
        if not free.flat[seed]:
            continue
        region = grow(seed, score, free, n_cells, reach)
        if region is None:
            continue
        found += 1
        labels.flat[region] = found
        block(region, free, res_m, min_spacing_km * 1000.0)
    return labels


def grow(seed, score, free, n_cells, reach):
    rows, cols = score.shape
    r0, c0 = divmod(seed, cols)
    region, seen, heap = [seed], {seed}, []
    cell = seed
    while True:
        r, c = divmod(cell, cols)
        for rr, cc in ((r - 1, c), (r + 1, c), (r, c - 1), (r, c + 1)):
            n = rr * cols + cc
            if 0 <= rr < rows and 0 <= cc < cols and n not in seen and free[rr, cc]:
                seen.add(n)
                d = math.hypot(rr - r0, cc - c0)
                if d <= reach:
                    heapq.heappush(heap, (-(float(score[rr, cc]) - COMPACTNESS * d / reach), n))
        if len(region) == n_cells:
            return region
        if not heap:
            return None
        cell = heapq.heappop(heap)[1]
        region.append(cell)


def block(region, free, res_m, spacing_m) -> None:
    """Take the region and every cell within the spacing (+ a cell diagonal) out of ``free``."""
    rows, cols = np.divmod(np.asarray(region), free.shape[1])
    reach_m = spacing_m + math.sqrt(2.0) * res_m if spacing_m > 0 else 0.0
    pad = math.ceil(reach_m / res_m) + 1
    r0, r1 = max(rows.min() - pad, 0), min(rows.max() + pad + 1, free.shape[0])
    c0, c1 = max(cols.min() - pad, 0), min(cols.max() + pad + 1, free.shape[1])
    mask = np.zeros((r1 - r0, c1 - c0), dtype=bool)
    mask[rows - r0, cols - c0] = True
    free[r0:r1, c0:c1] &= ~within_m(mask, res_m, reach_m)


# ---------------------------------------------------------------------------------------------
# the benchmark
# ---------------------------------------------------------------------------------------------


def timed(fn, *args, **kwargs):
    t0 = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--resolution-m", type=float, default=100.0)
    args = parser.parse_args()
    spec = load_spec()
    spec = dataclasses.replace(
        spec, region=dataclasses.replace(spec.region, resolution_m=args.resolution_m)
    )
    t0 = time.perf_counter()
    inputs = read_inputs(open_bundle("indiana"), spec)
    ordered = order_layers(layers.REGISTRY)
    indicators = derive_indicators(inputs, ordered)
    grid = inputs.grid
    unchecked = unchecked_rules(spec, inputs, indicators)  # optional rules without data
    print(f"grid {grid.shape[0]}×{grid.shape[1]} cells of {grid.resolution_m:g} m; inputs and")
    print(f"indicators read in {time.perf_counter() - t0:.1f} s (not timed below)")

    def siting_exclusions():
        return apply_exclusions(
            spec.exclusions,
            grid,
            unchecked=unchecked,
            study_area=inputs.study_mask,
            data=rule_data(inputs, indicators),
        )

    exclusions = siting_exclusions()
    _, unpenalised = score_surface(
        spec, layers.indicator_schemas(ordered), indicators, exclusions.excluded
    )
    score = unpenalised * exclusions.score_factor
    regions = {
        "min_area_km2": spec.required_area_km2,
        "count": spec.candidates.count,
        "min_spacing_km": spec.candidates.min_spacing_km,
    }
    times: dict[str, list[float]] = {
        k: [] for k in ("siting exclusions", "siting regions", "ref exclusions", "ref regions")
    }
    for i in range(args.repeat):
        sides = ("siting", "ref") if i % 2 == 0 else ("ref", "siting")
        for side in sides:
            if side == "siting":
                ours, t = timed(siting_exclusions)
                times["siting exclusions"].append(t)
                search, t = timed(
                    locate_regions,
                    score,
                    grid,
                    **regions,
                    max_spacing_km=spec.candidates.max_spacing_km,
                    compactness=spec.candidates.compactness,
                    max_grow_attempts=spec.candidates.max_grow_attempts,
                )
                times["siting regions"].append(t)
            else:
                (theirs, _), t = timed(reference_exclusions, spec, inputs, indicators, unchecked)
                times["ref exclusions"].append(t)
                labels, t = timed(reference_regions, score, grid.resolution_m, **regions)
                times["ref regions"].append(t)
    report(times, ours.excluded, theirs, search, labels)


def report(times, excluded, ref_excluded, search, ref_labels) -> None:
    med = {k: statistics.median(v) for k, v in times.items()}
    for step in ("exclusions", "regions"):
        a, b = med[f"siting {step}"], med[f"ref {step}"]
        print(f"  {step:<11} siting {a:7.3f} s   reference {b:7.3f} s   ratio {a / b:5.2f}×")
    ours = med["siting exclusions"] + med["siting regions"]
    ref = med["ref exclusions"] + med["ref regions"]
    verdict = "ok" if ours / ref <= TARGET_RATIO else "SLOWER THAN TARGET"
    print(
        f"  {'total':<11} siting {ours:7.3f} s   reference {ref:7.3f} s   ratio "
        f"{ours / ref:5.2f}× (target ≤ {TARGET_RATIO:g}×: {verdict})"
    )
    differ = int((excluded != ref_excluded).sum())
    print(f"excluded cells that differ from the reference: {differ:,} of {excluded.size:,}")
    same = np.array_equal(search.labels, ref_labels)
    print(
        f"regions found {search.found} of {search.requested} in {search.grow_attempts} growth "
        f"attempts; labels {'identical to' if same else 'DIFFERENT from'} the reference's"
    )
    if search.reason:
        print(f"fewer regions than asked for: {search.reason}")


if __name__ == "__main__":
    main()
