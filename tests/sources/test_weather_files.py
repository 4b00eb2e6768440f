"""Weather readers (EPW, NREL TMY3, ERA5 NetCDF, PVCZ-2019) on fixture files in the official
schemas."""

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from siting.errors import DataError, DataFileNotFound
from siting.psychrometrics import rh_from_dew_point
from siting.sources.era5 import read_era5_netcdf
from siting.sources.hourly_weather import HOURLY_COLUMNS
from siting.sources.pvcz import read_climatology
from siting.sources.weather_file import read_weather
from tests.weather_files import typical_year, write_epw, write_tmy3


@pytest.fixture
def year():
    return typical_year()


def test_epw_reader_maps_columns_units_and_metadata(tmp_path, year):
    weather = read_weather(write_epw(tmp_path / "site.epw", year))
    hourly, station = weather.hourly, weather.station
    assert list(hourly.columns) == ["month", *HOURLY_COLUMNS]
    assert len(hourly) == 8760
    np.testing.assert_array_equal(hourly["dry_bulb_degc"], year["dry_bulb_degc"])
    np.testing.assert_array_equal(hourly["dew_point_degc"], year["dew_point_degc"])
    np.testing.assert_allclose(hourly["pressure_kpa"], 98.0)  # 98000 Pa in the file
    assert hourly["month"].iloc[0] == 1 and hourly["month"].iloc[-1] == 12
    assert (hourly["month"] == 2).sum() == 28 * 24
    assert (station.kind, station.station_id, station.name) == (
        "EPW",
        "724380",
        "Testville Intl Ap",
    )
    assert (station.latitude_deg, station.longitude_deg, station.elevation_m) == (
        39.72,
        -86.27,
        241.0,
    )


def test_epw_design_conditions_are_read_from_the_header(tmp_path, year):
    design = read_weather(write_epw(tmp_path / "site.epw", year)).station.design
    assert design.dry_bulb_04_degc == 32.8
    assert design.coincident_wet_bulb_04_degc == 24.1
    assert design.wet_bulb_04_degc == 25.7
    assert design.coincident_dry_bulb_04_degc == 30.9


def test_rh_follows_the_dew_point_and_wet_bulb_lies_between(tmp_path, year):
    # The file says 50 % every hour; the dew point (5 K below the dry bulb) decides.
    hourly = read_weather(write_epw(tmp_path / "site.epw", year)).hourly
    np.testing.assert_allclose(
        hourly["rh_pct"], rh_from_dew_point(year["dry_bulb_degc"], year["dew_point_degc"])
    )
    assert (hourly["wet_bulb_degc"] <= hourly["dry_bulb_degc"]).all()
    assert (hourly["wet_bulb_degc"] >= hourly["dew_point_degc"] - 0.5).all()


def test_tmy3_reader_maps_columns_units_and_metadata(tmp_path, year):
    weather = read_weather(write_tmy3(tmp_path / "725300TYA.CSV", year))
    np.testing.assert_array_equal(weather.hourly["dry_bulb_degc"], year["dry_bulb_degc"])
    np.testing.assert_allclose(weather.hourly["pressure_kpa"], 98.0)  # 980 mbar in the file
    station = weather.station
    assert (station.kind, station.station_id, station.name) == (
        "TMY3",
        "725300",
        "TESTVILLE INTL AP",
    )
    assert station.design is None
    assert (station.latitude_deg, station.elevation_m) == (41.983, 201.0)


def test_short_gaps_are_filled_and_missing_codes_never_read_as_values(tmp_path, year):
    gappy = year.copy()
    gappy.loc[100:102, "dry_bulb_degc"] = 99.9  # EPW missing code, 3 h
    hourly = read_weather(write_epw(tmp_path / "gap.epw", gappy)).hourly
    np.testing.assert_allclose(
        hourly.loc[100:102, "dry_bulb_degc"],
        np.interp([100, 101, 102], [99, 103], year.loc[[99, 103], "dry_bulb_degc"]),
    )


def test_long_gaps_are_an_error(tmp_path, year):
    gappy = year.copy()
    gappy.loc[100:130, "dry_bulb_degc"] = 99.9
    with pytest.raises(DataError, match=r"gap.epw: missing values remain .*dry_bulb_degc"):
        read_weather(write_epw(tmp_path / "gap.epw", gappy))


def test_a_short_year_is_an_error(tmp_path, year):
    with pytest.raises(DataError, match=r"short.epw: 8736 hourly records, expected 8760"):
        read_weather(write_epw(tmp_path / "short.epw", year.iloc[:-24]))


def test_unknown_format_and_missing_file_are_errors(tmp_path):
    other = tmp_path / "notes.csv"
    other.write_text("a,b,c\n1,2,3\n")
    with pytest.raises(DataError, match=r"notes.csv: not an EPW file .* nor an NREL TMY3 file"):
        read_weather(other)
    with pytest.raises(DataFileNotFound, match=r"none.epw: weather file not found"):
        read_weather(tmp_path / "none.epw")


