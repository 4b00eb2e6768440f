"""Interconnection-queue statistics and the time-to-power model, as pure functions.

Every function takes a queue table in the schema of
:data:`siting.sources.queue_table.QUEUE_SCHEMA` (one row per request; ``status`` one of active,
suspended, withdrawn, operational, unknown; dates as datetimes; ``capacity_mw`` NaN when
missing, zero or negative) and returns new data.

Time to power is modelled as ``T = max(Q, U)``: ``Q`` is the request-to-operation time of
completed requests (an empirical distribution by ISO region, size class and county congestion),
``U`` the time to build the site's own upgrade, uniform over the range of its need class
(:data:`NEEDS`: a substation only, a new line, or a new line plus network upgrades, as the
grid-adequacy model classes the connection) and floored by the transformer lead time. Both
clocks start at the request and run concurrently (an assumption), so with independence
``P(T <= t) = F_Q(t) · F_U(t)``.

The queue data are generator and storage requests, not large-load requests: every figure
derived here is a proxy for a data-center campus and is labelled so (``PROXY_NOTE``).

References
----------
Rand, J. et al. Queued Up: 2024 Edition. Characteristics of Power Plants Seeking Transmission
Interconnection as of the End of 2023. Lawrence Berkeley National Laboratory.
https://emp.lbl.gov/queues ; docs/methods.md §4.4 (55-month typical IR→COD for 2024 CODs,
upgrade durations: new line 4–8 yr with new ROW, substation only 2–3 yr, new line plus network
upgrades 6–10 yr, an assumption) and §1.4 (large power transformer lead time 90–130+ weeks).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from siting.counties import normalize_county_name
from siting.errors import DataError
from siting.models.adequacy import NEED_TEXT, NETWORK_UPGRADE, NEW_LINE, SUBSTATION_ONLY
from siting.spec import TimeToPower

MONTHS_PER_DAY = 12.0 / 365.25
MONTHS_PER_WEEK = 7.0 * MONTHS_PER_DAY
KNOWN_STATUSES = ("active", "suspended", "withdrawn", "operational")
COHORT_LAST_YEAR = 2018
GRID_STEP_MONTHS = 0.1
FUZZY_CUTOFF = 0.85
PROXY_NOTE = (
    "Queue statistics describe generator and storage interconnection requests, not large-load "
    "(data-center) requests: they are a proxy for a campus's own queue."
)
ALL_REGIONS = "all regions"
#: Need classes of a connection (:mod:`siting.models.adequacy`), the second key of
#: ``county_time_to_power``: 0 a substation only, 1 a new line, 2 a new line plus network upgrades.
NEEDS = (int(SUBSTATION_ONLY), int(NEW_LINE), int(NETWORK_UPGRADE))


# ------------------------------------------------------------------------------------------
# data quality and counties
# ------------------------------------------------------------------------------------------


def months_between(start: pd.Series, end: pd.Series) -> pd.Series:
    """Elapsed time from ``start`` to ``end``. [months of 365.25/12 days]"""
    return (end - start) / pd.Timedelta(days=1) * MONTHS_PER_DAY


def data_quality(queue: pd.DataFrame, *, as_of: pd.Timestamp) -> pd.Series:
    """Counts of the problems in a queue table; every row is kept and counted.

    Each problem removes the row only from the statistics that need the missing value.
    """
    operational = queue["status"] == "operational"
    months = months_between(queue["request_date"], queue["operation_date"])
    return pd.Series(
        {
            "requests": len(queue),
            "status_unknown": int((queue["status"] == "unknown").sum()),
            "request_date_missing": int(queue["request_date"].isna().sum()),
            "dates_unparsed": int(queue["unparsed_dates"].sum()),
            "capacity_missing": int(queue["capacity_raw_mw"].isna().sum()),
            "capacity_zero_or_negative": int((queue["capacity_raw_mw"] <= 0).sum()),
            "operational_without_operation_date": int(
                (operational & queue["operation_date"].isna()).sum()
            ),
            "operation_date_after_data_end": int(
                (operational & (queue["operation_date"] > as_of)).sum()
            ),
            "operation_before_request": int((operational & (months < 0)).sum()),
            "withdrawn_without_withdrawn_date": int(
                ((queue["status"] == "withdrawn") & queue["withdrawn_date"].isna()).sum()
            ),
            "no_county_named": int((queue["counties"].map(len) == 0).sum()),
        },
        name="count",
    )


@dataclass(frozen=True, kw_only=True)
class CountyJoin:
    """How a state's requests joined its counties.

    ``mentions`` counts county names (or FIPS codes) in requests, plus one for each request
    naming none; each is joined by FIPS, by exact normalised name, by a close name match
    (misspellings such as "tippecance") or not at all (``failed``).
    """

    mentions: int
    by_fips: int
    exact: int
    fuzzy: int
    failed: int
    failed_names: tuple[str, ...]
    share_failed_mentions: float
    share_failed_active_mw: float


def join_counties(
    queue: pd.DataFrame, counties: pd.DataFrame, *, state: str, cutoff: float = FUZZY_CUTOFF
) -> tuple[pd.DataFrame, CountyJoin]:
    """Join a state's requests to its county FIPS codes, robust to name variants.

    Names are normalised (case, "County", "Saint"/"St.", spaces: "LaPorte" = "La Porte"); a
    name that still does not match takes the closest county name with a similarity ratio of
    at least ``cutoff`` (Ratcliff/Obershelp, :mod:`difflib`). A request naming several
    counties is split equally among them.

    Parameters
    ----------
    queue : pandas.DataFrame
        Requests in the queue-table schema.
    counties : pandas.DataFrame
        ``fips`` (5-char) and ``name`` of the state's counties.
    state : str
        USPS code of the state.
    cutoff : float
        Smallest similarity ratio (0–1) of a close-name match.

    Returns
    -------
    long : pandas.DataFrame
        One row per (request, county mention): ``row`` (index into ``queue``), ``name``,
        ``fips`` (NaN when not joined), ``weight`` (1 / counties named), ``method``.
    report : CountyJoin
    """
    rows = queue[queue["state"] == state]
    by_fips = rows["county_fips"].map(len) > 0
    items = pd.concat([rows.loc[by_fips, "county_fips"], rows.loc[~by_fips, "counties"]])
    weight = 1.0 / items.map(len).clip(lower=1)
    exploded = items.explode()
    long = pd.DataFrame(
        {
            "row": exploded.index.to_numpy(),
            "name": exploded.to_numpy(dtype=object),
            "weight": weight.reindex(exploded.index).to_numpy(),
            "by_fips": by_fips.reindex(exploded.index).to_numpy(),
        }
    )
    lookup = dict(zip(counties["name"].map(normalize_county_name), counties["fips"], strict=True))
    keys = long["name"].map(normalize_county_name)
    close = {
        k: difflib.get_close_matches(k, list(lookup), n=1, cutoff=cutoff)
        for k in set(keys) - set(lookup)
        if k
    }
    exact = np.array([lookup.get(k) for k in keys], dtype=object)
    fuzzy = np.array([lookup[close[k][0]] if close.get(k) else None for k in keys], dtype=object)
    known_fips = set(counties["fips"])
    given = np.array([n if n in known_fips else None for n in long["name"]], dtype=object)
    by_fips = long["by_fips"].to_numpy(dtype=bool)
    fips = np.where(by_fips, given, np.where(exact != None, exact, fuzzy))  # noqa: E711
    long["fips"] = pd.Series(fips, index=long.index, dtype=object)
    long["method"] = np.select(
        [long["fips"].isna().to_numpy(), by_fips, exact != None],  # noqa: E711
        ["failed", "fips", "exact"],
        default="fuzzy",
    )
    long = long.drop(columns="by_fips")
    return long, _join_report(long, rows)


def _join_report(long: pd.DataFrame, rows: pd.DataFrame) -> CountyJoin:
    method = long["method"].value_counts()
    failed = long["method"] == "failed"
    mw = rows["capacity_mw"].where(rows["status"] == "active")
    mw_long = mw.reindex(long["row"]).to_numpy() * long["weight"].to_numpy()
    total_active = float(np.nansum(mw))
    return CountyJoin(
        mentions=len(long),
        by_fips=int(method.get("fips", 0)),
        exact=int(method.get("exact", 0)),
        fuzzy=int(method.get("fuzzy", 0)),
        failed=int(method.get("failed", 0)),
        failed_names=tuple(sorted({str(n) for n in long.loc[failed, "name"].dropna()})),
        share_failed_mentions=float(failed.mean()) if len(long) else 0.0,
        share_failed_active_mw=(
            float(np.nansum(mw_long[failed.to_numpy()])) / total_active if total_active else 0.0
        ),
    )


# ------------------------------------------------------------------------------------------
# congestion
# ------------------------------------------------------------------------------------------


def congestion(
    queue: pd.DataFrame, long: pd.DataFrame, *, key: str, as_of: pd.Timestamp
) -> pd.DataFrame:
    """Queue congestion per place (county FIPS, connection point...).

    Parameters
    ----------
    queue : pandas.DataFrame
        Requests in the queue-table schema.
    long : pandas.DataFrame
        ``row`` (index into ``queue``), ``weight`` and the place column ``key``; a request's
        weights over its places sum to 1 (requests split among places).
    key : str
        Column of ``long`` naming the place.
    as_of : pandas.Timestamp
        End of the data (for request ages).

    Returns
    -------
    pandas.DataFrame
        Indexed by place: ``queue_active_mw`` [MW], ``queue_active_requests`` (weighted count),
        ``queue_active_mw_<stage>`` [MW] for each study stage, ``queue_withdrawn_share``
        (withdrawn share of the requests of known status, weighted count, 0–1) and
        ``queue_median_active_age_months`` (median months since request of the active
        requests naming the place). Places without requests are absent.
    """
    q = queue.loc[long["row"], ["status", "stage", "capacity_mw", "request_date"]]
    frame = pd.DataFrame(
        {
            "place": long[key].to_numpy(),
            "weight": long["weight"].to_numpy(),
            "status": q["status"].to_numpy(),
            "stage": q["stage"].to_numpy(),
            "mw": q["capacity_mw"].to_numpy(dtype="float64") * long["weight"].to_numpy(),
            "age_months": months_between(
                q["request_date"], pd.Series(as_of, index=q.index)
            ).to_numpy(dtype="float64"),
        }
    ).dropna(subset=["place"])
    active = frame[frame["status"] == "active"]
    known = frame[frame["status"].isin(KNOWN_STATUSES)]
    known_weight = known.groupby("place")["weight"].sum()
    withdrawn = known[known["status"] == "withdrawn"].groupby("place")["weight"].sum()
    out = pd.DataFrame(
        {
            "queue_active_mw": active.groupby("place")["mw"].sum(),
            "queue_active_requests": active.groupby("place")["weight"].sum(),
            "queue_withdrawn_share": withdrawn.reindex(known_weight.index, fill_value=0.0)
            / known_weight,
            "queue_median_active_age_months": active.groupby("place")["age_months"].median(),
        },
        index=frame["place"].drop_duplicates().sort_values(),
    )
    by_stage = active.pivot_table(
        index="place", columns="stage", values="mw", aggfunc="sum", fill_value=0.0
    )
    for stage in by_stage.columns:
        out[f"queue_active_mw_{stage}"] = by_stage[stage]
    active_cols = [c for c in out.columns if c.startswith("queue_active_")]
    out[active_cols] = out[active_cols].fillna(0.0)
    out.index.name = key
    return out


def region_weights(queue: pd.DataFrame, long: pd.DataFrame, *, key: str) -> pd.DataFrame:
    """Share of each place's requests (all statuses, weighted count) in each ISO region."""
    frame = pd.DataFrame(
        {
            "place": long[key].to_numpy(),
            "region": queue.loc[long["row"], "region"].to_numpy(dtype=object),
            "weight": long["weight"].to_numpy(),
        }
    ).dropna()
    table = frame.pivot_table(
        index="place", columns="region", values="weight", aggfunc="sum", fill_value=0.0
    )
    return table.div(table.sum(axis=1), axis=0)


