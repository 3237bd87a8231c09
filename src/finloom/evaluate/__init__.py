"""Evaluate synthetic tables: fidelity, detection (C2ST), utility (TSTR), privacy and an HTML report.

Examples
--------
>>> import pandas as pd
>>> from finloom.data import Metadata
>>> df = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "c": ["a", "b", "a", "b"]})
>>> evaluate_fidelity(df, df, Metadata.infer(df)).score
1.0
"""

from finloom.evaluate._fidelity import (
    FidelityResult,
    contingency_similarity,
    correlation_similarity,
    evaluate_fidelity,
    ks_complement,
    tv_complement,
)
from finloom.evaluate._ml import (
    DetectionResult,
    UtilityResult,
    evaluate_detection,
    evaluate_utility,
)
from finloom.evaluate._privacy import PrivacyResult, evaluate_privacy
from finloom.evaluate._report import QualityReport
from finloom.evaluate._result import EvaluationResult
from finloom.evaluate._service import read_table, report_to_files, run_quality_report
from finloom.evaluate._stylized import (
    abs_acf,
    acf,
    discriminative_score,
    excess_kurtosis,
    hill_tail_index,
    leverage_effect,
    predictive_score,
)
from finloom.evaluate._stylized_report import StylizedFactsReport, stylized_facts_report

__all__ = [
    "abs_acf",
    "acf",
    "discriminative_score",
    "excess_kurtosis",
    "hill_tail_index",
    "leverage_effect",
    "predictive_score",
    "stylized_facts_report",
    "DetectionResult",
    "EvaluationResult",
    "FidelityResult",
    "PrivacyResult",
    "QualityReport",
    "StylizedFactsReport",
    "UtilityResult",
    "contingency_similarity",
    "correlation_similarity",
    "evaluate_detection",
    "evaluate_fidelity",
    "evaluate_privacy",
    "evaluate_utility",
    "ks_complement",
    "read_table",
    "report_to_files",
    "run_quality_report",
    "tv_complement",
]
