"""Hypothesis strategies that write input files for every reader of ``siting.sources`` and the
spec, and the check that a reader either returns a frame that keeps its promises or raises a
:class:`~siting.errors.SitingError` with a one-line message naming the file.

Each reader is a :class:`ReaderCase`: its valid sample file (built from the fixtures of the
reader's own tests, in the provider's published schema), how the file is encoded, and the
invariants its output must meet. Two strategies write files for a case:

* :func:`schema_files`: files in the official schema with edge values in the cells (NaN, blanks,
  text in numeric columns, negative, huge, repeated rows), columns dropped, renamed or repeated,
  header-only files, a byte-order mark, another delimiter or encoding, truncated files; for
  GeoJSON, JSON and TOML inputs the same at the level of features, keys and values;
* :func:`mutated_files`: the valid sample with bytes flipped or inserted, truncated, lines
  deleted or repeated, columns dropped or renamed, cells replaced.

Used by ``tests/robustness/test_fuzz_readers.py`` (bounded, reproducible) and
``scripts/fuzz_readers.py`` (many examples, on demand).
"""

from __future__ import annotations

import csv
import functools
import gzip
import io
import json
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from siting import spec as spec_module
from siting.errors import SitingError
from siting.sources import (
    cdc_eji,
    cdc_svi,
    cejst,
    census_relationship,
    eeweather_zcta,
    epa_ejscreen,
    epw,
    fema_nri,
    gridstatus,
    gridwatch,
    hifld,
    ibtracs,
    lbnl,
    nclimdiv_warming,
    siting_tables,
    tmy3,
    tract_tables,
    usgs_water_use,
)
from siting.sources.hourly_weather import HOURLY_COLUMNS, HOURS_PER_YEAR
from siting.sources.queue_table import QUEUE_SCHEMA, STAGES, STATUSES

#: Examples per reader and strategy in the test suite; ``SITING_FUZZ_EXAMPLES`` overrides it.
CI_EXAMPLES = 25


def ci_examples() -> int:
    """Examples per reader and strategy for the test suite (``SITING_FUZZ_EXAMPLES`` or 25)."""
    return int(os.environ.get("SITING_FUZZ_EXAMPLES", CI_EXAMPLES))


# ---------------------------------------------------------------------------------------------
# reader cases
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ReaderCase:
    """One reader, its valid sample and what its output must satisfy.

    ``kind`` is ``"table"`` (delimited text with a header row), ``"lines"`` (delimited text
    read whole: weather files), ``"geojson"``, ``"json"`` or ``"toml"``. ``sample`` returns the
    sample's text; ``encoding`` writes it; ``gzip`` compresses the written file.
    """

    name: str
    filename: str
    read: Callable[[Path], object]
    sample: Callable[[], str]
    check: Callable[[object], None]
    kind: str = "table"
    delimiter: str = ","
    encoding: str = "utf-8"
    gzip: bool = False
    #: Weight of this reader's examples relative to the others (slow readers run fewer).
    weight: float = 1.0
    #: Fields of each line the reader uses (weather files), edited more often than others.
    fields: tuple[int, ...] = ()
    #: Columns the reader uses (tables), edited more often than others.
    columns: tuple[str, ...] = ()


def _csv_text(header: list[str], rows: list[list[str]], *, delimiter: str = ",") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _lines(header: str, rows) -> str:
    return "\n".join([header, *rows]) + "\n"


