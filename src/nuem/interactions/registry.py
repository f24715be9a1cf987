"""Registries of the interaction layer: physics parameters, atomic models and processes.

The rate engine (:func:`nuem.rates.differential_rates`) loops over the **process registry**; it
has no list of process names of its own. A process is any object with these attributes (the
:class:`Process` dataclass is a convenient way to make one):

``name`` (str)
    Component key in the outputs (``"magnetic_moment"``).
``recoil`` (str)
    ``"electron"`` or ``"nuclear"`` (:data:`RECOIL_KINDS`): what recoils, hence which
    scatterers the engine loops over (the electrons of the target, or each natural isotope) and
    which mass enters the kinematics.
``coefficients(t, ctx)``
    The differential rate per kilogram of target and per unit flux moment at recoil energies
    ``t`` (hepunits), as a mapping ``{k: c_k(t)}`` such that
    dR/dT = sum_k c_k(T) M_k(E_nu,min(T)) with M_k the tail moments of the flux
    (:mod:`nuem.sources.protocol`); c_k in hepunits (area/energy x energy^k per kg). ``ctx`` is a
    :class:`ProcessContext` (target, scatterer, flavour, parameter values, atomic model, ...).
    This is the only coefficient protocol: every process returns such a mapping.
``parameters`` (tuple of str)
    Registered physics parameters (:data:`PARAMETERS`) the process reads.
``signal_parameters`` (tuple of str)
    If all of these are zero the process vanishes and is not evaluated (its component is 0);
    empty for a Standard-Model process (always on).
``flavor_dependent`` (bool)
    True if the rate depends on the neutrino species (the engine then calls ``coefficients``
    once per flavour of the flux with ``ctx.flavor`` set; otherwise once with ``ctx.flavor =
    None`` and the flavour-summed moments).
``atomic_models`` (tuple of str)
    Electron recoils only: the atomic models (:data:`ATOMIC_MODELS`) the process supports,
    first = default.
``combine(term_rates)`` (optional)
    For a process whose flux-averaged rate is not linear in its coefficients: ``coefficients``
    then returns named terms ``{term: {k: c_k}}``, the engine flux-averages each term (for each
    scatterer and flavour) and ``combine`` maps ``{term: rate}`` to the process's rate (rates in
    hepunits per kg; ``combine`` must be homogeneous of degree 1). The millicharge process uses it
    to keep |A_weak + A_delta_Q|^2 >= 0 when its pure term and its interference come from
    different atomic models.
``break_points_kev(ctx)`` (optional)
    Recoil energies (keV) where the process's dR/dT is not smooth for reasons of its own (the
    engine adds the atomic-model breaks and the flux's kinematic end points itself).
``description``, ``references`` (optional)
    For provenance and documentation.

User code extends nuem by registering objects (``PROCESSES.register(...)``,
``PARAMETERS.register(...)``), as pyhf registers modifiers; nothing in ``rates.py``, the CLI or
the schema changes.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

import numpy as np

from ..exceptions import InvalidParameterError, UnknownNameError

__all__ = ["RECOIL_KINDS", "Parameter", "ParameterRegistry", "PARAMETERS", "AtomicModel",
           "ATOMIC_MODELS", "Scatterer", "ProcessContext", "Process", "ProcessRegistry",
           "PROCESSES", "scatterers", "as_power_coefficients"]

#: What recoils in a process: the electrons of the target or its nuclei (see :func:`scatterers`).
RECOIL_KINDS = ("electron", "nuclear")


# ---------------------------------------------------------------------------- parameters
@dataclass(frozen=True)
class Parameter:
    """A physics parameter that processes read (a keyword of ``differential_rates``).

    ``lower`` is the smallest allowed value (None: any sign); ``tiny`` the smallest non-zero
    magnitude (rates quadratic in the parameter underflow double precision below it: a value
    0 < |v| < tiny is an error, not silently rounded); ``unit`` is stated in help and outputs.
    """

    name: str
    unit: str
    description: str
    lower: float | None = None
    default: float = 0.0
    tiny: float | None = None

    @property
    def cli_flag(self) -> str:
        """The command-line spelling, e.g. ``--mu-nu`` for ``mu_nu``."""
        return "--" + self.name.replace("_", "-")

    def check(self, value) -> float:
        """Validate a value: a finite number, >= ``lower`` if set."""
        from .._validation import finite_scalar

        v = finite_scalar(value, self.name)
        if self.lower is not None and v < self.lower:
            raise InvalidParameterError(f"{self.name}={v!r} {self.unit} is not allowed; "
                                        f"{self.name} must be >= {self.lower:g} {self.unit}")
        if self.tiny is not None and 0.0 < abs(v) < self.tiny:
            raise InvalidParameterError(
                f"{self.name}={v!r} {self.unit} is below {self.tiny:g}, where the rates underflow "
                f"double precision; allowed: 0 or |{self.name}| >= {self.tiny:g} {self.unit}")
        return v


class _NamedRegistry:
    """Ordered name -> object mapping with explicit registration (the only mutable state)."""

    kind = "entry"

    def __init__(self, builtins: tuple = ()):
        self._items: dict[str, object] = {}
        self._builtins = builtins
        self._loaded = not builtins

    def _load(self) -> None:
        if not self._loaded:
            self._loaded = True
            for spec in self._builtins:
                module, _, attr = spec.partition(":")
                self._add(getattr(importlib.import_module(module), attr), replace=False)

    def _add(self, obj, replace: bool):
        name = getattr(obj, "name", None)
        if not isinstance(name, str) or not name:
            raise InvalidParameterError(f"a {self.kind} needs a non-empty string 'name'")
        if name in self._items and not replace:
            raise InvalidParameterError(f"{self.kind} {name!r} is already registered; pass "
                                        "replace=True to replace it")
        self._items[name] = obj
        return obj

    def register(self, obj, *, replace: bool = False):
        """Add ``obj`` under ``obj.name``; returns ``obj`` (usable as a decorator target)."""
        self._load()
        self._check(obj)
        return self._add(obj, replace)

    def unregister(self, name: str) -> None:
        """Remove a registered entry (user extensions; built-ins can be removed too)."""
        self._load()
        if name not in self._items:
            raise UnknownNameError(f"{self.kind} {name!r} is not registered")
        del self._items[name]

    def _check(self, obj) -> None:  # overridden
        return None

    def names(self) -> tuple[str, ...]:
        """Registered names in registration order."""
        self._load()
        return tuple(self._items)

    def __getitem__(self, name: str):
        self._load()
        if name not in self._items:
            raise UnknownNameError(f"{self.kind}={name!r} is not known; allowed: "
                                   f"{', '.join(self._items)}")
        return self._items[name]

    def get(self, name: str, default=None):
        self._load()
        return self._items.get(name, default)

    def __contains__(self, name) -> bool:
        self._load()
        return name in self._items

    def __iter__(self) -> Iterator:
        self._load()
        return iter(list(self._items.values()))

    def __len__(self) -> int:
        self._load()
        return len(self._items)


class ParameterRegistry(_NamedRegistry):
    """Registered physics parameters (:class:`Parameter`)."""

    kind = "parameter"

    def _check(self, obj) -> None:
        if not isinstance(obj, Parameter):
            raise InvalidParameterError("register a nuem.interactions.registry.Parameter")


#: The physics parameters of the built-in processes (user processes may register more).
PARAMETERS = ParameterRegistry()
PARAMETERS.register(Parameter("mu_nu", "mu_B", "effective neutrino magnetic moment", lower=0.0,
                              tiny=1e-60))
PARAMETERS.register(Parameter("delta_q", "e", "neutrino millicharge (charge of the nu_l field)",
                              tiny=1e-60))
PARAMETERS.register(Parameter("r2_cm2", "cm^2", "neutrino charge radius <r^2>"))


# ---------------------------------------------------------------------------- atomic models
@dataclass(frozen=True)
class AtomicModel:
    """How the electrons of an atom take part in an electron-recoil process.

    ``electrons``: ``"all"`` (Z per atom), ``"stepping"`` (electrons with binding energy <= T)
    or ``"atomic"`` (the process coefficient is per formula unit from atomic data);
    ``photoabsorption``: uses sigma_gamma tables (non-smooth at their nodes).
    """

    name: str
    note: str
    electrons: str = "stepping"
    photoabsorption: bool = False
    historical: bool = False


#: Atomic models for electron recoils (docs/atomic_models.md), by name.
ATOMIC_MODELS: Mapping[str, AtomicModel] = {m.name: m for m in (
    AtomicModel("free", "free electrons (Z per atom)", electrons="all"),
    AtomicModel("stepping", "stepping approximation, xraylib binding energies "
                            "(Kopeikin et al., Phys. At. Nucl. 60, 1859 (1997))"),
    AtomicModel("epa", "HISTORICAL equivalent-photon mu_nu cross section of Wong, Li & Lin, "
                       "PRL 105, 061801 (2010), Eq. 10, withdrawn (Voloshin, PRL 105, 201801 "
                       "(2010)); photoabsorption per atom", electrons="atomic",
                photoabsorption=True, historical=True),
    AtomicModel("ww", "Weizsaecker-Williams equivalent photons, density-effect regulator; "
                      "interference in the stepping approximation", electrons="atomic",
                photoabsorption=True),
    AtomicModel("pai", "photoabsorption-ionization model, Allison & Cobb, Ann. Rev. Nucl. "
                       "Part. Sci. 30, 253 (1980), Eq. 28 (beta = 1); interference in the "
                       "stepping approximation", electrons="atomic", photoabsorption=True),
)}


# ---------------------------------------------------------------------------- processes
@dataclass(frozen=True)
class Scatterer:
    """What a process scatters on: the electrons of the target, or one natural isotope.

    ``mass`` in hepunits energy (kinematics); ``per_kg`` the number of such scatterers per kg
    (electrons: all Z of every atom; isotopes: nuclei of that isotope); ``z, n, a`` for nuclei
    (0 for electrons); ``label`` ``"e"`` or the isotope symbol.
    """

    label: str
    mass: float
    per_kg: float
    z: int = 0
    n: int = 0
    a: int = 0


@dataclass(frozen=True)
class ProcessContext:
    """Everything a process's coefficient function may read (see the module docstring)."""

    target: object
    scatterer: Scatterer
    flavor: str | None
    params: Mapping[str, float]
    model: str | None
    sin2w: float
    r2_convention: str
    sigma_gamma_source: str = "composite"
    density_g_cm3: float | None = None
    models: Mapping[str, str] = field(default_factory=dict)  #: every process's atomic model
    couplings: str = "radiative"  #: SM coupling scheme (nuem.interactions.couplings)

    def electrons_per_kg(self, t, model: str | None = None):
        """Electrons per kg taking part at recoil energies ``t`` (hepunits) in ``model``
        (default: this context's): all of them (free) or those with binding energy <= T."""
        m = ATOMIC_MODELS[model or self.model or "free"]
        if m.electrons == "all":
            return np.full(np.shape(t), self.target.electrons_per_kg)
        # stepping, and the stepping part (SM interference) of the atomic models
        return self.target.active_electrons_per_kg(t)

    def formula_units_per_kg(self) -> float:
        """Formula units (molecules; atoms for an element) per kg of target."""
        tgt = self.target
        return tgt.electrons_per_kg / sum(n * e.z for e, n in tgt.elements)


