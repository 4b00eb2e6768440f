"""Queue readers on fixtures in the providers' schemas, the gridded indicators, and the
Indiana summary against an independent pandas computation on the raw LBNL file."""

import numpy as np
import pandas as pd
import pytest
from layers._counties import read_counties

from layers import queue as queue_layer
from layers.grid_capacity import derive as line_distance
from siting import queues
from siting.bundle import open_bundle
from siting.errors import DataError, DataFileNotFound
from siting.grid import Grid
from siting.spec import load_spec
from tests.conftest import DATA_DIR
from tests.queue_fixtures import (
    GRIDSTATUS_COLUMNS,
    LBNL_2024_COLUMNS,
    LBNL_WORKBOOK_COLUMNS,
    lbnl_2024_file,
    write_csv,
)


def test_lbnl_2024_reader_maps_columns_statuses_and_stages(tmp_path):
    queue = queue_layer.read_lbnl(lbnl_2024_file(tmp_path / "q.csv"))
    assert list(queue.columns) == list(queue_layer.QUEUE_SCHEMA)
    by_id = queue.set_index("queue_id")
    assert by_id.loc["A1", "status"] == "active" and by_id.loc["A1", "stage"] == "late_study"
    assert by_id.loc["A2", "counties"] == ("Adams", "Allen")
    assert by_id.loc["A2", "stage"] == "early_study"
    assert by_id.loc["A3", "stage"] == "ia_executed"
    assert by_id.loc["U1", "status"] == "unknown"
    assert by_id.loc["O1", "operation_date"] == pd.Timestamp("2018-01-01")
    assert np.isnan(by_id.loc["A4", "capacity_mw"]) and by_id.loc["A4", "capacity_raw_mw"] == 0
    assert by_id.loc["W1", "unparsed_dates"] == 1 and pd.isna(by_id.loc["W1", "ia_date"])


def test_lbnl_dates_in_every_published_form(tmp_path):
    dates = ["12/17/2014", "12/17/14", "2014-12-17", "December 17, 2014", "1/0/1900", "11/17.17"]
    rows = [
        {
            "q_id": str(i),
            "q_status": "active",
            "q_date": d,
            "state": "IN",
            "region": "PJM",
            "county_1": "adams",
            "mw_total": "5",
        }
        for i, d in enumerate(dates)
    ]
    queue = queue_layer.read_lbnl(write_csv(tmp_path / "q.csv", LBNL_2024_COLUMNS, rows))
    parsed = queue["request_date"].tolist()
    assert parsed[:4] == [pd.Timestamp("2014-12-17")] * 4
    assert pd.isna(parsed[4]) and pd.isna(parsed[5])  # spreadsheet zero date; typo
    assert queue["unparsed_dates"].tolist() == [0, 0, 0, 0, 1, 1]


def test_lbnl_workbook_layout_with_title_row_and_fips(tmp_path):
    rows = [
        {
            "q_id": "1",
            "q_status": "operational",
            "q_date": "1/1/2015",
            "on_date": "1/1/2019",
            "county": "Lake/Porter",
            "fips_codes": "18089,18127",
            "state": "IN",
            "region": "MISO",
            "IA_status_clean": "Operational",
            "mw1": "100",
            "mw2": "50",
            "mw3": "",
            "type_clean": "Solar+Battery",
            "poi_name": "Schahfer 345 kV",
        },
        {
            "q_id": "2",
            "q_status": "Withdrawn",
            "q_date": "3/1/2020",
            "wd_date": "2021-06-30",
            "county": "St. Joseph",
            "state": "Indiana",
            "region": "PJM",
            "mw1": "-5",
        },
    ]
    path = write_csv(
        tmp_path / "sheet.csv", LBNL_WORKBOOK_COLUMNS, rows, title="03. Complete Queue Data"
    )
    queue = queue_layer.read_lbnl(path).set_index("queue_id")
    assert queue.loc["1", "counties"] == ("Lake", "Porter")
    assert queue.loc["1", "county_fips"] == ("18089", "18127")
    assert queue.loc["1", "capacity_mw"] == 150.0  # mw1 + mw2
    assert queue.loc["2", "status"] == "withdrawn" and queue.loc["2", "state"] == "IN"
    assert queue.loc["2", "withdrawn_date"] == pd.Timestamp("2021-06-30")
    assert np.isnan(queue.loc["2", "capacity_mw"])
    counties = pd.DataFrame({"fips": ["18089", "18127"], "name": ["Lake", "Porter"]})
    long, report = queues.join_counties(queue.reset_index(), counties, state="IN")
    assert report.by_fips == 2 and long.loc[long["method"] == "fips", "weight"].sum() == 1.0


