"""The booking conversation, played as patients play it: scripted dialogues through the signed
webhook at frozen times, each asserting the appointment rows at the end (not only the wording).

Clinic: booking.tests.chatting.make_clinic (Mon–Sat 10–13 and 17–20, Sunday off, 15-minute
slots, an hour's notice, no changes within two hours, at most two upcoming visits).

A step is typed text, or "tap:<id>" (a menu button), "row:<n>" (the n-th row of the last list),
"btn~<title>" (the button whose title contains it). `booked` is the patient's booked visits
afterwards in clinic time; `have` are theirs before, `others` are other patients' (to make a
time taken); `says` must appear in the bot's answer to the last step.
"""

import datetime as dt
import re
from dataclasses import dataclass

import pytest
import time_machine

from booking import flow
from booking.tests.chatting import SECRET, SignedPhone, booked_starts, make_clinic
from booking.tests.factories import make_appointment, make_patient

WED = "2026-11-25 10:00"  # Wednesday morning
WED_NIGHT = "2026-11-25 22:00"  # after the evening has ended
SAT_EVENING = "2026-11-28 19:30"  # tomorrow is a Sunday (closed)
SUNDAY = "2026-11-29 11:00"  # the clinic is closed today
AFTER_MIDNIGHT = "2026-11-26 00:20"  # Thursday, just after midnight in India
MONTH_END = "2026-11-30 18:00"  # Monday; tomorrow is 1 December

CONFIRMATION = re.compile(
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) \d{1,2} [A-Z][a-z]{2} \d{4} at \d{1,2}:\d\d [AP]M"
)


@dataclass(frozen=True)
class Dialogue:
    name: str
    steps: tuple[str, ...]
    booked: tuple[str, ...]
    at: str = WED
    have: tuple[str, ...] = ()
    others: tuple[str, ...] = ()
    says: str = ""


def d(name, steps, booked=(), **kw) -> Dialogue:
    return Dialogue(name, tuple(steps), tuple(booked), **kw)


THU, FRI, SAT, MON = "2026-11-26", "2026-11-27", "2026-11-28", "2026-11-30"

