"""Compression: int8 quantisation, distillation into fewer layers, speed table."""

from __future__ import annotations

import numpy as np
import pytest

from finloom.errors import InvalidDataError
from finloom.nlp import TextClassifier, distill, quantize_dynamic_int8, speed_table
from tests.nlp._toy import TOY_LABELS, TOY_TEXTS


@pytest.fixture(scope="module")
def clf(tiny_bert):
    return TextClassifier(encoder=tiny_bert, C=100.0).fit(TOY_TEXTS, TOY_LABELS)


def test_quantize_dynamic_int8_keeps_predictions_close(clf):
    import torch

    q = quantize_dynamic_int8(clf)
    assert any(isinstance(m, torch.ao.nn.quantized.dynamic.Linear) for m in q.encoder_.model.modules())
    assert not any(isinstance(m, torch.ao.nn.quantized.dynamic.Linear) for m in clf.encoder_.model.modules())
    assert np.abs(q.predict_proba(TOY_TEXTS) - clf.predict_proba(TOY_TEXTS)).max() < 0.1


def test_distill_student_has_fewer_layers_and_follows_teacher(clf, tmp_path):
    student = distill(clf, TOY_TEXTS * 2, n_layers=1, epochs=3, learning_rate=1e-3, random_state=0)
    assert student.encoder_.model.config.num_hidden_layers == 1
    assert clf.encoder_.model.config.num_hidden_layers == 2
    agree = np.mean([a == b for a, b in zip(student.predict(TOY_TEXTS), clf.predict(TOY_TEXTS), strict=True)])
    assert agree >= 0.75
    loaded = TextClassifier.load(student.save(tmp_path / "s"))
    assert loaded.encoder_.model.config.num_hidden_layers == 1
    with pytest.raises(InvalidDataError, match="n_layers"):
        distill(clf, TOY_TEXTS, n_layers=5)


def test_speed_table_reports_each_model(clf):
    rows = speed_table({"fp32": clf, "int8": quantize_dynamic_int8(clf)}, TOY_TEXTS, TOY_LABELS,
                       batch_size=8, n_single=4)
    assert [r["model"] for r in rows] == ["fp32", "int8"]
    assert all(r["sent_per_s"] > 0 and r["batch1_p95_ms"] >= r["batch1_p50_ms"] for r in rows)
    assert all(0.0 <= r["accuracy"] <= 1.0 for r in rows)


@pytest.mark.parametrize(("int8", "per_channel"), [(False, True), (True, True), (True, False)])
def test_export_onnx_matches_torch(clf, tmp_path, int8, per_channel):
    pytest.importorskip("onnx")
    from finloom.nlp import OnnxClassifier, export_onnx

    path = export_onnx(clf, tmp_path / "onnx", int8=int8, per_channel=per_channel)
    runner = OnnxClassifier.load(path)
    assert runner.config["per_channel"] is (int8 and per_channel)
    if int8:  # per-channel weight scales are vectors, per-tensor ones scalars
        onnx = pytest.importorskip("onnx")
        scales = [np.prod(t.dims) for t in onnx.load(str(path / "encoder.onnx")).graph.initializer
                  if t.name.endswith("_scale")]
        assert bool(max(scales) > 1) == per_channel
    diff = np.abs(runner.predict_proba(TOY_TEXTS) - clf.predict_proba(TOY_TEXTS)).max()
    assert diff < (0.05 if int8 else 1e-4)
    assert runner.predict(TOY_TEXTS) == clf.predict(TOY_TEXTS)


def test_export_onnx_traces_plain_attention_and_restores_the_encoder(clf, tmp_path):
    onnx = pytest.importorskip("onnx")
    from finloom.nlp import export_onnx

    before = clf.encoder_.model.config._attn_implementation
    path = export_onnx(clf, tmp_path / "onnx", int8=False)
    ops = {node.op_type for node in onnx.load(str(path / "encoder.onnx")).graph.node}
    assert "Softmax" in ops and "IsNaN" not in ops  # SDPA's NaN guard is not in the graph
    assert clf.encoder_.model.config._attn_implementation == before


def test_export_onnx_encoder_without_token_types(tmp_path):
    pytest.importorskip("onnx")
    from finloom.nlp import OnnxClassifier, export_onnx
    from tests.nlp.conftest import make_tiny_distilbert

    folder = make_tiny_distilbert(tmp_path / "distil")
    clf = TextClassifier(encoder=folder, C=100.0).fit(TOY_TEXTS, TOY_LABELS)
    assert "token_type_ids" not in clf.encoder_.tokenizer.model_input_names
    runner = OnnxClassifier.load(export_onnx(clf, tmp_path / "onnx", int8=False))
    assert runner.input_names_ == {"input_ids", "attention_mask"}
    assert np.abs(runner.predict_proba(TOY_TEXTS) - clf.predict_proba(TOY_TEXTS)).max() < 1e-4


def test_export_onnx_failure_leaves_nothing_behind(clf, tmp_path, monkeypatch):
    pytest.importorskip("onnx")
    from finloom.nlp import _onnx

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(_onnx, "_write_graph", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        _onnx.export_onnx(clf, tmp_path / "onnx")
    assert list(tmp_path.iterdir()) == []
