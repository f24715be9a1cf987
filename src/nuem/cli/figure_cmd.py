"""``nuem figure``: reproduce figures of published papers (PNG and PDF).

The figures and their names come from :data:`nuem.reproductions.REPRODUCTIONS`.
"""

from __future__ import annotations

from ..exceptions import InvalidParameterError
from ..reproductions import FIGURES, get_reproduction, resolve_name
from .args import output_dir
from .commands import command_parser
from .output import emit_json, reproduction_name, warn_deprecated

NAME = "figure"


def register(sub) -> None:
    from ..references import cite

    lines = []
    for name in FIGURES:
        r = get_reproduction(name)
        lines.append(f"{name}: {r.item} of {cite(r.reference)} -- {r.description}.")
    p = command_parser(sub, NAME, description=" ".join(lines))
    p.add_argument("name", type=reproduction_name("figure"), metavar="NAME",
                   help=f"one of: {', '.join(FIGURES)}")
    p.add_argument("--out", required=True, type=output_dir, help="output directory")
    p.add_argument("--version", choices=("both", "historical", "modern"), default="both",
                   help="variant of a figure that has several (default: all of them)")
    p.add_argument("--json", action="store_true", help="print the written files as JSON")
    p.set_defaults(func=run)


def run(args) -> int:
    name, old = resolve_name(args.name)
    if old is not None:
        warn_deprecated(old, name)
    rep = get_reproduction(name, "figure")
    if args.version == "both":
        versions = rep.versions
    elif args.version in rep.versions:
        versions = (args.version,)
    else:
        raise InvalidParameterError(f"--version {args.version}: {name} has no variants; "
                                    "omit --version")
    plot = rep.load()
    files = [f for v in versions for f in plot(args.out, v)]
    if args.json:
        emit_json({"figure": name, "out": args.out, "files": files})
    else:
        for f in files:
            print(f)
    return 0
