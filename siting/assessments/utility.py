"""The retail utility serving each site, its size and average price, and the campus against it.

The serving utility is the retail service territory (GridWatch Indiana, from HIFLD) covering
the largest share of the site. Its name is matched to the EIA-861 utilities of the territory's
state (CommonGrid table) after both names are normalised (case, punctuation, state tags such as
"- (In)", company suffixes, the spellings of "rural electric membership corporation"). The
campus's peak is set against the utility's annual peak and its energy against the utility's
retail sales; the energy is priced at the utility's all-sector average retail price
(docs/methods.md §4.7).

A campus that is a large share of its utility's peak is a risk: the utility must add
generation (or buy capacity) and transmission on that scale before it can serve the load, and
unless the tariff assigns those costs to the campus, the utility's other customers may bear
them.

References
----------
U.S. EIA (2025). Form EIA-861, 2024 data: utility peak demand, retail sales and revenue.
https://www.eia.gov/electricity/data/eia861/ (via CommonGrid, ODbL 1.0)
HIFLD. Electric Retail Service Territories (via GridWatch Indiana, CC BY 4.0).
"""

from __future__ import annotations

import re
from types import MappingProxyType

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from siting.assessments.base import Assessment, SiteContext, SiteModel
from siting.sources.eia861 import CENTS_PER_KWH_PER_USD_PER_MWH

UNKNOWN = "UNKNOWN"
USD_PER_MUSD = 1.0e6
#: Territories covering shares of a site within this of the largest are tied; the smallest
#: of them is taken as the serving one (assumption: the more local territory) [-].
TIE_SHARE = 0.01

UNITS = MappingProxyType(
    {
        "serving_utility": "(text: retail territory covering most of the site, GridWatch name)",
        "serving_utility_area_share": "fraction (of the site's area inside that territory)",
        "serving_utilities": "(text: every territory overlapping the site, with its share of "
        "the site's area)",
        "utility_eia_id": "(text: EIA utility id of the serving utility, or UNKNOWN: reason)",
        "utility_eia_name": "(text: the EIA-861 name matched)",
        "utility_peak_mw": "MW (EIA-861 annual peak demand of the serving utility)",
        "utility_sales_mwh_per_yr": "MWh/yr (EIA-861 retail sales of the serving utility)",
        "utility_avg_price_cents_per_kwh": "¢/kWh (all-sector average retail price = revenue / "
        "sales, EIA-861; not a large-load tariff)",
        "campus_peak_share_of_utility_peak": "fraction (campus peak_demand_mw / utility peak)",
        "campus_energy_share_of_utility_sales": "fraction (campus energy_mwh_per_yr / utility "
        "retail sales)",
        "energy_cost_musd_per_yr": "M$/yr (campus energy × utility average price, in dollars of "
        "the EIA-861 data year)",
        "utility_peak_flag": "(yes/no: campus peak above the spec's utility_peak_share of the "
        "utility's peak; blank when unknown)",
    }
)

#: Abbreviations of the territory names, spelled out (both names get the same treatment).
ABBREVIATIONS = MappingProxyType(
    {
        "elec": "electric",
        "lgt": "light",
        "pwr": "power",
        "pub": "public",
        "serv": "service",
        "util": "utilities",
        "utils": "utilities",
        "dist": "district",
        "coop": "cooperative",
        "corp": "corporation",
    }
)
#: Names (as keys) of a territory that EIA-861 lists under another name: Western Indiana Energy
#: REMC trades as WIN Energy REMC.
NAME_ALIASES = MappingProxyType({"westernindianaenergyremc": "winenergyremc"})
#: Words of company form dropped from the end of a name.
COMPANY_SUFFIXES = ("inc", "llc", "co", "company", "corporation", "incorporated", "ltd")
#: Spellings of the cooperative forms, each reduced to one word (applied in order).
COOPERATIVE_FORMS = (
    (r"\brural electric member(ship)?( corporation)?\b", "remc"),
    (r"\b(rural|r) emc\b", "remc"),
    (r"\bemc\b", "remc"),
    (r"\brural electric cooperative\b", "rec"),
)


