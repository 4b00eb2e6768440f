"""U.S. Census Bureau 2020 census tract to 2010 census tract relationship file.

``tab20_tract20_tract10_natl.txt`` (or a state file ``tab20_tract20_tract10_st<FIPS>.txt``) is
pipe-delimited text with one row per part: the piece of land shared by one 2020 tract
(``GEOID_TRACT_20``) and one 2010 tract (``GEOID_TRACT_10``), with the 2020 tract's land area
(``AREALAND_TRACT_20``) and the part's (``AREALAND_PART``), both in [m²]. A 2020 tract with no
2010 counterpart has a row with an empty ``GEOID_TRACT_10``: it is dropped.

>>> RELATIONSHIP_COLUMNS["AREALAND_PART"]
'arealand_part_m2'

References
----------
U.S. Census Bureau (2021). 2020 Census Tract to 2010 Census Tract Relationship File, and its
record layout (explanation_tab20_tract20_tract10.pdf).
https://www.census.gov/geographies/reference-files/time-series/geo/relationship-files.2020.html
"""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

import pandas as pd

from siting.errors import DataError
from siting.sources.files import fips_codes, numbers, read_csv_text, require_columns

#: Relationship-file column → ours; areas in [m²].
RELATIONSHIP_COLUMNS = MappingProxyType(
    {
        "GEOID_TRACT_20": "geoid_2020",
        "GEOID_TRACT_10": "geoid_2010",
        "AREALAND_TRACT_20": "arealand_2020_m2",
        "AREALAND_PART": "arealand_part_m2",
    }
)
HINT = "Is this the Census 2020-to-2010 tract relationship file (tab20_tract20_tract10_natl.txt)?"


def read_tract_relationship(path: str | Path) -> pd.DataFrame:
    """Read the 2020↔2010 census tract relationship file.

    Parameters
    ----------
    path : str or pathlib.Path
        ``tab20_tract20_tract10_natl.txt`` (pipe-delimited, UTF-8 with a byte-order mark).

    Returns
    -------
    pandas.DataFrame
        One row per part with a 2010 tract: ``geoid_2020``, ``geoid_2010`` (11-digit text),
        ``arealand_2020_m2`` and ``arealand_part_m2`` [m²].

    Raises
    ------
    DataFileNotFound, DataError
        The file is missing, not pipe-delimited text, lacks a column, holds a malformed GEOID,
        a negative area, or repeats a (2020, 2010) pair.
    """
    path = Path(path)
    what = str(path)
    table = read_csv_text(
        path, encoding="utf-8-sig", sep="|", usecols=lambda c: c in RELATIONSHIP_COLUMNS
    )
    require_columns(table, RELATIONSHIP_COLUMNS, what=what, hint=HINT)
    table = table[table["GEOID_TRACT_10"].notna() & table["GEOID_TRACT_20"].notna()]
    if table.empty:
        raise DataError(f"{what}: no 2020–2010 tract parts below the header. {HINT}")
    out = {}
    for theirs, ours in RELATIONSHIP_COLUMNS.items():
        if theirs.startswith("GEOID"):
            out[ours] = fips_codes(table[theirs], width=11, what=what, column=theirs)
        else:
            out[ours] = numbers(table[theirs], what=what, column=theirs)
            if (out[ours] < 0).any():
                raise DataError(f"{what}: column {theirs!r} holds negative areas")
    frame = pd.DataFrame(out, index=table.index).reset_index(drop=True)
    pairs = frame.duplicated(["geoid_2020", "geoid_2010"])
    if pairs.any():
        raise DataError(
            f"{what}: (GEOID_TRACT_20, GEOID_TRACT_10) pairs repeat, e.g. "
            f"{frame.loc[pairs, ['geoid_2020', 'geoid_2010']].iloc[0].tolist()}; each part "
            "must appear once"
        )
    return frame
