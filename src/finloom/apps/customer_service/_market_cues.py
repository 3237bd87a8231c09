"""Market cues for the tool router: chart words, performance words, and the banking tasks that name a
currency or gold without asking how a market moved (fees, transfers, gold cards)."""

from __future__ import annotations

import re

from finloom.apps.customer_service._lang import cue

__all__ = ["CHART", "is_market", "not_market"]


CHART = cue(r"\b(?:chart|charts|graph|graphs|plot|plotted|trend ?line|price path|price history|historical prices|"
            r"visuali[sz]e|visual|visually|picture|image|diagram|candlestick|candles|line of|sketch)\b|"
            r"\bdraw\b(?! (?:down|out|up|from|on)\b)|"
            r"\b(?:show|see|display|view)\b.{0,30}\b(?:trend|path|history|movement|moves|price action)\b|"
            r"(?:走势|趋势|曲线|折线|柱状|价格|k线|K线|历史)图|图表|k线|K线|曲线|画|(?:看|给我看|展示|显示|发).{0,10}(?:走势|图|历史价格|价格走势)|\b图\b|"
            r"(?:的|张|个|幅|出|一)图|图(?:片|像)")
_PERFORMANCE = cue(r"\bhow(?: (?:is|are|was|were|did|has|have)\b|'s|'re|'d)\b.{0,40}\b(?:doing|do|done|perform\w*|"
                   r"moving|moved|"
                   r"trading|going|fare|faring|gone|behave\w*|looking)\b|\bperformance\b|\bperformed\b|"
                   r"\bhow much (?:did|has|have|is|was)\b.{0,40}\b(?:rise|risen|fall|fallen|gain|gained|lose|lost|move|"
                   r"moved|change|changed|go up|gone up|go down|gone down|up|down)\b|\b(?:up|down) (?:today|this|"
                   r"since|so far)\b|\b(?:rise|rose|risen|fell|fall|fallen|gain|gained|drop|dropped|rally|rallied|"
                   r"crash|crashed|plunge|plunged|surge|surged|slump|tumble|tumbled|jump|jumped|climb|climbed)\b|"
                   r"\b(?:price|level|close|closing|value|quote|rate) (?:of|for)\b|\bwhat (?:is|'s|was) .{0,30}"
                   r"\b(?:at|trading at|worth|price|level|rate)\b|\bwhere(?: is| are| did|'s) .{0,30}\b(?:trading|at|"
                   r"close|closed|end|ended)\b|\b(?:summary|recap|update|overview|snapshot|wrap)\b|\bvolatil\w*\b|"
                   r"\bhighs?\b.{0,10}\blows?\b|\breturn(?:s|ed)?\b|\bmarkets? (?:today|this week|this month)\b|"
                   r"\bcurrent(?:ly)? (?:price|level|rate)\b|\bhow .{0,30}\b(?:today|this week|this month|this year)\b|"
                   r"\b(?:close|closed|finish|finished|end|ended|open|opened) (?:at|up|down|higher|lower)\b|"
                   r"\b(?:treating|holding up|shaping up)\b|\b(?:price|prices|quote|level)\b|"
                   r"表现|走势|涨|跌|行情|怎么样|如何|多少点|收盘|收于|收市|涨幅|跌幅|波动|价格|现在多少|汇率(?:是)?多少|报价|点位|点样|点呀|"
                   r"回报|收益率|走得|情况")
_MARKET_NOT = cue(r"\bgold (?:credit |debit )?card\b|\bgold (?:member|tier|account|status)\b|\bmoney market\b|"
                  r"\bexchange rate\b.{0,40}\b(?:fee|fees|charge|transfer|send|sending|card|abroad|withdraw|you use|do "
                  r"you|your|apply|get)\b|\b(?:fee|fees|charge|charges|cost)\b.{0,30}\b(?:exchange|currency|abroad|"
                  r"foreign)\b|\bfx (?:fee|rate)\b|\bcurrency conversion\b|\bgold (?:bar|bars|coin|coins)\b.{0,20}\b(?:buy|sell|"
                  r"store|safe|branch|fixed)\b|金卡|外汇手续费|换汇|购汇|结汇|汇款|手续费|兑换")
# moving money in a currency is a banking task, unless the message also asks how a quoted pair (EUR/CNY) moved
_FX_TASK = cue(r"\b(?:my|your) (?:dollars?|euros?|pounds?)\b|\bfor (?:my|a|an|the|our) (?:\w+ )?(?:transfer|payment|"
               r"remittance|purchase|trip|holiday)\b|\b(?:transfer|send|withdraw|deposit|convert|exchange|buy|sell|"
               r"order|pay|spend)\b.{0,20}\b(?:dollars?|euros?|pounds?|yuan|rmb|yen|usd|eur|gbp|cny)\b")
_FX_MOVE = cue(r"\b(?:moved?|moving|perform\w*|doing|did|done|fared|changed?|rose|risen|fell|fallen|gained|lost|"
               r"weaken\w*|strengthen\w*|since)\b|走势|涨|跌|表现")
_QUOTED_PAIR = cue(r"(?<![a-z])(?:usd|eur|gbp|cny|rmb|jpy|hkd|aud|cad|chf)\s?/\s?(?:usd|eur|gbp|cny|rmb|jpy|hkd|aud|cad|"
                   r"chf)(?![a-z])")


def not_market(text: str) -> bool:
    """Whether a message naming a market asset is a banking task instead (a gold card, an FX fee,
    sending dollars), unless it also asks how a quoted pair moved.

    Examples
    --------
    >>> not_market("what are the fees for a gold card?"), not_market("how has usd/cny moved? I pay in yuan")
    (True, False)
    """
    if _MARKET_NOT.search(text):
        return True
    return bool(_FX_TASK.search(text)) and not (_QUOTED_PAIR.search(text) and _FX_MOVE.search(text))


_FORECAST = cue(r"\b(?:will|going to|gonna|predict\w*|forecast\w*|expect\w*|next (?:week|month|year)|worth buying|"
                r"should i (?:buy|sell)|good time to (?:buy|sell)|buy now|tomorrow)\b|会涨|会跌|还会|明年|明天|下周|"
                r"能买吗|能入手|可以入手|值得买|该不该买|要不要买|预测|后市|会不会")


def is_market(text: str, assets: list[str], period: str | None) -> bool:
    """Whether a message asks how the named ``assets`` did (over ``period`` when one is named): a
    performance word or a period, no forecast, no banking task.

    Examples
    --------
    >>> is_market("how did gold do this week", ["GOLD"], "1w"), is_market("will gold rise?", ["GOLD"], None)
    (True, False)
    """
    if not assets or not_market(text) or _FORECAST.search(text):
        return False
    if assets == ["MARKET"] and not (_PERFORMANCE.search(text) and (period or re.search(
            r"\b(?:today|doing|perform)|表现|行情|怎么样|涨|跌", text, re.I))):
        return False  # "do you sell stocks?"
    return bool(_PERFORMANCE.search(text) or period)