def _written(writer: Callable[[Path], object], name: str) -> str:
    """The text a fixture writer of the test suite writes."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        writer(path)
        return path.read_text(encoding="utf-8")


@functools.cache
def _svi_county() -> str:
    from tests.sources import test_cdc_svi as t

    return _csv_text(t.HEADER, [t.AUTAUGA, t.ST_JOSEPH, t.LOVING])


@functools.cache
def _svi_tract() -> str:
    from tests.sources import test_cdc_svi as t

    return _csv_text(t.HEADER, [t.TRACT_AL, t.TRACT_IN])


@functools.cache
def _water_use() -> str:
    from tests.sources import test_usgs_water_use as t

    return _csv_text(t.HEADER, [t.AUTAUGA, t.MARION])


@functools.cache
def _warming() -> str:
    from tests.sources import test_nclimdiv_warming as t

    return _lines(t.HEADER, [t.GENEVA, t.MARION, t.DONA_ANA])


@functools.cache
def _nri() -> str:
    from tests.sources import test_fema_nri as t

    blank = [""] * len(t.HAZARD_HEADER)
    rows = [[*r, *t.HAZARD_CELLS.get(r[8], blank)] for r in (t.AUTAUGA, t.ST_JOSEPH, t.MARION)]
    return _csv_text(t.HEADER + t.HAZARD_HEADER, rows)


def _county_values() -> str:
    return _lines(
        "fips,buffer_m,source",
        ["18157,600,Tippecanoe County zoning ordinance 2025", "18001,300.5,Adams County"],
    )


@functools.cache
def _restrictions() -> str:
    from tests.sources import test_gridwatch as t

    return json.dumps(t.RESTRICTIONS, indent=1, ensure_ascii=False) + "\n"


@functools.cache
def _hifld_lines() -> str:
    from tests.sources import test_hifld as t

    return _indented_geojson(t.hifld_lines())


@functools.cache
def _hifld_substations() -> str:
    from tests.sources import test_hifld as t

    return _indented_geojson(t.hifld_substations().to_crs("EPSG:4326"))


def _indented_geojson(gdf: gpd.GeoDataFrame) -> str:
    """GeoJSON text with one line per member, so that line edits hit one value."""
    return json.dumps(json.loads(gdf.to_json()), indent=1) + "\n"


@functools.cache
def _lbnl() -> str:
    from tests.queue_fixtures import lbnl_2024_file

    return _written(lbnl_2024_file, "queue.csv")


#: Requests in the layout of the official workbook's sheet "03. Complete Queue Data".
LBNL_WORKBOOK_ROWS = (
    {
        "q_id": "1",
        "q_status": "Operational",
        "q_date": "1/1/2015",
        "on_date": "1/1/2019",
        "county": "Lake/Porter",
        "fips_codes": "18089,18127",
        "state": "IN",
        "region": "MISO",
        "IA_status_clean": "IA Executed",
        "mw1": "100",
        "mw2": "50",
        "type_clean": "Solar+Battery",
        "poi_name": "Schahfer 345 kV",
    },
    {
        "q_id": "2",
        "q_status": "Withdrawn",
        "q_date": "3/1/2020",
        "wd_date": "2021-06-30",
        "county": "St. Joseph",
        "state": "Indiana",
        "region": "PJM",
        "mw1": "-5",
    },
)


@functools.cache
def _lbnl_workbook() -> str:
    from tests.queue_fixtures import LBNL_WORKBOOK_COLUMNS, write_csv

    def write(path: Path) -> None:
        title = "03. Complete Queue Data"
        write_csv(path, LBNL_WORKBOOK_COLUMNS, LBNL_WORKBOOK_ROWS, title=title)

    return _written(write, "sheet.csv")


@functools.cache
def _gridstatus() -> str:
    from tests.queue_fixtures import GRIDSTATUS_COLUMNS, write_csv
    from tests.sources.test_gridstatus import ROWS

    return _written(lambda p: write_csv(p, GRIDSTATUS_COLUMNS, ROWS), "queue.csv")


@functools.cache
def _tmy3() -> str:
    from tests.weather_files import typical_year, write_tmy3

    return _written(lambda p: write_tmy3(p, typical_year()), "station.tmy3")


@functools.cache
def _epw() -> str:
    from tests.weather_files import typical_year, write_epw

    return _written(lambda p: write_epw(p, typical_year()), "station.epw")


@functools.cache
def _tract2020() -> str:
    from tests.sources import test_tract_tables as t

    return _lines(t.HEADER_2020, t.ROWS_2020)


@functools.cache
def _tract2010() -> str:
    from tests.sources import test_tract_tables as t

    return _lines(t.HEADER_2010, t.ROWS_2010)


@functools.cache
def _zcta() -> str:
    from tests.sources import test_eeweather_zcta as t

    rows = [
        "46204,39.7718,-86.1567,IN,5,A,Cold",
        "00601,18.1800,-66.7522,PR,1,A,Hot-Humid",
        "2139,42.3647,-71.1042,MA,5,A,Cold",
    ]
    return _lines(t.HEADER, rows)


@functools.cache
def _ibtracs() -> str:
    from tests.sources import test_ibtracs as t

    rows = [
        "1,2005236N23285,NA,GM,KATRINA,TS,29.3,-89.6,110,920,2005,8,29",
        "2,2005236N23285,NA,GM,KATRINA,TS,31.1,-89.6,65,948,2005,8,29",
        "3,2005236N23285,NA,NA,KATRINA,TS,35.0,-88.0,,990,2005,8,30",
    ]
    return _lines(t.HEADER, rows)


def _ibtracs_full() -> str:
    """Track points as in the full IBTrACS CSV: ``ISO_TIME`` and a units row below the header."""
    return _lines(
        "SID,SEASON,NUMBER,BASIN,SUBBASIN,NAME,ISO_TIME,NATURE,LAT,LON,WMO_WIND,USA_WIND",
        [
            " ,Year, , , , , , ,degrees_north,degrees_east,kts,kts",
            "2005236N23285,2005,61,NA,GM,KATRINA,2005-08-29 12:00:00,TS,29.3,-89.6,110,110",
            "2005236N23285,2005,61,NA,GM,KATRINA,2005-08-29 18:00:00,TS,31.1,-89.6,65,65",
            "2005236N23285,2005,61,NA,NA,KATRINA,2005-08-30 00:00:00,TS,35.0,-88.0, , ",
        ],
    )


@functools.cache
def _relationship() -> str:
    from tests.sources import test_census_relationship as t

    return _lines(t.HEADER, t.ROWS)


@functools.cache
def _cejst() -> str:
    from tests.sources import test_cejst as t

    return _lines(t.HEADER, t.ROWS)


@functools.cache
def _ejscreen() -> str:
    from tests.sources import test_epa_ejscreen as t

    return _lines(t.HEADER, [t.ROW_AL, t.ROW_IN])


@functools.cache
def _eji() -> str:
    from tests.sources import test_cdc_eji as t

    return _lines(",".join(t.HEADER), [t.AUTAUGA, t.ST_JOSEPH, t.EMPTY_TRACT])


@functools.cache
def _spec() -> str:
    return spec_module.default_spec_path().read_text(encoding="utf-8")


# --- invariants of the outputs ----------------------------------------------------------------


def _codes(values: pd.Series, width: int, *, unique: bool = True) -> None:
    """Codes are ``width``-digit text, none missing, each once."""
    assert values.map(lambda v: isinstance(v, str)).all(), "codes must be text"
    assert values.str.fullmatch(rf"\d{{{width}}}").all(), f"codes must be {width} digits"
    if unique:
        assert not values.duplicated().any(), "codes repeat"


def _columns(frame: pd.DataFrame, columns) -> None:
    assert list(frame.columns) == list(columns), f"columns {list(frame.columns)}"


def _within(values: pd.Series, low: float, high: float) -> None:
    number = values.dropna()
    assert ((number >= low) & (number <= high)).all(), f"values outside [{low}, {high}]"


def _check_svi(out: pd.DataFrame) -> None:
    _columns(out, cdc_svi.SVI_COLUMNS.values())
    level = out.attrs["level"]
    _codes(out["fips"], 5 if level == "county" else 11)
    for column in out.columns:
        if column.endswith("_pct"):
            _within(out[column], 0.0, 1.0)


def _check_water_use(out: pd.DataFrame) -> None:
    _columns(out, usgs_water_use.WATER_USE_COLUMNS.values())
    _codes(out["fips"], 5)


def _check_warming(out: pd.DataFrame) -> None:
    _columns(out, nclimdiv_warming.WARMING_COLUMNS.values())
    _codes(out["fips"], 5)
    assert out["max_warming_season"].dropna().isin(nclimdiv_warming.SEASONS).all()


def _check_nri(out: pd.DataFrame) -> None:
    _columns(out, fema_nri.NRI_COLUMNS.values())
    _codes(out["fips"], 5)
    for column in out.columns:
        if column.endswith("_pct"):
            _within(out[column], 0.0, 1.0)
    assert out["nri_risk_rating"].dropna().isin(fema_nri.RATINGS).all()


def _check_county_values(out: pd.Series) -> None:
    _codes(pd.Series(out.index), 5)
    assert out.notna().all() and (out >= 0).all(), "values must be ≥ 0 on every row"


def _check_restrictions(out: pd.DataFrame) -> None:
    _columns(out, [*gridwatch.RESTRICTION_COLUMNS.values(), "as_of", "source"])
    assert len(out) > 0
    assert out["restriction"].isin(gridwatch.RESTRICTION_TYPES).all()
    assert out["county"].map(lambda v: isinstance(v, str) and v != "").all()


def _check_lines(out: gpd.GeoDataFrame) -> None:
    assert out.crs is not None
    assert "kv" in out.columns
    kv = pd.to_numeric(out["kv"])
    assert (kv.dropna() > 0).all(), "voltages must be positive or unknown"


def _check_substations(out: gpd.GeoDataFrame) -> None:
    assert out.crs is not None
    for column in ("max_kv", "min_kv"):
        assert (pd.to_numeric(out[column]).dropna() > 0).all()
    assert (pd.to_numeric(out["n_lines"]).dropna() >= 0).all()


def _check_queue(out: pd.DataFrame) -> None:
    _columns(out, QUEUE_SCHEMA)
    assert out["status"].isin(STATUSES).all()
    assert out["stage"].isin(STAGES).all()
    assert (out["unparsed_dates"] >= 0).all()
    assert (out["capacity_mw"].dropna() > 0).all()


def _check_weather(out) -> None:
    hourly = out.hourly
    assert len(hourly) == HOURS_PER_YEAR
    assert list(hourly.columns) == ["month", *HOURLY_COLUMNS]
    assert hourly.notna().all().all(), "hourly values must be complete after gap filling"
    assert np.isfinite(hourly.to_numpy(dtype=float)).all()


def _check_tracts(columns) -> Callable[[pd.DataFrame], None]:
    def check(out: pd.DataFrame) -> None:
        _columns(out, columns.values())
        _codes(out["geoid"], 11)

    return check


def _check_zips(out: pd.DataFrame) -> None:
    _columns(out, eeweather_zcta.COLUMNS.values())
    _codes(out["zip_code"], 5)
    _within(out["lat_deg"], -90.0, 90.0)
    _within(out["lon_deg"], -180.0, 180.0)
    assert out["lat_deg"].notna().all() and out["lon_deg"].notna().all()


def _check_tracks(out: gpd.GeoDataFrame) -> None:
    assert out.crs.to_epsg() == 4326
    assert len(out) > 0
    _within(out.geometry.y, -90.0, 90.0)
    _within(out.geometry.x, -180.0, 180.0)
    assert out["category"].dropna().isin([0.0, 1.0, 2.0, 3.0, 4.0, 5.0]).all()


def _check_relationship(out: pd.DataFrame) -> None:
    _columns(out, census_relationship.RELATIONSHIP_COLUMNS.values())
    _codes(out["geoid_2020"], 11, unique=False)
    _codes(out["geoid_2010"], 11, unique=False)
    assert not out.duplicated(["geoid_2020", "geoid_2010"]).any()
    assert (out["arealand_part_m2"].dropna() >= 0).all()


def _check_cejst(out: pd.DataFrame) -> None:
    _columns(out, cejst.CEJST_COLUMNS.values())
    _codes(out["geoid"], 11)
    _within(out["low_income_pct"], 0.0, 1.0)
    assert out["disadvantaged"].dropna().isin([0.0, 1.0]).all()


def _check_ejscreen(out: pd.DataFrame) -> None:
    _columns(out, epa_ejscreen.EJSCREEN_COLUMNS.values())
    _codes(out["geoid"], 12 if out.attrs["level"] == "block_group" else 11)
    for column in out.columns:
        if column.endswith("_pct_us"):
            _within(out[column], 0.0, 1.0)


def _check_eji(out: pd.DataFrame) -> None:
    _columns(out, cdc_eji.EJI_COLUMNS.values())
    _codes(out["geoid"], 11)
    for column in out.columns:
        if column.endswith("_pct"):
            _within(out[column], 0.0, 1.0)


def _check_spec(out) -> None:
    assert isinstance(out, spec_module.CampusSpec)
    assert abs(sum(out.weights.values()) - 1.0) < 1e-6


CASES = (
    ReaderCase(
        name="spec.load_spec",
        filename="spec.toml",
        read=spec_module.load_spec,
        sample=_spec,
        check=_check_spec,
        kind="toml",
    ),
    ReaderCase(
        name="cdc_svi.read_svi",
        columns=tuple(cdc_svi.SVI_COLUMNS),
        filename="SVI_2022_US_county.csv",
        read=cdc_svi.read_svi,
        sample=_svi_county,
        check=_check_svi,
        encoding="utf-8-sig",
    ),
    ReaderCase(
        name="cdc_svi.read_svi[tract]",
        columns=tuple(cdc_svi.SVI_COLUMNS),
        filename="SVI_2022_US.csv",
        read=cdc_svi.read_svi,
        sample=_svi_tract,
        check=_check_svi,
        encoding="utf-8-sig",
    ),
    ReaderCase(
        name="usgs_water_use.read_county_water_use",
        columns=tuple(usgs_water_use.WATER_USE_COLUMNS),
        filename="usco2015v2.0.csv",
        read=usgs_water_use.read_county_water_use,
        sample=_water_use,
        check=_check_water_use,
    ),
    ReaderCase(
        name="nclimdiv_warming.read_county_warming",
        columns=tuple(nclimdiv_warming.WARMING_COLUMNS),
        filename="model_county.csv",
        read=nclimdiv_warming.read_county_warming,
        sample=_warming,
        check=_check_warming,
        encoding="latin-1",
    ),
    ReaderCase(
        name="fema_nri.read_nri_counties",
        columns=tuple(fema_nri.NRI_COLUMNS),
        filename="NRI_Table_Counties.csv",
        read=fema_nri.read_nri_counties,
        sample=_nri,
        check=_check_nri,
    ),
    ReaderCase(
        name="siting_tables.read_county_values",
        columns=("fips", "buffer_m"),
        filename="county_buffers.csv",
        read=functools.partial(siting_tables.read_county_values, column="buffer_m"),
        sample=_county_values,
        check=_check_county_values,
    ),
    ReaderCase(
        name="gridwatch.read_county_restrictions",
        filename="gridwatch_indiana_county_restrictions.json",
        read=gridwatch.read_county_restrictions,
        sample=_restrictions,
        check=_check_restrictions,
        kind="json",
    ),
    ReaderCase(
        name="hifld.read_lines",
        filename="lines.geojson",
        read=hifld.read_lines,
        sample=_hifld_lines,
        check=_check_lines,
        kind="geojson",
    ),
    ReaderCase(
        name="hifld.read_substations",
        filename="substations.geojson",
        read=hifld.read_substations,
        sample=_hifld_substations,
        check=_check_substations,
        kind="geojson",
    ),
    ReaderCase(
        name="lbnl.read_queue",
        columns=tuple(lbnl.READ),
        filename="queued_up.csv",
        read=lbnl.read_queue,
        sample=_lbnl,
        check=_check_queue,
    ),
    ReaderCase(
        name="lbnl.read_queue[workbook]",
        columns=tuple(lbnl.READ),
        filename="queued_up_sheet.csv",
        read=lbnl.read_queue,
        sample=_lbnl_workbook,
        check=_check_queue,
    ),
    ReaderCase(
        name="gridstatus.read_queue",
        columns=tuple(gridstatus.REQUIRED),
        filename="miso_queue.csv",
        read=functools.partial(gridstatus.read_queue, region="MISO"),
        sample=_gridstatus,
        check=_check_queue,
    ),
    ReaderCase(
        name="tmy3.read_tmy3",
        filename="station.tmy3",
        read=tmy3.read_tmy3,
        sample=_tmy3,
        check=_check_weather,
        kind="lines",
        weight=0.4,
        fields=(0, 1, 31, 34, 37, 40),  # date, time, dry bulb, dew point, RH, pressure
    ),
    ReaderCase(
        name="epw.read_epw",
        filename="station.epw",
        read=epw.read_epw,
        sample=_epw,
        check=_check_weather,
        kind="lines",
        weight=0.4,
        fields=(0, 1, 2, 3, 6, 7, 8, 9),  # year, month, day, hour, dry bulb, dew point, RH, p
    ),
    ReaderCase(
        name="tract_tables.read_tract2020",
        columns=tuple(tract_tables.TRACT2020_COLUMNS),
        filename="tract2020_eji2024_depindex2023_ice_in.csv",
        read=tract_tables.read_tract2020,
        sample=_tract2020,
        check=_check_tracts(tract_tables.TRACT2020_COLUMNS),
    ),
    ReaderCase(
        name="tract_tables.read_tract2010",
        columns=tuple(tract_tables.TRACT2010_COLUMNS),
        filename="tract2010_svi2018_ejscreen2020_cre2019_in.csv",
        read=tract_tables.read_tract2010,
        sample=_tract2010,
        check=_check_tracts(tract_tables.TRACT2010_COLUMNS),
    ),
    ReaderCase(
        name="eeweather_zcta.read_zip_centroids",
        columns=tuple(eeweather_zcta.COLUMNS),
        filename="eeweather_zcta_climate_zones.csv.gz",
        read=eeweather_zcta.read_zip_centroids,
        sample=_zcta,
        check=_check_zips,
        gzip=True,
    ),
    ReaderCase(
        name="ibtracs.read_tracks",
        columns=(*ibtracs.IBTRACS_COLUMNS, "year"),
        filename="ibtracs.csv",
        read=ibtracs.read_tracks,
        sample=_ibtracs,
        check=_check_tracks,
        encoding="utf-8-sig",
    ),
    ReaderCase(
        name="ibtracs.read_tracks[ISO_TIME]",
        columns=(*ibtracs.IBTRACS_COLUMNS, "ISO_TIME"),
        filename="ibtracs.since1980.list.v04r01.csv",
        read=ibtracs.read_tracks,
        sample=_ibtracs_full,
        check=_check_tracks,
    ),
    ReaderCase(
        name="census_relationship.read_tract_relationship",
        columns=tuple(census_relationship.RELATIONSHIP_COLUMNS),
        filename="tab20_tract20_tract10_natl.txt",
        read=census_relationship.read_tract_relationship,
        sample=_relationship,
        check=_check_relationship,
        delimiter="|",
        encoding="utf-8-sig",
    ),
    ReaderCase(
        name="cejst.read_cejst",
        columns=tuple(cejst.CEJST_COLUMNS),
        filename="1.0-communities.csv",
        read=cejst.read_cejst,
        sample=_cejst,
        check=_check_cejst,
        encoding="utf-8-sig",
    ),
    ReaderCase(
        name="epa_ejscreen.read_ejscreen",
        columns=tuple(epa_ejscreen.EJSCREEN_COLUMNS),
        filename="EJSCREEN_2020_USPR.csv",
        read=epa_ejscreen.read_ejscreen,
        sample=_ejscreen,
        check=_check_ejscreen,
    ),
    ReaderCase(
        name="cdc_eji.read_eji",
        columns=tuple(cdc_eji.EJI_COLUMNS),
        filename="EJI_2024_United_States.csv",
        read=cdc_eji.read_eji,
        sample=_eji,
        check=_check_eji,
    ),
)
CASE_BY_NAME = {case.name: case for case in CASES}


# ---------------------------------------------------------------------------------------------
# values
# ---------------------------------------------------------------------------------------------

#: Cell texts that break readers: missing tokens, codes, signs, huge and non-finite numbers,
#: separators, quotes, control characters, non-ASCII text.
EDGE_CELLS = (
    "",
    " ",
    "NaN",
    "nan",
    "NA",
    "None",
    "null",
    "--",
    "-999",
    "-999999",
    "-1",
    "0",
    "-0",
    "1e308",
    "-1e308",
    "1e400",
    "inf",
    "-inf",
    "99999999999999999999999",
    "1,234",
    "1.2.3",
    "0x1F",
    "abc",
    "True",
    "False",
    "18001",
    "018001",
    "18001.0",
    "1.8001e4",
    " 18001 ",
    "-18001",
    "1/1/2020",
    "2020-13-45",
    "12/31/9999",
    "Winter",
    "Very High",
    "ban",
    '"',
    "'",
    "\x00",
    "\t",
    "a,b",
    "a|b",
    "a;b",
    "line\nbreak",
    "é",
    "Doña Ana",
    "\ufeff",
    "😀",
)

cell_texts = st.one_of(
    st.sampled_from(EDGE_CELLS),
    st.text(max_size=8),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    cell_texts,
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(cell_texts, inner, max_size=3)
    ),
    max_leaves=6,
)

#: TOML right-hand sides: every value type, out-of-range numbers, and broken syntax.
TOML_VALUES = (
    "0",
    "-1",
    "1e309",
    "nan",
    "inf",
    "-inf",
    "-0.0",
    "999999999999999999999999",
    '""',
    '"EPSG:4326"',
    '"EPSG:99999"',
    '"no such thing"',
    "true",
    "false",
    "[]",
    '["IN", "XX"]',
    "[1, 2]",
    "[[1, 2], [3, 4]]",
    "[[0, 1], [0, 1]]",
    "{}",
    "{ a = 1 }",
    "1979-05-27",
    "07:32:00",
    "1979-05-27T07:32:00Z",
    '"unterminated',
    "= =",
    "[",
)
#: The tables of a campus spec.
SPEC_TABLES = tuple(sorted(set(re.findall(r"^\[([a-z_]+)", _spec(), flags=re.MULTILINE))))
toml_values = st.one_of(
    st.sampled_from(TOML_VALUES),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.integers(min_value=-(10**6), max_value=10**6).map(str),
    st.text(max_size=6).map(json.dumps),
)


# ---------------------------------------------------------------------------------------------
# encoding a file
# ---------------------------------------------------------------------------------------------

ENCODINGS = ("utf-8", "utf-8-sig", "latin-1", "cp1252", "utf-16")


@st.composite
def _encoded(draw, case: ReaderCase, text: str, *, vary: bool = True) -> bytes:
    """``text`` as the bytes of the case's file: its encoding (or another), optionally cut."""
    encoding = case.encoding
    if vary and draw(st.integers(0, 5)) == 0:
        encoding = draw(st.sampled_from(ENCODINGS))
    data = text.encode(encoding, errors="replace")
    if vary and draw(st.integers(0, 7)) == 0:
        data = data[: draw(st.integers(0, len(data)))]
    if case.gzip:
        data = gzip.compress(data, mtime=0)
    return data


