"""The run folder's re-scoring rasters: what ``siting rescore`` reads instead of the layers.

``suitability.tif`` holds the suitability of each weighted indicator; ``rescore.tif`` that of
every other indicator a spec may weight (``suit_<name>``), the exclusion mask (``excluded``, 1
where no campus may go) and the share of the score the penalty rules keep (``score_factor``);
``indicators.tif`` every indicator's raw value on the grid, for the site table and the per-site
models of re-ranked sites. Each is written once, by the run.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import rasterio

from siting import report
from siting.grid import Grid

SURFACES_FILE = "rescore.tif"
SUITABILITY_FILE = "suitability.tif"
INDICATORS_FILE = "indicators.tif"
SUIT_PREFIX = "suit_"


def write_surfaces(
    folder: Path,
    *,
    suitabilities: Mapping[str, np.ndarray],
    excluded: np.ndarray,
    score_factor: np.ndarray,
    grid: Grid,
) -> None:
    """Write ``rescore.tif``: one band per unweighted scored indicator's suitability [0-1],
    then the exclusion mask [0/1] and the score factor [0-1]."""
    bands = {f"{SUIT_PREFIX}{n}": s for n, s in suitabilities.items()}
    bands |= {"excluded": excluded.astype(np.float32), "score_factor": score_factor}
    units = {n: "0-1" for n in bands}
    report.write_tiled_raster(folder / SURFACES_FILE, bands, grid, units=units)


def write_indicators(
    folder: Path, indicators: Mapping[str, np.ndarray], grid: Grid, *, units: Mapping[str, str]
) -> None:
    """Write ``indicators.tif``: one band per indicator, in its own units (float32)."""
    report.write_tiled_raster(folder / INDICATORS_FILE, dict(indicators), grid, units=units)


def read_bands(path: Path) -> dict[str, np.ndarray]:
    """Every band of a run raster by its description, read once as float32."""
    with rasterio.open(path) as src:
        stack = src.read(out_dtype=np.float32)
        return dict(zip(src.descriptions, stack, strict=True))
