"""What a campus would mean here: a point, a ZIP code or a proposed site, in plain statements.

A point (latitude and longitude, or the centroid of a ZIP-code area) is answered from a finished
run folder: the run's candidate sites nearest to it, and the local context at the point read
from the run's own inputs (its county, the county's data-center restrictions, the social
vulnerability of its tract and county, the county's natural hazards). A proposed campus (a
polygon, or a point with ``radius_m``, optionally with its own ``it_capacity_mw`` and
``cooling_archetype``) is scored and assessed on the path a run takes for a team's candidates
(:func:`siting.pipeline.assess_candidates`), writing nothing. Every statement carries its source
and confidence; all wording is in :data:`siting.summary.PHRASES`.
"""

from __future__ import annotations

import dataclasses
import tempfile
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Geod, Transformer

from siting.assessments.hazards import HURRICANE_RADIUS_KM, county_risk, hurricane_proximity
from siting.assessments.jurisdiction import restrictions_of
from siting.bundle import open_bundle
from siting.community_page import NEAREST_COUNT
from siting.errors import DataError, DataFileNotFound
from siting.inputs import RunInputs, read_inputs
from siting.pipeline import Progress, assess_candidates
from siting.rerun import read_manifest, recorded_spec
from siting.sources.eeweather_zcta import zip_centroid
from siting.sources.files import read_vector
from siting.spec import ARCHETYPES, SQ_KM_PER_ACRE, CampusSpec
from siting.summary import PHRASES, Statement, known, ordinal, rounded, site_statements

#: Kilometres in a statute mile. [km/mi]
KM_PER_MILE = 1.609344
#: IT capacity a site file may give, as the spec allows. [MW]
IT_CAPACITY_RANGE_MW = (1.0, 20_000.0)
#: Longest name of a site file's campus that is printed. [characters]
NAME_MAX_CHARS = 80
#: Site-table topics that describe a place rather than a campus.
CONTEXT_TOPICS = ("hazards", "rules")
#: Site-table columns shown with each assessed campus in ``--json``.
SITE_KEYS = (
    "site_id",
    "candidate_id",
    "rank",
    "score",
    "county",
    "county_fips",
    "area_km2",
    "centroid_lat",
    "centroid_lon",
)
_WGS84 = Geod(ellps="WGS84")


@dataclass(frozen=True, kw_only=True)
class Place:
    """A queried point in degrees (WGS84), and the ZIP code it stands for, if any."""

    lat_deg: float
    lon_deg: float
    zip_code: str | None = None


@dataclass(frozen=True, kw_only=True)
class Campus:
    """One assessed campus: its heading, its site-table row and its statements."""

    name: str
    hypothetical: bool
    heading: str
    row: Mapping[str, Any]
    statements: tuple[Statement, ...]


@dataclass(frozen=True, kw_only=True)
class QueryResult:
    """The answer to one query; :meth:`to_dict` is the ``--json`` form."""

    place: Place | None = None
    run_id: str | None = None
    nearest: tuple[Mapping[str, Any], ...] = ()
    context: tuple[Statement, ...] = ()
    campuses: tuple[Campus, ...] = ()
    lang: str = "en"

    def to_dict(self) -> dict[str, Any]:
        """The result as plain data: place, nearest sites, context and campus statements."""
        return {
            "place": dataclasses.asdict(self.place) if self.place else None,
            "run_id": self.run_id,
            "nearest_sites": [dict(n) for n in self.nearest],
            "context": [statement_dict(s) for s in self.context],
            "campuses": [
                {
                    "name": c.name,
                    "hypothetical": c.hypothetical,
                    "heading": c.heading,
                    "site": {k: _plain(c.row.get(k)) for k in SITE_KEYS},
                    "statements": [statement_dict(s) for s in c.statements],
                }
                for c in self.campuses
            ],
            "lang": self.lang,
        }


def statement_dict(statement: Statement) -> dict[str, Any]:
    """A statement as plain data (figures as numbers or text, NaN as None)."""
    return {
        "topic": statement.topic,
        "text": inert(statement.text),
        "source": inert(statement.source),
        "confidence": statement.confidence,
        "values": {k: _plain(v) for k, v in statement.values.items()},
    }


