"""The words that are an emergency on their own ("unconscious", "बेशुद्ध"), per class."""

from .words import SELF_HARM, terms

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
