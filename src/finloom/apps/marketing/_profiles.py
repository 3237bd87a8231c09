"""A profile per segment: its size, response rate and most distinctive features with their numbers,
written in English and Chinese from facts and checked by the faithfulness guard."""

from __future__ import annotations

import string
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from finloom.errors import InvalidDataError
from finloom.textgen import Fact, FactSet, FaithfulnessGuard, format_value

__all__ = ["SegmentProfile", "profile_segments", "segment_name"]

MIN_SEGMENT = 2  # a one-customer "segment" would describe (and expose) one person


def segment_name(index: int) -> str:
    """Letter name of a segment (A, B, ..., Z, S27, ...).

    Examples
    --------
    >>> segment_name(0), segment_name(27)
    ('A', 'S28')
    """
    return string.ascii_uppercase[index] if index < 26 else f"S{index + 1}"


@dataclass
class SegmentProfile:
    """A segment's numbers and its guarded description in both languages."""

    segment: str
    size: int
    share: float
    response_rate: float | None
    traits: dict[str, Any]
    distinctive: list[dict[str, Any]]
    text_en: str
    text_zh: str
    unsupported_numbers: int = 0
    guard_issues: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form."""
        return asdict(self)


def _distinctive(part: pd.DataFrame, data: pd.DataFrame, numeric: list[str], categorical: list[str],
                 top: int) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for c in numeric:
        col = data[c].astype(float)
        std = float(col.std(ddof=0)) or 1.0
        seg, all_ = float(part[c].astype(float).mean()), float(col.mean())
        found.append({"feature": c, "kind": "numeric", "segment": seg, "overall": all_,
                      "effect": abs(seg - all_) / std})
    for c in categorical:
        seg_share = part[c].astype(str).value_counts(normalize=True)
        all_share = data[c].astype(str).value_counts(normalize=True)
        diff = (seg_share - all_share.reindex(seg_share.index).fillna(0.0)).sort_values(ascending=False)
        if diff.empty or diff.iloc[0] <= 0:
            continue
        value = str(diff.index[0])
        p_all = float(all_share.get(value, 0.0))
        found.append({"feature": c, "kind": "categorical", "value": value, "segment": float(seg_share[value]),
                      "overall": p_all, "effect": float(diff.iloc[0]) / max(np.sqrt(p_all * (1 - p_all)), 0.05)})
    found.sort(key=lambda d: -d["effect"])
    return found[:top]


def _facts(name: str, size: int, share: float, rate: float | None, overall_rate: float | None,
           items: list[dict[str, Any]]) -> FactSet:
    facts = [Fact("size", float(size), unit="count", label="customers"),
             Fact("share", 100 * share, unit="%", decimals=1, label="share")]
    if rate is not None and overall_rate is not None:
        facts += [Fact("rate", 100 * rate, unit="%", decimals=1, label="response rate"),
                  Fact("rate_all", 100 * overall_rate, unit="%", decimals=1, label="response rate")]
    for i, d in enumerate(items):
        if d["kind"] == "numeric":
            facts += [Fact(f"f{i}", d["segment"], decimals=1, label=d["feature"]),
                      Fact(f"f{i}_all", d["overall"], decimals=1, label=d["feature"])]
        else:
            facts += [Fact(f"f{i}", 100 * d["segment"], unit="%", decimals=1, label="share"),
                      Fact(f"f{i}_all", 100 * d["overall"], unit="%", decimals=1, label="share")]
    return FactSet(facts)


def _text(name: str, fs: FactSet, items: list[dict[str, Any]], lang: str) -> str:
    def n(fid: str) -> str:
        return format_value(fs[fid], lang)

    if lang == "en":
        parts = [f"Segment {name} has {n('size')} customers ({n('share')} of the base)."]
        if "rate" in fs:
            parts.append(f"Its response rate is {n('rate')} against {n('rate_all')} overall.")
        for i, d in enumerate(items):
            if d["kind"] == "numeric":
                parts.append(f"Average {d['feature']} is {n(f'f{i}')} against {n(f'f{i}_all')} overall.")
            else:
                parts.append(f"{d['feature']} = '{d['value']}' makes up {n(f'f{i}')} of it against "
                             f"{n(f'f{i}_all')} overall.")
        return " ".join(parts)
    parts = [f"{name}类客群共{n('size')}位客户，占全部客户的{n('share')}。"]
    if "rate" in fs:
        parts.append(f"该客群响应率为{n('rate')}，整体为{n('rate_all')}。")
    for i, d in enumerate(items):
        if d["kind"] == "numeric":
            parts.append(f"{d['feature']}平均为{n(f'f{i}')}，整体为{n(f'f{i}_all')}。")
        else:
            parts.append(f"{d['feature']}为“{d['value']}”的占{n(f'f{i}')}，整体为{n(f'f{i}_all')}。")
    return "".join(parts)


def profile_segments(data: pd.DataFrame, labels: np.ndarray, *, numeric: list[str], categorical: list[str],
                     outcome: np.ndarray | None = None, top: int = 3) -> list[SegmentProfile]:
    """Profiles of every segment in ``labels`` (one per row of ``data``), largest first.

    Raises
    ------
    InvalidDataError
        When a segment has fewer than two customers.

    Examples
    --------
    >>> df = pd.DataFrame({"age": [25, 27, 61, 63], "job": ["student", "student", "retired", "retired"]})
    >>> out = profile_segments(df, np.array([0, 0, 1, 1]), numeric=["age"], categorical=["job"])
    >>> out[0].text_en
    "Segment A has 2 customers (50.0% of the base). job = 'student' makes up 100.0% of it against 50.0% overall. Average age is 26.0 against 44.0 overall."
    """
    labels = np.asarray(labels)
    if len(labels) != len(data):
        raise InvalidDataError(f"labels must have one segment per row ({len(data)}); got {len(labels)}.")
    sizes = pd.Series(labels).value_counts()
    small = sizes[sizes < MIN_SEGMENT]
    if len(small):
        raise InvalidDataError(
            f"segment {segment_name(int(small.index[0]))} must have at least {MIN_SEGMENT} customers to be "
            f"profiled; got {int(small.iloc[0])}. Choose fewer segments or segment more customers."
        )
    guard = FaithfulnessGuard()
    overall = float(np.mean(outcome)) if outcome is not None else None
    out = []
    frame = data.reset_index(drop=True)
    for label in sorted(sizes.index, key=lambda v: int(v)):
        mask = labels == label
        part = frame[mask]
        name = segment_name(int(label))
        rate = float(np.mean(np.asarray(outcome)[mask])) if outcome is not None else None
        items = _distinctive(part, frame, numeric, categorical, top)
        fs = _facts(name, int(mask.sum()), float(mask.mean()), rate, overall, items)
        texts = {lang: _text(name, fs, items, lang) for lang in ("en", "zh")}
        reports = [guard.check(texts[lang], fs, lang=lang) for lang in ("en", "zh")]
        traits = {c: float(part[c].astype(float).mean()) for c in numeric}
        out.append(SegmentProfile(
            name, int(mask.sum()), float(mask.mean()), rate, traits,
            [{k: v for k, v in d.items() if k != "effect"} | {"effect": round(d["effect"], 3)} for d in items],
            texts["en"], texts["zh"], sum(r.unsupported_numbers for r in reports),
            [i.explanation for r in reports for i in r.issues],
        ))
    return out
