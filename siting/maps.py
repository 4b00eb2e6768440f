"""The interactive folium map of a run: score surface, exclusions, lines, connection points and
candidate sites."""

from __future__ import annotations

import html
from collections.abc import Mapping

import branca.colormap
import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import rasterio.warp

from siting.grid import Grid

MAP_CELL_M = 1000.0
KV_COLOURS = {
    765: "#7a0177",
    500: "#c51b8a",
    345: "#e7298a",
    230: "#fd8d3c",
    161: "#fdae6b",
    0: "#969696",
}


def _to_web_mercator(
    values: np.ndarray, grid: Grid, *, resampling
) -> tuple[np.ndarray, list[list[float]]]:
    """Warp a grid array to EPSG:3857 at about ``MAP_CELL_M`` and return it with lat/lon bounds."""
    left, bottom, right, top = rasterio.warp.transform_bounds(grid.crs, "EPSG:3857", *grid.bounds)
    width = max(1, round((right - left) / MAP_CELL_M))
    height = max(1, round((top - bottom) / MAP_CELL_M))
    dst_transform = rasterio.transform.from_bounds(left, bottom, right, top, width, height)
    out = np.full((height, width), np.nan, dtype=np.float32)
    rasterio.warp.reproject(
        values.astype(np.float32),
        out,
        src_transform=grid.transform,
        src_crs=grid.crs,
        src_nodata=np.nan,
        dst_transform=dst_transform,
        dst_crs="EPSG:3857",
        dst_nodata=np.nan,
        resampling=resampling,
    )
    west, south, east, north = rasterio.warp.transform_bounds(
        "EPSG:3857", "EPSG:4326", left, bottom, right, top
    )
    return out, [[south, west], [north, east]]


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


def _text(value: object) -> str:
    """A popup value: UNKNOWN for missing, 4 significant digits for floats, else as text."""
    if value is None or value is pd.NA or (isinstance(value, float) and not np.isfinite(value)):
        return "UNKNOWN"
    if isinstance(value, float | np.floating):
        return f"{value:.4g}"
    return str(value)


def _popup(site: pd.Series, units: Mapping[str, str]) -> str:
    rows = [f"<b>Rank {site['rank']}: {html.escape(str(site['site_id']))}</b>"]
    rows.append(
        f"score {site['score']:.3f} (0–1), area {site['area_km2']:.2f} km², {site['county']} County"
    )
    for name, unit in units.items():
        value = site[name]
        text = html.escape(_text(value))
        contrib = site.get(f"contrib_{name}")
        extra = (
            f" → contributes {contrib:.3f}" if contrib is not None and np.isfinite(contrib) else ""
        )
        rows.append(f"{html.escape(name)}: {text} {html.escape(unit)}{extra}")
    proxies = str(site.get("proxy_indicators", "") or "")
    if proxies:
        rows.append(f"<i>PROXY data: {html.escape(proxies.replace(';', ', '))}</i>")
    return "<br>".join(rows)


def build_map(
    *,
    score: np.ndarray,
    excluded: np.ndarray,
    grid: Grid,
    sites: gpd.GeoDataFrame,
    lines: gpd.GeoDataFrame,
    units: Mapping[str, str],
    title: str,
    points: gpd.GeoDataFrame | None = None,
) -> folium.Map:
    """Folium map with toggleable layers: score, excluded land, transmission lines by kV,
    connection points by highest kV, and sites.

    ``units`` maps each column shown in the site popups to its units. ``points`` holds the
    connection points (``point_id``, ``kind``, ``max_kv``; derived ones say so in ``kind``).
    """
    score_img, bounds = _to_web_mercator(score, grid, resampling=rasterio.warp.Resampling.average)
    excl_img, _ = _to_web_mercator(
        np.where(excluded, 1.0, np.nan).astype(np.float32),
        grid,
        resampling=rasterio.warp.Resampling.mode,
    )
    centre = [(bounds[0][0] + bounds[1][0]) / 2, (bounds[0][1] + bounds[1][1]) / 2]
    fmap = folium.Map(location=centre, zoom_start=7, tiles="OpenStreetMap", control_scale=True)
    colormap = branca.colormap.LinearColormap(["#d7191c", "#ffffbf", "#1a9641"], vmin=0.0, vmax=1.0)
    colormap.caption = "Suitability score (0–1)"
    folium.raster_layers.ImageOverlay(
        _rgba(score_img, colormap, alpha=170),
        bounds=bounds,
        name="Suitability score",
        mercator_project=False,
    ).add_to(fmap)
    grey = branca.colormap.LinearColormap(["#404040", "#404040"], vmin=0.0, vmax=1.0)
    folium.raster_layers.ImageOverlay(
        _rgba(excl_img, grey, alpha=110), bounds=bounds, name="Excluded land", show=False
    ).add_to(fmap)
    colormap.add_to(fmap)
    _add_lines(fmap, lines)
    if points is not None and len(points):
        _add_points(fmap, points)
    _add_sites(fmap, sites, units)
    folium.LayerControl(collapsed=False).add_to(fmap)
    proxies = sites["proxy_indicators"].iloc[0] if len(sites) else ""
    fmap.get_root().html.add_child(_legend(str(proxies or "").replace(";", ", ")))
    fmap.get_root().html.add_child(folium.Element(f"<title>{html.escape(title)}</title>"))
    return fmap


