"""Redis Streams ingest: sharded by account so each account's events stay in order, consumer groups
so several scorer processes share the work, acknowledgements only after the batch is committed.

A producer appends each event to ``<stream>:<shard>`` (shard = CRC-32 of the account id modulo the
shard count). A consumer owns a set of shards; it first re-reads its own pending entries
(delivered before a crash but never acknowledged), then new ones, ingests a batch through the
:class:`Monitor` (which commits it atomically and skips event ids it has already committed), and
only then acknowledges it. Killing a consumer at any moment therefore loses nothing (unacknowledged
entries come back) and duplicates nothing (committed ids are skipped). Redis keeps what the
consumers have not read yet, which is the back-pressure: producers never wait and never drop.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from finloom.apps.monitoring.transactions._monitor import Monitor

__all__ = ["ConsumerStats", "RedisConsumer", "publish", "shard_of"]


def shard_of(account_id: str, shards: int) -> int:
    """The shard of an account.

    Examples
    --------
    >>> shard_of("A000001", 4) == shard_of("A000001", 4)
    True
    """
    return zlib.crc32(account_id.encode()) % max(int(shards), 1)


def publish(
    client: Any,
    stream: str,
    events: Iterable[Mapping[str, Any]],
    *,
    shards: int = 1,
    pipeline_size: int = 1000,
) -> int:
    """Append events to the shard streams; returns how many were written."""
    n, pipe = 0, client.pipeline(transaction=False)
    for event in events:
        shard = shard_of(str(event.get("account_id", "")), shards)
        pipe.xadd(f"{stream}:{shard}", {"e": json.dumps(event, default=str)})
        n += 1
        if n % pipeline_size == 0:
            pipe.execute()
    pipe.execute()
    return n


@dataclass
class ConsumerStats:
    """Counters of one consumer run."""

    read: int = 0
    accepted: int = 0
    duplicates: int = 0
    rejected: dict[str, int] = field(default_factory=dict)
    alerts: int = 0


class RedisConsumer:
    """One scorer process reading its shards through a consumer group."""

    def __init__(
        self,
        monitor: Monitor,
        client: Any,
        stream: str,
        *,
        group: str = "finloom",
        name: str = "consumer-0",
        shards: Sequence[int] = (0,),
        batch: int = 500,
        block_ms: int = 500,
    ) -> None:
        self.monitor = monitor
        self.client = client
        self.keys = [f"{stream}:{s}" for s in shards]
        self.group, self.name, self.batch, self.block_ms = group, name, int(batch), int(block_ms)
        for key in self.keys:
            try:
                client.xgroup_create(key, group, id="0", mkstream=True)
            except Exception as exc:  # BUSYGROUP: the group exists already
                if "BUSYGROUP" not in str(exc):
                    raise

    def _read(self, start: str) -> list[tuple[str, list[tuple[str, dict[Any, Any]]]]]:
        reply = self.client.xreadgroup(
            self.group,
            self.name,
            dict.fromkeys(self.keys, start),
            count=self.batch,
            block=None if start == "0" else self.block_ms,
        )
        return [
            (k.decode() if isinstance(k, bytes) else k, entries) for k, entries in (reply or [])
        ]

    def step(self, stats: ConsumerStats) -> int:
        """Process one batch (own pending entries first); returns how many entries it handled."""
        streams = [(k, e) for k, e in self._read("0") if e] or self._read(">")
        handled = 0
        for key, entries in streams:
            if not entries:
                continue
            raws = [fields.get(b"e", fields.get("e", b"")) for _, fields in entries]
            result = self.monitor.ingest(raws)
            self.client.xack(key, self.group, *[entry_id for entry_id, _ in entries])
            stats.read += len(entries)
            stats.accepted += result.accepted
            stats.duplicates += result.duplicates
            stats.alerts += len(result.alerts)
            for reason, n in result.rejected.items():
                stats.rejected[reason] = stats.rejected.get(reason, 0) + n
            handled += len(entries)
        return handled

    def run(self, *, idle_polls: int = 3, max_events: int | None = None) -> ConsumerStats:
        """Consume until ``idle_polls`` reads in a row return nothing (or ``max_events`` are read)."""
        stats, idle = ConsumerStats(), 0
        while idle < idle_polls and (max_events is None or stats.read < max_events):
            idle = 0 if self.step(stats) else idle + 1
        return stats
