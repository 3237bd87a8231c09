"""Reading pages: generator → OCR round trip on clean pages, and bad input → one clear error."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from finloom.documents import (
    DOC_TYPES,
    DocumentLimits,
    UnreadableDocumentError,
    check_document,
    generate_document,
    load_pages,
    read_page,
)
from finloom.errors import PayloadTooLargeError
from tests.documents._pdf import locked_pdf
from tests.documents.conftest import needs_tesseract


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _huge_png(width: int, height: int) -> bytes:
    """A PNG whose header claims width x height pixels (the data is never decoded)."""
    data = bytearray(_png(Image.new("L", (8, 8), 255)))
    ihdr = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return bytes(data)


@needs_tesseract
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_read_page_round_trip_on_clean_pages(lang):
    wrong, total = {}, 0
    for i, doc_type in enumerate(DOC_TYPES):
        doc = generate_document(doc_type, lang, noise="none", seed=100 + i)
        ex = read_page(doc.image, lang)
        assert ex.doc_type == doc_type
        wrong |= {
            f"{doc_type}.{k}": (v, ex.values().get(k))
            for k, v in doc.truth["fields"].items()
            if ex.values().get(k) != v
        }
        total += len(doc.truth["fields"])
    assert len(wrong) <= (0 if lang == "en" else 2), (
        wrong
    )  # Chinese OCR may misread a rare character
    assert total >= 30


@needs_tesseract
def test_read_page_finds_planted_fraud_with_evidence_box():
    doc = generate_document("payslip", "en", noise="light", fraud="edited_amount", seed=7)
    from finloom.documents import Declared

    findings = check_document(read_page(doc.image, "en"), Declared.from_dict(doc.truth["declared"]))
    checks = {f.check: f for f in findings}
    assert "totals_mismatch" in checks and checks["totals_mismatch"].boxes


@needs_tesseract
def test_read_page_on_a_page_without_text_gives_an_empty_result_with_a_reason():
    ex = read_page(Image.new("L", (600, 800), 255), "en")
    assert ex.doc_type is None and ex.fields == {}
    assert ex.notes == ["no text was found on the page"]
    assert [f.check for f in check_document(ex)] == ["unreadable"]


def test_load_pages_refuses_an_empty_file():
    with pytest.raises(
        UnreadableDocumentError, match="must be a non-empty image or PDF; got 0 bytes"
    ):
        load_pages(b"", name="scan.png")


def test_load_pages_refuses_a_corrupt_png():
    with pytest.raises(UnreadableDocumentError, match="scan.png must be a readable image"):
        load_pages(b"\x89PNG\r\n\x1a\n" + b"garbage" * 20, name="scan.png")


def test_load_pages_refuses_a_100_megapixel_image_before_decoding_it():
    with pytest.raises(
        PayloadTooLargeError, match="must have at most 40,000,000 pixels; got 10000x10000"
    ):
        load_pages(_huge_png(10_000, 10_000), name="scan.png")
    assert load_pages(_png(Image.new("L", (30, 20))), limits=DocumentLimits(max_pixels=600))[
        0
    ].size == (30, 20)


def test_load_pages_refuses_a_pdf_with_500_pages():
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    for _ in range(500):
        pdf.new_page(100, 100)
    buffer = io.BytesIO()
    pdf.save(buffer)
    with pytest.raises(PayloadTooLargeError, match="must have at most 20 pages; got 500"):
        load_pages(buffer.getvalue(), name="big.pdf")


def test_load_pages_refuses_a_password_protected_pdf():
    with pytest.raises(
        UnreadableDocumentError, match="must be a PDF without a password; got a password-protected"
    ):
        load_pages(locked_pdf(), name="locked.pdf")


def test_load_pages_reads_a_generated_pdf():
    doc = generate_document("id_card", "en", noise="none", seed=1)
    buffer = io.BytesIO()
    doc.image.save(buffer, "PDF", resolution=200.0)
    pages = load_pages(buffer.getvalue(), limits=DocumentLimits(pdf_dpi=200))
    assert len(pages) == 1 and abs(pages[0].width - doc.image.width) <= 2
