"""Reading provider files: CSV text, vector files, required columns, numbers and FIPS codes.

Shared by every reader in :mod:`siting.sources`. Each function turns a missing, unreadable or
malformed file into one :class:`~siting.errors.SitingError` that names the file, the problem
and the fix.
"""

from __future__ import annotations

import csv
import gzip
import itertools
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pyogrio.errors
import shapely.errors

from siting.errors import CRSError, DataError, DataFileNotFound

#: Text that means "no value" in provider tables (as written by spreadsheets, databases and
#: R or pandas exports); never read as zero.
MISSING_TOKENS = (
    "",
    "--",
    "-",
    "NA",
    "N/A",
    "na",
    "n/a",
    "#N/A",
    "NaN",
    "nan",
    "NULL",
    "null",
    "None",
    "<NA>",
)


def one_line(err: BaseException) -> str:
    """The message of ``err`` on one line (parsers' messages span several), for a DataError.

    >>> one_line(ValueError("Expected 3 fields in line 5, saw 4\\n"))
    'Expected 3 fields in line 5, saw 4'
    """
    return " ".join(str(err).split())


def split_ref(path: str | Path) -> tuple[Path, str | None]:
    """A file path and an optional layer, from ``file.gpkg:layer`` or a plain path.

    >>> split_ref("data/indiana.gpkg:counties")
    (PosixPath('data/indiana.gpkg'), 'counties')
    >>> split_ref("tables/svi.csv")
    (PosixPath('tables/svi.csv'), None)
    """
    text = str(path)
    head, sep, tail = text.rpartition(":")
    if sep and head.lower().endswith((".gpkg", ".gdb", ".sqlite")) and "/" not in tail:
        return Path(head), tail
    return Path(text), None


def read_vector(path: str | Path, *, layer: str | None = None) -> gpd.GeoDataFrame:
    """Read a vector file (GeoPackage layer, GeoJSON, shapefile) that must carry its CRS.

    ``path`` may be ``file.gpkg:layer``.

    Raises
    ------
    DataFileNotFound, DataError, CRSError
        The file is missing, cannot be read as a vector file, has no such layer or no CRS.
    """
    file, in_ref = split_ref(path)
    layer = layer or in_ref
    what = f"{file}:{layer}" if layer else str(file)
    if not file.exists():
        raise DataFileNotFound(f"{file}: file not found")
    try:
        gdf = pyogrio.read_dataframe(file, layer=layer)
    except pyogrio.errors.DataLayerError:
        layers = [row[0] for row in pyogrio.list_layers(file)]
        raise DataError(f"{file}: no layer {layer!r}; found {layers}") from None
    except (
        pyogrio.errors.DataSourceError,
        OSError,
        UnicodeDecodeError,  # attribute text that is not in the file's encoding
        shapely.errors.GEOSException,  # a malformed geometry, e.g. a line of one point
        ValueError,  # an attribute whose values are lists or objects
    ) as err:
        raise DataError(
            f"{what}: cannot read as a vector file ({one_line(err)}); check that it is a "
            "complete, valid file of this format"
        ) from None
    if gdf.crs is None:
        raise CRSError(f"{what}: no CRS; write the file with its CRS (e.g. EPSG:4326)")
    return gdf


def read_csv_text(
    path: str | Path,
    *,
    encoding: str = "utf-8",
    header_with: str | None = None,
    usecols: Iterable[str] | Callable[[str], bool] | None = None,
    sep: str = ",",
) -> pd.DataFrame:
    """Read a CSV (optionally gzipped) with every column as text and missing tokens as NaN.

    Parameters
    ----------
    path : str or pathlib.Path
        The file.
    encoding : str
        Text encoding (``"utf-8-sig"`` strips a byte-order mark; ``"latin-1"`` for old files).
    header_with : str, optional
        A column name of the header row: title rows above the first row holding it are
        skipped (spreadsheets saved as CSV often have them).
    usecols : optional
        Columns to read (names, or a predicate on names).
    sep : str
        The delimiter (``"|"`` for Census relationship files).

    Raises
    ------
    DataFileNotFound, DataError
        The file is missing, is a folder, or cannot be parsed as CSV in ``encoding``.
    """
    path = Path(path)
    if not path.is_file():
        raise DataFileNotFound(f"{path}: file not found")
    opener = gzip.open if path.suffix.lower() == ".gz" else open
    try:
        header = 0
        if header_with is not None:
            with opener(path, "rt", encoding=encoding, newline="") as f:
                head = list(itertools.islice(csv.reader(f, delimiter=sep), 5))
            hits = [i for i, row in enumerate(head) if header_with in row]
            header = hits[0] if hits else 0
        return pd.read_csv(
            path,
            header=header,
            sep=sep,
            dtype=str,
            encoding=encoding,
            usecols=usecols,
            keep_default_na=False,
            na_values=list(MISSING_TOKENS),
            low_memory=False,
        )
    except (
        pd.errors.ParserError,
        pd.errors.EmptyDataError,
        UnicodeDecodeError,
        csv.Error,
        EOFError,
        OSError,
        zlib.error,  # a corrupt gzip stream
        ValueError,
    ) as err:
        kind = "CSV" if sep == "," else f"{sep!r}-delimited text"
        raise DataError(
            f"{path}: cannot parse as {kind} in {encoding} ({one_line(err)}); check that the "
            "file is complete and written by the provider's export, not edited by hand"
        ) from None


