"""Unified social credit code (统一社会信用代码), GB 32100-2015.

18 characters: registration authority (1), organisation category (1), administrative
division (6), organisation code (9) and a check character (1). The check character is
computed over the first 17 with the weights of GB 32100-2015 §4 modulo 31.
"""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # I, O, S, V, Z are never used
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


class InvalidUSCC(ValueError):
    """The text is not a well-formed unified social credit code."""


def check_character(body: str) -> str:
    """Return the check character for the first 17 characters of a code."""
    if len(body) != 17:
        raise InvalidUSCC(f"统一社会信用代码主体应为17位，实际为{len(body)}位")
    try:
        total = sum(_VALUE[ch] * w for ch, w in zip(body, _WEIGHTS, strict=True))
    except KeyError as exc:
        raise InvalidUSCC(f"统一社会信用代码含非法字符 {exc.args[0]!r}") from None
    return ALPHABET[(31 - total % 31) % 31]


def validate(code: str) -> str:
    """Return ``code`` normalised to upper case, or raise :class:`InvalidUSCC`."""
    normalised = code.strip().upper()
    if len(normalised) != 18:
        raise InvalidUSCC(f"统一社会信用代码应为18位，实际为{len(normalised)}位")
    expected = check_character(normalised[:17])
    if normalised[17] != expected:
        raise InvalidUSCC(f"统一社会信用代码校验位错误：应为 {expected}，实际为 {normalised[17]}")
    return normalised


def is_valid(code: str) -> bool:
    try:
        validate(code)
    except InvalidUSCC:
        return False
    return True
