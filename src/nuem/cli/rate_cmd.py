"""``nuem rate``: differential event rates per component in counts/(kg keV day)."""

from __future__ import annotations

from ..constants import SIN2_THETA_W_LOW_Q2
from ..exceptions import InvalidParameterError
from .commands import command_parser
from .output import add_json_flag, emit_json, parse_mapping, print_table

NAME = "rate"


def add_flux_options(p) -> None:
    """Options selecting the flux: the reactor (a total flux with the reactor shape, or power and
    distance; the default source) or any other kind of the source registry (``--source``,
    ``--source-file``, :mod:`nuem.cli.flux_cmd`)."""
    from .flux_cmd import add_source_options

    g = p.add_mutually_exclusive_group()
    g.add_argument("--flux-cm2-s", type=float,
                   help="reactor: total flux (cm^-2 s^-1) with the default reactor spectral shape")
    g.add_argument("--power-gw", type=float,
                   help="reactor: thermal power, GW (needs --distance-m)")
    p.add_argument("--distance-m", type=float,
                   help="reactor: core-detector distance; cr51/ar37/tritium: point-source "
                        "distance (m)")
    p.add_argument("--fractions", default=None,
                   help="reactor: fission fractions U235=..,U238=..,Pu239=..,Pu241=.. (sum 1)")
    add_source_options(p)


def flux_from_args(args):
    """The flux selected by :func:`add_flux_options` (reactor: a TabulatedFlux)."""
    from ..sources.reactor import ReactorSource, reactor_flux
    from .flux_cmd import (
        flux_from_source_args,
        reactor_line_options,
        reactor_options_given,
        source_kind,
    )

    kind = source_kind(args)
    if kind != "reactor":
        stray = reactor_options_given(args)
        if stray:
            where = "--source-file" if kind == "file" else f"--source {kind}"
            raise InvalidParameterError(f"{stray[0]} is a reactor option; it does not apply to "
                                        f"{where}")
        return flux_from_source_args(args)[0]
    fractions = parse_mapping(args.fractions, "--fractions") if args.fractions else None
    lines = reactor_line_options(args)
    if args.flux_cm2_s is not None:
        if args.distance_m is not None:
            raise InvalidParameterError("--distance-m goes with --power-gw, not --flux-cm2-s")
        return reactor_flux(args.flux_cm2_s, fractions=fractions, **lines)
    if args.power_gw is None:
        raise InvalidParameterError("--flux-cm2-s | --power-gw: give one of these for the "
                                    "reactor source (with --power-gw also --distance-m), or "
                                    "choose another --source")
    if args.distance_m is None:
        raise InvalidParameterError("--power-gw needs --distance-m (core-detector distance, m)")
    return ReactorSource(power_gw=args.power_gw, distance_m=args.distance_m,
                         fractions=fractions, **lines).flux()


def add_couplings_option(p, default: str | None = None) -> None:
    """``--couplings tree|radiative`` (:mod:`nuem.interactions.couplings`)."""
    from ..interactions.couplings import COUPLING_SCHEMES, DEFAULT_COUPLINGS

    default = default or DEFAULT_COUPLINGS
    p.add_argument("--couplings", default=default, choices=tuple(COUPLING_SCHEMES),
                   help=f"SM couplings of nu-e and coherent nu-N (default {default}): "
                        "radiative = SM with radiative corrections and flavour-dependent "
                        "charge radii (PDG electroweak review; Bahcall, Kamionkowski & Sirlin, "
                        "Phys. Rev. D 51, 6146 (1995)), tree = tree level (Wong & Li, Mod. Phys. "
                        "Lett. A 20, 1103 (2005), Eqs. 5 and 8)")


def add_off_model_options(p) -> None:
    """``--off-model binned|smooth`` and ``--off-degree``
    (:mod:`nuem.inference.smooth_background`)."""
    p.add_argument("--off-model", default="binned", choices=("binned", "smooth"),
                   help="how the reactor-OFF data enter: binned = bin-by-bin ON-OFF subtraction "
                        "(default); smooth = the experiment's background shape times a Legendre "
                        "polynomial of degree --off-degree, fitted to ON and OFF jointly")
    p.add_argument("--off-degree", type=int, default=0,
                   help="degree of the smooth background polynomial (default 0: shape of the "
                        "background model, free normalisation)")


def add_r2_convention_option(p) -> None:
    """``--r2-convention`` (:mod:`nuem.interactions.charge_radius`)."""
    from ..interactions.charge_radius import R2_CONVENTIONS

    p.add_argument("--r2-convention", default=R2_CONVENTIONS[0], choices=R2_CONVENTIONS,
                   help="how <r^2> enters: gv-shift (g_V + sqrt2 pi alpha <r^2>/(3 G_F); "
                        "default), sin2w-shift (the same added to sin^2 theta_W, i.e. twice the "
                        "g_V shift, as experimental bounds are quoted) or tree-level "
                        "(docs/interactions.md)")


