"""The campus spec: what is being sited, where, and how candidate land is judged.

A spec is read from TOML and laid over the shipped default (``siting/specs/default.toml``,
values from docs/methods.md §8): tables ``campus``, ``region``, ``candidates`` and
``interconnection`` override key by key, ``transforms`` indicator by indicator, ``weights``
when given replace the defaults whole, and ``[[exclusions]]`` extend the default list by rule
name (or replace it with ``exclusions_mode = "replace"``; :mod:`siting.rules`). Unknown keys
are errors, and every message names the file.
"""

from __future__ import annotations

import itertools
import math
import tomllib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from siting.custom_layers import CustomLayer, parse_layers
from siting.errors import SpecError
from siting.rules import ExclusionRule, merge_rules, parse_rules

SQ_KM_PER_ACRE = 0.0040468564224
HOURS_PER_YEAR = 8760.0

#: Screening PUE and on-site WUE per cooling archetype, used until a site's weather is modelled.
#: Annual PUE and WUE: docs/methods.md §8 (Lei & Masanet 2022 cases 1, 2, 6; Microsoft/AWS fleet
#: figures). Design PUE at the 0.4 % hour: docs/methods.md §3.4 ("practical peak 1.25–1.35";
#: air-cooled chillers higher, assumption).
ARCHETYPES: Mapping[str, Mapping[str, float]] = MappingProxyType(
    {
        "dry_cooler": {"pue_annual": 1.15, "pue_design": 1.30, "wue_site_l_per_kwh": 0.02},
        "cooling_tower": {"pue_annual": 1.12, "pue_design": 1.25, "wue_site_l_per_kwh": 2.0},
        "adiabatic": {"pue_annual": 1.12, "pue_design": 1.25, "wue_site_l_per_kwh": 0.4},
        "air_chiller": {"pue_annual": 1.35, "pue_design": 1.60, "wue_site_l_per_kwh": 0.05},
    }
)

#: reVX cost regions (docs/methods.md §4.3); "auto" takes each site's from its ISO/RTO.
COST_REGIONS = ("auto", "MISO", "SCE", "Southeast", "TEPPC")

TRANSFORM_KINDS = ("linear", "piecewise")


@dataclass(frozen=True, kw_only=True)
class Transform:
    """How an indicator's raw value becomes a 0–1 suitability.

    ``linear``: 1 at ``best``, 0 at ``worst``, straight line between, clipped (``best`` may be
    above or below ``worst``). ``piecewise``: straight lines through ``points`` = ((value,
    suitability), ...) with values increasing, flat beyond the ends.
    """

    kind: str
    best: float | None = None
    worst: float | None = None
    points: tuple[tuple[float, float], ...] = ()


@dataclass(frozen=True, kw_only=True)
class Region:
    """Where to search: the bundle to read, the states of the study area and the analysis grid.

    ``states`` lists USPS codes (``("IN",)``, ``("IN", "OH")``); empty means every state of
    the bundle's ``states`` input.
    """

    name: str
    bundle: str
    states: tuple[str, ...]
    resolution_m: float
    crs: str


@dataclass(frozen=True, kw_only=True)
class Candidates:
    """How many candidate regions to locate, how far apart and how compact (``[candidates]``).

    ``max_spacing_km`` (optional): each region after the first lies within this distance of an
    earlier one [km]. ``compactness``: the weight of distance from the seed against score while a
    region grows [-]. ``max_grow_attempts``: a bound on the search's work, so that "no room"
    comes back in seconds.
    """

    count: int
    min_spacing_km: float
    max_spacing_km: float | None
    compactness: float
    max_grow_attempts: int


