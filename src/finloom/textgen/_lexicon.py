"""Word lists the guard reads language with: directions, negation, comparison bases, metric names.

Everything here is data (English and Chinese); the matching code lives in ``_claims.py``.
"""

from __future__ import annotations

import re

__all__ = [
    "BASIS_PATTERNS",
    "HIGHER_IS_BETTER",
    "LOWER_IS_BETTER",
    "COMPARATIVE_WORDS",
    "EXCLUSIVE_CATEGORIES",
    "MAGNITUDE_WORDS",
    "SIGN_PATTERNS",
    "DIRECTION_PATTERNS",
    "METRIC_SYNONYMS",
    "NEGATION",
    "PAIR_QUOTE_WORDS",
]

# Direction words. English verbs in every inflection a writer uses; nouns ("a 3% drop") too.
_UP_EN = (
    r"rose|rise|rises|risen|rising|gained|gains?|gaining|climbed|climbs?|climbing|advanced|advances?|"
    r"increased|increases?|increasing|jumped|jumps?|surged|surges?|soared|soars?|rallied|rall(?:y|ies)|"
    r"grew|grows?|grown|growing|growth|expanded|expands?|widened|widens?|deepened|deepens?|deepening|strengthened|strengthens?|"
    r"appreciated|appreciates?|picked up|edged up|ticked up|inched up|crept up|went up|go(?:es)? up|"
    r"raised|raises|raising|hiked|hikes|hiking|marked up|moved up|higher|(?<!gave )(?<!give )(?<!gives )(?<!giving )(?<!held )(?<!hold )(?<!holds )(?<!holding )(?<!made )(?<!make )(?<!makes )(?<!making )(?<!signed )(?<!sign )(?<!set )(?<!sets )up|upside|added|adds|rebounded|rebounds?|recovered|recovers?|accelerated|"
    r"inflows?|net inflows?|bought(?! more| fewer| less)|net buying|net bought|boosted|boosting|lifted|lifting|pushed up|pushing up|spiked|outperformed|firmed|"
    r"increment|uptick|advance|swelled|topped up|beat|beats|exceeded|exceeds|surpassed|"
    r"(?<!was )(?<!were )(?<!been )(?:outpaced|outstripped|outgrew)|outpaces|outpacing|outstrips|outstripping|"
    r"more(?! than| yuan| dollars?| euros?| pounds?| yen| renminbi| rmb)|extra|ahead of(?= (?:the |its |their |a |last )?[\d$£€¥])|surplus|loosened|topped|outperforming|beating|"
    r"pulled in|pulls in|took in|takes in|drew in|draws in|raked in|hauled in|attracted|attracts|"
    r"roared back|roared|bounced back|bounced|bounces|snapped back|perked up|turned higher|recouped|"
    r"in the black|into the black|belonged to the bulls|stronger|firmer|extended|lengthened|"
    r"built up|piled into|poured into|poured|pours|in positive territory|into positive territory|expanding|widening|strengthening|appreciating|rebounding|recovering"
)
_DOWN_EN = (
    r"gave up|gives up|give up|giving up|tightened|tightens?|fell|falls?|fallen|falling|dropped|drops?|dropping|declined|declines?|declining|slipped|slips?|"
    r"slid|slides?|sliding|lost|loses?|losing|decreased|decreases?|decreasing|plunged|plunges?|"
    r"tumbled|tumbles?|sank|sinks?|shrank|shrinks?|shrunk|contracted|contracts?|contraction|narrowed|"
    r"narrows?|weakened|weakens?|depreciated|depreciates?|eased|eases?|edged down|ticked down|"
    r"inched down|went down|go(?:es)? down|moved down|dipped|dips?|retreated|retreats?|slumped|slumps?|"
    r"down|lower|downside|outflows?|net outflows?|shed|sheds|sold|net selling|net sold|cut|cuts|"
    r"reduced|reduces?|reduction|slowed|slows?|softened|softens?|underperformed|decline|drop|dip|"
    r"yanked|yanks|pulled out|pulls out|pulled (?=\S+ out\b)|withdrew|withdrawn|bled|bleeds|tanked|tanks|"
    r"in the red|into the red|in negative territory|into negative territory|weaker|softer|shortened|"
    r"slashed|turned lower|gave back|dumped|contracting|narrowing|weakening|depreciating|easing|slowing|"
    r"softening|tumbling|plunging|slumping|"
    r"downtick|slide|plummeted|sagged|cooled|trimmed|compressed|missed|trailed|lagged|fell short|"
    r"behind(?= (?:the |its |their |a |last )?[\d$£€¥])|less(?! than)|fewer(?! than)|saved|saving|cheaper|deficit|lagging|trailing|underperforming"
)
_FLAT_EN = r"unchanged|flat|steady|stable|held steady|was little changed|stayed at|remained at|held at"
_UP_ZH = (
    r"上调|调升|调高|不降反升|不跌反涨|上涨|上升|上扬|走高|增长|攀升|增加|提升|提高|回升|反弹|扩大|走强|升值|增幅|涨幅|"
    r"扭亏为盈|扭亏|减亏|加深|"
    r"净流入|流入|吸金|增持|多增|抬升|上行|大涨|飙升|猛增|拉升|跑赢|超过|高出|多花了?|多了|多出|顺差|盈余|高于|好于|优于|超出|强于|涨|增|升"
)
_DOWN_ZH = (
    r"下跌|下降|下滑|走低|回落|减少|降低|收窄|缩小|走弱|贬值|跌幅|降幅|净流出|流出|减持|少增|萎缩|下行|"
    r"由盈转亏|转亏|增亏|"
    r"下探|大跌|暴跌|缩水|回撤|跑输|低于|少花了?|少了|省了|节省|下调|调贬|调低|逆差|赤字|收敛|不及|逊于|弱于|差于|跌|降|减"
)
_FLAT_ZH = r"持平|不变|保持稳定|基本稳定|稳定在"

