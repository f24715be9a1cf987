"""Liquid-noble, solar and source presets, and the [published] section of experiment files."""

from pathlib import Path

import numpy as np
import pytest
from experiment_docs import minimal_document

from nuem.exceptions import DataFileError
from nuem.experiments import experiment_from_document, get_experiment, list_experiments

RELEASE = Path(__file__).parent / "data" / "xenonnt_2022_er"


def test_xenonnt_2022_preset():
    e = get_experiment("xenonnt-2022")
    assert e.source.kind == "solar" and e.target == "Xe"
    # 1.16 t yr (PRL 129, 161805 (2022), abstract)
    assert e.exposure.on_kg_day / 1000 / 365.25 == pytest.approx(1.16, rel=0.005)
    assert (e.analysis.e_min_kev, e.analysis.e_max_kev) == (1.0, 30.0)
    assert e.values["published"]["mu_nu_limit_mub"] == 6.3e-12
    assert "161805" in e.citations["published.mu_nu_limit_mub"]
    # the efficiency is the collaboration's table (6 significant digits) from 1 to 29.88 keV
    tab = np.loadtxt(RELEASE / "efficiency.txt")
    sel = tab[(tab[:, 0] >= 1.0) & (tab[:, 0] <= 29.88)]
    np.testing.assert_allclose(e.efficiency(sel[:, 0]), sel[:, 1], rtol=0, atol=1e-5)
    assert e.efficiency([30.0])[0] == pytest.approx(tab[-1, 1], abs=1e-6)
    assert "XENON Collaboration" in e.citations["detector.efficiency.e_kev"]
    assert e.resolution.to_dict()["model"] == "gaussian-poly"


@pytest.mark.parametrize("pid,mass_kg,live_days,t_yr,cite", [
    # LZ first exposure: 60 live days x 5.5 t fiducial (PRD 108, 072006 (2023), abstract)
    ("lz-2023", 5500.0, 60.0, 5.5 * 60 / 365.25, "072006"),
    # PandaX-4T Run0 + Run1: 1.54 t yr (arXiv:2408.07641, abstract)
    ("pandax-4t", 1000.0, 562.485, 1.54, "2408.07641"),
])
def test_liquid_xenon_exposures(pid, mass_kg, live_days, t_yr, cite):
    e = get_experiment(pid)
    assert (e.exposure.mass_kg, e.exposure.on_kg_day / e.exposure.mass_kg) == pytest.approx(
        (mass_kg, live_days), rel=1e-12)
    # 1 t yr = 1000 kg x 365.25 d
    assert e.exposure.on_kg_day == pytest.approx(mass_kg * live_days, rel=1e-12)
    assert e.exposure.on_kg_day / 1000 / 365.25 == pytest.approx(t_yr, rel=1e-9)
    assert e.exposure.off_kg_day == 0
    assert cite in e.citations["detector.mass_kg"] and cite in e.reference


def test_lz_2023_cites_only_what_was_read():
    e = get_experiment("lz-2023")
    assert round(e.exposure.on_kg_day / 1000 / 365.25, 3) == 0.903   # 330 000 kg d
    assert "verified" in e.citations["detector.live_days_on"]
    # everything that is not from the paper says so
    for key in ("detector.resolution.c1_sqrt_kev", "detector.efficiency.threshold_kev",
                "analysis.e_min_kev", "analysis.e_max_kev"):
        assert e.citations[key].startswith("assumed")
    assert "published" not in e.values and "not stored" in e.values["notes"]


