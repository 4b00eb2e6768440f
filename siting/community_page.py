"""The community page of a run: a map, a ZIP-code box and a plain-language card per site.

One HTML file that opens from disk with no server and no network (``maps/<run>-community.html``):
Leaflet is written into it (:mod:`siting.maps`), the candidate sites and the excluded land are
drawn as on the run's map, and the region's ZIP-code centroids travel inside the page as JSON,
so the ZIP box finds the nearest sites offline. Only the background tiles need a network. The
sentences of the cards are :func:`siting.summary.site_statements`; the page's own words are in
:data:`siting.summary.PHRASES`. Every data text passes through :func:`siting.maps.inert`, and
the embedded JSON through :func:`script_json`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

import branca.element
import geopandas as gpd
import jinja2
import numpy as np
import pandas as pd

from siting import determinism, maps
from siting.grid import Grid
from siting.maps import inert, number
from siting.summary import CONFIDENCE, GLOSSARY, PHRASES, Statement, rounded, site_statements

if TYPE_CHECKING:
    import folium

#: Height of the map on the page. [px]
MAP_HEIGHT_PX = 460
#: Number of nearest sites the ZIP box lists.
NEAREST_COUNT = 3
#: Decimal places of the embedded ZIP centroids (0.0001° is about 10 m). [-]
ZIP_DECIMALS = 4
#: Characters written as JSON escapes inside the page's JSON strings.
_JSON_ESCAPES = str.maketrans(
    {
        "<": "\\u003c",
        ">": "\\u003e",
        "&": "\\u0026",
        "{": "\\u007b",
        "}": "\\u007d",
        "$": "\\u0024",
        "`": "\\u0060",
    }
)
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def script_json(value: object) -> str:
    """``value`` as JSON that is safe inside a ``<script>`` element and inside a template.

    ``< > &`` are written as JSON escapes, so no ``</script>`` or ``<!--`` can close or bend
    the element; braces, ``$`` and backticks inside strings are escaped too, so no template reads
    them. ``JSON.parse``
    gives back the original text.

    Examples
    --------
    >>> text = script_json({"name": "</script>{{ x }}"})
    >>> "</script>" in text, "{{" in text, json.loads(text)["name"]
    (False, False, '</script>{{ x }}')
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return _JSON_STRING.sub(lambda m: m.group(0).translate(_JSON_ESCAPES), text)


def community_page(
    *,
    sites: gpd.GeoDataFrame,
    excluded: np.ndarray | maps.Overlay,
    grid: Grid,
    zips: pd.DataFrame | None,
    units: Mapping[str, str],
    region_name: str,
    it_capacity_mw: float,
    target_year: int | None = None,
    setback_m: float | None = None,
    report_href: str | None = None,
    lang: str = "en",
) -> str:
    """The run's community page as one self-contained HTML text.

    Parameters
    ----------
    sites : geopandas.GeoDataFrame
        The site table with its polygons.
    excluded : numpy.ndarray or siting.maps.Overlay
        Excluded cells of ``grid`` (bool), or their :func:`siting.maps.excluded_overlay`, to
        share one warp with the run's map.
    grid : Grid
        The run's analysis grid.
    zips : pandas.DataFrame or None
        The region's ZIP areas (``zip_code``, ``lat_deg``, ``lon_deg``, ``state``); None or
        empty when the bundle has none: the ZIP box then says every ZIP is unknown.
    units : Mapping[str, str]
        Units of the site table's columns, for the map's popups.
    region_name : str
        The run's region, named in the page's title and in the message for a ZIP outside it.
    it_capacity_mw : float
        The campus's computing load. [MW]
    target_year : int, optional
        The spec's target energization year, for the time-to-power sentences.
    setback_m : float, optional
        The spec's homes setback distance. [m]
    report_href : str, optional
        The run's ``report.html`` relative to the page, linked from each popup.
    lang : str
        Key of :data:`siting.summary.PHRASES`.

    Returns
    -------
    str
        The page; two calls with the same arguments give the same text.
    """
    words = PHRASES[lang]
    title = words["page_title"].format(region=region_name)
    fmap = _map(sites, excluded, grid, units, report_href=report_href)
    ordered = sites.sort_values("rank", kind="stable")
    statements = [
        site_statements(row.to_dict(), target_year=target_year, setback_m=setback_m, lang=lang)
        for _, row in ordered.iterrows()
    ]
    cards = [
        site_card(row, said, card_id=f"card-{i}", words=words)
        for i, ((_, row), said) in enumerate(zip(ordered.iterrows(), statements, strict=True))
    ]
    texts = [s.text for said in statements for s in said] + [words["page_uncertainty"]]
    root = fmap.get_root()
    root.header.add_child(maps._Raw(f"<title>{inert(title)}</title>"), name="title")
    root.header.add_child(maps._Raw(f"<style>{PAGE_CSS}</style>"), name="community_css")
    intro = words["page_intro"].format(mw=f"{rounded(it_capacity_mw)} MW")
    root.html.add_child(maps._Raw(_top(title, intro, words)), name="community_top")
    body = "".join(cards) + _notes(words, glossary_terms(texts, lang=lang), lang=lang)
    root.html.add_child(maps._Raw(f'<main id="cards">{body}</main>'), name="community_cards")
    data = page_data(ordered, zips, words=words, region_name=region_name)
    root.html.add_child(
        maps._Raw(f'<script type="application/json" id="community-data">{data}</script>'),
        name="community_data",
    )
    root.script.add_child(maps._Raw(PAGE_JS), name="community_js")
    fmap.add_child(_Start())
    determinism.renumber_element_ids(root)
    return root.render()


