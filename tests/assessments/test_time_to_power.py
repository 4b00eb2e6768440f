"""The per-site time-to-power assessment: the site's need class, the lookup of its county's time
to power for that need, the assessment on the two-state fixture, and end to end."""

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import xarray as xr
from shapely.geometry import box

from siting.assessments.base import SiteContext
from siting.assessments.time_to_power import (
    POI_INDICATOR,
    PROXY_COLUMNS,
    UNITS,
    assess,
    site_need,
    site_time_to_power,
)
from siting.errors import DataError
from siting.models import large_load_rules, queue_stats
from siting.models.adequacy import NEED_TEXT

KM = 1000.0
TTP_COLUMNS = ["p50_months", "p90_months", "p_meets_target_year"]
SITE_TTP_COLUMNS = [
    "time_to_power_p50_months_site",
    "time_to_power_p90_months",
    "p_meets_target_year",
]


# ------------------------------------------------------------------------------------------
# the site's need class
# ------------------------------------------------------------------------------------------


def test_need_classes_pass_through_and_nan_is_unknown():
    sites = pd.DataFrame({"connection_need_class": [0.0, 1.0, 2.0, np.nan]}, index=[7, 3, 5, 9])
    need, basis = site_need(sites)
    assert need.index.equals(sites.index) and basis.index.equals(sites.index)
    assert need.iloc[:3].tolist() == [0.0, 1.0, 2.0] and np.isnan(need.iloc[3])
    assert basis.tolist() == [
        "connection_need_class 0 (substation only), grid adequacy",
        "connection_need_class 1 (new line), grid adequacy",
        "connection_need_class 2 (new line plus network upgrades), grid adequacy",
        "UNKNOWN: connection_need_class unknown",
    ]


def test_integer_need_column_with_missing_values_reads_as_classes():
    sites = pd.DataFrame({"connection_need_class": pd.array([2, None, 0], dtype="Int64")})
    need, basis = site_need(sites)
    assert need.dtype == "float64"
    assert need.iloc[[0, 2]].tolist() == [2.0, 0.0] and np.isnan(need.iloc[1])
    assert basis.iloc[1].startswith("UNKNOWN")


@pytest.mark.parametrize("value", [0.5, 1.5, 3.0, -1.0, np.inf])
def test_a_need_that_is_not_a_class_is_an_error(value):
    sites = pd.DataFrame({"connection_need_class": [1.0, value]})
    with pytest.raises(DataError, match=r"need classes \[0, 1, 2\] or NaN, got \["):
        site_need(sites)


def test_a_non_numeric_need_is_an_error():
    sites = pd.DataFrame({"connection_need_class": ["1", "new line"]})
    with pytest.raises(DataError, match="'connection_need_class' is not numeric"):
        site_need(sites)


def test_basis_says_when_the_chosen_connection_needs_something_else():
    sites = pd.DataFrame(
        {
            "connection_need_class": [1.0, 0.0, 2.0, np.nan],
            "connection_need": [
                "new line plus network upgrades",  # differs from class 1
                "substation only",  # agrees
                None,  # no chosen connection: nothing to compare
                "new line",  # need unknown: nothing to compare
            ],
        }
    )
    need, basis = site_need(sites)
    assert need.iloc[:3].tolist() == [1.0, 0.0, 2.0]
    assert basis.iloc[0] == (
        "connection_need_class 1 (new line), grid adequacy; the site's own chosen connection "
        "needs: new line plus network upgrades"
    )
    assert basis.iloc[1] == "connection_need_class 0 (substation only), grid adequacy"
    assert basis.iloc[2] == (
        "connection_need_class 2 (new line plus network upgrades), grid adequacy"
    )
    assert basis.iloc[3] == "UNKNOWN: connection_need_class unknown"


# ------------------------------------------------------------------------------------------
# the lookup in the county table
# ------------------------------------------------------------------------------------------


