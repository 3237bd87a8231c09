"""Pictures of image sets: a grid with one row per class as PNG, and a zip of one PNG per image."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from finloom._io import atomic_write_bytes
from finloom._optional import require
from finloom.synth.images._data import ImageData

__all__ = ["image_grid", "png_bytes", "write_pngs_zip"]

_CELL = 48  # smallest shown side of one image in a grid, in pixels (small images are enlarged)
_GAP = 2


def _to_pil(image: np.ndarray) -> Any:
    """One (C, H, W) image in [0, 1] as a PIL image (L or RGB)."""
    pil = require("PIL.Image", feature="writing images")
    pixels = np.clip(np.rint(image * 255.0), 0, 255).astype(np.uint8)
    return (
        pil.fromarray(pixels[0], mode="L")
        if pixels.shape[0] == 1
        else pil.fromarray(pixels.transpose(1, 2, 0), mode="RGB")
    )


def image_grid(data: ImageData, *, per_class: int = 8) -> Any:
    """A PIL image: one row per class (in class order) of up to ``per_class`` images, enlarged when small.

    Examples
    --------
    >>> from finloom.synth.images import as_image_data
    >>> grid = image_grid(as_image_data(np.zeros((6, 8, 8)), labels=[0, 1, 2] * 2), per_class=2)
    >>> grid.size, grid.mode
    ((102, 152), 'L')
    """
    pil = require("PIL.Image", feature="writing images")
    channels, side, _ = data.shape
    scale = max(1, -(-_CELL // side))
    cell = side * scale
    rows = [np.flatnonzero(data.labels == k)[:per_class] for k in range(len(data.classes))]
    mode = "L" if channels == 1 else "RGB"
    width = per_class * cell + (per_class + 1) * _GAP
    height = len(rows) * cell + (len(rows) + 1) * _GAP
    grid = pil.new(mode, (width, height), color=255 if mode == "L" else (255, 255, 255))
    for r, idx in enumerate(rows):
        for c, i in enumerate(idx):
            tile = _to_pil(data.images[i]).resize(
                (cell, cell), resample=0
            )  # nearest: keep pixels sharp
            grid.paste(tile, (_GAP + c * (cell + _GAP), _GAP + r * (cell + _GAP)))
    return grid


def png_bytes(image: Any) -> bytes:
    """A PIL image encoded as PNG bytes.

    Examples
    --------
    >>> from PIL import Image
    >>> png_bytes(Image.new("L", (2, 2)))[:4]
    b'\\x89PNG'
    """
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


def write_pngs_zip(data: ImageData, path: str | os.PathLike[str]) -> Path:
    """Write every image as ``<class>/<index>.png`` into the zip ``path`` (written whole, then renamed).

    Examples
    --------
    >>> import tempfile
    >>> from finloom.synth.images import as_image_data
    >>> p = write_pngs_zip(as_image_data(np.zeros((2, 8, 8)), labels=["a", "b"]), tempfile.mkdtemp() + "/s.zip")
    >>> sorted(zipfile.ZipFile(p).namelist())
    ['a/00000.png', 'b/00001.png']
    """
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for i, (image, label) in enumerate(zip(data.images, data.labels, strict=True)):
            zf.writestr(f"{data.classes[int(label)]}/{i:05d}.png", png_bytes(_to_pil(image)))
    return atomic_write_bytes(path, buf.getvalue())
