"""``finloom nlp train|evaluate|export|predict|train-ner|tag|explain``: text classifiers and entity taggers
from the command line, on files as they come (any separator, with or without a header row)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from finloom.cli._common import handle_errors
from finloom.cli._jobs import Wait, import_input, job_folder, job_workbench, publish_dir, run_job
from finloom.cli._progress import progress_reporter
from finloom.errors import ConfigError, FinloomError

app = typer.Typer(help="Train, evaluate and run text classifiers and entity taggers on your own labels, offline.",
                  no_args_is_help=True)
console = Console()

# options shared by the commands that read files
Sep = Annotated[str | None, typer.Option(
    "--sep", help="Column separator, one character: '@' for 'sentence@label' lines, '\\t' or 'tab' for tabs. "
                  "Sniffed among , ; TAB | when omitted.")]
NoHeader = Annotated[bool, typer.Option(
    "--no-header", help="The first line is data, not column names: columns are numbered 1, 2, ...")]
Encoding = Annotated[str | None, typer.Option(help="Text encoding, e.g. latin-1; detected when omitted.")]
TextColumn = Annotated[str | None, typer.Option(help="Column with the texts [default: text, or 1 with --no-header].")]
LabelColumn = Annotated[str | None, typer.Option(
    help="Column with the labels [default: label, or 2 with --no-header].")]
LabelMap = Annotated[str | None, typer.Option(help="Rename raw labels, e.g. '0=bearish,1=bullish'.")]
TokenColumn = Annotated[str | None, typer.Option(help="Column with the tokens (token tables; found among common "
                                                      "names such as token/word when omitted).")]
TagColumn = Annotated[str | None, typer.Option(help="Column with the tags (tag/label/ner when omitted).")]
SentenceColumn = Annotated[str | None, typer.Option(help="Column with the sentence id (sentence/Sentence # ...).")]
GroupColumns = Annotated[str | None, typer.Option(
    help="Columns that together identify a sentence, e.g. 'doc,sent' when sentence ids restart in each document.")]
TagMap = Annotated[str | None, typer.Option(
    help="Name integer or other raw tags, e.g. '0=O,1=B-PER,2=I-PER'; tags not listed are kept.")]
Augment = Annotated[int, typer.Option(
    min=0, max=5, help="Train on this many perturbed copies of each text too (typos, case, emoji, punctuation, "
                       "synonyms, number and entity swaps); 0 = none.")]
Adversarial = Annotated[str | None, typer.Option(
    help="Embedding-space adversarial training: 'fgm' or 'pgd'. Frozen mode perturbs the sentence embeddings "
         "the head sees; fine-tuning perturbs the encoder's word-embedding output.")]
NormalizeText = Annotated[bool, typer.Option(
    "--normalize-text", help="Normalise input (full-width -> half-width, traditional -> simplified, emoji, "
                             "whitespace; classifiers also correct typos against the training vocabulary) "
                             "in training and prediction.")]


def _run(title: str, fn: Callable[..., dict[str, Any]], params: dict[str, Any], out: Path,
         show: Callable[[dict[str, Any]], None] | None = None) -> None:
    """Call a service job with progress on stderr and print its JSON result on stdout (and, with
    ``show``, a table of it on stderr)."""
    with progress_reporter(title) as progress:
        result = fn(params, progress, out)
    if show is not None:
        show(result)
    console.print_json(json.dumps(result, default=str))


def _run_as_job(title: str, kind: str, params: dict[str, Any], out: Path, wait: bool) -> None:
    """Run ``kind`` as a workspace job; on success copy its files into ``out`` and print its
    result (paths as published under ``out``) as JSON on stdout."""
    wb = job_workbench()
    for key, option in (("data_path", "DATA"), ("valid_path", "--valid"), ("test_path", "--test")):
        if params.get(key):
            params[key] = import_input(wb, params[key], option)
    if params.get("encoder"):
        params["encoder"] = import_input(wb, params["encoder"], "--encoder")
    job = run_job(wb, kind, params, wait=wait, title=title)
    if job is None:
        return
    publish_dir(job_folder(wb, job), out)
    result = {k: str(out / v) if k.endswith("_dir") and isinstance(v, str) else v for k, v in (job.result or {}).items()}
    console.print_json(json.dumps({**result, "job": job.id}, default=str))


def _output(out: Path, suffixes: tuple[str, ...], params: dict[str, Any]) -> Path:
    """``-o`` names a folder, or the output file itself when it ends in one of ``suffixes``
    (``-o preds.csv`` writes preds.csv, not a folder called preds.csv/); returns the folder."""
    if out.suffix.lower() in suffixes:
        params["output_name"] = out.name
        return out.parent
    return out


def _pairs(value: str | None, option: str, example: str) -> dict[str, str] | None:
    """``'0=O,1=B-PER'`` -> ``{'0': 'O', '1': 'B-PER'}``."""
    if not value:
        return None
    pairs = [item.split("=", 1) for item in value.split(",") if item.strip()]
    if not pairs or any(len(p) != 2 or not p[0].strip() or not p[1].strip() for p in pairs):
        raise ConfigError(f"{option} must be raw=name pairs separated by commas, such as '{example}'; "
                          f"got {value!r}.")
    return {k.strip(): v.strip() for k, v in pairs}


def _encoder(option: str | None) -> str | None:
    """The --encoder folder, else the configured default (``FINLOOM_ENCODER_PATH``), else None (MiniLM)."""
    from finloom.config import Settings

    configured = Settings().encoder_path
    return option or (str(configured) if configured else None)


def _text_format(sep: str | None, no_header: bool, encoding: str | None) -> dict[str, Any]:
    return {"sep": sep, "header": not no_header, "encoding": encoding}


def _columns(no_header: bool, text_column: str | None, label_column: str | None) -> dict[str, str]:
    """The text and label columns; without a header row the first and second column by default."""
    return {"text_column": text_column or ("1" if no_header else "text"),
            "label_column": label_column or ("2" if no_header else "label")}


def _token_format(sep: str | None, no_header: bool, encoding: str | None, token_column: str | None,
                  tag_column: str | None, sentence_column: str | None, group_columns: str | None,
                  tag_map: str | None) -> dict[str, Any]:
    groups = [c.strip() for c in group_columns.split(",") if c.strip()] if group_columns else None
    return {**_text_format(sep, no_header, encoding), "token_column": token_column, "tag_column": tag_column,
            "sentence_column": sentence_column, "group_columns": groups,
            "tag_map": _pairs(tag_map, "--tag-map", "0=O,1=B-PER,2=I-PER")}


@app.command()
@handle_errors
def train(
    data: Annotated[Path, typer.Argument(
        help="Texts and labels: CSV/TSV/text table (e.g. 'sentence@label' lines with --sep @ --no-header) "
             "or JSONL.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output directory.")] = Path("nlp-model"),
    text_column: TextColumn = None,
    label_column: LabelColumn = None,
    label_map: LabelMap = None,
    sep: Sep = None,
    no_header: NoHeader = False,
    encoding: Encoding = None,
    mode: Annotated[str, typer.Option(
        help="'frozen', 'finetune' or 'contrastive' (SetFit-style, for a few examples per label)."
    )] = "frozen",
    encoder: Annotated[str | None, typer.Option(help="Local HF model folder.")] = None,
    epochs: int = 4,
    max_length: int = 128,
    test_size: Annotated[float, typer.Option(
        help="Share of rows held out (stratified) for the report. 0 trains on every row: use it when your "
             "data is already split, then score the test file with 'finloom nlp evaluate'.")] = 0.2,
    augment: Augment = 0,
    adversarial: Adversarial = None,
    normalize_text: NormalizeText = False,
    robustness: Annotated[bool, typer.Option(
        "--robustness", help="Also score the held-out split under perturbations (robustness.json/html); with "
                             "--augment/--adversarial/--normalize-text a plain model is trained for comparison.")] = False,
    seed: int = 0,
    wait: Wait = True,
) -> None:
    """Fit a classifier, evaluate on a held-out split, save model, card and report (an
    'nlp.train_file' job; DATA and a local --encoder are copied into the workspace's imports)."""
    params = {"data_path": str(data), **_columns(no_header, text_column, label_column),
              **_text_format(sep, no_header, encoding), "label_map": _pairs(label_map, "--label-map", "0=bearish"),
              "test_size": test_size, "mode": mode, "encoder": encoder, "epochs": epochs,
              "max_length": max_length, "seed": seed, "name": out.name, "augment": augment,
              "adversarial": adversarial, "normalize_text": normalize_text, "robustness": robustness}
    _run_as_job("training", "nlp.train_file", params, out, wait)


@app.command()
@handle_errors
def evaluate(
    model: Annotated[Path, typer.Argument(help="Saved or exported classifier, or a tagger from train-ner.")],
    data: Annotated[Path, typer.Argument(
        help="Labelled texts as for train (classifier); tagged tokens as for train-ner (tagger).")],
    out: Annotated[Path, typer.Option("--out", "-o")] = Path("nlp-report"),
    text_column: TextColumn = None,
    label_column: LabelColumn = None,
    label_map: LabelMap = None,
    sep: Sep = None,
    no_header: NoHeader = False,
    encoding: Encoding = None,
    token_column: TokenColumn = None,
    tag_column: TagColumn = None,
    sentence_column: SentenceColumn = None,
    group_columns: GroupColumns = None,
    tag_map: TagMap = None,
    robustness: Annotated[bool, typer.Option(
        "--robustness", help="Also score the data under perturbations (typos, case, emoji, synonyms, number and "
                             "entity swaps, full-width, traditional characters ...): prints a table, writes "
                             "robustness.json and robustness.html.")] = False,
    kinds: Annotated[str | None, typer.Option(
        help="Perturbation kinds for --robustness, comma-separated (default: every label-preserving kind).")] = None,
    severities: Annotated[str, typer.Option(
        help="Severities for --robustness: shares of the words/characters touched, comma-separated.")] = "0.1,0.3",
    seed: Annotated[int, typer.Option(min=0, help="Seed of the perturbations.")] = 0,
) -> None:
    """Write report.json, report.html and misclassified.csv for a saved classifier, or
    ner_report.json/html (errors by kind, entity confusion) for a tagger; with --robustness also
    robustness.json/html (score per perturbation kind and severity, with the flipped examples)."""
    from finloom.nlp._service import evaluate_classifier_job, evaluate_tagger_job

    robust = _robust_options(robustness, kinds, severities, seed)
    if _is_tagger(model):
        fmt = _token_format(sep, no_header, encoding, token_column, tag_column, sentence_column, group_columns,
                            tag_map)
        _run("evaluating", evaluate_tagger_job, {"model_dir": str(model), "data_path": str(data), **fmt, **robust},
             out, show=_print_robustness)
        return
    params = {"model_dir": str(model), "data_path": str(data), **_columns(no_header, text_column, label_column),
              **_text_format(sep, no_header, encoding), "label_map": _pairs(label_map, "--label-map", "0=bearish"),
              **robust}
    _run("evaluating", evaluate_classifier_job, params, out, show=_print_robustness)


def _robust_options(robustness: bool, kinds: str | None, severities: str, seed: int) -> dict[str, Any]:
    """The evaluate job's robustness options from the command line's."""
    if not robustness:
        return {}
    try:
        levels = [float(x) for x in severities.split(",") if x.strip()]
    except ValueError:
        raise ConfigError(f"--severities must be numbers separated by commas, such as '0.1,0.3'; got {severities!r}.") from None
    chosen = [k.strip() for k in kinds.split(",") if k.strip()] if kinds else None
    return {"robustness": True, "kinds": chosen, "severities": levels, "seed": seed}


def _print_robustness(result: dict[str, Any]) -> None:
    """The robustness table (kind, severity, score, drop, changed, flipped) on stderr, when present."""
    from rich.table import Table

    robust = result.get("robustness")
    if not robust:
        return
    table = Table("kind", "severity", robust["metric"], "drop (points)", "changed", "flipped",
                  title=f"robustness: clean {robust['metric']} {robust['clean']:.4f}, worst kind {robust['worst_kind']}")
    for c in robust["cells"]:
        table.add_row(c["kind"], f"{c['severity']:g}", f"{c['score']:.4f}", f"{100 * c['drop']:+.1f}",
                      str(c["n_changed"]), str(c["n_flipped"]))
    Console(stderr=True).print(table)


def _is_tagger(model: Path) -> bool:
    from finloom._serialization import state_kind

    try:
        return state_kind(model) == "TokenTagger"
    except FinloomError:
        return False  # the classifier path reports what is wrong with the folder


@app.command()
@handle_errors
def export(
    model: Annotated[Path, typer.Argument(help="Saved model directory (from train).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output directory.")] = Path("nlp-onnx"),
    int8: Annotated[bool, typer.Option("--int8/--fp32", help="Quantise the encoder to int8.")] = True,
) -> None:
    """Export to ONNX Runtime for fast CPU serving (int8: about 3x torch); evaluate and predict
    take the exported folder like any model."""
    from finloom.nlp._service import export_classifier_job

    _run("exporting", export_classifier_job, {"model_dir": str(model), "int8": int8}, out)


@app.command()
@handle_errors
def predict(
    model: Annotated[Path, typer.Argument(help="Saved or exported model directory.")],
    data: Annotated[Path, typer.Argument(help="Texts: CSV/TSV/text table or JSONL.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder (predictions.csv inside), or a .csv file.")] = Path("nlp-predictions"),
    text_column: TextColumn = None,
    sep: Sep = None,
    no_header: NoHeader = False,
    encoding: Encoding = None,
    chunk_size: int = 2000,
    dask_address: Annotated[str | None, typer.Option(help="tcp://host:port of a Dask scheduler.")] = None,
) -> None:
    """Score a file in chunks; writes predictions.csv with prediction and confidence."""
    from finloom.nlp._service import predict_file_job

    params = {"model_dir": str(model), "data_path": str(data),
              "text_column": _columns(no_header, text_column, None)["text_column"],
              **_text_format(sep, no_header, encoding), "chunk_size": chunk_size, "dask_address": dask_address}
    _run("predicting", predict_file_job, params, _output(out, (".csv",), params))


@app.command("train-ner")
@handle_errors
def train_ner(
    data: Annotated[Path, typer.Argument(
        help="Tagged tokens: CoNLL (.txt/.conll), JSONL ({'tokens', 'tags'} per line) or a CSV/TSV "
             "with one row per token (sentence, token, tag columns). BIO or IO tags, or integers with --tag-map.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output directory.")] = Path("ner-model"),
    valid: Annotated[Path | None, typer.Option(
        help="Tagged file scored after each epoch to stop early and keep the best epoch (instead of 10% of "
             "DATA carved off).")] = None,
    test: Annotated[Path | None, typer.Option(help="Tagged file to score the model on (entity P/R/F1 report).")] = None,
    test_size: Annotated[float, typer.Option(
        help="Without --test, the share of sentences held out for the report. 0 (default) trains on every "
             "sentence: the setting for a prepared train/valid/test split.")] = 0.0,
    token_column: TokenColumn = None,
    tag_column: TagColumn = None,
    sentence_column: SentenceColumn = None,
    group_columns: GroupColumns = None,
    tag_map: TagMap = None,
    sep: Sep = None,
    no_header: NoHeader = False,
    encoding: Encoding = None,
    encoder: Annotated[str | None, typer.Option(help="Local HF model folder.")] = None,
    epochs: int = 5,
    learning_rate: float = 1e-4,
    scheme: Annotated[str, typer.Option(help="'auto', 'bio' or 'io' (tags the model learns).")] = "auto",
    augment: Augment = 0,
    adversarial: Adversarial = None,
    normalize_text: NormalizeText = False,
    seed: int = 0,
    wait: Wait = True,
) -> None:
    """Fine-tune a named-entity tagger; saves the model and card (and ner_report.html with --test).
    DATA, --valid and --test are read with the same column, separator and tag-map options. Runs as
    an 'nlp.train_ner_file' job; the files and a local --encoder are copied into the workspace's imports."""
    fmt = _token_format(sep, no_header, encoding, token_column, tag_column, sentence_column, group_columns, tag_map)
    params = {"data_path": str(data), "valid_path": str(valid) if valid else None,
              "test_path": str(test) if test else None, "test_size": test_size, "name": out.name, **fmt,
              "encoder": encoder, "epochs": epochs, "learning_rate": learning_rate, "scheme": scheme, "seed": seed,
              "augment": augment, "adversarial": adversarial, "normalize_text": normalize_text}
    _run_as_job("training tagger", "nlp.train_ner_file", params, out, wait)


@app.command()
@handle_errors
def tag(
    model: Annotated[Path, typer.Argument(help="Tagger directory written by train-ner (its model/ folder).")],
    data: Annotated[Path | None, typer.Argument(help="Texts: CSV/TSV/text table or JSONL.")] = None,
    text: Annotated[str | None, typer.Option("--text", "-t", help="Tag this text and print its entities.")] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder (entities.jsonl inside), or a .jsonl file.")] = Path("ner-entities"),
    text_column: TextColumn = None,
    sep: Sep = None,
    no_header: NoHeader = False,
    encoding: Encoding = None,
    chunk_size: int = 256,
    dask_address: Annotated[str | None, typer.Option(help="tcp://host:port of a Dask scheduler.")] = None,
) -> None:
    """Find entities (the model's, plus money, percentages, dates and tickers by rule): a file ->
    entities.jsonl, or one --text -> a table."""
    from finloom.nlp._service import tag_file_job

    if (data is None) == (text is None):
        got = "both" if data is not None else "neither"
        raise ConfigError(f"input must be either a DATA file or --text; got {got}. Give one of them.")
    if data is not None:
        params = {"model_dir": str(model), "data_path": str(data),
                  "text_column": _columns(no_header, text_column, None)["text_column"],
                  **_text_format(sep, no_header, encoding), "chunk_size": chunk_size, "dask_address": dask_address}
        _run("tagging", tag_file_job, params, _output(out, (".jsonl",), params))
        return
    _print_spans(model, str(text))


def _print_spans(model: Path, text: str) -> None:
    from rich.table import Table

    from finloom.nlp._tagger import TokenTagger

    spans = TokenTagger.load(model).predict_spans(text)
    table = Table("label", "text", "start", "end", "source", title=f"{len(spans)} entities")
    for s in spans:
        table.add_row(s.label, s.text, str(s.start), str(s.end), s.source)
    console.print(table)


@app.command()
@handle_errors
def explain(
    model: Annotated[Path, typer.Argument(help="Saved or exported classifier directory (its model/ folder).")],
    text: Annotated[str, typer.Argument(help="The text to explain (at most 1,000 characters).")],
    method: Annotated[str, typer.Option(
        help="auto (= occlusion, the method that met the deletion-faithfulness target), "
             "integrated_gradients or occlusion.")] = "auto",
    steps: Annotated[int, typer.Option(help="Integrated-gradient interpolation steps (4-128).")] = 32,
    neighbours: Annotated[int, typer.Option(help="Nearest training examples to show (0-20).")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Print the explanation as JSON instead.")] = False,
) -> None:
    """Why the classifier labels TEXT as it does: the text with words coloured by their
    attribution (blue: for the label, orange: against), a table of scores, the sum check and the
    nearest training examples."""
    from finloom.nlp import load_text_classifier
    from finloom.services import parse_input
    from finloom.services.explain import ExplainIn, explain_model

    body = parse_input(ExplainIn, {"text": text, "method": method, "steps": steps, "neighbours": neighbours})
    out = explain_model(load_text_classifier(model), model, body)
    if as_json:
        console.print_json(out.model_dump_json())
        return
    _print_explanation(out, body.text)


def _print_explanation(out: Any, text: str) -> None:
    from rich.table import Table
    from rich.text import Text

    top = max((abs(w.score) for w in out.words), default=0.0) or 1.0
    line, pos = Text(), 0
    for w in out.words:
        line.append(text[pos:w.start])
        strength = abs(w.score) / top
        colour = "blue" if w.score >= 0 else "dark_orange"
        line.append(w.word, style=f"bold {colour}" if strength >= 0.5 else (colour if strength >= 0.15 else "dim"))
        pos = w.end
    line.append(text[pos:])
    console.print(f"[bold]{out.label}[/bold] p={out.probability:.3f} ({out.method})", highlight=False)
    console.print(line)
    table = Table("word", "score", title="words by |attribution| (positive: for the label)")
    for w in sorted(out.words, key=lambda w: -abs(w.score))[:15]:
        table.add_row(w.word, f"[{'blue' if w.score >= 0 else 'dark_orange'}]{w.score:+.4f}[/]")
    console.print(table)
    if out.completeness is not None:
        c = out.completeness
        console.print(f"sum check: attributions {c.attribution_sum:.4f} vs p(text) - p(baseline) "
                      f"{c.expected:.4f} (gap {c.error:.4f})", highlight=False)
    for note in out.notes:
        console.print(f"note: {note}", highlight=False)
    if out.neighbours:
        near = Table("text", "label", "similarity", title="nearest training examples")
        for n in out.neighbours:
            near.add_row(n.text, n.label, f"{n.similarity:.3f}")
        console.print(near)
    elif out.neighbours_note:
        console.print(f"note: {out.neighbours_note}", highlight=False)
