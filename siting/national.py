"""The national raster run: a CONUS grid in EPSG:5070 scored chunk by chunk with dask.

Every layer is a function of a window of the grid that returns a float32 array, so the score
of a chunk needs nothing outside the chunk but the run's inputs. The county layers are real:
the bundled county outlines are burned per window (``rasterio.features.rasterize`` on the
window's transform) into a county index, and each county value of the national screen's
county table (:func:`siting.screen.county_table`, the same values and directions as
``siting screen``) is taken through it. The grid-distance layers have no national data in the
bundle and are measured against a generated network (:mod:`siting.national_synthetic`),
labelled SYNTHETIC wherever they appear. Each value becomes a suitability by the spec's
transform (:func:`siting.score.suitability`; UNKNOWN counts 0), the suitabilities are summed
by :func:`siting.models.weighted_sum.weighted_sum_into`, the spec's county rules penalise or
exclude, and cells outside every county are no data.

The score is a dask array built with ``dask.array.map_blocks`` over a chunked template; its
blocks are computed by the local threaded scheduler, or by a ``dask.distributed`` cluster
given its address, and stored window by window as they arrive. A cell's value depends only on
its position, so the result does not depend on the chunking or the scheduler.
"""

from __future__ import annotations

import json
import logging
import math
import os
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import dask
import dask.array as da
import geopandas as gpd
import numpy as np
import pandas as pd
import rasterio.features
import rasterio.transform

from layers import REGISTRY
from siting.errors import DataError, SpecError
from siting.grid import Grid
from siting.models.weighted_sum import weighted_sum_into
from siting.national_synthetic import (
    LABEL,
    SyntheticNetwork,
    line_distance_km,
    substation_distance_km,
    synthetic_network,
)
from siting.report import check_output_dir
from siting.score import default_transform, suitability
from siting.screen import (
    SCREEN_ONLY_WEIGHTS,
    SPEC_TO_COUNTY,
    UNMAPPED_REASONS,
    read_national,
    rescaled_weights,
    score_counties,
    screen_rules,
    transforms_for,
)
from siting.spec import CampusSpec, Transform

log = logging.getLogger(__name__)

CRS = "EPSG:5070"
#: Cells per side of the output raster's tiles; chunks are whole numbers of tiles, so every
#: tile is written once, by one block. [-]
TILE_CELLS = 256
#: The grid-distance layers measured against the generated network, and their functions.
SYNTHETIC_LAYERS = {
    "line_distance_km": line_distance_km,
    "substation_distance_km": substation_distance_km,
}
#: Spec weight → the layers that stand for it, sharing its weight equally.
SPEC_TO_LAYERS = {
    **{name: (county,) for name, county in SPEC_TO_COUNTY.items()},
    "connection_cost_musd": tuple(SYNTHETIC_LAYERS),
}
#: The sentence that labels the SYNTHETIC layers in every output.
LABEL_NOTE = (
    f"{LABEL}: line_distance_km and substation_distance_km are measured against a generated, "
    "fixed-seed network of random straight segments (no national transmission data is "
    "bundled); they are a computing workload, not data about any place"
)
_LAYER_SCHEMAS = {s.name: s for layer in REGISTRY for s in layer.indicators}


@dataclass(frozen=True, kw_only=True)
class NationalInputs:
    """Everything a block of the national score needs, read once.

    ``county_values`` holds one row per county and one more, last, for cells outside every
    county (all NaN); ``county_factor`` is the score multiplier of each county's rules (NaN
    where a rule excludes it, and outside every county).
    """

    grid: Grid
    weights: Mapping[str, float]
    transforms: Mapping[str, Transform]
    county_fips: tuple[str, ...]
    county_geoms: tuple
    county_bounds_m: np.ndarray
    county_layers: tuple[str, ...]
    county_values: np.ndarray
    county_factor: np.ndarray
    network: SyntheticNetwork
    distance_cap_km: float
    weight_notes: tuple[str, ...]
    rule_notes: tuple[str, ...]
    county_table: pd.DataFrame
    spec: CampusSpec
    files: Mapping[str, Path]


# ------------------------------------------------------------------------------------------
# inputs
# ------------------------------------------------------------------------------------------


