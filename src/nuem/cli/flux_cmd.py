"""``nuem flux``: neutrino flux at a detector, for any registered source kind.

``--source`` chooses a kind of the source registry (:data:`nuem.sources.SOURCE_KINDS`: reactor
-- the default --, solar, cr51, ar37, tritium, ... and kinds registered by user code);
``--source-file FILE.toml`` reads a ``[source]`` table written as in experiment files. The
per-source options are the registry's scalar fields (``--activity-mci``, ``--model`` ...),
one flag per field name; array fields (tabulated and line sources) go in a source file. The
reactor keeps its historical options (``--power-gw``, ``--distance-m``, ``--fractions`` ...);
its other registry fields (``--nue-lines-cr51-fraction``, ``--nue-lines-per-fission``: the core's
51Cr/55Fe nu_e lines) are generated like those of the other kinds.
"""

from __future__ import annotations

from .commands import command_parser
from .footer import print_items
from .output import add_json_flag, emit_json, parse_mapping, print_table

NAME = "flux"
_REACTOR = "reactor"
_SCALAR = ("number", "string", "choice", "int")
_TYPES = {"number": float, "int": int, "string": str, "choice": str}
#: Reactor fields with historical options of their own (not generated from the registry).
_REACTOR_OWN = ("power_gw", "distance_m", "flux_cm2_s")


def _flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def source_fields() -> dict:
    """Scalar fields of the source kinds given by generated options: name -> (Field, [kinds])
    (kinds with required arrays, tabulated and lines, are given in a --source-file; the
    reactor's power, distance and total flux have their own options)."""
    from ..sources.registry import SOURCE_KINDS

    out: dict = {}
    for v in SOURCE_KINDS:
        if any(f.kind == "numbers" and f.required for f in v.fields):
            continue                    # tables: --source-file
        for f in v.fields:
            if f.kind in _SCALAR and not (v.name == _REACTOR and f.name in _REACTOR_OWN):
                out.setdefault(f.name, (f, []))[1].append(v.name)
    return out


def reactor_line_options(args) -> dict:
    """The reactor's generated options given (``nue_lines_*`` keywords of ReactorSource),
    checked against the registry's fields (errors name the flag)."""
    given = _reactor_lines_given(args)
    if given:
        from ..exceptions import DataFileError, InvalidParameterError
        from ..experiments.schema import SCHEMA
        from ..sources.registry import SOURCE_KINDS
        from ..specs import Validator

        doc = {"kind": _REACTOR, "flux_cm2_s": {"value": 1.0, "source": "placeholder"},
               **{n: {"value": v, "source": f"command line {_flag(n)}"}
                  for n, v in given.items()}}
        fields = SOURCE_KINDS.get(_REACTOR).fields
        try:
            Validator("command line", {f.name: _flag(f.name) for f in fields}).table(
                SCHEMA.sections["source"], doc, "")
        except DataFileError as exc:
            raise InvalidParameterError(str(exc).split(": ", 1)[1]) from None
    return given


def _reactor_generated() -> list[str]:
    return [n for n, (_, kinds) in source_fields().items() if _REACTOR in kinds]


def _reactor_lines_given(args) -> dict:
    """The reactor's generated options present on the command line, unchecked."""
    return {n: getattr(args, f"src_{n}") for n in _reactor_generated()
            if getattr(args, f"src_{n}", None) is not None}


