"""The run's map: drawn from disk with no network, short popups, data text shown and never run."""

from __future__ import annotations

import html.parser
import json
import re
import subprocess
from pathlib import Path

import branca.colormap
import folium
import folium.utilities
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString, MultiLineString, Point, box

from siting import determinism, maps
from siting.grid import Grid

CHROMIUM = Path("/usr/bin/chromium")
#: Text a county, site or line could carry that would run as code if a page or template read it.
HOSTILE = (
    "<img src=x onerror=alert(1)>",
    "${alert(1)}",
    "{{ 7*7 }}",
    "{% if x %}",
    "`+alert(1)+`",
    "C:\\x",
)
#: A grid in Indiana's part of EPSG:5070, 150 km across, so the map at zoom 7 shows it wide.
GRID = Grid(
    crs="EPSG:5070", bounds=(650_000.0, 1_750_000.0, 800_000.0, 1_900_000.0), resolution_m=1000.0
)


def _sites(n_extra: int = 60, **overrides) -> gpd.GeoDataFrame:
    x0, y0 = 700_000.0, 1_800_000.0
    row = {
        "rank": 1,
        "site_id": "IN-1",
        "score": 0.8617,
        "area_km2": 4.0625,
        "county": "Hancock",
        "contrib_a_km": 0.1,
        "contrib_b_mw": 0.3,
        "contrib_c_pct": 0.05,
        "contrib_d_degc": 0.2,
        "a_km": 12.34,
        "b_mw": 1_234_567.0,
        "d_degc": 0.0000123,
        "connection_need": "new line",
        "interconnect_cost_musd_low": 1234.6,
        "interconnect_cost_musd_high": 2345.6,
        "time_to_power_p50_months_site": 52.6,
        "time_to_power_p90_months": 97.8,
        "p_meets_target_year": 0.4232,
        "water_site_mgd": np.nan,
        "pop_density_per_km2": 23.78,
        "proxy_indicators": "p_meets_target_year;b_mw",
    }
    row |= {f"extra_{i}": float(i) for i in range(n_extra)}
    row |= overrides
    geometry = [box(x0, y0, x0 + 2000, y0 + 2000)]
    return gpd.GeoDataFrame(pd.DataFrame([row]), geometry=geometry, crs="EPSG:5070")


UNITS = {
    "a_km": "km",
    "b_mw": "MW",
    "d_degc": "°C",
    "interconnect_cost_musd_low": "M$ (2024 US$)",
    "interconnect_cost_musd_high": "M$ (2024 US$)",
    "time_to_power_p50_months_site": "months",
    "water_site_mgd": "Mgal/d",
    "pop_density_per_km2": "people/km²",
}


def _network(label: str = "L1") -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    lines = gpd.GeoDataFrame(
        {"kv": [345.0, np.nan], "line_id": [label, "L2"]},
        geometry=[
            LineString([(660_000, 1_760_000), (790_000, 1_890_000)]),
            LineString([(660_000, 1_890_000), (790_000, 1_760_000)]),
        ],
        crs="EPSG:5070",
    )
    points = gpd.GeoDataFrame(
        {"point_id": ["P1"], "kind": [f"derived {label}"], "max_kv": [345], "n_lines": [2]},
        geometry=[Point(660_000, 1_760_000)],
        crs="EPSG:5070",
    )
    return lines, points


def _page(sites: gpd.GeoDataFrame, *, title: str = "test map", line_label: str = "L1") -> str:
    rows, cols = GRID.shape
    score = np.tile(np.linspace(0.0, 1.0, cols, dtype=np.float32), (rows, 1))
    excluded = np.zeros(GRID.shape, dtype=bool)
    excluded[:10, :10] = True
    lines, points = _network(line_label)
    fmap = maps.build_map(
        score=score,
        excluded=excluded,
        grid=GRID,
        sites=sites,
        lines=lines,
        units=UNITS,
        title=title,
        points=points,
        report_href="../run/report.html",
    )
    return fmap.get_root().render()


