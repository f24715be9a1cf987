"""Benchmark: everyday CLI costs as ratios measured in one run (the machine is shared and noisy,
so every command is timed several times, interleaved, and medians are reported).

Ratios are of median CPU time (user + system of the process and of its waited-for children;
wall times are printed too, but on a shared machine they measure the other jobs as much as
nuem). Targets: ``nuem --help`` <= 2x and ``nuem flux --power-gw 2.9 --distance-m 28 --json``
<= 3x the time of ``python -c "import numpy"``; ``nuem report --experiment texono-hpge`` at
least 2x faster than a baseline revision (``--baseline-rev``, default the commit before these
changes, extracted with ``git archive`` into a temporary directory and run with
``PYTHONPATH``). The report is timed twice: as the command runs by default (figures drawn on
worker processes: the wall time is what the user waits for, the CPU time adds the workers'
work) and with ``--workers 1`` (everything in one process: the CPU-time ratio is the measure
of the work saved, independent of how many CPUs are free). Both trees are byte-compiled first
(``compileall``), so that modules load from bytecode as in an installed package even when
``PYTHONDONTWRITEBYTECODE`` is set (otherwise each run compiles every module again: ~0.1 s).

Run from the repository root::

    python benchmarks/bench_cli.py [--repeat 7] [--report-repeat 3] [--baseline-rev aac4901]
                                   [--no-report]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLUX = ["flux", "--power-gw", "2.9", "--distance-m", "28", "--json"]


def _timed(cmd, env=None) -> tuple[float, float]:
    """(wall, CPU = user + system) seconds of one run of ``cmd`` (CPU time is far less
    sensitive than wall time to other jobs on a shared machine)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed with status {proc.returncode}")
    return wall, usage.ru_utime + usage.ru_stime


def _series(cmds: dict, repeat: int) -> dict:
    times = {k: [] for k in cmds}
    for _ in range(repeat):
        for k, (cmd, env) in cmds.items():
            times[k].append(_timed(cmd, env))
    return times


def _line(name, ts, ref=None):
    wall = statistics.median(w for w, _ in ts)
    cpu = statistics.median(c for _, c in ts)
    extra = ""
    if ref is not None:
        extra = (f"   ratio wall {wall / statistics.median(w for w, _ in ref):5.2f}x, "
                 f"CPU {cpu / statistics.median(c for _, c in ref):5.2f}x")
    return f"  {name:<28} wall {wall:6.3f} s  CPU {cpu:6.3f} s (medians){extra}"


def _ratio(ts, ref) -> float:
    """Median-CPU ratio (the acceptance measure)."""
    return statistics.median(c for _, c in ts) / statistics.median(c for _, c in ref)


def _baseline_tree(rev: str, into: Path) -> Path:
    into.mkdir(parents=True, exist_ok=True)
    tar = into / "src.tar"
    with open(tar, "wb") as fh:
        subprocess.run(["git", "-C", str(ROOT), "archive", rev, "src"], check=True, stdout=fh)
    with tarfile.open(tar) as tf:
        tf.extractall(into, filter="data")
    return into / "src"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--report-repeat", type=int, default=3)
    ap.add_argument("--baseline-rev", default="aac4901",
                    help="git revision whose 'nuem report' is the reference (default aac4901)")
    ap.add_argument("--no-report", action="store_true")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT / "src"))
    from nuem.inference import available_cpus

    py = sys.executable
    subprocess.run([py, "-m", "compileall", "-q", str(ROOT / "src")], check=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    cmds = {"python -c 'import numpy'": ([py, "-c", "import numpy"], env),
            "nuem --help": ([py, "-m", "nuem", "--help"], env),
            "nuem flux ... --json": ([py, "-m", "nuem", *FLUX], env)}
    _series(cmds, 1)                                           # warm the file cache
    t = _series(cmds, args.repeat)
    ref = t["python -c 'import numpy'"]
    print(f"Everyday commands ({args.repeat} interleaved runs each; load average "
          f"{os.getloadavg()[0]:.2f}):")
    print(_line("python -c 'import numpy'", ref))
    for name, target in (("nuem --help", 2.0), ("nuem flux ... --json", 3.0)):
        ratio = _ratio(t[name], ref)
        print(_line(name, t[name], ref) + f"   target <= {target:g}x: "
              f"{'OK' if ratio <= target else 'SLOW'}")
    if args.no_report:
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        base_src = _baseline_tree(args.baseline_rev, tmp / "base")
        subprocess.run([py, "-m", "compileall", "-q", str(base_src)], check=True)
        out = tmp / "report"
        rep = ["-m", "nuem", "report", "--experiment", "texono-hpge", "--out", str(out),
               "--force", "--quiet"]
        cmds = {"report (this tree)": ([py, *rep], env),
                "report --workers 1": ([py, *rep, "--workers", "1"], env),
                f"report ({args.baseline_rev})": ([py, *rep],
                                                  {**os.environ, "PYTHONPATH": str(base_src)})}
        _series(cmds, 1)
        t = _series(cmds, args.report_repeat)
    old = t[f"report ({args.baseline_rev})"]
    print(f"nuem report --experiment texono-hpge ({args.report_repeat} interleaved runs each; "
          f"{available_cpus()} CPUs available):")
    print(_line(f"baseline {args.baseline_rev}", old))
    for name, what in (("report (this tree)", "default (figure workers)"),
                       ("report --workers 1", "--workers 1 (one process)")):
        new = t[name]
        cpu = _ratio(old, new)
        wall = statistics.median(w for w, _ in old) / statistics.median(w for w, _ in new)
        verdict = (f"target >= 2x faster (wall, the command as run): "
                   f"{'OK' if wall >= 2.0 else 'SLOW'}" if name == "report (this tree)" else
                   "for reference: the work saved in one process (CPU), no parallelism")
        print(_line(what, new) + f"   speed-up wall {wall:.2f}x, CPU {cpu:.2f}x; {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
