"""The national raster run: chunked equals whole, any chunking and scheduler give the same
score, SYNTHETIC layers are labelled, UNKNOWN never helps and banned counties are excluded."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pandas as pd
import pytest
import rasterio
from typer.testing import CliRunner

from siting.cli import app
from siting.errors import SpecError
from siting.grid import Grid
from siting.national import (
    SYNTHETIC_LAYERS,
    Window,
    national_inputs,
    national_score,
    national_weights,
    run_national,
    window_score,
)
from siting.national_synthetic import capped_distance_km, line_cells, synthetic_network
from siting.spec import load_spec

RESOLUTION_M = 2000.0
MARGIN_M = 300_000.0


@pytest.fixture(scope="module")
def conus_inputs():
    return national_inputs(load_spec(None), resolution_m=RESOLUTION_M)


@pytest.fixture(scope="module")
def indiana(conus_inputs):
    """The inputs on a window reaching 300 km around Indiana (the only state with county bans
    on record)."""
    fips = np.array(conus_inputs.county_fips)
    bounds = conus_inputs.county_bounds_m[np.char.startswith(fips, "18")]
    window = (
        bounds[:, 0].min() - MARGIN_M,
        bounds[:, 1].min() - MARGIN_M,
        bounds[:, 2].max() + MARGIN_M,
        bounds[:, 3].max() + MARGIN_M,
    )
    grid = Grid.covering(window, crs="EPSG:5070", resolution_m=RESOLUTION_M)
    return dataclasses.replace(conus_inputs, grid=grid)


def _run(inputs, tmp_path, name, **kwargs):
    out = tmp_path / name
    run_national(inputs, out_dir=out, top_n=10, **kwargs)
    with rasterio.open(out / "score.tif") as src:
        score = src.read(1)
        tags = src.tags()
    return out, score, tags


def _whole(inputs):
    rows, cols = inputs.grid.shape
    return window_score(inputs, Window(row0=0, col0=0, rows=rows, cols=cols))


@pytest.fixture(scope="module")
def single_chunk(indiana, tmp_path_factory):
    rows, cols = indiana.grid.shape
    chunk = 256 * (max(rows, cols) // 256 + 1)
    return _run(indiana, tmp_path_factory.mktemp("single"), "run", chunk_cells=chunk)


def test_window_is_chunked_into_several_blocks(indiana):
    stack = national_score(indiana, chunk_cells=256)
    assert stack.numblocks[1] > 1 and stack.numblocks[2] > 1
    assert national_score(indiana, chunk_cells=512).numblocks[1:] == (2, 1)


def test_single_chunk_run_equals_in_memory_score(indiana, single_chunk):
    _, score, _ = single_chunk
    expected, _ = _whole(indiana)
    assert np.isfinite(score).sum() > 1000
    np.testing.assert_array_equal(score, expected)


@pytest.mark.parametrize("chunk_cells", [256, 512])
def test_chunking_does_not_change_the_outputs(indiana, single_chunk, tmp_path, chunk_cells):
    out_one, score_one, _ = single_chunk
    out, score, _ = _run(indiana, tmp_path, "run", chunk_cells=chunk_cells)
    np.testing.assert_array_equal(score, score_one)
    top = (out / "top_cells.csv").read_bytes()
    assert top == (out_one / "top_cells.csv").read_bytes()


def test_distributed_cluster_gives_the_local_result(indiana, single_chunk, tmp_path):
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
    ) as cluster:
        out, score, _ = _run(
            indiana, tmp_path, "run", chunk_cells=256, scheduler=cluster.scheduler_address
        )
    np.testing.assert_array_equal(score, single_chunk[1])
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["chunking"]["scheduler"] == cluster.scheduler_address


def test_synthetic_layers_are_labelled(single_chunk):
    out, _, tags = single_chunk
    assert tags["synthetic_layers"] == ",".join(SYNTHETIC_LAYERS)
    assert "SYNTHETIC" in tags["synthetic_note"]
    manifest = json.loads((out / "manifest.json").read_text())
    assert set(manifest["synthetic_layers"]) == set(SYNTHETIC_LAYERS)
    assert all(v["label"] == "SYNTHETIC" for v in manifest["synthetic_layers"].values())
    assert "SYNTHETIC" in (out / "report.md").read_text()
    header = (out / "top_cells.csv").read_text().splitlines()[0].split(",")
    assert {"line_distance_km_synthetic", "substation_distance_km_synthetic"} <= set(header)


def test_manifest_checksums_the_outputs(single_chunk):
    import hashlib

    out, _, _ = single_chunk
    manifest = json.loads((out / "manifest.json").read_text())
    for name, entry in manifest["outputs"].items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == entry["sha256"]


def test_unknown_values_never_raise_a_score(indiana):
    before, _ = _whole(indiana)
    values = indiana.county_values.copy()
    rng = np.random.default_rng(42)
    hidden = rng.choice(len(values) - 1, size=len(values) // 2, replace=False)
    values[hidden, :] = np.nan
    after, _ = _whole(dataclasses.replace(indiana, county_values=values))
    known = np.isfinite(before)
    assert (after[known] <= before[known]).all()
    assert (after[known] < before[known]).any()


def test_banned_county_cells_are_excluded(indiana):
    score, index = _whole(indiana)
    banned = indiana.county_table["county_dc_ban"].to_numpy() == 1.0
    assert banned.any()
    in_banned = banned[np.minimum(index, len(banned) - 1)] & (index < len(banned))
    assert in_banned.sum() > 10
    assert np.isnan(score[in_banned]).all()
    inside = (index < len(banned)) & ~in_banned
    assert np.isfinite(score[inside]).mean() > 0.9


def test_distance_is_capped_and_euclidean():
    rows, cols = np.array([-1000]), np.array([2000])
    d = capped_distance_km(
        rows, cols, origin=(-1000, 2000), shape=(10, 10), resolution_m=1000.0, cap_km=6.0
    )
    assert d[3, 4] == pytest.approx(5.0)
    assert d[0, 0] == 0.0
    assert d[9, 9] == pytest.approx(6.0)


def test_network_is_fixed_by_its_seed():
    a = synthetic_network((0.0, 0.0, 1e6, 1e6), seed=1)
    b = synthetic_network((0.0, 0.0, 1e6, 1e6), seed=1)
    np.testing.assert_array_equal(a.segments_m, b.segments_m)


def test_line_cells_do_not_depend_on_the_window_that_sees_them():
    """A segment's cells burned on the whole lattice window and on four quarters agree."""
    net = synthetic_network((0.0, -200_000.0, 200_000.0, 0.0), seed=4)
    rows, cols = line_cells(net.segments_m, origin=(0, 0), shape=(40, 40), resolution_m=5e3)
    whole = set(zip(rows, cols, strict=True))
    parts = set()
    for r0 in (0, 17):
        for c0 in (0, 23):
            shape = (17 if r0 == 0 else 23, 23 if c0 == 0 else 17)
            rows, cols = line_cells(net.segments_m, origin=(r0, c0), shape=shape, resolution_m=5e3)
            parts |= set(zip(rows, cols, strict=True))
    assert whole and whole == parts
    # a horizontal segment along y = -12.5 km from x = 2.5 to 22.5 km touches row 2, cols 0-4
    flat = np.array([[2_500.0, -12_500.0, 22_500.0, -12_500.0]])
    rows, cols = line_cells(flat, origin=(0, 0), shape=(10, 10), resolution_m=5e3)
    assert set(rows) == {2} and sorted(cols) == [0, 1, 2, 3, 4]


