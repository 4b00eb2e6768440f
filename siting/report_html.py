"""The run's report as one self-contained HTML page: inline CSS, inline SVG, no script, no network.

The page holds what ``report.md`` holds, laid out for a reader outside the team: the campus spec,
the ranked sites, one score card per site (anchored ``#site-<site_id>`` for the map's popups)
that draws each indicator's transform and shows how the contributions add up to the score, the
per-site assessments with their units, the exclusion ledger, the data sources and a glossary.
Every piece of data text is escaped; every number is written for people (thousands separators,
a few decimals, never scientific notation).
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from siting.assessments.base import Assessment
from siting.score import suitability
from siting.spec import Transform
from siting.summary import site_statements

#: Columns of the ranked table after rank, site, county, score and area, when the run has them:
#: column → heading; a pair of columns is shown as a range "low–high".
RANKED_COLUMNS = (
    (("peak_demand_mw",), "peak demand"),
    (("energy_mwh_per_yr",), "energy"),
    (("connection_need",), "connection needs"),
    (("interconnect_cost_musd_low", "interconnect_cost_musd_high"), "connection cost"),
    (("water_site_m3_per_yr",), "on-site water"),
    (("time_to_power_p50_months_site",), "time to power P50"),
    (("time_to_power_p90_months",), "time to power P90"),
    (("p_meets_target_year",), "chance of power by the target year"),
)
#: Endings of integer columns that are codes or years, written without separators.
_CODES = ("_id", "_year", "fips", "_pfaf_id")
#: Plain words for the terms a reader meets in the report, one line each.
GLOSSARY = (
    (
        "score",
        "The site's overall suitability, 0 (worst) to 1 (best): the sum of the "
        "contributions plus any penalty.",
    ),
    (
        "suitability",
        "An indicator's raw value translated to 0–1 by its transform (1 = as good "
        "as the spec asks, 0 = as bad as it tolerates).",
    ),
    (
        "transform",
        "The rule (a straight line between a best and a worst value, or a line "
        "through breakpoints) that turns a raw value into a suitability; flat beyond its ends.",
    ),
    ("weight", "How much an indicator counts in the score; the weights of the spec add up to 1."),
    ("contribution", "Weight × suitability: the part of the score an indicator earns."),
    (
        "penalty",
        "Score removed by a penalty rule (e.g. a county moratorium) instead of excluding the land.",
    ),
    (
        "exclusion",
        "A rule that removes land from the search (lakes, right of way, bans…); "
        "a flag only marks land for a check.",
    ),
    (
        "UNKNOWN",
        "No data for this value at this site; an unknown indicator contributes 0, "
        "so missing data never raises a score.",
    ),
    (
        "proxy",
        "A value standing in for the quantity of interest, which the data do not give "
        "directly (e.g. generator queues for a data-center's own queue).",
    ),
    (
        "PUE",
        "Power usage effectiveness: facility energy ÷ IT energy (1.0 would be no overhead "
        "for cooling and losses).",
    ),
    (
        "design hour",
        "The hot weather the electrical connection is sized for: conditions exceeded in only "
        "0.4 % of the hours of a typical year (about 35 hours).",
    ),
    ("WUE", "Water usage effectiveness: litres of cooling water per kWh of IT energy [L/kWh]."),
    (
        "MW / MWh",
        "Megawatt: power at an instant; megawatt-hour: energy over time "
        "(1 MW for 1 hour). MWh/yr is energy per year.",
    ),
    ("kV", "Kilovolt: the voltage class of a transmission line or substation."),
    (
        "N−1",
        "The connection still carries the campus's peak with its largest line out of "
        "service (firm capacity).",
    ),
    (
        "loadability",
        "How much power a line can carry in practice: its surge-impedance loading "
        "scaled by length (St Clair curve) or its thermal rating, whichever is lower.",
    ),
    (
        "loop-in",
        "Connecting by cutting an existing line and looping it through a new "
        "substation at the site, instead of building a line to a distant substation.",
    ),
    (
        "interconnection queue",
        "The list of projects waiting to connect to the grid; a long or "
        "crowded queue means a slow connection.",
    ),
    ("time to power", "Months from the interconnection request to energization."),
    (
        "P50 / P90",
        "The median (half the cases take less) and the 90th percentile (nine cases "
        "in ten take less) of a spread of outcomes.",
    ),
    (
        "percentile",
        "The share of places (or cases) with a lower value, e.g. 0.8 = higher than 80 % of them.",
    ),
    (
        "SVI",
        "CDC Social Vulnerability Index: a county's national percentile of social "
        "vulnerability (0 least, 1 most vulnerable).",
    ),
    (
        "M$ and cost year",
        "Millions of US dollars, in dollars of the spec's cost year (older "
        "costs escalated by the consumer price index, CPI-U).",
    ),
    ("Mgal/d, acre-ft", "Million US gallons per day (3,785 m³/d); acre-foot, 1,233 m³ of water."),
    (
        "eGRID",
        "EPA's emissions and generation data for the grid's subregions, used for average "
        "emission rates.",
    ),
    ("CO2e", "Carbon-dioxide equivalent: greenhouse gases weighted by their warming effect."),
    ("economizer hours", "Hours a year the campus cools with outside air alone (free cooling)."),
    (
        "wet bulb",
        "The lowest temperature evaporation can cool air to; it limits evaporative cooling.",
    ),
    (
        "ISO / RTO",
        "The independent system operator running the regional grid and its queue (e.g. MISO, PJM).",
    ),
    ("km², acre", "Square kilometre (100 hectares, 247 acres); acre, 4,047 m²."),
    ("FIPS", "The 5-digit federal code of a county."),
    ("vintage", "The year or period the data describe."),
    ("sha256", "A fingerprint of the exact file read: any change to the file changes it."),
)
_CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d232a;
margin:0 auto;max-width:1100px;padding:1.5em 2em;background:#fff}
h1{font-size:1.6em;margin:.2em 0}h2{border-bottom:2px solid #2b6cb0;padding-bottom:.2em;
margin-top:2em}h3{margin:1.4em 0 .3em}h4{margin:1em 0 .3em;font-size:1em}
nav a{margin-right:1em}table{border-collapse:collapse;margin:.4em 0 1em;font-size:.9em}
th,td{border:1px solid #d5dbe1;padding:.25em .5em;vertical-align:middle;text-align:left}
th{background:#eef2f6}
ul.impacts li{margin:.25em 0}ul.impacts .src{color:#5a6570;font-size:.85em}
td{overflow-wrap:break-word}details td,td.long{overflow-wrap:anywhere}
details td:first-child{white-space:nowrap}details td.num{text-align:left}
table.sources{table-layout:fixed;width:100%}table.sources th:nth-child(1){width:27%}
table.sources th:nth-child(2){width:19%}table.sources th:nth-child(3){width:10%}
table.sources th:nth-child(4){width:13%}table.sources th:nth-child(5){width:6%}

td.num{text-align:right;font-variant-numeric:tabular-nums;
white-space:nowrap}tr.total td{font-weight:600;background:#f6f8fa}
.wide{overflow-x:auto}td.id{white-space:nowrap}
.card{border:1px solid #c7d0d9;border-radius:6px;padding:.2em 1em 1em;margin:1.2em 0}
.card h3 a{color:inherit;text-decoration:none}
.unknown{background:#fde68a;color:#7c2d12;font-weight:700;padding:0 .35em;border-radius:3px;
font-size:.85em}.proxy{background:#e0e7ff;color:#3730a3;padding:0 .35em;border-radius:3px;
font-size:.8em;margin-left:.3em}.muted{color:#5b6670;font-size:.85em}
.hash{display:block;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.75em;word-break:break-all}
.warn{background:#fff4e5;border-left:4px solid #dd6b20;padding:.4em .8em}
details>summary{cursor:pointer;font-weight:600;margin:.6em 0 .2em}
dl.glossary{display:grid;grid-template-columns:13em 1fr;gap:.3em 1em}
dl.glossary dt{font-weight:700}dl.glossary dd{margin:0}
code{font-size:.9em}
@media print{.card{break-inside:avoid}}
"""


