"""The booking conversation's state and context, as the flow reads and changes it.

`Patient.conversation_state` says which question is waiting (booking:when, booking:reschedule,
booking:cancel); `conversation_data` holds the context: when the flow started and was last
touched, the misses, the appointment concerned, and what the patient has in front of them —
`day` / `part` (whose times were listed), `time` (the clock time under discussion), `about` (the
moment "same time" and "an hour later" refer to, UTC), `refused` (why that time could not be
had) and `shown` (the rows' starts, UTC). The flow changes a copy (`Talk`) and returns it in a
`Step`; the pipeline saves it.
"""

import datetime as dt
from dataclasses import dataclass

from booking.models import Appointment
from clinicbot.replies import Reply
from patients.models import Patient

STATE_PREFIX = "booking"
ASK_WHEN = "booking:when"  # booking a new visit: waiting for a day or time
ASK_NEW_TIME = "booking:reschedule"  # moving data["appointment"]: waiting for a day or time
CONFIRM_CANCEL = "booking:cancel"  # waiting for yes / no about cancelling data["appointment"]
STATES = (ASK_WHEN, ASK_NEW_TIME, CONFIRM_CANCEL)
# A flow nobody touched for this long is forgotten: "5pm" written the next afternoon should not
# book a visit the patient stopped thinking about.
IDLE_LIMIT = dt.timedelta(hours=2)


@dataclass(frozen=True)
class Step:
    """What the flow did with one message: the replies (None when the message is not for the
    flow and the bot should answer it) and the conversation state and context after it."""

    replies: list[Reply] | None
    state: str
    data: dict


class Talk:
    """The conversation being continued: a copy of the patient's state, changed here, returned in a Step."""

    def __init__(self, patient: Patient, now: dt.datetime):
        self.patient, self.doctor, self.now = patient, patient.doctor, now
        self.state, self.data = patient.conversation_state or "", dict(patient.conversation_data or {})
        self.today = now.astimezone(self.doctor.tz).date()

    def going_on(self) -> bool:
        return self.state.startswith(STATE_PREFIX) and not expired(self.data, self.now)

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
        return read_date(self.data.get("day")) if self.going_on() else None

    def context_time(self) -> dt.time | None:
        return read_time(self.data.get("time")) if self.going_on() else None

    def shown(self) -> list[dt.datetime]:
        if not self.going_on():
            return []
        starts = (read_moment(value, self.doctor) for value in self.data.get("shown", []))
        return [start.astimezone(self.doctor.tz) for start in starts if start is not None]

    def done(self, replies: list[Reply] | None) -> Step:
        return Step(replies=replies, state=self.state, data=self.data)


def expired(data: dict, now: dt.datetime) -> bool:
    try:
        updated = dt.datetime.fromisoformat(data["updated"])
    except (KeyError, TypeError, ValueError):
        return True  # a state without a time is not one this module wrote
    return updated.tzinfo is None or now - updated >= IDLE_LIMIT


def read_moment(value, doctor) -> dt.datetime | None:
    """A start as a row id or the context carries it: UTC ("2026-11-26T09:45Z") or, in the older
    sample form, local time."""
    try:
        start_at = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return start_at if start_at.tzinfo is not None else start_at.replace(tzinfo=doctor.tz)


def stamp(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%MZ")


def read_date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def read_time(value) -> dt.time | None:
    try:
        return dt.time.fromisoformat(str(value))
    except ValueError:
        return None
