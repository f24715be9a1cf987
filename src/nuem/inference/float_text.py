r"""Vectorised decimal text of float64 arrays, identical to Python's ``repr`` (the shortest string
that reads back to the same double) or rounded to a stated number of significant digits.

Used by the CSV writer of scan tables (:mod:`nuem.inference.tables`): ``repr`` of a million
floats one by one takes ~0.5 s; this takes ~0.1 s.

Method. A finite non-zero ``|x| = m 2^e`` (``m`` in [0.5, 1), :func:`numpy.frexp`) with decimal
exponent ``E`` (``10^E <= |x| < 10^(E+1)``) is scaled to ``y = |x| 10^(16-E)`` in [1e16, 1e17)
as an unevaluated sum of two doubles: ``10^k = Q 2^b`` with ``Q`` in [1, 2) tabulated as a
double-double (correctly rounded from exact integers, 106 bits), and ``m (Q 2^(e+b))`` formed
with Dekker's exact product of two doubles (T.J. Dekker, "A floating-point technique for
extending the available precision", Numerische Mathematik, 1971). ``y`` is then known to
~1e-31 relative, far below the spacing of 17-digit decimals (1e-17 relative), so the integers
``N_d = round(y / 10^(17-d))`` are the correctly rounded ``d``-digit decimals. The shortest text
is the first of ``N_15, N_16, N_17`` whose distance to ``y`` is below half the gap to the
neighbouring doubles (17 digits always suffice for binary64, IEEE 754-2008 sect. 5.12.2; a value
with fewer than 15 significant digits has a 15-digit rounding that ends in zeros, which are
dropped); among equally short texts the nearest is taken, as ``repr`` does. Values where a
rounding or a round-trip test falls within 1e-9 (in units of the last of 17 digits) of a tie,
powers of two (asymmetric gaps) and subnormals are decided exactly by Python's own conversion,
so the text is always exactly that of ``repr`` (or of ``"%.{digits-1}e"``). The layout follows
``repr``: positional for ``1e-4 <= |x| < 1e16`` (``0.05``, ``10.0``), else ``d.ddde±XX``; ``nan``,
``inf``, ``-inf``, ``0.0`` and ``-0.0`` as in Python.

Examples
--------
>>> import numpy as np
>>> float_text(np.array([0.05, 1e12, 1.0 / 3.0, -2.5e-7, 1e16, 0.0, np.inf]))
['0.05', '1000000000000.0', '0.3333333333333333', '-2.5e-07', '1e+16', '0.0', 'inf']
>>> float_text(np.array([1.0 / 3.0, 123456.0]), digits=3)
['0.333', '123000.0']
"""

from __future__ import annotations

import functools
from decimal import Decimal
from fractions import Fraction

import numpy as np

from ..exceptions import InvalidParameterError

__all__ = ["float_words", "float_cells", "float_text", "CELL_WIDTH", "check_digits"]

#: bytes per cell of :func:`float_cells`: sign and "0.000" (8), digits and point (24), exponent (8)
CELL_WIDTH = 40
_KMIN, _KMAX = -300, 345               # powers 10^k needed: k = 16 - E, E in [-324, 308] (+-1)
_SPLIT = 134217729.0                   # 2^27 + 1 (Veltkamp split of a double)
_TINY = 2.2250738585072014e-308        # smallest normal double
_TOL = 1e-9                            # |error of y| < 1e-13 (~1e17 * 2^-104, rounding of lo)
_P10 = np.array([10 ** i for i in range(19)], dtype=np.int64)
_U8 = np.uint64(8)
_U32_1E4, _U32_1E8 = np.uint32(10 ** 4), np.uint32(10 ** 8)
_EMIN, _EMAX = -5, 16                  # layout classes: E < -4 and E > 15 are all scientific


def check_digits(digits):
    """``None`` (shortest round-trip text) or an int 1..17 (significant digits); else raise."""
    if digits is None:
        return None
    if isinstance(digits, bool) or not isinstance(digits, (int, np.integer)) \
            or not 1 <= digits <= 17:
        raise InvalidParameterError(f"digits={digits!r}: significant digits must be an integer "
                                    "from 1 to 17 (17 reads back exactly), or None for the "
                                    "shortest text that reads back exactly")
    return int(digits)


