"""End to end on the embedded bundle: properties of the result, not numbers from an earlier run."""

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import rasterio
import rasterio.features

from siting.bundle import sha256
from siting.pipeline import run
from siting.spec import load_spec
from tests.conftest import DATA_DIR

REQUIRED_COLUMNS = [
    "rank",
    "site_id",
    "score",
    "area_km2",
    "county",
    "centroid_lon",
    "centroid_lat",
]


def test_run_writes_every_output(default_run):
    out = default_run.out_dir
    for name in (
        "sites.gpkg",
        "sites.csv",
        "sites.geojson",
        "score.tif",
        "suitability.tif",
        "manifest.json",
        "report.md",
        "exclusions.csv",
        "indicators.csv",
    ):
        assert (out / name).is_file(), name
    assert default_run.map_path.is_file()
    assert {row[0] for row in pyogrio.list_layers(out / "sites.gpkg")} >= {"sites", "excluded"}
    assert not list(out.parent.glob(".*partial*")), "no staging folder left behind"


def test_sites_schema_counts_and_ranges(default_run):
    spec = load_spec()
    sites = gpd.read_file(default_run.out_dir / "sites.gpkg", layer="sites")
    assert sites.crs.to_epsg() == 5070
    assert list(sites.columns[:4]) == ["rank", "site_id", "score", "area_km2"]
    assert set(REQUIRED_COLUMNS) <= set(sites.columns)
    assert 5 <= len(sites) <= spec.candidates.count
    assert sites["rank"].tolist() == list(range(1, len(sites) + 1))
    assert sites["site_id"].is_unique
    assert sites["score"].between(0, 1).all()
    assert sites["score"].is_monotonic_decreasing
    assert (sites["area_km2"] >= spec.required_area_km2).all()
    assert (sites.geometry.area / 1e6 >= spec.required_area_km2 - 1e-6).all()
    for name in spec.weights:
        assert sites[f"suit_{name}"].between(0, 1).all()
    contributions = sites[[f"contrib_{n}" for n in spec.weights]].sum(axis=1)
    assert (sites["penalty_score"] <= 0).all()
    np.testing.assert_allclose(sites["score"], contributions + sites["penalty_score"], rtol=1e-4)
    assert (sites["proxy_indicators"].str.contains("water_draw_mm_per_yr")).all()


def test_sites_avoid_exclusions_and_each_other(default_run):
    sites = gpd.read_file(default_run.out_dir / "sites.gpkg", layer="sites")
    with rasterio.open(default_run.out_dir / "score.tif") as src:
        score = src.read(1)
        labels = rasterio.features.rasterize(
            ((g, i + 1) for i, g in enumerate(sites.geometry)),
            out_shape=score.shape,
            transform=src.transform,
        )
    assert np.isfinite(score[labels > 0]).all(), "a site covers an excluded cell"
    cell_km2 = (src.res[0] / 1000) ** 2
    counts = np.bincount(labels.ravel(), minlength=len(sites) + 1)[1:]
    np.testing.assert_allclose(counts * cell_km2, sites["area_km2"])  # no overlaps, nothing lost
    spacing_m = load_spec().candidates.min_spacing_km * 1000
    for i in range(len(sites)):
        others = sites.geometry.drop(index=i)
        assert others.distance(sites.geometry.iloc[i]).min() >= spacing_m


def test_manifest_names_spec_inputs_and_outputs(default_run):
    manifest = json.loads((default_run.out_dir / "manifest.json").read_text())
    assert {"tool_version", "spec", "inputs", "outputs", "weights"} <= set(manifest)
    assert {"git_commit", "libraries", "spec_as_given", "bundle", "output_sha256"} <= set(manifest)
    assert manifest["libraries"]["numpy"] == np.__version__
    assert manifest["spec_as_given"]["note"] == "the shipped default spec"
    for name, rel in manifest["outputs"].items():
        path = Path(rel) if Path(rel).is_absolute() else default_run.out_dir / rel
        if name != "map":
            assert manifest["output_sha256"][name] == sha256(path), name
    assert manifest["output_sha256"]["map"] == sha256(default_run.map_path)
    assert manifest["spec"]["derived"]["required_area_km2"] > 0
    assert {"sites", "score", "map"} <= set(manifest["outputs"])
    for record in manifest["inputs"]:
        assert {"path", "sha256", "source", "license", "tag"} <= set(record)
        assert record["sha256"] == sha256(DATA_DIR / record["path"].split(":")[0])
    assert "water_draw_mm_per_yr" in manifest["proxy_or_synthetic_indicators"]


