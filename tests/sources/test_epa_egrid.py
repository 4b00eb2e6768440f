"""EPA eGRID subregions: Power Profiler GeoJSON and the workbook's subregion sheet as CSV."""

from __future__ import annotations

import copy
import json

import numpy as np
import pytest
from shapely.geometry import box

from siting.errors import DataError, DataFileNotFound
from siting.sources.epa_egrid import (
    EGRID_COLUMNS,
    read_egrid_subregion_table,
    read_power_profiler_subregions,
)


def rate(value, display):
    return {"value": value, "display": display, "units": "lb/MWh"}


#: RFC West as published by the Power Profiler (eGRID2023); polygon simplified to a box.
RFCW = {
    "type": "Feature",
    "properties": {
        "Shape_Leng": 162.941041298,
        "Shape_Area": 41.9328447502,
        "name": "RFCW",
        "dataYear": 2023,
        "gridLoss": {"display": "4.2%", "value": 0.042},
        "type": "subregion",
        "fullName": "RFC West",
        "emissionFactor": {
            "co2EmissionRate": rate(911.424, "911.4"),
            "co2eEmissionRate": rate(916.054, "916.1"),
            "noxEmissionRate": rate(0.422, "0.422"),
            "so2EmissionRate": rate(0.412, "0.412"),
        },
        "fuelMix": {
            "coal": 25,
            "oil": 0.3,
            "gas": 37.8,
            "nuclear": 28.4,
            "hydro": 1,
            "biomass": 0.3,
            "wind": 5.5,
            "solar": 0.8,
            "geothermal": 0,
            "otherFossilFuel": 0.7,
            "otherUnknownFuel": 0.1,
        },
    },
    "geometry": {
        "type": "Polygon",
        "coordinates": [[[-88, 37], [-80, 37], [-80, 42], [-88, 42], [-88, 37]]],
    },
}
INDIANA = {
    "type": "Feature",
    "properties": {"GEO_ID": "0400000US18", "STATE": "18", "NAME": "Indiana", "type": "state"},
    "geometry": {"type": "Polygon", "coordinates": [[[-88, 38], [-85, 38], [-85, 41], [-88, 38]]]},
}
NATIONAL = {
    "type": "Feature",
    "properties": {
        "dataYear": 2023,
        "name": "National",
        "type": "national",
        "fullName": "National",
        "fuelMix": {
            "gas": 43.2,
            "coal": 16.1,
            "nuclear": 18.5,
            "hydro": 5.7,
            "wind": 10,
            "biomass": 1.1,
            "solar": 3.9,
            "oil": 0.5,
            "geothermal": 0.4,
            "otherFossilFuel": 0.5,
            "otherUnknownFuel": 0.1,
        },
        "emissionFactor": {
            "noxEmissionRate": rate(0.452, "0.452"),
            "so2EmissionRate": rate(0.359, "0.359"),
            "co2EmissionRate": rate(767.209, "767.2"),
            "co2eEmissionRate": rate(770.884, "770.9"),
        },
        "gridLoss": {"display": "4.2%", "value": 0.042},
    },
    "geometry": None,
}


def write_geojson(tmp_path, features, name="egrid2023_subregions.geojson"):
    path = tmp_path / name
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def edited(feature, path, value):
    """A deep copy of a feature with the property at ``path`` (a tuple of keys) replaced."""
    feature = copy.deepcopy(feature)
    props = feature["properties"]
    for key in path[:-1]:
        props = props[key]
    props[path[-1]] = value
    return feature


@pytest.fixture
def profiler(tmp_path):
    return read_power_profiler_subregions(write_geojson(tmp_path, [RFCW, INDIANA, NATIONAL]))


def test_profiler_keeps_subregions_and_national_row(profiler):
    assert profiler["subregion"].tolist() == ["RFCW", "US"]
    assert list(profiler.columns) == [*EGRID_COLUMNS, "geometry"]
    assert profiler.crs == "EPSG:4326"


def test_profiler_flattens_nested_properties(profiler):
    rfcw = profiler.iloc[0]
    assert rfcw["name"] == "RFC West"
    assert rfcw["data_year"] == 2023
    assert (rfcw["coal_pct"], rfcw["gas_pct"], rfcw["nuclear_pct"]) == (25.0, 37.8, 28.4)
    assert (rfcw["other_fossil_pct"], rfcw["other_unknown_pct"]) == (0.7, 0.1)
    assert rfcw["co2_lb_per_mwh"] == 911.424
    assert rfcw["co2e_lb_per_mwh"] == 916.054
    assert (rfcw["nox_lb_per_mwh"], rfcw["so2_lb_per_mwh"]) == (0.422, 0.412)
    assert rfcw["grid_loss_frac"] == 0.042


