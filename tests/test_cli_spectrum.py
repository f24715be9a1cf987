"""CLI contract: ``nuem experiments list/show`` and ``nuem spectrum`` (--json)."""

import json
from importlib import resources

from nuem.cli.main import main


def run_json(capsys, *argv):
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_experiments_list(capsys):
    out = run_json(capsys, "experiments", "list")
    ids = {o["id"] for o in out}
    assert {"texono-hpge", "texono-ulege", "gemma", "gemma-ii", "conus", "munu", "krasnoyarsk",
            "rovno", "savannah-river"} <= ids
    assert all(o["reference"] for o in out)


def test_experiments_show(capsys):
    out = run_json(capsys, "experiments", "show", "gemma")
    assert out["values"]["detector"]["mass_kg"] == 1.5
    assert "1005.2736" in out["citations"]["detector.mass_kg"]           # Beda et al. (GEMMA)
    assert out["citations"]["detector.live_days_on"].startswith("assumed:")  # not in a paper
    assert main(["experiments", "show", "gemma"]) == 0
    assert "mass_kg" in capsys.readouterr().out


def test_spectrum_json(capsys):
    out = run_json(capsys, "spectrum", "--experiment", "texono-hpge", "--mu-nu", "1e-10",
                   "--delta-q", "1e-13", "--r2-cm2", "1e-32")
    n = len(out["e_kev"])
    assert n == 48 and out["e_kev"][0] == 12.5 and out["bin_width_kev"][0] == 1.0
    for k in ("sm_electron", "magnetic_moment", "millicharge", "cevns", "background",
              "total_on", "total_off"):
        assert len(out["components"][k]) == n
    assert out["provenance"]["experiment"] == "texono-hpge"
    assert out["exposure_on_kg_day"] > out["exposure_off_kg_day"] > 0


def test_spectrum_from_file_and_errors(capsys, tmp_path):
    text = resources.files("nuem.experiments").joinpath("presets/gemma.toml").read_text()
    p = tmp_path / "my.toml"
    p.write_text(text)
    out = run_json(capsys, "spectrum", "--experiment-file", str(p))
    assert out["provenance"]["experiment_file"].endswith("my.toml")
    p.write_text(text.replace("value = 1.5,", "value = -1.5,"))
    assert main(["spectrum", "--experiment-file", str(p)]) == 2
    err = capsys.readouterr().err
    assert "my.toml" in err and "detector.mass_kg" in err
    assert main(["spectrum", "--experiment", "nope"]) == 2
    assert "texono-hpge" in capsys.readouterr().err


def test_spectrum_with_measured_data_file(capsys):
    # `--data FILE` reads a real spectrum next to the expectation (EDELWEISS RED30,
    # CC BY 4.0, tests/data/excess/README.md).
    from pathlib import Path

    from nuem.cli.main import main as cli_main

    data = Path(__file__).parent / "data" / "excess" / "edelweiss_red30_keVee.txt"
    assert cli_main(["spectrum", "--experiment", "texono-ulege", "--data", str(data),
                     "--json"]) == 0
    import json
    out = json.loads(capsys.readouterr().out)
    assert "data" in out and len(out["data"]["e_kev"]) == 112
    assert cli_main(["spectrum", "--experiment", "texono-ulege", "--data", "/no/such"]) == 2
