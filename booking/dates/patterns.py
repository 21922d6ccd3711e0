"""The regular expressions a normalised message is read with, compiled once at import.

Each is written against the one spelling `normalise.py` produces (lower case, "tomorrow",
"evening", "oclock"), from the word tables in `words.py`.
"""

import re

from .words import HOUR_WORDS, MONTHS, NUMBER_WORDS, ORDINAL_WORDS, QUANTITY_WORDS, SHORT_UNITS, UNITS, WEEKDAYS


def _alt(words) -> str:
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


_MONTH = rf"(?:{_alt(MONTHS)})\.?(?![a-z])"
_WEEKDAY = rf"(?:{_alt(WEEKDAYS)})\.?(?![a-z])"
# A number starts where no digit stands before it: without that, a long digit run is tried from
# every position and costs quadratic time ("7" * 500 took 45 ms; now well under one).
_NUM = rf"(?:(?<![\d.])\d+(?:\.\d+)?|(?<![a-z])(?:{_alt(NUMBER_WORDS)}))"
_DUR_ITEM = rf"(?:{_NUM}\s*(?:{_alt(UNITS)})(?![a-z])|(?<![\d.])\d+(?:{_alt(SHORT_UNITS)})(?![a-z]))"
_DUR = rf"(?:{_DUR_ITEM}(?:\s*,?\s*(?:and\s+)?{_DUR_ITEM})*)"
_HOUR_WORD = _alt(HOUR_WORDS)

# Anything that could possibly be a date or a time. Text without any of this is answered with
# None before any other rule runs ("hi", "what are the fees", "ok thanks").
_CUE = re.compile(
    r"\d|\b(?:today|tonight|tomorrow|yesterday|now|noon|midday|midnight|morning|afternoon|evening|night|"
    r"oclock|week|weekend|weekday|fortnight|month|year|day|days|hour|hours|min|mins|minute|minutes|"
    r"second|seconds|quarter|qtr|half|" + _alt(MONTHS) + "|" + _alt(WEEKDAYS) + r")"
)
# A dose or a frequency makes a message about medicine ("2 tablets at 9 pm", "1-0-1", "twice a
# day", "din me 3 baar"); its times say when to take it, unless the message also asks for a visit.
_MEDICINE_RE = re.compile(
    r"(?:(?<![\d.])\d+(?:\.\d+)?|\b(?:one|two|three|half|ek|do|teen|don|aadhi|adhi))\s*"
    r"(?:tablets?|tabs?|capsules?|caps?|pills?|mg|mcg|ml|drops?|spoons?|teaspoons?|tsp|puffs?|goli|doses?|units?)"
    r"(?![a-z])|(?<![\d-])[0-2]-[0-2]-[0-2](?![\d-])"
    r"|\b(?:once|twice|thrice|(?<![\d.])\d+\s*(?:times?|x|baar|bar|vela|veles))\s+(?:a\s+|per\s+|in\s+a\s+|every\s+)?"
    r"(?:day|daily|week|night)\b|\bday\s+(?:me|mein|main|madhe|madhye)\s+(?:\d+|ek|do|teen|don)\s*(?:baar|bar|times|vela)\b"
)
# A reading ("BP 140/90 aaj subah", "fever 102 since yesterday night", "sugar 250") reports a
# measurement; its day says when it was taken.
_READING_RE = re.compile(
    r"\b(?:bp|b\.p|sugar|pulse|spo2|oxygen|temp|temperature|weight|hba1c|fever|bukhar|taap)\b"
    r"(?:\s*(?:is|was|level|fasting|pp|random|reading|of|:|=|-))*\s*\d"
)
_BOOKING_WORD_RE = re.compile(
    r"\b(?:appointments?|appt|book|booking|slot|visit|come|coming|checkup|check up|consult\w*|aana|aaun|aau|"
    r"aaye|aa sakt\w*|aa jau\w*|milna|milenge|mil sakt\w*|yeu|yeto|yete|bhet\w*|dikhana|dikhane|reschedule)\b"
)
_ABOUT_CUE = re.compile(r"\b(?:same|earlier|later|before|early|late|aadhi|adhi)\b")
# Cues strong enough to ask dateparser about text nothing here understood.
_FALLBACK_CUE = re.compile(
    r"\b(?:" + _alt(MONTHS) + r"|monday|tuesday|wednesday|thursday|"
    r"friday|saturday|sunday|fortnight|next|coming|upcoming|end of|beginning of)\b|\d(?:st|nd|rd|th)\b"
)


