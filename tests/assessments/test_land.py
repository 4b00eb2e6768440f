"""Land converted by NLCD group (siting.assessments.land)."""

from __future__ import annotations

import numpy as np
import pytest

from siting.assessments.land import class_shares, majority_class


def test_class_shares_count_the_sites_cells():
    """Site 1: 3 crop cells, 1 deciduous forest; site 2: only no-data cells."""
    codes = np.array([[82, 82, 41], [82, 250, np.nan]])
    labels = np.array([[1, 1, 1], [1, 2, 2]])
    shares = class_shares(codes, labels, np.array([1, 2]))
    assert shares.loc[0, "cropland"] == pytest.approx(0.75)
    assert shares.loc[0, "forest"] == pytest.approx(0.25)
    assert shares.loc[0].sum() == pytest.approx(1.0)
    assert shares.loc[1].isna().all()  # unknown, not zero
    assert majority_class(codes, labels, np.array([1, 2])) == ["Cultivated Crops", "unknown"]
