"""USGS/MRLC National Land Cover Database (NLCD): land-cover class codes on a 30 m raster.

Reads the land-cover GeoTIFF (or ERDAS ``.img``) of NLCD 2019 and NLCD 2021 (``nlcd_2021_land_
cover_l48_20230630``) and of Annual NLCD (``Annual_NLCD_LndCov_2023_CU_C1V0.tif``): one band of
integer codes of the Anderson-based NLCD legend (:data:`NLCD_CLASSES`), in CONUS Albers
(EPSG:5070 or the equivalent WKT the files carry). Codes 51, 72, 73 and 74 occur in Alaska only.

No data is written three ways across releases: 0 ("unclassified", background of the NLCD 2019
and 2021 L48 files), 250 (the fill value of Annual NLCD) and 255 (the fill of clipped downloads).
The reader turns every one of them, and the file's own no-data value, into :data:`NLCD_FILL`, so
the class raster has one no-data code. A code that is neither in the legend nor no data is an
error, never a silent class.

>>> NLCD_CLASSES[82], NLCD_GROUPS[82], group_codes("developed")
('Cultivated Crops', 'cropland', (21, 22, 23, 24))

References
----------
Dewitz, J. (2023). National Land Cover Database (NLCD) 2021 Products. U.S. Geological Survey
data release. doi:10.5066/P9JZ7AO3

Dewitz, J. and U.S. Geological Survey (2021). National Land Cover Database (NLCD) 2019 Products
(ver. 2.0, June 2021). U.S. Geological Survey data release. doi:10.5066/P9KZCM54

U.S. Geological Survey (2024). Annual NLCD Collection 1 Science Products (ver. 1.1, June 2025).
U.S. Geological Survey data release. doi:10.5066/P94UXNTS

MRLC. National Land Cover Database class legend and description.
https://www.mrlc.gov/data/legends/national-land-cover-database-class-legend-and-description
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from types import MappingProxyType

import numpy as np

from siting.errors import DataError
from siting.sources.geotiff import RasterData, read_geotiff

#: NLCD code → the official class name of the MRLC legend.
NLCD_CLASSES = MappingProxyType(
    {
        11: "Open Water",
        12: "Perennial Ice/Snow",
        21: "Developed, Open Space",
        22: "Developed, Low Intensity",
        23: "Developed, Medium Intensity",
        24: "Developed, High Intensity",
        31: "Barren Land (Rock/Sand/Clay)",
        41: "Deciduous Forest",
        42: "Evergreen Forest",
        43: "Mixed Forest",
        51: "Dwarf Scrub",
        52: "Shrub/Scrub",
        71: "Grassland/Herbaceous",
        72: "Sedge/Herbaceous",
        73: "Lichens",
        74: "Moss",
        81: "Pasture/Hay",
        82: "Cultivated Crops",
        90: "Woody Wetlands",
        95: "Emergent Herbaceous Wetlands",
    }
)
#: First digit of an NLCD code → its Level I group (water, developed, barren, forest, shrubland,
#: herbaceous, planted/cultivated, wetlands).
NLCD_LEVEL_I = MappingProxyType(
    {
        1: "water",
        2: "developed",
        3: "barren",
        4: "forest",
        5: "shrub",
        7: "herbaceous",
        8: "cropland",
        9: "wetland",
    }
)
#: NLCD code → its Level I group.
NLCD_GROUPS = MappingProxyType({code: NLCD_LEVEL_I[code // 10] for code in NLCD_CLASSES})
#: Codes that mean no data in the NLCD releases (0 unclassified, 250 Annual NLCD fill, 255).
NLCD_NODATA_CODES = (0, 250, 255)
#: The one no-data code of the class raster :func:`read_nlcd` returns (Annual NLCD's fill).
NLCD_FILL = 250
HINT = "Is this an NLCD or Annual NLCD land-cover GeoTIFF (class codes 11–95)?"


def read_nlcd(path: str | Path) -> RasterData:
    """Read an NLCD land-cover raster as integer class codes.

    Parameters
    ----------
    path : str or pathlib.Path
        The land-cover GeoTIFF or ``.img`` (one band of codes of :data:`NLCD_CLASSES`).

    Returns
    -------
    RasterData
        ``values``: the codes as uint8, with every no-data code (0, 250, 255, the file's own)
        as :data:`NLCD_FILL`; ``nodata``: :data:`NLCD_FILL`; ``units``: ``"class"``; the file's
        transform and CRS.

    Raises
    ------
    DataFileNotFound, DataError, CRSError
        The file is missing, not a raster or has no CRS; its band is not integer codes; it
        holds codes outside the NLCD legend (named in the message).

    References
    ----------
    Dewitz, J. (2023). National Land Cover Database (NLCD) 2021 Products. U.S. Geological Survey
    data release. doi:10.5066/P9JZ7AO3
    """
    raster = read_geotiff(path, units="class")
    codes = raster.values
    if not np.issubdtype(codes.dtype, np.integer):
        raise DataError(f"{path}: band holds {codes.dtype} values; expected integer codes. {HINT}")
    nodata = np.isin(codes, NLCD_NODATA_CODES)
    if raster.nodata is not None:
        nodata |= codes == raster.nodata
    _check_codes(codes[~nodata], what=str(path))
    values = np.where(nodata, NLCD_FILL, codes).astype(np.uint8)
    return dataclasses.replace(raster, values=values, nodata=float(NLCD_FILL))


def group_codes(group: str) -> tuple[int, ...]:
    """The NLCD codes of a Level I group of :data:`NLCD_GROUPS`, in ascending order.

    >>> group_codes("wetland"), group_codes("cropland")
    ((90, 95), (81, 82))
    """
    codes = tuple(code for code, name in NLCD_GROUPS.items() if name == group)
    if not codes:
        groups = sorted(set(NLCD_GROUPS.values()))
        raise ValueError(f"NLCD group must be one of {groups}, got {group!r}")
    return codes


def _check_codes(codes: np.ndarray, *, what: str) -> None:
    """Raise a :class:`DataError` naming the codes that are not in the NLCD legend."""
    unknown = np.setdiff1d(np.unique(codes), list(NLCD_CLASSES))
    if unknown.size:
        raise DataError(
            f"{what}: codes {unknown[:10].tolist()} are not NLCD classes; "
            f"expected {list(NLCD_CLASSES)} or no data {list(NLCD_NODATA_CODES)}. {HINT}"
        )