def html_report(
    *,
    title: str,
    spec_lines: Sequence[str],
    sites: pd.DataFrame,
    indicators: pd.DataFrame,
    ledger: pd.DataFrame,
    inputs: Sequence[Mapping[str, str]],
    transforms: Mapping[str, Transform],
    assessments: Sequence[Assessment] = (),
    shortfall: str = "",
    summary_options: Mapping[str, Any] | None = None,
) -> str:
    """The report as one self-contained HTML document.

    Parameters
    ----------
    title : str
        Page title.
    spec_lines : sequence of str
        The spec and its derived quantities, one line each.
    sites : pandas.DataFrame
        The ranked site table (``rank``, ``site_id``, ``county``, ``score``, ``area_km2``,
        ``suit_*``, ``contrib_*``, ``penalty_score``, assessment columns...).
    indicators : pandas.DataFrame
        The indicator table (``indicator``, ``title``, ``units``, ``tag``, ``weight``,
        ``site_value``, ``source``...).
    ledger : pandas.DataFrame
        The exclusion ledger, one row per rule. [km²]
    inputs : sequence of mapping
        The inputs the run read (``path``, ``title``, ``source``, ``vintage``, ``license``,
        ``tag``, ``sha256``, ``notes``).
    transforms : mapping
        The transform of each scored indicator.
    assessments : sequence of Assessment
        The per-site models' results (units, notes, proxy columns).
    shortfall : str
        Why fewer sites were found than asked for ("" if none).

    Returns
    -------
    str
        The HTML document.
    """
    scored = indicators[indicators["weight"] > 0]
    body = [
        f"<h1>{_esc(title)}</h1>",
        _nav(),
        _section("spec", "Campus spec", _list(spec_lines)),
        _section("sites", "Ranked candidate sites", _ranked(sites, assessments, shortfall)),
        _section("stability", "Rank stability under other weights", _stability(sites)),
        _section(
            "cards",
            "Score cards",
            _cards(sites, scored, transforms, assessments, summary_options or {}),
        ),
        _section("assumptions", "Assumptions of the per-site models", _assumptions(assessments)),
        _section("exclusions", "Exclusions", _ledger(ledger)),
        _section("indicators", "Indicators", _indicators(indicators)),
        _section("data", "Data sources", _sources(inputs, indicators)),
        _section("glossary", "Glossary", _glossary()),
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_esc(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def format_number(value: Any, *, decimals: int | None = None) -> str:
    """A number as people write it: thousands separators, a few decimals, no exponent.

    ``decimals`` fixes the number of decimals; by default it follows the magnitude (none from
    1,000, one from 10, two from 1, three significant digits below). Returns "" for a missing
    value, "yes"/"no" for a boolean and the text itself for a string.

    Examples
    --------
    >>> format_number(7434000.0), format_number(52.63), format_number(0.000012)
    ('7,434,000', '52.6', '0.000012')
    >>> format_number(-1234.5, decimals=2), format_number(float("inf")), format_number(True)
    ('−1,234.50', '∞', 'yes')
    """
    if _missing(value):
        return ""
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, str):
        return value
    if isinstance(value, int | np.integer):
        return f"{int(value):,}".replace("-", "−")
    x = float(value)
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    if decimals is not None:
        return f"{x:,.{decimals}f}".replace("-", "−")
    text = f"{x:,.{_auto_decimals(abs(x))}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text.replace("-", "−")


def _auto_decimals(magnitude: float) -> int:
    if magnitude >= 1000 or magnitude == 0:
        return 0
    if magnitude >= 10:
        return 1
    if magnitude >= 1:
        return 2
    return 2 - math.floor(math.log10(magnitude))


def _missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float | np.floating):
        return bool(np.isnan(value))
    return isinstance(value, str) and value.strip() == ""


