"""CLI ``finloom nlp train|evaluate|predict|train-ner|tag``: one success and one failure each."""

from __future__ import annotations

import json
import re

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
    res = runner.invoke(app, ["predict", str(out / "model"), str(data), "-o", str(tmp_path / "preds.csv")])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "preds.csv").is_file() and len(pd.read_csv(tmp_path / "preds.csv")) == len(TOY_TEXTS)


def test_nlp_cli_errors_exit_1(encoder_dir, data, tmp_path):
    res = runner.invoke(app, ["train", str(data), "--label-column", "lable", "--encoder", str(encoder_dir)])
    assert res.exit_code == 1 and "(nlp.train_file) failed: column 'lable' must exist" in res.stderr
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
    res = runner.invoke(app, ["tag", str(out / "model"), str(texts), "-o", str(tmp_path / "ents.jsonl")])
    assert res.exit_code == 0 and len((tmp_path / "ents.jsonl").read_text().splitlines()) == 2
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
    assert res.exit_code == 1 and "either a DATA file or --text" in res.stderr


# ---------------------------------------------------------------- files as they come (issue 28)

def _phrasebank(path):
    """Financial PhraseBank's layout: 'sentence@label' lines, latin-1, CRLF, no header row."""
    lines = [f"{t} .@{lab}" for t, lab in zip(TOY_TEXTS, TOY_LABELS, strict=True)] + ["café rate .@fx"]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("latin-1"))
    return path


def test_nlp_cli_train_reads_a_sentence_at_label_latin1_file(encoder_dir, tmp_path):
    data = _phrasebank(tmp_path / "Sentences_AllAgree.txt")
    out = tmp_path / "run"
    res = runner.invoke(app, ["train", str(data), "--sep", "@", "--no-header", "--test-size", "0",
                              "--out", str(out), "--encoder", str(encoder_dir)])
    assert res.exit_code == 0, res.output
    result = json.loads(res.stdout)
    assert result["classes"] == ["card", "fx"] and result["metrics"] == {"n_train": 17, "n_test": 0}
    assert "report_dir" not in result and not (out / "report").exists()  # no report for --test-size 0
    res = runner.invoke(app, ["predict", str(out / "model"), str(data), "--sep", "@", "--no-header",
                              "--out", str(tmp_path / "p")])
    assert res.exit_code == 0, res.output
    scored = pd.read_csv(tmp_path / "p" / "predictions.csv", dtype=str)
    assert scored["1"].iloc[-1] == "café rate ." and len(scored) == 17
    res = runner.invoke(app, ["evaluate", str(out / "model"), str(data), "--sep", "@", "--no-header",
                              "--encoding", "latin-1", "--out", str(tmp_path / "ev")])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "ev" / "report.html").is_file()


def test_nlp_cli_train_reports_a_held_out_split_where_it_wrote_it(encoder_dir, data, tmp_path):
    res = runner.invoke(app, ["train", str(data), "--out", str(tmp_path / "run"), "--encoder", str(encoder_dir)])
    assert res.exit_code == 0, res.output
    report_dir = json.loads(res.stdout)["report_dir"]
    assert (tmp_path / "run" / "report" / "report.html").is_file() and report_dir.endswith("report")


def test_nlp_cli_file_mistakes_are_one_line_errors_and_write_nothing(encoder_dir, tmp_path):
    data = _phrasebank(tmp_path / "fpb.txt")
    out = tmp_path / "never"
    cases = [
        ([], "Lines look like 'text@label': pass sep='@'"),
        (["--sep", "@"], "columns 'text' and 'label' must exist in fpb.txt"),
        (["--sep", "@", "--no-header", "--label-column", "3"], "column '3' must exist in fpb.txt; got columns ['1', '2']"),
        (["--sep", "@@"], "sep must be one character"),
        (["--sep", "@", "--no-header", "--test-size", "1"], "test_size must be less than 0.9; got 1.0"),
        (["--sep", "@", "--no-header", "--label-map", "card"], "--label-map must be raw=name pairs"),
    ]
    for extra, message in cases:
        res = runner.invoke(app, ["train", str(data), "--out", str(out), "--encoder", str(encoder_dir), *extra])
        assert res.exit_code == 1, (extra, res.output)
        last = res.stderr.strip().splitlines()[-1]  # after the job's progress lines, if it got that far
        assert last.startswith("error: ") and message in last, (extra, res.stderr)
        assert "Traceback" not in res.output
        assert not out.exists()
    res = runner.invoke(app, ["train", str(data), "--out", str(out), "--sep", "@"])
    assert "If the first line is data, not column names, pass header=False (finloom nlp: --no-header)" in res.stderr


