"""Logging set-up with PII masking: card numbers, IBANs, e-mails, phone and ID numbers never reach logs."""

from __future__ import annotations

import logging
import re

__all__ = ["PiiMaskingFilter", "configure_logging", "mask_pii_basic"]

_PATTERNS = [
    (re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?\b"), "[IBAN]"),
    (re.compile(r"\b\d{17}[\dXx]\b"), "[ID]"),  # PRC resident identity number
    (re.compile(r"\b(?:\d[ -]?){13,19}\b"), "[CARD]"),
    (re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"), "[EMAIL]"),
    (re.compile(r"(?<!\w)\+?\d[\d -]{7,}\d\b"), "[PHONE]"),
    (re.compile(r"\bfl_[0-9a-f]{12}_[\w-]{20,}"), "[API_KEY]"),
]


def mask_pii_basic(text: str) -> str:
    """Replace card numbers, IBANs, ID numbers, e-mails, phone numbers and API keys.

    Examples
    --------
    >>> mask_pii_basic("card 4111 1111 1111 1111, mail ana@example.com")
    'card [CARD], mail [EMAIL]'
    """
    for pattern, label in _PATTERNS:
        text = pattern.sub(label, text)
    return text


class PiiMaskingFilter(logging.Filter):
    """A logging filter that masks PII in the formatted message and its arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            return True
        record.msg = mask_pii_basic(message)
        record.args = None
        return True


def configure_logging(level: int = logging.INFO) -> None:
    """Log to stderr with PII masking on every handler of the root logger."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, PiiMaskingFilter) for f in handler.filters):
            handler.addFilter(PiiMaskingFilter())
