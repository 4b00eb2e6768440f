"""The campus's own water against its county's: by hand, and moving the ranking with the
cooling archetype where the counties' water differs."""

import dataclasses
import shutil

import numpy as np
import pandas as pd
import pytest

from layers.campus_water import LAYER
from siting.pipeline import run
from siting.spec import load_spec
from tests.fixture_bundle import SPEC


def test_share_by_hand(two_state_inputs):
    # 400 MW × 0.8 × 8,760 h = 2,803,200 MWh of IT energy; at 2 L/kWh, 5,606,400 m³/yr =
    # 4.0550 Mgal/d against the fixture counties' 5 Mgal/d of non-power withdrawals.
    grid = two_state_inputs.grid
    wue = grid.template(np.full(grid.shape, 2.0, dtype=np.float32), name="w", units="L/kWh")
    share = LAYER.derive(two_state_inputs, {"wue_site_cell_l_per_kwh": wue})
    values = share["campus_water_share_nonpower_pct"].to_numpy()
    mgd = 400 * 0.8 * 8760 * 2.0 / (3785.411784 * 365.25)
    inside = two_state_inputs.counties.cells >= 0
    np.testing.assert_allclose(values[inside], 100 * mgd / 5.0, rtol=1e-5)
    assert np.isnan(values[~inside]).all()


def test_a_county_that_withdraws_nothing_gets_an_infinite_share(two_state_inputs):
    use = two_state_inputs.county_water_use.copy()
    adams = use["fips"] == "18001"
    use.loc[adams, ["fresh_withdrawal_mgd", "thermoelectric_fresh_mgd"]] = 0.0
    inputs = dataclasses.replace(two_state_inputs, county_water_use=use)
    grid = inputs.grid
    wue = grid.template(np.full(grid.shape, 0.02, dtype=np.float32), name="w", units="L/kWh")
    values = LAYER.derive(inputs, {"wue_site_cell_l_per_kwh": wue})
    cells = inputs.counties.cells
    index = int(np.flatnonzero(inputs.counties.table["fips"].to_numpy() == "18001")[0])
    assert np.isinf(values["campus_water_share_nonpower_pct"].to_numpy()[cells == index]).all()


def water_table(nonpower_by_fips):
    """The fixture's water file with each county's non-power withdrawals set (no power plants)."""
    rows = []
    for fips, nonpower in nonpower_by_fips.items():
        state = "IN" if fips.startswith("18") else "OH"
        rows.append(
            {
                "STATE": state,
                "STATEFIPS": fips[:2],
                "COUNTY": f"County {fips}",
                "COUNTYFIPS": fips[2:],
                "FIPS": fips,
                "YEAR": 2015,
                "TP-TotPop": 30.0,
                "PS-WFrTo": nonpower / 2,
                "IN-WFrTo": nonpower / 4,
                "IR-WFrTo": nonpower / 4,
                "PT-WGWFr": 0.0,
                "PT-WSWFr": 0.0,
                "PT-WFrTo": 0.0,
                "PT-CUsFr": 0.0,
                "TO-WGWFr": nonpower,
                "TO-WSWFr": 0.0,
                "TO-WFrTo": nonpower,
            }
        )
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def dry_and_tower(two_states, tmp_path_factory):
    """The fixture with little water in Indiana's Adams county (1 Mgal/d) and much in Ohio's
    (80 Mgal/d), run with dry coolers and with cooling towers."""
    base = tmp_path_factory.mktemp("campus_water")
    root = shutil.copytree(two_states.root, base / "bundle")
    nonpower = {"18001": 1.0, "18003": 5.0, "39001": 80.0, "39003": 5.0}
    water_table(nonpower).to_csv(root / "water.csv", index=False)
    runs = {}
    for archetype in ("dry_cooler", "cooling_tower"):
        spec_path = base / f"{archetype}.toml"
        spec_path.write_text(
            SPEC.replace("[campus]\n", f'[campus]\ncooling_archetype = "{archetype}"\n')
        )
        out = base / archetype
        result = run(
            load_spec(spec_path), out_dir=out / "run", maps_dir=out / "maps", data_dir=root
        )
        runs[archetype] = pd.read_csv(result.out_dir / "sites.csv")
    return runs


def test_the_cooling_archetype_moves_the_ranking_where_water_differs(dry_and_tower):
    dry, tower = dry_and_tower["dry_cooler"], dry_and_tower["cooling_tower"]
    # Dry coolers barely draw water: the county with less already drawn ranks first.
    assert dry.iloc[0]["county_fips"] == 18001
    assert (dry["campus_water_share_nonpower_pct"] < 10).all()
    # A tower campus would take about 4 Mgal/d, four times Indiana Adams's withdrawals and
    # 5 % of Ohio Adams's: it ranks the water-rich county first.
    assert tower.iloc[0]["county_fips"] == 39001
    assert (tower["campus_water_share_nonpower_pct"] < 10).all()
    assert (tower["county_fips"] == 39001).sum() > (dry["county_fips"] == 39001).sum()
    assert dry["site_id"].tolist() != tower["site_id"].tolist()


def test_sites_report_the_campus_water_in_three_units_and_against_the_county(dry_and_tower):
    tower = dry_and_tower["cooling_tower"]
    m3 = tower["water_site_m3_per_yr"]
    np.testing.assert_allclose(tower["water_site_mgd"], m3 / (3785.411784 * 365.25), rtol=1e-5)
    np.testing.assert_allclose(tower["water_site_acre_ft_per_yr"], m3 / 1233.48183754752, rtol=1e-5)
    ohio = tower[tower["county_fips"] == 39001]
    np.testing.assert_allclose(ohio["county_nonpower_fresh_mgd"], 80.0)
    np.testing.assert_allclose(ohio["county_public_supply_mgd"], 40.0)
    # (sites.csv keeps six significant digits)
    np.testing.assert_allclose(
        ohio["water_site_share_public_supply_pct"], ohio["water_site_mgd"] / 40.0 * 100, rtol=1e-5
    )
    # The site's share (from its centroid's climate) agrees with the score's (its cells' mean).
    np.testing.assert_allclose(
        tower["water_site_share_nonpower_pct"], tower["campus_water_share_nonpower_pct"], rtol=0.01
    )
    # With the proxy, Ohio Adams's draw (61 mm/yr) counts as high stress for an evaporative design.
    assert (ohio["water_stress_high"] == 1).all()
    assert ohio["water_flag"].str.contains("evaporative cooling where water stress is high").all()
    assert dry_and_tower["dry_cooler"]["water_flag"].isna().all()
