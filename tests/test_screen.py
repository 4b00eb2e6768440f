"""The national county screen: directions, UNKNOWN never helps, ranking, restrictions, weights,
and the command end to end on the bundled national tables."""

import dataclasses
import html
import json
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from siting import screen
from siting.cli import app
from siting.errors import DataError, SpecError
from siting.rules import ExclusionRule
from siting.spec import Transform, load_spec
from tests.conftest import DATA_DIR

runner = CliRunner()


@pytest.fixture(scope="module")
def spec():
    return load_spec(None)


def hand_table(**columns) -> pd.DataFrame:
    """A county table of len(values) counties with FIPS 00001, 00002, ..."""
    n = len(next(iter(columns.values())))
    fips = pd.Index([f"{i + 1:05d}" for i in range(n)], name="fips")
    table = pd.DataFrame(columns, index=fips)
    table["restriction"] = columns.get("restriction", [np.nan] * n)
    return table


LINEAR = Transform(kind="linear", best=0.0, worst=10.0)


def score(table, weights, transforms=None, rules=()):
    transforms = transforms or {name: LINEAR for name in weights}
    return screen.score_counties(table, weights, transforms, rules=rules)


# ------------------------------------------------------------------------------------------
# directions
# ------------------------------------------------------------------------------------------


def test_every_scored_indicator_has_a_direction_and_an_argued_description():
    for schema in screen.INDICATORS:
        assert schema.direction in ("lower_better", "higher_better")
        assert "better" in schema.description, schema.name
        assert len(schema.description) > 150, schema.name


@pytest.mark.parametrize(
    ("name", "good", "bad"),
    [
        ("time_to_power_p50_months", 36.0, 90.0),
        ("generation_nearby_mw", 4000.0, 100.0),
        ("water_draw_mm_per_yr", 5.0, 500.0),
        ("campus_water_share_nonpower_pct", 0.5, 80.0),
        ("climate_design_degc", 31.0, 44.0),
        ("climate_annual_degc", 6.0, 20.0),
        ("pop_density_per_km2", 5.0, 180.0),
        ("svi_overall_pct", 0.1, 0.9),
        ("nri_risk_national_pct", 0.1, 0.9),
        ("grid_co2_lb_per_mwh", 300.0, 1400.0),
    ],
)
def test_the_better_value_gets_the_higher_suitability(spec, name, good, bad):
    transforms = screen.transforms_for(spec)
    scored = score(hand_table(**{name: [good, bad]}), {name: 1.0}, transforms)
    assert scored[f"suit_{name}"].iloc[0] > scored[f"suit_{name}"].iloc[1]
    assert scored["score"].iloc[0] > scored["score"].iloc[1]


def test_a_once_through_power_plant_is_not_water_stress(spec):
    """County 1 withdraws 1,000 Mgal/d, all a once-through plant's that evaporates 10; county 2
    draws 100 Mgal/d from wells for its towns. Total withdrawals would call county 1 the more
    stressed; the screen scores county 2's draw as the heavier one."""
    use = pd.DataFrame(
        {
            "fips": ["00001", "00002"],
            "fresh_withdrawal_mgd": [1000.0, 100.0],
            "thermoelectric_fresh_mgd": [1000.0, 0.0],
            "groundwater_fresh_mgd": [0.0, 100.0],
            "surface_fresh_mgd": [1000.0, 0.0],
            "thermoelectric_groundwater_mgd": [0.0, 0.0],
            "thermoelectric_surface_mgd": [1000.0, 0.0],
            "thermoelectric_consumption_fresh_mgd": [10.0, np.nan],
            "public_supply_fresh_mgd": [0.0, 100.0],
        }
    )
    counties = pd.DataFrame(
        {"land_area_km2": [1000.0, 1000.0]}, index=pd.Index(["00001", "00002"], name="fips")
    )
    water = screen.water_columns(use, counties, spec)
    assert water["water_total_withdrawal_mgd"].iloc[0] > water["water_total_withdrawal_mgd"].iloc[1]
    assert water["water_draw_mm_per_yr"].iloc[0] < water["water_draw_mm_per_yr"].iloc[1]
    # no non-power withdrawal at all: the campus would be the county's only user
    assert np.isinf(water["campus_water_share_nonpower_pct"].iloc[0])


