"""Draw a report's figures: in this process, or on worker processes forked from it.

A figure is a *job*: a callable without arguments that draws the figure, writes its files and
returns their names. :func:`render_figures` runs the jobs one after the other, or, with
``workers > 1``, draws the first figure here (so that matplotlib's imports, its font lookups
and its mathtext grammar are done once, before the fork, and shared by every worker) and the
others on up to ``workers`` processes forked from this one. The files are the same either way
(the figures are drawn by the same code from the same numbers; ``tests/test_report_render.py``
compares them byte for byte); only the wall time changes: the six figures of a germanium report
take about 1 s of CPU, three times the computation of its spectra and limits.

Workers are forked (the jobs are closures over the report's arrays and are never pickled), so
they run only where forking is safe: on Linux, and when this process has no other thread,
Python's or native (a forked child inherits only the calling thread; a lock held by another
thread would stay locked in the child forever; the ``nuem`` command runs BLAS on one thread)
-- otherwise the figures are drawn here, one after the other.
Ctrl-C reaches the whole process group; the workers ignore it and the parent stops them.

Examples
--------
>>> render_figures({"a": lambda: ["a.png"], "b": lambda: ["b.png"]})
{'a': ['a.png'], 'b': ['b.png']}
>>> figure_workers(1, 6), figure_workers(16, 6) <= 5
(1, True)
"""

from __future__ import annotations

import gc
import sys
import threading

from ..exceptions import InvalidParameterError

__all__ = ["render_figures", "figure_workers", "check_workers", "can_fork_workers"]

#: The jobs of this worker process, set by :func:`_worker_init` in forked workers only (the
#: parent never writes it).
_WORKER_JOBS: dict = {}


def _os_threads(status: str = "/proc/self/status") -> int | None:
    """Threads of this process as the kernel counts them (Python's and native ones, e.g. a
    multi-threaded BLAS), from the ``Threads:`` line of ``/proc/self/status``; None if
    unreadable."""
    try:
        with open(status, encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Threads:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return None


def can_fork_workers() -> bool:
    """True when figure workers can be forked safely: Linux with the ``fork`` start method,
    and no other thread in this process, Python's or native (see the module docstring)."""
    import multiprocessing

    return (sys.platform.startswith("linux")
            and "fork" in multiprocessing.get_all_start_methods()
            and threading.active_count() == 1 and _os_threads() == 1)


def check_workers(workers):
    """``workers`` if it is None or a whole number >= 1, else an
    :class:`~nuem.exceptions.InvalidParameterError` naming it."""
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int)
                                or workers < 1):
        raise InvalidParameterError(f"workers={workers!r}: allowed: a whole number >= 1 "
                                    "(1 draws every figure in this process)")
    return workers


def figure_workers(workers, n_figures: int) -> int:
    """Worker processes for ``n_figures`` figures: ``workers`` (``None``: the CPUs available to
    this process, :func:`nuem.inference.available_cpus`), at most one per figure after the
    first (drawn here), and 1 (no workers) where they cannot be forked safely."""
    if check_workers(workers) is None:
        from ..inference import available_cpus

        workers = available_cpus()
    n = min(workers, n_figures - 1)
    return n if n > 1 and can_fork_workers() else 1


def _worker_init(jobs: dict) -> None:
    """Start of a forked worker: Ctrl-C is the parent's to handle; SIGTERM ends the worker
    (the parent's handler would raise an exception in the middle of a figure); the jobs."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _WORKER_JOBS.update(jobs)


def _run(name: str):
    return _WORKER_JOBS[name]()


def render_figures(jobs: dict, workers: int = 1, done=None) -> dict:
    """Run every job of ``jobs`` (name -> callable returning the names of the files written);
    returns {name: its result} in the order of ``jobs``.

    ``workers``: 1 runs them here, one after the other; ``n > 1`` draws the first here and the
    others on ``n`` forked worker processes (:func:`figure_workers` says how many can be used).
    ``done(name)`` is called as each figure is finished. An exception of a job is raised here
    (from a worker: with the worker's traceback as its cause), after the running figures have
    finished and the others were cancelled.
    """
    names = list(jobs)
    results = {}

    def finished(name, files):
        results[name] = files
        if done is not None:
            done(name)

    n = min(int(workers), len(names) - 1)
    if n <= 1 or not can_fork_workers():
        for name in names:
            finished(name, jobs[name]())
        return results
    finished(names[0], jobs[names[0]]())   # warm: imports, fonts, mathtext grammar
    sys.stdout.flush()                      # nothing buffered is written twice by a worker
    sys.stderr.flush()
    rest = {name: jobs[name] for name in names[1:]}
    gc.freeze()   # the collector of a worker never visits (and copies) the inherited objects
    try:
        _in_workers(rest, n, finished)
    finally:
        gc.unfreeze()
    return {name: results[name] for name in names}


def _in_workers(rest: dict, n: int, finished) -> None:
    """Run the jobs ``rest`` on ``n`` forked workers; ``finished(name, files)`` as each ends."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    with ProcessPoolExecutor(max_workers=n, mp_context=multiprocessing.get_context("fork"),
                             initializer=_worker_init, initargs=(rest,)) as pool:
        futures = {pool.submit(_run, name): name for name in rest}
        try:
            for fut in as_completed(futures):
                finished(futures[fut], fut.result())
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
