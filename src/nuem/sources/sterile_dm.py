"""Sterile-neutrino dark matter: a non-relativistic halo population of mass m_s at the detector.

The population that J.-W. Chen et al., Phys. Rev. D 93, 093012 (2016) (arXiv:1601.07257) let
convert to active neutrinos on atomic electrons through a transition magnetic moment. Its rate
is computed by :func:`nuem.interactions.sterile_transition.sterile_dm_rates` (the source carries
that function's dotted path as :attr:`SterileDMHalo.rate_provider`), not by the massless-neutrino
engine :func:`nuem.rates.differential_rates`.

Halo model (standard halo model, SHM; J.D. Lewin & P.F. Smith, Astropart. Phys. 6, 87 (1996),
Sec. 3): in the Galactic rest frame a Maxwellian f(v) ~ exp(-v^2/v0^2) truncated at |v| = v_esc,
seen from the Earth moving with v_E. The lab-frame speed density (angles integrated; Eq. H1 of
docs/sterile_dm.md) is, for 0 <= v <= v_esc + v_E,

    f(v) = v / (sqrt(pi) v0 v_E N) [exp(-(v - v_E)^2/v0^2) - exp(-min((v + v_E)^2, v_esc^2)/v0^2)],
    N = erf(z) - 2 z exp(-z^2)/sqrt(pi),  z = v_esc/v0,

(v_E -> 0: the truncated Maxwellian 4 v^2 exp(-v^2/v0^2)/(sqrt(pi) v0^3 N)), and the mean
inverse speed above v_min, eta(v_min) = int_{v_min} f(v)/v dv (Eq. H2), is closed-form (erf).
The sterile-neutrino rate needs f only through eta (docs/sterile_dm.md, Eq. S6).

Defaults (each settable): rho = 0.3 GeV/cm^3 and v_E = 232 km/s (Lewin & Smith 1996,
Sec. 3, annual average), v0 = 220 km/s (F.J. Kerr & D. Lynden-Bell, Mon. Not. R. Astron. Soc.
221, 1023 (1986)), v_esc = 544 km/s (M.C. Smith et al., Mon. Not. R. Astron. Soc. 379, 755
(2007), RAVE median), m_s = 7.1 keV (the mass for which nu_s -> nu gamma gives the 3.5 keV X-ray
line of E. Bulbul et al., Astrophys. J. 789, 13 (2014) and A. Boyarsky et al., Phys. Rev. Lett.
113, 251301 (2014); a reference point, not a claim).

Flavour: the population is the species ``"nu_s"``, deliberately *not* in
:data:`nuem.sources.protocol.FLAVORS`: the standard processes (SM nu-e, CEvNS, mu_nu, ...) are
written for massless active neutrinos; :func:`nuem.sources.check_flux` (hence the rate engine)
refuses this source with an error naming the species, instead of returning zeros silently.
Flux-protocol methods are provided where they are meaningful (total flux n <v>, the line at
E = m_s, tail moments of that line) so that ``nuem flux`` can report the source.

Validity: m_s in [:data:`MS_MIN_KEV`, :data:`MS_MAX_KEV`] (module docstring of
:mod:`nuem.interactions.sterile_transition`); v_E < v_esc; non-relativistic speeds
(v ~ 1e-3 c; corrections O(v^2) ~ 1e-6 are neglected).

Examples
--------
>>> h = SterileDMHalo()
>>> f"{h.number_density_cm3():.4e}"                    # 0.3 GeV/cm^3 / 7.1 keV
'4.2254e+04'
>>> round(h.mean_speed_km_s(), 1)
329.5
"""

from __future__ import annotations

import math

import numpy as np
from hepunits import GeV, MeV, cm, keV, km, s
from hepunits.constants import c_light

from .._validation import as_float_array, positive_scalar
from ..exceptions import InvalidParameterError
from ..specs import Field, Variant, number

__all__ = ["SterileDMHalo", "MS_MIN_KEV", "MS_MAX_KEV", "SPECIES", "HALO_DEFAULTS",
           "STERILE_DM_KIND", "RATE_PROVIDER"]

