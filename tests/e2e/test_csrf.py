"""Cross-site request forgery in Chromium: a page on another local port (the same site) tries to post."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from .conftest import KEY, sign_in

_ATTACK = """<!doctype html><title>win a prize</title>
<form id="forged" method="post" action="{server}/datasets/victim/delete"></form>
<script>
  const body = new FormData();
  body.append("name", "stolen");
  body.append("file", new Blob(["a,b\\n1,2\\n"]), "x.csv");
  fetch("{server}/api/datasets", {{method: "POST", mode: "no-cors", credentials: "include", body}})
    .catch(() => null)
    .finally(() => document.getElementById("forged").submit());
</script>"""


@pytest.fixture
def attacker(server):
    """A page served from another port of 127.0.0.1 that posts to the workbench as soon as it opens."""
    html = _ATTACK.format(server=server).encode()

    class Page(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(html)

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


def _names(server):
    return [d["name"] for d in httpx.get(f"{server}/api/datasets", headers={"X-API-Key": KEY}).json()]


def test_a_page_on_another_port_cannot_post_to_the_workbench(server, page, attacker):
    r = httpx.post(f"{server}/api/datasets", headers={"X-API-Key": KEY}, files={"file": ("v.csv", b"id,x\n1,2\n2,3\n")},
                   data={"name": "victim"})
    assert r.status_code == 201, r.text
    sign_in(page, server)
    page.wait_for_url(f"{server}/")

    page.goto(attacker)
    page.wait_for_url(lambda url: url.startswith(server))  # the forged form was submitted
    page.wait_for_load_state()
    names = _names(server)
    assert "victim" in names, "the forged form deleted the dataset"
    assert "stolen" not in names, "the no-cors fetch uploaded a dataset"
    assert "must come from finloom's own pages" in page.inner_text("body")

    page.goto(f"{server}/datasets/victim")  # the user's own pages still work
    assert page.locator("#preview").count() == 1
