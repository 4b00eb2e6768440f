"""The order of a run, and the only module that knows it.

inputs → layers on the grid → exclusions → suitability and score → candidate regions → site
table → per-site models → robustness to the weights → run folder (tables, rasters, report,
manifest) and map.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import logging
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import geopandas as gpd
import numpy as np
import pandas as pd
import xarray as xr

import siting
from layers import REGISTRY as LAYERS
from layers import indicator_schemas, water
from layers.base import Layer
from layers.custom import custom_layers
from siting import determinism, maps, report, surfaces
from siting import manifest as run_manifest
from siting.assessments import REGISTRY as MODELS
from siting.assessments.base import Assessment, SiteContext, SiteModel
from siting.bundle import Bundle, describe_inputs, open_bundle, sha256
from siting.candidates import candidate_labels, exclusion_columns
from siting.community_page import community_page
from siting.errors import DataError, SpecError
from siting.exclude import Exclusions, RuleData, apply_exclusions
from siting.indicator import Indicator
from siting.inputs import RunInputs, read_candidates, read_inputs
from siting.models.apportion import tract_extent
from siting.models.tracts import join_summary
from siting.regions import RegionSearch, locate_regions
from siting.report_html import html_report
from siting.robustness import assess_robustness, consensus
from siting.score import default_transform, suitability, weighted_score
from siting.site_table import FIRST_COLUMNS, append_columns, site_table
from siting.spec import CampusSpec, default_spec_path

log = logging.getLogger(__name__)

#: The steps of a run, in the order they start; a re-scoring skips ``layers``, an assessment of
#: candidates that writes nothing skips ``write``.
STEPS = (
    "inputs",
    "layers",
    "exclusions",
    "score",
    "regions",
    "sites",
    "assess",
    "robustness",
    "write",
)


class Progress(Protocol):
    """Told when each step of a run starts, and as the parts of a step finish."""

    def __call__(self, step: str, done: int | None = None, total: int | None = None) -> None:
        """``step`` starts (``done`` is None), or ``done`` of its ``total`` parts are finished
        (``total`` is None when the step does not know how many parts it has)."""


@dataclass(frozen=True, kw_only=True)
class RunResult:
    """What a run wrote, and the ranked sites it found."""

    run_id: str
    out_dir: Path
    map_path: Path
    sites: gpd.GeoDataFrame
    ledger: pd.DataFrame
    manifest: dict


def run(
    spec: CampusSpec,
    *,
    out_dir: Path | None = None,
    maps_dir: Path = Path("maps"),
    data_dir: Path | None = None,
    candidates: Path | None = None,
    progress: Progress | None = None,
) -> RunResult:
    """Run the whole pipeline for ``spec`` and write one run folder and one map.

    Parameters
    ----------
    spec : CampusSpec
        Validated campus spec.
    out_dir : pathlib.Path, optional
        Run folder to create; it must not exist or be empty. Default ``out/<run-id>``.
    maps_dir : pathlib.Path
        Folder for the map ``<run-id>.html``.
    data_dir : pathlib.Path, optional
        Data bundle folder; default ``$SITING_DATA`` or the bundle shipped in the package.
    candidates : pathlib.Path, optional
        A file of the team's own candidate sites (polygons, or points with ``radius_m``): they
        are scored, assessed and ranked instead of searching for regions.
    progress : Progress, optional
        Called with the name of each step (:data:`STEPS`) as it starts, and with the count of
        the step's finished parts (layers, per-site models, output files) as each finishes.
    """
    clock = _Clock(progress)
    layers, models = spec_steps(spec)
    schemas = indicator_schemas(layers)
    check_spec_names(spec, schemas)
    bundle = open_bundle(spec.region.bundle, data_dir)
    run_id = run_manifest.make_run_id(spec, bundle)
    out_dir = out_dir or Path("out") / run_id
    report.check_output_dir(out_dir)
    report.check_maps_dir(maps_dir)
    report.check_map_paths(maps_dir / f"{run_id}.html", maps_dir / f"{run_id}-community.html")

    evaluation = evaluate(
        spec, bundle, layers=layers, models=models, candidates=candidates, clock=clock
    )
    inputs, spec, weight_notes = evaluation.inputs, evaluation.inputs.spec, evaluation.weight_notes
    indicators, exclusions, search = evaluation.indicators, evaluation.exclusions, evaluation.search
    suits, score = evaluation.suits, evaluation.score
    sites, assessments = evaluation.sites, evaluation.assessments
    return write_run(
        run_id=run_id,
        candidates=candidates,
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
    )


@dataclass(frozen=True, kw_only=True)
class Evaluation:
    """What the steps from the inputs to the ranked, assessed sites produce, before writing."""

    inputs: RunInputs
    weight_notes: list[str]
    indicators: dict[str, xr.DataArray]
    exclusions: Exclusions
    search: RegionSearch
    suits: dict[str, np.ndarray]
    score: np.ndarray
    sites: gpd.GeoDataFrame
    assessments: list[Assessment]


def evaluate(
    spec: CampusSpec,
    bundle: Bundle,
    *,
    layers: Sequence[Layer],
    models: Sequence[SiteModel],
    candidates: Path | None,
    clock: _Clock,
) -> Evaluation:
    """Inputs → layers → exclusions → score → regions (or the given candidates) → site table →
    per-site models → robustness: every step of a run that writes nothing."""
    clock.step("inputs")
    inputs = read_inputs(bundle, spec)
    return evaluate_inputs(inputs, layers=layers, models=models, candidates=candidates, clock=clock)


def evaluate_inputs(
    inputs: RunInputs,
    *,
    layers: Sequence[Layer],
    models: Sequence[SiteModel],
    candidates: Path | None,
    clock: _Clock,
) -> Evaluation:
    """The steps of :func:`evaluate` after reading: from inputs already read to the ranked,
    assessed sites."""
    schemas = indicator_schemas(layers)
    inputs, weight_notes = with_real_data_weights(inputs)
    spec = inputs.spec
    clock.step("layers", parts=len(layers))
    indicators = derive_indicators(inputs, layers, clock=clock)
    check_custom_layers(spec, indicators, inputs.study_mask)
    clock.step("exclusions")
    exclusions = apply_exclusions(
        spec.exclusions,
        inputs.grid,
        unchecked=unchecked_rules(spec, inputs, indicators),
        study_area=inputs.study_mask,
        data=rule_data(inputs, indicators),
    )
    clock.step("score")
    suits, unpenalised = score_surface(spec, schemas, indicators, exclusions.excluded)
    score = unpenalised * exclusions.score_factor
    clock.step("regions")
    if candidates is None:
        search = find_regions(score, inputs.grid, spec)
        labels, extra, geometries = search.labels, {}, None
    else:
        found = read_candidates(candidates, inputs.grid, campus_area_km2=spec.required_area_km2)
        labels = candidate_labels(found, inputs.grid, what=str(candidates))
        n = len(found)
        search = RegionSearch(labels=labels, found=n, requested=n, grow_attempts=0, reason="")
        # a candidate is scored over all its cells, whatever the rules exclude (reported)
        score = weighted_score(suits, spec.weights, excluded=~inputs.study_mask)
        score = score * exclusions.score_factor
        unpenalised = weighted_score(suits, spec.weights, excluded=~inputs.study_mask)
        modes = {r.name: r.mode for r in spec.exclusions}
        extra = {"candidate_id": found["candidate_id"].tolist()}
        extra |= exclusion_columns(labels, exclusions.excluded, exclusions.masks, modes)
        geometries = found.geometry
    clock.step("sites")
    sites, rank_labels = site_table(
        labels,
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
        extra=extra,
        geometries=geometries,
    )
    models = models if len(sites) else ()
    clock.step("assess", parts=len(models))
    context = SiteContext(
        inputs=inputs,
        indicators=indicators,
        labels=rank_labels,
        tract_extent=tract_extent(inputs.tracts) if len(models) else None,
    )
    sites, assessments = assess_sites(sites, context, models, clock=clock)
    clock.step("robustness")
    sites, assessments = rank_robustness(sites, assessments, spec)
    return Evaluation(
        inputs=inputs,
        weight_notes=weight_notes,
        indicators=indicators,
        exclusions=exclusions,
        search=search,
        suits=suits,
        score=score,
        sites=sites,
        assessments=assessments,
    )


def assess_candidates(
    spec: CampusSpec,
    candidates: Path,
    *,
    data_dir: Path | None = None,
    progress: Progress | None = None,
) -> Evaluation:
    """Score, assess and rank a file of candidate sites as :func:`run` does, writing nothing.

    Parameters
    ----------
    spec : CampusSpec
        Validated campus spec.
    candidates : pathlib.Path
        Candidate sites: polygons, or points with ``radius_m``.
    data_dir : pathlib.Path, optional
        Data bundle folder; default ``$SITING_DATA`` or the bundle shipped in the package.
    progress : Progress, optional
        Called with the name of each step (:data:`STEPS`) as it starts, and with the count of
        the step's finished parts (layers, per-site models, output files) as each finishes.
    """
    layers, models = spec_steps(spec)
    check_spec_names(spec, indicator_schemas(layers))
    bundle = open_bundle(spec.region.bundle, data_dir)
    return evaluate(
        spec, bundle, layers=layers, models=models, candidates=candidates, clock=_Clock(progress)
    )


# ---------------------------------------------------------------------------------------------
# the registries, in the order their needs require
# ---------------------------------------------------------------------------------------------


def spec_steps(spec: CampusSpec) -> tuple[tuple[Layer, ...], tuple[SiteModel, ...]]:
    """The layers (the registry's and the spec's own ``[[layers]]``) and the per-site models of
    a run of ``spec``, each in the order their needs require."""
    layers = order_layers((*LAYERS, *custom_layers(spec.layers)))
    models = order_models(MODELS, site_columns=[layer.name for layer in spec.layers])
    return layers, models


def order_layers(layers: Sequence[Layer]) -> tuple[Layer, ...]:
    """The layers in an order where each runs after the layers whose indicators it needs.

    Raises ``ValueError`` naming the layer and the indicator when a need is provided by no
    layer, when two layers provide the same indicator, or when needs form a cycle.
    """
    return _ordered(
        layers,
        provides={layer.name: layer.provides for layer in layers},
        needs={layer.name: layer.needs for layer in layers},
        given=(),
        what="layer",
    )


def order_models(
    models: Sequence[SiteModel], site_columns: Sequence[str] = ()
) -> tuple[SiteModel, ...]:
    """The per-site models in an order where each runs after the models whose columns it
    needs. Needs met by the site table (indicators and :data:`FIRST_COLUMNS`) are always met.
    """
    given = (*FIRST_COLUMNS, *site_columns, *indicator_schemas(LAYERS))
    return _ordered(
        models,
        provides={m.name: m.provides for m in models},
        needs={m.name: m.needs for m in models},
        given=given,
        what="per-site model",
    )


def _ordered(records, *, provides, needs, given, what):
    """Stable topological order of ``records`` by their needs (registry order among equals)."""
    owner: dict[str, str] = {}
    for name, names in provides.items():
        for item in names:
            if item in owner:
                raise ValueError(f"{what}s {owner[item]!r} and {name!r} both provide {item!r}")
            owner[item] = name
    for name, names in needs.items():
        for item in names:
            if item not in owner and item not in given:
                raise ValueError(
                    f"{what} {name!r} needs {item!r}, which no registered {what} provides"
                )
    done: set[str] = set()
    order = []
    pending = list(records)
    while pending:
        ready = [
            r
            for r in pending
            if all(item in given or owner[item] in done for item in needs[r.name] if item in owner)
        ]
        if not ready:
            raise ValueError(f"{what}s {[r.name for r in pending]} need each other (a cycle)")
        first = ready[0]
        order.append(first)
        done.add(first.name)
        pending.remove(first)
    return tuple(order)


# ---------------------------------------------------------------------------------------------
# the stages
# ---------------------------------------------------------------------------------------------


def find_regions(score: np.ndarray, grid, spec: CampusSpec) -> RegionSearch:
    """The spec's search for the best contiguous regions of the campus's land."""
    search = locate_regions(
        score,
        grid,
        min_area_km2=spec.required_area_km2,
        count=spec.candidates.count,
        min_spacing_km=spec.candidates.min_spacing_km,
        max_spacing_km=spec.candidates.max_spacing_km,
        compactness=spec.candidates.compactness,
        max_grow_attempts=spec.candidates.max_grow_attempts,
    )
    if search.reason:
        log.warning("%d of %d regions found: %s", search.found, search.requested, search.reason)
    return search


def unchecked_rules(
    spec: CampusSpec, inputs: RunInputs, indicators: Mapping[str, xr.DataArray]
) -> dict[str, str]:
    """Optional rules (``required = false``) whose data the bundle lacks, and why."""
    out = dict(inputs.unavailable)
    for rule in spec.exclusions:
        if rule.kind == "indicator" and not rule.required and rule.indicator in indicators:
            reason = indicators[rule.indicator].attrs.get("unavailable")
            if reason:
                out[rule.name] = f"not checked: {reason}"
    return out


def rule_data(inputs: RunInputs, indicators: Mapping[str, xr.DataArray]) -> RuleData:
    """What the exclusion rules read: features, indicators, lines, counties and buffers."""
    return RuleData(
        features=inputs.features,
        indicators=indicators,
        lines=inputs.network.lines,
        county_cells=inputs.counties.cells,
        county_fips=tuple(inputs.counties.table["fips"]),
        buffers_by_county=inputs.buffers_by_county,
        campus_area_km2=inputs.spec.required_area_km2,
    )


def with_real_data_weights(inputs: RunInputs) -> tuple[RunInputs, list[str]]:
    """The inputs with each proxy's weight moved to the real indicator the bundle makes possible.

    A proxy stands in for a better indicator whose input a bundle may lack
    (:data:`layers.water.STAND_IN`). Where the bundle has that input, the spec weights the proxy
    and not the real indicator, the real one takes the proxy's weight, in its place; the note
    saying so goes into the report and the manifest.
    """
    proxy, real, role = water.STAND_IN
    weights = dict(inputs.spec.weights)
    if role not in inputs.bundle.sources or proxy not in weights or real in weights:
        return inputs, []
    moved = {(real if name == proxy else name): w for name, w in weights.items()}
    note = (
        f"{real} replaces the proxy {proxy} (weight {weights[proxy]:g}): the bundle has "
        f"its {role} input"
    )
    spec = dataclasses.replace(inputs.spec, weights=moved)
    return dataclasses.replace(inputs, spec=spec), [note]


def check_spec_names(spec: CampusSpec, schemas: Mapping[str, Indicator]) -> None:
    """Every weight, transform and indicator rule must name a registered indicator."""
    scored = {n for n, s in schemas.items() if s.direction != "context"}
    for name in spec.weights:
        if name not in scored:
            raise SpecError(
                f"{spec.source}: weight for unknown indicator {name!r}; "
                f"scored indicators: {sorted(scored)}"
            )
    for name in spec.transforms:
        if name not in scored:
            raise SpecError(
                f"{spec.source}: transform for unknown indicator {name!r}; "
                f"scored indicators: {sorted(scored)}"
            )
    for rule in spec.exclusions:
        if rule.kind == "indicator" and rule.indicator not in schemas:
            raise SpecError(
                f"{spec.source}: exclusion '{rule.name}' names unknown indicator "
                f"{rule.indicator!r}; indicators: {sorted(schemas)}"
            )


def derive_indicators(
    inputs: RunInputs, layers: Sequence[Layer], *, clock: _Clock | None = None
) -> dict[str, xr.DataArray]:
    """Every layer's indicators on the grid, each layer given exactly the indicators it needs;
    each layer is timed as a part of the clock's current step when a clock is given."""
    clock = clock or _Clock(None)
    out: dict[str, xr.DataArray] = {}
    for layer in layers:
        t0 = time.perf_counter()
        with clock.part(layer.name):
            derived = layer.derive(inputs, {n: out[n] for n in layer.needs})
            if set(derived) != set(layer.provides):
                raise ValueError(
                    f"layer {layer.name!r} derived {sorted(derived)}, "
                    f"declared {sorted(layer.provides)}"
                )
            out.update(derived)
        log.info("layer %s derived in %.2f s", layer.name, time.perf_counter() - t0)
    return out


