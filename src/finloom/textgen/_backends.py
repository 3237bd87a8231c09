"""LLM backends behind one ``generate`` interface, and the guarded "polish" step."""

from __future__ import annotations

import inspect
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from finloom._optional import require
from finloom.errors import ConfigError, NotFoundError, ServiceError
from finloom.textgen._facts import Fact, FactSet, RenderedText, format_value
from finloom.textgen._guard import FaithfulnessGuard, GuardReport, Policy
from finloom.textgen._template import GenerationRequest, _apply_stop

__all__ = ["LocalCausalLM", "OpenAICompatible", "PolishResult", "TextBackend", "facts_prompt", "polish"]


class TextBackend(Protocol):
    """Anything with the shared ``generate`` signature (template, local LM, OpenAI-compatible)."""

    def generate(
        self, prompt_or_request: GenerationRequest | str, *, max_tokens: int | None = None,
        temperature: float = 1.0, top_k: int | None = None, top_p: float | None = None,
        repetition_penalty: float | None = None, seed: int | None = None,
        stop: list[str] | None = None, stream: bool = False,
    ) -> str | Iterator[str]: ...


def facts_prompt(request: GenerationRequest) -> str:
    """A plain prompt that lists the facts an LLM must state (used for free-form backends).

    Examples
    --------
    >>> req = GenerationRequest("facts", [Fact("a", 2.0, unit="%", entity="X", label="return")])
    >>> print(facts_prompt(req).splitlines()[-1])
    - X return: 2.00%
    """
    facts = request.fact_set()
    language = "Simplified Chinese" if request.lang == "zh" else "English"
    lines = [f"Write a short, factual paragraph in {language}. State only these facts, "
             "with the numbers exactly as written:"]
    for f in facts:
        who = " and ".join(facts.label(e, request.lang) for e in f.entities) or "overall"
        move = f" ({f.direction})" if f.direction else ""
        lines.append(f"- {who} {f.label or f.id}: {format_value(f, request.lang)}{move}")
    return "\n".join(lines)


def _prompt_text(prompt_or_request: GenerationRequest | str) -> str:
    if isinstance(prompt_or_request, GenerationRequest):
        return facts_prompt(prompt_or_request)
    if not isinstance(prompt_or_request, str) or not prompt_or_request:
        raise ConfigError(f"prompt must be a non-empty str or GenerationRequest; got {prompt_or_request!r}.")
    return prompt_or_request


class LocalCausalLM:
    """Any Hugging Face causal-LM directory on local disk, sampled with a local torch Generator.

    Sampling (temperature, top-k, top-p, repetition penalty) is implemented here token by
    token, so a seed gives the same text without touching global RNG state, and ``stream=True``
    yields text as it is produced.

    Parameters
    ----------
    path : str or Path
        Directory with ``config.json``, weights and a tokenizer (no hub download is attempted).
    max_tokens : int
        Default number of new tokens.

    Examples
    --------
    >>> lm = LocalCausalLM("/models/tiny-gpt2")  # doctest: +SKIP
    >>> lm.generate("Markets", max_tokens=5, top_k=10, seed=0)  # doctest: +SKIP
    """

    def __init__(self, path: str | os.PathLike[str], *, max_tokens: int = 64) -> None:
        self.path = path
        self.max_tokens = max_tokens

    def _load(self) -> None:
        if hasattr(self, "model_"):
            return
        path = Path(self.path)
        if not (path / "config.json").is_file():
            raise NotFoundError(
                f"model path must be a local Hugging Face model directory with config.json; got "
                f"{str(path)!r}. Save a model with save_pretrained(dir) first.")
        transformers = require("transformers", feature="LocalCausalLM")
        self.tokenizer_ = transformers.AutoTokenizer.from_pretrained(path, local_files_only=True)
        self.model_ = transformers.AutoModelForCausalLM.from_pretrained(path, local_files_only=True)
        self.model_.eval()

    def generate(
        self, prompt_or_request: GenerationRequest | str, *, max_tokens: int | None = None,
        temperature: float = 1.0, top_k: int | None = None, top_p: float | None = None,
        repetition_penalty: float | None = None, seed: int | None = None,
        stop: list[str] | None = None, stream: bool = False,
    ) -> str | Iterator[str]:
        """Sample a continuation of the prompt; see the class docstring for the controls."""
        _check_sampling(temperature, top_k, top_p, repetition_penalty)
        self._load()
        pieces = self._sample(_prompt_text(prompt_or_request), max_tokens or self.max_tokens,
                              temperature, top_k, top_p, repetition_penalty, seed, stop or [])
        return pieces if stream else "".join(pieces)

    def _prompt_budget(self, max_tokens: int) -> int:
        config = self.model_.config
        context = getattr(config, "n_positions", None) or getattr(config, "max_position_embeddings", None)
        if context is None:
            return 10**9
        if max_tokens >= context:
            raise ConfigError(f"max_tokens must be < the model context of {context} tokens; got {max_tokens}.")
        return int(context - max_tokens)

    def _sample(self, prompt: str, max_tokens: int, temperature: float, top_k: int | None,
                top_p: float | None, penalty: float | None, seed: int | None,
                stop: list[str]) -> Iterator[str]:
        import torch

        gen = torch.Generator().manual_seed(0 if seed is None else seed)
        ids = self.tokenizer_(prompt, return_tensors="pt")["input_ids"]  # (1, T)
        if ids.shape[1] == 0:
            ids = torch.tensor([[self.tokenizer_.eos_token_id or 0]])
        ids = ids[:, -self._prompt_budget(max_tokens) :]  # keep the end of an over-long prompt
        out_ids: list[int] = []
        text, past, step_ids = "", None, ids
        cache_arg = _cache_argument(self.model_)
        with torch.no_grad():
            for _ in range(max_tokens):
                out = self.model_(input_ids=step_ids, use_cache=True, **{cache_arg: past})
                past = getattr(out, cache_arg)
                logits = out.logits[0, -1, :].float()  # (V,)
                seen = torch.cat([ids[0], torch.tensor(out_ids, dtype=torch.long)])
                next_id = _sample_token(logits, seen, temperature, top_k, top_p, penalty, gen)
                if next_id == self.tokenizer_.eos_token_id:
                    break
                out_ids.append(next_id)
                new_text = self.tokenizer_.decode(out_ids, skip_special_tokens=True)
                cut = _apply_stop(new_text, stop)
                if len(cut) > len(text):
                    yield cut[len(text):]
                text = cut
                if len(cut) < len(new_text):
                    break
                step_ids = torch.tensor([[next_id]])


