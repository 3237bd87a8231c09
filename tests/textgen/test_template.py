from __future__ import annotations

import pytest

from finloom.errors import ConfigError, NotFoundError
from finloom.textgen import (
    FactSet,
    FaithfulnessGuard,
    GenerationRequest,
    TemplateBackend,
    format_value,
)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_template_claims_point_at_fact_values(facts: FactSet, market_ctx: dict, lang: str) -> None:
    out = TemplateBackend().render(GenerationRequest("market", facts, lang, market_ctx), seed=3)
    numbers = [c for c in out.claims if c.kind == "number"]
    assert numbers
    for claim in numbers:
        assert out.claim_text(claim) == format_value(facts[claim.fact_id], lang)
    entities = [c for c in out.claims if c.kind == "entity"]
    assert {out.claim_text(c) for c in entities} <= {facts.label(e, lang) for e in ("SPX", "NDX")}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_template_seed_varies_wording_never_facts(facts: FactSet, market_ctx: dict, lang: str) -> None:
    backend = TemplateBackend()
    texts = [backend.render(GenerationRequest("market", facts, lang, market_ctx), seed=s) for s in range(8)]
    assert len({t.text for t in texts}) > 1
    stated = {tuple((c.fact_id, t.claim_text(c)) for c in t.claims if c.kind == "number") for t in texts}
    assert len(stated) == 1
    guard = FaithfulnessGuard()
    assert all(guard.check(t.text, facts).ok for t in texts)


def test_template_same_seed_same_text(facts: FactSet, market_ctx: dict) -> None:
    req = GenerationRequest("market", facts, "en", market_ctx)
    assert TemplateBackend().generate(req, seed=5) == TemplateBackend().generate(req, seed=5)


def test_template_stream_and_stop(facts: FactSet, market_ctx: dict) -> None:
    req = GenerationRequest("market", facts, "en", market_ctx)
    full = TemplateBackend().generate(req, seed=1)
    assert "".join(TemplateBackend().generate(req, seed=1, stream=True)) == full
    assert TemplateBackend().generate(req, seed=1, stop=["\n"]) == str(full).split("\n")[0]


def test_template_unknown_name_raises_with_hint(facts: FactSet) -> None:
    with pytest.raises(NotFoundError, match="Did you mean 'market'"):
        TemplateBackend().render(GenerationRequest("markte", facts))


def test_template_missing_context_and_plain_prompt_raise(facts: FactSet) -> None:
    with pytest.raises(ConfigError, match="context must define every name"):
        TemplateBackend().render(GenerationRequest("market", facts, "en", {}))
    with pytest.raises(ConfigError, match="needs|must be a GenerationRequest"):
        TemplateBackend().generate("write something")


def test_template_generic_facts_pack_guarded(facts: FactSet) -> None:
    for lang in ("en", "zh"):
        text = TemplateBackend().render(GenerationRequest("facts", facts, lang), seed=0).text
        assert FaithfulnessGuard().check(text, facts).ok, text
