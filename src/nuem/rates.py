"""Event rates: any flux (x) registered processes (x) target -> dR/dT in counts/(kg keV day).

Every process in nuem gives, at fixed recoil energy T, a differential cross section that is a
finite sum of powers of 1/E_nu above the kinematic threshold (Wong & Li, Mod. Phys. Lett. A 20,
1103 (2005), Eqs. 4, 6, 8, 9; docs/interactions.md). The flux-averaged rate is then an exact sum
over the tail moments of the flux,

    dR/dT = sum_k c_k(T) M_k(E_nu,min(T)),    M_k(x) = int_{E >= x} dPhi/dE E^-k dE,

with c_k per kilogram of target (the process multiplies by its scatterers: active electrons,
or the nuclei of each natural isotope). The flux is anything that implements the flux protocol
(:mod:`nuem.sources.protocol`: :class:`~nuem.sources.flux.TabulatedFlux` with closed-form
per-segment moments, :class:`~nuem.sources.lines.LineFlux`, :class:`~nuem.sources.mixture.
FlavorMixture`, or a user class). There is no quadrature: for a tabulated flux the result is exact
to floating-point rounding (relative 1e-12 or better except within ~1e-6 of a kinematic end
point, where the rate itself vanishes); for lines it is the single-energy formula.

Processes come from the registry :data:`nuem.interactions.registry.PROCESSES` (built-ins:
``sm_electron``, ``magnetic_moment``, ``millicharge``, ``cevns``, ``cevns_magnetic_moment``;
:mod:`nuem.interactions.processes`); a process registered by user code appears in the output
without any change here. Flavour-dependent processes are summed over the flavours of the flux,
each with its own couplings.

Atomic models (docs/atomic_models.md) are chosen per electron process, argument ``atomic``:
``None`` (each process's default: stepping for ``sm_electron`` and ``magnetic_moment``, pai for
``millicharge``), a mapping ``{process: model}`` (others keep their defaults), or one model
name, applied to every electron process that supports it (``"free"``/``"stepping"``: all;
``"epa"``: magnetic_moment, historical, warns; ``"pai"``/``"ww"``: millicharge); a single name
that no *active* process supports (e.g. ``"epa"`` with mu_nu = 0) is an error. The models used
are recorded in ``parameters["atomic_models"]``; ``parameters["atomic"]`` is the model shared by
the active electron processes or ``"process=model,..."`` if they differ.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from hepunits import day, keV

from . import __version__
from ._validation import choice, in_range, positive
from .constants import SIN2_THETA_W_LOW_Q2
from .exceptions import InvalidParameterError, UnknownNameError
from .interactions import kinematics as kin
from .interactions.charge_radius import check_r2_convention
from .interactions.couplings import DEFAULT_COUPLINGS, check_couplings
from .interactions.registry import (
    ATOMIC_MODELS,
    PARAMETERS,
    PROCESSES,
    ProcessContext,
    scatterers,
)
from .sources.protocol import check_flux, moments_internal
from .targets import Target, get_target

__all__ = [
    "COMPONENTS",  # noqa: F822 (module __getattr__: a view of the registry)
    "ELECTRON_COMPONENTS",  # noqa: F822 (module __getattr__: a view of the registry)
    "NUCLEAR_COMPONENTS",  # noqa: F822 (module __getattr__: a view of the registry)
    "ATOMIC_MODELS",
    "CHANNEL_ATOMIC_MODELS",  # noqa: F822 (module __getattr__: a view of the registry)
    "resolve_atomic_models",
    "active_processes",
    "break_points_kev",
    "RateSpectrum",
    "differential_rates",
]

_RATE_UNIT = 1.0 / (keV * day)  # hepunits value of 1 /(keV day); rates are per kg
_DYNAMIC = {
    "COMPONENTS": lambda: PROCESSES.names(),
    "ELECTRON_COMPONENTS": lambda: PROCESSES.of_recoil("electron"),
    "NUCLEAR_COMPONENTS": lambda: PROCESSES.of_recoil("nuclear"),
    "CHANNEL_ATOMIC_MODELS": lambda: {p.name: tuple(p.atomic_models) for p in PROCESSES
                                      if p.recoil == "electron"},
}


def __getattr__(name: str):
    """``COMPONENTS`` & co. are views of the process registry (always current)."""
    if name in _DYNAMIC:
        return _DYNAMIC[name]()
    raise AttributeError(f"module 'nuem.rates' has no attribute {name!r}")


@dataclass(frozen=True)
class RateSpectrum:
    """Differential rates at recoil energies ``t_kev``, per component, counts/(kg keV day).

    ``t_kev`` is the true recoil energy: electron recoil for the electron components, nuclear
    recoil for the nuclear ones (``recoil`` maps each component to its kind).
    """

    t_kev: np.ndarray
    components: dict[str, np.ndarray]
    parameters: dict = field(default_factory=dict)
    provenance: dict = field(default_factory=dict)
    recoil: dict = field(default_factory=dict)

    def _total(self, kind: str):
        kinds = self.recoil or {p.name: p.recoil for p in PROCESSES}
        return sum(v for c, v in self.components.items() if kinds.get(c) == kind)

    @property
    def total_electron(self) -> np.ndarray:
        """Sum of the electron-recoil components, counts/(kg keV day)."""
        return self._total("electron")

    @property
    def total_nuclear(self) -> np.ndarray:
        """Sum of the nuclear-recoil components, counts/(kg keV day)."""
        return self._total("nuclear")

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


def _check_params(mu_nu, delta_q, r2_cm2, extra: Mapping) -> dict[str, float]:
    values = {"mu_nu": mu_nu, "delta_q": delta_q, "r2_cm2": r2_cm2, **extra}
    out = {}
    for name in values:
        if name not in PARAMETERS:
            raise UnknownNameError(f"{name}={values[name]!r}: unknown parameter; registered: "
                                   f"{', '.join(PARAMETERS.names())}")
    for par in PARAMETERS:
        out[par.name] = par.check(values.get(par.name, par.default))
    return out


def active_processes(params: Mapping[str, float], processes=None) -> tuple[str, ...]:
    """Names of the processes that do not vanish for these parameter values."""
    reg = PROCESSES if processes is None else processes
    return tuple(p.name for p in reg
                 if not getattr(p, "signal_parameters", ())
                 or any(params.get(s, 0.0) != 0 for s in p.signal_parameters))


def resolve_atomic_models(atomic=None, *, mu_nu: float = 0.0, delta_q: float = 0.0,
                          processes=None, **parameters) -> dict[str, str]:
    """Atomic model of every electron process from the ``atomic`` argument (module docstring).

    Examples
    --------
    >>> resolve_atomic_models(None)
    {'sm_electron': 'stepping', 'magnetic_moment': 'stepping', 'millicharge': 'pai'}
    >>> resolve_atomic_models("free")["millicharge"]
    'free'
    >>> resolve_atomic_models({"millicharge": "ww"})["millicharge"]
    'ww'
    """
    reg = PROCESSES if processes is None else processes
    allowed = {p.name: tuple(p.atomic_models) for p in reg if p.recoil == "electron"}
    models = {name: ms[0] for name, ms in allowed.items()}
    if atomic is None:
        return models
    if isinstance(atomic, Mapping):
        for ch, model in atomic.items():
            choice(ch, "atomic channel", allowed)
            choice(model, f"atomic[{ch!r}]", ATOMIC_MODELS)
            if model not in allowed[ch]:
                raise InvalidParameterError(
                    f"atomic[{ch!r}]={model!r} is not a valid model for the {ch} channel; "
                    f"allowed: {', '.join(allowed[ch])}")
            models[ch] = model
        return models
    if not isinstance(atomic, str):
        raise InvalidParameterError(f"atomic={atomic!r} must be None, a model name or a mapping")
    choice(atomic, "atomic", ATOMIC_MODELS)
    params = {"mu_nu": mu_nu, "delta_q": delta_q, **parameters}
    active = set(active_processes(params, reg))
    takers = [ch for ch, ms in allowed.items() if atomic in ms]
    if not any(ch in active for ch in takers):
        need = "; ".join(f"{ch} needs {', '.join(getattr(reg[ch], 'signal_parameters', ()))}"
                         " != 0" for ch in takers)
        per = "; ".join(f"{ch} {'|'.join(ms)}" for ch, ms in allowed.items())
        raise InvalidParameterError(
            f"atomic={atomic!r} is a model of the {', '.join(takers)} channel only, which is "
            f"zero for these parameters ({need}): invalid combination. Allowed per channel: "
            f"{per}")
    for ch in takers:
        models[ch] = atomic
    return models


def _atomic_summary(models: dict[str, str], active: tuple[str, ...]) -> str:
    used = {models[c] for c in active if c in models}
    if len(used) == 1:
        return used.pop()
    return ",".join(f"{c}={models[c]}" for c in active if c in models)


def differential_rates(target, flux, t_kev, *, mu_nu: float = 0.0, delta_q: float = 0.0,
                       r2_cm2: float = 0.0, atomic=None, sin2w: float = SIN2_THETA_W_LOW_Q2,
                       r2_convention: str = "gv-shift", components=None,
                       sigma_gamma_source: str = "composite", density_g_cm3: float | None = None,
                       processes=None, couplings: str = DEFAULT_COUPLINGS,
                       **parameters) -> RateSpectrum:
    """Differential event rates dR/dT for a target exposed to a flux.

    Parameters
    ----------
    target : str or Target
        Element symbol or chemical formula (``"Ge"``, ``"CsI"``, ...) or a :class:`Target`.
    flux : flux protocol object
        The incident flux (:mod:`nuem.sources.protocol`): a TabulatedFlux, LineFlux,
        FlavorMixture or any object with ``flavors``, ``moments_mev``, ``total_cm2_s``,
        ``break_energies_mev`` and ``label``. Its flavours select the SM couplings.
    t_kev : array_like
        Recoil energies in keV, > 0 (electron recoil for electron processes, nuclear recoil
        for nuclear ones).
    mu_nu : float
        Effective neutrino magnetic moment in Bohr magnetons (>= 0), the same for every flavour
        of the flux.
    delta_q : float
        Neutrino millicharge in units of the elementary charge (any sign; see
        :mod:`nuem.interactions.millicharge` for the sign convention).
    r2_cm2 : float
        Neutrino charge radius <r^2> in cm^2 (any sign); shifts g_V of ``sm_electron``.
    atomic : None, str or mapping
        Atomic model per electron process (module docstring).
    sin2w : float
        sin^2(theta_W), default the low-Q^2 MS-bar value 0.23857 (PDG).
    r2_convention : {"gv-shift", "sin2w-shift", "tree-level"}
        Charge-radius convention (:mod:`nuem.interactions.charge_radius`): ``gv-shift`` adds
        sqrt2 pi alpha <r^2>/(3 G_F) to g_V, ``sin2w-shift`` adds it to sin^2 theta_W (twice the
        g_V shift). Recorded in ``parameters["r2_convention"]``.
    components : sequence of str, optional
        Registered processes to compute (default: all, in registry order).
    sigma_gamma_source : {"composite", "henke", "elam", "kissel"}
        Photoabsorption table for the epa/ww/pai models.
    density_g_cm3 : float, optional
        Target density for the density effect of pai/ww (default: tabulated for the material).
    processes : ProcessRegistry, optional
        Registry to use instead of the global :data:`~nuem.interactions.registry.PROCESSES`.
    couplings : {"radiative", "tree"}
        SM coupling scheme of ``sm_electron``, ``millicharge`` and ``cevns``
        (:mod:`nuem.interactions.couplings`): ``"radiative"`` (default) the SM couplings with
        radiative corrections and flavour-dependent charge radii, ``"tree"`` tree level (Wong &
        Li 2005 Eqs. 5 and 8). Recorded in ``parameters["couplings"]``.
    **parameters
        Values of further registered physics parameters (user processes).

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
    flavors = check_flux(flux)
    t_kev = positive(t_kev, "t_kev", "keV")
    params = _check_params(mu_nu, delta_q, r2_cm2, parameters)
    sin2w = in_range(sin2w, "sin2w", 0.0, 1.0)
    r2_convention = check_r2_convention(r2_convention)
    couplings = check_couplings(couplings)
    reg = PROCESSES if processes is None else processes
    models = resolve_atomic_models(atomic, processes=reg, **params)
    names = reg.names() if components is None else tuple(components)
    for c in names:
        choice(c, "components", reg.names())
    active = active_processes(params, reg)

    t = np.atleast_1d(t_kev) * keV
    cache: dict[tuple, np.ndarray] = {}

    def fold(coef, sc, flavor):
        """sum_k c_k M_k for one scatterer and flavour (hepunits rate per kg)."""
        powers = tuple(int(k) for k in coef)
        key = (sc.label, powers, flavor)
        if key not in cache:
            cache[key] = moments_internal(flux, kin.enu_min(t, sc.mass), powers, flavor)
        mom = cache[key]
        return sum(np.asarray(coef[k], dtype=float) * mom[i] for i, k in enumerate(powers))

    out: dict[str, np.ndarray] = {}
    for name in names:
        proc = reg[name]
        acc = np.zeros_like(t)
        if name in active:
            for sc in scatterers(proc.recoil, tgt):
                for fl in (flavors if getattr(proc, "flavor_dependent", False) else (None,)):
                    ctx = ProcessContext(tgt, sc, fl, params, models.get(name), sin2w,
                                         r2_convention, sigma_gamma_source, density_g_cm3,
                                         models, couplings)
                    coef = proc.coefficients(t, ctx)
                    combine = getattr(proc, "combine", None)
                    if combine is None:
                        acc = acc + fold(coef, sc, fl)
                    else:  # named terms, combined after flux averaging
                        acc = acc + combine({term: fold(c, sc, fl) for term, c in coef.items()})
        out[name] = acc / _RATE_UNIT
    return RateSpectrum(
        t_kev=np.atleast_1d(t_kev).copy(),
        components=out,
        parameters={"target": tgt.name, **params,
                    "atomic": _atomic_summary(models, active),
                    "atomic_models": models, "sigma_gamma_source": sigma_gamma_source,
                    "sin2w": sin2w, "r2_convention": r2_convention, "couplings": couplings,
                    "flavor": ",".join(flavors), "flavors": list(flavors),
                    "flux_cm2_s": float(flux.total_cm2_s())},
        provenance={"nuem": __version__, "flux": getattr(flux, "label", ""),
                    "integration": "exact flux moments (no quadrature)",
                    "electron_targets": {c: ATOMIC_MODELS[m].note for c, m in models.items()},
                    "processes": {n: getattr(reg[n], "description", "") for n in names}},
        recoil={n: reg[n].recoil for n in names},
    )


