"""Land converted: the acres a campus would take, and by which land-cover type.

The campus takes the spec's ``land_acres_per_mw`` × IT capacity [acre] (no more than the site
holds); the site's own area is reported beside it. Where the bundle holds NLCD land cover, the
site's cells are counted per NLCD Level I group, and the converted acres are split in those
shares (the campus is assumed to take the site's mix); without land cover every group is UNKNOWN
(NaN acres) and the majority reads "unknown" (docs/methods.md §6.6).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from siting.assessments.base import Assessment, SiteContext, SiteModel
from siting.sources.nlcd import NLCD_CLASSES, NLCD_LEVEL_I

ACRES_PER_KM2 = 247.105381
UNKNOWN_TEXT = "unknown"
#: Site column of each NLCD Level I group. [acre]
GROUP_COLUMNS = {group: f"land_{group}_acres" for group in NLCD_LEVEL_I.values()}

UNITS = {
    "site_acres": "acre (area of the site polygon; measured)",
    "land_converted_acres": "acre (land_acres_per_mw × IT MW, at most the site; modelled)",
    "land_cover_majority": "NLCD class name of most of the site's cells, or 'unknown'",
    **{
        column: f"acre (converted land in NLCD '{group}' classes, by the site's cell shares)"
        for group, column in GROUP_COLUMNS.items()
    },
}
NOTES = (
    "Land converted = [campus] land_acres_per_mw × it_capacity_mw, capped at the site's area; "
    "split over NLCD Level I groups in the shares of the site's grid cells (land_cover_nlcd_"
    "class, mode of each cell); UNKNOWN (NaN acres, 'unknown') without a land-cover input "
    "(docs/methods.md §6.6).",
)


def site_codes(codes: np.ndarray, labels: np.ndarray, ranks: np.ndarray) -> list[np.ndarray]:
    """The NLCD codes of each site's classified cells, in the order of ``ranks``.

    One pass over the grid picks the cells of every ranked site; each site's cells are then
    taken from that short list, not from the grid again.
    """
    picked = np.isin(labels, ranks) & np.isin(codes, list(NLCD_CLASSES))
    site_of_cell, values = labels[picked], codes[picked].astype(int)
    return [values[site_of_cell == rank] for rank in ranks]


def class_shares(codes: np.ndarray, labels: np.ndarray, ranks: np.ndarray) -> pd.DataFrame:
    """Share of each site's classified cells in each NLCD Level I group. [-]

    Rows follow ``ranks``; a site with no classified cell has NaN shares.
    """
    shares = np.full((len(ranks), len(GROUP_COLUMNS)), np.nan)
    groups = list(GROUP_COLUMNS)
    for i, values in enumerate(site_codes(codes, labels, ranks)):
        if values.size:
            counts = pd.Series(values // 10).map(NLCD_LEVEL_I).value_counts()
            shares[i] = counts.reindex(groups, fill_value=0).to_numpy() / values.size
    return pd.DataFrame(shares, columns=groups)


def majority_class(codes: np.ndarray, labels: np.ndarray, ranks: np.ndarray) -> list[str]:
    """NLCD class name covering most of each site's cells, or ``"unknown"``."""
    return [
        NLCD_CLASSES[int(np.bincount(values).argmax())] if values.size else UNKNOWN_TEXT
        for values in site_codes(codes, labels, ranks)
    ]


def assess(sites: gpd.GeoDataFrame, context: SiteContext) -> Assessment:
    """Acres of the site and of the campus, and the campus's acres by land-cover group."""
    spec = context.inputs.spec
    site_acres = pd.to_numeric(sites["area_km2"], errors="coerce") * ACRES_PER_KM2
    converted = np.minimum(site_acres, spec.it_capacity_mw * spec.land_acres_per_mw)
    cover = context.indicators.get("land_cover_nlcd_class")
    codes = np.full((1,), np.nan) if cover is None else cover.to_numpy()
    labels = np.zeros((1,), dtype=context.labels.dtype) if cover is None else context.labels
    ranks = sites["rank"].to_numpy()
    shares = class_shares(codes, labels, ranks).set_axis(sites.index)
    columns = pd.DataFrame(
        {
            "site_acres": site_acres,
            "land_converted_acres": converted,
            "land_cover_majority": majority_class(codes, labels, ranks),
            **{col: shares[g] * converted for g, col in GROUP_COLUMNS.items()},
        },
        index=sites.index,
    )
    return Assessment(name="land converted", columns=columns, units=UNITS, notes=NOTES)


MODEL = SiteModel(name="land", units=UNITS, reads=(), assess=assess, needs=("area_km2", "rank"))
