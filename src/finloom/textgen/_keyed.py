"""Things named by words in fact keys, read in the text's own words and language.

``{"sp500_chg_pct": -2.71, "dow_chg_pct": -1.9}``, ``{"cgb_10y_pct": 1.855, "cdb_10y_pct": 1.932}``,
``{"advisor_wang_sales_yuan": ..., "advisor_li_sales_yuan": ...}``, ``{"class_a_ocf_pct": 1.45,
"class_i_ocf_pct": 0.75}``: the facts carry one figure per index, bond, adviser or share class, and
only a word of the key tells them apart. A writer names that thing the way people do — 道指 for
"dow", 国开债 for "cdb", 赵经理 for "zhao", "the A class", "the Footsie", 离岸 for "usdcnh" — so
the key word is read through a small lexicon of such names (and the facts' own descriptors:
``"insurer_sub": "瑞丰人寿"`` names the ``insurer_…`` figures). A number that matches one fact but
stands beside the name of its sibling's item, and not its own, is given to the wrong entity.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from finloom.textgen._claims import NumberClaim, TextReading
from finloom.textgen._conflicts import Conflict, Context
from finloom.textgen._derive import Candidate
from finloom.textgen._entities import ALIAS_GROUPS, COUNTRY_GROUPS, GROUP_KEYS, short_forms
from finloom.textgen._facts import Fact

__all__ = ["key_conflicts", "key_names"]

# Key words that tell a figure's period, basis or form apart, not the thing it is about.
_NOT_ITEMS = {"prev", "previous", "prior", "last", "this", "next", "current", "old", "new", "open", "close", "closing",
              "opening", "start", "end", "begin", "beginning", "before", "after", "initial", "final", "ytd", "mtd", "qtd",
              "yoy", "mom", "qoq", "wow", "ttm", "ltm", "avg", "average", "mean", "median", "max", "min", "high", "low",
              "change", "chg", "growth", "delta", "diff", "return", "returns", "ret", "pct", "percent", "rate", "ratio",
              "level", "value", "amount", "total", "other", "others", "all", "net", "gross", "count", "number", "share",
              "month", "monthly", "quarter", "quarterly", "year", "yearly", "annual", "annualised", "annualized",
              "week", "weekly", "daily", "day", "q", "m", "y", "h", "fy", "target", "forecast", "estimate", "consensus",
              "expected", "actual", "budget", "plan", "limit", "cap", "floor", "spend", "spending", "yuan", "usd",
              "cny", "rmb", "bn", "mn", "bp", "bps", "pp", "yield", "price", "increase", "decrease", "sales", "profit",
              "the", "of", "and", "in", "at", "for", "on", "to", "by"}
# How writers name the thing a key word stands for (the key word itself counts too).
_TERMS: dict[str, tuple[str, ...]] = {
    "cgb": ("国债", "CGB", "CGBs", "government bond", "government bonds", "Treasury", "Treasuries", "sovereign"),
    "cdb": ("国开债", "国开行债", "国开", "CDB", "policy bank", "policy-bank", "政策性金融债", "政金债"),
    "mfg": ("制造业", "manufacturing", "factory"),
    "nonmfg": ("非制造业", "服务业", "non-manufacturing", "nonmanufacturing", "services", "service sector"),
    "caixin": ("财新", "Caixin"),
    "official": ("官方", "统计局", "NBS", "official"),
    "household": ("住户", "居民", "家庭", "household", "households"),
    "corporate": ("企业", "非金融企业", "公司", "corporate", "companies", "businesses", "firms"),
    "fiscal": ("财政", "财政性", "fiscal", "government deposits"),
    "bank": ("全行", "本行", "我行", "该行", "银行", "bank", "lender"),
    "national": ("全国", "全国性", "金融机构", "全行业", "行业", "national", "nationwide", "nationally", "industry",
                 "system-wide", "sector-wide"),
    "insurer": ("保险", "人寿", "寿险", "财险", "insurer", "insurance", "life"),
    "cnh": ("离岸", "offshore", "CNH"),
    "cny": ("在岸", "onshore"),
    "central parity": ("中间价", "中间汇率", "fixing", "central parity", "parity", "midpoint", "mid-point", "mid-rate",
                       "mid rate"),
    "spot": ("即期", "spot"),
    "core": ("核心", "core", "underlying"),
    "headline": ("整体", "headline", "overall"),
    "benchmark": ("基准", "业绩比较基准", "比较基准", "benchmark", "benchmarks"),
    "peer": ("同类", "同类平均", "同类基金", "peer", "peers", "peer group", "peer average", "category average",
             "sector average"),
    "fund": ("基金", "本基金", "该基金", "fund"),
    "europe": ("欧洲", "欧股", "Europe", "European"),
    "asia": ("亚洲", "Asia", "Asian"),
    "us": ("美国", "美股", "US", "U.S.", "American", "America"),
    "china": ("中国", "A股", "China", "Chinese"),
    "ust": ("美债", "美国国债", "US Treasury", "US Treasuries", "UST"),
    "bund": ("德债", "德国国债", "Bund", "Bunds"),
    "gilt": ("英债", "英国国债", "gilt", "gilts"),
    "jgb": ("日债", "日本国债", "JGB", "JGBs"),
    "cpi": ("CPI", "居民消费价格", "消费者价格指数", "消费价格", "consumer prices", "consumer price index"),
    "ppi": ("PPI", "工业生产者出厂价格", "出厂价格", "producer prices", "producer price index", "factory-gate prices"),
    "exports": ("出口", "exports", "shipments abroad"),
    "imports": ("进口", "imports"),
    "m1": ("M1", "狭义货币"),
    "m2": ("M2", "广义货币", "broad money"),
    "retail": ("零售", "个人", "retail", "personal"),
    "index": ("指数", "index"),
    "hscei": ("国企指数", "H股指数", "HSCEI", "China Enterprises"),
    "topix": ("东证指数", "TOPIX"),
    "sse50": ("上证50", "SSE 50"),
    "csi1000": ("中证1000", "CSI 1000"),
    # central banks, as rate keys name them ("ecb_deposit_rate_pct", "boe_bank_rate_pct")
    "fed": ("Fed", "Federal Reserve", "FOMC", "美联储"),
    "ecb": ("ECB", "European Central Bank", "欧洲央行", "欧央行"),
    "boe": ("BoE", "Bank of England", "英国央行", "英格兰银行", "英央行"),
    "boj": ("BoJ", "Bank of Japan", "日本央行", "日央行"),
    "pboc": ("PBoC", "PBOC", "People's Bank of China", "中国人民银行", "人民银行", "人行"),
    "rba": ("RBA", "Reserve Bank of Australia", "澳洲联储", "澳大利亚央行"),
    "snb": ("SNB", "Swiss National Bank", "瑞士央行"),
    "buy": ("买入价", "现汇买入价", "现钞买入价", "buying rate", "bid"),
    "sell": ("卖出价", "现汇卖出价", "现钞卖出价", "selling rate", "offer rate", "ask"),
}
# Items a key word rules out even with no sibling fact beside it: the other side of a bank's book
# ("贷款余额4820亿元" of a deposit balance), or one part named for the whole (mortgage lending for a
# retail-loan figure). Each: (own names, other names, key words that make the other one a fact's own).
# Words that name both at once (存贷比, "loan-to-deposit") name neither.
_MORTGAGE = ("mortgage", "mortgages", "mortgage lending", "home loans", "housing loans", "按揭", "房贷", "住房贷款",
             "个人住房贷款")
_COUNTERPARTS: dict[str, tuple[tuple[str, ...], tuple[str, ...], frozenset[str]]] = {
    "deposit": (("存款", "deposit", "deposits"), ("贷款", "loan", "loans", "lending"), frozenset({"loan"})),
    "loan": (("贷款", "loan", "loans", "lending"), ("存款", "deposit", "deposits"), frozenset({"deposit"})),
    "retail": ((*_TERMS["retail"], "consumer", "消费"), _MORTGAGE,
               frozenset({"mortgage", "mortgages", "housing", "home", "house"})),
}
_SAME_COUNTERPART = {"deposits": "deposit", "loans": "loan", "lending": "loan"}
_BOTH_SIDES = ("存贷款", "存贷比", "贷存比", "存贷", "loan-to-deposit", "loan to deposit", "loans and deposits",
               "deposits and loans", "deposit and loan", "loan and deposit")
# The unmarked member of a pair: a key without "core" is the headline figure.
_UNMARKED = {"core": "headline"}
_SAME = {"usdcnh": "cnh", "usdcny": "cny", "manufacturing": "mfg", "non manufacturing": "nonmfg",
         "nonmanufacturing": "nonmfg", "services": "nonmfg", "service": "nonmfg", "parity": "central parity",
         "fixing": "central parity", "cp": "central parity", "mid": "central parity", "midpoint": "central parity",
         "nbs": "official", "households": "household", "corporates": "corporate", "enterprise": "corporate",
         "insurance": "insurer", "life": "insurer", "peers": "peer", "category": "peer", "european": "europe",
         "onshore": "cny", "offshore": "cnh", "treasury": "ust", "treasuries": "ust", "bunds": "bund",
         "gilts": "gilt", "export": "exports", "import": "imports", "bid": "buy", "ask": "sell", "offer": "sell",
         "buying": "buy", "selling": "sell", "personal": "retail"}

# Pinyin of common surnames: "advisor_zhao_sales" is 赵经理 in a Chinese text.
_PINYIN = {"wang": "王汪", "li": "李黎", "zhang": "张章", "liu": "刘", "chen": "陈", "yang": "杨", "huang": "黄",
           "zhao": "赵", "wu": "吴武", "zhou": "周", "xu": "徐许", "sun": "孙", "ma": "马", "zhu": "朱", "hu": "胡",
           "guo": "郭", "he": "何贺", "gao": "高", "lin": "林", "luo": "罗", "zheng": "郑", "liang": "梁", "xie": "谢",
           "song": "宋", "tang": "唐汤", "han": "韩", "feng": "冯", "deng": "邓", "cao": "曹", "peng": "彭",
           "zeng": "曾", "xiao": "肖", "tian": "田", "dong": "董", "pan": "潘", "yuan": "袁", "jiang": "蒋江姜",
           "cai": "蔡", "yu": "于余", "du": "杜", "ye": "叶", "cheng": "程", "su": "苏", "wei": "魏", "lu": "卢陆吕",
           "ding": "丁", "ren": "任", "shen": "沈", "yao": "姚", "cui": "崔", "zhong": "钟", "tan": "谭", "fan": "范",
           "jin": "金", "shi": "石史", "liao": "廖", "jia": "贾", "xia": "夏", "fang": "方", "bai": "白", "zou": "邹",
           "meng": "孟", "xiong": "熊", "qin": "秦", "qiu": "邱", "yin": "尹", "xue": "薛", "yan": "闫严",
           "duan": "段", "lei": "雷", "hou": "侯", "long": "龙", "tao": "陶", "gu": "顾", "mao": "毛", "hao": "郝",
           "gong": "龚", "shao": "邵", "qian": "钱", "dai": "戴", "kong": "孔"}
_TITLES = ("经理", "女士", "先生", "总", "老师", "主管", "行长", "顾问", "小姐")
_PEOPLE_KEYS = {"advisor", "adviser", "rm", "manager", "banker", "agent", "staff", "teller", "officer", "planner",
                "customer", "client", "employee", "salesperson", "sales"}
_CLASS_FORMS = ("{x} class", "class {x}", "{x} shares", "{x} share class", "{x}-class", "{x}类份额", "{x}类", "{x}份额")
_DESCRIPTOR_JUNK = {"sub", "subsidiary", "name", "entity", "id", "code", "unit", "main", "own"}
_RESPECTIVELY = re.compile(r"respectively|分别|各自", re.I)
# A name right after a word of contrast is what the figure is set against, not its owner:
# "unlike the Dow, the broad market fell 2.71%", 与道指不同, "compared with its benchmark".
_CONTRAST_BEFORE = re.compile(r"(?:\b(?:unlike|than|versus|vs\.?|compared (?:with|to)|relative to|against|beat(?:ing|s)?|"
                              r"outperform\w*|underperform\w*|lag\w*|trail\w*|ahead of|behind)\s+"
                              r"(?:the\s+|its\s+|their\s+|our\s+|your\s+)?|(?:与|同|跟|和|较|比|相比|相较于?|不同于|跑赢|"
                              r"跑输|好于|优于|弱于|强于|低于|高于|超过|落后于?|领先于?))$", re.I)


def _norm(s: str) -> str:
    return re.sub(r"[^a-z0-9]", "", s.lower())


@functools.lru_cache(maxsize=1)
def _groups() -> dict[str, tuple[str, ...]]:
    """Normalised name → every name of its group (indices, commodities, countries): "sp500" → S&P 500 …"""
    out: dict[str, tuple[str, ...]] = {}
    for group in (*ALIAS_GROUPS, *COUNTRY_GROUPS):
        for g in group:
            if g.isascii() and len(_norm(g)) >= 2:
                out.setdefault(_norm(g), group)
    for key, name in GROUP_KEYS.items():
        out.setdefault(key, out[_norm(name)])
    return out


def _known(word: str) -> bool:
    """Whether the lexicon knows a key word's names (not just the word itself)."""
    return _SAME.get(word, word) in _TERMS or word in _PINYIN or len(_norm(word)) >= 3 and _norm(word) in _groups()


