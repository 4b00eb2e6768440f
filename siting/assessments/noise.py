"""Noise at the nearest homes: the cooling plant at night and backup-generator tests by day.

The cooling plant's sound power scales with the heat it rejects (the campus's design-hour
facility demand, ``peak_demand_mw``, nearly all of which leaves as heat):
``Lw = cooling_lw_dba_per_mw + 10·log10(heat [MW])``. A generator test runs
``generators_tested_at_once`` enclosed units: ``Lw = generator_lw_dba + 10·log10(n)``. Each is
placed on the site boundary, as if the whole plant stood at the fence line facing the homes,
and spread over a half-space with air absorption (siting.models.noise, docs/methods.md §6.3).
The distances to the night and day contours are measured from the site boundary; the homes
within the night contour are apportioned from census tracts by area.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from siting.assessments.base import Assessment, SiteContext, SiteModel
from siting.models.apportion import FULL_COVERAGE, apportion, tract_extent
from siting.models.noise import distance_to_level_m, plant_sound_power_dba
from siting.spec import Noise

UNITS = {
    "cooling_lw_dba": "dBA re 1 pW (cooling plant sound power; proxy: per-MW assumption)",
    "generator_test_lw_dba": "dBA re 1 pW (backup generators under test; assumption)",
    "noise_45dba_km": "km from the site boundary to the night-limit contour (modelled)",
    "noise_gen_55dba_km": "km from the site boundary to the day-limit contour, generator tests "
    "(modelled)",
    "homes_in_45dba": "housing units within the night contour of the boundary (Census 2020 "
    "tracts apportioned by area; UNKNOWN where coverage < 99.5 %)",
}
NOTES = (
    "Noise (modelled, screening): Lp = Lw − 10·log10(2π r²) − α r, hemispherical spreading "
    "with one A-weighted air-absorption coefficient (ISO 9613-2 Table 2, 500 Hz band at 10 °C, "
    "70 % RH); no ground, barrier or screening attenuation, and every source on the site "
    "boundary, so contours are conservative (docs/methods.md §6.3).",
    "Cooling plant sound power = [noise] cooling_lw_dba_per_mw + 10·log10(design-hour heat "
    "rejected [MW] = peak_demand_mw): a proxy that gives 60–80 dBA a few hundred metres out, "
    "the property-line range reported for data centres; tonal components are not modelled "
    "(docs/methods.md §6.3).",
    "Generator tests: [noise] generators_tested_at_once enclosed units of generator_lw_dba "
    "each (85 dBA at 7 m), daytime only; emergency runs at night are not modelled.",
)


def contour_km(sound_power_dba: pd.Series, limit_dba: float, *, params: Noise) -> pd.Series:
    """Distance from the boundary to the ``limit_dba`` contour of each source level. [km]"""
    return sound_power_dba.map(
        lambda lw: (
            distance_to_level_m(
                float(lw), limit_dba, absorption_db_per_km=params.absorption_db_per_km
            )
            / 1000.0
        )
    )


def source_levels(peak_demand_mw: pd.Series, *, params: Noise) -> pd.DataFrame:
    """Sound power of the cooling plant and of a generator test per site. [dBA re 1 pW]"""
    cooling = plant_sound_power_dba(params.cooling_lw_dba_per_mw, peak_demand_mw.to_numpy())
    generators = plant_sound_power_dba(params.generator_lw_dba, params.generators_tested_at_once)
    return pd.DataFrame(
        {"cooling_lw_dba": cooling, "generator_test_lw_dba": float(generators)},
        index=peak_demand_mw.index,
    )


def homes_within(
    sites: gpd.GeoDataFrame,
    distance_km: pd.Series,
    tracts: gpd.GeoDataFrame,
    extent: shapely.Geometry | None = None,
) -> pd.Series:
    """Housing units outside each site within ``distance_km`` of its boundary. [units]

    ``extent`` is the tracts' :func:`~siting.models.apportion.tract_extent` (built when not
    given).

    NaN (UNKNOWN) where the tracts on file cover less of the circle than
    :data:`siting.models.apportion.FULL_COVERAGE`: a partial count would flatter the site.
    """
    zones = gpd.GeoSeries(
        [
            shapely.difference(g.buffer(1000.0 * float(d), quad_segs=32), g)
            if np.isfinite(d) and d > 0
            else shapely.Polygon()
            for g, d in zip(sites.geometry, distance_km, strict=True)
        ],
        crs=sites.crs,
    )
    extent = tract_extent(tracts) if extent is None else extent
    ring = apportion(tracts, zones, columns=("housing_units",), extent=extent)
    footprint = apportion(
        tracts, sites.geometry.reset_index(drop=True), columns=("housing_units",), extent=extent
    )
    full = (ring["coverage"] >= FULL_COVERAGE) | zones.is_empty.to_numpy()
    covered = footprint["coverage"].to_numpy() >= FULL_COVERAGE
    homes = ring["housing_units"].where(full & covered).where(np.isfinite(distance_km.to_numpy()))
    return pd.Series(homes.to_numpy(), index=sites.index, name="homes_in_45dba")


def assess(sites: gpd.GeoDataFrame, context: SiteContext) -> Assessment:
    """Source levels, contour distances and the homes within the night contour."""
    params = context.inputs.spec.noise
    peak = pd.to_numeric(sites["peak_demand_mw"], errors="coerce")
    levels = source_levels(peak, params=params)
    night = contour_km(levels["cooling_lw_dba"], params.night_limit_dba, params=params)
    day = contour_km(levels["generator_test_lw_dba"], params.day_limit_dba, params=params)
    columns = levels.assign(
        noise_45dba_km=night,
        noise_gen_55dba_km=day,
        homes_in_45dba=homes_within(sites, night, context.inputs.tracts, context.tracts_extent()),
    )
    return Assessment(
        name="noise (screening)",
        columns=columns,
        units=UNITS,
        notes=NOTES,
        proxy_columns=("cooling_lw_dba",),
    )


MODEL = SiteModel(
    name="noise",
    units=UNITS,
    reads=("tracts",),
    assess=assess,
    needs=("peak_demand_mw",),
)
