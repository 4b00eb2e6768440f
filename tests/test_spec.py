import pytest

from siting.errors import SpecError
from siting.spec import SQ_KM_PER_ACRE, load_spec


def write(tmp_path, text):
    path = tmp_path / "spec.toml"
    path.write_text(text)
    return path


def test_default_spec_derived_values():
    spec = load_spec()
    assert spec.it_capacity_mw == 1000.0
    assert spec.facility_peak_mw == pytest.approx(1000.0 * spec.pue_design)
    assert spec.it_energy_mwh_per_yr == pytest.approx(1000.0 * 0.80 * 8760.0)
    assert spec.facility_energy_mwh_per_yr == pytest.approx(
        1000.0 * 0.80 * 8760.0 * spec.pue_annual
    )
    # 1,000 MW × 1 acre/MW = 1,000 acres = 4.047 km²
    assert spec.required_area_km2 == pytest.approx(4.0469, abs=1e-4)
    assert sum(spec.weights.values()) == pytest.approx(1.0)
    assert spec.to_dict()["derived"]["required_area_km2"] == pytest.approx(4.0469, abs=1e-4)


def test_user_spec_overrides_only_what_it_names(tmp_path):
    spec = load_spec(write(tmp_path, "[campus]\nit_capacity_mw = 500.0\nland_acres_per_mw = 0.8\n"))
    assert spec.required_area_km2 == pytest.approx(400 * SQ_KM_PER_ACRE)
    assert spec.load_factor == 0.80
    assert spec.region.name == "Indiana"


def test_archetype_sets_screening_pue(tmp_path):
    spec = load_spec(write(tmp_path, '[campus]\ncooling_archetype = "air_chiller"\n'))
    assert spec.pue_annual > load_spec().pue_annual


def test_weights_replace_defaults_whole(tmp_path):
    spec = load_spec(write(tmp_path, "[weights]\nline_distance_km = 0.5\nsvi_overall_pct = 0.5\n"))
    assert dict(spec.weights) == {"line_distance_km": 0.5, "svi_overall_pct": 0.5}


@pytest.mark.parametrize(
    ("text", "match"),
    [
        (
            "[campus]\nit_capacity_mv = 10.0\n",
            r"unknown key\(s\) \['it_capacity_mv'\] in \[campus\]",
        ),
        ("[sites]\ncount = 3\n", r"unknown key\(s\) \['sites'\] in \[top level\]"),
        ("[weights]\nline_distance_km = 0.5\n", "weights must sum to 1, got 0.500"),
        (
            "[campus]\nit_capacity_mw = -5.0\n",
            r"'it_capacity_mw' must lie in \[1.0, 20000.0\], got -5.0",
        ),
        ('[campus]\nload_factor = "high"\n', "'load_factor' must be a number"),
        ('[campus]\ncooling_archetype = "magic"\n', "'cooling_archetype' must be one of"),
        (
            "[campus]\npue_annual = 1.4\npue_design = 1.2\n",
            "pue_design .* must be at least pue_annual",
        ),
        ("[candidates]\ncount = 2.5\n", "'count' must be a whole number"),
        (
            '[transforms.line_distance_km]\nkind = "linear"\nbest = 3.0\nworst = 3.0\n',
            "best and worst must differ",
        ),
        (
            '[transforms.line_distance_km]\nkind = "piecewise"\n'
            "points = [[5.0, 1.0], [1.0, 0.0]]\n",
            "must increase",
        ),
        (
            '[[exclusions]]\nname = "x"\nkind = "indicator"\nindicator = "a"\n',
            "needs 'above', 'below', 'between' or 'values'",
        ),
        ('[[exclusions]]\nname = "x"\nkind = "polygon"\n', "'kind' must be one of"),
        ("[campus\n", "not valid TOML"),
        (
            "[interconnection]\nroute_factr = 1.2\n",
            r"unknown key\(s\) \['route_factr'\] in \[interconnection\]",
        ),
        ('[interconnection]\ncost_region = "PJM"\n', "'cost_region' must be one of"),
        (
            "[interconnection]\nroute_factor = 0.8\n",
            r"'route_factor' must lie in \[1.0, 3.0\], got 0.8",
        ),
        (
            "[interconnection]\ngeneration_radius_km = 500.0\n",
            r"'generation_radius_km' must lie in \[1.0, 100.0\]",
        ),
        ("interconnection = 3\n", r"\[interconnection\] must be a table"),
        (
            "[time_to_power]\nrequest_yr = 2027\n",
            r"unknown key\(s\) \['request_yr'\] in \[time_to_power\]",
        ),
        (
            "[time_to_power]\nnew_line_beyond_km = 5.0\n",
            r"\[time_to_power\] new_line_beyond_km is no longer used: .*substation_only_max_km",
        ),
        (
            "[time_to_power]\nnew_line_months = [96.0, 48.0]\n",
            r"'new_line_months' must be \[low, high\] with 0 <= low <= high",
        ),
        ("[time_to_power]\nsubstation_months = 30.0\n", "'substation_months' must be"),
        (
            "[time_to_power]\nrequest_year = 2031\n",
            r"target_energization_year \(2030\) is before \[time_to_power\] request_year",
        ),
        ("[time_to_power]\nmin_completed = 0\n", r"'min_completed' must lie in \[1"),
    ],
)
def test_bad_spec_gives_one_clear_error(tmp_path, text, match):
    with pytest.raises(SpecError, match=match) as info:
        load_spec(write(tmp_path, text))
    assert "spec.toml" in str(info.value)


