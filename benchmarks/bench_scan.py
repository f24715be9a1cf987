"""Benchmark: a 10⁴-point Asimov sensitivity scan (targets: ≤ 30 s locally on 2 cores; the
same scan on a 2-worker local Dask cluster with the speed-up printed).

Run from the repository root::

    python benchmarks/bench_scan.py [--points-per-axis 10] [--n-bins 20] [--workers 2] [--no-dask]
                                    [--target Ge]

Grid: threshold (0.05–20 keV) × background (0.01–100 cpkkd) × exposure (10–10⁵ kg day) × flux
(10¹²–10¹⁴ cm⁻² s⁻¹), ``--points-per-axis`` values each (10 → 10⁴ points), model
:class:`nuem.inference.AsimovScanModel` for ``--target`` with ``--n-bins`` bins (a fresh model
per run, so the per-threshold rate templates are part of every timing). Executors: serial
(in-process), local process pool, and a ``dask.distributed`` LocalCluster of ``--workers``
single-threaded worker processes (cluster start-up timed separately). The per-point work of the
compact model is tiny, so with the default 20 bins the scan is dominated by templates and task
overhead; ``--n-bins 2000`` shows the parallel speed-up on heavier points. Also printed: the
1-minute load average.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

from nuem.inference import AsimovScanModel, ScanGrid, run_scan


def _grid(n: int) -> ScanGrid:
    return ScanGrid({"threshold_kev": np.geomspace(0.05, 20.0, n),
                     "background_cpkkd": np.geomspace(0.01, 100.0, n),
                     "exposure_kg_day": np.geomspace(10.0, 1e5, n),
                     "flux_cm2_s": np.geomspace(1e12, 1e14, n)})


def _timed(grid, n_bins, target, **kw):
    t0 = time.perf_counter()
    res = run_scan(grid, AsimovScanModel(n_bins=n_bins, target=target), progress=False, **kw)
    return time.perf_counter() - t0, res


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--points-per-axis", type=int, default=10)
    ap.add_argument("--n-bins", type=int, default=20)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--no-dask", action="store_true")
    ap.add_argument("--target", default="Ge", help="detector material (default Ge)")
    args = ap.parse_args(argv)
    grid = _grid(args.points_per_axis)
    n = len(grid)
    run_scan(_grid(2), AsimovScanModel(n_bins=4), executor="serial", progress=False)  # imports
    print(f"Asimov scan ({args.target}): {n} points, {args.n_bins} bins, "
          f"{args.points_per_axis} thresholds (one rate template each)")
    t_ser, ref = _timed(grid, args.n_bins, args.target, executor="serial")
    print(f"  serial (1 process)               : {t_ser:7.2f} s")
    t_loc, res = _timed(grid, args.n_bins, args.target, executor="local",
                        workers=args.workers)
    assert np.array_equal(res.table, ref.table)
    ok = "OK" if t_loc <= 30.0 else "SLOW"
    print(f"  local, {args.workers} processes (incl. pool)  : {t_loc:7.2f} s   "
          f"target <= 30 s: {ok}; speed-up vs serial {t_ser / t_loc:.2f}x")
    if not args.no_dask:
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError:
            print("  dask.distributed not installed: pip install 'dask[distributed]'")
        else:
            t0 = time.perf_counter()
            with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                              dashboard_address=":0") as cluster, Client(cluster) as client:
                t_up = time.perf_counter() - t0
                run_scan(_grid(2), AsimovScanModel(n_bins=4), executor=client, progress=False)
                t_dask, res = _timed(grid, args.n_bins, args.target, executor=client)
            assert np.array_equal(res.table, ref.table)
            print(f"  dask LocalCluster, {args.workers} workers      : {t_dask:7.2f} s   "
                  f"(cluster start-up {t_up:.2f} s, {res.meta['n_chunks']} tasks); "
                  f"speed-up vs serial {t_ser / t_dask:.2f}x, vs local {t_loc / t_dask:.2f}x")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lim = ref.column("mu_nu_limit")
    print(f"  mu_nu limits {lim.min():.3g} .. {lim.max():.3g} mu_B; load average {load:.2f}; "
          f"{os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
