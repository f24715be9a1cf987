"""``nuem flux``: reactor antineutrino flux at a detector."""

from __future__ import annotations

from .output import add_json_flag, emit_json, parse_mapping, print_table

NAME = "flux"


def register(sub) -> None:
    p = sub.add_parser(NAME, help="reactor antineutrino flux, fission rate and yield per fission",
                       description="Total reactor antineutrino flux at a distance L from a core "
                                   "of thermal power P (docs/reactor_source.md).")
    p.add_argument("--power-gw", type=float, required=True, help="thermal power in GW (> 0)")
    p.add_argument("--distance-m", type=float, required=True, help="core-detector distance, m")
    p.add_argument("--fractions", default=None,
                   help="fission fractions, e.g. U235=0.55,U238=0.07,Pu239=0.32,Pu241=0.06 "
                        "(default: typical PWR 0.55/0.07/0.32/0.06)")
    p.add_argument("--energy-per-fission", default="ma2013", choices=("ma2013", "kopeikin2004"),
                   help="energy released per fission (default Ma et al. 2013)")
    p.add_argument("--captures-per-fission", type=float, default=0.6,
                   help="238U(n,gamma) captures per fission (default 0.6, Wong & Li, MPLA 20, "
                        "1103 (2005), Table 1)")
    p.add_argument("--enu-mev", type=float, nargs="*", default=None,
                   help="also report dPhi/dE_nu at these energies (MeV)")
    add_json_flag(p)
    p.set_defaults(func=run)


def build_source(args):
    """A ReactorSource from the common reactor options of the CLI."""
    from ..sources.reactor import ReactorSource

    fractions = parse_mapping(args.fractions, "--fractions") if args.fractions else None
    return ReactorSource(power_gw=args.power_gw, distance_m=args.distance_m, fractions=fractions,
                         energy_per_fission=getattr(args, "energy_per_fission", "ma2013"),
                         captures_per_fission=getattr(args, "captures_per_fission", 0.6))


def run(args) -> int:
    src = build_source(args)
    result = {
        "flux_cm2_s": src.flux_cm2_s,
        "fissions_per_s": src.fissions_per_s,
        "antineutrinos_per_fission": src.antineutrinos_per_fission,
        "power_gw": args.power_gw,
        "distance_m": args.distance_m,
        "provenance": src.provenance(),
    }
    if args.enu_mev:
        result["enu_mev"] = list(args.enu_mev)
        result["dphi_cm2_s_mev"] = src.dphi_cm2_s_mev(args.enu_mev).tolist()
    if args.json:
        emit_json(result)
        return 0
    print_table(["quantity", "value", "unit"], [
        ["total flux", result["flux_cm2_s"], "cm^-2 s^-1"],
        ["fission rate", result["fissions_per_s"], "s^-1"],
        ["antineutrinos per fission", result["antineutrinos_per_fission"], "(incl. capture)"],
    ])
    if args.enu_mev:
        print()
        print_table(["E_nu [MeV]", "dPhi/dE [cm^-2 s^-1 MeV^-1]"],
                    list(zip(result["enu_mev"], result["dphi_cm2_s_mev"], strict=True)))
    return 0