@dataclass(frozen=True, kw_only=True)
class Interconnection:
    """Parameters of the per-site interconnection estimate (``[interconnection]``).

    ``route_factor``: route length over straight-line distance [-]. ``cost_region``: reVX cost
    region, or "auto" for the site's ISO/RTO. ``generation_radius_km``: radius of the nearby
    generation summary [km]. ``search_radius_km``: how far from a site to look for a connection
    [km]. ``substation_only_max_km``: a qualifying connection at most this far away needs only a
    substation, not a new line [km]. ``line_ratings_mva``: per voltage class [kV] the low and
    high thermal rating of one circuit [MVA] (single and bundled or high-capacity conductors;
    docs/methods.md §4.2). ``line_rating``: which end the score uses, "low" or "high"; every
    site reports its adequacy at both. ``cost_year``: the year whose dollars costs are given in
    (escalated from the 2019 US$ of reVX with the bundle's cost index). ``utility_peak_share``:
    a campus whose peak exceeds this share of its serving utility's peak is flagged [-].
    """

    route_factor: float
    cost_region: str
    generation_radius_km: float
    search_radius_km: float
    substation_only_max_km: float
    line_ratings_mva: Mapping[int, tuple[float, float]]
    line_rating: str
    cost_year: int
    utility_peak_share: float


@dataclass(frozen=True, kw_only=True)
class TimeToPower:
    """Parameters of the time-to-power model (``[time_to_power]``; siting.queues).

    Durations in [months] are (low, high) bounds of a uniform distribution.
    """

    request_year: int
    completed_since_year: int
    large_request_mw: float
    min_completed: int
    congested_county_mw: float
    new_line_months: tuple[float, float]
    network_upgrade_months: tuple[float, float]
    substation_months: tuple[float, float]
    transformer_lead_weeks: tuple[float, float]
    poi_radius_km: float
    poi_snap_km: float


@dataclass(frozen=True, kw_only=True)
class Climate:
    """The forward warming cases of the campus demand model (``[climate]``; docs/methods.md §3.6).

    ``warming_moderate_degc`` and ``warming_high_degc``: warming added to every hour of the
    typical-year weather, relative humidity held constant, for the ``*_warm_moderate`` and
    ``*_warm_high`` site columns [°C]. ``warming_scenario``: what the two values stand for, in
    words, shown with every warm-case figure.
    """

    warming_moderate_degc: float
    warming_high_degc: float
    warming_scenario: str


@dataclass(frozen=True, kw_only=True)
class Noise:
    """Source levels and limits of the per-site noise screen (``[noise]``; docs/methods.md §6.3).

    ``night_limit_dba`` and ``day_limit_dba``: the contours reported, for the continuous cooling
    plant and for daytime generator tests [dBA]. ``cooling_lw_dba_per_mw``: sound power of the
    cooling plant per MW of heat rejected [dBA re 1 pW]. ``generator_lw_dba``: sound power of one
    enclosed backup generator under test [dBA re 1 pW]; ``generator_unit_mw`` its rating [MW];
    ``generators_tested_at_once`` how many run together in a test [-].
    ``absorption_db_per_km``: one A-weighted air absorption coefficient [dB/km].
    """

    night_limit_dba: float
    day_limit_dba: float
    cooling_lw_dba_per_mw: float
    generator_lw_dba: float
    generator_unit_mw: float
    generators_tested_at_once: int
    absorption_db_per_km: float


@dataclass(frozen=True, kw_only=True)
class Emissions:
    """Options of the per-site emissions (``[emissions]``; docs/methods.md §5.2).

    ``marginal_co2_lb_per_mwh``: a marginal CO2 rate the user supplies (e.g. from a dispatch
    model or WattTime) [lb/MWh]; None (absent) reports average rates only.
    """

    marginal_co2_lb_per_mwh: float | None = None


@dataclass(frozen=True, kw_only=True)
class Impacts:
    """Distances of the per-site people and homes summary (``[impacts]``; docs/methods.md §6.2).

    ``setback_m``: homes within this distance of a site's edge are "in the setback" [m].
    """

    setback_m: float


@dataclass(frozen=True, kw_only=True)
class Robustness:
    """How the ranking's robustness to the weights is sampled (``[robustness]``; docs/methods.md
    §11.6).

    ``draws`` weight vectors are drawn from a Dirichlet distribution with α = ``concentration`` ×
    the spec's weights (mean: the weights; the larger ``concentration``, the closer each draw),
    from a generator seeded with ``seed``. ``top_n``: the sites report P(rank ≤ top_n).
    ``consensus_top_pct``: the consensus raster counts the draws in which a cell is among this
    share of the best eligible cells [%].
    """

    draws: int
    seed: int
    concentration: float
    top_n: int
    consensus_top_pct: float


