"""Line loadability, St Clair curve, firm loadability and tie circuits: docs/methods.md §4.2."""

from __future__ import annotations

import numpy as np
import pytest

from siting.models.transmission import (
    KM_PER_MILE,
    firm_loadability_mw,
    loadability_mw,
    route_miles,
    st_clair_multiplier,
    tie_circuits,
    voltage_class_kv,
)


@pytest.mark.parametrize(
    ("kv", "miles", "expected_mw"),
    [
        (345.0, 30.0, 900.0),  # short: thermal 900 < 420 × 3.0
        (345.0, 200.0, 420.0 * 1.35),  # long: stability 567 < 900
        (500.0, 100.0, 1800.0),  # thermal 1800 < 1000 × 2.0
        (500.0, 300.0, 1000.0 * 1.05),
        (765.0, 50.0, 3200.0),
        (765.0, 300.0, 2280.0 * 1.05),
        (765.0, 400.0, 2280.0 * 0.85),
        (230.0, 400.0, 450.0),  # ≤ 300 kV: flat thermal rating, whatever the length
        (138.0, 10.0, 250.0),
        (161.0, 10.0, 300.0),
        (240.0, 10.0, 450.0),  # between classes: the class below
        (60.0, 10.0, np.nan),  # below the table
        (np.nan, 10.0, np.nan),  # unknown voltage stays unknown
    ],
)
def test_loadability_reproduces_reference_table(kv, miles, expected_mw):
    np.testing.assert_allclose(loadability_mw(kv, miles), expected_mw)


def test_st_clair_curve_interpolates_and_clamps():
    np.testing.assert_allclose(
        st_clair_multiplier([10.0, 75.0, 450.0, 900.0]), [3.0, 2.5, (0.85 + 0.72) / 2, 0.62]
    )


def test_firm_loadability_and_circuits():
    assert firm_loadability_mw([900.0], [900.0], 2).tolist() == [0.0]
    assert firm_loadability_mw([900.0], [900.0], 1).tolist() == [900.0]  # no N−1 for one line
    # 1,300 MW on 900 MW circuits, N−1: two carry it, a third for the outage → 3
    assert tie_circuits([1300.0], [900.0], 2).tolist() == [3.0]
    # a single line asked for: just enough to carry it
    assert tie_circuits([1300.0], [900.0], 1).tolist() == [2.0]
    assert tie_circuits([100.0], [900.0], 3).tolist() == [3.0]  # never fewer than asked
    assert np.isnan(tie_circuits([1300.0], [np.nan], 2)[0])


def test_route_miles_from_straight_line_km():
    assert route_miles([10.0, 0.0], 1.3).tolist() == pytest.approx([13.0 / KM_PER_MILE, 0.0])
    assert KM_PER_MILE == 1.609344


def test_voltage_classes_are_hifld_lower_bounds():
    kv = [69.0, 100.0, 161.0, 219.0, 220.0, 345.0, 500.0, 734.0, 735.0, 765.0, np.nan]
    expected = [0.0, 100.0, 100.0, 100.0, 220.0, 345.0, 500.0, 500.0, 735.0, 735.0, np.nan]
    np.testing.assert_array_equal(voltage_class_kv(kv), expected)