def page_data(
    sites: gpd.GeoDataFrame,
    zips: pd.DataFrame | None,
    *,
    words: Mapping[str, str],
    region_name: str,
) -> str:
    """The JSON the page's script reads: sites (label, card id, centre), ZIP centroids, words.

    ``sites`` is in card order; each site's centre is its polygon's representative point, as
    the map's numbered marker, in degrees (WGS84).
    """
    centres = sites.geometry.representative_point().to_crs("EPSG:4326")
    site_rows = [
        {
            "card": f"card-{i}",
            "label": f"Rank {_rank(rank)}: {site_id}",
            "lat": round(float(p.y), 5),
            "lon": round(float(p.x), 5),
        }
        for i, (rank, site_id, p) in enumerate(
            zip(sites["rank"], sites["site_id"], centres, strict=True)
        )
    ]
    zips = zips if zips is not None else pd.DataFrame(columns=["zip_code", "lat_deg", "lon_deg"])
    zip_rows = {
        str(code): [round(float(lat), ZIP_DECIMALS), round(float(lon), ZIP_DECIMALS)]
        for code, lat, lon in zip(zips["zip_code"], zips["lat_deg"], zips["lon_deg"], strict=True)
    }
    page_words = {k: v for k, v in words.items() if k.startswith("page_zip")}
    return script_json(
        {
            "sites": site_rows,
            "zips": zip_rows,
            "zip_count": f"{len(zip_rows):,}",
            "region": str(region_name),
            "nearest": NEAREST_COUNT,
            "words": page_words,
        }
    )


def site_card(
    site: pd.Series, statements: Sequence[Statement], *, card_id: str, words: Mapping[str, str]
) -> str:
    """One site's card: rank, name, county and score, then each statement with its source and
    a confidence badge (measured, modelled, proxy or unknown)."""
    where = words["page_card_where"].format(
        county=maps._text(site.get("county")), score=number(site.get("score"))
    )
    items = "".join(_statement(s, words) for s in statements)
    return (
        f'<section class="card" id="{inert(card_id)}">'
        f"<h3>Rank {inert(_rank(site['rank']))}: {inert(site['site_id'])}</h3>"
        f'<p class="where">{inert(where)}</p><ul class="statements">{items}</ul></section>'
    )


def _statement(statement: Statement, words: Mapping[str, str]) -> str:
    level = statement.confidence if statement.confidence in CONFIDENCE else "unknown"
    return (
        f'<li class="statement topic-{inert(statement.topic)}"><p>{inert(statement.text)}</p>'
        f'<p class="source">{_badge(level, words)} Source: {inert(statement.source)}</p></li>'
    )


def _badge(level: str, words: Mapping[str, str]) -> str:
    meaning = words[f"confidence_{level}"]
    return f'<span class="badge badge-{level}" title="{inert(meaning)}">{level}</span>'


