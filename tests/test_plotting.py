"""Figures: files written; Figs. 4 and 9a of Wong & Li, MPLA 20, 1103 (2005)
(nuem.reproductions.wong_li_2005)."""

import re
import subprocess
import sys

import matplotlib.colors as mcolors
import numpy as np
import pytest

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
    from nuem.plotting import save

    assert wong_li_2005.plot_fig4(tmp_path / "f4", formats=("png",)) == ["f4.png"]
    assert wong_li_2005.plot_fig9a(tmp_path / "f9", formats=("png", "pdf")) == ["f9.png", "f9.pdf"]
    ax = sp.plot_on_off([1, 2, 3], [1, 1, 1], COMPS, 100.0, 25.0)
    assert save(ax, tmp_path / "oo", ("png",)) == ["oo.png"]
    save(sp.plot_residual([1, 2, 3], [1, 1, 1], COMPS, 100.0, 25.0), tmp_path / "r", ("png",))
    for name in ("f4.png", "f9.png", "f9.pdf", "oo.png", "r.png"):
        assert (tmp_path / name).stat().st_size > 1000


COMPS = {"sm_electron": np.ones(3), "magnetic_moment": np.full(3, 2.0),
         "cevns": np.full(3, 0.5), "background": np.full(3, 100.0),
         "total_on": np.full(3, 103.5), "total_off": np.full(3, 25.0)}
DATA = {"e_lo_kev": np.array([0.5, 1.5, 2.5]), "e_hi_kev": np.array([1.5, 2.5, 3.5]),
        "on_counts": np.array([110.0, 95.0, 104.0]), "off_counts": np.array([24.0, 27.0, 0.0]),
        "exposure_on_kg_day": 100.0, "exposure_off_kg_day": 25.0}


def _every_plot(ax):
    """(name, callable(ax) -> axes) for every plotting function of nuem."""
    from nuem.inference.scan import _example_product, run_scan
    from nuem.io.spectra import MeasuredSpectrum
    from nuem.plotting.contours import plot_scan_contours
    from nuem.plotting.limits import plot_expected_limits
    from nuem.sources.reactor import reactor_flux

    meas = MeasuredSpectrum(np.arange(1.0, 20.0), np.arange(2.0, 21.0),
                            {"spectrum": ("cpkkd", 10.0 / np.arange(1.5, 20.0))}, {}, "toy")
    scan = run_scan({"a": [1.0, 2.0, 4.0], "b": [1.0, 3.0, 9.0]}, _example_product,
                    executor="serial", progress=False)
    return {
        "flux": lambda a: sp.plot_flux(reactor_flux(1e13), ax=a),
        "on_off": lambda a: sp.plot_on_off([1, 2, 3], [1, 1, 1], COMPS, 100.0, 25.0,
                                           data=DATA, ax=a),
        "components": lambda a: sp.plot_components([1, 2, 3], [1, 1, 1], COMPS, 100.0, ax=a),
        "residual": lambda a: sp.plot_residual(
            [1, 2, 3], [1, 1, 1], COMPS, 100.0, 25.0, data=DATA, ax=a,
            best_fit={"e_lo_kev": DATA["e_lo_kev"], "e_hi_kev": DATA["e_hi_kev"],
                      "cpkkd": np.full(3, 0.03)}),
        "measured": lambda a: sp.plot_measured(meas, [{"name": "X", "model_kev": 10.0,
                                                       "found": True, "e_kev": 10.1}], ax=a),
        "limits": lambda a: plot_expected_limits([1e2, 1e3], [2e-10, 1e-10],
                                                 ([1.5e-10, 7e-11], [3e-10, 1.5e-10]),
                                                 ([1e-10, 5e-11], [4e-10, 2e-10]),
                                                 observed=(500.0, 1.2e-10, "data"),
                                                 published=(500.0, 7.4e-11, "published: E. "
                                                            "Aprile et al. (XENON), Phys. Rev. "
                                                            "Lett. 129, 161805 (2022)"), ax=a),
        "contours": lambda a: plot_scan_contours(scan, "a", "b", "ab", ax=a),
        "fig4": lambda a: wong_li_2005.plot_fig4(ax=a),
        "fig9a": lambda a: wong_li_2005.plot_fig9a(ax=a),
    }


def _texts(fig):
    """Visible texts that must not overlap: axis labels, titles, legend texts, annotations."""
    out = []
    for a in fig.axes:
        out += [a.xaxis.label, a.yaxis.label, a.title, *a.texts]
        leg = a.get_legend()
        if leg is not None:
            out += [*leg.get_texts(), leg.get_title()]
    return [t for t in out if t.get_visible() and t.get_text().strip()]


