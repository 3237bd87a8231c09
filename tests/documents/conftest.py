"""Skip OCR tests cleanly when the tesseract program is not installed."""

from __future__ import annotations

import shutil

import pytest

needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None,
    reason="tesseract-ocr is not installed (scripts/setup.sh --with-test-tools)",
)
