"""Community: how vulnerable the people nearby are to the burdens of a large neighbour."""

from __future__ import annotations

import xarray as xr

from layers._counties import county_values
from siting.bundle import Bundle, read_table
from siting.grid import Grid
from siting.layer import LayerSchema
from siting.spec import CampusSpec

SVI_TABLE = "tables/county_svi_2022.csv"

INDICATORS = (
    LayerSchema(
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
)


def inputs(bundle: Bundle) -> tuple[str, ...]:
    """Provenance keys of the files this layer reads."""
    return (SVI_TABLE, bundle.layer_ref("counties"))


def derive(bundle: Bundle, grid: Grid, spec: CampusSpec) -> dict[str, xr.DataArray]:
    """County SVI overall percentile on the grid. [percentile 0–1]"""
    svi = read_table(bundle, SVI_TABLE, columns=("fips", "svi_overall_pct"), dtype={"fips": str})
    pct = svi.set_index("fips")["svi_overall_pct"].where(lambda v: (v >= 0) & (v <= 1))
    schema = INDICATORS[0]
    values = county_values(bundle, grid, pct, what=str(bundle.root / SVI_TABLE))
    return {schema.name: grid.template(values, name=schema.name, units=schema.units)}