def test_report_labels_proxies_and_unknowns(default_run):
    text = (default_run.out_dir / "report.md").read_text()
    assert "Proxy or synthetic indicators in this run: " in text
    assert (
        "queue_active_mw_county"
        in text.split("Proxy or synthetic indicators in this run: ")[1].splitlines()[0]
    )


def test_same_spec_gives_identical_sites_csv(default_run, tmp_path):
    again = run(
        load_spec(), out_dir=tmp_path / "again", maps_dir=tmp_path / "maps", data_dir=DATA_DIR
    )
    first = (default_run.out_dir / "sites.csv").read_bytes()
    assert (again.out_dir / "sites.csv").read_bytes() == first
    assert len(pd.read_csv(again.out_dir / "sites.csv")) == len(default_run.sites)


INTERCONNECTION_COLUMNS = [
    "line_distance_km",
    "substation_distance_km",
    "lines_at_required_kv",
    "interconnect_cost_musd_low",
    "interconnect_cost_musd_high",
    "needs_new_line",
    "connection_adequate",
    "new_line_route_mi",
    "nearby_generation_mw",
]


def test_sites_carry_the_interconnection_estimate(default_run):
    sites = gpd.read_file(default_run.out_dir / "sites.gpkg", layer="sites")
    assert set(INTERCONNECTION_COLUMNS) <= set(sites.columns)
    assert sites["needs_new_line"].dtype == bool
    known = sites["interconnect_cost_musd_low"].notna()
    assert known.all(), "every Indiana site has a costed connection"
    assert (sites["interconnect_cost_musd_low"] > 0).all()
    assert (sites["interconnect_cost_musd_high"] >= sites["interconnect_cost_musd_low"]).all()
    assert (sites["new_line_route_mi"] >= 0).all()
    # a site with no new line has an adequate connection within the substation-only distance
    no_line = ~sites["needs_new_line"]
    assert sites.loc[no_line, "connection_adequate"].all()
    limit = load_spec().interconnection.substation_only_max_km
    assert (sites.loc[no_line, "connection_distance_km"] <= limit).all()
    assert sites["cost_region"].str.startswith("MISO").all()  # Indiana: MISO, PJM via MISO


def test_site_distances_agree_with_geopandas(default_run, indiana_inputs):
    """A site's distance is from its nearest cell: within one cell diagonal of the exact
    distance from the site's polygon (geopandas) to the same qualifying lines and points."""
    spec = load_spec()
    sites = gpd.read_file(default_run.out_dir / "sites.gpkg", layer="sites")
    network = indiana_inputs.network
    kv = spec.interconnection_voltage_kv
    lines = network.lines[network.lines["kv"] >= kv].geometry.union_all()
    points = network.points[network.points["max_kv"] >= kv].geometry.union_all()
    diagonal_km = spec.region.resolution_m * 2**0.5 / 1000
    for column, features in (("line_distance_km", lines), ("substation_distance_km", points)):
        exact_km = sites.geometry.distance(features) / 1000
        assert (np.abs(sites[column] - exact_km) <= diagonal_km + 1e-6).all(), column
    # the estimate measures exactly, from the site's edge, to one of the same features
    loop_in = (sites["connection_kind"] == "loop-in of a line").to_numpy()
    exact_km = np.where(loop_in, sites.geometry.distance(lines), sites.geometry.distance(points))
    assert (sites["connection_distance_km"] >= exact_km / 1000 - 1e-6).all()


def test_outputs_explain_the_interconnection_estimate(default_run):
    manifest = json.loads((default_run.out_dir / "manifest.json").read_text())
    (assessment,) = [a for a in manifest["assessments"] if a["name"] == "interconnection"]
    assert assessment["units"]["interconnect_cost_musd_low"].startswith("M$ (2024 US$")
    assert any("DERIVED" in note for note in assessment["notes"])
    paths = {record["path"] for record in manifest["inputs"]}
    assert {
        "indiana.gpkg:transmission_lines",
        "indiana.gpkg:iso_regions",
        "tables/eia_power_plants_202311_indiana_region.csv",
    } <= paths
    report = (default_run.out_dir / "report.md").read_text()
    assert "## Assumptions: interconnection" in report
    assert "distance from the site's nearest cell" in report
    page = default_run.map_path.read_text()
    assert "Connection points (DERIVED from line ends, by highest kV)" in page
    assert "interconnect_cost_musd_low" in page  # in the site popups


