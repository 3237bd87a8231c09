"""Tabular synthesizers: Gaussian copula, GAN (CTGAN-style), VAE (TVAE-style), diffusion (TabDDPM-style)
and an autoregressive model (TabularARGN-like).

Importing this package is light: the torch-based models import torch only when fitted or loaded.
"""

from finloom.synth.tabular._ar import ARConfig, ARSynthesizer
from finloom.synth.tabular._auto import AUTO, AutoConfig, select_model
from finloom.synth.tabular._base import BaseSynthesizer
from finloom.synth.tabular._constraints import FixedCombinations, Inequality, Range, Unique
from finloom.synth.tabular._copula import CopulaConfig, GaussianCopulaSynthesizer
from finloom.synth.tabular._diffusion import DiffusionConfig, DiffusionSynthesizer
from finloom.synth.tabular._dp import DPGuarantee, dp_guarantee
from finloom.synth.tabular._encoding import TableEncoder
from finloom.synth.tabular._gan import GANConfig, GANSynthesizer
from finloom.synth.tabular._scale import sample_to_parquet, sample_with_dask
from finloom.synth.tabular._service import (
    DEFAULT_MODEL,
    MODEL_NAMES,
    MODELS,
    config_class_of,
    fit_synthesizer,
    load_synthesizer,
    run_fit_job,
    run_sample_job,
    sample_to_file,
)
from finloom.synth.tabular._vae import VAEConfig, VAESynthesizer

__all__ = [
    "AUTO",
    "DEFAULT_MODEL",
    "MODELS",
    "MODEL_NAMES",
    "ARConfig",
    "ARSynthesizer",
    "AutoConfig",
    "BaseSynthesizer",
    "CopulaConfig",
    "DiffusionConfig",
    "DiffusionSynthesizer",
    "DPGuarantee",
    "FixedCombinations",
    "GANConfig",
    "GANSynthesizer",
    "GaussianCopulaSynthesizer",
    "Inequality",
    "Range",
    "TableEncoder",
    "Unique",
    "VAEConfig",
    "VAESynthesizer",
    "config_class_of",
    "dp_guarantee",
    "fit_synthesizer",
    "load_synthesizer",
    "run_fit_job",
    "run_sample_job",
    "sample_to_file",
    "sample_to_parquet",
    "sample_with_dask",
    "select_model",
]
