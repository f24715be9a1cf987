r"""The registry of statistical methods: one place for every interval construction by name.

A *method* is an object with a ``name``, a ``citation`` and at least one of three abilities:

``gaussian_interval(estimate, sigma, cl) -> Interval``
    interval for a parameter bounded below by 0 from a Gaussian estimate (capability
    ``"gaussian"``; used by :func:`nuem.inference.gaussian_interval`, by the fits of
    :func:`nuem.inference.limit_from_data` and by the Asimov sensitivities);
``poisson_interval(n, background, cl) -> Interval``
    interval for a Poisson signal mean with known background (``"poisson"``;
    :func:`nuem.inference.poisson_interval`);
``model_interval(model, data, cl, **options) -> Interval``
    interval on the strength θ of a likelihood model (:mod:`nuem.inference.likelihood`) for a
    data set (``"model"``); ``model_kinds`` names the model kinds it accepts (``()`` = any) and
    ``options`` the keyword options it takes (e.g. ``("trials",)``).

Built in: ``feldman-cousins`` (Feldman & Cousins, PRD 57, 3873 (1998)), ``bayes`` (flat prior;
PDG "Statistics" Sec. 40.4.1; Helene, NIM 212, 319 (1983)), ``cls`` (Read, J. Phys. G 28, 2693
(2002)) -- Gaussian and Poisson -- and ``binned-poisson`` (ON-only counts, no background
subtraction: Wong, Li, Lin, PRL 105, 061801 (2010), analysis II; Lin et al., PRD 79,
061101(R) (2009)) -- a model method for ``on-only`` models; ``profile-likelihood`` (asymptotic,
Wilks 1938 and Cowan et al., EPJC 71, 1554 (2011); :mod:`nuem.inference.profile_limits`) -- a
model method for models with a best fit; ``feldman-cousins`` is also a model method for
``unbinned`` models (the belt by toys, FC Sec. V).

User code adds a method with :func:`register_method`; it then works everywhere a method is
chosen by name (functions and every CLI ``--method``/``--interval`` choice built afterwards).
The name lists :data:`METHODS` (Gaussian or Poisson intervals), :data:`GAUSSIAN_METHODS` and
:data:`LIMIT_METHODS` (what :func:`nuem.inference.limit_from_data` accepts) are live views of the
registry. With process-based scan executors register the method in an importable module (worker
processes started by *spawn* do not see registrations made in ``__main__``).

Examples
--------
>>> import numpy as np
>>> from nuem.inference import Interval
>>> class NeymanUpper:                       # one-sided Neyman upper limit, x + z_cl sigma
...     name = "neyman-upper-example"
...     citation = "J. Neyman, Phil. Trans. R. Soc. A 236, 333 (1937)"
...     def gaussian_interval(self, estimate, sigma, cl):
...         from scipy.stats import norm
...         up = np.maximum(np.asarray(estimate) + norm.ppf(cl) * np.asarray(sigma), 0.0)
...         return Interval(0.0, float(up), cl, self.name)
>>> _ = register_method(NeymanUpper())
>>> "neyman-upper-example" in METHODS, capabilities("neyman-upper-example")
(True, ('gaussian',))
>>> round(get_method("neyman-upper-example").gaussian_interval(0.0, 1.0, 0.9).upper, 4)
1.2816
>>> unregister_method("neyman-upper-example")
>>> "neyman-upper-example" in METHODS
False
"""

from __future__ import annotations

from collections.abc import Sequence

from ..exceptions import InvalidParameterError, UnknownNameError

__all__ = ["CAPABILITIES", "Method", "register_method", "unregister_method", "get_method",
           "method_names", "capabilities", "describe_methods", "MethodNames", "METHODS",
           "GAUSSIAN_METHODS", "LIMIT_METHODS"]

#: What a method can do; the attribute ``<capability>_interval`` must be callable.
CAPABILITIES = ("gaussian", "poisson", "model")

_REGISTRY: dict[str, object] = {}     # the designated registry (name -> method object)
_BUILTIN: set[str] = set()


class Method:
    """Optional base class of a method (duck typing is enough; see the module docstring)."""

    name: str = ""
    citation: str = ""
    summary: str = ""
    model_kinds: tuple[str, ...] = ()
    options: tuple[str, ...] = ()
    gaussian_interval = None
    poisson_interval = None
    model_interval = None

    def __repr__(self) -> str:
        return f"<method {self.name!r}: {', '.join(capabilities(self))}>"


def capabilities(method) -> tuple[str, ...]:
    """Capabilities of a method object or registered name, in :data:`CAPABILITIES` order."""
    obj = get_method(method) if isinstance(method, str) else method
    return tuple(c for c in CAPABILITIES if callable(getattr(obj, f"{c}_interval", None)))


