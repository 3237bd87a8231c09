"""CLI ``finloom nlp train|evaluate|predict|train-ner|tag``: one success and one failure each."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from finloom.cli.nlp import app
from tests.nlp._toy import NER_TAGS, NER_TOKENS, TOY_LABELS, TOY_TEXTS

runner = CliRunner()


@pytest.fixture(scope="module")
def encoder_dir(tmp_path_factory):
    from tests.nlp.conftest import make_tiny_bert

    return make_tiny_bert(tmp_path_factory.mktemp("enc"))


@pytest.fixture
def data(tmp_path):
    path = tmp_path / "d.csv"
    pd.DataFrame({"text": TOY_TEXTS, "label": TOY_LABELS}).to_csv(path, index=False)
    return path


def test_nlp_cli_train_evaluate_predict(encoder_dir, data, tmp_path):
    out = tmp_path / "run"
    res = runner.invoke(app, ["train", str(data), "--out", str(out), "--encoder", str(encoder_dir)])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["classes"] == ["card", "fx"]
    res = runner.invoke(app, ["evaluate", str(out / "model"), str(data), "--out", str(tmp_path / "ev")])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "ev" / "report.html").is_file()
    res = runner.invoke(app, ["predict", str(out / "model"), str(data), "--out", str(tmp_path / "p")])
    assert res.exit_code == 0, res.output
    assert len(pd.read_csv(tmp_path / "p" / "predictions.csv")) == len(TOY_TEXTS)


def test_nlp_cli_errors_exit_1(encoder_dir, data, tmp_path):
    res = runner.invoke(app, ["train", str(data), "--label-column", "lable", "--encoder", str(encoder_dir)])
    assert res.exit_code == 1 and "error: column 'lable' must exist" in res.stderr
    assert "Did you mean 'label'" in res.stderr
    res = runner.invoke(app, ["evaluate", str(tmp_path / "nomodel"), str(data)])
    assert res.exit_code == 1 and "error: model path must be a directory" in res.stderr
    res = runner.invoke(app, ["predict", str(tmp_path / "nomodel"), str(data), "--out", str(tmp_path)])
    assert res.exit_code == 1 and "error: model path must be a directory" in res.stderr


def test_nlp_cli_train_contrastive_mode(encoder_dir, data, tmp_path):
    res = runner.invoke(app, ["train", str(data), "--out", str(tmp_path / "c"), "--encoder", str(encoder_dir),
                              "--mode", "contrastive", "--epochs", "1", "--test-size", "0.25"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["classes"] == ["card", "fx"]
    res = runner.invoke(app, ["train", str(data), "--encoder", str(encoder_dir), "--mode", "setfit"])
    assert res.exit_code == 1 and "'frozen', 'finetune' or 'contrastive'; got 'setfit'" in res.stderr


def test_nlp_cli_export_then_predict_and_evaluate_with_the_onnx_folder(encoder_dir, data, tmp_path):
    pytest.importorskip("onnxruntime")
    out = tmp_path / "run"
    assert runner.invoke(app, ["train", str(data), "--out", str(out), "--encoder", str(encoder_dir)]).exit_code == 0
    res = runner.invoke(app, ["export", str(out / "model"), "--out", str(tmp_path / "onnx")])
    assert res.exit_code == 0, res.output
    info = json.loads(res.stdout)
    assert info["int8"] is True and info["classes"] == ["card", "fx"]
    assert (tmp_path / "onnx" / "encoder.onnx").is_file()
    for model, name in ((out / "model", "torch"), (tmp_path / "onnx", "onnx")):
        res = runner.invoke(app, ["predict", str(model), str(data), "--out", str(tmp_path / name)])
        assert res.exit_code == 0, res.output
    torch_pred = pd.read_csv(tmp_path / "torch" / "predictions.csv")["prediction"].tolist()
    assert pd.read_csv(tmp_path / "onnx" / "predictions.csv")["prediction"].tolist() == torch_pred
    res = runner.invoke(app, ["evaluate", str(tmp_path / "onnx"), str(data), "--out", str(tmp_path / "ev")])
    assert res.exit_code == 0, res.output
    assert 0.0 <= json.loads(res.stdout)["accuracy"] <= 1.0
    res = runner.invoke(app, ["export", str(tmp_path / "nomodel"), "--out", str(tmp_path / "x")])
    assert res.exit_code == 1 and "error: model path must be a directory" in res.stderr
    assert not (tmp_path / "x").exists()


def test_nlp_cli_train_ner_then_tag(encoder_dir, tmp_path):
    data = tmp_path / "ner.csv"  # one row per token, as spreadsheets export it
    pd.DataFrame([{"sentence": i, "word": w, "tag": t} for i, (ws, ts) in enumerate(zip(NER_TOKENS, NER_TAGS, strict=True))
                  for w, t in zip(ws, ts, strict=True)]).to_csv(data, index=False)
    out = tmp_path / "ner"
    res = runner.invoke(app, ["train-ner", str(data), "--out", str(out), "--encoder", str(encoder_dir),
                              "--epochs", "1", "--test", str(data)])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["entity_types"] == ["ORG", "PER"]
    assert (out / "ner_report.html").is_file()
    texts = tmp_path / "texts.jsonl"
    texts.write_text(json.dumps({"text": "acme corp pays 5%"}) + "\n" + json.dumps({"text": "on monday"}) + "\n")
    res = runner.invoke(app, ["tag", str(out / "model"), str(texts), "--out", str(tmp_path / "tagged")])
    assert res.exit_code == 0, res.output
    lines = (tmp_path / "tagged" / "entities.jsonl").read_text().splitlines()
    assert len(lines) == 2 and {"label": "PERCENT", "start": 15, "end": 17, "text": "5%", "source": "rule"} in \
        json.loads(lines[0])["entities"]
    res = runner.invoke(app, ["evaluate", str(out / "model"), str(data), "--out", str(tmp_path / "ev")])
    assert res.exit_code == 0, res.output
    result = json.loads(res.stdout)
    assert set(result["error_counts"]) == {"missed", "spurious", "wrong_type", "wrong_boundary"}
    assert (tmp_path / "ev" / "ner_report.html").read_text().startswith("<!DOCTYPE html>")
    res = runner.invoke(app, ["tag", str(out), "--text", "x"])  # the run folder, not its model/
    assert res.exit_code == 1 and f"Did you mean '{out / 'model'}'" in res.stderr
    res = runner.invoke(app, ["tag", str(out / "model"), "--text", "fees of $12 million"])
    assert res.exit_code == 0 and "MONEY" in res.stdout and "$12 million" in res.stdout


def test_nlp_cli_ner_errors(encoder_dir, tmp_path):
    data = tmp_path / "ner.conll"
    data.write_text("Acme O\npays O\n")
    res = runner.invoke(app, ["train-ner", str(data), "--encoder", str(encoder_dir), "--out", str(tmp_path / "m")])
    assert res.exit_code == 1 and "tags must include at least one entity" in res.stderr
    assert not (tmp_path / "m").exists()
    res = runner.invoke(app, ["tag", str(tmp_path / "nomodel"), "--text", "x"])
    assert res.exit_code == 1 and "error:" in res.stderr
    res = runner.invoke(app, ["tag", str(tmp_path / "nomodel")])
    assert res.exit_code == 2 and "either a DATA file or --text" in res.stderr
