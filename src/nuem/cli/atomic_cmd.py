"""``nuem atomic``: photoabsorption cross section and shells of a target."""

from __future__ import annotations

from .commands import command_parser
from .output import add_json_flag, emit_json, print_table

NAME = "atomic"


def register(sub) -> None:
    p = command_parser(sub, NAME,
                       description="Photoabsorption cross section per atom (element) or per "
                                   "formula unit (compound) and the xraylib shells "
                                   "(docs/atomic_models.md).")
    p.add_argument("--target", default="Ge", help="element or formula (default Ge)")
    p.add_argument("--e-kev", type=float, nargs="+", required=True, help="photon energies, keV")
    p.add_argument("--source", default="composite",
                   choices=("composite", "henke", "elam", "kissel"),
                   help="table: composite Henke->Elam (default), henke, elam, kissel")
    p.add_argument("--cut", action="store_true",
                   help="return 0 outside the table range (default: error)")
    p.add_argument("--edge-ratios", action="store_true",
                   help="also report the K/L/M edge-peak ratios of sigma_gamma(T)/T and the "
                        "Ga electron-capture X-ray ratios")
    add_json_flag(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from ..atoms import photoabsorption as pa
    from ..atoms.medium import edge_peaks
    from ..detectors.backgrounds import EC_ISOTOPES, ec_lines
    from ..targets import get_target

    tgt = get_target(args.target)
    sig = pa.sigma_gamma_cm2(tgt, args.e_kev, args.source,
                             outside="zero" if args.cut else "raise")
    single = len(tgt.elements) == 1 and tgt.elements[0][1] == 1.0
    shells = [{"element": sym, "name": s.name, "binding_kev": s.binding_kev,
               "occupancy": s.occupancy} for sym, shs in tgt.shells().items() for s in shs]
    result = {"target": tgt.name, "source": args.source, "e_kev": list(args.e_kev),
              "sigma_gamma_cm2": [float(v) for v in sig.ravel()] if sig.ndim else [float(sig)],
              "per": "atom" if single else f"formula unit ({tgt.formula})",
              "shells": shells,
              "trk_electrons": pa.trk_electrons(tgt, args.source),
              "provenance": {"photoabsorption": _SOURCES[args.source],
                             "shells": "xraylib ElectronConfig/EdgeEnergy"}}
    if args.edge_ratios:
        # sigma_gamma/T edge peaks against the X-ray ratios after electron capture in 68Ge/71Ge
        # (Ga lines; ENSDF capture fractions), which are dominated by K capture
        ratios = edge_peaks(tgt, args.source)
        ratios["ec_ratios"] = {k: {"L/K": EC_ISOTOPES[k].l_to_k, "M/L": EC_ISOTOPES[k].m_to_l}
                               for k in ("Ge68", "Ge71")}
        ratios["ec_lines_kev"] = {ln.label.split()[-1][0]: ln.energy_kev
                                  for ln in ec_lines("Ge71", k_rate_per_kg_day=1.0)}
        result["edge_peak_ratios"] = ratios
    if args.json:
        emit_json(result)
        return 0
    print(f"# {tgt.name}: sigma_gamma per {result['per']}, source {args.source}")
    print_table(["E [keV]", "sigma_gamma [cm^2]"],
                list(zip(result["e_kev"], result["sigma_gamma_cm2"], strict=True)))
    print()
    print_table(["element", "shell", "binding [keV]", "occupancy"],
                [[s["element"], s["name"], s["binding_kev"], s["occupancy"]] for s in shells])
    return 0


_SOURCES = {
    "composite": "Henke et al. ADNDT 54, 181 (1993) (periodictable) blended into Elam et al. "
                 "Radiat. Phys. Chem. 63, 121 (2002) (xraylib CSb_Photo) at ~20-29 keV",
    "henke": "Henke et al. ADNDT 54, 181 (1993) via periodictable.xsf, 10 eV-30 keV",
    "elam": "Elam et al. Radiat. Phys. Chem. 63, 121 (2002) via xraylib CSb_Photo",
    "kissel": "Kissel RTAB via xraylib CSb_Photo_Total",
}
