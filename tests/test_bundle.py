"""The shipped data bundle (``siting/data``) and its catalogue, and how a run finds a bundle."""

import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pyogrio
import pytest

from siting.bundle import (
    OPTIONAL_ROLES,
    ROLE_FORMATS,
    default_data_dir,
    describe_inputs,
    open_bundle,
)
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


# ---------------------------------------------------------------------------------------------
# the serving utility and the cost index
# ---------------------------------------------------------------------------------------------


def without_role(text: str, role: str) -> str:
    """The catalogue text with the ``[inputs.<role>]`` table (up to the next table) removed."""
    head, _, rest = text.partition(f"[inputs.{role}]\n")
    _, sep, tail = rest.partition("\n[")
    return head + sep.lstrip("\n") + tail


def test_the_catalogue_names_the_utility_roles_and_the_cost_index():
    bundle = open_bundle("indiana", DATA_DIR)
    assert bundle.source("utility_territories").format == "gridwatch_utility_territories"
    assert bundle.source("utilities").options == {"year": "2024"}
    assert bundle.source("cost_index").path == "tables/bls_cpi_u_annual.csv"
    assert {"utility_territories", "utilities"} <= set(OPTIONAL_ROLES)
    assert "cost_index" not in OPTIONAL_ROLES


def test_the_build_script_writes_the_catalogue_it_ships():
    """build_bundle.py writes indiana.toml: its text must be the committed catalogue."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_bundle", DATA_DIR / "build_bundle.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (DATA_DIR / "indiana.toml").read_text(encoding="utf-8") == module.CATALOGUE


def test_a_bundle_may_leave_out_the_utility_roles_but_not_the_cost_index(tmp_path):
    text = (DATA_DIR / "indiana.toml").read_text(encoding="utf-8")
    lean = without_role(without_role(text, "utility_territories"), "utilities")
    bundle = open_bundle("b", copy_catalogue(tmp_path, lean))
    assert "utilities" not in bundle.sources and "cost_index" in bundle.sources
    with pytest.raises(DataError, match=r"no \[inputs.<role>\] for \['cost_index'\]"):
        open_bundle("b", copy_catalogue(tmp_path, without_role(text, "cost_index")))


def test_an_eia861_table_must_state_its_year(tmp_path):
    text = (DATA_DIR / "indiana.toml").read_text(encoding="utf-8").replace('year = "2024"\n', "")
    with pytest.raises(DataError, match=r"format 'commongrid_eia861' needs year = "):
        open_bundle("b", copy_catalogue(tmp_path, text))


def test_the_cost_index_runs_from_2015_to_a_complete_year():
    from siting.sources.bls_cpi import read_cpi_u_annual

    cpi = read_cpi_u_annual(DATA_DIR / "tables" / "bls_cpi_u_annual.csv")
    assert cpi.attrs["series_id"] == "CUUR0000SA0"
    years = cpi["year"].tolist()
    assert years == list(range(2015, years[-1] + 1)) and years[-1] >= 2024
    assert cpi["cpi_u_annual_avg"].is_monotonic_increasing  # no deflation year since 2015


def test_input_records_hash_each_files_bytes_and_layers_share_their_geopackages():
    bundle = open_bundle("indiana", DATA_DIR)
    refs = ("indiana.gpkg:state", "tables/bls_cpi_u_annual.csv", "indiana.gpkg:counties")
    records = describe_inputs(bundle, refs)
    assert [r["path"] for r in records] == sorted(refs)
    for record in records:
        file = DATA_DIR / record["path"].split(":")[0]
        assert record["sha256"] == hashlib.sha256(file.read_bytes()).hexdigest()
    assert records[0]["sha256"] == records[1]["sha256"] != records[2]["sha256"]


def test_an_input_without_provenance_is_an_error_naming_it(tmp_path):
    shutil.copy(DATA_DIR / "SOURCES.csv", tmp_path / "SOURCES.csv")
    shutil.copy(DATA_DIR / "indiana.toml", tmp_path / "indiana.toml")
    bundle = open_bundle("indiana", tmp_path)  # the catalogue without its data files
    with pytest.raises(DataError, match=r"SOURCES\.csv: no provenance row for 'absent\.csv'"):
        describe_inputs(bundle, ("indiana.gpkg:state", "absent.csv"))