_DUR_ITEM_RE = re.compile(
    rf"(?P<n>(?<![\d.])\d+(?:\.\d+)?|(?<![a-z])(?:{_alt(NUMBER_WORDS)}))\s*(?P<u>{_alt(UNITS)})(?![a-z])"
    rf"|(?P<n2>(?<![\d.])\d+(?:\.\d+)?)(?P<u2>{_alt(SHORT_UNITS)})(?![a-z])"
)


_ISO_RE = re.compile(r"(?<![\d/.-])(?P<y>(?:19|20)\d\d)(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?!\d)(?!/\d)")
_NUMERIC_RE = re.compile(
    r"(?<![\d/.:,-])(?P<a>\d{1,2})(?P<sep>[-/.])(?P<b>\d{1,2})(?:(?P=sep)(?P<y>\d{4}|\d{2}|\d))?(?!\d)(?!/\d)(?!-\d(?!\d?:\d\d))(?!\.\d+\.)"
)
_MONTH_YEAR_RE = re.compile(r"(?<![\d/.-])(?P<m>\d{1,2})/(?P<y>(?:19|20)\d\d)(?![\d/])")
_DAY_MONTH_RE = re.compile(
    rf"(?<![\d:.])(?P<d>\d{{1,2}})(?:st|nd|rd|th)?"
    rf"(?:\s*(?:-|to|till|until|and)\s*(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?)?"
    rf"(?:\s+of\s+|\s*|[/-])(?P<mon>{_MONTH})"
    rf"(?:[\s,/-]*(?P<y>(?:19|20)\d\d|'\d\d))?"
)
_MONTH_DAY_RE = re.compile(
    rf"(?P<mon>{_MONTH})[\s,.]*(?:the\s+)?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?![\d:])(?!\s*(?:am|pm)\b)(?!\.\d)"
    rf"(?:\s*(?:-|to|till|until)\s*(?:(?P<mon2>{_MONTH})[\s,.]*)?(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?![\d:])(?!\s*(?:am|pm)\b))?"
    rf"(?:,?\s*(?P<y>(?:19|20)\d\d)(?![\d:]))?"
)
_ORDINAL_WORD = (
    r"(?:(?:twenty|thirty)[\s-]?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|"
    + "|".join(sorted((w for w in ORDINAL_WORDS if "-" not in w), key=len, reverse=True))
    + ")"
)
_ORDINAL_WORD_RE = re.compile(rf"\b{_ORDINAL_WORD}\b")
_ORDINAL_BEFORE_MONTH_RE = re.compile(rf"\b(?P<w>{_ORDINAL_WORD})\b(?=(?:\s+of)?\s+{_MONTH})")
_ORDINAL_AFTER_MONTH_RE = re.compile(rf"(?P<mon>{_MONTH})\s+(?:the\s+)?(?P<w>{_ORDINAL_WORD})\b")
_YEAR_MONTH_DAY_RE = re.compile(rf"(?<!\d)(?P<y>(?:19|20)\d\d)[\s/-]+(?P<mon>{_MONTH})[\s/-]+(?P<d>\d{{1,2}})(?!\d)")
_MONTH_END_RE = re.compile(
    r"\b(?:(?:this|the|(?P<next>next))\s+)?month\s*(?:end|ending)\b"
    r"|\bend\s+of\s+(?:(?:this|the|(?P<next2>next))\s+)?month\b"
)
_MONTH_ONLY_RE = re.compile(
    rf"(?:\b(?P<prep>in|from|during|by|till|until|next|this|coming)\s+(?:the\s+month\s+of\s+)?)?(?P<mon>{_MONTH})"
    rf"(?!\s+(?:be|not|i|we|you|he|she|they|it)\b)"
    rf"(?:\s*(?:to|till|until|-)\s*(?P<mon2>{_MONTH}))?(?:,?\s+(?P<y>(?:19|20)\d\d))?"
)
_ORDINAL_RE = re.compile(
    r"(?:\b(?P<which_pre>next|this|coming)\s+month\s*,?\s*(?:on\s+)?(?:the\s+)?)?"
    r"(?<![\d:.])(?P<d>\d{1,2})(?P<suffix>st|nd|rd|th)(?![a-z])"
    r"(?:\s+(?:of\s+)?(?:the\s+)?(?P<which>next|this|coming)\s+month)?"
)
_ORDINAL_BEFORE_RE = re.compile(r"\b(?:on|by|the|till|until|before|after|from|date|dated)\s*$")
_ORDINAL_NOUN_RE = re.compile(
    r"^\s*(?:floor|time|times|dose|opinion|visit|day|week|month|year|attempt|child|baby|test|report|standard|"
    r"std|class|grade|stage|trimester|pregnancy|sitting|session|injection|cycle)\b"
)
_ORDINAL_AFTER_RE = re.compile(
    r"^\s*(?:$|[,.?!]|at\b|by\b|\d|morning|afternoon|evening|night|ko\b|or\b|and\b|"
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b)"
)
_YEAR_TOKEN_RE = re.compile(r"(?<![\d/.:-])(?P<y>(?:19|20)\d\d)(?![\d/:-])")
_WEEKDAY_BEFORE_RE = re.compile(rf"(?P<wd>{_WEEKDAY})[\s,.]*$")

