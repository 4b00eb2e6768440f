"""Plain-language statements about a site: numbers, units, sources, and UNKNOWN when missing."""

from __future__ import annotations

import math

import pytest

from siting import summary
from siting.summary import site_statements

#: A site row holding every column the statements read, with figures worked by hand below.
SITE = {
    "county": "Hancock",
    "peak_demand_mw": 1232.13,
    "energy_mwh_per_yr": 7_587_820.0,
    "pue_annual": 1.0827,
    "weather_station": "Indianapolis Intl Ap ",
    "weather_station_km": 50.9,
    "campus_peak_share_of_utility_peak": 13.525,
    "utility_eia_name": "Ninestar Connect",
    "utility_peak_mw": 91.1,
    "time_to_power_p50_months_site": 52.6,
    "time_to_power_p90_months": 97.8,
    "p_meets_target_year": 0.4232,
    "time_to_power_need": "substation only",
    "water_site_mgd": 0.101373,
    "water_site_share_nonpower_pct": 1.513,
    "water_indirect_mgd": 10.2818,
    "co2_t_per_yr": 3_274_440.0,
    "nox_t_per_yr": 1516.1,
    "so2_t_per_yr": 1480.2,
    "egrid_subregion": "RFCW",
    "energy_cost_musd_per_yr": 1151.96,
    "utility_avg_price_cents_per_kwh": 15.18,
    "population_1mi": 1432.4,
    "population_3mi": 9876.0,
    "population_5mi": 52_512.0,
    "housing_units_1mi": 590.2,
    "population_median_distance_km": 6.44,
    "homes_in_setback": 13.4,
    "homes_in_site": 41.0,
    "svi_pctile": 0.352,
    "svi_ratio_state": 0.81,
    "cejst_style_any": 0.0,
    "noise_45dba_km": 2.54,
    "homes_in_45dba": 812.0,
    "construction_peak_jobs_low": 3000.0,
    "construction_peak_jobs_high": 6400.0,
    "permanent_jobs_low": 450.0,
    "permanent_jobs_high": 900.0,
    "nri_risk_pctile": 0.17,
    "nri_eal_pctile": 0.49,
    "hurricane_storms_100km": 2,
    "land_converted_acres": 1000.0,
    "land_cover_majority": "unknown",
    "county_restriction": "not listed",
    "warming_high_degc": 2.5,
    "peak_demand_warm_high_mw": 1277.6,
}


def _by_topic(site, **options):
    return {s.topic: s for s in site_statements(site, **options)}


def test_every_topic_speaks_with_numbers_units_and_a_source():
    said = _by_topic(SITE, target_year=2030, setback_m=304.8)
    assert list(said) == [t for t, _ in summary.TOPICS]
    for s in said.values():
        assert "{" not in s.text and "}" not in s.text, s.text
        assert s.source and s.confidence in summary.CONFIDENCE
    # 7,587,820 MWh/yr × 1,000 kWh/MWh / 10,791 kWh per home = 703,162 homes → 700,000
    assert "7.59 TWh a year" in said["power"].text
    assert "roughly 700,000 average U.S. homes" in said["power"].text
    # peak 13.5 × the utility's: a multiple, not "1,350 %"
    assert "14 times the peak demand" in said["power"].text
    assert (
        "4.4 years (53 months" in said["time"].text and "8.2 years (98 months)" in said["time"].text
    )
    assert "42 in 100" in said["time"].text and "end of 2030" in said["time"].text
    assert "101,000 gallons of water a day" in said["water"].text
    assert "3.27 million tonnes of CO2" in said["emissions"].text
    assert "1,400 people live within 1 mile" in said["people"].text
    assert "53,000 within 5 miles" in said["people"].text
    assert "1,000 ft (300 m)" in said["setback"].text and "13 homes" in said["setback"].text
    assert "35th national percentile" in said["vulnerability"].text
    assert "No nearby tract meets CEJST-style" in said["vulnerability"].text
    assert "2.5 km" in said["noise"].text and "810 homes" in said["noise"].text
    assert "3,000 to 6,400 workers" in said["jobs"].text
    assert "17th national percentile" in said["hazards"].text
    assert said["land"].confidence == "unknown" and "UNKNOWN" in said["land"].text


@pytest.mark.parametrize(
    ("column", "topic"),
    [
        ("population_1mi", "people"),
        ("homes_in_setback", "setback"),
        ("svi_pctile", "vulnerability"),
        ("co2_t_per_yr", "emissions"),
        ("nri_risk_pctile", "hazards"),
        ("permanent_jobs_low", "jobs"),
        ("time_to_power_p90_months", "time"),
    ],
)
def test_a_missing_figure_is_unknown_and_never_a_number(column, topic):
    site = SITE | {column: math.nan}
    said = _by_topic(site)[topic]
    assert said.confidence == "unknown"
    assert "UNKNOWN" in said.text
    assert not any(ch.isdigit() for ch in said.text), said.text
    gone = {k: v for k, v in SITE.items() if k != column}
    assert "not computed in this run" in _by_topic(gone)[topic].text


def test_a_partial_count_is_a_lower_bound_not_the_count():
    site = SITE | {"population_5mi": math.nan, "population_5mi_at_least": 31_200.0}
    said = _by_topic(site)["people"]
    assert said.confidence == "unknown"
    assert said.text.startswith("At least 31,000 people") and "UNKNOWN" in said.text


def test_noise_contour_without_homes_says_their_number_is_unknown():
    said = _by_topic(SITE | {"homes_in_45dba": math.nan})["noise"]
    assert "2.5 km" in said.text and "an UNKNOWN number of homes" in said.text


def test_a_listed_restriction_is_named_with_its_detail():
    site = SITE | {"county_restriction": "moratorium", "county_restriction_detail": "until 2027"}
    said = _by_topic(site)["rules"]
    assert said.text == (
        "Local rules: Hancock County has a data-center moratorium on record (until 2027)."
    )


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.0185, "2nd"),
        (0.11, "11th"),
        (0.12, "12th"),
        (0.21, "21st"),
        (0.913, "91st"),
        (1, "100th"),
    ],
)
def test_ordinals(value, text):
    assert summary.ordinal(value) == text


def test_every_language_has_every_phrase():
    keys = set(summary.PHRASES["en"])
    assert all(set(p) == keys for p in summary.PHRASES.values())
    assert set(summary.GLOSSARY) == set(summary.PHRASES)


def test_an_unknown_cejst_flag_is_said_to_be_unknown_not_left_out():
    """NaN means no tract with data meets the thresholds but some tracts have none: silence
    would read as "none", the favourable answer."""
    said = _by_topic(SITE | {"cejst_style_any": math.nan})["vulnerability"]
    assert "CEJST-style thresholds is UNKNOWN" in said.text
    assert "No nearby tract" not in said.text
    flagged = _by_topic(SITE | {"cejst_style_any": 1.0})["vulnerability"]
    assert "At least one nearby tract meets" in flagged.text
