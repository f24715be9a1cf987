"""Event lists and background tables (nuem.io.events): parsing, units, coverage, bad input."""

from pathlib import Path

import numpy as np
import pytest

from nuem.exceptions import DataFileError, UnknownNameError
from nuem.io.events import (
    BACKGROUND_UNITS,
    parse_event_lines,
    read_background_table,
    read_event_list,
)

XENONNT = Path(__file__).parent / "data" / "xenonnt_2022_er"


def _write(tmp_path, text, name="f.txt"):
    p = tmp_path / name
    p.write_text(text)
    return p


def _fails_at(p, line, msg, read):
    """``read(p)`` raises DataFileError matching ``msg``, the message starting ``p:line: ``."""
    with pytest.raises(DataFileError, match=msg) as exc:
        read(p)
    assert str(exc.value).startswith(f"{p}:{line}: ")


def test_xenonnt_release_has_433_events_in_1_to_30_kev():
    # PRL 129, 161805 (2022) data release: "The total number of events is 433" (readme.txt)
    ev = read_event_list(XENONNT / "data_unbinned_1to30kev.txt", 1.0, 30.0)
    assert ev.n == 433
    assert 1.0 < ev.energies_kev.min() < ev.energies_kev.max() < 30.0
    assert not ev.energies_kev.flags.writeable


def test_b0_integrates_to_the_observed_count():
    # B0 is the best-fit model of the observed spectrum (efficiency applied): its integral over
    # 1-30 keV times 1.16 t yr is the 433 observed events within their Poisson error
    b = read_background_table(XENONNT / "bkg_model.txt", "events/(t yr keV)")
    e = np.linspace(1.0, 30.0, 29001)
    n = np.trapezoid(b.rate_cpkkd(e), e) * 1160.0 * 365.25
    assert n == pytest.approx(433, abs=2 * np.sqrt(433))
    assert b.rate_cpkkd([0.5])[0] == 0.0            # no efficiency below 1 keV: B0 is observed


def test_comments_blank_lines_and_separators(tmp_path):
    p = _write(tmp_path, "# header\n\n 2.5 # first\n3.0,\n4\n")
    assert read_event_list(p).energies_kev.tolist() == [2.5, 3.0, 4.0]


@pytest.mark.parametrize("text,line,msg", [
    ("1.0\nabc\n", 2, "'abc' is not a number"),
    ("1.0\n2.0 3.0\n", 2, "one energy per line"),
    ("-1.0\n", 1, "negative"),
    ("1.0\nnan\n", 2, "not a finite number"),
    ("5.0\n40.0\n", 2, "above the analysis window"),
    ("0.5\n", 1, "below the analysis window"),
])
def test_bad_event_lines_name_file_and_line(tmp_path, text, line, msg):
    _fails_at(_write(tmp_path, text), line, msg, lambda p: read_event_list(p, 1.0, 30.0))


@pytest.mark.parametrize("window,line,msg", [
    ((1.0, None), 2, r"0.5 keV is below the analysis window \[1, inf\] keV"),
    ((None, 2.0), 3, r"3.0 keV is above the analysis window \[-inf, 2\] keV"),
])
def test_one_sided_window_is_named(tmp_path, window, line, msg):
    # a window bounded on one side only: a clear message, not a formatting TypeError
    _fails_at(_write(tmp_path, "1.5\n0.5\n3.0\n"), line, msg,
              lambda p: read_event_list(p, *window))
    with pytest.raises(DataFileError, match=msg):
        parse_event_lines(["1.5", "0.5", "3.0"], "<x>", *window)


def test_empty_and_missing_event_files(tmp_path):
    # zero events is data (an extended likelihood uses it); a missing file is an error
    ev = read_event_list(_write(tmp_path, "# no event passed the cuts\n"), 1.0, 30.0)
    assert ev.n == 0 and ev.energies_kev.shape == (0,) and ev.window_kev == (1.0, 30.0)
    with pytest.raises(DataFileError, match="cannot read"):
        read_event_list(tmp_path / "missing.txt")
    assert parse_event_lines([], "<x>").n == 0


def test_background_units(tmp_path):
    p = _write(tmp_path, "1 365.25\n2 365.25\n")
    t_yr = read_background_table(p, "events/(t yr keV)")
    kg_d = read_background_table(p, "counts/(kg keV day)")
    # 365.25 events/(t yr keV) = 1e-3 counts/(kg keV day) (1 t = 1000 kg, 1 yr = 365.25 d)
    assert t_yr.rate_cpkkd([1.5])[0] == pytest.approx(1e-3, rel=1e-12)
    assert kg_d.rate_cpkkd([1.5])[0] == 365.25
    assert set(BACKGROUND_UNITS) == {"counts/(kg keV day)", "events/(t yr keV)"}
    with pytest.raises(UnknownNameError, match="allowed"):
        read_background_table(p, "events/(kg yr keV)")


def test_coverage_includes_the_end_half_bins(tmp_path):
    # bin-centre nodes 0.05 ... 29.95 keV (0.1 keV bins) cover 0-30 keV, not beyond
    b = read_background_table(XENONNT / "bkg_model.txt", "events/(t yr keV)")
    lo, hi = b.range_kev()
    assert (lo, hi) == (0.0, 30.0)
    b.check_covers(1.0, 30.0)
    assert b.rate_cpkkd([30.0])[0] == b.rate_cpkkd(b.e_kev[-1:])[0]   # the end bin's own value
    with pytest.raises(DataFileError, match="not the analysis window 1-31 keV"):
        b.check_covers(1.0, 31.0)
    with pytest.raises(DataFileError, match="outside the background table"):
        b.rate_cpkkd([30.2])


@pytest.mark.parametrize("text,line,msg", [
    ("1 2\n2\n", 2, "two columns"),
    ("1 2\n2 x\n", 2, "'x' is not a number"),
    ("1 2\n2 -1\n", 2, "negative"),
    ("1 2\n1 3\n", 2, "does not increase"),
])
def test_bad_background_tables(tmp_path, text, line, msg):
    _fails_at(_write(tmp_path, text), line, msg,
              lambda p: read_background_table(p, "events/(t yr keV)"))
    with pytest.raises(DataFileError, match="at least two rows"):
        read_background_table(_write(tmp_path, "1 2\n", "one.txt"), "events/(t yr keV)")


def test_attribution_travels_with_the_data():
    text = (XENONNT / "README.md").read_text() + (XENONNT / "readme.txt").read_text()
    assert "XENON Collaboration" in text and "161805" in text
