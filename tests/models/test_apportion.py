"""Counts apportioned from tracts to zones by area: checked by hand and against an overlay."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from siting.models.apportion import apportion, tract_extent

CRS = "EPSG:5070"


def _tracts(**columns):
    geoms = [box(0, 0, 100, 100), box(100, 0, 300, 100)]  # areas 10,000 and 20,000 m²
    data = {"population": [1000.0, 400.0], "housing_units": [400.0, 200.0]} | columns
    return gpd.GeoDataFrame(data, geometry=geoms, crs=CRS)


def test_counts_follow_the_share_of_each_tract_inside_the_zone():
    # zone x 50..150: half of tract 1 (500 people), a quarter of tract 2 (100 people)
    zones = gpd.GeoSeries([box(50, 0, 150, 100), box(0, 0, 300, 100)], crs=CRS)
    out = apportion(_tracts(), zones)
    assert out["population"].tolist() == pytest.approx([600.0, 1400.0])
    assert out["housing_units"].tolist() == pytest.approx([250.0, 600.0])
    assert out["coverage"].tolist() == pytest.approx([1.0, 1.0])


def test_a_zone_beyond_the_tracts_reports_its_coverage_not_a_full_count():
    zones = gpd.GeoSeries([box(250, 0, 350, 100), box(500, 500, 600, 600)], crs=CRS)
    out = apportion(_tracts(), zones)
    assert out["coverage"].tolist() == pytest.approx([0.5, 0.0])
    assert out["population"].tolist() == pytest.approx([100.0, 0.0])


def test_a_tract_without_a_count_makes_the_zones_it_touches_unknown():
    tracts = _tracts(population=[np.nan, 400.0])
    zones = gpd.GeoSeries([box(50, 0, 150, 100), box(200, 0, 300, 100)], crs=CRS)
    out = apportion(tracts, zones)
    assert np.isnan(out["population"].iloc[0])
    assert out["population"].iloc[1] == pytest.approx(200.0)


def test_the_index_of_the_zones_is_kept():
    zones = gpd.GeoSeries([box(0, 0, 100, 100)], index=[7], crs=CRS)
    assert apportion(_tracts(), zones).index.tolist() == [7]


def test_mixed_crs_is_refused():
    with pytest.raises(ValueError, match="reproject"):
        apportion(_tracts(), gpd.GeoSeries([box(0, 0, 1, 1)], crs="EPSG:4326"))


def test_real_tracts_agree_with_an_independent_overlay(indiana_inputs):
    """A 5 km circle in Hancock County and a 3 mi one east of it, against
    geopandas.overlay on the bundle's tracts: within 0.1 %."""
    tracts = indiana_inputs.tracts
    centres = [Point(873_000.0, 1_914_000.0), Point(890_000.0, 1_905_000.0)]
    zones = gpd.GeoSeries([centres[0].buffer(5000.0), centres[1].buffer(4828.0)], crs=tracts.crs)
    ours = apportion(tracts, zones)
    for i, zone in enumerate(zones):
        frame = tracts[["population", "geometry"]].assign(tract_area=tracts.geometry.area)
        cut = gpd.overlay(frame, gpd.GeoDataFrame(geometry=[zone], crs=tracts.crs))
        expected = float((cut["population"] * cut.geometry.area / cut["tract_area"]).sum())
        assert expected > 500.0
        assert ours["population"].iloc[i] == pytest.approx(expected, rel=1e-3)


def test_a_sliver_between_tracts_is_covered_but_the_outer_edge_is_not():
    # two tracts with a 1 m gap between them, as generalised tract polygons leave
    tracts = gpd.GeoDataFrame(
        {"population": [100.0, 100.0], "housing_units": [50.0, 50.0]},
        geometry=[box(0, 0, 100, 100), box(101, 0, 200, 100)],
        crs=CRS,
    )
    # a hole-free ring around both so the gap is an interior hole of their union
    frame = box(-50, -50, 250, 150).difference(box(0, 0, 200, 100))
    tracts = pd.concat(
        [
            tracts,
            gpd.GeoDataFrame(
                {"population": [0.0], "housing_units": [0.0]}, geometry=[frame], crs=CRS
            ),
        ],
        ignore_index=True,
    )
    extent = tract_extent(tracts)
    across_gap = gpd.GeoSeries([box(90, 40, 110, 60)], crs=CRS)
    past_edge = gpd.GeoSeries([box(240, 40, 260, 60)], crs=CRS)
    assert apportion(tracts, across_gap, extent=extent)["coverage"].iloc[0] == 1.0
    assert apportion(tracts, past_edge, extent=extent)["coverage"].iloc[0] == pytest.approx(0.5)
