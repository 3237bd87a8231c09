"""Offers with explanations in English and Chinese whose numbers are counts in the fitted holdings.

"Customers like you" are the fitted customers of the same life stage: "of the 412 who hold the
Gold credit card, 180 (43.7%) also hold the Travel rewards card". The ranker adds its top features
with their values and contributions; every offer states why it is suitable.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, Field

from finloom.apps.recommendation._base import Recommender
from finloom.apps.recommendation._filters import risk_number

__all__ = ["Offer", "explain_offers"]

MIN_SUPPORT = 5  # fewest customers holding X before "who hold X also hold Y" is quoted for a segment
STAGE_ZH = {
    "student": "学生",
    "young_professional": "职场新人",
    "family": "家庭",
    "pre_retiree": "临近退休",
    "retiree": "退休",
}
FEATURE_ZH = {
    "age": "年龄", "log_income": "收入(对数)", "risk_level": "风险等级", "life_stage": "人生阶段",
    "region": "地区", "tenure": "客户年限", "n_held": "持有产品数", "product": "产品", "category": "产品类别",
    "product_risk": "产品风险", "risk_gap": "风险余量", "co_holding": "共同持有相似度",
    "segment_share": "同阶段持有率", "popularity": "整体持有率",
}


class Offer(BaseModel):
    """One recommended product for one customer, with the evidence behind it (EN and ZH).

    Examples
    --------
    >>> Offer(customer_id="c", rank=1, product_id="p", name_en="P", name_zh="产品", category="fund", risk="R2",
    ...       score=0.5, explanation_en="...", explanation_zh="...").risk
    'R2'
    """

    customer_id: str
    rank: int
    product_id: str
    name_en: str
    name_zh: str
    category: str
    risk: str
    score: float
    explanation_en: str
    explanation_zh: str
    evidence: dict[str, Any] = Field(default_factory=dict)


def _pct(a: float, b: float) -> str:
    return f"{100.0 * a / b:.1f}%" if b else "0.0%"


def _co_holding(model: Recommender, stage: str, held: np.ndarray, j: int) -> dict[str, Any]:
    """The held product X that best predicts Y=j in the customer's life stage (else in everyone)."""
    s = model.segments_.index(stage) if stage in model.segments_ else None
    scopes = ([("segment", model.segment_cooc_[s])] if s is not None else []) + [("all", model.cooc_)]
    for scope, co in scopes:
        support = co[held, held]
        ok = support >= MIN_SUPPORT
        if ok.any():
            rates = np.where(ok, co[held, j] / np.maximum(support, 1), -1.0)
            best = int(np.argmax(rates))
            x = int(held[best])
            return {"kind": "co_holding", "scope": scope, "held": model.products_[x],
                    "n_held": int(co[x, x]), "n_both": int(co[x, j])}
    return {}


def _segment_share(model: Recommender, stage: str, j: int) -> dict[str, Any]:
    if stage in model.segments_:
        s = model.segments_.index(stage)
        return {"kind": "segment_share", "scope": "segment", "n_segment": int(model.segment_sizes_[s]),
                "n_product": int(model.segment_counts_[s, j])}
    return {"kind": "segment_share", "scope": "all", "n_segment": int(model.segment_sizes_.sum()),
            "n_product": int(model.cooc_[j, j])}


def _sentences(ev: dict[str, Any], stage: str, names: dict[str, tuple[str, str]], y: str) -> tuple[str, str]:
    y_en, y_zh = names[y]
    stage_en, stage_zh = stage.replace("_", " "), STAGE_ZH.get(stage, stage)
    if ev.get("kind") == "co_holding":
        x_en, x_zh = names[ev["held"]]
        who_en = f"Customers like you ({stage_en})" if ev["scope"] == "segment" else "Customers"
        who_zh = f"与您同为“{stage_zh}”阶段的客户中" if ev["scope"] == "segment" else "全部客户中"
        share = _pct(ev["n_both"], ev["n_held"])
        return (
            f"{who_en} who hold the {x_en} also hold the {y_en}: {ev['n_both']} of {ev['n_held']} ({share}).",
            f"{who_zh}，持有{x_zh}的{ev['n_held']}位客户里有{ev['n_both']}位也持有{y_zh}（{share}）。",
        )
    share = _pct(ev.get("n_product", 0), ev.get("n_segment", 0))
    scope_en = f"customers in your life stage ({stage_en})" if ev.get("scope") == "segment" else "customers"
    scope_zh = f"与您同为“{stage_zh}”阶段的" if ev.get("scope") == "segment" else "全部"
    return (
        f"{ev.get('n_product', 0)} of {ev.get('n_segment', 0)} {scope_en} hold the {y_en} ({share}).",
        f"{scope_zh}{ev.get('n_segment', 0)}位客户中有{ev.get('n_product', 0)}位持有{y_zh}（{share}）。",
    )