# Verdicts rather than directions: whether "improved" is a rise depends on the metric (a cost/income
# ratio that improved fell); ``_conflicts`` resolves them with LOWER_IS_BETTER / HIGHER_IS_BETTER.
_BETTER = r"\b(?:improved|improves?|improving|improvement)\b|改善|好转"
_WORSE = r"\b(?:deteriorated|deteriorates?|deteriorating|deterioration|worsened|worsens?|worsening)\b|恶化|变差"
LOWER_IS_BETTER = re.compile(
    r"cost|expense|npl|non[_ -]?performing|delinquen|arrears|default|loss|combined[_ ]ratio|unemploy|churn|overdue|"
    r"charge[_ -]?offs?|chargeoffs?|\bncos?\b|write[_ -]?offs?|核销|"
    r"impair|complaint|fee|ocf|ter\b|不良|逾期|成本|费用|赔付|失业", re.I)
HIGHER_IS_BETTER = re.compile(
    r"profit|income|revenue|earning|margin|nim|return|roe|roa|cet1|capital|coverage|satisfaction|score|"
    r"rating|sales|deposit|growth|pmi|nps|promoter|adoption|利润|收入|收益|息差|资本|覆盖|满意", re.I)

_EARLIER_PERIOD = (r"(?:(?:the |its |their |your )?(?:last|previous|prior|same|year-ago|year-earlier)\b|a year (?:ago|earlier)\b|"
                   r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|q[1-4]\b|(?:19|20)\d\d\b)")

DIRECTION_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("better", re.compile(_BETTER, re.I)),
    ("worse", re.compile(_WORSE, re.I)),
    # "12.4% less than in June": after a figure, "more/less than" is a direction, not a hedge
    ("up", re.compile(r"(?<=[\d%] )(?:more|higher|greater)(?= than\b)", re.I)),
    ("down", re.compile(r"(?<=[\d%] )(?:less|lower|fewer)(?= than\b)", re.I)),
    # "£48 below October", "2% above last year's": after a figure, above/below a period is a change's direction
    ("up", re.compile(rf"(?<=[\d%] )(?:above|over)(?= {_EARLIER_PERIOD})", re.I)),
    ("down", re.compile(rf"(?<=[\d%] )(?:below|under)(?= {_EARLIER_PERIOD})", re.I)),
    ("up", re.compile(rf"\b(?:{_UP_EN})\b", re.I)),
    ("down", re.compile(rf"\b(?:{_DOWN_EN})\b", re.I)),
    ("flat", re.compile(rf"\b(?:{_FLAT_EN})\b", re.I)),
    ("down", re.compile(r"负增长|飘绿|收绿|翻绿|绿盘")),  # before 增长; green is a fall on Chinese screens
    ("up", re.compile(r"飘红|收红|翻红|红盘")),
    ("down", re.compile(r"少流入|多流出|少增|多减")),  # before 流入/增: "较9月少流入87亿", 同比少增3000亿 are falls
    ("up", re.compile(r"多流入|少流出|多增|少减")),
    ("up", re.compile(_UP_ZH)),
    ("down", re.compile(_DOWN_ZH)),
    ("flat", re.compile(_FLAT_ZH)),
)