def test_a_cooling_tower_prefers_hot_dry_air_a_dry_cooler_does_not():
    """Hot and dry (Arizona-like) against warm and humid (Gulf-like)."""
    counties = pd.DataFrame(
        {
            "temp_max_degc": [46.0, 37.0],
            "temp_mean_degc": [22.0, 21.0],
            "specific_humidity_mean_g_per_kg": [5.0, 15.0],
            "specific_humidity_sd_g_per_kg": [2.0, 2.5],
        },
        index=pd.Index(["04013", "22051"], name="fips"),
    )
    dry = screen.climate_columns(counties, archetype="dry_cooler")
    wet = screen.climate_columns(counties, archetype="cooling_tower")
    assert dry["climate_design_degc"].iloc[0] > dry["climate_design_degc"].iloc[1]
    assert wet["climate_design_degc"].iloc[0] < wet["climate_design_degc"].iloc[1]
    assert (wet["climate_design_degc"] < dry["climate_design_degc"]).all()


def test_generation_counts_plants_within_the_radius_only():
    plants = gpd.GeoDataFrame(
        {"capacity_mw": [1000.0, 500.0, np.nan]},
        geometry=gpd.points_from_xy([-86.0, -86.0, -86.0], [40.1, 41.5, 40.0]),
        crs="EPSG:4326",
    )
    counties = pd.DataFrame(
        {"centroid_lat_deg": [40.0, 45.0], "centroid_lon_deg": [-86.0, -86.0]},
        index=pd.Index(["18001", "18003"], name="fips"),
    )
    mw = screen.generation_within_mw(plants, counties, radius_km=50.0)
    assert mw.tolist() == [1000.0, 0.0]


# ------------------------------------------------------------------------------------------
# UNKNOWN, ranking and restrictions
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("known", [0.0, 2.5, 9.9, 10.0, 50.0])
def test_an_unknown_value_never_scores_above_a_known_one(known):
    table = hand_table(a=[known, np.nan], b=[3.0, 3.0])
    scored = score(table, {"a": 0.5, "b": 0.5})
    assert scored["score"].iloc[1] <= scored["score"].iloc[0]
    assert scored["contrib_a"].iloc[1] == 0.0
    assert np.isnan(scored["suit_a"].iloc[1])
    assert scored["unknown_indicators"].iloc[1] == "a"
    assert scored["known_weight"].iloc[1] == pytest.approx(0.5)


def test_an_unknown_county_ranks_below_its_twin_and_its_card_says_unknown():
    weights = {"svi_overall_pct": 0.5, "nri_risk_national_pct": 0.5}
    table = hand_table(svi_overall_pct=[0.4, np.nan], nri_risk_national_pct=[0.1, 0.1])
    transforms = {name: Transform(kind="linear", best=0.0, worst=1.0) for name in weights}
    ranked = screen.rank_counties(score(table, weights, transforms))
    assert ranked["fips"].tolist() == ["00001", "00002"]
    assert "UNKNOWN svi_overall_pct" in screen.reasons(ranked.iloc[1].to_dict(), weights)


def test_ranks_follow_the_score_with_ties_by_fips_and_excluded_last():
    ban = ExclusionRule(name="ban", kind="indicator", indicator="county_dc_ban", above=0.5)
    table = hand_table(a=[5.0, 0.0, 5.0, 0.0], county_dc_ban=[0.0, 1.0, np.nan, 0.0])
    ranked = screen.rank_counties(score(table, {"a": 1.0}, rules=(ban,)))
    assert ranked["fips"].tolist() == ["00004", "00001", "00003", "00002"]
    assert ranked["rank"].iloc[:3].tolist() == [1, 2, 3]
    assert pd.isna(ranked["rank"].iloc[3])
    assert ranked["excluded"].iloc[3] == "ban"


