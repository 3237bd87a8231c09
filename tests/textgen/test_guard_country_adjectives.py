"""A country named by its adjective ("German", "Japanese") is still that country: a euro-area figure
written as "German retail sales" is a wrong entity, even though the measure right after the adjective
is the facts' own; the facts' own country named by adjective passes."""

from __future__ import annotations

import pytest

from finloom.textgen import FaithfulnessGuard, facts_from_dict

G = FaithfulnessGuard()


def reasons(facts: dict, text: str) -> list[str]:
    return [i.reason for i in G.check(text, facts_from_dict(facts)).issues]


EA_RETAIL = {"series": "retail sales", "country": "euro area", "period": "2026-01", "mom_pct": 0.3, "yoy_pct": 1.6}
JP_CPI = {"indicator": "consumer prices", "country": "Japan", "period": "2026-01", "yoy_pct": 2.7}
TWO = {"period": "2025-Q4", "entities": {"France": {"gdp_qoq_pct": 0.2}, "Canada": {"gdp_qoq_pct": 0.5}}}


@pytest.mark.parametrize(("facts", "text"), [
    (EA_RETAIL, "French retail sales rose 0.3% in January and were 1.6% above a year earlier."),
    (JP_CPI, "British consumer prices rose 2.7% from a year earlier in January."),
    (TWO, "Canadian GDP grew 0.2% in the fourth quarter."),
])
def test_a_figure_given_to_another_country_by_adjective_is_a_wrong_entity(facts: dict, text: str) -> None:
    assert "entity" in reasons(facts, text)


@pytest.mark.parametrize(("facts", "text"), [
    (EA_RETAIL, "Euro-area retail sales rose 0.3% in January and were 1.6% above a year earlier."),
    (EA_RETAIL, "Retail sales in the euro area rose 0.3% in January."),
    (JP_CPI, "Japanese consumer prices rose 2.7% from a year earlier in January."),
    (TWO, "French GDP grew 0.2% in the fourth quarter, Canadian output 0.5%."),
])
def test_the_facts_own_country_by_adjective_passes(facts: dict, text: str) -> None:
    assert reasons(facts, text) == []
