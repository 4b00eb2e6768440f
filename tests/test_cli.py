"""The command line: help, a clean one-line error and exit code 2 for every user error."""

import json
import shutil

import pytest
from typer.testing import CliRunner

from siting.cli import app
from tests.conftest import DATA_DIR

runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_help_lists_every_command_with_an_example():
    result = invoke("--help")
    assert result.exit_code == 0
    for command in ("run", "layers", "queue", "campus"):
        assert command in result.output
    assert "Example" in invoke("run", "--help").output


def test_layers_lists_the_registry():
    result = invoke("layers")
    assert result.exit_code == 0
    assert "line_distance_km" in result.output and "proxy" in result.output


def one_line_error(result, *fragments):
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def test_bad_spec(tmp_path):
    spec = tmp_path / "bad.toml"
    spec.write_text("[campus]\nit_capacity_mv = 1000\n")
    out = tmp_path / "out"
    result = invoke("run", "--spec", str(spec), "--out", str(out), "--maps", str(tmp_path / "m"))
    one_line_error(result, "bad.toml", "it_capacity_mv", "allowed")
    assert not out.exists()


def test_missing_spec_file(tmp_path):
    one_line_error(invoke("run", "--spec", str(tmp_path / "none.toml")), "none.toml", "not found")


def test_existing_output_is_never_overwritten(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("earlier run")
    result = invoke("run", "--out", str(out), "--maps", str(tmp_path / "m"))
    one_line_error(result, str(out), "not empty")
    assert (out / "keep.txt").read_text() == "earlier run"
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]


def test_unwritable_output(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    one_line_error(
        invoke("run", "--out", str(blocker / "run"), "--maps", str(tmp_path / "m")), str(blocker)
    )


@pytest.fixture
def data_copy(tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return copy


def test_corrupt_geopackage(tmp_path, data_copy):
    (data_copy / "indiana.gpkg").write_bytes(b"this is not a geopackage")
    out = tmp_path / "out"
    result = invoke(
        "run", "--data", str(data_copy), "--out", str(out), "--maps", str(tmp_path / "m")
    )
    one_line_error(result, "indiana.gpkg")
    assert not out.exists()
    assert not list(tmp_path.glob(".out.partial-*"))


def test_missing_table(tmp_path, data_copy):
    (data_copy / "tables" / "cdc_svi_2022_county.csv").unlink()
    result = invoke(
        "run", "--data", str(data_copy), "--out", str(tmp_path / "o"), "--maps", str(tmp_path / "m")
    )
    one_line_error(result, "cdc_svi_2022_county.csv", "not found")


def test_table_missing_a_column(tmp_path, data_copy):
    path = data_copy / "tables" / "usgs_water_use_2015_county.csv"
    path.write_text(path.read_text().replace("TO-WFrTo", "TO-Fresh", 1))
    result = invoke(
        "run", "--data", str(data_copy), "--out", str(tmp_path / "o"), "--maps", str(tmp_path / "m")
    )
    one_line_error(result, "usgs_water_use_2015_county.csv", "TO-WFrTo", "missing")


def test_missing_bundle(tmp_path):
    result = invoke(
        "run",
        "--data",
        str(tmp_path / "nothing"),
        "--out",
        str(tmp_path / "o"),
        "--maps",
        str(tmp_path / "m"),
    )
    one_line_error(result, "indiana.toml", "not found", "--data")


def test_version():
    import siting

    result = invoke("--version")
    assert result.exit_code == 0
    assert result.output.strip() == f"siting {siting.__version__}"


def test_outputs_are_ordinary_files(default_run):
    import os
    import stat

    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(default_run.out_dir.stat().st_mode) == 0o777 & ~umask
    assert stat.S_IMODE(default_run.map_path.stat().st_mode) == 0o666 & ~umask


def test_plant_table_in_the_wrong_schema(tmp_path, data_copy):
    path = data_copy / "tables" / "eia_power_plants_202311_indiana_region.csv"
    path.write_text(path.read_text().replace("NG_MW", "Gas_MW", 1))
    result = invoke(
        "run", "--data", str(data_copy), "--out", str(tmp_path / "o"), "--maps", str(tmp_path / "m")
    )
    one_line_error(result, "eia_power_plants", "NG_MW", "EIA Energy Atlas")


def test_queue_summary_for_indiana():
    result = invoke("queue", "--state", "IN", "--data", str(DATA_DIR))
    assert result.exit_code == 0
    for fragment in (
        "not large-load",
        "Active capacity by ISO region and type [GW]",
        "Request-to-operation duration",
        "County join:",
        "POI names:",
        "Data problems",
    ):
        assert fragment in result.output
    assert "Example: siting queue --state IN" in invoke("queue", "--help").output


def test_queue_summary_of_a_gridstatus_file(tmp_path):
    from tests.queue_fixtures import GRIDSTATUS_COLUMNS, write_csv

    rows = [
        {
            "Queue ID": "1",
            "County": "Allen",
            "State": "IN",
            "Capacity (MW)": "100",
            "Queue Date": "2019-01-01",
            "Status": "Completed",
            "Actual Completion Date": "2023-01-01",
            "Generation Type": "Solar",
        },
    ]
    path = write_csv(tmp_path / "q.csv", GRIDSTATUS_COLUMNS, rows)
    result = invoke("queue", "--file", str(path), "--provider", "gridstatus", "--iso", "MISO")
    assert result.exit_code == 0, result.output
    assert "MISO" in result.output and "(gridstatus)" in result.output


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (("--state", "ZZ"), ("no requests with state 'ZZ'",)),
        (("--file", "nowhere.csv"), ("nowhere.csv", "not found")),
        (("--provider", "gridstatus", "--file", "x.csv"), ("--iso",)),
    ],
)
def test_queue_errors_are_one_line(tmp_path, args, fragments):
    args = tuple(str(tmp_path / a) if a.endswith(".csv") else a for a in args)
    if "x.csv" in " ".join(args):
        (tmp_path / "x.csv").write_text("a,b\n1,2\n")
    one_line_error(invoke("queue", *args), *fragments)


