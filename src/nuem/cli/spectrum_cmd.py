"""``nuem spectrum``: expected observed counts per analysis bin, ON and OFF, for an experiment.

JSON keys: ``e_kev`` (bin centres, keVee), ``bin_width_kev``, ``edges_kev``, ``components``
(``sm_electron``, ``magnetic_moment``, ``millicharge``, ``cevns``, ``cevns_magnetic_moment``,
``background``, ``background_off``, ``total_on``, ``total_off``; counts per bin for the full
exposure), ``exposure_on_kg_day``, ``exposure_off_kg_day``, ``leakage``, ``parameters``,
``provenance`` (see :mod:`nuem.experiments.spectrum`).
"""

from __future__ import annotations

from ..constants import SIN2_THETA_W_LOW_Q2
from . import footer
from .commands import command_parser
from .experiments_cmd import experiment_from_args
from .output import add_json_flag, emit_json, print_table
from .rate_cmd import add_couplings_option, add_r2_convention_option

NAME = "spectrum"


def register(sub) -> None:
    from ..io.excess import FORMATS

    p = command_parser(sub, NAME,
                       description="Expected counts per analysis bin (keVee) for the full "
                                   "exposure: signals (reactor ON only), background (ON and "
                                   "OFF), after quenching, resolution and efficiency.")
    p.add_argument("--experiment", help="preset id (see 'nuem experiments list')")
    p.add_argument("--experiment-file", help="a user experiment file (TOML)")
    p.add_argument("--mu-nu", type=float, default=0.0, help="magnetic moment in mu_B (>= 0)")
    p.add_argument("--delta-q", type=float, default=0.0, help="millicharge in units of e")
    p.add_argument("--r2-cm2", type=float, default=0.0, help="charge radius <r^2> in cm^2")
    p.add_argument("--atomic", default=None,
                   help="atomic model passed to the rate engine (default: its own default)")
    p.add_argument("--sin2w", type=float, default=SIN2_THETA_W_LOW_Q2,
                   help=f"sin^2 theta_W (default {SIN2_THETA_W_LOW_Q2})")
    add_r2_convention_option(p)
    add_couplings_option(p)
    p.add_argument("--data", default=None, metavar="FILE",
                   help="also read a measured spectrum (CSV/TSV or EXCESS format, see "
                        "'nuem data show') and report it next to the expectation")
    p.add_argument("--data-format", default="auto", choices=FORMATS,
                   help="format of --data: auto (ROOT/HDF5 by signature, a table with header, "
                        "else the EXCESS formats), " + ", ".join(FORMATS[1:]))
    p.add_argument("--data-columns", default=None,
                   help="column names of a header-less data file, e.g. e_kev,cpkkd,width_kev")
    p.add_argument("--data-exposure-kg-day", type=float, default=None,
                   help="exposure of the data file (kg day), to convert counts <-> cpkkd")
    add_json_flag(p)
    p.set_defaults(func=run)


def _read_data(args):
    from ..io.excess import read_measured

    kw = {}
    if args.data_format in ("auto", "table"):
        kw = {"columns": args.data_columns, "exposure_kg_day": args.data_exposure_kg_day}
    return read_measured(args.data, fmt=args.data_format, **kw)


def run(args) -> int:
    from ..experiments import observed_spectrum

    exp = experiment_from_args(args.experiment, args.experiment_file)
    spec = observed_spectrum(exp, mu_nu=args.mu_nu, delta_q=args.delta_q, r2_cm2=args.r2_cm2,
                             atomic=args.atomic, sin2w=args.sin2w, couplings=args.couplings,
                             r2_convention=args.r2_convention)
    measured = _read_data(args) if args.data else None
    if args.json:
        out = spec.to_dict()
        if measured is not None:
            out["data"] = measured.to_dict()
        emit_json(out)
        return 0
    print(f"# {exp.id}: counts per bin; exposure ON {spec.exposure_on_kg_day:.4g} kg d, "
          f"OFF {spec.exposure_off_kg_day:.4g} kg d")
    names = ["sm_electron", "magnetic_moment", "millicharge", "cevns", "background",
             "total_on", "total_off"]
    rows = [[e, w, *(spec.components[n][i] for n in names)]
            for i, (e, w) in enumerate(zip(spec.e_kev, spec.bin_width_kev, strict=True))]
    print_table(["E [keVee]", "width", *names], rows)
    footer.spectrum(exp, spec)
    if measured is not None:
        print(f"\n# measured spectrum {args.data}: {len(measured.e_lo_kev)} bins, "
              f"{measured.e_lo_kev[0]:.4g}-{measured.e_hi_kev[-1]:.4g} keV "
              "(details: nuem data show FILE)")
    return 0
