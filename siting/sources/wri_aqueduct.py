"""WRI Aqueduct 4.0 baseline water stress, and WRI's category bins and score formula.

Baseline water stress (``bws``) is the ratio of gross water withdrawals to available renewable
surface and ground water (blue water) of a HydroBASINS level-6 sub-basin (``pfaf_id``), 1979–2019.
WRI maps it to a 0–5 score, ``score = max(0, min(5, log2(raw / 0.1) + 1))``, and to five
categories whose lower edges on the raw ratio are 0.1, 0.2, 0.4 and 0.8 (:data:`BWS_BIN_EDGES`;
an edge value belongs to the higher category). Two further categories are not on that scale:
``-1`` "Arid and Low Water Use" and ``-9999`` "No Data".

WRI's codes in the published table and what they are here:

* ``-9999`` (no data) in ``bws_raw``, ``bws_score`` or ``bws_cat`` → NaN (UNKNOWN).
* ``bws_raw = 9999`` marks sub-basins with no or near-zero available water (category 4,
  score 5) → ``inf``, the ratio it stands for (withdrawals / ~0).
* Arid and low water use (``bws_cat = -1``): WRI writes ``bws_raw = 1`` and ``bws_score = 5`` as
  placeholders. ``bws_raw`` → NaN (not a measured ratio); the score, the category ``-1`` and its
  label are kept as published.

References
----------
Kuzma, S., Bierkens, M.F.P., Lakshman, S., Luo, T., Saccoccia, L., Sutanudjaja, E.H., and
Van Beek, R. (2023). Aqueduct 4.0: Updated decision-relevant global water risk indicators.
Technical Note. World Resources Institute (CC BY 4.0). doi:10.46830/writn.23.00061.
Data: Aqueduct 4.0 water risk atlas, ``Aqueduct40_baseline_annual_y2023m07d05.csv`` and GDB
layer ``baseline_annual``, https://www.wri.org/data/aqueduct-global-maps-40-data; data dictionary
and production code (``ws_score``, ``category``, ``ws_labels``):
https://github.com/wri/Aqueduct40
"""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

import geopandas as gpd
import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from siting.errors import DataError
from siting.sources.files import (
    numbers,
    read_csv_text,
    read_vector,
    require_columns,
    split_ref,
)

#: WRI column → ours (Aqueduct keeps its names; the map says which columns are read).
BASELINE_COLUMNS = MappingProxyType(
    {
        "string_id": "string_id",
        "pfaf_id": "pfaf_id",
        "gid_1": "gid_1",
        "name_1": "name_1",
        "area_km2": "area_km2",
        "bws_raw": "bws_raw",
        "bws_score": "bws_score",
        "bws_cat": "bws_cat",
        "bws_label": "bws_label",
    }
)
BASELINE_REQUIRED = ("pfaf_id", "bws_raw", "bws_score", "bws_cat", "bws_label")
#: Layer of the baseline annual table in WRI's GDB / GeoPackage.
BASELINE_LAYER = "baseline_annual"
#: WRI's code for no data.
NO_DATA = -9999.0
#: WRI's ``bws_raw`` for sub-basins with no or near-zero available water.
ZERO_SUPPLY_RAW = 9999.0
#: Category "Arid and Low Water Use".
ARID_CATEGORY = -1
#: Category → WRI's label. NaN categories (WRI's -9999) are labelled "No Data" in the file.
BWS_LABELS = MappingProxyType(
    {
        -1: "Arid and Low Water Use",
        0: "Low (<10%)",
        1: "Low - Medium (10-20%)",
        2: "Medium - High (20-40%)",
        3: "High (40-80%)",
        4: "Extremely High (>80%)",
    }
)
#: Lower edges of categories 1–4 on the raw ratio [-]; an edge belongs to the higher category.
BWS_BIN_EDGES = (0.1, 0.2, 0.4, 0.8)

#: WRI province-level (GADM level 1) future table → ours.
PROVINCE_FUTURE_COLUMNS = MappingProxyType(
    {
        "gid_1": "gid_1",
        "name_0": "name_0",
        "name_1": "name_1",
        "year": "year",
        "scenario": "scenario",
        "indicator_name": "indicator",
        "weight": "weight",
        "score": "score",
        "score_ranked": "score_rank",
        "cat": "cat",
        "label": "label",
    }
)
HINT = "Is this a WRI Aqueduct 4.0 baseline annual table (Aqueduct40_baseline_annual_*.csv)?"


