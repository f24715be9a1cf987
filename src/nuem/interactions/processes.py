"""The built-in processes of the rate engine (registered in :mod:`nuem.interactions.registry`).

Each process turns the free-particle cross sections of its family module into the coefficient
protocol of the registry: ``{k: c_k(T)}`` per kg of target, with dR/dT = sum_k c_k M_k(E_min).

==========================  ========  ====================================================
process                     recoil    cross section
==========================  ========  ====================================================
``sm_electron``             electron  SM nu-e, Wong & Li, MPLA 20, 1103 (2005), Eqs. 4-5, with
                                      the charge-radius shift of g_V
``magnetic_moment``         electron  mu_nu on electrons, same paper Eq. 6 (no interference)
``millicharge``             electron  what delta_Q adds to the SM: pure term and interference
                                      (Giunti & Studenikin, RMP 87, 531 (2015)); may be < 0
``cevns``                   nuclear   coherent nu-N, Wong & Li 2005 Eq. 8 x Helm F^2
``cevns_magnetic_moment``   nuclear   coherent mu_nu term, Wong & Li 2005 Eq. 9 x Helm F^2
==========================  ========  ====================================================

Atomic models of the electron processes (first = default; docs/atomic_models.md):
``sm_electron`` stepping, free; ``magnetic_moment`` stepping, free, epa (historical, warns);
``millicharge`` pai, stepping, free, ww. The millicharge component is the delta_Q^2 term in its
own model plus the SM-delta_Q interference in the SM channel's model (by default stepping); when
the two models differ the interference is bounded by |I| <= 2 sqrt(R_weak R_dQ)
(Cauchy-Schwarz) so that no model gives a negative total rate.
"""

from __future__ import annotations

import numpy as np

from . import atomic_ionization as ai
from . import millicharge as mq
from . import neutrino_electron as ne
from . import neutrino_nucleus as nn
from .registry import Process, ProcessContext, as_power_coefficients

__all__ = ["SM_ELECTRON", "MAGNETIC_MOMENT", "MILLICHARGE", "CEVNS", "CEVNS_MAGNETIC_MOMENT"]


def _gv_shift(ctx: ProcessContext):
    r2 = ctx.params.get("r2_cm2", 0.0)
    return ne.charge_radius_gv_shift_internal(r2, ctx.r2_convention, ctx.sin2w) if r2 else 0.0


def _sm_electron(t, ctx: ProcessContext):
    coef = ne.sm_coefficients(t, ctx.flavor, ctx.sin2w, _gv_shift(ctx), ctx.couplings)
    return as_power_coefficients(ctx.electrons_per_kg(t) * coef)


def _magnetic_moment(t, ctx: ProcessContext):
    mu = ctx.params["mu_nu"]
    if ctx.model == "epa":
        ai.warn_historical_epa(stacklevel=6)
        coef = ai.mu_nu_epa_coefficients(ctx.target, t, mu, ctx.sigma_gamma_source)
        return {k: ctx.formula_units_per_kg() * c for k, c in coef.items()}
    return as_power_coefficients(ctx.electrons_per_kg(t)
                                 * ne.magnetic_moment_coefficients(t, mu))


def _millicharge(t, ctx: ProcessContext):
    """Pure delta_Q^2 term in this process's atomic model; the SM-delta_Q interference in the
    SM channel's model (it is interference with the SM amplitude), bounded when they differ."""
    dq = ctx.params["delta_q"]
    shift = _gv_shift(ctx)
    diff = mq.millicharge_difference_coefficients(t, dq, ctx.flavor, ctx.sin2w, shift,
                                                  ctx.couplings)
    sm_model = ctx.models.get("sm_electron", "stepping")
    if ctx.model == sm_model:  # one atomic treatment for every term (free or stepping)
        return {"difference": as_power_coefficients(ctx.electrons_per_kg(t) * diff)}
    if ctx.model in ("pai", "ww"):
        fn = ai.millicharge_pai_coefficients if ctx.model == "pai" \
            else ai.millicharge_ww_coefficients
        pure = ctx.formula_units_per_kg() * fn(ctx.target, t, dq, ctx.sigma_gamma_source,
                                               density_g_cm3=ctx.density_g_cm3)
    else:
        pure = ctx.electrons_per_kg(t) * mq.millicharge_pure_coefficients(t, dq)
    n_sm = ctx.electrons_per_kg(t, sm_model)
    interference = diff - mq.millicharge_pure_coefficients(t, dq)
    weak = ne.sm_coefficients(t, ctx.flavor, ctx.sin2w, shift, ctx.couplings)
    return {"pure": as_power_coefficients(pure),
            "interference": as_power_coefficients(n_sm * interference),
            "weak": as_power_coefficients(n_sm * weak)}


