"""Registry of neutrino-source kinds: the ``[source]`` table of experiment files.

Each kind is a :class:`nuem.specs.Variant`: name, its fields (units fixed by the names), a
builder ``build(values, context)`` -> flux object at the detector (``context`` is unused and may
be ``None``), help and citation. The experiment schema, the loader, the CLI and the docs read
:data:`SOURCE_KINDS`; a new source (solar, 51Cr, tritium ...) is one builder and one
``SOURCE_KINDS.register(Variant(...))``, without touching the schema or the loader.

Built-in kinds
--------------
``reactor``
    ``power_gw`` + ``distance_m`` (:class:`nuem.sources.reactor.ReactorSource`) or
    ``flux_cm2_s`` (reactor shape scaled to that total, :func:`nuem.sources.reactor.reactor_flux`);
    optional ``[source.fractions]`` (U235, U238, Pu239, Pu241; sum 1 within 1e-3); optional
    ``nue_lines_cr51_fraction`` (adds the core's 51Cr/55Fe nu_e lines, the flux becoming a
    FlavorMixture) and ``nue_lines_per_fission`` (default 8.3e-4).
``tabulated``
    ``enu_mev`` and ``dphi_cm2_s_mev`` arrays (linear between nodes, zero outside;
    :class:`nuem.sources.flux.TabulatedFlux`) and ``flavor``.
``lines``
    ``energies_mev`` and ``fluxes_cm2_s`` arrays (mono-energetic lines, e.g. an electron-capture
    source; :class:`nuem.sources.lines.LineFlux`) and ``flavor``.
``solar``, ``cr51``, ``ar37``, ``tritium``
    Solar neutrinos, electron-capture and tritium sources (:mod:`nuem.sources.kinds`).
``sterile-dm``
    Sterile-neutrino dark matter (:mod:`nuem.sources.sterile_dm`): ``m_s_kev``, ``rho_gev_cm3``
    and the halo speeds; the built object is not a massless-neutrino flux: its attribute
    ``rate_provider`` names the rate function (``"module:function"``) that a caller such as the
    CLI resolves instead of :func:`nuem.rates.differential_rates`.

Examples
--------
>>> SOURCE_KINDS.names()
('reactor', 'tabulated', 'lines', 'solar', 'cr51', 'ar37', 'tritium', 'sterile-dm')
>>> f = SOURCE_KINDS.get("tabulated").build(
...     {"enu_mev": [0.0, 1.0, 2.0], "dphi_cm2_s_mev": [0.0, 2.0, 0.0], "flavor": "nue"}, None)
>>> round(f.total_cm2_s(), 12), f.flavor
(2.0, 'nue')
"""

from __future__ import annotations

from ..exceptions import InvalidParameterError
from ..specs import Field, Registry, Section, Variant, number, numbers
from ..specs.fields import same_length
from .isotopes import ISOTOPES
from .kinds import BEYOND_REACTOR_KINDS
from .protocol import FLAVORS
from .sterile_dm import STERILE_DM_KIND

__all__ = ["SOURCE_KINDS", "reactor_source_flux"]

#: Registry of source kinds (key ``kind``).
SOURCE_KINDS = Registry("source kind", key="kind")


def reactor_source_flux(*, power_gw=None, distance_m=None, flux_cm2_s=None, fractions=None,
                        nue_lines_cr51_fraction=None, nue_lines_per_fission=None):
    """Reactor flux at the detector: from power + distance, or scaled to a total ν̄e flux; with
    ``nue_lines_cr51_fraction`` plus the core's νe lines.

    Returns
    -------
    nuem.sources.flux.TabulatedFlux, or nuem.sources.mixture.FlavorMixture with the νe lines
    """
    from .reactor import ReactorSource, reactor_flux

    fr = dict(fractions) if fractions else None
    lines = {"nue_lines_cr51_fraction": nue_lines_cr51_fraction,
             "nue_lines_per_fission": nue_lines_per_fission}
    if flux_cm2_s is not None:
        if power_gw is not None or distance_m is not None:
            raise InvalidParameterError("give either power_gw and distance_m, or flux_cm2_s "
                                        "(not both)")
        return reactor_flux(flux_cm2_s, fractions=fr, **lines)
    if power_gw is None or distance_m is None:
        raise InvalidParameterError("a reactor source needs power_gw and distance_m, or "
                                    "flux_cm2_s")
    return ReactorSource(power_gw=power_gw, distance_m=distance_m, fractions=fr,
                         **lines).flux()


