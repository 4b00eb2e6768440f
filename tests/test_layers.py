"""Contract of every registered layer, and hand-checked pieces of the layer code."""

import numpy as np
import pandas as pd
import pytest
from layers._counties import normalize_county_name

from layers import REGISTRY, indicator_schemas
from layers.climate import hot_wet_bulb_degc
from layers.water import withdrawal_depth_mm_per_yr
from siting.bundle import open_bundle, provenance
from siting.grid import Grid
from siting.spec import load_spec
from tests.conftest import DATA_DIR


@pytest.fixture(scope="module")
def coarse():
    bundle = open_bundle("indiana", DATA_DIR)
    grid = Grid(
        crs="EPSG:5070", bounds=(640_000, 1_680_000, 940_000, 2_130_000), resolution_m=5000.0
    )
    return bundle, grid


@pytest.mark.parametrize("family", list(REGISTRY))
def test_layer_contract(family, coarse):
    bundle, grid = coarse
    module = REGISTRY[family]
    out = module.derive(bundle, grid, load_spec())
    assert set(out) == {s.name for s in module.INDICATORS}
    for schema in module.INDICATORS:
        assert schema.family == family
        da = out[schema.name]
        assert da.name == schema.name and da.attrs["units"] == schema.units
        assert da.shape == grid.shape and da.dtype == np.float32
        assert np.isfinite(da.to_numpy()).mean() > 0.5, "most of the region has data"
    known = provenance(bundle).index
    assert all(ref in known for ref in module.inputs(bundle))


def test_indicator_names_are_unique_and_carry_units():
    names = [s.name for m in REGISTRY.values() for s in m.INDICATORS]
    assert len(names) == len(set(names))
    suffixes = (
        "_km",
        "_mw_county",
        "_mm_per_yr",
        "_degc",
        "_per_km2",
        "_pct",
        "_ban",
        "_moratorium",
        "_months",
        "_l_per_kwh",
        "pue_annual_cell",  # PUE: a ratio of energies, named as The Green Grid defines it
    )
    assert all(n.endswith(suffixes) for n in names)
    assert set(indicator_schemas()) == set(names)


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("St. Joseph", "stjoseph"),
        ("Saint Joseph County", "stjoseph"),
        ("LaPorte", "laporte"),
        ("La Porte", "laporte"),
        ("DeKalb", "dekalb"),
        ("de kalb", "dekalb"),
    ],
)
def test_county_name_variants_join(raw, canonical):
    assert normalize_county_name(raw) == canonical


def test_withdrawal_depth_by_hand():
    use = pd.DataFrame({"fips": ["18001", "18003"], "fresh_withdrawal_mgd": [10.0, np.nan]})
    counties = pd.DataFrame({"fips": ["18001", "18003"], "area_km2": [1000.0, 500.0]})
    depth = withdrawal_depth_mm_per_yr(use, counties)
    # 10 Mgal/d × 3,785.4 m³/Mgal × 365.25 d / 1e9 m² × 1,000 mm/m = 13.83 mm/yr
    assert depth["18001"] == pytest.approx(13.826, abs=1e-3)
    assert np.isnan(depth["18003"])  # unknown stays unknown


def _epw_design_wet_bulb_04(path) -> float:
    """ASHRAE 0.4 % evaporation design wet-bulb from an EPW header's DESIGN CONDITIONS line."""
    fields = path.read_text(encoding="latin-1").splitlines()[1].split(",")
    cooling = fields.index("Cooling")
    return float(fields[cooling + 9])


def test_hot_wet_bulb_indicator_is_close_to_ashrae_design_at_indianapolis():
    climate = pd.read_csv(DATA_DIR / "tables" / "pvcz_climate_indiana.csv")
    airport_lat, airport_lon = 39.72, -86.27
    nearest = ((climate["lat"] - airport_lat) ** 2 + (climate["lon"] - airport_lon) ** 2).idxmin()
    indicator = hot_wet_bulb_degc(climate.loc[[nearest]])[0]
    design = _epw_design_wet_bulb_04(
        DATA_DIR / "weather" / "USA_IN_Indianapolis.Intl.AP.724380_TMY3.epw"
    )
    assert design == pytest.approx(25.7)
    assert abs(indicator - design) < 1.5


def test_layers_that_need_others_come_after_them():
    seen: set[str] = set()
    for module in REGISTRY.values():
        assert set(getattr(module, "NEEDS", ())) <= seen, module.__name__
        seen |= {s.name for s in module.INDICATORS}
