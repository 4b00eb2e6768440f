"""Climate: how hot and humid the site gets, which drives cooling energy, peak demand and water."""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from siting.bundle import Bundle, read_table
from siting.grid import Grid, regrid_points
from siting.layer import LayerSchema
from siting.psychrometrics import rh_from_specific_humidity, wet_bulb_stull
from siting.spec import CampusSpec

CLIMATE_TABLE = "tables/pvcz_climate_indiana.csv"
LATTICE_STEP_DEG = 0.25
#: Standard deviations of specific humidity above its mean taken as a humid summer afternoon.
HUMID_SIGMAS = 2.0

INDICATORS = (
    LayerSchema(
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


def inputs(bundle: Bundle) -> tuple[str, ...]:
    """Provenance keys of the files this layer reads."""
    return (CLIMATE_TABLE,)


def hot_wet_bulb_degc(climate: pd.DataFrame) -> np.ndarray:
    """The hot-humid wet-bulb indicator of each PVCZ lattice point. [°C]

    Parameters
    ----------
    climate : pandas.DataFrame
        PVCZ columns ``T_ambient_max`` [°C], ``specific_humidity_mean`` and
        ``specific_humidity_rms`` (its standard deviation) [g/kg].

    References
    ----------
    Karin, T., Jones, C. B., Jain, A. (2019). Photovoltaic degradation climate zones.
    IEEE PVSC 46. doi:10.1109/PVSC40753.2019.8980831
    """
    temp_degc = climate["T_ambient_max"].to_numpy(dtype="float64")
    humid_g_per_kg = climate["specific_humidity_mean"].to_numpy(
        dtype="float64"
    ) + HUMID_SIGMAS * climate["specific_humidity_rms"].to_numpy(dtype="float64")
    rh_pct = np.clip(rh_from_specific_humidity(humid_g_per_kg, temp_degc), 5.0, 99.0)
    return wet_bulb_stull(temp_degc, rh_pct)


def snap_to_lattice(coord_deg: np.ndarray) -> np.ndarray:
    """Cell centres of the 0.25° GLDAS lattice from PVCZ's rounded coordinates. [degrees]

    PVCZ prints centres such as −86.375 as −86.4; each centre is recovered exactly.

    >>> snap_to_lattice(np.array([-86.4, -86.1, 39.62, 39.88, 40.12])).tolist()
    [-86.375, -86.125, 39.625, 39.875, 40.125]
    """
    step = LATTICE_STEP_DEG
    return np.floor(coord_deg / step) * step + step / 2


def derive(bundle: Bundle, grid: Grid, spec: CampusSpec) -> dict[str, xr.DataArray]:
    """Hot-humid wet-bulb indicator on the grid. [°C]"""
    climate = read_table(
        bundle,
        CLIMATE_TABLE,
        columns=("lat", "lon", "T_ambient_max", "specific_humidity_mean", "specific_humidity_rms"),
    )
    values = regrid_points(
        snap_to_lattice(climate["lon"].to_numpy()),
        snap_to_lattice(climate["lat"].to_numpy()),
        hot_wet_bulb_degc(climate).astype(np.float32),
        grid,
        step_deg=LATTICE_STEP_DEG,
    )
    schema = INDICATORS[0]
    return {schema.name: grid.template(values, name=schema.name, units=schema.units)}
