"""EIA U.S. Energy Atlas power plants (from Form EIA-860 and EIA-860M).

One point per plant with our columns (:data:`PLANT_COLUMNS`) and the net summer capacity by
energy source in ``capacity_mw_<fuel>`` (:data:`FUEL_COLUMNS`; a blank source column means
0 MW of it).

References
----------
U.S. Energy Information Administration, U.S. Energy Atlas, Power Plants layer, from Form
EIA-860 and EIA-860M (monthly) (public domain). https://atlas.eia.gov/
"""

from __future__ import annotations

import logging
from pathlib import Path
from types import MappingProxyType

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from siting.errors import CRSError
from siting.sources.files import numbers, read_csv_text, read_vector, require_columns

log = logging.getLogger(__name__)

PLANT_COLUMNS = MappingProxyType(
    {
        "Plant_Code": "plant_id",
        "Plant_Name": "name",
        "State": "state",
        "PrimSource": "primary_fuel",
        "Total_MW": "capacity_mw",
        "Longitude": "lon",
        "Latitude": "lat",
    }
)
#: Net summer capacity by energy source [MW]; a blank means the plant has none of that source.
FUEL_COLUMNS = MappingProxyType(
    {
        "Bat_MW": "batteries",
        "Bio_MW": "biomass",
        "Coal_MW": "coal",
        "Geo_MW": "geothermal",
        "Hydro_MW": "hydroelectric",
        "HydroPS_MW": "pumped_storage",
        "NG_MW": "natural_gas",
        "Nuclear_MW": "nuclear",
        "Crude_MW": "petroleum",
        "Solar_MW": "solar",
        "Wind_MW": "wind",
        "Other_MW": "other",
    }
)


def read_plants(path: str | Path) -> gpd.GeoDataFrame:
    """Read EIA U.S. Energy Atlas power plants (CSV export, or a vector file with its fields).

    Returns one point per plant in EPSG:4326 (from ``Longitude``/``Latitude`` in a CSV) with
    :data:`PLANT_COLUMNS` and ``capacity_mw_<fuel>`` [MW]. Plants without coordinates are
    dropped and counted in ``attrs["dropped_no_coordinates"]``.
    """
    path = Path(path)
    if path.suffix.lower() in (".csv", ".gz"):
        return plants_from_frame(read_csv_text(path, encoding="utf-8-sig"), what=str(path))
    return plants_from_frame(read_vector(path), what=str(path))


def plants_from_frame(table: pd.DataFrame, *, what: str) -> gpd.GeoDataFrame:
    """Rename an EIA Energy Atlas plants table's columns to ours (see :func:`read_plants`)."""
    vector = isinstance(table, gpd.GeoDataFrame)
    required = (*PLANT_COLUMNS, *FUEL_COLUMNS)
    if vector:
        required = tuple(c for c in required if c not in ("Longitude", "Latitude"))
    require_columns(table, required, what=what, hint="Is this an EIA Energy Atlas plants file?")
    out = pd.DataFrame(
        {ours: table[theirs] for theirs, ours in PLANT_COLUMNS.items() if theirs in table.columns}
    )
    out["capacity_mw"] = numbers(table["Total_MW"], what=what, column="Total_MW")
    for theirs, fuel in FUEL_COLUMNS.items():
        mw = numbers(table[theirs], what=what, column=theirs)
        out[f"capacity_mw_{fuel}"] = mw.fillna(0.0)
    if vector:
        if table.crs is None:
            raise CRSError(f"{what}: no CRS; write the file with its CRS (e.g. EPSG:4326)")
        plants = gpd.GeoDataFrame(out, geometry=table.geometry.to_numpy(), crs=table.crs)
    else:
        lon = numbers(table["Longitude"], what=what, column="Longitude")
        lat = numbers(table["Latitude"], what=what, column="Latitude")
        plants = gpd.GeoDataFrame(out, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
    placed = ~(plants.geometry.is_empty | plants.geometry.isna())
    placed &= np.isfinite(shapely.get_x(plants.geometry.to_numpy()))
    dropped = int((~placed).sum())
    if dropped:
        log.warning("%s: %d plants without coordinates dropped", what, dropped)
    plants = plants[placed].reset_index(drop=True)
    plants.attrs["dropped_no_coordinates"] = dropped
    return plants
