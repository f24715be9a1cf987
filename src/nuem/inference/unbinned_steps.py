r"""Newton steps of :class:`nuem.inference.unbinned_model.UnbinnedModel`, vectorised over rows.

:func:`solve_rows` gives the Newton step H⁻¹g row by row (a scaled gradient where H is
singular, e.g. a pseudo-experiment without events). :func:`feasible_step` keeps a step inside
the linear constraints λ_j(x) = Σ_p A_pj x_p + c_j ≥ 0 at the nodes j (the density is an
intensity): where a node is already at λ_j = 0 and the step would lower it, the step becomes the
Newton step with that constraint as an equality (minimise gᵀd + ½dᵀHd subject to a·d = 0:
d = s − μ H⁻¹a, μ = (a·s)/(a·H⁻¹a), s the free step; J. Nocedal, S.J. Wright, Numerical
Optimization, 2nd ed. (Springer 2006), Sec. 16.1); then it is cut at the first node it would
make negative (the ratio test of feasible-direction methods, ibid. Sec. 16.5).
Where the step, on that constraint, still lowers another node at λ = 0, further such nodes join
a working set and the step solves the KKT system with all of them (:func:`_more_active`).
"""

from __future__ import annotations

import numpy as np

__all__ = ["solve_rows", "feasible_step"]

#: Rows with cond(H) above this take the scaled-gradient step.
_COND = 1e13


def solve_rows(h, v):
    """(H⁻¹v per row, rows solved exactly); h (k, n, n), v (k, n). Singular rows: v/|diag H|.

    Examples
    --------
    >>> h = np.array([[[2.0, 0.0], [0.0, 4.0]], [[0.0, 0.0], [0.0, 0.0]]])
    >>> x, ok = solve_rows(h, np.ones((2, 2)))
    >>> x[0].tolist(), ok.tolist()
    ([0.5, 0.25], [True, False])
    """
    ok = np.linalg.cond(h) < _COND
    out = v / np.maximum(np.abs(np.diagonal(h, axis1=1, axis2=2)), 1e-300)
    if np.any(ok):
        out[ok] = np.linalg.solve(h[ok], v[ok][..., None])[..., 0]
    return out, ok


def _kkt_steps(h, a, g):
    """Newton steps d on the constraint a·d = 0 from the KKT system (rows); NaN rows where
    that system is singular too."""
    k, n = a.shape
    kkt = np.zeros((k, n + 1, n + 1))
    kkt[:, :n, :n] = h
    kkt[:, :n, n] = a
    kkt[:, n, :n] = a
    rhs = np.concatenate([-g, np.zeros((k, 1))], axis=1)
    sol, ok = solve_rows(kkt, rhs)
    return np.where(ok[:, None], sol[:, :n], np.nan)


