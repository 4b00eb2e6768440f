"""Bad inputs and bad output locations: each ends in the one-line error and exit code 2, before
any output is written, and leaves the inputs as they were."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import time
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from siting import manifest, report
from siting.cli import app
from siting.spec import load_spec

runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


def tree_hashes(*roots: Path) -> dict[str, str]:
    """SHA-256 of every file under ``roots`` (or of the file itself)."""
    files = [p for r in roots for p in ([r] if r.is_file() else sorted(r.rglob("*")))]
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in files if p.is_file()}


def refused(result, *fragments, out: Path, maps: Path):
    """One line on stderr holding every fragment, exit 2, no run folder, no map, no staging."""
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    assert not (out.exists() and any(out.iterdir())) if out.is_dir() else not out.exists()
    assert not list(maps.glob("*.html")) if maps.exists() else True
    assert not list(out.parent.glob(f".{out.name}.partial-*"))


@pytest.fixture
def bundle(tmp_path, two_states):
    """A private copy of the two-state fixture bundle and its spec."""
    root = tmp_path / "bundle"
    shutil.copytree(two_states.root, root)
    spec = tmp_path / "two_states.toml"
    shutil.copy(two_states.spec_path, spec)
    return root, spec


def run_two_states(tmp_path, root, spec, *extra):
    out, maps = tmp_path / "out", tmp_path / "maps"
    before = tree_hashes(root, spec)
    result = invoke("run", "--spec", spec, "--data", root, "--out", out, "--maps", maps, *extra)
    assert tree_hashes(root, spec) == before
    return result, out, maps


def rewrite_csv(path: Path, edit) -> None:
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    edit(table).to_csv(path, index=False)


# ---------------------------------------------------------------------------------------------
# 1. county joins that match too few counties
# ---------------------------------------------------------------------------------------------


def test_svi_table_of_other_counties_is_refused(tmp_path, bundle):
    """FIPS that lost their state part (Illinois and Pennsylvania codes for Indiana's and Ohio's
    counties): without the
    check every county's SVI is UNKNOWN and the run succeeds."""
    root, spec = bundle

    def other_states(table):
        return table.assign(FIPS=table["FIPS"].replace({"18": "17", "39": "42"}, regex=True))

    rewrite_csv(root / "svi.csv", other_states)
    result, out, maps = run_two_states(tmp_path, root, spec)
    refused(result, "svi.csv", "0 of the 4 counties", "FIPS", out=out, maps=maps)


def test_water_table_covering_one_county_in_four_is_refused(tmp_path, bundle):
    root, spec = bundle
    rewrite_csv(root / "water.csv", lambda t: t[t["FIPS"] == "18001"])
    result, out, maps = run_two_states(tmp_path, root, spec)
    refused(result, "water.csv", "1 of the 4 counties", out=out, maps=maps)


def test_warming_fips_written_as_decimals_still_join(tmp_path, bundle):
    """``18001.0`` is a spreadsheet's integer: padded back to 5 digits, it joins."""
    root, spec = bundle
    rewrite_csv(root / "warming.csv", lambda t: t.assign(fips=t["fips"] + ".0"))
    result, out, _ = run_two_states(tmp_path, root, spec)
    assert result.exit_code == 0, result.output
    assert (out / "manifest.json").is_file()


def test_buffer_table_of_no_study_county_is_refused(tmp_path, bundle):
    root, spec = bundle
    (tmp_path / "setbacks.csv").write_text("fips,buffer_m\n1001,600\n1003,600\n")
    text = spec.read_text().replace(
        "buffer_m = 500.0\n", 'buffer_m = 500.0\nbuffer_by_county = "setbacks.csv"\n', 1
    )
    spec.write_text(text)
    result, out, maps = run_two_states(tmp_path, root, spec)
    refused(result, "setbacks.csv", "0 of the 4 counties", out=out, maps=maps)


# ---------------------------------------------------------------------------------------------
# 2. output locations checked before any work
# ---------------------------------------------------------------------------------------------


def test_out_dot_is_refused(tmp_path, bundle, monkeypatch):
    root, spec = bundle
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    maps = tmp_path / "maps"
    result = invoke("run", "--spec", spec, "--data", root, "--out", ".", "--maps", maps)
    refused(result, "current folder", "--out", out=work / "never", maps=maps)
    assert not list(work.iterdir()) and not list(tmp_path.glob(".*partial-*"))


def test_out_existing_file_is_refused(tmp_path, bundle):
    root, spec = bundle
    target = tmp_path / "out"
    target.write_text("not a folder")
    maps = tmp_path / "maps"
    result = invoke("run", "--spec", spec, "--data", root, "--out", target, "--maps", maps)
    assert target.read_text() == "not a folder"
    target.unlink()
    refused(result, str(target), "is a file", "--out", out=target, maps=maps)


def test_out_dangling_symlink_is_refused(tmp_path, bundle):
    root, spec = bundle
    link = tmp_path / "out"
    link.symlink_to(tmp_path / "gone")
    maps = tmp_path / "maps"
    result = invoke("run", "--spec", spec, "--data", root, "--out", link, "--maps", maps)
    assert link.is_symlink() and not (tmp_path / "gone").exists()
    link.unlink()
    refused(result, str(link), "symbolic link", "--out", out=link, maps=maps)


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into any folder")
def test_unwritable_out_parent_is_refused(tmp_path, bundle):
    root, spec = bundle
    parent = tmp_path / "locked"
    parent.mkdir()
    parent.chmod(0o500)
    try:
        result, _, maps = run_two_states(tmp_path, root, spec, "--out", parent / "run")
    finally:
        parent.chmod(0o700)
    refused(result, str(parent), "not writable", out=parent / "run", maps=maps)


