"""Eligibility and suitability: which products may be offered to which customer, and why not.

Rules (all must hold): product risk R ≤ customer risk level C; age within the product's
[min_age, max_age]; income ≥ the product's min_income; the product is not already held.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["eligibility_matrix", "ineligibility_reasons", "risk_number"]


def risk_number(values: pd.Series) -> np.ndarray:
    """Customer risk levels "C1".."C5" (or 1..5) as integers 1..5.

    Examples
    --------
    >>> risk_number(pd.Series(["C1", "C5", 3])).tolist()
    [1, 5, 3]
    """
    text = values.astype(str).str.strip().str.upper().str.removeprefix("C")
    return pd.to_numeric(text, errors="coerce").fillna(0).astype(int).to_numpy()


def eligibility_matrix(customers: pd.DataFrame, catalogue: pd.DataFrame) -> np.ndarray:
    """Boolean (customers × products): suitable by risk, age and income (holdings not considered).

    Examples
    --------
    >>> from finloom.apps.recommendation import default_catalogue
    >>> cust = pd.DataFrame({"age": [20, 70], "income": [1.0, 30.0], "risk_level": ["C1", "C5"]})
    >>> m = eligibility_matrix(cust, default_catalogue())
    >>> int(m[0].sum()) < int(m[1].sum())
    True
    """
    risk = risk_number(customers["risk_level"])[:, None]
    age = customers["age"].to_numpy(dtype=float)[:, None]
    income = customers["income"].to_numpy(dtype=float)[:, None]
    ok: np.ndarray = (
        (catalogue["risk"].to_numpy()[None, :] <= risk)
        & (age >= catalogue["min_age"].to_numpy()[None, :])
        & (age <= catalogue["max_age"].to_numpy()[None, :])
        & (income >= catalogue["min_income"].to_numpy()[None, :])
    )
    return ok


def ineligibility_reasons(customer: pd.Series, product: pd.Series, *, held: bool = False) -> list[str]:
    """Why ``product`` may not be offered to ``customer`` (empty when it may).

    Examples
    --------
    >>> from finloom.apps.recommendation import default_catalogue
    >>> cat = default_catalogue().set_index("product_id")
    >>> c = pd.Series({"age": 70, "income": 5.0, "risk_level": "C2"})
    >>> ineligibility_reasons(c, cat.loc["fund_sector_tech"])
    ['product risk R5 exceeds customer risk level C2', 'income 5.0 is below 10.0']
    """
    reasons = []
    risk = int(risk_number(pd.Series([customer["risk_level"]]))[0])
    if int(product["risk"]) > risk:
        reasons.append(f"product risk R{int(product['risk'])} exceeds customer risk level C{risk}")
    if float(customer["age"]) < float(product["min_age"]):
        reasons.append(f"age {customer['age']} is below the minimum {product['min_age']}")
    if float(customer["age"]) > float(product["max_age"]):
        reasons.append(f"age {customer['age']} is above the maximum {product['max_age']}")
    if float(customer["income"]) < float(product["min_income"]):
        reasons.append(f"income {customer['income']} is below {product['min_income']}")
    if held:
        reasons.append("already held")
    return reasons
