"""Command line: a thin typer layer over the pipeline.

Only this module prints or configures logging. It catches :class:`SitingError` alone and turns it
into one line on stderr and exit code 2; any other exception is a bug and shows its traceback.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from siting.errors import SitingError

if TYPE_CHECKING:
    from siting.pipeline import Progress

app = typer.Typer(
    add_completion=False,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    help=(
        "Find and explain places where a gigawatt-scale AI data-center campus could be built.\n\n"
        "Example: siting run   (the default 1 GW campus on the embedded Indiana bundle)"
    ),
)

EXIT_USER_ERROR = 2


def _version(value: bool) -> None:
    if value:
        import siting

        typer.echo(f"siting {siting.__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Find and explain places where a gigawatt-scale AI data-center campus could be built."""


def _fail(err: SitingError) -> None:
    typer.echo(f"error: {err}", err=True)
    raise typer.Exit(EXIT_USER_ERROR)


@app.command()
def run(
    spec: Annotated[
        Path | None, typer.Option(help="Campus spec (TOML); default: the shipped 1 GW spec.")
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="Run folder to create; default: out/<run-id>.")
    ] = None,
    maps: Annotated[Path, typer.Option(help="Folder for the map <run-id>.html.")] = Path("maps"),
    data: Annotated[
        Path | None,
        typer.Option(help="Data bundle folder; default: $SITING_DATA or the shipped bundle."),
    ] = None,
    candidates: Annotated[
        Path | None,
        typer.Option(
            help="Your own candidate sites (polygons, or points with radius_m) to score and "
            "rank instead of searching."
        ),
    ] = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Log each step and its timing.")
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Show no progress and no stage log.")
    ] = False,
) -> None:
    """Score the region against a campus spec; write ranked sites, rasters, a report and a map.

    Example: siting run --spec my_campus.toml --out out/my-run
    """
    from siting.pipeline import run as run_pipeline
    from siting.spec import load_spec

    _configure_logging(verbose)
    try:
        campus = load_spec(spec)
        with _progress("siting run", quiet=quiet) as progress:
            result = run_pipeline(
                campus,
                out_dir=out,
                maps_dir=maps,
                data_dir=data,
                candidates=candidates,
                progress=progress,
            )
    except SitingError as err:
        _fail(err)
    typer.echo(f"run {result.run_id}: {len(result.sites)} candidate sites")
    reason = result.manifest["region_search"]["reason"]
    if reason:
        typer.echo(f"  fewer sites than asked for: {reason}")
    for _, site in result.sites.head(10).iterrows():
        typer.echo(
            f"  {site['rank']:>2}. {site['site_id']:<16} score {site['score']:.3f}  "
            f"{site['area_km2']:.2f} km²  {site['county']} County"
        )
    typer.echo(f"outputs: {result.out_dir}")
    typer.echo(f"map:     {result.map_path}")


def _configure_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING, format="%(message)s", stream=sys.stderr
    )
    logging.getLogger("pyogrio").setLevel(logging.WARNING)


@contextlib.contextmanager
def _progress(command: str, *, skip: str | None = None, quiet: bool) -> Iterator[Progress | None]:
    """Bars on a terminal, else a stage log on success, for a run's steps less ``skip``."""
    from siting.pipeline import STEPS
    from siting.progress import shown

    with shown(command, [s for s in STEPS if s != skip], quiet=quiet) as progress:
        yield progress


@app.command()
def layers() -> None:
    """List the registered layers and their indicators with units, direction and data tag.

    Example: siting layers
    """
    from layers import REGISTRY

    for layer in REGISTRY:
        needs = f" (needs {', '.join(layer.needs)})" if layer.needs else ""
        typer.echo(f"{layer.name}: reads {', '.join(layer.reads)}{needs}")
        for s in layer.indicators:
            typer.echo(f"  {s.name:<32} [{s.units}] {s.direction}, {s.tag}: {s.title}")


