"""eeweather's ZCTA table: ZIP codes as 5-character text, centroids, and a clear unknown ZIP."""

from __future__ import annotations

import gzip

import pytest

from siting.errors import DataError
from siting.sources.eeweather_zcta import read_zip_centroids, zip_centroid

HEADER = "zcta_id,latitude,longitude,state,iecc_climate_zone,iecc_moisture_regime,ba_climate_zone"


def _table(tmp_path, *rows: str, header: str = HEADER):
    path = tmp_path / "zcta.csv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write("\n".join([header, *rows]) + "\n")
    return path


def test_codes_keep_their_leading_zeros_and_rows_sort_by_code(tmp_path):
    path = _table(
        tmp_path,
        "46204,39.7718,-86.1567,IN,5,A,Cold",
        "00601,18.1800,-66.7522,PR,1,A,Hot-Humid",
        "2139,42.3647,-71.1042,MA,5,A,Cold",
    )
    table = read_zip_centroids(path)
    assert table["zip_code"].tolist() == ["00601", "02139", "46204"]  # 2139 written as a number
    assert table.loc[2, "lat_deg"] == pytest.approx(39.7718)
    assert table.loc[2, "lon_deg"] == pytest.approx(-86.1567)
    assert zip_centroid(table, "00601") == (18.18, -66.7522)


def test_an_unknown_zip_names_the_region_and_the_way_out(tmp_path):
    table = read_zip_centroids(_table(tmp_path, "46204,39.77,-86.16,IN,5,A,Cold"))
    with pytest.raises(DataError, match=r"ZIP 99999 is not in the region's ZIP areas \(1 areas"):
        zip_centroid(table, "99999")
    with pytest.raises(DataError, match="give --lat/--lon instead"):
        zip_centroid(table, "46205")
    with pytest.raises(DataError, match="must be 5 digits"):
        zip_centroid(table, "4620")


def test_a_missing_column_names_the_file_and_the_fix(tmp_path):
    path = _table(tmp_path, "46204,39.77,IN", header="zcta_id,latitude,state")
    with pytest.raises(DataError, match=r"zcta.csv.gz: column\(s\) \['longitude'\] missing"):
        read_zip_centroids(path)


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ("4620A,39.77,-86.16,IN,5,A,Cold", "not 5-digit ZIP codes"),
        ("462041,39.77,-86.16,IN,5,A,Cold", "not 5-digit ZIP codes"),
        ("46204,139.77,-86.16,IN,5,A,Cold", "outside latitude"),
        ("46204,,-86.16,IN,5,A,Cold", "have no centroid"),
        ("46204,north,-86.16,IN,5,A,Cold", "non-numeric"),
    ],
)
def test_bad_rows_are_errors_naming_the_file(tmp_path, row, problem):
    with pytest.raises(DataError, match=f"zcta.csv.gz.*{problem}"):
        read_zip_centroids(_table(tmp_path, row))


def test_a_repeated_zip_is_an_error(tmp_path):
    path = _table(tmp_path, "46204,39.77,-86.16,IN,5,A,Cold", "46204,39.78,-86.15,IN,5,A,Cold")
    with pytest.raises(DataError, match="repeats"):
        read_zip_centroids(path)