def _tokens(label: str) -> list[str]:
    return [w for w in re.split(r"[\s_]+", label.lower()) if w]


def key_names(words: Sequence[str], label: Sequence[str], descriptors: Sequence[tuple[str, str]] = (), *,
              literal: bool = True) -> set[str]:
    """The names a writer may give the item that key ``words`` (of a key's ``label`` tokens) stand
    for; without ``literal``, only names the lexicon and the descriptors know (not the word itself,
    which :mod:`finloom.textgen._items` already reads).

    Examples
    --------
    >>> sorted(key_names(["dow"], ["dow", "chg"]))[:4]
    ['DJIA', 'Dow', 'Dow Jones', 'Dow Jones Industrial Average']
    >>> {"赵经理", "小赵"} <= key_names(["zhao"], ["advisor", "zhao", "sales"])
    True
    >>> sorted(key_names(["a"], ["class", "a", "ocf"]))[:3]
    ['A class', 'A share class', 'A shares']
    >>> key_names(["insurer"], ["insurer", "net", "profit"], [("insurer_sub", "瑞丰人寿")]) >= {"瑞丰人寿", "人寿"}
    True
    """
    out: set[str] = set()
    phrase = " ".join(words)
    parts = [phrase] if _SAME.get(phrase, phrase) in _TERMS or _norm(phrase) in _groups() else list(words)
    for w in parts:
        term = _SAME.get(w, w)
        if term in _TERMS:
            out.update(_TERMS[term])
        elif _norm(w) in _groups() and (len(_norm(w)) >= 3 or w in ("uk", "eu", "hk")):
            out.update(_groups()[_norm(w)])
        if w in _PINYIN and any(k in _PEOPLE_KEYS for k in label):
            out.update(s + t for s in _PINYIN[w] for t in _TITLES)
            out.update(p + s for s in _PINYIN[w] for p in "小老")
            out.update((w.capitalize(), f"Mr {w.capitalize()}", f"Ms {w.capitalize()}"))
        if len(w) == 1 and w.isalpha() and "class" in label:
            out.update(f.format(x=w.upper()) for f in _CLASS_FORMS)
        if literal and w.replace(" ", "").isalpha() and len(w) >= 3:
            out.add(w)
    out.update(_described(words, descriptors))
    return {s for s in out if s}


