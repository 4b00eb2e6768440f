"""The data bundle: a catalogue of which file holds each input, in which provider format.

A bundle is a folder holding provider files and a catalogue ``<name>.toml``. The catalogue
names, for every input *role* a run reads (``counties``, ``transmission_lines``, ``queue``,
...), the file (a path relative to the folder, ``file.gpkg:layer`` for a GeoPackage layer) and
its provider *format* (``gridwatch_counties``, ``hifld_lines``, ``lbnl_queued_up``, ...), which
selects the reader in :mod:`siting.sources`. A user holding official national files writes a
catalogue that points to them and runs with no rebuild. ``SOURCES.csv`` beside the catalogue
gives the provenance (source, vintage, licence, tag) of every file.

Where a run looks for the bundle folder, in order: ``--data`` (``data_dir``), the environment
variable ``SITING_DATA``, then the bundle shipped inside the package (``siting/data``).
"""

from __future__ import annotations

import hashlib
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import MappingProxyType

import pandas as pd

from siting.errors import DataError, DataFileNotFound
from siting.sources.files import read_csv_text, split_ref

PROVENANCE_COLUMNS = (
    "path",
    "title",
    "source",
    "vintage",
    "license",
    "tag",
    "derived_from",
    "notes",
)
DATA_ENV = "SITING_DATA"

#: Every input role a catalogue may name, with the provider formats its readers accept.
ROLE_FORMATS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "states": ("gridwatch_state", "census_states"),
        "counties": ("gridwatch_counties", "census_counties"),
        "transmission_lines": ("gridwatch_lines", "hifld_lines"),
        "substations": ("hifld_substations",),
        "utility_territories": ("gridwatch_utility_territories",),
        "utilities": ("commongrid_eia861",),
        "cost_index": ("bls_cpi_u_annual",),
        "power_plants": ("eia_atlas_plants",),
        "named_places": ("osm_gridkit_vertices", "gridwatch_plants", "eia_atlas_plants"),
        "iso_regions": ("commongrid_iso",),
        "egrid_subregions": ("epa_power_profiler",),
        "tracts": ("census_pl94171_tracts",),
        "queue": ("lbnl_queued_up", "gridstatus_queue"),
        "county_water_use": ("usgs_county_water_use",),
        "water_stress_basins": ("aqueduct40_baseline",),
        "county_svi": ("cdc_svi",),
        "county_nri": ("fema_nri_counties",),
        "hurricane_tracks": ("ibtracs_tracks",),
        "tract_community_2020": ("tract_depindex2023",),
        "tract_community_2010": ("tract_svi2018_ejscreen2020",),
        "tract_community_2020_us": ("tract_depindex2023",),
        "tract_community_2010_us": ("tract_svi2018_ejscreen2020",),
        "tract_relationship": ("census_tract_relationship",),
        "cejst": ("cejst_communities",),
        "county_restrictions": ("gridwatch_restrictions",),
        "climatology": ("pvcz2019",),
        "zip_centroids": ("eeweather_zcta",),
        "county_warming": ("wapo_nclimdiv_warming",),
        "weather": ("weather_folder",),
        "land_cover": ("nlcd",),
        "elevation": ("dem_geotiff",),
    }
)
#: Formats a ``[features]`` entry may name (a plain path is a ``vector`` layer read as is).
FEATURE_FORMATS = ("vector", "padus", "fema_nfhl", "nwi_wetlands", "census_urban_areas")
#: Settings a source of a format takes (``region`` of a one-ISO queue, ``state`` of a file
#: that covers one state and names its counties without FIPS codes, ``year`` of a table that
#: does not state its data year), and which it must have.
FORMAT_OPTIONS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "gridstatus_queue": ("region",),
        "gridwatch_restrictions": ("state",),
        "commongrid_eia861": ("year",),
    }
)
REQUIRED_OPTIONS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "gridstatus_queue": ("region",),
        "gridwatch_restrictions": ("state",),
        "commongrid_eia861": ("year",),
    }
)
#: Roles a bundle may leave out: the run then uses what stands in for them, or reports the
#: columns that need them UNKNOWN, and says so.
OPTIONAL_ROLES = (
    "substations",
    "land_cover",
    "elevation",
    "water_stress_basins",
    "utility_territories",
    "utilities",
    "county_nri",
    "hurricane_tracks",
    "tract_community_2020",
    "tract_community_2010",
    "tract_community_2020_us",
    "tract_community_2010_us",
    "tract_relationship",
    "cejst",
    "zip_centroids",
)
#: Roles that may name several files (their rows are read and concatenated).
MULTI_ROLES = ("named_places", "queue")


