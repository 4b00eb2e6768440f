"""Per-site models as records: what they add, what they need, and the order they run in."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from siting.assessments import REGISTRY
from siting.assessments.base import Assessment, SiteContext, SiteModel
from siting.pipeline import assess_sites, order_models


def sites():
    return gpd.GeoDataFrame(
        {"rank": [1, 2], "site_id": ["a", "b"], "score": [0.9, 0.8], "proxy_indicators": ""},
        geometry=[box(0, 0, 1, 1), box(2, 2, 3, 3)],
        crs="EPSG:5070",
    )


@pytest.fixture
def context(two_state_inputs):
    return SiteContext(inputs=two_state_inputs, indicators={}, labels=np.zeros((1, 1), int))


def model(name, units, assess, needs=()):
    return SiteModel(name=name, units=units, reads=(), assess=assess, needs=needs)


def double_score(table, _context):
    cols = pd.DataFrame({"double_score": table["score"] * 2}, index=table.index)
    return Assessment(name="double", columns=cols, units={"double_score": "-"}, notes=("x2",))


def quadruple(table, _context):
    cols = pd.DataFrame({"quad_score": table["double_score"] * 2}, index=table.index)
    return Assessment(name="quad", columns=cols, units={"quad_score": "-"})


DOUBLE = model("double", {"double_score": "-"}, double_score)
QUAD = model("quad", {"quad_score": "-"}, quadruple, needs=("double_score",))


def test_a_model_adds_columns_and_keeps_the_score(context):
    out, results = assess_sites(sites(), context, (DOUBLE,))
    assert out["double_score"].tolist() == [1.8, 1.6]
    assert out["score"].tolist() == [0.9, 0.8]
    assert results[0].notes == ("x2",)


def test_models_run_in_the_order_their_needs_require(context):
    ordered = order_models([QUAD, DOUBLE])
    assert [m.name for m in ordered] == ["double", "quad"]
    out, _ = assess_sites(sites(), context, ordered)
    assert out["quad_score"].tolist() == [3.6, 3.2]


def test_a_need_no_model_provides_is_a_clear_error():
    with pytest.raises(ValueError, match=r"model 'quad' needs 'double_score', which no"):
        order_models([QUAD])


def test_a_model_may_not_overwrite_a_column(context):
    def overwrite(table, _context):
        cols = pd.DataFrame({"score": np.zeros(len(table))}, index=table.index)
        return Assessment(name="bad", columns=cols, units={"score": "-"})

    with pytest.raises(ValueError, match=r"overwrite site columns \['score'\]"):
        assess_sites(sites(), context, (model("bad", {"score": "-"}, overwrite),))


def test_a_model_must_return_what_it_declares(context):
    liar = model("liar", {"other": "-"}, double_score)
    with pytest.raises(ValueError, match=r"returned columns \['double_score'\], declared"):
        assess_sites(sites(), context, (liar,))


def test_the_registry_orders_and_declares_units_for_every_column():
    names = [m.name for m in order_models(REGISTRY)]
    assert names.index("campus demand") < names.index("interconnection")  # peak demand
    assert names.index("interconnection") < names.index("time to power")  # needs_new_line
    assert names.index("campus demand") < names.index("emissions")  # energy, subregion
    provided = [c for m in REGISTRY for c in m.provides]
    assert len(provided) == len(set(provided))
    assert all(isinstance(u, str) for m in REGISTRY for u in m.units.values())
