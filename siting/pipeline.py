"""The order of a run, and the only module that knows it.

bundle → layers on the grid → exclusions → suitability and score → candidate regions →
per-site summaries → ranking → run folder (tables, rasters, report, manifest) and map.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import xarray as xr

import siting
from layers import REGISTRY, indicator_schemas
from layers._counties import county_index, read_counties, state_abbr
from layers.grid_capacity import read_network
from siting import maps, report
from siting.assess import Assess, Assessment, RunContext
from siting.bundle import Bundle, describe_inputs, open_bundle, read_layer
from siting.demand import assess_demand
from siting.errors import SpecError
from siting.evaluate import majority, summarize_regions
from siting.exclude import apply_exclusions
from siting.grid import Grid, rasterize_mask
from siting.interconnection import assess_interconnection
from siting.layer import LayerSchema
from siting.rank import rank_sites
from siting.regions import locate_regions, region_polygons
from siting.score import default_transform, suitability, weighted_score
from siting.spec import CampusSpec
from siting.time_to_power import assess_time_to_power

log = logging.getLogger(__name__)

STUDY_AREA_LAYER = "state"

Progress = Callable[[str], None]

#: Per-site assessments, run in this order on the ranked sites (see siting.assess).
ASSESSMENTS: tuple[Assess, ...] = (assess_demand, assess_interconnection, assess_time_to_power)


@dataclass(frozen=True, kw_only=True)
class RunResult:
    """What a run wrote, and the ranked sites it found."""

    run_id: str
    out_dir: Path
    map_path: Path
    sites: gpd.GeoDataFrame
    ledger: pd.DataFrame
    manifest: dict


def check_spec_names(spec: CampusSpec, schemas: Mapping[str, LayerSchema]) -> None:
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
                f"{rule.indicator!r}; "
                f"indicators: {sorted(schemas)}"
            )


def make_run_id(spec: CampusSpec, now: dt.datetime | None = None) -> str:
    """``YYYYmmdd-HHMMSS-<first 6 hex of the spec's hash>``."""
    digest = hashlib.sha256(
        json.dumps(spec.to_dict(), sort_keys=True, default=str).encode()
    ).hexdigest()
    return f"{(now or dt.datetime.now()):%Y%m%d-%H%M%S}-{digest[:6]}"


def derive_indicators(bundle: Bundle, grid: Grid, spec: CampusSpec) -> dict[str, xr.DataArray]:
    """Every registered layer's indicators on the grid."""
    out: dict[str, xr.DataArray] = {}
    for family, module in REGISTRY.items():
        t0 = time.perf_counter()
        needs = getattr(module, "NEEDS", ())
        missing = [n for n in needs if n not in out]
        if missing:
            raise ValueError(f"layer {family} needs {missing}; register it after their layers")
        if needs:
            out.update(module.derive(bundle, grid, spec, upstream={n: out[n] for n in needs}))
        else:
            out.update(module.derive(bundle, grid, spec))
        log.info("layer %s derived in %.2f s", family, time.perf_counter() - t0)
    return out


