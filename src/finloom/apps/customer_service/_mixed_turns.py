"""A task answer and a side question in one message ("savings. and how do I close it later?",
第三笔，顺便问下要多久？): split into the short answer clause that comes first and the question
after it, so the dialogue manager can keep the answer and answer the question too."""

from __future__ import annotations

import re

from finloom.apps.customer_service._dialogue import looks_like_question

__all__ = ["answer_then_question"]

# the first clause boundary: a full stop, comma, semicolon, colon or dash between the two parts
_BOUNDARY = re.compile(r"\s*(?:[.;:,!]+(?=\s)|[。；：，！]+|\s[-–—]+(?=\s))\s*")
_MAX_HEAD_WORDS, _MAX_HEAD_CHARS = 4, 8  # an answer is short: "debit", "number 3", 第五笔
_MIN_TAIL_WORDS, _MIN_TAIL_CHARS = 3, 4  # a question has some content: not just "ok?"


def _size(text: str) -> int:
    return len(text.split()) if text.isascii() else len(text.replace(" ", ""))


def answer_then_question(text: str) -> tuple[str, str] | None:
    """``(answer, question)`` when ``text`` is a short answer clause followed by a question, else
    ``None``. Whether the answer fits the pending question is for the caller to decide.

    Examples
    --------
    >>> answer_then_question("savings. and how do I close it later?")
    ('savings', 'and how do I close it later?')
    >>> answer_then_question("第三笔，顺便问下处理要多久？")
    ('第三笔', '顺便问下处理要多久？')
    >>> answer_then_question("number 2 - is there a fee for that?")
    ('number 2', 'is there a fee for that?')
    >>> answer_then_question("the credit one please"), answer_then_question("how long does it take?")
    (None, None)
    >>> answer_then_question("no, the credit card"), answer_then_question("是的，谢谢")
    (None, None)
    """
    clean = text.strip()
    m = _BOUNDARY.search(clean)
    if m is None or m.start() == 0:
        return None
    head, tail = clean[: m.start()].strip(), clean[m.end():].strip()
    small = _MAX_HEAD_WORDS if head.isascii() else _MAX_HEAD_CHARS
    big = _MIN_TAIL_WORDS if tail.isascii() else _MIN_TAIL_CHARS
    if not head or _size(head) > small or looks_like_question(head):
        return None
    if _size(tail) < big or not looks_like_question(tail):
        return None
    return head, tail