def national_weights(spec: CampusSpec) -> tuple[dict[str, float], tuple[str, ...]]:
    """Layer weights from the spec, and a note per spec weight saying where it went.

    Spec weights of :data:`SPEC_TO_LAYERS` are split equally over their layers and rescaled to
    fill 1 − Σ :data:`siting.screen.SCREEN_ONLY_WEIGHTS`, as in the county screen, except that
    ``connection_cost_musd`` goes to the SYNTHETIC grid distances rather than to nearby
    generation; the others are left out (:data:`siting.screen.UNMAPPED_REASONS`).
    """
    mapped: dict[str, float] = {}
    notes = []
    for name, w in spec.weights.items():
        targets = SPEC_TO_LAYERS.get(name, ())
        for layer in targets:
            mapped[layer] = mapped.get(layer, 0.0) + w / len(targets)
        where = (
            ", ".join(targets)
            if targets
            else "not scored: " + UNMAPPED_REASONS.get(name, "no national data for it")
        )
        synthetic = " (SYNTHETIC)" if set(targets) & set(SYNTHETIC_LAYERS) else ""
        notes.append(f"{name} {w:.3f} → {where}{synthetic}")
    weights = rescaled_weights(mapped, spec, kind="national layer", choices=SPEC_TO_LAYERS)
    notes += [
        f"{n} {w:.3f}: screen weight, not in the spec" for n, w in SCREEN_ONLY_WEIGHTS.items()
    ]
    return weights, tuple(notes)


def national_transforms(spec: CampusSpec) -> dict[str, Transform]:
    """The county screen's transforms (:func:`siting.screen.transforms_for`), and for the
    SYNTHETIC distances the spec's entry or the gridded run's default (0 km best; 30 km worst
    for lines, 40 km for substations)."""
    out = transforms_for(spec)
    for name in SYNTHETIC_LAYERS:
        out[name] = spec.transforms.get(name) or default_transform(_LAYER_SCHEMAS[name])
    return out


def conus_grid(shapes: gpd.GeoDataFrame, *, resolution_m: float) -> Grid:
    """The grid of ``resolution_m`` cells covering every county, snapped to the cell size."""
    if not resolution_m > 0:
        raise SpecError(f"--resolution-m must be positive, got {resolution_m!r}")
    return Grid.covering(tuple(shapes.total_bounds), crs=CRS, resolution_m=resolution_m)


def county_shapes(shapes_geojson: str, fips: pd.Index, *, path: Path) -> gpd.GeoDataFrame:
    """County outlines in EPSG:5070, in the order of ``fips``; a county without one is an
    error."""
    features = json.loads(shapes_geojson)["features"]
    shapes = gpd.GeoDataFrame.from_features(features, crs="EPSG:4326").to_crs(CRS)
    shapes = shapes.set_index("fips")
    missing = fips.difference(shapes.index)
    if len(missing):
        raise DataError(
            f"{path}: no outline for counties {list(missing[:5])} of the county table; "
            "rebuild the national bundle with `python siting/data/build_national.py`"
        )
    return shapes.loc[fips]


def national_inputs(
    spec: CampusSpec,
    *,
    resolution_m: float = 1000.0,
    data_dir: Path | None = None,
) -> NationalInputs:
    """Read the national bundle and prepare what every block of the score needs."""
    from siting.screen import county_table

    data = read_national(data_dir)
    table = county_table(data, spec)
    shapes = county_shapes(data.shapes_geojson, table.index, path=data.files["shapes"])
    grid = conus_grid(shapes, resolution_m=resolution_m)
    weights, weight_notes = national_weights(spec)
    transforms = national_transforms(spec)
    rules, skipped = screen_rules(spec, list(table.columns))
    county_weights = {k: w for k, w in weights.items() if k not in SYNTHETIC_LAYERS}
    scored = score_counties(table, county_weights, transforms, rules=rules)
    factor = np.where(scored["excluded"] != "", np.nan, scored["penalty_factor"])
    layers = tuple(county_weights)
    values = table[list(layers)].to_numpy(dtype=np.float32)
    return NationalInputs(
        grid=grid,
        weights=weights,
        transforms=transforms,
        county_fips=tuple(table.index),
        county_geoms=tuple(shapes.geometry),
        county_bounds_m=shapes.geometry.bounds.to_numpy(),
        county_layers=layers,
        county_values=np.vstack([values, np.full((1, len(layers)), np.nan, np.float32)]),
        county_factor=np.append(factor, np.nan).astype(np.float32),
        network=synthetic_network(tuple(shapes.total_bounds)),
        distance_cap_km=float(spec.interconnection.search_radius_km),
        weight_notes=weight_notes,
        rule_notes=tuple(f"{r.name}: applied ({r.mode})" for r in rules) + skipped,
        county_table=table,
        spec=spec,
        files=data.files,
    )


# ------------------------------------------------------------------------------------------
# layers of a window
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Window:
    """Rows and columns ``[row0, row0 + rows) × [col0, col0 + cols)`` of the run's grid."""

    row0: int
    col0: int
    rows: int
    cols: int


