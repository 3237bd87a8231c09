"""Read pages: load images and PDFs within limits, deskew and clean them, OCR words with boxes.

Tesseract (Debian ``tesseract-ocr``, ``-eng``, ``-chi-sim``) runs through ``pytesseract``'s
``image_to_data``, so every word keeps its box, line and confidence; PDFs are rasterised with
``pypdfium2``. Limits (bytes, pixels, pages) are checked before any decoding work.
"""

from __future__ import annotations

import io
import shutil
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter, ImageOps

from finloom.errors import (
    FinloomError,
    InvalidDataError,
    MissingDependencyError,
    PayloadTooLargeError,
)

__all__ = [
    "DocumentLimits",
    "OcrWord",
    "UnreadableDocumentError",
    "check_tesseract",
    "deskew",
    "load_pages",
    "ocr_words",
    "prepare",
]

_TESS_LANG = {"en": "eng", "zh": "chi_sim"}


@dataclass(frozen=True)
class DocumentLimits:
    """Limits on what a reader accepts: file size, pixels per page, pages per PDF, PDF render dpi."""

    max_bytes: int = 50_000_000
    max_pixels: int = 40_000_000  # per page (a 300 dpi A3 page is ~17 MP)
    max_pages: int = 20
    pdf_dpi: int = 200


@dataclass(frozen=True)
class OcrWord:
    """One word read by OCR: text, confidence in [0, 1] and box ``(x0, y0, x1, y1)`` in page pixels."""

    text: str
    conf: float
    box: tuple[int, int, int, int]
    anchor: int = -1  # x0 of the OCR word a split-out character came from (keeps reading order)

    @property
    def height(self) -> int:
        """The box height in pixels."""
        return self.box[3] - self.box[1]


class UnreadableDocumentError(InvalidDataError):
    """A file that is empty, corrupt, too large, locked by a password or of an unknown format."""


def check_tesseract() -> str:
    """The Tesseract version, or a clear error naming the Debian packages to install.

    Examples
    --------
    >>> check_tesseract().split(".")[0].isdigit()
    True
    """
    if shutil.which("tesseract") is None:
        raise MissingDependencyError(
            "OCR must have the tesseract program; got none on PATH. Install the Debian packages tesseract-ocr "
            "tesseract-ocr-eng tesseract-ocr-chi-sim (scripts/setup.sh --with-test-tools does)."
        )
    import pytesseract

    return str(pytesseract.get_tesseract_version())


def _check_pixels(width: int, height: int, limits: DocumentLimits, what: str) -> None:
    if width * height > limits.max_pixels:
        raise PayloadTooLargeError(
            f"{what} must have at most {limits.max_pixels:,} pixels; got {width}x{height} = {width * height:,}. "
            "Scan at 200-300 dpi or raise the pixel limit."
        )


def _pdf_pages(data: bytes, limits: DocumentLimits, name: str) -> list[Image.Image]:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise UnreadableDocumentError(
                f"{name} must be a PDF without a password; got a password-protected PDF. "
                "Save an unlocked copy and upload that."
            ) from None
        raise UnreadableDocumentError(
            f"{name} must be a readable PDF; got a damaged file ({exc}). Export the PDF again."
        ) from None
    try:
        if len(pdf) > limits.max_pages:
            raise PayloadTooLargeError(
                f"{name} must have at most {limits.max_pages} pages; got {len(pdf)}. "
                "Split the PDF or raise the page limit."
            )
        if len(pdf) == 0:
            raise UnreadableDocumentError(
                f"{name} must have at least one page; got an empty PDF. Upload another file."
            )
        pages: list[Image.Image] = []
        for page in pdf:
            w, h = (v * limits.pdf_dpi / 72 for v in page.get_size())
            _check_pixels(int(w), int(h), limits, f"{name} page {len(pages) + 1}")
            pages.append(page.render(scale=limits.pdf_dpi / 72).to_pil().convert("L"))
        return pages
    finally:
        pdf.close()


def load_pages(
    source: str | Path | bytes, *, name: str = "document", limits: DocumentLimits | None = None
) -> list[Image.Image]:
    """The pages of an image file (PNG, JPEG, TIFF, ...) or PDF as grayscale images, within ``limits``.

    Raises a :class:`FinloomError` with one clear message for an empty, corrupt, oversized or
    password-protected file; nothing is decoded before its size is known.

    Examples
    --------
    >>> buffer = io.BytesIO(); Image.new("RGB", (40, 30), "white").save(buffer, "PNG")
    >>> [p.size for p in load_pages(buffer.getvalue())]
    [(40, 30)]
    >>> load_pages(b"")
    Traceback (most recent call last):
    ...
    finloom.documents._ocr.UnreadableDocumentError: document must be a non-empty image or PDF; got 0 bytes. Upload the file again.
    """
    limits = limits or DocumentLimits()
    data = Path(source).read_bytes() if isinstance(source, (str, Path)) else source
    if not data:
        raise UnreadableDocumentError(
            f"{name} must be a non-empty image or PDF; got 0 bytes. Upload the file again."
        )
    if len(data) > limits.max_bytes:
        raise PayloadTooLargeError(
            f"{name} must be at most {limits.max_bytes:,} bytes; got {len(data):,}. "
            "Upload a smaller file or raise the size limit."
        )
    if data[:5] == b"%PDF-":
        return _pdf_pages(data, limits, name)
    try:
        with (
            warnings.catch_warnings()
        ):  # the pixel limit below is ours (configurable), not Pillow's
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
        _check_pixels(image.width, image.height, limits, name)
        pages = []
        for i in range(min(getattr(image, "n_frames", 1), limits.max_pages + 1)):
            image.seek(i)
            pages.append(ImageOps.exif_transpose(image).convert("L"))
    except Image.DecompressionBombError:
        raise PayloadTooLargeError(
            f"{name} must have at most {limits.max_pixels:,} pixels; got far more. "
            "Scan at 200-300 dpi."
        ) from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise UnreadableDocumentError(
            f"{name} must be a readable image (PNG, JPEG, TIFF) or PDF; got an unreadable "
            f"file ({type(exc).__name__}). Check the file or export it again."
        ) from None
    if len(pages) > limits.max_pages:
        raise PayloadTooLargeError(
            f"{name} must have at most {limits.max_pages} pages; got more. Split the file."
        )
    return pages


