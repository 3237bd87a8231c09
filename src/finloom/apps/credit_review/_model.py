"""The credit model a user fits and scores with: scorecard, optional challenger, statements, cut-offs."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from finloom._base import ProgressCallback, noop_progress
from finloom._io import atomic_dir
from finloom.apps.credit_review._challenger import Challenger, ChallengerConfig
from finloom.apps.credit_review._decisions import Cutoffs
from finloom.apps.credit_review._metrics import compare
from finloom.apps.credit_review._reasons import ReasonStatements
from finloom.apps.credit_review._scorecard import Scorecard, ScorecardConfig, ScoredRows
from finloom.apps.credit_review._validate import binary_target
from finloom.apps.credit_review.schemas import DocumentFinding, ScoredApplicant
from finloom.errors import ConfigError, InvalidDataError, NotFoundError, did_you_mean

__all__ = ["CreditModel", "ScoredBatch", "fit_credit_model"]

Which = Literal["scorecard", "challenger"]
_FILE = "credit.json"


@dataclass
class ScoredBatch:
    """A scored batch as columns: ids, scores, PDs, bands, and per row the top reasons' features
    (``""`` where fewer features lost points) and points, with the statements of every feature."""

    ids: list[str]
    score: np.ndarray  # (n,)
    prob: np.ndarray  # (n,)
    bands: Sequence[str]
    reason_features: np.ndarray  # (n, k) feature names
    reason_points: np.ndarray  # (n, k) points lost
    statements: dict[str, tuple[str, str]]

    def to_frame(self) -> pd.DataFrame:
        """One row per applicant: id, score, pd, band, reason_i, reason_i_points, reason_i_en, reason_i_zh."""
        out = pd.DataFrame(
            {
                "applicant_id": self.ids,
                "score": self.score.round(6),
                "pd": self.prob.round(6),
                "band": self.bands,
            }
        )
        for j in range(self.reason_features.shape[1]):
            feats = self.reason_features[:, j]
            out[f"reason_{j + 1}"] = feats
            out[f"reason_{j + 1}_points"] = self.reason_points[:, j].round(6)
            for li, lang in enumerate(("en", "zh")):
                out[f"reason_{j + 1}_{lang}"] = [self.statements[f][li] if f else "" for f in feats]
        return out

    def records(
        self, findings: dict[str, list[DocumentFinding]] | None = None
    ) -> list[dict[str, Any]]:
        """Plain dicts shaped like :class:`ScoredApplicant` (what the review queue stores)."""
        found = findings or {}
        feats, pts = self.reason_features.tolist(), self.reason_points.round(6).tolist()
        out = []
        for n, (i, s, p, b) in enumerate(
            zip(self.ids, self.score.tolist(), self.prob.tolist(), self.bands, strict=True)
        ):
            reasons = [
                {
                    "feature": f,
                    "points": q,
                    "en": self.statements[f][0],
                    "zh": self.statements[f][1],
                }
                for f, q in zip(feats[n], pts[n], strict=True)
                if f
            ]
            out.append(
                {
                    "applicant_id": i,
                    "score": round(s, 6),
                    "pd": round(p, 6),
                    "band": b,
                    "reasons": reasons,
                    "findings": [f.model_dump(mode="json") for f in found.get(i, [])],
                    "final_band": None,
                    "override_reason": None,
                }
            )
        return out

    def applicants(
        self, findings: dict[str, list[DocumentFinding]] | None = None
    ) -> list[ScoredApplicant]:
        """Typed applicants (validated)."""
        return [ScoredApplicant(**r) for r in self.records(findings)]


@dataclass
class CreditModel:
    """A fitted scorecard (and challenger), the reason statements and the decision cut-offs.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> df = pd.DataFrame({"id": range(500), "delay": rng.integers(0, 4, 500), "limit": rng.normal(5, 2, 500)})
    >>> df["bad"] = (rng.random(500) < 0.1 + 0.2 * df["delay"] / 3).astype(int)
    >>> m = fit_credit_model(df, "bad", id_column="id", challenger=False, random_state=0)
    >>> out = m.score_applicants(df.head(2))
    >>> out[0].band in ("approve", "refer", "decline"), len(out[0].reasons) <= 4
    (True, True)
    """

    scorecard: Scorecard
    challenger: Challenger | None = None
    statements: ReasonStatements = field(default_factory=ReasonStatements)
    cutoffs: Cutoffs = field(default_factory=Cutoffs)
    info: dict[str, Any] = field(
        default_factory=dict
    )  # target, id column, dev score sample, hold-out metrics

    def _model(self, which: Which) -> Scorecard | Challenger:
        if which == "challenger":
            if self.challenger is None:
                raise NotFoundError(
                    "model must have a challenger to score with it; got a scorecard only. "
                    "Fit with challenger=True or score with which='scorecard'."
                )
            return self.challenger
        if which != "scorecard":
            raise ConfigError(f"which must be 'scorecard' or 'challenger'; got {which!r}.")
        return self.scorecard

    def score(
        self, data: pd.DataFrame, which: Which = "scorecard", *, unseen: str | None = None
    ) -> ScoredRows:
        """Scores and per-feature points of every row (``unseen``: the model's policy when None)."""
        return self._model(which).score(data, unseen=unseen or self.info.get("unseen", "error"))

    def ids(self, data: pd.DataFrame) -> list[str]:
        """Applicant ids: the id column when the model has one and the data holds it, else row numbers."""
        col = self.info.get("id_column")
        if col and col in data.columns:
            return [str(v) for v in data[col].tolist()]
        return [str(i + 1) for i in range(len(data))]

    def score_batch(
        self, data: pd.DataFrame, which: Which = "scorecard", *, k: int = 4
    ) -> ScoredBatch:
        """Scores, bands and the top-``k`` reasons of every row as columns (the fast batch path)."""
        rows = self.score(data, which)
        lost = rows.lost.to_numpy(dtype=float)
        cols = np.asarray(rows.lost.columns, dtype=object)
        order = np.argsort(-lost, axis=1, kind="stable")[:, :k]
        points = np.take_along_axis(lost, order, axis=1)
        features = np.where(points > 1e-9, cols[order], "")
        return ScoredBatch(
            self.ids(data),
            rows.score,
            rows.prob,
            self.cutoffs.bands(rows.score),
            features,
            np.where(points > 1e-9, points, 0.0),
            {c: self.statements.get(c) for c in cols},
        )

    def score_applicants(
        self,
        data: pd.DataFrame,
        which: Which = "scorecard",
        *,
        k: int = 4,
        findings: dict[str, list[DocumentFinding]] | None = None,
    ) -> list[ScoredApplicant]:
        """Score, band, top-``k`` adverse reasons and document findings of every applicant."""
        return self.score_batch(data, which, k=k).applicants(findings)

    # -- persistence -------------------------------------------------------------------------
    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write ``credit.json`` plus the ``scorecard/`` and ``challenger/`` folders, atomically."""
        with atomic_dir(path, overwrite=True) as tmp:
            self.scorecard.save(tmp / "scorecard")
            if self.challenger is not None:
                self.challenger.save(tmp / "challenger")
            doc = {
                "kind": "CreditModel",
                "statements": self.statements.custom,
                "cutoffs": self.cutoffs.model_dump(),
                "info": self.info,
            }
            (tmp / _FILE).write_text(
                json.dumps(doc, indent=1, ensure_ascii=False), encoding="utf-8"
            )
        return Path(path)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> CreditModel:
        """Read a model written by :meth:`save`."""
        root = Path(path)
        if not (root / _FILE).is_file() and (root / "model" / _FILE).is_file():
            root = root / "model"  # an artifact version folder
        if not (root / _FILE).is_file():
            raise NotFoundError(
                f"credit model path must be a folder with {_FILE}; got '{root.name}'. "
                "Pass the folder written by 'finloom credit fit --out'."
            )
        doc = json.loads((root / _FILE).read_text(encoding="utf-8"))
        challenger = (
            Challenger.load(root / "challenger") if (root / "challenger").is_dir() else None
        )
        return cls(
            Scorecard.load(root / "scorecard"),
            challenger,
            ReasonStatements(doc.get("statements")),
            Cutoffs(**doc.get("cutoffs", {})),
            doc.get("info", {}),
        )


def _split(
    df: pd.DataFrame, y: np.ndarray, share: float, seed: int | None
) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.model_selection import train_test_split

    idx = np.arange(len(df))
    if share <= 0:
        return idx, idx[:0]
    tr, te = train_test_split(idx, test_size=share, random_state=seed, stratify=y)
    return np.sort(tr), np.sort(te)


def _unusable(s: pd.Series) -> bool:
    """Dates and row-identifying text (ids, free text, date strings) are not scorecard features."""
    if pd.api.types.is_datetime64_any_dtype(s):
        return True
    if pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s):
        return False
    present = s.dropna().astype(str)
    if len(present) > 20 and present.nunique() > 0.5 * len(present):
        return True
    sample = present.head(200)
    looks_dated = sample.str.match(r"^\d{4}-\d{1,2}-\d{1,2}|^\d{1,2}/\d{1,2}/\d{2,4}")
    return bool(len(sample)) and bool(looks_dated.mean() >= 0.9)


def fit_credit_model(
    data: pd.DataFrame,
    target: str,
    *,
    positive: Any = None,
    id_column: str | None = None,
    exclude: list[str] | None = None,
    protected: str | None = None,
    scorecard: ScorecardConfig | dict[str, Any] | None = None,
    challenger: bool | ChallengerConfig | dict[str, Any] = True,
    cutoffs: Cutoffs | None = None,
    statements: dict[str, dict[str, str]] | None = None,
    holdout_share: float = 0.3,
    unseen: Literal["error", "missing"] = "error",
    random_state: int | None = 0,
    progress: ProgressCallback = noop_progress,
) -> CreditModel:
    """Fit the scorecard (and the monotone challenger) on a stratified share of ``data`` and compare
    both on the rest (AUC, KS, Gini, Brier, calibration, score distribution).

    The protected attribute, the id and ``exclude`` never enter the models, nor do dates and text
    columns that identify rows (more than half of their values distinct: ids, dates, free text);
    ``info["left_out"]`` lists those. ``unseen`` is the model's policy for a category not seen in
    training when it scores: refuse (``error``) or score it as a missing value.
    """
    if not isinstance(data, pd.DataFrame):
        raise InvalidDataError(f"data must be a pandas DataFrame; got {type(data).__name__}.")
    cols = [str(c) for c in data.columns]
    for what, name in (("target", target), ("id_column", id_column), ("protected", protected)):
        if name is not None and name not in cols:
            raise InvalidDataError(
                f"{what} must be a column of the data; got '{name}'.{did_you_mean(name, cols)}"
            )
    if unseen not in ("error", "missing"):
        raise ConfigError(f"unseen must be 'error' or 'missing'; got {unseen!r}.")
    if not 0 <= holdout_share < 0.9:
        raise ConfigError(f"holdout_share must be in [0, 0.9); got {holdout_share!r}.")
    y = binary_target(data[target], positive=positive)
    drop = {target, *(exclude or []), *(c for c in (id_column, protected) if c)}
    unusable = [c for c in data.columns if c not in drop and _unusable(data[c])]
    X = data[[c for c in data.columns if c not in drop and c not in unusable]]
    tr, te = _split(X, y, holdout_share, random_state)
    progress(0.1, "binning and scorecard")
    sc = Scorecard(scorecard).fit(X.iloc[tr], y[tr])
    ch = None
    if challenger is not False:
        progress(0.5, "challenger")
        cfg = None if challenger is True else challenger
        ch = Challenger(cfg, monotone=sc.monotone_directions(), random_state=random_state).fit(
            X.iloc[tr], y[tr]
        )
    progress(0.85, "hold-out comparison")
    dev = sc.score(X.iloc[tr]).score
    info: dict[str, Any] = {
        "target": target,
        "positive": positive,
        "id_column": id_column,
        "protected": protected,
        "n_train": len(tr),
        "n_holdout": len(te),
        "bad_rate": round(float(y.mean()), 6),
        "dev_scores": np.quantile(dev, np.linspace(0, 1, 201)).round(4).tolist(),
        "iv": sc.iv_,
        "selected": sc.selected_,
        "left_out": unusable,
        "unseen": unseen,
    }
    if len(te):
        hold = X.iloc[te]  # a rare category may be only in the hold-out: scored as missing there
        models = {
            "scorecard": (
                sc.score(hold, unseen="missing").score,
                sc.predict_proba(hold, unseen="missing"),
            )
        }
        if ch is not None:
            rows = ch.score(hold, unseen="missing")
            models["challenger"] = (rows.score, rows.prob)
        info["holdout"] = compare(y[te], models)
    progress(1.0, "done")
    return CreditModel(sc, ch, ReasonStatements(statements), cutoffs or Cutoffs(), info)
