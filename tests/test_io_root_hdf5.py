"""Measured spectra from ROOT (uproot) and HDF5 (h5py) files: read back equal to the text table
of the same spectrum, with the same checks and one-line errors."""

import numpy as np
import pytest

from nuem.exceptions import DataFileError
from nuem.io.excess import read_measured
from nuem.io.spectra import read_spectrum

uproot = pytest.importorskip("uproot")
h5py = pytest.importorskip("h5py")

EDGES = np.arange(12.0, 61.0, 1.0)
RNG = np.random.default_rng(11)
ON = RNG.poisson(600.0, EDGES.size - 1).astype(float)
OFF = RNG.poisson(135.0, EDGES.size - 1).astype(float)
X_ON, X_OFF = 604.942, 135.468


def _text(tmp_path):
    p = tmp_path / "spectrum.csv"
    lines = [f"# exposure_on_kg_day = {X_ON}", f"# exposure_off_kg_day = {X_OFF}",
             "e_lo_kev,e_hi_kev,on_counts,off_counts"]
    lines += [f"{lo:g},{hi:g},{a:g},{b:g}" for lo, hi, a, b in
              zip(EDGES[:-1], EDGES[1:], ON, OFF, strict=True)]
    p.write_text("\n".join(lines) + "\n")
    return read_spectrum(p)


def _same(a, b):
    assert np.array_equal(a.e_lo_kev, b.e_lo_kev) and np.array_equal(a.e_hi_kev, b.e_hi_kev)
    assert a.series == b.series or set(a.series) == set(b.series)
    for s in a.series:
        assert a.values[s][0] == b.values[s][0]
        assert np.array_equal(a.values[s][1], b.values[s][1])
        assert a.exposure_kg_day[s] == b.exposure_kg_day[s]
        assert np.array_equal(a.counts(s), b.counts(s)) and np.allclose(a.rate_cpkkd(s),
                                                                        b.rate_cpkkd(s))


def test_th1_written_with_uproot_reads_back_equal_to_the_text_table(tmp_path):
    """Acceptance: a TH1 written with uproot is read back equal to the text version."""
    text = _text(tmp_path)
    path = tmp_path / "spectrum.root"
    with uproot.recreate(path) as f:
        f["on_counts"] = (ON, EDGES)
        f["off_counts"] = (OFF, EDGES)
        f["exposure_on_kg_day"] = str(X_ON)
        f["exposure_off_kg_day"] = str(X_OFF)
    for spec in (read_measured(path), read_measured(path, fmt="root")):
        _same(spec, text)
        assert spec.notes == ()


def test_th1_with_other_names_flow_and_residual_errors(tmp_path):
    import hist

    path = tmp_path / "r.root"
    h = hist.Hist(hist.axis.Variable(EDGES), storage=hist.storage.Weight())
    h.view().value[:] = ON - OFF * X_ON / X_OFF
    h.view().variance[:] = ON + OFF * (X_ON / X_OFF) ** 2
    hon = hist.Hist(hist.axis.Variable(EDGES))
    hon.fill([5.0, 30.5])                                 # 5 keV: underflow
    with uproot.recreate(path) as f:
        f["hResidual"] = h
        f["hOn"] = hon
        f["exposure_kg_day"] = str(X_ON)
    from nuem.io.root_files import read_root

    s = read_root(path, histograms={"residual_counts": "hResidual"})
    assert s.series == ("residual",)
    assert np.allclose(s.sigma("residual"), np.sqrt(ON + OFF * (X_ON / X_OFF) ** 2))
    s = read_root(path, histograms={"counts": "hOn"})
    assert s.counts().sum() == 1 and any("under/overflow (1, 0)" in n for n in s.notes)
    with pytest.raises(DataFileError, match="no TH1 named 'nope'"):
        read_root(path, histograms={"counts": "nope"})
    with pytest.raises(DataFileError, match="no TH1 named like a value column"):
        read_root(path)


