"""Interconnection queue: how much generation waits to connect nearby, and how long power takes.

Readers turn each provider's queue table into one schema (``QUEUE_SCHEMA``), with one column
map and one status vocabulary per provider:

- LBNL *Queued Up* project-level data: the bundled 2024-edition CSV (``county_1..3``,
  ``mw_total``) and the official workbook layout of later editions (``county``,
  ``fips_codes``, ``mw1..3``; sheet "03. Complete Queue Data" saved as CSV);
- the gridstatus standard queue (``Queue ID``, ``Status``, ``Capacity (MW)``, ...), one ISO per
  file.

Values the readers cannot use are kept and marked, never dropped: unknown statuses become
``"unknown"``, unparseable dates NaT (counted per row in ``unparsed_dates``), zero or negative
capacities NaN (``capacity_raw_mw`` keeps them). :func:`siting.queues.data_quality` counts them.

Every indicator here rests on generator and storage requests, not large-load requests: it is a
proxy for a data-center campus's queue, and is tagged ``proxy``.
"""

from __future__ import annotations

import csv
import functools
import gzip
import itertools
import re
from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import xarray as xr

from layers._counties import county_index, read_counties, state_abbr
from layers.grid_capacity import derive as derive_line_distance
from siting import queues
from siting.bundle import Bundle, file_stamp, read_layer
from siting.errors import DataError, DataFileNotFound
from siting.grid import Grid
from siting.layer import LayerSchema
from siting.spec import CampusSpec, TimeToPower

QUEUE_TABLE = "tables/queue_lbnl_2024.csv.gz"
NAMED_POINT_LAYERS = ("osm_substations", "power_plants")
NODES_LAYER = "line_nodes"
LBNL_SOURCE = "LBNL Queued Up 2024 (requests through end-2023), public data with attribution"

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

