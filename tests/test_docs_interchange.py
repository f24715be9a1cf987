"""The Python examples of docs/interchange.md run as written (they contain their own checks)."""

import pathlib
import re

import pytest

DOC = pathlib.Path(__file__).resolve().parents[1] / "docs" / "interchange.md"
BLOCKS = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)


def test_the_page_has_examples():
    assert len(BLOCKS) >= 4


@pytest.mark.parametrize("i", range(len(BLOCKS)))
def test_example_runs(i):
    for module in ("pyhf", "hist", "pandas", "uproot", "jsonschema"):
        pytest.importorskip(module)
    exec(compile(BLOCKS[i], f"docs/interchange.md block {i + 1}", "exec"), {})  # noqa: S102
