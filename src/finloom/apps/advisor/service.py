"""The robo-advisor: a profile and a plan in, a suitable portfolio tested on history and synthetic futures out."""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from finloom.apps.advisor._backtest import walk_forward
from finloom.apps.advisor._futures import allocation_chart_png, fan_chart_png, simulate_futures
from finloom.apps.advisor._letter import letter_html, write_letter
from finloom.apps.advisor._optimise import METHODS, Constraints, optimise, project
from finloom.apps.advisor._questionnaire import RiskScore, load_questionnaire
from finloom.apps.advisor._returns import product_returns
from finloom.apps.advisor._shelf import (
    Product,
    Shelf,
    SuitabilityRules,
    load_shelf,
    load_suitability,
)
from finloom.errors import ConfigError, InvalidDataError

__all__ = [
    "Plan",
    "build_constraints",
    "eligible_products",
    "enforce_suitability",
    "glide_path",
    "propose",
]

Optimiser = Callable[[pd.DataFrame, str, Constraints], pd.Series]
LOOKBACK_DAYS = 756  # three years of returns for the optimisers
SIM_FIT_DAYS = 2520  # ten years of history for the joint simulator


@dataclass
class Plan:
    """What the customer wants: amount, goal, horizon, method, rebalancing band, simulation size."""

    initial: float = 100_000.0
    goal: float = 120_000.0
    years: float | None = None  # None: the horizon answer of the questionnaire
    method: str = "min_variance"
    band: float = 0.05
    n_paths: int = 1000
    backtest_years: int = 5
    seed: int = 0
    customer_id: str | None = None
    regimes: str = (
        "none"  # the joint simulator's regime option: "none" or "markov" (calm/stressed chain)
    )

    def problems(self) -> list[str]:
        """Every problem with the plan (empty when it is fine)."""
        out = []
        if not self.initial > 0:
            out.append(f"initial amount must be > 0; got {self.initial}.")
        if not self.goal > 0:
            out.append(f"goal must be > 0; got {self.goal}.")
        if self.years is not None and not 0.25 <= self.years <= 40:
            out.append(f"years must be between 0.25 and 40; got {self.years}.")
        if self.method not in METHODS:
            out.append(f"method must be one of {list(METHODS)}; got {self.method!r}.")
        if not 0 < self.band < 1:
            out.append(f"band must be between 0 and 1; got {self.band}.")
        if self.regimes not in ("none", "markov"):
            out.append(f"regimes must be 'none' or 'markov'; got {self.regimes!r}.")
        if not 1 <= self.n_paths <= 20_000:
            out.append(f"n_paths must be between 1 and 20000; got {self.n_paths}.")
        return out


def glide_path(level: str, years: float, rules: SuitabilityRules) -> list[dict[str, float]]:
    """The growth (R3–R5) cap for each whole year left, from ``years`` down to 0.

    Examples
    --------
    >>> [g["max_growth"] for g in glide_path("C4", 3, load_suitability())]
    [0.38, 0.32, 0.26, 0.2]
    """
    cap = rules.limits[level].get("max_growth", 1.0)
    full, step, floor = (
        rules.glide.get(k, d) for k, d in (("full_years", 10.0), ("step", 0.06), ("floor", 0.0))
    )
    out = []
    for left in range(int(np.ceil(years)), -1, -1):
        value = cap if left >= full else max(min(cap, floor), cap - step * (full - left))
        out.append({"years_left": float(left), "max_growth": round(float(value), 6)})
    return out


def eligible_products(
    level: str, shelf: Shelf, rules: SuitabilityRules, initial: float
) -> tuple[list[Product], dict[str, str]]:
    """Products allowed for ``level`` whose minimum investment fits under the concentration cap; and why
    the others are out.

    Examples
    --------
    >>> ok, out = eligible_products("C1", load_shelf(), load_suitability(), 10_000)
    >>> [p.id for p in ok], out["NOTE-OIL"]
    (['DEP-CURRENT', 'MMF-CASH', 'DEP-1Y'], 'suitability: R5 is not allowed for C1')
    """
    cap = rules.limits[level]["max_weight"]
    ok, out = [], {}
    for p in shelf.products:
        if not rules.is_suitable(level, p):
            out[p.id] = f"suitability: {p.risk} is not allowed for {level}"
        elif p.min_investment > initial * cap:
            out[p.id] = (
                f"minimum investment {p.min_investment:,.0f} above {cap:.0%} of {initial:,.0f}"
            )
        else:
            ok.append(p)
    return ok, out


