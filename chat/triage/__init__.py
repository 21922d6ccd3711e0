"""Red-flag triage: is this message an emergency, of which kind, and in which language?

Run on every typed message before anything else (menu, booking, FAQ, LLM). A miss can cost a
life; a false alarm only hands the chat to the doctor a little early. So the rules are built
from concepts, not from whole phrases: a class fires when a body part or function meets a
danger word close by ("seene mein bahut dard", "chest is paining", "छातीत खूप दुखतंय" are
all CHEST × PAIN), or on a word that is an emergency on its own ("unconscious", "बेशुद्ध").

Matching is on normalised words (`normalize`): lower case, punctuation and emoji gone,
Devanagari nukta and chandrabindu folded. A typed word may hold a letter longer than the
lexicon ("saaaans", "nnahi"), never shorter ("pool" is not "poll"). A lexicon word ending in
"*" is a stem ("breath*" matches "breathing", "छाती*" matches "छातीत"). Long words forgive one
or two typos. A word glued to the next ("cantbreathe", "saansnahi") is split when its parts
are lexicon words.

Then the framing: a match preceded by "no"/"not"/"without", or followed by "nahi hai" / "नाही
आहे", is negated; a message that speaks of the past ("last year", "follow-up", "report"),
of a service ("do you treat …"), of a hypothetical ("what to do if …"), or that is an idiom
("dying to know") is not an emergency — unless it also says the thing is happening now
("now", "abhi", "आत्ता", "again"). An emergency is never downgraded by anything else, and an
LLM is never asked (it may add a flag after the rules, never remove one).

The classes follow the ambulance services' "when to call" lists (NHS ambulance trusts;
India's 112/108): see docs/triage.md for how they were chosen and what they catch.
"""

import functools
import re
import unicodedata
from dataclasses import dataclass

from clinicbot.text import edit_distance

# Parsers see a bounded prefix: a pasted essay costs the same as a sentence.
MAX_CHARS = 600
# How far apart (in words) the concepts of one rule may stand.
WINDOW = 8
# How many other words may stand between two words of a phrase.
GAP = 2

EN, HINGLISH, HI, MR, MR_ROMAN = "en", "hinglish", "hi", "mr", "mr_roman"
LANGUAGES = (EN, HINGLISH, HI, MR, MR_ROMAN)

# --- concepts: what a word means, in every language and spelling the patients use ----------


def terms(text: str) -> tuple[str, ...]:
    """A concept's entries, written comma-separated so the lexicon stays readable."""
    return tuple(entry.strip() for entry in text.split(",") if entry.strip())


