"""The queue table: one schema for the interconnection requests of every provider.

Each provider reader (:mod:`siting.sources.lbnl`, :mod:`siting.sources.gridstatus`) maps its
columns and status words to :data:`QUEUE_SCHEMA` and finishes with :func:`finish_queue`. Values
the readers cannot use are kept and marked, never dropped: unknown statuses become
``"unknown"``, unparseable dates NaT (counted per row in ``unparsed_dates``), zero or negative
capacities NaN (``capacity_raw_mw`` keeps them).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from siting.counties import state_code_of_name
from siting.errors import DataError, DataFileNotFound
from siting.sources.files import read_csv_text

QUEUE_SCHEMA = (
    "queue_id",
    "status",
    "status_raw",
    "stage",
    "request_date",
    "ia_date",
    "operation_date",
    "withdrawn_date",
    "capacity_mw",
    "capacity_raw_mw",
    "state",
    "counties",
    "county_fips",
    "region",
    "poi_name",
    "resource_type",
    "unparsed_dates",
)
DATE_COLUMNS = ("request_date", "ia_date", "operation_date", "withdrawn_date")
STATUSES = ("active", "suspended", "withdrawn", "operational", "unknown")
STAGES = (
    "not_started",
    "early_study",
    "late_study",
    "study_unspecified",
    "ia_pending",
    "ia_executed",
    "unknown",
)

EXCEL_ZERO_DATE = pd.Timestamp("1900-01-01")
_DATE_FORMATS = ("%m/%d/%Y", "%m/%d/%y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%B %d, %Y", "%b %d, %Y")
LIST_SPLIT = re.compile(r"\s*(?:,|/|;|&|\band\b)\s*", flags=re.IGNORECASE)


def read_queue_csv(path: Path, *, first_column: str, usecols=None) -> pd.DataFrame:
    """Read a queue CSV as text, skipping title rows above the row that holds ``first_column``."""
    if not Path(path).is_file():
        raise DataFileNotFound(f"{path}: queue file not found")
    return read_csv_text(path, header_with=first_column, usecols=usecols)


def require(raw: pd.DataFrame, columns: tuple[str, ...], path: Path, what: str) -> None:
    """Raise a :class:`DataError` naming the missing columns of a queue file."""
    missing = [c for c in columns if c not in raw.columns]
    if missing:
        raise DataError(
            f"{path}: column(s) {missing} missing; found {list(raw.columns)}. Is this {what}?"
        )


def finish_queue(out: pd.DataFrame, *, status_map: dict[str, str]) -> pd.DataFrame:
    """Shared last steps: status vocabulary, state codes, dates, capacities, column order."""
    out["status_raw"] = out["status_raw"].astype("string")
    out["status"] = map_unique(
        out["status_raw"],
        lambda v: status_map.get(v.strip().lower(), "unknown") if isinstance(v, str) else "unknown",
    ).astype(str)
    out["stage"] = [v if isinstance(v, str) else "unknown" for v in out["stage"]]
    out["state"] = map_unique(out["state"], state_code)
    unparsed = pd.Series(0, index=out.index)
    for column in DATE_COLUMNS:  # a date column the file lacks is unknown throughout
        dates = out[column] if column in out else pd.Series(pd.NA, index=out.index, dtype="string")
        out[column], bad = parse_dates(dates)
        unparsed += bad
    out["unparsed_dates"] = unparsed.astype("int64")
    out["capacity_mw"] = out["capacity_raw_mw"].where(out["capacity_raw_mw"] > 0)
    for column in ("queue_id", "region", "poi_name", "resource_type"):
        out[column] = out[column].astype("string") if column in out else pd.NA
    return out[list(QUEUE_SCHEMA)].reset_index(drop=True)


def capacity_numbers(values: pd.Series) -> pd.Series:
    """Capacities [MW] from text with thousands separators; unreadable text and infinite
    values (``inf``, ``1e400``) are NaN (counted later as a missing capacity by the queue
    statistics)."""
    text = values.astype("string").str.replace(",", "")
    capacity = pd.to_numeric(text, errors="coerce").astype("float64")
    return capacity.where(np.isfinite(capacity))


def parse_dates(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse dates in any of ``_DATE_FORMATS``; also the count of non-empty unparsed texts.

    Spreadsheet zero dates (1899-12-30 to 1900-01-01, a blank cell formatted as a date) and
    dates after 2262-04-11, the last of a nanosecond timestamp (placeholders such as
    12/31/9999), are not dates: they count as unparsed.
    """
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.astype("datetime64[ns]"), pd.Series(0, index=values.index)
    text = values.astype("string").str.strip().replace("", pd.NA)
    codes, unique = pd.factorize(text)  # each distinct text parsed once; NA -> -1
    unique = pd.Series(np.asarray(unique, dtype=object))
    parsed = pd.Series(pd.NaT, index=unique.index, dtype="datetime64[ns]")
    for fmt in _DATE_FORMATS:
        todo = parsed.isna()
        if not todo.any():
            break
        found = pd.to_datetime(unique[todo], format=fmt, errors="coerce")
        parsed[todo] = found.where(found <= pd.Timestamp.max).astype("datetime64[ns]")
    parsed = parsed.mask(parsed <= EXCEL_ZERO_DATE).to_numpy()
    with_missing = np.concatenate([np.array(["NaT"], dtype="datetime64[ns]"), parsed])
    out = pd.Series(with_missing[codes + 1], index=values.index)
    return out, (out.isna() & text.notna()).astype("int64")


def map_unique(values: pd.Series, func) -> pd.Series:
    """``func`` of each value, computed once per distinct value (object dtype)."""
    text = values.astype(object).where(values.notna(), None)
    results = {v: func(v) for v in dict.fromkeys(text)}
    return pd.Series([results[v] for v in text], index=values.index, dtype=object)


def split_names(value: object) -> tuple[str, ...]:
    """The names in a cell that may hold several, e.g. ``"Lake & Porter"``.

    >>> split_names("Lake & Porter; LaPorte")
    ('Lake', 'Porter', 'LaPorte')
    """
    if not isinstance(value, str):
        return ()
    return tuple(n for n in LIST_SPLIT.split(value.strip()) if n)


def state_code(value: object) -> object:
    """Two-letter USPS code from a code or a full name; other text kept upper-case."""
    if not isinstance(value, str) or not value.strip():
        return pd.NA
    text = value.strip()
    return state_code_of_name(text) or text.upper()
