"""Benchmark: toy-based scans, serial vs a 2-worker local Dask cluster, and how the cost grows with
grid size and toys (targets: a toy scan of >= 60 s serial work runs >= 1.7x faster on 2 Dask
workers and gives bit-identical results).

Run from the repository root::

    python benchmarks/bench_toy_scan.py [--points 4000] [--n-toys 10000] [--workers 2]
                                        [--no-growth] [--quick]

Acceptance run: a grid of ``--points`` points (threshold × background × exposure × flux) with
``--n-toys`` Feldman–Cousins toys each (:class:`nuem.inference.ToyScanModel`), serially in this
process and on a ``dask.distributed`` LocalCluster of ``--workers`` single-threaded worker
processes (cluster start-up timed separately; a fresh model each run, so the rate templates are
part of every timing, computed on the workers for Dask). The grid is run one threshold at a
time, serial and Dask alternating, and the times summed. The results must be bit-identical.
Growth: time per point and per toy for grids of 8/32/125 points × 100/1000/10000 toys, serial
and on the cluster. The load average is printed: the machine is shared, and other jobs take CPU
from both runs.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

from nuem.inference import ScanGrid, ToyScanModel, run_scan


def _grid(n_points: int) -> ScanGrid:
    """About ``n_points`` points: t thresholds x f fluxes x k backgrounds x k exposures."""
    n_thr = 5 if n_points >= 100 else (2 if n_points >= 8 else 1)
    n_flux = 3 if n_points >= 300 else 1
    k = max(1, int(round(np.sqrt(n_points / (n_thr * n_flux)))))
    return ScanGrid({"threshold_kev": np.geomspace(0.2, 10.0, n_thr),
                     "background_cpkkd": np.geomspace(0.05, 50.0, k),
                     "exposure_kg_day": np.geomspace(50.0, 5e4, k),
                     "flux_cm2_s": np.geomspace(3e12, 3e13, n_flux)})


def _timed(grid, n_toys, **kw):
    t0 = time.perf_counter()
    res = run_scan(grid, ToyScanModel(n_toys=n_toys, seed=7), progress=False, **kw)
    return time.perf_counter() - t0, res


def _same(a, b) -> bool:
    return all(np.array_equal(a.column(k), b.column(k)) for k in a.columns)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--points", type=int, default=4000,
                    help="about this many grid points (4000 -> 3840: >= 60 s of serial work)")
    ap.add_argument("--n-toys", type=int, default=10_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--no-growth", action="store_true")
    ap.add_argument("--quick", action="store_true", help="small sizes (a smoke run)")
    args = ap.parse_args(argv)
    if args.quick:
        args.points, args.n_toys = 60, 2000
    from dask.distributed import Client

    from nuem.inference.scan_exec import local_dask_cluster

    run_scan(_grid(1), ToyScanModel(n_toys=10), executor="serial", progress=False)  # imports
    grid = _grid(args.points)
    blocks = [ScanGrid({**grid.axes, "threshold_kev": [thr]}) for thr in
              grid.axes["threshold_kev"]]
    print(f"Toy scan: {len(grid)} points x {args.n_toys} toys (feldman-cousins), "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}; timed in "
          f"{len(blocks)} blocks (one per threshold), serial and Dask alternating, so that "
          "changes of the machine's load hit both alike")
    t0 = time.perf_counter()
    with local_dask_cluster(args.workers) as cluster, Client(cluster) as client:
        t_up = time.perf_counter() - t0
        run_scan(_grid(8), ToyScanModel(n_toys=100), executor=client, progress=False)  # warm
        t_ser = t_dask = cpu_ser = cpu_dask = 0.0
        same, n_tasks = True, 0
        for i, block in enumerate(blocks):
            order = ("serial", "dask") if i % 2 == 0 else ("dask", "serial")
            out = {}
            for which in order:
                if which == "serial":
                    c0 = time.process_time()
                    dt, out[which] = _timed(block, args.n_toys, executor="serial")
                    t_ser += dt
                    cpu_ser += time.process_time() - c0
                else:
                    c0 = sum(client.run(time.process_time).values())
                    dt, out[which] = _timed(block, args.n_toys, executor=client)
                    t_dask += dt
                    cpu_dask += sum(client.run(time.process_time).values()) - c0
            same &= _same(out["serial"], out["dask"])
            n_tasks += out["dask"].meta["n_chunks"]
        speed = t_ser / t_dask
        print(f"  serial (this process)          : {t_ser:8.2f} s  (target: >= 60 s of work)")
        print(f"  dask, {args.workers} workers                 : {t_dask:8.2f} s  "
              f"(cluster start-up {t_up:.2f} s, {n_tasks} tasks)")
        print(f"  speed-up {speed:.2f}x (target >= 1.7x: {'OK' if speed >= 1.7 else 'SLOW'}); "
              f"bit-identical to serial: {'yes' if same else 'NO'}; load average "
              f"{os.getloadavg()[0]:.2f}")
        eff = cpu_ser / cpu_dask
        print(f"  CPU: serial {cpu_ser:.1f} s, Dask workers {cpu_dask:.1f} s (parallel efficiency "
              f"{eff:.2f}); with {args.workers} idle cores the speed-up would be "
              f"{args.workers * eff:.2f}x. Under load, Linux's autogroup scheduling gives all "
              "processes of one session one share, so extra workers gain little while other "
              "sessions keep the cores busy.")
        if not args.no_growth:
            print("Growth (seconds; per point-toy in microseconds):")
            print(f"  {'points':>6} {'toys':>6} {'serial':>9} {'dask':>9} {'us/pt-toy':>10} "
                  f"{'speed-up':>8}")
            for n_pts in (8, 32, 128):
                for n_toys in (100, 1000, 10_000):
                    g = _grid(n_pts)
                    ts, a = _timed(g, n_toys, executor="serial")
                    td, b = _timed(g, n_toys, executor=client)
                    assert _same(a, b)
                    print(f"  {len(g):6d} {n_toys:6d} {ts:9.3f} {td:9.3f} "
                          f"{1e6 * ts / (len(g) * n_toys):10.2f} {ts / td:8.2f}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
