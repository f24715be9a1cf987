"""Contour plots of a scan result over two grid axes (matplotlib imported lazily, Agg canvas).

A scan has up to four axes; a contour plot shows two. :func:`plot_scan_contours` draws one
slice into ``ax`` -- every other axis with more than one value must be fixed (``fixed=``), so a
plot never silently shows only the first slice; :func:`plot_scan_panels` draws one panel per
value (combination) of the other axes, with a common colour scale, and :func:`plot_scan` picks
between them and writes the file. The surface is interpolated on a fine grid (cubic in log
coordinates where the axes are logarithmic; linear with fewer than four points on an axis)
so that contour lines are continuous; their labels sit on a white box over the line instead of
cutting it.

Examples
--------
>>> import numpy as np, tempfile, pathlib
>>> from nuem.inference.scan import run_scan, _example_product
>>> res = run_scan({"a": [1.0, 2.0, 4.0], "b": [1.0, 3.0, 9.0]}, _example_product,
...                executor="serial", progress=False)
>>> ax = plot_scan_contours(res, "a", "b", "ab")
>>> ax.get_xlabel()
'a'
>>> p = pathlib.Path(tempfile.mkdtemp()) / "c.png"
>>> _ = plot_scan(res, "a", "b", "ab", path=p)
>>> p.exists()
True
"""

from __future__ import annotations

import itertools

import numpy as np

from ..exceptions import InvalidParameterError
from ._figure import save_file
from .style import LABELS

__all__ = ["plot_scan_contours", "plot_scan_panels", "plot_scan", "slice_2d", "sci_label"]

#: Short symbols of the scan axes for panel titles: (symbol, unit).
_SYMBOLS = {"threshold_kev": ("T", "keV"), "background_cpkkd": ("B", "cpkkd"),
            "exposure_kg_day": ("Mt", "kg d"), "flux_cm2_s": (r"\Phi", r"cm$^{-2}$s$^{-1}$")}
_FINE = 160


