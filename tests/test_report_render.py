"""Figures of a report drawn in this process or on forked workers (nuem.report.render): the same
files either way, errors raised with their message, no fork where it is not safe."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading

import pytest

from nuem.exceptions import InvalidParameterError
from nuem.report.render import can_fork_workers, check_workers, figure_workers, render_figures

LINUX = sys.platform.startswith("linux")


def _run_python(code: str) -> str:
    """``code`` in a fresh interpreter with BLAS on one thread, as the ``nuem`` command runs
    (the pytest process may hold other threads, in which case render_figures rightly refuses
    to fork)."""
    from nuem.cli.main import BLAS_THREAD_VARIABLES

    env = {**os.environ, **dict.fromkeys(BLAS_THREAD_VARIABLES, "1")}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=300, env=env).stdout


def test_serial_runs_every_job_in_order_and_reports_each():
    done = []
    out = render_figures({"b": lambda: ["b.png"], "a": lambda: ["a.png", "a.pdf"]},
                         workers=1, done=done.append)
    assert list(out.items()) == [("b", ["b.png"]), ("a", ["a.png", "a.pdf"])]
    assert done == ["b", "a"]


@pytest.mark.skipif(not LINUX, reason="figure workers are forked on Linux only")
def test_workers_are_forked_processes_and_results_keep_the_jobs_order():
    """The first figure is drawn by the parent (it warms matplotlib for the workers), the others
    by forked workers; results come back in the order of the jobs whatever order they end in."""
    out = _run_python(
        "import json, os, time\n"
        "from nuem.report.render import render_figures\n"
        "jobs = {f'f{i}': (lambda i=i: (time.sleep(0.05 * (5 - i)), [os.getpid()])[1])\n"
        "        for i in range(6)}\n"
        "done = []\n"
        "res = render_figures(jobs, workers=3, done=done.append)\n"
        "print(json.dumps({'parent': os.getpid(), 'res': res, 'done': done}))\n")
    r = json.loads(out)
    assert list(r["res"]) == [f"f{i}" for i in range(6)]
    pids = [v[0] for v in r["res"].values()]
    assert pids[0] == r["parent"] and r["parent"] not in pids[1:]
    assert 1 < len(set(pids[1:])) <= 3
    assert sorted(r["done"]) == sorted(r["res"]) and r["done"][0] == "f0"


@pytest.mark.skipif(not LINUX, reason="figure workers are forked on Linux only")
def test_an_error_in_a_worker_is_raised_here_with_its_message():
    """The job's own exception (type and message) reaches the caller; the figure drawn before
    the fork was reported done, the failing one never."""
    out = _run_python(
        "from nuem.report.render import render_figures\n"
        "from nuem.exceptions import InvalidParameterError\n"
        "def bad():\n"
        "    raise InvalidParameterError('figure x: cannot draw')\n"
        "done = []\n"
        "try:\n"
        "    render_figures({'a': lambda: ['a'], 'x': bad, 'b': lambda: ['b']}, workers=2,\n"
        "                   done=done.append)\n"
        "except InvalidParameterError as exc:\n"
        "    print(type(exc).__name__, '|', exc, '|', done[0], 'x' in done)\n")
    assert out.strip() == "InvalidParameterError | figure x: cannot draw | a False"


@pytest.mark.slow
@pytest.mark.skipif(not LINUX, reason="figure workers are forked on Linux only")
def test_report_files_identical_with_and_without_workers(tmp_path):
    """Every figure byte for byte, and the summary (but its timing), drawn serially and on two
    workers (texono-hpge: six figures)."""
    out = _run_python(
        "from nuem.report import build_report\n"
        "from nuem.report.render import figure_workers\n"
        f"build_report({str(tmp_path / 's')!r}, experiment='texono-hpge', workers=1)\n"
        "print(figure_workers(2, 6))\n"
        f"build_report({str(tmp_path / 'p')!r}, experiment='texono-hpge', workers=2)\n")
    assert out.split() == ["2"]                    # the second report did use two workers
    serial = sorted(p.name for p in (tmp_path / "s" / "figures").iterdir())
    assert len(serial) == 6
    assert serial == sorted(p.name for p in (tmp_path / "p" / "figures").iterdir())
    for name in serial:
        assert (tmp_path / "s" / "figures" / name).read_bytes() == \
            (tmp_path / "p" / "figures" / name).read_bytes(), name
    s, p = (json.loads((tmp_path / d / "summary.json").read_text()) for d in "sp")
    s.pop("timing_s"), p.pop("timing_s")
    assert s == p
    page_s, page_p = (re.sub(r"built in [0-9.]+ s", "", (tmp_path / d / "index.html")
                             .read_text()) for d in "sp")
    assert page_s == page_p


def test_no_fork_while_another_thread_runs():
    """A forked child inherits only the calling thread: with another thread alive the figures
    are drawn in this process (and the worker count says so)."""
    release = threading.Event()
    t = threading.Thread(target=release.wait, daemon=True)
    t.start()
    try:
        assert not can_fork_workers()
        assert figure_workers(8, 6) == 1
        assert render_figures({"a": lambda: [threading.get_ident()],
                               "b": lambda: [threading.get_ident()]}, workers=2) == \
            {"a": [threading.get_ident()], "b": [threading.get_ident()]}
    finally:
        release.set()
        t.join()


@pytest.mark.parametrize("bad", [0, -2, 1.5, True, "2"])
def test_bad_worker_counts_are_refused(bad):
    with pytest.raises(InvalidParameterError, match="workers="):
        check_workers(bad)


def test_worker_count_is_capped_by_the_figures():
    assert check_workers(None) is None and check_workers(3) == 3
    assert figure_workers(1, 6) == 1 and figure_workers(4, 1) == 1
    if can_fork_workers():
        assert figure_workers(16, 6) == 5 and figure_workers(2, 6) == 2


def test_bad_worker_count_fails_before_any_work(tmp_path):
    from nuem.report import build_report

    with pytest.raises(InvalidParameterError, match="workers=0"):
        build_report(tmp_path / "r", experiment="no-such-experiment", workers=0)
    assert not (tmp_path / "r").exists()


def test_os_thread_count_read_from_proc(tmp_path):
    from nuem.report.render import _os_threads

    status = tmp_path / "status"
    status.write_text("Name:\tpython\nThreads:\t7\nSigQ:\t0/1\n")
    assert _os_threads(str(status)) == 7
    assert _os_threads(str(tmp_path / "missing")) is None
    if LINUX:
        assert _os_threads() >= threading.active_count()


def test_cli_bad_workers_is_one_line_exit_2(tmp_path, capsys):
    from nuem.cli.main import main

    assert main(["report", "--experiment", "texono-hpge", "--out", str(tmp_path / "r"),
                 "--workers", "0"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["nuem report: error: workers=0: allowed: a whole number >= 1 (1 draws every "
                   "figure in this process)"]
    assert not (tmp_path / "r").exists()
