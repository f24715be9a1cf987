"""A SLURM batch script that runs ``nuem scan`` on a Dask cluster made of the job's own nodes.

The script starts one Dask scheduler (writing a scheduler file), one Dask worker process per
allocated CPU on every node (``srun``; single-threaded workers, as the scans are numpy-bound),
waits for the scheduler file, and runs ``nuem scan ... --scheduler-file FILE``. The scan's
checkpoint lives next to ``--out``; when the job is resubmitted (e.g. after hitting the time
limit) the script adds ``--resume`` by itself, so only unfinished chunks are computed. Nothing
here needs ``dask-jobqueue``: that package is the alternative where the client stays on a login
node (docs/scan.md).

Examples
--------
>>> text = slurm_job_script(["--method", "toys", "--n-toys", "10000"], out="scan.csv",
...                         nodes=2, cpus_per_task=16, time="02:00:00")
>>> print(text.splitlines()[0]); "#SBATCH --nodes=2" in text
#!/bin/bash
True
>>> "--scheduler-file" in text and "--out scan.csv" in text
True
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Sequence

from ..exceptions import InvalidParameterError

__all__ = ["slurm_job_script"]

_TIME = re.compile(r"^(\d+-)?\d{1,2}(:\d{2}){0,2}$")


def _positive_int(value, name: str) -> int:
    if int(value) != value or value < 1:
        raise InvalidParameterError(f"{name}={value!r} must be an integer >= 1")
    return int(value)


def slurm_job_script(scan_args: Sequence[str], *, out: str, nodes: int = 1,
                     cpus_per_task: int = 8, time: str = "01:00:00",
                     job_name: str = "nuem-scan", partition: str | None = None,
                     account: str | None = None, mem_per_cpu: str | None = None,
                     setup: Sequence[str] = (), python: str = "python") -> str:
    """Text of an ``sbatch`` script running ``nuem scan`` on the job's nodes (module docstring).

    Parameters
    ----------
    scan_args : sequence of str
        Options of ``nuem scan`` (grid, model, ``--method toys`` ...), without ``--out``,
        ``--executor``, ``--scheduler-file`` or ``--resume`` (the script sets them).
    out : str
        Output table (``.csv``, ``.json`` or ``.parquet``); its checkpoint is ``OUT.parts``.
    nodes, cpus_per_task : int
        Nodes, and CPUs (= Dask worker processes) per node.
    time : str
        Wall-time limit, SLURM format (``MM``, ``HH:MM:SS``, ``D-HH:MM:SS`` ...).
    job_name, partition, account, mem_per_cpu : str, optional
        The matching ``#SBATCH`` options (``mem_per_cpu`` like ``"2G"``).
    setup : sequence of str
        Shell lines run first (``module load ...``, ``source venv/bin/activate``).
    python : str
        Python interpreter with nuem and ``dask[distributed]`` installed.

    Returns
    -------
    str
    """
    nodes = _positive_int(nodes, "nodes")
    cpus_per_task = _positive_int(cpus_per_task, "cpus_per_task")
    if not _TIME.match(str(time)):
        raise InvalidParameterError(f"time={time!r} is not a SLURM time (e.g. '02:00:00' or "
                                    "'1-00:00:00')")
    reserved = {"--out", "--executor", "--scheduler-file", "--dask-address", "--resume",
                "--checkpoint"}
    clash = sorted(reserved & {a.split("=", 1)[0] for a in scan_args})
    if clash:
        raise InvalidParameterError(f"scan_args must not contain {clash[0]}: the job script "
                                    "sets it")
    for name, value in (("job_name", job_name), ("partition", partition), ("account", account),
                        ("mem_per_cpu", mem_per_cpu)):
        if value is not None and not re.fullmatch(r"[A-Za-z0-9_.:+-]+", str(value)):
            raise InvalidParameterError(f"{name}={value!r}: use letters, digits and _.:+- only")
    lines = ["#!/bin/bash", f"#SBATCH --job-name={job_name}", f"#SBATCH --nodes={nodes}",
             "#SBATCH --ntasks-per-node=1", f"#SBATCH --cpus-per-task={cpus_per_task}",
             f"#SBATCH --time={time}"]
    lines += [f"#SBATCH --{k}={v}" for k, v in (("partition", partition), ("account", account),
                                                ("mem-per-cpu", mem_per_cpu)) if v is not None]
    py = shlex.quote(python)
    q_out = shlex.quote(out)
    scan = " ".join(shlex.quote(a) for a in scan_args)
    lines += ["set -uo pipefail", *setup,
              'SCHED="$PWD/nuem-dask-scheduler-$SLURM_JOB_ID.json"',
              "# one Dask scheduler on this node, writing its address to $SCHED",
              f'{py} -m distributed.cli.dask_scheduler --scheduler-file "$SCHED" '
              "--dashboard-address :0 &",
              "SCHED_PID=$!",
              "# one single-threaded worker process per allocated CPU on every node",
              f'srun --ntasks="$SLURM_JOB_NUM_NODES" --ntasks-per-node=1 {py} -m '
              'distributed.cli.dask_worker --scheduler-file "$SCHED" '
              '--nworkers "$SLURM_CPUS_PER_TASK" --nthreads 1 &',
              "WORKERS_PID=$!",
              'for _ in $(seq 120); do [ -s "$SCHED" ] && break; sleep 1; done',
              f"RESUME=(); if [ -d {shlex.quote(out + '.parts')} ]; then RESUME=(--resume); fi",
              "STATUS=0",
              f'{py} -m nuem scan {scan} --out {q_out} --scheduler-file "$SCHED" '
              '--no-progress "${RESUME[@]}" || STATUS=$?',
              'kill "$WORKERS_PID" "$SCHED_PID" 2>/dev/null || true',
              'exit "$STATUS"']
    return "\n".join(lines) + "\n"