def _ner_table(path, docs=2):
    """Integer tags, sentence ids that restart in each document (as NER corpora ship them)."""
    ids = {"O": 0, "B-ORG": 1, "I-ORG": 2, "B-PER": 3, "I-PER": 4}
    rows = [{"document": d, "sent": s, "token": w, "label": ids[t]} for d in range(docs)
            for s, (ws, ts) in enumerate(zip(NER_TOKENS, NER_TAGS, strict=True)) for w, t in zip(ws, ts, strict=True)]
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


TAG_MAP = "0=O,1=B-ORG,2=I-ORG,3=B-PER,4=I-PER"


def test_nlp_cli_train_ner_on_integer_tags_with_document_and_sentence_ids(encoder_dir, tmp_path):
    train, valid = _ner_table(tmp_path / "train.csv"), _ner_table(tmp_path / "valid.csv", docs=1)
    out = tmp_path / "ner"
    columns = ["--group-columns", "document,sent", "--token-column", "token", "--tag-column", "label",
               "--tag-map", TAG_MAP]
    res = runner.invoke(app, ["train-ner", str(train), "--valid", str(valid), "--test", str(valid), "--out", str(out),
                              "--encoder", str(encoder_dir), "--epochs", "1", *columns])
    assert res.exit_code == 0, res.output
    result = json.loads(res.stdout)
    assert result["entity_types"] == ["ORG", "PER"]
    assert result["metrics"]["n_train"] == 6 and result["metrics"]["n_valid"] == 3  # 2 documents x 3 sentences
    assert result["metrics"]["n_test"] == 3 and (out / "ner_report.html").is_file()
    res = runner.invoke(app, ["evaluate", str(out / "model"), str(valid), "--out", str(tmp_path / "ev"), *columns])
    assert res.exit_code == 0, res.output
    assert 0.0 <= json.loads(res.stdout)["entity_f1"] <= 1.0


def test_nlp_cli_train_ner_test_size_holds_out_sentences(encoder_dir, tmp_path):
    train = _ner_table(tmp_path / "train.csv")
    res = runner.invoke(app, ["train-ner", str(train), "--test-size", "0.5", "--tag-map", TAG_MAP, "--epochs", "1",
                              "--out", str(tmp_path / "ner"), "--encoder", str(encoder_dir)])
    assert res.exit_code == 0, res.output
    metrics = json.loads(res.stdout)["metrics"]
    assert (metrics["n_train"], metrics["n_test"]) == (3, 3)  # the document column is found and joins the sentence id


def test_nlp_cli_train_ner_file_mistakes(encoder_dir, tmp_path):
    train = _ner_table(tmp_path / "train.csv")
    out = tmp_path / "never"
    cases = [
        ([], "got '0' (22 tokens), '3' (8 tokens)"),
        ([], "(CLI: --tag-map 0=O,1=B-PER,...)"),
        (["--tag-map", "0=O,1=B-ORG"], "got '3' (8 tokens), '2' (6 tokens) in train.csv. Give each of them"),
        (["--tag-map", TAG_MAP, "--group-columns", "document,snt"], "column 'snt' must exist in train.csv"),
        (["--tag-map", TAG_MAP, "--group-columns", "document,snt"], "Did you mean 'sent'?"),
        (["--tag-map", TAG_MAP, "--sentence-column", "sent", "--group-columns", "document,sent"],
         "sentence_column and group_columns must not both be given"),
        (["--tag-map", "0"], "--tag-map must be raw=name pairs separated by commas, such as '0=O,1=B-PER,2=I-PER'"),
        (["--tag-map", TAG_MAP, "--valid", str(tmp_path / "missing.csv")], "--valid must be an existing file or folder; got 'missing.csv'"),
    ]
    for extra, message in cases:
        res = runner.invoke(app, ["train-ner", str(train), "--out", str(out), "--encoder", str(encoder_dir), *extra])
        assert res.exit_code == 1, (extra, res.output)
        last = res.stderr.strip().splitlines()[-1]  # after the job's progress lines, if it got that far
        assert last.startswith("error: ") and message in last, (extra, res.stderr)
        assert not out.exists()


