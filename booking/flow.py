"""The booking conversation: booking, cancelling and rescheduling in plain chat.

The chat bot calls four functions: `start` ("Book appointment", "book tmrw 3pm"),
`my_appointments`, and, while `is_active` (or for a tap this module owns, see `owns_reply`),
`handle`. Each returns the replies to send; `handle` returns None for a message that is not
for the flow, and the bot answers it as usual.

Why it is shaped this way:

* The state is small and lives on the patient row (`conversation_state` says what was
  asked, `conversation_data` holds the appointment concerned, the miss count and when the
  flow started and was last touched). The pipeline holds that row locked and does not save
  it, so every change here is saved at once with `update_fields` (the doctor's page writes
  other fields of the same row).
* Every button and list row carries everything needed to act on it ("slot:<UTC start>",
  "move:<appointment>:<UTC start>", "appt_cancel:<appointment>" …), so a tap works with no
  state at all: a patient may tap yesterday's list, or a list from before the flow expired.
  The services re-check everything (the slot may have been taken since), and appointment ids
  are looked up among the patient's own appointments only.
* An exact free time is booked at once and confirmed in one message: asking "shall I book
  it?" costs a round trip, and cancelling is one tap away.
* A refusal always says why in plain words and offers the nearest free times, so the
  patient is never left with a dead end; after two messages the flow cannot read, the next
  free times and the way to a person are offered.
* A flow left idle for `IDLE_LIMIT` is forgotten: "5pm" written the next afternoon should not
  book a visit the patient stopped thinking about.
* booking sits below chat (patients ← booking ← chat), so the menu buttons are spelled out
  here with the same ids and titles as chat/clinic_info.py, and typed intents are not
  classified here: a message the flow cannot read that asks a question ("fees?") is given
  back to the bot, which knows the clinic's answers; the flow keeps waiting for a time.

Times shown to patients are in the doctor's timezone, day-first ("Thu 26 Nov, 3:00 PM").
"""

import datetime as dt
import re
from collections import Counter

from booking.dates import PARTS_OF_DAY, When, parse_when
from booking.models import Appointment, TimeOff, WeeklyHours
from booking.services import appointment_book, appointment_cancel, appointment_reschedule
from booking.slots import Reason, free_slots, nearest_free_slots, next_free_slots, opening_span
from clinicbot.replies import Reply, Row
from patients.models import Doctor, Patient

STATE_PREFIX = "booking"
ASK_WHEN = "booking:when"  # booking a new visit: waiting for a day or time
ASK_NEW_TIME = "booking:reschedule"  # moving data["appointment"]: waiting for a day or time
CONFIRM_CANCEL = "booking:cancel"  # waiting for yes / no about cancelling data["appointment"]
STATES = (ASK_WHEN, ASK_NEW_TIME, CONFIRM_CANCEL)

# A flow nobody touched for this long is forgotten.
IDLE_LIMIT = dt.timedelta(hours=2)
# After this many messages the flow could not read, the next free times and a person are offered.
MISSES_BEFORE_HELP = 2
# A refused time is offered up to this many free times before it and as many after, so a time
# in the lunch break shows both the end of the morning and the start of the evening.
NEAREST_EACH_SIDE = 3
# How many of the nearest free times (by distance) those are chosen from: enough to reach past a
# four-hour break in 5-minute slots. The cost is the same three queries for any pool up to the
# two weeks nearest_free_slots reads.
NEAREST_POOL = 60
# WhatsApp's limits: 10 rows in a list, 1024 characters in a message with buttons.
MAX_ROWS = 10
BUTTON_BODY = 1024
# The first offer shows at most this many times per day and part of day, so ten rows reach
# beyond this morning.
PER_PART_OF_DAY = 2
# How many days the first offer looks at before falling back to "the next free times at all".
FIRST_OFFER_DAYS = 7

# Ids of buttons and list rows this module owns; each carries what it acts on.
SLOT = "slot:"  # slot:<UTC start>             book that start
SAMPLE_SLOT = "slot."  # slot.<local start>    the older form in whatsapp/samples/list_reply.json
MOVE = "move:"  # move:<appointment>:<UTC start>  move that appointment there
APPT_CANCEL = "appt_cancel:"  # appt_cancel:<appointment>  ask to confirm cancelling it
APPT_RESCHEDULE = "appt_resched:"  # appt_resched:<appointment>  ask for its new time
CANCEL_YES = "cancel_yes:"  # cancel_yes:<appointment>  cancel it
CANCEL_NO = "cancel_no:"  # cancel_no:<appointment>  keep it
OWNED_PREFIXES = (SLOT, SAMPLE_SLOT, MOVE, APPT_CANCEL, APPT_RESCHEDULE, CANCEL_YES, CANCEL_NO)