def glossary_terms(texts: Iterable[str], *, lang: str = "en") -> list[str]:
    """The :data:`~siting.summary.GLOSSARY` terms that ``texts`` use, in glossary order.

    A term such as ``P50/P90`` is used when either part is; acronyms match their case, words
    (``queue``) any case.

    >>> glossary_terms(["PUE 1.2, in the queue", "a P90 case", "pueblo"])
    ['PUE', 'queue', 'P50/P90']
    """
    joined = "\n".join(texts)
    used = []
    for term in GLOSSARY[lang]:
        flags = re.IGNORECASE if term.islower() else 0
        parts = term.split("/")
        if any(re.search(rf"\b{re.escape(p)}\b", joined, flags) for p in parts):
            used.append(term)
    return used


def _rank(rank: object) -> str:
    return str(int(rank)) if not pd.isna(rank) else "UNKNOWN"


def _top(title: str, intro: str, words: Mapping[str, str]) -> str:
    return (
        f'<header id="top"><h1>{inert(title)}</h1><p>{inert(intro)}</p>'
        '<form id="zip-form" autocomplete="off">'
        f'<label for="zip-input">{inert(words["page_zip_prompt"])}</label> '
        '<input id="zip-input" name="zip" inputmode="numeric" maxlength="10" size="8"> '
        f'<button type="submit">{inert(words["page_zip_button"])}</button></form>'
        '<div id="zip-result" aria-live="polite"></div></header>'
    )


def _notes(words: Mapping[str, str], terms: Sequence[str], *, lang: str) -> str:
    """The page's closing notes: how sure the figures are, the badges, and the glossary."""
    badges = "".join(
        f"<li>{_badge(level, words)} {inert(words[f'confidence_{level}'])}</li>"
        for level in CONFIDENCE
    )
    glossary = "".join(
        f"<dt>{inert(term)}</dt><dd>{inert(GLOSSARY[lang][term])}</dd>" for term in terms
    )
    return (
        f'<section id="about"><h2>How sure are these numbers?</h2>'
        f"<p>{inert(words['page_uncertainty'])}</p>"
        f'<ul class="badges">{badges}</ul>'
        f'<h2>Words used on this page</h2><dl id="glossary">{glossary}</dl></section>'
    )


def _map(
    sites: gpd.GeoDataFrame,
    excluded: np.ndarray | maps.Overlay,
    grid: Grid,
    units: Mapping[str, str],
    *,
    report_href: str | None,
) -> folium.Map:
    """The run map's excluded land and candidate sites on a map of fixed height."""
    import folium  # folium takes 0.3 s to import: only runs that draw a map pay for it

    shade = (
        excluded if isinstance(excluded, maps.Overlay) else maps.excluded_overlay(excluded, grid)
    )
    bounds = shade.bounds
    centre = [(bounds[0][0] + bounds[1][0]) / 2, (bounds[0][1] + bounds[1][1]) / 2]
    fmap = folium.Map(
        location=centre,
        zoom_start=7,
        tiles="OpenStreetMap",
        control_scale=True,
        height=MAP_HEIGHT_PX,
    )
    maps._offline(fmap)
    folium.raster_layers.ImageOverlay(
        shade.url, bounds=bounds, name="Land ruled out for a campus"
    ).add_to(fmap)
    maps._add_sites(fmap, sites, units, report_href=report_href)
    folium.LayerControl(collapsed=False).add_to(fmap)
    return fmap


class _Start(branca.element.MacroElement):
    """Starts the page's script once the map it belongs to exists."""

    _template = jinja2.Template(
        "{% macro script(this, kwargs) %}"
        "communityPage({{ this._parent.get_name() }});"
        "{% endmacro %}"
    )