def score_surface(
    spec: CampusSpec,
    schemas: Mapping[str, LayerSchema],
    indicators: Mapping[str, xr.DataArray],
    excluded: np.ndarray,
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Suitability of every weighted indicator, and the weighted score (NaN where excluded)."""
    suits = {}
    for name in spec.weights:
        transform = spec.transforms.get(name, default_transform(schemas[name]))
        suits[name] = suitability(indicators[name].to_numpy(), transform)
    return suits, weighted_score(suits, spec.weights, excluded=excluded)


def site_table(
    labels: np.ndarray,
    grid: Grid,
    *,
    bundle: Bundle,
    indicators: Mapping[str, xr.DataArray],
    suitabilities: Mapping[str, np.ndarray],
    spec: CampusSpec,
    score: np.ndarray,
    schemas: Mapping[str, LayerSchema],
) -> gpd.GeoDataFrame:
    """Ranked candidate sites with their summaries, county, centroid and polygon (EPSG:5070)."""
    summary = summarize_regions(
        labels,
        grid,
        indicators={n: a.to_numpy() for n, a in indicators.items()},
        suitabilities=suitabilities,
        weights=spec.weights,
        score=score,
        stats={n: schemas[n].site_stat for n in indicators},
    )
    polygons = region_polygons(labels, grid).set_index("label")
    sites = gpd.GeoDataFrame(
        summary, geometry=polygons.loc[summary["label"]].geometry.to_numpy(), crs=grid.crs
    )
    counties = read_counties(bundle)
    county_idx = majority(county_index(bundle, grid), labels, summary["label"].to_numpy())
    sites["county"] = [counties["name"].iloc[i] if i >= 0 else "UNKNOWN" for i in county_idx]
    sites["county_fips"] = [counties["fips"].iloc[i] if i >= 0 else "UNKNOWN" for i in county_idx]
    centroids = sites.geometry.centroid
    lonlat = gpd.GeoSeries(centroids, crs=grid.crs).to_crs("EPSG:4326")
    sites["centroid_lon"], sites["centroid_lat"] = lonlat.x.round(5), lonlat.y.round(5)
    prefix = state_abbr(counties["fips"], what=str(bundle.gpkg))
    sites["site_id"] = [
        _site_id(prefix, x, y) for x, y in zip(centroids.x, centroids.y, strict=True)
    ]
    proxies = [n for n in spec.weights if schemas[n].tag in ("proxy", "synthetic")]
    sites["proxy_indicators"] = ";".join(proxies)
    ranked = rank_sites(sites)
    first = [
        "rank",
        "site_id",
        "score",
        "area_km2",
        "county",
        "county_fips",
        "centroid_lon",
        "centroid_lat",
    ]
    rest = [c for c in ranked.columns if c not in first and c not in ("geometry", "label")]
    by_rank = np.zeros(int(labels.max()) + 1, dtype=np.int32)
    by_rank[ranked["label"].to_numpy()] = ranked["rank"].to_numpy()
    table = gpd.GeoDataFrame(ranked[first + rest], geometry=ranked.geometry, crs=grid.crs)
    return table, by_rank[labels]


def assess_sites(
    sites: gpd.GeoDataFrame, context: RunContext, assessments: tuple[Assess, ...]
) -> tuple[gpd.GeoDataFrame, list[Assessment]]:
    """Run each per-site assessment in turn and append its columns to the site table."""
    results = []
    for assess in assessments:
        t0 = time.perf_counter()
        result = assess(sites, context)
        clash = sorted(set(result.columns.columns) & set(sites.columns))
        if clash:
            raise ValueError(f"assessment {result.name!r} would overwrite site columns {clash}")
        sites = sites.join(result.columns)
        results.append(result)
        log.info("assessment %s in %.2f s", result.name, time.perf_counter() - t0)
    return sites, results


def _site_id(prefix: str, x_m: float, y_m: float) -> str:
    """Stable site id from the centroid in EPSG:5070 km, e.g. ``IN-712E-1843N``."""
    x_km, y_km = round(x_m / 1000.0), round(y_m / 1000.0)
    return f"{prefix}-{abs(x_km)}{'E' if x_km >= 0 else 'W'}-{abs(y_km)}{'N' if y_km >= 0 else 'S'}"


def run(
    spec: CampusSpec,
    *,
    out_dir: Path | None = None,
    maps_dir: Path = Path("maps"),
    data_dir: Path | None = None,
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
        Data bundle folder; default ``$SITING_DATA`` or ``data/`` beside the package.
    progress : callable, optional
        Called with the name of each step as it starts.
    """
    step = progress or (lambda _name: None)
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = round(now - clock, 3)
        clock = now

    schemas = indicator_schemas()
    check_spec_names(spec, schemas)
    run_id = make_run_id(spec)
    out_dir = out_dir or Path("out") / run_id
    report.check_output_dir(out_dir)
    report.check_maps_dir(maps_dir)
    bundle = open_bundle(spec.region.bundle, data_dir)

    step("grid")
    study = read_layer(bundle, STUDY_AREA_LAYER)
    grid = Grid.covering(
        tuple(study.to_crs(spec.region.crs).total_bounds),
        crs=spec.region.crs,
        resolution_m=spec.region.resolution_m,
    )
    study_area = rasterize_mask(study, grid, what=f"{bundle.gpkg}:{STUDY_AREA_LAYER}")
    lap("grid")

    step("layers")
    indicators = derive_indicators(bundle, grid, spec)
    lap("layers")

    step("exclusions")
    feature_layers = sorted({r.layer for r in spec.exclusions if r.kind == "features"})
    features = {name: read_layer(bundle, name) for name in feature_layers}
    excluded, ledger = apply_exclusions(
        spec.exclusions, grid, study_area=study_area, features=features, indicators=indicators
    )
    lap("exclusions")

    step("score")
    suits, score = score_surface(spec, schemas, indicators, excluded)
    lap("score")

    step("regions")
    labels = locate_regions(
        score,
        grid,
        min_area_km2=spec.required_area_km2,
        count=spec.candidates.count,
        min_spacing_km=spec.candidates.min_spacing_km,
    )
    lap("regions")

    step("sites")
    sites, rank_labels = site_table(
        labels,
        grid,
        bundle=bundle,
        indicators=indicators,
        suitabilities=suits,
        spec=spec,
        score=score,
        schemas=schemas,
    )
    lap("sites")

    step("assess")
    context = RunContext(
        bundle=bundle, grid=grid, spec=spec, indicators=indicators, labels=rank_labels
    )
    sites, assessments = assess_sites(sites, context, ASSESSMENTS)
    proxy_columns = [c for a in assessments for c in a.proxy_columns]
    if proxy_columns:
        sites["proxy_indicators"] = sites["proxy_indicators"] + ";" + ";".join(proxy_columns)
    lap("assess")

    step("write")
    input_refs = [ref for module in REGISTRY.values() for ref in module.inputs(bundle)]
    input_refs += [ref for a in assessments for ref in a.inputs]
    input_refs += [bundle.layer_ref(STUDY_AREA_LAYER)] + [
        bundle.layer_ref(n) for n in feature_layers
    ]
    inputs = describe_inputs(bundle, input_refs)
    indicator_info = report.indicator_table(schemas, spec.weights)
    map_path = maps_dir / f"{run_id}.html"
    manifest = {
        "tool_version": siting.__version__,
        "run_id": run_id,
        "created_utc": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "spec": spec.to_dict(),
        "weights": dict(spec.weights),
        "grid": {
            "crs": grid.crs,
            "bounds": list(grid.bounds),
            "resolution_m": grid.resolution_m,
            "shape": list(grid.shape),
        },
        "indicators": indicator_info.to_dict(orient="records"),
        "proxy_or_synthetic_indicators": [
            n for n, s in schemas.items() if s.tag in ("proxy", "synthetic")
        ],
        "inputs": inputs,
        "exclusions": ledger.replace({np.nan: None}).to_dict(orient="records"),
        "attrs": {n: {k: str(v) for k, v in a.attrs.items()} for n, a in indicators.items()},
        "assessments": [
            {
                "name": a.name,
                "units": dict(a.units),
                "notes": list(a.notes),
                "proxy_columns": list(a.proxy_columns),
            }
            for a in assessments
        ],
        "sites_found": len(sites),
        "sites_requested": spec.candidates.count,
    }
    with report.staged_dir(out_dir) as staging:
        outputs = report.write_tables(
            staging,
            sites=sites,
            excluded=report.excluded_polygons(excluded, study_area, grid),
            indicators=indicator_info,
            ledger=ledger,
            columns=report.column_dictionary(sites, indicator_info, assessments),
        )
        rasters = {"score": score, **{f"suit_{n}": s for n, s in suits.items()}}
        report.write_raster(staging / "score.tif", {"score": score}, grid, units={"score": "0-1"})
        report.write_raster(
            staging / "suitability.tif",
            {k: v for k, v in rasters.items() if k != "score"},
            grid,
            units={},
        )
        outputs |= {"score": "score.tif", "suitability": "suitability.tif", "report": "report.md"}
        (staging / "report.md").write_text(
            report.markdown_report(
                title=f"siting run {run_id}: {spec.name}, {spec.region.name}",
                spec_lines=_spec_lines(spec),
                sites=sites,
                indicators=indicator_info,
                ledger=ledger,
                inputs=inputs,
                assessments=assessments,
            ),
            encoding="utf-8",
        )
        outputs["map"] = str(map_path)
        manifest["outputs"] = outputs
        lap("write")
        manifest["timings_s"] = timings
        report.write_manifest(staging, manifest)
        units = {n: schemas[n].units for n in indicators}
        units |= {c: u for a in assessments for c, u in a.units.items()}
        network = read_network(bundle, crs=grid.crs)  # the lines and points the models used
        fmap = maps.build_map(
            score=score,
            excluded=excluded & study_area,
            grid=grid,
            sites=sites,
            lines=network.lines,
            units=units,
            title=f"siting {run_id}",
            points=network.points,
        )
        report.write_atomic_text(map_path, fmap.get_root().render())
    log.info("run %s: %d sites in %s", run_id, len(sites), out_dir)
    return RunResult(
        run_id=run_id,
        out_dir=out_dir,
        map_path=map_path,
        sites=sites,
        ledger=ledger,
        manifest=manifest,
    )


def _spec_lines(spec: CampusSpec) -> list[str]:
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
        f"Spec source: {spec.source}",
    ]
