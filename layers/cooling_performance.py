"""Cooling: how much energy and water the campus's cooling plant needs in each place's climate."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import xarray as xr
from pyproj import Transformer

from layers.base import Layer
from siting.grid import Grid, regrid_points
from siting.indicator import Indicator
from siting.inputs import RunInputs
from siting.models.cooling import ARCHETYPE_MODELS, annual_summary, simulate_years
from siting.models.weather import shift_climatology, site_years
from siting.sources.pvcz import STEP_DEG as PVCZ_STEP_DEG

SOURCE = (
    "NREL TMY3 stations (public domain) shifted to PVCZ-2019 / NASA GLDAS 0.25° means "
    "(2010–2018, MIT); Lei & Masanet (2020, 2022) cooling model"
)
#: Lattice points kept around the grid, in lattice steps, so bilinear resampling has neighbours.
MARGIN_STEPS = 1

INDICATORS = (
    Indicator(
        name="pue_annual_cell",
        family="cooling",
        title="Annual PUE of the campus's cooling archetype in the local climate",
        units="ratio (facility / IT energy)",
        direction="lower_better",
        tag="real-derived",
        source=SOURCE,
        description=(
            "Annual PUE from the hourly cooling model of the spec's archetype "
            "(siting.models.cooling), "
            "run on each 0.25° PVCZ lattice point's hourly year: the nearest real TMY station's "
            "year shifted to the point's mean temperature and specific humidity; bilinear onto "
            "the grid. A site's own pue_annual (campus demand assessment) is computed the same "
            "way at its centroid. 1.05 (best) to 1.35 (worst) spans Lei & Masanet's hyperscale "
            "bands (docs/methods.md §1.2) and the air-cooled-chiller screening value."
        ),
        best=1.05,
        worst=1.35,
    ),
    Indicator(
        name="pue_design_cell",
        family="cooling",
        title="Design-hour PUE of the campus's cooling archetype in the local climate",
        units="ratio (facility / IT power, exceeded in 0.4 % of hours)",
        direction="lower_better",
        tag="real-derived",
        source=SOURCE,
        description=(
            "The hourly PUE exceeded in 0.4 % of the hours (35 of 8,760: the ASHRAE 0.4 % "
            "design convention) of the spec's archetype, from the same hourly years as "
            "pue_annual_cell. Higher is worse: IT MW × design PUE is the peak the grid "
            "connection, the substation and the utility's generation must be sized for, and "
            "what a hot-humid afternoon asks of them; for a dry cooler it follows the dry bulb, "
            "for a cooling tower the wet bulb. 1.10 (best) to 1.50 (worst) spans the archetypes' "
            "design values at U.S. sites (docs/methods.md §3.4)."
        ),
        best=1.10,
        worst=1.50,
    ),
    Indicator(
        name="wue_site_cell_l_per_kwh",
        family="cooling",
        title="On-site cooling water per kWh of IT energy in the local climate",
        units="L/kWh",
        direction="lower_better",
        tag="real-derived",
        source=SOURCE,
        description=(
            "Annual on-site water intensity (Green Grid WUE_site: evaporation, drift, blowdown, "
            "humidification) of the spec's archetype, from the same hourly years as "
            "pue_annual_cell. 0 L/kWh (best, closed loop) to 2.5 L/kWh (worst, near the top of "
            "Lei & Masanet's cooling-tower band, docs/methods.md §2.1)."
        ),
        best=0.0,
        worst=2.5,
    ),
)


def lattice_near_grid(lon_deg: np.ndarray, lat_deg: np.ndarray, grid: Grid) -> np.ndarray:
    """Mask of lattice points within ``MARGIN_STEPS`` steps of the grid's lon/lat bounds."""
    to_lonlat = Transformer.from_crs(grid.crs, "EPSG:4326", always_xy=True)
    west, south, east, north = to_lonlat.transform_bounds(*grid.bounds)
    pad = MARGIN_STEPS * PVCZ_STEP_DEG
    return (
        (lon_deg >= west - pad)
        & (lon_deg <= east + pad)
        & (lat_deg >= south - pad)
        & (lat_deg <= north + pad)
    )


def derive(inputs: RunInputs, upstream: Mapping[str, xr.DataArray]) -> dict[str, xr.DataArray]:
    """Annual and design-hour PUE and on-site water intensity of the spec's archetype."""
    grid, archetype = inputs.grid, inputs.spec.cooling_archetype
    climatology = shift_climatology(inputs.climatology)
    lon, lat = climatology["lon_deg"].to_numpy(), climatology["lat_deg"].to_numpy()
    near = lattice_near_grid(lon, lat, grid)
    years, _, _ = site_years(inputs.stations, climatology, lon[near], lat[near])
    annual = annual_summary(simulate_years(ARCHETYPE_MODELS[archetype], years))
    columns = ("pue_annual", "pue_design", "wue_site_l_per_kwh")
    bands = regrid_points(
        lon[near],
        lat[near],
        annual[list(columns)].to_numpy(dtype=np.float32).T,
        grid,
        step_deg=PVCZ_STEP_DEG,
    )
    return {
        schema.name: grid.template(
            values, name=schema.name, units=schema.units, archetype=archetype
        )
        for schema, values in zip(INDICATORS, bands, strict=True)
    }


LAYER = Layer(
    name="cooling",
    indicators=INDICATORS,
    reads=("climatology", "weather"),
    derive=derive,
)
