"""The Python examples of docs/scan.md run as written (the dask-jobqueue recipe needs a SLURM
cluster: only its job script is checked, in tests/test_scan_slurm.py)."""

import pytest
from doc_examples import python_blocks, run_block

BLOCKS = python_blocks("scan.md")


def test_doc_has_examples():
    assert len(BLOCKS) == 3


@pytest.mark.parametrize("i", range(len(BLOCKS)))
def test_doc_example_runs(i):
    if "SLURMCluster" in BLOCKS[i]:
        pytest.skip("needs a SLURM cluster")
    run_block("scan.md", BLOCKS, i)
