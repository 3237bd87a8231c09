"""Portfolio construction with PyPortfolioOpt under the profile's limits, and a clear word when they clash.

Methods: minimum variance and maximum Sharpe on a Ledoit-Wolf shrunk covariance, risk parity (equal
risk contributions), hierarchical risk parity (HRP) and minimum CVaR at 95 %. Every method sees the
same constraints: long only, budget 1, a concentration cap per product, a minimum liquid share and a
minimum and maximum share of growth (R3–R5) products. HRP has no constraint interface, so its weights are
projected onto the constrained set (the closest feasible weights in the least-squares sense).

Minimum variance and the projection are small quadratic programmes solved by Clarabel (the interior-point
solver cvxpy itself calls) directly: the constraint matrix is built once per limit set and only the
objective changes, which skips cvxpy's canonicalisation on every call (about 1 ms instead of 25 ms for 20
products; the tests check the weights against the cvxpy formulation to 1e-6).
"""

from __future__ import annotations

import functools
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import linprog

from finloom._optional import require
from finloom.errors import ConfigError, FinloomError

__all__ = [
    "METHODS",
    "Constraints",
    "InfeasibleConstraintsError",
    "check_feasible",
    "ledoit_wolf_cov",
    "optimise",
    "project",
]

METHODS = ("min_variance", "max_sharpe", "risk_parity", "hrp", "cvar")
TRADING_DAYS = 252
_TOL = 1e-6


class InfeasibleConstraintsError(FinloomError):
    """No weights satisfy the profile's limits together; the message names the binding constraint."""

    status_code = 422


@dataclass(frozen=True)
class Constraints:
    """Limits on a long-only, fully invested portfolio of ``n`` products.

    ``liquid`` / ``growth`` are boolean masks (products redeemable within the liquidity window, and
    R3–R5 products); ``max_weight`` caps each product, ``min_liquid`` floors the liquid share and
    ``max_growth`` caps the growth share.

    Examples
    --------
    >>> c = Constraints(max_weight=0.5, min_liquid=0.2, max_growth=0.6,
    ...                 liquid=np.array([True, False, True]), growth=np.array([False, True, True]))
    >>> c.n
    3
    """

    max_weight: float
    min_liquid: float
    max_growth: float
    liquid: np.ndarray
    growth: np.ndarray
    min_growth: float = 0.0

    @property
    def n(self) -> int:
        """Number of products."""
        return len(self.liquid)

    def violations(self, w: np.ndarray, tol: float = 1e-4) -> list[str]:
        """Names of the limits ``w`` breaks (empty when it satisfies them all)."""
        out = []
        if abs(float(w.sum()) - 1.0) > tol or float(w.min()) < -tol:
            out.append("budget")
        if float(w.max()) > self.max_weight + tol:
            out.append("max_weight")
        if float(w[self.liquid].sum()) < self.min_liquid - tol:
            out.append("min_liquid")
        if float(w[self.growth].sum()) > self.max_growth + tol:
            out.append("max_growth")
        if float(w[self.growth].sum()) < self.min_growth - tol:
            out.append("min_growth")
        return out


def _lp_feasible(
    c: Constraints,
    *,
    max_weight: float | None = None,
    min_liquid: float | None = None,
    max_growth: float | None = None,
    min_growth: float | None = None,
) -> bool:
    mw = c.max_weight if max_weight is None else max_weight
    ml = c.min_liquid if min_liquid is None else min_liquid
    mg = c.max_growth if max_growth is None else max_growth
    mn = c.min_growth if min_growth is None else min_growth
    a_ub = np.vstack([-c.liquid.astype(float), c.growth.astype(float), -c.growth.astype(float)])
    res = linprog(
        np.zeros(c.n),
        A_ub=a_ub,
        b_ub=[-ml, mg, -mn],
        A_eq=np.ones((1, c.n)),
        b_eq=[1.0],
        bounds=[(0.0, mw)] * c.n,
        method="highs",
    )
    return bool(res.status == 0)


