"""Jobs a campus would bring, as ranges per GW of IT capacity from announced projects.

Screening ratios (docs/methods.md §6.4), not an input-output model: a campus's jobs are its IT
capacity [GW] times a low and a high ratio taken from announced campuses and one state study.
Ratios of developer announcements are proxies; they scale linearly with IT capacity.

References
----------
Joint Legislative Audit and Review Commission (2024). Data Centers in Virginia, Report 598.
https://jlarc.virginia.gov/landing-2024-data-centers-in-virginia.asp
"""

from __future__ import annotations

from types import MappingProxyType

import pandas as pd

#: Permanent on-site jobs per GW of IT capacity, low and high [FTE/GW]: AWS Indiana 1,100 jobs
#: for 2.4 GW (458/GW); AWS New Carlisle ≥ 1,000 for ~1.1 GW IT (~900/GW); JLARC's 50 FTE per
#: 250,000 sq ft at 2,000–3,300 sq ft/MW (400–650/GW).
PERMANENT_FTE_PER_GW = (450.0, 900.0)
#: Construction workers on site at the peak per GW, low and high [persons/GW]: Tucson Project
#: Blue 3,000 (developer claim), Stargate Abilene 5,800 for 1.2 GW, up to 6,400.
CONSTRUCTION_PEAK_PER_GW = (3000.0, 6400.0)
RANGES = MappingProxyType(
    {"permanent_jobs": PERMANENT_FTE_PER_GW, "construction_peak_jobs": CONSTRUCTION_PEAK_PER_GW}
)


def jobs_range(it_capacity_mw: pd.Series) -> pd.DataFrame:
    """Permanent and construction-peak jobs, low and high, for each IT capacity. [persons]

    Parameters
    ----------
    it_capacity_mw : pandas.Series
        IT capacity of the campus. [MW]

    Returns
    -------
    pandas.DataFrame
        ``<kind>_low`` and ``<kind>_high`` for the kinds of :data:`RANGES`. [persons]

    Examples
    --------
    >>> jobs_range(pd.Series([2000.0])).loc[0, "permanent_jobs_high"]
    np.float64(1800.0)
    """
    gw = it_capacity_mw / 1000.0
    return pd.DataFrame(
        {
            f"{kind}_{end}": gw * ratio
            for kind, (low, high) in RANGES.items()
            for end, ratio in (("low", low), ("high", high))
        },
        index=it_capacity_mw.index,
    )
