"""Which language the patient wrote in: the reply goes out in the patient's own."""

import re

from .lexicon import normalize
from .words import terms

EN, HINGLISH, HI, MR, MR_ROMAN = "en", "hinglish", "hi", "mr", "mr_roman"
LANGUAGES = (EN, HINGLISH, HI, MR, MR_ROMAN)

_DEVANAGARI = re.compile(r"[\u0900-\u097f]")
# Words that only one of the languages uses, and the endings Marathi glues to its words
# ("मुलाने", "पोटात", "दुखतंय", "khallya", "panyat", "dukhtay") where Hindi writes a separate
# word ("बच्चे ने", "पेट में").
MARATHI_WORDS = frozenset(
    "आहे आहेत आहो नाही नाहीत नाहीये झाला झाली झाले झालं होत येत देत घेत करत माझ्या माझा माझी माझे त्याला तिला त्यांना "
    "आई खूप आत्ता आता पडला पडली चावला गेला गेली लागत लागले वाटत वाटतं काय कुठे मला आम्ही तुम्ही लवकर आणि पण घेता येईना "
    "नका करा बाळ मुलगा मुलगी दुखतंय होतंय होते होता होती आलं आला आली घ्या बघा सांगा किती कधी कोणती कोणता उद्या फक्त "
    "थोडं थोडा थोडी दवाखाना हवा हवी हवे".split()
)
HINDI_WORDS = frozenset(
    "है हैं नहीं नही रहा रही रहे गया गई गए में मे को की के हो मेरा मेरी मेरे बहुत अभी से और कर क्या कुछ पापा मम्मी जी था थी "
    "हुआ हुई करें दो बच्चा बच्चे बच्ची भी तो यह वह उसे उसको इसे मुझे हम आप ने लिया लिए दिया हूँ हूं चाहिए कितने कब".split()
)
MARATHI_ENDINGS = terms(
    "ला, ले, ली, लं, ल्या, ने, नी, ांना, ात, ीत, तोय, तेय, तंय, ताय, ायचं, ायचे, ावं, वर, वरून, मुळे, "
    "ची, चा, चे, च्या, तो, ते, तात, ून, साठी, ाने"
)
HINGLISH_WORDS = frozenset(
    "hai hain he h nahi nahin nhi raha rahi rahe rha rhi gaya gayi gaye gya gyi mein me mai main ko ki ke ho mera "
    "meri mere bahut bohot bhot abhi se aur kar kya kuch papa mummy ji tha thi hua hui karo kijiye jaldi bhi toh yeh "
    "woh usko usne maine mujhe hum aap ne wala wali liya liye diya hoon hu hun chahta chahti chahiye karna karni "
    "kab kitne kitna kitni bata batao".split()
)
MARATHI_ROMAN_WORDS = frozenset(
    "ahe aahe ahet aahet nahi naahi nahit zala jhala zali jhali zale jhale hot yet det ghet karat majha maza mazi "
    "majhi maze majhe mazya majhya tyala tila tyanna aai khup khoop atta aata ata aattach attach padla padli chavla "
    "gela geli lagla lagli lagat vatat watat vatte kay kuthe mala amhi tumhi lavkar ani pan hotay hote hota hoti "
    "ala aala ali aali gheta yeina naka kara sanga kiti kadhi konti konta udya yeu fakt thoda thodi hava havi have "
    "cha chi che chya kahitari kahi sathi mule tine tyane hotat kartat karta thambat thambla thambli sujla sujli "
    "sujle dasla dukhla dukhli bhajla bhajle bhajli budala budali padle chavle chavli yetay yetoy yetey".split()
)
MARATHI_ROMAN_ENDINGS = terms(
    "tay, toy, tey, tat, yla, yle, lya, lyat, ane, aycha, ayche, aychi, yat, tun, nna, varun, var, ala, chya, ine"
)
ENGLISH_WORDS = frozenset(
    "the is my not and he she of to in a an please can cant has have was are having it its his her him me i im we "
    "our they been with from for at on by this that very so what when where how do does did will would".split()
)


def detect_language(text: str) -> str:
    """EN, HINGLISH, HI, MR or MR_ROMAN, from the script, words only one language uses, and the
    endings Marathi glues to its words."""
    words = normalize(text)
    if _DEVANAGARI.search(text or ""):
        hindi = sum(w in HINDI_WORDS for w in words)
        marathi = sum(w in MARATHI_WORDS for w in words) + sum(
            len(w) >= 4 and w not in HINDI_WORDS and w.endswith(MARATHI_ENDINGS) for w in words
        )
        return MR if marathi > hindi else HI
    known = HINGLISH_WORDS | ENGLISH_WORDS | MARATHI_ROMAN_WORDS
    scores = {
        EN: sum(w in ENGLISH_WORDS for w in words),
        HINGLISH: sum(w in HINGLISH_WORDS for w in words),
        MR_ROMAN: sum(w in MARATHI_ROMAN_WORDS for w in words)
        + 0.5 * sum(len(w) >= 5 and w not in known and w.endswith(MARATHI_ROMAN_ENDINGS) for w in words),
    }
    best = max(scores.values())
    if best == 0:
        return EN
    # Ties go to English, then Hinglish (the commoner of the two Roman Indian forms).
    return next(language for language in (EN, HINGLISH, MR_ROMAN) if scores[language] == best)
