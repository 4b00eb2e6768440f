"""Grid capacity layer: official-format readers, derived connection points, per-cell distances."""

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString, Point

from layers.grid_capacity import (
    CLUSTER_M,
    ac_lines,
    connection_points_from_lines,
    derive,
    line_ends_at_points,
    lines_at_kv,
    max_kv_raster,
    operating,
    read_eia_plants,
    read_hifld_lines,
    read_hifld_substations,
    read_lines,
    read_network,
    standard_lines,
)
from siting.bundle import Bundle, open_bundle, read_layer
from siting.errors import CRSError, DataError, DataFileNotFound
from siting.grid import Grid, distance_km
from siting.spec import load_spec
from tests.conftest import DATA_DIR

# --- fixtures in the official schemas -------------------------------------------------------------


def hifld_lines(crs="EPSG:4326"):
    """Three lines in the HIFLD Electric Power Transmission Lines schema (all its fields)."""
    return gpd.GeoDataFrame(
        {
            "OBJECTID": [1, 2, 3],
            "ID": ["140801", "140802", "140803"],
            "TYPE": ["AC; OVERHEAD", "AC; OVERHEAD", "DC; OVERHEAD"],
            "STATUS": ["IN SERVICE", "NOT AVAILABLE", "IN SERVICE"],
            "NAICS_CODE": ["221121"] * 3,
            "NAICS_DESC": ["ELECTRIC BULK POWER TRANSMISSION AND CONTROL"] * 3,
            "SOURCE": ["IMAGERY"] * 3,
            "SOURCEDATE": ["2016/05/01"] * 3,
            "VAL_METHOD": ["IMAGERY"] * 3,
            "VAL_DATE": ["2016/05/01"] * 3,
            "OWNER": ["INDIANA MICHIGAN POWER CO", "NOT AVAILABLE", "NOT AVAILABLE"],
            "VOLTAGE": [345.0, -999999.0, 500.0],
            "VOLT_CLASS": ["345", "NOT AVAILABLE", "DC"],
            "INFERRED": ["N", "Y", "N"],
            "SUB_1": ["DUMONT", "NOT AVAILABLE", "TAP127"],
            "SUB_2": ["OLIVE", "NOT AVAILABLE", "TAP128"],
        },
        geometry=[
            LineString([(-86.40, 41.50), (-86.30, 41.50)]),
            LineString([(-86.30, 41.50), (-86.30, 41.60)]),
            LineString([(-86.20, 41.40), (-86.10, 41.40)]),
        ],
        crs="EPSG:4326",
    ).to_crs(crs)


def hifld_substations():
    """Two substations in the HIFLD Electric Substations schema (all its fields)."""
    return gpd.GeoDataFrame(
        {
            "OBJECTID": [1, 2],
            "ID": ["308001", "308002"],
            "NAME": ["DUMONT", "TAP127"],
            "CITY": ["NEW CARLISLE", "NOT AVAILABLE"],
            "STATE": ["IN", "IN"],
            "ZIP": ["46552", "NOT AVAILABLE"],
            "TYPE": ["SUBSTATION", "TAP"],
            "STATUS": ["IN SERVICE", "NOT AVAILABLE"],
            "COUNTY": ["ST. JOSEPH", "LAPORTE"],
            "COUNTYFIPS": ["18141", "18091"],
            "COUNTRY": ["USA", "USA"],
            "LATITUDE": [41.50, 41.40],
            "LONGITUDE": [-86.40, -86.20],
            "NAICS_CODE": ["221121", "221121"],
            "NAICS_DESC": ["ELECTRIC BULK POWER TRANSMISSION AND CONTROL"] * 2,
            "SOURCE": ["IMAGERY", "IMAGERY"],
            "SOURCEDATE": ["2017/01/01", "2017/01/01"],
            "VAL_METHOD": ["IMAGERY", "IMAGERY"],
            "VAL_DATE": ["2017/01/01", "2017/01/01"],
            "LINES": [9, -999999],
            "MAX_VOLT": [765.0, -999999.0],
            "MIN_VOLT": [345.0, -999999.0],
            "MAX_INFER": ["N", "Y"],
            "MIN_INFER": ["N", "Y"],
        },
        geometry=[Point(-86.40, 41.50), Point(-86.20, 41.40)],
        crs="EPSG:4326",
    ).to_crs("EPSG:3857")


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


