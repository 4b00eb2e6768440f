"""Everything a run reads, read once into frozen values and passed on.

:func:`read_inputs` opens each file the bundle's catalogue names with the reader of its
provider format (:mod:`siting.sources`), selects the spec's states, builds the analysis grid
and derives what several stages share: the county table and its cells, the transmission
network with one id scheme for its connection points, and the region's queue statistics.
Layers and per-site models receive the result, :class:`RunInputs`, as a value; nothing else
in a run opens a file. Arrays are read-only; frames must not be modified by their users.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from siting.bundle import Bundle, Source, provenance
from siting.counties import Counties, check_county_join, counties_on_grid, state_of_fips
from siting.errors import CRSError, DataError
from siting.grid import Grid, rasterize_mask
from siting.models.network import Network, build_network
from siting.models.queue_stats import RegionQueue, region_queue
from siting.models.tracts import INDICATOR_COLUMNS, join_summary
from siting.models.tracts import tract_indicators as build_tract_indicators
from siting.sources import (
    bls_cpi,
    cdc_svi,
    census,
    census_relationship,
    commongrid,
    dem,
    eeweather_zcta,
    eia861,
    eia_atlas,
    epa_egrid,
    fema_nfhl,
    fema_nri,
    gridstatus,
    gridwatch,
    hifld,
    ibtracs,
    lbnl,
    nclimdiv_warming,
    nlcd,
    nwi,
    osm_gridkit,
    padus,
    pvcz,
    tract_tables,
    usgs_water_use,
    wri_aqueduct,
)
from siting.sources import cejst as cejst_source
from siting.sources.files import numbers, read_vector, split_ref
from siting.sources.geotiff import RasterData, read_geotiff
from siting.sources.hourly_weather import HourlyWeather
from siting.sources.siting_tables import read_county_values
from siting.sources.transmission_schema import standard_lines, standard_points
from siting.sources.weather_file import SUFFIXES as WEATHER_SUFFIXES
from siting.sources.weather_file import read_weather
from siting.spec import CampusSpec

log = logging.getLogger(__name__)


@dataclass(frozen=True, kw_only=True)
class RunInputs:
    """The inputs of one run, in our schemas and (for vectors) in the grid's CRS.

    Attributes
    ----------
    spec, bundle, grid
        The campus spec, the bundle read and the analysis grid covering the study area.
    study_area : geopandas.GeoDataFrame
        The region's states (``state``, ``name``), dissolved per state.
    study_mask : numpy.ndarray
        Cells whose centre lies in the study area.
    counties : Counties
        The region's counties and each cell's county.
    network : Network
        Operating AC lines and connection points, one id scheme for the whole run.
    power_plants, named_places, iso_regions, egrid_subregions, tracts
        EIA plants (capacity by fuel), named substations and plants for POI names, ISO/RTO
        territories, eGRID subregions with fuel mix and emission rates, census tracts.
    queue : pandas.DataFrame
        Every interconnection request of the queue file(s) (national).
    region_queue : RegionQueue
        The queue statistics and time to power of the region's counties.
    county_svi, county_water_use, county_warming : pandas.DataFrame
        National county tables by ``fips``.
    water_stress_basins : geopandas.GeoDataFrame or None
        WRI Aqueduct 4.0 baseline water stress by sub-basin, in the grid's CRS, where the bundle
        has it.
    utility_territories : geopandas.GeoDataFrame or None
        Retail utility service territories meeting the grid (``utility``, ``utility_type``,
        ``customers``), in the grid's CRS, polygons repaired; None where the bundle has none.
    utilities : pandas.DataFrame or None
        EIA-861 utilities (peak demand, sales, revenue, average price, states served), where
        the bundle has them.
    county_nri : pandas.DataFrame or None
        FEMA National Risk Index county table, where the bundle has it.
    hurricane_tracks : geopandas.GeoDataFrame or None
        IBTrACS storm track points in the grid's CRS, where the bundle has them.
    cost_index : pandas.DataFrame
        Annual price index (``year``, ``cpi_u_annual_avg``) to restate costs in another year's
        dollars.
    county_restrictions : pandas.DataFrame
        Data-center bans and moratoria of the region's counties, by ``fips``.
    climatology : pandas.DataFrame
        The gridded climatology (PVCZ-2019 0.25° lattice).
    zip_centroids : pandas.DataFrame or None
        The region's ZIP-code areas and their centroids (``zip_code``, ``lat_deg``,
        ``lon_deg``, ``state``), where the bundle has them.
    land_cover, elevation : RasterData or None
        NLCD land cover classes and a DEM [m], where the bundle has them.
    stations : tuple of HourlyWeather
        The hourly typical years of the bundle's weather stations.
    features : Mapping
        The feature layers the spec's exclusion rules name: bundle layers by name, the user's
        files by the path written in the spec.
    buffers_by_county : Mapping
        Per rule with ``buffer_by_county``, its buffer [m] by county FIPS.
    unavailable : Mapping
        Rules with ``required = false`` whose data the bundle lacks, and why: not checked.
    custom : Mapping
        The file of each ``[[layers]]`` table of the spec: features in the grid's CRS, or a
        raster (:class:`~siting.sources.geotiff.RasterData`).
    tract_indicators : pandas.DataFrame
        Community data of the run's tracts by 2020 GEOID (columns
        :data:`siting.models.tracts.INDICATOR_COLUMNS`; docs/methods.md §6.1), with
        ``attrs["join_counts"]``; all UNKNOWN where the bundle has no tract community tables.
    user_files : tuple of Path
        The user's own files the spec names (not in the bundle's provenance).
    read : tuple of str
        Provenance key of every bundle file read.
    """

    spec: CampusSpec
    bundle: Bundle
    grid: Grid
    study_area: gpd.GeoDataFrame
    study_mask: np.ndarray
    counties: Counties
    network: Network
    power_plants: gpd.GeoDataFrame
    named_places: gpd.GeoDataFrame
    iso_regions: gpd.GeoDataFrame
    egrid_subregions: gpd.GeoDataFrame
    tracts: gpd.GeoDataFrame
    queue: pd.DataFrame
    region_queue: RegionQueue
    county_svi: pd.DataFrame
    county_water_use: pd.DataFrame
    county_warming: pd.DataFrame
    water_stress_basins: gpd.GeoDataFrame | None
    utility_territories: gpd.GeoDataFrame | None
    utilities: pd.DataFrame | None
    county_nri: pd.DataFrame | None
    hurricane_tracks: gpd.GeoDataFrame | None
    cost_index: pd.DataFrame
    county_restrictions: pd.DataFrame
    climatology: pd.DataFrame
    zip_centroids: pd.DataFrame | None
    land_cover: RasterData | None
    elevation: RasterData | None
    stations: tuple[HourlyWeather, ...]
    features: Mapping[str, gpd.GeoDataFrame]
    buffers_by_county: Mapping[str, pd.Series] = field(default_factory=dict)
    unavailable: Mapping[str, str] = field(default_factory=dict)
    custom: Mapping[str, object] = field(default_factory=dict)
    user_files: tuple[Path, ...] = ()
    read: tuple[str, ...] = ()
    tract_indicators: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=list(INDICATOR_COLUMNS))
    )

    def role_refs(self, *roles: str) -> tuple[str, ...]:
        """Provenance keys of the files read for ``roles`` (weather: each station file)."""
        refs = []
        for role in roles:
            if role == "weather":
                refs += [r for r in self.read if r.lower().endswith(WEATHER_SUFFIXES)]
            elif role in self.bundle.sources:
                refs += [s.path for s in self.bundle.sources[role]]
        return tuple(refs)


def read_inputs(bundle: Bundle, spec: CampusSpec) -> RunInputs:
    """Read every input of a run from ``bundle`` for ``spec``, once."""
    reader = _Reader(bundle)
    study_area, bundle_area = _study_area(reader, spec)
    grid = Grid.covering(
        tuple(study_area.total_bounds), crs=spec.region.crs, resolution_m=spec.region.resolution_m
    )
    study_mask = rasterize_mask(study_area, grid, what=f"{bundle.catalogue}: study area")
    study_mask.setflags(write=False)
    counties = _counties(reader, study_area, grid, study_mask)
    network = _network(reader, grid)
    queue = _queue(reader)
    params = spec.time_to_power
    features, user_files, unavailable = _rule_features(reader, spec, grid, bundle_area)
    custom = {layer.name: _custom_data(spec, layer, grid) for layer in spec.layers}
    user_files += tuple(split_ref(_user_path(spec, layer.file))[0] for layer in spec.layers)
    buffers = {
        rule.name: _county_buffers(_user_path(spec, rule.buffer_by_county), counties)
        for rule in spec.exclusions
        if rule.buffer_by_county
    }
    user_files += tuple(
        _user_path(spec, r.buffer_by_county) for r in spec.exclusions if r.buffer_by_county
    )
    tracts = reader.placed("tracts", grid)
    return RunInputs(
        tract_indicators=_tract_indicators(reader, tracts),
        spec=spec,
        bundle=bundle,
        grid=grid,
        study_area=study_area,
        study_mask=study_mask,
        counties=counties,
        network=network,
        power_plants=reader.one("power_plants").to_crs(grid.crs),
        named_places=_named_places(reader, grid),
        iso_regions=reader.placed("iso_regions", grid),
        egrid_subregions=_valid(reader.placed("egrid_subregions", grid)),
        tracts=tracts,
        queue=queue,
        region_queue=region_queue(
            queue, counties.table, params=params, target_year=spec.target_energization_year
        ),
        county_svi=_county_table(reader, "county_svi", counties),
        county_water_use=_county_table(reader, "county_water_use", counties),
        county_warming=_county_table(reader, "county_warming", counties),
        water_stress_basins=_water_stress_basins(reader, grid),
        utility_territories=_utility_territories(reader, grid),
        utilities=reader.optional("utilities"),
        county_nri=_county_table(reader, "county_nri", counties)
        if "county_nri" in bundle.sources
        else None,
        hurricane_tracks=_hurricane_tracks(reader, grid),
        cost_index=reader.one("cost_index"),
        county_restrictions=_restrictions(reader, counties),
        climatology=_climatology(reader),
        zip_centroids=reader.optional("zip_centroids"),
        land_cover=_optional_raster(reader, "land_cover", grid),
        elevation=_optional_raster(reader, "elevation", grid),
        stations=_stations(reader),
        features=MappingProxyType(features),
        buffers_by_county=MappingProxyType(buffers),
        unavailable=MappingProxyType(unavailable),
        custom=MappingProxyType(custom),
        user_files=tuple(sorted(set(user_files))),
        read=tuple(sorted(reader.read)),
    )


# ---------------------------------------------------------------------------------------------
# one reader per provider format
# ---------------------------------------------------------------------------------------------

#: The reader of each provider format: path (and the source's options) → frame in our schema.
READERS: Mapping[str, Callable[..., pd.DataFrame]] = MappingProxyType(
    {
        "gridwatch_state": gridwatch.read_state_outline,
        "census_states": census.read_states,
        "gridwatch_counties": gridwatch.read_counties,
        "census_counties": census.read_counties,
        "gridwatch_lines": gridwatch.read_transmission_lines,
        "hifld_lines": hifld.read_lines,
        "hifld_substations": hifld.read_substations,
        "eia_atlas_plants": eia_atlas.read_plants,
        "osm_gridkit_vertices": lambda path: osm_gridkit.named_vertices(
            osm_gridkit.read_vertices(path)
        ),
        "gridwatch_plants": gridwatch.read_power_plants,
        "gridwatch_utility_territories": gridwatch.read_utility_territories,
        "commongrid_eia861": eia861.read_utilities,
        "bls_cpi_u_annual": bls_cpi.read_cpi_u_annual,
        "commongrid_iso": commongrid.read_iso_territories,
        "epa_power_profiler": epa_egrid.read_power_profiler_subregions,
        "census_pl94171_tracts": census.read_pl94171_tracts,
        "lbnl_queued_up": lbnl.read_queue,
        "gridstatus_queue": gridstatus.read_queue,
        "usgs_county_water_use": usgs_water_use.read_county_water_use,
        "aqueduct40_baseline": wri_aqueduct.read_baseline_basins,
        "cdc_svi": cdc_svi.read_svi,
        "fema_nri_counties": fema_nri.read_nri_counties,
        "ibtracs_tracks": ibtracs.read_tracks,
        "gridwatch_restrictions": gridwatch.read_county_restrictions,
        "pvcz2019": pvcz.read_climatology,
        "eeweather_zcta": eeweather_zcta.read_zip_centroids,
        "wapo_nclimdiv_warming": nclimdiv_warming.read_county_warming,
        "nlcd": nlcd.read_nlcd,
        "dem_geotiff": dem.read_dem,
        "tract_depindex2023": tract_tables.read_tract2020,
        "tract_svi2018_ejscreen2020": tract_tables.read_tract2010,
        "census_tract_relationship": census_relationship.read_tract_relationship,
        "cejst_communities": cejst_source.read_cejst,
    }
)
#: The reader of each format of a ``[features]`` entry.
FEATURE_READERS: Mapping[str, Callable[..., gpd.GeoDataFrame]] = MappingProxyType(
    {
        "vector": read_vector,
        "padus": padus.read_padus,
        "fema_nfhl": fema_nfhl.read_flood_zones,
        "nwi_wetlands": nwi.read_wetlands,
        "census_urban_areas": census.read_urban_areas,
    }
)
#: Source options a format's reader takes as keyword arguments (the others are used here).
READER_OPTIONS = MappingProxyType({"gridstatus_queue": ("region",), "commongrid_eia861": ("year",)})


#: Formats whose file may hold no rows: a state may have no county restriction.
MAY_BE_EMPTY = frozenset({"gridwatch_restrictions"})


def _checked(found, *, may_be_empty: bool, what: str):
    """``found`` as read, refused if it holds no rows or coordinates its CRS cannot hold."""
    if isinstance(found, pd.DataFrame) and found.empty and not may_be_empty:
        raise DataError(
            f"{what}: no rows (only a header, or nothing readable); replace it with the "
            "complete file"
        )
    if isinstance(found, gpd.GeoDataFrame) and not found.empty:
        bounds = found.total_bounds
        if np.isfinite(bounds).all():
            check_crs_plausible(bounds, found.crs, what=what)
    elif isinstance(found, RasterData):
        check_crs_plausible(found.bounds, found.crs, what=what)
    return found


class _Reader:
    """Reads the catalogue's files, each once, and records which it read."""

    def __init__(self, bundle: Bundle) -> None:
        self.bundle = bundle
        self.known = set(provenance(bundle).index)
        self.read: set[str] = set()

    def _mark(self, ref: str) -> None:
        if ref not in self.known:
            raise DataError(
                f"{self.bundle.root / 'SOURCES.csv'}: no provenance row for {ref!r}; add one"
            )
        self.read.add(ref)

    def frame(self, source: Source) -> pd.DataFrame:
        self._mark(source.path)
        allowed = READER_OPTIONS.get(source.format, ())
        kwargs = {k: v for k, v in source.options.items() if k in allowed}
        path = self.bundle.locate(source.path)
        found = READERS[source.format](path, **kwargs)
        return _checked(found, may_be_empty=source.format in MAY_BE_EMPTY, what=str(path))

    def one(self, role: str) -> pd.DataFrame:
        return self.frame(self.bundle.source(role))

    def placed(self, role: str, grid: Grid) -> gpd.GeoDataFrame:
        """The features of ``role`` in ``grid``'s CRS, refused if none meets the grid."""
        where = str(self.bundle.locate(self.bundle.source(role).path))
        return _meeting(self.one(role), grid, what=where)

    def optional(self, role: str) -> pd.DataFrame | None:
        return self.one(role) if role in self.bundle.sources else None

    def frames(self, role: str) -> pd.DataFrame:
        parts = [self.frame(s) for s in self.bundle.all(role)]
        return parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)

    def feature_file(self, ref: str, fmt: str) -> gpd.GeoDataFrame:
        self._mark(ref)
        path = self.bundle.locate(ref)
        return _checked(FEATURE_READERS[fmt](path), may_be_empty=False, what=str(path))

    def weather_files(self, folder: str) -> list[Path]:
        root = self.bundle.root / folder
        files = sorted(p for p in root.glob("*") if p.suffix.lower() in WEATHER_SUFFIXES)
        for path in files:
            self._mark(f"{folder}/{path.name}")
        return files