@dataclass(frozen=True)
class Process:
    """A registered interaction process (attributes: module docstring)."""

    name: str
    recoil: str
    coefficients: Callable[[np.ndarray, ProcessContext], Mapping[int, np.ndarray]]
    parameters: tuple[str, ...] = ()
    signal_parameters: tuple[str, ...] = ()
    flavor_dependent: bool = False
    atomic_models: tuple[str, ...] = ()
    break_points_kev: Callable[[ProcessContext], np.ndarray] | None = None
    combine: Callable[[Mapping[str, np.ndarray]], np.ndarray] | None = None
    description: str = ""
    references: tuple[str, ...] = field(default_factory=tuple)


class ProcessRegistry(_NamedRegistry):
    """Registered processes, in output order (built-ins first, loaded on first use)."""

    kind = "process"

    def _check(self, obj) -> None:
        for attr in ("recoil", "coefficients"):
            if not hasattr(obj, attr):
                raise InvalidParameterError(f"process {getattr(obj, 'name', obj)!r} lacks "
                                            f"the attribute {attr!r} (see nuem.interactions."
                                            "registry)")
        if obj.recoil not in RECOIL_KINDS:
            raise InvalidParameterError(f"process {obj.name!r}: recoil={obj.recoil!r} is not "
                                        f"known; allowed: {', '.join(RECOIL_KINDS)}")
        for p in tuple(getattr(obj, "parameters", ())) + tuple(
                getattr(obj, "signal_parameters", ())):
            if p not in PARAMETERS:
                raise InvalidParameterError(f"process {obj.name!r} reads parameter {p!r}, "
                                            "which is not registered (PARAMETERS.register)")
        models = tuple(getattr(obj, "atomic_models", ()))
        if obj.recoil == "electron" and not models:
            raise InvalidParameterError(f"electron-recoil process {obj.name!r} must list its "
                                        "atomic models (first = default)")
        for m in models:
            if m not in ATOMIC_MODELS:
                raise InvalidParameterError(f"process {obj.name!r}: atomic model {m!r} is not "
                                            f"known; allowed: {', '.join(ATOMIC_MODELS)}")

    def of_recoil(self, recoil: str) -> tuple[str, ...]:
        """Names of the processes with this recoil kind."""
        return tuple(p.name for p in self if p.recoil == recoil)


