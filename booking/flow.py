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
* A flow left idle for two hours is forgotten (booking/context.py).

This module reads the message and the taps; booking/flow_times.py books or moves to the moment
meant or offers the free times (the states and the context are booking/context.py).
"""

import datetime as dt

from booking import messages as say
from booking import offers, reading, visits
from booking.context import (  # the states too: the bot, chat.notices and tests name them as flow's
    ASK_NEW_TIME,
    ASK_WHEN,
    CONFIRM_CANCEL,
    STATE_PREFIX,
    STATES,
    Step,
    Talk,
    expired,
    read_moment,
    stamp,
)
from booking.dates import When, parse_when
from booking.flow_times import answer_when, book_or_move, show_times
from booking.models import Appointment
from booking.slots import opening_span
from booking.visits import APPT_CANCEL, APPT_RESCHEDULE, CANCEL_NO, CANCEL_YES
from clinicbot.replies import BOOK_BUTTON, MENU_BUTTONS, MY_APPOINTMENTS_BUTTON, TALK_BUTTON, Reply, with_buttons
from clinicbot.text import normalize
from patients.models import Patient

# After this many messages the flow could not read, the next free times and a person are offered.
MISSES_BEFORE_HELP = 2

# Ids of buttons and rows this module owns (list rows are made in booking/offers.py).
OWNED_PREFIXES = (offers.SLOT, offers.SAMPLE_SLOT, offers.MOVE, APPT_CANCEL, APPT_RESCHEDULE, CANCEL_YES, CANCEL_NO)
# Menu taps inside a flow end the flow and are routed by the bot as usual.
MENU_TAPS = {BOOK_BUTTON[0], MY_APPOINTMENTS_BUTTON[0]}

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
    about, said = None, reading.new_moment_part(text)
    if is_active(patient) and not expired(patient.conversation_data or {}, now):
        about = read_moment(patient.conversation_data.get("about"), doctor)
        if reading.BARE_HOUR_RE.match(said):
            said = f"at {said.strip()}"  # "12" answering "when?" is an hour; on its own it is just a number
    return parse_when(said, now=now, tz=doctor.tz, open_hours=opening_span(doctor), about=about)


def start(*, patient: Patient, now: dt.datetime, when: When | None = None) -> Step:
    """The patient asked to book ("Book appointment", "book tmrw 3pm", or just "kal shaam 5 baje")."""
    talk = Talk(patient, now)
    if visits.upcoming(patient, now).count() >= patient.doctor.max_future_appointments:
        talk.clear()
        return talk.done([visits.too_many(talk)])
    if when is not None:
        talk.clear()  # a new request: nothing said before it is under discussion
        return talk.done(answer_when(talk, when, appointment=None))
    return talk.done(show_times(talk, offers.soonest(talk.doctor, now), appointment=None, lead=say.ASK_WHEN))


def handle(*, patient: Patient, text: str, reply_id: str, when: When | None, now: dt.datetime) -> Step:
    """Continue the flow with this message (replies None when it is not for the flow)."""
    talk = Talk(patient, now)
    reply_id = reply_id or ""
    if owns_reply(reply_id):
        return talk.done(_tap(talk, reply_id))
    if not is_active(patient):
        return talk.done(None)
    if talk.state not in STATES or not talk.going_on() or reply_id in MENU_TAPS:
        talk.clear()
        return talk.done(None)

    said = normalize(text)
    answer = reading.yes_or_no(said)
    if said in reading.LEAVE_WORDS and not (talk.state == CONFIRM_CANCEL and answer):
        return talk.done(_leave(talk))
    appointment = None
    if talk.state in (ASK_NEW_TIME, CONFIRM_CANCEL):
        appointment = visits.own_appointment(patient, talk.data.get("appointment"))
        if appointment is None or appointment.status != Appointment.Status.BOOKED:
            talk.clear()  # cancelled or moved by the clinic meanwhile, say
            return talk.done([visits.not_found() if appointment is None else visits.no_longer_booked(appointment)])
    if talk.state == CONFIRM_CANCEL:
        if answer == "yes":
            return talk.done(visits.cancel(talk, appointment))
        if answer == "no":
            return talk.done(visits.keep(talk, appointment))
        if when is None:
            talk.touch()
            return talk.done(
                [visits.confirm_cancel_question(talk, appointment, lead="Sorry, please tap one of these. ")]
            )
        talk.ask(ASK_NEW_TIME, appointment=appointment)  # "no, move it to Friday instead"

    picked = reading.picked(said, talk.shown())
    if picked is not None:
        return talk.done(book_or_move(talk, picked, appointment=appointment, tapped=False))
    if when is not None:
        return talk.done(answer_when(talk, when, appointment=appointment))
    if "?" in text:
        talk.touch()
        return talk.done(None)  # a question the clinic's answers may know; the flow waits for a time
    return talk.done(_missed(talk, appointment))


def my_appointments(*, patient: Patient, now: dt.datetime) -> Step:
    """The patient's upcoming appointments, each with Reschedule and Cancel (a list when more than three)."""
    talk = Talk(patient, now)
    talk.clear()
    upcoming = list(visits.upcoming(patient, now).order_by("start"))
    if not upcoming:
        return talk.done([visits.none_booked()])
    return talk.done(visits.cards(talk, upcoming))


