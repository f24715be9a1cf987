"""Conventions of the ``nuem`` command line, in one place (every command gets them).

* **Numbers as physicists type them**: ``--delta-q -1e-12``, ``--r2-cm2 -1E-32``, ``-.5``,
  ``6.4e12`` and the Unicode minus ``−1e-12`` (copied from a PDF) are values, not options
  (:data:`NUMBER`); every ``type=float`` / ``type=int`` option parses with :func:`number` /
  :func:`integer` (``--n-toys 2e3`` is 2000; NaN and infinities are refused).
* **Errors are one line** ``nuem CMD: error: <parameter>: <what is wrong and what is allowed>``
  with exit status 2; the usage block only with ``--help``. Unknown option, command and choice
  names get a "did you mean" (:func:`nuem._validation.did_you_mean`, also used for preset
  and element names).
* **Every option states its default**: :class:`HelpFormatter` appends ``(default: X)`` unless the
  help text already says it, or says what leaving the option out means (:data:`UNSET`); a test
  walks the whole parser.
* **Output paths are checked while parsing**, before any work (:func:`output_dir`,
  :func:`output_file`): not below an existing file, not on a pseudo file system (/proc, /sys,
  /dev), in a writable directory.
* **Element symbols are case-insensitive** (``--target ge`` -> ``Ge``; :func:`element_case`), a
  valid formula as typed (``CO``) is left alone.
* Implausible input is **warned about** on stderr (:func:`plausibility_warnings`); progress is
  drawn only on a terminal (:func:`progress_wanted`); SIGTERM/SIGHUP end a command like Ctrl-C,
  through its clean-up code (:func:`termination_signals`).
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import sys
from contextlib import contextmanager
from pathlib import Path

__all__ = ["NUMBER", "NuemArgumentParser", "HelpFormatter", "number", "integer", "seed",
           "output_dir", "output_file", "check_output_path", "element_case",
           "plausibility_warnings", "progress_wanted", "termination_signals", "Terminated",
           "warn", "UNSET", "unset_meaning"]

#: A number in any notation after a sign: ``-1``, ``-1.``, ``-.5``, ``-1e-12``, ``-1.5E+3``,
#: ``-inf`` (refused later with a clear message rather than taken for an option).
NUMBER = re.compile(r"^-(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$|^-(?:inf|infinity|nan)$",
                    re.IGNORECASE)
#: File systems that are not storage: writing a report there is always a mistake.
PSEUDO_FS = ("/proc", "/sys", "/dev")
_MINUS = "\u2212"  # the Unicode minus sign of typeset papers


def warn(message: str, stream=None) -> None:
    """One warning line on stderr: ``nuem: warning: <message>``."""
    (stream or sys.stderr).write(f"nuem: warning: {message}\n")


# -- numbers ---------------------------------------------------------------------------------
def number(text: str) -> float:
    """A finite real number in any notation (``12``, ``-.5``, ``6.4e12``, ``−1e-12``)."""
    s = str(text).strip().replace(_MINUS, "-")
    try:
        x = float(s)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number; write e.g. 12, -0.5, "
                                         "6.4e12") from None
    if x != x or x in (float("inf"), float("-inf")):
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
    return x


def integer(text: str) -> int:
    """An integer, also written as ``2e3`` or ``2000.0``."""
    try:
        x = number(text)
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer; write e.g. 2000 or "
                                         "2e3") from None
    if x != int(x):
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer")
    return int(x)


def seed(text: str) -> int:
    """A random seed: a whole number >= 0 (numpy's generators refuse negative seeds)."""
    x = integer(text)
    if x < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a seed; allowed: a whole number "
                                         ">= 0")
    return x


number.__name__ = "number"
integer.__name__ = "integer"
seed.__name__ = "seed"


