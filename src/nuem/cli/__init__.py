"""Command-line interface (thin layer over the API): ``nuem`` or ``python -m nuem``."""

__all__ = ["main"]


def main(argv=None) -> int:
    """Run the ``nuem`` command line (see :mod:`nuem.cli.main`)."""
    from .main import main as _main

    return _main(argv)


def __dir__():  # the public API only (locked by tests/test_api.py)
    return sorted(__all__)