def register_method(method, *, replace: bool = False):
    """Add a method (an object, or a class that is instantiated without arguments).

    Returns the registered object, so it also works as a class decorator. A name already in use
    needs ``replace=True``; built-in methods cannot be replaced.
    """
    obj = method() if isinstance(method, type) else method
    name = getattr(obj, "name", None)
    if not isinstance(name, str) or not name.strip() or name != name.strip().lower() \
            or " " in name:
        raise InvalidParameterError(f"method name={name!r} must be a non-empty lower-case "
                                    "string without spaces (e.g. 'profile-likelihood')")
    if not isinstance(getattr(obj, "citation", None), str) or not obj.citation.strip():
        raise InvalidParameterError(f"method {name!r}: give a 'citation' (the paper that "
                                    "defines the construction)")
    if not capabilities(obj):
        raise InvalidParameterError(f"method {name!r} defines none of "
                                    f"{', '.join(c + '_interval' for c in CAPABILITIES)}")
    if name in _REGISTRY and not replace:
        raise InvalidParameterError(f"method {name!r} is already registered; pass "
                                    "replace=True to replace it")
    if name in _BUILTIN:
        raise InvalidParameterError(f"method {name!r} is built in and cannot be replaced")
    _REGISTRY[name] = obj
    return obj


def unregister_method(name: str) -> None:
    """Remove a user-registered method (built-in methods stay)."""
    if name in _BUILTIN:
        raise InvalidParameterError(f"method {name!r} is built in and cannot be removed")
    if name not in _REGISTRY:
        raise UnknownNameError(f"method={name!r} is not registered")
    del _REGISTRY[name]


def method_names(capability=None) -> tuple[str, ...]:
    """Registered names (registration order) having any of ``capability`` (str or tuple)."""
    if capability is None:
        return tuple(_REGISTRY)
    want = (capability,) if isinstance(capability, str) else tuple(capability)
    bad = [c for c in want if c not in CAPABILITIES]
    if bad:
        raise UnknownNameError(f"capability={bad[0]!r} is not known; allowed: "
                               f"{', '.join(CAPABILITIES)}")
    return tuple(n for n, m in _REGISTRY.items() if set(capabilities(m)) & set(want))


def get_method(name: str, capability=None):
    """The method registered as ``name``; with ``capability`` it must have (one of) it."""
    if name not in _REGISTRY:
        allowed = method_names(capability)
        raise UnknownNameError(f"method={name!r} is not known; allowed: {', '.join(allowed)}")
    obj = _REGISTRY[name]
    if capability is not None and name not in method_names(capability):
        want = capability if isinstance(capability, str) else " or ".join(capability)
        raise InvalidParameterError(
            f"method={name!r} cannot give a {want} interval (it provides: "
            f"{', '.join(capabilities(obj))}); allowed: {', '.join(method_names(capability))}")
    return obj


def describe_methods() -> list[dict]:
    """Name, capabilities, model kinds, options, citation and summary of every method."""
    return [{"name": n, "capabilities": list(capabilities(m)),
             "model_kinds": list(getattr(m, "model_kinds", ()) or ()),
             "options": list(getattr(m, "options", ()) or ()),
             "citation": m.citation, "summary": getattr(m, "summary", "")}
            for n, m in _REGISTRY.items()]


class MethodNames(Sequence):
    """Live, read-only view of the registered names with given capabilities (a sequence of
    str that compares equal to the tuple of its current names)."""

    def __init__(self, capability):
        self._cap = capability

    def _names(self):
        return method_names(self._cap)

    def __getitem__(self, i):
        return self._names()[i]

    def __len__(self):
        return len(self._names())

    def __iter__(self):
        return iter(self._names())

    def __contains__(self, name):
        return name in self._names()

    def __eq__(self, other):
        return tuple(self) == (tuple(other) if isinstance(other, Sequence) else other)

    __hash__ = None        # the contents change with the registry

    def __repr__(self):
        return repr(self._names())


#: Methods giving Gaussian or Poisson intervals (``nuem interval --method``).
METHODS = MethodNames(("gaussian", "poisson"))
#: Methods giving an interval from a Gaussian estimate (fits, Asimov sensitivities, scans).
GAUSSIAN_METHODS = MethodNames("gaussian")
#: Methods accepted by :func:`nuem.inference.limit_from_data` (``nuem limit --method``).
LIMIT_METHODS = MethodNames(("gaussian", "model"))


# -- built-in methods -------------------------------------------------------------------------
class _ClosedForms(Method):
    """A built-in method whose Gaussian and Poisson intervals are functions ``(x, y, cl)`` of
    one module of this package, named by ``_module``, ``_gaussian`` and ``_poisson`` (imported
    on first use: the registry stays light)."""

    _module = ""
    _gaussian = ""
    _poisson = ""

    def _function(self, name):
        from importlib import import_module

        return getattr(import_module(self._module, __package__), name)

    def gaussian_interval(self, estimate, sigma, cl):
        return self._function(self._gaussian)(estimate, sigma, cl)

    def poisson_interval(self, n, background, cl):
        return self._function(self._poisson)(n, background, cl)


