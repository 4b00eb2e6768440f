"""IBTrACS track points on fixtures in the IBTrACS CSV columns."""

from __future__ import annotations

import numpy as np
import pytest

from siting.errors import DataError
from siting.sources.ibtracs import read_tracks

HEADER = "OBJECTID,SID,BASIN,SUBBASIN,NAME,NATURE,LAT,LON,USA_WIND,USA_PRES,year,month,day"


def write(tmp_path, lines, header=HEADER):
    path = tmp_path / "tracks.csv"
    path.write_text("\ufeff" + "\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def test_reads_fixes_and_categories(tmp_path):
    path = write(
        tmp_path,
        [
            "1,2005236N23285,NA,GM,KATRINA,TS,29.3,-89.6,110,920,2005,8,29",
            "2,2005236N23285,NA,GM,KATRINA,TS,31.1,-89.6,65,948,2005,8,29",
            "3,2005236N23285,NA,NA,KATRINA,TS,35.0,-88.0,,990,2005,8,30",
        ],
    )
    tracks = read_tracks(path)
    assert tracks.crs.to_epsg() == 4326
    assert tracks["storm_id"].tolist() == ["2005236N23285"] * 3
    assert tracks["category"].iloc[:2].tolist() == [3.0, 1.0]
    assert np.isnan(tracks["category"].iloc[2])  # blank wind: unknown, not 0
    assert tracks["year"].tolist() == [2005, 2005, 2005]
    assert tracks.geometry.x.tolist() == [-89.6, -89.6, -88.0]


def test_missing_column_is_named(tmp_path):
    path = write(
        tmp_path,
        ["1,X,NA,NA,A,TS,30,-90,50,1000,2000,1,1"],
        header=HEADER.replace("USA_WIND", "WIND"),
    )
    with pytest.raises(DataError, match="USA_WIND"):
        read_tracks(path)


def test_off_globe_is_an_error(tmp_path):
    path = write(tmp_path, ["1,X,NA,NA,A,TS,95,-90,50,1000,2000,1,1"])
    with pytest.raises(DataError, match="off the globe"):
        read_tracks(path)
