"""Queue statistics and the time-to-power model, checked against hand computation."""

import dataclasses
import itertools

import numpy as np
import pandas as pd
import pytest

from siting.errors import DataError
from siting.models import queue_stats as queues
from siting.sources.lbnl import read_queue as read_lbnl
from siting.spec import load_spec
from tests.queue_fixtures import COUNTIES, lbnl_2024_file

DAYS = 12.0 / 365.25  # months per day


@pytest.fixture
def queue(tmp_path):
    return read_lbnl(lbnl_2024_file(tmp_path / "queue.csv"))


@pytest.fixture
def params():
    return dataclasses.replace(load_spec().time_to_power, min_completed=2, request_year=2027)


def test_quality_counts_every_problem_without_dropping_rows(queue):
    quality = queues.data_quality(queue, as_of=pd.Timestamp("2024-01-01"))
    assert quality.to_dict() == {
        "requests": 13,
        "status_unknown": 1,  # U1: empty status
        "request_date_missing": 1,  # U1
        "dates_unparsed": 1,  # W1: ia_date "0"
        "capacity_missing": 0,
        "capacity_zero_or_negative": 1,  # A4: 0 MW
        "operational_without_operation_date": 1,  # O3
        "operation_date_after_data_end": 0,
        "operation_before_request": 0,
        "withdrawn_without_withdrawn_date": 1,  # W2
        "no_county_named": 0,
    }


def test_county_join_handles_name_variants_and_reports_failures(queue):
    long, report = queues.join_counties(queue, COUNTIES, state="IN")
    # 12 IN requests, A2 names two counties: 13 mentions; "tippecance" is a close match,
    # "unknown" fails; the Ohio row is never joined to an Indiana county.
    assert (report.mentions, report.exact, report.fuzzy, report.failed) == (13, 11, 1, 1)
    assert report.failed_names == ("unknown",)
    assert report.share_failed_mentions == pytest.approx(1 / 13)
    # active IN MW: 100 + 200 + 300 + 10 (A4 has 0 MW: unknown); X1's 10 MW did not join
    assert report.share_failed_active_mw == pytest.approx(10 / 610)
    joined = long.dropna(subset=["fips"]).set_index("name")["fips"].to_dict()
    assert joined["saint joseph"] == joined["st. joseph"] == "18141"
    assert joined["La Porte"] == joined["LaPorte"] == "18091"
    assert joined["tippecance"] == "18157"
    assert long.loc[
        long["row"] == queue.index[queue["queue_id"] == "A2"][0], "weight"
    ].tolist() == [
        0.5,
        0.5,
    ]


def test_congestion_by_hand(queue):
    long, _ = queues.join_counties(queue, COUNTIES, state="IN")
    table = queues.congestion(queue, long, key="fips", as_of=pd.Timestamp("2024-01-01"))
    adams = table.loc["18001"]
    assert adams["queue_active_mw"] == 200.0  # A1 100 + half of A2's 200
    assert adams["queue_active_requests"] == 1.5
    assert adams["queue_active_mw_late_study"] == 100.0
    assert adams["queue_active_mw_early_study"] == 100.0
    assert adams["queue_withdrawn_share"] == pytest.approx(1 / 3.5)  # W1 of A1, ½A2, W1, O3
    # ages at 2024-01-01: A1 1,461 days, A2 730 days
    assert adams["queue_median_active_age_months"] == pytest.approx((1461 + 730) / 2 * DAYS)
    allen = table.loc["18003"]
    assert allen["queue_active_mw"] == 100.0
    assert allen["queue_withdrawn_share"] == pytest.approx(1 / 2.5)  # W2 of ½A2, W2, S1
    st_joseph = table.loc["18141"]
    assert st_joseph["queue_active_mw_ia_executed"] == 300.0
    assert st_joseph["queue_withdrawn_share"] == 0.0
    laporte = table.loc["18091"]
    assert laporte["queue_active_mw"] == 0.0 and laporte["queue_active_requests"] == 1.0
    tippecanoe = table.loc["18157"]  # only a request of unknown status
    assert tippecanoe["queue_active_mw"] == 0.0
    assert np.isnan(tippecanoe["queue_withdrawn_share"])


