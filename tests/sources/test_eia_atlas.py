"""EIA U.S. Energy Atlas power plants reader on fixtures in the Atlas' export schema."""

from __future__ import annotations

import csv

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from siting.errors import CRSError, DataError, DataFileNotFound
from siting.sources.eia_atlas import plants_from_frame, read_plants

EIA_HEADER = (
    "X,Y,OBJECTID,Plant_Code,Plant_Name,Utility_ID,Utility_Name,sector_name,Street_Address,"
    "City,County,State,Zip,PrimSource,source_desc,tech_desc,Install_MW,Total_MW,Bat_MW,Bio_MW,"
    "Coal_MW,Geo_MW,Hydro_MW,HydroPS_MW,NG_MW,Nuclear_MW,Crude_MW,Solar_MW,Wind_MW,Other_MW,"
    "Source,Period,Longitude,Latitude"
)
EIA_ROWS = [
    "-87.3,38.4,1,6113,Gibson,7977,Duke Energy Indiana LLC,Electric Utility,1097 N 950 W,"
    'Owensville,Gibson,Indiana,47665,coal,"Coal = 2,922 MW",Conventional Steam Coal,3339.5,'
    '2922,,,2922,,,,,,,,,,"EIA-860, EIA-860M and EIA-923",202311,-87.3,38.4',
    "-86.9,40.6,2,56776,Meadow Lake Wind Farm LLC,1,Owner,IPP Non-CHP,Road,Brookston,White,"
    "Indiana,47923,wind,Wind = 199.6 MW,Onshore Wind Turbine,199.65,199.6,,,,,,,,,,,199.6,,"
    '"EIA-860, EIA-860M and EIA-923",202311,-86.9,40.6',
    "-86.0,40.0,3,60000,Hybrid,1,Owner,IPP Non-CHP,Road,Town,County,Indiana,46000,"
    'natural gas,"Natural Gas = 100 MW, Solar = 20 MW",Combined Cycle,130,120,,,,,,,100,,,20,,,'
    '"EIA-860, EIA-860M and EIA-923",202311,-86.0,40.0',
    ",,4,60001,Nowhere,1,Owner,IPP Non-CHP,Road,Town,County,Indiana,46000,solar,Solar = 5 MW,"
    'Solar Photovoltaic,5,5,,,,,,,,,,5,,,"EIA-860, EIA-860M and EIA-923",202311,,',
]


def write_eia_csv(path, rows=EIA_ROWS, header=EIA_HEADER):
    path.write_text("\ufeff" + "\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_eia_plants_csv_with_bom(tmp_path):
    plants = read_plants(write_eia_csv(tmp_path / "plants.csv"))
    assert plants.crs == "EPSG:4326"
    assert plants["plant_id"].tolist() == ["6113", "56776", "60000"]  # no-coordinate row dropped
    assert plants.attrs["dropped_no_coordinates"] == 1
    assert plants["capacity_mw"].tolist() == [2922.0, 199.6, 120.0]
    hybrid = plants.iloc[2]
    assert (hybrid["capacity_mw_natural_gas"], hybrid["capacity_mw_solar"]) == (100.0, 20.0)
    assert hybrid["capacity_mw_coal"] == 0.0  # blank source column: none of that source
    assert plants.geometry.iloc[0].coords[0] == (-87.3, 38.4)


def test_eia_plants_wrong_schema(tmp_path):
    header = EIA_HEADER.replace("NG_MW", "Gas_MW")
    path = write_eia_csv(tmp_path / "plants.csv", header=header)
    with pytest.raises(DataError, match=r"\['NG_MW'\] missing.*EIA Energy Atlas"):
        read_plants(path)


def test_eia_plants_text_capacity_is_an_error(tmp_path):
    rows = [EIA_ROWS[1].replace(",199.6,,,,,,,,,,,199.6,", ",lots,,,,,,,,,,,199.6,")]
    with pytest.raises(DataError, match=r"'Total_MW' holds non-numeric values \['lots'\]"):
        read_plants(write_eia_csv(tmp_path / "plants.csv", rows=rows))


def test_eia_plants_missing_file(tmp_path):
    with pytest.raises(DataFileNotFound, match="file not found"):
        read_plants(tmp_path / "plants.csv")


def atlas_table():
    """The CSV fixture's first three plants as a table of the Atlas' fields."""
    return pd.DataFrame(list(csv.reader(EIA_ROWS[:3])), columns=EIA_HEADER.split(","))


def test_eia_plants_vector_file_keeps_its_crs(tmp_path):
    table = atlas_table().drop(columns=["Longitude", "Latitude"])
    points = [Point(-87.3, 38.4), Point(-86.9, 40.6), Point(-86.0, 40.0)]
    path = tmp_path / "plants.gpkg"
    gdf = gpd.GeoDataFrame(table, geometry=points, crs="EPSG:4326").to_crs("EPSG:5070")
    gdf.to_file(path, driver="GPKG")
    plants = read_plants(path)
    assert plants.crs == "EPSG:5070"
    assert plants["plant_id"].tolist() == ["6113", "56776", "60000"]
    assert plants["capacity_mw_wind"].tolist() == [0.0, 199.6, 0.0]
    assert plants.geometry.distance(gdf.geometry).max() < 1e-6


def test_eia_plants_vector_frame_without_crs_is_an_error():
    table = atlas_table().drop(columns=["Longitude", "Latitude"])
    gdf = gpd.GeoDataFrame(table, geometry=[Point(0, 0)] * 3)
    with pytest.raises(CRSError, match="plants: no CRS"):
        plants_from_frame(gdf, what="plants")
