"""OpenStreetMap GridKit vertices on fixtures in the GridKit high-voltage vertices CSV schema."""

from __future__ import annotations

import gzip

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from siting.errors import DataError, DataFileNotFound
from siting.sources.osm_gridkit import named_vertices, read_vertices

#: The extract's header (GridKit's export columns, then the extract's own) and published rows:
#: an unnamed substation, a named station, a substation with voltage and operator, a joint with
#: three voltage levels, and a vertex of another regional extract repeating v_id 1013.
HEADER = (
    "v_id,lon,lat,typ,voltage,frequency,name,operator,ref,source,n_gen,capacity,net_capacity,region"
)
ROWS = (
    "82,-92.9784106650388,46.8880611826202,sub_station,,,,,,,,,,Midwest",
    "26,-88.2762999540578,38.9372999940414,station,,,Newton Power Plant,,,,,,,Midwest",
    "1079,-86.3607703326481,41.5230478359738,substation,765000,,Dumont Substation,"
    "Indiana Michigan Power Company,,,,,,Midwest",
    "18854,-85.9474964520599,39.7205038573734,joint,345000;345000;345000,60;60;60,"
    "Tanner Creek - Hanna 345kV,Indiana Michigan Power Company,,,,,,Midwest",
    "1013,-83.089381123742,40.2153262274414,station,,,Hyatt Substation,AEP,,,,,,Midwest",
    "1013,-71.10092170856,42.1416044457841,substation,,,Stoughton Substation,,,,,,,Northeast",
)


def write(tmp_path, rows=ROWS, *, header=HEADER, name="osm2016_us_highvoltage_vertices.csv"):
    path = tmp_path / name
    text = "\n".join([header, *rows]) + "\n"
    if name.endswith(".gz"):
        with gzip.open(path, "wt", encoding="utf-8") as f:
            f.write(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_vertices_are_renamed_with_tags_as_text(tmp_path):
    out = read_vertices(write(tmp_path))
    assert list(out.columns) == ["osm_vertex_id", "name", "kind", "voltage", "operator", "geometry"]
    assert out["osm_vertex_id"].tolist() == ["82", "26", "1079", "18854", "1013", "1013"]
    assert out["kind"].tolist()[:4] == ["sub_station", "station", "substation", "joint"]
    assert out["voltage"].tolist()[:4] == ["", "", "765000", "345000;345000;345000"]
    assert out["operator"].tolist()[:3] == ["", "", "Indiana Michigan Power Company"]
    assert pd.isna(out["name"].iloc[0])
    assert out["name"].iloc[2] == "Dumont Substation"


def test_vertices_are_points_in_wgs84(tmp_path):
    out = read_vertices(write(tmp_path))
    assert out.crs.to_epsg() == 4326
    assert out.geometry.iloc[2].x == pytest.approx(-86.3607703326481)
    assert out.geometry.iloc[2].y == pytest.approx(41.5230478359738)


def test_gzipped_extract_reads_like_the_plain_csv(tmp_path):
    plain = read_vertices(write(tmp_path))
    gz = read_vertices(write(tmp_path, name="vertices.csv.gz"))
    pd.testing.assert_frame_equal(gz, plain)


def test_named_vertices_drop_blank_names_and_strip(tmp_path):
    rows = [*ROWS[:3], "7,-86.0,40.0,substation,138000,,   ,,,,,,,Midwest"]
    rows[1] = rows[1].replace("Newton Power Plant", "  Newton Power Plant ")
    out = named_vertices(read_vertices(write(tmp_path, rows)))
    assert out["osm_vertex_id"].tolist() == ["26", "1079"]
    assert out["name"].tolist() == ["Newton Power Plant", "Dumont Substation"]


def test_geopackage_layer_in_albers_reads_like_the_csv(tmp_path):
    csv = read_vertices(write(tmp_path))
    raw = pd.read_csv(write(tmp_path), dtype={"v_id": "int64"})
    points = gpd.GeoDataFrame(raw, geometry=gpd.points_from_xy(raw.lon, raw.lat), crs=4326)
    points.drop(columns=["lon", "lat"]).to_crs(5070).to_file(tmp_path / "b.gpkg", layer="osm")
    out = read_vertices(f"{tmp_path / 'b.gpkg'}:osm")
    attributes = ["osm_vertex_id", "name", "kind", "voltage", "operator"]
    pd.testing.assert_frame_equal(out[attributes], csv[attributes])
    assert out.crs.to_epsg() == 5070
    np.testing.assert_allclose(out.to_crs(4326).geometry.x, csv.geometry.x)


def test_non_numeric_longitude_is_an_error(tmp_path):
    rows = [ROWS[1].replace("-88.2762999540578", "88.27W")]
    with pytest.raises(DataError, match=r"column 'lon' holds non-numeric values \['88.27W'\]"):
        read_vertices(write(tmp_path, rows))


def test_missing_latitude_is_an_error(tmp_path):
    rows = [ROWS[1].replace("38.9372999940414", "")]
    with pytest.raises(DataError, match=r"lon/lat missing for v_id \['26'\]"):
        read_vertices(write(tmp_path, rows))


def test_blank_vertex_id_is_an_error(tmp_path):
    rows = [ROWS[1].removeprefix("26")]
    with pytest.raises(DataError, match="column 'v_id' is blank in 1 row"):
        read_vertices(write(tmp_path, rows))


def test_links_file_is_not_taken_for_vertices(tmp_path):
    header = "l_id,v_id_1,v_id_2,voltage,cables,wires,frequency,name,operator,ref,length_m"
    rows = ["1,26,82,345000,3,1,60,,AEP,,1234.5"]
    with pytest.raises(DataError, match=r"missing.*GridKit high-voltage vertices"):
        read_vertices(write(tmp_path, rows, header=header, name="links.csv"))


def test_extract_without_vertices_is_an_error(tmp_path):
    with pytest.raises(DataError, match="no vertices"):
        read_vertices(write(tmp_path, rows=()))


def test_missing_extract_is_reported(tmp_path):
    with pytest.raises(DataFileNotFound, match="not found"):
        read_vertices(tmp_path / "vertices.csv.gz")