def test_interconnection_table_overrides_key_by_key(tmp_path):
    default = load_spec().interconnection
    assert (default.route_factor, default.cost_region) == (1.3, "auto")  # docs/methods.md §4.3
    spec = load_spec(write(tmp_path, '[interconnection]\ncost_region = "Southeast"\n'))
    assert spec.interconnection.cost_region == "Southeast"
    assert spec.interconnection.route_factor == default.route_factor
    assert spec.to_dict()["interconnection"]["cost_region"] == "Southeast"


def test_distance_curve_of_the_grid_indicators_is_set_by_the_spec(tmp_path):
    spec = load_spec(
        write(
            tmp_path,
            '[transforms.substation_distance_km]\nkind = "piecewise"\n'
            "points = [[0.0, 1.0], [5.0, 0.8], [25.0, 0.0]]\n",
        )
    )
    curve = spec.transforms["substation_distance_km"]
    assert curve.points == ((0.0, 1.0), (5.0, 0.8), (25.0, 0.0))


def test_missing_spec_file(tmp_path):
    with pytest.raises(SpecError, match="spec file not found"):
        load_spec(tmp_path / "nope.toml")


def test_time_to_power_overrides_key_by_key(tmp_path):
    spec = load_spec(write(tmp_path, "[time_to_power]\nnew_line_months = [36.0, 60.0]\n"))
    assert spec.time_to_power.new_line_months == (36.0, 60.0)
    assert spec.time_to_power.substation_months == load_spec().time_to_power.substation_months
    assert spec.to_dict()["time_to_power"]["new_line_months"] == (36.0, 60.0)


def test_the_readme_example_spec_is_valid(tmp_path):
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    example = readme.split("```toml\n", 1)[1].split("```", 1)[0]
    spec = load_spec(write(tmp_path, example))
    assert spec.it_capacity_mw == 500.0 and spec.cooling_archetype == "cooling_tower"
    from layers import indicator_schemas
    from siting.pipeline import check_spec_names

    check_spec_names(spec, indicator_schemas())  # every weight names a scored indicator


# ---------------------------------------------------------------------------------------------
# exclusion rules: extend by name, replace explicitly
# ---------------------------------------------------------------------------------------------

DEFAULT_RULES = [r.name for r in load_spec().exclusions]


def rule_names(spec):
    return [r.name for r in spec.exclusions]


def test_a_user_rule_extends_the_default_list(tmp_path):
    text = '[[exclusions]]\nname = "airport"\nkind = "features"\nfile = "airport.gpkg"\n'
    spec = load_spec(write(tmp_path, text))
    assert rule_names(spec) == [*DEFAULT_RULES, "airport"]
    assert spec.exclusions[-1].file == "airport.gpkg"


def test_a_rule_with_a_default_name_replaces_that_rule_in_place(tmp_path):
    text = '[[exclusions]]\nname = "lakes"\nkind = "features"\nlayer = "lakes"\nbuffer_m = 300.0\n'
    spec = load_spec(write(tmp_path, text))
    assert rule_names(spec) == DEFAULT_RULES
    assert {r.name: r for r in spec.exclusions}["lakes"].buffer_m == 300.0