def _described(words: Sequence[str], descriptors: Sequence[tuple[str, str]]) -> set[str]:
    """Names of the descriptor whose key speaks of ``words``: ``"bank_sub": "瑞丰银行"`` for "bank"."""
    out: set[str] = set()
    for key, text in descriptors:
        if set(_tokens(key)) - _DESCRIPTOR_JUNK & set(words):
            others = [t for k, t in descriptors if t != text]
            out.add(text)
            out.update(s for s in short_forms(text) if len(s) >= 2 and not any(s in o for o in others))
    return out


@functools.lru_cache(maxsize=1)
def _lexicon_names() -> tuple[str, ...]:
    """Every name the lexicon knows: a longer one (非制造业) hides a shorter one inside it (制造业)."""
    return tuple({s for names in _TERMS.values() for s in names})


@functools.lru_cache(maxsize=2048)
def _pattern(surface: str) -> re.Pattern[str]:
    if not surface.isascii():
        return re.compile(re.escape(surface))
    body = r"[\s-]+".join(re.escape(w) for w in surface.split())
    short_code = len(surface) <= 3 and surface.isupper() or len(surface) <= 2
    tail = "" if short_code or not surface[-1:].isalpha() else "(?:s|es)?"
    return re.compile(rf"(?<![A-Za-z]){body}{tail}(?![A-Za-z])", 0 if short_code else re.I)