def inert(text: object, *, max_chars: int | None = None) -> str:
    """``text`` with every control or format character (escapes, line breaks, bidi overrides)
    shown as a ``\\uXXXX`` code, so a file's text cannot move the cursor or forge a line.

    >>> inert("a\\x1b[2Jb\\nc\\u202e")
    'a\\\\u001b[2Jb\\\\u000ac\\\\u202e'
    """
    out = "".join(
        f"\\u{ord(c):04x}" if unicodedata.category(c).startswith("C") else c for c in str(text)
    )
    if max_chars is not None and len(out) > max_chars:
        out = out[: max_chars - 1] + "…"
    return out


# ---------------------------------------------------------------------------------------------
# reading what a query rests on
# ---------------------------------------------------------------------------------------------


def read_run(run_dir: Path) -> tuple[dict[str, Any], gpd.GeoDataFrame]:
    """The manifest and the ranked sites (with their polygons) of a finished run folder.

    Raises
    ------
    DataFileNotFound, DataError
        ``run_dir`` is not a folder a ``siting run`` wrote.
    """
    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise DataFileNotFound(f"{run_dir}: no such run folder; pass the --out of a `siting run`")
    if not (run_dir / "sites.gpkg").is_file() or not (run_dir / "manifest.json").is_file():
        raise DataFileNotFound(
            f"{run_dir}: not a run folder (no manifest.json and sites.gpkg); pass the --out "
            "of a `siting run`"
        )
    return read_manifest(run_dir), read_vector(run_dir / "sites.gpkg", layer="sites")


def run_inputs(manifest: Mapping[str, Any]) -> RunInputs:
    """The inputs of the run a manifest records, read again from its bundle."""
    spec, _notes = recorded_spec(manifest)
    return read_inputs(
        open_bundle(spec.region.bundle, Path(manifest["bundle"]["catalogue"]).parent), spec
    )


def bundle_inputs(spec: CampusSpec, data_dir: Path | None = None) -> RunInputs:
    """The inputs of ``spec`` on its bundle (``data_dir`` or the shipped one)."""
    return read_inputs(open_bundle(spec.region.bundle, data_dir), spec)


def locate(
    inputs: RunInputs,
    *,
    lat_deg: float | None = None,
    lon_deg: float | None = None,
    zip_code: str | None = None,
) -> Place:
    """The queried place, checked to lie in the study area of ``inputs``.

    Raises
    ------
    DataError
        The ZIP code is unknown, the bundle has no ZIP table, the coordinates are not a
        latitude/longitude, or the point lies outside the study area.
    """
    if zip_code is not None:
        if inputs.zip_centroids is None:
            raise DataError(
                f"the bundle {inputs.bundle.catalogue} has no ZIP-code table; give --lat/--lon"
            )
        lat_deg, lon_deg = zip_centroid(inputs.zip_centroids, zip_code)
        zip_code = str(zip_code).strip()
    if lat_deg is None or lon_deg is None:
        raise DataError("give both --lat and --lon, or --zip")
    if not (-90.0 <= lat_deg <= 90.0 and -180.0 <= lon_deg <= 180.0):
        raise DataError(
            f"--lat must lie in −90…90 and --lon in −180…180 (degrees), got {lat_deg}, {lon_deg}"
        )
    place = Place(lat_deg=float(lat_deg), lon_deg=float(lon_deg), zip_code=zip_code)
    if not inputs.study_area.geometry.contains(grid_point(place, inputs.study_area.crs)).any():
        states = ", ".join(sorted(inputs.study_area["name"].astype(str)))
        what = (
            f"ZIP {zip_code} (centre {lat_deg:.4f}, {lon_deg:.4f})"
            if zip_code
            else (f"{lat_deg:.4f}, {lon_deg:.4f}")
        )
        raise DataError(f"{what} lies outside the data's region ({states}); give a point inside it")
    return place


def grid_point(place: Place, crs) -> shapely.Point:
    """The place as a point in ``crs``."""
    x, y = Transformer.from_crs("EPSG:4326", crs, always_xy=True).transform(
        place.lon_deg, place.lat_deg
    )
    return shapely.Point(x, y)


# ---------------------------------------------------------------------------------------------
# answering
# ---------------------------------------------------------------------------------------------