# -- output paths ----------------------------------------------------------------------------
def check_output_path(path, kind: str = "file") -> Path:
    """Raise ``argparse.ArgumentTypeError`` unless ``path`` can be written as a ``kind``
    ("file" or "dir"): not on /proc, /sys or /dev, not below an existing file, its nearest
    existing parent a writable directory, not an existing directory when a file is wanted (and
    vice versa). Nothing is created. Returns the absolute path."""
    p = Path(os.path.abspath(os.path.expanduser(os.fspath(path))))
    if not str(path).strip():
        raise argparse.ArgumentTypeError("empty path; give a file or directory name")
    for pseudo in PSEUDO_FS:
        if p == Path(pseudo) or Path(pseudo) in p.parents:
            raise argparse.ArgumentTypeError(f"{path}: {pseudo} is not a storage file system; "
                                             "write somewhere else")
    if p.exists():
        if kind == "file" and p.is_dir():
            raise argparse.ArgumentTypeError(f"{path} is a directory; give a file name")
        if kind == "dir" and not p.is_dir():
            raise argparse.ArgumentTypeError(f"{path} exists and is not a directory")
    parent = p if p.is_dir() else p.parent     # an existing file is replaced: check its folder
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir():
        raise argparse.ArgumentTypeError(f"{path} is below {parent}, which is a file, not a "
                                         "directory")
    target = p if p.exists() else parent
    if not os.access(target, os.W_OK | (os.X_OK if target.is_dir() else 0)):
        raise argparse.ArgumentTypeError(f"{path}: {target} is not writable")
    return p


def output_dir(text: str) -> str:
    """argparse ``type=`` of an output directory (:func:`check_output_path`); returns ``text``."""
    check_output_path(text, "dir")
    return text


#: Figure file formats of ``--plot``-like options (matplotlib's Agg and vector backends).
FIGURE_SUFFIXES = (".png", ".pdf", ".svg")


def figure_file(text: str) -> str:
    """argparse ``type=`` of a figure file: an output file (:func:`output_file`) ending in one
    of :data:`FIGURE_SUFFIXES` (checked before any work, not after the computation)."""
    output_file(text)                  # where it goes first (a directory, not writable ...)
    if Path(text).suffix.lower() not in FIGURE_SUFFIXES:
        raise argparse.ArgumentTypeError(f"{text!r}: a figure file ends in "
                                         f"{', '.join(FIGURE_SUFFIXES)}")
    return text


def output_file(text: str) -> str:
    """argparse ``type=`` of an output file (:func:`check_output_path`); returns ``text``."""
    check_output_path(text, "file")
    return text


output_dir.__name__ = "directory"
output_file.__name__ = "file name"


# -- names -----------------------------------------------------------------------------------
def element_case(name):
    """``ge`` -> ``Ge``, ``GE`` -> ``Ge``, ``ge74`` -> ``Ge74``: an element symbol (optionally
    with a mass number) typed in the wrong case. Anything that is already a valid target (a
    formula such as ``CO``, an alias) or is not an element is returned unchanged.

    Examples
    --------
    >>> element_case("ge"), element_case("XE"), element_case("CO"), element_case("CsI")
    ('Ge', 'Xe', 'CO', 'CsI')
    """
    if not isinstance(name, str):
        return name
    m = re.fullmatch(r"\s*([A-Za-z]{1,2})(-?\d*)\s*", name)
    if not m:
        return name
    sym = m.group(1).capitalize()
    if sym + m.group(2) == name:
        return name
    from ..exceptions import NuemError
    from ..targets import get_target

    if not m.group(2):
        try:
            get_target(name)       # a valid formula or alias as typed (CO, NI): keep it
            return name
        except NuemError:
            pass
    try:
        get_target(sym)
    except NuemError:
        return name
    return sym + m.group(2)


# -- warnings --------------------------------------------------------------------------------
#: (attribute, test, message) of implausible values (each value is still used as given).
_IMPLAUSIBLE = (
    ("power_gw", lambda v: v > 10.0,
     "--power-gw {v:g} GW: above 10 GW thermal; the largest reactor cores are about 4.6 GW "
     "(is it the electric power, or several cores?)"),
    ("distance_m", lambda v: v < 1.0,
     "--distance-m {v:g} m: closer than 1 m to a reactor core (is it in cm?)"),
    ("flux_cm2_s", lambda v: v > 1e15,
     "--flux-cm2-s {v:g}: above 1e15 cm^-2 s^-1, more than any reactor site provides"),
    ("mass_kg", lambda v: v > 1e5, "--mass-kg {v:g} kg: above 100 t"),
)


