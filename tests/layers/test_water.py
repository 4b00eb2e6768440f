"""Water stress: the county draw proxy on the two-state fixture, and WRI Aqueduct 4.0 basins used
instead as soon as a bundle has them."""

import dataclasses
import json
import shutil

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from layers.water import LAYER
from siting.errors import DataError
from siting.pipeline import run
from siting.spec import load_spec
from tests.fixture_bundle import CRS, KM, Y0, Y1

#: WRI's baseline_annual columns (identifiers and bws; the real layer has ~230 more).
AQUEDUCT_COLUMNS = ["string_id", "aq30_id", "pfaf_id", "gid_1", "aqid", "gid_0", "name_0"]
AQUEDUCT_COLUMNS += ["name_1", "area_km2", "bws_raw", "bws_score", "bws_cat", "bws_label"]


def aqueduct_basins() -> gpd.GeoDataFrame:
    """Two sub-basins in WRI's schema and CRS: Extremely High stress over the Indiana side of
    the fixture (x 700–760 km), Low over the Ohio side (760–820 km)."""
    rows = [
        ["742301-USA.15_1-3365", 1, 742301, "USA.15_1", 3365, "USA", "United States", "Indiana"],
        ["742302-USA.36_1-3365", 2, 742302, "USA.36_1", 3365, "USA", "United States", "Ohio"],
    ]
    stress = [[3600.0, 0.9, 4.169925, 4.0, "Extremely High (>80%)"]]
    stress += [[3600.0, 0.05, 0.0, 0.0, "Low (<10%)"]]
    table = pd.DataFrame(
        [r + s for r, s in zip(rows, stress, strict=True)], columns=AQUEDUCT_COLUMNS
    )
    polygons = [
        box(700 * KM, Y0 * KM, 760 * KM, Y1 * KM),
        box(760 * KM, Y0 * KM, 820 * KM, Y1 * KM),
    ]
    return gpd.GeoDataFrame(table, geometry=polygons, crs=CRS).to_crs("EPSG:4326")


def with_aqueduct(root):
    """Name ``aqueduct.gpkg`` in the fixture's catalogue as its water_stress_basins input."""
    aqueduct_basins().to_file(root / "aqueduct.gpkg", layer="baseline_annual")
    catalogue = root / "two_states.toml"
    text = catalogue.read_text()
    head, features = text.split("[features]")
    extra = '[inputs.water_stress_basins]\npath = "aqueduct.gpkg"\nformat = "aqueduct40_baseline"\n'
    catalogue.write_text(f"{head}{extra}\n[features]{features}")
    sources = pd.read_csv(root / "SOURCES.csv")
    pd.concat([sources, sources.iloc[[0]].assign(path="aqueduct.gpkg")]).to_csv(
        root / "SOURCES.csv", index=False
    )


@pytest.fixture(scope="module")
def aqueduct_run(two_states, tmp_path_factory):
    root = shutil.copytree(two_states.root, tmp_path_factory.mktemp("aqueduct") / "bundle")
    with_aqueduct(root)
    out = tmp_path_factory.mktemp("aqueduct_out")
    return run(two_states.spec, out_dir=out / "run", maps_dir=out / "maps", data_dir=root)


def test_draw_counts_power_plants_by_what_they_consume(two_state_inputs):
    # Fixture: Adams counties withdraw 10 Mgal/d (5 of them once-through cooling, 2 % of which
    # evaporates), Allen counties 300 (295 for power). Counties are 30 × 60 km.
    out = LAYER.derive(two_state_inputs, {})
    draw = out["water_draw_mm_per_yr"].to_numpy()
    cells = two_state_inputs.counties.cells
    fips = two_state_inputs.counties.table["fips"].to_numpy()
    by_county = {fips[i]: float(np.nanmean(draw[cells == i])) for i in range(len(fips))}
    m3_per_mgd_yr = 3785.411784 * 365.25
    adams = (5.0 + 0.1) * m3_per_mgd_yr / 1800e6 * 1000.0
    allen = (5.0 + 5.9) * m3_per_mgd_yr / 1800e6 * 1000.0
    assert by_county["18001"] == pytest.approx(adams, rel=1e-5)
    assert by_county["39003"] == pytest.approx(allen, rel=1e-5)
    # Withdrawals were 30 times Adams's; the draw is about twice.
    assert by_county["39003"] / by_county["18001"] == pytest.approx(10.9 / 5.1)


