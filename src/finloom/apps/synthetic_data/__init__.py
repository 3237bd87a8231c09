"""Synthetic data on the workbench: fit a synthesizer on a registered dataset, sample, report."""

from finloom.apps.synthetic_data.schemas import SynthFitParams, SynthSampleParams
from finloom.apps.synthetic_data.service import fit_job, sample_job, split_holdout

__all__ = ["SynthFitParams", "SynthSampleParams", "fit_job", "sample_job", "split_holdout"]
