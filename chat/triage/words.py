"""The concept tables: what a word means, in every language and spelling the patients use."""

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
