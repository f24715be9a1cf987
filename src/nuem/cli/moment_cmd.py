"""``nuem moment``: the magnetic moment as a 3x3 matrix (mass basis, mu_B): effective moment of a
source, radiative decay of each pair, SM Dirac prediction and the |Lambda| translation of a limit
(:mod:`nuem.interactions.moment_matrix`).

JSON keys: ``effective_mu_mub`` (the source's flavour), ``source``, ``flavor``, ``distance_m``,
``coherence``, ``majorana``, ``matrix_mub`` ([re, im] per entry), ``masses_ev``,
``pair_decays`` (pair, mu_ij_mub, rate_per_s, width_ev, lifetime_s), ``sm_dirac_mu_mub``,
``mixing`` and, with ``--mu-limit``, ``lambda_bound`` (Majorana).
"""

from __future__ import annotations

from pathlib import Path

from ..exceptions import DataFileError, InvalidParameterError
from .commands import command_parser
from .footer import print_items
from .output import add_json_flag, emit_json, print_table

NAME = "moment"
SOURCES = ("reactor", "solar", "line")


def register(sub) -> None:
    p = command_parser(sub, NAME,
                       description="Effective neutrino magnetic moment at a detector from a 3x3 "
                                   "moment matrix in the mass basis (Wong & Li, Mod. Phys. Lett. "
                                   "A 20, 1103 (2005), Eq. 2 with the oscillation phases; "
                                   "NuFIT 5.2 mixing), radiative decay of each pair (Eq. 7) and "
                                   "the minimally extended SM Dirac prediction.")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--matrix", metavar="FILE",
                   help="three whitespace-separated rows of three entries in mu_B, complex like "
                        "1e-11+2e-12j (default: none; give --matrix or --diagonal)")
    g.add_argument("--diagonal", type=float, metavar="MU",
                   help="flavour-universal diagonal matrix MU x 1 (mu_B; Dirac only; default: "
                        "none, give --matrix or --diagonal)")
    p.add_argument("--majorana", action="store_true",
                   help="Majorana neutrinos: the matrix must be antisymmetric (transition "
                        "moments only)")
    p.add_argument("--source", required=True, choices=SOURCES,
                   help="reactor (nuebar spectrum at --distance-m), solar (incoherent mass "
                        "states, B16 + MSW-LMA) or line (--enu-mev, --flavor, --distance-m)")
    p.add_argument("--distance-m", dest="baseline_m", type=float, default=0.0,
                   help="source-detector distance, m (reactor, line; default 0); line sources "
                        "may be closer than 1 m")
    p.add_argument("--enu-mev", type=float, default=None,
                   help="line energy, MeV (default: none; needed with --source line)")
    p.add_argument("--flavor", default="nue",
                   choices=("nue", "numu", "nutau", "nuebar", "numubar", "nutaubar"),
                   help="line-source flavour (default nue)")
    p.add_argument("--m1-ev", type=float, default=0.0,
                   help="lightest neutrino mass m1, eV (normal ordering; default 0)")
    p.add_argument("--mu-limit", type=float, default=None, metavar="MU",
                   help="a limit on the single effective moment (mu_B) of this source, "
                        "translated to |Lambda| (Majorana; default: none, no translation)")
    add_json_flag(p)
    p.set_defaults(func=run)


def _matrix(args):
    import numpy as np

    from ..interactions.moment_matrix import check_moment_matrix, parse_moment_matrix

    if args.diagonal is not None:
        if args.majorana:
            raise InvalidParameterError("--diagonal with --majorana: a Majorana moment matrix "
                                        "has no diagonal entries (antisymmetric); give --matrix")
        if not args.diagonal >= 0:
            raise InvalidParameterError(f"--diagonal={args.diagonal!r} mu_B must be >= 0")
        return np.eye(3, dtype=complex) * args.diagonal
    path = Path(args.matrix)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataFileError(f"--matrix {path}: cannot read ({exc.strerror})") from None
    return check_moment_matrix(parse_moment_matrix(text, str(path)), args.majorana)


def run(args) -> int:
    from ..interactions.moment_matrix import (
        PMNS_NUFIT52,
        effective_moment,
        majorana_lambda_bound,
        mass_eigenvalues_ev,
        pair_decays,
        sm_dirac_moment_mub,
    )

    lam = _matrix(args)
    kw = {"distance_m": args.baseline_m, "m1_ev": args.m1_ev}
    if args.source == "line":
        kw.update(enu_mev=args.enu_mev, flavor=args.flavor)
    eff = effective_moment(lam, args.source, **({} if args.source == "solar" else kw))
    masses = mass_eigenvalues_ev(args.m1_ev)
    out = {**eff, "source": args.source, "majorana": bool(args.majorana),
           "matrix_mub": [[[float(z.real), float(z.imag)] for z in row] for row in lam],
           "masses_ev": masses.tolist(), "pair_decays": pair_decays(lam, args.m1_ev),
           "sm_dirac_mu_mub": sm_dirac_moment_mub(masses).tolist(),
           "mixing": dict(PMNS_NUFIT52)}
    if args.mu_limit is not None:
        if not args.majorana:
            raise InvalidParameterError("--mu-limit translates to |Lambda| for a Majorana "
                                        "matrix: add --majorana")
        out["lambda_bound"] = majorana_lambda_bound(
            args.mu_limit, args.source, **({} if args.source == "solar" else kw))
    if args.json:
        emit_json(out)
        return 0
    print(f"# {args.source}: effective moment {out['effective_mu_mub']:.4g} mu_B "
          f"({out['flavor']}, {out['coherence']})")
    print_table(["pair", "mu_ij [mu_B]", "rate [1/s]", "lifetime [s]"],
                [[d["pair"], d["mu_ij_mub"], d["rate_per_s"],
                  "stable" if d["lifetime_s"] is None else d["lifetime_s"]]
                 for d in out["pair_decays"]])
    print("# SM Dirac prediction mu_ii [mu_B]: "
          + ", ".join(f"{x:.3g}" for x in out["sm_dirac_mu_mub"]))
    if "lambda_bound" in out:
        b = out["lambda_bound"]["lambda_norm_bound_mub"]
        print("# |Lambda|: no bound from this source (a direction of Lambda gives mu_eff = 0)"
              if b is None else f"# |Lambda| < {b:.4g} mu_B")
    where = ("" if args.source == "solar" else f" at {args.baseline_m:g} m"
             + (f", E_nu = {args.enu_mev:g} MeV, {args.flavor}" if args.source == "line"
                else ""))
    print_items([
        ("source", f"{args.source}{where}"),
        ("model", f"{'Majorana' if args.majorana else 'Dirac'} moment matrix in the mass basis "
                  f"(mu_B); normal ordering, m1 = {args.m1_ev:g} eV; masses "
                  + ", ".join(f"{m:.3g}" for m in masses) + " eV"),
        ("mixing", PMNS_NUFIT52["source"]),
        ("conventions", "effective moment: Wong & Li, Mod. Phys. Lett. A 20, 1103 (2005), "
                        "Eq. 2 with the oscillation phases; decay rates: Eq. 7")])
    return 0
