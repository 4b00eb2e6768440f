"""Per-site time to power, the queue statistics of the site's county, and large-load rules.

Adds to each ranked site its P50 and P90 months to energize and its probability of meeting the
spec's target year, all three for the site's county and the site's own need class
(``connection_need_class``: substation only, new line, or new line plus network upgrades, from
the grid-adequacy model), so the three figures share one basis. The scored cell indicator
``time_to_power_p50_months`` is summarised at the site's best cell, the cell nearest an adequate
connection; ``time_to_power_p50_months_site`` is the P50 of the site's own basis. The model is
in :mod:`siting.models.queue_stats`. It also adds the queue statistics of the site's county and
the dated large-load rules of its ISO/RTOs (:mod:`siting.models.large_load_rules`). Every
time-to-power column rests on generator-queue data: a proxy.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from siting.assessments.base import Assessment, SiteContext, SiteModel
from siting.errors import DataError
from siting.models import large_load_rules, queue_stats
from siting.models.adequacy import NEED_TEXT
from siting.spec import TimeToPower

NEED_COLUMN = "connection_need_class"
POI_INDICATOR = "queue_active_mw_poi_nearby"
UNITS = {
    "time_to_power_p50_months_site": "months",
    "time_to_power_p90_months": "months",
    "p_meets_target_year": "probability (0-1)",
    "time_to_power_need": "(text: substation only, new line, or new line plus network upgrades)",
    "time_to_power_need_basis": "(text: where the need comes from)",
    "time_to_power_queue_basis": "(text: the completed requests the queue time comes from)",
    "queue_withdrawn_share_county": "share of requests (0-1)",
    "queue_median_active_age_months_county": "months",
    "queue_active_mw_ia_executed_county": "MW",
    "large_load_rules": "(text: dated large-load rules of the site's ISO/RTOs)",
}
#: Columns resting on generator-queue data.
PROXY_COLUMNS = (
    "time_to_power_p50_months_site",
    "time_to_power_p90_months",
    "p_meets_target_year",
    "queue_withdrawn_share_county",
    "queue_median_active_age_months_county",
    "queue_active_mw_ia_executed_county",
)


def site_need(sites: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Each site's need class (0, 1, 2 or NaN for UNKNOWN) from ``connection_need_class``, and
    the basis of each value in words.

    Where the site table also holds the interconnection model's ``connection_need`` (the need
    of the site's own chosen connection) and it differs, the basis says so.

    >>> need, basis = site_need(pd.DataFrame({"connection_need_class": [0.0, 2.0, np.nan]}))
    >>> need.tolist()[:2], basis.tolist()[1]
    ([0.0, 2.0], 'connection_need_class 2 (new line plus network upgrades), grid adequacy')
    """
    try:
        need = pd.to_numeric(sites[NEED_COLUMN]).astype("float64")
    except (TypeError, ValueError) as err:
        raise DataError(f"site column {NEED_COLUMN!r} is not numeric ({err})") from None
    bad = need.notna() & ~need.isin(queue_stats.NEEDS)
    if bad.any():
        raise DataError(
            f"site column {NEED_COLUMN!r} must hold the need classes {list(queue_stats.NEEDS)} "
            f"or NaN, got {sorted(set(need[bad]))}; a site summary must be a cell's class, not "
            "a mean"
        )
    basis = need.map(
        lambda n: (
            f"UNKNOWN: {NEED_COLUMN} unknown"
            if np.isnan(n)
            else f"{NEED_COLUMN} {n:g} ({NEED_TEXT[n]}), grid adequacy"
        )
    )
    if "connection_need" in sites.columns:
        own = sites["connection_need"].astype("string")
        differs = need.notna() & own.notna() & (own != need.map(NEED_TEXT.get))
        basis = basis.where(
            ~differs, basis + "; the site's own chosen connection needs: " + own.fillna("")
        )
    return need, basis


def site_time_to_power(table: pd.DataFrame, fips: pd.Series, need: pd.Series) -> pd.DataFrame:
    """P50, P90, probability of meeting the target year and queue basis of each site's county
    for the site's need, from the county table (indexed by ``fips``, ``need``).

    NaN where the need is unknown; the queue basis is the county's in any case.
    """
    key = pd.MultiIndex.from_arrays(
        [fips.to_numpy(), need.fillna(-1).astype(int).to_numpy()], names=["fips", "need"]
    )
    out = table.reindex(key)
    out.index = fips.index
    county_basis = table["queue_basis"].xs(queue_stats.NEEDS[0], level="need").reindex(fips)
    out["queue_basis"] = pd.Series(county_basis.to_numpy(), index=fips.index).fillna(
        "UNKNOWN: county not in the region's queue table"
    )
    return out


def assess(sites: gpd.GeoDataFrame, context: SiteContext) -> Assessment:
    """Time to power on the site's need, county queue statistics and large-load rules per site."""
    inputs = context.inputs
    spec, queue = inputs.spec, inputs.region_queue
    need, need_basis = site_need(sites)
    ttp = site_time_to_power(queue.county_time_to_power, sites["county_fips"], need)
    county = queue.congestion.reindex(sites["county_fips"])
    county.index = sites.index
    columns = pd.DataFrame(
        {
            "time_to_power_p50_months_site": ttp["p50_months"],
            "time_to_power_p90_months": ttp["p90_months"],
            "p_meets_target_year": ttp["p_meets_target_year"],
            "time_to_power_need": need.map(lambda n: NEED_TEXT.get(n, "UNKNOWN")),
            "time_to_power_need_basis": need_basis,
            "time_to_power_queue_basis": ttp["queue_basis"],
            "queue_withdrawn_share_county": county["queue_withdrawn_share"],
            "queue_median_active_age_months_county": county["queue_median_active_age_months"],
            "queue_active_mw_ia_executed_county": _ia_executed(county, queue.requests),
            "large_load_rules": sites["iso_region"].map(large_load_rules.site_rules_text),
        },
        index=sites.index,
    )
    poi = context.indicators.get(POI_INDICATOR)
    return Assessment(
        name="time to power and queue congestion (generator-queue proxy)",
        columns=columns,
        units=UNITS,
        notes=(
            *_notes(queue, spec.time_to_power, spec.target_energization_year),
            *(_poi_note(poi.attrs) if poi is not None else ()),
            *_rule_notes(sites["iso_region"]),
        ),
        proxy_columns=PROXY_COLUMNS,
    )