@app.command()
def queue(
    state: Annotated[
        str | None,
        typer.Option(help="Two-letter state code; default: the first state of the spec's region."),
    ] = None,
    file: Annotated[
        Path | None,
        typer.Option(help="Queue CSV to read instead of the bundle's LBNL Queued Up table."),
    ] = None,
    provider: Annotated[
        str, typer.Option(help="Format of --file: 'lbnl' (Queued Up) or 'gridstatus'.")
    ] = "lbnl",
    iso: Annotated[
        str | None, typer.Option(help="ISO/RTO of a gridstatus file, e.g. MISO.")
    ] = None,
    spec: Annotated[
        Path | None, typer.Option(help="Campus spec whose [time_to_power] table applies.")
    ] = None,
    data: Annotated[
        Path | None,
        typer.Option(help="Data bundle folder; default: $SITING_DATA or the shipped bundle."),
    ] = None,
) -> None:
    """Print a state's interconnection-queue summary: active GW by ISO and type, completion
    and withdrawal rates, and the request-to-operation duration distribution.

    Example: siting queue --state IN
    """
    from siting.errors import SpecError
    from siting.queue_report import queue_summary_lines
    from siting.spec import load_spec

    try:
        campus_spec = load_spec(spec)
        chosen = state or (campus_spec.region.states or ("",))[0]
        if not chosen:
            raise SpecError(f"{campus_spec.source}: [region] names no state; pass one with --state")
        lines = queue_summary_lines(
            state=chosen.upper(),
            spec=campus_spec,
            data_dir=data,
            file=file,
            provider=provider,
            region=iso,
        )
    except SitingError as err:
        _fail(err)
    typer.echo("\n".join(lines))


