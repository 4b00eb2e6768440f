"""The text of ``siting queue``: queue files of a named provider, the summary of a state of the
region and of one outside it, and the Indiana summary against an independent pandas
computation on the raw LBNL file."""

import pandas as pd
import pytest

from siting.errors import DataError
from siting.models import queue_stats as queues
from siting.queue_report import queue_summary_lines, read_queue_file
from siting.sources.lbnl import SOURCE as LBNL_SOURCE
from siting.spec import load_spec
from tests.conftest import DATA_DIR
from tests.queue_fixtures import GRIDSTATUS_COLUMNS, lbnl_2024_file, write_csv

GRIDSTATUS_ROWS = [
    {
        "Queue ID": "J100",
        "County": "St. Joseph County",
        "State": "IN",
        "Interconnection Location": "Olive 345 kV",
        "Capacity (MW)": "250",
        "Queue Date": "2019-03-01",
        "Status": "Active",
    },
    {
        "Queue ID": "J200",
        "County": "Lake, Porter",
        "State": "Indiana",
        "Capacity (MW)": "1,200",
        "Queue Date": "2021-05-01",
        "Status": "Active",
    },
]


def line_starting(lines, prefix):
    """The one line of ``lines`` that starts with ``prefix``."""
    (found,) = [line for line in lines if line.startswith(prefix)]
    return found


# ------------------------------------------------------------------------------------------
# queue files of a named provider
# ------------------------------------------------------------------------------------------


def test_read_queue_file_reads_each_provider(tmp_path):
    lbnl = read_queue_file(lbnl_2024_file(tmp_path / "q.csv"), provider="lbnl")
    assert len(lbnl) == 13 and set(lbnl["region"]) == {"MISO", "PJM"}
    path = write_csv(tmp_path / "miso.csv", GRIDSTATUS_COLUMNS, GRIDSTATUS_ROWS)
    grid_status = read_queue_file(path, provider="gridstatus", region="MISO")
    assert grid_status["queue_id"].tolist() == ["J100", "J200"]
    assert (grid_status["region"] == "MISO").all()


def test_a_gridstatus_file_needs_its_region(tmp_path):
    path = write_csv(tmp_path / "miso.csv", GRIDSTATUS_COLUMNS, GRIDSTATUS_ROWS)
    with pytest.raises(DataError, match=r"has no region column; name it \(e.g. --iso MISO\)"):
        read_queue_file(path, provider="gridstatus")


def test_an_unknown_provider_is_an_error(tmp_path):
    lbnl = lbnl_2024_file(tmp_path / "q.csv")
    with pytest.raises(
        DataError, match=r"queue provider must be one of \['lbnl', 'gridstatus'\], got 'x'"
    ):
        read_queue_file(lbnl, provider="x")


# ------------------------------------------------------------------------------------------
# the summary lines
# ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def raw_lbnl(indiana_inputs):
    bundle = indiana_inputs.bundle
    return pd.read_csv(bundle.locate(bundle.source("queue").path), dtype=str)


def test_summary_of_the_bundles_state_adds_counties_and_connection_points(raw_lbnl):
    lines = queue_summary_lines(state="IN", spec=load_spec(), data_dir=DATA_DIR)
    assert lines[0].startswith(
        f"Interconnection queue summary for IN: {LBNL_SOURCE} (tables/queue_lbnl_2024.csv.gz)"
    )
    assert lines[0].endswith("requests to 2023-12-31")
    assert lines[1] == queues.PROXY_NOTE
    indiana = raw_lbnl[raw_lbnl["state"] == "IN"]
    named = indiana[["county_1", "county_2", "county_3"]].notna().sum(axis=1)
    # no Indiana cell names several counties; a request naming none is one failed mention
    mentions = int(named.clip(lower=1).sum())
    failed = int(((named == 0) | (indiana["county_1"].str.lower() == "unknown")).sum())
    join = line_starting(lines, "County join: ")
    assert join.startswith(f"County join: {mentions} county mentions")
    assert f", {failed} failed (" in join and join.endswith("names: unknown)")
    in_rows = len(indiana)
    poi = line_starting(lines, "POI names: ")
    assert f"of {in_rows} requests matched a named substation or plant" in poi
    assert "Connection points with the most active capacity [kV, MW, share, months]:" in lines


def test_summary_of_a_state_outside_the_region_has_no_county_or_poi_lines(raw_lbnl):
    lines = queue_summary_lines(state="OH", spec=load_spec(), data_dir=DATA_DIR)
    assert lines[0].startswith("Interconnection queue summary for OH: ")
    problems = lines[lines.index("Data problems in the state's rows (counted, not dropped):") + 1]
    assert problems.split("\n")[0].split() == ["requests", str((raw_lbnl["state"] == "OH").sum())]
    assert not any(line.startswith(("County join:", "POI names:")) for line in lines)
    assert "Most congested counties [MW, share, months]:" not in lines