# ---------------------------------------------------------------------------------------------
# building blocks
# ---------------------------------------------------------------------------------------------


def _esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _section(anchor: str, heading: str, content: str) -> str:
    return f'<section id="{anchor}">\n<h2>{_esc(heading)}</h2>\n{content}\n</section>'


def _nav() -> str:
    links = [
        ("spec", "Spec"),
        ("sites", "Ranked sites"),
        ("stability", "Rank stability"),
        ("cards", "Score cards"),
        ("assumptions", "Assumptions"),
        ("exclusions", "Exclusions"),
        ("indicators", "Indicators"),
        ("data", "Data sources"),
        ("glossary", "Glossary"),
    ]
    return "<nav>" + "".join(f'<a href="#{a}">{_esc(t)}</a>' for a, t in links) + "</nav>"


def _list(lines: Sequence[str]) -> str:
    return "<ul>" + "".join(f"<li>{_esc(s)}</li>" for s in lines) + "</ul>"


def _table(
    header: Sequence[str], rows: Sequence[Sequence[str]], *, cls: str = "", totals: int = 0
) -> str:
    """A table of cell HTML (``<td>`` elements, already escaped) under escaped headers; the
    last ``totals`` rows are styled as totals."""
    head = "<tr>" + "".join(f"<th>{_esc(h)}</th>" for h in header) + "</tr>"
    first_total = len(rows) - totals
    body = "".join(
        ('<tr class="total">' if i >= first_total else "<tr>") + "".join(r) + "</tr>"
        for i, r in enumerate(rows)
    )
    attr = f' class="{cls}"' if cls else ""
    return f"<table{attr}><thead>{head}</thead><tbody>{body}</tbody></table>"


