"""The booking conversation as a plain state machine: booking, cancelling and rescheduling in chat.

Each public function takes the patient (whose `conversation_state` / `conversation_data` are the
state and context going in) and the message already read (`when`, parsed once per message by
`read`), and returns a `Step`: the replies and the new state and context. Nothing here saves the
conversation; the pipeline writes it back with `update_fields` (the doctor's page writes other
fields of the same row at the same time). Booking, moving and cancelling go through
booking.services, the only writers of Appointment.

Why it is shaped this way:

* Context is an input to understanding. `conversation_data` keeps what the patient is looking
  at: the day (and part of day) whose times were just listed (`day`, `part`), the clock time
  under discussion (`time`: just refused, or offered on several days), the moment "same time" /
  "an hour later" refer to (`about`), the rows just shown (`shown`), the appointment being
  moved or cancelled. A typed "10:30" after "Free times on Friday" means Friday; "Friday" after
  "5 PM is taken today" means Friday at 5 PM when that is free.
* The invariant: nothing is booked or moved to a day the patient did not type, tap, or have in
  front of them as the day under discussion. A time with no day and no day in context is
  offered on the next days it is free, as rows to tap, never booked.
* Every button and list row carries what it acts on ("slot:<UTC start>", "move:<appt>:<UTC
  start>", "appt_cancel:<appt>" …), so a tap works with no state at all (yesterday's list). The
  services re-check everything, and appointment ids are looked up among the patient's own.
* An exact free time the patient named is booked at once and confirmed in one message naming
  weekday, date and time; cancelling is one tap away.
* A refusal says why in plain words and offers the nearest free times. After two messages the
  flow cannot read, the next free times and the way to a person are offered.
* A flow left idle for `IDLE_LIMIT` is forgotten: "5pm" written the next afternoon should not
  book a visit the patient stopped thinking about.
"""

import datetime as dt
import re
from dataclasses import dataclass

from booking import messages as say
from booking import offers
from booking.dates import When, parse_when
from booking.models import Appointment
from booking.services import appointment_book, appointment_cancel, appointment_reschedule
from booking.slots import Reason, check_start, opening_span
from clinicbot.replies import BOOK_BUTTON, MENU_BUTTONS, MY_APPOINTMENTS_BUTTON, TALK_BUTTON, Reply, Row, with_buttons
from clinicbot.text import normalize
from patients.models import Patient

STATE_PREFIX = "booking"
ASK_WHEN = "booking:when"  # booking a new visit: waiting for a day or time
ASK_NEW_TIME = "booking:reschedule"  # moving data["appointment"]: waiting for a day or time
CONFIRM_CANCEL = "booking:cancel"  # waiting for yes / no about cancelling data["appointment"]
STATES = (ASK_WHEN, ASK_NEW_TIME, CONFIRM_CANCEL)

# A flow nobody touched for this long is forgotten.
IDLE_LIMIT = dt.timedelta(hours=2)
# After this many messages the flow could not read, the next free times and a person are offered.
MISSES_BEFORE_HELP = 2

# Ids of buttons and rows this module owns (list rows are made in booking/offers.py).
APPT_CANCEL = "appt_cancel:"  # appt_cancel:<appointment>  ask to confirm cancelling it
APPT_RESCHEDULE = "appt_resched:"  # appt_resched:<appointment>  ask for its new time
CANCEL_YES = "cancel_yes:"  # cancel_yes:<appointment>  cancel it
CANCEL_NO = "cancel_no:"  # cancel_no:<appointment>  keep it
OWNED_PREFIXES = (offers.SLOT, offers.SAMPLE_SLOT, offers.MOVE, APPT_CANCEL, APPT_RESCHEDULE, CANCEL_YES, CANCEL_NO)
# Menu taps inside a flow end the flow and are routed by the bot as usual.
MENU_TAPS = {BOOK_BUTTON[0], MY_APPOINTMENTS_BUTTON[0]}

