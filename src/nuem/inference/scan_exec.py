r"""Executors of scans: in-process, local processes, or a Dask cluster; the worker count of the
machine (SLURM- and cgroup-aware).

:func:`available_cpus` is the number of CPUs this process may use: the smallest of the CPU
affinity mask (``os.sched_getaffinity``), the cgroup CPU quota (v2 ``cpu.max``, v1
``cpu.cfs_quota_us`` / ``cpu.cfs_period_us``, rounded up) and ``SLURM_CPUS_PER_TASK``; it is the
default number of local workers. :func:`open_executor` turns an executor spec into
``(executor, closer, label, workers, is_distributed)``; a Dask client is created on a new
``LocalCluster``, from ``scheduler_file`` (``dask scheduler --scheduler-file``, as written by
``dask-jobqueue``/``dask-mpi``) or at ``dask_address``, and its dashboard address is reported
through ``log``.

Examples
--------
>>> n = available_cpus()
>>> isinstance(n, int) and n >= 1
True
>>> _cgroup_v2_cpus("150000 100000"), _cgroup_v2_cpus("max 100000")
(2, None)
"""

from __future__ import annotations

import math
import os
from concurrent.futures import Executor, Future
from pathlib import Path

from ..exceptions import InvalidParameterError

__all__ = ["EXECUTORS", "available_cpus", "open_executor", "local_dask_cluster"]

#: Executor names accepted by :func:`nuem.inference.run_scan` (or an Executor / dask Client).
EXECUTORS = ("local", "dask", "serial")

_CGROUP = Path("/sys/fs/cgroup")


def _cgroup_v2_cpus(text: str) -> int | None:
    """CPUs from a cgroup v2 ``cpu.max`` line ("QUOTA PERIOD" or "max PERIOD")."""
    parts = text.split()
    if len(parts) != 2 or parts[0] == "max":
        return None
    try:
        quota, period = float(parts[0]), float(parts[1])
    except ValueError:
        return None
    return max(1, math.ceil(quota / period)) if quota > 0 and period > 0 else None


def _cgroup_cpus(root: Path = _CGROUP) -> int | None:
    """The CPU quota of this process's cgroup (v2, else v1), or None without a quota."""
    try:
        v2 = root / "cpu.max"
        if v2.is_file():
            return _cgroup_v2_cpus(v2.read_text())
        quota = root / "cpu" / "cpu.cfs_quota_us"
        period = root / "cpu" / "cpu.cfs_period_us"
        if quota.is_file() and period.is_file():
            q, p = int(quota.read_text()), int(period.read_text())
            return max(1, math.ceil(q / p)) if q > 0 and p > 0 else None
    except (OSError, ValueError):
        return None
    return None