def require_columns(table: pd.DataFrame, columns: Iterable[str], *, what: str, hint: str) -> None:
    """Raise a :class:`DataError` naming the missing columns, what was found, and ``hint``.

    >>> require_columns(pd.DataFrame({"a": [1]}), ["a", "b"], what="x.csv", hint="Is this Y?")
    Traceback (most recent call last):
    ...
    siting.errors.DataError: x.csv: column(s) ['b'] missing; found ['a']. Is this Y?
    """
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise DataError(f"{what}: column(s) {missing} missing; found {list(table.columns)}. {hint}")


def numbers(values: pd.Series, *, what: str, column: str) -> pd.Series:
    """Finite float numbers from text or numbers; blanks and missing tokens are NaN; other
    text, and infinite values (``inf``, ``1e400``), are an error. Thousands separators
    (``1,234``) are accepted.

    >>> numbers(pd.Series(["1,234", " 5 ", "", None, "NA"]), what="x", column="c").tolist()
    [1234.0, 5.0, nan, nan, nan]
    """
    try:  # clean numbers and missing values: the common case, parsed at once
        out = pd.to_numeric(values, errors="raise").astype("float64")
    except (ValueError, TypeError):
        out = _numbers_from_text(values, what=what, column=column)
    infinite = np.isinf(out.to_numpy())
    if infinite.any():
        raise DataError(
            f"{what}: column {column!r} holds infinite values "
            f"{sorted(map(str, values[infinite].unique()))[:5]}; expected finite numbers"
        )
    return out


def _numbers_from_text(values: pd.Series, *, what: str, column: str) -> pd.Series:
    text = values.astype("string").str.strip().str.replace(",", "", regex=False)
    text = text.mask(text.isin(MISSING_TOKENS))
    out = pd.to_numeric(text, errors="coerce").astype("float64")
    bad = out.isna() & text.notna()
    if bad.any():
        raise DataError(
            f"{what}: column {column!r} holds non-numeric values "
            f"{sorted(text[bad].unique())[:5]}; expected numbers"
        )
    return out


def fips_codes(values: pd.Series, *, width: int, what: str, column: str) -> pd.Series:
    """FIPS codes as zero-padded text of ``width`` digits (5 for counties, 11 for tracts).

    Integers and floats written by spreadsheets (``18001``, ``18001.0``) are accepted; any
    code that is not all digits, or longer than ``width``, is an error, never silently kept.

    >>> fips_codes(pd.Series([1001, "18003", "18005.0"]), width=5, what="x", column="FIPS").tolist()
    ['01001', '18003', '18005']
    """
    padded = _padded_digits(values, width=width)
    if padded is not None:
        return padded
    text = values.astype("string").str.strip()
    text = text.str.replace(r"\.0+$", "", regex=True)
    padded = text.str.zfill(width)
    bad = padded.isna() | ~padded.str.fullmatch(r"\d+").fillna(False) | (padded.str.len() > width)
    if bad.any():
        raise DataError(
            f"{what}: column {column!r} holds values that are not {width}-digit FIPS codes: "
            f"{sorted(map(str, values[bad.to_numpy()].unique()))[:5]}"
        )
    return padded.astype(str)


def _padded_digits(values: pd.Series, *, width: int) -> pd.Series | None:
    """The codes zero-padded to ``width`` when every one is text of 1 to ``width`` decimal
    digits (codes read as text, the common case), else None.

    Python's own ``str`` methods on the list: no strip, suffix or pattern can change such codes,
    so the result is the one :func:`fips_codes` builds with pandas string methods, in a tenth
    of the time.
    """
    if not pd.api.types.is_string_dtype(values.dtype) or values.empty:
        return None
    items = values.tolist()
    if not all(type(item) is str for item in items):
        return None
    lengths = set(map(len, items))
    if min(lengths) < 1 or max(lengths) > width or not "".join(items).isdecimal():
        return None
    padded = [item.zfill(width) for item in items] if lengths != {width} else items
    return pd.Series(padded, index=values.index, name=values.name, dtype=str)


def unique_codes(codes: pd.Series, *, what: str, column: str) -> None:
    """Raise a :class:`DataError` if a code appears twice (a join on it would duplicate rows)."""
    dup = codes[codes.duplicated()]
    if len(dup):
        raise DataError(
            f"{what}: column {column!r} repeats {sorted(map(str, dup.unique()))[:5]}; "
            "each code must appear once"
        )