def _add_lines(fmap: folium.Map, lines: gpd.GeoDataFrame) -> None:
    view = lines[["kv", "geometry"]].copy()
    view["geometry"] = view.geometry.simplify(100.0)
    view = view.to_crs("EPSG:4326")
    view["colour"] = view["kv"].map(_kv_colour)
    ids = lines["line_id"] if "line_id" in lines.columns else pd.Series("", index=lines.index)
    view["kv_label"] = [
        f"{line_id} {kv:.0f} kV".strip() if np.isfinite(kv) else f"{line_id} UNKNOWN kV".strip()
        for line_id, kv in zip(ids, view["kv"], strict=True)
    ]
    folium.GeoJson(
        view[["kv_label", "colour", "geometry"]],
        name="Transmission lines (HIFLD, by kV)",
        style_function=lambda f: {"color": f["properties"]["colour"], "weight": 2, "opacity": 0.8},
        tooltip=folium.GeoJsonTooltip(fields=["kv_label"], labels=False),
    ).add_to(fmap)


def _add_points(fmap: folium.Map, points: gpd.GeoDataFrame) -> None:
    lonlat = points.geometry.to_crs("EPSG:4326")
    n_lines = points["n_lines"] if "n_lines" in points.columns else pd.Series(np.nan, points.index)
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(x, 5), round(y, 5)]},
            "properties": {
                "label": f"{pid}: {kind}, highest {_text(kv)} kV, {_text(n)} lines",
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


def _add_sites(fmap: folium.Map, sites: gpd.GeoDataFrame, units: Mapping[str, str]) -> None:
    """Site polygons, and a numbered marker on each so the ranks show at state scale."""
    group = folium.FeatureGroup(name="Candidate sites")
    for _, site in sites.to_crs("EPSG:4326").iterrows():
        tooltip = f"Rank {site['rank']}: {site['site_id']}"
        folium.GeoJson(
            site.geometry.__geo_interface__,
            style_function=lambda _f: {"color": "#08306b", "weight": 2, "fillOpacity": 0.35},
            tooltip=tooltip,
            popup=folium.Popup(_popup(site, units), max_width=420),
        ).add_to(group)
        centre = site.geometry.representative_point()
        folium.Marker(
            [centre.y, centre.x],
            icon=folium.DivIcon(html=_RANK_ICON.format(rank=int(site["rank"])), icon_size=(22, 22)),
            tooltip=tooltip,
            popup=folium.Popup(_popup(site, units), max_width=420),
        ).add_to(group)
    group.add_to(fmap)


_RANK_ICON = (
    '<div style="width:22px;height:22px;border-radius:11px;background:#08306b;color:white;'
    'font:bold 12px sans-serif;text-align:center;line-height:22px;">{rank}</div>'
)


def _legend(proxies: str) -> folium.Element:
    """Fixed legend: line colours by kV, and the proxy data used in the run."""
    rows = []
    for kv, colour in sorted(KV_COLOURS.items(), reverse=True):
        label = f"≥ {kv} kV" if kv else "lower or UNKNOWN kV"
        swatch = (
            f'<span style="display:inline-block;width:18px;height:3px;background:{colour};'
            'vertical-align:middle;margin-right:6px"></span>'
        )
        rows.append(f"<div>{swatch}{label}</div>")
    note = (
        "<div style='margin-top:6px;max-width:260px'>"
        f"<i>PROXY data: {html.escape(proxies)}</i></div>"
        if proxies
        else ""
    )
    return folium.Element(
        '<div style="position:fixed;bottom:30px;left:10px;z-index:9999;background:white;'
        'padding:8px;border:1px solid #999;font:12px sans-serif;">'
        f"<b>Transmission lines</b>{''.join(rows)}{note}</div>"
    )
