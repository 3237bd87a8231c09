"""A campaign end to end — response model and gains on a hold-out, the contact list at a budget,
segments with profiles, checked copy — and the ``marketing.campaign`` job that writes its files.
The interfaces reach these through ``finloom.services.marketing``."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from finloom._base import ProgressCallback, noop_progress
from finloom._io import atomic_write_bytes, atomic_write_text
from finloom.apps.marketing._charts import gains_chart_png, profit_chart_png
from finloom.apps.marketing._copy import ComplianceCheck, generate_copy, write_variants
from finloom.apps.marketing._lift import (
    contact_list,
    contacts_for_budget,
    gains_table,
    profit_curve,
)
from finloom.apps.marketing._profiles import profile_segments, segment_name
from finloom.apps.marketing._propensity import (
    LEAKY_COLUMNS,
    PropensityModel,
    binary_outcome,
    feature_frame,
)
from finloom.apps.marketing._segments import Segmenter
from finloom.apps.marketing.schemas import CampaignParams, ProductFacts
from finloom.jobs import JobContext
from finloom.textgen import TextBackend

__all__ = ["CAMPAIGN_FILES", "campaign_job", "demo_products", "run_campaign"]

CAMPAIGN_FILES = ("campaign.json", "contacts.csv", "gains.csv", "gains.png", "profit.png", "segments.csv", "copy.json")
CONTACTS_SHOWN = 50  # contacts in the job result (all of them are in contacts.csv)


def demo_products(today: dt.date | None = None) -> list[ProductFacts]:
    """The demo catalogue: a term deposit, a balanced wealth product and a credit card.

    Examples
    --------
    >>> [p.id for p in demo_products(dt.date(2026, 1, 1))]
    ['term-deposit-12m', 'balanced-wealth', 'cashback-card']
    """
    day = today or dt.date.today()
    ends = day + dt.timedelta(days=60)
    return [
        ProductFacts(id="term-deposit-12m", name_en="12-month term deposit", name_zh="12个月定期存款",
                     kind="deposit", rate=2.15, term_months=12, min_amount=1000, offer_ends=ends),
        ProductFacts(id="balanced-wealth", name_en="Balanced wealth plan", name_zh="稳健理财计划", kind="wealth",
                     risk_level="R2", rate=3.4, rate_label_en="past annual return", rate_label_zh="过往年化收益",
                     fee_pct=0.5, min_amount=10000),
        ProductFacts(id="cashback-card", name_en="Cashback card", name_zh="返现信用卡", kind="card",
                     rate=1.0, rate_label_en="cashback", rate_label_zh="返现比例", fee=0.0, offer_ends=ends),
    ]


def _auc(y: np.ndarray, p: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(y, p))


def run_campaign(
    data: pd.DataFrame,
    p: CampaignParams,
    *,
    compliance: ComplianceCheck | None = None,
    backend: TextBackend | None = None,
    today: dt.date | None = None,
    progress: ProgressCallback = noop_progress,
) -> dict[str, Any]:
    """Everything a campaign page shows, as plain data plus the frames and charts to write.

    The response model learns on a stratified ``1 − holdout_share`` of the rows; the gains table,
    AUC and Brier score are measured on the rest; the contact list ranks every row of ``data``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> df = pd.DataFrame({"age": rng.integers(20, 70, 600), "job": rng.choice(["a", "b", "c"], 600)})
    >>> df["y"] = np.where(rng.random(600) < np.where(df["job"] == "a", 0.4, 0.08), "yes", "no")
    >>> out = run_campaign(df, CampaignParams(dataset="d", target="y", budget=100, cost=2, bootstrap=2))
    >>> out["summary"]["contacts"], out["summary"]["segments"]["k"] >= 2
    (50, True)
    """
    from sklearn.metrics import brier_score_loss
    from sklearn.model_selection import train_test_split

    X = feature_frame(data, p.target, exclude=tuple(p.exclude), id_column=p.id_column)  # checks the columns
    y = binary_outcome(data[p.target], p.positive)
    n_contacts = contacts_for_budget(p.budget, p.cost, len(data))
    progress(0.05, "fitting the response model")
    tr, ho = train_test_split(np.arange(len(y)), test_size=p.holdout_share, random_state=p.seed, stratify=y)
    model = PropensityModel(random_state=p.seed).fit(X.iloc[tr], y[tr])
    p_ho = model.predict_proba(X.iloc[ho])
    gains = gains_table(y[ho], p_ho)
    propensity = {"auc": _auc(y[ho], p_ho), "top_decile_lift": float(gains["lift"].iloc[0]),
                  "brier": float(brier_score_loss(y[ho], p_ho)), "holdout_rows": int(len(ho)),
                  "base_rate": float(y.mean()), "dropped_leaky": sorted(LEAKY_COLUMNS & set(map(str, data.columns))),
                  "importance": dict(list(model.importance().items())[:10])}
    progress(0.35, "ranking customers")
    prob, scored = _out_of_fold(X, y, model, p.seed)
    propensity["contact_scores"] = scored
    ids = data[p.id_column].to_numpy() if p.id_column else np.arange(1, len(data) + 1)
    contacts = contact_list(ids, prob, budget=p.budget, cost=p.cost, margin=p.margin)
    curve = profit_curve(prob, cost=p.cost, margin=p.margin)
    best = int(np.argmax(curve["expected_profit"].to_numpy()))
    profit = {"at_budget": float(curve["expected_profit"].iloc[n_contacts]), "contacts_at_budget": n_contacts,
              "best_contacts": best, "best_profit": float(curve["expected_profit"].iloc[best]),
              "profitable_in_list": int((contacts["expected_profit"] > 0).sum())}
    progress(0.45, "segmenting customers")
    features = list(p.segment_features) if p.segment_features else list(X.columns)
    seg = Segmenter({"k_max": p.k_max, "bootstrap": p.bootstrap}, features=features, random_state=p.seed)
    seg.fit(data, progress=lambda f, m="": progress(0.45 + 0.35 * f, m))
    labels = seg.predict(data)
    profiles = profile_segments(data, labels, numeric=seg.numeric_, categorical=seg.categorical_, outcome=y)
    segments = {"k": seg.k_, "silhouette": seg.silhouette_, "bootstrap_ari": seg.stability_,
                "silhouettes": seg.silhouettes_, "features": seg.numeric_ + seg.categorical_,
                "profiles": [pr.to_dict() for pr in profiles]}
    progress(0.85, "writing and checking copy")
    variants = generate_copy(p.products or demo_products(today), {pr.segment: pr.traits for pr in profiles},
                             channels=p.channels, compliance=compliance, backend=backend, seed=p.seed)
    copy = {**write_variants(variants), "items": [v.to_dict() for v in variants]}
    rows = np.argsort(-prob, kind="mergesort")[: len(contacts)]  # the order contact_list ranks by
    contacts["segment"] = [segment_name(int(v)) for v in labels[rows]]
    summary = {"rows": len(data), "contacts": len(contacts), "budget": p.budget, "cost": p.cost, "margin": p.margin,
               "propensity": propensity, "profit": profit,
               "segments": {k: v for k, v in segments.items() if k != "profiles"},
               "copy": {k: v for k, v in copy.items() if k != "items"}}
    return {"summary": summary, "gains": gains, "curve": curve, "contacts": contacts, "segments": segments,
            "copy": copy, "labels": labels}


def _json(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=1, default=lambda v: v.item() if hasattr(v, "item") else str(v))


def _compliance_rules() -> ComplianceCheck:
    """finloom's compliance rules as ``(text, lang) -> findings`` (the same rules the compliance
    page applies); imported when a campaign runs."""
    from finloom.apps.compliance import audit_text

    def check(text: str, lang: str) -> Sequence[dict[str, Any]]:
        return [f.to_dict() for f in audit_text(text, lang)]

    return check


def _out_of_fold(X: Any, y: np.ndarray, model: PropensityModel, seed: int, folds: int = 3) -> tuple[np.ndarray, str]:
    """Each customer's response probability from a model that did not learn on that customer (k-fold
    cross-fitting), so the contact list does not favour the rows the model memorised; a table too small
    to split three ways keeps the hold-out model's scores and says so."""
    from sklearn.model_selection import StratifiedKFold

    if int(min(y.sum(), len(y) - y.sum())) < 15 * folds:
        return model.predict_proba(X), "hold-out model (table too small for out-of-fold scores)"
    prob = np.empty(len(y))
    for train, rest in StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed).split(np.zeros(len(y)), y):
        prob[rest] = PropensityModel(random_state=seed).fit(X.iloc[train], y[train]).predict_proba(X.iloc[rest])
    return prob, f"out of fold ({folds} folds)"


