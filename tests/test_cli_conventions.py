"""Conventions every command shares (nuem.cli.args): numbers as physicists type them, one-line
errors with exit status 2 and "did you mean", defaults stated in the help of every option,
case-insensitive element symbols, output paths checked before any work, warnings for
implausible input, progress only on a terminal, shell completion, ``python -m nuem``,
``nuem experiments show --toml``."""

import argparse
import json
import os
import subprocess
import sys
import time

import pytest

from nuem.cli import args as cli_args
from nuem.cli.main import build_parser, main


def walk(parser):
    """Every (sub-)parser of the command line."""
    yield parser
    for a in parser._actions:
        if isinstance(a, argparse._SubParsersAction):
            for sp in dict.fromkeys(a.choices.values()):
                yield from walk(sp)


def options(parser):
    skip = (argparse._HelpAction, argparse._VersionAction, argparse._SubParsersAction)
    return [a for a in parser._actions if not isinstance(a, skip)]


def one_line_error(capsys, argv, command="nuem"):
    rc = main(argv)
    err = capsys.readouterr().err
    assert rc == 2, (argv, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"{command}: error: ") and "usage:" not in err
    return lines[0]


# -- numbers --------------------------------------------------------------------------------
def _dummy(action):
    """A valid value for a required option or positional (to reach the option under test)."""
    if action.choices:
        return str(next(iter(action.choices)))
    if action.dest == "name":                       # nuem figure NAME
        from nuem.reproductions import FIGURES
        return FIGURES[0]
    if action.type in (float, int):
        return "1"
    return "x"


def _argv_with(parser, action, value):
    """``parser``'s arguments with ``action`` given ``value`` after a space and every other
    required argument filled in."""
    argv = []
    groups = [g for g in parser._mutually_exclusive_groups if g.required]
    in_group = {id(a) for g in groups for a in g._group_actions}
    for a in options(parser):
        if a is action or not (a.required or not a.option_strings) or id(a) in in_group:
            continue
        if a.option_strings:
            argv += [a.option_strings[0], _dummy(a)]
        elif a.nargs != "?":
            argv.insert(0, _dummy(a))
    for g in groups:
        if action not in g._group_actions:
            first = g._group_actions[0]
            argv += [first.option_strings[0], _dummy(first)]
    return [*argv, action.option_strings[0], value]


def numeric_options():
    out = []
    for p in walk(build_parser()):
        for a in options(p):
            if a.option_strings and a.type in (float, int):
                out.append(pytest.param(p, a, id=f"{p.prog[5:]} {a.option_strings[0]}"))
    return out


@pytest.mark.parametrize(("parser", "action"), numeric_options())
def test_every_numeric_option_takes_a_signed_exponent_after_a_space(parser, action):
    # the reported failure: `--delta-q -1e-12` was taken for an unknown option
    text, expect = ("-1.5e-12", -1.5e-12) if action.type is float else ("-2e3", -2000)
    argv = _argv_with(parser, action, text)
    words = parser.prog.split()[1:]
    ns = build_parser().parse_args([*words, *argv])
    value = getattr(ns, action.dest)
    assert (value[0] if isinstance(value, list) else value) == expect


def test_numeric_options_exist_in_every_number_taking_command():
    names = {p.values[0].prog for p in numeric_options()}
    assert {"nuem rate", "nuem xsec", "nuem interval", "nuem spectrum", "nuem report",
            "nuem sensitivity", "nuem limit", "nuem scan", "nuem flux"} <= names


@pytest.mark.parametrize(("text", "value"), [
    ("-1e-12", -1e-12), ("6.4E12", 6.4e12), ("-.5", -0.5), ("1.", 1.0), ("+3", 3.0),
    ("\u22121e-32", -1e-32), (" 12 ", 12.0), ("1_000", 1000.0)])
def test_number_notations(text, value):
    assert cli_args.number(text) == value


@pytest.mark.parametrize("text", ["nan", "-inf", "1e400", "abc", "1,5", ""])
def test_number_refuses_non_finite_and_non_numbers(text):
    with pytest.raises(argparse.ArgumentTypeError):
        cli_args.number(text)


def test_integers_in_float_notation():
    assert cli_args.integer("2e3") == 2000 and cli_args.integer("-4") == -4
    with pytest.raises(argparse.ArgumentTypeError, match="not an integer"):
        cli_args.integer("2.5")


