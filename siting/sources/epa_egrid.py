"""EPA eGRID subregions: generation fuel mix, output emission rates and grid loss.

Two published forms of the same eGRID numbers, read into one schema (:data:`EGRID_COLUMNS`):

* the EPA Power Profiler GeoJSON (subregion polygons with nested JSON properties; the national
  row has no geometry): :func:`read_power_profiler_subregions`;
* the subregion sheet of the eGRID data workbook (``SRL23`` for eGRID2023) saved as CSV, with
  its descriptive title row above the row of eGRID field codes:
  :func:`read_egrid_subregion_table`.

Fuel mix is the share of annual net generation [%]; emission rates are annual total output
emission rates [lb/MWh]; grid loss is the grid gross loss as a fraction [-].

>>> SUBREGION_SHEET_COLUMNS["SRC2ERTA"], POWER_PROFILER_FIELDS[("fuelMix", "coal")]
('co2e_lb_per_mwh', 'coal_pct')

References
----------
U.S. Environmental Protection Agency (2025). Emissions & Generation Resource Integrated Database
(eGRID), eGRID2023 (public domain): data workbook, technical guide and Power Profiler.
https://www.epa.gov/egrid and https://www.epa.gov/egrid/power-profiler
"""

from __future__ import annotations

import json
from pathlib import Path
from types import MappingProxyType
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import shapely.errors
import shapely.geometry

from siting.errors import DataError, DataFileNotFound
from siting.sources.files import numbers, read_csv_text, require_columns, unique_codes

#: Power Profiler property path → ours. ``subregion`` is the feature's ``name`` ("US" for the
#: national feature).
POWER_PROFILER_FIELDS = MappingProxyType(
    {
        ("fullName",): "name",
        ("dataYear",): "data_year",
        ("fuelMix", "coal"): "coal_pct",
        ("fuelMix", "oil"): "oil_pct",
        ("fuelMix", "gas"): "gas_pct",
        ("fuelMix", "nuclear"): "nuclear_pct",
        ("fuelMix", "hydro"): "hydro_pct",
        ("fuelMix", "biomass"): "biomass_pct",
        ("fuelMix", "wind"): "wind_pct",
        ("fuelMix", "solar"): "solar_pct",
        ("fuelMix", "geothermal"): "geothermal_pct",
        ("fuelMix", "otherFossilFuel"): "other_fossil_pct",
        ("fuelMix", "otherUnknownFuel"): "other_unknown_pct",
        ("emissionFactor", "co2EmissionRate", "value"): "co2_lb_per_mwh",
        ("emissionFactor", "co2eEmissionRate", "value"): "co2e_lb_per_mwh",
        ("emissionFactor", "noxEmissionRate", "value"): "nox_lb_per_mwh",
        ("emissionFactor", "so2EmissionRate", "value"): "so2_lb_per_mwh",
        ("gridLoss", "value"): "grid_loss_frac",
    }
)
#: Power Profiler feature types kept (``state`` and any other type are dropped).
KEPT_TYPES = ("subregion", "national")
#: Our code for the national row.
NATIONAL_CODE = "US"

#: eGRID subregion sheet field code → ours. The resource mix (``SR..PR``) is stored in the
#: workbook as fractions of net generation; it is converted to [%].
SUBREGION_SHEET_COLUMNS = MappingProxyType(
    {
        "SUBRGN": "subregion",
        "SRNAME": "name",
        "YEAR": "data_year",
        "SRCLPR": "coal_pct",
        "SROLPR": "oil_pct",
        "SRGSPR": "gas_pct",
        "SRNCPR": "nuclear_pct",
        "SRHYPR": "hydro_pct",
        "SRBMPR": "biomass_pct",
        "SRWIPR": "wind_pct",
        "SRSOPR": "solar_pct",
        "SRGTPR": "geothermal_pct",
        "SROFPR": "other_fossil_pct",
        "SROPPR": "other_unknown_pct",
        "SRCO2RTA": "co2_lb_per_mwh",
        "SRC2ERTA": "co2e_lb_per_mwh",
        "SRNOXRTA": "nox_lb_per_mwh",
        "SRSO2RTA": "so2_lb_per_mwh",
    }
)
#: Our columns, in order, for both readers (plus ``geometry`` for the Power Profiler).
EGRID_COLUMNS = ("subregion", *POWER_PROFILER_FIELDS.values())
PROFILER_HINT = "Is this the EPA Power Profiler eGRID subregions GeoJSON?"
SHEET_HINT = "Is this the eGRID subregion sheet (e.g. SRL23) saved as CSV?"


