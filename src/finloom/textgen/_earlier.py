"""The earlier period a facts object names beside its own, and the keys that belong to it.

``{"period": "2025-10", "prev_period": "2025-09", "spend_usd": 310, "spend_prev_usd": 365}`` gives
October's spending and September's: the ``prev`` key is the same metric one period back, so it is
dated to the earlier period (a text may say "$365 in August" of it, and "went up to $310" must
agree with the move from it).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = ["EARLIER_PERIOD_KEYS", "earlier_period_value", "is_earlier_key"]

# keys whose value is the period the facts compare with
EARLIER_PERIOD_KEYS = ("prev_period", "previous_period", "prior_period", "last_period", "base_period",
                       "comparison_period", "compare_period", "上期", "上期期间", "对比期", "基期")
_EARLIER_TOKEN = re.compile(r"(?:^|_)(?:prev|previous|prior|before|earlier)(?:_|$)|上期|上月|上季|前值|基期",
                            re.I)


def earlier_period_value(meta: Mapping[str, Any]) -> tuple[str, str] | None:
    """The ``(key, value)`` that names the earlier period of a facts object (keys lower-cased), if any.

    Examples
    --------
    >>> earlier_period_value({"period": "2025-10", "prev_period": "2025-09"})
    ('prev_period', '2025-09')
    >>> earlier_period_value({"period": "2025-10", "prev_close": 12.5}) is None
    True
    """
    for key in EARLIER_PERIOD_KEYS:
        value = meta.get(key)
        if isinstance(value, str) and value.strip():
            return key, value
    return None


def is_earlier_key(key: str) -> bool:
    """Whether a metric key names the earlier period's value (``spend_prev_usd``, ``上期余额``).

    Examples
    --------
    >>> is_earlier_key("spend_prev_usd"), is_earlier_key("cet1_prev_pct"), is_earlier_key("上期余额_元")
    (True, True, True)
    >>> is_earlier_key("spend_usd"), is_earlier_key("prevailing_rate_pct"), is_earlier_key("base_rate_pct")
    (False, False, False)
    """
    return bool(_EARLIER_TOKEN.search(key))
