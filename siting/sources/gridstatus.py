"""gridstatus standard interconnection queues (one ISO per file).

Columns and status words map to :data:`siting.sources.queue_table.QUEUE_SCHEMA` here, in one
place; gridstatus files have no region, stage or FIPS columns.

References
----------
gridstatus, ``ISOBase.get_interconnection_queue`` standard columns and
``InterconnectionQueueStatus`` (Active, Withdrawn, Completed).
https://github.com/gridstatus/gridstatus
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from siting.sources.queue_table import (
    capacity_numbers,
    finish_queue,
    map_unique,
    read_queue_csv,
    require,
    split_names,
)

#: gridstatus standard queue column → ours (``gridstatus.base._interconnection_columns``).
COLUMNS = {
    "Queue ID": "queue_id",
    "Status": "status_raw",
    "Queue Date": "request_date",
    "Actual Completion Date": "operation_date",
    "Withdrawn Date": "withdrawn_date",
    "Capacity (MW)": "capacity_raw_mw",
    "County": "county",
    "State": "state",
    "Interconnection Location": "poi_name",
    "Transmission Owner": "transmission_owner",
    "Generation Type": "resource_type",
}
REQUIRED = (
    "Queue ID",
    "Status",
    "Queue Date",
    "Proposed Completion Date",
    "Actual Completion Date",
    "Withdrawn Date",
    "Capacity (MW)",
    "County",
    "State",
    "Interconnection Location",
    "Transmission Owner",
)
#: gridstatus ``InterconnectionQueueStatus`` values → ours.
STATUS = {"active": "active", "withdrawn": "withdrawn", "completed": "operational"}


def read_queue(path: Path, *, region: str) -> pd.DataFrame:
    """Read a gridstatus standard interconnection queue (CSV) into our schema.

    Parameters
    ----------
    path : pathlib.Path
        CSV written from ``gridstatus.<ISO>().get_interconnection_queue()``.
    region : str
        The ISO/RTO the file covers, e.g. ``"MISO"``; gridstatus files have no region column.

    Returns
    -------
    pandas.DataFrame
        Columns ``QUEUE_SCHEMA``; ``stage`` is ``"unknown"`` (no standard stage column).

    References
    ----------
    gridstatus, ``ISOBase.get_interconnection_queue`` standard columns and
    ``InterconnectionQueueStatus`` (Active, Withdrawn, Completed).
    https://github.com/gridstatus/gridstatus
    """
    raw = read_queue_csv(path, first_column="Queue ID")
    require(raw, REQUIRED, path, "a gridstatus interconnection queue")
    out = raw.rename(columns=COLUMNS)
    out["capacity_raw_mw"] = capacity_numbers(out["capacity_raw_mw"])
    out["counties"] = map_unique(out["county"], split_names)
    out["county_fips"] = [() for _ in range(len(out))]
    out["region"] = region
    out["ia_date"] = pd.NaT
    out["stage"] = "unknown"
    return finish_queue(out, status_map=STATUS)
