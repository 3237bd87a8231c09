"""Logging set-up for every entry point (server, CLI, job workers) with personal data masked.

Messages, their arguments and exception tracebacks pass through :func:`mask_sensitive`: the
engine's checksum-validated :func:`finloom.textgen.mask_pii` (cards, ID numbers, IBANs, phones,
e-mails) plus finloom API keys.
"""

from __future__ import annotations

import logging
import re

__all__ = ["PiiMaskingFilter", "configure_logging", "mask_sensitive"]

_API_KEY = re.compile(r"\bfl_[0-9A-Za-z]{6,16}_[\w-]{8,}")
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_QUIET = ("alembic", "httpx", "distributed", "numexpr")  # chatty at INFO


def mask_sensitive(text: str) -> str:
    """Mask personal data (via :func:`finloom.textgen.mask_pii`) and API keys in ``text``.

    Examples
    --------
    >>> mask_sensitive("card 4111 1111 1111 1111, key fl_abcdef012345_secretsecretsecret")
    'card **** **** **** 1111, key [API key]'
    """
    from finloom.textgen import mask_pii

    return _API_KEY.sub("[API key]", mask_pii(text))


class PiiMaskingFilter(logging.Filter):
    """Mask the formatted message and the exception text of every record a handler emits."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: leave the record as it is
            return True
        record.msg, record.args = mask_sensitive(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_sensitive(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_sensitive(record.stack_info)
        return True


def configure_logging(level: int = logging.INFO) -> None:
    """Log to stderr at ``level`` with :class:`PiiMaskingFilter` on every root handler (idempotent).

    Examples
    --------
    >>> root = logging.getLogger(); before = root.level
    >>> configure_logging(logging.WARNING)
    >>> all(any(isinstance(f, PiiMaskingFilter) for f in h.filters) for h in root.handlers)
    True
    >>> root.setLevel(before)
    """
    root = logging.getLogger()
    if not root.handlers:
        handler: logging.Handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter(_FORMAT))
        root.addHandler(handler)
    root.setLevel(level)
    for name in _QUIET:
        logging.getLogger(name).setLevel(max(level, logging.WARNING))
    for existing in root.handlers:
        if not any(isinstance(f, PiiMaskingFilter) for f in existing.filters):
            existing.addFilter(PiiMaskingFilter())
