r"""The neutrino magnetic moment as a matrix: effective moments per source, radiative decays.

In the mass basis the electromagnetic dipole moments form a 3×3 matrix λ (Bohr magnetons,
λ = μ − iε with the magnetic and electric dipole matrices μ, ε). A Dirac neutrino has a general λ
(diagonal and transition moments); a Majorana neutrino has an antisymmetric λ, λ_jk = −λ_kj
(transition moments only; C. Giunti & A. Studenikin, Rev. Mod. Phys. 87, 531 (2015)). A neutrino
ν_l produced at the source with energy E reaches the detector at distance L as Σ_k U*_lk
e^{−i m_k² L/2E} |ν_k⟩ (antineutrinos: U instead of U*), and the ν–e magnetic cross section
(Wong & Li, Mod. Phys. Lett. A 20, 1103 (2005), Eq. 6) is that of one moment μ_eff with
(H.T. Wong & H.B. Li, same paper, Eq. 2; final mass states summed incoherently)

.. math:: \mu_\mathrm{eff}^2(\nu_l, L, E)
          = \sum_j \Big|\sum_k U_{lk}\, e^{-i m_k^2 L/2E}\, \lambda_{jk}\Big|^2 .

* **reactor / line sources**: Eq. 2 at the detector distance; a spectrum is averaged with weight
  dΦ/dE (the T ≪ E limit, where the rate is ∝ μ² Φ/T), on a grid fine enough to resolve the
  phases (or where they average out);
* **solar**: the Sun delivers an incoherent mixture of mass states with probabilities
  P_1 = c₁₃² cos²θ₁₂ᵐ, P_2 = c₁₃² sin²θ₁₂ᵐ, P_3 = s₁₃² (adiabatic MSW-LMA,
  :mod:`nuem.sources.msw`), so μ²_eff = Σ_k P_k Σ_j |λ_jk|², averaged over the B16 flux
  (:class:`nuem.sources.SolarSource`) through the flux-weighted P_ee.

A flavour-universal diagonal λ = μ·1 gives μ_eff = μ for every source and distance (unitarity).
Radiative decay ν_i → ν_j γ (m_i > m_j): Wong & Li 2005 Eq. 7 with μ_ij² →
(|λ_ij|² + |λ_ji|²)/2 = |μ_ij|² + |ε_ij|² (:mod:`nuem.interactions.radiative_decay`). The
minimally extended SM with Dirac neutrinos predicts the diagonal moments
μ_ii = 3 e G_F m_i/(8√2 π²) = 3.20×10⁻¹⁹ μ_B (m_i/eV) (Fujikawa & Shrock, Phys. Rev. Lett. 45,
963 (1980); Giunti & Studenikin 2015). For a Majorana matrix, λ_jk = ε_jkl Λ_l; a bound
μ_eff < μ_lim constrains the quadratic form μ²_eff = Λ† M Λ, hence |Λ| < μ_lim/√(m_min), m_min the
smallest eigenvalue of M (no bound on |Λ| when m_min = 0, e.g. a reactor at short distance: W.
Grimus, M. Maltoni, T. Schwetz, M.A. Tórtola, J.W.F. Valle, arXiv:hep-ph/0208132, and Wong & Li
2005 §4.4).

Mixing: NuFIT 5.2 (2022), normal ordering with the SK atmospheric data (I. Esteban et al., JHEP 09
(2020) 178, arXiv:2007.14792, updated as NuFIT 5.2): the solar sector of
:data:`nuem.sources.msw.NUFIT_52` and sin²θ₂₃ = 0.451, δ_CP = 232°, Δm²₃₁ = 2.507×10⁻³ eV²;
Majorana phases set to 0 (they can be absorbed into λ).
"""

from __future__ import annotations

import math

import numpy as np

from ..constants import ELECTRON_MASS, G_FERMI, HBAR_EV_S, HBARC, MeV
from ..exceptions import InvalidParameterError

