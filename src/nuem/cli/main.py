"""Entry point of the ``nuem`` command: argument parsing and error handling only.

Each sub-command lives in its own module and is a thin layer over the public API; the
conventions every command shares (numbers, one-line errors, defaults in the help, output paths,
names, warnings) live in :mod:`nuem.cli.args`. Exit status: 0 success; 2 bad input, as one line
``nuem CMD: error: <parameter>: <what is wrong and what is allowed>`` (a usage error, or a
:class:`nuem.exceptions.NuemError` raised on purpose); 130 after Ctrl-C and 128 + N after
signal N (SIGTERM, SIGHUP), as one line, once clean-up (``finally``) has run; 141 when the
output pipe closes. Any other exception is a bug and keeps its traceback.
"""

from __future__ import annotations

import argparse
import sys

from .. import __version__
from ..exceptions import NuemError
from . import (
    atomic_cmd,
    completion_cmd,
    convert_cmd,
    data_cmd,
    experiments_cmd,
    export_cmd,
    figure_cmd,
    flux_cmd,
    interval_cmd,
    limit_cmd,
    rate_cmd,
    report_cmd,
    scan_cmd,
    sensitivity_cmd,
    spectrum_cmd,
    systematics_cmd,
    xsec_cmd,
)
from .args import (
    NuemArgumentParser,
    Terminated,
    element_case,
    plausibility_warnings,
    termination_signals,
    warn,
)

__all__ = ["main", "build_parser"]

_COMMANDS = (
    flux_cmd,
    interval_cmd,
    rate_cmd,
    xsec_cmd,
    experiments_cmd,
    spectrum_cmd,
    report_cmd,
    data_cmd,
    atomic_cmd,
    figure_cmd,
    systematics_cmd,
    limit_cmd,
    sensitivity_cmd,
    scan_cmd,
    convert_cmd,
    export_cmd,
    completion_cmd,
)


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser (one sub-parser per command module)."""
    parser = NuemArgumentParser(
        prog="nuem",
        description="Neutrino electromagnetic properties with reactor antineutrinos: "
                    "fluxes, cross sections and event rates.",
    )
    parser.add_argument("--version", action="version", version=f"nuem {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in _COMMANDS:
        module.register(sub)
    return parser


def _prepare(args) -> None:
    """Conventions applied after parsing and before any work: element symbols in any case,
    warnings for implausible values."""
    if isinstance(getattr(args, "target", None), str):
        args.target = element_case(args.target)
    for message in plausibility_warnings(args):
        warn(message)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the process exit status (module docstring)."""
    name = "nuem"
    try:
        with termination_signals():
            try:
                args = build_parser().parse_args(argv)
            except SystemExit as exc:  # --help, --version, or a one-line usage error
                return exc.code if isinstance(exc.code, int) else int(exc.code is not None) * 2
            name = f"nuem {args.command}"
            _prepare(args)
            return int(args.func(args) or 0)
    except NuemError as exc:
        print(f"{name}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{name}: interrupted (Ctrl-C)", file=sys.stderr)
        return 130
    except Terminated as exc:
        print(f"{name}: stopped by {exc.name}", file=sys.stderr)
        return 128 + exc.signum
    except BrokenPipeError:  # output piped into e.g. `head`: stop quietly, as Unix tools do
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
