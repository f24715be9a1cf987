r"""Toy-based expected limits over a detector-design grid: median and ±1σ/±2σ bands.

At every grid point (threshold, background, exposure or mass × days, flux, target) the
likelihood model of :class:`nuem.inference.AsimovScanModel` -- the ON−OFF residual model
:meth:`nuem.inference.ResidualModel.from_onoff` -- draws ``n_toys`` background-only
pseudo-experiments with its :meth:`~nuem.inference.ResidualModel.sample` (Poisson ON and OFF
counts, plus the per-bin systematic floor), each toy is fitted by least squares
(:meth:`~nuem.inference.ResidualModel.linear_estimate`, exact for this Gaussian model) and its
upper limit is the interval of the chosen registered method (``feldman-cousins``, ``cls``,
``bayes`` or a user method with Gaussian intervals) for that estimate and the model's error
σ_θ. The distribution of the toy limits gives the expected median and the bands at the
standard-normal quantiles Φ(−2), Φ(−1), Φ(1), Φ(2) (the "Brazil band"; Cowan, Cranmer, Gross,
Vitells, EPJC 71, 1554 (2011), Sec. 4.1 ff.). In the large-count limit the toy estimates are
N(0, σ_θ) and the band at quantile p is the interval's upper end at :math:`z_p σ_θ`; the median
is then the Asimov limit.

Reproducibility: the toys of grid point ``i`` come from ``numpy.random.SeedSequence(seed,
spawn_key=(i,))`` (the ``i``-th child of ``SeedSequence(seed)``), so results are bit-identical
for any executor, worker count and chunking, and a resumed scan equals an uninterrupted one.

Examples
--------
>>> import numpy as np
>>> m = ToyScanModel(n_toys=2000, n_bins=10, seed=1)
>>> cols = {"threshold_kev": np.array([1.0]), "background_cpkkd": np.array([1.0]),
...         "exposure_kg_day": np.array([1000.0]), "flux_cm2_s": np.array([1e13])}
>>> out = m(cols)
>>> lo, med, hi = (out[k][0] for k in ("mu_nu_limit_minus1sigma", "mu_nu_limit_median",
...                                     "mu_nu_limit_plus1sigma"))
>>> bool(lo < med < hi), bool(abs(med / out["asimov_mu_nu_limit"][0] - 1) < 0.1)
(True, True)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..exceptions import InvalidParameterError
from .asimov_grid import _REFS, AsimovScanModel, _groups
from .scan_columns import resolve_columns

__all__ = ["ToyScanModel", "BAND_QUANTILES", "BAND_NAMES"]

#: Band names and their standard-normal quantiles Φ(z), z = −2, −1, 0, 1, 2.
BAND_NAMES = ("minus2sigma", "minus1sigma", "median", "plus1sigma", "plus2sigma")
BAND_QUANTILES = tuple(0.5 * math.erfc(-z / math.sqrt(2.0)) for z in (-2, -1, 0, 1, 2))


@dataclass
class ToyScanModel(AsimovScanModel):
    """Expected limits from toys at every scan point (module docstring).

    Parameters are those of :class:`nuem.inference.AsimovScanModel` (``method`` is the
    interval construction applied to each toy) plus

    n_toys : int
        Pseudo-experiments per grid point (>= 10).
    seed : int
        Global seed (>= 0); point ``i`` uses ``SeedSequence(seed, spawn_key=(i,))``.

    Output columns (``X`` = ``mu_nu_limit`` or ``delta_q_limit``): ``X_median``,
    ``X_minus2sigma``, ``X_minus1sigma``, ``X_plus1sigma``, ``X_plus2sigma`` (μB or e),
    ``theta_limit_median``, ``asimov_X`` (the Asimov median limit, for comparison),
    ``signal_counts``, ``sm_counts``, ``background_counts``. The scan passes the flat grid
    index of every point as the column ``point_index`` (:attr:`needs_index`); called directly
    without it, the points are numbered 0, 1, ... .
    """

    n_toys: int = 1000
    seed: int = 0

    #: Tells :func:`nuem.inference.run_scan` to pass the grid index (column ``point_index``).
    needs_index = True

    def __post_init__(self):
        super().__post_init__()
        if self.param not in ("mu-nu", "delta-q"):
            raise InvalidParameterError(f"param={self.param!r}: toy scans give upper limits on "
                                        "mu-nu or delta-q; <r^2> has a two-sided Asimov interval "
                                        "(AsimovScanModel)")
        if int(self.n_toys) != self.n_toys or self.n_toys < 10:
            raise InvalidParameterError(f"n_toys={self.n_toys!r} must be an integer >= 10")
        self.n_toys = int(self.n_toys)
        if int(self.seed) != self.seed or self.seed < 0:
            raise InvalidParameterError(f"seed={self.seed!r} must be an integer >= 0")
        self.seed = int(self.seed)

    @property
    def max_chunk(self) -> int:
        """Largest default chunk of a scan: about 2×10⁵ toys per task (~1 s), so that tasks
        balance over workers and a checkpoint loses little when a run is killed."""
        return max(1, 200_000 // self.n_toys)

    def describe(self) -> dict:
        return {**super().describe(), "n_toys": self.n_toys, "seed": self.seed}

    def __call__(self, columns) -> dict[str, np.ndarray]:
        from .intervals import gaussian_interval

        cols = resolve_columns(columns, self.target)
        n = cols["threshold_kev"].size
        index = np.asarray(columns.get("point_index", np.arange(n)), dtype=np.int64)
        if index.shape != (n,):
            raise InvalidParameterError("point_index must have one value per point")
        ref, _, _, col = _REFS[self.param]
        names = [f"{col}_{b}" for b in BAND_NAMES]
        out = {k: np.empty(n) for k in [*names, "theta_limit_median", f"asimov_{col}",
                                        "signal_counts", "sm_counts", "background_counts"]}
        thr, tgt = cols["threshold_kev"], cols["target"]
        for target, t in _groups(tgt, thr):
            for i in np.flatnonzero((thr == t) & (tgt == target)):
                model, b = self.residual_model(t, cols["background_cpkkd"][i:i + 1],
                                               cols["exposure_kg_day"][i:i + 1],
                                               cols["flux_cm2_s"][i:i + 1], target)
                rng = np.random.default_rng(np.random.SeedSequence(self.seed,
                                                                   spawn_key=(int(index[i]),)))
                toys = model.sample(None, rng, self.n_toys)
                sigma = float(model.asimov_sigma_theta()[0])
                upper = np.asarray(gaussian_interval(model.linear_estimate(toys), sigma,
                                                     self.cl, self.method).upper, dtype=float)
                q = np.quantile(upper, BAND_QUANTILES)
                for name, v in zip(names, np.sqrt(q) * ref, strict=True):
                    out[name][i] = v
                out["theta_limit_median"][i] = q[2]
                asimov = float(gaussian_interval(0.0, sigma, self.cl, self.method).upper)
                out[f"asimov_{col}"][i] = math.sqrt(asimov) * ref
                out["signal_counts"][i] = model.unit_signal.sum()
                out["sm_counts"][i] = model.known.sum()
                out["background_counts"][i] = b.sum()
        return out

    @property
    def limit_column(self) -> str:
        """The output column of the median toy limit."""
        return f"{_REFS[self.param][3]}_median"