#: Smallest and largest sterile-neutrino mass (keV) of the model (see
#: :mod:`nuem.interactions.sterile_transition`: the pole at m_s/2 above the plasma energies,
#: where |eps - 1| << 1; below 2 m_e, so nu_s -> nu_a gamma is the only electromagnetic decay).
MS_MIN_KEV = 1.0
MS_MAX_KEV = 1000.0
#: Species label of the population (not an active flavour).
SPECIES = "nu_s"
#: Dotted path of the rate function for this source (resolved by the caller, e.g. the CLI).
RATE_PROVIDER = "nuem.interactions.sterile_transition:sterile_dm_rates"

#: Default values with their sources (module docstring).
HALO_DEFAULTS = {
    "m_s_kev": (7.1, "3.5 keV X-ray line: Bulbul et al., Astrophys. J. 789, 13 (2014); "
                     "Boyarsky et al., Phys. Rev. Lett. 113, 251301 (2014)"),
    "rho_gev_cm3": (0.3, "Lewin & Smith, Astropart. Phys. 6, 87 (1996), Sec. 3"),
    "v0_km_s": (220.0, "Kerr & Lynden-Bell, Mon. Not. R. Astron. Soc. 221, 1023 (1986)"),
    "v_esc_km_s": (544.0, "Smith et al., Mon. Not. R. Astron. Soc. 379, 755 (2007)"),
    "v_earth_km_s": (232.0, "Lewin & Smith, Astropart. Phys. 6, 87 (1996), Sec. 3"),
}
_C_KM_S = c_light / (km / s)


def _d(name: str) -> float:
    return HALO_DEFAULTS[name][0]


