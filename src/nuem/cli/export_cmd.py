"""``nuem export``: interchange with HEP tools.

``nuem export pyhf --experiment ID [--data FILE] --out workspace.json`` writes the experiment's
ON/OFF likelihood as a HistFactory workspace (:func:`nuem.export.export_pyhf`): POI ``theta``
(a normfactor on the signal), the OFF-measured background shared by both channels (shapefactor),
the irreducible SM ν–e + coherent ν–N sample in ON, flux and cross-section normsys, energy
scale, OFF normalisation and background tilt as histosys. The metadata (bin edges, exposures,
θ definition) go to ``--meta FILE`` and ``--json``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ..exceptions import InvalidParameterError
from .args import output_file
from .commands import command_parser
from .output import add_json_flag, emit_json

NAME = "export"
_NUISANCES = (("flux_norm_sigma", "reactor flux normalisation (normsys on the signal)"),
              ("xsec_sigma", "cross-section model (normsys on the signal)"),
              ("escale_sigma", "relative energy scale (histosys on signal and SM, first order)"),
              ("onoff_syst", "ON/OFF background normalisation (histosys)"),
              ("bkg_tilt_sigma", "linear background tilt, +-sigma at the window ends "
                                 "(histosys)"))


def register(sub) -> None:
    from ..inference.sensitivity import PARAMS

    p = command_parser(sub, NAME,
                       description="Interchange with HEP analysis tools.")
    s = p.add_subparsers(dest="action", required=True, metavar="FORMAT")
    pp = s.add_parser("pyhf", help="the ON/OFF likelihood as a HistFactory JSON workspace",
                      description=__doc__.split("\n\n")[1])
    pp.add_argument("--experiment", help="preset id (nuem experiments list); default: none, "
                                         "give it or --experiment-file")
    pp.add_argument("--experiment-file", help="experiment TOML file (default: none)")
    pp.add_argument("--data", metavar="FILE", default=None,
                    help="measured ON/OFF spectrum (any nuem.io format); default: the "
                         "expectation at theta = 0 as observations")
    pp.add_argument("--out", required=True, metavar="FILE", type=output_file,
                    help="workspace JSON file to write")
    pp.add_argument("--meta", metavar="FILE", default=None, type=output_file,
                    help="also write the metadata (bin edges, exposures, theta) as JSON "
                         "(default: not written; --json prints them)")
    pp.add_argument("--param", default="mu-nu", choices=PARAMS,
                    help="POI: theta = (mu_nu/1e-11 mu_B)^2 (default), (delta_Q/1e-12 e)^2 "
                         "(pure delta_Q^2 term) or <r^2>/1e-32 cm^2")
    pp.add_argument("--atomic", default=None,
                    help="atomic model of the templates (default: the rate engine's default)")
    pp.add_argument("--theta-max", type=float, default=None,
                    help="upper bound of theta (default: 50 x its expected error, rounded up "
                         "to a power of ten)")
    for dest, text in _NUISANCES:
        pp.add_argument("--" + dest.replace("_", "-"), dest=dest, type=float, default=0.0,
                        help=f"sigma of the {text}; default 0 = not in the workspace")
    add_json_flag(pp)
    pp.set_defaults(func=run_pyhf)


def _write_json(out: Path, obj) -> None:
    """Write JSON atomically (a temporary file next to ``out``, then renamed)."""
    from .._files import write_bytes_atomic

    write_bytes_atomic(out, (json.dumps(obj, indent=1, allow_nan=False) + "\n").encode())


def run_pyhf(args) -> int:
    from ..export.histfactory import export_pyhf
    from .experiments_cmd import experiment_from_args

    out = Path(args.out)          # checked while parsing (nuem.cli.args.output_file)
    meta_out = Path(args.meta) if args.meta else None
    exp = experiment_from_args(args.experiment, args.experiment_file)
    bounds = None
    if args.theta_max is not None:
        if not args.theta_max > 0:
            raise InvalidParameterError(f"--theta-max {args.theta_max!r} must be > 0")
        bounds = (0.0, args.theta_max)
    ws, meta = export_pyhf(exp, args.data, param=args.param, atomic=args.atomic,
                           nuisances={d: getattr(args, d) for d, _ in _NUISANCES},
                           theta_bounds=bounds)
    _write_json(out, ws)
    meta["workspace"] = str(out)
    if meta_out:
        _write_json(meta_out, meta)
    if args.json:
        emit_json(meta)
        return 0
    nb = len(meta["edges_kev"]) - 1
    check = ("validated against pyhf's schema" if meta["schema_validated"]
             else "not validated (pyhf not installed: pip install 'nuem[interchange]')")
    print(f"workspace written to {out}: channels reactor_on/reactor_off, {nb} bins "
          f"{meta['edges_kev'][0]:g}-{meta['edges_kev'][-1]:g} keV, POI theta = "
          f"{meta['theta']}; {check}")
    print(f"# observations: {meta['observations']}; nuisances: "
          + (", ".join(f"{k} {v:g}" for k, v in meta["nuisances"].items()) or "none"),
          file=sys.stdout)
    return 0