# Whole messages that leave the flow at any step ("menu" is handled by the bot before us).
LEAVE_WORDS = frozenset(
    {
        "cancel", "cancel it", "cancel booking", "cancel this", "stop", "exit", "quit", "leave it", "leave",
        "never mind", "nevermind", "no thanks", "not now", "rehne do", "rehne de", "rahne do", "rahne de",
        "chhodo", "chodo", "chhod do", "chod do", "nahi chahiye", "nahin chahiye", "band karo", "nako", "rahu de",
    }
)  # fmt: skip
# Yes and no as patients write them (English, Hinglish, Hindi, Marathi). A "no" word anywhere
# wins ("nahi cancel mat karo"); a yes needs a yes word and nothing but filler around it.
NO_WORDS = frozenset(
    {"no", "n", "nope", "nah", "keep", "dont", "nahi", "nahin", "nhi", "nai", "na", "mat", "rakho", "rehne", "rahne",
     "nako", "nakko", "naahi", "नहीं", "नही", "ना", "मत", "नको", "नाही", "रहने"}
)  # fmt: skip
YES_WORDS = frozenset(
    {"yes", "y", "yeah", "yea", "yep", "yup", "ya", "ok", "okay", "okk", "k", "sure", "confirm", "confirmed", "haan",
     "han", "ha", "haa", "hn", "hanji", "ho", "hoy", "ji", "theek", "thik", "tik", "bilkul", "zaroor", "jarur",
     "chalega", "done", "हाँ", "हां", "हा", "हो", "जी", "ठीक", "बिल्कुल", "चालेल", "challel", "chalel"}
)  # fmt: skip
YES_FILLER = frozenset(
    {"please", "pls", "plz", "cancel", "it", "kar", "karo", "kardo", "do", "de", "dijiye", "hai", "he", "h", "sir",
     "madam", "maam", "doctor", "go", "ahead", "sahi", "thanks", "thank", "you", "that", "one", "appointment", "ji",
     "करो", "कर", "दो", "है", "करा", "कॅन्सल", "रद्द", "kara", "radd"}
)  # fmt: skip
# "the first one", "2nd", "option 3", "pehla wala": a pick from the rows just shown.
_ORDINALS = {
    "first": 0, "1st": 0, "pehla": 0, "pehli": 0, "pahla": 0, "pahili": 0, "पहला": 0, "पहिला": 0,
    "second": 1, "2nd": 1, "dusra": 1, "doosra": 1, "dusri": 1, "dusara": 1, "दूसरा": 1, "दुसरा": 1,
    "third": 2, "3rd": 2, "teesra": 2, "tisra": 2, "tisri": 2, "teesri": 2, "तीसरा": 2, "तिसरा": 2,
    "fourth": 3, "4th": 3, "chautha": 3, "fifth": 4, "5th": 4, "sixth": 5, "6th": 5, "seventh": 6, "7th": 6,
    "eighth": 7, "8th": 7, "ninth": 8, "9th": 8, "tenth": 9, "10th": 9, "last": -1, "aakhri": -1, "akhri": -1,
}  # fmt: skip
_PICK_RE = re.compile(
    r"^(?:ok |okay |haan |yes )?(?:the )?(?:(?P<word>" + "|".join(_ORDINALS) + r")"
    r"|(?:option|number|no|slot|row) (?P<number>10|[1-9]))"
    r"(?: (?:one|wala|wali|waala|vala|option|slot|time|please|pls|ok|chalega|theek hai|is fine|book karo|book))*$"
)
# "kal ki jagah parso 11 baje", "shukravar aivaji somvar", "from friday to monday": only the new
# moment is read. "monday instead of friday" names the new one first.
_NEW_AFTER_RE = re.compile(
    r"\b(?:ki|ke|kee|ka)\s+(?:jagah|jagha|jageh|jaga|badle|badley|bajaye|bajay)\b|\bfrom\b.+?\bto\b"
    r"|(?:च्या\s*)?ऐवजी|\baivaji\b|\bevaji\b|की\s+जगह|के\s+बदले"
)
_INSTEAD_OF_RE = re.compile(r"\binstead\s+of\b")


@dataclass(frozen=True)
class Step:
    """What the flow did with one message: the replies (None when the message is not for the
    flow and the bot should answer it) and the conversation state and context after it."""

    replies: list[Reply] | None
    state: str
    data: dict


