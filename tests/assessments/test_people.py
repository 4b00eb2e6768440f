"""People and homes near a site: counts by area, no double counting, UNKNOWN, vulnerability."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import box

from siting.assessments import people
from siting.errors import SpecError
from siting.models.apportion import apportion
from siting.spec import load_spec

CRS = "EPSG:5070"


def _grid_tracts(n: int = 6, size: float = 10_000.0, pop: float = 1000.0) -> gpd.GeoDataFrame:
    """n × n square tracts of ``size`` m, each with ``pop`` people and half as many homes."""
    geoms, ids = [], []
    for i in range(n):
        for j in range(n):
            geoms.append(box(i * size, j * size, (i + 1) * size, (j + 1) * size))
            ids.append(f"18{i:03d}{j:06d}")
    return gpd.GeoDataFrame(
        {"geoid": ids, "population": pop, "housing_units": pop / 2}, geometry=geoms, crs=CRS
    )


def _indicators(tracts, **overrides) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "svi2018_pct_us": 0.4,
            "svi2018_pct_state": 0.5,
            "dep_index_pct_us": 0.3,
            "cejst_style_disadvantaged": 0.0,
        },
        index=pd.Index(tracts["geoid"], name="geoid"),
    )
    for column, values in overrides.items():
        frame[column] = values
    return frame


def test_uniform_density_gives_people_in_proportion_to_the_circle():
    tracts = _grid_tracts()  # 10 people/km² everywhere in a 60 km square
    site = gpd.GeoSeries([box(29_000, 29_000, 31_000, 31_000)], crs=CRS)
    counts = people.counts_within(tracts, site, 1000.0)
    # a 2 km square grown by 1 km: 4 + 4·2 + π·1 km² = 15.14 km² at 10 people/km²
    assert counts["population"].iloc[0] == pytest.approx(10.0 * (12.0 + np.pi), rel=1e-3)
    assert counts["coverage"].iloc[0] == pytest.approx(1.0)


def test_a_circle_crossing_the_edge_of_the_tracts_is_unknown_not_the_partial_count():
    tracts = _grid_tracts()
    site = gpd.GeoSeries([box(500, 29_000, 2_500, 31_000)], crs=CRS)  # 0.5 km from the edge
    counts = people.counts_within(tracts, site, 3000.0)
    assert counts["coverage"].iloc[0] < 0.9
    assert np.isnan(people.known_where_covered(counts, "population").iloc[0])
    assert counts["population"].iloc[0] > 0  # only as a lower bound


def test_the_buffers_and_counts_of_many_distances_are_those_of_one_distance_at_a_time():
    tracts = _grid_tracts()
    tracts.loc[tracts["geoid"] == "18001000002", "population"] = np.nan  # unknown nearby
    sites = gpd.GeoSeries(
        [box(500, 29_000, 2_500, 31_000), box(29_000, 29_000, 31_000, 31_000), box(0, 0, 1, 1)],
        index=[7, 3, 5],
        crs=CRS,
    )
    distances = [1000.0, 0.0, 305.0, 12_000.0, 1000.0, 3 * people.METRES_PER_MILE]
    zones = people.buffers_at(sites, distances)
    assert list(zones) == [1000.0, 0.0, 305.0, 12_000.0, 3 * people.METRES_PER_MILE]
    counts = people.counts_at(tracts, zones)
    for d in distances:
        alone = people.buffers(sites, d)
        assert (shapely.to_wkb(zones[d].to_numpy()) == shapely.to_wkb(alone.to_numpy())).all()
        pd.testing.assert_frame_equal(
            counts[d], people.counts_within(tracts, sites, d), check_exact=True
        )
    assert np.isnan(counts[12_000.0]["population"].loc[3])  # reaches the unknown tract
    assert counts[12_000.0]["coverage"].loc[7] < 1.0 and counts[0.0]["population"].loc[5] > 0


def test_overlapping_circles_are_counted_once_in_the_union():
    tracts = _grid_tracts()
    sites = gpd.GeoSeries(
        [box(20_000, 29_000, 22_000, 31_000), box(30_000, 29_000, 32_000, 31_000)], crs=CRS
    )
    shared, note = people.shared_people(tracts, sites)
    each = people.counts_within(tracts, sites, 10_000.0)["population"]
    circles = people.buffers(sites, 10_000.0)
    lens = gpd.GeoSeries([circles.iloc[0].intersection(circles.iloc[1])], crs=CRS)
    overlap = apportion(tracts, lens)
    union = each.sum() - overlap["population"].iloc[0]
    assert shared.tolist() == pytest.approx([overlap["population"].iloc[0]] * 2, rel=1e-6)
    assert shared.iloc[0] > 0
    assert f"{union:,.0f} people" in note and "counted once" in note


def test_a_site_with_no_neighbour_shares_nobody():
    tracts = _grid_tracts()
    shared, _ = people.shared_people(tracts, gpd.GeoSeries([box(0, 0, 1, 1)], crs=CRS))
    assert shared.tolist() == [0.0]


def test_vulnerability_is_weighted_by_the_people_each_tract_brings():
    tracts = _grid_tracts()
    tracts.loc[tracts["geoid"] == "18002000002", "population"] = 9000.0  # a dense tract
    svi = np.where(tracts["geoid"] == "18002000002", 0.9, 0.2)
    indicators = _indicators(tracts, svi2018_pct_us=svi)
    site = gpd.GeoSeries([box(24_000, 24_000, 26_000, 26_000)], crs=CRS)
    out = people.vulnerability(tracts, indicators, site)
    zone = people.buffers(site, people.AFFECTED_MI * people.METRES_PER_MILE)
    share = tracts.geometry.intersection(zone.iloc[0]).area / tracts.geometry.area
    w = share * tracts["population"]
    expected = float((w * svi).sum() / w.sum())
    assert out["svi_pctile"].iloc[0] == pytest.approx(expected, rel=1e-9)
    assert expected > 0.2 + 0.1  # the dense tract pulls the mean up: not a plain tract mean
    state = float((tracts["population"] * svi).sum() / tracts["population"].sum())
    assert out["svi_ratio_state"].iloc[0] == pytest.approx(expected / state, rel=1e-9)
    assert out["svi_ratio_us"].iloc[0] == pytest.approx(expected / 0.5)


def test_a_tract_with_missing_svi_makes_the_site_unknown_never_low():
    tracts = _grid_tracts()
    svi = np.where(tracts["geoid"] == "18002000002", np.nan, 0.2)
    site = gpd.GeoSeries([box(24_000, 24_000, 26_000, 26_000)], crs=CRS)
    out = people.vulnerability(tracts, _indicators(tracts, svi2018_pct_us=svi), site)
    assert np.isnan(out["svi_pctile"].iloc[0])
    assert np.isnan(out["svi_ratio_state"].iloc[0])


@pytest.mark.parametrize(
    ("flags", "expected"),
    [({"18002000002": 1.0}, 1.0), ({}, 0.0), ({"18002000002": np.nan}, np.nan)],
)
def test_cejst_style_any(flags, expected):
    tracts = _grid_tracts()
    column = np.array([flags.get(g, 0.0) for g in tracts["geoid"]], dtype=float)
    site = gpd.GeoSeries([box(24_000, 24_000, 26_000, 26_000)], crs=CRS)
    out = people.vulnerability(tracts, _indicators(tracts, cejst_style_disadvantaged=column), site)
    assert out["cejst_style_any"].iloc[0] == pytest.approx(expected, nan_ok=True)


def test_median_distance_of_a_uniform_disc():
    # people spread evenly over rings 0–10 km: cumulative ∝ d², median at 10/√2 km
    d = np.array(people.CURVE_KM)
    assert people.median_distance_km(np.array([d**2]))[0] == pytest.approx(10 / np.sqrt(2), 0.01)


def test_the_default_run_reports_people_and_homes(default_run):
    sites = default_run.sites
    for column in ("population_3km", "population_10km", "homes_in_setback", "svi_pctile"):
        assert column in sites.columns
    first = sites.iloc[0]
    rings = [first[f"population_ring_{r}km"] for r in ("0_1", "1_3", "3_5", "5_10")]
    assert sum(rings) == pytest.approx(first["population_10km"], rel=1e-6)
    assert first["population_1mi"] < first["population_3mi"] < first["population_5mi"]
    assert 0 <= first["homes_in_setback"] < first["housing_units_1km"]
    assert "Cumulative view" in (default_run.out_dir / "report.md").read_text()


def _overlay_count(tracts: gpd.GeoDataFrame, zone, column: str) -> float:
    """Area-weighted count of one zone with plain geopandas.overlay, no shared code."""
    frame = tracts[[column, "geometry"]].assign(tract_area=tracts.geometry.area)
    cut = gpd.overlay(frame, gpd.GeoDataFrame(geometry=[zone], crs=tracts.crs))
    return float((cut[column] * cut.geometry.area / cut["tract_area"]).sum())


def test_a_real_site_agrees_with_an_overlay_on_the_raw_tracts(indiana_inputs, default_run):
    """Rank 1 of the default run, its own polygon, against geopandas.overlay: within 1 %."""
    tracts = indiana_inputs.tracts
    site = default_run.sites.geometry.iloc[:1].to_crs(tracts.crs)
    for metres, column in [(1609.344, "population"), (3000.0, "housing_units")]:
        ours = people.counts_within(tracts, site, metres)[column].iloc[0]
        circle = site.iloc[0].buffer(metres, quad_segs=256)  # finer than the model's polygon
        expected = _overlay_count(tracts, circle, column)
        assert expected > 100.0
        assert ours == pytest.approx(expected, rel=0.01)
        assert default_run.sites[
            "population_1mi" if column == "population" else "housing_units_3km"
        ].iloc[0] == pytest.approx(expected, rel=0.01)


def test_the_default_setback_is_1000_ft_and_a_user_spec_may_change_it(tmp_path):
    assert load_spec().impacts.setback_m == 305.0
    path = tmp_path / "spec.toml"
    path.write_text("[impacts]\nsetback_m = 500.0\n")
    assert load_spec(path).impacts.setback_m == 500.0


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("[impacts]\nsetback_m = 0.0\n", "setback_m"),
        ("[impacts]\nsetback_m = 'far'\n", "setback_m"),
        ("[impacts]\nsetback_ft = 1000.0\n", "setback_ft"),
    ],
)
def test_an_impossible_impacts_section_is_refused(tmp_path, text, match):
    path = tmp_path / "spec.toml"
    path.write_text(text)
    with pytest.raises(SpecError, match=match):
        load_spec(path)
