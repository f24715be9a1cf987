"""Solar neutrinos at the Earth: standard-solar-model fluxes, spectra and MSW-LMA conversion.

:class:`SolarSource` gives the flux at the Earth (1 AU, year average) of the eight branches pp,
pep, hep, 7Be, 8B, 13N, 15O and 17F as a :class:`~nuem.sources.mixture.FlavorMixture` of

* ``"nue"``: Phi_b(E) P_ee,b(E) summed over the branches, and
* ``"numu"``: Phi_b(E) (1 - P_ee,b(E)), the nu_mu + nu_tau part. nu_mu and nu_tau scatter on
  electrons with identical couplings (neutral current only, Wong & Li, Mod. Phys. Lett. A 20,
  1103 (2005), Eq. 5) and on nuclei identically, so carrying the whole non-nu_e flux as one
  "numu" species is exact for every process in nuem; the split between nu_mu and nu_tau
  (about 1:1, set by theta_23) is therefore not needed.

Fluxes (cm^-2 s^-1, year-averaged at 1 AU) are those of the B16 standard solar models, Vinyoles
et al., ApJ (2017), arXiv:1611.09867, Table 6, for the two compositions GS98 and AGSS09met
(relative 1-sigma model uncertainties in :data:`SOLAR_FLUX_UNCERTAINTY`; the B16 release file
lists 17F(GS98) as 5.28e6, Table 6 as 5.29e6, used here). The spectral shapes and line energies
are those of :mod:`nuem.sources.solar_spectra` (allowed beta+ shapes, Winter et al. 2006 for 8B,
ENSDF 7Be lines, pep at 1.4422 MeV).

Survival probability: adiabatic day-time MSW-LMA with theta_13 (:mod:`nuem.sources.msw`, NuFIT
5.2 parameters), evaluated for each branch at the production-weighted mean electron density of
the branch, :data:`PRODUCTION_DENSITY_NA_CM3`. These were computed from the neutrino production
distributions and electron-density profile of the BS05(OP) standard solar model (J.N. Bahcall,
A.M. Serenelli and S. Basu, ApJ Lett. (2005), arXiv:astro-ph/0412440; the model's published
table of the fraction of each branch produced per radial zone), as
<n_e> = sum_zones f_b n_e / sum_zones f_b. Averaging P_ee itself over the same distributions
instead changes it by < 0.0003 over the energy range of every branch except 8B (< 0.0011, at
7 MeV) and hep (< 0.017; hep is produced over a wide radius range). The production zones of
the B16 models differ from BS05(OP) by a few per cent in density, which moves P_ee by < 0.003.

Validity: E_nu from 0 to 18.8 MeV (hep end point); no Earth regeneration (night-time 8B P_ee is
a few per cent higher), no seasonal 1/d^2 modulation (+-3.3 % over the year), the flux of each
branch uncertain as stated above.

Examples
--------
>>> sun = SolarSource("B16-GS98")
>>> f"{sun.flux().total_cm2_s():.4e}"                       # sum of the eight B16 fluxes
'6.5368e+10'
>>> round(float(sun.survival_probability("pp", 0.2)[()]), 3)
0.549
>>> mix = SolarSource(oscillation="none").flux()
>>> mix.flavors
('nue',)
"""

from __future__ import annotations

import functools

import numpy as np

from .._validation import as_float_array, choice, in_range
from ..exceptions import InvalidParameterError
from .composite import SumFlux
from .flux import TabulatedFlux
from .lines import LineFlux
from .mixture import FlavorMixture
from .msw import NUFIT_52, MixingParameters, survival_probability
from .solar_spectra import LINES, continuum_nodes

__all__ = ["SOLAR_MODELS", "SOLAR_COMPONENTS", "SOLAR_FLUX_UNCERTAINTY", "OSCILLATIONS",
           "PRODUCTION_DENSITY_NA_CM3", "SolarSource"]

#: Branch names, in the order of the B16 tables.
SOLAR_COMPONENTS = ("pp", "pep", "hep", "7Be", "8B", "13N", "15O", "17F")

#: B16 fluxes at the Earth, cm^-2 s^-1 (Vinyoles et al. 2017 (ApJ; arXiv:1611.09867), Table 6).
SOLAR_MODELS: dict[str, dict[str, float]] = {
    "B16-GS98": {"pp": 5.98e10, "pep": 1.44e8, "hep": 7.98e3, "7Be": 4.93e9, "8B": 5.46e6,
                 "13N": 2.78e8, "15O": 2.05e8, "17F": 5.29e6},
    "B16-AGSS09met": {"pp": 6.03e10, "pep": 1.46e8, "hep": 8.25e3, "7Be": 4.50e9, "8B": 4.50e6,
                      "13N": 2.04e8, "15O": 1.44e8, "17F": 3.26e6},
}