class _Talk:
    """The conversation being continued: a copy of the patient's state, changed here, returned in a Step."""

    def __init__(self, patient: Patient, now: dt.datetime):
        self.patient, self.doctor, self.now = patient, patient.doctor, now
        self.state, self.data = patient.conversation_state or "", dict(patient.conversation_data or {})
        self.today = now.astimezone(self.doctor.tz).date()

    def going_on(self) -> bool:
        return self.state.startswith(STATE_PREFIX) and not _expired(self.data, self.now)

    def ask(self, state: str, *, appointment: Appointment | None = None, misses: int = 0, **context) -> None:
        """Enter (or stay in) a state with what the patient now has in front of them; the start
        time is kept while the flow continues."""
        started = self.data.get("started") if self.going_on() else None
        self.state = state
        self.data = {"started": started or self.now.isoformat(), "updated": self.now.isoformat(), "misses": misses}
        if appointment is not None:
            self.data["appointment"] = appointment.pk
        self.data.update({key: value for key, value in context.items() if value not in (None, [], "")})

    def touch(self) -> None:
        self.data = {**self.data, "updated": self.now.isoformat()}

    def clear(self) -> None:
        self.state, self.data = "", {}

    def context_day(self) -> dt.date | None:
        return _date(self.data.get("day")) if self.going_on() else None

    def context_time(self) -> dt.time | None:
        return _time(self.data.get("time")) if self.going_on() else None

    def shown(self) -> list[dt.datetime]:
        if not self.going_on():
            return []
        starts = (_moment(value, self.doctor) for value in self.data.get("shown", []))
        return [start.astimezone(self.doctor.tz) for start in starts if start is not None]

    def done(self, replies: list[Reply] | None) -> Step:
        return Step(replies=replies, state=self.state, data=self.data)


# --------------------------------------------------------------------------------------------
# What the bot calls
# --------------------------------------------------------------------------------------------


def is_active(patient: Patient) -> bool:
    """A booking question is waiting for an answer (an expired one is cleared by `handle`)."""
    return (patient.conversation_state or "").startswith(STATE_PREFIX)


def owns_reply(reply_id: str) -> bool:
    """A tap on a button or list row this module made: `handle` acts on it even with no state."""
    return bool(reply_id) and reply_id.startswith(OWNED_PREFIXES)


def read(*, patient: Patient, text: str, now: dt.datetime) -> When | None:
    """The moment a typed message names, read once per message against what is under discussion
    ("same time", "an hour later" refer to `about`); for "kal ki jagah parso" only the new one."""
    if not text:
        return None
    doctor = patient.doctor
    about = None
    if is_active(patient) and not _expired(patient.conversation_data or {}, now):
        about = _moment(patient.conversation_data.get("about"), doctor)
    return parse_when(_new_moment_part(text), now=now, tz=doctor.tz, open_hours=opening_span(doctor), about=about)


def start(*, patient: Patient, now: dt.datetime, when: When | None = None) -> Step:
    """The patient asked to book ("Book appointment", "book tmrw 3pm", or just "kal shaam 5 baje")."""
    talk = _Talk(patient, now)
    if _upcoming(patient, now).count() >= patient.doctor.max_future_appointments:
        talk.clear()
        return talk.done([_too_many(talk)])
    if when is not None:
        talk.clear()  # a new request: nothing said before it is under discussion
        return talk.done(_answer_when(talk, when, appointment=None))
    return talk.done(_show(talk, offers.soonest(talk.doctor, now), appointment=None, lead=say.ASK_WHEN))


def handle(*, patient: Patient, text: str, reply_id: str, when: When | None, now: dt.datetime) -> Step:
    """Continue the flow with this message (replies None when it is not for the flow)."""
    talk = _Talk(patient, now)
    reply_id = reply_id or ""
    if owns_reply(reply_id):
        return talk.done(_tap(talk, reply_id))
    if not is_active(patient):
        return talk.done(None)
    if talk.state not in STATES or not talk.going_on() or reply_id in MENU_TAPS:
        talk.clear()
        return talk.done(None)

    said = normalize(text)
    answer = yes_or_no(said)
    if said in LEAVE_WORDS and not (talk.state == CONFIRM_CANCEL and answer):
        return talk.done(_leave(talk))
    appointment = None
    if talk.state in (ASK_NEW_TIME, CONFIRM_CANCEL):
        appointment = _own_appointment(patient, talk.data.get("appointment"))
        if appointment is None or appointment.status != Appointment.Status.BOOKED:
            talk.clear()  # cancelled or moved by the clinic meanwhile, say
            return talk.done([_not_found() if appointment is None else _no_longer_booked(appointment)])
    if talk.state == CONFIRM_CANCEL:
        if answer == "yes":
            return talk.done(_cancel(talk, appointment))
        if answer == "no":
            return talk.done(_keep(talk, appointment))
        if when is None:
            talk.touch()
            return talk.done([_confirm_cancel_question(talk, appointment, lead="Sorry, please tap one of these. ")])
        talk.ask(ASK_NEW_TIME, appointment=appointment)  # "no, move it to Friday instead"

    picked = _picked(said, talk.shown())
    if picked is not None:
        return talk.done(_try(talk, picked, appointment=appointment, tapped=False))
    if when is not None:
        return talk.done(_answer_when(talk, when, appointment=appointment))
    if "?" in text:
        talk.touch()
        return talk.done(None)  # a question the clinic's answers may know; the flow waits for a time
    return talk.done(_missed(talk, appointment))