# The bot's menu (same ids and titles as chat/clinic_info.py, which booking cannot import).
BOOK_BUTTON = ("book", "Book appointment")
MY_APPOINTMENTS_BUTTON = ("my_appointments", "My appointments")
TALK_BUTTON = ("talk_doctor", "Talk to doctor")
MENU_BUTTONS = [BOOK_BUTTON, MY_APPOINTMENTS_BUTTON, TALK_BUTTON]
# Menu taps inside a flow end the flow and are routed by the bot as usual.
MENU_TAPS = {BOOK_BUTTON[0], MY_APPOINTMENTS_BUTTON[0]}

LIST_BUTTON = "Choose a time"
TYPE_HINT = "or type a day and time, e.g. *tomorrow 5pm* / *kal shaam 5 baje*"

# Whole messages that leave the flow at any step ("menu" is handled by the bot before us).
LEAVE_WORDS = frozenset(
    {
        "cancel", "cancel it", "cancel booking", "cancel this", "stop", "exit", "quit", "leave it", "leave",
        "never mind", "nevermind", "no thanks", "not now", "rehne do", "rehne de", "rahne do", "rahne de",
        "chhodo", "chodo", "chhod do", "chod do", "nahi chahiye", "nahin chahiye", "band karo",
    }
)  # fmt: skip
YES_WORDS = frozenset(
    {"yes", "y", "yes cancel", "yes cancel it", "yes please", "yeah", "yep", "ok", "okay", "confirm", "sure",
     "haan", "han", "ha", "haa", "haan ji", "ji haan", "ji", "kar do", "cancel kar do", "haan cancel"}
)  # fmt: skip
NO_WORDS = frozenset(
    {"no", "n", "nope", "keep", "keep it", "no keep it", "dont cancel", "do not cancel", "nahi", "nahin", "na",
     "mat karo", "cancel mat karo", "rakho", "rehne do"}
)  # fmt: skip
# "cancel my appointment", "reschedule my appt" typed inside a booking: given back to the bot,
# which shows the patient's appointments.
ABOUT_MY_APPOINTMENTS = re.compile(r"\b(?:my|meri|mera|apni|apna)\s+(?:appointments?|appts?|bookings?)\b")
_NOT_WORD = re.compile(r"[^\w\s]+")


# --------------------------------------------------------------------------------------------
# The four functions the bot calls, and the one that tells it which taps are ours
# --------------------------------------------------------------------------------------------


def is_active(patient: Patient) -> bool:
    """A booking question is waiting for an answer. An expired one is still "active" here and
    cleared by `handle`, which knows the time."""
    return patient.conversation_state.startswith(STATE_PREFIX)


def owns_reply(reply_id: str) -> bool:
    """A tap on a button or list row this module made: `handle` acts on it even with no state."""
    return bool(reply_id) and reply_id.startswith(OWNED_PREFIXES)


def start(*, patient: Patient, now: dt.datetime, text: str = "") -> list[Reply]:
    """The patient asked to book ("Book appointment", "appointment chahiye", "book tmrw 3pm").

    A request that already names a time goes straight to booking it; one that names a day to
    that day's free times; otherwise the patient is asked when, with the next free times.
    """
    if _upcoming(patient, now).count() >= patient.doctor.max_future_appointments:
        _clear(patient)
        return [_too_many(patient, now)]
    when = _parse(patient.doctor, text, now) if text else None
    if when is not None:
        return _answer_when(patient, now, when, appointment=None)
    _set_state(patient, ASK_WHEN, now=now)
    return _first_offer(
        patient,
        now,
        appointment=None,
        lead=f"When would you like to come? 🗓️\nTap *{LIST_BUTTON}* for the next free times, {TYPE_HINT}.",
    )


def handle(*, patient: Patient, text: str, reply_id: str, now: dt.datetime) -> list[Reply] | None:
    """Continue the flow with this message; None when the message is not for the flow."""
    reply_id = reply_id or ""
    if owns_reply(reply_id):
        return _tap(patient, reply_id, now)
    if not is_active(patient):
        return None
    if patient.conversation_state not in STATES or _expired(patient, now):
        _clear(patient)
        return None
    if reply_id in MENU_TAPS:
        _clear(patient)
        return None
    said = _words(text)
    if said in LEAVE_WORDS and not (patient.conversation_state == CONFIRM_CANCEL and said in NO_WORDS):
        return _leave(patient, now)
    if ABOUT_MY_APPOINTMENTS.search(said):
        _clear(patient)
        return None

    appointment = None
    if patient.conversation_state in (ASK_NEW_TIME, CONFIRM_CANCEL):
        appointment = _own_appointment(patient, patient.conversation_data.get("appointment"))
        if appointment is None or appointment.status != Appointment.Status.BOOKED:
            _clear(patient)  # cancelled or moved by the clinic meanwhile, say
            return [_not_found() if appointment is None else _no_longer_booked(appointment, now)]
    if patient.conversation_state == CONFIRM_CANCEL:
        if said in YES_WORDS:
            return _cancel(patient, now, appointment)
        if said in NO_WORDS:
            return _keep(patient, appointment)
        _touch(patient, now)
        return [_confirm_cancel_question(patient, appointment, lead="Sorry, please tap one of these. ")]

    when = _parse(patient.doctor, text, now)
    if when is not None:
        return _answer_when(patient, now, when, appointment=appointment)
    if "?" in text:
        _touch(patient, now)
        return None  # a question the clinic's answers may know; the flow waits for a time
    return _missed(patient, now, appointment)