def add_source_options(p, *, taken=("distance_m",)) -> None:
    """``--source``, ``--source-file`` and one option per scalar source field (names in
    ``taken`` are already options of the command, e.g. the reactor's ``--distance-m``)."""
    from ..sources.registry import SOURCE_KINDS

    p.add_argument("--source", default=None, choices=SOURCE_KINDS.names(),
                   help="source kind (nuem.sources.SOURCE_KINDS; default reactor): "
                        + "; ".join(f"{v.name}: {v.help}" for v in SOURCE_KINDS))
    p.add_argument("--source-file", default=None, metavar="FILE.toml",
                   help="a [source] table as in experiment files (kind, and each number as "
                        "{ value = ..., source = \"...\" }); default: none (--source and its "
                        "options)")
    g = p.add_argument_group("source options (from the source registry; each applies to the "
                             "kinds named)")
    for name, (f, kinds) in source_fields().items():
        if name in taken:
            continue
        unit = f" [{f.unit}]" if f.unit else ""
        kw = {"choices": f.choices} if f.kind == "choice" else {}
        helps = {}
        for k in kinds:                 # one text per distinct help (defaults differ by kind)
            h = next(x for x in SOURCE_KINDS.get(k).fields if x.name == name).help or name
            helps.setdefault(h, []).append(k)
        text = "; ".join(f"{', '.join(ks)}: {h}" for h, ks in helps.items()) + unit
        if "default" not in text.lower():
            text += " (default: none; the source's own choice applies)"
        g.add_argument(_flag(name), dest=f"src_{name}", type=_TYPES[f.kind], default=None,
                       metavar=name.upper(), help=text, **kw)


def source_kind(args) -> str:
    """The chosen kind (``reactor`` unless ``--source``/``--source-file`` say otherwise)."""
    from ..exceptions import InvalidParameterError

    if args.source_file and args.source:
        raise InvalidParameterError("give --source or --source-file, not both")
    return "file" if args.source_file else (args.source or _REACTOR)


def _given(args) -> dict:
    fields = source_fields()
    out = {n: getattr(args, f"src_{n}") for n in fields if getattr(args, f"src_{n}", None)
           is not None}
    dist = getattr(args, "distance_m", None)
    if dist is not None:
        out["distance_m"] = dist
    return out


def registry_source(args, kind: str):
    """(flux, validated values, citations) of a non-reactor kind from the command line."""
    from ..exceptions import DataFileError, InvalidParameterError
    from ..experiments.schema import SCHEMA
    from ..sources.registry import SOURCE_KINDS
    from ..specs import Validator

    variant = SOURCE_KINDS.get(kind)
    arrays = [f.name for f in variant.fields if f.kind == "numbers" and f.required]
    if arrays:
        raise InvalidParameterError(f"--source {kind} needs the arrays {', '.join(arrays)}: "
                                    "write them in a [source] table and give --source-file "
                                    "FILE.toml")
    own = {f.name for f in variant.fields}
    given = _given(args)
    stray = [n for n in given if n not in own]
    if stray:
        allowed = ", ".join(_flag(f.name) for f in variant.fields if f.kind in _SCALAR)
        raise InvalidParameterError(f"{_flag(stray[0])} does not apply to --source {kind} "
                                    f"(its options: {allowed or 'none'})")
    doc = {"kind": kind}
    for name, value in given.items():
        f = next(x for x in variant.fields if x.name == name)
        doc[name] = ({"value": value, "source": f"command line {_flag(name)}"}
                     if f.kind in ("number", "numbers") else value)
    v = Validator("command line", {f.name: _flag(f.name) for f in variant.fields})
    try:
        values = v.table(SCHEMA.sections["source"], doc, "")
    except DataFileError as exc:
        raise InvalidParameterError(str(exc).split(": ", 1)[1]) from None
    return variant.build(values, None), values, dict(v.citations)


