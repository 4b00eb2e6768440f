"""People within the setback distance of each cell: who would live beside a campus built there."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import xarray as xr
from scipy.ndimage import correlate

from layers.base import Layer
from siting.grid import rasterize_values
from siting.indicator import Indicator
from siting.inputs import RunInputs
from siting.models.supply import disc_kernel

INDICATORS = (
    Indicator(
        name="setback_population_persons",
        family="people",
        title="People living within the setback distance of the cell",
        units="persons",
        direction="lower_better",
        tag="real-derived",
        source="Census 2020 PL 94-171 tract counts, apportioned by area (docs/methods.md §6.2)",
        description=(
            "2020 census people within [impacts] setback_m of the cell's centre: each tract's "
            "population spread uniformly over its polygon and summed over a disc of cells. "
            "More people that close means more homes exposed to the campus's noise, light, "
            "traffic and construction, so lower is better. UNKNOWN where the disc reaches a "
            "cell with no tract."
        ),
        best=0.0,
        worst=100.0,
    ),
)


def people_within(
    people_per_cell: np.ndarray, *, radius_m: float, resolution_m: float
) -> np.ndarray:
    """Sum of people over the cells whose centre lies within ``radius_m``; NaN touches NaN.

    One direct correlation with the disc of cells, rounded to 0.001 person: the disc holds a
    few dozen cells, so summing them is cheaper than a grid-sized FFT and has none of its
    round-off. It reads only the disc's cells (``scipy.ndimage`` leaves out zero weights), so a
    NaN inside the disc makes the sum NaN and one just outside leaves it known; cells beyond the
    grid count as 0.

    Examples
    --------
    >>> p = np.array([[1.0, 2.0, 4.0, np.nan]])
    >>> people_within(p, radius_m=1000.0, resolution_m=1000.0).tolist()
    [[3.0, 7.0, nan, nan]]
    """
    kernel = disc_kernel(radius_m, resolution_m)
    summed = correlate(np.asarray(people_per_cell, dtype=np.float64), kernel, mode="constant")
    return np.round(np.maximum(summed, 0.0, out=summed), 3, out=summed)


def setback_people(
    people_per_km2: np.ndarray, *, radius_m: float, resolution_m: float
) -> np.ndarray:
    """People within ``radius_m`` of each cell centre, from a density raster. [persons]

    The disc of cell centres holds a different area from the true circle (5 cells of 250 m,
    0.3125 km², for a 305 m circle of 0.292 km²), so the sum is scaled to the circle's area:
    a uniform density ``ρ`` gives ``ρ·π·r²`` everywhere inside.

    Parameters
    ----------
    people_per_km2 : numpy.ndarray
        People per km² in each cell; NaN where no tract says. [persons/km²]
    radius_m, resolution_m : float
        The setback distance and the cell edge. [m]

    Examples
    --------
    >>> out = setback_people(np.full((9, 9), 100.0), radius_m=305.0, resolution_m=250.0)
    >>> round(float(out[4, 4]), 1), round(100.0 * np.pi * 0.305**2, 1)
    (29.2, 29.2)
    """
    disc_km2 = float(disc_kernel(radius_m, resolution_m).sum()) * (resolution_m / 1000.0) ** 2
    circle_km2 = np.pi * (radius_m / 1000.0) ** 2
    per_cell = people_per_km2 * circle_km2 / disc_km2 * (resolution_m / 1000.0) ** 2
    return people_within(per_cell, radius_m=radius_m, resolution_m=resolution_m)


def derive(inputs: RunInputs, upstream: Mapping[str, xr.DataArray]) -> dict[str, xr.DataArray]:
    """People within the spec's setback distance of each cell. [persons]"""
    grid, tracts = inputs.grid, inputs.tracts
    area_km2 = tracts.geometry.area / 1e6
    # a tract without a count burns no cell, so the cells it covers stay UNKNOWN
    density = tracts["population"].astype("float64") / area_km2.where(area_km2 > 0)
    per_km2 = rasterize_values(
        tracts.assign(people_per_km2=density), "people_per_km2", grid, what="census tracts"
    )
    people = setback_people(
        per_km2.astype(np.float64),
        radius_m=inputs.spec.impacts.setback_m,
        resolution_m=grid.resolution_m,
    ).astype(np.float32)
    schema = INDICATORS[0]
    return {schema.name: grid.template(people, name=schema.name, units=schema.units)}


LAYER = Layer(
    name="people",
    indicators=INDICATORS,
    reads=("tracts",),
    derive=derive,
)
