"""GridWatch Indiana's retail utility territories, on fixtures in the schema of
``utility_territories.geojson``."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import box

from siting.errors import CRSError, DataError, DataFileNotFound
from siting.sources.gridwatch import read_utility_territories


def square(x, y, size=0.1):
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return {"type": "Polygon", "coordinates": [ring]}


def territory(utility, kind, customers, geometry):
    props = {"utility": utility, "type": kind, "customers": customers}
    return {"type": "Feature", "properties": props, "geometry": geometry}


#: As GridWatch publishes them: a town, a cooperative, an investor-owned utility.
TERRITORIES = [
    territory("Town Of Avilla - (In)", "Not Available", 1198, square(-85.25, 41.36, 0.02)),
    territory("Kosciusko County Rural E M C", "Cooperative", 18700, square(-86.0, 41.2)),
    territory("Duke Energy Indiana, Llc", "Investor Owned", 881328, square(-86.5, 39.5, 1.0)),
]


def write(tmp_path, features, **members):
    path = tmp_path / "utility_territories.geojson"
    doc = {"type": "FeatureCollection", **members, "features": features}
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_territories_are_renamed_in_file_order_with_their_crs(tmp_path):
    out = read_utility_territories(write(tmp_path, TERRITORIES))
    assert list(out.columns) == ["utility", "utility_type", "customers", "geometry"]
    assert out["utility"].tolist() == [
        "Town Of Avilla - (In)",
        "Kosciusko County Rural E M C",
        "Duke Energy Indiana, Llc",
    ]
    assert out.crs.to_epsg() == 4326
    assert out["customers"].tolist() == [1198.0, 18700.0, 881328.0]


def test_not_available_type_is_unknown_not_a_class(tmp_path):
    out = read_utility_territories(write(tmp_path, TERRITORIES))
    assert np.isnan(out["utility_type"][0])
    assert out["utility_type"][1:].tolist() == ["Cooperative", "Investor Owned"]


def test_blank_customers_are_unknown_and_names_are_stripped(tmp_path):
    rows = [territory("  City Of Peru - (In) ", "Municipal", None, square(-86.1, 40.7))]
    out = read_utility_territories(write(tmp_path, rows))
    assert out["utility"][0] == "City Of Peru - (In)"
    assert np.isnan(out["customers"][0])


def test_territories_without_geometry_are_dropped_and_counted(tmp_path):
    rows = [*TERRITORIES, territory("Town Of Nowhere", "Not Available", 5, None)]
    out = read_utility_territories(write(tmp_path, rows))
    assert len(out) == 3
    assert out.attrs["dropped_empty"] == 1


def test_geopackage_layer_in_albers_reads_like_the_geojson(tmp_path):
    gpkg = tmp_path / "b.gpkg"
    gpd.GeoDataFrame(
        {"utility": ["Heartland Remc"], "type": ["Cooperative"], "customers": [18233]},
        geometry=[box(700_000, 1_800_000, 710_000, 1_810_000)],
        crs="EPSG:5070",
    ).to_file(gpkg, layer="utility_territories", driver="GPKG", engine="pyogrio")
    out = read_utility_territories(f"{gpkg}:utility_territories")
    assert out["utility"].tolist() == ["Heartland Remc"]
    assert out.crs.to_epsg() == 5070
    assert out.geometry.area.iloc[0] == pytest.approx(1.0e8)


def test_a_territory_without_a_name_is_an_error(tmp_path):
    rows = [*TERRITORIES, territory(" ", "Cooperative", 10, square(-87.0, 39.0))]
    with pytest.raises(DataError, match=r"1 territory\(ies\) without a utility name"):
        read_utility_territories(write(tmp_path, rows))


def test_text_customers_are_an_error(tmp_path):
    rows = [territory("Town Of Argos", "Not Available", "about 870", square(-86.2, 41.2))]
    with pytest.raises(DataError, match=r"column 'customers' holds non-numeric values"):
        read_utility_territories(write(tmp_path, rows))


def test_negative_customers_are_an_error(tmp_path):
    rows = [territory("Town Of Argos", "Not Available", -1, square(-86.2, 41.2))]
    with pytest.raises(DataError, match=r"'customers' holds negative counts"):
        read_utility_territories(write(tmp_path, rows))


def test_point_territories_are_an_error(tmp_path):
    point = {"type": "Point", "coordinates": [-86.0, 40.0]}
    rows = [territory("Town Of Argos", "Not Available", 870, point)]
    with pytest.raises(DataError, match=r"territories must be polygons, got \['Point'\]"):
        read_utility_territories(write(tmp_path, rows))


def test_a_file_without_the_type_column_is_an_error(tmp_path):
    rows = [
        {
            "type": "Feature",
            "properties": {"utility": "X", "customers": 1},
            "geometry": square(0, 0),
        }
    ]
    with pytest.raises(DataError, match=r"\['type'\] missing.*utility_territories.geojson"):
        read_utility_territories(write(tmp_path, rows))


def test_an_empty_file_is_an_error(tmp_path):
    with pytest.raises(DataError, match="no features in the file"):
        read_utility_territories(write(tmp_path, []))


def test_a_missing_file_is_reported(tmp_path):
    with pytest.raises(DataFileNotFound, match="not found"):
        read_utility_territories(tmp_path / "nope.geojson")


@pytest.mark.filterwarnings("ignore:'crs' was not provided")
def test_a_layer_without_crs_is_an_error(tmp_path):
    gpkg = tmp_path / "nocrs.gpkg"
    gpd.GeoDataFrame(
        {"utility": ["X"], "type": ["Cooperative"], "customers": [1]}, geometry=[box(0, 0, 1, 1)]
    ).to_file(gpkg, layer="t", driver="GPKG", engine="pyogrio")
    with pytest.raises(CRSError, match="no CRS"):
        read_utility_territories(f"{gpkg}:t")
