"""Re-scoring a finished run with new weights from its saved surfaces, without its layers."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest
import rasterio
from typer.testing import CliRunner

from siting.cli import app
from siting.errors import DataFileNotFound, SpecError
from siting.models.robustness import consensus_share
from siting.models.weighted_sum import weighted_sum_into
from siting.pipeline import run
from siting.rescore import (
    check_weights,
    load_surfaces,
    parse_weights,
    rank_moves,
    read_sites,
    rescore,
    rescore_run,
)
from siting.robustness import weight_draws
from siting.spec import load_spec
from tests.fixture_bundle import SPEC as TWO_STATE_SPEC

#: New weights for the two-state run: two of them (line and substation distance) are not
#: weighted by the default spec, so they can only come from the saved ``rescore.tif``.
NEW_WEIGHTS = {
    "line_distance_km": 0.35,
    "connection_cost_musd": 0.15,
    "substation_distance_km": 0.2,
    "svi_overall_pct": 0.1,
    "pop_density_per_km2": 0.2,
}
COMPARED = ("score.tif", "consensus.tif", "sites.csv", "sites.gpkg", "sites.geojson")


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _band(path: Path) -> np.ndarray:
    with rasterio.open(path) as src:
        return src.read(1)


@pytest.fixture(scope="module")
def surfaces(two_state_run):
    return load_surfaces(two_state_run.out_dir)


@pytest.fixture(scope="module")
def own_rescore(two_state_run, two_states, tmp_path_factory):
    base = tmp_path_factory.mktemp("own_rescore")
    weights = two_states.spec.weights
    return rescore_run(two_state_run.out_dir, weights, out_dir=base / "run", maps_dir=base / "m")


@pytest.fixture(scope="module")
def new_rescore(two_state_run, tmp_path_factory):
    base = tmp_path_factory.mktemp("new_rescore")
    return rescore_run(
        two_state_run.out_dir, NEW_WEIGHTS, out_dir=base / "run", maps_dir=base / "m"
    )


@pytest.fixture(scope="module")
def fresh_run(two_states, tmp_path_factory):
    """A full run of the two-state spec with :data:`NEW_WEIGHTS` in the user's spec."""
    base = tmp_path_factory.mktemp("fresh_run")
    lines = "\n".join(f"{n} = {w}" for n, w in NEW_WEIGHTS.items())
    spec_path = base / "new_weights.toml"
    spec_path.write_text(f"{TWO_STATE_SPEC}\n[weights]\n{lines}\n", encoding="utf-8")
    return run(
        load_spec(spec_path), out_dir=base / "run", maps_dir=base / "m", data_dir=two_states.root
    )


def test_the_saved_surfaces_hold_every_scorable_indicator(surfaces, two_states):
    weighted = tuple(two_states.spec.weights)
    assert surfaces.names[: len(weighted)] == weighted
    assert {"line_distance_km", "substation_distance_km"} <= set(surfaces.names)
    assert surfaces.suitability.dtype == np.float32
    assert surfaces.suitability.shape == (len(surfaces.names), *surfaces.grid.shape)
    assert not np.isnan(surfaces.suitability).any()
    assert surfaces.excluded.any() and not surfaces.excluded.all()


def test_rescoring_with_the_run_weights_gives_back_its_score_tif_bit_for_bit(
    surfaces, two_state_run, two_states
):
    recorded = _band(two_state_run.out_dir / "score.tif")
    out = np.empty(surfaces.grid.shape, dtype=np.float32)
    again = rescore(surfaces, two_states.spec.weights, out=out)
    assert again is out  # in place, in the buffer given
    np.testing.assert_array_equal(again, recorded)
    # summed in another order (the manifest's sorted keys) the bits differ: order matters
    shuffled = rescore(surfaces, dict(sorted(two_states.spec.weights.items())))
    np.testing.assert_allclose(shuffled, recorded, atol=1e-6)
    assert not np.array_equal(shuffled, recorded, equal_nan=True)


def test_the_weighted_sum_is_a_float32_sum_term_by_term():
    s = [np.float32([0.1, 0.7]), np.float32([0.3, np.float32(1) / 3])]
    got = weighted_sum_into(np.empty(2, np.float32), s, np.array([0.25, 0.75]))
    by_hand = np.float32(0.25) * s[0] + np.float32(0.75) * s[1]
    np.testing.assert_array_equal(got, by_hand)
    draws = weighted_sum_into(np.empty((2, 2), np.float32), s, np.array([[0.25, 0.75], [1, 0]]))
    np.testing.assert_array_equal(draws, [by_hand, s[0]])


