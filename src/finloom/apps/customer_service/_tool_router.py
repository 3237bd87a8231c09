"""The tool router: which of the assistant's tools an English or Chinese message asks for, with the
values it names, or ``None`` for everything that is not a tool call (FAQ and how-to questions,
card and account tasks, greetings, complaints, requests for a person, off-topic messages)."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from finloom.apps.customer_service._lang import cue, normalize_text
from finloom.apps.customer_service._market_cues import CHART, is_market, not_market
from finloom.apps.customer_service._other_products import is_outside_money_subject
from finloom.apps.customer_service._spending import asks_for_spending_chart
from finloom.apps.customer_service._tool_asides import drop_disowned
from finloom.apps.customer_service._tool_model import ToolModel
from finloom.apps.customer_service._tool_params import (
    find_amount,
    find_assets,
    find_case_action,
    find_case_id,
    find_dataset,
    find_income,
    find_period,
    find_years,
)
from finloom.apps.customer_service._tool_scope import beyond_tool
from finloom.apps.customer_service._tool_spelling import tidy_chat_spelling

__all__ = ["TOOL_NAMES", "ToolRoute", "route_tool"]

TOOL_NAMES = ("market_summary", "price_chart", "risk_profile", "portfolio_proposal", "credit_precheck",
              "application_status", "alerts_cases", "dataset_question")


@dataclass(frozen=True)
class ToolRoute:
    """A tool call read from a message: the tool's name and the values the message names."""

    tool: str
    params: dict[str, Any] = field(default_factory=dict)


# -- shared exclusions ----------------------------------------------------------------------------
_HOWTO = cue(r"\bhow (?:do|can|could|would|should) (?:i|we|you|one)\b(?! (?:invest|allocate|put|grow|split|"
             r"borrow|get|qualify))|\bhow to\b(?! (?:invest|split|allocate|divide|spread))|\bwhat (?:documents|papers|do i need|is needed|are the "
             r"requirements|are the steps|is the process)|\brequirements?\b|\bwhere (?:can|do) i apply|\bsteps to\b|"
             r"\bwhere (?:can|do|would|should) (?:i|we|you|one) (?:see|check|find|track|view|look)\b|"
             r"(?:怎么|如何|怎样|点样)(?:申请|办理|导出|下载|上传|导入|开通|设置|操作|查询?)|申请流程|在哪(?:里|儿)?(?:查|看)|"
             r"哪里(?:查|看)|(?:能|可以)在.{0,10}(?:查|看)|需要(?:什么|哪些)(?:材料|资料|条件|文件)|要什么材料|办理流程|在哪(?:里)?申请|去哪申请")
_EDUCATION = cue(r"^(?:so |and |but |hi,? |hello,? |ok,? )?(?:what(?:'s| is| are| does)|what do you mean by|explain|define|"
                 r"tell me what|can you explain|could you explain)\b(?!.*\b(?:my|mine|i|me|today|now|this (?:week|"
                 r"month|year)|currently|at|doing|trading|price|level|rate today)\b)|"
                 r"(?:什么是|是什么意思|什么意思|是指什么|是啥|指的是什么|解释一下|是什么(?:[?？]|$)|(?:具体)?指(?:啥|什么|乜)|"
                 r"啥意思|咩意思|乜意思|什么叫|何谓|(?:这个|呢个)(?:词|概念|术语|名词)|举个例子)")

_WHY = cue(r"\bwhy (?:do|does|must|should|would|is|are) (?:i|we|you|one|customers?|people|it|(?:the|a|your|this|my) "
          r"(?:bank|banks|app|regulator|law|branch))\b.{0,20}\b(?:have to|need|"
          r"must|required|necessary|ask|want|insist|keep)|\bwhy (?:is|are) (?:there|it|a|the)\b.{0,30}\b(?:required|needed|necessary|"
          r"compulsory|mandatory)|(?:为什么|为啥|为何|点解).{0,12}(?:要|必须|需要)")

