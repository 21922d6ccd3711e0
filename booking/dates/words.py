"""Word tables: month and weekday names, the spellings patients use (typos, Hinglish, Marathi in
Roman script, Hindi and Marathi in Devanagari), and number, hour, unit and quantity words.

Everything here is data; `normalise.py` rewrites a message with it and `patterns.py` builds the
regular expressions from it.
"""

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
_FULL_MONTHS = {name for name in MONTHS if len(name) > 4 or name in ("may", "june", "july")}

WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tues": 1, "tue": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thurs": 3, "thur": 3, "thu": 3, "friday": 4, "fri": 4,
    "saturday": 5, "sat": 5, "sunday": 6, "sun": 6,
}  # fmt: skip


# Typos and Hinglish, rewritten to the English the rules below understand. Multi-word keys win
# over single words ("dedh baje" before "baje"). Short Hindi weekday names (som, mangal, shani,
# ravi) are left alone on purpose: they are also everyday words and names.
_WORDS = {
    # tomorrow / today / next
    "tmrw": "tomorrow", "tmr": "tomorrow", "tmrow": "tomorrow", "tmro": "tomorrow", "tmw": "tomorrow",
    "tmrrw": "tomorrow", "tomm": "tomorrow", "tomoro": "tomorrow", "tomorow": "tomorrow",
    "tommorow": "tomorrow", "tommorrow": "tomorrow", "tomorrw": "tomorrow", "tomrw": "tomorrow",
    "tomrow": "tomorrow", "tommorw": "tomorrow", "tomarrow": "tomorrow", "tomorro": "tomorrow",
    "tommarow": "tomorrow", "2moro": "tomorrow", "2morow": "tomorrow", "2morrow": "tomorrow",
    "2mrw": "tomorrow", "2mro": "tomorrow",
    "tday": "today", "2day": "today", "tdy": "today", "todays": "today",
    "tonite": "tonight", "2nite": "tonight", "2night": "tonight",
    "nxt": "next", "nex": "next", "upcomming": "upcoming", "kl": "tomorrow", "thrs": "thursday",
    "prso": "day after tomorrow", "parsho": "day after tomorrow", "parsoon": "day after tomorrow",
    # meals as times of day ("after lunch" in medicine talk is caught as a dose or medicine words)
    "after lunch": "afternoon", "post lunch": "afternoon", "lunch ke baad": "afternoon",
    "lunch ke bad": "afternoon", "lunch nantar": "afternoon", "lunch time": "afternoon",
    "before lunch": "morning", "lunch se pehle": "morning", "lunch ke pehle": "morning",
    "after noon": "afternoon",
    # parts of day
    "mrng": "morning", "morng": "morning", "mornin": "morning", "morn": "morning", "mrning": "morning",
    "moring": "morning", "evng": "evening", "evning": "evening", "eveing": "evening", "evenin": "evening",
    "eve": "evening", "evn": "evening", "aftn": "afternoon", "aftrnoon": "afternoon",
    "afternon": "afternoon", "nite": "night", "nyt": "night",
    # weekdays and months
    "wensday": "wednesday", "wednsday": "wednesday", "wendsday": "wednesday", "wedensday": "wednesday",
    "wednesdy": "wednesday", "thrusday": "thursday", "thursdy": "thursday", "thurday": "thursday",
    "tuesdy": "tuesday", "tusday": "tuesday", "teusday": "tuesday", "saterday": "saturday",
    "satarday": "saturday", "saturdy": "saturday", "fryday": "friday", "fridy": "friday",
    "mondy": "monday", "sundy": "sunday",
    "febuary": "february", "feburary": "february", "febraury": "february", "janaury": "january",
    "januray": "january", "agust": "august", "augest": "august", "septmber": "september",
    "setember": "september", "octobar": "october", "novmber": "november", "decmber": "december",
    "aprl": "april", "apl": "april", "mrch": "march", "agst": "august", "augst": "august", "octbr": "october",
    "novmbr": "november", "dcmbr": "december", "decmbr": "december", "jnry": "january",
    # Hinglish: days
    "aaj": "today", "aj": "today", "kal": "tomorrow", "parso": "day after tomorrow",
    "parson": "day after tomorrow", "parsoo": "day after tomorrow", "parsu": "day after tomorrow",
    "abhi": "right now",
    # Hinglish: parts of day
    "subah": "morning", "subha": "morning", "subeh": "morning", "savere": "morning", "sawere": "morning",
    "dopahar": "afternoon", "dopehar": "afternoon", "dophar": "afternoon", "dupahar": "afternoon",
    "dopaher": "afternoon", "dupehar": "afternoon", "dopahr": "afternoon",
    "shaam": "evening", "sham": "evening", "shaame": "evening", "raat": "night", "raath": "night",
    # Hinglish: clock
    "baje": "oclock", "bje": "oclock", "bajey": "oclock", "bajay": "oclock", "bajhe": "oclock", "baj": "oclock",
    "bajke": "oclock", "bajee": "oclock", "bjy": "oclock",
    "dedh baje": "1:30 oclock", "dedh bje": "1:30 oclock", "dhai baje": "2:30 oclock",
    "dhaai baje": "2:30 oclock", "dhai bje": "2:30 oclock", "adhai baje": "2:30 oclock",
    "saadhe": "half past", "sadhe": "half past", "saade": "half past", "sade": "half past",
    "sawa": "quarter past", "sava": "quarter past", "savva": "quarter past",
    "paune": "quarter to", "pone": "quarter to", "paone": "quarter to",
    # Hinglish: weekdays
    "somvar": "monday", "somvaar": "monday", "somwar": "monday", "somwaar": "monday",
    "mangalvar": "tuesday", "mangalwar": "tuesday", "mangalvaar": "tuesday", "mangalwaar": "tuesday",
    "budhvar": "wednesday", "budhwar": "wednesday", "budhvaar": "wednesday", "budhwaar": "wednesday",
    "guruvar": "thursday", "guruwar": "thursday", "guruvaar": "thursday", "guruwaar": "thursday",
    "brihaspativar": "thursday", "veervar": "thursday", "virvar": "thursday",
    "shukravar": "friday", "shukrawar": "friday", "shukravaar": "friday", "shukrwar": "friday",
    "shanivar": "saturday", "shaniwar": "saturday", "shanivaar": "saturday", "shaniwaar": "saturday",
    "ravivar": "sunday", "raviwar": "sunday", "ravivaar": "sunday", "itvaar": "sunday",
    "itwar": "sunday", "itwaar": "sunday", "etwar": "sunday", "itvar": "sunday",
    # Hinglish: relative words and units
    "agle": "next", "agla": "next", "agli": "next", "aane wale": "coming", "aane wala": "coming",
    "pichle": "last", "pichla": "last", "pichhle": "last",
    "is hafte": "this week", "is mahine": "this month",
    # the moment under discussion ("usi time", "wahi din"): read against `about`
    **{f"{that} {what}": f"same {meaning}" for that in ("usi", "ussi", "wahi", "vahi", "wohi", "isi", "tech", "tyach")
       for what, meaning in (("time", "time"), ("samay", "time"), ("timing", "time"), ("slot", "slot"),
                             ("din", "day"), ("divshi", "day"), ("veli", "time"), ("vel", "time"))},
    "same din": "same day", "same samay": "same time",
    "hafte": "week", "hafta": "week", "hafton": "weeks", "mahine": "month", "mahina": "month",
    "saal": "year", "din": "day", "ghante": "hour", "ghanta": "hour", "ghanton": "hours",
    "ke baad": "later", "baad": "later", "ke bad": "later", "pehle": "before", "pahle": "before",
    # Marathi in Roman script: days, parts of day, clock, weekdays ("somvari" is "on Monday")
    "udya": "tomorrow", "udyaa": "tomorrow", "udyala": "tomorrow", "udyla": "tomorrow", "uddya": "tomorrow",
    "parva": "day after tomorrow", "parwa": "day after tomorrow", "parvaa": "day after tomorrow",
    "sakali": "morning", "sakaali": "morning", "sakli": "morning", "sakaly": "morning",
    "dupari": "afternoon", "dupaari": "afternoon", "dupari la": "afternoon",
    "sandhyakali": "evening", "sandhyakaali": "evening", "sandhyakal": "evening", "sandhyakaal": "evening",
    "sandhyaakali": "evening", "sandhakali": "evening", "sandyakali": "evening", "sandhyakali la": "evening",
    "ratri": "night", "raatri": "night", "ratry": "night",
    "vajta": "oclock", "vajata": "oclock", "wajta": "oclock", "wajata": "oclock", "vajta la": "oclock",
    "vaje": "oclock", "vajle": "oclock", "wajle": "oclock", "vajat": "oclock",
    "didh vajta": "1:30 oclock", "didh vajata": "1:30 oclock", "adich vajta": "2:30 oclock",
    "adich vajata": "2:30 oclock", "pavne": "quarter to", "paavne": "quarter to", "pavane": "quarter to",
    "somvari": "monday", "somwari": "monday", "mangalvari": "tuesday", "mangalwari": "tuesday",
    "budhvari": "wednesday", "budhwari": "wednesday", "guruvari": "thursday", "guruwari": "thursday",
    "shukravari": "friday", "shukrawari": "friday", "shanivari": "saturday", "shaniwari": "saturday",
    "ravivari": "sunday", "raviwari": "sunday",
    "pudhchya": "next", "pudhcha": "next", "pudhchi": "next", "pudhil": "next", "pudhchya aathvadyat": "next week",
    "aathvadyat": "week", "athavdyat": "week", "aathavdyat": "week", "athvadyat": "week", "aathvada": "week",
    "athvada": "week", "aathavda": "week", "divsani": "days later", "divsanni": "days later",
    "divasani": "days later", "divsaanni": "days later", "divas": "day", "divsa": "day", "nantar": "later",
    "taas": "hour", "tasa": "hour", "nako": "nahi",
    # "aaj kal" is "these days", not today or tomorrow ("aajkal neend nahi aati")
    "aaj kal": "", "aajkal": "", "ajkal": "", "aaj kaal": "",
    "aftr": "after", "afetr": "after",
    # Hindi particles ("somvar ko", "subah ke 10 baje") carry nothing the rules need
    "ko": "", "ke": "",
}  # fmt: skip

