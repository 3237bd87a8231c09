"""What the assistant's tools do not do, whichever layer (rules or the learned fill-in) picked them:
a market tool reports how a market DID over a period, so a forecast ("will bitcoin go up?",
"黄金还会涨吗") or a buy/sell tip is not ``market_summary``/``price_chart``; a portfolio proposal suits an amount and a
horizon to a risk level, so a buy/sell tip on one named security ("should I buy Nvidia shares?",
"现在买茅台好吗") is not ``portfolio_proposal``. Both stay ``none`` and get the scope statement."""

from __future__ import annotations

from finloom.apps.customer_service._lang import cue
from finloom.apps.customer_service._tool_params import find_assets, find_period, find_years

__all__ = ["asks_about_tool", "asks_forecast", "asks_mechanism", "asks_stock_tip", "beyond_tool"]


_MOVE = (r"(?:go(?:ing)? (?:up|down|higher|lower)|rise|fall|drop|climb|rally|crash|collapse|recover|rebound|bounce(?: back)?|"
         r"gain|lose (?:value|money)|hit|reach|break|top|double|halve|strengthen|weaken|get (?:stronger|weaker|cheaper|"
         r"more expensive)|keep (?:rising|falling|going up|going down|climbing|dropping)|be (?:higher|lower|up|down|"
         r"worth)|end (?:the year )?(?:higher|lower|up|down)|moon|tank|soar|plunge|slump|pick up|turn around)")
_FORECAST = cue(
    rf"\b(?:will|would|'ll|might|could|may|going to|about to|likely to|expected to|set to)\b.{{0,12}}\b{_MOVE}\b|"
    r"\b(?:predict\w*|prediction|forecast\w*|projection|prognosis|outlook|price target|target price|crystal ball)\b|"
    r"\bwhere (?:will|would|is|are|do you (?:think|see|expect)) .{0,40}\b(?:be|go|going|head\w*|end up|land)\b.{0,20}"
    r"\b(?:next|by|in|at the end|end of|tomorrow|coming|future|months|years)\b|"
    r"\bhow (?:high|low|far) (?:can|could|will|might|would)\b|"
    r"\b(?:next|coming) (?:week|month|quarter|year|few (?:days|weeks|months|years))\b.{0,20}\?|"
    r"\bwhat (?:will|would|is going to) .{0,30}\b(?:be|do|happen)\b|"
    r"(?:会|将|能)(?:不会|不能)?(?:再|继续|大|还)?(?:涨|跌|升|贬|降|反弹|回调|回升|回落|崩|暴涨|暴跌|破|突破|上涨|下跌)|"
    r"(?:能|会)(?:涨|跌|升|降)到|(?:涨|跌)(?:得)?(?:到|回)(?:多少|哪|几)|还(?:能|会|要)(?:涨|跌)|"
    r"预测|预计|预判|预期|展望|后市|前景|(?:未来|接下来|之后|后面|明年|明天|下周|下个?月|下半年|年底)(?:的)?.{0,6}"
    r"(?:走势|行情|会|能|怎么走|还|方向)|走势预测")

_TIP_VERB = cue(
    r"\b(?:should|shall|do|would|could|must) (?:i|we) (?:buy|sell|short|dump|offload|hold|keep|get into|get out of|"
    r"invest in|pick up|load up on|add to|cash out of|bail on|back)\b|"
    r"\b(?:good|bad|right|smart|wise|great) (?:time|moment|idea|entry point|point) (?:to )?(?:buy|sell|get in|get out)|"
    r"\bworth (?:buying|selling|getting|investing in|holding|a punt)\b|\b(?:buy|sell|hold)\b,? or (?:sell|hold|buy)\b|"
    r"\b(?:a|an) (?:good|strong|smart|safe) (?:buy|sell|bet|stock|investment)\b|\bis (?:\S+ ){1,3}a (?:buy|sell)\b")
# the generic classes of a plan ("should I buy funds or bonds?") are not one named security
_GENERIC = frozenset({"MARKET", "TREASURY"})
_ZH_GENERIC = r"(?!什么|啥|哪|点什么|些什么|基金|理财|产品|组合|债券|股票|保险|国债|存款|定期|黄金积存)"
_ZH_TIP = cue(
    rf"(?:买|卖|入手|抛|加仓|减仓|清仓|抄底|上车|持有)(?:入|掉|出|进)?(?:点|些|一些|一点)?{_ZH_GENERIC}"
    r"[\u4e00-\u9fffa-z0-9]{1,8}?(?:的)?(?:股票|股份|股)?(?:好吗|好不好|合适吗|合不合适|行吗|行不行|可以吗|划算吗|靠谱吗|明智吗)|"
    rf"(?:能不能|可不可以|要不要|该不该|应不应该|值不值得)(?:现在)?(?:买|卖|入手|抛|加仓|减仓|清仓|抄底|上车)(?:入|掉|出|进)?"
    rf"(?:点|些|一些)?{_ZH_GENERIC}[\u4e00-\u9fffa-z]|"
    r"[\u4e00-\u9fffa-z]{2,}(?:股票|的股票|股)?(?:能|可以|值得|适合)(?:买|入手|抄底|上车)(?:吗|么|不|嘛)|"
    r"(?:值得|能|可以)(?:买入?|入手|抄底)(?:吗|么)")


