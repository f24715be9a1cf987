"""The Python blocks of a page of docs/, for the tests that run a page's examples as written."""

import pathlib
import re

DOCS = pathlib.Path(__file__).resolve().parents[1] / "docs"


def python_blocks(page: str) -> list[str]:
    """The ```python blocks of ``docs/<page>``, in order."""
    return re.findall(r"```python\n(.*?)```", (DOCS / page).read_text(encoding="utf-8"),
                      flags=re.S)


def run_block(page: str, blocks: list[str], i: int) -> None:
    """Execute block ``i`` of ``docs/<page>`` in a fresh namespace (it carries its own checks)."""
    exec(compile(blocks[i], f"docs/{page} block {i + 1}", "exec"), {})  # noqa: S102
