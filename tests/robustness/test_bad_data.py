"""Bad files in the data bundle: each `siting run` on them ends in one line naming the file, the
problem and the fix, exit code 2, no output, and the bundle as it was."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from tests.robustness.test_bad_inputs import refused, rewrite_csv, run_two_states

KM = 1000.0


def rewrite_layer(root, layer, edit) -> None:
    """Replace ``layer`` of the bundle's GeoPackage with ``edit(layer)``."""
    gpkg = root / "fixture.gpkg"
    frame = gpd.read_file(gpkg, layer=layer, engine="pyogrio")
    edit(frame).to_file(gpkg, layer=layer, driver="GPKG", engine="pyogrio")


def mislabelled(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The same metre coordinates, labelled as longitude and latitude."""
    return frame.set_crs("EPSG:4326", allow_override=True)


def moved_far_away(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The same shapes 1,500 km west of the two states, in a CRS that is right for them."""
    return frame.set_geometry(frame.translate(xoff=-1500 * KM))


def degrees_as_metres(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Longitudes and latitudes labelled as the metres of EPSG:5070."""
    return frame.to_crs("EPSG:4326").set_crs("EPSG:5070", allow_override=True)


def no_geometry(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return frame.set_geometry(gpd.GeoSeries([None] * len(frame), crs=frame.crs))


def no_rows(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return frame.iloc[:0]


def tiny(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Each shape shrunk to a 100 m square at its corner: far smaller than the campus."""
    squares = [
        box(g.bounds[0], g.bounds[1], g.bounds[0] + 100, g.bounds[1] + 100) for g in frame.geometry
    ]
    return frame.set_geometry(gpd.GeoSeries(squares, crs=frame.crs))


#: (id, gpkg layer, edit, fragments the message must hold)
LAYER_CASES = [
    ("states-empty", "states", no_rows, ("states", "no")),
    ("states-smaller-than-campus", "states", tiny, ("states", "campus")),
    ("states-crs-mislabelled", "states", mislabelled, ("states", "EPSG:4326", "CRS")),
    ("counties-empty", "counties", no_rows, ("counties",)),
    ("counties-crs-mislabelled", "counties", mislabelled, ("counties", "EPSG:4326", "CRS")),
    ("counties-elsewhere", "counties", moved_far_away, ("counties", "overlap")),
    ("counties-degrees-as-metres", "counties", degrees_as_metres, ("counties", "EPSG:5070", "CRS")),
    ("lines-without-geometry", "lines", no_geometry, ("lines", "no features")),
    ("lines-none", "lines", no_rows, ("lines", "no")),
    ("lines-crs-mislabelled", "lines", mislabelled, ("lines", "EPSG:4326", "CRS")),
    ("lines-elsewhere", "lines", moved_far_away, ("lines", "overlap")),
    ("lakes-crs-mislabelled", "lakes", mislabelled, ("lakes", "EPSG:4326", "CRS")),
    ("lakes-elsewhere", "lakes", moved_far_away, ("lakes", "overlap")),
    ("tracts-crs-mislabelled", "tracts", mislabelled, ("tracts", "EPSG:4326", "CRS")),
    ("iso-crs-mislabelled", "iso", mislabelled, ("iso", "EPSG:4326", "CRS")),
]


@pytest.mark.parametrize(
    ("layer", "edit", "fragments"),
    [case[1:] for case in LAYER_CASES],
    ids=[case[0] for case in LAYER_CASES],
)
def test_bad_bundle_layer_is_refused(tmp_path, bundle, layer, edit, fragments):
    root, spec = bundle
    rewrite_layer(root, layer, edit)
    result, out, maps = run_two_states(tmp_path, root, spec)
    refused(result, "fixture.gpkg", *fragments, out=out, maps=maps)


def duplicate_first_row(table: pd.DataFrame) -> pd.DataFrame:
    return pd.concat([table, table.iloc[[0]]], ignore_index=True)


def header_only(table: pd.DataFrame) -> pd.DataFrame:
    return table.iloc[:0]


def blank(column: str):
    return lambda table: table.assign(**{column: ""})


def text_in(column: str, text: str = "high"):
    return lambda table: table.assign(**{column: text})


#: (id, file, edit, fragments the message must hold)
CSV_CASES = [
    ("svi-duplicate-fips", "svi.csv", duplicate_first_row, ("FIPS", "18001")),
    ("water-duplicate-fips", "water.csv", duplicate_first_row, ("FIPS", "18001")),
    ("warming-duplicate-fips", "warming.csv", duplicate_first_row, ("18001",)),
    ("svi-text-in-numbers", "svi.csv", text_in("RPL_THEMES"), ("RPL_THEMES", "high")),
    ("water-text-in-numbers", "water.csv", text_in("TO-WFrTo"), ("TO-WFrTo", "high")),
    ("warming-text-in-numbers", "warming.csv", text_in("Annual"), ("Annual", "high")),
    ("plants-text-in-capacity", "plants.csv", text_in("Total_MW"), ("Total_MW", "high")),
    ("plants-text-in-longitude", "plants.csv", text_in("Longitude", "west"), ("Longitude",)),
    ("svi-header-only", "svi.csv", header_only, ("svi.csv",)),
    ("water-header-only", "water.csv", header_only, ("water.csv",)),
    ("plants-header-only", "plants.csv", header_only, ("plants.csv",)),
    ("climate-nan-only", "pvcz.csv", blank("T_ambient_mean"), ("T_ambient_mean",)),
    ("climate-header-only", "pvcz.csv", header_only, ("pvcz.csv",)),
    ("queue-header-only", "queue.csv", header_only, ("queue.csv",)),
    ("queue-text-in-mw", "queue.csv", text_in("mw_total", "big"), ("mw",)),
    ("cpi-header-only", "cpi.csv", header_only, ("cpi.csv",)),
    ("cpi-text-in-index", "cpi.csv", text_in("cpi_u_annual_avg"), ("cpi_u_annual_avg",)),
    ("vertices-latitude-out-of-range", "vertices.csv", text_in("lat", "1830000"), ("lat",)),
]


@pytest.mark.parametrize(
    ("name", "edit", "fragments"),
    [case[1:] for case in CSV_CASES],
    ids=[case[0] for case in CSV_CASES],
)
def test_bad_bundle_table_is_refused(tmp_path, bundle, name, edit, fragments):
    root, spec = bundle
    rewrite_csv(root / name, edit)
    result, out, maps = run_two_states(tmp_path, root, spec)
    refused(result, name, *fragments, out=out, maps=maps)


#: (id, file, new bytes, fragments the message must hold)
FILE_CASES = [
    ("svi-empty-file", "svi.csv", b"", ("CSV", "complete")),
    ("water-empty-file", "water.csv", b"", ("CSV", "complete")),
    ("climate-empty-file", "pvcz.csv", b"", ("CSV", "complete")),
    ("restrictions-not-json", "restrictions.json", b"{ not json", ("JSON",)),
    ("egrid-not-json", "egrid.geojson", b"<html>not found</html>", ()),
    ("geopackage-not-sqlite", "fixture.gpkg", b"PK\x03\x04 a zip file", ()),
    ("catalogue-not-toml", "two_states.toml", b"[inputs\n", ("TOML",)),
]


@pytest.mark.parametrize(
    ("name", "content", "fragments"),
    [case[1:] for case in FILE_CASES],
    ids=[case[0] for case in FILE_CASES],
)
def test_corrupt_bundle_file_is_refused(tmp_path, bundle, name, content, fragments):
    root, spec = bundle
    (root / name).write_bytes(content)
    result, out, maps = run_two_states(tmp_path, root, spec)
    refused(result, name, *fragments, out=out, maps=maps)


def test_missing_bundle_file_is_refused(tmp_path, bundle):
    root, spec = bundle
    (root / "plants.csv").unlink()
    result, out, maps = run_two_states(tmp_path, root, spec)
    refused(result, "plants.csv", out=out, maps=maps)


def test_file_without_provenance_row_is_refused(tmp_path, bundle):
    root, spec = bundle
    rewrite_csv(root / "SOURCES.csv", lambda t: t[t["path"] != "svi.csv"])
    result, out, maps = run_two_states(tmp_path, root, spec)
    refused(result, "SOURCES.csv", "svi.csv", "add one", out=out, maps=maps)


def test_empty_weather_folder_is_refused(tmp_path, bundle):
    root, spec = bundle
    for path in (root / "weather").iterdir():
        path.unlink()
    rewrite_csv(root / "SOURCES.csv", lambda t: t[~t["path"].str.startswith("weather/")])
    result, out, maps = run_two_states(tmp_path, root, spec)
    refused(result, "weather", "no EPW or TMY3", out=out, maps=maps)
