"""``pip install .`` gives a siting that finds its data bundle from anywhere."""

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """A wheel built from a copy of the source tree (setuptools writes build/ beside it)."""
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copyfile(ROOT / name, source / name)
    for package in ("siting", "layers"):
        skip = shutil.ignore_patterns("__pycache__")
        shutil.copytree(ROOT / package, source / package, ignore=skip)
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(source),
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "-w",
            str(out),
        ],
        check=True,
        capture_output=True,
    )
    (path,) = out.glob("siting-*.whl")
    return path


def test_the_wheel_ships_the_bundle_and_not_its_builder(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "siting/data/indiana.toml",
        "siting/data/indiana.gpkg",
        "siting/data/SOURCES.csv",
        "siting/data/tables/queue_lbnl_2024.csv.gz",
        "siting/data/egrid/epa_power_profiler_egrid2023_subregions_near.geojson",
        "siting/data/weather/USA_IN_Indianapolis.Intl.AP.724380_TMY3.epw",
        "siting/specs/default.toml",
        "siting/sources/hifld.py",
        "siting/models/cooling.py",
        "siting/assessments/emissions.py",
        "layers/grid_capacity.py",
    ):
        assert required in names, required
    assert not any(n.endswith("build_bundle.py") for n in names)


def test_an_installed_siting_finds_its_own_bundle(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--quiet",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from siting.bundle import default_data_dir, open_bundle;"
        "b = open_bundle('indiana'); print(b.root); print(b.catalogue.is_file())"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(target)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin"},
    )
    root, found = result.stdout.split()
    assert Path(root).resolve() == (target / "siting" / "data").resolve()
    assert found == "True"
