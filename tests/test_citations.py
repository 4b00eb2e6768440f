"""Every citation resolves inside this repository: each ``§N`` names a section of the methods
document, and nothing points to a document the repository does not hold."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
METHODS = ROOT / "docs" / "methods.md"
#: Text the project writes or ships: code, spec, README, docs, data notes.
CITING = [
    *sorted((ROOT / "siting").rglob("*.py")),
    *sorted((ROOT / "layers").rglob("*.py")),
    *sorted((ROOT / "benchmarks").rglob("*.py")),
    ROOT / "siting" / "specs" / "default.toml",
    ROOT / "siting" / "data" / "SOURCES.md",
    ROOT / "siting" / "data" / "SOURCES.csv",
    ROOT / "README.md",
    ROOT / "docs" / "architecture.md",
]
SECTION = re.compile(r"§\s?(\d+(?:\.\d+)?)")
HEADING = re.compile(r"^#{2,3} (\d+(?:\.\d+)?)\.? ", flags=re.MULTILINE)


def sections() -> set[str]:
    return set(HEADING.findall(METHODS.read_text(encoding="utf-8")))


def test_methods_headings_are_numbered_once():
    numbers = HEADING.findall(METHODS.read_text(encoding="utf-8"))
    assert len(numbers) == len(set(numbers)), "a section number is used twice"
    assert {"1.2", "2.2", "3.4", "4.2", "4.3", "4.4", "5.1", "8", "9.6"} <= set(numbers)


@pytest.mark.parametrize("path", CITING, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_section_cited_exists(path):
    text = path.read_text(encoding="utf-8")
    cited = set(SECTION.findall(text))
    assert cited <= sections(), f"{path.name} cites {sorted(cited - sections())}"


@pytest.mark.parametrize("path", CITING, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_citation_of_a_document_outside_the_repository(path):
    assert "REFERENCE.md" not in path.read_text(encoding="utf-8")


def test_the_checker_sees_a_missing_section(tmp_path):
    assert "77.7" not in sections()
    assert SECTION.findall("see docs/methods.md §4.4 and §77.7") == ["4.4", "77.7"]
