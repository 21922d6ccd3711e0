"""What the doctor's live page reads (chat/live.py re-exports it): the conversation list,
newest first and keyset-paginated, one conversation's messages, the thread header's patient
details and the clinic's templates for the composer.
"""

import datetime as dt

from django.db.models import Q, Sum
from django.utils import timezone

from chat.live_access import Invalid, doctor_ids, id_from_client, patient_for
from chat.models import Message, MessageTemplate
from chat.outbound import WINDOW, window_open
from chat.serializers import conversation_dict, message_dict
from patients.models import Patient

CONVERSATIONS_PAGE = 30
MESSAGES_PAGE = 50
SEARCH_MAX = 100
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def conversation_row(patient: Patient, *, now: dt.datetime | None = None) -> dict:
    """One row of the conversation list, plus what the composer needs to know about the window."""
    row = conversation_dict(patient)
    row["doctor_id"] = patient.doctor_id
    row["window_open"] = window_open(patient, now)
    row["window_closes_at"] = _window_closes_at(patient.last_inbound_at)
    return row


def _window_closes_at(last_inbound_at: dt.datetime | None) -> str | None:
    """When the 24-hour window closes. A stored time near 9999-12-31 (written before timestamps
    were clamped at parse time) has no representable close: shown as none rather than a 500 for
    the whole clinic's list."""
    if last_inbound_at is None:
        return None
    try:
        return (last_inbound_at + WINDOW).isoformat()
    except OverflowError:
        return None


def conversations(*, user, q: str = "", before: str | None = None, doctor_id=None, limit: int = CONVERSATIONS_PAGE):
    """Newest conversation first, `limit` at a time, keyset-paginated on (last_message_at, id).

    Reads only the denormalised last-message fields of Patient through the index
    (doctor, -last_message_at, -id); it never touches the message table, so it costs the same
    with a thousand messages or a million. A patient with no message yet has no conversation to
    show and is not listed. The first page also carries the unread total for the page title.
    """
    ids = doctor_ids(user=user, requested=doctor_id)
    rows = conversation_queryset(doctor_ids=ids, q=q, before=parse_cursor(before) if before else None)
    page = list(rows[: limit + 1])
    more, page = len(page) > limit, page[:limit]
    now = timezone.now()
    result = {
        "conversations": [conversation_row(p, now=now) for p in page],
        "next": make_cursor(page[-1]) if more else None,
    }
    if not before:
        total = Patient.objects.filter(doctor_id__in=ids, unread_count__gt=0).aggregate(n=Sum("unread_count"))["n"]
        result["unread_total"] = total or 0
    return result


# What a list row shows; the rest of Patient (the bot's conversation_data above all) stays unread.
ROW_FIELDS = [
    "doctor_id",
    "wa_id",
    "user_id",
    "name",
    "username",
    "ai_paused",
    "ai_paused_by__username",
    "ai_paused_at",
    "ai_pause_reason",
    "handoff_requested_at",
    "last_inbound_at",
    "last_message_at",
    "last_message_preview",
    "unread_count",
]


def conversation_queryset(*, doctor_ids: list[int], q: str = "", before: tuple[dt.datetime, int] | None = None):
    """The list query itself (the benchmark times exactly this)."""
    doctors = Q(doctor_id=doctor_ids[0]) if len(doctor_ids) == 1 else Q(doctor_id__in=doctor_ids)
    rows = Patient.objects.filter(doctors, last_message_at__isnull=False)
    q = (q or "").strip()[:SEARCH_MAX]
    if q:
        match = Q(name__icontains=q) | Q(username__icontains=q)
        number = q.replace("+", "").replace(" ", "").replace("-", "")
        if number.isdigit():  # "+91 98200" finds 919820012345
            match |= Q(wa_id__contains=number)
        rows = rows.filter(match)
    if before:
        at, pk = before
        # `<=` gives the database an index range that starts at the cursor; the OR drops the ties
        # already shown (same instant, higher id).
        rows = rows.filter(last_message_at__lte=at).filter(Q(last_message_at__lt=at) | Q(id__lt=pk))
    return rows.select_related("ai_paused_by").only(*ROW_FIELDS).order_by("-last_message_at", "-id")


def make_cursor(patient: Patient) -> str:
    micros = (patient.last_message_at - _EPOCH) // dt.timedelta(microseconds=1)
    return f"{micros}_{patient.pk}"


def parse_cursor(cursor: str) -> tuple[dt.datetime, int]:
    try:
        micros, pk = (int(part) for part in str(cursor).split("_", 1))
        return _EPOCH + dt.timedelta(microseconds=micros), pk
    except (ValueError, OverflowError):
        raise Invalid("before is not a cursor this API returned") from None


def thread(*, user, patient_id, after=None, before=None, limit: int = MESSAGES_PAGE) -> dict:
    """Messages of one conversation, oldest to newest, at most `limit`.

    No bound: the latest page (and the templates for the composer). `before=<id>`: the page just
    older than that message (scrolling up). `after=<id>`: what came after it, for catching up
    after a reconnect; call again with the last id while `has_newer` is true.
    """
    patient = patient_for(user=user, patient_id=patient_id)
    messages = Message.objects.filter(patient=patient).select_related("sender_user", "media")
    after_id = id_from_client(after, "after", minimum=0) if after is not None else None
    before_id = id_from_client(before, "before", minimum=0) if before is not None else None
    if before_id is not None:
        messages = messages.filter(id__lt=before_id)
    if after_id is not None:
        page = list(messages.filter(id__gt=after_id).order_by("id")[: limit + 1])
        result = {"messages": page[:limit], "has_newer": len(page) > limit}
    else:
        page = list(messages.order_by("-id")[: limit + 1])
        result = {"messages": page[:limit][::-1], "has_older": len(page) > limit}
    result["messages"] = [message_dict(m) for m in result["messages"]]
    result["patient"] = patient_details(patient)
    if after_id is None and before_id is None:
        result["templates"] = templates_for(patient.doctor_id)
    return result


def patient_details(patient: Patient) -> dict:
    """The conversation row plus what the thread header shows: the next visit and its reminder
    state (booking.reminders.ReminderState: scheduled, sent or failed and why)."""
    from booking.models import Appointment
    from booking.reminders import reminder_states

    row = conversation_row(patient)
    visit = (
        Appointment.objects.filter(patient=patient, status=Appointment.Status.BOOKED, start__gte=timezone.now())
        .order_by("start")
        .first()
    )
    row["next_appointment"] = visit.start.isoformat() if visit else None
    row["reminder"] = reminder_states([visit])[visit.pk].as_dict() if visit else None
    return row


def templates_for(doctor_id: int) -> list[dict]:
    return [
        {"id": t.pk, "name": t.name, "language": t.language, "body": t.body, "parameters": t.parameter_count}
        for t in MessageTemplate.objects.filter(doctor_id=doctor_id, active=True)
    ]