# -- alerts_cases -----------------------------------------------------------------------------------
_CASE_WORDS = cue(r"\b(?:open|pending|unassigned|new|unresolved|active|closed|escalated|high[- ]risk|riskiest|"
                  r"top|all|today's|latest|outstanding|my|assigned)\s+(?:(?:monitoring|transaction|fraud|aml|"
                  r"suspicious[- ]activity|tm)\s+)?(?:alerts|cases|alert cases)\b|"
                  r"\b(?:monitoring|transaction[- ]monitoring|aml|tm|suspicious[- ]activity|fraud)\s+(?:alerts|"
                  r"cases|queue)\b|"
                  # one alert out of many ("every unassigned transaction-monitoring alert"), a queue's age or SLA
                  r"\b(?:every|each|any|which|what)\b.{0,30}\b(?:monitoring|transaction[- ]monitoring|aml|tm|"
                  r"suspicious[- ]activity) (?:alert|case)\b|\b(?:alerts|cases) (?:in|on|from) (?:my|the|our|your) "
                  r"(?:queue|backlog|worklist|bucket)\b|\b(?:alerts|cases)\b.{0,30}\b(?:older than|aged (?:over|more)|"
                  r"overdue|past (?:the )?sla|breach\w* (?:the )?sla|more than \d+ (?:days|weeks)|over \d+ (?:days|"
                  r"weeks))|\b(?:case|alert|alerts) queue\b|\b(?:assign|reassign|close|resolve|dismiss|"
                  r"escalate|show|open|pull up|look at)\s+(?:the |this |that |these |those )?(?:case|alert)s?\b|"
                  r"\bcases? (?:assigned to|for account|on account|with risk)\b|\bhow many (?:open |new )?(?:alerts|"
                  r"cases)\b|\blist (?:the )?(?:alerts|cases)\b|\b(?:alerts|cases) (?:today|this week|by risk|"
                  r"assigned)\b|"
                  r"\b(?:list|show|pull up|pull|filter|sort|display|fetch|bring up)\b.{0,40}?"
                  r"\b(?:alerts|cases)\b|\b(?:alerts|cases)\b.{0,40}?\b(?:unassigned|still open|in the queue|"
                  r"sitting|outstanding|pending review|awaiting review|opened (?:today|yesterday|this|last|since))\b|"
                  r"\b(?:alerts|cases) (?:from|since|raised|opened|created) (?:today|yesterday|this|last)\b|"
                  r"\b(?:high|medium|low|critical)[- ]severity (?:alerts|cases)\b|"
                  # alerts a monitoring system raised, and a colleague's cases handed over
                  r"\b(?:alerts|cases)\b.{0,40}\b(?:flagged|raised|generated|triggered) by\b|\b(?:alerts|cases) pending\b|"
                  r"\b(?:hand|pass|move|transfer|give|reassign) (?:over )?(?:all )?(?:\w+'s|his|her|their) (?:open )?(?:cases|alerts)\b|"
                  r"(?:案子|案件|预警|工单).{0,6}(?:转给|转交|交给|移交|分给|转到|划给)|"
                  r"(?:预警|告警|可疑交易|监控)(?:案件|工单|队列|列表|信息)?(?:有哪些|列表|清单|情况|多少|还有)|"
                  r"(?:未处理|待处理|未结|未分配|开放|打开的|高风险|所有|今天的|最新的?)的?(?:预警|告警|案件|案子|工单)|"
                  r"(?:分配|指派|关闭|结案|处置|查看|打开|升级)(?:一下)?\s?\d*\s?号?(?:案件|案子|预警|工单)|"
                  r"(?:案件|工单)\s?(?:编号)?\s?\d+|\d+\s?号(?:案件|工单)|交易监控|"
                  r"(?:预警|告警|案件|案子|工单).{0,4}(?:还|仍然?|依然)?(?:开着|未关闭|没关|未处理|没处理|未结|待处理|积压)|"
                  r"(?:预警|告警|案件|案子|工单)(?:都|全部)?(?:筛|列|拉|找|调)出来|"
                  r"(?:筛选|筛出|列出|拉出|找出|调出|过滤).{0,20}(?:预警|告警|案件|案子|工单)|"
                  r"(?:新开|新建|新增|未分配|高风险|待处理|未处理|开着|未关闭|没关|没处理|未结|积压|没人跟(?:进)?)[的嘅]?(?:预警|告警|案件|案子|工单|alerts?|cases?)|"
                  r"(?:超过|多于|逾)\s?[\d一二两三四五六七八九十]+\s?(?:天|日|周|星期|个?月)[^，,。？?]{0,8}[的嘅](?:预警|告警|案件|"
                  r"案子|工单|alerts?|cases?)|(?:未处理|待处理|未分配|未结|开着|未关闭|高风险)的.{0,8}(?:预警|告警|案件|案子|工单)")
_CUSTOMER_CASE = cue(r"\bmy (?:\w+ )?(?:dispute|complaint|claim|chargeback|insurance)\b|\b(?:dispute|complaint|claim|"
                     r"chargeback) (?:case|ref|reference|number)\b|争议|投诉|理赔|申诉|我的案件")
_CASE_REF = cue(r"(?<![a-z0-9])(?:tm|aml|alr|alrt|alert|case|cs|sar|kyc)[-#]?\d{2,9}\b")
_CASE_ACTION = cue(r"\b(?:close|closing|assign|reassign|escalate|dismiss|resolve|clear|mark|pull up|open|look at|"
                   r"review)\b|\bfalse positive\b|\b(?:not|no|confirmed) fraud\b|关闭|结案|分配|指派|升级|处置|误报|"
                   r"(?<![a-z])close")
_CUSTOMER_ALERT = cue(r"\bmy (?:card|account|phone|alerts?|notifications?|inbox|email|app)\b|\balert settings\b|"
                      r"\bi(?:'ve| have)? (?:got|received|get|had)\b|\bcases? (?:where|in which|when)\b|\b(?:text|sms|email|push) "
                      r"alerts?\b|\bset up\b|\bturn (?:on|off)\b|\benable\b|\bsign up\b|notification|提醒|短信|"
                      r"我的卡|我的账户|收到")

# -- dataset_question -------------------------------------------------------------------------------
_DATA_WORD = cue(r"\b(?:dataset|data set|datasets|column|columns|rows|records|table|csv|in (?:the|our|this) data|"
                 r"the data|(?:spread)?sheet|workbook|workbench|data ?frame|(?:file|data|extract) (?:i|we) (?:uploaded|"
                 r"loaded|shared))\b|数据集|数据表|(?:^|[这那呢嗰])张表|表里|表中|表内|表入面|"
                 r"表格|字段|这列|列的|(?:这|那|呢|嗰)份数据|数据里|数据中|工作台(?:上|里)?的?[\u4e00-\u9fffa-z_]{0,8}(?:数据|表)")
# an analyst's aggregate over a column by a grouping ("median credit score by product type"), with no
# customer's "my"/"I" and no fee or rate the bank charges
_AGGREGATE = cue(r"^(?:pls |please |quick(?:ly)?:? |can you (?:get|give) me (?:the )?)?(?:the )?(?:correlation|corr) "
                 r"(?:between|of) [a-z]|^(?:请|帮忙|帮我)?按(?!揭|时|期|月|年|日)\w{1,8}(?:统计|汇总|分组|拆分)|"
                 r"^(?:pls |please |quick(?:ly)?:? |can you (?:get|give) me (?:the )?)?(?:the )?(?:average|avg|mean|median|"
                 r"count|share|proportion|distribution|breakdown|std|standard deviation|variance|percentiles?|"
                 r"quartiles?|p\d{2})\b(?: of)? [a-z][a-z _-]{2,40}?\b(?:by|per|across|grouped by|split by|broken down "
                 r"by)\b [a-z]")
