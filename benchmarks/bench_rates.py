"""Benchmark: the full rate spectrum against a per-point ``scipy.integrate.quad`` reference.

Run from the repository root::

    python benchmarks/bench_rates.py [--points 1000] [--quad-points 10]

It computes all five components (SM nu-e, mu_nu, delta_Q, coherent SM, coherent mu_nu) of the
germanium spectrum at ``--points`` log-spaced recoil energies (0.1-100 keV, stepping
approximation, reactor spectrum at 1e13 /cm2/s, mu_nu = 1e-10 mu_B, delta_Q = 1e-12 e) with
:func:`nuem.differential_rates`, and the same physics with one adaptive ``quad`` per point,
component and isotope (``quad_reference.py``). The quad version takes seconds per point, so it
is run on ``--quad-points`` energies spread over the same range and its time per point is
scaled to the full spectrum (stated in the output). Printed: median time of nuem, quad time,
speed ratio, and the largest relative difference over the compared points where the reference
is non-zero (targets: ratio >= 100, difference <= 1e-4, nuem <= 10 ms).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from quad_reference import quad_rates  # noqa: E402

from nuem import ReactorSource, differential_rates, get_target, reactor_flux  # noqa: E402

PARAMS = {"mu_nu": 1e-10, "delta_q": 1e-12, "atomic": "stepping"}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--points", type=int, default=1000)
    ap.add_argument("--quad-points", type=int, default=10)
    ap.add_argument("--repeat", type=int, default=30)
    args = ap.parse_args(argv)

    target = get_target("Ge")
    build = []
    for _ in range(5):
        t0 = time.perf_counter()
        ReactorSource(power_gw=2.9, distance_m=28.0).tabulated()
        build.append(time.perf_counter() - t0)
    print(f"reactor source tabulation (~4200 nodes): {statistics.median(build) * 1e3:.1f} ms")
    flux = reactor_flux(1e13)
    t = np.geomspace(0.1, 100.0, args.points)
    differential_rates(target, flux, t, **PARAMS)  # warm caches (form factors, tables)
    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        fast = differential_rates(target, flux, t, **PARAMS).components
        times.append(time.perf_counter() - t0)
    t_fast = statistics.median(times)

    idx = np.unique(np.linspace(0, args.points - 1, args.quad_points).round().astype(int))
    t0 = time.perf_counter()
    ref = quad_rates(target, flux, t[idx], **PARAMS)
    t_quad_per_point = (time.perf_counter() - t0) / idx.size
    t_quad = t_quad_per_point * args.points

    print(f"nuem.differential_rates: {args.points} points x 5 components: "
          f"{t_fast * 1e3:.2f} ms (median of {args.repeat})")
    print(f"per-point quad reference: {t_quad_per_point:.3f} s/point measured on {idx.size} "
          f"points -> {t_quad:.1f} s for {args.points} points (scaled)")
    print(f"speed ratio: {t_quad / t_fast:.3g}x")
    worst = 0.0
    for comp, r in ref.items():
        mask = r != 0
        if not mask.any():
            continue
        diff = float(np.max(np.abs(fast[comp][idx][mask] / r[mask] - 1.0)))
        worst = max(worst, diff)
        print(f"  {comp:24s} max relative difference {diff:.2e}")
    print(f"largest relative difference: {worst:.2e}")
    ok = t_quad / t_fast >= 100 and worst <= 1e-4 and t_fast <= 0.010
    print("targets (ratio >= 100, difference <= 1e-4, <= 10 ms):", "met" if ok else "NOT met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
