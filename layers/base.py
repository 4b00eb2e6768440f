"""What every layer declares: the indicators it provides, what it needs and reads, how it derives.

A layer is a plain record (:class:`Layer`); ``layers.REGISTRY`` lists them and the pipeline
orders them by what they need, so a layer that reads another layer's indicator always runs after
it, whatever the order of the registry.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import xarray as xr

from siting.indicator import Indicator
from siting.inputs import RunInputs

Derive = Callable[[RunInputs, Mapping[str, xr.DataArray]], Mapping[str, xr.DataArray]]


@dataclass(frozen=True, kw_only=True)
class Layer:
    """One phenomenon on the analysis grid.

    Parameters
    ----------
    name : str
        The layer's name, also the ``family`` of its indicators.
    indicators : tuple of Indicator
        What it provides: one DataArray per indicator, on the run's grid.
    reads : tuple of str
        The bundle input roles it reads from :class:`~siting.inputs.RunInputs` (for the
        manifest and for a clear error when a bundle lacks one).
    derive : callable
        ``derive(inputs, upstream) -> {indicator name: DataArray}``; ``upstream`` holds exactly
        the indicators named in ``needs``.
    needs : tuple of str
        Indicators of other layers it reads.
    """

    name: str
    indicators: tuple[Indicator, ...]
    reads: tuple[str, ...]
    derive: Derive
    needs: tuple[str, ...] = ()

    @property
    def provides(self) -> tuple[str, ...]:
        """Names of the indicators it derives."""
        return tuple(i.name for i in self.indicators)


def unavailable(inputs: RunInputs, schema: Indicator, *, role: str) -> dict[str, xr.DataArray]:
    """The indicator UNKNOWN everywhere, saying the bundle lacks its input ``role``; rules on it
    with ``required = false`` are then reported as not checked."""
    values = np.full(inputs.grid.shape, np.nan, dtype=np.float32)
    reason = f"{inputs.bundle.catalogue.name} has no {role} input"
    grid = inputs.grid
    return {
        schema.name: grid.template(values, name=schema.name, units=schema.units, unavailable=reason)
    }