def utility_name_key(name: str) -> str:
    """A utility name reduced for matching across providers: lower case, no punctuation or
    state tag, abbreviations spelled out, company suffixes dropped, one spelling of the
    cooperative forms, no spaces.

    >>> utility_name_key("Northern Indiana Pub Serv Co")
    'northernindianapublicservice'
    >>> utility_name_key("Northern Indiana Public Service Company")
    'northernindianapublicservice'
    >>> utility_name_key("Clark County Rural E M C - (In)") == utility_name_key(
    ...     "Clark County Rural EMC")
    True
    >>> utility_name_key("Tipmont Rural Elec Member Corp")
    'tipmontremc'
    >>> utility_name_key("Western Indiana Energy Remc") == utility_name_key("WIN Energy REMC")
    True
    """
    text = re.sub(r"\(\s*[a-z]{2}\s*\)", " ", name.lower()).replace("&", " and ")
    words = _join_initials(re.sub(r"[^a-z0-9]+", " ", text).split())
    words = [ABBREVIATIONS.get(w, w) for w in words]
    while words and words[-1] in COMPANY_SUFFIXES:
        words.pop()
    text = " ".join(words)
    for pattern, word in COOPERATIVE_FORMS:
        text = re.sub(pattern, word, text)
    key = text.replace(" ", "")
    return NAME_ALIASES.get(key, key)


def _join_initials(words: list[str]) -> list[str]:
    """Runs of single letters joined into one word: ``r e m c`` → ``remc``."""
    out: list[str] = []
    after_initial = False
    for word in words:
        initial = len(word) == 1 and word.isalpha()
        if initial and after_initial:
            out[-1] += word
        else:
            out.append(word)
        after_initial = initial
    return out


def match_utilities(names: pd.Series, states: pd.Series, utilities: pd.DataFrame) -> pd.DataFrame:
    """The EIA-861 row of each territory: same name key, among the utilities of its state.

    Parameters
    ----------
    names : pandas.Series
        Territory utility names (GridWatch).
    states : pandas.Series
        USPS code of each territory's state (NaN outside the study area), aligned with names.
    utilities : pandas.DataFrame
        :func:`siting.sources.eia861.read_utilities` output.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``names``: ``eia_row`` (index label in ``utilities``, NaN where none),
        ``utility_eia_id`` (the id, or "UNKNOWN: reason"), ``utility_eia_name``. Among several
        rows of the name, an active one with an id and sales wins; several such rows with
        different ids are ambiguous (UNKNOWN).
    """
    served = utilities["state_jurisdiction"].fillna("").str.upper().str.split(r"\s*,\s*")
    pairs = pd.DataFrame({"state": served.explode()})
    pairs["key"] = utilities["utility"].astype(str).map(utility_name_key).reindex(pairs.index)
    groups = pairs.groupby(["state", "key"]).groups
    rows = []
    for name, state in zip(names, states, strict=True):
        if not isinstance(state, str):
            rows.append((np.nan, f"{UNKNOWN}: territory outside the study area's states", ""))
            continue
        hits = utilities.loc[groups.get((state, utility_name_key(name)), [])]
        rows.append(_best_row(hits, name=name, state=state))
    columns = ["eia_row", "utility_eia_id", "utility_eia_name"]
    return pd.DataFrame(rows, columns=columns).set_axis(names.index)


def _best_row(hits: pd.DataFrame, *, name: str, state: str) -> tuple[float, str, str]:
    """The one EIA-861 row among ``hits`` (rows of one name key and state)."""
    if hits.empty:
        return np.nan, f"{UNKNOWN}: no EIA-861 utility of {state} named like {name!r}", ""
    rank = pd.DataFrame(
        {
            "inactive": hits["status"].fillna("").str.upper() != "ACTIVE",
            "no_id": hits["eia_id"].isna(),
            "no_sales": hits["sales_mwh"].isna(),
        }
    )
    best = hits[(rank == rank.min()).all(axis=1)]
    ids = sorted(set(best["eia_id"].dropna()))
    if len(ids) > 1:
        return np.nan, f"{UNKNOWN}: EIA-861 utilities {ids} of {state} all match {name!r}", ""
    row = best.index[0]
    found = best.loc[row, "utility"]
    if not ids:
        return row, f"{UNKNOWN}: the matching EIA-861 row {found!r} has no EIA id", found
    return row, ids[0], found


def territory_states(territories: gpd.GeoDataFrame, study_area: gpd.GeoDataFrame) -> pd.Series:
    """The study-area state holding each territory's representative point (NaN: none)."""
    points = gpd.GeoDataFrame(geometry=territories.representative_point(), crs=territories.crs)
    held = gpd.sjoin(points, study_area[["state", "geometry"]], how="left", predicate="within")
    return held[~held.index.duplicated(keep="first")]["state"].reindex(territories.index)