def file_source(path: str):
    """(flux, validated values, citations) from a ``[source]`` table in a TOML file."""
    import tomllib
    from pathlib import Path

    from ..exceptions import DataFileError
    from ..experiments.schema import SCHEMA
    from ..sources.registry import SOURCE_KINDS
    from ..specs import Validator

    try:
        doc = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise DataFileError(path, None, f"cannot read source file: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(path, None, f"not valid TOML: {exc}") from exc
    extra = sorted(set(doc) - {"source"})
    if "source" not in doc or extra:
        raise DataFileError(path, None, f"expected exactly one [source] table"
                                        f"{f', found also {extra[0]!r}' if extra else ''}")
    v = Validator(path)
    values = v.table(SCHEMA.sections["source"], doc["source"], "source.")
    return SOURCE_KINDS.get(values["kind"]).build(values, None), values, dict(v.citations)


def flux_from_source_args(args):
    """(flux, description) for a non-reactor ``--source`` or a ``--source-file``."""
    kind = source_kind(args)
    flux, values, cites = (file_source(args.source_file) if kind == "file"
                           else registry_source(args, kind))
    return flux, {"kind": values["kind"], "values": values, "citations": cites,
                  "label": getattr(flux, "label", "")}


def reactor_options_given(args) -> list[str]:
    """Reactor-only options present on the command line (they do not go with other kinds)."""
    names = ("power_gw", "fractions", "flux_cm2_s")
    return [_flag(n) for n in names if getattr(args, n, None) is not None] + [
        _flag(n) for n in _reactor_lines_given(args)]     # not validated: they are stray


def register(sub) -> None:
    p = command_parser(sub, NAME,
                       description="Total neutrino flux at the detector. Reactor (default): "
                                   "thermal power P at distance L (docs/reactor_source.md); "
                                   "other kinds: --source KIND with its options, or "
                                   "--source-file (docs/sources.md).")
    p.add_argument("--power-gw", type=float, default=None,
                   help="reactor: thermal power in GW (> 0)")
    p.add_argument("--distance-m", type=float, default=None,
                   help="reactor: core-detector distance; cr51/ar37/tritium: point-source "
                        "distance (m)")
    p.add_argument("--fractions", default=None,
                   help="reactor: fission fractions, e.g. U235=0.55,U238=0.07,Pu239=0.32,"
                        "Pu241=0.06 (default: typical PWR 0.55/0.07/0.32/0.06)")
    p.add_argument("--energy-per-fission", default="ma2013", choices=("ma2013", "kopeikin2004"),
                   help="reactor: energy released per fission (default Ma et al. 2013)")
    p.add_argument("--captures-per-fission", type=float, default=0.6,
                   help="reactor: 238U(n,gamma) captures per fission (default 0.6, Wong & Li, "
                        "MPLA 20, 1103 (2005), Table 1)")
    p.add_argument("--enu-mev", type=float, nargs="*", default=None,
                   help="also report dPhi/dE_nu at these energies (MeV; reactor and "
                        "tabulated sources)")
    add_source_options(p)
    add_json_flag(p)
    p.set_defaults(func=run)


def build_source(args):
    """A ReactorSource from the common reactor options of the CLI."""
    from ..exceptions import InvalidParameterError
    from ..sources.reactor import ReactorSource

    if args.power_gw is None or args.distance_m is None:
        raise InvalidParameterError("the reactor source needs --power-gw and --distance-m "
                                    "(or choose another --source)")
    fractions = parse_mapping(args.fractions, "--fractions") if args.fractions else None
    return ReactorSource(power_gw=args.power_gw, distance_m=args.distance_m, fractions=fractions,
                         energy_per_fission=getattr(args, "energy_per_fission", "ma2013"),
                         captures_per_fission=getattr(args, "captures_per_fission", 0.6),
                         **reactor_line_options(args))


def _run_reactor(args) -> int:
    src = build_source(args)
    result = {
        "flux_cm2_s": src.flux_cm2_s,
        "fissions_per_s": src.fissions_per_s,
        "antineutrinos_per_fission": src.antineutrinos_per_fission,
        "power_gw": args.power_gw,
        "distance_m": args.distance_m,
        "provenance": src.provenance(),
    }
    if src.nue_lines_cr51_fraction is not None:
        result["nue_lines_flux_cm2_s"] = src.nue_lines_flux_cm2_s
        result["flux_by_flavor_cm2_s"] = {"nuebar": src.flux_cm2_s,
                                          "nue": src.nue_lines_flux_cm2_s}
    if args.enu_mev:
        result["enu_mev"] = list(args.enu_mev)
        result["dphi_cm2_s_mev"] = src.dphi_cm2_s_mev(args.enu_mev).tolist()
    if args.json:
        emit_json(result)
        return 0
    lines = ([["nu_e lines (51Cr, 55Fe)", result["nue_lines_flux_cm2_s"], "cm^-2 s^-1"]]
             if "nue_lines_flux_cm2_s" in result else [])
    print_table(["quantity", "value", "unit"], [
        ["total flux", result["flux_cm2_s"], "cm^-2 s^-1"],
        *lines,
        ["fission rate", result["fissions_per_s"], "s^-1"],
        ["antineutrinos per fission", result["antineutrinos_per_fission"], "(incl. capture)"],
    ])
    if lines:
        print("# total flux: antineutrinos (nuebar); the nu_e lines come on top (51Cr share "
              f"{src.nue_lines_cr51_fraction:g}, {src.nue_lines_per_fission:g} per fission, "
              "Wong & Li, MPLA 20, 1103 (2005), Sec. 4.3)")
    if args.enu_mev:
        print()
        print_table(["E_nu [MeV]", "dPhi/dE [cm^-2 s^-1 MeV^-1]"],
                    list(zip(result["enu_mev"], result["dphi_cm2_s_mev"], strict=True)))
    prov = result["provenance"]
    fr = ", ".join(f"{k} {v:g}" for k, v in prov["parameters"]["fractions"].items())
    print_items([
        ("source", f"reactor {args.power_gw:g} GW thermal at {args.distance_m:g} m "
                   "(isotropic point source, no oscillation)"),
        ("fission fractions", f"{fr} ({prov['fractions_source']})"),
        ("energy per fission", prov["energy_per_fission_source"]),
        ("spectrum", f"above {prov['parameters']['e_match_mev']:g} MeV: "
                     f"{prov['spectrum_above_e_match']}; below: a model, no measurement"),
        ("notes", " | ".join(prov.get("notes") or ()))])
    return 0


def run(args) -> int:
    from ..exceptions import InvalidParameterError

    kind = source_kind(args)
    if kind == _REACTOR:
        return _run_reactor(args)
    stray = reactor_options_given(args)
    if stray:
        raise InvalidParameterError(f"{stray[0]} is a reactor option; it does not apply to "
                                    f"{'--source-file' if kind == 'file' else '--source ' + kind}")
    flux, desc = flux_from_source_args(args)
    flavors = list(flux.flavors)
    result = {"source": desc["kind"], "label": desc["label"],
              "flux_cm2_s": flux.total_cm2_s(),
              "flux_by_flavor_cm2_s": {f: flux.total_cm2_s(f) for f in flavors},
              "values": desc["values"], "citations": desc["citations"]}
    if args.enu_mev:
        if not hasattr(flux, "dphi_cm2_s_mev"):
            raise InvalidParameterError(f"--enu-mev: a {desc['kind']} source is not one "
                                        "tabulated spectrum (lines or several flavours); "
                                        "dPhi/dE_nu is reported for reactor and tabulated "
                                        "sources")
        result["enu_mev"] = list(args.enu_mev)
        result["dphi_cm2_s_mev"] = flux.dphi_cm2_s_mev(args.enu_mev).tolist()
    if args.json:
        emit_json(result)
        return 0
    print(f"# {desc['kind']} source: {desc['label']}")
    print_table(["flavour", "flux [cm^-2 s^-1]"],
                [*([f, result["flux_by_flavor_cm2_s"][f]] for f in flavors),
                 ["total", result["flux_cm2_s"]]])
    if args.enu_mev:
        print()
        print_table(["E_nu [MeV]", "dPhi/dE [cm^-2 s^-1 MeV^-1]"],
                    list(zip(result["enu_mev"], result["dphi_cm2_s_mev"], strict=True)))
    cites = "; ".join(f"{k}: {v}" for k, v in desc["citations"].items())
    print_items([("source", f"{desc['kind']}: {desc['label']}"),
                 ("conventions", "fluxes per flavour at the detector, integrated over energy "
                                 "(cm^-2 s^-1)"),
                 ("citations", cites)])
    return 0
