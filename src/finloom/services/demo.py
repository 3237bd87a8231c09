"""The demo workspace: demo tables registered once and an admin key kept in the workspace."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from finloom.errors import AuthenticationError, MissingDependencyError
from finloom.services.datasets import add_dataset
from finloom.services.keys import KeyCreate, create_key
from finloom.store import authenticate
from finloom.workbench import Workbench

__all__ = ["DEMO_ACTOR", "DEMO_KEY_FILE", "DemoSeed", "seed_demo"]

DEMO_KEY_FILE = "demo-admin-key.txt"
DEMO_ACTOR = "demo"  # the audit log's actor for what seeding registers


@dataclass
class DemoSeed:
    """What :func:`seed_demo` did: the admin key, the tables it registered and those it skipped."""

    key: str
    registered: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # table -> why (a missing optional package)


def _scenario_demos() -> dict[str, tuple[str, Callable[[], pd.DataFrame]]]:
    """Demo tables the scenarios write themselves: labelled intents, tagged loan-agreement
    sentences (one row per token) and a trade blotter."""
    from finloom.apps.compliance.demo import demo_blotter
    from finloom.apps.customer_service._demo_intents import demo_intents_table
    from finloom.nlp._demo import demo_ner_table

    def intents_zh() -> pd.DataFrame:
        return demo_intents_table("zh")

    return {
        "bank_intents": ("Labelled customer messages (English, 10 intents) for text classification", demo_intents_table),
        "bank_intents_zh": ("Labelled customer messages in Chinese (10 intents) for text classification: the bundled "
                            "English MiniLM gets hashed character n-grams beside it automatically for Chinese "
                            "(0.88-0.93 on held-out messages, 0.53 without)", intents_zh),
        "loan_clauses_ner": ("Loan-agreement sentences (EN + ZH), one row per token, ORG/PER/LOC tagged (BIO), for "
                             "training an entity tagger", demo_ner_table),
        "trade_blotter": ("A month of trades with planted rule breaches", demo_blotter),
    }


def _register_tables(workbench: Workbench, seed: DemoSeed, on_table: Callable[[str], None]) -> None:
    from finloom.data.demo import DEMO_DATASETS

    existing = {d.name for d in workbench.datasets.list()}
    for demo in DEMO_DATASETS.values():
        if demo.name in existing:
            continue
        try:
            df = demo.load()
        except MissingDependencyError as exc:
            seed.skipped[demo.name] = exc.message
            continue
        on_table(demo.name)
        add_dataset(workbench, DEMO_ACTOR, demo.name, df, metadata=demo.metadata(df), description=demo.title,
                    source_label="finloom demo", licence=demo.source)
        seed.registered.append(demo.name)
    for name, (title, load) in _scenario_demos().items():
        if name not in existing:
            on_table(name)
            add_dataset(workbench, DEMO_ACTOR, name, load(), description=title, source_label="finloom demo",
                        licence="written by finloom")
            seed.registered.append(name)


def _demo_key(workbench: Workbench) -> str:
    """The key saved in the workspace while it still works, else a new admin key saved there."""
    from finloom._io import atomic_write_text

    key_file = workbench.workspace / DEMO_KEY_FILE
    key = key_file.read_text().strip() if key_file.exists() else ""
    if key:
        try:
            with workbench.session() as session:
                authenticate(session, key)
            return key
        except AuthenticationError:
            pass
    key = create_key(workbench, DEMO_ACTOR, KeyCreate(user="demo", role="admin", label="demo workspace")).key
    atomic_write_text(key_file, key + "\n")
    os.chmod(key_file, 0o600)
    return key


def seed_demo(workbench: Workbench, *, on_table: Callable[[str], None] = lambda name: None) -> DemoSeed:
    """Register the demo tables (once) and make sure a demo admin key exists.

    Tables and the key are registered through the dataset and key services, so each is audited
    with the actor ``demo``. ``on_table(name)`` is called before each table is registered (for
    a progress line). Idempotent: a second call registers nothing and returns the same key.
    """
    seed = DemoSeed(key="")
    _register_tables(workbench, seed, on_table)
    seed.key = _demo_key(workbench)
    (workbench.workspace / ".demo").touch()
    return seed
