"""``nuem figure``: reproduce figures of the seed papers (PNG and PDF)."""

from __future__ import annotations

from .output import emit_json

NAME = "figure"
FIGURES = ("seed003-fig2",)


def register(sub) -> None:
    p = sub.add_parser(NAME, help="write seed-paper figures (PNG + PDF)",
                       description="seed003-fig2: seed 003 Fig. 2 (Ge, reactor nuebar 1e13 "
                                   "/cm2/s) as published (historical EPA, withdrawn) and with "
                                   "current models (stepping for mu_nu, PAI for delta_Q).")
    p.add_argument("name", choices=FIGURES)
    p.add_argument("--out", required=True, help="output directory")
    p.add_argument("--version", choices=("both", "historical", "modern"), default="both")
    p.add_argument("--json", action="store_true", help="print the written files as JSON")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..plotting.seed003 import VERSIONS, plot_seed003_fig2

    versions = VERSIONS if args.version == "both" else (args.version,)
    files = [f for v in versions for f in plot_seed003_fig2(args.out, v)]
    if args.json:
        emit_json({"figure": args.name, "out": args.out, "files": files})
    else:
        for f in files:
            print(f)
    return 0
