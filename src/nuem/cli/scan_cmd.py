"""``nuem scan``: sensitivity of a hypothetical detector (material ``--target``, default Ge) over a
grid of threshold × background × exposure (or mass × days) × flux (× target): the Asimov median
limit, or toy-based median and ±1σ/±2σ bands (``--method toys``), on local processes or a Dask
cluster, with checkpoints (``--resume``); table (CSV/JSON/Parquet) and contour plot. Progress
and messages go to stderr. Exit status 3: some grid points failed (listed on stderr and under
``failures`` in JSON; ``--resume`` retries them)."""

from __future__ import annotations

import sys

from ..exceptions import InvalidParameterError
from . import footer
from .args import element_case, figure_file, output_file, progress_wanted, seed
from .commands import command_parser
from .output import add_json_flag, emit_json, print_table
from .rate_cmd import add_couplings_option, add_r2_convention_option

NAME = "scan"
_AXES = (("threshold_kev", "--threshold-kev", "keV", [1.0]),
         ("background_cpkkd", "--background-cpkkd", "counts/(kg keV day)", [1.0]),
         ("exposure_kg_day", "--exposure-kg-day", "ON exposure, kg day", [1000.0]),
         ("flux_cm2_s", "--flux-cm2-s", "reactor nuebar flux, cm^-2 s^-1", [1e13]))
#: Alternative exposure axes: ON exposure = mass x days.
_MASS_AXES = (("mass_kg", "--mass-kg", "detector mass, kg"),
              ("days_on", "--days-on", "reactor-ON live days"))
MODES = ("asimov", "toys")
EXIT_PARTIAL = 3


def register(sub) -> None:
    from ..inference.asimov_grid import SCAN_PARAMS
    from ..inference.methods import GAUSSIAN_METHODS
    from ..inference.scan import EXECUTORS
    from ..inference.sensitivity import DEFAULT_TARGET

    p = command_parser(sub, NAME,
                       description="Median upper limit on mu_nu or delta_Q (same likelihood "
                                   "model as 'nuem sensitivity', compact form: flat background, "
                                   "SM nu-e, ON-OFF with systematic floor, true recoil energies "
                                   "of the --target material) over the Cartesian grid of the "
                                   "given values: the Asimov limit (default) or, with --method "
                                   "toys, the median and +-1/2 sigma bands of the limits of "
                                   "--n-toys pseudo-experiments per point, seeded per grid point "
                                   "(identical for any executor). Expected scaling mu_nu ~ "
                                   "flux^-1/2 (B/Mt)^1/4 (Wong & Li, Mod. Phys. Lett. A 20, 1103 "
                                   "(2005), Eq. 10). Exit status 3 if some points failed.")
    for name, flag, unit, default in _AXES:
        p.add_argument(flag, type=float, nargs="+", default=None,
                       help=f"grid values ({unit}); default {default[0]:g}"
                            + ("; or give --mass-kg and --days-on" if name.startswith("expo")
                               else ""))
    for _name, flag, unit in _MASS_AXES:
        p.add_argument(flag, type=float, nargs="+", default=None,
                       help=f"grid values ({unit}); exposure = mass x days (instead of "
                            "--exposure-kg-day); default: not used")
    p.add_argument("--target", nargs="+", default=[DEFAULT_TARGET],
                   help=f"detector material(s) (default {DEFAULT_TARGET}; element, formula or "
                        "alias); several make a grid axis")
    p.add_argument("--density-g-cm3", type=float, default=None,
                   help="target density for the PAI density effect, g/cm^3 (default: the "
                        "material's; gases need it)")
    p.add_argument("--param", default="mu-nu", choices=SCAN_PARAMS,
                   help="parameter constrained (default mu-nu; delta-q: pure dQ^2 template, "
                        "interference neglected; r2: two-sided interval, columns r2_lower_cm2 "
                        "and r2_upper_cm2 in the --r2-convention)")
    add_r2_convention_option(p)
    add_couplings_option(p)
    p.add_argument("--e-max-kev", type=float, default=100.0,
                   help="upper end of the analysis window, keV (default 100)")
    p.add_argument("--n-bins", type=int, default=20, help="log bins above threshold (default 20)")
    p.add_argument("--off-on-ratio", type=float, default=1.0,
                   help="OFF exposure / ON exposure (default 1)")
    p.add_argument("--onoff-syst", type=float, default=0.0,
                   help="relative systematic floor on the subtracted background (default 0)")
    p.add_argument("--cl", type=float, default=0.9, help="confidence level (default 0.9)")
    _add_mode_options(p, GAUSSIAN_METHODS)
    p.add_argument("--atomic", default=None,
                   help="atomic model (default: stepping for mu-nu, pai for delta-q)")
    _add_execution_options(p, EXECUTORS)
    p.add_argument("--out", default=None, type=output_file,
                   help="write the table: FILE.csv, .json or .parquet")
    p.add_argument("--csv-digits", type=int, default=None, metavar="N",
                   help="significant digits of the numbers in a CSV --out (1-17, correctly "
                        "rounded; 17 always reads back exactly; default: the shortest text that "
                        "reads back to the same double, as Python's repr)")
    p.add_argument("--plot", default=None, type=figure_file,
                   help="write a contour plot (FILE.png, .pdf or .svg)")
    p.add_argument("--plot-x", default=None, help="x axis of the plot (default: longest axis)")
    p.add_argument("--plot-y", default=None, help="y axis of the plot (default: next longest)")
    p.add_argument("--plot-fixed", action="append", default=[], metavar="AXIS=VALUE",
                   help="slice of another axis for the plot (repeatable); axes not fixed get "
                        "one panel per value (default: none fixed)")
    p.add_argument("--no-progress", action="store_true",
                   help="no progress bar (drawn on stderr only when it is a terminal)")
    add_json_flag(p)
    p.set_defaults(func=run)


