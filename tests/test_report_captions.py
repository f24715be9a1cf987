"""The report reads right for what it shows: a solar experiment without OFF data is not labelled
as a reactor ON/OFF measurement (no ν̄e, no ON − OFF, no reactor-flux caption), a preset without
background says that its expected limit is optimistic, the preset's own notes are on the page,
and captions carry no Python names or ASCII exponents."""

import re

import numpy as np
import pytest

from nuem.report import FIGURES, build_report
from nuem.report.builder import figure_text


def _captions(html: str) -> list[str]:
    return re.findall(r"<figcaption>(.*?)</figcaption>", html, flags=re.S)


def test_captions_have_no_python_names_or_ascii_exponents():
    for name in FIGURES:
        for kind, has_off in (("reactor", True), ("solar", False)):
            title, caption = figure_text(name, kind, has_off)
            for text in (title, caption):
                assert "nuem.reproductions" not in text and "HISTORIC_LIMITS" not in text
                assert "^-" not in text and "mu_nu" not in text and "sigma(" not in text


def test_figure_text_adapts_to_source_and_off_data():
    assert figure_text("flux", "reactor", True) == FIGURES["flux"]
    assert "Huber" not in figure_text("flux", "solar", False)[1]
    assert "OFF total" not in figure_text("on_off", "solar", False)[1]
    assert figure_text("residual", "reactor", False)[0] == "ON − background residual"
    assert figure_text("data", "solar", False) == FIGURES["data"]


@pytest.mark.slow
def test_solar_report_without_off_data_or_background(tmp_path):
    s = build_report(tmp_path / "lz", experiment="lz-2023", formats=("png",))
    html = (tmp_path / "lz" / "index.html").read_text(encoding="utf-8")
    assert s["exposure_off_kg_day"] == 0 and s["source_kind"] == "solar"
    assert "4. ON&minus;background residual" in html and "ON&minus;OFF residual" not in html
    assert "(no OFF data)" in html
    assert "ν̄" not in html.split("<h2>3.")[1].split("<h2>4.")[0]   # component table: ν
    assert "SM ν–e" in html
    assert "Huber" not in "".join(_captions(html))
    assert any("No background model" in n for n in s["notes"])
    assert "Experiment file notes:" in html and "5.5 t fiducial mass" in html
    assert s["figures"]["residual"]["title"] == "ON − background residual"


def test_residual_and_components_labels_without_off_and_for_solar():
    from nuem.plotting.spectra import plot_components, plot_residual

    comps = {"total_on": np.array([120.0, 110.0]), "total_off": np.zeros(2),
             "background": np.array([100.0, 100.0]), "sm_electron": np.array([5.0, 4.0]),
             "magnetic_moment": np.array([15.0, 6.0])}
    ax = plot_residual([1.0, 2.0], [1.0, 1.0], comps, 100.0, 0.0, antineutrino=False)
    assert ax.get_ylabel().startswith("ON − background")
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels and not any(r"\bar\nu_e" in t for t in labels)
    assert any("ON − background" in t for t in labels)
    ax = plot_components([1.0, 2.0], [1.0, 1.0], comps, 100.0)
    assert any(r"\bar\nu_e" in t.get_text() for t in ax.get_legend().get_texts())  # reactor
    ax = plot_residual([1.0, 2.0], [1.0, 1.0], {**comps, "total_off": comps["background"]},
                       100.0, 100.0)
    assert ax.get_ylabel().startswith("ON − OFF")
