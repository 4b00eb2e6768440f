"""Supply near a load: disc sums, the retirement rule, capacity near a site, the largest plants."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from siting.grid import rasterize_sum
from siting.models.connection import nearby_generation
from siting.models.supply import (
    by_fuel_text,
    capacity_within_km,
    capacity_within_radius_mw,
    disc_kernel,
    largest_plants_text,
    retiring_capacity_mw,
)

CRS = "EPSG:5070"
KM = 1000.0


def plants_at(rows, *, crs=CRS):
    """Plants from ``(name, x [m], y [m], {fuel: MW}, extra columns)`` rows."""
    fuels = sorted({f for _, _, _, mw, *_ in rows for f in mw})
    records = []
    for name, _x, _y, mw, *extra in rows:
        record = {"name": name, **{f"capacity_mw_{f}": mw.get(f, 0.0) for f in fuels}}
        records.append(record | (extra[0] if extra else {}))
    geoms = [Point(x, y) for _, x, y, *_ in rows]
    return gpd.GeoDataFrame(records, geometry=geoms, crs=CRS).to_crs(crs)


# --- the disc sum on the grid ----------------------------------------------------------------


def test_disc_kernel_holds_the_cells_within_the_radius():
    kernel = disc_kernel(3000.0, 1000.0)
    assert kernel.shape == (7, 7)
    # offsets (dx, dy) in cells with dx² + dy² ≤ 9: 1 + 4·3 (axes) + 4·(1,1) + 8·(1,2),(2,1)
    # + 4·(2,2) = 29; (1,3) at 3.16 cells is out
    assert kernel.sum() == 29
    assert kernel[3, 0] == 1 and kernel[2, 0] == 0 and kernel[1, 1] == 1


@pytest.mark.parametrize(
    ("shape", "plants", "radius_m"),
    [((40, 60), 12, 7000.0), ((60, 45), 300, 7000.0), ((30, 30), 5, 40_000.0)],
    ids=["few-plants", "many-plants", "disc-wider-than-grid"],
)
def test_disc_sum_of_few_cells_equals_the_convolution(shape, plants, radius_m):
    """Row runs of differences and the FFT convolution give the same rounded sums, plants on
    the grid's edges included; the first case takes the run path, the second the FFT."""
    from scipy.signal import fftconvolve

    from siting.models import supply

    rng = np.random.default_rng(3)
    mw = np.zeros(shape)
    mw[0, 0], mw[-1, -1] = 7.5, 12.25
    np.add.at(mw.ravel(), rng.integers(0, mw.size, plants), np.round(rng.random(plants) * 900, 1))
    kernel = disc_kernel(radius_m, 1000.0)
    expected = np.round(fftconvolve(mw, kernel, mode="same"), supply.MW_DECIMALS) + 0.0
    runs = np.round(supply._disc_sum_of_few_cells(mw, kernel), supply.MW_DECIMALS) + 0.0
    np.testing.assert_array_equal(runs, expected)
    either = capacity_within_radius_mw(mw, radius_m=radius_m, resolution_m=1000.0)
    np.testing.assert_array_equal(either, expected)


def test_disc_sum_by_hand_on_a_tiny_grid(grid10):
    """A 100 MW plant in cell (row 5, col 2), a 50 MW one 3 km east in (5, 5), and a 30 MW one
    in (5, 9); radius 3 km between cell centres."""
    centre = {c: (grid10.x[c], grid10.y[r]) for r, c in [(5, 2), (5, 5), (5, 9)]}
    plants = plants_at(
        [
            ("A", *centre[2], {"coal": 100.0}),
            ("B", *centre[5], {"natural_gas": 50.0}),
            ("C", *centre[9], {"wind": 30.0}),
        ]
    )
    burned = rasterize_sum(plants.assign(mw=[100.0, 50.0, 30.0]), "mw", grid10, what="plants")
    near = capacity_within_radius_mw(burned, radius_m=3000.0, resolution_m=1000.0)
    assert near[5, 5] == 150.0  # A at exactly 3 km counts, C at 4 km does not
    assert near[5, 2] == 150.0
    assert near[5, 6] == 80.0  # B 1 km, C 3 km; A 4 km out
    assert near[2, 2] == 100.0  # A 3 km north; B √18 = 4.24 km out
    assert near[4, 2] == 100.0  # B is √10 = 3.16 km away: just outside, not counted
    assert near[3, 4] == 150.0  # A √8 = 2.83 km, B √5 = 2.24 km
    assert near[0, 9] == 0.0  # nothing within 3 km: exactly 0, no FFT round-off
    assert (near >= 0).all()


def test_two_plants_in_one_cell_add_up(grid10):
    plants = plants_at([("A", 500.0, 500.0, {"coal": 10.0}), ("B", 900.0, 100.0, {"coal": 5.0})])
    burned = rasterize_sum(plants.assign(mw=[10.0, 5.0]), "mw", grid10, what="plants")
    near = capacity_within_radius_mw(burned, radius_m=1000.0, resolution_m=1000.0)
    assert burned[9, 0] == 15.0 and burned.sum() == 15.0
    assert near[9, 0] == near[8, 0] == near[9, 1] == 15.0 and near[8, 1] == 0.0


# --- the retirement rule ----------------------------------------------------------------------


