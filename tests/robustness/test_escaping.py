"""Data text is escaped in every page a run writes: hostile names in the bundle's own files
reach the report, the map and the community page as text, never as markup or script."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import pytest

from tests.robustness.test_bad_inputs import rewrite_csv, run_two_states

#: Markup that would run script if a page wrote it raw: in an element, and closing a script.
IMG = "<img src=x onerror=alert(1)>"
CLOSE = "</script><script>alert(2)</script>"


@pytest.fixture
def hostile_run(tmp_path, bundle):
    """A two-state run whose county, restriction, plant and vertex names carry markup."""
    root, spec = bundle
    gpkg = root / "fixture.gpkg"
    counties = gpd.read_file(gpkg, layer="counties")
    counties["NAME"] = [
        f"{name} {IMG}" if i % 2 else f"{name} {CLOSE}" for i, name in enumerate(counties["NAME"])
    ]
    counties.to_file(gpkg, layer="counties", driver="GPKG", engine="pyogrio")
    restrictions = json.loads((root / "restrictions.json").read_text(encoding="utf-8"))
    for county in restrictions["counties"]:
        county |= {"name": f"{county['name']} {IMG}", "detail": f"{county['detail']} {CLOSE}"}
    (root / "restrictions.json").write_text(json.dumps(restrictions), encoding="utf-8")
    rewrite_csv(root / "plants.csv", lambda t: t.assign(Plant_Name=t["Plant_Name"] + " " + IMG))
    vertices = pd.read_csv(root / "vertices.csv", dtype=str, keep_default_na=False)
    vertices["name"] = vertices["name"].where(vertices["name"] == "", vertices["name"] + CLOSE)
    vertices.to_csv(root / "vertices.csv", index=False)
    result, out, maps = run_two_states(tmp_path, root, spec)
    assert result.exit_code == 0, result.output
    return out, maps


def test_every_page_of_a_run_shows_hostile_names_as_text(hostile_run):
    out, maps = hostile_run
    pages = [out / "report.html", *sorted(maps.glob("*.html"))]
    assert len(pages) == 3  # the report, the map, the community page
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert IMG not in text, page.name
        assert "onerror=alert(1)>" not in text, page.name
        assert "<script>alert(2)" not in text, page.name
        # every script element that opens also closes where the page meant it to
        assert text.count("<script") == text.count("</script>"), page.name
        # and the names are there as text: HTML-escaped, or that inside JSON (the map's popups)
        shown = ("&lt;img src=x", "&lt;/script&gt;", "\\u0026lt;img", "\\u0026lt;/script")
        assert any(form in text for form in shown), page.name
    report = (out / "report.html").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=alert(1)&gt;" in report  # shown, as text