def _named_sides(scope: str, own: set[str], other: set[str]) -> tuple[bool, bool]:
    """Whether ``scope`` names the own item and the other one (longest names first, no overlaps)."""
    both = own & other
    names = [(s, 0) for s in own - both] + [(s, 1) for s in other - both] + [(s, 2) for s in both]
    names += [(s, 2) for s in (*_lexicon_names(), *_BOTH_SIDES) if s not in own and s not in other]
    taken = [False] * len(scope)
    seen = [False, False, False]
    lowered = scope.lower()
    for surface, side in sorted(names, key=lambda p: len(p[0]), reverse=True):
        if surface.lower() not in lowered:
            continue
        for m in _pattern(surface).finditer(scope):
            if not any(taken[m.start() : m.end()]):
                taken[m.start() : m.end()] = [True] * (m.end() - m.start())
                if side != 1 or not _CONTRAST_BEFORE.search(scope[max(0, m.start() - 24) : m.start()]):
                    seen[side] = True
    return seen[0], seen[1]


@functools.lru_cache(maxsize=512)
def _siblings(keys: tuple[tuple[str, str, str, str | None, str | None], ...],
              descriptors: tuple[tuple[str, str], ...]) -> dict[str, tuple[tuple[frozenset[str], frozenset[str], str], ...]]:
    """For each fact id: ``(own names, other names, other label)`` against each sibling fact of its
    kind whose key differs by item words (per word too, when both differ by as many)."""
    out: dict[str, list[tuple[frozenset[str], frozenset[str], str]]] = {}
    for fid, label, unit, currency, entity in keys:
        mine = _tokens(label)
        if not mine or not label.isascii():
            continue
        for gid, other, unit2, currency2, entity2 in keys:
            theirs = _tokens(other)
            if gid == fid or (unit, currency, entity) != (unit2, currency2, entity2) or not other.isascii():
                continue
            da = [w for w in mine if w not in theirs and w not in _NOT_ITEMS]
            db = [w for w in theirs if w not in mine and w not in _NOT_ITEMS]
            if not db:
                continue  # only a period or form told apart ("pmi" vs "pmi prev"): no item
            levels = [(da, db)]
            if len(da) == len(db) > 1:  # "caixin mfg" beside "official nonmfg": each known word apart
                levels += [([a], [b]) for a, b in zip(da, db, strict=True) if _known(a) and _known(b)]
            for a, b in levels:
                # a descriptor names one side only when it names the other too (bank_sub / insurer_sub)
                described = descriptors if a and _described(a, descriptors) and _described(b, descriptors) else ()
                own = key_names(a, mine, described) if a else set()
                theirs_names = key_names(b, theirs, described, literal=False)
                if theirs_names:
                    out.setdefault(fid, []).append((frozenset(own), frozenset(theirs_names), other))
    counterparts = _counterparts([label for _, label, *_ in keys])
    for fid, label, *_ in keys:
        for own_word, (own_side, other_side, _) in counterparts.items():
            if own_word in {_SAME_COUNTERPART.get(w, w) for w in _tokens(label)}:
                out.setdefault(fid, []).append((frozenset(own_side), frozenset(other_side), own_word + " counterpart"))
    return {k: tuple(v) for k, v in out.items()}


