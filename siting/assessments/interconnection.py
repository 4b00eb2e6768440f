"""Interconnection: can a site connect its peak demand to the bulk grid, how far, at what cost.

For each site, the candidate connections of :mod:`siting.models.connection` (existing
connection points and loop-ins of passing lines at the spec's voltage), their loadability
(:mod:`siting.models.transmission`), the tie line and its reVX cost range, the chosen
connection, and the generation nearby (docs/methods.md §4).
"""

from __future__ import annotations

from types import MappingProxyType

import geopandas as gpd
import numpy as np
import pandas as pd

from siting.assessments.base import Assessment, SiteContext, SiteModel
from siting.models.adequacy import NEED_TEXT, NETWORK_UPGRADE, NEW_LINE, SUBSTATION_ONLY
from siting.models.connection import (
    ALLIN_COST_YEAR,
    ALLIN_USD_PER_LINE_MILE,
    LOOP_IN,
    REVX_COST_YEAR,
    USD_PER_MUSD,
    choose_connections,
    connection_features,
    nearby_candidates,
    nearby_generation,
    nearest_points_text,
    price_candidates,
    site_regions,
)
from siting.models.costs import escalation_factor

COST_UNITS = "M$ (US$ of the spec's cost_year; NREL reVX 2019 US$ × CPI-U)"
COST_COLUMNS = ("interconnect_cost_musd_low", "interconnect_cost_musd_high")
UNITS = MappingProxyType(
    {
        "interconnect_peak_mw": "MW (site peak grid demand used)",
        "interconnect_peak_basis": "(text: where the peak comes from)",
        "lines_at_required_kv": "lines (at the nearest qualifying connection point)",
        "nearest_connection_points": "(text: id, highest kV, lines at ≥ required kV, km)",
        "connection_kind": "(text)",
        "connection_id": "(text: point_id, or line_id for a loop-in)",
        "connection_kv": "kV (highest voltage at the chosen connection)",
        "connection_distance_km": "km (straight line from the site's edge)",
        "connection_lines_at_required_kv": "lines",
        "connection_loadability_mw": "MW (sum of line loadability, SIL × St Clair or thermal)",
        "connection_firm_mw": "MW (loadability with the largest line out, N−1)",
        "peak_fits_connection": "(yes/no: firm loadability ≥ peak demand)",
        "connection_adequate": "(yes/no: ≥ n_hv_lines lines and the peak fits)",
        "connection_need": "(text: substation only, new line, or new line plus network upgrades)",
        "connection_reason": "(text: why the connection was chosen, or why none is adequate)",
        "adequate_at_low_rating": "(yes/no: an adequate connection within the search radius at "
        "the low line ratings)",
        "adequate_at_high_rating": "(yes/no: the same at the high line ratings)",
        "adequacy_hinges_on_rating": "(yes/no: the two ratings disagree)",
        "needs_transformation": "(yes/no: connection above the required voltage's class)",
        "cost_capped_at_500kv": "(yes/no: equipment above 500 kV priced at 500 kV, a floor)",
        "needs_new_line": "(yes/no; no = a substation at an adequate connection suffices)",
        "new_line_route_mi": "mi (straight line × route factor)",
        "new_circuits": "circuits (at the required voltage)",
        "interconnect_cost_musd_low": COST_UNITS,
        "interconnect_cost_musd_high": COST_UNITS,
        "iso_region": "(text: ISO/RTO by overlap, largest first)",
        "cost_region": "(text: reVX cost region)",
        "nearby_generation_mw": "MW (net summer capacity, EIA-860M Nov 2023)",
        "nearby_generation_by_fuel": "(text: MW by energy source)",
    }
)


def site_peak_mw(sites: pd.DataFrame, spec_peak_mw: float) -> tuple[np.ndarray, list[str]]:
    """Peak demand per site: the site's ``peak_demand_mw`` where known, else the spec's. [MW]

    >>> site_peak_mw(pd.DataFrame({"peak_demand_mw": [1250.0, np.nan]}), 1300.0)[0].tolist()
    [1250.0, 1300.0]
    """
    spec_basis = "spec: IT capacity × design PUE (facility_peak_mw)"
    if "peak_demand_mw" not in sites.columns:
        return np.full(len(sites), spec_peak_mw), [spec_basis] * len(sites)
    site = pd.to_numeric(sites["peak_demand_mw"], errors="coerce").to_numpy(dtype=float)
    known = np.isfinite(site)
    basis = ["site climate model (peak_demand_mw)" if k else spec_basis for k in known]
    return np.where(known, site, spec_peak_mw), basis


