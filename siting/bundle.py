"""The data bundle: where input files live, how they are read, and their provenance.

A bundle is a folder (by default ``data/`` beside the package) holding ``<name>.gpkg`` with
the region's vector layers in EPSG:5070, national tables under ``tables/``, weather files under
``weather/`` and ``SOURCES.csv``, the provenance of every file. Readers here turn a missing or
corrupt file into one clear :class:`~siting.errors.SitingError`.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pyogrio.errors

from siting.errors import CRSError, DataError, DataFileNotFound

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


def default_data_dir() -> Path:
    """``$SITING_DATA`` if set, else the ``data/`` folder beside the installed package."""
    env = os.environ.get("SITING_DATA")
    return Path(env) if env else Path(__file__).resolve().parents[1] / "data"


@dataclass(frozen=True, kw_only=True)
class Bundle:
    """A data bundle on disk: ``root`` folder and the region ``name`` of its GeoPackage."""

    root: Path
    name: str

    @property
    def gpkg(self) -> Path:
        """The region's GeoPackage."""
        return self.root / f"{self.name}.gpkg"

    def layer_ref(self, layer: str) -> str:
        """Provenance key of a GeoPackage layer, e.g. ``indiana.gpkg:counties``."""
        return f"{self.gpkg.name}:{layer}"

    def file(self, ref: str) -> Path:
        """Path on disk of a provenance key (the GeoPackage for ``file.gpkg:layer`` keys)."""
        return self.root / ref.split(":", 1)[0]


def open_bundle(name: str, root: Path | None = None) -> Bundle:
    """Check that the bundle exists and return it."""
    bundle = Bundle(root=(root or default_data_dir()), name=name)
    if not bundle.gpkg.is_file():
        raise DataFileNotFound(
            f"{bundle.gpkg}: data bundle not found; rebuild it with "
            "'python data/build_bundle.py --source <raw data folder>' or set SITING_DATA"
        )
    return bundle


def read_layer(bundle: Bundle, layer: str, *, columns: tuple[str, ...] = ()) -> gpd.GeoDataFrame:
    """Read one vector layer of the bundle's GeoPackage, checking columns and CRS."""
    path = bundle.gpkg
    try:
        gdf = pyogrio.read_dataframe(path, layer=layer)
    except pyogrio.errors.DataLayerError:
        layers = [row[0] for row in pyogrio.list_layers(path)]
        raise DataError(f"{path}: no layer {layer!r}; found {layers}") from None
    except (pyogrio.errors.DataSourceError, OSError) as err:
        raise DataError(
            f"{path}: cannot read layer {layer!r} ({err}); rebuild the bundle"
        ) from None
    return check_frame(gdf, columns=columns, what=f"{path}:{layer}")


def check_frame(gdf: gpd.GeoDataFrame, *, columns: tuple[str, ...], what: str) -> gpd.GeoDataFrame:
    """Raise a clear error when ``gdf`` lacks a CRS or one of ``columns``."""
    if gdf.crs is None:
        raise CRSError(f"{what}: no CRS; write the file with its CRS (the bundle uses EPSG:5070)")
    missing = [c for c in columns if c not in gdf.columns]
    if missing:
        raise DataError(f"{what}: column(s) {missing} missing; found {list(gdf.columns)}")
    return gdf


def read_table(
    bundle: Bundle, ref: str, *, columns: tuple[str, ...], dtype: dict | None = None
) -> pd.DataFrame:
    """Read a CSV table of the bundle (``tables/...``), checking that ``columns`` are present."""
    path = bundle.root / ref
    if not path.is_file():
        raise DataFileNotFound(f"{path}: table not found; rebuild the bundle")
    try:
        table = pd.read_csv(path, dtype=dtype, low_memory=False)
    except (pd.errors.ParserError, UnicodeDecodeError, EOFError, OSError) as err:
        raise DataError(f"{path}: cannot parse as CSV ({err}); rebuild the bundle") from None
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise DataError(f"{path}: column(s) {missing} missing; found {list(table.columns)}")
    return table


def provenance(bundle: Bundle) -> pd.DataFrame:
    """The bundle's provenance table (``SOURCES.csv``), one row per file or layer."""
    table = read_table(bundle, "SOURCES.csv", columns=PROVENANCE_COLUMNS, dtype=str)
    return table.fillna("").set_index("path")


def file_stamp(*paths: Path) -> tuple[int, ...]:
    """Modification time [ns] and size [bytes] of each file, (-1, -1) for a missing one.

    A cache key that changes whenever one of the files does; a missing file is left for the
    reader to report.
    """
    stamp: list[int] = []
    for path in paths:
        try:
            stat = path.stat()
        except FileNotFoundError:
            stamp += [-1, -1]
        else:
            stamp += [stat.st_mtime_ns, stat.st_size]
    return tuple(stamp)


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def describe_inputs(bundle: Bundle, refs: list[str]) -> list[dict[str, str]]:
    """Manifest records of the inputs a run read: path, sha256, source, licence and tag."""
    table = provenance(bundle)
    records = []
    for ref in sorted(set(refs)):
        if ref not in table.index:
            raise DataError(
                f"{bundle.root / 'SOURCES.csv'}: no provenance row for {ref!r}; add one"
            )
        row = table.loc[ref]
        records.append(
            {
                "path": ref,
                "sha256": sha256(bundle.file(ref)),
                "title": row["title"],
                "source": row["source"],
                "vintage": row["vintage"],
                "license": row["license"],
                "tag": row["tag"],
                "notes": row["notes"],
            }
        )
    return records