def plausibility_warnings(args) -> list[str]:
    """Messages for values that are allowed but probably mistyped (checked before the run)."""
    out = []
    for name, bad, text in _IMPLAUSIBLE:
        v = getattr(args, name, None)
        values = v if isinstance(v, list | tuple) else [v]
        for x in values:
            if isinstance(x, int | float) and bad(x):
                out.append(text.format(v=x))
                break
    return out


def progress_wanted(quiet: bool = False, stream=None) -> bool:
    """Draw progress only on a terminal (never ``\\r`` fragments in a log file) and not quiet."""
    stream = stream or sys.stderr
    isatty = getattr(stream, "isatty", None)
    return not quiet and bool(isatty and isatty())


# -- signals ---------------------------------------------------------------------------------
class Terminated(BaseException):
    """Raised in the main thread by SIGTERM/SIGHUP so that ``finally`` clean-up runs."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name


@contextmanager
def termination_signals():
    """Within the block, SIGTERM and SIGHUP raise :class:`Terminated` (like Ctrl-C raises
    KeyboardInterrupt), so temporary files are removed; the previous handlers are restored."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        raise Terminated(signum)

    old = {}
    for sig in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if sig is not None:
            old[sig] = signal.signal(sig, handler)
    try:
        yield
    finally:
        for sig, h in old.items():
            signal.signal(sig, h)


# -- the parser ------------------------------------------------------------------------------
_NO_VALUE = (argparse._StoreConstAction, argparse._VersionAction, argparse._HelpAction)
_GENERIC = "the preset's, or the generic detector's {}"
#: What leaving out an option whose default is ``None`` means, as its help shows it
#: ``(default: ...)``; keyed by ``"command --option"`` or, for every command, ``"--option"``.
#: ``{g[field]}`` reads :data:`nuem.experiments.hypothetical.GENERIC_ASSUMPTIONS`.
UNSET = {
    "--experiment": "none; give --experiment or --experiment-file",
    "--experiment-file": "none (a preset by id instead)",
    "sensitivity --experiment": "none: a generic detector described by the flags below",
    "--data": "none (no measured spectrum)",
    "--columns": "the file's header line", "--data-columns": "the file's header line",
    "--exposure-kg-day": "the file's, if it states one",
    "--data-exposure-kg-day": "the file's, if it states one",
    "data --bin-width-kev": "the file's width column, else from the bin centres",
    "--series": "the file's first series",
    "--enu-mev": "none (no spectrum table)",
    "--estimate": "none; give --estimate and --sigma, or --counts",
    "--sigma": "none; give --estimate and --sigma, or --counts",
    "--counts": "none; give --estimate and --sigma, or --counts",
    "--power-gw": "none; give --flux-cm2-s, or --power-gw with --distance-m",
    "--distance-m": "none; needed with --power-gw",
    "--fractions": "typical PWR U235=0.55,U238=0.07,Pu239=0.32,Pu241=0.06",
    "--density-g-cm3": "the material's tabulated density",
    "--atomic": "each process's own default (see nuem rate --help)",
    "limit --flux-cm2-s": "the experiment's flux",
    "sensitivity --flux-cm2-s": _GENERIC.format("{g[source.flux_cm2_s]:g}"),
    "--seed": "fresh entropy (results not reproducible)",
    "--table": "none (the experiment's own sensitivity)",
    "--mass-kg": _GENERIC.format("{g[detector.mass_kg]:g} kg"),
    "--days-on": _GENERIC.format("{g[detector.live_days_on]:g} d"),
    "--days-off": _GENERIC.format("{g[detector.live_days_off]:g} d"),
    "--threshold-kev": _GENERIC.format("{g[analysis.e_min_kev]:g} keV"),
    "--background-cpkkd": "the preset's background model, or the generic detector's flat "
                          "{g[background.flat_cpkkd]:g} counts/(kg keV day)",
    "--resolution-kev": _GENERIC.format("{g[detector.resolution.sigma_noise_kev]:g} keV"),
    "sensitivity --e-max-kev": "the preset's; generic detector: derived from the threshold "
                               "(nuem.experiments.hypothetical_experiment)",
    "sensitivity --bin-width-kev": _GENERIC.format("{g[analysis.bin_width_kev]:g} keV"),
    "scan --workers": "the usable CPUs (affinity, cgroup quota, SLURM_CPUS_PER_TASK); an "
                      "existing Dask cluster: its own",
    "scan --dask-address": "none (a local cluster)",
    "scan --chunksize": "chosen from the grid size and the workers",
    "scan --out": "none (the table goes to stdout only)",
    "scan --plot": "none (no plot)",
}


