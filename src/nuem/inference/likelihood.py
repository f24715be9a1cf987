r"""One likelihood object: the protocol shared by the binned models of :mod:`nuem.inference`.

A model is linear in one strength θ (the parameter of interest, POI), the signal per unit θ being
a template :math:`u_i` per bin:

* θ = (μν / 10⁻¹¹ μB)² (the magnetic-moment cross section is exactly linear in μν²),
* θ = (δQ / 10⁻¹² e)² (the pure δQ² term: the even part of the millicharge component),
* θ = ⟨r²⟩ / 10⁻³² cm² (sm_electron linearised at 10⁻³² cm²),

(:func:`nuem.inference.signal_template`), and has *nuisance parameters* with Gaussian constraint
terms :math:`((\nu - \nu_0)/\sigma_\nu)^2` in :math:`-2\ln L` (PDG Review of Particle Physics,
"Statistics", Sec. 40.3.2.1, profile likelihood):

``flux_norm``, ``xsec_norm``
    relative normalisations of the signal (reactor flux, cross-section model): the signal is
    :math:`\theta u_i (1+\nu_\mathrm{flux})(1+\nu_\mathrm{xsec})`;
``escale``
    relative energy-scale shift δ, :math:`E_\mathrm{obs} = (1+\delta)E`, to first order on the
    signal and the known (SM) expectation (:mod:`nuem.inference.templates`);
``onoff_norm``
    relative normalisation of the subtracted (OFF-measured) background;
``bkg_tilt``
    linear tilt of that background across the window (±σ at the window ends).

Every model offers ``parameters`` (:class:`Parameter`: name, nominal, constraint width, bounds),
``expected(params)``, ``asimov_data(params)`` (= the expectation), ``sample(params, rng, n)``
(toys with a leading axis), ``m2lnl(params, data)`` (−2 ln L including the constraints, up to a
data-only constant) and ``nll`` (= m2lnl / 2), ``fit(data)`` (MIGRAD with iminuit:
θ̂, the statistical error with the nuisances fixed at their best fit, the total error with them
profiled, syst = √(total² − stat²)) and ``profile(theta, data)`` (nuisances minimised at fixed
θ). The errors come from the Hessian of −2 ln L at the minimum (:func:`numeric_hessian`, central
differences with Richardson extrapolation): MINUIT's HESSE, with its default tolerances, leaves
them uncertain at the 10⁻³ level when a nuisance enters non-linearly (a normalisation multiplies
θ), enough to show in the profiled syst = |θ̂|σ_ν of a normalisation nuisance; the numeric
Hessian reproduces it to 10⁻⁹.
``params`` is a mapping name → value (missing names take their nominal value) or a sequence in
``parameters`` order. The models are in :mod:`nuem.inference.residual_model`
(:class:`ResidualModel`: Gaussian ON−OFF residual with errors) and
:mod:`nuem.inference.onoff_model` (:class:`OnOffModel`: Poisson ON and OFF counts, background
profiled; :class:`BinnedPoissonOnOnly`: ON-only counts).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from ..exceptions import InvalidParameterError, NuemError

__all__ = ["Parameter", "FitResult", "ProfileResult", "LikelihoodModel", "NUISANCE_NAMES",
           "numeric_hessian"]

#: Names of the nuisance parameters the built-in models know (module docstring).
NUISANCE_NAMES = ("flux_norm", "xsec_norm", "escale", "onoff_norm", "bkg_tilt")


@dataclass(frozen=True)
class Parameter:
    """A named model parameter.

    ``sigma`` is the width of its Gaussian constraint (None: unconstrained), ``lower``/``upper``
    bounds for the minimiser, ``step`` its initial step (None: iminuit's default), ``poi`` marks
    the parameter of interest.
    """

    name: str
    nominal: float = 0.0
    sigma: float | None = None
    lower: float | None = None
    upper: float | None = None
    step: float | None = None
    poi: bool = False
    description: str = ""

    def to_dict(self) -> dict:
        return {k: getattr(self, k) for k in ("name", "nominal", "sigma", "lower", "upper",
                                               "poi", "description")}


@dataclass(frozen=True)
class FitResult:
    """Best fit of the signal strength and its errors (``syst`` is 0 without nuisances)."""

    best_fit: float
    stat: float
    syst: float
    total: float
    chi2: float
    dof: int
    nuisances: dict = field(default_factory=dict)
    method: str = ""
    valid: bool = True
    minos: tuple[float, float] | None = None

    def to_dict(self) -> dict:
        return {k: getattr(self, k) for k in ("best_fit", "stat", "syst", "total", "chi2", "dof",
                                               "nuisances", "method", "valid", "minos")}


@dataclass(frozen=True)
class ProfileResult:
    """−2 ln L minimised over the nuisances at fixed θ, and the parameter values there."""

    theta: float
    m2lnl: float
    values: dict


class LikelihoodModel:
    """Base class of the binned likelihood models (protocol in the module docstring).

    Subclasses set ``kind`` and implement ``check_data(data)``, ``_m2lnl(vector, data)``,
    ``_start(data) -> (x0, steps)``, ``_goodness(vector, data) -> chi2`` and ``expected``;
    ``_fit_label``, ``_minos`` and ``_require_valid`` tune :meth:`fit`.
    """

    kind = ""
    _fit_label = ""
    _minos = False
    _require_valid = False

    def __init__(self, parameters):
        params = tuple(parameters)
        names = [p.name for p in params]
        if len(set(names)) != len(names):
            raise InvalidParameterError(f"parameter names must be unique, got {names}")
        if not params or not params[0].poi or any(p.poi for p in params[1:]):
            raise InvalidParameterError("the first parameter, and only it, is the POI")
        self._parameters = params

    # -- parameters -------------------------------------------------------------------------
    @property
    def parameters(self) -> tuple[Parameter, ...]:
        """Parameter metadata, POI first."""
        return self._parameters

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self._parameters)

    @property
    def poi(self) -> str:
        return self._parameters[0].name

    @property
    def nuisance_names(self) -> tuple[str, ...]:
        return self.names[1:]

    def vector(self, params=None) -> np.ndarray:
        """Parameter values as a vector (nominal values where ``params`` gives none)."""
        x = np.array([p.nominal for p in self._parameters], dtype=float)
        if params is None:
            return x
        if isinstance(params, Mapping):
            unknown = [k for k in params if k not in self.names]
            if unknown:
                raise InvalidParameterError(f"parameter {unknown[0]!r} is not in this model; "
                                            f"allowed: {', '.join(self.names)}")
            for i, n in enumerate(self.names):
                if n in params:
                    x[i] = float(params[n])
            return x
        v = np.asarray(params, dtype=float).ravel()
        if v.size != x.size:
            raise InvalidParameterError(f"params needs {x.size} values ({', '.join(self.names)})"
                                        f", got {v.size}")
        return v

    def as_dict(self, vector) -> dict:
        return {n: float(v) for n, v in zip(self.names, vector, strict=True)}

    # -- likelihood -------------------------------------------------------------------------
    def check_data(self, data):  # pragma: no cover - abstract
        raise NotImplementedError

    def _m2lnl(self, x, data):  # pragma: no cover - abstract
        raise NotImplementedError

    def m2lnl(self, params, data) -> float:
        """−2 ln L (constraint terms included) up to a data-only constant."""
        return float(self._m2lnl(self.vector(params), self.check_data(data)))

    def nll(self, params, data) -> float:
        """−ln L = m2lnl / 2."""
        return 0.5 * self.m2lnl(params, data)

    def expected(self, params=None):  # pragma: no cover - abstract
        raise NotImplementedError

    def asimov_data(self, params=None):
        """The Asimov data set: the expectation at ``params`` (nominal: θ = 0, nuisances at
        their nominal values; Cowan, Cranmer, Gross, Vitells, EPJC 71, 1554 (2011))."""
        return self.expected(params)

    # -- fits -------------------------------------------------------------------------------
    def _minuit(self, f, x0, steps=None, limits=True):
        from iminuit import Minuit

        m = Minuit(f, np.asarray(x0, dtype=float), name=list(self.names))
        m.errordef = Minuit.LEAST_SQUARES      # f is -2 ln L: errordef 1
        for p in self._parameters:
            if steps and p.name in steps:
                m.errors[p.name] = steps[p.name]
            if limits and (p.lower is not None or p.upper is not None):
                m.limits[p.name] = (p.lower, p.upper)
        return m

    def fit(self, data) -> FitResult:
        """Maximum-likelihood fit of θ (may be negative) with the nuisances profiled."""
        d = self.check_data(data)

        def f(par):
            return self._m2lnl(np.asarray(par), d)

        x0, steps = self._start(d)
        m = self._minuit(f, x0, steps)
        m.migrad()
        if self._require_valid and not m.valid:
            raise NuemError(f"{type(self).__name__}.fit: MIGRAD did not converge")
        m.hesse()
        minos = None
        if self._minos:
            try:
                m.minos(self.poi)
                minos = (float(m.merrors[self.poi].lower), float(m.merrors[self.poi].upper))
            except RuntimeError:  # pragma: no cover
                minos = None
        best = np.array([float(v) for v in m.values])
        chi2, extra = self._goodness(best, d, float(m.fval))
        nuis = {n: float(best[i]) for i, n in enumerate(self.names) if i > 0}
        # errors from the Hessian of -2 ln L at the minimum (steps: 0.2 x the HESSE errors)
        h = numeric_hessian(f, best, 0.2 * np.array([float(e) for e in m.errors]))
        stat = float(np.sqrt(2.0 / h[0, 0]))               # nuisances fixed at their best fit
        total = float(np.sqrt(2.0 * np.linalg.inv(h)[0, 0]))  # nuisances profiled
        syst = float(np.sqrt(max(total**2 - stat**2, 0.0)))
        return FitResult(float(best[0]), stat, syst, total, chi2, int(self.bins - 1),
                         {**nuis, **extra}, self._fit_label, bool(m.valid), minos)

    def profile(self, theta: float, data) -> ProfileResult:
        """Minimise −2 ln L over the nuisances at fixed θ."""
        d = self.check_data(data)
        x0, steps = self._start(d)
        x0 = np.asarray(x0, dtype=float).copy()
        x0[0] = float(theta)
        if len(self.names) == 1:
            return ProfileResult(float(theta), float(self._m2lnl(x0, d)), self.as_dict(x0))

        def f(par):
            return self._m2lnl(np.asarray(par), d)

        m = self._minuit(f, x0, steps)
        m.fixed[self.poi] = True
        m.migrad()
        best = np.array([float(v) for v in m.values])
        return ProfileResult(float(theta), float(m.fval), self.as_dict(best))

    def _goodness(self, x, data, fval):
        """(χ² or deviance at the best fit, extra nuisance information)."""
        return fval, {}

    @property
    def bins(self) -> int:
        return int(np.shape(self.unit_signal)[-1])

    def describe(self) -> dict:
        """Kind, bins and parameter metadata (JSON-ready)."""
        return {"kind": self.kind, "bins": self.bins,
                "parameters": [p.to_dict() for p in self._parameters]}


def numeric_hessian(f, x, h) -> np.ndarray:
    r"""Second derivatives of ``f`` at ``x`` by central differences with steps ``h`` and one
    Richardson extrapolation, :math:`H = [4D(h/2) - D(h)]/3` (truncation error O(h⁴); e.g.
    Press et al., Numerical Recipes, 3rd ed., Sec. 5.7).

    Examples
    --------
    >>> import numpy as np
    >>> f = lambda p: p[0] ** 2 * 3.0 + p[0] * p[1] + np.exp(p[1])
    >>> np.round(numeric_hessian(f, np.array([0.0, 0.0]), np.array([0.1, 0.1])), 6)
    array([[6., 1.],
           [1., 1.]])
    """
    x = np.asarray(x, dtype=float)
    n = x.size

    def d2(step):
        e = np.diag(step)
        f0 = f(x)
        out = np.empty((n, n))
        for i in range(n):
            out[i, i] = (f(x + e[i]) - 2.0 * f0 + f(x - e[i])) / step[i] ** 2
            for j in range(i):
                v = (f(x + e[i] + e[j]) - f(x + e[i] - e[j]) - f(x - e[i] + e[j])
                     + f(x - e[i] - e[j])) / (4.0 * step[i] * step[j])
                out[i, j] = out[j, i] = v
        return out

    h = np.asarray(h, dtype=float)
    return (4.0 * d2(h / 2.0) - d2(h)) / 3.0


def norm_parameters(norms) -> list[Parameter]:
    """Signal-normalisation nuisances from a mapping name → relative σ (> 0)."""
    out = []
    for name, s in dict(norms or {}).items():
        s = float(s)
        if not (np.isfinite(s) and s > 0):
            raise InvalidParameterError(f"{name} sigma must be > 0, got {s!r}")
        out.append(Parameter(name, 0.0, s, -0.99, None, s,
                             description=f"relative signal normalisation ({name})"))
    return out