def test_published_results_of_the_presets():
    pub = {e.id: dict(e.values["published"]) for e in list_experiments()
           if "published" in e.values}
    assert pub["xenon1t-2020"]["kind"] == "interval"          # PRD 102, 072004 (2020)
    assert (pub["xenon1t-2020"]["mu_nu_lower_mub"],
            pub["xenon1t-2020"]["mu_nu_limit_mub"]) == (1.4e-11, 2.9e-11)
    assert pub["borexino-phase2"]["mu_nu_limit_mub"] == 2.8e-11  # PRD 96, 091103(R) (2017)
    assert pub["gemma"]["mu_nu_limit_mub"] == 2.9e-11
    assert pub["texono-hpge"]["mu_nu_limit_mub"] == 7.4e-11
    assert pub["gemma-ii"]["kind"] == "projection"
    assert all(p["cl"] == 0.9 for p in pub.values())
    # no verified number: PandaX-4T (arXiv:2408.07641) and LZ (PRD 108, 072006 (2023)) store none
    assert not {"pandax-4t", "lz-2023", "tritium-mammont"} & set(pub)


@pytest.mark.parametrize("pid,kind,target", [
    ("xenon1t-2020", "solar", "Xe"), ("pandax-4t", "solar", "Xe"), ("lz-2023", "solar", "Xe"),
    ("borexino-phase2", "solar", "C9H12"), ("tritium-mammont", "tritium", "Ge"),
])
def test_source_presets_load_and_fold(pid, kind, target):
    from nuem.experiments import observed_spectrum

    e = get_experiment(pid)
    assert (e.source.kind, e.target) == (kind, target)
    s = observed_spectrum(e, mu_nu=1e-11)
    assert s.components["magnetic_moment"].sum() > 0


def test_tritium_projection_sees_recoils_only_below_t_max():
    # tritium nuebar: T_max(Q = 18.59 keV) = 2 Q^2 / (m_e + 2 Q) = 1.26 keV
    from nuem.experiments import observed_spectrum

    s = observed_spectrum(get_experiment("tritium-mammont"), mu_nu=1e-11)
    e = np.asarray(s.e_kev)
    mm = np.asarray(s.components["magnetic_moment"])
    assert mm[e < 1.0].sum() > 0 and mm[e > 1.26 + 0.2].sum() == 0


def _doc(published):
    d = minimal_document({"kind": "reactor", "flux_cm2_s": cited(1e13)})
    d["published"] = published
    return d


def cited(v):
    return {"value": v, "source": "test"}


@pytest.mark.parametrize("published,needle", [
    ({"cl": cited(0.9)}, "give at least one published value"),
    ({"kind": "interval", "mu_nu_limit_mub": cited(2e-11), "cl": cited(0.9)},
     "an interval needs mu_nu_lower_mub"),
    ({"kind": "interval", "mu_nu_lower_mub": cited(3e-11), "mu_nu_limit_mub": cited(2e-11),
      "cl": cited(0.9)}, "must be < published.mu_nu_limit_mub"),
    ({"mu_nu_lower_mub": cited(1e-11), "mu_nu_limit_mub": cited(2e-11), "cl": cited(0.9)},
     "only for kind = \"interval\""),
    ({"mu_nu_limit_mub": cited(2e-11)}, "'published.cl': missing required field"),
    ({"mu_nu_limit_mub": cited(2e-11), "cl": cited(1.5)}, "must be <= 1"),
    ({"mu_nu_limit_mub": 2e-11, "cl": cited(0.9)}, "number without source"),
    ({"kind": "bound", "mu_nu_limit_mub": cited(2e-11), "cl": cited(0.9)}, "'bound' is not known"),
])
def test_published_section_errors_name_the_field(published, needle):
    with pytest.raises(DataFileError, match=None) as exc:
        experiment_from_document(_doc(published), "x.toml")
    assert needle in str(exc.value) and str(exc.value).startswith("x.toml: field 'published")


def test_published_section_round_trip():
    e = experiment_from_document(_doc({"kind": "limit", "mu_nu_limit_mub": cited(5e-11),
                                       "delta_q_limit_e": cited(1e-12), "cl": cited(0.9),
                                       "method": "Feldman-Cousins"}), "x.toml")
    assert dict(e.values["published"])["delta_q_limit_e"] == 1e-12
    assert e.citations["published.cl"] == "test"
