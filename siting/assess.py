"""Per-site assessments: detailed models run on each ranked site after the regions are found.

An assessment is a plain function ``(sites, context) -> Assessment``. It adds columns to the
site table (units in the column names, and in ``units``) without changing the score: anything
that should move the ranking belongs on the grid as a layer indicator instead. Assessments are
listed, in order, in ``siting.pipeline.ASSESSMENTS``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import xarray as xr

from siting.bundle import Bundle
from siting.grid import Grid
from siting.spec import CampusSpec


@dataclass(frozen=True, kw_only=True)
class RunContext:
    """What an assessment may read: the bundle, the grid, the spec and the gridded indicators.

    ``labels`` marks each site's cells with its ``label`` column value (0 elsewhere).
    """

    bundle: Bundle
    grid: Grid
    spec: CampusSpec
    indicators: Mapping[str, xr.DataArray]
    labels: np.ndarray


@dataclass(frozen=True, kw_only=True)
class Assessment:
    """New site columns, their units, and the assumptions and sources behind them.

    ``columns`` is indexed like the site table. ``inputs`` lists the provenance keys of the
    bundle files read, for the run manifest. ``proxy_columns`` names columns that rest on proxy
    data, so every output can label them.
    """

    name: str
    columns: pd.DataFrame
    units: Mapping[str, str]
    notes: tuple[str, ...] = ()
    inputs: tuple[str, ...] = ()
    proxy_columns: tuple[str, ...] = field(default=())


Assess = Callable[[gpd.GeoDataFrame, RunContext], Assessment]
