"""Re-score a finished run with other weights, without recomputing any layer.

A run folder holds the suitability of every indicator a spec may weight (``suitability.tif``
and ``rescore.tif``), the exclusion mask and the penalty factor (``rescore.tif``), and every
indicator's raw values (``indicators.tif``); see :mod:`siting.surfaces`.
:func:`rescore` sums the saved suitabilities with new weights into one float32 buffer, by the
same :func:`siting.models.weighted_sum.weighted_sum_into` the run and its robustness draws use;
:func:`rescore_run` re-locates the regions with the run's own search, rebuilds the site table,
runs the per-site models on the new sites and writes a complete run folder.
"""

from __future__ import annotations

import dataclasses
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import xarray as xr

from layers import indicator_schemas
from siting import manifest as run_manifest
from siting import report
from siting.assessments.base import SiteContext
from siting.bundle import open_bundle
from siting.errors import DataFileNotFound, SpecError
from siting.exclude import apply_exclusions
from siting.grid import Grid
from siting.inputs import read_inputs
from siting.models.apportion import tract_extent
from siting.models.weighted_sum import weighted_sum_into
from siting.pipeline import (
    Progress,
    RunResult,
    _Clock,
    assess_sites,
    find_regions,
    rank_robustness,
    rule_data,
    spec_steps,
    unchecked_rules,
    with_real_data_weights,
    write_run,
)
from siting.regions import RegionSearch
from siting.rerun import read_manifest, recorded_spec
from siting.site_table import site_table
from siting.sources.files import read_vector
from siting.spec import CampusSpec
from siting.surfaces import (
    INDICATORS_FILE,
    SUIT_PREFIX,
    SUITABILITY_FILE,
    SURFACES_FILE,
    read_bands,
)


@dataclass(frozen=True, kw_only=True)
class Surfaces:
    """A run's saved scoring surfaces, read once.

    ``names`` are the indicators a spec may weight; ``suitability`` their suitabilities, shape
    (indicators, rows, cols), unknown values 0 [0-1]; ``unknown`` where each is unknown;
    ``excluded`` where no campus may go; ``score_factor`` the share of the score the penalty
    rules keep [0-1]; ``grid`` the run's grid.
    """

    names: tuple[str, ...]
    suitability: np.ndarray
    unknown: np.ndarray
    excluded: np.ndarray
    score_factor: np.ndarray
    grid: Grid

    def with_unknown(self, name: str) -> np.ndarray:
        """The suitability of ``name`` with unknown values NaN, as the run computed it. [0-1]"""
        k = self.names.index(name)
        return np.where(self.unknown[k], np.float32(np.nan), self.suitability[k])


def load_surfaces(run_dir: Path) -> Surfaces:
    """The saved surfaces of the run folder ``run_dir``, read once.

    Raises
    ------
    DataFileNotFound, DataError
        No manifest, or a run written before ``rescore.tif`` was saved.
    """
    run_dir = Path(run_dir)
    manifest = read_manifest(run_dir)
    path = run_dir / SURFACES_FILE
    if not path.is_file():
        raise DataFileNotFound(
            f"{run_dir}: no {SURFACES_FILE}; the run predates re-scoring: run it again with "
            "siting rerun, then re-score the new run"
        )
    bands = read_bands(run_dir / SUITABILITY_FILE) | read_bands(path)
    names = tuple(n.removeprefix(SUIT_PREFIX) for n in bands if n.startswith(SUIT_PREFIX))
    stack = np.stack([bands[SUIT_PREFIX + n] for n in names])
    unknown = np.isnan(stack)
    stack[unknown] = 0.0
    return Surfaces(
        names=names,
        suitability=stack,
        unknown=unknown,
        excluded=bands["excluded"] > 0.5,
        score_factor=bands["score_factor"],
        grid=_grid(manifest["grid"]),
    )


def check_weights(
    weights: Mapping[str, float], known: tuple[str, ...], *, where: str
) -> dict[str, float]:
    """Weights as a spec's ``[weights]`` must be: known indicators, each in [0, 1], summing
    to 1.

    Raises
    ------
    SpecError
        Naming the first fault, what was given and what is allowed.
    """
    if not weights:
        raise SpecError(f"{where}: no weights given; give indicator=weight pairs")
    out = {}
    for name, weight in weights.items():
        if name not in known:
            raise SpecError(
                f"{where}: weight for unknown indicator {name!r}; scored indicators: "
                f"{sorted(known)}"
            )
        if not isinstance(weight, int | float) or not 0.0 <= weight <= 1.0:
            raise SpecError(f"{where}: weight of {name!r} must be in [0, 1], got {weight!r}")
        out[name] = float(weight)
    total = math.fsum(out.values())
    if abs(total - 1.0) > 1e-6:
        raise SpecError(f"{where}: weights must sum to 1, got {total:.3f} ({out})")
    return out


