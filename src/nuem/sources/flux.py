"""Tabulated neutrino flux with exact per-segment integration.

A :class:`TabulatedFlux` is a differential flux dPhi/dE_nu given at nodes E_0 < E_1 < ... < E_N
and defined between nodes by linear interpolation (zero outside [E_0, E_N]). Every integral that
nuem needs over the flux has the form

.. math:: M_k(x) = \\int_{\\max(x, E_0)}^{E_N} \\frac{d\\Phi}{dE_\\nu} E_\\nu^{-k}\\, dE_\\nu,
          \\qquad k = 0, 1, 2 \\;(\\text{and any other integer } k),

because every differential cross section used in nuem is a polynomial in 1/E_nu at fixed recoil
energy T (Wong & Li, Mod. Phys. Lett. A 20, 1103 (2005), Eqs. 4, 6, 8, 9), or in E_nu for the
historical atomic-ionization EPA of Wong, Li & Lin, PRL 105, 061801 (2010), Eq. 10 (k = -2).
On each linear segment these integrals have closed forms
(:meth:`TabulatedFlux.moments`), so the rates are exact for the tabulated flux: inserting nodes
on the interpolant changes nothing, and the lower limit E_nu,min(T) falling between nodes is
handled exactly. This avoids the grid dependence of codes that sum a flux table on its nodes or
snap E_nu,min to the nearest node.

Units: energies in MeV, flux densities in cm^-2 s^-1 MeV^-1 at the public boundary; the
internal arrays are in hepunits.
"""

from __future__ import annotations

import numpy as np
from hepunits import MeV, cm2, s

from .._validation import as_float_array, positive_scalar
from ..exceptions import InvalidParameterError
from .lines import LineFlux
from .mixture import FlavorMixture
from .protocol import FLAVORS, Flux, SingleFlavor, check_flavor

__all__ = ["Flux", "TabulatedFlux", "LineFlux", "FlavorMixture", "FLAVORS"]

_FLUX_DENSITY = 1.0 / (cm2 * s * MeV)  # hepunits value of 1 cm^-2 s^-1 MeV^-1
_FLUX = 1.0 / (cm2 * s)