def _check_axes(grid, x, y):
    for name, what in ((x, "x"), (y, "y")):
        if name not in grid.names:
            raise InvalidParameterError(f"{what}={name!r} is not a grid axis; allowed: "
                                        f"{', '.join(grid.names)}")
    if x == y:
        raise InvalidParameterError("x and y must be different grid axes")


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
        ``{axis: value}`` for the other axes (nearest grid value); an axis not given is taken
        at its first value (the plotting functions require every multi-valued axis instead).

    Returns
    -------
    xs, ys, zz : ndarray
        Axis values and ``zz[j, i] = z(x=xs[i], y=ys[j])``.
    """
    grid = result.grid
    _check_axes(grid, x, y)
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
            index.append(_index(grid.axes[name], fixed.get(name), name))
    plane = cube[tuple(index)]
    if grid.names.index(x) < grid.names.index(y):
        plane = plane.T
    return grid.axes[x], grid.axes[y], plane


def _index(vals, value, name) -> int:
    """Index of the grid value nearest to ``value`` (numeric axis) or equal to it (a
    categorical axis, e.g. the target); the first value when ``value`` is None."""
    vals = np.asarray(vals)
    if value is None:
        return 0
    if vals.dtype.kind in "US":
        hits = np.flatnonzero(vals.astype(str) == str(value))
        if not hits.size:
            raise InvalidParameterError(f"fixed {name}={value!r} is not on the grid; allowed: "
                                        + ", ".join(map(str, vals.tolist())))
        return int(hits[0])
    return int(np.argmin(np.abs(vals - float(value))))


def _free_axes(result, x, y, fixed):
    """Other axes with more than one value that ``fixed`` does not set."""
    return [n for n in result.grid.names if n not in (x, y) and n not in (fixed or {})
            and result.grid.axes[n].size > 1]


def _auto_log(v, flag):
    if flag is not None:
        return flag
    v = np.asarray(v, float)
    return bool(np.all(v > 0) and v.max() / v.min() > 10.0)


def _smooth(xs, ys, zz, logx, logy, logz):
    """The surface on a fine grid (continuous contours): interpolation in log coordinates
    where the axis is logarithmic, cubic with >= 4 points per axis and no gaps, else linear."""
    from scipy.interpolate import RegularGridInterpolator

    ox, oy = np.argsort(xs), np.argsort(ys)
    xs, ys, zz = xs[ox], ys[oy], zz[np.ix_(oy, ox)]
    u = np.log10(xs) if logx else xs
    v = np.log10(ys) if logy else ys
    w = np.log10(zz) if logz else zz
    method = "cubic" if (u.size >= 4 and v.size >= 4 and np.all(np.isfinite(w))) else "linear"
    f = RegularGridInterpolator((v, u), w, method=method)
    fu, fv = np.linspace(u[0], u[-1], _FINE), np.linspace(v[0], v[-1], _FINE)
    gv, gu = np.meshgrid(fv, fu, indexing="ij")
    fw = f(np.stack([gv, gu], axis=-1))
    return (10**fu if logx else fu), (10**fv if logy else fv), (10**fw if logz else fw)


def _levels(zmin, zmax, levels, logz):
    from matplotlib.colors import LogNorm, Normalize

    if zmax <= zmin:
        zmax = zmin * (1 + 1e-9) + 1e-300
    if logz:
        return np.geomspace(zmin, zmax, levels + 1), LogNorm(vmin=zmin, vmax=zmax)
    return np.linspace(zmin, zmax, levels + 1), Normalize(vmin=zmin, vmax=zmax)


def _draw(ax, xs, ys, zz, lv, norm, logx, logy, logz):
    ok = np.isfinite(zz) & ((zz > 0) if logz else True)
    fx, fy, fz = _smooth(xs, ys, np.where(ok, zz, np.nan), logx, logy, logz)
    cs = ax.contourf(fx, fy, fz, levels=lv, norm=norm, cmap="viridis_r", extend="neither")
    lines = ax.contour(fx, fy, fz, levels=lv[1:-1:2], colors="k", linewidths=0.7, norm=norm)
    for t in ax.clabel(lines, fmt=sci_label, fontsize=7, inline=False):
        t.set_bbox({"facecolor": "white", "edgecolor": "none", "pad": 0.6, "alpha": 0.8})
    if logx:
        ax.set_xscale("log")
    if logy:
        ax.set_yscale("log")
    return cs


def _zrange(zz_list, z, logz):
    vals = np.concatenate([np.ravel(zz) for zz in zz_list])
    ok = np.isfinite(vals) & ((vals > 0) if logz else True)
    if not np.any(ok):
        raise InvalidParameterError(f"column {z!r} has no finite{' positive' if logz else ''} "
                                    "values on this slice")
    return float(vals[ok].min()), float(vals[ok].max())


def sci_label(value: float) -> str:
    r"""A number in physics notation (mathtext), e.g. ``$6.1\times10^{-11}$``; plain for
    0.01 <= |value| < 1000.

    Examples
    --------
    >>> sci_label(6.123e-11), sci_label(25.0)
    ('$6.1\\times10^{-11}$', '25')
    """
    v = float(value)
    if v == 0 or 1e-2 <= abs(v) < 1e3:
        return f"{v:.2g}"
    m, e = f"{v:.1e}".split("e")
    return f"${m}\\times10^{{{int(e)}}}$"


def _formatter():
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda v, _pos: sci_label(v))


def _label(name):
    return LABELS.get(name, name)


def _slice_title(result, fixed):
    parts = []
    for n, val in fixed.items():
        vals = np.asarray(result.grid.axes[n])
        v = vals[_index(vals, val, n)].item()
        sym, unit = _SYMBOLS.get(n, (n, ""))
        shown = v if isinstance(v, str) else f"{v:.3g}"
        parts.append(f"${sym}$ = {shown} {unit}".strip())
    return ", ".join(parts)


def plot_scan_contours(result, x: str, y: str, z: str = "mu_nu_limit", *, fixed=None, ax=None,
                       logx: bool | None = None, logy: bool | None = None, logz: bool = True,
                       levels: int = 12, title: str | None = None, colorbar: bool = True,
                       path=None):
    """Filled contours of ``z`` over grid axes ``x`` and ``y``; returns the axes.

    Parameters
    ----------
    result : ScanResult
    x, y, z : str
        Grid axes and result column (default the μν limit).
    fixed : dict, optional
        ``{axis: value}`` for every other axis with more than one value (nearest grid value;
        an axis left out is an error naming its values -- or use :func:`plot_scan_panels`).
    ax : matplotlib Axes, optional
        Draw there (default: a new figure).
    logx, logy : bool, optional
        Log axes; default: log when all values are > 0 and span more than a factor 10.
    logz : bool
        Log-spaced contour levels (z > 0 required).
    levels : int
        Number of contour levels.
    title : str, optional
        Default: the values of the other axes.
    colorbar : bool
        Draw a colour bar.
    path : str or Path, optional
        Also save the figure there (format from the suffix, written atomically).
    """
    from ._figure import new_axes

    _check_axes(result.grid, x, y)
    free = _free_axes(result, x, y, fixed)
    if free:
        n = free[0]
        raise InvalidParameterError(
            f"axis {n!r} has {result.grid.axes[n].size} values "
            f"({', '.join(f'{v:g}' for v in result.grid.axes[n])}); choose one with "
            f"fixed={{'{n}': value}} or draw one panel per value with plot_scan_panels")
    fixed = {n: (fixed or {}).get(n, result.grid.axes[n][0])
             for n in result.grid.names if n not in (x, y)}
    xs, ys, zz = slice_2d(result, x, y, z, fixed)
    if xs.size < 2 or ys.size < 2:
        raise InvalidParameterError(f"contours need >= 2 values on both axes; {x} has {xs.size},"
                                    f" {y} has {ys.size}")
    ax = new_axes(ax, 6.4, 4.8)
    lx, ly = _auto_log(xs, logx), _auto_log(ys, logy)
    lv, norm = _levels(*_zrange([zz], z, logz), levels, logz)
    cs = _draw(ax, xs, ys, zz, lv, norm, lx, ly, logz)
    if colorbar:
        ax.figure.colorbar(cs, ax=ax, label=_label(z), format=_formatter())
    ax.set_xlabel(_label(x))
    ax.set_ylabel(_label(y))
    t = title if title is not None else _slice_title(result, fixed)
    if t:
        ax.set_title(t, fontsize=9)
    if path is not None:
        save_file(ax.figure, path)
    return ax


def plot_scan_panels(result, x: str, y: str, z: str = "mu_nu_limit", *, fixed=None,
                     logx: bool | None = None, logy: bool | None = None, logz: bool = True,
                     levels: int = 12, max_panels: int = 16, path=None):
    """One contour panel per value (combination) of the other multi-valued axes not in
    ``fixed``, sharing one colour scale and colour bar; returns the array of axes."""
    from ._figure import new_figure
    from .style import style_axes

    _check_axes(result.grid, x, y)
    fixed = dict(fixed or {})
    free = _free_axes(result, x, y, fixed)
    combos = list(itertools.product(*(result.grid.axes[n] for n in free))) or [()]
    if len(combos) > max_panels:
        raise InvalidParameterError(f"{len(combos)} panels (axes {', '.join(free)}) exceed "
                                    f"max_panels={max_panels}; fix some axes with fixed=")
    slices = []
    for combo in combos:
        fx = {**fixed, **dict(zip(free, combo, strict=True))}
        fx.update({n: result.grid.axes[n][0] for n in result.grid.names
                   if n not in (x, y) and n not in fx})
        slices.append((fx, slice_2d(result, x, y, z, fx)))
    xs, ys = slices[0][1][0], slices[0][1][1]
    if xs.size < 2 or ys.size < 2:
        raise InvalidParameterError(f"contours need >= 2 values on both axes; {x} has {xs.size},"
                                    f" {y} has {ys.size}")
    lx, ly = _auto_log(xs, logx), _auto_log(ys, logy)
    lv, norm = _levels(*_zrange([s[1][2] for s in slices], z, logz), levels, logz)
    ncol = min(len(slices), 3)
    nrow = -(-len(slices) // ncol)
    fig = new_figure(4.0 * ncol + 1.2, 3.4 * nrow)
    axes = np.atleast_1d(fig.subplots(nrow, ncol, sharex=True, sharey=True, squeeze=False)
                         .ravel())
    cs = None
    for a, (fx, (_, _, zz)) in zip(axes, slices, strict=False):
        style_axes(a)
        cs = _draw(a, xs, ys, zz, lv, norm, lx, ly, logz)
        a.set_title(_slice_title(result, {n: fx[n] for n in free}) or None, fontsize=9)
    for a in axes[len(slices):]:
        a.set_visible(False)
    for a in axes[(nrow - 1) * ncol:]:
        a.set_xlabel(_label(x))
    for a in axes[::ncol]:
        a.set_ylabel(_label(y))
    fig.colorbar(cs, ax=list(axes[:len(slices)]), label=_label(z), format=_formatter())
    if path is not None:
        save_file(fig, path)
    return axes[:len(slices)]


def plot_scan(result, x: str, y: str, z: str = "mu_nu_limit", *, fixed=None, path=None,
              **kw):
    """One slice (:func:`plot_scan_contours`) when the other axes are fixed or single-valued,
    else one panel per value (:func:`plot_scan_panels`); returns the figure."""
    if _free_axes(result, x, y, fixed):
        return plot_scan_panels(result, x, y, z, fixed=fixed, path=path, **kw)[0].figure
    return plot_scan_contours(result, x, y, z, fixed=fixed, path=path, **kw).figure
