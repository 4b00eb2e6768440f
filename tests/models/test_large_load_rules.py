"""The dated table of ISO/RTO large-load rules and its texts."""

import math
from datetime import date

import numpy as np
import pandas as pd
import pytest

from siting.models.large_load_rules import (
    FERC_2026_ORDER_REGIONS,
    RULES,
    RULES_AS_OF,
    LargeLoadRule,
    rule_text,
    rules_for,
    site_rules_text,
)

UNKNOWN_TEXT = "UNKNOWN: the ISO/RTO of the site is unknown"


def _rule(iso: str, name: str, day: str, threshold_mw: float = math.nan) -> LargeLoadRule:
    return LargeLoadRule(
        iso=iso,
        rule=name,
        threshold_mw=threshold_mw,
        date=day,
        status="in force",
        summary="A rule.",
        source="A source, https://example.org",
    )


@pytest.mark.parametrize("rule", RULES, ids=lambda r: f"{r.iso}: {r.rule}")
def test_every_rule_is_dated_sourced_and_has_a_status(rule):
    made = date.fromisoformat(rule.date)
    assert date(2020, 1, 1) <= made <= date.fromisoformat(RULES_AS_OF)
    assert rule.status.strip() and rule.summary.strip() and rule.rule.strip()
    assert "https://" in rule.source
    assert math.isnan(rule.threshold_mw) or rule.threshold_mw > 0


def test_rules_are_unique_per_region():
    keys = [(r.iso, r.rule) for r in RULES]
    assert len(keys) == len(set(keys))


def test_ferc_2026_orders_go_to_the_six_jurisdictional_regions_only():
    ordered = {r.iso for r in RULES if r.date == "2026-06-18" and "show-cause" in r.rule}
    assert ordered == set(FERC_2026_ORDER_REGIONS)
    assert "ERCOT" not in ordered
    assert "§" not in " ".join(r.rule for r in RULES)


def test_rules_for_one_region_are_in_date_order():
    pjm = rules_for("PJM")
    assert [r.date for r in pjm] == ["2025-08-08", "2025-12-18", "2026-01-16", "2026-06-18"]
    assert {r.iso for r in pjm} == {"PJM"}
    assert [r.rule for r in rules_for("ERCOT")] == [
        "Texas SB 6",
        "Batch Zero large-load batch study (PGRR145, NPRR1325)",
    ]


def test_rules_for_several_regions_keep_the_sites_region_order():
    miso, pjm = rules_for("MISO"), rules_for("PJM")
    assert rules_for("MISO;PJM") == miso + pjm
    assert rules_for("PJM;MISO") == pjm + miso
    assert len(miso) == 1 and len(pjm) == 4


def test_rules_for_sorts_a_given_table_by_date():
    rules = (
        _rule("X", "late", "2026-03-01"),
        _rule("Y", "other region", "2024-01-01"),
        _rule("X", "early", "2025-01-01"),
    )
    assert [r.rule for r in rules_for("X", rules)] == ["early", "late"]
    assert [r.rule for r in rules_for("Y;X", rules)] == ["other region", "early", "late"]


@pytest.mark.parametrize("iso_region", ["UNKNOWN", "southeast-non-iso", "", np.nan, None])
def test_rules_for_an_unknown_or_missing_region_is_empty(iso_region):
    assert rules_for(iso_region) == ()


def test_rule_text_gives_the_load_size_only_where_the_rule_names_one():
    assert rule_text(_rule("X", "Big loads", "2025-02-03", 50.0)) == (
        "2025-02-03 Big loads, loads ≥ 50 MW (in force)"
    )
    assert rule_text(_rule("X", "All loads", "2025-02-03")) == "2025-02-03 All loads (in force)"


def test_site_rules_text_lists_each_region_in_turn():
    text = site_rules_text("MISO;PJM")
    miso, pjm = text.split(" | ")
    assert miso == "MISO: " + "; ".join(rule_text(r) for r in rules_for("MISO"))
    assert pjm == "PJM: " + "; ".join(rule_text(r) for r in rules_for("PJM"))
    assert pjm.index("2025-08-08") < pjm.index("2026-06-18")


def test_site_rules_text_says_when_a_region_has_no_rule():
    text = site_rules_text("PJM;southeast-non-iso")
    pjm, other = text.split(" | ")
    assert pjm.startswith("PJM: 2025-08-08 ")
    assert other == (
        f"southeast-non-iso: no ISO/RTO large-load rule recorded (as of {RULES_AS_OF}); the "
        "serving utility sets the terms"
    )


@pytest.mark.parametrize("iso_region", [np.nan, None, pd.NA, "", "UNKNOWN", 3.0])
def test_site_rules_text_of_a_missing_region_is_unknown(iso_region):
    assert site_rules_text(iso_region) == UNKNOWN_TEXT


def test_site_rules_text_maps_over_a_column_with_missing_values():
    column = pd.Series(["ERCOT", np.nan, "SPP"])
    texts = column.map(site_rules_text)
    assert texts.iloc[0].startswith("ERCOT: 2025-06-20 Texas SB 6, loads ≥ 75 MW")
    assert texts.iloc[1] == UNKNOWN_TEXT
    assert "loads ≥ 50 MW" in texts.iloc[2]
