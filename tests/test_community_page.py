"""The community page: every site's card, the ZIP table inside, inert data text, no fetch at
load, and in a browser offline: a typed ZIP code finds the nearest site and shows its card."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import pytest
from shapely.geometry import box

from siting import maps
from siting.community_page import community_page
from siting.sources.eeweather_zcta import read_zip_centroids
from tests.test_maps import GRID, HOSTILE

CHROMIUM = Path("/usr/bin/chromium")
DATA = re.compile(r'<script type="application/json" id="community-data">(.*?)</script>', re.S)
#: Links Leaflet's attribution shows; followed only when clicked, never fetched at load.
ATTRIBUTION = {"https://leafletjs.com", "https://www.openstreetmap.org/copyright"}


def _sites(**overrides) -> gpd.GeoDataFrame:
    """Two sites 40 km apart in Indiana's part of EPSG:5070."""
    rows = [
        {"rank": 1, "site_id": "IN-A", "score": 0.91, "county": "Hancock"},
        {"rank": 2, "site_id": "IN-B", "score": 0.85, "county": "Shelby"},
    ]
    rows[1] |= overrides
    for row in rows:
        row |= {"peak_demand_mw": 1232.1, "energy_mwh_per_yr": 7.59e6, "area_km2": 4.0}
        row |= {"proxy_indicators": ""}
    geometry = [
        box(700_000, 1_800_000, 702_000, 1_802_000),
        box(740_000, 1_800_000, 742_000, 1_802_000),
    ]
    return gpd.GeoDataFrame(pd.DataFrame(rows), geometry=geometry, crs="EPSG:5070")


ZIPS = pd.DataFrame(
    {
        "zip_code": ["04620", "46140", "46176"],
        "lat_deg": [38.96, 38.95, 39.5],
        "lon_deg": [-87.85, -87.4, -85.78],
        "state": ["IN", "IN", "IN"],
    }
)


def _page(sites: gpd.GeoDataFrame, *, region: str = "Indiana", zips=ZIPS) -> str:
    excluded = np.zeros(GRID.shape, dtype=bool)
    excluded[:10, :10] = True
    return community_page(
        sites=sites,
        excluded=excluded,
        grid=GRID,
        zips=zips,
        units={},
        region_name=region,
        it_capacity_mw=1000.0,
        target_year=2030,
    )


def _data(page: str) -> dict:
    return json.loads(DATA.search(page).group(1))


def test_the_page_holds_every_site_s_card_and_the_zip_table():
    page = _page(_sites())
    headings = re.findall(r'<section class="card" id="card-\d+"><h3>(.*?)</h3>', page)
    assert headings == ["Rank 1: IN-A", "Rank 2: IN-B"]
    assert page.count("At its peak the campus would draw about 1,230 MW") == 2
    data = _data(page)
    assert data["zips"] == {
        "04620": [38.96, -87.85],
        "46140": [38.95, -87.4],
        "46176": [39.5, -85.78],
    }
    assert [s["label"] for s in data["sites"]] == ["Rank 1: IN-A", "Rank 2: IN-B"]
    assert "modelled" in re.findall(r'class="badge badge-(\w+)"', page)
    glossary = re.findall(r"<dt>(.*?)</dt>", page)
    assert "P50/P90" in glossary and "MW" in glossary  # used on the page
    assert "dBA" not in glossary  # no noise figure on this page


def test_the_same_inputs_give_the_same_page():
    assert _page(_sites()) == _page(_sites())


@pytest.mark.parametrize("payload", (*HOSTILE, "</script><script>alert(1)</script>"))
def test_hostile_text_is_shown_and_never_run(payload):
    page = _page(_sites(county=payload, site_id=f"IN-{payload}"), region=payload)
    assert payload not in page
    assert page.count("</script>") == page.count("<script")  # nothing closes a script early
    data = _data(page)
    assert data["sites"][1]["label"] == f"Rank 2: IN-{payload}"  # JSON gives the text back
    assert data["region"] == payload
    card = re.findall(r'<section class="card" id="card-1">(.*?)</section>', page)[0]
    assert f"Rank 2: IN-{payload}" in html.unescape(card)
    assert f"{payload} County." in html.unescape(card)
    assert "49" not in card  # {{ 7*7 }} was not evaluated


def test_nothing_is_fetched_from_the_network_at_load():
    page = _page(_sites())
    links = re.findall(r'\b(src|href)\s*=\s*\\?["\']?(https?://[^"\'\\\s>]+)', page)
    assert not [url for attr, url in links if attr == "src"]
    assert {url for _, url in links} <= ATTRIBUTION
    assert not re.search(r"url\(\s*['\"]?https?:|@import", page)
    tiles = re.findall(r'"(https?://[^"]*\{z\}[^"]*)"', page)
    assert tiles == ["https://tile.openstreetmap.org/{z}/{x}/{y}.png"]  # the only network use