CHEST = terms(
    "chest, chst, cheast, seena, seene, seeney, sina, sine, sinay, chhati, chati, chaati, chhaati, "
    "chhati*, chati*, heart, dil, hriday, hruday, छाती*, सीन*, सिन*, दिल, हृदय*, हार्ट, ह्रदय*"
)
PAIN = terms(
    "pain*, ache*, hurt*, tight*, pressure, heavy, heaviness, squeez*, crush*, dard*, dardd, dukh*, "
    "dukat*, dukhat*, dkh*, दर्द*, दुख*, दूख*, वेदना*, vedna*, kalam*, कळ*, kal yet*, jakad*, जकड*, "
    "bhari*, भारी*, दबाव*, dabav*, dabaav*, pidaa, पीड़ा, पीडा"
)
SEVERE = terms(
    "excruciating, agoni*, agonis*, agoniz*, worst ever, doubled over, "
    "severe*, very, alot, terrible, unbearable, extreme*, intense, worst, lot, too, so, much, bahut, "
    "bahot, bohot, bhot, bahu, bht, bhut, zyada, jyada, jada, jyaada, zyaada, tez, tej, bhayankar, "
    "bhayanak, sahan, sehan, asahya, asahy, khup, khoop, khupch, khupach, far, jast, jaast, jorat, "
    "rolling, tadap*, tadp*, crying, screaming, chilla*, ro raha, ro rahi, बहुत, बहोत, ज्यादा, तेज, "
    "तेज़, भयंकर, भयानक, सहन, असह्य, खूप, फार, जास्त, जोरात, तड़प*, तडप*, तळमळ*, talmal*, किंचाळ*, रडत, "
    "रो, hell, killing, kill*"
)
BREATH = terms(
    "धाप*, dhap*, dhaap*, "
    "breath*, brething, breth*, saans, sans, saas, sas, saans*, sanse, shwas*, swas*, shvas*, "
    "shwaas*, svas*, shas, dam, dum, दम, सांस*, साँस*, श्वास*, स्वास*, श्वसन*"
)
TROUBLE = terms(
    "tez, tej, jaldi jaldi, fast fast, rapid*, quick*, noisy, grunt*, "
    "difficult*, trouble, problem, problm, hard, short*, cant, cannot, cnt, unable, not, nahi*, nahin, "
    "nai, nhi, nahee, naahi*, nahiye, taklif*, takleef*, takalif*, dikkat*, diqqat*, pareshan*, phool*, "
    "ful*, fool*, foolna, ruk*, band, fast, jor*, zor*, ghut*, gasp*, struggl*, labour*, labor*, heavy, "
    "kami, kam, lagat*, lagt*, lagl*, gheta*, ghet*, yet nahi, hot nahi, phul*, nahi, नहीं, नही, नाही, "
    "नई, तकलीफ*, दिक्कत*, परेशान*, फूल*, फुल*, रुक*, बंद, तेज*, जोर*, घुट*, कमी, लागत*, लागल*, घेता*, "
    "त्रास*, tras*, traas*, अडचण*, adchan*, stop*, stuck, atak*, अटक*, adak*, अडक*"
)
BLOOD = terms(
    "clot*, thakk*, थक्क*, गाठ*, spotting, "
    "blood*, bleed*, bled, bleading, bleding, khoon, khun, khoon*, khun*, rakt*, rakth*, rakta*, "
    "raktasrav*, खून, खून*, रक्त*, लहू, lahu, hemorrhag*, haemorrhag*"
)
HEAVY_FLOW = terms(
    "heavy, heavily, lot, lots, alot, too much, so much, a lot, gushing, pouring, spurting, soaked, "
    "soaking, everywhere, bahut, bahot, bohot, bhot, zyada, jyada, lagatar, bah*, beh*, nikal*, khup, "
    "khoop, jast, far, vahat*, wahat*, vahte, बहुत, ज्यादा, बह*, निकल*, लगातार, खूप, जास्त, फार, "
    "वाहत*, वाहते, severe*, profuse*, massive, pool, cloth, towel, kapda"
)
NOT_STOPPING = terms(
    "not stop*, wont stop, doesnt stop, isnt stop*, didnt stop, not stopped, hasnt stopped, cant stop, "
    "non stop, nonstop, keeps, still, ruk nahi, nahi ruk, ruk hi nahi, band nahi, nahi band, thamb nahi, "
    "thambat nahi, thambta nahi, thambat naahi, thambech nahi, रुक नहीं, नहीं रुक, रुक ही नहीं, "
    "बंद नहीं, थांबत नाही, थांबतच नाही, थांबेना, thambena, rukta nahi, ruk nhi, ruk nahin, rukna, "
    "रुकता नहीं, रुकत नहीं"
)
COUGH_VOMIT = terms(
    "cough*, coughing, khans*, khaans*, khas*, khokl*, खांस*, खाँस*, खास, खोकल*, खोक*, vomit*, vomting, "
    "ulti*, ultee, ulati*, उल्टी*, उलटी*, ओकार*, okari, spit*, thook*, थूक*, थुंक*, थुक*, stool, potty, "
    "latrine, motion*, sandas, toilet"
)
PREGNANT = terms(
    "pregnan*, pregnent, preganant, prego, garbh*, गर्भ*, गरोदर*, garodar*, garod*, months preg*, "
    "pet se, pet me bachcha, delivery, delivary, postpartum, प्रसूति*, प्रसूत*, prasuti*, bacha hua"
)
SWELL = terms(
    "blew up, blown up, puffed, ballooned, मोट*, moti, mote, fuga, फुग*, fugl*, "
    "swell*, swollen, swolen, swelling, puff*, sujan, soojan, sooj*, suj*, soj*, सूज*, सुज*, फूल*, "
    "phool*, phul*, fool gay*, motha, motta, mota, bloat*, thick*"
)
ALLERGY_PART = terms(
    "lip, lips, lipp*, tongue, tounge, tung, face, eyes, eye, honth*, hoth*, hont*, honthh, hoth, jeebh, "
    "jeeb, jibh, jib, jeebh*, chehra, chehre, chehera, muh, muh*, munh*, tond*, othh, oth, othan*, ओठ*, "
    "ओंठ*, होंठ*, होठ*, जीभ*, जीब*, चेहर*, मुंह*, मुँह*, तोंड*, jibh*, डोळ*, dol*, aankh*, ankh*, आंख*, "
    "आँख*"
)
ALLERGY = terms(
    "allerg*, alergy, alergic, reaction, anaphyla*, sting*, stung, bee, wasp, honeybee, madhumakhi, "
    "madhmash*, मधुमक्खी, मधमाश*, एलर्जी, ऍलर्जी, अ\u200dॅलर्जी, ॲलर्जी, रिएक्शन, रिॲक्शन, injection, dawai, "
    "tablet, peanut*, prawn*, shrimp"
)
BURN = terms(
    "=burn, =burns, burnt, burned, brunt, scald*, jal gay*, jal gai, jal gye, jal gya, jal gayi, jal ga, "
    "jale, jali, jhulas*, jhuls*, जल गय*, जल गई, जला, जली, जले, झुलस*, bhajl*, bhaajl*, bhajal*, bhajun, "
    "भाज*, पोळल*, polal*"
)
BIG_AREA = terms(
    "face, chest, body, whole, back, stomach, arm, arms, leg, legs, hand, hands, neck, private, half, "
    "poora, pura, puri, poori, sara, saara, sari, saari, badan, sharir*, shareer*, angg, ang, chehra, "
    "chehre, haath, hath, pair, paon, pet, pith, peeth, tond, haat, hat, pay, paay, पूरा, पूरी, सारा, "
    "सारी, शरीर*, अंग, चेहर*, हाथ*, पैर*, पेट, पीठ, छाती*, तोंड*, हात*, पाय*, पोट*, पाठ*, अंगावर, "
    "angavar, baby, child, bachcha, bacha, baccha, bachha, बच्च*, बाळ*, baal, bal, kid, son, daughter, "
    "blister*, skin, chamdi, chamdi*, चमड़ी*, त्वचा*, chhale, chale, छाले, फोड*, phod*, peel*, "
    "cooker, cylinder, acid, tezab, tejab, तेजाब, ॲसिड, एसिड, एसिड*, current, करंट, electric*, shock, "
    "blast, boiling, khaulta, khaulte, ukalt*, उकळ*, खौल*, garam tel, garam paani, garam pani, गरम, "
    "garam, garam, oil, tel, तेल"
)
FIRE_EVENT = terms(
    "caught fire, on fire, aag lag*, aag lagi, aag lagg*, आग लग*, आग लाग*, aag lagli, aag, आग, "
    "electric shock, electrocut*, current lag*, current laga, shock laga, करंट लग*, करंट लाग*, "
    "shock lagla, current lagla, cylinder blast, cylinder phat*, सिलेंडर फट*, acid attack, acid feka, "
    "acid fenka, acid phek*, तेजाब फेंक*, ॲसिड फेक*"
)
HEAD = terms(
    "head, hed, skull, sar, sir, sarr, sirr, sar*, sir*, matha, mathe, माथा, माथे, सिर, सर, डोक*, dok*, "
    "डोकं, kapal, कपाळ*"
)
INJURY = terms(
    "injur*, injry, hit, hurt, bang*, struck, smash*, crack*, fractur*, chot, chott, chot*, lag gay*, "
    "lagi, laga, phat*, phut*, fut*, phoot*, फट*, फूट*, फुट*, चोट*, लगी, लगा, mar lagla, maar lagla, "
    "मार, mar, maar, jakhm*, zakhm*, जख्म*, ज़ख्म*, जखम*, jakham*, bleed*, blood, khoon, khun, रक्त*, "
    "खून, लागल*, lagl*, lagal*"
)
ACCIDENT = terms(
    "accident*, axident*, eksident*, ekcident, एक्सीडेंट*, एक्सिडेंट*, दुर्घटना*, durghatna*, अपघात*, "
    "apghat*, apaghat*, takkar*, takar, टक्कर*, hit and run, run over, ran over, knocked down, "
    "knocked over"
)
ACCIDENT_HIT = terms(
    "hit by, hit him, hit her, hit us, hit my, car hit, truck hit, bike hit, bus hit, tempo, rickshaw, "
    "auto, gaadi, gadi, गाड़ी, गाडी, truck, bus, car, bike, scooter, scooty"
)
FALL = terms(
    "came off, fell off, thrown off, skid*, slip*, sarak*, घसर*, ghasar*, "
    "fell, fall*, fallen, slipped, gir*, ger*, गिर*, पड़*, पड*, padl*, padal*, padle, padla, padli, "
    "padun, khali padla, khali padli, jumped, jump*, kood*, kud*, कूद*, उडी, udi"
)
HEIGHT = terms(
    "सीढ*, सिढ*, stair*, steps, "
    "height, terrace, roof, building, floor, storey, story, balcony, tree, ladder, stairs, staircase, "
    "bridge, chhat, chat, chhath, chhat*, chhaat, chhajja, chajja, chhajje, sidhi, seedhi, seedi, pedh, "
    "ped, jhad*, zad*, gachchi, gacchi, imarat*, mala, majla, manzil, mazla, पेड़*, पेड*, छत*, छज्ज*, "
    "सीढ़ी*, सीढी*, इमारत*, मंज़िल*, मंजिल*, बालकनी*, झाड*, गच्ची*, जिन्या*, jinya*, jina, shidi, शिडी*, "
    "माळ*, मजल*, वरून, varun, upar se, ऊपर से, उपर से, well, kuan, kuwa, kuan*, विहिर*, vihir*"
)
LEGS = terms(
    "leg, legs, lower body, pair, pairon, pairo, paon, paav, pav, pao, pay, paay, paya, टांग*, टाँग*, "
    "पैर*, पाय*, पांव*, kamar, कमर, kambar, कंबर*, neck, gardan, गर्दन*, मान, spine, back"
)
CANT_MOVE = terms(
    "नहीं हिल*, नही हिल*, nahi hil*, nahin hil*, नाही हल*, nahi hal*, "
    "cant move, cannot move, unable move, not moving, wont move, no movement, no feeling, cant feel, "
    "not feel, numb, paralys*, paralyz*, hil nahi, hila nahi, hilta nahi, hilti nahi, hil hi nahi, "
    "hila nhi, hal nahi, halat nahi, halta nahi, halvat nahi, hale nahi, halvta yet nahi, sunn*, "
    "sun pad*, hilna band, हिल नहीं, हिला नहीं, हिलता नहीं, हिलते नहीं, सुन्न*, हलत नाही, "
    "हलवता येत नाही, हालचाल नाही, halchal nahi, हलेना, halena, cant stand, cant get up, uth nahi, "
    "उठ नहीं, uthta nahi, उठता नहीं, uthat nahi, उठत नाही, ubha rahat nahi, उभं राहता येत नाही, "
    "ubha rahta yet nahi, chal nahi, चल नहीं, chalta yet nahi, चालता येत नाही"
)
POISON = terms(
    "keede maar*, keeda maar*, kide mar*, kida mar*, कीड़े मार*, कीडे मार*, kide marne, machhar maar*, mosquito liquid, mosquito repellent, all out, good knight, kitak, कीटक*, "
    "शेतातल*, शेतातील औषध, फवारणी*, favarni*, phavarni*, तणनाशक*, tannashak*, khet ki dawa*, खेत की दवा*, फसल की दवा*, fasal ki dawa*, dishwasher, detergent, washing powder, surf, pod*, button battery, naphthalene balls, "
    "poison*, posion*, poision*, poisen*, zeher*, zehar*, zahar*, jahar*, jeher*, zaher*, zehr*, zahr*, "
    "jehar*, jahr*, jehr*, ज़हर*, जहर*, विष*, vish, visha, vishbadha, pesticid*, pestiside*, "
    "insecticid*, keetnashak*, kitnashak*, kitaknashak*, कीटनाशक*, कीटकनाशक*, rat kill*, ratol, "
    "ratkill*, rat poison, chuha mar*, chuhe mar*, chuhe ki dawa*, chuhe ki dawai, चूहे मार*, चूहा मार*, "
    "उंदीर मार*, undir mar*, undrach*, उंदराच*, kerosene, kerosin, kerosine, mitti ka tel, mitti tel, "
    "मिट्टी का तेल, केरोसिन*, रॉकेल, रॉकेलच, rockel, rokel, roquel, phenyl, phenol, finail, फिनाइल, "
    "फिनेल, harpic, toilet cleaner, bathroom cleaner, floor cleaner, bleach, colin, acid, tezab, tejab, "
    "तेजाब, तेज़ाब, ॲसिड, एसिड, thinner, petrol, diesel, dettol, savlon, naphthalene, goli*, gutkha, "
    "dhatura, datura, धतूरा"
)
INGEST = terms(
    "drank, drink*, drunk, swallow*, swalow*, ate, eaten, eat*, consum*, took, taken, pi li, pee li, "
    "pi liya, pee liya, pi gaya, pee gaya, pi gayi, pee gayi, pi lia, piya, peeya, pi, pee, peeli, pili, "
    "kha li, kha liya, kha lia, kha gaya, kha gayi, kha gya, khaa li, khaa liya, kha, khaa, khali, "
    "khalli, khalla, khalle, khalya, khaalla, gil*, nigal*, niglaa, nigl*, nigla, priyal*, pyayl*, "
    "pyal*, pyala, pyali, pyaale, pyayla, pyaylay, sevan, पी ली, पी लिया, पी गया, पी गई, पिया, पी, "
    "खा ली, खा लिया, खा गया, खा गई, खा, निगल*, प्याय*, प्याल*, प्यायल*, खाल्ल*, गिळ*, सेवन, ingest*, "
    "gulp*"
)
PILLS = terms(
    "pill*, tablet*, tablt*, tablat*, tabs, capsul*, medicine*, medicin*, meds, dawa*, dava*, davai, "
    "goli*, goliya*, golya, gulya, golyaa, aushadh*, aushad*, owshadh*, sleeping, neend, neend ki, nind, "
    "zopech*, jhopech*, गोली*, गोलि*, गोळ*, दवा*, दवाई*, औषध*, नींद, झोपेच*, strip*, patta, patte, "
    "पत्ता, पत्ते"
)
MANY = terms(
    "bhar pur, bharpur, भरपूर, khup saarya, khup sarya, dher saari, dher sari, "
    "many, lot, lots, all, whole, entire, full, bunch, handful, too many, extra, overdose, double, "
    "bottle, strip, strips, saari, sari, saare, sare, sab, sabhi, poori, puri, pura, poora, bahut, "
    "bahot, bohot, bhot, dher, dhero, zyada, jyada, sagal*, saglya, saglyaa, sagli, khup, khoop, jast, "
    "जास्त, खूप, सगळ*, सारी, सारे, सब, पूरी, पूरा, बहुत, ज्यादा, ढेर*, पूर्ण, purn, poorn, saara, "
    "saaree, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 24, 25, 30, 35, 40, 50, dus, bees, "
    "pachas, das, vees, दस, बीस, दहा, वीस, पन्नास, पचास, १०, १५, २०, ३०, ५०"
)
SNAKE = terms(
    "snake*, snak, snek, saanp, sanp, saap, saamp, samp, saanp*, sap, saap*, naag, nag, cobra, krait, "
    "viper, scorpion*, bichhu, bichu, bicchu, bichchhu, vinchu, vinchoo, vinchva, विंचू*, बिच्छू*, "
    "बिच्छु*, साँप*, सांप*, साप*, नाग*, सर्प*, sarp*, सापाने, sapane, saapane, snakebite*, spider"
)
BITE = terms(
    "bite*, bit, bitten, biten, byte, kata, kaata, kaat*, kat liya, kaat liya, kat li, kati, kat gaya, "
    "काटा, काट*, काटी, डसा, डस*, das*, dans*, dank*, dnkh*, डंख*, डंक*, डंस*, दंश*, chaval*, chawal*, chavl*, "
    "chawl*, चाव*, sting*, stung"
)
DOG = terms(
    "dog*, doggy, kutta, kutte, kuttey, kutti, kutra, kutre, kutrya*, kuttr*, कुत्त*, कुत्र*, monkey, "
    "bandar, bander, बंदर, makad, माकड*, cat, billi, बिल्ली, manjar, मांजर*, rat, choha, chuha, animal, "
    "jaanwar, janwar, जानवर*, prani, प्राणी*"
)
BITE_BAD = terms(
    "swell*, swollen, sujan, soojan, sooj*, suj*, सूज*, सुज*, bleed*, blood, khoon, khun, रक्त*, खून, "
    "deep, gehra, gehri, khol, face, chehra, chehre, head, neck, child, baby, bacha, bachcha, बच्च*, "
    "बाळ*, tond*, तोंड*, चेहर*, lot, badly, bura, bahut, khup, खूप, बहुत, lagatar, many, kai, jagah, "
    "jagah*, जगह*, ठिकाण*, thikani, rabid, pagal, पागल, पिसाळ*, pisal*, mad"
)
DROWN = terms(
    "drown*, drwon*, drouwn*, doob*, dub gaya, dub gayi, dub gya, dubne, doobne, doob gaya, डूब*, डुब*, "
    "bud*, बुड*, budal*, budat*, buda, near drown*, went under, gone under, under water, underwater, "
    "paani ke andar, पानी के अंदर, पाण्याखाली, panyakhali, panya khali"
)
WATER = terms(
    "water, pool, swimming, swim*, river, lake, tank, bucket, tub, bathtub, well, sea, beach, canal, "
    "pond, dam, paani, pani, nadi, talab, taalab, kuan, kuwa, baalti, balti, nahar, samundar, पानी*, "
    "नदी*, तालाब*, कुआं*, कुएं*, बाल्टी*, पाण्या*, panya*, paanya*, विहिर*, vihir*, तलाव*, talav*, टाक*, "
    "taki, tankit, समुद्र*, samudr*, धरण*, dharan*"
)
INTO_WATER = FALL + terms("pulled out, nikala, nikali, kadhla, kadhle, काढल*, निकाला, निकाली, inside, andar")
RASH = terms("rash*, spots, daane, dane, chakatte, chakte, pural*, दाने, चकत्त*, पुरळ*, chaale")
NOT_FADING = terms(
    "not fad*, doesnt fade, dont fade, wont fade, no fading, not going, glass, tumbler, press*, purple, "
    "dark red, non blanch*, blood spots, dabane par, dabane se, दबाने पर, दबाने से, nahi mit*, "
    "नहीं मिट*, jata nahi, nahi jata, jaat nahi, जात नाही, जाता नहीं, दाबल*, dabl*, glass ne, gilas, "
    "गिलास*, ग्लास*, फिकट होत नाही, fikat hot nahi, halke nahi"
)
THROAT = terms("throat, throt, gala, gale, galaa, गला, गले, गळा, घसा, घशा*, ghasa, ghasha*, windpipe")
CLOSING = terms("clos*, band, बंद, tight*, squeez*, choking, block*, jam, aakunchan, ghut*, घुट*")
CHILD = terms(
    "bete, beti, bachche, bachhe, bacche, saal ke, sal ke, साल के, बेटे, "
    "baby, babby, babies, infant*, newborn*, new born, neonat*, toddler, child, kid, kids, son, "
    "daughter, boy, girl, bachcha, bachha, bacha, baccha, bacchi, bachchi, bachi, bachhi, bach*, bacch*, "
    "bachh*, bachch*, munna, munni, beta, beti, betu, chhota, chota, chhoti, choti, navjat, shishu, "
    "baal, bal, bala, balla, bala*, mulga, mulgi, mulag*, mul, lekru, lekar, tanh*, month old, "
    "year old, years old, yr old, yrs old, saal ka, saal ki, sal ka, sal ki, साल का, साल की, varshacha, "
    "varshachi, वर्षाच*, "
    "months old, mahine ka, mahine ki, mahine, mahina, mahinyacha, mahinyachi, mahinyach*, महिन्याच*, "
    "महीने*, days old, din ka, din ki, divasach*, दिवसाच*, बच्च*, बेटा, बेटी, शिशु*, नवजात*, बाळ*, "
    "मुलगा, मुलगी, मुल*, लेकरू*, तान्ह*, मुन्न*, छोटा, छोटी, chhokra, chhokri"
)
CHILD_DANGER = terms(
    "floppy, limp, lifeless, not feeding, not feed*, wont feed, refus* feed*, refus* milk, not drink*, "
    "not taking milk, not sucking, no milk, stopped feeding, not eat*, wont eat, not cry*, weak cry, "
    "not waking, wont wake, hard to wake, not respond*, very sleepy, drowsy, lethargic, purple, blue, "
    "grunting, sunken, no urine, no wet, dry nappy, fit, fits, seizur*, convuls*, jhatke, jhatka, "
    "doodh nahi, dudh nahi, doodh nhi, dudh nhi, doodh nahin, feed nahi, dudh pit nahi, dudh pita nahi, "
    "dudh pyat nahi, dudh ghet nahi, pee nahi, pi nahi, pita nahi, piti nahi, pit nahi, khata nahi, "
    "khati nahi, khat nahi, kha nahi, ro nahi, rota nahi, roti nahi, radat nahi, sust, sust*, dheela, "
    "dhila, dheeli, dhili, dhile, malul, malool, suki, sukha, susu nahi, su su nahi, shu nahi, "
    "peshab nahi, neela, neeli, nila, nili, nile, nilya, neele, jaag nahi, uth nahi, uthat nahi, "
    "jaagat nahi, jaga nahi, दूध नहीं, दूध नही, दूध पी नहीं, पी नहीं, पीत नाही, पित नाही, दूध घेत नाही, "
    "दूध*, सुस्त*, ढीला, ढीली, ढीले, मलूल*, नीला, नीली, नीले, निळ*, रो नहीं, रोत नाही, रडत नाही, "
    "जाग नहीं, उठत नाही, झटक*, फिट, आकडी*, पेशाब नहीं, सू सू नहीं, शू नाही, breath*, saans, sans, "
    "श्वास*, सांस*"
)
FEVER = terms(
    "38, 385, 39, 101, "
    "fever*, feaver, fevr, temperature, temp, bukhar, bukhaar, bukar, bhukar, taap, tap, jwar, बुखार*, "
    "ताप*, ज्वर*, 102, 103, 104, 105, 1025, 1035, 39, 40"
)
INFANT = terms(
    "week old, weeks old, wk old, hafte ka, hafte ki, हफ्ते का, हफ्ते की, आठवड्याच*, athavdyach*, athvadyach*, "
    "newborn*, new born, neonat*, infant*, month old, months old, month baby, months baby, mahine ka, "
    "mahine ki, mahine ke, mahinyacha, mahinyachi, mahinyach*, days old, din ka, din ki, divasach*, "
    "navjat, नवजात*, महिन्याच*, महीने का, महीने की, महीने के, दिवसाच*, दिन का, दिन की, तान्ह*, tanh*, "
    "2 month, 1 month, 3 month, 2 mahine, 1 mahine, 3 mahine"
)
ABDOMEN = terms(
    "stomach*, stomch*, stomak, abdom*, abdominal, tummy, belly, pet, peth, pett, pait, appendix, "
    "appendic*, pot, pota*, potat, पेट*, पोट*, ओटीपोट*, otipot*, navel, naabhi, lower abd*, side"
)
SELF_HARM = terms(
    "नहीं जीना, नही जीना, नहीं जीना चाहत*, jeena nahi chahta, jeena nahi chahti, nahi jeena chahta, nahi jeena chahti, "
    "better off without me, burden to everyone, burden on everyone, no one will miss me, nobody will miss me, world without me, nahi jeena, nahi jina, nahin jeena, nahi jeeni, nahi jeena hai, sab khatam karna, sab khatam kar dena, sab khatam kar dungi, sab khatam kar dunga, khatam karna hai sab, want to end it, going to end it, gonna end it, end everything, end this life, जान देना, जान दे दूंगा, जान दे दूंगी, जान दे दूँगा, जान दे दूँगी, जगण्याची इच्छा नाही, jaganyachi ichha nahi, jagnyachi ichha nahi, jagaychi ichha nahi, सबके लिए बोझ, sab par bojh, sabke liye bojh, मी ओझं आहे, mi ojha ahe, "
    "suicid*, sucide*, suiside*, suside*, kill myself, kill my self, killing myself, kil myself, "
    "end my life, end it all, ending my life, end myself, take my life, take my own life, want die, "
    "wanna die, want to die, wish i was dead, wish i were dead, better off dead, no reason to live, "
    "no point living, no point in living, no point of living, nothing to live for, not worth living, "
    "life is not worth, life not worth, jeene ka koi matlab nahi, jeene ka matlab nahi, jine ka koi fayda nahi, "
    "जीने का कोई मतलब नहीं, जीने का मतलब नहीं, jagnyat kahi arth nahi, जगण्यात काही अर्थ नाही, "
    "dont want live, dont want to live, dont want to be alive, dont wanna live, cant go on, hurt myself, "
    "harm myself, self harm, selfharm, self-harm, cut myself, cutting myself, cut my wrist*, "
    "slit my wrist*, hang myself, hanging myself, jump off, jump from, jump in front, marna chaht*, "
    "marna chah*, marna hai, mar jana chaht*, mar jaana chaht*, mar jaunga, mar jaungi, mar jaaunga, "
    "mar jaaungi, mar jau, mar jaaun, marne ka man, marne ka mann, marne ko ji, marne ki soch, "
    "jeena nahi, jina nahi, jeene ka man nahi, jeene ki ichha nahi, jeene ka mann nahi, khudkushi, "
    "khudkhushi, khud kushi, khud ko khatam, khud ko maar, apne aap ko khatam, apni jaan, jaan de dunga, "
    "jaan de dungi, jaan dena, jaan de du, aatmahatya, atmahatya, atmhatya, aatmhatya, atmahtya, "
    "fasi laga, phansi laga, fansi laga, phasi laga, faasi, phaansi, fans, jiv dya*, jeev dya*, jiv deu, "
    "jeev deu, jiv deun, jagayach nahi, jagaych nahi, jagayche nahi, jagaycha nahi, jagavasa vatat nahi, "
    "jagavas vatat nahi, jagnyat arth nahi, marav*, marayach*, marayche, maraycha, marun jav*, "
    "marun jaav*, swatahala sampav*, swatala sampav*, swatahla sampav*, swatahala samp*, sampvun tak*, "
    "आत्महत्या*, आत्महत्त्या*, आत्म हत्या, ख़ुदकुशी, खुदकुशी, मरना चाह*, मर जाना चाह*, मर जाऊंगा, "
    "मर जाऊंगी, मर जाऊँगा, मर जाऊँगी, जीना नहीं, जीने का मन नहीं, जीने की इच्छा नहीं, खुद को खत्म, "
    "ख़ुद को ख़त्म, अपने आप को खत्म, फांसी*, फाँसी*, जान दे, जीव द्या*, जीव देऊ*, जगायचं नाही, "
    "जगायचे नाही, जगायचा नाही, जगावंसं वाटत नाही, जगावसं वाटत नाही, जगण्यात अर्थ नाही, मरावंसं*, "
    "मरावसं*, मरायचं*, मरायचे*, मरून जा*, स्वतःला संपव*, स्वतःला संप*, स्वतः ला संपव*, स्वतःला मार*, "
    "नस कापू*, नस काट*, nas kap*, nas kaat*, nas kat*, गळफास*, galfas*"
)
STRONG = {
    "chest_pain": terms(
        "heart attack*, heartattack*, heart atack, hart attack, heart atak, cardiac arrest, cardiac attack, "
        "dil ka daura, dil ka dora, dil ka doura, दिल का दौरा, हार्ट अटैक, हार्ट अटॅक, हृदयविकाराचा झटका, "
        "हृदय विकाराचा झटका, hrudayvikarach*, hruday vikarach*, attack aaya, attack aya, attack ala, "
        "attack aala, अटैक आया, अटॅक आला, angina"
    ),
    "breathing": terms(
        "not breathing, stopped breathing, isnt breathing, cant breathe, cannot breathe, cant breath, "
        "unable to breathe, breathless*, short of breath, shortness of breath, choking, choked, choke, "
        "chok ho, suffocat*, gasping, gasp*, blue lips, lips blue, lips are blue, lips turning blue, "
        "lips turned blue, turning blue, gone blue, turned blue, asthma attack, wheez*, दम लग*, dam lag*, "
        "dum ghut*, dam ghut*, दम घुट*, saans ruk*, sans ruk*, सांस रुक*, साँस रुक*, श्वास थांब*, "
        "shwas thamb*, swas thamb*, gale me atak*, gale mein atak*, gale mai atak*, gale me phas*, "
        "gale mein phas*, गले में अटक*, गले में फंस*, घशात अडक*, gashat adak*, ghashat adak*, ghasat adak*, "
        "होंठ नीले, ओठ निळे, oth nile, hoth neele, honth neele, honth nile, hoth nile, नीला पड़, नीली पड़, "
        "निळा पड, nila pad*, neela pad*, nila padla, dum ghut"
    ),
    "unconscious": terms(
        "unconscious*, unconcious*, unconsious*, unconscius, unconsc*, uncons*, unresponsive, "
        "not responding, no response, not responsive, passed out, pass out, blacked out, collaps*, fainted, "
        "faint*, fainting, not waking, wont wake, cant wake, doesnt wake, not wake up, wont get up, "
        "not getting up, no pulse, not moving, lifeless, is dying, he is dying, she is dying, behosh*, "
        "behos*, beyhosh*, behoosh, bihosh, besudh*, be hosh, बेहोश*, बेहोस*, बेसुध*, बेशुद्ध*, beshuddh*, "
        "beshudh*, beshudha, beshudd*, shuddh nahi, shudh nahi, शुद्ध नाही, शुद्धीवर नाही, shuddhivar nahi, "
        "shudhivar nahi, hosh nahi, hosh nahin, होश नहीं, hosh mein nahi, होश में नहीं, jaag nahi, jag nahi, "
        "uth nahi raha, uth nahi rahe, uth nahi rahi, उठ नहीं रहा, उठ नहीं रहे, उठ नहीं रही, उठत नाही, "
        "uthat nahi, uthatach nahi, jaga hot nahi, जागा होत नाही, pratisad nahi, प्रतिसाद नाही, "
        "jawab nahi de raha, jawab nahi de rahe, जवाब नहीं दे, chakkar aakar gir*, chakkar khakar gir*, "
        "chakkar aake gir*, चक्कर आकर गिर*, chakkar yeun padl*, चक्कर येऊन पड*, gir pade, gir gaye aur, "
        "gir padi, nabz nahi, नब्ज़ नहीं, नब्ज नहीं, naadi nahi, नाडी लागत नाही, nadi lagat nahi, mar raha, "
        "mar rahi, mar rahe, मर रहा, मर रही, मर रहे, marat aahe, marte aahe, dying"
    ),
    "stroke": terms(
        "stroke, strok, brain stroke, brainstroke, paralys*, paralyz*, paralis*, lakwa*, lakva*, laqwa, "
        "लकवा*, पक्षाघात*, pakshaghat*, ardhangvayu*, अर्धांगवायू*, face droop*, facial droop*, face drop*, "
        "face dropped, face has dropped, face dropping, face is drooping, face fallen, mouth droop*, "
        "mouth drop*, lip droop*, face tedha, face tedhi, muh tedha, munh tedha, munh tedhaa, muh tedhi, "
        "muh tedha ho, मुंह टेढ़ा, मुँह टेढ़ा, मुंह टेढा, चेहरा टेढ़ा, chehra tedha, तोंड वाकड*, "
        "tond vakad*, tond wakad*, चेहरा वाकड*, chehra vakad*, slurred, slurring, slur*, speech slur*, "
        "words slur*, cant speak properly, cant talk properly, not able to speak, cant speak, speech gone, "
        "lost speech, speech is not clear, speech not clear, zaban ladkhada*, zubaan ladkhada*, "
        "jaban ladkhada*, jubaan ladkhada*, जुबान लड़खड़ा*, ज़ुबान लड़खड़ा*, जबान लड़खड़ा*, आवाज़ लड़खड़ा*, "
        "bol nahi pa*, bol nahi paa*, बोल नहीं पा*, बोलता नहीं आ, बोला नहीं जा, bolta yet nahi, "
        "bolata yet nahi, bolta yeina, बोलता येत नाही, बोलता येईना, बोलणं अडखळ*, bolna adakhal*, "
        "bolan adakhal*, bolne me dikkat, bolne mein dikkat, बोलने में दिक्कत, suddenly confused, "
        "sudden confusion, achanak confuse, achanak bhram*, pehchan nahi, pehchaan nahi, pehchan nahi raha, "
        "पहचान नहीं, olakhat nahi, olkhat nahi, ओळखत नाही, one side weak, one side of, one sided weakness, "
        "ek taraf, ek side, एक तरफ, एक साइड, eka bajula, eka bajus, एका बाजूला, एका बाजूने, एक बाजू, "
        "ek baju, half body, aadha sharir, aadha shareer, आधा शरीर, अर्धं शरीर, ardha sharir"
    ),
    "seizure": terms(
        "seizur*, seizer*, siezur*, seazur*, sezur*, seizing, seziure, convuls*, convulsion*, fits, is fitting, "
        "was fitting, fitting on, started fitting, keeps fitting, fitting again, "
        "having a fit, having fit, had a fit, fit aa*, fit aya, fit aaya, fit aai, fit padla, fit padli, "
        "fit ala, fit aala, fit aali, fit yet, fit yetoy, fit yetey, fit yete, epilep*, epileptic, mirgi*, "
        "mirgee, मिर्गी*, मिरगी*, jhatke*, jhatka*, jhatkay, jatke, jhtke, झटक*, फिट आ*, फिट पड*, फिट येत*, "
        "फिट आली, फिट आला, daura pad*, daure pad*, daura aa*, दौरा पड़*, दौरे पड़*, दौरा आ*, aakdi*, akadi*, "
        "aakadi*, आकडी*, fefre, phephre, फेफरे*, muh se jhaag, munh se jhaag, मुंह से झाग, मुँह से झाग, "
        "jhaag nikal*, झाग निकल*, तोंडातून फेस, tondatun fes, tondatun pes, fes yet*, फेस येत*, akad gaya, "
        "akad gayi, akad gaye, अकड़ गया, अकड़ गई, shaking uncontroll*, uncontrollable shaking, body shaking, "
        "whole body shaking, jerking, jerks, jerk*, kanp raha, kaanp raha, काँप रहा, कांप रहा, thartharat*, "
        "थरथर*"
    ),
    "bleeding": terms(
        "haemorrhag*, hemorrhag*, raktasrav*, raktasraav*, रक्तस्त्राव*, रक्तस्राव*, blood vomit*, "
        "vomiting blood, vomited blood, coughing blood, coughing up blood, coughed up blood, coughed blood, "
        "spitting blood, blood in vomit, blood in cough, bleeding won*, bleeding not stop*, "
        "wont stop bleeding, not stop bleeding, cant stop bleeding, bleeding heavily, heavy bleeding, "
        "profuse bleeding, severe bleeding, bleeding badly, bleeding a lot, bleeding lot, lot of blood, "
        "lots of blood, so much blood, too much blood, blood everywhere, blood gushing, gushing blood, "
        "blood pouring"
    ),
    "allergy": terms(
        "anaphyla*, anafila*, anaphylactic*, allergic shock, allergy shock, throat closing, "
        "throat is closing, throat closing up, throat tight*, throat swell*, tongue swell*, swollen tongue, "
        "swollen lips, swollen throat, lips swell*, lip swell*, gala band ho, gala band, gala sooj*, "
        "gale me sooj*, गला बंद, गले में सूज*, गळा सुज*, गळा बंद*, gala suj*, gala band zal*, "
        "gala band jhal*"
    ),
    "burns": terms(
        "severe burn*, bad burn*, badly burn*, third degree, 3rd degree, second degree, 2nd degree, full body burn*"
    ),
    "injury": terms(
        "head injury, head injured, head trauma, skull fractur*, road accident, accident ho gaya, "
        "accident hua, accident jhala, accident zala, accident jala, accident hogaya, accident huva, "
        "एक्सीडेंट हो, अपघात झा*, apghat jhal*, apghat zal*, hit by a car, hit by car, hit by bike, "
        "hit by a bike, hit by truck, hit by a truck, hit by bus, hit by a bus, hit and run, run over, "
        "knocked down by, sar phat*, sir phat*, sar phoot*, sir phoot*, sar fat*, sir fat*, sar foot*, "
        "सिर फट*, सर फट*, sir se khoon, sar se khoon, सिर से खून, डोकं फुट*, डोके फुट*, doka phut*, "
        "doka fut*, dokyatun rakt*, डोक्यातून रक्त*, dokyala mar, dokyala maar, डोक्याला मार, "
        "डोक्याला जबर मार, paralys*, spinal injur*, neck injur*, broken neck, broken back, fractur*, "
        "haddi toot*, haddi tut*, हड्डी टूट*, haad mod*, हाड मोड*, bone sticking out, bone out"
    ),
    "poisoning": terms(
        "poisoning, poisened, poisoned, overdos*, over dose, od on, zeher kha*, zehar kha*, zahar kha*, "
        "jahar kha*, zehr kha*, zehr pi*, zahr pi*, zeher pi*, zehar pi*, zahar pi*, jahar pi*, जहर खा*, "
        "ज़हर खा*, जहर पी*, ज़हर पी*, विष प्या*, विष खा*, vish pyal*, vish pyayl*, vish khall*, vishbadha, "
        "विषबाधा*, vish pila, poison kha*, poison pi*, poison piya, poison pi liya, took poison, "
        "drank poison, ate poison, swallowed poison, consumed poison, took rat poison"
    ),
    "bite": terms(
        "snakebite*, snake bite*, snake bit*, snakebit*, saanp ne kaat*, saanp ne kata, sanp ne kata, "
        "saap ne kata, साँप ने काट*, सांप ने काट*, साप चाव*, sap chaval*, saap chaval*, sapane chaval*, "
        "सापाने चाव*, सर्पदंश*, sarpadansh*, sarpdansh*, scorpion sting*, bichhu ne kaat*, bichu ne kata, "
        "बिच्छू ने काट*, विंचू चाव*, vinchu chaval*, vinchu dasla, विंचू डस*, vinchvane dank*, "
        "विंचवाने डंख*, rabid dog, pagal kutt*, पागल कुत्त*, पिसाळलेल्या कुत्र*, pisalelya kutr*"
    ),
    "drowning": terms(
        "drowning, drowned, drown*, near drowning, doob gaya, doob gayi, doob gaye, dub gaya, dub gayi, "
        "doob raha, doob rahi, डूब गया, डूब गई, डूब रहा, डूब रही, बुडाला, बुडाली, बुडत, बुडल*, budala, "
        "budali, budla, budli, budat, bud gela, bud geli, buda la"
    ),
    "child": (),
    "abdominal": terms("appendicitis, appendix burst, appendix fat, ectopic"),
    "self_harm": SELF_HARM,
}

