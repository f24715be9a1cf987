"""Seed 003 Table I projected μν sensitivities (nuem.inference.seed003_table)."""

import pytest

from nuem.inference.seed003_table import PUBLISHED, reproduce_table, table_inputs


@pytest.fixture(scope="module")
def inputs():
    return table_inputs()


@pytest.fixture(scope="module")
def window(inputs):
    return reproduce_table("window", inputs=inputs)


# Seed 003 (Wong, Li, Lin, PRL 105, 061801 (2010)) Table I, 1 % ON-OFF systematic, flux 1e13:
# every FE value and all AI values but the ideal 10 eV row within a factor 2 (window criterion).
_WITHIN_TWO = [(i, "fe") for i in range(6)] + [(i, "ai") for i in range(5)]


@pytest.mark.parametrize(("i", "col"), _WITHIN_TWO)
def test_reproduced_within_factor_two(window, i, col):
    r = window["rows"][i]
    assert 0.5 <= r[f"{col}_ratio"] <= 2.0


def test_documented_miss_is_stable(window):
    # AI (EPA) at a 10 eV threshold, ideal detector: 2.3 x published; the EPA rate there is
    # sigma_gamma(10-30 eV), where the tables are least reliable (module docstring).
    assert window["rows"][5]["ai_ratio"] == pytest.approx(2.30, rel=0.05)


def test_threshold_window_misses_sm_limited_rows(inputs):
    # A window forced to start at threshold is dominated by the quenched nu-N background.
    t = reproduce_table("threshold-window", inputs=inputs)
    assert t["rows"][2]["fe_ratio"] > 3 and t["rows"][4]["fe_ratio"] > 10


def test_window_binning_insensitive_and_systematics_limit(inputs, window):
    fine = reproduce_table("window", inputs=inputs, n_bins=400)
    big = reproduce_table("window", inputs=inputs, exposure_kg_day=1e13)
    for a, b, c in zip(window["rows"], fine["rows"], big["rows"], strict=True):
        assert b["fe_nuem"] == pytest.approx(a["fe_nuem"], rel=0.03)
        assert c["fe_nuem"] == pytest.approx(a["fe_nuem"], rel=0.03)


def test_multibin_is_optimistic(inputs, window):
    mb = reproduce_table("multibin", inputs=inputs)
    for a, b in zip(window["rows"], mb["rows"], strict=True):
        assert b["fe_nuem"] < a["fe_nuem"]


def test_structure_and_warning_recorded(window):
    assert len(window["rows"]) == len(PUBLISHED)
    assert window["assumptions"]["epa_warning"]
    assert {"row", "fe_nuem", "fe_published", "fe_ratio", "ai_nuem", "ai_published",
            "ai_ratio"} <= set(window["rows"][0])


def test_cli_table(capsys):
    import json

    from nuem.cli.main import main

    assert main(["sensitivity", "--table", "seed003", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert len(out["rows"]) == 6 and "assumptions" in out


def test_unknown_criterion_names_the_parameter(inputs):
    from nuem.exceptions import UnknownNameError
    from nuem.inference.seed003_table import row_limit

    with pytest.raises(UnknownNameError, match="criterion"):
        row_limit(inputs, 10.0, 0.1, True, criterion="best-guess")