__all__ = ["PMNS_NUFIT52", "pmns_matrix", "mass_eigenvalues_ev", "check_moment_matrix",
           "parse_moment_matrix", "effective_moment_squared", "effective_moment",
           "solar_mass_state_probabilities", "pair_decays", "sm_dirac_moment_mub",
           "majorana_lambda_bound"]

#: NuFIT 5.2 normal-ordering best fit with SK-atm (module docstring); angles as sin², degrees.
PMNS_NUFIT52 = {"sin2_theta12": 0.303, "sin2_theta13": 0.02225, "sin2_theta23": 0.451,
                "delta_cp_deg": 232.0, "dm2_21_ev2": 7.41e-5, "dm2_31_ev2": 2.507e-3,
                "source": "NuFIT 5.2 (2022), normal ordering with SK-atm: I. Esteban et al., "
                          "JHEP 09 (2020) 178, arXiv:2007.14792"}


def pmns_matrix(p=None) -> np.ndarray:
    """U (flavour rows e, mu, tau; mass columns 1, 2, 3), PDG parametrisation, no Majorana
    phases; ``p`` a mapping like :data:`PMNS_NUFIT52`."""
    p = PMNS_NUFIT52 if p is None else p
    s12, s13, s23 = (math.sqrt(p[k]) for k in ("sin2_theta12", "sin2_theta13", "sin2_theta23"))
    c12, c13, c23 = (math.sqrt(1 - s * s) for s in (s12, s13, s23))
    e = np.exp(1j * math.radians(p["delta_cp_deg"]))
    return np.array([
        [c12 * c13, s12 * c13, s13 / e],
        [-s12 * c23 - c12 * s23 * s13 * e, c12 * c23 - s12 * s23 * s13 * e, s23 * c13],
        [s12 * s23 - c12 * c23 * s13 * e, -c12 * s23 - s12 * c23 * s13 * e, c23 * c13]])


def mass_eigenvalues_ev(m1_ev: float, p=None) -> np.ndarray:
    """(m1, m2, m3) in eV for the lightest mass m1 >= 0 (normal ordering)."""
    p = PMNS_NUFIT52 if p is None else p
    m1 = float(m1_ev)
    if not (math.isfinite(m1) and m1 >= 0):
        raise InvalidParameterError(f"m1_ev={m1_ev!r} eV must be >= 0")
    return np.sqrt(m1 * m1 + np.array([0.0, p["dm2_21_ev2"], p["dm2_31_ev2"]]))


def check_moment_matrix(lam, majorana: bool, *, rtol: float = 1e-9) -> np.ndarray:
    """A 3×3 complex moment matrix (μ_B); Majorana: must be antisymmetric (λ^T = −λ)."""
    m = np.asarray(lam, dtype=complex)
    if m.shape != (3, 3) or not np.all(np.isfinite(m)):
        raise InvalidParameterError(f"moment matrix must be 3x3 and finite, got shape {m.shape}")
    if majorana:
        scale = max(float(np.max(np.abs(m))), 1e-300)
        bad = np.abs(m + m.T) > rtol * scale
        if np.any(bad):
            j, k = (int(x) for x in np.argwhere(bad)[0])
            raise InvalidParameterError(
                f"moment matrix: a Majorana matrix must be antisymmetric, but entry "
                f"({j + 1},{k + 1}) = {m[j, k]:.4g} and ({k + 1},{j + 1}) = {m[k, j]:.4g} "
                "(needs lambda_jk = -lambda_kj, zero diagonal)")
    return m


def parse_moment_matrix(text: str, source: str = "matrix") -> np.ndarray:
    """Three whitespace-separated rows of three entries, complex like ``1e-11+2e-12j``
    (``#`` starts a comment)."""
    rows = [ln.split("#")[0].split() for ln in text.splitlines()]
    rows = [r for r in rows if r]
    if len(rows) != 3 or any(len(r) != 3 for r in rows):
        raise InvalidParameterError(f"{source}: needs 3 rows of 3 entries (mu_B), got "
                                    f"{[len(r) for r in rows]}")
    try:
        return np.array([[complex(x) for x in r] for r in rows])
    except ValueError as exc:
        raise InvalidParameterError(f"{source}: {exc} (entries like 1e-11 or 1e-11+2e-12j)") \
            from None