def _td(value: Any, *, decimals: int | None = None, missing: str = "unknown", cls: str = "") -> str:
    """One cell: numbers right-aligned and formatted, a missing value as an UNKNOWN badge (or
    a dash where ``missing="dash"``: the value does not apply)."""
    if _missing(value):
        text = '<span class="unknown">UNKNOWN</span>' if missing == "unknown" else "—"
        return f'<td class="{cls}">{text}</td>' if cls else f"<td>{text}</td>"
    numeric = isinstance(value, int | float | np.integer | np.floating) and not isinstance(
        value, bool | np.bool_
    )
    classes = " ".join(c for c in ("num" if numeric else "", cls) if c)
    attr = f' class="{classes}"' if classes else ""
    return f"<td{attr}>{_esc(format_number(value, decimals=decimals))}</td>"


def _short_units(units: str) -> str:
    """The unit of a column without its explanation in brackets: "MW (site peak)" → "MW"."""
    units = units or ""
    if units.startswith("("):
        return ""
    return units.split(" (")[0].strip()


def _column_units(sites: pd.DataFrame, assessments: Sequence[Assessment]) -> dict[str, str]:
    units = {c: u for a in assessments for c, u in a.units.items()}
    return {c: units.get(c, "") for c in sites.columns}


def _site_anchor(site_id: Any) -> str:
    return f"site-{site_id}"


# ---------------------------------------------------------------------------------------------
# sections
# ---------------------------------------------------------------------------------------------


def _ranked(sites: pd.DataFrame, assessments: Sequence[Assessment], shortfall: str) -> str:
    out = []
    if shortfall:
        out.append(
            f'<p class="warn">{len(sites)} site(s) found, fewer than asked for: '
            f"{_esc(shortfall)}.</p>"
        )
    if sites.empty:
        return "\n".join([*out, "<p>No site was found.</p>"])
    units = _column_units(sites, assessments)
    extra = [(cols, h) for cols, h in RANKED_COLUMNS if all(c in sites.columns for c in cols)]
    header = ["rank", "site", "county", "score [0–1]", "area [km²]"]
    header += [
        f"{h} [{_short_units(units[cols[0]])}]" if _short_units(units[cols[0]]) else h
        for cols, h in extra
    ]
    rows = []
    for _, site in sites.iterrows():
        link = f'<a href="#{_esc(_site_anchor(site["site_id"]))}">{_esc(site["site_id"])}</a>'
        row = [_td(site["rank"]), f'<td class="id">{link}</td>', _td(site["county"])]
        row += [_td(site["score"], decimals=3), _td(site["area_km2"], decimals=2)]
        row += [_range_td(site, cols) for cols, _ in extra]
        rows.append(row)
    out.append(f'<div class="wide">{_table(header, rows)}</div>')
    return "\n".join(out)


def _range_td(site: pd.Series, columns: Sequence[str]) -> str:
    """One value, or a low–high pair of values, as a cell."""
    if len(columns) == 1 or any(_missing(site[c]) for c in columns):
        return _td(site[columns[0]], decimals=2 if columns[0].startswith("p_") else None)
    text = "–".join(format_number(site[c]) for c in columns)
    return f'<td class="num">{_esc(text)}</td>'


def _cards(
    sites: pd.DataFrame,
    scored: pd.DataFrame,
    transforms: Mapping[str, Transform],
    assessments: Sequence[Assessment],
    summary_options: Mapping[str, Any],
) -> str:
    intro = (
        "<p>For each scored indicator: the site's raw value, the transform that turns it into a "
        "suitability (dot: the raw value on the curve; dashed line: the site's suitability, the "
        "mean over its cells, or the best cell's where the raw value is the nearest cell's), "
        "the weight, and the contribution = weight × suitability (less where part of the site "
        "has no data). The contributions and the penalty add up to the score.</p>"
    )
    cards = [
        _card(site, scored, transforms, assessments, summary_options)
        for _, site in sites.iterrows()
    ]
    return "\n".join([intro, *cards])


def _card(
    site: pd.Series,
    scored: pd.DataFrame,
    transforms: Mapping[str, Transform],
    assessments: Sequence[Assessment],
    summary_options: Mapping[str, Any],
) -> str:
    proxies = set(str(site.get("proxy_indicators", "") or "").split(";")) - {""}
    head = (
        f'<section class="card" id="{_esc(_site_anchor(site["site_id"]))}">'
        f'<h3><a href="#{_esc(_site_anchor(site["site_id"]))}">Rank {_esc(site["rank"])}: '
        f"{_esc(site['site_id'])}</a> — {_esc(site['county'])} County</h3>"
        f"<p>Score <b>{format_number(site['score'], decimals=3)}</b> of 1 over "
        f"{format_number(site['area_km2'], decimals=2)} km²; centroid "
        f"{_degrees(site['centroid_lat'], 'N', 'S')}, "
        f"{_degrees(site['centroid_lon'], 'E', 'W')}.</p>"
    )
    notes = _card_notes(site) + _impacts(site, summary_options)
    table = _score_table(site, scored, transforms, proxies)
    bars = _contribution_svg(site, scored)
    groups = "".join(_assessment_block(site, a) for a in assessments)
    return head + notes + table + bars + groups + "</section>"


