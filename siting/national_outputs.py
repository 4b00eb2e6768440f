"""Outputs of the national raster run: the score GeoTIFF written window by window, the top-cells
table, the manifest and the report, all through a staging folder."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd
import rasterio
import rasterio.windows
from pyproj import Transformer

from siting import __version__
from siting.bundle import sha256
from siting.national import (
    LABEL_NOTE,
    TILE_CELLS,
    NationalInputs,
    Window,
    county_best,
    county_index,
    synthetic_layers,
    top_cells,
    window_values,
)
from siting.national_synthetic import LABEL, N_SEGMENTS
from siting.report import staged_dir, write_atomic_text
from siting.screen import INDICATORS, column_dictionary

#: The files of a national run folder beside its manifest.
OUTPUTS = ("score.tif", "top_cells.csv", "top_cells_columns.csv", "report.md")
#: Columns of ``top_cells.csv`` that are the cell's place: (units, source, meaning).
PLACE_COLUMNS = {
    "row": ("-", "this run", "row of the cell in the CONUS grid"),
    "col": ("-", "this run", "column of the cell in the CONUS grid"),
    "x_m": ("m (EPSG:5070)", "this run", "easting of the cell centre"),
    "y_m": ("m (EPSG:5070)", "this run", "northing of the cell centre"),
    "lon_deg": ("degrees (EPSG:4326)", "this run", "longitude of the cell centre"),
    "lat_deg": ("degrees (EPSG:4326)", "this run", "latitude of the cell centre"),
}

#: GDAL's block cache while writing: small, so that written tiles leave memory. [MB]
GDAL_CACHE_MB = 64


def score_profile(inputs: NationalInputs) -> dict:
    """Creation options of ``score.tif``: one float32 band, tiled, zstd, NaN as no data."""
    rows, cols = inputs.grid.shape
    return {
        "driver": "GTiff",
        "width": cols,
        "height": rows,
        "count": 1,
        "dtype": "float32",
        "crs": inputs.grid.crs,
        "transform": inputs.grid.transform,
        "nodata": np.nan,
        "tiled": True,
        "blockxsize": TILE_CELLS,
        "blockysize": TILE_CELLS,
        "compress": "zstd",
        "predictor": 3,
        "BIGTIFF": "IF_SAFER",
    }


def score_tags(inputs: NationalInputs) -> dict[str, str]:
    """Tags of ``score.tif``: what the band holds and which layers are SYNTHETIC."""
    return {
        "name": "score",
        "units": "0-1",
        "synthetic_layers": ",".join(synthetic_layers(inputs)),
        "synthetic_note": LABEL_NOTE,
        "spec": str(inputs.spec.source),
        "tool": f"siting {__version__}",
    }


def write_national(
    out_dir: Path,
    inputs: NationalInputs,
    blocks: Iterable[tuple[Window, np.ndarray, np.ndarray]],
    *,
    chunk_cells: int,
    top_n: int,
    scheduler: str,
) -> pd.DataFrame:
    """Store each computed block of ``blocks`` into ``score.tif`` as it arrives, reduce the
    blocks' best cells to the top ``top_n``, and write the table, manifest and report."""
    cols = inputs.grid.shape[1]
    candidates = []
    with staged_dir(out_dir) as stage:
        with (
            rasterio.Env(GDAL_CACHEMAX=GDAL_CACHE_MB),
            rasterio.open(stage / "score.tif", "w", **score_profile(inputs)) as dst,
        ):
            dst.update_tags(**score_tags(inputs))
            dst.set_band_description(1, "score (0-1); includes SYNTHETIC grid distances")
            for window, score, index in blocks:
                rows_i = np.arange(window.rows, dtype=np.int64)[:, None] + window.row0
                flat = rows_i * cols + (np.arange(window.cols) + window.col0)
                candidates.append(county_best(score, index, flat))
                dst.write(score, 1, window=_rio_window(window))
        top = top_table(inputs, top_cells(pd.concat(candidates), top_n=top_n))
        top.to_csv(stage / "top_cells.csv", index=False, float_format="%.6g", lineterminator="\n")
        top_columns(top.columns, inputs).to_csv(
            stage / "top_cells_columns.csv", index=False, lineterminator="\n"
        )
        write_atomic_text(stage / "report.md", national_markdown(inputs, top, chunk_cells))
        manifest = national_manifest(
            inputs,
            chunk_cells=chunk_cells,
            scheduler=scheduler,
            outputs={name: sha256(stage / name) for name in OUTPUTS},
        )
        write_atomic_text(
            stage / "manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False)
        )
    return top


def _rio_window(window: Window) -> rasterio.windows.Window:
    return rasterio.windows.Window(window.col0, window.row0, window.cols, window.rows)


