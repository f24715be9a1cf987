"""Interactions: differential cross sections dsigma/dT."""