_WEEKDAY_RE = re.compile(
    r"(?:\b(?P<pre>this\s+coming|this|coming|upcoming|next\s+to\s+next|next|following|last|past|previous)\s+)?"
    r"(?:\b(?P<wkpre>next|this|last|coming)\s+week(?:'s)?\s*,?\s*(?:on\s+)?(?:the\s+)?)?"
    rf"\b(?P<wd>{_WEEKDAY})"
    r"(?:\s*,?\s*(?:of\s+)?(?:the\s+)?(?P<wkpost>next|this|last|coming)\s+week(?![a-z]))?"
    r"(?:\s+(?P<postnext>next)(?![a-z])(?!\s+week))?"
    r"(?P<afternext>\s+after\s+next)?"
)
_NTH_WEEKDAY_RE = re.compile(
    rf"\b(?P<n>1st|2nd|3rd|4th|5th|first|second|third|fourth|fifth|last)\s+(?P<wd>{_WEEKDAY})"
    rf"(?:\s+(?:of|in)\s+(?:(?P<mon>{_MONTH})|(?P<rel>(?:the\s+)?(?:this|next|coming)\s+month|the\s+month)))?"
)
_NTH = {"1st": 1, "first": 1, "2nd": 2, "second": 2, "3rd": 3, "third": 3, "4th": 4, "fourth": 4, "5th": 5,
        "fifth": 5, "last": -1}  # fmt: skip
_WEEKDAY_ABBR_BEFORE_RE = re.compile(r"(?:^|\b(?:on|by|till|until|from|every|and|or|to)|[,(])\s*$")
_WEEKDAY_ABBR_AFTER_RE = re.compile(r"^\s*(?:[,\d]|morning|afternoon|evening|night|at\b|or\b|and\b|$|[.?!])")
# "sun", "sat", "wed" and "mon" are also words ("too much sun", "I sat"): they need a firmer hint.
_WORDLIKE_ABBR_AFTER_RE = re.compile(r"^\s*(?:[,\d]|morning|afternoon|evening|night)")
_WORDLIKE_ABBR_BEFORE_RE = re.compile(r"(?:\b(?:on|by|till|until|from|every|and|or|to)|[,(])\s*$")
_WORDLIKE_ABBRS = {"sun", "sat", "wed", "mon"}
_WEEKEND_RE = re.compile(r"\b(?:(?P<pre>this|next|coming|last)\s+)?weekend\b")
_NEXT_WEEKDAY_RE = re.compile(r"\bnext\s+(?:weekday|working day|business day)\b")