def test_summary_of_another_queue_file_names_it(tmp_path):
    path = write_csv(tmp_path / "miso.csv", GRIDSTATUS_COLUMNS, GRIDSTATUS_ROWS)
    lines = queue_summary_lines(
        state="IN",
        spec=load_spec(),
        data_dir=DATA_DIR,
        file=path,
        provider="gridstatus",
        region="MISO",
    )
    assert lines[0] == (
        f"Interconnection queue summary for IN: {path} (gridstatus), requests to 2021-05-01"
    )
    # St. Joseph, Lake and Porter: three county mentions, every one an exact name
    assert line_starting(lines, "County join: ").startswith(
        "County join: 3 county mentions, 3 exact, 0 close-name, 0 by FIPS, 0 failed"
    )


def test_summary_of_each_state_of_a_two_state_region_joins_its_own_counties(two_states):
    lines = queue_summary_lines(state="OH", spec=two_states.spec, data_dir=two_states.root)
    # Ohio's fixture requests: Adams 1 active, Allen 1 withdrawn and 8 operational
    assert line_starting(lines, "County join: ").startswith(
        "County join: 10 county mentions, 10 exact, 0 close-name, 0 by FIPS, 0 failed"
    )
    (table,) = [
        lines[i + 1]
        for i, line in enumerate(lines)
        if line == "Most congested counties [MW, share, months]:"
    ]
    rows = {row.split()[0]: row.split() for row in table.split("\n")[2:]}
    assert set(rows) == {"39001", "39003"}  # Ohio's counties only, never Indiana's Adams
    assert rows["39001"][1:3] == ["Adams", "1,200.00"]


# ------------------------------------------------------------------------------------------
# the bundle's state: independent pandas computation on the raw file
# ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def indiana_summary(indiana_inputs):
    return queues.state_summary(
        indiana_inputs.queue,
        state="IN",
        since_year=2018,
        counties=indiana_inputs.counties.table,
    )


def test_indiana_active_gw_matches_plain_pandas(raw_lbnl, indiana_summary):
    raw = raw_lbnl[(raw_lbnl["state"] == "IN") & (raw_lbnl["q_status"] == "active")]
    mw = raw["mw_total"].astype(float)
    expected = mw.where(mw > 0).groupby([raw["region"], raw["type_clean"]]).sum() / 1000.0
    got = indiana_summary["active_gw"].drop(index="total", columns="total").stack()
    got = got[got > 0]
    pd.testing.assert_series_equal(
        got.sort_index(),
        expected[expected > 0].sort_index(),
        check_names=False,
        check_index_type=False,
    )
    assert indiana_summary["status"]["requests"].to_dict() == {
        **{k: 0 for k in ("active", "suspended", "withdrawn", "operational", "unknown")},
        **raw_lbnl.loc[raw_lbnl["state"] == "IN", "q_status"]
        .fillna("unknown")
        .value_counts()
        .to_dict(),
    }


def test_indiana_outcomes_match_plain_pandas(raw_lbnl, indiana_summary):
    raw = raw_lbnl[raw_lbnl["state"] == "IN"]
    cohort = raw[raw["q_year"].astype(float) <= 2018]  # LBNL's own request-year column
    shares = cohort["q_status"].value_counts(normalize=True)
    outcomes = indiana_summary["outcomes"]
    assert outcomes.loc["operational", "share_of_requests"] == pytest.approx(shares["operational"])
    assert outcomes.loc["withdrawn", "share_of_requests"] == pytest.approx(shares["withdrawn"])
    mw = cohort["mw_total"].astype(float).clip(lower=0)
    assert outcomes.loc["operational", "share_of_mw"] == pytest.approx(
        mw[cohort["q_status"] == "operational"].sum() / mw.sum()
    )


def test_indiana_duration_distribution_matches_plain_pandas(raw_lbnl, indiana_summary):
    raw = raw_lbnl[raw_lbnl["q_status"] == "operational"]
    start = pd.to_datetime(raw["q_date"], format="mixed", errors="coerce")
    end = pd.to_datetime(raw["on_date"], format="mixed", errors="coerce")
    months = (end - start).dt.days / (365.25 / 12)
    ok = (months >= 0) & (end.dt.year >= 2018) & (end <= pd.Timestamp("2023-12-31"))
    ok &= start > pd.Timestamp("1900-01-01")
    pjm = months[ok & (raw["region"] == "PJM")]
    row = indiana_summary["durations"].loc["PJM"]
    assert row["n"] == len(pjm)
    assert row["p50_months"] == pytest.approx(pjm.quantile(0.5))
    assert row["p90_months"] == pytest.approx(pjm.quantile(0.9))
    assert indiana_summary["durations"].loc["all regions", "n"] == int(ok.sum())


def test_indiana_county_join_fails_only_on_unnamed_counties(indiana_summary):
    join = indiana_summary["county_join"]
    assert join.failed_names == ("unknown",)
    assert join.share_failed_active_mw < 0.05
