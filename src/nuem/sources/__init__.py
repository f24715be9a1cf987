"""Neutrino sources: differential fluxes dPhi/dE_nu."""
