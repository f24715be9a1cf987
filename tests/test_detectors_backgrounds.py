"""Backgrounds: continua in cpkkd and EC X-ray lines (energies: xraylib EdgeEnergy of the
daughter; other edge tables quote Ga K 10.367, L1 1.299, M1 0.160 keV; capture ratios from the
ENSDF calculated capture fractions)."""

import numpy as np
import pytest

from nuem.detectors.backgrounds import (
    BackgroundModel,
    FlatContinuum,
    Line,
    ShapedContinuum,
    ec_lines,
    normalize_isotope,
)
from nuem.detectors.response import Resolution
from nuem.exceptions import InvalidParameterError, OutOfRangeError, UnknownNameError


def test_ge68_lines_match_physics_md():
    k, l1, m1 = ec_lines("Ge68", k_rate_per_kg_day=100.0)
    assert k.energy_kev == pytest.approx(10.367, abs=0.002)
    assert l1.energy_kev == pytest.approx(1.299, abs=0.003)
    assert m1.energy_kev == pytest.approx(0.160, abs=0.003)
    # ENSDF calculated EC fractions of 68Ge: CK 0.8645, CL 0.1143, CM+ 0.02118
    assert l1.rate_per_kg_day / k.rate_per_kg_day == pytest.approx(0.1322, abs=1e-4)
    assert m1.rate_per_kg_day / l1.rate_per_kg_day == pytest.approx(0.1853, abs=1e-4)


def test_ge71_ratios_and_q_value_ordering():
    # 71Ge (Q 232.5 keV): L/K 0.1198; 68Ge (Q 106.9 keV) has the larger L/K, as the ratio of
    # (Q - B_L)^2/(Q - B_K)^2 = 1.105 predicts (ENSDF: 0.1322/0.1198 = 1.104).
    k, l1, _ = ec_lines("Ge71", k_rate_per_kg_day=1.0)
    assert l1.rate_per_kg_day == pytest.approx(0.1198, abs=1e-4)
    k68, l68, _ = ec_lines("Ge68", k_rate_per_kg_day=1.0)
    q68, q71, bk, bl = 106.9, 232.47, 10.367, 1.298
    pred = ((q68 - bl) / (q68 - bk)) ** 2 / ((q71 - bl) / (q71 - bk)) ** 2
    assert l68.rate_per_kg_day / l1.rate_per_kg_day == pytest.approx(pred, rel=0.01)


@pytest.mark.parametrize("iso,energy", [("Zn65", 8.979), ("Fe55", 6.539), ("As73", 11.103),
                                        ("Ga68", 9.659)])
def test_other_k_lines(iso, energy):  # xraylib K edges
    k, l1, m1 = ec_lines(iso, k_rate_per_kg_day=1.0)
    assert k.energy_kev == pytest.approx(energy, abs=0.002)
    assert 0.09 < l1.rate_per_kg_day < 0.14 and m1.energy_kev < l1.energy_kev < energy


def test_decay_rate_split_and_names():
    lines = ec_lines("71Ge", decays_per_kg_day=100.0)
    assert sum(ln.rate_per_kg_day for ln in lines) == pytest.approx(100.0)
    assert normalize_isotope("ge-71") == "Ge71"
    with pytest.raises(UnknownNameError, match="Xx99"):
        normalize_isotope("Xx99")
    with pytest.raises(InvalidParameterError, match="exactly one"):
        ec_lines("Ge68")


def test_continua():
    assert FlatContinuum(1.0).counts([12, 13, 15], 605.0) == pytest.approx([605.0, 1210.0])
    s = ShapedContinuum([0.2, 1.0, 2.0], [10.0, 2.0, 2.0])
    assert s.counts([0.2, 1.0, 2.0], 1.0) == pytest.approx([4.8, 2.0])
    with pytest.raises(OutOfRangeError):
        s.counts([0.1, 1.0], 1.0)


def test_model_scales_with_exposure_and_is_reactor_independent():
    bg = BackgroundModel((FlatContinuum(1.0),), (Line("x", 10.37, 5.0),))
    edges = np.linspace(8, 13, 51)
    res = Resolution(0.1)
    on, off = bg.counts(edges, 600.0, res), bg.counts(edges, 120.0, res)
    assert np.allclose(on * 120.0 / 600.0, off)  # ON - OFF cancels after exposure scaling
    assert on.sum() == pytest.approx(600.0 * (5.0 + 5.0), rel=1e-9)
