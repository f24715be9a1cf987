"""``nuem scan``: Asimov sensitivity of a hypothetical detector (material ``--target``, default Ge)
over a grid of threshold × background × exposure × flux, on local processes or a Dask cluster;
table (CSV/JSON/Parquet) and contour plot. Progress is drawn on stderr."""

from __future__ import annotations

import sys

from ..exceptions import InvalidParameterError
from . import footer
from .args import output_file, progress_wanted
from .output import add_json_flag, emit_json, print_table

NAME = "scan"
_AXES = (("threshold_kev", "--threshold-kev", "keV", [1.0]),
         ("background_cpkkd", "--background-cpkkd", "counts/(kg keV day)", [1.0]),
         ("exposure_kg_day", "--exposure-kg-day", "ON exposure, kg day", [1000.0]),
         ("flux_cm2_s", "--flux-cm2-s", "reactor nuebar flux, cm^-2 s^-1", [1e13]))


def register(sub) -> None:
    from ..inference.asimov_grid import SCAN_PARAMS
    from ..inference.methods import GAUSSIAN_METHODS
    from ..inference.scan import EXECUTORS
    from ..inference.sensitivity import DEFAULT_TARGET

    p = sub.add_parser(NAME, help="sensitivity scan over a parameter grid",
                       description="Asimov median upper limit on mu_nu or delta_Q (same "
                                   "likelihood model as 'nuem sensitivity', compact form: flat "
                                   "background, SM nu-e, ON-OFF with systematic floor, true "
                                   "recoil energies of the --target material) over the "
                                   "Cartesian grid of the given values. Expected scaling "
                                   "mu_nu ~ flux^-1/2 (B/Mt)^1/4 (Wong & Li, Mod. Phys. Lett. "
                                   "A 20, 1103 (2005), Eq. 10).")
    for _name, flag, unit, default in _AXES:
        p.add_argument(flag, type=float, nargs="+", default=default,
                       help=f"grid values ({unit}); default {default[0]:g}")
    p.add_argument("--target", default=DEFAULT_TARGET,
                   help=f"detector material (default {DEFAULT_TARGET}; element, formula or "
                        "alias)")
    p.add_argument("--density-g-cm3", type=float, default=None,
                   help="target density for the PAI density effect, g/cm^3 (default: the "
                        "material's; gases need it)")
    p.add_argument("--param", default="mu-nu", choices=SCAN_PARAMS,
                   help="parameter constrained (default mu-nu; delta-q: pure dQ^2 template, "
                        "interference neglected)")
    p.add_argument("--e-max-kev", type=float, default=100.0,
                   help="upper end of the analysis window, keV (default 100)")
    p.add_argument("--n-bins", type=int, default=20, help="log bins above threshold (default 20)")
    p.add_argument("--off-on-ratio", type=float, default=1.0,
                   help="OFF exposure / ON exposure (default 1)")
    p.add_argument("--onoff-syst", type=float, default=0.0,
                   help="relative systematic floor on the subtracted background (default 0)")
    p.add_argument("--cl", type=float, default=0.9, help="confidence level (default 0.9)")
    p.add_argument("--method", default="feldman-cousins", choices=GAUSSIAN_METHODS,
                   help="interval method (nuem.inference.methods registry)")
    p.add_argument("--atomic", default=None,
                   help="atomic model (default: stepping for mu-nu, pai for delta-q)")
    p.add_argument("--executor", default="local", choices=EXECUTORS,
                   help="local processes (default), dask (dask.distributed) or serial")
    p.add_argument("--workers", type=int, default=None,
                   help="worker count (local: CPU count; dask LocalCluster: 2)")
    p.add_argument("--dask-address", default=None,
                   help="scheduler address of an existing Dask cluster (tcp://host:8786)")
    p.add_argument("--chunksize", type=int, default=None, help="points per task")
    p.add_argument("--out", default=None, type=output_file,
                   help="write the table: FILE.csv, .json or .parquet")
    p.add_argument("--plot", default=None, type=output_file,
                   help="write a contour plot (FILE.png / .pdf)")
    p.add_argument("--plot-x", default=None, help="x axis of the plot (default: longest axis)")
    p.add_argument("--plot-y", default=None, help="y axis of the plot (default: next longest)")
    p.add_argument("--plot-fixed", action="append", default=[], metavar="AXIS=VALUE",
                   help="slice of another axis for the plot (repeatable); axes not fixed get "
                        "one panel per value (default: none fixed)")
    p.add_argument("--no-progress", action="store_true",
                   help="no progress bar (drawn on stderr only when it is a terminal)")
    add_json_flag(p)
    p.set_defaults(func=run)


