"""Emissions of the power a campus would draw, at its eGRID subregion's average rates.

The campus's annual facility energy (from the campus demand model) is grossed up by the
subregion's grid gross loss, since the generators must also cover what the lines lose, and
multiplied by the subregion's average output emission rates (docs/methods.md §5.1):

``E [t/yr] = energy [MWh/yr] / (1 − grid loss) × rate [lb/MWh] × 0.45359237e-3 [t/lb]``.

Average, location-based rates describe the mix that serves the subregion over a year, not the
marginal plants a new load would start (docs/methods.md §5.2): a screening figure, labelled so.

References
----------
U.S. EPA (2025). Emissions & Generation Resource Integrated Database (eGRID2023), subregion
output emission rates and grid gross loss; Power Profiler method for electricity use.
https://www.epa.gov/egrid
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from siting.assessments.base import Assessment, SiteContext, SiteModel

TONNES_PER_LB = 0.45359237e-3
#: eGRID output emission rate column of each pollutant [lb/MWh] and our site column [t/yr].
POLLUTANTS = {
    "co2_lb_per_mwh": "co2_t_per_yr",
    "co2e_lb_per_mwh": "co2e_t_per_yr",
    "nox_lb_per_mwh": "nox_t_per_yr",
    "so2_lb_per_mwh": "so2_t_per_yr",
}

UNITS = {
    "egrid_co2_lb_per_mwh": "lb/MWh (eGRID2023 subregion average output rate)",
    "egrid_grid_loss_frac": "fraction (eGRID2023 grid gross loss)",
    "co2_t_per_yr": "t/yr (metric tonnes CO2, average rate, losses included)",
    "co2e_t_per_yr": "t/yr (metric tonnes CO2-equivalent, average rate, losses included)",
    "nox_t_per_yr": "t/yr (metric tonnes NOx, average rate, losses included)",
    "so2_t_per_yr": "t/yr (metric tonnes SO2, average rate, losses included)",
    "co2_marginal_t_per_yr": (
        "t/yr (metric tonnes CO2 at the spec's [emissions] marginal_co2_lb_per_mwh, losses "
        "included; blank when the spec gives none)"
    ),
}

NOTES = (
    "Emissions = facility energy (energy_mwh_per_yr) / (1 − grid gross loss) × the eGRID2023 "
    "average output emission rate of the site's subregion (egrid_subregion), converted at "
    "0.45359237 kg/lb (docs/methods.md §5.1).",
    "Average (location-based) rates, not marginal: the plants that would actually run more "
    "for a new 24/7 load, and any clean-energy contracts, are not modelled (docs/methods.md "
    "§5.2). UNKNOWN where the site lies in no subregion of the bundle.",
)


def emissions_t_per_yr(
    energy_mwh_per_yr: pd.Series, rates: pd.DataFrame, *, grid_loss_frac: pd.Series
) -> pd.DataFrame:
    """Annual emissions of the generation serving a load, at average output rates. [t/yr]

    Parameters
    ----------
    energy_mwh_per_yr : pandas.Series
        Electricity drawn by the load. [MWh/yr]
    rates : pandas.DataFrame
        Output emission rates in the columns of :data:`POLLUTANTS`, aligned with the energy.
        [lb/MWh]
    grid_loss_frac : pandas.Series
        Grid gross loss: share of generation lost before it reaches loads. [-]

    Examples
    --------
    1,000 MWh at 1,000 lb/MWh with 5 % losses: 1,000 / 0.95 × 1,000 lb = 477.5 t.

    >>> e = pd.Series([1000.0])
    >>> r = pd.DataFrame({c: [1000.0] for c in POLLUTANTS})
    >>> t = emissions_t_per_yr(e, r, grid_loss_frac=pd.Series([0.05]))
    >>> round(float(t["co2_t_per_yr"][0]), 1)
    477.5
    """
    generated_mwh = energy_mwh_per_yr / (1.0 - grid_loss_frac)
    return pd.DataFrame(
        {ours: generated_mwh * rates[rate] * TONNES_PER_LB for rate, ours in POLLUTANTS.items()},
        index=energy_mwh_per_yr.index,
    )


def assess(sites: gpd.GeoDataFrame, context: SiteContext) -> Assessment:
    """CO2, CO2e, NOx and SO2 of each site's annual energy at its subregion's average rates."""
    regions = pd.DataFrame(context.inputs.egrid_subregions.drop(columns="geometry"))
    rates = regions.drop_duplicates("subregion").set_index("subregion")
    by_site = rates.reindex(sites["egrid_subregion"].to_numpy())
    by_site.index = sites.index
    energy = pd.to_numeric(sites["energy_mwh_per_yr"], errors="coerce")
    tonnes = emissions_t_per_yr(energy, by_site, grid_loss_frac=by_site["grid_loss_frac"])
    marginal = context.inputs.spec.emissions.marginal_co2_lb_per_mwh
    generated_mwh = energy / (1.0 - by_site["grid_loss_frac"])
    columns = pd.DataFrame(
        {
            "egrid_co2_lb_per_mwh": by_site["co2_lb_per_mwh"],
            "egrid_grid_loss_frac": by_site["grid_loss_frac"],
            **{c: tonnes[c] for c in tonnes.columns},
            "co2_marginal_t_per_yr": generated_mwh * marginal * TONNES_PER_LB
            if marginal is not None
            else np.nan,
        },
        index=sites.index,
    )
    notes = (*NOTES, one_subregion_note(sites["egrid_subregion"]))
    return Assessment(
        name="grid emissions (eGRID average rates)", columns=columns, units=UNITS, notes=notes
    )


def one_subregion_note(subregions: pd.Series) -> str:
    """Whether the emissions can tell the sites apart, in a sentence for the notes.

    >>> one_subregion_note(pd.Series(["RFCW", "RFCW"]))[:44]
    'All 2 sites lie in one eGRID subregion, RFCW'
    """
    known = subregions.dropna().unique()
    if len(known) == 1:
        return (
            f"All {len(subregions)} sites lie in one eGRID subregion, {known[0]}: their "
            "emissions differ only with their energy use, not with their grid, so emissions "
            "do not separate the sites."
        )
    return f"The sites lie in {len(known)} eGRID subregions: {', '.join(sorted(known))}."


MODEL = SiteModel(
    name="emissions",
    units=UNITS,
    reads=("egrid_subregions",),
    assess=assess,
    needs=("energy_mwh_per_yr", "egrid_subregion"),
)
