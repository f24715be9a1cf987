"""Benchmark: 1000-point delta_Q PAI spectrum on Ge vs a plain per-point reference.

Run from the repository root::

    python benchmarks/bench_pai.py [--points 1000] [--quad-points 10]

nuem: :func:`nuem.differential_rates` with ``atomic="pai"``, ``delta_q=1e-12``, component
``millicharge`` (PAI delta_Q^2 term + stepping interference), reactor flux 1e13 /cm2/s,
T log-spaced over 0.1-100 keV (tables cached by a warm-up call). Reference: for each T one
adaptive ``scipy.integrate.quad`` over E_nu of flux x :func:`dsigma_dt_millicharge_pai`
(pure delta_Q^2 term only, so the reference does less work), on ``--quad-points`` energies and
scaled to the full spectrum. Target: nuem <= 50 ms for 1000 points.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
from scipy.integrate import quad

from nuem import differential_rates, get_target, reactor_flux
from nuem.interactions.atomic_ionization import dsigma_dt_millicharge_pai


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--points", type=int, default=1000)
    ap.add_argument("--quad-points", type=int, default=10)
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args(argv)
    ge, flux = get_target("Ge"), reactor_flux(1e13)
    t = np.geomspace(0.1, 100.0, args.points)
    kw = {"delta_q": 1e-12, "atomic": "pai", "components": ["millicharge"]}
    differential_rates(ge, flux, t, **kw)  # warm caches (tables, Kramers-Kronig)
    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        differential_rates(ge, flux, t, **kw)
        times.append(time.perf_counter() - t0)
    fast = statistics.median(times)
    tq = np.geomspace(0.1, 100.0, args.quad_points)
    emax = flux.enu_max_mev
    t0 = time.perf_counter()
    for ti in tq:
        quad(lambda e, ti=ti: flux.dphi_cm2_s_mev(e) * dsigma_dt_millicharge_pai(ti, e, 1e-12),
             0.01, emax, limit=200)
    slow = (time.perf_counter() - t0) / args.quad_points * args.points
    print(f"nuem PAI spectrum, {args.points} points: {fast * 1e3:.1f} ms (median of "
          f"{args.repeat}); target <= 50 ms: {'OK' if fast <= 0.05 else 'MISSED'}")
    print(f"per-point quad reference (scaled from {args.quad_points} points): {slow:.1f} s")
    print(f"speed ratio: {slow / fast:.3g}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