def test_rescoring_a_run_with_its_own_weights_rewrites_its_outputs(own_rescore, two_state_run):
    for name in COMPARED:
        assert _sha(own_rescore.out_dir / name) == _sha(two_state_run.out_dir / name), name
    lineage = own_rescore.manifest["rescored_from"]
    assert lineage["run_id"] == two_state_run.run_id
    assert [n for n, _ in lineage["weights"]] == list(two_state_run.manifest["spec"]["weights"])


def test_new_weights_give_what_a_fresh_run_with_them_gives(new_rescore, fresh_run, two_state_run):
    for name in (*COMPARED, "rescore.tif", "indicators.tif", "suitability.tif"):
        assert _sha(new_rescore.out_dir / name) == _sha(fresh_run.out_dir / name), name
    new, fresh = new_rescore.sites, fresh_run.sites
    assert new["site_id"].tolist() == fresh["site_id"].tolist()
    assert new["score"].tolist() == fresh["score"].tolist()
    # and the new weights did change the ranking, so the check above had something to find
    assert new["site_id"].tolist() != two_state_run.sites["site_id"].tolist()
    lineage = new_rescore.manifest["rescored_from"]
    assert lineage["weights"] == [[n, w] for n, w in NEW_WEIGHTS.items()]


def test_rank_moves_follow_each_old_site_to_the_new_site_on_its_land(
    own_rescore, new_rescore, two_state_run
):
    old = read_sites(two_state_run.out_dir)
    same = rank_moves(old, own_rescore.sites, top_n=3)
    assert same["new_rank"].tolist() == [1, 2, 3]
    assert same["overlap_share"].tolist() == pytest.approx([1.0, 1.0, 1.0])
    moved = rank_moves(old, new_rescore.sites, top_n=len(old))
    assert len(moved) == len(old)
    assert moved["old_rank"].tolist() == list(range(1, len(old) + 1))
    found = moved.dropna(subset=["new_rank"])
    assert ((found["overlap_share"] > 0) & (found["overlap_share"] <= 1 + 1e-9)).all()


def test_the_consensus_counts_draws_on_the_surfaces_rescore_computes(surfaces, two_states):
    """The consensus's best cells of a draw are the best cells of that draw's re-scored
    surface, ties at the threshold included: the two sum alike."""
    spec = two_states.spec
    draws = weight_draws(spec.weights, spec.robustness)[:5]
    suits = {n: surfaces.with_unknown(n) for n in spec.weights}
    eligible = ~surfaces.excluded
    top_share = spec.robustness.consensus_top_pct / 100.0
    share = consensus_share(
        suits, draws, eligible=eligible, score_factor=surfaces.score_factor, top_share=top_share
    )
    counts = np.zeros(int(eligible.sum()))
    for draw in draws:
        cells = rescore(surfaces, dict(zip(spec.weights, draw, strict=True)))[eligible]
        k = int(np.ceil(round(top_share * cells.size, 6)))
        counts += cells >= np.sort(cells)[-k]
    np.testing.assert_array_equal(share[eligible], counts / len(draws))


def test_the_run_consensus_is_unchanged(two_state_run, two_states, surfaces):
    """consensus.tif as the BLAS matrix product computed it before the shared sum."""
    spec = two_states.spec
    draws = weight_draws(spec.weights, spec.robustness)
    eligible = ~surfaces.excluded
    cells = np.stack(
        [surfaces.suitability[surfaces.names.index(n)][eligible] for n in spec.weights]
    )
    factor = surfaces.score_factor[eligible][None, :]
    scores = (draws.astype(np.float32) @ cells) * factor
    k = int(np.ceil(round(spec.robustness.consensus_top_pct / 100.0 * cells.shape[1], 6)))
    threshold = np.partition(scores, cells.shape[1] - k, axis=1)[:, cells.shape[1] - k]
    before = (scores >= threshold[:, None]).mean(axis=0)
    recorded = _band(two_state_run.out_dir / "consensus.tif")
    np.testing.assert_array_equal(recorded[eligible], before.astype(np.float32))
    assert np.isnan(recorded[~eligible]).all()


