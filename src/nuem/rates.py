"""Event rates: flux (x) cross section (x) target -> dR/dT in counts/(kg keV day).

For every process in nuem the differential cross section at fixed recoil energy T is a
polynomial in 1/E_nu (seed 004 Eqs. 4, 6, 8, 9; see :mod:`nuem.interactions`)::

    dsigma/dT (T, E_nu) = c0(T) + c1(T)/E_nu + c2(T)/E_nu^2      for E_nu >= E_nu,min(T)

so the flux-averaged rate is an exact sum over the tail moments of the flux,

    dR/dT = N_t(T) * sum_k c_k(T) * M_k(E_nu,min(T)),   M_k(x) = int_x phi(E) E^-k dE,

which :class:`nuem.sources.flux.TabulatedFlux` evaluates in closed form per linear segment.
There is no quadrature: for the tabulated flux the result is exact to floating-point rounding
(relative 1e-12 or better except within ~1e-6 of a kinematic end point, where the rate itself
vanishes). N_t(T) is the number of targets per kg: active electrons (free: Z per atom; stepping:
electrons with binding energy <= T, Kopeikin et al. 1997) for electron recoils, nuclei of each
natural isotope for nuclear recoils.

Components (keys of :attr:`RateSpectrum.components`), all in counts/(kg keV day):

* ``sm_electron``: SM nu-e scattering (seed 004 Eq. 4-5), with the charge-radius shift of g_V
  when ``r2_cm2`` is non-zero;
* ``magnetic_moment``: mu_nu on electrons (seed 004 Eq. 6), no interference with SM;
* ``millicharge``: what delta_Q adds to ``sm_electron``, interference included (may be < 0);
* ``cevns``: coherent nu-N, SM (seed 004 Eq. 8, Helm form factor), T = nuclear recoil energy;
* ``cevns_magnetic_moment``: coherent mu_nu term (seed 004 Eq. 9).

Atomic models (docs/atomic_models.md) are chosen per electron channel, argument ``atomic``:

==================  ===========================================  ==========
channel             allowed models                                default
==================  ===========================================  ==========
``sm_electron``     free, stepping                                stepping
``magnetic_moment`` free, stepping, epa (historical, warns)       stepping
``millicharge``     free, stepping, ww, pai                       pai
==================  ===========================================  ==========

``atomic`` may be ``None`` (the defaults), a mapping ``{channel: model}`` (other channels keep
their defaults), or one model name: ``"free"``/``"stepping"`` set every channel; a
channel-specific name sets only its channel (``"epa"`` -> magnetic_moment, ``"pai"``/``"ww"``
-> millicharge) and is an error if that channel's parameter is zero. An invalid
channel/model pair raises :class:`~nuem.exceptions.InvalidParameterError`. The models used are
recorded in ``parameters["atomic_models"]``; ``parameters["atomic"]`` is the model shared by
the active channels (sm_electron, plus magnetic_moment if mu_nu > 0 and millicharge if
delta_q != 0) or ``"channel=model,..."`` if they differ. ``epa`` and ``pai`` are per atom (the
moment k = -2, i.e. E_nu^2, enters for ``epa``). With ``pai``/``ww`` the ``millicharge``
component is the atomic delta_Q^2 term plus the SM-delta_Q interference in the stepping
approximation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from hepunits import day, keV

from . import __version__
from ._validation import choice, finite_scalar, in_range, positive
from .constants import ELECTRON_MASS, SIN2_THETA_W_LOW_Q2
from .exceptions import InvalidParameterError
from .interactions import kinematics as kin
from .interactions import millicharge as mq
from .interactions import neutrino_electron as ne
from .interactions import neutrino_nucleus as nn
from .sources.flux import TabulatedFlux
from .targets import Target, get_target

__all__ = [
    "COMPONENTS",
    "ELECTRON_COMPONENTS",
    "NUCLEAR_COMPONENTS",
    "ATOMIC_MODELS",
    "CHANNEL_ATOMIC_MODELS",
    "resolve_atomic_models",
    "RateSpectrum",
    "differential_rates",
]

ELECTRON_COMPONENTS = ("sm_electron", "magnetic_moment", "millicharge")
NUCLEAR_COMPONENTS = ("cevns", "cevns_magnetic_moment")
COMPONENTS = ELECTRON_COMPONENTS + NUCLEAR_COMPONENTS
#: Atomic models for electron recoils (all channels together).
ATOMIC_MODELS = ("free", "stepping", "epa", "ww", "pai")
#: Allowed atomic models per electron channel (first = default).
CHANNEL_ATOMIC_MODELS = {
    "sm_electron": ("stepping", "free"),
    "magnetic_moment": ("stepping", "free", "epa"),
    "millicharge": ("pai", "stepping", "free", "ww"),
}
_MODEL_CHANNEL = {"epa": "magnetic_moment", "pai": "millicharge", "ww": "millicharge"}

_MODEL_NOTES = {
    "free": "free electrons (Z per atom)",
    "stepping": "stepping approximation, xraylib binding energies (Kopeikin et al. 1997)",
    "epa": "HISTORICAL seed 003 Eq. 10 equivalent-photon mu_nu cross section, withdrawn "
           "(Voloshin PRL 105, 201801 (2010)); photoabsorption per atom",
    "ww": "Weizsaecker-Williams equivalent photons, density-effect regulator; interference "
          "in the stepping approximation",
    "pai": "photoabsorption-ionization model, Allison & Cobb 1980 Eq. 28 (beta = 1); "
           "interference in the stepping approximation",
}
_RATE_UNIT = 1.0 / (keV * day)  # hepunits value of 1 /(keV day); rates are per kg


@dataclass(frozen=True)
class RateSpectrum:
    """Differential rates at recoil energies ``t_kev``, per component, counts/(kg keV day).

    ``t_kev`` is the true recoil energy: electron recoil for the electron components, nuclear
    recoil for the coherent ones.
    """

    t_kev: np.ndarray
    components: dict[str, np.ndarray]
    parameters: dict = field(default_factory=dict)
    provenance: dict = field(default_factory=dict)

    @property
    def total_electron(self) -> np.ndarray:
        """Sum of the electron-recoil components, counts/(kg keV day)."""
        return sum(self.components[c] for c in ELECTRON_COMPONENTS if c in self.components)

    @property
    def total_nuclear(self) -> np.ndarray:
        """Sum of the nuclear-recoil components, counts/(kg keV day)."""
        return sum(self.components[c] for c in NUCLEAR_COMPONENTS if c in self.components)

    def to_dict(self) -> dict:
        """Plain-Python form (lists) for JSON output."""
        return {
            "t_kev": self.t_kev.tolist(),
            "units": "counts/(kg keV day)",
            "components": {k: v.tolist() for k, v in self.components.items()},
            "total_electron_recoil": np.asarray(self.total_electron).tolist(),
            "total_nuclear_recoil": np.asarray(self.total_nuclear).tolist(),
            "parameters": self.parameters,
            "provenance": self.provenance,
        }


def _electron_targets(target: Target, t: np.ndarray, atomic: str) -> np.ndarray:
    if atomic == "free":
        return np.full_like(t, target.electrons_per_kg)
    return target.active_electrons_per_kg(t)


def resolve_atomic_models(atomic=None, *, mu_nu: float = 0.0, delta_q: float = 0.0
                          ) -> dict[str, str]:
    """Per-channel atomic models from the ``atomic`` argument (module docstring rules).

    Examples
    --------
    >>> resolve_atomic_models(None)
    {'sm_electron': 'stepping', 'magnetic_moment': 'stepping', 'millicharge': 'pai'}
    >>> resolve_atomic_models("free")["millicharge"]
    'free'
    >>> resolve_atomic_models({"millicharge": "ww"})["millicharge"]
    'ww'
    """
    models = {ch: allowed[0] for ch, allowed in CHANNEL_ATOMIC_MODELS.items()}
    if atomic is None:
        return models
    if isinstance(atomic, Mapping):
        for ch, model in atomic.items():
            choice(ch, "atomic channel", CHANNEL_ATOMIC_MODELS)
            choice(model, f"atomic[{ch!r}]", ATOMIC_MODELS)
            if model not in CHANNEL_ATOMIC_MODELS[ch]:
                raise InvalidParameterError(
                    f"atomic[{ch!r}]={model!r} is not a valid model for the {ch} channel; "
                    f"allowed: {', '.join(CHANNEL_ATOMIC_MODELS[ch])}")
            models[ch] = model
        return models
    if not isinstance(atomic, str):
        raise InvalidParameterError(f"atomic={atomic!r} must be None, a model name or a mapping")
    choice(atomic, "atomic", ATOMIC_MODELS)
    if atomic in ("free", "stepping"):
        return dict.fromkeys(models, atomic)
    ch = _MODEL_CHANNEL[atomic]
    value, pname = (mu_nu, "mu_nu") if ch == "magnetic_moment" else (delta_q, "delta_q")
    if value == 0:
        raise InvalidParameterError(
            f"atomic={atomic!r} is a model of the {ch} channel only and needs {pname} != 0, "
            f"but {pname}=0: invalid combination. Allowed per channel: sm_electron "
            "free|stepping; magnetic_moment free|stepping|epa; millicharge free|stepping|ww|pai")
    models[ch] = atomic
    return models


def _atomic_summary(models: dict[str, str], mu_nu: float, delta_q: float) -> str:
    active = ["sm_electron"] + (["magnetic_moment"] if mu_nu else []) \
        + (["millicharge"] if delta_q else [])
    used = {models[c] for c in active}
    if len(used) == 1:
        return used.pop()
    return ",".join(f"{c}={models[c]}" for c in active)


def _formula_units_per_kg(tgt: Target) -> float:
    return tgt.electrons_per_kg / sum(n * e.z for e, n in tgt.elements)


def _atomic_rate(tgt, flux, t, comp, model, mu_nu, delta_q, sin2w, gv_shift, emin, source,
                 density_g_cm3):
    """Rate (hepunits per kg) of an electron channel with model epa, ww or pai."""
    from .atoms import ionization as ion

    fu = _formula_units_per_kg(tgt)
    if model == "epa":
        ion.warn_historical_epa(stacklevel=4)
        coef = ion.mu_nu_epa_coefficients(tgt, t, mu_nu, source)
        return fu * coef[-2] * flux.moments(emin, powers=(-2,))[0]
    fn = ion.millicharge_pai_coefficients if model == "pai" else ion.millicharge_ww_coefficients
    coef = fu * fn(tgt, t, delta_q, source, density_g_cm3=density_g_cm3)
    interference = mq.millicharge_difference_coefficients(t, delta_q, flux.flavor, sin2w,
                                                          gv_shift) \
        - mq.millicharge_pure_coefficients(t, delta_q)
    coef = coef + _electron_targets(tgt, t, "stepping") * interference
    return np.einsum("k...,k...->...", coef, flux.moments(emin))


def differential_rates(target, flux: TabulatedFlux, t_kev, *, mu_nu: float = 0.0,
                       delta_q: float = 0.0, r2_cm2: float = 0.0, atomic=None,
                       sin2w: float = SIN2_THETA_W_LOW_Q2, r2_convention: str = "canonical",
                       components=COMPONENTS, sigma_gamma_source: str = "composite",
                       density_g_cm3: float | None = None) -> RateSpectrum:
    """Differential event rates dR/dT for a target exposed to a flux.

    Parameters
    ----------
    target : str or Target
        Element symbol or chemical formula (``"Ge"``, ``"CsI"``, ...) or a :class:`Target`.
    flux : TabulatedFlux
        The incident flux (its ``flavor`` selects the SM couplings), cm^-2 s^-1 MeV^-1.
    t_kev : array_like
        Recoil energies in keV, > 0 (electron recoil for electron components, nuclear recoil
        for the coherent ones).
    mu_nu : float
        Effective neutrino magnetic moment in Bohr magnetons (>= 0).
    delta_q : float
        Neutrino millicharge in units of the elementary charge (any sign; see
        :mod:`nuem.interactions.neutrino_electron` for the sign convention).
    r2_cm2 : float
        Neutrino charge radius <r^2> in cm^2 (any sign); shifts g_V of ``sm_electron``.
    atomic : None, str or mapping
        Atomic model per electron channel (module docstring): ``None`` = defaults (stepping for
        SM and mu_nu, pai for delta_Q); ``"free"``/``"stepping"`` for all channels;
        ``"epa"`` (mu_nu, historical, warns), ``"pai"``/``"ww"`` (delta_Q); or
        ``{channel: model}``.
    sin2w : float
        sin^2(theta_W), default the low-Q^2 MS-bar value 0.23857 (PDG).
    r2_convention : {"canonical", "tree-level"}
        Normalisation of the charge-radius shift (see ``charge_radius_gv_shift``).
    components : sequence of str
        Subset of :data:`COMPONENTS` to compute.
    sigma_gamma_source : {"composite", "henke", "elam", "kissel"}
        Photoabsorption table for the epa/ww/pai models.
    density_g_cm3 : float, optional
        Target density for the density effect of pai/ww (default: tabulated for elements).

    Returns
    -------
    RateSpectrum
        Rates in counts/(kg keV day) per component.

    Examples
    --------
    >>> from nuem.sources.reactor import reactor_flux
    >>> r = differential_rates("Ge", reactor_flux(1e13), [10.0], mu_nu=1e-10, atomic="free")
    >>> bool(0.055 < r.components["magnetic_moment"][0] < 0.058)
    True
    """
    tgt = target if isinstance(target, Target) else get_target(target)
    if not isinstance(flux, TabulatedFlux):
        raise TypeError("flux must be a nuem.sources.flux.TabulatedFlux")
    t_kev = positive(t_kev, "t_kev", "keV")
    mu_nu = float(positive(mu_nu, "mu_nu", "mu_B", allow_zero=True))
    delta_q = finite_scalar(delta_q, "delta_q")
    r2_cm2 = finite_scalar(r2_cm2, "r2_cm2")
    sin2w = in_range(sin2w, "sin2w", 0.0, 1.0)
    models = resolve_atomic_models(atomic, mu_nu=mu_nu, delta_q=delta_q)
    for c in components:
        choice(c, "components", COMPONENTS)

    t = np.atleast_1d(t_kev) * keV
    out: dict[str, np.ndarray] = {}
    wanted_e = [c for c in components if c in ELECTRON_COMPONENTS]
    if wanted_e:
        emin = kin.enu_min(t, ELECTRON_MASS)
        mom = flux.moments(emin)
        gv_shift = ne.charge_radius_gv_shift_internal(r2_cm2, r2_convention, sin2w) \
            if r2_cm2 else 0.0
        for comp in wanted_e:
            model = models[comp]
            if model in ("epa", "ww", "pai"):
                if (mu_nu if comp == "magnetic_moment" else delta_q) == 0:
                    out[comp] = np.zeros_like(t)
                    continue
                out[comp] = _atomic_rate(tgt, flux, t, comp, model, mu_nu, delta_q, sin2w,
                                         gv_shift, emin, sigma_gamma_source,
                                         density_g_cm3) / _RATE_UNIT
                continue
            n_e = _electron_targets(tgt, t, model)
            if comp == "sm_electron":
                coef = ne.sm_coefficients(t, flux.flavor, sin2w, gv_shift)
            elif comp == "magnetic_moment":
                coef = ne.magnetic_moment_coefficients(t, mu_nu)
            else:
                coef = mq.millicharge_difference_coefficients(t, delta_q, flux.flavor, sin2w,
                                                              gv_shift)
            out[comp] = n_e * np.einsum("k...,k...->...", coef, mom) / _RATE_UNIT
    wanted_n = [c for c in components if c in NUCLEAR_COMPONENTS]
    for comp in wanted_n:
        out[comp] = np.zeros_like(t)
    if wanted_n:
        for iso, n_per_kg in tgt.isotopes_per_kg():
            mass = nn.nucleus_mass(iso.z, iso.mass_u)
            mom = flux.moments(kin.enu_min(t, mass))
            for comp in wanted_n:
                if comp == "cevns":
                    coef = nn.cevns_coefficients(t, iso.z, iso.n, mass, sin2w)
                else:
                    coef = nn.cevns_magnetic_moment_coefficients(t, iso.z, iso.a, mass, mu_nu)
                out[comp] += n_per_kg * np.einsum("k...,k...->...", coef, mom) / _RATE_UNIT
    ordered = {c: out[c] for c in COMPONENTS if c in out}
    return RateSpectrum(
        t_kev=np.atleast_1d(t_kev).copy(),
        components=ordered,
        parameters={"target": tgt.name, "mu_nu": mu_nu, "delta_q": delta_q, "r2_cm2": r2_cm2,
                    "atomic": _atomic_summary(models, mu_nu, delta_q),
                    "atomic_models": models, "sigma_gamma_source": sigma_gamma_source,
                    "sin2w": sin2w, "r2_convention": r2_convention,
                    "flavor": flux.flavor, "flux_cm2_s": flux.total_cm2_s()},
        provenance={"nuem": __version__, "flux": flux.label,
                    "integration": "exact per-segment flux moments (no quadrature)",
                    "electron_targets": {c: _MODEL_NOTES[m] for c, m in models.items()}},
    )
