"""The SLURM job script of docs/scan.md: generated as text, valid bash, its #SBATCH header as
asked, and -- with a stand-in ``srun`` and the SLURM variables set -- it starts a Dask scheduler
and workers and runs the scan to the same table as a serial run; resubmitted, it resumes."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys

import pytest

from nuem.cli.main import main
from nuem.exceptions import InvalidParameterError
from nuem.inference.slurm import slurm_job_script

SCAN = ["--method", "toys", "--n-toys", "200", "--background-cpkkd", "0.5", "5",
        "--exposure-kg-day", "100", "1000"]


def test_header_and_commands():
    text = slurm_job_script(SCAN, out="res dir/scan.csv", nodes=3, cpus_per_task=32,
                            time="1-12:00:00", partition="long", account="nu-em",
                            mem_per_cpu="2G", setup=["module load python/3.11"])
    lines = text.splitlines()
    assert lines[0] == "#!/bin/bash"
    header = [ln for ln in lines if ln.startswith("#SBATCH")]
    assert header == ["#SBATCH --job-name=nuem-scan", "#SBATCH --nodes=3",
                      "#SBATCH --ntasks-per-node=1", "#SBATCH --cpus-per-task=32",
                      "#SBATCH --time=1-12:00:00", "#SBATCH --partition=long",
                      "#SBATCH --account=nu-em", "#SBATCH --mem-per-cpu=2G"]
    assert lines.index(header[-1]) == len(header)          # directives before any command
    assert "module load python/3.11" in lines
    assert "--out 'res dir/scan.csv'" in text                # shell-quoted
    assert "--nthreads 1" in text and "--scheduler-file" in text
    bash = shutil.which("bash")
    if bash:
        subprocess.run([bash, "-n"], input=text, text=True, check=True)   # syntax


@pytest.mark.parametrize("kw, word", [({"nodes": 0}, "nodes"), ({"time": "2h"}, "time"),
                                      ({"partition": "a b"}, "partition"),
                                      ({"scan_args": ["--resume"]}, "--resume")])
def test_bad_input(kw, word):
    args = {"scan_args": SCAN, "out": "s.csv", **kw}
    with pytest.raises(InvalidParameterError, match=word):
        slurm_job_script(args.pop("scan_args"), **args)


def test_dask_jobqueue_recipe_builds_its_script():
    jobqueue = pytest.importorskip("dask_jobqueue")
    cluster = jobqueue.SLURMCluster(cores=16, processes=16, memory="32GB", walltime="02:00:00",
                                    job_extra_directives=["--cpus-per-task=16"])
    try:
        script = cluster.job_script()
    finally:
        cluster.close()
    assert script.startswith("#!/usr/bin/env bash") and "--nworkers 16" in script


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux") or shutil.which("bash") is None,
                    reason="needs bash on Linux")
def test_job_script_runs_with_a_stand_in_srun(tmp_path, capsys):
    pytest.importorskip("distributed")
    bindir = tmp_path / "bin"
    bindir.mkdir()
    srun = bindir / "srun"
    srun.write_text('#!/bin/bash\nwhile [[ "$1" == --* ]]; do shift; done\nexec "$@"\n')
    srun.chmod(srun.stat().st_mode | stat.S_IEXEC)
    work = tmp_path / "work"
    work.mkdir()
    script = tmp_path / "job.sh"
    script.write_text(slurm_job_script(SCAN, out="scan.csv", cpus_per_task=2,
                                       python=sys.executable))
    env = {**os.environ, "PATH": f"{bindir}{os.pathsep}{os.environ['PATH']}",
           "SLURM_JOB_ID": "4242", "SLURM_JOB_NUM_NODES": "1", "SLURM_CPUS_PER_TASK": "2"}
    run = subprocess.run(["bash", str(script)], cwd=work, env=env, capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "dask dashboard" in run.stderr
    assert main(["scan", *SCAN, "--executor", "serial", "--no-progress",
                 "--out", str(tmp_path / "ref.csv")]) == 0
    capsys.readouterr()
    assert (work / "scan.csv").read_bytes() == (tmp_path / "ref.csv").read_bytes()
    assert not (work / "scan.csv.parts").exists()
