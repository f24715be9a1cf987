"""Neutrino sources: differential fluxes dPhi/dE_nu behind one protocol.

* :class:`Flux` -- the flux protocol (:mod:`nuem.sources.protocol`): tail moments, flavours,
  total, label and break energies; any object implementing it works with the rate engine;
* :class:`TabulatedFlux` -- a flux table, linear between nodes, with exact moments;
* :class:`LineFlux` -- mono-energetic lines (electron-capture sources, 7Be, pep, reactor nu_e);
* :class:`FlavorMixture` -- a beam whose flavours have different spectra;
* :class:`ReactorSource` -- reactor nuebar at a distance (fission isotopes + 238U capture);
* :func:`reactor_flux` -- the reactor-shaped spectrum scaled to a given total flux;
* :class:`SolarSource` -- B16 solar neutrinos with MSW-LMA conversion (nu_e + nu_mu/tau);
* :class:`ElectronCaptureSource` -- 51Cr / 37Ar nu_e line sources;
* :class:`TritiumSource` -- tritium nuebar source (MAMMONT preset);
* :func:`reactor_nue_lines` -- 51Cr / 55Fe nu_e lines of a reactor core;
* :class:`SumFlux` -- several fluxes of one species added;
* :class:`SterileDMHalo` -- sterile-neutrino dark matter of the halo (not an active flavour; its
  rates come from :func:`nuem.interactions.sterile_dm_rates`).

Importing this package reads no data file; the Huber-Mueller tables are loaded on first use.
"""

from .._lazy import attach

__all__ = ["Flux", "check_flux", "TabulatedFlux", "LineFlux", "FlavorMixture", "ReactorSource",
           "reactor_flux", "FLAVORS", "SOURCE_KINDS",
           "SumFlux",
           "SolarSource",
           "ElectronCaptureSource",
           "TritiumSource",
           "reactor_nue_lines",
           "SterileDMHalo"]

# Loaded on first use (importing nuem.sources stays cheap: a command needing the reactor does
# not import the solar or electron-capture modules).
__getattr__, _ = attach(__name__, {
    "SumFlux": "composite", "ElectronCaptureSource": "ec_sources", "TabulatedFlux": "flux",
    "LineFlux": "lines", "FlavorMixture": "mixture", "FLAVORS": "protocol", "Flux": "protocol",
    "check_flux": "protocol", "ReactorSource": "reactor", "reactor_flux": "reactor",
    "reactor_nue_lines": "reactor_lines", "SolarSource": "solar", "TritiumSource": "tritium",
    "SterileDMHalo": "sterile_dm", "SOURCE_KINDS": "registry"})


def __dir__():  # the public API only (locked by tests/test_api.py)
    return sorted(__all__)
