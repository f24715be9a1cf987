"""Every number of every preset carries a citation that says where it comes from: a paper, or
``assumed: <why>`` (a bare "assumed" tells the reader nothing), and never an internal note."""

import re

import pytest

from nuem.experiments import get_experiment, preset_ids


@pytest.mark.parametrize("pid", preset_ids())
def test_every_preset_number_says_where_it_comes_from(pid):
    e = get_experiment(pid)
    assert e.citations
    for field, src in e.citations.items():
        assert src.strip() == src and src, (pid, field)
        if src.lower().startswith("assumed"):
            assert re.match(r"assumed: \S", src), f"{pid}: {field}: give the reason: {src!r}"
        assert not re.search(r"(?i)\bseeds?\b|PHYSICS\.md|\bissue \d", src), (pid, field, src)


def test_tritium_window_end_is_the_recoil_endpoint():
    # T_max = 2 E^2 / (m_e + 2 E) at the tritium endpoint E = 18.59 keV (m_e = 510.999 keV)
    e = get_experiment("tritium-mammont")
    t_max = 2 * 18.59 ** 2 / (510.999 + 2 * 18.59)
    assert round(t_max, 2) == 1.26 and "1.26 keV" in e.citations["analysis.e_max_kev"]
    assert t_max < e.analysis.e_max_kev < 1.05 * t_max