@dataclass(frozen=True, kw_only=True)
class Source:
    """One file of a bundle: its role, path (a provenance key) and provider format.

    ``options`` holds format-specific settings, e.g. ``state = "IN"`` for a file that covers
    one state and names its counties without FIPS codes.
    """

    role: str
    path: str
    format: str
    options: Mapping[str, str]


@dataclass(frozen=True, kw_only=True)
class Bundle:
    """A data bundle on disk: its folder, catalogue name and the files of each role.

    ``features`` maps the names the spec's exclusion rules use (``layer = "lakes"``) to files;
    ``feature_formats`` gives each one's provider format (``vector`` when read as is).
    """

    root: Path
    name: str
    title: str
    sources: Mapping[str, tuple[Source, ...]]
    features: Mapping[str, str]
    feature_formats: Mapping[str, str]

    @property
    def catalogue(self) -> Path:
        """The catalogue file."""
        return self.root / f"{self.name}.toml"

    def file(self, ref: str) -> Path:
        """Path on disk of a provenance key (the GeoPackage for ``file.gpkg:layer`` keys)."""
        return self.root / split_ref(ref)[0]

    def locate(self, ref: str) -> Path:
        """The path to hand a reader: ``root/ref`` (``file.gpkg:layer`` kept whole)."""
        return self.root / ref

    def source(self, role: str) -> Source:
        """The one file of ``role``."""
        return self.all(role)[0]

    def all(self, role: str) -> tuple[Source, ...]:
        """Every file of ``role``; an error naming the catalogue if it has none."""
        if role not in self.sources:
            raise DataError(
                f"{self.catalogue}: no [inputs.{role}]; add the file holding it "
                f"(formats: {', '.join(ROLE_FORMATS[role])})"
            )
        return self.sources[role]


def default_data_dir() -> Path:
    """``$SITING_DATA`` if set, else the bundle folder shipped inside the package."""
    env = os.environ.get(DATA_ENV)
    return Path(env) if env else Path(str(resources.files("siting") / "data"))


def open_bundle(name: str, root: Path | None = None) -> Bundle:
    """Read and check the catalogue ``<root>/<name>.toml``.

    Raises
    ------
    DataFileNotFound
        No catalogue of that name in the folder.
    DataError
        The catalogue is not TOML, names an unknown role or format, or omits a required role.
    """
    root = Path(root) if root is not None else default_data_dir()
    path = root / f"{name}.toml"
    if not path.is_file():
        raise DataFileNotFound(
            f"{path}: data bundle catalogue not found; pass the bundle folder with --data or "
            f"${DATA_ENV}, or rebuild the bundle with siting/data/build_bundle.py"
        )
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise DataError(f"{path}: not a valid TOML catalogue ({err})") from None
    unknown = sorted(set(raw) - {"title", "inputs", "features"})
    if unknown:
        raise DataError(f"{path}: unknown key(s) {unknown}; allowed: title, inputs, features")
    sources = {role: _sources(path, role, entry) for role, entry in raw.get("inputs", {}).items()}
    missing = sorted(set(ROLE_FORMATS) - set(sources) - set(OPTIONAL_ROLES))
    if missing:
        raise DataError(f"{path}: no [inputs.<role>] for {missing}; every run reads them")
    features, formats = {}, {}
    for feature, entry in raw.get("features", {}).items():
        if isinstance(entry, str):
            entry = {"path": entry}
        ok = isinstance(entry, dict) and isinstance(entry.get("path"), str)
        fmt = entry.get("format", "vector") if isinstance(entry, dict) else None
        if not ok or fmt not in FEATURE_FORMATS or set(entry) - {"path", "format"}:
            raise DataError(
                f'{path}: [features] {feature} must be a path, or {{ path = "...", format = '
                f'"..." }} with a format of {list(FEATURE_FORMATS)}'
            )
        features[feature], formats[feature] = entry["path"], fmt
    return Bundle(
        root=root,
        name=name,
        title=str(raw.get("title", name)),
        sources=MappingProxyType(sources),
        features=MappingProxyType(features),
        feature_formats=MappingProxyType(formats),
    )