def check_feasible(c: Constraints, *, names: list[str] | None = None) -> None:
    """Raise :class:`InfeasibleConstraintsError` naming the binding constraint when no weights fit.

    Examples
    --------
    >>> c = Constraints(max_weight=0.3, min_liquid=0.0, max_growth=1.0,
    ...                 liquid=np.array([True] * 3), growth=np.array([False] * 3))
    >>> check_feasible(c)
    Traceback (most recent call last):
    ...
    finloom.apps.advisor._optimise.InfeasibleConstraintsError: portfolio limits must be satisfiable together; got none that fit. Binding constraint: max_weight (3 eligible products × 30.00% = 90.00% < 100%). Raise max_weight or make more products eligible.
    """
    if c.n == 0:
        raise InfeasibleConstraintsError(
            "portfolio must have at least one eligible product; got none. "
            "Binding constraint: suitability. Add suitable products to the shelf."
        )
    if _lp_feasible(c):
        return
    liquid_cap = min(1.0, int(c.liquid.sum()) * c.max_weight)
    safe_cap = min(1.0, int((~c.growth).sum()) * c.max_weight)
    details = {
        "max_weight": (
            f"{c.n} eligible products × {c.max_weight:.2%} = {c.n * c.max_weight:.2%} < 100%",
            "Raise max_weight or make more products eligible.",
        ),
        "min_liquid": (
            f"liquid products can reach at most {liquid_cap:.2%} < the required {c.min_liquid:.2%}",
            "Lower min_liquid (the liquidity answer) or add liquid products.",
        ),
        "max_growth": (
            f"non-growth products can reach at most {safe_cap:.2%}, so growth must exceed its "
            f"cap of {c.max_growth:.2%}",
            "Raise max_growth (glide path) or add R1/R2 products.",
        ),
        "min_growth": (
            f"growth products can reach at most {min(1.0, int(c.growth.sum()) * c.max_weight):.2%} "
            f"< the required {c.min_growth:.2%}",
            "Lower min_growth or add suitable R3-R5 products.",
        ),
    }
    relax = {
        "max_weight": {"max_weight": 1.0},
        "min_liquid": {"min_liquid": 0.0},
        "max_growth": {"max_growth": 1.0},
        "min_growth": {"min_growth": 0.0},
    }
    if c.n * c.max_weight >= 1.0:  # the cap alone fits: it binds only together with another limit
        details["max_weight"] = (
            f"a cap of {c.max_weight:.2%} per product leaves the other limits no room",
            "Raise max_weight or make more products eligible.",
        )
        relax = {k: relax[k] for k in ("min_liquid", "max_growth", "min_growth", "max_weight")}
    binding = [k for k, kw in relax.items() if _lp_feasible(c, **kw)] or list(relax)
    what, remedy = details[binding[0]]
    also = f" (also binding: {', '.join(binding[1:])})" if len(binding) > 1 else ""
    raise InfeasibleConstraintsError(
        f"portfolio limits must be satisfiable together; got none that fit. "
        f"Binding constraint: {binding[0]} ({what}){also}. {remedy}"
    )


def project(w: np.ndarray, c: Constraints) -> np.ndarray:
    """The feasible weights closest to ``w`` (least squares); ``w`` itself when it already fits.

    Examples
    --------
    >>> c = Constraints(max_weight=0.5, min_liquid=0.0, max_growth=1.0,
    ...                 liquid=np.array([True] * 3), growth=np.array([False] * 3))
    >>> project(np.array([0.8, 0.1, 0.1]), c).round(3).tolist()
    [0.5, 0.25, 0.25]
    """
    w = np.asarray(w, dtype=np.float64)
    if not c.violations(w, tol=1e-7):
        return w
    x = _qp(2.0 * np.eye(c.n), -2.0 * w, c)
    if x is None:
        check_feasible(c)
        raise InfeasibleConstraintsError(
            "weights must be projectable onto the limits; got no solution from the solver."
        )
    return _clean(x)


@functools.lru_cache(maxsize=64)
def _limit_rows(
    n: int,
    limits: tuple[float, float, float, float],
    liquid: tuple[bool, ...],
    growth: tuple[bool, ...],
) -> tuple[Any, np.ndarray, int]:
    """Clarabel's ``A x + s = b`` rows for one limit set: the budget (zero cone), then ``w >= 0``,
    ``w <= cap`` and the group limits (nonnegative cone). Returns (A as CSC, b, inequality count)."""
    from scipy import sparse

    max_weight, min_liquid, max_growth, min_growth = limits
    liq, gro = np.asarray(liquid, dtype=float), np.asarray(growth, dtype=float)
    rows = [np.ones((1, n)), -np.eye(n), np.eye(n)]
    rhs = [[1.0], np.zeros(n), np.full(n, max_weight)]
    if liq.any() and min_liquid > 0:
        rows.append(-liq[None, :])
        rhs.append([-min_liquid])
    if gro.any():
        rows += [gro[None, :], -gro[None, :]]
        rhs += [[max_growth], [-min_growth]]
    a = sparse.csc_matrix(np.vstack(rows))
    return a, np.concatenate([np.asarray(r, dtype=float) for r in rhs]), a.shape[0] - 1


