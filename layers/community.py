"""Community: how vulnerable the people nearby are to the burdens of a large neighbour."""

from __future__ import annotations

from collections.abc import Mapping

import xarray as xr

from layers.base import Layer, unavailable
from siting.grid import rasterize_values
from siting.indicator import Indicator
from siting.inputs import RunInputs

INDICATORS = (
    Indicator(
        name="svi_overall_pct",
        family="community",
        title="CDC Social Vulnerability Index, overall percentile of the county",
        units="percentile (0-1, national)",
        direction="lower_better",
        tag="real",
        source="CDC/ATSDR Social Vulnerability Index 2022, counties, public domain",
        description=(
            "RPL_THEMES: national percentile rank of the county across all four SVI themes. "
            "Scored so that more vulnerable communities are not preferred hosts for the burdens "
            "of a campus; county resolution hides differences between tracts. UNKNOWN where "
            "CDC reports -999."
        ),
        best=0.0,
        worst=1.0,
    ),
    Indicator(
        name="tract_svi2018_pct",
        family="community",
        title="CDC Social Vulnerability Index 2018, overall percentile of the census tract",
        units="percentile (0-1, national)",
        direction="lower_better",
        tag="real",
        source="CDC/ATSDR SVI 2018 (2010 tracts, joined to 2020 tracts), public domain",
        description=(
            "RPL_THEMES of the tract, as published (national percentile rank). Scored so that "
            "more vulnerable communities are not preferred hosts for the burdens of a campus "
            "(noise, traffic, emissions, land use); finer than the county SVI. 2010 tracts are "
            "joined to 2020 tracts by lineage or land area (docs/methods.md §6.1). UNKNOWN "
            "where CDC reports -999 or no 2010 tract joins."
        ),
        best=0.0,
        worst=1.0,
    ),
    Indicator(
        name="tract_dep_index_pct",
        family="community",
        title="Deprivation index 2023, national percentile of the census tract",
        units="percentile (0-1, national)",
        direction="lower_better",
        tag="real",
        source="Brokamp deprivation index 2023 (ACS 2019-2023, 2020 tracts), geomarker.io",
        description=(
            "National percentile rank of the tract's material deprivation index (poverty, "
            "income, SNAP, insurance, education, vacancy). Scored lower-better for the same "
            "reason as the SVI: deprived tracts are not preferred hosts for a campus's "
            "burdens. UNKNOWN where the index is missing."
        ),
        best=0.0,
        worst=1.0,
    ),
)
#: Tract indicator → column of :attr:`RunInputs.tract_indicators` it maps onto the grid.
TRACT_COLUMNS = {"tract_svi2018_pct": "svi2018_pct_us", "tract_dep_index_pct": "dep_index_pct_us"}


def derive(inputs: RunInputs, upstream: Mapping[str, xr.DataArray]) -> dict[str, xr.DataArray]:
    """County SVI and tract SVI and deprivation percentiles on the grid. [percentile 0–1]"""
    svi = inputs.county_svi
    pct = svi.set_index("fips")["svi_overall_pct"].where(lambda v: (v >= 0) & (v <= 1))
    schema = INDICATORS[0]
    values = inputs.counties.values(pct, what="county SVI")
    out = {schema.name: inputs.grid.template(values, name=schema.name, units=schema.units)}
    return out | tract_percentiles(inputs)


def tract_percentiles(inputs: RunInputs) -> dict[str, xr.DataArray]:
    """The tract percentiles of :data:`TRACT_COLUMNS`, burned by tract polygon. [0–1]"""
    table = inputs.tract_indicators
    tracts = inputs.tracts.set_index(inputs.tracts["geoid"].astype(str))
    schemas = {s.name: s for s in INDICATORS}
    units = {s.name: s.units for s in INDICATORS}
    out = {}
    for name, column in TRACT_COLUMNS.items():
        role = "tract_community_2010" if column.startswith("svi") else "tract_community_2020"
        if role not in inputs.bundle.sources:
            out |= unavailable(inputs, schemas[name], role=role)
            continue
        burned = tracts.assign(value=table[column].reindex(tracts.index).astype("float64"))
        values = rasterize_values(burned, "value", inputs.grid, what="census tracts")
        out[name] = inputs.grid.template(values, name=name, units=units[name])
    return out


LAYER = Layer(
    name="community",
    indicators=INDICATORS,
    reads=(
        "county_svi",
        "counties",
        "tracts",
        "tract_community_2020",
        "tract_community_2010",
        "tract_community_2020_us",
        "tract_community_2010_us",
    ),
    derive=derive,
)
