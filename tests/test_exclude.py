import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import Point, box

from siting.errors import SpecError
from siting.exclude import apply_exclusions
from siting.spec import ExclusionRule


@pytest.fixture
def quarter(grid10):
    """The south-west quarter of the grid as a polygon layer."""
    return gpd.GeoDataFrame(geometry=[box(0, 0, 5000, 5000)], crs="EPSG:5070")


def run(rules, grid, features=None, indicators=None, study=None):
    study = np.ones(grid.shape, bool) if study is None else study
    return apply_exclusions(
        tuple(rules), grid, study_area=study, features=features or {}, indicators=indicators or {}
    )


def test_exclude_a_quarter_three_quarters_remain(grid10, quarter):
    rule = ExclusionRule(name="q", kind="features", layer="quarter")
    excluded, ledger = run([rule], grid10, features={"quarter": quarter})
    assert excluded.sum() == 25
    assert excluded[5:, :5].all()
    row = ledger.set_index("rule").loc["q"]
    assert row["area_km2"] == 25.0 and row["share_of_study_area"] == 0.25
    assert ledger.set_index("rule").loc["all rules", "area_km2"] == 25.0


def test_buffer_grows_the_exclusion_by_a_circle(grid10):
    point = gpd.GeoDataFrame(geometry=[Point(4500, 5500)], crs="EPSG:5070")
    rule = ExclusionRule(name="p", kind="features", layer="p", buffer_m=1000.0)
    excluded, _ = run([rule], grid10, features={"p": point})
    assert excluded.sum() == 5  # the cell and its four edge neighbours at 1 km


def test_indicator_rule_and_unknown_values(grid10):
    values = np.zeros(grid10.shape, np.float32)
    values[0, :] = 900.0
    values[1, :] = np.nan
    da = grid10.template(values, name="density", units="people/km²")
    rule = ExclusionRule(name="dense", kind="indicator", indicator="density", above=400.0)
    excluded, _ = run([rule], grid10, indicators={"density": da})
    assert excluded[0].all()
    assert not excluded[1].any()  # unknown is never excluded by a threshold


def test_overlapping_rules_ledger(grid10, quarter):
    half = gpd.GeoDataFrame(geometry=[box(0, 0, 10_000, 5000)], crs="EPSG:5070")
    rules = [
        ExclusionRule(name="q", kind="features", layer="quarter"),
        ExclusionRule(name="h", kind="features", layer="half"),
    ]
    excluded, ledger = run(rules, grid10, features={"quarter": quarter, "half": half})
    by = ledger.set_index("rule")
    assert excluded.sum() == 50
    assert by.loc["q", "only_this_rule_km2"] == 0.0
    assert by.loc["h", "only_this_rule_km2"] == 25.0
    assert by.loc["all rules", "area_km2"] == 50.0


def test_forced_inclusion_overrides_exclusion(grid10, quarter):
    corner = gpd.GeoDataFrame(geometry=[box(0, 0, 2000, 2000)], crs="EPSG:5070")
    rules = [
        ExclusionRule(name="q", kind="features", layer="quarter"),
        ExclusionRule(name="keep", kind="features", mode="include", layer="corner"),
    ]
    excluded, ledger = run(rules, grid10, features={"quarter": quarter, "corner": corner})
    assert excluded.sum() == 21
    assert ledger.set_index("rule").loc["keep", "only_this_rule_km2"] == 4.0


def test_outside_the_study_area_is_always_excluded(grid10):
    study = np.zeros(grid10.shape, bool)
    study[:, :5] = True
    excluded, ledger = run([], grid10, study=study)
    assert excluded[:, 5:].all() and not excluded[:, :5].any()
    assert "study area 50.0 km²" in ledger.iloc[-1]["detail"]


def test_unknown_layer_is_a_spec_error(grid10):
    with pytest.raises(SpecError, match="no layer 'wetlands'"):
        run([ExclusionRule(name="w", kind="features", layer="wetlands")], grid10)
