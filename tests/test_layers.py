"""Contract of every registered layer, their order, and hand-checked pieces of the layer code."""

import dataclasses

import numpy as np
import pandas as pd
import pytest

from layers import REGISTRY, indicator_schemas
from layers.base import Layer
from layers.climate import hot_wet_bulb_degc
from siting.bundle import ROLE_FORMATS, provenance
from siting.counties import counties_on_grid
from siting.grid import Grid, rasterize_mask
from siting.indicator import Indicator
from siting.pipeline import derive_indicators, order_layers
from siting.sources.pvcz import read_climatology
from tests.conftest import DATA_DIR


@pytest.fixture(scope="module")
def coarse(indiana_inputs):
    """The Indiana inputs on a 5 km grid."""
    grid = Grid(
        crs="EPSG:5070", bounds=(640_000, 1_680_000, 940_000, 2_130_000), resolution_m=5000.0
    )
    table = indiana_inputs.counties.table[["fips", "name", "geometry"]]
    return dataclasses.replace(
        indiana_inputs,
        grid=grid,
        study_mask=rasterize_mask(indiana_inputs.study_area, grid, what="state"),
        counties=counties_on_grid(table, grid, what="counties"),
    )


def _upstream(inputs, layer):
    """The indicators ``layer`` needs, derived by the layers that provide them and theirs."""
    others = [r for r in order_layers(REGISTRY) if r.name != layer.name]
    wanted, chosen = set(layer.needs), []
    for r in reversed(others):
        if set(r.provides) & wanted:
            chosen.insert(0, r)
            wanted |= set(r.needs)
    done = derive_indicators(inputs, chosen)
    return {n: done[n] for n in layer.needs}


@pytest.mark.parametrize("layer", REGISTRY, ids=[r.name for r in REGISTRY])
@pytest.mark.parametrize("bundle", ["indiana", "two_states"])
def test_layer_contract(layer, bundle, coarse, two_state_inputs):
    inputs = coarse if bundle == "indiana" else two_state_inputs
    out = layer.derive(inputs, _upstream(inputs, layer))
    assert set(out) == set(layer.provides)
    for schema in layer.indicators:
        assert schema.family == layer.name
        da = out[schema.name]
        assert da.name == schema.name and da.attrs["units"] == schema.units
        assert da.shape == inputs.grid.shape and da.dtype == np.float32
        # a context class may be absent (no 765 kV line); an input the bundle lacks is said
        if schema.direction != "context" and "unavailable" not in da.attrs:
            known = np.isfinite(da.to_numpy()[inputs.study_mask]).mean()
            assert known > 0.5, "most of the region has data"
    assert set(layer.reads) <= set(ROLE_FORMATS), "reads names bundle input roles"
    known = provenance(inputs.bundle).index
    assert all(ref in known for ref in inputs.role_refs(*layer.reads))


def _fingerprint(frame: pd.DataFrame) -> int:
    return int(pd.util.hash_pandas_object(frame.drop(columns="geometry", errors="ignore")).sum())


def test_layers_do_not_modify_their_inputs(two_state_inputs):
    """Inputs are values: after every layer has run, every frame is as it was read."""
    frames = {
        "counties": two_state_inputs.counties.table,
        "lines": two_state_inputs.network.lines,
        "points": two_state_inputs.network.points,
        "tracts": two_state_inputs.tracts,
        "svi": two_state_inputs.county_svi,
        "water": two_state_inputs.county_water_use,
        "climatology": two_state_inputs.climatology,
        "congestion": two_state_inputs.region_queue.congestion,
    }
    before = {k: _fingerprint(v) for k, v in frames.items()}
    derive_indicators(two_state_inputs, order_layers(REGISTRY))
    assert {k: _fingerprint(v) for k, v in frames.items()} == before


def _stub(name, provides, needs=()):
    indicators = tuple(
        Indicator(
            name=p,
            family=name,
            title=p,
            units="-",
            direction="context",
            tag="synthetic",
            source="test",
            description="test",
        )
        for p in provides
    )
    return Layer(name=name, indicators=indicators, reads=(), derive=lambda i, u: {}, needs=needs)


def test_layers_are_ordered_by_what_they_need_not_by_the_registry():
    late = _stub("late", ("b_km",), needs=("a_km",))
    early = _stub("early", ("a_km",))
    assert [r.name for r in order_layers([late, early])] == ["early", "late"]
    names = [r.name for r in order_layers(REGISTRY)]
    assert names.index("queue") > names.index("grid_capacity")


def test_a_need_no_layer_provides_is_a_clear_error():
    with pytest.raises(ValueError, match=r"layer 'late' needs 'a_km', which no registered layer"):
        order_layers([_stub("late", ("b_km",), needs=("a_km",))])


def test_needs_in_a_cycle_and_twice_provided_indicators_are_errors():
    one, two = _stub("one", ("a_km",), ("b_km",)), _stub("two", ("b_km",), ("a_km",))
    with pytest.raises(ValueError, match="need each other"):
        order_layers([one, two])
    with pytest.raises(ValueError, match=r"both provide 'a_km'"):
        order_layers([_stub("one", ("a_km",)), _stub("two", ("a_km",))])


def test_indicator_names_are_unique_and_carry_units():
    names = [s.name for layer in REGISTRY for s in layer.indicators]
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
        "_persons",
        "_mw",
        "_poi_nearby",  # queue_active_mw_…_poi_nearby: MW queued at nearby connection points
        "_musd",
        "_deg",
        "_class",
        "_l_per_kwh",
        "_bws_score",  # WRI Aqueduct's 0–5 score and category, named as WRI names them
        "_bws_cat",
        "pue_annual_cell",  # PUE: a ratio of energies, named as The Green Grid defines it
        "pue_design_cell",
    )
    assert all(n.endswith(suffixes) for n in names)
    assert set(indicator_schemas()) == set(names)


def _epw_design_wet_bulb_04(path) -> float:
    """ASHRAE 0.4 % evaporation design wet-bulb from an EPW header's DESIGN CONDITIONS line."""
    fields = path.read_text(encoding="latin-1").splitlines()[1].split(",")
    cooling = fields.index("Cooling")
    return float(fields[cooling + 9])


def test_hot_wet_bulb_indicator_is_close_to_ashrae_design_at_indianapolis():
    climate = read_climatology(DATA_DIR / "tables" / "pvcz_climate_indiana.csv")
    airport_lat, airport_lon = 39.72, -86.27
    nearest = (
        (climate["lat_deg"] - airport_lat) ** 2 + (climate["lon_deg"] - airport_lon) ** 2
    ).idxmin()
    indicator = hot_wet_bulb_degc(climate.loc[[nearest]])[0]
    design = _epw_design_wet_bulb_04(
        DATA_DIR / "weather" / "USA_IN_Indianapolis.Intl.AP.724380_TMY3.epw"
    )
    assert design == pytest.approx(25.7)
    assert abs(indicator - design) < 1.5
