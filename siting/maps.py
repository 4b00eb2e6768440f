"""The interactive folium map of a run: score surface, exclusions, lines, connection points and
candidate sites.

The page needs no network but for its background tiles: Leaflet is written into it from the
copy in ``siting/data/vendor/leaflet``, and folium's other CDN scripts and stylesheets (jQuery,
Bootstrap, Font Awesome, awesome-markers, d3), which this map does not use, are left out. Every
text taken from data passes through :func:`inert` before it reaches the page.
"""

from __future__ import annotations

import dataclasses
import html
import json
import os
import urllib.parse
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import branca.colormap
import branca.element
import geopandas as gpd
import jinja2
import numpy as np
import pandas as pd
import rasterio.warp

from siting.grid import Grid

if TYPE_CHECKING:
    import folium

MAP_CELL_M = 1000.0
KV_COLOURS = {
    765: "#7a0177",
    500: "#c51b8a",
    345: "#e7298a",
    230: "#fd8d3c",
    161: "#fdae6b",
    0: "#969696",
}
#: Colours of the score surface from 0 to 1, evenly spaced.
SCORE_HEX = ("#d7191c", "#ffffbf", "#1a9641")
SCORE_COLOURS = branca.colormap.LinearColormap(list(SCORE_HEX), vmin=0.0, vmax=1.0)


#: Threads GDAL warps the map surfaces with. Each output cell is computed on its own, so the
#: values are the same for any count.
WARP_THREADS = 2


def _to_web_mercator(
    values: np.ndarray, grid: Grid, *, resampling, nodata: float = np.nan
) -> tuple[np.ndarray, list[list[float]]]:
    """Warp a grid array to EPSG:3857 at about ``MAP_CELL_M`` and return it with lat/lon bounds.

    Float arrays are warped as float32, other arrays in their own type; ``nodata`` marks the
    cells left out, in the source and in the result.
    """
    values = values.astype(np.float32, copy=False) if values.dtype.kind == "f" else values
    left, bottom, right, top = rasterio.warp.transform_bounds(grid.crs, "EPSG:3857", *grid.bounds)
    width = max(1, round((right - left) / MAP_CELL_M))
    height = max(1, round((top - bottom) / MAP_CELL_M))
    dst_transform = rasterio.transform.from_bounds(left, bottom, right, top, width, height)
    out = np.full((height, width), nodata, dtype=values.dtype)
    rasterio.warp.reproject(
        values,
        out,
        src_transform=grid.transform,
        src_crs=grid.crs,
        src_nodata=nodata,
        dst_transform=dst_transform,
        dst_crs="EPSG:3857",
        dst_nodata=nodata,
        resampling=resampling,
        num_threads=WARP_THREADS,
    )
    west, south, east, north = rasterio.warp.transform_bounds(
        "EPSG:3857", "EPSG:4326", left, bottom, right, top
    )
    return out, [[south, west], [north, east]]


@dataclasses.dataclass(frozen=True, kw_only=True)
class Overlay:
    """A grid surface drawn for the maps: its PNG as a data URL, and its bounds
    ``[[south, west], [north, east]]``. [degrees]"""

    url: str
    bounds: list[list[float]]


#: Grey of the excluded land on the maps.
EXCLUDED_COLOURS = branca.colormap.LinearColormap(["#404040", "#404040"], vmin=0.0, vmax=1.0)


def excluded_overlay(excluded: np.ndarray, grid: Grid) -> Overlay:
    """The excluded cells of ``grid`` (bool) as the maps' grey overlay at ``MAP_CELL_M``.

    Warped and encoded once, a run's map and community page share it. The mask is warped as
    bytes (1 excluded, 0 left out) by mode, which GDAL counts in a histogram, twice as fast as
    the float mode; with a single value besides nodata both modes give 1 exactly where an
    excluded cell falls in a map cell, and nodata elsewhere.
    """
    from folium.utilities import image_to_url

    img, bounds = _to_web_mercator(
        excluded.astype(np.uint8), grid, resampling=rasterio.warp.Resampling.mode, nodata=0
    )
    shade = np.where(img == 1, np.float32(1.0), np.float32(np.nan))
    return Overlay(url=image_to_url(_rgba(shade, EXCLUDED_COLOURS, alpha=110)), bounds=bounds)


#: Light to dark purple over the share of weight draws, 0–1.
CONSENSUS_COLOURS = branca.colormap.LinearColormap(["#efedf5", "#3f007d"], vmin=0.0, vmax=1.0)