def nearest_sites(
    sites: gpd.GeoDataFrame, place: Place, *, count: int = NEAREST_COUNT
) -> list[dict[str, Any]]:
    """The ``count`` sites whose centres (representative points, as on the community page) lie
    nearest to ``place``, by geodesic distance on the WGS84 ellipsoid [km, mi]."""
    if sites.empty:
        return []
    centres = sites.geometry.representative_point().to_crs("EPSG:4326")
    n = len(centres)
    _, _, metres = _WGS84.inv(
        np.full(n, place.lon_deg),
        np.full(n, place.lat_deg),
        centres.x.to_numpy(),
        centres.y.to_numpy(),
    )
    order = np.argsort(metres, kind="stable")[:count]
    return [
        {
            "site_id": str(sites["site_id"].iloc[i]),
            "rank": int(sites["rank"].iloc[i]),
            "score": float(sites["score"].iloc[i]),
            "county": str(sites["county"].iloc[i]),
            "distance_km": round(float(metres[i]) / 1000.0, 2),
            "distance_mi": round(float(metres[i]) / 1000.0 / KM_PER_MILE, 2),
        }
        for i in order
    ]


def point_context(inputs: RunInputs, place: Place, *, lang: str = "en") -> list[Statement]:
    """What the inputs hold at ``place``: its county, the vulnerability of its tract and
    county, and its county's hazards and restrictions, each with source and confidence."""
    words = PHRASES[lang]
    point = grid_point(place, inputs.grid.crs)
    county = _county_at(inputs.counties.table, point)
    where = words["query_where"].format(
        place=words["query_zip_place"].format(zip=place.zip_code)
        if place.zip_code
        else words["query_point_place"],
        lat=f"{place.lat_deg:.4f}",
        lon=f"{place.lon_deg:.4f}",
        county=county["name"],
        state=county["state"],
    )
    out = [
        Statement(
            "place",
            where,
            "Census county boundaries of the run's bundle",
            "measured",
            {"county": county["name"], "county_fips": county["fips"], "state": county["state"]},
        ),
        _vulnerability_at(inputs, point, county, words),
    ]
    row = {"county": county["name"], "county_fips": county["fips"]}
    fips = pd.Series([county["fips"]])
    row |= restrictions_of(fips, inputs.county_restrictions).iloc[0].to_dict()
    row |= county_risk(fips, inputs.county_nri).iloc[0].to_dict()
    tracks = inputs.hurricane_tracks
    tracks = None if tracks is None else tracks.to_crs(inputs.grid.crs)
    near = hurricane_proximity(
        gpd.GeoSeries([point], crs=inputs.grid.crs), tracks, radius_km=HURRICANE_RADIUS_KM
    )
    row |= near.iloc[0].to_dict()
    out += [s for s in site_statements(row, lang=lang) if s.topic in CONTEXT_TOPICS]
    return out


def _county_at(counties: gpd.GeoDataFrame, point: shapely.Point) -> dict[str, str]:
    """The county holding ``point`` (the nearest where generalised boundaries leave a gap)."""
    inside = counties.geometry.contains(point).to_numpy()
    i = int(np.flatnonzero(inside)[0]) if inside.any() else int(counties.distance(point).argmin())
    row = counties.iloc[i]
    return {"fips": str(row["fips"]), "name": str(row["name"]), "state": str(row["state"])}


def _vulnerability_at(inputs: RunInputs, point, county: Mapping[str, str], words) -> Statement:
    source = (
        "CDC/ATSDR SVI 2018: tract percentile joined to 2020 tracts, and the county's "
        "(docs/methods.md §6.1)"
    )
    svi = inputs.county_svi.set_index("fips")["svi_overall_pct"]
    county_svi = svi.get(county["fips"], np.nan)
    tracts = inputs.tracts
    hit = tracts.loc[tracts.geometry.contains(point).to_numpy(), "geoid"]
    tract = str(hit.iloc[0]) if len(hit) else None
    table = inputs.tract_indicators
    table = table.set_index("geoid") if "geoid" in table.columns else table
    tract_svi = table["svi2018_pct_us"].get(tract, np.nan) if tract else np.nan
    values = {"tract_geoid": tract, "tract_svi2018_pct_us": tract_svi, "county_svi_pct": county_svi}
    if not known(county_svi) and not known(tract_svi):
        text = words["unknown"].format(what="Social vulnerability", why=words["missing"])
        return Statement("tract_vulnerability", text, source, "unknown", values)
    county_text = ordinal(float(county_svi)) if known(county_svi) else "UNKNOWN"
    if known(tract_svi):
        text = words["query_tract"].format(
            tract=tract, svi=ordinal(float(tract_svi)), county_svi=county_text
        )
    else:
        text = words["query_tract_unknown"].format(tract=tract or "UNKNOWN", county_svi=county_text)
    return Statement("tract_vulnerability", text, source, "measured", values)


