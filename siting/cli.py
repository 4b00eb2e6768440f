"""Command line: a thin typer layer over the pipeline.

Only this module prints or configures logging. It catches :class:`SitingError` alone and turns it
into one line on stderr and exit code 2; any other exception is a bug and shows its traceback.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated

import typer

from siting.errors import SitingError

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
) -> None:
    """Score the region against a campus spec; write ranked sites, rasters, a report and a map.

    Example: siting run --spec my_campus.toml --out out/my-run
    """
    from siting.pipeline import run as run_pipeline
    from siting.spec import load_spec

    _configure_logging(verbose)
    try:
        campus = load_spec(spec)
        with _progress() as progress:
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
def _progress() -> Iterator[Callable[[str], None] | None]:
    """A status line naming the current step, on a terminal only."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console

    with Console(stderr=True).status("starting") as status:
        yield lambda name: status.update(f"siting run: {name}")


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


def main() -> None:
    """Entry point for ``python -m siting``."""
    app()
