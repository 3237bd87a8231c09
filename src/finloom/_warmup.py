"""Build a slow object once in a background thread; callers get it, or "warming up" until it is ready."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Generic, Literal, TypeVar, cast

from finloom._logging import mask_sensitive
from finloom.errors import FinloomError, ServiceError

__all__ = ["WarmingUpError", "Warmup", "retry_headers"]

log = logging.getLogger("finloom")
T = TypeVar("T")
Status = Literal["idle", "warming", "ready", "failed"]


class WarmingUpError(ServiceError):
    """Something is still being built; the API answers 503 with ``Retry-After: retry_after``."""

    retry_after = 5


def retry_headers(exc: Exception) -> dict[str, str]:
    """HTTP headers for an error response: ``Retry-After`` while something is warming up.

    Examples
    --------
    >>> retry_headers(WarmingUpError("the assistant must be ready; got 'warming up'.")), retry_headers(ValueError())
    ({'Retry-After': '5'}, {})
    """
    return {"Retry-After": str(exc.retry_after)} if isinstance(exc, WarmingUpError) else {}


class Warmup(Generic[T]):
    """Run ``build`` once in a daemon thread; :meth:`get` returns its result once it is ready.

    Examples
    --------
    >>> warm = Warmup(lambda: "ready to chat", what="the demo")
    >>> warm.status
    'idle'
    >>> warm.start().wait(timeout=5), warm.status
    ('ready to chat', 'ready')
    """

    def __init__(self, build: Callable[[], T], *, what: str) -> None:
        self.build = build
        self.what = what
        self._result: T | None = None
        self._error: str | None = None
        self._status: Status = "idle"
        self._done = threading.Event()
        self._lock = threading.Lock()

    @property
    def status(self) -> Status:
        """``idle`` (not started), ``warming``, ``ready`` or ``failed``."""
        return self._status

    def start(self) -> Warmup[T]:
        """Start building in the background (once; later calls do nothing)."""
        with self._lock:
            if self._status != "idle":
                return self
            self._status = "warming"
        threading.Thread(target=self._run, name="finloom-warmup", daemon=True).start()
        return self

    def _run(self) -> None:
        try:
            result = self.build()
        except FinloomError as exc:
            self._fail(exc.message)
        except Exception as exc:
            log.exception("building %s failed", self.what)
            self._fail(f"an unexpected {type(exc).__name__} (see the server log)")
        else:
            self._result, self._status = result, "ready"
            log.info("%s is ready", self.what)
        finally:
            self._done.set()

    def _fail(self, reason: str) -> None:
        self._error, self._status = mask_sensitive(reason).rstrip("."), "failed"

    def get(self) -> T:
        """The built object; raises :class:`WarmingUpError` while building (and starts the build if
        nobody did), or :class:`ServiceError` if the build failed."""
        if self._status == "ready":
            return cast(T, self._result)
        if self._status == "failed":
            raise ServiceError(
                f"{self.what} must build before use; got {self._error}. Fix the cause and restart the server."
            )
        self.start()
        raise WarmingUpError(f"{self.what} must be ready before use; got 'warming up'. Try again in a few seconds.")

    def wait(self, timeout: float | None = None) -> T:
        """Block until the build ends (for tests and scripts), then behave as :meth:`get`."""
        self.start()
        self._done.wait(timeout)
        return self.get()
