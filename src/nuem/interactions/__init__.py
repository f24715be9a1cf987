"""Interactions: differential cross sections dsigma/dT, the process registry, radiative decay.

* :mod:`~nuem.interactions.kinematics`: T_max, E_nu,min (electron or nucleus target);
* :mod:`~nuem.interactions.neutrino_electron`: SM nu-e (Wong & Li, Mod. Phys. Lett. A 20, 1103
  (2005), Eqs. 4-5), charge radius, magnetic moment (Eq. 6);
* :mod:`~nuem.interactions.charge_radius`: the <r^2> conventions (g_V or sin^2 theta_W shift)
  and bounds on <r^2> from a sin^2 theta_W measurement;
* :mod:`~nuem.interactions.millicharge`: millicharge on free electrons (pure term, interference);
* :mod:`~nuem.interactions.atomic_ionization`: atomic ionization beyond free electrons
  (photoabsorption-ionization and equivalent-photon models; the historical mu_nu EPA);
* :mod:`~nuem.interactions.neutrino_nucleus`: coherent nu-N, SM (Eq. 8) and mu_nu (Eq. 9), Helm
  form factor;
* :mod:`~nuem.interactions.radiative_decay`: nu_i -> nu_j gamma (Eq. 7);
* :mod:`~nuem.interactions.sterile_transition`: sterile-neutrino dark matter converting to
  active neutrinos on atoms through a transition moment (J.-W. Chen et al., PRD 93, 093012
  (2016)), with its own rate function (not the massless-neutrino engine);
* :mod:`~nuem.interactions.registry`: the registries of physics parameters, atomic models and
  processes that the rate engine loops over; :mod:`~nuem.interactions.processes` the built-ins.

Every cross section is, at fixed T, a sum of powers of 1/E_nu above threshold; the
``*_coefficients`` functions return these (hepunits) for the processes, the public
``dsigma_dt_*`` functions take keV/MeV and return cm^2/keV. See docs/interactions.md.
Importing this package is cheap: names are loaded on first use.
"""

from .._lazy import attach

_LAZY = {
    "FLAVORS": "neutrino_electron",
    "t_max_kev": "kinematics",
    "enu_min_mev": "kinematics",
    "couplings": "neutrino_electron",
    "charge_radius_gv_shift": "charge_radius",
    "R2_CONVENTIONS": "charge_radius",
    "r2_interval_from_sin2w": "charge_radius",
    "dsigma_dt_sm": "neutrino_electron",
    "dsigma_dt_magnetic_moment": "neutrino_electron",
    "dsigma_dt_sm_millicharge": "millicharge",
    "dsigma_dt_millicharge_difference": "millicharge",
    "dsigma_dt_millicharge_pure": "millicharge",
    "dsigma_dt_magnetic_moment_epa": "atomic_ionization",
    "dsigma_dt_millicharge_pai": "atomic_ionization",
    "dsigma_dt_millicharge_ww": "atomic_ionization",
    "dsigma_dt_cevns": "neutrino_nucleus",
    "dsigma_dt_cevns_magnetic_moment": "neutrino_nucleus",
    "helm_form_factor": "neutrino_nucleus",
    "isotope": "neutrino_nucleus",
    "nucleus_mass": "neutrino_nucleus",
    "weak_charge": "neutrino_nucleus",
    "radiative_decay_rate_per_s": "radiative_decay",
    "lifetime_s": "radiative_decay",
    "dsigma_dt_transition_free": "sterile_transition",
    "sterile_dm_rates": "sterile_transition",
    "Parameter": "registry",
    "PARAMETERS": "registry",
    "AtomicModel": "registry",
    "ATOMIC_MODELS": "registry",
    "Process": "registry",
    "ProcessContext": "registry",
    "Scatterer": "registry",
    "PROCESSES": "registry",
    "RECOIL_KINDS": "registry",
}

__all__ = sorted(_LAZY)

__getattr__, __dir__ = attach(__name__, _LAZY)