def test_seeds_are_whole_numbers_from_zero():
    assert cli_args.seed("0") == 0 and cli_args.seed("1e3") == 1000
    with pytest.raises(argparse.ArgumentTypeError, match="not a seed"):
        cli_args.seed("-1")


@pytest.mark.parametrize("argv", [
    ["sensitivity", "--experiment", "texono-hpge", "--method", "toys", "--n-toys", "100"],
    ["limit", "--experiment", "xenonnt-2022", "--data",
     "tests/data/xenonnt_2022_er/data_unbinned_1to30kev.txt", "--data-format", "events",
     "--background-file", "tests/data/xenonnt_2022_er/bkg_model.txt", "--background-unit",
     "events/(t yr keV)", "--method", "feldman-cousins"],
    ["scan", "--threshold-kev", "1", "--background-cpkkd", "1", "--exposure-kg-day", "100",
     "--method", "toys"]])
def test_negative_seed_is_one_line_error(capsys, argv):
    # numpy's generators raise ValueError on a negative seed: a traceback before the type
    assert main([*argv, "--seed", "-1"]) == 2
    err = capsys.readouterr().err
    assert "--seed: '-1' is not a seed" in err and err.count("\n") == 1, err


def test_signed_values_reach_the_physics(capsys):
    # the three command lines of the report that failed with "expected one argument"
    assert main(["interval", "--estimate", "-1e-3", "--sigma", "1e-3", "--json"]) == 0
    iv = json.loads(capsys.readouterr().out)
    assert iv["lower"] == 0.0 and 0 < iv["upper"] < 1e-3       # FC: an upper limit
    assert main(["rate", "--flux-cm2-s", "1e13", "--t-kev", "1", "--delta-q", "-1e-12",
                 "--r2-cm2", "-1e-32", "--json"]) == 0
    p = json.loads(capsys.readouterr().out)["parameters"]
    assert p["delta_q"] == -1e-12 and p["r2_cm2"] == -1e-32
    assert main(["xsec", "--channel", "millicharge", "--enu-mev", "1", "--t-kev", "-1e-3",
                 "2"]) == 2                                     # a value, refused by the physics
    assert "t_kev" in capsys.readouterr().err


# -- errors ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("argv", "command", "needle"), [
    (["flux", "--distance-m", "28"], "nuem flux", "--power-gw"),                 # missing
    (["flux", "--power-gw", "abc", "--distance-m", "28"], "nuem flux", "'abc' is not a number"),
    (["flux", "--power-gw", "nan", "--distance-m", "28"], "nuem flux", "not a finite number"),
    (["rate", "--flux-cm2-s", "1e13", "--t-kev", "1", "--delta-q"], "nuem rate",
     "--delta-q: expected one argument"),
    (["rate", "--t-kev", "1"], "nuem rate", "--flux-cm2-s | --power-gw"),
    (["flux", "--power-gw", "1", "--distance-m", "2", "3"], "nuem flux", "'3': unexpected"),
    (["scan", "--n-bins", "2.5"], "nuem scan", "--n-bins: '2.5' is not an integer"),
    (["interval", "--method", "fc"], "nuem interval", "--method: 'fc' is not a known choice"),
    ([], "nuem", "COMMAND: required"),
    (["convert", "r2-from-sin2w", "--sin2w", "0.25"], "nuem convert r2-from-sin2w", "--sigma"),
])
def test_usage_errors_are_one_line_with_status_2(capsys, argv, command, needle):
    line = one_line_error(capsys, argv, command)
    assert needle in line


@pytest.mark.parametrize(("argv", "command", "suggestion"), [
    (["rate", "--flux-cm2-s", "1e13", "--t-kev", "1", "--detla-q", "1"], "nuem rate",
     "'--delta-q'"),
    (["flx"], "nuem", "'flux'"),
    (["rate", "--flux-cm2-s", "1e13", "--t-kev", "1", "--atomic", "stepin"], "nuem rate",
     "'stepping'"),
    (["spectrum", "--experiment", "texono-hpg"], "nuem spectrum", "'texono-hpge'"),
    (["rate", "--target", "Gee", "--flux-cm2-s", "1e13", "--t-kev", "1"], "nuem rate", "'Ge'"),
    (["rate", "--target", "germanum", "--flux-cm2-s", "1e13", "--t-kev", "1"], "nuem rate",
     "'germanium'"),
])
def test_did_you_mean(capsys, argv, command, suggestion):
    line = one_line_error(capsys, argv, command)
    assert f"did you mean {suggestion}?" in line


