"""Warmup: build once in the background, say "warming up" meanwhile, report a failed build clearly."""

from __future__ import annotations

import threading

import pytest

from finloom._warmup import WarmingUpError, Warmup, retry_headers
from finloom.errors import ConfigError, ServiceError


def test_get_says_warming_up_until_the_build_ends():
    release, calls = threading.Event(), []

    def build():
        calls.append(1)
        release.wait(10)
        return "bot"

    warm = Warmup(build, what="the assistant")
    with pytest.raises(WarmingUpError, match="the assistant must be ready before use; got 'warming up'") as info:
        warm.get()  # the first call starts the build
    assert warm.status == "warming" and retry_headers(info.value) == {"Retry-After": "5"}
    warm.start()
    release.set()
    assert warm.wait(timeout=10) == "bot" and warm.get() == "bot" and calls == [1]


def test_a_failed_build_is_reported_with_its_reason():
    def build():
        raise ConfigError("assistant_intents must be a saved intent model; got '/nope'.")

    warm = Warmup(build, what="the assistant")
    with pytest.raises(ServiceError) as info:
        warm.wait(timeout=10)
    assert warm.status == "failed" and not isinstance(info.value, WarmingUpError)
    assert info.value.message == ("the assistant must build before use; got assistant_intents must be a saved intent "
                                  "model; got '/nope'. Fix the cause and restart the server.")


def test_an_unexpected_build_error_does_not_leak_its_text():
    def build():
        raise RuntimeError("secret path /srv/models and card 4111 1111 1111 1111")

    warm = Warmup(build, what="the assistant")
    with pytest.raises(ServiceError, match="got an unexpected RuntimeError \\(see the server log\\)"):
        warm.wait(timeout=10)
