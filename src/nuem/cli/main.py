"""Entry point of the ``nuem`` command: argument parsing and error handling only.

Each sub-command lives in its own module and is a thin layer over the public API. Errors raised
on purpose by nuem (:class:`nuem.exceptions.NuemError`) are printed as one line naming the
parameter and the command exits with status 2; nothing else is caught.
"""

from __future__ import annotations

import argparse
import sys

from .. import __version__
from ..exceptions import NuemError
from . import (
    atomic_cmd,
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
)


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser (one sub-parser per command module)."""
    parser = argparse.ArgumentParser(
        prog="nuem",
        description="Neutrino electromagnetic properties with reactor antineutrinos: "
                    "fluxes, cross sections and event rates.",
    )
    parser.add_argument("--version", action="version", version=f"nuem {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in _COMMANDS:
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the process exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except NuemError as exc:
        print(f"nuem {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into e.g. `head`: stop quietly, as Unix tools do
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
