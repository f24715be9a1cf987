"""``nuem experiments``: list the experiment presets, or show one with every citation.

``nuem experiments list [--json]`` -> list of ``{id, name, reference, status, source_path}``;
``nuem experiments show ID [--json]`` (or ``--experiment-file PATH``) -> the validated values,
their citations and the ON/OFF exposures; ``--toml`` prints the experiment file itself (every
value with its citation and the file's comments) to copy, edit and use with
``--experiment-file``.
"""

from __future__ import annotations

from ..exceptions import InvalidParameterError
from .commands import command_parser
from .output import add_json_flag, emit_json, print_table

NAME = "experiments"


def register(sub) -> None:
    p = command_parser(sub, NAME,
                       description="Experiment descriptions shipped with nuem (TOML presets, "
                                   "every number cited) or read from a user file.")
    s = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    pl = s.add_parser("list", help="list the presets")
    add_json_flag(pl)
    pl.set_defaults(func=run_list)
    ps = s.add_parser("show", help="show one experiment with its citations")
    ps.add_argument("id", nargs="?", help="preset id (see 'nuem experiments list')")
    ps.add_argument("--experiment-file", help="a user experiment file (TOML) instead of a preset")
    ps.add_argument("--toml", action="store_true",
                    help="print the experiment file (TOML) to copy and edit, e.g. "
                         "'nuem experiments show gemma --toml > my.toml', then "
                         "--experiment-file my.toml")
    add_json_flag(ps)
    ps.set_defaults(func=run_show)
    pj = s.add_parser("schema", help="JSON Schema of the experiment files (from nuem.specs)")
    from .args import output_file

    pj.add_argument("--out", metavar="FILE", default=None, type=output_file,
                    help="write it there (default: standard output)")
    pj.set_defaults(func=run_schema)


def experiment_from_args(experiment_id, experiment_file):
    """The Experiment named by a preset id or a file (exactly one)."""
    from ..experiments import get_experiment, load_experiment

    if (experiment_id is None) == (experiment_file is None):
        raise InvalidParameterError("give exactly one of an experiment id (--experiment ID) and "
                                    "--experiment-file PATH")
    return load_experiment(experiment_file) if experiment_file else get_experiment(experiment_id)


def run_schema(args) -> int:
    """``nuem experiments schema``: the JSON Schema of experiment files."""
    import json

    from ..export.json_schema import experiment_json_schema

    text = json.dumps(experiment_json_schema(), indent=1) + "\n"
    if args.out:
        from pathlib import Path

        Path(args.out).write_text(text, encoding="utf-8")
    else:
        print(text, end="")
    return 0


def run_list(args) -> int:
    from ..experiments import list_experiments

    rows = [{"id": e.id, "name": e.name, "reference": e.reference, "status": e.status,
             "target": e.target, "mass_kg": e.exposure.mass_kg,
             "threshold_kev": e.analysis.e_min_kev, "source_path": e.source_path}
            for e in list_experiments()]
    if args.json:
        emit_json(rows)
        return 0
    print_table(["id", "status", "target", "mass [kg]", "E_min [keV]", "reference"],
                [[r["id"], r["status"], r["target"], r["mass_kg"], r["threshold_kev"],
                  r["reference"][:60]] for r in rows])
    return 0


def experiment_text(exp, experiment_file=None) -> str:
    """The TOML text of an experiment: its file (a preset's from the package), checked to load
    to the same values, with a header saying how to use a copy."""
    import tomllib
    from importlib import resources

    from ..experiments.loader import experiment_from_document

    if experiment_file is not None:
        from pathlib import Path

        text, where = Path(experiment_file).read_text(encoding="utf-8"), str(experiment_file)
    else:
        text = resources.files("nuem.experiments").joinpath(exp.source_path).read_text(
            encoding="utf-8")
        where = f"nuem preset {exp.id!r}"
    head = "" if text.startswith("# Experiment file from") else (
            f"# Experiment file from {where} (nuem experiments show --toml).\n"
            "# Edit the values (keep a source for each) and use it with\n"
            "#   nuem spectrum|sensitivity|limit --experiment-file FILE\n"
            "# Fields and rules: docs/experiments.md.\n")
    copy = experiment_from_document(tomllib.loads(head + text), where)
    if copy.values != exp.values:   # what is printed must load as the same experiment
        raise InvalidParameterError(f"--toml: the file of {exp.id!r} does not reproduce its "
                                    "values")
    return head + text


def run_show(args) -> int:
    exp = experiment_from_args(args.id, args.experiment_file)
    if args.toml:
        if args.json:
            raise InvalidParameterError("--toml and --json: give one of them")
        print(experiment_text(exp, args.experiment_file), end="")
        return 0
    d = exp.to_dict()
    if args.json:
        emit_json(d)
        return 0
    print(f"# {exp.id}: {exp.name} [{exp.status}]\n# {exp.reference}")
    if exp.notes:
        print(f"# {exp.notes}")
    print(f"# exposure ON {exp.exposure.on_kg_day:.4g} kg d, OFF {exp.exposure.off_kg_day:.4g} "
          "kg d")
    rows = []

    def walk(obj, prefix=""):
        for k, v in obj.items():
            if isinstance(v, dict):
                walk(v, f"{prefix}{k}.")
            elif isinstance(v, list) and v and isinstance(v[0], dict):
                for i, item in enumerate(v):
                    walk(item, f"{prefix}{k}[{i}].")
            elif f"{prefix}{k}" in d["citations"]:
                rows.append([f"{prefix}{k}", str(v), d["citations"][f"{prefix}{k}"][:70]])

    walk(d["values"])
    print_table(["field", "value", "source"], rows)
    return 0
