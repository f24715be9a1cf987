"""``nuem sensitivity``: expected upper limit (Asimov median or toy bands) of an experiment preset
or a hypothetical detector, on μν, δQ or ⟨r²⟩ (:mod:`nuem.inference.sensitivity`).

Detector flags (``--mass-kg`` ...) modify ``--experiment`` (or ``--experiment-file``) when one is
given, otherwise they describe a generic detector; ``--target`` sets (or replaces) the material,
whose defaults (Fano factor, energy per quantum, quenching, density) then apply. The experiment is
built through schema validation by :func:`nuem.experiments.hypothetical_experiment`, every flag
value cited "user-supplied: --flag". The interval method comes from the registry
:mod:`nuem.inference.methods`.

Event-list experiments (no OFF exposure, a source other than a reactor: the solar and
liquid-noble presets) use the extended unbinned likelihood of ``nuem limit --data-format events``
(:mod:`nuem.inference.event_sensitivity`), with the background of ``--background-file`` or, by
default, the experiment's own ``[background]`` model; ``--likelihood`` overrides the choice.
"""

from __future__ import annotations

from ..exceptions import InvalidParameterError
from ..reproductions import TABLES, get_reproduction, resolve_name
from . import footer
from .args import seed
from .commands import command_parser
from .output import add_json_flag, emit_json, print_table, reproduction_name, warn_deprecated
from .rate_cmd import add_couplings_option, add_off_model_options, add_r2_convention_option

NAME = "sensitivity"

_FLAGS = (("mass_kg", "--mass-kg", "detector mass, kg"),
          ("days_on", "--days-on", "reactor-ON live days"),
          ("days_off", "--days-off", "reactor-OFF live days"),
          ("threshold_kev", "--threshold-kev", "threshold = analysis window start, keVee"),
          ("background_cpkkd", "--background-cpkkd",
           "flat background, counts/(kg keV day); replaces the whole background model"),
          ("flux_cm2_s", "--flux-cm2-s", "total reactor antineutrino flux, cm^-2 s^-1"),
          ("resolution_kev", "--resolution-kev", "noise resolution sigma, keV"),
          ("e_max_kev", "--e-max-kev", "analysis window end, keVee"),
          ("bin_width_kev", "--bin-width-kev", "analysis bin width, keV"))


_EVENT_OPTS = ("background_file", "background_unit", "background_sigma", "sm_sigma", "workers")
_EVENT_FLAGS = ("background_includes_sm", "float_sm")