DIALOGUES = [
    # --- a typed time after a day's list means that day (the four wrong-day cases and kin) ---
    d("10:30 theek hai after Friday morning", ["tap:book", "friday morning", "10:30 theek hai"], [f"{FRI} 10:30"]),
    d("ok 12:30 is fine after Friday morning", ["tap:book", "friday morning", "ok 12:30 is fine"], [f"{FRI} 12:30"]),
    d("6pm after Friday evening", ["tap:book", "friday evening", "6pm"], [f"{FRI} 18:00"]),
    d("11:30 after Friday", ["tap:book", "friday", "11:30"], [f"{FRI} 11:30"]),
    d("7 baje after Saturday evening", ["book appointment", "saturday evening", "7 baje"], [f"{SAT} 19:00"]),
    d("5:15 wala after kal", ["tap:book", "kal", "5:15 wala"], [f"{THU} 17:15"]),
    d("6:30 after parso shaam", ["tap:book", "parso shaam", "6:30"], [f"{FRI} 18:30"]),
    d("12 after Monday", ["tap:book", "monday", "12"], [f"{MON} 12:00"]),
    d("10:45 chalega after shukravar", ["tap:book", "shukravar", "10:45 chalega"], [f"{FRI} 10:45"]),
    d("dotted 10.30 after tomorrow", ["tap:book", "tomorrow", "10.30"], [f"{THU} 10:30"]),
    d("1130 after Saturday", ["tap:book", "saturday", "1130"], [f"{SAT} 11:30"]),
    d("715pm after Saturday", ["tap:book", "saturday", "715pm"], [f"{SAT} 19:15"]),
    d("7 15 pm after Saturday", ["tap:book", "saturday", "7 15 pm"], [f"{SAT} 19:15"]),
    d("a part of day after a day: that day's evening", ["tap:book", "friday", "evening"], [], says="Friday evening"),
    d("the evening's list then a time", ["tap:book", "friday", "evening", "7pm"], [f"{FRI} 19:00"]),
    d("typed time, second list of the day", ["tap:book", "saturday morning", "maybe around 11?"], [f"{SAT} 11:00"]),
    d("is 12 ok? after Friday", ["tap:book", "friday", "is 12 ok?"], [f"{FRI} 12:00"]),
    d("a question about fees keeps the day", ["tap:book", "friday morning", "fees kitni hai?", "10:30"], [f"{FRI} 10:30"]),
    d("a listed day, then tap a row", ["tap:book", "friday morning", "row:1"], [f"{FRI} 10:00"]),
    d("the first one picks the first row", ["tap:book", "friday morning", "the first one"], [f"{FRI} 10:00"]),
    d("pehla wala picks the first row", ["tap:book", "saturday evening", "pehla wala"], [f"{SAT} 17:00"]),
    d("last one picks the last row", ["tap:book", "friday evening", "last one"], [f"{FRI} 19:45"]),
    # --- after a refusal: the refused day and time stay under discussion ----------------------
    d("a time after a taken time keeps the day", ["tomorrow 11am", "11:15"], [f"{THU} 11:15"], others=(f"{THU} 11:00",)),
    d("a day after a taken time keeps the time", ["tomorrow 11am", "friday"], [f"{FRI} 11:00"], others=(f"{THU} 11:00",)),
    d("same time on another day", ["tomorrow 11am", "same time friday"], [f"{FRI} 11:00"], others=(f"{THU} 11:00",)),
    d("an hour later", ["tomorrow 11am", "an hour later"], [f"{THU} 12:00"], others=(f"{THU} 11:00",)),
    d("half an hour earlier", ["tomorrow 11am", "half an hour earlier"], [f"{THU} 10:30"], others=(f"{THU} 11:00",)),
    d("lunch break refused, then 5pm", ["tomorrow 3pm", "5pm"], [f"{THU} 17:00"], says="Confirmed"),
    d("lunch break refused, then a day closed then", ["tomorrow 3pm", "friday"], [], says="Free times on Friday"),
    d("Sunday refused, then Monday keeps 11", ["sunday 11am", "monday"], [f"{MON} 11:00"]),
    d("kal 3 baje is the break, then 5 baje", ["kal 3 baje", "5 baje"], [f"{THU} 17:00"]),
    d("too soon today, then 11:30", ["today 10:30", "11:30"], ["2026-11-25 11:30"]),
    d("refused, then the nearest row", ["tomorrow 11am", "row:1"], [f"{THU} 10:15"], others=(f"{THU} 11:00",)),
    # --- a time with no day and none in context is offered, never booked ----------------------
    d("6pm alone is offered on days", ["6pm"], [], says="Which day"),
    d("6pm alone, then the first day", ["6pm", "row:1"], ["2026-11-25 18:00"]),
    d("6pm alone, then Friday", ["6pm", "friday"], [f"{FRI} 18:00"]),
    d("11:30 alone after it passed on Saturday", ["11:30"], [], at=SAT_EVENING, says="Which day"),
    d("11:30 alone on Saturday night, then a row", ["11:30", "row:1"], [f"{MON} 11:30"], at=SAT_EVENING),
    d("a time not on the first offer", ["tap:book", "10:30"], [], says="Which day"),
    d("a time on the first offer once", ["tap:book", "11:15"], ["2026-11-25 11:15"]),
    d("a time on the first offer twice", ["tap:book", "12:00"], [], says="Which day"),
    d("10am just after midnight", ["10am"], [], at=AFTER_MIDNIGHT, says="Which day"),
    d("10am just after midnight, first row", ["10am", "row:1"], [f"{THU} 10:00"], at=AFTER_MIDNIGHT),
    d("evening alone is this evening's list", ["evening"], [], says="this evening"),
    d("evening after it ended is tomorrow's", ["evening", "6pm"], [f"{THU} 18:00"], at=WED_NIGHT),
    d("10:30 theek hai alone", ["10:30 theek hai"], [], says="Which day"),
    # --- reschedule in one message --------------------------------------------------------------
    d("reschedule to friday 6pm", ["reschedule to friday 6pm"], [f"{FRI} 18:00"], have=(f"{THU} 11:00",)),
    d("kal ki jagah parso 11 baje", ["kal ki jagah parso 11 baje"], [f"{FRI} 11:00"], have=(f"{THU} 11:00",)),
    d("reschedule button then a day and time", ["tap:my_appointments", "btn~Reschedule", "friday 6pm"],
      [f"{FRI} 18:00"], have=(f"{THU} 11:00",)),
    d("reschedule button then a time: the same day", ["tap:my_appointments", "btn~Reschedule", "6pm"],
      [f"{THU} 18:00"], have=(f"{THU} 11:00",)),
    d("when can I come instead", ["ok, when can I come instead?", "saturday 10am"], [f"{SAT} 10:00"],
      have=(f"{THU} 11:00",)),
    d("can't come tomorrow, then Monday", ["I can't come tomorrow", "monday 5pm"], [f"{MON} 17:00"],
      have=(f"{THU} 11:00",)),
    d("reschedule, a day, a time", ["reschedule", "friday", "10:30"], [f"{FRI} 10:30"], have=(f"{THU} 11:00",)),
    d("reschedule to a taken time, then a time", ["reschedule to friday 6pm", "6:15"], [f"{FRI} 18:15"],
      have=(f"{THU} 11:00",), others=(f"{FRI} 18:00",)),
    d("move to Saturday evening, then 7pm", ["move my appointment to saturday evening", "7pm"], [f"{SAT} 19:00"],
      have=(f"{THU} 11:00",)),
    d("from thursday to friday 11am", ["shift my appointment from thursday to friday 11am"], [f"{FRI} 11:00"],
      have=(f"{THU} 11:00",)),
    d("monday 10am instead of thursday", ["monday 10am instead of thursday"], [f"{MON} 10:00"],
      have=(f"{THU} 11:00",)),
    d("reschedule to a closed Sunday keeps it", ["reschedule to sunday 11am"], [f"{THU} 11:00"],
      have=(f"{THU} 11:00",), says="closed"),
    d("reschedule kar do, parso shaam 6 baje", ["reschedule kar do, parso shaam 6 baje"], [f"{FRI} 18:00"],
      have=(f"{THU} 11:00",)),
    d("two appointments: which one first", ["reschedule to friday 6pm"], [f"{THU} 11:00", f"{SAT} 10:00"],
      have=(f"{THU} 11:00", f"{SAT} 10:00"), says="Which appointment"),
    d("postpone to monday 11am", ["postpone to monday 11am"], [f"{MON} 11:00"], have=(f"{THU} 11:00",)),
    d("reschedule Marathi: udya aivaji parva 11 vajta", ["udya aivaji parva 11 vajta"], [f"{FRI} 11:00"],
      have=(f"{THU} 11:00",)),
    d("one hour later while moving", ["reschedule", "one hour later"], [f"{THU} 12:00"], have=(f"{THU} 11:00",)),
    # --- cancel with one yes (and keep with one no), in three languages --------------------------
    *[
        d(f"cancel, then {yes!r}", ["cancel my appointment", yes], [], have=(f"{THU} 11:00",))
        for yes in ("haan", "haan ji", "ha", "ho", "theek hai", "ok", "yes please", "haan cancel kar do", "हाँ", "हो")
    ],
    *[
        d(f"cancel, then {no!r}", ["cancel my appointment", no], [f"{THU} 11:00"], have=(f"{THU} 11:00",))
        for no in ("nahi", "rehne do", "no thanks", "nako", "नहीं", "no")
    ],
    d("two to cancel: a list, a row, a yes", ["cancel my appointment", "row:2", "haan"], [f"{THU} 11:00"],
      have=(f"{THU} 11:00", f"{SAT} 10:00")),
    d("appointment cancel karna hai", ["appointment cancel karna hai", "yes"], [], have=(f"{THU} 11:00",)),
    d("Marathi: radd karo, ho", ["maza appointment radd kara", "ho"], [], have=(f"{THU} 11:00",)),
    d("nothing to cancel", ["cancel my appointment"], [], says="no upcoming appointments"),
    d("too late to cancel", ["cancel my appointment"], ["2026-11-25 11:00"], have=("2026-11-25 11:00",),
      says="too late"),
    d("a question inside the cancel question", ["cancel my appointment", "what are the fees?", "haan"], [],
      have=(f"{THU} 11:00",)),
    # --- their appointment's time ---------------------------------------------------------------
    d("kitne baje aana hai kal?", ["kitne baje aana hai kal?"], [f"{THU} 11:00"], have=(f"{THU} 11:00",),
      says="Thursday 26 Nov 2026 at 11:00 AM"),
    d("what time is my appointment", ["what time is my appointment"], [f"{THU} 11:00"], have=(f"{THU} 11:00",),
      says="11:00 AM"),
    d("none tomorrow, the next one shown", ["kitne baje aana hai kal?"], [f"{FRI} 11:00"], have=(f"{FRI} 11:00",),
      says="no appointment tomorrow"),
    d("Marathi: udya kiti vajta yayche?", ["udya kiti vajta yayche?"], [f"{THU} 17:00"], have=(f"{THU} 17:00",),
      says="5:00 PM"),
    d("no appointment at all", ["when is my appointment?"], [], says="no upcoming appointments"),
    d("what time, during a booking", ["tap:book", "what time is my appointment?"], [f"{FRI} 11:00"],
      have=(f"{FRI} 11:00",), says="Friday 27 Nov 2026 at 11:00 AM"),
    # --- questions in the middle of a booking are answered, the booking waits -------------------
    d("fees mid-booking", ["tap:book", "what are the fees?", "tomorrow 11am"], [f"{THU} 11:00"]),
    d("sugar test mid-booking", ["tap:book", "sugar test karwana hai", "kal 11 baje"], [f"{THU} 11:00"]),
    d("timings mid-booking", ["tap:book", "timings?", "friday 10am"], [f"{FRI} 10:00"]),
    d("address mid-booking", ["tap:book", "address?", "saturday 11am"], [f"{SAT} 11:00"]),
    d("talk to doctor mid-booking", ["tap:book", "talk to doctor"], [], says="let Dr. Meera Joshi know"),
    d("for my mother, then a time", ["tap:book", "for my mother", "friday 11am"], [f"{FRI} 11:00"]),
    # --- Hindi and Marathi, Devanagari and Roman ----------------------------------------------
    d("कल शाम 5 बजे", ["कल शाम 5 बजे"], [f"{THU} 17:00"]),
    d("परसों सुबह 11 बजे", ["परसों सुबह 11 बजे"], [f"{FRI} 11:00"]),
    d("उद्या सकाळी 11 वाजता", ["उद्या सकाळी 11 वाजता"], [f"{THU} 11:00"]),
    d("udya sandhyakali 6 vajta", ["udya sandhyakali 6 vajta"], [f"{THU} 18:00"]),
    d("parva sakali 10 vajta", ["parva sakali 10 vajta"], [f"{FRI} 10:00"]),
    d("शुक्रवार, then 10:30", ["शुक्रवार", "10:30"], [f"{FRI} 10:30"]),
    d("shanivar sakali 11", ["shanivar sakali 11"], [f"{SAT} 11:00"]),
    d("27 tarikh ko 11 baje", ["27 tarikh ko 11 baje"], [f"{FRI} 11:00"]),
    d("सोमवार, then ५ बजे", ["tap:book", "सोमवार", "५ बजे"], [f"{MON} 17:00"]),
    d("mala udya appointment pahije, 11 vajta", ["mala udya appointment pahije", "11 vajta"], [f"{THU} 11:00"]),
    d("kal shaam 5 baje", ["kal shaam 5 baje"], [f"{THU} 17:00"]),
    # --- weekdays, midnight, month end, typos ---------------------------------------------------
    d("kal on a Saturday evening is a closed Sunday", ["kal 11 baje"], [], at=SAT_EVENING, says="closed"),
    d("... then Monday keeps 11", ["kal 11 baje", "monday"], [f"{MON} 11:00"], at=SAT_EVENING),
    d("on a Sunday, tomorrow 10:30", ["tomorrow 10:30"], [f"{MON} 10:30"], at=SUNDAY),
    d("on a Sunday, today is closed", ["today 5pm"], [], at=SUNDAY, says="closed"),
    d("just after midnight, today 11am", ["today 11am"], [f"{THU} 11:00"], at=AFTER_MIDNIGHT),
    d("just after midnight, tomorrow 11am", ["tomorrow 11am"], [f"{FRI} 11:00"], at=AFTER_MIDNIGHT),
    d("month end, tomorrow 11am", ["tomorrow 11am"], ["2026-12-01 11:00"], at=MONTH_END),
    d("month end, 1st december 5pm", ["1st december 5pm"], ["2026-12-01 17:00"], at=MONTH_END),
    d("month end, dotted 2.12 at 11", ["2.12 at 11"], ["2026-12-02 11:00"], at=MONTH_END),
    d("month end, 1/12 then 10:30", ["tap:book", "1/12", "10:30"], ["2026-12-01 10:30"], at=MONTH_END),
    d("book tomorrow 3pm, then 5pm", ["book tomorrow 3pm", "5pm"], [f"{THU} 17:00"]),
    d("book for friday 11", ["book for friday 11"], [f"{FRI} 11:00"]),
    d("tmrw 11am", ["tmrw 11am"], [f"{THU} 11:00"]),
    d("tomorow mornig 11", ["tomorow mornig 11"], [f"{THU} 11:00"]),
    d("fridy 11am", ["fridy 11am"], [f"{FRI} 11:00"]),
    d("satruday 10:30", ["satruday 10:30"], [f"{SAT} 10:30"]),
    d("30/11 at 11", ["30/11 at 11"], [f"{MON} 11:00"]),
    d("medicine words book nothing", ["twice daily for 5 days"], []),
    d("dosage words book nothing", ["2 tablets after lunch"], []),
    d("hi, book, first row", ["hi", "tap:book", "row:1"], ["2026-11-25 11:00"]),
    d("two upcoming is the most", ["saturday 11am"], [f"{THU} 11:00", f"{FRI} 11:00"],
      have=(f"{THU} 11:00", f"{FRI} 11:00"), says="the most"),
    d("cancel leaves a booking", ["tap:book", "friday", "cancel"], [], says="booking cancelled"),
    d("already booked for that time", ["tomorrow 11am"], [f"{THU} 11:00"], have=(f"{THU} 11:00",),
      says="already booked"),
]  # fmt: skip