# ---------------------------------------------------------------------------------------------
# what the stages share
# ---------------------------------------------------------------------------------------------


def _study_area(reader: _Reader, spec: CampusSpec) -> tuple[gpd.GeoDataFrame, Grid]:
    """The spec's states (all of the bundle's if the spec names none), one row per state, and
    a grid covering all of the bundle's states (where its own layers must lie)."""
    states = reader.one("states")
    bundle_area = Grid.covering(
        tuple(states.to_crs(spec.region.crs).total_bounds),
        crs=spec.region.crs,
        resolution_m=spec.region.resolution_m,
    )
    wanted = spec.region.states or tuple(sorted(set(states["state"])))
    missing = sorted(set(wanted) - set(states["state"]))
    if missing:
        raise DataError(
            f"{spec.source}: the spec's [region] states {missing} are not in the bundle's "
            f"states input ({reader.bundle.catalogue} has {sorted(set(states['state']))}); "
            "choose among them or add the state outlines"
        )
    chosen = states[states["state"].isin(wanted)].to_crs(spec.region.crs)
    chosen = chosen.dissolve(by="state", as_index=False, aggfunc="first")
    area_km2 = float(chosen.area.sum()) / 1.0e6
    if not area_km2 >= spec.required_area_km2:
        where = reader.bundle.locate(reader.bundle.source("states").path)
        raise DataError(
            f"{where}: the states {sorted(wanted)} cover {area_km2:.3g} km², less than the "
            f"campus's {spec.required_area_km2:.3g} km² of land; is this the complete states "
            "file in its true CRS?"
        )
    return chosen[["state", "name", "geometry"]], bundle_area


