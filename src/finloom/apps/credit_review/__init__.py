"""Credit risk review (风控审核): a monotonic scorecard and a LightGBM challenger with reason codes in
English and Chinese, augmentation measured honestly, monitoring, decision letters and a review queue."""

from finloom.apps.credit_review._augment import AUGMENTATIONS, augment
from finloom.apps.credit_review._binning import FeatureBins, fit_bins
from finloom.apps.credit_review._challenger import Challenger, ChallengerConfig
from finloom.apps.credit_review._decisions import BANDS, Cutoffs
from finloom.apps.credit_review._letters import (
    Letter,
    letter_for,
    render_letter_html,
    render_letter_pdf,
)
from finloom.apps.credit_review._metrics import compare, ks, recall_at_fpr
from finloom.apps.credit_review._model import CreditModel, fit_credit_model
from finloom.apps.credit_review._monitoring import (
    CSI_LEVELS,
    adverse_impact,
    approval_by_segment,
    csi_table,
    psi,
    score_drift,
)
from finloom.apps.credit_review._precheck import PRECHECK_RULES, Precheck, precheck
from finloom.apps.credit_review._queue import ReviewQueue, override_rates
from finloom.apps.credit_review._reasons import Reason, ReasonStatements, top_reasons
from finloom.apps.credit_review._report import comparison_html
from finloom.apps.credit_review._scaling import PointsScale
from finloom.apps.credit_review._scorecard import Scorecard, ScorecardConfig, ScoredRows
from finloom.apps.credit_review.schemas import (
    DocumentFinding,
    OverrideIn,
    OverrideRecord,
    ReasonOut,
    ScoredApplicant,
)
from finloom.apps.credit_review.service import (
    monitor,
    read_applications,
    read_findings,
    score_file,
    write_letters,
)

__all__ = [
    "AUGMENTATIONS",
    "BANDS",
    "CSI_LEVELS",
    "Challenger",
    "ChallengerConfig",
    "CreditModel",
    "Cutoffs",
    "DocumentFinding",
    "FeatureBins",
    "Letter",
    "OverrideIn",
    "OverrideRecord",
    "PRECHECK_RULES",
    "PointsScale",
    "Precheck",
    "Reason",
    "ReasonOut",
    "ReasonStatements",
    "ReviewQueue",
    "ScoredApplicant",
    "ScoredRows",
    "Scorecard",
    "ScorecardConfig",
    "adverse_impact",
    "approval_by_segment",
    "augment",
    "compare",
    "comparison_html",
    "csi_table",
    "fit_bins",
    "fit_credit_model",
    "ks",
    "letter_for",
    "monitor",
    "precheck",
    "override_rates",
    "psi",
    "read_applications",
    "read_findings",
    "recall_at_fpr",
    "render_letter_html",
    "render_letter_pdf",
    "score_drift",
    "score_file",
    "top_reasons",
    "write_letters",
]