def _reactor_check(values: dict, fail) -> None:
    has_pd = "power_gw" in values or "distance_m" in values
    if has_pd == ("flux_cm2_s" in values):
        fail("kind", "a reactor source needs either power_gw and distance_m, or flux_cm2_s "
                     "(not both)")
    if has_pd and not ("power_gw" in values and "distance_m" in values):
        fail("distance_m" if "power_gw" in values else "power_gw",
             "missing required field (power_gw and distance_m go together)")
    if "fractions" in values and abs(sum(values["fractions"].values()) - 1.0) > 1e-3:
        fail("fractions", "fission fractions must sum to 1 within 1e-3")
    if "nue_lines_per_fission" in values and "nue_lines_cr51_fraction" not in values:
        fail("nue_lines_per_fission", "goes with nue_lines_cr51_fraction (the 51Cr share of "
                                      "the lines; no published split is built in)")


def _reactor_build(values: dict, context=None):
    return reactor_source_flux(**{k: values.get(k) for k in (
        "power_gw", "distance_m", "flux_cm2_s", "fractions", "nue_lines_cr51_fraction",
        "nue_lines_per_fission")})


def _tabulated_build(values: dict, context=None):
    from .flux import TabulatedFlux

    return TabulatedFlux(values["enu_mev"], values["dphi_cm2_s_mev"], flavor=values["flavor"],
                         label=values.get("label", "tabulated source"))


def _lines_build(values: dict, context=None):
    from .lines import LineFlux

    return LineFlux(values["energies_mev"], values["fluxes_cm2_s"], values["flavor"],
                    label=values.get("label", "line source"))


_FLAVOR = Field("flavor", "choice", required=True, choices=FLAVORS,
                help="neutrino species of the source")
_LABEL = Field("label", "string", help="free text carried into outputs as provenance")

SOURCE_KINDS.register(Variant(
    "reactor", (
        number("power_gw", "GW", lo=0, lo_open=True, help="thermal power"),
        number("distance_m", "m", lo=0, lo_open=True, help="core-detector distance"),
        number("flux_cm2_s", "cm^-2 s^-1", lo=0, lo_open=True, help="total nuebar flux"),
        number("nue_lines_cr51_fraction", "", lo=0, hi=1,
               help="51Cr share of the core's 51Cr/55Fe nu_e lines (8.3e-4 nu_e per fission, "
                    "Wong & Li 2005 Sec. 4.3); adds the lines (default: none; no published "
                    "split is built in)"),
        number("nue_lines_per_fission", "", lo=0,
               help="total nu_e per fission of those lines (default 8.3e-4)"),
    ), _reactor_build, sections={"fractions": Section(
        help="fission fractions (sum 1)", fields=tuple(number(k, "", lo=0, hi=1)
                                                       for k in ISOTOPES))},
    help="reactor nuebar: power_gw + distance_m, or flux_cm2_s (reactor shape); optional "
         "51Cr/55Fe nu_e lines",
    citation="Huber-Mueller spectra (P. Huber, PRC 84, 024617 (2011); Th.A. Mueller et al., "
             "PRC 83, 054615 (2011)); nu_e lines: Wong & Li, MPLA 20, 1103 (2005), Sec. 4.3; "
             "nuem.sources.reactor",
    check=_reactor_check))
SOURCE_KINDS.register(Variant(
    "tabulated", (
        numbers("enu_mev", "MeV", True, help="strictly increasing neutrino energies"),
        numbers("dphi_cm2_s_mev", "cm^-2 s^-1 MeV^-1", True, help="flux density at the nodes"),
        _FLAVOR, _LABEL,
    ), _tabulated_build, help="a flux table dPhi/dE_nu, linear between nodes, zero outside",
    citation="user table (cite it in each number's source); nuem.sources.flux.TabulatedFlux",
    check=same_length("enu_mev", "dphi_cm2_s_mev")))
SOURCE_KINDS.register(Variant(
    "lines", (
        numbers("energies_mev", "MeV", True, help="line energies", min_len=1),
        numbers("fluxes_cm2_s", "cm^-2 s^-1", True, help="flux of each line", min_len=1),
        _FLAVOR, _LABEL,
    ), _lines_build, help="mono-energetic lines (e.g. an electron-capture source)",
    citation="user lines (cite them in each number's source); nuem.sources.lines.LineFlux",
    check=same_length("energies_mev", "fluxes_cm2_s")))
for _kind in BEYOND_REACTOR_KINDS:  # solar, cr51, ar37, tritium
    SOURCE_KINDS.register(_kind)
SOURCE_KINDS.register(STERILE_DM_KIND)