def my_appointments(*, patient: Patient, now: dt.datetime) -> Step:
    """The patient's upcoming appointments, each with Reschedule and Cancel (a list when more than three)."""
    talk = _Talk(patient, now)
    talk.clear()
    upcoming = list(_upcoming(patient, now).order_by("start"))
    if not upcoming:
        return talk.done([_none_booked()])
    return talk.done(_cards(talk, upcoming))


def appointment_times(*, patient: Patient, now: dt.datetime, when: When | None) -> Step:
    """ "What time is my appointment?", "kitne baje aana hai kal?": their visits (that day's when named)."""
    talk = _Talk(patient, now)
    upcoming = list(_upcoming(patient, now).order_by("start"))
    if not upcoming:
        return talk.done([_none_booked()])
    if when is not None and when.day_given:
        that_day = [a for a in upcoming if a.start.astimezone(talk.doctor.tz).date() == when.day]
        if not that_day:
            day = say.on_day(when.day, talk.today)
            lines = [f"You have no appointment {day}. Your upcoming appointments:"]
            lines += [say.appointment_line(a) for a in upcoming[:3]]
            return talk.done([with_buttons("\n".join(lines), [MY_APPOINTMENTS_BUTTON, BOOK_BUTTON])])
        upcoming = that_day
    return talk.done(_cards(talk, upcoming))


def cancel_request(*, patient: Patient, now: dt.datetime, when: When | None) -> Step:
    """ "cancel my appointment": one yes/no question, or a list to choose from when there are several."""
    talk = _Talk(patient, now)
    talk.clear()
    upcoming = _choose(talk, when)
    if not upcoming:
        return talk.done([_none_booked()])
    if len(upcoming) > 1:
        return talk.done([_appointment_rows(talk, upcoming, APPT_CANCEL, "Which appointment should I cancel?")])
    return talk.done(_tap(talk, f"{APPT_CANCEL}{upcoming[0].pk}"))


def reschedule_request(*, patient: Patient, now: dt.datetime, when: When | None) -> Step:
    """ "reschedule to friday 6pm" moves it in one message (when free; else that day's nearest
    times); with no time named, asks for one. Several appointments: which one first."""
    talk = _Talk(patient, now)
    talk.clear()
    upcoming = _choose(talk, None)
    if not upcoming:
        return talk.done([_none_booked()])
    if len(upcoming) > 1:
        lead = "Which appointment would you like to move?"
        return talk.done([_appointment_rows(talk, upcoming, APPT_RESCHEDULE, lead)])
    appointment = upcoming[0]
    replies = _tap(talk, f"{APPT_RESCHEDULE}{appointment.pk}")
    if when is None or talk.state != ASK_NEW_TIME:
        return talk.done(replies)
    return talk.done(_answer_when(talk, when, appointment=appointment))


def answers_question(text: str) -> bool:
    """A yes, a no or a way out: words that answer whatever the flow asked."""
    said = normalize(text)
    return said in LEAVE_WORDS or yes_or_no(said) is not None


def yes_or_no(said: str) -> str | None:
    """ "yes", "no" or None, from normalised words ("haan cancel kar do" -> yes, "nahi rehne do" -> no)."""
    words = said.split()
    if not words or len(words) > 8:
        return None
    if any(word in NO_WORDS for word in words):
        return "no"
    if any(word in YES_WORDS for word in words) and all(w in YES_WORDS or w in YES_FILLER for w in words):
        return "yes"
    return None


# --------------------------------------------------------------------------------------------
# Reading a message against the context
# --------------------------------------------------------------------------------------------


