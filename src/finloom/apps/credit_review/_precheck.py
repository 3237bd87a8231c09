"""An indicative credit pre-check from what the applicant states (no credit search): the monthly
repayment at the product's indicative rate, the debt-to-income ratio, the largest amount within
the affordability limit, and a decision with its reasons."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from finloom.errors import InvalidDataError

__all__ = ["PRECHECK_RULES", "Precheck", "precheck"]

Product = Literal["mortgage", "personal_loan", "car_loan", "credit_card"]
# product -> (indicative annual rate %, longest term in years)
PRECHECK_RULES: dict[str, tuple[float, float]] = {
    "mortgage": (4.2, 30.0), "personal_loan": (7.5, 7.0), "car_loan": (6.0, 7.0), "credit_card": (18.0, 0.0)}
LIKELY_DTI, POSSIBLE_DTI = 35.0, 50.0  # repayments as % of monthly income
CARD_INCOME_MULTIPLE = 3.0  # a card limit up to three months' income


@dataclass(frozen=True)
class Precheck:
    """An indicative decision (``likely``, ``possible`` or ``unlikely``) with its figures and reasons
    (reason codes: ``dti_ok``, ``dti_high``, ``dti_too_high``, ``term_too_long``, ``limit_capped``)."""

    product: str
    decision: str
    amount: float
    monthly_income: float
    years: float
    rate_pct: float
    payment: float
    dti_pct: float
    max_amount: float
    reasons: tuple[str, ...] = field(default_factory=tuple)


def _payment(amount: float, rate_pct: float, years: float) -> float:
    n = max(1, round(years * 12))
    r = rate_pct / 100 / 12
    return amount / n if r == 0 else amount * r / (1 - (1 + r) ** -n)


def precheck(product: str, *, amount: float, monthly_income: float, years: float | None = None,
             monthly_debts: float = 0.0) -> Precheck:
    """The indicative decision for ``amount`` over ``years`` on ``monthly_income``.

    Examples
    --------
    >>> p = precheck("mortgage", amount=300_000, monthly_income=10_000, years=25)
    >>> p.decision, round(p.payment, 2), round(p.dti_pct, 1)
    ('likely', 1616.83, 16.2)
    >>> precheck("personal_loan", amount=200_000, monthly_income=5_000, years=3).decision
    'unlikely'
    >>> precheck("credit_card", amount=50_000, monthly_income=8_000).max_amount
    24000.0
    """
    if product not in PRECHECK_RULES:
        raise InvalidDataError(f"product must be one of {sorted(PRECHECK_RULES)}; got {product!r}.")
    if amount <= 0 or monthly_income <= 0 or monthly_debts < 0:
        raise InvalidDataError(f"amount and monthly income must be positive; got {amount} and {monthly_income}. "
                               "State them as numbers, e.g. 300k and 10,000 a month.")
    rate, longest = PRECHECK_RULES[product]
    if product == "credit_card":
        cap = round(monthly_income * CARD_INCOME_MULTIPLE, 2)
        granted = min(amount, cap)
        payment = granted * 0.05  # the minimum repayment of a fully used card
        dti = (payment + monthly_debts) / monthly_income * 100
        card_reasons = ("limit_capped",) if amount > cap else ("dti_ok",)
        decision = "likely" if dti <= LIKELY_DTI else "possible" if dti <= POSSIBLE_DTI else "unlikely"
        return Precheck(product, decision, amount, monthly_income, 0.0, rate, payment, dti, cap, card_reasons)
    if years is None or years <= 0:
        raise InvalidDataError(f"years must be a positive loan term; got {years}. Say e.g. 5 years or 36 months.")
    term = min(years, longest)
    payment = _payment(amount, rate, term)
    dti = (payment + monthly_debts) / monthly_income * 100
    room = max(0.0, monthly_income * LIKELY_DTI / 100 - monthly_debts)
    max_amount = room / _payment(1.0, rate, term)
    reasons: list[str] = ["term_too_long"] if years > longest else []
    if dti <= LIKELY_DTI:
        decision, reasons = "likely", [*reasons, "dti_ok"]
    elif dti <= POSSIBLE_DTI:
        decision, reasons = "possible", [*reasons, "dti_high"]
    else:
        decision, reasons = "unlikely", [*reasons, "dti_too_high"]
    return Precheck(product, decision, amount, monthly_income, term, rate, payment, dti, max_amount, tuple(reasons))