def break_points_kev(target, flux, *, mu_nu: float = 0.0, delta_q: float = 0.0,
                     r2_cm2: float = 0.0, atomic=None, components=None,
                     sigma_gamma_source: str = "composite", processes=None,
                     **parameters) -> np.ndarray:
    """Recoil energies (keV) where the rates of :func:`differential_rates` are not smooth.

    The union of (1) the kinematic end points T_max(E_b) = 2 E_b^2/(M + 2 E_b) of every flux
    break energy E_b (lines, steps, kinks; :mod:`nuem.sources.protocol`) for every scatterer
    mass M of the active processes, (2) the atomic binding energies of the target for electron
    processes in the stepping approximation or an atomic model (steps of the active-electron
    count), (3) the photoabsorption-table nodes for the photoabsorption-based models, and
    (4) each process's own ``break_points_kev``. Arguments as :func:`differential_rates`
    (keywords it does not need, e.g. ``sin2w``, are accepted and ignored).
    """
    from hepunits import MeV

    from .atoms.medium import photoabsorption_nodes_kev
    from .atoms.shells import binding_energies_kev

    tgt = target if isinstance(target, Target) else get_target(target)
    check_flux(flux)
    known = {"sin2w", "r2_convention", "density_g_cm3", "couplings"}
    params = _check_params(mu_nu, delta_q, r2_cm2,
                           {k: v for k, v in parameters.items() if k not in known})
    reg = PROCESSES if processes is None else processes
    models = resolve_atomic_models(atomic, processes=reg, **params)
    names = reg.names() if components is None else tuple(components)
    active = [n for n in active_processes(params, reg) if n in names]
    e_b = np.asarray(flux.break_energies_mev(), dtype=float).ravel() * MeV
    e_b = e_b[e_b > 0]
    out = [np.zeros(0)]
    masses = {sc.mass for n in active for sc in scatterers(reg[n].recoil, tgt)}
    for m in masses:
        out.append(kin.t_max(e_b, m) / keV)
    used = {ATOMIC_MODELS[models[n]] for n in active if n in models}
    if any(m.electrons != "all" for m in used):
        out.extend(binding_energies_kev(el.z) for el, _ in tgt.elements)
    if any(m.photoabsorption for m in used):
        out.append(photoabsorption_nodes_kev(tgt, sigma_gamma_source))
    for n in active:
        fn = getattr(reg[n], "break_points_kev", None)
        if fn is not None:
            for sc in scatterers(reg[n].recoil, tgt):
                ctx = ProcessContext(tgt, sc, None, params, models.get(n),
                                     parameters.get("sin2w", SIN2_THETA_W_LOW_Q2),
                                     parameters.get("r2_convention", "gv-shift"),
                                     sigma_gamma_source, parameters.get("density_g_cm3"))
                out.append(np.asarray(fn(ctx), dtype=float).ravel())
    return np.unique(np.concatenate(out))