def available_cpus(environ=None, cgroup_root: Path = _CGROUP) -> int:
    """CPUs this process may use: min(affinity mask, cgroup quota, ``SLURM_CPUS_PER_TASK``).

    ``os.cpu_count()`` counts the machine's CPUs, which over-subscribes a SLURM allocation or a
    container with a CPU quota. Returns at least 1.
    """
    environ = os.environ if environ is None else environ
    counts = []
    try:
        counts.append(len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        counts.append(os.cpu_count() or 1)
    cg = _cgroup_cpus(cgroup_root)
    if cg:
        counts.append(cg)
    slurm = environ.get("SLURM_CPUS_PER_TASK", "")
    if slurm.strip().isdigit() and int(slurm) > 0:
        counts.append(int(slurm))
    return max(1, min(counts))


class SerialExecutor(Executor):
    """In-process executor (debugging, doctests, tiny grids)."""

    def submit(self, fn, /, *args, **kwargs):
        fut: Future = Future()
        try:
            fut.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - delivered through the future
            fut.set_exception(exc)
        return fut


def _ignore_interrupts() -> None:
    """Worker initializer: Ctrl-C reaches the whole process group, but only the parent acts on
    it (it cancels the pending chunks); workers never print a KeyboardInterrupt traceback."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


#: Dask settings of nuem's own local clusters. The workers' statistical profiler samples every
#: task thread (CPU and GIL): off. Dask's nanny sets ``MALLOC_TRIM_THRESHOLD_=65536`` in each
#: worker (to hand freed memory back to the OS at once); setting any glibc malloc threshold also
#: turns off glibc's dynamic mmap threshold, so every numpy array above 128 kB (a block of toys)
#: becomes a fresh ``mmap`` whose pages fault in again: ~25 % more CPU per toy task than the same
#: code in a plain process. nuem's clusters keep glibc's defaults (no variable set).
DASK_LOCAL_CONFIG = {"distributed.worker.profile.enabled": False,
                     "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}


def local_dask_cluster(n_workers: int | None = None, **kwargs):
    """A ``dask.distributed.LocalCluster`` of ``n_workers`` (default :func:`available_cpus`)
    single-threaded worker processes with :data:`DASK_LOCAL_CONFIG`; ``kwargs`` go to
    ``LocalCluster``. The nanny writes its variables for the workers into this process's
    ``os.environ``; they are removed again, so that later subprocesses do not inherit them."""
    import dask
    from dask.distributed import LocalCluster

    saved = dict(os.environ)
    try:
        with dask.config.set(DASK_LOCAL_CONFIG):
            return LocalCluster(**{"n_workers": n_workers or available_cpus(),
                                   "threads_per_worker": 1, "processes": True,
                                   "dashboard_address": ":0", **kwargs})
    finally:
        for key in set(os.environ) - set(saved):
            del os.environ[key]
        os.environ.update({k: v for k, v in saved.items() if os.environ.get(k) != v})


def _dask_client(workers, dask_address, scheduler_file, log):
    try:
        from dask.distributed import Client
    except ImportError as exc:
        raise InvalidParameterError(
            'executor="dask" needs dask.distributed (pip install "nuem[dask]")') from exc
    if dask_address and scheduler_file:
        raise InvalidParameterError("give either dask_address or scheduler_file, not both")
    cluster = None
    if scheduler_file:
        if not Path(scheduler_file).is_file():
            raise InvalidParameterError(f"scheduler_file={str(scheduler_file)!r} does not exist "
                                        "(written by 'dask scheduler --scheduler-file FILE')")
        client = Client(scheduler_file=str(scheduler_file))
    elif dask_address:
        client = Client(dask_address)
    else:
        cluster = local_dask_cluster(workers)
        client = Client(cluster)
    _report_dashboard(client, log)

    def close():
        client.close()
        if cluster is not None:
            cluster.close()

    return client, close


def _report_dashboard(client, log) -> None:
    link = getattr(client, "dashboard_link", None)
    if log is not None and link:
        log(f"dask dashboard: {link}")


def dask_workers(client) -> int:
    """Worker threads of a Dask cluster (sum of each worker's ``nthreads``; >= 1)."""
    info = client.scheduler_info().get("workers", {})
    return max(1, sum(int(w.get("nthreads", 1)) for w in info.values()))


def open_executor(executor, workers: int | None = None, dask_address: str | None = None,
                  scheduler_file=None, log=None):
    """``(executor, closer, label, n_workers, distributed)`` for an executor spec.

    ``distributed`` is True where tasks run in other processes (arguments are pickled): then the
    scan ships the function as bytes and each worker process unpickles it once. Dask tasks are
    submitted as impure (``pure=False``): a resubmitted chunk is a new task.
    """
    if workers is not None and (int(workers) != workers or workers < 1):
        raise InvalidParameterError(f"workers={workers!r} must be an integer >= 1")
    if isinstance(executor, str):
        if executor == "serial":
            return SerialExecutor(), None, "serial", 1, False
        if executor == "local":
            from concurrent.futures import ProcessPoolExecutor

            n = workers or available_cpus()
            ex = ProcessPoolExecutor(max_workers=n, initializer=_ignore_interrupts)

            def shutdown():  # after an interruption: drop the chunks not yet started
                ex.shutdown(wait=True, cancel_futures=True)

            return ex, shutdown, "local", n, True
        if executor == "dask":
            client, close = _dask_client(workers, dask_address, scheduler_file, log)
            return client.get_executor(pure=False), close, "dask", dask_workers(client), True
        raise InvalidParameterError(f"executor={executor!r} is not known; allowed: "
                                    f"{', '.join(EXECUTORS)} or an Executor instance")
    if hasattr(executor, "get_executor") and hasattr(executor, "scheduler_info"):  # dask Client
        _report_dashboard(executor, log)
        return executor.get_executor(pure=False), None, "dask", dask_workers(executor), True
    if hasattr(executor, "submit"):
        from concurrent.futures import ProcessPoolExecutor

        n = workers or getattr(executor, "_max_workers", None) or available_cpus()
        return executor, None, type(executor).__name__, n, \
            isinstance(executor, ProcessPoolExecutor)
    raise InvalidParameterError(f"executor={executor!r} is neither a name ({', '.join(EXECUTORS)})"
                                " nor an object with a submit() method")
