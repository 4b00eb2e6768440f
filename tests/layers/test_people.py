"""People within the setback distance of each cell: the disc sum against a brute-force sum."""

from __future__ import annotations

import numpy as np
import pytest

from layers.people import people_within, setback_people


def test_the_disc_sum_equals_a_brute_force_sum():
    rng = np.random.default_rng(7)
    people = rng.uniform(0, 10, size=(17, 23))
    people[3, 4] = np.nan
    radius, res = 610.0, 250.0
    got = people_within(people, radius_m=radius, resolution_m=res)
    rows, cols = np.indices(people.shape)
    for r, c in [(0, 0), (8, 11), (16, 22), (5, 5), (3, 6), (10, 2)]:
        inside = np.hypot((rows - r) * res, (cols - c) * res) <= radius
        expected = people[inside].sum()
        if np.isnan(expected):
            assert np.isnan(got[r, c])
        else:
            assert got[r, c] == np.round(expected, 3) or abs(got[r, c] - expected) < 1e-3


def test_a_cell_far_from_unknown_cells_is_known():
    people = np.ones((30, 30))
    people[0, 0] = np.nan
    got = people_within(people, radius_m=300.0, resolution_m=250.0)
    assert np.isnan(got[0, 1]) and got[10, 10] == 5.0


def test_a_uniform_density_gives_density_times_the_circle_not_the_cell_disc():
    # 305 m on 250 m cells: the disc of centres is 5 cells (0.3125 km²), the circle 0.2922 km²
    density = np.full((15, 15), 200.0)
    got = setback_people(density, radius_m=305.0, resolution_m=250.0)
    assert got[7, 7] == pytest.approx(200.0 * np.pi * 0.305**2, rel=1e-4)
    assert got[7, 7] < 0.95 * 200.0 * 0.3125  # a plain disc sum would be 7 % high


def test_an_unknown_density_is_unknown_not_zero():
    density = np.full((15, 15), 200.0)
    density[7, 8] = np.nan
    got = setback_people(density, radius_m=305.0, resolution_m=250.0)
    assert np.isnan(got[7, 7]) and np.isfinite(got[7, 10])


def test_every_cell_equals_a_brute_force_disc_sum_with_unknown_cells_at_the_disc_edge():
    # unknown cells on the grid's border and in the middle; cells exactly on the radius from an
    # unknown one (3 cells along an axis) are unknown, those just beyond it (√10 cells) known
    rng = np.random.default_rng(42)
    res, radius = 100.0, 300.0
    people = rng.uniform(0, 50, size=(21, 19))
    for r, c in [(0, 0), (10, 13), (16, 4)]:
        people[r, c] = np.nan
    got = people_within(people, radius_m=radius, resolution_m=res)
    rows, cols = np.indices(people.shape)
    expected = np.empty_like(people)
    for r, c in np.ndindex(people.shape):
        inside = np.hypot((rows - r) * res, (cols - c) * res) <= radius * (1 + 1e-9)
        expected[r, c] = people[inside].sum()
    assert np.array_equal(np.isnan(got), np.isnan(expected))
    known = ~np.isnan(expected)
    assert np.abs(got[known] - expected[known]).max() <= 0.0005 + 1e-9
    assert np.isnan(got[10, 10]) and np.isfinite(got[9, 10])  # 3 and √10 cells from (10, 13)