@functools.lru_cache(maxsize=1)
def _pow10_table():
    """(Q_hi, Q_lo, b) for k in [_KMIN, _KMAX]: 10^k = (Q_hi + Q_lo) 2^b, Q in [1, 2)."""
    qh, ql, bs = [], [], []
    for k in range(_KMIN, _KMAX + 1):
        v = Fraction(10) ** k
        b = v.numerator.bit_length() - v.denominator.bit_length()
        if v < Fraction(2) ** b:
            b -= 1
        q = v / Fraction(2) ** b
        hi = float(q)                                      # correctly rounded
        qh.append(hi)
        ql.append(float(q - Fraction(hi)))
        bs.append(b)
    return np.array(qh), np.array(ql), np.array(bs, dtype=np.int64)


def _pack(text: bytes) -> int:
    """Up to 8 ASCII bytes as a little-endian 64-bit word (first byte lowest)."""
    return int.from_bytes(text.ljust(8, b"\0"), "little")


def _split(a):
    """Veltkamp split: a = hi + lo with 26-bit hi and lo (exact)."""
    c = _SPLIT * a
    hi = c - (c - a)
    return hi, a - hi


@functools.lru_cache(maxsize=1)
def _scale_table():
    """Columns (Q_hi's split hi, lo; Q_lo) and exponents b of 10^k = (Q_hi + Q_lo) 2^b."""
    qh, ql, b = _pow10_table()
    hh, hl = _split(qh)
    return np.stack([hh, hl, ql], axis=1), b


@functools.lru_cache(maxsize=1)
def _layout_tables():
    """Lookup tables of the layout.

    - ``four``: packed "%04d" of 0..9999; ``tz``: its trailing zeros (4 for 0000);
    - ``masks[c, n]``: for layout class c (E clipped to [_EMIN, _EMAX]) and n significant
      digits, three (A, B, C) triples of words: a text word is ``(a & A) | (b & B) | C`` with
      ``a`` the digits and ``b`` the digits moved up one byte (the point inserted after the
      integer part, the text cut after its last byte);
    - ``head[c, neg]``: sign and "0." + zeros; ``expo[E + 400]``: "e-05" .. (0 if positional).
    """
    four = np.array([_pack(b"%04d" % i) for i in range(10000)], np.uint64)
    tz = np.array([4] + [len(t) - len(t.rstrip("0")) for t in map("%04d".__mod__,
                                                                   range(1, 10000))], np.int64)
    ones = (1 << 64) - 1
    dots = int.from_bytes(b"." * 8, "little")

    def below(p, k):                        # mask of the bytes of word k before byte p
        c = min(max(p - 8 * k, 0), 8)
        return (1 << 8 * c) - 1

    masks = np.zeros((_EMAX - _EMIN + 1, 18, 9), np.uint64)
    head = np.zeros((_EMAX - _EMIN + 1, 2), np.uint64)
    for c, E in enumerate(range(_EMIN, _EMAX + 1)):
        sci, small = E in (_EMIN, _EMAX), -4 <= E < 0
        for nd in range(1, 18):
            P = 1 if sci else 64 if small else E + 1          # point after P digits
            L = nd + (nd > 1) if sci else nd if small else P + 1 + max(nd - P, 1)
            for k in range(3):
                lo, lo1, cut = below(P, k), below(P + 1, k), below(L, k)
                masks[c, nd, 3 * k:3 * k + 3] = (lo & cut, ones & ~lo1 & cut,
                                                 dots & lo1 & ~lo & cut)
        text = b"0." + b"0" * (-E - 1) if small else b""
        head[c] = _pack(text), _pack(b"-" + text)
    expo = np.array([0 if -4 <= e <= 15 or abs(e) > 330 else _pack(b"e%+03d" % e)
                     for e in range(-400, 400)], np.uint64)
    return four, tz, masks.reshape(-1, 9), head.ravel(), expo