def _answer_when(talk: _Talk, when: When, *, appointment: Appointment | None) -> list[Reply]:
    """Book (or move to) the moment meant, or offer the free times of the day meant.

    A message that names no day takes the day under discussion; with none, a time is offered
    on the next days it is free and a part of day is read as the parser's nearest one.
    """
    doctor, day, at = talk.doctor, when.day, when.time
    if not when.day_given:
        context_day = talk.context_day()
        if context_day is not None:
            day = context_day
        elif at is not None:
            same = [start for start in talk.shown() if start.time() == at]
            if len(same) == 1:
                return _try(talk, same[0], appointment=appointment, tapped=False)
            return _offer_same_time(talk, at, appointment=appointment)
    if at is not None:
        return _try(talk, dt.datetime.combine(day, at, tzinfo=doctor.tz), appointment=appointment, tapped=False)
    kept_time = talk.context_time()
    if when.part_of_day is None and kept_time is not None:
        # "Friday" after "5 PM is taken today": Friday at 5 PM if that is free, else Friday's times.
        start_at = dt.datetime.combine(day, kept_time, tzinfo=doctor.tz)
        if check_start(doctor, start_at, now=talk.now, exclude_appointment=appointment).ok:
            return _try(talk, start_at, appointment=appointment, tapped=False)
    return _offer_day(talk, day, when.part_of_day, appointment=appointment)


def _picked(said: str, shown: list[dt.datetime]) -> dt.datetime | None:
    match = _PICK_RE.match(said) if shown else None
    if match is None:
        return None
    index = _ORDINALS[match["word"]] if match["word"] else int(match["number"]) - 1
    return shown[index] if -len(shown) <= index < len(shown) else None


def _new_moment_part(text: str) -> str:
    """The part of a reschedule request that names the new moment."""
    lowered = text.lower()
    after = _NEW_AFTER_RE.search(lowered)
    if after is not None and lowered[after.end() :].strip():
        return text[after.end() :]
    instead = _INSTEAD_OF_RE.search(lowered)
    if instead is not None:
        before = lowered[: instead.start()]
        if re.search(r"\d|day|tomorrow|morning|evening|kal|parso", before):
            return text[: instead.start()]
        _, comma, rest = lowered[instead.end() :].partition(",")
        if comma and rest.strip():
            return text[len(text) - len(rest) :]
    return text


# --------------------------------------------------------------------------------------------
# Taps
# --------------------------------------------------------------------------------------------


def _tap(talk: _Talk, reply_id: str) -> list[Reply]:
    """Act on a button or row this module made, whatever the current state."""
    doctor, now, patient = talk.doctor, talk.now, talk.patient
    prefix = next(p for p in OWNED_PREFIXES if reply_id.startswith(p))
    rest = reply_id[len(prefix) :]
    if prefix in (offers.SLOT, offers.SAMPLE_SLOT):
        start_at = _moment(rest, doctor)
        if start_at is None:
            lead = "Sorry, I couldn't read that choice. Please pick a time again:"
            return _show(talk, offers.soonest(doctor, now), appointment=None, lead=lead)
        return _try(talk, start_at, appointment=None, tapped=True)
    if prefix == offers.MOVE:
        appointment_id, _, stamp = rest.partition(":")
        appointment = _own_appointment(patient, appointment_id)
        start_at = _moment(stamp, doctor)
        if appointment is None or start_at is None:
            talk.clear()
            return [_not_found()]
        return _try(talk, start_at, appointment=appointment, tapped=True)

    appointment = _own_appointment(patient, rest)
    if appointment is None:
        talk.clear()
        return [_not_found()]
    if prefix == CANCEL_NO:
        return _keep(talk, appointment)
    if appointment.status != Appointment.Status.BOOKED or appointment.start < now:
        talk.clear()
        return [_no_longer_booked(appointment)]
    if prefix == CANCEL_YES:
        return _cancel(talk, appointment)
    if _within_cutoff(appointment, now):
        talk.clear()
        return [with_buttons(say.too_late(doctor, appointment), [TALK_BUTTON])]
    if prefix == APPT_CANCEL:
        talk.ask(CONFIRM_CANCEL, appointment=appointment)
        return [_confirm_cancel_question(talk, appointment)]
    # APPT_RESCHEDULE: the appointment's day is the one under discussion ("6pm" = that day at 6).
    lead = (
        f"Your appointment is on {say.slot_title(appointment.start, doctor)}. "
        f"When would you like to come instead? Tap *{say.LIST_BUTTON}*, {say.TYPE_HINT}."
    )
    replies = _show(talk, offers.soonest(doctor, now), appointment=appointment, lead=lead)
    talk.data.update(day=_local_day(appointment.start, talk).isoformat(), about=_stamp(appointment.start))
    return replies


# --------------------------------------------------------------------------------------------
# Booking or moving to a time, and offering times
# --------------------------------------------------------------------------------------------


