"""Figure helpers (internal): an Agg-canvas Figure without pyplot, axes creation with the nuem
look, and saving to PNG/PDF."""

from __future__ import annotations

from pathlib import Path

from .style import QUANTITY_STYLES, style_axes

#: Line colours of the physics components, shared by every figure (from
#: :data:`nuem.plotting.style.QUANTITY_STYLES`).
COLOURS = {k: QUANTITY_STYLES[k]["color"] for k in (
    "sm_electron", "magnetic_moment", "millicharge", "cevns", "cevns_magnetic_moment",
    "background", "total_on", "total_off")}


def new_figure(width_in: float = 7.0, height_in: float = 4.5):
    """A matplotlib Figure on an Agg canvas (no pyplot state, no GUI backend)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_in, height_in), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def new_axes(ax=None, width_in: float = 7.0, height_in: float = 4.5):
    """``ax`` itself, or the axes of a new figure (:func:`new_figure`) with the nuem look."""
    if ax is not None:
        return ax
    ax = new_figure(width_in, height_in).add_subplot()
    style_axes(ax)
    return ax


def legend_above(ax, ncol: int = 2, title: str | None = None, fontsize: float = 8):
    """The legend in a band above the axes (it never hides data); ``title`` heads it."""
    handles, labels = ax.get_legend_handles_labels()
    if not handles:
        return None
    if max(len(lab) for lab in labels) > 48:    # long entries: one column, so none is clipped
        ncol = 1
    return ax.legend(handles, labels, loc="lower center", bbox_to_anchor=(0.5, 1.0),
                     ncol=ncol, frameon=False, fontsize=fontsize, title=title,
                     title_fontsize=fontsize + 1, borderaxespad=0.3, columnspacing=1.2)


def save(fig, stem, formats=("png", "pdf"), dpi: int = 130) -> list[str]:
    """Write ``stem.<fmt>`` for every format; returns the file names written. ``fig`` may also
    be an Axes (its figure is saved)."""
    fig = getattr(fig, "figure", fig) if not hasattr(fig, "savefig") else fig
    stem = Path(stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    names = []
    for fmt in formats:
        path = stem.with_suffix(f".{fmt}")
        fig.savefig(path, dpi=dpi, metadata={"CreationDate": None} if fmt == "pdf" else None)
        names.append(path.name)
    return names