def _impacts(site: pd.Series, options: Mapping[str, Any]) -> str:
    """The site's plain-language statements, each with its source and confidence."""
    items = "".join(
        f"<li>{_esc(s.text)} <span class='src'>Source: {_esc(s.source)}; "
        f"<b>{_esc(s.confidence)}</b>.</span></li>"
        for s in site_statements(site.to_dict(), **options)
    )
    return f"<h4>What a campus here would mean</h4><ul class='impacts'>{items}</ul>"


def _degrees(value: float, positive: str, negative: str) -> str:
    """A latitude or longitude as "39.8153° N" or "85.6874° W"."""
    side = positive if value >= 0 else negative
    return f"{format_number(abs(value), decimals=4)}° {side}"


def _card_notes(site: pd.Series) -> str:
    out = []
    unknown = site.get("unknown_indicators")
    if not _missing(unknown):
        out.append(
            '<p><span class="unknown">UNKNOWN</span> no data at this site (contributed 0): '
            f"{_esc(str(unknown).replace(';', ', '))}</p>"
        )
    flags = site.get("flags")
    if not _missing(flags):
        out.append(f"<p>Flags (checks, not exclusions): {_esc(flags)}</p>")
    return "".join(out)


def _score_table(
    site: pd.Series, scored: pd.DataFrame, transforms: Mapping[str, Transform], proxies: set[str]
) -> str:
    header = ["indicator", "raw value", "transform", "suitability", "weight", "contribution"]
    rows = []
    for ind in scored.itertuples():
        name = ind.indicator
        label = f"{_esc(ind.title)}<br><code>{_esc(name)}</code>"
        if name in proxies or ind.tag in ("proxy", "synthetic"):
            label += f'<span class="proxy">{_esc(ind.tag if ind.tag != "real" else "proxy")}</span>'
        raw = site[name]
        raw_cell = _td(raw)
        if not _missing(raw):
            basis = (
                '<br><span class="muted">nearest cell</span>'
                if ind.site_value.startswith("nearest")
                else ""
            )
            raw_cell = (
                f'<td class="num">{_esc(format_number(raw))} {_esc(_short_units(ind.units))}'
                f"{basis}</td>"
            )
        graph = _transform_svg(transforms.get(name), raw, site[f"suit_{name}"], ind.units)
        rows.append(
            [
                f"<td>{label}</td>",
                raw_cell,
                f"<td>{graph}</td>",
                _td(site[f"suit_{name}"], decimals=3),
                _td(ind.weight, decimals=2),
                _td(site[f"contrib_{name}"], decimals=3, cls="contrib"),
            ]
        )
    contributions = float(sum(site[f"contrib_{n}"] for n in scored["indicator"]))
    penalty = float(site.get("penalty_score", 0.0) or 0.0)
    empty = '<td colspan="4"></td>'
    rows.append(["<td>Σ contributions</td>", empty, _td(contributions, decimals=3, cls="sum")])
    rows.append(["<td>penalty rules</td>", empty, _td(penalty, decimals=3, cls="penalty")])
    rows.append(["<td>score</td>", empty, _td(site["score"], decimals=3, cls="score")])
    return _table(header, rows, cls="scorecard", totals=3)


def _assessment_block(site: pd.Series, assessment: Assessment) -> str:
    proxies = set(assessment.proxy_columns)
    rows = []
    n_unknown = 0
    for column, units in assessment.units.items():
        value = site.get(column)
        n_unknown += _missing(value)
        label = f"<code>{_esc(column)}</code>"
        if column in proxies:
            label += '<span class="proxy">proxy</span>'
        if isinstance(value, int | np.integer) and column.endswith(_CODES):
            value = str(value)  # an id or a year, not a quantity: no thousands separator
        rows.append([f"<td>{label}</td>", _td(value), f'<td class="muted">{_esc(units)}</td>'])
    counts = f"{len(rows)} values" + (f", {n_unknown} UNKNOWN" if n_unknown else "")
    counts += f", {len(proxies)} proxy" if proxies else ""
    return (
        f"<details open><summary>{_esc(assessment.name)} "
        f'<span class="muted">({_esc(counts)})</span></summary>'
        + _table(["column", "value", "units"], rows)
        + "</details>"
    )


