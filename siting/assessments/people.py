"""People and homes near each site, how far they live from it, and how vulnerable they are.

Counts come from the 2020 Census PL 94-171 tract counts, spread uniformly over each tract and
apportioned to circles around the site's edge by area (siting.models.apportion,
docs/methods.md §6.2): people and housing units within each distance of ``[impacts]``
(``buffers_mi``, ``buffers_km``; footprint included), homes inside the footprint and within
``setback_m`` of its edge, people in distance rings and the median distance of the people
within 10 km. A circle that the tracts on file do not fully cover (it crosses the state line)
gets an UNKNOWN count, never the partial one, which would flatter the site; the covered part is
reported as a lower bound (``*_at_least``).

Vulnerability is that of the people within 3 miles: the population-weighted mean of their
tracts' SVI 2018 national and state percentiles and deprivation-index percentile, and whether
any of those tracts meets the CEJST-style test (siting.models.tracts, docs/methods.md §6.1).
UNKNOWN when any tract with people in the circle has no value, or the circle is not fully
covered.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from siting.assessments.base import Assessment, SiteContext, SiteModel
from siting.models.apportion import FULL_COVERAGE, apportion, intersections

METRES_PER_MILE = 1609.344
#: Distances of the people and homes counts from the site's edge [mi] and [km] (EJScreen's
#: buffer report uses 1, 3 and 5 miles).
BUFFERS_MI = (1.0, 3.0, 5.0)
BUFFERS_KM = (1.0, 3.0, 10.0)
#: Distances of the people-in-rings summary and the median distance, from the edge [km].
RING_EDGES_KM = (0.0, 1.0, 3.0, 5.0, 10.0)
#: Steps of the cumulative curve behind the median distance [km].
CURVE_KM = tuple(np.round(np.arange(0.0, 10.0 + 1e-9, 0.25), 2))
#: Radius of the circle whose tracts are "affected" for the vulnerability summary [mi].
AFFECTED_MI = 3.0
#: Radius of the cumulative view [km].
SHARED_KM = 10.0
#: Buffer polygons: segments per quarter circle (area within 0.01 % of a true circle).
QUAD_SEGS = 32
#: Threads that grow the buffers (GEOS runs without the GIL).
THREADS = max(1, min(os.cpu_count() or 1, 8))
SOURCE = "2020 Census PL 94-171 tracts, apportioned by area (docs/methods.md §6.2)"


def _label(distance: float, unit: str) -> str:
    return f"{distance:g}{unit}".replace(".", "_")


def units_for(buffers_mi, buffers_km) -> dict[str, str]:
    """The columns of the model for the spec's buffer distances, with their units."""
    units: dict[str, str] = {}
    for d, unit in [(d, "mi") for d in buffers_mi] + [(d, "km") for d in buffers_km]:
        name = _label(d, unit)
        units[f"population_{name}"] = (
            f"people within {d:g} {unit} of the site's edge, footprint included ({SOURCE}; "
            "UNKNOWN where the tracts cover < 99.5 % of the circle)"
        )
        units[f"housing_units_{name}"] = f"housing units within {d:g} {unit} of the edge ({SOURCE})"
        units[f"population_{name}_at_least"] = (
            f"people within {d:g} {unit} in the part of the circle the tracts cover: a LOWER "
            "BOUND where the circle crosses their edge"
        )
    units |= {
        "tract_coverage_10km": "fraction (0-1) of the 10 km circle covered by the tracts on file",
        "homes_in_site": f"housing units inside the site's footprint ({SOURCE})",
        "homes_in_setback": (
            f"housing units outside the footprint within [impacts] setback_m of its edge ({SOURCE})"
        ),
        **{
            f"population_ring_{_ring(a, b)}km": f"people {a:g}–{b:g} km from the edge ({SOURCE})"
            for a, b in itertools.pairwise(RING_EDGES_KM)
        },
        "population_median_distance_km": (
            "km from the edge within which half of the people within 10 km live (modelled)"
        ),
        "svi_pctile": (
            "percentile (0-1, national): population-weighted mean CDC SVI 2018 of the people "
            "within 3 mi (docs/methods.md §6.1)"
        ),
        "svi_pctile_state": "percentile (0-1, within the state): the same, state ranks",
        "svi_ratio_state": (
            "ratio: svi_pctile / the population-weighted mean of the state's tracts"
        ),
        "svi_ratio_us": "ratio: svi_pctile / 0.5, the tract-weighted national mean percentile",
        "dep_index_pctile": (
            "percentile (0-1, national): population-weighted deprivation index 2023 percentile "
            "of the people within 3 mi"
        ),
        "cejst_style_any": (
            "flag (1 any tract within 3 mi meets the CEJST-style test, 0 none, blank UNKNOWN)"
        ),
        "affected_tracts": "tracts with people within 3 mi of the edge",
        "population_10km_shared": (
            "people within 10 km of this site who are also within 10 km of another ranked site"
        ),
    }
    return units


