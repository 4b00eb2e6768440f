"""Supply per-site model: retiring capacity and the largest plants near each site."""

from __future__ import annotations

import dataclasses

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import box

from siting.assessments.base import SiteContext
from siting.assessments.supply import MODEL, PROXY_COLUMNS, UNITS, assess
from tests.layers.test_supply import KM, eia_plants


def context(inputs):
    return SiteContext(inputs=inputs, indicators={}, labels=np.zeros(inputs.grid.shape, int))


def test_model_reads_the_plants(two_state_inputs):
    assert MODEL.assess is assess and MODEL.provides == tuple(UNITS)
    assert two_state_inputs.role_refs(*MODEL.reads) == ("plants.csv",)


def test_retiring_capacity_and_largest_plants_by_hand(two_state_inputs):
    """A 2 km square site at x 740–742 km; coal 1,000 MW 10 km east of its edge, gas 400 MW and
    wind 300 MW nearer, and coal 800 MW 60 km away (outside the 50 km radius)."""
    crs = two_state_inputs.grid.crs
    plants = eia_plants(
        [
            ("Coal near", "Coal_MW", 1000, 752.0, 1831.0),
            ("Gas", "NG_MW", 400, 745.0, 1831.0),
            ("Wind", "Wind_MW", 300, 741.0, 1836.0),
            ("Solar", "Solar_MW", 5, 741.0, 1831.0),
            ("Coal far", "Coal_MW", 800, 802.0, 1831.0),
        ],
        crs,
    )
    inputs = dataclasses.replace(two_state_inputs, power_plants=plants)
    sites = gpd.GeoDataFrame(
        {"rank": [1, 2]},
        geometry=[box(740 * KM, 1830 * KM, 742 * KM, 1832 * KM), box(0, 0, KM, KM)],
        crs=crs,
        index=[7, 8],
    )
    result = assess(sites, context(inputs))
    table = result.columns
    assert list(table.columns) == list(UNITS) and list(table.index) == [7, 8]
    assert table["nearby_generation_retiring_mw"].tolist() == pytest.approx([1000.0, 0.0])
    assert table["nearby_generation_retiring_by_fuel"].tolist() == ["coal 1,000 MW", "none"]
    assert table.loc[7, "nearby_largest_plants"] == (
        "Coal near (coal 1,000 MW, 10.0 km, age UNKNOWN); "
        "Gas (natural gas 400 MW, 3.0 km, age UNKNOWN); "
        "Wind (wind 300 MW, 4.0 km, age UNKNOWN)"
    )
    assert table.loc[8, "nearby_largest_plants"] == "none within 50 km"
    assert result.proxy_columns == PROXY_COLUMNS
    assert any("no commissioning year" in note for note in result.notes)
    # with commissioning years (as in the GridWatch/GPPD table) the old gas plant is at risk
    dated = plants.assign(year=[1977, 1965, 2015, 2020, 1980])
    result = assess(sites, context(dataclasses.replace(inputs, power_plants=dated)))
    site = result.columns.loc[7]
    assert site["nearby_generation_retiring_mw"] == pytest.approx(1400.0)
    assert site["nearby_generation_retiring_by_fuel"] == "coal 1,000 MW; natural gas 400 MW"
    assert "Gas (natural gas 400 MW, 3.0 km, 65 yr old in 2030)" in site["nearby_largest_plants"]


def test_supply_columns_on_the_two_state_run(two_state_run):
    """The fixture's plants: a 900 MW gas plant (no year) and a 300 MW wind farm; no coal."""
    sites = two_state_run.sites
    assert len(sites) > 0
    assert (sites["nearby_generation_retiring_mw"] == 0.0).all()
    assert (sites["nearby_generation_retiring_by_fuel"] == "none").all()
    listed = sites["nearby_largest_plants"]
    assert listed.str.contains(r"Hub Gas \(natural gas 900 MW, [\d.]+ km, age UNKNOWN\)").all()
    assert all("nearby_generation_retiring_mw" in p for p in sites["proxy_indicators"])
    # the per-cell indicators are on the site table too
    assert (sites["generation_nearby_mw"] > 0).all()
    assert (sites["generation_retiring_nearby_mw"] == 0.0).all()
