"""Scanner and phone-camera noise: rotation, perspective, blur, uneven light, stains, JPEG."""

from __future__ import annotations

import io
from typing import Literal

import numpy as np
from PIL import Image, ImageFilter

from finloom.errors import ConfigError

__all__ = ["NOISE_LEVELS", "NoiseLevel", "add_noise"]

NoiseLevel = Literal["none", "light", "medium", "heavy"]
NOISE_LEVELS: tuple[str, ...] = ("none", "light", "medium", "heavy")
# level -> (max rotation °, perspective share, blur radius range, light falloff, stain chance, pixel noise σ, JPEG quality range)
_SETTINGS: dict[
    str, tuple[float, float, tuple[float, float], float, float, float, tuple[int, int]]
] = {
    "light": (1.5, 0.0, (0.0, 0.4), 0.12, 0.0, 3.0, (85, 95)),
    "medium": (5.0, 0.012, (0.3, 0.9), 0.25, 0.3, 5.0, (55, 85)),
    "heavy": (5.0, 0.025, (0.7, 1.4), 0.4, 0.7, 9.0, (35, 60)),
}


def _perspective(
    image: Image.Image, share: float, rng: np.random.Generator, fill: int
) -> Image.Image:
    """Move each corner by up to ``share`` of the page size (a phone held not quite square)."""
    w, h = image.size
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], float)
    dst = src + rng.uniform(-share, share, (4, 2)) * [w, h]
    rows = []
    for (x, y), (u, v) in zip(dst, src, strict=True):  # output (x, y) -> input (u, v)
        rows += [[x, y, 1, 0, 0, 0, -u * x, -u * y], [0, 0, 0, x, y, 1, -v * x, -v * y]]
    coeffs = np.linalg.solve(np.array(rows), src.reshape(-1))
    return image.transform(
        (w, h),
        Image.Transform.PERSPECTIVE,
        tuple(coeffs),
        Image.Resampling.BILINEAR,
        fillcolor=fill,
    )


def _light_and_stains(
    arr: np.ndarray, falloff: float, stain: float, rng: np.random.Generator
) -> np.ndarray:
    h, w = arr.shape
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    angle = rng.uniform(0, 2 * np.pi)
    ramp = np.cos(angle) * xx / w + np.sin(angle) * yy / h
    ramp = (ramp - ramp.min()) / max(float(np.ptp(ramp)), 1e-6)
    out = arr.astype(np.float32) * (1.0 - falloff * ramp)
    if rng.random() < stain:
        for _ in range(int(rng.integers(1, 3))):
            cx, cy = rng.uniform(0, w), rng.uniform(0, h)
            r = rng.uniform(0.04, 0.12) * min(w, h)
            blot = np.exp(-(((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * r * r)))
            out -= rng.uniform(25, 55) * blot
    return out


def add_noise(image: Image.Image, level: str, rng: np.random.Generator) -> Image.Image:
    """``image`` (grayscale page) as a scanner or phone would return it at noise ``level``.

    Examples
    --------
    >>> page = Image.new("L", (200, 300), 255)
    >>> add_noise(page, "none", np.random.default_rng(0)) is page
    True
    >>> add_noise(page, "medium", np.random.default_rng(0)).mode
    'L'
    """
    if level not in NOISE_LEVELS:
        raise ConfigError(
            f"noise must be one of {', '.join(NOISE_LEVELS)}; got {level!r}. Use 'medium' (the default)."
        )
    if level == "none":
        return image
    angle, persp, blur, falloff, stain, sigma, quality = _SETTINGS[level]
    paper = int(rng.integers(225, 250))
    image = image.point(lambda v: v * paper // 255)
    if persp:
        image = _perspective(image, persp, rng, paper)
    image = image.rotate(
        float(rng.uniform(-angle, angle)), Image.Resampling.BICUBIC, expand=True, fillcolor=paper
    )
    radius = float(rng.uniform(*blur))
    if radius > 0.05:
        image = image.filter(ImageFilter.GaussianBlur(radius))
    arr = _light_and_stains(np.asarray(image), falloff, stain, rng)
    arr += rng.normal(0, sigma, arr.shape)
    image = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "L")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=int(rng.integers(*quality)))
    return Image.open(io.BytesIO(buffer.getvalue())).convert("L")
