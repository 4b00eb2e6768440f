"""CommonGrid ISO territories on fixtures in the schema of CommonGrid's iso-*.json files."""

from __future__ import annotations

import json

import geopandas as gpd
import pytest
from shapely.geometry import MultiPolygon, box

from siting.errors import CRSError, DataError, DataFileNotFound
from siting.sources.commongrid import read_iso_territories


def rectangle(x0, y0, x1, y1):
    return [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]


def territory(slug, name, eia_id, short_name, polygons):
    """One territory feature as CommonGrid writes it (properties in published order)."""
    return {
        "type": "Feature",
        "properties": {
            "id": f"region-iso-{slug}",
            "name": name,
            "eiaId": eia_id,
            "shortName": short_name,
        },
        "geometry": {"type": "MultiPolygon", "coordinates": polygons},
    }


MISO = territory(
    "miso",
    "MIDCONTINENT INDEPENDENT TRANSMISSION SYSTEM OPERATOR, INC..",
    "56669",
    "MISO",
    [rectangle(-90, 38, -87, 42)],
)
PJM = territory("pjm", "PJM INTERCONNECTION, LLC", "14725", "PJM", [rectangle(-87, 38, -84, 42)])
#: The non-ISO regions have no EIA id and no short name.
SOUTHEAST = territory(
    "southeast-non-iso", "Southeast (non-ISO)", None, None, [rectangle(-88, 34, -84, 38)]
)


def write(folder, slug, *features, crs=None):
    folder.mkdir(exist_ok=True)
    doc = {"type": "FeatureCollection", "features": list(features)}
    if crs:
        doc["crs"] = {"type": "name", "properties": {"name": crs}}
    path = folder / f"iso-{slug}.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_folder_gives_one_row_per_territory_sorted_by_iso(tmp_path):
    folder = tmp_path / "iso_territories"
    write(folder, "southeast-non-iso", SOUTHEAST)
    write(folder, "pjm", PJM)
    write(folder, "miso", MISO)
    out = read_iso_territories(folder)
    assert list(out.columns) == ["iso", "name", "geometry"]
    assert out["iso"].tolist() == ["MISO", "PJM", "southeast-non-iso"]
    assert out["name"].tolist() == [
        "MIDCONTINENT INDEPENDENT TRANSMISSION SYSTEM OPERATOR, INC..",
        "PJM INTERCONNECTION, LLC",
        "Southeast (non-ISO)",
    ]
    assert out.crs.to_epsg() == 4326
    assert out.geometry.iloc[1].equals(MultiPolygon([box(-87, 38, -84, 42)]))


def test_other_files_of_the_folder_are_ignored(tmp_path):
    folder = tmp_path / "commongrid"
    write(folder, "pjm", PJM)
    (folder / "isos.json").write_text("[]", encoding="utf-8")
    assert read_iso_territories(folder)["iso"].tolist() == ["PJM"]


def test_single_file_without_short_name_is_named_by_its_stem(tmp_path):
    out = read_iso_territories(write(tmp_path, "southeast-non-iso", SOUTHEAST))
    assert out["iso"].tolist() == ["southeast-non-iso"]


def test_self_crossing_polygon_is_repaired(tmp_path):
    # a bow tie over the unit square: two triangles of 0.25 square degrees each
    bowtie = [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]
    out = read_iso_territories(
        write(tmp_path, "spp", territory("spp", "SPP", "1", "SPP", [bowtie]))
    )
    geom = out.geometry.iloc[0]
    assert geom.is_valid
    assert geom.geom_type == "MultiPolygon"
    assert geom.area == pytest.approx(0.5)


def test_features_of_one_territory_are_united(tmp_path):
    west = territory("pjm", "PJM INTERCONNECTION, LLC", "14725", "PJM", [rectangle(0, 0, 2, 1)])
    east = territory("pjm", "PJM INTERCONNECTION, LLC", "14725", "PJM", [rectangle(1, 0, 3, 1)])
    out = read_iso_territories(write(tmp_path, "pjm", west, east))
    assert len(out) == 1
    assert out.geometry.iloc[0].area == pytest.approx(3.0)  # 2 + 2 - 1 overlapping


def test_geopackage_layer_in_albers_is_named_by_id(tmp_path):
    gdf = gpd.GeoDataFrame(
        {
            "id": ["region-iso-pjm", "region-iso-southeast-non-iso"],
            "name": ["PJM INTERCONNECTION, LLC", "Southeast (non-ISO)"],
            "eiaId": ["14725", None],
            "shortName": ["PJM", None],
        },
        geometry=[box(0, 0, 1000, 1000), box(0, -2000, 1000, 0)],
        crs="EPSG:5070",
    )
    gdf.to_file(tmp_path / "bundle.gpkg", layer="commongrid_iso", driver="GPKG")
    out = read_iso_territories(f"{tmp_path / 'bundle.gpkg'}:commongrid_iso")
    assert out["iso"].tolist() == ["PJM", "southeast-non-iso"]
    assert out.crs.to_epsg() == 5070
    assert out.geometry.area.tolist() == [1e6, 2e6]


def test_geopackage_territory_without_short_name_or_id_is_an_error(tmp_path):
    gdf = gpd.GeoDataFrame(
        {"name": ["Southeast (non-ISO)"], "shortName": [None]},
        geometry=[box(0, 0, 1, 1)],
        crs="EPSG:5070",
    )
    gdf.to_file(tmp_path / "bundle.gpkg", layer="iso", driver="GPKG")
    with pytest.raises(DataError, match="neither a shortName nor an id"):
        read_iso_territories(f"{tmp_path / 'bundle.gpkg'}:iso")


def test_territory_with_lines_only_is_an_error(tmp_path):
    feature = dict(MISO, geometry={"type": "LineString", "coordinates": [[0, 0], [1, 1]]})
    with pytest.raises(DataError, match="territory 'MISO' has no polygon"):
        read_iso_territories(write(tmp_path, "miso", feature))


def test_file_without_short_name_property_is_an_error(tmp_path):
    feature = dict(MISO, properties={"id": "region-iso-miso", "name": "MISO"})
    with pytest.raises(DataError, match=r"\['shortName'\] missing.*CommonGrid"):
        read_iso_territories(write(tmp_path, "miso", feature))


def test_empty_territory_file_is_an_error(tmp_path):
    with pytest.raises(DataError, match="no features"):
        read_iso_territories(write(tmp_path, "miso"))


def test_folder_without_territory_files_is_reported(tmp_path):
    with pytest.raises(DataFileNotFound, match=r"no iso-\*\.json"):
        read_iso_territories(tmp_path)


def test_missing_file_is_reported(tmp_path):
    with pytest.raises(DataFileNotFound, match="not found"):
        read_iso_territories(tmp_path / "iso-miso.json")


def test_folder_mixing_crs_is_an_error(tmp_path):
    folder = tmp_path / "iso_territories"
    write(folder, "miso", MISO)
    mercator = territory("pjm", "PJM", "14725", "PJM", [rectangle(0, 0, 1000, 1000)])
    write(folder, "pjm", mercator, crs="urn:ogc:def:crs:EPSG::3857")
    with pytest.raises(CRSError, match="several CRSs"):
        read_iso_territories(folder)