class TabulatedFlux(SingleFlavor):
    """Differential flux dPhi/dE_nu on nodes, linear between nodes, zero outside.

    Parameters
    ----------
    enu_mev : array_like
        Strictly increasing neutrino energies (MeV), >= 0, at least two nodes.
    dphi_cm2_s_mev : array_like
        Flux density at the nodes (cm^-2 s^-1 MeV^-1), >= 0.
    flavor : str
        One of :data:`FLAVORS` (default ``"nuebar"``).
    label : str
        Free text describing the origin, carried into outputs as provenance.

    Examples
    --------
    >>> f = TabulatedFlux([0.0, 1.0, 2.0], [0.0, 2.0, 0.0])
    >>> round(f.total_cm2_s(), 12)
    2.0
    >>> float(f.dphi_cm2_s_mev(0.5)[()])
    1.0
    """

    #: Relative kink strength above which a node is a break energy (:meth:`break_energies_mev`).
    KINK_TOLERANCE = 1e-4

    def __init__(self, enu_mev, dphi_cm2_s_mev, *, flavor: str = "nuebar", label: str = ""):
        e = as_float_array(enu_mev, "enu_mev")
        y = as_float_array(dphi_cm2_s_mev, "dphi_cm2_s_mev")
        if e.ndim != 1 or e.size < 2:
            raise InvalidParameterError("enu_mev must be a 1-d array with at least two nodes")
        if y.shape != e.shape:
            raise InvalidParameterError(f"dphi_cm2_s_mev has shape {y.shape}, but enu_mev has "
                                        f"shape {e.shape}; they must match")
        if e[0] < 0:
            raise InvalidParameterError(f"enu_mev={float(e[0])!r} MeV is negative; energies must "
                                        "be >= 0")
        if np.any(np.diff(e) <= 0):
            i = int(np.argmax(np.diff(e) <= 0))
            raise InvalidParameterError(f"enu_mev must be strictly increasing; node {i + 1} "
                                        f"({float(e[i + 1])!r} MeV) does not exceed node {i} "
                                        f"({float(e[i])!r})")
        if np.any(y < 0):
            i = int(np.argmax(y < 0))
            raise InvalidParameterError(f"dphi_cm2_s_mev={float(y[i])!r} at "
                                        f"enu_mev={float(e[i])!r} is negative; a flux density "
                                        "must be >= 0")
        self.flavor = check_flavor(flavor)
        self.label = label
        self._e = e * MeV
        self._y = y * _FLUX_DENSITY
        self._e.setflags(write=False)
        self._y.setflags(write=False)
        self._tails: dict[tuple[int, ...], np.ndarray] = {}
        self._tail = self._tail_moments()
        self._tails[(0, 1, 2)] = self._tail

    # ------------------------------------------------------------------ construction helpers
    @classmethod
    def from_function(cls, func, enu_mev, **kwargs) -> TabulatedFlux:
        """Tabulate ``func(enu_mev) -> cm^-2 s^-1 MeV^-1`` on the given nodes."""
        e = as_float_array(enu_mev, "enu_mev")
        return cls(e, np.asarray(func(e), dtype=float), **kwargs)

    def scaled_to_total(self, flux_cm2_s: float) -> TabulatedFlux:
        """The same shape normalised to a total flux ``flux_cm2_s`` (cm^-2 s^-1, > 0)."""
        target = positive_scalar(flux_cm2_s, "flux_cm2_s", "cm^-2 s^-1")
        factor = target / self.total_cm2_s()
        return TabulatedFlux(self.enu_mev, self.dphi_nodes_cm2_s_mev * factor,
                             flavor=self.flavor, label=f"{self.label} scaled to {target:g}/cm2/s")

    def resampled(self, enu_mev) -> TabulatedFlux:
        """Sample the interpolant on new nodes (the new table is linear between *those* nodes)."""
        e = as_float_array(enu_mev, "enu_mev")
        return TabulatedFlux(e, self.dphi_cm2_s_mev(e), flavor=self.flavor, label=self.label)

    def scaled(self, factor: float) -> TabulatedFlux:
        """The flux multiplied by ``factor`` (>= 0)."""
        f = positive_scalar(factor, "factor", allow_zero=True)
        return TabulatedFlux(self.enu_mev, self.dphi_nodes_cm2_s_mev * f, flavor=self.flavor,
                             label=self.label)

    # ------------------------------------------------------------------ public accessors
    @property
    def enu_mev(self) -> np.ndarray:
        """Node energies in MeV (a copy)."""
        return self._e / MeV

    @property
    def dphi_nodes_cm2_s_mev(self) -> np.ndarray:
        """Flux density at the nodes in cm^-2 s^-1 MeV^-1 (a copy)."""
        return self._y / _FLUX_DENSITY

    @property
    def enu_max_mev(self) -> float:
        """Highest energy with non-zero flux (the last node), MeV."""
        return float(self._e[-1] / MeV)

    def dphi_cm2_s_mev(self, enu_mev) -> np.ndarray:
        """dPhi/dE_nu (cm^-2 s^-1 MeV^-1) at ``enu_mev`` (MeV, >= 0); zero outside the table."""
        e = as_float_array(enu_mev, "enu_mev")
        if np.any(e < 0):
            raise InvalidParameterError(f"enu_mev={float(e[e < 0].flat[0])!r} MeV is negative")
        return self.dphi(e * MeV) / _FLUX_DENSITY

    def dphi(self, enu: np.ndarray) -> np.ndarray:
        """dPhi/dE_nu in hepunits at energies ``enu`` in hepunits (internal, no validation)."""
        return np.interp(enu, self._e, self._y, left=0.0, right=0.0)

    def total_cm2_s(self, flavor: str | None = None) -> float:
        """Total flux integrated over the table, cm^-2 s^-1 (exact for the interpolant).

        ``flavor`` (flux protocol): None or this table's flavour give the total; another
        flavour gives 0.
        """
        if self.is_other_flavor(flavor):
            return 0.0
        return float(self._tail[0, 0] / _FLUX)

    # ------------------------------------------------------------------ flux protocol
    def break_energies_mev(self) -> np.ndarray:
        """Energies (MeV) where the tabulated flux is not smooth (flux protocol).

        The two end nodes (the flux starts or stops there, possibly with a step) and every
        interior node E_j with a kink of relative strength
        r_j = |slope_{j+1/2} - slope_{j-1/2}| (E_{j+1} - E_{j-1}) / (2 max(phi_{j-1..j+1})) above
        :attr:`KINK_TOLERANCE` (e.g. the end points of beta spectra inside a reactor table).
        The weaker kinks of a finely sampled smooth spectrum change a bin integral by less than
        ~1e-8 relative when left inside a Gauss-Legendre sub-interval (nuem.binned; tested
        against adaptive quadrature) and are not returned.
        """
        e, y = self._e, self._y
        keep = np.zeros(e.size, dtype=bool)
        keep[[0, -1]] = True
        if e.size > 2:
            slope = np.diff(y) / np.diff(e)
            peak = np.maximum(np.maximum(y[:-2], y[1:-1]), y[2:])
            with np.errstate(divide="ignore", invalid="ignore"):
                r = np.abs(np.diff(slope)) * 0.5 * (e[2:] - e[:-2]) / peak
            keep[1:-1] = np.where(peak > 0, r, 0.0) > self.KINK_TOLERANCE
        return e[keep] / MeV

    def moments_mev(self, enu_min_mev, powers=(0, 1, 2), flavor: str | None = None
                    ) -> np.ndarray:
        """Tail moments M_k(x) in cm^-2 s^-1 MeV^-k at ``enu_min_mev`` (MeV), flux protocol.

        Same as :meth:`moments` in public units; a flavour other than this table's gives 0.

        Examples
        --------
        >>> f = TabulatedFlux([1.0, 3.0], [1.0, 1.0], flavor="nue")
        >>> [round(float(v), 10) for v in f.moments_mev(2.0, powers=(-2, -1, 0))]
        [6.3333333333, 2.5, 1.0]
        """
        powers = tuple(int(k) for k in powers)
        x = np.asarray(enu_min_mev, dtype=float)
        if self.is_other_flavor(flavor):
            return np.zeros((len(powers),) + x.shape)
        m = self.moments(x * MeV, powers)
        scale = np.array([_FLUX * MeV ** (-k) for k in powers]).reshape((-1,) + (1,) * x.ndim)
        return m / scale

    def mean_inverse_energy_per_mev(self) -> float:
        """Flux-weighted mean of 1/E_nu in MeV^-1 (requires E_0 > 0 or phi(E_0) = 0)."""
        return float(self.moments(np.array([self._e[0]]))[1, 0] / self._tail[0, 0] * MeV)

    # ------------------------------------------------------------------ exact moments
    def _tail_moments(self, powers=(0, 1, 2)) -> np.ndarray:
        """Full-segment moments summed from each node to the end, shape (len(powers), N+1)."""
        e, y = self._e, self._y
        a_, b_ = e[:-1], e[1:]
        ya, yb = y[:-1], y[1:]
        slope = (yb - ya) / (b_ - a_)
        icpt = ya - slope * a_
        seg = np.empty((len(powers), e.size - 1))
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            for i, k in enumerate(powers):
                if k == 0:
                    seg[i] = 0.5 * (b_ - a_) * (ya + yb)  # trapezoid: exact, no cancellation
                else:
                    seg[i] = icpt * _power_integral(-k, a_, b_) \
                        + slope * _power_integral(1 - k, a_, b_)
                if a_[0] == 0.0 and k > 0:
                    # The first segment starts at E = 0: E^-k (a + b E) is integrable only if
                    # the divergent terms vanish (x > 0 always in rates, so never needed there).
                    first = 0.0
                    for coef, p in ((icpt[0], -k), (slope[0], 1 - k)):
                        if coef == 0.0:
                            continue
                        first = np.inf if p <= -1 else first + coef * b_[0] ** (p + 1) / (p + 1)
                    seg[i, 0] = first
        tail = np.zeros((len(powers), e.size))
        tail[:, :-1] = np.cumsum(seg[:, ::-1], axis=1)[:, ::-1]
        return tail

    def moments(self, x: np.ndarray, powers=(0, 1, 2)) -> np.ndarray:
        """Exact tail moments M_k(x) = int_{max(x,E0)}^{E_N} phi(E) E^-k dE for k in ``powers``.

        On each linear segment phi = a + b E, so M_k is a sum of the closed forms
        int E^p dE (p = -k, 1 - k; logarithm for p = -1), evaluated without cancellation
        (factored differences). Exact for the tabulated (piecewise-linear) flux.

        Parameters
        ----------
        x : ndarray
            Lower limits in hepunits energy (> 0), any shape.
        powers : sequence of int
            Exponents k of E^-k (any integers, e.g. ``(-2, -1, 0, 1, 2)``; negative k weight
            the flux with positive powers of E, e.g. the E_nu^2 of Wong, Li & Lin, PRL 105,
            061801 (2010), Eq. 10).
            Default ``(0, 1, 2)``.

        Returns
        -------
        ndarray
            Shape ``(len(powers),) + x.shape``, in hepunits (flux * energy^-k), row i for
            ``powers[i]``.

        Examples
        --------
        >>> from hepunits import MeV
        >>> f = TabulatedFlux([1.0, 3.0], [1.0, 1.0])
        >>> unit = f.moments(np.array([0.0]))[0, 0] / 2.0        # hepunits of 1 cm^-2 s^-1
        >>> m = f.moments(np.array([2.0 * MeV]), powers=(-2, -1, 0))[:, 0] / unit
        >>> [round(float(v), 10) for v in m]                      # (27-8)/3, (9-4)/2, 1
        [6.3333333333, 2.5, 1.0]
        """
        powers = tuple(int(k) for k in powers)
        if powers not in self._tails:
            self._tails[powers] = self._tail_moments(powers)
        tail = self._tails[powers]
        x = np.asarray(x, dtype=float)
        e, y = self._e, self._y
        flat = x.ravel()
        out = np.zeros((len(powers), flat.size))
        below = flat <= e[0]
        inside = (~below) & (flat < e[-1])
        if np.any(below):
            out[:, below] = tail[:, :1]
        xi = flat[inside]
        if xi.size:
            j = np.searchsorted(e, xi, side="right") - 1
            b = e[j + 1]
            yj, yb = y[j], y[j + 1]
            slope = (yb - yj) / (b - e[j])
            yx = yj + slope * (xi - e[j])
            icpt = yb - slope * b
            for i, k in enumerate(powers):
                if k == 0:
                    part = 0.5 * (b - xi) * (yx + yb)
                else:
                    part = icpt * _power_integral(-k, xi, b) + slope * _power_integral(1 - k, xi,
                                                                                        b)
                out[i, inside] = tail[i, j + 1] + part
        return out.reshape((len(powers),) + x.shape)

    def __repr__(self) -> str:
        return (f"TabulatedFlux({self._e.size} nodes, {self.enu_mev[0]:g}-{self.enu_max_mev:g} "
                f"MeV, total={self.total_cm2_s():.4g} /cm2/s, flavor={self.flavor!r})")


def _power_integral(p: int, a, b):
    """int_a^b E^p dE for integer p and 0 < a <= b, in factored form (no cancellation).

    p >= 0: (b - a) sum_j a^j b^(p-j) / (p + 1); p = -1: log1p((b - a)/a);
    p = -q - 1 <= -2: (b - a) sum_j a^j b^(q-1-j) / (q a^q b^q).
    """
    d = b - a
    if p == -1:
        return np.log1p(d / a)
    if p >= 0:
        return d * sum(a**j * b ** (p - j) for j in range(p + 1)) / (p + 1)
    q = -p - 1
    return d * sum(a**j * b ** (q - 1 - j) for j in range(q)) / (q * a**q * b**q)
