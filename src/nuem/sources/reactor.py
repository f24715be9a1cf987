"""Reactor antineutrino source: fission rate, total flux and spectrum dPhi/dE_nu at a detector.

Physics (docs/reactor_source.md):

* fission rate R = P_th / sum_k f_k E_k (E_k: energy per fission, Ma et al. PRC 88, 014605 (2013)
  by default, or Kopeikin et al. Phys. At. Nucl. 67, 1892 (2004)); about 3.04e19 /s per GW_th;
* ν̄e per fission N_ν = sum_k f_k Y_k + 2 n_c with Y_k = 6.14/7.08/5.58/6.42 (235U/238U/239Pu/
  241Pu; Wong & Li, MPLA 20, 1103 (2005), Table 1) and n_c = 0.6 captures 238U(n,γ)239U per
  fission (same table), each followed by the β⁻ decays of 239U and 239Np (one ν̄e each, all
  below 1.3 MeV);
* total flux Φ = R N_ν / (4π L^2), spectrum dΦ/dE_nu = R/(4π L^2) [sum_k f_k S_k(E_nu)
  + n_c (n_U239(E_nu) + n_Np239(E_nu))], with S_k from :mod:`nuem.sources.isotopes`
  (Huber–Mueller above 2 MeV; Daya Bay data release, CC BY 4.0) and the capture spectra from
  :mod:`nuem.sources.beta` (allowed β shapes, ENSDF branches).

Optionally (``nue_lines_cr51_fraction``) the core's νe lines from ⁵¹Cr and ⁵⁵Fe made by neutron
capture in its structures, Y = 8.3×10⁻⁴ νe per fission in total (Wong & Li, MPLA 20, 1103 (2005),
Sec. 4.3; :mod:`nuem.sources.reactor_lines`), flux R Y / (4π L²); the beam
(:meth:`ReactorSource.flux`) is then a :class:`~nuem.sources.mixture.FlavorMixture` of the ν̄e
table and the νe lines. The ⁵¹Cr/⁵⁵Fe split has no default: the per-isotope yields could not be
checked.

Validity: 0–13 MeV (zero above 13 MeV, where the HM tables end); an isotropic point source
without oscillations. Below 2 MeV no measured fission spectrum exists and the low-energy model is
an assumption that keeps each isotope's total yield: the SM ν–e rate at keV recoil depends on it
at the 10–20 % level, while the μν rate at T << E_nu depends only on the total flux (Wong & Li,
MPLA 20, 1103 (2005), Sec. 4.3).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping

import numpy as np
from hepunits import s

from .._validation import as_float_array, choice, finite_scalar, positive_scalar
from ..constants import CM2, MEV_IN_JOULE, MeV, m
from ..exceptions import InvalidParameterError, UnknownNameError
from . import isotopes as iso
from .beta import NP239_DECAY, U239_DECAY
from .flux import TabulatedFlux
from .reactor_lines import REACTOR_NUE_PER_FISSION, nue_lines_for_fission_flux

__all__ = ["ReactorSource", "reactor_flux"]

_FLUX = 1.0 / (CM2 * s)
_FLUX_DENSITY = 1.0 / (CM2 * s * MeV)
_CAPTURE = {"capture_U239": U239_DECAY, "capture_Np239": NP239_DECAY}
#: Width (MeV) of the steep segment that represents the step of a β branch at its endpoint.
_STEP_MEV = 1e-6


def _check_fractions(fractions) -> dict[str, float]:
    """Validate fission fractions; return all four, divided by their sum (which is 1 +- 1e-3)."""
    if fractions is None:
        return dict(iso.DEFAULT_FISSION_FRACTIONS)
    if not isinstance(fractions, Mapping):
        raise InvalidParameterError(f"fractions={fractions!r} must be a mapping isotope -> "
                                    f"fraction with keys from {', '.join(iso.ISOTOPES)}")
    unknown = [k for k in fractions if k not in iso.ISOTOPES]
    if unknown:
        raise UnknownNameError(f"fractions has unknown isotope key {unknown[0]!r}; allowed: "
                               f"{', '.join(iso.ISOTOPES)} (missing ones count as 0)")
    out = {k: 0.0 for k in iso.ISOTOPES}
    for k, v in fractions.items():
        x = finite_scalar(v, f"fractions[{k!r}]")
        if not 0.0 <= x <= 1.0:
            raise InvalidParameterError(f"fractions[{k!r}]={x!r} is outside [0, 1]")
        out[k] = x
    total = sum(out.values())
    if abs(total - 1.0) > 1e-3:
        raise InvalidParameterError(f"fractions sum to {total!r}; the fission fractions must sum "
                                    "to 1 within 1e-3")
    return {k: v / total for k, v in out.items()}


class ReactorSource:
    """Antineutrinos from a power reactor core at a distance (isotropic point source).

    Parameters
    ----------
    power_gw : float
        Thermal power P_th in GW (> 0).
    distance_m : float
        Core–detector distance L in m (> 0).
    fractions : mapping, optional
        Fission fractions f_k by isotope (keys from ``"U235"``, ``"U238"``, ``"Pu239"``,
        ``"Pu241"``; missing keys are 0; each in [0, 1]; sum 1 within 1e-3, then divided by the
        sum). Default: typical-PWR fractions 0.55/0.07/0.32/0.06
        (:data:`nuem.sources.isotopes.DEFAULT_FISSION_FRACTIONS`).
    energy_per_fission : {"ma2013", "kopeikin2004"}
        Energy-per-fission table: Ma et al., PRC 88, 014605 (2013) (default) or Kopeikin et al.,
        Phys. At. Nucl. 67, 1892 (2004).
    captures_per_fission : float
        238U(n,γ) captures per fission (>= 0; default 0.6, Wong & Li, MPLA 20, 1103 (2005),
        Table 1); each gives one ν̄e from 239U and one from 239Np.
    e_match_mev, e_turn_on_mev : float
        Matching energy E_m (default 2.0 MeV) and turn-on energy E0 (0.2 MeV) of the low-energy
        model (:func:`nuem.sources.isotopes.low_energy_model`).
    nue_lines_cr51_fraction : float, optional
        Add the νe lines of ⁵¹Cr and ⁵⁵Fe (module docstring) with this ⁵¹Cr share of the yield,
        in [0, 1]; None (default): antineutrinos only.
    nue_lines_per_fission : float, optional
        Total νe yield Y of the lines per fission (>= 0; default 8.3e-4); only with
        ``nue_lines_cr51_fraction``.

    Examples
    --------
    >>> src = ReactorSource(power_gw=2.9, distance_m=28.0)  # TEXONO at Kuo-Sheng
    >>> f"{src.flux_cm2_s:.2g}"
    '6.5e+12'
    >>> round(src.antineutrinos_per_fission, 3)
    7.243
    >>> flux = src.tabulated()
    >>> abs(flux.total_cm2_s() / src.flux_cm2_s - 1) < 1e-5
    True
    """

    def __init__(self, *, power_gw: float, distance_m: float, fractions=None,
                 energy_per_fission: str = "ma2013", captures_per_fission: float = 0.6,
                 e_match_mev: float = 2.0, e_turn_on_mev: float = 0.2,
                 nue_lines_cr51_fraction: float | None = None,
                 nue_lines_per_fission: float | None = None):
        self.power_gw = positive_scalar(power_gw, "power_gw", "GW")
        self.distance_m = positive_scalar(distance_m, "distance_m", "m")
        self.fractions = _check_fractions(fractions)
        self.energy_per_fission = choice(energy_per_fission, "energy_per_fission",
                                         iso.ENERGY_PER_FISSION_MEV)
        self.captures_per_fission = positive_scalar(captures_per_fission, "captures_per_fission",
                                                    allow_zero=True)
        # Validates e_match_mev / e_turn_on_mev and solves (cached) the low-energy models.
        self._models = {k: iso.low_energy_model(k, e_match_mev, e_turn_on_mev)
                        for k in iso.ISOTOPES}
        self.e_match_mev = self._models["U235"].e_match_mev
        self.e_turn_on_mev = self._models["U235"].e_turn_on_mev
        self._tab: TabulatedFlux | None = None
        self.nue_lines_per_fission = _lines_yield(nue_lines_cr51_fraction, nue_lines_per_fission)
        self.nue_lines_cr51_fraction = None
        if nue_lines_cr51_fraction is not None:     # validated by building the lines once
            self.nue_lines_cr51_fraction = float(nue_lines_cr51_fraction)
            self.nue_lines()

    # ------------------------------------------------------------------ rates and totals
    @property
    def mean_energy_per_fission_mev(self) -> float:
        """sum_k f_k E_k in MeV."""
        table = iso.ENERGY_PER_FISSION_MEV[self.energy_per_fission]
        return float(sum(f * table[k] for k, f in self.fractions.items()))

    @property
    def fissions_per_s(self) -> float:
        """Fission rate R = P_th / sum_k f_k E_k in s^-1 (1 MeV = MEV_IN_JOULE J, exact SI)."""
        return self.power_gw * 1e9 / (self.mean_energy_per_fission_mev * MEV_IN_JOULE)

    @property
    def antineutrinos_per_fission(self) -> float:
        """N_ν = sum_k f_k Y_k + 2 n_c (ν̄e per fission, all energies, incl. capture)."""
        fis = sum(f * iso.ANTINEUTRINOS_PER_FISSION[k] for k, f in self.fractions.items())
        return float(fis + 2.0 * self.captures_per_fission)

    @property
    def flux_cm2_s(self) -> float:
        """Total ν̄e flux Φ = R N_ν / (4π L^2) at the detector, cm^-2 s^-1."""
        return float(self._per_fission_to_flux() * self.antineutrinos_per_fission / _FLUX)

    @property
    def nue_lines_flux_cm2_s(self) -> float:
        """Total νe flux of the ⁵¹Cr/⁵⁵Fe lines, cm^-2 s^-1 (0 without them)."""
        lines = self.nue_lines()
        return 0.0 if lines is None else float(lines.total_cm2_s())

    def nue_lines(self):
        """The νe lines (:class:`~nuem.sources.lines.LineFlux`), or None when not requested."""
        if self.nue_lines_cr51_fraction is None:
            return None
        return nue_lines_for_fission_flux(self._per_fission_to_flux() * CM2 * s,
                                          cr51_fraction=self.nue_lines_cr51_fraction,
                                          per_fission=self.nue_lines_per_fission)

    def flux(self):
        """The beam at the detector: :meth:`tabulated` (ν̄e), or with the νe lines a
        :class:`~nuem.sources.mixture.FlavorMixture` ``{"nuebar": table, "nue": lines}``."""
        lines = self.nue_lines()
        if lines is None:
            return self.tabulated()
        from .mixture import FlavorMixture

        return FlavorMixture({"nuebar": self.tabulated(), "nue": lines})

    def _per_fission_to_flux(self) -> float:
        """R / (4π L^2) in hepunits (fissions per area per time)."""
        dist = self.distance_m * m
        return self.fissions_per_s / s / (4.0 * math.pi * dist * dist)

    # ------------------------------------------------------------------ spectra
    def _components(self, enu: np.ndarray) -> dict[str, np.ndarray]:
        out = {k: self.fractions[k] * iso._spectrum(self._models[k], enu) for k in iso.ISOTOPES}
        for name, decay in _CAPTURE.items():
            out[name] = self.captures_per_fission * decay._spectrum(enu)
        return out

    @staticmethod
    def _energies(enu_mev) -> np.ndarray:
        e = as_float_array(enu_mev, "enu_mev")
        if np.any(e < 0):
            raise InvalidParameterError(f"enu_mev={float(e[e < 0].flat[0])!r} MeV is negative; "
                                        "energies must be >= 0")
        return e

    def component_spectra_per_fission(self, enu_mev) -> dict[str, np.ndarray]:
        """Contributions to the spectrum per fission, ν̄e per MeV per fission.

        Keys ``"U235"``, ``"U238"``, ``"Pu239"``, ``"Pu241"`` (f_k S_k(E_nu)) and
        ``"capture_U239"``, ``"capture_Np239"`` (n_c times the per-decay β spectrum); their
        sum is :meth:`spectrum_per_fission`. ``enu_mev`` in MeV, >= 0; zero above 13 MeV.
        """
        return self._components(self._energies(enu_mev))

    def spectrum_per_fission(self, enu_mev) -> np.ndarray:
        """Total ν̄e spectrum (fission + capture), ν̄e per MeV per fission, at ``enu_mev`` (MeV)."""
        return sum(self._components(self._energies(enu_mev)).values())

    def dphi_cm2_s_mev(self, enu_mev) -> np.ndarray:
        """dΦ/dE_nu at the detector in cm^-2 s^-1 MeV^-1 at ``enu_mev`` (MeV, >= 0)."""
        per_fission = self.spectrum_per_fission(enu_mev) / MeV
        return per_fission * self._per_fission_to_flux() / _FLUX_DENSITY

    # ------------------------------------------------------------------ tabulation
    def node_energies_mev(self) -> np.ndarray:
        """Node grid of :meth:`tabulated` (MeV); see :func:`_node_grid`."""
        return _node_grid(self.e_match_mev).copy()

    def tabulated(self) -> TabulatedFlux:
        """dΦ/dE_nu as a :class:`~nuem.sources.flux.TabulatedFlux` (flavour ``"nuebar"``).

        Sampled on :meth:`node_energies_mev` (0–13 MeV, about 3700 nodes), built once per
        instance and cached. The label carries the provenance (see :meth:`provenance`).
        """
        if self._tab is None:
            e = _node_grid(self.e_match_mev)
            y = sum(self._components(e).values()) * (self._per_fission_to_flux()
                                                      / MeV / _FLUX_DENSITY)
            self._tab = TabulatedFlux(e, y, flavor="nuebar", label=self._label())
        return self._tab

    def _label(self) -> str:
        fr = ",".join(f"{k}={v:g}" for k, v in self.fractions.items())
        return (f"reactor nuebar P={self.power_gw:g} GW L={self.distance_m:g} m [{fr}] "
                f"E/fission={self.energy_per_fission} captures={self.captures_per_fission:g}; "
                "Huber-Mueller >= {:g} MeV (Daya Bay release, CC BY 4.0), yield-preserving "
                "exp-quadratic below (assumption), 239U/239Np allowed beta (ENSDF)"
                .format(self.e_match_mev))

    def provenance(self) -> dict:
        """Models, data sources and parameters behind this source, for outputs (JSON-ready)."""
        return {
            "model": "reactor antineutrino point source (docs/reactor_source.md)",
            "parameters": {
                "power_gw": self.power_gw, "distance_m": self.distance_m,
                "fractions": dict(self.fractions),
                "energy_per_fission": self.energy_per_fission,
                "captures_per_fission": self.captures_per_fission,
                "e_match_mev": self.e_match_mev, "e_turn_on_mev": self.e_turn_on_mev,
            },
            "energy_per_fission_mev": dict(iso.ENERGY_PER_FISSION_MEV[self.energy_per_fission]),
            "energy_per_fission_source": {
                "ma2013": "X.B. Ma et al., PRC 88, 014605 (2013)",
                "kopeikin2004": "V. Kopeikin et al., Phys. At. Nucl. 67, 1892 (2004)",
            }[self.energy_per_fission],
            "antineutrinos_per_fission_by_isotope": dict(iso.ANTINEUTRINOS_PER_FISSION),
            "yields_source": "Wong & Li, MPLA 20, 1103 (2005), Table 1",
            "fractions_source": ("default: " + iso.FRACTIONS_SOURCE
                                 if dict(self.fractions) == iso.DEFAULT_FISSION_FRACTIONS
                                 else "user-given"),
            "spectrum_above_e_match": "Huber PRC 84, 024617 (2011) (U235, Pu239, Pu241); "
                                      "Mueller et al. PRC 83, 054615 (2011) (U238); tables from "
                                      "the Daya Bay full data release, DOI "
                                      "10.5281/zenodo.17587229, CC BY 4.0; log-linear "
                                      "interpolation; zero above 13 MeV",
            "spectrum_below_e_match": {
                "model": "ln S = ln S_HM(E_m) + s (E-E_m) + c (E-E_m)^2, times "
                         "1-exp(-(E/E0)^2); c fixed by the total yield (Vogel & Engel PRD 39, "
                         "3378 (1989) form); an assumption, no measurement below 2 MeV",
                "c_per_mev2": {k: m_.c_per_mev2 for k, m_ in self._models.items()},
                "slope_per_mev": {k: m_.slope_per_mev for k, m_ in self._models.items()},
            },
            "capture": {d.name: d.source for d in _CAPTURE.values()},
            "nue_lines": (None if self.nue_lines_cr51_fraction is None else {
                "cr51_fraction": self.nue_lines_cr51_fraction,
                "per_fission": self.nue_lines_per_fission,
                "flux_cm2_s": self.nue_lines_flux_cm2_s,
                "source": "51Cr + 55Fe EC lines, 8.3e-4 nu_e per fission in total (Wong & Li, "
                          "MPLA 20, 1103 (2005), Sec. 4.3; B. Xin et al., hep-ex/0502001); the "
                          "51Cr/55Fe split is user-given"}),
            "notes": ["The SM nu-e rate at keV recoil depends on the spectrum below 2 MeV (no "
                      "measurement) at the 10-20 % level; the mu_nu rate at T << E_nu depends "
                      "only on the total flux (Wong & Li, MPLA 20, 1103 (2005), Sec. 4.3)."],
        }

    def __repr__(self) -> str:
        return (f"ReactorSource(power_gw={self.power_gw:g}, distance_m={self.distance_m:g}, "
                f"flux={self.flux_cm2_s:.4g}/cm2/s)")


def _lines_yield(cr51_fraction, per_fission) -> float:
    if per_fission is None:
        return REACTOR_NUE_PER_FISSION
    if cr51_fraction is None:
        raise InvalidParameterError("nue_lines_per_fission goes with nue_lines_cr51_fraction "
                                    "(the 51Cr share of the lines; no published split is built in)")
    return positive_scalar(per_fission, "nue_lines_per_fission", allow_zero=True)


@functools.lru_cache(maxsize=8)
def _node_grid(e_match: float) -> np.ndarray:
    """Nodes (MeV) on which linear interpolation reproduces the analytic spectrum.

    * 0, then geometric spacing h = 1 % of E from 0.1 keV to 0.2 MeV (the E^2 turn-on; keeps the
      1/E^2 moments from E >= 0.5 keV accurate), 2 keV spacing from 0.2 to 1.3 MeV (capture
      spectra), 5 keV from 1.3 MeV to E_m;
    * above E_m every HM table node, each 50 keV segment split into n equal parts with
      n * |b| * 50 keV <= 0.008, b the steepest HM log-slope of the four isotopes on that
      segment (relative error of linear interpolation of an exponential ~ (h b)^2/12 <= 5e-6);
    * each β endpoint Q with Q - 2 eV, Q - 1 eV and Q + 1 eV: the step of each branch at Q is
      a 1 eV wide segment, and stays at most 2 eV wide if every other node is dropped
      (:meth:`TabulatedFlux.resampled` on ``enu_mev[::2]``).

    Relative accuracy of the total and of the 1/E_nu, 1/E_nu^2 moments: < 1e-5
    (tests/test_sources_reactor.py). About 4200 nodes.
    """
    hm_e = iso.hm_table("U235")[0]
    slopes = np.max([np.abs(np.diff(np.log(iso.hm_table(k)[1]))) for k in iso.ISOTOPES], axis=0)
    parts = [np.r_[0.0, np.geomspace(1e-4, 0.2, 765), np.arange(0.2, 1.3, 0.002),
                   np.linspace(1.3, e_match, max(2, int(round((e_match - 1.3) / 0.005)) + 1)),
                   hm_e[hm_e >= e_match], e_match]]
    for i in np.flatnonzero(hm_e[1:] > e_match):
        n = max(1, int(math.ceil(slopes[i] / 0.008)))
        parts.append(np.linspace(max(hm_e[i], e_match), hm_e[i + 1], n + 1)[1:-1])
    ends = np.array([b.endpoint_mev for d in _CAPTURE.values() for b in d.branches])
    parts += [ends + k * _STEP_MEV for k in (-2, -1, 0, 1)]
    e = np.unique(np.round(np.concatenate(parts), 12))
    e = e[np.r_[True, np.diff(e) > 1e-9]]
    e.setflags(write=False)
    return e


@functools.lru_cache(maxsize=32)
def _shape(fractions_items: tuple, kw_items: tuple) -> TabulatedFlux:
    src = ReactorSource(power_gw=1.0, distance_m=1.0, fractions=dict(fractions_items),
                        **dict(kw_items))
    return src.tabulated()


def reactor_flux(flux_cm2_s: float, *, fractions=None, nue_lines_cr51_fraction=None,
                 nue_lines_per_fission=None, **kw):
    """A reactor-shaped ν̄e spectrum normalised to the total flux ``flux_cm2_s`` (cm^-2 s^-1).

    The shape is that of :class:`ReactorSource` with the given ``fractions`` and keyword
    options (``energy_per_fission``, ``captures_per_fission``, ``e_match_mev``,
    ``e_turn_on_mev``); power and distance only set the normalisation and are not accepted.
    With ``nue_lines_cr51_fraction`` the νe lines are added (a FlavorMixture, as
    :meth:`ReactorSource.flux`) for the fission flux Φ / N_ν, N_ν the ν̄e per fission of the shape.

    Examples
    --------
    >>> round(reactor_flux(1e13).total_cm2_s() / 1e13, 12)
    1.0
    """
    bad = {"power_gw", "distance_m"} & set(kw)
    if bad:
        raise InvalidParameterError(f"reactor_flux takes a total flux, not {sorted(bad)[0]}; "
                                    "use ReactorSource(power_gw=..., distance_m=...) instead")
    total = positive_scalar(flux_cm2_s, "flux_cm2_s", "cm^-2 s^-1")
    fr = _check_fractions(fractions)
    try:
        key = (tuple(sorted(fr.items())), tuple(sorted(kw.items())))
        hash(key)
    except TypeError as exc:
        raise InvalidParameterError(f"reactor_flux options must be plain numbers/strings: {kw!r}"
                                    ) from exc
    table = _shape(*key).scaled_to_total(total)
    y = _lines_yield(nue_lines_cr51_fraction, nue_lines_per_fission)
    if nue_lines_cr51_fraction is None:
        return table
    from .mixture import FlavorMixture

    n_nu = ReactorSource(power_gw=1.0, distance_m=1.0, fractions=fr, **kw).antineutrinos_per_fission
    return FlavorMixture({"nuebar": table, "nue": nue_lines_for_fission_flux(
        total / n_nu, cr51_fraction=nue_lines_cr51_fraction, per_fission=y)})
