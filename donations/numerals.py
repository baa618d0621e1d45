"""Amounts in Chinese financial numerals (大寫), as receipts write them: 新臺幣壹萬貳仟元整."""

DIGITS = "零壹貳參肆伍陸柒捌玖"
UNITS = ("", "拾", "佰", "仟")
SECTIONS = ("", "萬", "億", "兆")


def chinese_numerals(n: int) -> str:
    if n < 0:
        raise ValueError("amounts are not negative")
    if n == 0:
        return DIGITS[0]
    text = str(n)
    length = len(text)
    if length > 16:
        raise ValueError("amount too large")
    out, pending_zero = "", False
    for i, ch in enumerate(text):
        digit, pos = int(ch), length - 1 - i
        section_end = pos % 4 == 0
        if digit == 0:
            pending_zero = True
            # A section's name (萬, 億) is written when any digit of that section is not zero.
            if section_end and pos > 0 and int(text[max(0, i - 3) : i + 1]):
                out += SECTIONS[pos // 4]
            continue
        if pending_zero and out:
            out += DIGITS[0]
        pending_zero = False
        out += DIGITS[digit] + UNITS[pos % 4] + (SECTIONS[pos // 4] if section_end else "")
    return out


def amount_in_words(n: int) -> str:
    return f"新臺幣{chinese_numerals(n)}元整"
