"""Connecting a site to the bulk grid: candidate connections, their adequacy and their cost.

A screening estimate for each candidate site from public data (docs/methods.md §4):

1. Candidate connections within ``search_radius_km`` of the site, at or above the spec's
   interconnection voltage: existing connection points (HIFLD substations, or points derived
   from the line geometry) with the lines at that voltage ending there, and a loop-in (cut-in)
   of each qualifying line passing by, which gives two line terminals.
2. Each candidate's loadability: per line, surge impedance loading × St Clair multiplier for its
   length, capped by the thermal rating of its voltage class (flat thermal rating at 300 kV and
   below); summed over the lines, and with the largest out of service (N−1, "firm").
3. It is *adequate* if at least ``n_hv_lines`` independent lines meet there and its firm
   loadability covers the site's peak demand. Loadability is what the lines can carry, not their
   spare capacity: public data do not reveal headroom (docs/methods.md §4.1).
4. The tie from the site: straight-line distance from the site's edge × route factor, with
   enough circuits at the connection voltage to carry the peak with one out (N−1), and at least
   ``n_hv_lines``. Cost with NREL reVX unit costs for the site's region (2019 US$): line
   $/mile (345 kV interpolated between the 400 MW and 1,500 MW classes) × land multiplier ×
   (1 + contingency 0.20 + AFUDC 0.075 + overhead 0.10), plus a new campus substation, work
   at the far end (upgrade of an existing substation to a new one; a new switching station for
   a loop-in) and a transformer where the connection runs above the required voltage class.
   The low end assumes open land, the high end the region's dearest common land class on hilly
   ground. reVX prices nothing above 500 kV: 765 kV equipment is priced at 500 kV, a floor.
5. The chosen connection is the cheapest adequate candidate (else the cheapest, flagged). A site
   *needs a new line* unless an adequate connection lies within ``substation_only_max_km``.

Everything here is a pure function of arrays and frames.

References
----------
Dunlop, R. D., Gutman, R., Marchenko, P. P. (1979). Analytical development of loadability
characteristics for EHV and UHV transmission lines. IEEE Trans. PAS-98(2), 606–617 (St Clair
curve), as coded in the public PowerModel ``ParameterEstimator``; thermal ratings and SIL by
class from its table citing EPRI and Glover, Sarma & Overbye, Table 5.1 [S] (docs/methods.md §4.2).
NREL reVX, ``reVX/least_cost_xmission/config/base_line_costs.json``,
``new_substation_costs``, ``upgrade_substation_costs``, ``iso_multipliers``,
``power_to_voltage`` (github.com/NREL/reVX) [P] (docs/methods.md §4.3).
MISO Transmission Cost Estimation Guide practice (route +30 %, 20 % contingency, 7.5 % AFUDC,
10 % overhead) as reported by RTO Insider [S] (docs/methods.md §4.3).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from numpy.typing import ArrayLike

from siting.models.network import Network, lines_at_kv
from siting.models.transmission import (
    KM_PER_MILE,
    THERMAL_RATING_MVA,
    class_value,
    firm_loadability_mw,
    loadability_mw,
    route_miles,
    tie_circuits,
    voltage_class_kv,
)

USD_PER_MUSD = 1.0e6
#: The year whose dollars reVX's unit costs are in.
REVX_COST_YEAR = 2019
#: All-in cost of new 345 and 765 kV lines in MISO's LRTP Tranche 2.1: $21.8 B for about 4,000
#: line-miles (2024 US$; derived, docs/methods.md §4.3) [$/line-mile], the year of its dollars.
ALLIN_USD_PER_LINE_MILE = 5.4e6
ALLIN_COST_YEAR = 2024

# --- costs, docs/methods.md §4.3 (NREL reVX, 2019 US$) --------------------------------------
#: reVX power_to_voltage, inverted: the capacity class [MW] of each voltage [kV].
REVX_CAPACITY_MW_BY_KV = MappingProxyType(
    {69: 102.0, 115: 171.0, 138: 205.0, 161: 240.0, 230: 400.0, 345: 750.0, 500: 1500.0}
)
#: reVX base_line_costs.json by capacity class [MW] → [$/mile].
REVX_LINE_USD_PER_MILE = MappingProxyType(
    {
        "MISO": {102: 1_254_921, 205: 1_446_469, 400: 1_694_747, 1500: 2_787_303},
        "SCE": {102: 1_524_000, 205: 2_084_122, 400: 3_034_000, 1500: 4_777_000},
        "Southeast": {102: 818_852, 205: 984_325, 400: 1_567_655, 1500: 4_056_410},
        "TEPPC": {102: 983_701, 205: 1_180_083, 400: 1_579_572, 1500: 3_052_857},
    }
)
#: reVX new_substation_costs by voltage [kV] → [$].
REVX_NEW_SUBSTATION_USD = MappingProxyType(
    {
        "MISO": {69: 5_700_000, 138: 7_800_000, 230: 9_700_000, 500: 20_300_000},
        "SCE": {69: 3_975_000, 138: 8_870_000, 230: 17_525_000, 500: 37_017_000},
        "Southeast": {69: 3_064_000, 138: 4_692_000, 230: 5_732_000, 500: 20_364_000},
        "TEPPC": {69: 3_498_000, 138: 5_541_000, 230: 9_171_000, 500: 15_489_000},
    }
)
#: reVX upgrade_substation_costs by voltage [kV] → [$].
REVX_UPGRADE_SUBSTATION_USD = MappingProxyType(
    {
        "MISO": {69: 1_100_000, 138: 1_600_000, 230: 2_200_000, 500: 5_300_000},
        "SCE": {69: 767_000, 138: 1_117_000, 230: 3_975_000, 500: 9_665_000},
        "Southeast": {69: 917_000, 138: 1_179_000, 230: 2_210_000, 500: 8_340_000},
        "TEPPC": {69: 1_352_000, 138: 2_198_000, 230: 5_500_000, 500: 10_236_000},
    }
)
#: reVX iso_multipliers: land-use multipliers (wetland left out: routes avoid it) and the hill
#: (slope > 2 %) multiplier.
REVX_LAND_MULTIPLIERS = MappingProxyType(
    {
        "MISO": {"cropland": 1.03, "forest": 1.2, "suburban": 1.08, "urban": 1.2},
        "SCE": {"cropland": 1.0, "forest": 3.0, "suburban": 2.0, "urban": 3.0},
        "Southeast": {"cropland": 1.0, "forest": 1.47, "suburban": 1.75, "urban": 1.12},
        "TEPPC": {"cropland": 1.0, "forest": 2.25, "suburban": 1.3, "urban": 1.59},
    }
)
REVX_HILL_MULTIPLIER = MappingProxyType({"MISO": 1.1, "SCE": 1.5, "Southeast": 1.2, "TEPPC": 1.4})
#: reVX transformer_costs by (tie-line kV, connected feature kV) [$/MW]; the same in every region.
REVX_TRANSFORMER_USD_PER_MW = MappingProxyType(
    {
        69: {69: 4720, 115: 3840, 138: 4260, 161: 4480, 230: 4970, 345: 6100, 500: 7860},
        115: {69: 3840, 115: 5230, 138: 4260, 161: 4480, 230: 4970, 345: 5790, 500: 7110},
        138: {69: 4260, 115: 4260, 138: 5790, 161: 4720, 230: 4970, 345: 5790, 500: 7110},
        161: {69: 4480, 115: 4480, 138: 4720, 161: 6420, 230: 5230, 345: 6100, 500: 7490},
        230: {69: 4970, 115: 4970, 138: 4970, 161: 5230, 230: 7110, 345: 6100, 500: 7490},
        345: {69: 6100, 115: 5790, 138: 5790, 161: 6100, 230: 6100, 345: 8670, 500: 7860},
        500: {69: 7860, 115: 7110, 138: 7110, 161: 7490, 230: 7490, 345: 7860, 500: 11610},
    }
)
#: Highest voltage reVX prices [kV]; equipment above it is priced at it, a floor (flagged).
REVX_MAX_KV = 500.0
#: MISO cost-estimation practice, applied to the line cost (docs/methods.md §9.6).
#: Circuits one substation of reVX's typical size terminates: a connection of more circuits is
#: priced as that many substations, rounded up, at both ends (assumption, docs/methods.md §4.3).
CIRCUITS_PER_SUBSTATION = 4
CONTINGENCY = 0.20
AFUDC = 0.075
OVERHEAD = 0.10
#: reVX cost region of each ISO/RTO name in the bundle's ``iso_regions`` layer, and whether it
#: is a stand-in (reVX has no costs for PJM or SPP; SCE stands for all of CAISO).
REVX_REGION_BY_ISO = MappingProxyType(
    {
        "MISO": ("MISO", False),
        "PJM": ("MISO", True),
        "SPP": ("MISO", True),
        "southeast-non-iso": ("Southeast", False),
        "west-non-iso": ("TEPPC", False),
        "CAISO": ("SCE", True),
    }
)
#: How many of the nearest qualifying connection points each site lists.
LISTED_POINTS = 3


def line_usd_per_mile(kv: ArrayLike, region: str) -> np.ndarray:
    """reVX base cost of a new line at ``kv`` in ``region`` (2019 US$, no ROW). [$/mi]

    The voltage is mapped to reVX's capacity class (``power_to_voltage``: 230 kV ↔ 400 MW,
    345 kV ↔ 750 MW, 500 kV ↔ 1,500 MW, linear between), and the cost interpolated linearly
    between reVX's classes; 345 kV, absent from reVX costs, falls between the 400 MW and
    1,500 MW classes (docs/methods.md §4.3). NaN outside 69–500 kV.

    References
    ----------
    NREL reVX ``base_line_costs.json`` and ``power_to_voltage.json`` [P].

    Examples
    --------
    >>> round(float(line_usd_per_mile(345.0, "MISO")))
    2042378
    """
    kv = np.asarray(kv, dtype=float)
    levels = sorted(REVX_CAPACITY_MW_BY_KV)
    capacity = np.interp(kv, levels, [REVX_CAPACITY_MW_BY_KV[k] for k in levels])
    costs = REVX_LINE_USD_PER_MILE[region]
    classes = sorted(costs)
    usd = np.interp(capacity, classes, [costs[c] for c in classes])
    return np.where((kv >= levels[0]) & (kv <= levels[-1]), usd, np.nan)


def substation_usd(kv: ArrayLike, costs: Mapping[int, float]) -> np.ndarray:
    """A reVX substation cost at ``kv``, linear in voltage between reVX's 69/138/230/500 kV. [$]

    ``costs`` is one region's table, e.g. ``REVX_NEW_SUBSTATION_USD["MISO"]``; NaN outside
    69–500 kV (reVX lists nothing above 500 kV).

    Examples
    --------
    >>> round(float(substation_usd(345.0, REVX_NEW_SUBSTATION_USD["MISO"])))
    14214815
    """
    kv = np.asarray(kv, dtype=float)
    levels = sorted(costs)
    usd = np.interp(kv, levels, [costs[k] for k in levels])
    return np.where((kv >= levels[0]) & (kv <= levels[-1]), usd, np.nan)


def land_multiplier_range(region: str) -> tuple[float, float]:
    """Low and high reVX route multipliers: open land (1.0), and the region's dearest common land
    class (forest, suburban or urban) on hilly ground (slope > 2 %).

    >>> land_multiplier_range("MISO")
    (1.0, 1.32)
    """
    high = max(REVX_LAND_MULTIPLIERS[region].values()) * REVX_HILL_MULTIPLIER[region]
    return 1.0, round(high, 6)


def transformer_usd_per_mw(tie_kv: float, feature_kv: ArrayLike) -> np.ndarray:
    """reVX cost of transforming from the tie-line voltage to a connected feature's voltage.

    Each voltage takes reVX's class at or below it (so 765 kV uses the 500 kV column: a floor);
    NaN below 69 kV. [$/MW]

    >>> transformer_usd_per_mw(345.0, [500.0, 765.0]).tolist()
    [7860.0, 7860.0]
    """
    levels = sorted(REVX_TRANSFORMER_USD_PER_MW)
    below = [k for k in levels if k <= tie_kv]
    if not below:
        return np.full(np.shape(feature_kv), np.nan)
    row = REVX_TRANSFORMER_USD_PER_MW[below[-1]]
    return class_value(np.asarray(feature_kv, dtype=float), row)


def line_cost_usd(
    route_mi: ArrayLike, circuits: ArrayLike, usd_per_mile: ArrayLike, multiplier: float
) -> np.ndarray:
    """Cost of new circuits: miles × circuits × $/mile × land multiplier × MISO markups. [$]

    Markups: 1 + contingency 0.20 + AFUDC 0.075 + overhead 0.10 = 1.375 (docs/methods.md §9.6).

    >>> float(line_cost_usd(10.0, 2, 1_000_000.0, 1.0))
    27500000.0
    """
    markup = 1.0 + CONTINGENCY + AFUDC + OVERHEAD
    route = np.asarray(route_mi, dtype=float)
    return route * np.asarray(circuits, dtype=float) * usd_per_mile * multiplier * markup


# ---------------------------------------------------------------------------------------------
# candidates and the chosen connection
# ---------------------------------------------------------------------------------------------


#: Columns of a connection feature (a point, or a line to loop in) and of a candidate.
FEATURE_COLUMNS = (
    "kind",
    "connection_id",
    "kv",
    "lines",
    "lowest_kv",
    "loadability_mw",
    "largest_mw",
)
LOOP_IN = "loop-in of a line"


def connection_features(
    network: Network, *, min_kv: float, ratings: Mapping[int, float] = THERMAL_RATING_MVA
) -> gpd.GeoDataFrame:
    """Every connection a campus could make at or above ``min_kv``, once, with its loadability.

    Existing connection points whose highest voltage is at least ``min_kv``: ``lines`` (lines at
    ≥ ``min_kv`` ending there), ``lowest_kv`` (the lowest voltage among them),
    ``loadability_mw`` (their summed loadability) and ``largest_mw`` (the largest of them). And
    a loop-in (cut-in) of each line at or above ``min_kv``: a new switching station gives two
    terminals (two lines at the line's voltage), each carrying the line's loadability; the line
    is assumed to be tied to the network at both ends. ``kind`` says which; geometry is the
    point or the line, in the network's CRS. The per-site candidates
    (:func:`nearby_candidates`) and the per-cell surface (:mod:`siting.models.adequacy`) both
    start from this table, so they judge the same connections the same way.
    """
    points = network.points[network.points["max_kv"].to_numpy(dtype=float) >= min_kv]
    per_point = _point_loadability(network, min_kv=min_kv, ratings=ratings)
    per_point = per_point.reindex(points["point_id"])
    lines = network.lines[network.lines["kv"].to_numpy(dtype=float) >= min_kv]
    capability = loadability_mw(lines["kv"], lines["length_km"] / KM_PER_MILE, ratings)
    frames = [
        pd.DataFrame(
            {
                "kind": points["kind"].to_numpy(),
                "connection_id": points["point_id"].to_numpy(),
                "kv": points["max_kv"].to_numpy(dtype=float),
                "lines": per_point["lines"].to_numpy(),
                "lowest_kv": per_point["lowest_kv"].to_numpy(),
                "loadability_mw": per_point["loadability_mw"].to_numpy(),
                "largest_mw": per_point["largest_mw"].to_numpy(),
                "geometry": points.geometry.to_numpy(),
            }
        ),
        pd.DataFrame(
            {
                "kind": LOOP_IN,
                "connection_id": lines["line_id"].to_numpy(),
                "kv": lines["kv"].to_numpy(dtype=float),
                "lines": 2,
                "lowest_kv": lines["kv"].to_numpy(dtype=float),
                "loadability_mw": 2.0 * capability,
                "largest_mw": capability,
                "geometry": lines.geometry.to_numpy(),
            }
        ),
    ]
    features = pd.concat(frames, ignore_index=True)
    return gpd.GeoDataFrame(features, geometry="geometry", crs=network.lines.crs)


def nearby_candidates(
    sites: gpd.GeoSeries, features: gpd.GeoDataFrame, *, search_radius_km: float
) -> pd.DataFrame:
    """The connection features within the search radius of each site.

    Columns: ``site`` (position in ``sites``), the :data:`FEATURE_COLUMNS` and ``distance_km``
    (from the site's edge).
    """
    site_idx, feature_idx = shapely.STRtree(features.geometry.to_numpy()).query(
        sites.to_numpy(), predicate="dwithin", distance=search_radius_km * 1000.0
    )
    chosen = features.iloc[feature_idx]
    out = pd.DataFrame({"site": site_idx})
    for column in FEATURE_COLUMNS:
        out[column] = chosen[column].to_numpy()
    out["distance_km"] = (
        shapely.distance(sites.to_numpy()[site_idx], chosen.geometry.to_numpy()) / 1000.0
    )
    return out[["site", "kind", "connection_id", "kv", "distance_km", *FEATURE_COLUMNS[3:]]]


def point_candidates(
    sites: gpd.GeoSeries,
    network: Network,
    *,
    min_kv: float,
    search_radius_km: float,
    ratings: Mapping[int, float] = THERMAL_RATING_MVA,
) -> pd.DataFrame:
    """Existing connection points at or above ``min_kv`` within the search radius of each site
    (:func:`connection_features` of the points, :func:`nearby_candidates` columns)."""
    return _candidates_of_kind(sites, network, False, min_kv, search_radius_km, ratings)


def _candidates_of_kind(sites, network, loop_in: bool, min_kv, search_radius_km, ratings):
    """:func:`nearby_candidates` among the loop-ins (``loop_in``) or the points."""
    features = connection_features(network, min_kv=min_kv, ratings=ratings)
    chosen = features[(features["kind"] == LOOP_IN) == loop_in]
    return nearby_candidates(sites, chosen, search_radius_km=search_radius_km)


def _point_loadability(
    network: Network, *, min_kv: float, ratings: Mapping[int, float]
) -> pd.DataFrame:
    """Per point: lines at ≥ ``min_kv`` ending there, their summed and largest loadability."""
    lines = network.lines[network.lines["kv"].to_numpy(dtype=float) >= min_kv]
    capability = pd.Series(
        loadability_mw(lines["kv"], lines["length_km"] / KM_PER_MILE, ratings),
        index=lines["line_id"].to_numpy(),
    )
    capability = capability.groupby(level=0).max()
    ends = network.ends[network.ends["line_id"].isin(capability.index)].copy()
    ends["mw"] = ends["line_id"].map(capability)
    ends["kv"] = ends["line_id"].map(lines.groupby("line_id")["kv"].min())
    grouped = ends.groupby("point_id")
    table = pd.DataFrame({"loadability_mw": grouped["mw"].sum(), "largest_mw": grouped["mw"].max()})
    table = table.reindex(network.points["point_id"])  # no qualifying line found: UNKNOWN
    table["lowest_kv"] = grouped["kv"].min().reindex(table.index).to_numpy()
    table["lines"] = lines_at_kv(network, min_kv).reindex(table.index).to_numpy()
    return table


def loop_in_candidates(
    sites: gpd.GeoSeries,
    network: Network,
    *,
    min_kv: float,
    search_radius_km: float,
    ratings: Mapping[int, float] = THERMAL_RATING_MVA,
) -> pd.DataFrame:
    """A loop-in of each line at or above ``min_kv`` passing within the radius of each site
    (:func:`connection_features` of the lines, :func:`nearby_candidates` columns)."""
    return _candidates_of_kind(sites, network, True, min_kv, search_radius_km, ratings)


def price_candidates(
    candidates: pd.DataFrame,
    *,
    peak_mw: np.ndarray,
    regions: np.ndarray,
    kv: float,
    n_required: int,
    route_factor: float,
    allin_usd_per_mile: float | None = None,
) -> pd.DataFrame:
    """Add adequacy, tie circuits and the cost range to each candidate connection.

    ``peak_mw`` and ``regions`` (reVX region or "" when unknown) are per site, indexed by the
    candidates' ``site``; ``kv`` is the connection voltage the spec requires;
    ``allin_usd_per_mile`` [2019 $ per circuit-mile] raises the high end of the tie line to an
    all-in benchmark where that is dearer (:func:`tie_line_cost_range_usd`).

    New columns: ``firm_mw`` [MW], ``adequate`` (bool), ``needs_transformation`` (bool: no
    line there in the required voltage's class), ``cost_capped`` (bool: equipment above 500 kV
    priced at 500 kV, a floor), ``route_mi`` [mi], ``circuits`` [-], ``cost_usd_low`` and
    ``cost_usd_high`` [2019 $].
    """
    out = candidates.copy()
    out["needs_transformation"] = voltage_class_kv(out["lowest_kv"]) > voltage_class_kv(kv)
    out["cost_capped"] = out["lowest_kv"].to_numpy(dtype=float) > REVX_MAX_KV
    peak = np.asarray(peak_mw, dtype=float)[out["site"].to_numpy()]
    out["peak_mw"] = peak
    out["firm_mw"] = firm_loadability_mw(out["loadability_mw"], out["largest_mw"], n_required)
    out["adequate"] = (out["lines"] >= n_required) & (out["firm_mw"] >= peak)
    out["route_mi"] = route_miles(out["distance_km"], route_factor)
    out["circuits"] = tie_circuits(peak, loadability_mw(kv, out["route_mi"]), n_required)
    out["cost_usd_low"] = np.nan
    out["cost_usd_high"] = np.nan
    site_region = np.asarray(regions, dtype=object)[out["site"].to_numpy()]
    for region in sorted(set(site_region) - {""}):
        rows = site_region == region
        low, high = _cost_range_usd(
            out[rows], kv=kv, region=region, allin_usd_per_mile=allin_usd_per_mile
        )
        out.loc[rows, "cost_usd_low"] = low
        out.loc[rows, "cost_usd_high"] = high
    return out


def _cost_range_usd(
    candidates: pd.DataFrame, *, kv: float, region: str, allin_usd_per_mile: float | None
):
    """Low and high cost of each candidate connection in one region [2019 $]."""
    fixed_low, fixed_high = fixed_cost_range_usd(
        (candidates["kind"] == LOOP_IN).to_numpy(),
        candidates["lowest_kv"].to_numpy(dtype=float),
        candidates["needs_transformation"].to_numpy(dtype=bool),
        candidates["peak_mw"].to_numpy(dtype=float),
        kv=kv,
        region=region,
        circuits=candidates["circuits"].to_numpy(dtype=float),
    )
    line_low, line_high = tie_line_cost_range_usd(
        candidates["route_mi"],
        candidates["circuits"],
        kv=kv,
        region=region,
        allin_usd_per_mile=allin_usd_per_mile,
    )
    return line_low + fixed_low, line_high + fixed_high


def fixed_cost_range_usd(
    loop_in: ArrayLike,
    lowest_kv: ArrayLike,
    needs_transformation: ArrayLike,
    peak_mw: ArrayLike,
    *,
    kv: float,
    region: str,
    circuits: ArrayLike | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Substations and transformers of a connection, low and high, in one region [2019 $].

    A new campus substation at the required voltage, plus at the far end (at the voltage of
    the lines connected into, capped at reVX's 500 kV): for an existing point a substation
    upgrade (low) or a new substation, i.e. an expansion of the yard (high); for a loop-in a new
    switching station (low), plus an upgrade of the substations at both ends of the cut line,
    whose protection and metering change (high; assumption); and a transformer at reVX $/MW ×
    peak where the far-end voltage is above the required class (docs/methods.md §4.3). A
    connection of more than :data:`CIRCUITS_PER_SUBSTATION` tie ``circuits`` needs that many
    substations' worth of bays, rounded up, at both ends (assumption).

    Examples
    --------
    A 345 kV point upgrade (low) or expansion (high), MISO, no transformer:

    >>> low, high = fixed_cost_range_usd([False], [345.0], [False], [1200.0], kv=345.0,
    ...                                  region="MISO")
    >>> round(float(low[0]) / 1e6, 2), round(float(high[0]) / 1e6, 2)
    (17.74, 28.43)

    The same with 8 circuits (a 6 GW campus): two substations' worth at each end.

    >>> low, high = fixed_cost_range_usd([False], [345.0], [False], [6000.0], kv=345.0,
    ...                                  region="MISO", circuits=[8])
    >>> round(float(low[0]) / 1e6, 2), round(float(high[0]) / 1e6, 2)
    (35.47, 56.86)
    """
    t = _fixed_terms(loop_in, lowest_kv, needs_transformation, peak_mw, kv, region, circuits)
    high = (t.campus + t.far_new + np.where(t.loop, 2.0 * t.far_upgrade, 0.0)) * t.yards
    return t.low(), high + t.transform


def fixed_cost_low_usd(
    loop_in: ArrayLike,
    lowest_kv: ArrayLike,
    needs_transformation: ArrayLike,
    peak_mw: ArrayLike,
    *,
    kv: float,
    region: str,
    circuits: ArrayLike | None = None,
) -> np.ndarray:
    """The low end of :func:`fixed_cost_range_usd`, the same numbers without the high end. [$]

    The per-cell surface (:mod:`siting.models.adequacy`) prices millions of cells at the low end
    only; leaving out the high end halves its work.

    >>> low = fixed_cost_low_usd([False], [345.0], [False], [1200.0], kv=345.0, region="MISO")
    >>> round(float(low[0]) / 1e6, 2)
    17.74
    """
    return _fixed_terms(
        loop_in, lowest_kv, needs_transformation, peak_mw, kv, region, circuits
    ).low()


@dataclass(frozen=True)
class _FixedTerms:
    """The parts of a connection's fixed cost [2019 $]: the campus substation, a new far-end
    substation, a far-end upgrade, the transformer, and the substations' worth of bays
    (``yards``) for ``loop`` (loop-in) or existing-point connections."""

    campus: np.ndarray
    far_new: np.ndarray
    far_upgrade: np.ndarray
    transform: np.ndarray
    yards: np.ndarray
    loop: np.ndarray

    def low(self) -> np.ndarray:
        """The low end: a point upgrade, or a new switching station for a loop-in. [2019 $]"""
        far = np.where(self.loop, self.far_new, self.far_upgrade)
        return (self.campus + far) * self.yards + self.transform


def _fixed_terms(loop_in, lowest_kv, needs_transformation, peak_mw, kv, region, circuits):
    """:class:`_FixedTerms` of connections, the far end at its lowest voltage capped at reVX's
    500 kV (the required voltage where unknown)."""
    far_kv = np.asarray(lowest_kv, dtype=float)
    far_kv = np.where(np.isfinite(far_kv), np.fmin(far_kv, REVX_MAX_KV), kv)
    transform = np.where(
        np.asarray(needs_transformation, dtype=bool),
        transformer_usd_per_mw(kv, far_kv) * np.asarray(peak_mw, dtype=float),
        0.0,
    )
    return _FixedTerms(
        campus=substation_usd(kv, REVX_NEW_SUBSTATION_USD[region]),
        far_new=substation_usd(far_kv, REVX_NEW_SUBSTATION_USD[region]),
        far_upgrade=substation_usd(far_kv, REVX_UPGRADE_SUBSTATION_USD[region]),
        transform=transform,
        yards=substations_for(circuits, like=far_kv),
        loop=np.asarray(loop_in, dtype=bool),
    )


def substations_for(circuits: ArrayLike | None, *, like: np.ndarray) -> np.ndarray:
    """Substations' worth of bays a connection of ``circuits`` tie circuits needs at each end.

    >>> substations_for([2, 4, 5, 8, np.nan], like=np.zeros(5)).tolist()
    [1.0, 1.0, 2.0, 2.0, 1.0]
    """
    if circuits is None:
        return np.ones_like(like, dtype=float)
    n = np.asarray(circuits, dtype=float)
    return np.where(np.isfinite(n), np.maximum(1.0, np.ceil(n / CIRCUITS_PER_SUBSTATION)), 1.0)


def tie_line_cost_range_usd(
    route_mi: ArrayLike,
    circuits: ArrayLike,
    *,
    kv: float,
    region: str,
    allin_usd_per_mile: float | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The new circuits from the site to the connection, low and high, in one region [2019 $].

    Low: reVX $/mile on open land; high: the region's dearest common land class on hilly
    ground, or ``allin_usd_per_mile`` (an all-in benchmark per circuit-mile that includes
    network work, in 2019 $) where that is dearer (docs/methods.md §4.3).

    >>> low, high = tie_line_cost_range_usd([10.0], [2], kv=345.0, region="MISO")
    >>> round(float(low[0]) / 1e6, 1), round(float(high[0]) / 1e6, 1)
    (56.2, 74.1)
    """
    per_mile = line_usd_per_mile(kv, region)
    low = tie_line_cost_low_usd(route_mi, circuits, kv=kv, region=region)
    high = line_cost_usd(route_mi, circuits, per_mile, land_multiplier_range(region)[1])
    if allin_usd_per_mile is not None:
        allin = np.asarray(route_mi, dtype=float) * np.asarray(circuits, dtype=float)
        high = np.fmax(high, allin * allin_usd_per_mile)
    return low, high


def tie_line_cost_low_usd(
    route_mi: ArrayLike, circuits: ArrayLike, *, kv: float, region: str
) -> np.ndarray:
    """The low end of :func:`tie_line_cost_range_usd`: reVX $/mile on open land. [2019 $]

    >>> round(float(tie_line_cost_low_usd([10.0], [2], kv=345.0, region="MISO")[0]) / 1e6, 1)
    56.2
    """
    per_mile = line_usd_per_mile(kv, region)
    return line_cost_usd(route_mi, circuits, per_mile, land_multiplier_range(region)[0])


def choose_connections(priced: pd.DataFrame, n_sites: int) -> pd.DataFrame:
    """Each site's connection: the cheapest adequate candidate, else the cheapest (or nearest).

    Returns one row per site position (0..n_sites-1); a site without candidates has NaNs.
    """
    order = priced.assign(inadequate=~priced["adequate"].astype(bool)).sort_values(
        ["site", "inadequate", "cost_usd_low", "distance_km", "connection_id"],
        na_position="last",
        kind="stable",
    )
    best = order.drop_duplicates("site").set_index("site").drop(columns="inadequate")
    return best.reindex(range(n_sites))


def nearest_points_text(candidates: pd.DataFrame, n_sites: int, *, kv: float) -> list[str]:
    """The nearest ``LISTED_POINTS`` qualifying points of each site, as readable text."""
    near = candidates.sort_values(["site", "distance_km", "connection_id"], kind="stable")
    near = near.groupby("site").head(LISTED_POINTS)
    text = (
        near["connection_id"]
        + " ("
        + near["kv"].map(lambda v: f"{v:g} kV")
        + ", "
        + near["lines"].map(lambda n: f"{int(n)} line{'s' if n != 1 else ''}")
        + f" ≥{kv:g} kV, "
        + near["distance_km"].map(lambda d: f"{d:.1f} km")
        + ")"
    )
    joined = text.groupby(near["site"]).agg("; ".join)
    return [joined.get(i, "UNKNOWN: none within the search radius") for i in range(n_sites)]


def nearby_generation(
    sites: gpd.GeoSeries, plants: gpd.GeoDataFrame, *, radius_km: float
) -> tuple[np.ndarray, list[str]]:
    """Net summer generating capacity within ``radius_km`` of each site: total and by source.

    Parameters
    ----------
    sites : geopandas.GeoSeries
        Site polygons in a projected CRS [m].
    plants : geopandas.GeoDataFrame
        Plants with ``capacity_mw_<fuel>`` columns [MW] (see layers.grid_capacity), any CRS.
    radius_km : float
        Distance from the site's edge. [km]

    Returns
    -------
    total_mw : numpy.ndarray
        Capacity of all sources. [MW]
    by_fuel : list of str
        "natural gas 1,234 MW; coal 800 MW; …", largest first.
    """
    plants = plants.to_crs(sites.crs)
    fuels = [c for c in plants.columns if c.startswith("capacity_mw_")]
    site_idx, plant_idx = shapely.STRtree(plants.geometry.to_numpy()).query(
        sites.to_numpy(), predicate="dwithin", distance=radius_km * 1000.0
    )
    mw = plants[fuels].iloc[plant_idx].groupby(site_idx).sum()
    mw = mw.reindex(range(len(sites)), fill_value=0.0)
    total = mw.sum(axis=1).to_numpy()
    text = []
    for _, row in mw.iterrows():
        parts = row[row > 0].sort_values(ascending=False)
        names = [c.removeprefix("capacity_mw_").replace("_", " ") for c in parts.index]
        text.append("; ".join(f"{n} {v:,.0f} MW" for n, v in zip(names, parts, strict=True)))
    return total, [t or "none" for t in text]


def site_regions(sites: gpd.GeoSeries, isos: gpd.GeoDataFrame, *, override: str) -> pd.DataFrame:
    """ISO/RTO of each site (by overlap area, largest first) and its reVX cost region.

    Columns: ``iso_region`` ("PJM;MISO", or "UNKNOWN"), ``cost_region`` (reVX region, "" if
    unknown) and ``cost_region_proxy`` (the region's costs stand in for the site's ISO).
    ``override`` (a reVX region, or "auto") replaces the cost region of every site.
    """
    isos = isos.to_crs(sites.crs)
    site_idx, iso_idx = shapely.STRtree(isos.geometry.to_numpy()).query(
        sites.to_numpy(), predicate="intersects"
    )
    overlap = pd.DataFrame(
        {
            "site": site_idx,
            "iso": isos["iso"].to_numpy()[iso_idx],
            "area": shapely.area(
                shapely.intersection(sites.to_numpy()[site_idx], isos.geometry.to_numpy()[iso_idx])
            ),
        }
    ).sort_values(["site", "area", "iso"], ascending=[True, False, True])
    names = overlap.groupby("site")["iso"].agg(";".join).reindex(range(len(sites)))
    first = overlap.drop_duplicates("site").set_index("site")["iso"].reindex(range(len(sites)))
    mapped = [REVX_REGION_BY_ISO.get(iso, ("", False)) for iso in first.fillna("")]
    table = pd.DataFrame(
        {
            "iso_region": names.fillna("UNKNOWN").to_numpy(),
            "cost_region": [m[0] for m in mapped],
            "cost_region_proxy": [m[1] for m in mapped],
        }
    )
    if override != "auto":
        table["cost_region"] = override
        table["cost_region_proxy"] = False
    return table