# a question about a tool itself (how it works, its cost, its length, a credit search) is the FAQ's
_ABOUT_TOOL = cue(
    r"\bhow does (?:the|your|this|that|a) .{0,40}\bwork\b|\bhow many questions\b|\bhow long (?:does|will|would) (?:it|the|"
    r"your|this|that) .{0,40}\btake\b|\b(?:i'll|i will|i'd rather|maybe i'll) do (?:it|that|the \w+) (?:later|another time|"
    r"tomorrow|next time)\b|\b(?:is|are) (?:it|the|your|this|that) .{0,40}\b(?:free|charged|chargeable)\b|\bdo you charge "
    r"(?:for|a fee)\b|\b(?:does|will|would) (?:it|that|this|the [\w-]+(?: [\w-]+)?) (?:do|run|leave|involve|show up as) (?:a |an )?(?:hard |"
    r"soft )?credit (?:search|check)\b|"
    r"收费(?:的)?吗|要(?:收)?钱吗|免费(?:的)?吗|要(?:做|花)?多久|(?:要|需要)多长时间|几道题|多少(?:道)?题|(?:下次|以后|改天)再(?:做|弄|测|填)|"
    r"(?:会(?:不会)?|要不要)(?:查|上|影响)(?:我的?)?征信|查不查征信")
# why markets move in general ("为什么加息股市就跌", "why does gold rise when rates fall"): an explanation
_MECHANISM = cue(r"\bwhy (?:do|does|would|will|is it that|should)\b|(?:为什么|为啥|为何|点解).{0,24}(?:就|总是|一般|通常|每次|都)(?:会)?")


def asks_about_tool(text: str) -> bool:
    """Whether a message asks about a tool (how it works, what it costs, how long it takes).

    Examples
    --------
    >>> asks_about_tool("is the portfolio proposal free?"), asks_about_tool("propose a portfolio for 10k")
    (True, False)
    >>> asks_about_tool("风险测评要多久"), asks_about_tool("我要做风险测评")
    (True, False)
    """
    return bool(_ABOUT_TOOL.search(text))


def asks_mechanism(text: str) -> bool:
    """Whether a message asks why markets move in general (no period named), not how one did.

    Examples
    --------
    >>> asks_mechanism("why does gold rise when the dollar falls"), asks_mechanism("why did gold fall today")
    (True, False)
    """
    return bool(_MECHANISM.search(text)) and find_period(text) is None


def asks_forecast(text: str) -> bool:
    """Whether a message asks where a market or price WILL go (a prediction, not a summary).

    Examples
    --------
    >>> asks_forecast("is bitcoin going to go up this year"), asks_forecast("how did bitcoin do this year")
    (True, False)
    >>> asks_forecast("比特币明年会涨吗"), asks_forecast("比特币今年涨了多少")
    (True, False)
    """
    return bool(_FORECAST.search(text))


def asks_stock_tip(text: str) -> bool:
    """Whether a message asks for a buy/sell call on one named security rather than a plan for an
    amount over a horizon.

    Examples
    --------
    >>> asks_stock_tip("should I buy Nvidia shares"), asks_stock_tip("should I buy funds or bonds with 10k?")
    (True, False)
    >>> asks_stock_tip("现在买茅台好吗"), asks_stock_tip("现在买什么基金好")
    (True, False)
    """
    if find_years(text) is not None:  # a horizon makes it a plan ("should I invest in gold for 10 years?")
        return False
    if _ZH_TIP.search(text):
        return True
    named = [a for a in find_assets(text) if a not in _GENERIC]
    return bool(named) and bool(_TIP_VERB.search(text))


def beyond_tool(tool: str, text: str) -> bool:
    """Whether ``tool`` would answer a question it does not do: a forecast, a why-question or a
    single-security tip for the market tools, a single-security tip for the portfolio proposal, a question about how a
    tool works for the advice and credit tools.

    Examples
    --------
    >>> beyond_tool("market_summary", "will gold rise next month?"), beyond_tool("price_chart", "gold chart 2024")
    (True, False)
    >>> beyond_tool("portfolio_proposal", "should I sell my Tesla stock?")
    True
    >>> beyond_tool("market_summary", "is Apple stock worth buying today?")
    True
    """
    if tool in ("market_summary", "price_chart"):  # "is Tesla a buy right now?" is a tip, not a summary
        return asks_forecast(text) or asks_mechanism(text) or asks_stock_tip(text)
    if tool in ("risk_profile", "credit_precheck") and asks_about_tool(text):
        return True
    if tool == "portfolio_proposal":
        return asks_stock_tip(text) or asks_about_tool(text)
    return False