def test_sites_report_campus_demand(default_run):
    spec = load_spec()
    sites = gpd.read_file(default_run.out_dir / "sites.gpkg", layer="sites")
    for column in (
        "pue_annual",
        "peak_demand_mw",
        "energy_mwh_per_yr",
        "water_site_m3_per_yr",
        "water_indirect_m3_per_yr",
    ):
        assert sites[column].notna().all(), column
    assert sites["pue_annual"].between(1.0, 1.5).all()
    assert (sites["pue_design"] >= sites["pue_annual"]).all()
    np.testing.assert_allclose(sites["peak_demand_mw"], spec.it_capacity_mw * sites["pue_design"])
    assert (sites["water_indirect_m3_per_yr"] > 0).all()
    # The site's own model year and the scored lattice indicator agree closely.
    np.testing.assert_allclose(sites["pue_annual"], sites["pue_annual_cell"], atol=0.005)


def test_manifest_lists_the_weather_and_grid_mix_inputs(default_run):
    manifest = json.loads((default_run.out_dir / "manifest.json").read_text())
    paths = {record["path"] for record in manifest["inputs"]}
    assert {
        "weather/USA_IN_Indianapolis.Intl.AP.724380_TMY3.epw",
        "weather/IL-Chicago_Ohare_Intl_Ap_725300.tmy3",
        "egrid/epa_power_profiler_egrid2023_subregions_near.geojson",
    } <= paths
    demand = next(a for a in manifest["assessments"] if a["name"].startswith("campus demand"))
    assert demand["units"]["peak_demand_mw"] == "MW"
    assert any("Macknick" in note for note in demand["notes"])


def test_map_numbers_the_sites_and_labels_proxies(default_run):
    page = default_run.map_path.read_text()
    for rank in default_run.sites["rank"]:
        assert f"\\u003e{rank}\\u003c/div\\u003e" in page  # JSON-escaped DivIcon html
    assert "PROXY data: " in page and "water_draw_mm_per_yr" in page
    assert "Transmission lines</b>" in page


def test_every_site_column_has_units_and_a_source(default_run):
    sites = pd.read_csv(default_run.out_dir / "sites.csv")
    columns = pd.read_csv(default_run.out_dir / "sites_columns.csv", keep_default_na=False)
    assert columns["column"].tolist() == sites.columns.tolist()
    assert (columns["source"] != "").all()
    assert columns.loc[columns["column"] == "water_draw_mm_per_yr", "proxy"].item()


def test_an_undescribed_column_is_refused():
    from siting.report import column_dictionary

    table = pd.DataFrame({"rank": [1], "mystery_value": [3.0]})
    indicators = pd.DataFrame(columns=["indicator", "units", "title", "source"])
    with pytest.raises(ValueError, match=r"without units or source: \['mystery_value'\]"):
        column_dictionary(table, indicators, ())


def test_a_user_spec_is_recorded_as_given(tmp_path):
    from siting.manifest import spec_as_given

    path = tmp_path / "mine.toml"
    path.write_text("[candidates]\ncount = 3\n", encoding="utf-8")
    given = spec_as_given(load_spec(path))
    assert given["text"] == "[candidates]\ncount = 3\n"
    assert given["sha256"] == sha256(path)


def test_run_ids_differ_for_runs_started_in_the_same_second(indiana_inputs):
    import datetime as dt

    from siting.manifest import make_run_id

    now = dt.datetime(2026, 12, 2, 14, 0, 0)
    ids = {make_run_id(load_spec(), indiana_inputs.bundle, now) for _ in range(20)}
    assert len(ids) == 20
    assert all(i.startswith("20261202-140000-") for i in ids)


# ---------------------------------------------------------------------------------------------
# a region of two states (the synthetic fixture bundle)
# ---------------------------------------------------------------------------------------------


def test_two_state_run_finds_sites_in_both_states(two_state_run):
    sites = two_state_run.sites
    assert set(sites["county_fips"].str[:2]) == {"18", "39"}
    assert (
        sites["site_id"].str[:2] == sites["county_fips"].str[:2].map({"18": "IN", "39": "OH"})
    ).all()
    manifest = two_state_run.manifest
    assert manifest["bundle"]["states"] == ["IN", "OH"]
    assert {r["tag"] for r in manifest["inputs"]} == {"synthetic"}