@dataclass(frozen=True, kw_only=True)
class CampusSpec:
    """A validated campus spec with its derived quantities.

    Parameters are those of the TOML ``[campus]`` table; units are in the names.
    """

    name: str
    it_capacity_mw: float
    load_factor: float
    cooling_archetype: str
    pue_annual: float
    pue_design: float
    land_acres_per_mw: float
    interconnection_voltage_kv: float
    n_hv_lines: int
    target_energization_year: int
    region: Region
    candidates: Candidates
    weights: Mapping[str, float]
    transforms: Mapping[str, Transform]
    exclusions: tuple[ExclusionRule, ...]
    layers: tuple[CustomLayer, ...]
    interconnection: Interconnection
    time_to_power: TimeToPower
    climate: Climate
    robustness: Robustness
    noise: Noise
    impacts: Impacts
    emissions: Emissions
    source: str = field(default="default")

    @property
    def facility_peak_mw(self) -> float:
        """Peak grid demand of the facility: IT capacity × design PUE. [MW]"""
        return self.it_capacity_mw * self.pue_design

    @property
    def it_energy_mwh_per_yr(self) -> float:
        """Annual IT energy: IT capacity × load factor × 8,760 h. [MWh/yr]"""
        return self.it_capacity_mw * self.load_factor * HOURS_PER_YEAR

    @property
    def facility_energy_mwh_per_yr(self) -> float:
        """Annual facility energy drawn from the grid: IT energy × annual PUE. [MWh/yr]"""
        return self.it_energy_mwh_per_yr * self.pue_annual

    @property
    def required_acres(self) -> float:
        """Contiguous land needed: IT capacity × land intensity. [acre]"""
        return self.it_capacity_mw * self.land_acres_per_mw

    @property
    def required_area_km2(self) -> float:
        """Contiguous land needed. [km²]"""
        return self.required_acres * SQ_KM_PER_ACRE

    @property
    def water_site_m3_per_yr(self) -> float:
        """Screening on-site water use from the archetype's WUE. [m³/yr]"""
        wue = ARCHETYPES[self.cooling_archetype]["wue_site_l_per_kwh"]
        return self.it_energy_mwh_per_yr * 1000.0 * wue / 1000.0

    def derived(self) -> dict[str, float]:
        """Derived quantities, by name with units, as shown in every report."""
        return {
            "facility_peak_mw": round(self.facility_peak_mw, 3),
            "it_energy_mwh_per_yr": round(self.it_energy_mwh_per_yr, 1),
            "facility_energy_mwh_per_yr": round(self.facility_energy_mwh_per_yr, 1),
            "required_acres": round(self.required_acres, 3),
            "required_area_km2": round(self.required_area_km2, 6),
            "water_site_m3_per_yr_screening": round(self.water_site_m3_per_yr, 1),
        }

    def to_dict(self) -> dict[str, Any]:
        """The spec as plain data, with derived values, for the run manifest."""
        data = asdict(self)
        data["weights"] = dict(self.weights)
        data["transforms"] = {k: asdict(v) for k, v in self.transforms.items()}
        data["derived"] = self.derived()
        return data


def default_spec_path() -> Path:
    """Path of the default spec shipped with the package."""
    return Path(str(resources.files("siting") / "specs" / "default.toml"))


def load_spec(path: str | Path | None = None) -> CampusSpec:
    """Read a TOML spec laid over the default, and validate it.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        User spec. Without it the default 1 GW Indiana spec is returned.

    Raises
    ------
    SpecError
        The file is missing or not TOML, has an unknown key, a wrong type or an impossible value.
    """
    default = _read_toml(default_spec_path())
    if path is None:
        return _build(default, source="default")
    user = _read_toml(Path(path))
    return _build(_merge(default, user, where=str(path)), source=str(path))


def spec_from_text(text: str | None, *, default_text: str, source: str) -> CampusSpec:
    """The spec :func:`load_spec` would build from a user spec's text laid over a default's.

    Parameters
    ----------
    text : str or None
        The user spec's TOML text; None for the default alone (``source`` is then "default").
    default_text : str
        The TOML text of the default spec it extends.
    source : str
        Where the user spec came from: its path, against which the files it names resolve.
    """
    default = _parse_toml(default_text, where=f"{source}: recorded default spec")
    if text is None:
        return _build(default, source="default")
    user = _parse_toml(text, where=f"{source}: recorded spec")
    return _build(_merge(default, user, where=source), source=source)


