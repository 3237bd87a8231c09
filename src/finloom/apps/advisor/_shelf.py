"""The product shelf (R1–R5), the suitability matrix (C level → allowed R levels) and portfolio limits."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from finloom.errors import ConfigError, FinloomError, InvalidDataError

__all__ = [
    "RISKS",
    "Product",
    "Shelf",
    "SuitabilityError",
    "SuitabilityRules",
    "load_shelf",
    "load_suitability",
]

RISKS = ("R1", "R2", "R3", "R4", "R5")
_KINDS = ("deposit", "fund", "etf", "bond", "structured note")


class SuitabilityError(FinloomError):
    """A portfolio holds a product above the customer's risk level."""

    status_code = 422


@dataclass(frozen=True)
class Product:
    """One shelf product: fixed ``rate`` or ``assets`` weights on price-table columns."""

    id: str
    kind: str
    risk: str
    names: dict[str, str]
    fee: float = 0.0
    min_investment: float = 0.0
    liquidity_days: int = 0
    rate: float | None = None
    assets: dict[str, float] = field(default_factory=dict)

    def name(self, lang: str = "en") -> str:
        """The product's name in ``lang``."""
        return self.names.get(lang) or self.names.get("en") or self.id

    @property
    def risk_level(self) -> int:
        """1 for R1 … 5 for R5."""
        return RISKS.index(self.risk) + 1


def _product(raw: dict[str, Any], index: int) -> tuple[Product | None, list[str]]:
    pid = str(raw.get("id") or f"#{index + 1}")
    problems = []
    if raw.get("risk") not in RISKS:
        problems.append(
            f"product {pid!r} risk rating must be one of {list(RISKS)}; got {raw.get('risk')!r}. "
            "Fix the shelf file."
        )
    if raw.get("kind") not in _KINDS:
        problems.append(
            f"product {pid!r} kind must be one of {list(_KINDS)}; got {raw.get('kind')!r}."
        )
    has_rate, assets = raw.get("rate") is not None, raw.get("assets") or {}
    if has_rate == bool(assets):
        problems.append(
            f"product {pid!r} must have either a fixed 'rate' or 'assets' weights; got "
            f"{'both' if has_rate else 'neither'}."
        )
    if assets and abs(sum(float(w) for w in assets.values()) - 1.0) > 1e-6:
        problems.append(
            f"product {pid!r} asset weights must sum to 1; got {sum(assets.values()):.4f}."
        )
    for key in ("fee", "min_investment", "liquidity_days"):
        if float(raw.get(key, 0) or 0) < 0:
            problems.append(f"product {pid!r} {key} must be >= 0; got {raw.get(key)}.")
    if problems:
        return None, problems
    return Product(
        id=pid,
        kind=str(raw["kind"]),
        risk=str(raw["risk"]),
        names={k: str(raw[k]) for k in ("en", "zh") if k in raw},
        fee=float(raw.get("fee", 0) or 0),
        min_investment=float(raw.get("min_investment", 0) or 0),
        liquidity_days=int(raw.get("liquidity_days", 0) or 0),
        rate=float(raw["rate"]) if has_rate else None,
        assets={str(k): float(v) for k, v in assets.items()},
    ), []


class Shelf:
    """The products on offer; ``by_id`` looks one up.

    Examples
    --------
    >>> shelf = load_shelf()
    >>> len(shelf.products), shelf.by_id("NOTE-OIL").risk
    (10, 'R5')
    """

    def __init__(self, products: list[Product], *, currency: str = "CNY") -> None:
        self.products = list(products)
        self.currency = currency

    def by_id(self, product_id: str) -> Product:
        """The product with ``product_id``."""
        for p in self.products:
            if p.id == product_id:
                return p
        raise ConfigError(
            f"product must be on the shelf; got {product_id!r}. Shelf: {[p.id for p in self.products]}."
        )

    def assets(self) -> list[str]:
        """Every price column a product needs."""
        return sorted({a for p in self.products for a in p.assets})


