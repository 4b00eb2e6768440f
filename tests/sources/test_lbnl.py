"""LBNL Queued Up reader on fixtures in both published layouts, every error path, and the
bundled national file against LBNL's own published figures."""

import numpy as np
import pandas as pd
import pytest

from siting.errors import DataError, DataFileNotFound
from siting.models import queue_stats as queues
from siting.sources.lbnl import read_queue
from siting.sources.queue_table import QUEUE_SCHEMA
from tests.queue_fixtures import (
    LBNL_2024_COLUMNS,
    LBNL_WORKBOOK_COLUMNS,
    lbnl_2024_file,
    write_csv,
)


def test_lbnl_2024_reader_maps_columns_statuses_and_stages(tmp_path):
    queue = read_queue(lbnl_2024_file(tmp_path / "q.csv"))
    assert list(queue.columns) == list(QUEUE_SCHEMA)
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
    queue = read_queue(write_csv(tmp_path / "q.csv", LBNL_2024_COLUMNS, rows))
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
    queue = read_queue(path).set_index("queue_id")
    assert queue.loc["1", "counties"] == ("Lake", "Porter")
    assert queue.loc["1", "county_fips"] == ("18089", "18127")
    assert queue.loc["1", "capacity_mw"] == 150.0  # mw1 + mw2
    assert queue.loc["2", "status"] == "withdrawn" and queue.loc["2", "state"] == "IN"
    assert queue.loc["2", "withdrawn_date"] == pd.Timestamp("2021-06-30")
    assert np.isnan(queue.loc["2", "capacity_mw"])
    counties = pd.DataFrame({"fips": ["18089", "18127"], "name": ["Lake", "Porter"]})
    long, report = queues.join_counties(queue.reset_index(), counties, state="IN")
    assert report.by_fips == 2 and long.loc[long["method"] == "fips", "weight"].sum() == 1.0


def test_missing_file_is_an_error(tmp_path):
    with pytest.raises(DataFileNotFound, match="queue file not found"):
        read_queue(tmp_path / "none.csv")


def test_missing_required_column_is_an_error(tmp_path):
    bad = write_csv(tmp_path / "bad.csv", ["q_id", "q_status"], [{"q_id": "1"}])
    with pytest.raises(DataError, match=r"column\(s\) .*'q_date'.* missing.*LBNL Queued Up"):
        read_queue(bad)


def test_missing_county_column_is_an_error(tmp_path):
    no_county = [c for c in LBNL_2024_COLUMNS if not c.startswith("county")]
    path = write_csv(tmp_path / "nc.csv", no_county, [{"q_id": "1"}])
    with pytest.raises(DataError, match=r"no county column \(county_1 or county\)"):
        read_queue(path)


def test_missing_capacity_column_is_an_error(tmp_path):
    no_mw = [c for c in LBNL_2024_COLUMNS if not c.startswith("mw")]
    path = write_csv(tmp_path / "nmw.csv", no_mw, [{"q_id": "1"}])
    with pytest.raises(DataError, match=r"no capacity column \(mw_total or mw1\)"):
        read_queue(path)


def test_empty_file_is_an_error(tmp_path):
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(DataError, match="cannot parse as CSV"):
        read_queue(tmp_path / "empty.csv")


# ------------------------------------------------------------------------------------------
# the bundled national file (read by this reader) against LBNL's published figures
# ------------------------------------------------------------------------------------------


def test_national_figures_agree_with_lbnl_published_ones(indiana_inputs):
    """Queued Up 2024 (docs/methods.md §4.4): ~11,600 active projects; 14 % of 2000–2018 capacity
    built; ~70 % of projects withdraw; active projects 34 months old on average; ~5 years
    request-to-operation for projects built in 2022 and 2023."""
    assert indiana_inputs.bundle.source("queue").format == "lbnl_queued_up"
    queue = indiana_inputs.queue
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