def build_constraints(
    products: list[Product], level: str, min_liquid: float, years: float, rules: SuitabilityRules
) -> Constraints:
    """The profile's limits on ``products`` (growth cap from the start of the glide path)."""
    cap = glide_path(level, years, rules)[0]["max_growth"]
    return Constraints(
        max_weight=rules.limits[level]["max_weight"],
        min_liquid=min_liquid,
        max_growth=cap,
        min_growth=min(rules.limits[level].get("min_growth", 0.0), cap),
        liquid=np.array([p.liquidity_days <= rules.liquid_days for p in products], dtype=bool),
        growth=np.array([p.risk_level >= 3 for p in products], dtype=bool),
    )


def enforce_suitability(
    raw: pd.Series,
    products: list[Product],
    level: str,
    shelf: Shelf,
    rules: SuitabilityRules,
    constraints: Constraints,
) -> pd.Series:
    """Whatever an optimiser returned: keep only the eligible products, project onto the limits, and check
    the suitability matrix once more (raises :class:`SuitabilityError` if anything unsuitable is left).

    Examples
    --------
    >>> shelf, rules = load_shelf(), load_suitability()
    >>> ok, _ = eligible_products("C1", shelf, rules, 100_000)
    >>> c = build_constraints(ok, "C1", 0.1, 3, rules)
    >>> rogue = pd.Series({"NOTE-OIL": 0.7, "DEP-CURRENT": 0.3})
    >>> w = enforce_suitability(rogue, ok, "C1", shelf, rules, c)
    >>> "NOTE-OIL" in w.index, round(float(w.sum()), 6)
    (False, 1.0)
    """
    ids = [p.id for p in products]
    kept = pd.Series(raw, dtype="float64").reindex(ids).fillna(0.0).clip(lower=0.0)
    if kept.sum() <= 0:
        kept[:] = 1.0
    w = pd.Series(project(kept.to_numpy() / kept.sum(), constraints), index=ids)
    rules.check(level, {str(k): float(v) for k, v in w.items()}, shelf)
    return w


def _b64(png: bytes) -> str:
    return base64.b64encode(png).decode("ascii")


def _simulator(prices: pd.DataFrame, assets: list[str], regimes: str) -> Any:
    from finloom.synth.market import JointFHSSimulator

    return JointFHSSimulator(regimes=regimes).fit(prices[assets].iloc[-SIM_FIT_DAYS:])


