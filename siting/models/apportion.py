"""Counts of people and homes inside areas that cut across census tracts, apportioned by area.

A tract's count is spread uniformly over its polygon, so a zone that holds a share ``a`` of a
tract's area holds ``a`` of its people (areal weighting, docs/methods.md §6.2). The polygons of
tracts and zones must share a projected, equal-area CRS (the run's grid CRS, EPSG:5070).

``coverage`` says how much of each zone lies inside the tracts' extent: the bundle's tracts
cover one state, so a 10 km circle that crosses into the next holds only part of its people. A
count is only as complete as its coverage, and the callers report UNKNOWN below full coverage
rather than a count that is too low.

>>> import geopandas as gpd
>>> from shapely.geometry import box
>>> tracts = gpd.GeoDataFrame(
...     {"population": [100.0, 50.0], "housing_units": [40.0, 20.0]},
...     geometry=[box(0, 0, 10, 10), box(10, 0, 20, 10)], crs="EPSG:5070")
>>> zones = gpd.GeoSeries([box(5, 0, 15, 10), box(15, 0, 25, 10)], crs="EPSG:5070")
>>> apportion(tracts, zones).round(3).to_dict("list")
{'population': [75.0, 25.0], 'housing_units': [30.0, 10.0], 'coverage': [1.0, 0.5]}
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

#: Zones covered by tracts on at least this share of their area count as fully covered [-]
#: (polygon edges of TIGER tracts and a buffer's polygon approximation leave slivers).
FULL_COVERAGE = 0.995


def apportion(
    tracts: gpd.GeoDataFrame,
    zones: gpd.GeoSeries,
    columns: Sequence[str] = ("population", "housing_units"),
    *,
    extent: shapely.Geometry | None = None,
) -> pd.DataFrame:
    """Each zone's share of the tracts' counts, by area, and how much of it tracts cover.

    Parameters
    ----------
    tracts : geopandas.GeoDataFrame
        Tract polygons with the count columns, in an equal-area CRS.
    zones : geopandas.GeoSeries
        Zone polygons in the same CRS.
    columns : sequence of str
        Count columns of ``tracts`` to apportion.
    extent : shapely.Geometry, optional
        The area the tracts cover, :func:`tract_extent` (computed when not given; pass it when
        apportioning many zones to the same tracts).

    Returns
    -------
    pandas.DataFrame
        Indexed like ``zones``: the apportioned counts (NaN where a tract touching the zone has
        no count) and ``coverage``, the share of the zone's area inside the tracts' extent
        [0–1].
    """
    if tracts.crs != zones.crs:
        raise ValueError(f"tracts in {tracts.crs}, zones in {zones.crs}: reproject first")
    pieces = intersections(tracts, zones)
    names = list(columns)
    counts = tracts[names].to_numpy(dtype=np.float64)[pieces["tract"].to_numpy()]
    by_zone = pieces["zone"].to_numpy()
    shares = pd.DataFrame(pieces["share_of_tract"].to_numpy()[:, None] * counts, columns=names)
    # a tract with no count makes the zone's count unknown (sum with NaN stays NaN)
    summed = shares.groupby(by_zone).sum(min_count=1)
    unknown = pd.DataFrame(np.isnan(counts), columns=names).groupby(by_zone).any()
    out = summed.mask(unknown).reindex(np.arange(len(zones)), fill_value=0.0)
    out["coverage"] = coverage(zones.to_numpy(), tract_extent(tracts) if extent is None else extent)
    out.index = zones.index
    return out


def tract_extent(tracts: gpd.GeoDataFrame) -> shapely.Geometry:
    """The area the tracts cover: their union with its interior holes filled.

    Generalised tract polygons leave slivers between neighbours (4,056 holes in the union of
    the bundle's Indiana tracts); nobody is missing there, since each tract's count belongs to
    its own polygon, so only the outer edge of the tracts (a state line) limits coverage.
    """
    union = shapely.union_all(tracts.geometry.to_numpy())
    parts = shapely.get_parts(union)
    filled = shapely.polygons(shapely.get_exterior_ring(parts[shapely.area(parts) > 0]))
    extent = shapely.union_all(filled)
    shapely.prepare(extent)
    return extent


def coverage(zones: np.ndarray, extent: shapely.Geometry) -> np.ndarray:
    """Share of each zone's area inside ``extent`` [0–1] (1 where the zone lies within it)."""
    out = np.ones(len(zones), dtype=np.float64)
    inside = shapely.within(zones, extent) | shapely.is_empty(zones)
    partial = ~inside
    if partial.any():
        area = shapely.area(zones[partial])
        with np.errstate(divide="ignore", invalid="ignore"):
            share = shapely.area(shapely.intersection(zones[partial], extent)) / area
        out[partial] = np.clip(np.nan_to_num(share), 0.0, 1.0)
    return out


def intersections(tracts: gpd.GeoDataFrame, zones: gpd.GeoSeries) -> pd.DataFrame:
    """Every tract–zone pair that overlaps: positions, overlap area and its share of the tract.

    Returns
    -------
    pandas.DataFrame
        ``tract`` and ``zone`` (positions), ``area`` of the overlap [CRS units²] and
        ``share_of_tract`` (overlap / tract area) [-].
    """
    tract_geoms = tracts.geometry.to_numpy()
    zone_geoms = zones.to_numpy()
    zone_idx, tract_idx = shapely.STRtree(tract_geoms).query(zone_geoms, predicate="intersects")
    overlap = shapely.area(shapely.intersection(tract_geoms[tract_idx], zone_geoms[zone_idx]))
    tract_area = shapely.area(tract_geoms[tract_idx])
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(tract_area > 0, overlap / tract_area, 0.0)
    return pd.DataFrame(
        {"tract": tract_idx, "zone": zone_idx, "area": overlap, "share_of_tract": share}
    )
