"""``nuem systematics sigma-gamma``: photoabsorption-table spread propagated to the delta_Q rate."""

from __future__ import annotations

import numpy as np

from .commands import command_parser
from .output import add_json_flag, emit_json, print_table

NAME = "systematics"


def register(sub) -> None:
    p = command_parser(sub, NAME,
                       description="Propagate model-input spreads to event rates.")
    inner = p.add_subparsers(dest="what", required=True, metavar="WHAT")
    q = inner.add_parser("sigma-gamma", help="photoabsorption-table spread -> delta_Q PAI rate",
                         description="delta_Q atomic-ionization rate (PAI model, "
                                     "counts/(kg keV day), millicharge component incl. "
                                     "interference) for each sigma_gamma source and the spread "
                                     "(max-min)/composite.")
    q.add_argument("--target", default="Ge", help="element or formula (default Ge)")
    q.add_argument("--delta-q", type=float, default=1e-12, help="millicharge in e (default 1e-12)")
    q.add_argument("--flux-cm2-s", type=float, default=1e13,
                   help="total reactor flux, cm^-2 s^-1 (default 1e13)")
    q.add_argument("--t-kev", type=float, nargs="+", default=[0.1, 0.3, 1.0],
                   help="energies, keV (default 0.1 0.3 1)")
    q.add_argument("--density-g-cm3", type=float, default=None,
                   help="target density for the PAI density effect, g/cm^3")
    add_json_flag(q)
    q.set_defaults(func=run)


def run(args) -> int:
    from ..atoms.photoabsorption import SOURCES
    from ..rates import differential_rates
    from ..sources.reactor import reactor_flux

    flux = reactor_flux(args.flux_cm2_s)
    rates = {}
    for src in SOURCES:
        spec = differential_rates(args.target, flux, args.t_kev, delta_q=args.delta_q,
                                  atomic="pai", sigma_gamma_source=src,
                                  density_g_cm3=args.density_g_cm3, components=["millicharge"])
        rates[src] = spec.components["millicharge"]
    stack = np.array(list(rates.values()))
    spread = (stack.max(axis=0) - stack.min(axis=0)) / np.abs(rates["composite"])
    result = {"target": args.target, "delta_q": args.delta_q, "flux_cm2_s": args.flux_cm2_s,
              "t_kev": list(args.t_kev), "units": "counts/(kg keV day)", "model": "pai",
              "rates": {k: v.tolist() for k, v in rates.items()},
              "relative_spread": spread.tolist()}
    if args.json:
        emit_json(result)
        return 0
    print(f"# delta_Q = {args.delta_q:g} e, {args.target}, PAI; counts/(kg keV day)")
    print_table(["T [keV]", *SOURCES, "spread"],
                [[t, *(rates[s][i] for s in SOURCES), spread[i]]
                 for i, t in enumerate(args.t_kev)])
    return 0
