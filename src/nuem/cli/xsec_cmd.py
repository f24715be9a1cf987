"""``nuem xsec``: single differential cross sections dsigma/dT in cm^2/keV."""

from __future__ import annotations

import re

import numpy as np

from ..exceptions import InvalidParameterError
from .commands import command_parser
from .output import add_json_flag, emit_json, print_table
from .rate_cmd import add_couplings_option, add_em_options

NAME = "xsec"

ELECTRON_CHANNELS = ("sm_electron", "magnetic_moment", "millicharge", "millicharge_pure",
                     "sm_millicharge")
NUCLEAR_CHANNELS = ("cevns", "cevns_magnetic_moment")
CHANNELS = ELECTRON_CHANNELS + NUCLEAR_CHANNELS


def register(sub) -> None:
    p = command_parser(sub, NAME,
                       description="dsigma/dT per free electron (electron channels) or per "
                                   "nucleus (coherent channels; an element is averaged over its "
                                   "natural isotopes) at one neutrino energy.")
    p.add_argument("--channel", required=True, choices=CHANNELS,
                   help="cross section: an electron channel (per free electron) or a coherent "
                        "one (per nucleus)")
    p.add_argument("--enu-mev", type=float, required=True, help="neutrino energy, MeV")
    p.add_argument("--t-kev", type=float, nargs="+", required=True, help="recoil energies, keV")
    from ..sources.protocol import FLAVORS

    p.add_argument("--flavor", default="nuebar", choices=FLAVORS,
                   help="incident neutrino species (default nuebar, reactor)")
    p.add_argument("--target", default="Ge",
                   help="for coherent channels: element (natural mix) or isotope like Ge74")
    add_em_options(p)
    add_couplings_option(p, "tree")
    add_json_flag(p)
    p.set_defaults(func=run)


def _nuclear(args, t, e) -> tuple[np.ndarray, str]:
    from ..interactions import dsigma_dt_cevns, dsigma_dt_cevns_magnetic_moment
    from ..targets import get_target

    def one(**nucleus):
        if args.channel == "cevns":
            return dsigma_dt_cevns(t, e, sin2w=args.sin2w, couplings=args.couplings, **nucleus)
        return dsigma_dt_cevns_magnetic_moment(t, e, args.mu_nu, **nucleus)

    if re.fullmatch(r"[A-Z][a-z]?-?\d+|\d+[A-Z][a-z]?", args.target):
        return one(isotope_name=args.target), f"nucleus {args.target}"
    tgt = get_target(args.target)
    if len(tgt.elements) != 1:
        raise InvalidParameterError(f"--target={args.target!r}: coherent channels need one "
                                    "element or isotope (e.g. Ge or Ge74)")
    total = np.zeros(np.broadcast(t, e).shape)
    for iso in tgt.elements[0][0].isotopes:
        total += iso.abundance * one(z=iso.z, n=iso.n, mass_mev=_mass_mev(iso))
    return total, f"{tgt.name} atom (natural isotopic mix)"


def _mass_mev(iso) -> float:
    from hepunits import MeV

    from ..interactions.neutrino_nucleus import nucleus_mass
    return float(nucleus_mass(iso.z, iso.mass_u) / MeV)


def run(args) -> int:
    from ..interactions import millicharge as mq
    from ..interactions import neutrino_electron as ne

    t = np.asarray(args.t_kev, dtype=float)
    e = args.enu_mev
    common = {"sin2w": args.sin2w, "r2_cm2": args.r2_cm2, "r2_convention": args.r2_convention}
    if args.channel == "sm_electron":
        xs = ne.dsigma_dt_sm(t, e, args.flavor, couplings=args.couplings, **common)
        per = "free electron"
    elif args.channel == "magnetic_moment":
        xs, per = ne.dsigma_dt_magnetic_moment(t, e, args.mu_nu), "free electron"
    elif args.channel == "millicharge":
        xs = mq.dsigma_dt_millicharge_difference(t, e, args.delta_q, args.flavor,
                                                 couplings=args.couplings, **common)
        per = "free electron"
    elif args.channel == "millicharge_pure":
        xs, per = mq.dsigma_dt_millicharge_pure(t, e, args.delta_q), "free electron"
    elif args.channel == "sm_millicharge":
        xs = mq.dsigma_dt_sm_millicharge(t, e, args.delta_q, args.flavor,
                                         couplings=args.couplings, **common)
        per = "free electron"
    else:
        xs, per = _nuclear(args, t, e)
    xs = np.atleast_1d(xs)
    result = {"channel": args.channel, "enu_mev": e, "t_kev": t.tolist(),
              "dsigma_dt_cm2_per_kev": xs.tolist(), "per": per, "flavor": args.flavor,
              "parameters": {"mu_nu": args.mu_nu, "delta_q": args.delta_q,
                             "r2_cm2": args.r2_cm2, "r2_convention": args.r2_convention,
                             "sin2w": args.sin2w, "couplings": args.couplings}}
    if args.json:
        emit_json(result)
        return 0
    print(f"# {args.channel}, E_nu = {e:g} MeV, per {per}")
    print_table(["T [keV]", "dsigma/dT [cm^2/keV]"], list(zip(t, xs, strict=True)))
    return 0