# ---------------------------------------------------------------------------------------------
# a proposed or hypothetical campus
# ---------------------------------------------------------------------------------------------


def campus_overrides(path: Path) -> dict[str, Any]:
    """The ``it_capacity_mw`` and ``cooling_archetype`` a site file gives (one value a file).

    Raises
    ------
    DataFileNotFound, DataError
        The file is missing, unreadable or empty; a value is not one campus size or archetype.
    """
    found = read_vector(path)
    if found.empty or found.geometry.isna().all():
        raise DataError(f"{path}: no sites in the file; give a polygon, or a point with radius_m")
    out: dict[str, Any] = {}
    if "it_capacity_mw" in found.columns:
        mw = pd.to_numeric(found["it_capacity_mw"], errors="coerce")
        low, high = IT_CAPACITY_RANGE_MW
        given = found["it_capacity_mw"].notna()
        if (given & ~mw.between(low, high)).any():
            raise DataError(
                f"{path}: it_capacity_mw must be a number in [{low:g}, {high:g}] MW, got "
                f"{found.loc[given & ~mw.between(low, high), 'it_capacity_mw'].tolist()[:3]}"
            )
        out["it_capacity_mw"] = _one_value(mw.dropna(), path, "it_capacity_mw")
    if "cooling_archetype" in found.columns:
        kinds = found["cooling_archetype"].dropna().astype(str).str.strip()
        bad = sorted(set(kinds) - set(ARCHETYPES))
        if bad:
            raise DataError(
                f"{path}: cooling_archetype {[inert(b, max_chars=40) for b in bad]} unknown; "
                f"allowed: {sorted(ARCHETYPES)}"
            )
        out["cooling_archetype"] = _one_value(kinds, path, "cooling_archetype")
    return {k: v for k, v in out.items() if v is not None}


def _one_value(values: pd.Series, path: Path, column: str):
    unique = values.unique()
    if len(unique) > 1:
        raise DataError(
            f"{path}: {column} differs between sites ({list(unique)[:3]}); put campuses of "
            "different sizes or cooling in separate files"
        )
    return (
        unique[0].item()
        if len(unique) and hasattr(unique[0], "item")
        else (unique[0] if len(unique) else None)
    )


def with_campus(
    spec: CampusSpec, *, it_capacity_mw: float | None = None, cooling_archetype: str | None = None
) -> CampusSpec:
    """``spec`` with another IT capacity and/or cooling archetype (and that archetype's
    screening PUEs)."""
    changes: dict[str, Any] = {}
    if it_capacity_mw is not None:
        changes["it_capacity_mw"] = float(it_capacity_mw)
    if cooling_archetype is not None and cooling_archetype != spec.cooling_archetype:
        screening = ARCHETYPES[cooling_archetype]
        changes |= {
            "cooling_archetype": cooling_archetype,
            "pue_annual": screening["pue_annual"],
            "pue_design": screening["pue_design"],
        }
    return dataclasses.replace(spec, **changes) if changes else spec


def assess_site_file(
    path: Path,
    spec: CampusSpec,
    *,
    data_dir: Path | None = None,
    hypothetical: bool = False,
    lang: str = "en",
    progress: Progress | None = None,
) -> list[Campus]:
    """Each campus of a site file assessed on the run's path for candidates, writing nothing."""
    spec = with_campus(spec, **campus_overrides(path))
    evaluation = assess_candidates(spec, Path(path), data_dir=data_dir, progress=progress)
    found = campuses(evaluation.sites, spec, hypothetical=hypothetical, lang=lang)
    return [_with_centre_context(c, evaluation.inputs, lang=lang) for c in found]


def _with_centre_context(campus: Campus, inputs: RunInputs, *, lang: str) -> Campus:
    """The campus with the social vulnerability of the tract and county at its centre."""
    centre = shapely.Point(campus.row["centroid_lon"], campus.row["centroid_lat"])
    place = Place(lat_deg=float(centre.y), lon_deg=float(centre.x))
    extra = [s for s in point_context(inputs, place, lang=lang) if s.topic == "tract_vulnerability"]
    return dataclasses.replace(campus, statements=(*campus.statements, *extra))


