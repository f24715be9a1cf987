"""Measured-spectrum readers and X-ray line finding (cosmogenic lines: docs/germanium_detectors.md).

Real data: EXCESS workshop Ge spectra (tests/data/excess, CC BY 4.0, README there).
"""

from pathlib import Path

import numpy as np
import pytest

from nuem.exceptions import DataFileError
from nuem.io.excess import read_edelweiss, read_excess, read_measured, read_miner
from nuem.io.lines import find_peaks, match_lines, model_lines_kev
from nuem.io.spectra import read_spectrum

DATA = Path(__file__).parent / "data" / "excess"
EDW = DATA / "edelweiss_red30_keVee.txt"
MINER = DATA / "miner_ge_reactor_site.txt"


def write(tmp_path, text, name="s.csv"):
    p = tmp_path / name
    p.write_text(text)
    return p


def test_edges_counts_and_exposure_conversion(tmp_path):
    p = write(tmp_path, "# exposure_kg_day = 10\ne_lo_kev,e_hi_kev,counts\n1,2,20\n2,4,10\n")
    s = read_spectrum(p)
    assert s.rate_cpkkd().tolist() == [2.0, 0.5]          # counts/(width x exposure)
    assert s.counts().tolist() == [20.0, 10.0]
    assert p.read_text().startswith("# exposure")         # input untouched


def test_centres_widths_cpkkd_tsv_and_on_off(tmp_path):
    p = write(tmp_path, "e_kev\twidth_kev\ton_cpkkd\toff_cpkkd\n12.5\t1\t1.2\t1.0\n",
              "s.tsv")
    s = read_spectrum(p, exposure_kg_day={"on": 570.7, "off": 127.8})
    assert s.e_lo_kev.tolist() == [12.0] and s.series == ("on", "off")
    assert s.counts("on")[0] == pytest.approx(1.2 * 570.7)
    assert s.counts("off")[0] == pytest.approx(127.8)


@pytest.mark.parametrize("text, line, words", [
    ("e_kev,counts,width_kev\n1,2,1\n2,x,1\n", 3, "non-numeric"),
    ("e_kev,counts,width_kev\n1,2,1\n2,3\n", 3, "2 columns"),
    ("e_kev,counts,width_kev\n1,-2,1\n", 2, "negative"),
    ("e_lo_kev,e_hi_kev,counts\n1,2,1\n1.5,3,1\n", 3, "overlapping"),
    ("e_lo_kev,e_hi_kev,counts\n2,3,1\n0.5,1,1\n", 3, "unsorted"),
    ("1,2,3\n", 1, "no header"),
])
def test_malformed_files_name_file_and_line(tmp_path, text, line, words):
    p = write(tmp_path, text)
    with pytest.raises(DataFileError, match=words) as err:
        read_spectrum(p)
    assert err.value.line == line and str(p) in str(err.value)


def test_missing_exposure_when_converting(tmp_path):
    s = read_spectrum(write(tmp_path, "e_kev,width_kev,cpkkd\n1,1,3\n"))
    with pytest.raises(DataFileError, match="exposure"):
        s.counts()
    assert s.to_dict()["series"]["spectrum"]["counts"] is None


def test_edelweiss_reader():
    s = read_edelweiss(EDW)
    assert len(s.e_kev) == 112 and s.series == ("spectrum",)
    # edges = centre +- width/2 (README); contiguous after joining printed rounding
    assert np.all(s.e_lo_kev[1:] == s.e_hi_kev[:-1])
    i = np.argmin(abs(s.e_kev - 10.34))
    assert s.rate_cpkkd()[i] == pytest.approx(1465.66)     # README: 1466 DRU at 10.34 keVee
    assert read_excess(EDW).e_kev.tolist() == s.e_kev.tolist()


def test_miner_reader_caveats():
    s = read_miner(MINER)
    assert s.e_kev[0] == pytest.approx(1.0)   # note: 6th bin = 1 keV; index 0 dropped
    assert s.e_kev[-1] == pytest.approx(14.8)  # index 76 (147500 DRU overflow) dropped
    assert s.rate_cpkkd().max() < 3000
    assert any("overflow" in n for n in s.notes)
    assert read_miner(MINER, keep_overflow=True).rate_cpkkd()[-1] == 147500
    assert read_measured(MINER).e_kev.tolist() == s.e_kev.tolist()