_RELATIVE_PHRASE_RE = re.compile(r"\b(?:the\s+)?day\s+(?P<dir>after\s+tomorrow|before\s+yesterday)\b")
_RELATIVE_WORD_RE = re.compile(r"\b(?P<w>today|tonight|tomorrow|yesterday|right now)\b")
_AFTER_NUMBER_RE = re.compile(rf"(?:\d|\b(?:{_alt(NUMBER_WORDS)}))\s*$")

_DUR_PRE_RE = re.compile(
    r"(?:\b(?P<pre>in|within|after|give it|wait|for|next|since|during)|(?P<now>\bnow\s*\+)|(?P<sign>(?<![\w.])\+))"
    rf"\s*(?:(?:about|around|approx|approximately|roughly|nearly|almost|just|another|the\s+next)\s+)*(?P<dur>{_DUR})"
)
_DUR_POST_RE = re.compile(
    rf"(?P<dur>{_DUR})\s*(?P<post>later|from now|from today|hence|out|after|from|mein|me|ago|before now|before|earlier|back)(?![a-z])"
)
_DUR_BARE_RE = re.compile(_DUR)
_NEXT_UNIT_RE = re.compile(
    r"\b(?P<pre>next|following|coming|this|after this)\s+"
    r"(?P<unit>hour|day|week|fortnight|month|quarter|qtr|year)(?![a-z])"
)
_THE_UNIT_RE = re.compile(r"\bthe\s+(?P<unit>second|sec|minute|min|hour|day|week|month|year)\s+(?P<dir>after|before)\b")
_ANCHOR_GAP_RE = re.compile(r"\s*")