# --- readers --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("driver", "name", "crs"),
    [
        ("GeoJSON", "lines.geojson", "EPSG:4326"),
        ("ESRI Shapefile", "lines.shp", "EPSG:3857"),
        ("GPKG", "lines.gpkg", "EPSG:3857"),
    ],
)
def test_hifld_lines_read_in_every_format(tmp_path, driver, name, crs):
    path = tmp_path / name
    hifld_lines(crs).to_file(path, driver=driver, engine="pyogrio")
    lines = read_hifld_lines(path)
    assert lines.crs == crs  # native CRS kept
    assert lines["line_id"].tolist() == ["140801", "140802", "140803"]
    assert lines["kv"].iloc[0] == 345.0
    assert np.isnan(lines["kv"].iloc[1])  # -999999 is UNKNOWN, not zero
    assert {"volt_class", "sub_1", "sub_2", "status", "line_type", "owner"} <= set(lines.columns)
    assert "VOLTAGE" not in lines.columns


def test_hifld_lines_wrong_schema_is_one_clear_error(tmp_path):
    path = tmp_path / "lines.geojson"
    hifld_lines().drop(columns=["VOLTAGE", "SUB_2"]).to_file(path, driver="GeoJSON")
    with pytest.raises(
        DataError, match=r"\['VOLTAGE', 'SUB_2'\] missing.*Is this a HIFLD transmission lines"
    ):
        read_hifld_lines(path)


def test_hifld_lines_without_crs_is_an_error(tmp_path):
    path = tmp_path / "lines.shp"
    with pytest.warns(UserWarning, match="'crs' was not provided"):
        hifld_lines().set_crs(None, allow_override=True).to_file(path, driver="ESRI Shapefile")
    with pytest.raises(CRSError, match=r"lines\.shp: no CRS"):
        read_hifld_lines(path)


def test_hifld_lines_text_voltage_is_an_error(tmp_path):
    path = tmp_path / "lines.geojson"
    bad = hifld_lines()
    bad["VOLTAGE"] = ["345", "high", "500"]
    bad.to_file(path, driver="GeoJSON")
    with pytest.raises(DataError, match=r"'VOLTAGE' holds non-numeric values \['high'\]"):
        read_hifld_lines(path)


def test_missing_and_unreadable_files(tmp_path):
    with pytest.raises(DataFileNotFound, match="file not found"):
        read_hifld_lines(tmp_path / "nope.geojson")
    junk = tmp_path / "junk.geojson"
    junk.write_text("not json")
    with pytest.raises(DataError, match="cannot read as a vector file"):
        read_hifld_lines(junk)


def test_hifld_substations_read_with_unknown_voltage(tmp_path):
    path = tmp_path / "subs.gpkg"
    hifld_substations().to_file(path, driver="GPKG")
    subs = read_hifld_substations(path)
    assert subs["point_id"].tolist() == ["308001", "308002"]
    assert subs["max_kv"].iloc[0] == 765.0 and subs["min_kv"].iloc[0] == 345.0
    assert np.isnan(subs["max_kv"].iloc[1]) and np.isnan(subs["n_lines"].iloc[1])
    assert subs["n_lines"].iloc[0] == 9
    assert (subs["kind"] == "HIFLD substation").all()


def test_hifld_substations_wrong_schema(tmp_path):
    path = tmp_path / "subs.geojson"
    hifld_substations().drop(columns="LINES").to_file(path, driver="GeoJSON")
    with pytest.raises(DataError, match=r"\['LINES'\] missing.*HIFLD substations"):
        read_hifld_substations(path)


def test_eia_plants_csv_with_bom(tmp_path):
    plants = read_eia_plants(write_eia_csv(tmp_path / "plants.csv"))
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
        read_eia_plants(path)


# --- network --------------------------------------------------------------------------------------


def metric_lines():
    """Hand-made lines in EPSG:5070: three meet at (0, 0), a fourth stands alone."""
    return standard_lines(
        gpd.GeoDataFrame(
            {"line_id": ["a", "b", "c", "d"], "kv": [345.0, 765.0, 138.0, 345.0]},
            geometry=[
                LineString([(-10_000, 0), (0, 0)]),
                LineString([(100, 0), (10_000, 0)]),  # 100 m from a's end: same point
                LineString([(0, 250), (0, 8_000)]),  # 250 m: same point
                LineString([(50_000, 0), (60_000, 0)]),
            ],
            crs="EPSG:5070",
        ),
        what="test",
    )