def test_retirement_rule_by_hand():
    """Target 2030, 50 years: coal counts at any age; gas and oil from a 1980 start (50 years
    old in 2030); any capacity with a planned retirement year; nothing of unknown age."""
    plants = pd.DataFrame(
        {
            "capacity_mw_coal": [600.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
            "capacity_mw_natural_gas": [200.0, 400.0, 300.0, 0.0, 250.0, 0.0, 0.0],
            "capacity_mw_petroleum": [0.0, 0.0, 0.0, 80.0, 0.0, 0.0, 0.0],
            "capacity_mw_wind": [0.0, 0.0, 0.0, 0.0, 0.0, 100.0, 0.0],
            "capacity_mw_nuclear": [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1000.0],
            "year": [2012, 1975, 1985, 1980, np.nan, 2010, 1975],
            "retirement_year": [np.nan, np.nan, np.nan, np.nan, np.nan, 2032, np.nan],
        }
    )
    at_risk = retiring_capacity_mw(plants, target_year=2030)
    assert list(at_risk.columns) == [c for c in plants.columns if c.startswith("capacity_mw_")]
    # a 2012 plant: its coal (any age) counts, its gas (18 years old) does not
    assert at_risk.loc[0, "capacity_mw_coal"] == 600.0
    assert at_risk.loc[0, "capacity_mw_natural_gas"] == 0.0
    assert at_risk.sum(axis=1).tolist() == [600.0, 400.0, 0.0, 80.0, 0.0, 100.0, 0.0]
    # a later target year ages the 1985 gas plant to 50; nuclear never counts by age
    later = retiring_capacity_mw(plants, target_year=2035).sum(axis=1).tolist()
    assert later == [600.0, 400.0, 300.0, 80.0, 0.0, 100.0, 0.0]
    younger = retiring_capacity_mw(plants, target_year=2030, age_limit_yr=40).sum(axis=1)
    assert younger.tolist() == [600.0, 400.0, 300.0, 80.0, 0.0, 100.0, 0.0]


def test_without_years_only_coal_is_at_risk():
    plants = pd.DataFrame({"capacity_mw_coal": [600.0, 0.0], "capacity_mw_natural_gas": [50, 900]})
    at_risk = retiring_capacity_mw(plants, target_year=2030)
    assert at_risk.to_dict("list") == {
        "capacity_mw_coal": [600.0, 0.0],
        "capacity_mw_natural_gas": [0.0, 0.0],
    }


# --- capacity near a site ---------------------------------------------------------------------


def test_capacity_within_the_radius_of_the_sites_edge():
    """A 2 km square site; plants inside it, 49 km and 51 km from its edge."""
    sites = gpd.GeoSeries([box(0, 0, 2 * KM, 2 * KM), box(500 * KM, 0, 502 * KM, 2 * KM)], crs=CRS)
    plants = plants_at(
        [
            ("Inside", 1 * KM, 1 * KM, {"solar": 20.0}),
            ("Near", 51 * KM, 1 * KM, {"coal": 800.0, "natural_gas": 100.0}),
            ("Far", -51 * KM, 1 * KM, {"natural_gas": 700.0}),
        ],
        crs="EPSG:4326",  # any CRS: plants are brought to the sites'
    )
    mw = capacity_within_km(sites, plants, radius_km=50.0)
    assert mw.sum(axis=1).round(6).tolist() == [920.0, 0.0]
    assert by_fuel_text(mw) == ["coal 800 MW; natural gas 100 MW; solar 20 MW", "none"]


def test_nearby_generation_of_the_connection_model_is_the_same_sum():
    """:func:`capacity_within_km` and :func:`by_fuel_text` give what
    ``siting.models.connection.nearby_generation`` gives, so one can replace the other."""
    rng = np.random.default_rng(42)
    xy = rng.uniform(-80 * KM, 80 * KM, size=(40, 2))
    fuels = ["coal", "natural_gas", "wind", "solar"]
    rows = [
        (f"P{i}", x, y, {fuels[i % 4]: float(rng.integers(1, 900))}) for i, (x, y) in enumerate(xy)
    ]
    plants = plants_at(rows)
    sites = gpd.GeoSeries([box(0, 0, 2 * KM, 2 * KM), box(30 * KM, 30 * KM, 31 * KM, 31 * KM)])
    sites = sites.set_crs(CRS)
    total, text = nearby_generation(sites, plants, radius_km=50.0)
    mw = capacity_within_km(sites, plants, radius_km=50.0)
    assert mw.sum(axis=1).to_numpy() == pytest.approx(total)
    assert by_fuel_text(mw) == text


def test_largest_plants_are_listed_by_size_with_distance_and_age():
    sites = gpd.GeoSeries([box(0, 0, 2 * KM, 2 * KM), box(500 * KM, 0, 502 * KM, 2 * KM)], crs=CRS)
    plants = plants_at(
        [
            ("Small", 5 * KM, 1 * KM, {"solar": 20.0}, {"year": 2015}),
            ("Big", 12 * KM, 1 * KM, {"coal": 2000.0, "natural_gas": 300.0}, {"year": 1977}),
            ("Mid", 1 * KM, 31 * KM, {"natural_gas": 600.0}, {"year": np.nan}),
            ("Tiny", 1 * KM, 4 * KM, {"wind": 10.0}, {"year": 2010}),
            ("Far", 80 * KM, 1 * KM, {"nuclear": 3000.0}, {"year": 1980}),
        ]
    )
    text = largest_plants_text(sites, plants, radius_km=50.0, target_year=2030)
    assert text == [
        "Big (coal 2,000 MW, natural gas 300 MW, 10.0 km, 53 yr old in 2030); "
        "Mid (natural gas 600 MW, 29.0 km, age UNKNOWN); "
        "Small (solar 20 MW, 3.0 km, 15 yr old in 2030)",
        "none within 50 km",
    ]
    without_years = largest_plants_text(
        sites[:1], plants.drop(columns="year"), radius_km=50.0, target_year=2030
    )
    assert without_years[0].count("age UNKNOWN") == 3