def _cache_argument(model: Any) -> str:
    """Name of the key/value-cache argument: ``cache`` in recent transformers, else ``past_key_values``."""
    return "cache" if "cache" in inspect.signature(model.forward).parameters else "past_key_values"


def _check_sampling(temperature: float, top_k: int | None, top_p: float | None,
                    penalty: float | None) -> None:
    if not temperature >= 0:
        raise ConfigError(f"temperature must be >= 0; got {temperature!r}. Use 0 for greedy decoding.")
    if top_k is not None and top_k < 1:
        raise ConfigError(f"top_k must be >= 1 or None; got {top_k!r}.")
    if top_p is not None and not 0 < top_p <= 1:
        raise ConfigError(f"top_p must be in (0, 1]; got {top_p!r}.")
    if penalty is not None and penalty <= 0:
        raise ConfigError(f"repetition_penalty must be > 0; got {penalty!r}. 1.0 disables it.")


def _sample_token(logits: Any, seen: Any, temperature: float, top_k: int | None,
                  top_p: float | None, penalty: float | None, gen: Any) -> int:
    """One sampling step: repetition penalty → temperature → top-k → top-p → multinomial."""
    import torch

    if penalty is not None and penalty != 1.0 and seen.numel():
        scores = logits[seen]
        logits[seen] = torch.where(scores > 0, scores / penalty, scores * penalty)
    if temperature == 0:
        return int(torch.argmax(logits))
    logits = logits / temperature
    if top_k is not None and top_k < logits.numel():
        kth = torch.topk(logits, top_k).values[-1]
        logits = logits.masked_fill(logits < kth, float("-inf"))
    if top_p is not None and top_p < 1.0:
        sorted_logits, order = torch.sort(logits, descending=True)
        cum = torch.softmax(sorted_logits, dim=-1).cumsum(dim=-1)
        drop = cum - torch.softmax(sorted_logits, dim=-1) > top_p  # keep the first token always
        logits[order[drop]] = float("-inf")
    probs = torch.softmax(logits, dim=-1)
    return int(torch.multinomial(probs, 1, generator=gen))