@pytest.fixture
def clinic(db, settings):
    settings.WHATSAPP_APP_SECRET = SECRET
    settings.LLM_API_KEY = ""
    return make_clinic()


def play(clinic, dialogue: Dialogue) -> SignedPhone:
    tz = clinic.tz
    at = dt.datetime.strptime(dialogue.at, "%Y-%m-%d %H:%M").replace(tzinfo=tz)
    phone = SignedPhone(clinic)
    with time_machine.travel(at, tick=False):
        if dialogue.have:
            patient = make_patient(clinic, wa_id=phone.wa_id, name=phone.name)
            for start in dialogue.have:
                make_appointment(
                    clinic, dt.datetime.strptime(start, "%Y-%m-%d %H:%M").replace(tzinfo=tz), patient=patient
                )
        for start in dialogue.others:
            make_appointment(clinic, dt.datetime.strptime(start, "%Y-%m-%d %H:%M").replace(tzinfo=tz))
        for step in dialogue.steps:
            take_step(phone, step)
            for message in phone.last:
                if message.text.startswith(("Confirmed", "Done, your appointment is moved")):
                    assert CONFIRMATION.search(message.text), message.text  # weekday, date and time
    return phone


def take_step(phone: SignedPhone, step: str) -> None:
    if step.startswith("tap:"):
        phone.tap(step[4:])
    elif step.startswith("row:"):
        rows = phone.rows()
        assert rows, f"no list to pick row {step} from: {phone.text()!r}"
        row_id, title = rows[int(step[4:]) - 1]
        phone.tap(row_id, title, kind="list_reply")
    elif step.startswith("btn~"):
        [(button_id, title)] = [b for b in phone.buttons() if step[4:] in b[1]]
        phone.tap(button_id, title)
    else:
        phone.send(step)