def test_completed_durations_keep_only_dated_operation(queue):
    done = queues.completed_durations(queue, since_year=2018, as_of=pd.Timestamp("2024-01-01"))
    ids = queue.loc[done.index, "queue_id"].tolist()
    assert ids == ["O1", "O2"]  # O3 has no operation date
    assert done["months"].tolist() == pytest.approx([48.0, 96.0])  # 1,461 and 2,922 days
    later = queues.completed_durations(queue, since_year=2019, as_of=pd.Timestamp("2024-01-01"))
    assert queue.loc[later.index, "queue_id"].tolist() == ["O2"]


def test_backlog_at_request_counts_only_requests_open_then():
    day = pd.Timestamp
    queue = pd.DataFrame(
        {
            "status": ["active", "withdrawn", "operational", "operational", "withdrawn"],
            "request_date": [
                day("2015-01-01"),
                day("2016-01-01"),
                day("2018-01-01"),
                day("2016-06-01"),
                day("2014-01-01"),
            ],
            "operation_date": [pd.NaT, pd.NaT, day("2020-01-01"), day("2019-01-01"), pd.NaT],
            "withdrawn_date": [pd.NaT, day("2017-01-01"), pd.NaT, pd.NaT, pd.NaT],
            "capacity_mw": [100.0, 50.0, 70.0, 30.0, 999.0],
            "state": ["IN"] * 5,
            "counties": [("Adams",)] * 4 + [("Adams",)],
            "county_fips": [()] * 5,
        }
    )
    backlog = queues.backlog_at_request_mw(queue, pd.Index([2, 3]))
    # row 2 (2018-01-01): row 0 open (100) + row 3 open until 2019 (30); row 1 withdrew in
    # 2017; row 4 withdrew at an unknown date: not counted
    assert backlog[2] == 130.0
    # row 3 (2016-06-01): rows 0 (100) and 1 (50) open
    assert backlog[3] == 150.0


def test_duration_sample_falls_back_from_specific_to_general():
    completed = pd.DataFrame(
        {
            "region": ["PJM"] * 3 + ["ERCOT"] * 3,
            "capacity_mw": [200.0, 200.0, 20.0, 300.0, 300.0, 300.0],
            "months": [40.0, 60.0, 10.0, 30.0, 50.0, 70.0],
            "backlog_mw": [0.0, 0.0, 0.0, 5000.0, 0.0, 0.0],
        }
    )
    kwargs = {"large_request_mw": 100.0, "congested_county_mw": 1000.0, "min_completed": 2}
    pjm = queues.duration_sample(completed, region="PJM", congested=False, **kwargs)
    assert pjm.months.tolist() == [40.0, 60.0] and "PJM, ≥ 100 MW, county backlog <" in pjm.basis
    pjm_congested = queues.duration_sample(completed, region="PJM", congested=True, **kwargs)
    assert pjm_congested.months.tolist() == [40.0, 60.0]
    assert pjm_congested.basis.startswith("PJM, ≥ 100 MW (n=2)")
    miso = queues.duration_sample(completed, region="MISO", congested=True, **kwargs)
    assert miso.months.tolist() == [30.0, 40.0, 50.0, 60.0, 70.0]
    assert miso.basis.startswith("all regions, ≥ 100 MW (n=5)")
    tiny = queues.duration_sample(
        completed, region="MISO", congested=True, **(kwargs | {"min_completed": 50})
    )
    assert tiny.n == 6 and "below the minimum 50" in tiny.basis


def test_time_to_power_quantiles_by_hand(params):
    sample = np.array([12.0, 24.0, 36.0, 48.0, 60.0])
    fixed = dataclasses.replace(
        params, substation_months=(30.0, 30.0), transformer_lead_weeks=(0.0, 0.0)
    )
    # T = max(Q, 30) = {30, 30, 36, 48, 60}
    out = queues.time_to_power([(1.0, sample)], need=0, params=fixed, target_year=2029)
    assert (out["p50_months"], out["p90_months"]) == (36.0, 60.0)
    # request 1 Jan 2027, deadline 31 Dec 2029: 36 months; P(T <= 36) = 3/5
    assert out["p_meets_target_year"] == pytest.approx(0.6)


def test_time_to_power_with_a_uniform_upgrade(params):
    line = dataclasses.replace(
        params, new_line_months=(24.0, 48.0), transformer_lead_weeks=(0.0, 0.0)
    )
    queue = [(1.0, np.array([36.0]))]
    out = queues.time_to_power(queue, need=1, params=line, target_year=2029)
    # P(T <= t) = (t - 24) / 24 for t >= 36: P50 at 36, P90 at 24 + 0.9 × 24 = 45.6
    assert out["p50_months"] == 36.0
    assert out["p90_months"] == pytest.approx(45.6)
    assert out["p_meets_target_year"] == pytest.approx(0.5)  # 36 months available


