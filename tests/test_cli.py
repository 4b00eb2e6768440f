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
    for command in ("run", "layers", "campus"):
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
    (data_copy / "tables" / "county_svi_2022.csv").unlink()
    result = invoke(
        "run", "--data", str(data_copy), "--out", str(tmp_path / "o"), "--maps", str(tmp_path / "m")
    )
    one_line_error(result, "county_svi_2022.csv", "not found")


def test_table_missing_a_column(tmp_path, data_copy):
    path = data_copy / "tables" / "county_water_use_2015.csv"
    path.write_text(path.read_text().replace("fresh_withdrawal_mgd", "fresh_mgd", 1))
    result = invoke(
        "run", "--data", str(data_copy), "--out", str(tmp_path / "o"), "--maps", str(tmp_path / "m")
    )
    one_line_error(result, "county_water_use_2015.csv", "fresh_withdrawal_mgd", "missing")


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
    one_line_error(result, "indiana.gpkg", "not found")


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
