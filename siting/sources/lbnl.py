"""LBNL *Queued Up*: project-level interconnection queue data of every ISO and many utilities.

Accepts the 2024-edition CSV (``county_1..3``, ``mw_total``) and the official workbook layout of
later editions (``county``, ``fips_codes``, ``mw1..3``; sheet "03. Complete Queue Data" saved as
CSV). Columns and status words map to :data:`siting.sources.queue_table.QUEUE_SCHEMA` here, in
one place.

References
----------
Rand, J. et al. Queued Up: Characteristics of Power Plants Seeking Transmission
Interconnection (2024 edition). Lawrence Berkeley National Laboratory.
https://emp.lbl.gov/queues
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from siting.errors import DataError
from siting.sources.queue_table import (
    capacity_numbers,
    finish_queue,
    map_unique,
    read_queue_csv,
    require,
    split_names,
)

#: Provider line for outputs that quote the bundled edition.
SOURCE = "LBNL Queued Up 2024 (requests through end-2023), public data with attribution"

#: LBNL Queued Up column → ours (both layouts; the county and capacity columns differ).
COLUMNS = {
    "q_id": "queue_id",
    "q_status": "status_raw",
    "q_date": "request_date",
    "ia_date": "ia_date",
    "on_date": "operation_date",
    "wd_date": "withdrawn_date",
    "state": "state",
    "region": "region",
    "poi_name": "poi_name",
    "type_clean": "resource_type",
    "IA_status_clean": "stage_raw",
}
#: Every LBNL column the reader uses (others are not read).
READ = frozenset(COLUMNS) | {
    "county_1",
    "county_2",
    "county_3",
    "county",
    "fips_codes",
    "mw_total",
    "mw1",
    "mw2",
    "mw3",
}
STATUS = {
    "active": "active",
    "suspended": "suspended",
    "withdrawn": "withdrawn",
    "operational": "operational",
}
#: LBNL ``IA_status_clean`` → study stage of an active request.
STAGE = {
    "not started": "not_started",
    "feasibility study": "early_study",
    "cluster study": "early_study",
    "system impact study": "late_study",
    "facility study": "late_study",
    "facilities study": "late_study",
    "phase 4 study": "late_study",
    "in progress (unknown study)": "study_unspecified",
    "combined": "study_unspecified",
    "ia pending": "ia_pending",
    "ia draft": "ia_pending",
    "ia executed": "ia_executed",
    "construction": "ia_executed",
}


def read_queue(path: Path) -> pd.DataFrame:
    """Read LBNL *Queued Up* project-level data (CSV, optionally gzipped) into our schema.

    Accepts the 2024-edition CSV (``county_1..3``, ``mw_total``) and the official workbook's
    sheet "03. Complete Queue Data" saved as CSV (a title row above the header is skipped;
    ``county`` may name several counties, ``fips_codes`` gives their FIPS, capacity is
    ``mw1 + mw2 + mw3``).

    Parameters
    ----------
    path : pathlib.Path
        The CSV file.

    Returns
    -------
    pandas.DataFrame
        Columns ``QUEUE_SCHEMA``; capacities in [MW], dates as datetimes.

    References
    ----------
    Rand, J. et al. Queued Up: Characteristics of Power Plants Seeking Transmission
    Interconnection (2024 edition). Lawrence Berkeley National Laboratory.
    https://emp.lbl.gov/queues
    """
    raw = read_queue_csv(path, first_column="q_id", usecols=lambda c: c in READ)
    required = ("q_id", "q_status", "q_date", "on_date", "wd_date", "state", "region")
    require(raw, required, path, "an LBNL Queued Up file")
    if "county_1" in raw.columns:
        cols = [c for c in ("county_1", "county_2", "county_3") if c in raw.columns]
        joined = raw[cols[0]].fillna("")
        for col in cols[1:]:
            joined = joined + ";" + raw[col].fillna("")
        counties = map_unique(joined, split_names)
    elif "county" in raw.columns:
        counties = map_unique(raw["county"], split_names)
    else:
        raise DataError(f"{path}: no county column (county_1 or county); found {list(raw.columns)}")
    if "mw_total" in raw.columns:
        capacity = capacity_numbers(raw["mw_total"])
    elif "mw1" in raw.columns:
        parts = [capacity_numbers(raw[c]) for c in ("mw1", "mw2", "mw3") if c in raw.columns]
        capacity = pd.concat(parts, axis=1).sum(axis=1, min_count=1)
    else:
        raise DataError(f"{path}: no capacity column (mw_total or mw1); found {list(raw.columns)}")
    out = raw.rename(columns=COLUMNS)
    out["counties"] = counties
    fips = raw["fips_codes"] if "fips_codes" in raw.columns else pd.Series(np.nan, raw.index)
    out["county_fips"] = map_unique(fips, lambda v: tuple(f.zfill(5) for f in split_names(v)))
    out["capacity_raw_mw"] = capacity
    stage_raw = out.get("stage_raw", pd.Series(np.nan, index=out.index))
    out["stage"] = map_unique(
        stage_raw, lambda v: STAGE.get(v.strip().lower()) if isinstance(v, str) else None
    )
    return finish_queue(out, status_map=STATUS)
