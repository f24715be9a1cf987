"""``nuem report`` / build_report: contents, JSON keys, atomic and safe output; the germanium
paper figures appear for germanium detectors only."""

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import pytest

from nuem.cli.main import main
from nuem.exceptions import InvalidParameterError
from nuem.report import MARKER, build_report
from nuem.report.output_dir import atomic_directory, check_target
from nuem.report.providers import simple_provider

EDW = Path(__file__).parent / "data" / "excess" / "edelweiss_red30_keVee.txt"
# TEXONO-like idealised detector: 6.4e12 /cm2/s at Kuo-Sheng, 570.7/127.8 days ON/OFF (Wong, Li &
# Lin, PRL 105, 061801 (2010)), ~1 cpkkd (Wong & Li, MPLA 20, 1103 (2005), Sec. 4.3)
PROVIDER = simple_provider(flux_cm2_s=6.4e12, edges_kev=np.arange(12.0, 31.0, 2.0),
                           exposure_on_kg_day=570.7, exposure_off_kg_day=127.8)


def build(out, **kw):
    kw.setdefault("provider", PROVIDER)
    kw.setdefault("formats", ("png",))
    return build_report(out, experiment="toy", **kw)


def test_report_contents_and_summary_keys(tmp_path):
    out = tmp_path / "rep"
    msgs = []
    s = build(out, mu_nu=1e-10, data_file=EDW, progress=msgs.append)
    assert {p.name for p in out.iterdir()} == {"index.html", "summary.json", "figures", MARKER}
    figs = {p.name for p in (out / "figures").iterdir()}
    assert {"flux.png", "on_off.png", "residual.png", "wong_li_2005_fig4.png",
            "wong_li_2005_fig9a.png",
            "data.png"} <= figs
    saved = json.loads((out / "summary.json").read_text())
    assert saved == s
    for key in ("experiment", "parameters", "flux_cm2_s", "exposure_on_kg_day", "spectrum",
                "totals_counts", "residual", "figures", "notes", "data", "timing_s"):
        assert key in s
    assert set(s["spectrum"]["components"]) >= {"sm_electron", "magnetic_moment", "background",
                                                "total_on", "total_off"}
    # residual = ON/E_on - OFF/E_off = signal per ON exposure (flat background cancels)
    comps = s["spectrum"]["components"]
    sig = (np.array(comps["sm_electron"]) + comps["magnetic_moment"]) / (570.7 * 2.0)
    assert np.allclose(s["residual"]["cpkkd"], sig, rtol=1e-9, atol=1e-12)
    assert any(m["found"] and "Ga K" in m["name"] for m in s["data"]["lines"])
    html = (out / "index.html").read_text()
    assert "figures/wong_li_2005_fig9a.png" in html and "<script" not in html
    assert "MPLA 20, 1103 (2005)" in html
    assert len(msgs) == 8 and msgs[0].startswith("[1/8]")


@pytest.mark.parametrize("provider", ["munu-preset", "cf4-simple"])
def test_germanium_paper_figures_only_for_germanium(tmp_path, provider):
    """A CF4 detector (MUNU) gets no Wong & Li (2005) germanium figures, page or summary."""
    if provider == "munu-preset":
        s = build_report(tmp_path / "rep", experiment="munu", formats=("png",))
    else:
        cf4 = simple_provider(flux_cm2_s=1e13, edges_kev=[700.0, 900.0, 1100.0],
                              exposure_on_kg_day=759.2, exposure_off_kg_day=190.4,
                              background_cpkkd=4e-4, target="CF4")
        s = build(tmp_path / "rep", provider=cf4)
    figs = {p.name for p in (tmp_path / "rep" / "figures").iterdir()}
    base = {"flux", "on_off", "residual"} | ({"limits"} if provider == "munu-preset" else set())
    assert figs == {f"{n}.png" for n in base}
    assert set(s["figures"]) == base
    html = (tmp_path / "rep" / "index.html").read_text()
    assert "wong_li_2005_fig" not in html and "Germanium: rates" not in html


def test_is_germanium():
    from nuem.report.builder import is_germanium

    assert is_germanium("Ge") and is_germanium("Ge76")
    assert not is_germanium("CF4") and not is_germanium("Si") and not is_germanium(None)


def test_refuses_foreign_directory_and_replaces_own(tmp_path):
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "thesis.tex").write_text("precious")
    with pytest.raises(InvalidParameterError, match="--force"):
        build(foreign)                         # refused before any work
    assert (foreign / "thesis.tex").read_text() == "precious"
    out = tmp_path / "rep"
    with atomic_directory(out) as tmp:
        (tmp / "extra.txt").write_text("old")
    with atomic_directory(out) as tmp:         # a previous report is replaced
        (tmp / "index.html").write_text("new")
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "index.html"]
    with atomic_directory(foreign, force=True) as tmp:
        (tmp / "index.html").write_text("new")
    assert not (foreign / "thesis.tex").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine", "rep"]  # no temp left
    with pytest.raises(InvalidParameterError, match="refusing"):
        check_target(Path.cwd(), force=True)


def test_failure_leaves_target_untouched(tmp_path):
    out = tmp_path / "rep"
    with atomic_directory(out) as tmp:
        (tmp / "summary.json").write_text("1")
    with pytest.raises(RuntimeError), atomic_directory(out) as tmp:
        (tmp / "summary.json").write_text("2")
        raise RuntimeError("figure failed")
    assert (out / "summary.json").read_text() == "1"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rep"]


def test_cli_report_preset(tmp_path, capsys):
    """Acceptance: nuem report --experiment texono-hpge --out DIR (< 1 min)."""
    out = tmp_path / "r"
    assert main(["report", "--experiment", "texono-hpge", "--out", str(out), "--json"]) == 0
    res = json.loads(capsys.readouterr().out)
    assert res["experiment"] == "texono-hpge" and res["timing_s"] < 60
    assert (out / "index.html").is_file()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("chromium not installed: page rendering not checked")
    shot = tmp_path / "shot.png"
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", f"--user-data-dir={tempfile.mkdtemp()}",
                    f"--screenshot={shot}", "--window-size=1200,1600",
                    f"file://{out}/index.html"], capture_output=True, timeout=60, check=False)
    assert shot.is_file() and shot.stat().st_size > 20000


def test_cli_data_commands(capsys):
    assert main(["data", "lines", str(EDW), "--json"]) == 0
    res = json.loads(capsys.readouterr().out)
    k = next(m for m in res["lines"] if m["name"].startswith("Ga K"))
    assert abs(k["offset_fraction"]) < 0.01
    assert main(["data", "show", str(EDW), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["series"]["spectrum"]["counts"] is None