def _split(case: ReaderCase, text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text), delimiter=case.delimiter))


def _join(rows: list[list[str]], *, delimiter: str, quoting: int, terminator: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, quoting=quoting, lineterminator=terminator)
    writer.writerows(rows)
    return out.getvalue()


# ---------------------------------------------------------------------------------------------
# (a) files in the official schema with edge values
# ---------------------------------------------------------------------------------------------


@st.composite
def _table_text(draw, case: ReaderCase) -> str:
    """Delimited text in the case's columns: rows from the sample, cells replaced by edge
    values, columns dropped, renamed or repeated, any number of rows (none: header only)."""
    lines = _split(case, case.sample())
    at = next((i for i, row in enumerate(lines) if set(row) & set(case.columns)), 0)
    preamble, (header, *rows) = lines[:at], lines[at:]
    width = len(header)
    used = [j for j, name in enumerate(header) if name.strip() in case.columns]
    keep = list(range(width))
    for _ in range(draw(st.integers(0, 2))):
        if keep and draw(st.booleans()):
            keep.remove(draw(st.sampled_from(keep)))
        else:
            keep.insert(draw(st.integers(0, len(keep))), draw(st.integers(0, width - 1)))
    names = [header[i] for i in keep]
    for _ in range(draw(st.integers(0, 1))):
        if names:
            names[draw(st.integers(0, len(names) - 1))] = draw(cell_texts)
    out_rows = []
    for _ in range(draw(st.integers(0, 5))):
        row = list(draw(st.sampled_from(rows))) if rows else [""] * width
        row += [""] * (width - len(row))
        for _ in range(draw(st.integers(0, 3))):
            j = draw(st.sampled_from(used)) if used and draw(st.booleans()) else None
            row[draw(st.integers(0, width - 1)) if j is None else j] = draw(cell_texts)
        out_rows.append([row[i] for i in keep])
    delimiter = draw(st.sampled_from((case.delimiter,) * 4 + (",", ";", "\t", "|")))
    quoting = draw(st.sampled_from((csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC)))
    terminator = draw(st.sampled_from(("\n", "\r\n", "\r")))
    title = [[draw(cell_texts)]] if draw(st.integers(0, 9)) == 0 else preamble
    return _join(
        [*title, names, *out_rows], delimiter=delimiter, quoting=quoting, terminator=terminator
    )


