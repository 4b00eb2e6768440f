"""PAD-US 4.x reader on fixtures in the Fee and Combined feature-class schemas."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from siting.errors import CRSError, DataError, DataFileNotFound
from siting.sources.padus import GAP_DESCRIPTIONS, PUBLIC_ACCESS, read_padus

#: Rows of a PAD-US 4.0 Combined feature class in its column order (some columns left out):
#: Indiana units, GAP status as the text PAD-US publishes.
PADUS_COMBINED = pd.DataFrame(
    {
        "FeatClass": ["Fee", "Designation", "Fee", "Easement"],
        "Category": ["Fee", "Designation", "Fee", "Easement"],
        "Own_Type": ["FED", "FED", "STAT", "NGO"],
        "Own_Name": ["USFS", "USFS", "SDNR", "NGO"],
        "Loc_Own": ["", "", "Indiana DNR", "The Nature Conservancy"],
        "Mang_Type": ["FED", "FED", "STAT", "NGO"],
        "Mang_Name": ["USFS", "USFS", "SDNR", "NGO"],
        "Loc_Mang": ["", "", "Indiana DNR", "The Nature Conservancy"],
        "Des_Tp": ["NF", "WA", "SP", "CONE"],
        "Loc_Ds": ["", "", "State Park", "Conservation Easement"],
        "Unit_Nm": [
            "Hoosier National Forest",
            "Charles C. Deam Wilderness",
            " Brown County State Park ",
            "",
        ],
        "Loc_Nm": ["", "", "", ""],
        "State_Nm": ["IN", "IN", "IN", "IN"],
        "Agg_Src": ["USFS", "USFS", "IN_DNR", "NCED"],
        "GIS_Acres": [204_000.0, 12_953.0, 15_776.0, 120.0],
        "Pub_Access": ["OA", "OA", "RA", "XA"],
        "GAP_Sts": ["3", "1", "3", "2"],
        "IUCN_Cat": ["VI", "Ib", "Other Conservation Area", "Other Conservation Area"],
        "Date_Est": ["1951", "1982", "1929", ""],
    }
)
#: A PAD-US Fee feature class as some tools export it: no Category, GAP_Sts as integers.
PADUS_FEE = PADUS_COMBINED.drop(columns=["FeatClass", "Category", "Pub_Access"]).assign(
    GAP_Sts=[3, 1, 3, 2]
)


def write(tmp_path, table, name="padus.gpkg", *, crs="EPSG:5070"):
    path = tmp_path / name
    geometry = [shapely.box(i, 0, i + 1, 1) for i in range(len(table))]
    gpd.GeoDataFrame(table, geometry=geometry, crs=crs).to_file(path, engine="pyogrio")
    return path


def test_combined_feature_class_is_renamed(tmp_path):
    out = read_padus(write(tmp_path, PADUS_COMBINED))
    assert list(out.columns) == [
        "unit_name",
        "manager_type",
        "manager_name",
        "designation_type",
        "category",
        "gap_status",
        "public_access",
        "geometry",
    ]
    assert out.crs == "EPSG:5070"
    assert out["unit_name"].tolist()[:3] == [
        "Hoosier National Forest",
        "Charles C. Deam Wilderness",
        "Brown County State Park",
    ]
    assert np.isnan(out.loc[3, "unit_name"])  # blank name: unknown
    assert out["manager_type"].tolist() == ["FED", "FED", "STAT", "NGO"]
    assert out["designation_type"].tolist() == ["NF", "WA", "SP", "CONE"]
    assert out["category"].tolist() == ["Fee", "Designation", "Fee", "Easement"]
    assert out["gap_status"].dtype == np.int64
    assert out["gap_status"].tolist() == [3, 1, 3, 2]
    assert out["public_access"].tolist() == ["OA", "OA", "RA", "XA"]


def test_fee_class_without_category_or_access_gives_unknown(tmp_path):
    out = read_padus(write(tmp_path, PADUS_FEE, "fee.geojson", crs="EPSG:4326"))
    assert out["category"].isna().all() and out["public_access"].isna().all()
    assert out["gap_status"].tolist() == [3, 1, 3, 2]
    assert out.crs == "EPSG:4326"


def test_gap_and_access_domains():
    assert sorted(GAP_DESCRIPTIONS) == [1, 2, 3, 4]
    assert GAP_DESCRIPTIONS[4] == "no known mandate for biodiversity protection"
    assert sorted(PUBLIC_ACCESS) == ["OA", "RA", "UK", "XA"]


@pytest.mark.parametrize("bad", ["0", "5", ""])
def test_gap_status_outside_1_to_4_is_an_error(tmp_path, bad):
    table = PADUS_COMBINED.assign(GAP_Sts=["3", bad, "3", "2"])
    with pytest.raises(
        DataError, match=r"'GAP_Sts' holds .*expected GAP Status Codes \[1, 2, 3, 4\]"
    ):
        read_padus(write(tmp_path, table))


def test_non_numeric_gap_status_is_an_error(tmp_path):
    table = PADUS_COMBINED.assign(GAP_Sts=["3", "GAP 1", "3", "2"])
    with pytest.raises(DataError, match=r"'GAP_Sts' holds non-numeric values \['GAP 1'\]"):
        read_padus(write(tmp_path, table))


def test_unknown_public_access_code_is_an_error(tmp_path):
    table = PADUS_COMBINED.assign(Pub_Access=["OA", "Open", "RA", "XA"])
    with pytest.raises(DataError, match=r"'Pub_Access' holds \['Open'\]; expected \['OA'"):
        read_padus(write(tmp_path, table))


def test_missing_column_names_the_product(tmp_path):
    with pytest.raises(DataError, match=r"\['Des_Tp'\] missing; found .*Is this a PAD-US"):
        read_padus(write(tmp_path, PADUS_COMBINED.drop(columns="Des_Tp")))


def test_missing_file_is_named(tmp_path):
    with pytest.raises(DataFileNotFound, match=r"padus\.gpkg: file not found"):
        read_padus(tmp_path / "padus.gpkg")


@pytest.mark.filterwarnings("ignore:'crs' was not provided")
def test_file_without_crs_is_an_error(tmp_path):
    with pytest.raises(CRSError, match=r"nocrs\.gpkg: no CRS"):
        read_padus(write(tmp_path, PADUS_COMBINED, "nocrs.gpkg", crs=None))