_UNITS = {"mu-nu": "mu_B", "delta-q": "e", "r2": "cm^2 (upper end of the two-sided interval; "
                                                 "see --r2-convention)"}


def _add_mode_options(p, gaussian_methods) -> None:
    p.add_argument("--mode", default=None, choices=MODES,
                   help="asimov: Asimov median limit (default); toys: median and bands from "
                        "toys (same as --method toys)")
    p.add_argument("--method", default=None, choices=(*gaussian_methods, "toys"),
                   help="interval method (nuem.inference.methods registry; default "
                        "feldman-cousins), or 'toys' for --mode toys")
    p.add_argument("--interval", default=None, choices=tuple(gaussian_methods),
                   help="interval method applied to each toy (or to the Asimov data set); "
                        "default feldman-cousins")
    p.add_argument("--n-toys", type=int, default=None,
                   help="pseudo-experiments per grid point (toys mode; default 1000)")
    p.add_argument("--seed", type=seed, default=0,
                   help="global seed of the toys (default 0; point i uses SeedSequence(seed, "
                        "spawn_key=(i,)))")


def _add_execution_options(p, executors) -> None:
    p.add_argument("--executor", default="local", choices=executors,
                   help="local processes (default), dask (dask.distributed) or serial")
    p.add_argument("--workers", type=int, default=None,
                   help="worker count (default: the CPUs available to this process -- "
                        "affinity, cgroup quota, SLURM_CPUS_PER_TASK; a Dask cluster: its own)")
    p.add_argument("--dask-address", default=None,
                   help="scheduler address of an existing Dask cluster (tcp://host:8786)")
    p.add_argument("--scheduler-file", default=None,
                   help="scheduler file of an existing Dask cluster (dask scheduler "
                        "--scheduler-file, dask-mpi); implies --executor dask; default: none")
    p.add_argument("--chunksize", type=int, default=None, help="points per task")
    p.add_argument("--checkpoint", default=None, metavar="DIR",
                   help="store each finished chunk in DIR (default with --out: OUT.parts)")
    p.add_argument("--resume", action="store_true",
                   help="continue an interrupted scan from its checkpoint (same options)")


def _mode_and_interval(args) -> tuple[str, str]:
    mode, interval = args.mode, args.interval
    if args.method == "toys":
        if mode == "asimov":
            raise InvalidParameterError("--method toys contradicts --mode asimov")
        mode = "toys"
    elif args.method is not None:
        if interval is not None and interval != args.method:
            raise InvalidParameterError(f"--method {args.method} and --interval {interval}: "
                                        "give the interval method once")
        interval = args.method
    mode = mode or "asimov"
    if mode == "asimov" and args.n_toys is not None:
        raise InvalidParameterError("--n-toys needs --mode toys (or --method toys)")
    return mode, interval or "feldman-cousins"


def _grid_axes(args) -> dict:
    axes = {}
    mass = {name: getattr(args, name) for name, *_ in _MASS_AXES}
    for name, _flag, _unit, default in _AXES:
        values = getattr(args, name)
        if name == "exposure_kg_day":
            if any(v is not None for v in mass.values()):
                if values is not None:
                    raise InvalidParameterError("give --exposure-kg-day or --mass-kg and "
                                                "--days-on, not both")
                missing = [f for n, f, _ in _MASS_AXES if mass[n] is None]
                if missing:
                    raise InvalidParameterError(f"{missing[0]} is missing: an exposure from "
                                                "mass needs --mass-kg and --days-on")
                axes.update(mass)
                continue
        axes[name] = default if values is None else values
    if len(args.target) > 1:
        axes["target"] = list(args.target)
    return axes


def _plot_axes(grid, x, y):
    ranked = sorted((n for n in grid.names if grid.axes[n].dtype.kind == "f"),
                    key=lambda n: -grid.axes[n].size)
    x = x or (ranked[0] if ranked else grid.names[0])
    y = y or next((n for n in ranked if n != x), x)
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
        if grid.axes[name].dtype.kind in "US":         # a categorical axis, e.g. the target
            out[name] = value
            continue
        try:
            out[name] = float(value)
        except ValueError:
            raise InvalidParameterError(f"--plot-fixed {item!r}: {value!r} is not a number") \
                from None
    return out