def site_overlaps(sites: gpd.GeoSeries, territories: gpd.GeoDataFrame) -> pd.DataFrame:
    """Every (site, territory) pair that overlaps, with the share of the site's area.

    Returns
    -------
    pandas.DataFrame
        ``site`` (position in ``sites``), ``territory`` (index label), ``share`` [-],
        ``territory_km2`` [km²], ``tied`` (share within :data:`TIE_SHARE` of the site's
        largest); sorted by site, share (largest first), then territory area (smallest first).
    """
    shapes = sites.to_numpy()
    site_pos, terr_pos = territories.sindex.query(shapes, predicate="intersects")
    geoms = territories.geometry.to_numpy()
    inter_m2 = shapely.area(shapely.intersection(shapes[site_pos], geoms[terr_pos]))
    pairs = pd.DataFrame(
        {
            "site": site_pos,
            "territory": territories.index.to_numpy()[terr_pos],
            "share": inter_m2 / shapely.area(shapes[site_pos]),
            "territory_km2": shapely.area(geoms[terr_pos]) / 1.0e6,
        }
    )
    pairs = pairs[pairs["share"] > 0]
    top = pairs.groupby("site")["share"].transform("max")
    pairs = pairs.assign(tied=(top - pairs["share"]) <= TIE_SHARE)
    order = ["site", "share", "territory_km2"]
    return pairs.sort_values(order, ascending=[True, False, True]).reset_index(drop=True)


def serving_territories(sites: gpd.GeoSeries, territories: gpd.GeoDataFrame | None) -> pd.DataFrame:
    """Per site (by position): the serving territory's label (NaN: none) and name (or
    "UNKNOWN: reason"), its share of the site's area, every overlap as text
    "name 100%; name 62%" (largest share first), and how many territories tie for it.

    The serving territory covers the largest share of the site; among territories within
    :data:`TIE_SHARE` of it, the smallest (assumption: the more local claim).
    """
    index = pd.RangeIndex(len(sites))
    if territories is None:
        return pd.DataFrame(
            {
                "territory": np.nan,
                "serving_utility": f"{UNKNOWN}: the bundle has no utility_territories input",
                "serving_utility_area_share": np.nan,
                "serving_utilities": "",
                "tied_territories": 0,
            },
            index=index,
        )
    pairs = site_overlaps(sites, territories)
    names = territories["utility"]
    tied = pairs[pairs["tied"]].sort_values(["site", "territory_km2"], kind="stable")
    first = tied.drop_duplicates("site").set_index("site").reindex(index)
    labels = [
        f"{names[t]} {s:.0%}" for t, s in zip(pairs["territory"], pairs["share"], strict=True)
    ]
    text = pd.Series(labels, dtype=object).groupby(pairs["site"].to_numpy()).agg("; ".join)
    n_tied = tied.groupby("site").size().reindex(index, fill_value=0)
    serving = pd.Series(names.reindex(first["territory"]).to_numpy(), index=index, dtype=object)
    unknown = f"{UNKNOWN}: in no retail territory of the bundle"
    return pd.DataFrame(
        {
            "territory": first["territory"],
            "serving_utility": serving.where(first["territory"].notna(), unknown),
            "serving_utility_area_share": first["share"],
            "serving_utilities": text.reindex(index).fillna(""),
            "tied_territories": n_tied,
        },
        index=index,
    )


