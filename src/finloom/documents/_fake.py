"""Made-up people, employers, addresses and identity numbers (clearly fictional, seeded)."""

from __future__ import annotations

import datetime as dt

import numpy as np

__all__ = [
    "cn_id_check_digit",
    "fake_cn_id",
    "fake_en_id",
    "fake_name",
    "luhn_digit",
    "pick",
    "valid_cn_id",
    "valid_en_id",
]

_EN_FIRST = [
    "Alice",
    "Brian",
    "Clara",
    "Daniel",
    "Emma",
    "Felix",
    "Grace",
    "Henry",
    "Irene",
    "Jacob",
    "Karen",
    "Lucas",
    "Maria",
    "Nathan",
    "Olivia",
    "Peter",
    "Rachel",
    "Samuel",
    "Teresa",
    "Victor",
    "Wendy",
    "Oscar",
    "Laura",
    "Martin",
    "Nora",
    "Simon",
    "Helen",
    "Adam",
    "Julia",
    "Thomas",
]
_EN_LAST = [
    "Anders",
    "Bennett",
    "Carver",
    "Dalton",
    "Ellison",
    "Fletcher",
    "Garner",
    "Hollis",
    "Ingram",
    "Jensen",
    "Kendall",
    "Lawson",
    "Mercer",
    "Norton",
    "Osborne",
    "Prescott",
    "Quinlan",
    "Ramsey",
    "Sutton",
    "Thorne",
    "Underwood",
    "Vaughn",
    "Whitley",
    "Yardley",
    "Barlow",
    "Crane",
    "Hadley",
    "Marsh",
    "Porter",
    "Stanton",
]
_ZH_SURNAME = [
    "王",
    "李",
    "张",
    "刘",
    "陈",
    "杨",
    "赵",
    "黄",
    "周",
    "吴",
    "徐",
    "孙",
    "胡",
    "朱",
    "高",
    "林",
    "何",
    "郭",
    "马",
    "罗",
    "梁",
    "宋",
    "郑",
    "谢",
    "韩",
    "唐",
    "冯",
    "于",
    "董",
    "萧",
]
_ZH_GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀",
    "霞",
    "平",
    "刚",
    "桂",
    "英",
    "华",
    "玉",
    "兰",
    "文",
    "斌",
    "建",
    "国",
    "晓",
    "红",
    "海",
    "鹏",
]

EMPLOYERS = {
    "en": [
        "Northwind Logistics Ltd",
        "Bluepeak Software Ltd",
        "Harbor Foods Ltd",
        "Greenfield Energy Ltd",
        "Silverline Retail Ltd",
        "Oakridge Engineering Ltd",
        "Maple Health Ltd",
        "Crescent Media Ltd",
    ],
    "zh": [
        "北风物流有限公司",
        "蓝峰软件有限公司",
        "海港食品有限公司",
        "绿野能源有限公司",
        "银线零售有限公司",
        "橡岭工程有限公司",
        "枫叶健康有限公司",
        "新月传媒有限公司",
    ],
}
BANKS = {
    "en": ["Specimen Savings Bank", "Example Trust Bank", "Sample City Bank"],
    "zh": ["样本储蓄银行", "示例信托银行", "演示城市银行"],
}
PROVIDERS = {
    "en": ["Example Power and Water", "Sample Gas Company", "Demo City Utilities"],
    "zh": ["示例水电公司", "样本燃气公司", "演示城市公用事业"],
}
POSITIONS = {
    "en": ["Accountant", "Engineer", "Analyst", "Manager", "Designer", "Technician", "Consultant"],
    "zh": ["会计", "工程师", "分析师", "经理", "设计师", "技术员", "顾问"],
}
STREETS = {
    "en": ["Elm Street", "Oak Avenue", "Pine Road", "Cedar Lane", "Birch Street", "Willow Road"],
    "zh": ["梧桐路", "银杏街", "松林路", "海棠街", "紫荆路", "桂花街"],
}
CITIES = {
    "en": ["Springfield", "Riverton", "Lakeside", "Fairview", "Milltown"],
    "zh": ["江城市", "云山市", "湖滨市", "青石市", "临海市"],
}
TX_DESCRIPTIONS = {
    "en": ["Salary", "Grocery store", "Rent", "Electricity", "Transfer", "Restaurant", "Pharmacy"],
    "zh": ["工资", "超市购物", "房租", "电费", "转账", "餐饮", "药店"],
}
_CN_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_CN_CHECK = "10X98765432"
_CN_REGIONS = ["110105", "310104", "440305", "330106", "510107", "420111", "320102", "610113"]