class SterileDMHalo:
    """Halo population of sterile neutrinos at the detector (module docstring).

    Parameters
    ----------
    m_s_kev : float
        Sterile-neutrino mass in keV, in [MS_MIN_KEV, MS_MAX_KEV].
    rho_gev_cm3 : float
        Local density of the population in GeV/cm^3 (>= 0; the fraction of the dark matter made
        of nu_s times the local dark-matter density).
    v0_km_s, v_esc_km_s, v_earth_km_s : float
        Most probable Galactic-frame speed (> 0), escape speed (> 0) and Earth speed (>= 0,
        < v_esc) of the standard halo model, km/s.
    label : str
        Free text carried into provenance.
    """

    species = SPECIES
    rate_provider = RATE_PROVIDER

    def __init__(self, m_s_kev: float = _d("m_s_kev"), rho_gev_cm3: float = _d("rho_gev_cm3"),
                 v0_km_s: float = _d("v0_km_s"), v_esc_km_s: float = _d("v_esc_km_s"),
                 v_earth_km_s: float = _d("v_earth_km_s"), *, label: str = ""):
        ms = positive_scalar(m_s_kev, "m_s_kev", "keV")
        if not MS_MIN_KEV <= ms <= MS_MAX_KEV:
            raise InvalidParameterError(
                f"m_s_kev={ms!r} keV is outside the range of the sterile-neutrino model: "
                f"[{MS_MIN_KEV:g}, {MS_MAX_KEV:g}] keV")
        self.m_s_kev = ms
        self.rho_gev_cm3 = positive_scalar(rho_gev_cm3, "rho_gev_cm3", "GeV/cm^3",
                                           allow_zero=True)
        self.v0_km_s = positive_scalar(v0_km_s, "v0_km_s", "km/s")
        self.v_esc_km_s = positive_scalar(v_esc_km_s, "v_esc_km_s", "km/s")
        self.v_earth_km_s = positive_scalar(v_earth_km_s, "v_earth_km_s", "km/s",
                                            allow_zero=True)
        if self.v_earth_km_s >= self.v_esc_km_s:
            raise InvalidParameterError(
                f"v_earth_km_s={self.v_earth_km_s!r} km/s is not allowed; it must be < "
                f"v_esc_km_s={self.v_esc_km_s!r} km/s")
        self.label = label or (f"sterile-neutrino dark matter, m_s = {ms:g} keV, "
                               f"rho = {self.rho_gev_cm3:g} GeV/cm^3")
        z = self.v_esc_km_s / self.v0_km_s
        self._norm = math.erf(z) - 2.0 * z * math.exp(-z * z) / math.sqrt(math.pi)

    # ------------------------------------------------------------------ halo
    @property
    def v_max_km_s(self) -> float:
        """Largest lab-frame speed, v_esc + v_E (km/s)."""
        return self.v_esc_km_s + self.v_earth_km_s

    def number_density_cm3(self) -> float:
        """n_s = rho / m_s in cm^-3."""
        return self.rho_gev_cm3 * (GeV / keV) / self.m_s_kev

    def speed_pdf_s_km(self, v_km_s) -> np.ndarray:
        """Lab-frame speed density f(v) in s/km (Eq. H1), normalised to 1 over [0, v_max]."""
        v = np.asarray(as_float_array(v_km_s, "v_km_s"), dtype=float)
        v0, ve, vesc = self.v0_km_s, self.v_earth_km_s, self.v_esc_km_s
        inside = (v >= 0) & (v <= self.v_max_km_s)
        if ve == 0.0:
            out = 4 * v * v * np.exp(-(v / v0) ** 2) / (math.sqrt(math.pi) * v0**3 * self._norm)
            return np.where((v >= 0) & (v <= vesc), out, 0.0)[()]
        upper = np.minimum((v + ve) ** 2, vesc * vesc)
        out = v / (math.sqrt(math.pi) * v0 * ve * self._norm) * (
            np.exp(-((v - ve) / v0) ** 2) - np.exp(-upper / v0**2))
        return np.where(inside, np.maximum(out, 0.0), 0.0)[()]

    def eta_s_km(self, v_min_km_s) -> np.ndarray:
        """Mean inverse speed eta(v_min) = int_{v >= v_min} f(v)/v dv in s/km (Eq. H2)."""
        u = np.maximum(np.asarray(as_float_array(v_min_km_s, "v_min_km_s"), dtype=float), 0.0)
        v0, ve, vesc, n = self.v0_km_s, self.v_earth_km_s, self.v_esc_km_s, self._norm
        e_esc = math.exp(-((vesc / v0) ** 2))
        if ve == 0.0:
            out = 2.0 / (math.sqrt(math.pi) * v0 * n) * (np.exp(-((u / v0) ** 2)) - e_esc)
            return np.where(u < vesc, out, 0.0)[()]
        v1, v2 = vesc - ve, vesc + ve
        from scipy.special import erf

        first = (erf((v2 - ve) / v0) - erf((u - ve) / v0)) / (2.0 * ve * n)
        low = u < v1
        second = np.where(low, (erf((v1 + ve) / v0) - erf((u + ve) / v0)) / (2.0 * ve * n), 0.0)
        flat = e_esc * (v2 - np.where(low, v1, u)) / (math.sqrt(math.pi) * v0 * ve * n)
        return np.where(u < v2, np.maximum(first - second - flat, 0.0), 0.0)[()]

    def mean_speed_km_s(self) -> float:
        """<v> = int v f(v) dv (km/s), by Gauss-Legendre quadrature on [0, v_max]."""
        x, w = np.polynomial.legendre.leggauss(200)
        knee = self.v_esc_km_s - self.v_earth_km_s
        total = 0.0
        for a, b in ((0.0, knee), (knee, self.v_max_km_s)):
            v = 0.5 * (b - a) * x + 0.5 * (b + a)
            total += 0.5 * (b - a) * float(np.sum(w * v * self.speed_pdf_s_km(v)))
        return total

    @staticmethod
    def km_s_to_c(v_km_s):
        """Speed in units of c."""
        return np.asarray(v_km_s, dtype=float) / _C_KM_S

    # ------------------------------------------------------------------ flux-protocol view
    @property
    def flavors(self) -> tuple[str, ...]:
        """``("nu_s",)``: not an active flavour, so the massless-neutrino engine refuses it."""
        return (SPECIES,)

    def total_cm2_s(self, flavor: str | None = None) -> float:
        """Flux n_s <v> in cm^-2 s^-1 (``flavor`` None or ``"nu_s"``, else 0)."""
        if flavor is not None and flavor != SPECIES:
            return 0.0
        return self.number_density_cm3() * self.mean_speed_km_s() * (km / cm)

    def break_energies_mev(self) -> np.ndarray:
        """The line at E = m_s (kinetic energy m_s v^2/2 ~ 1e-6 m_s neglected), MeV."""
        return np.array([self.m_s_kev * keV / MeV])

    def moments_mev(self, enu_min_mev, powers=(0, 1, 2), flavor: str | None = None
                    ) -> np.ndarray:
        """Tail moments of the line at E = m_s (flux protocol; cm^-2 s^-1 MeV^-k)."""
        x = np.asarray(enu_min_mev, dtype=float)
        e = float(self.break_energies_mev()[0])
        phi = self.total_cm2_s(flavor)
        rows = [np.where(x <= e, phi * e ** (-int(k)), 0.0) for k in powers]
        return np.stack(rows) if rows else np.zeros((0,) + x.shape)

    def describe(self) -> dict:
        """JSON-serialisable parameters with their sources (provenance)."""
        out = {k: getattr(self, k) for k in HALO_DEFAULTS}
        out.update({"species": SPECIES, "label": self.label,
                    "number_density_cm3": self.number_density_cm3(),
                    "mean_speed_km_s": self.mean_speed_km_s(),
                    "defaults_sources": {k: v[1] for k, v in HALO_DEFAULTS.items()},
                    "halo_model": "standard halo model (truncated Maxwellian, Earth motion)",
                    "rate_provider": RATE_PROVIDER})
        return out


