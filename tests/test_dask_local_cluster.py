"""nuem's own Dask LocalCluster: workers keep glibc's default malloc thresholds (Dask's nanny
would set MALLOC_TRIM_THRESHOLD_=65536, which turns off glibc's dynamic mmap threshold and costs
the toy tasks ~25 % more CPU through page faults), the statistical profiler is off, and the
nanny's variables do not stay behind in this process's environment."""

from __future__ import annotations

import os

import pytest

distributed = pytest.importorskip("distributed")


def _worker_state():
    import dask

    return (os.environ.get("MALLOC_TRIM_THRESHOLD_"),
            dask.config.get("distributed.worker.profile.enabled"))


def test_local_cluster_keeps_malloc_defaults_and_environment(monkeypatch):
    from nuem.inference.scan_exec import local_dask_cluster

    monkeypatch.delenv("MALLOC_TRIM_THRESHOLD_", raising=False)
    before = dict(os.environ)
    with local_dask_cluster(1) as cluster, distributed.Client(cluster) as client:
        assert os.environ == before                  # nothing left behind by the nanny
        (trim, profile), = client.run(_worker_state).values()
    assert trim is None and profile is False
    # Dask's default, for contrast: the nanny sets the variable in the workers
    import dask

    assert dask.config.get("distributed.nanny.pre-spawn-environ")["MALLOC_TRIM_THRESHOLD_"]
