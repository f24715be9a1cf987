"""Neutrino sources: differential fluxes dPhi/dE_nu.

* :class:`TabulatedFlux` -- a flux table, linear between nodes, with exact moments;
* :class:`ReactorSource` -- reactor ν̄e at a distance (fission isotopes + 238U capture);
* :func:`reactor_flux` -- the reactor-shaped spectrum scaled to a given total flux.

Importing this package reads no data file; the Huber–Mueller tables are loaded on first use.
"""

from .flux import FLAVORS, TabulatedFlux
from .reactor import ReactorSource, reactor_flux

__all__ = ["ReactorSource", "reactor_flux", "TabulatedFlux", "FLAVORS"]


def __getattr__(name: str):
    """Lazy export of the source-kind registry (:mod:`nuem.sources.registry`)."""
    if name == "SOURCE_KINDS":
        from .registry import SOURCE_KINDS

        return SOURCE_KINDS
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