def _counties(
    reader: _Reader, study_area: gpd.GeoDataFrame, grid: Grid, study_mask: np.ndarray
) -> Counties:
    """The counties of the study area's states, burned onto the grid."""
    source = reader.bundle.source("counties")
    where = str(reader.bundle.locate(source.path))
    table = _meeting(reader.frame(source), grid, what=where)
    table = table[state_of_fips(table["fips"], what=where).isin(set(study_area["state"]))]
    if table.empty:
        raise DataError(
            f"{reader.bundle.locate(source.path)}: no county of the study area's states "
            f"{sorted(study_area['state'])}"
        )
    return counties_on_grid(table[["fips", "name", "geometry"]], grid, what=where, fill=study_mask)


def _network(reader: _Reader, grid: Grid) -> Network:
    """The run's one transmission network: official substations if the bundle has them, else
    connection points derived from the line geometry."""
    source = reader.bundle.source("transmission_lines")
    where = str(reader.bundle.locate(source.path))
    lines = standard_lines(_meeting(reader.frame(source), grid, what=where), what=where)
    if lines.empty:
        raise DataError(
            f"{where}: no operating AC transmission line; a campus needs one to connect to: "
            "replace it with the complete lines file"
        )
    substations = reader.optional("substations")
    if substations is not None:
        where = str(reader.bundle.locate(reader.bundle.source("substations").path))
        substations = standard_points(substations, what=where)
    return build_network(lines, substations, crs=grid.crs)


