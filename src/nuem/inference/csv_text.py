"""CSV text of scan tables, built column-wise in byte matrices (:func:`csv_chunks`).

Each block of rows is a matrix of 64-bit words (8 ASCII bytes each) holding every cell of the
row side by side, separator included, padded with NUL bytes; the block's text is the matrix's
non-NUL bytes in order. Floats are formatted by :func:`nuem.inference.float_text.float_words`
(the text of ``repr``, or ``digits`` significant digits). With the grid ``shape`` of a scan
(rows in C order), a column that does not depend on some grid axes (the grid columns, counts
that do not depend on the background ...) is formatted once per distinct value on the other
axes, and neighbouring such columns are joined into one cell when their joint grid is small; a
column equal to an earlier one is formatted once.
"""

from __future__ import annotations

import csv
import io
import math

import numpy as np

from .float_text import check_digits, float_cells, float_words

__all__ = ["csv_chunks", "csv_bytes"]

_COMMA, _NEWLINE = 44, 10


def _string_cells(values) -> np.ndarray:
    """Cells of a 1-D array of names as an (n, width) uint8 matrix (NUL-padded), CSV-quoted
    where needed."""
    text = values.astype(str).tolist()
    if any(c in v for v in text for c in ',"\n\r'):
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows([v] for v in text)
        text = buf.getvalue().splitlines()
    cells = np.array([t.encode() for t in text], dtype=bytes)
    return cells.view(np.uint8).reshape(len(text), cells.dtype.itemsize)


def _text_cells(values, digits) -> np.ndarray:
    """Cells (uint8 matrix, text = the non-NUL bytes of a row) of a 1-D array."""
    if values.dtype.kind in "US":
        return _string_cells(values)
    return float_cells(values, digits)


