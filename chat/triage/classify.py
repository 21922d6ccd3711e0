"""Triage of one message: where the concepts meet, then the framing that excuses a match."""

import re
from dataclasses import dataclass

from .framing import CLAUSE_WORDS, LAUGHING_EMOJI
from .language import detect_language
from .lexicon import MAX_CHARS, STEM, _Lexicon, _lexicon, _squeeze, _Term, normalize
from .rules import CLASSES

# How far apart (in words) the concepts of one rule may stand.
WINDOW = 8
# How many other words may stand between two words of a phrase.
GAP = 2
# Punctuation that ends a clause (a record word or a present marker speaks only of its clause).
CLAUSE_BREAK = re.compile(r"[,.;:!?\n\u0964\u0965|\uff0c\u060c\u3001]+")


class _Text:
    """A message's words and what each one may mean."""

    def __init__(self, words: list[str], clauses: list[int], lexicon: _Lexicon) -> None:
        self.words = words
        self.clauses = clauses  # the clause each word stands in
        self.meanings = [lexicon.meanings(word) for word in words]
        self.at: dict[tuple[str, int], list[int]] = {}
        for position, meanings in enumerate(self.meanings):
            for item in meanings:
                self.at.setdefault(item, []).append(position)

    def find(
        self, terms: tuple[_Term, ...], lo: int = 0, hi: int | None = None, gap: int = GAP
    ) -> list[tuple[int, int]]:
        """Every (first, last) word position where one of the terms occurs in words[lo:hi], with
        at most `gap` other words between two of its words."""
        hi = len(self.words) if hi is None else min(hi, len(self.words))
        spans = []
        for term in terms:
            for start in self.at.get(term.words[0], ()):
                if lo <= start < hi:
                    end = self._follow(start + 1, term.words[1:], hi, gap)
                    if end is not None:
                        spans.append((start, end))
        return spans

    def _follow(self, position: int, rest: tuple[tuple[str, int], ...], hi: int, gap: int) -> int | None:
        if not rest:
            return position - 1
        for index in range(position, min(hi, position + gap + 1)):
            if rest[0] in self.meanings[index]:
                end = self._follow(index + 1, rest[1:], hi, gap)
                if end is not None:
                    return end
        return None

    def clauses_of(self, span: tuple[int, int]) -> set[int]:
        return set(self.clauses[span[0] : span[1] + 1])


def _split_glued(word: str, lexicon: _Lexicon, depth: int = 0) -> list[str] | None:
    """ "cantbreathe" → ["cant", "breathe"]: a word made of lexicon words, longest first."""
    if depth > 3 or len(word) > 40:
        return None
    for cut in range(len(word) - 2, 2, -1):
        left, right = word[:cut], word[cut:]
        # The left part must be a whole lexicon word: every prefix of "saansnahi" begins with "saans*".
        if not any(kind != STEM or len(stem) >= len(left) - 1 for stem, kind in lexicon.meanings(left)):
            continue
        if lexicon.meanings(right):
            return [left, right]
        rest = _split_glued(right, lexicon, depth + 1)
        if rest:
            return [left, *rest]
        if depth:
            return [left, right]  # "nahi" + "arahi": the known part is what matters
    return None


def _clauses(text: str, lexicon: _Lexicon) -> tuple[list[str], list[int]]:
    """The message's words (as _words reads them) and the clause each stands in: a comma, a
    full stop, "and", "aur", "आणि" begin a new one."""
    words: list[str] = []
    clauses: list[int] = []
    clause = 0
    for piece in CLAUSE_BREAK.split((text or "")[:MAX_CHARS]):
        clause += 1
        for word in _words(piece, lexicon):
            if word in CLAUSE_WORDS:
                clause += 1
            words.append(word)
            clauses.append(clause)
    return words, clauses


def _words(text: str, lexicon: _Lexicon) -> list[str]:
    """The message's words with held-down letters cut to two ("saaaans" → "saans") and glued
    words split."""
    words = []
    for word in normalize(text):
        squeezed = _squeeze(word)
        # Split a word the lexicon does not know, or one that runs far past a lexicon stem
        # ("saansnahiaarahi" begins with "saans*" but also says "nahi"; "breathing" is one word).
        meanings = lexicon.meanings(squeezed)
        if (
            len(squeezed) >= 6
            and squeezed.isascii()
            and all(kind == STEM and len(stem) + 4 <= len(squeezed) for stem, kind in meanings)
        ):
            split = _split_glued(squeezed, lexicon)
            if split:
                words.extend(split)
                continue
        words.append(squeezed)
    return words


@dataclass(frozen=True)
class Triage:
    """What triage made of one message. `classes` is empty when it is not an emergency."""

    classes: tuple[str, ...]
    language: str
    framing: str = ""  # why a red-flag word did not fire: "negated", "history", "hypothetical", "idiom"

    @property
    def urgent(self) -> bool:
        return bool(self.classes)

    @property
    def self_harm(self) -> bool:
        return "self_harm" in self.classes


