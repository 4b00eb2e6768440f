"""Climate: how hot and humid the site gets, which drives cooling energy, peak demand and water."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import xarray as xr

from layers.base import Layer
from siting.grid import regrid_points
from siting.indicator import Indicator
from siting.inputs import RunInputs
from siting.psychrometrics import (
    STANDARD_PRESSURE_KPA,
    dew_point_from_specific_humidity_degc,
    wet_bulb_psychrometric,
)
from siting.sources.pvcz import STEP_DEG

#: Standard deviations of specific humidity above its mean taken as a humid summer afternoon.
HUMID_SIGMAS = 2.0

INDICATORS = (
    Indicator(
        name="wet_bulb_hot_degc",
        family="climate",
        title="Hot-humid wet-bulb indicator",
        units="°C",
        direction="context",
        tag="real-derived",
        source="PVCZ-2019 climate zones from NASA GLDAS 0.25° (2010–2018), MIT licence",
        description=(
            "Thermodynamic wet bulb (ASHRAE psychrometric relation) at the 2010–2018 maximum "
            "air temperature with specific humidity two standard deviations above its mean, at "
            "standard pressure; bilinear from the 0.25° lattice. An indicator of hot-humid "
            "extremes, close to the ASHRAE 0.4 % design wet bulb, not a design value itself. "
            "Reported, not scored: the archetype's design-hour PUE (pue_design_cell) carries "
            "what the hot hours cost the grid connection."
        ),
    ),
)


def hot_wet_bulb_degc(climate: pd.DataFrame) -> np.ndarray:
    """The hot-humid wet-bulb indicator of each PVCZ lattice point. [°C]

    The exact psychrometric wet bulb (:func:`siting.psychrometrics.wet_bulb_psychrometric`) of
    air at the maximum temperature whose specific humidity is its mean plus
    :data:`HUMID_SIGMAS` standard deviations, at 101.325 kPa; humidity above saturation at that
    temperature is capped there (the dew point at most the air temperature).

    Parameters
    ----------
    climate : pandas.DataFrame
        The climatology (:func:`siting.sources.pvcz.read_climatology`): ``temp_max_degc``
        [°C], ``specific_humidity_mean_g_per_kg`` and ``specific_humidity_sd_g_per_kg`` [g/kg].

    Returns
    -------
    numpy.ndarray
        Wet-bulb temperature. [°C]

    References
    ----------
    Karin, T., Jones, C. B., Jain, A. (2019). Photovoltaic degradation climate zones.
    IEEE PVSC 46. doi:10.1109/PVSC40753.2019.8980831. docs/methods.md §3.1, §3.7.
    """
    temp_degc = climate["temp_max_degc"].to_numpy(dtype="float64")
    humid_g_per_kg = climate["specific_humidity_mean_g_per_kg"].to_numpy(
        dtype="float64"
    ) + HUMID_SIGMAS * climate["specific_humidity_sd_g_per_kg"].to_numpy(dtype="float64")
    dew_point_degc = dew_point_from_specific_humidity_degc(humid_g_per_kg, STANDARD_PRESSURE_KPA)
    return wet_bulb_psychrometric(temp_degc, dew_point_degc, STANDARD_PRESSURE_KPA)


def derive(inputs: RunInputs, upstream: Mapping[str, xr.DataArray]) -> dict[str, xr.DataArray]:
    """Hot-humid wet-bulb indicator on the grid. [°C]"""
    climate = inputs.climatology
    values = regrid_points(
        climate["lon_deg"].to_numpy(),
        climate["lat_deg"].to_numpy(),
        hot_wet_bulb_degc(climate).astype(np.float32),
        inputs.grid,
        step_deg=STEP_DEG,
    )
    schema = INDICATORS[0]
    return {schema.name: inputs.grid.template(values, name=schema.name, units=schema.units)}


LAYER = Layer(name="climate", indicators=INDICATORS, reads=("climatology",), derive=derive)