def read_power_profiler_subregions(path: str | Path) -> gpd.GeoDataFrame:
    """Read the EPA Power Profiler eGRID subregions GeoJSON.

    The file is read with the standard library (its properties are nested JSON objects).

    Parameters
    ----------
    path : str or pathlib.Path
        ``egrid2023_subregions.geojson`` from the Power Profiler (features of ``type``
        "subregion", "national", "state", ...).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per subregion feature and the national row (``subregion`` "US", no geometry),
        in file order, with :data:`EGRID_COLUMNS`: fuel mix [% of net generation], output
        emission rates [lb/MWh], ``grid_loss_frac`` [-]; EPSG:4326 (the GeoJSON default) unless
        the file names another CRS. A ``null`` value is NaN.

    Raises
    ------
    DataFileNotFound, DataError
        The file is missing, is not a GeoJSON FeatureCollection, has no subregion feature,
        lacks a property, holds non-numeric text, a bad geometry or a subregion twice.
    """
    path = Path(path)
    collection = _feature_collection(path)
    kept = [f for f in collection["features"] if _properties(f).get("type") in KEPT_TYPES]
    if not kept:
        types = sorted({str(_properties(f).get("type")) for f in collection["features"]})
        raise DataError(
            f"{path}: no feature of type {list(KEPT_TYPES)}; found types {types}. {PROFILER_HINT}"
        )
    records = pd.DataFrame([_profiler_record(_properties(f), what=str(path)) for f in kept])
    names = {ours: ".".join(keys) for keys, ours in POWER_PROFILER_FIELDS.items()}
    table = _typed(records, what=str(path), names=names)
    geometry = [_shape(f.get("geometry"), what=str(path)) for f in kept]
    crs = ((collection.get("crs") or {}).get("properties") or {}).get("name", "EPSG:4326")
    return gpd.GeoDataFrame(table, geometry=geometry, crs=crs)


def read_egrid_subregion_table(path: str | Path) -> pd.DataFrame:
    """Read the eGRID data workbook's subregion sheet (``SRL23`` for eGRID2023) saved as CSV.

    Parameters
    ----------
    path : str or pathlib.Path
        The sheet as CSV: descriptive title row(s), then the row of field codes (``YEAR``,
        ``SUBRGN``, ``SRNAME``, ...), then one row per subregion.

    Returns
    -------
    pandas.DataFrame
        :data:`EGRID_COLUMNS` in file order: resource mix converted from the workbook's
        fractions to [%] (cells written as ``14.3%`` are read as percent), output emission
        rates [lb/MWh]; ``grid_loss_frac`` is NaN (the sheet has no grid loss).

    Raises
    ------
    DataFileNotFound, DataError
        The file is missing or empty, lacks an eGRID field, holds non-numeric text, a resource
        mix above 1 that is not marked ``%``, or a subregion twice.
    """
    what = str(path)
    table = read_csv_text(path, encoding="utf-8-sig", header_with="SUBRGN")
    table = table.rename(columns=str.strip)
    require_columns(table, SUBREGION_SHEET_COLUMNS, what=what, hint=SHEET_HINT)
    if table.empty:
        raise DataError(f"{what}: no subregions below the header. {SHEET_HINT}")
    records = pd.DataFrame(
        {ours: table[theirs] for theirs, ours in SUBREGION_SHEET_COLUMNS.items()}
    )
    for theirs, ours in SUBREGION_SHEET_COLUMNS.items():
        if ours.endswith("_pct"):
            records[ours] = _percent_of_generation(table[theirs], what=what, column=theirs)
    records["grid_loss_frac"] = np.nan
    names = {ours: theirs for theirs, ours in SUBREGION_SHEET_COLUMNS.items()}
    return _typed(records, what=what, names=names)


