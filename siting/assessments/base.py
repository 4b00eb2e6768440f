"""What every per-site model declares, what it receives and what it returns.

A per-site model is a plain record (:class:`SiteModel`): the site columns it provides (with
their units), the bundle inputs it reads, the site columns it needs from the site table or from
other models, and its ``assess(sites, context)`` function. It adds columns to the ranked sites
without changing the score: anything that should move the ranking belongs on the grid as a
layer indicator instead. ``siting.assessments.REGISTRY`` lists the records; the pipeline orders
them by their needs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import xarray as xr

from siting.inputs import RunInputs
from siting.models import apportion


@dataclass(frozen=True, kw_only=True)
class SiteContext:
    """What a per-site model may read besides the site table.

    ``inputs`` is the run's inputs; ``indicators`` the gridded indicators; ``labels`` marks each
    site's cells with its ``label`` column value (0 elsewhere); ``tract_extent`` the area the
    run's tracts cover (:func:`siting.models.apportion.tract_extent`), built once for the models
    that count people, or None to have each build its own.
    """

    inputs: RunInputs
    indicators: Mapping[str, xr.DataArray]
    labels: np.ndarray
    tract_extent: shapely.Geometry | None = None

    def tracts_extent(self) -> shapely.Geometry:
        """``tract_extent``, or the extent of ``inputs.tracts`` where none was given."""
        if self.tract_extent is not None:
            return self.tract_extent
        return apportion.tract_extent(self.inputs.tracts)


@dataclass(frozen=True, kw_only=True)
class Assessment:
    """New site columns, their units, and the assumptions and sources behind them.

    ``columns`` is indexed like the site table. ``proxy_columns`` names columns that rest on
    proxy data, so every output can label them. ``inputs`` lists the provenance keys of the
    files behind the columns (filled in by the pipeline from the model's ``reads``).
    """

    name: str
    columns: pd.DataFrame
    units: Mapping[str, str]
    notes: tuple[str, ...] = ()
    proxy_columns: tuple[str, ...] = ()
    inputs: tuple[str, ...] = ()


Assess = Callable[[gpd.GeoDataFrame, SiteContext], Assessment]


@dataclass(frozen=True, kw_only=True)
class SiteModel:
    """One per-site model.

    Parameters
    ----------
    name : str
        Short name, e.g. ``"interconnection"``.
    units : Mapping
        What it provides: each new site column and its units.
    reads : tuple of str
        The bundle input roles it reads from :class:`~siting.inputs.RunInputs`.
    assess : callable
        ``assess(sites, context) -> Assessment`` with exactly the columns of ``units``.
    needs : tuple of str
        Site columns it reads: columns of the site table (indicators, ``county_fips``, ...) or
        of other models, which then run first.
    """

    name: str
    units: Mapping[str, str]
    reads: tuple[str, ...]
    assess: Assess
    needs: tuple[str, ...] = ()

    @property
    def provides(self) -> tuple[str, ...]:
        """The site columns it adds."""
        return tuple(self.units)