def assess(text: str) -> Triage:
    """Triage one message: its red-flag classes (in CLASSES order) and its language."""
    lexicon = _lexicon()
    message = _Text(*_clauses(text, lexicon), lexicon)
    language = detect_language(text)
    spans: dict[str, list[tuple[int, int]]] = {}
    for name in CLASSES:
        found = message.find(lexicon.strong[name])
        for rule in lexicon.rules[name]:
            found.extend(_rule_spans(message, rule))
        live = [span for span in found if not _negated(message, span, lexicon)]
        if live:
            spans[name] = live
        elif found:
            spans.setdefault("", [])
    if not any(name for name in spans):
        return Triage(classes=(), language=language, framing="negated" if spans else "")
    spans.pop("", None)
    framing = _framing(text, message, spans, lexicon)
    if framing:
        return Triage(classes=(), language=language, framing=framing)
    return Triage(classes=tuple(spans), language=language)


def _rule_spans(message: _Text, rule: tuple[tuple[_Term, ...], ...]) -> list[tuple[int, int]]:
    """Where all concepts of a rule meet within WINDOW words, as the span they cover."""
    hits = []
    for concept in rule:
        found = message.find(concept)
        if not found:
            return []
        hits.append(found)
    if len(hits) == 1:
        return hits[0]
    spans = []
    for anchor in hits[0]:
        chosen = [anchor]
        for others in hits[1:]:
            near = [s for s in others if abs(s[0] - anchor[0]) <= WINDOW and not _overlaps(s, anchor)]
            if not near:
                break
            chosen.append(min(near, key=lambda s: abs(s[0] - anchor[0])))
        else:
            spans.append((min(s[0] for s in chosen), max(s[1] for s in chosen)))
    return spans


def _negated(message: _Text, span: tuple[int, int], lexicon: _Lexicon) -> bool:
    """ "no chest pain", "seene mein dard nahi hai": the words right before or after deny it."""
    start, end = span
    if message.find(lexicon.negation_before, max(0, start - 2), start, gap=0):
        return True
    return any(s[0] == end + 1 for s in message.find(lexicon.negation_after, end + 1, end + 4, gap=0))


def _framing(text: str, message: _Text, live: dict[str, list[tuple[int, int]]], lexicon: _Lexicon) -> str:
    """The framing that excuses every match, or "" when the message is an emergency now."""
    hypothetical = message.find(lexicon.framing["hypothetical"], gap=0)
    idioms = message.find(lexicon.framing["idiom"], gap=0)
    covered = [span for spans in live.values() for span in spans]
    if idioms and all(any(_overlaps(idiom, span) for idiom in idioms) for span in covered):
        return "idiom"  # "dying to know" is a joke; "haha no, he really is unconscious" is not
    laughing = message.find(lexicon.laughing, gap=0) or any(ch in LAUGHING_EMOJI for ch in text[:MAX_CHARS])
    if laughing and not _says_now(message, [], lexicon):
        return "idiom"  # "your fees gave me a heart attack haha"
    if "self_harm" in live and not hypothetical:
        return ""  # thoughts of suicide are never history: "tried last year, and now again"
    if hypothetical and not _says_now(message, hypothetical, lexicon):
        return "hypothetical"
    if _the_past_excuses(message, covered, lexicon):
        return "history"
    return ""


def _the_past_excuses(message: _Text, covered: list[tuple[int, int]], lexicon: _Lexicon) -> bool:
    """The past or a record frames every match: "heart attack 5 years ago", "my old report
    mentioned chest pain". A report frames only its own clause, and a red flag said in the
    present ("cant breathe", "ho raha hai", "behosh ho gaye") is happening now."""
    # "now he is fine": a "now" just before what says it is over does not make it current.
    history = [(max(0, a - 2), b) for a, b in message.find(lexicon.framing["history"], gap=0)]
    records = message.find(lexicon.record, gap=0)
    if not history and not records:
        return False
    if _says_now(message, history + records, lexicon) or _said_in_the_present(message, covered, lexicon):
        return False
    if history:
        return True
    framed = set().union(*(message.clauses_of(record) for record in records))
    return all(message.clauses_of(span) & framed for span in covered)


def _said_in_the_present(message: _Text, covered: list[tuple[int, int]], lexicon: _Lexicon) -> bool:
    """A present marker in a red flag's own clause, not put in the past by what follows it
    ("papa behosh ho gaye" is now, "behosh ho gaye the" was)."""
    flagged = set().union(*(message.clauses_of(span) for span in covered))
    for start, end in message.find(lexicon.present, gap=0):
        if not message.clauses_of((start, end)) & flagged:
            continue
        if any(s[0] == end + 1 for s in message.find(lexicon.past_after, end + 1, end + 2, gap=0)):
            continue
        return True
    return False


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def _says_now(message: _Text, framed: list[tuple[int, int]], lexicon: _Lexicon) -> bool:
    """A word of the present outside the framing phrases ("fine now" does not say now), and
    not one that asks for a visit ("now I need physiotherapy", "आता फिजिओथेरपी हवी आहे")."""
    for start, end in message.find(lexicon.now, gap=0):
        if any(_overlaps((start, end), f) for f in framed):
            continue
        if message.find(lexicon.request, end + 1, end + 5):
            continue
        return True
    return False