def _rule_features(
    reader: _Reader, spec: CampusSpec, grid: Grid, bundle_area: Grid
) -> tuple[dict[str, gpd.GeoDataFrame], tuple[Path, ...], dict[str, str]]:
    """The feature layers the exclusion rules name (the bundle's by name, the user's by path),
    the user's files, and the optional rules whose layer the bundle lacks.

    A bundle layer must meet the bundle's states (it may hold none of the study area's: the
    lakes of one state of the bundle); a file of the user's must meet the study area."""
    features, files, unavailable = {}, [], {}
    for rule in (r for r in spec.exclusions if r.kind == "features"):
        if rule.layer is not None:
            if rule.layer not in reader.bundle.features and not rule.required:
                unavailable[rule.name] = (
                    f"not checked: {reader.bundle.catalogue.name} has no layer {rule.layer!r}"
                )
                continue
            if rule.layer not in reader.bundle.features:
                raise DataError(
                    f"{spec.source}: exclusion '{rule.name}' names layer {rule.layer!r}, which "
                    f"{reader.bundle.catalogue.name} does not hold; its [features]: "
                    f'{sorted(reader.bundle.features)}; or give your own file = "..."'
                )
            fmt = reader.bundle.feature_formats[rule.layer]
            ref = reader.bundle.features[rule.layer]
            layer = reader.feature_file(ref, fmt)
            where = str(reader.bundle.locate(ref))
            features[rule.layer] = _meeting(layer, bundle_area, what=where)
        else:
            path = _user_path(spec, rule.file)
            found = read_vector(path)
            features[rule.file] = _overlapping(
                found, tuple(found.total_bounds), found.crs, grid, what=str(path)
            )
            files.append(split_ref(path)[0])
    return features, tuple(files), unavailable