def test_a_rerun_of_a_rescored_run_uses_its_new_weights(new_rescore):
    from siting.rerun import read_manifest, recorded_spec

    spec, notes = recorded_spec(read_manifest(new_rescore.out_dir))
    assert dict(spec.weights) == NEW_WEIGHTS and list(spec.weights) == list(NEW_WEIGHTS)
    assert any("re-scored from run" in n for n in notes)


# ---------------------------------------------------------------------------------------------
# the weights, checked as a spec's are
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ({"a": 0.5, "nope": 0.5}, r"weight for unknown indicator 'nope'; scored indicators"),
        ({"a": 0.5, "b": 0.4}, r"weights must sum to 1, got 0\.900"),
        ({"a": 1.5, "b": -0.5}, r"weight of 'a' must be in \[0, 1\], got 1\.5"),
        ({}, r"no weights given"),
    ],
)
def test_bad_weights_are_spec_errors(weights, message):
    with pytest.raises(SpecError, match=message):
        check_weights(weights, ("a", "b"), where="--weights")


def test_weights_are_parsed_from_name_value_pairs():
    assert parse_weights("a=0.25, b = 0.75,") == {"a": 0.25, "b": 0.75}
    with pytest.raises(SpecError, match=r"expected indicator=weight, got 'a:0\.5'"):
        parse_weights("a:0.5")
    with pytest.raises(SpecError, match=r"expected indicator=weight, got 'b=x'"):
        parse_weights("a=1,b=x")


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ("connection_cost_musd=0.5,no_such_indicator=0.5", "unknown indicator 'no_such_indicator'"),
        ("connection_cost_musd=0.5,svi_overall_pct=0.4", "weights must sum to 1, got 0.900"),
    ],
)
def test_the_command_refuses_bad_weights_in_one_line_and_writes_nothing(
    two_state_run, tmp_path, weights, message
):
    out, maps = tmp_path / "out", tmp_path / "maps"
    args = ["rescore", str(two_state_run.out_dir), "--weights", weights]
    result = CliRunner().invoke(app, [*args, "--out", str(out), "--maps", str(maps)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0]
    assert not out.exists() and not maps.exists()
    assert list(tmp_path.iterdir()) == []


def test_the_command_takes_a_weights_file_and_prints_the_moves(two_state_run, tmp_path):
    weights_path = tmp_path / "w.toml"
    lines = "\n".join(f"{n} = {w}" for n, w in NEW_WEIGHTS.items())
    weights_path.write_text(f"[weights]\n{lines}\n", encoding="utf-8")
    out = tmp_path / "out"
    args = ["rescore", str(two_state_run.out_dir), "--weights-file", str(weights_path)]
    result = CliRunner().invoke(app, [*args, "--out", str(out), "--maps", str(tmp_path / "m")])
    assert result.exit_code == 0, result.output
    assert "re-scored" in result.stdout and "the old best" in result.stdout
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert dict(manifest["rescored_from"]["weights"]) == NEW_WEIGHTS
    assert manifest["weights"] == NEW_WEIGHTS


def test_the_command_needs_exactly_one_source_of_weights(two_state_run, tmp_path):
    result = CliRunner().invoke(app, ["rescore", str(two_state_run.out_dir)])
    assert result.exit_code == 2
    assert "exactly one of --weights and --weights-file" in result.stderr


def test_a_run_without_saved_surfaces_or_of_given_candidates_is_refused(two_state_run, tmp_path):
    manifest = json.loads((two_state_run.out_dir / "manifest.json").read_text(encoding="utf-8"))
    old = tmp_path / "old"
    old.mkdir()
    (old / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(DataFileNotFound, match=r"no rescore\.tif; the run predates re-scoring"):
        load_surfaces(old)
    chosen = tmp_path / "chosen"
    chosen.mkdir()
    manifest["candidates_file"] = {"path": "sites.gpkg", "sha256": "0"}
    (chosen / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(SpecError, match="a run of your own candidate sites"):
        rescore_run(chosen, NEW_WEIGHTS, out_dir=tmp_path / "out", maps_dir=tmp_path / "m")
    assert not (tmp_path / "out").exists()
