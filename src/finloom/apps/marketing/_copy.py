"""Message variants per segment × product × channel × language from templates (or an LLM backend),
each checked before use: every number and date against the product's facts (the faithfulness guard),
the compliance rules it is given, the required risk disclosure, and the channel's length limit."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from finloom.apps.marketing.schemas import CHANNELS, ProductFacts
from finloom.errors import ConfigError, InvalidDataError
from finloom.textgen import Fact, FactSet, FaithfulnessGuard, TextBackend, format_date, format_value

__all__ = ["ComplianceCheck", "CopyVariant", "generate_copy", "product_facts", "sms_limit", "write_variants"]

# (text, lang) -> findings as plain dicts ({"rule_id", "category", "explanation", ...}); the service
# layer passes finloom's compliance rules, tests pass fakes.
ComplianceCheck = Callable[[str, str], Sequence[Mapping[str, Any]]]
STYLES = ("rate", "deadline", "hook", "brief")  # brief: the headline fact and the deadline only
DISCLOSURE = {
    "en": "Investment involves risk; returns are not guaranteed and past performance is not a reliable indicator of future results.",
    "zh": "理财非存款，产品有风险，投资须谨慎。",
}
SHORT_DISCLOSURE = {"en": "Investments carry risk; returns not guaranteed.", "zh": "理财非存款，产品有风险，投资须谨慎。"}
SUITABILITY = {"en": "Please check that it suits your risk profile.", "zh": "请确认产品与您的风险承受能力相匹配。"}
OPT_OUT = {"en": "Reply STOP to opt out.", "zh": "回复TD退订"}
PUSH_LIMIT = {"en": 178, "zh": 90}  # what a lock-screen notification shows before cutting
SUBJECT_LIMIT = {"en": 80, "zh": 40}
# GSM 03.38 basic set (one septet each) and its extension table (two septets each)
_GSM_BASIC = set("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                 "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
_GSM_EXT = set("^{}\\[~]|€")
_HOOKS = {
    "en": {"senior": "Planning for the years ahead?", "young": "Starting to build your savings?",
           "default": "A simple way to make your money work."},
    "zh": {"senior": "为未来生活早做规划。", "young": "开始积累您的第一笔储蓄。", "default": "让资金安心增值。"},
}


def sms_limit(text: str) -> tuple[int, int]:
    """(length, limit) of one SMS: 160 GSM-7 septets (extension characters count 2), else 70 UCS-2
    characters (any Chinese character makes the message UCS-2).

    Examples
    --------
    >>> sms_limit("Rate 2.85% a year"), sms_limit("年利率2.85%")
    ((17, 160), (8, 70))
    >>> sms_limit("Fee €5")
    (7, 160)
    """
    if all(ch in _GSM_BASIC or ch in _GSM_EXT for ch in text):
        return sum(2 if ch in _GSM_EXT else 1 for ch in text), 160
    return len(text), 70


def product_facts(product: ProductFacts) -> FactSet:
    """The product's facts for the guard (a product without any fact is refused).

    Examples
    --------
    >>> p = ProductFacts(id="x", name_en="X", name_zh="X", rate=2.5)
    >>> [f.id for f in product_facts(p)]
    ['rate']
    >>> product_facts(ProductFacts(id="x", name_en="X", name_zh="X"))
    Traceback (most recent call last):
    ...
    finloom.errors.InvalidDataError: product 'x' must have at least one fact (rate, fee, fee_pct, min_amount, term_months or offer_ends); got none. Add the facts its marketing may state, e.g. rate=2.85.
    """
    p = product
    facts: list[Fact] = []
    if p.rate is not None:
        facts.append(Fact("rate", float(p.rate), unit="%", decimals=2, label=p.rate_label_en, entity=p.id))
    if p.fee_pct is not None:
        facts.append(Fact("fee_pct", float(p.fee_pct), unit="%", decimals=2, label="fee", entity=p.id))
    if p.fee is not None:
        facts.append(Fact("fee", float(p.fee), unit="currency", currency=p.currency, decimals=2, label="fee", entity=p.id))
    if p.min_amount is not None:
        facts.append(Fact("min_amount", float(p.min_amount), unit="currency", currency=p.currency, decimals=0,
                          label="minimum amount", entity=p.id))
    if p.term_months is not None:
        facts.append(Fact("term_months", float(p.term_months), unit="count", decimals=0, label="months", entity=p.id))
    if p.offer_ends is not None:
        facts.append(Fact("offer_ends", float(p.offer_ends.toordinal()), date=p.offer_ends, label="offer end", entity=p.id))
    if not facts:
        raise InvalidDataError(
            f"product {p.id!r} must have at least one fact (rate, fee, fee_pct, min_amount, term_months or "
            "offer_ends); got none. Add the facts its marketing may state, e.g. rate=2.85."
        )
    # the product's names are its entity: a name like "Gold card" must not read as the commodity gold
    return FactSet(facts, labels={p.id: {"en": p.name_en, "zh": p.name_zh}}, disclaimers=DISCLOSURE)


@dataclass
class CopyVariant:
    """One message with its checks; ``accepted`` only when every check passed (``reasons`` say why not)."""

    segment: str
    product: str
    channel: str
    lang: str
    style: str
    text: str
    subject: str = ""
    source: str = "template"
    length: int = 0
    limit: int | None = None
    unsupported_numbers: int = 0
    guard_issues: list[str] = field(default_factory=list)
    compliance: list[dict[str, Any]] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        """Passed the guard, the compliance rules, the disclosure and the length checks."""
        return not self.reasons

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form."""
        return {**asdict(self), "accepted": self.accepted}