# ------------------------------------------------------------------------------------------
# durations
# ------------------------------------------------------------------------------------------


def completed_durations(
    queue: pd.DataFrame, *, since_year: int, as_of: pd.Timestamp
) -> pd.DataFrame:
    """Request-to-operation months of requests that reached operation in ``since_year``..as_of.

    Operational requests without an operation date, with one after ``as_of`` or before the
    request are left out (:func:`data_quality` counts them).

    Returns
    -------
    pandas.DataFrame
        Indexed like ``queue``: ``region``, ``capacity_mw`` [MW], ``months`` [months].
    """
    months = months_between(queue["request_date"], queue["operation_date"])
    keep = (
        (queue["status"] == "operational")
        & (months >= 0)
        & (queue["operation_date"].dt.year >= since_year)
        & (queue["operation_date"] <= as_of)
    )
    out = queue.loc[keep, ["region", "capacity_mw"]].copy()
    out["months"] = months[keep]
    return out


def county_keys(queue: pd.DataFrame) -> pd.DataFrame:
    """Every request's counties as national keys (``ST|name`` or FIPS), with equal weights."""
    cache: dict[tuple, tuple[str, ...]] = {}

    def keys(state: object, names: tuple[str, ...], fips: tuple[str, ...]) -> tuple[str, ...]:
        if fips:
            return fips
        if (state, names) not in cache:
            prefix = state if isinstance(state, str) else ""
            cache[state, names] = tuple(f"{prefix}|{normalize_county_name(n)}" for n in names)
        return cache[state, names]

    items = pd.Series(
        [
            keys(st, names, fips)
            for st, names, fips in zip(
                queue["state"], queue["counties"], queue["county_fips"], strict=True
            )
        ],
        index=queue.index,
        dtype=object,
    )
    weight = 1.0 / items.map(len).clip(lower=1)
    exploded = items.explode().dropna()
    return pd.DataFrame(
        {
            "row": exploded.index.to_numpy(),
            "key": exploded.to_numpy(dtype=object),
            "weight": weight.reindex(exploded.index).to_numpy(),
        }
    )


