"""ISO/RTO rules for connecting large loads, as dated context for a site's time to power.

A small curated table (:data:`RULES`), each rule with the date it was made, its status as of
the newest source consulted (:data:`RULES_AS_OF`), the load size it applies from where it names
one, and its sources (docs/methods.md §4.10). The rules change quickly: a row says what the
source said on its date, not what holds today. Nothing here enters the score.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

#: Date of the newest source behind :data:`RULES`: statuses are as of then.
RULES_AS_OF = "2026-06-23"
#: The six regions FERC's show-cause orders of 18 June 2026 went to (ERCOT is not
#: FERC-jurisdictional for this).
FERC_2026_ORDER_REGIONS = ("CAISO", "ISO-NE", "MISO", "NYISO", "PJM", "SPP")


@dataclass(frozen=True, kw_only=True)
class LargeLoadRule:
    """One large-load rule of one ISO/RTO.

    ``threshold_mw`` is the smallest load it applies to [MW], NaN where the rule names none;
    ``date`` the day it was signed, ordered, approved or launched (ISO 8601); ``status`` what it
    was as of its sources; ``source`` the sources, ``; ``-separated.
    """

    iso: str
    rule: str
    threshold_mw: float
    date: str
    status: str
    summary: str
    source: str


_FERC_2026 = {
    "rule": "FERC show-cause order on large-load interconnection (FPA section 206)",
    "threshold_mw": float("nan"),
    "date": "2026-06-18",
    "status": "order issued; the region must revise its tariff or show why not",
    "summary": (
        "FERC found the region's tariff may lack a large-load application and study process, "
        "operating requirements, network-upgrade cost assignment, co-location terms and "
        "flexible transmission service for loads willing to limit their use of the grid; "
        "responses were due within 60 days (MISO's by 17 Aug 2026)."
    ),
    "source": (
        "Akin Gump, FERC Directs MISO to Revise Tariff to Expedite Data Center Development "
        "(23 Jun 2026), https://www.akingump.com/en/insights/blogs/speaking-energy/"
        "ferc-directs-midcontinent-independent-system-operator-to-revise-tariff-to-expedite-"
        "data-center-development ; Ashurst Perkins Coie, FERC Issues Large Load Interconnection "
        "Show Cause Orders to Each RTO/ISO, https://www.ashurstperkinscoie.com/en/insights/"
        "ferc-issues-large-load-interconnection-show-cause-orders-to-each-rto-and-iso/"
    ),
}

RULES: tuple[LargeLoadRule, ...] = (
    LargeLoadRule(
        iso="ERCOT",
        rule="Texas SB 6",
        threshold_mw=75.0,
        date="2025-06-20",
        status="law, in effect on signature",
        summary=(
            "Large loads of 75 MW or more share interconnection costs, pay for screening "
            "studies, disclose on-site backup generation and can be curtailed by ERCOT in "
            "grid emergencies."
        ),
        source=(
            "Texas SB 6 (89th Legislature, signed 20 Jun 2025); Legalink, Texas legislature "
            "passes important regulatory changes for Texas data centers and other large load, "
            "https://www.legalink.net/en/publications/newsletters/texas-legislature-passes-"
            "important-regulatory-changes-for-texas-data-centers-and-other-large-load/6581 ; "
            "Pillsbury, Texas SB 6 (Jun 2025), https://www.pillsburylaw.com/en/news-and-insights/"
            "texas-sb6-transmission-fees-interconnected-standards-large-load-customers-"
            "colocated-loads.html"
        ),
    ),
    LargeLoadRule(
        iso="ERCOT",
        rule="Batch Zero large-load batch study (PGRR145, NPRR1325)",
        threshold_mw=75.0,
        date="2026-06-18",
        status="approved by the PUCT; binding MW allocations expected April 2027",
        summary=(
            "Loads of 75 MW or more are studied together in one system-wide study that "
            "allocates transmission capacity year by year and names the upgrades, replacing "
            "project-by-project studies."
        ),
        source=(
            "Mondaq, PUCT Approves Batch Zero Framework (Jun 2026), https://webiis08.mondaq.com/"
            "unitedstates/oil-gas-electricity/1807826/ ; APPA Public Power Current, ERCOT Board "
            "approves Batch Zero (2 Jun 2026), https://www.publicpower.org/node/30325"
        ),
    ),
    LargeLoadRule(
        iso="SPP",
        rule="High Impact Large Load (HILL) study and HILLGA (ER26-247)",
        threshold_mw=50.0,
        date="2026-01-14",
        status="accepted by FERC, effective 15 Jan 2026",
        summary=(
            "Loads of 50 MW or more above 69 kV (10 MW at or below 69 kV) take enhanced "
            "studies and operating requirements; a load paired with new or existing "
            "generation can get a 90-day study and provisional approval."
        ),
        source=(
            "RTO Insider, FERC Approves SPP Large Load Process, "
            "https://rtowww.com/123602-ferc-approves-spp-large-load-process ; Troutman Pepper, "
            "FERC Accepts SPP's Large Load Interconnection Process (Jan 2026), "
            "https://www.troutmanenergyreport.com/2026/01/ferc-accepts-spps-large-load-"
            "interconnection-process"
        ),
    ),
    LargeLoadRule(
        iso="PJM",
        rule="Critical Issue Fast Path on large load additions",
        threshold_mw=float("nan"),
        date="2025-08-08",
        status="stakeholder process ended without a consensus package (Nov 2025)",
        summary=(
            "The PJM Board opened an expedited stakeholder process on connecting large loads, "
            "mainly data centers (about 30 of the 32 GW of peak growth forecast for 2024–2030), "
            "without a resource-adequacy shortfall."
        ),
        source=(
            "APPA Public Power Current, PJM to pursue accelerated stakeholder process (Aug "
            "2025), https://www.publicpower.org/periodical/article/pjm-pursue-accelerated-"
            "stakeholder-process-mechanism-tied-data-centers ; Foundation for American "
            "Innovation, Standby or Stand Firm part 3, "
            "https://www.thefai.org/posts/standby-or-stand-firm-part-3-final"
        ),
    ),
    LargeLoadRule(
        iso="PJM",
        rule="FERC order on co-located load (EL25-49)",
        threshold_mw=float("nan"),
        date="2025-12-18",
        status="PJM tariff found unjust and unreasonable; compliance filings from 20 Jan 2026",
        summary=(
            "PJM must set terms for generators serving co-located load, offer three new "
            "transmission services for such load and revise its behind-the-meter generation "
            "rules."
        ),
        source=(
            "Troutman Pepper, https://www.troutmanenergyreport.com/?p=13270 ; National Law "
            "Review, FERC Issues Order Clarifying Data Center and Large Load Interconnection "
            "Procedures, https://natlawreview.com/article/ferc-issues-order-clarifying-data-"
            "center-and-large-load-interconnection-procedures"
        ),
    ),
    LargeLoadRule(
        iso="PJM",
        rule="PJM Board direction on new large load without its own generation",
        threshold_mw=float("nan"),
        date="2026-01-16",
        status="directed by the Board; rules in development",
        summary=(
            "New large load that does not bring its own new generation is to be curtailed "
            "before pre-emergency demand response."
        ),
        source=(
            "PJM issue tracking (connect and manage / large load customer flexibility), "
            "https://www.pjm.com/committees-and-groups/issue-tracking/issue-tracking-details."
            "aspx?Issue=470a5f36-2ce2-4c82-8639-7d4bb9d0cafc"
        ),
    ),
    *(LargeLoadRule(iso=iso, **_FERC_2026) for iso in FERC_2026_ORDER_REGIONS),
)


def rule_text(rule: LargeLoadRule) -> str:
    """One rule in a line: date, name, load size, status.

    >>> rule_text(RULES[0])
    '2025-06-20 Texas SB 6, loads ≥ 75 MW (law, in effect on signature)'
    """
    size = "" if math.isnan(rule.threshold_mw) else f", loads ≥ {rule.threshold_mw:g} MW"
    return f"{rule.date} {rule.rule}{size} ({rule.status})"


def rules_for(
    iso_region: str, rules: tuple[LargeLoadRule, ...] = RULES
) -> tuple[LargeLoadRule, ...]:
    """The rules of the ISO/RTOs of a site's ``iso_region`` ("MISO;PJM"), by region then date."""
    isos = [i for i in str(iso_region).split(";") if i]
    return tuple(r for iso in isos for r in sorted(rules, key=lambda r: r.date) if r.iso == iso)


