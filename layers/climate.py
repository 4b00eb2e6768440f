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
from siting.psychrometrics import rh_from_specific_humidity, wet_bulb_stull
from siting.sources.pvcz import STEP_DEG

#: Standard deviations of specific humidity above its mean taken as a humid summer afternoon.
HUMID_SIGMAS = 2.0

INDICATORS = (
    Indicator(
        name="wet_bulb_hot_degc",
        family="climate",
        title="Hot-humid wet-bulb indicator",
        units="°C",
        direction="lower_better",
        tag="real-derived",
        source="PVCZ-2019 climate zones from NASA GLDAS 0.25° (2010–2018), MIT licence",
        description=(
            "Stull (2011) wet-bulb at the 2010–2018 maximum air temperature with specific "
            "humidity two standard deviations above its mean, at standard pressure; bilinear "
            "from the 0.25° lattice. An indicator of hot-humid extremes, close to the ASHRAE "
            "0.4 % design wet-bulb, not a design value itself."
        ),
        best=22.0,
        worst=27.0,
    ),
)


def hot_wet_bulb_degc(climate: pd.DataFrame) -> np.ndarray:
    """The hot-humid wet-bulb indicator of each PVCZ lattice point. [°C]

    Parameters
    ----------
    climate : pandas.DataFrame
        The climatology (:func:`siting.sources.pvcz.read_climatology`): ``temp_max_degc``
        [°C], ``specific_humidity_mean_g_per_kg`` and ``specific_humidity_sd_g_per_kg`` [g/kg].

    References
    ----------
    Karin, T., Jones, C. B., Jain, A. (2019). Photovoltaic degradation climate zones.
    IEEE PVSC 46. doi:10.1109/PVSC40753.2019.8980831
    """
    temp_degc = climate["temp_max_degc"].to_numpy(dtype="float64")
    humid_g_per_kg = climate["specific_humidity_mean_g_per_kg"].to_numpy(
        dtype="float64"
    ) + HUMID_SIGMAS * climate["specific_humidity_sd_g_per_kg"].to_numpy(dtype="float64")
    rh_pct = np.clip(rh_from_specific_humidity(humid_g_per_kg, temp_degc), 5.0, 99.0)
    return wet_bulb_stull(temp_degc, rh_pct)


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
