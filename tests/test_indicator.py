import pytest

from siting.indicator import Indicator


def schema(**overrides):
    fields = {
        "name": "x_km",
        "family": "f",
        "title": "t",
        "units": "km",
        "direction": "lower_better",
        "tag": "real",
        "source": "s",
        "description": "d",
        "best": 0.0,
        "worst": 1.0,
    }
    return Indicator(**(fields | overrides))


def test_site_statistic_defaults_to_mean_and_must_be_known():
    assert schema().site_stat == "mean"
    assert schema(site_stat="min").site_stat == "min"
    with pytest.raises(ValueError, match=r"site_stat must be one of \('mean', 'min'\), got 'max'"):
        schema(site_stat="max")
