"""HTML rendering of a report summary (internal): one page, inline CSS, no scripts, no network.

Figures are referenced by relative path (``figures/NAME.png``, PDF linked next to it), so the
output directory is self-contained and can be moved or archived as a whole.
"""

from __future__ import annotations

from html import escape

__all__ = ["render", "TEXT_LABELS"]

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;max-width:1100px;
margin:1.5em auto;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.6em;margin-bottom:.2em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;
margin-top:1.6em}table{border-collapse:collapse;margin:.6em 0;font-size:.92em}
td,th{border:1px solid #ddd;padding:.25em .6em;text-align:left;vertical-align:top}
th{background:#f3f3f3}td.num{text-align:right;font-variant-numeric:tabular-nums}
figure{margin:1em 0}figure img{max-width:100%;border:1px solid #eee}
figcaption{font-size:.88em;color:#555}.note{background:#fff8e1;border-left:4px solid #f0b400;
padding:.4em .8em;margin:.4em 0;font-size:.92em}.meta{color:#666;font-size:.9em}
.key{background:#eef5ff;border-left:4px solid #3f90da;padding:.5em .9em;margin:.8em 0}
.key td:nth-child(2){white-space:nowrap}
"""

#: Plain-text (Unicode) names of the spectrum components for tables.
TEXT_LABELS = {"sm_electron": "SM ν̄e–e", "magnetic_moment": "μν signal (ν̄e–e)",
               "millicharge": "δQ signal (ν̄e–e; may be < 0)",
               "cevns": "SM coherent ν̄e–N", "cevns_magnetic_moment": "μν signal (coherent)",
               "background": "background (independent of the ν source), ON exposure",
               "background_off": "background, OFF exposure",
               "total_on": "expected ON total", "total_off": "expected OFF total"}
_PARAM_TEXT = {"mu-nu": ("μν", "μB"), "delta-q": ("|δQ|", "e"), "r2": ("⟨r²⟩", "cm²")}
_NUIS_TEXT = {"flux_norm_sigma": "flux normalisation", "xsec_sigma": "cross-section model",
              "onoff_syst": "OFF normalisation", "escale_sigma": "energy scale",
              "bkg_tilt_sigma": "background tilt"}


def _fmt(x) -> str:
    if isinstance(x, float):
        return f"{x:.4g}"
    return escape(str(x))


def _table(header, rows) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f'<td class="num">{_fmt(c)}</td>' if isinstance(c, int | float)
                         else f"<td>{_fmt(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _figure(fig: dict) -> str:
    png = escape(fig["png"])
    pdf = f' (<a href="{escape(fig["pdf"])}">PDF</a>)' if fig.get("pdf") else ""
    return (f'<figure><img src="{png}" alt="{escape(fig["title"])}">'
            f"<figcaption><b>{escape(fig['title'])}.</b> {escape(fig['caption'])}{pdf}"
            "</figcaption></figure>")


def _lim(x, unit) -> str:
    return "–" if x is None else f"{x:.3g} {unit}"


def _limit_rows(lim: dict) -> list:
    sym, unit = _PARAM_TEXT[lim["param"]]
    cl = f"{100 * lim['cl']:g} % CL"
    rows = []
    exp = lim.get("expected")
    if exp:
        r = exp["result"]
        rows.append([f"expected {sym} limit, median ({cl})", _lim(r["median"], unit),
                     f"Asimov, {r['interval']}; ±1σ: {r['band_1sigma'][0]:.3g}–"
                     f"{r['band_1sigma'][1]:.3g}, ±2σ: {r['band_2sigma'][0]:.3g}–"
                     f"{r['band_2sigma'][1]:.3g} {unit}; statistical only"])
    d = lim.get("data")
    if d:
        if d.get("limit"):
            x = d["limit"]
            nuis = ", ".join(f"{_NUIS_TEXT.get(k, k)} σ = {v:g}" for k, v in
                             d["nuisances"].items()) or "none (statistical only)"
            bf = ("" if x["best_fit"] is None else
                  f"; θ = {_THETA_TEXT[lim['param']]}: θ̂ = {x['best_fit']:.3g} ± "
                  f"{x['stat']:.3g} (stat) ± {x['syst']:.2g} (syst), χ²/dof = "
                  f"{x['chi2']:.3g}/{x['dof']}")
            rows.append([f"{sym} limit from the data ({cl})", _lim(x["upper_limit"], unit),
                         f"method {x['method']}; likelihood: {d.get('model') or '-'}; "
                         f"nuisances: {nuis}{bf}"])
        else:
            rows.append([f"{sym} limit from the data", "not computed", d.get("error") or ""])
    p = lim.get("published")
    if p:
        val = (_lim(p["value"], unit) if p.get("value") is not None
               else f"{p['range'][0]:.2g}–{p['range'][1]:.2g} {unit} (range)")
        pcl = f"{100 * p['cl']:g} % CL" if p.get("cl") else "CL not stated"
        what = "projected" if p.get("kind") == "projection" else "published"
        rows.append([f"{what} {sym} limit: {p['label']} ({pcl})", val, p["source"]])
    return rows


def _widths(w) -> str:
    lo, hi = min(w), max(w)
    return f"{lo:.3g}" if abs(hi - lo) <= 1e-9 * hi else f"{lo:.3g}–{hi:.3g}"


_THETA_TEXT = {"mu-nu": "(μν/10⁻¹¹ μB)²", "delta-q": "(δQ/10⁻¹² e)²", "r2": "⟨r²⟩/10⁻³² cm²"}


def _assumption_rows(summary) -> list:
    sp = summary["spectrum"]
    what = "reactor" if summary.get("source_kind", "reactor") == "reactor" else "neutrino"
    rows = [[f"{what} flux at detector [cm⁻² s⁻¹] ({summary.get('source_kind', 'reactor')})",
             summary["flux_cm2_s"]],
            ["exposure ON [kg day] (experiment file)", summary["exposure_on_kg_day"]],
            ["exposure OFF [kg day] (experiment file)", summary["exposure_off_kg_day"]],
            ["threshold [keVee]", summary["threshold_kev"]],
            ["analysis window [keVee]", f"{summary['window_kev'][0]:.4g} – "
                                        f"{summary['window_kev'][1]:.4g}"],
            ["analysis bins", f"{len(sp['e_kev'])} bins of {_widths(sp['bin_width_kev'])} keV"]]
    d = (summary.get("limits") or {}).get("data") or {}
    oo = d.get("onoff")
    if oo and "on_counts" in oo:
        src = oo.get("exposure_source", {})
        rows += [["data exposure ON [kg day]", f"{oo['exposure_on_kg_day']:.4g} "
                                                f"({src.get('on', 'file')})"],
                 ["data exposure OFF [kg day]", f"{oo['exposure_off_kg_day']:.4g} "
                                                 f"({src.get('off', 'file')})"],
                 ["data bins inside the window", f"{len(oo['e_lo_kev'])}: "
                                                 f"{oo['e_lo_kev'][0]:.4g}–"
                                                 f"{oo['e_hi_kev'][-1]:.4g} keV"]]
    return rows


def render(summary: dict, figures: dict) -> str:
    """The report page for a summary (see :func:`nuem.report.build_report`) and its figures."""
    exp = summary["experiment"]
    par = summary["parameters"]
    parts = [f"<h1>nuem report: {escape(exp['id'])}</h1>",
             f"<p class='meta'>{escape(exp.get('name', ''))} &mdash; reference: "
             f"{escape(exp.get('reference', ''))}<br>nuem {escape(summary['nuem_version'])}; "
             f"signal hypothesis &mu;<sub>&nu;</sub> = {par['mu_nu']:g} &mu;<sub>B</sub>, "
             f"&delta;<sub>Q</sub> = {par['delta_q']:g} e, &lang;r&sup2;&rang; = "
             f"{par['r2_cm2']:g} cm&sup2;</p>"]
    lim = summary.get("limits") or {}
    rows = _limit_rows(lim) if lim else []
    if rows:
        parts.append("<div class='key'><b>Limits</b>" + _table(["quantity", "value", "how"],
                                                               rows) + "</div>")
    parts += [f"<div class='note'>{escape(n)}</div>" for n in
              [*summary["notes"], *lim.get("notes", [])]]
    parts.append("<h2>1. Experiment and assumptions</h2>")
    parts.append(_table(["quantity", "value"], _assumption_rows(summary)))
    if exp.get("notes"):   # the experiment file's own caveats
        parts.append(f"<div class='note'><b>Experiment file notes:</b> "
                     f"{escape(str(exp['notes']))}</div>")
    cites = summary.get("citations", {})
    if cites:
        parts.append("<details><summary>citations of every number</summary>"
                     + _table(["field", "source"], sorted(cites.items())) + "</details>")
    kind = summary.get("source_kind", "reactor")
    parts.append(f"<h2>2. {'Reactor' if kind == 'reactor' else 'Neutrino'} flux</h2>"
                 + _figure(figures["flux"]))
    has_off = summary["exposure_off_kg_day"] > 0
    parts.append(f"<h2>3. Expected {'ON/OFF spectra' if has_off else 'ON spectrum (no OFF data)'}"
                 "</h2>" + _figure(figures["on_off"]))
    tot = summary["totals_counts"]
    def label(k):   # the reactor's nuebar, else a generic nu (solar: several flavours)
        text = TEXT_LABELS.get(k, k)
        return text if kind == "reactor" else text.replace("ν̄e", "ν")

    parts.append(_table(["component", "counts (full exposure)"],
                        [[label(k), float(v)] for k, v in tot.items()]))
    res = summary["residual"]
    parts.append(f"<h2>4. ON&minus;{'OFF' if has_off else 'background'} residual</h2>"
                 + _figure(figures["residual"]))
    parts.append(_table(["quantity", "value"], [
        ["μν + δQ signal counts (ON)", res["signal_counts"]],
        ["expected statistical error of ON−OFF (counts, OFF scaled to ON)" if has_off else
         "expected statistical error of ON (counts; background taken as known)",
         res["sigma_counts"]],
        ["signal / error (all bins summed)", res["signal_over_sigma"]],
        ["signal / error (bins in quadrature, √Σ(s/σ)²)", res["signal_over_sigma_binned"]]]))
    section = 5
    if "limits" in figures:
        parts.append(f"<h2>{section}. Expected limit versus exposure</h2>"
                     + _figure(figures["limits"]))
        section += 1
    if "wong_li_2005_fig4" in figures:  # drawn for germanium detectors only
        parts.append(f"<h2>{section}. Germanium: rates and reactor limits (Wong &amp; Li, "
                     "MPLA 20, 1103 (2005))</h2>" + _figure(figures["wong_li_2005_fig4"])
                     + _figure(figures["wong_li_2005_fig9a"]))
        section += 1
    if "data" in summary:
        d = summary["data"]
        parts.append(f"<h2>{section}. Measured spectrum: {escape(d['file'])}</h2>"
                     + _figure(figures["data"]))
        rows = [[m["name"], m["model_kev"], m["e_kev"], m["e_uncertainty_kev"],
                 100 * m["offset_fraction"], m["ratio_to_continuum"]]
                for m in d["lines"] if m.get("found")]
        if rows:
            parts.append(_table(["line", "model [keV]", "found [keV]", "± (bin) [keV]",
                                 "offset [%]", "peak/continuum"], rows))
        else:
            parts.append("<p>No X-ray line of the model was found in this spectrum.</p>")
        parts += [f"<div class='note'>{escape(n)}</div>" for n in d.get("notes", [])]
    parts.append(f"<p class='meta'>Summary: <a href='summary.json'>summary.json</a>; "
                 f"built in {summary['timing_s']:.1f} s.</p>")
    return ("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            f"<title>nuem report {escape(exp['id'])}</title><style>{_CSS}</style></head>"
            f"<body>{''.join(parts)}</body></html>\n")
