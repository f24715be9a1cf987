"""CLI: nuem atomic, rate --atomic, systematics sigma-gamma, figure (paper reproductions)."""

import json

import pytest

from nuem.cli.main import main


def run_json(capsys, *argv):
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def test_atomic_json_contract(capsys):
    out = run_json(capsys, "atomic", "--target", "Ge", "--e-kev", "1", "11.2", "--json")
    assert out["e_kev"] == [1.0, 11.2] and out["per"] == "atom"
    assert out["sigma_gamma_cm2"][0] == pytest.approx(2.275e-19, rel=0.07)  # Elam, xraylib
    k = out["shells"][0]
    assert (k["name"], k["binding_kev"], k["occupancy"]) == ("K", 11.1031, 2.0)
    out = run_json(capsys, "atomic", "--target", "CsI", "--e-kev", "30", "--source", "elam",
                   "--json")
    assert out["per"].startswith("formula unit")


def test_atomic_out_of_range_error(capsys):
    assert main(["atomic", "--e-kev", "0.005"]) == 2
    assert "e_kev" in capsys.readouterr().err


def test_rate_atomic_choices(capsys):
    out = run_json(capsys, "rate", "--flux-cm2-s", "1e13", "--t-kev", "0.3", "--delta-q", "1e-12",
                   "--atomic", "pai", "--json")
    assert out["parameters"]["atomic_models"]["millicharge"] == "pai"
    assert main(["rate", "--flux-cm2-s", "1e13", "--t-kev", "1", "--mu-nu", "1e-10",
                 "--atomic", "pai"]) == 2
    assert "invalid combination" in capsys.readouterr().err


def test_systematics_sigma_gamma(capsys):
    out = run_json(capsys, "systematics", "sigma-gamma", "--target", "Ge", "--delta-q", "1e-12",
                   "--json")
    assert out["t_kev"] == [0.1, 0.3, 1.0]
    assert set(out["rates"]) == {"composite", "henke", "elam", "kissel"}
    assert all(0 <= s < 0.5 for s in out["relative_spread"])


def test_figure_writes_png_and_pdf(tmp_path, capsys):
    out = run_json(capsys, "figure", "wong-li-lin-2010-fig2", "--out", str(tmp_path), "--json")
    names = set(out["files"])
    assert {"wong_li_lin_2010_fig2_historical.png", "wong_li_lin_2010_fig2_modern.pdf"} <= names
    assert all((tmp_path / n).stat().st_size > 1000 for n in names)


def test_figure_deprecated_name_warns_once(tmp_path, capsys):
    from nuem.reproductions import DEPRECATED_NAMES

    old = next(k for k, v in DEPRECATED_NAMES.items() if v == "wong-li-lin-2010-fig2")
    assert main(["figure", old, "--out", str(tmp_path), "--version", "modern", "--json"]) == 0
    cap = capsys.readouterr()
    assert cap.err == f"nuem: warning: {old!r} is deprecated; use 'wong-li-lin-2010-fig2'\n"
    assert json.loads(cap.out)["files"] == ["wong_li_lin_2010_fig2_modern.png",
                                            "wong_li_lin_2010_fig2_modern.pdf"]


@pytest.mark.parametrize("name", ["wong-li-2005-fig4", "wong-li-2005-fig9a"])
def test_figure_every_registered_figure_runs(tmp_path, capsys, name):
    from nuem.reproductions import FIGURES

    assert name in FIGURES
    out = run_json(capsys, "figure", name, "--out", str(tmp_path), "--json")
    stem = name.replace("-", "_")
    assert out["files"] == [f"{stem}.png", f"{stem}.pdf"]
    assert main(["figure", name, "--out", str(tmp_path), "--version", "modern"]) == 2
    assert "no variants" in capsys.readouterr().err
