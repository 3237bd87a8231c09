"""Voice channel: WAV checks, the domain language model, word error rate, and an offline round
trip (espeak-ng speaks, PocketSphinx recognises, the assistant routes)."""

from __future__ import annotations

import io
import math
import wave

import numpy as np
import pytest

from finloom.apps.customer_service._audio import (
    AudioClip,
    AudioLimits,
    add_noise,
    read_wav,
    wav_bytes,
)
from finloom.apps.customer_service._lm import normalize_words, train_arpa
from finloom.apps.customer_service._speech import (
    NO_CHINESE_ASR,
    SpeechRecognizer,
    espeak_available,
    synthesize_speech,
    word_error_rate,
)
from finloom.errors import InvalidDataError, NotFittedError, PayloadTooLargeError

needs_espeak = pytest.mark.skipif(not espeak_available(), reason="espeak-ng is not installed (apt-get install espeak-ng)")


def _tone(seconds: float, rate: int = 16000, amplitude: int = 4000) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (amplitude * np.sin(2 * np.pi * 220 * t)).astype(np.int16)


@pytest.fixture(scope="module")
def recognizer():
    pytest.importorskip("pocketsphinx")
    from finloom.apps.customer_service.service import build_speech_recognizer

    return build_speech_recognizer()


def test_read_wav_mixes_stereo_and_8_bit_down_to_mono_int16():
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(1)
        w.setframerate(8000)
        w.writeframes(bytes([128 + 40, 128 + 20]) * 4000)
    clip = read_wav(buf.getvalue())
    assert clip.rate == 8000 and clip.samples.dtype == np.int16 and len(clip.samples) == 4000
    assert clip.samples[0] == 30 * 256


@pytest.mark.parametrize(("data", "error", "message"), [
    (b"", InvalidDataError, "audio must contain a recording; got an empty file"),
    (b"ID3\x03\x00\x00\x00\x00 an mp3", InvalidDataError, "audio must be a WAV file (RIFF/WAVE); got a file starting with b'ID3\\x03"),
    (b"RIFF\x00\x00\x00\x00WAVEjunk", InvalidDataError, "audio must be an uncompressed PCM WAV file"),
    (wav_bytes(np.zeros(16000, np.int16), 16000), InvalidDataError, "audio must contain speech; this recording is silent"),
    (wav_bytes(_tone(0.05), 16000), InvalidDataError, "audio must be at least 0.2 seconds long; got 0.05 s"),
    (wav_bytes(_tone(31, rate=8000), 8000), PayloadTooLargeError, "audio must be at most 30 seconds long; got 31.0 s"),
])
def test_read_wav_refuses_bad_recordings_with_clear_messages(data, error, message):
    with pytest.raises(error) as info:
        read_wav(data)
    assert str(info.value).startswith(message)


def test_read_wav_limits_and_resampling():
    clip = read_wav(wav_bytes(_tone(2.0, rate=22050), 22050), limits=AudioLimits(max_seconds=5))
    down = clip.resampled(16000)
    assert down.rate == 16000 and abs(down.seconds - 2.0) < 1e-3
    with pytest.raises(PayloadTooLargeError, match="at most 1 seconds"):
        read_wav(wav_bytes(_tone(2.0), 16000), limits=AudioLimits(max_seconds=1))


def test_add_noise_hits_the_requested_snr_and_is_seeded():
    clip = AudioClip(_tone(1.0), 16000)
    a, b = add_noise(clip, 10, random_state=1), add_noise(clip, 10, random_state=1)
    assert np.array_equal(a.samples, b.samples)
    noise = a.samples.astype(float) - clip.samples
    snr = 10 * math.log10(np.mean(clip.samples.astype(float) ** 2) / np.mean(noise**2))
    assert abs(snr - 10) < 0.5


def test_word_error_rate_counts_edits_over_reference_words():
    assert word_error_rate(["freeze my card", "hi"], ["freeze card", "hi there"]) == pytest.approx(2 / 4)
    assert word_error_rate(["I was charged 85"], ["i was charged eighty five"]) == 0.0
    with pytest.raises(InvalidDataError, match="must be as many"):
        word_error_rate(["a"], [])


def test_normalize_words_spells_numbers():
    assert normalize_words("Send 1,250 to Bob's account") == ["send", "one", "two", "hundred", "fifty", "to", "bob's", "account"]


def _arpa_probs(arpa: str) -> dict[int, dict[tuple[str, ...], tuple[float, float]]]:
    out: dict[int, dict[tuple[str, ...], tuple[float, float]]] = {1: {}, 2: {}, 3: {}}
    order = 0
    for line in arpa.splitlines():
        if line.endswith("-grams:"):
            order = int(line[1])
        elif order and line.strip() and not line.startswith("\\"):
            parts = line.split("\t")
            out[order][tuple(parts[1].split())] = (10 ** float(parts[0]), 10 ** float(parts[2]) if len(parts) > 2 else 1.0)
    return out


def test_train_arpa_distributions_sum_to_one_with_backoff():
    sentences = [["freeze", "my", "card"], ["block", "my", "card"], ["freeze", "my", "account"]]
    lm = _arpa_probs(train_arpa(sentences, floor_words=["balance"]))
    vocab = [g[0] for g in lm[1] if g[0] != "<s>"]
    assert "balance" in vocab
    assert sum(lm[1][(w,)][0] for w in vocab) == pytest.approx(1.0, abs=1e-3)
    for history in [("my",), ("<s>", "freeze")]:
        total = 0.0
        for w in vocab:
            g = (*history, w)
            if g in lm[len(g)]:
                total += lm[len(g)][g][0]
            elif len(history) == 1:
                total += lm[1][history][1] * lm[1][(w,)][0]
            else:
                lower = lm[2].get((history[1], w))
                p = lower[0] if lower else lm[1][(history[1],)][1] * lm[1][(w,)][0]
                total += lm[2][history][1] * p
        assert total == pytest.approx(1.0, abs=1e-3)


def test_recognizer_must_be_fitted_and_refuses_chinese(recognizer):
    with pytest.raises(NotFittedError, match="call fit"):
        SpeechRecognizer().transcribe(b"")
    with pytest.raises(InvalidDataError) as info:
        recognizer.transcribe(wav_bytes(_tone(1.0), 16000), lang="zh")
    assert str(info.value) == NO_CHINESE_ASR
    with pytest.raises(InvalidDataError, match="'language_model' parameter of SpeechRecognizer"):
        SpeechRecognizer(language_model="big").fit(["a b"])


@needs_espeak
def test_synthesize_speech_speaks_english_and_mandarin():
    for text, lang in [("Your card is frozen.", "en"), ("您的卡已冻结。", "zh")]:
        clip = read_wav(synthesize_speech(text, lang))
        assert clip.seconds > 0.5
    with pytest.raises(InvalidDataError, match="lang must be one of"):
        synthesize_speech("hi", "fr")


@needs_espeak
def test_voice_round_trip_routes_a_spoken_request(recognizer):
    from finloom.apps.customer_service import build_demo_assistant

    heard = recognizer.transcribe(synthesize_speech("show my recent transactions")).text
    assert word_error_rate(["show my recent transactions"], [heard]) <= 0.25
    bot = build_demo_assistant()
    session = bot.start_session(customer_id="c1")
    assert bot.handle_message(session.id, heard).intent == "recent_transactions"