@st.composite
def _lines_text(draw, case: ReaderCase) -> str:
    """A whole weather file with cells of the header lines and of the hourly records replaced
    by edge values, and a few records deleted or repeated."""
    rows = _split(case, case.sample())
    for _ in range(draw(st.integers(1, 6))):
        head = draw(st.booleans())
        i = draw(st.integers(0, 8)) if head else draw(st.integers(0, len(rows) - 1))
        used = [j for j in case.fields if j < len(rows[i])]
        if used and not head and draw(st.booleans()):
            j = draw(st.sampled_from(used))
        elif rows[i]:
            j = draw(st.integers(0, len(rows[i]) - 1))
        else:
            continue
        rows[i] = list(rows[i])
        rows[i][j] = draw(cell_texts)
    for _ in range(draw(st.integers(0, 2))):
        i = draw(st.integers(0, len(rows) - 1))
        if draw(st.booleans()):
            del rows[i]
        else:
            rows.insert(i, rows[i])
    return _join(rows, delimiter=case.delimiter, quoting=csv.QUOTE_MINIMAL, terminator="\n")


_GEOMETRIES = (
    None,
    {"type": "LineString", "coordinates": [[-86.4, 41.5], [-86.3, 41.5]]},
    {"type": "Point", "coordinates": [-86.4, 41.5]},
    {"type": "LineString", "coordinates": []},
    {"type": "LineString", "coordinates": [[-86.4, 41.5]]},
    {"type": "Point", "coordinates": ["a", "b"]},
    {"type": "Point", "coordinates": [1e308, -1e308]},
    {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]},
    {"type": "Nope", "coordinates": [0, 0]},
    {"type": "GeometryCollection", "geometries": []},
    {},
)