def site_rules_text(iso_region: object, rules: tuple[LargeLoadRule, ...] = RULES) -> str:
    """The large-load rules of a site's ISO/RTOs in words, one region after another.

    >>> print(site_rules_text("SPP").split("; ")[0])
    SPP: 2026-01-14 High Impact Large Load (HILL) study and HILLGA (ER26-247), loads ≥ 50 MW
    (accepted by FERC, effective 15 Jan 2026)
    >>> print(site_rules_text("southeast-non-iso"))
    southeast-non-iso: no ISO/RTO large-load rule recorded (as of 2026-06-23); the serving
    utility sets the terms
    >>> site_rules_text("UNKNOWN")
    'UNKNOWN: the ISO/RTO of the site is unknown'
    """
    if not isinstance(iso_region, str) or not iso_region or iso_region == "UNKNOWN":
        return "UNKNOWN: the ISO/RTO of the site is unknown"
    parts = []
    for iso in iso_region.split(";"):
        mine = rules_for(iso, rules)
        if mine:
            parts.append(f"{iso}: " + "; ".join(rule_text(r) for r in mine))
        else:
            parts.append(
                f"{iso}: no ISO/RTO large-load rule recorded (as of {RULES_AS_OF}); the serving "
                "utility sets the terms"
            )
    return " | ".join(parts)