def lattice_origin(grid: Grid, window: Window) -> tuple[int, int]:
    """Global lattice ``(row, col)`` of the window's upper-left cell (cell size multiples)."""
    res = grid.resolution_m
    return (round(-grid.bounds[3] / res) + window.row0, round(grid.bounds[0] / res) + window.col0)


def county_index(inputs: NationalInputs, window: Window) -> np.ndarray:
    """Index of the county holding each cell centre of ``window``; outside every county, the
    number of counties (the NaN row of ``county_values``). int32."""
    grid = inputs.grid
    transform = grid.transform * rasterio.transform.Affine.translation(window.col0, window.row0)
    xmin, ymax = transform * (0, 0)
    xmax, ymin = transform * (window.cols, window.rows)
    b = inputs.county_bounds_m
    near = np.flatnonzero(
        (b[:, 2] >= xmin) & (b[:, 0] <= xmax) & (b[:, 3] >= ymin) & (b[:, 1] <= ymax)
    )
    outside = len(inputs.county_fips)
    if near.size == 0:
        return np.full((window.rows, window.cols), outside, dtype=np.int32)
    return rasterio.features.rasterize(
        ((inputs.county_geoms[i], int(i)) for i in near),
        out_shape=(window.rows, window.cols),
        transform=transform,
        fill=outside,
        dtype="int32",
    )


def window_values(
    inputs: NationalInputs, window: Window, index: np.ndarray
) -> dict[str, np.ndarray]:
    """Raw value of every weighted layer on ``window``, in its units; UNKNOWN is NaN."""
    values = {
        name: np.take(inputs.county_values[:, k], index)
        for k, name in enumerate(inputs.county_layers)
    }
    origin = lattice_origin(inputs.grid, window)
    for name, distance in SYNTHETIC_LAYERS.items():
        if name in inputs.weights:
            values[name] = distance(
                inputs.network,
                origin=origin,
                shape=(window.rows, window.cols),
                resolution_m=inputs.grid.resolution_m,
                cap_km=inputs.distance_cap_km,
            )
    return values


def window_score(inputs: NationalInputs, window: Window) -> tuple[np.ndarray, np.ndarray]:
    """Score (float32, NaN where excluded or outside CONUS) and county index of ``window``."""
    index = county_index(inputs, window)
    values = window_values(inputs, window, index)
    suits = []
    for name in inputs.weights:
        s = suitability(values.pop(name), inputs.transforms[name])
        suits.append(np.nan_to_num(s, nan=0.0, copy=False))
    score = np.empty(index.shape, dtype=np.float32)
    weighted_sum_into(score, suits, np.array(list(inputs.weights.values())))
    score *= np.take(inputs.county_factor, index)
    return score, index


def _block(template: np.ndarray, inputs: NationalInputs, block_info=None) -> np.ndarray:
    """One chunk: score and county index (as float32) stacked on a new first axis."""
    (r0, r1), (c0, c1) = block_info[0]["array-location"]
    score, index = window_score(inputs, Window(row0=r0, col0=c0, rows=r1 - r0, cols=c1 - c0))
    return np.stack([score, index.astype(np.float32)])


def national_score(inputs: NationalInputs, *, chunk_cells: int) -> da.Array:
    """The national score as a lazy dask array of shape ``(2, rows, cols)``: band 0 the score
    [0-1], band 1 the county index; one task per ``chunk_cells`` × ``chunk_cells`` block."""
    if chunk_cells < TILE_CELLS or chunk_cells % TILE_CELLS:
        raise SpecError(
            f"--chunk-cells must be a positive multiple of {TILE_CELLS}, got {chunk_cells}"
        )
    template = da.empty(inputs.grid.shape, chunks=chunk_cells, dtype=np.float32)
    shared = dask.delayed(inputs, pure=True, traverse=False)
    return da.map_blocks(
        _block,
        template,
        shared,
        new_axis=0,
        chunks=((2,), *template.chunks),
        dtype=np.float32,
        meta=np.empty((0, 0, 0), dtype=np.float32),
    )


# ------------------------------------------------------------------------------------------
# computing blocks
# ------------------------------------------------------------------------------------------


