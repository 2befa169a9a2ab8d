from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app import uscc

# Published codes of two large companies (their business licences are public).
REAL_CODES = ["9144030071526726XG", "91440300708461136T"]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_validate(code: str) -> None:
    assert uscc.validate(code.lower()) == code


def test_wrong_check_character_is_named() -> None:
    with pytest.raises(uscc.InvalidUSCC, match="校验位错误：应为 G"):
        uscc.validate("9144030071526726X0")


@pytest.mark.parametrize("bad", ["", "91440300", "9144030071526726XGX", "9144030071526726IG"])
def test_malformed_codes_are_refused(bad: str) -> None:
    assert not uscc.is_valid(bad)


body = st.text(alphabet=uscc.ALPHABET, min_size=17, max_size=17)


@given(body)
def test_computed_check_character_always_validates(b: str) -> None:
    assert uscc.is_valid(b + uscc.check_character(b))


@given(body, st.integers(0, 16), st.sampled_from(uscc.ALPHABET))
def test_any_single_character_change_is_detected(b: str, pos: int, ch: str) -> None:
    code = b + uscc.check_character(b)
    changed = code[:pos] + ch + code[pos + 1:]
    assert uscc.is_valid(changed) == (changed == code)
