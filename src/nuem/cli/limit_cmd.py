"""``nuem limit``: upper limit on μν, δQ or ⟨r²⟩ from a measured spectrum and an experiment
(:func:`nuem.inference.limits.limit_from_data`): the data's likelihood model (Gaussian ON−OFF
residual, or joint ON/OFF Poisson with ``--joint-poisson``, or ON-only counts) with its
Gaussian-constrained nuisance parameters (flux normalisation, cross-section model, OFF
normalisation, background tilt, energy scale) profiled; best fit ± stat ± syst and χ²/dof as in
Wong, Li, Lin, PRL 105, 061801 (2010); the interval from a method of the registry
:mod:`nuem.inference.methods` (Feldman–Cousins, Bayes, CLs on the fit; binned-Poisson for
ON-only data; user-registered methods).

With ``--data-format events`` the data are an event list (one reconstructed energy per line) and
``--background-file`` a tabulated background model: the extended unbinned likelihood of
:func:`nuem.inference.event_limits.limit_from_events` (signal + background + the SM ν–e component
of the source) with a profile-likelihood (default) or Feldman–Cousins-by-toys upper limit
(docs/event_lists.md)."""

from __future__ import annotations

from ..exceptions import InvalidParameterError
from . import footer
from .args import seed, warn
from .commands import command_parser
from .output import add_json_flag, emit_json, print_table
from .rate_cmd import add_couplings_option, add_off_model_options, add_r2_convention_option

NAME = "limit"
#: Values of ``--data-format``.
DATA_FORMATS = ("spectrum", "events")
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

    p = command_parser(sub, NAME,
                       description="Upper limit from measured data (--data, any nuem.io format: "
                                   "on_counts/off_counts table, residual_cpkkd+sigma_cpkkd "
                                   "(or residual_counts+sigma_counts) ON-OFF residual, "
                                   "counts/cpkkd table, EXCESS Ge files) with the "
                                   "experiment's flux, response and window. "
                                   "--method binned-poisson for ON-only data (Wong et al., "
                                   "PRL 105, 061801 (2010), analysis II).")
    p.add_argument("--experiment", help="preset id (nuem experiments list)")
    p.add_argument("--experiment-file", help="experiment TOML file")
    p.add_argument("--data", required=True, help="measured spectrum file, or an event list "
                                                  "with --data-format events")
    p.add_argument("--data-format", default="spectrum", choices=DATA_FORMATS,
                   help="spectrum (default): a binned spectrum (nuem.io formats); events: one "
                        "reconstructed energy in keV per line (comments with #)")
    p.add_argument("--param", default="mu-nu", choices=PARAMS,
                   help="parameter constrained: mu-nu (mu_B), delta-q (e) or r2 (cm^2)")
    p.add_argument("--method", default=None, choices=LIMIT_METHODS,
                   help="statistical method (nuem.inference.methods registry; default "
                        "feldman-cousins for spectra, profile-likelihood for event lists)")
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
    add_event_options(p)
    add_r2_convention_option(p)
    add_couplings_option(p)
    add_off_model_options(p)
    add_json_flag(p)
    p.set_defaults(func=run)


def add_background_options(g, file_default: str) -> None:
    """Background-model options of the extended unbinned likelihood (``nuem limit
    --data-format events``, ``nuem sensitivity`` of event-list experiments)."""
    from ..io.events import BACKGROUND_UNITS

    g.add_argument("--background-file", help="tabulated background model: observed energy "
                                             "(keV) and rate, resolution and efficiency applied "
                                             f"(default: {file_default})")
    g.add_argument("--background-unit", choices=tuple(BACKGROUND_UNITS),
                   help="unit of the background rate column (default: none; required with "
                        "--background-file)")
    g.add_argument("--background-sigma", type=float, default=None,
                   help="relative Gaussian uncertainty of the background normalisation "
                        "(default: free)")
    g.add_argument("--background-includes-sm", action="store_true",
                   help="the background model already contains the SM nu-e component of the "
                        "source: do not add it")
    g.add_argument("--float-sm", action="store_true",
                   help="float the normalisation of the SM nu-e component (default: fixed)")
    g.add_argument("--sm-sigma", type=float, default=None,
                   help="with --float-sm: relative Gaussian uncertainty of the SM component "
                        "(default: free)")


def add_event_options(p) -> None:
    """Options of event-list limits (``--data-format events``)."""
    g = p.add_argument_group("event lists (--data-format events)")
    add_background_options(g, "none; required with --data-format events")
    g.add_argument("--e-min-kev", type=float, default=None,
                   help="window start, keV (default: the experiment's)")
    g.add_argument("--e-max-kev", type=float, default=None,
                   help="window end, keV (default: the experiment's)")
    g.add_argument("--n-toys", type=int, default=10_000,
                   help="feldman-cousins: pseudo-experiments per grid point (default 10000)")
    g.add_argument("--seed", type=seed, default=0, help="feldman-cousins: random seed")
    g.add_argument("--workers", type=int, default=1, help="feldman-cousins: threads")


_EVENT_ONLY = ("background_file", "background_unit", "background_sigma", "sm_sigma",
               "e_min_kev", "e_max_kev")
_EVENT_FLAGS = ("background_includes_sm", "float_sm")