def _phases(enu_mev, distance_m, m_ev):
    """e^{-i m_k^2 L/(2E)}, shape (energies, 3); m in eV, L in m, E in MeV."""
    from hepunits import eV, m

    hbarc_ev_m = HBARC / (eV * m)
    e_ev = np.atleast_1d(np.asarray(enu_mev, dtype=float)) * 1e6
    return np.exp(-1j * (m_ev**2)[None, :] * distance_m / (2.0 * e_ev[:, None] * hbarc_ev_m))


def effective_moment_squared(lam, flavor: str, enu_mev, distance_m: float, m1_ev: float = 0.0,
                             p=None) -> np.ndarray:
    """μ²_eff (μ_B²) of Eq. 2 per energy for a coherent beam (module docstring).

    ``flavor`` one of nue, numu, nutau (+ ``bar``), ``enu_mev`` array, ``distance_m`` >= 0.
    """
    lam = np.asarray(lam, dtype=complex)
    row = {"e": 0, "mu": 1, "tau": 2}[flavor[2:].removesuffix("bar")]
    u = pmns_matrix(p)[row]
    u = u if flavor.endswith("bar") else u.conj()
    amp = u[None, :] * _phases(enu_mev, distance_m, mass_eigenvalues_ev(m1_ev, p))  # (E, k)
    return np.sum(np.abs(amp @ lam.T) ** 2, axis=1)                                 # sum_j


def solar_mass_state_probabilities(p=None) -> np.ndarray:
    """Flux-weighted (P_1, P_2, P_3) of the B16-GS98 solar flux at the Earth (adiabatic MSW)."""
    from ..sources.msw import NUFIT_52
    from ..sources.solar import SolarSource

    mix = SolarSource("B16-GS98").flux()
    pee = mix.total_cm2_s("nue") / mix.total_cm2_s()
    s13 = NUFIT_52.sin2_theta13
    c13 = 1.0 - s13
    c2 = 1.0 - 2.0 * NUFIT_52.sin2_theta12
    cos2m = (2.0 * (pee - s13 * s13) / (c13 * c13) - 1.0) / c2
    return np.array([c13 * 0.5 * (1 + cos2m), c13 * 0.5 * (1 - cos2m), s13])


def effective_moment(lam, source: str, *, distance_m: float = 0.0, enu_mev=None,
                     flavor: str | None = None, m1_ev: float = 0.0, n_grid: int = 200001
                     ) -> dict:
    """Effective moment (μ_B) of a source: ``"reactor"`` (ν̄e, spectrum of
    :func:`nuem.sources.reactor.reactor_flux`, at ``distance_m``), ``"solar"`` (incoherent mass
    states) or ``"line"`` (``enu_mev``, ``flavor`` default nue, at ``distance_m``)."""
    lam = np.asarray(lam, dtype=complex)
    if source == "solar":
        prob = solar_mass_state_probabilities()
        mu2 = float(np.sum(prob * np.sum(np.abs(lam) ** 2, axis=0)))
        return {"effective_mu_mub": math.sqrt(mu2), "flavor": "nue",
                "mass_state_probabilities": prob.tolist(), "coherence": "incoherent"}
    if not (math.isfinite(distance_m) and distance_m >= 0):
        raise InvalidParameterError(f"distance_m={distance_m!r} m must be >= 0")
    if source == "line":
        if enu_mev is None or not float(enu_mev) > 0:
            raise InvalidParameterError(f"enu_mev={enu_mev!r}: a line source needs an energy "
                                        "> 0 MeV (--enu-mev)")
        fl = flavor or "nue"
        mu2 = float(effective_moment_squared(lam, fl, [float(enu_mev)], distance_m, m1_ev)[0])
        return {"effective_mu_mub": math.sqrt(mu2), "flavor": fl, "enu_mev": float(enu_mev),
                "distance_m": distance_m, "coherence": "coherent (Eq. 2)"}
    if source != "reactor":
        raise InvalidParameterError(f"source={source!r} is not known; allowed: reactor, solar, "
                                    "line")
    from ..sources.reactor import reactor_flux

    flux = reactor_flux(1.0)
    nodes = flux.enu_mev[flux.enu_mev > 0]
    e = np.linspace(nodes[0], nodes[-1], int(n_grid))
    w = flux.dphi_cm2_s_mev(e)
    mu2 = effective_moment_squared(lam, "nuebar", e, distance_m, m1_ev)
    avg = float(np.trapezoid(w * mu2, e) / np.trapezoid(w, e))
    return {"effective_mu_mub": math.sqrt(avg), "flavor": "nuebar", "distance_m": distance_m,
            "coherence": "coherent (Eq. 2), averaged over the reactor spectrum with weight "
                         "dPhi/dE"}