# a loan book's rate by cohort ("default rate by origination quarter", "按放款季度的cohort看不良率"): an analyst's
# question about the data whoever "me" is
_BOOK_METRIC = cue(r"(?:按|分)\w{1,10}(?:cohort|维度|口径|分组|分层).{0,8}(?:率|趋势|分布|占比)|"
                   r"\b(?:npl|default|delinquency|arrears|charge-?off|approval|bad debt|loss) rates? (?:by|per|across) "
                   r"(?:origination|booking|vintage|cohort|quarter|month|product|region)")
_AGGREGATE_NOT = cue(r"\b(?:my|mine|i|i'm|me|we|our)\b|我|消费|支出|开销|花费|\b(?:fees?|charges?|interest|(?:exchange|fx|mortgage|savings|loan|"
                     r"deposit) rates?|apr|prices?|costs?|limits?|"
                     r"allowed|allowance|wait(?:ing)?|time)\b|\b(?:by|per) (?:post|phone|mail|email|cheque|card|transfer|"
                     r"cash|app|branch|day|week|month|year|transaction|person)\b")
_NOT_DATA = cue(r"\bfee table\b|\brate table\b|\btable of (?:fees|rates|charges)\b|\bbooking a table\b|"
                r"\bdinner table\b|费率表|收费表")
_ANALYSIS = cue(r"\b(?:average|mean|median|avg|how many|count|number of|share|rate|percentage|proportion|"
                r"distribution|breakdown|broken down|by|trend|over time|per|sum|total|max|maximum|min|minimum|"
                r"highest|lowest|top|most|least|correlat\w*|describe|summar\w*|missing|unique|distinct)\b|"
                r"%|\bpercent\b|\bfraction\b|\bratio\b|\bcohorts?\b|\bvintages?\b|数量|怎么变|如何变|每个?(?:月|季度?|年|周)|平均|均值|中位数|多少|几多|几条|几行|占比|比例|比率|分布|按|趋势|变化|总和|合计|最高|最低|最大|最小|相关|统计|概况|缺失")
