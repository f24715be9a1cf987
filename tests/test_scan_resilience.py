"""Scans that survive failures: retry then per-point isolation of a failing task, checkpoints
written atomically per chunk, --resume after SIGKILL recomputing only unfinished chunks, worker
count from the affinity mask / cgroup quota / SLURM, Dask scheduler file and dashboard."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from nuem.cli.main import main
from nuem.exceptions import InvalidParameterError
from nuem.inference import run_scan
from nuem.inference.checkpoint import ChunkStore
from nuem.inference.scan_exec import available_cpus

GRID = {"x": np.arange(12.0), "y": [0.5, 1.5]}


def _affine(cols):
    return {"f": cols["x"] * 10.0 + cols["y"]}


class FailsAt:
    """Raises for x == bad (a deterministic fault injected into one grid point)."""

    def __init__(self, bad):
        self.bad = bad

    def __call__(self, cols):
        if np.any(cols["x"] == self.bad):
            raise RuntimeError(f"injected fault at x={self.bad}")
        return _affine(cols)


class FailsOnce:
    """Raises the first time each chunk is evaluated (marker files: works across processes)."""

    def __init__(self, directory):
        self.directory = str(directory)

    def __call__(self, cols):
        marker = os.path.join(self.directory, f"seen-{cols['x'][0]}-{cols['y'][0]}")
        if not os.path.exists(marker):
            open(marker, "w").close()
            raise OSError("transient failure (first attempt)")
        return _affine(cols)


@pytest.fixture(scope="module")
def reference():
    return run_scan(GRID, _affine, executor="serial", progress=False)


# -- failures ---------------------------------------------------------------------------------
@pytest.mark.parametrize("executor", ["serial", "local"])
def test_injected_failure_reported_with_its_point_and_others_kept(executor, reference, tmp_path):
    msgs = []
    res = run_scan(GRID, FailsAt(7.0), executor=executor, workers=2, chunksize=5,
                   progress=False, log=msgs.append)
    # points 14 and 15 are x=7 (y=0.5, 1.5); every other point computed as without the fault
    assert [f["index"] for f in res.failures] == [14, 15]
    assert res.failures[0]["point"] == {"x": 7.0, "y": 0.5}
    assert "RuntimeError: injected fault at x=7.0" in res.failures[0]["error"]
    ok = res.ok_mask()
    assert ok.sum() == 22 and not res.complete
    assert np.array_equal(res.column("f")[ok], reference.column("f")[ok])
    assert np.all(np.isnan(res.column("f")[~ok]))
    assert res.meta["failed_points"] == 2 and res.meta["retried_chunks"] == 2   # [10,15), [15,20)
    assert any("retrying" in m for m in msgs) and any("one by one" in m for m in msgs)
    # the written table holds the computed points only; JSON lists the failures
    csv_text = res.write(tmp_path / "t.csv").read_text().splitlines()
    assert len(csv_text) == 1 + 22 and not any(line.startswith("7.0,") for line in csv_text)
    obj = json.loads(res.write(tmp_path / "t.json").read_text())
    assert [f["index"] for f in obj["failures"]] == [14, 15] and len(obj["rows"]) == 22
    assert res.best("f") == {"x": 0.0, "y": 0.5, "f": 0.5}


@pytest.mark.parametrize("executor", ["serial", "local"])
def test_transient_failure_is_retried_once(executor, reference, tmp_path):
    res = run_scan(GRID, FailsOnce(tmp_path), executor=executor, workers=2, chunksize=8,
                   progress=False)
    assert res.complete and res.meta["retried_chunks"] == 3          # every chunk failed once
    assert np.array_equal(res.column("f"), reference.column("f"))


def test_nothing_computed_raises_the_error():
    with pytest.raises(RuntimeError, match="injected"):
        run_scan({"x": [7.0], "y": [0.0]}, FailsAt(7.0), executor="serial", progress=False)


def test_dask_failure_reported_and_others_kept(reference):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster, \
            distributed.Client(cluster) as client:
        res = run_scan(GRID, FailsAt(3.0), executor=client, chunksize=4, progress=False)
    assert [f["index"] for f in res.failures] == [6, 7]
    ok = res.ok_mask()
    assert np.array_equal(res.column("f")[ok], reference.column("f")[ok])


# -- checkpoints ------------------------------------------------------------------------------
def test_resume_computes_only_missing_points(reference, tmp_path):
    ck = tmp_path / "ck"
    store = ChunkStore(ck, {"grid": {"x": GRID["x"].tolist(), "y": GRID["y"]},
                            "function": f"{__name__}._affine"}, 24)
    part = run_scan({"x": GRID["x"][:4], "y": GRID["y"]}, _affine, executor="serial",
                    progress=False)
    store.save(0, 8, {"f": part.column("f")})
    res = run_scan(GRID, _affine, executor="serial", chunksize=5, progress=False,
                   checkpoint=ck, resume=True)
    assert res.meta["points_from_checkpoint"] == 8 and res.meta["points_computed"] == 16
    assert np.array_equal(res.column("f"), reference.column("f"))
    assert not ck.exists()                           # complete: the checkpoint is removed


def test_checkpoint_refuses_a_different_scan_and_an_existing_directory(tmp_path):
    ck = tmp_path / "ck"
    res = run_scan(GRID, FailsAt(5.0), executor="serial", chunksize=6, progress=False,
                   checkpoint=ck)
    assert not res.complete and (ck / "failures.json").exists()     # kept for --resume
    with pytest.raises(InvalidParameterError, match="add --resume"):
        run_scan(GRID, FailsAt(5.0), executor="serial", progress=False, checkpoint=ck)
    with pytest.raises(InvalidParameterError, match="'grid.x' differs"):
        run_scan({"x": np.arange(13.0), "y": [0.5, 1.5]}, FailsAt(5.0), executor="serial",
                 progress=False, checkpoint=ck, resume=True)
    # resuming retries exactly the two failed points (still failing, then fixed)
    res2 = run_scan(GRID, FailsAt(5.0), executor="serial", progress=False, checkpoint=ck,
                    resume=True)
    assert res2.meta["points_from_checkpoint"] == 22 and res2.meta["failed_points"] == 2
    res3 = run_scan(GRID, FailsAt(99.0), executor="serial", progress=False, checkpoint=ck,
                    resume=True)
    assert res3.complete and res3.meta["points_computed"] == 2 and not ck.exists()
    with pytest.raises(InvalidParameterError, match="no checkpoint"):
        run_scan(GRID, _affine, executor="serial", checkpoint=tmp_path / "none", resume=True)
    with pytest.raises(InvalidParameterError, match="checkpoint"):
        run_scan(GRID, _affine, executor="serial", resume=True)


_SCAN = ["scan", "--method", "toys", "--n-toys", "20000", "--background-cpkkd",
         *[f"{b:g}" for b in np.geomspace(0.1, 10, 12)], "--exposure-kg-day", "300", "3000",
         "--executor", "serial", "--chunksize", "1", "--no-progress"]


@pytest.mark.slow
def test_sigkill_then_resume_gives_the_uninterrupted_result(tmp_path):
    out = tmp_path / "killed.csv"
    parts = tmp_path / "killed.csv.parts"
    proc = subprocess.Popen([sys.executable, "-m", "nuem", *_SCAN, "--out", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if parts.is_dir() and len(list(parts.glob("chunk-*.npz"))) >= 3:
                break
            if proc.poll() is not None:
                pytest.fail("the scan finished before it could be killed; make it longer")
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert not out.exists()                       # killed before the table was written
    n_done = len(list(parts.glob("chunk-*.npz")))
    assert 3 <= n_done < 24
    assert not list(parts.glob("*.tmp"))          # atomic: no half-written chunk left behind
    rc = main([*_SCAN, "--out", str(out), "--resume", "--json"])
    assert rc == 0
    assert main([*_SCAN, "--out", str(tmp_path / "ref.csv")]) == 0
    assert out.read_bytes() == (tmp_path / "ref.csv").read_bytes()
    assert not parts.exists()


def test_cli_resume_counts_and_exit_status(tmp_path, capsys):
    out = tmp_path / "s.csv"
    args = ["scan", "--background-cpkkd", "1", "10", "--executor", "serial", "--no-progress",
            "--out", str(out), "--json"]
    assert main(args) == 0
    first = json.loads(capsys.readouterr().out)
    assert first["meta"]["points_computed"] == 2 and not (tmp_path / "s.csv.parts").exists()
    assert main([*args, "--resume"]) == 2             # nothing to resume any more
    assert "no checkpoint" in capsys.readouterr().err


# -- worker count -----------------------------------------------------------------------------
def test_available_cpus_respects_slurm_and_cgroup(tmp_path):
    base = available_cpus(environ={}, cgroup_root=tmp_path / "none")
    assert base >= 1
    assert available_cpus(environ={"SLURM_CPUS_PER_TASK": "1"}, cgroup_root=tmp_path) == 1
    (tmp_path / "cpu.max").write_text("100000 100000\n")           # one CPU of quota
    assert available_cpus(environ={}, cgroup_root=tmp_path) == 1
    (tmp_path / "cpu.max").write_text("max 100000\n")              # no quota
    assert available_cpus(environ={}, cgroup_root=tmp_path) == base
    v1 = tmp_path / "v1"
    (v1 / "cpu").mkdir(parents=True)
    (v1 / "cpu" / "cpu.cfs_quota_us").write_text("50000\n")         # half a CPU -> 1
    (v1 / "cpu" / "cpu.cfs_period_us").write_text("100000\n")
    assert available_cpus(environ={}, cgroup_root=v1) == 1


# -- Dask cluster from a scheduler file ---------------------------------------------------------
def test_dask_scheduler_file_and_dashboard(reference, tmp_path):
    distributed = pytest.importorskip("distributed")
    sched = tmp_path / "scheduler.json"
    msgs = []
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster, \
            distributed.Client(cluster) as client:
        client.write_scheduler_file(str(sched))
        res = run_scan(GRID, _affine, executor="dask", scheduler_file=sched, progress=False,
                       log=msgs.append)
    assert res.meta["executor"] == "dask" and res.meta["workers"] == 2
    assert np.array_equal(res.column("f"), reference.column("f"))
    assert any(m.startswith("dask dashboard: http") for m in msgs)
    with pytest.raises(InvalidParameterError, match="not both"):
        run_scan(GRID, _affine, executor="dask", scheduler_file=sched, dask_address="tcp://x:1")