def _rgba(
    values: np.ndarray, colormap: branca.colormap.LinearColormap, *, alpha: int
) -> np.ndarray:
    """Colour a float array with ``colormap``; NaN cells transparent."""
    rgba = np.zeros((*values.shape, 4), dtype=np.uint8)
    finite = np.isfinite(values)
    stops = np.linspace(colormap.vmin, colormap.vmax, 256)
    table = np.array([colormap.rgba_bytes_tuple(v) for v in stops], dtype=np.uint8)
    idx = np.clip(
        np.round((values[finite] - colormap.vmin) / (colormap.vmax - colormap.vmin) * 255), 0, 255
    )
    rgba[finite] = table[idx.astype(int)]
    rgba[finite, 3] = alpha
    return rgba


def _kv_colour(kv: float) -> str:
    for level in sorted(KV_COLOURS, reverse=True):
        if np.isfinite(kv) and kv >= level:
            return KV_COLOURS[level]
    return KV_COLOURS[0]


#: Characters that JavaScript template literals and Jinja templates read, as HTML references.
_TEMPLATE_CHARS = str.maketrans(
    {"$": "&#36;", "{": "&#123;", "}": "&#125;", "\\": "&#92;", "`": "&#96;"}
)


def inert(value: object) -> str:
    """Text from data as HTML that shows it literally and that no template reads as code.

    HTML-escaped (quotes included), and ``$ { } \\ ` `` written as character references: folium
    re-reads rendered scripts as Jinja templates (``{{ }}``, ``{% %}``, ``{# #}``) and puts some
    HTML into JavaScript template literals (``${…}``, backslash escapes).

    Examples
    --------
    >>> inert("<b>${x}</b> {{ 7*7 }}")
    '&lt;b&gt;&#36;&#123;x&#125;&lt;/b&gt; &#123;&#123; 7*7 &#125;&#125;'
    """
    return html.escape(str(value), quote=True).translate(_TEMPLATE_CHARS)


def _missing(value: object) -> bool:
    if value is None or (isinstance(value, str) and not value.strip()):
        return True
    return bool(np.ndim(value) == 0 and pd.isna(value))


def number(value: object) -> str:
    """A number for people: thousands separators, three significant digits below 100, no
    exponent; UNKNOWN for a missing value.

    Examples
    --------
    >>> number(1234567.8), number(52.64), number(0.000123), number(float("nan"))
    ('1,234,568', '52.6', '0.000123', 'UNKNOWN')
    """
    if _missing(value):
        return "UNKNOWN"
    v = float(value)
    if not np.isfinite(v):
        return "UNKNOWN" if np.isnan(v) else ("∞" if v > 0 else "−∞")
    if abs(v) >= 100:
        return f"{v:,.0f}"
    return np.format_float_positional(v, precision=3, unique=True, fractional=False, trim="-")


def _text(value: object) -> str:
    """A data value as plain text: :func:`number` for numbers, UNKNOWN for missing."""
    if _missing(value):
        return "UNKNOWN"
    if isinstance(value, float | int | np.number) and not isinstance(value, bool | np.bool_):
        return number(value)
    return str(value)


def relative_href(page: Path, target: Path) -> str:
    """URL of ``target`` relative to the folder of ``page``, for a link between run outputs.

    Examples
    --------
    >>> relative_href(Path("/runs/maps/r1.html"), Path("/runs/out/r1/report.html"))
    '../out/r1/report.html'
    """
    rel = os.path.relpath(Path(target).resolve(), Path(page).resolve().parent)
    return urllib.parse.quote(Path(rel).as_posix())


def _value_unit(site: pd.Series, column: str, units: Mapping[str, str]) -> str:
    unit = units.get(column, "")
    if _missing(site[column]) or not unit or unit.startswith("(text"):
        return _text(site[column])
    return f"{_text(site[column])} {unit}"


def _first(site: pd.Series, columns: Sequence[str]) -> str | None:
    return next((c for c in columns if c in site.index), None)