@app.command()
def campus(
    weather: Annotated[Path, typer.Option(help="Hourly weather file: EPW or NREL TMY3.")],
    archetype: Annotated[
        str | None,
        typer.Option(
            help="dry_cooler | cooling_tower | adiabatic | air_chiller; default: the spec's."
        ),
    ] = None,
    spec: Annotated[
        Path | None,
        typer.Option(help="Campus spec (TOML) for IT capacity and load factor; default: shipped."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the results as JSON.")] = False,
) -> None:
    """Annual PUE, design PUE, water and energy of the campus model for one weather file.

    Example: siting campus --weather siting/data/weather/USA_IN_Indianapolis.Intl.AP.724380_TMY3.epw
    """
    import json

    from siting.models.campus import campus_report
    from siting.sources.weather_file import read_weather
    from siting.spec import load_spec

    try:
        campus_spec = load_spec(spec)
        result = campus_report(
            read_weather(weather),
            archetype=archetype or campus_spec.cooling_archetype,
            it_capacity_mw=campus_spec.it_capacity_mw,
            load_factor=campus_spec.load_factor,
        )
    except SitingError as err:
        _fail(err)
    if as_json:
        typer.echo(json.dumps(result, indent=2))
        return
    stats = result["weather"]
    typer.echo(
        f"{result['station']} ({result['station_id']}): {result['archetype']}, "
        f"{result['it_capacity_mw']:g} MW IT at load factor {result['load_factor']:g}"
    )
    typer.echo(
        f"  PUE annual {result['pue_annual']:.3f}, design {result['pue_design']:.3f} "
        f"→ peak demand {result['peak_demand_mw']:,.0f} MW"
    )
    typer.echo(
        f"  energy {result['energy_mwh_per_yr']:,.0f} MWh/yr; economizer "
        f"{result['economizer_hours']:,.0f} h/yr"
    )
    typer.echo(
        f"  on-site water {result['wue_site_l_per_kwh']:.3f} L/kWh = "
        f"{result['water_site_m3_per_yr']:,.0f} m³/yr ({result['water_site_gal_per_day']:,.0f} "
        "gal/day)"
    )
    typer.echo(
        f"  weather: 0.4 % dry bulb {stats['dry_bulb_04_degc']:.1f} °C, wet bulb "
        f"{stats['wet_bulb_04_degc']:.1f} °C; CDD(18.3 °C) {stats['cooling_degree_days_18p3']:.0f}"
    )


@app.command()
def rescore(
    run_dir: Annotated[Path, typer.Argument(help="A finished run folder.")],
    weights: Annotated[
        str | None,
        typer.Option(help='New weights, e.g. "connection_cost_musd=0.3,svi_overall_pct=0.7".'),
    ] = None,
    weights_file: Annotated[
        Path | None, typer.Option(help="A TOML file whose [weights] table gives the weights.")
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="Run folder to create; default: out/<run-id>.")
    ] = None,
    maps: Annotated[Path, typer.Option(help="Folder for the map <run-id>.html.")] = Path("maps"),
    top: Annotated[int, typer.Option(help="How many of the old best sites to follow.")] = 10,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Show no progress and no stage log.")
    ] = False,
) -> None:
    """Re-score a finished run with new weights, without recomputing its layers; write a new
    run folder and say where each of the old best sites went.

    Example: siting rescore out/my-run --weights "connection_cost_musd=0.5,svi_overall_pct=0.5"
    """
    import pandas as pd

    from siting import rescore as rescoring
    from siting.errors import SpecError

    _configure_logging(False)
    try:
        if (weights is None) == (weights_file is None):
            raise SpecError("give exactly one of --weights and --weights-file")
        given = (
            rescoring.parse_weights(weights)
            if weights is not None
            else rescoring.weights_file(weights_file)
        )
        old_sites = rescoring.read_sites(run_dir)
        with _progress("siting rescore", skip="layers", quiet=quiet) as progress:
            result = rescoring.rescore_run(
                run_dir, given, out_dir=out, maps_dir=maps, progress=progress
            )
        moves = rescoring.rank_moves(old_sites, result.sites, top_n=top)
    except SitingError as err:
        _fail(err)
    typer.echo(f"run {result.run_id}: {len(result.sites)} candidate sites, re-scored")
    for _, site in result.sites.head(10).iterrows():
        typer.echo(
            f"  {site['rank']:>2}. {site['site_id']:<16} score {site['score']:.3f}  "
            f"{site['area_km2']:.2f} km²  {site['county']} County"
        )
    typer.echo(f"the old best {len(moves)} sites:")
    for _, move in moves.iterrows():
        if pd.isna(move["new_site_id"]):
            where = "no new site on its land"
        else:
            shift = int(move["old_rank"]) - int(move["new_rank"])
            arrow = f"up {shift}" if shift > 0 else f"down {-shift}" if shift < 0 else "same"
            where = (
                f"now {int(move['new_rank'])} ({arrow}) as {move['new_site_id']}, "
                f"{move['overlap_share']:.0%} of its land"
            )
        typer.echo(f"  {int(move['old_rank']):>2}. {move['site_id']:<16} {where}")
    typer.echo(f"outputs: {result.out_dir}")
    typer.echo(f"map:     {result.map_path}")


@app.command()
def rerun(
    manifest: Annotated[Path, typer.Argument(help="A run's manifest.json, or its run folder.")],
    out: Annotated[
        Path | None, typer.Option(help="Run folder to create; default: out/<run-id>.")
    ] = None,
    maps: Annotated[Path, typer.Option(help="Folder for the map <run-id>.html.")] = Path("maps"),
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Show no progress and no stage log.")
    ] = False,
) -> None:
    """Reproduce a run from its manifest and say which outputs came out identical.

    Refuses (exit 2) if any recorded input is missing or its SHA-256 changed. Exits 1 if any
    output differs from the recorded one, 0 if all are identical.

    Example: siting rerun out/20250101-120000-1a2b3c4d/manifest.json --out out/again
    """
    from siting.rerun import rerun as rerun_manifest

    _configure_logging(False)
    try:
        with _progress("siting rerun", quiet=quiet) as progress:
            done = rerun_manifest(manifest, out_dir=out, maps_dir=maps, progress=progress)
    except SitingError as err:
        _fail(err)
    for note in done.notes:
        typer.echo(f"note: {note}")
    typer.echo(f"run {done.result.run_id}: outputs in {done.result.out_dir}")
    for label, names in (
        ("identical", done.identical),
        ("DIFFERENT", done.different),
        ("only in the recorded run", done.only_recorded),
        ("only in the new run", done.only_new),
    ):
        if names:
            typer.echo(f"  {label}: {', '.join(names)}")
    if done.different or done.only_recorded or done.only_new:
        raise typer.Exit(1)