# A class fires when every concept of one of its rules meets within WINDOW words.
RULES: dict[str, tuple[tuple[tuple[str, ...], ...], ...]] = {
    "chest_pain": (
        (CHEST, PAIN),
        (
            terms("left arm, left shoulder, jaw, baya haath, bayan haath, dava haat, डावा हात, बायां हाथ"),
            PAIN,
            terms("sweat*, pasina, paseena, pasine, पसीना*, पसीने*, घाम*, gham, ghaam"),
        ),
        (CHEST, terms("sweat*, pasina, paseena, pasine, पसीना*, पसीने*, घाम*, gham, ghaam")),
    ),
    "breathing": (
        (BREATH, TROUBLE),
        # Chest drawing in with each breath (a child's sign of breathing trouble).
        (
            terms("ribs, rib, pasli*, पसली*, पसलि*, बरगड*, fasli*, chest"),
            terms("pull* in, sucking in, sink*, andar, अंदर, आत"),
        ),
    ),
    "unconscious": (
        (
            terms("hosh, होश, shuddh, shudh, शुद्ध*, shuddhi*, shudhi*"),
            terms("nahi, nahin, नहीं, नाही, gaya, gaye, gayi, गया, गई, गेली, गेला, gela, geli, hardly"),
        ),
        (
            terms(
                "wake*, woke, respond*, react*, answering, uth, uthat*, jaag*, jag, jaga, उठ*, जाग*, प्रतिसाद*, "
                "pratisad*, react, jawab, जवाब, बोलत, bolat, bolta, bol, bolte, bolti, bol rahe, बोल*, hil, hilte, "
                "hila, हिल*, hal, halat, हलत, aankh, aankhe, aankhen, ankhe, आंख*, आँख*, dole, डोळे, ughad*, उघड*, "
                "khol*, खोल*, open*"
            ),
            terms("not, nahi, nahin, नहीं, नाही, wont, cant, doesnt, isnt, no, nhi, nai"),
        ),
    ),
    "stroke": (
        (
            terms(
                "face, chehra, chehre, muh, munh, mooh, mouth, lip, lips, चेहर*, मुंह*, मुँह*, तोंड*, tond*, eye, aankh, ankh"
            ),
            terms(
                "droop*, drop*, fallen, sag*, crooked, twisted, lopsided, uneven, tedha, tedhi, tedhe, tircha, "
                "tirchha, latak*, lataka, vakad*, wakad*, vakda, टेढ़*, टेढ*, तिरछ*, लटक*, वाकड*, one side, "
                "ek taraf, ek side, eka baju*, एक तरफ, एका बाजू*, khinch*, ओढल*, odhal*, odhla, kheench*"
            ),
        ),
        (
            terms(
                "arm, arms, hand, hands, leg, legs, side, haath, hath, haat, hat, pair, pay, paay, हाथ*, पैर*, हात*, "
                "पाय*, body, sharir, shareer, शरीर, ang, अंग"
            ),
            terms(
                "weak*, numb*, cant lift, cannot lift, cant move, no strength, kamzor*, kamjor*, कमजोर*, कमज़ोर*, "
                "ashakt*, अशक्त*, sunn*, सुन्न*, bedhi, baddh*, बधिर*, badhir*, uth nahi, utha nahi, उठ नहीं, "
                "उठा नहीं, uchalta yet nahi, उचलता येत नाही, halavta yet nahi, halvta yet nahi, हलवता येत नाही, hil nahi, हिल नहीं, halat nahi, हलत नाही, lull*, लुळ*, lul*, "
                "gone dead, dead, jaan nahi, जान नहीं, takat nahi, ताकत नहीं, taakat nahi, jor nahi, जोर नाही, "
                "zor nahi, bal nahi, बळ नाही"
            ),
            terms(
                "one, left, right, side, daya, baya, dayan, bayan, dahina, bayaan, dava, ujva, dawa, ujwa, दाया*, "
                "दायां, बाया*, बायां, दाहिन*, डावा, डावी, उजवा, उजवी, एक, ek, eka, एका, suddenly, achanak, अचानक, "
                "akasmat"
            ),
        ),
        (
            terms(
                "speech, speak*, talk*, words, bol*, boln*, awaaz, awaz, aavaz, zaban, zubaan, jaban, जुबान, ज़ुबान, "
                "बोल*, आवाज*, आवाज़*, tongue"
            ),
            terms(
                "slur*, garbl*, jumbl*, mumbl*, unclear, not clear, thick, drunk, ladkhada*, लड़खड़ा*, saaf nahi, "
                "saf nahi, साफ नहीं, adakh*, अडखळ*, atak*, अटक*, spasht nahi, स्पष्ट नाही, nahi aa rahe, nahi nikal, "
                "नहीं निकल, band, बंद, gone, lost"
            ),
        ),
        (
            terms("confus*, bhram*, भ्रम*, gadbad, गड़बड़, गोंधळ*, gondhal*, behki, बहकी*, ajeeb, अजीब, weird"),
            terms("sudden*, achanak, अचानक, akasmat, अकस्मात, ekdam, एकदम, suddenly"),
        ),
    ),
    "seizure": (
        (
            terms("fit, fits, फिट, daura, daure, दौरा, दौरे, jhatke, झटके"),
            terms(
                "aa, aaya, aayi, aaye, aa raha, aa rahe, aa rahi, ala, aala, aali, yet*, padla, padli, pad, pada, "
                "padi, pade, आ, आया, आई, आए, आला, आली, येत*, पड़*, पड*, having, had, rahe, raha, rahi, ho, hot, होत, "
                "हो, stop*, not, nahi, नहीं, नाही, ruk, thamb*, थांब*, रुक*, again, phir, fir, punha, पुन्हा, फिर"
            ),
        ),
        (
            terms(
                "shak*, trembl*, jerk*, stiff*, kanp*, kaanp*, काँप*, कांप*, अकड़*, अकड*, akad*, थरथर*, thar thar, "
                "tharthar*, ताठ*, taath*, तट*"
            ),
            terms(
                "whole body, body, pura sharir, poora sharir, sharir, sara badan, पूरा शरीर, शरीर*, अंग*, ang, "
                "badan, बदन, uncontroll*, eyes, aankh*, डोळे, dole, unconscious, behosh*, बेहोश*, बेशुद्ध*, "
                "beshudh*, froth*, jhaag, झाग, फेस, fes, foam*"
            ),
        ),
    ),
    "bleeding": (
        (BLOOD, HEAVY_FLOW),
        (BLOOD, NOT_STOPPING),
        (
            terms("bleed*, bleeding, khoon, khun, खून, रक्त*, rakt*"),
            terms("stop*, ruk*, थांब*, रुक*, band, बंद, thamb*"),
            terms("not, nahi, नहीं, नाही, wont, doesnt, isnt, cant, hasnt, na, ना, nhi, nahin, still, keeps"),
        ),
        (BLOOD, COUGH_VOMIT),
        (BLOOD, PREGNANT),
        (
            terms("bleed*, bleeding, spotting, khoon, khun, खून*, रक्त*, rakt*, rakth*"),
            terms("month* pregnant, mahine, mahina, mahinyachi, mahinyachya, weeks pregnant, महीने, महिन्या*"),
        ),
        (
            terms(
                "cut, kat gaya, kat gayi, kaat, stab*, chaku, chaaku, knife, glass, kaanch, kaach, काँच, कांच, "
                "चाकू*, सुरी*, suri, kapal*, kaapl*, कापल*"
            ),
            terms(
                "deep, gehra, gehri, गहर*, खोल, khol, lot, bahut, khup, खूप, बहुत, blood, khoon, खून, रक्त*, rakt*, "
                "artery, wrist, neck, gala, gardan, नस, nas"
            ),
        ),
    ),
    "allergy": (
        (ALLERGY_PART, SWELL),
        (THROAT, CLOSING),
        (
            ALLERGY,
            terms(
                "breath*, saans, sans, श्वास*, सांस*, swell*, sooj*, sujan, सूज*, throat, gala, गला, गळा, tongue, "
                "jeebh, जीभ, lips, honth, होंठ, ओठ, faint*, dizzy, chakkar, चक्कर, collaps*, hives, all over, "
                "poore badan, पूरे बदन, सर्व अंगावर, angavar, पित्त, pitta, gandhi, gaandh*, गांध*, chaka*, चकत्त*"
            ),
        ),
    ),
    "burns": (
        (BURN, SEVERE),
        (BURN, BIG_AREA),
        (FIRE_EVENT,),
        # A scald told by its cause: boiling oil, hot tea or an iron, and what it did to the skin.
        (
            terms(
                "boiling, hot oil, hot water, hot tea, hot milk, garam tel, garam paani, garam pani, garam chai, "
                "garam doodh, khaulta, khaulte, ukalta, ukalte, ukalat*, उकळ*, खौल*, गरम तेल, गरम पानी, गरम चाय, "
                "गरम दूध, kettle, steam, iron, tava, tawa, cooker"
            ),
            terms(
                "fell on, spilled, spilt, poured, gir gaya, gir gayi, gir gya, padla, padun, पडल*, पडून, गिर गया, "
                "गिर गई, skin peel*, peeling, blister*, chhale, chale, छाले, फोड*, phod*, red raw, came off"
            ),
        ),
    ),
    "injury": (
        (HEAD, INJURY),
        (ACCIDENT,),
        (
            ACCIDENT_HIT,
            terms(
                "hit, takkar, टक्कर, thok*, ठोक*, dhakka, धक्का, dhadak*, धडक*, ran over, knocked, maari, mari, "
                "mara, मारी, मारा, aapat*, आपट*, ulta, palat*, पलट*, ulat*, उलट*, gir, gira, giri, गिर*, padla, "
                "पडला"
            ),
        ),
        (FALL, HEIGHT),
        (LEGS, CANT_MOVE),
        # After a fall or a knock, signs of a head injury.
        (
            FALL + ACCIDENT + terms("hit his head, hit her head, hit my head, banged, knock*, sar pe, sir pe"),
            terms(
                "drowsy, sleepy, vomit*, ulti*, उल्टी*, उलटी*, confus*, not making sense, bleeding from ear, "
                "ear bleeding, kaan se khoon, कान से खून, कानातून रक्त, kanatun rakt, unconscious, fits"
            ),
        ),
    ),
    "poisoning": (
        (POISON, INGEST),
        (PILLS, MANY),
        # A small child who swallowed any medicine or household product.
        (CHILD, PILLS + POISON, INGEST),
        (
            terms("swallow*, swalow*, nigal*, निगल*, gil*, गिळ*"),
            terms(
                "coin, sikka, सिक्का, नाणे, nane, battery, cell, magnet, button, pin, keel, kil, khila, blade, "
                "glass, kanch, कांच, bone, haddi, kata, काटा"
            ),
        ),
    ),
    "bite": ((SNAKE, BITE), (DOG, BITE, BITE_BAD)),
    "drowning": (
        (DROWN,),
        (
            CHILD,
            terms(
                "bucket, tub, bathtub, tank, pool, well, river, pond, balti, baalti, kuan, kuwa, nadi, talab, "
                "बाल्टी*, टाकी*, टंकी*, कुएं*, कुआं*, नदी*, तालाब*, विहिर*, vihir*, tanki, taki, tankit, हौद*, haud*"
            ),
            FALL,
        ),
        (
            WATER,
            INTO_WATER,
            terms(
                "not breathing, unconscious, behosh, बेहोश, बेशुद्ध, beshudh*, saans nahi, breath*, saans, श्वास*, "
                "सांस*, drown*, doob*, dub*, बुड*, bud*, डूब*, nahi, नहीं, नाही"
            ),
        ),
    ),
    "child": (
        (CHILD, CHILD_DANGER),
        (RASH, NOT_FADING),
        (INFANT, FEVER),
        (
            CHILD,
            FEVER,
            terms(
                "fit, fits, seizur*, convuls*, jhatke, jhatka, झटक*, फिट, आकडी*, aakdi, akadi, daura, दौरा, rash, "
                "daure, दौरे, daane, दाने, पुरळ*, pural, stiff neck, neck stiff, gardan akad*, गर्दन अकड़*, मान ताठ*, man taath*, "
                "behosh*, बेहोश*, unconscious, drowsy, sust, सुस्त*, मलूल*"
            ),
        ),
    ),
    "abdominal": (
        (ABDOMEN, PAIN, SEVERE),
        (
            ABDOMEN,
            terms(
                "rolling, tadap*, tadp*, तड़प*, तडप*, तळमळ*, talmal*, cant stand, cant bear, unbearable, asahya, "
                "cant move, cant walk, cant sit, doubled over, bent over, excruciating, "
                "असह्य, sahan nahi, सहन नहीं, सहन होत नाही, sahan hot nahi, hard, rigid, kadak, कडक, sakht, सख्त"
            ),
        ),
        (PREGNANT, ABDOMEN, PAIN),
    ),
    "self_harm": (
        (
            terms(
                "live, living, alive, life, jeene, jine, jeena, jina, जीने, जीना, jeevan, जीवन, zindagi, jindagi, "
                "जिंदगी, ज़िंदगी, जगण्या*, जगाय*, jaganya*, jagnya*, jagay*, आयुष्य*, ayushya*"
            ),
            terms(
                "इच्छा नाही, ichha nahi, iccha nahi, इच्छा नहीं, man nahi, mann nahi, मन नहीं, नको, nako, dont want, "
                "no wish, no will, no point, no reason, arth nahi, अर्थ नाही, matlab nahi, मतलब नहीं, tired of, "
                "thak gaya, thak gayi, थक गया, थक गई, कंटाळा, kantala, fed up, bekar hai, बेकार है"
            ),
        ),
        (
            terms(
                "myself, my self, khud, khudko, apne aap, apneaap, swatah*, swatahla, swatala, swata, स्वतः*, स्वत*, "
                "खुद, ख़ुद, अपने आप, apni jaan, अपनी जान, jeev, jiv, जीव"
            ),
            terms(
                "kill*, end*, finish*, khatam, khatm, khtm, khatam kar*, maar*, mar d*, hurt*, harm*, cut*, sampav*, "
                "sampv*, sampa*, संपव*, संपव, खत्म, ख़त्म, मार*, dya*, द्या*, de d*, दे द*, देन*, dena, de du*"
            ),
        ),
        (
            terms(
                "die, died, dead, death, marna, marne, mar jau*, mar jaun*, maru, mrutyu, maut, मरना, मरने, मर जा*, "
                "मृत्यु*, मौत, मरण*, maran*, मराव*, marav*, मरायच*, marayach*, marun, मरून"
            ),
            terms(
                "want*, wanna, wish*, chaht*, chahiye, man kar*, mann kar*, ichha, iccha, इच्छा, चाह*, मन कर*, "
                "वाटत*, vatat*, watat*, thought*, thinking, soch*, सोच*, plan*, ready, going to, decided, tayyar, "
                "तैयार, ठरवल*, tharavl*, better off"
            ),
        ),
    ),
}

