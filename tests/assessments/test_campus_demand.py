"""Per-site campus demand: energy, peak, water and warming, on the embedded Indiana bundle and
on the two-state fixture."""

import dataclasses

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point

from siting.assessments.base import SiteContext
from siting.assessments.campus_demand import (
    MODEL,
    UNITS,
    WARMING_COLUMNS,
    assess,
    egrid_of_sites,
    seasonal_warming_degc,
)
from siting.spec import load_spec
from tests.conftest import DATA_DIR

GAL_PER_MWH_TO_L_PER_KWH = 3.785411784e-3


def sites_at(lonlat, fips):
    """1 km discs around points given in degrees, in EPSG:5070, with their county."""
    points = gpd.GeoSeries([Point(x, y) for x, y in lonlat], crs="EPSG:4326").to_crs("EPSG:5070")
    return gpd.GeoDataFrame(
        {
            "centroid_lon": [p[0] for p in lonlat],
            "centroid_lat": [p[1] for p in lonlat],
            "county_fips": fips,
        },
        geometry=points.buffer(1000.0),
        crs="EPSG:5070",
    )


def sites_at_km(xy_km, fips):
    """1 km discs around points given in EPSG:5070 kilometres, with their county."""
    points = gpd.GeoSeries([Point(x * 1000.0, y * 1000.0) for x, y in xy_km], crs="EPSG:5070")
    lonlat = points.to_crs("EPSG:4326")
    return gpd.GeoDataFrame(
        {"centroid_lon": lonlat.x, "centroid_lat": lonlat.y, "county_fips": fips},
        geometry=points.buffer(1000.0),
        crs="EPSG:5070",
    )


def context(inputs):
    return SiteContext(inputs=inputs, indicators={}, labels=np.zeros((1, 1)))


def test_sites_join_their_egrid_subregion_or_stay_unknown(indiana_inputs):
    regions = indiana_inputs.egrid_subregions
    sites = sites_at([(-86.16, 39.77), (-100.0, 31.0)], ["18097", "48001"])
    joined = egrid_of_sites(regions, sites)
    assert joined["egrid_subregion"].tolist() == ["RFCW", "UNKNOWN"]
    rfcw = regions.set_index("subregion").loc[["RFCW"]]
    mix = rfcw.iloc[0]
    # Macknick factors [gal/MWh]: coal, oil, biomass and other fossil 687, gas 205, nuclear
    # 672, hydro 4,491, solar 1, geothermal 15, wind 0; unknown fuel left out, the rest
    # renormalised.
    fuels = ["coal_pct", "oil_pct", "gas_pct", "nuclear_pct", "hydro_pct", "biomass_pct"]
    fuels += ["wind_pct", "solar_pct", "geothermal_pct", "other_fossil_pct"]
    gal_per_mwh = (
        687 * (mix["coal_pct"] + mix["oil_pct"] + mix["biomass_pct"] + mix["other_fossil_pct"])
        + 205 * mix["gas_pct"]
        + 672 * mix["nuclear_pct"]
        + 4491 * mix["hydro_pct"]
        + 1 * mix["solar_pct"]
        + 15 * mix["geothermal_pct"]
    ) / mix[fuels].sum()
    assert joined["ewif_l_per_kwh"].iloc[0] == pytest.approx(gal_per_mwh * GAL_PER_MWH_TO_L_PER_KWH)
    assert np.isnan(joined["ewif_l_per_kwh"].iloc[1])
    assert joined.index.equals(sites.index)


def test_seasonal_warming_by_county(indiana_inputs):
    # The Post's file as published: seasons are the columns Winter, Spring, Summer, Fall.
    table = pd.read_csv(DATA_DIR / "tables" / "county_warming_1895_2019.csv", dtype={"fips": str})
    marion = table.set_index("fips").loc["18097"]
    shift = seasonal_warming_degc(indiana_inputs.county_warming, pd.Series(["18097", "99999"]))
    np.testing.assert_allclose(
        shift[0], marion[["Winter", "Spring", "Summer", "Fall"]].astype(float)
    )
    assert np.isnan(shift[1]).all()


def test_assessment_columns_units_and_arithmetic(indiana_inputs):
    spec = indiana_inputs.spec
    sites = sites_at([(-86.16, 39.77), (-87.3, 41.5), (-86.5, 38.3)], ["18097", "18089", "99999"])
    result = assess(sites, context(indiana_inputs))
    cols = result.columns
    assert set(cols.columns) == set(UNITS) == set(result.units)
    assert cols.index.equals(sites.index)
    assert cols["weather_station"].tolist()[:2] == [
        "Indianapolis Intl Ap",
        "CHICAGO OHARE INTL AP",
    ]
    np.testing.assert_allclose(cols["peak_demand_mw"], spec.it_capacity_mw * cols["pue_design"])
    np.testing.assert_allclose(
        cols["energy_mwh_per_yr"],
        spec.it_capacity_mw * spec.load_factor * 8760 * cols["pue_annual"],
    )
    np.testing.assert_allclose(
        cols["water_indirect_m3_per_yr"], cols["energy_mwh_per_yr"] * cols["ewif_l_per_kwh"]
    )
    # Default archetype, dry coolers: only the closed loop's make-up water, 0.02 L/kWh.
    it_mwh = spec.it_capacity_mw * spec.load_factor * 8760
    np.testing.assert_allclose(cols["water_site_m3_per_yr"], it_mwh * 0.02)
    assert (cols["pue_design"] > cols["pue_annual"]).all()
    # The observed trend is context, UNKNOWN for a county missing from the table; the forward
    # cases do not depend on it.
    assert np.isnan(cols.loc[2, "warming_observed_1895_2019_degc"])
    assert cols.loc[:1, "warming_observed_1895_2019_degc"].notna().all()
    assert cols[["pue_design_warm_moderate", "pue_design_warm_high"]].notna().all().all()


