"""Shared fixtures: one demo assistant's classifier per test session (fitting takes ~1 s)."""

from __future__ import annotations

import datetime as dt

import pytest

from finloom.apps.customer_service import (
    CustomerServiceAssistant,
    EmbeddingIntentClassifier,
    InMemoryConversationStore,
    KnowledgeBase,
    SimulatedCoreBanking,
    load_builtin_kb,
    load_seed_intents,
)


@pytest.fixture(scope="session")
def seed_classifier() -> EmbeddingIntentClassifier:
    seeds = load_seed_intents()
    texts = [t for ts in seeds.values() for t in ts]
    labels = [k for k, ts in seeds.items() for _ in ts]
    return EmbeddingIntentClassifier(random_state=0).fit(texts, labels)


@pytest.fixture(scope="session")
def knowledge() -> KnowledgeBase:
    return KnowledgeBase(load_builtin_kb())


@pytest.fixture
def bank() -> SimulatedCoreBanking:
    return SimulatedCoreBanking(today=dt.date(2026, 3, 15))


@pytest.fixture
def bot(seed_classifier: EmbeddingIntentClassifier, knowledge: KnowledgeBase,
        bank: SimulatedCoreBanking) -> CustomerServiceAssistant:
    return CustomerServiceAssistant(classifier=seed_classifier, knowledge=knowledge,
                                    store=InMemoryConversationStore(), bank=bank)
