"""Shared fixtures: tiny grids built in code, and one real run on the embedded bundle."""

from __future__ import annotations

from pathlib import Path

import pytest

from siting.grid import Grid

DATA_DIR = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def grid10() -> Grid:
    """A 10 × 10 grid of 1 km cells in EPSG:5070 with its origin at (0, 0)."""
    return Grid(crs="EPSG:5070", bounds=(0.0, 0.0, 10_000.0, 10_000.0), resolution_m=1000.0)


@pytest.fixture(scope="session")
def default_run(tmp_path_factory):
    """The default spec run end to end on the embedded bundle (shared by the end-to-end tests)."""
    from siting.pipeline import run
    from siting.spec import load_spec

    base = tmp_path_factory.mktemp("default_run")
    return run(load_spec(), out_dir=base / "run", maps_dir=base / "maps", data_dir=DATA_DIR)