def _plot_axes(grid, x, y):
    ranked = sorted(grid.names, key=lambda n: -grid.axes[n].size)
    x = x or ranked[0]
    y = y or next(n for n in ranked if n != x)
    return x, y


def _plot_fixed(items, grid, plot_xy) -> dict:
    """``--plot-fixed AXIS=VALUE`` options as {axis: value}."""
    out = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or name not in grid.names or name in plot_xy:
            raise InvalidParameterError(f"--plot-fixed {item!r}: give AXIS=VALUE with AXIS one "
                                        "of the other grid axes: " + ", ".join(
                                            n for n in grid.names if n not in plot_xy))
        try:
            out[name] = float(value)
        except ValueError:
            raise InvalidParameterError(f"--plot-fixed {item!r}: {value!r} is not a number") \
                from None
    return out


def run(args) -> int:
    from ..inference.asimov_grid import AsimovScanModel
    from ..inference.scan import ScanGrid, run_scan

    grid = ScanGrid({name: getattr(args, name) for name, *_ in _AXES})
    model = AsimovScanModel(e_max_kev=args.e_max_kev, n_bins=args.n_bins,
                            off_on_ratio=args.off_on_ratio, syst=args.onoff_syst, cl=args.cl,
                            method=args.method, atomic=args.atomic, param=args.param,
                            target=args.target, density_g_cm3=args.density_g_cm3)
    plot_xy = None
    if args.plot:
        plot_xy = _plot_axes(grid, args.plot_x, args.plot_y)
        for ax_name, flag in zip(plot_xy, ("--plot-x", "--plot-y"), strict=True):
            if ax_name not in grid.names:
                raise InvalidParameterError(f"{flag}={ax_name!r} is not a grid axis; allowed: "
                                            f"{', '.join(grid.names)}")
            if grid.axes[ax_name].size < 2:
                raise InvalidParameterError(f"{flag}={ax_name!r}: a contour plot needs >= 2 "
                                            "values on that axis")
    res = run_scan(grid, model, executor=args.executor, chunksize=args.chunksize,
                   progress=progress_wanted(args.no_progress), workers=args.workers,
                   dask_address=args.dask_address)
    res.meta["model"] = {"name": "AsimovScanModel", "target": model.target,
                         "density_g_cm3": model.density_g_cm3,
                         "e_max_kev": model.e_max_kev,
                         "n_bins": model.n_bins, "off_on_ratio": model.off_on_ratio,
                         "syst": model.syst, "cl": model.cl, "method": model.method,
                         "atomic": model.atomic, "param": model.param}
    written = {}
    if args.out:
        written["out"] = str(res.write(args.out))
    if plot_xy:
        from ..plotting.contours import plot_scan

        plot_scan(res, *plot_xy, model.limit_column, path=args.plot,
                  fixed=_plot_fixed(args.plot_fixed, grid, plot_xy))
        written["plot"] = args.plot
    lim = res.column(model.limit_column)
    best = res.to_records()[int(lim.argmin())]
    if args.json:
        emit_json({"param": args.param, "target": model.target, "cl": model.cl,
                   "method": model.method,
                   "n_points": len(res), "columns": list(res.columns),
                   "grid": {k: v for k, v in grid.axes.items()}, "meta": res.meta,
                   "best": best, "rows": res.to_records(), **written})
        return 0
    names = list(res.columns)
    rows = [list(r) for r in res.table[:50]]
    print_table(names, rows)
    if len(res) > 50:
        print(f"# ... {len(res) - 50} more rows (use --out FILE.csv)")
    print(f"# {len(res)} points, executor {res.meta['executor']} ({res.meta['workers']} workers), "
          f"{res.meta['elapsed_s']:.2f} s; best {model.limit_column} "
          f"{best[model.limit_column]:.3g} {'mu_B' if args.param == 'mu-nu' else 'e'}; "
          f"target {model.target}")
    for k, v in written.items():
        print(f"# {k}: {v}", file=sys.stdout)
    footer.scan(res.meta, grid.axes)
    return 0
