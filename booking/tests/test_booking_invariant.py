"""The booking invariant, from every state: random sequences of taps and typed messages through
the signed webhook, and after every step no appointment was created or moved to a day the
patient did not type, tap, or have in front of them as the day under discussion.

"In front of them" is what the conversation context held before the step: the day whose times
were listed, the days of the rows shown, the day of a refused time or of the appointment being
moved. Each typed message carries the days it names, written by hand (not by the parser).

Run more examples with `INVARIANT_EXAMPLES=2000 .venv/bin/python -m pytest booking/tests/test_booking_invariant.py`.
"""

import datetime as dt
import os

import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from booking.models import Appointment
from booking.tests.chatting import SECRET, SignedPhone, make_clinic
from chat.models import Message
from patients.models import Doctor, Patient

EXAMPLES = int(os.environ.get("INVARIANT_EXAMPLES", "60"))

# Moments to play at: a weekday morning, a Saturday evening (tomorrow closed), a Sunday, just
# after midnight, late evening, month end.
MOMENTS = ["2026-11-25 10:00", "2026-11-28 19:30", "2026-11-29 11:00", "2026-11-26 00:20", "2026-11-25 22:00",
           "2026-11-30 18:00"]  # fmt: skip

# (what the patient types, the days it names: "+N" is today + N, a weekday its next date, today included)
TYPED = [
    ("10:30 theek hai", []), ("ok 12:30 is fine", []), ("6pm", []), ("11:30", []), ("5:15 wala", []),
    ("7 baje", []), ("the first one", []), ("2nd", []), ("last one", []), ("same time", []),
    # "an hour later" counts from the time under discussion, or from now when there is none (as
    # chrono does, booking/tests/test_date_about.py): today at the latest.
    ("an hour later", ["+0"]), ("earlier", []), ("any time in the evening", []), ("evening", []), ("morning", []),
    ("1130", []), ("715pm", []), ("is 12 ok?", []), ("maybe around 11?", []),
    ("tomorrow 11am", ["+1"]), ("kal shaam 5 baje", ["+1"]), ("parso", ["+2"]), ("friday", ["fri"]),
    ("saturday morning", ["sat"]), ("monday 10:30", ["mon"]), ("reschedule to friday 6pm", ["fri"]),
    ("kal ki jagah parso 11 baje", ["+1", "+2"]), ("today", ["+0"]), ("today 6pm", ["+0"]),
    ("उद्या सकाळी 11 वाजता", ["+1"]), ("शुक्रवार", ["fri"]), ("udya sandhyakali 6 vajta", ["+1"]),
    ("same time friday", ["fri"]), ("sunday 11am", ["sun"]),
    ("haan", []), ("nahi", []), ("ok", []), ("cancel my appointment", []), ("reschedule", []),
    ("when can I come instead?", []), ("kitne baje aana hai kal?", ["+1"]), ("my appointments", []),
    ("what are the fees?", []), ("sugar test karwana hai", []), ("book appointment", []), ("hi", []),
    ("cancel", []), ("for my mother", []), ("twice daily for 5 days", []),
]  # fmt: skip
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

ACTIONS = st.one_of(
    st.tuples(st.just("send"), st.sampled_from(range(len(TYPED)))),
    st.tuples(st.just("row"), st.integers(min_value=0, max_value=9)),
    st.tuples(st.just("button"), st.integers(min_value=0, max_value=2)),
    st.tuples(st.just("tap"), st.sampled_from(["book", "my_appointments"])),
)


def named_days(labels: list[str], today: dt.date) -> set[dt.date]:
    days = set()
    for label in labels:
        if label.startswith("+"):
            days.add(today + dt.timedelta(days=int(label[1:])))
        else:
            ahead = (WEEKDAYS.index(label) - today.weekday()) % 7
            days.update({today + dt.timedelta(days=ahead), today + dt.timedelta(days=ahead + 7)})
    return days


def days_in_front(patient: Patient, doctor) -> set[dt.date]:
    """The days the conversation context holds: listed, shown, refused, being moved."""
    data = patient.conversation_data or {}
    days = set()
    if data.get("day"):
        days.add(dt.date.fromisoformat(data["day"]))
    for stamp in data.get("shown", []):
        days.add(dt.datetime.fromisoformat(stamp).astimezone(doctor.tz).date())
    if data.get("about"):
        days.add(dt.datetime.fromisoformat(data["about"]).astimezone(doctor.tz).date())
    return days


def appointments(patient_wa_id: str) -> dict[int, dt.datetime]:
    return dict(
        Appointment.objects.filter(patient__wa_id=patient_wa_id, status=Appointment.Status.BOOKED).values_list(
            "pk", "start"
        )
    )


@settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture], database=None
)
@given(moment=st.sampled_from(MOMENTS), actions=st.lists(ACTIONS, min_size=1, max_size=7))
def test_no_appointment_lands_on_a_day_the_patient_did_not_name_tap_or_see(db, settings, moment, actions):
    settings.WHATSAPP_APP_SECRET = SECRET
    settings.LLM_API_KEY = ""
    Message.objects.all().delete()
    Appointment.objects.all().delete()
    Patient.objects.all().delete()
    doctor = Doctor.objects.filter(phone_number_id="100200300400500").first() or make_clinic()
    phone = SignedPhone(doctor)
    at = dt.datetime.strptime(moment, "%Y-%m-%d %H:%M").replace(tzinfo=doctor.tz)
    today = at.date()
    with time_machine.travel(at, tick=False):
        phone.send("hi")
        for kind, value in actions:
            patient = phone.patient
            allowed = days_in_front(patient, doctor)
            before = appointments(phone.wa_id)
            if kind == "send":
                text, labels = TYPED[value]
                allowed |= named_days(labels, today)
                phone.send(text)
            elif kind == "row":
                rows = phone.rows()
                if not rows:
                    continue
                row_id, title = rows[value % len(rows)]
                stamp = row_id.split(":", 2)[-1] if row_id.startswith("move:") else row_id.split(":", 1)[-1]
                try:
                    allowed.add(dt.datetime.fromisoformat(stamp).astimezone(doctor.tz).date())
                except ValueError:
                    pass  # an appointment row (appt_cancel:…), which names no new day
                phone.tap(row_id, title, kind="list_reply")
            elif kind == "button":
                buttons = phone.buttons()
                if not buttons:
                    continue
                button_id, title = buttons[value % len(buttons)]
                phone.tap(button_id, title)
            else:
                phone.tap(value)
            for pk, start in appointments(phone.wa_id).items():
                if before.get(pk) != start:
                    day = start.astimezone(doctor.tz).date()
                    assert day in allowed, (
                        f"booked {start.astimezone(doctor.tz):%a %d %b %H:%M} after {kind} {value!r} "
                        f"(allowed {sorted(allowed)}); bot said: {phone.text()!r}"
                    )
