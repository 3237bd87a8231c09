"""The review queue with overrides, monitoring figures, augmentation and the batch flow."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError

from finloom.apps.credit_review import (
    CreditModel,
    OverrideIn,
    ReviewQueue,
    adverse_impact,
    augment,
    psi,
    score_file,
)
from finloom.errors import InvalidDataError, PayloadTooLargeError


def test_override_needs_a_reason_and_is_logged_and_counted(tmp_path, fitted, applications):
    queue = ReviewQueue.create(tmp_path / "q", fitted.score_batch(applications.head(40)).records())
    with pytest.raises(ValidationError, match="at least 5 characters"):
        OverrideIn(band="approve", reason="ok")
    first = queue.items()[0]
    target = "decline" if first.band != "decline" else "approve"
    queue.override(
        first.applicant_id, OverrideIn(band=target, reason="Income verified as lower"), actor="ana"
    )
    again = ReviewQueue(tmp_path / "q")
    assert again.get(first.applicant_id).decision == target
    assert again.overrides()[0].actor == "ana" and again.overrides()[0].from_band == first.band
    rates = {r["band"]: r for r in again.override_rates()}
    assert rates[first.band]["overridden"] == 1 and rates[first.band][f"to_{target}"] == 1


def test_batch_scoring_writes_a_queue_and_scores_file(tmp_path, fitted, applications):
    path = tmp_path / "apps.csv"
    applications.drop(columns=["bad"]).head(100).to_csv(path, index=False)
    summary = score_file(fitted, path, tmp_path / "q", which="challenger")
    assert summary["applications"] == 100 and sum(summary["bands"].values()) == 100
    assert (
        "adverse_impact" in summary["monitoring"]
        and summary["monitoring"]["score_drift"]["psi"] >= 0
    )
    scores = pd.read_csv(tmp_path / "q" / "scores.csv")
    assert len(scores) == 100 and scores["applicant_id"].iloc[0] == "A0000"


def test_bad_files_leave_nothing_half_written(tmp_path, fitted, applications):
    bad = tmp_path / "bad.csv"
    applications.drop(columns=["bad"]).head(10).assign(income="lots").to_csv(bad, index=False)
    with pytest.raises(InvalidDataError, match="feature 'income' must hold numbers"):
        score_file(fitted, bad, tmp_path / "q1")
    assert not (tmp_path / "q1").exists()
    huge = tmp_path / "huge.csv"
    with open(huge, "wb") as fh:  # a sparse 2 GB file: refused by its size before any read
        fh.truncate(2 * 1024**3)
    with pytest.raises(PayloadTooLargeError, match="application file must be at most"):
        score_file(fitted, huge, tmp_path / "q2")
    assert not (tmp_path / "q2").exists()


def test_model_save_load_round_trip(tmp_path, fitted, applications):
    fitted.save(tmp_path / "m")
    again = CreditModel.load(tmp_path / "m")
    X = applications.head(30)
    assert [a.band for a in again.score_applicants(X)] == [
        a.band for a in fitted.score_applicants(X)
    ]
    assert json.loads((tmp_path / "m" / "credit.json").read_text())["info"]["protected"] == "sex"


def test_psi_and_adverse_impact():
    rng = np.random.default_rng(0)
    assert psi(rng.normal(size=4000), rng.normal(size=4000)) < 0.02
    assert psi(rng.normal(size=4000), rng.normal(1.0, 1, size=4000)) > 0.25
    out = adverse_impact(
        pd.DataFrame({"g": ["a"] * 10 + ["b"] * 10}),
        "g",
        ["approve"] * 8 + ["decline"] * 2 + ["approve"] * 5 + ["decline"] * 5,
    )
    assert out["groups"][1]["ratio"] == pytest.approx(5 / 8) and out["flagged"] == ["b"]


@pytest.mark.parametrize("method", ["smote", "synthetic"])
def test_augmentation_adds_only_bad_rows_and_keeps_the_real_ones(applications, method):
    X = applications[["PAY_0", "income", "home"]].head(300)
    y = applications["bad"].head(300).to_numpy()
    Xa, ya = augment(X, y, method, bad_share=0.6, random_state=0)
    pd.testing.assert_frame_equal(Xa.iloc[:300].reset_index(drop=True), X.reset_index(drop=True))
    assert len(ya) > 300 and np.all(ya[300:] == 1) and ya.mean() == pytest.approx(0.6, abs=0.01)
    assert set(Xa["home"].iloc[300:]) <= set(X["home"])


def test_a_model_fitted_with_unseen_missing_scores_new_categories(applications):
    from finloom.apps.credit_review import fit_credit_model
    from finloom.errors import ConfigError

    model = fit_credit_model(
        applications.head(400),
        "bad",
        id_column="app_id",
        challenger=False,
        unseen="missing",
        random_state=0,
    )
    out = model.score_applicants(applications.head(3).assign(home="houseboat"))
    assert len(out) == 3
    with pytest.raises(ConfigError, match="unseen must be 'error' or 'missing'; got 'skip'"):
        fit_credit_model(applications.head(400), "bad", unseen="skip")  # type: ignore[arg-type]