def _popups(page: str) -> list[str]:
    """The HTML of every popup bound in the page, as the browser gets it."""
    found = re.findall(r'\.bindPopup\(("(?:[^"\\]|\\.)*")', page)
    return [json.loads(text) for text in found]


class _Reader(html.parser.HTMLParser):
    """Tags and visible text of an HTML fragment."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []
        self.rows = 0

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.rows += tag == "tr"

    def handle_data(self, data):
        self.text.append(data)


def _read(fragment: str) -> _Reader:
    reader = _Reader()
    reader.feed(fragment)
    return reader


CDN_REFERENCE = re.compile(
    r"<script[^>]*\bsrc\s*=\s*[\"']?(https?:)?//"
    r"|<link[^>]*\bhref\s*=\s*[\"']?(https?:)?//"
    r"|@import[^;]*(https?:)?//"
    r"|url\(\s*[\"']?(https?:)?//",
    re.IGNORECASE,
)


# ---------------------------------------------------------------------------------------------
# offline page
# ---------------------------------------------------------------------------------------------


def test_the_pattern_finds_folium_s_own_cdn_links():
    """The check below would catch folium's defaults: a plain folium map is full of them."""
    plain = folium.Map(location=[40, -86]).get_root().render()
    assert len(CDN_REFERENCE.findall(plain)) >= 8


def test_the_page_loads_no_script_or_stylesheet_from_the_network():
    page = _page(_sites())
    assert not CDN_REFERENCE.search(page), CDN_REFERENCE.search(page)
    assert 't.version="1.9.4"' in page  # Leaflet written into the page
    assert ".leaflet-pane" in page  # and its stylesheet
    assert "$(" not in page.replace("$(document)", "")  # nothing calls jQuery, which is gone
    assert "d3.select" not in page


def test_default_run_map_needs_no_network_and_links_the_report(default_run):
    page = default_run.map_path.read_text(encoding="utf-8")
    assert not CDN_REFERENCE.search(page)
    popups = _popups(page)
    assert len(popups) == 2 * len(default_run.sites)  # outline and numbered marker
    first = default_run.sites.iloc[0]["site_id"]
    assert f'href="../run/report.html#site-{first}"' in popups[0]
    assert max(_read(p).rows for p in popups) < 20


def test_relative_href_climbs_out_of_the_map_folder(tmp_path):
    page = tmp_path / "maps" / "r.html"
    assert maps.relative_href(page, tmp_path / "out" / "r" / "report.html") == (
        "../out/r/report.html"
    )
    assert maps.relative_href(page, tmp_path / "maps" / "report.html") == "report.html"
    assert maps.relative_href(page, tmp_path / "a b" / "report.html") == "../a%20b/report.html"


# ---------------------------------------------------------------------------------------------
# popups
# ---------------------------------------------------------------------------------------------


def test_popup_is_a_short_card_of_the_largest_contributions():
    card = maps.popup_html(_sites().iloc[0], UNITS, report_href="../run/report.html")
    reader = _read(card)
    text = " ".join(" ".join(reader.text).split())
    assert reader.rows < 20
    assert "extra_" not in card  # the other 60 columns stay in the site table
    # b (0.3), d (0.2), a (0.1) in that order; c (0.05) is fourth and left out.
    assert text.index("b_mw") < text.index("d_degc") < text.index("a_km")
    assert "c_pct" not in text
    assert "+0.3 to the score (1,234,567 MW)" in text
    assert "(0.0000123 °C)" in text  # no exponent
    assert "1,235–2,346 M$ (2024 US$)" in text
    assert "52.6 months (median), 97.8 (p90)" in text
    assert "42.3 % chance (PROXY)" in text
    assert "On-site water UNKNOWN People" in text
    assert "23.8 people/km²" in text
    assert 'href="../run/report.html#site-IN-1"' in card
    assert "full score card" in text


def test_popup_leaves_out_what_the_site_table_lacks():
    site = _sites(n_extra=0).drop(columns=["water_site_mgd", "pop_density_per_km2"]).iloc[0]
    text = " ".join(_read(maps.popup_html(site, UNITS, report_href=None)).text)
    assert "water" not in text and "People" not in text and "score card" not in text