def parse_weights(text: str) -> dict[str, float]:
    """``"a=0.3,b=0.7"`` as ``{"a": 0.3, "b": 0.7}``.

    >>> parse_weights("connection_cost_musd=0.6, svi_overall_pct=0.4")
    {'connection_cost_musd': 0.6, 'svi_overall_pct': 0.4}
    """
    out = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, sep, value = part.partition("=")
        try:
            out[name.strip()] = float(value)
        except ValueError:
            sep = ""
        if not sep or not name.strip():
            raise SpecError(f"--weights: expected indicator=weight, got {part!r}")
    return out


def weights_file(path: Path) -> dict[str, float]:
    """The ``[weights]`` table of the TOML file at ``path``."""
    try:
        table = tomllib.loads(Path(path).read_text(encoding="utf-8")).get("weights")
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise SpecError(f"{path}: cannot read a [weights] table ({err})") from None
    if not isinstance(table, dict):
        raise SpecError(f"{path}: no [weights] table of indicator = weight")
    return table


def rescore(
    surfaces: Surfaces, weights: Mapping[str, float], *, out: np.ndarray | None = None
) -> np.ndarray:
    """The score surface for ``weights``: factor × Σ_k w_k s_k, NaN where excluded, computed
    in place in ``out`` (one float32 buffer of the grid's shape; allocated when not given).

    The same weights give the bits of the run's own ``score.tif``. [0-1]
    """
    weights = check_weights(weights, surfaces.names, where="rescore")
    out = np.empty(surfaces.grid.shape, dtype=np.float32) if out is None else out
    _weighted(surfaces, weights, out)
    out *= surfaces.score_factor
    out[surfaces.excluded] = np.nan
    return out


def relocate(surfaces: Surfaces, weights: Mapping[str, float], spec: CampusSpec) -> RegionSearch:
    """The regions the run's own search finds on the score for ``weights``."""
    return find_regions(rescore(surfaces, weights), surfaces.grid, spec)


def rescore_run(
    run_dir: Path,
    weights: Mapping[str, float],
    *,
    out_dir: Path | None = None,
    maps_dir: Path = Path("maps"),
    progress: Progress | None = None,
) -> RunResult:
    """Re-score the run in ``run_dir`` with ``weights`` and write a complete new run folder.

    The layers are not recomputed: the scores come from the saved surfaces, the site values
    from the saved indicators; the inputs are read once for the exclusion flags, the per-site
    models and the report. The manifest's ``rescored_from`` records the parent run and the
    weights as ``[name, weight]`` pairs in the order given, the order they are summed in (so
    ``siting rerun`` of the new folder runs the parent's spec with them). The weights are
    summed in the order given, as a spec's ``[weights]`` are: a fresh run whose spec lists
    the same weights in the same order writes the same outputs.

    Raises
    ------
    SpecError
        Unknown indicator, a weight outside [0, 1] or weights not summing to 1 (nothing is
        written).
    """
    run_dir = Path(run_dir)
    manifest = read_manifest(run_dir)
    if manifest.get("candidates_file"):
        raise SpecError(
            f"{run_dir}: a run of your own candidate sites is re-scored by running it again "
            "with the new weights (siting run --candidates); rescore re-locates regions"
        )
    surfaces = load_surfaces(run_dir)
    weights = check_weights(weights, surfaces.names, where="--weights")
    parent_spec, _notes = recorded_spec(manifest)
    spec = dataclasses.replace(parent_spec, weights=weights)
    layers, models = spec_steps(spec)
    schemas = indicator_schemas(layers)
    bundle = open_bundle(spec.region.bundle, Path(manifest["bundle"]["catalogue"]).parent)
    run_id = run_manifest.make_run_id(spec, bundle)
    out_dir = out_dir or Path("out") / run_id
    report.check_output_dir(out_dir)
    report.check_maps_dir(maps_dir)
    report.check_map_paths(maps_dir / f"{run_id}.html", maps_dir / f"{run_id}-community.html")
    clock = _Clock(progress)
    clock.step("inputs")
    inputs, weight_notes = with_real_data_weights(read_inputs(bundle, spec))
    spec = inputs.spec
    indicators = _indicators(run_dir, inputs.grid, manifest.get("attrs", {}))
    clock.step("exclusions")
    exclusions = apply_exclusions(
        spec.exclusions,
        inputs.grid,
        unchecked=unchecked_rules(spec, inputs, indicators),
        study_area=inputs.study_mask,
        data=rule_data(inputs, indicators),
    )
    clock.step("score")
    score = rescore(surfaces, spec.weights)
    unpenalised = _weighted(surfaces, spec.weights, np.empty_like(score))
    unpenalised[surfaces.excluded] = np.nan
    suits = {n: surfaces.with_unknown(n) for n in spec.weights}
    clock.step("regions")
    search = find_regions(score, inputs.grid, spec)
    clock.step("sites")
    sites, rank_labels = site_table(
        search.labels,
        inputs.grid,
        counties=inputs.counties,
        study_area=inputs.study_area,
        indicators={n: a.to_numpy() for n, a in indicators.items()},
        suitabilities=suits,
        weights=spec.weights,
        score=score,
        unpenalised=unpenalised,
        flags=exclusions.flags,
        schemas=schemas,
    )
    models = models if len(sites) else ()
    clock.step("assess", parts=len(models))
    context = SiteContext(
        inputs=inputs,
        indicators=indicators,
        labels=rank_labels,
        tract_extent=tract_extent(inputs.tracts),
    )
    sites, assessments = assess_sites(sites, context, models, clock=clock)
    clock.step("robustness")
    sites, assessments = rank_robustness(sites, assessments, spec)
    return write_run(
        run_id=run_id,
        out_dir=out_dir,
        map_path=maps_dir / f"{run_id}.html",
        inputs=inputs,
        layers=layers,
        schemas=schemas,
        indicators=indicators,
        exclusions=exclusions,
        search=search,
        suits=suits,
        score=score,
        sites=sites,
        assessments=assessments,
        clock=clock,
        weight_notes=weight_notes,
        rescored_from={
            "run_id": manifest.get("run_id"),
            "run_dir": str(run_dir.resolve()),
            "weights": [[name, weight] for name, weight in weights.items()],
        },
    )