def test_the_spec_excludes_a_ban_and_halves_a_moratorium(spec):
    columns = ["county_dc_ban", "county_dc_moratorium", "pop_density_per_km2"]
    rules, skipped = screen.screen_rules(spec, columns)
    by_name = {r.indicator: r for r in rules}
    assert by_name["county_dc_ban"].mode == "exclude"
    assert by_name["county_dc_moratorium"].mode == "penalise"
    assert any("not checked" in note and "lakes" in note for note in skipped)
    assert "pop_density_per_km2" not in by_name  # a tract rule, not a county one
    assert any("tract density" in note and "not checked" in note for note in skipped)
    table = hand_table(
        a=[0.0, 0.0, 0.0, 0.0],
        county_dc_ban=[0.0, 1.0, 0.0, np.nan],
        county_dc_moratorium=[1.0, 0.0, 0.0, np.nan],
        pop_density_per_km2=[10.0, 10.0, 10.0, 10.0],
    )
    scored = score(table, {"a": 1.0}, rules=rules)
    assert scored["score"].iloc[0] == pytest.approx(0.5)
    assert "moratorium" in scored["rule_flags"].iloc[0]
    assert np.isnan(scored["score"].iloc[1])
    assert scored["score"].iloc[2] == pytest.approx(1.0)
    assert scored["score"].iloc[3] == pytest.approx(1.0)  # unknown: not tested, not excluded


# ------------------------------------------------------------------------------------------
# weights
# ------------------------------------------------------------------------------------------


def test_weights_come_from_the_spec_and_sum_to_one(spec):
    weights, notes = screen.screen_weights(spec)
    assert sum(weights.values()) == pytest.approx(1.0)
    assert set(weights) <= set(screen.INDICATOR_BY_NAME)
    ratio = weights["svi_overall_pct"] / weights["time_to_power_p50_months"]
    assert ratio == pytest.approx(
        spec.weights["svi_overall_pct"] / spec.weights["time_to_power_p50_months"]
    )
    text = "\n".join(notes)
    assert "queue_active_mw_poi_nearby 0.050 → not scored" in text
    assert "connection_cost_musd 0.200 → generation_nearby_mw" in text and "PROXY" in text


def test_a_spec_weighting_nothing_the_screen_knows_is_refused(spec):
    odd = dataclasses.replace(spec, weights={"queue_active_mw_poi_nearby": 1.0})
    with pytest.raises(SpecError, match="has a county indicator"):
        screen.screen_weights(odd)


def test_an_evaporative_archetype_takes_the_wet_bulb_curves(spec):
    tower = dataclasses.replace(spec, cooling_archetype="cooling_tower")
    assert screen.transforms_for(tower)["climate_design_degc"].worst == 30.0
    assert screen.transforms_for(spec)["climate_design_degc"].worst == 45.0


def test_a_county_table_without_its_columns_is_an_error(tmp_path):
    path = tmp_path / "counties.csv"
    pd.DataFrame({"fips": ["18001"], "county_name": ["Adams County"]}).to_csv(path, index=False)
    with pytest.raises(DataError, match="land_area_km2"):
        screen.read_county_table(path)


# ------------------------------------------------------------------------------------------
# the page
# ------------------------------------------------------------------------------------------


def test_the_page_escapes_data_text_and_loads_nothing_from_the_network(spec):
    table = hand_table(**{s.name: [1.0] for s in screen.INDICATORS})
    for name in screen.CONTEXT:
        table[name] = np.nan
    table["county_name"] = ['<script>alert("x")</script>']
    table["state_abbr"] = ["IN"]
    weights, _ = screen.screen_weights(spec)
    ranked = screen.rank_counties(score(table, weights, screen.transforms_for(spec)))
    ranked["reasons"] = ["<img src=x onerror=alert(1)>"]
    shapes = json.dumps({"type": "FeatureCollection", "features": []})
    named = dataclasses.replace(spec, name="<b>campus</b>")
    page = screen.screen_map_html(ranked, shapes, weights=weights, spec=named, top_n=5)
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "<b>campus</b>" not in page and html.escape("<b>campus</b>") in page
    assert not re.search(r"<script[^>]*\bsrc=", page)
    assert not re.search(r"<link[^>]*stylesheet", page)
    data = re.search(r'<script type="application/json" id="screen-data">(.*?)</script>', page, re.S)
    assert json.loads(data.group(1))["counties"]["00001"]["name"] == '<script>alert("x")</script>'


# ------------------------------------------------------------------------------------------
# end to end on the bundled national tables
# ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def screened(tmp_path_factory):
    out = tmp_path_factory.mktemp("screen") / "national"
    result = runner.invoke(app, ["screen", "--out", str(out), "--top", "5"], catch_exceptions=False)
    return out, result


