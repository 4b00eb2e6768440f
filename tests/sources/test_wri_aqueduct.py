"""WRI Aqueduct 4.0 baseline water stress on fixtures in WRI's published schema."""

from __future__ import annotations

import io

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from siting.errors import DataError
from siting.sources.wri_aqueduct import (
    BWS_LABELS,
    bws_category,
    bws_score_from_raw,
    read_baseline_annual,
    read_baseline_basins,
    read_province_future,
)

#: Identifier columns in WRI's order, then bws and one more indicator (the real file has ~230).
HEADER = (
    "string_id,aq30_id,pfaf_id,gid_1,aqid,gid_0,name_0,name_1,area_km2,"
    "bws_raw,bws_score,bws_cat,bws_label,bwd_raw,bwd_score,bwd_cat,bwd_label"
)
#: One row per case. WRI writes categories as floats, -9999 for no data, raw 9999 for
#: (near-)zero supply and raw 1 / score 5 / category -1 for arid and low water use.
ROWS = [
    "742301-USA.15_1-3365,1,742301,USA.15_1,3365,USA,United States,Indiana,812.5,"
    "0.05,0.0,0.0,Low (<10%),0.01,0.2,0.0,Low (<5%)",
    "742302-USA.15_1-3365,2,742302,USA.15_1,3365,USA,United States,Indiana,640.0,"
    "0.1,1.0,1.0,Low - Medium (10-20%),0.03,0.6,0.0,Low (<5%)",
    "742303-USA.15_1-3365,3,742303,USA.15_1,3365,USA,United States,Indiana,455.25,"
    "0.2,2.0,2.0,Medium - High (20-40%),0.05,1.0,1.0,Low - Medium (5-25%)",
    "742304-USA.14_1-3365,4,742304,USA.14_1,3365,USA,United States,Illinois,1203.0,"
    "0.4,3.0,3.0,High (40-80%),0.2,1.75,1.0,Low - Medium (5-25%)",
    "742305-USA.14_1-3365,5,742305,USA.14_1,3365,USA,United States,Illinois,98.0,"
    "0.8,4.0,4.0,Extremely High (>80%),0.6,3.4,3.0,High (50-75%)",
    "742306-USA.14_1-3365,6,742306,USA.14_1,3365,USA,United States,Illinois,12.0,"
    "9999.0,5.0,4.0,Extremely High (>80%),9999.0,5.0,4.0,Extremely High (>75%)",
    "121501-EGY.11_1-0,7,121501,EGY.11_1,0,EGY,Egypt,Matrouh,25000.0,"
    "1.0,5.0,-1.0,Arid and Low Water Use,1.0,5.0,-1.0,Arid and Low Water Use",
    "353020-RUS.1_1-0,8,353020,RUS.1_1,0,RUS,Russia,Adygey,310.0,"
    "-9999.0,-9999.0,-9999.0,No Data,-9999.0,-9999.0,-9999.0,No Data",
]


def write_csv(tmp_path, rows=ROWS, *, header=HEADER, name="Aqueduct40_baseline_annual.csv"):
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def replaced(row, column, value):
    """A fixture row with one cell replaced by column name."""
    cells = row.split(",")
    cells[HEADER.split(",").index(column)] = value
    return ",".join(cells)


@pytest.fixture
def baseline(tmp_path):
    return read_baseline_annual(write_csv(tmp_path))


def test_bws_category_edges_belong_to_the_higher_category():
    raw = [0.0, 0.0999, 0.1, 0.1999, 0.2, 0.3999, 0.4, 0.7999, 0.8, 50.0, np.inf]
    np.testing.assert_array_equal(bws_category(raw), [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 4])


def test_bws_category_of_unknown_or_negative_ratio_is_unknown():
    assert np.isnan(bws_category([np.nan, -1.0])).all()


def test_bws_score_is_one_point_per_doubling_from_ten_percent():
    raw = [0.1, 0.2, 0.4, 0.8, 1.6, 0.1 * np.sqrt(2)]
    np.testing.assert_allclose(bws_score_from_raw(raw), [1, 2, 3, 4, 5, 1.5])


def test_bws_score_is_clipped_to_zero_and_five():
    np.testing.assert_array_equal(bws_score_from_raw([0.0, 0.025, 100.0, np.inf]), [0, 0, 5, 5])
    assert np.isnan(bws_score_from_raw([np.nan, -0.5])).all()


