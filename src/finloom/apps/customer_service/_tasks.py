"""Multi-turn banking tasks with slot filling and confirmation: freeze a card, report a lost
card, dispute a transaction, check balances and list recent transactions."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from finloom.apps.customer_service._banking import Account, Card, CoreBanking, Transaction
from finloom.apps.customer_service._cues import list_reference, names_task_action
from finloom.apps.customer_service._dialogue import looks_like_question, pick_choice
from finloom.apps.customer_service._entities import Entity, extract_entities
from finloom.apps.customer_service._lang import normalize_text
from finloom.apps.customer_service._messages import is_cancel, is_no, is_yes, reason_label, say
from finloom.errors import FinloomError

__all__ = ["TASK_SLOTS", "TaskOutcome", "TaskRunner"]

# slots each task needs, in the order they are asked; "confirm" = explicit yes before acting.
TASK_SLOTS: dict[str, tuple[str, ...]] = {
    "freeze_card": ("card", "confirm"),
    "lost_card": ("card", "confirm"),
    "dispute_transaction": ("transaction", "reason", "confirm"),
    "check_balance": (),
    "recent_transactions": ("account",),
}
_REASON_WORDS = {
    "unauthorised": ("didn't make", "did not make", "not me", "fraud", "unauthori", "stolen",
                     "n't recogni", "dont recogni", "do not recogni", "wasn't me", "not mine", "n't mine",
                     "isnt mine", "wasnt mine", "never made",
                     "never bought", "no idea what", "不是我", "非本人", "盗刷", "陌生", "没买过", "没印象",
                     "不认识", "没消费过"),
    "duplicate": ("twice", "duplicate", "double", "two times", "两次", "两回", "两遍", "重复", "扣了两"),
    "not_received": ("never arrived", "not received", "didn't receive", "never got", "didn't get",
                     "never showed", "didn't show up", "never turned up", "didn't turn up", "didn't arrive",
                     "never delivered", "not delivered",
                     "hasn't arrived", "never came", "never received", "没收到", "未收到", "没到", "没有收到",
                     "没寄到", "没发货"),
    "wrong_amount": ("wrong amount", "overcharged", "more than", "amount doesn't match",
                     "amount is wrong", "instead of", "too much", "金额不对", "多收", "金额错误", "多扣",
                     "金额有误", "扣多了", "不对的金额"),
}
_NEGATED = re.compile(r"(?:\bnot|\bisn'?t|\bwasn'?t|不是|非|而不是|不(?:要|用)?(?:冻结?|挂失?|锁|查|看))\s*(?:the |my |a )?$")
_OTHER_REASON = re.compile(r"(?:it'?s |something )?(?:other|else|another reason|something else)|其他|其它|别的(?:原因)?|其他原因")
_REASON_ORDER = ("unauthorised", "duplicate", "not_received", "wrong_amount", "other")


def _reason_in(text: str) -> str | None:
    """The dispute reason a message names; with several, the last one not negated ("it's not
    fraud, they charged me twice" -> duplicate).

    Examples
    --------
    >>> _reason_in("no wait, it's not fraud, they charged me twice"), _reason_in("东西一直没收到")
    ('duplicate', 'not_received')
    """
    lower = normalize_text(text).lower().replace("'", "")  # "didnt make it" as "didn't make it"
    best: tuple[int, str] | None = None
    for reason, words in _REASON_WORDS.items():
        for w in words:
            for m in re.finditer(re.escape(w.replace("'", "")), lower):
                if _NEGATED.search(lower[max(0, m.start() - 6):m.start()]):
                    continue
                if best is None or m.start() > best[0]:
                    best = (m.start(), reason)
    return best[1] if best else None


@dataclass(frozen=True)
class TaskOutcome:
    """What a task step says: ``kind`` is task_prompt, task_done, cancelled or task_error;
    ``misunderstood`` is true when the customer's answer could not fill the awaited slot."""

    text: str
    kind: str
    misunderstood: bool = False


def _card_label(card: Card, lang: str) -> str:
    if lang == "zh":
        return f"{'借记卡' if card.kind == 'debit' else '信用卡'}（尾号{card.last4}）"
    return f"{card.kind} card ending {card.last4}"


def _account_label(acc: Account, lang: str) -> str:
    names = {"everyday": ("Everyday account", "日常账户"), "saver": ("Saver account", "储蓄账户")}
    en, zh = names.get(acc.kind, (acc.kind, acc.kind))
    return f"{zh}（尾号{acc.last4}）" if lang == "zh" else f"{en} ending {acc.last4}"


def _tx_label(tx: Transaction, lang: str) -> str:
    amount = f"{abs(tx.amount):,.2f}"
    if lang == "zh":
        return f"{tx.date.isoformat()} {tx.merchant} {amount}元"
    return f"{tx.merchant} CNY {amount} on {tx.date.isoformat()}"


def _numbered(labels: list[str]) -> str:
    return "  ".join(f"{i}. {label}" for i, label in enumerate(labels, start=1))


def _choice(text: str, n: int) -> int | None:
    m = re.fullmatch(r"\s*(?:no\.?|number|option|第)?\s*(\d)\s*(?:个|项|号|笔|张)?\s*[.。]?\s*",
                     normalize_text(text).lower())
    if m:
        return int(m.group(1)) - 1 if 1 <= int(m.group(1)) <= n else None
    return pick_choice(text, n)


def _confirms(name: str, text: str) -> bool:
    """A yes at the confirmation of task ``name``: a yes word, or the task's own action named again
    without a no ("ok, freeze it", 那好，挂失吧).

    Examples
    --------
    >>> _confirms("freeze_card", "alright then, freeze it"), _confirms("freeze_card", "不要冻结")
    (True, False)
    >>> _confirms("freeze_card", "report it stolen instead"), _confirms("freeze_card", "冻结了还能解冻吗？")
    (False, False)
    """
    if is_yes(text):
        return True
    return (names_task_action(text, name) and not is_no(text) and not is_cancel(text)
            and not looks_like_question(text))


class TaskRunner:
    """Runs the slot-filling state machine stored in ``session.slots["task"]``.

    Parameters
    ----------
    bank : the :class:`~finloom.apps.customer_service.CoreBanking` adapter to act through.

    Examples
    --------
    >>> from finloom.apps.customer_service._banking import SimulatedCoreBanking
    >>> runner = TaskRunner(SimulatedCoreBanking())
    >>> state = runner.new("freeze_card")
    >>> out = runner.step(state, "demo", "freeze my debit card", "en")
    >>> out.kind, state["awaiting"]
    ('task_prompt', 'confirm')
    >>> runner.step(state, "demo", "yes", "en").kind
    'task_done'
    """

    def __init__(self, bank: CoreBanking) -> None:
        self.bank = bank

    def new(self, name: str) -> dict[str, Any]:
        """A fresh task state (JSON-able, stored in the session)."""
        return {"name": name, "filled": {}, "awaiting": None, "options": [], "retries": 0}

    # --------------------------------------------------------------- options
    def _cards(self, customer: str, name: str) -> list[Card]:
        ok = ("active",) if name == "freeze_card" else ("active", "frozen")
        return [c for c in self.bank.list_cards(customer) if c.status in ok]

    def _options(self, state: dict[str, Any], slot: str, customer: str) -> list[Any]:
        if slot == "card":
            return self._cards(customer, state["name"])
        if slot == "account":
            return self.bank.list_accounts(customer)
        if slot == "transaction":
            everyday = self.bank.list_accounts(customer)[0]
            return self.bank.recent_transactions(customer, everyday.id, limit=5)
        return list(_REASON_ORDER)

    # --------------------------------------------------------------- filling
    def _match(self, slot: str, options: list[Any], text: str, ents: list[Entity], *,
               only_option: bool = True) -> Any:
        """The option ``text`` names; with ``only_option`` a lone card is taken even unnamed."""
        kinds = {e.kind: e.value for e in ents}
        if slot == "card":
            hits = [c for c in options if c.last4 == kinds.get("last4")
                    or (kinds.get("card_type") == c.kind and "last4" not in kinds)]
            lone = options[0] if len(options) == 1 and only_option else None
            return hits[0] if len(hits) == 1 else lone
        if slot == "account":
            hits = [a for a in options if a.kind == kinds.get("account_type") or a.last4 == kinds.get("last4")]
            return hits[0] if len(hits) == 1 else None
        if slot == "transaction":
            amount = next((float(e.value.split()[0]) for e in ents if e.kind == "amount"), None)
            hits = [t for t in options if (amount is not None and abs(abs(t.amount) - amount) < 0.01)
                    or t.merchant.lower().split()[0] in text.lower()
                    or (kinds.get("date") == t.date.isoformat())]
            return hits[0] if len(hits) == 1 else None
        found = _reason_in(text)
        if found is None and _OTHER_REASON.fullmatch(normalize_text(text).strip(" .!。！").lower()):
            found = "other"
        return found

    def _fill(self, state: dict[str, Any], customer: str, text: str, answer_to: str | None) -> bool:
        ents = extract_entities(text)
        filled_awaited = False
        for slot in TASK_SLOTS[state["name"]]:
            if slot == "confirm" or slot in state["filled"]:
                continue
            options = self._options(state, slot, customer)
            value = None
            if slot == answer_to:
                idx = _choice(text, len(options))
                idx = list_reference(text, len(options)) if idx is None else idx
                value = options[idx] if idx is not None else None
            elif slot == "transaction":  # "dispute payment 4", 第四笔付款
                idx = list_reference(text, len(options))
                value = options[idx] if idx is not None else None
            value = value or self._match(slot, options, text, ents)
            if value is not None:
                state["filled"][slot] = value if isinstance(value, str) else value.id
                filled_awaited |= slot == answer_to
        return filled_awaited

    # --------------------------------------------------------------- prompts
    def _lookup(self, state: dict[str, Any], slot: str, customer: str) -> Any:
        value = state["filled"][slot]
        if slot == "reason":
            return value
        return next(o for o in self._options(state, slot, customer) if o.id == value)

    def _prompt(self, state: dict[str, Any], slot: str, customer: str, lang: str) -> str:
        options = self._options(state, slot, customer)
        if slot == "reason":
            return say("pick_reason", lang)
        labels: dict[str, Callable[[Any, str], str]] = {
            "card": _card_label, "account": _account_label, "transaction": _tx_label}
        label = labels[slot]
        key = {"card": "pick_card", "account": "pick_account", "transaction": "pick_transaction"}[slot]
        return say(key, lang, options=_numbered([label(o, lang) for o in options]))

    def _confirm_text(self, state: dict[str, Any], customer: str, lang: str) -> str:
        if state["name"] == "dispute_transaction":
            tx = self._lookup(state, "transaction", customer)
            return say("confirm_dispute", lang, tx=_tx_label(tx, lang),
                       reason=reason_label(state["filled"]["reason"], lang))
        card = self._lookup(state, "card", customer)
        key = "confirm_freeze" if state["name"] == "freeze_card" else "confirm_lost"
        return say(key, lang, card=_card_label(card, lang))

    # --------------------------------------------------------------- execution
    def _execute(self, state: dict[str, Any], customer: str, lang: str) -> str:
        name = state["name"]
        if name == "check_balance":
            lines = "; ".join(f"{_account_label(a, lang)}: CNY {a.balance:,.2f} (available "
                              f"{a.available:,.2f})" if lang != "zh" else
                              f"{_account_label(a, lang)}：{a.balance:,.2f}元（可用{a.available:,.2f}元）"
                              for a in self.bank.list_accounts(customer))
            return say("balance", lang, lines=lines)
        if name == "recent_transactions":
            acc = self._lookup(state, "account", customer)
            txs = self.bank.recent_transactions(customer, acc.id, limit=5)
            lines = "; ".join(_tx_label(t, lang) for t in txs) or ("none" if lang != "zh" else "无")
            return say("transactions", lang, account=_account_label(acc, lang), lines=lines)
        if name == "dispute_transaction":
            tx = self._lookup(state, "transaction", customer)
            case = self.bank.open_dispute(customer, tx.id, state["filled"]["reason"])
            return say("done_dispute", lang, ref=case.reference, tx=_tx_label(tx, lang))
        card = self._lookup(state, "card", customer)
        if name == "freeze_card":
            self.bank.freeze_card(customer, card.id)
            return say("done_freeze", lang, card=_card_label(card, lang))
        self.bank.report_lost_card(customer, card.id)
        return say("done_lost", lang, card=_card_label(card, lang))

    # --------------------------------------------------------------- dialogue moves
    def current_prompt(self, state: dict[str, Any], customer: str, lang: str) -> str:
        """The question the task is waiting on, re-asked as is (for a reminder after a digression)."""
        slot = state["awaiting"]
        if slot == "confirm":
            return self._confirm_text(state, customer, lang)
        return self._prompt(state, slot, customer, lang) if slot else ""

    def answers_pending(self, state: dict[str, Any], customer: str, text: str) -> bool:
        """True when ``text`` answers the awaited question (a choice, a matching value, yes/no at a
        confirmation); the state is not changed.

        Examples
        --------
        >>> from finloom.apps.customer_service._banking import SimulatedCoreBanking
        >>> runner = TaskRunner(SimulatedCoreBanking())
        >>> state = runner.new("lost_card")
        >>> _ = runner.step(state, "demo", "I lost my card", "en")
        >>> runner.answers_pending(state, "demo", "the debit one")
        True
        >>> runner.answers_pending(state, "demo", "what is the fee for an international transfer?")
        False
        """
        awaiting = state["awaiting"]
        if awaiting is None:
            return True
        if awaiting == "confirm":
            return _confirms(state["name"], text) or is_no(text)
        return self._fill(copy.deepcopy(state), customer, text, awaiting)

    def correct(self, state: dict[str, Any], customer: str, text: str) -> bool:
        """Replace slot values that ``text`` names ("no, the credit card", "it's payment 3",
        "they charged me twice"); values it negates ("not debit", 不是借记卡) are ignored. A
        changed or restated value drops an earlier confirmation. Returns whether ``text`` named
        any value."""
        lower = normalize_text(text).lower()
        ents, seen = [], set()
        for e in extract_entities(text):  # the first value of each kind that is not negated
            if e.kind not in seen and not _NEGATED.search(lower[max(0, e.start - 6):e.start]):
                ents.append(e)
                seen.add(e.kind)
        named = False
        for slot in TASK_SLOTS[state["name"]]:
            if slot == "confirm":
                continue
            options = self._options(state, slot, customer)
            value: Any = None
            if slot == "reason":
                value = self._match(slot, options, text, ents)
            elif slot == "transaction":
                idx = list_reference(text, len(options))
                value = options[idx] if idx is not None else self._match(slot, options, text, ents,
                                                                         only_option=False)
            elif any(e.kind in ("card_type", "account_type", "last4") for e in ents):
                value = self._match(slot, options, text, ents, only_option=False)
            if value is not None:
                state["filled"][slot] = value if isinstance(value, str) else value.id
                named = True
        if named:
            state["filled"].pop("confirm", None)
            state["awaiting"], state["retries"] = None, 0
        return named

    def prefill(self, state: dict[str, Any], filled: dict[str, Any], customer: str | None = None
                ) -> dict[str, Any]:
        """Copy earlier slot values (not the confirmation) into a fresh ``state`` (carry-over).
        With ``customer``, only values that are still options of the new task are kept (a card
        reported lost can no longer be frozen).

        Examples
        --------
        >>> from finloom.apps.customer_service._banking import SimulatedCoreBanking
        >>> runner = TaskRunner(SimulatedCoreBanking())
        >>> runner.prefill(runner.new("freeze_card"), {"card": "no-such-card"}, "demo")["filled"]
        {}
        """
        for slot, value in filled.items():
            if slot == "confirm" or slot not in TASK_SLOTS[state["name"]]:
                continue
            if customer is not None and slot != "reason":
                ids = {o.id for o in self._options(state, slot, customer)}
                if value not in ids:
                    continue
            state["filled"][slot] = value
        return state

    def advance(self, state: dict[str, Any], customer: str, lang: str, *, understood: bool = True
                ) -> TaskOutcome:
        """Ask for the next missing slot, or carry the task out when nothing is missing."""
        for slot in TASK_SLOTS[state["name"]]:
            if slot in state["filled"]:
                continue
            if slot != "confirm" and not self._options(state, slot, customer):
                return TaskOutcome(say("no_active_cards", lang), "task_error")
            state["retries"] = 0 if state["awaiting"] != slot else state["retries"] + 1
            state["awaiting"] = slot
            prompt = (self._confirm_text(state, customer, lang) if slot == "confirm"
                      else self._prompt(state, slot, customer, lang))
            if not understood:
                prompt = say("not_understood_slot", lang, prompt=prompt)
            return TaskOutcome(prompt, "task_prompt", misunderstood=not understood)
        try:
            return TaskOutcome(self._execute(state, customer, lang), "task_done")
        except FinloomError as exc:
            return TaskOutcome(say("task_error", lang, error=exc.message), "task_error")

    def step(self, state: dict[str, Any], customer: str, text: str, lang: str) -> TaskOutcome:
        """Consume one customer message; mutate ``state``; return what to say next."""
        awaiting = state["awaiting"]
        if awaiting is not None and is_cancel(text):
            return TaskOutcome(say("cancelled", lang), "cancelled")
        if awaiting == "confirm":
            if _confirms(state["name"], text):
                state["filled"]["confirm"] = True
            elif is_no(text):
                return TaskOutcome(say("cancelled", lang), "cancelled")
        understood = self._fill(state, customer, text, awaiting) or awaiting in (None, "confirm")
        if awaiting == "confirm" and "confirm" not in state["filled"]:
            understood = False
        return self.advance(state, customer, lang, understood=understood)
