"""Reason codes: the features that cost an applicant the most points, as editable EN/ZH statements."""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

from finloom.errors import InvalidDataError

__all__ = ["Reason", "ReasonStatements", "top_reasons"]


@dataclass(frozen=True)
class Reason:
    """One adverse reason: the feature, the points it cost and what to tell the applicant.

    Examples
    --------
    >>> Reason("PAY_0", 31.2, "Recent payment delays", "近期有逾期记录").text("zh")
    '近期有逾期记录'
    """

    feature: str
    points: (
        float  # points lost (scorecard: against the best bin; challenger: SHAP points below zero)
    )
    en: str
    zh: str

    def text(self, lang: str) -> str:
        """The statement in ``lang`` ('en' or 'zh')."""
        return self.zh if lang == "zh" else self.en

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form."""
        return {
            "feature": self.feature,
            "points": round(self.points, 6),
            "en": self.en,
            "zh": self.zh,
        }


@functools.cache
def _default_text() -> str:
    return (resources.files("finloom.apps.credit_review") / "statements.json").read_text("utf-8")


@functools.cache
def _shipped() -> dict[str, dict[str, str]]:
    data: dict[str, dict[str, str]] = json.loads(_default_text())
    return {**{k.lower(): v for k, v in data.items()}, **data}  # exact names first, any case after


class ReasonStatements:
    """Statements per feature in English and Chinese: shipped defaults, overridden by the user's.

    Parameters
    ----------
    custom : mapping, optional
        ``{feature: {"en": ..., "zh": ...}}``; either language may be left out.

    Examples
    --------
    >>> s = ReasonStatements({"income": {"en": "Income too low", "zh": "收入偏低"}})
    >>> s.get("income"), s.get("PAY_0")[1], s.get("x_1")[0]
    (('Income too low', '收入偏低'), '近期有逾期记录', 'Value of x_1')
    """

    def __init__(self, custom: Mapping[str, Mapping[str, str]] | None = None) -> None:
        self.custom = dict(custom or {})
        problems = [
            f"statement for '{f}' must be a mapping with 'en' and/or 'zh'; got {v!r}."
            for f, v in self.custom.items()
            if not isinstance(v, Mapping)
            or not set(v) <= {"en", "zh"}
            or not all(isinstance(t, str) and t.strip() and len(t) <= 200 for t in v.values())
        ]
        if problems:
            raise InvalidDataError(problems)

    @staticmethod
    def defaults() -> dict[str, dict[str, str]]:
        """The shipped statements (common credit features), a fresh copy."""
        return json.loads(_default_text())

    def get(self, feature: str) -> tuple[str, str]:
        """``(en, zh)`` for a feature: the user's, else the default, else a generic one."""
        shipped = _shipped()
        base = shipped.get(feature) or shipped.get(feature.lower()) or {}
        mine = self.custom.get(feature, {})
        en = mine.get("en") or base.get("en") or f"Value of {feature}"
        zh = mine.get("zh") or base.get("zh") or f"{feature}的取值"
        return en, zh

    def table(self, features: list[str]) -> dict[str, dict[str, str]]:
        """The statement in effect for each feature (what the edit form shows)."""
        return {f: dict(zip(("en", "zh"), self.get(f), strict=True)) for f in features}


def top_reasons(
    lost: pd.DataFrame, statements: ReasonStatements, k: int = 4, min_points: float = 1e-9
) -> list[list[Reason]]:
    """The ``k`` features with the most points lost, per row (features that lost nothing left out).

    Examples
    --------
    >>> lost = pd.DataFrame({"PAY_0": [30.0, 0.0], "LIMIT_BAL": [5.0, 2.0]})
    >>> [[r.feature for r in row] for row in top_reasons(lost, ReasonStatements(), k=1)]
    [['PAY_0'], ['LIMIT_BAL']]
    """
    values = lost.to_numpy(dtype=float)
    cols = list(lost.columns)
    order = np.argsort(-values, axis=1, kind="stable")[:, :k]
    top = np.take_along_axis(values, order, axis=1)
    made = {j: statements.get(c) for j, c in enumerate(cols)}
    out = []
    for idx, pts in zip(
        order.tolist(), top.tolist(), strict=True
    ):  # plain lists: fast per-row work
        out.append(
            [Reason(cols[j], p, *made[j]) for j, p in zip(idx, pts, strict=True) if p > min_points]
        )
    return out
