"""Load test of the chat API: N concurrent sessions × M turns over HTTP on loopback.

Starts ``finloom serve`` on a free port with a throwaway workspace, drives it from N threads, then
counts the turns persisted in the database. Bounded in count and time; only 127.0.0.1 is used.

    python -m benchmarks.customer_service_load [--sessions 50] [--turns 20]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

from benchmarks._common import RESULTS, print_table, provenance, write_results
from finloom._io import atomic_write_text

KEY = "fl_loadloadload_" + "l" * 32
MESSAGES = [
    "How long until my new card arrives?", "What is the fee for an international transfer?", "我的卡丢了",
    "How do I dispute a transaction?", "What is my balance?", "thanks", "How do I reset my online banking password?",
    "转账限额是多少？", "Can I increase my credit limit?", "What are your opening hours?",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _conversation(base: str, i: int, turns: int) -> dict[str, Any]:
    errors, latencies = 0, []
    with httpx.Client(base_url=base, headers={"X-API-Key": KEY}, timeout=60) as client:
        r = client.post("/api/chat/sessions", json={"customer_id": f"load-{i}"})
        if r.status_code != 201:
            return {"session": None, "errors": turns + 1, "latencies": []}
        sid = r.json()["id"]
        for t in range(turns):
            start = time.perf_counter()
            r = client.post(f"/api/chat/sessions/{sid}/messages", json={"text": MESSAGES[(i + t) % len(MESSAGES)]})
            latencies.append(time.perf_counter() - start)
            errors += r.status_code != 200
    return {"session": sid, "errors": errors, "latencies": latencies}


def run(sessions: int, turns: int) -> dict[str, Any]:
    workspace = Path(tempfile.mkdtemp(prefix="finloom-load-"))
    port = _free_port()
    env = {**os.environ, "FINLOOM_WORKSPACE": str(workspace), "FINLOOM_BOOTSTRAP_ADMIN_KEY": KEY, "FINLOOM_PORT": str(port)}
    log = open(workspace / "server.log", "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen([sys.executable, "-m", "finloom.cli.main", "serve"], env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        # warm the assistant once so the timing covers conversations, not model loading
        with httpx.Client(base_url=base, headers={"X-API-Key": KEY}, timeout=120) as c:
            c.post("/api/chat/sessions", json={})
        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=sessions) as pool:
            results = list(pool.map(lambda i: _conversation(base, i, turns), range(sessions)))
        seconds = time.perf_counter() - start
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    from sqlalchemy import func, select

    from finloom.store import ChatTurn, make_engine, make_session_factory

    factory = make_session_factory(make_engine(f"sqlite:///{workspace / 'finloom.db'}"))
    ids = [r["session"] for r in results if r["session"]]
    with factory() as db:
        persisted = db.scalar(
            select(func.count()).where(ChatTurn.session_id.in_(ids), ChatTurn.role == "customer")
        ) or 0
    latencies = sorted(x for r in results for x in r["latencies"])
    return {
        "sessions": sessions,
        "turns": sessions * turns,
        "errors": sum(r["errors"] for r in results),
        "lost_messages": sessions * turns - int(persisted),
        "seconds": round(seconds, 2),
        "turns_per_s": round(sessions * turns / seconds, 1),
        "http_p50_ms": round(1000 * latencies[len(latencies) // 2], 1) if latencies else None,
        "http_p95_ms": round(1000 * latencies[int(len(latencies) * 0.95)], 1) if latencies else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--turns", type=int, default=20)
    args = parser.parse_args()
    load = run(args.sessions, args.turns)
    print_table("chat API load (loopback)", ["metric", "value", "target"],
                [["errors", load["errors"], 0], ["lost messages", load["lost_messages"], 0],
                 ["turns", load["turns"], args.sessions * args.turns], ["turns/s", load["turns_per_s"], "-"],
                 ["HTTP p50 ms", load["http_p50_ms"], "-"], ["HTTP p95 ms", load["http_p95_ms"], "-"]])
    path = RESULTS / "customer_service.json"
    document = json.loads(path.read_text()) if path.exists() else {}
    document["load"] = {**load, "provenance": provenance()}
    atomic_write_text(path, json.dumps(document, indent=2, ensure_ascii=False) + "\n")  # keeps its machine
    write_results("customer_service_load", load)


if __name__ == "__main__":
    main()
