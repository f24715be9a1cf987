"""A plain reference implementation of the rates: per-point ``scipy.integrate.quad``.

This is the straightforward way to compute dR/dT = N_t(T) int phi(E) dsigma/dT(T, E) dE: one
adaptive quadrature per recoil energy, per component and per isotope, calling the public
cross-section functions of nuem (same physics, same flux table). It exists only to measure the
speed and accuracy of :func:`nuem.rates.differential_rates` against it.
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy.integrate import IntegrationWarning, quad

from nuem.interactions import (
    dsigma_dt_cevns,
    dsigma_dt_cevns_magnetic_moment,
    dsigma_dt_magnetic_moment,
    dsigma_dt_millicharge_difference,
    dsigma_dt_sm,
    enu_min_mev,
)
from nuem.interactions.neutrino_nucleus import nucleus_mass

SECONDS_PER_DAY = 86400.0
ME_MEV = 0.51099895


def _integrate(func, lo, hi, epsrel):
    if lo >= hi:
        return 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", IntegrationWarning)
        return quad(func, lo, hi, epsrel=epsrel, epsabs=0.0, limit=500)[0]


def quad_rates(target, flux, t_kev, *, mu_nu=0.0, delta_q=0.0, atomic="stepping",
               epsrel=1e-7):
    """Same output as ``differential_rates(...).components`` (counts/(kg keV day))."""
    emax = flux.enu_max_mev
    phi = flux.dphi_cm2_s_mev
    out = {k: np.zeros(len(t_kev)) for k in ("sm_electron", "magnetic_moment", "millicharge",
                                              "cevns", "cevns_magnetic_moment")}
    isotopes = [(iso, n, float(nucleus_mass(iso.z, iso.mass_u))) for iso, n in
                target.isotopes_per_kg()]
    for i, t in enumerate(t_kev):
        n_e = (target.electrons_per_kg if atomic == "free"
               else float(target.active_electrons_per_kg_kev(t)))
        emin = float(enu_min_mev(t, ME_MEV))
        out["sm_electron"][i] = n_e * _integrate(
            lambda e, t=t: phi(e) * dsigma_dt_sm(t, e), emin, emax, epsrel)
        out["magnetic_moment"][i] = n_e * _integrate(
            lambda e, t=t: phi(e) * dsigma_dt_magnetic_moment(t, e, mu_nu), emin, emax, epsrel)
        if delta_q:
            out["millicharge"][i] = n_e * _integrate(
                lambda e, t=t: phi(e) * dsigma_dt_millicharge_difference(t, e, delta_q),
                emin, emax, epsrel)
        for iso, n_iso, mass in isotopes:
            em = float(enu_min_mev(t, mass))
            nuc = {"z": iso.z, "n": iso.n, "mass_mev": mass}
            out["cevns"][i] += n_iso * _integrate(
                lambda e, t=t, nuc=nuc: phi(e) * dsigma_dt_cevns(t, e, **nuc), em, emax, epsrel)
            out["cevns_magnetic_moment"][i] += n_iso * _integrate(
                lambda e, t=t, nuc=nuc: phi(e) * dsigma_dt_cevns_magnetic_moment(t, e, mu_nu,
                                                                                 **nuc),
                em, emax, epsrel)
    return {k: v * SECONDS_PER_DAY for k, v in out.items()}
