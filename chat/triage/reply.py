"""The emergency reply, in the patient's language."""

from .classify import Triage
from .language import EN, HI, HINGLISH, MR, MR_ROMAN

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
