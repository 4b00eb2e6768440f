"""siting explain: one site's score card read back from a real run folder."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from typer.testing import CliRunner

from siting.cli import app
from siting.errors import DataError
from siting.explain import score_card

runner = CliRunner()


def contribution_cells(stdout: str, indicators: list[str]) -> dict[str, float]:
    """The last number of each indicator's row of the printed score card."""
    out = {}
    for line in stdout.splitlines():
        cells = [c.strip() for c in re.split(r"[│┃]", line) if c.strip()]
        if cells and cells[0] in indicators:
            out[cells[0]] = float(cells[-1])
    return out


def test_printed_contributions_sum_to_the_score(default_run):
    site = default_run.sites.iloc[0]
    result = runner.invoke(app, ["explain", site["site_id"], "--run", str(default_run.out_dir)])
    assert result.exit_code == 0, result.output
    scored = [n for n, w in default_run.manifest["weights"].items() if w > 0]
    printed = contribution_cells(result.stdout, scored)
    assert sorted(printed) == sorted(scored)
    penalty = float(site.get("penalty_score", 0.0) or 0.0)
    # ten contributions printed to 4 decimals: at most 10 × 0.00005 of rounding
    assert sum(printed.values()) + penalty == pytest.approx(site["score"], abs=6e-4)
    total = re.search(r"penalty (-?[\d.]+) = score ([\d.]+)", result.stdout)
    assert float(total.group(2)) == pytest.approx(site["score"], abs=1e-4)


def test_the_card_matches_the_site_table(default_run):
    site = default_run.sites.iloc[-1]
    card = score_card(default_run.out_dir, site["site_id"])
    assert card.contributions_sum + card.penalty == pytest.approx(site["score"], abs=1e-5)
    row = card.indicators.set_index("indicator").loc["pop_density_per_km2"]
    assert row["raw"] == pytest.approx(site["pop_density_per_km2"], rel=1e-5)
    assert row["transform"].startswith(("linear: 1 at", "piecewise: ("))


def test_assessment_columns_are_grouped_with_units(default_run):
    site = default_run.sites.iloc[0]
    card = score_card(default_run.out_dir, site["site_id"])
    columns = pd.read_csv(default_run.out_dir / "sites_columns.csv", keep_default_na=False)
    own = columns[columns["source"].str.startswith("assessment: ")]
    assert sum(len(t) for t in card.assessments.values()) == len(own)
    for name, table in card.assessments.items():
        expected = own.loc[own["source"] == f"assessment: {name}", "units"].tolist()
        assert table["units"].tolist() == expected


def test_unknown_site_exits_2_listing_valid_ids(default_run):
    result = runner.invoke(app, ["explain", "IN-0E-0N", "--run", str(default_run.out_dir)])
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "no site 'IN-0E-0N'" in lines[0]
    assert default_run.sites.iloc[0]["site_id"] in lines[0]
    with pytest.raises(DataError, match="no site"):
        score_card(default_run.out_dir, "IN-0E-0N")
