"""The hot-humid wet-bulb indicator: the exact psychrometric wet bulb, reported, not scored."""

import numpy as np
import pandas as pd
import pytest

from layers.climate import HUMID_SIGMAS, INDICATORS, hot_wet_bulb_degc
from siting.psychrometrics import (
    rh_from_dew_point,
    specific_humidity_from_dew_point_g_per_kg,
    wet_bulb_stull,
)


def climate_row(temp_max_degc: float, humid_g_per_kg: float, sd_g_per_kg: float = 1.5):
    """One lattice point whose mean + HUMID_SIGMAS sd specific humidity is humid_g_per_kg."""
    return pd.DataFrame(
        {
            "temp_max_degc": [temp_max_degc],
            "specific_humidity_mean_g_per_kg": [humid_g_per_kg - HUMID_SIGMAS * sd_g_per_kg],
            "specific_humidity_sd_g_per_kg": [sd_g_per_kg],
        }
    )


def test_the_indicator_is_context_only():
    schema = INDICATORS[0]
    assert schema.name == "wet_bulb_hot_degc"
    assert schema.direction == "context"
    assert "Stull" not in schema.description


def test_hot_humid_air_gives_the_ashrae_wet_bulb():
    # 35 °C with a 25 °C dew point at 101.325 kPa: 27.44 °C (PsychroLib 2.5, ASHRAE 2017 ch. 1;
    # Meyer & Thevenard 2019, doi:10.21105/joss.01137); Stull's sea-level fit gives 27.80 °C.
    humid = float(specific_humidity_from_dew_point_g_per_kg(25.0))
    wet_bulb = hot_wet_bulb_degc(climate_row(35.0, humid))[0]
    assert wet_bulb == pytest.approx(27.4435, abs=0.01)
    stull = float(wet_bulb_stull(35.0, rh_from_dew_point(35.0, 25.0)))
    assert stull - wet_bulb > 0.3


def test_humidity_above_saturation_is_capped_at_the_air_temperature():
    humid = float(specific_humidity_from_dew_point_g_per_kg(30.0))
    assert hot_wet_bulb_degc(climate_row(28.0, humid))[0] == pytest.approx(28.0, abs=1e-5)


def test_more_humid_or_hotter_air_has_a_higher_wet_bulb():
    humid = np.array([8.0, 12.0, 16.0, 20.0])
    rows = pd.concat([climate_row(32.0, q) for q in humid], ignore_index=True)
    assert np.all(np.diff(hot_wet_bulb_degc(rows)) > 0)
    rows = pd.concat([climate_row(t, 14.0) for t in (28.0, 31.0, 34.0)], ignore_index=True)
    assert np.all(np.diff(hot_wet_bulb_degc(rows)) > 0)