def test_category_is_integer_part_of_score_as_in_wri_code():
    raw = np.concatenate([np.geomspace(1e-4, 1e3, 2001), [0.1, 0.2, 0.4, 0.8]])
    from_score = np.minimum(np.floor(bws_score_from_raw(raw)), 4)
    np.testing.assert_array_equal(bws_category(raw), from_score)


def test_baseline_columns_and_text_ids(baseline):
    assert list(baseline.columns) == [
        "string_id",
        "pfaf_id",
        "gid_1",
        "name_1",
        "area_km2",
        "bws_raw",
        "bws_score",
        "bws_cat",
        "bws_label",
    ]
    assert baseline["pfaf_id"].tolist()[:2] == ["742301", "742302"]
    assert baseline.loc[3, "name_1"] == "Illinois"
    assert baseline.loc[0, "area_km2"] == 812.5


def test_baseline_values_at_category_edges_as_published(baseline):
    edges = baseline.iloc[1:5]
    assert edges["bws_raw"].tolist() == [0.1, 0.2, 0.4, 0.8]
    assert edges["bws_score"].tolist() == [1.0, 2.0, 3.0, 4.0]
    assert edges["bws_cat"].tolist() == [1.0, 2.0, 3.0, 4.0]
    np.testing.assert_array_equal(bws_category(edges["bws_raw"]), edges["bws_cat"])


def test_labels_table_matches_published_labels(baseline):
    known = baseline.dropna(subset=["bws_cat"])
    assert [BWS_LABELS[int(c)] for c in known["bws_cat"]] == known["bws_label"].tolist()


def test_no_data_is_unknown(baseline):
    row = baseline.iloc[7]
    assert np.isnan(row["bws_raw"]) and np.isnan(row["bws_score"]) and np.isnan(row["bws_cat"])
    assert row["bws_label"] == "No Data"


def test_arid_keeps_category_label_and_score_but_has_no_ratio(baseline):
    row = baseline.iloc[6]
    assert row["bws_cat"] == -1
    assert row["bws_label"] == "Arid and Low Water Use"
    assert row["bws_score"] == 5.0
    assert np.isnan(row["bws_raw"])


def test_zero_supply_code_is_an_infinite_ratio(baseline):
    row = baseline.iloc[5]
    assert row["bws_raw"] == np.inf
    assert (row["bws_score"], row["bws_cat"]) == (5.0, 4.0)
    assert bws_category([row["bws_raw"]])[0] == row["bws_cat"]


def test_pfaf_id_written_as_float_is_read_as_digits(tmp_path):
    path = write_csv(tmp_path, [replaced(ROWS[0], "pfaf_id", "742301.0")])
    assert read_baseline_annual(path)["pfaf_id"].tolist() == ["742301"]


def test_optional_identifiers_may_be_absent(tmp_path):
    path = write_csv(
        tmp_path,
        ["742301,0.3,2.5849625,2.0,Medium - High (20-40%)"],
        header="pfaf_id,bws_raw,bws_score,bws_cat,bws_label",
    )
    out = read_baseline_annual(path)
    assert list(out.columns) == ["pfaf_id", "bws_raw", "bws_score", "bws_cat", "bws_label"]
    assert out.loc[0, "bws_raw"] == 0.3


def baseline_layer():
    """Three fixture rows as a vector layer with numeric fields, as in WRI's GDB."""
    table = pd.read_csv(io.StringIO("\n".join([HEADER, *ROWS[:3]])))
    geometry = [box(i, 0, i + 1, 1) for i in range(len(table))]
    return gpd.GeoDataFrame(table, geometry=geometry, crs="EPSG:4326")


def test_geopackage_layer_keeps_geometry_and_crs(tmp_path):
    path = tmp_path / "Aq40.gpkg"
    other = baseline_layer()[["pfaf_id", "geometry"]]
    other.to_file(path, layer="baseline_monthly")
    baseline_layer().to_file(path, layer="baseline_annual", mode="a")
    out = read_baseline_annual(path)
    assert isinstance(out, gpd.GeoDataFrame)
    assert out.crs == "EPSG:4326"
    assert out.geometry.iloc[2].equals(box(2, 0, 3, 1))
    assert out["bws_cat"].tolist() == [0.0, 1.0, 2.0]
    pd.testing.assert_frame_equal(read_baseline_annual(f"{path}:baseline_annual"), out)


