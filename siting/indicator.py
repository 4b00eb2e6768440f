"""The schema of an indicator on the analysis grid: name with units, direction, data tag, source."""

from __future__ import annotations

from dataclasses import dataclass

DIRECTIONS = ("lower_better", "higher_better", "context")
TAGS = ("real", "real-derived", "proxy", "synthetic")
SITE_STATS = ("mean", "min")


@dataclass(frozen=True, kw_only=True)
class Indicator:
    """One indicator on the analysis grid.

    Parameters
    ----------
    name : str
        Column and raster name, with its unit in the name (``line_distance_km``).
    family : str
        Layer family: grid_capacity, queue, water, climate, land_use or community.
    title : str
        Plain-language title for reports and maps.
    units : str
        Units of the raw value, e.g. ``"km"``, ``"MW"``, ``"percentile (0-1)"``.
    direction : str
        ``"lower_better"``, ``"higher_better"``, or ``"context"`` (reported, never scored).
    tag : str
        real, real-derived, proxy or synthetic (DESIGN.md "Honesty about data").
    source : str
        Dataset, vintage and licence in one line.
    best, worst : float, optional
        Default linear transform end points; the spec may override them.
    points : tuple of (float, float), optional
        Default piecewise transform ((value, suitability), ...) used instead of best/worst.
    description : str
        How the value is derived and what it stands for.
    site_stat : str
        How a site's value is summarised from its cells: ``"mean"`` (default) or ``"min"``. A
        distance to infrastructure uses ``"min"``: the distance from the site's nearest cell,
        which is the distance a connection from the site would have to cover. Either way the
        site's suitability and contribution stay means over its cells, so the site score (the
        mean cell score) is the sum of its contributions.
    """

    name: str
    family: str
    title: str
    units: str
    direction: str
    tag: str
    source: str
    description: str
    best: float | None = None
    worst: float | None = None
    points: tuple[tuple[float, float], ...] = ()
    site_stat: str = "mean"

    def __post_init__(self) -> None:
        if self.direction not in DIRECTIONS:
            raise ValueError(f"direction must be one of {DIRECTIONS}, got {self.direction!r}")
        if self.tag not in TAGS:
            raise ValueError(f"tag must be one of {TAGS}, got {self.tag!r}")
        if self.site_stat not in SITE_STATS:
            raise ValueError(f"site_stat must be one of {SITE_STATS}, got {self.site_stat!r}")
        scored = self.direction != "context"
        linear = self.best is not None and self.worst is not None and self.best != self.worst
        if scored and not (linear or len(self.points) >= 2):
            raise ValueError(
                f"{self.name}: a scored indicator needs distinct best and worst, or points"
            )