CLASSES = tuple(RULES)

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
# The message is about the past, a record or a routine visit.
HISTORY = terms(
    "medicine dose, dose change*, change the dose, change of dose, dosage, dose badal*, dawai badal*, "
    "medicine change, medicines change, "
    "last year, last month, last week, years ago, year ago, months ago, month ago, weeks ago, week ago, "
    "days ago, yrs ago, yr ago, in 199*, in 200*, in 201*, in 202*, since 201*, since 202*, history of, "
    "h o, past history, old case, old injury, follow up, followup, follow-up, folow up, follw up, "
    "review, check up, checkup, check-up, routine, report*, ecg report, discharge*, discharged, "
    "recovered, recovery, rehab*, physio*, refill, repeat prescription, prescription, renew*, "
    "certificate, insurance, claim, mediclaim, bill, previous, previously, earlier, once had, used to, "
    "survivor, pichle saal, pichhle saal, pichle mahine, pichhle mahine, saal pehle, sal pehle, "
    "saal pahle, mahine pehle, mahine pahle, purana, purani, pehle bhi, पिछले साल, पिछले महीने, "
    "साल पहले, महीने पहले, पुराना, पुरानी, रिपोर्ट*, फॉलो अप, फॉलोअप, चेकअप, चेक अप, गेल्या वर्षी, "
    "गेल्या महिन्यात, वर्षांपूर्वी, वर्षापूर्वी, महिन्यांपूर्वी, महिन्यापूर्वी, जुना, जुनी, "
    "gelya varshi, gelya mahinyat, varshapurvi, varshanpurvi, mahinyapurvi, juna, juni, kal raat, "
    "ho gaya tha, ho gayi thi, hua tha, hui thi, aaya tha, aayi thi, padla hota, jhala hota, zala hota, "
    "ala hota, aala hota, हुआ था, हुई थी, आया था, आई थी, झाला होता, झाली होती, आला होता, "
    "stopped yesterday, stopped last, stopped after, stopped now, was fine, fine now, ok now, okay now, "
    "better now, normal now, is fine, is ok, is okay, is better, is normal, are fine, theek hai, "
    "thik hai, theek hain, ठीक है, ठीक हैं, bara ahe, bara aahe, bari ahe, bari aahe, बरा आहे, बरी आहे, "
    "बरे आहेत, बरं आहे, now fine, now ok, now okay, now better, now normal, ab theek, ab thik, ab thick, "
    "ab normal, ab accha, ab achha, ab sahi, अब ठीक, आता बरं, आता बरा, आता बरी, ata bara, aata bara, "
    "ata bari, aata bari, ata thik, aata thik, bara zala, bara jhala, बरा झाला, बरी झाली, theek ho gaya, "
    "thik ho gaya, theek ho gayi, thik ho gayi, ठीक हो गया, ठीक हो गई, ठीक है अब, vaccine*, vaccination, "
    "injection course, dose schedule, rabies dose, anti rabies, antirabies, arv, tetanus, tt injection, "
    "stitches removal, dressing, tanka, take khol, टांके, medicine finished, medicines finished, "
    "ran out, run out, dawai khatam, dawa khatam, davai khatam, goli khatam, goliyan khatam, दवाई खत्म, "
    "दवा खत्म, दवाई ख़त्म, गोली खत्म, गोळ्या संपल*, golya sampal*, aushadh sampal*, औषध संपल*, "
    "गोळ्या संपल्या, नवीन प्रिस्क्रिप्शन"
)
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