class _FeldmanCousins(_ClosedForms):
    name = "feldman-cousins"
    citation = "G. J. Feldman, R. D. Cousins, Phys. Rev. D 57, 3873 (1998)"
    summary = ("unified intervals (likelihood-ratio ordering): two-sided or upper limit "
               "decided by the data; exact belts (Gaussian: Sec. IV B; Poisson: Sec. IV A); "
               "for unbinned models the belt by toys (Sec. V)")
    model_kinds = ("unbinned",)
    options = ("n_toys", "seed", "workers")
    _module, _gaussian, _poisson = ".feldman_cousins", "fc_gaussian_interval", "fc_poisson_interval"

    def model_interval(self, model, data, cl, *, n_toys: int = 10_000, seed=0,
                       workers: int = 1):
        from .profile_limits import fc_upper_limit

        if getattr(model, "kind", None) not in self.model_kinds:
            raise InvalidParameterError(f"method 'feldman-cousins' by toys needs an unbinned "
                                        f"model, got {getattr(model, 'kind', '?')!r}")
        return fc_upper_limit(model, data, cl, n_toys=n_toys, seed=seed, workers=workers)


class _Bayes(_ClosedForms):
    name = "bayes"
    citation = ("flat prior on the physical region: PDG Review of Particle Physics, "
                "'Statistics' Sec. 40.4.1; O. Helene, Nucl. Instrum. Meth. 212, 319 (1983)")
    summary = "credible upper limit with a flat prior on the parameter >= 0 (closed forms)"
    _module, _gaussian, _poisson = ".bayes", "bayes_gaussian_upper", "bayes_poisson_upper"


class _CLs(_ClosedForms):
    name = "cls"
    citation = "A. L. Read, J. Phys. G 28, 2693 (2002); T. Junk, Nucl. Instrum. Meth. A 434, " \
               "435 (1999)"
    summary = "CLs = CLs+b / CLb upper limit (one-sided test statistic)"
    _module, _gaussian, _poisson = ".cls", "cls_gaussian_upper", "cls_poisson_upper"


class _BinnedPoisson(Method):
    name = "binned-poisson"
    citation = ("H. T. Wong, H. B. Li, S. T. Lin, Phys. Rev. Lett. 105, 061801 (2010), "
                "analysis II; S. T. Lin et al., Phys. Rev. D 79, 061101(R) (2009)")
    summary = ("ON-only counts, no background subtracted: the signal in no bin may exceed "
               "that bin's CL Poisson upper limit")
    model_kinds = ("on-only",)
    options = ("trials",)

    def model_interval(self, model, data, cl, *, trials: str = "none"):
        import numpy as np

        from ._common import Interval
        from .binned_poisson import binned_poisson_limit

        if getattr(model, "kind", None) != "on-only":
            raise InvalidParameterError(f"method 'binned-poisson' needs an on-only model, got "
                                        f"{getattr(model, 'kind', type(model).__name__)!r}")
        bp = binned_poisson_limit(model.check_data(data), np.clip(model.unit_signal, 0.0, None),
                                  cl, trials)
        return Interval(0.0, float(bp.upper_limit), cl, self.name,
                        {"model": "on-only", "limiting_bin": bp.limiting_bin,
                         "cl_bin": bp.cl_bin, "trials": bp.trials})


class _ProfileLikelihood(Method):
    name = "profile-likelihood"
    citation = ("S.S. Wilks, Ann. Math. Stat. 9, 60 (1938); G. Cowan, K. Cranmer, E. Gross, "
                "O. Vitells, Eur. Phys. J. C 71, 1554 (2011)")
    summary = ("asymptotic one-sided upper limit from the profile likelihood ratio q~ with "
               "the boundary at theta = 0: q~(theta_up) = [Phi^-1(CL)]^2")
    model_kinds = ("unbinned", "residual", "on-off")

    def model_interval(self, model, data, cl):
        from .profile_limits import profile_upper_limit

        if getattr(model, "kind", None) not in self.model_kinds:
            raise InvalidParameterError(f"method 'profile-likelihood' needs a model with a "
                                        f"best fit ({', '.join(self.model_kinds)}), got "
                                        f"{getattr(model, 'kind', '?')!r}")
        return profile_upper_limit(model, data, cl)


for _cls in (_FeldmanCousins, _Bayes, _CLs, _BinnedPoisson, _ProfileLikelihood):
    _REGISTRY[_cls.name] = _cls()
    _BUILTIN.add(_cls.name)
del _cls
