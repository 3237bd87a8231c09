"""Documents engine: synthetic document images, OCR, layout-aware field extraction and cross-checks."""

from finloom.documents._crosscheck import (
    FRAUD_CHECKS,
    CheckOptions,
    Declared,
    Finding,
    check_document,
    name_similarity,
)
from finloom.documents._draw import draw_evidence
from finloom.documents._extract import ExtractedField, Extraction, extract_fields, read_page
from finloom.documents._generator import (
    FRAUD_VARIANTS,
    GeneratedDocument,
    generate_document,
    generate_documents,
)
from finloom.documents._noise import NOISE_LEVELS, add_noise
from finloom.documents._ocr import (
    DocumentLimits,
    OcrWord,
    UnreadableDocumentError,
    check_tesseract,
    load_pages,
)
from finloom.documents._templates import DOC_TYPES, LANGS

__all__ = [
    "DOC_TYPES",
    "FRAUD_CHECKS",
    "FRAUD_VARIANTS",
    "LANGS",
    "NOISE_LEVELS",
    "CheckOptions",
    "Declared",
    "DocumentLimits",
    "ExtractedField",
    "Extraction",
    "Finding",
    "GeneratedDocument",
    "OcrWord",
    "UnreadableDocumentError",
    "add_noise",
    "check_document",
    "check_tesseract",
    "draw_evidence",
    "extract_fields",
    "generate_document",
    "generate_documents",
    "load_pages",
    "name_similarity",
    "read_page",
]