def test_edelweiss_ga_lines_within_1_percent_of_model():
    """RED30 10.34/1.32 keV bins are the model's Ga K/L1 lines (within 1 %)."""
    model = model_lines_kev()
    found = {m["name"]: m for m in match_lines(read_edelweiss(EDW)) if m["found"]}
    for name in ("Ga K (Ge68, Ge71)", "Ga L1 (Ge68, Ge71)"):
        m = found[name]
        assert m["model_kev"] == model[name]
        assert abs(m["offset_fraction"]) < 0.01
        assert m["model_in_peak_bin"]
    assert found["Ga K (Ge68, Ge71)"]["ratio_to_continuum"] > 10


def test_find_peaks_toy_and_real():
    e = np.arange(1.0, 30.0)
    d = 5.0 / e
    d[9] *= 6
    from nuem.io.spectra import MeasuredSpectrum
    toy = MeasuredSpectrum(e - 0.5, e + 0.5, {"spectrum": ("cpkkd", d)}, {}, "toy")
    assert [round(p["e_kev"], 3) for p in find_peaks(toy)] == [10.0]
    peaks = [p["e_kev"] for p in find_peaks(read_edelweiss(EDW))]
    assert any(abs(x - 10.37) < 0.1 for x in peaks)


def test_residual_with_errors_round_trip(tmp_path):
    """ON-OFF residual + 1-sigma errors: negative residuals allowed."""
    p = write(tmp_path, "# exposure_kg_day = 10\ne_lo_kev,e_hi_kev,residual_cpkkd,sigma_cpkkd\n"
                        "12,13,-0.25,0.5\n13,15,0.125,0.25\n")
    s = read_spectrum(p)
    assert s.series == ("residual",)
    assert s.rate_cpkkd("residual").tolist() == [-0.25, 0.125]
    assert s.sigma().tolist() == [0.5, 0.25]
    assert s.counts("residual").tolist() == [-2.5, 2.5]           # x width x exposure
    assert s.sigma(kind="counts").tolist() == [5.0, 5.0]
    d = s.to_dict()["series"]["residual"]
    assert d["sigma_cpkkd"] == [0.5, 0.25] and d["sigma_counts"] == [5.0, 5.0]
    c = read_spectrum(write(tmp_path, "e_kev width_kev on_minus_off_counts error_counts\n"
                                      "12.5 1 -3 4\n", "c.txt"))
    assert c.values["residual"][0] == "counts" and c.sigma().tolist() == [4.0]
    assert read_measured(p).sigma().tolist() == [0.5, 0.25]


@pytest.mark.parametrize("text, line, words", [
    ("e_lo_kev,e_hi_kev,residual_cpkkd,sigma_cpkkd\n12,13,1,0.5\n13,14,1,0\n", 3, "> 0"),
    ("e_lo_kev,e_hi_kev,residual_cpkkd,sigma_cpkkd\n12,13,1,-0.5\n", 2, "> 0"),
    ("# note\ne_lo_kev,e_hi_kev,residual_cpkkd\n12,13,1\n", 2, "missing column sigma_cpkkd"),
    ("e_lo_kev,e_hi_kev,residual_counts,sigma_cpkkd\n12,13,1,1\n", 1, "needs the column"),
    ("e_lo_kev,e_hi_kev,counts,sigma_counts\n12,13,1,1\n", 1, "needs the column"),
])
def test_malformed_residual_files_name_file_and_line(tmp_path, text, line, words):
    p = write(tmp_path, text)
    with pytest.raises(DataFileError, match=words) as err:
        read_spectrum(p)
    assert err.value.line == line and str(p) in str(err.value)
    p = write(tmp_path, "e_lo_kev,e_hi_kev,residual_counts,sigma_counts,on_counts\n12,13,1,1,1\n")
    with pytest.raises(DataFileError, match="mix"):
        read_spectrum(p)