# ---------------------------------------------------------------------------------------------
# in a browser, offline
# ---------------------------------------------------------------------------------------------


def _browser():
    if not CHROMIUM.exists():
        pytest.skip("needs headless Chromium at /usr/bin/chromium")
    sync_api = pytest.importorskip("playwright.sync_api", reason="needs the test extra playwright")
    return sync_api.sync_playwright()


def _open(play, page_path: Path):
    """The page in headless Chromium with the network off; console errors and the URLs it
    asked the network for are recorded."""
    browser = play.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
    context = browser.new_context(offline=True)
    asked, errors = [], []
    context.route(
        re.compile(r"^https?://"), lambda route: (asked.append(route.request.url), route.abort())
    )
    tab = context.new_page()
    tab.on(
        "console",
        lambda m: (
            errors.append(m.text)
            if m.type == "error" and "Failed to load resource" not in m.text
            else None
        ),
    )
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.goto(page_path.as_uri())
    return browser, tab, asked, errors


def _ask(tab, zip_code: str) -> str:
    tab.fill("#zip-input", "")
    tab.type("#zip-input", zip_code)
    tab.click("#zip-form button")
    return tab.inner_text("#zip-result")


def _nearest_by_hand(sites: gpd.GeoDataFrame, lat: float, lon: float) -> tuple[str, float]:
    """Label and geodesic distance [km] of the site whose centre is nearest to a point."""
    centres = sites.geometry.representative_point().to_crs("EPSG:4326")
    _, _, metres = pyproj.Geod(ellps="WGS84").inv(
        np.full(len(centres), lon), np.full(len(centres), lat), centres.x, centres.y
    )
    i = int(np.argmin(metres))
    return f"Rank {int(sites['rank'].iloc[i])}: {sites['site_id'].iloc[i]}", metres[i] / 1000.0


def test_a_typed_zip_finds_the_nearest_site_of_a_real_run_offline(default_run):
    page_path = default_run.map_path.with_name(f"{default_run.run_id}-community.html")
    assert default_run.manifest["outputs"]["community_page"] == str(page_path)
    bundle = default_run.manifest["bundle"]["catalogue"]
    zips = read_zip_centroids(Path(bundle).parent / "tables/zcta_centroids_indiana_region.csv")
    sites = default_run.sites.sort_values("rank")
    last = f"Rank {int(sites['rank'].iloc[-1])}: {sites['site_id'].iloc[-1]}"
    # A ZIP whose nearest site is the lowest-ranked one: showing the best site would be wrong.
    for row in zips.itertuples():
        label, km = _nearest_by_hand(sites, row.lat_deg, row.lon_deg)
        if label == last:
            break
    else:
        pytest.fail("no ZIP area of the bundle is nearest to the last site")
    with _browser() as play:
        browser, tab, asked, errors = _open(play, page_path)
        text = _ask(tab, row.zip_code)
        first = tab.locator("#zip-nearest li").first
        shown_km = float(first.get_attribute("data-km"))
        card = tab.inner_text("#zip-result .zip-card h3")
        unknown = _ask(tab, "99999")
        browser.close()
    assert f"nearest to the centre of ZIP {row.zip_code}" in text
    assert first_line(text, label) == f"{label}: {km:.1f} km ({km / 1.609344:.1f} miles) away"
    assert shown_km == pytest.approx(km, rel=0.005)  # haversine against the WGS84 geodesic
    assert card == label
    assert "ZIP 99999 is not among the" in unknown and "Indiana" in unknown
    assert errors == []
    assert asked and all("tile.openstreetmap.org" in url for url in asked)  # only the tiles


def first_line(text: str, label: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(label))


def test_a_mistyped_zip_is_told_so(tmp_path):
    page_path = tmp_path / "community.html"
    page_path.write_text(_page(_sites()), encoding="utf-8")
    with _browser() as play:
        browser, tab, _, errors = _open(play, page_path)
        typo = _ask(tab, "4614")
        hostile = _ask(tab, "<b>1</b>")
        _ask(tab, "46140")
        near = tab.locator("#zip-nearest li").all_inner_texts()
        browser.close()
    assert "A ZIP code has 5 digits, for example 46204; got “4614”." in typo
    assert "<b>1</b>" in hostile  # shown as text
    assert [line.split(":")[0] + ":" + line.split(":")[1] for line in near] == [
        "Rank 2: IN-B",  # 46140 lies about 4 km from IN-B, 37 km from IN-A
        "Rank 1: IN-A",
    ]
    assert errors == []


def test_a_shared_overlay_gives_the_same_page_as_the_mask():
    excluded = np.random.default_rng(5).random(GRID.shape) < 0.2
    pages = [
        community_page(
            sites=_sites(),
            excluded=shade,
            grid=GRID,
            zips=ZIPS,
            units={},
            region_name="Indiana",
            it_capacity_mw=1000.0,
        )
        for shade in (excluded, maps.excluded_overlay(excluded, GRID))
    ]
    assert pages[0] == pages[1]