def test_the_command_ranks_every_conus_county(screened):
    out, result = screened
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out / "counties.csv", dtype={"fips": str})
    assert 3000 < len(table) < 3200 and table["fips"].is_unique
    assert not table["fips"].str[:2].isin(["02", "15", "72"]).any()
    ranked = table[table["rank"].notna()]
    assert ranked["rank"].tolist() == list(range(1, len(ranked) + 1))
    assert ranked["score"].is_monotonic_decreasing
    assert ranked["score"].between(0, 1).all()
    for line, (_, row) in zip(
        result.output.splitlines()[1:6], ranked.head(5).iterrows(), strict=True
    ):
        assert row["fips"] in line


def test_indiana_bans_are_excluded_and_elsewhere_restrictions_are_unknown(screened):
    out, _ = screened
    table = pd.read_csv(out / "counties.csv", dtype={"fips": str}).set_index("fips")
    for fips in ("18099", "18017"):  # Marshall and Cass counties, Indiana: bans
        assert pd.isna(table.loc[fips, "rank"]) and table.loc[fips, "restriction"] == "ban"
    assert table.loc["18049", "restriction"] == "moratorium"  # Fulton County
    assert table.loc["18049", "penalty_factor"] == pytest.approx(0.5)
    assert pd.isna(table.loc["17031", "restriction"])  # Cook County, IL: no list
    cards = pd.read_csv(out / "score_cards.csv", dtype={"fips": str})
    assert len(cards) == len(table) * len(screen.INDICATORS)
    unknown = cards[cards["value"].isna()]
    assert (unknown["status"] == "UNKNOWN").all() and (unknown["contribution"] == 0).all()


def test_every_column_has_units_and_proxies_are_labelled(screened):
    out, _ = screened
    table = pd.read_csv(out / "counties.csv", nrows=1)
    columns = pd.read_csv(out / "counties_columns.csv", keep_default_na=False)
    assert columns["column"].tolist() == table.columns.tolist()
    assert (columns["units"] != "").all()
    proxies = set(columns.loc[columns["proxy"] == "PROXY", "column"])
    assert {"time_to_power_p50_months", "water_draw_mm_per_yr", "pop_density_per_km2"} <= proxies
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "PROXY" in report and "not scored" in report
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert sum(manifest["weights"].values()) == pytest.approx(1.0)
    assert all(len(v["sha256"]) == 64 for v in manifest["inputs"].values())


def test_the_map_is_self_contained(screened):
    out, _ = screened
    page = (out / "map.html").read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]*\bsrc=", page)
    assert not re.search(r"<link[^>]*stylesheet", page)
    assert "L.geoJSON" in page and "PROXY" in page


def test_the_command_refuses_a_folder_that_holds_files(tmp_path):
    (tmp_path / "old.txt").write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["screen", "--out", str(tmp_path)])
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:") and "not empty" in lines[0]


def test_the_command_names_a_missing_national_table(tmp_path):
    result = runner.invoke(app, ["screen", "--out", str(tmp_path / "o"), "--data", str(tmp_path)])
    assert result.exit_code == 2
    assert "build_national.py" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "o").exists()


def test_the_bundled_national_tables_have_provenance():
    sources = pd.read_csv(DATA_DIR / "national" / "SOURCES.csv", keep_default_na=False)
    shipped = {p.name for p in (DATA_DIR / "national").iterdir()} - {"SOURCES.csv", "SOURCES.md"}
    assert {p.removeprefix("national/") for p in sources["path"]} == shipped
    assert (sources["license"] != "").all() and (sources["source"] != "").all()


def test_the_command_prints_the_top_counties_as_json(tmp_path):
    result = runner.invoke(app, ["screen", "--out", str(tmp_path / "j"), "--top", "3", "--json"])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert [c["rank"] for c in answer["counties"]] == [1, 2, 3]
    scores = [c["score"] for c in answer["counties"]]
    assert scores == sorted(scores, reverse=True)


def test_the_command_refuses_a_top_below_one(tmp_path):
    result = runner.invoke(app, ["screen", "--out", str(tmp_path / "t"), "--top", "0"])
    assert result.exit_code == 2 and "--top must be at least 1" in result.stderr
    assert not (tmp_path / "t").exists()


def test_markdown_text_cannot_open_html_but_stays_readable():
    from siting.screen import _md

    assert _md("ban > 0.5 in Allen's county") == "ban > 0.5 in Allen's county"
    assert _md("<img src=x onerror=alert(1)> | A&B") == (
        "&lt;img src=x onerror=alert(1)> \\| A&amp;B"
    )
