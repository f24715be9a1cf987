"""Lazy attribute loading for packages (internal): keeps ``import nuem.x`` cheap."""

from __future__ import annotations

import importlib
import sys


def attach(package: str, mapping: dict[str, str]):
    """Module-level ``__getattr__`` and ``__dir__`` for ``package``.

    ``mapping`` maps an exported name to the sub-module (relative to ``package``) defining it;
    the sub-module is imported on first access and the value cached in the package namespace.
    """

    def __getattr__(name: str):
        module = mapping.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        setattr(sys.modules[package], name, value)
        return value

    def __dir__():  # the public API only: the package's __all__ (else the lazy names)
        return sorted(getattr(sys.modules[package], "__all__", mapping))

    return __getattr__, __dir__