def _assumptions(assessments: Sequence[Assessment]) -> str:
    if not assessments:
        return "<p>No per-site models ran.</p>"
    return "\n".join(
        f"<h4>{_esc(a.name)}</h4>" + _list(a.notes) if a.notes else f"<h4>{_esc(a.name)}</h4>"
        for a in assessments
    )


def _ledger(ledger: pd.DataFrame) -> str:
    intro = (
        "<p>Areas in km² of the study area. <i>only this rule</i>: removed by this rule alone; "
        "<i>in sequence</i>: added by this rule after the rules above it; <i>unknown</i>: where "
        "the rule's data is unknown, handled as its <i>missing</i> policy says. Rules marked "
        "'not checked' had no data in this bundle.</p>"
    )
    columns = [
        ("rule", "rule", None),
        ("kind", "kind", None),
        ("mode", "mode", None),
        ("missing", "missing data", None),
        ("detail", "detail", None),
        ("area_km2", "area removed [km²]", 1),
        ("share_of_study_area", "share of study area [%]", 2),
        ("only_this_rule_km2", "only this rule [km²]", 1),
        ("in_sequence_km2", "in sequence [km²]", 1),
        ("unknown_km2", "unknown [km²]", 1),
        ("note", "note", None),
    ]
    present = [c for c in columns if c[0] in ledger.columns]
    rows = []
    for _, rule in ledger.iterrows():
        row = []
        for column, _, decimals in present:
            value = rule[column]
            if column == "share_of_study_area" and not _missing(value):
                value = 100.0 * float(value)
            row.append(_td(value, decimals=decimals, missing="dash"))
        rows.append(row)
    return intro + _table([h for _, h, _ in present], rows)


def _indicators(indicators: pd.DataFrame) -> str:
    header = ["indicator", "title", "units", "direction", "data", "weight", "site value", "source"]
    rows = [
        [
            f"<td><code>{_esc(i.indicator)}</code></td>",
            _td(i.title),
            _td(i.units, missing="dash"),
            _td(i.direction),
            _td(i.tag),
            _td(i.weight, decimals=2),
            _td(i.site_value),
            f'<td class="muted">{_esc(i.source)}</td>',
        ]
        for i in indicators.itertuples()
    ]
    return _table(header, rows)


def _sources(inputs: Sequence[Mapping[str, str]], indicators: pd.DataFrame) -> str:
    proxies = indicators.loc[indicators["tag"].isin(["proxy", "synthetic"]), "indicator"].tolist()
    intro = (
        "<p>Proxy or synthetic indicators in this run: "
        f"{_esc(', '.join(proxies)) if proxies else 'none'}.</p>"
    )
    header = ["title", "source", "vintage", "licence", "data", "file and sha256"]
    rows = []
    for record in inputs:
        notes = record.get("notes", "")
        title = _esc(record.get("title", ""))
        if not _missing(notes):
            title += f'<br><span class="muted">{_esc(notes)}</span>'
        rows.append(
            [
                f"<td>{title}</td>",
                _td(record.get("source", ""), missing="dash"),
                _td(record.get("vintage", ""), missing="dash"),
                _td(record.get("license", ""), missing="dash"),
                _td(record.get("tag", ""), missing="dash"),
                f'<td class="long"><code>{_esc(record.get("path", ""))}</code>'
                f'<span class="hash">{_esc(record.get("sha256", ""))}</span></td>',
            ]
        )
    return intro + _table(header, rows, cls="sources")


def _glossary() -> str:
    items = "".join(f"<dt>{_esc(term)}</dt><dd>{_esc(text)}</dd>" for term, text in GLOSSARY)
    return f'<dl class="glossary">{items}</dl>'


# ---------------------------------------------------------------------------------------------
# inline SVG
# ---------------------------------------------------------------------------------------------