# Direction words about size rather than value: a decline that narrowed is a rise (降幅收窄).
MAGNITUDE_WORDS = re.compile(r"narrowed|narrows?|widened|widens?|deepened|deepens?|deepening|收窄|缩小|扩大|收敛|加深")
# Direction words that compare two things: the subject is the first one named.
COMPARATIVE_WORDS = re.compile(
    r"outperformed|outperforming|underperformed|underperforming|beat|beats|beating|beat on \w+|exceeded|exceeds|"
    r"surpassed|missed|trailed|trailing|lagged|lagging|fell short|topped|ahead of|behind|"
    r"outpaced|outpaces|outpacing|outstripped|outstrips|outstripping|outgrew|"
    r"跑赢|跑输|超过|高出|低于|高于|好于|优于|超出|强于|不及|逊于|弱于|差于")
# Nouns that carry a sign: a surplus is positive, a deficit negative.
SIGN_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("up", re.compile(r"\b(?:surplus|net inflows?|inflows?|premium|net (?:buying|bought|purchases?|buyers?)|"
                      r"(?:net )?subscriptions|net new money|earned|made(?= (?:a |an )?(?:US\$|HK\$|A\$|S\$|[$£€¥]|\d))|"
                      r"(?<!and )profits?(?! margin| share| pool| warning| taking|-taking| and loss| or loss)|"
                      r"(?:put|puts|putting|ploughed|plowed|pumped|poured|invested|injected) (?:in )?a net)\b"
                      r"|顺差|盈余|净流入|溢价|净买入|净申购|浮盈|盈利(?!能力|模式|预测|预期|水平)|获利(?!了结)|赚了?", re.I)),
    ("down", re.compile(r"\b(?:deficit|net outflows?|outflows?|net loss|"
                        r"(?<!loan )(?<!credit )(?<!stop-)(?<!for )(?<!profit and )(?<!profit or )loss(?:es)?"
                        r"(?! ratio| rate| given| reserves?| provisions?| allowance| absorb)|discount|"
                        r"net (?:selling|sold|sales|sellers?)|(?:net )?redemptions|"
                        r"(?:pulled|pulls|pulling|withdrew|withdrawn|took|taken|yanked) (?:out )?a net(?= )|(?<!cash )(?<!ATM )(?<!no )(?<!without )withdrawals)\b"
                        r"|逆差|赤字|净流出|净亏损|折价|净卖出|净赎回|浮亏|(?<![扭减盈转增])亏(?:损|了)?(?!率|面|收窄|扩大)", re.I)),
)

# A negation right before a direction word cancels it ("did not fall", 未下降); 不降反升 is handled
# by listing it as an up word first.
NEGATION = re.compile(
    r"(?:\b(?:not|no|never|didn't|did not|hasn't|has not|haven't|wasn't|neither|nor|without)\s+(?:\w+\s+){0,1}$)"
    r"|(?:[没未无非不]有?$)",
    re.I,
)

# Comparison bases: year on year, quarter on quarter, month on month, year to date.
BASIS_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("yoy", re.compile(
        r"\b(?:year[- ]on[- ]year|year[- ]over[- ]year|y/y|yoy|(?:from |on |than |over |vs\.? )?a year (?:earlier|ago|before)|"
        r"(?:compared|versus|vs\.?) (?:with |to )?(?:a year (?:earlier|ago)|the same (?:period|quarter|month) "
        r"(?:of |in )?last year)|on the same (?:period|quarter|month) (?:of )?last year|annual(?:ly)? change)\b"
        r"|同比|较上年同期|比上年同期|较去年同期|比去年同期|与去年同期相比", re.I)),
    ("qoq", re.compile(
        r"\b(?:quarter[- ]on[- ]quarter|quarter[- ]over[- ]quarter|q/q|qoq|sequential(?:ly)?|a quarter earlier|"
        r"the (?:previous|prior|preceding) quarter|the quarter before|"
        r"from the (?:previous|prior|preceding) quarter|(?:compared|versus|vs\.?) (?:with |to )?"
        r"(?:the )?(?:previous|prior|preceding|last) quarter)\b|较上季度|较上季末|比上季度|较上一季度", re.I)),
    ("mom", re.compile(
        r"\b(?:month[- ]on[- ]month|month[- ]over[- ]month|m/m|mom|a month earlier|the month before|"
        r"(?:from )?the (?:previous|prior|preceding) month|(?:compared|versus|vs\.?) (?:with |to )?(?:the )?(?:previous|prior|preceding|last) month)\b"
        r"|较上月|比上月|较上个月", re.I)),
    ("seq", re.compile(r"环比")),
    ("ytd", re.compile(r"\b(?:year[- ]to[- ]date|ytd|since the start of the year|so far this year|(?:for|in) the year so far)\b"
                       r"|年初至今|今年以来|年内|较年初|比年初", re.I)),
)