def test_nlp_cli_prints_progress_lines_when_not_on_a_terminal(encoder_dir, data, tmp_path):
    res = runner.invoke(app, ["train", str(data), "--mode", "finetune", "--epochs", "2", "--test-size", "0",
                              "--out", str(tmp_path / "run"), "--encoder", str(encoder_dir)])
    assert res.exit_code == 0, res.output
    # the command samples the job's progress (every line the job reported is in its log.txt)
    lines = [line for line in res.stderr.splitlines() if " training: " in line]
    assert all(re.match(r"\d\d:\d\d:\d\d training: +\d+% ", line) for line in lines), lines
    assert re.search(r"training: 100% saved model and card \(elapsed \d+s\)$", lines[-1])
    assert json.loads(res.stdout)["classes"] == ["card", "fx"]  # stdout keeps only the result


def test_nlp_cli_train_passes_the_encoder_setting_explicitly(encoder_dir, data, tmp_path, monkeypatch):
    monkeypatch.setenv("FINLOOM_ENCODER_PATH", str(encoder_dir))  # read by the CLI's settings, then passed on
    out = tmp_path / "run"
    res = runner.invoke(app, ["train", str(data), "--out", str(out), "--test-size", "0"])
    assert res.exit_code == 0, res.output
    assert json.loads((out / "model" / "encoder" / "config.json").read_text())["hidden_size"] == 32


def test_nlp_cli_robust_training_and_evaluate_robustness(encoder_dir, data, tmp_path):
    out = tmp_path / "robust"
    res = runner.invoke(app, ["train", str(data), "--out", str(out), "--encoder", str(encoder_dir), "--augment", "1",
                              "--adversarial", "fgm", "--normalize-text", "--robustness", "--test-size", "0.25"])
    assert res.exit_code == 0, res.output
    robust = json.loads(res.stdout)["metrics"]["robustness"]
    assert set(robust) == {"before", "after"} and (out / "model" / "robustness.json").is_file()
    saved = json.loads((out / "model" / "config.json").read_text())["config"]
    assert saved["params"]["correct_spelling"] and saved["spelling"]["counts"]  # --normalize-text corrects typos
    res = runner.invoke(app, ["evaluate", str(out / "model"), str(data), "--out", str(tmp_path / "ev"), "--robustness",
                              "--kinds", "case,typo_swap", "--severities", "0.2"])
    assert res.exit_code == 0, res.output
    assert "robustness: clean accuracy" in res.stderr and "typo_swap" in res.stderr
    assert json.loads(res.stdout)["robustness"]["worst_kind"] in ("case", "typo_swap")
    assert (tmp_path / "ev" / "robustness.html").is_file()
    res = runner.invoke(app, ["evaluate", str(out / "model"), str(data), "--robustness", "--severities", "lots"])
    assert res.exit_code == 1 and "--severities must be numbers separated by commas" in res.stderr
    res = runner.invoke(app, ["train", str(data), "--encoder", str(encoder_dir), "--adversarial", "fsgm"])
    assert res.exit_code == 1 and "adversarial" in res.stderr


def test_nlp_cli_explain_prints_words_scores_and_neighbours(encoder_dir, data, tmp_path):
    out = tmp_path / "run"
    assert runner.invoke(app, ["train", str(data), "--out", str(out), "--encoder", str(encoder_dir)]).exit_code == 0
    res = runner.invoke(app, ["explain", str(out / "model"), "i lost my card", "--steps", "8",
                              "--method", "integrated_gradients"])
    assert res.exit_code == 0, res.output
    assert "integrated_gradients" in res.stdout and "sum check" in res.stdout
    assert "nearest training examples" in res.stdout
    res = runner.invoke(app, ["explain", str(out / "model"), "i lost my card", "--json"])  # auto = occlusion
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["method"] == "occlusion"
    assert [w["word"] for w in json.loads(res.stdout)["words"]] == ["i", "lost", "my", "card"]
    res = runner.invoke(app, ["explain", str(out / "model"), ""])
    assert res.exit_code == 1 and "error:" in res.output and "text" in res.output