@st.composite
def _geojson_text(draw, case: ReaderCase) -> str:
    """A FeatureCollection of features with the sample's properties, values replaced by any
    JSON value, properties dropped, geometries missing, empty or malformed."""
    sample = json.loads(case.sample())
    features = sample["features"]
    out = []
    for _ in range(draw(st.integers(0, 4))):
        feature = json.loads(json.dumps(draw(st.sampled_from(features))))
        props = feature["properties"]
        for _ in range(draw(st.integers(0, 3))):
            if not props:
                break
            key = draw(st.sampled_from(sorted(props)))
            if draw(st.integers(0, 3)) == 0:
                del props[key]
            else:
                props[key] = draw(json_values)
        if draw(st.integers(0, 3)) == 0:
            feature["geometry"] = draw(st.sampled_from(_GEOMETRIES))
        out.append(feature)
    doc: object = {"type": "FeatureCollection", "features": out}
    if draw(st.integers(0, 9)) == 0:
        doc = {"type": "FeatureCollection", "crs": draw(json_values), "features": out}
    if draw(st.integers(0, 19)) == 0:
        doc = draw(json_values)
    return json.dumps(doc, indent=1)


@st.composite
def _json_text(draw, case: ReaderCase) -> str:
    """The sample document with keys dropped, values replaced by any JSON value, entries
    repeated or dropped."""
    doc = json.loads(case.sample())
    for _ in range(draw(st.integers(0, 3))):
        key = draw(st.sampled_from(sorted(doc)))
        choice = draw(st.integers(0, 3))
        if choice == 0:
            del doc[key]
        elif choice == 1:
            doc[key] = draw(json_values)
        elif isinstance(doc[key], list) and doc[key]:
            items = doc[key]
            i = draw(st.integers(0, len(items) - 1))
            if isinstance(items[i], dict) and items[i] and draw(st.booleans()):
                item = dict(items[i])
                item[draw(st.sampled_from(sorted(item)))] = draw(json_values)
                items[i] = item
            else:
                items.insert(i, items[i])
        if not doc:
            break
    if draw(st.integers(0, 19)) == 0:
        doc = draw(json_values)
    return json.dumps(doc, indent=1, ensure_ascii=draw(st.booleans()))


