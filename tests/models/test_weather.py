"""Hourly years for places without a station and under a warmer climate: climatology
interpolation, nearest station, the delta shift, seasonal warming, and site years."""

import numpy as np
import pandas as pd
import pytest

from siting.models.weather import (
    climatology_at,
    hourly_dataset,
    nearest_station,
    shift_climatology,
    shift_to_climatology,
    site_years,
    warm,
)
from siting.sources.hourly_weather import HOURLY_COLUMNS
from siting.sources.weather_file import read_weather
from tests.weather_files import typical_year, write_epw, write_tmy3


@pytest.fixture
def year():
    return typical_year()


def lattice_climatology():
    # The 2 × 2 PVCZ lattice of tests/sources/test_weather_files.py, on its snapped centres;
    # T rises 1 °C per 0.25° east.
    return pd.DataFrame(
        {
            "lon_deg": [-86.375, -86.125, -86.375, -86.125],
            "lat_deg": [39.625, 39.625, 39.875, 39.875],
            "temp_mean_degc": [10.0, 11.0, 10.0, 11.0],
            "specific_humidity_mean_g_per_kg": [8.0, 8.0, 9.0, 9.0],
        }
    )


def test_climatology_is_interpolated_linearly_and_nearest_outside():
    clim = lattice_climatology()
    at = climatology_at(clim, [-86.375, -86.25, -86.25], [39.625, 39.75, 39.625])
    np.testing.assert_allclose(at["temp_mean_degc"], [10.0, 10.5, 10.5])
    np.testing.assert_allclose(at["specific_humidity_mean_g_per_kg"], [8.0, 8.5, 8.0])
    far = climatology_at(clim, [-80.0], [39.625])  # outside the lattice: nearest node
    assert far["temp_mean_degc"].tolist() == [11.0]


def test_shift_climatology_keeps_the_shift_columns_of_complete_points():
    clim = lattice_climatology().assign(
        temp_max_degc=[33.0, 34.0, 33.0, 34.0], specific_humidity_sd_g_per_kg=3.0
    )
    clim.loc[1, "temp_mean_degc"] = np.nan  # a lattice point without a mean: left out
    clim.loc[2, "temp_max_degc"] = np.nan  # a gap in a column the shift does not use: kept
    out = shift_climatology(clim)
    assert list(out.columns) == [
        "lon_deg",
        "lat_deg",
        "temp_mean_degc",
        "specific_humidity_mean_g_per_kg",
    ]
    assert out["lon_deg"].tolist() == [-86.375, -86.375, -86.125]
    assert out["lat_deg"].tolist() == [39.625, 39.875, 39.875]
    assert out.index.tolist() == [0, 1, 2]


def test_zero_shift_returns_the_station_year(tmp_path, year):
    weather = read_weather(write_epw(tmp_path / "site.epw", year))
    same = shift_to_climatology(
        weather, delta_temp_degc=[0.0], delta_specific_humidity_g_per_kg=[0.0]
    )
    for name in HOURLY_COLUMNS:
        np.testing.assert_allclose(same[name][0], weather.hourly[name], atol=1e-6)


def test_shift_moves_means_and_keeps_the_sequence(tmp_path, year):
    weather = read_weather(write_epw(tmp_path / "site.epw", year))
    years = shift_to_climatology(
        weather, delta_temp_degc=[1.5, -2.0], delta_specific_humidity_g_per_kg=[0.5, 0.0]
    )
    np.testing.assert_allclose(years["dry_bulb_degc"][0], year["dry_bulb_degc"] + 1.5)
    np.testing.assert_allclose(years["dry_bulb_degc"][1], year["dry_bulb_degc"] - 2.0)
    assert (years["dew_point_degc"][0] > weather.hourly["dew_point_degc"]).all()  # moister
    assert (years["dew_point_degc"] <= years["dry_bulb_degc"] + 1e-9).all()  # never supersaturated


def test_warming_is_seasonal_and_keeps_rh(tmp_path, year):
    years = hourly_dataset(read_weather(write_epw(tmp_path / "site.epw", year)))
    warmer = warm(years, [[1.0, 0.0, 2.0, 0.0]])  # winter +1, summer +2
    change = (warmer["dry_bulb_degc"] - years["dry_bulb_degc"])[0]
    month = years["month"].to_numpy()
    assert np.allclose(change[np.isin(month, [12, 1, 2])], 1.0)
    assert np.allclose(change[np.isin(month, [6, 7, 8])], 2.0)
    assert np.allclose(change[np.isin(month, [3, 4, 5, 9, 10, 11])], 0.0)
    np.testing.assert_allclose(warmer["rh_pct"], years["rh_pct"])
    assert (warmer["wet_bulb_degc"] >= years["wet_bulb_degc"] - 1e-9).all()


def test_nearest_station_by_great_circle(tmp_path, year):
    a = read_weather(write_epw(tmp_path / "a.epw", year))  # 39.72 N, 86.27 W
    b = read_weather(write_tmy3(tmp_path / "b.tmy3", year))  # 41.983 N, 87.917 W
    index, km = nearest_station([a, b], [-86.3, -87.9], [39.8, 41.9])
    assert index.tolist() == [0, 1]
    assert km[0] == pytest.approx(9.3, abs=0.2)  # 0.08° lat, 0.03° lon near 39.8 N


def test_site_years_shift_each_nearest_station_by_the_climatology_difference(tmp_path, year):
    a = read_weather(write_epw(tmp_path / "a.epw", year))  # 39.72 N, 86.27 W
    b = read_weather(write_tmy3(tmp_path / "b.tmy3", year))  # 41.983 N, 87.917 W
    lon, lat = np.meshgrid(np.arange(-88.875, -85.0, 0.25), np.arange(39.125, 42.5, 0.25))
    clim = pd.DataFrame(
        {
            "lon_deg": lon.ravel(),
            "lat_deg": lat.ravel(),
            "temp_mean_degc": 10.0 + 4.0 * (lon.ravel() + 88.0),  # +1 °C per 0.25° east
            "specific_humidity_mean_g_per_kg": 8.0,
        }
    )
    years, index, km = site_years([a, b], clim, np.array([-86.0, -87.5]), np.array([39.8, 41.8]))
    assert index.tolist() == [0, 1]
    assert km[0] == pytest.approx(24.6, abs=0.5)  # 0.27° lon, 0.08° lat near 39.8 N
    # Linear in longitude, so the interpolated difference is exact: 4 × 0.27 and 4 × 0.417.
    np.testing.assert_allclose(years["dry_bulb_degc"][0], year["dry_bulb_degc"] + 1.08)
    np.testing.assert_allclose(years["dry_bulb_degc"][1], year["dry_bulb_degc"] + 1.668)
    # Same specific humidity at site and station: the dew point is the station's.
    np.testing.assert_allclose(years["dew_point_degc"][0], a.hourly["dew_point_degc"], atol=1e-6)
    np.testing.assert_allclose(years["dew_point_degc"][1], b.hourly["dew_point_degc"], atol=1e-6)


def test_a_site_at_the_station_gets_the_station_year(indiana_inputs):
    stations = indiana_inputs.stations
    indy = next(s for s in stations if s.station.station_id == "724380")
    s = indy.station
    years, index, km = site_years(
        stations,
        shift_climatology(indiana_inputs.climatology),
        np.array([s.longitude_deg]),
        np.array([s.latitude_deg]),
    )
    assert stations[index[0]] is indy and km[0] == pytest.approx(0.0, abs=1e-6)
    for name in HOURLY_COLUMNS:
        np.testing.assert_allclose(years[name][0], indy.hourly[name], atol=1e-6)