def _transform_svg(transform: Transform | None, raw: Any, site_suit: Any, units: str) -> str:
    """A small graph of the transform's curve with the site's raw value marked on it."""
    domain = _transform_domain(transform)
    if domain is None:
        return '<span class="muted">(transform not drawn)</span>'
    lo, hi = domain
    ends = np.sort(_breakpoints(transform))
    w, h, left, right, top, bottom = 180.0, 64.0, 18.0, 14.0, 6.0, 16.0
    xs = np.unique(np.concatenate([np.linspace(lo, hi, 61), _breakpoints(transform)]))
    xs = xs[(xs >= lo) & (xs <= hi)]
    try:
        ys = suitability(xs, transform).astype(float)
    except ValueError:
        return f'<span class="muted">(transform kind {_esc(transform.kind)})</span>'

    def px(x: float) -> float:
        return left + (x - lo) / (hi - lo) * (w - left - right)

    def py(s: float) -> float:
        return top + (1.0 - s) * (h - top - bottom)

    curve = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in zip(xs, ys, strict=True))
    parts = [
        f'<line x1="{left}" y1="{py(0):.1f}" x2="{w - right}" y2="{py(0):.1f}" stroke="#8896a4"/>',
        f'<line x1="{left}" y1="{py(0):.1f}" x2="{left}" y2="{py(1):.1f}" stroke="#8896a4"/>',
        f'<text x="{left - 3}" y="{py(1) + 4:.1f}" text-anchor="end">1</text>',
        f'<text x="{left - 3}" y="{py(0) + 1:.1f}" text-anchor="end">0</text>',
        f'<text x="{px(ends[0]):.1f}" y="{h - 3}" text-anchor="middle">'
        f"{_esc(format_number(ends[0]))}</text>",
        f'<text x="{px(ends[-1]):.1f}" y="{h - 3}" text-anchor="middle">'
        f"{_esc(format_number(ends[-1]))}</text>",
        f'<polyline points="{curve}" fill="none" stroke="#2b6cb0" stroke-width="2"/>',
    ]
    if not _missing(site_suit):
        y = py(float(site_suit))
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{w - right}" y2="{y:.1f}" stroke="#dd6b20" '
            'stroke-dasharray="3,2"/>'
        )
    if not _missing(raw) and np.isfinite(float(raw)):
        parts.append(_marker(float(raw), transform, lo, hi, px, py))
    tip = _transform_text(transform, raw, units)
    return (
        f'<svg width="{w:.0f}" height="{h:.0f}" viewBox="0 0 {w:.0f} {h:.0f}" role="img" '
        f'font-size="9" font-family="sans-serif" fill="#1d232a"><title>{_esc(tip)}</title>'
        + "".join(parts)
        + "</svg>"
    )


def _marker(raw: float, transform: Transform, lo: float, hi: float, px, py) -> str:
    """The site's value on the curve; pinned to the graph's edge (open dot) if beyond it."""
    s = float(suitability(np.array([raw]), transform)[0])
    x = min(max(raw, lo), hi)
    fill = "#c53030" if lo <= raw <= hi else "#fff"
    return (
        f'<line x1="{px(x):.1f}" y1="{py(s):.1f}" x2="{px(x):.1f}" y2="{py(0):.1f}" '
        'stroke="#c53030" stroke-dasharray="2,2"/>'
        f'<circle cx="{px(x):.1f}" cy="{py(s):.1f}" r="3.5" fill="{fill}" stroke="#c53030" '
        'stroke-width="1.5"/>'
    )


def _breakpoints(transform: Transform) -> np.ndarray:
    if transform.points:
        return np.array([p[0] for p in transform.points], dtype=float)
    ends = [v for v in (transform.best, transform.worst) if v is not None]
    return np.array(ends, dtype=float)


def _transform_domain(transform: Transform | None) -> tuple[float, float] | None:
    """The graph's x range: the transform's breakpoints widened by 15 % each side."""
    if transform is None:
        return None
    ends = _breakpoints(transform)
    ends = ends[np.isfinite(ends)]
    if ends.size == 0:
        return None
    lo, hi = float(ends.min()), float(ends.max())
    pad = 0.15 * (hi - lo) if hi > lo else max(abs(lo) * 0.1, 1.0)
    return lo - pad, hi + pad


def _transform_text(transform: Transform, raw: Any, units: str) -> str:
    u = _short_units(units)
    if transform.kind == "linear":
        rule = (
            f"linear: suitability 1 at {format_number(transform.best)} {u}, 0 at "
            f"{format_number(transform.worst)} {u}"
        )
    else:
        pts = "; ".join(f"{format_number(x)} {u} → {format_number(s)}" for x, s in transform.points)
        rule = f"{transform.kind}: {pts}"
    value = "UNKNOWN" if _missing(raw) else f"{format_number(raw)} {u}"
    return f"{rule}. Site value {value}."