@pytest.fixture
def county_table() -> pd.DataFrame:
    """Two counties whose figures differ by county (A tens, B hundreds) and by need (+need)."""
    rows = [
        {
            "fips": fips,
            "need": need,
            "p50_months": base + need,
            "p90_months": base + need + 5.0,
            "p_meets_target_year": 0.5 - 0.1 * need - (0.2 if fips == "B" else 0.0),
            "queue_basis": f"basis of {fips}",
        }
        for fips, base in (("A", 10.0), ("B", 100.0))
        for need in queue_stats.NEEDS
    ]
    return pd.DataFrame(rows).set_index(["fips", "need"])


def test_each_site_takes_its_own_countys_row_for_its_own_need(county_table):
    index = pd.Index([10, 11, 12, 13])
    fips = pd.Series(["B", "A", "A", "B"], index=index)
    need = pd.Series([0.0, 2.0, 1.0, 2.0], index=index)
    out = site_time_to_power(county_table, fips, need)
    assert out.index.equals(index)
    assert out["p50_months"].tolist() == [100.0, 12.0, 11.0, 102.0]
    assert out["p90_months"].tolist() == [105.0, 17.0, 16.0, 107.0]
    assert out["p_meets_target_year"].tolist() == pytest.approx([0.3, 0.3, 0.4, 0.1])
    assert out["queue_basis"].tolist() == ["basis of B", "basis of A", "basis of A", "basis of B"]


def test_unknown_need_gives_nan_but_keeps_the_countys_queue_basis(county_table):
    fips = pd.Series(["A", "B"])
    need = pd.Series([np.nan, 1.0])
    out = site_time_to_power(county_table, fips, need)
    assert out.loc[0, TTP_COLUMNS].isna().all()
    assert out.loc[1, TTP_COLUMNS].tolist() == pytest.approx([101.0, 106.0, 0.2])
    assert out["queue_basis"].tolist() == ["basis of A", "basis of B"]


def test_a_county_missing_from_the_table_is_unknown(county_table):
    out = site_time_to_power(
        county_table, pd.Series(["UNKNOWN", None, "A"]), pd.Series([0.0, 0.0, 0.0])
    )
    assert out.loc[[0, 1], TTP_COLUMNS].isna().all().all()
    assert out.loc[2, "p50_months"] == 10.0
    assert (
        out["queue_basis"].tolist()[:2] == ["UNKNOWN: county not in the region's queue table"] * 2
    )


def test_a_larger_need_never_comes_sooner_in_the_fixture_counties(two_state_inputs):
    table = two_state_inputs.region_queue.county_time_to_power
    for fips in table.index.get_level_values("fips").unique():
        rows = table.loc[fips].loc[list(queue_stats.NEEDS)]
        assert rows["p50_months"].is_monotonic_increasing, fips
        assert rows["p90_months"].is_monotonic_increasing, fips
        assert rows["p_meets_target_year"].is_monotonic_decreasing, fips
        assert rows["p50_months"].iloc[2] > rows["p50_months"].iloc[0], fips


# ------------------------------------------------------------------------------------------
# the assessment on the two-state fixture
# ------------------------------------------------------------------------------------------
#
# The fixture's 10 completed requests (operation by 2022-01-01, the end of its data) took
# 41 months (4 of them), 53 months (5) and 77 months (1), pooled over all regions in every
# county. The target year 2030 with requests filed 1 January 2027 leaves 48 months. So:
# - need 0 (substation 24–36 months, transformer 90–130 weeks ≈ 21–30 months, both done by
#   48 months): P(T ≤ 48) = 4/10, P50 = P90 = 53 months (the queue);
# - need 1 (new line 48–96 months): P(T ≤ 48) = 0;
# - need 2 (72–120 months, longer than every queue time): P50 = 96, P90 = 115.2, P = 0.