def backlog_at_request_mw(queue: pd.DataFrame, rows: pd.Index) -> pd.Series:
    """Active MW already queued in a request's county when the request was filed. [MW]

    For each request in ``rows``: the capacity of other requests naming the same county
    (split among their counties) filed before it and still open then (operational or
    withdrawn later, or still active or suspended); the largest over the request's counties.
    Requests whose end is unknown (operational or withdrawn without a date) are not counted.
    """
    keys = county_keys(queue)
    end = pd.Series(pd.NaT, index=queue.index, dtype="datetime64[ns]")
    end = end.mask(queue["status"] == "operational", queue["operation_date"])
    end = end.mask(queue["status"] == "withdrawn", queue["withdrawn_date"])
    end = end.mask(queue["status"].isin(["active", "suspended"]), pd.Timestamp.max)
    others = keys.assign(
        start=queue["request_date"].reindex(keys["row"]).to_numpy(),
        end=end.reindex(keys["row"]).to_numpy(),
        mw=queue["capacity_mw"].reindex(keys["row"]).to_numpy() * keys["weight"].to_numpy(),
    ).dropna(subset=["start", "end"])
    mine = keys[keys["row"].isin(rows)]
    mine = mine.assign(at=queue["request_date"].reindex(mine["row"]).to_numpy())
    pairs = mine[["row", "key", "at"]].merge(others, on="key", suffixes=("", "_other"))
    open_then = (
        (pairs["row_other"] != pairs["row"])
        & (pairs["start"] < pairs["at"])
        & (pairs["end"] > pairs["at"])
    )
    per_key = pairs[open_then].groupby(["row", "key"])["mw"].sum()
    return per_key.groupby(level="row").max().reindex(rows, fill_value=0.0).rename("backlog_mw")


