"""The shape of the code: layers follow the physics chain, no import cycles, no private imports
across packages, small modules, one home for the physical constants.

Layers (a module may import its own layer or lower ones; nothing upward):

====  ==========================================================================
0     nuem (root: version, lazy API), constants, exceptions, _validation, _lazy,
      references, specs
1     sources, io (data files), atoms.shells, the atoms package namespace
2     targets, materials (composition and per-material data)
3     atoms (photoabsorption, dielectric function, medium terms)
4     interactions (cross sections, process registry)
5     rates, binned
6     detectors
7     experiments
8     inference
9     export, plotting, reproductions
10    report
11    cli
====  ==========================================================================
"""

from __future__ import annotations

import ast
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1] / "src" / "nuem"

_LAYER_RULES = [  # first match wins (prefix of the dotted module name)
    ("nuem.atoms.shells", 1), ("nuem.atoms", 3),
    ("nuem.constants", 0), ("nuem.exceptions", 0), ("nuem._validation", 0), ("nuem._lazy", 0),
    ("nuem._files", 0),
    ("nuem.references", 0), ("nuem.specs", 0),
    ("nuem.sources", 1), ("nuem.io", 1),
    ("nuem.targets", 2), ("nuem.materials", 2),
    ("nuem.interactions", 4), ("nuem.rates", 5), ("nuem.binned", 5),
    ("nuem.detectors", 6), ("nuem.experiments", 7), ("nuem.inference", 8),
    ("nuem.export", 9), ("nuem.plotting", 9), ("nuem.reproductions", 9),
    ("nuem.report", 10), ("nuem.cli", 11), ("nuem.__main__", 11),
]
_PACKAGE_INIT_LAYER = {"nuem.atoms": 1}  # the atoms namespace re-exports shells eagerly
#: Known violations being removed right now (none).
_KNOWN_PRIVATE: set[str] = set()
#: Shared internal helpers that every package may use (public names only).
_SHARED_PRIVATE_MODULES = {"nuem._validation", "nuem._lazy", "nuem._files"}


def _layer(module: str) -> int:
    if module == "nuem":
        return 0
    if module in _PACKAGE_INIT_LAYER:
        return _PACKAGE_INIT_LAYER[module]
    for prefix, layer in _LAYER_RULES:
        if module == prefix or module.startswith(prefix + "."):
            return layer
    raise AssertionError(f"module {module} has no layer: add it to tests/test_architecture.py")


def _modules():
    for p in sorted(ROOT.rglob("*.py")):
        parts = list(p.relative_to(ROOT.parent).with_suffix("").parts)
        is_pkg = parts[-1] == "__init__"
        if is_pkg:
            parts = parts[:-1]
        yield ".".join(parts), is_pkg, p


def _package(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2]) if len(parts) > 1 else module


def _imports(module: str, is_pkg: bool, path: pathlib.Path):
    """(target module, imported name or None, top level?, line, node) for nuem imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    base = module.split(".") if is_pkg else module.split(".")[:-1]
    top = set()
    for n in tree.body:
        top.add(n)
        if isinstance(n, ast.If | ast.Try):
            top.update(n.body)
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                pkg = base[: len(base) - node.level + 1]
                target = ".".join(pkg + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "nuem":
                continue
            for a in node.names:
                out.append((target, a.name, node in top, node.lineno, a.asname or a.name))
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.split(".")[0] == "nuem":
                    out.append((a.name, None, node in top, node.lineno, a.asname))
    return tree, out


_ALL = [(m, *rest) for m, *rest in _modules()]
_NAMES = {m for m, _, _ in _ALL}


def _resolve(target: str, name: str | None) -> str:
    """``from pkg import mod`` imports the module pkg.mod when that exists."""
    if name and f"{target}.{name}" in _NAMES:
        return f"{target}.{name}"
    return target


def test_no_upward_imports():
    bad = []
    for module, is_pkg, path in _ALL:
        _, imps = _imports(module, is_pkg, path)
        for target, name, _, line, _ in imps:
            dest = _resolve(target, name)
            if dest == "nuem" and name == "__version__":
                continue
            if _layer(dest) > _layer(module):
                bad.append(f"{path.relative_to(ROOT.parent)}:{line}: {module} (layer "
                           f"{_layer(module)}) imports {dest} (layer {_layer(dest)})")
    assert not bad, "upward imports:\n" + "\n".join(bad)


def test_no_import_cycles_at_module_level():
    graph: dict[str, set[str]] = {m: set() for m in _NAMES}
    for module, is_pkg, path in _ALL:
        _, imps = _imports(module, is_pkg, path)
        for target, name, top, _, _ in imps:
            dest = _resolve(target, name)
            if top and dest in graph and dest != module and not module.startswith(dest + "."):
                graph[module].add(dest)
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m):
        state[m] = 1
        stack.append(m)
        for d in sorted(graph[m]):
            if state.get(d) == 1:
                raise AssertionError("import cycle: " + " -> ".join(stack[stack.index(d):] + [d]))
            if d not in state:
                visit(d)
        stack.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m)


def test_no_private_names_across_packages():
    bad = []
    for module, is_pkg, path in _ALL:
        tree, imps = _imports(module, is_pkg, path)
        aliases = {}
        for target, name, _, line, alias in imps:
            dest = _resolve(target, name)
            other = _package(dest) != _package(module)
            if name and name.startswith("_") and not name.startswith("__") and other:
                bad.append(f"{path.relative_to(ROOT.parent)}:{line}: imports {dest}.{name}")
            if other and dest in _NAMES and alias and dest not in _SHARED_PRIVATE_MODULES:
                aliases[alias] = dest
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and node.value.id in aliases and node.attr.startswith("_")
                    and not node.attr.startswith("__")):
                bad.append(f"{path.relative_to(ROOT.parent)}:{node.lineno}: uses "
                           f"{aliases[node.value.id]}.{node.attr}")
    bad = [b for b in bad if b not in _KNOWN_PRIVATE]
    assert not bad, "private names used across packages:\n" + "\n".join(bad)


def test_modules_stay_small():
    big = [f"{p.relative_to(ROOT.parent)}: {n} lines" for _, _, p in _ALL
           if (n := len(p.read_text(encoding="utf-8").splitlines())) > 420]
    assert not big, "modules over ~400 lines (split them):\n" + "\n".join(big)


_CONSTANT_RE = re.compile(r"(137\.0359|0\.510998|510\.998|1\.16637|197\.3269|1\.9732698|"
                          r"6\.02214|931\.494|2\.8179403|1\.239841)")


@pytest.mark.parametrize("module_path", [p for _, _, p in _ALL if p.name != "constants.py"],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_physical_constants_have_one_home(module_path):
    """alpha, m_e, G_F, hbar c, N_A and u are typed only in nuem/constants.py (docstrings and
    comments may quote them)."""
    tree = ast.parse(module_path.read_text(encoding="utf-8"))
    hits = [f"line {n.lineno}: {n.value!r}" for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, float)
            and _CONSTANT_RE.match(repr(n.value).lstrip("-"))]
    assert not hits, f"{module_path.name} hard-codes a physical constant: {hits}"
