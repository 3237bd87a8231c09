"""Financial text understanding: local encoders, classifiers, NER, evaluation, compression, serving.

Names are imported lazily so ``import finloom.nlp`` does not import torch.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "AdaptConfig": "_adapt",
    "adapt_encoder": "_adapt",
    "Encoder": "_encoder",
    "EncoderCache": "_encoder",
    "default_encoder_path": "_encoder",
    "resolve_encoder_path": "_encoder",
    "MultilingualEncoder": "_multilingual",
    "choose_encoder": "_multilingual",
    "multilingual_available": "_multilingual",
    "TextDataset": "_readers",
    "TokenDataset": "_readers",
    "bio_to_io": "_readers",
    "detect_encoding": "_readers",
    "io_to_bio": "_readers",
    "read_conll": "_readers",
    "read_texts": "_readers",
    "read_tokens": "_readers",
    "read_token_table": "_readers",
    "read_text_column": "_readers",
    "token_table_to_dataset": "_readers",
    "stratified_split": "_readers",
    "TextClassifier": "_classifier",
    "HashingEncoder": "_hashing",
    "FineTuneConfig": "_finetune",
    "ClassificationReport": "_metrics",
    "NERReport": "_ner_metrics",
    "classification_report": "_metrics",
    "entity_scores": "_ner_metrics",
    "expected_calibration_error": "_metrics",
    "extract_entities": "_ner_metrics",
    "TokenTagger": "_tagger",
    "Span": "_rules",
    "find_rule_spans": "_rules",
    "merge_spans": "_rules",
    "quantize_dynamic_int8": "_compress",
    "export_onnx": "_onnx",
    "OnnxClassifier": "_onnx",
    "load_text_classifier": "_onnx",
    "distill": "_compress",
    "speed_table": "_compress",
    "MicroBatcher": "_serving",
    "score_file": "_serving",
    "tag_file": "_serving",
    "ModelCard": "_card",
    "default_card": "_card",
    "window_probabilities": "_classifier",
    "train_classifier_job": "_service",
    "evaluate_classifier_job": "_service",
    "predict_file_job": "_service",
    "train_tagger_job": "_service",
    "evaluate_tagger_job": "_service",
    "tag_file_job": "_service",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        module = importlib.import_module(f"finloom.nlp.{_EXPORTS[name]}")
        return getattr(module, name)
    raise AttributeError(f"module 'finloom.nlp' has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__