def line_ratings(params) -> dict[str, dict[int, float]]:
    """The spec's thermal rating of one circuit per voltage class at its low and high end. [MVA]

    >>> from siting.spec import load_spec
    >>> line_ratings(load_spec().interconnection)["high"][345]
    1800.0
    """
    return {
        end: {kv: pair[i] for kv, pair in params.line_ratings_mva.items()}
        for i, end in enumerate(("low", "high"))
    }


def assess(sites: gpd.GeoDataFrame, context: SiteContext) -> Assessment:
    """Per-site interconnection estimate: connection, loadability, new line, cost, generation."""
    inputs = context.inputs
    spec, params = inputs.spec, inputs.spec.interconnection
    kv, n_required = spec.interconnection_voltage_kv, spec.n_hv_lines
    geoms = sites.geometry.reset_index(drop=True)
    network = inputs.network
    peak, basis = site_peak_mw(sites, spec.facility_peak_mw)
    regions = site_regions(geoms, inputs.iso_regions, override=params.cost_region)
    escalation = escalation_factor(REVX_COST_YEAR, params.cost_year, inputs.cost_index)
    allin_2019 = ALLIN_USD_PER_LINE_MILE / escalation_factor(
        REVX_COST_YEAR, ALLIN_COST_YEAR, inputs.cost_index
    )
    priced = {}
    for end, ratings in line_ratings(params).items():
        features = connection_features(network, min_kv=kv, ratings=ratings)
        candidates = nearby_candidates(geoms, features, search_radius_km=params.search_radius_km)
        priced[end] = price_candidates(
            candidates,
            peak_mw=peak,
            regions=regions["cost_region"].to_numpy(),
            kv=kv,
            n_required=n_required,
            route_factor=params.route_factor,
            allin_usd_per_mile=allin_2019,
        )
    chosen = priced[params.line_rating]
    best = choose_connections(chosen, len(sites))
    points = chosen[chosen["kind"] != LOOP_IN]
    nearest = points.sort_values(["site", "distance_km"]).drop_duplicates("site")
    nearest = nearest.set_index("site").reindex(range(len(sites)))
    gen_mw, gen_text = nearby_generation(
        geoms, inputs.power_plants, radius_km=params.generation_radius_km
    )
    columns = _columns(best, nearest, regions, peak=peak, basis=basis, params=params)
    # an inadequate connection is not a price for the campus: network upgrades, not costed
    adequate_best = best["adequate"].eq(True).to_numpy()
    for column in COST_COLUMNS:
        columns[column] = np.where(adequate_best, columns[column] * escalation, np.nan)
    columns["nearest_connection_points"] = nearest_points_text(points, len(sites), kv=kv)
    columns["connection_reason"] = _reasons(best, chosen, len(sites), kv=kv, params=params)
    adequate = {
        end: table.groupby("site")["adequate"].any().reindex(range(len(sites)), fill_value=False)
        for end, table in priced.items()
    }
    columns["adequate_at_low_rating"] = adequate["low"].to_numpy(dtype=bool)
    columns["adequate_at_high_rating"] = adequate["high"].to_numpy(dtype=bool)
    columns["adequacy_hinges_on_rating"] = (adequate["low"] != adequate["high"]).to_numpy()
    columns["nearby_generation_mw"] = gen_mw
    columns["nearby_generation_by_fuel"] = gen_text
    columns = columns[list(UNITS)].set_axis(sites.index)
    proxy = bool(regions["cost_region_proxy"].any())
    cost_units = f"M$ ({params.cost_year} US$; NREL reVX 2019 US$ × CPI-U {escalation:.3f})"
    return Assessment(
        name="interconnection",
        columns=columns,
        units=dict(UNITS) | dict.fromkeys(COST_COLUMNS, cost_units),
        notes=_notes(
            spec,
            network_derived=network.derived,
            regions=regions,
            escalation=escalation,
            allin_usd_per_mile=allin_2019 * escalation,
        ),
        proxy_columns=COST_COLUMNS if proxy else (),
    )


def need_class(best: pd.DataFrame, substation_only_max_km: float) -> np.ndarray:
    """Need of each site from its chosen connection: 0 an adequate one within
    ``substation_only_max_km``, 1 an adequate one farther, 2 none adequate within reach."""
    adequate = best["adequate"].eq(True).to_numpy()
    near = (best["distance_km"] <= substation_only_max_km).to_numpy()
    return np.where(adequate, np.where(near, SUBSTATION_ONLY, NEW_LINE), NETWORK_UPGRADE).astype(
        float
    )


