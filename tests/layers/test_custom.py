"""Layers a user adds in the spec, without code: kinds, use as weight and exclusion, errors."""

import geopandas as gpd
import numpy as np
import pytest
import rasterio
from rasterio.transform import from_origin
from shapely.geometry import Point, box

from siting.errors import CRSError, DataError, DataFileNotFound, SpecError
from siting.pipeline import run
from siting.spec import load_spec

BASE = """
[[layers]]
name = "school_distance_km"
kind = "distance_to_features"
file = "schools.gpkg"
title = "Distance to a school"
direction = "higher_better"
best = 5.0
worst = 0.0
tag = "real"
source = "fixture schools"

[[layers]]
name = "zoning_code"
kind = "polygon_attribute"
file = "zoning.gpkg"
column = "code"
title = "Zoning code"
units = "code"
direction = "context"
tag = "synthetic"
source = "fixture zoning"

[[layers]]
name = "slope_deg"
kind = "raster_value"
file = "slope.tif"
title = "Slope"
units = "degrees"
direction = "lower_better"
best = 0.0
worst = 10.0
tag = "real-derived"
source = "fixture slope"

[[layers]]
name = "airport_setback"
kind = "setback"
file = "airport.gpkg"
distance_m = 3000.0
title = "Within 3 km of the airport"
direction = "context"
tag = "real"
source = "fixture airport"

[[exclusions]]
name = "airport"
kind = "indicator"
indicator = "airport_setback"
above = 0.5

[weights]
line_distance_km = 0.3
substation_distance_km = 0.2
pue_annual_cell = 0.2
school_distance_km = 0.2
slope_deg = 0.1
"""


@pytest.fixture(scope="module")
def custom_run(two_states, tmp_path_factory):
    folder = tmp_path_factory.mktemp("custom")
    gpd.GeoDataFrame(geometry=[Point(730_500, 1_830_500)], crs="EPSG:5070").to_file(
        folder / "schools.gpkg"
    )
    gpd.GeoDataFrame(
        {"code": [3, 7]},
        geometry=[
            box(700_000, 1_800_000, 760_000, 1_860_000),
            box(760_000, 1_800_000, 820_000, 1_860_000),
        ],
        crs="EPSG:5070",
    ).to_file(folder / "zoning.gpkg")
    gpd.GeoDataFrame(geometry=[Point(790_500, 1_810_500)], crs="EPSG:5070").to_file(
        folder / "airport.gpkg"
    )
    slope = np.zeros((60, 120), dtype=np.float32)
    slope[:, 60:] = 20.0  # Ohio is steep in this fixture
    with rasterio.open(
        folder / "slope.tif",
        "w",
        driver="GTiff",
        width=120,
        height=60,
        count=1,
        dtype="float32",
        crs="EPSG:5070",
        transform=from_origin(700_000, 1_860_000, 1000, 1000),
    ) as dst:
        dst.write(slope, 1)
    spec_path = folder / "spec.toml"
    spec_path.write_text(two_states.spec_path.read_text() + BASE, encoding="utf-8")
    out = tmp_path_factory.mktemp("custom_out")
    result = run(
        load_spec(spec_path), out_dir=out / "run", maps_dir=out / "maps", data_dir=two_states.root
    )
    return result, folder