# Hindi and Marathi in Devanagari, rewritten word by word into the Roman spellings above (so
# "कल शाम 5 बजे" is read as "kal shaam 5 baje"). Marathi glues endings onto words ("सोमवारी",
# "उद्याला", "दिवसांनी"): a word not in the table is tried again without one of _DEVANAGARI_ENDINGS.
_DEVANAGARI = {
    # days
    "कल": "kal", "आज": "aaj", "परसों": "parso", "परसो": "parso", "अभी": "abhi", "उद्या": "udya", "परवा": "parva",
    # parts of day
    "सुबह": "subah", "सवेरे": "savere", "दोपहर": "dopahar", "दुपहर": "dopahar", "शाम": "shaam", "रात": "raat",
    "सकाळी": "sakali", "सकाळ": "sakali", "दुपारी": "dupari", "दुपार": "dupari", "संध्याकाळी": "sandhyakali",
    "संध्याकाळ": "sandhyakali", "सायंकाळी": "sandhyakali", "रात्री": "ratri", "रात्र": "ratri",
    # clock
    "बजे": "baje", "बज": "baje", "बजें": "baje", "वाजता": "vajta", "वाजे": "vajta", "वाजले": "vajta",
    "साढ़े": "saadhe", "साढे": "saadhe", "सवा": "sawa", "पौने": "paune", "पोने": "paune", "डेढ़": "dedh",
    "डेढ": "dedh", "ढाई": "dhai", "साडे": "saadhe", "सव्वा": "sawa", "पावणे": "paune", "दीड": "didh",
    "अडीच": "adich",
    # numbers (Hindi, then Marathi)
    "एक": "ek", "दो": "do", "तीन": "teen", "चार": "char", "पांच": "paanch", "पाँच": "paanch", "छह": "chhe",
    "छः": "chhe", "सात": "saat", "आठ": "aath", "नौ": "nau", "दस": "das", "ग्यारह": "gyarah", "बारह": "barah",
    "दोन": "do", "पाच": "paanch", "सहा": "chhe", "नऊ": "nau", "दहा": "das", "अकरा": "gyarah", "बारा": "barah",
    # weekdays (Hindi, then Marathi spellings that differ)
    "सोमवार": "somvar", "मंगलवार": "mangalvar", "बुधवार": "budhvar", "गुरुवार": "guruvar",
    "बृहस्पतिवार": "guruvar", "शुक्रवार": "shukravar", "शनिवार": "shanivar", "रविवार": "ravivar",
    "इतवार": "itvaar", "मंगळवार": "mangalvar",
    # months (Hindi, then Marathi)
    "जनवरी": "january", "फरवरी": "february", "मार्च": "march", "अप्रैल": "april", "मई": "may", "जून": "june",
    "जुलाई": "july", "अगस्त": "august", "सितंबर": "september", "सितम्बर": "september",
    "अक्टूबर": "october", "अक्तूबर": "october", "नवंबर": "november", "नवम्बर": "november",
    "दिसंबर": "december", "दिसम्बर": "december", "जानेवारी": "january", "फेब्रुवारी": "february",
    "एप्रिल": "april", "जुलै": "july", "ऑगस्ट": "august", "सप्टेंबर": "september",
    "ऑक्टोबर": "october", "नोव्हेंबर": "november", "डिसेंबर": "december",
    # relative words and units
    "अगले": "agle", "अगला": "agla", "अगली": "agli", "पुढच्या": "pudhchya", "पुढील": "pudhil", "पुढचा": "pudhcha",
    "हफ्ते": "hafte", "हफ़्ते": "hafte", "हफ्ता": "hafta", "सप्ताह": "hafta", "आठवड्यात": "aathvadyat",
    "आठवडा": "aathvada", "आठवड्याने": "aathvada baad", "महीने": "mahine", "महीना": "mahina", "महिन्याने": "month later",
    "दिन": "din", "दिवस": "divas", "दिवसांनी": "divsani", "दिवसानी": "divsani", "घंटे": "ghante", "घंटा": "ghanta",
    "तास": "taas", "तासाने": "hour later", "मिनट": "minute", "मिनिटे": "minute", "बाद": "baad", "नंतर": "nantar",
    "पहले": "pehle", "आधी": "aadhi", "को": "ko", "के": "ke", "तारीख": "tarikh", "तारीख़": "tarikh",
    "तारखेला": "tarikh", "दिवसां": "days", "तारीखला": "tarikh", "नहीं": "nahi", "नही": "nahi", "नको": "nahi",
    "उसी": "usi", "वही": "wahi", "त्याच": "tyach", "समय": "samay", "टाइम": "time", "वेळी": "veli", "वेळ": "veli",
    "थोड़ा": "thoda", "थोडा": "thoda", "थोडं": "thoda", "आधा": "aadha", "से": "se", "पासून": "since",
    # words that make a message medical talk, and greetings
    "गोली": "goli", "गोळी": "goli", "गोळ्या": "goli", "दवा": "dawa", "दवाई": "dawai", "बुखार": "bukhar",
    "ताप": "fever", "दर्द": "dard", "खांसी": "khansi", "खोकला": "cough", "रोज": "roz", "रोज़": "roz",
    "झोप": "neend", "नींद": "neend", "शुभ": "good", "खाने": "khane", "जेवणानंतर": "after food",
}  # fmt: skip
_DEVANAGARI_ENDINGS = ("ला", "ी", "च", "ची", "चा", "ना", "पासून", "पर्यंत", "नंतर", "ने")


