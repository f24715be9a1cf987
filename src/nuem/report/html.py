"""HTML rendering of a report summary (internal): one page, inline CSS, no scripts, no network.

Figures are referenced by relative path (``figures/NAME.png``, PDF linked next to it), so the
output directory is self-contained and can be moved or archived as a whole.
"""

from __future__ import annotations

from html import escape

__all__ = ["render"]

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
"""


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


def render(summary: dict, figures: dict) -> str:
    """The report page for a summary (see :func:`nuem.report.build_report`) and its figures."""
    exp = summary["experiment"]
    par = summary["parameters"]
    parts = [f"<h1>nuem report: {escape(exp['id'])}</h1>",
             f"<p class='meta'>{escape(exp.get('name', ''))} &mdash; reference: "
             f"{escape(exp.get('reference', ''))}<br>nuem {escape(summary['nuem_version'])}; "
             f"&mu;<sub>&nu;</sub> = {par['mu_nu']:g} &mu;<sub>B</sub>, &delta;Q = "
             f"{par['delta_q']:g} e, &lang;r&sup2;&rang; = {par['r2_cm2']:g} cm&sup2;</p>"]
    parts += [f"<div class='note'>{escape(n)}</div>" for n in summary["notes"]]
    parts.append("<h2>1. Experiment</h2>")
    parts.append(_table(["quantity", "value"], [
        ["reactor flux at detector [cm⁻² s⁻¹]", summary["flux_cm2_s"]],
        ["exposure ON [kg day]", summary["exposure_on_kg_day"]],
        ["exposure OFF [kg day]", summary["exposure_off_kg_day"]],
        ["threshold [keVee]", summary["threshold_kev"]],
        ["analysis bins [keVee]", f"{summary['spectrum']['e_kev'][0]:.4g} … "
                                  f"{summary['spectrum']['e_kev'][-1]:.4g} (centres), "
                                  f"{len(summary['spectrum']['e_kev'])} bins"]]))
    cites = summary.get("citations", {})
    if cites:
        parts.append("<details><summary>citations of every number</summary>"
                      + _table(["field", "source"], sorted(cites.items())) + "</details>")
    parts.append("<h2>2. Reactor flux</h2>" + _figure(figures["flux"]))
    parts.append("<h2>3. Expected ON/OFF spectra</h2>" + _figure(figures["on_off"]))
    tot = summary["totals_counts"]
    parts.append(_table(["component", "counts (full exposure)"],
                        [[k, float(v)] for k, v in tot.items()]))
    res = summary["residual"]
    parts.append("<h2>4. Expected ON&minus;OFF residual</h2>" + _figure(figures["residual"]))
    parts.append(_table(["quantity", "value"], [
        ["μν + δQ signal counts (ON)", res["signal_counts"]],
        ["expected statistical error of ON−OFF (counts, OFF scaled to ON)",
         res["sigma_counts"]],
        ["signal / error (all bins summed)", res["signal_over_sigma"]],
        ["signal / error (bins in quadrature, √Σ(s/σ)²)", res["signal_over_sigma_binned"]]]))
    section = 5
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
        parts.append(_table(["line", "model [keV]", "found [keV]", "± (bin) [keV]",
                             "offset [%]", "peak/continuum"], rows))
        parts += [f"<div class='note'>{escape(n)}</div>" for n in d.get("notes", [])]
    parts.append(f"<p class='meta'>Summary: <a href='summary.json'>summary.json</a>; "
                 f"built in {summary['timing_s']:.1f} s.</p>")
    return ("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            f"<title>nuem report {escape(exp['id'])}</title><style>{_CSS}</style></head>"
            f"<body>{''.join(parts)}</body></html>\n")