def _ia_executed(county: pd.DataFrame, requests: pd.DataFrame) -> pd.Series:
    """Active MW with an executed agreement in each site's county; UNKNOWN (NaN) when the queue
    gives no study stage, 0 where it does and none is executed."""
    column = "queue_active_mw_ia_executed"
    if not queue_stats.has_study_stages(requests):
        return pd.Series(np.nan, index=county.index)
    if column not in county.columns:
        return pd.Series(0.0, index=county.index)
    return county[column]


def _notes(queue: queue_stats.RegionQueue, params: TimeToPower, target_year: int) -> tuple:
    quality = queue.quality
    problems = ", ".join(f"{k} {v:,}" for k, v in quality.items() if k != "requests" and v)
    return (
        queue_stats.PROXY_NOTE,
        "Generator-queue durations are a proxy for large-load timelines: no national statistic "
        "of how long a large load takes to connect exists, and each ISO/RTO's large-load "
        "process (large_load_rules) runs on its own clock.",
        "time_to_power_p50_months_site, time_to_power_p90_months and p_meets_target_year are "
        "computed for the site's county and its own need class (connection_need_class of the "
        "grid-adequacy model), one basis; time_to_power_p50_months (scored) is the per-cell P50 "
        "at the site's best cell, the cell nearest an adequate connection.",
        "Model: T = max(Q, U), both clocks starting at the request. Q: request-to-operation "
        f"months of requests that reached operation in {params.completed_since_year}–"
        f"{queue.as_of:%Y} (LBNL Queued Up 2024), by ISO region weighted by the county's "
        f"requests, size ≥ {params.large_request_mw:g} MW and county congestion "
        f"(≥ {params.congested_county_mw:g} MW active) where ≥ {params.min_completed} "
        "completed requests allow; completed requests only, so still-waiting requests do not "
        "lengthen it (a downward bias).",
        f"U by need class: substation only uniform {params.substation_months[0]:g}–"
        f"{params.substation_months[1]:g} months (2–3 yr), new line {params.new_line_months[0]:g}"
        f"–{params.new_line_months[1]:g} months (4–8 yr with new ROW), new line plus network "
        f"upgrades {params.network_upgrade_months[0]:g}–{params.network_upgrade_months[1]:g} "
        f"months (assumption); floored by a transformer lead of "
        f"{params.transformer_lead_weeks[0]:g}–{params.transformer_lead_weeks[1]:g} weeks "
        "(docs/methods.md §4.4, §1.4; assumptions: uniform, independent, concurrent with the "
        "queue).",
        f"p_meets_target_year: P(T ≤ {queue_stats.months_available(params, target_year):g} months),"
        f" request filed 1 January {params.request_year} (assumption), energized by 31 "
        f"December {target_year}.",
        "MISO reports no operation dates in Queued Up 2024, so MISO counties use the pooled "
        "all-regions durations (see time_to_power_queue_basis).",
        f"Queue data to {queue.as_of:%Y-%m-%d}.",
        *(
            f"{state} county join: {join.failed} of {join.mentions} county mentions failed "
            f"({join.share_failed_active_mw:.1%} of active MW; names "
            f"{', '.join(join.failed_names) or 'none'}), {join.fuzzy} joined by a close name "
            "match."
            for state, join in queue.county_join.items()
        ),
        f"Problems in the national queue file ({quality['requests']:,} requests; counted, "
        f"not dropped; each row leaves only the statistics that need the missing value): "
        f"{problems or 'none'}.",
    )


def _poi_note(attrs) -> tuple[str, ...]:
    share = float(attrs.get("poi_share_connected", "nan"))
    share_mw = float(attrs.get("poi_share_connected_active_mw", "nan"))
    return (
        f"POI names of {share:.1%} of the region's requests ({share_mw:.1%} of active MW) reach "
        f"a connection point; {POI_INDICATOR} and queue_active_mw_ia_executed_poi_nearby are "
        "therefore lower bounds.",
    )


def _rule_notes(iso_region: pd.Series) -> tuple[str, ...]:
    """One note per large-load rule of the ISO/RTOs of the sites, with its summary."""
    isos = ";".join(sorted({i for text in iso_region.dropna() for i in str(text).split(";")}))
    return tuple(
        f"Large-load rule, {rule.iso}, {large_load_rules.rule_text(rule)}: {rule.summary} "
        f"Sources: {rule.source} (docs/methods.md §4.10; status as of "
        f"{large_load_rules.RULES_AS_OF})."
        for rule in large_load_rules.rules_for(isos)
    )


MODEL = SiteModel(
    name="time to power",
    units=UNITS,
    reads=("queue", "counties"),
    assess=assess,
    needs=("county_fips", NEED_COLUMN, "iso_region"),
)
