"""Shared fixtures: tiny grids built in code, the two-state fixture bundle, and the real bundle
read once and run once per session."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from siting.bundle import open_bundle
from siting.grid import Grid
from siting.inputs import RunInputs, read_inputs
from siting.spec import CampusSpec, load_spec
from tests.fixture_bundle import SPEC as TWO_STATE_SPEC
from tests.fixture_bundle import write_two_state_bundle

DATA_DIR = Path(__file__).resolve().parents[1] / "siting" / "data"


@pytest.fixture
def grid10() -> Grid:
    """A 10 × 10 grid of 1 km cells in EPSG:5070 with its origin at (0, 0)."""
    return Grid(crs="EPSG:5070", bounds=(0.0, 0.0, 10_000.0, 10_000.0), resolution_m=1000.0)


@dataclass(frozen=True)
class TwoStates:
    """The two-state fixture bundle on disk and its spec."""

    root: Path
    spec_path: Path

    @property
    def spec(self) -> CampusSpec:
        return load_spec(self.spec_path)


@pytest.fixture(scope="session")
def two_states(tmp_path_factory) -> TwoStates:
    """The synthetic bundle of two neighbouring states (tests/fixture_bundle.py) and its spec."""
    base = tmp_path_factory.mktemp("two_states")
    root = write_two_state_bundle(base / "bundle", weather_from=DATA_DIR / "weather")
    spec_path = base / "two_states.toml"
    spec_path.write_text(TWO_STATE_SPEC, encoding="utf-8")
    return TwoStates(root=root, spec_path=spec_path)


@pytest.fixture(scope="session")
def two_state_inputs(two_states) -> RunInputs:
    """The two-state fixture's run inputs, read once."""
    return read_inputs(open_bundle("two_states", two_states.root), two_states.spec)


@pytest.fixture(scope="session")
def indiana_inputs() -> RunInputs:
    """The embedded Indiana bundle's run inputs for the default spec, read once."""
    return read_inputs(open_bundle("indiana", DATA_DIR), load_spec())


@pytest.fixture(scope="session")
def default_run(tmp_path_factory):
    """The default spec run end to end on the embedded bundle (shared by the end-to-end tests)."""
    from siting.pipeline import run

    base = tmp_path_factory.mktemp("default_run")
    return run(load_spec(), out_dir=base / "run", maps_dir=base / "maps", data_dir=DATA_DIR)


@pytest.fixture(scope="session")
def two_state_run(tmp_path_factory, two_states):
    """The two-state fixture run end to end."""
    from siting.pipeline import run

    base = tmp_path_factory.mktemp("two_state_run")
    return run(
        two_states.spec, out_dir=base / "run", maps_dir=base / "maps", data_dir=two_states.root
    )
