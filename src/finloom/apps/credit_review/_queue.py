"""The review queue: a folder of scored applicants, an append-only override log, override rates."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from finloom._io import atomic_write_text
from finloom.apps.credit_review._decisions import BANDS
from finloom.apps.credit_review.schemas import (
    DocumentFinding,
    OverrideIn,
    OverrideRecord,
    ScoredApplicant,
)
from finloom.errors import ConfigError, NotFoundError, did_you_mean

__all__ = ["ReviewQueue", "override_rates"]

_ITEMS = "applicants.json"
_LOG = "overrides.jsonl"
_META = "queue.json"


def override_rates(items: Iterable[ScoredApplicant]) -> list[dict[str, Any]]:
    """Per model band: applicants, overrides, override rate, and where the overrides went.

    Examples
    --------
    >>> a = ScoredApplicant(applicant_id="1", score=500, pd=.3, band="decline", final_band="approve")
    >>> b = ScoredApplicant(applicant_id="2", score=500, pd=.3, band="decline")
    >>> override_rates([a, b])[2]
    {'band': 'decline', 'n': 2, 'overridden': 1, 'rate': 0.5, 'to_approve': 1, 'to_refer': 0, 'to_decline': 0}
    """
    rows = []
    items = list(items)
    for band in BANDS:
        mine = [i for i in items if i.band == band]
        moved = [i for i in mine if i.final_band is not None and i.final_band != band]
        row: dict[str, Any] = {
            "band": band,
            "n": len(mine),
            "overridden": len(moved),
            "rate": round(len(moved) / len(mine), 6) if mine else 0.0,
        }
        row.update({f"to_{b}": sum(i.final_band == b for i in moved) for b in BANDS})
        rows.append(row)
    return rows


class ReviewQueue:
    """One scored batch in ``path``: ``applicants.json`` (replaced atomically) and ``overrides.jsonl``.

    Examples
    --------
    >>> import tempfile
    >>> q = ReviewQueue.create(tempfile.mkdtemp() + "/q", [ScoredApplicant(applicant_id="7", score=530,
    ...                        pd=0.2, band="refer")], meta={"model": "demo"})
    >>> rec = q.override("7", OverrideIn(band="approve", reason="Collateral verified"), actor="ana")
    >>> q.get("7").decision, q.override_rates()[1]["overridden"]
    ('approve', 1)
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        if not (self.path / _ITEMS).is_file():
            raise NotFoundError(
                f"review queue must be a folder with {_ITEMS}; got '{self.path.name}'."
            )

    @classmethod
    def create(
        cls,
        path: str | os.PathLike[str],
        items: Sequence[ScoredApplicant | dict[str, Any]],
        meta: dict[str, Any] | None = None,
    ) -> ReviewQueue:
        """Write a new queue (the folder must not hold one yet)."""
        root = Path(path)
        if (root / _ITEMS).exists():
            raise ConfigError(
                f"review queue folder must be new; got an existing queue in '{root.name}'."
            )
        root.mkdir(parents=True, exist_ok=True)
        atomic_write_text(root / _META, json.dumps(meta or {}, indent=1, ensure_ascii=False))
        atomic_write_text(
            root / _ITEMS,
            json.dumps(
                [i.to_dict() if isinstance(i, ScoredApplicant) else i for i in items],
                ensure_ascii=False,
            ),
        )
        return cls(root)

    def meta(self) -> dict[str, Any]:
        """What the queue was scored with (model, file, time)."""
        p = self.path / _META
        return json.loads(p.read_text(encoding="utf-8")) if p.is_file() else {}

    def items(self) -> list[ScoredApplicant]:
        """Every applicant with the latest override applied."""
        data = json.loads((self.path / _ITEMS).read_text(encoding="utf-8"))
        return [ScoredApplicant(**d) for d in data]

    def get(self, applicant_id: str) -> ScoredApplicant:
        """One applicant by id."""
        items = {i.applicant_id: i for i in self.items()}
        if applicant_id not in items:
            raise NotFoundError(
                f"applicant must be in the queue; got '{applicant_id}'."
                f"{did_you_mean(applicant_id, list(items)[:1000])}"
            )
        return items[applicant_id]

    def _replace(self, items: list[ScoredApplicant]) -> None:
        atomic_write_text(
            self.path / _ITEMS, json.dumps([i.to_dict() for i in items], ensure_ascii=False)
        )

    def override(self, applicant_id: str, change: OverrideIn, *, actor: str) -> OverrideRecord:
        """Set the applicant's final band with the analyst's reason; logged, then applied."""
        items = self.items()
        target = next((i for i in items if i.applicant_id == applicant_id), None)
        if target is None:
            self.get(applicant_id)  # raises the not-found message
            raise AssertionError  # pragma: no cover
        record = OverrideRecord(
            applicant_id=applicant_id,
            from_band=target.decision,
            to_band=change.band,
            reason=change.reason.strip(),
            actor=actor,
            at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        )
        with open(self.path / _LOG, "a", encoding="utf-8") as fh:
            fh.write(record.model_dump_json() + "\n")
        target.final_band = None if change.band == target.band else change.band
        target.override_reason = None if target.final_band is None else record.reason
        self._replace(items)
        return record

    def attach_findings(
        self, applicant_id: str, findings: list[DocumentFinding]
    ) -> ScoredApplicant:
        """Add document findings to an applicant (the hook for the document checks)."""
        items = self.items()
        target = next((i for i in items if i.applicant_id == applicant_id), None)
        if target is None:
            return self.get(applicant_id)
        target.findings = [*target.findings, *findings]
        self._replace(items)
        return target

    def overrides(self) -> list[OverrideRecord]:
        """The override log, oldest first."""
        p = self.path / _LOG
        if not p.is_file():
            return []
        return [
            OverrideRecord(**json.loads(ln))
            for ln in p.read_text(encoding="utf-8").splitlines()
            if ln.strip()
        ]

    def override_rates(self) -> list[dict[str, Any]]:
        """Override-rate table of this queue."""
        return override_rates(self.items())