def appointment_times(*, patient: Patient, now: dt.datetime, when: When | None) -> Step:
    """ "What time is my appointment?", "kitne baje aana hai kal?": their visits (that day's when named)."""
    talk = Talk(patient, now)
    upcoming = list(visits.upcoming(patient, now).order_by("start"))
    if not upcoming:
        return talk.done([visits.none_booked()])
    if when is not None and when.day_given:
        that_day = [a for a in upcoming if a.start.astimezone(talk.doctor.tz).date() == when.day]
        if not that_day:
            day = say.on_day(when.day, talk.today)
            lines = [f"You have no appointment {day}. Your upcoming appointments:"]
            lines += [say.appointment_line(a) for a in upcoming[:3]]
            return talk.done([with_buttons("\n".join(lines), [MY_APPOINTMENTS_BUTTON, BOOK_BUTTON])])
        upcoming = that_day
    return talk.done(visits.cards(talk, upcoming))


def cancel_request(*, patient: Patient, now: dt.datetime, when: When | None) -> Step:
    """ "cancel my appointment": one yes/no question, or a list to choose from when there are several."""
    talk = Talk(patient, now)
    talk.clear()
    upcoming = _choose(talk, when)
    if not upcoming:
        return talk.done([visits.none_booked()])
    if len(upcoming) > 1:
        return talk.done([visits.appointment_rows(talk, upcoming, APPT_CANCEL, "Which appointment should I cancel?")])
    return talk.done(_tap(talk, f"{APPT_CANCEL}{upcoming[0].pk}"))


def reschedule_request(*, patient: Patient, now: dt.datetime, when: When | None) -> Step:
    """ "reschedule to friday 6pm" moves it in one message (when free; else that day's nearest
    times); with no time named, asks for one. Several appointments: which one first."""
    talk = Talk(patient, now)
    talk.clear()
    upcoming = _choose(talk, None)
    if not upcoming:
        return talk.done([visits.none_booked()])
    if len(upcoming) > 1:
        lead = "Which appointment would you like to move?"
        return talk.done([visits.appointment_rows(talk, upcoming, APPT_RESCHEDULE, lead)])
    appointment = upcoming[0]
    replies = _tap(talk, f"{APPT_RESCHEDULE}{appointment.pk}")
    if when is None or talk.state != ASK_NEW_TIME:
        return talk.done(replies)
    return talk.done(answer_when(talk, when, appointment=appointment))


# --------------------------------------------------------------------------------------------
# Taps
# --------------------------------------------------------------------------------------------