def _suitability(row: pd.Series, product: pd.Series) -> tuple[str, str]:
    risk, age = int(risk_number(pd.Series([row["risk_level"]]))[0]), int(float(str(row["age"])))
    pr, lo, hi = (int(float(str(product[c]))) for c in ("risk", "min_age", "max_age"))
    return (
        f"Suitable: product risk R{pr} ≤ your risk level C{risk}; age {age} within {lo}–{hi}.",
        f"适当性：产品风险R{pr}不高于您的风险等级C{risk}；年龄{age}岁在{lo}–{hi}岁之间。",
    )


def _ranker_reasons(model: Any, contrib: np.ndarray, values: pd.Series, top: int = 3) -> list[dict[str, Any]]:
    """The top positive contributions; coded features (product, category, stage, region) by name."""
    from finloom.apps.recommendation._ranker import FEATURES

    names = {"product": model.products_, "category": sorted(map(str, model.catalogue_["category"].unique())),
             "life_stage": model.segments_, "region": model.regions_}
    order = np.argsort(-contrib, kind="stable")[:top]
    out: list[dict[str, Any]] = []
    for i in order:
        if contrib[i] <= 0:
            continue
        value: Any = round(float(str(values.iloc[i])), 3)
        labels = names.get(FEATURES[i])
        if labels is not None:
            value = labels[int(value)] if 0 <= int(value) < len(labels) else "unknown"
        out.append({"feature": FEATURES[i], "value": value, "contribution": round(float(contrib[i]), 3)})
    return out


def _shown(reason: dict[str, Any], names: dict[str, tuple[str, str]], zh: bool) -> str:
    """A ranker feature's value as the sentence shows it (product and life stage by name)."""
    v = reason["value"]
    if reason["feature"] == "product" and v in names:
        return names[v][1] if zh else names[v][0]
    if reason["feature"] == "life_stage" and zh:
        return STAGE_ZH.get(str(v), str(v))
    return f"{v:g}" if isinstance(v, float) else str(v)


def explain_offers(
    model: Recommender, customers: pd.DataFrame, holdings: pd.DataFrame | None, recs: pd.DataFrame
) -> list[Offer]:
    """Turn ``model.recommend(...)`` rows into :class:`Offer` objects with EN/ZH explanations.

    Examples
    --------
    >>> from finloom.apps.recommendation import ItemKNNRecommender, generate_holdings
    >>> d = generate_holdings(300, random_state=0)
    >>> m = ItemKNNRecommender().fit(d.customers, d.holdings)
    >>> c, h = d.customers.head(1), d.holdings.head(1)
    >>> offers = explain_offers(m, c, h, m.recommend(c, h, k=2))
    >>> [o.rank for o in offers], "hold" in offers[0].explanation_en
    ([1, 2], True)
    """
    cust, X = model._inputs(customers, holdings)
    cat = model.catalogue_.set_index("product_id")
    names = {p: (str(cat.at[p, "name_en"]), str(cat.at[p, "name_zh"])) for p in model.products_}
    col = {p: j for j, p in enumerate(model.products_)}
    row_of = {cid: u for u, cid in enumerate(cust["customer_id"])}
    contrib = values = None
    if getattr(model, "uses_features", False) and len(recs):
        contrib = model.contributions(cust, holdings)  # type: ignore[attr-defined]
        values = model.feature_values(cust, holdings)  # type: ignore[attr-defined]
    offers = []
    for rec in recs.itertuples(index=False):
        u, j = row_of[str(rec.customer_id)], col[str(rec.product_id)]
        row, stage = cust.iloc[u], str(cust.iloc[u]["life_stage"])
        held = np.flatnonzero(X[u])
        ev = _co_holding(model, stage, held, j) if len(held) else {}
        ev = ev or _segment_share(model, stage, j)
        en, zh = _sentences(ev, stage, names, str(rec.product_id))
        product: pd.Series = cat.loc[str(rec.product_id)]  # type: ignore[assignment]
        s_en, s_zh = _suitability(row, product)
        if contrib is not None and values is not None:
            reasons = _ranker_reasons(model, contrib[u, j], values.iloc[u * X.shape[1] + j])
            ev["ranker_features"] = reasons
            if reasons:
                en += " Ranker's top features: " + ", ".join(
                    f"{r['feature']} = {_shown(r, names, False)} ({r['contribution']:+.3f})" for r in reasons) + "."
                zh += "排序模型主要依据：" + "，".join(
                    f"{FEATURE_ZH[r['feature']]} = {_shown(r, names, True)}（{r['contribution']:+.3f}）" for r in reasons) + "。"
        offers.append(Offer(
            customer_id=str(rec.customer_id), rank=int(str(rec.rank)), product_id=str(rec.product_id),
            name_en=names[str(rec.product_id)][0], name_zh=names[str(rec.product_id)][1],
            category=str(product["category"]), risk=f"R{int(str(product['risk']))}", score=round(float(str(rec.score)), 6),
            explanation_en=f"{en} {s_en}", explanation_zh=f"{zh}{s_zh}", evidence=ev,
        ))
    return offers
