"""The Python examples of docs/scan.md run as written (the dask-jobqueue recipe needs a SLURM
cluster: only its job script is checked, in tests/test_scan_slurm.py)."""

import pathlib
import re

import pytest

DOC = pathlib.Path(__file__).resolve().parents[1] / "docs" / "scan.md"
BLOCKS = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


def test_doc_has_examples():
    assert len(BLOCKS) == 3


@pytest.mark.parametrize("i", range(len(BLOCKS)))
def test_doc_example_runs(i):
    if "SLURMCluster" in BLOCKS[i]:
        pytest.skip("needs a SLURM cluster")
    exec(compile(BLOCKS[i], f"docs/scan.md block {i + 1}", "exec"), {})  # noqa: S102
