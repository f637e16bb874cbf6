"""The one callback-data codec: registered prefixes, Telegram's 64-byte limit, routing patterns."""

from __future__ import annotations

import re

import pytest

from qa_bot import buttons


def test_encode_and_decode_round_trip_every_prefix() -> None:
    for prefix in buttons.PREFIXES:
        data = buttons.encode(prefix, "12", 3)
        assert buttons.decode(data) == (prefix, ["12", "3"])


def test_unknown_prefixes_and_long_data_are_refused() -> None:
    with pytest.raises(ValueError, match="unregistered"):
        buttons.encode("zz", 1)
    with pytest.raises(ValueError, match="too long"):
        buttons.encode("C", "指标" * 20)  # 6 bytes a pair: 120 bytes
    assert buttons.decode("zz:1") is None and buttons.decode(None) is None
    assert buttons.decode("C:" + "x" * 63) is None


def test_every_handler_family_routes_only_its_own_prefixes() -> None:
    families = (buttons.ANSWER, buttons.LIBRARY, buttons.FIGURES, buttons.GAPS, buttons.SETTINGS)
    assert sorted(p for f in families for p in f) == sorted(buttons.PREFIXES)
    for family in families:
        pattern = re.compile(buttons.pattern(family))
        for prefix in buttons.PREFIXES:
            assert bool(pattern.match(buttons.encode(prefix, 1))) == (prefix in family), prefix
