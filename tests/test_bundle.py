"""Checks on the shipped data bundle in ``data/`` (not on the raw sources)."""

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest

DATA = Path(__file__).parents[1] / "data"
GPKG = DATA / "indiana.gpkg"
TAGS = {"real", "real-derived", "proxy", "synthetic"}
SOURCES_COLUMNS = ["path", "title", "source", "vintage", "license", "tag", "derived_from", "notes"]
MAX_BYTES = 30 * 1024 * 1024


@pytest.fixture(scope="module")
def sources():
    """Provenance table of the bundle."""
    return pd.read_csv(DATA / "SOURCES.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def layers():
    """Names of the GeoPackage layers."""
    return {name for name, _ in pyogrio.list_layers(GPKG)}


def test_sources_columns(sources):
    assert list(sources.columns) == SOURCES_COLUMNS
    assert sources["path"].is_unique
    assert list(sources["path"]) == sorted(sources["path"])


def test_every_source_path_exists(sources, layers):
    for path in sources["path"]:
        if ":" in path:
            container, layer = path.split(":", 1)
            assert (DATA / container).is_file(), path
            assert layer in layers, path
        else:
            assert (DATA / path).is_file(), path


def test_every_shipped_file_and_layer_has_provenance(sources, layers):
    paths = set(sources["path"])
    for layer in layers:
        assert f"{GPKG.name}:{layer}" in paths
    for folder in ("tables", "weather"):
        for file in (DATA / folder).iterdir():
            assert f"{folder}/{file.name}" in paths


def test_tags_are_valid(sources):
    assert set(sources["tag"]) <= TAGS


def test_layers_are_epsg5070(layers):
    for layer in layers:
        info = pyogrio.read_info(GPKG, layer=layer)
        assert info["crs"] == "EPSG:5070", layer
        assert info["geometry_name"] == "geometry", layer


def test_counties():
    counties = gpd.read_file(GPKG, layer="counties")
    assert len(counties) == 92
    assert counties["fips"].is_unique
    assert counties["fips"].str.fullmatch(r"18\d{3}").all()


def test_tracts_population():
    tracts = pyogrio.read_dataframe(GPKG, layer="tracts", read_geometry=False)
    assert int(tracts["population"].sum()) == 6_785_528


def test_transmission_kv_positive():
    lines = pyogrio.read_dataframe(GPKG, layer="transmission_lines", read_geometry=False)
    kv = lines["kv"].dropna()
    assert len(kv) > 0
    assert (kv > 0).all()


def test_fips_are_five_char_strings():
    for name in (
        "county_water_use_2015.csv",
        "county_svi_2022.csv",
        "county_restrictions_2026.csv",
        "county_warming_1895_2019.csv",
        "county_climate_normals_usda.csv",
    ):
        table = pd.read_csv(DATA / "tables" / name, dtype={"fips": str})
        assert table["fips"].str.fullmatch(r"\d{5}").all(), name
        assert table["fips"].is_unique, name


def test_bundle_size():
    total = sum(
        p.stat().st_size for p in DATA.rglob("*") if p.is_file() and "__pycache__" not in p.parts
    )
    assert total <= MAX_BYTES