def test_time_to_power_mixes_regions_by_weight(params):
    fixed = dataclasses.replace(
        params, substation_months=(0.0, 0.0), transformer_lead_weeks=(0.0, 0.0)
    )
    mixture = [(0.5, np.array([10.0])), (0.5, np.array([50.0]))]
    out = queues.time_to_power(mixture, need=0, params=fixed, target_year=2027)
    assert (out["p50_months"], out["p90_months"]) == (10.0, 50.0)
    assert out["p_meets_target_year"] == 0.5  # 12 months available


def test_three_needs_by_hand(params):
    """One queue sample, three fixed upgrade times: T = max(Q, U) by hand for each need."""
    sample = np.array([12.0, 24.0, 36.0, 48.0, 60.0])
    fixed = dataclasses.replace(
        params,
        substation_months=(30.0, 30.0),
        new_line_months=(50.0, 50.0),
        network_upgrade_months=(70.0, 70.0),
        transformer_lead_weeks=(0.0, 0.0),
    )
    out = {
        need: queues.time_to_power([(1.0, sample)], need=need, params=fixed, target_year=2030)
        for need in queues.NEEDS
    }
    # substation: T = {30, 30, 36, 48, 60}; new line: {50, 50, 50, 50, 60}; network: all 70
    assert [(o["p50_months"], o["p90_months"]) for o in out.values()] == [
        (36.0, 60.0),
        (50.0, 60.0),
        (70.0, 70.0),
    ]
    # 48 months from 1 Jan 2027 to 31 Dec 2030: P(T <= 48) = 4/5, 0, 0
    assert [o["p_meets_target_year"] for o in out.values()] == pytest.approx([0.8, 0.0, 0.0])


def test_upgrade_months_per_need_and_an_unknown_need_is_an_error(params):
    assert queues.upgrade_months(params, 0) == params.substation_months
    assert queues.upgrade_months(params, 1) == params.new_line_months
    assert queues.upgrade_months(params, 2) == params.network_upgrade_months == (72.0, 120.0)
    with pytest.raises(DataError, match=r"need class must be one of \[0, 1, 2\].*got 3"):
        queues.upgrade_months(params, 3)


def test_a_bigger_need_never_energizes_sooner(params):
    rng = np.random.default_rng(42)
    sample = np.sort(rng.uniform(20.0, 120.0, size=50))
    out = [
        queues.time_to_power([(1.0, sample)], need=need, params=params, target_year=2031)
        for need in queues.NEEDS
    ]
    for smaller, bigger in itertools.pairwise(out):
        assert bigger["p50_months"] >= smaller["p50_months"]
        assert bigger["p90_months"] >= smaller["p90_months"]
        assert bigger["p_meets_target_year"] <= smaller["p_meets_target_year"]


def test_region_queue_time_to_power_by_hand(queue, params):
    state = queues.region_queue(queue, COUNTIES, params=params, target_year=2030)
    assert state.states == ("IN",)
    assert state.as_of == pd.Timestamp("2024-01-01")
    ttp = state.county_time_to_power
    assert ttp.index.names == ["fips", "need"]
    assert sorted(set(ttp.index.get_level_values("need"))) == [0, 1, 2]
    # St. Joseph: PJM, completed sample {48, 96} months; substation only (≤ 36 months) and the
    # transformer (≤ 130 weeks = 29.9 months) never bind: T = Q.
    sub = ttp.loc[("18141", 0)]
    assert (sub["p50_months"], sub["p90_months"]) == (48.0, 96.0)
    assert sub["p_meets_target_year"] == pytest.approx(0.5)  # 48 months to end-2030
    # new line U(48, 96): P(T <= t) = ½ (t - 48) / 48 below 96 months, 1 at 96
    line = ttp.loc[("18141", 1)]
    assert (line["p50_months"], line["p90_months"]) == (96.0, 96.0)
    assert line["p_meets_target_year"] == 0.0
    # new line plus network upgrades U(72, 120): P(T <= t) = ½ (t - 72) / 48 below 96 months,
    # (t - 72) / 48 from 96: P50 at 96, P90 at 72 + 0.9 × 48 = 115.2
    network = ttp.loc[("18141", 2)]
    assert network["p50_months"] == 96.0
    assert network["p90_months"] == pytest.approx(115.2)
    assert network["p_meets_target_year"] == 0.0
    assert "PJM, ≥ 100 MW, county backlog < 1000 MW at request (n=2)" in sub["queue_basis"]
    # Adams is all MISO, which has no operation dates: the pooled sample is used
    assert "all regions" in ttp.loc[("18001", 0), "queue_basis"]
    # Tippecanoe's only request names its region (MISO) and LaPorte's are PJM
    assert state.region_weights.loc["18157", "MISO"] == 1.0
    assert state.region_weights.loc["18091", "PJM"] == 1.0


