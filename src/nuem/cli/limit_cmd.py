"""``nuem limit``: upper limit on μν, δQ or ⟨r²⟩ from a measured spectrum and an experiment
(:func:`nuem.inference.limits.limit_from_data`): ON−OFF χ² fit + FC/Bayes/CLs interval, or the
binned-Poisson method for ON-only data."""

from __future__ import annotations

from ..exceptions import InvalidParameterError
from .output import add_json_flag, emit_json, print_table

NAME = "limit"


def register(sub) -> None:
    p = sub.add_parser(NAME, help="upper limit from a measured spectrum",
                       description="Upper limit from measured data (--data, any nuem.io format: "
                                   "on_counts/off_counts table, counts/cpkkd table, EXCESS Ge "
                                   "files) with the experiment's flux, response and window. "
                                   "--method binned-poisson for ON-only data (seed 003 II).")
    p.add_argument("--experiment", help="preset id (nuem experiments list)")
    p.add_argument("--experiment-file", help="experiment TOML file")
    p.add_argument("--data", required=True, help="measured spectrum file")
    p.add_argument("--param", default="mu-nu", choices=("mu-nu", "delta-q", "r2"))
    p.add_argument("--method", default="feldman-cousins",
                   choices=("feldman-cousins", "bayes", "cls", "binned-poisson"))
    p.add_argument("--cl", type=float, default=0.9, help="confidence level in (0, 1)")
    p.add_argument("--atomic", help="atomic model (free, stepping, epa, ...)")
    p.add_argument("--trials", default="none", choices=("none", "sidak", "bonferroni"),
                   help="binned-poisson: CL per bin (default none, as published)")
    p.add_argument("--flux-cm2-s", type=float, default=None,
                   help="override the experiment's total flux, cm^-2 s^-1")
    add_json_flag(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from ..experiments import get_experiment, load_experiment
    from ..inference.limits import limit_from_data
    from ..inference.sensitivity import hypothetical_experiment

    if bool(args.experiment) == bool(args.experiment_file):
        raise InvalidParameterError("give exactly one of --experiment and --experiment-file")
    exp = (get_experiment(args.experiment) if args.experiment
           else load_experiment(args.experiment_file))
    if args.flux_cm2_s is not None:
        exp = hypothetical_experiment(exp, flux_cm2_s=args.flux_cm2_s)
    r = limit_from_data(exp, args.data, param=args.param, method=args.method, cl=args.cl,
                        atomic=args.atomic, trials=args.trials)
    if args.json:
        emit_json(r.to_dict())
        return 0
    bf = "-" if r.best_fit is None else f"{r.best_fit:.4g}±{r.best_fit_error:.3g}"
    print_table(["param", "best_fit", "upper_limit", "cl"], [[r.param, bf, r.upper_limit, r.cl]])
    print(f"# unit {r.unit}; method {r.method}; experiment {exp.id}")
    return 0
