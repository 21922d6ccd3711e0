"""A patient's outgoing messages leave in the order they were queued (issue 15), whatever number
of workers and threads send them.

A message is claimed (queued -> sending) only when no older outgoing message of the same patient
(lower pk) is still `queued` or `sending`: the NOT EXISTS is part of the claim's UPDATE, so two
workers cannot both see the line clear (PostgreSQL re-checks the row and runs the subquery on the
statement's snapshot; SQLite serialises writers). A message the line holds back is `waiting`:
its task ends; on a backend that defers it is queued again after `wait_delay`, and the message
whose send ends first sends the next one at once (chat/outbound.py, `send_message_now`), which
is what the immediate backend (tests, demo) relies on: there nothing is re-enqueued, so a
waiting message cannot loop.

What holds the line, and why:
- `sending`: its request may be in flight; a younger one would overtake it on the wire.
- `queued`, a requeued send included (a retryable error, chat/outbound.py `_handle_error`, backs
  off 30 s to an hour): the younger ones wait behind it, as a phone's outbox waits. Those errors
  are Meta's outages and throttling (131056 is "too many messages to this user"), which would
  fail the younger sends as well, and the doctor's page shows them queued, in order, instead of
  a reply without the message it answers. After MAX_REQUEUES it fails and the line moves on.
- not `unknown` (Meta may have it: it waits minutes for a status webhook), `failed` or anything
  after `sent`: the conversation goes on without it, as it does on WhatsApp.

Not covered: two transactions queueing for one patient at once (a staff reply while the bot
answers) are ordered by who claims first; the bot's replies are queued under the patient's row
lock (chat/pipeline.py), so they are always in order among themselves.
"""

import datetime as dt

from django.db.models import Exists, OuterRef
from django.utils import timezone

from chat.models import Message

HOLDS_THE_LINE = (Message.Status.QUEUED, Message.Status.SENDING)
# send_message_now's outcomes after which the message still holds its line (or is another's).
STILL_IN_LINE = ("requeued", "waiting", "skipped")
# A waiting message's task looks again after a tenth of the time it has waited, 1 s to 1 min:
# the send ahead of it usually ends in ~100-300 ms (and sends it itself), a requeued one waits
# minutes, so a long wait costs a few dozen tasks, not thousands.
WAIT_MIN = dt.timedelta(seconds=1)
WAIT_MAX = dt.timedelta(minutes=1)


def claim(message_id: int, *, now: dt.datetime) -> bool:
    """queued -> sending, when no older outgoing message of its patient holds the line."""
    ahead = Message.objects.filter(
        patient_id=OuterRef("patient_id"),
        direction=Message.Direction.OUT,
        pk__lt=OuterRef("pk"),
        status__in=HOLDS_THE_LINE,
    )
    return bool(
        Message.objects.filter(pk=message_id, status=Message.Status.QUEUED)
        .filter(~Exists(ahead))
        .update(status=Message.Status.SENDING, send_started_at=now)
    )


def queued_since(message_id: int) -> dt.datetime | None:
    """After a claim failed: when the message was queued if it still is (it waits in line),
    None if another worker has it or it is done."""
    return (
        Message.objects.filter(pk=message_id, status=Message.Status.QUEUED).values_list("created_at", flat=True).first()
    )


def wait_delay(queued_at: dt.datetime, *, now: dt.datetime | None = None) -> dt.timedelta:
    waited = (now or timezone.now()) - queued_at
    return min(WAIT_MAX, max(WAIT_MIN, waited / 10))


def next_in_line(patient_id: int, *, after: int = 0) -> int | None:
    """The patient's oldest queued outgoing message younger than `after`: the one a finished
    send may have held back."""
    return (
        Message.objects.filter(
            patient_id=patient_id, direction=Message.Direction.OUT, status=Message.Status.QUEUED, pk__gt=after
        )
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