def bws_category(raw: ArrayLike) -> np.ndarray:
    """WRI's baseline water stress category of a raw withdrawal-to-supply ratio.

    Parameters
    ----------
    raw : array_like
        Withdrawals / available blue water. [-]

    Returns
    -------
    numpy.ndarray
        0 low (< 0.1), 1 low-medium (0.1–0.2), 2 medium-high (0.2–0.4), 3 high (0.4–0.8),
        4 extremely high (≥ 0.8), as floats; NaN for NaN or negative input. An edge value
        belongs to the higher category.

    References
    ----------
    Kuzma, S. et al. (2023). Aqueduct 4.0: Updated decision-relevant global water risk
    indicators. World Resources Institute. doi:10.46830/writn.23.00061

    Examples
    --------
    >>> bws_category([0.05, 0.1, 0.2, 0.4, 0.8, 3.0])
    array([0., 1., 2., 3., 4., 4.])
    """
    raw = np.asarray(raw, dtype=float)
    category = np.digitize(raw, BWS_BIN_EDGES).astype(float)
    return np.where(raw >= 0, category, np.nan)


def bws_score_from_raw(raw: ArrayLike) -> np.ndarray:
    """WRI's 0–5 baseline water stress score, ``max(0, min(5, log2(raw / 0.1) + 1))``.

    The score's integer part is the category of :func:`bws_category` (5 is category 4).

    Parameters
    ----------
    raw : array_like
        Withdrawals / available blue water. [-]

    Returns
    -------
    numpy.ndarray
        Score in [0, 5] [-]; 0 for a ratio of 0, 5 for ``inf``; NaN for NaN or negative input.

    References
    ----------
    Kuzma, S. et al. (2023). Aqueduct 4.0: Updated decision-relevant global water risk
    indicators. World Resources Institute. doi:10.46830/writn.23.00061 (formula as in WRI's
    production code, ``ws_score``, https://github.com/wri/Aqueduct40)

    Examples
    --------
    >>> bws_score_from_raw([0.0, 0.05, 0.1, 0.3, 0.8, 10.0])
    array([0.       , 0.       , 1.       , 2.5849625, 4.       , 5.       ])
    """
    raw = np.asarray(raw, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        score = np.clip(np.log2(raw / 0.1) + 1.0, 0.0, 5.0)
    return np.where(raw >= 0, score, np.nan)


def read_baseline_annual(path: str | Path) -> pd.DataFrame | gpd.GeoDataFrame:
    """Read WRI Aqueduct 4.0 baseline annual water stress (CSV, or GDB/GeoPackage layer).

    Parameters
    ----------
    path : str or pathlib.Path
        ``Aqueduct40_baseline_annual_y2023m07d05.csv``, or a vector file; a ``.gdb``/``.gpkg``
        without ``:layer`` is read from layer ``baseline_annual``.

    Returns
    -------
    pandas.DataFrame or geopandas.GeoDataFrame
        One row per WRI geometry (sub-basin × province × aquifer), in file order:
        ``pfaf_id`` (text, as published), ``bws_raw`` [-], ``bws_score`` [0–5], ``bws_cat``
        (-1, 0–4; float), ``bws_label``, and ``string_id``, ``gid_1``, ``name_1``,
        ``area_km2`` [km²] where the file has them; WRI's codes converted as in the module
        docstring. A vector input keeps its geometry and CRS.

    Raises
    ------
    DataFileNotFound, DataError, CRSError
        The file is missing, unreadable or empty, lacks a ``bws`` column, holds non-numeric
        text, a malformed ``pfaf_id`` or an unknown category; a vector file has no CRS.
    """
    file, layer = split_ref(path)
    if file.suffix.lower() in (".csv", ".gz"):
        table = read_csv_text(file, encoding="utf-8-sig", usecols=lambda c: c in BASELINE_COLUMNS)
    elif file.suffix.lower() in (".gdb", ".gpkg"):
        table = read_vector(file, layer=layer or BASELINE_LAYER)
    else:
        table = read_vector(path)
    return _baseline_from_frame(table, what=str(path))


def read_baseline_basins(path: str | Path) -> gpd.GeoDataFrame:
    """Read Aqueduct 4.0 baseline annual water stress with its sub-basin geometry.

    The form a run places on its grid: :func:`read_baseline_annual` on a vector file (WRI's GDB
    layer ``baseline_annual``, or a GeoPackage/GeoJSON in the same schema).

    Raises
    ------
    DataError
        The file has no geometry (WRI's CSV): the message says how to get the polygons.
    """
    table = read_baseline_annual(path)
    if not isinstance(table, gpd.GeoDataFrame):
        raise DataError(
            f"{path}: an Aqueduct table without basin geometry cannot be placed on the map; use "
            "WRI's geodatabase layer baseline_annual (Aqueduct40_baseline_annual_*.gdb), or join "
            "the CSV to HydroBASINS level-6 polygons on pfaf_id and save it as a GeoPackage"
        )
    return table


def _baseline_from_frame(table: pd.DataFrame, *, what: str) -> pd.DataFrame:
    """Our columns from an Aqueduct baseline annual table (see :func:`read_baseline_annual`)."""
    require_columns(table, BASELINE_REQUIRED, what=what, hint=HINT)
    if table.empty:
        raise DataError(f"{what}: no rows below the header. {HINT}")
    cat = _categories(table["bws_cat"], what=what)
    raw = _no_data(table["bws_raw"], what=what, column="bws_raw")
    raw = raw.replace(ZERO_SUPPLY_RAW, np.inf).mask(cat == ARID_CATEGORY)
    out = pd.DataFrame(index=table.index)
    for theirs, ours in BASELINE_COLUMNS.items():
        if theirs in table.columns:
            out[ours] = table[theirs]
    out["pfaf_id"] = _pfaf_ids(table["pfaf_id"], what=what)
    out["bws_raw"] = raw
    out["bws_score"] = _no_data(table["bws_score"], what=what, column="bws_score")
    out["bws_cat"] = cat
    if "area_km2" in out:
        out["area_km2"] = numbers(table["area_km2"], what=what, column="area_km2")
    if isinstance(table, gpd.GeoDataFrame):
        out = gpd.GeoDataFrame(out, geometry=table.geometry, crs=table.crs)
    return out.reset_index(drop=True)


def _no_data(values: pd.Series, *, what: str, column: str) -> pd.Series:
    """Numbers with WRI's -9999 as NaN."""
    return numbers(values, what=what, column=column).replace(NO_DATA, np.nan)


def _categories(values: pd.Series, *, what: str) -> pd.Series:
    """``bws_cat`` as floats (-1, 0–4), -9999 as NaN; any other code is an error."""
    cat = _no_data(values, what=what, column="bws_cat")
    bad = cat.notna() & ~cat.isin(list(BWS_LABELS))
    if bad.any():
        raise DataError(
            f"{what}: column 'bws_cat' holds {sorted(cat[bad].unique().tolist())[:5]}; "
            f"expected {sorted(BWS_LABELS)} or {NO_DATA:g} (no data)"
        )
    return cat


def _pfaf_ids(values: pd.Series, *, what: str) -> pd.Series:
    """Pfafstetter basin codes as text of digits (``111011``; ``111011.0`` from a float column)."""
    text = values.astype("string").str.strip().str.replace(r"\.0+$", "", regex=True)
    bad = ~text.str.fullmatch(r"\d+").fillna(False)
    if bad.any():
        raise DataError(
            f"{what}: column 'pfaf_id' holds {sorted(map(str, values[bad].unique()))[:5]}; "
            "expected HydroBASINS Pfafstetter codes (digits)"
        )
    return text.astype(str)


def read_province_future(path: str | Path) -> pd.DataFrame:
    """Read a WRI Aqueduct 4.0 provincial future rankings table (GADM level 1).

    This is WRI's *province-level* product (basin scores aggregated to provinces, weighted by
    sectoral water demand), not the basin table of :func:`read_baseline_annual`.

    Parameters
    ----------
    path : str or pathlib.Path
        CSV with WRI's columns ``gid_1, name_0, name_1, year, scenario, indicator_name,
        weight, score, score_ranked, cat, label``.

    Returns
    -------
    pandas.DataFrame
        :data:`PROVINCE_FUTURE_COLUMNS`: ``year`` (2030, 2050, 2080), ``scenario`` (opt, bau,
        pes), ``indicator`` (e.g. bws), ``weight`` (demand sector: Dom, Ind, Irr, Liv, Tot,
        One), ``score`` [0–5], ``score_rank`` (1 = most severe), ``cat``, ``label``; -9999 as
        NaN.

    Raises
    ------
    DataFileNotFound, DataError
        The file is missing or empty, lacks a column or holds non-numeric text in a number
        column.

    References
    ----------
    Kuzma, S. et al. (2023). Aqueduct 4.0: Updated decision-relevant global water risk
    indicators. World Resources Institute. doi:10.46830/writn.23.00061; data dictionary
    https://github.com/wri/Aqueduct40/blob/master/data_dictionary_country-rankings.md
    """
    what = str(path)
    table = read_csv_text(path, encoding="utf-8-sig")
    require_columns(
        table,
        PROVINCE_FUTURE_COLUMNS,
        what=what,
        hint="Is this a WRI Aqueduct 4.0 provincial future rankings table?",
    )
    if table.empty:
        raise DataError(f"{what}: no rows below the header")
    out = table[list(PROVINCE_FUTURE_COLUMNS)].rename(columns=dict(PROVINCE_FUTURE_COLUMNS))
    for theirs in ("year", "score", "score_ranked", "cat"):
        ours = PROVINCE_FUTURE_COLUMNS[theirs]
        out[ours] = _no_data(table[theirs], what=what, column=theirs)
    out["year"] = out["year"].astype("Int64")
    return out.reset_index(drop=True)