def pair_decays(lam, m1_ev: float = 0.0) -> list[dict]:
    """Radiative width (eV), rate (s⁻¹) and lifetime (s; None if the moment is 0) of every
    pair i > j (Eq. 7)."""
    from .radiative_decay import radiative_decay_rate_per_s

    lam = np.asarray(lam, dtype=complex)
    m = mass_eigenvalues_ev(m1_ev)
    out = []
    for i in range(3):
        for j in range(i):
            mu = math.sqrt(0.5 * (abs(lam[i, j]) ** 2 + abs(lam[j, i]) ** 2))
            rate = float(radiative_decay_rate_per_s(mu, m[i], m[j]))
            out.append({"pair": f"{i + 1}->{j + 1}", "mu_ij_mub": mu, "m_i_ev": float(m[i]),
                        "m_j_ev": float(m[j]), "rate_per_s": rate,
                        "width_ev": rate * HBAR_EV_S,
                        "lifetime_s": (1.0 / rate) if rate > 0 else None})  # None: stable
    return out


def sm_dirac_moment_mub(m_ev):
    """μ_ii = 3 e G_F m_i/(8√2 π²) in μ_B (minimally extended SM, Dirac; module docstring).

    Examples
    --------
    >>> f"{float(sm_dirac_moment_mub(1.0)):.3e}"
    '3.203e-19'
    """
    m = np.asarray(m_ev, dtype=float) * 1e-6 * MeV
    return 3.0 * G_FERMI * m * ELECTRON_MASS / (4.0 * math.sqrt(2.0) * math.pi**2)


def majorana_lambda_bound(mu_limit_mub: float, source: str, **kw) -> dict:
    """Bound on |Λ| (λ_jk = ε_jkl Λ_l) from μ_eff < ``mu_limit_mub`` for a source (module
    docstring): M from the polarisation identity on unit Λ vectors."""
    def mu2(vec):
        lam = np.zeros((3, 3), dtype=complex)
        lam[0, 1], lam[1, 2], lam[2, 0] = vec[2], vec[0], vec[1]
        lam = lam - lam.T
        return effective_moment(lam, source, **kw)["effective_mu_mub"] ** 2

    basis = np.eye(3, dtype=complex)
    mm = np.zeros((3, 3), dtype=complex)
    for a in range(3):
        mm[a, a] = mu2(basis[a])
        for b in range(a):
            re = 0.5 * (mu2(basis[a] + basis[b]) - mm[a, a] - mm[b, b])
            im = 0.5 * (mu2(basis[a] + 1j * basis[b]) - mm[a, a] - mm[b, b])
            mm[a, b], mm[b, a] = re - 1j * im, re + 1j * im
    ev = np.linalg.eigvalsh(0.5 * (mm + mm.conj().T))
    low = float(ev[0])
    bound = mu_limit_mub / math.sqrt(low) if low > 1e-12 * float(ev[-1]) else None
    return {"mu_limit_mub": mu_limit_mub, "quadratic_form_eigenvalues": ev.tolist(),
            "lambda_norm_bound_mub": bound,  # None: no bound (a direction invisible to it)
            "unbounded": bound is None}
