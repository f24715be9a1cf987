"""Benchmark: a 10⁴-point Asimov sensitivity scan (targets: ≤ 30 s locally on 2 cores; the
same scan on a 2-worker local Dask cluster with the speed-up printed).

Run from the repository root::

    python benchmarks/bench_scan.py [--points-per-axis 10] [--n-bins 20] [--workers 2] [--no-dask]
                                    [--target Ge] [--csv-points 1000000]

Grid: threshold (0.05–20 keV) × background (0.01–100 cpkkd) × exposure (10–10⁵ kg day) × flux
(10¹²–10¹⁴ cm⁻² s⁻¹), ``--points-per-axis`` values each (10 → 10⁴ points), model
:class:`nuem.inference.AsimovScanModel` for ``--target`` with ``--n-bins`` bins (a fresh model
per run, so the per-threshold rate templates are part of every timing). Executors: serial
(in-process), local process pool, and a ``dask.distributed`` LocalCluster of ``--workers``
single-threaded worker processes (cluster start-up timed separately). The per-point work of the
compact model is tiny, so with the default 20 bins the scan is dominated by templates and task
overhead; ``--n-bins 2000`` shows the parallel speed-up on heavier points. Also printed: the
1-minute load average.

CSV: a ``--csv-points`` Asimov scan (10 thresholds x k backgrounds x k exposures x 10 fluxes)
is computed with a fresh model (templates included, default executor ``local``), then written
to CSV and its best row found (target: compute + write <= 2x compute).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

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
    ap.add_argument("--csv-points", type=int, default=1_000_000,
                    help="points of the CSV-writing benchmark (0: skip)")
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
    assert all(np.array_equal(res.column(c), ref.column(c)) for c in ref.columns)
    ok = "OK" if t_loc <= 30.0 else "SLOW"
    print(f"  local, {args.workers} processes (incl. pool)  : {t_loc:7.2f} s   "
          f"target <= 30 s: {ok}; speed-up vs serial {t_ser / t_loc:.2f}x")
    if not args.no_dask:
        try:
            from dask.distributed import Client

            from nuem.inference.scan_exec import local_dask_cluster
        except ImportError:
            print("  dask.distributed not installed: pip install 'dask[distributed]'")
        else:
            t0 = time.perf_counter()
            with local_dask_cluster(args.workers) as cluster, Client(cluster) as client:
                t_up = time.perf_counter() - t0
                run_scan(_grid(2), AsimovScanModel(n_bins=4), executor=client, progress=False)
                t_dask, res = _timed(grid, args.n_bins, args.target, executor=client)
            assert all(np.array_equal(res.column(c), ref.column(c)) for c in ref.columns)
            print(f"  dask LocalCluster, {args.workers} workers      : {t_dask:7.2f} s   "
                  f"(cluster start-up {t_up:.2f} s, {res.meta['n_chunks']} tasks); "
                  f"speed-up vs serial {t_ser / t_dask:.2f}x, vs local {t_loc / t_dask:.2f}x")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lim = ref.column("mu_nu_limit")
    print(f"  mu_nu limits {lim.min():.3g} .. {lim.max():.3g} mu_B; load average {load:.2f}; "
          f"{os.cpu_count()} CPUs")
    if args.csv_points:
        _csv_benchmark(args.csv_points, args.n_bins, args.target, args.workers)
    return 0


def _csv_benchmark(n_points, n_bins, target, workers):
    k = max(1, int(round((n_points / 100) ** 0.5)))
    grid = ScanGrid({"threshold_kev": np.geomspace(0.05, 20.0, 10),
                     "background_cpkkd": np.geomspace(0.01, 100.0, k),
                     "exposure_kg_day": np.geomspace(10.0, 1e5, k),
                     "flux_cm2_s": np.geomspace(1e12, 1e14, 10)})
    print(f"Asimov scan to CSV: {len(grid)} points ({target}, {n_bins} bins)")
    for executor in ("local", "serial"):
        t_comp, res = _timed(grid, n_bins, target, executor=executor, workers=workers)
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            path = res.write(Path(tmp) / "scan.csv")
            best = res.best("mu_nu_limit")
            t_write = time.perf_counter() - t0
            size = path.stat().st_size / 1e6
        ratio = (t_comp + t_write) / t_comp
        print(f"  {executor:<6}: compute {t_comp:6.2f} s, CSV + best row {t_write:6.2f} s "
              f"({size:.0f} MB); (compute + write) / compute = {ratio:.2f} "
              f"(target <= 2: {'OK' if ratio <= 2.0 else 'SLOW'}); best "
              f"{best['mu_nu_limit']:.3g} mu_B")


if __name__ == "__main__":
    raise SystemExit(main())