def test_connection_points_cluster_line_ends():
    points, ends = connection_points_from_lines(metric_lines(), cluster_m=CLUSTER_M)
    assert len(points) == 6  # the shared junction, 3 far ends of a/b/c, 2 ends of d
    junction = points.iloc[0]  # highest kV first, then most lines
    assert (junction["n_lines"], junction["max_kv"], junction["min_kv"]) == (3, 765.0, 138.0)
    assert junction["kv_levels"] == "138;345;765"
    assert junction["node_type"] == "junction" and junction["kind"] == "derived line node"
    assert junction.geometry.distance(Point(0, 0)) < 300
    assert set(ends.loc[ends["point_id"] == junction["point_id"], "line_id"]) == {"a", "b", "c"}
    assert (points["node_type"] == "line end").sum() == 5


def test_lines_at_kv_counts_lines_meeting_at_a_point():
    lines = metric_lines()
    points, ends = connection_points_from_lines(lines, cluster_m=CLUSTER_M)
    from layers.grid_capacity import Network

    network = Network(lines=lines, points=points, ends=ends, derived=True)
    counts = lines_at_kv(network, 345.0)
    assert counts.iloc[0] == 2  # a (345) and b (765) meet the 345 kV requirement; c does not
    assert counts.sum() == 2 + 1 + 1 + 2  # b's and a's far ends, both ends of d


def test_derived_points_reproduce_the_shipped_node_set():
    """Rebuilt from the bundle's lines, the points match the raw data's derived node set."""
    bundle = open_bundle("indiana", DATA_DIR)
    lines = read_lines(bundle).to_crs("EPSG:5070")
    points, _ = connection_points_from_lines(lines, cluster_m=CLUSTER_M)
    shipped = read_layer(bundle, "line_nodes")
    assert len(points) == len(shipped) == 773
    joined = gpd.sjoin_nearest(points, shipped, distance_col="gap_m", rsuffix="ref")
    assert joined["gap_m"].max() < 1.0
    assert (joined["n_lines_left"] == joined["n_lines_ref"]).all()
    assert (joined["max_kv_left"] == joined["max_kv_ref"]).all()


def test_line_ends_join_official_substations():
    lines = metric_lines()
    subs = gpd.GeoDataFrame(
        {"point_id": ["S1", "S2"], "max_kv": [765.0, 345.0]},
        geometry=[Point(50, 100), Point(30_000, 0)],
        crs="EPSG:5070",
    )
    ends = line_ends_at_points(subs, lines, within_m=CLUSTER_M)
    assert set(ends.loc[ends["point_id"] == "S1", "line_id"]) == {"a", "b", "c"}
    assert "S2" not in set(ends["point_id"])  # no line ends within 300 m


def test_retired_and_dc_lines_never_qualify():
    lines = hifld_lines()
    lines["STATUS"] = ["IN SERVICE", "RETIRED", "IN SERVICE"]
    from layers.grid_capacity import lines_from_hifld

    mapped = ac_lines(operating(lines_from_hifld(lines, what="x"), what="x"))
    assert mapped["line_id"].tolist() == ["140801"]


# --- per-cell distances ---------------------------------------------------------------------------


def make_bundle(tmp_path, lines, substations=None):
    gpkg = tmp_path / "test.gpkg"
    lines.to_file(gpkg, layer="transmission_lines", driver="GPKG")
    if substations is not None:
        substations.to_file(gpkg, layer="substations", driver="GPKG")
    return Bundle(root=tmp_path, name="test")


def test_distance_to_a_line_by_hand(tmp_path, grid10):
    # a 345 kV line down the middle of column 5 (x = 5,500 m): distance = |column - 5| km
    lines = gpd.GeoDataFrame(
        {"kv": [345.0, 138.0]},
        geometry=[LineString([(5500, 0), (5500, 10_000)]), LineString([(0, 500), (10_000, 500)])],
        crs="EPSG:5070",
    )
    out = derive(make_bundle(tmp_path, lines), grid10, load_spec())
    expected = np.abs(np.arange(10) - 5.0)[None, :].repeat(10, axis=0)
    np.testing.assert_allclose(out["line_distance_km"].to_numpy(), expected, atol=1e-6)
    # lines at or above 100 kV include the 138 kV line along the bottom row
    assert out["line_distance_ge100kv_km"].to_numpy()[9, 0] == 0.0
    # the 345 kV line's ends are connection points at (5500, 0) and (5500, 10000)
    assert out["substation_distance_km"].to_numpy()[0, 5] == 0.0


def test_no_line_at_the_required_voltage_is_unknown(tmp_path, grid10):
    lines = gpd.GeoDataFrame(
        {"kv": [138.0, -999999.0]},
        geometry=[LineString([(500, 0), (500, 10_000)]), LineString([(0, 500), (9_000, 500)])],
        crs="EPSG:5070",
    )
    out = derive(make_bundle(tmp_path, lines), grid10, load_spec())
    assert np.isnan(out["line_distance_km"].to_numpy()).all()
    assert np.isnan(out["substation_distance_km"].to_numpy()).all()
    assert np.isfinite(out["line_distance_ge100kv_km"].to_numpy()).all()