def pick(rng: np.random.Generator, options: list[str]) -> str:
    """One of ``options``, drawn with ``rng``.

    Examples
    --------
    >>> pick(np.random.default_rng(0), ["a", "b", "c"]) in {"a", "b", "c"}
    True
    """
    return options[int(rng.integers(len(options)))]


def fake_name(rng: np.random.Generator, lang: str, *, avoid: str = "") -> str:
    """A made-up person's name; with ``avoid``, one sharing no name part (or character) with it.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> len(fake_name(rng, "en").split()), 2 <= len(fake_name(rng, "zh")) <= 3
    (2, True)
    """
    for _ in range(100):
        if lang == "zh":
            name = pick(rng, _ZH_SURNAME) + "".join(
                pick(rng, _ZH_GIVEN) for _ in range(int(rng.integers(1, 3)))
            )
            clash = bool(set(name) & set(avoid))
        else:
            name = f"{pick(rng, _EN_FIRST)} {pick(rng, _EN_LAST)}"
            clash = bool(set(name.split()) & set(avoid.split()))
        if not clash:
            return name
    return name


def cn_id_check_digit(first17: str) -> str:
    """The GB 11643 check character of the first 17 digits of a Chinese resident ID number.

    Examples
    --------
    >>> cn_id_check_digit("11010519491231002")
    'X'
    """
    return _CN_CHECK[sum(int(c) * w for c, w in zip(first17, _CN_WEIGHTS, strict=True)) % 11]


def valid_cn_id(number: str) -> bool:
    """Whether ``number`` is 18 characters with a correct check character.

    Examples
    --------
    >>> valid_cn_id("11010519491231002X"), valid_cn_id("110105194912310021")
    (True, False)
    """
    return (
        len(number) == 18
        and number[:17].isdigit()
        and cn_id_check_digit(number[:17]) == number[17].upper()
    )


def fake_cn_id(rng: np.random.Generator, birth: dt.date) -> str:
    """A fictional 18-character Chinese ID number for ``birth`` with a valid check character.

    Examples
    --------
    >>> valid_cn_id(fake_cn_id(np.random.default_rng(0), dt.date(1990, 5, 17)))
    True
    """
    first = pick(rng, _CN_REGIONS) + birth.strftime("%Y%m%d") + f"{int(rng.integers(0, 1000)):03d}"
    return first + cn_id_check_digit(first)


def luhn_digit(digits: str) -> str:
    """The Luhn check digit of ``digits`` (used by the fictional English ID card).

    Examples
    --------
    >>> luhn_digit("7992739871")
    '3'
    """
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = int(c) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


def valid_en_id(number: str) -> bool:
    """Whether ``number`` is 9 digits whose last is the Luhn digit of the first 8.

    Examples
    --------
    >>> valid_en_id("12345674"), valid_en_id("123456782")
    (False, True)
    """
    return len(number) == 9 and number.isdigit() and luhn_digit(number[:8]) == number[8]


def fake_en_id(rng: np.random.Generator) -> str:
    """A fictional 9-digit ID number with a Luhn check digit.

    Examples
    --------
    >>> valid_en_id(fake_en_id(np.random.default_rng(0)))
    True
    """
    first = "".join(str(int(d)) for d in rng.integers(0, 10, 8))
    first = str(int(rng.integers(1, 10))) + first[1:]
    return first + luhn_digit(first)