_ASSIGNMENT = re.compile(r"^(\s*[A-Za-z0-9_\"'.-]+\s*=\s*)(.*)$")


@st.composite
def _toml_text(draw, case: ReaderCase) -> str:
    """The default spec with values replaced by any TOML value (wrong types, out of range,
    broken syntax), lines deleted or repeated, unknown keys and tables added."""
    lines = case.sample().splitlines()
    assignments = [i for i, line in enumerate(lines) if _ASSIGNMENT.match(line)]
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.sampled_from(assignments))
        lines[i] = _ASSIGNMENT.sub(lambda m: m.group(1) + draw(toml_values), lines[i])
    if draw(st.integers(0, 4)) == 0:  # a table given as a value, above every table
        lines.insert(0, f"{draw(st.sampled_from(SPEC_TABLES))} = {draw(toml_values)}")
    for _ in range(draw(st.integers(0, 2))):
        i = draw(st.integers(0, len(lines) - 1))
        choice = draw(st.integers(0, 3))
        if choice == 0:
            del lines[i]
        elif choice == 1:
            lines.insert(i, lines[i])
        elif choice == 2:
            lines.insert(i, f"unknown_key = {draw(toml_values)}")
        else:
            lines.insert(i, draw(st.sampled_from(("[unknown]", "[weights]", "[[campus]]", "["))))
    return "\n".join(lines) + "\n"


