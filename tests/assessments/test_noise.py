"""Noise assessment: source levels and the [noise] spec table."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from siting.assessments.noise import contour_km, source_levels
from siting.errors import SpecError
from siting.models.noise import level_at_distance_dba
from siting.spec import load_spec, spec_from_text

DEFAULT = load_spec()


def test_cooling_level_scales_with_heat_rejected():
    params = DEFAULT.noise
    levels = source_levels(pd.Series([100.0, 1000.0]), params=params)
    assert levels["cooling_lw_dba"].tolist() == pytest.approx([115.0, 125.0])
    gen = params.generator_lw_dba + 10 * math.log10(params.generators_tested_at_once)
    assert levels["generator_test_lw_dba"].tolist() == pytest.approx([gen, gen])


def test_contour_km_is_where_the_level_meets_the_limit():
    params = DEFAULT.noise
    km = contour_km(pd.Series([125.0]), 45.0, params=params).iloc[0]
    lp = level_at_distance_dba(125.0, km * 1000, absorption_db_per_km=params.absorption_db_per_km)
    assert float(lp) == pytest.approx(45.0, abs=1e-6)


def spec_with(noise_lines: str):
    from siting.spec import default_spec_path

    text = default_spec_path().read_text(encoding="utf-8")
    return spec_from_text(f"[noise]\n{noise_lines}\n", default_text=text, source="test")


def test_spec_noise_overrides_and_errors():
    assert spec_with("night_limit_dba = 40.0").noise.night_limit_dba == 40.0
    with pytest.raises(SpecError, match=r"day_limit_dba .* below night_limit_dba"):
        spec_with("night_limit_dba = 60.0")
    with pytest.raises(SpecError, match=r"unknown key\(s\) \['loudness'\] in \[noise\]"):
        spec_with("loudness = 1")
    with pytest.raises(SpecError, match="generators_tested_at_once"):
        spec_with("generators_tested_at_once = 2.5")
