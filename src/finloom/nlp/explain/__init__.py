"""Explanations for text classifiers: word attributions (integrated gradients, occlusion), a
faithfulness check by deletion, and the nearest training examples.

Importing this package does not import torch (integrated gradients load it when called).
"""

from __future__ import annotations

from finloom.nlp.explain._attribution import (
    Completeness,
    Explanation,
    WordScore,
    explain,
    has_torch_encoder,
    integrated_gradients,
    occlusion,
)
from finloom.nlp.explain._examples import (
    EXAMPLES_DIR,
    NO_EXAMPLES,
    Neighbour,
    TrainingExamples,
    embed_texts,
    load_examples,
)
from finloom.nlp.explain._faithfulness import DeletionReport, deletion_test
from finloom.nlp.explain._words import Word, delete_words, split_words

__all__ = [
    "EXAMPLES_DIR",
    "NO_EXAMPLES",
    "Completeness",
    "DeletionReport",
    "Explanation",
    "Neighbour",
    "TrainingExamples",
    "Word",
    "WordScore",
    "delete_words",
    "deletion_test",
    "embed_texts",
    "explain",
    "has_torch_encoder",
    "integrated_gradients",
    "load_examples",
    "occlusion",
    "split_words",
]
