"""CDC/ATSDR Environmental Justice Index (EJI) 2024, census tracts (2020 tract boundaries).

The EJI ranks every tract on environmental burden (EBM), social vulnerability (SVM) and health
vulnerability (HVM) modules and combines them into the EJI rank (``RPL_EJI``); the 2024 edition
adds a climate burden module (``RPL_CBM``) and the EJI with climate burden (``RPL_EJI_CBM``).
All ``RPL_*`` are national percentile ranks in [0, 1]; -999 means not computed and is NaN here
(UNKNOWN), never zero. The 2024 files key tracts by ``GEOID_2020`` (written as a number, so
states 01–09 lose their leading zero: it is restored). The 2022 edition used 2010 tracts keyed
by ``GEOID``; it is refused rather than mixed with 2020 tracts.

>>> EJI_COLUMNS["RPL_EJI"], EJI_COLUMNS["RPL_CBM"]
('eji_pct', 'eji_climate_burden_pct')

References
----------
Centers for Disease Control and Prevention and Agency for Toxic Substances and Disease Registry
(2024). Environmental Justice Index 2024: data (EJI_2024_United_States.csv), data dictionary and
technical documentation (public domain). https://www.atsdr.cdc.gov/place-health/php/eji/eji-data-download.html
"""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd

from siting.errors import DataError
from siting.sources.cdc_svi import percentile_ranks, unknown_as_nan
from siting.sources.files import fips_codes, read_csv_text, require_columns, unique_codes

#: EJI 2024 column → ours. ``*_pct`` are national percentile ranks [0–1]; population in
#: [persons] (ACS 5-year estimate). ``STATEABBR`` is also accepted as ``StateAbbr``.
EJI_COLUMNS = MappingProxyType(
    {
        "GEOID_2020": "geoid",
        "STATEABBR": "state_abbr",
        "E_TOTPOP": "population",
        "RPL_EJI": "eji_pct",
        "RPL_EBM": "eji_environmental_burden_pct",
        "RPL_SVM": "eji_social_vulnerability_pct",
        "RPL_HVM": "eji_health_vulnerability_pct",
        "RPL_CBM": "eji_climate_burden_pct",
        "RPL_EJI_CBM": "eji_with_climate_burden_pct",
    }
)
#: Other spellings of EJI columns seen in the published files (→ the name in EJI_COLUMNS).
EJI_SPELLINGS = MappingProxyType({"StateAbbr": "STATEABBR"})
#: Columns read where the file has them (the climate module); NaN (UNKNOWN) otherwise.
OPTIONAL_COLUMNS = ("RPL_CBM", "RPL_EJI_CBM")
HINT = "Is this a CDC/ATSDR EJI 2024 file (EJI_2024_United_States.csv)?"


def read_eji(path: str | Path) -> pd.DataFrame:
    """Read the CDC/ATSDR Environmental Justice Index 2024 tract table (CSV).

    Parameters
    ----------
    path : str or pathlib.Path
        ``EJI_2024_United_States.csv`` or a state file ``EJI_2024_<State>.csv``.

    Returns
    -------
    pandas.DataFrame
        One row per 2020 tract in file order: ``geoid`` (11-digit text), ``state_abbr``,
        ``population`` [persons] (float), the percentile ranks ``eji_pct``,
        ``eji_environmental_burden_pct``, ``eji_social_vulnerability_pct``,
        ``eji_health_vulnerability_pct``, ``eji_climate_burden_pct`` and
        ``eji_with_climate_burden_pct`` [0–1]; -999 (and a missing climate module) as NaN.

    Raises
    ------
    DataFileNotFound, DataError
        The file is missing or empty, is the 2022 edition (2010 tracts), lacks an EJI column,
        holds a malformed or repeated GEOID, non-numeric text, or a percentile rank outside
        [0, 1] that is not -999.

    References
    ----------
    CDC and ATSDR (2024). Environmental Justice Index 2024.
    https://www.atsdr.cdc.gov/place-health/php/eji/eji-data-download.html
    """
    table = read_csv_text(path, encoding="utf-8-sig")
    return eji_from_frame(table, what=str(path))


def eji_from_frame(table: pd.DataFrame, *, what: str) -> pd.DataFrame:
    """Our columns from an EJI 2024 table of text (see :func:`read_eji`)."""
    table = table.rename(columns=dict(EJI_SPELLINGS))
    if "GEOID_2020" not in table.columns and "GEOID" in table.columns:
        raise DataError(
            f"{what}: tracts keyed by 'GEOID' without 'GEOID_2020': this looks like the EJI 2022 "
            "edition (2010 tracts); read the 2024 edition (2020 tracts)"
        )
    required = [c for c in EJI_COLUMNS if c not in OPTIONAL_COLUMNS]
    require_columns(table, required, what=what, hint=HINT)
    if table.empty:
        raise DataError(f"{what}: no tracts below the header. {HINT}")
    geoid = fips_codes(table["GEOID_2020"], width=11, what=what, column="GEOID_2020")
    unique_codes(geoid, what=what, column="GEOID_2020")
    out = {"geoid": geoid, "state_abbr": table["STATEABBR"].str.strip()}
    out["population"] = unknown_as_nan(table["E_TOTPOP"], what=what, column="E_TOTPOP")
    for theirs, ours in EJI_COLUMNS.items():
        if not theirs.startswith("RPL_"):
            continue
        present = theirs in table.columns
        out[ours] = percentile_ranks(table[theirs], what=what, column=theirs) if present else np.nan
    return pd.DataFrame(out, index=table.index).reset_index(drop=True)