_TEXT_STRATEGIES = {
    "table": _table_text,
    "lines": _lines_text,
    "geojson": _geojson_text,
    "json": _json_text,
    "toml": _toml_text,
}


def schema_files(case: ReaderCase) -> st.SearchStrategy[bytes]:
    """Files in the case's official schema with edge values (see the module docstring)."""
    return _TEXT_STRATEGIES[case.kind](case).flatmap(lambda text: _encoded(case, text))


# ---------------------------------------------------------------------------------------------
# (b) mutations of the valid sample
# ---------------------------------------------------------------------------------------------


@st.composite
def _mutated_text(draw, case: ReaderCase) -> str:
    """The sample with lines deleted or repeated, columns dropped or renamed, cells replaced."""
    lines = case.sample().splitlines(keepends=True)
    delimiter = case.delimiter
    for _ in range(draw(st.integers(1, 3))):
        if not lines:
            break
        op = draw(st.sampled_from(("delete", "repeat", "drop", "rename", "cell")))
        i = draw(st.integers(0, len(lines) - 1))
        if op == "delete":
            del lines[i]
        elif op == "repeat":
            lines.insert(i, lines[i])
        elif op == "drop":
            j = draw(st.integers(0, 200))
            lines = [_edit_field(line, delimiter, j, None) for line in lines]
        else:
            j = draw(st.integers(0, 200))
            row = 0 if op == "rename" else i
            lines[row] = _edit_field(lines[row], delimiter, j, draw(cell_texts))
    return "".join(lines)


