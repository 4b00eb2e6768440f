"""Hemispherical spreading with air absorption (siting.models.noise)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from siting.errors import SitingError
from siting.models.noise import (
    distance_to_level_m,
    level_at_distance_dba,
    plant_sound_power_dba,
)


def test_level_at_300_m_by_hand():
    """110 dBA at 300 m: 110 − 10·log10(2π·300²) − 1.9·0.3 = 110 − 57.524 − 0.57 = 51.906."""
    expected = 110.0 - 10.0 * math.log10(2.0 * math.pi * 300.0**2) - 1.9 * 0.3
    got = float(level_at_distance_dba(110.0, 300.0, absorption_db_per_km=1.9))
    assert got == pytest.approx(expected, abs=1e-9)
    assert got == pytest.approx(51.906, abs=1e-3)


def test_hemisphere_not_sphere():
    """A free-field (4π r²) formula would give 3.01 dB less at every distance."""
    half = float(level_at_distance_dba(100.0, 50.0, absorption_db_per_km=0.0))
    full = 100.0 - 10.0 * math.log10(4.0 * math.pi * 50.0**2)
    assert half - full == pytest.approx(10.0 * math.log10(2.0), abs=1e-9)


def test_doubling_distance_loses_6_db_plus_absorption():
    near, far = level_at_distance_dba(120.0, [1000.0, 2000.0], absorption_db_per_km=2.0)
    assert near - far == pytest.approx(20.0 * math.log10(2.0) + 2.0, abs=1e-9)


@pytest.mark.parametrize("lw", [105.0, 118.0, 126.0])
def test_contour_distance_inverts_the_level(lw):
    r = distance_to_level_m(lw, 45.0, absorption_db_per_km=1.9)
    assert float(level_at_distance_dba(lw, r, absorption_db_per_km=1.9)) == pytest.approx(
        45.0, abs=1e-6
    )


def test_contour_without_absorption_in_closed_form():
    """α = 0: r = sqrt(10^((Lw − L)/10) / 2π); 126 − 45 dBA → 4,476.2 m."""
    r = distance_to_level_m(126.0, 45.0, absorption_db_per_km=0.0)
    assert r == pytest.approx(math.sqrt(10 ** (81 / 10) / (2 * math.pi)), rel=1e-6)
    assert r == pytest.approx(4476.2, abs=0.1)


def test_absorption_brings_the_contour_in():
    assert distance_to_level_m(126.0, 45.0, absorption_db_per_km=1.9) < 4476.0


def test_quiet_source_has_no_contour_and_loud_one_is_an_error():
    assert distance_to_level_m(50.0, 45.0, absorption_db_per_km=1.9) == 0.0
    with pytest.raises(SitingError, match="beyond 100 km"):
        distance_to_level_m(200.0, 45.0, absorption_db_per_km=0.0)


def test_plant_of_n_units_adds_10_log_n():
    assert float(plant_sound_power_dba(110.0, 10)) == pytest.approx(120.0)
    assert np.isnan(plant_sound_power_dba(110.0, 0.0))