def assess_point(
    place: Place,
    spec: CampusSpec,
    *,
    data_dir: Path | None = None,
    lang: str = "en",
    progress: Progress | None = None,
) -> list[Campus]:
    """A hypothetical campus of the spec's size, a disc of its land centred on ``place``."""
    label = (
        f"ZIP {place.zip_code}" if place.zip_code else f"{place.lat_deg:.4f}, {place.lon_deg:.4f}"
    )
    disc = gpd.GeoDataFrame(
        {"name": [label]}, geometry=[shapely.Point(place.lon_deg, place.lat_deg)], crs="EPSG:4326"
    )
    with tempfile.TemporaryDirectory(prefix="siting-query-") as folder:
        path = Path(folder) / "hypothetical.geojson"
        disc.to_file(path, driver="GeoJSON")
        return assess_site_file(
            path, spec, data_dir=data_dir, hypothetical=True, lang=lang, progress=progress
        )


def campuses(
    sites: gpd.GeoDataFrame, spec: CampusSpec, *, hypothetical: bool, lang: str = "en"
) -> list[Campus]:
    """The assessed sites as campuses with their heading and statements, in rank order."""
    words = PHRASES[lang]
    out = []
    for _, site in sites.sort_values("rank", kind="stable").iterrows():
        row = site.drop(labels="geometry").to_dict()
        name = inert(row.get("candidate_id", row["site_id"]), max_chars=NAME_MAX_CHARS)
        heading = words["query_hypothetical_heading" if hypothetical else "query_proposed_heading"]
        heading = heading.format(
            name=name,
            mw=f"{rounded(spec.it_capacity_mw)} MW",
            cooling=spec.cooling_archetype.replace("_", " "),
            acres=f"{rounded(float(row['area_km2']) / SQ_KM_PER_ACRE)} acres",
            county=inert(row.get("county")),
            rank=int(row["rank"]),
            count=len(sites),
        )
        statements = site_statements(
            row,
            target_year=spec.target_energization_year,
            setback_m=spec.impacts.setback_m,
            lang=lang,
        )
        out.append(
            Campus(
                name=name,
                hypothetical=hypothetical,
                heading=heading,
                row=row,
                statements=tuple(statements),
            )
        )
    return out


def text_lines(result: QueryResult) -> list[str]:
    """The result as plain lines for a terminal, every line inert."""
    words = PHRASES[result.lang]
    lines: list[str] = []
    for statement in result.context[:1]:
        lines += _statement_lines(statement, words, indent="")
    if result.run_id is not None:
        lines += ["", words["query_nearest_heading"].format(run=result.run_id)]
        if not result.nearest:
            lines.append("  " + words["query_no_sites"])
        for n in result.nearest:
            lines.append(
                "  "
                + words["query_nearest"].format(
                    rank=n["rank"],
                    site=n["site_id"],
                    km=f"{n['distance_km']:.1f}",
                    mi=f"{n['distance_mi']:.1f}",
                    county=n["county"],
                    score=f"{n['score']:.3f}",
                )
            )
    if len(result.context) > 1:
        lines += ["", words["query_context_heading"]]
        for statement in result.context[1:]:
            lines += _statement_lines(statement, words)
    for campus in result.campuses:
        lines += ["", campus.heading]
        for statement in campus.statements:
            lines += _statement_lines(statement, words)
    while lines and not lines[0]:
        lines.pop(0)
    return [inert(line) for line in lines]


def _statement_lines(statement: Statement, words, *, indent: str = "  - ") -> list[str]:
    pad = " " * len(indent)
    source = words["query_source"].format(
        source=statement.source,
        confidence=statement.confidence,
        meaning=words[f"confidence_{statement.confidence}"],
    )
    return [f"{indent}{statement.text}", f"{pad}  {source}"]


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    if isinstance(value, str):
        return inert(value)
    if value is None or isinstance(value, bool | int | float):
        return value
    return inert(value)


def query_languages() -> Sequence[str]:
    """The languages ``--lang`` accepts: the keys of :data:`siting.summary.PHRASES`."""
    return tuple(PHRASES)
