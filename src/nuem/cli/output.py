"""Shared output helpers of the CLI: JSON for machines, aligned tables for people."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence

from ..exceptions import InvalidParameterError

__all__ = ["emit_json", "print_table", "parse_mapping", "add_json_flag", "warn_deprecated",
           "reproduction_name"]


def emit_json(obj, stream=None) -> None:
    """Write ``obj`` (numpy arrays allowed) as JSON followed by a newline."""
    from ..io.serialize import to_plain  # imports numpy: only when JSON is written

    stream = stream or sys.stdout
    json.dump(to_plain(obj), stream, indent=1, allow_nan=False)
    stream.write("\n")


def print_table(header: Sequence[str], rows: Sequence[Sequence], stream=None,
                fmt: str = "{:.4g}") -> None:
    """Print rows as an aligned plain-text table (numbers formatted with ``fmt``)."""
    stream = stream or sys.stdout
    cells = [[c if isinstance(c, str) else fmt.format(c) for c in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h)
              for i, h in enumerate(header)]
    stream.write("  ".join(h.rjust(w) for h, w in zip(header, widths, strict=True)) + "\n")
    for row in cells:
        stream.write("  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) + "\n")


def parse_mapping(text: str, option: str) -> dict[str, float]:
    """Parse ``"A=0.5,B=0.5"`` into a dict, with errors naming the option."""
    out: dict[str, float] = {}
    for item in filter(None, (p.strip() for p in text.split(","))):
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise InvalidParameterError(f"{option}: {item!r} is not of the form NAME=VALUE")
        try:
            out[key.strip()] = float(value)
        except ValueError as exc:
            raise InvalidParameterError(f"{option}: value {value!r} for {key.strip()!r} is not "
                                        "a number") from exc
    if not out:
        raise InvalidParameterError(f"{option}: empty; expected NAME=VALUE[,NAME=VALUE...]")
    return out


def add_json_flag(parser) -> None:
    """The common ``--json`` flag."""
    parser.add_argument("--json", action="store_true",
                        help="print a JSON object instead of a table")


def warn_deprecated(old: str, new: str, stream=None) -> None:
    """One line on stderr: a deprecated command-line name still works; say what replaces it."""
    stream = stream or sys.stderr
    stream.write(f"nuem: warning: {old!r} is deprecated; use {new!r}\n")


def reproduction_name(kind: str):
    """argparse ``type=`` for a name of :data:`nuem.reproductions.REPRODUCTIONS` of ``kind``
    ("figure" or "table"); deprecated names pass (the command warns), unknown ones are a usage
    error listing the current names."""
    import argparse

    from ..exceptions import UnknownNameError
    from ..reproductions import get_reproduction

    def parse(value: str) -> str:
        try:
            get_reproduction(value, kind)
        except UnknownNameError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
        return value

    parse.__name__ = f"{kind} name"
    return parse