def _more_active(lam_nodes, a_mat, step, slope, h, grad, tol, r, j):
    """Rows r whose step, on the constraint of node j, still lowers another node at λ = 0:
    grow a working set of such nodes (one per pass, the steepest) and take the Newton step with
    all of them as equalities, from the KKT system [[H, Aᵀ], [A, D]] (d, μ) = (−g, 0), the rows
    of A the working set's constraints, D = 1 on the unused (zero) slots so that their μ = 0
    (Nocedal & Wright, Sec. 16.1; working sets of active-set methods, Sec. 16.5). Without
    this, the ratio test cut such a step to length 0 and the fit stopped (several constraints
    active at once, e.g. a floated background and known component both at 1 + ν = 0). With as
    many constraints as parameters (a vertex) or a singular system the step is 0, as before.
    Modifies step and slope in place."""
    k, n = r.size, step.shape[1]
    widx = np.full((k, n), -1)
    widx[:, 0] = j
    live = np.ones(k, dtype=bool)
    for slot in range(1, n + 1):
        viol = (lam_nodes[r] <= tol) & (slope[r] < 0)
        sel = np.flatnonzero(live & np.any(viol, axis=1))
        if sel.size == 0:
            return
        if slot == n:                      # a vertex: no direction left on the working set
            step[r[sel]] = 0.0
            return
        widx[sel, slot] = np.argmin(np.where(viol[sel], slope[r[sel]], np.inf), axis=1)
        used = widx[sel] >= 0
        work = np.where(used[..., None], a_mat.T[np.maximum(widx[sel], 0)], 0.0)  # (s, n, n)
        kkt = np.zeros((sel.size, 2 * n, 2 * n))
        kkt[:, :n, :n] = h[r[sel]]
        kkt[:, :n, n:] = np.swapaxes(work, 1, 2)
        kkt[:, n:, :n] = work
        kkt[:, n:, n:] = np.eye(n) * ~used[:, None, :]
        rhs = np.concatenate([-grad[r[sel]], np.zeros((sel.size, n))], axis=1)
        sol, ok = solve_rows(kkt, rhs)
        step[r[sel[~ok]]] = 0.0            # singular even with the working set: no step
        live[sel[~ok]] = False
        sel = sel[ok]
        step[r[sel]] = sol[ok, :n]
        slope[r[sel]] = step[r[sel]] @ a_mat
        for s_ in range(slot + 1):         # along the working set's constraints (rounding)
            rr, jj = r[sel], widx[sel, s_]
            slope[rr, jj] = np.maximum(slope[rr, jj], 0.0)


def feasible_step(lam_nodes, a_mat, step, h, tol: float, grad=None):
    """A step (k, n) kept in {λ ≥ 0 at the nodes} (module docstring).

    Parameters
    ----------
    lam_nodes : (k, nodes) λ at the nodes at the current points (>= -tol).
    a_mat : (n, nodes) dλ_j/dx_p.
    step : (k, n) the unconstrained Newton step (modified copy returned).
    h : (k, n, n) Hessians.
    tol : λ_j <= tol counts as on the constraint.
    grad : (k, n), optional
        Gradients. Where H is singular (no curvature along some direction, e.g. a strength
        without events) but the Newton step along the active constraint is defined, it is the
        solution of the KKT system [[H, a], [aᵀ, 0]] (d, μ) = (−g, 0) (Nocedal & Wright,
        Sec. 16.1) instead of the Euclidean projection of the scaled-gradient step.

    Examples
    --------
    One parameter, λ = 1 - x at one node, from x = 0: a step of 3 is cut to 1.

    >>> feasible_step(np.array([[1.0]]), np.array([[-1.0]]), np.array([[3.0]]),
    ...               np.array([[[1.0]]]), 1e-12).tolist()
    [[1.0]]
    """
    step = np.array(step, dtype=float)
    slope = step @ a_mat
    hit = (lam_nodes <= tol) & (slope < 0)
    rows = np.any(hit, axis=1)
    if np.any(rows):
        j = np.argmin(np.where(hit, slope, np.inf), axis=1)[rows]
        a = a_mat[:, j].T
        ha, ok = solve_rows(h[rows], a)
        ha = np.where(ok[:, None], ha, a)                        # Euclidean where singular
        mu = np.einsum("kf,kf->k", a, step[rows]) / np.einsum("kf,kf->k", a, ha)
        new = step[rows] - mu[:, None] * ha
        if grad is not None and not np.all(ok):
            kkt = _kkt_steps(h[rows][~ok], a[~ok], np.asarray(grad, float)[rows][~ok])
            new[~ok] = np.where(np.isnan(kkt), new[~ok], kkt)
        step[rows] = new
        slope = step @ a_mat
        r = np.flatnonzero(rows)
        slope[r, j] = np.maximum(slope[r, j], 0.0)     # along that node's constraint (rounding)
        if grad is not None:
            _more_active(lam_nodes, a_mat, step, slope, h, np.asarray(grad, float), tol, r, j)
    with np.errstate(divide="ignore", invalid="ignore"):
        room = np.where(slope < 0, np.maximum(lam_nodes, 0.0) / -slope, np.inf).min(axis=1)
    return step * np.minimum(1.0, room)[:, None]
