import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box
from siting.assess import Assessment

from siting.pipeline import assess_sites


def sites():
    return gpd.GeoDataFrame(
        {"rank": [1, 2], "site_id": ["a", "b"], "score": [0.9, 0.8]},
        geometry=[box(0, 0, 1, 1), box(2, 2, 3, 3)],
        crs="EPSG:5070",
    )


def double_score(table, _context):
    cols = pd.DataFrame({"double_score": table["score"] * 2}, index=table.index)
    return Assessment(name="double", columns=cols, units={"double_score": "-"}, notes=("x2",))


def overwrite_score(table, _context):
    cols = pd.DataFrame({"score": np.zeros(len(table))}, index=table.index)
    return Assessment(name="bad", columns=cols, units={"score": "-"})


def test_assessment_adds_columns_and_keeps_the_score():
    out, results = assess_sites(sites(), None, (double_score,))
    assert out["double_score"].tolist() == [1.8, 1.6]
    assert out["score"].tolist() == [0.9, 0.8]
    assert results[0].notes == ("x2",)


def test_assessment_may_not_overwrite_a_column():
    with pytest.raises(ValueError, match=r"overwrite site columns \['score'\]"):
        assess_sites(sites(), None, (overwrite_score,))