def _sources(path: Path, role: str, entry: object) -> tuple[Source, ...]:
    if role not in ROLE_FORMATS:
        raise DataError(f"{path}: unknown input role {role!r}; roles: {sorted(ROLE_FORMATS)}")
    entries = entry if isinstance(entry, list) else [entry]
    if len(entries) > 1 and role not in MULTI_ROLES:
        raise DataError(f"{path}: [inputs.{role}] must name one file, got {len(entries)}")
    out = []
    for item in entries:
        if not isinstance(item, dict) or not isinstance(item.get("path"), str):
            raise DataError(f'{path}: [inputs.{role}] needs path = "..." and format = "..."')
        fmt = item.get("format")
        if fmt not in ROLE_FORMATS[role]:
            raise DataError(
                f"{path}: [inputs.{role}] format must be one of {list(ROLE_FORMATS[role])}, "
                f"got {fmt!r}"
            )
        options = {k: str(v) for k, v in item.items() if k not in ("path", "format")}
        unknown = sorted(set(options) - set(FORMAT_OPTIONS.get(fmt, ())))
        if unknown:
            raise DataError(
                f"{path}: [inputs.{role}] unknown option(s) {unknown} for format {fmt!r}; "
                f"allowed: {list(FORMAT_OPTIONS.get(fmt, ()))}"
            )
        missing = [k for k in REQUIRED_OPTIONS.get(fmt, ()) if k not in options]
        if missing:
            raise DataError(
                f'{path}: [inputs.{role}] format {fmt!r} needs {", ".join(missing)} = "..." '
                '(e.g. region = "MISO" for a one-ISO queue, state = "IN" for a one-state file, '
                'year = "2024" for an EIA-861 table)'
            )
        out.append(
            Source(role=role, path=item["path"], format=fmt, options=MappingProxyType(options))
        )
    return tuple(out)


def provenance(bundle: Bundle) -> pd.DataFrame:
    """The bundle's provenance table (``SOURCES.csv``), one row per file or layer."""
    path = bundle.root / "SOURCES.csv"
    table = read_csv_text(path)
    missing = [c for c in PROVENANCE_COLUMNS if c not in table.columns]
    if missing:
        raise DataError(f"{path}: column(s) {missing} missing; found {list(table.columns)}")
    return table.fillna("").set_index("path")


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def describe_inputs(bundle: Bundle, refs: tuple[str, ...]) -> list[dict[str, str]]:
    """Manifest records of the inputs a run read: path, sha256, source, licence and tag.

    The layers of one GeoPackage share its file's hash, computed once.
    """
    table = provenance(bundle)
    digests: dict[Path, str] = {}
    records = []
    for ref in sorted(set(refs)):
        if ref not in table.index:
            raise DataError(
                f"{bundle.root / 'SOURCES.csv'}: no provenance row for {ref!r}; add one"
            )
        row = table.loc[ref]
        file = bundle.file(ref)
        if file not in digests:
            digests[file] = sha256(file)
        records.append(
            {
                "path": ref,
                "sha256": digests[file],
                "title": row["title"],
                "source": row["source"],
                "vintage": row["vintage"],
                "license": row["license"],
                "tag": row["tag"],
                "notes": row["notes"],
            }
        )
    return records