@pytest.fixture(scope="module")
def two_state_sites() -> gpd.GeoDataFrame:
    """Four 2 × 2 km sites, one in each fixture county, each with a different need."""
    return gpd.GeoDataFrame(
        {
            "county_fips": ["39001", "18001", "39003", "18003"],
            "connection_need_class": [0.0, 2.0, 1.0, np.nan],
            "connection_need": [
                "substation only",
                "new line plus network upgrades",
                "new line plus network upgrades",
                "UNKNOWN",
            ],
            "iso_region": ["PJM", "MISO", "PJM", "MISO;PJM"],
        },
        geometry=[
            box(764 * KM, 1831 * KM, 766 * KM, 1833 * KM),
            box(702 * KM, 1802 * KM, 704 * KM, 1804 * KM),
            box(800 * KM, 1820 * KM, 802 * KM, 1822 * KM),
            box(740 * KM, 1820 * KM, 742 * KM, 1822 * KM),
        ],
        crs="EPSG:5070",
    )


def _context(inputs, indicators=None) -> SiteContext:
    return SiteContext(
        inputs=inputs,
        indicators=indicators or {},
        labels=np.zeros(inputs.grid.shape, dtype=np.int64),
    )


@pytest.fixture(scope="module")
def two_state_assessment(two_state_inputs, two_state_sites):
    return assess(two_state_sites, _context(two_state_inputs))


def test_assessment_provides_its_units(two_state_assessment, two_state_sites):
    result = two_state_assessment
    assert list(result.columns.columns) == list(UNITS)
    assert dict(result.units) == UNITS
    assert result.columns.index.equals(two_state_sites.index)
    assert set(result.proxy_columns) <= set(UNITS)
    assert not any(c.endswith("_basis") for c in result.proxy_columns)
    assert {"time_to_power_p90_months", "p_meets_target_year"} <= set(result.proxy_columns)


def test_each_site_is_assessed_on_its_own_need(two_state_assessment):
    columns = two_state_assessment.columns
    p50 = columns["time_to_power_p50_months_site"]
    p90 = columns["time_to_power_p90_months"]
    p_meets = columns["p_meets_target_year"]
    # site 0, substation only: the queue alone decides
    assert p_meets.iloc[0] == pytest.approx(0.4)
    assert p50.iloc[0] == pytest.approx(53.0, abs=0.1)
    assert p90.iloc[0] == pytest.approx(53.0, abs=0.1)
    # site 1, new line plus network upgrades: the upgrade alone decides
    assert p50.iloc[1] == pytest.approx(96.0, abs=0.1)
    assert p90.iloc[1] == pytest.approx(115.2, abs=0.1)
    assert p_meets.iloc[1] == 0.0
    # site 2, new line: no new line is built within 48 months
    assert p_meets.iloc[2] == 0.0
    assert p50.iloc[0] < p50.iloc[2] < p50.iloc[1]
    # site 3, need unknown
    assert columns.loc[3, SITE_TTP_COLUMNS].isna().all()


def test_site_figures_are_the_county_table_rows_of_the_site_need(
    two_state_assessment, two_state_sites, two_state_inputs
):
    columns = two_state_assessment.columns
    table = two_state_inputs.region_queue.county_time_to_power
    for i in range(3):
        fips = two_state_sites["county_fips"].iloc[i]
        need = int(two_state_sites["connection_need_class"].iloc[i])
        site_row = columns.iloc[i]
        assert site_row[SITE_TTP_COLUMNS].tolist() == table.loc[(fips, need), TTP_COLUMNS].tolist()
        assert (
            columns["time_to_power_queue_basis"].iloc[i] == table.loc[(fips, need), "queue_basis"]
        )


def test_need_text_and_basis_per_site(two_state_assessment):
    columns = two_state_assessment.columns
    assert columns["time_to_power_need"].tolist() == [
        "substation only",
        "new line plus network upgrades",
        "new line",
        "UNKNOWN",
    ]
    basis = columns["time_to_power_need_basis"]
    assert "chosen connection" not in basis.iloc[0] + basis.iloc[1]
    assert basis.iloc[2].endswith(
        "the site's own chosen connection needs: new line plus network upgrades"
    )
    assert basis.iloc[3].startswith("UNKNOWN")
    # an unknown need leaves the queue basis of its county
    assert not columns["time_to_power_queue_basis"].iloc[3].startswith("UNKNOWN")