def computed_blocks(
    stack: da.Array, *, scheduler: str | None, in_flight: int
) -> Iterator[tuple[Window, np.ndarray, np.ndarray]]:
    """Compute the blocks of ``stack`` in row-major order, ``in_flight`` at a time, by the local
    threaded scheduler or by the ``dask.distributed`` scheduler at ``scheduler``; yield each
    block's window, score and county index."""
    blocks = stack.to_delayed().ravel()
    starts = [np.cumsum((0, *c))[:-1] for c in stack.chunks[1:]]
    keys = [(i, j) for i in range(len(starts[0])) for j in range(len(starts[1]))]
    client = _client(scheduler)
    try:
        for first in range(0, len(blocks), in_flight):
            batch = list(blocks[first : first + in_flight])
            if client is None:
                results = dask.compute(*batch, scheduler="threads")
            else:
                results = client.gather(client.compute(batch))
            for (i, j), result in zip(keys[first : first + in_flight], results, strict=True):
                window = Window(
                    row0=int(starts[0][i]),
                    col0=int(starts[1][j]),
                    rows=result.shape[1],
                    cols=result.shape[2],
                )
                yield window, result[0], result[1].astype(np.int32)
    finally:
        if client is not None:
            client.close()


def _client(scheduler: str | None):
    if scheduler is None:
        return None
    from distributed import Client

    try:
        return Client(scheduler, timeout="10s")
    except OSError as err:
        raise SpecError(
            f"--scheduler {scheduler}: cannot connect ({err}); give the address of a running "
            "dask scheduler, e.g. tcp://127.0.0.1:8786"
        ) from None


def county_best(score: np.ndarray, index: np.ndarray, flat: np.ndarray) -> pd.DataFrame:
    """Each county's best cell of a block: highest score, then lowest global cell number."""
    ok = np.isfinite(score)
    s, c, f = score[ok], index[ok], flat[ok]
    order = np.lexsort((f, -s, c))
    _, first = np.unique(c[order], return_index=True)
    pick = order[first]
    return pd.DataFrame({"county": c[pick], "score": s[pick], "cell": f[pick]})


def top_cells(candidates: pd.DataFrame, *, top_n: int) -> pd.DataFrame:
    """The best cell of each county reduced over blocks, then the ``top_n`` best counties."""
    best = candidates.sort_values(["score", "cell"], ascending=[False, True], kind="mergesort")
    return best.drop_duplicates("county").head(top_n).reset_index(drop=True)


# ------------------------------------------------------------------------------------------
# the run
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class NationalResult:
    """A finished national run: the top cells, the output folder and what the run did."""

    top: pd.DataFrame
    out_dir: Path
    grid: Grid
    chunk_cells: int
    scheduler: str
    seconds: float
    synthetic_layers: tuple[str, ...]


def run_national(
    inputs: NationalInputs,
    *,
    out_dir: Path,
    chunk_cells: int = 2048,
    scheduler: str | None = None,
    top_n: int = 25,
) -> NationalResult:
    """Score ``inputs.grid`` chunk by chunk and write ``score.tif``, ``top_cells.csv``,
    ``manifest.json`` and ``report.md`` into the new folder ``out_dir``."""
    from siting.national_outputs import write_national

    if top_n < 1:
        raise SpecError(f"--top must be at least 1, got {top_n}")
    check_output_dir(out_dir)
    start = time.perf_counter()
    stack = national_score(inputs, chunk_cells=chunk_cells)
    in_flight = 2 * (os.cpu_count() or 1)
    blocks = computed_blocks(stack, scheduler=scheduler, in_flight=in_flight)
    top = write_national(
        out_dir,
        inputs,
        blocks,
        chunk_cells=chunk_cells,
        top_n=top_n,
        scheduler=scheduler or "threads",
    )
    return NationalResult(
        top=top,
        out_dir=out_dir,
        grid=inputs.grid,
        chunk_cells=chunk_cells,
        scheduler=scheduler or "threads",
        seconds=time.perf_counter() - start,
        synthetic_layers=synthetic_layers(inputs),
    )


def synthetic_layers(inputs: NationalInputs) -> tuple[str, ...]:
    """The weighted layers measured against the generated network."""
    return tuple(name for name in SYNTHETIC_LAYERS if name in inputs.weights)


def national(
    spec: CampusSpec,
    *,
    out_dir: Path,
    resolution_m: float = 1000.0,
    chunk_cells: int = 2048,
    scheduler: str | None = None,
    data_dir: Path | None = None,
    top_n: int = 25,
) -> NationalResult:
    """The ``siting national`` command: read the bundle, then :func:`run_national`."""
    check_output_dir(out_dir)
    if not resolution_m > 0 or not math.isfinite(resolution_m):
        raise SpecError(f"--resolution-m must be a positive number of metres, got {resolution_m}")
    inputs = national_inputs(spec, resolution_m=resolution_m, data_dir=data_dir)
    log.info("national grid %s cells at %g m", inputs.grid.shape, resolution_m)
    return run_national(
        inputs, out_dir=out_dir, chunk_cells=chunk_cells, scheduler=scheduler, top_n=top_n
    )
