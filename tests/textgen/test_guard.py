from __future__ import annotations

import pytest

from finloom.textgen import (
    DEFAULT_DISCLAIMERS,
    FactSet,
    FaithfulnessGuard,
    GenerationRequest,
    TemplateBackend,
    UnfaithfulTextError,
)

G = FaithfulnessGuard(require_disclaimer=False)


def kinds(text: str, facts: FactSet) -> list[str]:
    return [i.kind for i in G.check(text, facts).issues]


@pytest.mark.parametrize(
    "text",
    [
        "The S&P 500 fell 3.46% over the quarter.",
        "The S&P 500 fell 3.5%.",  # rounded to one decimal: within ±0.05
        "The S&P 500 fell 3%.",  # rounded to an integer: within ±0.5
        "The S&P 500 returned -3.46%.",  # sign instead of a direction word
        "标普500指数下跌3.46%。",
        "标普500指数下跌百分之三点五。",  # Chinese numerals
        "Assets were $1.23 billion.",
        "Assets were $1.2bn.",
        "Assets were US$1,234 million.",
        "资产规模为12.34亿美元。",
        "资产规模为十二亿美元。",  # 十二亿 → 1.2e9, tolerance ±0.5亿
        "The correlation between the S&P 500 and the NASDAQ Composite was 0.93.",
        "From 2018-01-02 to 29 March 2018 the S&P 500 fell 3.46%.",
        "2018年第一季度，标普500指数下跌3.46%。",
        "The S&P 500 hit its trough on February 8, 2018.",
        "The S&P 500 posted a 3.46% drop, while the NASDAQ Composite closed 2.1% higher.",
    ],
)
def test_guard_accepts_faithful_text(text: str, facts: FactSet) -> None:
    report = G.check(text, facts)
    assert report.ok, report.issues
    assert report.score == 1.0


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("The S&P 500 fell 3.6%.", "contradicted"),  # beyond ±0.05
        ("The S&P 500 fell 3.4%.", "contradicted"),
        ("The S&P 500 rose 3.46%.", "contradicted"),  # flipped direction
        ("标普500指数上涨3.46%。", "contradicted"),
        ("标普500指数下跌百分之五。", "contradicted"),
        ("The NASDAQ Composite fell 3.46%.", "contradicted"),  # swapped entity
        ("Assets were $1.3 billion.", "contradicted"),  # near the assets fact: a wrong number
        ("资产规模为13亿美元。", "contradicted"),
        ("The Dow Jones fell 3.46%.", "contradicted"),  # attributed to an entity without facts
        ("From 2018-01-02 to 2018-04-29 the S&P 500 fell 3.46%.", "unsupported"),  # shifted period
        ("In 2019 the S&P 500 fell 3.46%.", "unsupported"),
        ("The S&P 500 gained 42 points.", "unsupported"),
        ("The S&P 500 posted a 3.46% gain.", "contradicted"),  # direction word after the number
        ("The S&P 500 closed 3.46% higher.", "contradicted"),
    ],
)
def test_guard_flags_unfaithful_text(text: str, kind: str, facts: FactSet) -> None:
    report = G.check(text, facts)
    assert kind in [i.kind for i in report.issues], report.issues
    issue = report.issues[0]
    assert text[issue.start : issue.end] == issue.text
    assert report.score < 1.0


def test_guard_rounding_tolerance_is_explicit(facts: FactSet) -> None:
    assert kinds("The S&P 500 fell 3.456%.", facts) == []
    assert kinds("The S&P 500 fell 3.45%.", facts) == ["contradicted"]  # 3.456 rounds to 3.46
    loose = FaithfulnessGuard(require_disclaimer=False, extra_abs_tol=0.01)
    assert loose.check("The S&P 500 fell 3.45%.", facts).ok


def test_guard_required_disclaimer(facts: FactSet) -> None:
    assert FaithfulnessGuard().check("The S&P 500 fell 3.46%.", facts).ok  # opt-in per document kind
    guard = FaithfulnessGuard(require_disclaimer=True)
    text = "The S&P 500 fell 3.46%."
    assert [i.kind for i in guard.check(text, facts).issues] == ["missing_disclaimer"]
    assert guard.check(text + " " + DEFAULT_DISCLAIMERS["en"], facts).ok
    zh = "标普500指数下跌3.46%。"
    assert not guard.check(zh, facts).ok
    assert guard.check(zh + DEFAULT_DISCLAIMERS["zh"], facts).ok


def test_guard_policies(facts: FactSet) -> None:
    bad = "The S&P 500 fell 3.9%. " + DEFAULT_DISCLAIMERS["en"]
    guard = FaithfulnessGuard(require_disclaimer=True)
    with pytest.raises(UnfaithfulTextError, match="must be supported by the facts"):
        guard.enforce(bad, facts, policy="reject")
    repaired, report = guard.enforce(bad, facts, policy="repair")
    assert "fell 3.46%" in repaired and report.policy_applied == "repair"
    fallback, report = guard.enforce("The S&P 500 rose 3.46%.", facts, policy="fallback", fallback="T")
    assert fallback == "T" and report.policy_applied == "fallback"


def test_guard_repair_adds_missing_disclaimer(facts: FactSet) -> None:
    text, _ = FaithfulnessGuard(require_disclaimer=True).enforce("The S&P 500 fell 3.46%.", facts, policy="repair")
    assert text.endswith(DEFAULT_DISCLAIMERS["en"])


def test_guard_template_output_never_flagged(facts: FactSet, market_ctx: dict) -> None:
    guard = FaithfulnessGuard(require_disclaimer=True)
    for lang in ("en", "zh"):
        for seed in range(5):
            text = TemplateBackend().render(GenerationRequest("market", facts, lang, market_ctx), seed=seed).text
            assert guard.check(text, facts).ok, text


def test_guard_does_not_mutate_and_rejects_non_text(facts: FactSet) -> None:
    from finloom.errors import ConfigError

    with pytest.raises(ConfigError, match="text must be a str"):
        G.check(None, facts)  # type: ignore[arg-type]
