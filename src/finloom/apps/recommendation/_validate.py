"""Checks of the three input tables (customers, catalogue, wide holdings) with one clear error each."""

from __future__ import annotations

import numpy as np
import pandas as pd

from finloom.errors import InvalidDataError, did_you_mean

__all__ = ["CUSTOMER_COLUMNS", "check_catalogue", "check_customers", "holdings_matrix"]

CUSTOMER_COLUMNS = ("customer_id", "age", "life_stage", "income", "risk_level", "region", "tenure")
_CATALOGUE_REQUIRED = ("product_id", "category", "risk", "min_age", "max_age", "min_income")
_NUMERIC = ("age", "income", "tenure")


def _missing(df: pd.DataFrame, required: tuple[str, ...], what: str) -> list[str]:
    return [
        f"{what} must have a column '{c}'; got columns {list(map(str, df.columns))[:12]}."
        f"{did_you_mean(c, map(str, df.columns))}"
        for c in required
        if c not in df.columns
    ]


def check_catalogue(catalogue: pd.DataFrame) -> pd.DataFrame:
    """The catalogue, checked (required columns, unique product ids, risk 1–5); a copy.

    Examples
    --------
    >>> check_catalogue(pd.DataFrame({"product_id": ["a"]}))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    finloom.errors.InvalidDataError: The data has 5 problems:...
    """
    problems = _missing(catalogue, _CATALOGUE_REQUIRED, "the catalogue")
    if problems:
        raise InvalidDataError(problems)
    cat = catalogue.reset_index(drop=True).copy()
    cat["product_id"] = cat["product_id"].astype(str)
    if cat.empty:
        problems.append("the catalogue must list at least one product; got an empty table.")
    if cat["product_id"].duplicated().any():
        dup = cat.loc[cat["product_id"].duplicated(), "product_id"].iloc[0]
        problems.append(f"catalogue product_id must be unique; got {dup!r} twice. Remove the duplicate row.")
    risk = pd.to_numeric(cat["risk"], errors="coerce")
    if not risk.between(1, 5).all():
        problems.append("catalogue risk must be an integer 1–5 (R1–R5) on every row; fix the risk column.")
    if problems:
        raise InvalidDataError(problems)
    for c in ("name_en", "name_zh"):
        if c not in cat.columns:
            cat[c] = cat["product_id"]
    return cat


def check_customers(customers: pd.DataFrame) -> pd.DataFrame:
    """Customer features, checked (required columns, unique ids, numeric age/income/tenure, C1–C5); a copy.

    Examples
    --------
    >>> from finloom.apps.recommendation import generate_holdings
    >>> len(check_customers(generate_holdings(20, random_state=0).customers))
    20
    """
    problems = _missing(customers, CUSTOMER_COLUMNS, "the customers table")
    if problems:
        raise InvalidDataError(problems)
    cust = customers.reset_index(drop=True).copy()
    cust["customer_id"] = cust["customer_id"].astype(str)
    if cust["customer_id"].duplicated().any():
        problems.append("customer_id must be unique in the customers table; remove duplicated rows.")
    for c in _NUMERIC:
        values = pd.to_numeric(cust[c], errors="coerce")
        if values.isna().any():
            problems.append(f"customers column '{c}' must be numeric on every row; got a missing or text value.")
        cust[c] = values
    from finloom.apps.recommendation._filters import risk_number

    if not np.isin(risk_number(cust["risk_level"]), [1, 2, 3, 4, 5]).all():
        problems.append("customers column 'risk_level' must be C1–C5 on every row; fix the bad values.")
    if problems:
        raise InvalidDataError(problems)
    return cust


def holdings_matrix(holdings: pd.DataFrame, products: list[str], customer_ids: pd.Series) -> np.ndarray:
    """The 0/1 matrix (customers in ``customer_ids`` order × ``products``) from a wide holdings table.

    Product columns absent from the table count as not held; unknown columns are an error.

    Examples
    --------
    >>> h = pd.DataFrame({"customer_id": ["a", "b"], "p1": [1, 0]})
    >>> holdings_matrix(h, ["p1", "p2"], pd.Series(["b", "a"])).tolist()
    [[0.0, 0.0], [1.0, 0.0]]
    >>> holdings_matrix(h.rename(columns={"p1": "p_1"}), ["p1", "p2"], pd.Series(["a"]))
    Traceback (most recent call last):
    ...
    finloom.errors.InvalidDataError: holdings column 'p_1' must be a product of the catalogue; got an unknown product. Did you mean 'p1'? Remove the column or add the product to the catalogue.
    """
    if "customer_id" not in holdings.columns:
        raise InvalidDataError(
            "the holdings table must have a 'customer_id' column and one 0/1 column per product; "
            f"got columns {list(map(str, holdings.columns))[:12]}."
        )
    if holdings.empty:
        raise InvalidDataError("the holdings table must have at least one row; got an empty table.")
    unknown = [str(c) for c in holdings.columns if c != "customer_id" and str(c) not in set(products)]
    if unknown:
        raise InvalidDataError(
            [
                f"holdings column '{c}' must be a product of the catalogue; got an unknown product."
                f"{did_you_mean(c, products)} Remove the column or add the product to the catalogue."
                for c in unknown
            ]
        )
    table = holdings.copy()
    table["customer_id"] = table["customer_id"].astype(str)
    if table["customer_id"].duplicated().any():
        raise InvalidDataError("holdings customer_id must be unique (one row per customer); merge duplicated rows.")
    values = table.drop(columns="customer_id").apply(pd.to_numeric, errors="coerce")
    if values.isna().any().any() or not values.isin([0, 1]).all().all():
        raise InvalidDataError("holdings product columns must hold 0 or 1 on every row; got another value.")
    unknown_ids = set(table["customer_id"]) - set(customer_ids.astype(str))
    if unknown_ids:
        raise InvalidDataError(
            f"holdings customer_id must be in the customers table; got {len(unknown_ids)} unknown "
            f"id(s), e.g. {sorted(unknown_ids)[0]!r}."
        )
    values.index = table["customer_id"]
    full = values.reindex(index=customer_ids.astype(str).to_numpy(), columns=products).fillna(0.0)
    return full.to_numpy(dtype=np.float64)