#: Columns that may name a candidate site, in the order looked for.
CANDIDATE_ID_COLUMNS = ("candidate_id", "id", "name")


def read_candidates(path: Path, grid: Grid, *, campus_area_km2: float) -> gpd.GeoDataFrame:
    """A team's candidate sites (``siting run --candidates``): polygons, or points with a
    ``radius_m`` column (else the radius of a disc of the campus's land), in the grid's CRS,
    with ``candidate_id`` (from a ``candidate_id``, ``id`` or ``name`` column, else C1, C2…).
    """
    found = read_vector(path)
    if found.empty:
        raise DataError(f"{path}: no candidate sites in the file")
    sites = _overlapping(found, tuple(found.total_bounds), found.crs, grid, what=str(path))
    kinds = set(sites.geom_type)
    if not kinds <= {"Polygon", "MultiPolygon", "Point"}:
        raise DataError(f"{path}: candidates must be polygons or points, got {sorted(kinds)}")
    points = (sites.geom_type == "Point").to_numpy()
    if points.any():
        default_m = float(np.sqrt(campus_area_km2 * 1.0e6 / np.pi))
        if "radius_m" in sites.columns:
            radius = numbers(sites["radius_m"], what=str(path), column="radius_m").fillna(default_m)
        else:
            radius = pd.Series(default_m, index=sites.index)
        if (radius[points] <= 0).any():
            raise DataError(f"{path}: column 'radius_m' must be positive for point candidates")
        sites.loc[points, "geometry"] = sites.geometry[points].buffer(radius[points])
    column = next((c for c in CANDIDATE_ID_COLUMNS if c in sites.columns), None)
    ids = (
        sites[column].astype(str) if column else pd.Series([f"C{i + 1}" for i in range(len(sites))])
    )
    if ids.duplicated().any():
        raise DataError(f"{path}: candidate ids repeat: {sorted(set(ids[ids.duplicated()]))}")
    return gpd.GeoDataFrame(
        {"candidate_id": ids.to_numpy()}, geometry=sites.geometry.to_numpy(), crs=grid.crs
    )