def _ink(image: Image.Image, width: int) -> np.ndarray:
    small = image.resize(
        (width, max(1, round(image.height * width / image.width))), Image.Resampling.BILINEAR
    )
    arr = np.asarray(small, dtype=np.float32)
    return (arr < min(float(arr.mean()) - 40.0, 160.0)).astype(np.uint8) * 255


def _profile_score(ink: Image.Image, angle: float) -> float:
    rows = np.asarray(ink.rotate(angle, Image.Resampling.NEAREST), dtype=np.float32).sum(axis=1)
    return float(np.square(np.diff(rows)).sum())


def deskew(image: Image.Image, *, max_angle: float = 8.0) -> tuple[Image.Image, float]:
    """``image`` rotated so its text lines are horizontal, and the angle used (degrees).

    The angle maximises the sharpness of the row ink profile, first on a coarse grid, then finer.

    Examples
    --------
    >>> page = Image.new("L", (300, 200), 255)
    >>> deskew(page)[1]
    0.0
    """
    ink = Image.fromarray(_ink(image, 500))
    if not np.asarray(ink).any():
        return image, 0.0
    best = max(
        np.arange(-max_angle, max_angle + 0.01, 0.5), key=lambda a: _profile_score(ink, float(a))
    )
    best = max(np.arange(best - 0.4, best + 0.41, 0.1), key=lambda a: _profile_score(ink, float(a)))
    angle = round(float(best), 2)
    if abs(angle) < 0.05:
        return image, 0.0
    return image.rotate(angle, Image.Resampling.BICUBIC, expand=True, fillcolor=255), angle


def prepare(image: Image.Image, *, threshold: float = 0.72) -> tuple[Image.Image, float]:
    """The page cleaned for OCR (uneven light flattened, binarised at ``threshold`` of the local
    background, so grain and watermarks drop out; deskewed) and its deskew angle.

    Examples
    --------
    >>> prepare(Image.new("L", (120, 80), 200))[0].size
    (120, 80)
    """
    gray = image.convert("L")
    background = gray.filter(ImageFilter.MaxFilter(9)).filter(ImageFilter.GaussianBlur(15))
    arr = np.asarray(gray, np.float32) / np.maximum(np.asarray(background, np.float32), 1.0) * 255.0
    flat = Image.fromarray(np.where(arr < threshold * 255.0, 0, 255).astype(np.uint8), "L")
    return deskew(flat)


def ocr_words(
    image: Image.Image, lang: str = "en", *, psm: int = 6, timeout: float = 60.0
) -> list[OcrWord]:
    """Words on ``image`` with boxes and confidences, read by Tesseract in ``lang`` ("en" or "zh").

    Examples
    --------
    >>> from PIL import ImageDraw
    >>> from finloom.documents._fonts import font
    >>> page = Image.new("L", (400, 80), 255)
    >>> ImageDraw.Draw(page).text((10, 20), "Net pay 1,250.00", fill=0, font=font("sans", 28))
    >>> [w.text for w in ocr_words(page)]
    ['Net', 'pay', '1,250.00']
    """
    check_tesseract()
    import pytesseract

    try:
        data = pytesseract.image_to_data(
            image,
            lang=_TESS_LANG.get(lang, lang),
            config=f"--psm {psm}",
            output_type=pytesseract.Output.DICT,
            timeout=timeout,
        )
    except RuntimeError as exc:  # pytesseract's timeout, or TesseractError (a RuntimeError too)
        if "timeout" in str(exc).lower():
            raise FinloomError(
                f"OCR must finish within {timeout:.0f} s per page; got a timeout. Send a smaller or cleaner page."
            ) from None
        raise FinloomError(
            f"OCR must read the page; got a Tesseract error ({str(exc)[:200]}). Check the image or the "
            "tesseract-ocr installation."
        ) from None
    words = []
    for text, conf, x, y, w, h in zip(
        data["text"],
        data["conf"],
        data["left"],
        data["top"],
        data["width"],
        data["height"],
        strict=True,
    ):
        if text.strip() and float(conf) >= 0:
            words.append(OcrWord(text.strip(), round(float(conf) / 100.0, 3), (x, y, x + w, y + h)))
    return words
