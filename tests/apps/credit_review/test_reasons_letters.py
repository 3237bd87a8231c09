"""Reason statements in English and Chinese, editable; letters guarded and compliance-checked."""

from __future__ import annotations

import numpy as np
import pytest

from finloom.apps.credit_review import (
    Cutoffs,
    ReasonStatements,
    ScoredApplicant,
    letter_for,
    render_letter_html,
    render_letter_pdf,
)
from finloom.errors import ConfigError, InvalidDataError


def test_reasons_come_in_both_languages_and_follow_points_lost(fitted, applications):
    batch = fitted.score_batch(applications.head(50), k=2)
    frame = batch.to_frame()
    assert {"reason_1_en", "reason_1_zh", "reason_2_points"} <= set(frame.columns)
    row = frame[frame["reason_1"] == "PAY_0"].iloc[0]
    assert row["reason_1_en"] == "Recent payment delays" and row["reason_1_zh"] == "近期有逾期记录"
    assert np.all(frame["reason_1_points"] >= frame["reason_2_points"])
    apps = batch.applicants()
    assert all(r.zh and r.en for a in apps for r in a.reasons)


def test_reason_statements_are_editable_per_feature(fitted, applications):
    fitted_custom = type(fitted)(
        fitted.scorecard,
        fitted.challenger,
        ReasonStatements({"income": {"en": "Income below our threshold", "zh": "收入低于标准"}}),
        fitted.cutoffs,
        fitted.info,
    )
    reasons = [r for a in fitted_custom.score_applicants(applications.head(200)) for r in a.reasons]
    assert any(r.en == "Income below our threshold" and r.zh == "收入低于标准" for r in reasons)
    with pytest.raises(InvalidDataError, match="statement for 'income'"):
        ReasonStatements({"income": {"fr": "revenu"}})


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_letters_state_only_supported_numbers_in_both_languages(fitted, applications, lang):
    seen = set()
    for app in fitted.score_applicants(applications.head(120)):
        if app.band == "refer":
            continue
        letter = letter_for(app, fitted.cutoffs, lang=lang, amount=12_000.0)
        assert letter.ok, letter.to_dict()
        assert (app.reasons[0].zh if lang == "zh" else app.reasons[0].en) in letter.text
        assert f"{round(app.score)}" in letter.text and "550" in letter.text
        seen.add(letter.kind)
    assert seen == {"approval", "adverse"}


def test_a_statement_with_an_unsupported_number_holds_the_letter(fitted, applications):
    app = next(a for a in fitted.score_applicants(applications.head(200)) if a.band == "decline")
    app.reasons[0].en = "Late on 7 payments"
    letter = letter_for(app, fitted.cutoffs, lang="en")
    assert not letter.ok and letter.guard.unsupported_numbers == 1


def test_letters_carry_the_compliance_findings_they_are_given():
    app = ScoredApplicant(applicant_id="9", score=600, pd=0.02, band="approve")
    flag = letter_for(
        app, Cutoffs(), compliance=lambda text, lang: [{"rule_id": "X", "explanation": "why"}]
    )
    assert not flag.ok and flag.compliance == [{"rule_id": "X", "explanation": "why"}]


def test_an_override_below_the_cutoff_is_not_written_as_above_it():
    app = ScoredApplicant(applicant_id="9", score=540.2, pd=0.1, band="refer", final_band="approve")
    letter = letter_for(app, Cutoffs(), lang="en")
    assert (
        letter.ok
        and "540, below our approval cut-off of 550" in letter.text
        and "analyst" in letter.text
    )
    with pytest.raises(ConfigError, match="must have an approve or decline decision"):
        letter_for(app.model_copy(update={"final_band": None}), Cutoffs())


def test_letters_render_to_html_and_pdf():
    app = ScoredApplicant(
        applicant_id="7",
        score=500,
        pd=0.3,
        band="decline",
        reasons=[
            {
                "feature": "PAY_0",
                "points": 20.0,
                "en": "Recent payment delays",
                "zh": "近期有逾期记录",
            }
        ],
    )
    letter = letter_for(app, Cutoffs(), lang="zh")
    html = render_letter_html(letter)
    assert "<li>近期有逾期记录</li>" in html and "申请编号: 7" in html
    assert render_letter_pdf(letter)[:4] == b"%PDF"
