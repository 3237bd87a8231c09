"""Voice section of the assistant benchmark: English routing utterances spoken by espeak-ng, clean
and with white noise added, recognised offline by PocketSphinx, then routed by the assistant.

Figures: word error rate, routing accuracy from speech, and routing accuracy of the same
utterances typed (the ceiling speech can reach). Chinese speech in has no offline recogniser
model in the registries, so ``wer_zh`` is null with the reason beside it.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks._common import ROOT, provenance
from finloom.apps.customer_service import Story, replay_story
from finloom.apps.customer_service._audio import add_noise, read_wav
from finloom.apps.customer_service._speech import (
    ESPEAK_VOICES,
    NO_CHINESE_ASR,
    synthesize_speech,
    word_error_rate,
)
from finloom.errors import FinloomError

NOISE_SNR_DB = 20.0


def _route(bot: Any, item: dict[str, Any], text: str) -> str:
    turn = replay_story(bot, Story(item["id"], "en", ({"user": text, "expect": "answer"},))).turns[0]
    return str(turn["intent"]) if turn["kind"] != "scope_statement" else "out_of_scope"


def score_voice(bot: Any, recognizer: Any, path: Path, *, voice: str | None = None,
                snr_db: float | None = NOISE_SNR_DB, limit: int | None = None) -> dict[str, Any]:
    """WER and routing accuracy from speech on the English utterances of one routing set."""
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    items = [it for it in items if it["lang"] == "en"][:limit]
    conditions: dict[str, dict[str, list[Any]]] = {"clean": {"hyp": [], "ok": []}}
    if snr_db is not None:
        conditions[f"noise_{snr_db:g}db"] = {"hyp": [], "ok": []}
    typed_ok, ms = [], []
    for i, it in enumerate(items):
        clip = read_wav(synthesize_speech(it["text"], "en", voice=voice))
        typed_ok.append(_route(bot, it, it["text"]) == it["intent"])
        for name, acc in conditions.items():
            audio = clip if name == "clean" else add_noise(clip, float(snr_db or 0), random_state=i)
            start = time.perf_counter()
            try:
                heard = recognizer.transcribe(audio).text
            except FinloomError:
                heard = ""
            ms.append((time.perf_counter() - start) * 1000)
            acc["hyp"].append(heard)
            acc["ok"].append(bool(heard) and _route(bot, it, heard) == it["intent"])
    refs = [it["text"] for it in items]
    out: dict[str, Any] = {"utterances": len(items), "voice": voice or ESPEAK_VOICES["en"],
                           "language_model": recognizer.language_model,
                           "routing_accuracy_typed_en": round(float(np.mean(typed_ok)), 4)}
    for name, acc in conditions.items():
        out[name] = {"wer_en": round(word_error_rate(refs, acc["hyp"]), 4),
                     "routing_accuracy_from_speech_en": round(float(np.mean(acc["ok"])), 4)}
    out["decode_p95_ms"] = round(float(np.percentile(ms, 95)), 1) if ms else None
    out["file"] = str(path.relative_to(ROOT.parent)) if path.is_relative_to(ROOT.parent) else str(path)
    out["noise"] = f"white Gaussian noise at {snr_db:g} dB SNR (synthetic, not recorded)" if snr_db else None
    out["wer_zh"] = None
    out["wer_zh_note"] = NO_CHINESE_ASR
    out["provenance"] = provenance()
    return out
