"""A real finloom server (uvicorn, child-process jobs) and headless Debian Chromium via Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

KEY = "fl_e2ee2ee2ee2e_" + "e" * 32
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def chromium_path() -> str:
    path = os.environ.get("FINLOOM_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        message = "Debian chromium is not installed (scripts/setup.sh --with-test-tools installs it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """Start ``finloom serve`` on a free port with a bootstrap admin key; yield its base URL."""
    workspace = tmp_path_factory.mktemp("e2e-ws")
    port = _free_port()
    env = {**os.environ, "FINLOOM_WORKSPACE": str(workspace), "FINLOOM_BOOTSTRAP_ADMIN_KEY": KEY, "FINLOOM_PORT": str(port)}
    log = open(workspace / "server.log", "w")  # noqa: SIM115 - closed after the server stops
    proc = subprocess.Popen([sys.executable, "-m", "finloom.cli.main", "serve"], env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.3)
    else:
        proc.terminate()
        raise RuntimeError("finloom server did not start: " + (workspace / "server.log").read_text()[-2000:])
    yield base
    proc.terminate()
    proc.wait(timeout=20)
    log.close()


@pytest.fixture
def browser_context_factory(tmp_path):
    """Open pages in separate Chromium profiles (each a fresh user-data dir), closed after the test."""
    sync_api = pytest.importorskip("playwright.sync_api")
    contexts = []
    with sync_api.sync_playwright() as p:

        def new_page():
            context = p.chromium.launch_persistent_context(
                str(tmp_path / f"chromium-profile-{len(contexts)}"), executable_path=chromium_path(),
                args=CHROMIUM_ARGS, headless=True,
            )
            contexts.append(context)
            return context.pages[0] if context.pages else context.new_page()

        yield new_page
        for context in contexts:
            context.close()


@pytest.fixture
def page(browser_context_factory):
    return browser_context_factory()


def sign_in_as(page, server: str, user: str, role: str) -> None:
    """Create a key for ``user`` with ``role`` (as the admin) and sign in with it."""
    key = httpx.post(f"{server}/api/keys", headers={"X-API-Key": KEY}, json={"user": user, "role": role}).json()["key"]
    sign_in(page, server, key)
    page.wait_for_url(f"{server}/")


def sign_in(page, server: str, key: str = KEY) -> None:
    """Sign in on the login page with an API key."""
    page.goto(f"{server}/login")
    page.fill("#key", key)
    page.click("#signin")


def upload(page, server: str, name: str, path) -> None:
    """Upload a file as dataset ``name`` from the datasets page (not waiting for the result)."""
    page.goto(f"{server}/datasets")
    page.fill("#name", name)
    page.set_input_files("#file", str(path))
    page.click("#upload")
