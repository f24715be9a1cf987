"""``nuem interval``: interval for a Gaussian measurement (or a Poisson count) of a parameter
bounded below by 0, by a method of the registry :mod:`nuem.inference.methods` (Feldman–Cousins,
flat-prior Bayes, CLs, or one registered by user code before the parser is built)."""

from __future__ import annotations

from ..exceptions import InvalidParameterError
from .commands import command_parser
from .output import add_json_flag, emit_json, print_table

NAME = "interval"


def register(sub) -> None:
    from ..inference.methods import METHODS, describe_methods

    cites = "; ".join(f"{m['name']} ({m['citation']})" for m in describe_methods()
                      if m["name"] in METHODS)
    p = command_parser(sub, NAME,
                       description="Interval at --cl for a Gaussian measurement --estimate ± "
                                   "--sigma of a parameter bounded below by 0, or for a Poisson "
                                   "count --counts with known --background. Methods: "
                                   + cites + ".")
    p.add_argument("--estimate", type=float, help="measured value (may be negative)")
    p.add_argument("--sigma", type=float, help="Gaussian standard deviation (> 0)")
    p.add_argument("--counts", type=int, help="observed count (Poisson case, instead of "
                                              "--estimate/--sigma)")
    p.add_argument("--background", type=float, default=0.0,
                   help="known mean background for --counts (default 0)")
    p.add_argument("--cl", type=float, default=0.9, help="confidence level in (0, 1); default 0.9")
    p.add_argument("--method", default="feldman-cousins", choices=METHODS,
                   help="interval construction (default feldman-cousins)")
    add_json_flag(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from ..inference.intervals import gaussian_interval, poisson_interval

    if args.counts is not None:
        if args.estimate is not None or args.sigma is not None:
            raise InvalidParameterError("--counts excludes --estimate/--sigma")
        iv = poisson_interval(args.counts, args.background, args.cl, args.method)
    else:
        if args.estimate is None or args.sigma is None:
            raise InvalidParameterError("give --estimate and --sigma (or --counts)")
        iv = gaussian_interval(args.estimate, args.sigma, args.cl, args.method)
    result = iv.to_dict()
    if args.json:
        emit_json(result)
        return 0
    print_table(["lower", "upper", "cl"], [[iv.lower, iv.upper, iv.cl]])
    print(f"# method {iv.method}")
    return 0
