"""Spending by category from the customer's own transactions, as a data table and a bar chart
(PNG through the reports' chart helper), for "show my spending by category"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from finloom.apps.customer_service._banking import CoreBanking

__all__ = ["SpendingSummary", "asks_for_spending_chart", "chart_from_table", "spending_by_category",
           "spending_chart_png"]

# merchant -> category of the simulated bank's merchants; anything else is "other"
MERCHANT_CATEGORIES = {
    "FreshMart Supermarket": "groceries", "Metro Transit": "transport", "QuickRide Taxi": "transport",
    "Sky Coffee": "dining", "Golden Dragon Restaurant": "dining", "BookNest Online": "shopping",
    "HomeStyle Furniture": "shopping", "CityPower Utilities": "utilities", "StreamPlus Subscription": "subscriptions",
    "PharmaCare": "health",
}
CATEGORY_LABELS = {
    "groceries": ("Groceries", "日用杂货"), "transport": ("Transport", "交通"), "dining": ("Dining", "餐饮"),
    "shopping": ("Shopping", "购物"), "utilities": ("Utilities", "水电煤"), "subscriptions": ("Subscriptions", "订阅"),
    "health": ("Health", "医疗健康"), "other": ("Other", "其他"),
}
_CHART_EN = re.compile(
    r"\b(?:spending|spend|spent|expenses?|outgoings)\b.*\b(?:categor(?:y|ies)|breakdown|by type|chart|graph)\b|"
    r"\b(?:chart|graph|breakdown|plot)\b.*\b(?:spending|spend|spent|expenses?)\b|where (?:does|did|has) my money go",
    re.IGNORECASE)
_CHART_ZH = re.compile(r"(?:消费|支出|开销|花销|花费).*(?:分类|类别|构成|图|占比)|(?:图表|饼图|柱状图).*(?:消费|支出)|钱都花在哪")


def asks_for_spending_chart(text: str) -> bool:
    """True for a request to see spending by category ("show my spending by category", "消费分类").

    Examples
    --------
    >>> asks_for_spending_chart("show my spending by category"), asks_for_spending_chart("我的消费分类图")
    (True, True)
    >>> asks_for_spending_chart("show my recent transactions")
    False
    """
    return bool(_CHART_EN.search(text) or _CHART_ZH.search(text))


@dataclass(frozen=True)
class SpendingSummary:
    """Money out per category over the customer's recent transactions (largest first)."""

    rows: tuple[tuple[str, float], ...]  # (category, amount spent)
    currency: str
    transactions: int
    since: str | None  # the earliest transaction date

    @property
    def total(self) -> float:
        """All money out."""
        return round(sum(v for _, v in self.rows), 2)

    def table(self, lang: str = "en") -> list[dict[str, object]]:
        """JSON-able rows with the category label in ``lang``."""
        i = 1 if lang == "zh" else 0
        return [{"category": c, "label": CATEGORY_LABELS[c][i], "amount": v} for c, v in self.rows]


def spending_by_category(bank: CoreBanking, customer_id: str, *, limit: int = 200) -> SpendingSummary:
    """Sum the customer's outgoing transactions (every account, up to ``limit`` each) by category.

    Examples
    --------
    >>> from finloom.apps.customer_service._banking import SimulatedCoreBanking
    >>> s = spending_by_category(SimulatedCoreBanking(), "demo")
    >>> s.currency, s.transactions > 0, s.rows[0][1] >= s.rows[-1][1]
    ('CNY', True, True)
    """
    sums: dict[str, float] = {}
    dates, currency, n = [], "CNY", 0
    for account in bank.list_accounts(customer_id):
        for tx in bank.recent_transactions(customer_id, account.id, limit=limit):
            if tx.amount >= 0:
                continue
            category = MERCHANT_CATEGORIES.get(tx.merchant, "other")
            sums[category] = sums.get(category, 0.0) - tx.amount
            dates.append(tx.date.isoformat())
            currency, n = tx.currency, n + 1
    rows = tuple(sorted(((c, round(v, 2)) for c, v in sums.items()), key=lambda r: (-r[1], r[0])))
    return SpendingSummary(rows, currency, n, min(dates) if dates else None)


def spending_chart_png(summary: SpendingSummary, lang: str = "en") -> str:
    """The summary as a horizontal bar chart, base64 PNG (Chinese labels drawn with a CJK font).

    Examples
    --------
    >>> s = SpendingSummary((("dining", 120.0), ("transport", 30.5)), "CNY", 3, "2026-11-01")
    >>> import base64; base64.b64decode(spending_chart_png(s))[:4] == b"\\x89PNG"
    True
    """
    from finloom.apps.reports._charts import bar_chart

    i = 1 if lang == "zh" else 0
    title = (f"支出分类（{summary.currency}）" if lang == "zh" else f"Spending by category ({summary.currency})")
    uri = bar_chart({CATEGORY_LABELS[c][i]: v for c, v in reversed(summary.rows)}, title, {})  # largest on top
    return uri.split(",", 1)[1]


def chart_from_table(chart: dict[str, Any]) -> str:
    """The base64 PNG of a chart kept in a turn's meta (its ``table``, ``currency`` and ``lang``),
    so a transcript can draw it again without the bank.

    Examples
    --------
    >>> meta = {"currency": "CNY", "lang": "en", "table": [{"category": "dining", "amount": 12.5}]}
    >>> len(chart_from_table(meta)) > 100
    True
    """
    rows = tuple((str(r["category"]), float(r["amount"])) for r in chart.get("table", ())
                 if str(r.get("category")) in CATEGORY_LABELS)
    summary = SpendingSummary(rows, str(chart.get("currency", "CNY")), len(rows), None)
    return spending_chart_png(summary, str(chart.get("lang", "en")))