def _custom_data(spec: CampusSpec, layer, grid: Grid):
    """The user's file of a ``[[layers]]`` table: a raster, or vector features in grid CRS."""
    path = _user_path(spec, layer.file)
    if layer.kind == "raster_value":
        raster = read_geotiff(path, band=layer.band, units=layer.units)
        return _raster_with_values(
            raster, grid, what=f"{path}: band {layer.band}", layer=f"layer '{layer.name}'"
        )
    features = _meeting(read_vector(path), grid, what=str(path))
    if layer.kind == "polygon_attribute":
        if layer.column not in features.columns:
            raise DataError(
                f"{path}: no column {layer.column!r} for layer '{layer.name}'; found "
                f"{[c for c in features.columns if c != features.geometry.name]}: name one of them"
            )
        values = numbers(features[layer.column], what=str(path), column=layer.column)
        if values.isna().all():
            raise DataError(
                f"{path}: column {layer.column!r} holds no value; layer '{layer.name}' would be "
                "UNKNOWN everywhere: fill the column or name another"
            )
    return features


def _raster_with_values(raster: RasterData, grid: Grid, *, what: str, layer: str) -> RasterData:
    """``raster``, refused if it misses the study area or holds no value over it."""
    raster = _overlapping(raster, raster.bounds, raster.crs, grid, what=what)
    if not _has_values(_raster_over(raster, grid), raster.nodata):
        raise DataError(
            f"{what} holds no value over the study area (all no-data); {layer} would be "
            "UNKNOWN everywhere: give a raster that covers it"
        )
    return raster


def _optional_raster(reader: _Reader, role: str, grid: Grid) -> RasterData | None:
    """The bundle's raster of ``role`` if it has one (land cover, elevation), checked as a
    layer of the spec's own is."""
    if role not in reader.bundle.sources:
        return None
    where = str(reader.bundle.locate(reader.bundle.source(role).path))
    return _raster_with_values(reader.one(role), grid, what=where, layer=f"the {role} layer")


def _raster_over(raster: RasterData, grid: Grid) -> np.ndarray:
    """The cells of ``raster`` that meet the grid's bounds (a rectangle in the raster's CRS)."""
    from pyproj import Transformer
    from rasterio.windows import Window, WindowError, from_bounds

    bounds = Transformer.from_crs(grid.crs, raster.crs, always_xy=True).transform_bounds(
        *grid.bounds
    )
    rows, cols = raster.shape
    window = from_bounds(*bounds, transform=raster.transform)
    window = window.round_offsets(op="floor").round_lengths(op="ceil")
    try:
        window = window.intersection(Window(0, 0, cols, rows))
    except WindowError:
        return raster.values[:0, :0]
    return raster.values[window.toslices()]


def _has_values(values: np.ndarray, nodata: float | None) -> bool:
    """Whether ``values`` hold one value that is neither NaN nor the no-data code."""
    if np.issubdtype(values.dtype, np.floating):
        return bool(np.isfinite(values).any())
    return bool((values != nodata).any()) if nodata is not None else values.size > 0


def _meeting(frame: gpd.GeoDataFrame, grid: Grid, *, what: str) -> gpd.GeoDataFrame:
    """The features of ``frame`` in ``grid``'s CRS, refused if their bounds miss the grid."""
    return _overlapping(frame, tuple(frame.total_bounds), frame.crs, grid, what=what)


def _overlapping(data, bounds, crs, grid: Grid, *, what: str):
    """``data`` (in ``grid``'s CRS if vector) when its bounds meet the grid's; a file that lies
    wholly elsewhere almost always has a wrong CRS label, so it is an error, not 0 km²."""
    from pyproj import Transformer

    if not all(np.isfinite(bounds)):
        raise DataError(f"{what}: no features with a geometry")
    check_crs_plausible(bounds, crs, what=what)
    box = Transformer.from_crs(crs, grid.crs, always_xy=True).transform_bounds(*bounds)
    gx0, gy0, gx1, gy1 = grid.bounds
    if not (box[0] <= gx1 and box[2] >= gx0 and box[1] <= gy1 and box[3] >= gy0):
        raise CRSError(
            f"{what}: does not overlap the study area (its bounds in {grid.crs}: "
            f"{_rounded(box)}; the grid's: {_rounded(grid.bounds)}); is its "
            "CRS right? Coordinates in metres labelled as degrees, or the reverse, do this"
        )
    return data.to_crs(grid.crs) if isinstance(data, gpd.GeoDataFrame) else data


#: How far longitudes and latitudes may lie beyond ±180° (or 360°) and ±90°. [degrees]
AREA_OF_USE_MARGIN_DEG = 1.0