def campus_against_utility(
    peak_mw: np.ndarray,
    energy_mwh_per_yr: np.ndarray,
    utility: pd.DataFrame,
    *,
    peak_share_limit: float,
) -> pd.DataFrame:
    """The campus's shares of its utility's peak and sales, its energy cost at the utility's
    average price, and the peak flag.

    Parameters
    ----------
    peak_mw, energy_mwh_per_yr : numpy.ndarray
        Campus peak demand [MW] and annual energy [MWh/yr].
    utility : pandas.DataFrame
        Aligned rows with ``peak_demand_mw`` [MW], ``sales_mwh`` [MWh/yr] and
        ``avg_price_cents_per_kwh`` [¢/kWh] (NaN where unknown).
    peak_share_limit : float
        Share of the utility's peak above which the campus is flagged [-].

    Examples
    --------
    A 1,000 MW campus using 8 TWh/yr, against a 5,000 MW utility selling 25 TWh/yr at
    10 ¢/kWh: 20 % of the peak, 32 % of the sales, 8e6 MWh × $100/MWh = 800 M$/yr.

    >>> u = pd.DataFrame({"peak_demand_mw": [5000.0], "sales_mwh": [2.5e7],
    ...                   "avg_price_cents_per_kwh": [10.0]})
    >>> out = campus_against_utility(np.array([1000.0]), np.array([8.0e6]), u,
    ...                              peak_share_limit=0.1)
    >>> [round(float(v), 6) for v in out.iloc[0, :3]], bool(out.iloc[0, 3])
    ([0.2, 0.32, 800.0], True)
    """
    peak = utility["peak_demand_mw"].to_numpy(dtype=np.float64)
    sales = utility["sales_mwh"].to_numpy(dtype=np.float64)
    price = utility["avg_price_cents_per_kwh"].to_numpy(dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        peak_share = np.where(peak > 0, peak_mw / peak, np.nan)
        energy_share = np.where(sales > 0, energy_mwh_per_yr / sales, np.nan)
    usd_per_mwh = price / CENTS_PER_KWH_PER_USD_PER_MWH
    flag = pd.array(peak_share > peak_share_limit, dtype="boolean")
    flag[np.isnan(peak_share)] = pd.NA
    return pd.DataFrame(
        {
            "campus_peak_share_of_utility_peak": peak_share,
            "campus_energy_share_of_utility_sales": energy_share,
            "energy_cost_musd_per_yr": energy_mwh_per_yr * usd_per_mwh / USD_PER_MUSD,
            "utility_peak_flag": flag,
        }
    )


def assess(sites: gpd.GeoDataFrame, context: SiteContext) -> Assessment:
    """The serving utility of each site, its EIA-861 size and price, and the campus against it."""
    inputs = context.inputs
    served = serving_territories(sites.geometry, inputs.utility_territories)
    matches = territory_matches(inputs.utility_territories, inputs.utilities, inputs.study_area)
    found = matches.reindex(served["territory"].to_numpy()).reset_index(drop=True)
    utility = _utility_values(inputs.utilities, found["eia_row"])
    campus = campus_against_utility(
        sites["peak_demand_mw"].to_numpy(dtype=np.float64),
        sites["energy_mwh_per_yr"].to_numpy(dtype=np.float64),
        utility,
        peak_share_limit=inputs.spec.interconnection.utility_peak_share,
    )
    has_territory = served["territory"].notna()
    columns = pd.DataFrame(
        {
            "serving_utility": served["serving_utility"],
            "serving_utility_area_share": served["serving_utility_area_share"],
            "serving_utilities": served["serving_utilities"],
            "utility_eia_id": found["utility_eia_id"].where(
                has_territory, served["serving_utility"]
            ),
            "utility_eia_name": found["utility_eia_name"].fillna(""),
            "utility_peak_mw": utility["peak_demand_mw"],
            "utility_sales_mwh_per_yr": utility["sales_mwh"],
            "utility_avg_price_cents_per_kwh": utility["avg_price_cents_per_kwh"],
            **{c: campus[c] for c in campus.columns},
        }
    )
    return Assessment(
        name="serving utility",
        columns=columns[list(UNITS)].set_axis(sites.index),
        units=dict(UNITS),
        notes=_notes(inputs, matches, served),
        proxy_columns=("energy_cost_musd_per_yr",),
    )


def territory_matches(
    territories: gpd.GeoDataFrame | None,
    utilities: pd.DataFrame | None,
    study_area: gpd.GeoDataFrame,
) -> pd.DataFrame:
    """The EIA-861 match of every territory (:func:`match_utilities`); without a table, each
    territory's id is UNKNOWN with the reason."""
    columns = ["eia_row", "utility_eia_id", "utility_eia_name"]
    if territories is None:
        return pd.DataFrame(columns=columns)
    if utilities is None:
        reason = f"{UNKNOWN}: the bundle has no utilities (EIA-861) input"
        return pd.DataFrame(
            {"eia_row": np.nan, "utility_eia_id": reason, "utility_eia_name": ""},
            index=territories.index,
        )
    states = territory_states(territories, study_area)
    return match_utilities(territories["utility"], states, utilities)


def _utility_values(utilities: pd.DataFrame | None, rows: pd.Series) -> pd.DataFrame:
    """Peak, sales and price of each site's matched EIA-861 row (NaN where none)."""
    values = ["peak_demand_mw", "sales_mwh", "avg_price_cents_per_kwh"]
    if utilities is None:
        return pd.DataFrame(np.nan, index=rows.index, columns=values)
    return utilities[values].reindex(rows.to_numpy()).set_axis(rows.index)


def _notes(inputs, matches: pd.DataFrame, served: pd.DataFrame) -> tuple[str, ...]:
    """The method, the match rate over every territory, the price caveat and the direction."""
    limit = inputs.spec.interconnection.utility_peak_share
    n_tied = int((served["tied_territories"] > 1).sum())
    notes = [
        "Serving utility: the retail service territory (GridWatch Indiana, from HIFLD) covering "
        "the largest share of the site; territories overlap (investor-owned footprints with "
        "cooperative and town territories over them), and where several cover equal shares "
        f"(within {TIE_SHARE:.0%} of the site's area) the smallest is taken, the more local "
        "one (assumption); serving_utilities lists every overlap. The boundaries are "
        "generalised: confirm the serving utility with the utility and the state's service-area "
        f"records (docs/methods.md §4.7). {n_tied} of {len(served)} sites are covered as fully "
        "by more than one territory: which would serve them is uncertain.",
    ]
    if inputs.utility_territories is None or inputs.utilities is None:
        missing = "utility_territories" if inputs.utility_territories is None else "utilities"
        notes.append(f"The bundle has no {missing} input: the utility columns are UNKNOWN.")
    else:
        notes.append(_match_note(matches, inputs.utilities))
        year = int(inputs.utilities["data_year"].iloc[0])
        notes.append(
            f"Price: the utility's all-sector average retail price in {year} (EIA-861 revenue / "
            "sales over every customer class), not the tariff a large load would pay (large-"
            "load and industrial tariffs, demand charges and contracts differ). "
            f"energy_cost_musd_per_yr = energy_mwh_per_yr × that price, in {year} US$: a "
            "proxy of scale, not a bill."
        )
    notes += [
        "A campus that is a large share of its utility's peak is a risk: the utility must add "
        "generation (or buy capacity) and transmission on that scale before it can serve the "
        "load, and unless the tariff assigns those costs to the campus, its other customers "
        f"may bear them. utility_peak_flag: campus peak above {limit:.0%} of the utility's "
        "EIA-861 peak (spec utility_peak_share).",
        "A distribution cooperative or town utility usually buys its power and transmission "
        "from a wholesale supplier (a generation-and-transmission cooperative or a municipal "
        "power agency) whose system is larger: the share then measures the load against the "
        "retail utility, not against the system that would supply it.",
    ]
    return tuple(notes)


def _match_note(matches: pd.DataFrame, utilities: pd.DataFrame) -> str:
    """How many territories of the study area's states matched an EIA-861 utility with an id,
    and which did not."""
    outside = matches["utility_eia_id"].str.contains("outside the study area", regex=False)
    mine = matches[~outside]
    unknown = mine["utility_eia_id"].str.startswith(UNKNOWN)
    matched, total = len(mine) - int(unknown.sum()), len(mine)
    no_peak = int(utilities["peak_demand_mw"].reindex(mine.loc[~unknown, "eia_row"]).isna().sum())
    reasons = "; ".join(mine.loc[unknown, "utility_eia_id"].str.removeprefix(f"{UNKNOWN}: "))
    rate = f" ({matched / total:.0%})" if total else ""
    return (
        f"EIA-861 match: {matched} of the {total} territories in the study area's states"
        f"{rate} matched a utility of their state by normalised name (case, punctuation, "
        "state tags, company suffixes, cooperative forms)"
        + (f"; not matched: {reasons}" if reasons else "")
        + (
            f"; {int(outside.sum())} territories outside those states not matched"
            if outside.any()
            else ""
        )
        + f". EIA-861 gives no peak for {no_peak} of the matched utilities: their campus peak "
        "shares are UNKNOWN."
    )


MODEL = SiteModel(
    name="serving utility",
    units=UNITS,
    reads=("utility_territories", "utilities", "states"),
    assess=assess,
    needs=("peak_demand_mw", "energy_mwh_per_yr"),
)