def test_state_summary_by_hand(queue):
    summary = queues.state_summary(queue, state="IN", since_year=2018, counties=COUNTIES)
    status = summary["status"]
    assert status["requests"].to_dict() == {
        "active": 5,
        "suspended": 1,
        "withdrawn": 2,
        "operational": 3,
        "unknown": 1,
    }
    assert status.loc["active", "mw"] == 610.0
    gw = summary["active_gw"]
    assert gw.loc["MISO", "Solar"] == pytest.approx(0.1)
    assert gw.loc["MISO", "Battery"] == pytest.approx(0.2)
    assert gw.loc["PJM", "Solar"] == pytest.approx(0.31)
    assert gw.loc["total", "total"] == pytest.approx(0.61)
    outcomes = summary["outcomes"]  # requests filed up to 2018: W1, W2, O1, O2, O3
    assert outcomes.loc["operational", "share_of_requests"] == pytest.approx(3 / 5)
    assert outcomes.loc["withdrawn", "share_of_requests"] == pytest.approx(2 / 5)
    assert outcomes.loc["operational", "share_of_mw"] == pytest.approx(360 / 490)
    durations = summary["durations"]
    assert durations.loc["PJM", "n"] == 2
    # numpy linear percentiles of {48, 96}: P10 52.8, P50 72, P90 91.2
    assert durations.loc["PJM", ["p10_months", "p50_months", "p90_months"]].tolist() == (
        pytest.approx([52.8, 72.0, 91.2])
    )
    assert durations.loc["MISO", "n"] == 0
    assert summary["county_join"].failed == 1
    lines = "\n".join(queues.summary_lines(summary, state="IN", source="fixture"))
    assert "not large-load" in lines and "[GW]" in lines and "[months]" in lines


def test_state_summary_of_an_absent_state_is_an_error(queue):
    with pytest.raises(DataError, match=r"no requests with state 'ZZ'; states in the queue"):
        queues.state_summary(queue, state="ZZ", since_year=2018)


def test_region_queue_of_two_states_joins_each_state_to_its_own_counties(queue, params):
    """Ohio's Adams County does not take Indiana's Adams requests, nor the reverse."""
    ohio = pd.DataFrame({"fips": ["39001"], "name": ["Adams"], "state": ["OH"]})
    both = pd.concat([COUNTIES, ohio], ignore_index=True)
    two = queues.region_queue(queue, both, params=params, target_year=2030)
    one = queues.region_queue(queue, COUNTIES, params=params, target_year=2030)
    assert two.states == ("IN", "OH")
    assert set(two.county_join) == {"IN", "OH"}
    indiana = two.congestion.loc[COUNTIES["fips"]]
    pd.testing.assert_frame_equal(indiana, one.congestion, check_like=True)
    # the fixture's one Ohio request (OH1, 999 MW, "adams") goes to Ohio's Adams alone
    assert two.congestion.loc["39001", "queue_active_mw"] == 999.0
    assert two.county_join["OH"].mentions == 1 and two.county_join["OH"].failed == 0
    assert two.region_weights.loc["39001", "PJM"] == 1.0


def test_a_state_without_requests_has_unknown_time_to_power(queue, params):
    kentucky = pd.DataFrame({"fips": ["21001"], "name": ["Adair"], "state": ["KY"]})
    both = pd.concat([COUNTIES, kentucky], ignore_index=True)
    two = queues.region_queue(queue, both, params=params, target_year=2030)
    assert two.congestion.loc["21001", "queue_active_mw"] == 0.0
    assert two.county_join["KY"].mentions == 0
    ttp = two.county_time_to_power.loc["21001"]
    assert ttp.index.tolist() == [0, 1, 2]
    assert ttp["p50_months"].isna().all() and ttp["p_meets_target_year"].isna().all()
    assert ttp["queue_basis"].str.startswith("UNKNOWN").all()