_T_COLON_RE = re.compile(
    r"(?<!\d)(?P<h>\d{1,2}):(?P<m>[0-5]\d)(?::[0-5]\d)?(?![\d:])"
    r"(?:\s*(?P<mer>am|pm)(?![a-z]))?(?:\s*(?:oclock|hrs|hours)(?![a-z]))?"
)
_YEAR_COLON_RE = re.compile(r"\d{4}:$")
_T_MERIDIEM_RE = re.compile(r"(?<![\d:.])(?P<h>\d{1,2})(?:\.(?P<m>[0-5]\d))?\s*(?P<mer>am|pm)(?![a-z])")
_T_NAMED_RE = re.compile(r"(?:(?<![\d:])12\s*)?\b(?P<w>noon|midday|midnight)\b")
_T_PAST_RE = re.compile(
    rf"\b(?P<q>half|quarter)\s+(?P<rel>past|to)\s+(?P<h>\d{{1,2}}|{_HOUR_WORD})(?![\d:a-z])"
    r"(?:\s*(?P<mer>am|pm)(?![a-z]))?(?:\s*oclock)?"
)
_T_OCLOCK_RE = re.compile(rf"(?<![\d:.])(?P<h>\d{{1,2}}|\b(?:{_HOUR_WORD}))\s*oclock")
_T_SPACED_RE = re.compile(
    r"(?<![\d:.,/+-])(?P<h>\d{1,2})\s(?P<m>[0-5]\d)(?![\d:./])(?:\s*(?P<mer>am|pm|oclock)(?![a-z]))?"
    rf"(?!\s*(?:{QUANTITY_WORDS})(?![a-z]))"
)
_T_COMPACT_RE = re.compile(
    r"(?<![\d:.,/+-])(?P<h>[01]?\d|2[0-3])(?P<m>[0-5]\d)(?![\d:./])"
    r"(?:\s*(?P<mer>am|pm)(?![a-z])|\s*(?P<word>oclock|hrs|hours)(?![a-z]))?"
    rf"(?!\s*(?:{QUANTITY_WORDS})(?![a-z]))"
)
# What may stand before a number that is a message of its own ("ok 1130", "maybe 2", "is 3 ok?")
# and what may follow it ("ok", "chalega", "or 12", "wala").
_ALONE_BEFORE_RE = re.compile(
    r"(?:\s|[,.!?]|\b(?:ok|okay|okk|k|hmm|then|so|sir|madam|maam|ji|haan|ha|yes|please|pls|plz|maybe|may be|"
    r"how about|what about|is|kya|and|or|else|otherwise|nahi to|warna|the|doctor|dr)\b)*"
)
_HEDGE_BEFORE_RE = re.compile(
    r"\b(?:ok|okay|okk|maybe|may be|how about|what about|is|kya|or|else|otherwise|nahi to|warna)\b"
)
_HEDGE_AFTER_RE = re.compile(
    r"\s*(?:ok|okay|okk|fine|chalega|chalegi|chalel|jamel|possible|works?|theek|thik|would (?:be|work)|"
    r"is (?:fine|ok|okay|good|possible|available|free|better|convenient)|available|free|or\s+\d|wala|wali|"
    r"vala|one\b|then|\?)(?![a-z])"
)
_DATE_WORD_BEFORE_RE = re.compile(r"\b(?:on|date|dated|dt|for|appointment|appt|booking|book)\s*$")
_QUANTITY_AFTER_RE = re.compile(rf"\s*(?:%|(?:{QUANTITY_WORDS})(?![a-z]))")
_T_DOT_RE = re.compile(r"(?<![\d.:,])(?P<h>\d{1,2})\.(?P<m>[0-5]\d)(?![\d.])")
_T_BARE_RE = re.compile(
    rf"(?<![\d:.,/+-])(?P<h>\d{{1,2}})(?![\d:/%])(?![.,]\d)(?!\s*-\s*\d+\.\d)(?!\s*(?:{QUANTITY_WORDS})(?![a-z]))"
)
_MARKER_BEFORE_RE = re.compile(
    r"(?:\b(?:at|around|arround|arnd|by|till|untill|until|before|after|between|from|abt|about|approx|"
    r"approximately|near|nearly|tonight|morning|afternoon|evening|night)|\bat\s+(?:about|around))\s*$"
)
# Words after a number that make it a clock time: Marathi "11 la", Hindi "5 tak", "5 ke aas paas"
# ("ke" is gone by now). Not "pe" / "par", which also follow room and page numbers.
_MARKER_AFTER_RE = re.compile(r"\s*(?:la|tak|paryant|aas paas|aaspaas|aas pass|around)(?![a-z])")
_PART_AFTER_RE = re.compile(r"^\s*(?:in the\s+|at\s+)?(?:morning|afternoon|evening|night|tonight)\b")
_RANGE_GAP_RE = re.compile(r"^\s*(?:-|to|till|until|and)\s*$")
_RANGE_HEAD_RE = re.compile(r"(?<![\d:.])(?P<h>\d{1,2})(?::(?P<m>[0-5]\d))?\s*(?:-|to|till|until)\s*$")

# Words read against the moment under discussion (`about`). Normalising has already turned
# "usi time", "wahi time", "उसी समय" into "same time" and "pehle" / "baad" into before / later.
_SAME_RE = re.compile(r"\b(?:the\s+)?same\s+(?P<what>time|timing|slot|day)\b")
_SHIFT_RE = re.compile(r"\b(?P<w>earlier|later|before|early|late|aadhi|adhi)\b")
# A bare "earlier" / "later" counts only in a message that says nothing else: "a bit earlier?",
# "thoda pehle chalega", "can it be later" — not "I'll call later" or "told you before".
_FILLER_RE = re.compile(
    r"\b(?:ok|okay|k|hmm|yes|sir|madam|maam|doctor|dr|please|pls|plz|can|could|it|be|is|possible|slot|"
    r"time|timing|appointment|a|an|any|some|something|bit|little|lil|slightly|much|more|thoda|thodi|thodasa|"
    r"zara|jara|kuch|der|se|me|mein|i|we|come|aa|aana|sakte|sakta|sakti|hai|hain|ho|chalega|chalegi|if|"
    r"than|that|this|one|the|make|move|shift|do|kar|karo|de|dijiye|maybe|would|prefer|better|want|need|"
    r"like|ji|haan|ha|instead|bhi|take|give|ka|ki|ke|ahead|back|yaar|bro|just|chalel|jamel|ka)\b|[^\w\s]"
)