def test_corrupt_epw_is_an_error(tmp_path):
    bad = tmp_path / "bad.epw"
    bad.write_text("LOCATION,x,IN,USA,TMY3,1,39.7,-86.3,-5.0,241.0\nnot,a,weather,file\n")
    with pytest.raises(DataError, match=r"bad.epw"):
        read_weather(bad)


def era5_fixture(path, *, with_dew_point=True):
    time = pd.date_range("2020-07-01", periods=3, freq="h")
    shape = (3, 2, 2)
    data = {
        "t2m": (("valid_time", "latitude", "longitude"), np.full(shape, 303.15)),
        "sp": (("valid_time", "latitude", "longitude"), np.full(shape, 100000.0)),
    }
    if with_dew_point:
        data["d2m"] = (("valid_time", "latitude", "longitude"), np.full(shape, 293.15))
    ds = xr.Dataset(
        data,
        coords={"valid_time": time, "latitude": [40.0, 39.75], "longitude": [-86.25, -86.0]},
    )
    ds.to_netcdf(path, engine="scipy")
    return path


def test_era5_reader_converts_units_and_names(tmp_path):
    out = read_era5_netcdf(era5_fixture(tmp_path / "era5.nc"))
    assert set(out.dims) == {"time", "latitude", "longitude"}
    np.testing.assert_allclose(out["dry_bulb_degc"], 30.0)
    np.testing.assert_allclose(out["dew_point_degc"], 20.0)
    np.testing.assert_allclose(out["pressure_kpa"], 100.0)
    np.testing.assert_allclose(out["rh_pct"], rh_from_dew_point(30.0, 20.0))
    assert out["wet_bulb_degc"].attrs["units"] == "°C"
    assert (out["wet_bulb_degc"] > 20.0).all() and (out["wet_bulb_degc"] < 30.0).all()


def test_era5_reader_names_missing_variables(tmp_path):
    with pytest.raises(DataError, match=r"variable\(s\) \['d2m'\] missing; found \['sp', 't2m'\]"):
        read_era5_netcdf(era5_fixture(tmp_path / "era5.nc", with_dew_point=False))


def test_era5_reader_rejects_a_file_that_is_not_netcdf(tmp_path):
    bad = tmp_path / "bad.nc"
    bad.write_text("not netcdf")
    with pytest.raises(DataError, match=r"bad.nc: cannot open as NetCDF"):
        read_era5_netcdf(bad)


def pvcz_table():
    # 2 × 2 lattice, PVCZ-style rounded centres; T rises 1 °C per 0.25° east.
    return pd.DataFrame(
        {
            "lat": [39.62, 39.62, 39.88, 39.88],
            "lon": [-86.4, -86.1, -86.4, -86.1],
            "T_ambient_mean": [10.0, 11.0, 10.0, 11.0],
            "T_ambient_max": [33.0, 34.0, 33.0, 34.0],
            "specific_humidity_mean": [8.0, 8.0, 9.0, 9.0],
            "specific_humidity_rms": [3.0, 3.0, 3.5, 3.5],
            "KG_zone": ["Dfa", "Dfa", "Dfa", "Dfa"],  # a PVCZ column the reader ignores
        }
    )


def write_pvcz(tmp_path, table):
    path = tmp_path / "pvcz.csv"
    table.to_csv(path, index=False)
    return path


def test_pvcz_reader_snaps_centres_and_maps_columns(tmp_path):
    clim = read_climatology(write_pvcz(tmp_path, pvcz_table()))
    assert list(clim.columns) == [
        "lon_deg",
        "lat_deg",
        "temp_mean_degc",
        "temp_max_degc",
        "specific_humidity_mean_g_per_kg",
        "specific_humidity_sd_g_per_kg",
    ]
    assert sorted(clim["lon_deg"].unique()) == [-86.375, -86.125]
    assert clim["lat_deg"].tolist() == [39.625, 39.625, 39.875, 39.875]
    assert clim["temp_mean_degc"].tolist() == [10.0, 11.0, 10.0, 11.0]
    assert clim["temp_max_degc"].tolist() == [33.0, 34.0, 33.0, 34.0]
    assert clim["specific_humidity_mean_g_per_kg"].tolist() == [8.0, 8.0, 9.0, 9.0]
    assert clim["specific_humidity_sd_g_per_kg"].tolist() == [3.0, 3.0, 3.5, 3.5]


def test_pvcz_reader_keeps_a_missing_value_as_nan(tmp_path):
    table = pvcz_table()
    table.loc[1, "T_ambient_mean"] = np.nan
    clim = read_climatology(write_pvcz(tmp_path, table))
    assert len(clim) == 4
    assert np.isnan(clim.loc[1, "temp_mean_degc"])
    assert clim.loc[1, "temp_max_degc"] == 34.0


def test_pvcz_reader_names_missing_columns(tmp_path):
    path = write_pvcz(tmp_path, pvcz_table().drop(columns="T_ambient_mean"))
    with pytest.raises(DataError, match=r"pvcz.csv: column\(s\) \['T_ambient_mean'\] missing"):
        read_climatology(path)
