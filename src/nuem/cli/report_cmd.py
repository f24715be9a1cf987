"""``nuem report``: HTML report (page + PNG figures, PDF on request, + summary.json)."""

from __future__ import annotations

import sys

from .args import output_dir, progress_wanted
from .commands import command_parser
from .output import add_json_flag, emit_json

NAME = "report"


def register(sub) -> None:
    p = command_parser(sub, NAME,
                       description="Write an HTML report for an experiment preset into DIR "
                                   "(atomically; DIR must be new, empty or a previous nuem "
                                   "report unless --force). Progress goes to stderr when it "
                                   "is a terminal.")
    p.add_argument("--experiment", required=True,
                   help="preset id (nuem experiments list) or path to an experiment .toml")
    p.add_argument("--out", required=True, metavar="DIR", type=output_dir,
                   help="output directory")
    p.add_argument("--mu-nu", type=float, default=1e-10,
                   help="magnetic moment of the signal, mu_B (default 1e-10)")
    p.add_argument("--delta-q", type=float, default=0.0, help="millicharge, units of e")
    p.add_argument("--r2-cm2", type=float, default=0.0, help="charge radius <r^2>, cm^2")
    p.add_argument("--data", metavar="FILE", default=None,
                   help="measured spectrum (any nuem.io format): ON/OFF data are drawn over "
                        "the expected spectra and give the limit from the data; any spectrum "
                        "is shown with its X-ray lines")
    from ..inference.methods import LIMIT_METHODS
    from ..inference.sensitivity import PARAMS
    from .limit_cmd import _NUISANCES as NUISANCE_OPTIONS

    p.add_argument("--param", default="mu-nu", choices=PARAMS,
                   help="parameter of the limits (default mu-nu)")
    p.add_argument("--method", default="feldman-cousins", choices=LIMIT_METHODS,
                   help="statistical method of the limit from the data (default "
                        "feldman-cousins; the expected limit uses it when it takes Gaussian "
                        "intervals)")
    p.add_argument("--cl", type=float, default=0.9, help="confidence level (default 0.9)")
    p.add_argument("--joint-poisson", action="store_true",
                   help="limit from ON/OFF data with the joint Poisson likelihood instead of "
                        "the Gaussian ON-OFF residual")
    for dest, text in NUISANCE_OPTIONS:
        p.add_argument("--" + dest.replace("_", "-"), dest=dest, type=float, default=0.0,
                       help=text + " (limit from the data; default 0 = off)")
    p.add_argument("--pdf", action="store_true",
                   help="also write vector PDF copies of the figures (the page shows the PNG "
                        "ones; drawing each figure a second time about doubles the report's "
                        "time; default: PNG only)")
    p.add_argument("--workers", type=int, default=None,
                   help="processes that draw the figures (default: the CPUs available to this "
                        "process, at most one per figure; 1: draw them one after the other "
                        "in this process; the files are the same)")
    p.add_argument("--force", action="store_true",
                   help="replace DIR even if it is not empty and not a nuem report")
    p.add_argument("--quiet", action="store_true",
                   help="no progress messages (written to stderr only when it is a terminal)")
    add_json_flag(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from ..report import build_report

    def progress(msg):
        print(f"nuem report: {msg}", file=sys.stderr, flush=True)

    from .limit_cmd import _NUISANCES as NUISANCE_OPTIONS

    summary = build_report(args.out, experiment=args.experiment, mu_nu=args.mu_nu,
                           delta_q=args.delta_q, r2_cm2=args.r2_cm2, force=args.force,
                           data_file=args.data,
                           progress=progress if progress_wanted(args.quiet) else None,
                           param=args.param, method=args.method, cl=args.cl,
                           joint_poisson=args.joint_poisson,
                           formats=("png", "pdf") if args.pdf else ("png",),
                           nuisances={d: getattr(args, d) for d, _ in NUISANCE_OPTIONS},
                           workers=args.workers)
    result = {"out": str(args.out), "index_html": "index.html", "summary_json": "summary.json",
              "figures": sorted(summary["figures"]), "timing_s": summary["timing_s"],
              "experiment": summary["experiment"].get("id"),
              "signal_over_sigma": summary["residual"]["signal_over_sigma"],
              "expected_limit": ((summary["limits"].get("expected") or {}).get("result")
                                 or {}).get("median"),
              "data_limit": (((summary["limits"].get("data") or {}).get("limit") or {})
                             .get("upper_limit"))}
    if args.json:
        emit_json(result)
    else:
        print(f"report written to {args.out}/index.html ({summary['timing_s']:.1f} s)")
    return 0