def _parse_toml(text: str, *, where: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise SpecError(f"{where}: not valid TOML ({err}); fix the syntax at that line") from None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        raise SpecError(
            f"{path}: spec file not found; pass an existing TOML file to --spec"
        ) from None
    except IsADirectoryError:
        raise SpecError(
            f"{path}: is a folder, not a spec file; pass a TOML file to --spec"
        ) from None
    except UnicodeDecodeError as err:
        raise SpecError(
            f"{path}: not UTF-8 text (byte {err.start}), so not a TOML spec; save it as UTF-8"
        ) from None
    except tomllib.TOMLDecodeError as err:
        raise SpecError(f"{path}: not valid TOML ({err}); fix the syntax at that line") from None
    except OSError as err:
        raise SpecError(f"{path}: cannot read the spec ({err.strerror}); check the file") from None


_TABLES = (
    "exclusions_mode",
    "layers",
    "campus",
    "region",
    "candidates",
    "weights",
    "transforms",
    "exclusions",
    "interconnection",
    "time_to_power",
    "climate",
    "robustness",
    "noise",
    "impacts",
    "emissions",
)


def _merge(default: dict[str, Any], user: dict[str, Any], *, where: str) -> dict[str, Any]:
    _no_unknown(user, _TABLES, where=where, table="top level")
    merged = {k: (dict(v) if isinstance(v, dict) else v) for k, v in default.items()}
    for table in (
        "campus",
        "region",
        "candidates",
        "interconnection",
        "time_to_power",
        "climate",
        "robustness",
        "noise",
        "impacts",
        "emissions",
    ):
        section = user.get(table, {})
        if not isinstance(section, dict):
            raise SpecError(f"{where}: [{table}] must be a table, got {type(section).__name__}")
        _no_unknown(
            section, tuple(default[table]) + _OPTIONAL.get(table, ()), where=where, table=table
        )
        merged[table] = {**default[table], **section}
    if "weights" in user:
        merged["weights"] = user["weights"]
    merged["exclusions"] = merge_rules(
        default.get("exclusions", []),
        user.get("exclusions"),
        mode=user.get("exclusions_mode", "extend"),
        where=where,
    )
    if "layers" in user:
        merged["layers"] = user["layers"]
    if not isinstance(user.get("transforms", {}), dict):
        raise SpecError(
            f"{where}: [transforms] must be a table of [transforms.<indicator>] tables, got "
            f"{user['transforms']!r}"
        )
    merged["transforms"] = {**default.get("transforms", {}), **user.get("transforms", {})}
    merged["_where"] = where
    return merged


_OPTIONAL = {
    "campus": ("pue_annual", "pue_design"),
    "region": ("states",),
    "candidates": ("max_spacing_km",),
}


#: Keys a spec may no longer hold, and what took their place.
_REPLACED = {
    ("time_to_power", "new_line_beyond_km"): (
        "whether a site needs a new line now follows the grid-adequacy model (an adequate "
        "connection within [interconnection] substation_only_max_km needs none); remove it"
    ),
}


def _no_unknown(
    keys: Mapping[str, Any], allowed: tuple[str, ...], *, where: str, table: str
) -> None:
    unknown = sorted(set(keys) - set(allowed))
    for key in unknown:
        if (table, key) in _REPLACED:
            raise SpecError(f"{where}: [{table}] {key} is no longer used: {_REPLACED[table, key]}")
    if unknown:
        raise SpecError(
            f"{where}: unknown key(s) {unknown} in [{table}]; allowed: {sorted(allowed)}"
        )


def _build(raw: dict[str, Any], *, source: str) -> CampusSpec:
    where = raw.get("_where", "default spec")
    campus = dict(raw["campus"])
    _no_unknown(
        campus,
        (
            "name",
            "it_capacity_mw",
            "load_factor",
            "cooling_archetype",
            "pue_annual",
            "pue_design",
            "land_acres_per_mw",
            "interconnection_voltage_kv",
            "n_hv_lines",
            "target_energization_year",
        ),
        where=where,
        table="campus",
    )
    archetype = _choice(campus, "cooling_archetype", tuple(ARCHETYPES), where=where)
    defaults = ARCHETYPES[archetype]
    spec = CampusSpec(
        name=_text(campus, "name", where=where),
        it_capacity_mw=_number(campus, "it_capacity_mw", where=where, low=1.0, high=20_000.0),
        load_factor=_number(campus, "load_factor", where=where, low=0.05, high=1.0),
        cooling_archetype=archetype,
        pue_annual=_number(
            {"pue_annual": campus.get("pue_annual", defaults["pue_annual"])},
            "pue_annual",
            where=where,
            low=1.0,
            high=3.0,
        ),
        pue_design=_number(
            {"pue_design": campus.get("pue_design", defaults["pue_design"])},
            "pue_design",
            where=where,
            low=1.0,
            high=3.5,
        ),
        land_acres_per_mw=_number(campus, "land_acres_per_mw", where=where, low=0.05, high=20.0),
        interconnection_voltage_kv=_number(
            campus, "interconnection_voltage_kv", where=where, low=69.0, high=1100.0
        ),
        n_hv_lines=int(_number(campus, "n_hv_lines", where=where, low=1, high=8, integer=True)),
        target_energization_year=int(
            _number(
                campus, "target_energization_year", where=where, low=2024, high=2060, integer=True
            )
        ),
        region=_region(raw["region"], where=where),
        candidates=_candidates(raw["candidates"], where=where),
        weights=_weights(raw["weights"], where=where),
        transforms=_transforms(raw.get("transforms", {}), where=where),
        exclusions=parse_rules(
            raw.get("exclusions", []), where=where, number=_number, text=_text, choice=_choice
        ),
        layers=parse_layers(
            raw.get("layers"), where=where, number=_number, text=_text, choice=_choice
        ),
        interconnection=_interconnection(raw["interconnection"], where=where),
        time_to_power=_time_to_power(raw["time_to_power"], where=where),
        climate=_climate(raw["climate"], where=where),
        robustness=_robustness(raw["robustness"], where=where),
        noise=_noise(raw["noise"], where=where),
        impacts=_impacts(raw["impacts"], where=where),
        emissions=_emissions(raw.get("emissions", {}), where=where),
        source=source,
    )
    if spec.pue_design < spec.pue_annual:
        raise SpecError(
            f"{where}: pue_design ({spec.pue_design}) must be at least pue_annual "
            f"({spec.pue_annual}); the design hour is the worst hour of the year"
        )
    if spec.target_energization_year < spec.time_to_power.request_year:
        raise SpecError(
            f"{where}: target_energization_year ({spec.target_energization_year}) is before "
            f"[time_to_power] request_year ({spec.time_to_power.request_year}); "
            "power cannot arrive before it is requested"
        )
    return spec


def _region(table: Mapping[str, Any], *, where: str) -> Region:
    _no_unknown(
        table, ("name", "bundle", "states", "resolution_m", "crs"), where=where, table="region"
    )
    return Region(
        name=_text(table, "name", where=where),
        bundle=_text(table, "bundle", where=where),
        states=_states(table.get("states", []), where=where),
        resolution_m=_number(table, "resolution_m", where=where, low=10.0, high=10_000.0),
        crs=_projected_crs(_text(table, "crs", where=where), where=where),
    )


def _projected_crs(text: str, *, where: str) -> str:
    """``text`` if it names a projected CRS in metres (the grid's cells are square metres)."""
    import pyproj

    try:
        crs = pyproj.CRS.from_user_input(text)
    except pyproj.exceptions.CRSError:
        raise SpecError(
            f"{where}: [region] crs {text!r} is not a known CRS; give an EPSG code such as "
            '"EPSG:5070"'
        ) from None
    units = {axis.unit_name for axis in crs.axis_info}
    if not crs.is_projected or units != {"metre"}:
        raise SpecError(
            f"{where}: [region] crs {text!r} is not a projected CRS in metres; give one such as "
            '"EPSG:5070"'
        )
    return text


def _states(value: Any, *, where: str) -> tuple[str, ...]:
    """USPS codes, upper case, each once: ``["IN", "oh"]`` → ``("IN", "OH")``."""
    ok = isinstance(value, list) and all(
        isinstance(v, str) and len(v.strip()) == 2 and v.strip().isalpha() for v in value
    )
    if not ok:
        raise SpecError(
            f"{where}: [region] 'states' must be a list of two-letter state codes such as "
            f'["IN", "OH"], got {value!r}'
        )
    codes = tuple(dict.fromkeys(v.strip().upper() for v in value))
    return codes


def _candidates(table: Mapping[str, Any], *, where: str) -> Candidates:
    keys = ("count", "min_spacing_km", "max_spacing_km", "compactness", "max_grow_attempts")
    _no_unknown(table, keys, where=where, table="candidates")
    spacing = _number(table, "min_spacing_km", where=where, low=0.0, high=500.0)
    farthest = None
    if table.get("max_spacing_km") is not None:
        farthest = _number(table, "max_spacing_km", where=where, low=spacing, high=5000.0)
    return Candidates(
        count=int(_number(table, "count", where=where, low=1, high=1000, integer=True)),
        min_spacing_km=spacing,
        max_spacing_km=farthest,
        compactness=_number(table, "compactness", where=where, low=0.0, high=10.0),
        max_grow_attempts=int(
            _number(table, "max_grow_attempts", where=where, low=1, high=10_000_000, integer=True)
        ),
    )


def _interconnection(table: Mapping[str, Any], *, where: str) -> Interconnection:
    keys = tuple(Interconnection.__dataclass_fields__)
    _no_unknown(table, keys, where=where, table="interconnection")
    return Interconnection(
        route_factor=_number(table, "route_factor", where=where, low=1.0, high=3.0),
        cost_region=_choice(table, "cost_region", COST_REGIONS, where=where),
        generation_radius_km=_number(
            table, "generation_radius_km", where=where, low=1.0, high=100.0
        ),
        search_radius_km=_number(table, "search_radius_km", where=where, low=1.0, high=200.0),
        substation_only_max_km=_number(
            table, "substation_only_max_km", where=where, low=0.0, high=20.0
        ),
        line_ratings_mva=_line_ratings(table.get("line_ratings_mva"), where=where),
        line_rating=_choice(table, "line_rating", ("low", "high"), where=where),
        cost_year=int(_number(table, "cost_year", where=where, low=2019, high=2060, integer=True)),
        utility_peak_share=_number(table, "utility_peak_share", where=where, low=0.0, high=10.0),
    )


def _line_ratings(value: Any, *, where: str) -> Mapping[int, tuple[float, float]]:
    """``{"345" = [low, high], ...}``: voltage classes [kV] to [MVA] pairs, 0 < low <= high."""
    ctx = f"{where}: [interconnection] line_ratings_mva"
    if not isinstance(value, dict) or not value:
        raise SpecError(f"{ctx} must be a table of voltage class = [low, high] MVA")
    ratings = {}
    for key, pair in value.items():
        if not str(key).isdigit():
            raise SpecError(f'{ctx}: key {key!r} must be a voltage class in kV, e.g. "345"')
        ok = isinstance(pair, list) and len(pair) == 2 and all(_is_number(v) for v in pair)
        if not ok or not 0.0 < pair[0] <= pair[1] <= 20_000.0:
            raise SpecError(
                f"{ctx}: {key} must be [low, high] with 0 < low <= high <= 20000 MVA, got {pair!r}"
            )
        ratings[int(key)] = (float(pair[0]), float(pair[1]))
    return dict(sorted(ratings.items()))


def _time_to_power(table: Mapping[str, Any], *, where: str) -> TimeToPower:
    _no_unknown(table, tuple(TimeToPower.__dataclass_fields__), where=where, table="time_to_power")

    def year(key: str, low: int) -> int:
        return int(_number(table, key, where=where, low=low, high=2060, integer=True))

    def number(key: str, high: float) -> float:
        return _number(table, key, where=where, low=0.0, high=high)

    return TimeToPower(
        request_year=year("request_year", 2000),
        completed_since_year=year("completed_since_year", 1990),
        large_request_mw=number("large_request_mw", 20_000.0),
        min_completed=int(
            _number(table, "min_completed", where=where, low=1, high=10_000, integer=True)
        ),
        congested_county_mw=number("congested_county_mw", 1.0e6),
        new_line_months=_range(table, "new_line_months", where=where, high=600.0),
        network_upgrade_months=_range(table, "network_upgrade_months", where=where, high=600.0),
        substation_months=_range(table, "substation_months", where=where, high=600.0),
        transformer_lead_weeks=_range(table, "transformer_lead_weeks", where=where, high=2600.0),
        poi_radius_km=number("poi_radius_km", 500.0),
        poi_snap_km=number("poi_snap_km", 50.0),
    )


#: Largest warming case accepted [°C]; beyond it the constant-RH shift is no longer a fair
#: stand-in for a future climate (docs/methods.md §3.5).
MAX_WARMING_DEGC = 6.0


def _climate(table: Mapping[str, Any], *, where: str) -> Climate:
    _no_unknown(table, tuple(Climate.__dataclass_fields__), where=where, table="climate")
    moderate = _number(table, "warming_moderate_degc", where=where, low=0.0, high=MAX_WARMING_DEGC)
    high = _number(table, "warming_high_degc", where=where, low=0.0, high=MAX_WARMING_DEGC)
    if high < moderate:
        raise SpecError(
            f"{where}: [climate] warming_high_degc ({high:g}) is below warming_moderate_degc "
            f"({moderate:g}); the high case must warm at least as much"
        )
    return Climate(
        warming_moderate_degc=moderate,
        warming_high_degc=high,
        warming_scenario=_text(table, "warming_scenario", where=where),
    )


def _noise(table: Mapping[str, Any], *, where: str) -> Noise:
    _no_unknown(table, tuple(Noise.__dataclass_fields__), where=where, table="noise")

    def number(key: str, low: float, high: float) -> float:
        return _number(table, key, where=where, low=low, high=high)

    night, day = number("night_limit_dba", 20.0, 90.0), number("day_limit_dba", 20.0, 90.0)
    if day < night:
        raise SpecError(
            f"{where}: [noise] day_limit_dba ({day:g}) is below night_limit_dba ({night:g}); "
            "the day limit must be at least the night one"
        )
    return Noise(
        night_limit_dba=night,
        day_limit_dba=day,
        cooling_lw_dba_per_mw=number("cooling_lw_dba_per_mw", 50.0, 130.0),
        generator_lw_dba=number("generator_lw_dba", 60.0, 150.0),
        generator_unit_mw=number("generator_unit_mw", 0.1, 20.0),
        generators_tested_at_once=int(
            _number(table, "generators_tested_at_once", where=where, low=1, high=1000, integer=True)
        ),
        absorption_db_per_km=number("absorption_db_per_km", 0.0, 200.0),
    )


def _emissions(table: Mapping[str, Any], *, where: str) -> Emissions:
    _no_unknown(table, tuple(Emissions.__dataclass_fields__), where=where, table="emissions")
    if "marginal_co2_lb_per_mwh" not in table:
        return Emissions()
    rate = _number(table, "marginal_co2_lb_per_mwh", where=where, low=0.0, high=5000.0)
    return Emissions(marginal_co2_lb_per_mwh=rate)


def _impacts(table: Mapping[str, Any], *, where: str) -> Impacts:
    _no_unknown(table, tuple(Impacts.__dataclass_fields__), where=where, table="impacts")
    return Impacts(
        setback_m=_number(table, "setback_m", where=where, low=1.0, high=10_000.0),
    )


def _robustness(table: Mapping[str, Any], *, where: str) -> Robustness:
    _no_unknown(table, tuple(Robustness.__dataclass_fields__), where=where, table="robustness")

    def whole(key: str, low: int, high: int) -> int:
        return int(_number(table, key, where=where, low=low, high=high, integer=True))

    return Robustness(
        draws=whole("draws", 1, 100_000),
        seed=whole("seed", 0, 2**32 - 1),
        concentration=_number(table, "concentration", where=where, low=1.0, high=1.0e9),
        top_n=whole("top_n", 1, 1000),
        consensus_top_pct=_number(table, "consensus_top_pct", where=where, low=0.01, high=100.0),
    )


def _range(table: Mapping[str, Any], key: str, *, where: str, high: float) -> tuple[float, float]:
    """A ``[low, high]`` pair with 0 <= low <= high <= ``high``."""
    value = table.get(key)
    ok = (
        isinstance(value, list)
        and len(value) == 2
        and all(_is_number(v) and math.isfinite(v) for v in value)
    )
    if not ok or not 0.0 <= value[0] <= value[1] <= high:
        raise SpecError(
            f"{where}: [time_to_power] '{key}' must be [low, high] with "
            f"0 <= low <= high <= {high:g}, got {value!r}"
        )
    return (float(value[0]), float(value[1]))


def _weights(table: Any, *, where: str) -> Mapping[str, float]:
    if not isinstance(table, dict) or not table:
        raise SpecError(f"{where}: [weights] must be a non-empty table of indicator = weight")
    weights = {k: _number(table, k, where=where, low=0.0, high=1.0) for k in table}
    total = math.fsum(weights.values())
    if abs(total - 1.0) > 1e-6:
        raise SpecError(f"{where}: weights must sum to 1, got {total:.3f} ({weights})")
    return weights


def _transforms(table: Any, *, where: str) -> Mapping[str, Transform]:
    if not isinstance(table, dict):
        raise SpecError(f"{where}: [transforms] must be a table of [transforms.<indicator>] tables")
    out = {}
    for indicator, raw in table.items():
        ctx = f"transforms.{indicator}"
        if not isinstance(raw, dict):
            raise SpecError(f"{where}: [{ctx}] must be a table")
        _no_unknown(raw, ("kind", "best", "worst", "points"), where=where, table=ctx)
        kind = _choice(raw, "kind", TRANSFORM_KINDS, where=where)
        if kind == "linear":
            best = _number(raw, "best", where=where)
            worst = _number(raw, "worst", where=where)
            if best == worst:
                raise SpecError(f"{where}: [{ctx}] best and worst must differ, both are {best}")
            out[indicator] = Transform(kind=kind, best=best, worst=worst)
        else:
            out[indicator] = Transform(
                kind=kind, points=_points(raw.get("points"), where=where, ctx=ctx)
            )
    return out


def _points(raw: Any, *, where: str, ctx: str) -> tuple[tuple[float, float], ...]:
    ok = (
        isinstance(raw, list)
        and len(raw) >= 2
        and all(isinstance(p, list) and len(p) == 2 and all(_is_number(v) for v in p) for p in raw)
    )
    if not ok:
        raise SpecError(
            f"{where}: [{ctx}] points must be a list of [value, suitability] pairs, got {raw!r}"
        )
    points = tuple((float(x), float(s)) for x, s in raw)
    xs = [x for x, _ in points]
    if any(b <= a for a, b in itertools.pairwise(xs)):
        raise SpecError(f"{where}: [{ctx}] point values must increase, got {xs}")
    if any(not 0.0 <= s <= 1.0 for _, s in points):
        raise SpecError(f"{where}: [{ctx}] suitabilities must lie in [0, 1], got {points}")
    return points


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _number(
    table: Mapping[str, Any],
    key: str,
    *,
    where: str,
    low: float | None = None,
    high: float | None = None,
    integer: bool = False,
) -> float:
    if key not in table:
        raise SpecError(f"{where}: '{key}' is required")
    value = table[key]
    if not _is_number(value) or not math.isfinite(value):
        raise SpecError(f"{where}: '{key}' must be a number, got {value!r}")
    if integer and float(value) != int(value):
        raise SpecError(f"{where}: '{key}' must be a whole number, got {value!r}")
    if (low is not None and value < low) or (high is not None and value > high):
        raise SpecError(f"{where}: '{key}' must lie in [{low}, {high}], got {value!r}")
    return float(value)


def _text(table: Mapping[str, Any], key: str, *, where: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise SpecError(f"{where}: '{key}' must be a non-empty string, got {value!r}")
    return value


def _choice(table: Mapping[str, Any], key: str, allowed: tuple[str, ...], *, where: str) -> str:
    value = table.get(key)
    if value not in allowed:
        raise SpecError(f"{where}: '{key}' must be one of {list(allowed)}, got {value!r}")
    return value
