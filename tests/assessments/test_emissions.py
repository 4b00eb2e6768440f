"""Emissions of a campus's grid power at its eGRID subregion's average rates."""

import dataclasses

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from siting.assessments.base import SiteContext
from siting.assessments.emissions import MODEL, TONNES_PER_LB, UNITS, emissions_t_per_yr
from siting.spec import Emissions


def test_emissions_by_hand():
    energy = pd.Series([1000.0, 2000.0])
    rates = pd.DataFrame(
        {
            "co2_lb_per_mwh": [1000.0, 500.0],
            "co2e_lb_per_mwh": [1010.0, 505.0],
            "nox_lb_per_mwh": [1.0, 0.5],
            "so2_lb_per_mwh": [2.0, np.nan],
        }
    )
    out = emissions_t_per_yr(energy, rates, grid_loss_frac=pd.Series([0.0, 0.2]))
    # 1,000 MWh × 1,000 lb/MWh = 1e6 lb = 453.59 t; 2,000 / 0.8 × 500 lb = 1.25e6 lb = 566.99 t
    assert out["co2_t_per_yr"].tolist() == pytest.approx([453.59237, 566.9904625])
    assert out["nox_t_per_yr"][0] == pytest.approx(1000 * TONNES_PER_LB)
    assert np.isnan(out["so2_t_per_yr"][1])  # an unknown rate stays UNKNOWN


def sites_in(inputs, boxes_km, subregions):
    geoms = [box(*(v * 1000.0 for v in b)) for b in boxes_km]
    return gpd.GeoDataFrame(
        {"energy_mwh_per_yr": [1.0e6] * len(geoms), "egrid_subregion": subregions},
        geometry=geoms,
        crs=inputs.grid.crs,
    )


def test_each_site_takes_its_own_subregions_rates(two_state_inputs):
    sites = sites_in(
        two_state_inputs,
        [(710, 1810, 712, 1812), (800, 1810, 802, 1812), (0, 0, 1, 1)],
        ["WEST", "EAST", "UNKNOWN"],
    )
    context = SiteContext(inputs=two_state_inputs, indicators={}, labels=np.zeros((1, 1), int))
    result = MODEL.assess(sites, context)
    assert list(result.columns.columns) == list(UNITS)
    co2 = result.columns["co2_t_per_yr"]
    # fixture rates: WEST 1,000 and EAST 800 lb/MWh, 5 % grid loss
    assert co2[0] == pytest.approx(1.0e6 / 0.95 * 1000.0 * TONNES_PER_LB)
    assert co2[1] == pytest.approx(1.0e6 / 0.95 * 800.0 * TONNES_PER_LB)
    assert np.isnan(co2[2]), "a site in no subregion is UNKNOWN, never zero"
    assert any("not marginal" in note for note in result.notes)


def test_a_marginal_rate_of_the_users_adds_its_own_column(two_state_inputs):
    spec = dataclasses.replace(
        two_state_inputs.spec, emissions=Emissions(marginal_co2_lb_per_mwh=1600.0)
    )
    inputs = dataclasses.replace(two_state_inputs, spec=spec)
    sites = sites_in(inputs, [(710, 1810, 712, 1812), (800, 1810, 802, 1812)], ["WEST", "EAST"])
    context = SiteContext(inputs=inputs, indicators={}, labels=np.zeros((1, 1), int))
    result = MODEL.assess(sites, context)
    marginal = result.columns["co2_marginal_t_per_yr"]
    # the same 1.0e6 MWh/yr and 5 % loss at 1,600 lb/MWh, whatever the subregion
    assert marginal.tolist() == pytest.approx([1.0e6 / 0.95 * 1600.0 * TONNES_PER_LB] * 2)
    assert any("2 eGRID subregions" in note for note in result.notes)


def test_one_subregion_is_said_not_to_separate_the_sites(default_run):
    report = (default_run.out_dir / "report.md").read_text(encoding="utf-8")
    assert "lie in one eGRID subregion, RFCW" in report and "do not separate the sites" in report
    assert default_run.sites["co2_marginal_t_per_yr"].isna().all()


def test_default_run_emissions_follow_from_each_sites_own_columns(default_run):
    sites = default_run.sites
    expected = (
        sites["energy_mwh_per_yr"]
        / (1.0 - sites["egrid_grid_loss_frac"])
        * sites["egrid_co2_lb_per_mwh"]
        * TONNES_PER_LB
    )
    np.testing.assert_allclose(sites["co2_t_per_yr"], expected)
    assert (sites["egrid_subregion"] != "UNKNOWN").all()
    assert (sites["co2e_t_per_yr"] >= sites["co2_t_per_yr"]).all()
    columns = pd.read_csv(default_run.out_dir / "sites_columns.csv", keep_default_na=False)
    units = columns.set_index("column")["units"]
    assert units["co2_t_per_yr"].startswith("t/yr")
