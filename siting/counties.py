"""Counties of a region: their table, their cells on the grid, and joins by name or FIPS.

A region may span several states: every county carries its own state, taken from the first two
digits of its FIPS code, and nothing here assumes one state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import MappingProxyType

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy import ndimage

from siting.errors import DataError
from siting.grid import Grid, rasterize_values

#: USPS code of each state FIPS code (50 states, DC, Puerto Rico and the island areas).
STATE_BY_FIPS = MappingProxyType(
    {
        "01": "AL", "02": "AK", "04": "AZ", "05": "AR", "06": "CA", "08": "CO", "09": "CT",
        "10": "DE", "11": "DC", "12": "FL", "13": "GA", "15": "HI", "16": "ID", "17": "IL",
        "18": "IN", "19": "IA", "20": "KS", "21": "KY", "22": "LA", "23": "ME", "24": "MD",
        "25": "MA", "26": "MI", "27": "MN", "28": "MS", "29": "MO", "30": "MT", "31": "NE",
        "32": "NV", "33": "NH", "34": "NJ", "35": "NM", "36": "NY", "37": "NC", "38": "ND",
        "39": "OH", "40": "OK", "41": "OR", "42": "PA", "44": "RI", "45": "SC", "46": "SD",
        "47": "TN", "48": "TX", "49": "UT", "50": "VT", "51": "VA", "53": "WA", "54": "WV",
        "55": "WI", "56": "WY", "60": "AS", "66": "GU", "69": "MP", "72": "PR", "78": "VI",
    }
)  # fmt: skip
#: State FIPS code of each USPS code (the inverse of :data:`STATE_BY_FIPS`).
STATE_FIPS_BY_CODE = MappingProxyType({code: fips for fips, code in STATE_BY_FIPS.items()})


_STATE_NAMES = (
    "AL Alabama,AK Alaska,AZ Arizona,AR Arkansas,CA California,CO Colorado,CT Connecticut,"
    "DE Delaware,DC District of Columbia,FL Florida,GA Georgia,HI Hawaii,ID Idaho,IL Illinois,"
    "IN Indiana,IA Iowa,KS Kansas,KY Kentucky,LA Louisiana,ME Maine,MD Maryland,"
    "MA Massachusetts,MI Michigan,MN Minnesota,MS Mississippi,MO Missouri,MT Montana,"
    "NE Nebraska,NV Nevada,NH New Hampshire,NJ New Jersey,NM New Mexico,NY New York,"
    "NC North Carolina,ND North Dakota,OH Ohio,OK Oklahoma,OR Oregon,PA Pennsylvania,"
    "RI Rhode Island,SC South Carolina,SD South Dakota,TN Tennessee,TX Texas,UT Utah,"
    "VT Vermont,VA Virginia,WA Washington,WV West Virginia,WI Wisconsin,WY Wyoming,"
    "PR Puerto Rico"
)
#: USPS code of each state name (50 states, DC and Puerto Rico).
STATE_CODE_BY_NAME = MappingProxyType({item[3:]: item[:2] for item in _STATE_NAMES.split(",")})
_CODE_BY_LOWER_NAME = MappingProxyType({k.lower(): v for k, v in STATE_CODE_BY_NAME.items()})


def state_code_of_name(name: str) -> str | None:
    """USPS code of a state's full name, ignoring case and spaces around it; None if unknown.

    >>> state_code_of_name(" indiana "), state_code_of_name("Narnia")
    ('IN', None)
    """
    return _CODE_BY_LOWER_NAME.get(name.strip().lower())


def state_of_fips(fips: pd.Series, *, what: str = "FIPS codes") -> pd.Series:
    """USPS state code of each county (or tract) FIPS code, from its first two digits.

    >>> state_of_fips(pd.Series(["18051", "17031"]), what="counties").tolist()
    ['IN', 'IL']
    """
    prefix = fips.astype(str).str[:2]
    unknown = sorted(set(prefix) - set(STATE_BY_FIPS))
    if unknown:
        raise DataError(f"{what}: state FIPS {unknown} are not US states; check the FIPS codes")
    return prefix.map(STATE_BY_FIPS)


def normalize_county_name(name: object) -> str:
    """Canonical county name for joins: lower case, no 'county', 'saint' as 'st', no punctuation.

    >>> normalize_county_name("St. Joseph County")
    'stjoseph'
    >>> normalize_county_name("LaPorte") == normalize_county_name("La Porte")
    True
    """
    if not isinstance(name, str):
        return ""
    text = name.lower().strip()
    text = re.sub(r"\b(county|parish|borough)\b", "", text)
    text = re.sub(r"\bsaint\b", "st", text)
    return re.sub(r"[^a-z]", "", text)


@dataclass(frozen=True, kw_only=True)
class Counties:
    """The region's counties and which county each grid cell lies in.

    ``table``: one row per county, ``fips`` (5 digits), ``name``, ``state`` (USPS code),
    ``area_km2`` (planar area in the grid's CRS) and geometry, sorted by FIPS. ``cells``: the
    row position in ``table`` of each cell's county, -1 outside every county (int16 up to
    32767 counties, else int32; read-only).
    ``filled_cells``: study-area cells that no county polygon covered (slivers between
    generalised boundaries), given to the nearest county.
    """

    table: gpd.GeoDataFrame
    cells: np.ndarray
    filled_cells: int = 0

    @property
    def states(self) -> tuple[str, ...]:
        """USPS codes of the states the counties lie in, sorted."""
        return tuple(sorted(set(self.table["state"])))

    def values(self, values_by_fips: pd.Series, *, what: str) -> np.ndarray:
        """Float32 raster holding each county's value; NaN outside counties or where unknown.

        ``values_by_fips`` is indexed by FIPS; ``what`` names its source for error messages.
        """
        try:
            values = self.table["fips"].map(values_by_fips).to_numpy(dtype="float64")
        except (TypeError, ValueError) as err:
            raise DataError(f"{what}: county values are not numbers ({err})") from None
        lookup = np.append(values.astype(np.float32), np.float32(np.nan))  # index -1: NaN
        return np.take(lookup, self.cells)


def counties_on_grid(
    table: gpd.GeoDataFrame, grid: Grid, *, what: str, fill: np.ndarray | None = None
) -> Counties:
    """Burn the counties onto the grid: each cell gets the position of its county in ``table``.

    ``table`` holds ``fips``, ``name`` and geometry; ``state`` and ``area_km2`` are added.
    Cells of ``fill`` (the study area) that no county covers take the nearest county, so every
    study-area cell has one.
    """
    table = table.to_crs(grid.crs).sort_values("fips").reset_index(drop=True)
    table["state"] = state_of_fips(table["fips"], what=what)
    table["area_km2"] = table.geometry.area / 1.0e6
    code = rasterize_values(
        table.assign(code=np.arange(len(table), dtype="float64")), "code", grid, what=what
    )
    cells = np.where(np.isfinite(code), code, -1).astype(
        np.int16 if len(table) < 2**15 else np.int32
    )
    covered = cells >= 0
    gaps = ~covered & fill if fill is not None else np.zeros(grid.shape, dtype=bool)
    if gaps.any() and covered.any():
        rows, cols = nearest_covered_cells(covered, gaps)
        cells[gaps] = cells[rows, cols]
    cells.setflags(write=False)
    return Counties(table=table, cells=cells, filled_cells=int(gaps.sum()))


def nearest_covered_cells(
    covered: np.ndarray, targets: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Row and column of the ``covered`` cell nearest to each ``targets`` cell (row-major order).

    The same cells as ``scipy.ndimage.distance_transform_edt(~covered, return_indices=True)``
    gives at ``targets``: the least squared distance in cells, ties to the lowest column, then
    the lowest row. Only covered cells beside an uncovered one can be nearest (a step towards
    the target from any other is closer and covered), so a k-d tree of those edge cells answers
    the few target cells without a feature transform of the whole grid.
    """
    from scipy.spatial import cKDTree  # imported here: only regions with slivers need it

    edge_rows, edge_cols = np.nonzero(covered & ~ndimage.binary_erosion(covered))
    rows, cols = np.nonzero(targets)
    tree = cKDTree(np.column_stack([edge_rows, edge_cols]))
    points = np.column_stack([rows, cols])
    _, first = tree.query(points)
    least = (edge_rows[first] - rows) ** 2 + (edge_cols[first] - cols) ** 2
    # every edge cell as near as the first one found: the ties
    near = tree.query_ball_point(points, r=np.sqrt(least + 0.5), return_sorted=False)
    target = np.repeat(np.arange(len(rows)), [len(n) for n in near])
    edge = np.concatenate([np.asarray(n, dtype=np.intp) for n in near])
    d2 = (edge_rows[edge] - rows[target]) ** 2 + (edge_cols[edge] - cols[target]) ** 2
    target, edge = target[d2 == least[target]], edge[d2 == least[target]]
    order = np.lexsort((edge_rows[edge], edge_cols[edge], target))
    target, edge = target[order], edge[order]
    chosen = edge[np.flatnonzero(np.r_[True, target[1:] != target[:-1]])]
    return edge_rows[chosen], edge_cols[chosen]


