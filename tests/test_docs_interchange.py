"""The Python examples of docs/interchange.md run as written (they contain their own checks)."""

import pytest
from doc_examples import python_blocks, run_block

BLOCKS = python_blocks("interchange.md")


def test_the_page_has_examples():
    assert len(BLOCKS) >= 4


@pytest.mark.parametrize("i", range(len(BLOCKS)))
def test_example_runs(i):
    for module in ("pyhf", "hist", "pandas", "uproot", "jsonschema"):
        pytest.importorskip(module)
    run_block("interchange.md", BLOCKS, i)