def _bounded_millicharge(rates):
    """Rate of the millicharge component from its flux-averaged terms.

    With one atomic treatment (both channels free, or both stepping) the algebraic difference is
    returned as is: SM + it is |A_weak + A_dQ|^2 >= 0. Otherwise (pai/ww, or a mapping that
    mixes free and stepping) the pure delta_Q^2 term and the SM-delta_Q interference come from
    different models; the interference is then bounded by the Cauchy-Schwarz inequality
    |I| <= 2 sqrt(R_weak R_dQ) (valid pointwise in E_nu, hence for flux averages), with R_weak the
    SM rate in the SM channel's model, so that the total R_weak + R_dQ + I >=
    (sqrt R_weak - sqrt R_dQ)^2 >= 0 for every model, sign and energy.
    """
    if "difference" in rates:
        return rates["difference"]
    bound = 2.0 * np.sqrt(np.maximum(rates["weak"], 0.0) * np.maximum(rates["pure"], 0.0))
    return rates["pure"] + np.clip(rates["interference"], -bound, bound)


def _cevns(t, ctx: ProcessContext):
    sc = ctx.scatterer
    return as_power_coefficients(sc.per_kg * nn.cevns_coefficients(t, sc.z, sc.n, sc.mass,
                                                                    ctx.sin2w, ctx.couplings))


def _cevns_magnetic_moment(t, ctx: ProcessContext):
    sc = ctx.scatterer
    coef = nn.cevns_magnetic_moment_coefficients(t, sc.z, sc.a, sc.mass, ctx.params["mu_nu"])
    return as_power_coefficients(sc.per_kg * coef)


_WL2005 = "Wong & Li, Mod. Phys. Lett. A 20, 1103 (2005)"

SM_ELECTRON = Process(
    "sm_electron", "electron", _sm_electron, parameters=("r2_cm2",), flavor_dependent=True,
    atomic_models=("stepping", "free"),
    description="SM nu-e elastic scattering (tree or radiative couplings), charge-radius "
                "shift of g_V",
    references=(f"{_WL2005}, Eqs. 4-5",
                "Bahcall, Kamionkowski & Sirlin, Phys. Rev. D 51, 6146 (1995)"))
MAGNETIC_MOMENT = Process(
    "magnetic_moment", "electron", _magnetic_moment, parameters=("mu_nu",),
    signal_parameters=("mu_nu",), atomic_models=("stepping", "free", "epa"),
    description="neutrino magnetic moment on electrons (helicity flip, no SM interference)",
    references=(f"{_WL2005}, Eq. 6",))
MILLICHARGE = Process(
    "millicharge", "electron", _millicharge, parameters=("delta_q", "r2_cm2"),
    signal_parameters=("delta_q",), flavor_dependent=True,
    atomic_models=("pai", "stepping", "free", "ww"), combine=_bounded_millicharge,
    description="what a millicharge adds to SM nu-e (pure term and interference; may be < 0)",
    references=("Giunti & Studenikin, Rev. Mod. Phys. 87, 531 (2015)",
                "Allison & Cobb, Ann. Rev. Nucl. Part. Sci. 30, 253 (1980), Eq. 28"))
CEVNS = Process(
    "cevns", "nuclear", _cevns,
    description="coherent elastic nu-nucleus scattering (SM, tree or radiative nucleon "
                "couplings), Helm form factor",
    references=(f"{_WL2005}, Eq. 8", "Lewin & Smith, Astropart. Phys. 6, 87 (1996), Eq. 4.7"))
CEVNS_MAGNETIC_MOMENT = Process(
    "cevns_magnetic_moment", "nuclear", _cevns_magnetic_moment, parameters=("mu_nu",),
    signal_parameters=("mu_nu",),
    description="coherent magnetic-moment scattering on spin-0 nuclei, Helm form factor",
    references=(f"{_WL2005}, Eq. 9",))
