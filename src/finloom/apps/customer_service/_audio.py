"""WAV audio for the voice channel: read and check an upload (format, length, silence), resample
it to the recogniser's rate, write PCM WAV bytes, and add noise at a chosen signal-to-noise ratio."""

from __future__ import annotations

import io
import math
import wave
from dataclasses import dataclass

import numpy as np

from finloom.errors import InvalidDataError, PayloadTooLargeError

__all__ = ["AudioClip", "AudioLimits", "add_noise", "read_wav", "wav_bytes"]

_SILENCE_DBFS = -50.0  # a clip whose loudest 50 ms window is quieter than this holds no speech


@dataclass(frozen=True)
class AudioLimits:
    """Limits on an uploaded clip.

    Parameters
    ----------
    max_seconds : longer clips are refused (a voice message is one request, not a recording).
    min_seconds : shorter clips are refused as empty.
    """

    max_seconds: float = 30.0
    min_seconds: float = 0.2


@dataclass(frozen=True)
class AudioClip:
    """Mono 16-bit samples and their rate."""

    samples: np.ndarray  # (N,) int16
    rate: int

    @property
    def seconds(self) -> float:
        """Duration in seconds."""
        return len(self.samples) / self.rate

    def resampled(self, rate: int) -> AudioClip:
        """The clip at ``rate`` Hz (polyphase filter), e.g. 16 kHz for the recogniser."""
        if rate == self.rate:
            return self
        from scipy.signal import resample_poly

        g = math.gcd(rate, self.rate)
        y = resample_poly(self.samples.astype(np.float32), rate // g, self.rate // g)
        return AudioClip(np.clip(np.round(y), -32768, 32767).astype(np.int16), rate)

    def peak_dbfs(self) -> float:
        """Loudness of the loudest 50 ms window in dB below full scale (-inf for digital silence)."""
        x = self.samples.astype(np.float64) / 32768.0
        win = max(1, self.rate // 20)
        n = len(x) // win
        if n == 0:
            return -math.inf
        rms = np.sqrt(np.mean(x[: n * win].reshape(n, win) ** 2, axis=1)).max()
        return float(20 * np.log10(rms)) if rms > 0 else -math.inf


def _decode(data: bytes) -> tuple[np.ndarray, int, int]:
    """Frames, rate and channels of a PCM WAV (8, 16, 24 or 32-bit)."""
    try:
        with wave.open(io.BytesIO(data)) as w:
            width, channels, rate = w.getsampwidth(), w.getnchannels(), w.getframerate()
            raw = w.readframes(w.getnframes())
    except (wave.Error, EOFError) as exc:
        raise InvalidDataError(f"audio must be an uncompressed PCM WAV file; this one could not be read "
                               f"({exc}). Save or export the recording as 16-bit PCM WAV.") from None
    if width == 1:
        x = (np.frombuffer(raw, np.uint8).astype(np.int16) - 128) * 256
    elif width == 2:
        x = np.frombuffer(raw, "<i2").astype(np.int16)
    elif width == 3:
        b = np.frombuffer(raw, np.uint8).reshape(-1, 3)
        x = (b[:, 2].astype(np.int8).astype(np.int16) << 8) | b[:, 1]
    else:
        x = (np.frombuffer(raw, "<i4") >> 16).astype(np.int16)
    return x, rate, channels


def read_wav(data: bytes, *, limits: AudioLimits | None = None) -> AudioClip:
    """Check and read an uploaded WAV into a mono clip.

    Raises
    ------
    InvalidDataError
        Not a WAV file (MP3, WebM, a text file, ...), an empty or too short clip, or silence.
    PayloadTooLargeError
        A clip longer than ``limits.max_seconds``.

    Examples
    --------
    >>> clip = read_wav(wav_bytes(np.full(8000, 3000, np.int16), 16000))
    >>> clip.rate, clip.seconds
    (16000, 0.5)
    >>> read_wav(b"ID3 not a wave")
    Traceback (most recent call last):
    ...
    finloom.errors.InvalidDataError: audio must be a WAV file (RIFF/WAVE); got a file starting with b'ID3 not '. Record or convert the message to 16-bit PCM WAV.
    """
    limits = limits or AudioLimits()
    if not isinstance(data, bytes | bytearray):
        raise TypeError(f"audio must be bytes; got {type(data).__name__}.")
    if len(data) == 0:
        raise InvalidDataError("audio must contain a recording; got an empty file. Record a message and send it again.")
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise InvalidDataError(f"audio must be a WAV file (RIFF/WAVE); got a file starting with {bytes(data[:8])!r}. "
                               "Record or convert the message to 16-bit PCM WAV.")
    x, rate, channels = _decode(bytes(data))
    if channels > 1:
        x = x[: len(x) // channels * channels].reshape(-1, channels).astype(np.int32).mean(axis=1).astype(np.int16)
    seconds = len(x) / rate if rate else 0.0
    if seconds > limits.max_seconds:
        raise PayloadTooLargeError(f"audio must be at most {limits.max_seconds:g} seconds long; got {seconds:.1f} s. "
                                   "Send a shorter voice message.")
    if seconds < limits.min_seconds:
        raise InvalidDataError(f"audio must be at least {limits.min_seconds:g} seconds long; got {seconds:.2f} s. "
                               "Record a message and send it again.")
    clip = AudioClip(x, rate)
    if clip.peak_dbfs() < _SILENCE_DBFS:
        raise InvalidDataError("audio must contain speech; this recording is silent. "
                               "Check the microphone and speak after pressing record.")
    return clip


def wav_bytes(samples: np.ndarray, rate: int) -> bytes:
    """Mono 16-bit PCM WAV bytes of ``samples``.

    Examples
    --------
    >>> wav_bytes(np.zeros(4, np.int16), 16000)[:4]
    b'RIFF'
    """
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(np.asarray(samples, dtype="<i2").tobytes())
    return buf.getvalue()


def add_noise(clip: AudioClip, snr_db: float, *, random_state: int | None = None) -> AudioClip:
    """The clip with white Gaussian noise at ``snr_db`` dB signal-to-noise ratio (over the whole clip).

    Examples
    --------
    >>> c = AudioClip(np.full(1600, 1000, np.int16), 16000)
    >>> noisy = add_noise(c, 10, random_state=0)
    >>> bool((noisy.samples != c.samples).any()), len(noisy.samples)
    (True, 1600)
    """
    rng = np.random.default_rng(random_state)
    x = clip.samples.astype(np.float64)
    power = float(np.mean(x**2)) or 1.0
    noise = rng.normal(0.0, math.sqrt(power / 10 ** (snr_db / 10)), len(x))
    return AudioClip(np.clip(np.round(x + noise), -32768, 32767).astype(np.int16), clip.rate)
