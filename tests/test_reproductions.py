"""The registry of paper reproductions (nuem.reproductions): one place for the names that the
command line offers, each tied to a registered reference and a loadable function."""

import pkgutil

import pytest

import nuem.reproductions as rp
from nuem.exceptions import UnknownNameError
from nuem.references import REFERENCES


def test_every_reproduction_cites_a_registered_paper_and_loads():
    assert set(rp.FIGURES) | set(rp.TABLES) == set(rp.REPRODUCTIONS)
    for name, r in rp.REPRODUCTIONS.items():
        assert r.reference in REFERENCES, name
        assert callable(r.load()), name
        module = r.target.split(":")[0]
        # modules are named after the paper: first authors and year of the cited work
        ref = REFERENCES[r.reference]
        assert module.startswith(ref.authors.split(",")[0].split()[-1].lower()), module
        assert str(ref.year) in module, module


def test_deprecated_names_resolve_to_current_ones():
    for old, new in rp.DEPRECATED_NAMES.items():
        assert new in rp.REPRODUCTIONS and old not in rp.REPRODUCTIONS
        assert rp.resolve_name(old) == (new, old)
        assert rp.get_reproduction(old).name == new


def test_unknown_or_wrong_kind_is_refused_with_the_known_names():
    with pytest.raises(UnknownNameError, match="wong-li-lin-2010-fig2"):
        rp.get_reproduction("fig-1", "figure")
    with pytest.raises(UnknownNameError, match="wong-li-lin-2010-table1"):
        rp.get_reproduction("wong-li-lin-2010-fig2", "table")


def test_module_names_are_paper_names():
    names = [m.name for m in pkgutil.iter_modules(rp.__path__)]
    assert names and all(n.startswith("wong_li_") for n in names)
