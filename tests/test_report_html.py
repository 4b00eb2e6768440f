"""The self-contained HTML report: offline, one anchored score card per site that adds up,
numbers written for people, data text escaped."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest

from siting.assessments.base import Assessment
from siting.report_html import GLOSSARY, format_number, html_report
from siting.spec import Transform

HOSTILE = "<img src=x onerror=alert(1)>"


class _Page(HTMLParser):
    """The elements of a page that the tests read: tags with attributes, and the text of every
    cell by its class inside each site's card."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.cards: dict[str, dict[str, list[str]]] = {}
        self._card: str | None = None
        self._depth = 0
        self._cell: str | None = None
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        self.tags.append((tag, attrs))
        if tag in ("style", "title", "svg"):
            self._skip += 1
        if tag == "section":
            if "card" in attrs.get("class", "").split():
                self._card, self._depth = attrs["id"], 0
                self.cards[self._card] = {}
            elif self._card:
                self._depth += 1
        if tag == "td" and self._card:
            self._cell = attrs.get("class", "")
            self.cards[self._card].setdefault(self._cell, []).append("")

    def handle_endtag(self, tag):
        if tag in ("style", "title", "svg"):
            self._skip -= 1
        if tag == "td":
            self._cell = None
        if tag == "section" and self._card:
            if self._depth == 0:
                self._card = None
            else:
                self._depth -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)
        if self._card and self._cell is not None:
            self.cards[self._card][self._cell][-1] += data


def _parse(text: str) -> _Page:
    page = _Page()
    page.feed(text)
    return page


def _number(text: str) -> float:
    return float(text.replace(",", "").replace("−", "-"))


@pytest.fixture(scope="module")
def page(default_run):
    return (default_run.out_dir / "report.html").read_text(encoding="utf-8")


def test_the_run_writes_report_html_beside_report_md(default_run):
    assert (default_run.out_dir / "report.md").exists()
    assert (default_run.out_dir / "report.html").exists()
    assert default_run.manifest["outputs"]["report_html"] == "report.html"
    assert "report_html" in default_run.manifest["output_sha256"]


def test_nothing_is_loaded_from_the_network(page):
    parsed = _parse(page)
    for tag, attrs in parsed.tags:
        for name in ("src", "href", "xlink:href", "srcset", "action"):
            assert not re.match(r"\s*(https?:)?//", attrs.get(name, "")), (tag, attrs)
    assert not [t for t, _ in parsed.tags if t in ("script", "link", "iframe", "img")]
    assert "@import" not in page and "url(" not in page


def test_one_anchored_card_per_site_and_the_ranked_table_links_to_it(page, default_run):
    parsed = _parse(page)
    ids = [a["id"] for _, a in parsed.tags if a.get("id", "").startswith("site-")]
    expected = [f"site-{s}" for s in default_run.sites["site_id"]]
    assert sorted(ids) == sorted(expected)
    assert len(set(ids)) == len(ids) == len(default_run.sites) > 0
    links = {
        a["href"] for t, a in parsed.tags if t == "a" and a.get("href", "").startswith("#site-")
    }
    assert links == {f"#{i}" for i in expected}


def test_each_cards_contributions_add_up_to_the_sites_score(page, default_run):
    """The shown contributions (3 decimals) plus the penalty give the score of the site table,
    within the rounding of the shown figures; each contribution is at most weight × 1."""
    cards = _parse(page).cards
    scored = [i for i in default_run.manifest["indicators"] if i["weight"] > 0]
    for _, site in default_run.sites.iterrows():
        card = cards[f"site-{site['site_id']}"]
        contributions = [_number(t) for t in card["num contrib"]]
        assert len(contributions) == len(scored)
        for shown, ind in zip(contributions, scored, strict=True):
            assert 0.0 <= shown <= ind["weight"] + 0.0005
            assert shown == pytest.approx(site[f"contrib_{ind['indicator']}"], abs=0.0005)
        penalty = _number(card["num penalty"][0])
        shown = sum(contributions) + penalty
        assert shown == pytest.approx(site["score"], abs=0.0005 * (len(contributions) + 2))
        assert _number(card["num score"][0]) == pytest.approx(site["score"], abs=0.0005)


