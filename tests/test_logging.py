"""Logging masks personal data and API keys in messages, arguments and tracebacks (one masker)."""

from __future__ import annotations

import io
import logging

import pytest

from finloom._logging import PiiMaskingFilter, configure_logging, mask_sensitive
from finloom.textgen import mask_pii

CARD = "4111 1111 1111 1111"
KEY = "fl_0a1b2c3d4e5f_" + "s" * 40


@pytest.fixture
def captured():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(PiiMaskingFilter())
    logger = logging.getLogger("finloom.test-logging")
    logger.addHandler(handler)
    logger.propagate = False
    yield logger, stream
    logger.removeHandler(handler)


def test_messages_and_arguments_are_masked(captured):
    logger, stream = captured
    logger.warning("card %s for %s used key %s", CARD, "ana.lopez@example.com", KEY)
    out = stream.getvalue()
    assert CARD not in out and "ana.lopez" not in out and KEY not in out
    assert "**** **** **** 1111" in out and "a***@example.com" in out and "[API key]" in out


def test_tracebacks_are_masked(captured):
    logger, stream = captured
    try:
        raise RuntimeError(f"declined card {CARD}")
    except RuntimeError:
        logger.exception("job failed")
    out = stream.getvalue()
    assert "Traceback" in out and "RuntimeError: declined card **** **** **** 1111" in out and CARD not in out


def test_the_engines_masker_is_used():
    text = f"card {CARD}, IBAN GB82 WEST 1234 5698 7654 32, phone +86 138 0013 8000"
    assert mask_sensitive(text) == mask_pii(text)


def test_configure_logging_is_idempotent():
    root = logging.getLogger()
    before_level, before_handlers = root.level, list(root.handlers)
    try:
        configure_logging(logging.INFO)
        configure_logging(logging.INFO)
        for handler in root.handlers:
            assert sum(isinstance(f, PiiMaskingFilter) for f in handler.filters) == 1
        assert logging.getLogger("alembic").level == logging.WARNING
    finally:
        root.setLevel(before_level)
        for handler in root.handlers:
            if handler not in before_handlers:
                root.removeHandler(handler)
