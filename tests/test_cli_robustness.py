"""The failures found by trying nuem as a new user would, each now one line and exit status 2 (or
working): an ON-only preset's report, a scan threshold of 0, a binary experiment file, an absurd
bin width, output below a file or under /proc; Ctrl-C and SIGTERM end as one line after removing
the temporary report folder; SIGKILL leftovers are swept by the next report."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nuem.cli.main import main
from nuem.report.output_dir import MARKER, atomic_directory, sweep_leftovers

PRESETS = Path(__file__).parents[1] / "src" / "nuem" / "experiments" / "presets"


def one_line(capsys, argv):
    rc = main(argv)
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1, err
    assert err[0].startswith(f"nuem {argv[0]}: error: ")
    return err[0]


def no_nan(text):
    def bad(token):
        raise AssertionError(f"{token} in JSON")
    return json.loads(text, parse_constant=bad)


def test_report_of_an_on_only_preset_has_no_nan(tmp_path, capsys):
    # texono-ulege has no reactor-OFF data (Wong, Li & Lin, PRL 105, 061801 (2010)): the
    # residual is ON minus the known background, its error that of ON alone
    out = tmp_path / "rep"
    assert main(["report", "--experiment", "texono-ulege", "--out", str(out), "--json"]) == 0
    capsys.readouterr()
    s = no_nan((out / "summary.json").read_text())
    assert s["exposure_off_kg_day"] == 0
    comps = s["spectrum"]["components"]
    w, on = s["spectrum"]["bin_width_kev"], s["exposure_on_kg_day"]
    for i in (0, 60):
        expect = (comps["total_on"][i] - comps["background"][i]) / on / w[i]
        assert s["residual"]["cpkkd"][i] == pytest.approx(expect, rel=1e-12)
        assert s["residual"]["sigma_cpkkd"][i] == pytest.approx(
            comps["total_on"][i] ** 0.5 / on / w[i], rel=1e-12)


def test_scan_threshold_zero(capsys):
    line = one_line(capsys, ["scan", "--threshold-kev", "0", "1", "--executor", "serial"])
    assert "threshold_kev=0.0" in line and "> 0" in line


def test_binary_experiment_file(capsys, tmp_path):
    f = tmp_path / "x.toml"
    f.write_bytes(bytes(range(256)) * 4)
    for argv in (["spectrum", "--experiment-file", str(f)],
                 ["experiments", "show", "--experiment-file", str(f)],
                 ["sensitivity", "--experiment-file", str(f)]):
        line = one_line(capsys, argv)
        assert str(f) in line and "not a text (UTF-8) TOML file" in line
    line = one_line(capsys, ["report", "--experiment", str(f), "--out", str(tmp_path / "r")])
    assert "TOML" in line and not (tmp_path / "r").exists()


def test_absurd_bin_width_is_refused_before_allocating(capsys, tmp_path):
    text = (PRESETS / "texono-hpge.toml").read_text()
    old = 'bin_width_kev = { value = 1.0,'
    assert old in text
    f = tmp_path / "fine.toml"
    f.write_text(text.replace(old, 'bin_width_kev = { value = 1e-9,'))
    t0 = time.perf_counter()
    line = one_line(capsys, ["spectrum", "--experiment-file", str(f)])
    assert "analysis.bin_width_kev" in line and "4.8e+10 bins" in line and "5000" in line
    assert time.perf_counter() - t0 < 10


@pytest.mark.parametrize("where", ["{file}/sub", "/proc/nuem-report"])
def test_report_out_below_a_file_or_under_proc(capsys, tmp_path, where):
    (tmp_path / "f").write_text("x")
    line = one_line(capsys, ["report", "--experiment", "texono-hpge",
                             "--out", where.format(file=tmp_path / "f")])
    assert "--out" in line


# -- signals --------------------------------------------------------------------------------
def _start_report(tmp_path):
    out = tmp_path / "rep"
    proc = subprocess.Popen([sys.executable, "-m", "nuem", "report", "--experiment",
                             "texono-hpge", "--out", str(out)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".rep.tmp-*")):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the report never started writing"
        time.sleep(0.02)
    return proc, out


@pytest.mark.parametrize(("sig", "status", "word"), [(signal.SIGINT, 130, "interrupted"),
                                                     (signal.SIGTERM, 143, "SIGTERM")])
def test_interrupted_report_leaves_nothing(tmp_path, sig, status, word):
    proc, out = _start_report(tmp_path)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == status
    lines = err.strip().splitlines()
    assert lines == [lines[0]] and lines[0].startswith("nuem report: ") and word in lines[0]
    assert list(tmp_path.iterdir()) == [] and not out.exists()


def test_killed_report_leftovers_are_swept_by_the_next_run(tmp_path):
    proc, out = _start_report(tmp_path)
    proc.kill()                                     # SIGKILL: no clean-up possible
    proc.communicate(timeout=60)
    left = list(tmp_path.glob(".rep.tmp-*"))
    assert len(left) == 1 and str(proc.pid) in left[0].name
    with atomic_directory(out) as tmp:              # the next report into the same folder
        (tmp / "index.html").write_text("ok")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rep"]


def test_sweep_restores_an_old_report_whose_replacement_never_arrived(tmp_path):
    # killed between "old report renamed aside" and "new report renamed in"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    old = tmp_path / f".rep.old-{dead}-abc123"
    old.mkdir()
    (old / MARKER).write_text("x")
    tmp = tmp_path / f".rep.tmp-{dead}-def456"
    tmp.mkdir()
    live = tmp_path / f".rep.tmp-{os.getpid()}-ghi789"  # a running report: left alone
    live.mkdir()
    other = tmp_path / f".other.tmp-{dead}-jkl012"      # another report's folder: left alone
    other.mkdir()
    done = sweep_leftovers(tmp_path / "rep")
    assert {p.name for p in done} == {old.name, tmp.name}
    assert (tmp_path / "rep" / MARKER).is_file()
    assert live.is_dir() and other.is_dir() and not tmp.exists()


def test_legacy_leftovers_without_pid_are_swept_when_old(tmp_path):
    young, aged = tmp_path / ".rep.tmp-abcd1234", tmp_path / ".rep.tmp-wxyz9876"
    young.mkdir()
    aged.mkdir()
    os.utime(aged, (time.time() - 7200, time.time() - 7200))
    assert [p.name for p in sweep_leftovers(tmp_path / "rep")] == [aged.name]
    assert young.is_dir()


def _children(pid):
    try:
        return Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
def test_ctrl_c_during_a_parallel_scan_is_one_line(tmp_path):
    # Ctrl-C in a terminal reaches the whole process group: parent and pool workers
    thresholds = [f"{0.1 + 0.05 * i:.2f}" for i in range(300)]
    proc = subprocess.Popen([sys.executable, "-m", "nuem", "scan", "--threshold-kev",
                             *thresholds, "--background-cpkkd",
                             *(str(b) for b in range(1, 51)), "--exposure-kg-day",
                             *(str(x) for x in range(10, 1010, 10)), "--param", "delta-q",
                             "--executor", "local", "--workers", "2", "--chunksize", "500",
                             "--out", str(tmp_path / "s.csv")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    deadline = time.monotonic() + 120
    while len(_children(proc.pid)) < 2:             # the pool's workers are running
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.05)
    time.sleep(0.5)
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert err.strip().splitlines() == ["nuem scan: interrupted (Ctrl-C)"]
    assert not (tmp_path / "s.csv").exists()
