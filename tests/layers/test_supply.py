"""Supply layer: capacity within the generation radius of each cell, by hand and on Indiana."""

from __future__ import annotations

import dataclasses

import geopandas as gpd
import numpy as np
import pandas as pd

from layers.supply import LAYER
from siting.models.supply import capacity_within_km, retiring_capacity_mw
from siting.sources.eia_atlas import FUEL_COLUMNS, PLANT_COLUMNS, plants_from_frame

KM = 1000.0


def eia_plants(rows, crs):
    """EIA Energy Atlas rows ``(name, EIA fuel column, MW, x [km], y [km])`` in ``crs``."""
    points = gpd.GeoSeries(gpd.points_from_xy([r[3] * KM for r in rows], [r[4] * KM for r in rows]))
    lonlat = points.set_crs(crs).to_crs("EPSG:4326")
    records = []
    for i, ((name, fuel, mw, _, _), point) in enumerate(zip(rows, lonlat, strict=True)):
        record = dict.fromkeys([*PLANT_COLUMNS, *FUEL_COLUMNS], "")
        record |= {"Plant_Code": str(i), "Plant_Name": name, "State": "Indiana"}
        record |= {"PrimSource": fuel, "Total_MW": str(mw), fuel: str(mw)}
        record |= {"Longitude": str(point.x), "Latitude": str(point.y)}
        records.append(record)
    return plants_from_frame(pd.DataFrame(records), what="plants.csv").to_crs(crs)


def with_plants(inputs, plants, *, radius_km):
    params = dataclasses.replace(inputs.spec.interconnection, generation_radius_km=radius_km)
    spec = dataclasses.replace(inputs.spec, interconnection=params)
    return dataclasses.replace(inputs, spec=spec, power_plants=plants)


def test_capacity_near_cells_by_hand(two_state_inputs):
    """Fixture grid: 1 km cells, x 700–820 km. A 600 MW coal plant at x = 740.5 km, a 400 MW gas
    plant 10 km east and a 200 MW wind farm 4.5 km west of the study area; radius 10 km."""
    grid = two_state_inputs.grid
    y = 1830.5
    plants = eia_plants(
        [
            ("Coal", "Coal_MW", 600, 740.5, y),
            ("Gas", "NG_MW", 400, 750.5, y),
            ("Wind", "Wind_MW", 200, 695.5, y),
        ],
        grid.crs,
    )
    out = LAYER.derive(with_plants(two_state_inputs, plants, radius_km=10.0), {})
    row = int(np.argmin(np.abs(grid.y - y * KM)))

    def at(name, x_km, dy_km=0.0):
        r = row - round(dy_km)
        return float(out[name].to_numpy()[r, int(np.argmin(np.abs(grid.x - x_km * KM)))])

    near, retiring = "generation_nearby_mw", "generation_retiring_nearby_mw"
    assert at(near, 740.5) == 1000.0  # the gas plant at exactly 10 km counts
    assert at(near, 739.5) == 600.0  # the gas plant at 11 km does not
    assert at(near, 751.5) == 400.0
    assert at(near, 740.5, dy_km=9) == 600.0  # gas at √181 = 13.5 km
    assert at(near, 700.5) == 200.0 and at(near, 705.5) == 200.0  # beyond the edge, 5 and 10 km
    assert at(near, 706.5) == 0.0
    # without commissioning years the coal alone is at risk
    assert at(retiring, 740.5) == 600.0 and at(retiring, 739.5) == 600.0
    assert at(retiring, 751.5) == 0.0 and at(retiring, 700.5) == 0.0
    assert out[near].attrs["radius_km"] == "10"
    assert out[near].attrs["plant_years"] == "not in the plant table"


def test_commissioning_years_put_old_gas_at_risk(two_state_inputs):
    grid = two_state_inputs.grid
    plants = eia_plants([("Old gas", "NG_MW", 400, 750.5, 1830.5)], grid.crs).assign(year=1960)
    out = LAYER.derive(with_plants(two_state_inputs, plants, radius_km=10.0), {})
    retiring = out["generation_retiring_nearby_mw"].to_numpy()
    assert retiring.max() == 400.0
    assert np.array_equal(retiring, out["generation_nearby_mw"].to_numpy())
    assert out["generation_retiring_nearby_mw"].attrs["plant_years"] == "given"


def test_indiana_cells_agree_with_exact_distances_to_half_a_cell_diagonal(indiana_inputs):
    """Plants are snapped to cell centres, so each cell's sum lies between the exact sums over
    the plants within r − h and r + h of its centre (h: half a cell diagonal)."""
    out = LAYER.derive(indiana_inputs, {})
    grid, plants = indiana_inputs.grid, indiana_inputs.power_plants
    radius_km = indiana_inputs.spec.interconnection.generation_radius_km
    h_km = grid.resolution_m * np.sqrt(2.0) / 2.0 / KM
    rows, cols = np.nonzero(indiana_inputs.study_mask)
    pick = np.random.default_rng(42).choice(rows.size, size=300, replace=False)
    centres = gpd.GeoSeries(
        gpd.points_from_xy(grid.x[cols[pick]], grid.y[rows[pick]]), crs=grid.crs
    )
    at_risk = plants.assign(**retiring_capacity_mw(plants, target_year=2030))
    for name, table in (
        ("generation_nearby_mw", plants),
        ("generation_retiring_nearby_mw", at_risk),
    ):
        value = out[name].to_numpy()[rows[pick], cols[pick]]
        low = capacity_within_km(centres, table, radius_km=radius_km - h_km).sum(axis=1)
        high = capacity_within_km(centres, table, radius_km=radius_km + h_km).sum(axis=1)
        exact = capacity_within_km(centres, table, radius_km=radius_km).sum(axis=1)
        assert (value >= low.to_numpy() - 0.01).all() and (value <= high.to_numpy() + 0.01).all()
        assert np.isclose(value, exact.to_numpy(), atol=0.01).mean() > 0.9
    near = out["generation_nearby_mw"].to_numpy()[indiana_inputs.study_mask]
    assert near.min() > 0.0, "every Indiana cell has some plant within 50 km"
    retiring = out["generation_retiring_nearby_mw"].to_numpy()
    assert (retiring <= out["generation_nearby_mw"].to_numpy()).all()