def campaign_job(ctx: JobContext, p: CampaignParams) -> dict[str, Any]:
    """Run a campaign on a registered dataset; write the contact list, gains, charts, segments and copy."""
    from finloom.data import write_csv

    df, _ = ctx.datasets().load(p.dataset, p.version)
    out = run_campaign(df, p, compliance=_compliance_rules(), progress=ctx.progress)
    folder = ctx.output_dir()
    write_csv(out["contacts"], folder / "contacts.csv", index=False)
    write_csv(out["gains"], folder / "gains.csv", index=False)
    atomic_write_bytes(folder / "gains.png", gains_chart_png(out["gains"]))
    atomic_write_bytes(folder / "profit.png", profit_chart_png(out["curve"], budget_contacts=out["summary"]["contacts"]))
    write_csv(pd.DataFrame([{k: v for k, v in pr.items() if k not in ("distinctive", "traits", "guard_issues")}
                            for pr in out["segments"]["profiles"]]), folder / "segments.csv", index=False)
    atomic_write_text(folder / "copy.json", _json(out["copy"]["items"]))
    result = {**out["summary"], "dataset": p.dataset, "files": list(CAMPAIGN_FILES),
              "gains": out["gains"].round(4).to_dict(orient="records"),
              "top_contacts": out["contacts"].head(CONTACTS_SHOWN).to_dict(orient="records"),
              "profiles": out["segments"]["profiles"],
              "copy_items": out["copy"]["items"][:60]}
    atomic_write_text(folder / "campaign.json", _json(result))
    ctx.progress(1.0, f"{len(out['contacts'])} contacts, {out['summary']['segments']['k']} segments")
    return json.loads(_json(result))
