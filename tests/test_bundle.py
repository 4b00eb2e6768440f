"""The shipped data bundle (``siting/data``) and its catalogue, and how a run finds a bundle."""

import shutil
from pathlib import Path

import pandas as pd
import pyogrio
import pytest

from siting.bundle import OPTIONAL_ROLES, ROLE_FORMATS, default_data_dir, open_bundle
from siting.errors import DataError, DataFileNotFound
from siting.inputs import READERS
from siting.sources import cdc_svi, census, gridwatch, usgs_water_use
from tests.conftest import DATA_DIR

GPKG = DATA_DIR / "indiana.gpkg"
TAGS = {"real", "real-derived", "proxy", "synthetic"}
SOURCES_COLUMNS = ["path", "title", "source", "vintage", "license", "tag", "derived_from", "notes"]
MAX_BYTES = 30 * 1024 * 1024


@pytest.fixture(scope="module")
def sources():
    """Provenance table of the bundle."""
    return pd.read_csv(DATA_DIR / "SOURCES.csv", dtype=str, keep_default_na=False)


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
            assert (DATA_DIR / container).is_file(), path
            assert layer in layers, path
        else:
            assert (DATA_DIR / path).is_file(), path


def test_every_shipped_file_and_layer_has_provenance(sources, layers):
    paths = set(sources["path"])
    for layer in layers:
        assert f"{GPKG.name}:{layer}" in paths
    for folder in ("tables", "weather", "egrid"):
        for file in (DATA_DIR / folder).iterdir():
            assert f"{folder}/{file.name}" in paths


def test_tags_are_valid(sources):
    assert set(sources["tag"]) <= TAGS


def test_layers_are_epsg5070(layers):
    for layer in layers:
        info = pyogrio.read_info(GPKG, layer=layer)
        assert info["crs"] == "EPSG:5070", layer
        assert info["geometry_name"] == "geometry", layer


def test_catalogue_names_every_role_with_a_known_format_and_provenance(sources):
    bundle = open_bundle("indiana", DATA_DIR)
    assert set(ROLE_FORMATS) - set(OPTIONAL_ROLES) <= set(bundle.sources)
    known = set(sources["path"])
    for role, group in bundle.sources.items():
        for source in group:
            assert source.format in ROLE_FORMATS[role]
            assert source.format in READERS or source.format == "weather_folder"
            if role != "weather":
                assert source.path in known, source.path
    assert set(bundle.features.values()) <= known
    assert bundle.source("county_restrictions").options == {"state": "IN"}


def test_tables_keep_their_providers_columns():
    """The bundle stores provider schemas; the run-time readers rename."""
    svi = pd.read_csv(DATA_DIR / "tables" / "cdc_svi_2022_county.csv", nrows=1)
    assert {"FIPS", "ST_ABBR", "RPL_THEMES", "E_TOTPOP"} <= set(svi.columns)
    water = pd.read_csv(DATA_DIR / "tables" / "usgs_water_use_2015_county.csv", nrows=1)
    assert {"FIPS", "TO-WFrTo", "PS-WFrTo", "PO-WFrTo"} <= set(water.columns)
    info = pyogrio.read_info(GPKG, layer="counties")
    assert set(info["fields"]) == {"id", "fips", "county", "lsad"}


def test_counties():
    counties = gridwatch.read_counties(f"{GPKG}:counties")
    assert len(counties) == 92
    assert counties["fips"].is_unique
    assert counties["fips"].str.fullmatch(r"18\d{3}").all()


def test_tracts_population():
    tracts = census.read_pl94171_tracts(f"{GPKG}:tracts")
    assert int(tracts["population"].sum()) == 6_785_528


def test_transmission_kv_positive():
    lines = gridwatch.read_transmission_lines(f"{GPKG}:transmission_lines")
    kv = lines["kv"].dropna()
    assert len(kv) > 0
    assert (kv > 0).all()


def test_county_tables_have_unique_five_digit_fips():
    tables = {
        "svi": cdc_svi.read_svi(DATA_DIR / "tables" / "cdc_svi_2022_county.csv"),
        "water": usgs_water_use.read_county_water_use(
            DATA_DIR / "tables" / "usgs_water_use_2015_county.csv"
        ),
    }
    for name, table in tables.items():
        assert table["fips"].str.fullmatch(r"\d{5}").all(), name
        assert table["fips"].is_unique, name


def test_bundle_size():
    total = sum(
        p.stat().st_size
        for p in DATA_DIR.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    )
    assert total <= MAX_BYTES


# ---------------------------------------------------------------------------------------------
# finding and checking a bundle
# ---------------------------------------------------------------------------------------------


def test_default_data_dir_is_the_packaged_bundle_unless_the_environment_says_otherwise(
    monkeypatch, tmp_path
):
    monkeypatch.delenv("SITING_DATA", raising=False)
    assert default_data_dir().resolve() == DATA_DIR.resolve()
    monkeypatch.setenv("SITING_DATA", str(tmp_path))
    assert default_data_dir() == tmp_path


def copy_catalogue(tmp_path: Path, text: str) -> Path:
    shutil.copyfile(DATA_DIR / "SOURCES.csv", tmp_path / "SOURCES.csv")
    (tmp_path / "b.toml").write_text(text, encoding="utf-8")
    return tmp_path


def test_missing_catalogue_names_the_file_and_the_fix(tmp_path):
    with pytest.raises(DataFileNotFound, match=r"nope\.toml: data bundle catalogue not found"):
        open_bundle("nope", tmp_path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[inputs", "not a valid TOML catalogue"),
        ("colour = 1", r"unknown key\(s\) \['colour'\]"),
        ('[inputs.moon]\npath = "x"\nformat = "y"', "unknown input role 'moon'"),
        ('[inputs.counties]\npath = "x"\nformat = "shapefile"', "format must be one of"),
        ('[inputs.counties]\nformat = "census_counties"', r"needs path = "),
        ('[inputs.counties]\npath = "x"\nformat = "census_counties"', r"no \[inputs.<role>\] for"),
    ],
)
def test_a_bad_catalogue_is_one_clear_error(tmp_path, text, message):
    with pytest.raises(DataError, match=message):
        open_bundle("b", copy_catalogue(tmp_path, text))


def test_a_role_with_several_files_only_where_allowed(tmp_path):
    text = (DATA_DIR / "indiana.toml").read_text(encoding="utf-8")
    text = text.replace("[inputs.counties]", "[[inputs.counties]]", 1)
    text += '\n[[inputs.counties]]\npath = "indiana.gpkg:counties"\nformat = "gridwatch_counties"\n'
    with pytest.raises(DataError, match=r"\[inputs.counties\] must name one file, got 2"):
        open_bundle("b", copy_catalogue(tmp_path, text))
