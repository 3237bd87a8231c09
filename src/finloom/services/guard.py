"""The faithfulness guard over HTTP: check texts against their facts; each check audited."""

from __future__ import annotations

from finloom.apps.guard import GuardBatchIn, GuardCheckIn, GuardCheckOut, check_item, check_items
from finloom.store import record_audit
from finloom.workbench import Workbench

__all__ = ["check", "check_batch"]


def check(workbench: Workbench, actor: str, body: GuardCheckIn) -> GuardCheckOut:
    """Flag what in ``body.text`` its facts do not support; audit ``guard.check``.

    Examples
    --------
    >>> import tempfile
    >>> from finloom.config import Settings
    >>> wb = Workbench(Settings(workspace=tempfile.mkdtemp()), executor_mode="thread").migrate()
    >>> check(wb, "ana", GuardCheckIn(facts={"index": "S&P 500", "change_pct": -2.37},
    ...                               text="The S&P 500 rose 2.4%.")).ok
    False
    """
    result = check_item(body)
    with workbench.session() as session:
        record_audit(session, actor=actor, action="guard.check", target=body.id or "text",
                     details={"ok": result.ok, "issues": len(result.issues)})
    return result


def check_batch(workbench: Workbench, actor: str, body: GuardBatchIn) -> list[GuardCheckOut]:
    """Check every item of a batch (order and ids kept); audit ``guard.check_batch``."""
    results = check_items(body.items)
    with workbench.session() as session:
        record_audit(session, actor=actor, action="guard.check_batch", target=f"{len(results)} texts",
                     details={"flagged": sum(not r.ok for r in results)})
    return results
