"""Phone numbers never reach the logs whole: the console formatter masks them in every line.

A patient's WhatsApp number is personal data; a log line (or a traceback's locals) that names
one is masked to its last three digits, whichever module wrote it. Digit runs that are not a
valid phone number (ids, timestamps) are left alone.
"""

import logging
import re

import phonenumbers

CANDIDATE = re.compile(r"(?<![\w.])\+?(\d{10,15})(?![\w])")


def mask_phone_numbers(text: str) -> str:
    def mask(match: re.Match) -> str:
        digits = match.group(1)
        try:
            if not phonenumbers.is_valid_number(phonenumbers.parse("+" + digits)):
                return match.group(0)
        except phonenumbers.NumberParseException:
            return match.group(0)
        return "+" + "*" * (len(digits) - 3) + digits[-3:]

    return CANDIDATE.sub(mask, text)


class MaskingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return mask_phone_numbers(super().format(record))