def _ring(a: float, b: float) -> str:
    return f"{a:g}_{b:g}"


def buffers(sites: gpd.GeoSeries, distance_m: float) -> gpd.GeoSeries:
    """Each site's polygon grown by ``distance_m`` (the footprint included). [CRS units]"""
    if distance_m == 0:
        return sites
    return sites.buffer(distance_m, quad_segs=QUAD_SEGS)


def counts_within(
    tracts, sites: gpd.GeoSeries, distance_m: float, extent: shapely.Geometry | None = None
) -> pd.DataFrame:
    """People, housing units and coverage within ``distance_m`` of each site's edge.

    ``extent`` is the tracts' :func:`~siting.models.apportion.tract_extent` (computed when not
    given).
    """
    return apportion(tracts, buffers(sites, distance_m), extent=extent)


def buffers_at(sites: gpd.GeoSeries, distances_m: Sequence[float]) -> dict[float, gpd.GeoSeries]:
    """:func:`buffers` of the sites at each distance, each distinct distance built once. [m]

    GEOS releases the GIL while it buffers, so the distances are grown on :data:`THREADS`
    threads; each polygon is the one :func:`buffers` gives for its distance.
    """
    distinct = list(dict.fromkeys(float(d) for d in distances_m))
    with ThreadPoolExecutor(min(THREADS, len(distinct) or 1)) as pool:
        grown = pool.map(lambda d: buffers(sites, d), distinct)
        return dict(zip(distinct, grown, strict=True))


def counts_at(
    tracts, zones: Mapping[float, gpd.GeoSeries], extent: shapely.Geometry | None = None
) -> dict[float, pd.DataFrame]:
    """:func:`counts_within` of every set of zones from one call to ``apportion``.

    Each zone's pieces and sums are those of its own call (a zone's pairs with the tracts and
    its group sum do not depend on the other zones), for one tree query and one group-by.
    """
    sets = list(zones.values())
    stacked = gpd.GeoSeries(np.concatenate([z.to_numpy() for z in sets]), crs=sets[0].crs)
    counts = apportion(tracts, stacked, extent=extent)
    starts = np.cumsum([0] + [len(z) for z in sets])[:-1]
    return {
        key: counts.iloc[start : start + len(z)].set_axis(z.index)
        for key, z, start in zip(zones, sets, starts, strict=True)
    }


def known_where_covered(counts: pd.DataFrame, column: str) -> pd.Series:
    """The count where the tracts cover the circle, else NaN (UNKNOWN)."""
    return counts[column].where(counts["coverage"] >= FULL_COVERAGE)


def median_distance_km(curve: np.ndarray) -> np.ndarray:
    """Distance within which half the people of the last step live, by linear interpolation.

    ``curve`` holds cumulative people at :data:`CURVE_KM` (rows: sites). [km]

    >>> median_distance_km(np.array([[0.0] + [100.0] * 40]))
    array([0.125])
    """
    out = np.full(len(curve), np.nan)
    for i, row in enumerate(curve):
        total = row[-1]
        if not np.isfinite(total) or total <= 0:
            continue
        out[i] = float(np.interp(total / 2.0, row, CURVE_KM))
    return out