def _stability(sites: pd.DataFrame) -> str:
    """Each site's rank under the weight draws: the 5th–95th percentile range as a bar, the
    median as a dot, the spec's rank as a tick (docs/methods.md §11.6)."""
    needed = ("rank_p05", "rank_median", "rank_p95")
    if sites.empty or not all(c in sites.columns for c in needed):
        return "<p>No robustness result in this run.</p>"
    n = max(len(sites), 1)
    label_w, plot_w, row_h = 150.0, 460.0, 20.0
    width, height = label_w + plot_w + 30.0, (n + 1) * row_h + 12.0

    def x(rank: float) -> float:
        return label_w + (rank - 1.0) / max(n - 1.0, 1.0) * plot_w

    parts = []
    for r in range(1, n + 1):
        parts.append(f'<text x="{x(r):.1f}" y="{height - 4:.1f}" text-anchor="middle">{r}</text>')
    for i, (_, site) in enumerate(sites.iterrows()):
        y = 6.0 + i * row_h
        lo, mid, hi = (float(site[c]) for c in needed)
        own = float(site["rank"])
        parts.append(
            f'<text x="{label_w - 8:.1f}" y="{y + 12:.1f}" text-anchor="end">'
            f"{_esc(site['site_id'])}</text>"
            f'<rect x="{x(lo):.1f}" y="{y + 4:.1f}" width="{max(x(hi) - x(lo), 2.0):.1f}" '
            'height="10" fill="#bee3f8"/>'
            f'<line x1="{x(own):.1f}" x2="{x(own):.1f}" y1="{y + 1:.1f}" y2="{y + 17:.1f}" '
            'stroke="#1d232a" stroke-width="2"/>'
            f'<circle cx="{x(mid):.1f}" cy="{y + 9:.1f}" r="4" fill="#2b6cb0"/>'
        )
    share = [c for c in sites.columns if c.startswith("p_top")]
    text = (
        "<p>Rank of each site when the weights are drawn at random around the spec's "
        "(Dirichlet draws; the run notes give the seed and the number of draws): the bar "
        "spans the 5th to 95th percentile of its rank, the dot is the median and the black "
        "tick the rank with the spec's weights. The sites are held fixed; the consensus layer "
        "of the map shows where other weights would look.</p>"
    )
    svg = (
        f'<svg width="{width:.0f}" height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" '
        'role="img" font-size="11" font-family="sans-serif" fill="#1d232a">'
        "<title>Rank of each site under the weight draws</title>" + "".join(parts) + "</svg>"
    )
    columns = ["rank", "site_id", "rank_median", "rank_p05", "rank_p95", "p_rank1", *share]
    columns += ["pareto_front"] if "pareto_front" in sites.columns else []
    header = ["rank", "site", "median rank", "5th pct rank", "95th pct rank", "P(rank 1)"]
    header += [f"P(top {c[5:]})" for c in share]
    header += ["Pareto front"] if "pareto_front" in sites.columns else []
    rows = [
        [_td(site[c], decimals=2 if c.startswith("p_") else None) for c in columns]
        for _, site in sites.iterrows()
    ]
    return text + svg + f'<div class="wide">{_table(header, rows)}</div>'


def _contribution_svg(site: pd.Series, scored: pd.DataFrame) -> str:
    """Bars of each indicator's contribution against its weight (the most it could add)."""
    names = list(scored["indicator"])
    weights = [float(w) for w in scored["weight"]]
    penalty = float(site.get("penalty_score", 0.0) or 0.0)
    rows = len(names) + (1 if penalty else 0) + 1
    label_w, bar_w, row_h = 250.0, 420.0, 18.0
    scale = bar_w / max(1.0, sum(weights))
    width, height = label_w + bar_w + 70.0, rows * row_h + 8.0
    parts = []
    for i, (name, weight) in enumerate(zip(names, weights, strict=True)):
        y = 4.0 + i * row_h
        c = float(site[f"contrib_{name}"])
        parts.append(_bar(y, name, weight * scale, c * scale, c, label_w, "#2b6cb0"))
    y = 4.0 + len(names) * row_h
    if penalty:
        parts.append(_bar(y, "penalty rules", 0.0, -penalty * scale, penalty, label_w, "#c53030"))
        y += row_h
    score = float(site["score"])
    parts.append(_bar(y, "score", 1.0 * scale, score * scale, score, label_w, "#276749"))
    return (
        f'<svg width="{width:.0f}" height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" '
        'role="img" font-size="11" font-family="sans-serif" fill="#1d232a">'
        f"<title>Contributions to the score of {_esc(site['site_id'])}; the grey track is the "
        "indicator's weight, the most it can add</title>" + "".join(parts) + "</svg>"
    )


def _bar(y: float, label: str, track: float, fill: float, value: float, x0: float, colour: str):
    mid = y + 12.0
    return (
        f'<text x="{x0 - 6:.1f}" y="{mid:.1f}" text-anchor="end">{_esc(label)}</text>'
        f'<rect x="{x0:.1f}" y="{y + 2:.1f}" width="{max(track, 0):.1f}" height="12" '
        'fill="#e2e8f0"/>'
        f'<rect x="{x0:.1f}" y="{y + 2:.1f}" width="{max(fill, 0):.1f}" height="12" '
        f'fill="{colour}"/>'
        f'<text x="{x0 + max(track, fill) + 4:.1f}" y="{mid:.1f}">'
        f"{_esc(format_number(value, decimals=3))}</text>"
    )