@functools.lru_cache(maxsize=16)
def _upper_pattern(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Row and column indices and column pointers of a dense upper triangle in CSC order."""
    cols = np.concatenate([np.full(j + 1, j) for j in range(n)])
    rows = np.concatenate([np.arange(j + 1) for j in range(n)])
    return rows, cols, np.concatenate([[0], np.cumsum(np.arange(1, n + 1))])


def _qp(p_matrix: np.ndarray, q: np.ndarray, c: Constraints) -> np.ndarray | None:
    """argmin ½ wᵀPw + qᵀw under the limits of ``c`` (Clarabel); None when it finds no solution."""
    clarabel = require("clarabel", feature="portfolio construction")
    from scipy import sparse

    a, b, n_ineq = _limit_rows(
        c.n,
        (float(c.max_weight), float(c.min_liquid), float(c.max_growth), float(c.min_growth)),
        tuple(bool(x) for x in c.liquid),
        tuple(bool(x) for x in c.growth),
    )
    settings = clarabel.DefaultSettings()
    settings.verbose = False
    # tight tolerances on an objective scaled to order one: a variance objective is flat near its
    # minimum, so the default gap of 1e-8 leaves weights uncertain in the fifth decimal
    settings.tol_gap_abs = settings.tol_gap_rel = settings.tol_feas = 1e-11
    scale = 1.0 / max(float(np.abs(np.diag(p_matrix)).mean()), 1e-300)
    p_matrix, q = p_matrix * scale, q * scale
    cones = [clarabel.ZeroConeT(1), clarabel.NonnegativeConeT(n_ineq)]
    rows, cols, indptr = _upper_pattern(c.n)
    p_upper = sparse.csc_matrix((p_matrix[rows, cols], rows, indptr), shape=(c.n, c.n))
    solution = clarabel.DefaultSolver(p_upper, q, a, b, cones, settings).solve()
    if str(solution.status) not in ("Solved", "AlmostSolved"):
        return None
    return np.asarray(solution.x, dtype=np.float64)


def _clean(w: np.ndarray) -> np.ndarray:
    w = np.where(w < _TOL, 0.0, w)
    return w / w.sum()


def _add_limits(opt: object, c: Constraints) -> None:
    liquid, growth = c.liquid.astype(float), c.growth.astype(float)
    if c.min_liquid > 0:
        opt.add_constraint(lambda w: liquid @ w >= c.min_liquid)  # type: ignore[attr-defined]
    if c.growth.any() and c.max_growth < 1:
        opt.add_constraint(lambda w: growth @ w <= c.max_growth)  # type: ignore[attr-defined]
    if c.min_growth > 0:
        opt.add_constraint(lambda w: growth @ w >= c.min_growth)  # type: ignore[attr-defined]


def ledoit_wolf_cov(x: np.ndarray) -> np.ndarray:
    """Ledoit-Wolf shrunk covariance of the rows of ``x`` (T, n): scikit-learn's ``ledoit_wolf``
    formula (centred data, shrinkage towards the mean variance) without its input checks.

    Examples
    --------
    >>> from sklearn.covariance import ledoit_wolf
    >>> x = np.random.default_rng(0).normal(size=(300, 4))
    >>> bool(np.allclose(ledoit_wolf_cov(x), ledoit_wolf(x)[0], rtol=1e-10, atol=1e-14))
    True
    """
    x = np.asarray(x, dtype=np.float64)
    x = x - x.mean(axis=0)
    n_samples, n_features = x.shape
    emp = x.T @ x / n_samples
    mu = float(np.trace(emp)) / n_features
    x2 = x**2
    beta_sum = float((x2.T @ x2).sum())
    delta_sum = float(((x.T @ x) ** 2).sum()) / n_samples**2
    beta = (beta_sum / n_samples - delta_sum) / (n_features * n_samples)
    delta = (delta_sum - 2.0 * mu * float(np.trace(emp)) + n_features * mu**2) / n_features
    beta = min(beta, delta)
    shrinkage = 0.0 if beta == 0 else beta / delta
    out = (1.0 - shrinkage) * emp
    out.flat[:: n_features + 1] += shrinkage * mu
    return out


def _ledoit_wolf(returns: pd.DataFrame) -> pd.DataFrame:
    """Annualised Ledoit-Wolf shrunk covariance (scikit-learn's estimator, as PyPortfolioOpt uses)."""
    cov = ledoit_wolf_cov(returns.to_numpy())
    return pd.DataFrame(cov * TRADING_DAYS, index=returns.columns, columns=returns.columns)


def _min_variance(cov: pd.DataFrame, c: Constraints) -> np.ndarray:
    w = _qp(2.0 * cov.to_numpy(), np.zeros(c.n), c)
    if w is None:
        raise InfeasibleConstraintsError("minimum variance must solve; got no solution.")
    return w


def _risk_parity_objective(w: np.ndarray, cov: np.ndarray) -> float:
    port = float(w @ cov @ w)
    contrib = w * (cov @ w) / max(port, 1e-18)
    return float(((contrib - 1.0 / len(w)) ** 2).sum()) * 1e3


def _solve(returns: pd.DataFrame, method: str, c: Constraints, risk_free: float) -> np.ndarray:
    pypfopt = require("pypfopt", feature="portfolio construction")
    cov = _ledoit_wolf(returns)
    bounds = (0.0, c.max_weight)
    if method == "hrp":
        hrp = pypfopt.HRPOpt(returns, cov_matrix=cov)
        raw = hrp.optimize()
        return project(np.array([raw[k] for k in returns.columns]), c)
    if method == "cvar":
        mu = returns.mean() * TRADING_DAYS
        opt = pypfopt.EfficientCVaR(mu, returns, beta=0.95, weight_bounds=bounds, solver="CLARABEL")
        _add_limits(opt, c)
        opt.min_cvar()
        return np.array([opt.weights[i] for i in range(c.n)])
    if method == "min_variance":  # Clarabel directly: no cvxpy canonicalisation per call
        return _min_variance(cov, c)
    mu = returns.mean() * TRADING_DAYS
    ef = pypfopt.EfficientFrontier(mu, cov, weight_bounds=bounds, solver="CLARABEL")
    _add_limits(ef, c)
    if method == "max_sharpe":
        if float(mu.max()) <= risk_free:
            ef.min_volatility()  # no product beats the risk-free rate: the tangency portfolio is undefined
        else:
            ef.max_sharpe(risk_free_rate=risk_free)
    else:  # risk_parity
        liquid, growth = c.liquid.astype(float), c.growth.astype(float)
        cons = [
            {"type": "ineq", "fun": lambda w: liquid @ w - c.min_liquid},
            {"type": "ineq", "fun": lambda w: c.max_growth - growth @ w},
            {"type": "ineq", "fun": lambda w: growth @ w - c.min_growth},
        ]
        ef.nonconvex_objective(
            _risk_parity_objective,
            objective_args=(cov.to_numpy(),),
            weights_sum_to_one=True,
            constraints=cons,
        )
    return np.asarray(ef.weights, dtype=np.float64)


def optimise(
    returns: pd.DataFrame, method: str, constraints: Constraints, *, risk_free: float = 0.0
) -> pd.Series:
    """Weights of ``method`` for the products in ``returns`` (daily simple returns) under ``constraints``.

    Raises :class:`InfeasibleConstraintsError` naming the binding constraint when the limits clash.

    Examples
    --------
    >>> g = np.random.default_rng(0)
    >>> r = pd.DataFrame(g.normal(3e-4, [0.01, 0.005, 0.002], (500, 3)), columns=["A", "B", "C"])
    >>> c = Constraints(max_weight=0.6, min_liquid=0.0, max_growth=1.0,
    ...                 liquid=np.array([True] * 3), growth=np.array([True, True, False]))
    >>> w = optimise(r, "min_variance", c)
    >>> round(float(w.sum()), 6), bool(w.max() <= 0.6 + 1e-6)
    (1.0, True)
    """
    if method not in METHODS:
        from finloom.errors import did_you_mean

        raise ConfigError(
            f"method must be one of {list(METHODS)}; got {method!r}.{did_you_mean(method, METHODS)}"
        )
    if returns.shape[1] != constraints.n:
        raise ConfigError(
            f"constraints must cover every product; got {constraints.n} for {returns.shape[1]} products."
        )
    if constraints.n == 1:
        check_feasible(constraints)
        return pd.Series([1.0], index=returns.columns)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            w = _solve(returns, method, constraints, risk_free)
    except (
        Exception
    ):  # infeasible limits get their named message; any other solver failure falls back
        check_feasible(constraints)  # to the projection of equal weights
        w = np.full(constraints.n, 1.0 / constraints.n)
    w = project(_clean(np.clip(w, 0.0, None)), constraints)
    return pd.Series(w, index=returns.columns)
