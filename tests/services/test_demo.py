"""Demo seeding: the demo tables and an admin key, once; each registration audited as ``demo``."""

from __future__ import annotations

from finloom.services.demo import DEMO_KEY_FILE, seed_demo
from tests.services.conftest import events


def test_seed_demo_registers_tables_and_a_key_once(wb):
    seen: list[str] = []
    seed = seed_demo(wb, on_table=seen.append)
    names = {d.name for d in wb.datasets.list()}
    assert {"credit_applications", "bank_intents", "loan_clauses_ner", "trade_blotter", "sp500_prices"} <= names
    assert sorted(seed.registered) == sorted(seen) and not seed.skipped
    again = seed_demo(wb)  # idempotent: same key, nothing registered twice
    assert again.key == seed.key and again.registered == []
    assert (wb.workspace / DEMO_KEY_FILE).stat().st_mode & 0o077 == 0
    assert {(actor, action) for actor, action, _ in events(wb)} == {("demo", "dataset.create"), ("demo", "key.create")}
    assert len(events(wb, "dataset.create")) == len(seed.registered)
