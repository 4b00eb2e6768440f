"""Interconnection queue: how much generation is already waiting to connect nearby."""

from __future__ import annotations

import pandas as pd
import xarray as xr

from layers._counties import county_values, normalize_county_name, read_counties, state_abbr
from siting.bundle import Bundle, read_table
from siting.grid import Grid
from siting.layer import LayerSchema
from siting.spec import CampusSpec

QUEUE_TABLE = "tables/queue_lbnl_2024.csv.gz"
QUEUE_COLUMNS = ("q_id", "q_status", "state", "county_1", "county_2", "county_3", "mw_total")

INDICATORS = (
    LayerSchema(
        name="queue_active_mw_county",
        family="queue",
        title="Active generation and storage capacity queued in the county",
        units="MW",
        direction="lower_better",
        tag="proxy",
        source="LBNL Queued Up 2024 (requests through end-2023), public data with attribution",
        description=(
            "Sum of mw_total of active requests listing the county (split equally among the "
            "counties a request names). A proxy for local grid congestion: these are generator "
            "requests, not large-load requests. Counties with no active request have 0 MW."
        ),
        best=0.0,
        worst=3000.0,
    ),
)


def inputs(bundle: Bundle) -> tuple[str, ...]:
    """Provenance keys of the files this layer reads."""
    return (QUEUE_TABLE, bundle.layer_ref("counties"))


def read_queue(bundle: Bundle) -> pd.DataFrame:
    """The LBNL queue table with its own column names."""
    return read_table(bundle, QUEUE_TABLE, columns=QUEUE_COLUMNS, dtype={"q_id": str})


def active_mw_by_county(
    queue: pd.DataFrame, counties: pd.DataFrame, *, state: str
) -> tuple[pd.Series, float]:
    """Active MW per county FIPS, and the share of active MW whose county did not join.

    Parameters
    ----------
    queue : pandas.DataFrame
        LBNL rows with ``q_status``, ``state``, ``county_1..3`` and ``mw_total`` [MW].
    counties : pandas.DataFrame
        ``fips`` and ``name`` of the state's counties.
    state : str
        Two-letter state code of the counties.
    """
    active = queue[(queue["state"] == state) & (queue["q_status"].str.lower() == "active")]
    mw = pd.to_numeric(active["mw_total"], errors="coerce").where(lambda v: v > 0)
    names = active[["county_1", "county_2", "county_3"]]
    n_named = names.notna().sum(axis=1).clip(lower=1)
    lookup = dict(zip(counties["name"].map(normalize_county_name), counties["fips"], strict=True))
    long = names.stack().dropna().rename("county").reset_index(level=1, drop=True).to_frame()
    long["fips"] = long["county"].map(normalize_county_name).map(lookup)
    long["mw"] = (mw / n_named).reindex(long.index)
    per_county = long.dropna(subset=["fips"]).groupby("fips")["mw"].sum()
    total = float(mw.sum())
    unjoined = float(long.loc[long["fips"].isna(), "mw"].sum()) + float(
        mw[names.isna().all(axis=1)].sum()
    )
    share_unjoined = unjoined / total if total > 0 else 0.0
    return per_county.reindex(counties["fips"], fill_value=0.0), share_unjoined


def derive(bundle: Bundle, grid: Grid, spec: CampusSpec) -> dict[str, xr.DataArray]:
    """Active queued MW of the county each cell lies in. [MW]"""
    counties = read_counties(bundle)
    state = state_abbr(counties["fips"], what=str(bundle.gpkg))
    per_county, share_unjoined = active_mw_by_county(read_queue(bundle), counties, state=state)
    schema = INDICATORS[0]
    values = county_values(bundle, grid, per_county, what=f"{bundle.root / QUEUE_TABLE}")
    return {
        schema.name: grid.template(
            values, name=schema.name, units=schema.units, share_mw_unjoined=f"{share_unjoined:.4f}"
        )
    }