INDIANAPOLIS = DATA_DIR / "weather" / "USA_IN_Indianapolis.Intl.AP.724380_TMY3.epw"


def test_campus_json_has_the_documented_keys():
    result = invoke("campus", "--weather", str(INDIANAPOLIS), "--archetype", "adiabatic", "--json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert {
        "pue_annual",
        "pue_design",
        "wue_site_l_per_kwh",
        "economizer_hours",
        "energy_mwh_per_yr",
    } <= set(data)
    assert data["archetype"] == "adiabatic" and data["station_id"] == "724380"


def test_campus_text_uses_the_spec_archetype():
    result = invoke("campus", "--weather", str(INDIANAPOLIS))
    assert result.exit_code == 0
    assert "dry_cooler" in result.output and "PUE annual" in result.output


def test_campus_bad_archetype_and_bad_file(tmp_path):
    one_line_error(
        invoke("campus", "--weather", str(INDIANAPOLIS), "--archetype", "fan"),
        "archetype must be one of",
        "'fan'",
    )
    bad = tmp_path / "x.epw"
    bad.write_text("hello\n")
    one_line_error(invoke("campus", "--weather", str(bad)), "x.epw", "not an EPW file")
    one_line_error(invoke("campus", "--weather", str(tmp_path / "no.epw")), "no.epw", "not found")


def test_a_spec_with_no_room_returns_the_reason_not_a_hang(tmp_path):
    """Every cell excluded: exit 0 with no site, the reason, and the full ledger."""
    spec = tmp_path / "none.toml"
    spec.write_text(
        '[[exclusions]]\nname = "everything"\nkind = "indicator"\n'
        'indicator = "pop_density_per_km2"\nabove = -1.0\n'
    )
    out = tmp_path / "o"
    result = invoke("run", "--spec", str(spec), "--out", str(out), "--maps", str(tmp_path / "m"))
    assert result.exit_code == 0
    assert "0 candidate sites" in result.output and "no eligible cell" in result.output
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["region_search"]["found"] == 0
    assert "no eligible cell" in (out / "report.md").read_text()
    ledger = (out / "exclusions.csv").read_text()
    assert "everything" in ledger
