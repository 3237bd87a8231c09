"""Logging set-up with PII masking: card numbers, IBANs, e-mails, phone and ID numbers never reach logs."""

from __future__ import annotations

import logging
import re

__all__ = ["PiiMaskingFilter", "configure_logging", "mask_pii_basic"]

_LABELS = {"iban": "[IBAN]", "cn_id": "[ID]", "card": "[CARD]", "email": "[EMAIL]", "phone": "[PHONE]",
           "ssn": "[SSN]", "account": "[ACCOUNT]"}
_API_KEY = re.compile(r"\bfl_[0-9a-f]{12}_[\w-]{20,}")


def mask_pii_basic(text: str) -> str:
    """Replace card numbers, IBANs, ID numbers, e-mails, phone numbers (look-alikes too, via the
    one masker :func:`finloom.textgen.mask_pii`) and API keys.

    Examples
    --------
    >>> mask_pii_basic("card 4111 1111 1111 1111, mail ana@example.com")
    'card [CARD], mail [EMAIL]'
    """
    from finloom.textgen._pii import mask_pii

    return _API_KEY.sub("[API_KEY]", mask_pii(text, validate=False, labels=_LABELS))


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
