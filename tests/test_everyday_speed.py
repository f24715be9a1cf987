"""Everyday speed without changed numbers: the Gaussian FC table built once per CL (identical
intervals), figures saved without repeated layout or mathtext tick labels, scan tables written
column-wise (identical text to the row-wise writer), the best row found by argmin."""

from __future__ import annotations

import csv
import io

import numpy as np
import pytest

from nuem.inference import fc_gaussian_interval, run_scan
from nuem.inference.tables import csv_bytes


def test_fc_table_built_once_and_results_identical():
    from nuem.inference import feldman_cousins as fc

    fc._gaussian_tables.cache_clear()
    x = np.linspace(-3.0, 5.0, 41)
    a = fc_gaussian_interval(x, 1.7, 0.9)
    b = fc_gaussian_interval(x, 1.7, 0.9)
    info = fc._gaussian_tables.cache_info()
    assert info.misses == 1 and info.hits == 1
    assert np.array_equal(a.upper, b.upper) and np.array_equal(a.lower, b.lower)
    # FC Table X (unit sigma, 90 % CL): x0 = 0 -> [0, 1.64], x0 = 2.6 -> [1.02, 4.24]
    assert round(fc_gaussian_interval(0.0).upper, 2) == 1.64
    assert round(fc_gaussian_interval(2.6).lower, 2) == 1.02
    grid, *_ = fc._gaussian_tables(0.9)
    with pytest.raises(ValueError):
        grid[0] = 1.0                                   # the cached table is read-only


