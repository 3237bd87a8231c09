"""Model pages: the list (one row per model, newest version) and a page per model with its card,
formatted metrics, lineage, licences, versions and a zip download."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from finloom.web._deps import WorkbenchDep
from finloom.web._pages import User
from finloom.web._render import render
from finloom.web._results import fmt

__all__ = ["format_metrics", "router"]

router = APIRouter(include_in_schema=False)
_CARD_FILES = ("model/MODEL_CARD.md", "MODEL_CARD.md")  # inside a model version's folder
_ROBUSTNESS_FILES = ("model/robustness.json", "robustness.json")
_HEADLINE = ("quality", "c2st_auc", "accuracy", "macro_f1", "entity_f1", "f1", "ks", "disc_score")


def format_metrics(metrics: Mapping[str, Any], *, prefix: str = "") -> list[tuple[str, str]]:
    """Flatten metrics into (name, formatted value) rows: 3 significant digits, nested keys joined.

    Examples
    --------
    >>> format_metrics({"c2st_auc": 0.6312345678901234, "n_test": 2000, "per": {"a": 0.5}})
    [('c2st_auc', '0.631'), ('n_test', '2,000'), ('per.a', '0.5')]
    """
    rows: list[tuple[str, str]] = []
    for key, value in metrics.items():
        if isinstance(value, Mapping):
            rows += format_metrics(value, prefix=f"{prefix}{key}.")
        elif isinstance(value, list):
            rows.append((f"{prefix}{key}", ", ".join(fmt(v) for v in value[:20])))
        else:
            rows.append((f"{prefix}{key}", fmt(value)))
    return rows


def _headline(metrics: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Up to three headline metrics of a model for the list page."""
    keys = [k for k in _HEADLINE if isinstance(metrics.get(k), int | float)][:3]
    return [(k, fmt(metrics[k])) for k in keys]


@router.get("/models", response_class=HTMLResponse)
def models_page(request: Request, principal: User, workbench: WorkbenchDep) -> HTMLResponse:
    latest: dict[str, Any] = {}
    counts: dict[str, int] = {}
    for info in workbench.artifacts.list():  # newest first
        latest.setdefault(info.name, info)
        counts[info.name] = counts.get(info.name, 0) + 1
    models = [{**info.to_dict(), "headline": _headline(info.manifest.get("metrics") or {}), "n_versions": counts[name]}
              for name, info in sorted(latest.items())]
    return render(request, "models.html", models=models)


def _card(path: Path) -> str:
    """The model card's Markdown, if the model folder has one."""
    for name in _CARD_FILES:
        card = path / name
        if card.is_file():
            return card.read_text(encoding="utf-8")[:20_000]
    return ""


def _robustness(path: Path) -> dict[str, Any] | None:
    """The model's robustness report (written by training with a robustness report), ready to show:
    summary, table rows and the chart as a data URI; None when the model has none or it is unreadable."""
    import base64
    import json

    from finloom.nlp.perturb import RobustnessReport

    for name in _ROBUSTNESS_FILES:
        file = path / name
        if not file.is_file():
            continue
        try:
            report = RobustnessReport.from_dict(json.loads(file.read_text(encoding="utf-8")))
        except (ValueError, KeyError, TypeError):
            return None
        kind, _ = report.worst()
        chart = base64.b64encode(report.chart_png()).decode() if report.cells else ""
        return {"metric": report.metric, "clean": fmt(report.clean), "worst": kind or "-", "rows": report.rows(),
                "chart": f"data:image/png;base64,{chart}" if chart else ""}
    return None


@router.get("/models/{name}", response_class=HTMLResponse)
def model_page(request: Request, name: str, principal: User, workbench: WorkbenchDep, version: int | None = None) -> HTMLResponse:
    info = workbench.artifacts.get(name, version)
    versions = sorted(workbench.artifacts.list(name), key=lambda v: -v.version)
    lineage = info.manifest.get("lineage") or {}
    datasets = {d.name for d in workbench.datasets.list()}
    return render(
        request, "model.html", m=info.to_dict(), metrics=format_metrics(info.manifest.get("metrics") or {}),
        lineage=[(k, fmt(v) if not isinstance(v, str) else v) for k, v in lineage.items()],
        lineage_dataset=lineage.get("dataset") if lineage.get("dataset") in datasets else None,
        card=_card(info.path), versions=[v.to_dict() for v in versions], size=_size(info.path),
        robustness=_robustness(info.path),
    )


def _size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


@router.get("/models/{name}/download")
def model_download(name: str, principal: User, workbench: WorkbenchDep, version: int | None = None) -> Response:
    """The model version's folder (weights, config, card, manifest) as a zip file."""
    info = workbench.artifacts.get(name, version)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(info.path.rglob("*")):
            if file.is_file():
                archive.write(file, file.relative_to(info.path).as_posix())
    filename = f"{info.name}-v{info.version}.zip"
    return Response(buffer.getvalue(), media_type="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