def _reasons(best, candidates, n_sites: int, *, kv: float, params) -> list[str]:
    """Why each site's connection was chosen, or why none is adequate, in words."""
    strongest = candidates.sort_values(["site", "firm_mw"], ascending=[True, False])
    strongest = strongest.drop_duplicates("site").set_index("site").reindex(range(n_sites))
    out = []
    for i in range(n_sites):
        row, top = best.loc[i], strongest.loc[i]
        if pd.isna(row["connection_id"]):
            out.append(f"no connection at ≥ {kv:g} kV within {params.search_radius_km:g} km")
        elif bool(row["adequate"]):
            out.append(
                f"cheapest adequate connection: {row['connection_id']} ({row['kind']}), firm "
                f"{row['firm_mw']:,.0f} MW ≥ peak {row['peak_mw']:,.0f} MW at the "
                f"{params.line_rating} line rating"
            )
        else:
            out.append(
                f"none adequate within {params.search_radius_km:g} km: no connection at ≥ "
                f"{kv:g} kV with the required lines carries {row['peak_mw']:,.0f} MW with one "
                f"line out at the {params.line_rating} line rating (strongest: "
                f"{top['connection_id']}, firm {top['firm_mw']:,.0f} MW); network upgrades "
                "needed, not costed"
            )
    return out


def _columns(best, nearest, regions, *, peak, basis, params) -> pd.DataFrame:
    found = best["connection_id"].notna().to_numpy()
    need = need_class(best, params.substation_only_max_km)
    needs_line = need != SUBSTATION_ONLY
    return pd.DataFrame(
        {
            "interconnect_peak_mw": peak,
            "interconnect_peak_basis": basis,
            "lines_at_required_kv": pd.array(nearest["lines"], dtype="Int64"),
            "connection_kind": best["kind"].fillna("UNKNOWN").to_numpy(),
            "connection_id": best["connection_id"].fillna("UNKNOWN").to_numpy(),
            "connection_kv": best["kv"].to_numpy(dtype=float),
            "connection_distance_km": best["distance_km"].to_numpy(dtype=float),
            "connection_lines_at_required_kv": pd.array(best["lines"], dtype="Int64"),
            "connection_loadability_mw": best["loadability_mw"].to_numpy(dtype=float),
            "connection_firm_mw": best["firm_mw"].to_numpy(dtype=float),
            "peak_fits_connection": _flag(
                best["firm_mw"] >= best["peak_mw"], found & best["firm_mw"].notna().to_numpy()
            ),
            "connection_adequate": _flag(best["adequate"], found),
            "connection_need": [NEED_TEXT[n] for n in need],
            "needs_transformation": _flag(best["needs_transformation"].eq(True), found),
            "cost_capped_at_500kv": _flag(best["cost_capped"].eq(True), found),
            "needs_new_line": _flag(needs_line, found),
            "new_line_route_mi": best["route_mi"].to_numpy(dtype=float),
            "new_circuits": pd.array(best["circuits"], dtype="Int64"),
            "interconnect_cost_musd_low": best["cost_usd_low"].to_numpy(dtype=float) / USD_PER_MUSD,
            "interconnect_cost_musd_high": best["cost_usd_high"].to_numpy(dtype=float)
            / USD_PER_MUSD,
            "iso_region": regions["iso_region"].to_numpy(),
            "cost_region": _region_text(regions),
        }
    )


def _ratings_text(params) -> str:
    """The spec's rating range per voltage class, e.g. ``345 kV 900–1,800``."""
    return ", ".join(
        f"{kv} kV {low:,.0f}–{high:,.0f}"
        for kv, (low, high) in sorted(params.line_ratings_mva.items())
    )


def _region_text(regions: pd.DataFrame) -> list[str]:
    """reVX cost region per site, saying when it stands in for the site's ISO/RTO."""
    first = regions["iso_region"].str.split(";").str[0]
    return [
        "UNKNOWN" if not region else f"{region} (stand-in for {iso})" if proxy else region
        for region, proxy, iso in zip(
            regions["cost_region"], regions["cost_region_proxy"], first, strict=True
        )
    ]


def _flag(values, found: np.ndarray) -> pd.arrays.BooleanArray:
    """A nullable boolean column: NA (UNKNOWN) where no connection was found."""
    flags = pd.array(np.asarray(values, dtype=bool), dtype="boolean")
    flags[~found] = pd.NA
    return flags