def test_weights_sum_to_one_and_connection_cost_goes_to_synthetic_layers():
    weights, notes = national_weights(load_spec(None))
    assert sum(weights.values()) == pytest.approx(1.0)
    assert weights["line_distance_km"] == pytest.approx(weights["substation_distance_km"])
    assert any("connection_cost_musd" in n and "SYNTHETIC" in n for n in notes)


def test_chunk_cells_must_be_whole_tiles(indiana):
    with pytest.raises(SpecError, match="multiple of 256"):
        national_score(indiana, chunk_cells=300)


def test_cli_labels_synthetic_layers_and_refuses_a_used_folder(tmp_path):
    out = tmp_path / "nat"
    args = ["national", "--resolution-m", "40000", "--chunk-cells", "256", "--out", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "SYNTHETIC" in result.output
    assert (out / "score.tif").is_file()
    again = CliRunner().invoke(app, args)
    assert again.exit_code == 2
    assert "not empty" in again.output


def test_cli_reads_the_data_folder_it_is_given(tmp_path):
    """``--data`` is where the national tables come from: a folder without them is refused in
    one line naming the missing file and how to build it, and nothing is written."""
    out = tmp_path / "nat"
    args = ["national", "--resolution-m", "40000", "--chunk-cells", "256", "--out", str(out)]
    result = CliRunner().invoke(app, [*args, "--data", str(tmp_path / "empty")])
    assert result.exit_code == 2
    assert "counties_conus.csv" in result.output and "build_national.py" in result.output
    assert not out.exists()


def test_every_column_of_the_best_cells_has_units_a_source_and_its_label(tmp_path):
    out = tmp_path / "nat"
    args = ["national", "--resolution-m", "40000", "--chunk-cells", "256", "--out", str(out)]
    assert CliRunner().invoke(app, args).exit_code == 0
    top = pd.read_csv(out / "top_cells.csv")
    columns = pd.read_csv(out / "top_cells_columns.csv", keep_default_na=False)
    assert list(columns["column"]) == list(top.columns)
    assert (columns["units"] != "").all() and (columns["source"] != "").all()
    labels = columns.set_index("column")["proxy"]
    assert labels["line_distance_km_synthetic"] == "SYNTHETIC"
    assert labels["time_to_power_p50_months"] == "PROXY"  # generator durations for a load
    assert labels["svi_overall_pct"] == ""
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "## Proxies" in report and "**time_to_power_p50_months** (PROXY)" in report
