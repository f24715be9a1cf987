"""Mono-energetic neutrino lines (electron-capture sources, solar 7Be and pep, reactor nu_e lines).

A :class:`LineFlux` is dPhi/dE_nu = sum_i Phi_i delta(E_nu - E_i). Its tail moments are exact
finite sums (no table, no quadrature):

    M_k(x) = sum_i Phi_i E_i^-k theta(E_i >= x),

so a line contributes to the recoil spectrum exactly the single-energy cross section times its
flux, up to its kinematic end point T_max(E_i) = 2 E_i^2 / (M + 2 E_i), where the spectrum steps
to zero (:func:`nuem.binned.counts_in_bins` puts a bin-integration boundary there).

Examples
--------
>>> be7 = LineFlux([0.3843, 0.8613], [0.5e9, 4.5e9], "nue", label="7Be-like")
>>> be7.total_cm2_s()
5000000000.0
>>> [round(float(v) / 1e9, 6) for v in be7.moments_mev(0.5, powers=(0, 1))]  # 861 keV only
[4.5, 5.22466]
"""

from __future__ import annotations

import numpy as np

from .._validation import as_float_array, positive_scalar
from ..exceptions import InvalidParameterError
from .protocol import SingleFlavor, check_flavor

__all__ = ["LineFlux"]


class LineFlux(SingleFlavor):
    """Mono-energetic lines at ``energies_mev`` with fluxes ``fluxes_cm2_s`` (flux protocol).

    Parameters
    ----------
    energies_mev : array_like
        Line energies E_i in MeV, > 0 (any order; equal energies are allowed and add).
    fluxes_cm2_s : array_like
        Flux of each line, cm^-2 s^-1, >= 0, same length.
    flavor : str
        Species of every line (default ``"nue"``: electron-capture sources and the Sun).
    label : str
        Free text carried into outputs as provenance.

    Validity: exact for lines of negligible width (the Doppler and atomic widths of
    electron-capture lines, ~keV, are neglected).
    """

    def __init__(self, energies_mev, fluxes_cm2_s, flavor: str = "nue", *, label: str = ""):
        e = np.atleast_1d(as_float_array(energies_mev, "energies_mev"))
        phi = np.atleast_1d(as_float_array(fluxes_cm2_s, "fluxes_cm2_s"))
        if e.ndim != 1 or e.size < 1:
            raise InvalidParameterError("energies_mev must be a 1-d array of at least one line")
        if phi.shape != e.shape:
            raise InvalidParameterError(f"fluxes_cm2_s has shape {phi.shape}, but energies_mev "
                                        f"has shape {e.shape}; they must match")
        if np.any(e <= 0):
            raise InvalidParameterError(f"energies_mev={float(e[e <= 0][0])!r} MeV is not "
                                        "allowed; line energies must be > 0 MeV")
        if np.any(phi < 0):
            raise InvalidParameterError(f"fluxes_cm2_s={float(phi[phi < 0][0])!r} is not "
                                        "allowed; line fluxes must be >= 0 cm^-2 s^-1")
        self.flavor = check_flavor(flavor)
        self.label = label or f"{e.size} line(s), {self.flavor}"
        order = np.argsort(e, kind="stable")
        self._e = e[order]
        self._phi = phi[order]
        self._e.setflags(write=False)
        self._phi.setflags(write=False)
        self._tails: dict[tuple[int, ...], np.ndarray] = {}

    @property
    def energies_mev(self) -> np.ndarray:
        """Line energies in MeV, ascending (a copy)."""
        return self._e.copy()

    @property
    def fluxes_cm2_s(self) -> np.ndarray:
        """Line fluxes in cm^-2 s^-1, in the order of :attr:`energies_mev` (a copy)."""
        return self._phi.copy()

    def total_cm2_s(self, flavor: str | None = None) -> float:
        """Sum of the line fluxes, cm^-2 s^-1 (0 for another flavour)."""
        if self.is_other_flavor(flavor):
            return 0.0
        return float(self._phi.sum())

    def break_energies_mev(self) -> np.ndarray:
        """The line energies (MeV): the recoil spectrum steps at their T_max."""
        return self._e.copy()

    def _tail(self, powers: tuple[int, ...]) -> np.ndarray:
        if powers not in self._tails:
            terms = np.stack([self._phi * self._e ** (-k) for k in powers])
            tail = np.zeros((len(powers), self._e.size + 1))
            tail[:, :-1] = np.cumsum(terms[:, ::-1], axis=1)[:, ::-1]
            self._tails[powers] = tail
        return self._tails[powers]

    def moments_mev(self, enu_min_mev, powers=(0, 1, 2), flavor: str | None = None
                    ) -> np.ndarray:
        """M_k(x) = sum_i Phi_i E_i^-k theta(E_i >= x), cm^-2 s^-1 MeV^-k (flux protocol).

        Parameters
        ----------
        enu_min_mev : array_like
            Lower limits x in MeV (any shape).
        powers : sequence of int
            Exponents k.
        flavor : str, optional
            None or this flux's flavour; another flavour gives zeros.
        """
        powers = tuple(int(k) for k in powers)
        x = np.asarray(enu_min_mev, dtype=float)
        if self.is_other_flavor(flavor):
            return np.zeros((len(powers),) + x.shape)
        j = np.searchsorted(self._e, x, side="left")
        return self._tail(powers)[:, j]

    def scaled(self, factor: float) -> LineFlux:
        """The same lines with every flux multiplied by ``factor`` (>= 0)."""
        f = positive_scalar(factor, "factor", allow_zero=True)
        return LineFlux(self._e, self._phi * f, self.flavor, label=self.label)

    def __repr__(self) -> str:
        lines = ", ".join(f"{e:g} MeV: {p:.4g}" for e, p in zip(self._e, self._phi, strict=True))
        return f"LineFlux([{lines}] /cm2/s, flavor={self.flavor!r})"
