"""Bad arguments and bad files given to the commands that read a finished run or a file of the
user's (query, rescore, rerun, compare, explain, validate, queue, campus): each ends in one line
naming the file or option, the problem and the fix, exit code 2, nothing written, and the run
folder and the user's files as they were."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from siting import manifest as run_manifest
from tests.queue_fixtures import LBNL_2024_COLUMNS
from tests.robustness.test_bad_inputs import invoke, refused, tree_hashes

WEATHER = Path(__file__).resolve().parents[2] / "siting" / "data" / "weather"
EPW = WEATHER / "USA_IN_Indianapolis.Intl.AP.724380_TMY3.epw"


def refused_untouched(args, *fragments, tmp_path, watched=()):
    """Run ``args``; it is refused (see ``refused``) and every file under ``watched`` is kept."""
    before = tree_hashes(*watched)
    result = invoke(*args)
    assert tree_hashes(*watched) == before
    refused(result, *fragments, out=tmp_path / "new-run", maps=tmp_path / "maps")
    return result


def corrupt(path: Path, content: bytes = b"\x00garbage\x00") -> None:
    path.write_bytes(content)


# ---------------------------------------------------------------------------------------------
# run folders that are missing or broken, for every command that reads one
# ---------------------------------------------------------------------------------------------


def run_args(command: str, folder: Path, tmp_path: Path) -> list:
    """The arguments of ``command`` reading the run folder ``folder``."""
    new = ["--out", tmp_path / "new-run", "--maps", tmp_path / "maps"]
    return {
        "query": ["query", "--run", folder, "--lat", "39.5", "--lon", "-86.0"],
        "rescore": ["rescore", folder, "--weights", "connection_cost_musd=1.0", *new],
        "rerun": ["rerun", folder, *new],
        "compare": ["compare", folder, folder],
        "explain": ["explain", "IN-702E-1828N", "--run", folder],
        "validate": ["validate", "--points", points_file(tmp_path), "--run", folder],
    }[command]


def points_file(tmp_path: Path) -> Path:
    """A valid file of one known location inside the two states."""
    path = tmp_path / "known.csv"
    path.write_text("lat,lon\n39.2,-87.0\n")
    return path


COMMANDS = ["query", "rescore", "rerun", "compare", "explain", "validate"]


@pytest.mark.parametrize("command", COMMANDS)
def test_missing_run_folder_is_refused(tmp_path, command):
    folder = tmp_path / "no-such-run"
    refused_untouched(run_args(command, folder, tmp_path), str(folder), tmp_path=tmp_path)
    assert not folder.exists()


@pytest.mark.parametrize("command", COMMANDS)
def test_run_folder_with_corrupt_files_is_refused(tmp_path, finished_run, command):
    """The manifest and the site table replaced by garbage, as by a disk error."""
    corrupt(finished_run / "manifest.json")
    corrupt(finished_run / "sites.gpkg")
    refused_untouched(
        run_args(command, finished_run, tmp_path),
        str(finished_run),
        tmp_path=tmp_path,
        watched=(finished_run,),
    )


@pytest.mark.parametrize("command", ["query", "rescore", "rerun"])
def test_run_folder_with_truncated_manifest_is_refused(tmp_path, finished_run, command):
    text = (finished_run / "manifest.json").read_text()
    (finished_run / "manifest.json").write_text(text[: len(text) // 2])
    refused_untouched(
        run_args(command, finished_run, tmp_path),
        "manifest.json",
        "JSON",
        tmp_path=tmp_path,
        watched=(finished_run,),
    )


def test_rescore_of_a_run_without_surfaces_is_refused(tmp_path, finished_run):
    (finished_run / "rescore.tif").unlink()
    refused_untouched(
        run_args("rescore", finished_run, tmp_path),
        "rescore.tif",
        "siting rerun",
        tmp_path=tmp_path,
        watched=(finished_run,),
    )


def test_compare_of_a_site_table_without_scores_is_refused(tmp_path, finished_run):
    import geopandas as gpd

    gpkg = finished_run / "sites.gpkg"
    sites = gpd.read_file(gpkg, layer="sites")
    sites.drop(columns=["score"]).to_file(gpkg, layer="sites", engine="pyogrio")
    refused_untouched(
        ["compare", finished_run, finished_run],
        "sites.gpkg",
        "score",
        tmp_path=tmp_path,
        watched=(finished_run,),
    )


def test_explain_of_an_unknown_site_is_refused(tmp_path, finished_run):
    refused_untouched(
        ["explain", "ZZ-000E-0000N", "--run", finished_run],
        "ZZ-000E-0000N",
        tmp_path=tmp_path,
        watched=(finished_run,),
    )


def test_rerun_with_a_changed_input_is_refused(tmp_path, two_states, two_state_run):
    """A recorded input whose SHA-256 changed: the recorded bundle copied and one file edited."""
    folder = tmp_path / "finished"
    shutil.copytree(two_state_run.out_dir, folder)
    bundle = tmp_path / "bundle"
    shutil.copytree(two_states.root, bundle)
    manifest_path = folder / "manifest.json"
    text = manifest_path.read_text().replace(str(two_states.root), str(bundle))
    manifest_path.write_text(text)
    with (bundle / "svi.csv").open("a") as f:
        f.write("\n")
    refused_untouched(
        ["rerun", folder, "--out", tmp_path / "new-run", "--maps", tmp_path / "maps"],
        "svi.csv",
        tmp_path=tmp_path,
        watched=(folder, bundle),
    )


# ---------------------------------------------------------------------------------------------
# rescore: weights and the map name
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("weights", "fragments"),
    [
        ("connection_cost_musd", ("indicator=weight",)),
        ("connection_cost_musd=lots", ("connection_cost_musd", "lots")),
        ("beauty_score=1.0", ("beauty_score",)),
        ("connection_cost_musd=0.4", ("sum to 1",)),
        ("connection_cost_musd=1.5,svi_overall_pct=-0.5", ("[0, 1]",)),
    ],
    ids=["no-equals", "not-a-number", "unknown-indicator", "not-summing-to-one", "negative"],
)
def test_rescore_with_bad_weights_is_refused(tmp_path, finished_run, weights, fragments):
    args = run_args("rescore", finished_run, tmp_path)
    args[args.index("--weights") + 1] = weights
    refused_untouched(args, *fragments, tmp_path=tmp_path, watched=(finished_run,))


def test_rescore_with_missing_weights_file_is_refused(tmp_path, finished_run):
    path = tmp_path / "weights.toml"
    refused_untouched(
        [
            "rescore",
            finished_run,
            "--weights-file",
            path,
            "--out",
            tmp_path / "new-run",
            "--maps",
            tmp_path / "maps",
        ],
        str(path),
        tmp_path=tmp_path,
        watched=(finished_run,),
    )


def test_rescore_with_weights_file_without_weights_table_is_refused(tmp_path, finished_run):
    path = tmp_path / "weights.toml"
    path.write_text("connection_cost_musd = 1.0\n")
    refused_untouched(
        [
            "rescore",
            finished_run,
            "--weights-file",
            path,
            "--out",
            tmp_path / "new-run",
            "--maps",
            tmp_path / "maps",
        ],
        str(path),
        "[weights]",
        tmp_path=tmp_path,
        watched=(finished_run, path),
    )


@pytest.mark.parametrize("suffix", [".html", "-community.html"])
def test_rescore_never_replaces_an_earlier_map(tmp_path, finished_run, monkeypatch, suffix):
    run_id = "20260101-120000-00000000"
    monkeypatch.setattr(run_manifest, "make_run_id", lambda *a, **k: run_id)
    maps = tmp_path / "maps"
    maps.mkdir()
    earlier = maps / f"{run_id}{suffix}"
    earlier.write_text("earlier run's map")
    result = invoke(*run_args("rescore", finished_run, tmp_path))
    assert earlier.read_text() == "earlier run's map"
    assert sorted(p.name for p in maps.iterdir()) == [earlier.name]
    earlier.unlink()
    refused(
        result,
        str(maps),
        earlier.name,
        "already holds",
        "--maps",
        out=tmp_path / "new-run",
        maps=maps,
    )


# ---------------------------------------------------------------------------------------------
# query: points, ZIP codes and proposed sites
# ---------------------------------------------------------------------------------------------


def query_args(two_states, *args):
    return ["query", "--spec", two_states.spec_path, "--data", two_states.root, *args]


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (("--lat", "95", "--lon", "-86"), ("lat", "95")),
        (("--lat", "39.5"), ("--lon",)),
        (("--zip", "46140"), ("ZIP", "--lat/--lon")),
        (("--lat", "39.5", "--lon", "-86", "--zip", "46140"), ("--zip", "not both")),
        (("--lat", "39.5", "--lon", "-86", "--lang", "xx"), ("--lang", "xx")),
        (("--lat", "47.6", "--lon", "-122.3"), ("outside", "give a point inside")),
    ],
    ids=[
        "lat-out-of-range",
        "lat-without-lon",
        "zip-without-zip-table",
        "zip-and-point",
        "lang",
        "point-outside-region",
    ],
)
def test_query_with_bad_point_is_refused(tmp_path, two_states, args, fragments):
    refused_untouched(
        query_args(two_states, *args), *fragments, tmp_path=tmp_path, watched=(two_states.root,)
    )


def test_query_site_file_missing_is_refused(tmp_path, two_states):
    path = tmp_path / "campus.geojson"
    refused_untouched(
        query_args(two_states, "--site", path),
        str(path),
        tmp_path=tmp_path,
        watched=(two_states.root,),
    )


def test_query_site_with_degrees_label_on_metres_is_refused(tmp_path, two_states):
    import geopandas as gpd
    from shapely.geometry import box

    path = tmp_path / "campus.geojson"
    gpd.GeoDataFrame(
        geometry=[box(740_000, 1_830_000, 742_000, 1_832_000)], crs="EPSG:5070"
    ).set_crs("EPSG:4326", allow_override=True).to_file(path, engine="pyogrio")
    refused_untouched(
        query_args(two_states, "--site", path),
        "campus.geojson",
        "CRS",
        tmp_path=tmp_path,
        watched=(two_states.root, path),
    )


def test_query_site_not_json_is_refused(tmp_path, two_states):
    path = tmp_path / "campus.geojson"
    path.write_text("{ not json")
    refused_untouched(
        query_args(two_states, "--site", path),
        "campus.geojson",
        tmp_path=tmp_path,
        watched=(two_states.root, path),
    )


# ---------------------------------------------------------------------------------------------
# queue --file, validate --points, campus --weather
# ---------------------------------------------------------------------------------------------


def queue_args(two_states, path, *extra):
    return [
        "queue",
        "--spec",
        two_states.spec_path,
        "--data",
        two_states.root,
        "--state",
        "IN",
        "--file",
        path,
        *extra,
    ]


def test_queue_file_with_only_a_header_row_is_refused(tmp_path, two_states):
    path = tmp_path / "queue.csv"
    path.write_text(",".join(LBNL_2024_COLUMNS) + "\n")
    refused_untouched(
        queue_args(two_states, path),
        "queue.csv",
        "no",
        tmp_path=tmp_path,
        watched=(two_states.root, path),
    )


def test_queue_file_empty_is_refused(tmp_path, two_states):
    path = tmp_path / "queue.csv"
    path.write_bytes(b"")
    refused_untouched(
        queue_args(two_states, path),
        "queue.csv",
        tmp_path=tmp_path,
        watched=(two_states.root, path),
    )


def test_queue_file_missing_is_refused(tmp_path, two_states):
    path = tmp_path / "queue.csv"
    refused_untouched(
        queue_args(two_states, path), "queue.csv", tmp_path=tmp_path, watched=(two_states.root,)
    )


def test_queue_file_of_another_table_is_refused(tmp_path, two_states):
    path = tmp_path / "queue.csv"
    shutil.copyfile(two_states.root / "svi.csv", path)
    refused_untouched(
        queue_args(two_states, path),
        "queue.csv",
        tmp_path=tmp_path,
        watched=(two_states.root, path),
    )


def test_queue_unknown_provider_is_refused(tmp_path, two_states):
    path = tmp_path / "queue.csv"
    shutil.copyfile(two_states.root / "queue.csv", path)
    refused_untouched(
        queue_args(two_states, path, "--provider", "ferc"),
        "ferc",
        tmp_path=tmp_path,
        watched=(two_states.root, path),
    )


def test_queue_unknown_state_is_refused(tmp_path, two_states):
    args = ["queue", "--spec", two_states.spec_path, "--data", two_states.root, "--state", "ZZ"]
    refused_untouched(args, "ZZ", tmp_path=tmp_path, watched=(two_states.root,))


@pytest.mark.parametrize(
    ("content", "fragments"),
    [
        ("lat,lon\n", ("points.csv", "no")),
        ("lat,lon\nnorth,-86.0\n", ("points.csv", "lines [2]", "lat")),
        ("latitude_deg,longitude_deg\n39.5,-86.0\n", ("points.csv", "lat")),
        ("lat,lon\n1830000,740000\n", ("points.csv", "lat")),
    ],
    ids=["header-only", "text-latitude", "no-lat-column", "metres-as-degrees"],
)
def test_validate_with_bad_points_is_refused(tmp_path, finished_run, content, fragments):
    path = tmp_path / "points.csv"
    path.write_text(content)
    refused_untouched(
        ["validate", "--points", path, "--run", finished_run],
        *fragments,
        tmp_path=tmp_path,
        watched=(finished_run, path),
    )


@pytest.mark.parametrize(
    ("content", "fragments"),
    [
        (b"", ("weather.epw",)),
        (b"LOCATION,Nowhere\nnot,an,epw,file\n", ("weather.epw",)),
        (None, ("weather.epw",)),
    ],
    ids=["empty", "truncated", "missing"],
)
def test_campus_with_bad_weather_file_is_refused(tmp_path, content, fragments):
    path = tmp_path / "weather.epw"
    if content is not None:
        path.write_bytes(content)
    refused_untouched(
        ["campus", "--weather", path],
        *fragments,
        tmp_path=tmp_path,
        watched=(path,) if content is not None else (),
    )


def test_campus_unknown_archetype_is_refused(tmp_path):
    refused_untouched(
        ["campus", "--weather", EPW, "--archetype", "ice"],
        "ice",
        tmp_path=tmp_path,
        watched=(EPW,),
    )


def test_run_manifest_written_by_another_tool_is_refused(tmp_path, finished_run):
    (finished_run / "manifest.json").write_text(json.dumps({"run_id": "x"}))
    refused_untouched(
        [
            "rerun",
            finished_run / "manifest.json",
            "--out",
            tmp_path / "new-run",
            "--maps",
            tmp_path / "maps",
        ],
        "manifest.json",
        "lacks",
        tmp_path=tmp_path,
        watched=(finished_run,),
    )
