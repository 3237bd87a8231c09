"""Document review: read uploaded pages, extract fields, check them against declared data; generate samples.

The job functions write into the job's output folder: ``results.json`` and one annotated PNG per
page for ``documents.check``; images (or PDFs), ground-truth JSON and ``manifest.json`` for
``documents.generate``.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from finloom.apps.documents.schemas import DeclaredIn, DocumentCheckParams, DocumentGenerateParams
from finloom.errors import FinloomError
from finloom.jobs import JobContext

__all__ = ["RESULTS_FILE", "check_job", "generate_job", "review_file"]

RESULTS_FILE = "results.json"


def _declared(body: DeclaredIn) -> Any:
    from finloom.documents import Declared

    return Declared(
        name=body.name,
        monthly_income=body.monthly_income,
        id_number=body.id_number,
        as_of=body.as_of or dt.date.today(),
    )


def review_file(
    path: Path, params: DocumentCheckParams, out: Path, *, label: str
) -> list[dict[str, Any]]:
    """Read, check and annotate every page of one file; one JSON-ready record per page (or one with
    the reason the file could not be read).

    Examples
    --------
    >>> import tempfile
    >>> from finloom.documents import generate_document
    >>> folder = Path(tempfile.mkdtemp()); doc = generate_document("id_card", "en", noise="none", seed=1)
    >>> doc.image.save(folder / "card.png")
    >>> rec = review_file(folder / "card.png", DocumentCheckParams(files=["card.png"]), folder, label="card")[0]
    >>> rec["doc_type"], rec["image"]
    ('id_card', 'card-p1.png')
    """
    from finloom.documents import (
        CheckOptions,
        DocumentLimits,
        check_document,
        draw_evidence,
        load_pages,
        read_page,
    )

    limits = DocumentLimits(max_pages=params.max_pages, max_pixels=int(params.max_megapixels * 1e6))
    options = CheckOptions(
        income_tolerance=params.income_tolerance, max_age_days=params.max_age_days
    )
    try:
        pages = load_pages(path, name=path.name, limits=limits)
    except FinloomError as exc:
        return [{"file": path.name, "page": None, "error": exc.message, "findings": []}]
    records = []
    for number, page in enumerate(pages, start=1):
        try:
            ex = read_page(page, params.lang, doc_type=params.doc_type)
        except FinloomError as exc:  # this page only: the others are still read
            records.append(
                {"file": path.name, "page": number, "error": exc.message, "findings": []}
            )
            continue
        findings = check_document(ex, _declared(params.declared), options)
        image = f"{label}-p{number}.png"
        draw_evidence(ex, findings).save(out / image)
        records.append(
            {
                "file": path.name,
                "page": number,
                "image": image,
                **ex.to_dict(),
                "findings": [f.to_dict() for f in findings],
            }
        )
    return records


def check_job(ctx: JobContext, p: DocumentCheckParams) -> dict[str, Any]:
    """Job ``documents.check``: every file's pages read and checked; ``results.json`` + annotated pages."""
    from finloom.documents import FRAUD_CHECKS, check_tesseract

    check_tesseract()
    out = ctx.output_dir()
    records: list[dict[str, Any]] = []
    for i, name in enumerate(p.files):
        ctx.progress(i / len(p.files), f"reading {Path(name).name}")
        records += review_file(
            ctx.resolve_import(name, f"files[{i}]"), p, out, label=f"{i + 1:03d}"
        )
    flagged = sum(any(f["check"] in FRAUD_CHECKS for f in r["findings"]) for r in records)
    summary = {
        "files": len(p.files),
        "pages": sum(r.get("page") is not None for r in records),
        "unreadable": sum("error" in r for r in records),
        "pages_flagged": flagged,
        "findings": sum(len(r["findings"]) for r in records),
    }
    (out / RESULTS_FILE).write_text(
        json.dumps({"summary": summary, "pages": records}, ensure_ascii=False, indent=1),
        encoding="utf-8",
    )
    ctx.progress(1.0, f"{summary['pages']} pages read, {flagged} flagged")
    return summary


def generate_job(ctx: JobContext, p: DocumentGenerateParams) -> dict[str, Any]:
    """Job ``documents.generate``: ``doc-0001.png`` (or ``.pdf``) + ``doc-0001.json`` ... + ``manifest.json``."""
    from finloom.documents import generate_documents

    out = ctx.output_dir()
    manifest = []
    for i in range(p.n):
        doc = generate_documents(
            1,
            lang=p.lang,
            doc_types=(p.doc_types[i % len(p.doc_types)],),
            noise=p.noise,
            fraud_rate=p.fraud_rate,
            dpi=p.dpi,
            seed=p.seed + i,
        )[0]
        stem = f"doc-{i + 1:04d}"
        if p.format == "pdf":
            doc.image.save(out / f"{stem}.pdf", "PDF", resolution=float(p.dpi))
        else:
            doc.image.save(out / f"{stem}.png", dpi=(p.dpi, p.dpi))
        truth = {k: v for k, v in doc.truth.items() if k != "clean_boxes"}
        (out / f"{stem}.json").write_text(
            json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        manifest.append(
            {
                "file": f"{stem}.{p.format}",
                "truth": f"{stem}.json",
                "doc_type": truth["doc_type"],
                "fraud": truth["fraud"],
            }
        )
        ctx.progress((i + 1) / p.n, f"{i + 1}/{p.n} documents")
    (out / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return {
        "documents": p.n,
        "frauds": sum(m["fraud"] is not None for m in manifest),
        "format": p.format,
    }
