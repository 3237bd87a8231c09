"""Synthetic customers, a product catalogue and holdings for demos, tests and the benchmark.

Two generators with different structure: ``latent`` (customers and products meet in a latent
preference space) and ``rules`` (global popularity shaped by life-stage rules, no latent factors).
Every holding respects the catalogue's eligibility rules, so a held product is always a suitable offer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from finloom.errors import ConfigError

__all__ = ["GENERATORS", "LIFE_STAGES", "REGIONS", "HoldingsData", "default_catalogue", "generate_holdings"]

GENERATORS = ("latent", "rules")
LIFE_STAGES = ("student", "young_professional", "family", "pre_retiree", "retiree")
REGIONS = ("north", "east", "south", "west", "central", "northeast")
_STAGE_AGES = ((18, 24), (25, 34), (35, 49), (50, 62), (63, 85))
_STAGE_INCOME = (2.5, 9.0, 14.0, 13.0, 7.0)  # median monthly income, thousand CNY
TASTE_WEIGHT = 3.0  # latent generator: weight of taste × loading against product popularity (sd 0.4)
EVERYDAY_BOOST = 0.5  # latent generator: extra popularity of the current account and savings deposit

# product_id, name_en, name_zh, category, risk (R1..R5), min_age, max_age, min_income (k CNY/month)
_CATALOGUE = (
    ("dep_current", "Current account", "活期存款", "deposit", 1, 16, 120, 0.0),
    ("dep_savings", "Savings deposit", "储蓄存款", "deposit", 1, 16, 120, 0.0),
    ("dep_term_1y", "1-year term deposit", "一年期定期存款", "deposit", 1, 18, 120, 0.0),
    ("dep_term_3y", "3-year term deposit", "三年期定期存款", "deposit", 1, 18, 120, 3.0),
    ("dep_large_cd", "Large certificate of deposit", "大额存单", "deposit", 1, 18, 120, 20.0),
    ("card_debit_youth", "Youth debit card", "青春借记卡", "card", 1, 16, 30, 0.0),
    ("card_credit_std", "Standard credit card", "标准信用卡", "card", 2, 18, 70, 3.0),
    ("card_credit_gold", "Gold credit card", "金卡信用卡", "card", 2, 22, 70, 10.0),
    ("card_credit_plat", "Platinum credit card", "白金信用卡", "card", 2, 25, 70, 25.0),
    ("card_travel", "Travel rewards card", "旅行积分卡", "card", 2, 22, 70, 8.0),
    ("loan_student", "Student loan", "助学贷款", "loan", 2, 18, 30, 0.0),
    ("loan_personal", "Personal loan", "个人消费贷款", "loan", 2, 22, 60, 5.0),
    ("loan_car", "Car loan", "汽车贷款", "loan", 2, 22, 60, 8.0),
    ("loan_mortgage", "Mortgage", "住房按揭贷款", "loan", 2, 25, 60, 10.0),
    ("loan_business", "Small-business loan", "小微企业贷款", "loan", 3, 25, 65, 12.0),
    ("fund_money_market", "Money-market fund", "货币市场基金", "fund", 1, 18, 120, 0.0),
    ("fund_bond", "Bond fund", "债券基金", "fund", 2, 18, 120, 2.0),
    ("fund_balanced", "Balanced fund", "平衡型基金", "fund", 3, 18, 80, 4.0),
    ("fund_equity_index", "Equity index fund", "股票指数基金", "fund", 4, 18, 75, 5.0),
    ("fund_equity_active", "Active equity fund", "主动型股票基金", "fund", 4, 18, 75, 8.0),
    ("fund_sector_tech", "Technology sector fund", "科技主题基金", "fund", 5, 18, 70, 10.0),
    ("fund_qdii", "Overseas equity fund (QDII)", "QDII海外股票基金", "fund", 5, 18, 70, 15.0),
    ("wm_stable", "Stable wealth product", "稳健型理财", "wealth", 2, 18, 120, 3.0),
    ("wm_pension", "Pension wealth product", "养老理财", "wealth", 2, 35, 120, 3.0),
    ("ins_health", "Health insurance", "健康保险", "insurance", 1, 18, 65, 2.0),
    ("ins_life_term", "Term life insurance", "定期寿险", "insurance", 1, 20, 60, 4.0),
    ("ins_education", "Education savings insurance", "子女教育金保险", "insurance", 2, 25, 55, 6.0),
    ("ins_annuity", "Annuity insurance", "年金保险", "insurance", 2, 40, 70, 6.0),
    ("ins_travel", "Travel insurance", "旅行保险", "insurance", 1, 18, 80, 0.0),
    ("gold_account", "Gold savings account", "积存金", "wealth", 3, 18, 80, 5.0),
    ("dep_notice", "7-day notice deposit", "七天通知存款", "deposit", 1, 18, 120, 5.0),
    ("dep_structured", "Structured deposit", "结构性存款", "deposit", 2, 18, 75, 8.0),
    ("card_student_credit", "Student credit card", "校园信用卡", "card", 2, 18, 25, 0.0),
    ("card_cobrand_shop", "Shopping co-branded card", "购物联名卡", "card", 2, 20, 65, 4.0),
    ("loan_renovation", "Home renovation loan", "家装贷款", "loan", 2, 25, 60, 8.0),
    ("loan_education", "Further-education loan", "进修贷款", "loan", 2, 20, 45, 4.0),
    ("fund_bond_index", "Bond index fund", "债券指数基金", "fund", 2, 18, 120, 1.0),
    ("fund_dividend", "Dividend equity fund", "红利股票基金", "fund", 3, 18, 80, 4.0),
    ("fund_esg", "ESG equity fund", "ESG主题基金", "fund", 4, 18, 75, 6.0),
    ("fund_healthcare", "Healthcare sector fund", "医疗主题基金", "fund", 5, 18, 70, 8.0),
    ("wm_enhanced", "Enhanced fixed-income wealth product", "固收增强理财", "wealth", 3, 18, 80, 5.0),
    ("ins_critical", "Critical-illness insurance", "重疾保险", "insurance", 1, 18, 60, 3.0),
    ("ins_accident", "Accident insurance", "意外保险", "insurance", 1, 18, 70, 0.0),
    ("ins_car", "Car insurance", "车险", "insurance", 1, 18, 75, 5.0),
    ("ins_home", "Home and contents insurance", "家财险", "insurance", 1, 25, 85, 4.0),
)
CATALOGUE_COLUMNS = ("product_id", "name_en", "name_zh", "category", "risk", "min_age", "max_age", "min_income")


@dataclass(frozen=True)
class HoldingsData:
    """Customers (one row each), the catalogue and the wide holdings table (customer_id + 0/1 per product).

    Examples
    --------
    >>> d = HoldingsData(pd.DataFrame(), default_catalogue(), pd.DataFrame())
    >>> len(d.catalogue)
    45
    """

    customers: pd.DataFrame
    catalogue: pd.DataFrame
    holdings: pd.DataFrame


def default_catalogue() -> pd.DataFrame:
    """The demo product catalogue: deposits, cards, loans, funds R1–R5, wealth and insurance products.

    Columns: product_id, name_en, name_zh, category, risk (1–5 for R1–R5), min_age, max_age,
    min_income (thousand CNY a month; a product-specific rule).

    Examples
    --------
    >>> cat = default_catalogue()
    >>> len(cat), sorted(cat["risk"].unique().tolist())
    (45, [1, 2, 3, 4, 5])
    """
    return pd.DataFrame(list(_CATALOGUE), columns=list(CATALOGUE_COLUMNS))


def _customers(n: int, rng: np.random.Generator) -> pd.DataFrame:
    """Life stage first, then age within it, income by stage and region, risk level from both."""
    stage = rng.choice(len(LIFE_STAGES), size=n, p=[0.12, 0.26, 0.30, 0.18, 0.14])
    lo = np.array([a for a, _ in _STAGE_AGES])[stage]
    hi = np.array([b for _, b in _STAGE_AGES])[stage]
    age = rng.integers(lo, hi + 1)
    region = rng.integers(0, len(REGIONS), size=n)
    region_factor = np.array([1.0, 1.35, 1.2, 0.85, 0.9, 0.8])[region]
    income = np.array(_STAGE_INCOME)[stage] * region_factor * rng.lognormal(0.0, 0.55, size=n)
    appetite = 0.9 * np.log1p(income) - 0.03 * (age - 40) + rng.normal(0.0, 0.8, size=n)
    risk = np.clip(np.digitize(appetite, [0.8, 1.7, 2.5, 3.2]) + 1, 1, 5)
    tenure = np.minimum(rng.exponential(6.0, size=n), age - 15).round(1)
    return pd.DataFrame(
        {
            "customer_id": [f"C{i:06d}" for i in range(n)],
            "age": age.astype(int),
            "life_stage": [LIFE_STAGES[s] for s in stage],
            "income": income.round(2),
            "risk_level": [f"C{r}" for r in risk],
            "region": [REGIONS[r] for r in region],
            "tenure": np.maximum(tenure, 0.0),
        }
    )


def _eligible(customers: pd.DataFrame, catalogue: pd.DataFrame) -> np.ndarray:
    from finloom.apps.recommendation._filters import eligibility_matrix

    return eligibility_matrix(customers, catalogue)


def _draw(utility: np.ndarray, eligible: np.ndarray, counts: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Each customer takes ``counts[u]`` distinct eligible products, sampled by softmax(utility)
    without replacement (Gumbel top-k)."""
    gumbel = rng.gumbel(size=utility.shape)
    keys = np.where(eligible, utility + gumbel, -np.inf)
    order = np.argsort(-keys, axis=1, kind="stable")
    held = np.zeros(utility.shape, dtype=np.int8)
    for u in range(utility.shape[0]):
        take = order[u, : min(int(counts[u]), int(eligible[u].sum()))]
        held[u, take] = 1
    return held