_PART_RE = re.compile(
    r"(?<!good )(?<!gud )\b(?P<this>this\s+)?(?P<p>early morning|morning|afternoon|evening|night|tonight)\b"
)
# A part of day alone in talk about medicine or symptoms says when something happens, not when to
# come: "1 tablet morning and night", "fever at night", "pain since morning".
_ATTACHED_GAP_RE = re.compile(r"[\s,.]*(?:the\s+)?")
# A day the patient rules out: "not tomorrow", "can't come today", "I won't be able to come
# tomorrow", "kal nahi", "today is not possible", "aaj busy hu", "kal ki jagah parso". The words
# between stay inside one clause (no comma or full stop), so "not tomorrow, friday" keeps Friday.
_NEGATION = (
    r"not|nahi|nahin|nhi|nai|busy|impossible|mushkil|difficult|cant|can't|cannot|won't|wont|"
    r"no(?!\s+(?:problem|issue|worries|tension|doubt))|(?:ki\s+|ke\s+)?(?:jagah|jagha|jageh)|ke badle|badle|ki bajaye|"
    r"aivaji|aiwaji|instead|have office|have work|have duty|have exam|office hai|duty hai|kaam hai|"
    r"out of station|out of town|travelling|bahar hu|bahar hoon|gaon ja"
)
_NOT_BEFORE_RE = re.compile(
    r"\b(?:not|except|instead of|cant|can't|cannot|can not|couldnt|couldn't|wont|won't|unable|busy|"
    r"have office|have work|have duty|have exam|out of station|out of town)\b"
    r"[^,.;!?]{0,40}$"
)
_NOT_AFTER_RE = re.compile(
    r"\s*(?P<skip>(?:(?:early\s+)?(?:morning|afternoon|evening|night)\s+)?)"
    rf"(?:(?:[a-z']+)\s+){{0,3}}?(?:{_NEGATION})(?![a-z])"
)
_CLOCK_NOT_AFTER_RE = re.compile(rf"\s*(?:is\s+|slot\s+|time\s+)?(?:{_NEGATION})(?![a-z])")
# "kal raat se bukhar hai", "fever since yesterday": when symptoms began, not when to come
_SINCE_BEFORE_RE = re.compile(r"\b(?:since|pasun)\s+$")
_SINCE_AFTER_RE = re.compile(r"\s*(?:(?:morning|afternoon|evening|night)\s+)?(?:se|since|pasun)(?![a-z])")
_HEALTH_TALK_RE = re.compile(
    r"\b(?:tablets?|tabs?|capsules?|pills?|doses?|syrup|medicines?|dawai|dawa|drops?|injections?|fever|pain|"
    r"cough|cold|vomit\w*|loose motions?|bukhar|dard|khansi|since|every|daily|roz|goli|mg|ml|take|apply|cream|"
    r"ointment|bedtime|breakfast|lunch|dinner|khane|khana|jevan|jevna|nashta|khali pet|empty stomach|headache|"
    r"neend|sleep|zop|jhop|sugar|bp|taap|twice|thrice|once|khokla|sardi|ulti|chakkar|jalan|"
    r"\w*dukh\w*|\w*dard)\b"
)


def _tail(pattern: re.Pattern, s: str, end: int) -> re.Match | None:
    """`pattern` (anchored at its end with `$`) searched only in the 64 characters before `end`:
    every such pattern matches a few words, and searching from 0 made each call cost the whole text."""
    return pattern.search(s, max(0, end - 64), end)