def test_forward_warming_raises_design_pue_and_peak_demand(indiana_inputs):
    # Indiana's observed 1895–2019 summer trend is negative in most counties; the forward cases
    # (+1.5 and +2.5 °C on every hour) must raise the design hour at every site.
    spec = indiana_inputs.spec
    assert (spec.climate.warming_moderate_degc, spec.climate.warming_high_degc) == (1.5, 2.5)
    sites = sites_at([(-86.16, 39.77), (-87.3, 41.5), (-86.1, 38.2)], ["18097", "18089", "18061"])
    cols = assess(sites, context(indiana_inputs)).columns
    assert (cols["warming_moderate_degc"] == 1.5).all() and (cols["warming_high_degc"] == 2.5).all()
    assert (cols["pue_design_warm_moderate"] > cols["pue_design"]).all()
    assert (cols["pue_design_warm_high"] > cols["pue_design_warm_moderate"]).all()
    assert (cols["peak_demand_warm_high_mw"] > cols["peak_demand_mw"]).all()
    assert (cols["energy_warm_high_mwh_per_yr"] > cols["energy_mwh_per_yr"]).all()
    np.testing.assert_allclose(
        cols["peak_demand_warm_high_mw"], spec.it_capacity_mw * cols["pue_design_warm_high"]
    )


def test_the_files_behind_the_columns_are_the_roles_it_reads(indiana_inputs):
    # The pipeline fills Assessment.inputs from the record's reads (inputs.role_refs).
    assert set(indiana_inputs.role_refs(*MODEL.reads)) >= {
        "tables/pvcz_climate_indiana.csv",
        "tables/county_warming_1895_2019.csv",
        "egrid/epa_power_profiler_egrid2023_subregions_near.geojson",
        "weather/USA_IN_Indianapolis.Intl.AP.724380_TMY3.epw",
    }


def test_evaporative_archetype_reports_water_in_both_units(indiana_inputs, tmp_path):
    spec_file = tmp_path / "tower.toml"
    spec_file.write_text('[campus]\ncooling_archetype = "cooling_tower"\n')
    spec = load_spec(spec_file)
    inputs = dataclasses.replace(indiana_inputs, spec=spec)
    sites = sites_at([(-86.16, 39.77)], ["18097"])
    cols = assess(sites, context(inputs)).columns.iloc[0]
    it_mwh = spec.it_capacity_mw * spec.load_factor * 8760
    assert cols["water_site_m3_per_yr"] == pytest.approx(it_mwh * cols["wue_site_l_per_kwh"])
    assert cols["water_site_gal_per_day"] == pytest.approx(
        cols["water_site_m3_per_yr"] * 264.172052 / 365
    )
    assert 1.7 < cols["wue_site_l_per_kwh"] < 2.7


def test_sites_in_two_states_get_their_own_subregion_and_county_warming(two_state_inputs):
    # The fixture's warming table gives every county the same trend; give Ohio's Allen
    # county its own so a join on the wrong county would show.
    warming = two_state_inputs.county_warming.copy()
    ohio_allen = warming["fips"] == "39003"
    warming.loc[ohio_allen, list(WARMING_COLUMNS)] = [2.0, 1.0, 0.8, 0.6]
    inputs = dataclasses.replace(two_state_inputs, county_warming=warming)
    # Indiana's Adams (x 700–730 km, WEST subregion) and Ohio's Allen (x 790–820 km, EAST).
    sites = sites_at_km([(715, 1815), (805, 1845)], ["18001", "39003"])
    cols = assess(sites, context(inputs)).columns
    assert cols["egrid_subregion"].tolist() == ["WEST", "EAST"]
    # Both fixture subregions: 50 % coal, 40 % gas, 10 % wind.
    ewif = (0.5 * 687 + 0.4 * 205) * GAL_PER_MWH_TO_L_PER_KWH
    np.testing.assert_allclose(cols["ewif_l_per_kwh"], [ewif, ewif])
    # Winter, spring, summer, fall: Indiana's Adams 1.2, 0.6, 0.4, 0.5; Ohio's Allen 2, 1, 0.8,
    # 0.6.
    np.testing.assert_allclose(cols["warming_observed_1895_2019_degc"], [2.7 / 4, 4.4 / 4])
    assert cols[["pue_annual_warm_high", "peak_demand_warm_high_mw"]].notna().all().all()