def my_appointments(*, patient: Patient, now: dt.datetime) -> list[Reply]:
    """The patient's upcoming appointments, each with Reschedule and Cancel.

    Up to three come as one message each with two buttons; more come as one list with a row
    per action. Any half-finished booking ends here.
    """
    _clear(patient)
    upcoming = list(_upcoming(patient, now).order_by("start"))
    if not upcoming:
        return [Reply(text="You have no upcoming appointments.", buttons=[BOOK_BUTTON, TALK_BUTTON])]
    doctor = patient.doctor
    if len(upcoming) <= 3:
        replies = []
        for appointment in upcoming:
            when = f"{_long_date(appointment.start, doctor)} at {_clock(appointment.start, doctor)}"
            if _within_cutoff(doctor, appointment, now):
                replies.append(
                    Reply(
                        text=f"📅 {when} with {doctor.name}.\nIt is less than {_duration(doctor.cancel_cutoff_minutes)} "
                        "away, so to change it please talk to the clinic team.",
                        buttons=[TALK_BUTTON],
                    )
                )
            else:
                replies.append(
                    Reply(
                        text=f"📅 {when} with {doctor.name}.",
                        buttons=[
                            (f"{APPT_RESCHEDULE}{appointment.pk}", "Reschedule"),
                            (f"{APPT_CANCEL}{appointment.pk}", "Cancel"),
                        ],
                    )
                )
        return replies
    shown = upcoming[: MAX_ROWS // 2]
    rows = []
    for appointment in shown:
        title = _slot_title(appointment.start, doctor)
        rows.append(Row(f"{APPT_RESCHEDULE}{appointment.pk}", title, "Reschedule to another time"))
        rows.append(Row(f"{APPT_CANCEL}{appointment.pk}", title, "Cancel this appointment"))
    body = f"You have {len(upcoming)} upcoming appointments with {doctor.name}. Choose one to reschedule or cancel."
    if len(upcoming) > len(shown):
        body += f"\nShowing the next {len(shown)}; for the others, tap Talk to doctor from the menu."
    return [Reply(text=body, rows=rows, list_button="Choose")]


# --------------------------------------------------------------------------------------------
# Taps
# --------------------------------------------------------------------------------------------


def _tap(patient: Patient, reply_id: str, now: dt.datetime) -> list[Reply]:
    """Act on a button or row this module made, whatever the current state."""
    doctor = patient.doctor
    prefix = next(p for p in OWNED_PREFIXES if reply_id.startswith(p))
    rest = reply_id[len(prefix) :]
    if prefix in (SLOT, SAMPLE_SLOT):
        start_at = _read_start(rest, doctor)
        if start_at is None:
            _set_state(patient, ASK_WHEN, now=now)
            return _first_offer(
                patient, now, appointment=None, lead="Sorry, I couldn't read that choice. Please pick a time again:"
            )
        return _try(patient, now, start_at, appointment=None, tapped=True)
    if prefix == MOVE:
        appointment_id, _, iso = rest.partition(":")
        appointment = _own_appointment(patient, appointment_id)
        start_at = _read_start(iso, doctor)
        if appointment is None or start_at is None:
            _clear(patient)
            return [_not_found()]
        return _try(patient, now, start_at, appointment=appointment, tapped=True)

    appointment = _own_appointment(patient, rest)
    if appointment is None:
        _clear(patient)
        return [_not_found()]
    if prefix == CANCEL_NO:
        return _keep(patient, appointment)
    if appointment.status != Appointment.Status.BOOKED or appointment.start < now:
        _clear(patient)
        return [_no_longer_booked(appointment, now)]
    if prefix == CANCEL_YES:
        return _cancel(patient, now, appointment)
    if _within_cutoff(doctor, appointment, now):
        _clear(patient)
        return [_too_late(doctor, appointment)]
    if prefix == APPT_CANCEL:
        _set_state(patient, CONFIRM_CANCEL, now=now, appointment=appointment.pk)
        return [_confirm_cancel_question(patient, appointment)]
    # APPT_RESCHEDULE
    _set_state(patient, ASK_NEW_TIME, now=now, appointment=appointment.pk)
    return _first_offer(
        patient,
        now,
        appointment=appointment,
        lead=f"Your appointment is on {_slot_title(appointment.start, doctor)}. "
        f"When would you like to come instead? Tap *{LIST_BUTTON}*, {TYPE_HINT}.",
    )


def _read_start(text: str, doctor: Doctor) -> dt.datetime | None:
    """The start a row id carries: UTC ("2026-11-26T09:45Z") or, in the older form, local time."""
    try:
        start_at = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return start_at if start_at.tzinfo is not None else start_at.replace(tzinfo=doctor.tz)


# --------------------------------------------------------------------------------------------
# Booking or moving to a time
# --------------------------------------------------------------------------------------------


def _answer_when(patient: Patient, now: dt.datetime, when: When, *, appointment: Appointment | None) -> list[Reply]:
    """An exact time is booked (or moved to); a day or part of day gets its free times."""
    doctor = patient.doctor
    start_at = when.start(doctor.tz)
    if start_at is not None:
        return _try(patient, now, start_at, appointment=appointment, tapped=False)
    return _offer_day(patient, now, when, appointment=appointment)


def _try(
    patient: Patient, now: dt.datetime, start_at: dt.datetime, *, appointment: Appointment | None, tapped: bool
) -> list[Reply]:
    """Book `start_at` (or move `appointment` there): confirmed in one message, or why not and
    the nearest free times."""
    doctor = patient.doctor
    if appointment is None:
        if _upcoming(patient, now).filter(start=start_at).exists():
            _clear(patient)
            when = f"{_long_date(start_at, doctor)} at {_clock(start_at, doctor)}"
            return [_with_buttons(f"You're already booked for {when} ✅", [MY_APPOINTMENTS_BUTTON])]
        result = appointment_book(doctor=doctor, patient=patient, start=start_at, now=now)
        if result.ok:
            _clear(patient)
            return [_confirmed(result.appointment, lead="Confirmed! ✅")]
    else:
        old_start = appointment.start
        result = appointment_reschedule(appointment=appointment, new_start=start_at, now=now, by_patient=True)
        if result.ok:
            _clear(patient)
            if result.appointment.start == old_start:
                when = f"{_long_date(old_start, doctor)} at {_clock(old_start, doctor)}"
                return [_with_buttons(f"Your appointment is already at that time: {when} ✅", [MY_APPOINTMENTS_BUTTON])]
            return [_confirmed(result.appointment, lead="Done, your appointment is moved! ✅")]

    if result.reason == Reason.TOO_MANY:
        _clear(patient)
        return [_too_many(patient, now)]
    if result.reason == Reason.TOO_LATE:
        _clear(patient)
        return [_too_late(doctor, appointment)]
    if result.reason == Reason.NOT_BOOKED:
        _clear(patient)
        return [_no_longer_booked(result.appointment, now)]
    _set_state(patient, ASK_WHEN if appointment is None else ASK_NEW_TIME, now=now, appointment=_pk(appointment))
    lead = _why_not(doctor, result.reason, start_at, now, tapped=tapped)
    nearest = _nearest(doctor, start_at, now, appointment=appointment)
    return [_slot_list(patient, now, nearest, appointment=appointment, lead=lead, nearest=True)]


def _confirmed(appointment: Appointment, *, lead: str) -> Reply:
    """One message with everything the patient needs: who, when (doctor's time), where, how to change."""
    doctor = appointment.doctor
    lines = [f"{lead} {doctor.name}, {_long_date(appointment.start, doctor)} at {_clock(appointment.start, doctor)}."]
    place = ", ".join(part for part in (doctor.clinic_name, " ".join(doctor.address.split()).rstrip(".")) if part)
    if place:
        lines.append(f"{place}.")
    lines.append("To cancel or reschedule, reply 'my appointments'.")
    return _with_buttons("\n".join(lines), [MY_APPOINTMENTS_BUTTON])


def _why_not(doctor: Doctor, reason: Reason, start_at: dt.datetime, now: dt.datetime, *, tapped: bool) -> str:
    """Why this start cannot be booked, in plain words."""
    local = start_at.astimezone(doctor.tz)
    today = now.astimezone(doctor.tz).date()
    label = f"{_clock(local, doctor)} {_on_day(local.date(), today)}"
    if reason == Reason.TAKEN:
        return f"Sorry, that slot was just taken ({label})." if tapped else f"Sorry, {label} is already booked."
    if reason == Reason.PAST:
        return f"{_capital(label)} has already passed."
    if reason == Reason.TOO_SOON:
        return f"{_capital(label)} is too soon — please book at least {_duration(doctor.min_notice_minutes)} ahead."
    if reason == Reason.TOO_FAR:
        last_day = today + dt.timedelta(days=doctor.horizon_days)
        return (
            f"{_capital(label)} is too far ahead — I can book up to {doctor.horizon_days} days ahead "
            f"(till {_short_date(last_day)})."
        )
    if reason == Reason.NOT_ALIGNED:
        return f"Appointments start every {doctor.slot_minutes} minutes, so {_clock(local, doctor)} isn't a start time."
    return f"{_capital(label)} — the clinic is closed then{_closed_detail(doctor, local)}"


def _closed_detail(doctor: Doctor, local: dt.datetime) -> str:
    """The rest of "… the clinic is closed then": a day off, time away, or that day's hours."""
    day = local.date()
    for off in TimeOff.objects.filter(doctor=doctor, start_date__lte=day, end_date__gte=day):
        if off.start_time is None:
            return " (the doctor is away that day)."
        if off.start_time <= local.time() < off.end_time:
            return f" (the doctor is away {_clock(off.start_time)}–{_clock(off.end_time)})."
    hours = _hours_of(doctor, day)
    if not hours:
        return f" (it's closed on {day:%A}s)."
    return f". Open that day: {_hours_text(hours)}."


# --------------------------------------------------------------------------------------------
# Offering free times
# --------------------------------------------------------------------------------------------


def _offer_day(patient: Patient, now: dt.datetime, when: When, *, appointment: Appointment | None) -> list[Reply]:
    """The free times of a day (or part of it); when there are none, why, and the nearest ones."""
    doctor = patient.doctor
    tz = doctor.tz
    today = now.astimezone(tz).date()
    day, part = when.day, when.part_of_day
    _set_state(patient, ASK_WHEN if appointment is None else ASK_NEW_TIME, now=now, appointment=_pk(appointment))
    anchor = dt.datetime.combine(day, PARTS_OF_DAY[part][0] if part else dt.time(12), tzinfo=tz)
    last_day = today + dt.timedelta(days=doctor.horizon_days)

    if day < today:
        lead = f"{_capital(_day_name(day, today))} has already passed."
        return [_slot_list(patient, now, _soonest(doctor, now), appointment=appointment, lead=lead, nearest=True)]
    if day > last_day:
        lead = (
            f"{_capital(_day_name(day, today))} is too far ahead — I can book up to {doctor.horizon_days} days "
            f"ahead (till {_short_date(last_day)})."
        )
        nearest = _nearest(doctor, anchor, now, appointment=appointment)
        return [_slot_list(patient, now, nearest, appointment=appointment, lead=lead, nearest=True)]

    slots = free_slots(doctor, start_day=day, now=now, part_of_day=PARTS_OF_DAY[part] if part else None)
    if slots:
        lead = f"Free times {_when_words(day, today, part)} 👇 Tap one to book."
        return [_slot_list(patient, now, slots, appointment=appointment, lead=lead)]

    lead = _empty_day(doctor, day, today, part)
    if part:
        rest_of_day = free_slots(doctor, start_day=day, now=now)
        if rest_of_day:
            lead += f" These times are free {_on_day(day, today)}:"
            return [_slot_list(patient, now, rest_of_day, appointment=appointment, lead=lead)]
    nearest = _nearest(doctor, anchor, now, appointment=appointment)
    return [_slot_list(patient, now, nearest, appointment=appointment, lead=lead, nearest=True)]


def _empty_day(doctor: Doctor, day: dt.date, today: dt.date, part: str | None) -> str:
    """Why a day (or part of it) has no free time: a day off, closed that weekday, or full."""
    if TimeOff.objects.filter(doctor=doctor, start_date__lte=day, end_date__gte=day, start_time__isnull=True).exists():
        return f"Sorry, the doctor is away {_on_day(day, today)}."
    hours = _hours_of(doctor, day)
    if not hours:
        return f"Sorry, the clinic is closed on {day:%A}s."
    if part:
        begin, end = PARTS_OF_DAY[part]
        if not any(start < end and begin < finish for start, finish in hours):
            return f"Sorry, the clinic is closed {_when_words(day, today, part)} (open {_hours_text(hours)})."
    if day == today:
        return f"Sorry, no free times are left {_when_words(day, today, part)}."
    return f"Sorry, {_when_words(day, today, part, on=False)} is fully booked."


def _nearest(
    doctor: Doctor, start_at: dt.datetime, now: dt.datetime, *, appointment: Appointment | None
) -> list[dt.datetime]:
    """The free times nearest to `start_at`, from both sides of it where there are any.

    nearest_free_slots orders by distance (the same day first); taken alone, its first few
    can all lie on one side (the morning's last slots for a time in the lunch break).
    """
    candidates = nearest_free_slots(doctor, start_at, now=now, exclude_appointment=appointment, limit=NEAREST_POOL)
    picked = [slot for slot in candidates if slot < start_at][:NEAREST_EACH_SIDE]
    picked += [slot for slot in candidates if slot > start_at][:NEAREST_EACH_SIDE]
    picked += [slot for slot in candidates if slot not in picked][: 2 * NEAREST_EACH_SIDE - len(picked)]
    return sorted(picked)


def _first_offer(patient: Patient, now: dt.datetime, *, appointment: Appointment | None, lead: str) -> list[Reply]:
    """The next free times, a couple per part of day so the list reaches beyond this morning."""
    return [_slot_list(patient, now, _soonest(patient.doctor, now), appointment=appointment, lead=lead)]


def _soonest(doctor: Doctor, now: dt.datetime) -> list[dt.datetime]:
    today = now.astimezone(doctor.tz).date()
    slots = free_slots(doctor, start_day=today, end_day=today + dt.timedelta(days=FIRST_OFFER_DAYS - 1), now=now)
    picked: list[dt.datetime] = []
    per_group: Counter = Counter()
    for slot in slots:
        group = (slot.date(), _part_of(slot.time()))
        if per_group[group] < PER_PART_OF_DAY:
            per_group[group] += 1
            picked.append(slot)
            if len(picked) == MAX_ROWS:
                return picked
    if not picked:
        return next_free_slots(doctor, after=now, now=now, limit=MAX_ROWS)
    return picked


def _slot_list(
    patient: Patient,
    now: dt.datetime,
    slots: list[dt.datetime],
    *,
    appointment: Appointment | None,
    lead: str,
    nearest: bool = False,
) -> Reply:
    """A list of free times to tap (at most ten, spread over the range when there are more).

    With no free time at all the patient is pointed to a person instead of an empty list.
    """
    doctor = patient.doctor
    if not slots:
        return _with_buttons(
            f"{lead}\nI couldn't find a free time in the next {doctor.horizon_days} days. "
            "Please tap Talk to doctor and the clinic team will help.",
            [TALK_BUTTON],
        )
    slots = sorted(slot.astimezone(doctor.tz) for slot in slots)
    body = lead
    if nearest:
        body += "\nThe nearest free times are below 👇"
    if len(slots) > MAX_ROWS:
        shown = _spread(slots, MAX_ROWS)
        left_out = next(slot for slot in slots if slot not in shown)
        body += f"\nShowing {MAX_ROWS} of {len(slots)} free times — or type a time, e.g. {_clock(left_out, doctor)}."
        slots = shown
    today = now.astimezone(doctor.tz).date()
    rows = [Row(_row_id(slot, appointment), _slot_title(slot, doctor), _row_note(slot.date(), today)) for slot in slots]
    return Reply(text=body, rows=rows, list_button=LIST_BUTTON)


def _spread(slots: list[dt.datetime], count: int) -> list[dt.datetime]:
    """`count` slots evenly spread from the first to the last, so every part of the day shows."""
    indexes = sorted({round(i * (len(slots) - 1) / (count - 1)) for i in range(count)})
    return [slots[i] for i in indexes]


def _row_id(slot: dt.datetime, appointment: Appointment | None) -> str:
    stamp = slot.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%MZ")
    return f"{SLOT}{stamp}" if appointment is None else f"{MOVE}{appointment.pk}:{stamp}"


def _row_note(day: dt.date, today: dt.date) -> str:
    if day == today:
        return "Today"
    if day == today + dt.timedelta(days=1):
        return "Tomorrow"
    return ""


# --------------------------------------------------------------------------------------------
# Cancelling
# --------------------------------------------------------------------------------------------


def _confirm_cancel_question(patient: Patient, appointment: Appointment, *, lead: str = "") -> Reply:
    doctor = patient.doctor
    when = f"{_long_date(appointment.start, doctor)} at {_clock(appointment.start, doctor)}"
    return Reply(
        text=f"{lead}Cancel your appointment on {when}?",
        buttons=[(f"{CANCEL_YES}{appointment.pk}", "Yes, cancel"), (f"{CANCEL_NO}{appointment.pk}", "Keep it")],
    )


def _cancel(patient: Patient, now: dt.datetime, appointment: Appointment) -> list[Reply]:
    doctor = patient.doctor
    result = appointment_cancel(appointment=appointment, now=now, by_patient=True)
    _clear(patient)
    if result.reason == Reason.TOO_LATE:
        return [_too_late(doctor, appointment)]
    if result.reason == Reason.NOT_BOOKED:
        return [_no_longer_booked(result.appointment, now)]
    when = f"{_long_date(appointment.start, doctor)} at {_clock(appointment.start, doctor)}"
    return [
        _with_buttons(
            f"Done, your appointment on {when} is cancelled. Take care! 🙏\nYou can book again anytime.",
            [BOOK_BUTTON, MY_APPOINTMENTS_BUTTON],
        )
    ]


def _keep(patient: Patient, appointment: Appointment) -> list[Reply]:
    _clear(patient)
    doctor = patient.doctor
    if appointment.status != Appointment.Status.BOOKED:
        return [_with_buttons("Okay. That appointment is no longer booked.", [BOOK_BUTTON, MY_APPOINTMENTS_BUTTON])]
    when = f"{_long_date(appointment.start, doctor)} at {_clock(appointment.start, doctor)}"
    return [Reply(text=f"Okay, I've kept your appointment on {when}. See you then! 🙏")]


# --------------------------------------------------------------------------------------------
# Answers shared by several branches
# --------------------------------------------------------------------------------------------


def _missed(patient: Patient, now: dt.datetime, appointment: Appointment | None) -> list[Reply]:
    """A message with no day or time: one clear retry prompt; from the second miss on, the next
    free times and a person."""
    misses = int(patient.conversation_data.get("misses", 0)) + 1
    _set_state(patient, patient.conversation_state, now=now, appointment=_pk(appointment), misses=misses)
    if misses < MISSES_BEFORE_HELP:
        return [
            Reply(
                text="Sorry, I couldn't find a day or time in that 🙏 Please type it like:\n"
                "• tomorrow 5pm\n• Saturday morning\n• 28/11 at 11:30\n• kal shaam 5 baje\n"
                "Or type *cancel* to stop."
            )
        ]
    return [
        _slot_list(
            patient,
            now,
            _soonest(patient.doctor, now),
            appointment=appointment,
            lead="Here are the next free times — tap one to book:",
        ),
        Reply(text="Or tap *Talk to doctor* and the clinic team will help you.", buttons=[TALK_BUTTON]),
    ]


def _leave(patient: Patient, now: dt.datetime) -> list[Reply]:
    state = patient.conversation_state
    appointment = _own_appointment(patient, patient.conversation_data.get("appointment"))
    _clear(patient)
    if state == ASK_WHEN or appointment is None or appointment.status != Appointment.Status.BOOKED:
        text = "Okay, booking cancelled. Type menu anytime."
    else:
        doctor = patient.doctor
        when = f"{_short_date(appointment.start.astimezone(doctor.tz).date())} at {_clock(appointment.start, doctor)}"
        text = f"Okay, nothing changed: your appointment on {when} is still booked. Type menu anytime."
    return [Reply(text=text, buttons=list(MENU_BUTTONS))]


def _too_many(patient: Patient, now: dt.datetime) -> Reply:
    doctor = patient.doctor
    upcoming = list(_upcoming(patient, now).order_by("start"))
    times = " and ".join(_slot_title(a.start, doctor) for a in upcoming[:3])
    count = len(upcoming)
    return _with_buttons(
        f"You already have {count} upcoming appointment{'s' if count != 1 else ''} ({times}) — that's the most "
        "I can book in chat. To change one, tap My appointments.",
        [MY_APPOINTMENTS_BUTTON, TALK_BUTTON],
    )


def _too_late(doctor: Doctor, appointment: Appointment | None) -> Reply:
    when = f" on {_slot_title(appointment.start, doctor)}" if appointment is not None else ""
    return _with_buttons(
        f"Sorry, it's too late to cancel or change your appointment{when} in chat: it is less than "
        f"{_duration(doctor.cancel_cutoff_minutes)} away. Please tap Talk to doctor and the clinic team will help.",
        [TALK_BUTTON],
    )


def _no_longer_booked(appointment: Appointment, now: dt.datetime) -> Reply:
    if appointment.status == Appointment.Status.CANCELLED:
        text = "That appointment is already cancelled."
    else:
        text = "That appointment is over, so it can't be changed now."
    return _with_buttons(text, [BOOK_BUTTON, MY_APPOINTMENTS_BUTTON])


def _not_found() -> Reply:
    return _with_buttons("Sorry, I couldn't find that appointment.", [MY_APPOINTMENTS_BUTTON, BOOK_BUTTON])


def _with_buttons(text: str, buttons: list[tuple[str, str]]) -> Reply:
    """Buttons when the text fits a button message, plain text otherwise (a long address must go out whole)."""
    return Reply(text=text, buttons=list(buttons)) if len(text) <= BUTTON_BODY else Reply(text=text)


# --------------------------------------------------------------------------------------------
# State
# --------------------------------------------------------------------------------------------


def _set_state(
    patient: Patient, state: str, *, now: dt.datetime, appointment: int | None = None, misses: int = 0
) -> None:
    """Enter (or stay in) a state; the start time is kept while the flow continues."""
    going_on = is_active(patient) and not _expired(patient, now)
    data = patient.conversation_data if going_on else {}
    started = data.get("started") or now.isoformat()
    new = {"started": started, "updated": now.isoformat(), "misses": misses}
    if appointment is not None:
        new["appointment"] = appointment
    patient.conversation_state, patient.conversation_data = state, new
    patient.save(update_fields=["conversation_state", "conversation_data"])


def _touch(patient: Patient, now: dt.datetime) -> None:
    """The patient is still here: the idle clock starts again."""
    patient.conversation_data = {**patient.conversation_data, "updated": now.isoformat()}
    patient.save(update_fields=["conversation_data"])


def _clear(patient: Patient) -> None:
    if patient.conversation_state or patient.conversation_data:
        patient.conversation_state, patient.conversation_data = "", {}
        patient.save(update_fields=["conversation_state", "conversation_data"])


def _expired(patient: Patient, now: dt.datetime) -> bool:
    try:
        updated = dt.datetime.fromisoformat(patient.conversation_data["updated"])
    except (KeyError, TypeError, ValueError):
        return True  # a state without a time is not one this module wrote
    return now - updated >= IDLE_LIMIT


# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------


def _parse(doctor: Doctor, text: str, now: dt.datetime) -> When | None:
    return parse_when(text, now=now, tz=doctor.tz, open_hours=opening_span(doctor))


def _words(text: str) -> str:
    """Lower case, punctuation dropped, apostrophes removed: "Don't cancel!" -> "dont cancel"."""
    text = (text or "").lower().replace("'", "").replace("’", "")
    return " ".join(_NOT_WORD.sub(" ", text).split())


def _upcoming(patient: Patient, now: dt.datetime):
    return Appointment.objects.filter(patient=patient, status=Appointment.Status.BOOKED, start__gte=now)


def _own_appointment(patient: Patient, appointment_id) -> Appointment | None:
    """The appointment with this id if it is this patient's; anyone else's is "not found"."""
    try:
        pk = int(appointment_id)
    except (TypeError, ValueError):
        return None
    return Appointment.objects.filter(pk=pk, patient=patient, doctor_id=patient.doctor_id).first()


def _pk(appointment: Appointment | None) -> int | None:
    return appointment.pk if appointment is not None else None


def _within_cutoff(doctor: Doctor, appointment: Appointment, now: dt.datetime) -> bool:
    return appointment.start - now < dt.timedelta(minutes=doctor.cancel_cutoff_minutes)


def _hours_of(doctor: Doctor, day: dt.date) -> list[tuple[dt.time, dt.time]]:
    return list(
        WeeklyHours.objects.filter(doctor=doctor, weekday=day.weekday()).order_by("start").values_list("start", "end")
    )


def _hours_text(hours: list[tuple[dt.time, dt.time]]) -> str:
    return " and ".join(f"{_clock(start)}–{_clock(end)}" for start, end in hours)


def _part_of(at: dt.time) -> str:
    return next((name for name, (begin, end) in PARTS_OF_DAY.items() if begin <= at < end), "other")


def _clock(value: dt.datetime | dt.time, doctor: Doctor | None = None) -> str:
    """ "3:00 PM", "10:15 AM" (a datetime is shown in the doctor's timezone)."""
    if isinstance(value, dt.datetime) and doctor is not None:
        value = value.astimezone(doctor.tz)
    hour = value.hour % 12 or 12
    return f"{hour}:{value.minute:02d} {'AM' if value.hour < 12 else 'PM'}"


def _short_date(day: dt.date) -> str:
    """ "Thu 26 Nov"."""
    return f"{day:%a} {day.day} {day:%b}"


def _long_date(value: dt.datetime, doctor: Doctor) -> str:
    """ "Thursday 26 Nov 2026", in the doctor's timezone."""
    day = value.astimezone(doctor.tz).date()
    return f"{day:%A} {day.day} {day:%b} {day.year}"


def _slot_title(value: dt.datetime, doctor: Doctor) -> str:
    """ "Thu 26 Nov, 10:15 AM": at most 20 characters, within a list row's 24."""
    return f"{_short_date(value.astimezone(doctor.tz).date())}, {_clock(value, doctor)}"


def _day_name(day: dt.date, today: dt.date) -> str:
    """ "today", "tomorrow", "Sunday" within the week, else "Sun 6 Dec"."""
    if day == today:
        return "today"
    if day == today + dt.timedelta(days=1):
        return "tomorrow"
    if today < day < today + dt.timedelta(days=7):
        return f"{day:%A}"
    return _short_date(day)


def _on_day(day: dt.date, today: dt.date) -> str:
    """ "today", "tomorrow", "on Sunday", "on Sun 6 Dec"."""
    name = _day_name(day, today)
    return name if day in (today, today + dt.timedelta(days=1)) else f"on {name}"


def _when_words(day: dt.date, today: dt.date, part: str | None, *, on: bool = True) -> str:
    """ "this evening", "tomorrow morning", "on Saturday evening" (without "on": "Saturday evening")."""
    if part and day == today:
        return f"this {part}"
    name = _on_day(day, today) if on else _day_name(day, today)
    return f"{name} {part}" if part else name


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _duration(minutes: int) -> str:
    """ "45 minutes", "1 hour", "2 hours", "90 minutes", "1 day"."""
    if minutes % (24 * 60) == 0 and minutes:
        days = minutes // (24 * 60)
        return f"{days} day{'s' if days != 1 else ''}"
    if minutes % 60 == 0 and minutes:
        hours = minutes // 60
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"
