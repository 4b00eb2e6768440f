"""siting validate: AUC, top-quintile lift and the excluded share on surfaces with known answers."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
import shapely
from pyproj import Transformer
from rasterio.transform import from_origin
from typer.testing import CliRunner

from siting.cli import app
from siting.errors import DataError, DataFileNotFound
from siting.models.validation import auc_mann_whitney, percentile_rank, top_quintile_lift
from siting.validate import validate_run

runner = CliRunner()

#: A 10 × 10 grid of 1 km cells in EPSG:5070, in central Indiana.
X0, Y_TOP, CELL_M, N = 700_000.0, 1_810_000.0, 1000.0, 10
TRANSFORM = from_origin(X0, Y_TOP, CELL_M, CELL_M)


# ---------------------------------------------------------------------------------------------
# the statistics
# ---------------------------------------------------------------------------------------------


def test_auc_is_one_when_every_point_beats_every_background_value():
    assert auc_mann_whitney([7.0, 9.0, 8.0], [0.0, 1.0, 6.9]) == 1.0
    assert auc_mann_whitney([0.0, 1.0], [5.0, 6.0]) == 0.0


def test_auc_of_a_constant_surface_is_exactly_one_half():
    assert auc_mann_whitney(np.full(7, 0.4), np.full(1000, 0.4)) == 0.5


def test_auc_counts_ties_half():
    # pairs (2,1) win, (2,2) tie, (3,1) win, (3,2) win: 3.5 of 4; strict ">" would give 0.75
    assert auc_mann_whitney([2.0, 3.0], [1.0, 2.0]) == pytest.approx(0.875)


def test_auc_ignores_unknown_values_and_is_nan_without_points():
    assert auc_mann_whitney([np.nan, 3.0], [1.0, np.nan]) == 1.0
    assert np.isnan(auc_mann_whitney([np.nan], [1.0, 2.0]))


def test_percentile_rank_splits_ties():
    ref = np.array([1.0, 2.0, 2.0, 3.0])
    assert percentile_rank([2.0, 0.0, 5.0], ref).tolist() == [0.5, 0.0, 1.0]


def test_lift_by_hand_on_ten_cells():
    # cells 0..9: the top 20 % are 8 and 9; two of the five points are there: (2/5) / 0.2 = 2
    assert top_quintile_lift([9.0, 8.0, 5.0, 1.0, 0.0], np.arange(10.0)) == pytest.approx(2.0)
    assert top_quintile_lift([7.0], np.arange(10.0)) == 0.0


def test_lift_of_a_constant_surface_is_zero():
    """A threshold at the 80th percentile with ">=" would put every point in the top quintile."""
    assert top_quintile_lift(np.full(5, 0.3), np.full(100, 0.3)) == 0.0


# ---------------------------------------------------------------------------------------------
# a synthetic run folder
# ---------------------------------------------------------------------------------------------


def write_run(folder, score, suits, *, zones=None):
    """A run folder of the shape ``siting run`` writes: score.tif, suitability.tif with one
    ``suit_<indicator>`` band per indicator, manifest.json and (optionally) sites.gpkg with the
    ``excluded`` layer of exclusion-rule zones."""
    folder.mkdir(parents=True, exist_ok=True)
    profile = dict(
        driver="GTiff",
        width=score.shape[1],
        height=score.shape[0],
        dtype="float32",
        crs="EPSG:5070",
        transform=TRANSFORM,
        nodata=np.nan,
    )
    with rasterio.open(folder / "score.tif", "w", count=1, **profile) as dst:
        dst.write(score.astype(np.float32), 1)
        dst.set_band_description(1, "score")
    with rasterio.open(folder / "suitability.tif", "w", count=len(suits), **profile) as dst:
        for i, (name, band) in enumerate(suits.items(), start=1):
            dst.write(band.astype(np.float32), i)
            dst.set_band_description(i, f"suit_{name}")
    manifest = {
        "run_id": "20260101-000000-test0000",
        "grid": {
            "crs": "EPSG:5070",
            "bounds": [X0, Y_TOP - N * CELL_M, X0 + N * CELL_M, Y_TOP],
            "resolution_m": CELL_M,
            "shape": list(score.shape),
        },
        "weights": {name: 1.0 / len(suits) for name in suits},
        "outputs": {"score": "score.tif", "suitability": "suitability.tif"},
    }
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    if zones is not None:
        zones.to_file(folder / "sites.gpkg", layer="excluded", driver="GPKG", engine="pyogrio")
    return folder


def cell_centre(row, col):
    return X0 + (col + 0.5) * CELL_M, Y_TOP - (row + 0.5) * CELL_M


def write_points_csv(path, cells, *, extra_lonlat=()):
    """A CSV of lat/lon (EPSG:4326) at the centres of ``cells`` ((row, col), ...)."""
    to_4326 = Transformer.from_crs("EPSG:5070", "EPSG:4326", always_xy=True)
    lonlat = [to_4326.transform(*cell_centre(r, c)) for r, c in cells] + list(extra_lonlat)
    frame = pd.DataFrame(
        {"name": [f"p{i}" for i in range(len(lonlat))]}
        | {"lat": [p[1] for p in lonlat], "lon": [p[0] for p in lonlat]}
    )
    frame.to_csv(path, index=False)
    return path


def rows_zone(first_row, last_row, rule="lakes", mode="exclude"):
    box = shapely.box(
        X0, Y_TOP - (last_row + 1) * CELL_M, X0 + N * CELL_M, Y_TOP - first_row * CELL_M
    )
    return gpd.GeoDataFrame(
        {"rule": [rule], "kind": ["features"], "mode": [mode], "area_km2": [box.area / 1e6]},
        geometry=[box],
        crs="EPSG:5070",
    )


def cell_of(value):
    """(row, col) of the cell holding ``value`` on the 0..99 surface."""
    return divmod(int(value), N)


@pytest.fixture
def layered_run(tmp_path):
    """Score 0..99 by cell (row-major); rows 0–1 (values 0–19) excluded by a lakes zone, row 9
    (values 90–99) outside the study area (NaN, in no zone). Scored cells: values 20–89."""
    score = np.arange(100.0).reshape(N, N)
    score[:2] = np.nan
    score[9] = np.nan
    suits = {
        "rising": np.arange(100.0).reshape(N, N) / 99,
        "falling": 1 - np.arange(100.0).reshape(N, N) / 99,
    }
    zones = pd.concat([rows_zone(0, 1), rows_zone(3, 3, rule="moratorium", mode="penalise 0.5")])
    return write_run(tmp_path / "run", score, suits, zones=gpd.GeoDataFrame(zones, crs="EPSG:5070"))


@pytest.fixture
def layered_points(tmp_path):
    """Scored points at 89, 77 (top quintile of 20–89: 76 and up), 75 and 40; one on excluded
    land (5), one outside the study area (95), one off the grid (in Ohio)."""
    cells = [cell_of(v) for v in (89, 77, 75, 40, 5, 95)]
    return write_points_csv(tmp_path / "known.csv", cells, extra_lonlat=[(-82.9, 40.0)])


def test_points_are_placed_and_counted(layered_run, layered_points):
    result = validate_run(layered_points, layered_run, seed=1, n_random=500)
    assert result.counts == {
        "scored": 4,
        "excluded": 1,
        "outside the study area": 1,
        "outside the grid": 1,
    }
    # excluded over the points in the study area (4 scored + 1 excluded)
    assert result.excluded_share == pytest.approx(0.2)
    excluded = result.points[result.points["status"] == "excluded"]
    assert excluded["excluded_by"].tolist() == ["lakes"]  # the penalty zone does not exclude


def test_lift_uses_the_scored_cells_only(layered_run, layered_points):
    """2 of the 4 scored points (89, 77) are in the top 14 of the 70 scored cells: 0.5 / 0.2.

    Counting the unscored cells in the distribution, or the excluded point in the share, would
    give another number."""
    result = validate_run(layered_points, layered_run, seed=1, n_random=500)
    assert result.lift == pytest.approx(2.5)


def test_a_reversed_indicator_has_the_complementary_auc(layered_run, layered_points):
    result = validate_run(layered_points, layered_run, seed=3, n_random=2000)
    aucs = result.indicators.set_index("indicator")["auc"]
    assert aucs["rising"] == pytest.approx(1.0 - aucs["falling"])
    assert aucs["rising"] > 0.5
    assert result.indicators["n_points"].tolist() == [4, 4]


def test_points_on_the_highest_cells_get_auc_one(tmp_path):
    """Every background cell is below the points' cells except the draws that land on those
    cells themselves (the background is all scored cells), which tie and count half."""
    rng = np.random.default_rng(42)
    score = rng.uniform(0.0, 0.9, size=(N, N))
    top = [(2, 3), (5, 5), (8, 1)]
    for r, c in top:
        score[r, c] = 1.0
    run = write_run(tmp_path / "run", score, {"a": score})
    points = write_points_csv(tmp_path / "top.csv", top)
    result = validate_run(points, run, seed=0, n_random=5000)
    # each draw lands on a top cell with probability 3 / 100 and then ties (half)
    background = np.random.default_rng(0).choice(100, size=5000, replace=True)
    tied = np.isin(background, [r * N + c for r, c in top]).mean()
    assert result.auc == pytest.approx(1.0 - tied / 2)
    assert result.auc > 0.97
    assert result.lift == pytest.approx(5.0)


def test_a_constant_surface_gives_auc_one_half_and_no_lift(tmp_path):
    score = np.full((N, N), 0.6)
    run = write_run(tmp_path / "run", score, {"a": score})
    points = write_points_csv(tmp_path / "p.csv", [(1, 1), (4, 7), (9, 0)])
    result = validate_run(points, run, seed=0, n_random=1000)
    assert result.auc == 0.5
    assert result.lift == 0.0


def test_a_surface_independent_of_the_points_gives_auc_near_one_half(tmp_path):
    rng = np.random.default_rng(7)
    score = rng.uniform(size=(N, N))
    run = write_run(tmp_path / "run", score, {"a": score})
    cells = [tuple(rc) for rc in rng.integers(0, N, size=(300, 2))]
    points = write_points_csv(tmp_path / "p.csv", cells)
    result = validate_run(points, run, seed=11, n_random=20_000)
    assert result.auc == pytest.approx(0.5, abs=0.06)


def test_a_geojson_in_another_crs_gives_the_same_answer(layered_run, layered_points, tmp_path):
    table = pd.read_csv(layered_points)
    frame = gpd.GeoDataFrame(
        table[["name"]], geometry=gpd.points_from_xy(table["lon"], table["lat"]), crs="EPSG:4326"
    ).to_crs("EPSG:3857")
    path = tmp_path / "known.geojson"
    frame.to_file(path, driver="GeoJSON", engine="pyogrio")
    from_csv = validate_run(layered_points, layered_run, seed=1, n_random=500)
    from_geojson = validate_run(path, layered_run, seed=1, n_random=500)
    assert from_geojson.counts == from_csv.counts
    assert from_geojson.auc == from_csv.auc


def test_the_background_is_reproducible_by_seed(layered_run, layered_points):
    first = validate_run(layered_points, layered_run, seed=5, n_random=50)
    again = validate_run(layered_points, layered_run, seed=5, n_random=50)
    assert first.auc == again.auc


# ---------------------------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------------------------


def test_missing_points_file(layered_run, tmp_path):
    with pytest.raises(DataFileNotFound, match="points file not found"):
        validate_run(tmp_path / "nope.csv", layered_run, seed=0, n_random=10)


def test_csv_without_lat_lon(layered_run, tmp_path):
    path = tmp_path / "xy.csv"
    path.write_text("x,y\n1,2\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"no lat/lon columns; found \['x', 'y'\]"):
        validate_run(path, layered_run, seed=0, n_random=10)


def test_points_all_off_the_grid(layered_run, tmp_path):
    path = write_points_csv(tmp_path / "ohio.csv", [], extra_lonlat=[(-82.9, 40.0), (-83, 41)])
    with pytest.raises(DataError, match="none of its 2 points falls on the run's grid"):
        validate_run(path, layered_run, seed=0, n_random=10)


def test_run_folder_without_score(layered_points, tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataFileNotFound, match=r"no score\.tif"):
        validate_run(layered_points, tmp_path / "empty", seed=0, n_random=10)


# ---------------------------------------------------------------------------------------------
# the command
# ---------------------------------------------------------------------------------------------


def test_cli_json(layered_run, layered_points):
    result = runner.invoke(
        app, ["validate", "--points", str(layered_points), "--run", str(layered_run), "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["top_quintile_lift"] == pytest.approx(2.5)
    assert data["excluded_share"] == pytest.approx(0.2)
    assert data["counts"]["outside the grid"] == 1
    assert [p["status"] for p in data["points"]][-1] == "outside the grid"
    assert {i["indicator"] for i in data["indicators"]} == {"rising", "falling"}


def test_cli_table(layered_run, layered_points):
    result = runner.invoke(
        app, ["validate", "--points", str(layered_points), "--run", str(layered_run)]
    )
    assert result.exit_code == 0, result.output
    assert "share on excluded land" in result.stdout
    assert "0.200 (1 of 5)" in result.stdout
    assert "2.50" in result.stdout


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("missing_points", "points file not found"),
        ("no_lat_lon", "no lat/lon columns"),
        ("off_grid", "falls on the run's grid"),
        ("no_score", "no score.tif"),
    ],
)
def test_cli_errors_exit_2_with_one_line(case, message, layered_run, layered_points, tmp_path):
    points, run = layered_points, layered_run
    if case == "missing_points":
        points = tmp_path / "missing.csv"
    elif case == "no_lat_lon":
        points = tmp_path / "xy.csv"
        points.write_text("x,y\n1,2\n", encoding="utf-8")
    elif case == "off_grid":
        points = write_points_csv(tmp_path / "ohio.csv", [], extra_lonlat=[(-82.9, 40.0)])
    else:
        run = tmp_path / "empty"
        run.mkdir()
    result = runner.invoke(app, ["validate", "--points", str(points), "--run", str(run)])
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert message in lines[0]
    assert str(points if case != "no_score" else run) in lines[0]