def _build(values: dict, context=None) -> SterileDMHalo:
    kw = {k: values[k] for k in HALO_DEFAULTS if k in values}
    return SterileDMHalo(**kw, label=values.get("label", ""))


def _check(values: dict, fail) -> None:
    ms = values.get("m_s_kev", _d("m_s_kev"))
    if not MS_MIN_KEV <= ms <= MS_MAX_KEV:
        fail("m_s_kev", f"{ms!r} keV is outside the model range [{MS_MIN_KEV:g}, "
                        f"{MS_MAX_KEV:g}] keV")
    ve = values.get("v_earth_km_s", _d("v_earth_km_s"))
    vesc = values.get("v_esc_km_s", _d("v_esc_km_s"))
    if ve >= vesc:
        fail("v_earth_km_s", f"{ve!r} km/s must be < v_esc_km_s = {vesc!r} km/s")


#: The ``sterile-dm`` source kind (registered by :mod:`nuem.sources.registry`).
STERILE_DM_KIND = Variant(
    "sterile-dm", (
        number("m_s_kev", "keV", lo=MS_MIN_KEV, hi=MS_MAX_KEV,
               help="sterile-neutrino mass (default 7.1)"),
        number("rho_gev_cm3", "GeV/cm^3", lo=0, help="local nu_s density (default 0.3)"),
        number("v0_km_s", "km/s", lo=0, lo_open=True, help="SHM v0 (default 220)"),
        number("v_esc_km_s", "km/s", lo=0, lo_open=True, help="escape speed (default 544)"),
        number("v_earth_km_s", "km/s", lo=0, help="Earth speed in the halo (default 232)"),
        Field("label", "string", help="free text carried into outputs as provenance"),
    ), _build,
    help="sterile-neutrino dark matter (halo nu_s of mass m_s, standard halo model); rates via "
         "the transition magnetic moment mu_sa",
    citation="J.-W. Chen et al., PRD 93, 093012 (2016); SHM: Lewin & Smith 1996; "
             "nuem.sources.sterile_dm",
    check=_check)
