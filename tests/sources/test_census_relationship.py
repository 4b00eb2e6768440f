"""Census 2020↔2010 tract relationship file on a fixture in its published layout."""

from __future__ import annotations

import pytest

from siting.errors import DataError
from siting.sources.census_relationship import read_tract_relationship

HEADER = (
    "OID_TRACT_20|GEOID_TRACT_20|NAMELSAD_TRACT_20|AREALAND_TRACT_20|AREAWATER_TRACT_20|"
    "MTFCC_TRACT_20|FUNCSTAT_TRACT_20|OID_TRACT_10|GEOID_TRACT_10|NAMELSAD_TRACT_10|"
    "AREALAND_TRACT_10|AREAWATER_TRACT_10|MTFCC_TRACT_10|FUNCSTAT_TRACT_10|AREALAND_PART|"
    "AREAWATER_PART"
)
ROWS = (
    "1|01001020100|Census Tract 201|9825304|28435|G5020|S|2|01001020100|Census Tract 201|"
    "9827271|28435|G5020|S|9820448|28435",
    "1|01001020100|Census Tract 201|9825304|28435|G5020|S|3|01001020200|Census Tract 202|"
    "3325690|5669|G5020|S|4856|0",
    "4|18001030101|Census Tract 301.01|5000|0|G5020|S||||||||0|0",
)


def write(tmp_path, rows=ROWS, header=HEADER):
    path = tmp_path / "tab20_tract20_tract10_natl.txt"
    path.write_text("\ufeff" + "\n".join((header, *rows)) + "\n", encoding="utf-8")
    return path


def test_parts_with_land_areas_and_unmatched_rows_dropped(tmp_path):
    out = read_tract_relationship(write(tmp_path))
    assert out["geoid_2010"].tolist() == ["01001020100", "01001020200"]
    assert out["arealand_part_m2"].tolist() == [9820448.0, 4856.0]
    assert (out["arealand_2020_m2"] == 9825304.0).all()


def test_comma_file_and_repeated_pair_are_errors(tmp_path):
    with pytest.raises(DataError, match=r"missing.*relationship file"):
        read_tract_relationship(write(tmp_path, ROWS, HEADER.replace("|", ",")))
    with pytest.raises(DataError, match="pairs repeat"):
        read_tract_relationship(write(tmp_path, (ROWS[0], ROWS[0])))


def test_negative_area_is_an_error(tmp_path):
    with pytest.raises(DataError, match="negative"):
        read_tract_relationship(write(tmp_path, (ROWS[1].replace("|4856|", "|-4856|"),)))
