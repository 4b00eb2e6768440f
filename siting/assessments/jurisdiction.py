"""Local rules at a site: whether its county has a data-center ban or moratorium on record.

The restrictions list is curated and partial (named, sourced jurisdictions only): a county not
on it is "not listed", never "allowed". Bans are excluded by a default rule and moratoria
penalised (the spec's exclusion list decides); this model says which applies to each site and
what the source says of it (dates, scope), so a reader can check it.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from siting.assessments.base import Assessment, SiteContext, SiteModel

NOT_LISTED = "not listed"
UNITS = {
    "county_restriction": "(text: ban, moratorium, or not listed)",
    "county_restriction_detail": "(text: what the source says, incl. dates when known)",
    "county_restriction_as_of": "(date of the list)",
}
NOTES = (
    "County data-center bans and moratoria from a curated, PARTIAL list (GridWatch Indiana, "
    "with its sources): 'not listed' does not mean no local restriction; verify with the "
    "county. How each restriction acts on the score is set by the spec's exclusion rules "
    "(default: bans excluded, moratoria penalised).",
)


def restrictions_of(county_fips: pd.Series, restrictions: pd.DataFrame) -> pd.DataFrame:
    """The restriction on record for each county FIPS code (``NOT_LISTED`` where none).

    >>> r = pd.DataFrame({"fips": ["18017"], "restriction": ["ban"], "detail": ["2026"],
    ...                   "as_of": ["2026-07-17"]})
    >>> restrictions_of(pd.Series(["18017", "18001"]), r)["county_restriction"].tolist()
    ['ban', 'not listed']
    """
    table = restrictions.drop_duplicates("fips").set_index("fips")
    found = table.reindex(county_fips.astype(str).to_numpy())
    return pd.DataFrame(
        {
            "county_restriction": found["restriction"].fillna(NOT_LISTED).to_numpy(),
            "county_restriction_detail": found["detail"].fillna("").to_numpy(),
            "county_restriction_as_of": found["as_of"].fillna("").to_numpy(),
        },
        index=county_fips.index,
    )


def assess(sites: gpd.GeoDataFrame, context: SiteContext) -> Assessment:
    """The county restriction on record for each site."""
    columns = restrictions_of(sites["county_fips"], context.inputs.county_restrictions)
    return Assessment(name="local restrictions", columns=columns, units=UNITS, notes=NOTES)


MODEL = SiteModel(
    name="local restrictions",
    units=UNITS,
    reads=("county_restrictions", "counties"),
    assess=assess,
    needs=("county_fips",),
)