def _card_rows(site: pd.Series, units: Mapping[str, str]) -> list[tuple[str, str, list[str]]]:
    """The popup's rows after the heading: (label, value text, columns read)."""
    rows = [
        ("Score", f"{number(site['score'])} (0–1)", ["score"]),
        ("Where", f"{_text(site['county'])} County, {number(site['area_km2'])} km²", ["county"]),
    ]
    contribs = pd.to_numeric(site.filter(like="contrib_"), errors="coerce").dropna()
    for column, value in contribs.sort_values(ascending=False, kind="stable").head(3).items():
        name = column.removeprefix("contrib_")
        shown = f" ({_value_unit(site, name, units)})" if name in site.index else ""
        rows.append((name, f"+{number(value)} to the score{shown}", [column, name]))
    if "connection_need" in site.index:
        rows.append(("Connection", _text(site["connection_need"]), ["connection_need"]))
    cost = ["interconnect_cost_musd_low", "interconnect_cost_musd_high"]
    if set(cost) <= set(site.index):
        low, high = (number(site[c]) for c in cost)
        span = low if low == high else f"{low}–{high}"
        rows.append(("Connection cost", f"{span} {units.get(cost[0], 'M$')}", cost))
    p50 = _first(site, ("time_to_power_p50_months_site", "time_to_power_p50_months"))
    if p50:
        text, read = f"{_value_unit(site, p50, {p50: 'months'})} (median)", [p50]
        if "time_to_power_p90_months" in site.index:
            text += f", {number(site['time_to_power_p90_months'])} (p90)"
            read.append("time_to_power_p90_months")
        rows.append(("Time to power", text, read))
    if "p_meets_target_year" in site.index:
        p = site["p_meets_target_year"]
        text = "UNKNOWN" if _missing(p) else f"{number(100 * float(p))} % chance"
        rows.append(("Power by target year", text, ["p_meets_target_year"]))
    water = _first(site, ("water_site_mgd", "water_site_gal_per_day", "water_site_m3_per_yr"))
    if water:
        rows.append(("On-site water", _value_unit(site, water, units), [water]))
    people = _first(site, ("population_nearby", "pop_density_per_km2"))
    if people:
        rows.append(("People nearby", _value_unit(site, people, units), [people]))
    return rows


def popup_html(site: pd.Series, units: Mapping[str, str], *, report_href: str | None) -> str:
    """A site's popup: a short card of its rank, score, largest contributions, power, water and
    people nearby, with a link to its full score card in the run's report.

    Parameters
    ----------
    site : pandas.Series
        One row of the site table.
    units : Mapping[str, str]
        Units of the site table's columns.
    report_href : str or None
        URL of ``report.html`` relative to the map's folder; no link when None.

    Returns
    -------
    str
        HTML in which every data text has passed through :func:`inert`. Each row's label names
        the site-table columns it reads in its tooltip; values resting on proxy data say PROXY.
    """
    proxies = set(str(site.get("proxy_indicators", "") or "").split(";")) - {""}
    rows = [
        f'<tr><th colspan="2" style="text-align:left">Rank {inert(_text(site["rank"]))}: '
        f"{inert(site['site_id'])}</th></tr>"
    ]
    for label, value, read in _card_rows(site, units):
        proxy = " <i>(PROXY)</i>" if proxies & set(read) else ""
        rows.append(
            f'<tr><td title="{inert(", ".join(read))}">{inert(label)}</td>'
            f"<td>{inert(value)}{proxy}</td></tr>"
        )
    if report_href is not None:
        anchor = urllib.parse.quote(f"site-{site['site_id']}", safe="")
        rows.append(
            f'<tr><td colspan="2"><a href="{inert(report_href)}#{inert(anchor)}">'
            "full score card</a></td></tr>"
        )
    return f'<table style="font:12px sans-serif;border-spacing:6px 2px">{"".join(rows)}</table>'


class _Raw(branca.element.Element):
    """Text put into the page as it is, never read as a template."""

    _template = jinja2.Template("{{ this.text }}")

    def __init__(self, text: str):
        super().__init__()
        self.text = text


class _Bound(branca.element.MacroElement):
    """A popup or tooltip bound to its parent layer, its HTML passed as a JSON string."""

    _template = jinja2.Template(
        "{% macro script(this, kwargs) %}"
        "{{ this._parent.get_name() }}.{{ this.method }}"
        "({{ this.content|tojson }}, {{ this.options|tojson }});"
        "{% endmacro %}"
    )

    def __init__(self, method: str, content: str, **options: object):
        super().__init__()
        self.method, self.content, self.options = method, content, options


def vendored_leaflet(name: str) -> str:
    """A file of the Leaflet copy shipped in ``siting/data/vendor/leaflet``, as text."""
    return (resources.files("siting") / "data" / "vendor" / "leaflet" / name).read_text("utf-8")