def _clauses(p: ProductFacts, fs: FactSet, lang: str) -> dict[str, str]:
    """Fact phrases of a product in ``lang`` (only the facts it has)."""
    def num(fid: str) -> str:
        return format_value(fs[fid], lang)

    en = lang == "en"
    out: dict[str, str] = {}
    if "rate" in fs:
        out["rate"] = f"{p.rate_label_en} {num('rate')}" if en else f"{p.rate_label_zh}{num('rate')}"
    if "fee_pct" in fs:
        out["fee_pct"] = f"fee {num('fee_pct')} a year" if en else f"年费率{num('fee_pct')}"
    if "fee" in fs:
        out["fee"] = f"fee {num('fee')}" if en else f"费用{num('fee')}"
    if "term_months" in fs:
        out["term_months"] = f"{num('term_months')}-month term" if en else f"期限{num('term_months')}个月"
    if "min_amount" in fs:
        out["min_amount"] = f"from {num('min_amount')}" if en else f"{num('min_amount')}起"
    if "offer_ends" in fs and p.offer_ends is not None:
        day = format_date(p.offer_ends, lang, 1)
        out["offer_ends"] = f"offer ends {day}" if en else f"活动截至{day}"
    return out


def _hook(traits: Mapping[str, Any], lang: str) -> str:
    age = traits.get("age")
    key = "default"
    if isinstance(age, int | float):
        key = "senior" if age >= 55 else "young" if age <= 30 else "default"
    return _HOOKS[lang][key]


def _order(style: str, clauses: dict[str, str]) -> list[str]:
    keys = list(clauses)
    if style == "brief":
        keys = [k for k in keys if k in (keys[0], "offer_ends")]
    if style == "deadline" and "offer_ends" in keys:
        keys.remove("offer_ends")
        keys.insert(0, "offer_ends")
    return [clauses[k] for k in keys]


def _compose(p: ProductFacts, fs: FactSet, channel: str, lang: str, style: str,
             traits: Mapping[str, Any]) -> tuple[str, str]:
    """(subject, text) of one template variant."""
    en = lang == "en"
    name = p.name_en if en else p.name_zh
    parts = _order(style, _clauses(p, fs, lang))
    hook = _hook(traits, lang) if style == "hook" else ""
    facts = ("; ".join(parts) + ".") if en else ("，".join(parts) + "。")
    warn = (SHORT_DISCLOSURE if channel != "email" else DISCLOSURE)[lang] if p.investment else ""
    suits = SUITABILITY[lang] if p.investment and channel == "email" else ""
    if channel == "sms":
        body = f"{name}: {facts}" if en else f"【{name}】{facts}"
        pieces = [hook, body, warn, OPT_OUT[lang]] if en else [hook, body, warn, OPT_OUT[lang]]
        return "", (" " if en else "").join(x for x in pieces if x)
    if channel == "push":
        return "", (" " if en else "").join(x for x in [hook, f"{name}: {facts}" if en else f"{name}：{facts}", warn] if x)
    subject = (f"{name}: {parts[0]}" if en else f"{name}：{parts[0]}") if style != "hook" else (f"{hook} {name}" if en else f"{hook}{name}")
    cta = "Visit a branch or open the app to find out more." if en else "欢迎到网点或登录手机银行了解详情。"
    greet = "Dear customer," if en else "尊敬的客户："
    lines = [greet, hook, f"{name}: {facts}" if en else f"{name}：{facts}", cta, suits, warn]
    return subject, "\n".join(x for x in lines if x)


