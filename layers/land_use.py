"""Land use: where people live and where local law rules data centers out."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import xarray as xr

from layers.base import Layer
from siting.grid import rasterize_values
from siting.indicator import Indicator
from siting.inputs import RunInputs

INDICATORS = (
    Indicator(
        name="pop_density_per_km2",
        family="land_use",
        title="Population density of the census tract",
        units="people/km²",
        direction="lower_better",
        tag="real",
        source="Census 2020 PL 94-171 tract counts and TIGER land area, public domain",
        description=(
            "2020 census population of the tract divided by its land area. Stands in for land "
            "cover and homes within setbacks, which this bundle lacks (no NLCD, no buildings)."
        ),
        best=0.0,
        worst=200.0,
    ),
    Indicator(
        name="housing_density_per_km2",
        family="land_use",
        title="Housing density of the census tract",
        units="housing units/km²",
        direction="context",
        tag="real",
        source="Census 2020 PL 94-171 tract counts and TIGER land area, public domain",
        description=(
            "2020 census housing units (HU100) of the tract divided by its land area; UNKNOWN "
            "for tracts without land. Used by the homes-setback rule as a proxy for where homes "
            "are, until a layer of home or building locations is given."
        ),
    ),
    Indicator(
        name="county_dc_ban",
        family="land_use",
        title="County has banned data centers (1 = yes)",
        units="flag",
        direction="context",
        tag="real",
        source="GridWatch Indiana county restrictions (partial, July 2026), CC BY 4.0",
        description=(
            "1 in counties with a confirmed data-center ban, 0 elsewhere. The list is partial "
            "(named, sourced jurisdictions only); verify locally."
        ),
    ),
    Indicator(
        name="county_dc_moratorium",
        family="land_use",
        title="County has a data-center moratorium (1 = yes)",
        units="flag",
        direction="context",
        tag="real",
        source="GridWatch Indiana county restrictions (partial, July 2026), CC BY 4.0",
        description="1 in counties with a confirmed temporary moratorium, else 0 (partial list).",
    ),
)


def housing_density_per_km2(tracts: pd.DataFrame) -> pd.Series:
    """Housing units per km² of land; NaN for tracts without land. [units/km²]

    >>> t = pd.DataFrame({"housing_units": [100, 5], "land_area_km2": [2.0, 0.0]})
    >>> housing_density_per_km2(t).tolist()
    [50.0, nan]
    """
    land = tracts["land_area_km2"].astype("float64")
    return (tracts["housing_units"].astype("float64") / land.where(land > 0)).rename(
        "housing_density_per_km2"
    )


def restriction_flags(restrictions: pd.DataFrame, fips: pd.Series, kind: str) -> pd.Series:
    """1.0 for counties with a restriction of ``kind`` ("ban" or "moratorium"), else 0.0."""
    flagged = set(restrictions.loc[restrictions["restriction"] == kind, "fips"])
    return pd.Series([1.0 if f in flagged else 0.0 for f in fips], index=fips.to_numpy())


def derive(inputs: RunInputs, upstream: Mapping[str, xr.DataArray]) -> dict[str, xr.DataArray]:
    """Tract population density and county restriction flags on the grid."""
    grid, counties = inputs.grid, inputs.counties
    tracts = inputs.tracts.assign(housing_density_per_km2=housing_density_per_km2(inputs.tracts))
    out = {
        name: rasterize_values(tracts, name, grid, what="census tracts")
        for name in ("pop_density_per_km2", "housing_density_per_km2")
    }
    for kind in ("ban", "moratorium"):
        flags = restriction_flags(inputs.county_restrictions, counties.table["fips"], kind)
        out[f"county_dc_{kind}"] = counties.values(flags, what="county restrictions")
    units = {s.name: s.units for s in INDICATORS}
    return {
        name: grid.template(values, name=name, units=units[name]) for name, values in out.items()
    }


LAYER = Layer(
    name="land_use",
    indicators=INDICATORS,
    reads=("tracts", "county_restrictions", "counties"),
    derive=derive,
)
