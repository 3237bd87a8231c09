"""Offline speech for the assistant: PocketSphinx recognises English (its model ships in the
PyPI wheel) with a language model trained on the bank's sentences; espeak-ng (Debian) speaks
English and Mandarin replies. No registry package ships a Mandarin recogniser model, so Chinese
speech in is refused with a clear message."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from finloom.apps.customer_service._audio import AudioClip, read_wav
from finloom.apps.customer_service._lm import normalize_words, number_words, train_arpa
from finloom.errors import InvalidDataError, MissingDependencyError, NotFittedError

__all__ = ["ESPEAK_VOICES", "SpeechRecognizer", "Transcript", "espeak_available", "synthesize_speech",
           "word_error_rate"]

ESPEAK_VOICES = {"en": "en-us+klatt4", "zh": "cmn"}  # Klatt synthesis: clearer to the recogniser than the default
RECOGNISER_RATE = 16000
NO_CHINESE_ASR = ("speech recognition must be in English: no offline Mandarin recogniser model installs from "
                  "the package registries. Type the message in Chinese instead, or speak English.")
_MAX_SPOKEN_CHARS = 1500


@dataclass(frozen=True)
class Transcript:
    """What the recogniser heard."""

    text: str
    lang: str
    seconds: float  # length of the audio
    decode_ms: float


def espeak_available() -> bool:
    """True when the ``espeak-ng`` program is installed.

    Examples
    --------
    >>> isinstance(espeak_available(), bool)
    True
    """
    return shutil.which("espeak-ng") is not None


def synthesize_speech(text: str, lang: str = "en", *, voice: str | None = None, words_per_minute: int = 160) -> bytes:
    """WAV bytes of ``text`` spoken by espeak-ng (English ``en-us`` or Mandarin ``cmn`` voice).

    Raises
    ------
    MissingDependencyError
        espeak-ng is not installed.
    InvalidDataError
        Empty text or an unsupported language.

    Examples
    --------
    >>> wav = synthesize_speech("Your card is frozen.")  # doctest: +SKIP
    >>> wav[:4]  # doctest: +SKIP
    b'RIFF'
    """
    if lang not in ESPEAK_VOICES:
        raise InvalidDataError(f"lang must be one of {sorted(ESPEAK_VOICES)}; got {lang!r}.")
    if not text.strip():
        raise InvalidDataError("text to speak must not be empty.")
    exe = shutil.which("espeak-ng")
    if exe is None:
        raise MissingDependencyError("speech output needs the espeak-ng program; install it with "
                                     "'apt-get install espeak-ng' (scripts/setup.sh --with-test-tools does).")
    done = subprocess.run([exe, "-v", voice or ESPEAK_VOICES[lang], "-s", str(words_per_minute), "--stdout", "--stdin"],
                          input=text[:_MAX_SPOKEN_CHARS].encode("utf-8"), capture_output=True, timeout=60,
                          check=False)
    if done.returncode != 0 or done.stdout[:4] != b"RIFF":
        raise InvalidDataError(f"espeak-ng could not speak the text: {done.stderr.decode(errors='replace')[:200]}")
    return _fix_stream_header(done.stdout)


def _fix_stream_header(data: bytes) -> bytes:
    """espeak-ng writing to a pipe leaves the RIFF and data sizes unset (0xFFFFFFFF); fill them in."""
    import struct

    out = bytearray(data)
    out[4:8] = struct.pack("<I", len(out) - 8)
    pos = out.find(b"data", 12)
    if pos >= 0:
        out[pos + 4:pos + 8] = struct.pack("<I", len(out) - pos - 8)
    return bytes(out)


def word_error_rate(references: Sequence[str], hypotheses: Sequence[str]) -> float:
    """Corpus word error rate: word edits (substitutions, insertions, deletions) over reference
    words, after :func:`normalize_words`.

    Examples
    --------
    >>> word_error_rate(["freeze my card"], ["freeze the card"])
    0.3333333333333333
    """
    if len(references) != len(hypotheses):
        raise InvalidDataError(f"references and hypotheses must be as many; got {len(references)} and "
                               f"{len(hypotheses)}.")
    edits = words = 0
    for ref, hyp in zip(references, hypotheses, strict=True):
        r, h = normalize_words(ref), normalize_words(hyp)
        row = list(range(len(h) + 1))
        for i, rw in enumerate(r, start=1):
            prev, row[0] = row[0], i
            for j, hw in enumerate(h, start=1):
                prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (rw != hw))
        edits += row[-1]
        words += len(r)
    return edits / max(words, 1)


def _dictionary(path: Path) -> dict[str, list[str]]:
    """CMU pronouncing dictionary: word -> its lines (alternates ``word(2)`` included)."""
    entries: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        head = line.split(" ", 1)[0]
        entries.setdefault(head.split("(", 1)[0], []).append(line)
    return entries


class SpeechRecognizer:
    """English speech to text with PocketSphinx and a domain language model.

    Parameters
    ----------
    language_model : ``"domain"`` (a trigram model trained on the texts given to :meth:`fit`) or
        ``"generic"`` (PocketSphinx's own English model; :meth:`fit` ignores the texts).
    discount : absolute discount of the domain trigram model.
    floor_weight : unigram mass kept for the ``floor_words`` passed to :meth:`fit`.
    decoder_options : extra PocketSphinx settings (e.g. ``{"beam": 1e-60}``); dither is on by
        default, which steadies recognition of synthetic speech with digital silence.

    Examples
    --------
    >>> rec = SpeechRecognizer().fit(["freeze my card", "what is my balance"])  # doctest: +SKIP
    >>> rec.transcribe(synthesize_speech("what is my balance")).text  # doctest: +SKIP
    'what is my balance'
    """

    def __init__(self, *, language_model: str = "domain", discount: float = 0.5, floor_weight: float = 0.02,
                 decoder_options: dict[str, Any] | None = None) -> None:
        self.language_model = language_model
        self.decoder_options = decoder_options
        self.discount = discount
        self.floor_weight = floor_weight

    def fit(self, texts: Iterable[str], *, floor_words: Iterable[str] = ()) -> SpeechRecognizer:
        """Train the language model on English ``texts`` (words PocketSphinx cannot pronounce are
        dropped) and load the decoder."""
        try:
            import pocketsphinx
        except ImportError:
            raise MissingDependencyError("speech input needs PocketSphinx; install finloom[voice].") from None
        if self.language_model not in ("domain", "generic"):
            raise InvalidDataError("The 'language_model' parameter of SpeechRecognizer must be 'domain' or "
                                   f"'generic'; got {self.language_model!r}.")
        options = {"dither": True, **(self.decoder_options or {})}
        model = Path(pocketsphinx.get_model_path()) / "en-us"
        self._lock = threading.Lock()
        if self.language_model == "generic":
            self.decoder_ = pocketsphinx.Decoder(samprate=RECOGNISER_RATE, loglevel="FATAL", **options)
            self.vocabulary_: list[str] = []
            return self
        lexicon = _dictionary(model / "cmudict-en-us.dict")
        sentences = [[w for w in normalize_words(t) if w in lexicon] for t in texts]
        sentences = [s for s in sentences if s]
        sentences += [number_words(n).split() for n in (*range(100), 100, 1000, 250, 500)]
        if len(sentences) < 2:
            raise InvalidDataError("the speech language model needs at least 2 English sentences; got fewer.")
        floor = [w for w in floor_words if w in lexicon]
        arpa = train_arpa(sentences, discount=self.discount, floor_words=floor, floor_weight=self.floor_weight)
        vocab = {w for s in sentences for w in s} | set(floor)
        with tempfile.TemporaryDirectory() as tmp:
            (Path(tmp) / "lm.arpa").write_text(arpa, encoding="utf-8")
            (Path(tmp) / "words.dict").write_text(
                "\n".join(line for w in sorted(vocab) for line in lexicon[w]) + "\n", encoding="utf-8")
            self.decoder_ = pocketsphinx.Decoder(
                hmm=str(model / "en-us"), lm=str(Path(tmp) / "lm.arpa"), dict=str(Path(tmp) / "words.dict"),
                samprate=RECOGNISER_RATE, loglevel="FATAL", **options)
        self.vocabulary_ = sorted(vocab)
        return self

    def transcribe(self, audio: bytes | AudioClip, *, lang: str = "en") -> Transcript:
        """The words in a WAV upload (or a clip already read).

        Raises
        ------
        InvalidDataError
            Not a WAV, silent, too short, Chinese, or no words recognised.
        PayloadTooLargeError
            Longer than the clip limit.
        """
        import time

        if not hasattr(self, "decoder_"):
            raise NotFittedError("this SpeechRecognizer is not fitted yet; call fit(texts) first.")
        if lang != "en":
            raise InvalidDataError(NO_CHINESE_ASR)
        clip = audio if isinstance(audio, AudioClip) else read_wav(audio)
        pcm = clip.resampled(RECOGNISER_RATE).samples.tobytes()
        start = time.perf_counter()
        with self._lock:
            self.decoder_.start_utt()
            self.decoder_.process_raw(pcm, full_utt=True)
            self.decoder_.end_utt()
            hyp = self.decoder_.hyp()
        text = hyp.hypstr.strip() if hyp is not None else ""
        if not text:
            raise InvalidDataError("no words were recognised in the recording; speak closer to the microphone "
                                   "or type the message.")
        return Transcript(text, lang, round(clip.seconds, 3), round((time.perf_counter() - start) * 1000, 1))