@dataclass(frozen=True, kw_only=True)
class DurationSample:
    """Sorted request-to-operation months of one stratum, and how it was chosen."""

    months: np.ndarray
    basis: str

    @property
    def n(self) -> int:
        """Sample size."""
        return len(self.months)


def duration_sample(
    completed: pd.DataFrame,
    *,
    region: str,
    congested: bool,
    large_request_mw: float,
    congested_county_mw: float,
    min_completed: int,
) -> DurationSample:
    """The most specific stratum of completed requests with at least ``min_completed`` members.

    Strata, most specific first: (region, size ≥ ``large_request_mw``, same congestion class
    at request), (region, size), (region), then the same three over all regions. The
    congestion class of a completed request is its county backlog at request
    (``backlog_mw``) at or above ``congested_county_mw``. If no stratum is large enough the
    all-regions sample is used whatever its size, and the basis says so.

    Parameters
    ----------
    completed : pandas.DataFrame
        ``region``, ``capacity_mw`` [MW], ``months`` [months], ``backlog_mw`` [MW].
    region : str
        ISO region of the place.
    congested : bool
        Whether the place's county holds at least ``congested_county_mw`` of active requests.
    """
    large = completed["capacity_mw"] >= large_request_mw
    same_class = (completed["backlog_mw"] >= congested_county_mw) == congested
    in_region = completed["region"] == region
    everywhere = pd.Series(True, index=completed.index)
    cls = f"county backlog {'≥' if congested else '<'} {congested_county_mw:g} MW at request"
    size = f"≥ {large_request_mw:g} MW"
    strata = [
        (in_region & large & same_class, f"{region}, {size}, {cls}"),
        (in_region & large, f"{region}, {size}"),
        (in_region, f"{region}, all sizes"),
        (large & same_class, f"{ALL_REGIONS}, {size}, {cls}"),
        (large, f"{ALL_REGIONS}, {size}"),
        (everywhere, f"{ALL_REGIONS}, all sizes"),
    ]
    for mask, basis in strata:
        if mask.sum() >= min_completed:
            return DurationSample(
                months=np.sort(completed.loc[mask, "months"].to_numpy(dtype="float64")),
                basis=f"{basis} (n={int(mask.sum())})",
            )
    return DurationSample(
        months=np.sort(completed["months"].to_numpy(dtype="float64")),
        basis=f"{ALL_REGIONS}, all sizes (n={len(completed)}, below the minimum {min_completed})",
    )


# ------------------------------------------------------------------------------------------
# time-to-power model
# ------------------------------------------------------------------------------------------