PAGE_CSS = """
html:root { height: auto; }
html body { display: flex; flex-direction: column; height: auto; width: auto; max-width: 62rem;
  margin: 0 auto; padding: 0 1rem 2rem; font: 17px/1.5 Georgia, "Times New Roman", serif;
  color: #1a1a1a; background: #fff; }
html body > * { flex-shrink: 0; }
header { order: 1; }
html body .folium-map { order: 2; border: 1px solid #999; margin: 0.5rem 0 1rem; }
main { order: 3; }
h1 { font-size: 1.6rem; margin: 1rem 0 0.3rem; }
h2 { font-size: 1.3rem; margin-top: 1.5rem; }
h3 { font-size: 1.15rem; margin: 0 0 0.3rem; }
#zip-form { margin: 0.8rem 0; font-family: sans-serif; }
#zip-form input { font-size: 1.1rem; padding: 0.2rem 0.4rem; }
#zip-form button { font-size: 1rem; padding: 0.25rem 0.8rem; }
#zip-result .zip-error { color: #8b0000; font-weight: bold; }
#zip-result .zip-note { font-size: 0.9rem; color: #444; }
.card { border: 1px solid #bbb; border-radius: 6px; padding: 0.8rem 1rem; margin: 0 0 1rem; }
.zip-card { border: 2px solid #08306b; }
.where { margin: 0 0 0.5rem; }
.statements { list-style: none; padding: 0; margin: 0; }
.statement { margin: 0 0 0.6rem; }
.statement p { margin: 0; }
.source { font: 0.85rem/1.4 sans-serif; color: #444; }
.badge { display: inline-block; font: bold 0.75rem sans-serif; color: #fff; padding: 0 0.4rem;
  border-radius: 3px; text-transform: uppercase; }
.badge-measured { background: #1b7837; }
.badge-modelled { background: #2166ac; }
.badge-proxy { background: #b35806; }
.badge-unknown { background: #595959; }
.badges { list-style: none; padding: 0; }
dt { font-weight: bold; } dd { margin: 0 0 0.4rem 1.5rem; }
"""

#: The page's script: the ZIP box. It reads the JSON of :func:`page_data` and writes text
#: with ``textContent`` only.
PAGE_JS = r"""
function fillWords(template, values) {
  return template.replace(/\{(\w+)\}/g, function (whole, key) {
    return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : whole;
  });
}
function kmBetween(lat1, lon1, lat2, lon2) {
  var r = 6371.0088, rad = Math.PI / 180;
  var a = Math.pow(Math.sin((lat2 - lat1) * rad / 2), 2) +
    Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.pow(Math.sin((lon2 - lon1) * rad / 2), 2);
  return 2 * r * Math.asin(Math.sqrt(a));
}
function sayInto(out, tag, text, cls) {
  var node = document.createElement(tag);
  node.textContent = text;
  if (cls) { node.className = cls; }
  out.appendChild(node);
  return node;
}
function showZip(map, data, typed, out) {
  var words = data.words, code = String(typed).trim();
  out.textContent = "";
  if (!/^[0-9]{5}$/.test(code)) {
    sayInto(out, "p", fillWords(words.page_zip_invalid, {zip: code}), "zip-error");
    return null;
  }
  var where = Object.prototype.hasOwnProperty.call(data.zips, code) ? data.zips[code] : null;
  if (!where) {
    sayInto(out, "p", fillWords(words.page_zip_unknown,
      {zip: code, count: data.zip_count, region: data.region}), "zip-error");
    return null;
  }
  var near = data.sites.map(function (s) {
    return {site: s, km: kmBetween(where[0], where[1], s.lat, s.lon)};
  }).sort(function (a, b) { return a.km - b.km; }).slice(0, data.nearest);
  sayInto(out, "p", fillWords(words.page_zip_nearest, {zip: code}), "zip-heading");
  var list = document.createElement("ol");
  list.id = "zip-nearest";
  near.forEach(function (n) {
    var item = sayInto(list, "li", fillWords(words.page_zip_site,
      {site: n.site.label, km: n.km.toFixed(1), mi: (n.km / 1.609344).toFixed(1)}));
    item.setAttribute("data-km", n.km.toFixed(3));
  });
  out.appendChild(list);
  sayInto(out, "p", words.page_zip_note, "zip-note");
  if (!near.length) { return null; }
  var card = document.getElementById(near[0].site.card).cloneNode(true);
  card.removeAttribute("id");
  card.classList.add("zip-card");
  out.appendChild(card);
  var marker = L.circleMarker(where, {radius: 8, color: "#b2182b", weight: 3}).addTo(map);
  map.fitBounds(L.latLngBounds([where, [near[0].site.lat, near[0].site.lon]]).pad(0.4));
  return marker;
}
function communityPage(map) {
  var data = JSON.parse(document.getElementById("community-data").textContent);
  var input = document.getElementById("zip-input");
  var out = document.getElementById("zip-result");
  var marker = null;
  document.getElementById("zip-form").addEventListener("submit", function (event) {
    event.preventDefault();
    if (marker) { map.removeLayer(marker); }
    marker = showZip(map, data, input.value, out);
  });
}
"""