def test_enabled_false_drops_a_default_rule(tmp_path):
    text = '[[exclusions]]\nname = "rivers"\nenabled = false\n'
    spec = load_spec(write(tmp_path, text))
    assert rule_names(spec) == [n for n in DEFAULT_RULES if n != "rivers"]
    with pytest.raises(SpecError, match="has enabled = false but no default rule has that name"):
        load_spec(write(tmp_path, '[[exclusions]]\nname = "moon"\nenabled = false\n'))


def test_replace_mode_keeps_only_the_users_rules(tmp_path):
    text = (
        'exclusions_mode = "replace"\n[[exclusions]]\nname = "lakes"\nkind = "features"\n'
        'layer = "lakes"\n'
    )
    assert rule_names(load_spec(write(tmp_path, text))) == ["lakes"]


def test_default_rules_state_their_modes_and_missing_data_policy():
    rules = {r.name: r for r in load_spec().exclusions}
    assert rules["county data-center moratorium"].mode == "penalise"
    assert rules["county data-center moratorium"].penalty == 0.5
    assert rules["protected land (PAD-US fee, coarse H3 cells)"].mode == "flag"
    assert rules["transmission line right of way"].kind == "corridor"
    hard = [r for r in rules.values() if r.mode == "exclude" and r.kind == "indicator"]
    assert all(r.missing == "exclude" for r in hard), "missing data is never a pass"


@pytest.mark.parametrize(
    ("text", "match"),
    [
        (
            'exclusions_mode = "merge"\n',
            r"'exclusions_mode' must be one of \['extend', 'replace'\]",
        ),
        (
            '[[exclusions]]\nname = "x"\nkind = "features"\nlayer = "a"\nfile = "b"\n',
            "needs exactly one of 'layer'",
        ),
        (
            '[[exclusions]]\nname = "x"\nkind = "features"\nlayer = "a"\ncolumn = "c"\n',
            "'column' and 'values' go together",
        ),
        (
            '[[exclusions]]\nname = "x"\nkind = "indicator"\nindicator = "a"\nbetween = [5, 1]\n',
            r"'between' must be \[low, high\]",
        ),
        (
            '[[exclusions]]\nname = "x"\nkind = "features"\nlayer = "a"\npenalty = 0.5\n',
            "'penalty' needs mode = \"penalise\"",
        ),
        (
            '[[exclusions]]\nname = "x"\nkind = "features"\nlayer = "a"\nmode = "penalise"\n',
            "'penalty' is required",
        ),
        (
            '[[exclusions]]\nname = "x"\nkind = "features"\nlayer = "a"\nmode = "include"\n'
            'missing = "exclude"\n',
            "an include rule cannot exclude missing data",
        ),
        (
            '[[exclusions]]\nname = "x"\nkind = "corridor"\nwidths_m = { "345" = -1 }\n',
            r"widths_m\[345\] must be a width",
        ),
        (
            '[[exclusions]]\nname = "x"\nkind = "min_area"\nbuffer_m = 10.0\n',
            r"unknown key\(s\) \['buffer_m'\] in \[exclusions #\d+\] of kind 'min_area'",
        ),
        (
            '[[exclusions]]\nname = "x"\nkind = "indicator"\nindicator = "a"\nvalues = []\n',
            "'values' must be a non-empty list",
        ),
    ],
)
def test_a_bad_rule_is_one_clear_error(tmp_path, text, match):
    with pytest.raises(SpecError, match=match):
        load_spec(write(tmp_path, text))


def test_candidates_search_parameters(tmp_path):
    spec = load_spec(write(tmp_path, "[candidates]\nmax_spacing_km = 80.0\ncompactness = 0.0\n"))
    assert spec.candidates.max_spacing_km == 80.0 and spec.candidates.compactness == 0.0
    assert load_spec().candidates.max_spacing_km is None
    with pytest.raises(SpecError, match=r"'max_spacing_km' must lie in \[10.0"):
        load_spec(write(tmp_path, "[candidates]\nmax_spacing_km = 5.0\n"))
