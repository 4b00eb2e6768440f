"""``siting query``: a point, a ZIP code or a proposed site against a real default run."""

from __future__ import annotations

import json
import math

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from typer.testing import CliRunner

from siting.cli import app
from siting.query import inert
from siting.spec import SQ_KM_PER_ACRE
from siting.summary import rounded
from tests.conftest import DATA_DIR

runner = CliRunner()
#: Greenfield, Indiana: a ZIP code of Hancock County.
GREENFIELD_ZIP = "46140"
#: Louisville-area ZIP in Kentucky: in the bundled ZIP table, outside the Indiana study area.
KENTUCKY_ZIP = "40003"
HOSTILE_NAME = "Evil\x1b[2J\nFAKE: no impact\u202e [bold]x[/bold] <script>alert(1)</script>"


def invoke(*args):
    return runner.invoke(app, ["query", *map(str, args)], catch_exceptions=False)


def as_json(*args) -> dict:
    result = invoke(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def one_line_error(result, *fragments):
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr and not result.stdout
    for fragment in fragments:
        assert fragment in lines[0]


@pytest.fixture(scope="module")
def run_sites(default_run) -> gpd.GeoDataFrame:
    return gpd.read_file(default_run.out_dir / "sites.gpkg", layer="sites")


def zip_row(code: str) -> pd.Series:
    table = pd.read_csv(DATA_DIR / "tables" / "zcta_centroids_indiana_region.csv", dtype=str)
    return table.loc[table["zcta_id"] == code].iloc[0]


# ---------------------------------------------------------------------------------------------
# points and ZIP codes
# ---------------------------------------------------------------------------------------------


def test_zip_query_gives_the_nearest_sites_and_the_county(default_run, run_sites):
    data = as_json("--run", default_run.out_dir, "--zip", GREENFIELD_ZIP)
    row = zip_row(GREENFIELD_ZIP)
    assert data["place"]["lat_deg"] == pytest.approx(float(row["latitude"]))
    assert data["place"]["lon_deg"] == pytest.approx(float(row["longitude"]))
    place = data["context"][0]
    assert place["topic"] == "place" and place["values"]["county"] == "Hancock"
    assert place["values"]["county_fips"] == "18059"
    # the three nearest by planar distance in EPSG:5070 (independent of the geodesic used)
    centre = gpd.GeoSeries(
        [shapely.Point(float(row["longitude"]), float(row["latitude"]))], crs="EPSG:4326"
    ).to_crs("EPSG:5070")[0]
    planar_km = run_sites.geometry.to_crs("EPSG:5070").representative_point().distance(centre)
    planar_km = (planar_km / 1000.0).set_axis(run_sites["site_id"])
    nearest = data["nearest_sites"]
    assert [n["site_id"] for n in nearest] == list(planar_km.sort_values().index[:3])
    for n in nearest:
        assert n["distance_km"] == pytest.approx(planar_km[n["site_id"]], rel=0.01)
        assert n["distance_mi"] == pytest.approx(n["distance_km"] / 1.609344, abs=0.01)
        site = run_sites.set_index("site_id").loc[n["site_id"]]
        assert n["rank"] == site["rank"] and n["score"] == pytest.approx(site["score"])


def test_point_on_a_site_finds_that_site_at_no_distance(default_run, run_sites):
    fifth = run_sites.loc[run_sites["rank"] == 5]
    centre = fifth.geometry.representative_point().to_crs("EPSG:4326").iloc[0]
    data = as_json("--run", default_run.out_dir, "--lat", centre.y, "--lon", centre.x)
    assert data["nearest_sites"][0]["site_id"] == fifth["site_id"].iloc[0]
    assert data["nearest_sites"][0]["distance_km"] == pytest.approx(0.0, abs=0.01)
    assert data["context"][0]["values"]["county"] == fifth["county"].iloc[0]
    topics = [s["topic"] for s in data["context"]]
    assert topics == ["place", "tract_vulnerability", "hazards", "rules"]
    for statement in data["context"]:
        assert statement["source"] and statement["confidence"] in (
            "measured",
            "modelled",
            "proxy",
            "unknown",
        )


def test_point_query_text_holds_the_figures_of_the_json(default_run):
    args = ("--run", default_run.out_dir, "--lat", 39.7684, "--lon", -86.1581)
    data = as_json(*args)
    text = invoke(*args)
    assert text.exit_code == 0
    assert "lies in Marion County, IN" in text.stdout
    for n in data["nearest_sites"]:
        assert f"{n['site_id']}, {n['distance_km']:.1f} km ({n['distance_mi']:.1f} miles)" in (
            text.stdout
        )
    for statement in data["context"]:
        assert statement["text"] in text.stdout
        assert statement["source"] in text.stdout


@pytest.mark.parametrize(
    ("code", "fragments"),
    [
        ("99999", ("ZIP 99999", "not in the region's ZIP areas", "--lat/--lon")),
        ("4614", ("5 digits",)),
        (KENTUCKY_ZIP, (f"ZIP {KENTUCKY_ZIP}", "outside the data's region", "Indiana")),
    ],
)
def test_unknown_or_outside_zip_is_one_line_and_exit_2(default_run, code, fragments):
    one_line_error(invoke("--run", default_run.out_dir, "--zip", code), *fragments)


def test_point_outside_the_region_is_refused(default_run):
    chicago = ("--lat", 41.8781, "--lon", -87.6298)
    one_line_error(invoke("--run", default_run.out_dir, *chicago), "41.8781", "outside")
    one_line_error(invoke(*chicago), "outside the data's region")


def test_a_folder_that_is_not_a_run_is_refused(tmp_path):
    one_line_error(invoke("--run", tmp_path, "--zip", GREENFIELD_ZIP), "not a run folder")
    assert list(tmp_path.iterdir()) == []


def test_options_are_checked(default_run):
    one_line_error(invoke("--run", default_run.out_dir, "--zip", "46140", "--lang", "fr"), "'en'")
    one_line_error(invoke("--run", default_run.out_dir), "--zip", "--site")
    one_line_error(invoke("--zip", "46140", "--lat", "39.7"), "not both")


# ---------------------------------------------------------------------------------------------
# a proposed campus
# ---------------------------------------------------------------------------------------------


def square(centre, area_acres: float) -> shapely.Polygon:
    half_m = math.sqrt(area_acres * SQ_KM_PER_ACRE * 1.0e6) / 2.0
    return shapely.box(centre.x - half_m, centre.y - half_m, centre.x + half_m, centre.y + half_m)


@pytest.fixture(scope="module")
def proposed(default_run, run_sites, tmp_path_factory):
    """A 1,000-acre square on the run's rank-1 site, named with hostile text, queried as JSON
    and as text."""
    first = run_sites.loc[run_sites["rank"] == 1]
    centre = first.geometry.to_crs("EPSG:5070").centroid.iloc[0]
    path = tmp_path_factory.mktemp("proposed") / "campus.geojson"
    site = gpd.GeoDataFrame(
        {"name": [HOSTILE_NAME]}, geometry=[square(centre, 1000.0)], crs="EPSG:5070"
    )
    site.to_crs("EPSG:4326").to_file(path, driver="GeoJSON")
    text = invoke("--site", path)
    assert text.exit_code == 0, text.output
    return {"row": first.iloc[0], "json": as_json("--site", path), "text": text.stdout}


def statement(campus: dict, topic: str) -> dict:
    return next(s for s in campus["statements"] if s["topic"] == topic)


def test_polygon_on_the_rank_1_site_gets_that_sites_demand_and_co2(proposed):
    row, campus = proposed["row"], proposed["json"]["campuses"][0]
    assert campus["hypothetical"] is False
    power = statement(campus, "power")["values"]
    emissions = statement(campus, "emissions")["values"]
    assert power["peak_demand_mw"] == pytest.approx(row["peak_demand_mw"], rel=2e-3)
    assert power["energy_mwh_per_yr"] == pytest.approx(row["energy_mwh_per_yr"], rel=2e-3)
    assert emissions["co2_t_per_yr"] == pytest.approx(row["co2_t_per_yr"], rel=2e-3)
    assert campus["site"]["county"] == row["county"]
    # the text says the same figures as the run's row, as a lay reader reads them
    assert f"about {rounded(row['peak_demand_mw'])} MW" in proposed["text"]
    assert f"about {rounded(row['co2_t_per_yr'] / 1e6)} million tonnes of CO2" in proposed["text"]


def test_site_json_and_text_hold_the_same_statements(proposed):
    campus = proposed["json"]["campuses"][0]
    topics = [s["topic"] for s in campus["statements"]]
    for topic in ("power", "water", "emissions", "setback", "noise", "jobs", "hazards", "rules"):
        assert topic in topics
    for s in campus["statements"]:
        assert s["text"] in proposed["text"] and s["source"] in proposed["text"]
    assert campus["heading"] in proposed["text"]


def test_hostile_site_name_is_printed_inert(proposed):
    text, campus = proposed["text"], proposed["json"]["campuses"][0]
    for bad in ("\x1b", "\u202e"):
        assert bad not in text and bad not in campus["name"]
    assert not any(line.startswith("FAKE") for line in text.splitlines())
    assert "[bold]x[/bold]" in text  # markup shown as typed, not rendered
    assert campus["name"] == inert(HOSTILE_NAME, max_chars=80)
    assert campus["name"].startswith("Evil\\u001b[2J\\u000aFAKE")


def test_site_attributes_override_the_spec_campus(proposed, run_sites, tmp_path):
    first = run_sites.loc[run_sites["rank"] == 1].geometry.representative_point()
    point = first.to_crs("EPSG:4326").iloc[0]
    path = tmp_path / "half.geojson"
    gpd.GeoDataFrame(
        {"radius_m": [900.0], "it_capacity_mw": [500.0], "cooling_archetype": ["dry_cooler"]},
        geometry=[point],
        crs="EPSG:4326",
    ).to_file(path, driver="GeoJSON")
    campus = as_json("--site", path)["campuses"][0]
    peak = statement(campus, "power")["values"]["peak_demand_mw"]
    full = statement(proposed["json"]["campuses"][0], "power")["values"]["peak_demand_mw"]
    assert peak == pytest.approx(full / 2.0, rel=0.02)  # same climate, half the computers
    assert "500 MW of computers" in campus["heading"]


@pytest.mark.parametrize(
    ("attributes", "fragments"),
    [
        ({"it_capacity_mw": [0.0]}, ("it_capacity_mw", "[1, 20000]")),
        ({"radius_m": [-10.0]}, ("radius_m", "positive")),
        ({"cooling_archetype": ["swamp"]}, ("cooling_archetype", "allowed")),
    ],
)
def test_impossible_campus_is_refused(tmp_path, attributes, fragments):
    path = tmp_path / "bad.geojson"
    gpd.GeoDataFrame(attributes, geometry=[shapely.Point(-85.77, 39.80)], crs="EPSG:4326").to_file(
        path, driver="GeoJSON"
    )
    one_line_error(invoke("--site", path), str(path), *fragments)


def test_empty_or_unreadable_site_file_is_refused(tmp_path):
    empty = tmp_path / "empty.geojson"
    empty.write_text('{"type": "FeatureCollection", "features": []}')
    one_line_error(invoke("--site", empty), "no sites in the file")
    garbage = tmp_path / "garbage.geojson"
    garbage.write_text("not a vector file")
    one_line_error(invoke("--site", garbage), "cannot read as a vector file")


def test_hypothetical_campus_at_a_zip_is_labelled(default_run):
    data = as_json("--run", default_run.out_dir, "--zip", GREENFIELD_ZIP, "--assess")
    campus = data["campuses"][0]
    assert campus["hypothetical"] is True and campus["heading"].startswith("HYPOTHETICAL")
    assert campus["site"]["county"] == "Hancock"
    peak = statement(campus, "power")["values"]["peak_demand_mw"]
    assert 1000.0 < peak < 1000.0 * 1.6  # the spec's 1 GW of IT, PUE above 1