def _offline(fmap: folium.Map) -> None:
    """Write Leaflet into the page and drop folium's CDN scripts and stylesheets."""
    fmap.default_js = []
    fmap.default_css = []
    header = fmap.get_root().header
    header.add_child(_Raw(f"<style>{vendored_leaflet('leaflet.css')}</style>"), name="leaflet_css")
    header.add_child(_Raw(f"<script>{vendored_leaflet('leaflet.js')}</script>"), name="leaflet")


def build_map(
    *,
    score: np.ndarray,
    excluded: np.ndarray | Overlay,
    grid: Grid,
    sites: gpd.GeoDataFrame,
    lines: gpd.GeoDataFrame,
    units: Mapping[str, str],
    title: str,
    points: gpd.GeoDataFrame | None = None,
    report_href: str | None = None,
    consensus: np.ndarray | None = None,
) -> folium.Map:
    """Folium map with toggleable layers: score, excluded land, the consensus of the weight
    draws, transmission lines by kV, connection points by highest kV, and sites.

    ``excluded`` is the excluded cells of ``grid`` (bool), or their :func:`excluded_overlay` to
    share one warp with the community page. ``units`` maps the site table's columns to their
    units. ``points`` holds the connection points (``point_id``, ``kind``, ``max_kv``; derived
    ones say so in ``kind``). ``report_href`` is the run's ``report.html`` relative to the
    map's folder (:func:`relative_href`); each site popup links to its ``#site-<site_id>``
    there. ``consensus`` is the share of weight draws in which each cell is among the best
    (docs/methods.md §11.6); cells never among them are left clear.
    """
    import folium  # folium takes 0.3 s to import: only runs that draw a map pay for it

    score_img, bounds = _to_web_mercator(score, grid, resampling=rasterio.warp.Resampling.average)
    shade = excluded if isinstance(excluded, Overlay) else excluded_overlay(excluded, grid)
    centre = [(bounds[0][0] + bounds[1][0]) / 2, (bounds[0][1] + bounds[1][1]) / 2]
    fmap = folium.Map(location=centre, zoom_start=7, tiles="OpenStreetMap", control_scale=True)
    _offline(fmap)
    folium.raster_layers.ImageOverlay(
        _rgba(score_img, SCORE_COLOURS, alpha=170),
        bounds=bounds,
        name="Suitability score",
        mercator_project=False,
    ).add_to(fmap)
    folium.raster_layers.ImageOverlay(
        shade.url, bounds=shade.bounds, name="Excluded land", show=False
    ).add_to(fmap)
    if consensus is not None:
        share, _ = _to_web_mercator(
            np.where(consensus > 0, consensus, np.float32(np.nan)),
            grid,
            resampling=rasterio.warp.Resampling.max,
        )
        folium.raster_layers.ImageOverlay(
            _rgba(share, CONSENSUS_COLOURS, alpha=200),
            bounds=bounds,
            name="Consensus: share of weight draws with the cell among the best",
            show=False,
            mercator_project=False,
        ).add_to(fmap)
    _add_lines(fmap, lines)
    if points is not None and len(points):
        _add_points(fmap, points)
    _add_sites(fmap, sites, units, report_href=report_href)
    folium.LayerControl(collapsed=False).add_to(fmap)
    proxies = sites["proxy_indicators"].iloc[0] if len(sites) else ""
    root = fmap.get_root()
    root.html.add_child(_Raw(_legend(str(proxies or "").replace(";", ", "))), name="legend")
    root.header.add_child(_Raw(f"<title>{inert(title)}</title>"), name="title")
    return fmap


def _add_lines(fmap: folium.Map, lines: gpd.GeoDataFrame) -> None:
    import folium

    view = lines[["kv", "geometry"]].copy()
    view["geometry"] = view.geometry.simplify(100.0)
    view = view.to_crs("EPSG:4326")
    view["colour"] = view["kv"].map(_kv_colour)
    ids = lines["line_id"] if "line_id" in lines.columns else pd.Series("", index=lines.index)
    view["kv_label"] = [
        inert(f"{_text(line_id) if not _missing(line_id) else ''} {_text(kv)} kV".strip())
        for line_id, kv in zip(ids.tolist(), view["kv"].tolist(), strict=True)
    ]
    folium.GeoJson(
        _geo_dict(view[["kv_label", "colour", "geometry"]]),
        name="Transmission lines (HIFLD, by kV)",
        style_function=lambda f: {"color": f["properties"]["colour"], "weight": 2, "opacity": 0.8},
        tooltip=folium.GeoJsonTooltip(fields=["kv_label"], labels=False),
    ).add_to(fmap)


