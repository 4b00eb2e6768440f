"""Per-site campus demand on the embedded bundle: energy, peak, water, warming."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point
from siting.assess import RunContext
from siting.demand import (
    UNITS,
    WATER_CONSUMPTION_GAL_PER_MWH,
    archetype_model,
    assess_demand,
    campus_report,
    egrid_of_sites,
    grid_water_factor_l_per_kwh,
    read_climatology,
    read_stations,
    seasonal_warming_degc,
    site_years,
)
from siting.weather import HOURLY_COLUMNS, read_weather

from siting.bundle import open_bundle
from siting.errors import SpecError
from siting.grid import Grid
from siting.spec import load_spec
from tests.conftest import DATA_DIR


@pytest.fixture(scope="module")
def bundle():
    return open_bundle("indiana", DATA_DIR)


def sites_at(lonlat, fips):
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


def context(bundle, spec):
    grid = Grid(crs="EPSG:5070", bounds=(0.0, 0.0, 1000.0, 1000.0), resolution_m=1000.0)
    return RunContext(bundle=bundle, grid=grid, spec=spec, indicators={}, labels=np.zeros((1, 1)))


def test_grid_water_factor_by_hand():
    mix = pd.DataFrame({c: [0.0, 0.0] for c in WATER_CONSUMPTION_GAL_PER_MWH})
    mix.loc[0, ["coal_pct", "nuclear_pct", "wind_pct"]] = [50.0, 30.0, 20.0]
    mix.loc[1, ["coal_pct", "wind_pct"]] = [45.0, 45.0]  # 10 % unknown fuel: renormalised
    factor = grid_water_factor_l_per_kwh(mix)
    gal = 3.785411784e-3
    assert factor[0] == pytest.approx((0.5 * 687 + 0.3 * 672) * gal)
    assert factor[1] == pytest.approx(0.5 * 687 * gal)


def test_sites_join_their_egrid_subregion_or_stay_unknown(bundle):
    sites = sites_at([(-86.16, 39.77), (-100.0, 31.0)], ["18097", "48001"])
    joined = egrid_of_sites(bundle, sites)
    assert joined["egrid_subregion"].tolist() == ["RFCW", "UNKNOWN"]
    table = pd.read_csv(DATA_DIR / "tables" / "egrid2023_subregions.csv").set_index("subregion")
    expected = grid_water_factor_l_per_kwh(table.loc[["RFCW"]]).iloc[0]
    assert joined["ewif_l_per_kwh"].iloc[0] == pytest.approx(expected)
    assert np.isnan(joined["ewif_l_per_kwh"].iloc[1])


def test_seasonal_warming_by_county(bundle):
    table = pd.read_csv(DATA_DIR / "tables" / "county_warming_1895_2019.csv", dtype={"fips": str})
    marion = table.set_index("fips").loc["18097"]
    shift = seasonal_warming_degc(bundle, pd.Series(["18097", "99999"]))
    np.testing.assert_allclose(
        shift[0], marion[["Winter", "Spring", "Summer", "Fall"]].astype(float)
    )
    assert np.isnan(shift[1]).all()


def test_a_site_at_the_station_gets_the_station_year(bundle):
    stations = read_stations(bundle)
    indy = next(s for s in stations if s.station.station_id == "724380")
    s = indy.station
    years, index, km = site_years(
        stations, read_climatology(bundle), [s.longitude_deg], [s.latitude_deg]
    )
    assert stations[index[0]] is indy and km[0] == pytest.approx(0.0, abs=1e-6)
    for name in HOURLY_COLUMNS:
        np.testing.assert_allclose(years[name][0], indy.hourly[name], atol=1e-6)


def test_assessment_columns_units_and_arithmetic(bundle):
    spec = load_spec()
    sites = sites_at([(-86.16, 39.77), (-87.3, 41.5), (-86.5, 38.3)], ["18097", "18089", "99999"])
    result = assess_demand(sites, context(bundle, spec))
    cols = result.columns
    assert set(cols.columns) == set(UNITS) == set(result.units)
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
    assert (cols["water_site_m3_per_yr"] == 0).all()  # default archetype: dry coolers
    assert (cols["pue_design"] > cols["pue_annual"]).all()
    assert cols.loc[2, ["pue_annual_warm", "peak_demand_warm_mw"]].isna().all()  # unknown county
    assert cols.loc[:1, "pue_annual_warm"].notna().all()
    assert set(result.inputs) >= {
        "tables/pvcz_climate_indiana.csv",
        "tables/county_warming_1895_2019.csv",
        "indiana.gpkg:egrid_subregions",
        "weather/USA_IN_Indianapolis.Intl.AP.724380_TMY3.epw",
    }


def test_evaporative_archetype_reports_water_in_both_units(bundle, tmp_path):
    spec_file = tmp_path / "tower.toml"
    spec_file.write_text('[campus]\ncooling_archetype = "cooling_tower"\n')
    spec = load_spec(spec_file)
    sites = sites_at([(-86.16, 39.77)], ["18097"])
    cols = assess_demand(sites, context(bundle, spec)).columns.iloc[0]
    it_mwh = spec.it_capacity_mw * spec.load_factor * 8760
    assert cols["water_site_m3_per_yr"] == pytest.approx(it_mwh * cols["wue_site_l_per_kwh"])
    assert cols["water_site_gal_per_day"] == pytest.approx(
        cols["water_site_m3_per_yr"] * 264.172052 / 365
    )
    assert 1.7 < cols["wue_site_l_per_kwh"] < 2.7


def test_campus_report_keys_and_design_conditions():
    weather = DATA_DIR / "weather" / "USA_IN_Indianapolis.Intl.AP.724380_TMY3.epw"
    report = campus_report(
        read_weather(weather), archetype="cooling_tower", it_capacity_mw=100.0, load_factor=0.5
    )
    for key in (
        "pue_annual",
        "pue_design",
        "wue_site_l_per_kwh",
        "economizer_hours",
        "energy_mwh_per_yr",
    ):
        assert isinstance(report[key], float)
    assert report["energy_mwh_per_yr"] == pytest.approx(100 * 0.5 * 8760 * report["pue_annual"])
    stats = report["weather"]
    # ASHRAE 2009 for Indianapolis: 0.4 % dry bulb 32.8 °C; the TMY year agrees within 1 K.
    assert stats["ashrae_design"]["dry_bulb_04_degc"] == 32.8
    assert abs(stats["dry_bulb_04_degc"] - 32.8) < 1.0
    assert abs(stats["wet_bulb_04_degc"] - stats["ashrae_design"]["wet_bulb_04_degc"]) < 1.0


def test_unknown_archetype_is_a_spec_error():
    with pytest.raises(SpecError, match=r"archetype must be one of \['dry_cooler'.*got 'fan'"):
        archetype_model("fan")