# Patients on WhatsApp shout, stretch and misspell. Words short enough that a typo makes
# another word ("sir", "dam", "pet") are matched exactly.
_STRETCHED = re.compile(r"(.)\1\1+")
_DOUBLED = re.compile(r"(.)\1*")
_DOUBLE_VOWEL = re.compile(r"([aeiou])\1+")
_ALL_DOUBLES = re.compile(r"(.)\1+")


def _squeeze(word: str) -> str:
    """A letter held down ("saaaans", "pleeeease") counts twice: "saans" and "sans" are both
    lexicon words, but "pool" must not become "pol" (Marathi for a burn) nor "feel" "fell"."""
    return _STRETCHED.sub(r"\1\1", word)


def normalize(text: str) -> list[str]:
    """The message as a list of lower-case words: punctuation and emoji are spaces, apostrophes
    vanish ("can't" → "cant"), Devanagari nukta and chandrabindu are folded, a bounded prefix."""
    text = unicodedata.normalize("NFKC", (text or "")[:MAX_CHARS]).lower()
    text = text.replace("\u093c", "").replace("\u0901", "\u0902").replace("\u200d", "").replace("\u200c", "")
    text = text.replace("'", "").replace("’", "").replace("`", "")
    kept = []
    for ch in text:
        category = unicodedata.category(ch)
        if category[0] == "M" and not "\u0900" <= ch <= "\u097f":
            continue  # an emoji's variation selector or a stray accent; Devanagari signs belong to the word
        kept.append(" " if category[0] in "PSZC" else ch)
    return "".join(kept).split()