@pytest.mark.skipif(
    not Path("/proc/sys").is_dir() or os.access("/proc/sys", os.W_OK),
    reason="needs a folder this user cannot write",
)
def test_out_in_a_folder_nobody_may_write_is_refused(tmp_path, bundle):
    root, spec = bundle
    target = Path("/proc/sys/siting-run")
    result, _, maps = run_two_states(tmp_path, root, spec, "--out", target)
    refused(result, "/proc/sys", "not writable", out=target, maps=maps)


# ---------------------------------------------------------------------------------------------
# 3. run ids of runs started in the same second
# ---------------------------------------------------------------------------------------------


def test_runs_started_in_the_same_second_get_distinct_ids(two_states):
    from siting.bundle import open_bundle

    spec = load_spec()
    found = open_bundle("two_states", two_states.root)
    import datetime as dt

    now = dt.datetime(2026, 1, 1, 12, 0, 0)
    ids = {manifest.make_run_id(spec, found, now) for _ in range(50)}
    assert len(ids) == 50
    assert all(i.startswith("20260101-120000-") for i in ids)


def test_a_map_of_an_earlier_run_is_never_replaced(tmp_path, bundle, monkeypatch):
    root, spec = bundle
    maps = tmp_path / "maps"
    maps.mkdir()
    monkeypatch.setattr(manifest, "make_run_id", lambda *a, **k: "20260101-120000-00000000")
    (maps / "20260101-120000-00000000.html").write_text("earlier run's map")
    result = invoke(
        "run", "--spec", spec, "--data", root, "--out", tmp_path / "out", "--maps", maps
    )
    assert (maps / "20260101-120000-00000000.html").read_text() == "earlier run's map"
    assert result.exit_code == 2 and "already holds" in result.stderr
    assert not (tmp_path / "out").exists()


# ---------------------------------------------------------------------------------------------
# 4. staging folders of killed runs
# ---------------------------------------------------------------------------------------------


def _dead_pid() -> int:
    pid = 4_000_000
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return pid
        except PermissionError:
            pass
        pid -= 1


def test_stale_staging_folders_of_killed_runs_are_removed(tmp_path, bundle):
    root, spec = bundle
    now = int(time.time())
    stale = tmp_path / f".old.partial-{_dead_pid()}-{now - 3600}-abcd1234"
    young = tmp_path / f".young.partial-{_dead_pid()}-{now}-abcd1234"
    alive = tmp_path / f".alive.partial-{os.getpid()}-{now - 3600}-abcd1234"
    foreign = tmp_path / ".notes.partial-keep"
    for folder in (stale, young, alive, foreign):
        folder.mkdir()
        (folder / "score.tif").write_bytes(b"x" * 1000)
    result, _, _ = run_two_states(tmp_path, root, spec)
    assert result.exit_code == 0, result.output
    assert not stale.exists()
    assert young.exists() and alive.exists() and foreign.exists()


def test_staging_folder_names_carry_pid_and_time(tmp_path):
    with report.staged_dir(tmp_path / "run") as staging:
        _, pid, created, _ = staging.name.rsplit("-", 3)
        assert int(pid) == os.getpid()
        assert abs(int(created) - time.time()) < 60
    assert (tmp_path / "run").is_dir()


# ---------------------------------------------------------------------------------------------
# 5. write errors
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "words"), [(errno.ENOSPC, "No space left"), (errno.EACCES, "Permission denied")]
)
def test_write_error_is_one_line_and_leaves_nothing(tmp_path, bundle, monkeypatch, code, words):
    root, spec = bundle

    def full(path, *args, **kwargs):
        raise OSError(code, os.strerror(code), str(path))

    monkeypatch.setattr(report, "write_tiled_raster", full)
    result, out, maps = run_two_states(tmp_path, root, spec)
    refused(result, str(out), words, "suitability.tif", out=out, maps=maps)
    assert not out.exists()


def test_map_write_error_leaves_no_run_folder(tmp_path, bundle, monkeypatch):
    root, spec = bundle
    real = report.write_atomic_text

    def full(path, text):
        if path.name.endswith("-community.html"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        real(path, text)

    monkeypatch.setattr(report, "write_atomic_text", full)
    result, out, maps = run_two_states(tmp_path, root, spec)
    refused(result, "No space left", out=out, maps=maps)
    assert not out.exists()


# ---------------------------------------------------------------------------------------------
# 6. bad spec files
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "fragments"),
    [
        (None, ("is a folder", "TOML")),
        (b'[campus]\nname = "caf\xe9"\n', ("not UTF-8",)),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", ("TOML",)),
        (b"transforms = 3\n", ("transforms",)),
        (b'[region]\ncrs = "EPSG:99999"\n', ("EPSG:99999", "crs")),
    ],
    ids=["directory", "latin-1", "binary", "transforms-number", "unknown-crs"],
)
def test_bad_spec_file(tmp_path, content, fragments):
    spec = tmp_path / "spec.toml"
    if content is None:
        spec.mkdir()
    else:
        spec.write_bytes(content)
    before = tree_hashes(spec) if content is not None else {}
    out, maps = tmp_path / "out", tmp_path / "maps"
    result = invoke("run", "--spec", spec, "--out", out, "--maps", maps)
    refused(result, str(spec), *fragments, out=out, maps=maps)
    assert (tree_hashes(spec) if content is not None else {}) == before