def register(sub) -> None:
    from ..inference.event_sensitivity import EVENT_INTERVALS
    from ..inference.methods import GAUSSIAN_METHODS
    from ..inference.sensitivity import DEFAULT_TARGET, LIKELIHOODS, PARAMS, SENSITIVITY_METHODS
    from ..references import cite
    from .limit_cmd import add_background_options

    p = command_parser(sub, NAME,
                       description="Expected upper limit on mu_nu (mu_B), delta_Q (e) or <r^2> "
                                   "(cm^2): Asimov median and +-1/2 sigma bands (Gaussian or "
                                   "from toys) of the experiment's likelihood model (ON-OFF "
                                   "residual for reactor experiments; the extended unbinned "
                                   "likelihood of event lists for solar and liquid-noble "
                                   "experiments). Detector flags override the preset's "
                                   "values, or describe a generic detector of material "
                                   "--target when no experiment is given.")
    p.add_argument("--experiment", help="preset id (nuem experiments list)")
    p.add_argument("--experiment-file", help="experiment TOML file")
    p.add_argument("--target", default=None,
                   help=f"detector material (default {DEFAULT_TARGET} for the generic detector; "
                        "with --experiment it replaces the preset's material and its material "
                        "numbers)")
    p.add_argument("--param", default="mu-nu", choices=PARAMS,
                   help="parameter constrained: mu-nu (mu_B), delta-q (e) or r2 (cm^2)")
    p.add_argument("--atomic", help="atomic model (free, stepping, epa, ...)")
    p.add_argument("--method", default="asimov", choices=SENSITIVITY_METHODS,
                   help="asimov: Gaussian bands around the Asimov median; toys: quantiles of "
                        "--n-toys pseudo-experiments")
    p.add_argument("--interval", default=None,
                   choices=tuple(dict.fromkeys((*GAUSSIAN_METHODS, *EVENT_INTERVALS))),
                   help="interval method (nuem.inference.methods registry; default "
                        "feldman-cousins for ON-OFF, profile-likelihood for event lists, "
                        "which also take feldman-cousins by toys)")
    p.add_argument("--likelihood", default="auto", choices=LIKELIHOODS,
                   help="onoff: ON-OFF residual model; unbinned: extended unbinned likelihood "
                        "of event lists; auto (default): unbinned for experiments without OFF "
                        "exposure whose source is not a reactor")
    p.add_argument("--cl", type=float, default=0.9, help="confidence level in (0, 1)")
    p.add_argument("--n-toys", type=int, default=2000, help="toys for --method toys")
    p.add_argument("--seed", type=seed, default=None, help="random seed of the toys")
    p.add_argument("--onoff-syst", type=float, default=0.0,
                   help="relative ON-OFF background-subtraction uncertainty per bin (e.g. 0.01)")
    p.add_argument("--table", type=reproduction_name("table"), default=None, metavar="NAME",
                   help="print a published sensitivity table next to nuem's values: "
                        + "; ".join(f"{t}: {get_reproduction(t).item} of "
                                    f"{cite(get_reproduction(t).reference)}" for t in TABLES))
    p.add_argument("--criterion", default="by-row",
                   choices=("by-row", "window", "threshold-window", "multibin", "sm-floor"),
                   help="limit criterion for --table (see "
                        "nuem.reproductions.wong_li_lin_2010)")
    for dest, flag, text in _FLAGS:
        p.add_argument(flag, dest=dest, type=float, default=None, help=text)
    add_r2_convention_option(p)
    add_couplings_option(p)
    add_off_model_options(p)
    g = p.add_argument_group("event-list experiments (unbinned likelihood)")
    add_background_options(g, "the experiment's [background] model")
    g.add_argument("--workers", type=int, default=None,
                   help="--method toys --interval feldman-cousins: threads (default 1)")
    p.add_argument("--dq-band", action="store_true",
                   help="--param delta-q: also the atomic-model band (PAI with each sigma_gamma "
                        "table and regulator strength, stepping; nuem.inference.dq_band)")
    add_json_flag(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from ..experiments import get_experiment, hypothetical_experiment, load_experiment
    from ..inference.sensitivity import DEFAULT_TARGET, expected_sensitivity

    if getattr(args, "table", None):
        return _run_table(args)
    if args.experiment and args.experiment_file:
        raise InvalidParameterError("give --experiment or --experiment-file, not both")
    base = None
    if args.experiment:
        base = get_experiment(args.experiment)
    elif args.experiment_file:
        base = load_experiment(args.experiment_file)
    over = {d: getattr(args, d) for d, _, _ in _FLAGS if getattr(args, d) is not None}
    target = getattr(args, "target", None)
    if base is None and not over and target is None:
        raise InvalidParameterError("give --experiment ID, --experiment-file PATH, --target or "
                                    "detector flags (--mass-kg, --days-on, ...)")
    if base is None or over or target is not None:
        if base is None and target is None:
            target = DEFAULT_TARGET
        exp = hypothetical_experiment(base, target=target, **over,
                                      flags={d: f for d, f, _ in _FLAGS})
    else:
        exp = base
    likelihood, reason = _likelihood(args, exp)
    if likelihood == "unbinned":
        return _run_events(args, exp, over, reason)
    given = [o for o in _EVENT_OPTS if getattr(args, o) is not None] + [
        o for o in _EVENT_FLAGS if getattr(args, o)]
    if given:
        raise InvalidParameterError(f"--{given[0].replace('_', '-')} applies to event-list "
                                    "sensitivities (--likelihood unbinned, or an experiment "
                                    "without OFF exposure whose source is not a reactor)")
    r = expected_sensitivity(exp, param=args.param, cl=args.cl, method=args.method,
                             interval=args.interval, n_toys=args.n_toys,
                             onoff_syst=args.onoff_syst, atomic=args.atomic, seed=args.seed,
                             couplings=args.couplings, r2_convention=args.r2_convention,
                             off_model=args.off_model, off_degree=args.off_degree,
                             dq_band=args.dq_band, likelihood="onoff")
    out = r.to_dict()
    out["assumptions"]["overrides"] = over
    out["assumptions"]["target"] = exp.target
    out["assumptions"]["likelihood_reason"] = reason
    if args.json:
        footer.sensitivity(exp, out, text=False)
        emit_json(out)
        return 0
    print_table(["param", "median", "-1s", "+1s", "-2s", "+2s", "cl"],
                [[r.param, r.median, *r.band_1sigma, *r.band_2sigma, r.cl]])
    print(f"# unit {r.unit}; method {r.method}; interval {r.interval}; experiment {exp.id}; "
          f"target {exp.target}; couplings {args.couplings}; OFF model "
          f"{r.assumptions['off_model']}")
    if args.likelihood == "auto" and exp.exposure.off_kg_day <= 0:
        print(f"# likelihood: onoff ({reason})")
    if r.model_band:
        b = r.model_band
        print(f"# delta_Q model band: median of variants {b['median']:.3g}, range "
              f"{b['lower']:.3g} - {b['upper']:.3g} e (nominal pai {b['nominal']:.3g}); "
              + ", ".join(f"{k} {'n/a' if v is None else format(v, '.3g')}"
                          for k, v in b["variants"].items()))
    if r.param == "r2":
        t = r.two_sided
        print(f"# two-sided <r^2> interval ({r.cl:g} CL, Asimov, profile likelihood): "
              f"{t['lower_cm2']:.3g} < <r^2> < {t['upper_cm2']:.3g} cm^2 in the "
              f"{t['r2_convention']} convention (the table: one-sided, linear model)")
    footer.sensitivity(exp, out)
    return 0


def _likelihood(args, exp) -> tuple[str, str]:
    from ..inference.event_sensitivity import auto_likelihood

    if args.likelihood != "auto":
        return args.likelihood, "requested (--likelihood)"
    return auto_likelihood(exp, args.param, args.background_file)


def _run_events(args, exp, over, reason) -> int:
    """``nuem sensitivity`` of an event-list experiment (extended unbinned likelihood)."""
    from ..inference.event_sensitivity import reject_onoff_options
    from ..inference.sensitivity import expected_sensitivity

    reject_onoff_options(onoff_syst=args.onoff_syst, off_model=args.off_model,
                         off_degree=args.off_degree, dq_band=args.dq_band,
                         r2_convention=args.r2_convention, couplings=args.couplings,
                         cli=True)
    if args.background_file and not args.background_unit:
        raise InvalidParameterError("--background-file needs --background-unit")
    if args.sm_sigma is not None and not args.float_sm:
        raise InvalidParameterError("--sm-sigma goes with --float-sm")
    workers = 1 if args.workers is None else args.workers
    if workers < 1:
        raise InvalidParameterError(f"--workers={workers} must be >= 1")
    events = {"background": args.background_file, "background_unit": args.background_unit,
              "background_sigma": args.background_sigma, "workers": workers,
              "include_sm": not args.background_includes_sm, "float_sm": args.float_sm,
              "sm_sigma": args.sm_sigma}
    r = expected_sensitivity(exp, param=args.param, cl=args.cl, method=args.method,
                             interval=args.interval, n_toys=args.n_toys, atomic=args.atomic,
                             seed=args.seed, likelihood="unbinned",
                             events={**events, "reason": reason})
    out = r.to_dict()
    out["assumptions"]["overrides"] = over
    out["assumptions"]["target"] = exp.target
    if args.json:
        emit_json(out)
        return 0
    a = r.assumptions
    print_table(["param", "median", "-1s", "+1s", "-2s", "+2s", "cl"],
                [[r.param, r.median, *r.band_1sigma, *r.band_2sigma, r.cl]])
    print(f"# unit {r.unit}; method {r.method}; interval {r.interval}; experiment {exp.id}; "
          f"target {exp.target}; likelihood unbinned (event list)")
    print(f"# background: {a['background']}, normalisation "
          + ("free" if args.background_sigma is None
             else f"Gaussian, sigma = {args.background_sigma:g}")
          + f"; SM nu-e {a['sm_component']}")
    w = a["window_kev"]
    flux = exp.source.flux()
    footer.print_items([
        ("experiment", f"{exp.id} ({exp.name}; target {exp.target}, source {exp.source.kind})"),
        ("window", f"{w[0]:g}-{w[1]:g} keVee (unbinned, nodes every {a['node_step_kev']:g} "
                   "keV)"),
        ("exposure ON", f"{a['exposure_on_kg_day']:.4g} kg d = {a['exposure_t_yr']:.4g} t yr "
                        "(no OFF period; mass: "
                        f"{footer.source_of(exp.citations, 'detector.mass_kg')}; live days: "
                        f"{footer.source_of(exp.citations, 'detector.live_days_on')})"),
        ("flux", footer.flux_text(exp, flux.total_cm2_s(), getattr(flux, "label", ""))),
        ("expected counts", f"background {a['background_counts']:.4g}, SM nu-e "
                            + ("in the background" if a["sm_counts"] is None
                               else f"{a['sm_counts']:.4g}")
                            + f", signal {a['signal_per_unit_theta']:.4g} per unit theta"),
        ("atomic models", ", ".join(f"{k} {v}" for k, v in a["atomic_models"].items())),
        ("statistics", f"theta = {a['theta']}; "
                       + (f"Asimov data set: {a['asimov']}; " if r.method == "asimov" else "")
                       + f"bands: {a['bands']}"),
        ("notes", " | ".join(x for x in (
            "overridden by flags: " + ", ".join(f"{k}={v:g}" for k, v in over.items())
            if over else "", exp.notes) if x)),
    ])
    return 0


def _run_table(args) -> int:
    name, old = resolve_name(args.table)
    if old is not None:
        warn_deprecated(old, name)
    t = get_reproduction(name, "table").load()(args.criterion)
    if args.json:
        emit_json(t)
        return 0
    keys = ("row", "fe_nuem", "fe_published", "fe_ratio", "ai_nuem", "ai_published", "ai_ratio",
            "criterion")
    print_table(["row", "FE nuem", "FE published", "ratio", "AI nuem", "AI published", "ratio",
                 "criterion"],
                [[r[k] for k in keys] for r in t["rows"]])
    a = t["assumptions"]
    print(f"# mu_nu 90% CL sensitivities in 1e-12 mu_B; {a['reference']}")
    for k, v in a.items():
        if k != "epa_warning":
            print(f"# {k}: {v}")
    print("# EPA warning (suppressed, recorded in --json): "
          + "; ".join(w[:90] + "..." for w in a["epa_warning"]))
    return 0
