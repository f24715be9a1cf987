"""The sub-commands of ``nuem``: one table of light metadata, loaded lazily.

Each command lives in a module ``nuem.cli.<module>`` with ``NAME``, ``register(sub)`` (adds its
sub-parser) and ``run(args)``. The top-level parser lists every command from :data:`COMMANDS`
(name → module and one-line help) **without importing the command modules**, and only the
command being run registers its full sub-parser, so that ``nuem --help`` and every command pay
for the imports of that command only (the numerical stack — numpy, scipy, matplotlib — is
imported by the run functions that need it). A new command is one line here; its module's
``register`` adds its sub-parser with :func:`command_parser`, which takes the help line from
this table (one copy of it).

Nothing in this module imports numpy.
"""

from __future__ import annotations

import importlib

__all__ = ["COMMANDS", "command_module", "command_parser", "find_command", "add_commands"]

#: Command name -> (module under nuem.cli, one-line help shown by ``nuem --help``).
COMMANDS: dict[str, tuple[str, str]] = {
    "flux": ("flux_cmd", "neutrino flux at the detector (reactor, solar, 51Cr, 37Ar, tritium, "
                         "... from the source registry)"),
    "interval": ("interval_cmd", "confidence interval for a parameter >= 0"),
    "rate": ("rate_cmd", "differential event rates per component"),
    "xsec": ("xsec_cmd", "single differential cross sections dsigma/dT (cm^2/keV)"),
    "experiments": ("experiments_cmd", "experiment presets (list, show)"),
    "spectrum": ("spectrum_cmd", "observed ON/OFF spectrum of an experiment"),
    "report": ("report_cmd", "HTML report with flux, ON/OFF spectra, residual and, for "
                             "germanium, Figs. 4/9a of Wong & Li, MPLA 20, 1103 (2005)"),
    "data": ("data_cmd", "read measured spectra and find X-ray lines"),
    "atomic": ("atomic_cmd", "photoabsorption sigma_gamma(E) and atomic shells"),
    "figure": ("figure_cmd", "write figures of published papers (PNG + PDF)"),
    "systematics": ("systematics_cmd", "systematic spreads of model inputs"),
    "limit": ("limit_cmd", "upper limit from a measured spectrum"),
    "sensitivity": ("sensitivity_cmd", "expected sensitivity (median limit and bands)"),
    "scan": ("scan_cmd", "sensitivity scan over a parameter grid"),
    "convert": ("convert_cmd", "convert quoted results (e.g. <r^2> bounds from sin^2 theta_W)"),
    "moment": ("moment_cmd", "moment matrix -> effective moment per source, decays"),
    "export": ("export_cmd", "export to HEP tools (pyhf HistFactory workspace)"),
    "completion": ("completion_cmd", "print a shell-completion script (bash, zsh, tcsh)"),
}


def command_module(name: str):
    """Import and return the module of command ``name`` (a key of :data:`COMMANDS`)."""
    return importlib.import_module(f"{__package__}.{COMMANDS[name][0]}")


def command_parser(sub, name: str, **kwargs):
    """The sub-parser of command ``name`` added to ``sub``, with its one-line help from
    :data:`COMMANDS` (``kwargs``: the other ``add_parser`` arguments, e.g. ``description``)."""
    return sub.add_parser(name, help=COMMANDS[name][1], **kwargs)


def find_command(argv) -> str | None:
    """The command named in ``argv``: its first token that does not start with ``-`` (the
    top-level parser has flags without values only), or None if that token is no command."""
    for token in argv:
        if token == "--":
            return None
        if not token.startswith("-"):
            return token if token in COMMANDS else None
    return None


def add_commands(sub, load=None) -> None:
    """Add every command to the sub-parsers action ``sub``, in :data:`COMMANDS` order.

    Commands in ``load`` (names; ``None`` = all) register their full sub-parser through their
    module; the others get a placeholder with their help line (enough for ``nuem --help`` and
    for argparse's choice of the command), and their modules are not imported.
    """
    for name, (_module, help_line) in COMMANDS.items():
        if load is None or name in load:
            command_module(name).register(sub)
        else:
            sub.add_parser(name, help=help_line, add_help=False)