_SNAKE = cue(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")

# -- credit_precheck --------------------------------------------------------------------------------
_CREDIT_PRODUCT = cue(r"\b(?:loan|loans|mortgage|mortgages|home loan|car loan|auto loan|credit card|credit line|"
                      r"line of credit|overdraft|borrow|borrowing|lend|credit limit|financing|refinanc\w*)\b|"
                      r"\b(?:eligib\w*|qualify|approved?) for (?:a |an |the |your )?(?:\w+ )?card\b|"
                      r"贷款|房贷|车贷|信用卡|借款|借钱|借到|贷到|贷多少|额度|信贷|[\u4e00-\u9fff]{1,2}贷(?!记)|按揭|抵押贷|"
                      r"(?:想|要|需要|打算|可以|能)借(?!记|用|给|出)|借[\d零一二两三四五六七八九十百千万]|借(?:钱)?给我|借(?:个|笔)")
_ELIGIBLE = cue(r"\bhow (?:much|big|large)(?: of a| a)? (?:\w+ )?(?:could|can|would|might|will)\s+(?:i|we)\s+(?:borrow|get|be "
                r"(?:lent|approved|given|offered)|qualify)|\bhow much (?:loan|mortgage|credit|money) (?:could|can|would|"
                r"might)\b|\b(?:am i|are we|would i be|will i be|would we be|i'm|i am)\s+(?:\w+ )?(?:eligible|qualified|"
                r"approved|accepted|likely)\b|\b(?:do|would|could|can|will) (?:i|we) (?:qualify|be eligible|be approved|"
                r"get approved|pass)\b|\bpre-?(?:approv|qualif|check|assess)\w*|\bapproval (?:chances|odds)|"
                r"\bchances? (?:of|i'd|i would|to) (?:get|being|be)\b|\bindicative (?:decision|offer|limit)|"
                r"\b(?:could|can|would|might) (?:i|we|you) (?:get|take out|obtain|be given|be offered|afford|borrow|"
                r"lend me|give me|approve)\b|\bcan i afford\b|\bwould (?:you|the bank|loom bank) (?:lend|approve|give)\b|"
                r"\beligib\w*|\bqualify\b|\bwhether\b.{0,80}\b(?:would|will|could|might) (?:be|get) (?:accepted|approved|"
                r"granted|declined|turned down)|\ban? (?:indication|idea) (?:of )?(?:whether|if)\b|\b(?:max|maximum|most|"
                r"how much) (?:i|we) (?:can|could|might|would be able to) (?:borrow|get|be lent)\b|"
                r"\b(?:what are|what're) (?:my|the) (?:chances|odds)\b|\b(?:do|would|will|could) (?:i|we) (?:stand|have) a "
                r"(?:chance|shot)\b|"
                r"\bany chance (?:of|i|that|you)\b|"
                r"过(?:唔|不)过得?(?:到|了)?|过得(?:到|了)(?:吗|嘛|唔|不)|预先(?:睇|看|评估|判断|审)|"
                r"初步(?:审批|审核|评估|判断|审)|(?:审批|批核)判断|"
                r"会(?:唔|不)会批|批唔批|批不批|得唔得|有(?:冇|没有?)得(?:借|贷|批)|有戏|有(?:冇|没有?)?(?:机会|希望|可能)(?:吗|嘛|不|冇)|"
                r"有没有(?:机会|希望|可能)|(?:会|肯|愿意|能|可以)(?:不会|不肯|不能)?借(?:钱)?给我|"
                r"机会大(?:吗|不)|(?:批|借|贷)得(?:到|落)(?:吗|不|唔)|"
                r"能贷多少|可以贷多少|能借多少|可以借多少|最多(?:能|可以)(?:贷|借)|能(?:批|贷|借)(?:到)?多少|"
                r"(?:能|可以|可不可以|能不能)(?:申请|办|贷|借|批|拿到|获批)|批(?:得)?下来|(?:获批|批准|通过|批下来)的?"
                r"(?:可能|几率|机会|概率|希望)|有(?:没有)?资格|够(?:不够)?资格|符合.{0,8}条件吗|能批吗|能通过吗|"
                r"预审|预评估|预审批|初审|评估一下.*(?:贷|额度)|我.{0,12}(?:能|可以).{0,10}(?:贷|借)")
# "is a 15k loan realistic for me?": asking whether borrowing is within reach, not about repaying a debt
_FEASIBLE = cue(r"\b(?:realistic|feasible|doable|achievable|attainable|within reach|on the cards)\b.{0,12}\bfor "
                r"(?:me|us|someone like me)\b|\bis (?:it|that|this) (?:realistic|feasible|doable|achievable)\b")
# "loan 20k possible?": the terse form, with an amount
_TERSE_FEASIBLE = cue(r"\b(?:possible|doable|feasible|realistic|achievable|an option|on)\s*\?+\s*$|(?:行不行|可以吗|行吗)\s*[?？]?$")
_REPAY = cue(r"\b(?:repay\w*|pay (?:it |this |that |my \w+ )?(?:off|back|down)|overpay\w*|settle|clear (?:my|the))\b|"
             r"还清|提前还|还款")
_HOW_LONG = cue(r"\bhow long\b|\bhow many (?:days|weeks)\b|多久|多长时间|几天|几个工作日")
_CARD_TASK = cue(r"\b(?:replacement|replace|new|lost|stolen|frozen|blocked|debit)\s+card\b|\bcard (?:back|delivered|"
                 r"arrive|replacement)\b|\bcards? (?:\w+ )?(?:blocked|frozen|locked|suspended|stopped)\b|"
                 r"\b(?:freeze|block|lock|suspend) (?:my|the|this|that|both) (?:\w+ )?cards?\b|补卡|换卡|挂失|冻结")
_INTEREST_FAQ = cue(r"\binterest rates?\b(?!.*\b(?:my|i)\b)|\bapr\b(?!.*\b(?:my|i)\b)|利率是多少|利息是多少")

# -- application_status -----------------------------------------------------------------------------
_APPLICATION = cue(r"\bapplication\b|\bapplied\b|\bapply(?:ing)?\b.*\b(?:last|ago|already)\b|申请|审批|审核|进件|"
                   r"\b(?:loan|card|mortgage|credit|overdraft) app\b|"
                   r"\bmy (?:\w+ )?(?:loan|mortgage|overdraft|credit line|line of credit)\b.{0,25}\b(?:under review|being "
                   r"(?:reviewed|processed|assessed)|pending|approved|rejected|declined|turned down|accepted|"
                   r"gone (?:thru|through))\b|\bmy (?:new )?(?:credit )?card\b.{0,15}\b(?:under review|pending approval|"
                   r"approved yet)\b|\b(?:decided|decision|verdict) on my (?:\w+ )?(?:loan|mortgage|credit card|card|"
                   r"overdraft)\b|"
                   # an application's stage named without the word ("has the mortgage gone through underwriting")
                   r"\b(?:the|my|our) (?:\w+ )?(?:loan|mortgage|remortgage|overdraft|credit card)\b.{0,25}\b(?:gone|go|went|got|"
                   r"get|come|came) (?:thru|through)\b|\bunderwrit\w*|"
                   r"(?:贷款|房贷|车贷|信用卡|额度|按揭|经营贷|消费贷|贷).{0,8}(?:(?:批|通过|审)(?:了|咗|下来了?)(?:吗|没有?|未|冇|咩)?|"
                   r"(?:批|通过)(?:没有?|未|冇))")
_STATUS = cue(r"\bstatus\b|\bprogress\b|\bupdate\b|\bwhere (?:is|are|'s)\b|\bwhere's\b|\bany news\b|\bnews on\b|"
              r"\bheard back\b|\bdecision\b|\boutcome\b|\bresult\b|\bapproved yet\b|\bbeen (?:approved|processed|"
              r"declined|rejected|accepted|reviewed)\b|\bstill (?:pending|being|under|in)\b|\bwhat happened\b|"
              r"\bhappening with\b|\bgoing on with\b|\bcheck on\b|\btrack\b|\bhow (?:is|'s) my\b|\bwas (?:it|my) "
              r"(?:\w+ )?(?:approved|accepted|declined|rejected|turned down)|\b(?:go|gone|went|get|got|come|came) "
              r"(?:thru|through)\b|\bunder review\b|\bpending\b|\b(?:approved|accepted|rejected|declined|turned down)"
              r"(?: yet)?\s*\?|\bref(?:erence)?(?: (?:no|number))?\.?[:# ]*[a-z]*-?\d{3,}|"
              r"\bget approved\b|\b(?:heard|hear) nothing\b|\b(?:not|haven't|have not|never) heard\b|\bno word\b|"
              r"\bstill waiting\b|\bno news\b|\bdecided\b|"
              # someone working on it ("have the underwriters looked at my application?") or where it stands
              r"\b(?:looked at|looked into|gotten to|got (?:round|around) to|picked up|reviewed|assessed|processed)\b|"
              r"\bwhere (?:it|things|that|this|we|they|my \w+(?: \w+)?) (?:stands?|(?:is|are) at)\b|"
              r"\bwhere does (?:it|that|this|my \w+(?: \w+)?(?: \w+)?) stand\b|(?:什么|咩)情况|情况(?:如何|怎么样|点样)|\bany word\b|\bhear anything\b|"
              r"进度|状态|结果|到哪(?:一步|了)|怎么样了|有结果|审(?:批|核)(?:完|好)|"
              r"(?:批|通过|批下来|审完|批准|获批)(?:了)?(?:吗|没|没有|未|咩|冇)|批咗|被拒|拒了|没(?:有)?通过|"
              r"什么时候(?:能)?(?:批|出结果)|还在审|(?:有|没|冇)(?:有)?消息|去到边|到边|点样了|搞成点|得未")
_STATUS_NOT = cue(r"\b(?:block|freeze|cancel|stop|lock)\b.{0,15}\bcard\b|冻结|\bdispute|\bcomplain|\bclaim\b|\brefund|\btransfer|\bcard (?:delivery|arrive)|\bchargeback|"
                  r"\bhow long\b|\bhow many days\b|\btypically\b|\busually\b|\bnormally\b|\bwhat (?:can|should) (?:i|we) do\b|"
                  r"怎么办|点算|争议|投诉|退款|转账|多久|多长时间|"
                  r"一般|通常|挂失|补卡")

# -- risk_profile -----------------------------------------------------------------------------------
_RISK = cue(r"\brisk (?:profile|level|rating|category|tolerance|appetite|grade|score|class|type|capacity)\b|"
            r"\brisk (?:questionnaire|test|quiz|assessment|survey|profiling|evaluation|form|check)\b|\b(?:suitability|investor|"
            r"investment|investing) (?:questionnaire|assessment|test|profile|quiz|survey|form)\b|"
            r"\b(?:i'm|im|i am|am i|i was|was i|i'd be|my (?:rating|level|grade) is)(?: (?:a|an|still|rated|"
            r"classed as|classified as|now))? c[1-5]\b|\bc[1-5] or c[1-5]\b|\bwhat (?:am i|i'm|i am) (?:rated|"
            r"classed|classified)\b|\bwhat kind of investor\b|\bwhat type of investor\b|"
            r"\bc[1-5] investor\b|\bwhat (?:risk )?(?:category|bracket|band|level|class|tier) (?:i'd|i would|i'll|i will|i) "
            r"(?:fall|be|fit|come|sit|land) ?(?:into|in|under)?\b|\bam i (?:a |an )?(?:conservative|cautious|balanced|aggressive|growth|risk[- ]averse|"
            r"risk[- ]taker)|\bhow much risk (?:can|could|should|do) i\b|\b(?:assess|evaluate|measure|check|rate) my "
            r"risk\b|\bprofile me\b|"
            r"风险测评|风险评估|风评(?=.{0,4}(?:过期|到期|失效|结果|等级|问卷))|我的风评|(?:做|重做|更新|重新做?|完成|填)(?:一下|个|一次)?风评|风险问卷|风险等级|风险承受|风险偏好|风险类型|风险级别|风险能力|风险评级|测评|投资者类型|什么类型的投资者|"
            r"[cC][1-5几]\s?(?:级|类)?(?:投资者|客户)|(?:是|系)(?:咪|不是|唔系)?\s?[cC][1-5几]|几级投资者|"
            r"哪种投资者|保守型还是|投资者评估|适当性评估|(?:哪|什么|咩|边)(?:一)?(?:类|种|类型|型|样)的?投资者|属于.{0,4}(?:类|型)投资者")
# the risk level as the basis of a request ("given my risk level", "根据我的风险等级推荐…"): the request is
# the tool, not the questionnaire
_RISK_AS_BASIS = cue(r"\b(?:given|based on|according to|in line with|consistent with|suited to|suitable for|matching|that "
                     r"(?:fits?|matches|suits)|for|with) (?:my|our) (?:current )?risk (?:profile|level|rating|tolerance|"
                     r"appetite|category|grade)\b|(?:根据|按照|基于|结合|按|依据|符合|适合)(?:我|我们|自己)的?(?:目前的|现在的)?"
                     r"风险(?:等级|评级|偏好|承受能力|类型|级别)")
# the level already known or the questionnaire waved off ("my risk level is C3, skip that", "刚做过 跳过吧"):
# a request beside it is the tool
_RISK_KNOWN = cue(r"\bskip (?:it|that|this|the (?:questionnaire|test|quiz))\b|\balready (?:know|did|done|have|took|taken|"
                  r"completed)\b|\bcame back (?:as )?c[1-5]\b|\b(?:is|was|as) c[1-5]\b|跳过|(?:刚|已经)(?:做|测|填)(?:过|了|完)|"
                  r"做过了|测过了|不用再(?:做|测)")
_RISK_PERSONAL = cue(r"\b(?:my|me|mine|i|i'm|let's|lets|let me|redo|retake|take|do|start|begin|fill|complete|update|"
                     r"again|renew|want|need|like)\b|我|咱|自己|帮|重新|再做|做|填|开始|测一下|测下|来个")

# -- portfolio_proposal -----------------------------------------------------------------------------
_ADVICE = cue(r"\b(?:what|where|how) (?:should|could|would|can|do) (?:i|we) (?:invest|put|allocate|park|split)\b|"
              r"\bwhat to invest in\b|\b(?:what|where) would you (?:\w+ )?(?:put|invest|park|allocate)\b|"
              r"\bhow to (?:split|allocate|divide|spread|invest)\b|\bput (?:it|this|that|the money|my money|the cash|my savings|"
              r"the rest|them) (?:somewhere|to work)\b|(?:怎么|如何|怎样)投(?!诉|保|票|递|放|标|入使用)|\bwhere to (?:invest|put my)\b|\binvest(?:ment)? (?:advice|recommendation|"
              r"recommendations|plan|proposal|suggestion|suggestions|strategy|ideas?)\b|\b(?:suggest|recommend|propose|"
              r"build|create|make|design|put together|draw up|give|show)\b.{0,12}\b(?:portfolio|allocation|investment "
              r"plan|investment mix|asset mix|mix of investments)\b|\b(?:portfolio|asset allocation|allocation) "
              r"(?:for|with|advice|proposal|suggestion|recommendation)\b|\bwhat (?:funds|products|investments|stocks) "
              r"should i\b|\bhow should i (?:allocate|invest|split|diversify)\b|\bgrow my (?:money|savings|wealth)\b|"
              r"\b(?:i|we) (?:want|would like|'d like|wish|plan|am planning|'m planning|need) to invest\b|"
              r"(?<!do )(?<!much )\bi (?:have|'ve got|got) (?:\S+ )?(?:\S+ )?(?:to invest|spare|in savings|saved)\b|\bshould i (?:invest|buy "
              r"(?:funds|stocks|bonds))\b|\bhelp me invest\b|\bmanage my (?:money|savings|investments)\b|"
              r"\binvest (?:my|\d|[$¥])|\binvesting (?:my|\d|[$¥])|\bhelp me (?:plan|build|choose|pick|sort out) "
              r"(?:my |an? |some )?(?:investments?|portfolio|funds)\b|\bhow (?:would|should|could|do) you (?:split|"
              r"allocate|invest|divide|spread)\b|\bdiversify my\b|\binvestment proposal\b|"
              r"(?<![a-z])(?:portfolio|allocation|investment|invest)\s?(?:建议|推荐|方案|配置|规划)|"
              r"理财建议|投资建议|配置建议|资产配置|(?:怎么|如何|怎样|点样|点)投资|投资什么|理财推荐|投资推荐|"
              r"推荐(?:一下|些|点)?理财|做(?:个|一个)?.{0,6}配置|投些什么|怎么理财|如何理财|买什么(?:基金|理财|产品|股票)|"
              r"帮我(?:配置|规划|设计|推荐|(?:出|搭|做)(?=.{0,6}(?:配置|规划|方案|组合|计划|建议)))|(?:闲钱|存款|积蓄|余钱|存的钱).{0,10}(?:怎么|如何|投|理财|放哪)|推荐.{0,8}"
              r"(?:组合|理财产品|基金|投资)|投资组合|想(?:要)?投资|打算投资|准备投资|做(?:个|一个)?投资(?:方案|计划|规划)|投资方案|"
              r"理财方案|理财规划|钱(?:该|应该)?(?:怎么|如何)(?:投|放|理财)|配置一下|投资.{0,6}(?:万|元|块)|"
              r"投(?:资)?(?:些|点)?(?:什么|乜|哪些|哪种|哪类)(?:比较)?(?:好|合适|稳)|定投.{0,10}(?:什么|哪只|哪个|哪些)|"
              r"\b(?:which|what) (?:funds?|etfs?|stocks|shares|bonds|products|investments|assets) (?:should|would|could|"
              r"do|shall) (?:i|we) (?:buy|pick|choose|get|go for|hold|put)\b|"
              r"\bshould (?:i|we) (?:go|put|move|shift|lean|be|stay|keep|switch)\b.{0,30}\b(?:into|in|towards?|to)\b.{0,20}"
              r"\b(?:equities|stocks|shares|bonds|funds|etfs|cash|gold)\b|"
              r"\b(?:equities|stocks|shares) (?:or|vs\.?|versus) (?:bonds|cash|funds)\b.{0,40}\b(?:my|i've|i have|i've got)\b|"
              r"\b(?:my|i've|i have|i've got)\b.{0,40}\b(?:equities|stocks|shares) (?:or|vs\.?|versus) (?:bonds|cash|funds)\b")
# "what would you suggest for £1,500 a month?" / "怎么配置" with an amount: advice when money is named
_ADVICE_WITH_AMOUNT = cue(r"\b(?:what|which|where|anything) (?:would|do|can|could|will) you (?:suggest|recommend|advise|propose)\b|"
                          r"\b(?:any )?(?:suggestions|recommendations|ideas) for (?:my |the |a |an )?\S*\d|"
                          r"(?:怎么|如何|怎样|点样)(?:做)?(?:配置|分配|安排|打理|分)|"
                          r"(?:买|投|放|配)(?:点|些)?(?:什么|啥|哪些|哪种|哪类|乜嘢?)(?:比较)?(?:好|合适|稳)|(?:放|投)(?:在)?哪(?:里|儿)?(?:好|合适|比较好)|"
                          r"(?:万|钱|资金|现金|元|块).{0,12}(?:用不到|用不上|闲置)|\bwhere should (?:my|the|our|this) .{0,20}"
                          r"\bgo\b|\b(?:suggest|recommend|pick|choose)\b.{0,12}\b(?:funds|etfs|investments)\b|\b(?:sitting (?:idle|around|there)|"
                          r"doing nothing|lying around|idle cash|spare cash)\b")

def _market_summary(text: str, ctx: dict[str, Any]) -> ToolRoute | None:
    assets, period = ctx["assets"], ctx["period"]
    if not is_market(text, assets, period) or (_EDUCATION.search(text) and not period):
        return None
    return ToolRoute("market_summary", {"assets": assets, **({"period": period} if period else {})})


# "just give me the numbers", "直接说": the figures in words, whatever chart the message mentions
_WORDS_ONLY = cue(r"\bjust (?:give|tell|send) me (?:the )?(?:numbers|figures|facts|stats)\b|\bin (?:plain )?words\b|"
                  r"\b(?:just )?(?:the )?numbers,? please\b|直接(?:说|讲|告诉我|给我数字?)|用文字|文字(?:说明|描述)")


def _price_chart(text: str, ctx: dict[str, Any]) -> ToolRoute | None:
    assets, period = ctx["assets"], ctx["period"]
    if not assets or not CHART.search(text) or not_market(text) or asks_for_spending_chart(text):
        return None
    if _WORDS_ONLY.search(text):
        return None
    return ToolRoute("price_chart", {"assets": assets, **({"period": period} if period else {})})


def _alerts_cases(text: str, ctx: dict[str, Any]) -> ToolRoute | None:
    strong = bool(re.search(r"(?<![a-z])case\s*(?:#|no\.?|number|id)?\s*\d+|(?:案件|工单)\s?\d+|\d+\s?号?(?:案件|工单)", text, re.I))
    strong = strong or bool(_CASE_REF.search(text) and _CASE_ACTION.search(text))
    if _CUSTOMER_CASE.search(text):
        return None
    if not (strong or _CASE_WORDS.search(text)) or (_CUSTOMER_ALERT.search(text) and not strong):
        return None
    if not strong and (_HOWTO.search(text) or _WHY.search(text) or _EDUCATION.search(text)):
        return None
    return ToolRoute("alerts_cases", _case_params(text, ctx))


def _case_params(text: str, ctx: dict[str, Any]) -> dict[str, Any]:
    params: dict[str, Any] = dict(find_case_action(text, ctx.get("actor", "")))
    case_id = find_case_id(text)
    if case_id is not None:
        params["case_id"] = case_id
    for status in ("open", "closed", "escalated"):
        if re.search(rf"\b{status}\b", text, re.I):
            params.setdefault("status", status)
    return params


def _dataset_question(text: str, ctx: dict[str, Any]) -> ToolRoute | None:
    known: Iterable[str] = ctx.get("datasets", ())
    named = find_dataset(text, known)
    data_word = bool(_DATA_WORD.search(text)) and not _NOT_DATA.search(text)
    known_named = named is not None and (named in set(known) or bool(_SNAKE.search(text)))
    if (_AGGREGATE.search(text) and not _AGGREGATE_NOT.search(text)) or _BOOK_METRIC.search(text):
        data_word = True
    if not (data_word or known_named) or not _ANALYSIS.search(text):
        return None
    if _HOWTO.search(text) and not known_named:
        return None
    return ToolRoute("dataset_question", {"question": text, **({"dataset": named} if named else {})})


def _credit_precheck(text: str, ctx: dict[str, Any]) -> ToolRoute | None:
    if not _CREDIT_PRODUCT.search(text) or _CARD_TASK.search(text):
        return None
    amount, income = find_amount(text), find_income(text)
    numbers = amount is not None or income is not None
    if (_HOWTO.search(text) or _INTEREST_FAQ.search(text) or _HOW_LONG.search(text)) and not numbers:
        return None
    if _EDUCATION.search(text) and not numbers:
        return None
    feasible = bool(_FEASIBLE.search(text) or (numbers and _TERSE_FEASIBLE.search(text))) and not _REPAY.search(text)
    personal = bool(_ELIGIBLE.search(text)) or feasible or (numbers and bool(re.search(
        r"\b(?:my|i|i'm|me)\b.{0,40}\b(?:salary|income|earn|make)|\bon (?:my|a) (?:salary|income)|收入|工资|月薪|年薪|"
        r"月入|年入",
        text, re.I)))
    if not personal:
        return None
    return ToolRoute("credit_precheck", _credit_params(text))


def _credit_params(text: str) -> dict[str, Any]:
    amount, income, years = find_amount(text), find_income(text), find_years(text)
    params: dict[str, Any] = {"product": _product(text)}
    if amount is not None and (income is None or abs(amount - income[0]) > 1e-9):
        params["amount"] = amount
    if income is not None:
        params["monthly_income"] = income[0] if income[1] == "month" else round(income[0] / 12, 2)
    if years is not None:
        params["years"] = years
    return params


def _product(text: str) -> str:
    if re.search(r"mortgage|home loan|house|flat|apartment|property|房贷|按揭|买房|住房", text, re.I):
        return "mortgage"
    if re.search(r"credit card|card limit|\bcard\b|信用卡", text, re.I):
        return "credit_card"
    if re.search(r"car loan|auto loan|\bcar\b|车贷|买车", text, re.I):
        return "car_loan"
    return "personal_loan"


def _application_status(text: str, ctx: dict[str, Any]) -> ToolRoute | None:
    if not (_APPLICATION.search(text) and _STATUS.search(text)) or _STATUS_NOT.search(text):
        return None
    if _HOWTO.search(text) or (_EDUCATION.search(text) and not re.search(r"\bmy\b|我的?", text)):
        return None
    # a bare request ("card app status?", "房贷申请进度查一下") is about the user's own application; one about
    # applications in general ("the status of an application") is not, unless it says whose
    generic = re.search(r"\b(?:an?|any|every|the typical) (?:\w+ )?(?:application|app)\b|\bapplications\b", text, re.I)
    if generic and not re.search(r"\b(?:my|i|i've|i'd|me|our|we)\b|我|咱", text, re.I):
        return None
    return ToolRoute("application_status", _application_params(text))


def _application_params(text: str) -> dict[str, Any]:
    product = _product(text) if _CREDIT_PRODUCT.search(text) else (
        "credit_card" if re.search(r"\bcard\b|卡", text, re.I) else None)
    return {"product": product} if product else {}


def _risk_profile(text: str, ctx: dict[str, Any]) -> ToolRoute | None:
    if not _RISK.search(text) or not _RISK_PERSONAL.search(text) or _WHY.search(text):
        return None
    if (_RISK_AS_BASIS.search(text) or _RISK_KNOWN.search(text)) and _portfolio_proposal(text, ctx) is not None:
        return None
    if _EDUCATION.search(text) and not re.search(r"\bmy\b|\bi\b|\bam i\b|我(?!们银行)", text, re.I):
        return None
    if re.search(r"\bhow (?:is|are) (?:the |your )?risk (?:level|rating)s? (?:calculated|decided|determined|worked out)|"
                 r"风险等级(?:是)?(?:怎么|如何)(?:计算|确定|划分)", text, re.I):
        return None
    return ToolRoute("risk_profile", {})


_NOT_ADVICE = cue(r"\b(?:send|sending|transfer\w*|pay|paying|abroad|fees?|charges?|card|gift|present|phone|laptop|"
                  r"holiday|wedding|rent)\b|转账|汇款|手续费|卡|礼物")


def _portfolio_proposal(text: str, ctx: dict[str, Any]) -> ToolRoute | None:
    if not (_ADVICE.search(text) or (_ADVICE_WITH_AMOUNT.search(text) and find_amount(text) is not None
                                     and not _CREDIT_PRODUCT.search(text) and not _NOT_ADVICE.search(text))):
        return None
    if _EDUCATION.search(text) and not re.search(r"\bmy\b|\bi\b|我", text, re.I):
        return None
    if _HOWTO.search(text) and find_amount(text) is None:  # "存款要怎么办理继承": a how-to, not advice
        return None
    if re.search(r"\bhow (?:do|can) i open\b|\bfees?\b|\bcharges?\b|\bminimum\b|开户|手续费|费用|起投|起购|起点|门槛", text,
                 re.I) and find_amount(text) is None:
        return None
    return ToolRoute("portfolio_proposal", _portfolio_params(text))


def _portfolio_params(text: str) -> dict[str, Any]:
    params: dict[str, Any] = {}
    amount, years = find_amount(text), find_years(text)
    if amount is not None:
        params["amount"] = amount
    if years is not None:
        params["years"] = years
    return params


_RULES: tuple[Callable[[str, dict[str, Any]], ToolRoute | None], ...] = (
    _alerts_cases, _dataset_question, _application_status, _credit_precheck, _risk_profile,
    _portfolio_proposal, _price_chart, _market_summary)

# -- the learned fallback -----------------------------------------------------------------------------
LEARNED_FILL = 0.4  # the model names a tool the rules missed at this probability (chosen by BA<->BL CV)
_MODEL_DIR = Path(__file__).with_name("tool_model")


@functools.cache
def _model() -> ToolModel:
    return ToolModel.load(_MODEL_DIR)


def _market_params(text: str, ctx: dict[str, Any]) -> dict[str, Any]:
    return {"assets": ctx["assets"], **({"period": ctx["period"]} if ctx["period"] else {})}


_PARAMS: dict[str, Callable[[str, dict[str, Any]], dict[str, Any]]] = {
    "market_summary": _market_params,
    "price_chart": _market_params,
    "risk_profile": lambda text, ctx: {},
    "portfolio_proposal": lambda text, ctx: _portfolio_params(text),
    "credit_precheck": lambda text, ctx: _credit_params(text),
    "application_status": lambda text, ctx: _application_params(text),
    "alerts_cases": _case_params,
    "dataset_question": lambda text, ctx: {"question": text, **(
        {"dataset": named} if (named := find_dataset(text, ctx["datasets"])) else {})},
}


# an elliptical follow-up ("and for my credit card?", "那信用卡呢") continues the dialogue's last task
_FOLLOW_UP = cue(r"^(?:and|& ?|also|what about|how about|same for|same with)\b|^(?:那|还有|也).{0,12}呢[?？]?$")

# what the rules know is not a tool call (how-to, why and what-is questions, a customer's own
# disputes, alerts and card tasks) stays none: the model only fills gaps the rules leave open
_EXCLUSIONS = (_HOWTO, _WHY, _EDUCATION, _CUSTOMER_CASE, _CUSTOMER_ALERT, _STATUS_NOT, _CARD_TASK, _NOT_DATA)

_INVEST = cue(r"\binvest|\bportfolio|\bfunds?\b|\betfs?\b|\bstocks?\b|\bshares\b|\bbonds?\b|\ballocat|\breturns?\b|"
              r"\bwealth\b|\bsavings? (?:into|in)\b|投资|理财|基金|配置|股票|债券|资产|收益")
# risk, the investor or the questionnaire: a message about none of them is no risk profile
_RISK_TOPIC = cue(r"\brisk|\binvest|\bquestionnaire\b|\bsuitab|\b(?:conservative|cautious|balanced|aggressive|"
                  r"adventurous)\b|\bc[1-5]\b|风险|风评|风测|测评|评级|投资|问卷|保守|激进|稳健|[cC][1-5]")
# the topic a tool needs at all: the model picks among tools, not whether a message is about one
_TOPIC: dict[str, Callable[[str], bool]] = {
    "portfolio_proposal": lambda t: bool(_INVEST.search(t)),
    "risk_profile": lambda t: bool(_RISK_TOPIC.search(t)),
    "application_status": lambda t: bool(_STATUS.search(t)) or bool(re.search(r"批|审|进度|结果|怎么样|如何", t)),
    "market_summary": lambda t: not not_market(t),
    "price_chart": lambda t: not not_market(t),
}


def _learned_route(text: str, ctx: dict[str, Any]) -> ToolRoute | None:
    """The classifier's tool where the rules found none, when it is confident enough."""
    if _FOLLOW_UP.search(text) or any(rx.search(text) for rx in _EXCLUSIONS):
        return None
    tool, p = _model().predict(text)
    if tool == "none" or p < LEARNED_FILL or tool not in _PARAMS or not _TOPIC.get(tool, lambda t: True)(text):
        return None
    return ToolRoute(tool, _PARAMS[tool](text, ctx))


def route_tool(text: str, *, datasets: Iterable[str] = (), actor: str = "", learned: bool = True) -> ToolRoute | None:
    """The tool a message asks for and the values it names, or ``None`` when it is not a tool call.

    ``datasets`` are the names of the workbench's data tables (so "income in credit applications"
    finds ``credit_applications``); ``actor`` is who "me" is in "assign case 3 to me". The rules go
    first; where they find no tool, the learned classifier (``_tool_model``, trained on the dev sets
    BA + BL) may name one at probability ``LEARNED_FILL`` or more (``learned=False``: rules only).

    Examples
    --------
    >>> route_tool("How is the S&P 500 doing today?")
    ToolRoute(tool='market_summary', params={'assets': ['SP500'], 'period': '1d'})
    >>> route_tool("what is the S&P 500?") is None, route_tool("show my spending by category") is None
    (True, True)
    >>> route_tool("could I get a mortgage of 300k on my salary?").params
    {'product': 'mortgage', 'amount': 300000.0}
    >>> route_tool("how do I apply for a mortgage?") is None
    True
    >>> route_tool("给我看看黄金今年的走势图").tool, route_tool("我想做一下风险测评").tool
    ('price_chart', 'risk_profile')
    """
    clean = drop_disowned(tidy_chat_spelling(normalize_text(text)))
    if not clean or len(clean) > 600:
        return None
    ctx = {"assets": find_assets(clean), "period": find_period(clean), "datasets": tuple(datasets), "actor": actor}
    found = next((r for rule in _RULES if (r := rule(clean, ctx)) is not None), None)
    if found is None and learned:
        found = _learned_route(clean, ctx)
    # a forecast is no market summary, a one-stock tip no portfolio: either layer's pick stays none
    # tax rules, insurance shopping, a bill to split: money talk no tool (and no Loom service) answers
    return None if found is None or beyond_tool(found.tool, clean) or is_outside_money_subject(clean) else found