def test_numbers_are_written_for_people():
    assert maps.number(1234567.8) == "1,234,568"
    assert maps.number(-2500.0) == "-2,500"
    assert maps.number(0.5) == "0.5"
    assert maps.number(1e-7) == "0.0000001"
    assert maps.number(None) == maps.number(pd.NA) == maps.number(np.nan) == "UNKNOWN"


# ---------------------------------------------------------------------------------------------
# hostile text
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_text_is_shown_and_never_run(payload):
    sites = _sites(county=payload, site_id=f"IN-{payload}", connection_need=payload)
    sites["proxy_indicators"] = f"b_mw;{payload}"
    page = _page(sites, title=payload, line_label=payload)
    assert payload not in page
    assert "49" not in "".join(_popups(page))  # {{ 7*7 }} was not evaluated
    for popup in _popups(page):
        reader = _read(popup)
        assert set(reader.tags) <= {"table", "tr", "th", "td", "i", "a"}
        assert f"{payload} County" in "".join(reader.text)
    tooltips = re.findall(r'\.bindTooltip\(("(?:[^"\\]|\\.)*")', page)
    assert {"".join(_read(json.loads(t)).text) for t in tooltips} == {f"Rank 1: IN-{payload}"}


# ---------------------------------------------------------------------------------------------
# in a browser, offline
# ---------------------------------------------------------------------------------------------


def _screenshot(page: Path, tmp_path: Path) -> np.ndarray:
    """The page as headless Chromium draws it with every network request refused, as RGB."""
    return _browse(page, tmp_path)[0]