def test_profiler_geometry_and_national_without_geometry(profiler):
    assert profiler.geometry.iloc[0].equals(box(-88, 37, -80, 42))
    assert profiler.geometry.iloc[1] is None
    assert profiler.iloc[1]["co2_lb_per_mwh"] == 767.209


def test_profiler_null_value_is_unknown(tmp_path):
    feature = edited(RFCW, ("emissionFactor", "so2EmissionRate", "value"), None)
    out = read_power_profiler_subregions(write_geojson(tmp_path, [feature]))
    assert np.isnan(out.loc[0, "so2_lb_per_mwh"])
    assert out.loc[0, "nox_lb_per_mwh"] == 0.422


def test_profiler_missing_property_is_an_error(tmp_path):
    feature = copy.deepcopy(RFCW)
    del feature["properties"]["fuelMix"]["wind"]
    with pytest.raises(DataError, match=r"feature 'RFCW' has no property 'fuelMix\.wind'"):
        read_power_profiler_subregions(write_geojson(tmp_path, [feature]))


def test_profiler_non_numeric_value_is_an_error(tmp_path):
    feature = edited(RFCW, ("gridLoss", "value"), "four percent")
    with pytest.raises(DataError, match=r"'gridLoss.value' holds non-numeric values"):
        read_power_profiler_subregions(write_geojson(tmp_path, [feature]))


def test_profiler_duplicate_subregion_is_an_error(tmp_path):
    with pytest.raises(DataError, match=r"'subregion' repeats \['RFCW'\]"):
        read_power_profiler_subregions(write_geojson(tmp_path, [RFCW, RFCW]))


def test_profiler_without_subregions_is_an_error(tmp_path):
    with pytest.raises(DataError, match=r"no feature of type.*found types \['state'\]"):
        read_power_profiler_subregions(write_geojson(tmp_path, [INDIANA]))


def test_profiler_bad_geometry_is_an_error(tmp_path):
    feature = copy.deepcopy(RFCW)
    feature["geometry"] = {"type": "Polygon"}
    with pytest.raises(DataError, match="unreadable geometry"):
        read_power_profiler_subregions(write_geojson(tmp_path, [feature]))


def test_profiler_not_json_is_an_error(tmp_path):
    path = tmp_path / "egrid.geojson"
    path.write_text("SUBRGN,SRNAME\nRFCW,RFC West\n")
    with pytest.raises(DataError, match="cannot parse as JSON"):
        read_power_profiler_subregions(path)


def test_profiler_not_a_feature_collection_is_an_error(tmp_path):
    path = tmp_path / "egrid.json"
    path.write_text(json.dumps({"RFCW": {"co2": 911.4}}))
    with pytest.raises(DataError, match="not a GeoJSON FeatureCollection"):
        read_power_profiler_subregions(path)


def test_profiler_missing_file_is_an_error(tmp_path):
    with pytest.raises(DataFileNotFound, match="file not found"):
        read_power_profiler_subregions(tmp_path / "nope.geojson")


#: The subregion sheet saved as CSV: a title row of descriptions above the field codes; a
#: subset of the sheet's fields, resource mix as the fractions the workbook stores.
SHEET_TITLE = (
    "Data Year,eGRID subregion acronym,eGRID subregion name,"
    "eGRID subregion annual net generation (MWh),"
    "eGRID subregion annual NOx total output emission rate (lb/MWh),"
    "eGRID subregion annual SO2 total output emission rate (lb/MWh),"
    "eGRID subregion annual CO2 total output emission rate (lb/MWh),"
    "eGRID subregion annual CO2 equivalent total output emission rate (lb/MWh),"
    "eGRID subregion coal generation percent (resource mix),"
    "eGRID subregion oil generation percent (resource mix),"
    "eGRID subregion gas generation percent (resource mix),"
    "eGRID subregion nuclear generation percent (resource mix),"
    "eGRID subregion hydro generation percent (resource mix),"
    "eGRID subregion biomass generation percent (resource mix),"
    "eGRID subregion wind generation percent (resource mix),"
    "eGRID subregion solar generation percent (resource mix),"
    "eGRID subregion geothermal generation percent (resource mix),"
    "eGRID subregion other fossil generation percent (resource mix),"
    "eGRID subregion other unknown/ purchased fuel generation percent (resource mix)"
)
SHEET_HEADER = (
    "YEAR,SUBRGN,SRNAME,SRNGENAN,SRNOXRTA,SRSO2RTA,SRCO2RTA,SRC2ERTA,SRCLPR,SROLPR,SRGSPR,"
    "SRNCPR,SRHYPR,SRBMPR,SRWIPR,SRSOPR,SRGTPR,SROFPR,SROPPR"
)
SHEET_ROWS = [
    '2023,CAMX,WECC California,"196,383,424.0",0.332,0.02,428.464,429.983,'
    "0.021,0.0,0.429,0.08,0.141,0.022,0.066,0.201,0.036,0.007,0.0",
    '2023,RFCW,RFC West,"512,760,123.4",0.422,0.412,911.424,916.054,'
    "0.25,0.003,0.378,0.284,0.01,0.003,0.055,0.008,0.0,0.007,0.001",
]


