"""The text of ``siting queue``: a state's interconnection-queue summary.

Reads the bundle's queue, or another queue file of a named provider, and prints
:func:`siting.models.queue_stats.state_summary` with units; for a state of the spec's region it
adds the county join and the congestion of counties and connection points, from the same
inputs a run reads.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from siting.bundle import open_bundle
from siting.errors import DataError
from siting.inputs import read_inputs
from siting.models import queue_stats
from siting.models.poi import connection_congestion
from siting.sources import gridstatus, lbnl
from siting.spec import CampusSpec

PROVIDERS = ("lbnl", "gridstatus")


def read_queue_file(path: Path, *, provider: str, region: str | None = None) -> pd.DataFrame:
    """Read a queue file of a named provider: ``"lbnl"`` or ``"gridstatus"`` (needs ``region``);
    a file without any request is an error."""
    if provider not in PROVIDERS:
        raise DataError(f"queue provider must be one of {list(PROVIDERS)}, got {provider!r}")
    if provider == "gridstatus" and not region:
        raise DataError(
            f"{path}: a gridstatus queue covers one ISO and has no region column; "
            "name it (e.g. --iso MISO)"
        )
    table = (
        lbnl.read_queue(path) if provider == "lbnl" else gridstatus.read_queue(path, region=region)
    )
    if table.empty:
        raise DataError(
            f"{path}: no interconnection request (only a header row); pass the complete "
            f"{provider} queue table"
        )
    return table


def queue_summary_lines(
    *,
    state: str,
    spec: CampusSpec,
    data_dir: Path | None = None,
    file: Path | None = None,
    provider: str = "lbnl",
    region: str | None = None,
) -> list[str]:
    """The text of ``siting queue`` for ``state`` (see the module docstring)."""
    given = None if file is None else read_queue_file(file, provider=provider, region=region)
    inputs = read_inputs(open_bundle(spec.region.bundle, data_dir), spec)
    if file is None:
        table = inputs.queue
        source = ", ".join(s.path for s in inputs.bundle.all("queue"))
        source = (
            f"{lbnl.SOURCE} ({source})"
            if inputs.bundle.source("queue").format == ("lbnl_queued_up")
            else source
        )
    else:
        table = given
        source = f"{file} ({provider})"
    local = state in inputs.counties.states
    counties = inputs.counties.table
    summary = queue_stats.state_summary(
        table,
        state=state,
        since_year=spec.time_to_power.completed_since_year,
        counties=counties[counties["state"] == state] if local else None,
    )
    if local:
        summary["connection_points"], summary["poi_match"] = connection_congestion(
            table[table["state"] == state],
            inputs.named_places,
            inputs.network,
            as_of=summary["as_of"],
            snap_km=spec.time_to_power.poi_snap_km,
        )
    return queue_stats.summary_lines(summary, state=state, source=source)