#: The process registry the rate engine loops over. Built-ins (in output order) are imported on
#: first use; a new built-in process is one file plus one line here.
PROCESSES = ProcessRegistry(builtins=(
    "nuem.interactions.processes:SM_ELECTRON",
    "nuem.interactions.processes:MAGNETIC_MOMENT",
    "nuem.interactions.processes:MILLICHARGE",
    "nuem.interactions.processes:CEVNS",
    "nuem.interactions.processes:CEVNS_MAGNETIC_MOMENT",
))


def scatterers(recoil: str, target) -> tuple[Scatterer, ...]:
    """The scatterers of a recoil kind in a target: its electrons (one entry, mass m_e, all Z
    per atom) or each natural isotope (nuclear mass = atomic mass - Z m_e, AME 2020 masses and
    CIAAW abundances via :mod:`nuem.targets`)."""
    from ..constants import ELECTRON_MASS
    from .neutrino_nucleus import nucleus_mass

    if recoil == "electron":
        return (Scatterer("e", ELECTRON_MASS, target.electrons_per_kg),)
    if recoil == "nuclear":
        return tuple(Scatterer(iso.symbol, nucleus_mass(iso.z, iso.mass_u), n, iso.z, iso.n,
                               iso.a) for iso, n in target.isotopes_per_kg())
    raise UnknownNameError(f"recoil={recoil!r} is not known; allowed: {', '.join(RECOIL_KINDS)}")


def as_power_coefficients(stacked, powers=(0, 1, 2)) -> dict[int, np.ndarray]:
    """Convert a stacked (c0, c1, c2, ...) array into the ``{k: c_k}`` coefficient protocol."""
    return {k: stacked[i] for i, k in enumerate(powers)}
