"""Job functions that fit image synthesizers and sample from saved ones, and the per-class sample grid."""

from __future__ import annotations

import time
from typing import Any

from finloom.apps.image_synth.schemas import ImageFitParams, ImageSampleParams, resolve_source
from finloom.jobs import JobContext

__all__ = ["fit_job", "grid_png", "sample_job"]


def _scaled(progress: Any, start: float, end: float) -> Any:
    def report(fraction: float, message: str = "") -> None:
        progress(start + (end - start) * min(max(fraction, 0.0), 1.0), message)

    return report


def grid_png(synth: Any, *, per_class: int = 8, seed: int = 0) -> bytes:
    """PNG bytes of a grid with one row of ``per_class`` samples per class of a fitted image synthesizer.

    Examples
    --------
    >>> from finloom.synth.images import fit_image_synthesizer, load_digits
    >>> synth = fit_image_synthesizer(load_digits(), model="vae", params={"epochs": 1})
    >>> grid_png(synth, per_class=2)[:4]
    b'\\x89PNG'
    """
    from finloom.synth.images import image_grid, png_bytes

    labels = [c for c in synth.classes_ for _ in range(per_class)]
    return png_bytes(
        image_grid(synth.sample(len(labels), labels=labels, random_state=seed), per_class=per_class)
    )


def fit_job(ctx: JobContext, p: ImageFitParams) -> dict[str, Any]:
    """Read the images, fit the synthesizer, write ``grid.png`` (a row per class), save the model last."""
    from finloom._io import atomic_write_bytes
    from finloom.synth.images import fit_image_synthesizer, read_image_source

    source = resolve_source(ctx, p.source)
    ctx.progress(0.01, f"reading images from {p.source}")
    data = read_image_source(source, image_size=p.image_size, max_pixels=p.max_pixels)
    ctx.progress(
        0.03,
        f"fitting {p.model} on {data.n} images {data.shape[1]}x{data.shape[2]}, {len(data.classes)} classes",
    )
    start = time.perf_counter()
    synth = fit_image_synthesizer(
        data,
        model=p.model,
        params=dict(p.params),
        random_state=p.seed,
        progress=_scaled(ctx.progress, 0.03, 0.93),
    )
    seconds = time.perf_counter() - start
    ctx.progress(0.94, "drawing the sample grid")
    atomic_write_bytes(
        ctx.output_dir() / "grid.png", grid_png(synth, per_class=p.per_class, seed=p.seed)
    )
    metrics = {
        "images": data.n,
        "classes": len(data.classes),
        "fit_seconds": round(seconds, 2),
        "final_loss": synth.loss_history_[-1] if synth.loss_history_ else None,
    }
    saved = ctx.artifacts().save(
        p.model_name(),
        synth,
        metrics=metrics,
        job_id=ctx.job_id,
        created_by=ctx.created_by,
        lineage={
            "source": p.source if p.source in ("digits", "mnist") else "upload",
            "images": data.n,
            "image_shape": list(data.shape),
            "classes": list(data.classes),
        },
        description=f"{type(synth).__name__} fitted on {data.n} images ({p.source if p.source in ('digits', 'mnist') else 'upload'})",
    )
    return {
        "model": saved.name,
        "version": saved.version,
        "kind": type(synth).__name__,
        "images": data.n,
        "image_shape": list(data.shape),
        "classes": list(data.classes),
        "fit_seconds": round(seconds, 2),
        "grid": "grid.png",
    }


def sample_job(ctx: JobContext, p: ImageSampleParams) -> dict[str, Any]:
    """Draw ``n`` images into ``samples.zip`` (one PNG per image, in class folders) and ``grid.png``."""
    from finloom._io import atomic_write_bytes
    from finloom.synth.images import write_pngs_zip

    synth = ctx.artifacts().load(p.model, p.version)
    labels = [p.labels[i % len(p.labels)] for i in range(p.n)] if p.labels else None
    start = time.perf_counter()
    data = synth.sample(
        p.n, labels=labels, random_state=p.seed, progress=_scaled(ctx.progress, 0.0, 0.9)
    )
    seconds = time.perf_counter() - start
    out = ctx.output_dir()
    write_pngs_zip(data, out / "samples.zip")
    atomic_write_bytes(out / "grid.png", grid_png(synth, per_class=p.per_class, seed=p.seed))
    return {
        "images": data.n,
        "image_shape": list(data.shape),
        "classes": list(data.classes),
        "seconds": round(seconds, 3),
        "images_per_s": round(data.n / seconds, 1) if seconds > 0 else None,
        "files": ["samples.zip", "grid.png"],
    }