def test_gridstatus_reader(tmp_path):
    rows = [
        {
            "Queue ID": "J100",
            "County": "St. Joseph County",
            "State": "IN",
            "Interconnection Location": "Olive 345 kV",
            "Transmission Owner": "AEP",
            "Generation Type": "Solar",
            "Capacity (MW)": "250",
            "Queue Date": "2019-03-01",
            "Status": "Completed",
            "Actual Completion Date": "2023-03-01",
        },
        {
            "Queue ID": "J200",
            "County": "Lake, Porter",
            "State": "Indiana",
            "Capacity (MW)": "1,200",
            "Queue Date": "2021-05-01",
            "Status": "Active",
        },
        {
            "Queue ID": "J300",
            "County": "Allen",
            "State": "IN",
            "Capacity (MW)": "80",
            "Queue Date": "2018-01-01",
            "Status": "Withdrawn",
            "Withdrawn Date": "2019-01-01",
        },
        {
            "Queue ID": "J400",
            "County": "Allen",
            "State": "IN",
            "Capacity (MW)": "",
            "Queue Date": "",
            "Status": "Deferred",
        },
    ]
    path = write_csv(tmp_path / "miso.csv", GRIDSTATUS_COLUMNS, rows)
    queue = queue_layer.read_gridstatus(path, region="MISO").set_index("queue_id")
    assert queue["status"].tolist() == ["operational", "active", "withdrawn", "unknown"]
    assert (queue["region"] == "MISO").all() and (queue["stage"] == "unknown").all()
    assert queue.loc["J200", "counties"] == ("Lake", "Porter")
    assert queue.loc["J200", "capacity_mw"] == 1200.0 and queue.loc["J200", "state"] == "IN"
    assert queue.loc["J100", "poi_name"] == "Olive 345 kV"
    quality = queues.data_quality(queue.reset_index(), as_of=pd.Timestamp("2024-01-01"))
    assert quality["status_unknown"] == 1 and quality["capacity_missing"] == 1
    assert quality["request_date_missing"] == 1
    done = queues.completed_durations(
        queue.reset_index(), since_year=2018, as_of=pd.Timestamp("2024-01-01")
    )
    assert done["months"].tolist() == pytest.approx([1461 * 12 / 365.25])  # 2019-03 → 2023-03


def test_reader_errors(tmp_path):
    with pytest.raises(DataFileNotFound, match="queue file not found"):
        queue_layer.read_lbnl(tmp_path / "none.csv")
    bad = write_csv(tmp_path / "bad.csv", ["q_id", "q_status"], [{"q_id": "1"}])
    with pytest.raises(DataError, match=r"column\(s\) .*'q_date'.* missing.*LBNL Queued Up"):
        queue_layer.read_lbnl(bad)
    no_county = [c for c in LBNL_2024_COLUMNS if not c.startswith("county")]
    path = write_csv(tmp_path / "nc.csv", no_county, [{"q_id": "1"}])
    with pytest.raises(DataError, match="no county column"):
        queue_layer.read_lbnl(path)
    lbnl = lbnl_2024_file(tmp_path / "q.csv")
    with pytest.raises(DataError, match="gridstatus interconnection queue"):
        queue_layer.read_gridstatus(lbnl, region="MISO")
    with pytest.raises(DataError, match=r"name it \(e.g. --iso MISO\)"):
        queue_layer.read_queue_file(lbnl, provider="gridstatus")
    with pytest.raises(DataError, match="provider must be 'lbnl' or 'gridstatus', got 'x'"):
        queue_layer.read_queue_file(lbnl, provider="x")
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(DataError, match="cannot parse as CSV"):
        queue_layer.read_lbnl(tmp_path / "empty.csv")