def test_no_number_is_written_in_scientific_notation(page, default_run):
    """No figure the report formats has an exponent (the bundle's own notes on its files are
    quoted as written, and left out)."""
    text = " ".join(_parse(page).text)
    for record in default_run.manifest["inputs"]:
        text = text.replace(record["notes"], "")
    assert not re.search(r"(?<![\w.-])[-+−]?\d+(\.\d+)?[eE][-+]?\d+(?!\w)", text)
    # the energies of the ranked table are large numbers, written with separators
    assert re.search(r"\d{1,3}(,\d{3}){2}", text)


def test_the_glossary_explains_every_term(page):
    terms = {t for t, _ in GLOSSARY}
    needed = {"PUE", "WUE", "N−1", "loop-in", "P50 / P90", "percentile", "SVI", "proxy"}
    needed |= {"suitability", "contribution", "UNKNOWN", "M$ and cost year", "MW / MWh"}
    needed |= {"design hour", "interconnection queue"}
    assert needed <= terms
    assert 'id="glossary"' in page
    for term in needed:
        assert f"<dt>{html.escape(term)}</dt>" in page


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (7_434_000.0, None, "7,434,000"),
        (7.434e6, 0, "7,434,000"),
        (52.63, None, "52.6"),
        (0.000012, None, "0.000012"),
        (1.5e-9, None, "0.0000000015"),
        (0.86167, 3, "0.862"),
        (-0.5, 3, "−0.500"),
        (1234567, None, "1,234,567"),
        (float("inf"), None, "∞"),
        (np.float32(2.5e7), None, "25,000,000"),
        (True, None, "yes"),
        (float("nan"), None, ""),
    ],
)
def test_numbers_are_written_for_people(value, decimals, expected):
    assert format_number(value, decimals=decimals) == expected


def _tiny_report(**changes) -> str:
    """A report of one hand-made site: two indicators, one unknown, a penalty."""
    site = {
        "rank": 1,
        "site_id": "IN-1E-2N",
        "county": HOSTILE,
        "score": 0.25,
        "area_km2": 4.0,
        "centroid_lon": -86.0,
        "centroid_lat": 40.0,
        "cost_musd": 250.0,
        "suit_cost_musd": 0.5,
        "contrib_cost_musd": 0.3,
        "pop_per_km2": np.nan,
        "suit_pop_per_km2": np.nan,
        "contrib_pop_per_km2": 0.0,
        "penalty_score": -0.05,
        "unknown_indicators": "pop_per_km2",
        "flags": "",
        "proxy_indicators": "water_mgd",
        "water_mgd": 1.25,
        "water_note": HOSTILE,
        "water_gap": np.nan,
    } | changes
    sites = pd.DataFrame([site])
    indicators = pd.DataFrame(
        {
            "indicator": ["cost_musd", "pop_per_km2"],
            "title": ["Connection cost", "Population density"],
            "units": ["M$", "people/km²"],
            "direction": ["lower_better", "lower_better"],
            "tag": ["real", "real"],
            "weight": [0.6, 0.4],
            "site_value": ["mean", "mean"],
            "source": [HOSTILE, "census"],
        }
    )
    ledger = pd.DataFrame(
        {"rule": [HOSTILE], "kind": ["features"], "mode": ["exclude"], "area_km2": [12_345.6]}
    )
    inputs = [
        {
            "path": "a.csv",
            "title": HOSTILE,
            "source": "USGS",
            "vintage": "2015",
            "license": "public domain",
            "tag": "real",
            "sha256": "ab" * 32,
            "notes": "",
        }
    ]
    water = Assessment(
        name="water supply",
        columns=sites[["water_mgd", "water_note", "water_gap"]],
        units={"water_mgd": "Mgal/d", "water_note": "(text)", "water_gap": "%"},
        notes=(HOSTILE,),
        proxy_columns=("water_mgd",),
    )
    return html_report(
        title="tiny",
        spec_lines=[HOSTILE],
        sites=sites,
        indicators=indicators,
        ledger=ledger,
        inputs=inputs,
        transforms={
            "cost_musd": Transform(kind="linear", best=0.0, worst=500.0),
            "pop_per_km2": Transform(
                kind="piecewise", points=((0.0, 1.0), (100.0, 0.2), (400.0, 0.0))
            ),
        },
        assessments=[water],
    )