@dataclass(frozen=True)
class SuitabilityRules:
    """The matrix, the per-level limits, the liquidity threshold and the glide-path settings."""

    matrix: dict[str, tuple[str, ...]]
    limits: dict[str, dict[str, float]]
    liquid_days: int = 7
    glide: dict[str, float] = field(default_factory=dict)

    def allowed(self, level: str) -> tuple[str, ...]:
        """The product risk ratings a customer of ``level`` may hold.

        Examples
        --------
        >>> load_suitability().allowed("C2")
        ('R1', 'R2')
        """
        if level not in self.matrix:
            raise ConfigError(
                f"customer level must be one of {sorted(self.matrix)}; got {level!r}."
            )
        return self.matrix[level]

    def is_suitable(self, level: str, product: Product) -> bool:
        """Whether ``product``'s rating is allowed for ``level``."""
        return product.risk in self.allowed(level)

    def check(
        self, level: str, weights: dict[str, float], shelf: Shelf, *, tol: float = 1e-9
    ) -> None:
        """Raise :class:`SuitabilityError` when any product above the level carries weight.

        Examples
        --------
        >>> load_suitability().check("C1", {"NOTE-OIL": 0.1, "DEP-CURRENT": 0.9}, load_shelf())
        Traceback (most recent call last):
        ...
        finloom.apps.advisor._shelf.SuitabilityError: portfolio for a C1 customer must hold only ['R1'] products; got NOTE-OIL (R5) at 10.00%. Remove the product or re-profile the customer.
        """
        bad = [
            (pid, w)
            for pid, w in weights.items()
            if w > tol and not self.is_suitable(level, shelf.by_id(pid))
        ]
        if bad:
            pid, w = bad[0]
            raise SuitabilityError(
                f"portfolio for a {level} customer must hold only {list(self.allowed(level))} products; got "
                f"{pid} ({shelf.by_id(pid).risk}) at {w:.2%}. Remove the product or re-profile the customer."
            )


def _read_yaml(path: str | os.PathLike[str] | None, default: str, what: str) -> Any:
    if path is None:
        text = (resources.files("finloom.apps.advisor") / "rules" / default).read_text(
            encoding="utf-8"
        )
    else:
        file = Path(path)
        if not file.is_file():
            raise ConfigError(f"{what} file must exist; got '{file}'. Check the path.")
        text = file.read_text(encoding="utf-8")
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(
            f"{what} file must be valid YAML; got an error: {exc}. Fix the file."
        ) from exc


def load_shelf(path: str | os.PathLike[str] | None = None) -> Shelf:
    """Read a product shelf YAML (default: the shipped demo shelf); every problem is listed at once.

    Examples
    --------
    >>> load_shelf().by_id("ETF-SP500").assets
    {'SP500': 1.0}
    """
    raw = _read_yaml(path, "products.yaml", "product shelf")
    items = raw.get("products") if isinstance(raw, dict) else None
    if not isinstance(items, list) or not items:
        raise InvalidDataError(
            "the product shelf must have a non-empty 'products' list; got none. "
            "See rules/products.yaml."
        )
    products, problems = [], []
    for i, item in enumerate(items):
        product, found = _product(item if isinstance(item, dict) else {}, i)
        problems += found
        if product is not None:
            products.append(product)
    ids = [p.id for p in products]
    if len(ids) != len(set(ids)):
        problems.append(
            f"product ids must be unique; got duplicates {sorted({i for i in ids if ids.count(i) > 1})}."
        )
    if problems:
        raise InvalidDataError(problems)
    return Shelf(products, currency=str(raw.get("currency", "CNY")))


def load_suitability(path: str | os.PathLike[str] | None = None) -> SuitabilityRules:
    """Read the suitability matrix and limits (default: the shipped ``rules/suitability.yaml``).

    Examples
    --------
    >>> load_suitability().limits["C1"]["max_weight"]
    0.6
    """
    raw = _read_yaml(path, "suitability.yaml", "suitability")
    matrix = {str(k): tuple(str(r) for r in v) for k, v in (raw.get("matrix") or {}).items()}
    problems = [
        f"suitability matrix ratings must be in {list(RISKS)}; got {v} for {k}."
        for k, v in matrix.items()
        if set(v) - set(RISKS)
    ]
    missing = [
        c
        for c in ("C1", "C2", "C3", "C4", "C5")
        if c not in matrix or c not in (raw.get("limits") or {})
    ]
    if missing:
        problems.append(
            f"the suitability file must give a matrix row and limits for every level; got none for {missing}."
        )
    if problems:
        raise InvalidDataError(problems)
    limits = {str(k): {kk: float(vv) for kk, vv in v.items()} for k, v in raw["limits"].items()}
    return SuitabilityRules(
        matrix=matrix,
        limits=limits,
        liquid_days=int(raw.get("liquid_days", 7)),
        glide={k: float(v) for k, v in (raw.get("glide") or {}).items()},
    )
