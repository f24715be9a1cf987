"""Figure helpers (internal): an Agg-canvas Figure without pyplot, axes with the nuem look, the
legend above the axes, and saving to PNG/PDF.

Saving avoids needless work: the (constrained) layout is computed once, at the resolution
drawn, and frozen (:func:`frozen_layout`) instead of twice per file written; tick objects are
built only for the minor ticks in view (:func:`in_view_ticks`); decade tick labels
of log axes are plain text with Unicode superscripts ("10⁻³", "2×10¹") instead of mathtext,
which matplotlib would otherwise parse for every label at every resolution; PNG files are
compressed fast (zlib level 1). Every file is written atomically (:func:`save_file`).
"""

from __future__ import annotations

import contextlib
import functools
import re
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


_SUPERSCRIPT = str.maketrans("0123456789-\u2212", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁻")
_MATH_POWER = re.compile(r"^\$\\mathdefault\{(?:([^{}$]*?)\\times)?10\^\{([^{}$]*)\}\}\$$")


def plain_power_label(label: str) -> str:
    r"""A mathtext power of ten as plain text: ``$\mathdefault{2\times10^{-3}}$`` ->
    ``2×10⁻³``; other labels unchanged.

    Examples
    --------
    >>> plain_power_label(r"$\mathdefault{10^{-12}}$")
    '10⁻¹²'
    >>> plain_power_label(r"$\mathdefault{2\times10^{1}}$"), plain_power_label("5")
    ('2×10¹', '5')
    """
    m = _MATH_POWER.match(label)
    if m is None:
        return label
    mantissa, exponent = m.groups()
    return (f"{mantissa}×" if mantissa else "") + "10" + exponent.translate(_SUPERSCRIPT)


@functools.cache
def _plain_log_formatter_class():
    from matplotlib.ticker import LogFormatterSciNotation

    class PlainLogFormatter(LogFormatterSciNotation):
        def __call__(self, x, pos=None):
            return plain_power_label(super().__call__(x, pos))

    return LogFormatterSciNotation, PlainLogFormatter


def _plain_log_labels(fig) -> None:
    """Make the mathtext log-axis formatters of every axes plain-text ones (same settings: the
    formatter's class is switched to a subclass that only rewrites the label)."""
    base, plain = _plain_log_formatter_class()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            for fmt in (axis.get_major_formatter(), axis.get_minor_formatter()):
                if type(fmt) is base:
                    fmt.__class__ = plain


def save(fig, stem, formats=("png", "pdf"), dpi: int = 130) -> list[str]:
    """Write ``stem.<fmt>`` for every format (each file atomically, :func:`save_file`); returns
    the file names written. ``fig`` may also be an Axes (its figure is saved)."""
    fig = fig if hasattr(fig, "savefig") else fig.figure
    stem = Path(stem)
    return [p.name for p in _save_paths(fig, [stem.with_suffix(f".{f}") for f in formats], dpi)]


def save_file(fig, path, dpi: int = 130) -> Path:
    """Write ``fig`` to ``path`` (format from its suffix: png, pdf, svg ...; none: PNG)
    atomically -- drawn into a temporary file beside it, renamed into place, so that a failure
    never leaves a partial file -- with the same layout and labels as :func:`save`."""
    path = Path(path)
    if not path.suffix:
        path = path.with_suffix(".png")
    fig = fig if hasattr(fig, "savefig") else fig.figure
    fmt = path.suffix.lstrip(".").lower()
    if fmt not in fig.canvas.get_supported_filetypes():
        from ..exceptions import InvalidParameterError

        raise InvalidParameterError(f"path={str(path)!r}: no figure format {fmt!r}; allowed: "
                                    f"{', '.join(sorted(fig.canvas.get_supported_filetypes()))}")
    return _save_paths(fig, [path], dpi)[0]


def _save_paths(fig, paths, dpi):
    from .._files import atomic_output

    _plain_log_labels(fig)
    with in_view_ticks(fig), frozen_layout(fig, dpi):
        for path in paths:
            fmt = path.suffix.lstrip(".").lower()
            extra = {"pil_kwargs": {"compress_level": 1}} if fmt == "png" else {}
            with atomic_output(path, suffix=f".{fmt}") as tmp:
                fig.savefig(tmp, dpi=dpi, format=fmt,
                            metadata={"CreationDate": None} if fmt == "pdf" else None, **extra)
    return list(paths)


@functools.cache
def _in_view_locator_class():
    import numpy as np
    from matplotlib.ticker import Locator

    class InViewLocator(Locator):
        """The ticks of ``base`` inside the view interval (matplotlib draws no other; its
        locators add a decade or a step beyond each end, each a tick object to build)."""

        def __init__(self, base):
            self.base = base

        def set_axis(self, axis):
            super().set_axis(axis)
            self.base.set_axis(axis)

        def tick_values(self, vmin, vmax):
            return self.base.tick_values(vmin, vmax)

        def __call__(self):
            locs = np.asarray(self.base(), float)
            lo, hi = sorted(self.axis.get_view_interval())
            transform = self.axis.get_transform()
            ends = transform.transform(np.array([lo, hi]))
            with np.errstate(invalid="ignore", divide="ignore"):
                t = transform.transform(locs)
            tol = 1e-6 * abs(ends[1] - ends[0])   # matplotlib draws those within 1e-10
            return locs[(t >= ends[0] - tol) & (t <= ends[1] + tol)]

    return InViewLocator


@contextlib.contextmanager
def in_view_ticks(fig):
    """Inside: every axis of ``fig`` builds minor-tick objects only for the minor ticks in its
    view (the figure drawn is the same; about a sixth fewer tick objects in a report); the
    locators are restored on exit. Major locators are left alone: a linear axis places its
    minor ticks from the major ones, including those just outside the view."""
    cls = _in_view_locator_class()
    saved = []
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            minor = axis.get_minor_locator()
            if isinstance(minor, cls):     # shared axes share their locators: wrapped already
                continue
            saved.append((axis, minor, axis.isDefault_minloc))
            axis.set_minor_locator(cls(minor))
    try:
        yield fig
    finally:
        for axis, minor, default_minor in reversed(saved):
            axis.set_minor_locator(minor)
            axis.isDefault_minloc = default_minor


@contextlib.contextmanager
def frozen_layout(fig, dpi: float):
    """Inside: ``fig`` laid out once, at ``dpi``, by its layout engine, and no engine.

    ``savefig`` with a layout engine lays the figure out twice per file written (a draw pass
    without rendering, then again in the rendering draw; constrained layout makes two passes
    each time), at the figure's own dpi for the first and the file's for the second, so every
    mathtext label is parsed twice; the positions are the same, so they are computed once here,
    at the resolution drawn, and the text and tick metrics of the layout serve the drawing.
    The figure's dpi and layout engine are restored on exit.
    """
    import matplotlib as mpl

    engine, old_dpi = fig.get_layout_engine(), fig.dpi
    fig.set_dpi(dpi)
    try:
        if engine is not None:
            engine.execute(fig)
            # layout=None means "no engine" only while these rcParams are off
            with mpl.rc_context({"figure.autolayout": False,
                                 "figure.constrained_layout.use": False}):
                fig.set_layout_engine(None)
        yield fig
    finally:
        if engine is not None:
            fig.set_layout_engine(engine)
        fig.set_dpi(old_dpi)
