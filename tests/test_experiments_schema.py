"""Experiment files: schema validation with errors naming the file and the field."""

import dataclasses
import re
from importlib import resources

import pytest

from nuem.exceptions import DataFileError
from nuem.experiments import get_experiment, load_experiment, preset_ids


def _preset_text(pid="texono-hpge"):
    return resources.files("nuem.experiments").joinpath(f"presets/{pid}.toml").read_text()


def _write(tmp_path, text, name="broken.toml"):
    p = tmp_path / name
    p.write_text(text)
    return p


def _broken(tmp_path, old, new, *, count=1):
    text = _preset_text()
    assert old in text
    return _write(tmp_path, text.replace(old, new, count))


def test_all_presets_load_and_every_number_is_cited():
    ids = preset_ids()
    for required in ("texono-hpge", "texono-ulege", "gemma", "gemma-ii", "conus", "munu",
                     "krasnoyarsk", "rovno", "savannah-river"):
        assert required in ids
    for pid in ids:
        exp = get_experiment(pid)
        assert exp.id == pid and exp.reference
        assert exp.citations and all(s.strip() for s in exp.citations.values())


def test_user_file_roundtrip(tmp_path):
    exp = load_experiment(_write(tmp_path, _preset_text(), "mine.toml"))
    assert exp.exposure.mass_kg == 1.06
    assert exp.source_path.endswith("mine.toml")


@pytest.mark.parametrize("old,new,field,msg", [
    ('mass_kg = { value = 1.06,', 'mass_kg = { value = -1.06,', "detector.mass_kg", "> 0"),
    ('mass_kg = { value = 1.06,', 'mass_g = { value = 1060,', "detector.mass_g", "wrong unit"),
    ('mass_kg = { value = 1.06,', 'mass_kg = { unit = "g", value = 1.06,', "detector.mass_kg",
     "wrong unit"),
    ('isotope = "Ge68"', 'isotope = "Ge99"', "background.lines[0].isotope", "Ge99"),
    ('target = "Ge"', 'target = "Qq"', "detector.target", "Qq"),
    ('[detector.resolution]', '[detector.resolution]\nfwhm_kev = { value = 1, source = "x" }',
     "detector.resolution.fwhm_kev", "unknown key"),
    ('e_max_kev = { value = 60.0,', 'e_max_kev = { value = 6.0,', "analysis.e_max_kev",
     "> analysis"),
    ('schema_version = 1', 'schema_version = 7', "schema_version", "not supported"),
    ('model = "step"', 'model = "sigmoid"', "detector.efficiency.model", "sigmoid"),
])
def test_broken_preset_names_file_and_field(tmp_path, old, new, field, msg):
    p = _broken(tmp_path, old, new)
    with pytest.raises(DataFileError) as err:
        load_experiment(p)
    text = str(err.value)
    assert "broken.toml" in text and f"field '{field}'" in text
    assert msg in text


def test_missing_required_field(tmp_path):
    text = re.sub(r"(?m)^live_days_off = .*\n", "", _preset_text())
    with pytest.raises(DataFileError,
                       match=r"broken.toml: field 'detector.live_days_off': missing"):
        load_experiment(_write(tmp_path, text))


def test_number_without_source_is_an_error(tmp_path):
    text = re.sub(r"(?m)^mass_kg = .*$", "mass_kg = 1.06", _preset_text())
    with pytest.raises(DataFileError, match="field 'detector.mass_kg': number without source"):
        load_experiment(_write(tmp_path, text))
    text = re.sub(r"(?m)^(flat_cpkkd = \{ value = [^,]*, )source =", r"\1note =", _preset_text())
    assert "note =" in text
    with pytest.raises(DataFileError, match="background.flat_cpkkd"):
        load_experiment(_write(tmp_path, text))


def test_not_toml_and_missing_file(tmp_path):
    with pytest.raises(DataFileError, match="not valid TOML"):
        load_experiment(_write(tmp_path, "schema_version = [\n"))
    with pytest.raises(DataFileError, match="nope.toml"):
        load_experiment(tmp_path / "nope.toml")


def test_presets_are_frozen():
    exp = get_experiment("texono-hpge")
    with pytest.raises(dataclasses.FrozenInstanceError):
        exp.target = "Si"
    with pytest.raises(TypeError):
        exp.citations["detector.mass_kg"] = "x"
    with pytest.raises(TypeError):
        exp.values["detector"]["mass_kg"] = 2.0
    assert get_experiment("texono-hpge") is exp
