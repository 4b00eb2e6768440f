"""One site's score card from a run folder: raw value → suitability → weight → contribution.

The card is read back from what the run wrote: ``sites.csv`` (values, suitabilities and
contributions), ``indicators.csv`` (units and weights), ``sites_columns.csv`` (units and
origin of every per-site column) and ``manifest.json`` (the spec's transform overrides). An
indicator the spec does not override is shown with its schema's default transform, the one
the run applied (:func:`siting.score.default_transform`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from layers import indicator_schemas
from siting.errors import DataError, DataFileNotFound
from siting.manifest import read_manifest
from siting.score import default_transform
from siting.spec import Transform

#: Files of the run folder a score card reads.
RUN_FILES = ("sites.csv", "indicators.csv", "sites_columns.csv", "manifest.json")
#: Prefix of the ``source`` of a per-site model's columns in ``sites_columns.csv``.
ASSESSMENT_SOURCE = "assessment: "


@dataclass(frozen=True, kw_only=True)
class ScoreCard:
    """A site's score card: its header values, one row per scored indicator, and the columns
    of each per-site assessment (``column``, ``value``, ``units``)."""

    site: pd.Series
    indicators: pd.DataFrame
    assessments: dict[str, pd.DataFrame]

    @property
    def contributions_sum(self) -> float:
        """Sum of the indicator contributions. [0-1]"""
        return float(self.indicators["contribution"].fillna(0.0).sum())

    @property
    def penalty(self) -> float:
        """Score removed by penalty rules (≤ 0); score = contributions + penalty. [0-1]"""
        value = self.site.get("penalty_score", 0.0)
        return 0.0 if pd.isna(value) else float(value)


def score_card(run_dir: Path, site_id: str) -> ScoreCard:
    """The score card of ``site_id`` in the run folder ``run_dir``.

    Raises :class:`~siting.errors.DataError` listing a few valid ids when the run has no such
    site, and :class:`~siting.errors.DataFileNotFound` when a file of :data:`RUN_FILES` is
    missing.
    """
    run_dir = Path(run_dir)
    for name in RUN_FILES:
        if not (run_dir / name).is_file():
            raise DataFileNotFound(
                f"{run_dir}: no {name}; pass the folder a `siting run` wrote (its --out)"
            )
    sites = pd.read_csv(run_dir / "sites.csv", dtype={"site_id": str, "county_fips": str})
    match = sites[sites["site_id"] == site_id]
    if match.empty:
        shown = ", ".join(sites["site_id"].head(5))
        raise DataError(
            f"{run_dir}: no site {site_id!r}; the run has {len(sites)} sites, e.g. {shown}"
        )
    site = match.iloc[0]
    manifest = read_manifest(run_dir / "manifest.json")
    indicators = pd.read_csv(run_dir / "indicators.csv")
    columns = pd.read_csv(run_dir / "sites_columns.csv", keep_default_na=False)
    return ScoreCard(
        site=site,
        indicators=indicator_rows(site, indicators, manifest.get("spec", {}).get("transforms", {})),
        assessments=assessment_columns(site, columns),
    )


def indicator_rows(
    site: pd.Series, indicators: pd.DataFrame, overrides: dict[str, dict]
) -> pd.DataFrame:
    """One row per scored indicator: raw value, units, transform, suitability, weight and
    contribution, in the order of ``indicators.csv``."""
    scored = indicators[indicators["weight"] > 0]
    schemas = indicator_schemas()
    rows = []
    for ind in scored.itertuples():
        rows.append(
            {
                "indicator": ind.indicator,
                "raw": site.get(ind.indicator),
                "units": ind.units,
                "transform": transform_text(_transform(ind.indicator, overrides, schemas)),
                "suitability": site.get(f"suit_{ind.indicator}"),
                "weight": float(ind.weight),
                "contribution": site.get(f"contrib_{ind.indicator}"),
            }
        )
    return pd.DataFrame(rows)


def _transform(name: str, overrides: dict[str, dict], schemas: dict) -> Transform | None:
    if name in overrides:
        given = overrides[name]
        points = tuple(tuple(p) for p in given.get("points") or ())
        return Transform(
            kind=given["kind"], best=given.get("best"), worst=given.get("worst"), points=points
        )
    return default_transform(schemas[name]) if name in schemas else None


def transform_text(transform: Transform | None) -> str:
    """A transform in one line: ``linear 1 at 0 → 0 at 40`` or ``piecewise (0, 1) (5, 0.8)``.

    Examples
    --------
    >>> transform_text(Transform(kind="linear", best=0.0, worst=40.0))
    'linear: 1 at 0, 0 at 40'
    >>> transform_text(Transform(kind="piecewise", points=((0.0, 1.0), (5.0, 0.8))))
    'piecewise: (0, 1) (5, 0.8)'
    """
    if transform is None:
        return "not recorded"
    if transform.kind == "linear":
        return f"linear: 1 at {transform.best:g}, 0 at {transform.worst:g}"
    return "piecewise: " + " ".join(f"({x:g}, {s:g})" for x, s in transform.points)


def assessment_columns(site: pd.Series, columns: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The site's per-site model columns grouped by model, with units, in column order."""
    own = columns[columns["source"].str.startswith(ASSESSMENT_SOURCE)]
    groups = {}
    for source, group in own.groupby("source", sort=False):
        groups[source.removeprefix(ASSESSMENT_SOURCE)] = pd.DataFrame(
            {
                "column": group["column"].to_numpy(),
                "value": [site.get(c) for c in group["column"]],
                "units": group["units"].to_numpy(),
            }
        )
    return groups
