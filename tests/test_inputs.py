"""Reading a run's inputs once: the region's states, values shared by the stages, clear errors."""

import dataclasses
import shutil

import numpy as np
import pandas as pd
import pytest

from siting.bundle import open_bundle
from siting.errors import DataError
from siting.inputs import read_inputs
from siting.spec import Region


def with_states(spec, states):
    return dataclasses.replace(spec, region=dataclasses.replace(spec.region, states=states))


@pytest.fixture
def bundle_copy(two_states, tmp_path):
    """A writable copy of the two-state fixture bundle."""
    return shutil.copytree(two_states.root, tmp_path / "bundle")


def test_one_state_of_a_two_state_bundle(two_states):
    inputs = read_inputs(
        open_bundle("two_states", two_states.root), with_states(two_states.spec, ("OH",))
    )
    assert inputs.counties.states == ("OH",)
    assert inputs.counties.table["fips"].tolist() == ["39001", "39003"]
    assert inputs.region_queue.states == ("OH",)
    assert inputs.county_restrictions.empty  # the restrictions file covers Indiana only
    # the grid covers Ohio only: 60 × 60 km at 1 km
    assert inputs.grid.shape == (60, 60)
    assert inputs.study_mask.all()


def test_no_states_in_the_spec_means_every_state_of_the_bundle(two_states):
    inputs = read_inputs(
        open_bundle("two_states", two_states.root), with_states(two_states.spec, ())
    )
    assert inputs.counties.states == ("IN", "OH")


def test_a_state_the_bundle_lacks_is_an_error(two_states):
    spec = with_states(two_states.spec, ("IN", "KY"))
    with pytest.raises(DataError, match=r"states \['KY'\] are not in the bundle's states input"):
        read_inputs(open_bundle("two_states", two_states.root), spec)


def test_arrays_are_read_only_and_the_network_has_one_id_scheme(two_state_inputs):
    for array in (two_state_inputs.study_mask, two_state_inputs.counties.cells):
        with pytest.raises(ValueError, match="read-only"):
            array[0, 0] = 0
    points = two_state_inputs.network.points
    assert points["point_id"].str.fullmatch(r"DN\d{4}").all()
    assert set(two_state_inputs.network.ends["point_id"]) <= set(points["point_id"])


def test_every_file_read_is_recorded_with_its_provenance(two_state_inputs):
    read = set(two_state_inputs.read)
    assert {"fixture.gpkg:counties", "queue.csv", "svi.csv", "restrictions.json"} <= read
    assert any(r.startswith("weather/") for r in read)
    assert two_state_inputs.role_refs("weather", "county_svi")[-1] == "svi.csv"


def test_a_file_without_provenance_is_an_error(bundle_copy, two_states):
    sources = pd.read_csv(bundle_copy / "SOURCES.csv")
    sources[sources["path"] != "svi.csv"].to_csv(bundle_copy / "SOURCES.csv", index=False)
    with pytest.raises(DataError, match=r"SOURCES.csv: no provenance row for 'svi.csv'"):
        read_inputs(open_bundle("two_states", bundle_copy), two_states.spec)


def test_restrictions_without_their_state_are_an_error(bundle_copy, two_states):
    catalogue = bundle_copy / "two_states.toml"
    catalogue.write_text(catalogue.read_text().replace('state = "IN"\n', ""))
    with pytest.raises(DataError, match=r"format 'gridwatch_restrictions' needs state = "):
        read_inputs(open_bundle("two_states", bundle_copy), two_states.spec)


def test_an_unknown_source_option_is_an_error(bundle_copy, two_states):
    catalogue = bundle_copy / "two_states.toml"
    text = catalogue.read_text().replace(
        'format = "cdc_svi"\n', 'format = "cdc_svi"\nedition = "2022"\n'
    )
    catalogue.write_text(text)
    with pytest.raises(DataError, match=r"unknown option\(s\) \['edition'\] for format 'cdc_svi'"):
        read_inputs(open_bundle("two_states", bundle_copy), two_states.spec)


def test_a_one_iso_queue_must_name_its_iso(bundle_copy, two_states):
    catalogue = bundle_copy / "two_states.toml"
    text = catalogue.read_text().replace('format = "lbnl_queued_up"', 'format = "gridstatus_queue"')
    catalogue.write_text(text)
    with pytest.raises(DataError, match=r"format 'gridstatus_queue' needs region = "):
        read_inputs(open_bundle("two_states", bundle_copy), two_states.spec)


def test_a_bundle_without_weather_stations_is_an_error(bundle_copy, two_states):
    for path in (bundle_copy / "weather").iterdir():
        path.unlink()
    with pytest.raises(DataError, match="no EPW or TMY3 weather file"):
        read_inputs(open_bundle("two_states", bundle_copy), two_states.spec)


def test_counties_outside_the_study_area_are_left_out(indiana_inputs):
    assert indiana_inputs.counties.states == ("IN",)
    assert len(indiana_inputs.counties.table) == 92
    assert np.isin(indiana_inputs.counties.cells, [-1, *range(92)]).all()
    assert isinstance(indiana_inputs.spec.region, Region)


def test_the_utility_inputs_and_the_cost_index_are_read(two_state_inputs, indiana_inputs):
    for inputs in (two_state_inputs, indiana_inputs):
        assert inputs.utility_territories.crs == inputs.grid.crs
        assert {"utility", "utility_type", "customers"} <= set(inputs.utility_territories.columns)
        assert {"eia_id", "peak_demand_mw", "avg_price_cents_per_kwh"} <= set(
            inputs.utilities.columns
        )
        assert inputs.cost_index["year"].is_unique
    # three of GridWatch's 114 territories are drawn in other states and meet no cell
    assert len(indiana_inputs.utility_territories) == 111
    assert "tables/bls_cpi_u_annual.csv" in indiana_inputs.read


def test_a_bundle_without_utility_roles_reads_none(bundle_copy, two_states):
    catalogue = bundle_copy / "two_states.toml"
    text = catalogue.read_text()
    for role in ("utility_territories", "utilities"):
        head, _, rest = text.partition(f"[inputs.{role}]\n")
        text = head + rest.partition("\n\n")[2]
    catalogue.write_text(text)
    inputs = read_inputs(open_bundle("two_states", bundle_copy), two_states.spec)
    assert inputs.utility_territories is None and inputs.utilities is None