def test_official_substations_in_hifld_schema_replace_derived_points(tmp_path, grid10):
    lines = gpd.GeoDataFrame(
        {"kv": [345.0]}, geometry=[LineString([(500, 500), (500, 9_500)])], crs="EPSG:5070"
    )
    subs = gpd.GeoDataFrame(
        {"ID": ["1"], "MAX_VOLT": [345.0], "MIN_VOLT": [138.0], "LINES": [1], "STATUS": ["X"]},
        geometry=[Point(9_500, 9_500)],
        crs="EPSG:5070",
    )
    bundle = make_bundle(tmp_path, lines, subs)
    network = read_network(bundle, crs="EPSG:5070")
    assert not network.derived and network.points["point_id"].tolist() == ["1"]
    out = derive(bundle, grid10, load_spec())
    assert out["substation_distance_km"].to_numpy()[0, 9] == 0.0
    assert out["substation_distance_km"].to_numpy()[0, 0] == pytest.approx(9.0)


def test_lines_layer_in_an_unknown_schema(tmp_path):
    lines = gpd.GeoDataFrame(
        {"volts": [345.0]}, geometry=[LineString([(0, 0), (1, 1)])], crs="EPSG:5070"
    )
    with pytest.raises(DataError, match=r"column\(s\) \['kv'\] missing"):
        read_lines(make_bundle(tmp_path, lines))


@pytest.fixture(scope="module")
def indiana():
    bundle = open_bundle("indiana", DATA_DIR)
    study = read_layer(bundle, "state")
    grid = Grid.covering(tuple(study.total_bounds), crs="EPSG:5070", resolution_m=250.0)
    return bundle, grid


def test_cell_distances_agree_with_geopandas(indiana):
    """Per cell: within half a cell diagonal of geopandas' exact distance from the cell centre."""
    bundle, grid = indiana
    spec = load_spec()
    network = read_network(bundle, crs=grid.crs)
    out = derive(bundle, grid, spec)
    rng = np.random.default_rng(42)
    rows = rng.integers(0, grid.shape[0], 3000)
    cols = rng.integers(0, grid.shape[1], 3000)
    centres = gpd.GeoSeries(gpd.points_from_xy(grid.x[cols], grid.y[rows]), crs=grid.crs)
    tolerance_km = grid.resolution_m / math.sqrt(2) / 1000 + 1e-3
    kv = spec.interconnection_voltage_kv
    for name, features in (
        ("line_distance_km", network.lines[network.lines["kv"] >= kv]),
        ("substation_distance_km", network.points[network.points["max_kv"] >= kv]),
        ("line_distance_ge735kv_km", network.lines[network.lines["kv"] >= 735]),
    ):
        exact_km = centres.distance(features.geometry.union_all()).to_numpy() / 1000
        ours = out[name].to_numpy()[rows, cols]
        assert np.abs(ours - exact_km).max() <= tolerance_km, name


def test_max_kv_raster_keeps_the_highest_voltage(grid10):
    lines = gpd.GeoDataFrame(
        {"kv": [765.0, 138.0, np.nan]},
        geometry=[LineString([(500, 0), (500, 10_000)])] * 3,
        crs="EPSG:5070",
    )
    raster = max_kv_raster(lines, "kv", grid10, what="test")
    assert np.nanmax(raster) == 765.0 and np.isfinite(raster[:, 0]).all()
    assert distance_km(raster >= 765.0, grid10)[0, 3] == pytest.approx(3.0)


def test_indicator_units_and_site_statistics():
    from layers.grid_capacity import INDICATORS

    names = {s.name for s in INDICATORS}
    assert {"line_distance_km", "substation_distance_km", "line_distance_ge735kv_km"} <= names
    assert all(s.site_stat == "min" and s.units == "km" for s in INDICATORS)
    scored = [s.name for s in INDICATORS if s.direction != "context"]
    assert scored == ["line_distance_km", "substation_distance_km"]


def test_operating_filter_is_logged_not_silent(caplog):
    frame = pd.DataFrame({"status": ["IN SERVICE", "INACTIVE", None, "PROPOSED"]})
    with caplog.at_level("INFO"):
        kept = operating(frame, what="lines.gpkg")
    assert kept["status"].iloc[0] == "IN SERVICE" and pd.isna(kept["status"].iloc[1])
    assert len(kept) == 2
    assert "2 rows not in operation dropped" in caplog.text