def check_crs_plausible(bounds, crs, *, what: str) -> None:
    """Refuse coordinates that cannot be in ``crs``: longitudes and latitudes beyond ±180° and
    ±90° in a geographic CRS (metres labelled as degrees), projected coordinates with no place
    on Earth, or projected coordinates that all lie within ±180 and ±90 of the projection's
    origin (degrees labelled as metres: real features span more than a few hundred metres).

    Raises
    ------
    CRSError
        The bounds ``(xmin, ymin, xmax, ymax)`` lie outside what ``crs`` can hold.
    """
    from pyproj import CRS, Transformer

    crs = CRS.from_user_input(crs)
    x0, y0, x1, y1 = (float(v) for v in bounds)
    if crs.is_geographic:
        ok = _in_degree_range(x0, y0, x1, y1, margin=AREA_OF_USE_MARGIN_DEG)
    else:
        lonlat = Transformer.from_crs(crs, "EPSG:4326", always_xy=True).transform_bounds(
            x0, y0, x1, y1
        )
        as_degrees = _in_degree_range(x0, y0, x1, y1, margin=0.0) and x1 - x0 + y1 - y0 > 0
        ok = all(np.isfinite(lonlat)) and not as_degrees
    if not ok:
        name = crs.to_string()
        raise CRSError(
            f"{what}: coordinates {_rounded(bounds)} cannot be in {name}, its CRS label (outside "
            f"its area of use{_area_text(crs)}, or degrees in a CRS of metres); is the CRS label "
            "right? Metres labelled as degrees, or the reverse, do this; write the file with its "
            "true CRS"
        )


def _in_degree_range(x0: float, y0: float, x1: float, y1: float, *, margin: float) -> bool:
    """Whether the bounds fit longitudes of −180–360° (either convention) and latitudes of
    ±90°, plus ``margin``."""
    return -180 - margin <= x0 and x1 <= 360 + margin and max(abs(y0), abs(y1)) <= 90 + margin


def _area_text(crs) -> str:
    area = crs.area_of_use
    if area is None:
        return ""
    return f", lon {area.west:g}..{area.east:g}, lat {area.south:g}..{area.north:g}"


def _rounded(values) -> list:
    """Coordinates rounded for a message; infinities kept as they are."""
    return [round(v) if np.isfinite(v) else float(v) for v in values]


def _user_path(spec: CampusSpec, path: str) -> Path:
    """A path the spec names, relative to the spec file's folder (or the working folder)."""
    base = Path(spec.source).parent if spec.source != "default" else Path.cwd()
    file, layer = split_ref(path)
    resolved = file if file.is_absolute() else base / file
    return Path(f"{resolved}:{layer}") if layer else resolved


def _valid(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``frame``'s rows with a geometry, their polygons repaired (``make_valid``) for joins."""
    placed = frame[frame.geometry.notna()]
    return placed.assign(geometry=shapely.make_valid(placed.geometry.to_numpy()))


def _water_stress_basins(reader: _Reader, grid: Grid) -> gpd.GeoDataFrame | None:
    """Aqueduct sub-basins meeting the grid, in its CRS; None where the bundle has none."""
    basins = reader.optional("water_stress_basins")
    if basins is None:
        return None
    what = str(reader.bundle.locate(reader.bundle.source("water_stress_basins").path))
    basins = _overlapping(basins, basins.total_bounds, basins.crs, grid, what=what)
    x0, y0, x1, y1 = grid.bounds
    return _valid(basins.cx[x0:x1, y0:y1])


def _utility_territories(reader: _Reader, grid: Grid) -> gpd.GeoDataFrame | None:
    """Retail utility territories meeting the grid, in its CRS; None where the bundle has none."""
    territories = reader.optional("utility_territories")
    if territories is None:
        return None
    what = str(reader.bundle.locate(reader.bundle.source("utility_territories").path))
    bounds = territories.total_bounds
    territories = _overlapping(territories, bounds, territories.crs, grid, what=what)
    x0, y0, x1, y1 = grid.bounds
    return _valid(territories.cx[x0:x1, y0:y1]).reset_index(drop=True)


def _hurricane_tracks(reader: _Reader, grid: Grid) -> gpd.GeoDataFrame | None:
    """Storm track points in the grid's CRS; None where the bundle has none."""
    tracks = reader.optional("hurricane_tracks")
    return None if tracks is None else tracks.to_crs(grid.crs)


def _named_places(reader: _Reader, grid: Grid) -> gpd.GeoDataFrame:
    """Named grid places (substations, plants) to match queue POI names against."""
    frames = []
    for source in reader.bundle.all("named_places"):
        places = reader.frame(source)
        named = places[places["name"].notna()][["name", "geometry"]].to_crs(grid.crs)
        frames.append(named.assign(source=source.path))
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=grid.crs)