@dataclass(frozen=True)
class _Term:
    """One lexicon entry: a sequence of words, each exact or a stem (trailing "*")."""

    words: tuple[tuple[str, int], ...]  # (squeezed word, WORD, STEM or STRICT)


# How a lexicon word matches: a word (with English endings and typos), a stem ("breath*":
# any word it begins), or strictly itself ("=burn": "burning" is a sensation, not a burn).
# Framing words ("ago", "report", "now") are PLAIN: endings but no typos, so that "attack" is
# never read as "attach" (Marathi "now").
WORD, STEM, STRICT, PLAIN = 1, 2, 3, 4


def _lexicon_form(word: str) -> str:
    """A lexicon word with its doubled vowels once ("saans" → "sans", "aali" → "ali"): patients
    spell Hindi and Marathi either way, and a typed word may always hold a letter longer than
    the lexicon (see _stretched), never shorter. Short words keep theirs ("too" is not "to")."""
    word = _squeeze(word)
    if not word.isascii():
        return word
    single = _DOUBLE_VOWEL.sub(r"\1", word)
    return single if len(single) >= 3 else word


def _parse_entries(entries: tuple[str, ...], plain: int = 0) -> tuple[_Term, ...]:
    """Lexicon entries as terms; `plain` is the kind of a word without a mark (WORD or PLAIN)."""
    plain = plain or WORD
    terms = []
    for entry in entries:
        parts = []
        for word in entry.split():
            stem = word.endswith("*")
            strict = word.startswith("=")
            cleaned = normalize(word.strip("*="))
            for index, piece in enumerate(cleaned):
                kind = STEM if stem and index == len(cleaned) - 1 else STRICT if strict else plain
                parts.append((_lexicon_form(piece), kind))
        if parts:
            terms.append(_Term(tuple(parts)))
    return tuple(terms)