def top_table(inputs: NationalInputs, best: pd.DataFrame) -> pd.DataFrame:
    """The best cells with their county, position and the raw value of every weighted layer
    there (SYNTHETIC layers' columns are suffixed ``_synthetic``)."""
    grid = inputs.grid
    rows, cols = np.divmod(best["cell"].to_numpy(dtype=np.int64), grid.shape[1])
    x_m = grid.bounds[0] + (cols + 0.5) * grid.resolution_m
    y_m = grid.bounds[3] - (rows + 0.5) * grid.resolution_m
    lon, lat = Transformer.from_crs(grid.crs, "EPSG:4326", always_xy=True).transform(x_m, y_m)
    table = inputs.county_table
    fips = [inputs.county_fips[i] for i in best["county"]]
    out = pd.DataFrame(
        {
            "rank": np.arange(1, len(best) + 1),
            "fips": fips,
            "county_name": table.loc[fips, "county_name"].to_numpy(),
            "state_abbr": table.loc[fips, "state_abbr"].to_numpy(),
            "score": best["score"].to_numpy(),
            "row": rows,
            "col": cols,
            "x_m": x_m,
            "y_m": y_m,
            "lon_deg": lon,
            "lat_deg": lat,
        }
    )
    synthetic = set(synthetic_layers(inputs))
    for k, (r, c) in enumerate(zip(rows, cols, strict=True)):
        cell = Window(row0=int(r), col0=int(c), rows=1, cols=1)
        for name, value in window_values(inputs, cell, county_index(inputs, cell)).items():
            column = f"{name}_{LABEL.lower()}" if name in synthetic else name
            out.loc[k, column] = float(value[0, 0])
    return out


def top_columns(columns: Iterable[str], inputs: NationalInputs) -> pd.DataFrame:
    """``top_cells_columns.csv``: every column's units, data tag, PROXY or SYNTHETIC label,
    source and meaning; the county layers as the county screen describes them."""
    suffix = f"_{LABEL.lower()}"
    records = []
    for column in columns:
        if column in PLACE_COLUMNS:
            units, source, what = PLACE_COLUMNS[column]
            records.append(_column(column, units, "", "", source, what))
        elif column.endswith(suffix):
            name = column.removesuffix(suffix)
            records.append(
                _column(
                    column,
                    "km",
                    "synthetic",
                    LABEL,
                    f"generated network, {N_SEGMENTS} segments, seed {inputs.network.seed}",
                    f"{name}, measured against the generated network: not data about any place",
                )
            )
        else:
            record = column_dictionary([column], inputs.weights).iloc[0].to_dict()
            # the screen's "PROXY for <weight>" labels follow its weight mapping, not this run's
            record["proxy"] = "PROXY" if record["tag"] == "proxy" else ""
            record["source"] = record["source"].replace("this screen", "this run")
            records.append(record)
    return pd.DataFrame(records)


def _column(column, units, tag, label, source, what) -> dict[str, str]:
    return {
        "column": column,
        "units": units,
        "tag": tag,
        "proxy": label,
        "source": source,
        "description": what,
    }


def national_manifest(
    inputs: NationalInputs, *, chunk_cells: int, scheduler: str, outputs: dict[str, str]
) -> dict:
    """``manifest.json``: spec, grid, chunking, weights, SYNTHETIC layers, input and output
    checksums."""
    grid = inputs.grid
    return {
        "tool": f"siting {__version__}",
        "command": "national",
        "created_utc": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "spec_source": str(inputs.spec.source),
        "spec_name": inputs.spec.name,
        "grid": {
            "crs": grid.crs,
            "bounds_m": list(grid.bounds),
            "resolution_m": grid.resolution_m,
            "shape": list(grid.shape),
        },
        "chunking": {"chunk_cells": chunk_cells, "tile_cells": TILE_CELLS, "scheduler": scheduler},
        "weights": dict(inputs.weights),
        "weight_notes": list(inputs.weight_notes),
        "rules": list(inputs.rule_notes),
        "synthetic_layers": {
            name: {
                "label": LABEL,
                "generator": "siting.national_synthetic.synthetic_network",
                "seed": inputs.network.seed,
                "segments": N_SEGMENTS,
                "distance_cap_km": inputs.distance_cap_km,
            }
            for name in synthetic_layers(inputs)
        },
        "inputs": {role: {"path": str(p), "sha256": sha256(p)} for role, p in inputs.files.items()},
        "outputs": {name: {"sha256": digest} for name, digest in outputs.items()},
    }


def national_markdown(inputs: NationalInputs, top: pd.DataFrame, chunk_cells: int) -> str:
    """``report.md``: the grid, the SYNTHETIC layers, the weights and the best cells."""
    grid = inputs.grid
    rows, cols = grid.shape
    lines = [
        f"# National raster run: {inputs.spec.name}",
        "",
        f"CONUS grid {rows} × {cols} cells of {grid.resolution_m:g} m ({grid.crs}), scored in "
        f"chunks of {chunk_cells} cells. A screen of cells, not a siting.",
        "",
        f"**{LABEL_NOTE}.**",
        "",
        "## Weights",
        "",
        *[f"- {note}" for note in inputs.weight_notes],
        "",
        "## Rules",
        "",
        *[f"- {note}" for note in inputs.rule_notes],
        "",
        "## Proxies",
        "",
        *[
            f"- **{s.name}** (PROXY): {s.title}"
            for s in INDICATORS
            if s.tag == "proxy" and s.name in inputs.weights
        ],
        "",
        "`top_cells_columns.csv` gives every column's units, source and label.",
        "",
        "UNKNOWN values contribute nothing to a score (never a favourable default). Cells "
        "outside every county and cells of an excluded county have no score.",
        "",
        f"## Best cell of the top {len(top)} counties",
        "",
        "| rank | county | state | score | lon | lat |",
        "|---|---|---|---|---|---|",
    ]
    for row in top.itertuples():
        lines.append(
            f"| {row.rank} | {row.county_name} | {row.state_abbr} | {row.score:.3f} | "
            f"{row.lon_deg:.3f} | {row.lat_deg:.3f} |"
        )
    return "\n".join(lines) + "\n"
