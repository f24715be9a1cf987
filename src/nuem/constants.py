"""Physical constants used by nuem, each with its source.

All dimensionful values are expressed in the :mod:`hepunits` system (MeV, mm, ns), which is the
single internal unit convention of nuem. Public functions convert at their boundaries only, and
their argument names carry the unit (``t_kev``, ``enu_mev``, ``distance_m`` ...).

Sources
-------
* CODATA 2018: E. Tiesinga et al., Rev. Mod. Phys. 93, 025010 (2021).
* PDG: R.L. Workman et al. (Particle Data Group), PTEP 2022, 083C01, and S. Navas et al.,
  Phys. Rev. D 110, 030001 (2024).

Examples
--------
>>> from nuem import constants as c
>>> round(c.ALPHA**-1, 6)
137.035999
>>> round(c.PI_ALPHA2_OVER_ME2 / c.CM2, 29)  # pi alpha^2/m_e^2, cm^2 (MPLA 20, 1103, Eq. 6)
2.4947e-25
"""

from __future__ import annotations

import math

from hepunits import (
    GeV,
    MeV,
    cm,
    cm2,
    day,
    eV,
    fermi,
    joule,
    keV,
    m,
    s,
)

__all__ = [
    "ALPHA",
    "ELECTRON_MASS",
    "G_FERMI",
    "W_MASS",
    "SIN2_THETA_W_LOW_Q2",
    "SIN2_THETA_W_HISTORICAL",
    "MUON_MASS",
    "TAU_MASS",
    "G_V_NUMU_E_SM",
    "G_A_NUMU_E_SM",
    "G_V_PROTON_SM",
    "G_V_NEUTRON_SM",
    "HBARC",
    "HBARC2",
    "HBAR_EV_S",
    "CLASSICAL_ELECTRON_RADIUS",
    "HC",
    "AVOGADRO",
    "ATOMIC_MASS_UNIT",
    "BOHR_MAGNETON",
    "E_CHARGE",
    "MEV_IN_JOULE",
    "PI_ALPHA2_OVER_ME2",
    "GF2_ME_OVER_2PI",
    "HELM_SKIN_THICKNESS",
    "HELM_SURFACE_A",
    "HELM_C_SLOPE",
    "HELM_C_OFFSET",
    "MeV",
    "keV",
    "eV",
    "GeV",
    "cm",
    "CM2",
    "m",
    "s",
    "day",
    "fermi",
]

CM2 = cm2

# --- electroweak and QED --------------------------------------------------------------------
#: Fine-structure constant, CODATA 2018.
ALPHA: float = 1.0 / 137.035999084
#: Electron mass m_e c^2, CODATA 2018: 0.51099895000 MeV.
ELECTRON_MASS: float = 0.51099895000 * MeV
#: Fermi constant G_F/(hbar c)^3, PDG 2022: 1.1663788(6)e-5 GeV^-2.
G_FERMI: float = 1.1663788e-5 / GeV**2
#: W boson mass, PDG 2024 world average 80.369(13) GeV.
W_MASS: float = 80.369 * GeV
#: Weak mixing angle sin^2(theta_W) in MS-bar at Q^2 -> 0, PDG 2022 (Electroweak review,
#: sin^2 theta_W(0) = 0.23857(5)). This is the physical input for reactor nu-e scattering.
SIN2_THETA_W_LOW_Q2: float = 0.23857
#: The value used in older reactor analyses (e.g. those reviewed by Wong & Li, MPLA 20, 1103
#: (2005)), kept for reproductions.
SIN2_THETA_W_HISTORICAL: float = 0.23

#: Muon mass m_mu c^2, PDG 2024: 105.6583755 MeV.
MUON_MASS: float = 105.6583755 * MeV
#: Tau mass m_tau c^2, PDG 2024: 1776.86 MeV.
TAU_MASS: float = 1776.86 * MeV