ORDINAL_WORDS = {
    word: number
    for number, word in enumerate(
        "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth "
        "fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split(),
        start=1,
    )
}
ORDINAL_WORDS.update({f"twenty-{word}": 20 + ORDINAL_WORDS[word] for word in list(ORDINAL_WORDS)[:9]})
ORDINAL_WORDS.update({"thirtieth": 30, "thirty-first": 31})


# Numbers as words, for durations ("a couple of days", "do din", "half an hour").
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "few": 3, "a few": 3, "several": 7, "couple": 2, "a couple": 2, "couple of": 2,
    "a couple of": 2, "half": 0.5, "half an": 0.5, "half a": 0.5,
    "ek": 1, "do": 2, "teen": 3, "char": 4, "chaar": 4, "paanch": 5, "panch": 5, "chhe": 6,
    "saat": 7, "aath": 8, "nau": 9, "das": 10, "dedh": 1.5, "dhai": 2.5, "dhaai": 2.5,
    "aadha": 0.5, "adha": 0.5, "aadhe": 0.5, "didh": 1.5, "adich": 2.5, "don": 2, "paach": 5, "pach": 5, "saha": 6, "daha": 10,
}  # fmt: skip
# Hours as words, for "five oclock", "do baje", "half past four".
HOUR_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "ek": 1, "do": 2, "teen": 3, "char": 4,
    "chaar": 4, "paanch": 5, "panch": 5, "chhe": 6, "saat": 7, "aath": 8, "nau": 9, "das": 10,
    "gyarah": 11, "barah": 12, "don": 2, "paach": 5, "pach": 5, "saha": 6, "daha": 10, "akra": 11, "bara": 12,
}  # fmt: skip

