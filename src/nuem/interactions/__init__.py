"""Interactions: differential cross sections dsigma/dT and radiative decay.

* :mod:`~nuem.interactions.kinematics`: T_max, E_nu,min (electron or nucleus target);
* :mod:`~nuem.interactions.neutrino_electron`: SM nu-e (seed 004 Eqs. 4-5), charge radius,
  magnetic moment (Eq. 6), millicharge;
* :mod:`~nuem.interactions.neutrino_nucleus`: coherent nu-N, SM (Eq. 8) and mu_nu (Eq. 9), Helm
  form factor;
* :mod:`~nuem.interactions.radiative_decay`: nu_i -> nu_j gamma (Eq. 7).

Every cross section is, at fixed T, c0 + c1/E_nu + c2/E_nu^2 above threshold; the internal
``*_coefficients`` functions return these (hepunits) for the rates engine, the public
``dsigma_dt_*`` functions take keV/MeV and return cm^2/keV. See docs/interactions.md.
"""

from .kinematics import enu_min_mev, t_max_kev
from .millicharge import (
    dsigma_dt_millicharge_difference,
    dsigma_dt_millicharge_pure,
    dsigma_dt_sm_millicharge,
)
from .neutrino_electron import (
    FLAVORS,
    charge_radius_gv_shift,
    couplings,
    dsigma_dt_magnetic_moment,
    dsigma_dt_sm,
)
from .neutrino_nucleus import (
    dsigma_dt_cevns,
    dsigma_dt_cevns_magnetic_moment,
    helm_form_factor,
    isotope,
    nucleus_mass,
    weak_charge,
)
from .radiative_decay import lifetime_s, radiative_decay_rate_per_s

__all__ = [
    "FLAVORS",
    "t_max_kev",
    "enu_min_mev",
    "couplings",
    "charge_radius_gv_shift",
    "dsigma_dt_sm",
    "dsigma_dt_magnetic_moment",
    "dsigma_dt_sm_millicharge",
    "dsigma_dt_millicharge_difference",
    "dsigma_dt_millicharge_pure",
    "dsigma_dt_cevns",
    "dsigma_dt_cevns_magnetic_moment",
    "helm_form_factor",
    "isotope",
    "nucleus_mass",
    "weak_charge",
    "radiative_decay_rate_per_s",
    "lifetime_s",
]