def _browse(page: Path, tmp_path: Path, *, height: int = 800) -> tuple[np.ndarray, list[str]]:
    """The page drawn by headless Chromium with every network request refused (RGB), and the
    messages its scripts wrote to the console, except requests refused for want of a network
    (the map's tiles)."""
    image = pytest.importorskip("PIL.Image")
    shot = tmp_path / f"{page.stem}.png"
    done = subprocess.run(
        [
            str(CHROMIUM),
            "--headless",
            "--disable-gpu",
            "--no-sandbox",
            "--proxy-server=127.0.0.1:9",
            "--enable-logging=stderr",
            "--v=0",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--virtual-time-budget=5000",
            f"--screenshot={shot}",
            f"--window-size=1200,{height}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    console = [
        line
        for line in done.stderr.splitlines()
        if ":CONSOLE" in line and "Failed to load resource" not in line
    ]
    return np.asarray(image.open(shot).convert("RGB")), console


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs headless Chromium at /usr/bin/chromium")
def test_the_browser_check_hears_a_script_error(tmp_path):
    page = tmp_path / "broken.html"
    page.write_text("<html><body><script>undefinedFn();</script></body></html>")
    _, console = _browse(page, tmp_path)
    assert any("Uncaught ReferenceError" in line for line in console)


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs headless Chromium at /usr/bin/chromium")
def test_the_run_map_and_report_open_offline_with_no_console_error(default_run, tmp_path):
    """The map and report.html of a real run, opened from disk with the network refused: no
    script error, and each draws its data (the map pane and score surface; the report's text
    and charts on a white page)."""
    drawn, console = _browse(default_run.map_path, tmp_path)
    assert console == []
    assert float((drawn == 0xDD).all(axis=-1).mean()) > 0.2  # Leaflet's pane, tiles missing
    assert len(np.unique(drawn[200:600, 300:900].reshape(-1, 3), axis=0)) > 50
    page, console = _browse(default_run.out_dir / "report.html", tmp_path, height=1600)
    assert console == []
    dark = (page < 100).all(axis=-1).mean()  # text and rules drawn on the page
    assert 0.01 < dark < 0.5
    assert "Consensus: share of weight draws" in default_run.map_path.read_text()


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs headless Chromium at /usr/bin/chromium")
def test_the_map_draws_in_a_browser_with_no_network(tmp_path):
    ours = tmp_path / "ours.html"
    ours.write_text(_page(_sites()), encoding="utf-8")
    plain = tmp_path / "plain.html"
    plain.write_text(folium.Map(location=[40, -86]).get_root().render(), encoding="utf-8")
    drawn, blank = _screenshot(ours, tmp_path), _screenshot(plain, tmp_path)

    def map_grey_share(rgb: np.ndarray) -> float:
        return float((rgb == 0xDD).all(axis=-1).mean())  # Leaflet's pane without its tiles

    # folium's own page, its Leaflet on a CDN, draws no map: white, with no pane.
    assert map_grey_share(blank) < 0.01
    # Ours draws the map pane, and over it the score surface and lines in many colours.
    assert map_grey_share(drawn) > 0.2
    centre = drawn[250:550, 450:750].reshape(-1, 3)
    assert len(np.unique(centre, axis=0)) > 50


def _float_mode_shade(excluded: np.ndarray, grid: Grid) -> tuple[np.ndarray, list[list[float]]]:
    """The excluded land warped as float 1/NaN by mode: the plain reference of the overlay."""
    return maps._to_web_mercator(
        np.where(excluded, 1.0, np.nan).astype(np.float32),
        grid,
        resampling=maps.rasterio.warp.Resampling.mode,
    )


@pytest.mark.parametrize("case", ["scattered", "none", "all", "edges"])
def test_the_excluded_overlay_is_the_float_mode_warp_of_the_mask(case):
    grid = Grid(
        crs="EPSG:5070", bounds=(650_000.0, 1_750_000.0, 720_000.0, 1_830_000.0), resolution_m=250.0
    )
    rng = np.random.default_rng(7)
    excluded = {
        "scattered": rng.random(grid.shape) < 0.03,
        "none": np.zeros(grid.shape, dtype=bool),
        "all": np.ones(grid.shape, dtype=bool),
        "edges": np.pad(
            np.zeros((grid.shape[0] - 2, grid.shape[1] - 2), bool),
            1,
            "constant",
            constant_values=True,
        ),
    }[case]
    shade, bounds = _float_mode_shade(excluded, grid)
    grey = branca.colormap.LinearColormap(["#404040", "#404040"], vmin=0.0, vmax=1.0)
    expected = folium.utilities.image_to_url(maps._rgba(shade, grey, alpha=110))
    overlay = maps.excluded_overlay(excluded, grid)
    assert overlay.bounds == bounds
    assert overlay.url == expected


def test_a_shared_overlay_draws_the_same_map_as_the_mask(tmp_path):
    rows, cols = GRID.shape
    score = np.tile(np.linspace(0.0, 1.0, cols, dtype=np.float32), (rows, 1))
    excluded = np.random.default_rng(3).random(GRID.shape) < 0.2
    lines, points = _network()
    pages = []
    for shade in (excluded, maps.excluded_overlay(excluded, GRID)):
        fmap = maps.build_map(
            score=score,
            excluded=shade,
            grid=GRID,
            sites=_sites(n_extra=2),
            lines=lines,
            units=UNITS,
            title="t",
            points=points,
            consensus=score,
        )
        determinism.renumber_element_ids(fmap.get_root())
        pages.append(fmap.get_root().render())
    assert pages[0] == pages[1]


def test_the_lines_geojson_is_the_one_folium_makes_of_the_frame():
    frame = gpd.GeoDataFrame(
        {"kv_label": ["a", "b &amp; c", "d"], "colour": ["#7a0177", None, "#969696"]},
        geometry=[
            LineString([(-86.1, 39.7), (-86.0, 39.812345678901)]),
            MultiLineString([[(-87, 40), (-87.5, 40.5)], [(-85, 38), (-85.1, 38.3)]]),
            LineString([(-86.3, 39.1), (-86.2, 39.0), (-86.25, 38.9)]),
        ],
        crs="EPSG:4326",
        index=[5, 9, 2],
    )
    assert maps._geo_dict(frame) == folium.GeoJson(frame).data