def ring_columns(curve: np.ndarray, index: pd.Index) -> dict[str, pd.Series]:
    """People in the rings of :data:`RING_EDGES_KM` and the median distance, from the
    cumulative people at :data:`CURVE_KM` (rows: sites). [persons], [km]"""
    at = {km: curve[:, i] for i, km in enumerate(CURVE_KM)}
    columns = {}
    for a, b in itertools.pairwise(RING_EDGES_KM):
        low = 0.0 if a == 0 else at[a]
        columns[f"population_ring_{_ring(a, b)}km"] = pd.Series(at[b] - low, index=index)
    columns["population_median_distance_km"] = pd.Series(median_distance_km(curve), index=index)
    return columns


def vulnerability(
    tracts: gpd.GeoDataFrame,
    indicators: pd.DataFrame,
    sites: gpd.GeoSeries,
    extent: shapely.Geometry | None = None,
    *,
    zones: gpd.GeoSeries | None = None,
) -> pd.DataFrame:
    """Population-weighted tract percentiles of the people within 3 miles of each site.

    ``zones`` are the sites' 3-mile :func:`buffers` when already built.
    """
    if zones is None:
        zones = buffers(sites, AFFECTED_MI * METRES_PER_MILE)
    pieces = intersections(tracts, zones)
    people = pieces["share_of_tract"].to_numpy() * tracts["population"].to_numpy()[pieces["tract"]]
    with_people = people > 0
    geoids = tracts["geoid"].astype(str).to_numpy()[pieces["tract"]][with_people]
    values = indicators.reindex(geoids)
    pieces = pieces.assign(people=people).loc[with_people].reset_index(drop=True)
    coverage = apportion(tracts, zones, extent=extent)["coverage"].to_numpy()
    state_mean = state_means(tracts, indicators)
    out = pd.DataFrame(index=range(len(sites)), dtype="float64")
    for column, name in (
        ("svi2018_pct_us", "svi_pctile"),
        ("svi2018_pct_state", "svi_pctile_state"),
        ("dep_index_pct_us", "dep_index_pctile"),
    ):
        out[name] = weighted_means(pieces, values[column].to_numpy(), len(sites))
    out.loc[coverage < FULL_COVERAGE, :] = np.nan
    states = pd.Series(geoids).str[:2]
    out["svi_ratio_state"] = out["svi_pctile"] / _site_state_means(
        pieces, states, state_mean, sites
    )
    out["svi_ratio_us"] = out["svi_pctile"] / 0.5
    flags = values["cejst_style_disadvantaged"].to_numpy(dtype=np.float64)
    out["cejst_style_any"] = any_flag(pieces["zone"].to_numpy(), flags, len(sites))
    out.loc[coverage < FULL_COVERAGE, "cejst_style_any"] = out["cejst_style_any"].where(
        out["cejst_style_any"] == 1.0
    )
    out["affected_tracts"] = np.bincount(pieces["zone"].to_numpy(), minlength=len(sites))
    out.index = sites.index
    return out


def weighted_means(pieces: pd.DataFrame, values: np.ndarray, n: int) -> np.ndarray:
    """Per zone, Σ people × value / Σ people; NaN where any piece with people has no value."""
    zone = pieces["zone"].to_numpy()
    people = pieces["people"].to_numpy()
    unknown = np.bincount(zone, weights=np.isnan(values).astype(float), minlength=n) > 0
    total = np.bincount(zone, weights=people, minlength=n)
    weighted = np.bincount(zone, weights=people * np.nan_to_num(values), minlength=n)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = weighted / total
    return np.where(unknown | (total <= 0), np.nan, mean)