def check_custom_layers(
    spec: CampusSpec, indicators: Mapping[str, xr.DataArray], study_mask: np.ndarray
) -> None:
    """Refuse a spec layer (``[[layers]]``) that is UNKNOWN on every cell of the study area:
    its features or values lie outside the states, or fall between the cell centres."""
    for layer in spec.layers:
        values = indicators[layer.name].to_numpy()
        if not np.isfinite(values[study_mask]).any():
            raise DataError(
                f"{layer.file}: layer '{layer.name}' of {spec.source} has no value on any cell "
                "of the study area; give a file whose values cover the region's states, in its "
                "true CRS"
            )


def score_surface(
    spec: CampusSpec,
    schemas: Mapping[str, Indicator],
    indicators: Mapping[str, xr.DataArray],
    excluded: np.ndarray,
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Suitability of every weighted indicator, and the weighted score (NaN where excluded)."""
    suits = {}
    for name in spec.weights:
        transform = spec.transforms.get(name, default_transform(schemas[name]))
        suits[name] = suitability(indicators[name].to_numpy(), transform)
    return suits, weighted_score(suits, spec.weights, excluded=excluded)


def unweighted_suitabilities(
    spec: CampusSpec, schemas: Mapping[str, Indicator], indicators: Mapping[str, xr.DataArray]
) -> dict[str, np.ndarray]:
    """Suitability of every indicator a spec may weight but this one does not, with the spec's
    transforms (a re-scoring may weight them)."""
    return {
        name: suitability(
            indicators[name].to_numpy(), spec.transforms.get(name, default_transform(schema))
        )
        for name, schema in schemas.items()
        if schema.direction != "context" and name in indicators and name not in spec.weights
    }


def assess_sites(
    sites: gpd.GeoDataFrame,
    context: SiteContext,
    models: Sequence[SiteModel],
    *,
    clock: _Clock | None = None,
) -> tuple[gpd.GeoDataFrame, list[Assessment]]:
    """Run each per-site model in turn and append its columns to the site table; each model is
    timed as a part of the clock's current step when a clock is given."""
    clock = clock or _Clock(None)
    results = []
    for model in models:
        t0 = time.perf_counter()
        with clock.part(model.name):
            sites, result = _assess_one(sites, context, model)
        results.append(result)
        log.info("per-site model %s in %.2f s", model.name, time.perf_counter() - t0)
    proxy_columns = [c for a in results for c in a.proxy_columns]
    if proxy_columns:
        sites["proxy_indicators"] = sites["proxy_indicators"] + ";" + ";".join(proxy_columns)
    return sites, results


def _assess_one(
    sites: gpd.GeoDataFrame, context: SiteContext, model: SiteModel
) -> tuple[gpd.GeoDataFrame, Assessment]:
    """The site table with one per-site model's columns appended, and its assessment."""
    missing = [c for c in model.needs if c not in sites.columns]
    if missing:
        raise ValueError(f"per-site model {model.name!r} needs site columns {missing}")
    result = model.assess(sites, context)
    if list(result.columns.columns) != list(model.provides):
        raise ValueError(
            f"per-site model {model.name!r} returned columns {list(result.columns.columns)}, "
            f"declared {list(model.provides)}"
        )
    sites = append_columns(sites, result.columns, source=f"per-site model {model.name!r}")
    return sites, dataclasses.replace(result, inputs=context.inputs.role_refs(*model.reads))


def rank_robustness(
    sites: gpd.GeoDataFrame, assessments: Sequence[Assessment], spec: CampusSpec
) -> tuple[gpd.GeoDataFrame, list[Assessment]]:
    """The sites with their ranks under the weight draws and their Pareto flag (docs/methods.md
    §11.6), and the assessments with that one added; unchanged when no site was found."""
    if not len(sites):
        return sites, list(assessments)
    result = assess_robustness(sites, weights=spec.weights, settings=spec.robustness)
    return append_columns(sites, result.columns, source="robustness"), [*assessments, result]


# ---------------------------------------------------------------------------------------------
# writing
# ---------------------------------------------------------------------------------------------


def _silent(step: str, done: int | None = None, total: int | None = None) -> None:
    """A :class:`Progress` that tells no one."""


class _Clock:
    """Times the steps of a run and their parts, and reports each step's start and each part's
    end to ``progress``."""

    def __init__(self, progress: Progress | None) -> None:
        self.progress = progress or _silent
        self.timings: dict[str, float] = {}
        self._name: str | None = None
        self._start = time.perf_counter()
        self._parts: int | None = None
        self._done = 0

    def step(self, name: str, *, parts: int | None = None) -> None:
        """End the current step and start ``name``, of ``parts`` parts when known."""
        self.lap()
        self._name, self._parts, self._done = name, parts, 0
        self.progress(name)

    def lap(self) -> None:
        now = time.perf_counter()
        if self._name is not None:
            self.timings[self._name] = round(now - self._start, 3)
        self._start = now

    @contextlib.contextmanager
    def part(self, name: str) -> Iterator[None]:
        """Time one part of the current step, recorded as ``<step>.<name>``. [s]"""
        t0 = time.perf_counter()
        yield
        self.timings[f"{self._name}.{name}"] = round(time.perf_counter() - t0, 3)
        self._done += 1
        self.progress(self._name, self._done, self._parts)


def write_run(
    *,
    run_id: str,
    out_dir: Path,
    map_path: Path,
    inputs: RunInputs,
    layers: Sequence[Layer],
    schemas: Mapping[str, Indicator],
    indicators: Mapping[str, xr.DataArray],
    exclusions: Exclusions,
    search: RegionSearch,
    suits: Mapping[str, np.ndarray],
    score: np.ndarray,
    sites: gpd.GeoDataFrame,
    assessments: Sequence[Assessment],
    clock: _Clock,
    weight_notes: Sequence[str] = (),
    candidates: Path | None = None,
    rescored_from: Mapping | None = None,
) -> RunResult:
    """The robustness consensus of the run's surfaces, then the run folder (staged, then
    renamed into place) and the map; ``rescored_from`` (the parent run and the new weights of a
    re-scoring) goes into the manifest."""
    spec, grid = inputs.spec, inputs.grid
    excluded, ledger = exclusions.excluded, exclusions.ledger
    agreement = consensus(
        suits,
        spec.weights,
        excluded=excluded,
        score_factor=exclusions.score_factor,
        settings=spec.robustness,
    )
    clock.step("write")
    indicator_info = report.indicator_table(schemas, spec.weights)
    input_refs = {ref for layer in layers for ref in inputs.role_refs(*layer.reads)}
    input_refs |= {ref for a in assessments for ref in a.inputs}
    input_refs |= set(inputs.role_refs("states", "counties", "zip_centroids"))
    input_refs |= {inputs.bundle.features[n] for n in inputs.features}
    described = describe_inputs(inputs.bundle, tuple(input_refs))
    manifest = _manifest(run_id, inputs, indicator_info, described, ledger, indicators)
    manifest["candidates_file"] = (
        {"path": str(candidates.resolve()), "sha256": sha256(candidates)} if candidates else None
    )
    manifest["weight_substitutions"] = list(weight_notes)
    manifest["rescored_from"] = dict(rescored_from) if rescored_from else None
    join_counts = dict(inputs.tract_indicators.attrs.get("join_counts", {}))
    if join_counts:
        manifest["tract_join"] = join_counts | {"summary": join_summary(join_counts)}
    manifest["assessments"] = [
        {
            "name": a.name,
            "units": dict(a.units),
            "notes": list(a.notes),
            "proxy_columns": list(a.proxy_columns),
            "inputs": list(a.inputs),
        }
        for a in assessments
    ]
    manifest["sites_found"] = len(sites)
    manifest["region_search"] = {
        "found": search.found,
        "requested": search.requested,
        "grow_attempts": search.grow_attempts,
        "reason": search.reason,
    }
    manifest["counties_filled_km2"] = inputs.counties.filled_cells * grid.cell_area_km2
    manifest["robustness"] = dataclasses.asdict(spec.robustness) | {
        "weights": dict(spec.weights),
        "consensus": "share of draws with the cell among the best consensus_top_pct % of "
        "eligible cells",
    }
    community_path = map_path.with_name(f"{run_id}-community.html")
    with report.staged_dir(out_dir, beside=(map_path, community_path)) as staging:
        with clock.part("exclusion_polygons"):
            excluded_polygons = report.rule_polygons(exclusions, spec.exclusions, grid)
        with clock.part("tables"):
            outputs = report.write_tables(
                staging,
                sites=sites,
                excluded=excluded_polygons,
                indicators=indicator_info,
                ledger=ledger,
                columns=report.column_dictionary(sites, indicator_info, assessments),
            )
        with clock.part("score.tif"):
            report.write_raster(
                staging / "score.tif", {"score": score}, grid, units={"score": "0-1"}
            )
        with clock.part("suitability.tif"):
            report.write_tiled_raster(
                staging / "suitability.tif",
                {f"suit_{n}": s for n, s in suits.items()},
                grid,
                units={},
            )
        with clock.part("consensus.tif"):
            report.write_raster(
                staging / "consensus.tif",
                {"consensus": agreement},
                grid,
                units={"consensus": "0-1"},
            )
        outputs |= {"consensus": "consensus.tif"}
        with clock.part("rescore.tif"):
            surfaces.write_surfaces(
                staging,
                suitabilities=unweighted_suitabilities(spec, schemas, indicators),
                excluded=excluded,
                score_factor=exclusions.score_factor,
                grid=grid,
            )
        with clock.part("indicators.tif"):
            surfaces.write_indicators(
                staging,
                {n: a.to_numpy() for n, a in indicators.items()},
                grid,
                units={n: schemas[n].units for n in indicators},
            )
        outputs |= {
            "rescore": surfaces.SURFACES_FILE,
            "indicator_rasters": surfaces.INDICATORS_FILE,
        }
        contents = {
            "title": f"siting run: {spec.name}, {spec.region.name}",
            "spec_lines": _spec_lines(spec, weight_notes),
            "sites": sites,
            "indicators": indicator_info,
            "ledger": ledger,
            "inputs": described,
            "assessments": assessments,
            "shortfall": search.reason,
            "summary_options": {
                "target_year": spec.target_energization_year,
                "setback_m": spec.impacts.setback_m,
            },
        }
        with clock.part("report.md"):
            (staging / "report.md").write_text(report.markdown_report(**contents), encoding="utf-8")
        transforms = {
            n: spec.transforms.get(n, default_transform(schemas[n])) for n in spec.weights
        }
        with clock.part("report.html"):
            (staging / "report.html").write_text(
                html_report(**contents, transforms=transforms), encoding="utf-8"
            )
        outputs |= {"score": "score.tif", "suitability": "suitability.tif", "report": "report.md"}
        outputs |= {"report_html": "report.html"}
        units = {n: schemas[n].units for n in indicators}
        units |= {c: u for a in assessments for c, u in a.units.items()}
        with clock.part("map"):
            excluded_map = maps.excluded_overlay(excluded & inputs.study_mask, grid)
            fmap = maps.build_map(
                score=score,
                excluded=excluded_map,
                grid=grid,
                sites=sites,
                lines=inputs.network.lines,
                units=units,
                title=f"siting: {spec.name}, {spec.region.name}",
                points=inputs.network.points,
                report_href=maps.relative_href(map_path, out_dir / "report.html"),
                consensus=agreement,
            )
            determinism.renumber_element_ids(fmap.get_root())
            map_html = fmap.get_root().render()
        with clock.part("community_page"):
            community_html = community_page(
                sites=sites,
                excluded=excluded_map,
                grid=grid,
                zips=inputs.zip_centroids,
                units=units,
                region_name=spec.region.name,
                it_capacity_mw=spec.it_capacity_mw,
                target_year=spec.target_energization_year,
                setback_m=spec.impacts.setback_m,
                report_href=maps.relative_href(community_path, out_dir / "report.html"),
            )
        manifest["outputs"] = outputs | {
            "map": str(map_path),
            "community_page": str(community_path),
        }
        manifest["output_sha256"] = run_manifest.output_hashes(staging, outputs) | {
            "map": hashlib.sha256(map_html.encode("utf-8")).hexdigest(),
            "community_page": hashlib.sha256(community_html.encode("utf-8")).hexdigest(),
        }
        clock.lap()
        manifest["timings_s"] = clock.timings
        report.write_atomic_text(report.staged_path(staging, map_path), map_html)
        report.write_atomic_text(report.staged_path(staging, community_path), community_html)
        report.write_manifest(staging, manifest)
    log.info("run %s: %d sites in %s", run_id, len(sites), out_dir)
    return RunResult(
        run_id=run_id,
        out_dir=out_dir,
        map_path=map_path,
        sites=sites,
        ledger=ledger,
        manifest=manifest,
    )


def _manifest(run_id, inputs, indicator_info, described, ledger, indicators) -> dict:
    spec, grid = inputs.spec, inputs.grid
    return {
        "tool_version": siting.__version__,
        "git_commit": run_manifest.git_commit(),
        "libraries": run_manifest.library_versions(),
        "run_id": run_id,
        "created_utc": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "spec": spec.to_dict(),
        "spec_as_given": run_manifest.spec_as_given(spec),
        "spec_default": {
            "path": str(default_spec_path()),
            "sha256": sha256(default_spec_path()),
            "text": default_spec_path().read_text(encoding="utf-8"),
        },
        "bundle": {
            "catalogue": str(inputs.bundle.catalogue),
            "catalogue_sha256": sha256(inputs.bundle.catalogue),
            "title": inputs.bundle.title,
            "states": list(inputs.counties.states),
        },
        "weights": dict(spec.weights),
        "grid": {
            "crs": grid.crs,
            "bounds": list(grid.bounds),
            "resolution_m": grid.resolution_m,
            "shape": list(grid.shape),
        },
        "indicators": indicator_info.to_dict(orient="records"),
        "proxy_or_synthetic_indicators": indicator_info.loc[
            indicator_info["tag"].isin(["proxy", "synthetic"]), "indicator"
        ].tolist(),
        "inputs": described,
        "user_files": [{"path": str(p), "sha256": sha256(p)} for p in inputs.user_files],
        "exclusions": ledger.replace({np.nan: None}).to_dict(orient="records"),
        "attrs": {n: {k: str(v) for k, v in a.attrs.items()} for n, a in indicators.items()},
        "sites_requested": spec.candidates.count,
    }


def _spec_lines(spec: CampusSpec, weight_notes: Sequence[str] = ()) -> list[str]:
    d = spec.derived()
    return [
        f"IT capacity {spec.it_capacity_mw:g} MW, load factor {spec.load_factor:g}, "
        f"cooling archetype {spec.cooling_archetype}",
        f"Screening facility peak demand {d['facility_peak_mw']:g} MW (design PUE "
        f"{spec.pue_design:g}); facility energy {d['facility_energy_mwh_per_yr']:,.0f} MWh/yr "
        f"(annual PUE {spec.pue_annual:g}); each site reports its own, modelled from its "
        "climate (campus demand)",
        f"Required contiguous land {d['required_acres']:,.0f} acres = "
        f"{d['required_area_km2']:.3f} km² "
        f"({spec.land_acres_per_mw:g} acre/MW)",
        f"Interconnection at ≥ {spec.interconnection_voltage_kv:g} kV with "
        f"{spec.n_hv_lines} independent lines; "
        f"target energization {spec.target_energization_year}",
        f"Weights: {', '.join(f'{k} {v:g}' for k, v in spec.weights.items())}",
        *weight_notes,
        f"Spec source: {spec.source}",
    ]