def write_sheet(tmp_path, rows=SHEET_ROWS, *, header=SHEET_HEADER, title=SHEET_TITLE):
    path = tmp_path / "egrid2023_SRL23.csv"
    lines = [title, header, *rows] if title else [header, *rows]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_sheet_skips_title_row_and_renames_codes(tmp_path):
    out = read_egrid_subregion_table(write_sheet(tmp_path))
    assert list(out.columns) == list(EGRID_COLUMNS)
    assert out["subregion"].tolist() == ["CAMX", "RFCW"]
    assert out["name"].tolist() == ["WECC California", "RFC West"]
    assert out["data_year"].tolist() == [2023, 2023]
    assert out.loc[0, "co2_lb_per_mwh"] == 428.464
    assert out.loc[0, "co2e_lb_per_mwh"] == 429.983
    assert (out.loc[1, "nox_lb_per_mwh"], out.loc[1, "so2_lb_per_mwh"]) == (0.422, 0.412)


def test_sheet_resource_mix_fractions_become_percent(tmp_path):
    rfcw = read_egrid_subregion_table(write_sheet(tmp_path)).iloc[1]
    assert rfcw["coal_pct"] == pytest.approx(25.0)
    assert rfcw["gas_pct"] == pytest.approx(37.8)
    assert rfcw["nuclear_pct"] == pytest.approx(28.4)
    assert rfcw["other_unknown_pct"] == pytest.approx(0.1)
    assert np.isnan(rfcw["grid_loss_frac"])


def test_sheet_cells_written_with_percent_sign_are_percent(tmp_path):
    row = SHEET_ROWS[1].replace(",0.25,0.003,0.378,", ",25.0%,0.3%,37.8%,")
    rfcw = read_egrid_subregion_table(write_sheet(tmp_path, [row])).iloc[0]
    assert (rfcw["coal_pct"], rfcw["oil_pct"], rfcw["gas_pct"]) == (25.0, 0.3, 37.8)
    assert rfcw["nuclear_pct"] == pytest.approx(28.4)


def test_sheet_header_row_without_title_is_read(tmp_path):
    out = read_egrid_subregion_table(write_sheet(tmp_path, title=None))
    assert out["subregion"].tolist() == ["CAMX", "RFCW"]


def test_sheet_unmarked_percentages_are_an_error(tmp_path):
    row = SHEET_ROWS[1].replace(",0.25,0.003,0.378,", ",25.0,0.3,37.8,")
    with pytest.raises(DataError, match=r"'SRCLPR' holds \[25.0\]; eGRID stores the resource"):
        read_egrid_subregion_table(write_sheet(tmp_path, [row]))


def test_sheet_missing_field_is_an_error(tmp_path):
    header = SHEET_HEADER.replace("SRC2ERTA", "SRCO2ERTA")
    with pytest.raises(DataError, match=r"\['SRC2ERTA'\] missing.*subregion sheet"):
        read_egrid_subregion_table(write_sheet(tmp_path, header=header))


def test_sheet_non_numeric_rate_is_an_error(tmp_path):
    row = SHEET_ROWS[1].replace(",911.424,", ",high,")
    with pytest.raises(DataError, match=r"'SRCO2RTA' holds non-numeric values \['high'\]"):
        read_egrid_subregion_table(write_sheet(tmp_path, [row]))


def test_sheet_duplicate_subregion_is_an_error(tmp_path):
    with pytest.raises(DataError, match=r"'subregion' repeats \['RFCW'\]"):
        read_egrid_subregion_table(write_sheet(tmp_path, [SHEET_ROWS[1], SHEET_ROWS[1]]))


def test_sheet_without_rows_is_an_error(tmp_path):
    with pytest.raises(DataError, match="no subregions"):
        read_egrid_subregion_table(write_sheet(tmp_path, []))


def test_sheet_empty_file_is_an_error(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("")
    with pytest.raises(DataError, match="cannot parse as CSV"):
        read_egrid_subregion_table(path)


def test_sheet_wrong_file_is_an_error(tmp_path):
    path = tmp_path / "plants.csv"
    path.write_text("YEAR,PSTATABB,PNAME,PLNGENAN\n2023,IN,Gibson,1000\n")
    with pytest.raises(DataError, match=r"\['SUBRGN', 'SRNAME'.*subregion sheet"):
        read_egrid_subregion_table(path)