#: Relative 1-sigma model uncertainties of the B16 fluxes (same table).
SOLAR_FLUX_UNCERTAINTY: dict[str, dict[str, float]] = {
    "B16-GS98": {"pp": 0.006, "pep": 0.01, "hep": 0.30, "7Be": 0.06, "8B": 0.12, "13N": 0.15,
                 "15O": 0.17, "17F": 0.20},
    "B16-AGSS09met": {"pp": 0.005, "pep": 0.009, "hep": 0.30, "7Be": 0.06, "8B": 0.12,
                      "13N": 0.14, "15O": 0.16, "17F": 0.18},
}

#: Production-weighted mean electron density of each branch, N_A cm^-3 (module docstring;
#: BS05(OP) production distributions, Bahcall, Serenelli & Basu 2005, arXiv:astro-ph/0412440).
PRODUCTION_DENSITY_NA_CM3: dict[str, float] = {
    "pp": 61.9, "pep": 67.9, "hep": 52.4, "7Be": 81.1, "8B": 89.6, "13N": 76.1, "15O": 87.8,
    "17F": 88.7,
}

#: Oscillation treatments: adiabatic MSW-LMA, none (pure nu_e), or a constant P_ee (``pee=``).
OSCILLATIONS = ("msw-lma", "none", "constant")


def _branch_names(components) -> tuple[str, ...]:
    if components is None:
        return SOLAR_COMPONENTS
    if isinstance(components, str):
        components = (components,)
    names = []
    for c in components:
        choice(c, "components", SOLAR_COMPONENTS)
        if c not in names:
            names.append(c)
    if not names:
        raise InvalidParameterError("components=() is empty; give None (all branches) or names "
                                    f"from {', '.join(SOLAR_COMPONENTS)}")
    return tuple(names)