@app.command()
def compare(
    run_a: Annotated[Path, typer.Argument(help="The earlier run folder.")],
    run_b: Annotated[Path, typer.Argument(help="The later run folder.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the comparison as JSON.")] = False,
) -> None:
    """Sites gained, lost, moved and kept from run A to run B, with rank and score changes and
    the contributions that changed most.

    Example: siting compare out/run-a out/run-b
    """
    import json

    from siting.compare import compare_runs, read_run_sites

    try:
        result = compare_runs(read_run_sites(run_a), read_run_sites(run_b))
    except SitingError as err:
        _fail(err)
    if as_json:
        typer.echo(json.dumps(result, indent=2))
        return
    _print_comparison(result)


def _print_comparison(result: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    counts = result["counts"]
    table = Table(
        title=f"{result['run_a']['run_id']} → {result['run_b']['run_id']}: "
        f"{counts['kept']} kept, {counts['moved']} moved, {counts['gained']} gained, "
        f"{counts['lost']} lost"
    )
    for column in ("", "site A → B", "IoU", "rank", "score", "largest contribution changes"):
        table.add_column(column)
    for m in result["matched"]:
        same = m["site_id_a"] == m["site_id_b"]
        changes = ", ".join(
            f"{c['indicator']} {c['change']:+.3f}" for c in m["contributions"] if c["change"]
        )
        table.add_row(
            m["status"],
            m["site_id_b"] if same else f"{m['site_id_a']} → {m['site_id_b']}",
            f"{m['iou']:.2f}",
            f"{m['rank_a']}→{m['rank_b']} ({m['rank_change']:+d})",
            f"{m['score_a']:.3f}→{m['score_b']:.3f} ({m['score_change']:+.3f})",
            changes or "none",
        )
    for s in result["gained"]:
        table.add_row("gained", s["site_id"], "", f"→{s['rank']}", f"→{s['score']:.3f}", "")
    for s in result["lost"]:
        table.add_row("lost", s["site_id"], "", f"{s['rank']}→", f"{s['score']:.3f}→", "")
    Console().print(table)


@app.command()
def validate(
    points: Annotated[
        Path,
        typer.Option(
            help="Known project locations: CSV with lat, lon (EPSG:4326), or GeoJSON/GeoPackage "
            "points in their own CRS."
        ),
    ],
    run: Annotated[Path, typer.Option(help="Run folder written by `siting run`.")],
    seed: Annotated[int, typer.Option(help="Seed of the random background cells.")] = 0,
    random: Annotated[
        int, typer.Option(min=1, help="Number of random background cells (scored land).")
    ] = 10_000,
    as_json: Annotated[bool, typer.Option("--json", help="Print the results as JSON.")] = False,
) -> None:
    """How well a run's score ranks known locations: ROC AUC against random scored cells,
    top-quintile lift, the share on excluded land and each indicator's own AUC.

    Example: siting validate --points known_campuses.csv --run out/my-run
    """
    import json

    from siting.validate import validate_run

    try:
        result = validate_run(points, run, seed=seed, n_random=random)
    except SitingError as err:
        _fail(err)
    if as_json:
        typer.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
        return
    _print_validation(result)


def _print_validation(result) -> None:
    from rich.table import Table

    console = _console()
    counts = result.counts
    n_in_area = counts["scored"] + counts["excluded"]
    summary = Table(title=f"{result.points_file} on {result.run_dir}", show_header=False)
    summary.add_column("measure")
    summary.add_column("value", justify="right", no_wrap=True)
    for status, n in counts.items():
        summary.add_row(f"points {status}", str(n))
    summary.add_row(
        "share on excluded land (of points in the study area)",
        f"{result.excluded_share:.3f} ({counts['excluded']} of {n_in_area})",
    )
    summary.add_row(
        "random background cells (scored land)", f"{result.n_random:,} (seed {result.seed})"
    )
    summary.add_row(
        "points left out of AUC and lift (no score)", str(len(result.points) - counts["scored"])
    )
    summary.add_row("score AUC (0.5 = no better than chance)", _cell(result.auc, ".3f"))
    summary.add_row("top-quintile lift (1 = chance, 5 = best)", _cell(result.lift, ".2f"))
    console.print(summary)
    indicators = Table(title="each indicator's own AUC (its suitability band)")
    indicators.add_column("indicator")
    indicators.add_column("AUC", justify="right", no_wrap=True)
    indicators.add_column("points", justify="right", no_wrap=True)
    for row in result.indicators.itertuples():
        indicators.add_row(row.indicator, _cell(row.auc, ".3f"), str(row.n_points))
    console.print(indicators)
    for note in result.notes:
        console.print(f"note: {note}")


@app.command()
def explain(
    site_id: Annotated[str, typer.Argument(help="Site id, e.g. IN-873E-1914N (see sites.csv).")],
    run: Annotated[Path, typer.Option(help="Run folder written by `siting run`.")],
) -> None:
    """Print one site's score card: raw value → suitability → weight → contribution for each
    scored indicator, the penalty, and the per-site assessment columns.

    Example: siting explain IN-873E-1914N --run out/my-run
    """
    from rich.table import Table

    from siting.explain import score_card

    try:
        card = score_card(run, site_id)
    except SitingError as err:
        _fail(err)
    console = _console()
    site = card.site
    console.print(
        f"[bold]{site['site_id']}[/bold], rank {site['rank']}: {site['county']} County, "
        f"{site['area_km2']:.2f} km², centroid {site['centroid_lat']:.4f}, "
        f"{site['centroid_lon']:.4f}"
    )
    table = Table(title="score card")
    table.add_column("indicator", no_wrap=True)
    table.add_column("raw value")
    table.add_column("transform to suitability")
    for name in ("suitability", "weight", "contribution"):
        table.add_column(name, justify="right", no_wrap=True)
    for row in card.indicators.itertuples():
        table.add_row(
            row.indicator,
            f"{_cell(row.raw)} {row.units}",
            row.transform,
            _cell(row.suitability, ".3f"),
            f"{row.weight:.3f}",
            _cell(row.contribution, ".4f"),
        )
    console.print(table)
    console.print(
        f"sum of contributions {card.contributions_sum:.4f} + penalty {card.penalty:.4f} "
        f"= score {site['score']:.4f}"
    )
    for name, columns in card.assessments.items():
        group = Table(title=name)
        group.add_column("column")
        group.add_column("value")
        group.add_column("units")
        for row in columns.itertuples():
            group.add_row(row.column, _cell(row.value), row.units)
        console.print(group)


@app.command()
def query(
    run: Annotated[
        Path | None, typer.Option(help="Run folder written by `siting run`: its nearest sites.")
    ] = None,
    lat: Annotated[float | None, typer.Option(help="Latitude of the point. [degrees]")] = None,
    lon: Annotated[float | None, typer.Option(help="Longitude of the point. [degrees]")] = None,
    zip_code: Annotated[
        str | None, typer.Option("--zip", help="5-digit ZIP code: its area's centre.")
    ] = None,
    site: Annotated[
        Path | None,
        typer.Option(
            help="A proposed campus: a polygon file, or a point with radius_m; optional "
            "it_capacity_mw and cooling_archetype attributes override the spec's campus."
        ),
    ] = None,
    spec: Annotated[
        Path | None, typer.Option(help="Campus spec (TOML); default: the run's, else shipped.")
    ] = None,
    data: Annotated[
        Path | None,
        typer.Option(help="Data bundle folder; default: $SITING_DATA or the shipped bundle."),
    ] = None,
    assess: Annotated[
        bool,
        typer.Option(
            "--assess", help="Also assess a hypothetical campus of the spec's size at the point."
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the answer as JSON.")] = False,
    lang: Annotated[str, typer.Option(help="Language of the statements.")] = "en",
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Show no progress and no stage log.")
    ] = False,
) -> None:
    """What a campus would mean at a point, a ZIP code or a proposed site: the run's nearest
    sites, the local context, and a campus's power, water, emissions, neighbours and jobs,
    each with its source and confidence. Writes nothing.

    Example: siting query --run out/my-run --zip 46140
    Example: siting query --site proposed_campus.geojson
    """
    import json

    _configure_logging(False)
    try:
        runs = site is not None or assess
        with _progress("siting query", skip="write", quiet=quiet or not runs) as progress:
            result = _query(run, lat, lon, zip_code, site, spec, data, assess, lang, progress)
    except SitingError as err:
        _fail(err)
    if as_json:
        typer.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
        return
    from siting.query import text_lines

    typer.echo("\n".join(text_lines(result)))


def _query(run, lat, lon, zip_code, site, spec, data, assess, lang, progress=None):
    """The query the options ask for (see :func:`query`)."""
    from siting.errors import SpecError
    from siting.query import (
        QueryResult,
        assess_point,
        assess_site_file,
        bundle_inputs,
        locate,
        nearest_sites,
        point_context,
        query_languages,
        read_run,
        run_inputs,
    )
    from siting.rerun import recorded_spec
    from siting.spec import load_spec

    if lang not in query_languages():
        raise SpecError(f"--lang must be one of {list(query_languages())}, got {lang!r}")
    pointed = zip_code is not None or lat is not None or lon is not None
    if site is not None and pointed:
        raise SpecError("give either --site or a point (--lat/--lon or --zip), not both")
    if zip_code is not None and (lat is not None or lon is not None):
        raise SpecError("give either --zip or --lat/--lon, not both")
    if site is None and not pointed:
        raise SpecError("give a point (--lat and --lon, or --zip) or a proposed campus (--site)")
    if site is not None:
        if run is not None:
            raise SpecError("--site is assessed on its own; drop --run (or query a point)")
        found = assess_site_file(site, load_spec(spec), data_dir=data, lang=lang, progress=progress)
        return QueryResult(campuses=tuple(found), lang=lang)
    if run is not None:
        manifest, sites = read_run(run)
        inputs = run_inputs(manifest)
        campus = load_spec(spec) if spec else recorded_spec(manifest)[0]
        data = data or inputs.bundle.catalogue.parent
    else:
        campus = load_spec(spec)
        inputs = bundle_inputs(campus, data)
    place = locate(inputs, lat_deg=lat, lon_deg=lon, zip_code=zip_code)
    return QueryResult(
        place=place,
        run_id=manifest["run_id"] if run is not None else None,
        nearest=tuple(nearest_sites(sites, place)) if run is not None else (),
        context=tuple(point_context(inputs, place, lang=lang)),
        campuses=(
            tuple(assess_point(place, campus, data_dir=data, lang=lang, progress=progress))
            if assess
            else ()
        ),
        lang=lang,
    )


@app.command()
def screen(
    spec: Annotated[
        Path | None, typer.Option(help="Campus spec (TOML); default: the shipped 1 GW spec.")
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="Folder to create; default: out/screen-<time>.")
    ] = None,
    top: Annotated[int, typer.Option(help="Counties to list, card in report.md, outline.")] = 25,
    data: Annotated[
        Path | None,
        typer.Option(help="Data bundle folder; default: $SITING_DATA or the shipped bundle."),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the top counties as JSON.")
    ] = False,
) -> None:
    """Score every county of the contiguous US for the campus spec from national tables; write
    a ranked county table, score cards, a report and an offline choropleth map.

    Example: siting screen --out out/screen --top 10
    """
    import datetime as dt
    import json

    from siting.screen import screen as run_screen
    from siting.spec import load_spec

    _configure_logging(False)
    if out is None:
        out = Path("out") / f"screen-{dt.datetime.now():%Y%m%d-%H%M%S}"
    try:
        result = run_screen(load_spec(spec), out_dir=out, data_dir=data, top_n=top)
    except SitingError as err:
        _fail(err)
    best = result.ranked[result.ranked["rank"].notna()].head(top)
    if as_json:
        columns = ["rank", "fips", "county_name", "state_abbr", "score", "known_weight", "reasons"]
        records = json.loads(best[columns].to_json(orient="records"))
        typer.echo(json.dumps({"out_dir": str(out), "counties": records}, indent=2))
        return
    typer.echo(f"screen: {int(result.ranked['rank'].notna().sum())} counties ranked")
    for _, row in best.iterrows():
        typer.echo(
            f"  {row['rank']:>3}. {row['county_name']}, {row['state_abbr']} ({row['fips']})  "
            f"score {row['score']:.3f}  {row['reasons']}"
        )
    typer.echo(f"outputs: {out}")


@app.command()
def national(
    resolution_m: Annotated[float, typer.Option(help="Cell size of the CONUS grid [m].")] = 1000.0,
    chunk_cells: Annotated[
        int, typer.Option(help="Cells per side of each dask chunk (a multiple of 256).")
    ] = 2048,
    scheduler: Annotated[
        str | None,
        typer.Option(help="Address of a dask.distributed scheduler; default: local threads."),
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="Folder to create; default: out/national-<time>.")
    ] = None,
    spec: Annotated[
        Path | None, typer.Option(help="Campus spec (TOML); default: the shipped 1 GW spec.")
    ] = None,
    top: Annotated[int, typer.Option(help="Counties whose best cell is listed.")] = 25,
    data: Annotated[
        Path | None,
        typer.Option(help="Data bundle folder; default: $SITING_DATA or the shipped bundle."),
    ] = None,
) -> None:
    """Score a CONUS raster (EPSG:5070) chunk by chunk with dask; write a tiled score GeoTIFF,
    the best cells, a manifest and a report. The grid-distance layers are SYNTHETIC.

    Example: siting national --resolution-m 1000 --out out/national
    """
    import datetime as dt

    from siting.national import national as run_national
    from siting.national_synthetic import LABEL
    from siting.spec import load_spec

    _configure_logging(False)
    if out is None:
        out = Path("out") / f"national-{dt.datetime.now():%Y%m%d-%H%M%S}"
    try:
        result = run_national(
            load_spec(spec),
            out_dir=out,
            resolution_m=resolution_m,
            chunk_cells=chunk_cells,
            scheduler=scheduler,
            top_n=top,
            data_dir=data,
        )
    except SitingError as err:
        _fail(err)
    rows, cols = result.grid.shape
    typer.echo(
        f"national: {rows} × {cols} cells of {resolution_m:g} m in {result.seconds:.1f} s "
        f"({result.scheduler}, chunks of {chunk_cells})"
    )
    typer.echo(
        f"{LABEL} layers (generated network, not data): {', '.join(result.synthetic_layers)}"
    )
    for row in result.top.head(10).itertuples():
        typer.echo(
            f"  {row.rank:>3}. {row.county_name}, {row.state_abbr} ({row.fips})  "
            f"score {row.score:.3f}  at {row.lat_deg:.3f}, {row.lon_deg:.3f}"
        )
    typer.echo(f"outputs: {out}")


def _console():
    """A rich console; off a terminal wide enough that no table is squeezed."""
    from rich.console import Console

    return Console(highlight=False, width=None if sys.stdout.isatty() else 160)


def _cell(value, fmt: str = ".4g") -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "UNKNOWN"
    if isinstance(value, bool | str):
        return str(value)
    if fmt == ".4g" and abs(value) >= 10_000:
        return f"{value:,.0f}"
    return format(value, fmt)


def main() -> None:
    """Entry point for ``python -m siting``."""
    app()
