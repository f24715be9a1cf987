r"""Model band of the millicharge (δQ) atomic-ionization rate and of δQ sensitivities.

Below a few keV the δQ rate on germanium is dominated by the distant-collision term of the
photoabsorption-ionization (PAI) model (W.W.M. Allison & J.H. Cobb, Ann. Rev. Nucl. Part. Sci. 30,
253 (1980), Eq. 28; :mod:`nuem.interactions.atomic_ionization`), σγ(T)/T ln(2mₑ/(T|1−ε(T)|)):
its size depends on the photoabsorption table σγ and on the regulator of the logarithm (the
density effect, |1−ε| ∝ the plasma energy² above it). The band spans the variants
(:data:`DQ_VARIANTS`):

``pai`` (nominal)
    PAI, composite σγ (Henke blended into Elam), tabulated density;
``pai-henke``, ``pai-elam``, ``pai-kissel``
    PAI with each photoabsorption table (:mod:`nuem.atoms.photoabsorption`);
``pai-density/4``, ``pai-density*4``
    PAI with the density of the regulator divided / multiplied by 4 (|1−ε| and hence Q²_min by
    4 above the plasma energy: ±ln 4 in the logarithm) -- a proxy for the regulator choice;
``stepping``
    no atomic enhancement: the free-electron δQ² cross section on the electrons with binding
    energy ≤ T (the lower end; Kouzakov, Studenikin & Voloshin-type stepping).

The Weizsäcker–Williams form (``ww``) is not a band member: it lacks the close collisions and
falls far below every other model above the edges (docs/atomic_models.md).

Comparison with ab-initio germanium results: J.-W. Chen et al., PRD 90, 011301(R) (2014)
(arXiv:1405.7168) computed the δQ atomic-ionization cross section of Ge with the
multi-configuration relativistic random-phase approximation, found a strong enhancement at the
atomic binding energies over free electrons, and from reactor Ge data at thresholds down to 300
eV derived |δQ| < 1.0×10⁻¹² (90 % CL); their differential cross sections are shown only as
figures, so no point-by-point comparison is made here (see docs/sensitivity.md).
"""

from __future__ import annotations

import numpy as np

from .._validation import choice

__all__ = ["DQ_VARIANTS", "millicharge_rate_band", "delta_q_sensitivity_band"]

#: name -> (atomic model, sigma_gamma source, density factor) of the δQ model variants.
DQ_VARIANTS = {
    "pai": ("pai", "composite", 1.0),
    "pai-henke": ("pai", "henke", 1.0),
    "pai-elam": ("pai", "elam", 1.0),
    "pai-kissel": ("pai", "kissel", 1.0),
    "pai-density/4": ("pai", "composite", 0.25),
    "pai-density*4": ("pai", "composite", 4.0),
    "stepping": ("stepping", "composite", 1.0),
}


def _variants(variants):
    names = tuple(DQ_VARIANTS) if variants is None else tuple(variants)
    for v in names:
        choice(v, "variant", tuple(DQ_VARIANTS))
    return names


def _summary(values: dict) -> dict:
    arr = np.array([v for v in values.values() if v is not None], dtype=float)
    return {"nominal": values.get("pai"), "lower": np.min(arr, axis=0),
            "upper": np.max(arr, axis=0), "median": np.median(arr, axis=0)}


def millicharge_rate_band(target, flux, t_kev, delta_q: float, *, variants=None,
                          density_g_cm3: float | None = None, **rate_kwargs) -> dict:
    """The ``millicharge`` component (counts/(kg keV day), interference included) for every
    variant, and its band.

    Returns ``{"t_kev", "rates": {variant: array or None}, "nominal", "lower", "upper",
    "median"}``; a variant whose photoabsorption table does not cover ``t_kev`` (Elam below
    0.1 keV) is None and left out of the band.

    Examples
    --------
    >>> from nuem.sources.reactor import reactor_flux
    >>> b = millicharge_rate_band("Ge", reactor_flux(1e13), [0.3], 1e-12)
    >>> bool(b["lower"][0] < b["nominal"][0] < b["upper"][0])
    True
    """
    from ..atoms.dielectric import mass_density_g_cm3
    from ..rates import differential_rates
    from ..targets import get_target

    rho = mass_density_g_cm3(get_target(target) if isinstance(target, str) else target,
                             density_g_cm3)
    rates = {}
    for name in _variants(variants):
        atomic, src, f = DQ_VARIANTS[name]
        r = _skip_out_of_range(lambda atomic=atomic, src=src, f=f: differential_rates(
            target, flux, t_kev, delta_q=delta_q, atomic={"millicharge": atomic},
            sigma_gamma_source=src, density_g_cm3=rho * f, components=("millicharge",),
            **rate_kwargs))
        rates[name] = None if r is None else np.asarray(r.components["millicharge"], float)
    return {"t_kev": np.atleast_1d(np.asarray(t_kev, float)), "rates": rates,
            **_summary(rates)}


def _skip_out_of_range(fn):
    """fn() or None when a photoabsorption table does not cover the energies (e.g. Elam below
    0.1 keV)."""
    from ..exceptions import OutOfRangeError

    try:
        return fn()
    except OutOfRangeError:
        return None


def delta_q_sensitivity_band(experiment, *, variants=None, **kwargs) -> dict:
    """Expected δQ upper limit (e, Asimov median) of every variant and the band: ``nominal``
    (PAI composite), ``lower``/``upper`` (min/max), ``median`` (of the variants)."""
    from ..atoms.dielectric import mass_density_g_cm3
    from ..experiments import get_experiment, hypothetical_experiment
    from .sensitivity import expected_sensitivity

    exp = get_experiment(experiment) if isinstance(experiment, str) else experiment
    rho = mass_density_g_cm3(exp.target, exp.density_g_cm3)
    kwargs = {k: v for k, v in kwargs.items() if k not in ("param", "atomic", "method")}
    medians = {}
    for name in _variants(variants):
        atomic, src, f = DQ_VARIANTS[name]
        e = exp if f == 1.0 else hypothetical_experiment(exp, density_g_cm3=rho * f)
        r = _skip_out_of_range(lambda e=e, atomic=atomic, src=src: expected_sensitivity(
            e, param="delta-q", atomic={"millicharge": atomic},
            rate_options={"sigma_gamma_source": src}, **kwargs))
        medians[name] = None if r is None else float(r.median)
    out = {k: float(v) for k, v in _summary(medians).items()}
    return {"unit": "e", "variants": medians, **out,
            "note": "Asimov medians of the delta-Q model variants (nuem.inference.dq_band); "
                    "None: the photoabsorption table does not cover the detector's energies"}