# Endings that keep an English word's meaning ("pains", "bleeding", "fainted").
ENDINGS = terms("s, es, ed, d, ing, ly, y")


def _fuzzy_limit(word: str) -> int:
    """Typos forgiven: none in short words ("sir", "dam", "pet": one edit makes another word)."""
    if not word.isascii():
        return 0 if len(word) < 5 else 1
    if len(word) <= 5:
        return 0
    return 1 if len(word) <= 8 else 2


def _word_matches(typed: str, wanted: str, kind: int) -> bool:
    """Both squeezed. Every way of matching keeps the first letter."""
    if typed == wanted or _stretched(typed, wanted, kind):
        return True
    if kind == STRICT:
        return False
    if len(wanted) >= 3:
        # English endings ("pains", "fainted", "bleeds"); Hindi and Marathi ones ("नाहीत", "छातीत").
        if not wanted.isascii():
            if kind != STEM and typed.startswith(wanted) and len(typed) - len(wanted) <= 3:
                return True
        elif kind != STEM and any(
            typed.endswith(ending) and _stretched(typed[: -len(ending)], wanted, WORD) for ending in ENDINGS
        ):
            return True
    if kind == PLAIN:
        return False
    # Typos, counted as typed and on single letters: "kitakanshhak" is one swap from
    # "kitaknashak*", "pestiide" one letter short of "pesticid*".
    forms = {(typed, wanted)}
    if wanted.isascii():
        forms.add((_ALL_DOUBLES.sub(r"\1", typed), _ALL_DOUBLES.sub(r"\1", wanted)))
    return any(_typo_of(t, w, kind, long_word=len(typed) >= 8) for t, w in forms)


