"""nuem: neutrino electromagnetic properties with reactor antineutrinos."""

__version__ = "0.1.0"
__all__ = ["__version__"]
