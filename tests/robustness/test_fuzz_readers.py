"""Every file reader, fed files in its provider's schema with edge values and mutations of a
valid sample, returns an output that keeps its promises or raises a SitingError whose message
is one line naming the file; never another exception.

The number of examples per reader and strategy is ``SITING_FUZZ_EXAMPLES`` (default 25); the
examples are derandomized, so a run is reproducible. ``scripts/fuzz_readers.py`` runs many more.
"""

from __future__ import annotations

import pytest

from siting.errors import SitingError
from tests.robustness.fuzz_strategies import (
    CASES,
    ci_examples,
    fuzz,
    mutated_files,
    read_bytes,
    read_file,
    sample_bytes,
    schema_files,
)

IDS = [case.name for case in CASES]

#: What the parsers underneath the readers say about malformed files while reading them.
pytestmark = [
    pytest.mark.filterwarnings("ignore:Could not parse column:UserWarning"),
    pytest.mark.filterwarnings("ignore:Unsupported geometry type:RuntimeWarning"),
    pytest.mark.filterwarnings("ignore::pandas.errors.DtypeWarning"),
]


def _expect_clean(case):
    def check(data: bytes) -> None:
        problem = read_file(case, data)
        assert problem is None, f"SitingError message is not one line naming the file: {problem!r}"

    return check


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_the_valid_sample_reads_and_keeps_its_invariants(case):
    """The samples the strategies start from are valid: a reader that refused them would pass
    the fuzz tests below without reading anything."""
    case.check(read_bytes(case, sample_bytes(case)))


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_files_in_the_schema_give_an_output_or_a_siting_error(case):
    fuzz(case, schema_files(case), examples=ci_examples(), on_example=_expect_clean(case))


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_mutated_samples_give_an_output_or_a_siting_error(case):
    fuzz(case, mutated_files(case), examples=ci_examples(), on_example=_expect_clean(case))


def _replace(old: str, new: str, count: int = 1):
    def edit(text: str) -> str:
        assert old in text
        return text.replace(old, new, count)

    return edit


def _append(line: str):
    def edit(text: str) -> str:
        return text + line + "\n"

    return edit


def _drop_field(index: int):
    """Remove field ``index`` of every line (a column deleted in a spreadsheet)."""

    def edit(text: str) -> str:
        lines = [line.split(",") for line in text.splitlines()]
        return "\n".join(",".join(f[:index] + f[index + 1 :]) for f in lines) + "\n"

    return edit


#: Files the fuzzer found that once raised another exception or a message on several lines.
FOUND = [
    ("cdc_svi.read_svi", _append(",".join(["1"] * 30)), "cannot parse as CSV"),
    ("census_relationship.read_tract_relationship", lambda text: "", "'|'-delimited text"),
    ("hifld.read_lines", _replace(",\n     [\n      -86.3,\n      41.5\n     ]", ""), "vector"),
    ("lbnl.read_queue", _replace("1/1/2020", "12/31/9999"), None),
    ("lbnl.read_queue", _drop_field(4), None),  # no wd_date column: required, a DataError
    ("lbnl.read_queue[workbook]", _replace(",100,50,", ",1e400,inf,"), None),
    ("tmy3.read_tmy3", _replace("Pressure (mbar)", "Pressure"), r"\['pressure_mbar'\] missing"),
    ("tmy3.read_tmy3", _replace(",980,", ",abc,"), None),
    ("tmy3.read_tmy3", _replace(",IL,-6.0,", ",IL,1e30,"), "cannot parse as TMY3"),
    ("epw.read_epw", _replace("2001,1,1,5,", "2001,1,1,x,"), "cannot parse as EPW"),
    ("ibtracs.read_tracks[ISO_TIME]", _replace("2005-08-29 18:00:00", "noon"), "ISO_TIME"),
    ("siting_tables.read_county_values", _replace(",600,", ",1e400,"), "infinite values"),
]


@pytest.mark.parametrize(("name", "edit", "match"), FOUND)
def test_files_found_by_fuzzing(name, edit, match):
    """Each gives an output keeping the invariants, or (``match``) the one-line SitingError."""
    case = next(c for c in CASES if c.name == name)
    data = edit(case.sample()).encode(case.encoding)
    if match is None:
        assert read_file(case, data) is None
        return
    with pytest.raises(SitingError, match=match) as err:
        read_bytes(case, data)
    assert read_file(case, data) is None, str(err.value)


def test_a_corrupt_gzip_stream_is_a_data_error():
    case = next(c for c in CASES if c.name == "eeweather_zcta.read_zip_centroids")
    data = bytearray(sample_bytes(case))
    data[20] ^= 0xFF
    with pytest.raises(SitingError, match="cannot parse as CSV"):
        read_bytes(case, bytes(data))
