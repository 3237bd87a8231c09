"""The order of dataset drop-downs: the tables that fit a form come first, so its default is sensible
(the trade audit offers the blotter first, the synthesizer a table with a target, not a text table)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal

__all__ = ["order_for"]

Purpose = Literal["trades", "synth", "classifier"]
TRADE_COLUMNS = {"trade_id", "timestamp", "trader", "account", "symbol", "side", "quantity", "price"}


def _columns(dataset: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    columns: list[Mapping[str, Any]] = (dataset.get("metadata") or {}).get("columns", [])
    return columns


def _trades(dataset: Mapping[str, Any]) -> float:
    return len({str(c.get("name", "")).lower() for c in _columns(dataset)} & TRADE_COLUMNS)


def _synth(dataset: Mapping[str, Any]) -> float:
    kinds = [c.get("kind") for c in _columns(dataset)]
    target = bool((dataset.get("metadata") or {}).get("target"))
    mixed = "numerical" in kinds and ("categorical" in kinds or "boolean" in kinds)
    return 2 * target + mixed - 3 * ("text" in kinds) - 2 * ("datetime" in kinds and not target)


def _classifier(dataset: Mapping[str, Any]) -> float:
    names = {str(c.get("name", "")).lower() for c in _columns(dataset)}
    kinds = [c.get("kind") for c in _columns(dataset)]
    return 2 * ("text" in names or "text" in kinds) + ("label" in names or "intent" in names)


_SCORES: Mapping[str, Callable[[Mapping[str, Any]], float]] = {"trades": _trades, "synth": _synth, "classifier": _classifier}


def order_for(datasets: Sequence[Mapping[str, Any]], purpose: Purpose) -> list[Mapping[str, Any]]:
    """``datasets`` (``DatasetInfo.to_dict()`` dicts) with the best fits for ``purpose`` first
    (a stable sort: equally good tables keep their order).

    Examples
    --------
    >>> table = lambda name, *cols, target=None: {"name": name, "metadata": {"target": target, "columns": [
    ...     {"name": n, "kind": k} for n, k in cols]}}
    >>> intents = table("bank_intents", ("text", "text"), ("label", "categorical"))
    >>> blotter = table("trade_blotter", ("trade_id", "id"), ("symbol", "categorical"), ("side", "categorical"))
    >>> credit = table("credit", ("income", "numerical"), ("segment", "categorical"), ("default", "boolean"),
    ...                target="default")
    >>> [d["name"] for d in order_for([intents, blotter, credit], "trades")][0]
    'trade_blotter'
    >>> [d["name"] for d in order_for([intents, blotter, credit], "synth")][0]
    'credit'
    >>> [d["name"] for d in order_for([blotter, credit, intents], "classifier")][0]
    'bank_intents'
    """
    score = _SCORES[purpose]
    return sorted(datasets, key=lambda d: -score(d))