def test_county_queue_statistics_are_the_sites_own_countys(two_state_assessment):
    columns = two_state_assessment.columns
    # Ohio's Allen (site 2): 1 withdrawn of 9 requests of known status (8 operational); the
    # others have none withdrawn
    assert columns["queue_withdrawn_share_county"].tolist() == pytest.approx([0, 0, 1 / 9, 0])
    # active requests filed 1 Jan 2022 (Ohio's Adams) and 1 Jan 2021 (Indiana's Adams), data
    # to 1 Jan 2022; Ohio's Allen has no active request
    age = columns["queue_median_active_age_months_county"]
    assert age.iloc[0] == pytest.approx(0.0)
    assert age.iloc[1] == pytest.approx(12.0, abs=0.05)
    assert np.isnan(age.iloc[2])
    # study stages are known and no agreement is executed: 0 MW, not UNKNOWN
    assert columns["queue_active_mw_ia_executed_county"].tolist() == [0.0] * 4


def test_large_load_rules_follow_each_sites_isos(two_state_assessment):
    result = two_state_assessment
    rules = result.columns["large_load_rules"]
    assert rules.iloc[0].startswith("PJM: ") and "MISO" not in rules.iloc[0]
    assert rules.iloc[1].startswith("MISO: ") and "PJM" not in rules.iloc[1]
    assert rules.iloc[3].startswith("MISO: ") and " | PJM: " in rules.iloc[3]
    notes = [n for n in result.notes if n.startswith("Large-load rule, ")]
    # MISO: the FERC show-cause order; PJM: the fast path, the co-location order, the Board
    # direction and the FERC show-cause order
    assert [n.split(",")[1].strip() for n in notes] == ["MISO"] + ["PJM"] * 4
    assert all("Sources: " in n and "status as of" in n for n in notes)


def test_notes_carry_one_county_join_line_per_state(two_state_assessment):
    notes = two_state_assessment.notes
    joins = [n for n in notes if " county join: " in n]
    assert [n.split(" ", 1)[0] for n in joins] == ["IN", "OH"]
    assert all("0 of 10 county mentions failed" in n for n in joins)
    assert any("not large-load" in n for n in notes)
    assert any("P(T ≤ 48 months)" in n for n in notes)


def test_poi_note_only_with_the_poi_indicator(two_state_inputs, two_state_sites):
    indicator = xr.DataArray(
        np.zeros((2, 2)),
        attrs={"poi_share_connected": "0.25", "poi_share_connected_active_mw": "0.5"},
    )
    with_poi = assess(two_state_sites, _context(two_state_inputs, {POI_INDICATOR: indicator}))
    poi = [n for n in with_poi.notes if n.startswith("POI names")]
    assert len(poi) == 1
    assert "25.0% of the region's requests (50.0% of active MW)" in poi[0]
    without = assess(two_state_sites, _context(two_state_inputs))
    assert not any(n.startswith("POI names") for n in without.notes)


def test_unknown_iso_region_does_not_stop_the_assessment(two_state_inputs, two_state_sites):
    sites = two_state_sites.assign(iso_region=[np.nan, "UNKNOWN", "PJM", None])
    result = assess(sites, _context(two_state_inputs))
    rules = result.columns["large_load_rules"]
    assert rules.iloc[[0, 1, 3]].str.startswith("UNKNOWN").all()
    assert rules.iloc[2].startswith("PJM: ")
    notes = [n for n in result.notes if n.startswith("Large-load rule, ")]
    assert len(notes) == len(large_load_rules.rules_for("PJM"))


# ------------------------------------------------------------------------------------------
# end to end on the embedded bundle
# ------------------------------------------------------------------------------------------


