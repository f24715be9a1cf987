"""The entries of the bibliography (data; the API is :mod:`nuem.references`).

Add a work here when the code, a preset or the documentation cites it; keep the groups.
"""

from __future__ import annotations

from .model import Reference

__all__ = ["ENTRIES", "PRL", "PRD", "PRC", "RMP", "PAN", "NIMA"]


def _r(key, authors, journal, volume, page, year, **kw) -> Reference:
    return Reference(key, authors, journal, volume, page, year, **kw)


def _aps(journal_code: str, volume: str, page: str) -> str:
    return f"10.1103/{journal_code}.{volume}.{page.replace('(R)', '')}"


_PRL, _PRD, _PRC, _RMP = "Phys. Rev. Lett.", "Phys. Rev. D", "Phys. Rev. C", "Rev. Mod. Phys."
_PAN = "Phys. At. Nucl."
_NIMA = "Nucl. Instrum. Meth. A"
PRL, PRD, PRC, RMP, PAN, NIMA = _PRL, _PRD, _PRC, _RMP, _PAN, _NIMA

ENTRIES = (
    # --- neutrino electromagnetic properties: the Ge atomic-ionization papers and reviews ---------
    _r("wong2010", "H.T. Wong, H.B. Li, S.T. Lin", _PRL, "105", "061801", 2010,
       title="Enhanced sensitivities for the searches of neutrino magnetic moments through "
             "atomic ionization",
       doi=_aps("PhysRevLett", "105", "061801"), arxiv="1001.2074",
       note="Eq. 10 (equivalent-photon atomic-ionization cross section for the magnetic moment) "
            "was withdrawn, see voloshin2010 and the erratum arXiv:1001.2074v3; Table I: projected "
            "sensitivities; Fig. 2: Ge spectra at 1e13 /cm2/s"),
    _r("wong2005", "H.T. Wong, H.B. Li", "Mod. Phys. Lett. A", "20", "1103", 2005,
       title="Neutrino magnetic moments",
       note="review: cross sections Eqs. 2-10, reactor yields Table 1, reactor experiments "
            "Sec. 4.3, Figs. 4 and 9"),
    _r("wong2007", "H.T. Wong et al. (TEXONO)", _PRD, "75", "012001", 2007,
       title="Search of neutrino magnetic moments with a high-purity germanium detector at the "
             "Kuo-Sheng Nuclear Power Station",
       doi=_aps("PhysRevD", "75", "012001"), arxiv="hep-ex/0605006"),
    _r("li2003", "H.B. Li et al. (TEXONO)", _PRL, "90", "131802", 2003,
       doi=_aps("PhysRevLett", "90", "131802"), arxiv="hep-ex/0212003"),
    _r("lin2009", "S.T. Lin et al. (TEXONO)", _PRD, "79", "061101(R)", 2009,
       doi=_aps("PhysRevD", "79", "061101"),
       note="20-g ultra-low-energy Ge at 220 eV threshold; binned Poisson method, Sec. 3.2"),
    _r("deniz2010", "M. Deniz et al. (TEXONO)", _PRD, "81", "072001", 2010,
       doi=_aps("PhysRevD", "81", "072001"),
       note="CsI(Tl) nuebar-e: sin^2 theta_W = 0.251 +- 0.031 +- 0.024; "
            "-2.1 < <r^2>/1e-32 cm^2 < 3.3 (90 % CL, sin^2 theta_W-shift convention)"),
    _r("barranco2008", "J. Barranco, O.G. Miranda, T.I. Rashba", "Phys. Lett. B", "662", "431",
       2008, title="Improved limit on electron neutrino charge radius through a new evaluation "
                   "of the weak mixing angle", arxiv="0707.4319"),
    _r("bahcall1995", "J.N. Bahcall, M. Kamionkowski, A. Sirlin", _PRD, "51", "6146", 1995,
       title="Solar neutrinos: radiative corrections in neutrino-electron scattering "
             "experiments", doi=_aps("PhysRevD", "51", "6146"),
       note="rho_NC = 1.0126, kappa_e(0) = 0.9791, kappa_mu(0) = 0.9970: flavour-dependent "
            "radiative corrections of nu-e scattering"),
    _r("erler2013", "J. Erler, S. Su", "Prog. Part. Nucl. Phys.", "71", "119", 2013,
       title="The weak neutral current", arxiv="1303.5522"),
    _r("fujikawa1980", "K. Fujikawa, R.E. Shrock", _PRL, "45", "963", 1980,
       title="Magnetic moment of a massive neutrino and neutrino-spin rotation",
       doi=_aps("PhysRevLett", "45", "963"),
       note="Dirac neutrino in the minimally extended SM: mu = 3 e G_F m_nu/(8 sqrt2 pi^2)"),
    _r("giunti2015", "C. Giunti, A. Studenikin", _RMP, "87", "531", 2015,
       title="Neutrino electromagnetic interactions: a window to new physics",
       doi=_aps("RevModPhys", "87", "531"), arxiv="1403.6344"),
    _r("voloshin2010", "M.B. Voloshin", _PRL, "105", "201801", 2010,
       doi=_aps("PhysRevLett", "105", "201801"),
       note="shows that the equivalent-photon enhancement of wong2010 does not apply to the "
            "magnetic moment"),
    _r("kouzakov2011", "K.A. Kouzakov, A.I. Studenikin, M.B. Voloshin", _PRD, "83", "113001",
       2011, title="Neutrino-impact ionization of atoms in searches for neutrino magnetic moment",
       doi=_aps("PhysRevD", "83", "113001"), arxiv="1101.4878"),
    _r("chen2014plb", "J.-W. Chen et al.", "Phys. Lett. B", "731", "159", 2014,
       note="ab initio (MCRRPA) atomic ionization of Ge by neutrinos"),
    _r("chen2014prd", "J.-W. Chen et al.", _PRD, "90", "011301(R)", 2014,
       title="Constraints on millicharged neutrinos via analysis of data from atomic ionizations "
             "with germanium detectors at sub-keV sensitivities",
       doi=_aps("PhysRevD", "90", "011301"), arxiv="1405.7168"),
    _r("chen2015", "J.-W. Chen et al.", _PRD, "91", "013005", 2015,
       title="Constraining neutrino electromagnetic properties by germanium detectors",
       doi=_aps("PhysRevD", "91", "013005"), arxiv="1411.0574"),
    _r("chen2016", "J.-W. Chen et al.", _PRD, "93", "093012", 2016,
       title="Atomic ionization by sterile-to-active neutrino conversion and constraints on "
             "dark matter sterile neutrinos with germanium detectors",
       doi=_aps("PhysRevD", "93", "093012"), arxiv="1601.07257",
       note="sterile-neutrino dark matter via the transition magnetic moment"),
    _r("vogel1989", "P. Vogel, J. Engel", _PRD, "39", "3378", 1989,
       title="Neutrino electromagnetic form factors", doi=_aps("PhysRevD", "39", "3378")),
    _r("kopeikin1997", "V.I. Kopeikin, L.A. Mikaelyan, V.V. Sinev", _PAN, "60", "1859", 1997,
       note="stepping approximation for neutrino scattering on bound electrons; English "
            "translation of the Russian original (Yad. Fiz. vol. 60, p. 2032), whose page "
            "some papers (e.g. wong2005) give for the translation"),
    _r("fayans2001", "S.A. Fayans, L.A. Mikaelyan, V.V. Sinev", _PAN, "64", "1475", 2001),
    # --- reactor experiments -----------------------------------------------------------------
    _r("reines1976", "F. Reines, H.S. Gurr, H.W. Sobel", _PRL, "37", "315", 1976,
       doi=_aps("PhysRevLett", "37", "315"), note="Savannah River"),
    _r("vidyakin1992", "G.S. Vidyakin et al.", "JETP Lett.", "55", "206", 1992,
       note="Krasnoyarsk"),
    _r("derbin1993", "A.I. Derbin et al.", "JETP Lett.", "57", "768", 1993, note="Rovno"),
    _r("daraktchieva2003", "Z. Daraktchieva et al. (MUNU)", "Phys. Lett. B", "564", "190", 2003,
       title="Limits on the neutrino magnetic moment from the MUNU experiment"),
    _r("daraktchieva2005", "Z. Daraktchieva et al. (MUNU)", "Phys. Lett. B", "615", "153", 2005,
       arxiv="hep-ex/0502037"),
    _r("beda2010", "A.G. Beda et al. (GEMMA)", "Phys. Part. Nucl. Lett.", "7", "406", 2010,
       title="Upper limit on the neutrino magnetic moment from three years of data from the "
             "GEMMA spectrometer", arxiv="1005.2736"),
    _r("beda2012", "A.G. Beda et al. (GEMMA)", "Adv. High Energy Phys.", "2012", "350150", 2012),
    _r("beda2013", "A.G. Beda et al. (GEMMA)", "Phys. Part. Nucl. Lett.", "10", "139", 2013),
    _r("bonet2021", "H. Bonet et al. (CONUS)", _PRL, "126", "041804", 2021,
       doi=_aps("PhysRevLett", "126", "041804"), arxiv="2011.00210"),
    _r("bonet2021det", "H. Bonet et al. (CONUS)", "Eur. Phys. J. C", "81", "267", 2021,
       note="the CONUS germanium detectors"),
    _r("bonet2022", "H. Bonet et al. (CONUS)", "Eur. Phys. J. C", "82", "813", 2022,
       note="CONUS limits on neutrino electromagnetic properties"),
    _r("conus2024", "CONUS Collaboration", None, None, None, 2024, arxiv="2401.07684",
       note="preprint"),
    # --- reactor source ----------------------------------------------------------------------
    _r("huber2011", "P. Huber", _PRC, "84", "024617", 2011,
       title="On the determination of anti-neutrino spectra from nuclear reactors",
       doi=_aps("PhysRevC", "84", "024617"), arxiv="1106.0687",
       note="erratum: huber2012"),
    _r("huber2012", "P. Huber", _PRC, "85", "029901", 2012,
       doi=_aps("PhysRevC", "85", "029901"), note="erratum to huber2011"),
    _r("mueller2011", "Th.A. Mueller et al.", _PRC, "83", "054615", 2011,
       title="Improved predictions of reactor antineutrino spectra",
       doi=_aps("PhysRevC", "83", "054615"), arxiv="1101.2663"),
    _r("an2023", "F.P. An et al. (Daya Bay)", _PRL, "130", "161802", 2023,
       doi=_aps("PhysRevLett", "130", "161802")),
    _r("dayabay2025", "Daya Bay Collaboration", None, None, None, 2025,
       title="Full data release of the Daya Bay reactor neutrino experiment",
       doi="10.5281/zenodo.17587229", note="v1.0.0, Zenodo, CC BY 4.0"),
    _r("ma2013", "X.B. Ma et al.", _PRC, "88", "014605", 2013,
       doi=_aps("PhysRevC", "88", "014605"), note="energy released per fission"),
    _r("kopeikin2004", "V. Kopeikin, L. Mikaelyan, V. Sinev", _PAN, "67", "1892", 2004,
       note="energy released per fission"),
    _r("wilkinson1989", "D.H. Wilkinson", _NIMA, "275", "378", 1989,
       note="Fermi function for allowed beta spectra"),
    _r("behrens1969", "H. Behrens, J. Jänecke", None, None, None, 1969,
       note="Landolt-Börnstein New Series I/4, Springer"),
    _r("behrens1982", "H. Behrens, W. Bühring", None, None, None, 1982,
       title="Electron radial wave functions and nuclear beta-decay",
       note="Clarendon Press, Oxford"),
    _r("browne2014", "E. Browne, J.K. Tuli", "Nucl. Data Sheets", "122", "205", 2014,
       note="ENSDF evaluation of A = 239"),
    # --- nuclear and atomic physics ----------------------------------------------------------
    _r("lewin1996", "J.D. Lewin, P.F. Smith", "Astropart. Phys.", "6", "87", 1996,
       title="Review of mathematics, numerical factors, and corrections for dark matter "
             "experiments based on elastic nuclear recoil",
       doi="10.1016/S0927-6505(96)00047-3"),
    _r("lindhard1963", "J. Lindhard, V. Nielsen, M. Scharff, P.V. Thomsen",
       "Mat. Fys. Medd. Dan. Vid. Selsk.", "33", "no. 10", 1963),
    _r("bonhomme2022", "A. Bonhomme et al. (CONUS)", "Eur. Phys. J. C", "82", "815", 2022,
       note="measured Ge quenching, Lindhard k = 0.162 +- 0.004"),
    _r("scholz2016", "B.J. Scholz et al.", _PRD, "94", "122003", 2016,
       doi=_aps("PhysRevD", "94", "122003")),
    _r("allison1980", "W.W.M. Allison, J.H. Cobb", "Ann. Rev. Nucl. Part. Sci.", "30", "253",
       1980, title="Relativistic charged particle identification by energy loss",
       doi="10.1146/annurev.ns.30.120180.001345",
       note="photoabsorption-ionization (PAI) model, Eq. 28; dielectric function Eqs. 20-21"),
    _r("landau1984", "L.D. Landau, E.M. Lifshitz, L.P. Pitaevskii", None, None, None, 1984,
       title="Electrodynamics of continuous media", note="2nd ed., Pergamon"),
    _r("henke1993", "B.L. Henke, E.M. Gullikson, J.C. Davis", "At. Data Nucl. Data Tables", "54",
       "181", 1993, doi="10.1006/adnd.1993.1013"),
    _r("elam2002", "W.T. Elam, B.D. Ravel, J.R. Sieber", "Radiat. Phys. Chem.", "63", "121",
       2002, title="A new atomic database for X-ray spectroscopic calculations"),
    _r("schoonjans2011", "T. Schoonjans et al.", "Spectrochim. Acta B", "66", "776", 2011,
       title="The xraylib library for X-ray-matter interactions. Recent developments"),
    # --- detector materials ----------------------------------------------------------------
    _r("doke1976", "T. Doke et al.", "Nucl. Instrum. Meth.", "134", "353", 1976,
       title="Estimation of Fano factors in liquid argon, krypton, xenon and xenon-doped liquid "
             "argon", doi="10.1016/0029-554X(76)90292-5"),
    _r("doke2002", "T. Doke, A. Hitachi, J. Kikuchi, K. Masuda, H. Okada, E. Shibamura",
       "Jpn. J. Appl. Phys.", "41", "1538", 2002, doi="10.1143/JJAP.41.1538",
       title="Absolute scintillation yields in liquid argon and xenon for various particles"),
    _r("goetzke2017", "L.W. Goetzke, E. Aprile, M. Anthony, G. Plante, M. Weber", _PRD, "96",
       "103007", 2017, doi=_aps("PhysRevD", "96", "103007"), arxiv="1611.10322"),
    _r("rodrigues2020", "D. Rodrigues et al.", None, None, None, 2020, arxiv="2004.11499",
       title="Absolute measurement of the Fano factor using a Skipper-CCD", note="preprint"),
    _r("knoll2010", "G.F. Knoll", None, None, None, 2010,
       title="Radiation detection and measurement", note="4th ed., Wiley"),
    _r("fano1968", "U. Fano, J.W. Cooper", _RMP, "40", "441", 1968,
       title="Spectral distribution of atomic oscillator strengths",
       doi=_aps("RevModPhys", "40", "441")),
    # --- statistics --------------------------------------------------------------------------
    _r("feldman1998", "G.J. Feldman, R.D. Cousins", _PRD, "57", "3873", 1998,
       title="Unified approach to the classical statistical analysis of small signals",
       doi=_aps("PhysRevD", "57", "3873"), arxiv="physics/9711021"),
    _r("cowan2011", "G. Cowan, K. Cranmer, E. Gross, O. Vitells", "Eur. Phys. J. C", "71", "1554",
       2011, title="Asymptotic formulae for likelihood-based tests of new physics",
       doi="10.1140/epjc/s10052-011-1554-0", arxiv="1007.1727"),
    _r("rolke2005", "W.A. Rolke, A.M. López, J. Conrad", _NIMA, "551", "493", 2005,
       title="Limits and confidence intervals in the presence of nuisance parameters",
       arxiv="physics/0403059"),
    _r("heinrich2021", "L. Heinrich, M. Feickert, G. Stark, K. Cranmer",
       "J. Open Source Softw.", "6", "2823", 2021,
       title="pyhf: pure-Python implementation of HistFactory statistical models",
       doi="10.21105/joss.02823"),
    _r("cousins1992", "R.D. Cousins, V.L. Highland", _NIMA, "320", "331", 1992,
       title="Incorporating systematic uncertainties into an upper limit"),
    _r("read2002", "A.L. Read", "J. Phys. G", "28", "2693", 2002,
       title="Presentation of search results: the CLs technique",
       doi="10.1088/0954-3899/28/10/313"),
    _r("junk1999", "T. Junk", _NIMA, "434", "435", 1999,
       title="Confidence level computation for combining searches with small statistics",
       arxiv="hep-ex/9902006"),
    _r("helene1983", "O. Helene", "Nucl. Instrum. Meth.", "212", "319", 1983,
       title="Upper limit of peak area"),
    _r("neyman1937", "J. Neyman", "Phil. Trans. R. Soc. A", "236", "333", 1937,
       title="Outline of a theory of statistical estimation based on the classical theory of "
             "probability", doi="10.1098/rsta.1937.0005"),
    _r("wilks1938", "S.S. Wilks", "Ann. Math. Stat.", "9", "60", 1938,
       title="The large-sample distribution of the likelihood ratio for testing composite "
             "hypotheses", doi="10.1214/aoms/1177732360"),
    _r("barinov2022", "V.V. Barinov et al. (BEST)", _PRL, "128", "232501", 2022),
    # --- solar neutrinos and electron-capture sources ------------------------------------------
    _r("vinyoles2017", "N. Vinyoles et al.", "Astrophys. J.", "835", "202", 2017,
       title="A new generation of standard solar models", arxiv="1611.09867",
       note="B16-GS98 and B16-AGSS09met neutrino fluxes, Table 6"),
    _r("bahcall2005", "J.N. Bahcall, A.M. Serenelli, S. Basu", "Astrophys. J.", "621", "L85",
       2005, arxiv="astro-ph/0412440",
       note="BS05(OP) standard solar model; production-zone profiles used for the electron "
            "density at neutrino production"),
    _r("winter2006", "W.T. Winter et al.", _PRC, "73", "025503", 2006,
       title="The 8B neutrino spectrum", arxiv="nucl-ex/0406019", note="Table IV"),
    _r("abdurashitov2006", "J.N. Abdurashitov et al. (SAGE)", _PRC, "73", "045805", 2006,
       arxiv="nucl-ex/0512041", note="the 37Ar neutrino source"),
    _r("wolfenstein1978", "L. Wolfenstein", _PRD, "17", "2369", 1978,
       title="Neutrino oscillations in matter"),
    # --- liquid-noble and solar-neutrino electron-recoil searches --------------------------------
    _r("aprile2022er", "E. Aprile et al. (XENON)", _PRL, "129", "161805", 2022,
       title="Search for new physics in electronic recoil data from XENONnT",
       doi=_aps("PhysRevLett", "129", "161805"), arxiv="2207.11330",
       note="1.16 t yr, (1, 30) keV; data release (event list, background model B0, efficiency) "
            "by the XENON Collaboration"),
    _r("aalbers2023er", "J. Aalbers et al. (LZ)", _PRD, "108", "072006", 2023,
       title="Search for new physics in low-energy electron recoils from the first LZ exposure",
       doi=_aps("PhysRevD", "108", "072006"), arxiv="2307.15753",
       note="60 live days, 5.5 t fiducial mass (abstract); sets a solar-neutrino mu_nu limit "
            "whose value could not be verified here, so the lz-2023 preset stores none"),
    _r("aprile2020er", "E. Aprile et al. (XENON)", _PRD, "102", "072004", 2020,
       title="Excess electronic recoil events in XENON1T",
       doi=_aps("PhysRevD", "102", "072004"), arxiv="2006.09721",
       note="0.65 t yr; mu_nu in (1.4, 2.9)e-11 mu_B at 90 % CL"),
    _r("agostini2017mm", "M. Agostini et al. (Borexino)", _PRD, "96", "091103(R)", 2017,
       title="Limiting neutrino magnetic moments with Borexino Phase-II solar neutrino data",
       doi=_aps("PhysRevD", "96", "091103"), arxiv="1707.09355"),
    # --- dark-matter halo and sterile-neutrino dark matter -------------------------------------
    _r("kerr1986", "F.J. Kerr, D. Lynden-Bell", "Mon. Not. R. Astron. Soc.", "221", "1023", 1986,
       title="Review of galactic constants", note="local circular speed 220 km/s"),
    _r("smith2007", "M.C. Smith et al. (RAVE)", "Mon. Not. R. Astron. Soc.", "379", "755", 2007,
       title="The RAVE survey: constraining the local Galactic escape speed",
       doi="10.1111/j.1365-2966.2007.11964.x", arxiv="astro-ph/0611671",
       note="escape speed 498-608 km/s (90 % CL), median 544 km/s"),
    _r("bulbul2014", "E. Bulbul et al.", "Astrophys. J.", "789", "13", 2014, arxiv="1402.2301",
       note="3.5 keV line in stacked galaxy-cluster X-ray spectra"),
    _r("boyarsky2014", "A. Boyarsky et al.", _PRL, "113", "251301", 2014,
       doi=_aps("PhysRevLett", "113", "251301"), arxiv="1402.4119",
       note="3.5 keV line in M31 and the Perseus cluster"),
    # --- constants and data evaluations ------------------------------------------------------
    _r("tiesinga2021", "E. Tiesinga et al.", _RMP, "93", "025010", 2021,
       title="CODATA recommended values of the fundamental physical constants: 2018",
       doi=_aps("RevModPhys", "93", "025010")),
    _r("pdg2022", "R.L. Workman et al. (Particle Data Group)", "Prog. Theor. Exp. Phys.", "2022",
       "083C01", 2022, title="Review of particle physics", doi="10.1093/ptep/ptac097"),
    _r("pdg2024", "S. Navas et al. (Particle Data Group)", _PRD, "110", "030001", 2024,
       title="Review of particle physics", doi=_aps("PhysRevD", "110", "030001")),
    _r("ciaaw", "T. Prohaska et al.", "Pure Appl. Chem.", "94", "573", 2022,
       title="Standard atomic weights of the elements 2021 (IUPAC Technical Report)",
       doi="10.1515/pac-2019-0603"),
    _r("meija2016", "J. Meija et al.", "Pure Appl. Chem.", "88", "293", 2016,
       title="Isotopic compositions of the elements 2013 (IUPAC Technical Report)",
       doi="10.1515/pac-2015-0503"),
    _r("wang2021", "M. Wang et al.", "Chin. Phys. C", "45", "030003", 2021,
       title="The AME 2020 atomic mass evaluation (II)"),
)