def _counterparts(labels: Sequence[str]) -> dict[str, tuple[tuple[str, ...], tuple[str, ...], frozenset[str]]]:
    """The counterpart items whose own word some key has and whose other word none does.

    Examples
    --------
    >>> list(_counterparts(["deposit balance", "deposit growth"]))
    ['deposit']
    >>> _counterparts(["deposit balance", "loan balance"]), _counterparts(["loan to deposit ratio"])
    ({}, {})
    """
    words = {_SAME_COUNTERPART.get(w, w) for label in labels for w in _tokens(label)}
    return {w: names for w, names in _COUNTERPARTS.items() if w in words and not names[2] & words}


def _unmarked(other: frozenset[str]) -> set[str]:
    """Names of the unmarked member when the other side is the marked one ("headline" beside "core")."""
    return {n for marked, plain in _UNMARKED.items() if set(_TERMS[marked]) <= other for n in _TERMS[plain]}


def _entity_names(fact: Fact, descriptors: Sequence[tuple[str, str]]) -> set[str]:
    """The fact's entity by name and by kind ("the fund", 该行 when a descriptor key says fund or bank)."""
    names = {n for e in fact.entities for n in (e, *short_forms(e))}
    kinds = {w for key, _ in descriptors for w in _tokens(key)} & {"fund", "bank"}
    return names | {n for k in kinds for n in _TERMS[k]} if names else set()


