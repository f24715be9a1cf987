"""Atomic structure: shells, binding energies and ionization models."""
