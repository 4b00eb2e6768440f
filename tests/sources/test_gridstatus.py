"""gridstatus standard interconnection-queue reader on a fixture in gridstatus's schema, and
every error path."""

import pandas as pd
import pytest

from siting.errors import DataError, DataFileNotFound
from siting.models import queue_stats as queues
from siting.sources.gridstatus import read_queue
from siting.sources.queue_table import QUEUE_SCHEMA
from tests.queue_fixtures import GRIDSTATUS_COLUMNS, lbnl_2024_file, write_csv

ROWS = [
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


def test_gridstatus_reader(tmp_path):
    path = write_csv(tmp_path / "miso.csv", GRIDSTATUS_COLUMNS, ROWS)
    queue = read_queue(path, region="MISO")
    assert list(queue.columns) == list(QUEUE_SCHEMA)
    queue = queue.set_index("queue_id")
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


def test_an_lbnl_file_is_not_a_gridstatus_queue(tmp_path):
    lbnl = lbnl_2024_file(tmp_path / "q.csv")
    with pytest.raises(
        DataError, match=r"column\(s\) .*'Queue ID'.* missing.*gridstatus interconnection queue"
    ):
        read_queue(lbnl, region="MISO")


def test_missing_file_is_an_error(tmp_path):
    with pytest.raises(DataFileNotFound, match="queue file not found"):
        read_queue(tmp_path / "none.csv", region="MISO")


def test_empty_file_is_an_error(tmp_path):
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(DataError, match="cannot parse as CSV"):
        read_queue(tmp_path / "empty.csv", region="MISO")