def test_sites_carry_time_to_power_columns_with_units(default_run):
    sites = default_run.sites
    for column in ("queue_active_mw_county", "time_to_power_p50_months", *UNITS):
        assert column in sites.columns
    assert sites["time_to_power_p50_months_site"].notna().all()
    assert sites["p_meets_target_year"].between(0.0, 1.0).all()
    assert (sites["time_to_power_p90_months"] >= sites["time_to_power_p50_months_site"]).all()
    assert sites["queue_withdrawn_share_county"].dropna().between(0.0, 1.0).all()
    assert set(sites["time_to_power_need"]) <= {*NEED_TEXT.values(), "UNKNOWN"}
    assert sites["large_load_rules"].str.len().gt(0).all()
    described = pd.read_csv(default_run.out_dir / "sites_columns.csv").set_index("column")
    assert described.loc[list(UNITS), "units"].to_dict() == UNITS
    assert described.loc[list(PROXY_COLUMNS), "proxy"].all()
    assert not described.loc[["time_to_power_need", "large_load_rules"], "proxy"].any()
    written = gpd.read_file(default_run.out_dir / "sites.gpkg", layer="sites")
    assert {"time_to_power_p90_months", "p_meets_target_year", "large_load_rules"} <= set(
        written.columns
    )


def test_outputs_label_the_generator_queue_proxy(default_run):
    assert "p_meets_target_year" in default_run.sites["proxy_indicators"].iloc[0]
    manifest = json.loads((default_run.out_dir / "manifest.json").read_text())
    (assessment,) = [a for a in manifest["assessments"] if "time to power" in a["name"]]
    assert any("not large-load" in note for note in assessment["notes"])
    assert set(PROXY_COLUMNS) <= set(assessment["proxy_columns"])
    assert "time_to_power_p50_months" in manifest["proxy_or_synthetic_indicators"]
    report = (default_run.out_dir / "report.md").read_text()
    assert "not large-load" in report and "p_meets_target_year" in report
    html = default_run.map_path.read_text()
    assert "time_to_power_p90_months" in html and "(PROXY)" in html
    page = (default_run.out_dir / "report.html").read_text()
    assert "large_load_rules" in page and "not large-load" in page


def test_p50_p90_and_target_year_share_the_sites_need(default_run, indiana_inputs):
    """Recompute each site's three figures from the queue model for its county and need."""
    sites = default_run.sites
    queue, spec = indiana_inputs.region_queue, indiana_inputs.spec
    params = spec.time_to_power
    known = sites[sites["connection_need_class"].notna()]
    assert len(known) > 0
    for _, site in known.iterrows():
        fips = site["county_fips"]
        congested = bool(
            queue.congestion.loc[fips, "queue_active_mw"] >= params.congested_county_mw
        )
        weights = queue.region_weights.loc[fips]
        mix = [
            (
                float(w),
                queue_stats.duration_sample(
                    queue.completed,
                    region=region,
                    congested=congested,
                    large_request_mw=params.large_request_mw,
                    congested_county_mw=params.congested_county_mw,
                    min_completed=params.min_completed,
                ).months,
            )
            for region, w in weights[weights > 0].items()
        ]
        by_need = {
            need: queue_stats.time_to_power(
                mix, need=need, params=params, target_year=spec.target_energization_year
            )
            for need in queue_stats.NEEDS
        }
        need = int(site["connection_need_class"])
        expected = by_need[need]
        assert site["time_to_power_p50_months_site"] == pytest.approx(expected["p50_months"])
        assert site["time_to_power_p90_months"] == pytest.approx(expected["p90_months"])
        assert site["p_meets_target_year"] == pytest.approx(expected["p_meets_target_year"])
        assert site["time_to_power_need"] == NEED_TEXT[float(need)]
        # the comparison tells the needs apart: no other need gives the same three figures
        assert all(by_need[other] != expected for other in queue_stats.NEEDS if other != need)


def test_sooner_power_scores_higher(default_run):
    sites = default_run.sites
    suit = sites["suit_time_to_power_p50_months"]
    p50 = sites["time_to_power_p50_months"]
    order = np.argsort(p50.to_numpy())
    assert np.all(np.diff(suit.to_numpy()[order]) <= 1e-9)
    assert sites["contrib_time_to_power_p50_months"].max() == pytest.approx(
        0.15 * suit.max(), rel=1e-6
    )
