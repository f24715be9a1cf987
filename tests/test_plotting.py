"""Figures: files written; Figs. 4 and 9a of Wong & Li, MPLA 20, 1103 (2005)
(nuem.reproductions.wong_li_2005)."""

import subprocess
import sys

import numpy as np

from nuem.plotting import spectra as sp
from nuem.reproductions import wong_li_2005


def test_import_does_not_load_matplotlib():
    code = ("import sys, nuem.reproductions.wong_li_2005, nuem.plotting.spectra, nuem.report, "
            "nuem.reproductions.wong_li_lin_2010_figures, nuem.cli.main; "
            "print('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_fig4_regimes():
    """Wong & Li (2005), Sec. 4.3: MM dominates 1 keV-1 MeV; below 1 keV coherent SM dominates;
    below ~10 eV the coherent MM term does."""
    r = wong_li_2005.fig4_rates([0.001, 0.1, 10.0, 100.0])
    assert r["magnetic_moment"][2] > 10 * r["sm_electron"][2]        # x20 at 10 keV
    assert r["magnetic_moment"][3] > r["sm_electron"][3]
    assert r["cevns"][1] > r["magnetic_moment"][1]
    assert r["cevns_magnetic_moment"][0] > r["cevns"][0]


def test_constant_ratio_lines_scale_as_sqrt_r():
    out = wong_li_2005.constant_ratio_mu_nu([12.0, 700.0], ratios=(1.0, 100.0))
    assert np.allclose(out[100.0] / out[1.0], 10.0)
    # TEXONO (12 keV, 7.4e-11) lies at R >> 1 (Wong & Li (2005): "large R-values for KS")
    assert out[1.0][0] < 7.4e-11 / 2


def test_figures_written(tmp_path):
    assert wong_li_2005.plot_fig4(tmp_path / "f4", formats=("png",)) == ["f4.png"]
    assert wong_li_2005.plot_fig9a(tmp_path / "f9", formats=("png", "pdf")) == ["f9.png", "f9.pdf"]
    comps = {"sm_electron": np.ones(3), "magnetic_moment": np.full(3, 2.0),
             "background": np.full(3, 100.0), "total_on": np.full(3, 103.0),
             "total_off": np.full(3, 25.0)}
    sp.plot_on_off([1, 2, 3], [1, 1, 1], comps, 100.0, 25.0, tmp_path / "oo", formats=("png",))
    sp.plot_residual([1, 2, 3], [1, 1, 1], comps, 100.0, 25.0, tmp_path / "r", formats=("png",))
    for name in ("f4.png", "f9.png", "f9.pdf", "oo.png", "r.png"):
        assert (tmp_path / name).stat().st_size > 1000


def test_expected_residual_is_signal_per_exposure():
    comps = {"total_on": np.array([300.0]), "total_off": np.array([50.0])}
    r, s = sp.expected_residual([2.0], comps, 100.0, 25.0)
    assert r[0] == (300 / 100 - 50 / 25) / 2
    assert s[0] == np.sqrt(300 / 100**2 + 50 / 25**2) / 2