def _tap(talk: Talk, reply_id: str) -> list[Reply]:
    """Act on a button or row this module made, whatever the current state."""
    doctor, now, patient = talk.doctor, talk.now, talk.patient
    prefix = next(p for p in OWNED_PREFIXES if reply_id.startswith(p))
    rest = reply_id[len(prefix) :]
    if prefix in (offers.SLOT, offers.SAMPLE_SLOT):
        start_at = read_moment(rest, doctor)
        if start_at is None:
            lead = "Sorry, I couldn't read that choice. Please pick a time again:"
            return show_times(talk, offers.soonest(doctor, now), appointment=None, lead=lead)
        return book_or_move(talk, start_at, appointment=None, tapped=True)
    if prefix == offers.MOVE:
        appointment_id, _, when_tapped = rest.partition(":")
        appointment = visits.own_appointment(patient, appointment_id)
        start_at = read_moment(when_tapped, doctor)
        if appointment is None or start_at is None:
            talk.clear()
            return [visits.not_found()]
        return book_or_move(talk, start_at, appointment=appointment, tapped=True)

    appointment = visits.own_appointment(patient, rest)
    if appointment is None:
        talk.clear()
        return [visits.not_found()]
    if prefix == CANCEL_NO:
        return visits.keep(talk, appointment)
    if appointment.status != Appointment.Status.BOOKED or appointment.start < now:
        talk.clear()
        return [visits.no_longer_booked(appointment)]
    if prefix == CANCEL_YES:
        return visits.cancel(talk, appointment)
    if visits.within_cutoff(appointment, now):
        talk.clear()
        return [with_buttons(say.too_late(doctor, appointment), [TALK_BUTTON])]
    if prefix == APPT_CANCEL:
        talk.ask(CONFIRM_CANCEL, appointment=appointment)
        return [visits.confirm_cancel_question(talk, appointment)]
    # APPT_RESCHEDULE: the appointment's day is the one under discussion ("6pm" = that day at 6).
    lead = (
        f"Your appointment is on {say.slot_title(appointment.start, doctor)}. "
        f"When would you like to come instead? Tap *{say.LIST_BUTTON}*, {say.TYPE_HINT}."
    )
    replies = show_times(talk, offers.soonest(doctor, now), appointment=appointment, lead=lead)
    talk.data.update(day=_local_day(appointment.start, talk).isoformat(), about=stamp(appointment.start))
    return replies


# --------------------------------------------------------------------------------------------
# Cancelling, appointments, and answers shared by several branches
# --------------------------------------------------------------------------------------------


def _choose(talk: Talk, when: When | None) -> list[Appointment]:
    """The upcoming appointments a request is about: those on the day it names, when it names one that has any."""
    upcoming = list(visits.upcoming(talk.patient, talk.now).order_by("start"))
    if when is not None and when.day_given:
        that_day = [a for a in upcoming if _local_day(a.start, talk) == when.day]
        return that_day or upcoming
    return upcoming


def _missed(talk: Talk, appointment: Appointment | None) -> list[Reply]:
    """A message with no day or time: one clear retry prompt; from the second miss on, the next
    free times and a person."""
    misses = int(talk.data.get("misses", 0)) + 1
    if misses < MISSES_BEFORE_HELP:
        talk.ask(talk.state, appointment=appointment, misses=misses, **_kept_context(talk))
        return [Reply(text=say.TYPE_AGAIN)]
    lead = "Here are the next free times — tap one to book:"
    replies = show_times(talk, offers.soonest(talk.doctor, talk.now), appointment=appointment, lead=lead)
    talk.data["misses"] = misses
    return [*replies, Reply(text="Or tap *Talk to doctor* and the clinic team will help you.", buttons=[TALK_BUTTON])]


def _kept_context(talk: Talk) -> dict:
    return {key: talk.data.get(key) for key in ("day", "part", "time", "about", "shown")}


def _leave(talk: Talk) -> list[Reply]:
    appointment = visits.own_appointment(talk.patient, talk.data.get("appointment"))
    state = talk.state
    talk.clear()
    if state == ASK_WHEN or appointment is None or appointment.status != Appointment.Status.BOOKED:
        text = "Okay, booking cancelled. Type menu anytime."
    else:
        at = f"{say.short_date(_local_day(appointment.start, talk))} at {say.clock(appointment.start, talk.doctor)}"
        text = f"Okay, nothing changed: your appointment on {at} is still booked. Type menu anytime."
    return [Reply(text=text, buttons=list(MENU_BUTTONS))]


# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------


def _local_day(value: dt.datetime, talk: Talk) -> dt.date:
    return value.astimezone(talk.doctor.tz).date()
