"""Impossible or inconsistent campus specs, and spec layers that cannot be placed: each `siting
run` ends in one line naming the spec (or its file), the problem and the fix, exit code 2, no
output, and the spec and its files as they were."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import rasterio
from rasterio.transform import from_origin
from shapely.geometry import Point, box

from tests.robustness.test_bad_inputs import refused, run_two_states, tree_hashes

KM = 1000.0

#: A scored custom layer table; ``{kind}``, ``{file}`` and ``{extra}`` filled in by each case.
LAYER = """
[[layers]]
name = "my_layer"
kind = "{kind}"
file = "{file}"
title = "My layer"
direction = "higher_better"
best = 1.0
worst = 0.0
tag = "real"
source = "a file of mine"
{extra}
"""


def with_campus(spec_text: str, line: str) -> str:
    """The spec with ``line`` added to its [campus] table."""
    return spec_text.replace("[campus]\n", f"[campus]\n{line}\n", 1)


def with_region(spec_text: str, line: str) -> str:
    return spec_text.replace("[region]\n", f"[region]\n{line}\n", 1)


def replaced(old: str, new: str):
    return lambda text: text.replace(old, new, 1)


#: (id, edit of the spec's text, fragments the message must hold)
SPEC_CASES = [
    (
        "negative-mw",
        replaced("it_capacity_mw = 400.0", "it_capacity_mw = -400.0"),
        ("it_capacity_mw", "-400"),
    ),
    (
        "mw-as-text",
        replaced("it_capacity_mw = 400.0", 'it_capacity_mw = "400 MW"'),
        ("it_capacity_mw", "number"),
    ),
    ("pue-below-one", lambda t: with_campus(t, "pue_annual = 0.9"), ("pue_annual", "0.9")),
    (
        "pue-design-below-annual",
        lambda t: with_campus(t, "pue_annual = 1.4\npue_design = 1.2"),
        ("pue_design", "pue_annual"),
    ),
    ("load-factor-above-one", lambda t: with_campus(t, "load_factor = 1.5"), ("load_factor",)),
    (
        "unknown-campus-key",
        lambda t: with_campus(t, "it_capacity_gw = 1.0"),
        ("it_capacity_gw", "allowed"),
    ),
    ("unknown-table", lambda t: t + "\n[campsu]\nname = 'x'\n", ("campsu",)),
    (
        "unknown-archetype",
        lambda t: with_campus(t, 'cooling_archetype = "ice"'),
        ("cooling_archetype", "ice"),
    ),
    (
        "weights-not-numbers",
        lambda t: t + '\n[weights]\nconnection_cost_musd = "high"\n',
        ("connection_cost_musd", "high"),
    ),
    (
        "weights-not-summing-to-one",
        lambda t: t + "\n[weights]\nconnection_cost_musd = 0.5\n",
        ("sum to 1",),
    ),
    (
        "weights-unknown-indicator",
        lambda t: t + "\n[weights]\nconnection_cost_musd = 0.5\nbeauty_score = 0.5\n",
        ("beauty_score",),
    ),
    (
        "transform-of-unknown-indicator",
        lambda t: t + "\n[transforms.beauty_score]\nkind = 'linear'\nbest = 1.0\nworst = 0.0\n",
        ("beauty_score",),
    ),
    (
        "transform-best-equals-worst",
        lambda t: (
            t + "\n[transforms.connection_cost_musd]\nkind = 'linear'\nbest = 5.0\nworst = 5.0\n"
        ),
        ("best and worst",),
    ),
    ("region-states-not-a-list", replaced('states = ["IN", "OH"]', 'states = "IN"'), ("states",)),
    (
        "region-state-not-in-bundle",
        replaced('states = ["IN", "OH"]', 'states = ["IN", "ZZ"]'),
        ("ZZ",),
    ),
    (
        "resolution-too-fine",
        replaced("resolution_m = 1000.0", "resolution_m = 1.0"),
        ("resolution_m",),
    ),
    (
        "resolution-too-coarse",
        replaced("resolution_m = 1000.0", "resolution_m = 100000.0"),
        ("resolution_m",),
    ),
    ("region-crs-geographic", lambda t: with_region(t, 'crs = "EPSG:4326"'), ("EPSG:4326",)),
    (
        "region-unknown-bundle",
        replaced('bundle = "two_states"', 'bundle = "atlantis"'),
        ("atlantis.toml", "not found", "--data"),
    ),
    ("candidates-count-zero", replaced("count = 6", "count = 0"), ("count",)),
    (
        "exclusion-of-unknown-layer",
        replaced('layer = "lakes"', 'layer = "volcanoes"'),
        ("volcanoes", "lakes"),
    ),
    (
        "exclusion-of-unknown-indicator",
        replaced('indicator = "county_dc_ban"', 'indicator = "county_beauty"'),
        ("county_beauty",),
    ),
    ("exclusion-unknown-kind", replaced('kind = "features"', 'kind = "vibes"'), ("vibes",)),
    ("exclusion-negative-buffer", replaced("buffer_m = 500.0", "buffer_m = -5.0"), ("buffer_m",)),
    (
        "target-year-before-request",
        lambda t: (
            with_campus(t, "target_energization_year = 2024")
            + "\n[time_to_power]\nrequest_year = 2026\n"
        ),
        ("request_year",),
    ),
    (
        "layer-unknown-kind",
        lambda t: t + LAYER.format(kind="magic", file="x.gpkg", extra=""),
        ("kind", "magic"),
    ),
    (
        "layer-unknown-key",
        lambda t: t + LAYER.format(kind="setback", file="x.gpkg", extra="colour = 'red'"),
        ("colour",),
    ),
]


@pytest.mark.parametrize(
    ("edit", "fragments"), [case[1:] for case in SPEC_CASES], ids=[case[0] for case in SPEC_CASES]
)
def test_impossible_spec_is_refused(tmp_path, bundle, edit, fragments):
    root, spec = bundle
    spec.write_text(edit(spec.read_text()))
    result, out, maps = run_two_states(tmp_path, root, spec)
    named = () if "atlantis.toml" in fragments else (str(spec),)
    refused(result, *named, *fragments, out=out, maps=maps)


# ---------------------------------------------------------------------------------------------
# the spec's own files: [[layers]], exclusion files, buffers by county
# ---------------------------------------------------------------------------------------------


def schools(crs: str = "EPSG:5070", *, xoff_km: float = 0.0) -> gpd.GeoDataFrame:
    """Two points inside the two states (EPSG:5070 metres), optionally moved, labelled ``crs``."""
    points = [Point((740 + xoff_km) * KM, 1830 * KM), Point((800 + xoff_km) * KM, 1840 * KM)]
    return gpd.GeoDataFrame({"value": [1.0, 2.0]}, geometry=points, crs="EPSG:5070").set_crs(
        crs, allow_override=True
    )


def write_raster(path, values: np.ndarray, *, x0_km: float = 700.0, crs: str = "EPSG:5070"):
    """A float GeoTIFF of 1 km cells from (x0, 1860 km) down, NaN as no-data."""
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=values.shape[1],
        height=values.shape[0],
        count=1,
        dtype="float32",
        crs=crs,
        transform=from_origin(x0_km * KM, 1860 * KM, KM, KM),
        nodata=np.nan,
    ) as dst:
        dst.write(values.astype("float32"), 1)


def add_layer(spec, kind: str, file: str, extra: str = "") -> None:
    if kind in ("raster_value", "polygon_attribute"):
        extra = f'units = "index"\n{extra}'
    spec.write_text(spec.read_text() + LAYER.format(kind=kind, file=file, extra=extra))


def run_refused(tmp_path, root, spec, user_file, *fragments):
    before = tree_hashes(user_file) if user_file.exists() else {}
    result, out, maps = run_two_states(tmp_path, root, spec)
    refused(result, user_file.name, *fragments, out=out, maps=maps)
    assert (tree_hashes(user_file) if user_file.exists() else {}) == before


@pytest.mark.parametrize("kind", ["distance_to_features", "setback"])
def test_layer_with_degrees_label_on_metres_is_refused(tmp_path, bundle, kind):
    root, spec = bundle
    path = tmp_path / "schools.gpkg"
    schools("EPSG:4326").to_file(path, engine="pyogrio")
    add_layer(spec, kind, path.name, "distance_m = 500.0" if kind == "setback" else "")
    run_refused(tmp_path, root, spec, path, "EPSG:4326", "CRS")


def test_layer_with_metres_label_on_degrees_is_refused(tmp_path, bundle):
    root, spec = bundle
    path = tmp_path / "schools.gpkg"
    schools().to_crs("EPSG:4326").set_crs("EPSG:5070", allow_override=True).to_file(
        path, engine="pyogrio"
    )
    add_layer(spec, "distance_to_features", path.name)
    run_refused(tmp_path, root, spec, path, "EPSG:5070", "CRS")


def test_layer_far_from_the_region_is_refused(tmp_path, bundle):
    root, spec = bundle
    path = tmp_path / "schools.gpkg"
    schools(xoff_km=-1500).to_file(path, engine="pyogrio")
    add_layer(spec, "distance_to_features", path.name)
    run_refused(tmp_path, root, spec, path, "overlap")


def test_layer_file_missing_is_refused(tmp_path, bundle):
    root, spec = bundle
    add_layer(spec, "distance_to_features", "nowhere.gpkg")
    run_refused(tmp_path, root, spec, tmp_path / "nowhere.gpkg", "not found")


def test_layer_file_without_features_is_refused(tmp_path, bundle):
    root, spec = bundle
    path = tmp_path / "schools.gpkg"
    schools().iloc[:0].to_file(path, engine="pyogrio")
    add_layer(spec, "distance_to_features", path.name)
    run_refused(tmp_path, root, spec, path, "no features")


def test_polygon_attribute_all_unknown_is_refused(tmp_path, bundle):
    root, spec = bundle
    path = tmp_path / "zones.gpkg"
    gpd.GeoDataFrame(
        {"value": [np.nan, np.nan]},
        geometry=[
            box(700 * KM, 1800 * KM, 760 * KM, 1860 * KM),
            box(760 * KM, 1800 * KM, 820 * KM, 1860 * KM),
        ],
        crs="EPSG:5070",
    ).to_file(path, engine="pyogrio")
    add_layer(spec, "polygon_attribute", path.name, 'column = "value"')
    run_refused(tmp_path, root, spec, path, "value", "no value")


def test_polygon_attribute_missing_column_is_refused(tmp_path, bundle):
    root, spec = bundle
    path = tmp_path / "zones.gpkg"
    gpd.GeoDataFrame(
        {"value": [1.0]}, geometry=[box(700 * KM, 1800 * KM, 820 * KM, 1860 * KM)], crs="EPSG:5070"
    ).to_file(path, engine="pyogrio")
    add_layer(spec, "polygon_attribute", path.name, 'column = "score"')
    run_refused(tmp_path, root, spec, path, "score")


def test_raster_all_nan_is_refused(tmp_path, bundle):
    root, spec = bundle
    path = tmp_path / "heat.tif"
    write_raster(path, np.full((60, 120), np.nan))
    add_layer(spec, "raster_value", path.name)
    run_refused(tmp_path, root, spec, path, "no value")


def test_raster_nan_over_the_region_is_refused(tmp_path, bundle):
    """Values only where the region is not: on the grid the layer is all UNKNOWN."""
    root, spec = bundle
    path = tmp_path / "heat.tif"
    values = np.full((60, 240), np.nan)
    values[:, 180:] = 1.0  # 880–940 km: east of both states
    write_raster(path, values)
    add_layer(spec, "raster_value", path.name)
    run_refused(tmp_path, root, spec, path, "no value")


def test_raster_far_from_the_region_is_refused(tmp_path, bundle):
    root, spec = bundle
    path = tmp_path / "heat.tif"
    write_raster(path, np.ones((60, 120)), x0_km=-800.0)
    add_layer(spec, "raster_value", path.name)
    run_refused(tmp_path, root, spec, path, "overlap")


def test_raster_with_degrees_label_on_metres_is_refused(tmp_path, bundle):
    root, spec = bundle
    path = tmp_path / "heat.tif"
    write_raster(path, np.ones((60, 120)), crs="EPSG:4326")
    add_layer(spec, "raster_value", path.name)
    run_refused(tmp_path, root, spec, path, "EPSG:4326", "CRS")


def test_raster_missing_band_is_refused(tmp_path, bundle):
    root, spec = bundle
    path = tmp_path / "heat.tif"
    write_raster(path, np.ones((60, 120)))
    add_layer(spec, "raster_value", path.name, "band = 3")
    run_refused(tmp_path, root, spec, path, "band 3")


def test_exclusion_file_with_degrees_label_on_metres_is_refused(tmp_path, bundle):
    root, spec = bundle
    path = tmp_path / "parks.gpkg"
    schools("EPSG:4326").to_file(path, engine="pyogrio")
    spec.write_text(
        spec.read_text()
        + '\n[[exclusions]]\nname = "parks"\nkind = "features"\nfile = "parks.gpkg"\n'
    )
    run_refused(tmp_path, root, spec, path, "EPSG:4326", "CRS")


def test_buffer_by_county_file_missing_is_refused(tmp_path, bundle):
    root, spec = bundle
    spec.write_text(
        spec.read_text().replace(
            "buffer_m = 500.0\n", 'buffer_m = 500.0\nbuffer_by_county = "setbacks.csv"\n', 1
        )
    )
    run_refused(tmp_path, root, spec, tmp_path / "setbacks.csv")


def test_buffer_by_county_text_buffer_is_refused(tmp_path, bundle):
    root, spec = bundle
    path = tmp_path / "setbacks.csv"
    path.write_text("fips,buffer_m\n18001,wide\n18003,600\n")
    spec.write_text(
        spec.read_text().replace(
            "buffer_m = 500.0\n", 'buffer_m = 500.0\nbuffer_by_county = "setbacks.csv"\n', 1
        )
    )
    run_refused(tmp_path, root, spec, path, "buffer_m", "wide")


def test_polygons_between_the_cell_centres_are_refused(tmp_path, bundle):
    """Polygons inside the region's bounds that hold no cell centre: UNKNOWN on every cell."""
    root, spec = bundle
    path = tmp_path / "zones.gpkg"
    gpd.GeoDataFrame(
        {"value": [1.0]},
        geometry=[box(700_100, 1_800_100, 700_200, 1_800_200)],
        crs="EPSG:5070",
    ).to_file(path, engine="pyogrio")
    add_layer(spec, "polygon_attribute", path.name, 'column = "value"')
    run_refused(tmp_path, root, spec, path, "my_layer", "no value on any cell")
