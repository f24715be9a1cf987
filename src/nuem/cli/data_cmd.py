"""``nuem data``: read a measured spectrum (``show``) and locate its X-ray lines (``lines``)."""

from __future__ import annotations

from .commands import command_parser
from .output import add_json_flag, emit_json, print_table

NAME = "data"


def _common(p) -> None:
    from ..io.excess import FORMATS

    p.add_argument("file", metavar="FILE", help="spectrum file (CSV/TSV/whitespace or EXCESS)")
    p.add_argument("--format", dest="fmt", default="auto",
                   choices=FORMATS,
                   help="file format (default auto: ROOT/HDF5 by signature, header table, "
                        "else EXCESS formats); FILE.h5:GROUP names an HDF5 group")
    p.add_argument("--columns", default=None,
                   help="column names for a file without header, e.g. e_kev,cpkkd,width_kev")
    p.add_argument("--exposure-kg-day", type=float, default=None,
                   help="exposure (kg day) to convert between counts and cpkkd")
    p.add_argument("--bin-width-kev", type=float, default=None,
                   help="fixed bin width for files with centres but no width column")
    add_json_flag(p)


def register(sub) -> None:
    p = command_parser(sub, NAME,
                       description="Measured spectra: conventions in docs/report.md.")
    dsub = p.add_subparsers(dest="data_command", required=True, metavar="ACTION")
    show = dsub.add_parser("show", help="print the spectrum (bins, counts, cpkkd)")
    _common(show)
    show.set_defaults(func=run_show)
    lines = dsub.add_parser("lines", help="locate peaks and compare with the model X-ray lines")
    _common(lines)
    lines.add_argument("--series", default=None, help="series (spectrum, on, off)")
    lines.add_argument("--min-ratio", type=float, default=2.0,
                       help="peak/continuum ratio required for a line (default 2)")
    lines.set_defaults(func=run_lines)


def _read(args):
    from ..io.excess import read_measured

    kw = {}
    if args.fmt in ("auto", "table"):
        kw = {"columns": args.columns, "exposure_kg_day": args.exposure_kg_day,
              "bin_width_kev": args.bin_width_kev}
    return read_measured(args.file, fmt=args.fmt, **kw)


def run_show(args) -> int:
    spec = _read(args)
    out = spec.to_dict()
    if args.json:
        emit_json(out)
        return 0
    for note in spec.notes:
        print(f"# {note}")
    names, rows = ["e_lo_kev", "e_hi_kev"], [list(r) for r in zip(spec.e_lo_kev, spec.e_hi_kev,
                                                                   strict=True)]
    for s, entry in out["series"].items():
        for what in ("counts", "cpkkd"):
            if entry[what] is not None:
                names.append(f"{s}_{what}")
                for r, v in zip(rows, entry[what], strict=True):
                    r.append(v)
    print_table(names, rows)
    return 0


def run_lines(args) -> int:
    from ..io.lines import find_peaks, match_lines

    spec = _read(args)
    series = args.series or spec.series[0]
    out = {"file": str(args.file), "series": series,
           "lines": match_lines(spec, series=series, min_ratio=args.min_ratio),
           "peaks": find_peaks(spec, series=series, min_ratio=max(args.min_ratio, 3.0)),
           "notes": list(spec.notes)}
    if args.json:
        emit_json(out)
        return 0
    rows = [[m["name"], m["model_kev"], m["e_kev"], m["e_uncertainty_kev"],
             100 * m["offset_fraction"], m["ratio_to_continuum"]]
            for m in out["lines"] if m["found"]]
    print_table(["line", "model_kev", "found_kev", "err_kev", "offset_%", "peak/cont"], rows)
    missing = [m["name"] for m in out["lines"] if not m["found"]]
    if missing:
        print(f"# not found: {', '.join(missing)}")
    return 0