def _check(v: CopyVariant, p: ProductFacts, fs: FactSet, compliance: ComplianceCheck | None,
           guard: FaithfulnessGuard) -> CopyVariant:
    whole = f"{v.subject}\n{v.text}" if v.subject else v.text
    report = guard.check(whole, fs, lang=v.lang)
    v.unsupported_numbers = report.unsupported_numbers
    v.guard_issues = [i.explanation for i in report.issues]
    if report.issues:
        v.reasons.append(f"faithfulness: {report.issues[0].explanation}")
    if compliance is not None:
        v.compliance = [dict(f) for f in compliance(whole, v.lang)]
        for f in v.compliance:
            v.reasons.append(f"compliance {f.get('rule_id', '?')}: {f.get('explanation', '')}".strip())
    if p.investment and SHORT_DISCLOSURE[v.lang] not in whole and DISCLOSURE[v.lang] not in whole:
        v.reasons.append("risk disclosure: an investment product's message must carry the risk warning")
    if v.channel == "sms":
        v.length, v.limit = sms_limit(v.text)
    elif v.channel == "push":
        v.length, v.limit = len(v.text), PUSH_LIMIT[v.lang]
    else:
        v.length, v.limit = len(v.subject), SUBJECT_LIMIT[v.lang]
    if v.limit is not None and v.length > v.limit:
        what = "subject" if v.channel == "email" else v.channel.upper()
        v.reasons.append(f"length: the {what} has {v.length} characters; the limit is {v.limit}")
    return v


def _llm_variant(base: CopyVariant, backend: TextBackend, seed: int) -> CopyVariant:
    language = "Simplified Chinese" if base.lang == "zh" else "English"
    prompt = (f"Rewrite this {language} {base.channel} marketing message to read more naturally. Keep every "
              f"number, date and product name exactly, keep any risk warning verbatim, add no claim and no "
              f"superlative.\n\n{base.text}\n\nRewritten message:")
    out = backend.generate(prompt, seed=seed, max_tokens=200)
    text = (out if isinstance(out, str) else "".join(out)).strip()
    return CopyVariant(base.segment, base.product, base.channel, base.lang, base.style, text, base.subject, "llm")


def generate_copy(
    products: Sequence[ProductFacts],
    segments: Mapping[str, Mapping[str, Any]],
    *,
    channels: Sequence[str] = CHANNELS,
    langs: Sequence[str] = ("en", "zh"),
    compliance: ComplianceCheck | None = None,
    backend: TextBackend | None = None,
    seed: int = 0,
) -> list[CopyVariant]:
    """Every variant for segments × products × channels × languages × styles, each checked.

    Parameters
    ----------
    products : the products and their facts.
    segments : ``{segment name: traits}``; traits such as ``{"age": 58.2}`` pick the opening hook.
    compliance : ``(text, lang) -> findings``; the service passes finloom's compliance rules.
    backend : an LLM (``generate(prompt, ...)``); when given, each template variant also gets an
        LLM rewrite, checked the same way (a failing rewrite is rejected, the template one stays).

    Examples
    --------
    >>> p = ProductFacts(id="td", name_en="Term deposit", name_zh="定期存款", rate=2.85, term_months=12)
    >>> out = generate_copy([p], {"A": {"age": 60}}, channels=["sms"], langs=["zh"])
    >>> out[0].text, out[0].accepted
    ('【定期存款】年利率2.85%，期限12个月。回复TD退订', True)
    """
    if not products:
        raise InvalidDataError("products must list at least one product with its facts; got none.")
    if not segments:
        raise InvalidDataError("segments must name at least one segment; got none. Build segments first.")
    bad = [c for c in channels if c not in CHANNELS]
    if bad:
        raise ConfigError(f"channels must be among {list(CHANNELS)}; got {bad[0]!r}.")
    guard = FaithfulnessGuard()
    out: list[CopyVariant] = []
    for p in products:
        fs = product_facts(p)
        for seg, traits in segments.items():
            for channel in channels:
                for lang in langs:
                    for style in STYLES:
                        subject, text = _compose(p, fs, channel, lang, style, traits)
                        v = _check(CopyVariant(seg, p.id, channel, lang, style, text, subject), p, fs, compliance, guard)
                        out.append(v)
                        if backend is not None:
                            out.append(_check(_llm_variant(v, backend, seed), p, fs, compliance, guard))
    return out


def write_variants(variants: Sequence[CopyVariant]) -> dict[str, Any]:
    """Counts of a batch: variants, accepted, rejected, and violations left among the accepted.

    Examples
    --------
    >>> write_variants([])["variants"]
    0
    """
    accepted = [v for v in variants if v.accepted]
    return {
        "variants": len(variants),
        "accepted": len(accepted),
        "rejected": len(variants) - len(accepted),
        "unsupported_numbers_in_accepted": sum(v.unsupported_numbers for v in accepted),
        "compliance_violations_in_accepted": sum(len(v.compliance) for v in accepted),
        "sms_length_violations": sum(1 for v in accepted if v.channel == "sms" and v.limit and v.length > v.limit),
    }
