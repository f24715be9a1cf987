"""Effective Standard-Model couplings of nu-e and coherent nu-N scattering: tree or radiative.

The coupling schemes (:data:`COUPLING_SCHEMES`, first = default of the rate engine) are a physics
option like the atomic model: ``differential_rates(..., couplings=...)``, ``--couplings`` on the
rate-like commands, recorded in every output.

``"radiative"`` (default of :func:`nuem.rates.differential_rates`)
    nu_l-e (nuem's convention of Wong & Li, Mod. Phys. Lett. A 20, 1103 (2005), Eq. 5:
    dsigma/dT from (g_V, g_A), g_A -> -g_A for antineutrinos)::

        g_V = rho (-1/2 + 2 s_l) + delta_le,     g_A = -rho/2 + delta_le,

    delta_le = 1 for nu_e (charged current). rho and s_mu = kappa_mu sin^2 theta_W follow from the
    Standard-Model nu_mu-e couplings of the PDG electroweak review (J. Erler & A. Freitas,
    "Electroweak model and constraints on new physics", PDG, PTEP 2022, 083C01):
    g_V^{nu e} = -0.0397, g_A^{nu e} = -0.5064, i.e. rho = 1.0128, s_mu = 0.23040. The flavour
    dependence is the lepton-mass-dependent one-loop term (the SM neutrino charge radius; J. Erler
    & S. Su, Prog. Part. Nucl. Phys. 71, 119 (2013), Sec. 4)::

        s_l = s_mu + (alpha / 6 pi) ln(m_l^2 / m_mu^2),

    s_e = 0.22627, s_tau = 0.23259. Check: J.N. Bahcall, M. Kamionkowski, A. Sirlin, Phys. Rev.
    D 51, 6146 (1995) give rho_NC = 1.0126 and kappa_e(0) - kappa_mu(0) = 0.9791 - 0.9970, i.e.
    s_e - s_mu = -0.00415 with their sin^2 theta_W(M_Z) = 0.2317; the term above gives -0.00413
    (0.5 %). CEvNS: nucleon vector couplings g_V^p = 0.0298, g_V^n = -0.5117 (PDG electroweak
    review), weak charge Q_W = 2 (Z g_V^p + N g_V^n) (flavour-independent, nu_mu values).
    A ``sin2w`` different from the default 0.23857 shifts every s_l by (sin2w - 0.23857) and
    g_V^p by -2 (sin2w - 0.23857) (the tree-level derivatives), so that fits of sin^2 theta_W
    keep working. Neglected: the recoil-energy dependence of kappa and the QED corrections of
    Bahcall et al. (their f_+- functions; per-mille at keV recoils) and the flavour dependence of
    g_V^p.
``"tree"``
    Tree level, Wong & Li 2005 Eqs. 5 and 8: g_V = +-1/2 + 2 sin^2 theta_W, g_A = +-1/2,
    Q_W = Z (1 - 4 sin^2 theta_W) - N. This reproduces the numbers of nuem before the radiative
    scheme existed and of papers that used tree-level couplings.

With the default sin^2 theta_W the radiative scheme lowers the reactor nubar_e-e rate at keV
recoils by 4.6 % (g_V = 0.95194 instead of 0.97714, |g_A| = 0.4936 instead of 0.5) and raises
the Ge CEvNS rate by 2.6 % (Q_W^2 ratio).

Examples
--------
>>> g_v, g_a = electron_couplings("numu", couplings="radiative")
>>> round(g_v, 4), round(g_a, 4)
(-0.0397, -0.5064)
>>> [round(x, 4) for x in electron_couplings("nuebar", couplings="radiative")]
[0.9519, -0.4936]
>>> electron_couplings("nuebar", 0.25, couplings="tree")
(1.0, -0.5)
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from .._validation import choice
from ..constants import (
    ALPHA,
    ELECTRON_MASS,
    G_A_NUMU_E_SM,
    G_V_NEUTRON_SM,
    G_V_NUMU_E_SM,
    G_V_PROTON_SM,
    MUON_MASS,
    SIN2_THETA_W_LOW_Q2,
    TAU_MASS,
)

__all__ = ["COUPLING_SCHEMES", "DEFAULT_COUPLINGS", "check_couplings", "electron_couplings",
           "nucleon_couplings", "weak_charge_of", "radiative_parameters"]

#: Coupling schemes, name -> one-line description (first = default of the rate engine).
COUPLING_SCHEMES: Mapping[str, str] = {
    "radiative": "SM couplings with radiative corrections: nu-e from the PDG electroweak review "
                 "(nu_mu-e g_V = -0.0397, g_A = -0.5064) with the flavour-dependent "
                 "charge-radius term; CEvNS g_V^p = 0.0298, g_V^n = -0.5117",
    "tree": "tree level (Wong & Li, Mod. Phys. Lett. A 20, 1103 (2005), Eqs. 5 and 8)",
}
#: Default coupling scheme of :func:`nuem.rates.differential_rates` and the rate-like commands.
DEFAULT_COUPLINGS = "radiative"
_LEPTON_MASS = {"e": ELECTRON_MASS, "mu": MUON_MASS, "tau": TAU_MASS}


def check_couplings(name: str, what: str = "couplings") -> str:
    """The scheme name if it is known; UnknownNameError (one line) otherwise."""
    return choice(name, what, tuple(COUPLING_SCHEMES))


def radiative_parameters() -> dict[str, float]:
    """rho and s_l = kappa_l sin^2 theta_W of the radiative scheme (module docstring).

    Examples
    --------
    >>> p = radiative_parameters()
    >>> round(p["rho"], 4), round(p["s_mu"], 5), round(p["s_e"], 5), round(p["s_tau"], 5)
    (1.0128, 0.2304, 0.22627, 0.23259)
    """
    rho = -2.0 * G_A_NUMU_E_SM
    s_mu = 0.5 * (G_V_NUMU_E_SM / rho + 0.5)
    out = {"rho": rho}
    for lep, m in _LEPTON_MASS.items():
        out[f"s_{lep}"] = s_mu + ALPHA / (6.0 * math.pi) * math.log(m * m / MUON_MASS**2)
    return out


def _lepton(flavor: str) -> str:
    core = flavor[2:].removesuffix("bar")
    return {"e": "e", "mu": "mu", "tau": "tau"}[core]


def electron_couplings(flavor: str, sin2w: float = SIN2_THETA_W_LOW_Q2, *,
                       couplings: str = "tree") -> tuple[float, float]:
    """(g_V, g_A) of nu_l-e scattering in a coupling scheme (module docstring).

    ``flavor`` one of nue, numu, nutau and their ``bar``; g_A -> -g_A for antineutrinos.
    No validation of ``sin2w`` (callers check it); ``couplings`` is checked.
    """
    couplings = check_couplings(couplings)
    is_e = flavor.startswith("nue")
    if couplings == "tree":
        sign = 0.5 if is_e else -0.5
        g_v, g_a = sign + 2.0 * sin2w, sign
    else:
        p = radiative_parameters()
        s = p[f"s_{_lepton(flavor)}"] + (sin2w - SIN2_THETA_W_LOW_Q2)
        cc = 1.0 if is_e else 0.0
        g_v, g_a = p["rho"] * (-0.5 + 2.0 * s) + cc, -0.5 * p["rho"] + cc
    return g_v, (-g_a if flavor.endswith("bar") else g_a)


def nucleon_couplings(sin2w: float = SIN2_THETA_W_LOW_Q2, *,
                      couplings: str = "tree") -> tuple[float, float]:
    """(g_V^p, g_V^n) of coherent nu-N scattering (tree: 1/2 - 2 sin^2 theta_W and -1/2).

    Examples
    --------
    >>> nucleon_couplings(couplings="radiative")
    (0.0298, -0.5117)
    """
    couplings = check_couplings(couplings)
    if couplings == "tree":
        return 0.5 - 2.0 * sin2w, -0.5
    return G_V_PROTON_SM - 2.0 * (sin2w - SIN2_THETA_W_LOW_Q2), G_V_NEUTRON_SM


def weak_charge_of(z, n, sin2w: float = SIN2_THETA_W_LOW_Q2, *, couplings: str = "tree"):
    """Weak charge Q_W = 2 (Z g_V^p + N g_V^n); tree: Z (1 - 4 sin^2 theta_W) - N exactly."""
    if check_couplings(couplings) == "tree":
        return z * (1.0 - 4.0 * sin2w) - n
    g_p, g_n = nucleon_couplings(sin2w, couplings=couplings)
    return 2.0 * (z * g_p + n * g_n)