#: Share of the study area's counties a national county table must hold: fewer means its FIPS
#: codes are damaged (a lost leading zero, a missing state part) or it covers another region.
MIN_JOINED_SHARE = 0.5


def check_county_join(
    fips: pd.Series, counties: Counties, *, what: str, min_share: float = MIN_JOINED_SHARE
) -> None:
    """Raise a :class:`DataError` if the codes ``fips`` hold fewer than ``min_share`` of the
    study area's counties, or none of them.

    A county table joins by FIPS code; one whose codes miss most counties would leave their
    values UNKNOWN (or a ban unapplied) without any other sign.

    >>> table = gpd.GeoDataFrame({"fips": ["18001", "18003"]})
    >>> check_county_join(pd.Series(["18001", "17003"]), Counties(table=table, cells=np.zeros(1)),
    ...                   what="svi.csv")
    """
    wanted = counties.table["fips"].astype(str)
    joined = int(wanted.isin(set(fips.astype(str))).sum())
    if joined and joined >= min_share * len(wanted):
        return
    absent = sorted(set(wanted) - set(fips.astype(str)))[:3]
    given = sorted(set(fips.astype(str)))[:3]
    raise DataError(
        f"{what}: its FIPS codes match {joined} of the {len(wanted)} counties of the study area "
        f"(absent: {absent}; the file has e.g. {given}); write each county's 5-digit "
        "state+county FIPS code, leading zero included, or use a table covering the region"
    )