def test_without_aqueduct_the_basin_score_is_unknown_and_says_why(two_state_inputs):
    out = LAYER.derive(two_state_inputs, {})
    score = out["water_stress_bws_score"]
    assert np.isnan(score.to_numpy()).all()
    assert "no water_stress_basins input" in score.attrs["unavailable"]


def test_aqueduct_basins_are_placed_on_the_grid(two_state_inputs, tmp_path):
    basins = aqueduct_basins().to_crs(CRS)
    inputs = dataclasses.replace(two_state_inputs, water_stress_basins=basins)
    out = LAYER.derive(inputs, {})
    x = two_state_inputs.grid.x
    score, cat = out["water_stress_bws_score"].to_numpy(), out["water_stress_bws_cat"].to_numpy()
    west, east = x < 760 * KM, x > 760 * KM
    assert np.allclose(score[:, west], 4.169925) and np.allclose(score[:, east], 0.0)
    assert np.all(cat[:, west] == 4.0) and np.all(cat[:, east] == 0.0)


def test_a_run_given_aqueduct_uses_it_instead_of_the_proxy(aqueduct_run):
    out = aqueduct_run.out_dir
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["weights"]["water_stress_bws_score"] == 0.08
    assert "water_draw_mm_per_yr" not in manifest["weights"]
    assert "replaces the proxy water_draw_mm_per_yr" in manifest["weight_substitutions"][0]
    assert "aqueduct.gpkg" in {i["path"] for i in manifest["inputs"]}
    indicators = pd.read_csv(out / "indicators.csv").set_index("indicator")
    assert indicators.loc["water_stress_bws_score", "weight"] == 0.08
    assert indicators.loc["water_draw_mm_per_yr", "weight"] == 0.0
    report = (out / "report.md").read_text()
    assert "water_stress_bws_score replaces the proxy water_draw_mm_per_yr" in report
    sites = pd.read_csv(out / "sites.csv")
    assert sites["water_stress_basis"].str.startswith("WRI Aqueduct 4.0").all()
    assert not sites["proxy_indicators"].fillna("").str.contains("water_draw").any()
    # The Indiana side is extremely stressed: the best site is on the Ohio side.
    best = sites.iloc[0]
    assert best["county_fips"] // 1000 == 39
    assert best["water_stress_level"] == "Low (<10%)" and best["basin_pfaf_id"] == 742302


def test_the_default_run_states_the_water_proxy_in_words(default_run):
    sites = pd.read_csv(default_run.out_dir / "sites.csv")
    assert sites["water_stress_basis"].str.startswith("PROXY: county fresh-water draw").all()
    assert sites["water_stress_level"].str.endswith("mm/yr (proxy)").all()
    assert sites["proxy_indicators"].str.contains("water_draw_mm_per_yr").all()


def test_an_aqueduct_table_without_polygons_is_refused(two_states, tmp_path):
    root = shutil.copytree(two_states.root, tmp_path / "bundle")
    with_aqueduct(root)
    table = aqueduct_basins().drop(columns="geometry")
    table.to_csv(root / "aqueduct.csv", index=False)
    catalogue = root / "two_states.toml"
    catalogue.write_text(catalogue.read_text().replace('"aqueduct.gpkg"', '"aqueduct.csv"'))
    sources = pd.read_csv(root / "SOURCES.csv").replace({"path": {"aqueduct.gpkg": "aqueduct.csv"}})
    sources.to_csv(root / "SOURCES.csv", index=False)
    spec = load_spec(two_states.spec_path)
    with pytest.raises(DataError, match="without basin geometry cannot be placed"):
        run(spec, out_dir=tmp_path / "run", maps_dir=tmp_path / "maps", data_dir=root)
    assert not (tmp_path / "run").exists()
