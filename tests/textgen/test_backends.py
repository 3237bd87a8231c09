from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from finloom.errors import ConfigError, NotFoundError, ServiceError
from finloom.textgen import (
    DEFAULT_DISCLAIMERS,
    FactSet,
    GenerationRequest,
    LocalCausalLM,
    OpenAICompatible,
    TemplateBackend,
    polish,
)

SENTENCES = ["the index rose today", "the index fell today", "markets were calm and bonds rose",
             "oil fell while gold rose", "volatility was high today"]


@pytest.fixture(scope="module")
def tiny_lm(tmp_path_factory: pytest.TempPathFactory) -> Path:
    torch = pytest.importorskip("torch")
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers
    from transformers import GPT2Config, GPT2LMHeadModel, PreTrainedTokenizerFast

    tok = Tokenizer(models.WordLevel(unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    tok.train_from_iterator(SENTENCES, trainers.WordLevelTrainer(special_tokens=["[UNK]", "[PAD]", "[EOS]"]))
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="[UNK]", pad_token="[PAD]", eos_token="[EOS]")
    torch.manual_seed(0)  # model init only; generation uses its own Generator
    config = GPT2Config(vocab_size=fast.vocab_size, n_positions=64, n_embd=16, n_layer=1, n_head=2,
                        eos_token_id=fast.eos_token_id, bos_token_id=fast.eos_token_id)
    path = tmp_path_factory.mktemp("tiny-gpt2")
    GPT2LMHeadModel(config).save_pretrained(path)
    fast.save_pretrained(path)
    return path


def test_local_lm_seed_reproducible_and_varies(tiny_lm: Path) -> None:
    lm = LocalCausalLM(tiny_lm)
    a = lm.generate("the index", max_tokens=12, seed=1, temperature=1.5)
    assert a == lm.generate("the index", max_tokens=12, seed=1, temperature=1.5)
    others = {lm.generate("the index", max_tokens=12, seed=s, temperature=1.5) for s in range(2, 6)}
    assert len(others | {a}) > 1


def test_local_lm_greedy_equals_top_k_1(tiny_lm: Path) -> None:
    lm = LocalCausalLM(tiny_lm)
    greedy = lm.generate("oil fell", max_tokens=8, temperature=0, seed=3)
    assert greedy == lm.generate("oil fell", max_tokens=8, top_k=1, seed=99)
    assert greedy == lm.generate("oil fell", max_tokens=8, top_p=1e-6, seed=7)


def test_local_lm_stream_stop_and_length(tiny_lm: Path) -> None:
    lm = LocalCausalLM(tiny_lm)
    chunks = list(lm.generate("markets", max_tokens=10, seed=4, top_p=0.9, repetition_penalty=1.3,
                              stream=True))
    text = "".join(chunks)
    assert text == lm.generate("markets", max_tokens=10, seed=4, top_p=0.9, repetition_penalty=1.3)
    assert len(text.split()) <= 10
    word = text.split()[1] if len(text.split()) > 1 else text.split()[0]
    stopped = lm.generate("markets", max_tokens=10, seed=4, top_p=0.9, repetition_penalty=1.3, stop=[word])
    assert word not in stopped and text.startswith(stopped)


def test_local_lm_accepts_generation_request(tiny_lm: Path, facts: FactSet) -> None:
    out = LocalCausalLM(tiny_lm).generate(GenerationRequest("facts", facts), max_tokens=3, seed=0)
    assert isinstance(out, str)


def test_sample_token_controls() -> None:
    torch = pytest.importorskip("torch")
    from finloom.textgen._backends import _sample_token

    logits = torch.tensor([5.0, 4.9, -10.0])
    gen = torch.Generator().manual_seed(0)
    draws = {_sample_token(logits.clone(), torch.tensor([], dtype=torch.long), 1.0, None, 0.3, None, gen)
             for _ in range(50)}
    assert draws == {0}
    penalised = {_sample_token(logits.clone(), torch.tensor([0]), 0.0, None, None, 100.0, gen)}
    assert penalised == {1}


def test_local_lm_bad_inputs(tmp_path: Path, tiny_lm: Path) -> None:
    with pytest.raises(NotFoundError, match="local Hugging Face model directory"):
        LocalCausalLM(tmp_path / "nope").generate("x")
    with pytest.raises(ConfigError, match="top_p must be in"):
        LocalCausalLM(tiny_lm).generate("x", top_p=1.5)


class _FakeOpenAI(BaseHTTPRequestHandler):
    reply = "Hello from the fake server."
    requests: list[dict[str, Any]] = []

    def log_message(self, *args: Any) -> None:  # silence the test output
        pass

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append(body)
        if body.get("stream"):
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            for piece in self.reply.split(" "):
                chunk = {"id": "c1", "object": "chat.completion.chunk", "created": 0, "model": body["model"],
                         "choices": [{"index": 0, "delta": {"content": piece + " "}, "finish_reason": None}]}
                self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            self.wfile.write(b"data: [DONE]\n\n")
            return
        payload = json.dumps({
            "id": "c1", "object": "chat.completion", "created": 0, "model": body["model"],
            "choices": [{"index": 0, "message": {"role": "assistant", "content": self.reply},
                         "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


@pytest.fixture
def fake_server() -> Iterator[str]:
    _FakeOpenAI.requests = []
    _FakeOpenAI.reply = "Hello from the fake server."
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeOpenAI)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()
    server.server_close()


def test_openai_compatible_passes_sampling_controls(fake_server: str) -> None:
    llm = OpenAICompatible(fake_server, model="tiny")
    out = llm.generate("hi", max_tokens=7, temperature=0.3, top_k=5, top_p=0.8, repetition_penalty=1.1,
                       seed=42, stop=["\n"])
    assert out == "Hello from the fake server."
    sent = _FakeOpenAI.requests[-1]
    assert sent["max_tokens"] == 7 and sent["top_p"] == 0.8 and sent["seed"] == 42 and sent["top_k"] == 5
    assert sent["repetition_penalty"] == 1.1 and sent["stop"] == ["\n"] and sent["model"] == "tiny"


def test_openai_compatible_streams(fake_server: str) -> None:
    chunks = list(OpenAICompatible(fake_server).generate("hi", stream=True))
    assert len(chunks) == 5 and "".join(chunks).strip() == "Hello from the fake server."


def test_openai_compatible_refused_connection() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    llm = OpenAICompatible(f"http://127.0.0.1:{port}/v1", timeout=2)
    with pytest.raises(ServiceError, match="must accept connections"):
        llm.generate("hi")


def test_polish_keeps_faithful_rewrite_and_falls_back(fake_server: str, facts: FactSet,
                                                      market_ctx: dict) -> None:
    rendered = TemplateBackend().render(GenerationRequest("market", facts, "en", market_ctx), seed=0)
    llm = OpenAICompatible(fake_server)
    _FakeOpenAI.reply = "Over the quarter the S&P 500 fell 3.46%. " + DEFAULT_DISCLAIMERS["en"]
    result = polish(rendered, facts, llm, temperature=0.2)
    assert result.source == "llm" and result.report.ok
    _FakeOpenAI.reply = "The S&P 500 fell 4.1% and the Dow Jones rose. " + DEFAULT_DISCLAIMERS["en"]
    result = polish(rendered, facts, llm)
    assert result.source == "template" and result.text == rendered.text
    assert not result.report.ok


def test_polish_with_local_lm_is_guarded(tiny_lm: Path, facts: FactSet, market_ctx: dict) -> None:
    rendered = TemplateBackend().render(GenerationRequest("market", facts, "zh", market_ctx), seed=2)
    result = polish(rendered, facts, LocalCausalLM(tiny_lm), max_tokens=8, seed=0, top_k=5)
    assert result.source == "template" and result.text == rendered.text  # gibberish lacks the disclaimer
    assert any(i.kind == "missing_disclaimer" for i in result.report.issues)
