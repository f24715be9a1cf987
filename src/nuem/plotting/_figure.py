"""Figure helpers (internal): an Agg-canvas Figure without pyplot, and saving to PNG/PDF."""

from __future__ import annotations

from pathlib import Path

#: Line colours of the physics components, shared by every figure of the report.
COLOURS = {"sm_electron": "tab:blue", "magnetic_moment": "tab:red", "millicharge": "tab:purple",
           "cevns": "tab:green", "cevns_magnetic_moment": "tab:olive",
           "background": "tab:gray", "total_on": "black", "total_off": "tab:orange"}


def new_figure(width_in: float = 7.0, height_in: float = 4.5):
    """A matplotlib Figure on an Agg canvas (no pyplot state, no GUI backend)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_in, height_in), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def save(fig, stem, formats=("png", "pdf"), dpi: int = 130) -> list[str]:
    """Write ``stem.<fmt>`` for every format; returns the file names written."""
    stem = Path(stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    names = []
    for fmt in formats:
        path = stem.with_suffix(f".{fmt}")
        fig.savefig(path, dpi=dpi, metadata={"CreationDate": None} if fmt == "pdf" else None)
        names.append(path.name)
    return names
