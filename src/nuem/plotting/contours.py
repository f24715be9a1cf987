"""Contour plots of a scan result over two grid axes (matplotlib imported lazily, Agg canvas).

Examples
--------
>>> import numpy as np, tempfile, pathlib
>>> from nuem.inference.scan import run_scan, _example_product
>>> res = run_scan({"a": [1.0, 2.0, 4.0], "b": [1.0, 3.0, 9.0]}, _example_product,
...                executor="serial", progress=False)
>>> p = pathlib.Path(tempfile.mkdtemp()) / "c.png"
>>> fig = plot_scan_contours(res, "a", "b", "ab", path=p)
>>> p.exists()
True
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np

from ..exceptions import InvalidParameterError

__all__ = ["plot_scan_contours", "slice_2d"]

_LABELS = {
    "threshold_kev": "threshold $T$ [keV]",
    "background_cpkkd": "background $B$ [counts kg$^{-1}$ keV$^{-1}$ day$^{-1}$]",
    "exposure_kg_day": "ON exposure $Mt$ [kg day]",
    "flux_cm2_s": r"flux $\Phi$ [cm$^{-2}$ s$^{-1}$]",
    "mu_nu_limit": r"Asimov median upper limit $\mu_\nu$ [$\mu_B$]",
    "delta_q_limit": r"Asimov median upper limit $|\delta_Q|$ [$e$]",
}


def slice_2d(result, x: str, y: str, z: str, fixed: dict | None = None):
    """The values of column ``z`` on the (x, y) plane, other axes fixed.

    Parameters
    ----------
    result : ScanResult
    x, y : str
        Two distinct grid axes.
    z : str
        A result column.
    fixed : dict, optional
        ``{axis: value}`` for the other axes (nearest grid value); default: each other axis at
        its first value.

    Returns
    -------
    xs, ys, zz : ndarray
        Axis values and ``zz[j, i] = z(x=xs[i], y=ys[j])``.
    """
    grid = result.grid
    for name, what in ((x, "x"), (y, "y")):
        if name not in grid.names:
            raise InvalidParameterError(f"{what}={name!r} is not a grid axis; allowed: "
                                        f"{', '.join(grid.names)}")
    if x == y:
        raise InvalidParameterError("x and y must be different grid axes")
    fixed = dict(fixed or {})
    for k in fixed:
        if k not in grid.names or k in (x, y):
            raise InvalidParameterError(f"fixed axis {k!r} is not one of the other grid axes")
    cube = result.as_grid(z)
    index = []
    for name in grid.names:
        if name in (x, y):
            index.append(slice(None))
        else:
            index.append(_nearest_index(grid.axes[name], fixed.get(name)))
    plane = cube[tuple(index)]
    if grid.names.index(x) < grid.names.index(y):
        plane = plane.T
    return grid.axes[x], grid.axes[y], plane


def plot_scan_contours(result, x: str, y: str, z: str = "mu_nu_limit", *, fixed=None,
                       path=None, logx: bool | None = None, logy: bool | None = None,
                       logz: bool = True, levels: int = 12, title: str | None = None):
    """Filled contours of ``z`` over grid axes ``x`` and ``y`` (other axes fixed).

    Parameters
    ----------
    result : ScanResult
    x, y, z : str
        Grid axes and result column (default the μν limit).
    fixed : dict, optional
        Values of the other axes (see :func:`slice_2d`); recorded in the title.
    path : str or Path, optional
        Save the figure there (format from the suffix, written atomically).
    logx, logy : bool, optional
        Log axes; default: log when all values are > 0 and span more than a factor 10.
    logz : bool
        Log-spaced contour levels (z > 0 required).
    levels : int
        Number of contour levels.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.colors import LogNorm
    from matplotlib.figure import Figure

    xs, ys, zz = slice_2d(result, x, y, z, fixed)
    if xs.size < 2 or ys.size < 2:
        raise InvalidParameterError(f"contours need >= 2 values on both axes; {x} has {xs.size},"
                                    f" {y} has {ys.size}")

    def _auto(v, flag):
        if flag is not None:
            return flag
        return bool(np.all(v > 0) and v.max() / v.min() > 10.0)

    fig = Figure(figsize=(6.4, 4.8), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    finite = np.isfinite(zz) & (zz > 0 if logz else True)
    if not np.any(finite):
        raise InvalidParameterError(f"column {z!r} has no finite{' positive' if logz else ''} "
                                    "values on this slice")
    zmin, zmax = float(zz[finite].min()), float(zz[finite].max())
    if zmax <= zmin:
        zmax = zmin * (1 + 1e-9) + 1e-300
    if logz:
        lv = np.geomspace(zmin, zmax, levels + 1)
        norm = LogNorm(vmin=zmin, vmax=zmax)
    else:
        lv = np.linspace(zmin, zmax, levels + 1)
        norm = None
    cs = ax.contourf(xs, ys, np.where(finite, zz, np.nan), levels=lv, norm=norm,
                     cmap="viridis_r")
    lines = ax.contour(xs, ys, np.where(finite, zz, np.nan), levels=lv[1:-1:2], colors="k",
                       linewidths=0.6, norm=norm)
    ax.clabel(lines, fmt=lambda v: f"{v:.2g}", fontsize=7)
    fig.colorbar(cs, ax=ax, label=_LABELS.get(z, z), format="%.2g")
    if _auto(xs, logx):
        ax.set_xscale("log")
    if _auto(ys, logy):
        ax.set_yscale("log")
    ax.set_xlabel(_LABELS.get(x, x))
    ax.set_ylabel(_LABELS.get(y, y))
    others = [n for n in result.grid.names if n not in (x, y)]
    if title is None:
        sl = ", ".join(f"{n}={_fmt(_nearest(result.grid.axes[n], (fixed or {}).get(n)))}"
                       for n in others)
        title = f"{z}" + (f"  ({sl})" if sl else "")
    ax.set_title(title, fontsize=9)
    if path is not None:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        fmt = path.suffix.lstrip(".").lower() or "png"
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=f".{fmt}", dir=path.parent)
        os.close(fd)
        try:
            fig.savefig(tmp, dpi=130, format=fmt)
            os.replace(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
    return fig


def _nearest_index(values: np.ndarray, target) -> int:
    """Index of the grid value nearest to ``target`` (first value if None; categorical axes:
    the equal name)."""
    if target is None:
        return 0
    if values.dtype.kind in "US":
        hits = np.flatnonzero(values == str(target))
        if hits.size == 0:
            raise InvalidParameterError(f"fixed value {target!r} is not on that axis; allowed: "
                                        f"{', '.join(values.tolist())}")
        return int(hits[0])
    return int(np.argmin(np.abs(values - target)))


def _nearest(values: np.ndarray, target):
    return values[_nearest_index(values, target)].item()


def _fmt(v) -> str:
    return v if isinstance(v, str) else f"{v:.3g}"