def add_em_options(p) -> None:
    """One option per registered physics parameter (``--mu-nu``, ``--delta-q``, ``--r2-cm2``,
    and any parameter registered by user code), plus ``--sin2w``."""
    from ..interactions.registry import PARAMETERS

    for par in PARAMETERS:
        rng = f", >= {par.lower:g}" if par.lower is not None else ", any sign"
        p.add_argument(par.cli_flag, dest=par.name, type=float, default=par.default,
                       help=f"{par.description} in {par.unit or 'units of 1'}{rng} "
                            f"(default {par.default:g})")
    add_r2_convention_option(p)
    p.add_argument("--sin2w", type=float, default=SIN2_THETA_W_LOW_Q2,
                   help=f"sin^2 theta_W (default {SIN2_THETA_W_LOW_Q2}, low-Q^2 MS-bar, PDG)")


def register(sub) -> None:
    p = command_parser(sub, NAME,
                       description="Differential rates dR/dT in counts/(kg keV day) at true "
                                   "recoil energies T (electron recoil for electron components, "
                                   "nuclear recoil for coherent ones), for the reactor (default) "
                                   "or any source of the registry (--source, --source-file).")
    p.add_argument("--target", default="Ge", help="element or formula (default Ge)")
    add_flux_options(p)
    p.add_argument("--t-kev", type=float, nargs="+", required=True, help="recoil energies, keV")
    add_em_options(p)
    add_couplings_option(p)
    from ..atoms.photoabsorption import SOURCES
    from ..interactions.registry import ATOMIC_MODELS, PROCESSES

    per = "; ".join(f"{pr.name} {'|'.join(pr.atomic_models)}" for pr in PROCESSES
                    if pr.recoil == "electron")
    p.add_argument("--atomic", default=None, choices=tuple(ATOMIC_MODELS),
                   help="atomic model, applied to every electron channel that supports it "
                        f"(per channel, first = default: {per}); epa is the historical "
                        "mu_nu model of Wong, Li & Lin, PRL 105, 061801 (2010), Eq. 10, "
                        "withdrawn (warns)")
    p.add_argument("--sigma-gamma-source", default=SOURCES[0], choices=SOURCES,
                   help=f"photoabsorption table for epa/ww/pai (default {SOURCES[0]}: Henke "
                        "blended into Elam)")
    p.add_argument("--density-g-cm3", type=float, default=None,
                   help="target density for pai/ww (default: tabulated for elements)")
    add_json_flag(p)
    p.set_defaults(func=run)


def em_values(args) -> dict[str, float]:
    """The registered physics parameters given on the command line, by name."""
    from ..interactions.registry import PARAMETERS

    return {par.name: getattr(args, par.name) for par in PARAMETERS if hasattr(args, par.name)}


def run(args) -> int:
    from ..rates import differential_rates

    flux = flux_from_args(args)
    spec = differential_rates(args.target, flux, args.t_kev, atomic=args.atomic,
                              sin2w=args.sin2w, r2_convention=args.r2_convention,
                              couplings=args.couplings,
                              sigma_gamma_source=args.sigma_gamma_source,
                              density_g_cm3=args.density_g_cm3, **em_values(args))
    result = spec.to_dict()
    from .flux_cmd import source_kind

    kind = source_kind(args)
    result["source"] = getattr(flux, "label", "") if kind == "file" else kind
    result["notes"] = ([
        "The SM nu-e rate at keV recoil depends on the reactor spectrum below 2 MeV, where no "
        "measurement exists, at the 10-20 % level; the mu_nu rate at T << E_nu depends only on "
        "the total flux (Wong & Li, Mod. Phys. Lett. A 20, 1103 (2005), Sec. 4.3).",
    ] if kind == "reactor" else [])
    result["notes"].append("--mu-nu is one effective moment for every flavour of the beam.")
    if args.json:
        emit_json(result)
        return 0
    par = spec.parameters
    models = ", ".join(f"{m} for {c}" for c, m in par["atomic_models"].items())
    print(f"# target {par['target']}, flux {par['flux_cm2_s']:.4g} cm^-2 s^-1, atomic models "
          f"{models}, couplings {par['couplings']}; rates in counts/(kg keV day)")
    if args.r2_cm2:
        print(f"# <r^2> = {args.r2_cm2:g} cm^2 in the {args.r2_convention} convention")
    names = list(spec.components)
    rows = [[t, *(spec.components[n][i] for n in names)] for i, t in enumerate(spec.t_kev)]
    print_table(["T [keV]", *names], rows)
    from .footer import print_items

    print_items([
        ("flux", f"{par['flux_cm2_s']:.4g} cm^-2 s^-1, {', '.join(par['flavors'])} "
                 f"({result['source']})"),
        ("model", f"mu_nu = {par['mu_nu']:g} mu_B, delta_Q = {par['delta_q']:g} e, <r^2> = "
                  f"{par['r2_cm2']:g} cm^2 ({par['r2_convention']}); sin^2 theta_W = "
                  f"{par['sin2w']:g}; couplings {par['couplings']}; atomic models {models}"),
        ("conventions", "T = electron recoil energy for the electron components, nuclear "
                        "recoil energy for the coherent ones (cevns*); dR/dT in counts/(kg "
                        "keV day); no detector response"),
        ("notes", " | ".join(result["notes"]))])
    return 0
