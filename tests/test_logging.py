from __future__ import annotations

from finloom._logging import mask_pii_basic


def test_log_masking_uses_the_one_masker_and_hides_api_keys() -> None:
    line = "user 123-45-6789 card 4111 1111 1111 1112 key fl_0123456789ab_abcdefghijklmnopqrstuv"
    assert mask_pii_basic(line) == "user [SSN] card [CARD] key [API_KEY]"