def _feature_collection(path: Path) -> dict[str, Any]:
    """The parsed GeoJSON FeatureCollection, or an error naming the file."""
    if not path.is_file():
        raise DataFileNotFound(f"{path}: file not found")
    try:
        collection = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise DataError(f"{path}: cannot parse as JSON ({err}). {PROFILER_HINT}") from None
    if not isinstance(collection, dict) or not isinstance(collection.get("features"), list):
        raise DataError(f"{path}: not a GeoJSON FeatureCollection (no 'features' list)")
    return collection


def _properties(feature: Any) -> dict[str, Any]:
    """A feature's properties (empty for a malformed feature)."""
    props = feature.get("properties") if isinstance(feature, dict) else None
    return props if isinstance(props, dict) else {}


def _profiler_record(props: dict[str, Any], *, what: str) -> dict[str, Any]:
    """One row of ours from a Power Profiler feature's nested properties."""
    code = NATIONAL_CODE if props["type"] == "national" else props.get("name")
    record = {"subregion": code}
    for keys, ours in POWER_PROFILER_FIELDS.items():
        value: Any = props
        for key in keys:
            if not isinstance(value, dict) or key not in value:
                raise DataError(
                    f"{what}: feature {code!r} has no property {'.'.join(keys)!r}; expected "
                    "Power Profiler properties such as 'fuelMix.coal' and "
                    "'emissionFactor.co2EmissionRate.value'"
                )
            value = value[key]
        record[ours] = value
    return record


def _typed(records: pd.DataFrame, *, what: str, names: dict[str, str]) -> pd.DataFrame:
    """Numbers for every column but the codes and names; a subregion appears once.

    ``names`` maps our columns to the provider's, for messages.
    """
    codes = records["subregion"].astype("string").str.strip()
    if codes.isna().any():
        raise DataError(f"{what}: a subregion has no code (eGRID acronym, e.g. 'RFCW')")
    unique_codes(codes, what=what, column="subregion")
    out = records.copy()
    out["subregion"] = codes.astype(str)
    for column in EGRID_COLUMNS[2:]:
        out[column] = numbers(records[column], what=what, column=names.get(column, column))
    out["data_year"] = out["data_year"].astype("Int64")
    return out[list(EGRID_COLUMNS)].reset_index(drop=True)


def _percent_of_generation(values: pd.Series, *, what: str, column: str) -> pd.Series:
    """Resource mix in [%] from eGRID's fractions (0–1) or from text marked ``%``."""
    text = values.astype("string").str.strip()
    marked = text.str.endswith("%").fillna(False)
    number = numbers(text.str.removesuffix("%"), what=what, column=column)
    too_big = ~marked & (number > 1.0)
    if too_big.any():
        raise DataError(
            f"{what}: column {column!r} holds {sorted(number[too_big].tolist())[:5]}; eGRID "
            "stores the resource mix as fractions 0–1 (or as percentages written with '%')"
        )
    return number.where(marked, number * 100.0)


def _shape(geometry: Any, *, what: str) -> shapely.Geometry | None:
    """A shapely geometry from a GeoJSON geometry object (None stays None)."""
    if geometry is None:
        return None
    try:
        return shapely.geometry.shape(geometry)
    except (shapely.errors.ShapelyError, AttributeError, KeyError, TypeError, ValueError) as err:
        raise DataError(f"{what}: a feature has an unreadable geometry ({err!r})") from None
