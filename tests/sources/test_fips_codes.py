"""FIPS codes as zero-padded text: the plain-text path gives what the pandas string path gives."""

import pandas as pd
import pytest

from siting.errors import DataError
from siting.sources.files import fips_codes


def _by_pandas_string_methods(values: pd.Series, width: int) -> pd.Series:
    text = values.astype("string").str.strip().str.replace(r"\.0+$", "", regex=True)
    return text.str.zfill(width).astype(str)


@pytest.mark.parametrize(
    "values",
    [
        ["1001", "00005"],
        ["18003", "18005"],
        ["١٢", "7"],  # decimal digits of another script are digits, as for the pattern \d
        [1001, 18003],
        ["1001.0", "18003"],
        [" 1001 ", "18003"],
    ],
)
def test_codes_match_the_pandas_string_methods(values):
    series = pd.Series(values, index=[3, 8], name="FIPS")
    got = fips_codes(series, width=5, what="x", column="FIPS")
    want = _by_pandas_string_methods(series, 5)
    assert got.equals(want) and str(got.dtype) == str(want.dtype)
    assert got.index.tolist() == [3, 8] and got.name == "FIPS"


@pytest.mark.parametrize("values", [["18003", None], ["123456"], ["1e3"], ["-101"], ["²1"]])
def test_malformed_codes_are_an_error(values):
    with pytest.raises(DataError, match="not 5-digit FIPS codes"):
        fips_codes(pd.Series(values), width=5, what="x", column="FIPS")
