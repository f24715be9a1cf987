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

from .composite import SumFlux
from .ec_sources import ElectronCaptureSource
from .flux import TabulatedFlux
from .lines import LineFlux
from .mixture import FlavorMixture
from .protocol import FLAVORS, Flux, check_flux
from .reactor import ReactorSource, reactor_flux
from .reactor_lines import reactor_nue_lines
from .solar import SolarSource
from .sterile_dm import SterileDMHalo
from .tritium import TritiumSource

__all__ = ["Flux", "check_flux", "TabulatedFlux", "LineFlux", "FlavorMixture", "ReactorSource",
           "reactor_flux", "FLAVORS", "SOURCE_KINDS",
           "SumFlux",
           "SolarSource",
           "ElectronCaptureSource",
           "TritiumSource",
           "reactor_nue_lines",
           "SterileDMHalo"]


def __getattr__(name: str):
    """Lazy export of the source-kind registry (:mod:`nuem.sources.registry`)."""
    if name == "SOURCE_KINDS":
        from .registry import SOURCE_KINDS

        return SOURCE_KINDS
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():  # the public API only (locked by tests/test_api.py)
    return sorted(__all__)