# Units of a duration: (months, seconds, below a day?). Single letters and "mo" only count when
# glued to a number ("3w", "1d", "+1m"), so "5 m" or "a few h" stay plain text.
_UNIT_TABLE = {
    ("seconds", "second", "secs", "sec"): (0, 1, True),
    ("minutes", "minute", "mins", "min", "mint"): (0, 60, True),
    ("hours", "hour", "hrs", "hr"): (0, 3600, True),
    ("days", "day"): (0, 86400, False),
    ("weeks", "week", "wks", "wk"): (0, 7 * 86400, False),
    ("fortnights", "fortnight"): (0, 14 * 86400, False),
    ("months", "month", "mons", "mon", "mths", "mth"): (1, 0, False),
    ("quarters", "quarter", "qtrs", "qtr"): (3, 0, False),
    ("years", "year", "yrs", "yr"): (12, 0, False),
}
_SHORT_UNIT_TABLE = {"s": (0, 1, True), "m": (0, 60, True), "h": (0, 3600, True), "d": (0, 86400, False),
                     "w": (0, 7 * 86400, False), "mo": (1, 0, False), "y": (12, 0, False)}  # fmt: skip
UNITS = {word: value for words, value in _UNIT_TABLE.items() for word in words}
UNITS.update({f"{word}s": value for word, value in _SHORT_UNIT_TABLE.items() if word == "mo"})
SHORT_UNITS = dict(_SHORT_UNIT_TABLE)

# Words after a number that make it a quantity, never an hour or a date ("2 tablets", "500 rs").
QUANTITY_WORDS = (
    "tablets?|tabs?|capsules?|caps?|pills?|doses?|drops?|spoons?|teaspoons?|tsp|times?|x|mg|mcg|ml|kgs?|"
    "kilos?|kilograms?|grams?|gms?|g|lbs?|rs|rupees?|inr|points?|percent|people|persons?|patients?|members?|"
    "kids?|children|floor|yrs?|years?|months?|weeks?|days?|hours?|hrs?|minutes?|mins?|log|bottles?|strips?|"
    "injections?|puffs?|units?|cm|mm|inch(?:es)?|feet|ft|degrees?|beds?|rooms?|nos?|numbers?|goli|goliyan|golya|"
    "baar|bar|vela|veles|pages?|steps?|kms?|km|litres?|liters?|l|glass(?:es)?|cups?|sachets?"
)