class OpenAICompatible:
    """Chat completions from any OpenAI-compatible server (vLLM, llama.cpp, Ollama, OpenAI).

    ``top_k`` and ``repetition_penalty`` are sent in ``extra_body`` (servers that do not know
    them ignore them). Connection failures raise :class:`~finloom.errors.ServiceError`.

    Examples
    --------
    >>> llm = OpenAICompatible("http://127.0.0.1:8000/v1", model="qwen2.5-0.5b")
    >>> llm.generate("Say hi", max_tokens=5)  # doctest: +SKIP
    """

    def __init__(self, base_url: str, *, model: str = "default", api_key: str = "not-needed",
                 timeout: float = 30.0, max_retries: int = 0) -> None:
        self.base_url = base_url
        self.model = model
        self.api_key = api_key
        self.timeout = timeout
        self.max_retries = max_retries

    def _client(self) -> Any:
        openai = require("openai", feature="OpenAICompatible")
        return openai.OpenAI(base_url=self.base_url, api_key=self.api_key, timeout=self.timeout,
                             max_retries=self.max_retries)

    def generate(
        self, prompt_or_request: GenerationRequest | str, *, max_tokens: int | None = None,
        temperature: float = 1.0, top_k: int | None = None, top_p: float | None = None,
        repetition_penalty: float | None = None, seed: int | None = None,
        stop: list[str] | None = None, stream: bool = False,
    ) -> str | Iterator[str]:
        """Send one chat completion request; ``stream=True`` yields content deltas."""
        _check_sampling(temperature, top_k, top_p, repetition_penalty)
        extra = {k: v for k, v in (("top_k", top_k), ("repetition_penalty", repetition_penalty))
                 if v is not None}
        kwargs: dict[str, Any] = {
            "model": self.model, "messages": [{"role": "user", "content": _prompt_text(prompt_or_request)}],
            "max_tokens": max_tokens, "temperature": temperature, "top_p": top_p, "seed": seed,
            "stop": stop, "extra_body": extra or None,
        }
        kwargs = {k: v for k, v in kwargs.items() if v is not None}
        if stream:
            return self._stream(kwargs)
        response = self._call(kwargs)
        return response.choices[0].message.content or ""

    def _call(self, kwargs: dict[str, Any]) -> Any:
        import openai

        try:
            return self._client().chat.completions.create(**kwargs)
        except openai.APIConnectionError as exc:
            raise ServiceError(
                f"LLM server at {self.base_url} must accept connections; got {type(exc).__name__}: "
                f"{exc}. Start the server or fix base_url.") from exc
        except openai.APIStatusError as exc:
            raise ServiceError(
                f"LLM server at {self.base_url} must answer 2xx; got HTTP {exc.status_code}: "
                f"{exc.message}. Check the model name and server logs.") from exc

    def _stream(self, kwargs: dict[str, Any]) -> Iterator[str]:
        for chunk in self._call({**kwargs, "stream": True}):
            if chunk.choices and chunk.choices[0].delta.content:
                yield chunk.choices[0].delta.content


@dataclass
class PolishResult:
    """Outcome of :func:`polish`: the text to publish, its source and the guard's report."""

    text: str
    source: str  # "llm", "repair" or "template"
    report: GuardReport


def polish(
    rendered: RenderedText, facts: FactSet | Sequence[Fact], backend: TextBackend, *,
    guard: FaithfulnessGuard | None = None, policy: Policy = "fallback", **generate_kwargs: Any,
) -> PolishResult:
    """Ask an LLM to rewrite template text more fluently, then always run the guard on it.

    With ``policy="fallback"`` (default) a flagged rewrite is replaced by the template text;
    ``"repair"`` first tries to fix contradicted numbers; ``"reject"`` raises.

    Examples
    --------
    >>> from finloom.textgen import TemplateBackend
    >>> facts = [Fact("x:ret", 2.0, unit="%", entity="X", direction="up", label="return")]
    >>> r = TemplateBackend().render(GenerationRequest("facts", facts))
    >>> class Liar:
    ...     def generate(self, prompt, **kw): return "X rose 9.9%."
    >>> polish(r, facts, Liar()).source
    'template'
    """
    guard = guard or FaithfulnessGuard(require_disclaimer=True)
    language = "Simplified Chinese" if rendered.lang == "zh" else "English"
    prompt = (f"Rewrite the following {language} text to read more fluently. Keep every number, "
              f"date, name and sentence meaning exactly; keep the final disclaimer verbatim.\n\n"
              f"{rendered.text}\n\nRewritten text:")
    generate_kwargs.pop("stream", None)
    candidate = backend.generate(prompt, **generate_kwargs)
    text = candidate if isinstance(candidate, str) else "".join(candidate)
    final, report = guard.enforce(text.strip(), facts, policy=policy, fallback=rendered.text,
                                  lang=rendered.lang)
    source = {"none": "llm", "repair": "repair", "fallback": "template"}[report.policy_applied]
    return PolishResult(final, source, report)
