"""Vectorised CSV text of scan tables: every float cell is exactly Python's repr (checked
against repr itself, value by value), or the correctly rounded ``digits``-digit decimal (checked
against Python's "%.{d-1}e" with exact Decimal comparison); the CSV parses with the csv module,
reads back to the same doubles, and is byte-identical for any executor."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nuem.exceptions import InvalidParameterError
from nuem.inference import ScanGrid, run_scan
from nuem.inference.csv_text import csv_bytes
from nuem.inference.float_text import float_text

# values where a naive formatter goes wrong: exact decimal ties (1e23 is half-way between two
# doubles, ...624.25 ties at 17 digits), the asymmetric gap at powers of two, subnormals,
# the largest double, numbers next to powers of ten and at the positional/scientific switch
_HARD = [1e23, 1125899906842624.25, 9007199254740993.0, 2.0 ** -1074, 2.0 ** -1022,
         2.225073858507201e-308, 1.7976931348623157e308, 5e-324, 1e-4, 9.999999999999999e-05,
         1e16, 9999999999999998.0, 0.1, 0.30000000000000004, 2.0 ** 60, 2.0 ** -60,
         7.120236347223045e-307, 3.506864851944427e+16, 123.0, 0.0, -0.0, np.inf, -np.inf,
         np.nan, 1.0, 0.5, 100.0, 1e15, 1e-5, 4.35e-11]


def _random_doubles(n, seed):
    rng = np.random.default_rng(seed)
    bits = rng.integers(0, 2 ** 63, size=n, dtype=np.uint64)
    x = bits.view(np.float64)
    x = np.where(rng.random(n) < 0.5, -x, x)
    return np.concatenate([x, rng.lognormal(0.0, 20.0, n), np.round(rng.random(n) * 1e3, 3),
                           rng.integers(-10 ** 17, 10 ** 17, n).astype(float),
                           np.ldexp(1.0, np.arange(-1074, 1024)), _HARD])


def test_float_text_is_repr():
    x = _random_doubles(20000, 1)
    assert float_text(x) == [repr(v) for v in x.tolist()]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=1, max_size=20))
def test_float_text_is_repr_property(values):
    assert float_text(np.array(values)) == [repr(float(v)) for v in values]


@pytest.mark.parametrize("digits", [1, 2, 6, 15, 16, 17])
def test_float_text_digits_correctly_rounded(digits):
    x = _random_doubles(3000, digits)
    x = x[np.abs(x) < 1e308]                        # 1-digit rounding of 1.8e308 overflows
    for v, text in zip(x.tolist(), float_text(x, digits), strict=True):
        if not np.isfinite(v):
            assert text == repr(v)
            continue
        assert Decimal(text) == Decimal(f"{v:.{digits - 1}e}"), (v, text)
        assert len(Decimal(text).normalize().as_tuple().digits) <= digits
        if digits == 17:
            assert float(text) == v                  # 17 digits read back exactly


def test_float_text_bad_digits():
    for bad in (0, 18, 2.5, True):
        with pytest.raises(InvalidParameterError, match="digits"):
            float_text(np.array([1.0]), bad)


def _rowwise(columns, digits=None):
    """Reference CSV: the csv module, one Python-formatted cell at a time."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(list(columns))

    def cell(v):
        if isinstance(v, str):
            return v
        v = float(v)
        if digits is None or not np.isfinite(v):
            return repr(v)
        return float_text(np.array([v]), digits)[0]

    for i in range(len(next(iter(columns.values())))):
        w.writerow([cell(columns[k][i]) for k in columns])
    return buf.getvalue().encode()


def _grid_scan():
    """A scan whose columns exercise every path: grid columns (joined when their joint grid is
    small), a categorical axis with a comma, reduced and full columns, a repeated column,
    negative, zero, infinite and NaN values, an integer column."""
    axes = {"a": np.geomspace(1e-3, 1e3, 9), "t": ["Ge", "Si,Li", "Xe"],
            "b": [-2.5, 0.0, 1e20, 7.0], "c": np.linspace(0.0, 1.0, 5)}
    rng = np.random.default_rng(7)

    def f(cols):
        n = cols["a"].size
        p = cols["a"] * rng.standard_normal(n)
        p[::37] = np.nan
        p[::41] = -np.inf
        return {"p": p, "q": cols["a"] * 2.0, "r": cols["b"] + 0.0 * cols["a"],
                "s": cols["a"] * 2.0, "n": np.arange(n), "z": -0.0 * cols["c"]}

    return run_scan(ScanGrid(axes, allow_negative=True), f, executor="serial",
                    progress=False)


@pytest.mark.parametrize("digits", [None, 4, 17])
def test_csv_equals_rowwise_reference(digits):
    res = _grid_scan()
    fast = csv_bytes(res.data, res.grid.shape, digits)
    assert fast == _rowwise(res.data, digits)
    assert fast == csv_bytes(res.data, None, digits)            # without the grid shortcuts
    rows = list(csv.reader(io.StringIO(fast.decode())))
    assert rows[0] == list(res.columns) and len(rows) == len(res) + 1
    t_col = res.columns.index("t")
    assert {r[t_col] for r in rows[1:]} == {"Ge", "Si,Li", "Xe"}
    for k, name in enumerate(res.columns):
        if name == "t":
            continue
        back = np.array([float(r[k]) for r in rows[1:]])
        want = res.column(name).astype(float)
        if digits is not None and digits < 17:
            want = np.array([float(f"{v:.{digits - 1}e}") for v in want])
        assert np.array_equal(back, want, equal_nan=True), name


