"""Robo-advisor: risk profiling (C1–C5), suitable portfolios (R1–R5), tests on history and on thousands of
synthetic multi-asset futures, and a grounded advice letter in English and Chinese."""

from finloom.apps.advisor._backtest import BacktestResult, drawdown_stats, walk_forward
from finloom.apps.advisor._futures import (
    FutureStats,
    allocation_chart_png,
    fan_chart_png,
    simulate_futures,
)
from finloom.apps.advisor._letter import Letter, letter_facts, letter_html, write_letter
from finloom.apps.advisor._optimise import (
    METHODS,
    Constraints,
    InfeasibleConstraintsError,
    check_feasible,
    optimise,
    project,
)
from finloom.apps.advisor._questionnaire import LEVELS, Questionnaire, RiskScore, load_questionnaire
from finloom.apps.advisor._rebalance import rebalancing_notice
from finloom.apps.advisor._returns import product_returns, products_from_assets
from finloom.apps.advisor._shelf import (
    RISKS,
    Product,
    Shelf,
    SuitabilityError,
    SuitabilityRules,
    load_shelf,
    load_suitability,
)
from finloom.apps.advisor.service import (
    Plan,
    build_constraints,
    eligible_products,
    enforce_suitability,
    glide_path,
    proposal_html,
    propose,
)

__all__ = [
    "LEVELS",
    "METHODS",
    "RISKS",
    "BacktestResult",
    "Constraints",
    "FutureStats",
    "InfeasibleConstraintsError",
    "Letter",
    "Plan",
    "Product",
    "Questionnaire",
    "RiskScore",
    "Shelf",
    "SuitabilityError",
    "SuitabilityRules",
    "allocation_chart_png",
    "build_constraints",
    "check_feasible",
    "drawdown_stats",
    "eligible_products",
    "enforce_suitability",
    "fan_chart_png",
    "glide_path",
    "letter_facts",
    "letter_html",
    "load_questionnaire",
    "load_shelf",
    "load_suitability",
    "optimise",
    "product_returns",
    "products_from_assets",
    "project",
    "proposal_html",
    "propose",
    "rebalancing_notice",
    "simulate_futures",
    "walk_forward",
    "write_letter",
]
