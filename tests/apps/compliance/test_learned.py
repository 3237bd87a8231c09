from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from finloom.apps.compliance import CategoryClassifier, audit_text, shipped_classifier
from finloom.apps.compliance._learned import (
    CATEGORIES,
    MAX_CLASSIFIED_CHARS,
    classifier_findings,
    combine_with_rules,
)
from finloom.apps.compliance.schemas import Finding
from finloom.errors import ConfigError, InvalidDataError, NotFittedError

TEXTS = ["guaranteed 8% returns on our fund", "保本保收益的理财", "the best bank in town", "全国第一的银行",
         "card 4111 1111 1111 1111", "手机13800138000", "retired? buy 3x leveraged ETFs", "保守型客户买R5私募",
         "invest in our fund today", "欢迎认购理财", "open a current account", "您好，请问有什么可以帮您"] * 2
LABELS = [["promissory", "risk_disclosure"], ["promissory"], ["superlative"], ["superlative"], ["pii"], ["pii"],
          ["suitability", "risk_disclosure"], ["suitability"], ["risk_disclosure"], ["risk_disclosure"], [], []] * 2


def test_fit_predict_save_load_round_trip(tmp_path: Path) -> None:
    texts, labels = list(TEXTS), [list(x) for x in LABELS]
    clf = CategoryClassifier(dim=512).fit(texts, labels)
    assert texts == TEXTS and labels == LABELS  # input untouched
    probs = clf.predict_proba(["guaranteed returns", "hello"])
    assert probs.shape == (2, len(CATEGORIES)) and ((probs >= 0) & (probs <= 1)).all()
    saved = clf.save(tmp_path / "m")
    assert sorted(p.name for p in saved.iterdir()) == ["config.json", "model.safetensors"]
    again = CategoryClassifier.load(saved)
    assert again.get_params() == clf.get_params()
    # weights are stored as float16: probabilities agree to about 1e-4
    np.testing.assert_allclose(again.predict_proba(["guaranteed returns"]), clf.predict_proba(["guaranteed returns"]),
                               atol=1e-3)


def test_not_fitted_and_bad_input() -> None:
    with pytest.raises(NotFittedError):
        CategoryClassifier().predict_proba(["x"])
    with pytest.raises(ConfigError, match="The 'threshold' parameter of CategoryClassifier must be a float in"):
        CategoryClassifier(threshold=1.5).fit(TEXTS, LABELS)
    with pytest.raises(InvalidDataError, match=r"labels must be among .* got \['prohibited'\]"):
        CategoryClassifier().fit(["a", "b"], [["prohibited"], []])
    with pytest.raises(InvalidDataError, match="every category must have positive and negative examples"):
        CategoryClassifier().fit(["a", "b"], [["pii"], []])


def test_classifier_only_adds_missed_categories_above_threshold() -> None:
    clf = CategoryClassifier(dim=512, threshold=0.5).fit(TEXTS, LABELS)
    added = classifier_findings("保本保收益的理财", set(), clf)
    assert "promissory" in {f.category for f in added} and all(f.rule_id.startswith("ML-") for f in added)
    assert "promissory" not in {f.category for f in classifier_findings("保本保收益的理财", {"promissory"}, clf)}


def _flag(category: str, start: int | None = 0) -> Finding:
    return Finding(f"T-{category}", "high", category, "test rule", start=start, end=None if start is None else 4)


def test_combine_vetoes_unlikely_rule_flags_and_adds_confident_misses() -> None:
    clf = CategoryClassifier(dim=512, veto=0.3, threshold=0.6).fit(TEXTS, LABELS)
    text = "您好，请问有什么可以帮您"  # a greeting: nothing the classifier would back
    out = combine_with_rules(text, [_flag("superlative"), _flag("prohibited")], clf)
    assert [f.category for f in out] == ["prohibited"]  # vetoed the superlative; other categories untouched
    added = combine_with_rules("保本保收益的理财", [], clf)
    assert "promissory" in {f.category for f in added} and all(f.rule_id.startswith("ML-") for f in added)


def test_combine_leaves_pii_and_long_texts_to_the_rules() -> None:
    clf = CategoryClassifier(dim=512, veto=0.99, threshold=0.01).fit(TEXTS, LABELS)
    pii = _flag("pii")
    assert combine_with_rules("hello there", [pii], clf)[0] is pii  # a veto at 0.99 would drop anything else
    assert "pii" not in {f.category for f in combine_with_rules("guaranteed returns", [], clf)}
    long_text = "our fund " * (MAX_CLASSIFIED_CHARS // 8)
    flags = [_flag("superlative")]
    assert combine_with_rules(long_text, flags, clf) == flags


def test_audit_text_uses_the_shipped_classifier_unless_told_not_to() -> None:
    clf = shipped_classifier()
    assert clf.predict_proba(["hello"]).shape == (1, len(CATEGORIES))
    assert (clf.veto, clf.threshold) == (0.1, 0.9)
    text = "Our best-ever savings rate: 4.1 % on the Easy Saver."
    rules_only = audit_text(text, classifier=None)
    assert audit_text(text) == combine_with_rules(text, rules_only, clf)
    assert audit_text(text, classifier="shipped") == audit_text(text)
    assert not any(f.rule_id.startswith("ML-") for f in audit_text("A quiet day at the branch."))
    # structured inputs are not the text's: the risk-level check is never vetoed
    assert "SUIT-LEVEL" in {f.rule_id for f in audit_text("Hello.", context={"product_risk": "R5", "customer_risk": "C1"})}
