"""Items named inside metric keys: figures of one kind for several things, told apart by a word.

``{"groceries_cashback_usd": 18.4, "fuel_cashback_usd": 9.2}``, ``{"东岳银行不良率_pct": 1.12,
"南湖银行不良率_pct": 1.58}``, ``{"us_tech_growth_fund_return_pct": -3.2, "asia_dividend_fund_return_pct": 4.8}``:
the facts carry no entity for each figure, only a word in its key. A text that gives one figure to
the other's word ("fuel earned you $18.40", 南湖银行不良贷款率为1.12%) names the wrong thing.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from finloom.textgen._facts import Fact

__all__ = ["item_words", "own_item", "wrong_item"]

# words that tell a figure's period, basis or form apart, not the thing it is about
_NOT_ITEMS = {"prev", "previous", "prior", "last", "this", "next", "current", "old", "new", "open", "close", "closing",
              "opening", "start", "end", "begin", "beginning", "before", "after", "initial", "final", "ytd", "mtd", "qtd",
              "yoy", "mom", "qoq", "wow", "ttm", "ltm", "avg", "average", "mean", "median", "max", "min", "high", "low",
              "change", "growth", "delta", "diff", "return", "returns", "ret", "pct", "percent", "rate", "ratio", "level",
              "value", "amount", "total", "other", "others", "all", "net", "gross", "count", "number", "share",
              "month", "monthly", "quarter", "quarterly", "year", "yearly", "annual", "annualised", "annualized", "week",
              "weekly", "daily", "day", "q", "m", "y", "h", "fy", "target", "forecast", "estimate", "consensus",
              "benchmark", "expected", "actual", "budget", "plan", "limit", "cap", "floor", "spend", "spending"}
_ZH_NOT_ITEMS = re.compile(r"\d|本月|上月|今年|去年|年初|年末|月初|月末|期初|期末|同比|环比|以来|累计|当月|当季|本季|上季|"
                           r"调整|前值|预期|目标|合计|总|其他|平均|最高|最低|开盘|收盘|净")


def _tokens(label: str) -> list[str]:
    return [w for w in re.split(r"[\s_]+", label.lower()) if w]


_KIND_OF_ACCOUNT = re.compile(r"\b(current|fixed|variable|open|closed)(?= (?:accounts?|deposits?|rates?|saver|bonds?)\b)", re.I)


def _named_kind(label: str) -> set[str]:
    """Words that are no period or form but a product's kind in ``label``: "current account balance"
    beside "savings account balance" names the current account, not the current value."""
    return {m.group(1).lower() for m in _KIND_OF_ACCOUNT.finditer(label)}


# nouns that end a product's name: "cedar growth fund" names a fund whose style word is "growth"
_NAME_NOUNS = {"fund", "funds", "etf", "portfolio", "index", "trust", "strategy", "account", "card", "saver", "class"}


def _style_word(ta: list[str], tb: list[str]) -> bool:
    """Labels one word apart inside a name ("cedar growth fund return" / "cedar dividend fund return"):
    the word is the item even when it could also name a change ("growth") or a form ("value", "income")."""
    if len(ta) != len(tb):
        return False
    apart = [i for i, (x, y) in enumerate(zip(ta, tb, strict=True)) if x != y]
    return len(apart) == 1 and 0 < apart[0] < len(ta) - 1 and ta[apart[0] + 1] in _NAME_NOUNS and \
        all(w.isalpha() and len(w) >= 3 for w in (ta[apart[0]], tb[apart[0]]))


def _diff(a: str, b: str) -> tuple[str, str] | None:
    """The words that tell labels ``a`` and ``b`` apart, when those name items.

    Examples
    --------
    >>> _diff("cedar growth fund return", "cedar dividend fund return")
    ('growth', 'dividend')
    >>> _diff("deposit growth", "deposit balance") is None, _diff("return ytd", "return monthly") is None
    (True, True)
    """
    if a.isascii() and b.isascii():
        ta, tb = _tokens(a), _tokens(b)
        da, db = [w for w in ta if w not in tb], [w for w in tb if w not in ta]
        if _style_word(ta, tb):
            return " ".join(da), " ".join(db)
        if not da or not db or any(not w.isalpha() for w in da + db) or \
                all(w in _NOT_ITEMS - _named_kind(a) for w in da) or all(w in _NOT_ITEMS - _named_kind(b) for w in db):
            return None  # "return ytd" beside "return monthly": a period or form, not an item
        if len(" ".join(da)) < 3 or len(" ".join(db)) < 3:
            return None
        return " ".join(da), " ".join(db)
    if a.isascii() or b.isascii():
        return None
    head = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    ia, ib = a[head : len(a) - tail], b[head : len(b) - tail]
    if len(ia) < 2 or len(ib) < 2 or _ZH_NOT_ITEMS.search(ia) or _ZH_NOT_ITEMS.search(ib):
        return None
    return ia, ib


@functools.lru_cache(maxsize=512)
def _pairs(keys: tuple[tuple[str, str, str, str | None, str | None], ...]) -> dict[str, tuple[tuple[str, str], ...]]:
    out: dict[str, list[tuple[str, str]]] = {}
    for fid, label, unit, currency, entity in keys:
        for gid, other, unit2, currency2, entity2 in keys:
            if gid == fid or unit != unit2 or currency != currency2 or entity != entity2 or not label or not other:
                continue
            d = _diff(label, other)
            if d is not None:
                out.setdefault(fid, []).append(d)
    return {k: tuple(v) for k, v in out.items()}


def item_words(facts: Sequence[Fact]) -> dict[str, tuple[tuple[str, str], ...]]:
    """For each fact id, ``(own item, other item)`` against every fact of its kind told apart by a key word.

    Examples
    --------
    >>> fs = [Fact("a", 18.4, unit="currency", currency="USD", label="groceries cashback"),
    ...       Fact("b", 9.2, unit="currency", currency="USD", label="fuel cashback"),
    ...       Fact("c", 9.0, unit="currency", currency="USD", label="fuel cashback prev month")]
    >>> item_words(fs)["a"]
    (('groceries', 'fuel'), ('groceries', 'fuel prev month'))
    >>> item_words([Fact("c", 1842.17, unit="currency", label="current account balance"),
    ...             Fact("s", 12650.0, unit="currency", label="savings account balance")])["c"]
    (('current', 'savings'),)
    >>> item_words([Fact("x", 1.12, unit="%", label="东岳银行不良率"), Fact("y", 1.58, unit="%", label="南湖银行不良率")])["x"]
    (('东岳', '南湖'),)
    """
    keys = tuple((f.id, f.label or "", f.unit, f.currency, f.entity) for f in facts if f.unit != "date")
    return _pairs(keys)


@functools.lru_cache(maxsize=1024)
def _pattern(item: str) -> re.Pattern[str]:
    if not item.isascii():
        return re.compile(re.escape(item))
    words = []
    for w in item.split():
        stem = re.escape(w[:-3]) + "(?:y|ies)" if w.endswith("ies") else re.escape(w[:-1]) + "s?" if w.endswith("s") else \
            re.escape(w) + "(?:s|es)?"
        words.append(stem)
    return re.compile(r"(?<![A-Za-z])" + r"[\s-]+".join(words) + r"(?![A-Za-z])", re.I)


_FUNCTION_WORDS = {"the", "a", "an", "on", "of", "in", "for", "at", "to", "from", "by", "your", "my", "our", "their",
                   "its", "his", "her", "was", "were", "is", "are", "and", "or", "but", "with", "that", "which", "while",
                   "than", "as", "into", "via", "per", "s", "category", "both"}
_WORD_BEFORE = re.compile(r"([A-Za-z]+|[\u4e00-\u9fff])[\s-]*$")


def _named(item: str, scope: str, *, any_word: bool = False, head: bool = False,
           shared: frozenset[str] = frozenset()) -> bool:
    """Whether ``scope`` names ``item``; with ``head``, not as the last word of a longer name ("net
    interest income" does not name "income", 核心CPI not "CPI") — unless the word before is one both
    keys share ("Cedar Growth Fund" of ``cedar_growth_fund`` beside ``cedar_dividend_fund``)."""
    if any_word and item.isascii():
        return any(_pattern(w).search(scope) for w in item.split() if len(w) >= 3)
    for m in _pattern(item).finditer(scope):
        before = _WORD_BEFORE.search(scope[: m.start()]) if head and item.isascii() else None
        if before is None or before.group(1).lower() in _FUNCTION_WORDS | shared:
            return True
    return False


def wrong_item(fact: Fact, scope: str, items: dict[str, tuple[tuple[str, str], ...]]) -> str | None:
    """The other item ``scope`` (the words around a number) names instead of ``fact``'s own, or None.

    Examples
    --------
    >>> fs = [Fact("a", 18.4, unit="currency", currency="USD", label="groceries cashback"),
    ...       Fact("b", 9.2, unit="currency", currency="USD", label="fuel cashback")]
    >>> wrong_item(fs[0], "Fuel earned you the most cash back: ", item_words(fs))
    'fuel'
    >>> wrong_item(fs[0], "Groceries beat fuel: ", item_words(fs)) is None
    True
    """
    mine = _tokens(fact.label or "")
    return next((other for own, other in items.get(fact.id, ())
                 if _named(other, scope, head=True, shared=frozenset(w for w in mine if w not in own.split()))
                 and not _named(own, scope, any_word=True)), None)


def own_item(fact: Fact, scope: str, items: dict[str, tuple[tuple[str, str], ...]]) -> bool:
    """Whether ``scope`` names ``fact``'s own item and not the item it is told apart from
    ("$2 billion of premiums" beside claims paid): the number is then that fact's, whatever metric
    word stands before it.

    Examples
    --------
    >>> fs = [Fact("a", 1520.0, unit="currency", currency="USD", label="claims paid"),
    ...       Fact("b", 2000.0, unit="currency", currency="USD", label="premiums")]
    >>> own_item(fs[1], " of premiums", item_words(fs)), own_item(fs[0], " of premiums", item_words(fs))
    (True, False)
    """
    return any(_named(own, scope) and not _named(other, scope, any_word=True) for own, other in items.get(fact.id, ()))