def test_hostile_text_is_shown_as_text():
    page = _tiny_report()
    assert "<img" not in page and "onerror=alert(1)>" not in page
    assert page.count("&lt;img src=x onerror=alert(1)&gt;") >= 6
    assert not [t for t, _ in _parse(page).tags if t in ("img", "script")]


def test_a_hostile_site_id_cannot_break_out_of_its_anchor():
    page = _tiny_report(site_id='x" onmouseover="alert(1)')
    ids = [a["id"] for _, a in _parse(page).tags if a.get("id", "").startswith("site-")]
    assert ids == ['site-x" onmouseover="alert(1)']
    assert not [a for _, a in _parse(page).tags if "onmouseover" in a]


def test_unknowns_are_badged_and_proxies_labelled():
    page = _tiny_report()
    card = _parse(page).cards["site-IN-1E-2N"]
    # the unknown indicator's raw value and suitability, and the assessment's missing value
    assert page.count('<span class="unknown">UNKNOWN</span>') == 4
    assert '<code>water_mgd</code><span class="proxy">proxy</span>' in page
    assert "1.25" in card["num"]
    # the hand-made card adds up: 0.300 + 0.000 − 0.050 = 0.250
    assert [_number(t) for t in card["num contrib"]] == [0.3, 0.0]
    assert _number(card["num penalty"][0]) == -0.05
    assert _number(card["num score"][0]) == 0.25
    assert _number(card["num sum"][0]) == 0.3


def test_each_transform_kind_is_drawn_with_the_sites_value_on_it():
    """Linear best 0, worst 500: a cost of 250 M$ sits half-way, at suitability 0.5."""
    page = _tiny_report()
    svgs = re.findall(r"<svg[^>]*>.*?</svg>", page, flags=re.S)
    linear, piecewise = svgs[0], svgs[1]
    assert "<polyline" in linear and "<polyline" in piecewise
    (cx, cy) = map(float, re.search(r'<circle cx="([\d.]+)" cy="([\d.]+)"', linear).groups())
    # the graph's x range is 0–500 widened by 15 % each side, plotted on 18..166 px; y 6..48 px
    assert cx == pytest.approx(18 + (250 + 75) / 650 * 148, abs=0.1)
    assert cy == pytest.approx(6 + 0.5 * 42, abs=0.1)
    assert "<circle" not in piecewise  # the unknown value is not marked
    assert "100 people/km² → 0.2" in piecewise


def test_the_rank_stability_chart_shows_every_site_and_its_range(default_run):
    page = (default_run.out_dir / "report.html").read_text(encoding="utf-8")
    start = page.index('id="stability"')
    section = page[start : page.index("</section>", start)]
    sites = default_run.sites
    assert section.count("<circle") == len(sites)  # one median dot per site
    for site_id in sites["site_id"]:
        assert site_id in section
    # the table beside it gives the same probabilities the site table holds
    assert section.count("<tr>") >= len(sites)
    assert all(0.0 <= p <= 1.0 for p in sites["p_rank1"])


def test_report_md_keeps_hostile_data_text_inert(default_run):
    """report.md is rendered by Markdown viewers, which pass raw HTML through: a county named
    like a tag must arrive as text."""
    import json

    from siting.report import markdown_report

    payload = "<img src=x onerror=alert(1)>"
    sites = default_run.sites.assign(county=payload)
    text = markdown_report(
        title="t",
        spec_lines=["a line"],
        sites=sites,
        indicators=pd.read_csv(default_run.out_dir / "indicators.csv"),
        ledger=default_run.ledger,
        inputs=json.loads((default_run.out_dir / "manifest.json").read_text())["inputs"],
        assessments=[],
        shortfall="",
    )
    assert payload not in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text
