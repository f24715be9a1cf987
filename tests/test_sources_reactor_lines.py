"""Reactor nu_e lines from 51Cr and 55Fe.

Evidence: total flux R Y / (4 pi L^2) with Y = 8.3e-4 nu_e per fission (Wong & Li, Mod. Phys.
Lett. A 20, 1103 (2005), Sec. 4.3); the 51Cr share goes to lines of the 51Cr decay and the rest
to 55Fe lines whose energies are Q_EC = 231.21 keV (ENSDF) minus the Mn K / L1 / M1 edges
(xraylib 6.539, 0.769, 0.0839 keV) written here; the rate equals the sum of the rates of an
ElectronCaptureSource-like line set.
"""

import math

import numpy as np
import pytest

from nuem.exceptions import InvalidParameterError
from nuem.sources import ReactorSource, reactor_nue_lines
from nuem.sources.ec_sources import EC_DECAYS


def test_total_flux_and_split():
    r, dist = 9.5e19, 28.0
    f = reactor_nue_lines(r, dist, cr51_fraction=0.3)
    want = r * 8.3e-4 / (4 * math.pi * (dist * 100) ** 2)
    assert f.total_cm2_s() == pytest.approx(want, rel=1e-12)
    e, phi = f.energies_mev, f.fluxes_cm2_s
    assert phi[e > 0.4].sum() == pytest.approx(0.3 * want, rel=1e-12)       # 51Cr lines
    assert phi[e < 0.24].sum() == pytest.approx(0.7 * want, rel=1e-12)      # 55Fe lines
    assert np.allclose(e[e < 0.24], [(231.21 - b) / 1e3 for b in (6.539, 0.769, 0.0839)],
                       atol=1e-12)
    assert f.flavors == ("nue",)


def test_line_shapes_follow_the_ec_data_and_scale_with_yield():
    f1 = reactor_nue_lines(1e20, 20.0, cr51_fraction=1.0, per_fission=1e-3)
    e, w = EC_DECAYS["Cr51"].lines()
    assert np.allclose(f1.energies_mev[f1.fluxes_cm2_s > 0], e)
    assert np.allclose(f1.fluxes_cm2_s[f1.fluxes_cm2_s > 0] / f1.total_cm2_s(), w / w.sum())
    f2 = reactor_nue_lines(1e20, 20.0, cr51_fraction=1.0, per_fission=2e-3)
    assert f2.total_cm2_s() == pytest.approx(2 * f1.total_cm2_s(), rel=1e-12)


def test_with_a_reactor_source_fission_rate():
    src = ReactorSource(power_gw=2.9, distance_m=28.0)
    f = reactor_nue_lines(src.fissions_per_s, src.distance_m, cr51_fraction=0.5)
    # 8.3e-4 nu_e per fission against ~7.2 nuebar per fission: ratio 1.15e-4
    assert f.total_cm2_s() / src.flux_cm2_s == pytest.approx(8.3e-4 / src.antineutrinos_per_fission,
                                                             rel=1e-9)


@pytest.mark.parametrize("args, kwargs, needle", [
    ((-1e19, 28.0), {"cr51_fraction": 0.5}, "fissions_per_s=-1e+19"),
    ((1e19, 0.0), {"cr51_fraction": 0.5}, "distance_m=0.0"),
    ((1e19, 28.0), {"cr51_fraction": 1.5}, "cr51_fraction=1.5"),
    ((1e19, 28.0), {"cr51_fraction": 0.5, "per_fission": -1e-4}, "per_fission=-0.0001"),
])
def test_bad_input_names_the_parameter(args, kwargs, needle):
    with pytest.raises(InvalidParameterError) as exc:
        reactor_nue_lines(*args, **kwargs)
    assert needle in str(exc.value)


def test_split_is_required():
    with pytest.raises(TypeError, match="cr51_fraction"):
        reactor_nue_lines(1e19, 28.0)