#: LBNL Queued Up column → ours (both layouts; the county and capacity columns differ).
LBNL_COLUMNS = {
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
LBNL_READ = frozenset(LBNL_COLUMNS) | {
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
LBNL_STATUS = {
    "active": "active",
    "suspended": "suspended",
    "withdrawn": "withdrawn",
    "operational": "operational",
}
#: LBNL ``IA_status_clean`` → study stage of an active request.
LBNL_STAGE = {
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
#: gridstatus standard queue column → ours (``gridstatus.base._interconnection_columns``).
GRIDSTATUS_COLUMNS = {
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
GRIDSTATUS_REQUIRED = (
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
GRIDSTATUS_STATUS = {"active": "active", "withdrawn": "withdrawn", "completed": "operational"}

EXCEL_ZERO_DATE = pd.Timestamp("1900-01-01")
_DATE_FORMATS = ("%m/%d/%Y", "%m/%d/%y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%B %d, %Y", "%b %d, %Y")
_LIST_SPLIT = re.compile(r"\s*(?:,|/|;|&|\band\b)\s*", flags=re.IGNORECASE)

_STATE_NAMES = (
    "AL alabama,AK alaska,AZ arizona,AR arkansas,CA california,CO colorado,CT connecticut,"
    "DE delaware,DC district of columbia,FL florida,GA georgia,HI hawaii,ID idaho,IL illinois,"
    "IN indiana,IA iowa,KS kansas,KY kentucky,LA louisiana,ME maine,MD maryland,"
    "MA massachusetts,MI michigan,MN minnesota,MS mississippi,MO missouri,MT montana,"
    "NE nebraska,NV nevada,NH new hampshire,NJ new jersey,NM new mexico,NY new york,"
    "NC north carolina,ND north dakota,OH ohio,OK oklahoma,OR oregon,PA pennsylvania,"
    "RI rhode island,SC south carolina,SD south dakota,TN tennessee,TX texas,UT utah,"
    "VT vermont,VA virginia,WA washington,WV west virginia,WI wisconsin,WY wyoming"
)
STATE_CODE_BY_NAME = {
    item[3:]: item[:2] for item in _STATE_NAMES.split(",")
}  # e.g. "indiana" -> "IN"

INDICATORS = (
    LayerSchema(
        name="queue_active_mw_county",
        family="queue",
        title="Active generation and storage capacity queued in the county",
        units="MW",
        direction="lower_better",
        tag="proxy",
        source=LBNL_SOURCE,
        description=(
            "Sum of the capacity of active requests naming the county (split equally among the "
            "counties a request names). A proxy for local grid congestion: these are generator "
            "requests, not large-load requests. Counties with no active request have 0 MW."
        ),
        best=0.0,
        worst=3000.0,
    ),
    LayerSchema(
        name="time_to_power_p50_months",
        family="queue",
        title="Median months from interconnection request to energization (generator proxy)",
        units="months",
        direction="lower_better",
        tag="proxy",
        source=LBNL_SOURCE + "; upgrade durations REFERENCE.md §4.4",
        description=(
            "P50 of max(queue time, upgrade time): queue time from the request-to-operation "
            "months of completed generator requests in the county's ISO regions (size class "
            "and county congestion where the sample allows), upgrade time uniform over the "
            "spec's new-line or substation-only range (new line when the qualifying line is "
            "farther than new_line_beyond_km), floored by transformer lead time. A proxy: "
            "generator requests, not large-load requests. UNKNOWN without a qualifying line."
        ),
        best=36.0,
        worst=96.0,
    ),
)


def inputs(bundle: Bundle) -> tuple[str, ...]:
    """Provenance keys of the files this layer reads."""
    return (QUEUE_TABLE, bundle.layer_ref("counties"), bundle.layer_ref("transmission_lines"))


def read_queue(bundle: Bundle) -> pd.DataFrame:
    """The bundle's LBNL queue in our schema."""
    return read_lbnl(bundle.root / QUEUE_TABLE)


def read_queue_file(path: Path, *, provider: str, region: str | None = None) -> pd.DataFrame:
    """Read a queue file of a named provider: ``"lbnl"`` or ``"gridstatus"`` (needs ``region``)."""
    if provider == "lbnl":
        return read_lbnl(path)
    if provider != "gridstatus":
        raise DataError(f"queue provider must be 'lbnl' or 'gridstatus', got {provider!r}")
    if not region:
        raise DataError(
            f"{path}: a gridstatus queue covers one ISO and has no region column; "
            "name it (e.g. --iso MISO)"
        )
    return read_gridstatus(path, region=region)


def read_lbnl(path: Path) -> pd.DataFrame:
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
    raw = _read_csv(path, first_column="q_id", usecols=lambda c: c in LBNL_READ)
    required = ("q_id", "q_status", "q_date", "on_date", "wd_date", "state", "region")
    _require(raw, required, path, "an LBNL Queued Up file")
    if "county_1" in raw.columns:
        cols = [c for c in ("county_1", "county_2", "county_3") if c in raw.columns]
        joined = raw[cols[0]].fillna("")
        for col in cols[1:]:
            joined = joined + ";" + raw[col].fillna("")
        counties = _map_unique(joined, _split_names)
    elif "county" in raw.columns:
        counties = _map_unique(raw["county"], _split_names)
    else:
        raise DataError(f"{path}: no county column (county_1 or county); found {list(raw.columns)}")
    if "mw_total" in raw.columns:
        capacity = _numbers(raw["mw_total"])
    elif "mw1" in raw.columns:
        parts = [_numbers(raw[c]) for c in ("mw1", "mw2", "mw3") if c in raw.columns]
        capacity = pd.concat(parts, axis=1).sum(axis=1, min_count=1)
    else:
        raise DataError(f"{path}: no capacity column (mw_total or mw1); found {list(raw.columns)}")
    out = raw.rename(columns=LBNL_COLUMNS)
    out["counties"] = counties
    fips = raw["fips_codes"] if "fips_codes" in raw.columns else pd.Series(np.nan, raw.index)
    out["county_fips"] = _map_unique(fips, lambda v: tuple(f.zfill(5) for f in _split_names(v)))
    out["capacity_raw_mw"] = capacity
    stage_raw = out.get("stage_raw", pd.Series(np.nan, index=out.index))
    out["stage"] = _map_unique(
        stage_raw, lambda v: LBNL_STAGE.get(v.strip().lower()) if isinstance(v, str) else None
    )
    return _finish(out, status_map=LBNL_STATUS)


def read_gridstatus(path: Path, *, region: str) -> pd.DataFrame:
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
    raw = _read_csv(path, first_column="Queue ID")
    _require(raw, GRIDSTATUS_REQUIRED, path, "a gridstatus interconnection queue")
    out = raw.rename(columns=GRIDSTATUS_COLUMNS)
    out["capacity_raw_mw"] = _numbers(out["capacity_raw_mw"])
    out["counties"] = _map_unique(out["county"], _split_names)
    out["county_fips"] = [() for _ in range(len(out))]
    out["region"] = region
    out["ia_date"] = pd.NaT
    out["stage"] = "unknown"
    return _finish(out, status_map=GRIDSTATUS_STATUS)


def _read_csv(path: Path, *, first_column: str, usecols=None) -> pd.DataFrame:
    """Read a CSV as text, skipping any title rows above the row that holds ``first_column``."""
    if not Path(path).is_file():
        raise DataFileNotFound(f"{path}: queue file not found")
    opener = gzip.open if str(path).endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8", newline="") as f:
            head = list(itertools.islice(csv.reader(f), 5))
        hits = [i for i, row in enumerate(head) if first_column in row]
        header = hits[0] if hits else 0
        return pd.read_csv(path, header=header, dtype=str, usecols=usecols, low_memory=False)
    except (
        pd.errors.ParserError,
        pd.errors.EmptyDataError,
        UnicodeDecodeError,
        EOFError,
        OSError,
    ) as err:
        raise DataError(f"{path}: cannot parse as CSV ({err})") from None


def _require(raw: pd.DataFrame, columns: tuple[str, ...], path: Path, what: str) -> None:
    missing = [c for c in columns if c not in raw.columns]
    if missing:
        raise DataError(
            f"{path}: column(s) {missing} missing; found {list(raw.columns)}. Is this {what}?"
        )


def _finish(out: pd.DataFrame, *, status_map: dict[str, str]) -> pd.DataFrame:
    """Shared last steps: status vocabulary, state codes, dates, capacities, column order."""
    out["status_raw"] = out["status_raw"].astype("string")
    out["status"] = _map_unique(
        out["status_raw"],
        lambda v: status_map.get(v.strip().lower(), "unknown") if isinstance(v, str) else "unknown",
    ).astype(str)
    out["stage"] = [v if isinstance(v, str) else "unknown" for v in out["stage"]]
    out["state"] = _map_unique(out["state"], _state_code)
    unparsed = pd.Series(0, index=out.index)
    for column in DATE_COLUMNS:
        out[column], bad = _dates(out[column])
        unparsed += bad
    out["unparsed_dates"] = unparsed.astype("int64")
    out["capacity_mw"] = out["capacity_raw_mw"].where(out["capacity_raw_mw"] > 0)
    for column in ("queue_id", "region", "poi_name", "resource_type"):
        out[column] = out[column].astype("string") if column in out else pd.NA
    return out[list(QUEUE_SCHEMA)].reset_index(drop=True)


def _numbers(values: pd.Series) -> pd.Series:
    text = values.astype("string").str.replace(",", "")
    return pd.to_numeric(text, errors="coerce").astype("float64")


def _dates(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse dates in any of ``_DATE_FORMATS``; also the count of non-empty unparsed texts.

    Spreadsheet zero dates (1899-12-30 to 1900-01-01, a blank cell formatted as a date) are
    placeholders, not dates: they count as unparsed.
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
        parsed[todo] = pd.to_datetime(unique[todo], format=fmt, errors="coerce")
    parsed = parsed.mask(parsed <= EXCEL_ZERO_DATE).to_numpy()
    with_missing = np.concatenate([np.array(["NaT"], dtype="datetime64[ns]"), parsed])
    out = pd.Series(with_missing[codes + 1], index=values.index)
    return out, (out.isna() & text.notna()).astype("int64")


def _map_unique(values: pd.Series, func) -> pd.Series:
    """``func`` of each value, computed once per distinct value (object dtype)."""
    text = values.astype(object).where(values.notna(), None)
    results = {v: func(v) for v in dict.fromkeys(text)}
    return pd.Series([results[v] for v in text], index=values.index, dtype=object)


def _split_names(value: object) -> tuple[str, ...]:
    """The names in a cell that may hold several, e.g. ``"Lake & Porter"``.

    >>> _split_names("Lake & Porter; LaPorte")
    ('Lake', 'Porter', 'LaPorte')
    """
    if not isinstance(value, str):
        return ()
    return tuple(n for n in _LIST_SPLIT.split(value.strip()) if n)


def _state_code(value: object) -> object:
    """Two-letter USPS code from a code or a full name; other text kept upper-case."""
    if not isinstance(value, str) or not value.strip():
        return pd.NA
    text = value.strip()
    return STATE_CODE_BY_NAME.get(text.lower(), text.upper())


def named_points(bundle: Bundle) -> gpd.GeoDataFrame:
    """Named grid points to match POI names against: OSM substations and power plants."""
    frames = [
        read_layer(bundle, layer, columns=("name",))[["name", "geometry"]].assign(layer=layer)
        for layer in NAMED_POINT_LAYERS
    ]
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=frames[0].crs)


def state_context(bundle: Bundle, spec: CampusSpec) -> queues.StateQueue:
    """Everything the layer and the site assessment need from the queue, for the bundle's state.

    The layer and the assessment of one run share one computation (cached while the queue
    table and the GeoPackage are unchanged); callers must not modify the result.
    """
    stamp = file_stamp(bundle.root / QUEUE_TABLE, bundle.gpkg)
    return _state_context(bundle, spec.time_to_power, spec.target_energization_year, stamp)


@functools.lru_cache(maxsize=4)
def _state_context(
    bundle: Bundle, params: TimeToPower, target_year: int, _stamp: tuple[int, ...]
) -> queues.StateQueue:
    counties = read_counties(bundle)
    state = state_abbr(counties["fips"], what=str(bundle.gpkg))
    return queues.state_queue(
        read_queue(bundle), counties, state=state, params=params, target_year=target_year
    )


def cell_p50_months(
    county_time_to_power: pd.DataFrame,
    county_of_cell: np.ndarray,
    fips: pd.Series,
    distance_km: np.ndarray,
    *,
    new_line_beyond_km: float,
) -> np.ndarray:
    """Each cell's P50 months: its county's, with a new line beyond ``new_line_beyond_km``.

    ``county_of_cell`` holds positions in ``fips`` (-1 outside every county). NaN outside
    counties and where no qualifying line exists (``distance_km`` NaN). [months]
    """
    p50 = county_time_to_power["p50_months"]
    by_need = {
        need: p50.xs(need, level="new_line").reindex(fips).to_numpy() for need in (True, False)
    }
    new_line = distance_km > new_line_beyond_km
    idx = np.maximum(county_of_cell, 0)
    cells = np.where(new_line, by_need[True][idx], by_need[False][idx])
    return np.where((county_of_cell >= 0) & np.isfinite(distance_km), cells, np.nan).astype(
        np.float32
    )


#: Indicators of earlier layers this one reads (the pipeline passes them as ``upstream``).
NEEDS = ("line_distance_km",)


def derive(
    bundle: Bundle,
    grid: Grid,
    spec: CampusSpec,
    *,
    upstream: Mapping[str, xr.DataArray] | None = None,
) -> dict[str, xr.DataArray]:
    """Active queued MW of each cell's county [MW], and time-to-power P50 [months].

    ``upstream`` may hold ``line_distance_km`` already on the grid; without it the grid
    capacity layer derives it.
    """
    context = state_context(bundle, spec)
    counties = read_counties(bundle)
    county = county_index(bundle, grid)
    active = context.congestion["queue_active_mw"].reindex(counties["fips"]).to_numpy()
    active_cells = np.where(county >= 0, active[np.maximum(county, 0)], np.nan)
    if upstream is None:
        upstream = derive_line_distance(bundle, grid, spec)
    distance = upstream["line_distance_km"].to_numpy()
    p50 = cell_p50_months(
        context.county_time_to_power,
        county,
        counties["fips"],
        distance,
        new_line_beyond_km=spec.time_to_power.new_line_beyond_km,
    )
    queue_schema, ttp_schema = INDICATORS
    join = context.county_join
    return {
        queue_schema.name: grid.template(
            active_cells.astype(np.float32),
            name=queue_schema.name,
            units=queue_schema.units,
            share_mw_unjoined=f"{join.share_failed_active_mw:.4f}",
            county_mentions_failed=f"{join.failed} of {join.mentions}",
        ),
        ttp_schema.name: grid.template(
            p50,
            name=ttp_schema.name,
            units=ttp_schema.units,
            new_line_beyond_km=str(spec.time_to_power.new_line_beyond_km),
            proxy="generator interconnection requests, not large-load requests",
        ),
    }