def _words(cells: np.ndarray, sep: int) -> np.ndarray:
    """Cells followed by ``sep``, left-aligned and NUL-padded in rows of 64-bit words."""
    keep = cells != 0
    length = keep.sum(axis=1)
    text = cells[keep]
    width = -(-(int(length.max(initial=0)) + 1) // 8) * 8
    start = np.cumsum(length) - length
    pos = (np.arange(text.size) - np.repeat(start - np.arange(len(cells)) * width, length))
    out = np.zeros((len(cells), width), np.uint8)
    out.ravel()[pos] = text
    out[np.arange(len(cells)), length] = sep
    return out.view("<u8").astype(np.uint64, copy=False)


def _same(a, b) -> bool:
    return bool(a == b)


def _grid_reduce(col, shape):
    """A grid column reduced to the axes it depends on: (array with size 1 on the others, the
    axes kept), or None when it depends on (nearly) all of them."""
    if shape is None or len(shape) < 2 or col.size != math.prod(shape) or col.size <= 64:
        return None
    a = col.reshape(shape)
    for ax, size in enumerate(shape):
        if size > 1 and a.size and _same(a[(0,) * a.ndim], a[(0,) * ax + (1,) + (0,) * (
                a.ndim - ax - 1)]):                  # cheap rejection first
            first = a[(slice(None),) * ax + (slice(0, 1),)]
            if np.array_equal(a, np.broadcast_to(first, a.shape)):
                a = first
    if a.size * 4 > col.size:
        return None
    return a, tuple(ax for ax, size in enumerate(a.shape) if size > 1)


def _joint(members, shape, digits, sep):
    """One cell for neighbouring grid-reduced columns: (words, row index)."""
    axes = sorted({ax for _, kept in members for ax in kept})
    joint = tuple(shape[ax] if ax in axes else 1 for ax in range(len(shape)))
    parts = []
    for k, (a, _) in enumerate(members):
        idx = np.broadcast_to(np.arange(a.size).reshape(a.shape), joint).ravel()
        parts.append(_text_cells(a.ravel(), digits)[idx])
        if k < len(members) - 1:
            parts.append(np.full((len(idx), 1), _COMMA, np.uint8))
    index = np.broadcast_to(np.arange(math.prod(joint)).reshape(joint), shape).ravel()
    return _words(np.hstack(parts), sep), index


def _plan(cols, shape, digits):
    """Segments of a row: ("cells", words, index) or ("floats", values, separator)."""
    n = len(cols[0])
    cap = max(64, n // 16)
    first = []                                   # index of the first equal column
    probe = [c[::max(1, n // 61)] for c in cols]
    for i, c in enumerate(cols):
        first.append(next((j for j in range(i) if first[j] == j and cols[j].dtype == c.dtype
                           and np.array_equal(probe[j], probe[i])
                           and np.array_equal(cols[j], c)), i))
    reduced = [_grid_reduce(cols[first[i]], shape) if first[i] == i else None
               for i in range(len(cols))]
    reduced = [reduced[first[i]] for i in range(len(cols))]
    segments, i = [], 0
    while i < len(cols):
        sep = _NEWLINE if i == len(cols) - 1 else _COMMA
        if reduced[i] is None:
            c = cols[first[i]]
            if c.dtype.kind in "US":
                values, index = np.unique(c, return_inverse=True)
                segments.append(("cells", _words(_string_cells(values), sep), index.ravel()))
            else:
                segments.append(("floats", c.astype(float, copy=False), sep))
            i += 1
            continue
        members = [reduced[i]]
        while i + len(members) < len(cols) and reduced[i + len(members)] is not None:
            axes = {ax for _, kept in members + [reduced[i + len(members)]] for ax in kept}
            if math.prod(shape[ax] for ax in axes) > cap:
                break
            members.append(reduced[i + len(members)])
        i += len(members)
        sep = _NEWLINE if i == len(cols) else _COMMA
        segments.append(("cells", *_joint(members, shape, digits, sep)))
    return segments


def _block(segments, rows: slice, digits) -> bytes:
    """CSV text of a block of rows."""
    parts, made = [], {}
    for kind, data, extra in segments:
        if kind == "cells":
            parts.append((data, extra))
            continue
        key = id(data)
        if key not in made:
            w = float_words(data[rows], digits)
            used = [0] * bool(w[:, 0].any()) + [1, 2, 3] + [4] * bool(w[:, 4].any())
            made[key] = (w, used)
        parts.append((made[key], extra))
    width = [len(p[0][1]) if isinstance(p[0], tuple) else p[0].shape[1] for p in parts]
    block = np.empty((rows.stop - rows.start, sum(width)), np.uint64)
    off = 0
    for (data, extra), w in zip(parts, width, strict=True):
        if isinstance(data, tuple):                      # float words: (words, columns used)
            words, used = data
            for k, col in enumerate(used):
                block[:, off + k] = words[:, col]
            block[:, off + w - 1] |= np.uint64(extra << 56)   # separator in the free last byte
        else:
            np.take(data, extra[rows], axis=0, out=block[:, off:off + w], mode="clip")
        off += w
    text = block.astype("<u8", copy=False).view(np.uint8)
    return text[text != 0].tobytes()


def csv_chunks(columns: dict, shape=None, digits=None, block_bytes: int = 1 << 21,
               threads: int = 1):
    """The CSV text of :func:`csv_bytes` as a sequence of byte strings (header, then blocks of
    rows), for streaming to a file; blocks are formatted on ``threads`` threads (the text does
    not depend on it)."""
    digits = check_digits(digits)
    yield (",".join(columns) + "\n").encode()
    cols = [np.asarray(c).ravel() for c in columns.values()]
    if not cols or not len(cols[0]):
        return
    segments = _plan(cols, shape, digits)
    row_bytes = 8 * sum(5 if kind == "floats" else data.shape[1] for kind, data, _ in segments)
    step = max(256, block_bytes // row_bytes)
    n = len(cols[0])
    rows = [slice(start, min(n, start + step)) for start in range(0, n, step)]
    if threads <= 1 or len(rows) < 4:
        yield from (_block(segments, r, digits) for r in rows)
        return
    # numpy releases the GIL in the array work of a block: format blocks on `threads` threads,
    # in order, with a bounded look-ahead (memory stays ~ 2 x threads blocks)
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(threads) as pool:
        pending = []
        for r in rows:
            pending.append(pool.submit(_block, segments, r, digits))
            if len(pending) > 2 * threads:
                yield pending.pop(0).result()
        for fut in pending:
            yield fut.result()


def csv_bytes(columns: dict, shape=None, digits=None) -> bytes:
    """CSV text (header + one row per index) of equal-length columns, built column-wise.

    Floats are written as ``repr`` writes them (the shortest text that reads back to the same
    double), or with ``digits`` significant digits (1..17, correctly rounded; 17 always reads
    back exactly); integers and booleans as floats. ``shape``: the grid shape of a scan (rows
    in C order), used to format columns that do not depend on some grid axes once per distinct
    value.

    Examples
    --------
    >>> import numpy as np
    >>> print(csv_bytes({"x": np.array([1.0, 0.1]), "t": np.array(["Ge", "Si"])}).decode())
    x,t
    1.0,Ge
    0.1,Si
    <BLANKLINE>
    >>> print(csv_bytes({"x": np.array([2.0 / 3.0])}, digits=4).decode())
    x
    0.6667
    <BLANKLINE>
    """
    return b"".join(csv_chunks(columns, shape, digits))
