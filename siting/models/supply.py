"""Supply near a load: generating capacity within a radius, and the part at risk of retirement.

A plant table here is a frame with one row per plant and its net summer capacity by energy
source in ``capacity_mw_<fuel>`` columns [MW] (as :func:`siting.sources.eia_atlas.read_plants`
gives it), with optionally ``name``, ``year`` (commissioning year) and ``retirement_year``
(planned retirement year; :func:`attach_years` takes the years of a second table, such as the
GridWatch Indiana plants, by name). Capacity near a site counts plants within a radius of the site's
edge; on the grid, plants within a radius of each cell centre, summed over a disc with a
library convolution (docs/methods.md §4.9).

*At risk of retirement* (:func:`retiring_capacity_mw`, **assumption**, docs/methods.md §4.9):

- any capacity with a planned retirement year, whatever its fuel or age;
- coal of any age: operators plan to retire 27 of the 172 GW (16 %) of U.S. coal capacity
  operating in May 2025 by the end of 2028 (EIA 2025), and without unit-level dates a screen
  cannot tell the announced retirements from the rest;
- natural gas and petroleum at plants at least :data:`RETIREMENT_AGE_YR` = 50 years old at the
  target year, where the table gives a commissioning year. The rule is meant for steam units;
  plant-level tables do not give the technology, so every gas and oil MW of an old plant
  counts. A table without years (the EIA Energy Atlas) counts no gas or oil: coal only.

Everything here is a pure function of arrays and frames.

References
----------
U.S. Energy Information Administration, U.S. Energy Atlas, Power Plants layer, from Form
EIA-860 and EIA-860M (public domain). https://atlas.eia.gov/
U.S. Energy Information Administration (2025). Most of the planned coal capacity retirements are
in the Midwest or Mid-Atlantic regions. Today in Energy, 14 July 2025 (Preliminary Monthly
Electric Generator Inventory, May 2025: operating coal capacity scheduled to fall from 172 GW to
145 GW by the end of 2028). https://www.eia.gov/todayinenergy/
World Resources Institute, Global Power Plant Database, README: ``commissioning_year``, "year of
plant operation, weighted by unit-capacity when data is available". CC BY 4.0.
https://datasets.wri.org/dataset/globalpowerplantdatabase
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from siting.grid import Grid, padded, rasterize_sum

FUEL_PREFIX = "capacity_mw_"
#: Fuels whose capacity is at risk of retirement at any age (assumption, docs/methods.md §4.9).
ANY_AGE_FUELS = ("coal",)
#: Fuels whose capacity is at risk once the plant is at least ``RETIREMENT_AGE_YR`` old.
AGEING_FUELS = ("natural_gas", "petroleum")
#: Age at the target year from which gas and oil (steam) capacity is at risk [yr]; assumption.
RETIREMENT_AGE_YR = 50
#: A plant takes the commissioning year of a plant of the same name within this distance in a
#: second table [km]; assumption (the GridWatch and EIA coordinates of one plant differ by up
#: to about 6.5 km in Indiana).
YEAR_MATCH_KM = 10.0
#: How many of the largest nearby plants each site lists.
LISTED_PLANTS = 3
#: Disc sums are rounded to this many decimals of a MW, which removes the FFT's round-off.
MW_DECIMALS = 3


def fuel_columns(plants: pd.DataFrame) -> list[str]:
    """The ``capacity_mw_<fuel>`` columns of a plant table, in table order.

    >>> fuel_columns(pd.DataFrame(columns=["name", "capacity_mw_coal", "capacity_mw_wind"]))
    ['capacity_mw_coal', 'capacity_mw_wind']
    """
    return [c for c in plants.columns if c.startswith(FUEL_PREFIX)]


def fuel_name(column: str) -> str:
    """Readable name of a fuel column.

    >>> fuel_name("capacity_mw_natural_gas")
    'natural gas'
    """
    return column.removeprefix(FUEL_PREFIX).replace("_", " ")


def retiring_capacity_mw(
    plants: pd.DataFrame, *, target_year: int, age_limit_yr: float = RETIREMENT_AGE_YR
) -> pd.DataFrame:
    """Capacity at risk of retirement, by fuel, of each plant (rule of the module docstring).

    Parameters
    ----------
    plants : pandas.DataFrame
        ``capacity_mw_<fuel>`` [MW]; optionally ``year`` (commissioning year) and
        ``retirement_year`` (planned retirement year), NaN where unknown.
    target_year : int
        The year the campus needs power; ages are counted to it. [yr]
    age_limit_yr : float
        Age at ``target_year`` from which gas and oil capacity is at risk. [yr]

    Returns
    -------
    pandas.DataFrame
        The same ``capacity_mw_<fuel>`` columns and index: the MW at risk, 0 elsewhere. [MW]

    Examples
    --------
    A 1970 plant with coal and gas, a 2000 gas plant, and a 2010 wind farm due to retire:

    >>> plants = pd.DataFrame({"capacity_mw_coal": [600.0, 0.0, 0.0],
    ...                        "capacity_mw_natural_gas": [200.0, 500.0, 0.0],
    ...                        "capacity_mw_wind": [0.0, 0.0, 100.0],
    ...                        "year": [1970, 2000, 2010],
    ...                        "retirement_year": [np.nan, np.nan, 2032]})
    >>> retiring_capacity_mw(plants, target_year=2030).sum(axis=1).tolist()
    [800.0, 0.0, 100.0]
    """
    fuels = fuel_columns(plants)
    year = _optional_years(plants, "year")
    old = (target_year - year) >= age_limit_yr  # unknown years are never old
    announced = _optional_years(plants, "retirement_year").notna()
    out = {}
    for column in fuels:
        fuel = column.removeprefix(FUEL_PREFIX)
        at_risk = announced | (fuel in ANY_AGE_FUELS) | (old & (fuel in AGEING_FUELS))
        out[column] = plants[column].astype(float).where(at_risk, 0.0)
    return pd.DataFrame(out, index=plants.index, columns=fuels)


def attach_years(
    plants: gpd.GeoDataFrame, dated: gpd.GeoDataFrame, *, max_km: float = YEAR_MATCH_KM
) -> pd.Series:
    """Commissioning year of each plant, from a second plant table that has years.

    A plant takes the ``year`` of the nearest plant of ``dated`` with the same name (compared
    in lower case without punctuation or a parenthesised suffix, so "Mill Creek (KY)" matches
    "Mill Creek" and "Wildcat Wind Farm I  LLC" matches "Wildcat Wind Farm I, LLC") within
    ``max_km``; NaN (UNKNOWN) where none. Both tables need ``name`` and a point geometry; the
    CRS of ``plants`` must be projected [m]. For the GridWatch Indiana table (WRI Global Power
    Plant Database v1.3.0) the year is the plant's capacity-weighted commissioning year.

    Examples
    --------
    >>> import shapely
    >>> eia = gpd.GeoDataFrame({"name": ["Mill Creek", "Gibson"]}, crs="EPSG:5070",
    ...                        geometry=shapely.points([0.0, 9e4], [0.0, 0.0]))
    >>> gppd = gpd.GeoDataFrame({"name": ["Mill Creek (KY)", "Other"], "year": [1977, 1990]},
    ...                         crs="EPSG:5070", geometry=shapely.points([3e3, 9e4], [0.0, 0.0]))
    >>> attach_years(eia, gppd).tolist()
    [1977.0, nan]
    """
    points = dated.geometry.to_crs(plants.crs).to_numpy()
    idx, other = shapely.STRtree(points).query(
        plants.geometry.to_numpy(), predicate="dwithin", distance=max_km * 1000.0
    )
    mine = _plain_names(plants["name"]).to_numpy()[idx]
    same = (mine == _plain_names(dated["name"]).to_numpy()[other]) & (mine != "")
    pairs = pd.DataFrame(
        {
            "plant": idx[same],
            "year": _optional_years(dated, "year").to_numpy()[other[same]],
            "distance_m": shapely.distance(
                plants.geometry.to_numpy()[idx[same]], points[other[same]]
            ),
        }
    )
    nearest = pairs.sort_values(["plant", "distance_m"]).drop_duplicates("plant")
    years = nearest.set_index("plant")["year"].reindex(range(len(plants)))
    return pd.Series(years.to_numpy(dtype=float), index=plants.index, name="year")


def nearby_plants(
    sites: gpd.GeoSeries, plants: gpd.GeoDataFrame, *, radius_km: float
) -> pd.DataFrame:
    """Every (site, plant) pair within ``radius_km`` of the site's edge.

    Columns: ``site`` and ``plant`` (positions in ``sites`` and ``plants``) and
    ``distance_km`` (from the site's edge, 0 inside it). Sites in a projected CRS [m]; plants
    in any CRS.
    """
    points = plants.geometry.to_crs(sites.crs).to_numpy()
    site_idx, plant_idx = shapely.STRtree(points).query(
        sites.to_numpy(), predicate="dwithin", distance=radius_km * 1000.0
    )
    distance_m = shapely.distance(sites.to_numpy()[site_idx], points[plant_idx])
    return pd.DataFrame({"site": site_idx, "plant": plant_idx, "distance_km": distance_m / 1e3})


def capacity_within_km(
    sites: gpd.GeoSeries, plants: gpd.GeoDataFrame, *, radius_km: float
) -> pd.DataFrame:
    """Capacity by fuel of the plants within ``radius_km`` of each site's edge.

    Returns one row per site position (0..n-1) with the plants' ``capacity_mw_<fuel>`` columns,
    0 where no plant is near. [MW] ``.sum(axis=1)`` is the total; :func:`by_fuel_text` words it.
    To count what is at risk, pass the plants with their columns replaced by
    :func:`retiring_capacity_mw`.
    """
    pairs = nearby_plants(sites, plants, radius_km=radius_km)
    fuels = fuel_columns(plants)
    mw = plants[fuels].astype(float).iloc[pairs["plant"]].groupby(pairs["site"].to_numpy()).sum()
    return mw.reindex(range(len(sites)), fill_value=0.0)


def by_fuel_text(mw: pd.DataFrame) -> list[str]:
    """Each row's capacity by fuel as text, largest first ("none" where all are 0).

    >>> by_fuel_text(pd.DataFrame({"capacity_mw_coal": [800.0, 0.0],
    ...                            "capacity_mw_natural_gas": [1234.4, 0.0]}))
    ['natural gas 1,234 MW; coal 800 MW', 'none']
    """
    return [_fuels_of(row, sep="; ") or "none" for _, row in mw.iterrows()]


def largest_plants_text(
    sites: gpd.GeoSeries, plants: gpd.GeoDataFrame, *, radius_km: float, target_year: int
) -> list[str]:
    """The ``LISTED_PLANTS`` largest plants within ``radius_km`` of each site's edge, as text.

    Each plant: name, capacity by fuel, distance from the site's edge and its age at
    ``target_year`` from ``year`` ("age UNKNOWN" where the table gives none), e.g.
    "Gibson (coal 2,922 MW, 12.3 km, age UNKNOWN)"; largest total first.
    """
    pairs = nearby_plants(sites, plants, radius_km=radius_km)
    fuels = fuel_columns(plants)
    mw = plants[fuels].astype(float).reset_index(drop=True)
    pairs["mw"] = mw.sum(axis=1).to_numpy()[pairs["plant"]]
    pairs = pairs.sort_values(["site", "mw", "distance_km"], ascending=[True, False, True])
    pairs = pairs.groupby("site").head(LISTED_PLANTS)
    names = plants["name"] if "name" in plants.columns else pd.Series(np.nan, plants.index)
    names = names.reset_index(drop=True).fillna("unnamed plant")
    ages = target_year - _optional_years(plants, "year").reset_index(drop=True)
    text = [
        f"{names[p]} ({_fuels_of(mw.loc[p], sep=', ')}, {d:.1f} km, "
        + (f"{ages[p]:.0f} yr old in {target_year})" if np.isfinite(ages[p]) else "age UNKNOWN)")
        for p, d in zip(pairs["plant"], pairs["distance_km"], strict=True)
    ]
    joined = pd.Series(text, dtype=object).groupby(pairs["site"].to_numpy()).agg("; ".join)
    return [joined.get(i, f"none within {radius_km:g} km") for i in range(len(sites))]


def disc_kernel(radius_m: float, resolution_m: float) -> np.ndarray:
    """1 for the cell offsets whose centre lies within ``radius_m`` of the middle cell's centre.

    >>> disc_kernel(2000.0, 1000.0).astype(int).tolist()[0:3]
    [[0, 0, 1, 0, 0], [0, 1, 1, 1, 0], [1, 1, 1, 1, 1]]
    >>> int(disc_kernel(2000.0, 1000.0).sum())
    13
    """
    n = int(np.floor(radius_m / resolution_m + 1e-9))
    offsets_m = np.arange(-n, n + 1) * resolution_m
    dx, dy = np.meshgrid(offsets_m, offsets_m)
    return (np.hypot(dx, dy) <= radius_m * (1.0 + 1e-9)).astype(np.float64)


def capacity_within_radius_mw(
    mw: np.ndarray, *, radius_m: float, resolution_m: float
) -> np.ndarray:
    """Sum of ``mw`` over the cells whose centre lies within ``radius_m`` of each cell centre.

    Parameters
    ----------
    mw : numpy.ndarray
        Finite capacity in each cell (plants burned at the cell that holds them), on a grid
        padded by at least ``radius_m`` so that plants beyond the area of interest count. [MW]
    radius_m, resolution_m : float
        The radius and the cell edge. [m]

    Returns
    -------
    numpy.ndarray
        The disc sums, same shape (``scipy.signal.fftconvolve`` with :func:`disc_kernel`),
        rounded to 0.001 MW, which removes the transform's round-off. [MW]

    Examples
    --------
    >>> mw = np.zeros((1, 5)); mw[0, 0] = 100.0
    >>> capacity_within_radius_mw(mw, radius_m=2000.0, resolution_m=1000.0).tolist()
    [[100.0, 100.0, 100.0, 0.0, 0.0]]
    """
    kernel = disc_kernel(radius_m, resolution_m)
    occupied = np.count_nonzero(mw)
    if occupied * kernel.shape[0] <= mw.size:
        summed = _disc_sum_of_few_cells(mw, kernel)
    else:
        from scipy.signal import fftconvolve  # 0.7 s to import; most runs need only the above

        summed = fftconvolve(mw, kernel, mode="same")
    return np.round(summed, MW_DECIMALS) + 0.0  # + 0.0 turns a rounded -0.0 into 0.0


def _disc_sum_of_few_cells(mw: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """The disc sums of :func:`capacity_within_radius_mw` when few cells hold capacity. [MW]

    A disc is one run of cells per row, so each occupied cell adds its MW to one run per row of
    the disc: +MW where the run starts and −MW after it ends, in a row of differences whose
    running sum along the row is the disc sum. The cost grows with occupied cells × disc rows,
    not with the grid's cells × log(cells) of a convolution.
    """
    rows, cols = mw.shape
    reach = kernel.shape[0] // 2
    half = (kernel.sum(axis=1).astype(int) - 1) // 2  # the run's half-width in each disc row
    y, x = np.nonzero(mw)
    value = mw[y, x]
    dy = np.arange(-reach, reach + 1)
    yy = (y[None, :] + dy[:, None]).ravel()
    start = np.clip(x[None, :] - half[:, None], 0, cols).ravel()
    stop = np.clip(x[None, :] + half[:, None] + 1, 0, cols).ravel()
    weight = np.broadcast_to(value, (len(dy), len(value))).ravel()
    inside = (yy >= 0) & (yy < rows) & (start < stop)
    yy, start, stop, weight = yy[inside], start[inside], stop[inside], weight[inside]
    width = cols + 1
    diff = np.bincount(yy * width + start, weights=weight, minlength=rows * width)
    diff -= np.bincount(yy * width + stop, weights=weight, minlength=rows * width)
    return np.cumsum(diff.reshape(rows, width), axis=1)[:, :cols]


def mw_within_radius(
    points: gpd.GeoDataFrame, column: str, grid: Grid, *, radius_m: float, what: str
) -> np.ndarray:
    """Sum of ``points[column]`` over the points within ``radius_m`` of each cell centre. [MW]

    Points are burned at the cell holding them (summed where they share one) on the grid
    padded by the radius, so points beyond the grid's edge count, and summed over the disc of
    cells whose centre lies within the radius (:func:`capacity_within_radius_mw`; exact to half
    a cell diagonal). Float32 on ``grid``.
    """
    big, crop = padded(grid, radius_m)
    burned = rasterize_sum(points, column, big, what=what)
    summed = capacity_within_radius_mw(burned, radius_m=radius_m, resolution_m=big.resolution_m)
    return summed[crop].astype(np.float32)


def _optional_years(plants: pd.DataFrame, column: str) -> pd.Series:
    """``plants[column]`` as float years, NaN where unknown or the table has no such column."""
    if column not in plants.columns:
        return pd.Series(np.nan, index=plants.index, dtype=float)
    return pd.to_numeric(plants[column], errors="coerce").astype(float)


def _plain_names(names: pd.Series) -> pd.Series:
    """Plant names in lower case without a parenthesised suffix or punctuation."""
    text = names.fillna("").astype(str).str.lower().str.replace(r"\(.*?\)", " ", regex=True)
    return text.str.replace(r"[^a-z0-9]+", " ", regex=True).str.strip()


def _fuels_of(row: pd.Series, *, sep: str) -> str:
    """One plant's or site's capacity by fuel, largest first ("" where all are 0)."""
    parts = row[row > 0].sort_values(ascending=False, kind="stable")
    return sep.join(f"{fuel_name(c)} {v:,.0f} MW" for c, v in parts.items())
