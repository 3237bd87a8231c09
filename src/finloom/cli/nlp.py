"""``finloom nlp train|evaluate|export|predict|train-ner|tag``: text classifiers and entity taggers
from the command line."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from finloom.errors import FinloomError

app = typer.Typer(help="Train, evaluate and run text classifiers and entity taggers on your own labels, offline.",
                  no_args_is_help=True)
console = Console()
err_console = Console(stderr=True)


@contextmanager
def _progress(title: str) -> Iterator[Callable[[float, str], None]]:
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
                  TimeElapsedColumn(), console=err_console, transient=True) as bar:
        task = bar.add_task(title, total=1.0)

        def update(fraction: float, message: str = "") -> None:
            bar.update(task, completed=fraction, description=f"{title}: {message}"[:80])

        yield update


def _run(title: str, fn: Callable[..., dict[str, Any]], params: dict[str, Any], out: Path) -> None:
    try:
        with _progress(title) as progress:
            result = fn(params, progress, out)
    except FinloomError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc
    console.print_json(json.dumps(result, default=str))


def _label_map(value: str | None) -> dict[str, str] | None:
    if not value:
        return None
    pairs = [item.split("=", 1) for item in value.split(",")]
    return {k.strip(): v.strip() for k, v in pairs}


@app.command()
def train(
    data: Annotated[Path, typer.Argument(help="CSV, TSV or JSONL file with texts and labels.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output directory.")] = Path("nlp-model"),
    text_column: str = "text",
    label_column: str = "label",
    label_map: Annotated[str | None, typer.Option(help="e.g. '0=bearish,1=bullish'.")] = None,
    mode: Annotated[str, typer.Option(
        help="'frozen', 'finetune' or 'contrastive' (SetFit-style, for a few examples per label)."
    )] = "frozen",
    encoder: Annotated[str | None, typer.Option(help="Local HF model folder.")] = None,
    epochs: int = 4,
    max_length: int = 128,
    test_size: float = 0.2,
    seed: int = 0,
) -> None:
    """Fit a classifier, evaluate on a held-out split, save model, card and report."""
    from finloom.nlp._service import train_classifier_job

    params = {"data_path": str(data), "text_column": text_column, "label_column": label_column,
              "label_map": _label_map(label_map), "test_size": test_size,
              "classifier": {"mode": mode, "encoder": encoder, "epochs": epochs,
                             "max_length": max_length, "random_state": seed}}
    _run("training", train_classifier_job, params, out)


@app.command()
def evaluate(
    model: Annotated[Path, typer.Argument(help="Saved or exported classifier, or a tagger from train-ner.")],
    data: Annotated[Path, typer.Argument(
        help="Labelled CSV, TSV or JSONL (classifier); tagged tokens as for train-ner (tagger).")],
    out: Annotated[Path, typer.Option("--out", "-o")] = Path("nlp-report"),
    text_column: str = "text",
    label_column: str = "label",
    label_map: str | None = None,
) -> None:
    """Write report.json, report.html and misclassified.csv for a saved classifier, or
    ner_report.json/html (errors by kind, entity confusion) for a tagger."""
    from finloom.nlp._service import evaluate_classifier_job, evaluate_tagger_job

    if _is_tagger(model):
        _run("evaluating", evaluate_tagger_job, {"model_dir": str(model), "data_path": str(data)}, out)
        return
    params = {"model_dir": str(model), "data_path": str(data), "text_column": text_column,
              "label_column": label_column, "label_map": _label_map(label_map)}
    _run("evaluating", evaluate_classifier_job, params, out)


def _is_tagger(model: Path) -> bool:
    from finloom._serialization import state_kind

    try:
        return state_kind(model) == "TokenTagger"
    except FinloomError:
        return False  # the classifier path reports what is wrong with the folder


@app.command()
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
def predict(
    model: Annotated[Path, typer.Argument(help="Saved or exported model directory.")],
    data: Annotated[Path, typer.Argument(help="CSV, TSV or JSONL file with texts.")],
    out: Annotated[Path, typer.Option("--out", "-o")] = Path("nlp-predictions"),
    text_column: str = "text",
    chunk_size: int = 2000,
    dask_address: Annotated[str | None, typer.Option(help="tcp://host:port of a Dask scheduler.")] = None,
) -> None:
    """Score a file in chunks; writes predictions.csv with prediction and confidence."""
    from finloom.nlp._service import predict_file_job

    params = {"model_dir": str(model), "data_path": str(data), "text_column": text_column,
              "chunk_size": chunk_size, "dask_address": dask_address}
    _run("predicting", predict_file_job, params, out)


@app.command("train-ner")
def train_ner(
    data: Annotated[Path, typer.Argument(
        help="Tagged tokens: CoNLL (.txt/.conll), JSONL ({'tokens', 'tags'} per line) or a CSV/TSV "
             "with one row per token (sentence, token, tag columns). BIO or IO tags.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output directory.")] = Path("ner-model"),
    test: Annotated[Path | None, typer.Option(help="Tagged file to score the model on (entity P/R/F1 report).")] = None,
    encoder: Annotated[str | None, typer.Option(help="Local HF model folder.")] = None,
    epochs: int = 5,
    learning_rate: float = 1e-4,
    scheme: Annotated[str, typer.Option(help="'auto', 'bio' or 'io' (tags the model learns).")] = "auto",
    seed: int = 0,
) -> None:
    """Fine-tune a named-entity tagger; saves the model and card (and ner_report.html with --test)."""
    from finloom.nlp._service import train_tagger_job

    params = {"data_path": str(data), "test_path": str(test) if test else None, "name": out.name,
              "tagger": {"encoder": encoder, "epochs": epochs, "learning_rate": learning_rate,
                         "scheme": scheme, "random_state": seed}}
    _run("training tagger", train_tagger_job, params, out)


@app.command()
def tag(
    model: Annotated[Path, typer.Argument(help="Tagger directory written by train-ner (its model/ folder).")],
    data: Annotated[Path | None, typer.Argument(help="CSV, TSV or JSONL file with texts.")] = None,
    text: Annotated[str | None, typer.Option("--text", "-t", help="Tag this text and print its entities.")] = None,
    out: Annotated[Path, typer.Option("--out", "-o")] = Path("ner-entities"),
    text_column: str = "text",
    chunk_size: int = 256,
    dask_address: Annotated[str | None, typer.Option(help="tcp://host:port of a Dask scheduler.")] = None,
) -> None:
    """Find entities (the model's, plus money, percentages, dates and tickers by rule): a file ->
    entities.jsonl, or one --text -> a table."""
    from finloom.nlp._service import tag_file_job

    if (data is None) == (text is None):
        typer.echo("error: give either a DATA file or --text, not both or neither.", err=True)
        raise typer.Exit(2)
    if data is not None:
        _run("tagging", tag_file_job, {"model_dir": str(model), "data_path": str(data), "text_column": text_column,
                                        "chunk_size": chunk_size, "dask_address": dask_address}, out)
        return
    _print_spans(model, str(text))


def _print_spans(model: Path, text: str) -> None:
    from rich.table import Table

    from finloom.nlp._tagger import TokenTagger

    try:
        spans = TokenTagger.load(model).predict_spans(text)
    except FinloomError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc
    table = Table("label", "text", "start", "end", "source", title=f"{len(spans)} entities")
    for s in spans:
        table.add_row(s.label, s.text, str(s.start), str(s.end), s.source)
    console.print(table)
