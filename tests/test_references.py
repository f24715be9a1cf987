"""The bibliography registry (nuem.references): citations in src/ and docs/ are all registered,
docs/bibliography.md is the generated text, and the citation scanner can fail."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from nuem.references import (
    REFERENCES,
    Reference,
    bibliography_markdown,
    citations,
    cite,
    find,
)

ROOT = Path(__file__).resolve().parents[1]


def _sources():
    for base in (ROOT / "src" / "nuem", ROOT / "docs"):
        for path in sorted(base.rglob("*")):
            if path.suffix in (".py", ".md", ".toml") and "references" not in path.parts:
                yield path


def test_every_journal_citation_in_src_and_docs_is_registered():
    missing = [f"{p.relative_to(ROOT)}: {c}" for p in _sources()
               for c, ref in citations(p.read_text(encoding="utf-8")) if ref is None]
    assert not missing, "cited but not in nuem.references.REFERENCES:\n" + "\n".join(missing)


def test_scanner_finds_and_rejects():
    text = ("as in Wong & Li, MPLA 20, 1103 (2005), Eq. 6;\n"
            "    # Giunti & Studenikin, Rev. Mod.\n    # Phys. 87, 531 (2015);"
            " and Doe, Phys. Rev. D 99, 999999 (2019)")
    found = [(c, r.key if r else None) for c, r in citations(text)]
    assert found == [("MPLA 20, 1103 (2005)", "wong2005"),
                     ("Rev. Mod. Phys. 87, 531 (2015)", "giunti2015"),
                     ("Phys. Rev. D 99, 999999 (2019)", None)]
    # a wrong year or page is not silently accepted
    assert find("PRL", "105", "061801", 2011) is None
    assert find("PRL", "105", "061802", 2010) is None


def test_bibliography_file_is_generated_text():
    doc = (ROOT / "docs" / "bibliography.md").read_text(encoding="utf-8")
    assert doc == bibliography_markdown(), (
        "docs/bibliography.md is stale: run `python -m nuem.references > docs/bibliography.md`")
    out = subprocess.run([sys.executable, "-m", "nuem.references"], capture_output=True,
                         text=True, check=True).stdout
    assert out == doc


def test_keys_and_cite_format():
    assert cite("wong2010") == ("H.T. Wong, H.B. Li, S.T. Lin, Phys. Rev. Lett. 105, 061801 "
                                "(2010), arXiv:1001.2074")
    assert cite("wong2005") == "H.T. Wong, H.B. Li, Mod. Phys. Lett. A 20, 1103 (2005)"
    for key, ref in REFERENCES.items():
        assert isinstance(ref, Reference) and ref.key == key
        assert re.fullmatch(r"[a-z]+\d{4}[a-z]*|ciaaw", key), key
        assert ref.cite().startswith(ref.authors)
        if ref.doi:
            assert re.fullmatch(r"10\.\d{4,5}/\S+", ref.doi), key
        if ref.journal is None:
            assert ref.note or ref.arxiv, key   # books and preprints say what they are
    with pytest.raises(KeyError, match="docs/bibliography.md"):
        cite("no-such-paper")
    with pytest.raises(TypeError):
        REFERENCES["x"] = REFERENCES["wong2010"]  # read-only registry


def test_papers_the_project_builds_on_are_registered():
    for key in ("wong2010", "wong2005", "wong2007", "li2003", "giunti2015", "allison1980",
                "huber2011", "mueller2011", "lewin1996", "kopeikin1997", "voloshin2010",
                "kouzakov2011", "chen2014plb", "chen2014prd", "chen2016", "feldman1998",
                "cowan2011", "henke1993", "elam2002", "schoonjans2011", "daraktchieva2005",
                "beda2012", "beda2013", "lin2009", "deniz2010", "vogel1989", "ma2013",
                "kopeikin2004", "an2023", "ciaaw"):
        assert key in REFERENCES


def test_references_is_layer_zero():
    # the package imports only the standard library and its own modules
    for path in (ROOT / "src" / "nuem" / "references").glob("*.py"):
        src = path.read_text(encoding="utf-8")
        imports = re.findall(r"^\s*(?:from|import)\s+([\w.]+)", src, flags=re.M)
        outside = [m for m in imports if m.startswith("nuem") and not
                   m.startswith("nuem.references")]
        parent = [m for m in imports if m.startswith("..")]
        assert not outside and not parent, (path.name, imports)