class SolarSource:
    """Solar neutrinos at the Earth (module docstring).

    Parameters
    ----------
    model : {"B16-GS98", "B16-AGSS09met"}
        Standard solar model (fluxes of Vinyoles et al. 2017, Table 6).
    components : None, str or sequence of str
        Branches to include (default all of :data:`SOLAR_COMPONENTS`).
    oscillation : {"msw-lma", "none", "constant"}
        Flavour conversion: adiabatic MSW-LMA (default), none (all nu_e), or a constant
        survival probability ``pee`` (for tests and comparisons).
    pee : float, optional
        The constant P_ee in [0, 1], required with ``oscillation="constant"`` only.
    mixing : MixingParameters
        Oscillation parameters for "msw-lma" (default NuFIT 5.2, :data:`~nuem.sources.msw.
        NUFIT_52`).
    """

    def __init__(self, model: str = "B16-GS98", components=None, oscillation: str = "msw-lma",
                 *, pee: float | None = None, mixing: MixingParameters = NUFIT_52):
        self.model = choice(model, "model", SOLAR_MODELS)
        self.component_names = _branch_names(components)
        self.oscillation = choice(oscillation, "oscillation", OSCILLATIONS)
        if self.oscillation == "constant":
            if pee is None:
                raise InvalidParameterError("pee is required with oscillation='constant' (a "
                                            "survival probability in [0, 1])")
            self.pee = in_range(pee, "pee", 0.0, 1.0)
        elif pee is not None:
            raise InvalidParameterError(f"pee={pee!r} is only used with oscillation='constant' "
                                        f"(oscillation={self.oscillation!r})")
        else:
            self.pee = None
        if not isinstance(mixing, MixingParameters):
            raise InvalidParameterError(f"mixing={mixing!r} must be a nuem.sources.msw."
                                        "MixingParameters")
        self.mixing = mixing
        self.label = (f"Sun {self.model} ({'+'.join(self.component_names)}), "
                      f"{self._oscillation_text()}")

    def _oscillation_text(self) -> str:
        if self.oscillation == "constant":
            return f"P_ee = {self.pee:g}"
        if self.oscillation == "none":
            return "no oscillation (nu_e)"
        return f"MSW-LMA day, {self.mixing.source.split(':')[0]}"

    # ------------------------------------------------------------------ numbers
    def fluxes_cm2_s(self) -> dict[str, float]:
        """Total flux of each selected branch at the Earth, cm^-2 s^-1 (B16 Table 6)."""
        table = SOLAR_MODELS[self.model]
        return {b: table[b] for b in self.component_names}

    def survival_probability(self, branch: str, enu_mev) -> np.ndarray:
        """P_ee of branch ``branch`` at ``enu_mev`` (MeV, >= 0) for this source's treatment."""
        choice(branch, "branch", SOLAR_COMPONENTS)
        e = as_float_array(enu_mev, "enu_mev")
        if np.any(e < 0):
            raise InvalidParameterError(f"enu_mev={float(e[e < 0].flat[0])!r} MeV must be >= 0")
        if self.oscillation == "none":
            return np.ones_like(e)
        if self.oscillation == "constant":
            return np.full_like(e, self.pee)
        return survival_probability(e, PRODUCTION_DENSITY_NA_CM3[branch], self.mixing)

    # ------------------------------------------------------------------ fluxes
    def _flavours(self) -> tuple[str, ...]:
        return ("nue",) if self.oscillation == "none" else ("nue", "numu")

    def _branch_tables(self, branch: str) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        e, shape = continuum_nodes(branch)
        phi = SOLAR_MODELS[self.model][branch] * shape
        p = self.survival_probability(branch, e)
        return e, {"nue": phi * p, "numu": phi * (1.0 - p)}

    def _branch_lines(self, branch: str) -> dict[str, LineFlux]:
        e = np.array([en for en, _ in LINES[branch]])
        phi = SOLAR_MODELS[self.model][branch] * np.array([fr for _, fr in LINES[branch]])
        p = self.survival_probability(branch, e)
        share = {"nue": p, "numu": 1.0 - p}
        return {f: LineFlux(e, phi * share[f], f, label=f"{branch} {f}")
                for f in self._flavours()}

    def _branch_flux(self, branch: str) -> FlavorMixture:
        if branch in LINES:
            parts = self._branch_lines(branch)
        else:
            e, y = self._branch_tables(branch)
            parts = {f: TabulatedFlux(e, y[f], flavor=f, label=f"{branch} {f}")
                     for f in self._flavours()}
        return FlavorMixture(parts, label=f"{branch}: {self.label}")

    def components(self) -> dict[str, FlavorMixture]:
        """Flux of each selected branch at the Earth, ``{branch: FlavorMixture}``."""
        return {b: self._branch_flux(b) for b in self.component_names}

    def flux(self) -> FlavorMixture:
        """Total flux at the Earth: ``FlavorMixture({"nue": ..., "numu": ...})``.

        Each species is a :class:`~nuem.sources.composite.SumFlux` of one tabulated continuum
        (all continuous branches on the union of their nodes; every branch starts and ends at
        zero, so the sum is exact for the per-branch linear interpolants) and the lines.
        """
        return _cached_flux(self.model, self.component_names, self.oscillation, self.pee,
                            self.mixing, self.label)

    def provenance(self) -> dict:
        """Plain-data description of the source (model, branches, oscillation, citations)."""
        return {"source": "solar", "model": self.model, "components": list(self.component_names),
                "oscillation": self.oscillation, "pee": self.pee,
                "mixing": {"sin2_theta12": self.mixing.sin2_theta12,
                           "sin2_theta13": self.mixing.sin2_theta13,
                           "dm2_21_ev2": self.mixing.dm2_21_ev2, "source": self.mixing.source},
                "fluxes_cm2_s": self.fluxes_cm2_s(),
                "reference": "Vinyoles et al. 2017 (ApJ; arXiv:1611.09867), Table 6"}

    def __repr__(self) -> str:
        return (f"SolarSource(model={self.model!r}, components={self.component_names!r}, "
                f"oscillation={self.oscillation!r})")


@functools.lru_cache(maxsize=16)
def _cached_flux(model, names, oscillation, pee, mixing, label) -> FlavorMixture:
    src = SolarSource(model, names, oscillation, pee=pee, mixing=mixing)
    flavours = src._flavours()
    continuum = [b for b in names if b not in LINES]
    lines = [b for b in names if b in LINES]
    species = {}
    tables = [src._branch_tables(b) for b in continuum]
    grid = np.unique(np.concatenate([e for e, _ in tables])) if tables else None
    for f in flavours:
        parts = []
        if tables:
            y = sum(np.interp(grid, e, t[f], left=0.0, right=0.0) for e, t in tables)
            parts.append(TabulatedFlux(grid, y, flavor=f,
                                       label=f"{'+'.join(continuum)} continuum {f}"))
        for b in lines:
            parts.append(src._branch_lines(b)[f])
        species[f] = SumFlux(parts, label=f"{label}: {f}")
    return FlavorMixture(species, label=label)