def test_basins_for_a_run_need_polygons(tmp_path):
    path = tmp_path / "Aq40.gpkg"
    baseline_layer().to_file(path, layer="baseline_annual")
    basins = read_baseline_basins(path)
    assert isinstance(basins, gpd.GeoDataFrame) and len(basins) == 3
    with pytest.raises(DataError, match="without basin geometry cannot be placed on the map"):
        read_baseline_basins(write_csv(tmp_path))


def test_geopackage_without_baseline_layer_is_an_error(tmp_path):
    path = tmp_path / "Aq40.gpkg"
    baseline_layer().to_file(path, layer="future_annual")
    with pytest.raises(DataError, match="no layer 'baseline_annual'"):
        read_baseline_annual(path)


def test_missing_column_is_an_error(tmp_path):
    header = HEADER.replace("bws_cat,", "bws_c,")
    with pytest.raises(DataError, match=r"\['bws_cat'\] missing.*Aqueduct 4.0 baseline annual"):
        read_baseline_annual(write_csv(tmp_path, header=header))


def test_non_numeric_ratio_is_an_error(tmp_path):
    path = write_csv(tmp_path, [replaced(ROWS[0], "bws_raw", "low")])
    with pytest.raises(DataError, match=r"'bws_raw' holds non-numeric values \['low'\]"):
        read_baseline_annual(path)


def test_unknown_category_is_an_error(tmp_path):
    path = write_csv(tmp_path, [replaced(ROWS[0], "bws_cat", "-5.0")])
    with pytest.raises(DataError, match=r"'bws_cat' holds \[-5.0\]; expected \[-1, 0, 1, 2"):
        read_baseline_annual(path)


def test_malformed_basin_code_is_an_error(tmp_path):
    path = write_csv(tmp_path, [replaced(ROWS[0], "pfaf_id", "74A301")])
    with pytest.raises(DataError, match=r"'pfaf_id' holds \['74A301'\]; expected HydroBASINS"):
        read_baseline_annual(path)


def test_header_without_rows_is_an_error(tmp_path):
    with pytest.raises(DataError, match="no rows"):
        read_baseline_annual(write_csv(tmp_path, []))


def test_empty_file_is_an_error(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("")
    with pytest.raises(DataError, match="cannot parse as CSV"):
        read_baseline_annual(path)


def test_wrong_file_is_an_error(tmp_path):
    path = tmp_path / "province.csv"
    path.write_text("gid_0,gid_1,name_1,year,score\nUSA,USA.15_1,Indiana,2030,2.1\n")
    with pytest.raises(DataError, match=r"\['pfaf_id', 'bws_raw'.*Aqueduct 4.0 baseline"):
        read_baseline_annual(path)


PROVINCE_HEADER = (
    "gid_0,gid_1,name_0,name_1,year,scenario,indicator_name,weight,score,score_ranked,cat,"
    "label,un_region,wb_region"
)
PROVINCE_ROWS = [
    "USA,USA.15_1,United States,Indiana,2030,opt,bws,Dom,2.108771827,1188,2,"
    "Medium - High (20-40%),Americas,North America",
    "USA,USA.15_1,United States,Indiana,2050,bau,bws,Irr,1.914224637,1291,1,"
    "Low - Medium (10-20%),Americas,North America",
    "USA,USA.15_1,United States,Indiana,2080,pes,bws,One,-9999,-9999,-9999,"
    "No Data,Americas,North America",
]


def test_province_future_is_renamed_with_no_data_unknown(tmp_path):
    path = tmp_path / "province_future.csv"
    path.write_text("\n".join([PROVINCE_HEADER, *PROVINCE_ROWS]) + "\n")
    out = read_province_future(path)
    assert out["year"].tolist() == [2030, 2050, 2080]
    assert out["scenario"].tolist() == ["opt", "bau", "pes"]
    assert out["indicator"].tolist() == ["bws"] * 3
    assert out.loc[0, "score"] == 2.108771827
    assert out.loc[1, "score_rank"] == 1291
    assert out.loc[1, "cat"] == 1
    assert out.loc[2, ["score", "score_rank", "cat"]].isna().all()


def test_province_future_missing_column_is_an_error(tmp_path):
    path = tmp_path / "province_future.csv"
    path.write_text(PROVINCE_HEADER.replace("score_ranked,", "") + "\n")
    with pytest.raises(DataError, match=r"\['score_ranked'\] missing.*provincial future"):
        read_province_future(path)