def test_csv_of_large_grid_reads_back_exactly(tmp_path):
    rng = np.random.default_rng(3)
    g = ScanGrid({"x": np.geomspace(0.05, 20.0, 40), "y": np.linspace(1.0, 3.0, 50)})

    def f(cols):
        return {"u": cols["x"] * rng.lognormal(0.0, 9.0, cols["x"].size), "v": cols["y"] ** 2}

    res = run_scan(g, f, executor="serial", progress=False)
    back = np.genfromtxt(res.write(tmp_path / "t.csv"), delimiter=",", names=True)
    for name in res.columns:
        assert np.array_equal(back[name], res.column(name))


def test_csv_byte_identical_across_executors(tmp_path):
    from nuem.inference import AsimovScanModel

    g = ScanGrid({"threshold_kev": [0.3, 1.0, 3.0], "background_cpkkd": [0.5, 1.0, 2.0],
                  "exposure_kg_day": [100.0, 1000.0], "flux_cm2_s": [1e13]})
    files = []
    for executor in ("serial", "local"):
        res = run_scan(g, AsimovScanModel(n_bins=6), executor=executor, workers=2,
                       chunksize=4, progress=False)
        files.append(res.write(tmp_path / f"{executor}.csv").read_bytes())
    assert files[0] == files[1]


def test_cli_csv_digits(tmp_path):
    from nuem.cli.main import main

    base = ["scan", "--threshold-kev", "1", "--background-cpkkd", "1", "2",
            "--exposure-kg-day", "100", "--executor", "serial", "--no-progress"]
    assert main(base + ["--out", str(tmp_path / "a.csv"), "--csv-digits", "3"]) == 0
    rows = list(csv.DictReader(io.StringIO((tmp_path / "a.csv").read_text())))
    assert all(len(Decimal(r["mu_nu_limit"]).normalize().as_tuple().digits) <= 3 for r in rows)
    assert main(base + ["--out", str(tmp_path / "b.csv")]) == 0
    full = list(csv.DictReader(io.StringIO((tmp_path / "b.csv").read_text())))
    assert [float(f"{float(r['mu_nu_limit']):.2e}") for r in full] == \
        [float(r["mu_nu_limit"]) for r in rows]
    assert main(base + ["--out", str(tmp_path / "c.csv"), "--csv-digits", "18"]) == 2
    assert main(base + ["--out", str(tmp_path / "c.json"), "--csv-digits", "5"]) == 2


def test_csv_threads_give_identical_text():
    """Blocks formatted on two threads are written in order: the same bytes as one thread (and
    as the row-wise repr reference on a sample), for a table of many blocks."""
    from nuem.inference.csv_text import csv_chunks

    rng = np.random.default_rng(3)
    n = 20_000
    cols = {"a": rng.standard_normal(n) * 10.0 ** rng.integers(-30, 30, n),
            "b": np.repeat(np.geomspace(1e-3, 1e3, 100), n // 100),
            "c": rng.random(n)}
    one = list(csv_chunks(cols, (100, n // 100), block_bytes=1 << 14, threads=1))
    two = list(csv_chunks(cols, (100, n // 100), block_bytes=1 << 14, threads=2))
    assert len(one) > 8
    assert b"".join(one) == b"".join(two)
    rows = b"".join(two).decode().splitlines()[1:]
    for i in range(0, n, 997):
        assert rows[i] == ",".join(repr(float(cols[k][i])) for k in "abc")


@settings(max_examples=300, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False), st.integers(1, 17))
def test_float_text_digits_round_trip_property(v, digits):
    """Any finite double: the shortest text reads back to the identical double (and to its sign
    for zeros); ``digits`` digits are Python's correctly rounded "%.{d-1}e" (exact Decimal
    comparison), at most ``digits`` significant digits, and 17 digits read back exactly."""
    shortest = float_text(np.array([v]))[0]
    assert float(shortest) == v and np.signbit(float(shortest)) == np.signbit(v)
    text = float_text(np.array([v]), digits)[0]
    assert Decimal(text) == Decimal(f"{v:.{digits - 1}e}")
    assert len(Decimal(text).normalize().as_tuple().digits) <= digits
    if digits == 17:
        assert float(text) == v


def test_cli_csv_digits_errors_name_the_option(tmp_path, capsys):
    from nuem.cli.main import main

    base = ["scan", "--threshold-kev", "1", "--background-cpkkd", "1", "--exposure-kg-day",
            "100", "--executor", "serial", "--no-progress"]
    for extra, needle in ((["--csv-digits", "3"], "(no --out given;"),
                          (["--csv-digits", "3", "--out", str(tmp_path / "t.json")],
                           "--csv-digits=3 applies to a CSV --out only (got --out '"),
                          (["--csv-digits", "0", "--out", str(tmp_path / "t.csv")],
                           "--csv-digits=0: significant digits must be 1..17")):
        assert main(base + extra) == 2
        err = capsys.readouterr().err
        assert needle in err and err.count("\n") == 1, err
    assert main(base + ["--csv-digits", "3e0", "--out", str(tmp_path / "t.csv")]) == 0
    capsys.readouterr()
    row = (tmp_path / "t.csv").read_text().splitlines()[1].split(",")
    assert all(len(Decimal(c).normalize().as_tuple().digits) <= 3 for c in row)