# The quote currency of a pair moves opposite to the pair: USD/CNY up means the yuan weakened.
PAIR_QUOTE_WORDS = {
    "CNY": ("yuan", "renminbi", "rmb", "cny", "人民币", "元"),
    "JPY": ("yen", "jpy", "日元"),
    "EUR": ("euro", "eur", "欧元"),
    "USD": ("dollar", "greenback", "usd", "美元"),
    "GBP": ("pound", "sterling", "gbp", "英镑"),
    "HKD": ("hong kong dollar", "hkd", "港元", "港币"),
    "CHF": ("franc", "chf", "瑞郎"),
    "AUD": ("aussie dollar", "aussie", "australian dollar", "aud", "澳元", "澳币"),
    "CAD": ("loonie", "canadian dollar", "cad", "加元", "加币"),
    "NZD": ("kiwi dollar", "new zealand dollar", "nzd", "纽元"),
    "SGD": ("singapore dollar", "sgd", "新元", "新加坡元"),
}

# Spending categories exclude each other: money spent on dining is not money spent on fuel.
EXCLUSIVE_CATEGORIES = frozenset({
    "dining", "groceries", "transport", "fuel", "travel", "shopping", "entertainment", "utilities", "rent",
    "education", "healthcare", "insurance"})

# Metric words: a key token (or joined tokens) → surface forms in English and Chinese. Key tokens
# themselves always count as English surface forms; this table adds synonyms and translations.
METRIC_SYNONYMS: dict[str, tuple[str, ...]] = {
    "net_profit": ("net profit", "net income", "profit", "earnings", "bottom line", "净利润", "归母净利润", "利润", "盈利"),
    "profit": ("profit", "earnings", "income", "利润", "盈利"),
    "operating_profit": ("operating profit", "营业利润"),
    "pbt": ("profit before tax", "pre-tax profit", "pretax profit", "税前利润", "利润总额"),
    "profit_before_tax": ("profit before tax", "pre-tax profit", "pretax profit", "pbt", "税前利润", "利润总额"),
    "revenue": ("revenue", "revenues", "sales", "turnover", "top line", "income", "营收", "营业收入", "收入", "销售额"),
    "operating_income": ("operating income", "operating revenue", "营业收入", "营收"),
    "income": ("income", "收入"),
    "net_interest_income": ("net interest income", "nii", "利息净收入", "净利息收入"),
    "fee_income": ("fee income", "fee and commission income", "fees", "手续费", "中间业务收入", "手续费及佣金"),
    "nim": ("net interest margin", "nim", "margin", "净息差", "息差"),
    "net_interest_margin": ("net interest margin", "nim", "margin", "净息差", "息差"),
    "npl": ("non-performing loan", "npl", "bad loan", "bad-loan", "不良", "不良贷款", "不良率"),
    "npl_ratio": ("npl ratio", "non-performing loan ratio", "bad-loan ratio", "bad loan ratio", "npl", "不良率", "不良贷款率"),
    "core": ("core", "underlying", "核心", "core cpi", "core inflation", "核心CPI", "核心通胀", "核心通胀率"),
    "cet1": ("cet1", "common equity tier 1", "core tier 1", "核心一级资本充足率", "核心一级资本"),
    "car": ("capital adequacy", "资本充足率"),
    "capital_adequacy": ("capital adequacy", "资本充足率"),
    "provision_coverage": ("provision coverage", "coverage ratio", "拨备覆盖率"),
    "roe": ("roe", "return on equity", "净资产收益率"),
    "roa": ("roa", "return on assets", "总资产收益率"),
    "cost_income": ("cost-to-income", "cost-income", "cost to income", "成本收入比"),
    "deposits": ("deposits", "deposit", "存款"),
    "complaints": ("complaints", "complaint", "投诉", "客户投诉"),
    "ldr": ("loan-to-deposit ratio", "loan to deposit ratio", "loan/deposit ratio", "ldr", "存贷比"),
    "deposit": ("deposits", "deposit", "存款"),
    "loans": ("loans", "loan", "lending", "credit", "贷款", "信贷"),
    "loan": ("loans", "loan", "lending", "贷款"),
    "assets": ("assets", "asset", "资产"),
    "total_assets": ("total assets", "assets", "总资产", "资产总额", "资产规模"),
    "aum": ("aum", "assets under management", "管理规模", "资产管理规模", "规模"),
    "nav": ("nav", "net asset value", "unit value", "净值", "单位净值"),
    "return": ("return", "returned", "performance", "gain", "回报", "收益", "收益率", "涨幅", "表现"),
    "change": ("change", "move", "moved", "变动", "变化", "涨跌"),
    "close": ("close", "closed", "closing", "ended", "finished", "settled", "收于", "收报", "收盘", "报收", "收在"),
    "price": ("price", "priced", "trading at", "价格", "报价", "股价"),
    "yield": ("yield", "yields", "收益率"),
    "volatility": ("volatility", "vol", "波动率"),
    "max_drawdown": ("maximum drawdown", "max drawdown", "drawdown", "最大回撤", "回撤"),
    "drawdown": ("drawdown", "回撤"),
    "flows": ("flows", "flow", "资金流"),
    "net_flow": ("net flows", "net flow", "inflows", "outflows", "净流入", "净流出", "资金"),
    "net_inflow": ("net inflows", "net inflow", "inflows", "净流入", "资金"),
    "inflow": ("inflows", "inflow", "流入"),
    "outflow": ("outflows", "outflow", "redemptions", "流出", "赎回"),
    "subscriptions": ("subscriptions", "申购"),
    "redemptions": ("redemptions", "赎回"),
    "fee": ("fee", "fees", "charge", "费率", "费用", "管理费"),
    "expense_ratio": ("expense ratio", "ongoing charge", "ocf", "ter", "费率"),
    "management_fee": ("management fee", "管理费"),
    "cpi": ("cpi", "consumer prices", "consumer price", "inflation", "居民消费价格", "消费者物价"),
    "ppi": ("ppi", "producer prices", "producer price", "工业生产者出厂价格", "出厂价格"),
    "inflation": ("inflation", "cpi", "通胀", "通货膨胀"),
    "hicp": ("hicp", "inflation", "consumer prices", "harmonised index", "通胀", "调和消费者物价"),
    "mid": ("mid-rate", "mid rate", "middle rate", "mid-market rate", "midpoint", "mid-point"),
    "pmi": ("pmi", "purchasing managers", "采购经理指数", "采购经理人指数"),
    "gdp": ("gdp", "output", "economy", "国内生产总值", "经济"),
    "unemployment": ("unemployment", "jobless", "失业率", "失业"),
    "rate": ("rate", "利率"),
    "policy_rate": ("policy rate", "政策利率"),
    "lpr": ("lpr", "loan prime rate", "贷款市场报价利率"),
    "mortgage": ("mortgage", "home loan", "房贷", "按揭"),
    "spending": ("spending", "spent", "spend", "expenses", "消费", "支出", "花费"),
    "total": ("total", "in all", "overall", "合计", "总计", "总共", "总额"),
    "dining": ("dining", "restaurants", "eating out", "food and drink", "meals", "takeaways", "餐饮", "吃饭", "外卖", "下馆子", "美食"),
    "groceries": ("groceries", "grocery", "supermarket", "超市购物", "超市", "商超", "生鲜", "日用", "买菜", "杂货"),
    "transport": ("transport", "transportation", "public transport", "commuting", "交通", "打车", "地铁", "公交"),
    "fuel": ("fuel", "petrol", "gas station", "加油", "油费"),
    "benchmark": ("benchmark", "业绩比较基准", "基准"),
    "consensus": ("consensus", "estimates", "expected", "forecast", "预期", "一致预期"),
    "travel": ("travel", "holiday", "flights", "hotels", "旅行", "旅游", "出游", "出行", "机票", "差旅"),
    "shopping": ("shopping", "retail", "clothes", "online shopping", "购物", "网购", "服饰"),
    "hotel": ("hotel", "hotels", "accommodation", "lodging", "酒店", "住宿", "宾馆"),
    "entertainment": ("entertainment", "leisure", "streaming", "娱乐", "休闲"),
    "utilities": ("utilities", "bills", "electricity", "water", "水电", "水电煤", "生活缴费", "公用事业"),
    "rent": ("rent", "housing", "房租", "租金"),
    "education": ("education", "tuition", "school", "教育", "学费"),
    "healthcare": ("healthcare", "health", "medical", "pharmacy", "医疗", "看病", "药"),
    "insurance": ("insurance", "premium", "premiums", "保险", "保费"),
    "premium": ("premium", "premiums", "保费"),
    "claims": ("claims", "claim", "赔付", "理赔"),
    "combined_ratio": ("combined ratio", "综合成本率"),
    "balance": ("balance", "outstanding", "余额", "已用额度", "used limit"),
    "limit": ("limit", "credit line", "额度"),
    "room": ("room", "allowance", "剩余额度", "可用额度", "剩余可投"),
    "utilization": ("utilisation", "utilization", "使用率"),
    "delinquency": ("delinquency", "delinquent", "arrears", "past due", "逾期"),
    "default": ("default", "defaults", "违约"),
    "default_rate": ("default rate", "违约率"),
    "approval": ("approval", "approvals", "approved", "审批", "通过率"),
    "approval_rate": ("approval rate", "通过率", "批准率"),
    "disbursement": ("disbursement", "disbursed", "发放", "投放"),
    "ltv": ("ltv", "loan-to-value", "loan to value", "抵押率", "贷款价值比"),
    "dividend": ("dividend", "payout", "分红", "股息", "派息"),
    "eps": ("eps", "earnings per share", "每股收益"),
    "pe": ("p/e", "pe", "price-to-earnings", "市盈率"),
    "pb": ("p/b", "pb", "price-to-book", "市净率"),
    "market_cap": ("market cap", "market capitalisation", "market capitalization", "市值"),
    "volume": ("volume", "turnover", "成交量", "成交额", "交易量"),
    "turnover": ("turnover", "成交额"),
    "customers": ("customers", "clients", "users", "客户", "用户"),
    "mobile_users": ("mobile users", "mobile banking users", "app users", "手机银行用户", "手机银行"),
    "mobile_banking_users": ("mobile users", "mobile banking users", "app users", "手机银行用户", "手机银行"),
    "mau": ("mau", "monthly active users", "月活跃用户", "月活用户", "月活"),
    "accounts": ("accounts", "账户"),
    "branches": ("branches", "outlets", "网点", "分行", "支行"),
    "employees": ("employees", "staff", "headcount", "员工"),
    "cards": ("cards", "card", "卡"),
    "transactions": ("transactions", "transaction", "payments", "交易", "笔数"),
    "exports": ("exports", "出口"),
    "imports": ("imports", "进口"),
    "retail_sales": ("retail sales", "社会消费品零售总额", "社零", "零售"),
    "industrial_production": ("industrial production", "industrial output", "工业增加值", "工业生产"),
    "m2": ("m2", "money supply", "广义货币"),
    "tsf": ("tsf", "total social financing", "social financing", "aggregate financing", "社会融资规模", "社融"),
    "gold": ("gold", "黄金", "金价"),
    "oil": ("oil", "crude", "原油", "油价"),
    "brent": ("brent", "布伦特"),
    "wti": ("wti", "west texas"),
    "bitcoin": ("bitcoin", "btc", "比特币"),
    "coupon": ("coupon", "票息", "票面利率"),
    "spread": ("spread", "利差"),
    "tier1": ("tier 1", "tier 1 ratio", "tier 1 capital ratio", "一级资本", "一级资本充足率"),
    "lcr": ("lcr", "liquidity coverage", "流动性覆盖率"),
    "weight": ("weight", "allocation", "holding", "权重", "占比", "配置"),
    "contribution": ("contribution", "contributed", "贡献"),
    "score": ("score", "评分", "分数"),
    "correlation": ("correlation", "correlated", "相关系数", "相关性"),
    "regime": ("regime", "波动状态"),
    "best_day": ("best day", "单日最大涨幅", "最佳单日"),
    "rating": ("rating", "评级"),
}