def _notes(
    spec,
    *,
    network_derived: bool,
    regions: pd.DataFrame,
    escalation: float,
    allin_usd_per_mile: float,
) -> tuple[str, ...]:
    params = spec.interconnection
    kv, n = spec.interconnection_voltage_kv, spec.n_hv_lines
    points = (
        "Connection points are DERIVED from the HIFLD line geometry (line ends within 300 m "
        "clustered), not an official substation list: a point may be a tap or a plant "
        "switchyard, and lines passing by without ending there are not counted."
        if network_derived
        else "Connection points are the bundle's substations layer (HIFLD schema)."
    )
    proxies = sorted(set(regions.loc[regions["cost_region_proxy"], "iso_region"]))
    notes = [
        f"Connection at ≥ {kv:g} kV with {n} independent lines (spec); lines of unknown "
        "voltage and DC lines never qualify; 765 kV lines meet a 345 kV requirement.",
        points,
        "Loadability per line: the thermal rating of one circuit of its voltage class, taken "
        f"as MW, at the spec's {params.line_rating} end ({_ratings_text(params)} MVA, low–high; "
        "assumption), or SIL (345/500/765 kV: 420/1000/2280 MW) × St Clair multiplier for the "
        "line's length if lower above 300 kV (docs/methods.md §4.2; Dunlop et al. 1979). It is "
        "what the lines can carry, not their spare capacity, which public data do not show; "
        "adequate_at_low_rating and adequate_at_high_rating say whether the answer hinges on "
        "the rating.",
        "A loop-in (cut-in) of a passing line counts as two lines, each with the line's "
        "loadability (the line is assumed tied to the network at both ends). Firm loadability "
        "leaves out the largest line (N−1) when n_hv_lines ≥ 2.",
        f"Peak demand: the site's peak_demand_mw (cooling model) where present, else the spec's "
        f"facility peak {spec.facility_peak_mw:g} MW (IT × design PUE); see "
        "interconnect_peak_basis.",
        f"New line route = straight line from the site's edge × {params.route_factor:g} "
        f"(route factor); circuits at {kv:g} kV carry the peak with one out (N−1) and number "
        f"at least {n}. A site needs no new line only if an adequate connection lies within "
        f"{params.substation_only_max_km:g} km.",
        f"Cost ({params.cost_year} US$: reVX's 2019 US$ × {escalation:.3f}, the CPI-U ratio "
        f"{params.cost_year}/2019, docs/methods.md §4.8): reVX line $/mile for the cost region "
        "(345 kV interpolated between the 400 MW/230 kV and 1,500 MW/500 kV classes) × land "
        "multiplier (low: open land 1.0; high: dearest common land class × hill) × (1 + 0.20 "
        "contingency + 0.075 AFUDC + 0.10 overhead); the high end of the line is raised to the "
        f"all-in benchmark of MISO LRTP Tranche 2.1, {allin_usd_per_mile / USD_PER_MUSD:.2f} M$ "
        f"per circuit-mile in {params.cost_year} US$ (5.4 M$ in 2024 US$), where that is "
        "dearer. Plus a new campus substation at the required voltage, and at the far end, at "
        "the voltage of the lines connected into, a substation upgrade (low) or new substation "
        "(high), or for a loop-in a new switching station (low) plus upgrades at both ends of "
        "the cut line (high); plus, where that voltage is above the required class, a "
        "transformer at reVX $/MW × peak (NREL reVX, docs/methods.md §4.3). reVX prices nothing "
        "above 500 kV: 765 kV equipment is priced at 500 kV, a floor (cost_capped_at_500kv). "
        "Network upgrades beyond the connection and right-of-way are not costed; where no "
        "connection is adequate the cost is UNKNOWN (the need says network upgrades), not the "
        "price of a connection that cannot carry the campus.",
        f"Nearby generation: net summer capacity of EIA-860M (Nov 2023) plants within "
        f"{params.generation_radius_km:g} km of the site's edge, by energy source.",
    ]
    if proxies:
        notes.append(
            f"PROXY: reVX has no costs for {', '.join(proxies)}; those sites use the costs of "
            "their cost_region (MISO for PJM)."
        )
    return tuple(notes)


MODEL = SiteModel(
    name="interconnection",
    units=UNITS,
    reads=("transmission_lines", "substations", "iso_regions", "power_plants", "cost_index"),
    assess=assess,
    needs=("peak_demand_mw",),
)