_LEAD_IN = re.compile(r"(?:[:：]|\swith)\s*$", re.I)
# a clause that only goes on to give the figure of the clause before it (its subject is named there)
_CONTINUES = re.compile(r"\s*(?:高?达到?|为|报|约为?|\bat|\bof)?\s*(?:约|近|about|around|roughly|nearly)?\s*", re.I)
_OWN_TAIL = re.compile(r"\s*(?:\(|from|on|for|in|at|of|by|to|with|via|through)\b|\s*\(", re.I)


def _scope(claim: NumberClaim, reading: TextReading) -> str:
    """The words that may name a number's item: its clause (and a heading before a colon), from the
    previous number on, up to the next one. An earlier clause is context ("道指成分股普遍下挫，大盘跌2.71%")."""
    n, text = claim.number, reading.text
    sentence = next((s for s in reading.sentences if s[0] <= n.start < s[1]), (0, len(text)))
    clause = reading.clause_of(n.start)
    lo = clause[0]
    lead = _LEAD_IN.search(text, sentence[0], lo) if lo - 1 > sentence[0] else None
    if lead is not None and lead.start() > sentence[0]:  # "道指：跌2.71%", "Mr Li with ¥8.2m"
        lo = reading.clause_of(lead.start() - 1)[0]
    if lo - 1 > sentence[0] and _CONTINUES.fullmatch(text[lo : n.start]):  # "国企指数跌幅最大，达1.62%"
        lo = reading.clause_of(lo - 2)[0]
    starts = [o.number.end for o in reading.claims if lo <= o.number.end <= n.start]
    ends = [o.number.start for o in reading.claims if n.end <= o.number.start < clause[1]]
    if starts:
        lo = max(starts)
        if text[lo : n.start].isascii() or _OWN_TAIL.match(text, lo):
            lo = n.start  # "£4,800 from your employer and £3,600 from you": those words are the previous figure's
    return text[lo : n.start] + " " + text[n.end : min([clause[1], *ends])]


def key_conflicts(claim: NumberClaim, c: Candidate, ctx: Context) -> list[Conflict]:
    """A conflict when the words around a number name a sibling's key item, not the matched fact's.

    Examples
    --------
    >>> from finloom.textgen import FaithfulnessGuard
    >>> facts = {"period": "2025-10-10", "sp500_chg_pct": -2.71, "dow_chg_pct": -1.9}
    >>> [i.reason for i in FaithfulnessGuard().check("道指跌2.71%。", facts).issues]
    ['entity']
    >>> FaithfulnessGuard().check("标普500指数跌2.71%，道指跌1.9%。", facts).ok
    True
    >>> [i.reason for i in FaithfulnessGuard().check("道指跌幅更大，达2.71%。", facts).issues]
    ['entity']
    """
    keys = tuple((f.id, f.label or "", f.unit, f.currency, f.entity) for f in ctx.facts if f.unit != "date")
    siblings = _siblings(keys, tuple(ctx.facts.descriptors))
    if not c.direct and (c.how not in ("difference", "relative change", "relative difference") or
                         len({_item_of(f.label or "") for f in c.facts}) != 1):
        return []  # a value of two facts is checked when both are one item's ("fund b return" less "fund b benchmark")
    if not all(siblings.get(f.id) for f in c.facts):
        return []
    reading, n = ctx.reading, claim.number
    sentence = next((s for s in reading.sentences if s[0] <= n.start < s[1]), (0, len(reading.text)))
    if _RESPECTIVELY.search(reading.text[sentence[0] : sentence[1]]):
        return []  # "the Dow and the S&P 500 fell 1.9% and 2.71% respectively": the order names them
    scope = _scope(claim, reading)
    fact = c.facts[0]
    for own, other, label in siblings[fact.id]:
        if not c.direct and _item_of(label) == _item_of(fact.label or ""):
            continue  # the other fact of the same item ("fund b benchmark") is no sibling here
        mine = set(own) or _entity_names(fact, ctx.facts.descriptors) | _unmarked(other)
        named_own, named_other = _named_sides(scope, mine, set(other))
        if named_other and not named_own:
            return [Conflict("entity", f"the words around it name the item of {label!r}, not {fact.label!r}")]
    return []


def _item_of(label: str) -> str:
    """The item words a label leads with ("fund b" of "fund b return"): the words before the first non-item."""
    words = _tokens(label)
    return " ".join(words[: len(words) - 1]) if len(words) > 1 else label
