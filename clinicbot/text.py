"""Text helpers shared by every reader of what patients type (intents, dates, the booking flow).

One normaliser and one typo measure, so "Book  Appointment!!" and "bookk appointment" are read
the same way everywhere.
"""

import re
import unicodedata

_REPEATS = re.compile(r"(.)\1+")


def normalize(text: str) -> str:
    """Lower-case words separated by single spaces; apostrophes vanish, other marks and emoji
    become spaces. Devanagari vowel signs are kept (they are part of the word)."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    text = text.replace("'", "").replace("’", "").replace("`", "")
    kept = [" " if unicodedata.category(ch)[0] in "PSZC" else ch for ch in text]
    return " ".join("".join(kept).split())


def words(text: str) -> list[str]:
    return normalize(text).split()


def squeeze(word: str) -> str:
    """Runs of one letter become one letter: "pleeease" -> "please", "kaaal" -> "kal"."""
    return _REPEATS.sub(r"\1", word)


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (a swap of neighbours is one typo), or limit + 1 once
    it is certain to exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]