def _typo_of(typed: str, wanted: str, kind: int, *, long_word: bool) -> bool:
    if kind == STEM:
        # A long stem forgives one typo in its letters ("seizer" for "seizur*", "बेशुध्द" for "बेशुद्ध*");
        # a short stem only in a long word: "tihgtness" is "tight*", but "pointing" is not "pain*".
        shortest = (5 if long_word else 6) if wanted.isascii() else 5
        if len(wanted) < shortest or len(typed) < len(wanted) - 1:
            return False
        return any(edit_distance(typed[:n], wanted, 1) <= 1 for n in (len(wanted) - 1, len(wanted), len(wanted) + 1))
    limit = _fuzzy_limit(wanted)
    return bool(limit) and edit_distance(typed, wanted, limit) <= limit


@functools.lru_cache(maxsize=65536)
def _runs(word: str) -> tuple[tuple[str, int], ...]:
    """ "saans" → (s, 1), (a, 2), (n, 1), (s, 1)."""
    return tuple((match.group(1), len(match.group(0))) for match in _DOUBLED.finditer(word))


def _stretched(typed: str, wanted: str, kind: int) -> bool:
    """Is `typed` the lexicon word with some letters typed twice ("nnahi", "hoshh", "ppain")?
    Every letter must be held at least as long as in the lexicon: "pool" is not "poll" (Marathi
    for a burn), "feel" is not "fell"."""
    if kind == STRICT:
        return False
    have, want = _runs(typed), _runs(wanted)
    if len(have) < len(want) or (kind != STEM and len(have) != len(want)):
        return False
    return all(h[0] == w[0] and h[1] >= w[1] for h, w in zip(have, want, strict=False))


class _Lexicon:
    """Every concept parsed once, on first use (no work at import time), with the lexicon's
    words bucketed by first letter: every way of matching keeps the first letter."""

    def __init__(self) -> None:
        self.strong = {name: _parse_entries(entries) for name, entries in STRONG.items()}
        self.rules = {
            name: [tuple(_parse_entries(concept) for concept in rule) for rule in rules]
            for name, rules in RULES.items()
        }
        self.negation_before = _parse_entries(NEGATION_BEFORE, PLAIN)
        self.negation_after = _parse_entries(NEGATION_AFTER, PLAIN)
        self.framing = {name: _parse_entries(entries, PLAIN) for name, entries in FRAMING.items()}
        self.now = _parse_entries(NOW, PLAIN)
        self.laughing = _parse_entries(LAUGHING, PLAIN)
        self.request = _parse_entries(REQUEST, PLAIN)
        every = [
            *self.strong.values(),
            *(concept for rules in self.rules.values() for rule in rules for concept in rule),
            self.negation_before,
            self.negation_after,
            *self.framing.values(),
            self.now,
            self.laughing,
            self.request,
        ]
        vocabulary = {part for terms in every for term in terms for part in term.words}
        vocabulary |= {(_lexicon_form(word), STRICT) for word in FILLER}  # glue only
        self.buckets: dict[str, list[tuple[str, int]]] = {}
        for word, stem in vocabulary:
            self.buckets.setdefault(word[:1], []).append((word, stem))
        self._cache: dict[str, frozenset[tuple[str, int]]] = {}

    def meanings(self, typed: str) -> frozenset[tuple[str, int]]:
        """The lexicon words this typed (squeezed) word matches; remembered, words recur."""
        found = self._cache.get(typed)
        if found is None:
            found = frozenset(item for item in self.buckets.get(typed[:1], ()) if _word_matches(typed, *item))
            if len(self._cache) < 50_000:
                self._cache[typed] = found
        return found


_LEXICON: _Lexicon | None = None


def _lexicon() -> _Lexicon:
    global _LEXICON
    if _LEXICON is None:
        _LEXICON = _Lexicon()
    return _LEXICON


class _Text:
    """A message's words and what each one may mean."""

    def __init__(self, words: list[str], lexicon: _Lexicon) -> None:
        self.words = words
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
    message = _Text(_words(text, lexicon), lexicon)
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
    # "now he is fine": a "now" just before what says it is over does not make it current.
    history = [(max(0, a - 2), b) for a, b in message.find(lexicon.framing["history"], gap=0)]
    for name, framed in (("hypothetical", hypothetical), ("history", history)):
        if framed and not _says_now(message, framed, lexicon):
            return name
    return ""


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


# --- language: the reply goes out in the patient's own ------------------------------------

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


# --- the emergency reply -------------------------------------------------------------------

AMBULANCE = "108"
# Tele-MANAS, India's free 24x7 mental-health helpline.
MENTAL_HEALTH_HELPLINE = "14416"

_EMERGENCY = {
    EN: "🚨 This sounds like an emergency. Please call *{number}* now{ambulance}, or go to the nearest "
    "hospital emergency. Please don't wait for a reply here.\n\nI have alerted {doctor} as well.",
    HINGLISH: "🚨 Yeh emergency lag rahi hai. Abhi *{number}* par call karein{ambulance}, ya sabse paas ke "
    "hospital ki emergency mein jaayein. Yahan jawab ka intezaar mat kijiye.\n\n{doctor} ko bhi bata diya hai.",
    HI: "🚨 यह इमरजेंसी लग रही है। अभी *{number}* पर कॉल करें{ambulance}, या नज़दीकी अस्पताल की इमरजेंसी में "
    "जाएँ। यहाँ जवाब का इंतज़ार न करें।\n\n{doctor} को भी सूचना दे दी है।",
    MR: "🚨 ही आपत्कालीन (इमर्जन्सी) स्थिती वाटते. आत्ताच *{number}* वर कॉल करा{ambulance}, किंवा जवळच्या "
    "हॉस्पिटलच्या इमर्जन्सीमध्ये जा. इथे उत्तराची वाट पाहू नका.\n\n{doctor} यांनाही कळवले आहे.",
    MR_ROMAN: "🚨 Hi emergency vatte. Aattach *{number}* var call kara{ambulance}, kinva javalchya hospital "
    "chya emergency madhye ja. Ithe uttarachi vaat pahu naka.\n\n{doctor} yanna pan kalavla aahe.",
}
_SELF_HARM = {
    EN: "🚨 I'm so sorry you are going through this. You are not alone.\nPlease call *{number}* now{ambulance}, "
    "or Tele-MANAS on *{helpline}* (free, 24x7) to talk to a counsellor right away.\n\nI have alerted {doctor} as well.",
    HINGLISH: "🚨 Mujhe bahut afsos hai ki aap is takleef se guzar rahe hain. Aap akele nahi hain.\nAbhi "
    "*{number}* par call karein{ambulance}, ya Tele-MANAS *{helpline}* (muft, 24x7) par turant counsellor se "
    "baat karein.\n\n{doctor} ko bhi bata diya hai.",
    HI: "🚨 मुझे बहुत दुख है कि आप इस तकलीफ़ से गुज़र रहे हैं। आप अकेले नहीं हैं।\nअभी *{number}* पर कॉल "
    "करें{ambulance}, या टेली-मानस *{helpline}* (मुफ़्त, 24x7) पर तुरंत काउंसलर से बात करें।\n\n{doctor} को "
    "भी सूचना दे दी है।",
    MR: "🚨 तुम्ही या त्रासातून जात आहात याचं मला खूप वाईट वाटतं. तुम्ही एकटे नाही.\nआत्ताच *{number}* वर कॉल "
    "करा{ambulance}, किंवा टेली-मानस *{helpline}* (मोफत, 24x7) वर लगेच समुपदेशकाशी बोला.\n\n{doctor} "
    "यांनाही कळवले आहे.",
    MR_ROMAN: "🚨 Tumhi ya trasatun jaat aahat yacha mala khup vaait vatta. Tumhi ekte nahi.\nAattach "
    "*{number}* var call kara{ambulance}, kinva Tele-MANAS *{helpline}* (mofat, 24x7) var lagech counsellor shi "
    "bola.\n\n{doctor} yanna pan kalavla aahe.",
}
_AMBULANCE = {
    EN: " (ambulance *{ambulance}*)",
    HINGLISH: " (ambulance *{ambulance}*)",
    HI: " (एम्बुलेंस *{ambulance}*)",
    MR: " (रुग्णवाहिका *{ambulance}*)",
    MR_ROMAN: " (ambulance *{ambulance}*)",
}


def emergency_text(*, result: Triage, number: str, doctor: str) -> str:
    """The emergency reply in the patient's language: the number first; a helpline for self-harm."""
    number = number or "112"
    ambulance = "" if number == AMBULANCE else _AMBULANCE[result.language].format(ambulance=AMBULANCE)
    template = (_SELF_HARM if result.self_harm else _EMERGENCY)[result.language]
    return template.format(number=number, ambulance=ambulance, helpline=MENTAL_HEALTH_HELPLINE, doctor=doctor)