def _try(talk: _Talk, start_at: dt.datetime, *, appointment: Appointment | None, tapped: bool) -> list[Reply]:
    """Book `start_at` (or move `appointment` there): confirmed in one message, or why not and
    the nearest free times."""
    doctor, now, patient = talk.doctor, talk.now, talk.patient
    if appointment is None:
        if _upcoming(patient, now).filter(start=start_at).exists():
            talk.clear()
            already = f"You're already booked for {say.long_moment(start_at, doctor)} ✅"
            return [with_buttons(already, [MY_APPOINTMENTS_BUTTON])]
        result = appointment_book(doctor=doctor, patient=patient, start=start_at, now=now)
        if result.ok:
            talk.clear()
            return [with_buttons(say.confirmed(result.appointment, lead="Confirmed! ✅"), [MY_APPOINTMENTS_BUTTON])]
    else:
        old_start = appointment.start
        result = appointment_reschedule(appointment=appointment, new_start=start_at, now=now, by_patient=True)
        if result.ok:
            talk.clear()
            if result.appointment.start == old_start:
                already = f"Your appointment is already at that time: {say.long_moment(old_start, doctor)} ✅"
                return [with_buttons(already, [MY_APPOINTMENTS_BUTTON])]
            moved = say.confirmed(result.appointment, lead="Done, your appointment is moved! ✅")
            return [with_buttons(moved, [MY_APPOINTMENTS_BUTTON])]

    if result.reason == Reason.TOO_MANY:
        talk.clear()
        return [_too_many(talk)]
    if result.reason == Reason.TOO_LATE:
        talk.clear()
        return [with_buttons(say.too_late(doctor, appointment), [TALK_BUTTON])]
    if result.reason == Reason.NOT_BOOKED:
        talk.clear()
        return [_no_longer_booked(result.appointment)]
    lead = offers.why_not(doctor, result.reason, start_at, now, tapped=tapped)
    slots = offers.nearest(doctor, start_at, now, appointment=appointment)
    at = start_at.astimezone(doctor.tz)
    return _show(
        talk, slots, appointment=appointment, lead=lead, nearest=True,
        day=at.date(), time=at.time(), about=start_at,
    )  # fmt: skip


def _offer_day(talk: _Talk, day: dt.date, part: str | None, *, appointment: Appointment | None) -> list[Reply]:
    """The free times of a day (or part of it); when there are none, why, and the nearest ones."""
    doctor, now, today = talk.doctor, talk.now, talk.today
    anchor = dt.datetime.combine(day, offers.PARTS_OF_DAY[part][0] if part else dt.time(12), tzinfo=doctor.tz)
    last_day = today + dt.timedelta(days=doctor.horizon_days)
    if day < today:
        lead = f"{say.capital(say.day_name(day, today))} has already passed."
        return _show(talk, offers.soonest(doctor, now), appointment=appointment, lead=lead, nearest=True)
    if day > last_day:
        lead = (
            f"{say.capital(say.day_name(day, today))} is too far ahead — I can book up to {doctor.horizon_days} "
            f"days ahead (till {say.short_date(last_day)})."
        )
        slots = offers.nearest(doctor, anchor, now, appointment=appointment)
        return _show(talk, slots, appointment=appointment, lead=lead, nearest=True)

    slots = offers.day_slots(doctor, day, part, now)
    if slots:
        lead = f"Free times {say.when_words(day, today, part)} 👇 Tap one to book."
        return _show(talk, slots, appointment=appointment, lead=lead, day=day, part=part)
    lead = offers.empty_day(doctor, day, today, part)
    if part:
        rest_of_day = offers.day_slots(doctor, day, None, now)
        if rest_of_day:
            lead += f" These times are free {say.on_day(day, today)}:"
            return _show(talk, rest_of_day, appointment=appointment, lead=lead, day=day)
    slots = offers.nearest(doctor, anchor, now, appointment=appointment)
    return _show(talk, slots, appointment=appointment, lead=lead, nearest=True)


def _offer_same_time(talk: _Talk, at: dt.time, *, appointment: Appointment | None) -> list[Reply]:
    """A time with no day and no day under discussion: that time on the next days it is free."""
    doctor = talk.doctor
    slots = offers.same_time_days(doctor, at, talk.now, appointment=appointment)
    if slots:
        lead = f"Which day would you like {say.clock(at)}? 👇 Tap one, or type the day."
        return _show(talk, slots, appointment=appointment, lead=lead, time=at)
    lead = f"{say.clock(at)} isn't free on the next days."
    anchor = dt.datetime.combine(talk.today, at, tzinfo=doctor.tz)
    slots = offers.nearest(doctor, max(anchor, talk.now), talk.now, appointment=appointment)
    return _show(talk, slots, appointment=appointment, lead=lead, nearest=True)