# ------------------------------------------------------------------------------------------
# the bundle: independent pandas computation on the raw file
# ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def raw_lbnl():
    return pd.read_csv(DATA_DIR / queue_layer.QUEUE_TABLE, dtype=str)


@pytest.fixture(scope="module")
def indiana_summary():
    bundle = open_bundle("indiana", DATA_DIR)
    return queues.state_summary(
        queue_layer.read_queue(bundle),
        state="IN",
        since_year=2018,
        counties=read_counties(bundle),
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


def test_time_to_power_indicator_is_longer_where_a_new_line_is_needed():
    bundle = open_bundle("indiana", DATA_DIR)
    grid = Grid(
        crs="EPSG:5070", bounds=(640_000, 1_680_000, 940_000, 2_130_000), resolution_m=5000.0
    )
    spec = load_spec()
    out = queue_layer.derive(bundle, grid, spec)
    p50 = out["time_to_power_p50_months"].to_numpy()
    far = line_distance(bundle, grid, spec)["line_distance_km"].to_numpy() > 5.0
    ok = np.isfinite(p50)
    assert ok.mean() > 0.5
    # every Indiana county's new-line P50 exceeds every county's substation-only P50
    assert p50[ok & far].min() > p50[ok & ~far].max()
    assert np.nanmin(p50) > 24.0 and np.nanmax(p50) < 120.0


def test_cell_p50_picks_the_county_and_the_need_of_each_cell():
    table = pd.DataFrame(
        {
            "fips": ["A", "A", "B", "B"],
            "new_line": [True, False, True, False],
            "p50_months": [80.0, 50.0, 90.0, 60.0],
        }
    ).set_index(["fips", "new_line"])
    county = np.array([[0, 0, 1], [1, -1, 0]])
    distance = np.array([[1.0, 9.0, 9.0], [5.0, 1.0, np.nan]])
    out = queue_layer.cell_p50_months(
        table, county, pd.Series(["A", "B"]), distance, new_line_beyond_km=5.0
    )
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, [[50.0, 80.0, 90.0], [60.0, np.nan, np.nan]])


def test_national_figures_agree_with_lbnl_published_ones():
    """Queued Up 2024 (docs/methods.md §4.4): ~11,600 active projects; 14 % of 2000–2018 capacity
    built; ~70 % of projects withdraw; active projects 34 months old on average; ~5 years
    request-to-operation for projects built in 2022 and 2023."""
    queue = queue_layer.read_queue(open_bundle("indiana", DATA_DIR))
    as_of = queue["request_date"].max()
    active = queue[queue["status"] == "active"]
    assert len(active) == pytest.approx(11_600, rel=0.01)
    cohort = queue[queue["request_date"].dt.year >= 2000]
    outcomes = queues.outcome_shares(cohort, cohort_last_year=2018)
    assert outcomes.loc["operational", "share_of_mw"] == pytest.approx(0.14, abs=0.015)
    assert outcomes.loc["withdrawn", "share_of_requests"] == pytest.approx(0.70, abs=0.02)
    age = queues.months_between(active["request_date"], pd.Series(as_of, index=active.index))
    assert age.mean() == pytest.approx(34.0, abs=3.0)
    done = queues.completed_durations(queue, since_year=2022, as_of=as_of)
    assert done["months"].median() == pytest.approx(60.0, abs=8.0)
