"""A campus's energy, peak power and water from its cooling model, and its grid's water."""

import pandas as pd
import pytest

from siting.errors import SpecError
from siting.models.campus import (
    WATER_CONSUMPTION_GAL_PER_MWH,
    archetype_model,
    campus_report,
    demand_columns,
    grid_water_factor_l_per_kwh,
)
from siting.models.cooling import ARCHETYPE_MODELS
from siting.sources.weather_file import read_weather
from tests.conftest import DATA_DIR

INDIANAPOLIS = DATA_DIR / "weather" / "USA_IN_Indianapolis.Intl.AP.724380_TMY3.epw"


def test_grid_water_factor_by_hand():
    mix = pd.DataFrame({c: [0.0, 0.0] for c in WATER_CONSUMPTION_GAL_PER_MWH})
    mix.loc[0, ["coal_pct", "nuclear_pct", "wind_pct"]] = [50.0, 30.0, 20.0]
    mix.loc[1, ["coal_pct", "wind_pct"]] = [45.0, 45.0]  # 10 % unknown fuel: renormalised
    factor = grid_water_factor_l_per_kwh(mix)
    gal = 3.785411784e-3
    assert factor[0] == pytest.approx((0.5 * 687 + 0.3 * 672) * gal)
    assert factor[1] == pytest.approx(0.5 * 687 * gal)


def test_demand_columns_by_hand():
    # 1,000 MW of IT at load factor 0.8: 7,008,000 MWh of IT energy a year.
    annual = pd.DataFrame(
        {"pue_annual": [1.2, 1.15], "pue_design": [1.4, 1.3], "wue_site_l_per_kwh": [0.0, 1.5]},
        index=["dry", "tower"],
    )
    out = demand_columns(annual, it_capacity_mw=1000.0, load_factor=0.8)
    assert out.index.tolist() == ["dry", "tower"]
    assert out["peak_demand_mw"].tolist() == pytest.approx([1400.0, 1300.0])
    assert out["energy_mwh_per_yr"].tolist() == pytest.approx([8_409_600.0, 8_059_200.0])
    # 7,008,000 MWh × 1.5 L/kWh = 10,512,000 m³ a year = 28,800 m³ a day.
    assert out["water_site_m3_per_yr"].tolist() == pytest.approx([0.0, 10_512_000.0])
    assert out["water_site_gal_per_day"].tolist() == pytest.approx([0.0, 28_800 * 264.172052])


def test_campus_report_keys_and_design_conditions():
    report = campus_report(
        read_weather(INDIANAPOLIS), archetype="cooling_tower", it_capacity_mw=100.0, load_factor=0.5
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


def test_archetype_model_returns_the_named_defaults():
    assert archetype_model("cooling_tower") is ARCHETYPE_MODELS["cooling_tower"]


def test_unknown_archetype_is_a_spec_error():
    with pytest.raises(SpecError, match=r"archetype must be one of \['dry_cooler'.*got 'fan'"):
        archetype_model("fan")
