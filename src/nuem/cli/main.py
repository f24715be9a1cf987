"""Entry point of the ``nuem`` command: argument parsing and error handling only.

Each sub-command lives in its own module and is a thin layer over the public API, registered
lazily from the light table :data:`nuem.cli.commands.COMMANDS` (only the command being run is
imported, so ``nuem --help`` imports no numpy); the
conventions every command shares (numbers, one-line errors, defaults in the help, output paths,
names, warnings) live in :mod:`nuem.cli.args`. Exit status: 0 success; 2 bad input, as one line
``nuem CMD: error: <parameter>: <what is wrong and what is allowed>`` (a usage error, or a
:class:`nuem.exceptions.NuemError` raised on purpose); 130 after Ctrl-C and 128 + N after
signal N (SIGTERM, SIGHUP), as one line, once clean-up (``finally``) has run; 141 when the
output pipe closes. Any other exception is a bug and keeps its traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys

from .. import __version__
from ..exceptions import NuemError
from .args import (
    NuemArgumentParser,
    Terminated,
    element_case,
    plausibility_warnings,
    termination_signals,
    warn,
)
from .commands import add_commands, find_command

__all__ = ["main", "build_parser"]

#: Thread-count variables of the BLAS libraries numpy and scipy are built with (OpenBLAS, MKL,
#: OpenMP), set to 1 by the command line unless the user has set them (:func:`_one_blas_thread`).
BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS")


def build_parser(load=None) -> argparse.ArgumentParser:
    """The argument parser: one sub-parser per command (:data:`nuem.cli.commands.COMMANDS`).

    ``load``: names of the commands whose full sub-parsers are built (``None``: all); the
    others are listed with their help line only and their modules are not imported.
    """
    parser = NuemArgumentParser(
        prog="nuem",
        description="Neutrino electromagnetic properties with reactor antineutrinos: "
                    "fluxes, cross sections and event rates.",
    )
    parser.add_argument("--version", action="version", version=f"nuem {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    add_commands(sub, load)
    return parser


def _prepare(args) -> None:
    """Conventions applied after parsing and before any work: element symbols in any case,
    warnings for implausible values."""
    if isinstance(getattr(args, "target", None), str):
        args.target = element_case(args.target)
    for message in plausibility_warnings(args):
        warn(message)


def _one_blas_thread(environ=os.environ) -> None:
    """Run BLAS on one thread in the command line, unless the user set the thread count.

    nuem's matrices are small (response matrices of at most a few thousand bins, fits of a few
    parameters): a multi-threaded BLAS gains nothing on them, while its threads cost their
    start-up and spin-waiting after every call (~0.4 s of CPU in ``nuem report``, ~15 % of the
    command). The variables are read when numpy loads BLAS, so this acts only before numpy is
    imported (always, for the ``nuem`` command, whose start-up imports no numpy); worker
    processes inherit them (as ``dask.distributed`` sets them for its workers anyway).
    """
    if "numpy" in sys.modules:
        return
    for name in BLAS_THREAD_VARIABLES:
        environ.setdefault(name, "1")


#: Allocations between two young-generation collections in the command line (Python's default
#: is 700; see :func:`_command_line_gc`).
GC_THRESHOLD0 = 20_000


@contextlib.contextmanager
def _command_line_gc(threshold0: int = GC_THRESHOLD0):
    """Inside: the cyclic garbage collector's young-generation threshold raised to
    ``threshold0`` allocations; the previous thresholds are restored on exit.

    With Python's default (700) the collector runs about 400 times during ``nuem report``, each
    time over the young objects of matplotlib's artists, ticks and texts (0.19 s of CPU, ~9 %
    of the command); at 20 000 it runs about 15 times (0.06 s). Reference counting frees
    everything that is not in a cycle as before, and a young generation of 20 000 objects is a
    few MB at most, so the memory high-water mark does not change measurably.
    """
    old = gc.get_threshold()
    gc.set_threshold(max(threshold0, old[0]), *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the process exit status (module docstring)."""
    _one_blas_thread()
    name = "nuem"
    argv = sys.argv[1:] if argv is None else list(argv)
    command = find_command(argv)       # only that command's module is imported
    try:
        with termination_signals(), _command_line_gc():
            try:
                args = build_parser(load=() if command is None else (command,)).parse_args(argv)
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
