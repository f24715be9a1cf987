"""Public API surface and import cost."""

import subprocess
import sys

import nuem


def test_all_names_resolve():
    for name in nuem.__all__:
        assert getattr(nuem, name) is not None


def test_import_is_light():
    # `import nuem` does no heavy work (<= 0.3 s). Measured in a fresh interpreter;
    # numpy, scipy, xraylib and periodictable must not be imported.
    code = ("import time, sys; t = time.perf_counter(); import nuem; "
            "dt = time.perf_counter() - t; "
            "heavy = [m for m in ('numpy', 'scipy', 'xraylib', 'periodictable') "
            "if m in sys.modules];"
            "print(dt, heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    dt, heavy = out.stdout.split(" ", 1)
    assert float(dt) < 0.3
    assert heavy.strip() == "[]"


def test_unknown_attribute():
    import pytest
    with pytest.raises(AttributeError):
        nuem.does_not_exist  # noqa: B018