def _check_format(args) -> None:
    def flag(n):
        return "--" + n.replace("_", "-")

    if args.data_format == "events":
        bad = [d for d, _ in _NUISANCES if getattr(args, d)] + (
            ["joint_poisson"] if args.joint_poisson else []) + (
            ["trials"] if args.trials != "none" else [])
        if bad:
            raise InvalidParameterError(f"{flag(bad[0])} applies to binned spectra, not to "
                                        "--data-format events")
        if not args.background_file or not args.background_unit:
            raise InvalidParameterError("--data-format events needs --background-file and "
                                        "--background-unit")
        return
    bad = [n for n in _EVENT_ONLY if getattr(args, n) is not None] + [
        n for n in _EVENT_FLAGS if getattr(args, n)]
    if bad:
        raise InvalidParameterError(f"{flag(bad[0])} applies to --data-format events only")


def _resolution_text(res) -> str:
    """The resolution model of an event-limit result in words and numbers."""
    if res.get("model") == "gaussian-poly":
        return (f"Gaussian, sigma = {res['c0_kev']:g} keV + {res['c1_sqrt_kev']:g} "
                f"sqrt(E keV) + {res['c2']:g} E")
    return str(res.get("formula") or res.get("model") or "none")


def _efficiency_text(eff) -> str:
    """``TabulatedEfficiency(471 points, 1-30 keV)`` -> ``tabulated (471 points, 1-30 keV)``."""
    text = str(eff)
    return text.replace("TabulatedEfficiency", "tabulated ", 1) if text.startswith(
        "TabulatedEfficiency") else text


def _run_events(args, exp) -> int:
    from ..inference.event_limits import limit_from_events

    if args.sm_sigma is not None and not args.float_sm:
        raise InvalidParameterError("--sm-sigma goes with --float-sm")
    if args.n_toys < 100:
        raise InvalidParameterError(f"--n-toys={args.n_toys} must be >= 100")
    if args.workers < 1:
        raise InvalidParameterError(f"--workers={args.workers} must be >= 1")
    r = limit_from_events(exp, args.data, args.background_file,
                          background_unit=args.background_unit, param=args.param,
                          method=args.method or "profile-likelihood", cl=args.cl,
                          atomic=args.atomic, e_min_kev=args.e_min_kev,
                          e_max_kev=args.e_max_kev, background_sigma=args.background_sigma,
                          include_sm=not args.background_includes_sm, float_sm=args.float_sm,
                          sm_sigma=args.sm_sigma, n_toys=args.n_toys, seed=args.seed,
                          workers=args.workers)
    if r.n_events == 0:
        warn(f"{args.data} holds no event in {r.window_kev[0]:g}-{r.window_kev[1]:g} keV: the "
             "limit is for zero events observed")
    if args.json:
        emit_json(r.to_dict())
        return 0
    d = r.to_dict()
    bf = (f"{r.best_fit:.3g} ± {r.stat:.2g} (stat) ± {r.syst:.2g} (syst)"
          if d.get("errors_note") is None else f"{r.best_fit:.3g} (error undefined)")
    print_table(["param", "best_fit", "upper_limit", "cl", "events"],
                [[r.param, bf, r.upper_limit, r.cl, str(r.n_events)]])
    print(f"# best fit in {d['best_fit_unit']}; upper limit in {d['unit']}; method {r.method}")
    atomic = ", ".join(f"{k} {v}" for k, v in r.models["atomic"].items())
    flux = exp.source.flux()
    norm = ("free" if args.background_sigma is None
            else f"Gaussian, sigma = {args.background_sigma:g}")
    footer.print_items([
        ("experiment", f"{exp.id} ({exp.name}; target {exp.target}, source {exp.source.kind})"),
        ("data", f"{d['details']['events']}: {r.n_events} events"),
        ("window", f"{r.window_kev[0]:g}-{r.window_kev[1]:g} keVee (unbinned)"),
        ("exposure", f"{r.exposure['kg_day']:.4g} kg d = {r.exposure['t_yr']:.4g} t yr (mass: "
                     f"{footer.source_of(exp.citations, 'detector.mass_kg')}; live days: "
                     f"{footer.source_of(exp.citations, 'detector.live_days_on')})"),
        ("flux", footer.flux_text(exp, flux.total_cm2_s(), getattr(flux, "label", ""))),
        ("response", f"resolution {_resolution_text(r.models['resolution'])}; efficiency "
                     f"{_efficiency_text(r.models['efficiency'])}"),
        ("background", f"{r.models['background']['source']} ({r.models['background']['unit']}"
                       f"), normalisation {norm}; SM nu-e {r.models['sm_component']}"),
        ("atomic models", atomic),
        *([("note", d["errors_note"])] if d.get("errors_note") else []),
        ("statistics", d["details"].get("validity")
         or f"{r.method}: {d['details'].get('construction', '')} "
            f"{d['details'].get('n_toys', '')} toys, seed {d['details'].get('seed', '')}"),
    ])
    return 0


def run(args) -> int:
    from ..experiments import get_experiment, hypothetical_experiment, load_experiment
    from ..inference.limits import limit_from_data

    if bool(args.experiment) == bool(args.experiment_file):
        raise InvalidParameterError("give exactly one of --experiment and --experiment-file")
    _check_format(args)
    exp = (get_experiment(args.experiment) if args.experiment
           else load_experiment(args.experiment_file))
    if args.flux_cm2_s is not None:
        exp = hypothetical_experiment(exp, flux_cm2_s=args.flux_cm2_s,
                                      flags={"flux_cm2_s": "--flux-cm2-s"})
    if args.data_format == "events":
        return _run_events(args, exp)
    args.method = args.method or "feldman-cousins"
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