@pytest.mark.parametrize("name", ["flux", "on_off", "components", "residual", "measured",
                                  "limits", "contours", "fig4", "fig9a"])
def test_plotting_functions_take_ax_and_follow_the_style(name):
    """Every plotting function draws into the axes it is given and returns them; legends show
    physics names (no Python identifiers), every drawn series is in the legend, axis labels
    carry units, and no two texts (labels, legend entries, annotations) overlap."""
    from nuem.plotting import new_figure

    fig = new_figure(8.0, 6.0)
    ax = fig.add_subplot()
    out = _every_plot(ax)[name](ax)
    assert out is ax
    assert ax.lines or ax.collections or ax.patches
    for label in (ax.get_xlabel(), ax.get_ylabel()):
        assert "[" in label and "]" in label or name == "contours"
    fig.canvas.draw()
    leg = ax.get_legend()
    if name != "contours":
        shown = {t.get_text() for t in leg.get_texts()}
        plain = [re.sub(r"\$[^$]*\$", "", t) for t in shown]      # outside mathtext
        assert not any(re.search(r"\b[a-z]+_[a-z_]+\b", t) for t in plain), shown
        drawn = {a.get_label() for a in (*ax.lines, *ax.collections, *ax.patches, *ax.containers)
                 if not a.get_label().startswith("_")}
        assert drawn <= shown, f"series not in the legend: {drawn - shown}"
        # the legend sits above the axes (it never hides data) and inside the figure
        r = fig.canvas.get_renderer()
        box = leg.get_window_extent(r)
        assert box.y0 >= ax.get_window_extent(r).y1 - 1.0
        assert fig.bbox.x0 <= box.x0 and box.x1 <= fig.bbox.x1 and box.y1 <= fig.bbox.y1
    boxes = [(t, t.get_window_extent(fig.canvas.get_renderer())) for t in _texts(fig)]
    for i, (t1, b1) in enumerate(boxes):
        for t2, b2 in boxes[i + 1:]:
            assert not b1.overlaps(b2), f"{t1.get_text()!r} overlaps {t2.get_text()!r}"


def test_one_style_per_quantity_across_figures():
    """The same quantity (SM nu-e, the mu_nu signal) has one colour and line style in the ON/OFF
    components, the residual and Fig. 4 of Wong & Li (2005)."""
    from nuem.plotting.style import style_of

    seen = {}
    for name in ("components", "residual", "fig4"):
        from nuem.plotting import new_figure

        ax = new_figure().add_subplot()
        _every_plot(ax)[name](ax)
        for line in ax.lines:
            lab = line.get_label()
            key = ("sm" if lab.startswith("SM $\\bar\\nu_e$–e") or lab.startswith("SM:")
                   else "mu" if "mu_\\nu" in lab and "coherent" not in lab else None)
            if key:
                seen.setdefault(key, set()).add((mcolors.to_hex(line.get_color()),
                                                 line.get_linestyle()))
    assert seen["sm"] == {(style_of("sm_electron")["color"], "-")}
    assert seen["mu"] == {(style_of("magnetic_moment")["color"], "--")}


def test_poisson_error_bars_are_garwood_intervals():
    """Central 68.27 % intervals: n = 0 -> [0, 1.841], n = 10 -> [6.891, 14.267] (Garwood 1936;
    the classical Poisson table of the PDG Statistics review)."""
    lo, hi = sp.poisson_errors([0, 3, 10])
    assert np.allclose([0 - lo[0], 0 + hi[0]], [0.0, 1.8410], atol=5e-4)
    assert np.allclose([3 - lo[1], 3 + hi[1]], [1.3672, 5.9182], atol=5e-4)
    assert np.allclose([10 - lo[2], 10 + hi[2]], [6.8914, 14.2670], atol=5e-4)


def test_expected_residual_is_signal_per_exposure():
    comps = {"total_on": np.array([300.0]), "total_off": np.array([50.0])}
    r, s = sp.expected_residual([2.0], comps, 100.0, 25.0)
    assert r[0] == (300 / 100 - 50 / 25) / 2
    assert s[0] == np.sqrt(300 / 100**2 + 50 / 25**2) / 2