@pytest.mark.parametrize("dialogue", DIALOGUES, ids=[dialogue.name for dialogue in DIALOGUES])
def test_dialogue(clinic, dialogue):
    phone = play(clinic, dialogue)
    assert booked_starts(clinic) == list(dialogue.booked), phone.text()
    if dialogue.says:
        assert dialogue.says in phone.text(), phone.text()


def test_the_table_covers_at_least_a_hundred_conversations():
    assert len(DIALOGUES) >= 100


def test_picking_a_row_by_words_books_what_that_row_says(clinic):
    """ "2nd", "option 3", "teesra" pick the row with that number from the list just shown."""
    for words, index in (("2nd", 1), ("option 3", 2), ("teesra wala", 2), ("second one please", 1)):
        phone = SignedPhone(clinic, wa_id=f"91982200{index}{len(words):03d}")
        with time_machine.travel(dt.datetime(2026, 11, 25, 10, tzinfo=clinic.tz), tick=False):
            phone.tap("book")
            phone.send("saturday evening")
            row_id, title = phone.rows()[index]
            phone.send(words)
        [start] = booked_starts(clinic, phone.wa_id)
        assert row_id.endswith(
            dt.datetime.strptime(start, "%Y-%m-%d %H:%M")
            .replace(tzinfo=clinic.tz)
            .astimezone(dt.UTC)
            .strftime("%Y-%m-%dT%H:%MZ")
        ), (words, title, start)


def test_the_context_is_saved_by_the_pipeline_with_what_was_shown(clinic):
    phone = SignedPhone(clinic)
    with time_machine.travel(dt.datetime(2026, 11, 25, 10, tzinfo=clinic.tz), tick=False):
        phone.tap("book")
        phone.send("friday morning")
    patient = phone.patient
    assert patient.conversation_state == flow.ASK_WHEN
    assert patient.conversation_data["day"] == FRI
    assert patient.conversation_data["part"] == "morning"
    assert len(patient.conversation_data["shown"]) == len(phone.rows())


def test_a_refusal_keeps_the_refused_time_and_why(clinic):
    phone = SignedPhone(clinic)
    with time_machine.travel(dt.datetime(2026, 11, 25, 10, tzinfo=clinic.tz), tick=False):
        phone.send("tomorrow 3pm")  # the lunch break
    data = phone.patient.conversation_data
    assert (data["day"], data["time"], data["refused"]) == (THU, "15:00", "closed")
