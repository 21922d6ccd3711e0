"""The framing tables: the words that say a red-flag word is not an emergency now."""

from .words import terms

# --- framing: when a red-flag word is not an emergency now -----------------------------------

# Just before a match: it is denied ("no chest pain", "not bleeding", "bina dard").
NEGATION_BEFORE = terms("no, not, without, never, denies, nor, bina, बिना, koi nahi, kuch nahi, na koi")
# Just after a match: "seene mein dard nahi hai", "छातीत दुखत नाही", "khoon nahi aaya".
NEGATION_AFTER = terms(
    "nahi hai, nahin hai, nhi hai, nahi he, nahi ha, nahi hota, nahi hua, nahi aaya, nahi aayi, "
    "nahi tha, nahi thi, nahi, नहीं है, नही है, नहीं हुआ, नहीं था, नहीं थी, नहीं, नाही आहे, नाही, naahi, "
    "nahi ahe, nahi aahe, nahiye, नाहीये, nahi zala, nahi jhala, नाही झाला, nahi ala, नाही आला, "
    "isnt there, gone, went away, is gone, ab nahi, अब नहीं, ata nahi, आता नाही"
)
# The message is about the past, or a preventive shot: it frames every red flag in it ("chest
# pain, 2 years ago"; "small cut, need tetanus injection").
HISTORY = terms(
    "last year, last month, last week, years ago, year ago, months ago, month ago, weeks ago, week ago, days ago, "
    "yrs ago, yr ago, in 199*, in 200*, in 201*, in 202*, since 201*, since 202*, history of, h o, past history, "
    "old case, old injury, discharge*, discharged, recovered, recovery, rehab*, physio*, previous, previously, "
    "earlier, once had, used to, survivor, pichle saal, pichhle saal, pichle mahine, pichhle mahine, "
    "pichle hafte, pichhle hafte, पिछले हफ्ते, ho gaye the, हो गए थे, saal pehle, sal pehle, saal pahle, "
    "mahine pehle, mahine pahle, purana, purani, pehle bhi, पिछले साल, पिछले महीने, साल पहले, महीने पहले, पुराना, "
    "पुरानी, गेल्या वर्षी, गेल्या महिन्यात, वर्षांपूर्वी, वर्षापूर्वी, महिन्यांपूर्वी, महिन्यापूर्वी, जुना, जुनी, "
    "gelya varshi, gelya mahinyat, varshapurvi, varshanpurvi, mahinyapurvi, juna, juni, kal raat, ho gaya tha, "
    "ho gayi thi, hua tha, hui thi, aaya tha, aayi thi, padla hota, jhala hota, zala hota, ala hota, aala hota, "
    "हुआ था, हुई थी, आया था, आई थी, झाला होता, झाली होती, आला होता, stopped yesterday, stopped last, "
    "stopped after, stopped now, was fine, fine now, ok now, okay now, better now, normal now, is fine, is ok, "
    "is okay, is better, is normal, are fine, theek hai, thik hai, theek hain, ठीक है, ठीक हैं, bara ahe, "
    "bara aahe, bari ahe, bari aahe, बरा आहे, बरी आहे, बरे आहेत, बरं आहे, now fine, now ok, now okay, now better, "
    "now normal, ab theek, ab thik, ab thick, ab normal, ab accha, ab achha, ab sahi, अब ठीक, आता बरं, आता बरा, "
    "आता बरी, ata bara, aata bara, ata bari, aata bari, ata thik, aata thik, bara zala, bara jhala, बरा झाला, "
    "बरी झाली, theek ho gaya, thik ho gaya, theek ho gayi, thik ho gayi, ठीक हो गया, ठीक हो गई, ठीक है अब, "
    "vaccine*, vaccination, injection course, dose schedule, rabies dose, anti rabies, antirabies, arv, tetanus, "
    "tt injection"
)
# A record the clinic holds, or a routine visit or request. It frames only the clause it stands
# in: "my old report mentioned chest pain" and "follow up for the chest pain" are not emergencies,
# "send my report, my father cant breathe" and "book a checkup, my father has chest pain" are.
RECORD = terms(
    "report*, ecg report, prescription*, repeat prescription, रिपोर्ट*, प्रिस्क्रिप्शन*, नवीन प्रिस्क्रिप्शन, "
    "medicine dose, dose change*, change the dose, change of dose, dosage, dose badal*, dawai badal*, "
    "medicine change, medicines change, follow up, followup, follow-up, folow up, follw up, review, check up, "
    "checkup, check-up, routine, refill, renew*, certificate, insurance, claim, mediclaim, bill, फॉलो अप, फॉलोअप, "
    "चेकअप, चेक अप, stitches removal, dressing, tanka, take khol, टांके, medicine finished, medicines finished, "
    "ran out, run out, dawai khatam, dawa khatam, davai khatam, goli khatam, goliyan khatam, दवाई खत्म, दवा खत्म, "
    "दवाई ख़त्म, गोली खत्म, गोळ्या संपल*, golya sampal*, aushadh sampal*, औषध संपल*, गोळ्या संपल्या"
)
# Said of a red flag in its own clause, these tell it is happening now, whatever the past or a
# record elsewhere in the message says ("report bhejo, seene mein dard ho raha hai").
PRESENT = terms(
    "cant breath*, can not breath*, cannot breath*, unable to breath*, is having, hes having, shes having, "
    "am having, im having, are having, is not breathing, isnt breathing, not breathing, "
    "ho raha hai, ho rahi hai, ho rahe hai, ho rahe hain, ho raha he, ho rahi he, ho rha hai, ho rhi hai, "
    "nahi le pa rahe, nahi le pa rahi, nahi le pa raha, le nahi pa rahe, le nahi pa rahi, le nahi pa raha, "
    "behosh ho gaye, behosh ho gayi, behosh ho gaya, behosh ho gai, gir gaye, gir gayi, gir gaya, gir gai, "
    "gir pade, gir padi, gir pada, हो रहा है, हो रही है, हो रहे हैं, नहीं ले पा रहे, नहीं ले पा रही, "
    "नहीं ले पा रहा, बेहोश हो गए, बेहोश हो गई, बेहोश हो गया, गिर गए, गिर गई, गिर गया, गिर पड़े, "
    "hot aahe, hot ahe, hotay, hotey, होत आहे, होतय, होतंय, beshuddh padle, beshuddh padla, beshuddh padli, "
    "beshudh padle, beshudh padla, beshudh padli, बेशुद्ध पडले, बेशुद्ध पडला, बेशुद्ध पडली, "
    "बेशुद्ध झाले, बेशुद्ध झाला, बेशुद्ध झाली"
)
# Right after a present marker, these put it in the past: "behosh ho gaye the", "gir gaya tha".
PAST_AFTER = terms("tha, thi, the, थे, था, थी, hota, hoti, hote, होता, होती, होते")
# Words that begin a new clause, as a comma does ("send my report and he cant breathe").
CLAUSE_WORDS = frozenset(("and", "but", "aur", "lekin", "magar", "और", "लेकिन", "आणि", "ani", "aani", "pan", "पण"))
# A question about a service, a hypothetical, information, teaching, fiction.
HYPOTHETICAL = terms(
    "who treats, who treat, treats, specialist, specialists, "
    "do you treat, do you do, do you have, do you handle, does doctor treat, does the doctor treat, "
    "does dr treat, can doctor treat, do you provide, is there treatment, treatment available, "
    "what to do if, what should i do if, what do we do if, what if, if someone, if anyone, if a person, "
    "if my, in case of, in case, how to, how do i know, signs of, symptoms of, what are the, first aid, "
    "cpr class, cpr training, training, course, workshop, camp, awareness, seminar, lecture, article, "
    "video, movie, film, serial, show, book about, novel, story, song, news, project, assignment, exam, "
    "essay, quiz, study, research, statistics, prevention, insurance cover, covered, package, screening, "
    "test for, risk of, chance of, chances of, kya aap, kya doctor, kya yahan, kya clinic, ilaj karte, "
    "ilaaj karte, ilaj hota, ilaaj hota, ilaj hai, ilaaj hai, treatment hota, treatment karte, "
    "agar kisi, agar kisiko, agar kisi ko, kya karein agar, kya kare agar, kya karna chahiye agar, "
    "kaise pata, lakshan kya, लक्षण क्या, क्या आप, क्या डॉक्टर, इलाज करते, इलाज होता, अगर किसी, "
    "उपचार करता का, उपचार करतात का, उपचार होतात का, उपचार होतो का, उपचार मिळतो का, upchar karta ka, "
    "upchar kartat ka, upchar hotat ka, upchar hoto ka, upchar milto ka, jar konala, जर कोणाला, "
    "jar kunala, जर कुणाला, kay karave, काय करावे, काय करायचं, kay karaych, lakshane, लक्षणे, "
    "प्रथमोपचार, prathamopchar, prathamopachar, ilaj kar sakte, treat kar sakte, dekhte ho, dekhte hain, "
    "बघता का, baghta ka, पाहता का, aa jayega, aa jaega, aa jaayega, ho jayega, आ जाएगा, आ जायेगा, "
    "हो जाएगा, yeil, येईल, would give, will give me, gonna give"
)
# Idioms and jokes: "dying to know", "this queue is killing me", "heart attack wala bill".
IDIOMS = terms(
    "dying to, dying for, dying of laughter, dying of boredom, dying laughing, died laughing, "
    "dead tired, dead bored, killing me, kill me lol, bore ho, hans hans ke, has has ke, haste haste, "
    "हंस हंस, hasun hasun, हसून हसून, dil toot, dil tut, heartbroken, heart broken, broke my heart, "
    "heart attack aa jayega, heart attack de, heart attack aayega, attack aa jayega, heart attack yeil, "
    "dil ka daura pad jayega, master stroke, masterstroke, stroke of luck, stroke of genius, "
    "brush stroke, swimming stroke, drowning in work, drowning in debt, drowning in paperwork, "
    "drowning in emails, drowning in loans, drowning in bills, doob gaye paise, paise doob, paisa doob, "
    "paise bud, share market, stock market, market crash, bleeding money, bleeding cash, fits perfectly, "
    "fits well, it fits, fit hu, fit hoon, fit and fine, fitness, fit certificate, fitness certificate, "
    "pet dard ho gaya hasi, poisonous people, toxic, burning topic, burnout, burnt out, burned out, "
    "heartburn, sunburn, chest congestion, food poisoning, food poison, choking hazard, choke hazard, "
    "short of time, short of money, breathing space, breathe easy, breath of fresh air, take a breath, "
    "deep breath, bad breath, breath smell, muh se badbu, mouth smell, pressure cooker, cooker ki seeti, "
    "peer pressure, work pressure, exam pressure, blood test, blood report, blood sugar, blood pressure, "
    "blood group, donate blood, blood donation, blood donate, raktadan, रक्तदान, khoon ki jaanch, "
    "खून की जांच, rakt tapasani, रक्त तपासणी, heart checkup, heart rate, cooker, seat belt"
)
# Says the thing is happening now: the past or a question does not excuse it.
NOW = terms(
    "now, right now, just now, currently, at the moment, this moment, today, tonight, since morning, "
    "since last night, since an hour, since 1 hour, since 2 hours, minutes ago, mins ago, hour ago, "
    "an hour, suddenly, again, abhi, abi, abhi abhi, aaj, aj, achanak, phir se, fir se, subah se, "
    "raat se, ghante se, abhie, ata, aata, atta, aatta, attach, aattach, aaj, sakalpasun, sakal pasun, "
    "ratri pasun, ratripasun, punha, parat, अभी, आज, अचानक, फिर से, सुबह से, रात से, आत्ता, आता, आज, "
    "सकाळपासून, रात्रीपासून, पुन्हा, परत, help, urgent, urgently, emergency, jaldi, jldi, lavkar, lvkr, "
    "लवकर, जल्दी, bachao, bachaao, बचाओ, vachva, वाचवा, ambulance, एम्बुलेंस, रुग्णवाहिका, please come, "
    "seriously, not joking, no joke, not a joke, mazak nahi, sach mein, सच में, खरंच, kharach"
)
FRAMING = {"history": HISTORY, "hypothetical": HYPOTHETICAL, "idiom": IDIOMS}
# What follows "now" when it asks for a visit rather than says something is happening.
REQUEST = terms(
    "need, want, would like, book*, appointment*, slot, visit, chahiye, chaiye, chahie, चाहिए, hava, havi, have, "
    "हवा, हवी, हवे, pahije, पाहिजे, milega, milegi, मिलेगा, मिलेगी, milel, मिळेल, physio*, फिजिओ*, checkup, check up, "
    "follow up, followup, फॉलोअप, चेकअप, dressing, ड्रेसिंग, review, karwana, karvana, करवाना, karaych*, करायच*"
)
# Laughter makes a red-flag word a joke, unless the message also says it is happening now.
LAUGHING = terms("lol, lool, haha, hahaha, hehe, lmao, rofl, jk, just kidding, mazak, mazaak, majak")
LAUGHING_EMOJI = "😂🤣😆😅"

# Small words that let a glued message be split ("cantbreathe", "saansnahiaarahi").
FILLER = terms(
    "the, my, is, a, an, to, of, in, and, me, he, she, it, im, am, are, has, have, hai, he, ho, raha, "
    "rahi, rahe, mein, me, mai, ko, ka, ki, ke, se, aa, gaya, gayi, gaye, ahe, aahe, zala, jhala, la, "
    "ne, please, pls, plz, help, very, so"
)
