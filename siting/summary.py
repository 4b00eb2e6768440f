"""What a campus would mean at a site, in plain sentences with numbers, units and sources.

:func:`site_statements` turns one row of the site table into :class:`Statement` records, one a
topic (power, time to power, water, emissions, people, vulnerability, noise, jobs, hazards,
land, local rules, warming). Every statement carries its source and a confidence:

- ``measured``: counted or reported by the source (census counts, a county's rules);
- ``modelled``: computed here from measured inputs (campus demand, emissions, noise);
- ``proxy``: real data standing in for what is not measured (queue times of generators for a
  load, county water withdrawals for stress);
- ``unknown``: the data is missing; the sentence says so and why, and never guesses.

All wording lives in :data:`PHRASES` (one dictionary a language), so the report, the community
page and ``siting query`` speak alike and a translation is one new entry. :data:`GLOSSARY`
explains each term a lay reader may not know in one line.

>>> s = site_statements({"peak_demand_mw": 1232.1, "energy_mwh_per_yr": 7.59e6})
>>> s[0].text.split(";")[0]
'At its peak the campus would draw about 1,230 MW (1.23 GW) of electricity'
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

#: Average annual electricity use of a U.S. residential customer, 2022 (EIA). [kWh/yr]
HOME_KWH_PER_YR = 10_791.0
#: Litres in a U.S. gallon. [L/gal]
LITRES_PER_GALLON = 3.785411784
#: Confidence words, from firmest to weakest.
CONFIDENCE = ("measured", "modelled", "proxy", "unknown")

PHRASES: Mapping[str, Mapping[str, str]] = {
    "en": {
        "unknown": "{what}: UNKNOWN ({why}).",
        "no_column": "not computed in this run",
        "missing": "no data for this site",
        "power": (
            "At its peak the campus would draw about {peak_mw} ({peak_gw}) of electricity; "
            "it would use about {energy}, as much as roughly {homes} average U.S. homes."
        ),
        "power_utility": (
            " Its peak would be {share} the peak demand of its likely utility, {utility} "
            "({utility_peak})."
        ),
        "power_weather": (
            " Cooling energy is modelled from typical-year weather at {station}, {station_km} "
            "away (PUE {pue}: the facility uses {pue} times the power of its computers)."
        ),
        "time": (
            "Getting power connected would most likely take about {p50} years ({p50_months} "
            "months; the median estimate) and up to {p90} years ({p90_months} months) in a "
            "slow case (9 in 10 similar projects were faster); the chance of power by the end "
            "of {target_year} is about {p_target}. The connection needs {need}."
        ),
        "water": (
            "On site it would use about {site_gpd} of water a day ({site_share} of the "
            "county's non-power water withdrawals); the power plants that supply it would "
            "consume about {indirect_gpd} more, wherever they are."
        ),
        "emissions": (
            "The electricity it uses would put about {co2} of CO2 a year into the air, plus "
            "{nox} of nitrogen oxides and {so2} of sulphur dioxide, at the average rates of "
            "the {subregion} grid region (the plants that would actually run more may be "
            "dirtier or cleaner)."
        ),
        "price": (
            "Its electricity would cost about {cost} a year at the utility's average price of "
            "{price} (large customers usually pay a different tariff)."
        ),
        "people": (
            "About {p1mi} people live within 1 mile of the site, {p3mi} within 3 miles and "
            "{p5mi} within 5 miles ({h1mi} homes within 1 mile)."
        ),
        "people_at_least": (
            "At least {p5mi} people live within 5 miles of the site; the census tracts on "
            "file cover only part of that circle, so the full count is UNKNOWN."
        ),
        "setback": "{homes} homes lie within {setback} of the site's edge ({inside} inside it).",
        "distance": "Half of the people within 10 km live closer than {median}.",
        "vulnerability": (
            "The people nearby live in census tracts at the {pct} national percentile of "
            "social vulnerability on average ({ratio} times the state's average)."
        ),
        "cejst_yes": (
            " At least one nearby tract meets CEJST-style thresholds for a disadvantaged "
            "community ({basis})."
        ),
        "cejst_no": " No nearby tract meets CEJST-style thresholds ({basis}).",
        "cejst_unknown": (
            " Whether a nearby tract meets CEJST-style thresholds is UNKNOWN: none meets them "
            "on the data present, but the data do not cover every nearby tract ({basis})."
        ),
        "noise": (
            "The cooling plant would be louder than {limit} at night out to about {km} from "
            "the site's edge; {homes} homes lie inside that line."
        ),
        "jobs": (
            "Building it would employ roughly {build_lo} to {build_hi} workers at the peak of "
            "construction; once running it would keep about {perm_lo} to {perm_hi} permanent "
            "jobs. The property tax it would pay is UNKNOWN: rates and abatements are set "
            "locally and are not in the data."
        ),
        "hazards": (
            "The county's natural-hazard risk is at the {risk} national percentile of U.S. "
            "counties (expected yearly losses at the {eal} percentile)."
        ),
        "hurricanes": (
            " {storms} tropical storms or their remnants passed within 100 km since 1990 (IBTrACS)."
        ),
        "land": "It would take about {acres} of land, mostly {cover}.",
        "land_unknown": (
            "It would take about {acres} of land; what kind of land (farm, forest, "
            "developed) is UNKNOWN: no land-cover data in this run."
        ),
        "rules_listed": "Local rules: {county} has a data-center {kind} on record ({detail}).",
        "rules_none": (
            "Local rules: {county} has no data-center ban or moratorium on the curated list "
            "({as_of}; the list is partial)."
        ),
        "times": "{n} times",
        "share_of": "{pct} of",
        "need_substation only": "only a new substation at an existing line",
        "need_new line": "a new transmission line on a new right of way",
        "need_new line plus network upgrades": "a new line and upgrades to the wider grid",
        "warming": (
            "In a hotter climate (+{degc} °C) its peak draw would rise to about {peak_warm} "
            "as cooling works harder."
        ),
        "page_title": "Candidate sites for a data-center campus: {region}",
        "page_intro": (
            "This page shows where the siting tool found land that could hold a very large "
            "data-center campus ({mw} of computers), and what a campus there would mean for "
            "the people nearby. These are candidate sites of a screening study, not proposals."
        ),
        "page_card_where": (
            "{county} County. Suitability score {score} on a scale from 0 to 1 (higher means "
            "the land, power and water suit a campus better; it says nothing about whether one "
            "is planned)."
        ),
        "page_zip_prompt": "Your ZIP code",
        "page_zip_button": "Find the nearest sites",
        "page_zip_invalid": "A ZIP code has 5 digits, for example 46204; got “{zip}”.",
        "page_zip_unknown": (
            "ZIP {zip} is not among the {count} ZIP areas of this page's region ({region}); "
            "look for your area on the map instead."
        ),
        "page_zip_nearest": "Candidate sites nearest to the centre of ZIP {zip}:",
        "page_zip_site": "{site}: {km} km ({mi} miles) away",
        "page_zip_note": (
            "Distances are straight lines from the centre of the ZIP area to the centre of each "
            "site, not driving distances."
        ),
        "page_uncertainty": (
            "Every figure here is an estimate. Modelled figures are computed by this tool from "
            "measured inputs and can be off by a quarter or more; proxy figures use related "
            "data in place of what nobody has measured; UNKNOWN means the data is missing, and "
            "the page does not guess. Times to power are given as a median (P50) and a slow "
            "case (P90), not as a promise."
        ),
        "confidence_measured": "counted or reported by the source",
        "confidence_modelled": "computed by this tool from measured inputs",
        "confidence_proxy": "related data standing in for what is not measured",
        "confidence_unknown": "the data is missing",
        "query_where": "{place} ({lat}, {lon}) lies in {county} County, {state}.",
        "query_zip_place": "The centre of ZIP {zip}",
        "query_point_place": "The point",
        "query_tract": (
            "Its census tract, {tract}, is at the {svi} national percentile of social "
            "vulnerability (higher means more vulnerable); the county as a whole is at the "
            "{county_svi}."
        ),
        "query_tract_unknown": (
            "Its census tract, {tract}, has no social-vulnerability figure on file; the county "
            "as a whole is at the {county_svi} national percentile."
        ),
        "query_nearest_heading": "Candidate sites of run {run} nearest to this point:",
        "query_nearest": (
            "rank {rank}: {site}, {km} km ({mi} miles) away in {county} County, suitability "
            "score {score} (0 to 1, higher suits a campus better)"
        ),
        "query_no_sites": "The run found no candidate sites.",
        "query_context_heading": "At this point:",
        "query_proposed_heading": (
            "Proposed campus {name}: {mw} of computers, {cooling} cooling, about {acres}, in "
            "{county} County (rank {rank} of {count} in this file):"
        ),
        "query_hypothetical_heading": (
            "HYPOTHETICAL campus {name}: {mw} of computers, {cooling} cooling, about {acres}, "
            "centred at this point in {county} County. Nobody proposed it; it shows what a "
            "campus of this size would mean here:"
        ),
        "query_source": "source: {source}; confidence: {confidence} ({meaning})",
    }
}

GLOSSARY: Mapping[str, Mapping[str, str]] = {
    "en": {
        "MW": "megawatt: a million watts; 1 GW = 1,000 MW.",
        "PUE": "power usage effectiveness: total facility power over the computers' power.",
        "WUE": "water usage effectiveness: litres of water per kWh of computing energy.",
        "queue": "the line of projects waiting for a utility to study and connect them.",
        "percentile": "the share of places with a lower value: 80th = higher than 80 % of them.",
        "dBA": "decibels, A-weighted: sound as the ear hears it; +10 dBA sounds twice as loud.",
        "CEJST": "the federal Climate and Economic Justice Screening Tool's disadvantaged test.",
        "P50/P90": "half of similar projects were faster than P50, nine in ten faster than P90.",
    }
}


@dataclass(frozen=True)
class Statement:
    """One plain-language statement about a site.

    ``values`` holds the figures behind the sentence by site-table column, for ``--json``.
    """

    topic: str
    text: str
    source: str
    confidence: str
    values: Mapping[str, Any] = field(default_factory=dict)


def site_statements(
    site: Mapping[str, Any],
    *,
    target_year: int | None = None,
    setback_m: float | None = None,
    lang: str = "en",
) -> list[Statement]:
    """Plain statements about one site, in topic order; missing data is said to be UNKNOWN.

    Parameters
    ----------
    site : mapping
        One row of the site table (column → value).
    target_year : int, optional
        The spec's target energization year, for the time-to-power sentence.
    setback_m : float, optional
        The spec's homes setback distance [m].
    lang : str
        Key of :data:`PHRASES`.
    """
    words = PHRASES[lang]
    out = []
    for _topic, build in TOPICS:
        statement = build(site, words, target_year=target_year, setback_m=setback_m)
        if statement is not None:
            out.append(statement)
    return out


# ---------------------------------------------------------------------------------------------
# figures as a lay reader reads them
# ---------------------------------------------------------------------------------------------


def known(value: Any) -> bool:
    """Whether a table value is a real figure (not None, NaN or a blank)."""
    if value is None:
        return False
    if isinstance(value, str):
        return value.strip() != "" and value.strip().upper() != "UNKNOWN"
    try:
        return not math.isnan(float(value))
    except (TypeError, ValueError):
        return True


def rounded(value: float, digits: int = 3) -> str:
    """``value`` to ``digits`` significant figures with thousands separators.

    >>> rounded(1232.13), rounded(52_512.0, 2), rounded(0.1014)
    ('1,230', '53,000', '0.101')
    """
    if value == 0:
        return "0"
    magnitude = math.floor(math.log10(abs(value)))
    places = digits - 1 - magnitude
    number = round(value, places)
    return f"{number:,.{max(places, 0)}f}"


def quantity(value: float, unit: str, digits: int = 3) -> str:
    """A figure with its unit, scaled to a readable prefix for energy, mass and water.

    >>> quantity(7.59e6, "MWh/yr"), quantity(3.27e6, "t"), quantity(101_373.0, "gal/day")
    ('7.59 TWh a year', '3.27 million tonnes', '101,000 gallons')
    """
    if unit == "MWh/yr":
        if abs(value) >= 1e6:
            return f"{rounded(value / 1e6, digits)} TWh a year"
        if abs(value) >= 1e3:
            return f"{rounded(value / 1e3, digits)} GWh a year"
        return f"{rounded(value, digits)} MWh a year"
    if unit == "t":
        if abs(value) >= 1e6:
            return f"{rounded(value / 1e6, digits)} million tonnes"
        return f"{rounded(value, digits)} tonnes"
    if unit == "gal/day":
        if abs(value) >= 1e6:
            return f"{rounded(value / 1e6, digits)} million gallons"
        return f"{rounded(value, digits)} gallons"
    if unit == "months":
        return f"{rounded(value / 12.0, 2)} years ({rounded(value, 2)} months)"
    return f"{rounded(value, digits)} {unit}"


def ordinal(fraction: float) -> str:
    """A 0–1 percentile as an English ordinal percentile.

    >>> ordinal(0.0185), ordinal(0.42), ordinal(0.913), ordinal(0.111)
    ('2nd', '42nd', '91st', '11th')
    """
    n = round(100 * fraction)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def percent(fraction: float) -> str:
    """A fraction as a readable percentage (``0.135`` → ``13.5 %``, ``13.5`` → ``1,350 %``)."""
    return f"{rounded(100 * fraction, 3)} %"


def _unknown(topic: str, what: str, why: str, words, source: str) -> Statement:
    return Statement(topic, words["unknown"].format(what=what, why=why), source, "unknown")


def _missing(site: Mapping[str, Any], columns: Sequence[str], words) -> str | None:
    """Why the statement cannot be made, or None when every column has a figure."""
    if any(c not in site for c in columns):
        return words["no_column"]
    if not all(known(site[c]) for c in columns):
        return words["missing"]
    return None


def _values(site: Mapping[str, Any], columns: Sequence[str]) -> dict[str, Any]:
    return {c: site.get(c) for c in columns if c in site}


# ---------------------------------------------------------------------------------------------
# one builder a topic
# ---------------------------------------------------------------------------------------------


def _power(site, words, **_) -> Statement:
    source = "campus demand model (docs/methods.md §3.4), typical-year weather"
    cols = ("peak_demand_mw", "energy_mwh_per_yr")
    why = _missing(site, cols, words)
    if why:
        return _unknown("power", "Power demand", why, words, source)
    peak = float(site["peak_demand_mw"])
    energy = float(site["energy_mwh_per_yr"])
    text = words["power"].format(
        peak_mw=f"{rounded(peak)} MW",
        peak_gw=f"{rounded(peak / 1000.0)} GW",
        energy=quantity(energy, "MWh/yr"),
        homes=rounded(energy * 1000.0 / HOME_KWH_PER_YR, 2),
    )
    extra = ("campus_peak_share_of_utility_peak", "utility_eia_name", "utility_peak_mw")
    if not _missing(site, extra, words):
        share = float(site["campus_peak_share_of_utility_peak"])
        text += words["power_utility"].format(
            share=words["times"].format(n=rounded(share, 2))
            if share >= 1.0
            else words["share_of"].format(pct=percent(share)),
            utility=site["utility_eia_name"],
            utility_peak=f"{rounded(float(site['utility_peak_mw']))} MW, EIA-861",
        )
        source += "; serving utility from EIA-861 (docs/methods.md §4.7)"
    weather = ("weather_station", "weather_station_km", "pue_annual")
    if not _missing(site, weather, words):
        text += words["power_weather"].format(
            station=str(site["weather_station"]).strip(),
            station_km=f"{rounded(float(site['weather_station_km']), 2)} km",
            pue=rounded(float(site["pue_annual"]), 3),
        )
    return Statement("power", text, source, "modelled", _values(site, cols + extra + weather))


def _time(site, words, *, target_year=None, **_) -> Statement:
    source = (
        "LBNL Queued Up 2024 durations of completed generator requests (a proxy for a load) "
        "and upgrade times by connection need (docs/methods.md §4.4)"
    )
    cols = ("time_to_power_p50_months_site", "time_to_power_p90_months", "p_meets_target_year")
    why = _missing(site, cols, words)
    if why:
        return _unknown("time", "Time to power", why, words, source)
    need = site.get("time_to_power_need")
    text = words["time"].format(
        p50=rounded(float(site["time_to_power_p50_months_site"]) / 12.0, 2),
        p50_months=rounded(float(site["time_to_power_p50_months_site"]), 2),
        p90=rounded(float(site["time_to_power_p90_months"]) / 12.0, 2),
        p90_months=rounded(float(site["time_to_power_p90_months"]), 2),
        target_year=target_year if target_year is not None else "the target year",
        p_target=f"{round(100 * float(site['p_meets_target_year']))} in 100",
        need=words.get(f"need_{need}", need) if known(need) else "UNKNOWN work",
    )
    return Statement("time", text, source, "proxy", _values(site, (*cols, "time_to_power_need")))


def _water(site, words, **_) -> Statement:
    source = (
        "cooling model of the spec's archetype (docs/methods.md §2.2), USGS 2015 county "
        "withdrawals, indirect water of the grid mix (docs/methods.md §2.3)"
    )
    cols = ("water_site_mgd", "water_site_share_nonpower_pct", "water_indirect_mgd")
    why = _missing(site, cols, words)
    if why:
        return _unknown("water", "Water use", why, words, source)
    text = words["water"].format(
        site_gpd=quantity(float(site["water_site_mgd"]) * 1e6, "gal/day"),
        site_share=f"{rounded(float(site['water_site_share_nonpower_pct']), 2)} %",
        indirect_gpd=quantity(float(site["water_indirect_mgd"]) * 1e6, "gal/day"),
    )
    return Statement("water", text, source, "modelled", _values(site, cols))


def _emissions(site, words, **_) -> Statement:
    source = "EPA eGRID2023 subregion average output rates (docs/methods.md §5.1)"
    cols = ("co2_t_per_yr", "nox_t_per_yr", "so2_t_per_yr", "egrid_subregion")
    why = _missing(site, cols, words)
    if why:
        return _unknown("emissions", "Emissions", why, words, source)
    text = words["emissions"].format(
        co2=quantity(float(site["co2_t_per_yr"]), "t"),
        nox=quantity(float(site["nox_t_per_yr"]), "t"),
        so2=quantity(float(site["so2_t_per_yr"]), "t"),
        subregion=site["egrid_subregion"],
    )
    return Statement("emissions", text, source, "modelled", _values(site, cols))


def _price(site, words, **_) -> Statement | None:
    source = "EIA-861 2024 revenue / sales of the serving utility (docs/methods.md §4.7)"
    cols = ("energy_cost_musd_per_yr", "utility_avg_price_cents_per_kwh")
    if any(c not in site for c in cols):
        return None
    why = _missing(site, cols, words)
    if why:
        return _unknown("price", "Electricity cost", why, words, source)
    text = words["price"].format(
        cost=f"${rounded(float(site['energy_cost_musd_per_yr']))} million",
        price=f"{rounded(float(site['utility_avg_price_cents_per_kwh']))} ¢/kWh",
    )
    return Statement("price", text, source, "proxy", _values(site, cols))


def _people(site, words, **_) -> Statement:
    source = "2020 Census PL 94-171 tract counts, apportioned by area (docs/methods.md §6.2)"
    cols = ("population_1mi", "population_3mi", "population_5mi", "housing_units_1mi")
    why = _missing(site, cols, words)
    if why:
        if known(site.get("population_5mi_at_least")):
            text = words["people_at_least"].format(
                p5mi=rounded(float(site["population_5mi_at_least"]), 2)
            )
            return Statement("people", text, source, "unknown", _values(site, cols))
        return _unknown("people", "People nearby", why, words, source)
    text = words["people"].format(
        p1mi=rounded(float(site["population_1mi"]), 2),
        p3mi=rounded(float(site["population_3mi"]), 2),
        p5mi=rounded(float(site["population_5mi"]), 2),
        h1mi=rounded(float(site["housing_units_1mi"]), 2),
    )
    if not _missing(site, ("population_median_distance_km",), words):
        km = float(site["population_median_distance_km"])
        text += " " + words["distance"].format(median=f"{rounded(km, 2)} km")
    return Statement("people", text, source, "modelled", _values(site, cols))


def _setback(site, words, *, setback_m=None, **_) -> Statement:
    source = "2020 Census housing units apportioned by area (docs/methods.md §6.2)"
    cols = ("homes_in_setback", "homes_in_site")
    why = _missing(site, cols, words)
    if why:
        return _unknown("setback", "Homes near the site's edge", why, words, source)
    feet = (
        f"{rounded(setback_m / 0.3048, 2)} ft ({rounded(setback_m, 2)} m)"
        if setback_m
        else ("the setback distance")
    )
    text = words["setback"].format(
        homes=rounded(float(site["homes_in_setback"]), 2),
        setback=feet,
        inside=rounded(float(site["homes_in_site"]), 2),
    )
    return Statement("setback", text, source, "modelled", _values(site, cols))


def _vulnerability(site, words, **_) -> Statement:
    source = "CDC/ATSDR SVI 2018 tract percentiles, joined to 2020 tracts (docs/methods.md §6.1)"
    cols = ("svi_pctile", "svi_ratio_state")
    why = _missing(site, cols, words)
    if why:
        return _unknown("vulnerability", "Social vulnerability nearby", why, words, source)
    text = words["vulnerability"].format(
        pct=ordinal(float(site["svi_pctile"])),
        ratio=rounded(float(site["svi_ratio_state"]), 2),
    )
    flag = site.get("cejst_style_any")
    basis = "CEJST-style test on the bundled poverty and pollution data: a proxy"
    if not known(flag):
        text += words["cejst_unknown"].format(basis=basis)
    else:
        text += words["cejst_yes" if float(flag) >= 1 else "cejst_no"].format(basis=basis)
    return Statement(
        "vulnerability", text, source, "modelled", _values(site, (*cols, "cejst_style_any"))
    )


def _noise(site, words, **_) -> Statement:
    source = (
        "screening noise model: stated source levels, hemispherical spreading and air "
        "absorption after ISO 9613-2, no ground or barrier effect (docs/methods.md §6.3)"
    )
    cols = ("noise_45dba_km", "homes_in_45dba")
    why = _missing(site, cols[:1], words)
    if why:
        return _unknown("noise", "Noise at nearby homes", why, words, source)
    homes = site.get("homes_in_45dba")
    text = words["noise"].format(
        limit="45 dBA",
        km=f"{rounded(float(site['noise_45dba_km']), 2)} km",
        homes=rounded(float(homes), 2) if known(homes) else "an UNKNOWN number of",
    )
    return Statement("noise", text, source, "modelled", _values(site, cols))


def _jobs(site, words, **_) -> Statement:
    source = "jobs per GW of IT from announced campuses (docs/methods.md §6.4)"
    cols = (
        "construction_peak_jobs_low",
        "construction_peak_jobs_high",
        "permanent_jobs_low",
        "permanent_jobs_high",
    )
    why = _missing(site, cols, words)
    if why:
        return _unknown("jobs", "Jobs", why, words, source)
    text = words["jobs"].format(
        build_lo=rounded(float(site["construction_peak_jobs_low"]), 2),
        build_hi=rounded(float(site["construction_peak_jobs_high"]), 2),
        perm_lo=rounded(float(site["permanent_jobs_low"]), 2),
        perm_hi=rounded(float(site["permanent_jobs_high"]), 2),
    )
    return Statement("jobs", text, source, "proxy", _values(site, cols))


def _hazards(site, words, **_) -> Statement:
    source = "FEMA National Risk Index, county (docs/methods.md §6.5); IBTrACS storm tracks"
    cols = ("nri_risk_pctile", "nri_eal_pctile")
    why = _missing(site, cols, words)
    if why:
        return _unknown("hazards", "Natural hazards", why, words, source)
    text = words["hazards"].format(
        risk=ordinal(float(site["nri_risk_pctile"])), eal=ordinal(float(site["nri_eal_pctile"]))
    )
    if not _missing(site, ("hurricane_storms_100km",), words):
        text += words["hurricanes"].format(storms=int(float(site["hurricane_storms_100km"])))
    cols = (*cols, "hurricane_storms_100km")
    return Statement("hazards", text, source, "modelled", _values(site, cols))


def _land(site, words, **_) -> Statement:
    source = "campus spec land intensity; land cover where the run has it (docs/methods.md §6.6)"
    cols = ("land_converted_acres",)
    why = _missing(site, cols, words)
    if why:
        return _unknown("land", "Land taken", why, words, source)
    acres = f"{rounded(float(site['land_converted_acres']), 3)} acres"
    cover = site.get("land_cover_majority")
    if known(cover) and str(cover).strip().lower() != "unknown":
        text = words["land"].format(acres=acres, cover=cover)
        confidence = "measured"
    else:
        text = words["land_unknown"].format(acres=acres)
        confidence = "unknown"
    return Statement(
        "land", text, source, confidence, _values(site, (*cols, "land_cover_majority"))
    )


def _rules(site, words, **_) -> Statement:
    source = "GridWatch Indiana county restrictions list (curated, partial)"
    cols = ("county_restriction",)
    why = _missing(site, cols, words)
    if why:
        return _unknown("rules", "Local rules", why, words, source)
    kind = str(site["county_restriction"])
    county = (
        f"{site.get('county', 'The county')} County" if known(site.get("county")) else "The county"
    )
    if kind in ("ban", "moratorium"):
        detail = site.get("county_restriction_detail")
        text = words["rules_listed"].format(
            county=county, kind=kind, detail=detail if known(detail) else "no detail given"
        )
    else:
        as_of = site.get("county_restriction_as_of")
        as_of = f"as of {as_of}" if known(as_of) else "undated"
        text = words["rules_none"].format(county=county, as_of=as_of)
    cols = (*cols, "county_restriction_detail", "county_restriction_as_of")
    return Statement("rules", text, source, "measured", _values(site, cols))


def _warming(site, words, **_) -> Statement | None:
    source = "campus demand model on warmed typical-year weather (docs/methods.md §3.6)"
    cols = ("warming_high_degc", "peak_demand_warm_high_mw")
    if _missing(site, cols, words):
        return None
    text = words["warming"].format(
        degc=rounded(float(site["warming_high_degc"]), 2),
        peak_warm=f"{rounded(float(site['peak_demand_warm_high_mw']))} MW",
    )
    return Statement("warming", text, source, "modelled", _values(site, cols))


TOPICS: tuple[tuple[str, Callable[..., Statement | None]], ...] = (
    ("power", _power),
    ("time", _time),
    ("water", _water),
    ("emissions", _emissions),
    ("price", _price),
    ("people", _people),
    ("setback", _setback),
    ("vulnerability", _vulnerability),
    ("noise", _noise),
    ("jobs", _jobs),
    ("hazards", _hazards),
    ("land", _land),
    ("rules", _rules),
    ("warming", _warming),
)
