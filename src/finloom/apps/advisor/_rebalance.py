"""Rebalancing notices: which holdings drifted beyond the band, and the trades back to target."""

from __future__ import annotations

from typing import Any

from finloom.textgen import Fact, FaithfulnessGuard

__all__ = ["rebalancing_notice"]


def rebalancing_notice(
    target: dict[str, float],
    current: dict[str, float],
    *,
    band: float = 0.05,
    names: dict[str, dict[str, str]] | None = None,
    lang: str = "en",
) -> dict[str, Any]:
    """Compare ``current`` weights with ``target``; list the drifted holdings, the trades and a notice text
    (checked by the faithfulness guard).

    Examples
    --------
    >>> n = rebalancing_notice({"A": 0.5, "B": 0.5}, {"A": 0.58, "B": 0.42})
    >>> n["needed"], [t["product"] for t in n["trades"]], n["guard_ok"]
    (True, ['A', 'B'], True)
    >>> rebalancing_notice({"A": 0.5, "B": 0.5}, {"A": 0.52, "B": 0.48})["needed"]
    False
    """
    names = names or {}
    ids = sorted(set(target) | set(current))
    drift = {pid: float(current.get(pid, 0.0)) - float(target.get(pid, 0.0)) for pid in ids}
    drifted = [pid for pid in ids if abs(drift[pid]) > band + 1e-12]
    trades = [
        {
            "product": pid,
            "from": float(current.get(pid, 0.0)),
            "to": float(target.get(pid, 0.0)),
            "trade": -drift[pid],
        }
        for pid in ids
        if drifted and abs(drift[pid]) > 1e-9
    ]
    facts = [Fact("band", band * 100, unit="%", decimals=0, label="rebalancing band")]
    lines = []
    for pid in (str(t["product"]) for t in trades):
        now, goal = float(current.get(pid, 0.0)), float(target.get(pid, 0.0))
        label = names.get(pid, {}).get(lang, pid)
        facts += [
            Fact(
                f"{pid}:from",
                now * 100,
                unit="%",
                decimals=1,
                label="current weight",
                entity=pid,
            ),
            Fact(f"{pid}:to", goal * 100, unit="%", decimals=1, label="target weight", entity=pid),
        ]
        if lang == "zh":
            lines.append(f"{label}：当前权重{now * 100:.1f}%，目标权重{goal * 100:.1f}%。")
        else:
            lines.append(
                f"{label}: current weight {now * 100:.1f}%, target weight {goal * 100:.1f}%."
            )
    if lang == "zh":
        head = (
            f"再平衡通知：再平衡阈值为{band * 100:.0f}%，部分持仓的偏离已超过该阈值，建议调整如下。"
            if drifted
            else f"再平衡阈值为{band * 100:.0f}%，所有持仓的偏离均在该阈值以内，无需再平衡。"
        )
    else:
        head = (
            f"Rebalancing notice: some holdings moved more than {band * 100:.0f}% away from their target "
            "weights; the adjustments are listed below."
            if drifted
            else f"Every holding is within {band * 100:.0f}% of its target weight; no rebalancing is needed."
        )
    text = "\n".join([head, *lines])
    labels = {pid: dict(names.get(pid, {"en": pid})) for pid in ids}
    from finloom.textgen import FactSet

    report = FaithfulnessGuard().check(text, FactSet(facts, labels=labels), lang=lang)
    return {
        "needed": bool(drifted),
        "drifted": drifted,
        "trades": trades,
        "text": text,
        "guard_ok": report.ok,
    }