def _show(
    talk: _Talk,
    slots: list[dt.datetime],
    *,
    appointment: Appointment | None,
    lead: str,
    nearest: bool = False,
    day: dt.date | None = None,
    part: str | None = None,
    time: dt.time | None = None,
    about: dt.datetime | None = None,
) -> list[Reply]:
    """Show free times and remember what is now in front of the patient."""
    reply, shown = offers.slot_list(talk.doctor, talk.now, slots, appointment=appointment, lead=lead, nearest=nearest)
    talk.ask(
        ASK_WHEN if appointment is None else ASK_NEW_TIME,
        appointment=appointment,
        day=day.isoformat() if day else None,
        part=part,
        time=time.strftime("%H:%M") if time else None,
        about=_stamp(about) if about else None,
        shown=[_stamp(slot) for slot in shown],
    )
    return [reply]


# --------------------------------------------------------------------------------------------
# Cancelling, appointments, and answers shared by several branches
# --------------------------------------------------------------------------------------------


def _confirm_cancel_question(talk: _Talk, appointment: Appointment, *, lead: str = "") -> Reply:
    return Reply(
        text=f"{lead}Cancel your appointment on {say.long_moment(appointment.start, talk.doctor)}?",
        buttons=[(f"{CANCEL_YES}{appointment.pk}", "Yes, cancel"), (f"{CANCEL_NO}{appointment.pk}", "Keep it")],
    )


def _cancel(talk: _Talk, appointment: Appointment) -> list[Reply]:
    result = appointment_cancel(appointment=appointment, now=talk.now, by_patient=True)
    talk.clear()
    if result.reason == Reason.TOO_LATE:
        return [with_buttons(say.too_late(talk.doctor, appointment), [TALK_BUTTON])]
    if result.reason == Reason.NOT_BOOKED:
        return [_no_longer_booked(result.appointment)]
    when = say.long_moment(appointment.start, talk.doctor)
    body = f"Done, your appointment on {when} is cancelled. Take care! 🙏\nYou can book again anytime."
    return [with_buttons(body, [BOOK_BUTTON, MY_APPOINTMENTS_BUTTON])]


def _keep(talk: _Talk, appointment: Appointment) -> list[Reply]:
    talk.clear()
    if appointment.status != Appointment.Status.BOOKED:
        return [with_buttons("Okay. That appointment is no longer booked.", [BOOK_BUTTON, MY_APPOINTMENTS_BUTTON])]
    kept = say.long_moment(appointment.start, talk.doctor)
    return [Reply(text=f"Okay, I've kept your appointment on {kept}. See you then! 🙏")]