def _geo_dict(frame: gpd.GeoDataFrame) -> dict:
    """``frame`` (WGS84) as the GeoJSON dict folium makes of a GeoDataFrame.

    Folium reads ``__geo_interface__`` twice (``hasattr`` evaluates it) and copies the frame
    to WGS84; one ``to_json`` with the same bounding boxes gives the same dict in half the time.
    """
    return json.loads(frame.to_json(show_bbox=True))


def _add_points(fmap: folium.Map, points: gpd.GeoDataFrame) -> None:
    import folium

    lonlat = points.geometry.to_crs("EPSG:4326")
    n_lines = points["n_lines"] if "n_lines" in points.columns else pd.Series(np.nan, points.index)
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(x, 5), round(y, 5)]},
            "properties": {
                "label": inert(f"{pid}: {kind}, highest {_text(kv)} kV, {_text(n)} lines"),
                "colour": _kv_colour(kv),
            },
        }
        for pid, kind, kv, n, x, y in zip(
            points["point_id"],
            points["kind"],
            points["max_kv"].astype(float),
            n_lines,
            lonlat.x,
            lonlat.y,
            strict=True,
        )
    ]
    derived = points["kind"].str.contains("derived").any()
    name = (
        "Connection points (DERIVED from line ends, by highest kV)"
        if derived
        else "Substations (by highest kV)"
    )
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name=name,
        marker=folium.CircleMarker(radius=4, weight=1, fill=True, fill_opacity=0.9),
        style_function=lambda f: {"color": "#252525", "fillColor": f["properties"]["colour"]},
        tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False),
        show=False,
    ).add_to(fmap)


def _add_sites(
    fmap: folium.Map,
    sites: gpd.GeoDataFrame,
    units: Mapping[str, str],
    *,
    report_href: str | None,
) -> None:
    """Site polygons, and a numbered marker on each so the ranks show at state scale."""
    import folium

    group = folium.FeatureGroup(name="Candidate sites")
    for _, site in sites.to_crs("EPSG:4326").iterrows():
        tooltip = inert(f"Rank {_text(site['rank'])}: {site['site_id']}")
        popup = popup_html(site, units, report_href=report_href)
        outline = folium.GeoJson(
            site.geometry.__geo_interface__,
            style_function=lambda _f: {"color": "#08306b", "weight": 2, "fillOpacity": 0.35},
        )
        centre = site.geometry.representative_point()
        marker = folium.Marker(
            [centre.y, centre.x],
            icon=folium.DivIcon(html=_RANK_ICON.format(rank=int(site["rank"])), icon_size=(22, 22)),
        )
        for layer in (outline, marker):
            layer.add_child(_Bound("bindTooltip", tooltip, sticky=True))
            layer.add_child(_Bound("bindPopup", popup, maxWidth=420))
            layer.add_to(group)
    group.add_to(fmap)


_RANK_ICON = (
    '<div style="width:22px;height:22px;border-radius:11px;background:#08306b;color:white;'
    'font:bold 12px sans-serif;text-align:center;line-height:22px;">{rank}</div>'
)


def _legend(proxies: str) -> str:
    """Fixed legend: the score's colours, line colours by kV, and the proxy data of the run."""
    gradient = ", ".join(SCORE_HEX)
    rows = [
        "<b>Suitability score (0–1)</b>",
        f'<div style="width:200px;height:10px;background:linear-gradient(to right, {gradient})">'
        "</div>",
        '<div style="width:200px;display:flex;justify-content:space-between;margin-bottom:6px">'
        "<span>0</span><span>0.5</span><span>1</span></div>",
        "<b>Transmission lines</b>",
    ]
    for kv, colour in sorted(KV_COLOURS.items(), reverse=True):
        label = f"≥ {kv} kV" if kv else "lower or UNKNOWN kV"
        swatch = (
            f'<span style="display:inline-block;width:18px;height:3px;background:{colour};'
            'vertical-align:middle;margin-right:6px"></span>'
        )
        rows.append(f"<div>{swatch}{label}</div>")
    if proxies:
        rows.append(
            f"<div style='margin-top:6px;max-width:260px'><i>PROXY data: {inert(proxies)}</i></div>"
        )
    return (
        '<div style="position:fixed;bottom:30px;left:10px;z-index:9999;background:white;'
        f'padding:8px;border:1px solid #999;font:12px sans-serif;">{"".join(rows)}</div>'
    )
