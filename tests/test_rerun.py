"""Reruns from a manifest, byte-identical outputs, and the comparison of two runs."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd
import pytest
import shapely
from typer.testing import CliRunner

from siting.cli import app
from siting.compare import compare_runs, read_run_sites
from siting.determinism import GPKG_DATE, fixed_gpkg_date, renumber_element_ids
from siting.errors import DataError, DataFileNotFound, SpecError
from siting.pipeline import run
from siting.rerun import recorded_spec, rerun
from siting.spec import default_spec_path, load_spec, spec_from_text
from tests.fixture_bundle import SPEC as TWO_STATE_SPEC
from tests.fixture_bundle import write_two_state_bundle

DATA_DIR = Path(__file__).resolve().parents[1] / "siting" / "data"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _files(folder: Path) -> dict[str, str]:
    return {p.name: _sha(p) for p in sorted(folder.iterdir()) if p.is_file()}


# ---------------------------------------------------------------------------------------------
# the default run, rerun
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def default_rerun(default_run, tmp_path_factory):
    base = tmp_path_factory.mktemp("default_rerun")
    return rerun(
        default_run.out_dir / "manifest.json", out_dir=base / "run", maps_dir=base / "maps"
    )


def test_rerun_of_the_default_run_reproduces_every_output_hash(default_run, default_rerun):
    recorded = default_run.manifest["output_sha256"]
    assert default_rerun.different == ()
    assert default_rerun.only_recorded == () and default_rerun.only_new == ()
    assert set(default_rerun.identical) == set(recorded)
    assert {"sites", "score", "suitability", "report", "map"} <= set(recorded)
    assert default_rerun.result.run_id != default_run.run_id


def test_two_runs_of_one_spec_are_byte_identical_but_for_the_manifest(default_run, default_rerun):
    first, second = _files(default_run.out_dir), _files(default_rerun.result.out_dir)
    assert set(first) == set(second)
    differ = sorted(name for name in first if first[name] != second[name])
    assert differ == ["manifest.json"]
    assert _sha(default_run.map_path) == _sha(default_rerun.result.map_path)
    assert default_run.map_path.name != default_rerun.result.map_path.name


def test_run_ids_and_times_are_in_the_manifest_and_file_names_only(default_run):
    run_id = default_run.run_id
    for path in (*default_run.out_dir.iterdir(), default_run.map_path):
        if path.name != "manifest.json" and path.suffix in (".md", ".csv", ".html", ".geojson"):
            assert run_id not in path.read_text(encoding="utf-8"), path.name
    assert default_run.manifest["run_id"] == run_id


def test_the_manifest_records_the_default_spec_it_extends(default_run):
    recorded = default_run.manifest["spec_default"]
    assert recorded["text"] == Path(recorded["path"]).read_text(encoding="utf-8")
    assert recorded["sha256"] == _sha(Path(recorded["path"]))


# ---------------------------------------------------------------------------------------------
# a small run on a copy of the two-state bundle, whose inputs a test may change
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def small_run(tmp_path):
    root = write_two_state_bundle(tmp_path / "bundle", weather_from=DATA_DIR / "weather")
    spec_path = tmp_path / "two_states.toml"
    spec_path.write_text(TWO_STATE_SPEC, encoding="utf-8")
    return run(
        load_spec(spec_path), out_dir=tmp_path / "run", maps_dir=tmp_path / "maps", data_dir=root
    )


def _rerun_cli(manifest: Path, out: Path):
    args = ["rerun", str(manifest), "--out", str(out / "run"), "--maps", str(out / "maps")]
    return CliRunner().invoke(app, args)


def test_rerun_of_a_user_spec_reproduces_its_outputs(small_run, tmp_path):
    result = _rerun_cli(small_run.out_dir / "manifest.json", tmp_path / "again")
    assert result.exit_code == 0, result.output
    assert "DIFFERENT" not in result.output
    assert "identical: " in result.output and "sites_csv" in result.output
    assert (
        _files(tmp_path / "again" / "run")["sites.gpkg"] == _files(small_run.out_dir)["sites.gpkg"]
    )


def test_rerun_refuses_when_an_input_changed(small_run, tmp_path):
    manifest = small_run.manifest
    record = next(r for r in manifest["inputs"] if r["path"] == "svi.csv")
    path = Path(manifest["bundle"]["catalogue"]).parent / "svi.csv"
    data = bytearray(path.read_bytes())
    data[-2] = ord("7") if data[-2] != ord("7") else ord("8")
    path.write_bytes(bytes(data))
    result = _rerun_cli(small_run.out_dir / "manifest.json", tmp_path / "again")
    assert result.exit_code == 2
    message = result.stderr
    assert message.startswith("error: input ") and message.count("\n") == 1
    assert str(path) in message
    assert record["sha256"] in message and _sha(path) in message
    assert "restore the recorded file" in message
    assert not (tmp_path / "again").exists()


def test_rerun_refuses_when_an_input_is_missing(small_run, tmp_path):
    path = Path(small_run.manifest["bundle"]["catalogue"]).parent / "water.csv"
    path.unlink()
    with pytest.raises(
        DataFileNotFound, match=r"water\.csv is missing \(recorded sha256 [0-9a-f]{64}"
    ):
        rerun(small_run.out_dir, out_dir=tmp_path / "again", maps_dir=tmp_path / "maps")


def test_rerun_refuses_when_the_spec_file_changed(small_run, tmp_path):
    spec_path = Path(small_run.manifest["spec_as_given"]["path"])
    spec_path.write_text(TWO_STATE_SPEC.replace("count = 6", "count = 5"), encoding="utf-8")
    with pytest.raises(DataError, match=r"^spec .*two_states\.toml changed since the run"):
        rerun(small_run.out_dir, out_dir=tmp_path / "again", maps_dir=tmp_path / "maps")


def test_rerun_of_a_candidate_run_reads_the_recorded_candidates(two_states, tmp_path):
    path = tmp_path / "shortlist.gpkg"
    gpd.GeoDataFrame(
        {"name": ["west", "east"]},
        geometry=[
            shapely.box(705_000, 1_805_000, 708_000, 1_808_000),
            shapely.Point(800_500, 1_845_500),
        ],
        crs="EPSG:5070",
    ).assign(radius_m=[float("nan"), 1500.0]).to_file(path)
    first = run(
        two_states.spec,
        out_dir=tmp_path / "a" / "run",
        maps_dir=tmp_path / "a" / "maps",
        data_dir=two_states.root,
        candidates=path,
    )
    assert first.manifest["candidates_file"] == {"path": str(path.resolve()), "sha256": _sha(path)}
    again = rerun(first.out_dir, out_dir=tmp_path / "b" / "run", maps_dir=tmp_path / "b" / "maps")
    assert again.different == () and "sites" in again.identical
    assert sorted(again.result.sites["candidate_id"]) == ["east", "west"]
    gpd.read_file(path).iloc[:1].to_file(path)
    with pytest.raises(DataError, match=r"^candidates .*shortlist\.gpkg changed since the run"):
        rerun(first.out_dir, out_dir=tmp_path / "third", maps_dir=tmp_path / "maps3")


def _no_robustness(text: str) -> str:
    head, _, tail = text.partition("[robustness]")
    rest = tail.split("\n[", 1)
    return head + ("\n[" + rest[1] if len(rest) == 2 else "")


@pytest.mark.parametrize(
    ("edit", "error", "match"),
    [
        (lambda m: "{not json", DataError, r"not a JSON run manifest"),
        (
            lambda m: json.dumps({k: v for k, v in m.items() if k != "inputs"}),
            DataError,
            r"manifest lacks \['inputs'\]; only a manifest written by siting run",
        ),
        (
            lambda m: json.dumps(
                m
                | {
                    "spec_default": m["spec_default"]
                    | {"text": m["spec_default"]["text"].replace("count = 10", "count = 3")}
                }
            ),
            None,
            None,
        ),
        (
            lambda m: json.dumps(
                m
                | {
                    "spec_default": m["spec_default"]
                    | {
                        "text": m["spec_default"]["text"].replace(
                            "compactness = 0.05", "compactness = 0.1"
                        )
                    }
                }
            ),
            SpecError,
            r"rebuilt from the manifest differs from the recorded one in \['candidates'\]",
        ),
        (
            lambda m: json.dumps(
                m
                | {
                    "spec_default": m["spec_default"]
                    | {"text": _no_robustness(m["spec_default"]["text"])}
                }
            ),
            SpecError,
            r"recorded spec has no \[robustness\] table, which this siting needs",
        ),
    ],
    ids=["not-json", "no-inputs", "user-spec-overrides", "default-changed", "table-missing"],
)
def test_rerun_checks_the_recorded_spec(two_state_run, tmp_path, edit, error, match):
    manifest = json.loads((two_state_run.out_dir / "manifest.json").read_text(encoding="utf-8"))
    path = tmp_path / "manifest.json"
    path.write_text(edit(manifest), encoding="utf-8")
    if error is None:  # the user spec sets count = 6 itself: the default's count is not used
        spec, notes = recorded_spec(json.loads(path.read_text(encoding="utf-8")))
        assert spec == load_spec(two_state_run.manifest["spec_as_given"]["path"]) and notes == []
        return
    with pytest.raises(error, match=match):
        rerun(path, out_dir=tmp_path / "run", maps_dir=tmp_path / "maps")
    assert not (tmp_path / "run").exists()


def test_rerun_refuses_a_folder_without_a_manifest(tmp_path):
    result = _rerun_cli(tmp_path, tmp_path / "again")
    assert result.exit_code == 2
    assert "no run manifest" in result.output


def test_spec_from_text_rebuilds_the_spec_from_recorded_texts(two_states):
    default_text = default_spec_path().read_text(encoding="utf-8")
    rebuilt = spec_from_text(
        TWO_STATE_SPEC, default_text=default_text, source=str(two_states.spec_path)
    )
    assert rebuilt == two_states.spec
    changed = default_text.replace("count = 10", "count = 3")
    assert "count = 10" in default_text
    fewer = spec_from_text(None, default_text=changed, source="default")
    assert fewer.candidates.count == 3 and fewer.source == "default"


# ---------------------------------------------------------------------------------------------
# the writers' sources of chance
# ---------------------------------------------------------------------------------------------


def _small_map() -> folium.Map:
    fmap = folium.Map(location=[40.0, -86.0], zoom_start=7)
    group = folium.FeatureGroup(name="sites").add_to(fmap)
    folium.Marker([40.0, -86.0], tooltip="a", popup=folium.Popup("p")).add_to(group)
    folium.GeoJson({"type": "Point", "coordinates": [-86.0, 40.0]}).add_to(fmap)
    folium.LayerControl().add_to(fmap)
    return fmap


def test_renumbered_maps_render_identically():
    assert _small_map().get_root().render() != _small_map().get_root().render()
    a, b = _small_map(), _small_map()
    renumber_element_ids(a.get_root())
    renumber_element_ids(b.get_root())
    html = a.get_root().render()
    assert html == b.get_root().render()
    assert f"var {a.get_name()} = L.map(" in html
    assert "marker_0000" in html and "layer_control_0000" in html


def test_geopackages_carry_the_fixed_date_and_the_option_is_restored(tmp_path):
    frame = gpd.GeoDataFrame({"v": [1]}, geometry=[shapely.box(0, 0, 1, 1)], crs="EPSG:5070")
    with fixed_gpkg_date():
        frame.to_file(tmp_path / "a.gpkg", layer="a", driver="GPKG", engine="pyogrio")
    frame.to_file(tmp_path / "b.gpkg", layer="b", driver="GPKG", engine="pyogrio")
    with sqlite3.connect(tmp_path / "a.gpkg") as db:
        assert db.execute("select last_change from gpkg_contents").fetchall() == [(GPKG_DATE,)]
    with sqlite3.connect(tmp_path / "b.gpkg") as db:
        assert db.execute("select last_change from gpkg_contents").fetchall() != [(GPKG_DATE,)]


# ---------------------------------------------------------------------------------------------
# comparing two runs
# ---------------------------------------------------------------------------------------------


def _square(x_m: float, side_m: float = 1000.0) -> shapely.Polygon:
    return shapely.box(x_m, 0.0, x_m + side_m, side_m)


def _run_folder(folder: Path, run_id: str, rows: list[tuple]) -> Path:
    """A run folder holding only what compare reads: sites.gpkg and a manifest."""
    folder.mkdir()
    frame = gpd.GeoDataFrame(
        pd.DataFrame(rows, columns=["site_id", "x_m", "rank", "score", "contrib_a", "contrib_b"]),
        geometry=[_square(r[1]) for r in rows],
        crs="EPSG:5070",
    ).drop(columns="x_m")
    frame.to_file(folder / "sites.gpkg", layer="sites", driver="GPKG", engine="pyogrio")
    (folder / "manifest.json").write_text(json.dumps({"run_id": run_id}), encoding="utf-8")
    return folder


@pytest.fixture
def two_folders(tmp_path):
    a = _run_folder(
        tmp_path / "a",
        "A",
        [
            ("kept", 0.0, 1, 0.9, 0.5, 0.4),
            ("shifted", 5000.0, 2, 0.8, 0.5, 0.3),
            ("gone", 10000.0, 3, 0.7, 0.4, 0.3),
            ("far", 15000.0, 4, 0.6, 0.3, 0.3),
            ("same-id", 30000.0, 5, 0.5, 0.3, 0.2),
        ],
    )
    b = _run_folder(
        tmp_path / "b",
        "B",
        [
            ("kept", 0.0, 2, 0.85, 0.5, 0.35),
            ("shifted-b", 5200.0, 1, 0.9, 0.7, 0.2),  # IoU 800/1200 = 2/3
            ("far-b", 15600.0, 3, 0.6, 0.3, 0.3),  # IoU 400/1600 = 1/4: not the same site
            ("new", 20000.0, 4, 0.55, 0.3, 0.25),
            ("same-id", 30600.0, 5, 0.5, 0.3, 0.2),  # IoU 1/4, but the ids agree
        ],
    )
    return a, b


def test_compare_counts_gained_lost_moved_and_kept(two_folders):
    result = compare_runs(read_run_sites(two_folders[0]), read_run_sites(two_folders[1]))
    assert result["counts"] == {"gained": 2, "lost": 2, "moved": 2, "kept": 1}
    assert sorted(s["site_id"] for s in result["gained"]) == ["far-b", "new"]
    assert sorted(s["site_id"] for s in result["lost"]) == ["far", "gone"]
    by_b = {m["site_id_b"]: m for m in result["matched"]}
    shifted = by_b["shifted-b"]
    assert shifted["site_id_a"] == "shifted" and shifted["status"] == "moved"
    assert shifted["iou"] == pytest.approx(2 / 3, abs=1e-6)
    assert shifted["rank_change"] == -1 and shifted["score_change"] == pytest.approx(0.1)
    assert [c["indicator"] for c in shifted["contributions"]] == ["a", "b"]
    assert shifted["contributions"][0]["change"] == pytest.approx(0.2)
    assert by_b["same-id"]["status"] == "moved" and by_b["same-id"]["iou"] == pytest.approx(0.25)
    assert by_b["kept"]["status"] == "kept" and by_b["kept"]["rank_change"] == 1


def test_compare_cli_prints_a_table_and_json(two_folders):
    table = CliRunner().invoke(app, ["compare", *map(str, two_folders)])
    assert table.exit_code == 0, table.output
    assert "1 kept, 2 moved, 2 gained, 2 lost" in table.output
    as_json = CliRunner().invoke(app, ["compare", *map(str, two_folders), "--json"])
    assert json.loads(as_json.output)["counts"]["gained"] == 2


def test_compare_refuses_a_folder_that_is_no_run(two_folders, tmp_path):
    result = CliRunner().invoke(app, ["compare", str(two_folders[0]), str(tmp_path / "nothing")])
    assert result.exit_code == 2
    assert "not a run folder (no sites.gpkg)" in result.output
    bare = tmp_path / "bare"
    bare.mkdir()
    gpd.GeoDataFrame({"site_id": ["x"]}, geometry=[_square(0)], crs="EPSG:5070").to_file(
        bare / "sites.gpkg", layer="sites", driver="GPKG", engine="pyogrio"
    )
    result = CliRunner().invoke(app, ["compare", str(two_folders[0]), str(bare)])
    assert result.exit_code == 2
    assert "site table lacks ['rank', 'score']" in result.output


def _best_iou(site: shapely.Geometry, others: gpd.GeoSeries) -> float:
    inter = others.intersection(site).area
    return float((inter / others.union(site).area).max()) if len(others) else 0.0


def test_compare_of_runs_with_different_weights(two_state_run, two_states, tmp_path):
    spec_path = tmp_path / "water.toml"
    spec_path.write_text(
        TWO_STATE_SPEC + "\n[weights]\nwater_draw_mm_per_yr = 0.8\npop_density_per_km2 = 0.2\n",
        encoding="utf-8",
    )
    other = run(
        load_spec(spec_path),
        out_dir=tmp_path / "run",
        maps_dir=tmp_path / "maps",
        data_dir=two_states.root,
    )
    a, b = two_state_run.sites, other.sites
    expected_gained = sum(
        sid not in set(a["site_id"]) and _best_iou(g, a.geometry) < 0.5
        for sid, g in zip(b["site_id"], b.geometry, strict=True)
    )
    expected_lost = sum(
        sid not in set(b["site_id"]) and _best_iou(g, b.geometry) < 0.5
        for sid, g in zip(a["site_id"], a.geometry, strict=True)
    )
    result = compare_runs(read_run_sites(two_state_run.out_dir), read_run_sites(other.out_dir))
    assert result["counts"]["gained"] == expected_gained > 0
    assert result["counts"]["lost"] == expected_lost
    assert len(result["matched"]) + expected_lost == len(a)
    same = compare_runs(
        read_run_sites(two_state_run.out_dir), read_run_sites(two_state_run.out_dir)
    )
    assert same["counts"] == {"gained": 0, "lost": 0, "moved": 0, "kept": len(a)}
