"""Tests of nuem.atoms.shells (xraylib shells, stepping approximation).

Sources: xraylib EdgeEnergy/ElectronConfig (Schoonjans et al., Spectrochim. Acta B 66, 776
(2011)); stepping approximation (Kopeikin et al., Phys. At. Nucl. 60, 1859 (1997)); Ge numbers
(docs/targets.md: K 11103 eV, L3 1217.0 eV; 22 active electrons at 1 keV, 30 at 10 keV,
32 above 11.1 keV).
"""

import numpy as np
import pytest
from hepunits import keV
from hypothesis import given, settings
from hypothesis import strategies as st

from nuem.atoms import (
    Shell,
    binding_energies_kev,
    shells,
    stepping_electrons,
    stepping_electrons_kev,
)
from nuem.atoms.shells import Z_MAX
from nuem.exceptions import InvalidParameterError

GE_K_KEV = 11.1031  # xraylib EdgeEnergy(32, K_SHELL); 11103 eV
GE_L3_KEV = 1.2167  # xraylib EdgeEnergy(32, L3_SHELL); 1217.0 eV


def test_ge_edges_match_xraylib_and_physics_md():
    by_name = {s.name: s for s in shells(32)}
    assert by_name["K"].binding_kev == pytest.approx(GE_K_KEV, abs=1e-9)
    assert by_name["L3"].binding_kev == pytest.approx(GE_L3_KEV, abs=1e-9)
    # rounded values 11103 eV and 1217.0 eV (docs/targets.md)
    assert by_name["K"].binding_kev == pytest.approx(11.103, abs=1e-3)
    assert by_name["L3"].binding_kev == pytest.approx(1.2170, abs=5e-4)
    assert [s.name for s in shells(32)] == ["K", "L1", "L2", "L3", "M1", "M2", "M3", "M4", "M5",
                                            "N1", "N2", "N3"]


def test_ge_fractional_occupancies_restored():
    # xraylib stores Ge N2/N3 as 0.666667/1.33333 (sum 31.999997); nuem restores 2/3 and 4/3.
    by_name = {s.name: s for s in shells(32)}
    assert by_name["N2"].occupancy == pytest.approx(2 / 3, abs=1e-15)
    assert by_name["N3"].occupancy == pytest.approx(4 / 3, abs=1e-15)
    assert by_name["K"].occupancy == 2.0


@pytest.mark.parametrize("z", range(1, Z_MAX + 1))
def test_total_occupancy_is_z(z):
    assert sum(s.occupancy for s in shells(z)) == pytest.approx(z, abs=1e-12)
    assert stepping_electrons_kev(z, 1e4) == z  # above every K edge (Es K edge ~ 140 keV)


@pytest.mark.parametrize(("t_kev", "expected"), [(1.0, 22.0), (10.0, 30.0), (12.0, 32.0),
                                                 (GE_K_KEV, 32.0), (GE_L3_KEV, 26.0),
                                                 (11.1030, 30.0)])
def test_ge_stepping_counts(t_kev, expected):
    assert stepping_electrons_kev(32, t_kev) == expected
    assert stepping_electrons(32, t_kev * keV) == expected  # step inclusive in both unit systems


def test_vectorized_shape_and_types():
    t = np.array([[1.0, 10.0], [12.0, 0.0]])
    out = stepping_electrons_kev(32, t)
    assert out.shape == (2, 2)
    assert out.tolist() == [[22.0, 30.0], [32.0, 0.0]]
    assert np.ndim(stepping_electrons_kev(32, 5.0)) == 0


def test_untabulated_valence_shell_is_free():
    cs = {s.name: s for s in shells(55)}  # Cs 6s (P1): occupied, no xraylib edge
    assert cs["P1"].binding_kev == 0.0 and not cs["P1"].binding_tabulated
    assert stepping_electrons_kev(55, 0.0) == 1.0


def test_binding_energies_kev_order_and_copy():
    b = binding_energies_kev(32)
    assert b[0] == pytest.approx(GE_K_KEV)
    b[0] = -1.0
    assert binding_energies_kev(32)[0] == pytest.approx(GE_K_KEV)


def test_shell_is_frozen():
    s = Shell("K", 1.0, 2.0)
    with pytest.raises(AttributeError):
        s.occupancy = 3.0  # type: ignore[misc]


@pytest.mark.parametrize("bad", [-1e-3, [1.0, -2.0], np.nan, np.inf, "abc"])
def test_bad_energy_raises(bad):
    with pytest.raises(InvalidParameterError, match="t_kev"):
        stepping_electrons_kev(32, bad)
    with pytest.raises(InvalidParameterError, match="t"):
        stepping_electrons(32, bad)


@pytest.mark.parametrize("z", [0, -3, Z_MAX + 1, 32.5, "Ge", True, None])
def test_bad_z_raises(z):
    with pytest.raises(InvalidParameterError, match="z="):
        shells(z)
    with pytest.raises(InvalidParameterError, match="z="):
        stepping_electrons_kev(z, 1.0)


@settings(max_examples=60, deadline=None)
@given(z=st.integers(1, Z_MAX),
       t=st.lists(st.floats(0.0, 200.0, allow_nan=False), min_size=2, max_size=20))
def test_stepping_monotone_and_bounded(z, t):
    ts = np.sort(np.array(t))
    n = stepping_electrons_kev(z, ts)
    assert np.all(np.diff(n) >= 0)
    assert np.all((n >= 0) & (n <= z))