def any_flag(zone: np.ndarray, flags: np.ndarray, n: int) -> np.ndarray:
    """1 where any piece is flagged, 0 where all are known and unflagged, else NaN."""
    flagged = np.bincount(zone, weights=(flags == 1.0).astype(float), minlength=n) > 0
    unknown = np.bincount(zone, weights=np.isnan(flags).astype(float), minlength=n) > 0
    present = np.bincount(zone, minlength=n) > 0
    return np.where(flagged, 1.0, np.where(unknown | ~present, np.nan, 0.0))


def state_means(tracts: gpd.GeoDataFrame, indicators: pd.DataFrame) -> pd.Series:
    """Population-weighted mean national SVI percentile of each state's tracts (by FIPS)."""
    frame = pd.DataFrame(
        {
            "state": tracts["geoid"].astype(str).str[:2].to_numpy(),
            "people": tracts["population"].to_numpy(dtype=np.float64),
            "svi": indicators["svi2018_pct_us"].reindex(tracts["geoid"].astype(str)).to_numpy(),
        }
    ).dropna()
    frame["weighted"] = frame["people"] * frame["svi"]
    sums = frame.groupby("state")[["weighted", "people"]].sum()
    return sums["weighted"] / sums["people"]


def _site_state_means(pieces, states: pd.Series, state_mean: pd.Series, sites) -> np.ndarray:
    """The state mean of the state holding most of each site's nearby people."""
    frame = pd.DataFrame(
        {"zone": pieces["zone"].to_numpy(), "state": states.to_numpy(), "people": pieces["people"]}
    )
    main = frame.groupby(["zone", "state"])["people"].sum().reset_index()
    main = main.sort_values(["zone", "people"], ascending=[True, False]).drop_duplicates("zone")
    by_zone = main.set_index("zone")["state"].map(state_mean)
    return by_zone.reindex(range(len(sites))).to_numpy(dtype=np.float64)


def assess(sites: gpd.GeoDataFrame, context: SiteContext) -> Assessment:
    """People and homes within the spec's distances, rings, setback, vulnerability, overlap."""
    setback_m = context.inputs.spec.impacts.setback_m
    tracts = context.inputs.tracts
    geoms = sites.geometry
    extent = context.tracts_extent()
    buffers_m = [(d, "mi", d * METRES_PER_MILE) for d in BUFFERS_MI] + [
        (d, "km", d * 1000.0) for d in BUFFERS_KM
    ]
    curve_m = [km * 1000.0 for km in CURVE_KM]
    affected_m, shared_m = AFFECTED_MI * METRES_PER_MILE, SHARED_KM * 1000.0
    distances = [m for _, _, m in buffers_m] + [affected_m, shared_m, 0.0, setback_m, *curve_m]
    zones = buffers_at(geoms, distances)
    counts = counts_at(tracts, zones, extent)
    columns: dict[str, pd.Series] = {}
    for d, unit, metres in buffers_m:
        name = _label(d, unit)
        columns[f"population_{name}"] = known_where_covered(counts[metres], "population")
        columns[f"housing_units_{name}"] = known_where_covered(counts[metres], "housing_units")
        columns[f"population_{name}_at_least"] = counts[metres]["population"]
    columns["tract_coverage_10km"] = counts[shared_m]["coverage"]
    columns["homes_in_site"] = known_where_covered(counts[0.0], "housing_units")
    columns["homes_in_setback"] = (
        known_where_covered(counts[setback_m], "housing_units") - columns["homes_in_site"]
    )
    curve = np.column_stack([known_where_covered(counts[m], "population") for m in curve_m])
    columns |= ring_columns(curve, sites.index)
    vulnerable = vulnerability(
        tracts,
        context.inputs.tract_indicators,
        geoms,
        extent,
        zones=zones[affected_m],
    )
    for c in vulnerable.columns:
        columns[c] = vulnerable[c]
    shared, union_note = shared_people(tracts, geoms, extent, circles=zones[shared_m])
    columns["population_10km_shared"] = shared
    units = dict(UNITS)
    frame = pd.DataFrame(columns, index=sites.index)[list(units)]
    cejst = context.inputs.tract_indicators.get("cejst_source")
    proxy = ("cejst_style_any",) if cejst is None or (cejst == "proxy").any() else ()
    return Assessment(
        name="people and homes nearby",
        columns=frame,
        units=units,
        notes=(*NOTES, union_note, join_note(context.inputs.tract_indicators)),
        proxy_columns=proxy,
    )


