"""The Python examples of docs/extending.md run as written (they contain their own checks)."""

import pytest
from doc_examples import python_blocks, run_block

BLOCKS = python_blocks("extending.md")


def test_the_page_has_examples():
    assert len(BLOCKS) >= 3


@pytest.mark.parametrize("i", range(len(BLOCKS)))
def test_example_runs(i):
    run_block("extending.md", BLOCKS, i)