def _scaled(m, e2, E):
    """y = m 2^e2 10^(16-E) as (integer part P as int64, remainder f as float in [0, 1)), and the
    scale F = 2^e2 10^(16-E) (double)."""
    tab, bs = _scale_table()
    i = 16 - E - _KMIN
    q = tab[i]
    t = np.ldexp(1.0, e2 + bs[i])
    fhh, fhl = q[:, 0] * t, q[:, 1] * t
    mh, ml = _split(m)
    p = m * (fhh + fhl)
    e = ((mh * fhh - p) + mh * fhl + ml * fhh) + ml * fhl + m * (q[:, 2] * t)
    P = p.astype(np.int64)                 # p < 2^63; an exact integer when p >= 2^53
    r = (p - P) + e                        # small: |r| < ~16
    fl = np.floor(r)
    return P + fl.astype(np.int64), r - fl, fhh + fhl


def _round_div(P, f, d):
    """round((P + f) / 10^d) for int64 P >= 0, f in [0, 1), 0 <= d <= 17, and whether it is
    within ``_TOL`` of a tie (then decided exactly by the caller)."""
    if d == 0:
        t = f - 0.5
        return P + (t > 0), np.abs(t) < _TOL
    q = P // _P10[d]
    t = (P - q * _P10[d] - _P10[d] // 2).astype(float) + f
    return q + (t > 0), np.abs(t) < _TOL


def _exact(a, digits):
    """(N, E) of :func:`_decimal` for a few values, from Python's correctly rounded text."""
    N = np.empty(a.size, np.int64)
    E = np.empty(a.size, np.int64)
    for i, v in enumerate(a.tolist()):
        t = Decimal(repr(v) if digits is None else f"{v:.{digits - 1}e}").as_tuple()
        s = "".join(map(str, t.digits)).lstrip("0")
        E[i] = t.exponent + len(t.digits) - 1 - (len(t.digits) - len(s))
        N[i] = int(s.rstrip("0").ljust(17, "0"))
    return N, E


def _decimal(ax, digits):
    """Significant digits of finite positive ``ax``: (N, E) with N an int64 of exactly 17
    digits (trailing zeros beyond the chosen ones) and E the decimal exponent of its first.
    Values whose rounding or round-trip test lies within ``_TOL`` of a tie, powers of two and
    subnormals are decided exactly (:func:`_exact`)."""
    m, e2 = np.frexp(ax)
    E = np.floor(np.log10(ax)).astype(np.int64)
    P, f, fh = _scaled(m, e2, E)
    for _ in range(3):                     # log10 may be off by one next to a power of ten
        bad = (P < _P10[16]) | (P >= _P10[17])
        if not bad.any():
            break
        j = np.flatnonzero(bad)
        E[j] += np.where(P[j] < _P10[16], -1, 1)
        P[j], f[j], fh[j] = _scaled(m[j], e2[j], E[j])
    if digits is not None:
        N, unsure = _round_div(P, f, 17 - digits)
        N *= _P10[17 - digits]
    else:
        gap = fh * 2.0 ** -54              # half the gap between doubles, in units of y
        N, unsure = _round_div(P, f, 0)    # 17 digits always read back
        for d in (16, 15):
            c, u = _round_div(P, f, 17 - d)
            c *= _P10[17 - d]
            err = np.abs((c - P).astype(float) - f)
            N = np.where(err < gap, c, N)
            unsure |= u | (np.abs(err - gap) < _TOL)
        unsure |= m == 0.5
    unsure |= ax < 2.0 * _TINY              # subnormals and the smallest normals
    carry = N >= _P10[17]                  # 9.99..e5 rounded up to 1.00..e6
    N = np.where(carry, _P10[16], N)
    E = E + carry
    if unsure.any():
        j = np.flatnonzero(unsure)
        N[j], E[j] = _exact(ax[j], digits)
    return N, E


def _layout(N, E, neg):
    """Text of (N, E) as ``repr`` lays it out, with a minus sign where ``neg``: an (n, 5) array
    of little-endian words (head, three words of digits and point, exponent), NUL-padded."""
    four, tz4, masks, head, expo = _layout_tables()
    hi = N // _P10[8]                      # uint32 arithmetic below 10^9
    lo = (N - hi * _P10[8]).astype(np.uint32)
    hi = hi.astype(np.uint32)
    d0 = hi // _U32_1E8
    g1 = (hi - d0 * _U32_1E8) // _U32_1E4
    g2 = hi - d0 * _U32_1E8 - g1 * _U32_1E4
    g3 = lo // _U32_1E4
    g4 = lo - g3 * _U32_1E4
    t1, t2, t3, t4 = four[g1], four[g2], four[g3], four[g4]
    s24, s40, s56 = np.uint64(24), np.uint64(40), np.uint64(56)
    # the 17 digits, a byte each (d0 | g1 | g2 | g3 | g4), and the same moved up one byte
    a0 = (d0 + 48).astype(np.uint64) | (t1 << _U8) | (t2 << s40)
    a1 = (t2 >> s24) | (t3 << _U8) | (t4 << s40)
    a2 = t4 >> s24
    b0, b1, b2 = a0 << _U8, (a1 << _U8) | (a0 >> s56), (a2 << _U8) | (a1 >> s56)
    tz = tz4[g4]
    z = g4 == 0
    for g in (g3, g2, g1):
        tz += z * tz4[g]
        z &= g == 0
    c = np.clip(E, _EMIN, _EMAX) - _EMIN
    mk = np.take(masks, c * 18 + 17 - tz, axis=0)
    out = np.empty((N.size, 5), np.uint64)
    out[:, 0] = np.take(head, 2 * c + neg)
    out[:, 1] = (a0 & mk[:, 0]) | (b0 & mk[:, 1]) | mk[:, 2]
    out[:, 2] = (a1 & mk[:, 3]) | (b1 & mk[:, 4]) | mk[:, 5]
    out[:, 3] = (a2 & mk[:, 6]) | (b2 & mk[:, 7]) | mk[:, 8]
    out[:, 4] = np.take(expo, np.clip(E, -399, 399) + 400)
    return out


def float_words(values, digits=None) -> np.ndarray:
    """Text of a 1-D float array as an ``(n, 5)`` array of 64-bit words, each holding 8 ASCII
    bytes little-endian (first byte lowest): sign and "0.000" (bytes 0-5), digits and point
    (words 1-3, bytes 0-17 of the three), exponent (bytes 0-4). The text of a row is its
    non-NUL bytes in order; the last byte of words 3 and 4 is always NUL (free for a separator).

    Parameters
    ----------
    values : array_like
        1-D, converted to float64.
    digits : int, optional
        ``None`` (default): the shortest text that reads back to the same double (as ``repr``);
        1..17: the value correctly rounded to this many significant digits (as
        ``"%.{digits-1}e"``), written as ``repr`` lays out a number (17 digits always read
        back exactly).
    """
    digits = check_digits(digits)
    x = np.asarray(values, dtype=np.float64).ravel()
    neg = np.signbit(x)
    ax = np.abs(x)
    fin = np.isfinite(ax) & (ax > 0)
    if fin.all():
        return _layout(*_decimal(ax, digits), neg)
    words = np.zeros((x.size, 5), np.uint64)
    i = np.flatnonzero(fin)
    if i.size:
        words[i] = _layout(*_decimal(ax[i], digits), neg[i])
    for mask, text in ((ax == 0, b"0.0"), (np.isinf(ax), b"inf")):
        words[mask, 0] = np.where(neg[mask], _pack(b"-" + text), _pack(text))
    words[np.isnan(x), 0] = _pack(b"nan")
    return words


def float_cells(values, digits=None) -> np.ndarray:
    """The text of :func:`float_words` as an ``(n, CELL_WIDTH)`` uint8 matrix of ASCII bytes
    (the text of a row is its non-NUL bytes in order)."""
    return float_words(values, digits).astype("<u8", copy=False).view(np.uint8)


def float_text(values, digits=None) -> list[str]:
    """The cells of :func:`float_cells` as a list of str (for tests and small tables)."""
    return [row.tobytes().replace(b"\0", b"").decode() for row in float_cells(values, digits)]