def _check_plot(grid, args):
    plot_xy = _plot_axes(grid, args.plot_x, args.plot_y)
    for ax_name, flag in zip(plot_xy, ("--plot-x", "--plot-y"), strict=True):
        if ax_name not in grid.names or grid.axes[ax_name].dtype.kind != "f":
            raise InvalidParameterError(f"{flag}={ax_name!r} is not a numeric grid axis; "
                                        f"allowed: {', '.join(grid.names)}")
        if grid.axes[ax_name].size < 2:
            raise InvalidParameterError(f"{flag}={ax_name!r}: a contour plot needs >= 2 "
                                        "values on that axis")
    return plot_xy


def _check_csv_digits(args) -> None:
    n = args.csv_digits
    if n is None:
        return
    if not 1 <= n <= 17:
        raise InvalidParameterError(f"--csv-digits={n}: significant digits must be 1..17 (17 "
                                    "reads back exactly); omit it for the shortest exact text")
    if not (args.out and str(args.out).lower().endswith(".csv")):
        got = f"got --out {str(args.out)!r}" if args.out else "no --out given"
        raise InvalidParameterError(f"--csv-digits={n} applies to a CSV --out only ({got}; "
                                    "JSON and Parquet keep every bit)")


def run(args) -> int:
    from ..inference.scan import ScanGrid, run_scan

    mode, interval = _mode_and_interval(args)
    _check_csv_digits(args)
    args.target = [element_case(t) for t in args.target]      # --target ge -> Ge
    grid = ScanGrid(_grid_axes(args))
    kw = dict(e_max_kev=args.e_max_kev, n_bins=args.n_bins, off_on_ratio=args.off_on_ratio,
              syst=args.onoff_syst, cl=args.cl, method=interval, atomic=args.atomic,
              param=args.param, target=args.target[0], density_g_cm3=args.density_g_cm3,
              couplings=args.couplings, r2_convention=args.r2_convention)
    if mode == "toys":
        from ..inference.toy_scan import ToyScanModel

        model = ToyScanModel(**kw, n_toys=1000 if args.n_toys is None else args.n_toys,
                             seed=args.seed)
    else:
        from ..inference.asimov_grid import AsimovScanModel

        model = AsimovScanModel(**kw)
    plot_xy = _check_plot(grid, args) if args.plot else None
    executor = "dask" if args.scheduler_file else args.executor
    checkpoint = args.checkpoint or (f"{args.out}.parts" if args.out else None)

    def log(msg):
        print(f"nuem scan: {msg}", file=sys.stderr, flush=True)

    res = run_scan(grid, model, executor=executor, chunksize=args.chunksize,
                   progress=progress_wanted(args.no_progress), workers=args.workers,
                   dask_address=args.dask_address, scheduler_file=args.scheduler_file,
                   checkpoint=checkpoint, resume=args.resume, log=log)
    res.meta["model"] = {**model.describe(), "mode": mode}
    written = {}
    if args.out:
        written["out"] = str(res.write(args.out, digits=args.csv_digits))
    if plot_xy:
        from ..plotting.contours import plot_scan

        plot_scan(res, *plot_xy, model.limit_column, path=args.plot,
                  fixed=_plot_fixed(args.plot_fixed, grid, plot_xy))
        written["plot"] = args.plot
    for f in res.failures:
        log(f"failed point {f['index']} {f['point']}: {f['error']}")
    if res.failures:
        log(f"{len(res.failures)} of {len(res)} points failed; the others are in the table; "
            f"rerun with --resume to retry them (checkpoint {checkpoint})")
    best = res.best(model.limit_column)
    status = EXIT_PARTIAL if res.failures else 0
    if args.json:
        emit_json({"param": args.param, "target": model.target, "cl": model.cl,
                   **({"r2_convention": model.r2_convention} if args.param == "r2" else {}),
                   "couplings": model.couplings,
                   "method": model.method, "mode": mode,
                   "n_toys": getattr(model, "n_toys", None), "seed": getattr(model, "seed", None),
                   "n_points": len(res), "columns": list(res.columns),
                   "grid": grid.to_dict(), "meta": res.meta,
                   "best": best, "rows": res.to_records(), "failures": res.failures, **written})
        return status
    names = list(res.columns)
    print_table(names, [list(res.row(i).values()) for i in range(min(50, len(res)))])
    if len(res) > 50:
        print(f"# ... {len(res) - 50} more rows (use --out FILE.csv)")
    print(f"# {len(res)} points, executor {res.meta['executor']} ({res.meta['workers']} workers), "
          f"{res.meta['elapsed_s']:.2f} s; best {model.limit_column} "
          f"{best[model.limit_column]:.3g} {_UNITS[args.param]}; target {', '.join(args.target)}; "
          f"{mode} ({model.method}" + (f", {model.n_toys} toys/point" if mode == "toys" else "")
          + ")")
    for k, v in written.items():
        print(f"# {k}: {v}", file=sys.stdout)
    footer.scan(res.meta, grid.axes)
    return status
