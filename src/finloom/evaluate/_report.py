"""QualityReport: fidelity, detection, utility and privacy of a synthetic table in one object."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from finloom._base import ProgressCallback, noop_progress
from finloom._serialization import to_jsonable
from finloom.data import Metadata
from finloom.evaluate._common import Roles, check_tables
from finloom.evaluate._fidelity import FidelityResult, evaluate_fidelity
from finloom.evaluate._html import key_value_table, page, section
from finloom.evaluate._ml import (
    DetectionResult,
    UtilityResult,
    evaluate_detection,
    evaluate_utility,
)
from finloom.evaluate._plots import correlation_difference_img, marginals_img, pca_overlay_img
from finloom.evaluate._privacy import PrivacyResult, evaluate_privacy

__all__ = ["QualityReport"]


def _figures(real: pd.DataFrame, synthetic: pd.DataFrame, roles: Roles) -> dict[str, str]:
    return {
        "marginals": marginals_img(real, synthetic, roles),
        "correlation_difference": correlation_difference_img(real, synthetic, roles),
        "pca": pca_overlay_img(real, synthetic, roles),
    }


@dataclass
class QualityReport:
    """Every evaluator's result for one synthetic table, plus the report figures.

    Build it with :meth:`generate`. Utility needs a hold-out and a target; privacy needs a
    hold-out; a skipped part is ``None`` and its reason is in ``skipped``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> df = pd.DataFrame({"x": rng.normal(size=120), "y": rng.integers(0, 2, 120)})
    >>> df["c"] = np.where(df["y"] == 1, "a", "b")
    >>> meta = Metadata.infer(df, target="y")
    >>> rep = QualityReport.generate(df[:60], df[60:], meta, holdout=df[60:], plots=False)
    >>> sorted(rep.to_dict()["summary"])[:4]
    ['c2st_auc', 'column_shapes', 'dcr_p5_holdout', 'dcr_p5_train']
    >>> rep.to_html().startswith("<!DOCTYPE html>")
    True
    """

    fidelity: FidelityResult
    detection: DetectionResult | None = None
    utility: UtilityResult | None = None
    privacy: PrivacyResult | None = None
    skipped: dict[str, str] = field(default_factory=dict)
    figures: dict[str, str] = field(default_factory=dict)  # name -> <img> tag (base64 PNG)
    title: str = "Synthetic data quality report"
    # what a DP-trained synthesizer's epsilon covers (``DPGuarantee.to_dict()``), None without DP
    differential_privacy: dict[str, Any] | None = None

    @classmethod
    def generate(
        cls,
        real: pd.DataFrame,
        synthetic: pd.DataFrame,
        metadata: Metadata,
        *,
        holdout: pd.DataFrame | None = None,
        target: str | None = None,
        positive: Any = None,
        random_state: int | np.random.Generator | None = 0,
        plots: bool = True,
        n_jobs: int = 1,
        progress: ProgressCallback = noop_progress,
        title: str = "Synthetic data quality report",
        differential_privacy: dict[str, Any] | None = None,
    ) -> QualityReport:
        """Run every evaluator on ``real`` (the synthesizer's training rows) and ``synthetic``.

        Parameters
        ----------
        real, synthetic : DataFrame
            Training rows and synthetic rows with the metadata's columns; not modified.
        metadata : Metadata
            Column kinds (and the default target).
        holdout : DataFrame, optional
            Real rows never shown to the synthesizer; enables utility and privacy.
        target, positive : optional
            Binary target for utility (default ``metadata.target``) and its positive class.
        plots : bool
            Draw the figures (marginals, correlation difference, PCA) for :meth:`to_html`.
        progress : callable
            ``progress(fraction, message)``.
        differential_privacy : dict, optional
            The synthesizer's ``dp_guarantee(...).to_dict()`` when it was trained with DP: the
            report then states what epsilon covers and what the model keeps without noise.
        """
        roles = check_tables(metadata, {"real": real, "synthetic": synthetic, "holdout": holdout})
        target = target if target is not None else metadata.target
        skipped: dict[str, str] = {}
        progress(0.0, "fidelity")
        fidelity = evaluate_fidelity(real, synthetic, metadata)
        progress(0.25, "detection")
        detection = None
        if min(len(real), len(synthetic)) >= 5:
            detection = evaluate_detection(real, synthetic, metadata, random_state=random_state, n_jobs=n_jobs)
        else:
            skipped["detection"] = "needs at least 5 real and 5 synthetic rows"
        progress(0.45, "utility")
        utility = privacy = None
        if holdout is None:
            skipped["utility"] = skipped["privacy"] = "no hold-out table was given"
        else:
            if target is None:
                skipped["utility"] = "no target column (pass target= or set metadata.target)"
            else:
                utility = evaluate_utility(real, synthetic, holdout, metadata, target=target,
                                           positive=positive, random_state=random_state, n_jobs=n_jobs)
            progress(0.65, "privacy")
            privacy = evaluate_privacy(real, synthetic, holdout, metadata, random_state=random_state)
        if plots:
            progress(0.85, "plots")
        figures = _figures(real, synthetic, roles) if plots else {}
        progress(1.0, "done")
        return cls(fidelity, detection, utility, privacy, skipped, figures, title, differential_privacy)

    def summary(self) -> dict[str, Any]:
        """Headline figures (the benchmark's columns where available)."""
        out: dict[str, Any] = {
            "quality": self.fidelity.score,
            "column_shapes": self.fidelity.column_shapes_score,
            "pair_trends": self.fidelity.pair_trends_score,
            "quality_all_pairs": self.fidelity.score_all_pairs,
        }
        if self.detection is not None:
            out["c2st_auc"] = self.detection.c2st_auc
        if self.utility is not None:
            out.update(tstr_auc=self.utility.tstr_auc, trtr_auc=self.utility.trtr_auc,
                       tstr_f1=self.utility.tstr_f1, trtr_f1=self.utility.trtr_f1,
                       real_positive_rate=self.utility.real_positive_rate,
                       synthetic_positive_rate=self.utility.synthetic_positive_rate)
        if self.privacy is not None:
            out.update(dcr_share=self.privacy.dcr_share, exact_copy_rate=self.privacy.exact_copy_rate,
                       holdout_exact_copy_rate=self.privacy.holdout_exact_copy_rate,
                       nndr_median=self.privacy.nndr_median, mia_auc=self.privacy.mia_auc,
                       dcr_p5_train=self.privacy.dcr_p5_train, dcr_p5_holdout=self.privacy.dcr_p5_holdout,
                       nndr_p5=self.privacy.nndr_p5)
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-able dict: summary, each evaluator's full result (or None) and skip reasons."""
        parts = {"fidelity": self.fidelity, "detection": self.detection,
                 "utility": self.utility, "privacy": self.privacy}
        result: dict[str, Any] = to_jsonable({
            "title": self.title,
            "summary": self.summary(),
            **{k: (v.to_dict() if v is not None else None) for k, v in parts.items()},
            "skipped": self.skipped,
            "differential_privacy": self.differential_privacy,
        })
        return result

    def to_html(self) -> str:
        """A self-contained HTML page: summary, figures and every metric table."""
        sections = [section("Summary", key_value_table(self.summary()))]
        names = {"marginals": "Marginal distributions", "correlation_difference": "Correlation difference",
                 "pca": "2-D PCA overlay"}
        sections += [section(names.get(k, k), img) for k, img in self.figures.items()]
        for part in (self.fidelity, self.detection, self.utility, self.privacy):
            if part is not None:
                sections.append(part.section_html())
        if self.differential_privacy is not None:
            dp = self.differential_privacy
            facts = {"epsilon": dp["epsilon"], "delta": dp["delta"], "epsilon covers": dp["covers"],
                     **{f"kept without noise ({i})": item for i, item in enumerate(dp["not_covered"], start=1)}}
            sections.append(section("Differential privacy", key_value_table(facts)))
        if self.skipped:
            sections.append(section("Skipped", key_value_table(self.skipped)))
        return page(self.title, *sections, subtitle="Generated by finloom.evaluate")