def _cards(talk: _Talk, upcoming: list[Appointment]) -> list[Reply]:
    """Up to three appointments as one message each with Reschedule and Cancel; more as one list."""
    doctor = talk.doctor
    if len(upcoming) > 3:
        body = f"You have {len(upcoming)} upcoming appointments with {doctor.name}. Choose one to reschedule or cancel."
        rows = []
        for appointment in upcoming[: offers.MAX_ROWS // 2]:
            title = say.slot_title(appointment.start, doctor)
            rows.append(Row(f"{APPT_RESCHEDULE}{appointment.pk}", title, "Reschedule to another time"))
            rows.append(Row(f"{APPT_CANCEL}{appointment.pk}", title, "Cancel this appointment"))
        if len(upcoming) > offers.MAX_ROWS // 2:
            body += f"\nShowing the next {offers.MAX_ROWS // 2}; for the others, tap Talk to doctor from the menu."
        return [Reply(text=body, rows=rows, list_button="Choose")]
    replies = []
    for appointment in upcoming:
        line = say.appointment_line(appointment)
        if _within_cutoff(appointment, talk.now):
            away = say.duration(doctor.cancel_cutoff_minutes)
            text = f"{line}\nIt is less than {away} away, so to change it please talk to the clinic team."
            replies.append(Reply(text=text, buttons=[TALK_BUTTON]))
        else:
            buttons = [
                (f"{APPT_RESCHEDULE}{appointment.pk}", "Reschedule"),
                (f"{APPT_CANCEL}{appointment.pk}", "Cancel"),
            ]
            replies.append(Reply(text=line, buttons=buttons))
    return replies


def _appointment_rows(talk: _Talk, upcoming: list[Appointment], prefix: str, lead: str) -> Reply:
    rows = [Row(f"{prefix}{a.pk}", say.slot_title(a.start, talk.doctor)) for a in upcoming[: offers.MAX_ROWS]]
    return Reply(text=lead, rows=rows, list_button="Choose")


def _choose(talk: _Talk, when: When | None) -> list[Appointment]:
    """The upcoming appointments a request is about: those on the day it names, when it names one that has any."""
    upcoming = list(_upcoming(talk.patient, talk.now).order_by("start"))
    if when is not None and when.day_given:
        that_day = [a for a in upcoming if _local_day(a.start, talk) == when.day]
        return that_day or upcoming
    return upcoming


def _missed(talk: _Talk, appointment: Appointment | None) -> list[Reply]:
    """A message with no day or time: one clear retry prompt; from the second miss on, the next
    free times and a person."""
    misses = int(talk.data.get("misses", 0)) + 1
    if misses < MISSES_BEFORE_HELP:
        talk.ask(talk.state, appointment=appointment, misses=misses, **_kept_context(talk))
        return [Reply(text=say.TYPE_AGAIN)]
    lead = "Here are the next free times — tap one to book:"
    replies = _show(talk, offers.soonest(talk.doctor, talk.now), appointment=appointment, lead=lead)
    talk.data["misses"] = misses
    return [*replies, Reply(text="Or tap *Talk to doctor* and the clinic team will help you.", buttons=[TALK_BUTTON])]


def _kept_context(talk: _Talk) -> dict:
    return {key: talk.data.get(key) for key in ("day", "part", "time", "about", "shown")}


def _leave(talk: _Talk) -> list[Reply]:
    appointment = _own_appointment(talk.patient, talk.data.get("appointment"))
    state = talk.state
    talk.clear()
    if state == ASK_WHEN or appointment is None or appointment.status != Appointment.Status.BOOKED:
        text = "Okay, booking cancelled. Type menu anytime."
    else:
        at = f"{say.short_date(_local_day(appointment.start, talk))} at {say.clock(appointment.start, talk.doctor)}"
        text = f"Okay, nothing changed: your appointment on {at} is still booked. Type menu anytime."
    return [Reply(text=text, buttons=list(MENU_BUTTONS))]


def _too_many(talk: _Talk) -> Reply:
    upcoming = list(_upcoming(talk.patient, talk.now).order_by("start"))
    return with_buttons(say.too_many(talk.doctor, upcoming), [MY_APPOINTMENTS_BUTTON, TALK_BUTTON])


def _none_booked() -> Reply:
    return Reply(text="You have no upcoming appointments.", buttons=[BOOK_BUTTON, TALK_BUTTON])


def _no_longer_booked(appointment: Appointment) -> Reply:
    return with_buttons(say.no_longer_booked(appointment), [BOOK_BUTTON, MY_APPOINTMENTS_BUTTON])


def _not_found() -> Reply:
    return with_buttons("Sorry, I couldn't find that appointment.", [MY_APPOINTMENTS_BUTTON, BOOK_BUTTON])


# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------


def _expired(data: dict, now: dt.datetime) -> bool:
    try:
        updated = dt.datetime.fromisoformat(data["updated"])
    except (KeyError, TypeError, ValueError):
        return True  # a state without a time is not one this module wrote
    return updated.tzinfo is None or now - updated >= IDLE_LIMIT


def _moment(value, doctor) -> dt.datetime | None:
    """A start as a row id or the context carries it: UTC ("2026-11-26T09:45Z") or, in the older
    sample form, local time."""
    try:
        start_at = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return start_at if start_at.tzinfo is not None else start_at.replace(tzinfo=doctor.tz)


def _stamp(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%MZ")


def _date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _time(value) -> dt.time | None:
    try:
        return dt.time.fromisoformat(str(value))
    except ValueError:
        return None


def _local_day(value: dt.datetime, talk: _Talk) -> dt.date:
    return value.astimezone(talk.doctor.tz).date()


def _upcoming(patient: Patient, now: dt.datetime):
    return Appointment.objects.filter(patient=patient, status=Appointment.Status.BOOKED, start__gte=now)


def _own_appointment(patient: Patient, appointment_id) -> Appointment | None:
    """The appointment with this id if it is this patient's; anyone else's is "not found"."""
    try:
        pk = int(appointment_id)
    except (TypeError, ValueError):
        return None
    return Appointment.objects.filter(pk=pk, patient=patient, doctor_id=patient.doctor_id).first()


def _within_cutoff(appointment: Appointment, now: dt.datetime) -> bool:
    return appointment.start - now < dt.timedelta(minutes=appointment.doctor.cancel_cutoff_minutes)