def _latent_utility(customers: pd.DataFrame, catalogue: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    """Latent story: 4 taste factors per customer (partly driven by age, income, risk level, partly
    idiosyncratic) meet 4 loadings per product; plus a product base popularity."""
    n, m, d = len(customers), len(catalogue), 4
    age = (customers["age"].to_numpy() - 45.0) / 15.0
    inc = np.log1p(customers["income"].to_numpy()) - 2.2
    risk = customers["risk_level"].str[1].astype(int).to_numpy() - 3.0
    drivers = np.column_stack([age, inc, risk])
    mix = rng.normal(0.0, 0.7, size=(3, d))
    u = drivers @ mix + rng.normal(0.0, 1.0, size=(n, d))
    cat_codes = pd.factorize(catalogue["category"])[0]
    cat_loading = rng.normal(0.0, 1.0, size=(cat_codes.max() + 1, d))
    v = 0.8 * cat_loading[cat_codes] + rng.normal(0.0, 0.8, size=(m, d))
    base = rng.normal(0.0, 0.4, size=m)
    base[catalogue["product_id"].isin(["dep_current", "dep_savings"]).to_numpy()] += EVERYDAY_BOOST
    utility: np.ndarray = TASTE_WEIGHT * (u @ v.T) / np.sqrt(d) + base
    return utility


def _rules_utility(customers: pd.DataFrame, catalogue: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    """Rules story: a Zipf-like global popularity plus a fixed boost for the products each life stage
    typically needs (students: youth card, student loan; families: mortgage, education insurance...)."""
    m = len(catalogue)
    ranks = rng.permutation(m) + 1
    base = np.log(1.0 / ranks ** 0.9)
    needs = {
        "student": ("card_debit_youth", "loan_student", "fund_money_market"),
        "young_professional": ("card_credit_std", "loan_personal", "card_travel", "fund_equity_index"),
        "family": ("loan_mortgage", "ins_education", "loan_car", "ins_life_term"),
        "pre_retiree": ("wm_pension", "dep_large_cd", "ins_annuity", "fund_bond"),
        "retiree": ("dep_term_3y", "wm_stable", "ins_health", "dep_term_1y"),
    }
    pid = {p: j for j, p in enumerate(catalogue["product_id"])}
    boost = np.zeros((len(LIFE_STAGES), m))
    for s, stage in enumerate(LIFE_STAGES):
        for p in needs[stage]:
            if p in pid:
                boost[s, pid[p]] = 2.2
    stage_idx = customers["life_stage"].map({s: i for i, s in enumerate(LIFE_STAGES)}).to_numpy()
    utility: np.ndarray = base[None, :] + boost[stage_idx]
    return utility


def generate_holdings(
    n_customers: int = 2000,
    *,
    generator: Literal["latent", "rules"] = "latent",
    catalogue: pd.DataFrame | None = None,
    random_state: int | None = None,
) -> HoldingsData:
    """Generate customers and their holdings of the catalogue's products.

    Story: each customer gets a life stage, an age inside it, an income (by stage, region and a
    log-normal draw), a risk level C1–C5 (appetite grows with income, falls with age) and a tenure.
    The number of products held is 1 + Poisson (more with income and tenure). Which products:
    ``latent`` — softmax over latent customer tastes × product loadings + product popularity;
    ``rules`` — softmax over Zipf popularity + life-stage needs. Both draw only eligible products.

    Parameters
    ----------
    n_customers : how many customers (≥ 10).
    generator : "latent" or "rules".
    catalogue : products (default :func:`default_catalogue`).
    random_state : seed; the same seed gives the same data.

    Examples
    --------
    >>> d = generate_holdings(50, random_state=0)
    >>> d.customers.shape[0], d.holdings.shape[1] == len(d.catalogue) + 1
    (50, True)
    >>> generate_holdings(50, random_state=0).holdings.equals(d.holdings)
    True
    """
    if generator not in GENERATORS:
        raise ConfigError(f"generator must be one of {list(GENERATORS)}; got {generator!r}.")
    if not isinstance(n_customers, int) or n_customers < 10:
        raise ConfigError(f"n_customers must be an int ≥ 10; got {n_customers!r}.")
    rng = np.random.default_rng(random_state)
    cat = default_catalogue() if catalogue is None else catalogue.reset_index(drop=True)
    customers = _customers(n_customers, rng)
    story = _latent_utility if generator == "latent" else _rules_utility
    utility = story(customers, cat, rng)
    lam = 0.6 + 0.35 * np.log1p(customers["income"].to_numpy()) + 0.04 * customers["tenure"].to_numpy()
    counts = 1 + rng.poisson(lam)
    held = _draw(utility, _eligible(customers, cat), counts, rng)
    holdings = pd.DataFrame(held, columns=list(cat["product_id"]))
    holdings.insert(0, "customer_id", customers["customer_id"].to_numpy())
    return HoldingsData(customers=customers, catalogue=cat, holdings=holdings)
