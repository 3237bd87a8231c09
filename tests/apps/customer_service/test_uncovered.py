"""Bank services no help article covers get "I don't know" and the offer of a person, not the
nearest article. Sentences are written for these tests (not from any eval set)."""

from __future__ import annotations

import pytest

from finloom.apps.customer_service._uncovered import names_uncovered_service


@pytest.mark.parametrize("text", ["is there a safety deposit box I could use for my documents?",
                                  "do you sell gold bars", "网点能租保管箱吗", "你们有贵金属业务吗"])
def test_uncovered_services_are_named(text: str) -> None:
    assert names_uncovered_service(text)


@pytest.mark.parametrize("text", ["how do term deposits work?", "is my deposit safe with you?",
                                  "Gold credit card annual fee", "存款有保险吗"])
def test_covered_subjects_with_similar_words_are_not(text: str) -> None:
    assert not names_uncovered_service(text)


def test_a_question_about_an_uncovered_service_offers_a_person(bot) -> None:
    session = bot.start_session(customer_id="demo", lang="en")
    first = bot.handle_message(session.id, "could I keep some family heirlooms in one of your vaults? like a safe deposit locker")
    second = bot.handle_message(session.id, "no, that's fine")
    assert (first.kind, second.kind) == ("dont_know", "offer_declined")