def _rowwise_csv(columns):
    """The former writer: csv module, one repr(float) per cell, row by row."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    names = list(columns)
    w.writerow(names)
    for i in range(len(next(iter(columns.values())))):
        w.writerow([repr(float(columns[k][i])) for k in names])
    return buf.getvalue().encode()


def test_columnwise_csv_equals_rowwise():
    rng = np.random.default_rng(4)
    g = {"a": np.geomspace(1e-3, 1e3, 7), "b": [0.0, 1.5, 1e20], "c": [-0.25, 7.0]}

    def f(cols):
        return {"p": cols["a"] * rng.random(cols["a"].size), "q": cols["a"] * 2.0,
                "r": cols["b"] + 0.0 * cols["a"], "s": cols["a"] * 2.0,
                "n": np.arange(cols["a"].size)}

    from nuem.inference import ScanGrid

    res = run_scan(ScanGrid(g, allow_negative=True), f, executor="serial", progress=False)
    shape = res.grid.shape
    fast = csv_bytes(res.data, shape)
    assert fast == _rowwise_csv(res.data) == csv_bytes(res.data)
    assert np.array_equal(np.loadtxt(io.BytesIO(fast), delimiter=",", skiprows=1),
                          np.column_stack([res.data[k] for k in res.columns]).astype(float))


def test_best_is_the_argmin_row():
    res = run_scan({"x": [3.0, 1.0, 2.0], "y": [1.0, 4.0]}, lambda c: {"f": c["x"] - c["y"]},
                   executor="serial", progress=False)
    assert res.best("f") == {"x": 1.0, "y": 4.0, "f": -3.0}
    assert res.best("f", largest=True) == {"x": 3.0, "y": 1.0, "f": 2.0}


def test_figure_saved_with_one_layout_and_plain_log_labels(tmp_path):
    from nuem.plotting import new_figure, save

    fig = new_figure(4.0, 3.0)
    ax = fig.add_subplot()
    ax.loglog([1e-3, 1e3], [1e-12, 1e-6])
    engine, runs = fig.get_layout_engine(), []
    execute = engine.execute
    engine.execute = lambda f: (runs.append(1), execute(f))[1]
    names = save(fig, tmp_path / "f", formats=("png", "pdf"))
    assert names == ["f.png", "f.pdf"]
    assert (tmp_path / "f.png").read_bytes()[:4] == b"\x89PNG"
    assert (tmp_path / "f.pdf").read_bytes()[:4] == b"%PDF"
    labels = [t.get_text() for t in ax.get_yticklabels() + ax.get_xticklabels()]
    assert labels and not any("$" in s for s in labels)
    assert "10⁻⁹" in labels and "10⁰" in labels
    assert len(runs) == 1                      # one layout for both files (not two per file)
    assert fig.get_layout_engine() is engine   # and the figure keeps its engine


def test_ticks_built_only_in_view_and_locators_restored(tmp_path, monkeypatch):
    """Saving builds tick objects only for the ticks inside the view (matplotlib draws no
    other), draws the same image as matplotlib's own savefig, and gives every axis back its
    locators (shared axes included)."""
    import numpy as np
    from matplotlib.image import imread

    from nuem.plotting import new_figure, save

    def build():
        fig = new_figure(5.0, 4.0)
        top, bottom = fig.subplots(2, 1, sharex=True)
        top.loglog([3e-3, 2e2], [5e-3, 4e2])
        bottom.plot([3e-3, 2e2], [0.2, 0.9])
        return fig, top, bottom

    fig, top, bottom = build()
    axes = [a for ax in (top, bottom) for a in (ax.xaxis, ax.yaxis)]
    locators = [(a.get_major_locator(), a.get_minor_locator(), a.isDefault_majloc) for a in axes]
    save(fig, tmp_path / "a", formats=("png",))
    assert [(a.get_major_locator(), a.get_minor_locator(), a.isDefault_majloc)
            for a in axes] == locators
    lo, hi = top.get_ylim()
    locs = top.yaxis.get_minorticklocs()          # the locator's ticks: beyond the view, too
    inside = int(np.sum((locs >= lo) & (locs <= hi)))
    assert inside < len(locs) and len(top.yaxis.minorTicks) == inside
    import contextlib

    from nuem.plotting import _figure

    monkeypatch.setattr(_figure, "in_view_ticks", contextlib.nullcontext)
    fig_b, top_b, _ = build()
    save(fig_b, tmp_path / "b", formats=("png",))     # every tick of the locators built
    assert len(top_b.yaxis.minorTicks) == len(locs)
    assert np.array_equal(imread(tmp_path / "a.png"), imread(tmp_path / "b.png"))


def test_minor_ticks_kept_with_one_major_tick_in_view(tmp_path, monkeypatch):
    """A linear axis places its minor ticks from the major ones, also those outside the view:
    with a single major tick in view the minor ticks are still drawn, as without in_view_ticks."""
    import contextlib

    import numpy as np
    from matplotlib.image import imread
    from matplotlib.ticker import MultipleLocator

    from nuem.plotting import _figure, new_figure, save

    def build():
        fig = new_figure(3.0, 2.0)
        ax = fig.add_subplot()
        ax.plot([0.0, 3.0], [0.0, 1.0])
        ax.minorticks_on()
        ax.xaxis.set_major_locator(MultipleLocator(1.0))
        ax.set_xlim(0.55, 1.4)                       # one major tick (1.0) in view
        return fig, ax

    fig, ax = build()
    save(fig, tmp_path / "a", formats=("png",))
    minors = ax.xaxis.get_minorticklocs()
    assert len(minors) > 2
    monkeypatch.setattr(_figure, "in_view_ticks", contextlib.nullcontext)
    fig_b, _ = build()
    save(fig_b, tmp_path / "b", formats=("png",))
    assert np.array_equal(imread(tmp_path / "a.png"), imread(tmp_path / "b.png"))


def test_figure_files_written_atomically(tmp_path, monkeypatch):
    """A figure that fails while being written leaves the previous file untouched and no
    temporary file behind (save and the scan contour plots share _figure.save_file); a new
    file gets the permissions of any new file (0666 masked by the umask), not mkstemp's 0600."""
    from nuem.plotting import _figure, new_figure, save

    fig = new_figure(3.0, 2.0)
    fig.add_subplot().plot([1, 2], [1, 2])
    target = tmp_path / "f.png"
    target.write_bytes(b"previous")

    def broken(*a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(type(fig), "savefig", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        save(fig, tmp_path / "f", formats=("png",))
    assert target.read_bytes() == b"previous" and sorted(tmp_path.iterdir()) == [target]
    monkeypatch.undo()
    assert _figure.save_file(fig, tmp_path / "g") == tmp_path / "g.png"
    assert (tmp_path / "g.png").read_bytes()[:4] == b"\x89PNG"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.png", "g.png"]
    import os

    mask = os.umask(0o022)
    try:
        assert (_figure.save_file(fig, tmp_path / "h.pdf").stat().st_mode & 0o777) == 0o644
    finally:
        os.umask(mask)


def test_scan_tables_and_checkpoints_share_the_atomic_writer(tmp_path):
    """CSV tables, checkpoint chunks and JSON exports go through nuem._files: readable by the
    group (umask 022), no temporary file left on failure."""
    import os

    from nuem._files import write_bytes_atomic

    mask = os.umask(0o022)
    try:
        p = write_bytes_atomic(tmp_path / "t.csv", (c for c in [b"a\n", b"1\n"]))
        assert p.read_bytes() == b"a\n1\n" and (p.stat().st_mode & 0o777) == 0o644

        def broken():
            yield b"partial"
            raise RuntimeError("interrupted")

        with pytest.raises(RuntimeError):
            write_bytes_atomic(tmp_path / "t.csv", broken())
        assert p.read_bytes() == b"a\n1\n" and sorted(tmp_path.iterdir()) == [p]
    finally:
        os.umask(mask)


def test_unknown_figure_format_is_one_line_before_any_work(tmp_path, capsys):
    """`nuem scan --plot FILE.xyz` was a matplotlib ValueError traceback after the whole scan;
    now the option is checked while parsing, and save_file names the path and the formats."""
    from nuem.cli.main import main
    from nuem.exceptions import InvalidParameterError
    from nuem.plotting import _figure, new_figure

    assert main(["scan", "--threshold-kev", "1", "2", "--plot", str(tmp_path / "c.xyz")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--plot" in err[0] and ".png, .pdf, .svg" in err[0]
    with pytest.raises(InvalidParameterError, match="no figure format 'xyz'"):
        _figure.save_file(new_figure(), tmp_path / "f.xyz")
    assert not list(tmp_path.iterdir())