def _climatology(reader: _Reader) -> pd.DataFrame:
    """The gridded climatology, refused if a column holds no value at all."""
    source = reader.bundle.source("climatology")
    table = reader.frame(source)
    theirs = {ours: name for name, ours in pvcz.COLUMNS.items()}
    empty = [theirs.get(c, c) for c in table.columns if table[c].isna().all()]
    if empty:
        raise DataError(
            f"{reader.bundle.locate(source.path)}: column(s) {empty} hold no value; the cooling "
            "and climate models need them: replace it with the complete climate table"
        )
    return table


def _queue(reader: _Reader) -> pd.DataFrame:
    """The interconnection queue, refused if not one request has a readable capacity."""
    queue = reader.frames("queue")
    if "capacity_raw_mw" in queue.columns and queue["capacity_raw_mw"].isna().all():
        files = [str(reader.bundle.locate(s.path)) for s in reader.bundle.all("queue")]
        raise DataError(
            f"{', '.join(files)}: no request has a readable capacity (mw columns); replace it "
            "with the complete queue table"
        )
    return queue


def _county_table(reader: _Reader, role: str, counties: Counties) -> pd.DataFrame:
    """A national county table, refused if its FIPS codes miss most of the study's counties."""
    table = reader.one(role)
    what = str(reader.bundle.locate(reader.bundle.source(role).path))
    check_county_join(table["fips"], counties, what=what)
    return table


def _county_buffers(path: Path, counties: Counties) -> pd.Series:
    """A rule's buffers by county: a few counties may have one, but not none of the study's."""
    buffers = read_county_values(path, column="buffer_m")
    check_county_join(buffers.index.to_series(), counties, what=str(path), min_share=0.0)
    return buffers


def _restrictions(reader: _Reader, counties: Counties) -> pd.DataFrame:
    """County bans and moratoria joined to the FIPS codes of the counties of their state.

    A restrictions file covering one state (GridWatch Indiana) names it with ``state = "IN"``;
    its county names join that state's counties only, and an unknown name is an error.
    """
    out = []
    for source in reader.bundle.all("county_restrictions"):
        table = reader.frame(source)
        state = source.options["state"]  # required by the catalogue
        mine = counties.table[counties.table["state"] == state]
        if mine.empty:
            continue  # the file's state is outside the study area
        out.append(gridwatch.join_county_names(table, mine))
    columns = ["fips", "county", "restriction", "detail", "as_of", "source"]
    return pd.concat(out, ignore_index=True) if out else pd.DataFrame(columns=columns)


def _stations(reader: _Reader) -> tuple[HourlyWeather, ...]:
    """Every hourly weather file of the bundle's weather folder, parsed."""
    source = reader.bundle.source("weather")
    files = reader.weather_files(source.path)
    if not files:
        raise DataError(
            f"{reader.bundle.root / source.path}: no EPW or TMY3 weather file; the cooling "
            "model needs at least one hourly station year"
        )
    return tuple(read_weather(path) for path in files)


#: The tract community roles a run needs together (docs/methods.md §6.1).
TRACT_COMMUNITY_ROLES = (
    "tract_community_2020",
    "tract_community_2010",
    "tract_community_2020_us",
    "tract_community_2010_us",
)


def _tract_indicators(reader: _Reader, tracts: gpd.GeoDataFrame) -> pd.DataFrame:
    """The community table of the run's tracts; all UNKNOWN where the bundle lacks the tract
    community tables."""
    geoids = pd.Index(tracts["geoid"].astype(str), name="geoid")
    if not all(role in reader.bundle.sources for role in TRACT_COMMUNITY_ROLES):
        empty = pd.DataFrame(index=geoids, columns=list(INDICATOR_COLUMNS), dtype="float64")
        empty = empty.assign(cejst_source="proxy", tract_join="none")
        empty.attrs["join_counts"] = {"identity": 0, "lineage": 0, "area": 0, "none": len(geoids)}
        empty.attrs["join_counts"] |= {"joined": 0, "tracts": len(geoids)}
        log.info("no tract community tables in the bundle: tract indicators UNKNOWN")
        return empty
    table = build_tract_indicators(
        geoids,
        values_2020=reader.one("tract_community_2020"),
        values_2010=reader.one("tract_community_2010"),
        national_2020=reader.one("tract_community_2020_us"),
        national_2010=reader.one("tract_community_2010_us"),
        relationship=reader.optional("tract_relationship"),
        cejst=reader.optional("cejst"),
    )
    log.info("%s", join_summary(table.attrs["join_counts"]))
    return table
