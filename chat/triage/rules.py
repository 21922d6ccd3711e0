"""The red-flag classes: the concepts that fire a class when they meet (RULES)."""

from .words import (
    ABDOMEN,
    ACCIDENT,
    ACCIDENT_HIT,
    ALLERGY,
    ALLERGY_PART,
    BIG_AREA,
    BITE,
    BITE_BAD,
    BLOOD,
    BREATH,
    BURN,
    CANT_MOVE,
    CHEST,
    CHILD,
    CHILD_DANGER,
    CLOSING,
    COUGH_VOMIT,
    DOG,
    DROWN,
    FALL,
    FEVER,
    FIRE_EVENT,
    HEAD,
    HEAVY_FLOW,
    HEIGHT,
    INFANT,
    INGEST,
    INJURY,
    INTO_WATER,
    LEGS,
    MANY,
    NOT_FADING,
    NOT_STOPPING,
    PAIN,
    PILLS,
    POISON,
    PREGNANT,
    RASH,
    SEVERE,
    SNAKE,
    SWELL,
    THROAT,
    TROUBLE,
    WATER,
    terms,
)

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
