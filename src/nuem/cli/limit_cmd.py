"""``nuem limit``: upper limit on μν, δQ or ⟨r²⟩ from a measured spectrum and an experiment
(:func:`nuem.inference.limits.limit_from_data`): the data's likelihood model (Gaussian ON−OFF
residual, or joint ON/OFF Poisson with ``--joint-poisson``, or ON-only counts) with its
Gaussian-constrained nuisance parameters (flux normalisation, cross-section model, OFF
normalisation, background tilt, energy scale) profiled; best fit ± stat ± syst and χ²/dof as in
Wong, Li, Lin, PRL 105, 061801 (2010); the interval from a method of the registry
:mod:`nuem.inference.methods` (Feldman–Cousins, Bayes, CLs on the fit; binned-Poisson for
ON-only data; user-registered methods)."""

from __future__ import annotations

from ..exceptions import InvalidParameterError
from . import footer
from .output import add_json_flag, emit_json, print_table
from .rate_cmd import add_couplings_option, add_off_model_options, add_r2_convention_option

NAME = "limit"
#: Gaussian-constrained nuisances of the fit (keyword of limit_from_data, help text).
_NUISANCES = (
    ("flux_norm_sigma", "relative flux-normalisation uncertainty, Gaussian nuisance on the "
                        "signal; reactors typically 0.03-0.05"),
    ("xsec_sigma", "relative cross-section-model uncertainty, Gaussian nuisance on the signal; "
                   "Wong et al., PRL 105, 061801 (2010) used 0.20 for their EPA AI model"),
    ("onoff_syst", "relative OFF-normalisation uncertainty of the ON-OFF subtraction "
                   "(ON/OFF data only)"),
    ("escale_sigma", "relative energy-scale uncertainty, Gaussian nuisance acting on the "
                     "signal and SM templates to first order, e.g. 0.01"),
    ("bkg_tilt_sigma", "background-shape uncertainty: linear tilt of the subtracted OFF "
                       "spectrum, +-sigma at the window ends (ON/OFF data)"),
)


def register(sub) -> None:
    from ..inference.binned_poisson import TRIALS
    from ..inference.methods import LIMIT_METHODS
    from ..inference.sensitivity import PARAMS

    p = sub.add_parser(NAME, help="upper limit from a measured spectrum",
                       description="Upper limit from measured data (--data, any nuem.io format: "
                                   "on_counts/off_counts table, residual_cpkkd+sigma_cpkkd "
                                   "(or residual_counts+sigma_counts) ON-OFF residual, "
                                   "counts/cpkkd table, EXCESS Ge files) with the "
                                   "experiment's flux, response and window. "
                                   "--method binned-poisson for ON-only data (Wong et al., "
                                   "PRL 105, 061801 (2010), analysis II).")
    p.add_argument("--experiment", help="preset id (nuem experiments list)")
    p.add_argument("--experiment-file", help="experiment TOML file")
    p.add_argument("--data", required=True, help="measured spectrum file")
    p.add_argument("--param", default="mu-nu", choices=PARAMS,
                   help="parameter constrained: mu-nu (mu_B), delta-q (e) or r2 (cm^2)")
    p.add_argument("--method", default="feldman-cousins", choices=LIMIT_METHODS,
                   help="statistical method (nuem.inference.methods registry)")
    p.add_argument("--cl", type=float, default=0.9, help="confidence level in (0, 1)")
    p.add_argument("--atomic", help="atomic model (free, stepping, epa, ...)")
    p.add_argument("--trials", default="none", choices=TRIALS,
                   help="binned-poisson: CL per bin (default none, as published)")
    p.add_argument("--flux-cm2-s", type=float, default=None,
                   help="override the experiment's total flux, cm^-2 s^-1")
    for dest, text in _NUISANCES:
        p.add_argument("--" + dest.replace("_", "-"), dest=dest, type=float, default=0.0,
                       help=text + " (default 0 = off)")
    p.add_argument("--joint-poisson", action="store_true",
                   help="fit ON and OFF counts with the joint Poisson likelihood (background "
                        "and nuisances profiled) instead of the Gaussian ON-OFF residual")
    add_r2_convention_option(p)
    add_couplings_option(p)
    add_off_model_options(p)
    add_json_flag(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from ..experiments import get_experiment, hypothetical_experiment, load_experiment
    from ..inference.limits import limit_from_data

    if bool(args.experiment) == bool(args.experiment_file):
        raise InvalidParameterError("give exactly one of --experiment and --experiment-file")
    exp = (get_experiment(args.experiment) if args.experiment
           else load_experiment(args.experiment_file))
    if args.flux_cm2_s is not None:
        exp = hypothetical_experiment(exp, flux_cm2_s=args.flux_cm2_s,
                                      flags={"flux_cm2_s": "--flux-cm2-s"})
    r = limit_from_data(exp, args.data, param=args.param, method=args.method, cl=args.cl,
                        atomic=args.atomic, trials=args.trials,
                        joint_poisson=args.joint_poisson, couplings=args.couplings,
                        r2_convention=args.r2_convention, off_model=args.off_model,
                        off_degree=args.off_degree,
                        **{dest: getattr(args, dest) for dest, _ in _NUISANCES})
    if args.json:
        footer.limit(exp, r.to_dict(), text=False)
        emit_json(r.to_dict())
        return 0
    bf = ("-" if r.best_fit is None
          else f"{r.best_fit:.3g} ± {r.stat:.2g} (stat) ± {r.syst:.2g} (syst)")
    chi = "-" if r.chi2 is None else f"{r.chi2:.3g}/{r.dof}"
    print_table(["param", "best_fit", "chi2/dof", "upper_limit", "cl"],
                [[r.param, bf, chi, r.upper_limit, r.cl]])
    unit = r.to_dict()["best_fit_unit"]
    print(f"# best fit in {unit}; upper limit in {r.unit}; method {r.method}; "
          f"experiment {exp.id}; couplings {args.couplings}; OFF model "
          f"{r.details.get('off_model', '-')}")
    if r.param == "r2" and "lower_cm2" in r.two_sided:
        t = r.two_sided
        print(f"# two-sided <r^2> interval ({r.cl:g} CL, profile likelihood): "
              f"{t['lower_cm2']:.3g} < <r^2> < {t['upper_cm2']:.3g} cm^2 in the "
              f"{t['r2_convention']} convention")
    footer.limit(exp, r.to_dict())
    return 0