def test_two_state_counties_queues_and_restrictions_stay_in_their_state(two_state_inputs):
    counties = two_state_inputs.counties.table.set_index("fips")
    assert counties["state"].to_dict() == {
        "18001": "IN",
        "18003": "IN",
        "39001": "OH",
        "39003": "OH",
    }
    # the GridWatch restrictions file covers Indiana: its "Allen" is 18003, not Ohio's 39003
    assert two_state_inputs.county_restrictions["fips"].tolist() == ["18003"]
    # queue requests naming "adams" join the Adams of their own state
    active = two_state_inputs.region_queue.congestion["queue_active_mw"]
    assert active.to_dict() == {"18001": 400.0, "18003": 300.0, "39001": 1200.0, "39003": 0.0}
    assert set(two_state_inputs.region_queue.county_join) == {"IN", "OH"}


def test_two_state_site_columns_come_from_each_sites_own_state(two_state_run):
    sites = two_state_run.sites
    ohio = sites["county_fips"].str.startswith("39")
    assert (sites.loc[ohio, "egrid_subregion"] == "EAST").all()
    assert (sites.loc[~ohio, "egrid_subregion"] == "WEST").all()
    assert (sites.loc[ohio, "iso_region"] == "PJM").all()
    assert (sites.loc[~ohio, "iso_region"] == "MISO").all()
    # the Indiana Allen ban excludes its cells; Ohio's Allen is not banned
    assert "18003" not in set(sites["county_fips"])
    ledger = two_state_run.ledger.set_index("rule")
    assert ledger.loc["county data-center ban", "area_km2"] == pytest.approx(1800.0)


# ---------------------------------------------------------------------------------------------
# exclusions, setbacks and flags as data
# ---------------------------------------------------------------------------------------------


def test_excluded_layer_has_one_feature_per_rule(default_run):
    excluded = gpd.read_file(default_run.out_dir / "sites.gpkg", layer="excluded")
    ledger = default_run.ledger.set_index("rule")
    checked = [
        r.name for r in load_spec().exclusions if ledger.loc[r.name, "mode"] != "not checked"
    ]
    assert excluded["rule"].tolist() == checked
    for _, row in excluded.iterrows():
        assert row["area_km2"] == pytest.approx(ledger.loc[row["rule"], "area_km2"])
        assert row.geometry.area / 1e6 == pytest.approx(row["area_km2"], rel=1e-6)


def test_the_ledger_adds_up_in_sequence(default_run):
    ledger = default_run.ledger.set_index("rule")
    removing = ledger[ledger["mode"] == "exclude"].drop(index="all rules")
    assert removing["in_sequence_km2"].sum() == pytest.approx(ledger.loc["all rules", "area_km2"])
    assert (removing["only_this_rule_km2"] <= removing["area_km2"] + 1e-9).all()
    # tract density is unknown on water-only tracts and where no tract lies: excluded, counted
    assert ledger.loc["dense settlement (tract density > 400 people/km²)", "unknown_km2"] > 0
    report = (default_run.out_dir / "report.md").read_text()
    assert "in_sequence_km2" in report and "homes setback" in report


def test_sites_stay_off_the_right_of_way_and_the_moratorium_is_a_penalty(default_run):
    sites = default_run.sites
    assert (sites["line_distance_km"] > 0).all(), "no site on a line's right of way"
    ledger = default_run.ledger.set_index("rule")
    assert ledger.loc["county data-center moratorium", "mode"] == "penalise 0.5"
    assert ledger.loc["protected land (PAD-US fee, coarse H3 cells)", "mode"] == "flag"
    restricted = sites["county_restriction"]
    assert set(restricted) <= {"not listed", "moratorium"}  # bans are excluded
    assert (sites.loc[restricted == "moratorium", "penalty_score"] < 0).all()


def test_every_study_area_cell_has_a_county(indiana_inputs):
    cells = indiana_inputs.counties.cells
    assert (cells[indiana_inputs.study_mask] >= 0).all()
    assert indiana_inputs.counties.filled_cells > 0  # the generalised outlines leave slivers


def test_rules_without_data_are_reported_not_checked(two_state_run):
    ledger = two_state_run.ledger.set_index("rule")
    assert ledger.loc["rivers", "mode"] == "not checked"
    assert "has no layer 'rivers'" in ledger.loc["rivers", "note"]
    assert np.isnan(ledger.loc["rivers", "area_km2"])