def ecdf(sample: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Empirical CDF of a sorted sample at ``t``: share of the sample ≤ t (NaN if empty).

    >>> ecdf(np.array([12.0, 24.0, 36.0, 48.0]), np.array([11.0, 24.0, 50.0])).tolist()
    [0.0, 0.5, 1.0]
    """
    if len(sample) == 0:
        return np.full(np.shape(t), np.nan)
    return np.searchsorted(sample, t, side="right") / len(sample)


def uniform_cdf(t: np.ndarray, low: float, high: float) -> np.ndarray:
    """CDF of a uniform duration on [low, high] (a fixed duration when low == high).

    >>> uniform_cdf(np.array([0.0, 30.0, 36.0, 48.0]), 24.0, 36.0).tolist()
    [0.0, 0.5, 1.0, 1.0]
    """
    t = np.asarray(t, dtype="float64")
    if high == low:
        return (t >= low).astype("float64")
    return np.clip((t - low) / (high - low), 0.0, 1.0)


def energize_cdf(
    t: np.ndarray,
    *,
    queue: Sequence[tuple[float, np.ndarray]],
    build_months: tuple[float, float],
    transformer_months: tuple[float, float],
) -> np.ndarray:
    """P(T ≤ t) for T = max(Q, build, transformer lead), all independent.

    Parameters
    ----------
    t : numpy.ndarray
        Months after the request. [months]
    queue : sequence of (float, numpy.ndarray)
        Mixture of queue-time samples: (weight, sorted months); weights sum to 1.
    build_months, transformer_months : tuple of float
        (low, high) of the uniform build and transformer lead times. [months]
    """
    f_queue = sum(w * ecdf(sample, t) for w, sample in queue)
    return f_queue * uniform_cdf(t, *build_months) * uniform_cdf(t, *transformer_months)


def quantile_months(t: np.ndarray, cdf: np.ndarray, p: float) -> float:
    """Smallest ``t`` with ``cdf ≥ p`` (NaN if never reached). [months]

    >>> t = np.arange(0, 601) / 10
    >>> quantile_months(t, np.clip(t / 60.0, 0, 1), 0.5)
    30.0
    """
    idx = int(np.searchsorted(cdf, p, side="left"))
    return float(t[idx]) if idx < len(t) and np.isfinite(cdf[idx]) else float("nan")


def months_available(params: TimeToPower, target_year: int) -> float:
    """Months from 1 January of the request year to 31 December of the target year."""
    return 12.0 * (target_year - params.request_year + 1)


def has_study_stages(requests: pd.DataFrame) -> bool:
    """Whether the queue file gives a study stage for any active request (else every
    stage-based figure, such as MW with an executed agreement, is UNKNOWN)."""
    return bool((requests.loc[requests["status"] == "active", "stage"] != "unknown").any())


def upgrade_months(params: TimeToPower, need: int) -> tuple[float, float]:
    """(low, high) of the uniform time to build the upgrade a need class calls for. [months]

    >>> from siting.spec import load_spec
    >>> [upgrade_months(load_spec().time_to_power, n) for n in NEEDS]
    [(24.0, 36.0), (48.0, 96.0), (72.0, 120.0)]
    """
    ranges = {
        NEEDS[0]: params.substation_months,
        NEEDS[1]: params.new_line_months,
        NEEDS[2]: params.network_upgrade_months,
    }
    if need not in ranges:
        raise DataError(
            f"need class must be one of {list(NEEDS)} ({', '.join(NEED_TEXT.values())}), "
            f"got {need!r}"
        )
    return tuple(float(v) for v in ranges[need])


def time_to_power(
    queue: Sequence[tuple[float, np.ndarray]],
    *,
    need: int,
    params: TimeToPower,
    target_year: int,
) -> dict[str, float]:
    """P50 and P90 months to energize and the probability of meeting the target year.

    ``T = max(Q, U)``: ``Q`` from the queue-time mixture; ``U`` the build the need class calls
    for (uniform over ``params.substation_months``, ``params.new_line_months`` or
    ``params.network_upgrade_months``, :func:`upgrade_months`) and the transformer lead (uniform
    over ``params.transformer_lead_weeks``), concurrent with the queue.

    Parameters
    ----------
    queue : sequence of (float, numpy.ndarray)
        Mixture of queue-time samples: (weight, sorted months); weights sum to 1. [months]
    need : int
        Need class (:data:`NEEDS`): 0 a substation only, 1 a new line, 2 a new line plus
        network upgrades.
    params : TimeToPower
        The spec's ``[time_to_power]``.
    target_year : int
        The spec's target energization year.

    Returns
    -------
    dict
        ``p50_months``, ``p90_months`` [months] and ``p_meets_target_year`` (0–1): P(T ≤
        months from 1 January of ``params.request_year`` to 31 December of ``target_year``).

    References
    ----------
    docs/methods.md §4.4 time-to-power model (T_grid = study + agreement + upgrade; new line 4–8
    yr with new ROW, substation only 2–3 yr; new line plus network upgrades 6–10 yr, an
    assumption), §1.4 transformer lead 90–130+ weeks.
    """
    build = upgrade_months(params, need)
    transformer = tuple(w * MONTHS_PER_WEEK for w in params.transformer_lead_weeks)
    longest = max([build[1], transformer[1], *[s[-1] for _, s in queue if len(s)]])
    t = np.arange(0, int(np.ceil(longest / GRID_STEP_MONTHS)) + 2) * GRID_STEP_MONTHS
    kwargs = {"queue": queue, "build_months": build, "transformer_months": transformer}
    cdf = energize_cdf(t, **kwargs)
    deadline = np.array([months_available(params, target_year)])
    return {
        "p50_months": quantile_months(t, cdf, 0.5),
        "p90_months": quantile_months(t, cdf, 0.9),
        "p_meets_target_year": float(energize_cdf(deadline, **kwargs)[0]),
    }


# ------------------------------------------------------------------------------------------
# one state's queue, put together
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class RegionQueue:
    """The queue statistics of a region's counties (one or several states) and their time to
    power.

    ``requests`` are the queue rows of the region's states; ``county_join`` says, per state,
    how its requests joined its counties; ``county_requests`` holds one row per (request,
    county) mention; ``congestion`` and ``region_weights`` are indexed by county FIPS (every
    county of the region); ``county_time_to_power`` by (``fips``, ``need``: the need class of
    :data:`NEEDS`, 0/1/2) with ``p50_months``, ``p90_months``, ``p_meets_target_year`` and
    ``queue_basis``.
    """

    states: tuple[str, ...]
    as_of: pd.Timestamp
    requests: pd.DataFrame
    quality: pd.Series
    county_join: Mapping[str, CountyJoin]
    county_requests: pd.DataFrame
    congestion: pd.DataFrame
    region_weights: pd.DataFrame
    completed: pd.DataFrame
    county_time_to_power: pd.DataFrame


def region_queue(
    queue: pd.DataFrame,
    counties: pd.DataFrame,
    *,
    params: TimeToPower,
    target_year: int,
) -> RegionQueue:
    """Congestion per county and time to power per county, for the counties of any states.

    Parameters
    ----------
    queue : pandas.DataFrame
        The national queue (durations are pooled across states) in the queue-table schema.
    counties : pandas.DataFrame
        ``fips``, ``name`` and ``state`` (USPS code) of the region's counties.
    params : TimeToPower
        Model parameters (the spec's ``[time_to_power]``).
    target_year : int
        The spec's target energization year.
    """
    as_of = queue["request_date"].max()
    states = tuple(sorted(set(counties["state"])))
    joined = {
        state: join_counties(queue, counties[counties["state"] == state], state=state)
        for state in states
    }
    long = pd.concat([j[0] for j in joined.values()], ignore_index=True)
    fips = pd.Index(counties["fips"], name="fips")
    per_county = congestion(queue, long, key="fips", as_of=as_of).reindex(fips)
    active_cols = [c for c in per_county.columns if c.startswith("queue_active_")]
    per_county[active_cols] = per_county[active_cols].fillna(0.0)
    weights = _county_region_weights(queue, long, counties)
    completed = completed_durations(queue, since_year=params.completed_since_year, as_of=as_of)
    completed["backlog_mw"] = backlog_at_request_mw(queue, completed.index)
    table = _county_time_to_power(
        per_county["queue_active_mw"], weights, completed, params=params, target_year=target_year
    )
    return RegionQueue(
        states=states,
        as_of=as_of,
        requests=queue[queue["state"].isin(states)],
        quality=data_quality(queue, as_of=as_of),
        county_join={state: j[1] for state, j in joined.items()},
        county_requests=long,
        congestion=per_county,
        region_weights=weights,
        completed=completed,
        county_time_to_power=table,
    )


def _county_region_weights(
    queue: pd.DataFrame, long: pd.DataFrame, counties: pd.DataFrame
) -> pd.DataFrame:
    """Each county's share of requests by ISO region; a county without requests takes the mix
    of its own state's requests."""
    weights = region_weights(queue, long, key="fips")
    state_of = counties.set_index("fips")["state"]
    out = []
    for state, fips in counties.groupby("state")["fips"]:
        mine = long[long["fips"].map(state_of) == state]
        known = weights.reindex(sorted(set(mine["fips"].dropna())))
        mix = known.mul(mine.groupby("fips")["weight"].sum(), axis=0).sum()
        total = float(mix.sum())
        share = mix / total if total > 0 else mix.astype("float64") * 0.0  # no request: no mix
        out.append(weights.reindex(pd.Index(fips, name=weights.index.name)).fillna(share))
    return pd.concat(out).reindex(counties["fips"]).fillna(0.0)


def _unknown_time_to_power(need: int) -> dict:
    return {
        "need": need,
        "p50_months": np.nan,
        "p90_months": np.nan,
        "p_meets_target_year": np.nan,
        "queue_basis": "UNKNOWN: no request in the queue names a county of this state",
    }


def _county_time_to_power(
    active_mw: pd.Series,
    weights: pd.DataFrame,
    completed: pd.DataFrame,
    *,
    params: TimeToPower,
    target_year: int,
) -> pd.DataFrame:
    """Time to power of each county for each need class (:data:`NEEDS`).

    Counties sharing a region mix and a congestion class share one result.
    """
    samples: dict[tuple[str, bool], DurationSample] = {}

    def sample(region: str, congested: bool) -> DurationSample:
        if (region, congested) not in samples:
            samples[region, congested] = duration_sample(
                completed,
                region=region,
                congested=congested,
                large_request_mw=params.large_request_mw,
                congested_county_mw=params.congested_county_mw,
                min_completed=params.min_completed,
            )
        return samples[region, congested]

    results: dict[tuple, list[dict]] = {}
    records = []
    for fips, row in weights.iterrows():
        congested = bool(active_mw[fips] >= params.congested_county_mw)
        mix = tuple((str(r), float(w)) for r, w in row[row > 0].items())
        if not mix:  # no request in the county's state: no region to take durations from
            records += [{"fips": fips, **_unknown_time_to_power(need)} for need in NEEDS]
            continue
        if (mix, congested) not in results:
            chosen = [(w, sample(r, congested)) for r, w in mix]
            basis = "; ".join(f"{w:.0%} {s.basis}" for w, s in chosen)
            queue = [(w, s.months) for w, s in chosen]
            results[mix, congested] = [
                {
                    "need": need,
                    **time_to_power(queue, need=need, params=params, target_year=target_year),
                    "queue_basis": basis,
                }
                for need in NEEDS
            ]
        records += [{"fips": fips, **r} for r in results[mix, congested]]
    return pd.DataFrame(records).set_index(["fips", "need"])


# ------------------------------------------------------------------------------------------
# state summary (siting queue)
# ------------------------------------------------------------------------------------------


def duration_table(months: pd.Series, groups: Mapping[str, pd.Series]) -> pd.DataFrame:
    """n, P10, P50, P90 and mean of ``months`` within each boolean group. [months]

    Percentiles interpolate linearly between order statistics (numpy's default).
    """
    rows = {}
    for name, mask in groups.items():
        values = months[mask].to_numpy(dtype="float64")
        q = np.percentile(values, [10, 50, 90]) if len(values) else [np.nan] * 3
        rows[name] = {
            "n": len(values),
            "p10_months": q[0],
            "p50_months": q[1],
            "p90_months": q[2],
            "mean_months": values.mean() if len(values) else np.nan,
        }
    return pd.DataFrame.from_dict(rows, orient="index")


def outcome_shares(queue: pd.DataFrame, *, cohort_last_year: int) -> pd.DataFrame:
    """Outcome of requests filed up to ``cohort_last_year``, by count and by capacity (0–1).

    Rows operational, withdrawn, still active or suspended, unknown status; a request with a
    missing capacity counts in the count column only. LBNL reports completion for the
    2000–2018 cohort (docs/methods.md §4.4: 14 % of capacity built).
    """
    cohort = queue[queue["request_date"].dt.year <= cohort_last_year]
    outcome = cohort["status"].replace({"active": "still_open", "suspended": "still_open"})
    counts = outcome.value_counts()
    mw = cohort["capacity_mw"].groupby(outcome).sum()
    index = pd.Index(["operational", "withdrawn", "still_open", "unknown"], name="outcome")
    return pd.DataFrame(
        {
            "share_of_requests": counts.reindex(index, fill_value=0) / max(len(cohort), 1),
            "share_of_mw": mw.reindex(index, fill_value=0.0) / max(float(mw.sum()), 1e-12),
            "requests": counts.reindex(index, fill_value=0),
        }
    )


def state_summary(
    queue: pd.DataFrame,
    *,
    state: str,
    since_year: int,
    cohort_last_year: int = COHORT_LAST_YEAR,
    counties: pd.DataFrame | None = None,
) -> dict:
    """The queue summary of one state, as printed by ``siting queue``.

    Parameters
    ----------
    queue : pandas.DataFrame
        The queue (all states: durations are shown for the state's regions as a whole).
    state : str
        USPS code.
    since_year : int
        Durations of requests that reached operation in this year or later.
    cohort_last_year : int
        Outcome shares of requests filed up to this year.
    counties : pandas.DataFrame, optional
        ``fips`` and ``name`` of the state's counties: adds the county join and congestion.

    Returns
    -------
    dict
        ``as_of``; ``status`` (requests and MW by status); ``active_gw`` (active GW by
        region × type) and ``active_gw_by_stage`` (region × study stage); ``outcomes``
        (:func:`outcome_shares`); ``durations`` (:func:`duration_table` for each of the
        state's regions over all states, the state itself and all regions); ``quality``
        (:func:`data_quality` of the state's rows); with ``counties`` also ``county_join``
        (:class:`CountyJoin`) and ``congestion`` (:func:`congestion` by FIPS).
    """
    as_of = queue["request_date"].max()
    rows = queue[queue["state"] == state]
    if rows.empty:
        states = sorted(queue["state"].dropna().unique())
        raise DataError(f"no requests with state {state!r}; states in the queue: {states}")
    active = rows[rows["status"] == "active"]
    status = pd.DataFrame(
        {
            "requests": rows["status"].value_counts(),
            "mw": rows.groupby("status")["capacity_mw"].sum(),
        }
    ).reindex([*KNOWN_STATUSES, "unknown"], fill_value=0)
    completed = completed_durations(queue, since_year=since_year, as_of=as_of)
    groups = {r: completed["region"] == r for r in sorted(rows["region"].dropna().unique())}
    groups |= {
        f"{state} only": pd.Series(completed.index.isin(rows.index), index=completed.index),
        ALL_REGIONS: pd.Series(True, index=completed.index),
    }
    summary = {
        "as_of": as_of,
        "cohort_last_year": cohort_last_year,
        "status": status,
        "active_gw": _gw_table(active, "resource_type"),
        "active_gw_by_stage": _gw_table(active, "stage"),
        "outcomes": outcome_shares(rows, cohort_last_year=cohort_last_year),
        "durations": duration_table(completed["months"], groups),
        "quality": data_quality(rows, as_of=as_of),
    }
    if counties is not None:
        long, summary["county_join"] = join_counties(queue, counties, state=state)
        names = counties.set_index("fips")["name"]
        table = congestion(queue, long, key="fips", as_of=as_of)
        summary["congestion"] = table.assign(county=names.reindex(table.index))
    return summary


def _gw_table(active: pd.DataFrame, column: str) -> pd.DataFrame:
    """Active GW by region (rows) and ``column`` (columns), with totals. [GW]"""
    table = active.pivot_table(
        index="region", columns=column, values="capacity_mw", aggfunc="sum", fill_value=0.0
    )
    table = table / 1000.0
    table["total"] = table.sum(axis=1)
    table.loc["total"] = table.sum(axis=0)
    return table


def summary_lines(summary: Mapping, *, state: str, source: str) -> list[str]:
    """The text of ``siting queue``: the tables of :func:`state_summary` with units."""
    outcomes = summary["outcomes"]
    lines = [
        f"Interconnection queue summary for {state}: {source}, requests to "
        f"{summary['as_of']:%Y-%m-%d}",
        PROXY_NOTE,
        "",
        "Requests and capacity by status [count, MW]:",
        summary["status"].to_string(float_format=lambda v: f"{v:,.0f}"),
        "",
        "Active capacity by ISO region and type [GW]:",
        summary["active_gw"].to_string(float_format=lambda v: f"{v:.2f}"),
        "",
        "Active capacity by ISO region and study stage [GW]:",
        summary["active_gw_by_stage"].to_string(float_format=lambda v: f"{v:.2f}"),
        "",
        f"Outcome of the {int(outcomes['requests'].sum())} requests filed up to "
        f"{summary['cohort_last_year']} [share of requests, share of MW]:",
        outcomes.to_string(float_format=lambda v: f"{v:.3f}"),
        "",
        "Request-to-operation duration of completed requests [months] (regions over all states):",
        summary["durations"].to_string(float_format=lambda v: f"{v:.1f}"),
        "",
        "Data problems in the state's rows (counted, not dropped):",
        summary["quality"].to_string(),
    ]
    if "county_join" in summary:
        join = summary["county_join"]
        top = summary["congestion"].sort_values("queue_active_mw", ascending=False).head(10)
        lines += [
            "",
            f"County join: {join.mentions} county mentions, {join.exact} exact, {join.fuzzy} "
            f"close-name, {join.by_fips} by FIPS, {join.failed} failed "
            f"({join.share_failed_mentions:.1%} of mentions, {join.share_failed_active_mw:.1%} "
            f"of active MW; names: {', '.join(join.failed_names) or 'none'})",
            "Most congested counties [MW, share, months]:",
            top[
                [
                    "county",
                    "queue_active_mw",
                    "queue_withdrawn_share",
                    "queue_median_active_age_months",
                ]
            ].to_string(float_format=lambda v: f"{v:,.2f}"),
        ]
    if "poi_match" in summary:
        match, points = summary["poi_match"], summary["connection_points"]
        top = points.sort_values("queue_active_mw", ascending=False).head(10)
        lines += [
            "",
            f"POI names: {match.share_named:.1%} of {match.requests} requests matched a named "
            f"substation or plant, {match.share_connected:.1%} a connection point "
            f"({match.share_connected_active_mw:.1%} of active MW; {match.ambiguous_names} "
            "ambiguous names skipped)",
            "Connection points with the most active capacity [kV, MW, share, months]:",
            top[
                [
                    "places",
                    "max_kv",
                    "queue_active_mw",
                    "queue_withdrawn_share",
                    "queue_median_active_age_months",
                ]
            ].to_string(float_format=lambda v: f"{v:,.1f}"),
        ]
    return lines
