"""Lindhard quenching (Lindhard et al. 1963; Lewin & Smith 1996 Sec. 6) and tabulated
alternatives; k = 0.133 Z^(2/3) A^(-1/2) = 0.157 for Ge."""

import numpy as np
import pytest

from nuem.detectors.quenching import LindhardQuenching, TabulatedQuenching, lindhard_k
from nuem.exceptions import InvalidParameterError, OutOfRangeError


def test_lindhard_k_germanium():
    assert lindhard_k(32, 72.63) == pytest.approx(0.157, abs=5e-4)


def test_lindhard_germanium_values():
    q = LindhardQuenching(k=0.157, z=32)
    # hand evaluation of the formula: eps = 11.5 * 32^(-7/3) = 3.537e-3 at 1 keVnr,
    # g = 1.3137, Y = k g / (1 + k g) = 0.1710; "about 0.20" is reached near 3 keVnr.
    assert float(q.quenching_factor(1.0)) == pytest.approx(0.1710, abs=2e-4)
    assert 0.15 < float(q.quenching_factor(1.0)) < 0.25
    assert float(q.quenching_factor(3.0)) == pytest.approx(0.20, abs=0.01)
    # monotonic and bounded
    y = q.quenching_factor(np.geomspace(0.01, 100, 50))
    assert np.all(np.diff(y) > 0) and np.all(y < 1)
    # larger k (CONUS 0.162, Scholz 0.179) -> larger Y
    assert LindhardQuenching(k=0.179).quenching_factor(1.0) > q.quenching_factor(1.0)


def test_lindhard_germanium_at_10_kevnr():
    # the module docstring's Y(10 keVnr) = 0.234, recomputed by hand from Lewin & Smith,
    # Astropart. Phys. 6, 87 (1996), Sec. 6: eps = 11.5 Z^(-7/3) E, g = 3 eps^0.15 + 0.7 eps^0.6
    # + eps, Y = k g / (1 + k g)
    eps = 11.5 * 32 ** (-7 / 3) * 10.0
    g = 3 * eps ** 0.15 + 0.7 * eps ** 0.6 + eps
    y = 0.157 * g / (1 + 0.157 * g)
    assert round(y, 3) == 0.234
    assert float(LindhardQuenching(k=0.157, z=32).quenching_factor(10.0)) == pytest.approx(
        y, rel=1e-12)


def test_inverse_and_jacobian_conserve_counts():
    q = LindhardQuenching()
    e_nr = np.geomspace(0.05, 50, 40)
    assert np.allclose(q.nr_from_ee(q.ee_from_nr(e_nr)), e_nr, rtol=1e-10)
    # counts in [a, b] keVnr == integral of the mapped density over [E_ee(a), E_ee(b)]
    grid = np.linspace(1.0, 2.0, 20001)
    rate = 1.0 / grid**2
    e_ee, rate_ee = q.quench_spectrum(grid, rate)
    assert np.trapezoid(rate_ee, e_ee) == pytest.approx(np.trapezoid(rate, grid), rel=1e-7)


def test_tabulated_quenching():
    q = TabulatedQuenching([0.5, 1.0, 5.0], [0.15, 0.17, 0.21])
    assert float(q.quenching_factor(0.75)) == pytest.approx(0.16)
    assert float(q.nr_from_ee(q.ee_from_nr(2.0))) == pytest.approx(2.0, rel=1e-9)
    with pytest.raises(OutOfRangeError, match="e_nr_kev=10"):
        q.quenching_factor(10.0)
    with pytest.raises(InvalidParameterError, match="strictly increasing"):
        TabulatedQuenching([1.0, 2.0], [0.3, 0.1])
