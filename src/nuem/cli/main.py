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
from .commands import add_commands, find_command

__all__ = ["main", "build_parser"]


def build_parser(load=None) -> argparse.ArgumentParser:
    """The argument parser: one sub-parser per command (:data:`nuem.cli.commands.COMMANDS`).

    ``load``: names of the commands whose full sub-parsers are built (``None``: all); the
    others are listed with their help line only and their modules are not imported.
    """
    parser = argparse.ArgumentParser(
        prog="nuem",
        description="Neutrino electromagnetic properties with reactor antineutrinos: "
                    "fluxes, cross sections and event rates.",
    )
    parser.add_argument("--version", action="version", version=f"nuem {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    add_commands(sub, load)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the process exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    command = find_command(argv)
    parser = build_parser(load=() if command is None else (command,))
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