def _edit_field(line: str, delimiter: str, j: int, value: str | None) -> str:
    """``line`` with field ``j`` (modulo the field count) replaced, or removed if None."""
    end = "\n" if line.endswith("\n") else ""
    fields = line.rstrip("\n").split(delimiter)
    j %= len(fields)
    if value is None:
        del fields[j]
    else:
        fields[j] = value
    return delimiter.join(fields) + end


@st.composite
def _mutated_bytes(draw, data: bytes) -> bytes:
    """``data`` with bytes flipped, inserted or removed, or cut short."""
    buf = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(("flip", "insert", "remove", "truncate")))
        i = draw(st.integers(0, max(len(buf) - 1, 0)))
        if op == "flip" and buf:
            buf[i] = draw(st.integers(0, 255))
        elif op == "insert":
            buf[i:i] = draw(st.binary(min_size=1, max_size=4))
        elif op == "remove" and buf:
            del buf[i : i + draw(st.integers(1, 8))]
        elif op == "truncate":
            del buf[i:]
    return bytes(buf)


@st.composite
def _mutated(draw, case: ReaderCase) -> bytes:
    if draw(st.booleans()):
        text = draw(_mutated_text(case))
        data = draw(_encoded(case, text, vary=False))
        if draw(st.booleans()):
            return data
    else:
        data = draw(_encoded(case, case.sample(), vary=False))
    return draw(_mutated_bytes(data))


def mutated_files(case: ReaderCase) -> st.SearchStrategy[bytes]:
    """The case's valid sample, mutated (see the module docstring)."""
    return _mutated(case)


def any_files(case: ReaderCase) -> st.SearchStrategy[bytes]:
    """Either kind of file: in the schema with edge values, or a mutated sample."""
    return st.one_of(schema_files(case), mutated_files(case))


# ---------------------------------------------------------------------------------------------
# running a reader
# ---------------------------------------------------------------------------------------------


def sample_bytes(case: ReaderCase) -> bytes:
    """The case's valid sample as the bytes of its file."""
    data = case.sample().encode(case.encoding)
    return gzip.compress(data, mtime=0) if case.gzip else data


def read_bytes(case: ReaderCase, data: bytes) -> object:
    """The case's reader's output for a file holding ``data``."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / case.filename
        path.write_bytes(data)
        return case.read(path)


def read_file(case: ReaderCase, data: bytes) -> str | None:
    """Write ``data`` as the case's file and read it.

    Returns None when the reader returns an output meeting the case's invariants, or raises a
    :class:`SitingError` whose message is one line naming the file; otherwise the message of
    the SitingError (not one line, or without the file). An exception of any other type, or a
    broken invariant (AssertionError), propagates.
    """
    try:
        out = read_bytes(case, data)
    except SitingError as err:
        message = str(err)
        if "\n" in message or "\r" in message or case.filename not in message:
            return message
        return None
    _no_infinite(out)
    case.check(out)
    return None


def _no_infinite(out: object) -> None:
    """Numbers a reader returns are finite or NaN (UNKNOWN), never ±inf."""
    frame = out.to_frame() if isinstance(out, pd.Series) else out
    if isinstance(frame, pd.DataFrame):
        numeric = frame.select_dtypes("number").to_numpy(dtype=float)
        assert not np.isinf(numeric).any(), "infinite numbers in the output"


def fuzz(
    case: ReaderCase,
    strategy: st.SearchStrategy[bytes],
    *,
    examples: int,
    on_example: Callable[[bytes], None],
    derandomize: bool = True,
    shrink: bool = True,
) -> None:
    """Run ``on_example`` on ``examples`` files drawn from ``strategy`` with hypothesis."""
    phases = (Phase.explicit, Phase.generate, *((Phase.shrink,) if shrink else ()))

    @settings(
        max_examples=max(1, round(examples * case.weight)),
        deadline=None,
        derandomize=derandomize,
        database=None,
        phases=phases,
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )
    @given(data=strategy)
    def run(data: bytes) -> None:
        on_example(data)

    run()
