"""NWI wetlands reader on fixtures in the state Wetlands layer schema (geodatabase and
shapefile field names)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from siting.errors import CRSError, DataError, DataFileNotFound
from siting.sources.nwi import WETLAND_TYPES, is_deepwater, read_wetlands

#: IN_Wetlands rows in the geodatabase's column order: a code of each wetland type, the acres
#: as published (hand-made values).
IN_WETLANDS = pd.DataFrame(
    {
        "ATTRIBUTE": [
            "PFO1A",
            "PEM1C",
            "PUBHx",
            "L1UBHh",
            "L2EM2F",
            "R2UBH",
            "E2EM1P",
            "M1UBL",
            "Pf",
        ],
        "WETLAND_TYPE": [
            "Freshwater Forested/Shrub Wetland",
            "Freshwater Emergent Wetland",
            "Freshwater Pond",
            "Lake",
            "Lake",
            "Riverine",
            "Estuarine and Marine Wetland",
            "Estuarine and Marine Deepwater",
            "Other",
        ],
        "ACRES": [12.5, 3.25, 0.41, 1520.0, 8.0, 96.3, 4.0, 1.0e4, None],
        "SHAPE_Length": [1.0] * 9,
        "SHAPE_Area": [1.0] * 9,
    }
)


def write(tmp_path, table, name="IN_Wetlands.gpkg", *, crs="EPSG:5070"):
    path = tmp_path / name
    geometry = [shapely.box(i, 0, i + 1, 1) for i in range(len(table))]
    gpd.GeoDataFrame(table, geometry=geometry, crs=crs).to_file(path, engine="pyogrio")
    return path


def test_wetlands_are_renamed(tmp_path):
    out = read_wetlands(write(tmp_path, IN_WETLANDS))
    assert list(out.columns) == ["cowardin_code", "wetland_type", "area_acres", "geometry"]
    assert out["cowardin_code"].tolist() == IN_WETLANDS["ATTRIBUTE"].tolist()
    assert out["wetland_type"].tolist() == IN_WETLANDS["WETLAND_TYPE"].tolist()
    np.testing.assert_allclose(out["area_acres"].iloc[:8], IN_WETLANDS["ACRES"].iloc[:8])
    assert np.isnan(out.loc[8, "area_acres"])  # blank acres: unknown
    assert out.crs == "EPSG:5070"


def test_shapefile_field_names_are_read(tmp_path):
    table = IN_WETLANDS.rename(
        columns={
            "WETLAND_TYPE": "WETLAND_TY",
            "SHAPE_Length": "Shape_Leng",
            "SHAPE_Area": "Shape_Area",
        }
    )
    out = read_wetlands(write(tmp_path, table, "IN_Wetlands.shp", crs="EPSG:4269"))
    assert out["wetland_type"].tolist() == IN_WETLANDS["WETLAND_TYPE"].tolist()


def test_type_spellings_of_published_files_are_normalised(tmp_path):
    table = IN_WETLANDS.assign(
        WETLAND_TYPE=[*WETLAND_TYPES[:5], "Lakes", "RIverine", "lake", "Other"]
    )
    out = read_wetlands(write(tmp_path, table))
    assert out["wetland_type"].tolist()[5:8] == ["Lake", "Riverine", "Lake"]


def test_deepwater_codes():
    deep = [is_deepwater(code) for code in IN_WETLANDS["ATTRIBUTE"]]
    assert deep == [False, False, False, True, False, False, False, True, False]
    assert is_deepwater("E1UBL") and not is_deepwater("E2USN")


@pytest.mark.parametrize("bad", ["", "X1UB", "P1EM", "L3UBH", "R6UB"])
def test_malformed_cowardin_code_is_an_error(tmp_path, bad):
    table = IN_WETLANDS.assign(ATTRIBUTE=["PFO1A", bad, *IN_WETLANDS["ATTRIBUTE"][2:]])
    with pytest.raises(DataError, match=r"'ATTRIBUTE' holds .*expected Cowardin codes"):
        read_wetlands(write(tmp_path, table))


def test_unknown_wetland_type_is_an_error(tmp_path):
    table = IN_WETLANDS.assign(WETLAND_TYPE=["Swamp", *IN_WETLANDS["WETLAND_TYPE"][1:]])
    with pytest.raises(DataError, match=r"'WETLAND_TYPE' holds \['Swamp'\]; expected one of"):
        read_wetlands(write(tmp_path, table))


def test_bad_acres_are_errors(tmp_path):
    negative = IN_WETLANDS.assign(ACRES=[-1.0, *IN_WETLANDS["ACRES"][1:]])
    with pytest.raises(DataError, match=r"'ACRES' holds negative areas \[-1\.0\]"):
        read_wetlands(write(tmp_path, negative))
    text = IN_WETLANDS.assign(ACRES=["12.5 ac", *map(str, IN_WETLANDS["ACRES"][1:])])
    with pytest.raises(DataError, match=r"'ACRES' holds non-numeric values \['12\.5 ac'\]"):
        read_wetlands(write(tmp_path, text, "text.gpkg"))


def test_missing_column_names_the_product(tmp_path):
    with pytest.raises(DataError, match=r"\['ACRES'\] missing; found .*National Wetlands"):
        read_wetlands(write(tmp_path, IN_WETLANDS.drop(columns="ACRES")))


def test_missing_file_is_named(tmp_path):
    with pytest.raises(DataFileNotFound, match=r"IN_Wetlands\.shp: file not found"):
        read_wetlands(tmp_path / "IN_Wetlands.shp")


@pytest.mark.filterwarnings("ignore:'crs' was not provided")
def test_file_without_crs_is_an_error(tmp_path):
    with pytest.raises(CRSError, match=r"nocrs\.gpkg: no CRS"):
        read_wetlands(write(tmp_path, IN_WETLANDS, "nocrs.gpkg", crs=None))