def propose(
    profile: RiskScore,
    plan: Plan,
    *,
    prices: pd.DataFrame | None = None,
    shelf: Shelf | None = None,
    rules: SuitabilityRules | None = None,
    optimiser: Optimiser | None = None,
    langs: tuple[str, ...] = ("en", "zh"),
) -> dict[str, Any]:
    """Build, test and explain a proposal; returns a JSON-ready dict (weights, limits, glide path,
    back-test, simulation, charts as base64 PNG, letters with their guard reports).

    Raises InvalidDataError for a bad plan or prices, InfeasibleConstraintsError naming the binding
    limit, SuitabilityError if an unsuitable product would be held.
    """
    problems = plan.problems()
    if problems:
        raise InvalidDataError(problems)
    shelf, rules = shelf or load_shelf(), rules or load_suitability()
    if prices is None:
        from finloom.synth.market import load_multi_asset

        prices = load_multi_asset()
    years = float(plan.years if plan.years is not None else profile.horizon_years)
    level = profile.level
    products, excluded = eligible_products(level, shelf, rules, plan.initial)
    constraints = build_constraints(products, level, profile.min_liquid, years, rules)
    from finloom.apps.advisor._optimise import check_feasible

    check_feasible(constraints)
    assets = sorted({a for p in products for a in p.assets})
    returns = product_returns(prices, products)
    optimiser = optimiser or optimise
    raw = optimiser(returns.iloc[-LOOKBACK_DAYS:], plan.method, constraints)
    weights = enforce_suitability(raw, products, level, shelf, rules, constraints)
    backtest = None
    if plan.backtest_years > 0 and len(returns) > LOOKBACK_DAYS + 21:
        start = returns.index[max(LOOKBACK_DAYS, len(returns) - plan.backtest_years * 252)]
        res = walk_forward(
            returns,
            lambda past: enforce_suitability(
                optimiser(past, plan.method, constraints),
                products,
                level,
                shelf,
                rules,
                constraints,
            ),
            start=start,
            lookback=LOOKBACK_DAYS,
            rebalance_days=63,
            realised=product_returns(prices, products, jitter=False),
        )
        backtest = {
            **res.summary,
            "start": res.returns.index[0].date().isoformat(),
            "end": res.returns.index[-1].date().isoformat(),
        }
    stats = _simulate(prices, assets, weights, products, plan, years)
    names = {p.id: p.names for p in products}
    questionnaire = load_questionnaire()
    proposal: dict[str, Any] = {
        "customer_id": plan.customer_id,
        "date": dt.date.today().isoformat(),
        "method": plan.method,
        "currency": shelf.currency,
        "profile": {
            **profile.to_dict(),
            "allowed": list(rules.allowed(level)),
            "level_name": {lang: questionnaire.level_name(level, lang) for lang in ("en", "zh")},
        },
        "plan": {"initial": plan.initial, "goal": plan.goal, "years": years, "band": plan.band},
        "weights": {k: round(float(v), 6) for k, v in weights.items() if v > 1e-6},
        "ratings": {p.id: p.risk for p in products},
        "names": names,
        "limits": {
            "max_weight": constraints.max_weight,
            "min_liquid": constraints.min_liquid,
            "max_growth": constraints.max_growth,
            "min_growth": constraints.min_growth,
        },
        "excluded": excluded,
        "glide_path": glide_path(level, years, rules),
        "backtest": backtest,
        "simulation": stats,
        "data": {
            "assets": assets,
            "start": prices.index[0].date().isoformat(),
            "end": prices.index[-1].date().isoformat(),
        },
    }
    labels = [names[pid].get("en", pid) for pid in proposal["weights"]]
    proposal["charts"] = {
        "allocation": _b64(allocation_chart_png(labels, list(proposal["weights"].values()))),
        "fan": _b64(fan_chart_png(_stats_obj(stats), title=f"{plan.n_paths} simulated futures")),
    }
    proposal["letters"] = {}
    for lang in langs:
        letter = write_letter(proposal, names, lang=lang, seed=plan.seed)
        proposal["letters"][lang] = {
            "text": letter.text,
            "guard": letter.guard.to_dict(),
            "unsupported_numbers": letter.unsupported_numbers,
        }
    return proposal


def _stats_obj(stats: dict[str, Any]) -> Any:
    from finloom.apps.advisor._futures import FutureStats

    return FutureStats(**stats)


def _simulate(
    prices: pd.DataFrame,
    assets: list[str],
    weights: pd.Series,
    products: list[Product],
    plan: Plan,
    years: float,
) -> dict[str, Any]:
    w = weights.reindex([p.id for p in products]).fillna(0.0).to_numpy()
    if assets:
        sim = _simulator(prices, assets, plan.regimes)
    else:  # only fixed-rate products: the futures are all the same path
        from finloom.synth.market import StationaryBootstrap

        flat = pd.DataFrame({"_none": np.ones(60)}, index=pd.bdate_range("2000-01-03", periods=60))
        sim = StationaryBootstrap().fit(flat)
    return simulate_futures(
        sim,
        w,
        products,
        initial=plan.initial,
        goal=plan.goal,
        years=years,
        n_paths=plan.n_paths,
        random_state=plan.seed,
    ).to_dict()


def proposal_html(proposal: dict[str, Any], lang: str = "en") -> str:
    """The letter in ``lang`` as a standalone HTML page with the allocation and fan charts."""
    from finloom.apps.advisor._letter import Letter

    if lang not in proposal.get("letters", {}):
        raise ConfigError(
            f"lang must be one of {sorted(proposal.get('letters', {}))}; got {lang!r}."
        )
    item = proposal["letters"][lang]
    title = "Investment proposal" if lang == "en" else "投资建议书"
    letter = Letter(lang, item["text"], None, None)  # type: ignore[arg-type]
    caps = ("Allocation", "Simulated wealth") if lang == "en" else ("资产配置", "模拟财富路径")
    return letter_html(
        letter,
        title=title,
        images={caps[0]: proposal["charts"]["allocation"], caps[1]: proposal["charts"]["fan"]},
    )


__all__ += ["proposal_html"]