def test_no_suggestion_for_a_name_far_from_every_choice(capsys):
    line = one_line_error(capsys, ["qqqqqq"])
    assert "did you mean" not in line and "allowed: flux" in line


def test_help_still_prints_usage(capsys):
    assert main(["flux", "--help"]) == 0
    assert capsys.readouterr().out.startswith("usage: nuem flux")
    assert main(["--version"]) == 0


# -- names ----------------------------------------------------------------------------------
@pytest.mark.parametrize(("typed", "symbol"), [("ge", "Ge"), ("GE", "Ge"), ("xe", "Xe"),
                                               ("Ge", "Ge"), ("CO", "CO"), ("csi", "csi"),
                                               ("ge74", "Ge74")])
def test_element_case(typed, symbol):
    assert cli_args.element_case(typed) == symbol


def test_target_in_lower_case_gives_the_same_rates(capsys):
    argv = ["rate", "--flux-cm2-s", "1e13", "--t-kev", "2", "--mu-nu", "1e-11", "--json"]
    outs = []
    for t in ("ge", "Ge"):
        assert main([*argv, "--target", t]) == 0
        outs.append(json.loads(capsys.readouterr().out))
    assert outs[0]["components"] == outs[1]["components"]
    assert outs[0]["parameters"]["target"] == "Ge"


# -- help -----------------------------------------------------------------------------------
def test_every_option_has_help_and_states_its_default():
    missing = []
    for p in walk(build_parser()):
        fmt = p._get_formatter()
        for a in options(p):
            text = fmt._get_help_string(a) or ""
            if not text.strip():
                missing.append(f"{p.prog} {a.option_strings or a.dest}: no help")
            elif (a.option_strings and not a.required and a.nargs != 0
                  and "default" not in text.lower()):
                missing.append(f"{p.prog} {a.option_strings[0]}: default not stated")
    assert not missing, "\n".join(missing)


def test_unset_table_names_existing_options_only():
    # the table of "what leaving an option out means" lives apart from the options: no stale rows
    opts = {(tuple(p.prog.split()[1:]), o) for p in walk(build_parser()) for a in options(p)
            for o in a.option_strings}
    for key in cli_args.UNSET:
        *cmd, opt = key.split()
        assert any(o == opt and words[:len(cmd)] == tuple(cmd) for words, o in opts), key


