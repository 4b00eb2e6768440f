"""What a run shows while it works: the steps its progress callback hears, the stage log off a
terminal, the bars on one, and silence with --quiet."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from rich.console import Console
from typer.testing import CliRunner

from layers import REGISTRY as LAYERS
from siting.cli import app
from siting.pipeline import STEPS, run
from siting.progress import shown

runner = CliRunner()

STAGE_LINE = re.compile(r"^siting run: (?P<step>[a-z]+) (?P<seconds>\d+\.\d) s$")


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def heard(tmp_path_factory, two_states):
    """Every call the progress callback of one two-state run received, in order."""
    calls = []
    base = tmp_path_factory.mktemp("progress_run")
    result = run(
        two_states.spec,
        out_dir=base / "run",
        maps_dir=base / "maps",
        data_dir=two_states.root,
        progress=lambda step, done=None, total=None: calls.append((step, done, total)),
    )
    return calls, result


def test_callback_hears_every_step_in_order(heard):
    calls, result = heard
    starts = [step for step, done, _ in calls if done is None]
    assert starts == list(STEPS)
    assert set(starts) == {k for k in result.manifest["timings_s"] if "." not in k}


def test_callback_counts_the_parts_of_a_step(heard):
    calls, result = heard
    layers = [(done, total) for step, done, total in calls if step == "layers" and done]
    n_layers = len([k for k in result.manifest["timings_s"] if k.startswith("layers.")])
    assert n_layers == len(LAYERS)
    assert layers == [(k, n_layers) for k in range(1, n_layers + 1)]
    writes = [done for step, done, total in calls if step == "write" and done]
    parts = [k for k in result.manifest["timings_s"] if k.startswith("write.")]
    assert writes == list(range(1, len(parts) + 1))


def test_stage_log_when_piped(tmp_path, two_states):
    result = invoke(
        "run",
        "--spec",
        two_states.spec_path,
        "--data",
        two_states.root,
        "--out",
        tmp_path / "out",
        "--maps",
        tmp_path / "maps",
    )
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    matches = [STAGE_LINE.match(line) for line in lines]
    assert all(matches), lines
    assert [m["step"] for m in matches] == list(STEPS)
    assert "siting run" not in result.stdout


def test_quiet_shows_nothing(tmp_path, two_states):
    result = invoke(
        "run",
        "-q",
        "--spec",
        two_states.spec_path,
        "--data",
        two_states.root,
        "--out",
        tmp_path / "out",
        "--maps",
        tmp_path / "maps",
    )
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert "candidate sites" in result.stdout


def test_quiet_keeps_the_error(tmp_path):
    result = invoke("run", "--quiet", "--spec", tmp_path / "none.toml")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ")
    assert len(result.stderr.splitlines()) == 1


def test_stage_log_is_one_line_per_step_with_seconds():
    console = Console(file=StringIO())
    with shown("siting rescore", ["inputs", "score"], console=console) as progress:
        progress("inputs")
        progress("score")
        progress("score", 1, 2)
    lines = console.file.getvalue().splitlines()
    assert [line.rsplit(" ", 2)[0] for line in lines] == [
        "siting rescore: inputs",
        "siting rescore: score",
    ]
    assert all(line.endswith(" s") for line in lines)


def test_stage_log_is_withheld_when_the_run_fails():
    console = Console(file=StringIO())
    with pytest.raises(RuntimeError), shown("siting run", STEPS, console=console) as progress:
        progress("inputs")
        progress("layers")
        raise RuntimeError("layers failed")
    assert console.file.getvalue() == ""


def test_quiet_yields_no_callback():
    console = Console(file=StringIO(), force_terminal=True)
    with shown("siting run", STEPS, quiet=True, console=console) as progress:
        assert progress is None
    assert console.file.getvalue() == ""


def test_terminal_shows_step_count_name_and_parts():
    console = Console(file=StringIO(), force_terminal=True, width=100, color_system=None)
    with shown("siting run", STEPS, console=console) as progress:
        progress("inputs")
        progress("layers")
        progress("layers", 3, 12)
    text = console.file.getvalue()
    assert "siting run" in text
    assert f"step 2/{len(STEPS)}" in text
    assert "  layers" in text
    assert "3/12" in text
    assert "\x1b[2K" in text  # a live display, cleared when done
    assert "siting run: layers" not in text  # no stage log on a terminal