# --- Standard-Model effective couplings with radiative corrections (Q^2 -> 0) ----------------
# PDG Review of Particle Physics, "Electroweak model and constraints on new physics" (J. Erler,
# A. Freitas), Standard-Model values of the low-energy couplings (PTEP 2022, 083C01).
#: nu_mu-e vector coupling g_V^{nu e} (SM, PDG electroweak review).
G_V_NUMU_E_SM: float = -0.0397
#: nu_mu-e axial coupling g_A^{nu e} (SM, PDG electroweak review).
G_A_NUMU_E_SM: float = -0.5064
#: Neutrino-proton vector coupling of CEvNS, g_V^p (SM, PDG electroweak review).
G_V_PROTON_SM: float = 0.0298
#: Neutrino-neutron vector coupling of CEvNS, g_V^n (SM, PDG electroweak review).
G_V_NEUTRON_SM: float = -0.5117

# --- conversion constants -------------------------------------------------------------------
#: hbar c, CODATA 2018: 197.3269804 MeV fm.
HBARC: float = 197.3269804 * MeV * fermi
#: (hbar c)^2 = 3.893794e-22 MeV^2 cm^2 (from CODATA 2018 hbar c; docs/units_and_constants.md).
HBARC2: float = HBARC**2
#: Classical electron radius r_e = alpha hbar c / (m_e c^2) = 2.8179403262e-15 m (CODATA 2018).
CLASSICAL_ELECTRON_RADIUS: float = ALPHA * HBARC / ELECTRON_MASS
#: h c = 2 pi hbar c = 1239.841984 MeV fm (CODATA 2018).
HC: float = 2.0 * math.pi * HBARC
#: hbar in eV s, CODATA 2018: 6.582119569e-16 eV s.
HBAR_EV_S: float = 6.582119569e-16
#: Avogadro constant (exact, SI 2019), per mol.
AVOGADRO: float = 6.02214076e23
#: Atomic mass unit m_u c^2, CODATA 2018: 931.49410242 MeV.
ATOMIC_MASS_UNIT: float = 931.49410242 * MeV
#: 1 MeV in joule (exact, SI 2019: e = 1.602176634e-19 C).
MEV_IN_JOULE: float = 1.602176634e-13
assert abs(MeV / joule - MEV_IN_JOULE) < 1e-24  # hepunits uses the same exact value

#: Elementary charge in natural Heaviside-Lorentz units, e = sqrt(4 pi alpha) (dimensionless).
E_CHARGE: float = math.sqrt(4.0 * math.pi * ALPHA)
#: Bohr magneton mu_B = e / (2 m_e) in Heaviside-Lorentz natural units (energy^-1).
#: Numerically 2.963e-7 eV^-1. Codes in Gaussian units differ by sqrt(4 pi)
#: (docs/units_and_constants.md).
BOHR_MAGNETON: float = E_CHARGE / (2.0 * ELECTRON_MASS)

# --- derived combinations used by the cross sections ----------------------------------------
#: pi alpha^2 / m_e^2 as an area (hbar c)^2 pi alpha^2 / (m_e c^2)^2 = 2.4947e-25 cm^2.
PI_ALPHA2_OVER_ME2: float = math.pi * ALPHA**2 / ELECTRON_MASS**2 * HBARC2
#: G_F^2 m_e / (2 pi) as area per energy = 4.308e-45 cm^2 / MeV.
GF2_ME_OVER_2PI: float = G_FERMI**2 * ELECTRON_MASS / (2.0 * math.pi) * HBARC2

# --- nuclear form factor (Helm), J.D. Lewin & P.F. Smith, Astropart. Phys. 6, 87 (1996) -------
#: Helm skin thickness s = 0.9 fm (Lewin & Smith Sec. 4.1).
HELM_SKIN_THICKNESS: float = 0.9 * fermi
#: Helm surface parameter a = 0.52 fm.
HELM_SURFACE_A: float = 0.52 * fermi
#: c = 1.23 A^(1/3) - 0.60 fm (Lewin & Smith Eq. 4.11).
HELM_C_SLOPE: float = 1.23 * fermi
HELM_C_OFFSET: float = 0.60 * fermi

_ = (keV, eV, cm, m, s, day)  # re-exported unit symbols