def test_custom_layers_are_indicators_weights_and_exclusions(custom_run):
    result, folder = custom_run
    sites = result.sites
    for name in ("school_distance_km", "zoning_code", "slope_deg", "airport_setback"):
        assert name in sites.columns
    # slope is 20° east of x = 760 km and 0° west: a site's mean is 20° × its eastern share
    east = sites.geometry.intersection(box(760_000, 1_700_000, 900_000, 1_900_000)).area
    share = (east / sites.geometry.area).to_numpy()
    np.testing.assert_allclose(sites["slope_deg"], 20.0 * share, atol=1e-4)
    np.testing.assert_allclose(sites["zoning_code"], 3.0 + 4.0 * share, atol=1e-4)
    ledger = result.ledger.set_index("rule")
    # π × 3 km² of 1 km cells around the airport, within a cell's worth of rim
    assert ledger.loc["airport", "area_km2"] == pytest.approx(np.pi * 9, abs=2 * np.pi * 3)
    assert (sites["airport_setback"] == 0).all()
    files = {f["path"] for f in result.manifest["user_files"]}
    assert {
        str(folder / n) for n in ("schools.gpkg", "zoning.gpkg", "slope.tif", "airport.gpkg")
    } <= files
    tags = {r["indicator"]: r["tag"] for r in result.manifest["indicators"]}
    assert tags["zoning_code"] == "synthetic"


def test_school_distance_is_the_distance_to_the_point(custom_run):
    result, _ = custom_run
    sites = result.sites
    exact = sites.geometry.distance(Point(730_500, 1_830_500)) / 1000.0
    assert (np.abs(sites["school_distance_km"] - exact) <= 2**0.5 + 1e-6).all()


def test_a_file_that_misses_the_study_area_is_refused(custom_run, two_states, tmp_path):
    """Metre coordinates labelled as degrees land off the map: a clear error, not 0 km²."""
    _, folder = custom_run
    gpd.GeoDataFrame(geometry=[Point(730_500, 1_830_500)], crs="EPSG:3857").to_file(
        folder / "elsewhere.gpkg"
    )
    text = (two_states.spec_path.read_text() + BASE).replace('"airport.gpkg"', '"elsewhere.gpkg"')
    spec_path = folder / "elsewhere.toml"
    spec_path.write_text(text, encoding="utf-8")
    with pytest.raises(CRSError, match="does not overlap the study area"):
        run(
            load_spec(spec_path),
            out_dir=tmp_path / "run",
            maps_dir=tmp_path / "maps",
            data_dir=two_states.root,
        )


@pytest.mark.parametrize(
    ("edit", "error", "match"),
    [
        (
            lambda t: t.replace('file = "schools.gpkg"', 'file = "nowhere.gpkg"'),
            DataFileNotFound,
            "nowhere.gpkg: file not found",
        ),
        (lambda t: t.replace('column = "code"', 'column = "zone"'), DataError, "no column 'zone'"),
        (
            lambda t: t.replace('kind = "setback"', 'kind = "buffer"'),
            SpecError,
            "'kind' must be one of",
        ),
        (lambda t: t.replace("best = 5.0\n", ""), SpecError, "give distinct 'best' and 'worst'"),
    ],
)
def test_a_bad_custom_layer_is_one_clear_error(
    custom_run, two_states, tmp_path, edit, error, match
):
    _, folder = custom_run
    spec_path = folder / f"bad_{tmp_path.name}.toml"
    spec_path.write_text(edit(two_states.spec_path.read_text() + BASE), encoding="utf-8")
    with pytest.raises(error, match=match):
        run(
            load_spec(spec_path),
            out_dir=tmp_path / "run",
            maps_dir=tmp_path / "maps",
            data_dir=two_states.root,
        )
    assert not (tmp_path / "run").exists()


def test_a_vector_file_without_crs_is_refused(custom_run, two_states, tmp_path):
    _, folder = custom_run
    gpd.GeoDataFrame(geometry=[Point(730_500, 1_830_500)]).to_file(folder / "nocrs.shp")
    (folder / "nocrs.prj").unlink(missing_ok=True)
    text = (two_states.spec_path.read_text() + BASE).replace('"schools.gpkg"', '"nocrs.shp"')
    spec_path = folder / "nocrs.toml"
    spec_path.write_text(text, encoding="utf-8")
    with pytest.raises(CRSError, match="no CRS"):
        run(
            load_spec(spec_path),
            out_dir=tmp_path / "run",
            maps_dir=tmp_path / "maps",
            data_dir=two_states.root,
        )