def unset_meaning(prog: str, option: str) -> str | None:
    """The :data:`UNSET` text for ``option`` of the command ``prog`` ("nuem sensitivity")."""
    words = prog.split()[1:]
    for key in [f"{' '.join(words[:n])} {option}" for n in range(len(words), 0, -1)] + [option]:
        if key in UNSET:
            text = UNSET[key]
            if "{g[" in text:
                from ..experiments.hypothetical import GENERIC_ASSUMPTIONS

                text = text.format(g=GENERIC_ASSUMPTIONS)
            return text
    return None


def _shown_default(action) -> str | None:
    """The default of an option that takes a value, as help shows it (None: nothing to say)."""
    d = action.default
    if d is None or d is argparse.SUPPRESS or isinstance(action, _NO_VALUE):
        return None
    if isinstance(d, list | tuple):
        return " ".join(f"{x:g}" if isinstance(x, float) else str(x) for x in d)
    return f"{d:g}" if isinstance(d, float) else str(d)


class HelpFormatter(argparse.HelpFormatter):
    """Help that states each option's default: ``(default: X)`` is appended unless the text
    already mentions the default (flags and required options need none); for a ``None``
    default the meaning comes from :data:`UNSET`."""

    def _get_help_string(self, action):
        text = action.help or ""
        if not action.option_strings or action.required or "default" in text.lower():
            return text
        shown = _shown_default(action)
        if shown is None and action.default is None and not isinstance(action, _NO_VALUE):
            shown = unset_meaning(self._prog, action.option_strings[-1])
        if shown is not None:
            text += f" (default: {shown.replace('%', '%%')})"
        return text


class NuemArgumentParser(argparse.ArgumentParser):
    """ArgumentParser with the conventions of the module docstring (sub-parsers inherit it)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)
        self._negative_number_matcher = NUMBER
        self.register("type", float, number)
        self.register("type", int, integer)

    # one-line errors ----------------------------------------------------------------------
    def error(self, message):
        message = re.sub(r"^argument ", "", str(message))
        m = re.match(r"the following arguments are required: (.*)$", message)
        if m:
            message = f"{m.group(1)}: required, not given (see {self.prog} --help)"
        m = re.match(r"one of the arguments (.*) is required$", message)
        if m:
            message = f"{' | '.join(m.group(1).split())}: give one of these (see {self.prog} " \
                      "--help)"
        self.exit(2, f"{self.prog}: error: {message}\n")

    def _check_value(self, action, value):
        if action.choices is not None and value not in action.choices:
            from .._validation import did_you_mean

            names = [str(c) for c in action.choices]
            what = "command" if isinstance(action, argparse._SubParsersAction) else "choice"
            raise argparse.ArgumentError(
                action, f"{value!r} is not a known {what}{did_you_mean(value, names)} "
                        f"(allowed: {', '.join(names)})")

    def parse_args(self, args=None, namespace=None):
        ns, extra = self.parse_known_args(args, namespace)
        if extra:
            parser = self
            while True:  # the (sub-)parser of the command that was chosen
                sub = next((a for a in parser._actions
                            if isinstance(a, argparse._SubParsersAction)), None)
                chosen = getattr(ns, sub.dest, None) if sub is not None and sub.dest else None
                if chosen is None or chosen not in sub.choices:
                    break
                parser = sub.choices[chosen]
            word = extra[0]
            if word.startswith("-"):
                from .._validation import did_you_mean

                opt = word.split("=", 1)[0]
                hint = did_you_mean(opt, [o for o in parser._option_string_actions
                                          if o.startswith("--")])
                parser.error(f"{opt}: unknown option{hint} (see {parser.prog} --help)")
            parser.error(f"{word!r}: unexpected argument (see {parser.prog} --help)")
        return ns
