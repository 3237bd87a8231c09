"""Jinja2 template packs that turn facts into text, keeping a span for every stated claim."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import numpy as np

from finloom.errors import ConfigError, NotFoundError, did_you_mean
from finloom.textgen._facts import Claim, Fact, FactSet, RenderedText, format_date, format_value

__all__ = ["DEFAULT_DISCLAIMERS", "GenerationRequest", "TemplateBackend", "list_templates"]

_OPEN, _SEP, _MID, _CLOSE = "\ue000", "\ue003", "\ue001", "\ue002"
_MARK = re.compile(f"{_OPEN}(\\w+){_SEP}([^{_MID}]*){_MID}([^{_CLOSE}]*){_CLOSE}")
DEFAULT_DISCLAIMERS = {
    "en": "This report is for information only and is not investment advice; "
    "past performance is not a reliable indicator of future results.",
    "zh": "本报告仅供参考，不构成任何投资建议；过往业绩不代表未来表现。",
}
_WORDS = {
    "en": {
        "up": ("rose", "gained", "climbed", "advanced"),
        "down": ("fell", "dropped", "declined", "slipped"),
        "flat": ("was unchanged at", "was flat at"),
    },
    "zh": {"up": ("上涨", "上升", "走高"), "down": ("下跌", "下降", "走低"), "flat": ("持平于",)},
}
_SHORT = {"en": {"up": "up", "down": "down", "flat": "flat"}, "zh": {"up": "上涨", "down": "下跌", "flat": "持平"}}


@dataclass
class GenerationRequest:
    """What to write: a template pack, the facts, the language and extra template context.

    Examples
    --------
    >>> from finloom.textgen import Fact
    >>> req = GenerationRequest(template="facts", facts=[Fact("a", 1.5, unit="%", entity="X")])
    >>> req.lang
    'en'
    """

    template: str
    facts: FactSet | list[Fact]
    lang: str = "en"
    context: Mapping[str, Any] = field(default_factory=dict)

    def fact_set(self) -> FactSet:
        """The facts as a validated :class:`FactSet`."""
        return FactSet.coerce(self.facts)


def list_templates() -> list[str]:
    """Names of the template packs shipped with finloom.

    Examples
    --------
    >>> list_templates()
    ['advice', 'credit_letter', 'facts', 'insights', 'market', 'portfolio']
    """
    root = resources.files("finloom.textgen") / "templates"
    return sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("_"))


@functools.lru_cache(maxsize=64)
def _compiled(source: str) -> Any:
    """A template pack compiled once per process (compiling costs far more than rendering)."""
    import jinja2

    env = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False, trim_blocks=True, lstrip_blocks=True)
    return env.from_string(source)


def _load_source(template: str, lang: str) -> str:
    names = list_templates()
    if template not in names:
        raise NotFoundError(
            f"template must be one of {names}; got {template!r}.{did_you_mean(template, names)}"
        )
    path = resources.files("finloom.textgen") / "templates" / template / f"{lang}.j2"
    if not path.is_file():
        raise NotFoundError(f"template {template!r} must have a '{lang}' version; got none. Use lang='en'.")
    return path.read_text(encoding="utf-8")


class _Helpers:
    """The functions a template calls; each wraps its output in claim markers."""

    def __init__(self, facts: FactSet, lang: str, rng: np.random.Generator) -> None:
        self.facts, self.lang, self.rng = facts, lang, rng
        self.date_style: int | None = None

    def _mark(self, kind: str, fact_id: str, text: str) -> str:
        return f"{_OPEN}{kind}{_SEP}{fact_id}{_MID}{text}{_CLOSE}"

    def pick(self, *options: str) -> str:
        return str(options[int(self.rng.integers(len(options)))])

    def num(self, fact_id: str) -> str:
        return self._mark("number", fact_id, format_value(self.facts[fact_id], self.lang))

    def snum(self, fact_id: str) -> str:
        fact = self.facts[fact_id]
        text = format_value(fact, self.lang, signed=True)
        return self._mark("number", fact_id, ("+" if fact.value > 0 else "") + text)

    def move(self, fact_id: str, short: bool = False) -> str:
        fact = self.facts[fact_id]
        direction = fact.direction or ("up" if fact.value > 0 else "down" if fact.value < 0 else "flat")
        word = _SHORT[self.lang][direction] if short else self.pick(*_WORDS[self.lang][direction])
        return self._mark("direction", fact_id, word)

    def ent(self, fact_id: str, index: int = 0) -> str:
        fact = self.facts[fact_id]
        return self._mark("entity", fact_id, self.facts.label(fact.entities[index], self.lang))

    def day(self, fact_id: str, which: str = "date") -> str:
        fact = self.facts[fact_id]
        day = fact.date if which == "date" else getattr(fact.period, which, None)
        if day is None:
            raise ConfigError(f"fact {fact_id!r} must have a {which} date; got None. Set period= or date=.")
        style = int(self.rng.integers(3))  # drawn every time so the other choices stay as they were
        self.date_style = style if self.date_style is None else self.date_style  # one date format per text
        return self._mark("date", fact_id, format_date(day, self.lang, self.date_style))

    def disclaimer(self) -> str:
        text = self.facts.disclaimers.get(self.lang, DEFAULT_DISCLAIMERS[self.lang])
        return self._mark("disclaimer", "disclaimer", text)

    def has(self, fact_id: str) -> bool:
        return fact_id in self.facts


def _strip_markers(marked: str) -> tuple[str, tuple[Claim, ...]]:
    out: list[str] = []
    claims: list[Claim] = []
    pos, length = 0, 0
    for m in _MARK.finditer(marked):
        plain = marked[pos : m.start()]
        out.append(plain)
        length += len(plain)
        kind, fact_id, text = m.group(1), m.group(2), m.group(3)
        claims.append(Claim(length, length + len(text), fact_id, kind))  # type: ignore[arg-type]
        out.append(text)
        length += len(text)
        pos = m.end()
    out.append(marked[pos:])
    return "".join(out), tuple(claims)


class TemplateBackend:
    """Deterministic data-to-text from Jinja2 template packs (English and zh-CN).

    The seed picks wording variants (verbs, date styles, phrasing); every number, date and
    entity comes from a fact, so no seed can change what the text states.

    Parameters
    ----------
    default_seed : int
        Seed used when ``generate`` gets ``seed=None``.

    Examples
    --------
    >>> from finloom.textgen import Fact
    >>> req = GenerationRequest("facts", [Fact("x:ret", -1.234, unit="%", entity="X",
    ...                                   direction="down", label="return")])
    >>> out = TemplateBackend().render(req, seed=0)
    >>> "1.23%" in out.text, [c.kind for c in out.claims][:3]
    (True, ['entity', 'direction', 'number'])
    """

    name = "template"

    def __init__(self, *, default_seed: int = 0) -> None:
        self.default_seed = default_seed

    def render(self, request: GenerationRequest, *, seed: int | None = None) -> RenderedText:
        """Render ``request`` and return the text with its claim spans."""
        import jinja2

        if not isinstance(request, GenerationRequest):
            raise ConfigError(
                f"TemplateBackend input must be a GenerationRequest; got {type(request).__name__}. "
                "Build GenerationRequest(template=..., facts=[...])."
            )
        facts = request.fact_set()
        source = _load_source(request.template, request.lang)
        seed = self.default_seed if seed is None else seed
        helpers = _Helpers(facts, request.lang, np.random.default_rng(seed))
        try:
            marked = _compiled(source).render(
                facts=facts, ctx=request.context, pick=helpers.pick, num=helpers.num, snum=helpers.snum,
                move=helpers.move, ent=helpers.ent, day=helpers.day,
                disclaimer=helpers.disclaimer, has=helpers.has,
            )
        except jinja2.UndefinedError as exc:
            raise ConfigError(
                f"template {request.template!r} context must define every name it uses; got {exc}. "
                "Pass the missing key in GenerationRequest.context."
            ) from exc
        lines = [re.sub(r"[ \t]+", " ", ln).strip() for ln in marked.splitlines()]
        text, claims = _strip_markers("\n".join(ln for ln in lines if ln))
        return RenderedText(text, claims, request.lang, request.template, seed)

    def generate(
        self,
        prompt_or_request: GenerationRequest | str,
        *,
        max_tokens: int | None = None,
        temperature: float = 1.0,
        top_k: int | None = None,
        top_p: float | None = None,
        repetition_penalty: float | None = None,
        seed: int | None = None,
        stop: list[str] | None = None,
        stream: bool = False,
    ) -> str | Iterator[str]:
        """Render a request; sampling knobs are accepted for interface parity and ignored.

        ``stop`` truncates at the first stop string; ``stream=True`` yields word chunks.
        """
        if isinstance(prompt_or_request, str):
            raise ConfigError(
                "TemplateBackend input must be a GenerationRequest; got a plain prompt string. "
                "Use LocalCausalLM or OpenAICompatible for free prompts."
            )
        text = self.render(prompt_or_request, seed=seed).text
        text = _apply_stop(text, stop)
        return _chunks(text) if stream else text


def _apply_stop(text: str, stop: list[str] | None) -> str:
    cut = len(text)
    for s in stop or []:
        i = text.find(s)
        if s and 0 <= i < cut:
            cut = i
    return text[:cut]


def _chunks(text: str) -> Iterator[str]:
    yield from re.findall(r"\S+\s*|\s+", text)