def test_help_shows_the_default_value(capsys):
    assert main(["sensitivity", "--help"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "(default: asimov)" in out and "(default: mu-nu)" in out
    assert "the generic detector's 1 kg" in out                 # from GENERIC_ASSUMPTIONS


# -- output paths ---------------------------------------------------------------------------
@pytest.mark.parametrize(("argv", "needle"), [
    (["report", "--experiment", "texono-hpge", "--out", "{file}/sub"], "is a file"),
    (["report", "--experiment", "texono-hpge", "--out", "/proc/nuem-report"], "/proc"),
    (["figure", "wong-li-2005-fig4", "--out", "/sys/x"], "/sys"),
    (["scan", "--out", "{file}/x.csv"], "is a file"),
    (["scan", "--plot", "{dir}"], "is a directory"),
    (["report", "--experiment", "texono-hpge", "--out", "{file}"], "not a directory"),
])
def test_output_paths_checked_before_any_work(capsys, tmp_path, argv, needle):
    f = tmp_path / "afile"
    f.write_text("mine")
    argv = [a.format(file=f, dir=tmp_path) for a in argv]
    t0 = time.perf_counter()
    line = one_line_error(capsys, argv, f"nuem {argv[0]}")
    assert needle in line and time.perf_counter() - t0 < 5.0
    assert f.read_text() == "mine" and sorted(p.name for p in tmp_path.iterdir()) == ["afile"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_output_in_a_read_only_directory(capsys, tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir(mode=0o555)
    line = one_line_error(capsys, ["scan", "--out", str(ro / "x.csv")], "nuem scan")
    assert "not writable" in line


# -- warnings and progress ------------------------------------------------------------------
def test_implausible_input_is_warned_about_and_still_used(capsys):
    assert main(["flux", "--power-gw", "30", "--distance-m", "0.5", "--json"]) == 0
    cap = capsys.readouterr()
    warnings = [ln for ln in cap.err.splitlines() if ln.startswith("nuem: warning:")]
    assert len(warnings) == 2 and "--power-gw 30" in warnings[0] and "--distance-m" in cap.err
    out = json.loads(cap.out)
    assert out["power_gw"] == 30 and out["distance_m"] == 0.5


def test_plausible_input_gives_no_warning(capsys):
    assert main(["flux", "--power-gw", "2.9", "--distance-m", "28"]) == 0
    assert capsys.readouterr().err == ""


class _Stream:
    def __init__(self, tty):
        self.tty = tty

    def isatty(self):
        return self.tty


def test_progress_only_on_a_terminal():
    assert cli_args.progress_wanted(False, _Stream(True))
    assert not cli_args.progress_wanted(False, _Stream(False))
    assert not cli_args.progress_wanted(True, _Stream(True))
    assert not cli_args.progress_wanted(False, object())


def test_scan_progress_bar_on_a_terminal_only(capsys, monkeypatch):
    argv = ["scan", "--threshold-kev", "0.5", "1", "--executor", "serial", "--json"]
    assert main(argv) == 0
    assert "\r" not in capsys.readouterr().err                   # a log file stays clean
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)   # a terminal
    assert main(argv) == 0
    assert "2/2 points" in capsys.readouterr().err


# -- entry points and completion ------------------------------------------------------------
def test_python_m_nuem():
    r = subprocess.run([sys.executable, "-m", "nuem", "flux", "--power-gw", "2.9",
                        "--distance-m", "28", "--json"], capture_output=True, text=True)
    assert r.returncode == 0 and json.loads(r.stdout)["flux_cm2_s"] > 6e12


@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_completion_script(capsys, shell):
    pytest.importorskip("shtab")
    assert main(["completion", shell]) == 0
    script = capsys.readouterr().out
    for word in ("sensitivity", "--threshold-kev", "--experiment", "mu-nu"):
        assert word in script
    if shell == "bash":
        r = subprocess.run(["bash", "-n"], input=script, capture_output=True, text=True)
        assert r.returncode == 0, r.stderr                      # valid bash syntax


def test_completion_without_shtab_is_one_line(capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "shtab", None)
    line = one_line_error(capsys, ["completion", "bash"], "nuem completion")
    assert "pip install" in line


# -- experiments show --toml ----------------------------------------------------------------
def preset_ids():
    from nuem.experiments import preset_ids as ids
    return ids()


@pytest.mark.parametrize("preset", preset_ids())
def test_experiments_show_toml_is_a_file_to_copy(capsys, tmp_path, preset):
    from nuem.experiments import get_experiment, load_experiment

    assert main(["experiments", "show", preset, "--toml"]) == 0
    f = tmp_path / "mine.toml"
    f.write_text(capsys.readouterr().out)
    assert load_experiment(f).values == get_experiment(preset).values


def test_edited_toml_copy_is_used(capsys, tmp_path):
    assert main(["experiments", "show", "gemma", "--toml"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("# Experiment file from nuem preset 'gemma'")
    f = tmp_path / "mine.toml"
    f.write_text(text.replace("mass_kg = { value = 1.5,", "mass_kg = { value = 6.0,"))
    med = []
    for argv in (["--experiment", "gemma"], ["--experiment-file", str(f)]):
        assert main(["sensitivity", *argv, "--json"]) == 0
        med.append(json.loads(capsys.readouterr().out)["median"])
    # 4x the exposure: mu_nu limit ~ exposure^(-1/4) when background-dominated (Wong & Li,
    # Mod. Phys. Lett. A 20, 1103 (2005), Eq. 10), faster when signal matters: between 1/2 and 1
    assert 0.5 < med[1] / med[0] < 4 ** -0.25 + 0.02
    assert main(["experiments", "show", "--experiment-file", str(f), "--toml"]) == 0
    assert capsys.readouterr().out.count("# Experiment file from") == 1


def test_toml_and_json_are_exclusive(capsys):
    one_line_error(capsys, ["experiments", "show", "gemma", "--toml", "--json"],
                   "nuem experiments")
