"""CommonGrid ISO/RTO territories (``iso-*.json``: one GeoJSON file per territory).

Each territory file holds the polygons of one ISO/RTO, or of a non-ISO region, with properties
``id`` (``region-iso-<slug>``), ``name``, ``eiaId`` and ``shortName`` (empty for the non-ISO
regions). Territories are service-area approximations drawn from EIA/HIFLD control areas and
overlap where a utility belongs to two regions.

>>> ISO_COLUMNS["shortName"]
'iso'

References
----------
Texture, Inc. and CommonGrid contributors (2025–2026). CommonGrid (Open Grid) energy
infrastructure dataset: ISO territories. ODbL 1.0. https://github.com/TextureHQ/commongrid
"""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from siting.errors import CRSError, DataError, DataFileNotFound
from siting.sources.files import read_vector, require_columns, split_ref

#: CommonGrid property → ours. Where ``shortName`` is empty, ``iso`` is the territory's slug.
ISO_COLUMNS = MappingProxyType({"shortName": "iso", "name": "name"})
#: The territory files of a CommonGrid folder.
ISO_FILES = "iso-*.json"
#: Shapely type ids of Polygon and MultiPolygon (``make_valid`` may add lines and points).
POLYGONAL_TYPE_IDS = (3, 6)
HINT = "Is this a CommonGrid ISO territory file (iso-*.json)?"


def read_iso_territories(path: str | Path) -> gpd.GeoDataFrame:
    """Read CommonGrid ISO territories: one ``iso-*.json`` file, a folder of them, or a
    GeoPackage layer (``file.gpkg:layer``) of such features.

    Parameters
    ----------
    path : str or pathlib.Path
        A territory file, a folder holding ``iso-*.json`` files, or a GeoPackage layer.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per territory sorted by ``iso``, in the files' CRS: ``iso`` (``shortName``,
        e.g. "MISO"; where empty, the slug: the file stem without "iso-", or in a GeoPackage
        the ``id`` without "region-iso-", e.g. "southeast-non-iso"), ``name``, geometry (a
        MultiPolygon repaired with ``make_valid``, the features of one territory united).

    Raises
    ------
    DataFileNotFound, DataError, CRSError
        The file or folder is missing, or the folder has no ``iso-*.json``; a file is
        unreadable, empty, lacks a property or its CRS; files of one folder differ in CRS; a
        territory has no polygon.

    References
    ----------
    CommonGrid ISO territories (2025–2026), ODbL 1.0. https://github.com/TextureHQ/commongrid
    """
    file, layer = split_ref(path)
    if layer is None and file.is_dir():
        frame = _read_folder(file)
    else:
        gdf = read_vector(path)
        slug = _id_slug(gdf) if file.suffix.lower() == ".gpkg" else _stem_slug(file)
        frame = _territories(gdf, what=str(path), slug=slug)
    return _one_per_territory(frame, what=str(path))


def _read_folder(folder: Path) -> gpd.GeoDataFrame:
    """The features of every ``iso-*.json`` file of ``folder``, in our columns."""
    files = sorted(folder.glob(ISO_FILES))
    if not files:
        raise DataFileNotFound(f"{folder}: no {ISO_FILES} territory files in the folder")
    parts = [_territories(read_vector(f), what=str(f), slug=_stem_slug(f)) for f in files]
    crs = {part.crs for part in parts}
    if len(crs) > 1:
        raise CRSError(f"{folder}: territory files in several CRSs {sorted(map(str, crs))}")
    return pd.concat(parts, ignore_index=True)


def _territories(gdf: gpd.GeoDataFrame, *, what: str, slug: pd.Series | str) -> gpd.GeoDataFrame:
    """Our columns for the features of one territory file or layer."""
    if gdf.empty:
        raise DataError(f"{what}: no features in the file. {HINT}")
    require_columns(gdf, ISO_COLUMNS, what=what, hint=HINT)
    short = gdf["shortName"].astype("string").str.strip()
    iso = short.mask(short.isna() | (short == ""), slug)
    if (iso.isna() | (iso == "")).any():
        raise DataError(f"{what}: a territory has neither a shortName nor an id to name it")
    table = pd.DataFrame({"iso": iso, "name": gdf["name"].astype(str).str.strip()})
    return gpd.GeoDataFrame(table, geometry=gdf.geometry.to_numpy(), crs=gdf.crs)


def _stem_slug(file: Path) -> str:
    """The slug in a territory file's name: ``iso-southeast-non-iso.json`` → southeast-non-iso."""
    return file.stem.removeprefix("iso-")


def _id_slug(gdf: gpd.GeoDataFrame) -> pd.Series:
    """The slug in each feature's ``id``: ``region-iso-pjm`` → pjm (NaN without an id)."""
    if "id" not in gdf.columns:
        return pd.Series(pd.NA, index=gdf.index, dtype="string")
    return gdf["id"].astype("string").str.strip().str.removeprefix("region-iso-")


def _one_per_territory(frame: gpd.GeoDataFrame, *, what: str) -> gpd.GeoDataFrame:
    """One row per ``iso``: its polygons repaired with ``make_valid`` and united."""
    rows = []
    for iso, group in frame.groupby("iso", sort=True):
        parts = shapely.get_parts(shapely.make_valid(group.geometry.to_numpy()))
        polygonal = parts[np.isin(shapely.get_type_id(parts), POLYGONAL_TYPE_IDS)]
        polygons = shapely.get_parts(polygonal)
        united = shapely.get_parts(shapely.union_all(polygons))
        if len(united) == 0:
            raise DataError(f"{what}: territory {iso!r} has no polygon")
        rows.append((iso, group["name"].iloc[0], shapely.MultiPolygon(list(united))))
    table = pd.DataFrame(rows, columns=["iso", "name", "geometry"])
    return gpd.GeoDataFrame(table, geometry="geometry", crs=frame.crs)