def test_save_lays_out_once_as_constrained_layout_would(tmp_path):
    """nuem's save freezes the constrained layout (computed once, not twice per file): the axes
    end where matplotlib's own constrained-layout savefig puts them, no text is clipped, and
    the figure keeps its layout engine and dpi afterwards."""
    import numpy as np

    from nuem.plotting import legend_above, new_figure, save

    def build():
        fig = new_figure(6.0, 4.0)
        ax = fig.add_subplot()
        ax.plot([1, 10, 100], [1e-3, 1e2, 1e3], label="a long legend entry $\\mu_\\nu$")
        ax.plot([1, 100], [1, 10], label="b")       # linear axes: the same tick labels in both
        ax.set_ylabel(r"$\mathrm{d}R/\mathrm{d}T$ [counts kg$^{-1}$ keV$^{-1}$ d$^{-1}$]")
        ax.set_xlabel("recoil energy T [keV]")
        legend_above(ax)
        return fig, ax

    fig_a, ax_a = build()
    engine, dpi = fig_a.get_layout_engine(), fig_a.dpi
    calls = []
    execute = engine.execute
    engine.execute = lambda fig: (calls.append(fig.dpi), execute(fig))[1]
    save(fig_a, tmp_path / "a", formats=("png", "pdf"))
    assert calls == [130]                                # once, at the resolution of the PNG
    fig_b, ax_b = build()
    fig_b.savefig(tmp_path / "b.png", dpi=130)          # matplotlib: layout inside savefig
    assert fig_a.get_layout_engine() is engine and fig_a.dpi == dpi
    assert np.allclose(ax_a.get_position().bounds, ax_b.get_position().bounds, atol=2e-3)
    renderer = fig_a.canvas.get_renderer()
    tight = ax_a.get_tightbbox(renderer)                 # labels and legend inside the figure
    assert tight.x0 >= 0 and tight.y0 >= 0
    assert tight.x1 <= fig_a.bbox.width + 0.5 and tight.y1 <= fig_a.bbox.height + 0.5


def test_steps_and_bin_errorbars_draw_the_bins():
    """Step histograms: one horizontal segment per bin at its value, no end edges, a NaN bin
    left empty; measured points at the bin centres, horizontal bars spanning the bins and the
    asymmetric vertical bars as given (the HEP convention of mplhep's histplot, drawn with
    matplotlib's own Axes.stairs / Axes.errorbar)."""
    from nuem.plotting import new_figure

    ax = new_figure().add_subplot()
    edges = np.array([0.0, 1.0, 3.0, 4.0])
    patch = sp._steps(ax, [2.0, np.nan, 5.0], edges, color="k")
    assert patch.get_data().baseline is None and patch.get_fill() is False
    runs = [[p for i, p in enumerate(v.tolist()) if i == 0 or p != v[i - 1].tolist()]
            for v in patch.get_path().to_polygons(closed_only=False)]   # repeated points out
    assert runs == [[[0.0, 2.0], [1.0, 2.0]], [[3.0, 5.0], [4.0, 5.0]]]
    eb = sp._bin_errorbars(ax, [2.0, 4.0, 6.0], edges, np.array([[1.0, 2.0, 3.0],
                                                                  [0.5, 0.5, 0.5]]), color="k")
    x, y = eb.lines[0].get_data()
    assert x.tolist() == [0.5, 2.0, 3.5] and y.tolist() == [2.0, 4.0, 6.0]
    xbars, ybars = (np.array(c.get_segments()) for c in eb.lines[2])
    assert xbars[:, :, 0].tolist() == [[0.0, 1.0], [1.0, 3.0], [3.0, 4.0]]
    assert ybars[:, :, 1].tolist() == [[1.0, 2.5], [2.0, 4.5], [3.0, 6.5]]


def test_figures_import_no_mplhep():
    """mplhep registers ~170 fonts at import, which makes each font lookup of a figure about
    six times slower; nuem's figures draw without it."""
    code = ("import sys; from nuem.plotting import spectra as sp; import numpy as np; "
            "e = np.array([10.0, 20.0]); w = np.array([10.0, 10.0]); "
            "c = {k: np.array([5.0, 4.0]) for k in ('sm_electron', 'magnetic_moment', "
            "'background', 'total_on', 'total_off')}; "
            "sp.plot_on_off(e, w, c, 100.0, 50.0, data={'e_lo_kev': e - 5, 'e_hi_kev': e + 5, "
            "'on_counts': np.array([5, 4]), 'off_counts': np.array([2, 3]), "
            "'exposure_on_kg_day': 100.0, 'exposure_off_kg_day': 50.0}); "
            "print('matplotlib' in sys.modules, 'mplhep' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "False"]