def rank_moves(
    old_sites: gpd.GeoDataFrame, new_sites: gpd.GeoDataFrame, *, top_n: int
) -> pd.DataFrame:
    """Where each of the old best ``top_n`` sites went: the new site covering most of its land.

    Returns one row per old site: ``old_rank``, ``site_id``, ``new_rank`` and ``new_site_id``
    of the new site with the largest overlap (missing when no new site overlaps it), and
    ``overlap_share``, the share of the old site's area that new site covers [0-1].
    """
    old = old_sites.sort_values("rank").head(top_n)
    rows = []
    for _, site in old.iterrows():
        overlap = new_sites.geometry.intersection(site.geometry).area.to_numpy()
        best = int(np.argmax(overlap)) if len(overlap) else -1
        found = best >= 0 and overlap[best] > 0
        rows.append(
            {
                "old_rank": int(site["rank"]),
                "site_id": site["site_id"],
                "new_rank": int(new_sites["rank"].iloc[best]) if found else None,
                "new_site_id": new_sites["site_id"].iloc[best] if found else None,
                "overlap_share": float(overlap[best] / site.geometry.area) if found else 0.0,
            }
        )
    return pd.DataFrame(
        rows, columns=["old_rank", "site_id", "new_rank", "new_site_id", "overlap_share"]
    )


def read_sites(run_dir: Path) -> gpd.GeoDataFrame:
    """The ranked sites of the run folder ``run_dir`` (``sites.gpkg``, grid CRS)."""
    path = Path(run_dir) / "sites.gpkg"
    if not path.is_file():
        raise DataFileNotFound(f"{path}: no site table; pass a run folder written by siting run")
    return read_vector(path, layer="sites")


def _weighted(surfaces: Surfaces, weights: Mapping[str, float], out: np.ndarray) -> np.ndarray:
    chosen = [surfaces.suitability[surfaces.names.index(n)] for n in weights]
    return weighted_sum_into(out, chosen, np.array(list(weights.values())))


def _grid(recorded: Mapping) -> Grid:
    return Grid(
        crs=recorded["crs"],
        bounds=tuple(recorded["bounds"]),
        resolution_m=float(recorded["resolution_m"]),
    )


def _indicators(run_dir: Path, grid: Grid, attrs: Mapping) -> dict[str, xr.DataArray]:
    """The run's indicators from ``indicators.tif``, with their recorded attributes."""
    path = run_dir / INDICATORS_FILE
    if not path.is_file():
        raise DataFileNotFound(f"{run_dir}: no {INDICATORS_FILE}; the run predates re-scoring")
    out = {}
    for name, values in read_bands(path).items():
        recorded = dict(attrs.get(name, {}))
        units = recorded.pop("units", "")
        recorded.pop("crs", None)
        out[name] = grid.template(values, name=name, units=units, **recorded)
    return out
