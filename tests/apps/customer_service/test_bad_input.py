"""Bad input gets clear errors or safe replies."""

from __future__ import annotations

import pytest

from finloom.errors import InvalidDataError, NotFoundError, PayloadTooLargeError


def test_empty_message_is_refused(bot) -> None:
    session = bot.start_session()
    with pytest.raises(InvalidDataError, match="message must contain some text; got an empty"):
        bot.handle_message(session.id, "   ")


def test_non_string_message_is_refused(bot) -> None:
    session = bot.start_session()
    with pytest.raises(InvalidDataError, match="message must be a string; got int"):
        bot.handle_message(session.id, 42)  # type: ignore[arg-type]


def test_100kb_message_is_refused_before_any_work(bot) -> None:
    session = bot.start_session()
    with pytest.raises(PayloadTooLargeError, match="at most 2000 characters; got 102400"):
        bot.handle_message(session.id, "a" * 102_400)
    assert bot.history(session.id) == []


def test_unknown_session_id(bot) -> None:
    with pytest.raises(NotFoundError, match="session_id must be an existing session; got 'nope'"):
        bot.handle_message("nope", "hello")


def test_unsupported_language_gets_bilingual_reply(bot) -> None:
    session = bot.start_session()
    reply = bot.handle_message(session.id, "Где ближайший банкомат?")
    assert reply.kind == "unsupported_language"
    assert "English or Chinese" in reply.text and "中文" in reply.text


def test_unsupported_start_language(bot) -> None:
    with pytest.raises(InvalidDataError, match="lang must be 'en' or 'zh'; got 'fr'"):
        bot.start_session(lang="fr")


def test_script_injection_is_kept_as_plain_text(bot) -> None:
    session = bot.start_session()
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    reply = bot.handle_message(session.id, payload)
    turns = bot.history(session.id)
    assert turns[0].text == payload
    assert "<script>" not in reply.text


def test_card_number_in_message_is_masked_in_transcript(bot) -> None:
    session = bot.start_session()
    bot.handle_message(session.id, "my card 6222 0202 0000 1234 is blocked, call me on 13800138000")
    stored = bot.history(session.id)[0].text
    assert "6222 0202 0000 1234" not in stored and "13800138000" not in stored
    assert "[card number]" in stored and "8000" in stored