def test_hdf5_dataset_written_with_h5py_reads_back_equal_to_the_text_table(tmp_path):
    """Acceptance: an HDF5 dataset written with h5py is read back equal to the text version
    (a group of column datasets, and a compound dataset)."""
    text = _text(tmp_path)
    path = tmp_path / "spectrum.h5"
    with h5py.File(path, "w") as f:
        g = f.create_group("texono/run1")
        g["e_lo_kev"], g["e_hi_kev"] = EDGES[:-1], EDGES[1:]
        g["on_counts"], g["off_counts"] = ON, OFF
        g["comment"] = "not a column"
        g.attrs["exposure_on_kg_day"], g.attrs["exposure_off_kg_day"] = X_ON, X_OFF
        rec = np.zeros(ON.size, dtype=[("e_lo_kev", "f8"), ("e_hi_kev", "f8"), ("on", "f8"),
                                       ("off", "f8")])
        rec["e_lo_kev"], rec["e_hi_kev"], rec["on"], rec["off"] = EDGES[:-1], EDGES[1:], ON, OFF
        d = f.create_dataset("table", data=rec)
        d.attrs["exposure_on_kg_day"], d.attrs["exposure_off_kg_day"] = X_ON, X_OFF
    s = read_measured(f"{path}:texono/run1")
    _same(s, text)
    assert any("comment" in n for n in s.notes)
    _same(read_measured(f"{path}:table", fmt="hdf5"), text)


def test_binary_files_are_checked_like_text(tmp_path):
    path = tmp_path / "bad.h5"
    with h5py.File(path, "w") as f:
        f["e_lo_kev"], f["e_hi_kev"] = [1.0, 2.0], [2.0, 3.0]
        f["counts"] = [5.0, -1.0]
        f["plain"] = [1.0]
    with pytest.raises(DataFileError, match=r"bad\.h5:2: negative counts"):
        read_measured(path)
    with pytest.raises(DataFileError, match="plain dataset"):
        read_measured(f"{path}:plain")
    with pytest.raises(DataFileError, match="no group or dataset 'x'"):
        read_measured(f"{path}:x")
    with pytest.raises(DataFileError, match="cannot open as a ROOT file"):
        read_measured(tmp_path / "bad.h5", fmt="root")
    unsorted = tmp_path / "u.root"
    with uproot.recreate(unsorted) as f:
        f["counts"] = (np.array([1.0, 2.0]), np.array([0.0, 1.0, 2.0]))
        f["cpkkd"] = (np.array([1.0, 2.0]), np.array([0.0, 1.5, 2.0]))
    with pytest.raises(DataFileError, match="other bin edges"):
        read_measured(unsorted)


def test_cli_limit_reads_root_and_hdf5(tmp_path, capsys):
    """The same limit from the text, ROOT and HDF5 versions of one spectrum."""
    import json

    from nuem.cli.main import main

    _text(tmp_path)
    with uproot.recreate(tmp_path / "s.root") as f:
        f["on_counts"], f["off_counts"] = (ON, EDGES), (OFF, EDGES)
        f["exposure_on_kg_day"], f["exposure_off_kg_day"] = str(X_ON), str(X_OFF)
    with h5py.File(tmp_path / "s.h5", "w") as f:
        f["e_lo_kev"], f["e_hi_kev"], f["on"], f["off"] = EDGES[:-1], EDGES[1:], ON, OFF
        f.attrs["exposure_on_kg_day"], f.attrs["exposure_off_kg_day"] = X_ON, X_OFF
    limits = []
    for name in ("spectrum.csv", "s.root", "s.h5"):
        assert main(["limit", "--experiment", "texono-hpge", "--data", str(tmp_path / name),
                     "--json"]) == 0
        limits.append(json.loads(capsys.readouterr().out)["upper_limit"])
    assert limits[0] == limits[1] == limits[2]
