"""Lazy command registration: the top-level parser lists every command from light metadata
(nuem.cli.commands.COMMANDS) without importing the command modules or the numerical stack, and
the command being run builds only its own sub-parser."""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys

import pytest

from nuem.cli import commands
from nuem.cli.main import build_parser

CLI_DIR = pathlib.Path(commands.__file__).parent


def _run_python(code: str) -> str:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=120)
    return out.stdout


def _subparsers(parser):
    return next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")


def test_every_command_module_is_in_the_table():
    modules = {p.stem for p in CLI_DIR.glob("*_cmd.py")}
    assert modules == {m for m, _ in commands.COMMANDS.values()}


def test_table_help_is_the_modules_help():
    # The one-line help of `nuem --help` comes from the table, and every module registers its
    # sub-parser through command_parser (which reads it there): the full parser and the lazy
    # one list the same text, written once.
    for path in CLI_DIR.glob("*_cmd.py"):
        text = path.read_text()
        assert "command_parser(sub, NAME" in text and "sub.add_parser(NAME" not in text, path
    full = {a.dest: a.help for a in _subparsers(build_parser())._choices_actions}
    assert full == {name: help_ for name, (_, help_) in commands.COMMANDS.items()}
    lazy = {a.dest: a.help for a in _subparsers(build_parser(load=()))._choices_actions}
    assert lazy == full


def test_top_level_parser_imports_no_command_module_and_no_numpy():
    out = _run_python(
        "import sys, json\n"
        "from nuem.cli.main import build_parser\n"
        "p = build_parser(load=())\n"
        "help_text = p.format_help()\n"
        "mods = [m for m in sys.modules if m.endswith('_cmd') or m.split('.')[0] in "
        "('numpy', 'scipy', 'matplotlib')]\n"
        "print(json.dumps({'mods': mods, 'help': help_text}))\n")
    res = json.loads(out)
    assert res["mods"] == []
    for name in commands.COMMANDS:
        assert name in res["help"]


def test_full_parser_imports_neither_scipy_nor_matplotlib():
    # every register() stays light: option parsing never pulls the heavy stack
    out = _run_python("import sys\nfrom nuem.cli.main import build_parser\nbuild_parser()\n"
                      "print(sorted({m.split('.')[0] for m in sys.modules} & "
                      "{'scipy', 'matplotlib', 'iminuit', 'dask'}))")
    assert out.strip() == "[]"


def test_flux_command_imports_only_what_it_needs():
    out = _run_python(
        "import sys, io, contextlib\n"
        "from nuem.cli.main import main\n"
        "buf = io.StringIO()\n"
        "with contextlib.redirect_stdout(buf):\n"
        "    rc = main(['flux', '--power-gw', '2.9', '--distance-m', '28', '--json'])\n"
        "cmds = sorted(m for m in sys.modules if m.endswith('_cmd'))\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'scipy', 'matplotlib'})\n"
        "print(rc, cmds, heavy)\n")
    assert out.strip() == "0 ['nuem.cli.flux_cmd'] []"


@pytest.mark.parametrize("argv, expected", [
    (["flux", "--power-gw", "1"], "flux"),
    (["--version"], None),
    (["--help"], None),
    (["nonsense"], None),
    (["--", "flux"], None),
    ([], None),
])
def test_find_command(argv, expected):
    assert commands.find_command(argv) == expected


def test_unknown_command_is_a_usage_error_listing_the_commands(capsys):
    from nuem.cli.main import main

    assert main(["fluxx"]) == 2
    err = capsys.readouterr().err
    assert "'fluxx' is not a known command" in err and "did you mean 'flux'" in err


def test_command_help_still_lists_its_options(capsys):
    from nuem.cli.main import main

    assert main(["flux", "--help"]) == 0
    assert "--power-gw" in capsys.readouterr().out


@pytest.mark.parametrize("preset, expected", [(None, "1"), ("3", "3")])
def test_command_line_runs_blas_on_one_thread_unless_set(preset, expected):
    """The ``nuem`` entry point sets the BLAS thread variables to 1 before numpy loads (small
    matrices: threads only cost CPU), and keeps a value the user set."""
    import os
    import subprocess
    import sys

    from nuem.cli.main import BLAS_THREAD_VARIABLES

    env = {k: v for k, v in os.environ.items() if k not in BLAS_THREAD_VARIABLES}
    if preset is not None:
        env["OPENBLAS_NUM_THREADS"] = preset
    code = ("import os, sys; from nuem.cli.main import main; main(['--version']); "
            "print(os.environ['OPENBLAS_NUM_THREADS'], os.environ['OMP_NUM_THREADS'], "
            "'numpy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         check=True).stdout.split()
    assert out[-3:] == [expected, "1", "False"]


def test_command_line_gc_threshold_raised_inside_and_restored():
    """The collector's young-generation threshold is raised for the command (matplotlib's
    artists made it run ~400 times in a report) and restored afterwards, also on errors."""
    import gc

    from nuem.cli.main import GC_THRESHOLD0, _command_line_gc, main

    before = gc.get_threshold()
    with _command_line_gc():
        assert gc.get_threshold() == (max(GC_THRESHOLD0, before[0]), *before[1:])
    assert gc.get_threshold() == before
    with pytest.raises(RuntimeError), _command_line_gc(50_000):
        assert gc.get_threshold()[0] == 50_000
        raise RuntimeError
    assert gc.get_threshold() == before
    assert main(["flux", "--power-gw", "2.9", "--distance-m", "28", "--json"]) == 0
    assert gc.get_threshold() == before