def shared_people(
    tracts,
    sites: gpd.GeoSeries,
    extent: shapely.Geometry | None = None,
    *,
    circles: gpd.GeoSeries | None = None,
) -> tuple[pd.Series, str]:
    """People within 10 km of each site also within 10 km of another, and the union's total.

    ``circles`` are the sites' 10 km :func:`buffers` when already built.
    """
    if circles is None:
        circles = buffers(sites, SHARED_KM * 1000.0)
    circles = circles.reset_index(drop=True)
    others = gpd.GeoSeries(
        [
            shapely.intersection(circles[i], shapely.union_all(circles.drop(index=i).to_numpy()))
            if len(circles) > 1
            else shapely.Polygon()
            for i in range(len(circles))
        ],
        crs=circles.crs,
    )
    shared = apportion(tracts, others, extent=extent)
    value = shared["population"].where(shared["coverage"] >= FULL_COVERAGE)
    value = value.where(~others.is_empty, 0.0)
    union = apportion(
        tracts,
        gpd.GeoSeries([shapely.union_all(circles.to_numpy())], crs=circles.crs),
        extent=extent,
    )
    total, coverage = float(union["population"].iloc[0]), float(union["coverage"].iloc[0])
    if coverage >= FULL_COVERAGE:
        note = (
            f"Cumulative view: {total:,.0f} people live within 10 km of at least one ranked "
            "site, each counted once (union of the circles)."
        )
    else:
        note = (
            f"Cumulative view: at least {total:,.0f} people live within 10 km of at least one "
            f"ranked site, each counted once; the tracts on file cover {coverage:.1%} of the "
            "circles, so the full count is UNKNOWN."
        )
    return pd.Series(value.to_numpy(), index=sites.index), note


def join_note(indicators: pd.DataFrame) -> str:
    """How the tract vulnerability data were joined, for the notes."""
    counts = indicators.attrs.get("join_counts", {})
    if not counts:
        return "Tract vulnerability data: none in this run (UNKNOWN)."
    return (
        f"Tract vulnerability data: {counts.get('joined', 0)} of {counts.get('tracts', 0)} 2020 "
        f"tracts carry the 2010-tract SVI 2018 ({counts.get('identity', 0)} same tract, "
        f"{counts.get('lineage', 0)} by tract-number lineage, {counts.get('area', 0)} by area, "
        f"{counts.get('none', 0)} none: UNKNOWN) (docs/methods.md §6.1)."
    )


NOTES = (
    "People and homes: 2020 Census PL 94-171 tract counts spread uniformly over each tract "
    "polygon and apportioned by area to circles around the site's edge (footprint included); "
    "a circle the tracts cover less than 99.5 % of is UNKNOWN, with the covered part as a "
    "lower bound (docs/methods.md §6.2).",
    "Homes in the setback: housing units outside the footprint within [impacts] setback_m of "
    "its edge; the uniform-density assumption spreads a tract's homes evenly, so a site beside "
    "a subdivision may hold more, one in open farmland fewer.",
    "Vulnerability: population-weighted CDC SVI 2018 and deprivation-index percentiles of the "
    "people within 3 miles; the CEJST-style test is a proxy built on the bundled poverty and "
    "pollution percentiles unless an official CEJST file is configured (docs/methods.md §6.1).",
)

UNITS = units_for(BUFFERS_MI, BUFFERS_KM)

MODEL = SiteModel(
    name="people",
    units=UNITS,
    reads=("tracts", "tract_community_2020", "tract_community_2010"),
    assess=assess,
)
